"""Fair waiting in storage: the line of SQLite writers, the fair connection pool,
its size from ZBT_DATABASE_POOL and the bounded retry pause (storage/db.py,
storage/pool.py). SQLite file and PostgreSQL (mandatory with CI=true).

No timing assertions: order is made deterministic by waiting until a thread is
seen in the line (``wachtend``) before the next one starts.
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from storage import db
from storage import repository as repo
from storage.antwoorden import wachtende_opslagen
from storage.bereik import SYSTEEM
from storage.models import AntwoordWijziging
from storage.pool import EerlijkePool, EerlijkeRij
from test_storage import engine, leeg_engine, pg_basis_of_overslaan, ronde  # noqa: F401 - fixtures by name

pytestmark = pytest.mark.db


def wacht_tot(voorwaarde, wat: str) -> None:
    """Poll until ``voorwaarde()`` holds (a thread reached a point); fail after 30 s."""
    grens = time.monotonic() + 30
    while not voorwaarde():
        if time.monotonic() > grens:
            pytest.fail(f"bleef wachten op: {wat}")
        time.sleep(0.005)


# ------------------------------------------------------------------ EerlijkeRij


def test_rij_bedient_in_volgorde_van_aankomst():
    rij = EerlijkeRij(1)
    assert rij.neem()
    volgorde: list[int] = []

    def werk(n: int) -> None:
        assert rij.neem(30)
        volgorde.append(n)
        rij.geef()

    draden = []
    for n in range(8):
        draden.append(threading.Thread(target=werk, args=(n,)))
        draden[-1].start()
        wacht_tot(lambda n=n: rij.wachtend == n + 1, f"draad {n} in de rij")
    rij.geef()
    for d in draden:
        d.join(30)
    assert volgorde == list(range(8))
    assert rij.neem(0)  # all given back: the place is free again


def test_rij_laat_niemand_voorkruipen():
    """Who gives a place back and takes one at once gets in line behind a waiter
    (threading.Semaphore and SQLAlchemy's pool queue would let it through)."""
    rij = EerlijkeRij(1)
    assert rij.neem()
    gekregen = threading.Event()

    def wachter() -> None:
        assert rij.neem(30)
        gekregen.set()

    draad = threading.Thread(target=wachter)
    draad.start()
    wacht_tot(lambda: rij.wachtend == 1, "de wachter in de rij")
    rij.geef()
    assert not rij.neem(0)  # the place went to the waiter
    draad.join(30)
    assert gekregen.is_set()
    rij.geef()


def test_rij_tijd_op_en_te_vaak_teruggeven():
    rij = EerlijkeRij(2)
    assert rij.neem(0) and rij.neem(0)
    assert not rij.neem(0.01)
    assert rij.wachtend == 0  # who gave up left the line
    rij.geef()
    assert rij.neem(0)
    rij.geef()
    rij.geef()
    with pytest.raises(RuntimeError):
        rij.geef()
    with pytest.raises(ValueError):
        EerlijkeRij(0)


# ------------------------------------------------------------------ line of SQLite writers


@contextmanager
def slot_bezet(engine):
    """Another thread holds the SQLite writers' line of `engine` while the block runs."""
    vast, los = threading.Event(), threading.Event()

    def houd_vast() -> None:
        with db.schrijfslot(engine):
            vast.set()
            los.wait(30)

    draad = threading.Thread(target=houd_vast)
    draad.start()
    vast.wait(30)
    try:
        yield
    finally:
        los.set()
        draad.join(30)


@pytest.fixture
def sqlite_engine(tmp_path):
    engine = db.maak_engine(f"sqlite:///{tmp_path / 'rij.db'}")
    db.migreer(engine)
    yield engine
    engine.dispose()


def test_sqlite_schrijvers_in_volgorde_van_aankomst(sqlite_engine):
    """Writers that arrive while the write lock is held save in order of arrival,
    not in the order SQLite's busy handler happens to let them in."""
    engine = sqlite_engine
    g = repo.maak_gemeente(engine, "Rijgemeente", door=SYSTEEM)
    r = repo.maak_ronde(engine, g.id, "2026", {"stj": "2025.1"}, door=SYSTEEM)
    respondenten = [repo.maak_respondent(engine, r.id, "gemeente", door=SYSTEEM)[0].id for _ in range(6)]
    rij = db.schrijversrij(engine)
    assert rij is not None and rij.plaatsen == 1
    fouten: list[BaseException] = []

    def schrijf(n: int) -> None:
        try:
            repo.bewaar_antwoord(engine, respondenten[n], "stj", "c1", "3", f"schrijver {n}")
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            fouten.append(exc)

    draden = []
    with db.sessie(engine, schrijven=True) as s:  # holds the write lock
        s.execute(text("SELECT 1"))
        for n in range(6):
            draden.append(threading.Thread(target=schrijf, args=(n,)))
            draden[-1].start()
            wacht_tot(lambda n=n: wachtende_opslagen(engine) == n + 1, f"schrijver {n} wacht")
        assert rij.wachtend == 1  # only the first leads and waits for the lock; the rest wait for it
    for d in draden:
        d.join(60)
    assert fouten == []
    assert wachtende_opslagen(engine) == 0
    with db.sessie(engine) as s:
        opgeslagen = s.scalars(select(AntwoordWijziging.toelichting).order_by(AntwoordWijziging.id)).all()
    assert opgeslagen == [f"schrijver {n}" for n in range(6)]


def test_sqlite_samen_opslaan_weigert_alleen_de_foute(sqlite_engine):
    """In one group commit a refused save (closed ronde, unknown respondent) raises for
    its own caller only; the others in the same commit are saved."""
    engine = sqlite_engine
    g = repo.maak_gemeente(engine, "Bundelgemeente", door=SYSTEEM)
    open_ = repo.maak_ronde(engine, g.id, "open", {"stj": "2025.1"}, door=SYSTEEM)
    dicht = repo.maak_ronde(engine, g.id, "dicht", {"stj": "2025.1"}, door=SYSTEEM)
    goed = [repo.maak_respondent(engine, open_.id, "gemeente", door=SYSTEEM)[0].id for _ in range(2)]
    fout = repo.maak_respondent(engine, dicht.id, "gemeente", door=SYSTEEM)[0].id
    repo.zet_ronde_status(engine, dicht.id, "gesloten", door=SYSTEEM)
    uitkomst: dict[int, str] = {}

    def schrijf(n: int, rid: int) -> None:
        try:
            repo.bewaar_antwoord(engine, rid, "stj", "c1", "3", f"opslag {n}")
            uitkomst[n] = "bewaard"
        except ValueError as exc:
            uitkomst[n] = str(exc)

    volgorde = [goed[0], fout, fout + 1000, goed[1]]
    draden = []
    with db.sessie(engine, schrijven=True) as s:
        s.execute(text("SELECT 1"))
        for n, rid in enumerate(volgorde):
            draden.append(threading.Thread(target=schrijf, args=(n, rid)))
            draden[-1].start()
            wacht_tot(lambda n=n: wachtende_opslagen(engine) == n + 1, f"opslag {n} wacht")
    for d in draden:
        d.join(60)
    assert uitkomst[0] == uitkomst[3] == "bewaard"
    assert "is gesloten" in uitkomst[1] and "Onbekende respondent" in uitkomst[2]
    assert repo.antwoorden_van(engine, goed[1]) == {("stj", "c1"): ("3", "opslag 3")}
    assert repo.antwoorden_van(engine, fout) == {}


def test_sqlite_opslag_die_niet_aan_de_beurt_komt_blijft_niet_hangen(sqlite_engine, monkeypatch):
    """A save whose leader cannot get the lock in time fails (after the retries) and
    leaves no waiting save behind that a later commit would still write."""
    engine = sqlite_engine
    g = repo.maak_gemeente(engine, "Wachtgemeente", door=SYSTEEM)
    r = repo.maak_ronde(engine, g.id, "2026", {"stj": "2025.1"}, door=SYSTEEM)
    rid = repo.maak_respondent(engine, r.id, "gemeente", door=SYSTEEM)[0].id
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 20)
    with slot_bezet(engine):
        with pytest.raises(OperationalError):
            repo.bewaar_antwoord(engine, rid, "stj", "c1", "3", "te laat")
        assert wachtende_opslagen(engine) == 0
    repo.bewaar_antwoord(engine, rid, "stj", "c2", "2", "daarna")
    assert [w.toelichting for w in repo.wijzigingen_van(engine, rid)] == ["daarna"]


