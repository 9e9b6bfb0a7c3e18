"""The samenwerkingskaart in the real app at phone, laptop and wide-screen width: the
section of the Overzicht (demo, signed out) and the projector step, with a screenshot of
each (test-artifacts/schermen/, looked at by eye). Nothing runs off the page sideways: a
wide picture or table scrolls in its own box."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from conftest import TEST_WACHTWOORD, wacht_tot_klaar
from kader import laad_kaders
from storage import repository as repo
from storage.bereik import SYSTEEM
from storage.db import maak_engine, migreer
from uitwisselformaat.samenwerking import SAMENWERKING_KOLOMMEN

pytestmark = pytest.mark.browser
SCHERMEN = Path(__file__).resolve().parent.parent / "test-artifacts" / "schermen"
STJ = "stj-stelseltoezicht-jeugd"
BREEDTES = [390, 1366, 1920]
ROLLEN = ["onderwijs", "wijkteam-cjg", "politie", "jgz"]


def _geen_zijwaartse_overloop(pagina, breedte: int) -> None:
    assert pagina.evaluate("() => document.documentElement.scrollWidth") <= breedte


@pytest.mark.parametrize("breedte", BREEDTES)
def test_kaart_op_het_overzicht(app_server, browser, breedte):
    from playwright.sync_api import expect

    SCHERMEN.mkdir(parents=True, exist_ok=True)
    pagina = browser.new_context(viewport={"width": breedte, "height": 1000}).new_page()
    fouten: list[str] = []
    pagina.on("pageerror", lambda e: fouten.append(str(e)))
    pagina.goto(app_server["url"] + "/")
    wacht_tot_klaar(pagina)
    hoofd = pagina.locator("[data-testid=stMain]")
    kop = hoofd.get_by_role("heading", name="Samenwerkingskaart").first
    expect(kop).to_be_visible(timeout=60_000)
    kaart = hoofd.locator("[data-testid=stVegaLiteChart][aria-label^='Samenwerkingskaart']")
    expect(kaart).to_have_count(1)
    kop.scroll_into_view_if_needed()
    pagina.wait_for_timeout(1500)  # the chart draws after the script has finished
    _geen_zijwaartse_overloop(pagina, breedte)
    pagina.screenshot(path=str(SCHERMEN / f"kaart-overzicht-{breedte}.png"))
    kaart.scroll_into_view_if_needed()
    pagina.wait_for_timeout(300)
    pagina.screenshot(path=str(SCHERMEN / f"kaart-overzicht-beeld-{breedte}.png"))
    hoofd.get_by_text("In het kort:").last.scroll_into_view_if_needed()
    pagina.wait_for_timeout(300)
    pagina.screenshot(path=str(SCHERMEN / f"kaart-overzicht-tabel-{breedte}.png"))
    assert not fouten, fouten


def _ronde_met_kaart(database_url: str, label: str) -> int:
    """A ronde of Aadorp (fac-a's gemeente) with the kaart on, answered by 3 per rol, in focus."""
    eng = maak_engine(database_url)
    migreer(eng)
    stj = laad_kaders().kaders[STJ]
    gemeente = next((g for g in repo.gemeenten(eng) if g.naam == "Aadorp"), None) or \
        repo.maak_gemeente(eng, "Aadorp", door=SYSTEEM)
    ronde = repo.maak_ronde(eng, gemeente.id, label, {STJ: stj.versie}, rollen=ROLLEN, door=SYSTEEM)
    repo.zet_samenwerkingskaart(eng, ronde.id, True, door=SYSTEEM)
    niveaus = {("onderwijs", "wijkteam-cjg"): "343", ("wijkteam-cjg", "onderwijs"): "101"}
    rijen = []
    for van in ROLLEN:
        for i in range(3):
            for naar in ROLLEN:
                if naar != van:
                    niveau = niveaus.get((van, naar), "212")[i]
                    rijen.append(("Aadorp", label, f"k-{label[-2:]}-{van[:3]}-{i}", van, naar, niveau, ""))
    repo.importeer_samenwerking(eng, pd.DataFrame(rijen, columns=list(SAMENWERKING_KOLOMMEN)), "k.csv", door=SYSTEEM)
    repo.zet_fase(eng, ronde.id, "onthullen", STJ, stj.criteria[0].id, door=SYSTEEM)
    repo.zet_kaart_in_beeld(eng, ronde.id, True, door=SYSTEEM)
    return ronde.id


@pytest.mark.parametrize("breedte", BREEDTES)
def test_kaart_op_de_beamer(app_server, browser, breedte):
    from playwright.sync_api import expect

    SCHERMEN.mkdir(parents=True, exist_ok=True)
    ronde_id = _ronde_met_kaart(app_server["database_url"], f"Kaart {breedte}")
    pagina = browser.new_context(viewport={"width": breedte, "height": 1080}).new_page()
    pagina.goto(app_server["url"] + "/inloggen")
    wacht_tot_klaar(pagina)
    pagina.get_by_label("Gebruikersnaam").fill("fac-a")
    pagina.get_by_label("Wachtwoord").fill(TEST_WACHTWOORD)
    pagina.get_by_role("button", name="Inloggen").click()
    expect(pagina.get_by_text("U bent ingelogd als")).to_be_visible(timeout=30_000)
    ga_naar = "(pad) => { history.pushState({}, '', pad); dispatchEvent(new PopStateEvent('popstate')); }"
    hoofd = pagina.locator("[data-testid=stMain]")
    # the facilitator's page: the kaart instead of the criterium, with the way back
    pagina.evaluate(ga_naar, f"/workshop?ronde={ronde_id}")
    expect(hoofd.get_by_role("button", name="Terug naar de onderdelen")).to_be_visible(timeout=30_000)
    wacht_tot_klaar(pagina)
    pagina.wait_for_timeout(1500)
    _geen_zijwaartse_overloop(pagina, breedte)
    pagina.screenshot(path=str(SCHERMEN / f"kaart-workshop-{breedte}.png"))
    pagina.evaluate(ga_naar, f"/workshop?weergave=beamer&ronde={ronde_id}")
    expect(hoofd.get_by_role("heading", name="Hier zien partners het verschillend")).to_be_visible(timeout=30_000)
    wacht_tot_klaar(pagina)
    pagina.wait_for_timeout(1500)
    _geen_zijwaartse_overloop(pagina, breedte)
    pagina.screenshot(path=str(SCHERMEN / f"kaart-beamer-{breedte}.png"))
    hoofd.get_by_role("heading", name="Hier zien partners het verschillend").scroll_into_view_if_needed()
    pagina.wait_for_timeout(300)
    pagina.screenshot(path=str(SCHERMEN / f"kaart-beamer-tabel-{breedte}.png"))
    # "Volgende" (the clicker) goes back to the criterium in focus
    pagina.keyboard.press("PageDown")
    expect(hoofd.get_by_role("heading", name="Hier zien partners het verschillend")).to_have_count(0, timeout=30_000)
    assert not repo.kaart_in_beeld(maak_engine(app_server["database_url"]), ronde_id)
