"""Faults and abuse: a killed server loses no confirmed answer; code guessing is throttled; XSRF is on."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import tomllib
import urllib.request
from pathlib import Path

import pytest

from conftest import _vrije_poort, start_demo_vragenlijst, start_streamlit
from storage import repository as repo
from storage.bereik import SYSTEEM  # noqa: E402
from storage.db import maak_engine

pytestmark = pytest.mark.db

ROOT = Path(__file__).resolve().parent.parent


def _start_server(url: str, poort: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "ZBT_DATABASE_URL": url, "ZBT_DEMO": "1"}
    return start_streamlit(ROOT / "app.py", env, log, poort)[0]


@pytest.mark.browser
def test_sigkill_during_a_workshop_loses_no_confirmed_answer(browser, tmp_path):
    from playwright.sync_api import expect

    url = f"sqlite:///{tmp_path / 'kill.db'}"
    poort = _vrije_poort()
    proc = _start_server(url, poort, tmp_path / "log")
    try:
        pagina = browser.new_page()
        pagina.goto(f"http://127.0.0.1:{poort}/vragenlijst")
        code = start_demo_vragenlijst(pagina)
        bevestigd = 0
        for nummer in range(1, 7):
            groep = pagina.get_by_role("radiogroup", name=f"Hoe goed klopt stelling {nummer}?")
            groep.get_by_text("3 · Klopt grotendeels", exact=True).click()
            # 'confirmed to the participant' = the page says it is saved
            expect(pagina.get_by_text(re.compile(rf"^{nummer} van \d+ vragen beantwoord$"))).to_be_visible(timeout=30_000)
            bevestigd += 1
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    proc = _start_server(url, poort, tmp_path / "log")  # restart on the same database
    try:
        eng = maak_engine(url)
        resp = repo.respondent_met_hervatcode(eng, code)
        gescoord = [s for s, _ in repo.antwoorden_van(eng, resp.id).values() if s]
        assert len(gescoord) == bevestigd == 6
        # and the participant resumes with the code after the restart
        pagina = browser.new_page()
        pagina.goto(f"http://127.0.0.1:{poort}/vragenlijst?code={code}")
        expect(pagina.get_by_text(re.compile(r"^6 van \d+ vragen beantwoord$"))).to_be_visible(timeout=60_000)
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_code_guessing_is_rate_limited(app_db, monkeypatch):
    # one client: on a real server the key is its IP address; AppTest has none
    from streamlit.testing.v1 import AppTest

    import views.context

    monkeypatch.setattr(views.context, "client_sleutel", lambda: "ip:198.51.100.7")
    pagina = str(ROOT / "views" / "vragenlijst.py")
    at = AppTest.from_file(pagina, default_timeout=60)
    for poging in range(10):
        at.query_params["uitnodiging"] = f"FOUT-{poging:04d}-AAAA-BBBB-CCCC"
        at.run()
        assert any("kennen we niet" in e.value for e in at.error), poging
    at.query_params["uitnodiging"] = "NOG-EEN-POGING"
    at.run()
    assert any("Te veel onjuiste codes" in e.value for e in at.error)
    # a real code from the same client is refused too while the block lasts
    eng = maak_engine(app_db)
    ronde = next(r for r in repo.rondes(eng) if r.demo and r.is_open)
    code = repo.maak_uitnodigingen(eng, ronde.id, [ronde.rollen[0]], door=SYSTEEM)[ronde.rollen[0]]
    at.query_params["uitnodiging"] = code
    at.run()
    assert any("Te veel onjuiste codes" in e.value for e in at.error)
    assert not [b for b in at.button if b.label == "Start de vragenlijst"]


def test_xsrf_protection_is_on(app_server):
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableXsrfProtection"] is True
    assert config["client"]["showErrorDetails"] == "none"
    # an upload without the XSRF token is refused by the running server
    verzoek = urllib.request.Request(app_server["url"] + "/_stcore/upload_file/sessie/bestand", method="PUT",
                                     data=b"x", headers={"Content-Type": "application/octet-stream"})
    with pytest.raises(urllib.error.HTTPError) as fout:
        urllib.request.urlopen(verzoek, timeout=10)
    assert fout.value.code in (400, 403)


@pytest.fixture
def pg_eigen_database(monkeypatch):
    """A database of our own on the test PostgreSQL server, so we can cut it off safely."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from test_storage import pg_basis_of_overslaan

    basis = pg_basis_of_overslaan()
    naam = f"zbt_storing_{os.getpid()}"
    beheer = create_engine(basis, isolation_level="AUTOCOMMIT")
    with beheer.connect() as c:
        c.execute(text(f"DROP DATABASE IF EXISTS {naam} WITH (FORCE)"))
        c.execute(text(f"CREATE DATABASE {naam}"))
    url = make_url(basis).set(database=naam).render_as_string(hide_password=False)

    def afsluiten(dicht: bool) -> None:
        with beheer.connect() as c:
            c.execute(text(f"ALTER DATABASE {naam} ALLOW_CONNECTIONS {'false' if dicht else 'true'}"))
            if dicht:
                c.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": naam})

    import streamlit as st

    monkeypatch.setenv("ZBT_DATABASE_URL", url)
    monkeypatch.setenv("ZBT_DEMO", "1")
    st.cache_resource.clear()
    yield url, afsluiten
    st.cache_resource.clear()
    afsluiten(False)
    with beheer.connect() as c:
        c.execute(text(f"DROP DATABASE IF EXISTS {naam} WITH (FORCE)"))
    beheer.dispose()


def test_postgresql_outage_mid_session_is_shown_and_recovered(pg_eigen_database):
    from streamlit.testing.v1 import AppTest

    url, afsluiten = pg_eigen_database
    at = AppTest.from_file(str(ROOT / "views" / "vragenlijst.py"), default_timeout=60).run()
    next(b for b in at.button if b.label == "Start de vragenlijst").click().run()
    assert not at.exception
    at.radio[0].set_value("3").run()  # saved while the database is up
    code = at.query_params["code"]
    code = code[0] if isinstance(code, list) else code

    afsluiten(True)  # PostgreSQL refuses this database from now on
    at.radio[1].set_value("2").run()
    assert not at.exception  # no traceback: a clear message instead
    assert any("Nog niet opgeslagen" in w.value for w in at.warning)

    afsluiten(False)  # back again: the next click saves the waiting answer too
    at.radio[2].set_value("4").run()
    assert not any("niet opgeslagen" in m.value for m in [*at.warning, *at.error])
    eng = maak_engine(url)
    resp = repo.respondent_met_hervatcode(eng, code)
    antwoorden = repo.antwoorden_van(eng, resp.id)
    assert [antwoorden[k][0] for k in sorted(antwoorden)] == ["3", "2", "4"]
    eng.dispose()
