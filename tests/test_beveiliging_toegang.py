"""Attack on the rate limits and on stale accounts.

* The code rate limit reset with every page load (the key fell back to the session
  on loopback), and a guesser on the same host could pick their own key with
  X-Forwarded-For. Now: one counter per client address over all page loads, the
  header followed only from a trusted proxy, else one shared counter.
* Ten wrong passwords locked the real owner out too. Now a limit per (account,
  client), per client, and a slower one per account that does not hold the owner
  at an address they signed in from.
* A removed account stayed signed in until a restart.
"""
from __future__ import annotations

import ipaddress
import os
import re
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import text

from conftest import wacht_tot_klaar
from diensten import limieten
from storage import pogingen
from storage.db import maak_engine, migreer
from toegang import ConfigFout, Gebruiker, hash_wachtwoord
from toegang.client import ALLES, client_adres, client_sleutel, lees_netten

if TYPE_CHECKING:  # only for annotations: importing it costs collection time
    from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
VIEWS = ROOT / "views"
LOOPBACK = lees_netten("127.0.0.1,::1")  # uvicorn's default FORWARDED_ALLOW_IPS
GEEN: tuple = ()


# ------------------------------------------------------------------ client key (pure)


@pytest.mark.parametrize("peer,xff,vertrouwd,server,verwacht", [
    # no proxy: the TCP peer; its own X-Forwarded-For is ignored
    ("198.51.100.9", None, "", LOOPBACK, "ip:198.51.100.9"),
    ("198.51.100.9", "1.2.3.4", "", LOOPBACK, "ip:198.51.100.9"),
    ("198.51.100.9", "1.2.3.4, 198.51.100.9", "", LOOPBACK, "onbekend"),  # may be uvicorn's doing: shared
    # loopback without header: one address for everyone on this host
    ("127.0.0.1", None, "", LOOPBACK, "ip:127.0.0.1"),
    # the attack: a guesser on this host sends a header; uvicorn put its value in place of
    # the loopback peer. Not trusted by us, so not followed: the shared counter.
    ("7.7.7.7", "7.7.7.7", "", LOOPBACK, "onbekend"),
    ("7.7.7.7", "8.8.8.8, 7.7.7.7", "", LOOPBACK, "onbekend"),
    ("127.0.0.1", "127.0.0.1", "", LOOPBACK, "onbekend"),
    # FORWARDED_ALLOW_IPS="" (uvicorn trusts nothing): the peer is real
    ("127.0.0.1", "7.7.7.7", "", GEEN, "ip:127.0.0.1"),
    # a trusted proxy elsewhere: rightmost hop it appended; what the client prepended is ignored
    ("10.0.0.5", "203.0.113.5", "10.0.0.5", LOOPBACK, "ip:203.0.113.5"),
    ("10.0.0.5", "6.6.6.6, 203.0.113.5", "10.0.0.5", LOOPBACK, "ip:203.0.113.5"),
    ("10.0.0.5", "203.0.113.5, 10.0.0.7", "10.0.0.0/24", LOOPBACK, "ip:203.0.113.5"),  # two proxies
    ("10.0.0.5", "203.0.113.5:51234", "10.0.0.5", LOOPBACK, "ip:203.0.113.5"),
    ("10.0.0.5", None, "10.0.0.5", LOOPBACK, "onbekend"),  # proxy without header: client unknown
    ("10.0.0.5", "geen-adres", "10.0.0.5", LOOPBACK, "onbekend"),
    ("10.0.0.5", "10.0.0.6", "10.0.0.0/24", LOOPBACK, "onbekend"),  # only proxies
    ("10.0.0.6", "203.0.113.5", "10.0.0.5", LOOPBACK, "ip:10.0.0.6"),  # not the trusted one
    # a proxy on this host, trusted: uvicorn already took the client from the header
    ("203.0.113.5", "6.6.6.6, 203.0.113.5", "127.0.0.1,::1", LOOPBACK, "ip:203.0.113.5"),
    # ... but trusting only 127.0.0.1 while uvicorn trusts ::1 too leaves ::1 open: shared
    ("203.0.113.5", "203.0.113.5", "127.0.0.1", LOOPBACK, "onbekend"),
    # IPv6 counts per /64; IPv4-mapped IPv6 as IPv4
    ("2001:db8:1:2::a", None, "", LOOPBACK, "ip:2001:db8:1:2::/64"),
    ("2001:db8:1:2:ffff::1", None, "", LOOPBACK, "ip:2001:db8:1:2::/64"),
    ("::ffff:198.51.100.9", None, "", LOOPBACK, "ip:198.51.100.9"),
    ("10.0.0.5", "[2001:db8::1]:443", "10.0.0.5", LOOPBACK, "ip:2001:db8::/64"),
    # nothing known: the shared counter, never one per session
    (None, None, "", LOOPBACK, "onbekend"),
    (None, "1.2.3.4", "", LOOPBACK, "onbekend"),
    ("1.2.3.4", "1.2.3.4", "", ALLES, "onbekend"),  # FORWARDED_ALLOW_IPS=*: uvicorn believes anyone
    ("1.2.3.4", "1.2.3.4, 10.0.0.5", "10.0.0.5", ALLES, "onbekend"),
])
def test_client_sleutel(peer, xff, vertrouwd, server, verwacht):
    headers = {"Host": "x"} | ({"X-Forwarded-For": xff} if xff else {})
    assert client_sleutel(peer, headers, lees_netten(vertrouwd), server) == verwacht


