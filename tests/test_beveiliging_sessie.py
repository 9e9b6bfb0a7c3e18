"""Staff sessions that outlive a tab (issue 11, point 2): attacks and their defences.

* A forged, altered or old cookie must not sign anyone in: the token is signed
  (itsdangerous, key from the server secret) and carries its age.
* A validly signed token counts only while its server-side record lives: sign-out
  ends it in every tab, and so does removing the account from the configuration.
* The database holds no token, only a keyed hash; the hand-off that sets the cookie
  works once and only from our own page.
* The cookie is out of reach of scripts (HttpOnly) and of other sites (SameSite=Strict).
"""
from __future__ import annotations

import http.client
import os
import time
from datetime import timedelta
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from conftest import start_streamlit, stop_streamlit, wacht_tot_klaar
from storage import repository as repo
from storage import sessies
from storage.geheim import geheim
from storage.models import Sessie
from test_storage import engine, leeg_engine  # noqa: F401  (fixtures, used by name)
from toegang import hash_wachtwoord
from toegang.sessie import (
    COOKIE,
    GELDIGHEID,
    OVERDRACHT_SECONDEN,
    cookie_instellingen,
    lees_overdracht,
    lees_sessie,
    nieuw_deel,
    onderteken_overdracht,
    onderteken_sessie,
)

ROOT = Path(__file__).resolve().parent.parent
SLEUTEL = b"s" * 40
ANDERE_SLEUTEL = b"t" * 40
WACHTWOORD = "sessie-wachtwoord-lang-genoeg"
TESTGEHEIM = "sessie-testgeheim-" + "9" * 32


def _in_het_verleden(seconden: float):
    """itsdangerous stamps tokens with time.time(): sign as if it were `seconden` ago."""
    return mock.patch("itsdangerous.timed.time.time", return_value=time.time() - seconden)


# ------------------------------------------------------------------ tokens (pure)


def test_token_heen_en_terug():
    deel = nieuw_deel()
    assert lees_sessie(onderteken_sessie(deel, SLEUTEL), SLEUTEL) == deel
    assert lees_overdracht(onderteken_overdracht(deel, SLEUTEL), SLEUTEL) == deel
    assert nieuw_deel() != deel


def test_gewijzigd_of_vreemd_token_wordt_geweigerd():
    deel = nieuw_deel()
    token = onderteken_sessie(deel, SLEUTEL)
    waarde, rest = token.split(".", 1)
    ander = nieuw_deel()
    gewijzigd = [
        token[:-1] + ("A" if token[-1] != "A" else "B"),               # signature changed
        onderteken_sessie(ander, SLEUTEL).split(".", 1)[0] + "." + rest,  # other value, old signature
        onderteken_sessie(deel, ANDERE_SLEUTEL),                       # signed with another key
        onderteken_overdracht(deel, SLEUTEL),                          # a hand-off is no session
        deel, "", "x" * 500, None, 12,
    ]
    assert [lees_sessie(t, SLEUTEL) for t in gewijzigd] == [None] * len(gewijzigd)
    assert lees_overdracht(token, SLEUTEL) is None  # and a session is no hand-off


def test_verlopen_token_wordt_geweigerd():
    deel = nieuw_deel()
    with _in_het_verleden(GELDIGHEID.total_seconds() + 60):
        oud = onderteken_sessie(deel, SLEUTEL)
    with _in_het_verleden(GELDIGHEID.total_seconds() - 60):
        net_niet = onderteken_sessie(deel, SLEUTEL)
    assert lees_sessie(oud, SLEUTEL) is None
    assert lees_sessie(net_niet, SLEUTEL) == deel
    with _in_het_verleden(OVERDRACHT_SECONDEN + 5):
        overdracht = onderteken_overdracht(deel, SLEUTEL)
    assert lees_overdracht(overdracht, SLEUTEL) is None


def test_alleen_een_echt_willekeurig_deel_wordt_ondertekend():
    with pytest.raises(ValueError):
        onderteken_sessie("kort", SLEUTEL)
    with pytest.raises(ValueError):
        onderteken_sessie(nieuw_deel(), b"")


def test_cookie_kenmerken():
    c = cookie_instellingen(https=False)
    assert c["httponly"] is True and c["samesite"] == "strict" and c["path"] == "/"
    assert c["max_age"] == 10 * 3600 and c["secure"] is False
    assert cookie_instellingen(https=True)["secure"] is True


