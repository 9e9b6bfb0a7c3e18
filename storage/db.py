"""Database connection, sessions, migrations and retry logic.

The database is chosen by the environment variable ``ZBT_DATABASE_URL``; without
it a SQLite file ``data/zelfbeoordeling.db`` in the repository is used. The same
code runs unchanged on PostgreSQL (``postgresql+psycopg://...``).

SQLite specifics (set on every new connection):

* ``journal_mode=WAL`` so readers never block the writer;
* ``busy_timeout=10000`` so a writer waits up to 10 s for the lock;
* ``foreign_keys=ON`` so ``ON DELETE CASCADE`` works;
* ``secure_delete=ON`` so deleted content is overwritten with zeros in the
  file (privacy: a deleted ronde must not be recoverable from the .db file;
  see also :func:`sqlite_checkpoint` for the -wal file);
* SQLAlchemy emits ``BEGIN`` itself (the sqlite3 driver's legacy transaction
  handling is switched off), and write transactions use ``BEGIN IMMEDIATE``
  (see :func:`sessie`) so they take the write lock up front and wait for it via
  ``busy_timeout`` instead of failing halfway.
* Writers of one process queue first in a fair first-come-first-served line per
  database file (:func:`schrijfslot`, an :class:`EerlijkeRij` with one place),
  before they take a connection. SQLite's own busy handler retries with growing
  sleeps (up to 100 ms) and lets whoever tries at the right moment in first, so
  under load some writers waited seconds; in the line each waits its turn.
  ``busy_timeout`` still covers writers in other processes (CLI, a second server).
  Waiting longer than ``busy_timeout`` for the line gives the same "database is
  locked" error SQLite would give, which :func:`met_herhaling` retries.

Connection pool (PostgreSQL and SQLite files): :class:`EerlijkePool`, a fixed
number of connections per process, ``$ZBT_DATABASE_POOL`` (default
:data:`POOL_STANDAARD` = 10, allowed 1 to :data:`POOL_MAX`; another value is a
Dutch error naming the variable). Threads that wait for a connection are served
in order of arrival (SQLAlchemy's own queue lets a thread that just returned a
connection take it again, so under load a waiting thread could be passed over for
seconds), and give up after :data:`POOL_WACHT` seconds (pool ``TimeoutError``, an
outage for :func:`is_onbereikbaar`). Budget: PostgreSQL's default
``max_connections`` is 100 (3 reserved for superusers); 10 per server process
leaves room for 6 replicas plus about 30 for command lines, migrations, backups
and monitoring. More connections do not make one process faster: its Python
code shares one GIL, so 10 already keep both cores busy.

Transient lock/serialisation errors are retried by :func:`met_herhaling`, after
a short pause (half to all of 10, 20, 40, 80 ms, never above :data:`HERHAAL_MAX_WACHT`).
:func:`upsert` inserts or updates one row in one statement on SQLite and PostgreSQL.

A database that cannot be reached (down, refusing, timing out, connection lost)
is recognised by :func:`is_onbereikbaar`; :func:`bij_onbereikbaar` turns such an
error into :class:`DatabaseOnbereikbaar`, whose message is one Dutch sentence for
the command lines. The pages show their own Dutch notice (views/context.py).
"""
from __future__ import annotations

import os
import random
import re
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import Session, sessionmaker

from storage.pool import EerlijkePool, EerlijkeRij

REPO = Path(__file__).resolve().parent.parent
MIGRATIES = Path(__file__).resolve().parent / "migraties"
ENV_VAR = "ZBT_DATABASE_URL"
BUSY_TIMEOUT_MS = 10_000
POOL_ENV = "ZBT_DATABASE_POOL"
POOL_STANDAARD = 10
POOL_MAX = 100
POOL_WACHT = 10.0  # seconds a thread waits for a pooled connection
HERHAAL_MAX_WACHT = 0.1  # seconds: longest pause between two attempts in met_herhaling

