"""The samenwerkingskaart part of the questionnaire in a real browser, at phone, laptop
and wide-screen width, with a screenshot of each (test-artifacts/schermen/, looked at by eye)."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT, wacht_tot_klaar

SCHERMEN = ROOT / "test-artifacts" / "schermen"
pytestmark = pytest.mark.browser


@pytest.mark.parametrize("breedte", [390, 1366, 1920])
def test_samenwerkingskaart_in_de_vragenlijst(app_server, browser, breedte):
    from playwright.sync_api import expect

    pagina = browser.new_context(viewport={"width": breedte, "height": 900}).new_page()
    pagina.goto(app_server["url"] + "/vragenlijst")
    wacht_tot_klaar(pagina)
    pagina.get_by_text("Oefenen met de demoronde").click()
    wacht_tot_klaar(pagina)
    pagina.get_by_role("combobox", name="Uw rol").click()
    pagina.keyboard.type("Onderwijs")
    pagina.get_by_role("option", name=re.compile(r"^Onderwijs")).first.click()
    wacht_tot_klaar(pagina)
    pagina.get_by_role("button", name="Start de vragenlijst").click()
    kop = pagina.get_by_role("heading", name="Samenwerking rond een gezin (niet verplicht)")
    expect(kop).to_be_visible(timeout=60_000)
    wacht_tot_klaar(pagina)
    wijkteam = pagina.locator("[data-testid=stVerticalBlock]", has_text="Partner: Wijkteam / CJG").last
    wijkteam.get_by_text("3 · Afstemmen en samenwerken", exact=True).click()
    expect(wijkteam.get_by_text("Opgeslagen om")).to_be_visible(timeout=30_000)
    pagina.get_by_text("Wat betekenen de niveaus?").click()
    wacht_tot_klaar(pagina)
    pagina.get_by_text("Partner: Gemeente", exact=True).scroll_into_view_if_needed()
    SCHERMEN.mkdir(parents=True, exist_ok=True)
    pagina.screenshot(path=str(SCHERMEN / f"samenwerking-{breedte}.png"))
    wijkteam.get_by_text("Opgeslagen om").scroll_into_view_if_needed()
    pagina.screenshot(path=str(SCHERMEN / f"samenwerking-opgeslagen-{breedte}.png"))
    # the page does not scroll sideways on a phone
    assert pagina.evaluate("document.documentElement.scrollWidth") <= breedte
    pagina.context.close()


def test_schakelaar_op_rondes_beheren(app_server, browser):
    from playwright.sync_api import expect

    pagina = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    pagina.goto(app_server["url"] + "/inloggen")
    wacht_tot_klaar(pagina)
    pagina.get_by_label("Gebruikersnaam").fill("demo-facilitator")
    pagina.get_by_label("Wachtwoord").fill("demo")
    pagina.get_by_role("button", name="Inloggen").click()
    expect(pagina.get_by_text("U bent ingelogd als")).to_be_visible(timeout=30_000)
    pagina.get_by_role("link", name="Rondes beheren", exact=True).click()
    wacht_tot_klaar(pagina)
    schakelaar = pagina.get_by_role("switch", name="Samenwerkingskaart vragen")
    expect(schakelaar).to_be_checked()
    schakelaar.scroll_into_view_if_needed()
    SCHERMEN.mkdir(parents=True, exist_ok=True)
    pagina.screenshot(path=str(SCHERMEN / "samenwerking-schakelaar-1366.png"))
    pagina.context.close()
