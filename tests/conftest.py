"""Shared fixtures: the real kaders and vragenlijsten, loaded once per session."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kader import laad_kaders  # noqa: E402
from vragenlijsten import laad_vragenlijsten  # noqa: E402


@pytest.fixture(scope="session")
def kaders():
    res = laad_kaders()
    assert not res.fouten, [str(f) for f in res.fouten]
    return res.kaders


@pytest.fixture(scope="session")
def stj(kaders):
    return kaders["stj-stelseltoezicht-jeugd"]


@pytest.fixture(scope="session")
def vragenlijsten(kaders):
    v = laad_vragenlijsten(kaders)
    assert not v.fouten, [str(f) for f in v.fouten]
    return v


# A test that uses one of these fixtures needs a database: it must carry the marker `db`
# (or `browser`), so that `make test-snel` never starts one. Checked at collection.
DATABASE_FIXTURES = {"leeg_engine", "demo_sjabloon", "app_server"}


def pytest_collection_modifyitems(config, items):
    zonder = [item.nodeid for item in items
              if DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
              and not any(item.get_closest_marker(m) for m in ("db", "browser"))]
    if zonder:
        raise pytest.UsageError(
            "Deze tests gebruiken een database maar hebben geen marker 'db' (pytest.mark.db):\n  "
            + "\n  ".join(zonder))


def pytest_sessionfinish(session, exitstatus):
    """In CI no test may be skipped: a skip there means a missing dependency."""
    import os

    if os.environ.get("CI") != "true":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"FOUT: {len(skipped)} test(s) overgeslagen terwijl CI=true; dat mag niet.", red=True)
        session.exitstatus = 1


# --- app fixtures ------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
TEST_WACHTWOORD = "test-wachtwoord-lang-genoeg"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


@pytest.fixture(scope="session")
def demo_sjabloon(tmp_path_factory) -> Path:
    """A migrated SQLite file with the demo seeded, made once per test session."""
    from storage.db import maak_engine, migreer
    from storage.demo import vul_demo
    from vragenlijsten import laad_vragenlijsten

    pad = tmp_path_factory.mktemp("demo") / "sjabloon.db"
    engine = maak_engine(f"sqlite:///{pad}")
    migreer(engine)
    kaders = laad_kaders().kaders
    vul_demo(engine, kaders, laad_vragenlijsten(kaders).paren())
    engine.dispose()
    return pad


@pytest.fixture
def app_db(tmp_path, monkeypatch, demo_sjabloon):
    """A fresh SQLite database with the demo ronde, for AppTest runs in this process.
    A copy of the session's seeded template (SQLite's backup API, so WAL content comes
    along): seeding the demo regio costs seconds, copying it milliseconds."""
    import sqlite3

    import streamlit as st

    with sqlite3.connect(demo_sjabloon) as bron, sqlite3.connect(tmp_path / "app.db") as doel:
        bron.backup(doel)
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("ZBT_DATABASE_URL", url)
    monkeypatch.setenv("ZBT_DEMO", "1")
    st.cache_resource.clear()
    yield url
    st.cache_resource.clear()


def _vrije_poort() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_streamlit(script: Path, env: dict, log: Path | None = None, poort: int | None = None):
    """`streamlit run script` on 127.0.0.1 (a free port unless given), its output appended to
    `log`; waits up to 60 s for the health check. Returns (process, base url).

    The app (app.py) starts through server.py, as `make run` does, so the session
    routes and the cookie work (docs/beveiliging.md)."""
    import contextlib
    import subprocess
    import time
    import urllib.request

    poort = poort or _vrije_poort()
    if Path(script).resolve() == ROOT / "app.py":
        script = ROOT / "server.py"
    # the server keeps its own copy of the handle
    with open(log, "ab") if log is not None else contextlib.nullcontext(subprocess.DEVNULL) as uit:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(poort),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=uit, stderr=subprocess.STDOUT,
        )
    basis = f"http://127.0.0.1:{poort}"
    for _ in range(240):
        try:
            urllib.request.urlopen(basis + "/_stcore/health", timeout=1)
            return proc, basis
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(log.read_text() if log is not None else "De app stopte bij het starten.") from None
            time.sleep(0.25)
    proc.kill()
    raise RuntimeError("De app startte niet binnen 60 s:\n" + (log.read_text() if log is not None else ""))


def stop_streamlit(proc, timeout: int = 10) -> None:
    import subprocess

    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()


def start_demo_app(tmp: Path, facilitator: str, gemeenten: list[str]):
    """The real app with its own SQLite file, the demo regio and one real facilitator
    (`facilitator`, password TEST_WACHTWOORD, for `gemeenten`). Returns (process, info)."""
    import json
    import os

    from toegang import hash_wachtwoord

    url = f"sqlite:///{tmp / 'server.db'}"
    gebruikers = tmp / "gebruikers.toml"
    gebruikers.write_text(
        f"[gebruikers.{facilitator}]\nrol = \"facilitator\"\ngemeenten = {json.dumps(gemeenten)}\n"
        f"wachtwoord_hash = \"{hash_wachtwoord(TEST_WACHTWOORD)}\"\n", encoding="utf-8")
    env = {**os.environ, "ZBT_DATABASE_URL": url, "ZBT_DEMO": "1", "ZBT_GEBRUIKERS": str(gebruikers)}
    proc, basis = start_streamlit(ROOT / "app.py", env, tmp / "streamlit.log")
    return proc, {"url": basis, "database_url": url, "log": tmp / "streamlit.log"}


@pytest.fixture(scope="session")
def app_server(tmp_path_factory):
    """The real app (streamlit run) on a free port with its own SQLite file and the demo ronde."""
    proc, info = start_demo_app(tmp_path_factory.mktemp("server"), "fac-a", ["Aadorp", "Beestad"])
    yield info
    stop_streamlit(proc)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


# Streamlit marks its root with the script's run state: "initial" before the first run,
# "running" during one, "notRunning" when the page is complete and safe to click.
IDLE_JS = (
    "(() => { const app = document.querySelector('[data-testid=stApp]');"
    " return !!app && app.dataset.testScriptState === 'notRunning'"
    " && !document.querySelector('[data-testid=stStatusWidget]')"
    " && !!document.querySelector('[data-testid=stMain]'); })()"
)


def wacht_tot_klaar(pagina, timeout: int = 60_000) -> None:
    """Wait until Streamlit has finished running the script: a click during a rerun can be lost."""
    pagina.wait_for_function(IDLE_JS, timeout=timeout)
    pagina.wait_for_timeout(200)


def start_demo_vragenlijst(pagina) -> str:
    """From /vragenlijst: open the demo practice, start as the first rol; returns the resume code."""
    from playwright.sync_api import expect

    wacht_tot_klaar(pagina)
    pagina.get_by_text("Oefenen met de demoronde").click()
    expect(pagina.get_by_label("Uw rol")).to_be_visible()
    wacht_tot_klaar(pagina)
    pagina.get_by_role("button", name="Start de vragenlijst").click()
    expect(pagina.get_by_text(re.compile(r"0 van \d+ vragen beantwoord"))).to_be_visible(timeout=60_000)
    wacht_tot_klaar(pagina)
    return re.search(r"code=([A-Z0-9-]+)", pagina.url).group(1)
