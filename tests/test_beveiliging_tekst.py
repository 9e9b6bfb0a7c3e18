"""Text that participants, staff or files supply is shown as text, and never makes a
browser fetch anything (views/tekst.py).

A listener on 127.0.0.1 records every request it gets. Markdown-image, link and HTML
payloads pointing at it go into every field that people, staff or files fill (gemeente,
regio, ronde labels, organisatie, toelichtingen, action fields, consensus motivatie, an
account name, a value in an imported file), straight into the database of an app server
of this module's own. Then every page that shows them is opened as the people who see
them: a participant with an invitation code and with a resume code, a facilitator and an
inspecteur. The listener must have heard nothing, the payload must be on the page as
literal text, and no page may ask any host but the app's own.
"""
from __future__ import annotations

import http.server
import json
import os
import re
import threading
import time

import pytest

from conftest import ROOT, start_streamlit, stop_streamlit, wacht_tot_klaar
from test_beveiliging_verzoeken import Verzoeken, naar_pagina

pytestmark = pytest.mark.browser

WACHTWOORD = "lang-genoeg-wachtwoord-voor-de-test"
SCHERMEN = ROOT / "test-artifacts" / "beveiliging-tekst"
KADER, CRITERIUM = "stj-stelseltoezicht-jeugd", "c1-signalering"


class Luisteraar(http.server.ThreadingHTTPServer):
    """Answers every GET with an empty image and remembers its path."""

    def __init__(self):
        self.gehoord: list[str] = []
        luisteraar = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                luisteraar.gehoord.append(self.path)
                self.send_response(204)
                self.end_headers()

            do_POST = do_HEAD = do_GET

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.daemon_threads = True


@pytest.fixture(scope="module")
def luisteraar():
    server = Luisteraar()
    draad = threading.Thread(target=server.serve_forever, daemon=True)
    draad.start()
    yield server
    server.shutdown()
    server.server_close()


def lading(poort: int, veld: str, soorten: str = "img link html") -> str:
    """A payload for one field: a markdown image, a markdown link and an HTML image."""
    delen = {"img": f"![x](http://127.0.0.1:{poort}/img-{veld})",
             "link": f"[klik](http://127.0.0.1:{poort}/link-{veld})",
             "html": f"<img src=http://127.0.0.1:{poort}/html-{veld}>"}
    return " ".join(delen[s] for s in soorten.split())


