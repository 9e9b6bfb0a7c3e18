"""The real app in headless Debian Chromium: answer questions, then see the chart."""
from __future__ import annotations

import pytest

from conftest import start_demo_vragenlijst
from storage import repository as repo
from storage.db import maak_engine

pytestmark = pytest.mark.browser


def test_answer_questions_and_see_the_chart(app_server, browser, tmp_path, vragenlijsten):
    from playwright.sync_api import expect

    n = len(vragenlijsten.lijsten["gemeente"].vragen)  # the first rol; the demo ronde has every kader
    pagina = browser.new_page(viewport={"width": 1300, "height": 1000})
    pagina.goto(app_server["url"] + "/vragenlijst")
    code = start_demo_vragenlijst(pagina)
    expect(pagina.get_by_text(f"0 van {n} vragen beantwoord")).to_be_visible()

    # answer the first three statements; each click is saved at once
    for nummer, label in ((1, "4 · Klopt helemaal"), (2, "4 · Klopt helemaal"), (3, "Weet niet")):
        groep = pagina.get_by_role("radiogroup", name=f"Hoe goed klopt stelling {nummer}?")
        groep.get_by_text(label, exact=True).click()
        expect(pagina.get_by_text(f"{nummer} van {n} vragen beantwoord")).to_be_visible(timeout=15_000)
    veld = pagina.get_by_role("textbox", name="Toelichting bij stelling 1 (niet verplicht)")
    veld.fill("Er is een vast overleg, maar <b>niet</b> iedereen weet ervan.")
    veld.press("Control+Enter")
    expect(pagina.get_by_text("Score en toelichting opgeslagen om").first).to_be_visible(timeout=15_000)
    pagina.screenshot(path=str(tmp_path / "vragenlijst.png"))

    # stored in the database, exactly as given
    eng = maak_engine(app_server["database_url"])
    resp = repo.respondent_met_hervatcode(eng, code)
    antwoorden = repo.antwoorden_van(eng, resp.id)
    assert antwoorden[("stj-stelseltoezicht-jeugd", "c1-signalering")] == (
        "4", "Er is een vast overleg, maar <b>niet</b> iedereen weet ervan.")
    assert antwoorden[("stj-stelseltoezicht-jeugd", "c2-toeleiding")][0] == "4"
    assert antwoorden[("stj-stelseltoezicht-jeugd", "c3-veiligheid-signalering")][0] == "weet_niet"

    # the overview shows the spider chart (rendered SVG/canvas) and its data table
    pagina.goto(app_server["url"] + "/")
    expect(pagina.get_by_role("heading", name="Overzicht van de resultaten")).to_be_visible(timeout=30_000)
    grafiek = pagina.locator(".vega-embed").first
    expect(grafiek).to_be_visible(timeout=30_000)
    expect(grafiek.locator("canvas, svg").first).to_be_visible()
    expect(pagina.get_by_text("Gegevens bij de grafiek").first).to_be_visible()
    expect(pagina.get_by_text("Page not found")).to_have_count(0)
    expect(pagina.get_by_text("fictieve gemeenten en verzonnen antwoorden").first).to_be_visible()
    pagina.screenshot(path=str(tmp_path / "overzicht.png"))
    pagina.close()
