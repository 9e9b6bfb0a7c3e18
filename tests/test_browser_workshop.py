"""A whole workshop in the real app: facilitator, ten participants at once, reveal, consensus, plan, PDF.

Participants run in separate browser contexts with the async API, so their
clicks really reach the server at the same time.
"""
from __future__ import annotations

import asyncio
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import CHROMIUM, CHROMIUM_ARGS, IDLE_JS, TEST_WACHTWOORD, wacht_tot_klaar
from storage import repository as repo
from storage.db import maak_engine

pytestmark = pytest.mark.browser
ROL_NAMEN = ["Gemeente", "Wijkteam / CJG", "Veilig Thuis", "Jeugdgezondheidszorg", "Onderwijs", "Politie",
             "Jeugdhulpaanbieder", "Volwassenenzorg"]
SCORES = ["1 · Klopt niet", "2 · Klopt een beetje", "3 · Klopt grotendeels", "4 · Klopt helemaal"]


def _inktdekking(pgm: Path) -> float:
    """Share of non-white pixels in a binary PGM (P5) image from pdftoppm -gray."""
    data = pgm.read_bytes()
    kop = data.split(b"\n", 3)  # b'P5', b'w h', b'255', pixels
    assert kop[0] == b"P5"
    pixels = kop[3]
    return sum(1 for b in pixels if b < 200) / len(pixels)


def _inloggen(pagina, basis):
    from playwright.sync_api import expect

    pagina.goto(basis + "/inloggen")
    wacht_tot_klaar(pagina)
    pagina.get_by_label("Gebruikersnaam").fill("fac-a")
    pagina.get_by_label("Wachtwoord").fill(TEST_WACHTWOORD)
    pagina.get_by_role("button", name="Inloggen").click()
    expect(pagina.get_by_text("U bent ingelogd als")).to_be_visible(timeout=30_000)


def _open_ronde(pagina, gemeente: str) -> dict[str, str]:
    """Open a ronde for `gemeente` on 'Rondes beheren' and read the code per rol from the page."""
    from playwright.sync_api import expect

    pagina.get_by_role("link", name="Rondes beheren").click()
    expect(pagina.get_by_role("heading", name="Rondes beheren")).to_be_visible(timeout=30_000)
    uitklap = pagina.locator("details").filter(has_text="Nieuwe ronde openen")
    expect(uitklap).to_be_visible(timeout=30_000)
    if uitklap.get_attribute("open") is None:
        uitklap.locator("summary").click()
    pagina.get_by_role("combobox", name="Gemeente", exact=True).click()
    pagina.get_by_role("option", name=gemeente, exact=True).click()
    pagina.get_by_role("button", name="Ronde openen en codes maken").click()
    expect(pagina.get_by_role("combobox", name="Gemeente en ronde")).to_have_value(re.compile(f"^{gemeente} "), timeout=30_000)
    expect(pagina.get_by_text("Bewaar of deel deze links nu")).to_be_visible(timeout=30_000)
    expect(pagina.get_by_text(f"QR-code voor {ROL_NAMEN[-1]}")).to_be_visible(timeout=30_000)
    tekst = pagina.locator("[data-testid=stMain]").inner_text()
    codes = dict(re.findall(r"(" + "|".join(map(re.escape, ROL_NAMEN)) + r")\s+Code:\s+([A-Z0-9-]{19,})", tekst))
    assert set(codes) == set(ROL_NAMEN), codes
    return codes


async def _deelnemer(browser, basis: str, code: str, scores: list[int], toelichting: str, vertraging: float) -> str:
    await asyncio.sleep(vertraging)  # people arrive within a few seconds, not in the same millisecond
    context = await browser.new_context(viewport={"width": 1200, "height": 900})
    # ten Chromium contexts and the app share 2 cores: allow for a slow first load
    context.set_default_timeout(120_000)
    context.set_default_navigation_timeout(120_000)
    pagina = await context.new_page()
    await pagina.goto(f"{basis}/vragenlijst?uitnodiging={code}")
    await pagina.wait_for_function(IDLE_JS, timeout=120_000)
    await pagina.get_by_role("button", name="Start de vragenlijst").click()
    await pagina.get_by_text("0 van").first.wait_for(timeout=120_000)
    hervat = re.search(r"code=([A-Z0-9-]+)", pagina.url).group(1)
    for nummer, score in enumerate(scores, start=1):
        groep = pagina.get_by_role("radiogroup", name=f"Hoe goed klopt stelling {nummer}?")
        await groep.get_by_text(SCORES[score - 1], exact=True).click()
        await pagina.get_by_text(re.compile(rf"^{nummer} van \d+ vragen beantwoord$")).wait_for(timeout=120_000)
    veld = pagina.get_by_role("textbox", name="Toelichting bij stelling 1 (niet verplicht)")
    await veld.fill(toelichting)
    await veld.press("Control+Enter")
    await pagina.get_by_text("Score en toelichting opgeslagen om").first.wait_for(timeout=120_000)
    await context.close()
    return hervat


