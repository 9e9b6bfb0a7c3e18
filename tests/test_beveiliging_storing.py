"""A database that cannot be reached: Dutch, calm and without losing an answer (issue 9, point 10).

* the command lines say so in one Dutch line (exit 1, no traceback, no wrong advice);
* every page that needs the database shows one Dutch notice, never Streamlit's English
  error, and works again as soon as the database is back, without a restart;
* an answer given meanwhile stays in the session as "Nog niet opgeslagen" and is saved
  once the database is back;
* a programming error is not passed off as an outage.

The browser tests put a TCP proxy (:class:`Doorgeefluik`) between the app and a
PostgreSQL database of their own, and cut it to take the database away.
"""
from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from conftest import _vrije_poort, start_demo_vragenlijst, stop_streamlit, wacht_tot_klaar
from storage import repository as repo
from storage.db import maak_engine
from test_storingen import _start_server

if TYPE_CHECKING:  # only for annotations: importing it costs collection time
    from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
MELDING = "De database is op dit moment niet bereikbaar."
ENGELS = "This app has encountered an error"


def _dichte_poort_url() -> str:
    """A PostgreSQL URL nobody listens on: connecting is refused at once."""
    return f"postgresql+psycopg://postgres@127.0.0.1:{_vrije_poort()}/test"


# --- classification ---------------------------------------------------------------

def test_onbereikbaar_herkend_en_programmeerfouten_niet(tmp_path):
    from storage.db import DatabaseOnbereikbaar, bij_onbereikbaar, is_onbereikbaar, is_tijdelijke_fout

    def fout_van(url: str, sql: str = "SELECT 1") -> Exception:
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                conn.execute(text(sql))
        except Exception as exc:  # noqa: BLE001 - the exception is what we test
            return exc
        finally:
            engine.dispose()
        raise AssertionError(f"{url}: {sql} gaf geen fout")

    geweigerd = fout_van(_dichte_poort_url())
    assert is_onbereikbaar(geweigerd)
    assert is_onbereikbaar(fout_van(f"sqlite:///{tmp_path / 'bestaat-niet' / 'x.db'}"))
    with pytest.raises(DatabaseOnbereikbaar, match=r"^De database x is nu niet bereikbaar "
                                                   r"\(de server weigert de verbinding\)\. Probeer"):
        with bij_onbereikbaar("x"):
            raise geweigerd

    sqlite_url = f"sqlite:///{tmp_path / 'x.db'}"
    geen_tabel = fout_van(sqlite_url, "SELECT * FROM bestaat_niet")
    assert not is_onbereikbaar(geen_tabel)
    with pytest.raises(OperationalError):  # passes through unchanged
        with bij_onbereikbaar("x"):
            raise geen_tabel
    assert not is_onbereikbaar(ProgrammingError("SELECT", {}, Exception('relation "x" does not exist')))
    assert not is_onbereikbaar(IntegrityError("INSERT", {}, Exception("duplicate key")))
    assert not is_onbereikbaar(TypeError("bug"))
    vergrendeld = OperationalError("BEGIN", {}, sqlite3.OperationalError("database is locked"))
    assert not is_onbereikbaar(vergrendeld) and is_tijdelijke_fout(vergrendeld)


# --- (a) command lines --------------------------------------------------------------

CLI = [
    ["storage", "upgrade"],
    ["storage", "revisie"],
    ["storage", "demo"],
    ["storage", "snapshot-export", "--ronde", "1", "--out", "{tmp}/snapshot.json"],
    ["storage", "snapshot-import", "{tmp}/snapshot.json"],
    ["rapport", "batch", "--ronde", "2026", "--out", "{tmp}/plannen"],
]


@pytest.mark.traag
@pytest.mark.parametrize("opdracht", CLI, ids=[" ".join(c[:2]) for c in CLI])
def test_cli_zonder_database_geeft_een_nederlandse_regel(opdracht, tmp_path):
    (tmp_path / "snapshot.json").write_text("{}", encoding="utf-8")
    url = _dichte_poort_url()
    uit = subprocess.run([sys.executable, "-m", *[a.format(tmp=tmp_path) for a in opdracht]], cwd=ROOT,
                         env={**os.environ, "ZBT_DATABASE_URL": url}, capture_output=True, text=True, timeout=120)
    assert uit.returncode == 1, uit.stderr
    assert "Traceback" not in uit.stderr + uit.stdout
    regels = uit.stderr.strip().splitlines()
    assert len(regels) == 1, uit.stderr
    assert regels[0] == (f"Fout: De database {url} is nu niet bereikbaar (de server weigert de verbinding). "
                         "Probeer het over een minuut opnieuw; blijft dit zo, controleer dan ZBT_DATABASE_URL "
                         "en de databaseserver.")
    assert "upgrade" not in uit.stderr  # the cause is the connection, not the schema
    assert not (tmp_path / "plannen").exists()


