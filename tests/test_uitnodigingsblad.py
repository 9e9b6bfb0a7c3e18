"""Issue 11, point 6: the invitation sheet (PDF/A) and the CSV of links, and the page offering both."""
from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

import pikepdf
import pikepdf.pdfa
import pytest
from pypdf import PdfReader

from rapport.pdf import RefusingURLFetcher
from rapport.uitnodigingsblad import (
    CSV_KOLOMMEN,
    PER_BLAD,
    UITLEG_DEELNEMER,
    Uitnodiging,
    UitnodigingsbladInvoer,
    lees_uitnodigingen_csv,
    maak_uitnodigingsblad_html,
    maak_uitnodigingsblad_pdf,
    qr_svg,
    uitnodigingen_csv,
)
from storage.uitnodigingen import nieuwe_uitnodigingscode
from test_pdf_toegankelijk import pdfa_bevindingen

BASIS = "https://zelfbeoordeling.voorbeeld.nl/vragenlijst?uitnodiging="
ROLLEN = ["Gemeente", "Wijkteam / CJG", "Veilig Thuis", "Jeugdgezondheidszorg", "Onderwijs", "Politie",
          "Jeugdhulpaanbieder", "Volwassenenzorg (ggz, verslavingszorg, schuldhulpverlening)"]


def _uitnodigingen(rollen=ROLLEN) -> list[Uitnodiging]:
    uit = []
    for rol in rollen:
        code = nieuwe_uitnodigingscode()
        uit.append(Uitnodiging(rol, BASIS + code, code))
    return uit


def _tekst(pdf: bytes) -> tuple[int, str]:
    lezer = PdfReader(io.BytesIO(pdf))
    return len(lezer.pages), "\n".join(p.extract_text() for p in lezer.pages)


def _zonder_witruimte(tekst: str) -> str:
    return re.sub(r"\s+", "", tekst)


# --- CSV ------------------------------------------------------------------------------------


def test_csv_voor_nederlandse_excel_leest_terug():
    uitnodigingen = _uitnodigingen() + [Uitnodiging("=SOM(A1); ‘rare’ rol", BASIS + "X", "X")]
    data = uitnodigingen_csv(uitnodigingen)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the accents right
    tekst = data.decode("utf-8-sig")
    assert tekst.splitlines()[0] == ";".join(CSV_KOLOMMEN) == "rol;link;code"  # Dutch Excel's separator
    rijen = list(csv.reader(io.StringIO(tekst), delimiter=";"))
    assert len(rijen) == len(uitnodigingen) + 1 and all(len(r) == 3 for r in rijen)
    assert rijen[-1][0] == "'=SOM(A1); ‘rare’ rol"  # no formula in a spreadsheet
    assert lees_uitnodigingen_csv(data) == uitnodigingen


# --- PDF ------------------------------------------------------------------------------------


def test_qr_svg_is_inline_vector_en_veilig():
    svg = qr_svg(BASIS + "ABCD", 'QR-code voor <script>"x"</script>')
    assert svg.startswith("<svg") and "viewBox" in svg and "<path" in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "href" not in svg and "ABCD" not in svg  # the link is drawn, not written or linked


def test_html_heeft_taal_titel_en_alle_uitnodigingen():
    uitnodigingen = _uitnodigingen()
    html = maak_uitnodigingsblad_html(UitnodigingsbladInvoer("Demodorp (fictief)", "2026", uitnodigingen))
    assert '<html lang="nl">' in html
    assert "<title>Uitnodigingen Demodorp (fictief) – ronde 2026</title>" in html
    assert html.count("<svg") == len(uitnodigingen)
    assert html.count('class="uitnodiging"') == len(uitnodigingen)


@pytest.fixture(scope="module")
def blad() -> tuple[list[Uitnodiging], bytes]:
    uitnodigingen = _uitnodigingen()
    return uitnodigingen, maak_uitnodigingsblad_pdf(
        UitnodigingsbladInvoer("Süderwolde (fictief)", "2026 voorjaar", uitnodigingen))


@pytest.mark.pdf
def test_pdf_bevat_elke_rol_link_en_code(blad):
    uitnodigingen, pdf = blad
    pagina_s, tekst = _tekst(pdf)
    plat = _zonder_witruimte(tekst)  # a link may wrap over two lines
    for u in uitnodigingen:
        assert u.code in tekst
        assert _zonder_witruimte(u.link) in plat
        assert _zonder_witruimte(u.rol) in plat
    assert _zonder_witruimte(UITLEG_DEELNEMER) in plat
    assert "Süderwolde (fictief)" in tekst and "ronde 2026 voorjaar" in tekst


