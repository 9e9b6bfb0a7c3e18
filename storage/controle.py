"""Checks shared by several storage modules: cleaning ids, names and roles from
callers, checking a score, and locking an open ronde.

Errors are ``ValueError`` with a Dutch message for the user. Scope checks (who may
write where) are not here but in :mod:`storage.bereik`.

Locking: writers that depend on a ronde being open read that ronde row with
:func:`open_ronde`, ``FOR SHARE`` (PostgreSQL; SQLite serialises all writers
anyway), so closing a ronde waits for saves in flight and saves after it see the
closed status.
"""
from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from kader.model import GEEN_OORDEEL
from storage.models import Ronde, RondeRol
from uitwisselformaat import schone_tekst, verboden_teken
from uitwisselformaat.waarden import STATUS_GESLOTEN

MAX_ROL = 64
MAX_ORGANISATIE = 80
MAX_ID = 100  # kader_id / criterium_id columns


def schone_rollen(rollen) -> tuple[str, ...]:
    """Stripped, without duplicates, in the given order; ValueError for bad ones."""
    if isinstance(rollen, str):
        rollen = [rollen]
    schoon: list[str] = []
    for rol in rollen or ():
        rol = geen_verboden_teken(str(rol).strip(), "de rol")
        if not rol:
            raise ValueError("Een rol mag niet leeg zijn.")
        if len(rol) > MAX_ROL:
            raise ValueError(f"De rol '{rol[:20]}…' is te lang (maximaal {MAX_ROL} tekens).")
        if rol not in schoon:
            schoon.append(rol)
    return tuple(schoon)


def geen_verboden_teken(waarde: str, wat: str) -> str:
    """``waarde`` unchanged; ValueError when it holds a control, bidi or other invisible
    character (a name is shown everywhere and must look like what it is)."""
    teken = verboden_teken(waarde)
    if teken is not None:
        raise ValueError(f"{wat[:1].upper()}{wat[1:]} bevat een teken dat daar niet mag: {teken}.")
    return waarde


def schoon_id(waarde: str | None, wat: str) -> str:
    waarde = geen_verboden_teken((waarde or "").strip(), f"de {wat}")
    if not waarde:
        raise ValueError(f"Kies een {wat}.")
    if len(waarde) > MAX_ID:
        raise ValueError(f"De {wat}-code is te lang (maximaal {MAX_ID} tekens).")
    return waarde


def schone_organisatie(organisatie: str | None) -> str | None:
    organisatie = schone_tekst(organisatie).strip()
    if len(organisatie) > MAX_ORGANISATIE:
        raise ValueError(f"De organisatie mag maximaal {MAX_ORGANISATIE} tekens hebben.")
    return organisatie or None


def controleer_rol(s: Session, r: Ronde, rol: str) -> None:
    """When the ronde has invited roles, ``rol`` must be one of them."""
    uitgenodigd = set(s.scalars(select(RondeRol.rol).where(RondeRol.ronde_id == r.id)))
    if uitgenodigd and rol not in uitgenodigd:
        raise ValueError(f"De rol '{rol}' is niet uitgenodigd voor de ronde '{r.label}'.")


def controleer_score(score: str | None) -> str | None:
    if score is None:
        return None
    score = str(score).strip().lower()
    if score in GEEN_OORDEEL or re.fullmatch(r"\d+", score):
        return score
    raise ValueError(f"'{score}' is geen geldige score.")


def open_ronde(
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
    weiger_gesloten(r.status, r.label, gevolg)
    return r


def weiger_gesloten(status: str, label: str, gevolg: str = "antwoorden kunnen niet meer worden gewijzigd") -> None:
    """ValueError (Dutch) when a ronde with this status and label is closed."""
    if status == STATUS_GESLOTEN:
        raise ValueError(f"De ronde '{label}' is gesloten; {gevolg}.")
