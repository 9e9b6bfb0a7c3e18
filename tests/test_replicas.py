"""Two app replicas behind HAProxy on one PostgreSQL database (issue 14), through the proxy.

The real set-up of `make run-schaal` (bench/replicas.py, deploy/haproxy.cfg) on free ports and
a PostgreSQL database of its own. Each replica has its own accounts file (as on two hosts), one
secret for both. Checked through the proxy: the app renders (WebSocket through HAProxy), sessions
are spread over both replicas by the cookie ZBT_REPLICA and stay on theirs, and what must hold
across replicas does: a staff session, the rate limit on sign-in, the end of a removed account's
session, and the workshop's live counts.
"""
from __future__ import annotations

import base64
import http.client
import os
import re
import threading
import uuid
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.replicas import OpstellingFout, controleer_postgresql, start_opstelling, vrije_poort
from conftest import wacht_tot_klaar
from diensten import limieten
from kader import laad_kaders
from storage import repository as repo
from storage.bereik import SYSTEEM
from storage.db import maak_engine
from toegang import hash_wachtwoord

pytestmark = [pytest.mark.browser, pytest.mark.db]

ROOT = Path(__file__).resolve().parent.parent
WACHTWOORD = "replica-wachtwoord-lang-genoeg"
TESTGEHEIM = "replica-testgeheim-" + "7" * 32
STJ = "stj-stelseltoezicht-jeugd"
GEMEENTE = "Replicadorp"
ACCOUNTS = ("anna", "bob", "carla")
SCORES = ["1 · Klopt niet", "2 · Klopt een beetje", "3 · Klopt grotendeels", "4 · Klopt helemaal"]


def _accounts(namen=ACCOUNTS) -> str:
    h = hash_wachtwoord(WACHTWOORD)
    return "".join(f'[gebruikers.{n}]\nrol = "facilitator"\ngemeenten = ["{GEMEENTE}"]\nwachtwoord_hash = "{h}"\n'
                   for n in namen)


@pytest.fixture(scope="module")
def pg_database():
    """The URL of a new, empty PostgreSQL database; dropped afterwards."""
    from test_storage import pg_basis_of_overslaan

    basis = pg_basis_of_overslaan()
    naam = f"zbt_replicas_{uuid.uuid4().hex[:12]}"
    beheer = create_engine(basis, isolation_level="AUTOCOMMIT")
    with beheer.connect() as c:
        c.execute(text(f"CREATE DATABASE {naam}"))
    try:
        yield make_url(basis).set(database=naam).render_as_string(hide_password=False)
    finally:
        with beheer.connect() as c:
            c.execute(text(f"DROP DATABASE IF EXISTS {naam} WITH (FORCE)"))
        beheer.dispose()


@pytest.fixture(scope="module")
def opstelling(pg_database, tmp_path_factory):
    """The set-up, plus a ronde of GEMEENTE (rol gemeente, STJ) with its invitation code."""
    tmp = tmp_path_factory.mktemp("replicas")
    bestanden = {n: tmp / f"gebruikers-{n}.toml" for n in ("a", "b")}
    for pad in bestanden.values():
        pad.write_text(_accounts(), encoding="utf-8")
    env = {**os.environ, "ZBT_GEHEIM": TESTGEHEIM}
    env.pop("ZBT_GEBRUIKERS", None)
    o = start_opstelling(pg_database, proxy_poort=vrije_poort(), replica_poorten=(vrije_poort(), vrije_poort()),
                         logmap=tmp / "logs", env=env,
                         replica_env={n: {"ZBT_GEBRUIKERS": str(p)} for n, p in bestanden.items()})
    with o, mock.patch.dict(os.environ, {"ZBT_GEHEIM": TESTGEHEIM}):  # codes hashed as the replicas do
        eng = maak_engine(pg_database)
        stj = laad_kaders().kaders[STJ]
        g = repo.maak_gemeente(eng, GEMEENTE, door=SYSTEEM)
        ronde = repo.maak_ronde(eng, g.id, "Replica 2026", {STJ: stj.versie}, rollen=["gemeente"], door=SYSTEEM)
        code = repo.maak_uitnodigingen(eng, ronde.id, ["gemeente"], door=SYSTEEM)["gemeente"]
        yield {"o": o, "url": o.proxy_url, "eng": eng, "ronde": ronde.id, "code": code, "accounts": bestanden}
        eng.dispose()


# ------------------------------------------------------------------ helpers


def _context(browser, basis: str, replica: str | None = None):
    context = browser.new_context()
    if replica:
        _kies(context, basis, replica)
    return context


