"""Keyboard only, zoomed in and on a narrow window (WCAG 2.1.1, 2.1.2, 2.4.3, 2.4.7, 1.4.4, 1.4.10).

No mouse anywhere: every step is Tab, Shift+Tab, the arrow keys, Space, Enter or typing.

* A participant goes from the invitation code to the end screen and answers every stelling
  (every option of the scale is used once or more, one toelichting is typed); the database
  must then hold exactly those answers. At 1366×900, at 683×450 (1366×900 zoomed to 200 %)
  and at 320 px wide (the narrowest window WCAG 1.4.10 asks for).
* A facilitator signs in, opens the workshop through the menu, changes the fase, steps
  through the criteria with the buttons and opens the projector view, where PageDown,
  PageUp and the arrow keys step too. At 1366×900 and at 200 %.
* Anyone reaches the Toegankelijkheidsverklaring through the menu.

At every step the focused element is not <body> and shows a focus indicator (an outline, a
box-shadow ring, or the frame of a field in the focus colour); Tab never gets stuck on one
element and Shift+Tab goes back to where Tab came from. A full round of Tab on a page
reaches every visible button, link and field. The page never scrolls sideways and no text is
cut off. Screenshots: ``test-artifacts/toetsenbord/<maat>-<stap>.png``.
"""
from __future__ import annotations

import re

import pytest

from conftest import ROOT, TEST_WACHTWOORD, start_demo_app, stop_streamlit, wacht_tot_klaar
from kader import laad_kaders, rapportvolgorde
from storage import repository as repo
from storage.bereik import SYSTEEM
from storage.db import maak_engine, migreer

pytestmark = pytest.mark.browser
FOTOS = ROOT / "test-artifacts" / "toetsenbord"
MATEN = {"1366": (1366, 900), "200pct": (683, 450), "320": (320, 700)}
GEMEENTE = "Toetsdorp"
ROL = "gemeente"

# What has focus, and whether a person can see that it has. An indicator is an outline or a
# box-shadow ring on the focused element itself (which must be drawn: at least 4×4 px, not
# transparent), or, for a text field or picker, its frame in the focus colour (#015F8E), or,
# inside a table (st.dataframe, drawn on a canvas), a ring around the table.
FOCUS_JS = r"""
() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return {body: true};
  const getekend = (e) => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return r.width >= 4 && r.height >= 4 && s.opacity !== '0' && s.visibility !== 'hidden'; };
  const ring = (e) => { const s = getComputedStyle(e);
    return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none'); };
  const focuskleur = (e) => { const m = getComputedStyle(e).borderTopColor.match(/[\d.]+/g).map(Number);
    return Math.abs(m[0] - 1) < 8 && Math.abs(m[1] - 95) < 8 && Math.abs(m[2] - 142) < 8 && (m.length < 4 || m[3] > 0.9); };
  let zichtbaar = getekend(el) && ring(el), hoe = 'ring';
  const tabel = el.closest('[data-testid=stDataFrame]');
  if (!zichtbaar && tabel) { zichtbaar = getekend(tabel) && ring(tabel); hoe = 'tabel'; }
  if (!zichtbaar && el.matches('input, textarea')) {
    for (let e = el.parentElement, i = 0; e && i < 3 && !zichtbaar; e = e.parentElement, i++) zichtbaar = getekend(e) && focuskleur(e);
    hoe = 'kader';
  }
  const groep = el.closest('[role=radiogroup]');
  (groep || el).dataset.zbtBezocht = '1';
  const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
  const binnen = el.parentElement && el.parentElement.closest('[data-testid]');
  return {body: false, zichtbaar, hoe, tag: el.tagName.toLowerCase(), testid: el.dataset.testid || '',
          binnen: binnen ? binnen.dataset.testid : '',
          naam: (el.getAttribute('aria-label') || label || el.innerText || '').trim().replace(/\s+/g, ' ').slice(0, 80),
          groep: groep ? groep.getAttribute('aria-label') : '', id: el.dataset.zbtId || (el.dataset.zbtId = String(Math.random()))};
}
"""

