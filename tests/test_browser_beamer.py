"""The workshop's projector view in the real app at 1920 px: large text, no sidebar, a clicker."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import TEST_WACHTWOORD, wacht_tot_klaar
from kader import laad_kaders
from storage import repository as repo
from storage.bereik import SYSTEEM
from storage.db import maak_engine, migreer

pytestmark = pytest.mark.browser
ARTEFACTEN = Path(__file__).resolve().parent.parent / "test-artifacts"
STJ = "stj-stelseltoezicht-jeugd"


def _ronde_met_antwoorden(database_url: str):
    """A ronde of Aadorp (fac-a's gemeente) in which three participants answered two criteria."""
    eng = maak_engine(database_url)
    migreer(eng)  # the app migrates on its first request; this test may come first
    stj = laad_kaders().kaders[STJ]
    gemeente = next((g for g in repo.gemeenten(eng) if g.naam == "Aadorp"), None)
    if gemeente is None:
        gemeente = repo.maak_gemeente(eng, "Aadorp", door=SYSTEEM)
    ronde = repo.maak_ronde(eng, gemeente.id, "Beamer 2026", {STJ: stj.versie}, rollen=["gemeente"], door=SYSTEEM)
    eerste, tweede = stj.criteria[:2]
    for scores in (("1", "2"), ("3", "2"), ("3", "4")):
        resp, _ = repo.maak_respondent(eng, ronde.id, "gemeente", door=SYSTEEM)
        repo.bewaar_antwoord(eng, resp.id, STJ, eerste.id, scores[0], "")
        repo.bewaar_antwoord(eng, resp.id, STJ, tweede.id, scores[1], "")
    repo.zet_fase(eng, ronde.id, "onthullen", STJ, eerste.id, door=SYSTEEM)
    return eng, ronde.id, eerste, tweede


def _open_in_deze_sessie(pagina, pad: str) -> None:
    """Go to `pad` inside the running Streamlit session (a full reload would start a new,
    signed-out session): push it on the history and let Streamlit follow it."""
    pagina.evaluate("(pad) => { history.pushState({}, '', pad); dispatchEvent(new PopStateEvent('popstate')); }", pad)


def test_beamer_view_at_1920(app_server, browser):
    from playwright.sync_api import expect

    ARTEFACTEN.mkdir(exist_ok=True)
    eng, ronde_id, eerste, tweede = _ronde_met_antwoorden(app_server["database_url"])
    pagina = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    fouten: list[str] = []
    pagina.on("pageerror", lambda e: fouten.append(str(e)))

    pagina.goto(app_server["url"] + "/inloggen")
    wacht_tot_klaar(pagina)
    pagina.get_by_label("Gebruikersnaam").fill("fac-a")
    pagina.get_by_label("Wachtwoord").fill(TEST_WACHTWOORD)
    pagina.get_by_role("button", name="Inloggen").click()
    expect(pagina.get_by_text("U bent ingelogd als")).to_be_visible(timeout=30_000)

    # the facilitator's page offers the projector view of the ronde on screen
    pagina.get_by_role("link", name="Workshop").click()
    wacht_tot_klaar(pagina)
    knop = pagina.get_by_role("link", name=re.compile("Open de beamerweergave"))
    expect(knop).to_be_visible(timeout=30_000)
    assert "weergave=beamer" in knop.get_attribute("href")

    _open_in_deze_sessie(pagina, f"/workshop?weergave=beamer&ronde={ronde_id}")
    hoofd = pagina.locator("[data-testid=stMain]")
    expect(hoofd.get_by_role("heading", name=eerste.kort).first).to_be_visible(timeout=30_000)
    expect(hoofd.locator("[data-testid=stVegaLiteChart][aria-label*='tabel eronder']")).to_be_visible(timeout=30_000)
    wacht_tot_klaar(pagina)
    expect(hoofd.locator("[data-testid=stVegaLiteChart]")).to_have_count(1)  # the facilitator's view is gone
    pagina.wait_for_timeout(1000)  # the chart draws after the script has finished

    # no sidebar and no toggle to open it
    assert not pagina.locator("[data-testid=stSidebar]").is_visible()
    assert not pagina.locator("[data-testid=stExpandSidebarButton]").is_visible()
    # body text of 28 px or more, headings larger
    maten = pagina.evaluate("""() => [...document.querySelectorAll('[data-testid=stMain] p')]
        .filter((p) => p.offsetParent && p.innerText.trim())
        .map((p) => [p.innerText.slice(0, 40), parseFloat(getComputedStyle(p).fontSize)])""")
    assert maten and min(m for _, m in maten) >= 28, maten
    kop = pagina.evaluate("() => parseFloat(getComputedStyle(document.querySelector('[data-testid=stMain] h2')).fontSize)")
    assert kop > 28
    # nothing runs off the screen sideways
    assert pagina.evaluate("() => document.documentElement.scrollWidth") <= 1920
    pagina.screenshot(path=str(ARTEFACTEN / "beamer-1920-onthullen.png"))

    # a clicker's PageDown steps to the next criterium, here and for the facilitator
    pagina.keyboard.press("PageDown")
    expect(hoofd.get_by_role("heading", name=tweede.kort).first).to_be_visible(timeout=30_000)
    assert repo.ronde(eng, ronde_id).huidig_criterium == tweede.id
    wacht_tot_klaar(pagina)
    pagina.wait_for_timeout(1000)
    pagina.screenshot(path=str(ARTEFACTEN / "beamer-1920-volgende.png"), full_page=True)
    pagina.keyboard.press("PageUp")
    expect(hoofd.get_by_role("heading", name=eerste.kort).first).to_be_visible(timeout=30_000)

    # the facilitator moves on elsewhere (here: straight in the database); the projector follows
    repo.zet_fase(eng, ronde_id, "stil_scoren", STJ, eerste.id, door=SYSTEEM)
    expect(hoofd.get_by_text("Doe mee: vul de vragenlijst in")).to_be_visible(timeout=30_000)
    expect(hoofd.locator("[data-testid=stMetricValue]").first).to_have_text("3")
    expect(hoofd.get_by_text(re.compile(r"/vragenlijst$")).first).to_be_visible()
    wacht_tot_klaar(pagina)
    pagina.wait_for_timeout(500)
    pagina.screenshot(path=str(ARTEFACTEN / "beamer-1920-stil-scoren.png"))
    assert not fouten, fouten
