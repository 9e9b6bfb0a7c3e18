"""Respondents: registering one (by staff, or practising in a demo ronde), resume
codes ("hervatcodes") and pseudonyms.

A resume code is shown to a respondent once; only a keyed hash is stored,
HMAC-SHA256(server secret, sha256(normalised code)) (storage/geheim.py). The same
hash is used for invitation codes (:mod:`storage.uitnodigingen`). Pseudonyms
identify respondents in exports; no names are stored.
"""
from __future__ import annotations

import re
import secrets

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage import geheim
from storage.bereik import controleer_ronde
from storage.controle import controleer_rol, open_ronde, schone_organisatie
from storage.db import met_herhaling, sessie
from storage.models import Respondent, nu
from storage.records import RespondentInfo, utc
from toegang import Gebruiker

# No 0/O, 1/I/L: codes are typed over from paper or a screen.
HERVAT_ALFABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
HERVAT_LENGTE = 10
PSEUDONIEM_ALFABET = HERVAT_ALFABET.lower()
PSEUDONIEM_LENGTE = 6


def _respondent_info(r: Respondent) -> RespondentInfo:
    return RespondentInfo(
        r.id, r.ronde_id, r.pseudoniem, r.rol, utc(r.aangemaakt), r.organisatie
    )


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
    return geheim.code_hash(normaliseer_hervatcode(code))


def nieuw_pseudoniem() -> str:
    """A random pseudonym like 'r-7k3m9q'."""
    return "r-" + "".join(secrets.choice(PSEUDONIEM_ALFABET) for _ in range(PSEUDONIEM_LENGTE))


def _vrij_pseudoniem(s: Session) -> str:
    while True:
        kandidaat = nieuw_pseudoniem()
        if s.scalar(select(Respondent.id).where(Respondent.pseudoniem == kandidaat)) is None:
            return kandidaat


def voeg_respondent_toe(
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


def met_nieuwe_trekking(actie):
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
    organisatie = schone_organisatie(organisatie)

    def actie() -> tuple[RespondentInfo, str]:
        with sessie(engine, schrijven=True) as s:
            controleer_ronde(s, door, "ronde_beheren", ronde_id)
            r = open_ronde(s, ronde_id, "er kunnen geen deelnemers meer bij")
            controleer_rol(s, r, rol)
            return voeg_respondent_toe(s, ronde_id, rol, organisatie)

    return met_nieuwe_trekking(actie)


def oefen_respondent(engine: Engine, ronde_id: int, rol: str) -> tuple[RespondentInfo, str]:
    """Register an anonymous participant without a code, in an open DEMO ronde only
    (practising). ValueError for a real ronde: there, joining needs an invitation code."""
    rol = rol.strip()
    if not rol:
        raise ValueError("Kies een rol.")

    def actie() -> tuple[RespondentInfo, str]:
        with sessie(engine, schrijven=True) as s:
            r = open_ronde(s, ronde_id, "er kunnen geen deelnemers meer bij")
            if not r.demo:
                raise ValueError("Oefenen kan alleen in een demoronde; voor deze ronde heeft u een "
                                 "uitnodigingscode nodig.")
            controleer_rol(s, r, rol)
            return voeg_respondent_toe(s, ronde_id, rol, None)

    return met_nieuwe_trekking(actie)


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
