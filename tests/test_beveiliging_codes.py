"""Attack on codes at rest and on one invitation code filling a ronde.

* A leaked database must not allow an offline brute force of resume codes (~49
  bits): codes are stored as HMAC(server secret, sha256(code)), and the secret is
  not in the database.
* Migration 0005 turns the plain sha256 of existing codes into that form; old codes
  keep working (SQLite and PostgreSQL).
* A wrong or lost secret is refused at start instead of silently breaking codes.
* One invitation code admits at most the facilitator's maximum, also when many
  join at the same moment.

Storage tests run on SQLite and PostgreSQL like tests/test_storage.py.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, select, text

from storage import db, geheim
from storage import repository as repo
from storage.bereik import SYSTEEM
from storage.models import Poging, Respondent, Uitnodiging
from test_storage import HEAD, VERSIES, engine, leeg_engine  # noqa: F401 - fixtures are used by name
from toegang import Gebruiker

ROOT = Path(__file__).resolve().parent.parent
ANDER_GEHEIM = "een-ander-geheim-van-minstens-32-tekens-lang"


def _sha(code: str) -> str:
    return hashlib.sha256(repo.normaliseer_hervatcode(code).encode()).hexdigest()


def _hmac(sleutel: bytes, code: str) -> str:
    return hmac.new(sleutel, _sha(code).encode(), hashlib.sha256).hexdigest()


@pytest.fixture
def ronde(engine):
    g = repo.maak_gemeente(engine, "Codedorp", door=SYSTEEM)
    return repo.maak_ronde(engine, g.id, "2026", VERSIES, rollen=["gemeente", "wijkteam"], door=SYSTEEM)


# ------------------------------------------------------------------ codes at rest


@pytest.mark.db
def test_codes_zijn_met_het_geheim_gehasht(engine, ronde, monkeypatch):
    uitnodiging = repo.maak_uitnodigingen(engine, ronde.id, ["gemeente"], door=SYSTEEM)["gemeente"]
    _, hervat = repo.respondent_via_uitnodiging(engine, uitnodiging)
    repo.registreer_poging(engine, "code:ip:203.0.113.7", False)
    with engine.connect() as conn:
        code_hash = conn.execute(select(Uitnodiging.code_hash)).scalar_one()
        hervat_hash = conn.execute(select(Respondent.hervat_hash)).scalar_one()
        poging = conn.execute(select(Poging.sleutel)).scalar_one()
    # not the plain sha256 a leaked database could be brute-forced against ...
    assert code_hash != _sha(uitnodiging) and hervat_hash != _sha(hervat)
    assert poging != hashlib.sha256(b"code:ip:203.0.113.7").hexdigest()
    # ... but HMAC with the server secret, which is not in the database
    assert code_hash == _hmac(geheim.geheim(), uitnodiging)
    assert hervat_hash == _hmac(geheim.geheim(), hervat)
    with engine.connect() as conn:
        inhoud = " ".join(str(w) for t in inspect(conn).get_table_names()
                          for rij in conn.execute(text(f"SELECT * FROM {t}")) for w in rij)
    assert geheim.geheim().decode() not in inhoud
    # with another secret, the same code finds nothing
    monkeypatch.setenv(geheim.GEHEIM_ENV, ANDER_GEHEIM)
    assert repo.respondent_met_hervatcode(engine, hervat) is None
    assert repo.uitnodiging_met_code(engine, uitnodiging) is None
    monkeypatch.delenv(geheim.GEHEIM_ENV)
    assert repo.respondent_met_hervatcode(engine, hervat) is not None


def test_geheim_wordt_eenmalig_gemaakt_met_modus_0600(tmp_path, monkeypatch):
    monkeypatch.delenv(geheim.GEHEIM_ENV, raising=False)
    monkeypatch.setattr(geheim, "_uit_secrets", lambda: None)
    pad = tmp_path / "sub" / "geheim.key"
    monkeypatch.setenv(geheim.BESTAND_ENV, str(pad))
    eerste = geheim.geheim()
    assert pad.exists() and stat.S_IMODE(pad.stat().st_mode) == 0o600
    assert len(eerste) == 64 and int(eerste, 16)  # 32 random bytes as hex text
    geheim._lees_bestand.cache_clear()
    assert geheim.geheim() == eerste  # kept, never overwritten
    # another process (a second replica on the same disk) reads the same secret
    uit = subprocess.run([sys.executable, "-c", "from storage import geheim; print(geheim.geheim().decode())"],
                         cwd=ROOT, env={**os.environ, geheim.BESTAND_ENV: str(pad)},
                         capture_output=True, text=True, check=True)
    assert uit.stdout.strip() == eerste.decode()
    # the environment wins over the file; a short secret is refused in Dutch
    monkeypatch.setenv(geheim.GEHEIM_ENV, ANDER_GEHEIM)
    assert geheim.geheim() == ANDER_GEHEIM.encode()
    monkeypatch.setenv(geheim.GEHEIM_ENV, "kort")
    with pytest.raises(geheim.GeheimFout, match="minstens 32 tekens"):
        geheim.geheim()


def test_geheim_uit_secrets_toml(tmp_path, monkeypatch):
    monkeypatch.delenv(geheim.GEHEIM_ENV, raising=False)
    secrets_toml = tmp_path / "secrets.toml"
    secrets_toml.write_text(f'geheim = "{ANDER_GEHEIM}"\n')
    from streamlit import config

    monkeypatch.setattr(config, "get_option", lambda naam: [str(secrets_toml)])
    geheim._uit_secrets.cache_clear()
    try:
        assert geheim.geheim() == ANDER_GEHEIM.encode()
    finally:
        geheim._uit_secrets.cache_clear()


@pytest.mark.db
def test_ander_geheim_wordt_bij_de_start_geweigerd(engine, monkeypatch):
    monkeypatch.setenv(geheim.GEHEIM_ENV, ANDER_GEHEIM)
    with pytest.raises(geheim.GeheimFout, match="hoort niet bij deze database"):
        db.migreer(engine)
    monkeypatch.delenv(geheim.GEHEIM_ENV)
    db.migreer(engine)  # the right secret: fine


@pytest.mark.db
def test_migratie_0005_houdt_bestaande_codes_werkend(leeg_engine):
    """0004 stored sha256(code); after 0005 the same codes still work, the stored values
    are keyed, and the downgrade revokes what it cannot keep working."""
    db.migreer(leeg_engine, "0004")
    uitnodiging, hervat = repo.nieuwe_uitnodigingscode(), repo.nieuwe_hervatcode()
    with leeg_engine.begin() as conn:
        conn.execute(text("INSERT INTO gemeente (naam, demo) VALUES ('Oudedorp', FALSE)"))
        conn.execute(text("INSERT INTO ronde (gemeente_id, label) SELECT id, '2025' FROM gemeente"))
        conn.execute(text("INSERT INTO ronde_kader (ronde_id, kader_id, kader_versie) SELECT id, 'stj', '2025.1' FROM ronde"))
        conn.execute(text("INSERT INTO ronde_rol (ronde_id, rol) SELECT id, 'gemeente' FROM ronde"))
        conn.execute(text("INSERT INTO uitnodiging (ronde_id, rol, code_hash) SELECT id, 'gemeente', :h FROM ronde"),
                     {"h": _sha(uitnodiging)})
        conn.execute(text("INSERT INTO respondent (ronde_id, pseudoniem, rol, hervat_hash) "
                          "SELECT id, 'r-oud001', 'gemeente', :h FROM ronde"), {"h": _sha(hervat)})
        conn.execute(text("INSERT INTO respondent (ronde_id, pseudoniem, rol) SELECT id, 'r-oud002', 'gemeente' FROM ronde"))

    db.migreer(leeg_engine)
    assert db.huidige_revisie(leeg_engine) == HEAD
    with leeg_engine.connect() as conn:
        assert conn.execute(select(Uitnodiging.code_hash)).scalar_one() == _hmac(geheim.geheim(), uitnodiging)
        hashes = set(conn.execute(select(Respondent.hervat_hash)).scalars())
    assert hashes == {None, _hmac(geheim.geheim(), hervat)}
    assert repo.respondent_met_hervatcode(leeg_engine, hervat).pseudoniem == "r-oud001"
    info = repo.uitnodiging_met_code(leeg_engine, uitnodiging)
    assert info is not None and (info.max_deelnemers, info.deelnemers) == (None, 0)
    nieuw, _ = repo.respondent_via_uitnodiging(leeg_engine, uitnodiging)
    assert nieuw.rol == "gemeente" and repo.uitnodiging_met_code(leeg_engine, uitnodiging).deelnemers == 1

    with leeg_engine.begin() as conn:
        command.downgrade(db.alembic_config(conn), "0004")
    with leeg_engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM respondent")).scalar() == 3  # nobody lost
        assert conn.execute(text("SELECT COUNT(*) FROM respondent WHERE hervat_hash IS NOT NULL")).scalar() == 0
        assert all(conn.execute(text("SELECT ingetrokken FROM uitnodiging")).scalars())
    assert "instelling" not in inspect(leeg_engine).get_table_names()
    assert "max_deelnemers" not in {k["name"] for k in inspect(leeg_engine).get_columns("uitnodiging")}
    db.migreer(leeg_engine)  # and up again
    assert db.huidige_revisie(leeg_engine) == HEAD


# ------------------------------------------------------------------ maximum per invitation code


@pytest.mark.db
def test_maximum_deelnemers_per_code(engine, ronde):
    codes = repo.maak_uitnodigingen(engine, ronde.id, ["gemeente", "wijkteam"], max_deelnemers=2, door=SYSTEEM)
    for _ in range(2):
        repo.respondent_via_uitnodiging(engine, codes["gemeente"])
    with pytest.raises(ValueError, match="al 2 deelnemers mee; dat is het maximum"):
        repo.respondent_via_uitnodiging(engine, codes["gemeente"])
    assert repo.aantallen_per_rol(engine, ronde.id)["gemeente"][0] == 2
    info = repo.uitnodiging_met_code(engine, codes["gemeente"])
    assert (info.max_deelnemers, info.deelnemers, info.vol) == (2, 2, True)
    repo.respondent_via_uitnodiging(engine, codes["wijkteam"])  # the other rol's code has its own count
    # a new code starts counting again; no maximum when none is given
    nieuw = repo.maak_uitnodigingen(engine, ronde.id, ["gemeente"], door=SYSTEEM)["gemeente"]
    for _ in range(3):
        repo.respondent_via_uitnodiging(engine, nieuw)
    assert repo.uitnodiging_met_code(engine, nieuw).vol is False
    for fout in (0, -1, 10_001, 2.5, True):
        with pytest.raises(ValueError, match="maximum aantal deelnemers per code"):
            repo.maak_uitnodigingen(engine, ronde.id, ["gemeente"], max_deelnemers=fout, door=SYSTEEM)


@pytest.mark.db
def test_maximum_houdt_bij_gelijktijdig_aanmelden(engine, ronde):
    """The attack: 100 joins at once with one code. With a maximum of 5, exactly 5 get in."""
    code = repo.maak_uitnodigingen(engine, ronde.id, ["gemeente"], max_deelnemers=5, door=SYSTEEM)["gemeente"]
    gelukt, geweigerd, anders = [], [], []
    start = threading.Barrier(20)

    def aanmelden() -> None:
        start.wait()
        for _ in range(3):
            try:
                gelukt.append(repo.respondent_via_uitnodiging(engine, code))
            except ValueError as e:
                geweigerd.append(str(e))
            except Exception as e:  # noqa: BLE001 - reported below
                anders.append(repr(e))

    draden = [threading.Thread(target=aanmelden) for _ in range(20)]
    for d in draden:
        d.start()
    for d in draden:
        d.join(120)
    assert not anders, anders[:3]
    assert len(gelukt) == 5 and len(geweigerd) == 55
    assert all("maximum" in m for m in geweigerd)
    assert repo.aantallen_per_rol(engine, ronde.id)["gemeente"][0] == 5
    assert repo.uitnodiging_met_code(engine, code).deelnemers == 5


# ------------------------------------------------------------------ pages


@pytest.mark.db
def test_vragenlijst_weigert_een_volle_code(app_db):
    from streamlit.testing.v1 import AppTest

    eng = db.maak_engine(app_db)
    ronde = next(r for r in repo.rondes(eng) if r.demo and r.is_open)
    rol = ronde.rollen[0]
    code = repo.maak_uitnodigingen(eng, ronde.id, [rol], max_deelnemers=1, door=SYSTEEM)[rol]
    repo.respondent_via_uitnodiging(eng, code)
    at = AppTest.from_file(str(ROOT / "views" / "vragenlijst.py"), default_timeout=60)
    at.query_params["uitnodiging"] = code
    at.run()
    assert not at.exception, at.exception
    assert any("dat is het maximum" in w.value for w in at.warning)
    assert not [b for b in at.button if b.label == "Start de vragenlijst"]


@pytest.mark.db
def test_facilitator_kiest_het_maximum(app_db):
    from streamlit.testing.v1 import AppTest

    eng = db.maak_engine(app_db)
    demo = Gebruiker("demo-facilitator", "facilitator", frozenset({"*"}), demo=True)
    at = AppTest.from_file(str(ROOT / "views" / "rondes.py"), default_timeout=60)
    at.session_state["gebruiker"] = demo
    at.run()
    assert not at.exception, at.exception
    ronde_id = at.session_state["gekozen_ronde"]
    veld = next(n for n in at.number_input if n.label == "Maximum aantal deelnemers per nieuwe code")
    assert veld.value == 50  # the default
    veld.set_value(12)
    next(b for b in at.button if b.label == "Nieuwe codes maken").click()
    at.run()
    assert not at.exception, at.exception
    actief = repo.uitnodigingen(eng, ronde_id)
    assert actief and {u.max_deelnemers for u in actief} == {12}
    tabel = next(d.value for d in at.dataframe if "Maximum" in d.value.columns)
    assert set(tabel["Maximum"]) == {"12"}


@pytest.mark.db
def test_cli_meldt_een_ander_geheim_zonder_traceback(tmp_path, monkeypatch, capsys):
    from storage.__main__ import main

    monkeypatch.setenv("ZBT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    assert main(["upgrade"]) == 0
    monkeypatch.setenv(geheim.GEHEIM_ENV, ANDER_GEHEIM)
    assert main(["upgrade"]) == 1
    assert "Fout: Het geheim uit ZBT_GEHEIM hoort niet bij deze database" in capsys.readouterr().err
