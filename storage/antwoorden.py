"""Answers: saving a respondent's answer with its audit trail, and reading the
answers of a respondent or of a whole ronde (the answers DataFrame, see
:mod:`uitwisselformaat`)."""
from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, and_, bindparam, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError

from storage.controle import controleer_score, weiger_gesloten
from storage.db import met_herhaling, schrijfslot, schrijversrij, sessie, transactie
from storage.models import Antwoord, AntwoordWijziging, Gemeente, Respondent, Ronde, RondeKader, nu
from storage.pool import EerlijkeRij
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

    Committed before it returns; retried on transient lock/serialisation errors.
    ``score`` is a scale value like '3', 'weet_niet', 'nvt', or None when only a
    toelichting is saved. ValueError (Dutch) for an unknown respondent, a kader
    not pinned to the ronde, a bad score or a closed ronde.

    This is the hottest write of the app (every click in a questionnaire), so it
    runs three prebuilt Core statements instead of ORM objects (about a third of
    the Python time). On a SQLite file, saves that wait in the writers' line are
    committed together (group commit): whoever gets the write lock saves every
    waiting answer, each in its own savepoint, with one commit and so one fsync
    for all, which is what bounds SQLite's throughput. Each caller still gets its
    own result, only after that commit. SQLite and PostgreSQL only.
    """
    score = controleer_score(score)
    waarden = dict(
        respondent_id=respondent_id, kader_id=kader_id, criterium_id=criterium_id,
        score=score, toelichting=schone_tekst(toelichting, MAX_TOELICHTING),
    )
    rij = schrijversrij(engine)

    def schrijf_bundel(bundel: list[_Opdracht]) -> None:
        with transactie(engine, schrijven=True) as conn:
            _sla_bundel_op(conn, bundel)

    def actie() -> None:
        if rij is not None:
            _bewaar_gebundeld(engine, rij, waarden, schrijf_bundel)
            return
        with transactie(engine, schrijven=True) as conn:
            _sla_op(conn, waarden)

    met_herhaling(actie)


def _sla_op(conn: Connection, waarden: dict[str, Any]) -> None:
    """The checks and the two writes of one save, in an open write transaction."""
    rij = conn.execute(_CONTROLE, {"respondent_id": waarden["respondent_id"], "kader_id": waarden["kader_id"]}).first()
    if rij is None:
        raise ValueError("Onbekende respondent; start de vragenlijst opnieuw.")
    weiger_gesloten(rij.status, rij.label)
    if rij.kader_id is None:
        raise ValueError(f"Kader '{waarden['kader_id']}' hoort niet bij deze ronde.")
    moment = nu()
    conn.execute(_UPSERT[conn.dialect.name], {**waarden, "bijgewerkt": moment})
    conn.execute(_AUDIT, {**waarden, "tijdstip": moment})


@dataclass(eq=False)
class _Opdracht:
    """One save waiting for a group commit. ``klaar`` is set when it is done
    (``gedaan``; ``fout`` is what its caller raises) or when its caller is to lead."""

    waarden: dict[str, Any]
    klaar: threading.Event = field(default_factory=threading.Event)
    gedaan: bool = False
    leider: bool = False
    fout: BaseException | None = None


@dataclass(eq=False)
class _Bundelaar:
    """The saves waiting on one SQLite file, oldest first, and whether someone leads."""

    open: list[_Opdracht] = field(default_factory=list)
    actief: bool = False
    mutex: threading.Lock = field(default_factory=threading.Lock)


MAX_BUNDEL = 100  # saves per group commit at most, so one commit never holds the lock long
_BUNDELAARS: weakref.WeakKeyDictionary[EerlijkeRij, _Bundelaar] = weakref.WeakKeyDictionary()
_BUNDELAARS_SLOT = threading.Lock()


def _bundelaar(rij: EerlijkeRij) -> _Bundelaar:
    with _BUNDELAARS_SLOT:
        return _BUNDELAARS.setdefault(rij, _Bundelaar())


def wachtende_opslagen(engine: Engine) -> int:
    """How many saves wait for a group commit on this SQLite file now (0 elsewhere)."""
    rij = schrijversrij(engine)
    return 0 if rij is None else len(_bundelaar(rij).open)


def _bewaar_gebundeld(engine: Engine, rij: EerlijkeRij, waarden: dict[str, Any],
                      schrijf_bundel: Callable[[list[_Opdracht]], None]) -> None:
    """Queue the save. With no leader, lead: wait in the writers' line (fair against
    every other writer), then save queued bundles until our own save is done, and hand
    the lead to the oldest save still waiting. Otherwise wait until done or made leader."""
    bundelaar = _bundelaar(rij)
    opdracht = _Opdracht(waarden)
    with bundelaar.mutex:
        bundelaar.open.append(opdracht)
        if not bundelaar.actief:
            bundelaar.actief = opdracht.leider = True
    try:
        if not opdracht.leider:
            opdracht.klaar.wait()
        if not opdracht.gedaan:  # we lead
            with schrijfslot(engine):
                while not opdracht.gedaan:
                    with bundelaar.mutex:
                        bundel = bundelaar.open[:MAX_BUNDEL]
                        del bundelaar.open[:MAX_BUNDEL]
                    _bundel_opslaan(bundel, schrijf_bundel)
    except BaseException:
        with bundelaar.mutex:  # not saved (the line timed out, interrupted): take it out
            if opdracht in bundelaar.open:
                bundelaar.open.remove(opdracht)
        raise
    finally:
        if opdracht.leider:  # hand the lead to the oldest waiting save, or end it
            with bundelaar.mutex:
                if bundelaar.open:
                    volgende = bundelaar.open[0]
                    volgende.leider = True
                    volgende.klaar.set()
                else:
                    bundelaar.actief = False
    if opdracht.fout is not None:
        raise opdracht.fout


def _bundel_opslaan(bundel: list[_Opdracht], schrijf_bundel: Callable[[list[_Opdracht]], None]) -> None:
    """Run ``schrijf_bundel`` (one write transaction around :func:`_sla_bundel_op`),
    then mark every save of the bundle done; when BEGIN or COMMIT failed, none of
    them was saved and each caller gets that error."""
    try:
        schrijf_bundel(bundel)
    except BaseException as exc:
        for opdracht in bundel:
            opdracht.fout = opdracht.fout or exc
        if not isinstance(exc, Exception):
            raise
    finally:
        for opdracht in bundel:
            opdracht.gedaan = True
            opdracht.klaar.set()


def _sla_bundel_op(conn: Connection, bundel: list[_Opdracht]) -> None:
    """Every save of ``bundel`` in a savepoint of its own, so that a refused one
    (closed ronde, ...) raises for its own caller and does not undo the others."""
    for opdracht in bundel:
        try:
            with conn.begin_nested():
                _sla_op(conn, opdracht.waarden)
        except (ValueError, DBAPIError) as exc:
            opdracht.fout = exc


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
