"""WCAG 2.1 AA audit with three independent engines on every page, for every persona.

axe-core, IBM's accessibility-checker-engine (ace.js) and HTML_CodeSniffer (pa11y's
maintained build; all npm, locked in package-lock.json, installed by `make test`) are injected into each page of the real app,
as an anonymous visitor, a participant filling in the questionnaire, and each demo role,
with expanders, tabs and a selectbox menu opened in turn. Per page and state the results
go to test-artifacts/toegankelijkheid/<persona>-<page>.json, the counts per engine and rule
to test-artifacts/toegankelijkheid/samenvatting.json (docs/toegankelijkheid.md).

A finding fails the test: for axe a serious or critical violation, for ace a violation
(not a "potential violation" or recommendation), for HTML_CodeSniffer an error (not a
warning); the others are recorded only. Findings that
come from Streamlit itself and cannot be fixed from the app are accepted only when they are
listed in tests/toegankelijkheid_uitzonderingen.yaml (the same table as in
docs/toegankelijkheid.md); an entry that no longer occurs anywhere fails the test too, so
the list stays exactly as long as it must be.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from conftest import start_demo_vragenlijst, wacht_tot_klaar

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ACE = ROOT / "node_modules" / "accessibility-checker-engine" / "ace.js"
HTMLCS = ROOT / "node_modules" / "@pa11y" / "html_codesniffer" / "build" / "HTMLCS.js"
ARTEFACTEN = ROOT / "test-artifacts" / "toegankelijkheid"
UITZONDERINGEN = Path(__file__).with_name("toegankelijkheid_uitzonderingen.yaml")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ACE_REGELSET = "IBM_Accessibility"  # WCAG 2.2 A/AA plus IBM's own requirements (landmarks, labels)
PERSONAS = [None, "demo-facilitator", "demo-inspecteur", "demo-regio", "demo-beheerder"]

pytestmark = pytest.mark.browser

AXE_RUN = """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations
  .flatMap(v => v.nodes.map(n => ({motor: 'axe', regel: v.id, ernst: v.impact, waar: n.target.join(' '),
    html: n.html.slice(0, 300), melding: v.help})))"""
ACE_RUN = """async (regelset) => (await new ace.Checker().check(document, [regelset])).results
  .filter(r => r.value[1] !== 'PASS')
  .map(r => ({motor: 'ace', regel: r.ruleId, ernst: r.value.join('/'), waar: r.path.dom,
    html: (r.snippet || '').slice(0, 300), melding: r.message}))"""
# errors and warnings (notices are hundreds of "check this by hand" per page)
HTMLCS_RUN = """() => new Promise((klaar) => HTMLCS.process('WCAG2AA', document, () => klaar(HTMLCS.getMessages()
  .filter(m => m.type === 1 || m.type === 2)
  .map(m => ({motor: 'htmlcs', regel: m.code.replace('WCAG2AA.', ''), ernst: m.type === 1 ? 'error' : 'warning',
    waar: m.element && m.element.nodeType === 1 ? m.element.tagName.toLowerCase() + (m.element.id ? '#' + m.element.id : '')
      + (m.element.className && typeof m.element.className === 'string' ? '.' + m.element.className.trim().split(/\\s+/).join('.') : '') : '',
    html: m.element && m.element.outerHTML ? m.element.outerHTML.slice(0, 300) : '', melding: m.msg})))))"""


def _telt(f: dict) -> bool:
    """Does this finding fail the test (unless it is on the list of exceptions)?"""
    if f["motor"] == "axe":
        return f["ernst"] in ("serious", "critical")
    if f["motor"] == "ace":
        return f["ernst"] == "VIOLATION/FAIL"
    return f["ernst"] == "error"


def _uitzonderingen() -> list[dict]:
    lijst = yaml.safe_load(UITZONDERINGEN.read_text(encoding="utf-8")) or []
    for u in lijst:
        assert {"motor", "regel", "html", "reden", "omweg"} <= set(u), u
    return lijst


def _past(u: dict, f: dict) -> bool:
    return u["motor"] == f["motor"] and u["regel"] == f["regel"] and re.search(u["html"], f["html"]) is not None


def _klaar(pagina) -> None:
    """Wait until the script run has finished: Streamlit fades elements while it runs."""
    from playwright.sync_api import expect

    expect(pagina.locator("h1").first).to_be_visible(timeout=60_000)
    wacht_tot_klaar(pagina)


def _meet(pagina) -> list[dict]:
    if not pagina.evaluate("typeof axe !== 'undefined'"):
        pagina.add_script_tag(path=str(AXE))
    if not pagina.evaluate("typeof ace !== 'undefined'"):
        pagina.add_script_tag(path=str(ACE))
    if not pagina.evaluate("typeof HTMLCS !== 'undefined'"):
        pagina.add_script_tag(path=str(HTMLCS))
    return pagina.evaluate(AXE_RUN, TAGS) + pagina.evaluate(ACE_RUN, ACE_REGELSET) + pagina.evaluate(HTMLCS_RUN)


class Audit:
    """All findings of one run, per page and state, written to test-artifacts."""

    def __init__(self):
        self.bevindingen: dict[str, list[dict]] = {}
        ARTEFACTEN.mkdir(parents=True, exist_ok=True)
        for oud in ARTEFACTEN.glob("*.json"):
            oud.unlink()

    def __call__(self, pagina, naam: str, klaar: bool = True) -> None:
        if klaar:
            _klaar(pagina)
        assert pagina.evaluate("document.documentElement.lang") == "nl", naam
        uitslag = _meet(pagina)
        if any(_telt(f) for f in uitslag):
            # Under load Streamlit may still be fading an element in; a real violation is
            # still there a moment later, a transition is not. Keep only what persists.
            pagina.wait_for_timeout(1500)
            tweede = {(f["motor"], f["regel"], f["waar"]) for f in _meet(pagina)}
            uitslag = [f for f in uitslag if not _telt(f) or (f["motor"], f["regel"], f["waar"]) in tweede]
        self.bevindingen[naam] = uitslag
        (ARTEFACTEN / f"{re.sub('[^a-z0-9]+', '-', naam.lower()).strip('-')}.json").write_text(
            json.dumps(uitslag, ensure_ascii=False, indent=1), encoding="utf-8")

    def samenvatting(self) -> dict:
        tel: dict[str, Counter] = {}
        for uitslag in self.bevindingen.values():
            for f in uitslag:
                tel.setdefault(f"{f['motor']} {f['ernst']}", Counter())[f["regel"]] += 1
        samen = {"paginas": len(self.bevindingen),
                 "per_motor_en_ernst": {k: dict(sorted(v.items())) for k, v in sorted(tel.items())}}
        (ARTEFACTEN / "samenvatting.json").write_text(json.dumps(samen, ensure_ascii=False, indent=1), "utf-8")
        return samen


def _inloggen(pagina, basis: str, naam: str) -> None:
    from playwright.sync_api import expect

    pagina.goto(basis + "/inloggen")
    wacht_tot_klaar(pagina)
    pagina.get_by_label("Gebruikersnaam").fill(naam)
    pagina.get_by_label("Wachtwoord").fill("demo")
    pagina.get_by_role("button", name="Inloggen").click()
    expect(pagina.get_by_text("U bent ingelogd als")).to_be_visible(timeout=30_000)
    wacht_tot_klaar(pagina)


def _menu(pagina) -> list[str]:
    # each link's text is "<icon name>\n\n<title>"
    return [t.strip().splitlines()[-1] for t in pagina.locator("[data-testid=stSidebarNav] a").all_inner_texts()]


def _alles_open(pagina, audit: Audit, waar: str) -> None:
    """The page with its expanders open, then each further tab, then its first selectbox menu."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    pagina.mouse.move(5, 5)
    dicht = pagina.locator("[data-testid=stMain] [data-testid=stExpander] details:not([open]) > summary:visible")
    for _ in range(min(dicht.count(), 6)):
        dicht.first.click()
        pagina.wait_for_timeout(150)
    audit(pagina, waar)
    tabs = pagina.locator("[data-testid=stMain] [role=tab]")
    for i in range(1, tabs.count()):
        try:  # a page that refreshes itself (the workshop) may replace the tab under the mouse
            tabs.nth(i).click(timeout=5000)
        except PlaywrightTimeout:
            continue
        audit(pagina, f"{waar} tab {i + 1}")
    veld = pagina.locator("[data-testid=stMain] [data-baseweb=select]:visible")
    if veld.count():
        veld.first.click()
        pagina.wait_for_timeout(400)
        audit(pagina, f"{waar} keuzelijst", klaar=False)
        pagina.keyboard.press("Escape")
        wacht_tot_klaar(pagina)


