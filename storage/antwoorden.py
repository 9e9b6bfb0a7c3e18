"""Answers: saving a respondent's answer with its audit trail, and reading the
answers of a respondent or of a whole ronde (the answers DataFrame, see
:mod:`uitwisselformaat`)."""
from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from storage.controle import controleer_score, open_ronde
from storage.db import met_herhaling, sessie, upsert
from storage.models import Antwoord, AntwoordWijziging, Gemeente, Respondent, Ronde, RondeKader, nu
from storage.records import Wijziging, natuurlijk, utc
from uitwisselformaat import KOLOMMEN, MAX_TOELICHTING, schone_tekst


def _upsert_antwoord(s: Session, waarden: dict[str, Any]) -> None:
    """Insert or update the current answer in one statement (SQLite and PostgreSQL)."""
    upsert(s, Antwoord, ("respondent_id", "kader_id", "criterium_id"), waarden)


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
    score = controleer_score(score)
    waarden = dict(
        respondent_id=respondent_id, kader_id=kader_id, criterium_id=criterium_id,
        score=score, toelichting=schone_tekst(toelichting, MAX_TOELICHTING),
    )

    def actie() -> None:
        with sessie(engine, schrijven=True) as s:
            resp = s.get(Respondent, respondent_id)
            if resp is None:
                raise ValueError("Onbekende respondent; start de vragenlijst opnieuw.")
            open_ronde(s, resp.ronde_id)
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
            Wijziging(w.kader_id, w.criterium_id, w.score, w.toelichting, utc(w.tijdstip))
            for w in rijen
        ]


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
    rijen.sort(key=lambda r: tuple(natuurlijk(str(r[i])) for i in (0, 1, 2, 4, 5)))
    return pd.DataFrame(rijen, columns=list(KOLOMMEN), dtype="str")
