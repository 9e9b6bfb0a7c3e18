"""Invitations ("uitnodigingscodes"): a code per rol lets someone join exactly one
ronde in exactly one rol, at most ``max_deelnemers`` people per code when the
facilitator set a maximum. Only a keyed hash of a code is stored (as for resume
codes, :func:`storage.respondenten.hervat_hash`)."""
from __future__ import annotations

import math
import secrets

from sqlalchemy import Engine, select, update

from storage.bereik import controleer_ronde
from storage.controle import controleer_rol, open_ronde, schone_organisatie, schone_rollen
from storage.db import met_herhaling, sessie
from storage.models import Gemeente, Ronde, Uitnodiging, nu
from storage.records import RespondentInfo, UitnodigingInfo, utc
from storage.respondenten import (
    HERVAT_ALFABET,
    hervat_hash,
    met_nieuwe_trekking,
    normaliseer_hervatcode,
    voeg_respondent_toe,
)
from toegang import Gebruiker

# Invitation codes: 20 characters of 31 = 99 bits, shown as 5 groups of 4.
UITNODIGING_LENGTE = 20
UITNODIGING_BITS = UITNODIGING_LENGTE * math.log2(len(HERVAT_ALFABET))


def nieuwe_uitnodigingscode() -> str:
    """A random invitation code like 'U7QM-3XPA-9TKH-W4RC-2ZNB' (20 characters
    from an alphabet without 0/O/1/I/L, ~99 bits)."""
    tekens = "".join(secrets.choice(HERVAT_ALFABET) for _ in range(UITNODIGING_LENGTE))
    return "-".join(tekens[i : i + 4] for i in range(0, UITNODIGING_LENGTE, 4))


def _uitnodiging_hash(code: str) -> str | None:
    """The stored hash of the code, or None when it cannot be an invitation code."""
    if len(normaliseer_hervatcode(code or "")) != UITNODIGING_LENGTE:
        return None
    return hervat_hash(code)


def _uitnodiging_vraag():
    return (
        select(Uitnodiging, Ronde, Gemeente.naam)
        .join(Ronde, Uitnodiging.ronde_id == Ronde.id)
        .join(Gemeente, Ronde.gemeente_id == Gemeente.id)
    )


def _uitnodiging_info(u: Uitnodiging, r: Ronde, gemeente: str) -> UitnodigingInfo:
    return UitnodigingInfo(
        u.id, u.ronde_id, u.rol, r.gemeente_id, gemeente, r.label, r.status, utc(u.aangemaakt),
        u.max_deelnemers, u.deelnemers,
    )


MAX_DEELNEMERS_PER_CODE = 10_000  # the highest maximum a facilitator can set


def _schoon_maximum(max_deelnemers: int | None) -> int | None:
    if max_deelnemers is None:
        return None
    if isinstance(max_deelnemers, bool) or not isinstance(max_deelnemers, int) \
            or not 1 <= max_deelnemers <= MAX_DEELNEMERS_PER_CODE:
        raise ValueError(f"Het maximum aantal deelnemers per code moet een geheel getal van 1 tot en met "
                         f"{MAX_DEELNEMERS_PER_CODE} zijn (of leeg voor geen maximum).")
    return max_deelnemers


def maak_uitnodigingen(
    engine: Engine, ronde_id: int, rollen: list[str], *, max_deelnemers: int | None = None, door: Gebruiker
) -> dict[str, str]:
    """A new invitation code per rol for an open ronde: {rol: code}.

    Any earlier active code of that ronde and rol is revoked. Only a keyed hash
    of each code is stored: show the codes now, they cannot be recovered. When
    the ronde has invited roles, every rol must be one of them. With
    ``max_deelnemers`` each code admits at most that many respondents (None: no
    maximum).
    """
    schoon = schone_rollen(rollen)
    if not schoon:
        raise ValueError("Kies ten minste één rol om uit te nodigen.")
    max_deelnemers = _schoon_maximum(max_deelnemers)

    def actie() -> dict[str, str]:
        with sessie(engine, schrijven=True) as s:
            controleer_ronde(s, door, "ronde_beheren", ronde_id)
            # FOR UPDATE: concurrent calls for this ronde queue, so at most one
            # code per rol stays active.
            r = open_ronde(s, ronde_id, "er kunnen geen uitnodigingen meer worden gemaakt",
                            exclusief=True)
            for rol in schoon:
                controleer_rol(s, r, rol)
            s.execute(
                update(Uitnodiging)
                .where(Uitnodiging.ronde_id == ronde_id, Uitnodiging.rol.in_(schoon),
                       Uitnodiging.ingetrokken.is_(False))
                .values(ingetrokken=True)
                .execution_options(synchronize_session=False)
            )
            moment = nu()
            codes = {rol: nieuwe_uitnodigingscode() for rol in schoon}
            for rol, code in codes.items():
                s.add(Uitnodiging(ronde_id=ronde_id, rol=rol, code_hash=hervat_hash(code),
                                  aangemaakt=moment, ingetrokken=False,
                                  max_deelnemers=max_deelnemers, deelnemers=0))
            s.flush()
            return codes

    return met_nieuwe_trekking(actie)