# Visible controls in the main part (and the menu) that a full round of Tab did not reach.
NIET_BEREIKT_JS = r"""
() => [...document.querySelectorAll('[data-testid=stMain] button, [data-testid=stMain] a[href], [data-testid=stMain] input, '
      + '[data-testid=stMain] textarea, [data-testid=stMain] summary, [data-testid=stSidebar] a[href], [role=radiogroup]')]
  .filter(e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !e.disabled && e.tabIndex >= 0
      && !(e.closest('[role=radiogroup]') && e.getAttribute('role') !== 'radiogroup') && !e.closest('[data-zbt-bezocht]'); })
  .map(e => (e.getAttribute('aria-label') || e.innerText || e.name || e.tagName).trim().slice(0, 60))
"""

# Text cut off: a piece of text inside a box (itself or up to three levels up) that hides
# what does not fit (overflow hidden/clip, an ellipsis) while its content is wider.
AFGEKNIPT_JS = r"""
() => [...document.querySelectorAll('[data-testid=stMain] *')]
  .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) && e.getBoundingClientRect().width
    && !e.closest('[data-testid=stDataFrame], [class*=schuifvak], [data-testid=stVegaLiteChart], [data-testid=stIconMaterial]'))
  .filter(e => { for (let a = e, i = 0; a && i < 4; a = a.parentElement, i++) {
      const s = getComputedStyle(a);
      const verbergt = ['hidden', 'clip'].includes(s.overflowX) || s.textOverflow === 'ellipsis';
      if (verbergt && a.scrollWidth > a.clientWidth + 1) return true; }
    return false; })
  .map(e => e.textContent.trim().slice(0, 60))
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app with the demo regio, one facilitator for Toetsdorp and an open ronde there."""

    proc, info = start_demo_app(tmp_path_factory.mktemp("toetsenbord"), "toets-fac", [GEMEENTE])
    try:
        eng = maak_engine(info["database_url"])
        migreer(eng)  # the app migrates on its first visit; this test writes before that
        versies = {k.id: k.versie for k in laad_kaders().kaders.values()}
        g = repo.maak_gemeente(eng, GEMEENTE, door=SYSTEEM)
        info["ronde"] = repo.maak_ronde(eng, g.id, "2026", versies, rollen=[ROL], door=SYSTEEM).id
        info["engine"] = eng
        yield info
    finally:
        stop_streamlit(proc)


# --- moving with the keyboard --------------------------------------------------------------

def _focus(pagina) -> dict:
    pagina.wait_for_timeout(120)  # a focus ring fades in
    info = pagina.evaluate(FOCUS_JS)
    if not info["body"] and not info["zichtbaar"]:  # a field's frame changes colour in a transition
        pagina.wait_for_timeout(400)
        info = pagina.evaluate(FOCUS_JS)
    return info


def _controleer(info: dict, stap: str) -> None:
    assert not info["body"], f"{stap}: de focus staat op de pagina zelf, niet op een element"
    assert info["zichtbaar"], f"{stap}: geen zichtbare focus op {info}"