def test_client_sleutel_leest_alle_vormen_van_headers():
    from streamlit.runtime.context import StreamlitHeaders

    vertrouwd = lees_netten("10.0.0.5")
    paren = [("x-forwarded-for", "6.6.6.6"), ("X-Forwarded-For", "203.0.113.5")]  # two headers: joined
    assert client_sleutel("10.0.0.5", StreamlitHeaders(paren), vertrouwd, LOOPBACK) == "ip:203.0.113.5"
    assert client_sleutel("10.0.0.5", paren, vertrouwd, LOOPBACK) == "ip:203.0.113.5"
    assert client_sleutel("10.0.0.5", {"X-Forwarded-For": ["6.6.6.6", "203.0.113.5"]}, vertrouwd, LOOPBACK) \
        == "ip:203.0.113.5"
    assert client_adres("198.51.100.9", None) == ipaddress.ip_address("198.51.100.9")


def test_vertrouwde_proxy_instelling():
    assert lees_netten("10.0.0.5, 192.168.0.0/16 ::1") == (
        ipaddress.ip_network("10.0.0.5/32"), ipaddress.ip_network("192.168.0.0/16"), ipaddress.ip_network("::1/128"))
    assert lees_netten("") == ()
    with pytest.raises(ConfigFout, match="ZBT_VERTROUWDE_PROXY: 'proxy.local' is geen IP-adres"):
        lees_netten("10.0.0.5,proxy.local")
    with pytest.raises(ConfigFout, match="zou iedereen vertrouwen"):
        lees_netten("*")
    assert lees_netten("*", "FORWARDED_ALLOW_IPS", streng=False) == ALLES  # uvicorn's own setting


@pytest.mark.db
def test_geen_sleutel_per_sessie(app_db):
    """Ten wrong codes, each in a new session (a new AppTest is a new session), block the eleventh."""
    from streamlit.testing.v1 import AppTest

    for poging in range(10):
        at = AppTest.from_file(str(VIEWS / "vragenlijst.py"), default_timeout=60)
        at.query_params["uitnodiging"] = f"FOUT-{poging:04d}-AAAA-BBBB-CCCC"
        at.run()
        assert any("kennen we niet" in e.value for e in at.error), poging
    at = AppTest.from_file(str(VIEWS / "vragenlijst.py"), default_timeout=60)
    at.query_params["code"] = "AAAA-BBBB-CC"
    at.run()
    assert any("Te veel onjuiste codes" in e.value for e in at.error)


# ------------------------------------------------------------------ browser: fresh page loads


def _leeg_pogingen(database_url: str) -> None:
    eng = maak_engine(database_url)
    migreer(eng)  # the server migrates on its first page load, which may not have happened yet
    with eng.begin() as conn:
        conn.execute(text("DELETE FROM poging"))
    eng.dispose()


def _code_op_nieuwe_pagina(browser, url: str, nummer: int, headers: dict | None = None) -> str:
    """One wrong code on a fresh page load (new browser context: new session, no cookies)."""
    from playwright.sync_api import expect

    context = browser.new_context(extra_http_headers=headers or {})
    try:
        pagina = context.new_page()
        soort = f"uitnodiging=FOUT-{nummer:04d}-AAAA-BBBB-CCCC" if nummer % 2 else f"code=FOUT-{nummer:04d}-AA"
        pagina.goto(f"{url}/vragenlijst?{soort}")
        melding = pagina.get_by_text(re.compile("kennen we niet|Te veel onjuiste codes"))
        expect(melding.first).to_be_visible(timeout=60_000)
        wacht_tot_klaar(pagina)
        return melding.first.inner_text()
    finally:
        context.close()