# ------------------------------------------------------------------ the server-side record


@pytest.mark.db
def test_overdracht_werkt_een_keer_en_de_database_kent_geen_token(engine):  # noqa: F811
    overdracht, deel = nieuw_deel(), nieuw_deel()
    repo.maak_overdracht(engine, "anna", overdracht)
    assert repo.sessie_gebruiker(engine, overdracht) is None  # a hand-off is not yet a session
    assert repo.wissel_overdracht(engine, overdracht, deel) == "anna"
    assert repo.wissel_overdracht(engine, overdracht, nieuw_deel()) is None  # once
    assert repo.sessie_gebruiker(engine, deel) == "anna"
    with engine.connect() as conn:
        rijen = conn.execute(select(Sessie.token_hash, Sessie.gebruiker, Sessie.beeindigd)).all()
    assert len(rijen) == 1 and rijen[0].gebruiker == "anna" and not rijen[0].beeindigd
    assert deel not in rijen[0].token_hash and overdracht not in rijen[0].token_hash
    assert len(rijen[0].token_hash) == 64


@pytest.mark.db
def test_uitloggen_beeindigt_de_sessie(engine):  # noqa: F811
    overdracht, deel = nieuw_deel(), nieuw_deel()
    repo.maak_overdracht(engine, "anna", overdracht)
    repo.wissel_overdracht(engine, overdracht, deel)
    assert repo.beeindig_sessie(engine, deel) is True
    assert repo.sessie_gebruiker(engine, deel) is None
    assert repo.beeindig_sessie(engine, deel) is False


@pytest.mark.db
def test_verlopen_overdracht_en_sessie_gelden_niet(engine, monkeypatch):  # noqa: F811
    from storage.models import nu

    overdracht, deel = nieuw_deel(), nieuw_deel()
    repo.maak_overdracht(engine, "anna", overdracht)
    monkeypatch.setattr(sessies, "nu", lambda: nu() + timedelta(seconds=OVERDRACHT_SECONDEN + 1))
    assert repo.wissel_overdracht(engine, overdracht, deel) is None
    monkeypatch.undo()
    overdracht, deel = nieuw_deel(), nieuw_deel()
    repo.maak_overdracht(engine, "bob", overdracht)
    assert repo.wissel_overdracht(engine, overdracht, deel) == "bob"
    monkeypatch.setattr(sessies, "nu", lambda: nu() + GELDIGHEID + timedelta(seconds=1))
    assert repo.sessie_gebruiker(engine, deel) is None
    # a day later still: both rows are cleaned up
    monkeypatch.setattr(sessies, "nu", lambda: nu() + GELDIGHEID + sessies.SESSIE_BEWAARTERMIJN * 2)
    assert repo.ruim_sessies_op(engine) == 2


# ------------------------------------------------------------------ browser: the real server


@pytest.fixture(scope="module")
def sessie_server(tmp_path_factory):
    """server.py with its own accounts file (a test removes an account) and a known secret."""
    tmp = tmp_path_factory.mktemp("sessie")
    accounts = tmp / "gebruikers.toml"
    h = hash_wachtwoord(WACHTWOORD)
    accounts.write_text("".join(f'[gebruikers.{n}]\nrol = "facilitator"\ngemeenten = ["*"]\nwachtwoord_hash = "{h}"\n'
                                for n in ("anna", "bob")), encoding="utf-8")
    url = f"sqlite:///{tmp / 'sessie.db'}"
    env = {**os.environ, "ZBT_DATABASE_URL": url, "ZBT_DEMO": "1", "ZBT_GEBRUIKERS": str(accounts),
           "ZBT_GEHEIM": TESTGEHEIM}
    proc, basis = start_streamlit(ROOT / "app.py", env, tmp / "streamlit.log")
    yield {"url": basis, "database_url": url, "accounts": accounts}
    stop_streamlit(proc)


