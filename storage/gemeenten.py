"""Gemeenten and their regio: creating a gemeente, opting in to the regional
comparison, and the answers of a regio for that comparison."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from storage.bereik import controleer, controleer_gemeente
from storage.controle import geen_verboden_teken
from storage.db import met_herhaling, sessie
from storage.models import Antwoord, Gemeente, Regio, Respondent, Ronde, RondeKader
from storage.records import GemeenteInfo
from toegang import Gebruiker
from uitwisselformaat import KOLOMMEN


def regio_id(s: Session, naam: str | None) -> int | None:
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
    naam = geen_verboden_teken(naam.strip(), "de naam van de gemeente")
    regio = geen_verboden_teken((regio or "").strip(), "de naam van de regio") or None
    if not naam:
        raise ValueError("Vul de naam van de gemeente in.")
    demo = door.demo if demo is None else bool(demo)

    def actie() -> GemeenteInfo:
        with sessie(engine, schrijven=True) as s:
            controleer(door, "ronde_beheren", naam, demo)
            if s.scalar(select(Gemeente.id).where(Gemeente.naam == naam)) is not None:
                raise ValueError(f"Gemeente '{naam}' bestaat al.")
            g = Gemeente(naam=naam, regio_id=regio_id(s, regio), demo=demo)
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