def _tab_naar(pagina, past, stap: str, max_stappen: int = 150, terug: bool = False) -> dict:
    """Tab (or Shift+Tab) until `past(info)`, checking the focus at every step; returns the info.

    Leaving the page at the end of the round (focus on <body>, once) is allowed: that is
    where a browser's own controls would come. Anything else with no visible focus fails."""
    vorige, zelfde, uit_pagina = None, 0, 0
    for _ in range(max_stappen):
        pagina.keyboard.press("Shift+Tab" if terug else "Tab")
        info = _focus(pagina)
        if info["body"]:
            uit_pagina += 1
            assert uit_pagina <= 2, f"{stap}: Tab komt niet meer terug op de pagina"
            continue
        _controleer(info, stap)
        zelfde = zelfde + 1 if vorige and info["id"] == vorige["id"] else 0
        # a table takes a Tab or two to step into its cells; a trap keeps the focus for good
        assert zelfde < 5, f"{stap}: Tab blijft hangen op {info['naam'] or info['tag']!r} (2.1.2)"
        if past(info):
            if vorige and not terug:  # Shift+Tab goes back to where Tab came from, Tab forward again
                pagina.keyboard.press("Shift+Tab")
                assert _focus(pagina)["id"] == vorige["id"], f"{stap}: Shift+Tab gaat niet terug naar {vorige['naam']!r}"
                pagina.keyboard.press("Tab")
                assert _focus(pagina)["id"] == info["id"], f"{stap}: Tab na Shift+Tab komt niet terug"
            return info
        vorige = info
    raise AssertionError(f"{stap}: na {max_stappen} keer Tab nog niet gevonden")


def _zie(locator) -> None:
    """Visible within a minute: the machine may be busy, and a run that saves takes time."""
    from playwright.sync_api import expect

    expect(locator).to_be_visible(timeout=60_000)


def _naam(tekst: str):
    return lambda info: info["naam"] == tekst or info["naam"].endswith(" " + tekst)


def _rondgang(pagina, stap: str) -> None:
    """One full round of Tab over the page: every visible control is reached, the focus is
    always visible, and Shift+Tab walks back the same way."""
    pagina.evaluate("document.querySelectorAll('[data-zbt-bezocht]').forEach(e => delete e.dataset.zbtBezocht)")
    eerste = _tab_naar(pagina, lambda i: True, stap)
    volgorde = [eerste["id"]]
    for _ in range(400):
        pagina.keyboard.press("Tab")
        info = _focus(pagina)
        if info["body"]:
            continue
        _controleer(info, stap)
        if info["id"] == eerste["id"]:
            break
        volgorde.append(info["id"])
    else:
        raise AssertionError(f"{stap}: Tab komt niet rond")
    niet = pagina.evaluate(NIET_BEREIKT_JS)
    assert not niet, f"{stap}: met Tab niet te bereiken: {niet}"
    aantal, terug = min(len(volgorde) - 1, 5), []
    for _ in range(aantal + 2):
        pagina.keyboard.press("Shift+Tab")
        info = _focus(pagina)
        if not info["body"]:
            terug.append(info["id"])
    assert terug[:aantal] == volgorde[::-1][:aantal], f"{stap}: Shift+Tab gaat niet dezelfde weg terug"


def _menu(pagina, link: str, stap: str) -> None:
    """A page from the menu; on a narrow window the menu is opened first, with the keyboard."""
    if pagina.locator("[data-testid=stExpandSidebarButton]").is_visible():
        _tab_naar(pagina, lambda i: i["testid"] == "stExpandSidebarButton", stap)
        pagina.keyboard.press("Enter")
        pagina.wait_for_timeout(600)  # the menu slides in
    _tab_naar(pagina, lambda i: i["testid"] == "stSidebarNavLink" and i["naam"].endswith(link), stap)
    pagina.keyboard.press("Enter")
    wacht_tot_klaar(pagina)
    menu_open = pagina.locator("[data-testid=stSidebar]").get_attribute("data-collapsed") == "false"
    if menu_open and pagina.viewport_size["width"] < 640:  # on a phone the open menu covers the page: close it
        _tab_naar(pagina, lambda i: i["binnen"] == "stSidebarCollapseButton", stap, terug=True)
        pagina.keyboard.press("Enter")
        pagina.wait_for_timeout(600)


def _foto_en_reflow(pagina, maat: str, stap: str) -> None:
    wacht_tot_klaar(pagina)
    pagina.wait_for_timeout(400)
    FOTOS.mkdir(parents=True, exist_ok=True)
    pagina.screenshot(path=str(FOTOS / f"{maat}-{stap}.png"), full_page=True)
    breed = pagina.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert breed <= 1, f"{stap} op {maat}: de pagina schuift {breed} px opzij"
    afgeknipt = pagina.evaluate(AFGEKNIPT_JS)
    assert not afgeknipt, f"{stap} op {maat}: afgeknipte tekst {afgeknipt}"


