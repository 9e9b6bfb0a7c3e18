"""Tests for the storage layer (db, models/migration, repository, demo).

Every test that needs a database runs twice: on a SQLite file in tmp_path and
on PostgreSQL in a fresh schema that is dropped afterwards. PostgreSQL is taken
from $ZBT_TEST_PG_URL or tried at postgresql+psycopg://{postgres,root}@127.0.0.1:5432/test.
When unreachable, the PostgreSQL variant is skipped with the reason, except with
CI=true, where it fails.
"""
from __future__ import annotations

import functools
import hashlib
import hmac
import os
import sqlite3
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import delete, event, func, inspect, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from bench import pg_schema

pytestmark = pytest.mark.db

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from storage import db, demo, geheim, herimport  # noqa: E402
from storage import repository as repo  # noqa: E402
from storage.bereik import SYSTEEM  # noqa: E402
from storage.models import (  # noqa: E402
    Antwoord,
    AntwoordWijziging,
    Base,
    Consensus,
    ConsensusWijziging,
    Gemeente,
    Poging,
    Regio,
    Respondent,
    Ronde,
    RondeKader,
    RondeRol,
    Uitnodiging,
)
from storage.records import natuurlijk  # noqa: E402
from tests.fabriek import KOLOMMEN, antwoorden, maak_kader  # noqa: E402
from uitwisselformaat import UitwisselFout, lees_csv, schrijf_csv  # noqa: E402

MODELLEN = (
    Regio, Gemeente, Ronde, RondeKader, RondeRol, Uitnodiging, Respondent, Antwoord,
    AntwoordWijziging, Consensus, ConsensusWijziging, Poging,
)
TABELLEN = {m.__tablename__ for m in MODELLEN}
HEAD = "0007"

# ------------------------------------------------------------------ kaders

KADERS = {
    "stj": maak_kader(["c1", "c2", "c10"], "stj", versie="2025.1"),
    "mov": maak_kader(["s1", "s2", "s3"], "mov", versie="3"),
}
VERSIES = {k.id: k.versie for k in KADERS.values()}
ROLLEN = {
    "gemeente": [("stj", "c1"), ("stj", "c2"), ("stj", "c10"), ("mov", "s1"), ("mov", "s2"), ("mov", "s3")],
    "wijkteam": [("stj", "c1"), ("stj", "c2"), ("mov", "s1")],
    "onderwijs": [("mov", "s1"), ("mov", "s2")],
}

# ------------------------------------------------------------------ databases

@functools.lru_cache(maxsize=1)
def pg_basis() -> tuple[str | None, str]:
    """(reachable PostgreSQL URL or None, reason when None), asked once per test run."""
    return db.bereikbare_test_postgresql()


def pg_basis_of_overslaan() -> str:
    """The PostgreSQL URL for a test; skipped when unreachable, except with CI=true: then it fails."""
    basis, reden = pg_basis()
    if basis is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true maar PostgreSQL is niet bereikbaar: {reden}")
        pytest.skip(f"PostgreSQL niet bereikbaar: {reden}")
    return basis


@pytest.fixture(params=["sqlite", "postgresql"])
def leeg_engine(request, tmp_path):
    """An Engine on an empty database (not migrated)."""
    if request.param == "sqlite":
        engine = db.maak_engine(f"sqlite:///{tmp_path / 'test.db'}")
        yield engine
        engine.dispose()
        return
    with pg_schema(pg_basis_of_overslaan(), "test") as engine:
        yield engine


@pytest.fixture
def engine(leeg_engine):
    db.migreer(leeg_engine)
    return leeg_engine


@pytest.fixture
def ronde(engine):
    g = repo.maak_gemeente(engine, "Testgemeente", regio="Testregio", door=SYSTEEM)
    return repo.maak_ronde(engine, g.id, "2026", VERSIES, door=SYSTEEM)


def tellingen(engine) -> dict[str, int]:
    with db.sessie(engine) as s:
        return {m.__tablename__: s.scalar(select(func.count()).select_from(m)) for m in MODELLEN}


# ------------------------------------------------------------------ db / migration


