"""The journeys of issue 11, walked as people walk them, at phone, laptop and projector width.

Per width (390, 1366 and 1920 px), on its own gemeente:

* the facilitator signs in → opens a ronde → downloads the invitation sheet → three
  participants answer (one of them on a phone) → the workshop on the projector view in a
  second tab, driven from the first → consensus → reload (still signed in, same ronde) →
  the verbeterplan with the consensus → its PDF;
* the inspecteur prepares a visit; the regio-analist compares the demo regio.

Every step leaves a screenshot in ``test-artifacts/reis/<breedte>-<stap>.png`` (looked at by
eye when the journey changes). On every screen: no sideways scrolling, no English interface
text (the phrase list of tests/test_browser_nederlands.py).
"""
from __future__ import annotations

import io
import re
import subprocess
from urllib.parse import urljoin

import pytest

from conftest import ROOT, TEST_WACHTWOORD, start_demo_app, stop_streamlit, wacht_tot_klaar
from storage import repository as repo
from storage.db import maak_engine
from test_browser_nederlands import engelse_zinnen

pytestmark = pytest.mark.browser
FOTOS = ROOT / "test-artifacts" / "reis"
BREEDTES = {390: 844, 1366: 900, 1920: 1080}
GEMEENTEN = {390: "Reisdorp", 1366: "Reisstad", 1920: "Reiswoude"}
SCORES = ["1 · Klopt niet", "2 · Klopt een beetje", "3 · Klopt grotendeels", "4 · Klopt helemaal"]


@pytest.fixture(scope="module")
def reis_server(tmp_path_factory):
    """The app through server.py (cookies work) with the demo regio and one real facilitator."""
    proc, info = start_demo_app(tmp_path_factory.mktemp("reis"), "coordinator", list(GEMEENTEN.values()))
    yield info
    stop_streamlit(proc)


def _controleer_en_foto(pagina, breedte: int, stap: str) -> None:
    """Screenshot, then what a person would notice first: sideways scrolling, English."""
    wacht_tot_klaar(pagina)
    # code blocks, buttons and images arrive a moment after the run: the screenshot waits for them
    pagina.wait_for_function("!document.querySelector('[data-testid=stSkeleton], [data-testid=stSkeletonElement]')",
                             timeout=30_000)
    pagina.wait_for_timeout(500)
    FOTOS.mkdir(parents=True, exist_ok=True)
    pagina.screenshot(path=str(FOTOS / f"{breedte}-{stap}.png"), full_page=True)
    breed = pagina.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert breed <= 1, f"{stap} at {breedte} px scrolls sideways by {breed} px"
    gevonden = engelse_zinnen(pagina)
    assert not gevonden, f"English on {stap} at {breedte} px: {gevonden}"