# --- the participant ------------------------------------------------------------------------

def _vragen(server) -> list[tuple[str, str, list[str]]]:
    """(kader, criterium, options in screen order) per stelling, in the order of the page."""
    from vragenlijsten import laad_vragenlijsten

    kaders = laad_kaders().kaders
    lijst = laad_vragenlijsten(kaders).lijsten[ROL]
    ronde = repo.ronde(server["engine"], server["ronde"])
    uit = []
    for kader_id in lijst.kader_ids:
        if kader_id not in ronde.kader_versies or kader_id not in kaders:
            continue
        schaal = kaders[kader_id].schaal
        opties = [str(p.waarde) for p in schaal.punten] + [g.waarde for g in schaal.geen_oordeel]
        uit += [(kader_id, v.criterium_id, opties) for v in lijst.voor_kader(kader_id)]
    return uit


@pytest.mark.parametrize("maat", list(MATEN))
def test_deelnemer_vult_alles_in_met_het_toetsenbord(server, browser, maat):
    eng = server["engine"]
    code = repo.maak_uitnodigingen(eng, server["ronde"], [ROL], door=SYSTEEM)[ROL]
    vragen = _vragen(server)
    breedte, hoogte = MATEN[maat]
    context = browser.new_context(viewport={"width": breedte, "height": hoogte})
    context.set_default_timeout(60_000)
    pagina = context.new_page()
    pagina.goto(server["url"] + "/vragenlijst")
    wacht_tot_klaar(pagina)
    _foto_en_reflow(pagina, maat, "01-start")
    _rondgang(pagina, f"{maat} start")

    # the invitation code, typed; Enter sends the form
    _tab_naar(pagina, _naam("Code van uw uitnodiging"), "code")
    pagina.keyboard.type(code)
    pagina.keyboard.press("Enter")
    _zie(pagina.get_by_role("button", name="Start de vragenlijst"))
    wacht_tot_klaar(pagina)
    # the optional organisation: a picker, opened and chosen with the arrow keys
    _tab_naar(pagina, lambda i: i["tag"] == "input" and "organisatie" in i["naam"], "organisatie")
    pagina.keyboard.press("ArrowDown")
    pagina.keyboard.press("ArrowDown")
    pagina.keyboard.press("Enter")
    _tab_naar(pagina, _naam("Start de vragenlijst"), "start")
    _foto_en_reflow(pagina, maat, "02-uitnodiging")
    pagina.keyboard.press("Enter")
    _zie(pagina.get_by_text(re.compile(rf"^0 van {len(vragen)} vragen beantwoord$")))
    wacht_tot_klaar(pagina)
    hervatcode = re.search(r"code=([A-Z0-9-]+)", pagina.url).group(1)

    verwacht = {}
    for nummer, (kader_id, crit_id, opties) in enumerate(vragen, start=1):
        keuze = (nummer - 1) % len(opties)  # every option of the scale, 'weet niet' and 'nvt' too
        info = _tab_naar(pagina, lambda i, n=nummer: i["groep"] == f"Hoe goed klopt stelling {n}?",
                         f"stelling {nummer}")
        assert info["tag"] == "input"
        if keuze == 0:
            pagina.keyboard.press("Space")
        for _ in range(keuze):  # every arrow chooses the next option, and saves it
            pagina.keyboard.press("ArrowRight")
            wacht_tot_klaar(pagina)
        verwacht[(kader_id, crit_id)] = (opties[keuze], "")
        _zie(pagina.get_by_text(re.compile(rf"^{nummer} van {len(vragen)} vragen beantwoord$")))
        wacht_tot_klaar(pagina)
        _controleer(_focus(pagina), f"stelling {nummer} na het kiezen")
        if nummer == 2:  # a toelichting, typed; it is saved when the focus leaves the field
            _tab_naar(pagina, _naam("Toelichting bij stelling 2 (niet verplicht)"), "toelichting")
            pagina.keyboard.type("Signalen komen laat binnen.")
            pagina.keyboard.press("Tab")
            _zie(pagina.get_by_text(re.compile(r"Score en toelichting opgeslagen")))
            wacht_tot_klaar(pagina)
            verwacht[(kader_id, crit_id)] = (opties[keuze], "Signalen komen laat binnen.")
        if nummer == 1:
            _foto_en_reflow(pagina, maat, "03-eerste-stelling")

    _zie(pagina.get_by_text("Bedankt! U heeft alle stellingen beantwoord.", exact=False))
    _foto_en_reflow(pagina, maat, "04-alles-beantwoord")
    _rondgang(pagina, f"{maat} alles beantwoord")
    resp = repo.respondent_met_hervatcode(eng, hervatcode)
    assert repo.antwoorden_van(eng, resp.id) == verwacht

    # the end: stop, and the start screen repeats the code to write down
    _tab_naar(pagina, _naam("Stoppen met deze vragenlijst"), "stoppen")
    pagina.keyboard.press("Enter")
    _zie(pagina.get_by_text("Uw antwoorden zijn bewaard.", exact=False))
    _zie(pagina.get_by_text(hervatcode).first)
    _foto_en_reflow(pagina, maat, "05-einde")
    context.close()