def test_database_url_standaard_en_env(monkeypatch):
    monkeypatch.delenv(db.ENV_VAR, raising=False)
    assert db.database_url() == f"sqlite:///{ROOT / 'data' / 'zelfbeoordeling.db'}"
    assert (ROOT / "data").is_dir()
    monkeypatch.setenv(db.ENV_VAR, "postgresql+psycopg://x@localhost/y")
    assert db.database_url() == "postgresql+psycopg://x@localhost/y"


def test_migratie_maakt_tabellen(leeg_engine):
    assert db.huidige_revisie(leeg_engine) is None
    db.migreer(leeg_engine)
    db.migreer(leeg_engine)  # second run is a no-op
    assert db.huidige_revisie(leeg_engine) == HEAD
    tabellen = set(inspect(leeg_engine).get_table_names())
    assert TABELLEN | {"alembic_version"} <= tabellen
    kolommen = {k["name"] for k in inspect(leeg_engine).get_columns("respondent")}
    assert kolommen == {"id", "ronde_id", "pseudoniem", "rol", "hervat_hash", "organisatie", "aangemaakt"}


def test_modellen_komen_overeen_met_migratie(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        verschillen = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert verschillen == []


def test_sqlite_pragmas(tmp_path):
    engine = db.maak_engine(f"sqlite:///{tmp_path / 'p.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    engine.dispose()


def test_sqlite_schrijft_met_begin_immediate(tmp_path):
    """Writes take the SQLite write lock at BEGIN, so they queue on busy_timeout
    instead of failing when upgrading a read lock; reads stay deferred."""
    engine = db.maak_engine(f"sqlite:///{tmp_path / 'b.db'}")
    db.migreer(engine)
    g = repo.maak_gemeente(engine, "G", door=SYSTEEM)
    r = repo.maak_ronde(engine, g.id, "2026", VERSIES, door=SYSTEEM)
    resp, _ = repo.maak_respondent(engine, r.id, "gemeente", door=SYSTEEM)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    repo.bewaar_antwoord(engine, resp.id, "stj", "c1", "3", "")
    repo.antwoorden_van(engine, resp.id)
    assert [s for s in statements if s.startswith("BEGIN")] == ["BEGIN IMMEDIATE", "BEGIN DEFERRED"]
    engine.dispose()


def test_cascade_vanaf_ronde(engine, ronde):
    resp, _ = repo.maak_respondent(engine, ronde.id, "gemeente", door=SYSTEEM)
    repo.bewaar_antwoord(engine, resp.id, "stj", "c1", "3", "x")
    with db.sessie(engine, schrijven=True) as s:
        s.execute(delete(Ronde).where(Ronde.id == ronde.id))
    t = tellingen(engine)
    assert (t["ronde"], t["ronde_kader"], t["respondent"], t["antwoord"], t["antwoord_wijziging"]) == (0, 0, 0, 0, 0)
    assert t["gemeente"] == 1


def test_met_herhaling_bij_lock():
    pogingen = []

    def actie():
        pogingen.append(1)
        if len(pogingen) < 3:
            raise OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))
        return "ok"

    assert db.met_herhaling(actie, basis_wacht=0.001) == "ok"
    assert len(pogingen) == 3


def test_met_herhaling_geeft_op_en_herhaalt_geen_andere_fouten():
    pogingen = []

    def altijd_locked():
        pogingen.append(1)
        raise OperationalError("X", {}, sqlite3.OperationalError("database is locked"))

    with pytest.raises(OperationalError):
        db.met_herhaling(altijd_locked, pogingen=5, basis_wacht=0.001)
    assert len(pogingen) == 5

    pogingen.clear()

    def kapot():
        pogingen.append(1)
        raise OperationalError("X", {}, sqlite3.OperationalError("no such table: x"))

    with pytest.raises(OperationalError):
        db.met_herhaling(kapot, basis_wacht=0.001)
    assert len(pogingen) == 1


# ------------------------------------------------------------------ gemeente / ronde