def test_schrijversrij_per_bestand_en_herintreedbaar(sqlite_engine, tmp_path):
    tweede = db.maak_engine(f"sqlite:///{tmp_path / 'rij.db'}")
    ander = db.maak_engine(f"sqlite:///{tmp_path / 'ander.db'}")
    try:
        rij = db.schrijversrij(sqlite_engine)
        assert db.schrijversrij(tweede) is rij  # one line per file, whatever the engine
        assert db.schrijversrij(ander) is not rij
        assert db.schrijversrij(db.maak_engine("sqlite://")) is None  # in memory: no line
        with db.schrijfslot(sqlite_engine), db.schrijfslot(tweede):  # reentrant in one thread
            assert not rij.neem(0)
        assert rij.neem(0)  # free again after the outer block
        rij.geef()
    finally:
        tweede.dispose()
        ander.dispose()


def test_schrijversrij_wachten_te_lang_is_een_tijdelijke_fout(sqlite_engine, monkeypatch):
    """Waiting longer than busy_timeout gives SQLite's own 'database is locked'
    error, which met_herhaling retries."""
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 20)
    with slot_bezet(sqlite_engine):
        with pytest.raises(OperationalError) as fout:
            with db.schrijfslot(sqlite_engine):
                pass
        assert db.is_tijdelijke_fout(fout.value)
        assert not db.is_onbereikbaar(fout.value)