@pytest.mark.browser
def test_codes_raden_met_steeds_een_nieuwe_pagina_wordt_geblokkeerd(app_server, browser):
    _leeg_pogingen(app_server["database_url"])
    try:
        meldingen = [_code_op_nieuwe_pagina(browser, app_server["url"], i) for i in range(12)]
        assert all("kennen we niet" in m for m in meldingen[:10]), meldingen
        assert all("Te veel onjuiste codes" in m for m in meldingen[10:]), meldingen
        # a guesser on this host who sends a different X-Forwarded-For on every load
        # gets no fresh counter either (shared counter for unknown addresses)
        _leeg_pogingen(app_server["database_url"])
        meldingen = [_code_op_nieuwe_pagina(browser, app_server["url"], i, {"X-Forwarded-For": f"192.0.2.{i + 1}"})
                     for i in range(11)]
        assert all("kennen we niet" in m for m in meldingen[:10]), meldingen
        assert "Te veel onjuiste codes" in meldingen[10], meldingen
    finally:
        _leeg_pogingen(app_server["database_url"])


# ------------------------------------------------------------------ passwords


@pytest.fixture
def eng(tmp_path):
    engine = maak_engine(f"sqlite:///{tmp_path / 'limiet.db'}")
    migreer(engine)
    yield engine
    engine.dispose()


def _fout(engine, naam: str, client: str, keer: int) -> None:
    for _ in range(keer):
        assert not limieten.inloggen_geblokkeerd(engine, naam, client)
        limieten.registreer_inloggen(engine, naam, client, False)


@pytest.mark.db
def test_wachtwoord_raden_sluit_de_eigenaar_niet_buiten(eng, monkeypatch):
    begin = pogingen.nu()
    klok = {"t": begin}
    monkeypatch.setattr(pogingen, "nu", lambda: klok["t"])
    eigenaar, aanvaller = "ip:203.0.113.10", "ip:198.51.100.66"
    limieten.registreer_inloggen(eng, "anna", eigenaar, True)  # the owner signed in this morning

    # one guesser: blocked for this account after 5, others (and the owner) unaffected
    _fout(eng, "Anna", aanvaller, limieten.INLOGGEN.maximum)
    assert limieten.inloggen_geblokkeerd(eng, "anna", aanvaller)
    assert not limieten.inloggen_geblokkeerd(eng, "anna", eigenaar)
    assert not limieten.inloggen_geblokkeerd(eng, "anna", "ip:192.0.2.1")
    assert not limieten.inloggen_geblokkeerd(eng, "bob", aanvaller)

    # spread over many addresses: the account limit stops them ...
    for i in range(5):
        _fout(eng, "anna", f"ip:198.51.100.{i}", limieten.INLOGGEN.maximum)
    assert limieten.inloggen_geblokkeerd(eng, "anna", "ip:192.0.2.99")  # 30 failures in 15 minutes
    # ... but not the owner at the address they signed in from
    assert not limieten.inloggen_geblokkeerd(eng, "anna", eigenaar)
    # and not for long: 15 minutes after the guessing stopped everyone may try again
    klok["t"] = begin + timedelta(seconds=limieten.INLOGGEN_ACCOUNT.venster + 1)
    assert not limieten.inloggen_geblokkeerd(eng, "anna", "ip:192.0.2.99")
    assert not limieten.inloggen_geblokkeerd(eng, "anna", aanvaller)