def _inloggen(context, basis: str, naam: str):
    pagina = context.new_page()
    pagina.goto(f"{basis}/inloggen")
    wacht_tot_klaar(pagina)
    pagina.get_by_label("Gebruikersnaam").fill(naam)
    pagina.get_by_label("Wachtwoord").fill(WACHTWOORD)
    # the page sends the browser to /sessie/start, which sets the cookie and sends it back
    with pagina.expect_navigation(url=f"{basis}/inloggen", timeout=60_000):
        pagina.get_by_role("button", name="Inloggen").click()
    wacht_tot_klaar(pagina)
    assert f"U bent ingelogd als {naam}" in pagina.inner_text("[data-testid=stMain]")
    return pagina


def _ingelogd_op_staffpagina(pagina, basis: str) -> bool:
    pagina.goto(f"{basis}/rondes")
    wacht_tot_klaar(pagina)
    tekst = pagina.inner_text("[data-testid=stMain]")
    assert "Page not found" not in tekst
    return "alleen voor medewerkers" not in tekst and "Nieuwe ronde openen" in tekst


def _sessiecookie(context):
    return next((c for c in context.cookies() if c["name"] == COOKIE), None)


@pytest.mark.browser
@pytest.mark.db
def test_ingelogd_na_herladen_en_in_een_nieuw_tabblad(sessie_server, browser):
    basis = sessie_server["url"]
    context = browser.new_context()
    try:
        pagina = _inloggen(context, basis, "anna")
        cookie = _sessiecookie(context)
        assert cookie is not None, context.cookies()
        assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
        assert 9.5 * 3600 < cookie["expires"] - time.time() <= 10 * 3600
        assert COOKIE not in pagina.evaluate("document.cookie")  # out of reach of scripts
        assert _ingelogd_op_staffpagina(pagina, basis)
        pagina.reload()
        wacht_tot_klaar(pagina)
        assert "Nieuwe ronde openen" in pagina.inner_text("[data-testid=stMain]")
        tweede = context.new_page()  # a new tab in the same browser
        assert _ingelogd_op_staffpagina(tweede, basis)
        # another browser (no cookie) is not signed in
        ander = browser.new_context()
        try:
            assert not _ingelogd_op_staffpagina(ander.new_page(), basis)
        finally:
            ander.close()
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.db
def test_gewijzigd_en_verlopen_cookie_worden_geweigerd(sessie_server, browser, monkeypatch):
    from storage.db import maak_engine

    basis, host = sessie_server["url"], urlsplit(sessie_server["url"]).hostname
    monkeypatch.setenv("ZBT_GEHEIM", TESTGEHEIM)
    eng = maak_engine(sessie_server["database_url"])
    overdracht, deel = nieuw_deel(), nieuw_deel()
    repo.maak_overdracht(eng, "anna", overdracht)
    assert repo.wissel_overdracht(eng, overdracht, deel) == "anna"  # a live record for `deel`
    eng.dispose()
    goed = onderteken_sessie(deel, geheim())
    with _in_het_verleden(GELDIGHEID.total_seconds() + 60):
        verlopen = onderteken_sessie(deel, geheim())
    gewijzigd = goed[:-2] + ("AA" if goed[-2:] != "AA" else "BB")
    vals = onderteken_sessie(deel, b"een-ander-geheim-" + b"0" * 32)
    uitkomst = {}
    for naam, waarde in {"goed": goed, "verlopen": verlopen, "gewijzigd": gewijzigd, "vals": vals}.items():
        context = browser.new_context()
        try:
            context.add_cookies([{"name": COOKIE, "value": waarde, "domain": host, "path": "/"}])
            uitkomst[naam] = _ingelogd_op_staffpagina(context.new_page(), basis)
        finally:
            context.close()
    assert uitkomst == {"goed": True, "verlopen": False, "gewijzigd": False, "vals": False}


@pytest.mark.browser
@pytest.mark.db
def test_uitloggen_geldt_in_elk_tabblad_en_het_oude_cookie_werkt_niet_meer(sessie_server, browser):
    basis, host = sessie_server["url"], urlsplit(sessie_server["url"]).hostname
    context = browser.new_context()
    try:
        pagina = _inloggen(context, basis, "anna")
        ander_tabblad = context.new_page()
        assert _ingelogd_op_staffpagina(ander_tabblad, basis)
        oud = _sessiecookie(context)["value"]
        with pagina.expect_navigation(url=f"{basis}/inloggen", timeout=60_000):  # via /sessie/einde
            pagina.get_by_role("button", name="Uitloggen").click()
        wacht_tot_klaar(pagina)
        assert _sessiecookie(context) is None, context.cookies()
        pagina.reload()
        wacht_tot_klaar(pagina)
        assert not _ingelogd_op_staffpagina(pagina, basis)
        # the other tab: its next request finds the session ended
        assert not _ingelogd_op_staffpagina(ander_tabblad, basis)
    finally:
        context.close()
    # a copy of the old cookie (stolen, or restored from a backup) is worth nothing now
    kopie = browser.new_context()
    try:
        kopie.add_cookies([{"name": COOKIE, "value": oud, "domain": host, "path": "/"}])
        assert not _ingelogd_op_staffpagina(kopie.new_page(), basis)
    finally:
        kopie.close()


