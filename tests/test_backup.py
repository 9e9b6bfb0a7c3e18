"""The shipped backup and restore scripts (scripts/backup.sh, scripts/herstel.sh; docs/hosting.md).

PostgreSQL: each test makes its own scratch databases on the test server (tests/test_storage.py:
pg_basis_of_overslaan; with CI=true an unreachable server fails) and drops them afterwards. The
scripts run as the operator runs them: a subprocess with ZBT_DATABASE_URL. Real data goes in
through the storage layer; after backup, change and restore every row of every table must be
back, the migration version intact and the app able to use it (resume code, new rows).
"""
from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from storage import db
from storage import repository as repo
from storage.bereik import SYSTEEM
from storage.models import Base
from test_storage import pg_basis_of_overslaan

ROOT = Path(__file__).resolve().parents[1]
BACKUP = ROOT / "scripts" / "backup.sh"
HERSTEL = ROOT / "scripts" / "herstel.sh"
VERSIES = {"stj": "2025.1", "mov": "3"}
WACHTWOORD = "ge@heim %wacht\\woord"  # trust auth ignores it; it must never show up in output
DAG = 86_400


def draai(script: Path, *args, url: str | None, **env) -> subprocess.CompletedProcess:
    """Run a script as an operator would: its own environment, ZBT_DATABASE_URL set or not."""
    omgeving = {k: v for k, v in os.environ.items() if not k.startswith(("ZBT_", "PG"))}
    if url is not None:
        omgeving["ZBT_DATABASE_URL"] = url
    omgeving.update(env)
    return subprocess.run(["bash", str(script), *map(str, args)], env=omgeving, capture_output=True,
                          text=True, timeout=120, cwd=ROOT)


def head() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(db.alembic_config()).get_current_head()


def vul(engine) -> dict:
    """Real data through the storage layer: gemeente, ronde, invitation, respondent, answers
    (with their audit trail), consensus and an action."""
    g = repo.maak_gemeente(engine, "Backupstad", regio="Backupregio", door=SYSTEEM)
    r = repo.maak_ronde(engine, g.id, "2026", VERSIES, door=SYSTEEM)
    repo.maak_uitnodigingen(engine, r.id, ["gemeente", "wijkteam"], door=SYSTEEM)
    resp, hervat = repo.maak_respondent(engine, r.id, "gemeente", door=SYSTEEM)
    repo.bewaar_antwoord(engine, resp.id, "stj", "c1", "2", "Eerste indruk")
    repo.bewaar_antwoord(engine, resp.id, "stj", "c1", "3", "Toelichting met é, 'quotes' en\neen regel")
    repo.bewaar_antwoord(engine, resp.id, "mov", "s1", "weet_niet", None)
    repo.bewaar_consensus(engine, r.id, "stj", "c1", "3", "Samen besproken", door=SYSTEEM)
    repo.maak_actie(engine, r.id, "stj", "c1", "Overleg met het wijkteam plannen", door=SYSTEEM)
    return {"ronde": r.id, "respondent": resp.id, "hervat": hervat}


def inhoud(engine) -> dict[str, list[tuple]]:
    """Every row of every table of the app (alembic_version included), in a fixed order."""
    tabellen = [t.name for t in Base.metadata.sorted_tables] + ["alembic_version"]
    with engine.connect() as conn:
        return {t: sorted((tuple(r) for r in conn.execute(text(f"SELECT * FROM {t}"))), key=repr) for t in tabellen}


def controleer_hersteld(engine, voor: dict, data: dict) -> None:
    """The restored database holds exactly the rows of `voor` and the app can work on it."""
    assert inhoud(engine) == voor
    assert len(voor["antwoord"]) == 2 and len(voor["antwoord_wijziging"]) == 3
    assert len(voor["respondent"]) == 1 and len(voor["uitnodiging"]) == 2 and len(voor["verbeteractie"]) == 1
    assert db.huidige_revisie(engine) == head() and db.schema_stand(engine) == "actueel"
    assert repo.antwoorden_van(engine, data["respondent"])[("stj", "c1")] == (
        "3", "Toelichting met é, 'quotes' en\neen regel")
    gevonden = repo.respondent_met_hervatcode(engine, data["hervat"])  # hashes and secret still match
    assert gevonden is not None and gevonden.id == data["respondent"]
    db.migreer(engine)  # what the app does at start: nothing to do, secret check passes
    nieuw, _ = repo.maak_respondent(engine, data["ronde"], "wijkteam", door=SYSTEEM)  # sequences restored too
    assert nieuw.id > data["respondent"]


