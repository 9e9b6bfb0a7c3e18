"""Rondes: creating one (pinning kader versions and the invited roles), reading
them, and opening or closing one."""
from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from storage.bereik import controleer_gemeente, controleer_ronde
from storage.controle import geen_verboden_teken, schone_rollen
from storage.db import met_herhaling, sessie
from storage.models import Gemeente, Respondent, Ronde, RondeKader, RondeRol, nu
from storage.records import RondeInfo, utc
from toegang import Gebruiker
from uitwisselformaat.waarden import FASE_STIL_SCOREN, STATUS_OPEN, STATUSSEN

JAAR_MIN, JAAR_MAX = 2000, 2099
_JAAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def standaard_jaar(label: str, aangemaakt: datetime | None = None) -> int:
    """The year of a ronde when none is given: the first year 2000–2099 in its label,
    else the year of ``aangemaakt`` (default: this year). As migration 0006 backfilled it."""
    gevonden = _JAAR.search(label or "")
    if gevonden:
        return int(gevonden.group(1))
    return (aangemaakt or datetime.now(UTC)).year


def controleer_jaar(jaar) -> int:
    """A year as an int within 2000–2099, or ValueError (Dutch)."""
    if isinstance(jaar, bool) or not isinstance(jaar, int) or not JAAR_MIN <= jaar <= JAAR_MAX:
        raise ValueError(f"Het jaar van een ronde ligt tussen {JAAR_MIN} en {JAAR_MAX}; gevonden: {jaar!r}.")
    return jaar


def maak_ronde(
    engine: Engine,
    gemeente_id: int,
    label: str,
    kader_versies: dict[str, str],
    demo: bool | None = None,
    rollen: list[str] | None = None,
    *,
    door: Gebruiker,
    jaar: int | None = None,
) -> RondeInfo:
    """Create an open ronde, pinning each kader id to its version.

    ``rollen`` are the invited roles; when given, respondents and invitations
    of this ronde are limited to them. Without them any rol may join (as before).
    ``jaar`` is the year the ronde belongs to (the regional comparison matches on it);
    default: the year in the label, else this year (`standaard_jaar`).
    A ronde is a demo ronde exactly when its gemeente is a demo gemeente; ``demo``,
    when given, must agree.
    """
    label = geen_verboden_teken(label.strip(), "de naam van de ronde")
    if not label:
        raise ValueError("Vul een naam (label) voor de ronde in.")
    if not kader_versies:
        raise ValueError("Kies ten minste één kader voor de ronde.")
    uitgenodigd = schone_rollen(rollen)
    jaar = controleer_jaar(standaard_jaar(label) if jaar is None else jaar)

    def actie() -> int:
        with sessie(engine, schrijven=True) as s:
            gemeente = controleer_gemeente(s, door, "ronde_beheren", gemeente_id)
            if demo is not None and bool(demo) != gemeente.demo:
                raise ValueError(f"Gemeente '{gemeente.naam}' is {'een' if gemeente.demo else 'geen'} "
                                 "demogemeente; een ronde en haar gemeente zijn allebei demo, of allebei niet.")
            dubbel = select(Ronde.id).where(Ronde.gemeente_id == gemeente_id, Ronde.label == label)
            if s.scalar(dubbel) is not None:
                raise ValueError(f"Gemeente '{gemeente.naam}' heeft al een ronde '{label}'.")
            return nieuwe_ronde(s, gemeente_id, label, kader_versies, gemeente.demo, uitgenodigd, jaar=jaar).id

    ronde_id = met_herhaling(actie)
    info = ronde(engine, ronde_id)
    assert info is not None
    return info


def nieuwe_ronde(
    s: Session,
    gemeente_id: int,
    label: str,
    kader_versies: dict[str, str],
    demo: bool,
    rollen: tuple[str, ...] = (),
    jaar: int | None = None,
) -> Ronde:
    moment = nu()
    r = Ronde(gemeente_id=gemeente_id, label=label, status=STATUS_OPEN, demo=demo,
              aangemaakt=moment, fase=FASE_STIL_SCOREN,
              jaar=standaard_jaar(label, moment) if jaar is None else jaar)
    s.add(r)
    s.flush()
    for kader_id, versie in sorted(kader_versies.items()):
        s.add(RondeKader(ronde_id=r.id, kader_id=kader_id, kader_versie=str(versie)))
    for rol in rollen:
        s.add(RondeRol(ronde_id=r.id, rol=rol))
    s.flush()
    return r


def ronde_infos(s: Session, ronde_id: int | None = None) -> list[RondeInfo]:
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
            r.id, r.gemeente_id, naam, r.label, r.status, r.demo, utc(r.aangemaakt),
            dict(sorted(versies.get(r.id, {}).items())), n or 0,
            r.fase, r.huidig_kader, r.huidig_criterium, tuple(sorted(rollen.get(r.id, ()))),
            r.jaar if r.jaar is not None else standaard_jaar(r.label, utc(r.aangemaakt)),
        )
        for r, naam, n in s.execute(vraag).all()
    ]


def rondes(engine: Engine) -> list[RondeInfo]:
    """All rondes with gemeente name, pinned kader versions and respondent count,
    sorted by gemeente name and label."""
    with sessie(engine) as s:
        return ronde_infos(s)


def ronde(engine: Engine, ronde_id: int) -> RondeInfo | None:
    """One ronde, or None if it does not exist."""
    with sessie(engine) as s:
        gevonden = ronde_infos(s, ronde_id)
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
