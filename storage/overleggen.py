"""The inventory of overleggen of a ronde (source 000 Tabel 2.2): per overleg its naam,
how often it meets, the rol of its chair, the rollen taking part and which of the seven
netwerk functions (`kader/netwerkfuncties.yaml`) it performs.

No names of people anywhere: the chair is a rol. Every write needs ``door`` and checks
the actor's scope on the ronde's gemeente (actie ``ronde_beheren``: the facilitator of
that gemeente) inside its own transaction, and only while the ronde is open. Bad input
is a ValueError with a Dutch message naming the field.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kader.netwerkfuncties import netwerkfuncties
from storage.bereik import controleer_ronde
from storage.controle import geen_verboden_teken, open_ronde
from storage.db import met_herhaling, sessie
from storage.models import Overleg, nu
from storage.records import utc
from toegang import Gebruiker
from uitwisselformaat import schone_tekst

MAX_NAAM = 200
MAX_FREQUENTIE = 100
_GESLOTEN = "de overleggen kunnen niet meer worden gewijzigd"
WIJZIGBAAR = ("naam", "frequentie", "voorzitter_rol", "deelnemers", "functies")


@dataclass(frozen=True)
class OverlegInfo:
    id: int
    ronde_id: int
    naam: str
    frequentie: str
    voorzitter_rol: str | None
    deelnemers: tuple[str, ...]
    functies: tuple[str, ...]
    bijgewerkt: datetime


def overleg_info(o: Overleg) -> OverlegInfo:
    return OverlegInfo(o.id, o.ronde_id, o.naam, o.frequentie or "", o.voorzitter_rol,
                       tuple(o.deelnemers or ()), tuple(o.functies or ()), utc(o.bijgewerkt))


@cache
def bekende_rollen() -> frozenset[str]:
    """The rol ids of the vragenlijsten (vragenlijsten/): the rollen an overleg may name."""
    from vragenlijsten import rol_namen

    return frozenset(rol_namen())


def _schone_velden(velden: dict, rollen: Collection[str] | None) -> dict:
    """Validated fields; ValueError (Dutch, naming the field) for bad ones."""
    onbekend = sorted(set(velden) - set(WIJZIGBAAR))
    if onbekend:
        raise ValueError(f"Onbekend veld voor een overleg: {', '.join(onbekend)}; kies uit {', '.join(WIJZIGBAAR)}.")
    bekend = set(bekende_rollen() if rollen is None else rollen)
    schoon: dict = {}
    if "naam" in velden:
        naam = geen_verboden_teken(" ".join(schone_tekst(str(velden["naam"] or "")).split()), "de naam")
        if not naam:
            raise ValueError("Naam: geef het overleg een naam.")
        if len(naam) > MAX_NAAM:
            raise ValueError(f"Naam: maximaal {MAX_NAAM} tekens (nu {len(naam)}).")
        schoon["naam"] = naam
    if "frequentie" in velden:
        frequentie = " ".join(schone_tekst(str(velden["frequentie"] or "")).split())
        if len(frequentie) > MAX_FREQUENTIE:
            raise ValueError(f"Hoe vaak: maximaal {MAX_FREQUENTIE} tekens (nu {len(frequentie)}).")
        schoon["frequentie"] = frequentie
    if "voorzitter_rol" in velden:
        rol = str(velden["voorzitter_rol"] or "").strip()
        if rol and rol not in bekend:
            raise ValueError(f"Voorzitter: onbekende rol '{rol[:64]}'. Kies een rol uit de lijst.")
        schoon["voorzitter_rol"] = rol or None
    if "deelnemers" in velden:
        schoon["deelnemers"] = _lijst(velden["deelnemers"], bekend, "Deelnemende rollen", "rol")
    if "functies" in velden:
        schoon["functies"] = _lijst(velden["functies"], set(netwerkfuncties().ids), "Functies", "functie")
    return schoon


def _lijst(waarden: Iterable[str] | str | None, bekend: set[str], veld: str, wat: str) -> list[str]:
    if isinstance(waarden, str):
        waarden = [waarden]
    uit: list[str] = []
    for w in waarden or ():
        w = str(w).strip()
        if w not in bekend:
            raise ValueError(f"{veld}: onbekende {wat} '{w[:64]}'. Kies uit de lijst.")
        if w not in uit:
            uit.append(w)
    return uit


def _weiger_dubbele_naam(s: Session, ronde_id: int, naam: str, behalve: int | None = None) -> None:
    for oid, bestaand in s.execute(select(Overleg.id, Overleg.naam).where(Overleg.ronde_id == ronde_id)):
        if oid != behalve and bestaand.casefold() == naam.casefold():
            raise ValueError(f"Naam: er is al een overleg '{bestaand}' in deze ronde. Kies een andere naam.")


def _flush(s: Session) -> None:
    try:
        s.flush()
    except IntegrityError:  # two writers with the same name at the same moment
        raise ValueError("Naam: er is al een overleg met deze naam in deze ronde. Kies een andere naam.") from None


def maak_overleg(
    engine: Engine,
    ronde_id: int,
    naam: str,
    frequentie: str = "",
    voorzitter_rol: str | None = None,
    deelnemers: Iterable[str] = (),
    functies: Iterable[str] = (),
    *,
    door: Gebruiker,
    rollen: Collection[str] | None = None,
) -> OverlegInfo:
    """Add an overleg to the inventory of an open ronde. ``rollen``: the known rol ids
    (default: those of the vragenlijsten)."""
    velden = _schone_velden(dict(naam=naam, frequentie=frequentie, voorzitter_rol=voorzitter_rol,
                                 deelnemers=list(deelnemers or ()), functies=list(functies or ())), rollen)

    def actie() -> OverlegInfo:
        with sessie(engine, schrijven=True) as s:
            controleer_ronde(s, door, "ronde_beheren", ronde_id)
            open_ronde(s, ronde_id, _GESLOTEN)
            _weiger_dubbele_naam(s, ronde_id, velden["naam"])
            o = Overleg(ronde_id=ronde_id, bijgewerkt=nu(), **velden)
            s.add(o)
            _flush(s)
            return overleg_info(o)

    return met_herhaling(actie)


def wijzig_overleg(engine: Engine, overleg_id: int, *, door: Gebruiker,
                   rollen: Collection[str] | None = None, **velden) -> OverlegInfo:
    """Change fields of an overleg (any of `WIJZIGBAAR`) in an open ronde."""
    schoon = _schone_velden(velden, rollen)

    def actie() -> OverlegInfo:
        with sessie(engine, schrijven=True) as s:
            o = s.get(Overleg, overleg_id)
            if o is None:
                raise ValueError("Dit overleg bestaat niet (meer).")
            controleer_ronde(s, door, "ronde_beheren", o.ronde_id)
            open_ronde(s, o.ronde_id, _GESLOTEN)
            if "naam" in schoon:
                _weiger_dubbele_naam(s, o.ronde_id, schoon["naam"], behalve=o.id)
            for k, v in schoon.items():
                setattr(o, k, v)
            o.bijgewerkt = nu()
            _flush(s)
            return overleg_info(o)

    return met_herhaling(actie)


def verwijder_overleg(engine: Engine, overleg_id: int, *, door: Gebruiker) -> None:
    """Delete an overleg from the inventory of an open ronde."""

    def actie() -> None:
        with sessie(engine, schrijven=True) as s:
            o = s.get(Overleg, overleg_id)
            if o is None:
                raise ValueError("Dit overleg bestaat niet (meer).")
            controleer_ronde(s, door, "ronde_beheren", o.ronde_id)
            open_ronde(s, o.ronde_id, _GESLOTEN)
            s.delete(o)

    met_herhaling(actie)


def overleggen_van(engine: Engine, ronde_id: int) -> list[OverlegInfo]:
    """The overleggen of a ronde, by name."""
    with sessie(engine) as s:
        rijen = s.scalars(select(Overleg).where(Overleg.ronde_id == ronde_id)).all()
        return sorted((overleg_info(o) for o in rijen), key=lambda o: (o.naam.casefold(), o.id))