def maak_oude_bestanden(map_: Path) -> dict[str, Path]:
    """Files for the retention check: an old and a recent backup of ours, an old file not ours."""
    map_.mkdir()
    bestanden = {"oud": map_ / "zbt-20200101-000000.dump", "oud_db": map_ / "zbt-20200101-000000.db",
                 "recent": map_ / "zbt-20261129-000000.dump", "vreemd": map_ / "notities.dump"}
    for naam, pad in bestanden.items():
        pad.write_bytes(b"x")
        leeftijd = DAG if naam == "recent" else 30 * DAG
        os.utime(pad, (time.time() - leeftijd, time.time() - leeftijd))
    return bestanden


def nieuwe_backup(uit: subprocess.CompletedProcess, map_: Path, extensie: str) -> Path:
    assert uit.returncode == 0, uit.stderr
    pad = Path(uit.stdout.strip().splitlines()[-1])
    assert pad.parent == map_ and re.fullmatch(rf"zbt-\d{{8}}-\d{{6}}\.{extensie}", pad.name), pad
    assert pad.stat().st_mode & 0o077 == 0, "a backup holds every answer: owner only"
    assert not list(map_.glob(".zbt-*")), "no temporary file left behind"
    return pad


# ------------------------------------------------------------------ PostgreSQL


@pytest.fixture
def pg_database():
    """Makes scratch databases on the test server (URL with a password, as production has);
    drops them all afterwards."""
    basis = make_url(pg_basis_of_overslaan())
    beheer = create_engine(basis, isolation_level="AUTOCOMMIT")
    namen: list[str] = []

    def maak() -> str:
        naam = f"zbt_backup_{uuid.uuid4().hex[:10]}"
        with beheer.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{naam}"')
        namen.append(naam)
        return basis.set(database=naam, password=WACHTWOORD).render_as_string(hide_password=False)

    try:
        yield maak
    finally:
        with beheer.connect() as conn:
            for naam in namen:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{naam}" WITH (FORCE)')
        beheer.dispose()


@pytest.mark.db
@pytest.mark.traag
def test_postgresql_backup_en_herstel(pg_database, tmp_path):
    bron_url = pg_database()
    bron = db.maak_engine(bron_url)
    db.migreer(bron)
    data = vul(bron)
    voor = inhoud(bron)

    map_ = tmp_path / "backups"
    uit = draai(BACKUP, "--dagen", "7", map_, url=bron_url)
    backup = nieuwe_backup(uit, map_, "dump")
    assert backup.read_bytes()[:5] == b"PGDMP"  # pg_dump custom format
    for tekst in (uit.stdout, uit.stderr):
        assert WACHTWOORD not in tekst and "geheim" not in tekst and "+psycopg" not in tekst

    # The data changes after the backup (a ronde deleted, a gemeente added).
    repo.verwijder_ronde(bron, data["ronde"], door=SYSTEEM)
    repo.maak_gemeente(bron, "Nieuwstad", door=SYSTEEM)
    assert inhoud(bron) != voor

    # Into a fresh database: refused without confirmation, nothing written.
    doel_url = pg_database()
    doel = db.maak_engine(doel_url)
    geweigerd = draai(HERSTEL, backup, url=doel_url)
    assert geweigerd.returncode == 1 and "--bevestig" in geweigerd.stderr and "niets gewijzigd" in geweigerd.stderr
    assert inspect(doel).get_table_names() == []

    uit = draai(HERSTEL, "--bevestig", backup, url=doel_url)
    assert uit.returncode == 0, uit.stderr
    assert f"databaseversie {head()}" in uit.stderr and WACHTWOORD not in uit.stderr
    controleer_hersteld(doel, voor, data)
    doel.dispose()

    # Over the changed database itself (--clean): confirmed by the variable this time.
    bron.dispose()
    uit = draai(HERSTEL, backup, url=bron_url, ZBT_HERSTEL_BEVESTIGD="ja")
    assert uit.returncode == 0, uit.stderr
    controleer_hersteld(bron, voor, data)
    bron.dispose()