@pytest.mark.browser
@pytest.mark.db
def test_verwijderd_account_is_uitgelogd(sessie_server, browser):
    from storage.db import maak_engine

    basis, accounts = sessie_server["url"], sessie_server["accounts"]
    context = browser.new_context()
    oorspronkelijk = accounts.read_text(encoding="utf-8")
    try:
        pagina = _inloggen(context, basis, "bob")
        assert _ingelogd_op_staffpagina(pagina, basis)
        accounts.write_text(oorspronkelijk[:oorspronkelijk.index("[gebruikers.bob]")], encoding="utf-8")
        assert not _ingelogd_op_staffpagina(pagina, basis)
        # the record is ended too: putting the account back does not revive the session
        eng = maak_engine(sessie_server["database_url"])
        with eng.connect() as conn:
            beeindigd = conn.execute(select(Sessie.beeindigd).where(Sessie.gebruiker == "bob")).scalars().all()
        eng.dispose()
        assert beeindigd and all(beeindigd)
        accounts.write_text(oorspronkelijk, encoding="utf-8")
        assert not _ingelogd_op_staffpagina(pagina, basis)
    finally:
        accounts.write_text(oorspronkelijk, encoding="utf-8")
        context.close()


def _get(basis: str, pad: str, headers: dict | None = None):
    deel = urlsplit(basis)
    conn = http.client.HTTPConnection(deel.hostname, deel.port, timeout=30)
    try:
        conn.request("GET", pad, headers=headers or {})
        antwoord = conn.getresponse()
        return antwoord.status, antwoord.getheader("Location"), antwoord.getheader("Set-Cookie")
    finally:
        conn.close()


@pytest.mark.browser
@pytest.mark.db
def test_overdracht_alleen_een_keer_en_niet_van_een_andere_site(sessie_server, monkeypatch):
    from storage.db import maak_engine

    monkeypatch.setenv("ZBT_GEHEIM", TESTGEHEIM)
    eng = maak_engine(sessie_server["database_url"])
    try:
        eerste, tweede = nieuw_deel(), nieuw_deel()
        repo.maak_overdracht(eng, "anna", eerste)
        repo.maak_overdracht(eng, "anna", tweede)
    finally:
        eng.dispose()
    basis = sessie_server["url"]
    t1, t2 = onderteken_overdracht(eerste, geheim()), onderteken_overdracht(tweede, geheim())
    # from another site: refused, and the hand-off is not used up by that
    status, plek, cookie = _get(basis, f"/sessie/start?t={t2}", {"Sec-Fetch-Site": "cross-site"})
    assert status == 303 and plek.endswith("/inloggen?sessie=mislukt") and cookie is None
    status, plek, cookie = _get(basis, f"/sessie/start?t={t1}", {"Sec-Fetch-Site": "same-origin"})
    assert status == 303 and plek.endswith("/inloggen") and cookie.startswith(f"{COOKIE}=")
    for kop in ("HttpOnly", "SameSite=strict", "Path=/", f"Max-Age={int(GELDIGHEID.total_seconds())}"):
        assert kop.lower() in cookie.lower(), cookie
    assert "secure" not in cookie.lower()  # plain http here; https sets Secure
    # the same hand-off again, or a forged one: no cookie
    for t in (t1, t1[:-1] + ("A" if t1[-1] != "A" else "B"), "onzin"):
        status, plek, cookie = _get(basis, f"/sessie/start?t={t}")
        assert status == 303 and plek.endswith("?sessie=mislukt") and cookie is None
    status, _, cookie = _get(basis, f"/sessie/start?t={t2}", {"Sec-Fetch-Site": "same-origin"})
    assert cookie is not None