def test_gemeente_en_ronde(engine, ronde):
    assert ronde.gemeente == "Testgemeente" and ronde.label == "2026"
    assert ronde.kader_versies == {"mov": "3", "stj": "2025.1"}
    assert ronde.kader_ids == ("mov", "stj")
    assert ronde.status == "open" and ronde.is_open and not ronde.demo
    assert ronde.aangemaakt.tzinfo is not None
    assert [r.id for r in repo.rondes(engine)] == [ronde.id]
    assert repo.ronde(engine, ronde.id) == ronde
    assert repo.ronde(engine, 999_999) is None
    assert repo.gemeenten(engine)[0].regio == "Testregio"
    with pytest.raises(ValueError, match="bestaat al"):
        repo.maak_gemeente(engine, "Testgemeente", door=SYSTEEM)
    with pytest.raises(ValueError, match="heeft al een ronde '2026'"):
        repo.maak_ronde(engine, ronde.gemeente_id, "2026", VERSIES, door=SYSTEEM)


def test_rondes_gesorteerd_met_aantallen(engine, ronde):
    b = repo.maak_gemeente(engine, "Anderstad", demo=True, door=SYSTEEM)
    r2 = repo.maak_ronde(engine, b.id, "2027", {"stj": "2025.1"}, door=SYSTEEM)
    repo.maak_respondent(engine, ronde.id, "gemeente", door=SYSTEEM)
    repo.maak_respondent(engine, ronde.id, "wijkteam", door=SYSTEEM)
    lijst = repo.rondes(engine)
    assert [(r.gemeente, r.label, r.demo, r.respondenten) for r in lijst] == [
        ("Anderstad", "2027", True, 0), ("Testgemeente", "2026", False, 2),
    ]
    assert lijst[0].id == r2.id and lijst[0].kader_ids == ("stj",)


# ------------------------------------------------------------------ respondents


def test_hervatcode_opzoeken_en_alleen_hash_opgeslagen(engine, ronde):
    resp, code = repo.maak_respondent(engine, ronde.id, "wijkteam", door=SYSTEEM)
    assert len(code) == 12 and code[4] == "-" and code[9] == "-"
    assert set(code.replace("-", "")) <= set(repo.HERVAT_ALFABET)
    assert resp.pseudoniem.startswith("r-") and len(resp.pseudoniem) == 8
    for variant in (code, code.lower(), code.replace("-", ""), " " + code.replace("-", " ").lower() + " "):
        gevonden = repo.respondent_met_hervatcode(engine, variant)
        assert gevonden is not None and gevonden.id == resp.id, variant
    assert repo.respondent_met_hervatcode(engine, "AAAA-AAAA-AA") is None
    assert repo.respondent_met_hervatcode(engine, "") is None

    kaal = code.replace("-", "")
    with engine.connect() as conn:
        opgeslagen = conn.execute(select(Respondent.hervat_hash)).scalar_one()
        alle_tekst = [
            str(waarde)
            for tabel in sorted(TABELLEN)
            for rij in conn.execute(text(f"SELECT * FROM {tabel}"))
            for waarde in rij
        ]
    # keyed: HMAC(server secret, sha256(code)), never the plain sha256 (tests/test_beveiliging_codes.py)
    assert opgeslagen == hmac.new(geheim.geheim(), hashlib.sha256(kaal.encode()).hexdigest().encode(),
                                  hashlib.sha256).hexdigest()
    assert not any(kaal in w or code in w or kaal.lower() in w for w in alle_tekst)


def test_respondent_alleen_in_open_ronde(engine, ronde):
    repo.zet_ronde_status(engine, ronde.id, "gesloten", door=SYSTEEM)
    with pytest.raises(ValueError, match="gesloten"):
        repo.maak_respondent(engine, ronde.id, "gemeente", door=SYSTEEM)
    assert tellingen(engine)["respondent"] == 0


# ------------------------------------------------------------------ answers


