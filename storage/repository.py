"""Reading and writing gemeenten, rondes, respondents and answers.

Convention: every public function takes an :class:`~sqlalchemy.Engine` as its
first argument and runs in its own transaction (one commit for writes). Every
staff write also takes ``door``, the acting :class:`toegang.Gebruiker`, and checks
its scope inside that transaction (see :mod:`storage.bereik`); command lines act as
``storage.bereik.SYSTEEM``. They
return small frozen dataclasses or plain values, never ORM objects, so callers
(Streamlit pages, reports) need no session handling. Errors meant for users are
``ValueError`` with a Dutch message; import errors are ``UitwisselFout``
(a ValueError) with row and column.

Resume codes ("hervatcodes") are shown to a respondent once; only a keyed hash
is stored, HMAC-SHA256(server secret, sha256(normalised code)) (storage/geheim.py).
The same holds for invitation codes ("uitnodigingscodes"), which let someone
join exactly one ronde in exactly one rol, at most ``max_deelnemers`` people per
code when the facilitator set a maximum. Pseudonyms identify
respondents in exports; no names are stored.

Locking: writers that depend on a ronde being open read that ronde row
``FOR SHARE`` (PostgreSQL; SQLite serialises all writers anyway), so closing a
ronde waits for saves in flight and saves after it see the closed status.
"""
from __future__ import annotations

import hashlib
import math
import random
import re
import secrets
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pandas as pd
from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kader.model import GEEN_OORDEEL
from storage import geheim as _geheim
from storage.bereik import BuitenBereik, controleer, controleer_gemeente, controleer_ronde
from storage.db import met_herhaling, sessie, sqlite_checkpoint
from storage.models import (
    Antwoord,
    AntwoordWijziging,
    Consensus,
    ConsensusWijziging,
    Gemeente,
    Poging,
    Regio,
    Respondent,
    Ronde,
    RondeKader,
    RondeRol,
    Uitnodiging,
    Verbeteractie,
    VerbeteractieWijziging,
    nu,
)
from toegang import Gebruiker
from uitwisselformaat import KOLOMMEN, MAX_TOELICHTING, Melding, UitwisselFout, schone_tekst, verboden_teken
from uitwisselformaat.waarden import (
    ACTIE_GEPLAND,
    ACTIE_STATUSSEN,
    FASE_STIL_SCOREN,
    FASES,
    STATUS_GESLOTEN,
    STATUS_OPEN,
    STATUSSEN,
)

# No 0/O, 1/I/L: codes are typed over from paper or a screen.
HERVAT_ALFABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
HERVAT_LENGTE = 10
# Invitation codes: 20 characters of 31 = 99 bits, shown as 5 groups of 4.
UITNODIGING_LENGTE = 20
UITNODIGING_BITS = UITNODIGING_LENGTE * math.log2(len(HERVAT_ALFABET))
PSEUDONIEM_ALFABET = HERVAT_ALFABET.lower()
PSEUDONIEM_LENGTE = 6
MAX_ROL = 64
MAX_ORGANISATIE = 80
MAX_ID = 100  # kader_id / criterium_id columns
MAX_MOTIVATIE = 4000  # consensus motivatie (the workshop form's limit)

# Rate limiting: attempts are kept this long, then cleaned up now and then.
POGING_BEWAARTERMIJN = timedelta(days=1)
POGING_OPRUIMKANS = 0.02  # per registreer_poging call

CONSENSUS_KOLOMMEN = ("gemeente", "ronde", "kader", "criterium", "score", "motivatie")
EXPORT_FORMAAT = "zelfbeoordeling-gemeente-export"
EXPORT_VERSIE = 1


# ----------------------------------------------------------------- records


@dataclass(frozen=True)
class GemeenteInfo:
    id: int
    naam: str
    regio: str | None
    demo: bool
    # Opted in to the regional comparison (regio view, regional median).
    vergelijking: bool = False


@dataclass(frozen=True)
class RondeInfo:
    id: int
    gemeente_id: int
    gemeente: str
    label: str
    status: str
    demo: bool
    aangemaakt: datetime
    kader_versies: dict[str, str] = field(hash=False)
    respondenten: int = 0
    fase: str = FASE_STIL_SCOREN
    huidig_kader: str | None = None
    huidig_criterium: str | None = None
    # Invited roles, sorted; empty for rondes created without them (any rol may join).
    rollen: tuple[str, ...] = ()

    @property
    def kader_ids(self) -> tuple[str, ...]:
        return tuple(sorted(self.kader_versies))

    @property
    def is_open(self) -> bool:
        return self.status == STATUS_OPEN


@dataclass(frozen=True)
class RespondentInfo:
    id: int
    ronde_id: int
    pseudoniem: str
    rol: str
    aangemaakt: datetime
    organisatie: str | None = None


@dataclass(frozen=True)
class UitnodigingInfo:
    """An active invitation (the code itself is never stored, so not included)."""

    id: int
    ronde_id: int
    rol: str
    gemeente_id: int
    gemeente: str
    ronde_label: str
    ronde_status: str
    aangemaakt: datetime
    max_deelnemers: int | None = None  # None: no maximum
    deelnemers: int = 0  # how many joined with this code

    @property
    def ronde_is_open(self) -> bool:
        return self.ronde_status == STATUS_OPEN

    @property
    def vol(self) -> bool:
        """The maximum number of respondents for this code has been reached."""
        return self.max_deelnemers is not None and self.deelnemers >= self.max_deelnemers


@dataclass(frozen=True)
class ConsensusWijzigingInfo:
    """One save of a consensus score (audit trail)."""

    kader_id: str
    criterium_id: str
    score: str
    motivatie: str
    tijdstip: datetime


@dataclass(frozen=True)
class Wijziging:
    kader_id: str
    criterium_id: str
    score: str | None
    toelichting: str
    tijdstip: datetime


@dataclass(frozen=True)
class ImportResultaat:
    """How many rows the import created (existing gemeenten/rondes are reused)."""

    gemeenten: int
    rondes: int
    respondenten: int
    antwoorden: int


def _utc(t: datetime) -> datetime:
    """SQLite returns naive datetimes; all stored times are UTC."""
    return t.replace(tzinfo=timezone.utc) if t.tzinfo is None else t


def _respondent_info(r: Respondent) -> RespondentInfo:
    return RespondentInfo(
        r.id, r.ronde_id, r.pseudoniem, r.rol, _utc(r.aangemaakt), r.organisatie
    )


def _iso(t: datetime | None) -> str | None:
    return _utc(t).isoformat() if t is not None else None


def _schone_rollen(rollen) -> tuple[str, ...]:
    """Stripped, without duplicates, in the given order; ValueError for bad ones."""
    if isinstance(rollen, str):
        rollen = [rollen]
    schoon: list[str] = []
    for rol in rollen or ():
        rol = _geen_verboden_teken(str(rol).strip(), "de rol")
        if not rol:
            raise ValueError("Een rol mag niet leeg zijn.")
        if len(rol) > MAX_ROL:
            raise ValueError(f"De rol '{rol[:20]}…' is te lang (maximaal {MAX_ROL} tekens).")
        if rol not in schoon:
            schoon.append(rol)
    return tuple(schoon)


def _geen_verboden_teken(waarde: str, wat: str) -> str:
    """``waarde`` unchanged; ValueError when it holds a control, bidi or other invisible
    character (a name is shown everywhere and must look like what it is)."""
    teken = verboden_teken(waarde)
    if teken is not None:
        raise ValueError(f"{wat[:1].upper()}{wat[1:]} bevat een teken dat daar niet mag: {teken}.")
    return waarde


def _schoon_id(waarde: str | None, wat: str) -> str:
    waarde = _geen_verboden_teken((waarde or "").strip(), f"de {wat}")
    if not waarde:
        raise ValueError(f"Kies een {wat}.")
    if len(waarde) > MAX_ID:
        raise ValueError(f"De {wat}-code is te lang (maximaal {MAX_ID} tekens).")
    return waarde


# ----------------------------------------------------------------- gemeenten


def _regio_id(s: Session, naam: str | None) -> int | None:
    if not naam:
        return None
    bestaand = s.scalar(select(Regio.id).where(Regio.naam == naam))
    if bestaand is not None:
        return bestaand
    regio = Regio(naam=naam)
    s.add(regio)
    s.flush()
    return regio.id


def maak_gemeente(
    engine: Engine, naam: str, regio: str | None = None, demo: bool | None = None, *, door: Gebruiker
) -> GemeenteInfo:
    """Create a gemeente (and its regio by name if new). ValueError if the name exists.
    ``demo`` defaults to the actor's: a demo account creates demo gemeenten."""
    naam = _geen_verboden_teken(naam.strip(), "de naam van de gemeente")
    regio = _geen_verboden_teken((regio or "").strip(), "de naam van de regio") or None
    if not naam:
        raise ValueError("Vul de naam van de gemeente in.")
    demo = door.demo if demo is None else bool(demo)

    def actie() -> GemeenteInfo:
        with sessie(engine, schrijven=True) as s:
            controleer(door, "ronde_beheren", naam, demo)
            if s.scalar(select(Gemeente.id).where(Gemeente.naam == naam)) is not None:
                raise ValueError(f"Gemeente '{naam}' bestaat al.")
            g = Gemeente(naam=naam, regio_id=_regio_id(s, regio), demo=demo)
            s.add(g)
            s.flush()
            return GemeenteInfo(g.id, g.naam, regio or None, g.demo, g.regio_vergelijking)

    return met_herhaling(actie)