def _naar(pagina, link: str) -> None:
    """Through the menu, as a person would: on a phone the menu is folded away first."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    uitklappen = pagina.locator("[data-testid=stExpandSidebarButton]")
    if uitklappen.is_visible():
        uitklappen.click()
        pagina.wait_for_timeout(500)  # the menu slides in
    doel = pagina.locator("[data-testid=stSidebar]").get_by_role("link", name=link)
    adres = doel.get_attribute("href")
    for _ in range(3):  # a click during a live fragment's rerun can be lost: a person clicks again
        doel.click()
        try:
            pagina.wait_for_url(adres + "*", timeout=15_000)
            break
        except PlaywrightTimeout:
            continue
    wacht_tot_klaar(pagina)
    menu_open = pagina.locator("[data-testid=stSidebar]").get_attribute("data-collapsed") == "false"
    if menu_open and pagina.viewport_size["width"] < 640:  # a narrow window: the open menu covers the page
        pagina.locator("[data-testid=stSidebarCollapseButton] button").click()
        pagina.wait_for_timeout(500)


def _inloggen(pagina, basis: str, naam: str, wachtwoord: str) -> None:
    from playwright.sync_api import expect

    pagina.goto(basis + "/inloggen")
    wacht_tot_klaar(pagina)
    pagina.get_by_label("Gebruikersnaam").fill(naam)
    pagina.get_by_label("Wachtwoord", exact=True).fill(wachtwoord)
    pagina.get_by_role("button", name="Inloggen").click()
    expect(pagina.get_by_text("U bent ingelogd als")).to_be_visible(timeout=60_000)


def _deelnemer(browser, basis: str, code: str, scores: list[int], telefoon: bool, breedte: int, naam: str) -> None:
    from playwright.sync_api import expect

    opties = ({"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
              if telefoon else {"viewport": {"width": breedte, "height": BREEDTES[breedte]}})
    context = browser.new_context(**opties)
    pagina = context.new_page()
    pagina.goto(f"{basis}/vragenlijst?uitnodiging={code}")
    wacht_tot_klaar(pagina)
    pagina.get_by_role("button", name="Start de vragenlijst").click()
    expect(pagina.get_by_text(re.compile(r"0 van \d+ vragen beantwoord")).first).to_be_visible(timeout=60_000)
    for nummer, score in enumerate(scores, start=1):
        groep = pagina.get_by_role("radiogroup", name=f"Hoe goed klopt stelling {nummer}?")
        groep.get_by_text(SCORES[score - 1], exact=True).click()
        expect(pagina.get_by_text(re.compile(rf"^{nummer} van \d+ vragen beantwoord$"))).to_be_visible(timeout=60_000)
    _controleer_en_foto(pagina, 390 if telefoon else breedte, f"06-deelnemer-{naam}")
    # stopping repeats the resume code, so it can be written down
    pagina.get_by_role("button", name="Stoppen met deze vragenlijst").click()
    wacht_tot_klaar(pagina)
    hervat = re.search(r"[A-Z0-9]{4}(?:-[A-Z0-9]{2,4}){2,}", pagina.locator("[data-testid=stMain]").inner_text())
    assert hervat, "Stoppen shows no resume code"
    context.close()


@pytest.mark.parametrize("breedte", list(BREEDTES))
def test_facilitator_en_deelnemers(reis_server, browser, breedte, tmp_path):
    from playwright.sync_api import expect
    from pypdf import PdfReader

    basis, gemeente = reis_server["url"], GEMEENTEN[breedte]
    eng = maak_engine(reis_server["database_url"])
    context = browser.new_context(viewport={"width": breedte, "height": BREEDTES[breedte]},
                                  accept_downloads=True)
    context.set_default_timeout(90_000)  # the PDF pages do real work; CI machines are shared
    fac = context.new_page()

    # 1. a first visit: what this is, three doors, the demo chart
    fac.goto(basis + "/")
    wacht_tot_klaar(fac)
    for deur in ("Een zelfevaluatie houden", "Een inspectiebezoek voorbereiden", "Regio's vergelijken"):
        expect(fac.get_by_text(deur).first).to_be_visible()
    expect(fac.locator("[data-testid=stVegaLiteChart]").first).to_be_visible(timeout=60_000)
    _controleer_en_foto(fac, breedte, "01-eerste-scherm")

    # 2. sign in, open a ronde, take the invitation sheet
    _inloggen(fac, basis, "coordinator", TEST_WACHTWOORD)
    _naar(fac, "Rondes beheren")
    uitklap = fac.locator("details").filter(has_text="Nieuwe ronde openen")
    if uitklap.get_attribute("open") is None:
        uitklap.locator("summary").click()
    fac.get_by_role("combobox", name="Gemeente", exact=True).click()
    fac.get_by_role("option", name=gemeente, exact=True).click()
    fac.get_by_role("button", name="Ronde openen en codes maken").click()
    expect(fac.get_by_text("Bewaar of deel deze links nu")).to_be_visible(timeout=60_000)
    _controleer_en_foto(fac, breedte, "02-codes")
    with fac.expect_download() as download:
        fac.get_by_role("button", name="Download de uitnodigingen (PDF, A4)").click()
    blad = tmp_path / "uitnodigingen.pdf"
    download.value.save_as(blad)
    tekst = "\n".join(p.extract_text() for p in PdfReader(blad).pages)
    codes = dict(re.findall(r"(Gemeente|Onderwijs|Politie)\s+Code:\s+([A-Z0-9-]{19,})",
                            fac.locator("[data-testid=stMain]").inner_text()))
    assert set(codes) == {"Gemeente", "Onderwijs", "Politie"}, codes
    assert all(code in tekst for code in codes.values())
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(blad),
                    str(FOTOS / f"{breedte}-03-uitnodigingsblad")], check=True)
    ronde = next(r for r in repo.rondes(eng) if r.gemeente == gemeente)

    # 3. three participants, one on a phone
    for naam, rol, scores, telefoon in (("telefoon", "Gemeente", [4, 4, 3, 4], True),
                                        ("onderwijs", "Onderwijs", [2, 1, 2, 2], False),
                                        ("politie", "Politie", [2, 2, 1, 2], False)):
        _deelnemer(browser, basis, codes[rol], scores, telefoon, breedte, naam)
    assert repo.antwoorden_df(eng, ronde.id)["respondent"].nunique() == 3

    # 4. the workshop, on the projector in a second tab, driven from the first
    _naar(fac, "Workshop")
    expect(fac.get_by_role("heading", name=re.compile(f"Workshop · {gemeente}"))).to_be_visible(timeout=60_000)
    beamer_url = fac.get_by_role("link", name="Open de beamerweergave").get_attribute("href")
    beamer = context.new_page()
    beamer.goto(urljoin(fac.url, beamer_url))  # the link is relative to the page
    wacht_tot_klaar(beamer)
    expect(beamer.get_by_text(re.compile("Deelnemers gestart")).first).to_be_visible(timeout=60_000)
    _controleer_en_foto(beamer, breedte, "04-beamer-stil-scoren")
    fac.get_by_role("radio", name="2 · Onthullen").click()
    wacht_tot_klaar(fac)
    # the projector follows within its refresh (3 s): three answers together, as one group
    expect(beamer.locator("[data-testid=stVegaLiteChart]").first).to_be_visible(timeout=30_000)
    _controleer_en_foto(beamer, breedte, "05-beamer-onthullen")
    fac.get_by_role("radio", name="3 · Consensus").click()
    wacht_tot_klaar(fac)
    fac.get_by_role("radiogroup", name="Waar komt de groep samen op uit?").get_by_text(SCORES[0], exact=True).click()
    fac.get_by_label("Motivatie van de groep").fill("Signalen van scholen komen laat binnen.")
    fac.get_by_role("button", name="Leg het gezamenlijk oordeel vast").click()
    expect(fac.get_by_text("Vastgelegd.")).to_be_visible(timeout=60_000)
    _controleer_en_foto(fac, breedte, "07-consensus")

    # 5. reload: still signed in, still this ronde; then the verbeterplan with the consensus
    _naar(fac, "Verbeterplan")
    fac.reload()
    wacht_tot_klaar(fac)
    expect(fac.get_by_role("heading", name="Verbeterplan", exact=True)).to_be_visible(timeout=60_000)
    expect(fac.get_by_role("combobox", name="Gemeente en ronde")).to_have_value(re.compile(f"^{gemeente} "),
                                                                                 timeout=60_000)
    expect(fac.get_by_text("Uitloggen").first).to_be_attached()
    expect(fac.get_by_text("Signalen van scholen komen laat binnen.").first).to_be_visible(timeout=60_000)
    _controleer_en_foto(fac, breedte, "08-verbeterplan")
    fac.get_by_role("button", name="Maak het verbeterplan (PDF)").click()
    knop = fac.get_by_role("button", name="Download het verbeterplan (PDF)")
    expect(knop).to_be_visible(timeout=90_000)
    with fac.expect_download() as download:
        knop.click()
    plan = tmp_path / "verbeterplan.pdf"
    download.value.save_as(plan)
    tekst = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(plan.read_bytes())).pages)
    assert "Signalen van scholen komen laat binnen." in tekst
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "3", str(plan),
                    str(FOTOS / f"{breedte}-09-verbeterplan")], check=True)
    context.close()


@pytest.mark.parametrize("breedte", list(BREEDTES))
def test_inspecteur_en_regio_analist(reis_server, browser, breedte):
    from playwright.sync_api import expect

    basis = reis_server["url"]
    maat = {"viewport": {"width": breedte, "height": BREEDTES[breedte]}}

    inspecteur = browser.new_context(**maat).new_page()
    _inloggen(inspecteur, basis, "demo-inspecteur", "demo")
    _naar(inspecteur, "Voorbereiding inspectiebezoek")
    expect(inspecteur.get_by_text("Criteria met een signaal").first).to_be_visible(timeout=60_000)
    _controleer_en_foto(inspecteur, breedte, "10-inspecteur")
    inspecteur.get_by_role("button", name="Maak de voorbereiding (PDF)").click()
    expect(inspecteur.get_by_role("button", name="Download de voorbereiding (PDF)")).to_be_visible(timeout=90_000)
    inspecteur.context.close()

    analist = browser.new_context(**maat).new_page()
    _inloggen(analist, basis, "demo-regio", "demo")
    _naar(analist, "Regio vergelijken")
    expect(analist.locator("[data-testid=stVegaLiteChart]:visible").first).to_be_visible(timeout=60_000)
    _controleer_en_foto(analist, breedte, "11-regio")
    analist.context.close()