def _vul_database(url: str, poort: int) -> dict:
    """A real (not demo) gemeente with two rondes, every supplied field a payload.

    Uses the storage functions directly; returns what the pages should show and the codes."""
    from kader import laad_kaders
    from storage import repository as repo
    from storage.bereik import SYSTEEM
    from storage.db import maak_engine, migreer
    from vragenlijsten import laad_vragenlijsten

    kaders = laad_kaders().kaders
    rollen = list(laad_vragenlijsten(kaders).rol_namen())
    eng = maak_engine(url)
    migreer(eng)
    velden = {
        "gemeente": "Bergen op Zoom " + lading(poort, "gemeente"),  # at most 200
        "regio": "West-Brabant " + lading(poort, "regio"),  # 200
        "ronde": "2027 " + lading(poort, "ronde", "img link"),  # 100
        "vorige": "2026 " + lading(poort, "vorige", "html img"),  # 100
        "organisatie": lading(poort, "organisatie", "img"),  # 80
        "toelichting": "1. eerst *belangrijk* " + lading(poort, "toelichting"),
        "wat": lading(poort, "wat"), "eigenaar": lading(poort, "eigenaar"),
        "meting": lading(poort, "meting"), "effect": lading(poort, "effect"),
        "vorige-wat": lading(poort, "vorige-wat"),
        "motivatie": lading(poort, "motivatie"),
    }
    assert len(velden["ronde"]) <= 100 and len(velden["vorige"]) <= 100 and len(velden["organisatie"]) <= 80
    g = repo.maak_gemeente(eng, velden["gemeente"], regio=velden["regio"], door=SYSTEEM)
    versies = {k: kaders[k].versie for k in kaders}
    vorige = repo.maak_ronde(eng, g.id, velden["vorige"], versies, rollen=rollen, door=SYSTEEM)
    repo.maak_actie(eng, vorige.id, KADER, CRITERIUM, velden["vorige-wat"], eigenaar=velden["eigenaar"], door=SYSTEEM)
    repo.zet_ronde_status(eng, vorige.id, "gesloten", door=SYSTEEM)
    time.sleep(0.01)  # the next ronde is strictly later (vorige_ronde orders by time)
    ronde = repo.maak_ronde(eng, g.id, velden["ronde"], versies, rollen=rollen, door=SYSTEEM)
    repo.neem_acties_over(eng, ronde.id, door=SYSTEEM)
    actie = repo.maak_actie(eng, ronde.id, KADER, CRITERIUM, velden["wat"], eigenaar=velden["eigenaar"],
                            meting=velden["meting"], door=SYSTEEM)
    repo.wijzig_actie(eng, actie.id, effect=velden["effect"], status="bezig", door=SYSTEEM)
    codes = repo.maak_uitnodigingen(eng, ronde.id, rollen, door=SYSTEEM)
    hervatcodes = []
    for i, rol in enumerate(rollen[:4]):  # four participants, each answering all of stj
        resp, hervat = repo.respondent_via_uitnodiging(eng, codes[rol], velden["organisatie"])
        hervatcodes.append(hervat)
        for c in kaders[KADER].criteria:
            repo.bewaar_antwoord(eng, resp.id, KADER, c.id, str(1 + (i + len(c.id)) % 4), velden["toelichting"])
    repo.zet_fase(eng, ronde.id, "consensus", KADER, CRITERIUM, door=SYSTEEM)
    repo.bewaar_consensus(eng, ronde.id, KADER, CRITERIUM, "2", velden["motivatie"], door=SYSTEEM)
    eng.dispose()
    return {"velden": velden, "uitnodiging": codes[rollen[0]], "hervatcode": hervatcodes[0]}


@pytest.fixture(scope="module")
def server(tmp_path_factory, luisteraar):
    """The app on its own SQLite file (no demo), with a facilitator and an inspecteur for the
    payload gemeente; the inspecteur's account name is a payload too."""
    from toegang import hash_wachtwoord

    tmp = tmp_path_factory.mktemp("beveiliging-tekst")
    url = f"sqlite:///{tmp / 'server.db'}"
    poort = luisteraar.server_address[1]
    data = _vul_database(url, poort)
    gemeente = json.dumps(data["velden"]["gemeente"])  # a JSON string is a valid TOML string
    inspecteur = "insp " + lading(poort, "account", "img")
    h = hash_wachtwoord(WACHTWOORD)
    (tmp / "gebruikers.toml").write_text(
        f'[gebruikers.fac]\nrol = "facilitator"\ngemeenten = [{gemeente}]\nwachtwoord_hash = "{h}"\n'
        f'[gebruikers.{json.dumps(inspecteur)}]\nrol = "inspecteur"\ngemeenten = [{gemeente}]\n'
        f'wachtwoord_hash = "{h}"\n', encoding="utf-8")
    env = {**os.environ, "ZBT_DATABASE_URL": url, "ZBT_DEMO": "0", "ZBT_GEBRUIKERS": str(tmp / "gebruikers.toml")}
    proc, basis = start_streamlit(ROOT / "app.py", env, tmp / "streamlit.log")
    try:
        yield {"url": basis, "inspecteur": inspecteur, **data}
    finally:
        stop_streamlit(proc)