def _kies(context, basis: str, replica: str) -> None:
    """Send this browser to `replica` from now on (as if HAProxy had chosen it)."""
    context.add_cookies([{"name": "ZBT_REPLICA", "value": replica, "domain": urlsplit(basis).hostname, "path": "/"}])


def _replica_cookie(context) -> str | None:
    return next((c["value"] for c in context.cookies() if c["name"] == "ZBT_REPLICA"), None)


def _ga(pagina, url: str) -> str:
    """Open `url`, wait until the app has rendered; returns the replica that served the page."""
    antwoord = pagina.goto(url)
    wacht_tot_klaar(pagina)
    return antwoord.headers.get("x-zbt-replica")


def _aanmelden(pagina, basis: str, naam: str, wachtwoord: str = WACHTWOORD, melding: str | None = None) -> str:
    """Send the sign-in form on the open /inloggen page; returns the page's main text afterwards.
    With `melding`: a refused attempt, on a freshly loaded page, waiting until that message shows."""
    from playwright.sync_api import expect

    if melding is not None:
        _ga(pagina, f"{basis}/inloggen")  # no message of an earlier attempt on the page
    pagina.get_by_label("Gebruikersnaam").fill(naam)
    pagina.get_by_label("Wachtwoord").fill(wachtwoord)
    if melding is None:
        with pagina.expect_navigation(url=re.compile(r"/inloggen"), timeout=60_000):
            pagina.get_by_role("button", name="Inloggen").click()
    else:
        pagina.get_by_role("button", name="Inloggen").click()
        expect(pagina.get_by_text(melding)).to_be_visible(timeout=60_000)
    wacht_tot_klaar(pagina)
    return pagina.inner_text("[data-testid=stMain]")


def _ingelogd(pagina, basis: str) -> tuple[bool, str]:
    """(signed in on a staff page, the replica that served it)."""
    replica = _ga(pagina, f"{basis}/rondes")
    tekst = pagina.inner_text("[data-testid=stMain]")
    return ("Nieuwe ronde openen" in tekst and "alleen voor medewerkers" not in tekst), replica


def _websocket_upgrade(basis: str, replica: str | None) -> tuple[int, str | None, str | None]:
    """A bare WebSocket handshake on /_stcore/stream through the proxy:
    (status, the replica that answered, the ZBT_REPLICA cookie HAProxy set)."""
    deel = urlsplit(basis)
    conn = http.client.HTTPConnection(deel.hostname, deel.port, timeout=30)
    headers = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
               "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(), "Origin": basis}
    if replica:
        headers["Cookie"] = f"ZBT_REPLICA={replica}"
    try:
        conn.request("GET", "/_stcore/stream", headers=headers)
        antwoord = conn.getresponse()
        cookie = antwoord.getheader("Set-Cookie")
        return antwoord.status, antwoord.getheader("X-ZBT-Replica"), cookie
    finally:
        conn.close()


# ------------------------------------------------------------------ tests


def test_postgresql_nodig_met_nederlandse_melding():
    with pytest.raises(OpstellingFout, match="gedeelde PostgreSQL-database"):
        controleer_postgresql("sqlite:///x.db")
    with pytest.raises(OpstellingFout, match="PostgreSQL is niet bereikbaar op"):
        controleer_postgresql(f"postgresql+psycopg://postgres@127.0.0.1:{vrije_poort()}/test", timeout=2)


def test_websocket_door_de_proxy_en_sessies_blijven_op_hun_replica(opstelling, browser):
    from playwright.sync_api import expect

    basis = opstelling["url"]
    # the handshake itself goes through HAProxy to the replica the cookie names
    for replica in ("a", "b"):
        status, door, _ = _websocket_upgrade(basis, replica)
        assert (status, door) == (101, replica)
    # several browsers from one address: HAProxy spreads them, the cookie says where each went
    gezien = {}
    contexten = [_context(browser, basis) for _ in range(4)]
    try:
        for i, context in enumerate(contexten):
            pagina = context.new_page()
            sockets = []
            pagina.on("websocket", lambda ws, sockets=sockets: sockets.append(ws.url))
            door = _ga(pagina, f"{basis}/inloggen")
            # rendered: the page's content comes over the WebSocket, through the proxy
            expect(pagina.get_by_label("Gebruikersnaam")).to_be_visible()
            assert sockets and all(s.startswith(basis.replace("http", "ws", 1) + "/_stcore/stream") for s in sockets)
            assert _replica_cookie(context) == door, (i, context.cookies())
            gezien[i] = door
        assert set(gezien.values()) == {"a", "b"}, gezien
        # one browser stays on its replica: later requests, a reload, another page
        context = contexten[0]
        antwoorden: list[str | None] = []
        context.on("response", lambda r: antwoorden.append(r.headers.get("x-zbt-replica")))
        pagina = context.pages[0]
        pagina.reload()
        wacht_tot_klaar(pagina)
        assert _ga(pagina, f"{basis}/vragenlijst") == gezien[0]
        pagina.get_by_label("Code van uw uitnodiging").fill("ONZIN-CODE")  # a rerun over the WebSocket
        pagina.get_by_role("button", name="Verder", exact=True).click()
        wacht_tot_klaar(pagina)
        assert antwoorden and set(antwoorden) == {gezien[0]}, antwoorden
        assert _replica_cookie(context) == gezien[0]
    finally:
        for context in contexten:
            context.close()


