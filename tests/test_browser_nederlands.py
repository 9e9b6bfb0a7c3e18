"""Dutch only, on a phone and on a laptop: every page in a real browser, as each persona.

The scan reads what a person can see or hear (the page text plus aria-labels, titles and
placeholders) with the selectboxes, multiselects, date pickers, tabs, expanders and the
table toolbar opened, and fails on Streamlit's English interface phrases (views/opmaak.py
puts them in Dutch). The screenshots at 390 and 1366 px (test-artifacts/breedtes/) are
for looking at by eye when the pages change.
"""
from __future__ import annotations

import re

import pytest

from conftest import ROOT, start_demo_vragenlijst, wacht_tot_klaar

pytestmark = pytest.mark.browser
BREEDTES = ROOT / "test-artifacts" / "breedtes"

# Streamlit's own English texts (and a few that a browser or library adds).
ENGELS = [
    "Select all", "Press Enter", "Press Ctrl", "Drag and drop", "Browse files", "Limit", "per file",
    "Page not found", "Running", "Download as CSV", "Search", "Fullscreen", "Show password", "Hide password",
    "Clear all", "No results", "Choose an option", "Choose options", "Deploy", "Rerun", "Settings", "Print",
    "Record a screencast", "Made with Streamlit", "Show/hide columns", "Selectbox options", "Upload",
    "Previous month", "Skip to main content", "App pages", "Sidebar", "Next month", "January", "August", "December",
    "Something went wrong", "Copy to clipboard",
]
# case-insensitive only for the date letters: Dutch text may say "print" or "limiet"
HOOFDLETTERGEVOELIG = re.compile(r"\b(?:" + "|".join(map(re.escape, ENGELS)) + r")\b")
DATUMLETTERS = re.compile(r"\b(?:dd|yyyy|DD|YYYY|MM)\b")

TEKST_JS = """() => {
  const t = [document.body.innerText];
  document.querySelectorAll('[aria-label], [title], [placeholder]').forEach((e) => {
    for (const a of ['aria-label', 'title', 'placeholder']) { const w = e.getAttribute(a); if (w) t.push(w); }
  });
  return t.join('\\n');
}"""

PERSONAS = [None, "demo-facilitator", "demo-inspecteur", "demo-regio"]


# invitation and resume codes ("K7QM-3XPA-DD"): random letters, which may spell "DD" or "MM"
CODE = re.compile(r"\b[A-Z0-9]{4}(?:-[A-Z0-9]{2,4}){2,}\b")


def _engels(tekst: str) -> list[str]:
    tekst = CODE.sub(" ", tekst)
    return sorted({m.group(0) for m in HOOFDLETTERGEVOELIG.finditer(tekst)}
                  | {m.group(0) for m in DATUMLETTERS.finditer(tekst)})


def engelse_zinnen(pagina) -> list[str]:
    """The English interface phrases visible on the page now (text, aria-labels, titles, placeholders)."""
    return _engels(pagina.evaluate(TEKST_JS))


def _inloggen(pagina, basis: str, naam: str) -> None:
    from playwright.sync_api import expect

    pagina.goto(basis + "/inloggen")
    wacht_tot_klaar(pagina)
    pagina.get_by_label("Gebruikersnaam").fill(naam)
    pagina.get_by_label("Wachtwoord").fill("demo")
    pagina.get_by_role("button", name="Inloggen").click()
    expect(pagina.get_by_text("U bent ingelogd als")).to_be_visible(timeout=30_000)
    wacht_tot_klaar(pagina)


# a source's hashed file name ("002_7cda73b5febe7485.txt"): people see title, publisher and year
BESTANDSNAAM = re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b")


def _lees(pagina, gevonden: dict, waar: str) -> None:
    tekst = pagina.evaluate(TEKST_JS)
    for woord in _engels(tekst):
        gevonden.setdefault(woord, set()).add(waar)
    for naam in BESTANDSNAAM.findall(tekst if isinstance(tekst, str) else " ".join(tekst)):
        gevonden.setdefault(f"bestandsnaam {naam}", set()).add(waar)


