"""WCAG 2.1 AA audit: axe-core (npm, installed by `make test`) runs on every page.

Violations are recorded per page in test-artifacts/axe-<page>.json. Our own content
may have no serious or critical violation. A violation that comes from Streamlit
itself may only be accepted when it is listed in docs/toegankelijkheid.md and in
STREAMLIT_BEKEND below (currently: none).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import start_demo_vragenlijst, wacht_tot_klaar

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTEFACTEN = ROOT / "test-artifacts"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
STREAMLIT_BEKEND: set[str] = set()  # rule ids accepted from Streamlit's own widgets (documented)

pytestmark = pytest.mark.browser


def _klaar(pagina) -> None:
    """Wait until the script run has finished: Streamlit fades elements while it runs."""
    from playwright.sync_api import expect

    expect(pagina.locator("h1").first).to_be_visible(timeout=60_000)
    wacht_tot_klaar(pagina)


AXE_RUN = ("async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
           ".map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')),"
           " details: v.nodes.map(n => [n.html.slice(0, 300), ...n.any.map(a => a.message)])}))")


def _audit(pagina, naam: str) -> list[dict]:
    _klaar(pagina)
    pagina.add_script_tag(path=str(AXE))
    uitslag = pagina.evaluate(AXE_RUN, TAGS)
    if uitslag:
        # Under load Streamlit may still be fading an element in; a real violation is
        # still there a moment later, a transition is not. Keep only what persists.
        pagina.wait_for_timeout(1500)
        _klaar(pagina)
        tweede = {(v["id"], tuple(v["nodes"])) for v in pagina.evaluate(AXE_RUN, TAGS)}
        uitslag = [v for v in uitslag if (v["id"], tuple(v["nodes"])) in tweede]
    ARTEFACTEN.mkdir(exist_ok=True)
    (ARTEFACTEN / f"axe-{re.sub('[^a-z0-9]+', '-', naam.lower())}.json").write_text(
        json.dumps(uitslag, ensure_ascii=False, indent=2), encoding="utf-8")
    assert pagina.evaluate("document.documentElement.lang") == "nl", naam
    return [v for v in uitslag if v["impact"] in ("serious", "critical") and v["id"] not in STREAMLIT_BEKEND]


def test_every_page_has_no_serious_violations(app_server, browser):
    from playwright.sync_api import expect

    assert AXE.is_file(), "axe-core ontbreekt: draai 'make test' (npm ci)"
    basis = app_server["url"]
    pagina = browser.new_context(viewport={"width": 1300, "height": 1000}).new_page()
    gevonden: dict[str, list] = {}
    for pad, naam in (("/", "overzicht"), ("/kaders", "kaders"), ("/inloggen", "inloggen"),
                      ("/verbeterplan", "verbeterplan"), ("/vragenlijst", "vragenlijst-start"),
                      ("/regio", "regio"), ("/toegankelijkheid", "toegankelijkheid")):
        pagina.goto(basis + pad)
        gevonden[naam] = _audit(pagina, naam)

    for tab in ("Verloop per gemeente", "Spreiding tussen gemeenten"):
        pagina.goto(basis + "/regio")
        wacht_tot_klaar(pagina)
        pagina.get_by_role("tab", name=tab).click()
        gevonden[f"regio-{tab}"] = _audit(pagina, f"regio-{tab}")
    pagina.goto(basis + "/")
    wacht_tot_klaar(pagina)
    for label in ("Toon de middelste helft (IQR)", "Vergelijk met de vorige ronde",
                  "Vergelijk met de regionale mediaan"):
        pagina.get_by_text(label, exact=True).click()
        wacht_tot_klaar(pagina)
    gevonden["overzicht-vergelijkingen"] = _audit(pagina, "overzicht-vergelijkingen")

    pagina.goto(basis + "/vragenlijst")
    start_demo_vragenlijst(pagina)
    pagina.get_by_text("Waaraan kunt u dat zien?").first.click()
    gevonden["vragenlijst-invullen"] = _audit(pagina, "vragenlijst-invullen")

    pagina.goto(basis + "/inloggen")
    wacht_tot_klaar(pagina)
    pagina.get_by_label("Gebruikersnaam").fill("demo-facilitator")
    pagina.get_by_label("Wachtwoord").fill("demo")
    pagina.get_by_role("button", name="Inloggen").click()
    expect(pagina.get_by_text("U bent ingelogd als")).to_be_visible(timeout=30_000)
    for link in ("Rondes beheren", "Workshop", "Gegevens uitwisselen", "Overzicht", "Verbeterplan"):
        pagina.get_by_role("link", name=link).click()
        gevonden[f"medewerker-{link}"] = _audit(pagina, f"medewerker-{link}")
    pagina.get_by_role("link", name="Workshop").click()
    _klaar(pagina)
    pagina.get_by_role("radio", name="2 · Onthullen").click()
    expect(pagina.get_by_text("Dezelfde cijfers als tabel")).to_be_visible(timeout=30_000)
    gevonden["workshop-onthullen"] = _audit(pagina, "workshop-onthullen")

    pagina.get_by_role("link", name="Uitloggen").click()
    _klaar(pagina)
    pagina.get_by_role("button", name="Uitloggen").click()
    wacht_tot_klaar(pagina)
    pagina.get_by_label("Gebruikersnaam").fill("demo-inspecteur")
    pagina.get_by_label("Wachtwoord").fill("demo")
    pagina.get_by_role("button", name="Inloggen").click()
    expect(pagina.get_by_text("U bent ingelogd als")).to_be_visible(timeout=30_000)
    pagina.get_by_role("link", name="Voorbereiding inspectiebezoek").click()
    gevonden["inspecteur-voorbereiding"] = _audit(pagina, "inspecteur-voorbereiding")
    pagina.get_by_role("link", name="Regio vergelijken").click()
    gevonden["inspecteur-regio"] = _audit(pagina, "inspecteur-regio")

    ernstig = {naam: v for naam, v in gevonden.items() if v}
    assert not ernstig, json.dumps(ernstig, ensure_ascii=False, indent=1)


def test_charts_come_with_a_data_table(app_server, browser):
    """Every chart on the overview has the same numbers in a table next to it (1.1.1, 1.4.1)."""
    from playwright.sync_api import expect

    pagina = browser.new_page(viewport={"width": 1300, "height": 1000})
    pagina.goto(app_server["url"] + "/")
    _klaar(pagina)
    grafieken = pagina.locator("[data-testid=stVegaLiteChart]:visible, .vega-embed:visible")
    expect(grafieken.first).to_be_visible()
    expect(pagina.get_by_text("Gegevens bij de grafiek").first).to_be_visible()
    expect(pagina.locator("[data-testid=stDataFrame]:visible").first).to_be_visible()


def test_questionnaire_works_with_the_keyboard_only(app_server, browser):
    """Start and answer with Tab, arrows and Space: no mouse (2.1.1)."""
    from playwright.sync_api import expect

    pagina = browser.new_page(viewport={"width": 1300, "height": 1000})
    pagina.goto(app_server["url"] + "/vragenlijst")
    _klaar(pagina)
    pagina.locator("summary").filter(has_text="Oefenen met de demoronde").focus()
    pagina.keyboard.press("Enter")
    knop = pagina.get_by_role("button", name="Start de vragenlijst")
    knop.focus()
    pagina.keyboard.press("Enter")
    expect(pagina.get_by_text(re.compile(r"0 van \d+ vragen beantwoord"))).to_be_visible(timeout=60_000)
    eerste = pagina.get_by_role("radiogroup", name="Hoe goed klopt stelling 1?").get_by_role("radio").first
    eerste.focus()
    pagina.keyboard.press("Space")
    expect(pagina.get_by_text(re.compile(r"^1 van \d+ vragen beantwoord$"))).to_be_visible(timeout=30_000)
