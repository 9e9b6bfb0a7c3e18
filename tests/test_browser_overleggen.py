"""'Overleggen in kaart' in a real browser at phone, laptop and wide-screen width, with a
screenshot of each (test-artifacts/schermen/overleggen-*.png, looked at by eye)."""
from __future__ import annotations

import pytest

from conftest import wacht_tot_klaar
from test_browser_views import SCHERMEN, _inloggen

pytestmark = pytest.mark.browser


def _demo_ronde_id(database_url: str) -> int:
    from storage import repository as repo
    from storage.db import maak_engine
    from storage.demo import DEMO_EERSTE_GEMEENTE, DEMO_RONDE

    eng = maak_engine(database_url)
    try:
        [r] = [r for r in repo.rondes(eng) if r.gemeente == DEMO_EERSTE_GEMEENTE and r.label == DEMO_RONDE]
        return r.id
    finally:
        eng.dispose()


@pytest.mark.parametrize("breedte", [390, 1366, 1920])
def test_overleggen_in_kaart(app_server, browser, breedte):
    from playwright.sync_api import expect

    basis = app_server["url"]
    pagina = browser.new_context(viewport={"width": breedte, "height": 900}).new_page()
    _inloggen(pagina, basis, "demo-facilitator")
    pagina.goto(f"{basis}/overleggen?ronde={_demo_ronde_id(app_server['database_url'])}")
    wacht_tot_klaar(pagina)
    expect(pagina.get_by_role("heading", name="Overleggen in kaart")).to_be_visible()
    expect(pagina.get_by_text("Er staan 5 overleggen in de lijst.", exact=False)).to_be_visible()
    expect(pagina.locator("[data-testid=stDataFrame]")).to_have_count(1)
    expect(pagina.get_by_role("button", name="Voeg overleg toe")).to_be_visible()
    SCHERMEN.mkdir(parents=True, exist_ok=True)
    pagina.screenshot(path=str(SCHERMEN / f"overleggen-{breedte}-0.png"), full_page=True)  # the top
    pagina.get_by_text("Wijkteamoverleg ·", exact=False).first.click()  # open one overleg
    wacht_tot_klaar(pagina)
    pagina.screenshot(path=str(SCHERMEN / f"overleggen-{breedte}-1.png"), full_page=True)
    # the page scrolls inside Streamlit's main area: a second picture at the matrix
    pagina.get_by_role("heading", name="Welke overleggen doen wat?").scroll_into_view_if_needed()
    pagina.wait_for_timeout(300)
    pagina.screenshot(path=str(SCHERMEN / f"overleggen-{breedte}-2.png"), full_page=True)