# --- the facilitator ------------------------------------------------------------------------

FASEN = ("1 · Stil scoren", "2 · Onthullen", "3 · Consensus")


def _kies_fase(pagina, fase: str) -> None:
    """The fase picker is one Tab stop; the arrow keys move between its options, Enter chooses."""
    info = _tab_naar(pagina, lambda i: i["naam"] in FASEN, f"fase {fase}")
    for _ in range(len(FASEN)):
        if info["naam"] == fase:
            break
        pagina.keyboard.press("ArrowRight")
        info = _focus(pagina)
        _controleer(info, f"fase {fase}")
    assert info["naam"] == fase, f"{fase} is met de pijltjes niet te bereiken: {info}"
    pagina.keyboard.press("Enter")


def _onderdeel(server) -> tuple[str, str, str]:
    r = repo.ronde(server["engine"], server["ronde"])
    return r.fase, r.huidig_kader, r.huidig_criterium


@pytest.mark.parametrize("maat", ["1366", "200pct"])
def test_facilitator_leidt_de_workshop_met_het_toetsenbord(server, browser, maat):
    breedte, hoogte = MATEN[maat]
    context = browser.new_context(viewport={"width": breedte, "height": hoogte})
    context.set_default_timeout(60_000)
    fac = context.new_page()
    # the workshop starts from the beginning each time (the other size may have moved it)
    r = repo.ronde(server["engine"], server["ronde"])
    alle = laad_kaders().kaders
    kaders = {k.id: k for k in rapportvolgorde(alle, alle)}  # the order of the page (views.context.kaders)
    sleutels = [(k, c.id) for k in kaders if k in r.kader_versies for c in kaders[k].criteria]
    repo.zet_fase(server["engine"], r.id, "stil_scoren", *sleutels[0], door=SYSTEEM)

    fac.goto(f"{server['url']}/inloggen?ronde={server['ronde']}")
    wacht_tot_klaar(fac)
    _tab_naar(fac, _naam("Gebruikersnaam"), "gebruikersnaam")
    fac.keyboard.type("toets-fac")
    _tab_naar(fac, _naam("Wachtwoord"), "wachtwoord")
    fac.keyboard.type(TEST_WACHTWOORD)
    _tab_naar(fac, _naam("Inloggen"), "inloggen")
    fac.keyboard.press("Enter")
    _zie(fac.get_by_text("U bent ingelogd als"))
    wacht_tot_klaar(fac)

    _menu(fac, "Workshop", "menu")
    _zie(fac.get_by_role("heading", name=re.compile(f"Workshop · {GEMEENTE}")))
    _foto_en_reflow(fac, maat, "10-workshop-stil-scoren")

    # fase 2 with the keyboard
    _kies_fase(fac, "2 · Onthullen")
    _zie(fac.get_by_text(re.compile(rf"Onderdeel 1 van {len(sleutels)}")))
    wacht_tot_klaar(fac)
    assert _onderdeel(server) == ("onthullen", *sleutels[0])

    _tab_naar(fac, _naam("Volgende →"), "volgende")
    for stap in (1, 2):
        fac.keyboard.press("Enter")
        _zie(fac.get_by_text(f"Onderdeel {stap + 1} van {len(sleutels)}", exact=True))
        wacht_tot_klaar(fac)
        assert _onderdeel(server) == ("onthullen", *sleutels[stap])
        _controleer(_focus(fac), f"na Volgende {stap}")
    _tab_naar(fac, _naam("← Vorige"), "vorige", terug=True)
    fac.keyboard.press("Enter")
    _zie(fac.get_by_text(f"Onderdeel 2 van {len(sleutels)}", exact=True))
    assert _onderdeel(server) == ("onthullen", *sleutels[1])
    _foto_en_reflow(fac, maat, "11-workshop-onthullen")
    _rondgang(fac, f"{maat} workshop")

    # the projector view opens in a new tab from its link, with Enter
    _tab_naar(fac, _naam("Open de beamerweergave"), "beamerlink")
    with context.expect_page() as nieuw:
        fac.keyboard.press("Enter")
    beamer = nieuw.value
    beamer.wait_for_load_state()
    wacht_tot_klaar(beamer)
    _zie(beamer.get_by_text(f"Onderdeel 2 van {len(sleutels)}", exact=True))
    # the key handler (views/beamer.py, TOETSEN) is installed by the page's own script; on a busy
    # machine that can come after the text is visible, and a key pressed before it is lost
    beamer.wait_for_function("window.zbtBeamerToetsen === true", timeout=60_000)
    for toets, nummer in (("PageDown", 3), ("ArrowRight", 4), ("ArrowDown", 5), ("PageUp", 4),
                          ("ArrowLeft", 3), ("ArrowUp", 2)):
        beamer.keyboard.press(toets)
        _zie(beamer.get_by_text(f"Onderdeel {nummer} van {len(sleutels)}", exact=True))
        wacht_tot_klaar(beamer)
        assert _onderdeel(server) == ("onthullen", *sleutels[nummer - 1]), toets
    _tab_naar(beamer, _naam("Volgende →"), "beamer volgende")
    beamer.keyboard.press("Enter")
    _zie(beamer.get_by_text(f"Onderdeel 3 van {len(sleutels)}", exact=True))
    _foto_en_reflow(beamer, maat, "12-beamer")
    beamer.close()

    # fase 3, back in the facilitator's tab
    fac.bring_to_front()
    _kies_fase(fac, "3 · Consensus")
    _zie(fac.get_by_role("heading", name="Gezamenlijk oordeel"))
    wacht_tot_klaar(fac)
    assert _onderdeel(server)[0] == "consensus"
    _foto_en_reflow(fac, maat, "13-workshop-consensus")
    context.close()


def test_verklaring_staat_in_het_menu_en_is_met_het_toetsenbord_te_lezen(server, browser):
    for maat in ("1366", "320"):
        breedte, hoogte = MATEN[maat]
        context = browser.new_context(viewport={"width": breedte, "height": hoogte})
        pagina = context.new_page()
        pagina.goto(server["url"] + "/")
        wacht_tot_klaar(pagina)
        _menu(pagina, "Toegankelijkheidsverklaring", f"{maat} menu")
        _zie(pagina.get_by_role("heading", name="Toegankelijkheidsverklaring"))
        _zie(pagina.get_by_text("Nog niet ingevuld", exact=False))
        _foto_en_reflow(pagina, maat, "20-verklaring")
        _rondgang(pagina, f"{maat} verklaring")
        context.close()
