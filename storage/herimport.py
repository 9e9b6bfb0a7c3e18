"""Answers that arrive again: the counting and skip logic shared by every import of
answers (the uitwisselformaat CSV/Excel and the werkboek in ``storage.importeren``, a
snapshot into its existing ronde in ``storage.snapshot``).

An incoming answer is compared with the stored one of the same respondent, kader and
criterium:

* none stored: **nieuw** - inserted, with an audit row (``antwoord_wijziging``);
* stored with the same score and toelichting: **ongewijzigd** - nothing is written;
* stored with another score or toelichting: **gewijzigd** - the answer is updated and
  an audit row is added, as ``storage.antwoorden.bewaar_antwoord`` does.

Nothing is written before :meth:`Antwoordvergelijker.schrijf`, which the caller runs
only when the whole file is valid, in the import's own transaction.

The uitwisselformaat import compares in two steps: first outside the write transaction
(stored answers loaded in bulk with :meth:`Antwoordvergelijker.laad`, so a whole file
is checked without holding the write lock), then, inside the short write transaction,
:meth:`Antwoordvergelijker.ververs` reloads the stored answers of the same respondents
and classifies every row again, so an answer a participant saved in between is
compared with what is stored at the moment of writing. Respondents the import itself
creates are named by a negative placeholder key until :meth:`schrijf` gets their ids.

The rows are kept as tuples, not ORM objects or dicts, and written in chunks of
:data:`BLOK` rows (SQLAlchemy Core ``executemany``), so a file of 100,000 answers does
not hold several full copies of itself in memory.

On a SQLite file the answers of respondents the import creates (always new, whatever
a participant saves meanwhile) can be put ready before the write lock
(:meth:`Antwoordvergelijker.zet_klaar`): into a temporary table of the connection
that will write, so that inside the lock they are copied by two ``INSERT ... SELECT``
statements that run in SQLite's own code, about three times faster than binding every
row from Python, and without the Python lock (GIL) that other threads need.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any

from sqlalchemy import Connection, Table, bindparam, insert, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from storage.models import Antwoord, AntwoordWijziging

NIEUW, GEWIJZIGD, ONGEWIJZIGD = "nieuw", "gewijzigd", "ongewijzigd"
_CODE = {NIEUW: 0, GEWIJZIGD: 1, ONGEWIJZIGD: 2}
_SOORT = (NIEUW, GEWIJZIGD, ONGEWIJZIGD)
BLOK = 5_000
"""Rows per executemany: large enough for speed, small enough that only one chunk of
parameter dicts exists at a time."""
IN_BLOK = 900
"""Values per ``IN (...)`` list when loading by id (well under every database's limit)."""

_ANTWOORD = Antwoord.__table__
_SPOOR = AntwoordWijziging.__table__


@dataclass(frozen=True)
class Telling:
    """How many answers of an import were new, changed or the same as stored."""

    nieuw: int = 0
    gewijzigd: int = 0
    ongewijzigd: int = 0


def in_blokken(waarden: Iterable, grootte: int | None = None) -> Iterable[list]:
    """``waarden`` in lists of at most ``grootte`` (default :data:`IN_BLOK`; for IN lists and
    executemany chunks)."""
    grootte = grootte or IN_BLOK
    bron = iter(waarden)
    while blok := list(islice(bron, grootte)):
        yield blok


class Antwoordvergelijker:
    """Classifies incoming answers against the stored ones; writes them in one go.

    With a session, the stored answers of a respondent are loaded when first needed
    (the snapshot import, which runs inside its write transaction). Without one, only
    what :meth:`laad` loaded counts as stored."""

    def __init__(self, s: Session | None = None):
        self.s = s
        self._opgeslagen: dict[tuple[int, str, str], tuple[int, str | None, str]] = {}
        self._geladen: set[int] = set()
        self._gezien: set[tuple[int, str, str]] = set()
        self._rijen: list[tuple[int, str, str, str | None, str]] = []
        self._soort = bytearray()  # per row in _rijen: index into _SOORT
        self._klaar = False  # the rows of new respondents sit in the temporary tables (zet_klaar)

    def laad(self, s: Session, respondent_ids: Iterable[int]) -> None:
        """Load the stored answers of these (existing) respondents in bulk."""
        nieuw = sorted({r for r in respondent_ids if r not in self._geladen})
        self._geladen.update(nieuw)
        for blok in in_blokken(nieuw):
            for a in s.execute(select(Antwoord.respondent_id, Antwoord.kader_id, Antwoord.criterium_id, Antwoord.id,
                                      Antwoord.score, Antwoord.toelichting)
                               .where(Antwoord.respondent_id.in_(blok))):
                self._opgeslagen[(a[0], a[1], a[2])] = (a[3], a[4], a[5] or "")

    def _laad(self, respondent_id: int) -> None:
        if respondent_id in self._geladen or self.s is None:
            return
        self.laad(self.s, [respondent_id])

    def _vergelijk(self, sleutel: tuple[int, str, str], score: str | None, toelichting: str) -> int:
        bestaand = self._opgeslagen.get(sleutel)
        if bestaand is None:
            return _CODE[NIEUW]
        return _CODE[ONGEWIJZIGD] if bestaand[1:] == (score, toelichting or "") else _CODE[GEWIJZIGD]

    def soort(self, respondent_id: int, kader_id: str, criterium_id: str, score: str | None,
              toelichting: str) -> str | None:
        """NIEUW, GEWIJZIGD or ONGEWIJZIGD; None when this answer came earlier in this import."""
        sleutel = (respondent_id, kader_id, criterium_id)
        if sleutel in self._gezien:
            return None
        self._laad(respondent_id)
        return _SOORT[self._vergelijk(sleutel, score, toelichting)]

    def voeg_toe(self, respondent_id: int, kader_id: str, criterium_id: str, score: str | None,
                 toelichting: str) -> str | None:
        """Record an incoming answer; returns its :meth:`soort` (None: a repeat, not recorded)."""
        soort = self.soort(respondent_id, kader_id, criterium_id, score, toelichting)
        if soort is None:
            return None
        self._gezien.add((respondent_id, kader_id, criterium_id))
        self._rijen.append((respondent_id, kader_id, criterium_id, score, toelichting or ""))
        self._soort.append(_CODE[soort])
        return soort

    def zet_klaar(self, verbinding: Connection) -> None:
        """SQLite, before the write transaction, on the connection that will write: copy the
        answers of the respondents this import creates (placeholder keys, always new) into a
        temporary table of that connection (writes to the temporary database do not take
        the database's write lock). :meth:`schrijf` then inserts them with ``INSERT ...
        SELECT``. Call :func:`ruim_op` on the same connection afterwards."""
        ruim_op(verbinding)
        verbinding.exec_driver_sql(f"CREATE TEMP TABLE {_KLAAR} (volgnr INTEGER PRIMARY KEY, sleutel INTEGER NOT NULL, "
                                   "kader_id TEXT NOT NULL, criterium_id TEXT NOT NULL, score TEXT, "
                                   "toelichting TEXT NOT NULL)")
        verbinding.exec_driver_sql(f"CREATE TEMP TABLE {_IDS} (sleutel INTEGER PRIMARY KEY, id INTEGER NOT NULL)")
        nieuw = _CODE[NIEUW]
        klaar = ((i, *r) for i, (r, soort) in enumerate(zip(self._rijen, self._soort)) if r[0] < 0 and soort == nieuw)
        for blok in in_blokken(klaar, BLOK):
            verbinding.exec_driver_sql(f"INSERT INTO temp.{_KLAAR} VALUES (?, ?, ?, ?, ?, ?)", blok)
            self._klaar = True

    def ververs(self, s: Session) -> None:
        """Reload the stored answers of every respondent loaded so far and classify each
        recorded row again (inside the write transaction: what is stored now counts)."""
        geladen, self._geladen, self._opgeslagen = self._geladen, set(), {}
        if not geladen:  # only new respondents: nothing can be stored for them
            return
        self.laad(s, geladen)
        for i, (rid, k, c, score, toelichting) in enumerate(self._rijen):
            if rid in geladen:
                self._soort[i] = self._vergelijk((rid, k, c), score, toelichting)

    def veranderd(self) -> set[int]:
        """The respondent keys with at least one new or changed answer."""
        ongewijzigd = _CODE[ONGEWIJZIGD]
        return {r[0] for r, code in zip(self._rijen, self._soort) if code != ongewijzigd}

    def telling(self) -> Telling:
        """The counts so far (nothing written yet)."""
        return Telling(self._soort.count(0), self._soort.count(1), self._soort.count(2))

    def schrijf(self, moment: datetime, s: Session | None = None, ids: Mapping[int, int] | None = None) -> Telling:
        """Insert the new answers, update the changed ones, one audit row for each; the same
        answers are left alone (no write, no audit row). ``ids`` maps the placeholder keys
        of respondents created by this import to their ids; other keys are ids already."""
        verbinding = (s or self.s).connection()
        ids = ids or {}
        nieuw, gewijzigd = _CODE[NIEUW], _CODE[GEWIJZIGD]

        klaar = self._klaar

        def rijen(code: int):
            for (rid, k, c, score, toelichting), soort in zip(self._rijen, self._soort):
                if soort == code and not (klaar and rid < 0):
                    yield ids.get(rid, rid), k, c, score, toelichting

        if klaar:  # the answers of new respondents first, copied inside SQLite
            _schrijf_klaargezet(verbinding, ids, moment)
        # per chunk the answers, then their audit rows: new first, then changed, so the audit ids keep that order
        for blok in in_blokken(rijen(nieuw), BLOK):
            schrijf_rijen(verbinding, _ANTWOORD, _KOLOMMEN, blok, bijgewerkt=moment)
            schrijf_rijen(verbinding, _SPOOR, _KOLOMMEN, blok, tijdstip=moment)
        wijzig = (update(_ANTWOORD).where(_ANTWOORD.c.id == bindparam("b_id"))
                  .values(score=bindparam("b_score"), toelichting=bindparam("b_toelichting"),
                          bijgewerkt=bindparam("b_bijgewerkt")))
        for blok in in_blokken(rijen(gewijzigd), BLOK):
            verbinding.execute(wijzig, [
                {"b_id": self._opgeslagen[(r, k, c)][0], "b_score": sc, "b_toelichting": t, "b_bijgewerkt": moment}
                for r, k, c, sc, t in blok])
            schrijf_rijen(verbinding, _SPOOR, _KOLOMMEN, blok, tijdstip=moment)
        return self.telling()


_KLAAR, _IDS = "zbt_import_klaar", "zbt_import_ids"


def ruim_op(verbinding: Connection) -> None:
    """Drop the temporary tables of :meth:`Antwoordvergelijker.zet_klaar` on this connection."""
    for naam in (_KLAAR, _IDS):
        verbinding.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{naam}")


def _schrijf_klaargezet(verbinding: Connection, ids: Mapping[int, int], moment: datetime) -> None:
    """Inside the write transaction: the put-ready answers and their audit rows, in file
    order, with the ids their new respondents just got."""
    nieuw = [(k, v) for k, v in ids.items() if k < 0]
    if nieuw:  # (none: a put-ready answer has no respondent, and the INSERT below copies nothing)
        verbinding.exec_driver_sql(f"INSERT INTO temp.{_IDS} VALUES (?, ?)", nieuw)
    for tabel, tijd in ((_ANTWOORD, "bijgewerkt"), (_SPOOR, "tijdstip")):
        waarde = _sqlite_waarde(verbinding, tabel, tijd, moment)
        verbinding.exec_driver_sql(
            f"INSERT INTO {tabel.name} ({', '.join(_KOLOMMEN)}, {tijd}) "
            f"SELECT i.id, k.kader_id, k.criterium_id, k.score, k.toelichting, ? FROM temp.{_KLAAR} k "
            f"JOIN temp.{_IDS} i ON i.sleutel = k.sleutel ORDER BY k.volgnr", (waarde,))


def _sqlite_waarde(verbinding: Connection, tabel: Table, naam: str, waarde: Any) -> Any:
    """``waarde`` as the sqlite3 driver gets it for this column (its type's bind processor)."""
    dialect = verbinding.dialect
    verwerk = tabel.c[naam].type.dialect_impl(dialect).bind_processor(dialect)
    return verwerk(waarde) if verwerk else waarde


KOPIEER = True
"""PostgreSQL with psycopg: write with COPY instead of executemany (see :func:`schrijf_rijen`)."""


def _kopieer(verbinding: Connection, tabel: Table, namen: Sequence[str], rijen: Iterable[tuple],
             vast: tuple) -> None:
    """PostgreSQL: COPY ... FROM STDIN through psycopg, in the connection's own transaction.
    A driver error is raised as SQLAlchemy's (IntegrityError etc.), as executemany would."""
    q = verbinding.dialect.identifier_preparer
    sql = f"COPY {q.format_table(tabel)} ({', '.join(q.quote(n) for n in namen)}) FROM STDIN"
    fout = verbinding.dialect.loaded_dbapi.Error
    try:
        with verbinding.connection.dbapi_connection.cursor() as cursor, cursor.copy(sql) as kopie:
            for r in rijen:
                kopie.write_row((*r, *vast))
    except fout as exc:
        raise DBAPIError.instance(sql, None, exc, fout) from exc


_KOLOMMEN = ("respondent_id", "kader_id", "criterium_id", "score", "toelichting")


def schrijf_rijen(verbinding: Connection, tabel: Table, kolommen: Sequence[str], rijen: Iterable[tuple],
                  **vast: Any) -> None:
    """INSERT ``rijen`` (tuples in the order of ``kolommen``) plus the constant columns ``vast``,
    in chunks of :data:`BLOK` with one ``executemany`` each.

    PostgreSQL and others: a SQLAlchemy Core ``insert`` with a list of dicts (insertmanyvalues:
    multi-row INSERTs). SQLite: the same Core ``insert``, compiled once, handed to the driver's
    ``executemany`` with plain tuples, so that no per-row parameter processing runs while the
    write lock is held (the constant columns, e.g. the timestamp, are converted once with
    their column type's bind processor; the per-row columns are strings and ints, which need none).
    """
    namen = [*kolommen, *vast]
    if verbinding.dialect.name == "postgresql" and verbinding.dialect.driver == "psycopg" and KOPIEER:
        _kopieer(verbinding, tabel, namen, rijen, tuple(vast.values()))
        return
    if verbinding.dialect.name != "sqlite":
        for blok in in_blokken(rijen, BLOK):
            verbinding.execute(insert(tabel), [{**dict(zip(kolommen, r)), **vast} for r in blok])
        return
    dialect = verbinding.dialect
    for naam in kolommen:
        if tabel.c[naam].type.dialect_impl(dialect).bind_processor(dialect) is not None:  # pragma: no cover
            raise TypeError(f"kolom {naam} heeft een bind processor; schrijf_rijen kan hem niet overslaan")
    extra_t = tuple(_sqlite_waarde(verbinding, tabel, naam, waarde) for naam, waarde in vast.items())
    sql = insert(tabel).values({n: bindparam(n) for n in namen}).compile(dialect=dialect)
    volgorde = [namen.index(p) for p in sql.positiontup]
    if volgorde != list(range(len(namen))):  # pragma: no cover - SQLAlchemy keeps the values() order
        raise AssertionError("onverwachte volgorde van de parameters")
    for blok in in_blokken(rijen, BLOK):
        verbinding.exec_driver_sql(str(sql), [(*r, *extra_t) for r in blok])