def _extra_stappen(pagina, basis: str, persona: str | None, audit: Audit) -> None:
    """States the menu walk does not reach: comparisons switched on, the questionnaire being
    filled in (a participant with a code), the workshop's reveal phase."""
    from playwright.sync_api import expect

    if persona is None:
        pagina.goto(basis + "/")
        wacht_tot_klaar(pagina)
        for label in ("Toon de middelste helft (IQR)", "Vergelijk met de vorige ronde",
                      "Vergelijk met de regionale mediaan"):
            pagina.get_by_text(label, exact=True).click()
            wacht_tot_klaar(pagina)
        audit(pagina, "anoniem overzicht met vergelijkingen")
        pagina.goto(basis + "/vragenlijst")
        start_demo_vragenlijst(pagina)
        pagina.get_by_text("Waaraan kunt u dat zien?").first.click()
        audit(pagina, "deelnemer vragenlijst invullen")
    elif persona == "demo-facilitator":
        pagina.get_by_role("link", name="Workshop").click()
        _klaar(pagina)
        pagina.get_by_role("radio", name="2 · Onthullen").click()
        expect(pagina.get_by_text("Dezelfde cijfers als tabel")).to_be_visible(timeout=30_000)
        audit(pagina, "demo-facilitator workshop onthullen")