def test_ingelogd_op_a_geldt_ook_op_b(opstelling, browser):
    basis = opstelling["url"]
    context = _context(browser, basis, "a")
    try:
        pagina = context.new_page()
        assert _ga(pagina, f"{basis}/inloggen") == "a"
        assert "U bent ingelogd als anna" in _aanmelden(pagina, basis, "anna")
        assert _ingelogd(pagina, basis) == (True, "a")
        _kies(context, basis, "b")  # the same browser, now on the other replica
        assert _ingelogd(pagina, basis) == (True, "b")
        pagina.reload()
        wacht_tot_klaar(pagina)
        assert "Nieuwe ronde openen" in pagina.inner_text("[data-testid=stMain]")
        assert _replica_cookie(context) == "b"
    finally:
        context.close()
    # another browser on b without the session cookie: not signed in
    ander = _context(browser, basis, "b")
    try:
        assert _ingelogd(ander.new_page(), basis) == (False, "b")
    finally:
        ander.close()


def test_grens_op_inloggen_telt_over_beide_replicas(opstelling, browser):
    basis, eng = opstelling["url"], opstelling["eng"]
    context = _context(browser, basis, "a")
    try:
        pagina = context.new_page()
        fout = "Gebruikersnaam of wachtwoord klopt niet."
        for replica, pogingen in (("a", 3), ("b", 2)):
            _kies(context, basis, replica)
            for _ in range(pogingen):
                assert fout in _aanmelden(pagina, basis, "carla", "fout-wachtwoord", melding=fout)
                assert _replica_cookie(context) == replica
        # 3 on a + 2 on b = 5: now the next attempt is refused unchecked, on either replica
        for replica in ("a", "b"):
            _kies(context, basis, replica)
            tekst = _aanmelden(pagina, basis, "carla", "nog-steeds-fout", melding=limieten.INLOGGEN_MELDING)
            assert fout not in tekst and _replica_cookie(context) == replica
    finally:
        context.close()
    # counted by the browser's own address, which HAProxy passed on (the replicas trust only
    # the proxy), not under 'onbekend' and not under the proxy's address
    with mock.patch.dict(os.environ, {"ZBT_GEHEIM": TESTGEHEIM}):
        assert limieten.inloggen_geblokkeerd(eng, "carla", "ip:127.0.0.1")
        assert not limieten.inloggen_geblokkeerd(eng, "carla", "onbekend")
        assert not limieten.inloggen_geblokkeerd(eng, "carla", "ip:127.0.0.2")


def test_verwijderd_account_op_a_is_ook_op_b_uitgelogd(opstelling, browser):
    basis, bestanden = opstelling["url"], opstelling["accounts"]
    context = _context(browser, basis, "a")
    try:
        pagina = context.new_page()
        _ga(pagina, f"{basis}/inloggen")
        assert "U bent ingelogd als bob" in _aanmelden(pagina, basis, "bob")
        _kies(context, basis, "b")
        assert _ingelogd(pagina, basis) == (True, "b")
        # bob is removed from replica a's accounts; b's file still has him
        bestanden["a"].write_text(_accounts(("anna", "carla")), encoding="utf-8")
        _kies(context, basis, "a")
        assert _ingelogd(pagina, basis) == (False, "a")
        _kies(context, basis, "b")
        assert _ingelogd(pagina, basis) == (False, "b")  # the session ended in the database
        # b itself still knows bob: a new sign-in there works
        _ga(pagina, f"{basis}/inloggen")
        assert "U bent ingelogd als bob" in _aanmelden(pagina, basis, "bob")
        assert _ingelogd(pagina, basis) == (True, "b")
    finally:
        bestanden["a"].write_text(_accounts(), encoding="utf-8")
        context.close()