# ------------------------------------------------------------------ fair pool and its size


def test_pool_grootte_uit_omgeving():
    assert db.pool_grootte({}) == db.POOL_STANDAARD == 10
    assert db.pool_grootte({db.POOL_ENV: " 3 "}) == 3
    assert db.pool_grootte({db.POOL_ENV: str(db.POOL_MAX)}) == db.POOL_MAX
    instellingen = db.pool_instellingen({db.POOL_ENV: "4"})
    assert instellingen["poolclass"] is EerlijkePool
    assert (instellingen["pool_size"], instellingen["max_overflow"]) == (4, 0)


@pytest.mark.parametrize("waarde", ["0", "-1", "abc", "2.5", "101", "10 20", "１０"])
def test_pool_grootte_fout_noemt_de_variabele(waarde, monkeypatch, tmp_path):
    with pytest.raises(ValueError, match=f"{db.POOL_ENV} moet een geheel getal van 1 tot en met 100"):
        db.pool_grootte({db.POOL_ENV: waarde})
    monkeypatch.setenv(db.POOL_ENV, waarde)
    with pytest.raises(ValueError, match=db.POOL_ENV):
        db.maak_engine(f"sqlite:///{tmp_path / 'x.db'}")


def test_engine_krijgt_eerlijke_pool_uit_omgeving(leeg_engine, monkeypatch):  # noqa: F811
    """maak_engine on SQLite and PostgreSQL: EerlijkePool, size from ZBT_DATABASE_POOL,
    no overflow, and the pool stays so after dispose (which recreates it)."""
    assert isinstance(leeg_engine.pool, EerlijkePool)
    assert (leeg_engine.pool.size(), leeg_engine.pool.rij.plaatsen) == (db.POOL_STANDAARD, db.POOL_STANDAARD)
    monkeypatch.setenv(db.POOL_ENV, "3")
    engine = db.maak_engine(leeg_engine.url)
    try:
        assert isinstance(engine.pool, EerlijkePool)
        assert (engine.pool.size(), engine.pool.rij.plaatsen, engine.pool.timeout()) == (3, 3, db.POOL_WACHT)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar() == 1
        engine.dispose()
        assert isinstance(engine.pool, EerlijkePool) and engine.pool.rij.plaatsen == 3
    finally:
        engine.dispose()