def trek_uitnodigingen_in(
    engine: Engine, ronde_id: int, rollen: list[str] | None = None, *, door: Gebruiker
) -> int:
    """Revoke the active invitation codes of a ronde (all, or only of ``rollen``).
    Returns how many were revoked. Respondents who already joined keep working."""
    schoon = schone_rollen(rollen) if rollen is not None else None

    def actie() -> int:
        with sessie(engine, schrijven=True) as s:
            controleer_ronde(s, door, "ronde_beheren", ronde_id)
            stmt = update(Uitnodiging).where(
                Uitnodiging.ronde_id == ronde_id, Uitnodiging.ingetrokken.is_(False))
            if schoon is not None:
                stmt = stmt.where(Uitnodiging.rol.in_(schoon))
            resultaat = s.execute(stmt.values(ingetrokken=True)
                                  .execution_options(synchronize_session=False))
            return resultaat.rowcount

    return met_herhaling(actie)


def uitnodiging_met_code(engine: Engine, code: str) -> UitnodigingInfo | None:
    """The active invitation for a code (case, dashes and spaces don't matter);
    None when unknown or revoked. The ronde may be closed: see ``ronde_status``."""
    h = _uitnodiging_hash(code)
    if h is None:
        return None
    with sessie(engine) as s:
        rij = s.execute(
            _uitnodiging_vraag().where(Uitnodiging.code_hash == h, Uitnodiging.ingetrokken.is_(False))
        ).first()
        return _uitnodiging_info(*rij) if rij else None


def uitnodigingen(engine: Engine, ronde_id: int) -> list[UitnodigingInfo]:
    """The active invitations of a ronde, sorted by rol (without codes: they are
    not recoverable; make new ones to hand them out again)."""
    with sessie(engine) as s:
        rijen = s.execute(
            _uitnodiging_vraag()
            .where(Uitnodiging.ronde_id == ronde_id, Uitnodiging.ingetrokken.is_(False))
            .order_by(Uitnodiging.rol, Uitnodiging.id)
        ).all()
        return [_uitnodiging_info(*rij) for rij in rijen]


def respondent_via_uitnodiging(
    engine: Engine, code: str, organisatie: str | None = None
) -> tuple[RespondentInfo, str]:
    """Register a respondent in exactly the ronde and rol of an invitation code.
    Returns (respondent, hervatcode), like :func:`maak_respondent`.

    ValueError (Dutch) for an unknown or revoked code, a closed ronde, or a code
    whose maximum number of respondents has been reached. The count is raised in
    the same transaction that adds the respondent, by one conditional UPDATE, so
    concurrent joins never exceed the maximum. Callers should rate-limit this
    with :func:`te_veel_pogingen`/:func:`registreer_poging`.
    """
    organisatie = schone_organisatie(organisatie)
    h = _uitnodiging_hash(code)
    onbekend = "Deze uitnodigingscode is onbekend. Controleer de code op tikfouten."

    def actie() -> tuple[RespondentInfo, str]:
        with sessie(engine, schrijven=True) as s:
            if h is None:
                raise ValueError(onbekend)
            ronde_id = s.scalar(select(Uitnodiging.ronde_id).where(Uitnodiging.code_hash == h))
            if ronde_id is None:
                raise ValueError(onbekend)
            # Lock the ronde first (same order as maak_uitnodigingen), then read
            # the invitation again: a revocation committed meanwhile is seen.
            open_ronde(s, ronde_id, "aanmelden is niet meer mogelijk")
            rol, ingetrokken, maximum = s.execute(
                select(Uitnodiging.rol, Uitnodiging.ingetrokken, Uitnodiging.max_deelnemers)
                .where(Uitnodiging.code_hash == h)
            ).one()
            if ingetrokken:
                raise ValueError(
                    "Deze uitnodigingscode is ingetrokken. Vraag de organisator om een nieuwe code."
                )
            # Count this respondent only while below the maximum: one statement, so a
            # concurrent join waits for this row (PostgreSQL re-checks the condition
            # after the wait; SQLite serialises writers).
            geteld = s.execute(
                update(Uitnodiging)
                .where(Uitnodiging.code_hash == h, Uitnodiging.ingetrokken.is_(False),
                       (Uitnodiging.max_deelnemers.is_(None))
                       | (Uitnodiging.deelnemers < Uitnodiging.max_deelnemers))
                .values(deelnemers=Uitnodiging.deelnemers + 1)
                .execution_options(synchronize_session=False)
            ).rowcount
            if geteld != 1 and maximum is None:  # revoked meanwhile
                raise ValueError(
                    "Deze uitnodigingscode is ingetrokken. Vraag de organisator om een nieuwe code."
                )
            if geteld != 1:
                raise ValueError(
                    f"Met deze uitnodigingscode doen al {maximum} deelnemers mee; dat is het maximum. "
                    "Vraag de organisator om een nieuwe code."
                )
            return voeg_respondent_toe(s, ronde_id, rol, organisatie)

    return met_nieuwe_trekking(actie)