@pytest.mark.db
def test_postgresql_onbereikbare_database_geeft_geen_backup(tmp_path):
    url = make_url(pg_basis_of_overslaan()).set(database=f"zbt_bestaat_niet_{uuid.uuid4().hex[:8]}").render_as_string(
        hide_password=False)
    map_ = tmp_path / "backups"
    uit = draai(BACKUP, map_, url=url)
    assert uit.returncode == 1
    assert "Fout: pg_dump van de database postgresql://" in uit.stderr and "is mislukt" in uit.stderr
    assert list(map_.iterdir()) == []  # no half-written file that looks like a backup


# ------------------------------------------------------------------ SQLite


@pytest.mark.db
@pytest.mark.traag
def test_sqlite_backup_tijdens_schrijven_en_herstel(tmp_path):
    pad = tmp_path / "app.db"
    url = f"sqlite:///{pad}"
    engine = db.maak_engine(url)
    db.migreer(engine)
    data = vul(engine)
    voor = inhoud(engine)
    # The app is running: its connection is open and the last commits are still in the WAL,
    # so a copy of the .db file alone would miss them.
    assert Path(f"{pad}-wal").stat().st_size > 0

    map_ = tmp_path / "backups"
    bestanden = maak_oude_bestanden(map_)
    uit = draai(BACKUP, "--dagen", "7", map_, url=url)
    backup = nieuwe_backup(uit, map_, "db")
    assert backup.read_bytes()[:16] == b"SQLite format 3\0"
    assert not bestanden["oud"].exists() and not bestanden["oud_db"].exists()
    assert bestanden["recent"].exists() and bestanden["vreemd"].exists()
    assert "Verwijderd (ouder dan 7 dagen)" in uit.stderr
    kopie = db.maak_engine(f"sqlite:///{tmp_path / 'kopie.db'}")
    with sqlite3.connect(backup) as b, sqlite3.connect(tmp_path / "kopie.db") as k:
        b.backup(k)
    assert inhoud(kopie) == voor  # WAL content included
    kopie.dispose()

    # Restoring while the app has the database open is refused; nothing changes.
    repo.verwijder_ronde(engine, data["ronde"], door=SYSTEEM)
    veranderd = inhoud(engine)
    geweigerd = draai(HERSTEL, "--bevestig", backup, url=url)
    assert geweigerd.returncode == 1 and "de app draait nog" in geweigerd.stderr, geweigerd.stderr
    assert inhoud(engine) == veranderd

    engine.dispose()  # the app stops
    uit = draai(HERSTEL, "--bevestig", backup, url=url)
    assert uit.returncode == 0, uit.stderr
    assert f"databaseversie {head()}" in uit.stderr
    [bewaard] = tmp_path.glob("app.db.voor-herstel-*")  # the replaced database is kept
    oud = db.maak_engine(f"sqlite:///{bewaard}")
    assert inhoud(oud) == veranderd
    oud.dispose()
    hersteld = db.maak_engine(url)
    controleer_hersteld(hersteld, voor, data)
    hersteld.dispose()


@pytest.mark.db
@pytest.mark.traag
def test_sqlite_app_gestopt_zonder_afsluiten(tmp_path):
    """A stopped app can leave its -wal file behind (killed): the restore folds it in, keeps
    that state in the saved copy and goes on."""
    pad = tmp_path / "app.db"
    engine = db.maak_engine(f"sqlite:///{pad}")
    db.migreer(engine)
    engine.dispose()
    map_ = tmp_path / "b"
    backup = nieuwe_backup(draai(BACKUP, map_, url=f"sqlite:///{pad}"), map_, "db")
    subprocess.run(["python3", "-c", "import os, sqlite3; c = sqlite3.connect(os.sys.argv[1]); "
                    "c.execute('PRAGMA journal_mode=WAL'); c.execute('INSERT INTO instelling VALUES (\"x\", \"y\")'); "
                    "c.commit(); os._exit(0)", str(pad)], check=True)
    assert Path(f"{pad}-wal").exists()
    uit = draai(HERSTEL, "--bevestig", backup, url=f"sqlite:///{pad}")
    assert uit.returncode == 0, uit.stderr
    [bewaard] = tmp_path.glob("app.db.voor-herstel-*")
    with sqlite3.connect(bewaard) as c:
        assert c.execute("SELECT waarde FROM instelling WHERE naam = 'x'").fetchone() == ("y",)
    with sqlite3.connect(pad) as c:
        assert c.execute("SELECT count(*) FROM instelling WHERE naam = 'x'").fetchone() == (0,)