def test_bewaar_antwoord_en_wijzigingen(engine, ronde):
    resp, _ = repo.maak_respondent(engine, ronde.id, "gemeente", door=SYSTEEM)
    repo.bewaar_antwoord(engine, resp.id, "stj", "c1", "2", "Eerste indruk")
    repo.bewaar_antwoord(engine, resp.id, "stj", "c1", "3", "Na overleg bijgesteld")
    repo.bewaar_antwoord(engine, resp.id, "mov", "s1", None, "Alleen een toelichting")
    repo.bewaar_antwoord(engine, resp.id, "mov", "s2", "weet_niet", None)

    assert repo.antwoorden_van(engine, resp.id) == {
        ("stj", "c1"): ("3", "Na overleg bijgesteld"),
        ("mov", "s1"): (None, "Alleen een toelichting"),
        ("mov", "s2"): ("weet_niet", ""),
    }
    spoor = repo.wijzigingen_van(engine, resp.id)
    assert [(w.kader_id, w.criterium_id, w.score, w.toelichting) for w in spoor] == [
        ("stj", "c1", "2", "Eerste indruk"),
        ("stj", "c1", "3", "Na overleg bijgesteld"),
        ("mov", "s1", None, "Alleen een toelichting"),
        ("mov", "s2", "weet_niet", ""),
    ]
    assert spoor[0].tijdstip <= spoor[1].tijdstip
    t = tellingen(engine)
    assert (t["antwoord"], t["antwoord_wijziging"]) == (3, 4)


def test_gesloten_ronde_weigert_antwoord(engine, ronde):
    resp, _ = repo.maak_respondent(engine, ronde.id, "gemeente", door=SYSTEEM)
    repo.bewaar_antwoord(engine, resp.id, "stj", "c1", "2", "")
    repo.zet_ronde_status(engine, ronde.id, "gesloten", door=SYSTEEM)
    assert repo.ronde(engine, ronde.id).status == "gesloten"
    with pytest.raises(ValueError, match="is gesloten"):
        repo.bewaar_antwoord(engine, resp.id, "stj", "c1", "4", "te laat")
    assert repo.antwoorden_van(engine, resp.id) == {("stj", "c1"): ("2", "")}
    assert len(repo.wijzigingen_van(engine, resp.id)) == 1
    repo.zet_ronde_status(engine, ronde.id, "open", door=SYSTEEM)
    repo.bewaar_antwoord(engine, resp.id, "stj", "c1", "4", "weer open")
    assert repo.antwoorden_van(engine, resp.id)[("stj", "c1")] == ("4", "weer open")


@pytest.mark.parametrize("args, melding", [
    (("stj", "c1", "vijf", ""), "geen geldige score"),
    (("onbekend", "c1", "3", ""), "hoort niet bij deze ronde"),
])
def test_bewaar_antwoord_weigert_ongeldig(engine, ronde, args, melding):
    resp, _ = repo.maak_respondent(engine, ronde.id, "gemeente", door=SYSTEEM)
    with pytest.raises(ValueError, match=melding):
        repo.bewaar_antwoord(engine, resp.id, *args)
    with pytest.raises(ValueError, match="Onbekende respondent"):
        repo.bewaar_antwoord(engine, resp.id + 1000, "stj", "c1", "3", "")
    assert tellingen(engine)["antwoord_wijziging"] == 0


def test_gelijktijdig_bewaren(engine, ronde):
    """Several threads saving at once: no lost writes, one audit row per save."""
    respondenten = [repo.maak_respondent(engine, ronde.id, "gemeente", door=SYSTEEM)[0] for _ in range(6)]
    fouten: list[BaseException] = []

    def werk(resp):
        try:
            for i in range(8):
                repo.bewaar_antwoord(engine, resp.id, "stj", ["c1", "c2"][i % 2], str(i % 4 + 1), f"versie {i}")
        except BaseException as exc:  # noqa: BLE001
            fouten.append(exc)

    draden = [threading.Thread(target=werk, args=(r,)) for r in respondenten]
    for d in draden:
        d.start()
    for d in draden:
        d.join()
    assert fouten == []
    t = tellingen(engine)
    assert (t["antwoord"], t["antwoord_wijziging"]) == (12, 48)
    assert repo.antwoorden_van(engine, respondenten[0].id) == {
        ("stj", "c1"): ("3", "versie 6"), ("stj", "c2"): ("4", "versie 7"),
    }