# Execution option read by the SQLite "begin" hook: DEFERRED or IMMEDIATE.
_BEGIN_OPTIE = "zbt_sqlite_begin"
# PostgreSQL sqlstates worth retrying: serialization_failure, deadlock_detected.
_PG_HERHAALBAAR = {"40001", "40P01"}
# PostgreSQL sqlstates that mean "no usable connection": class 08 (connection
# exception), admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections.
_PG_ONBEREIKBAAR = {"57P01", "57P02", "57P03", "53300"}
# Seconds PostgreSQL gets to accept a new connection (libpq waits forever by default).
PG_CONNECT_TIMEOUT = 10
# Arbitrary constant key for pg_advisory_xact_lock during migrations.
_MIGRATIE_SLOT = 742_031_617

T = TypeVar("T")


def database_url() -> str:
    """The database URL: ``$ZBT_DATABASE_URL`` or the SQLite file in ``data/``."""
    url = os.environ.get(ENV_VAR, "").strip()
    if url:
        return url
    data = REPO / "data"
    data.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data / 'zelfbeoordeling.db'}"


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def pool_grootte(env: dict[str, str] | None = None) -> int:
    """Connections per process: ``$ZBT_DATABASE_POOL`` or :data:`POOL_STANDAARD`.
    ValueError (Dutch, naming the variable) for anything but a whole number 1..POOL_MAX."""
    waarde = (os.environ if env is None else env).get(POOL_ENV, "").strip()
    if not waarde:
        return POOL_STANDAARD
    if not re.fullmatch(r"[0-9]{1,4}", waarde) or not 1 <= int(waarde) <= POOL_MAX:
        raise ValueError(f"{POOL_ENV} moet een geheel getal van 1 tot en met {POOL_MAX} zijn "
                         f"(het aantal databaseverbindingen per proces), niet '{waarde[:20]}'.")
    return int(waarde)


def pool_instellingen(env: dict[str, str] | None = None) -> dict[str, Any]:
    """The ``create_engine`` pool arguments: :class:`EerlijkePool`, a fixed size
    (:func:`pool_grootte`, no overflow) and :data:`POOL_WACHT` seconds of waiting."""
    return {"poolclass": EerlijkePool, "pool_size": pool_grootte(env), "max_overflow": 0,
            "pool_timeout": POOL_WACHT}


def maak_engine(url: str | URL | None = None) -> Engine:
    """Create an Engine for ``url`` (default :func:`database_url`).

    SQLite gets WAL, a busy timeout, foreign keys and explicit BEGIN handling;
    other databases get ``pool_pre_ping`` and, for PostgreSQL, a connect timeout
    of :data:`PG_CONNECT_TIMEOUT` seconds unless the URL sets ``connect_timeout``
    itself (so a server that does not answer is reported, not waited for). Both
    get the fair pool of :func:`pool_instellingen` (an in-memory SQLite database
    keeps SQLAlchemy's pool of one connection per thread).
    """
    url = url or database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        connect_args = {}
        if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
            connect_args["connect_timeout"] = PG_CONNECT_TIMEOUT
        return create_engine(url, pool_pre_ping=True, connect_args=connect_args, **pool_instellingen())
    pool = {}
    if _sqlite_bestand(parsed.database):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        pool = pool_instellingen()
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, **pool)
    event.listen(engine, "connect", _sqlite_bij_verbinden)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_bij_verbinden(dbapi_connection, _connection_record) -> None:
    """Per new SQLite connection: take over BEGIN, set WAL, timeout, FKs, secure delete."""
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA secure_delete=ON")
    finally:
        cursor.close()


def _sqlite_begin(conn) -> None:
    modus = conn.get_execution_options().get(_BEGIN_OPTIE, "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {modus}")


def sqlite_checkpoint(engine: Engine) -> bool:
    """SQLite: copy the WAL into the database file and truncate the WAL to zero
    bytes, so old page images (e.g. of deleted rows) no longer sit in the -wal
    file. True when complete; False when a reader blocked part of it, or for
    other databases (no-op)."""
    if not is_sqlite(engine):
        return False
    with engine.connect() as conn:
        busy, _log, _gekopieerd = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
    return busy == 0


def _sqlite_bestand(database: str | None) -> bool:
    """True for a SQLite database in a file (not in memory)."""
    return bool(database) and database != ":memory:" and "mode=memory" not in database


# One line of writers per SQLite file in this process (shared by all its engines).
_SCHRIJVERSRIJEN: weakref.WeakValueDictionary[str, EerlijkeRij] = weakref.WeakValueDictionary()
_RIJEN_SLOT = threading.Lock()
_IN_RIJ = threading.local()  # per thread: ids of the lines it holds, with their depth