class Bezoek:
    """One browser context as one persona, checking each page it opens."""

    def __init__(self, browser, server, luisteraar, persona: str):
        self.server, self.luisteraar, self.persona = server, luisteraar, persona
        luisteraar.gehoord.clear()  # each test reports its own (an earlier one already failed on its own)
        self.context = browser.new_context(viewport={"width": 1400, "height": 1200})
        self.verzoeken = Verzoeken(self.context, server["url"])
        self.pagina = self.context.new_page()

    def inloggen(self, naam: str) -> None:
        from playwright.sync_api import expect

        self.verzoeken.waar = f"{self.persona}: inloggen"
        self.pagina.goto(self.server["url"] + "/inloggen")
        wacht_tot_klaar(self.pagina)
        self.pagina.get_by_label("Gebruikersnaam").fill(naam)
        self.pagina.get_by_label("Wachtwoord").fill(WACHTWOORD)
        self.pagina.get_by_role("button", name="Inloggen").click()
        expect(self.pagina.get_by_text("U bent ingelogd als")).to_be_visible(timeout=30_000)
        wacht_tot_klaar(self.pagina)

    def naar(self, menu: str) -> None:
        self.verzoeken.waar = f"{self.persona}: {menu}"
        naar_pagina(self.pagina, self.pagina.locator("[data-testid=stSidebarNav] a").filter(has_text=menu))

    def open_uitklap(self, titel: str) -> None:
        uitklap = self.pagina.locator("details").filter(has_text=titel).first
        if uitklap.get_attribute("open") is None:
            uitklap.locator("summary").click()
        wacht_tot_klaar(self.pagina)

    def tekst(self) -> str:
        """What a person reads on the page: its text and the values in its fields."""
        waarden = self.pagina.eval_on_selector_all("input, textarea", "els => els.map(e => e.value)")
        return self.pagina.locator("[data-testid=stApp]").inner_text() + "\n" + "\n".join(waarden)

    def controleer(self, naam: str, *velden: str, extra: tuple[str, ...] = (), een_van: tuple[str, ...] = ()) -> None:
        """Nothing fetched, no payload turned into a link or image, each field's text literal
        (and at least one of the fields in `een_van`: a selector shows one ronde)."""
        self.pagina.wait_for_timeout(100)  # a fetch the page started has reached the listener (also
        # recorded as a request to another host by self.verzoeken, checked at the end)
        assert self.luisteraar.gehoord == [], (self.persona, naam, self.luisteraar.gehoord)
        poort = str(self.luisteraar.server_address[1])
        assert self.pagina.locator(f"img[src*='{poort}']").count() == 0, (self.persona, naam)
        assert self.pagina.get_by_role("link", name="klik", exact=True).count() == 0, (self.persona, naam)
        verwacht = [self.server["velden"][veld] for veld in velden] + list(extra)
        tekst = self.tekst()
        for _ in range(40):  # a field can get its value a moment after the run ends (a busy machine)
            if all(stuk in tekst for stuk in verwacht):
                break
            self.pagina.wait_for_timeout(250)
            tekst = self.tekst()
        for veld in velden:
            assert self.server["velden"][veld] in tekst, (self.persona, naam, veld)
        assert self.luisteraar.gehoord == [], (self.persona, naam, self.luisteraar.gehoord)
        for stuk in extra:
            assert stuk in tekst, (self.persona, naam, stuk)
        if een_van:
            assert any(self.server["velden"][veld] in tekst for veld in een_van), (self.persona, naam, een_van)
        SCHERMEN.mkdir(parents=True, exist_ok=True)
        self.pagina.screenshot(path=str(SCHERMEN / f"{self.persona}-{naam}.png"), full_page=True)

    def sluit(self) -> list[tuple[str, str]]:
        self.context.close()
        return self.verzoeken.buiten()


def test_participant_sees_payloads_as_text(server, browser, luisteraar):
    from playwright.sync_api import expect

    b = Bezoek(browser, server, luisteraar, "deelnemer")
    b.pagina.goto(f"{server['url']}/vragenlijst?uitnodiging={server['uitnodiging']}")
    wacht_tot_klaar(b.pagina)
    expect(b.pagina.get_by_text("U bent uitgenodigd voor")).to_be_visible()
    b.controleer("uitnodiging", "gemeente", "ronde")

    b.pagina.goto(f"{server['url']}/vragenlijst?code={server['hervatcode']}")
    wacht_tot_klaar(b.pagina)
    expect(b.pagina.get_by_text("U vult in als")).to_be_visible()
    b.controleer("vragenlijst", "gemeente", "ronde", "toelichting")
    assert b.sluit() == []