def test_antwoorden_df(engine, ronde):
    a, _ = repo.maak_respondent(engine, ronde.id, "wijkteam", door=SYSTEEM)
    b, _ = repo.maak_respondent(engine, ronde.id, "gemeente", door=SYSTEEM)
    for resp in (b, a):
        repo.bewaar_antwoord(engine, resp.id, "stj", "c10", "1", "tien, met \"komma\"")
        repo.bewaar_antwoord(engine, resp.id, "stj", "c2", "nvt", "")
        repo.bewaar_antwoord(engine, resp.id, "mov", "s1", "4", "")
    repo.bewaar_antwoord(engine, a.id, "mov", "s2", None, "nog geen score")
    ander = repo.maak_ronde(engine, ronde.gemeente_id, "2027", VERSIES, door=SYSTEEM)
    c, _ = repo.maak_respondent(engine, ander.id, "gemeente", door=SYSTEEM)
    repo.bewaar_antwoord(engine, c.id, "stj", "c1", "3", "andere ronde")

    df = repo.antwoorden_df(engine, ronde.id)
    assert list(df.columns) == list(KOLOMMEN)
    eerst, later = sorted([a, b], key=lambda r: natuurlijk(r.pseudoniem))  # "r-9.." < "r-10.."
    verwacht = [
        ["Testgemeente", "2026", r.pseudoniem, r.rol, k, c_, s, t]
        for r in (eerst, later)
        for k, c_, s, t in (("mov", "s1", "4", ""), ("stj", "c2", "nvt", ""), ("stj", "c10", "1", "tien, met \"komma\""))
    ]
    assert df.values.tolist() == verwacht
    assert list(df.index) == list(range(6))
    assert "nog geen score" not in df["toelichting"].tolist()

    terug = lees_csv(schrijf_csv(df), KADERS, set(ROLLEN))
    pd.testing.assert_frame_equal(terug.reset_index(drop=True), df)


def test_antwoorden_df_lege_ronde(engine, ronde):
    df = repo.antwoorden_df(engine, ronde.id)
    assert list(df.columns) == list(KOLOMMEN) and len(df) == 0


# ------------------------------------------------------------------ import


def csv_df(*rijen: str):
    data = ("\r\n".join([",".join(KOLOMMEN), *rijen]) + "\r\n").encode()
    return lees_csv(data, KADERS, set(ROLLEN), bestand="import.csv")


def momentopname(engine):
    with engine.connect() as conn:
        return {
            tabel: sorted(tuple(map(str, r)) for r in conn.execute(text(f"SELECT * FROM {tabel}")))
            for tabel in sorted(TABELLEN)
        }


def test_import_maakt_alles_aan(engine):
    df = csv_df(
        "Importdorp,2026,r-imp001,gemeente,stj,c1,3,goed",
        "Importdorp,2026,r-imp001,gemeente,mov,s1,weet_niet,",
        "Importdorp,2026,r-imp002,wijkteam,stj,c1,2,",
        "Anderdorp,2026,r-imp003,wijkteam,stj,c2,4,",
    )
    uitslag = repo.importeer_antwoorden(engine, df, VERSIES, door=SYSTEEM)
    assert uitslag == repo.ImportResultaat(gemeenten=2, rondes=2, respondenten=3, antwoorden=4)
    lijst = {r.gemeente: r for r in repo.rondes(engine)}
    assert lijst["Importdorp"].kader_versies == VERSIES
    assert lijst["Anderdorp"].kader_versies == {"stj": "2025.1"}
    assert lijst["Importdorp"].respondenten == 2
    uit = repo.antwoorden_df(engine, lijst["Importdorp"].id)
    pd.testing.assert_frame_equal(uit, df.iloc[[1, 0, 2]].reset_index(drop=True))  # mov before stj
    assert tellingen(engine)["antwoord_wijziging"] == 4
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).where(Respondent.hervat_hash.is_not(None))).scalar() == 0


def test_import_aanvullen_in_bestaande_ronde(engine, ronde):
    resp, _ = repo.maak_respondent(engine, ronde.id, "gemeente", door=SYSTEEM)
    repo.bewaar_antwoord(engine, resp.id, "stj", "c1", "2", "")
    df = csv_df(f"Testgemeente,2026,{resp.pseudoniem},gemeente,stj,c2,3,aanvulling")
    assert repo.importeer_antwoorden(engine, df, VERSIES, door=SYSTEEM).antwoorden == 1
    assert repo.antwoorden_van(engine, resp.id) == {("stj", "c1"): ("2", ""), ("stj", "c2"): ("3", "aanvulling")}