def gemeenten(engine: Engine) -> list[GemeenteInfo]:
    """All gemeenten, sorted by name."""
    with sessie(engine) as s:
        rijen = s.execute(
            select(Gemeente, Regio.naam).outerjoin(Regio).order_by(Gemeente.naam)
        ).all()
        return [GemeenteInfo(g.id, g.naam, regio, g.demo, g.regio_vergelijking) for g, regio in rijen]


def zet_regio_vergelijking(engine: Engine, gemeente_id: int, aan: bool, *, door: Gebruiker) -> None:
    """Opt a gemeente in to (or out of) the regional comparison."""

    def actie() -> None:
        with sessie(engine, schrijven=True) as s:
            g = controleer_gemeente(s, door, "regio_deelname", gemeente_id)
            if aan and g.regio_id is None:
                raise ValueError(
                    f"Gemeente '{g.naam}' hoort bij geen regio; vergelijken kan pas als er een regio is."
                )
            g.regio_vergelijking = bool(aan)

    met_herhaling(actie)


def regio_antwoorden(
    engine: Engine, regio: str, kader_id: str | None = None, ronde: str | None = None
) -> pd.DataFrame:
    """Answers of every ronde of the opted-in gemeenten of one regio, in the
    uitwisselformaat, with the extra columns ``ronde_id`` and ``kader_versie`` (the
    version the ronde pinned for that kader). Gemeenten that did not opt in are left
    out entirely. ``kader_id`` and ``ronde`` (a label) narrow it down. Unsorted;
    callers aggregate."""
    vraag = (
        select(
            Gemeente.naam, Ronde.label, Respondent.pseudoniem, Respondent.rol,
            Antwoord.kader_id, Antwoord.criterium_id, Antwoord.score, Antwoord.toelichting,
            Ronde.id, RondeKader.kader_versie,
        )
        .join(Respondent, Antwoord.respondent_id == Respondent.id)
        .join(Ronde, Respondent.ronde_id == Ronde.id)
        .join(Gemeente, Ronde.gemeente_id == Gemeente.id)
        .join(Regio, Gemeente.regio_id == Regio.id)
        .outerjoin(RondeKader, (RondeKader.ronde_id == Ronde.id) & (RondeKader.kader_id == Antwoord.kader_id))
        .where(Regio.naam == regio, Gemeente.regio_vergelijking.is_(True), Antwoord.score.is_not(None))
    )
    if kader_id is not None:
        vraag = vraag.where(Antwoord.kader_id == kader_id)
    if ronde is not None:
        vraag = vraag.where(Ronde.label == ronde)
    with sessie(engine) as s:
        rijen = [tuple(r) for r in s.execute(vraag).all()]
    df = pd.DataFrame(rijen, columns=[*KOLOMMEN, "ronde_id", "kader_versie"])
    df[list(KOLOMMEN)] = df[list(KOLOMMEN)].astype("str")
    df["ronde_id"] = df["ronde_id"].astype("int64")
    df["kader_versie"] = df["kader_versie"].fillna("").astype("str")
    return df


def regios(engine: Engine) -> dict[str, list[GemeenteInfo]]:
    """Every regio by name with its gemeenten (opted in or not), sorted by name."""
    uit: dict[str, list[GemeenteInfo]] = {}
    for g in gemeenten(engine):
        if g.regio:
            uit.setdefault(g.regio, []).append(g)
    return dict(sorted(uit.items()))


# ----------------------------------------------------------------- rondes


def maak_ronde(
    engine: Engine,
    gemeente_id: int,
    label: str,
    kader_versies: dict[str, str],
    demo: bool | None = None,
    rollen: list[str] | None = None,
    *,
    door: Gebruiker,
) -> RondeInfo:
    """Create an open ronde, pinning each kader id to its version.

    ``rollen`` are the invited roles; when given, respondents and invitations
    of this ronde are limited to them. Without them any rol may join (as before).
    A ronde is a demo ronde exactly when its gemeente is a demo gemeente; ``demo``,
    when given, must agree.
    """
    label = _geen_verboden_teken(label.strip(), "de naam van de ronde")
    if not label:
        raise ValueError("Vul een naam (label) voor de ronde in.")
    if not kader_versies:
        raise ValueError("Kies ten minste één kader voor de ronde.")
    schone_rollen = _schone_rollen(rollen)

    def actie() -> int:
        with sessie(engine, schrijven=True) as s:
            gemeente = controleer_gemeente(s, door, "ronde_beheren", gemeente_id)
            if demo is not None and bool(demo) != gemeente.demo:
                raise ValueError(f"Gemeente '{gemeente.naam}' is {'een' if gemeente.demo else 'geen'} "
                                 "demogemeente; een ronde en haar gemeente zijn allebei demo, of allebei niet.")
            dubbel = select(Ronde.id).where(Ronde.gemeente_id == gemeente_id, Ronde.label == label)
            if s.scalar(dubbel) is not None:
                raise ValueError(f"Gemeente '{gemeente.naam}' heeft al een ronde '{label}'.")
            return _nieuwe_ronde(s, gemeente_id, label, kader_versies, gemeente.demo, schone_rollen).id

    ronde_id = met_herhaling(actie)
    info = ronde(engine, ronde_id)
    assert info is not None
    return info


def _nieuwe_ronde(
    s: Session,
    gemeente_id: int,
    label: str,
    kader_versies: dict[str, str],
    demo: bool,
    rollen: tuple[str, ...] = (),
) -> Ronde:
    r = Ronde(gemeente_id=gemeente_id, label=label, status=STATUS_OPEN, demo=demo,
              aangemaakt=nu(), fase=FASE_STIL_SCOREN)
    s.add(r)
    s.flush()
    for kader_id, versie in sorted(kader_versies.items()):
        s.add(RondeKader(ronde_id=r.id, kader_id=kader_id, kader_versie=str(versie)))
    for rol in rollen:
        s.add(RondeRol(ronde_id=r.id, rol=rol))
    s.flush()
    return r


def _ronde_infos(s: Session, ronde_id: int | None = None) -> list[RondeInfo]:
    aantallen = (
        select(Respondent.ronde_id, func.count(Respondent.id).label("n"))
        .group_by(Respondent.ronde_id)
        .subquery()
    )
    vraag = (
        select(Ronde, Gemeente.naam, aantallen.c.n)
        .join(Gemeente, Ronde.gemeente_id == Gemeente.id)
        .outerjoin(aantallen, aantallen.c.ronde_id == Ronde.id)
        .order_by(Gemeente.naam, Ronde.label, Ronde.id)
    )
    pins = select(RondeKader)
    uitgenodigd = select(RondeRol.ronde_id, RondeRol.rol)
    if ronde_id is not None:
        vraag = vraag.where(Ronde.id == ronde_id)
        pins = pins.where(RondeKader.ronde_id == ronde_id)
        uitgenodigd = uitgenodigd.where(RondeRol.ronde_id == ronde_id)
    versies: dict[int, dict[str, str]] = {}
    for pin in s.scalars(pins):
        versies.setdefault(pin.ronde_id, {})[pin.kader_id] = pin.kader_versie
    rollen: dict[int, list[str]] = {}
    for rid, rol in s.execute(uitgenodigd):
        rollen.setdefault(rid, []).append(rol)
    return [
        RondeInfo(
            r.id, r.gemeente_id, naam, r.label, r.status, r.demo, _utc(r.aangemaakt),
            dict(sorted(versies.get(r.id, {}).items())), n or 0,
            r.fase, r.huidig_kader, r.huidig_criterium, tuple(sorted(rollen.get(r.id, ()))),
        )
        for r, naam, n in s.execute(vraag).all()
    ]


def rondes(engine: Engine) -> list[RondeInfo]:
    """All rondes with gemeente name, pinned kader versions and respondent count,
    sorted by gemeente name and label."""
    with sessie(engine) as s:
        return _ronde_infos(s)


def ronde(engine: Engine, ronde_id: int) -> RondeInfo | None:
    """One ronde, or None if it does not exist."""
    with sessie(engine) as s:
        gevonden = _ronde_infos(s, ronde_id)
        return gevonden[0] if gevonden else None