# ------------------------------------------------------------------ bad input


def test_zonder_database_url(tmp_path):
    for script, args in ((BACKUP, [tmp_path]), (HERSTEL, ["--bevestig", tmp_path / "x.dump"])):
        for url in (None, "", "   "):
            uit = draai(script, *args, url=url)
            assert uit.returncode == 1 and uit.stdout == ""
            assert uit.stderr.startswith("Fout: de variabele ZBT_DATABASE_URL is niet gezet."), uit.stderr
    assert list(tmp_path.iterdir()) == []


def test_onbruikbare_database_url(tmp_path):
    for url, melding in (("mysql://u@h/db", "begint met 'mysql': alleen PostgreSQL"),
                         ("zelfbeoordeling.db", "is geen database-URL"),
                         ("sqlite://", "noemt geen bestand"),
                         ("sqlite:///:memory:", "een database in het geheugen")):
        uit = draai(BACKUP, tmp_path, url=url)
        assert uit.returncode == 1 and melding in uit.stderr, (url, uit.stderr)


def test_bestand_bestaat_niet_of_is_geen_backup(tmp_path):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    uit = draai(HERSTEL, "--bevestig", tmp_path / "weg.db", url=url)
    assert uit.returncode == 1
    assert uit.stderr.strip() == f"Fout: het back-upbestand '{tmp_path / 'weg.db'}' bestaat niet."
    (tmp_path / "tekst.db").write_text("geen database")
    uit = draai(HERSTEL, "--bevestig", tmp_path / "tekst.db", url=url)
    assert uit.returncode == 1 and "is geen back-up van scripts/backup.sh" in uit.stderr
    (tmp_path / "pg.dump").write_bytes(b"PGDMP\x01\x0e")
    uit = draai(HERSTEL, "--bevestig", tmp_path / "pg.dump", url=url)
    assert uit.returncode == 1 and "een back-up van een postgresql-database, maar ZBT_DATABASE_URL wijst naar sqlite" \
        in uit.stderr
    uit = draai(HERSTEL, url=url)
    assert uit.returncode == 1 and "geef het back-upbestand op" in uit.stderr
    uit = draai(BACKUP, tmp_path / "b", url=url)  # the database file itself is missing
    assert uit.returncode == 1
    assert uit.stderr.strip() == f"Fout: het databasebestand '{tmp_path / 'app.db'}' bestaat niet (ZBT_DATABASE_URL)."
    assert not (tmp_path / "app.db").exists(), "a backup never creates the app's database"
    assert list((tmp_path / "b").iterdir()) == []