def test_facilitator_sees_payloads_as_text(server, browser, luisteraar):
    from playwright.sync_api import expect

    b = Bezoek(browser, server, luisteraar, "facilitator")
    b.inloggen("fac")
    b.naar("Rondes beheren")  # opens on the open ronde
    b.pagina.get_by_role("button", name="Nieuwe codes maken").click()  # links with QR codes
    expect(b.pagina.get_by_text("QR-code voor").first).to_be_visible(timeout=30_000)
    wacht_tot_klaar(b.pagina)
    b.controleer("rondes", "gemeente", "ronde", "regio",
                 extra=(f"Typ de naam van de ronde ({server['velden']['ronde']}) om te bevestigen",))

    b.naar("Workshop")
    b.controleer("workshop", "gemeente", "ronde", "toelichting", "motivatie")

    b.naar("Overzicht")
    b.open_uitklap("Gespreksagenda")
    b.controleer("overzicht", "gemeente", "ronde", "toelichting")

    b.naar("Verbeterplan")
    b.controleer("verbeterplan", "gemeente", "ronde", "vorige", "wat", "eigenaar", "meting", "effect",
                 "vorige-wat")

    b.naar("Gegevens uitwisselen")
    waarde = lading(luisteraar.server_address[1], "import")
    csv = ("gemeente,ronde,respondent,rol,kader,criterium,score,toelichting\n"
           f'"{server["velden"]["gemeente"]}",2028,r-1,gemeente,{KADER},{CRITERIUM},"{waarde}",\n')
    b.pagina.locator("[data-testid=stFileUploader] input[type=file]").first.set_input_files(
        files=[{"name": "antwoorden.csv", "mimeType": "text/csv", "buffer": csv.encode("utf-8")}])
    expect(b.pagina.get_by_role("button", name="Importeer", exact=True)).to_be_visible(timeout=30_000)
    wacht_tot_klaar(b.pagina)
    b.pagina.get_by_role("button", name="Importeer", exact=True).click()
    expect(b.pagina.get_by_text("Niets geïmporteerd")).to_be_visible(timeout=30_000)
    b.controleer("gegevens", "gemeente", een_van=("ronde", "vorige"), extra=(f"'{waarde}' is geen geldige waarde",))
    assert b.sluit() == []


def test_inspecteur_sees_payloads_as_text(server, browser, luisteraar):
    from playwright.sync_api import expect

    b = Bezoek(browser, server, luisteraar, "inspecteur")
    b.inloggen(server["inspecteur"])
    b.controleer("ingelogd", extra=(server["inspecteur"],))

    b.naar("Verbeterplan")  # read only: wat as text, eigenaar and meting in a caption
    # (Overzicht shows the same as to the facilitator)
    expect(b.pagina.get_by_text(re.compile("^Eigenaar: ")).first).to_be_visible()
    b.controleer("verbeterplan", "gemeente", "ronde", "vorige", "wat", "eigenaar", "meting")

    b.naar("Voorbereiding inspectiebezoek")
    b.controleer("inspectie", "gemeente", een_van=("ronde", "vorige"))

    b.naar("Regio vergelijken")
    b.controleer("regio", "gemeente", "regio")
    assert b.sluit() == []


# --- md() through Streamlit's own markdown renderer --------------------------------------

PROEF_APP = '''
import json, os
import streamlit as st
from views.tekst import md

proeven = json.loads(os.environ["ZBT_PROEVEN"])
for i, proef in enumerate(proeven):
    with st.container(key=f"md-{i}"):
        st.markdown(md(proef))
    st.radio("optie", [i], format_func=lambda _: md(proef), key=f"radio-{i}", label_visibility="collapsed")
'''