def schrijversrij(engine: Engine) -> EerlijkeRij | None:
    """The writers' line of a SQLite file (the same for every engine on that file);
    None for other databases and in-memory SQLite."""
    if not is_sqlite(engine) or not _sqlite_bestand(engine.url.database):
        return None
    sleutel = os.path.abspath(engine.url.database)
    with _RIJEN_SLOT:
        rij = _SCHRIJVERSRIJEN.get(sleutel)
        if rij is None:
            rij = _SCHRIJVERSRIJEN[sleutel] = EerlijkeRij(1)
        return rij


@contextmanager
def schrijfslot(engine: Engine) -> Iterator[None]:
    """SQLite file: wait in this process's line of writers for that file, up to
    ``busy_timeout`` (then OperationalError "database is locked", which
    :func:`met_herhaling` retries). Reentrant within a thread; other databases: no-op."""
    rij = schrijversrij(engine)
    if rij is None:
        yield
        return
    diepte = _IN_RIJ.__dict__.setdefault("diepte", {})
    if diepte.get(id(rij)):
        diepte[id(rij)] += 1
        try:
            yield
        finally:
            diepte[id(rij)] -= 1
        return
    if not rij.neem(BUSY_TIMEOUT_MS / 1000):
        raise OperationalError("(wachten in de rij van schrijvers)", None,
                               sqlite3.OperationalError("database is locked"))
    diepte[id(rij)] = 1
    try:
        yield
    finally:
        del diepte[id(rij)]
        rij.geef()


def sessiefabriek(engine: Engine) -> sessionmaker[Session]:
    """A sessionmaker bound to ``engine``; objects stay readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def _schrijf_bind(engine: Engine) -> Engine:
    """The engine with the option that makes SQLite use BEGIN IMMEDIATE."""
    if is_sqlite(engine):
        return engine.execution_options(**{_BEGIN_OPTIE: "IMMEDIATE"})
    return engine


def sqlite_begin_modus(verbinding: Connection, modus: str) -> None:
    """Set how SQLite begins the next transactions on this connection: "IMMEDIATE"
    (take the write lock at BEGIN) or "DEFERRED" (the default: only when writing)."""
    verbinding.execution_options(**{_BEGIN_OPTIE: modus})


@contextmanager
def sessie(engine: Engine, schrijven: bool = False, verbinding: Connection | None = None) -> Iterator[Session]:
    """One Session in one transaction: commit once on success, rollback on error.

    With ``schrijven=True`` SQLite writers first wait their turn (:func:`schrijfslot`)
    and then take the write lock at BEGIN (IMMEDIATE), so concurrent writers queue
    rather than fail mid-transaction. ``verbinding``: run on this connection of
    ``engine`` (no transaction open on it) instead of one from the pool, e.g. one that
    holds temporary tables prepared before the write.
    """
    if not schrijven:
        with Session(bind=verbinding or engine, expire_on_commit=False) as s, s.begin():
            yield s
        return
    with schrijfslot(engine):
        if verbinding is not None and is_sqlite(engine):
            sqlite_begin_modus(verbinding, "IMMEDIATE")
        bind = verbinding if verbinding is not None else _schrijf_bind(engine)
        try:
            with Session(bind=bind, expire_on_commit=False) as s, s.begin():
                yield s
        finally:
            if verbinding is not None and is_sqlite(engine):
                sqlite_begin_modus(verbinding, "DEFERRED")


@contextmanager
def transactie(engine: Engine, schrijven: bool = False) -> Iterator[Connection]:
    """Like :func:`sessie`, but a plain Core connection (no ORM): for a hot write
    path whose few statements should cost as little Python time as possible."""
    if not schrijven:
        with engine.begin() as conn:
            yield conn
        return
    with schrijfslot(engine), _schrijf_bind(engine).begin() as conn:
        yield conn


def is_tijdelijke_fout(exc: BaseException) -> bool:
    """True for errors that a retry may cure: SQLite locks, PG serialisation/deadlock."""
    if not isinstance(exc, DBAPIError):
        return False
    orig = exc.orig
    if isinstance(orig, sqlite3.OperationalError):
        melding = str(orig).lower()
        return "locked" in melding or "busy" in melding
    return getattr(orig, "sqlstate", None) in _PG_HERHAALBAAR


def herhaal_wacht(poging: int, basis_wacht: float = 0.01, max_wacht: float = HERHAAL_MAX_WACHT) -> float:
    """Seconds to pause after failed attempt ``poging`` (1, 2, ...): doubling from
    ``basis_wacht``, never above ``max_wacht``, the last half random (jitter)."""
    grens = min(max_wacht, basis_wacht * 2 ** (poging - 1))
    return grens / 2 * (1 + random.random())


def met_herhaling(
    actie: Callable[[], T], pogingen: int = 5, basis_wacht: float = 0.01
) -> T:
    """Run ``actie``; on a transient DB error pause briefly (:func:`herhaal_wacht`)
    and retry, ``pogingen`` attempts in all. The lock waits themselves are in
    ``busy_timeout`` and the writers' line; the pause only spreads a retry."""
    for poging in range(1, pogingen + 1):
        try:
            return actie()
        except DBAPIError as exc:
            if poging == pogingen or not is_tijdelijke_fout(exc):
                raise
            time.sleep(herhaal_wacht(poging, basis_wacht))
    raise AssertionError("unreachable")  # pragma: no cover


