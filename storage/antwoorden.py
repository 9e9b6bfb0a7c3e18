"""Answers: saving a respondent's answer with its audit trail, and reading the
answers of a respondent or of a whole ronde (the answers DataFrame, see
:mod:`uitwisselformaat`)."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, and_, bindparam, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage.controle import controleer_score, weiger_gesloten
from storage.db import met_herhaling, sessie, transactie
from storage.models import Antwoord, AntwoordWijziging, Gemeente, Respondent, Ronde, RondeKader, nu
from storage.records import Wijziging, natuurlijk, utc
from uitwisselformaat import KOLOMMEN, MAX_TOELICHTING, schone_tekst

# The checks of a save in one statement: the respondent's ronde (locked FOR SHARE on
# PostgreSQL, see storage.controle) and whether the kader is pinned to it (NULL: not).
_CONTROLE = (
    select(Ronde.status, Ronde.label, RondeKader.kader_id)
    .select_from(Respondent)
    .join(Ronde, Ronde.id == Respondent.ronde_id)
    .outerjoin(RondeKader, and_(RondeKader.ronde_id == Ronde.id, RondeKader.kader_id == bindparam("kader_id")))
    .where(Respondent.id == bindparam("respondent_id"))
    .with_for_update(read=True, of=Ronde)
)
_SLEUTEL = ("respondent_id", "kader_id", "criterium_id")


def _upsert(maker):
    stmt = maker(Antwoord)
    return stmt.on_conflict_do_update(
        index_elements=list(_SLEUTEL), set_={k: stmt.excluded[k] for k in ("score", "toelichting", "bijgewerkt")},
    )


# Built once: the current answer inserted or updated in one statement, per dialect.
_UPSERT = {"sqlite": _upsert(sqlite_insert), "postgresql": _upsert(pg_insert)}
_AUDIT = insert(AntwoordWijziging)


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

    This is the hottest write of the app (every click in a questionnaire), so it
    runs three prebuilt Core statements instead of ORM objects: about a third of
    the Python time, which is what bounds throughput with many writers in one
    process (SQLite and PostgreSQL only).
    """
    score = controleer_score(score)
    waarden = dict(
        respondent_id=respondent_id, kader_id=kader_id, criterium_id=criterium_id,
        score=score, toelichting=schone_tekst(toelichting, MAX_TOELICHTING),
    )

    def actie() -> None:
        with transactie(engine, schrijven=True) as conn:
            rij = conn.execute(_CONTROLE, {"respondent_id": respondent_id, "kader_id": kader_id}).first()
            if rij is None:
                raise ValueError("Onbekende respondent; start de vragenlijst opnieuw.")
            weiger_gesloten(rij.status, rij.label)
            if rij.kader_id is None:
                raise ValueError(f"Kader '{kader_id}' hoort niet bij deze ronde.")
            moment = nu()
            conn.execute(_UPSERT[conn.dialect.name], {**waarden, "bijgewerkt": moment})
            conn.execute(_AUDIT, {**waarden, "tijdstip": moment})

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