# Streamlit's typographic replacements in text (they load nothing): the arrows and dashes
# of its StreamlitMarkdown component, applied the same way to what we expect.
TYPOGRAFIE = [(r"(^|\s)<->(?=\s|$)", "\\1↔"), (r"(^|\s)->(?=\s|$)", "\\1→"), (r"(^|\s)<-(?=\s|$)", "\\1←"),
              (r"(^|\s)--(?=\s|$)", "\\1—"), (r"(^|\s)>=(?=\s|$)", "\\1≥"), (r"(^|\s)<=(?=\s|$)", "\\1≤"),
              (r"(^|\s)~=(?=\s|$)", "\\1≈")]


def _proeven(aantal: int = 80) -> list[str]:
    """Random text full of markdown: every ASCII punctuation character, spaces, tabs and line
    breaks, and letters that make no emoji shortcode (':q:' is none, ':b:' would be)."""
    import random

    rnd = random.Random(20261129)
    tekens = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~" + "qz7é" + "  \t\n"
    vast = ["![x](http://127.0.0.1:9/img) [klik](http://127.0.0.1:9/a) <img src=http://127.0.0.1:9/h>",
            ":material/radar: :red[rood] $x^2$ $$y$$ :q: \\", "# kop\n- lijst\n1. eerst\n    code\n> citaat",
            "| q | z |\n|---|---|\n| 7 | 7 |", "```\nq\n```", "&amp; &lt;q&gt; &#60;", "q -> z <- 7 -- q",
            "*belangrijk* _q_ **z** ~~7~~ `code`", "[q]: http://127.0.0.1:9/ref\n[q] ![z][q]"]
    return vast + ["".join(rnd.choice(tekens) for _ in range(rnd.randint(1, 40))) for _ in range(aantal)]


def _zoals_gelezen(tekst: str) -> str:
    """What Streamlit shows of md(tekst): its text, whitespace collapsed, with its arrows."""
    regels = []
    for regel in tekst.splitlines():
        regel = regel.strip()
        for patroon, vervanging in TYPOGRAFIE:
            regel = re.sub(patroon, vervanging, regel)
        regels.append(regel)
    return " ".join(" ".join(regels).split())


def test_md_is_shown_literally_by_streamlit(tmp_path, browser, luisteraar):
    """Streamlit's markdown (react-markdown, GFM, directives, math, its own extensions) shows
    md(text) as exactly that text, in st.markdown and in a widget option (a label), and makes
    no element of it: no image, link with a label, list, heading, code, emphasis, formula or icon."""
    from playwright.sync_api import expect

    (tmp_path / "proef.py").write_text(PROEF_APP, encoding="utf-8")
    proeven = _proeven()
    env = {**os.environ, "ZBT_PROEVEN": json.dumps(proeven), "PYTHONPATH": str(ROOT)}
    proc, basis = start_streamlit(tmp_path / "proef.py", env)
    try:
        luisteraar.gehoord.clear()
        pagina = browser.new_page()
        pagina.goto(f"{basis}/")
        wacht_tot_klaar(pagina)
        expect(pagina.locator(f".st-key-md-{len(proeven) - 1}")).to_be_visible(timeout=60_000)
        for i, proef in enumerate(proeven):
            verwacht = _zoals_gelezen(proef)
            blok = pagina.locator(f".st-key-md-{i} [data-testid=stMarkdownContainer]")
            optie = pagina.locator(f".st-key-radio-{i} [role=radiogroup] [data-testid=stMarkdownContainer]")
            for waar, element in (("markdown", blok), ("radio", optie)):
                assert " ".join(element.inner_text().split()) == verwacht, (waar, proef)
                vreemd = element.locator("img, pre, code, ul, ol, li, h1, h2, h3, h4, h5, h6, blockquote, hr, "
                                         "table, em, strong, del, .katex, [data-testid=stIconMaterial]")
                assert vreemd.count() == 0, (waar, proef, element.inner_html())
                for link in element.locator("a").all():  # only addresses shown as they are
                    assert link.inner_text() in proef, (waar, proef, element.inner_html())
        assert luisteraar.gehoord == []
        pagina.close()
    finally:
        stop_streamlit(proc)