def upsert(s: Session, model, sleutel: tuple[str, ...], waarden: dict[str, Any]) -> None:
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


class DatabaseOnbereikbaar(Exception):
    """The database cannot be reached right now. ``str()`` is one Dutch sentence."""

    def __init__(self, plek: str = "", reden: str = ""):
        self.plek, self.reden = plek, reden
        wat = f"De database {plek}" if plek else "De database"
        super().__init__(f"{wat} is nu niet bereikbaar{f' ({reden})' if reden else ''}. Probeer het over een "
                         "minuut opnieuw; blijft dit zo, controleer dan ZBT_DATABASE_URL en de databaseserver.")


# Exception types worth asking :func:`is_onbereikbaar` about; catch these, then classify.
DATABASEFOUTEN: tuple[type[BaseException], ...] = (SQLAlchemyError, DatabaseOnbereikbaar)


def _driverfout(exc: BaseException) -> BaseException | None:
    """The DB-API exception under a SQLAlchemy one (``.orig``, or the explicit cause)."""
    return getattr(exc, "orig", None) or exc.__cause__


def is_onbereikbaar(exc: BaseException) -> bool:
    """True when ``exc`` means the database cannot be reached, not that the code is wrong.

    Recognised: :class:`DatabaseOnbereikbaar`; SQLAlchemy's ``DisconnectionError``
    and pool ``TimeoutError``; any ``DBAPIError`` SQLAlchemy marked as a lost
    connection (``connection_invalidated``); psycopg ``OperationalError`` without
    sqlstate (connect refused or timed out, server closed the connection, the
    connection is closed) or with a connection sqlstate (class 08, 57P01-57P03,
    53300); psycopg ``InterfaceError`` about a closed or lost connection; SQLite
    "unable to open database file". Not: locks, serialisation failures, statement
    timeouts, missing tables, constraint violations or any non-database error.
    """
    if isinstance(exc, (DatabaseOnbereikbaar, DisconnectionError, PoolTimeoutError)):
        return True
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    orig = _driverfout(exc)
    if isinstance(orig, sqlite3.OperationalError):
        return "unable to open database file" in str(orig).lower()
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is in requirements.txt
        return False
    if isinstance(orig, psycopg.OperationalError):
        sqlstate = getattr(orig, "sqlstate", None)
        return sqlstate is None or sqlstate.startswith("08") or sqlstate in _PG_ONBEREIKBAAR
    if isinstance(orig, psycopg.InterfaceError):
        melding = str(orig).lower()
        return "connection" in melding and ("closed" in melding or "lost" in melding)
    return False