@pytest.mark.pdf
@pytest.mark.parametrize("aantal", [1, PER_BLAD, PER_BLAD + 1, len(ROLLEN)])
def test_per_blad_uitnodigingen_passen_op_een_a4(aantal):
    rollen = (ROLLEN * 2)[:aantal]
    pdf = maak_uitnodigingsblad_pdf(UitnodigingsbladInvoer("Demodorp", "2026", _uitnodigingen(rollen)))
    lezer = PdfReader(io.BytesIO(pdf))
    assert len(lezer.pages) == math.ceil(aantal / PER_BLAD)
    for pagina in lezer.pages:  # A4 in points
        assert (round(float(pagina.mediabox.width)), round(float(pagina.mediabox.height))) == (595, 842)
    # every page names its gemeente and ronde (a page can be handed out on its own)
    assert all("Demodorp" in p.extract_text() for p in lezer.pages)


@pytest.mark.pdf
def test_pdf_is_pdfa_met_taal_en_titel(blad):
    _, pdf = blad
    assert pdfa_bevindingen(pdf) == []  # PDF/A-3a: see test_pdf_toegankelijk
    with pikepdf.open(io.BytesIO(pdf)) as p:
        assert str(p.Root.Lang) == "nl"
        assert str(p.docinfo["/Title"]) == "Uitnodigingen Süderwolde (fictief) – ronde 2026 voorjaar"
        assert p.open_metadata()["pdfaid:part"] == "3"


@pytest.mark.pdf
def test_pdf_haalt_niets_op(monkeypatch):
    fetchers: list[RefusingURLFetcher] = []
    origineel = RefusingURLFetcher.__init__

    def onthoud(self, *args, **kwargs):
        origineel(self, *args, **kwargs)
        fetchers.append(self)

    monkeypatch.setattr(RefusingURLFetcher, "__init__", onthoud)
    kwaad = Uitnodiging('<img src="https://voorbeeld.invalid/x.png">', BASIS + "A", "A")
    pdf = maak_uitnodigingsblad_pdf(UitnodigingsbladInvoer("Demodorp", "2026", [kwaad]))
    assert fetchers and not any(f.geweigerd for f in fetchers)
    assert '<img src="https://voorbeeld.invalid/x.png">' in _tekst(pdf)[1]


def test_zonder_uitnodigingen_geen_blad():
    with pytest.raises(ValueError, match="geen uitnodigingen"):
        maak_uitnodigingsblad_pdf(UitnodigingsbladInvoer("Demodorp", "2026", []))


# --- the page -------------------------------------------------------------------------------

PAGINA = str(Path(__file__).resolve().parent.parent / "views" / "rondes.py")


@pytest.mark.db
def test_pagina_maakt_codes_en_biedt_blad_en_csv(app_db):
    from streamlit.testing.v1 import AppTest

    from storage import repository as repo
    from storage.bereik import SYSTEEM
    from storage.db import maak_engine
    from toegang import Gebruiker

    at = AppTest.from_file(PAGINA, default_timeout=90)
    at.session_state["gebruiker"] = Gebruiker("demo-facilitator", "facilitator", frozenset({"*"}), demo=True)
    at.run()
    assert not at.exception, at.exception
    assert not at.get("download_button") or all("uitnodiging" not in d.proto.label.lower()
                                                 for d in at.get("download_button"))
    ronde_id = at.session_state["ronde_keuze"]  # the ronde the page shows
    eng = maak_engine(app_db)
    if next(r for r in repo.rondes(eng) if r.id == ronde_id).status != "open":
        repo.zet_ronde_status(eng, ronde_id, "open", door=SYSTEEM)
        at.run()
    knop = next(b for b in at.button if b.label == "Nieuwe codes maken")
    knop.click().run()
    assert not at.exception, at.exception
    codes = at.session_state["codes"][ronde_id]
    assert codes
    labels = [d.proto.label for d in at.get("download_button")]
    assert "Download de uitnodigingen (PDF, A4)" in labels
    assert "Download de links (CSV voor Excel)" in labels
    # the codes are on the page once, as before
    tekst = "\n".join(m.value for m in at.markdown)
    assert all(code in tekst for code in codes.values())