def zet_ronde_status(engine: Engine, ronde_id: int, status: str, *, door: Gebruiker) -> None:
    """Open or close a ronde ('open' or 'gesloten')."""
    if status not in STATUSSEN:
        raise ValueError(f"Onbekende status '{status}'; kies open of gesloten.")

    def actie() -> None:
        with sessie(engine, schrijven=True) as s:
            controleer_ronde(s, door, "ronde_beheren", ronde_id)
            r = s.get(Ronde, ronde_id)
            r.status = status

    met_herhaling(actie)


# ----------------------------------------------------------------- respondents


def nieuwe_hervatcode() -> str:
    """A random resume code like 'K7QM-3XPA-9T' (10 characters, ~49 bits)."""
    tekens = "".join(secrets.choice(HERVAT_ALFABET) for _ in range(HERVAT_LENGTE))
    return "-".join(tekens[i : i + 4] for i in range(0, HERVAT_LENGTE, 4))


def normaliseer_hervatcode(code: str) -> str:
    """Upper case, without dashes, spaces or other separators."""
    return re.sub(r"[^0-9A-Z]", "", code.upper())


def hervat_hash(code: str) -> str:
    """What the database stores for a resume or invitation code:
    HMAC-SHA256(server secret, sha256 hex of the normalised code), hex."""
    return _geheim.code_hash(normaliseer_hervatcode(code))


def nieuw_pseudoniem() -> str:
    """A random pseudonym like 'r-7k3m9q'."""
    return "r-" + "".join(secrets.choice(PSEUDONIEM_ALFABET) for _ in range(PSEUDONIEM_LENGTE))


def _vrij_pseudoniem(s: Session) -> str:
    while True:
        kandidaat = nieuw_pseudoniem()
        if s.scalar(select(Respondent.id).where(Respondent.pseudoniem == kandidaat)) is None:
            return kandidaat


def _schone_organisatie(organisatie: str | None) -> str | None:
    organisatie = schone_tekst(organisatie).strip()
    if len(organisatie) > MAX_ORGANISATIE:
        raise ValueError(f"De organisatie mag maximaal {MAX_ORGANISATIE} tekens hebben.")
    return organisatie or None


def _controleer_rol(s: Session, r: Ronde, rol: str) -> None:
    """When the ronde has invited roles, ``rol`` must be one of them."""
    uitgenodigd = set(s.scalars(select(RondeRol.rol).where(RondeRol.ronde_id == r.id)))
    if uitgenodigd and rol not in uitgenodigd:
        raise ValueError(f"De rol '{rol}' is niet uitgenodigd voor de ronde '{r.label}'.")


def _voeg_respondent_toe(
    s: Session, ronde_id: int, rol: str, organisatie: str | None
) -> tuple[RespondentInfo, str]:
    code = nieuwe_hervatcode()
    r = Respondent(
        ronde_id=ronde_id, pseudoniem=_vrij_pseudoniem(s), rol=rol,
        hervat_hash=hervat_hash(code), organisatie=organisatie, aangemaakt=nu(),
    )
    s.add(r)
    s.flush()
    return _respondent_info(r), code


def _met_nieuwe_trekking(actie):
    """Run ``actie`` with retries; a (practically impossible) hash or pseudonym
    collision just gets a new draw."""
    for _ in range(3):
        try:
            return met_herhaling(actie)
        except IntegrityError:
            continue
    return met_herhaling(actie)


def maak_respondent(
    engine: Engine, ronde_id: int, rol: str, organisatie: str | None = None, *, door: Gebruiker
) -> tuple[RespondentInfo, str]:
    """Register a respondent in an open ronde, on behalf of staff (``door``).
    Returns (respondent, hervatcode); show the code to the respondent once, it
    cannot be recovered. Participants join with an invitation code instead
    (:func:`respondent_via_uitnodiging`), or practise in a demo ronde
    (:func:`oefen_respondent`).

    ``organisatie`` is the type of organisation (e.g. 'GGZ'), at most 80
    characters; never a person's name. When the ronde has invited roles, ``rol``
    must be one of them.
    """
    rol = rol.strip()
    if not rol:
        raise ValueError("Kies een rol.")
    organisatie = _schone_organisatie(organisatie)

    def actie() -> tuple[RespondentInfo, str]:
        with sessie(engine, schrijven=True) as s:
            controleer_ronde(s, door, "ronde_beheren", ronde_id)
            r = _open_ronde(s, ronde_id, "er kunnen geen deelnemers meer bij")
            _controleer_rol(s, r, rol)
            return _voeg_respondent_toe(s, ronde_id, rol, organisatie)

    return _met_nieuwe_trekking(actie)


def oefen_respondent(engine: Engine, ronde_id: int, rol: str) -> tuple[RespondentInfo, str]:
    """Register an anonymous participant without a code, in an open DEMO ronde only
    (practising). ValueError for a real ronde: there, joining needs an invitation code."""
    rol = rol.strip()
    if not rol:
        raise ValueError("Kies een rol.")

    def actie() -> tuple[RespondentInfo, str]:
        with sessie(engine, schrijven=True) as s:
            r = _open_ronde(s, ronde_id, "er kunnen geen deelnemers meer bij")
            if not r.demo:
                raise ValueError("Oefenen kan alleen in een demoronde; voor deze ronde heeft u een "
                                 "uitnodigingscode nodig.")
            _controleer_rol(s, r, rol)
            return _voeg_respondent_toe(s, ronde_id, rol, None)

    return _met_nieuwe_trekking(actie)


def _open_ronde(
    s: Session,
    ronde_id: int,
    gevolg: str = "antwoorden kunnen niet meer worden gewijzigd",
    exclusief: bool = False,
) -> Ronde:
    """The ronde, locked against a concurrent status change until commit
    (FOR SHARE, or FOR UPDATE with ``exclusief``); ValueError when missing or closed."""
    r = s.get(Ronde, ronde_id, with_for_update={"read": not exclusief})
    if r is None:
        raise ValueError("Deze ronde bestaat niet (meer).")
    if r.status == STATUS_GESLOTEN:
        raise ValueError(f"De ronde '{r.label}' is gesloten; {gevolg}.")
    return r


def respondent(engine: Engine, respondent_id: int) -> RespondentInfo | None:
    with sessie(engine) as s:
        r = s.get(Respondent, respondent_id)
        return _respondent_info(r) if r else None


def respondent_met_hervatcode(
    engine: Engine, code: str, ronde_id: int | None = None
) -> RespondentInfo | None:
    """The respondent for a resume code (case, dashes and spaces don't matter).

    With ``ronde_id`` only a respondent of that ronde matches, so a code
    entered on another ronde's page finds nothing.
    """
    if len(normaliseer_hervatcode(code)) != HERVAT_LENGTE:
        return None
    vraag = select(Respondent).where(Respondent.hervat_hash == hervat_hash(code))
    if ronde_id is not None:
        vraag = vraag.where(Respondent.ronde_id == ronde_id)
    with sessie(engine) as s:
        r = s.scalar(vraag)
        return _respondent_info(r) if r else None


# ----------------------------------------------------------------- answers


def _controleer_score(score: str | None) -> str | None:
    if score is None:
        return None
    score = str(score).strip().lower()
    if score in GEEN_OORDEEL or re.fullmatch(r"\d+", score):
        return score
    raise ValueError(f"'{score}' is geen geldige score.")


def _upsert(s: Session, model, sleutel: tuple[str, ...], waarden: dict[str, Any]) -> None:
    """Insert or update one row by its unique ``sleutel`` columns in one statement
    (SQLite and PostgreSQL); the other columns of ``waarden`` are updated."""
    bijwerken = [k for k in waarden if k not in sleutel]
    naam = s.get_bind().dialect.name
    if naam not in ("sqlite", "postgresql"):  # portable fallback
        bestaand = s.scalar(select(model).filter_by(
            **{k: waarden[k] for k in sleutel}).with_for_update())
        if bestaand is None:
            s.add(model(**waarden))
        else:
            for k in bijwerken:
                setattr(bestaand, k, waarden[k])
        return
    maker = sqlite_insert if naam == "sqlite" else pg_insert
    stmt = maker(model).values(**waarden)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(sleutel), set_={k: stmt.excluded[k] for k in bijwerken},
    )
    s.execute(stmt)


def _upsert_antwoord(s: Session, waarden: dict[str, Any]) -> None:
    """Insert or update the current answer in one statement (SQLite and PostgreSQL)."""
    _upsert(s, Antwoord, ("respondent_id", "kader_id", "criterium_id"), waarden)