# --- (d) a programming error is not an outage ---------------------------------------

def _gestarte_vragenlijst() -> AppTest:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "views" / "vragenlijst.py"), default_timeout=60).run()
    next(b for b in at.button if b.label == "Start de vragenlijst").click().run()
    assert not at.exception, at.exception
    return at


def _meldingen(at: AppTest) -> list[str]:
    return [m.value for m in [*at.error, *at.warning]]


@pytest.mark.db
@pytest.mark.parametrize("functie, fout", [
    ("bewaar_antwoord", TypeError("bewaar_antwoord() got an unexpected keyword argument")),
    ("bewaar_antwoord", ProgrammingError("INSERT", {}, Exception('column "score" does not exist'))),
    ("respondent", ProgrammingError("SELECT", {}, Exception('relation "respondent" does not exist'))),
], ids=["typefout-bij-opslaan", "sql-fout-bij-opslaan", "sql-fout-bij-lezen"])
def test_programmeerfout_is_geen_storing(app_db, monkeypatch, functie, fout):
    at = _gestarte_vragenlijst()

    def kapot(*_args, **_kwargs):
        raise fout

    monkeypatch.setattr(repo, functie, kapot)
    at.radio[0].set_value("3").run()
    assert at.exception, "the programming error must surface (redacted, as any error), not be swallowed"
    assert not [m for m in _meldingen(at) if "niet opgeslagen" in m or "niet bereikbaar" in m]
    assert not st_wachtrij(at)


def st_wachtrij(at: AppTest) -> set:
    # AppTest's session_state has no .get()
    return at.session_state["niet_opgeslagen"] if "niet_opgeslagen" in at.session_state else set()  # noqa: SIM401


# --- every page, through app.py (AppTest; the browser test below does it for real) ----

PAGINAS = ["views/overzicht.py", "views/verbeterplan.py", "views/vragenlijst.py", "views/rondes.py",
           "views/workshop.py", "views/regio.py", "views/inspectie.py", "views/gegevens.py", "views/inloggen.py"]