@pytest.mark.parametrize("soort", ["sqlite", "postgresql"])
def test_pool_geeft_verbinding_aan_wie_het_eerst_wachtte(soort, tmp_path):
    """A thread that returns a connection and asks again at once waits behind one
    that was already waiting (SQLAlchemy's QueuePool lets it take it back); a wait
    that runs out is an outage error 'alle verbindingen zijn bezet'."""
    url = f"sqlite:///{tmp_path / 'pool.db'}" if soort == "sqlite" else pg_basis_of_overslaan()
    engine = create_engine(url, poolclass=EerlijkePool, pool_size=1, max_overflow=0, pool_timeout=0.05)
    try:
        eerste = engine.connect()
        gekregen = threading.Event()
        klaar = threading.Event()

        def wachter() -> None:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
                gekregen.set()
                klaar.wait(30)

        draad = threading.Thread(target=wachter)
        draad.start()
        wacht_tot(lambda: engine.pool.rij.wachtend == 1, "de wachter in de rij van de pool")
        eerste.close()
        with pytest.raises(PoolTimeoutError) as fout:
            engine.connect()
        assert db.is_onbereikbaar(fout.value)
        assert db.reden_onbereikbaar(fout.value) == "alle verbindingen zijn bezet"
        wacht_tot(gekregen.is_set, "de wachter kreeg de verbinding")
        klaar.set()
        draad.join(30)
        with engine.connect() as conn:  # given back: free again
            assert conn.execute(text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()


def test_pool_zonder_grens_heeft_geen_rij(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'x.db'}", poolclass=EerlijkePool, pool_size=1, max_overflow=-1)
    try:
        assert engine.pool.rij is None
        with engine.connect() as a, engine.connect() as b:
            assert a.execute(text("SELECT 1")).scalar() == b.execute(text("SELECT 2")).scalar() - 1
    finally:
        engine.dispose()


# ------------------------------------------------------------------ retry pause


def test_herhaal_wacht_kort_en_begrensd():
    for poging in range(1, 12):
        grens = min(db.HERHAAL_MAX_WACHT, 0.01 * 2 ** (poging - 1))
        for _ in range(20):
            wacht = db.herhaal_wacht(poging)
            assert grens / 2 <= wacht <= grens <= db.HERHAAL_MAX_WACHT


def test_met_herhaling_pauzeert_begrensd(monkeypatch):
    pauzes: list[float] = []
    monkeypatch.setattr(db.time, "sleep", pauzes.append)

    def altijd_locked():
        raise OperationalError("X", {}, __import__("sqlite3").OperationalError("database is locked"))

    with pytest.raises(OperationalError):
        db.met_herhaling(altijd_locked, pogingen=8)
    assert len(pauzes) == 7
    assert all(0 < p <= db.HERHAAL_MAX_WACHT for p in pauzes)


# ------------------------------------------------------------------ the lean save path


def test_bewaar_antwoord_meldingen(engine, ronde):  # noqa: F811
    """The one-statement checks of bewaar_antwoord give the same Dutch errors."""
    resp, _ = repo.maak_respondent(engine, ronde.id, "gemeente", door=SYSTEEM)
    with pytest.raises(ValueError, match="Onbekende respondent"):
        repo.bewaar_antwoord(engine, resp.id + 1000, "stj", "c1", "3", "")
    with pytest.raises(ValueError, match="Kader 'onbekend' hoort niet bij deze ronde"):
        repo.bewaar_antwoord(engine, resp.id, "onbekend", "c1", "3", "")
    repo.bewaar_antwoord(engine, resp.id, "stj", "c1", "3", "eerst")
    repo.bewaar_antwoord(engine, resp.id, "stj", "c1", "nvt", "daarna")
    assert repo.antwoorden_van(engine, resp.id) == {("stj", "c1"): ("nvt", "daarna")}
    repo.zet_ronde_status(engine, ronde.id, "gesloten", door=SYSTEEM)
    with pytest.raises(ValueError, match=f"De ronde '{ronde.label}' is gesloten; antwoorden kunnen niet meer"):
        repo.bewaar_antwoord(engine, resp.id, "stj", "c1", "2", "")
    assert [w.toelichting for w in repo.wijzigingen_van(engine, resp.id)] == ["eerst", "daarna"]