@pytest.mark.parametrize("slechte_rij, rij, kolom", [
    # pseudonym exists in another ronde
    ("Anderdorp,2026,{p},gemeente,stj,c2,4,", 4, "respondent"),
    # pseudonym exists with another rol
    ("Testgemeente,2026,{p},wijkteam,stj,c2,4,", 4, "rol"),
    # a toelichting longer than the questionnaire takes (2000 characters)
    ("Testgemeente,2026,r-new003,wijkteam,stj,c2,4," + "x" * 2001, 4, "toelichting"),
])
def test_import_alles_of_niets(engine, ronde, slechte_rij, rij, kolom):
    resp, _ = repo.maak_respondent(engine, ronde.id, "gemeente", door=SYSTEEM)
    repo.bewaar_antwoord(engine, resp.id, "stj", "c1", "2", "")
    voor = momentopname(engine)
    df = csv_df(
        "Nieuwdorp,2026,r-new001,gemeente,stj,c1,3,",  # valid, would create a gemeente
        "Testgemeente,2026,r-new002,wijkteam,mov,s1,1,",  # valid
        slechte_rij.format(p=resp.pseudoniem),
    )
    with pytest.raises(UitwisselFout) as info:
        repo.importeer_antwoorden(engine, df, VERSIES, bestand="import.csv", door=SYSTEEM)
    assert (info.value.meldingen[0].rij, info.value.meldingen[0].kolom) == (rij, kolom)
    assert str(info.value).startswith(f"import.csv, rij {rij}, kolom '{kolom}'")
    assert momentopname(engine) == voor


def test_import_toelichting_van_2000_tekens_mag(engine, ronde):
    df = csv_df("Testgemeente,2026,r-new004,wijkteam,stj,c2,4," + "é" * 2000)
    assert repo.importeer_antwoorden(engine, df, VERSIES, door=SYSTEEM).antwoorden == 1


def test_import_zonder_lees_csv_vangt_pseudoniem_in_twee_rondes(engine):
    """A DataFrame that skipped lees_csv is still checked: one pseudonym, one ronde."""
    df = antwoorden(
        ["Nieuwdorp", "2026", "r-zelfde", "gemeente", "stj", "c1", "3", ""],
        ["Nieuwdorp", "2027", "r-zelfde", "gemeente", "stj", "c1", "3", ""],
    )
    with pytest.raises(UitwisselFout, match="andere ronde"):
        repo.importeer_antwoorden(engine, df, VERSIES, door=SYSTEEM)
    assert all(n == 0 for n in tellingen(engine).values())


def test_import_in_gesloten_ronde_geweigerd(engine, ronde):
    repo.zet_ronde_status(engine, ronde.id, "gesloten", door=SYSTEEM)
    voor = momentopname(engine)
    with pytest.raises(UitwisselFout, match="gesloten"):
        repo.importeer_antwoorden(engine, csv_df("Testgemeente,2026,r-x1,gemeente,stj,c1,3,"), VERSIES, door=SYSTEEM)
    assert momentopname(engine) == voor


def test_import_database_fout_laat_niets_achter(engine, monkeypatch):
    """A failure in the final bulk insert also rolls back the new gemeente, ronde
    and respondents created earlier in the same transaction."""
    voor = momentopname(engine)
    origineel = herimport.Antwoordvergelijker.voeg_toe
    aantal = iter(range(10))

    def met_kapotte_sleutel(self, respondent_id, *rest):
        return origineel(self, 999_999 if next(aantal) == 1 else respondent_id, *rest)

    monkeypatch.setattr(herimport.Antwoordvergelijker, "voeg_toe", met_kapotte_sleutel)
    df = csv_df("Nieuwdorp,2026,r-new001,gemeente,stj,c1,3,", "Nieuwdorp,2026,r-new002,wijkteam,stj,c1,3,")
    with pytest.raises(IntegrityError):
        repo.importeer_antwoorden(engine, df, VERSIES, door=SYSTEEM)
    assert momentopname(engine) == voor