def test_elke_pagina_meldt_storing_in_het_nederlands(monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from toegang import accounts_uit_omgeving

    monkeypatch.setenv("ZBT_DATABASE_URL", _dichte_poort_url())
    monkeypatch.setenv("ZBT_DEMO", "1")
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.session_state["gebruiker"] = accounts_uit_omgeving()["demo-beheerder"].als_gebruiker()  # sees every page
        at.run()
        for pagina in PAGINAS:
            at.switch_page(pagina).run()
            assert not at.exception, (pagina, at.exception)
            assert [m for m in _meldingen(at) if MELDING in m] == [_meldingen(at)[-1]], (pagina, _meldingen(at))
        at.switch_page("views/kaders.py").run()  # needs no database: keeps working
        assert not at.exception and not _meldingen(at) and at.title[0].value == "Kaders bekijken"
    finally:
        st.cache_resource.clear()


# --- (b), (c) the real app against PostgreSQL behind a proxy we can cut --------------

class Doorgeefluik:
    """A TCP proxy on 127.0.0.1: `open()` listens and forwards to `doel`; `dicht()` stops
    listening and breaks every open connection, as when the database server goes away."""

    def __init__(self, doel: tuple[str, int]):
        self.doel, self.poort = doel, _vrije_poort()
        self._luisteraar: socket.socket | None = None
        self._verbindingen: set[socket.socket] = set()
        self._slot = threading.Lock()

    def open(self) -> None:
        luisteraar = socket.socket()
        luisteraar.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        luisteraar.bind(("127.0.0.1", self.poort))
        luisteraar.listen(64)
        luisteraar.settimeout(0.2)
        self._luisteraar = luisteraar
        threading.Thread(target=self._aannemen, args=(luisteraar,), daemon=True).start()

    def dicht(self) -> None:
        luisteraar, self._luisteraar = self._luisteraar, None
        if luisteraar is not None:
            luisteraar.close()
        with self._slot:
            verbindingen, self._verbindingen = self._verbindingen, set()
        for s in verbindingen:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def _aannemen(self, luisteraar: socket.socket) -> None:
        while self._luisteraar is luisteraar:
            try:
                klant, _ = luisteraar.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                server = socket.create_connection(self.doel, timeout=5)
            except OSError:
                klant.close()
                continue
            server.settimeout(None)
            klant.settimeout(None)
            with self._slot:
                self._verbindingen |= {klant, server}
            for van, naar in ((klant, server), (server, klant)):
                threading.Thread(target=self._pomp, args=(van, naar), daemon=True).start()

    @staticmethod
    def _pomp(van: socket.socket, naar: socket.socket) -> None:
        try:
            while data := van.recv(65536):
                naar.sendall(data)
        except OSError:
            pass
        for s in (van, naar):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


@pytest.fixture
def pg_achter_proxy(tmp_path):
    """(url to the app's own PostgreSQL database via the proxy, direct url, proxy); dropped afterwards."""
    from test_storage import pg_basis_of_overslaan

    basis = pg_basis_of_overslaan()
    naam = f"zbt_storing_{uuid.uuid4().hex[:12]}"
    beheer = create_engine(basis, isolation_level="AUTOCOMMIT")
    with beheer.connect() as c:
        c.execute(text(f"CREATE DATABASE {naam}"))
    direct = make_url(basis).set(database=naam)
    proxy = Doorgeefluik((direct.host or "127.0.0.1", direct.port or 5432))
    via_proxy = direct.set(host="127.0.0.1", port=proxy.poort)
    try:
        yield via_proxy.render_as_string(hide_password=False), direct.render_as_string(hide_password=False), proxy
    finally:
        proxy.dicht()
        with beheer.connect() as c:
            c.execute(text(f"DROP DATABASE IF EXISTS {naam} WITH (FORCE)"))
        beheer.dispose()


def _stop_server(proc: subprocess.Popen) -> None:
    stop_streamlit(proc, timeout=20)


def _nooit_engels(pagina) -> None:
    from playwright.sync_api import expect

    expect(pagina.get_by_text(ENGELS)).to_have_count(0)
    expect(pagina.get_by_text("Traceback")).to_have_count(0)


@pytest.mark.browser
def test_app_start_zonder_database_toont_nederlandse_melding_en_herstelt(browser, pg_achter_proxy, tmp_path):
    from playwright.sync_api import expect

    url, _direct, proxy = pg_achter_proxy  # the proxy is closed: PostgreSQL cannot be reached
    poort = _vrije_poort()
    proc = _start_server(url, poort, tmp_path / "log")
    try:
        pagina = browser.new_page()
        for pad in ("", "verbeterplan", "vragenlijst", "regio", "inloggen"):
            pagina.goto(f"http://127.0.0.1:{poort}/{pad}")
            wacht_tot_klaar(pagina)
            expect(pagina.get_by_text(MELDING)).to_have_count(1)
            expect(pagina.get_by_text("Probeer het over een minuut opnieuw.")).to_be_visible()
            _nooit_engels(pagina)
        pagina.goto(f"http://127.0.0.1:{poort}/kaders")  # needs no database
        wacht_tot_klaar(pagina)
        expect(pagina.get_by_role("heading", name="Kaders bekijken")).to_be_visible()
        expect(pagina.get_by_text(MELDING)).to_have_count(0)

        proxy.open()  # the database is back: the same server works, no restart
        pagina.goto(f"http://127.0.0.1:{poort}/")
        wacht_tot_klaar(pagina, timeout=120_000)  # the first request migrates and seeds the demo
        expect(pagina.get_by_label("Gemeente en ronde")).to_be_visible()
        expect(pagina.get_by_text(MELDING)).to_have_count(0)
        _nooit_engels(pagina)
    finally:
        _stop_server(proc)


@pytest.mark.browser
def test_database_weg_tijdens_sessie_antwoord_blijft_en_wordt_opgeslagen(browser, pg_achter_proxy, tmp_path):
    from playwright.sync_api import expect

    url, direct, proxy = pg_achter_proxy
    proxy.open()
    poort = _vrije_poort()
    proc = _start_server(url, poort, tmp_path / "log")
    try:
        pagina = browser.new_page()
        pagina.goto(f"http://127.0.0.1:{poort}/vragenlijst")
        wacht_tot_klaar(pagina, timeout=120_000)  # the first request migrates and seeds the demo
        code = start_demo_vragenlijst(pagina)

        def antwoord(nummer: int, label: str) -> None:
            groep = pagina.get_by_role("radiogroup", name=f"Hoe goed klopt stelling {nummer}?")
            groep.get_by_text(label, exact=True).click()
            expect(pagina.get_by_text(re.compile(rf"^{nummer} van \d+ vragen beantwoord$"))).to_be_visible(
                timeout=30_000)
            wacht_tot_klaar(pagina)

        antwoord(1, "3 · Klopt grotendeels")
        expect(pagina.get_by_text(re.compile(r"^✓ Score opgeslagen om"))).to_have_count(1)

        proxy.dicht()  # PostgreSQL goes away in the middle of the session
        antwoord(2, "2 · Klopt een beetje")
        expect(pagina.get_by_text(re.compile(r"^Nog niet opgeslagen"))).to_have_count(1)
        expect(pagina.get_by_text("1 antwoord is nog niet opgeslagen", exact=False)).to_be_visible()
        _nooit_engels(pagina)
        overzicht = browser.new_page()  # meanwhile another page shows the Dutch notice
        overzicht.goto(f"http://127.0.0.1:{poort}/")
        wacht_tot_klaar(overzicht)
        expect(overzicht.get_by_text(MELDING)).to_have_count(1)
        _nooit_engels(overzicht)
        overzicht.close()

        proxy.open()  # back: without a click, the waiting answer is saved and the notices go
        expect(pagina.get_by_text(re.compile(r"niet opgeslagen"))).to_have_count(0, timeout=40_000)
        expect(pagina.get_by_text(re.compile(r"^✓ Score opgeslagen om"))).to_have_count(2)
        _nooit_engels(pagina)
    finally:
        _stop_server(proc)

    eng = maak_engine(direct)  # straight to PostgreSQL, not through the proxy
    try:
        resp = repo.respondent_met_hervatcode(eng, code)
        antwoorden = repo.antwoorden_van(eng, resp.id)
        assert sorted(s for s, _ in antwoorden.values()) == ["2", "3"]
    finally:
        eng.dispose()


def _storing() -> OperationalError:
    """What SQLAlchemy raises when PostgreSQL refuses the connection."""
    import psycopg

    return OperationalError("SELECT 1", {}, psycopg.OperationalError(
        'connection failed: connection to server at "127.0.0.1", port 5432 failed: Connection refused'))


@pytest.mark.db
def test_storing_in_live_teller_en_callback_geeft_de_nederlandse_melding(app_db, monkeypatch):
    """Rondes beheren: the auto-refreshing count (a fragment) and the regio toggle (a callback)."""
    from streamlit.testing.v1 import AppTest

    from toegang import accounts_uit_omgeving

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["gebruiker"] = accounts_uit_omgeving()["demo-facilitator"].als_gebruiker()
    at.run()
    at.switch_page("views/rondes.py").run()
    assert not at.exception and not _meldingen(at)

    def weg(*_args, **_kwargs):
        raise _storing()

    echt = repo.aantallen_per_rol
    monkeypatch.setattr(repo, "aantallen_per_rol", weg)
    at.run()
    assert not at.exception, at.exception
    assert [m for m in _meldingen(at) if MELDING in m] == _meldingen(at) != []
    assert any(h.value == "Ronde sluiten" for h in at.header)  # the rest of the page is still there
    monkeypatch.setattr(repo, "aantallen_per_rol", echt)

    monkeypatch.setattr(repo, "zet_regio_vergelijking", weg)
    [schakelaar] = [t for t in at.toggle if t.label.startswith("Deze gemeente doet mee")]
    schakelaar.set_value(not schakelaar.value).run()
    assert not at.exception, at.exception
    assert len([m for m in _meldingen(at) if MELDING in m]) == 1, _meldingen(at)