def test_every_page_for_every_persona_passes_three_engines(app_server, browser):
    assert AXE.is_file() and ACE.is_file() and HTMLCS.is_file(), "een toegankelijkheidsmotor ontbreekt: draai 'make test'"
    basis = app_server["url"]
    audit = Audit()
    for persona in PERSONAS:
        context = browser.new_context(viewport={"width": 1300, "height": 1000})
        pagina = context.new_page()
        if persona:
            _inloggen(pagina, basis, persona)
        else:
            pagina.goto(basis + "/")
            wacht_tot_klaar(pagina)
        namen = [n for n in _menu(pagina) if n != "Uitloggen"]
        assert namen, f"geen menu voor {persona}"
        for naam in namen:
            pagina.get_by_role("link", name=naam).first.click()
            _klaar(pagina)
            _alles_open(pagina, audit, f"{persona or 'anoniem'} {naam}")
        _extra_stappen(pagina, basis, persona, audit)
        context.close()

    samen = audit.samenvatting()
    uitzonderingen = _uitzonderingen()
    gebruikt: set[int] = set()
    ernstig: dict[str, list] = {}
    for waar, uitslag in audit.bevindingen.items():
        for f in uitslag:
            if not _telt(f):
                continue
            passend = [i for i, u in enumerate(uitzonderingen) if _past(u, f)]
            gebruikt.update(passend)
            if not passend:
                ernstig.setdefault(waar, []).append({k: f[k] for k in ("motor", "regel", "waar", "html", "melding")})
    ongebruikt = [u for i, u in enumerate(uitzonderingen) if i not in gebruikt]
    assert not ernstig, json.dumps(ernstig, ensure_ascii=False, indent=1)
    assert not ongebruikt, ("uitzondering komt niet meer voor; haal haar weg uit "
                            f"{UITZONDERINGEN.name} en docs/toegankelijkheid.md: {ongebruikt}")
    assert samen["paginas"] >= 25, samen


def test_exceptions_match_the_documentation():
    """The allowlist and the table in docs/toegankelijkheid.md name the same rules."""
    doc = (ROOT / "docs" / "toegankelijkheid.md").read_text(encoding="utf-8")
    deel = doc.split("## Uitzonderingen", 1)
    assert len(deel) == 2, "docs/toegankelijkheid.md mist de sectie 'Uitzonderingen'"
    tabel = {(m.group(1), m.group(2)) for m in re.finditer(r"^\| (axe|ace|htmlcs) \| `([\w.-]+)` \|", deel[1], re.M)}
    assert tabel == {(u["motor"], u["regel"]) for u in _uitzonderingen()}


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