@pytest.mark.db
def test_wachtwoorden_sproeien_vanaf_een_adres(eng):
    aanvaller = "ip:198.51.100.66"
    for i in range(limieten.INLOGGEN_CLIENT.maximum // 4):
        _fout(eng, f"account{i}", aanvaller, 4)
    assert limieten.inloggen_geblokkeerd(eng, "nog-een-account", aanvaller)
    assert not limieten.inloggen_geblokkeerd(eng, "nog-een-account", "ip:198.51.100.67")


@pytest.fixture
def accounts_bestand(app_db, monkeypatch, tmp_path):
    bestand = tmp_path / "gebruikers.toml"
    h = hash_wachtwoord("x" * 16)
    bestand.write_text(
        f'[gebruikers.anna]\nrol = "facilitator"\ngemeenten = ["Aadorp"]\nwachtwoord_hash = "{h}"\n'
        f'[gebruikers.bob]\nrol = "facilitator"\ngemeenten = ["Aadorp"]\nwachtwoord_hash = "{h}"\n')
    monkeypatch.setenv("ZBT_GEBRUIKERS", str(bestand))
    return bestand


def _inloggen(at: AppTest, naam: str, wachtwoord: str) -> AppTest:
    at.text_input[0].set_value(naam)
    at.text_input[1].set_value(wachtwoord)
    next(b for b in at.button if b.label == "Inloggen").click()
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.db
def test_inlogpagina_eigenaar_kan_in_na_tien_foute_pogingen_van_een_ander(accounts_bestand, monkeypatch):
    from streamlit.testing.v1 import AppTest

    import views.context

    client = {"sleutel": "ip:198.51.100.66"}
    monkeypatch.setattr(views.context, "client_sleutel", lambda: client["sleutel"])
    at = AppTest.from_file(str(VIEWS / "inloggen.py"), default_timeout=60)
    at.run()
    for _ in range(10):
        _inloggen(at, "anna", "fout-wachtwoord")
    assert any("Te veel mislukte pogingen" in e.value for e in at.error)
    client["sleutel"] = "ip:203.0.113.10"  # the owner, elsewhere
    eigenaar = AppTest.from_file(str(VIEWS / "inloggen.py"), default_timeout=60)
    eigenaar.run()
    _inloggen(eigenaar, "anna", "x" * 16)
    assert any("ingelogd als **anna**" in s.value for s in eigenaar.success)


# ------------------------------------------------------------------ accounts are re-read


@pytest.mark.db
def test_verwijderd_account_is_bij_de_volgende_aanvraag_uitgelogd(accounts_bestand):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(VIEWS / "rondes.py"), default_timeout=60)
    at.session_state["gebruiker"] = Gebruiker("anna", "facilitator", frozenset({"Aadorp"}))
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Rondes beheren"
    # the beheerder removes anna from the file; no restart
    tekst = accounts_bestand.read_text()
    accounts_bestand.write_text(tekst[tekst.index("[gebruikers.bob]"):])
    at.run()
    assert any("alleen voor medewerkers" in w.value for w in at.warning)
    assert "gebruiker" not in at.session_state


@pytest.mark.db
def test_gewijzigd_account_geldt_direct(accounts_bestand):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(VIEWS / "inloggen.py"), default_timeout=60)
    at.run()
    _inloggen(at, "bob", "x" * 16)
    assert any("ingelogd als **bob** (facilitator)" in s.value for s in at.success)
    accounts_bestand.write_text(accounts_bestand.read_text().replace(
        '[gebruikers.bob]\nrol = "facilitator"', '[gebruikers.bob]\nrol = "inspecteur"'))
    at.run()
    assert not at.success and at.text_input  # signed out: the form again
    _inloggen(at, "bob", "x" * 16)
    assert any("ingelogd als **bob** (inspecteur)" in s.value for s in at.success)


def test_accounts_herlezen_zonder_demo_hashes_opnieuw_te_maken(monkeypatch, tmp_path):
    import toegang

    bestand = tmp_path / "g.toml"
    bestand.write_text(f'[gebruikers.anna]\nrol = "facilitator"\ngemeenten = ["A"]\nwachtwoord_hash = "{hash_wachtwoord("y" * 12)}"\n')
    env = {"ZBT_GEBRUIKERS": str(bestand), "ZBT_DEMO": "1"}
    eerst = toegang.accounts_uit_omgeving({}, env)
    class GeenHashes:
        def hash(self, *_):
            pytest.fail("argon2 hash made again")

    monkeypatch.setattr(toegang, "_hasher", GeenHashes())
    bestand.write_text(bestand.read_text().replace('"facilitator"', '"inspecteur"'))
    daarna = toegang.accounts_uit_omgeving({}, env)
    assert (eerst["anna"].rol, daarna["anna"].rol) == ("facilitator", "inspecteur")
    assert daarna["demo-beheerder"].wachtwoord_hash == eerst["demo-beheerder"].wachtwoord_hash
    # a change that keeps size and modification time is still seen within a minute
    monkeypatch.setattr(toegang, "HERLEES_SECONDEN", 0)
    stat = bestand.stat()
    bestand.write_text(bestand.read_text().replace('["A"]', '["B"]'))
    os.utime(bestand, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert bestand.stat().st_size == stat.st_size
    assert toegang.accounts_uit_omgeving({}, env)["anna"].gemeenten == frozenset({"B"})
