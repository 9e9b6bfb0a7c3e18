"""No request leaves the app's own host: every page, as every kind of visitor.

Each page-initiated request (documents, scripts, styles, fonts, images, favicons, fetches,
websockets) is recorded with Playwright; any host other than the app's own
127.0.0.1:<port> fails the test. A visitor's address must not reach a font server or any
other third party (AVG). Chromium runs with --disable-background-networking and friends
(tests/conftest.py CHROMIUM_ARGS), and Playwright only reports what pages ask for, so
Chromium's own traffic is not counted.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.conftest import start_demo_vragenlijst, wacht_tot_klaar

pytestmark = pytest.mark.browser

DEMO_WACHTWOORD = "demo"


class Verzoeken:
    """Every request the pages of one browser context make, and every websocket."""

    def __init__(self, context, basis: str):
        self.eigen = urlsplit(basis).netloc
        self.alle: list[tuple[str, str]] = []  # (page where it happened, url)
        self.waar = "start"
        context.on("request", lambda verzoek: self.alle.append((self.waar, verzoek.url)))
        context.on("page", self._volg)
        for pagina in context.pages:
            self._volg(pagina)

    def _volg(self, pagina) -> None:
        pagina.on("websocket", lambda ws: self.alle.append((self.waar, ws.url)))

    def buiten(self) -> list[tuple[str, str]]:
        """Requests to anywhere but the app's own scheme-less host:port (data: and blob:
        URLs never leave the browser)."""
        fout = []
        for waar, url in self.alle:
            delen = urlsplit(url)
            if delen.scheme in ("data", "blob"):
                continue
            if delen.scheme not in ("http", "https", "ws", "wss") or delen.netloc != self.eigen:
                fout.append((waar, url))
        return fout


def _inloggen(pagina, basis: str, naam: str, wachtwoord: str) -> None:
    pagina.goto(basis + "/inloggen")
    wacht_tot_klaar(pagina)
    pagina.get_by_label("Gebruikersnaam").fill(naam)
    pagina.get_by_label("Wachtwoord").fill(wachtwoord)
    pagina.get_by_role("button", name="Inloggen").click()
    expect(pagina.get_by_text("U bent ingelogd als")).to_be_visible(timeout=30_000)
    wacht_tot_klaar(pagina)


def _alle_paginas(pagina, verzoeken: Verzoeken, persona: str) -> list[str]:
    """Open every page in the sidebar menu, by clicking (a reload would end the session).
    Returns the pages' url paths."""
    menu = pagina.locator("[data-testid=stSidebarNav] a")
    expect(menu.first).to_be_visible(timeout=30_000)
    paden = [urlsplit(menu.nth(i).get_attribute("href")).path for i in range(menu.count())]
    for pad in paden:
        verzoeken.waar = f"{persona}: {pad}"
        if urlsplit(pagina.url).path == pad:
            continue  # already here
        naar_pagina(pagina, pagina.locator(f"[data-testid=stSidebarNav] a[href$='{pad}']"))
    return paden


KOP_JS = "(voor) => { const h = document.querySelector('[data-testid=stMain] h1'); return !!h && h.innerText !== voor; }"


def naar_pagina(pagina, link) -> None:
    """Click a menu link and wait until the new page has run to the end: its title differs
    from the old one (every page has its own) and the script is idle. By then the page has
    asked for its images, fonts and icons."""
    kop = pagina.locator("[data-testid=stMain] h1")
    voor = kop.first.inner_text() if kop.count() else ""
    link.click()
    pagina.wait_for_function(KOP_JS, arg=voor, timeout=60_000)
    wacht_tot_klaar(pagina)


PERSONAS = [("demo-facilitator", "/rondes"), ("demo-inspecteur", "/inspectie"),
            ("demo-regio", "/regio"), ("demo-beheerder", "/gegevens")]


def test_no_page_asks_another_host(app_server, browser):
    basis = app_server["url"]
    bezocht = {}

    # anonymous visitor: every public page
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    verzoeken = Verzoeken(context, basis)
    pagina = context.new_page()
    verzoeken.waar = "anoniem: start"
    pagina.goto(basis + "/")
    wacht_tot_klaar(pagina)
    bezocht["anoniem"] = _alle_paginas(pagina, verzoeken, "anoniem")
    # the favicon is ours: an inline SVG, not a font server's
    icoon = pagina.locator("link[rel='shortcut icon']").get_attribute("href")
    assert icoon.startswith("data:image/svg+xml") or urlsplit(icoon).netloc in ("", verzoeken.eigen), icoon

    # participant: the questionnaire of the demo ronde
    verzoeken.waar = "deelnemer: vragenlijst"
    pagina.get_by_role("link", name="Vragenlijst invullen").click()
    start_demo_vragenlijst(pagina)
    pagina.get_by_text("Waaraan kun je dat zien?").first.click()  # an expander's content
    wacht_tot_klaar(pagina)
    bezocht["deelnemer"] = ["/vragenlijst"]
    context.close()

    # staff: every page in their menu
    for naam, verwacht in PERSONAS:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        verzoeken_staf = Verzoeken(context, basis)
        pagina = context.new_page()
        verzoeken_staf.waar = f"{naam}: inloggen"
        _inloggen(pagina, basis, naam, DEMO_WACHTWOORD)
        bezocht[naam] = _alle_paginas(pagina, verzoeken_staf, naam)
        assert verwacht in bezocht[naam], (naam, bezocht[naam])
        verzoeken.alle += verzoeken_staf.alle
        context.close()

    assert verzoeken.alle, "no requests recorded at all: the recorder does not work"
    assert verzoeken.buiten() == [], verzoeken.buiten()
    assert len(bezocht["demo-beheerder"]) >= 9, bezocht
