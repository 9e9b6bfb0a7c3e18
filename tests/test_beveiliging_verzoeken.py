"""No request leaves the app's own host: every page, as every kind of visitor.

Each page-initiated request (documents, scripts, styles, fonts, images, favicons, fetches,
websockets) is recorded with Playwright; any host other than the app's own
127.0.0.1:<port> fails the test. A visitor's address must not reach a font server or any
other third party (AVG). Chromium runs with --disable-background-networking and friends
(tests/conftest.py CHROMIUM_ARGS), and Playwright only reports what pages ask for, so
Chromium's own traffic is not counted.
"""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from conftest import start_demo_vragenlijst, wacht_tot_klaar

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


KOP_JS = ("(voor) => { const h = document.querySelector('[data-testid=stMain] h1');"
          " return !!h && h.innerText !== voor; }")


def klik_naar(pagina, link) -> str:
    """Click a menu link; returns the old page title, for `wacht_op_pagina`."""
    kop = pagina.locator("[data-testid=stMain] h1")
    voor = kop.first.inner_text() if kop.count() else ""
    link.click()
    return voor


def wacht_op_pagina(pagina, voor: str) -> None:
    """Wait until the new page has run to the end: its title differs from the old one
    (every page has its own) and the script is idle. By then the page has asked for its
    images, fonts and icons."""
    pagina.wait_for_function(KOP_JS, arg=voor, timeout=60_000)
    wacht_tot_klaar(pagina)


def naar_pagina(pagina, link) -> None:
    wacht_op_pagina(pagina, klik_naar(pagina, link))


class Bezoeker:
    """One persona in its own browser context, walking through its menu."""

    def __init__(self, browser, basis: str, naam: str):
        self.naam = naam
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.verzoeken = Verzoeken(self.context, basis)
        self.pagina = self.context.new_page()
        self.paden: list[str] = []
        self.gezien: set[str] = set()

    def lees_menu(self) -> None:
        from playwright.sync_api import expect

        menu = self.pagina.locator("[data-testid=stSidebarNav] a")
        expect(menu.first).to_be_visible(timeout=30_000)
        self.paden = [urlsplit(menu.nth(i).get_attribute("href")).path for i in range(menu.count())]
        self.gezien.add(urlsplit(self.pagina.url).path)  # the page it is on has been seen
        self.te_doen = [p for p in self.paden if p not in self.gezien]

    def klik(self) -> str | None:
        if not self.te_doen:
            return None
        pad = self.te_doen.pop(0)
        self.verzoeken.waar = f"{self.naam}: {pad}"
        self.gezien.add(pad)
        return klik_naar(self.pagina, self.pagina.locator(f"[data-testid=stSidebarNav] a[href$='{pad}']"))


PERSONAS = [("demo-facilitator", "/rondes"), ("demo-inspecteur", "/inspectie"),
            ("demo-regio", "/regio"), ("demo-beheerder", "/gegevens")]


def test_no_page_asks_another_host(app_server, browser):
    """Anonymous visitor, participant and the four kinds of staff; every page in their menu.
    They walk side by side (each its own browser context and session): click on every
    page, then wait for every page, so the waiting overlaps."""
    from playwright.sync_api import expect

    basis = app_server["url"]
    anoniem = Bezoeker(browser, basis, "anoniem")
    anoniem.verzoeken.waar = "anoniem: /"
    anoniem.pagina.goto(basis + "/")
    staf = [Bezoeker(browser, basis, naam) for naam, _ in PERSONAS]
    for b in staf:
        b.verzoeken.waar = f"{b.naam}: inloggen"
        _inloggen(b.pagina, basis, b.naam, DEMO_WACHTWOORD)
    for b in staf:
        expect(b.pagina.get_by_text("U bent ingelogd als")).to_be_visible(timeout=30_000)
        wacht_tot_klaar(b.pagina)
    wacht_tot_klaar(anoniem.pagina)
    iedereen = [anoniem, *staf]
    for b in iedereen:
        b.lees_menu()
    while any(b.te_doen for b in iedereen):
        wachtend = [(b, b.klik()) for b in iedereen]
        for b, voor in wachtend:
            if voor is not None:
                wacht_op_pagina(b.pagina, voor)

    # participant: the questionnaire of the demo ronde, with an expander's content open
    pagina = anoniem.pagina
    anoniem.verzoeken.waar = "deelnemer: /vragenlijst"
    naar_pagina(pagina, pagina.locator("[data-testid=stSidebarNav] a[href$='/vragenlijst']"))
    start_demo_vragenlijst(pagina)
    pagina.get_by_text("Waaraan kunt u dat zien?").first.click()
    wacht_tot_klaar(pagina)

    icoon = pagina.locator("link[rel='shortcut icon']").get_attribute("href")
    alle = [v for b in iedereen for v in b.verzoeken.alle]
    buiten = [v for b in iedereen for v in b.verzoeken.buiten()]
    for b in iedereen:
        b.context.close()
    assert len(alle) > 50, "hardly any requests recorded: the recorder does not work"
    assert buiten == [], buiten
    # the favicon is ours: an inline SVG, not a font server's (headless Chromium asks for it too)
    assert icoon.startswith("data:image/svg+xml") or urlsplit(icoon).netloc in ("", anoniem.verzoeken.eigen), icoon
    bezocht = {b.naam: b.gezien for b in iedereen}
    for naam, pad in PERSONAS:
        assert pad in bezocht[naam], (naam, bezocht[naam])
    assert len(bezocht["demo-beheerder"]) >= 10 and len(bezocht["anoniem"]) >= 6, bezocht