def _deelnemer(browser, basis: str, replica: str, code: str, score: int):
    from playwright.sync_api import expect

    context = _context(browser, basis, replica)
    pagina = context.new_page()
    assert _ga(pagina, f"{basis}/vragenlijst?uitnodiging={code}") == replica
    pagina.get_by_role("button", name="Start de vragenlijst").click()
    expect(pagina.get_by_text(re.compile(r"0 van \d+ vragen beantwoord"))).to_be_visible(timeout=60_000)
    wacht_tot_klaar(pagina)
    groep = pagina.get_by_role("radiogroup", name="Hoe goed klopt stelling 1?")
    groep.get_by_text(SCORES[score - 1], exact=True).click()
    expect(pagina.get_by_text(re.compile(r"^1 van \d+ vragen beantwoord$"))).to_be_visible(timeout=60_000)
    assert _replica_cookie(context) == replica
    return context


def test_live_aantallen_tellen_antwoorden_via_beide_replicas(opstelling, browser):
    from playwright.sync_api import expect

    basis, eng, ronde = opstelling["url"], opstelling["eng"], opstelling["ronde"]
    fac = _context(browser, basis, "a")
    deelnemers = []
    try:
        workshop = fac.new_page()
        _ga(workshop, f"{basis}/inloggen")
        assert "U bent ingelogd als anna" in _aanmelden(workshop, basis, "anna")
        assert _ga(workshop, f"{basis}/workshop") == "a"
        expect(workshop.get_by_text("Iedereen vult nu zelf de vragenlijst in")).to_be_visible(timeout=30_000)
        # the projector of the same facilitator, served by b (the workshop page keeps its WebSocket on a)
        _kies(fac, basis, "b")
        beamer = fac.new_page()
        assert _ga(beamer, f"{basis}/workshop?weergave=beamer&ronde={ronde}") == "b"
        expect(beamer.get_by_text("Doe mee: vul de vragenlijst in")).to_be_visible(timeout=30_000)

        for i, replica in enumerate(("a", "b", "a", "b")):
            deelnemers.append(_deelnemer(browser, basis, replica, opstelling["code"], 1 + i % 4))
        df = repo.antwoorden_df(eng, ronde)
        assert df["respondent"].nunique() == 4 and len(df) == 4

        # both views refresh on their own and count the answers given via a and via b
        for pagina, label in ((workshop, "Deelnemers met antwoorden"), (beamer, "Met antwoorden")):
            metriek = pagina.locator("[data-testid=stMetric]").filter(has_text=label)
            expect(metriek.locator("[data-testid=stMetricValue]")).to_have_text("4", timeout=30_000)
            gestart = pagina.locator("[data-testid=stMetric]").filter(has_text="Deelnemers gestart")
            expect(gestart.locator("[data-testid=stMetricValue]")).to_have_text("4", timeout=30_000)
    finally:
        for context in (fac, *deelnemers):
            context.close()


def test_demo_tegelijk_vullen_op_postgresql_maakt_hem_een_keer():
    """Two replicas started with ZBT_DEMO=1 on a fresh database seed at the same moment:
    one demo, no error (storage.demo.vul_demo; the start script seeds once before them)."""
    from sqlalchemy import func, select

    from storage import db, demo
    from storage.models import Gemeente, Respondent
    from test_storage import KADERS, ROLLEN, pg_basis_of_overslaan

    basis = pg_basis_of_overslaan()
    schema = f"test_{uuid.uuid4().hex[:12]}"
    beheer = create_engine(basis, isolation_level="AUTOCOMMIT")
    with beheer.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engines = [db.maak_engine(make_url(basis).update_query_dict({"options": f"-csearch_path={schema}"}))
               for _ in range(2)]
    try:
        with mock.patch.dict(os.environ, {"ZBT_GEHEIM": TESTGEHEIM}):
            db.migreer(engines[0])
            uitkomsten, fouten = [], []
            start = threading.Barrier(2)

            def vul(engine):
                start.wait()
                try:
                    uitkomsten.append(demo.vul_demo(engine, KADERS, ROLLEN))
                except Exception as e:  # noqa: BLE001 - reported below
                    fouten.append(repr(e))

            draden = [threading.Thread(target=vul, args=(e,)) for e in engines]
            for d in draden:
                d.start()
            for d in draden:
                d.join(120)
        assert not fouten, fouten
        assert sorted(uitkomsten) == [False, True]
        with db.sessie(engines[0]) as s:
            assert s.scalar(select(func.count()).select_from(Gemeente)) == len(demo.DEMO_GEMEENTEN)
            respondenten = s.scalar(select(func.count()).select_from(Respondent))
        # the same as seeding once: the demo is deterministic
        verwacht = sum(r.respondenten for r in repo.rondes(engines[0]))
        assert respondenten == verwacht > 0
    finally:
        for e in engines:
            e.dispose()
        with beheer.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        beheer.dispose()