def bewaar_antwoord(
    engine: Engine,
    respondent_id: int,
    kader_id: str,
    criterium_id: str,
    score: str | None,
    toelichting: str | None,
) -> None:
    """Save the current answer and append a row to the audit trail.

    One transaction, one commit; retried on transient lock/serialisation errors.
    ``score`` is a scale value like '3', 'weet_niet', 'nvt', or None when only a
    toelichting is saved. ValueError (Dutch) for an unknown respondent, a kader
    not pinned to the ronde, a bad score or a closed ronde.
    """
    score = _controleer_score(score)
    waarden = dict(
        respondent_id=respondent_id, kader_id=kader_id, criterium_id=criterium_id,
        score=score, toelichting=schone_tekst(toelichting, MAX_TOELICHTING),
    )

    def actie() -> None:
        with sessie(engine, schrijven=True) as s:
            resp = s.get(Respondent, respondent_id)
            if resp is None:
                raise ValueError("Onbekende respondent; start de vragenlijst opnieuw.")
            _open_ronde(s, resp.ronde_id)
            if s.get(RondeKader, (resp.ronde_id, kader_id)) is None:
                raise ValueError(f"Kader '{kader_id}' hoort niet bij deze ronde.")
            moment = nu()
            _upsert_antwoord(s, {**waarden, "bijgewerkt": moment})
            s.add(AntwoordWijziging(**waarden, tijdstip=moment))

    met_herhaling(actie)


def antwoorden_van(engine: Engine, respondent_id: int) -> dict[tuple[str, str], tuple[str | None, str]]:
    """Current answers of a respondent: (kader_id, criterium_id) -> (score, toelichting)."""
    with sessie(engine) as s:
        rijen = s.scalars(select(Antwoord).where(Antwoord.respondent_id == respondent_id))
        return {(a.kader_id, a.criterium_id): (a.score, a.toelichting) for a in rijen}


def wijzigingen_van(engine: Engine, respondent_id: int) -> list[Wijziging]:
    """The audit trail of a respondent, oldest first."""
    with sessie(engine) as s:
        rijen = s.scalars(
            select(AntwoordWijziging)
            .where(AntwoordWijziging.respondent_id == respondent_id)
            .order_by(AntwoordWijziging.id)
        )
        return [
            Wijziging(w.kader_id, w.criterium_id, w.score, w.toelichting, _utc(w.tijdstip))
            for w in rijen
        ]