# Driver text (a regular expression) -> the reason in Dutch; first match wins, none: no reason.
_REDENEN = (
    ("connection refused", "de server weigert de verbinding"),
    ("timeout expired", "de server antwoordt niet op tijd"),
    ("timed out", "de server antwoordt niet op tijd"),
    ("could not translate host name", "de naam van de server is onbekend"),
    ("name or service not known", "de naam van de server is onbekend"),
    ("password authentication failed", "inloggen bij de database is mislukt"),
    ("authentication failed", "inloggen bij de database is mislukt"),
    ("not currently accepting connections", "de database neemt nu geen verbindingen aan"),
    ("the database system is", "de databaseserver start op of sluit af"),
    ("too many", "alle verbindingen zijn bezet"),
    (r'database ".*" does not exist', "die database bestaat niet op de server"),
    (r'role ".*" does not exist', "die gebruiker bestaat niet op de server"),
    ("unable to open database file", "het databasebestand kan niet worden geopend"),
    ("terminating connection", "de verbinding werd verbroken"),
    ("server closed the connection", "de verbinding werd verbroken"),
    ("connection is closed", "de verbinding werd verbroken"),
    ("connection is lost", "de verbinding werd verbroken"),
)


def reden_onbereikbaar(exc: BaseException) -> str:
    """A short Dutch reason for an outage error, or '' when it is not clear."""
    if isinstance(exc, DatabaseOnbereikbaar):
        return exc.reden
    if isinstance(exc, PoolTimeoutError):
        return "alle verbindingen zijn bezet"
    tekst = str(_driverfout(exc) or exc).lower()
    return next((nl for patroon, nl in _REDENEN if re.search(patroon, tekst)), "")


@contextmanager
def bij_onbereikbaar(plek: str | None = None) -> Iterator[None]:
    """Inside: an outage error becomes :class:`DatabaseOnbereikbaar`; every other
    error passes through unchanged. ``plek`` names the database in the message
    (default: :func:`database_url` without password, looked up only on an outage)."""
    try:
        yield
    except DatabaseOnbereikbaar:
        raise
    except SQLAlchemyError as exc:
        if not is_onbereikbaar(exc):
            raise
        if plek is None:
            plek = make_url(database_url()).render_as_string(hide_password=True)
        raise DatabaseOnbereikbaar(plek, reden_onbereikbaar(exc)) from exc


def alembic_config(connection=None):
    """Alembic Config built in code; ``connection`` is handed to env.py if given."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIES))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def migreer(engine: Engine, revisie: str = "head") -> None:
    """Bring the schema to ``revisie`` (default head). Safe to call at every start.

    Concurrent callers are serialised: SQLite by BEGIN IMMEDIATE, PostgreSQL by a
    transaction-scoped advisory lock. Afterwards the server secret is checked
    against the database (storage.geheim.controleer_geheim: GeheimFout when the
    codes were hashed with another secret).
    """
    from alembic import command

    from storage.geheim import controleer_geheim

    with schrijfslot(engine), _schrijf_bind(engine).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATIE_SLOT})
        command.upgrade(alembic_config(conn), revisie)
        controleer_geheim(conn)


def huidige_revisie(engine: Engine) -> str | None:
    """The Alembic revision the database is at, or None when unmigrated."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def schema_stand(engine: Engine) -> str:
    """How the schema relates to this code's migrations: ``"actueel"`` (at head),
    ``"leeg"`` (never migrated), ``"oud"`` (a known older revision) or ``"nieuwer"``
    (a revision this code does not know: migrated by a newer version)."""
    from alembic.script import ScriptDirectory

    stand = huidige_revisie(engine)
    scripts = ScriptDirectory.from_config(alembic_config())
    if stand is None:
        return "leeg"
    if stand == scripts.get_current_head():
        return "actueel"
    return "oud" if stand in {s.revision for s in scripts.walk_revisions()} else "nieuwer"


# The local PostgreSQL that tests and benchmarks use ($ZBT_TEST_PG_URL overrides).
PG_TEST_KANDIDATEN = (
    "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    "postgresql+psycopg://root@127.0.0.1:5432/test",
)


def bereikbare_test_postgresql() -> tuple[str | None, str]:
    """(the first reachable test PostgreSQL URL or None, the reasons when None)."""
    kandidaten = [os.environ["ZBT_TEST_PG_URL"]] if os.environ.get("ZBT_TEST_PG_URL") else PG_TEST_KANDIDATEN
    redenen = []
    for url in kandidaten:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return url, ""
        except Exception as exc:  # noqa: BLE001 - any failure means "not usable"
            redenen.append(f"{make_url(url).render_as_string()}: {str(exc).splitlines()[0]}")
        finally:
            engine.dispose()
    return None, "; ".join(redenen)
