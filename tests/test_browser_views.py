"""Every view in a real browser, as the person who uses it, with a screenshot of each
(test-artifacts/schermen/*.png, looked at by eye when the views change)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, wacht_tot_klaar

SCHERMEN = ROOT / "test-artifacts" / "schermen"
pytestmark = pytest.mark.browser


def _foto(pagina, naam: str) -> None:
    wacht_tot_klaar(pagina)
    SCHERMEN.mkdir(parents=True, exist_ok=True)
    pagina.screenshot(path=str(SCHERMEN / f"{naam}.png"), full_page=True)


def _inloggen(pagina, basis: str, naam: str) -> None:
    from playwright.sync_api import expect

    # staff stay signed in across page loads (session cookie): another person starts clean
    pagina.context.clear_cookies()
    pagina.goto(basis + "/inloggen")
    wacht_tot_klaar(pagina)
    pagina.get_by_label("Gebruikersnaam").fill(naam)
    pagina.get_by_label("Wachtwoord").fill("demo")
    pagina.get_by_role("button", name="Inloggen").click()
    expect(pagina.get_by_text("U bent ingelogd als")).to_be_visible(timeout=30_000)


def _naar(pagina, link: str) -> None:
    pagina.get_by_role("link", name=link).click()
    wacht_tot_klaar(pagina)


def _schakel(pagina, label: str) -> None:
    pagina.get_by_text(label, exact=True).click()
    wacht_tot_klaar(pagina)


def test_public_views(app_server, browser):
    from playwright.sync_api import expect

    basis = app_server["url"]
    pagina = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    pagina.goto(basis + "/")
    wacht_tot_klaar(pagina)
    expect(pagina.get_by_role("heading", name="Overzicht van de resultaten")).to_be_visible()
    expect(pagina.locator("[data-testid=stVegaLiteChart]").first).to_be_visible()
    _foto(pagina, "01-overzicht")
    # all three overlays on: IQR band, previous ronde, regional median
    for label in ("Toon de middelste helft (IQR)", "Vergelijk met de vorige ronde",
                  "Vergelijk met de regionale mediaan"):
        _schakel(pagina, label)
    tabel = pagina.locator("[data-testid=stDataFrame]").first
    expect(tabel).to_be_visible()
    _foto(pagina, "02-overzicht-vergelijkingen")
    spec = pagina.locator("[data-testid=stVegaLiteChart]").first.inner_text()
    assert spec is not None

    _naar(pagina, "Regio vergelijken")
    expect(pagina.get_by_text(re.compile(r"7 van de 8 gemeenten"))).to_be_visible()
    expect(pagina.locator("[data-testid=stVegaLiteChart]:visible")).to_have_count(1)
    _foto(pagina, "03-regio-heatmap")
    # drawn at full size (a top-level width once made Streamlit collapse the discrete scales)
    vak = pagina.locator("[data-testid=stVegaLiteChart]:visible canvas, "
                         "[data-testid=stVegaLiteChart]:visible svg").first.bounding_box()
    assert vak["height"] > 300 and vak["width"] > 450, vak
    for tab, naam in (("Verloop per gemeente", "04-regio-verloop"),
                      ("Spreiding tussen gemeenten", "05-regio-spreiding")):
        pagina.get_by_role("tab", name=tab).click()
        expect(pagina.locator("[data-testid=stVegaLiteChart]:visible")).to_have_count(1)
        expect(pagina.locator("[data-testid=stDataFrame]:visible")).to_have_count(1)
        _foto(pagina, naam)
        vak = pagina.locator("[data-testid=stVegaLiteChart]:visible canvas, "
                             "[data-testid=stVegaLiteChart]:visible svg").first.bounding_box()
        assert vak["height"] > 200 and vak["width"] > 450, (naam, vak)

    _naar(pagina, "Kaders bekijken")
    expect(pagina.get_by_text("Zorgbehoefte wordt gesignaleerd").first).to_be_visible()
    _foto(pagina, "06-kaders")
    _naar(pagina, "Vragenlijst invullen")
    expect(pagina.get_by_label("Code van uw uitnodiging")).to_be_visible()
    _foto(pagina, "07-vragenlijst-start")


def test_staff_views(app_server, browser, tmp_path):
    from playwright.sync_api import expect

    basis = app_server["url"]
    pagina = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True).new_page()

    _inloggen(pagina, basis, "demo-facilitator")
    for link, kop, naam in (("Rondes beheren", "Uitnodigingen", "10-rondes"),
                            ("Workshop", None, "11-workshop"),
                            ("Verbeterplan", None, "12-verbeterplan"),
                            ("Gegevens uitwisselen", None, "13-gegevens")):
        _naar(pagina, link)
        expect(pagina.get_by_role("heading", name=link).first).to_be_visible()
        if kop:
            expect(pagina.get_by_role("heading", name=kop)).to_be_visible()
        _foto(pagina, naam)
    _naar(pagina, "Rondes beheren")
    expect(pagina.get_by_text("Deze gemeente doet mee aan de regionale vergelijking")).to_be_visible()
    _naar(pagina, "Gegevens uitwisselen")
    with pagina.expect_download() as download:
        pagina.get_by_role("button", name="Download snapshot (JSON)").click()
    assert b'"sha256"' in Path(download.value.path()).read_bytes()

    _inloggen(pagina, basis, "demo-inspecteur")
    _naar(pagina, "Voorbereiding inspectiebezoek")
    expect(pagina.get_by_text("Criteria met een signaal")).to_be_visible()
    pagina.get_by_role("button", name="Maak de voorbereiding (PDF)").click()
    knop = pagina.get_by_role("button", name="Download de voorbereiding (PDF)")
    expect(knop).to_be_visible(timeout=120_000)
    _foto(pagina, "20-inspectie")
    with pagina.expect_download() as download:
        knop.click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")

    _inloggen(pagina, basis, "demo-regio")
    _naar(pagina, "Regio vergelijken")
    expect(pagina.locator("[data-testid=stVegaLiteChart]:visible")).to_have_count(1)
    _foto(pagina, "30-regio-analist")
    # a regio-analist has no staff pages for rondes, workshops or the inspection
    for link in ("Rondes beheren", "Workshop", "Voorbereiding inspectiebezoek"):
        expect(pagina.get_by_role("link", name=link)).to_have_count(0)