def _natuurlijk(tekst: str) -> tuple:
    """Sort key that puts 'c2' before 'c10'."""
    return tuple(int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", tekst))


def antwoorden_df(engine: Engine, ronde_id: int) -> pd.DataFrame:
    """All answers of a ronde in the uitwisselformaat (columns KOLOMMEN, strings).

    Answers without a score (only a toelichting) are left out: the format
    requires a score. Sorted by gemeente, ronde, respondent, kader, criterium
    (numbers inside ids in numeric order).
    """
    vraag = (
        select(
            Gemeente.naam, Ronde.label, Respondent.pseudoniem, Respondent.rol,
            Antwoord.kader_id, Antwoord.criterium_id, Antwoord.score, Antwoord.toelichting,
        )
        .join(Respondent, Antwoord.respondent_id == Respondent.id)
        .join(Ronde, Respondent.ronde_id == Ronde.id)
        .join(Gemeente, Ronde.gemeente_id == Gemeente.id)
        .where(Ronde.id == ronde_id, Antwoord.score.is_not(None))
    )
    with sessie(engine) as s:
        rijen = [tuple(r) for r in s.execute(vraag).all()]
    rijen.sort(key=lambda r: tuple(_natuurlijk(str(r[i])) for i in (0, 1, 2, 4, 5)))
    return pd.DataFrame(rijen, columns=list(KOLOMMEN), dtype="str")


# ----------------------------------------------------------------- import


class _Importeur:
    """Resolves and inserts one validated uitwisselformaat DataFrame in a session."""

    def __init__(self, s: Session, kader_versies: dict[str, str], door: Gebruiker, bestand: str):
        self.s, self.kader_versies, self.door, self.bestand = s, kader_versies, door, bestand
        self.demo = door.demo  # new gemeenten and rondes are demo exactly when the actor is
        self.meldingen: list[Melding] = []
        self.gemeenten: dict[str, int | None] = {}
        self.rondes: dict[tuple[str, str], Ronde] = {}
        self.respondenten: dict[str, Respondent] = {}
        self.bestaande_antwoorden: set[tuple[int, str, str]] = set()
        self.nieuw = {"gemeenten": 0, "rondes": 0, "respondenten": 0, "antwoorden": 0}

    def fout(self, rij: int | None, kolom: str, tekst: str) -> None:
        self.meldingen.append(Melding(tekst, rij, kolom, self.bestand))

    def gemeente_id(self, rij: int | None, naam: str) -> int | None:
        """The gemeente's id, created when new; None (once, with a melding naming it)
        when it is outside the actor's scope: then the whole file is refused."""
        if naam not in self.gemeenten:
            g = self.s.scalar(select(Gemeente).where(Gemeente.naam == naam))
            try:
                controleer(self.door, "importeren", naam, self.demo if g is None else g.demo)
            except BuitenBereik as e:
                self.fout(rij, "gemeente", f"{e} Niets geïmporteerd.")
                self.gemeenten[naam] = None
                return None
            if g is None:
                g = Gemeente(naam=naam, demo=self.demo)
                self.s.add(g)
                self.s.flush()
                self.nieuw["gemeenten"] += 1
            self.gemeenten[naam] = g.id
        return self.gemeenten[naam]

    def ronde(self, rij: int | None, gemeente: str, label: str, kader_id: str) -> Ronde | None:
        sleutel = (gemeente, label)
        if sleutel not in self.rondes:
            gid = self.gemeente_id(rij, gemeente)
            if gid is None:
                return None
            r = self.s.scalar(select(Ronde).where(Ronde.gemeente_id == gid, Ronde.label == label))
            if r is None:
                r = _nieuwe_ronde(self.s, gid, label, {}, self.s.get(Gemeente, gid).demo)
                self.nieuw["rondes"] += 1
            elif r.status == STATUS_GESLOTEN:
                self.fout(rij, "ronde", f"de ronde '{label}' van {gemeente} is gesloten.")
            self.rondes[sleutel] = r
        r = self.rondes[sleutel]
        if self.s.get(RondeKader, (r.id, kader_id)) is None:
            if kader_id not in self.kader_versies:
                self.fout(rij, "kader", f"van kader '{kader_id}' is geen versie bekend.")
                return None
            self.s.add(RondeKader(ronde_id=r.id, kader_id=kader_id,
                                  kader_versie=str(self.kader_versies[kader_id])))
            self.s.flush()
        return r

    def respondent_id(self, rij: int | None, pseudoniem: str, rol: str, ronde: Ronde) -> int | None:
        if pseudoniem not in self.respondenten:
            r = self.s.scalar(select(Respondent).where(Respondent.pseudoniem == pseudoniem))
            if r is None:
                r = Respondent(ronde_id=ronde.id, pseudoniem=pseudoniem, rol=rol, aangemaakt=nu())
                self.s.add(r)
                self.s.flush()
                self.nieuw["respondenten"] += 1
            else:
                self.bestaande_antwoorden |= {
                    (r.id, k, c) for k, c in self.s.execute(
                        select(Antwoord.kader_id, Antwoord.criterium_id).where(Antwoord.respondent_id == r.id))
                }
            self.respondenten[pseudoniem] = r
        r = self.respondenten[pseudoniem]
        if r.ronde_id != ronde.id:
            self.fout(rij, "respondent", f"respondent '{pseudoniem}' hoort al bij een andere ronde.")
            return None
        if r.rol != rol:
            self.fout(rij, "rol", f"respondent '{pseudoniem}' heeft al de rol '{r.rol}'.")
            return None
        return r.id

    def rij(self, rij: int | None, w: dict[str, str]) -> dict | None:
        """The antwoord values for one row, or None after recording a melding."""
        for kolom in ("gemeente", "ronde", "respondent", "rol", "kader", "criterium", "score"):
            teken = verboden_teken(w[kolom])
            if teken is not None:  # lees_csv refuses these too; a DataFrame may come from elsewhere
                self.fout(rij, kolom, f"deze cel bevat een teken dat daar niet mag: {teken}.")
                return None
        if len(w["toelichting"]) > MAX_TOELICHTING:
            self.fout(rij, "toelichting", (
                f"de toelichting is {len(w['toelichting'])} tekens lang; in de vragenlijst kan dat "
                f"hoogstens {MAX_TOELICHTING}. Kort hem in."))
            return None
        r = self.ronde(rij, w["gemeente"], w["ronde"], w["kader"])
        if r is None:
            return None
        rid = self.respondent_id(rij, w["respondent"], w["rol"], r)
        if rid is None:
            return None
        sleutel = (rid, w["kader"], w["criterium"])
        if sleutel in self.bestaande_antwoorden:
            self.fout(rij, "criterium", (
                f"respondent '{w['respondent']}' heeft criterium '{w['criterium']}' van kader "
                f"'{w['kader']}' al beantwoord (in de database of eerder in dit bestand)."))
            return None
        self.bestaande_antwoorden.add(sleutel)
        return dict(respondent_id=rid, kader_id=w["kader"], criterium_id=w["criterium"],
                    score=w["score"] or None, toelichting=w["toelichting"] or "")


def _cel(waarde) -> str:
    return "" if waarde is None or (isinstance(waarde, float) and waarde != waarde) else str(waarde)


def importeer_antwoorden(
    engine: Engine,
    df: pd.DataFrame,
    kader_versies: dict[str, str],
    bestand: str = "",
    *,
    door: Gebruiker,
) -> ImportResultaat:
    """Insert a validated uitwisselformaat DataFrame (see ``lees_csv``), all or nothing.

    Every gemeente in the file must be in the scope of ``door`` (the acting staff
    member): a demo account only writes into demo gemeenten, a facilitator only into
    their own. One gemeente outside it refuses the whole file, naming that gemeente.

    Gemeenten and rondes are matched by name/label and created when missing
    (new rondes are pinned to ``kader_versies``); respondents are matched by
    the pseudonym in the file. Refused, with nothing written, when a ronde is
    closed, a pseudonym belongs to another ronde or rol, or an answer already
    exists. Raises UitwisselFout with row numbers when the DataFrame index is
    the ``rij`` index from ``lees_csv``.
    """
    ontbrekend = [k for k in KOLOMMEN if k not in df.columns]
    if ontbrekend:
        raise ValueError(f"Kolommen ontbreken: {', '.join(ontbrekend)}.")
    rijnummers = df.index if df.index.name == "rij" else [None] * len(df)
    records = [
        (rij, {k: _cel(v) for k, v in zip(KOLOMMEN, waarden)})
        for rij, waarden in zip(rijnummers, df[list(KOLOMMEN)].itertuples(index=False, name=None))
    ]

    def actie() -> ImportResultaat:
        with sessie(engine, schrijven=True) as s:
            imp = _Importeur(s, kader_versies, door, bestand)
            moment = nu()
            nieuw = [w for rij, r in records if (w := imp.rij(rij, r)) is not None]
            if imp.meldingen:
                raise UitwisselFout(imp.meldingen[:20], len(imp.meldingen))
            if nieuw:
                s.execute(insert(Antwoord), [{**w, "bijgewerkt": moment} for w in nieuw])
                s.execute(insert(AntwoordWijziging), [{**w, "tijdstip": moment} for w in nieuw])
            imp.nieuw["antwoorden"] = len(nieuw)
            return ImportResultaat(**imp.nieuw)

    return met_herhaling(actie)


# ----------------------------------------------------------------- invitations


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
        u.id, u.ronde_id, u.rol, r.gemeente_id, gemeente, r.label, r.status, _utc(u.aangemaakt),
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
    schoon = _schone_rollen(rollen)
    if not schoon:
        raise ValueError("Kies ten minste één rol om uit te nodigen.")
    max_deelnemers = _schoon_maximum(max_deelnemers)

    def actie() -> dict[str, str]:
        with sessie(engine, schrijven=True) as s:
            controleer_ronde(s, door, "ronde_beheren", ronde_id)
            # FOR UPDATE: concurrent calls for this ronde queue, so at most one
            # code per rol stays active.
            r = _open_ronde(s, ronde_id, "er kunnen geen uitnodigingen meer worden gemaakt",
                            exclusief=True)
            for rol in schoon:
                _controleer_rol(s, r, rol)
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

    return _met_nieuwe_trekking(actie)


def trek_uitnodigingen_in(
    engine: Engine, ronde_id: int, rollen: list[str] | None = None, *, door: Gebruiker
) -> int:
    """Revoke the active invitation codes of a ronde (all, or only of ``rollen``).
    Returns how many were revoked. Respondents who already joined keep working."""
    schoon = _schone_rollen(rollen) if rollen is not None else None

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
    organisatie = _schone_organisatie(organisatie)
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
            _open_ronde(s, ronde_id, "aanmelden is niet meer mogelijk")
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
            return _voeg_respondent_toe(s, ronde_id, rol, organisatie)

    return _met_nieuwe_trekking(actie)


# ----------------------------------------------------------------- workshop


def zet_fase(
    engine: Engine,
    ronde_id: int,
    fase: str,
    kader_id: str | None = None,
    criterium_id: str | None = None,
    *,
    door: Gebruiker,
) -> None:
    """Set the workshop phase of an open ronde and the criterium in focus.

    ``fase`` is 'stil_scoren', 'onthullen' or 'consensus' (any order is
    allowed: a facilitator may go back). ``kader_id`` must be pinned to the
    ronde; ``criterium_id`` needs a ``kader_id``. Both None clears the focus.
    """
    if fase not in FASES:
        raise ValueError(f"Onbekende fase '{fase}'; kies uit {', '.join(FASES)}.")
    kader_id = _schoon_id(kader_id, "kader") if kader_id not in (None, "") else None
    criterium_id = (
        _schoon_id(criterium_id, "criterium") if criterium_id not in (None, "") else None
    )
    if criterium_id is not None and kader_id is None:
        raise ValueError("Kies bij een criterium ook het kader.")

    def actie() -> None:
        with sessie(engine, schrijven=True) as s:
            controleer_ronde(s, door, "workshop", ronde_id)
            r = _open_ronde(s, ronde_id, "de fase kan niet meer worden gewijzigd", exclusief=True)
            if kader_id is not None and s.get(RondeKader, (ronde_id, kader_id)) is None:
                raise ValueError(f"Kader '{kader_id}' hoort niet bij deze ronde.")
            r.fase, r.huidig_kader, r.huidig_criterium = fase, kader_id, criterium_id

    met_herhaling(actie)


def aantallen_per_rol(engine: Engine, ronde_id: int) -> dict[str, tuple[int, int]]:
    """Per rol: (gestart, met_antwoord) - respondents registered, and those with
    at least one scored answer (weet_niet/nvt count; a toelichting alone does not).
    Invited roles without respondents are included as (0, 0). Sorted by rol."""
    with sessie(engine) as s:
        gestart = dict(s.execute(
            select(Respondent.rol, func.count(Respondent.id))
            .where(Respondent.ronde_id == ronde_id)
            .group_by(Respondent.rol)
        ).all())
        met_antwoord = dict(s.execute(
            select(Respondent.rol, func.count(func.distinct(Respondent.id)))
            .join(Antwoord, Antwoord.respondent_id == Respondent.id)
            .where(Respondent.ronde_id == ronde_id, Antwoord.score.is_not(None))
            .group_by(Respondent.rol)
        ).all())
        uitgenodigd = set(s.scalars(select(RondeRol.rol).where(RondeRol.ronde_id == ronde_id)))
    return {
        rol: (gestart.get(rol, 0), met_antwoord.get(rol, 0))
        for rol in sorted(uitgenodigd | set(gestart))
    }


def voortgang_per_criterium(engine: Engine, ronde_id: int) -> dict[tuple[str, str], int]:
    """(kader_id, criterium_id) -> how many respondents have a score for it
    (weet_niet/nvt included). Counts only, never values; criteria nobody
    scored yet are absent."""
    with sessie(engine) as s:
        rijen = s.execute(
            select(Antwoord.kader_id, Antwoord.criterium_id, func.count(Antwoord.id))
            .join(Respondent, Antwoord.respondent_id == Respondent.id)
            .where(Respondent.ronde_id == ronde_id, Antwoord.score.is_not(None))
            .group_by(Antwoord.kader_id, Antwoord.criterium_id)
        ).all()
    return {(k, c): n for k, c, n in rijen}


# ----------------------------------------------------------------- consensus


def bewaar_consensus(
    engine: Engine,
    ronde_id: int,
    kader_id: str,
    criterium_id: str,
    score: str,
    motivatie: str,
    *,
    door: Gebruiker,
) -> None:
    """Save the group's agreed score for a criterium and append to its audit trail.

    ``score`` like answers: a scale value ('3'), 'weet_niet' or 'nvt'. ValueError
    (Dutch) for a bad score, a kader not pinned to the ronde or a closed ronde.
    """
    score = _controleer_score(score)
    if score is None:
        raise ValueError("Kies een score voor de consensus.")
    kader_id = _schoon_id(kader_id, "kader")
    criterium_id = _schoon_id(criterium_id, "criterium")
    waarden = dict(ronde_id=ronde_id, kader_id=kader_id, criterium_id=criterium_id,
                   score=score, motivatie=schone_tekst(motivatie, MAX_MOTIVATIE))

    def actie() -> None:
        with sessie(engine, schrijven=True) as s:
            controleer_ronde(s, door, "workshop", ronde_id)
            _open_ronde(s, ronde_id, "de consensus kan niet meer worden gewijzigd")
            if s.get(RondeKader, (ronde_id, kader_id)) is None:
                raise ValueError(f"Kader '{kader_id}' hoort niet bij deze ronde.")
            moment = nu()
            _upsert(s, Consensus, ("ronde_id", "kader_id", "criterium_id"),
                    {**waarden, "bijgewerkt": moment})
            s.add(ConsensusWijziging(**waarden, tijdstip=moment))

    met_herhaling(actie)


def consensus_van(
    engine: Engine, ronde_id: int
) -> dict[tuple[str, str], tuple[str, str, datetime]]:
    """Current consensus of a ronde: (kader_id, criterium_id) -> (score, motivatie, bijgewerkt)."""
    with sessie(engine) as s:
        rijen = s.scalars(select(Consensus).where(Consensus.ronde_id == ronde_id))
        return {
            (c.kader_id, c.criterium_id): (c.score, c.motivatie, _utc(c.bijgewerkt)) for c in rijen
        }


def consensus_wijzigingen(engine: Engine, ronde_id: int) -> list[ConsensusWijzigingInfo]:
    """The consensus audit trail of a ronde, oldest first."""
    with sessie(engine) as s:
        rijen = s.scalars(
            select(ConsensusWijziging)
            .where(ConsensusWijziging.ronde_id == ronde_id)
            .order_by(ConsensusWijziging.id)
        )
        return [
            ConsensusWijzigingInfo(w.kader_id, w.criterium_id, w.score, w.motivatie, _utc(w.tijdstip))
            for w in rijen
        ]


def consensus_df(engine: Engine, ronde_id: int) -> pd.DataFrame:
    """The consensus of a ronde as strings in columns CONSENSUS_KOLOMMEN
    (gemeente, ronde, kader, criterium, score, motivatie), sorted by kader and
    criterium (numbers inside ids in numeric order)."""
    vraag = (
        select(Gemeente.naam, Ronde.label, Consensus.kader_id, Consensus.criterium_id,
               Consensus.score, Consensus.motivatie)
        .join(Ronde, Consensus.ronde_id == Ronde.id)
        .join(Gemeente, Ronde.gemeente_id == Gemeente.id)
        .where(Ronde.id == ronde_id)
    )
    with sessie(engine) as s:
        rijen = [tuple(r) for r in s.execute(vraag).all()]
    rijen.sort(key=lambda r: (_natuurlijk(r[2]), _natuurlijk(r[3])))
    return pd.DataFrame(rijen, columns=list(CONSENSUS_KOLOMMEN), dtype="str")


# ----------------------------------------------------------------- verbeterplan


@dataclass(frozen=True)
class ActieInfo:
    """One action of the verbeterplan of a ronde (current state)."""

    id: int
    ronde_id: int
    kader_id: str
    criterium_id: str | None
    bron_actie_id: str | None
    wat: str
    eigenaar: str
    deadline: date | None
    meting: str
    status: str
    effect: str
    overgenomen_van: int | None
    aangemaakt: datetime
    bijgewerkt: datetime


@dataclass(frozen=True)
class ActieWijzigingInfo:
    """One save of an action (audit trail): a full snapshot of its fields.

    ``gebeurtenis`` is 'aangemaakt', 'gewijzigd', 'overgenomen' or 'verwijderd'.
    """

    actie_id: int
    ronde_id: int
    gebeurtenis: str
    kader_id: str
    criterium_id: str | None
    bron_actie_id: str | None
    wat: str
    eigenaar: str
    deadline: date | None
    meting: str
    status: str
    effect: str
    overgenomen_van: int | None
    tijdstip: datetime


# The fields of an action that are copied into each audit snapshot.
_ACTIE_SNAPSHOT = (
    "kader_id", "criterium_id", "bron_actie_id", "wat", "eigenaar", "deadline", "meting",
    "status", "effect", "overgenomen_van",
)
# What wijzig_actie may change.
ACTIE_WIJZIGBAAR = ("kader_id", "criterium_id", "wat", "eigenaar", "deadline", "meting",
                    "status", "effect")
MAX_EIGENAAR = 200
_PLAN_GESLOTEN = "het verbeterplan kan niet meer worden gewijzigd"


def _actie_info(a: Verbeteractie) -> ActieInfo:
    return ActieInfo(
        a.id, a.ronde_id, a.kader_id, a.criterium_id, a.bron_actie_id, a.wat, a.eigenaar,
        a.deadline, a.meting, a.status, a.effect, a.overgenomen_van,
        _utc(a.aangemaakt), _utc(a.bijgewerkt),
    )


def _actie_wijziging_info(w: VerbeteractieWijziging) -> ActieWijzigingInfo:
    return ActieWijzigingInfo(
        w.actie_id, w.ronde_id, w.gebeurtenis, w.kader_id, w.criterium_id, w.bron_actie_id,
        w.wat, w.eigenaar, w.deadline, w.meting, w.status, w.effect, w.overgenomen_van,
        _utc(w.tijdstip),
    )


def _log_actie(s: Session, a: Verbeteractie, gebeurtenis: str, moment: datetime) -> None:
    """Append the audit snapshot of ``a`` (which must have an id: flush first)."""
    s.add(VerbeteractieWijziging(
        ronde_id=a.ronde_id, actie_id=a.id, gebeurtenis=gebeurtenis, tijdstip=moment,
        **{k: getattr(a, k) for k in _ACTIE_SNAPSHOT},
    ))


def _schone_actievelden(velden: dict[str, Any]) -> dict[str, Any]:
    """Validated and normalised action fields; ValueError (Dutch) for bad ones."""
    onbekend = sorted(set(velden) - set(ACTIE_WIJZIGBAAR))
    if onbekend:
        raise ValueError(
            f"Onbekend veld voor een actie: {', '.join(onbekend)}; "
            f"kies uit {', '.join(ACTIE_WIJZIGBAAR)}."
        )
    schoon: dict[str, Any] = {}
    for k, v in velden.items():
        if k == "kader_id":
            schoon[k] = _schoon_id(v, "kader")
        elif k == "criterium_id":
            schoon[k] = _schoon_id(v, "criterium") if v not in (None, "") else None
        elif k == "wat":
            v = schone_tekst(str(v or "")).strip()
            if not v:
                raise ValueError("Beschrijf wat er gaat gebeuren.")
            schoon[k] = v
        elif k == "eigenaar":
            v = schone_tekst(str(v or "")).strip()
            if len(v) > MAX_EIGENAAR:
                raise ValueError(f"De eigenaar mag maximaal {MAX_EIGENAAR} tekens hebben.")
            schoon[k] = v
        elif k == "deadline":
            schoon[k] = _schone_deadline(v)
        elif k == "status":
            v = str(v or "").strip().lower()
            if v not in ACTIE_STATUSSEN:
                raise ValueError(
                    f"Onbekende status '{v}'; kies uit {', '.join(ACTIE_STATUSSEN)}."
                )
            schoon[k] = v
        else:  # meting, effect
            schoon[k] = schone_tekst(str(v or "")).strip()
    return schoon


def _schone_deadline(waarde) -> date | None:
    if waarde in (None, ""):
        return None
    if isinstance(waarde, datetime):
        return waarde.date()
    if isinstance(waarde, date):
        return waarde
    try:
        return date.fromisoformat(str(waarde).strip())
    except ValueError:
        raise ValueError(f"'{waarde}' is geen geldige datum (gebruik JJJJ-MM-DD).") from None


def _schone_bron_actie(bron_actie_id: str | None) -> str | None:
    bron_actie_id = (bron_actie_id or "").strip()
    if len(bron_actie_id) > MAX_ID:
        raise ValueError(f"De code van de bronactie is te lang (maximaal {MAX_ID} tekens).")
    return bron_actie_id or None


def _controleer_kader(s: Session, ronde_id: int, kader_id: str) -> None:
    if s.get(RondeKader, (ronde_id, kader_id)) is None:
        raise ValueError(f"Kader '{kader_id}' hoort niet bij deze ronde.")


def maak_actie(
    engine: Engine,
    ronde_id: int,
    kader_id: str,
    criterium_id: str | None,
    wat: str,
    eigenaar: str = "",
    deadline: date | str | None = None,
    meting: str = "",
    bron_actie_id: str | None = None,
    *,
    door: Gebruiker,
) -> ActieInfo:
    """Add an action (status 'gepland') to the verbeterplan of an open ronde.

    ``kader_id`` must be pinned to the ronde; ``criterium_id`` may be None for an
    action about the kader as a whole. ``bron_actie_id`` is the id in the action
    library when the action came from a suggestion. ``deadline`` is a date or
    'JJJJ-MM-DD'. Writes the first audit row ('aangemaakt').
    """
    velden = _schone_actievelden(dict(
        kader_id=kader_id, criterium_id=criterium_id, wat=wat, eigenaar=eigenaar,
        deadline=deadline, meting=meting,
    ))
    velden["bron_actie_id"] = _schone_bron_actie(bron_actie_id)

    def actie() -> ActieInfo:
        with sessie(engine, schrijven=True) as s:
            controleer_ronde(s, door, "ronde_beheren", ronde_id)
            _open_ronde(s, ronde_id, _PLAN_GESLOTEN)
            _controleer_kader(s, ronde_id, velden["kader_id"])
            moment = nu()
            a = Verbeteractie(ronde_id=ronde_id, status=ACTIE_GEPLAND, effect="",
                              aangemaakt=moment, bijgewerkt=moment, **velden)
            s.add(a)
            s.flush()
            _log_actie(s, a, "aangemaakt", moment)
            return _actie_info(a)

    return met_herhaling(actie)


def _actie_in_open_ronde(s: Session, actie_id: int, door: Gebruiker) -> Verbeteractie:
    a = s.get(Verbeteractie, actie_id)
    if a is None:
        raise ValueError("Deze actie bestaat niet (meer).")
    controleer_ronde(s, door, "ronde_beheren", a.ronde_id)
    _open_ronde(s, a.ronde_id, _PLAN_GESLOTEN)
    return a


def wijzig_actie(engine: Engine, actie_id: int, *, door: Gebruiker, **velden) -> ActieInfo:
    """Change fields of an action (any of ACTIE_WIJZIGBAAR: kader_id,
    criterium_id, wat, eigenaar, deadline, meting, status, effect) and append
    a full snapshot to its audit trail ('gewijzigd'), also when nothing changed.

    ``status`` is 'gepland', 'bezig', 'gerealiseerd' or 'gestopt'. ValueError
    (Dutch) for an unknown action or field, a bad value or a closed ronde.
    """
    schoon = _schone_actievelden(velden)

    def actie() -> ActieInfo:
        with sessie(engine, schrijven=True) as s:
            a = _actie_in_open_ronde(s, actie_id, door)
            if "kader_id" in schoon:
                _controleer_kader(s, a.ronde_id, schoon["kader_id"])
            moment = nu()
            for k, v in schoon.items():
                setattr(a, k, v)
            a.bijgewerkt = moment
            s.flush()
            _log_actie(s, a, "gewijzigd", moment)
            return _actie_info(a)

    return met_herhaling(actie)


def verwijder_actie(engine: Engine, actie_id: int, *, door: Gebruiker) -> None:
    """Delete an action from the verbeterplan of an open ronde. Its audit trail
    stays, ending with a 'verwijderd' snapshot; it goes when the ronde is deleted."""
    def actie() -> None:
        with sessie(engine, schrijven=True) as s:
            a = _actie_in_open_ronde(s, actie_id, door)
            _log_actie(s, a, "verwijderd", nu())
            s.delete(a)

    met_herhaling(actie)


def acties_van(engine: Engine, ronde_id: int) -> list[ActieInfo]:
    """The verbeterplan of a ronde, in the order the actions were added."""
    with sessie(engine) as s:
        rijen = s.scalars(
            select(Verbeteractie).where(Verbeteractie.ronde_id == ronde_id)
            .order_by(Verbeteractie.id)
        )
        return [_actie_info(a) for a in rijen]


def actie_wijzigingen(engine: Engine, actie_id: int) -> list[ActieWijzigingInfo]:
    """The audit trail of one action, oldest first (also after it was deleted)."""
    with sessie(engine) as s:
        rijen = s.scalars(
            select(VerbeteractieWijziging)
            .where(VerbeteractieWijziging.actie_id == actie_id)
            .order_by(VerbeteractieWijziging.id)
        )
        return [_actie_wijziging_info(w) for w in rijen]


def _vorige_ronde_id(s: Session, ronde_id: int) -> int | None:
    r = s.get(Ronde, ronde_id)
    if r is None:
        raise ValueError("Deze ronde bestaat niet (meer).")
    volgorde = s.execute(
        select(Ronde.id, Ronde.aangemaakt).where(Ronde.gemeente_id == r.gemeente_id)
    ).all()
    eerder = [
        (_utc(t), rid) for rid, t in volgorde if (_utc(t), rid) < (_utc(r.aangemaakt), r.id)
    ]
    return max(eerder)[1] if eerder else None


def vorige_ronde(engine: Engine, ronde_id: int) -> RondeInfo | None:
    """The most recent earlier ronde of the same gemeente (by aangemaakt, then
    id), or None for the first ronde. ValueError when the ronde does not exist."""
    with sessie(engine) as s:
        vorige = _vorige_ronde_id(s, ronde_id)
        return _ronde_infos(s, vorige)[0] if vorige is not None else None


def voortgang_acties(engine: Engine, ronde_id: int) -> list[ActieInfo]:
    """Last ronde's actions as they stand now: each action of the previous ronde, with
    the status and effect recorded on its copy in this ronde (see `neem_acties_over`)
    where there is one. Empty for a first ronde."""
    vorige = vorige_ronde(engine, ronde_id)
    if vorige is None:
        return []
    kopie = {a.overgenomen_van: a for a in acties_van(engine, ronde_id) if a.overgenomen_van}
    return [replace(a, status=kopie[a.id].status, effect=kopie[a.id].effect) if a.id in kopie else a
            for a in acties_van(engine, vorige.id)]


def neem_acties_over(engine: Engine, ronde_id: int, *, door: Gebruiker) -> int:
    """Copy the actions of the previous ronde (see :func:`vorige_ronde`) into
    this ronde; returns how many were copied.

    Each copy keeps kader, criterium, bron, text, eigenaar, deadline, meting,
    status and effect, points to its original with ``overgenomen_van`` and gets
    an audit row ('overgenomen'). Idempotent: an action already copied, also one
    copied and later deleted here, is not copied again; actions added to the
    previous ronde afterwards are. A closed ronde, or one without a previous
    ronde, gets nothing (returns 0): safe to call whenever a ronde is opened.
    """
    def actie() -> int:
        with sessie(engine, schrijven=True) as s:
            controleer_ronde(s, door, "ronde_beheren", ronde_id)
            # FOR UPDATE: concurrent callers for this ronde queue here.
            r = s.get(Ronde, ronde_id, with_for_update=True)
            if r is None:
                raise ValueError("Deze ronde bestaat niet (meer).")
            if r.status == STATUS_GESLOTEN:
                return 0
            vorige = _vorige_ronde_id(s, ronde_id)
            if vorige is None:
                return 0
            al_gedaan = set(s.scalars(
                select(VerbeteractieWijziging.overgenomen_van).where(
                    VerbeteractieWijziging.ronde_id == ronde_id,
                    VerbeteractieWijziging.overgenomen_van.is_not(None),
                )
            ))
            originelen = [
                a for a in s.scalars(
                    select(Verbeteractie).where(Verbeteractie.ronde_id == vorige)
                    .order_by(Verbeteractie.id)
                )
                if a.id not in al_gedaan
            ]
            moment = nu()
            kopieen = [
                Verbeteractie(
                    ronde_id=ronde_id, aangemaakt=moment, bijgewerkt=moment,
                    **{k: getattr(a, k) for k in _ACTIE_SNAPSHOT if k != "overgenomen_van"},
                    overgenomen_van=a.id,
                )
                for a in originelen
            ]
            s.add_all(kopieen)
            s.flush()
            for k in kopieen:
                _log_actie(s, k, "overgenomen", moment)
            return len(kopieen)

    return met_herhaling(actie)


def _actie_dict(a, tijd: str) -> dict:
    d = {k: getattr(a, k) for k in _ACTIE_SNAPSHOT}
    d["deadline"] = a.deadline.isoformat() if a.deadline else None
    d[tijd] = _iso(getattr(a, tijd))
    return d


# ----------------------------------------------------------------- privacy (AVG)


def verwijder_ronde(engine: Engine, ronde_id: int, *, door: Gebruiker) -> int:
    """Delete a ronde and everything below it for good: pinned kaders, invited
    roles, invitations, respondents, answers and their audit trail, consensus and
    its audit trail, the verbeterplan and its audit trail. Returns the number of rows deleted (the ronde included).

    Rows are deleted explicitly bottom-up (not only by cascade), so nothing
    survives even on a connection without foreign keys. On SQLite deleted
    content is overwritten (secure_delete) and the WAL is checkpointed and
    truncated afterwards (best effort: a long-running reader can delay that).
    """
    def actie() -> int:
        with sessie(engine, schrijven=True) as s:
            controleer_ronde(s, door, "verwijderen", ronde_id)
            s.get(Ronde, ronde_id, with_for_update=True)
            respondenten = select(Respondent.id).where(Respondent.ronde_id == ronde_id)
            opdrachten = [
                delete(AntwoordWijziging).where(AntwoordWijziging.respondent_id.in_(respondenten)),
                delete(Antwoord).where(Antwoord.respondent_id.in_(respondenten)),
                delete(Respondent).where(Respondent.ronde_id == ronde_id),
                delete(Uitnodiging).where(Uitnodiging.ronde_id == ronde_id),
                delete(ConsensusWijziging).where(ConsensusWijziging.ronde_id == ronde_id),
                delete(Consensus).where(Consensus.ronde_id == ronde_id),
                delete(VerbeteractieWijziging).where(VerbeteractieWijziging.ronde_id == ronde_id),
                delete(Verbeteractie).where(Verbeteractie.ronde_id == ronde_id),
                delete(RondeRol).where(RondeRol.ronde_id == ronde_id),
                delete(RondeKader).where(RondeKader.ronde_id == ronde_id),
                delete(Ronde).where(Ronde.id == ronde_id),
            ]
            return sum(
                s.execute(o.execution_options(synchronize_session=False)).rowcount
                for o in opdrachten
            )

    aantal = met_herhaling(actie)
    sqlite_checkpoint(engine)
    return aantal


def exporteer_gemeente(engine: Engine, gemeente_id: int) -> dict:
    """Everything stored about a gemeente, as a JSON-serialisable dict (ISO 8601
    timestamps in UTC), for an AVG access request or a move to another system.

    Contains the gemeente, its regio and every ronde with pinned kader versions,
    invited roles, workshop phase, invitations (rol, aangemaakt, ingetrokken),
    respondents (pseudoniem, rol, organisatie, aangemaakt) with their current
    answers and full audit trail, the consensus with its audit trail, and the
    verbeterplan ("verbeterplan": actions with their id, so ``overgenomen_van``
    can be followed) with its audit trail ("verbeterplan_wijzigingen"). Never
    contains code or resume-code hashes. ValueError when the gemeente is unknown.
    """
    with sessie(engine) as s:
        rij = s.execute(
            select(Gemeente, Regio.naam).outerjoin(Regio).where(Gemeente.id == gemeente_id)
        ).first()
        if rij is None:
            raise ValueError("Deze gemeente bestaat niet (meer).")
        g, regio = rij
        rondes_ = s.scalars(
            select(Ronde).where(Ronde.gemeente_id == gemeente_id).order_by(Ronde.aangemaakt, Ronde.id)
        ).all()
        return {
            "formaat": EXPORT_FORMAAT,
            "versie": EXPORT_VERSIE,
            "geexporteerd": _iso(nu()),
            "gemeente": {"naam": g.naam, "demo": g.demo},
            "regio": regio,
            "rondes": [_ronde_export(s, r) for r in rondes_],
        }


def _ronde_export(s: Session, r: Ronde) -> dict:
    def alle(model, *waar, volgorde):
        return s.scalars(select(model).where(*waar).order_by(*volgorde)).all()

    antwoorden: dict[int, list[dict]] = {}
    for a in alle(Antwoord, Antwoord.respondent_id == Respondent.id, Respondent.ronde_id == r.id,
                  volgorde=(Antwoord.respondent_id, Antwoord.kader_id, Antwoord.criterium_id)):
        antwoorden.setdefault(a.respondent_id, []).append({
            "kader": a.kader_id, "criterium": a.criterium_id, "score": a.score,
            "toelichting": a.toelichting, "bijgewerkt": _iso(a.bijgewerkt),
        })
    wijzigingen: dict[int, list[dict]] = {}
    for w in alle(AntwoordWijziging, AntwoordWijziging.respondent_id == Respondent.id,
                  Respondent.ronde_id == r.id, volgorde=(AntwoordWijziging.id,)):
        wijzigingen.setdefault(w.respondent_id, []).append({
            "kader": w.kader_id, "criterium": w.criterium_id, "score": w.score,
            "toelichting": w.toelichting, "tijdstip": _iso(w.tijdstip),
        })
    return {
        "label": r.label,
        "status": r.status,
        "demo": r.demo,
        "aangemaakt": _iso(r.aangemaakt),
        "fase": r.fase,
        "huidig_kader": r.huidig_kader,
        "huidig_criterium": r.huidig_criterium,
        "kader_versies": {
            k.kader_id: k.kader_versie
            for k in alle(RondeKader, RondeKader.ronde_id == r.id, volgorde=(RondeKader.kader_id,))
        },
        "rollen": [x.rol for x in alle(RondeRol, RondeRol.ronde_id == r.id, volgorde=(RondeRol.rol,))],
        "uitnodigingen": [
            {"rol": u.rol, "aangemaakt": _iso(u.aangemaakt), "ingetrokken": u.ingetrokken,
             "max_deelnemers": u.max_deelnemers, "deelnemers": u.deelnemers}
            for u in alle(Uitnodiging, Uitnodiging.ronde_id == r.id, volgorde=(Uitnodiging.id,))
        ],
        "respondenten": [
            {
                "pseudoniem": p.pseudoniem, "rol": p.rol, "organisatie": p.organisatie,
                "aangemaakt": _iso(p.aangemaakt),
                "antwoorden": antwoorden.get(p.id, []),
                "wijzigingen": wijzigingen.get(p.id, []),
            }
            for p in alle(Respondent, Respondent.ronde_id == r.id, volgorde=(Respondent.id,))
        ],
        "consensus": [
            {"kader": c.kader_id, "criterium": c.criterium_id, "score": c.score,
             "motivatie": c.motivatie, "bijgewerkt": _iso(c.bijgewerkt)}
            for c in alle(Consensus, Consensus.ronde_id == r.id,
                          volgorde=(Consensus.kader_id, Consensus.criterium_id))
        ],
        "consensus_wijzigingen": [
            {"kader": w.kader_id, "criterium": w.criterium_id, "score": w.score,
             "motivatie": w.motivatie, "tijdstip": _iso(w.tijdstip)}
            for w in alle(ConsensusWijziging, ConsensusWijziging.ronde_id == r.id,
                          volgorde=(ConsensusWijziging.id,))
        ],
        "verbeterplan": [
            {"id": a.id, **_actie_dict(a, "aangemaakt"), "bijgewerkt": _iso(a.bijgewerkt)}
            for a in alle(Verbeteractie, Verbeteractie.ronde_id == r.id, volgorde=(Verbeteractie.id,))
        ],
        "verbeterplan_wijzigingen": [
            {"actie_id": w.actie_id, "gebeurtenis": w.gebeurtenis, **_actie_dict(w, "tijdstip")}
            for w in alle(VerbeteractieWijziging, VerbeteractieWijziging.ronde_id == r.id,
                          volgorde=(VerbeteractieWijziging.id,))
        ],
    }


# ----------------------------------------------------------------- rate limiting


def _poging_sleutel(sleutel: str) -> str:
    """What is stored: a keyed hash (HMAC with the server secret) of the caller's key,
    which may hold an IP address or account name; an unkeyed hash of an IPv4
    address would be reversed by trying all 2**32."""
    return _geheim.sleutel_hash(hashlib.sha256(str(sleutel).encode("utf-8")).hexdigest())


def registreer_poging(engine: Engine, sleutel: str, gelukt: bool) -> None:
    """Record one attempt (e.g. sleutel 'code:<ip>' or 'inlog:<account>').

    The table is shared by all app processes on the same database, so the limit
    holds across replicas. Now and then (probability POGING_OPRUIMKANS) attempts
    older than POGING_BEWAARTERMIJN are deleted.
    """
    rij = dict(sleutel=_poging_sleutel(sleutel), gelukt=bool(gelukt))

    def actie() -> None:
        with sessie(engine, schrijven=True) as s:
            s.add(Poging(**rij, tijdstip=nu()))

    met_herhaling(actie)
    if random.random() < POGING_OPRUIMKANS:
        ruim_pogingen_op(engine)


def te_veel_pogingen(
    engine: Engine, sleutel: str, maximum: int = 10, venster_seconden: int = 300
) -> bool:
    """True when ``sleutel`` had at least ``maximum`` FAILED attempts in the last
    ``venster_seconden`` seconds. Check before an attempt, register after it.

    Check and registration are separate transactions, so a burst of concurrent
    attempts may exceed ``maximum`` by at most the number of concurrent callers.
    """
    if not 0 < venster_seconden <= POGING_BEWAARTERMIJN.total_seconds():
        raise ValueError(
            f"Het venster moet tussen 0 en {int(POGING_BEWAARTERMIJN.total_seconds())} seconden liggen."
        )
    grens = nu() - timedelta(seconds=venster_seconden)
    with sessie(engine) as s:
        mislukt = s.scalar(
            select(func.count(Poging.id)).where(
                Poging.sleutel == _poging_sleutel(sleutel),
                Poging.tijdstip >= grens,
                Poging.gelukt.is_(False),
            )
        )
    return mislukt >= maximum


def gelukte_poging(engine: Engine, sleutel: str, venster_seconden: int) -> bool:
    """True when ``sleutel`` had a SUCCESSFUL attempt in the last ``venster_seconden``
    seconds (at most POGING_BEWAARTERMIJN: older attempts are cleaned up)."""
    grens = nu() - timedelta(seconds=venster_seconden)
    with sessie(engine) as s:
        return s.scalar(
            select(Poging.id).where(
                Poging.sleutel == _poging_sleutel(sleutel), Poging.tijdstip >= grens, Poging.gelukt.is_(True)
            ).limit(1)
        ) is not None


def ruim_pogingen_op(engine: Engine, ouder_dan: timedelta = POGING_BEWAARTERMIJN) -> int:
    """Delete attempts older than ``ouder_dan``; returns how many."""
    grens = nu() - ouder_dan

    def actie() -> int:
        with sessie(engine, schrijven=True) as s:
            return s.execute(
                delete(Poging).where(Poging.tijdstip < grens)
                .execution_options(synchronize_session=False)
            ).rowcount

    return met_herhaling(actie)