# ------------------------------------------------------------------ demo


def test_demo_vullen_is_idempotent(engine):
    assert repo.rondes(engine) == []
    assert demo.vul_demo(engine, KADERS, ROLLEN) is True
    na_eerste = momentopname(engine)
    assert demo.vul_demo(engine, KADERS, ROLLEN) is False
    assert momentopname(engine) == na_eerste

    lijst = repo.rondes(engine)
    assert len(lijst) == 8 * 3
    eerste = next(iter(demo.DEMO_GEMEENTEN))
    for r in lijst:
        assert r.demo and r.label in demo.DEMO_RONDES and r.gemeente.endswith("(fictief)")
        assert r.kader_versies == VERSIES
        assert r.status == ("open" if r.label == demo.DEMO_RONDE else "gesloten")
        if r.gemeente == eerste and r.label == demo.DEMO_RONDE:
            # the first screen: every rol group reaches the anonymity threshold (3)
            per_rol = repo.antwoorden_df(engine, r.id).groupby("rol")["respondent"].nunique()
            assert set(per_rol.index) == set(ROLLEN) and per_rol.min() >= 3
        else:
            assert 10 <= r.respondenten <= 30
    # yearly: each gemeente's rondes are about a year apart, in label order
    per_gemeente = {}
    for r in lijst:
        per_gemeente.setdefault(r.gemeente, []).append(r)
    for rondes in per_gemeente.values():
        rondes.sort(key=lambda r: r.aangemaakt)
        assert [r.label for r in rondes] == list(demo.DEMO_RONDES)
        for a, b in zip(rondes, rondes[1:]):
            assert 360 <= (b.aangemaakt - a.aangemaakt).days <= 370
    with db.sessie(engine) as s:
        assert all(g.demo for g in s.scalars(select(Gemeente)))
        assert s.scalar(select(Regio.naam)) == "Demoregio (fictief)"
    meedoen = {g.naam: g.vergelijking for g in repo.gemeenten(engine)}
    assert meedoen == {naam: p.vergelijking for naam, p in demo.DEMO_GEMEENTEN.items()}
    assert 3 <= sum(meedoen.values()) < len(meedoen)  # enough to compare, and one opted out


def test_demo_inhoud_is_plausibel(engine):
    demo.vul_demo(engine, KADERS, ROLLEN)
    df = pd.concat([repo.antwoorden_df(engine, r.id) for r in repo.rondes(engine)])
    for rol, groep in df.groupby("rol"):
        paren = set(zip(groep["kader"], groep["criterium"]))
        assert paren <= set(ROLLEN[rol]), rol
    assert set(df["score"]) <= {"1", "2", "3", "4", "weet_niet", "nvt"}
    cijfers = df[df["score"].str.isdigit()]
    assert cijfers["score"].isin(["2", "3"]).mean() > 0.6
    assert 0 < (~df["score"].str.isdigit()).mean() < 0.2
    assert 0.35 < (df["toelichting"] != "").mean() < 0.65
    gemiddeld = cijfers.assign(s=cijfers["score"].astype(int)).groupby(cijfers["rol"] == "gemeente")["s"].mean()
    assert gemiddeld[True] > gemiddeld[False]


def test_demo_is_deterministisch(tmp_path):
    uitkomsten = []
    for naam in ("a", "b"):
        engine = db.maak_engine(f"sqlite:///{tmp_path / naam}.db")
        db.migreer(engine)
        demo.vul_demo(engine, KADERS, ROLLEN)
        uitkomsten.append(pd.concat([repo.antwoorden_df(engine, r.id) for r in repo.rondes(engine)]))
        engine.dispose()
    pd.testing.assert_frame_equal(uitkomsten[0], uitkomsten[1])


def test_demo_verwijderen(engine):
    demo.vul_demo(engine, KADERS, ROLLEN)
    assert demo.verwijder_demo(engine) == len(demo.DEMO_GEMEENTEN) == 8
    assert all(n == 0 for n in tellingen(engine).values())
    assert demo.vul_demo(engine, KADERS, ROLLEN) is True