PLAN = [("Gemeente", [4, 4, 3, 4]), ("Gemeente", [4, 3, 3, 4]), ("Gemeente", [3, 4, 3, 3]),
        ("Onderwijs", [2, 1, 2, 2]), ("Onderwijs", [2, 2, 1, 2]), ("Onderwijs", [1, 2, 2, 2]),
        ("Politie", [1, 2, 2, 1]), ("Politie", [2, 1, 2, 1]),
        ("Jeugdgezondheidszorg", [3, 2, 2, 3]), ("Jeugdgezondheidszorg", [2, 3, 2, 2])]


async def _tien_tegelijk(basis: str, codes: dict[str, str]) -> list[str]:
    from playwright.async_api import async_playwright

    plan = PLAN
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return await asyncio.gather(*[
                _deelnemer(browser, basis, codes[rol], scores, f"Toelichting {i}: <script>alert({i})</script>", 0.4 * i)
                for i, (rol, scores) in enumerate(plan)])
        finally:
            await browser.close()


def test_workshop_end_to_end(app_server, browser, tmp_path):
    from playwright.sync_api import expect

    basis = app_server["url"]
    eng = maak_engine(app_server["database_url"])
    fac = browser.new_context(viewport={"width": 1300, "height": 1100}).new_page()

    # 1. the facilitator signs in, opens a ronde for Aadorp and one for Beestad, and gets codes per rol
    _inloggen(fac, basis)
    codes_a = _open_ronde(fac, "Aadorp")
    fac.screenshot(path=str(tmp_path / "rondes.png"))
    codes_b = _open_ronde(fac, "Beestad")
    ronde_a = next(r for r in repo.rondes(eng) if r.gemeente == "Aadorp")
    ronde_b = next(r for r in repo.rondes(eng) if r.gemeente == "Beestad")
    assert repo.uitnodiging_met_code(eng, codes_a["Politie"]).ronde_id == ronde_a.id

    # 2. ten participants, each in their own browser context, join with Aadorp's codes and
    # answer at the same time (sync Playwright owns this thread's event loop, so the async
    # crowd gets its own thread)
    with ThreadPoolExecutor(1) as pool:
        hervatcodes = pool.submit(asyncio.run, _tien_tegelijk(basis, codes_a)).result()
    df = repo.antwoorden_df(eng, ronde_a.id)
    assert len(df) == len(PLAN) * 4, df  # every answer given is stored
    assert df["respondent"].nunique() == len(PLAN)
    assert sorted(df.groupby("rol")["respondent"].nunique().items()) == [
        ("gemeente", 3), ("jgz", 2), ("onderwijs", 3), ("politie", 2)]
    assert (df["toelichting"].str.contains("<script>")).sum() == len(PLAN)  # stored exactly as typed
    assert repo.antwoorden_df(eng, ronde_b.id).empty

    # 3. the facilitator reveals the first criterium and records consensus
    fac.get_by_role("link", name="Workshop").click()
    expect(fac.get_by_role("heading", name=re.compile("Workshop"))).to_be_visible(timeout=30_000)
    fac.get_by_role("combobox", name="Gemeente en ronde").click()
    fac.get_by_role("option", name=re.compile(r"^Aadorp · 20\d\d$")).click()  # not the projector test's ronde
    expect(fac.get_by_role("heading", name=re.compile("Workshop · Aadorp"))).to_be_visible(timeout=30_000)
    fac.get_by_role("radio", name="2 · Onthullen").click()
    expect(fac.get_by_text("Verdeling van de antwoorden per groep").first).to_be_visible(timeout=30_000)
    # politie and jgz (2 each) are too small to show apart: merged into 'Overige partners'
    hoofd = fac.locator("[data-testid=stMain]")
    expect(hoofd.get_by_text("Overige partners").first).to_be_visible()
    expect(hoofd.get_by_text("Onderwijs").first).to_be_visible()
    expect(hoofd.get_by_text("<script>alert(0)</script>", exact=False).first).to_be_visible()  # shown as text
    assert "Politie" not in hoofd.inner_text()
    fac.screenshot(path=str(tmp_path / "onthullen.png"))
    fac.get_by_role("radio", name="3 · Consensus").click()
    consensus = fac.get_by_role("radiogroup", name="Waar komt de groep samen op uit?")
    consensus.get_by_text("2 · Klopt een beetje", exact=True).click()
    fac.get_by_label("Motivatie van de groep").fill("De gemeente is positiever dan de partners; signalen blijven hangen.")
    fac.get_by_role("button", name="Leg het gezamenlijk oordeel vast").click()
    expect(fac.get_by_text("Vastgelegd.")).to_be_visible(timeout=30_000)
    assert repo.consensus_van(eng, ronde_a.id)[("stj-stelseltoezicht-jeugd", "c1-signalering")][0] == "2"
    assert len(repo.antwoorden_df(eng, ronde_a.id)) == len(PLAN) * 4  # individual answers untouched

    # 4. verbeterplan: adopt a suggestion from the sources and download the PDF
    fac.get_by_role("link", name="Verbeterplan").click()
    expect(fac.get_by_role("heading", name="Verbeterplan")).to_be_visible(timeout=30_000)
    expect(fac.get_by_role("combobox", name="Gemeente en ronde")).to_have_value(re.compile("^Aadorp"), timeout=30_000)
    wacht_tot_klaar(fac)
    fac.locator("details").filter(has_text="Zorgbehoefte wordt gesignaleerd").locator("summary").click()
    fac.get_by_role("button", name="Neem over").first.click()
    expect(fac.get_by_text("1 actie(s)").first).to_be_visible(timeout=30_000)
    assert len(repo.acties_van(eng, ronde_a.id)) == 1
    wacht_tot_klaar(fac)
    fac.get_by_role("button", name="Maak het verbeterplan (PDF)").click()
    knop = fac.get_by_role("button", name="Download het verbeterplan (PDF)")
    expect(knop).to_be_visible(timeout=60_000)
    with fac.expect_download() as download:
        knop.click()
    pdf = tmp_path / "verbeterplan.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    # 5. render the PDF to images, as a reader would see it, and check no page is blank
    subprocess.run(["pdftoppm", "-r", "30", "-gray", str(pdf), str(tmp_path / "pagina")], check=True)
    paginas = sorted(tmp_path.glob("pagina*.pgm"))
    assert len(paginas) >= 3
    for pagina in paginas:
        assert _inktdekking(pagina) > 0.005, pagina.name

    # 6. a participant code of Aadorp opens nothing of Beestad
    deelnemer = browser.new_context().new_page()
    deelnemer.goto(f"{basis}/vragenlijst?code={hervatcodes[3]}")
    expect(deelnemer.get_by_text("voor Aadorp", exact=False).first).to_be_visible(timeout=30_000)
    assert "Beestad" not in deelnemer.locator("[data-testid=stMain]").inner_text()
    deelnemer.goto(f"{basis}/")
    expect(deelnemer.get_by_role("heading", name="Overzicht van de resultaten")).to_be_visible(timeout=30_000)
    deelnemer.get_by_role("combobox", name="Gemeente en ronde").click()
    opties = deelnemer.get_by_role("option").all_inner_texts()
    assert opties and all("DEMO" in o for o in opties), opties  # only fictional demo rondes, never A or B
    assert repo.respondent_met_hervatcode(eng, hervatcodes[3], ronde_id=ronde_b.id) is None
    deelnemer.goto(f"{basis}/rondes")  # a staff page, not in the participant's menu: a Dutch refusal
    expect(deelnemer.get_by_text("Deze pagina is alleen voor medewerkers").first).to_be_visible(timeout=30_000)
    assert "Page not found" not in deelnemer.locator("body").inner_text()
    assert codes_b["Politie"] not in deelnemer.content()