def test_gereedschap_ontbreekt(tmp_path):
    pg = "postgresql+psycopg://zbt@127.0.0.1:1/nergens"
    uit = draai(BACKUP, tmp_path / "b", url=pg, ZBT_PG_BIN="/bestaat/niet")
    assert uit.returncode == 1 and "pg_dump is niet gevonden in ZBT_PG_BIN (/bestaat/niet)" in uit.stderr
    (tmp_path / "pg.dump").write_bytes(b"PGDMP\x01\x0e")
    uit = draai(HERSTEL, "--bevestig", tmp_path / "pg.dump", url=pg, ZBT_PG_BIN="/bestaat/niet")
    assert uit.returncode == 1 and "pg_restore is niet gevonden in ZBT_PG_BIN" in uit.stderr
    # Not on PATH: a PATH with only the basic tools the script needs.
    kaal = tmp_path / "bin"
    kaal.mkdir()
    for naam in ("bash", "dirname", "mkdir", "date", "rm", "head", "tr", "sed", "grep", "find", "mv", "basename"):
        (kaal / naam).symlink_to(subprocess.run(["bash", "-c", f"command -v {naam}"], capture_output=True,
                                                text=True, check=True).stdout.strip())
    uit = draai(BACKUP, tmp_path / "b", url=pg, PATH=str(kaal))
    assert uit.returncode == 1 and "pg_dump is niet gevonden. Installeer de PostgreSQL-clientprogramma's" \
        in uit.stderr, uit.stderr
    (tmp_path / "app.db").write_bytes(b"")
    uit = draai(BACKUP, tmp_path / "b", url=f"sqlite:///{tmp_path / 'app.db'}", ZBT_PYTHON="/bestaat/niet/python3")
    assert uit.returncode == 1 and "/bestaat/niet/python3 is niet gevonden" in uit.stderr


def test_onjuiste_opties(tmp_path):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    for args, melding in ((["--dagen", "nul", tmp_path], "moet een heel getal van 1 of meer zijn, niet 'nul'"),
                          (["--dagen", "0", tmp_path], "niet '0'"),
                          ([], "geef de map voor de back-ups op"),
                          (["--snel", tmp_path], "onbekende optie '--snel'")):
        uit = draai(BACKUP, *args, url=url)
        assert uit.returncode == 1 and melding in uit.stderr, (args, uit.stderr)
    uit = draai(BACKUP, tmp_path, url=url, ZBT_BACKUP_DAGEN="-3")
    assert uit.returncode == 1 and "niet '-3'" in uit.stderr
    for script in (BACKUP, HERSTEL):  # help in Dutch, without a database
        uit = draai(script, "--help", url=None)
        assert uit.returncode == 0 and uit.stdout.startswith("Gebruik: ZBT_DATABASE_URL=... scripts/"), uit.stdout


@pytest.mark.parametrize("url, libpq, wachtwoord, weergave", [
    ("postgresql+psycopg://zbt:ge%40heim%25%5C@db.example:5432/zbt?sslmode=require",
     "postgresql://zbt@db.example:5432/zbt?sslmode=require", "ge@heim%\\", "postgresql://zbt@db.example:5432/zbt"),
    ("postgresql://zbt@10.0.0.5/zbt", "postgresql://zbt@10.0.0.5/zbt", "", "postgresql://zbt@10.0.0.5/zbt"),
    ("postgres+psycopg2://h:6432/db?connect_timeout=3", "postgresql://h:6432/db?connect_timeout=3", "",
     "postgresql://h:6432/db"),
    ("sqlite:////srv/zbt/app.db?timeout=5", "", "", "/srv/zbt/app.db"),
    ("sqlite:///data/zelfbeoordeling.db", "", "", "data/zelfbeoordeling.db"),
])
def test_database_url_naar_libpq(url, libpq, wachtwoord, weergave):
    """SQLAlchemy URLs as the app reads them become what pg_dump (libpq) or SQLite needs; the
    password goes to PGPASSWORD, percent-decoded, and never into the URL or a message."""
    uit = subprocess.run(
        ["bash", "-c", 'fout() { echo "$*" >&2; exit 1; }; source "$1"; unset PGPASSWORD; zbt_lees_url "$2"; '
         'printf "%s\\n" "$ZBT_SOORT" "${ZBT_LIBPQ_URL:-}" "${PGPASSWORD:-}" "$ZBT_WEERGAVE" "${ZBT_SQLITE_PAD:-}"',
         "_", str(ROOT / "scripts" / "zbt-database.sh"), url], capture_output=True, text=True, check=True)
    soort, uit_libpq, uit_wachtwoord, uit_weergave, sqlite_pad = uit.stdout.split("\n")[:5]
    assert (soort, uit_libpq, uit_wachtwoord, uit_weergave) == (
        "sqlite" if url.startswith("sqlite") else "postgresql", libpq, wachtwoord, weergave)
    if soort == "sqlite":
        assert sqlite_pad == str(make_url(url).database)  # the same file SQLAlchemy opens
