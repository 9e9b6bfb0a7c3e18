"""One current ronde in the real app (issue 11, point 1): chosen on Rondes beheren, the same
on Workshop, Rondes beheren and Verbeterplan; a reload keeps it; a foreign id in the URL
is ignored with a notice."""
from __future__ import annotations

import re

import pytest

from conftest import wacht_tot_klaar
from storage import repository as repo
from storage.bereik import SYSTEEM
from storage.db import maak_engine

pytestmark = pytest.mark.browser

KEUZE = "Gemeente en ronde"
GEKOZEN = "Proefwijk aan Zee (fictief) · 2025 (demo)"


def _naar(pagina, menu: str) -> None:
    from playwright.sync_api import expect

    pagina.get_by_role("link", name=menu, exact=True).click()
    wacht_tot_klaar(pagina)
    expect(pagina.get_by_role("combobox", name=KEUZE)).to_have_value(re.compile("^" + re.escape(GEKOZEN)),
                                                                     timeout=30_000)


def test_een_ronde_op_elke_pagina_en_na_herladen(app_server, browser):
    from playwright.sync_api import expect

    basis = app_server["url"]
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    pagina = context.new_page()
    try:
        pagina.goto(basis)  # the first request migrates the database and seeds the demo
        wacht_tot_klaar(pagina, timeout=240_000)
        eng = maak_engine(app_server["database_url"])
        ronde = next(r for r in repo.rondes(eng) if f"{r.gemeente} · {r.label}" == GEKOZEN)
        g = repo.maak_gemeente(eng, "Vreemdorp", door=SYSTEEM)
        vreemd = repo.maak_ronde(eng, g.id, "2026", {"stj-stelseltoezicht-jeugd": "2016.1"}, door=SYSTEEM)

        pagina.goto(basis + "/inloggen")
        wacht_tot_klaar(pagina)
        pagina.get_by_label("Gebruikersnaam").fill("demo-facilitator")
        pagina.get_by_label("Wachtwoord").fill("demo")
        pagina.get_by_role("button", name="Inloggen").click()
        expect(pagina.get_by_text("U bent ingelogd als")).to_be_visible(timeout=30_000)

        pagina.get_by_role("link", name="Rondes beheren", exact=True).click()
        wacht_tot_klaar(pagina)
        pagina.get_by_role("combobox", name=KEUZE).click()
        pagina.get_by_role("option", name=re.compile("^" + re.escape(GEKOZEN))).click()
        wacht_tot_klaar(pagina)
        expect(pagina).to_have_url(re.compile(rf"[?&]ronde={ronde.id}\b"), timeout=30_000)

        for menu in ("Workshop", "Rondes beheren", "Verbeterplan"):
            _naar(pagina, menu)
            expect(pagina).to_have_url(re.compile(rf"[?&]ronde={ronde.id}\b"), timeout=30_000)
        # the full label is readable in the main area, not cut off in the sidebar
        veld = pagina.get_by_role("combobox", name=KEUZE)
        assert pagina.locator("[data-testid=stSidebar]").get_by_role("combobox", name=KEUZE).count() == 0
        assert veld.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "the ronde label is cut off"

        pagina.reload()  # F5: a new session with only the URL
        wacht_tot_klaar(pagina)
        expect(pagina.get_by_role("combobox", name=KEUZE)).to_have_value(
            re.compile("^" + re.escape(GEKOZEN)), timeout=30_000)

        pagina.goto(f"{basis}/?ronde={vreemd.id}")  # someone else's ronde in a link
        wacht_tot_klaar(pagina)
        expect(pagina.get_by_text("De ronde uit de link kunt u hier niet bekijken")).to_be_visible(timeout=30_000)
        expect(pagina.get_by_role("combobox", name=KEUZE)).to_have_value(
            re.compile(r"^Demodorp \(fictief\) · 2026 \(demo\)"), timeout=30_000)
        assert "Vreemdorp" not in pagina.locator("[data-testid=stMain]").inner_text()
    finally:
        context.close()