def _open_alles(pagina, gevonden: dict, waar: str) -> None:
    """Open every picker, menu, tab and expander on the page in turn and read the text."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    _lees(pagina, gevonden, waar)
    pagina.mouse.move(5, 5)
    for i in range(pagina.locator("[data-testid=stMain] [role=tab]").count()):
        try:  # a page that refreshes itself (the workshop) may replace the tab under the mouse
            pagina.locator("[data-testid=stMain] [role=tab]").nth(i).click(timeout=5000)
        except PlaywrightTimeout:
            continue
        wacht_tot_klaar(pagina)
        _lees(pagina, gevonden, f"{waar} (tab {i + 1})")
    for i in range(min(pagina.locator("[data-testid=stMain] [data-testid=stExpander] summary:visible").count(), 4)):
        pagina.locator("[data-testid=stMain] [data-testid=stExpander] summary:visible").nth(i).click()
    velden = pagina.locator("[data-testid=stMain] [data-baseweb=select]:visible")
    for i in range(min(velden.count(), 6)):
        velden.nth(i).click()
        pagina.wait_for_timeout(300)
        _lees(pagina, gevonden, f"{waar} (keuzelijst {i + 1})")
        pagina.keyboard.press("Escape")
    datums = pagina.locator("[data-testid=stDateInput] [data-baseweb=input] input:visible")
    for i in range(min(datums.count(), 2)):
        datums.nth(i).click()
        pagina.wait_for_timeout(300)
        _lees(pagina, gevonden, f"{waar} (datumkiezer)")
        pagina.keyboard.press("Escape")
    tabellen = pagina.locator("[data-testid=stDataFrame]:visible")
    if tabellen.count():
        tabellen.first.hover()
        pagina.wait_for_timeout(300)
        _lees(pagina, gevonden, f"{waar} (tabel)")
        knoppen = pagina.locator("[data-testid=stElementToolbar] button:visible")
        for i in range(min(knoppen.count(), 4)):
            try:
                knoppen.nth(i).hover(timeout=3000)
            except PlaywrightTimeout:  # a toolbar of a table further down, under another table
                continue
            pagina.wait_for_timeout(200)
            _lees(pagina, gevonden, f"{waar} (tabelknop)")
    pagina.mouse.move(5, 5)


def _menu(pagina) -> list[str]:
    # each link's text is "<icon name>\n\n<title>"
    return [t.strip().splitlines()[-1] for t in pagina.locator("[data-testid=stSidebarNav] a").all_inner_texts()]


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p or "anoniem")
def test_every_page_is_dutch_only(app_server, browser, persona):
    basis = app_server["url"]
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    pagina = context.new_page()
    gevonden: dict[str, set[str]] = {}
    if persona:
        _inloggen(pagina, basis, persona)
    else:
        pagina.goto(basis + "/")
        wacht_tot_klaar(pagina)
    namen = [n for n in _menu(pagina) if n not in ("Uitloggen",)]
    assert namen, "geen menu gevonden"
    for naam in namen:
        pagina.get_by_role("link", name=naam).first.click()
        wacht_tot_klaar(pagina)
        _open_alles(pagina, gevonden, f"{persona or 'anoniem'}: {naam}")
    # a page that does not exist: Streamlit's own notice
    if persona is None:
        pagina.goto(basis + "/bestaat-niet")
        wacht_tot_klaar(pagina)
        pagina.wait_for_timeout(500)
        _lees(pagina, gevonden, "anoniem: onbekende pagina")
    context.close()
    assert not gevonden, "Engelse tekst of een bestandsnaam van een bron op het scherm: " + "; ".join(
        f"{w!r} op {', '.join(sorted(plekken))}" for w, plekken in sorted(gevonden.items()))


def test_questionnaire_is_dutch_and_stop_repeats_the_code(app_server, browser):
    from playwright.sync_api import expect

    pagina = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    pagina.goto(app_server["url"] + "/vragenlijst")
    wacht_tot_klaar(pagina)
    gevonden: dict[str, set[str]] = {}
    _lees(pagina, gevonden, "vragenlijst: start")
    code = start_demo_vragenlijst(pagina)
    _lees(pagina, gevonden, "vragenlijst: vragen")
    tekst = pagina.locator("[data-testid=stMain]").inner_text()
    assert not re.search(r"\b(?:je|jij|jouw|jou)\b", tekst, re.IGNORECASE), "deelnemer wordt met 'je' aangesproken"
    pagina.get_by_role("button", name="Stoppen met deze vragenlijst").click()
    wacht_tot_klaar(pagina)
    expect(pagina.get_by_text(code).first).to_be_visible()
    _lees(pagina, gevonden, "vragenlijst: gestopt")
    assert not gevonden, gevonden
    assert pagina.evaluate("document.documentElement.scrollWidth") <= 390


def _geen_zijwaarts_scrollen(pagina, breedte: int, waar: str) -> None:
    assert pagina.evaluate("document.documentElement.scrollWidth") <= breedte, f"{waar}: pagina scrollt opzij"
    for vak in pagina.locator("[data-testid=stVegaLiteChart]:visible").all():
        box = vak.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= breedte + 1, f"{waar}: grafiekvak buiten beeld {box}"
        if vak.evaluate("e => !!e.closest(\"[class*='st-key-schuifvak']\")"):
            continue  # a wide chart keeps its size and scrolls inside its own box (checked below)
        for tekening in vak.locator("canvas, svg.marks").all():
            box = tekening.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= breedte + 1, f"{waar}: grafiek buiten beeld {box}"


def _schuift_in_eigen_vak(pagina) -> bool:
    """The wide heatmap is not shrunk on a phone: it is wider than its box and the box scrolls."""
    return pagina.evaluate("""() => {
      const vak = document.querySelector("[class*='st-key-schuifvak'] [data-testid=stVegaLiteChart]");
      return !!vak && vak.scrollWidth > vak.clientWidth + 10 && getComputedStyle(vak).overflowX === "auto";
    }""")


@pytest.mark.parametrize("breedte", [390, 1366])
def test_overview_and_regio_fit_the_screen(app_server, browser, breedte):
    from playwright.sync_api import expect

    basis = app_server["url"]
    pagina = browser.new_context(viewport={"width": breedte, "height": 2400}).new_page()
    BREEDTES.mkdir(parents=True, exist_ok=True)
    pagina.goto(basis + "/")
    wacht_tot_klaar(pagina)
    expect(pagina.locator("[data-testid=stVegaLiteChart]").first).to_be_visible(timeout=60_000)
    pagina.wait_for_timeout(500)
    _geen_zijwaarts_scrollen(pagina, breedte, "overzicht")
    pagina.screenshot(path=str(BREEDTES / f"overzicht-{breedte}.png"), full_page=True)
    pagina.goto(basis + "/regio")
    wacht_tot_klaar(pagina)
    expect(pagina.locator("[data-testid=stVegaLiteChart]:visible")).to_have_count(1, timeout=60_000)
    pagina.wait_for_timeout(500)
    _geen_zijwaarts_scrollen(pagina, breedte, "regio")
    pagina.screenshot(path=str(BREEDTES / f"regio-{breedte}.png"), full_page=True)
    # the widest heatmap: robuuste netwerken, 14 columns
    pagina.get_by_role("combobox", name="Kader").click()
    pagina.get_by_role("option", name=re.compile("Robuuste netwerken")).click()
    wacht_tot_klaar(pagina)
    expect(pagina.locator("[data-testid=stVegaLiteChart]:visible")).to_have_count(1, timeout=60_000)
    pagina.wait_for_timeout(500)
    _geen_zijwaarts_scrollen(pagina, breedte, "regio, robuuste netwerken")
    if breedte < 500:
        assert _schuift_in_eigen_vak(pagina), "de brede heatmap is verkleind in plaats van in een eigen vak te schuiven"
    pagina.screenshot(path=str(BREEDTES / f"regio-robuust-{breedte}.png"), full_page=True)
