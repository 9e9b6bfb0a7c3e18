"""Issue 5, "The PDF": the verbeterplan fit for a gemeente's archive.

PDF/A-3a (checked with qpdf and with pikepdf's allowlist PDF/A validator; the tagging
and PDF/UA side is in test_pdf_toegankelijk), metadata
(title, author, subject, language, creation date), the data of the ronde embedded
as attachments that read back to the same rows, a table of contents with page
numbers, bookmarks, the comparison with the previous ronde, and injection payloads
in every free text field.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pikepdf
import pikepdf.pdfa
import pytest
from pypdf import PdfReader

import rapport.pdf as rapport_pdf
import rapport.verbeterplan as vp
from rapport.aggregatie import aggregeer
from rapport.groepen import ALLE, OVERIGE, SAMEN
from rapport.pdf import RefusingURLFetcher
from rapport.verbeterplan import maak_verbeterplan_html, maak_verbeterplan_pdf
from test_pdf_toegankelijk import pdfa_bevindingen
from test_verbeterplan import (
    ACTIES,
    KADER,
    ROL_NAMEN,
    SUGGESTIES,
    VORIGE,
    alle_antwoorden,
    antwoorden,
    invoer,
    na_inhoud,
    pdf_tekst,
)
from tests.fabriek import KOLOMMEN
from uitwisselformaat import lees_csv

pytestmark = pytest.mark.pdf

GEMAAKT = dt.datetime(2026, 11, 22, 9, 30, 15, tzinfo=dt.UTC)
TITEL = "Verbeterplan Utrecht – Toetskader Jeugd – ronde 2026-1"
CSV_NAAM = "antwoorden-utrecht-2026-1-stj-test.csv"
JSON_NAAM = "scores-utrecht-2026-1-stj-test.json"


def vorige_ronde() -> pd.DataFrame:
    """Utrecht 2025-1: Alfa scored 1 by both (now 2), the rest as now."""
    df = antwoorden("Utrecht", "2025-1").assign(respondent=lambda d: "v" + d["respondent"])
    df.loc[df["criterium"] == "a", "score"] = "1"
    return df


def andere_rondes() -> pd.DataFrame:
    """Rows the comparison must leave out: another gemeente, and this ronde itself."""
    zeist = antwoorden("Zeist", "2025-1").assign(score="4", respondent=lambda d: "z" + d["respondent"])
    return pd.concat([zeist, antwoorden("Utrecht", "2026-1")])


def maak(drempel=1, **anders) -> bytes:
    args = dict(acties=ACTIES, suggesties=SUGGESTIES, vorige_acties=VORIGE, drempel=drempel,
                vorige_antwoorden=pd.concat([andere_rondes(), vorige_ronde()]), vorige_ronde="2025-1",
                gemaakt=GEMAAKT) | anders
    return maak_verbeterplan_pdf(invoer(alle_antwoorden(), **args))


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return maak()


@pytest.fixture(scope="module")
def tekst(pdf) -> str:
    return pdf_tekst(pdf)


def _qpdf() -> str:
    pad = shutil.which("qpdf")
    if pad is None:
        pytest.fail("qpdf ontbreekt: installeer het met scripts/system-packages.sh (apt-get install qpdf).")
    return pad


# --- PDF/A ----------------------------------------------------------------------------------


def test_qpdf_check_keurt_het_bestand_goed(pdf, tmp_path):
    pad = tmp_path / "plan.pdf"
    pad.write_bytes(pdf)
    uit = subprocess.run([_qpdf(), "--check", str(pad)], capture_output=True, text=True)
    assert uit.returncode == 0, uit.stdout + uit.stderr
    assert "No syntax or stream encoding errors found" in uit.stdout


def test_pdfa_3a_identificatie_en_validatie(pdf):
    with pikepdf.open(io.BytesIO(pdf)) as p:
        meta = p.open_metadata()
        assert meta["pdfaid:part"] == "3"
        assert meta["pdfaid:conformance"] == "A"  # level A: tagged (issue 13)
        [intent] = p.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1" and "/DestOutputProfile" in intent
        assert "/Encrypt" not in p.trailer and "/ID" in p.trailer
    # pikepdf's PDF/A validator approves only what it recognises as conforming (it checks
    # level B and reads no extension schema: pdfa_bevindingen leaves out only those findings)
    assert pdfa_bevindingen(pdf) == []


def test_ook_een_pdf_zonder_plan_en_zonder_toelichtingen_is_pdfa():
    kaal = antwoorden().assign(toelichting="")
    data = maak_verbeterplan_pdf(invoer(kaal, gemaakt=GEMAAKT))
    assert pdfa_bevindingen(data) == []


def _lettertypen(p: pikepdf.Pdf):
    gezien = set()

    def in_resources(res):
        if res is None:
            return
        for font in (res.get("/Font") or {}).values():
            if font.objgen not in gezien:
                gezien.add(font.objgen)
                yield font
        for xobj in (res.get("/XObject") or {}).values():
            if xobj.get("/Subtype") == "/Form":
                yield from in_resources(xobj.get("/Resources"))

    for pagina in p.pages:
        yield from in_resources(pagina.obj.get("/Resources"))


def test_alle_lettertypen_zijn_ingesloten(pdf):
    with pikepdf.open(io.BytesIO(pdf)) as p:
        fonts = list(_lettertypen(p))
        assert fonts
        for font in fonts:
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            fd = descendant.FontDescriptor
            assert any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")), font.BaseFont
        assert any("DejaVu" in str(f.BaseFont) for f in fonts)


def test_grafieken_blijven_vector(pdf, tekst):
    with pikepdf.open(io.BytesIO(pdf)) as p:
        beelden = [o for o in p.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
    assert beelden == []  # no raster image anywhere: both spider charts are vector drawings
    # and their labels are real text
    assert tekst.count("Toetskader Jeugd\nGemiddelde score per criterium") == 2


# --- metadata -------------------------------------------------------------------------------


def test_metadata_titel_auteur_onderwerp_taal_en_datum(pdf):
    with pikepdf.open(io.BytesIO(pdf)) as p:
        assert str(p.Root.Lang) == "nl"
        info = p.docinfo
        assert str(info.Title) == TITEL
        assert str(info.Author) == "Gemeente Utrecht"
        assert "Utrecht" in str(info.Subject) and "ronde 2026-1" in str(info.Subject)
        assert str(info.CreationDate).startswith("D:20261122093015")
        assert str(info.Creator) == "Zelfbeoordeling Stelseltoezicht Jeugd"
        meta = p.open_metadata()
        assert meta["dc:title"] == TITEL
        assert meta["dc:creator"] == ["Gemeente Utrecht"]
        assert meta["xmp:CreateDate"].startswith("2026-11-22T09:30:15")


def test_html_heeft_taal_en_metadata():
    html = maak_verbeterplan_html(invoer(antwoorden(), drempel=1, gemaakt=GEMAAKT))
    assert '<html lang="nl">' in html
    assert '<meta name="author" content="Gemeente Utrecht">' in html
    assert '<meta name="dcterms.created" content="2026-11-22T09:30:15+00:00">' in html


def test_gemeente_met_tekens_in_metadata():
    df = antwoorden(gemeente='Süd <b>&"\'', ronde="2026-1")
    data = maak_verbeterplan_pdf(invoer(df, gemeente='Süd <b>&"\'', drempel=1, gemaakt=GEMAAKT))
    with pikepdf.open(io.BytesIO(data)) as p:
        assert str(p.docinfo.Author) == 'Gemeente Süd <b>&"\''
        assert p.open_metadata()["dc:creator"] == ['Gemeente Süd <b>&"\'']
        assert list(p.attachments) == ["antwoorden-sud-b-2026-1-stj-test.csv", "scores-sud-b-2026-1-stj-test.json"]
    assert pdfa_bevindingen(data) == []


# --- attachments ----------------------------------------------------------------------------


def _bijlage(p: pikepdf.Pdf, naam: str) -> tuple[bytes, pikepdf.Dictionary]:
    spec = p.attachments[naam]
    return spec.get_file().read_bytes(), spec.obj


def test_bijlagen_met_afrelationship(pdf):
    with pikepdf.open(io.BytesIO(pdf)) as p:
        assert sorted(p.attachments) == sorted([CSV_NAAM, JSON_NAAM])
        af = {str(x.F) for x in p.Root.AF}
        assert af == {CSV_NAAM, JSON_NAAM}
        for naam, mime in ((CSV_NAAM, "/text#2fcsv"), (JSON_NAAM, "/application#2fjson")):
            _, spec = _bijlage(p, naam)
            assert spec.AFRelationship == "/Data"
            assert str(spec.Desc)
            ef = spec.EF.F
            assert ef.Subtype in (mime, pikepdf.Name(mime.replace("#2f", "/")))
            assert str(ef.Params.ModDate).startswith("D:20261122093015")


def test_bijlage_csv_leest_terug_als_dezelfde_rijen(pdf):
    with pikepdf.open(io.BytesIO(pdf)) as p:
        data, _ = _bijlage(p, CSV_NAAM)
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens it as UTF-8
    terug = lees_csv(data, {KADER.id: KADER}, bestand=CSV_NAAM).reset_index(drop=True)
    df = alle_antwoorden()
    verwacht = df[(df.gemeente == "Utrecht") & (df.ronde == "2026-1")].reset_index(drop=True)
    pd.testing.assert_frame_equal(terug[list(KOLOMMEN)], verwacht[list(KOLOMMEN)])
    assert "0123456789" * 30 in set(terug["toelichting"])  # full text, also where the page wraps it


def test_bijlage_json_bevat_de_scores(pdf):
    with pikepdf.open(io.BytesIO(pdf)) as p:
        data, _ = _bijlage(p, JSON_NAAM)
    scores = json.loads(data)
    assert (scores["gemeente"], scores["ronde"], scores["kader"]["id"]) == ("Utrecht", "2026-1", KADER.id)
    assert scores["gemaakt"] == "2026-11-22T09:30:15+00:00"
    assert scores["rollen"] == {"gemeente": "Gemeente", "wijkteam-cjg": "Wijkteam / CJG"}
    df = alle_antwoorden()
    agg = aggregeer(df[(df.gemeente == "Utrecht") & (df.ronde == "2026-1")], KADER)
    rijen = {(r["niveau"], r["id"], r["rol"]): r for r in scores["scores"]}
    assert len(rijen) == len(agg)
    for r in agg.itertuples():
        j = rijen[(r.niveau, r.id, r.rol)]
        assert j["n"] == r.n
        if r.n:
            assert j["gemiddelde"] == pytest.approx(r.gemiddelde)
        else:
            assert j["gemiddelde"] is None  # NaN becomes null
    assert rijen[("criterium", "c", ALLE.id)]["gemiddelde"] == 2.0


def test_bijlage_voegt_kleine_rolgroepen_samen_zoals_het_rapport():
    """With threshold 2 the attached answers name no small rol group. (At the default 3 the
    two respondents are too few for any criterium and the CSV is empty: test_anonimiteit.)"""
    data = maak(drempel=2, vorige_antwoorden=None, vorige_ronde=None)
    with pikepdf.open(io.BytesIO(data)) as p:
        csv, _ = _bijlage(p, CSV_NAAM)
        scores = json.loads(_bijlage(p, JSON_NAAM)[0])
    terug = lees_csv(csv, {KADER.id: KADER})
    assert set(terug["rol"]) <= {OVERIGE.id, SAMEN.id}
    assert not {"gemeente", "wijkteam-cjg"} & {r["rol"] for r in scores["scores"]}


# --- table of contents, bookmarks, pages ----------------------------------------------------


def test_inhoudsopgave_verwijst_naar_de_juiste_pagina(pdf):
    paginas = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    inhoud = paginas[0][paginas[0].index("Inhoud"): paginas[0].index("Leeswijzer\nDit verbeterplan")]
    regels = re.findall(r"^(.+?)\s*\.{3,}\s*(\d+)$", inhoud, flags=re.M)
    titels = [t for t, _ in regels]
    assert titels == [
        "Leeswijzer", "Overzicht per rol", "Scores per onderdeel", "Sterke punten (behouden)", "Verbeterpunten",
        "1. Charlie veiligheid", "2. Alfa signalering", "Niet beoordeeld", "Actieplan", "Voortgang vorige ronde",
        "Bijlage: brontekst van aangepaste suggesties", "Gegevens in dit PDF-bestand",
    ]
    for titel, nr in regels:
        kop = re.sub(r"^\d+\. ", "", titel)
        pagina = paginas[int(nr) - 1]
        if int(nr) == 1:
            pagina = na_inhoud(pagina)
        assert kop in pagina, (titel, nr)
    # and the entries are links inside the document
    with pikepdf.open(io.BytesIO(pdf)) as p:
        links = [a for a in p.pages[0].Annots if a.Subtype == "/Link"]
        assert len(links) >= len(regels)
        assert all("/URI" not in a.get("/A", {}) for a in links)  # no link leaves the document


def test_bladwijzers_uit_de_koppen(pdf):
    with pikepdf.open(io.BytesIO(pdf)) as p, p.open_outline() as outline:
        [wortel] = outline.root
        assert wortel.title == "Verbeterplan Utrecht"
        kinderen = [k.title for k in wortel.children]
        assert kinderen[:6] == ["Inhoud", "Leeswijzer", "Overzicht per rol", "Scores per onderdeel",
                                "Sterke punten (behouden)", "Verbeterpunten"]
        assert "Voortgang vorige ronde" in kinderen and "Gegevens in dit PDF-bestand" in kinderen
        verbeter = next(k for k in wortel.children if k.title == "Verbeterpunten")
        assert [k.title for k in verbeter.children] == ["1 Charlie veiligheid", "2 Alfa signalering"]
        alle = str([k.title for k in wortel.children]) + str([k.title for k in verbeter.children])
        assert "Wanneer is het goed?" not in alle  # h4 makes no bookmark


def test_a4_paginanummers_en_nederlandse_datums(pdf, tekst):
    paginas = PdfReader(io.BytesIO(pdf)).pages
    for nr, pagina in enumerate(paginas, start=1):
        assert (round(float(pagina.mediabox.width)), round(float(pagina.mediabox.height))) == (595, 842)
        assert f"pagina {nr} van {len(paginas)}" in pagina.extract_text()
    assert "22 november 2026" in tekst and "1 maart 2027" in tekst and "30 juni 2027" in tekst


def test_de_acties_van_het_plan_staan_erin(tekst):
    platte = " ".join(tekst.split())
    for stuk in ("ACTIE1 veiligheidsplan", "METING1 aantal plannen", "ACTIE2 eigen", "VORIG1 overleg",
                 "EFFECT1 minder wachttijd", "VORIG2 training"):
        assert stuk in platte, stuk


# --- progress since the previous ronde ------------------------------------------------------


def test_voortgang_met_spinnenweb_van_beide_rondes(tekst):
    deel = " ".join(na_inhoud(tekst).split())
    voortgang = deel[deel.index("Voortgang vorige ronde"): deel.index("Bijlage: brontekst")]
    assert "Scores: deze ronde en ronde 2025-1" in voortgang
    assert "Vorige ronde (2025-1)" in voortgang  # the overlay in the chart's legend
    # table: Alfa went from 1,0 to 2,0; Delta has no score in either ronde
    assert "Alfa signalering 1,0 2,0 +1,0" in voortgang
    assert "Charlie veiligheid 2,0 2,0 0,0" in voortgang
    assert "Delta nazorg – – –" in voortgang
    # then last ronde's actions with their status and effect
    acties = voortgang.index("Acties uit de vorige ronde")
    assert acties < voortgang.index("VORIG1 overleg") < voortgang.index("Gerealiseerd") < voortgang.index("EFFECT1")


def test_vergelijking_gebruikt_de_overlay_van_de_grafiek(monkeypatch):
    aanroepen = []
    echt = vp.spinnenweb

    def spion(agg, kader, opties):
        aanroepen.append(opties)
        return echt(agg, kader, opties)

    monkeypatch.setattr(vp, "spinnenweb", spion)
    html = maak_verbeterplan_html(invoer(alle_antwoorden(), drempel=1, vorige_antwoorden=vorige_ronde(),
                                         vorige_ronde="2025-1"))
    assert html.count("<svg") == 2
    [overlay] = [o for o in aanroepen if o.vergelijkingen]
    [(label, agg_vorig)] = overlay.vergelijkingen.items()
    assert label == "Vorige ronde (2025-1)" and list(overlay.rollen) == []
    assert set(agg_vorig.loc[agg_vorig["niveau"] == "criterium", "id"]) == {"a", "b", "c", "d"}
    alfa = agg_vorig[(agg_vorig["id"] == "a") & (agg_vorig["rol"] == ALLE.id)]["gemiddelde"].item()
    assert alfa == 1.0


def test_zonder_vorige_ronde_geen_vergelijking():
    html = maak_verbeterplan_html(invoer(alle_antwoorden(), drempel=1))
    assert html.count("<svg") == 1 and "Voortgang vorige ronde" not in html
    # a previous ronde without answers to this kader: said so, no empty chart
    html = maak_verbeterplan_html(invoer(alle_antwoorden(), drempel=1, vorige_antwoorden=vorige_ronde().iloc[0:0],
                                         vorige_ronde="2025-1"))
    assert html.count("<svg") == 1
    assert "De vorige ronde heeft geen antwoorden bij dit kader." in html


def test_cli_met_vorige_ronde(tmp_path, monkeypatch, capsys):
    import rapport.__main__ as cli

    monkeypatch.setattr(cli, "_laad_kaders", lambda: {KADER.id: KADER})
    monkeypatch.setattr(cli, "_rol_namen", lambda: dict(ROL_NAMEN))
    monkeypatch.setenv("ZBT_ANONIMITEIT_DREMPEL", "1")  # two respondents: below the default 3
    bestand = tmp_path / "antwoorden.csv"
    pd.concat([andere_rondes(), vorige_ronde()]).to_csv(bestand, index=False)
    uit = tmp_path / "plan.pdf"
    args = ["verbeterplan", "--antwoorden", str(bestand), "--kader", KADER.id, "--gemeente", "Utrecht",
            "--ronde", "2026-1", "--out", str(uit)]
    assert cli.main([*args, "--vorige-ronde", "2025-1"]) == 0
    tekst = " ".join(pdf_tekst(uit.read_bytes()).split())
    assert "Scores: deze ronde en ronde 2025-1" in tekst
    assert "Alfa signalering 1,0 2,0 +1,0" in tekst
    with pikepdf.open(uit) as p:
        assert sorted(p.attachments) == sorted([CSV_NAAM, JSON_NAAM])
    assert cli.main([*args, "--vorige-ronde", "1999"]) == 1
    assert "De ronde '1999' komt niet voor" in capsys.readouterr().err


# --- injection ------------------------------------------------------------------------------

GEHEIM = Path("/etc/passwd").read_text().splitlines()[0]  # e.g. 'root:x:0:0:root:/root:/bin/bash'
PAYLOADS = [
    '<img src="file:///etc/passwd">',
    "<script>alert(1)</script>",
    '<div style="background: url(http://example.org/x)">x</div>',
    "@import url(http://example.org/x.css);",
    "<style>@import 'http://example.org/y.css'; body { background: url(file:///etc/passwd) }</style>",
    '<link rel="attachment" href="file:///etc/passwd">',
    '<a href="http://example.org/z">klik</a>',
]
GROOT = "B" * 100_000  # a 100 KB text without any break opportunity


class Opnemer(RefusingURLFetcher):
    """Records every URL WeasyPrint asks for (and refuses it, like the real one)."""

    def __init__(self):
        super().__init__()
        self.gevraagd: list[str] = []

    def fetch(self, url, headers=None):
        self.gevraagd.append(str(url))
        return super().fetch(url, headers)


@pytest.fixture(scope="module")
def kwaadaardig_pdf():
    """Every payload in a toelichting, in every action field and in the previous ronde's effect."""
    fetcher = Opnemer()
    tekst = " || ".join(PAYLOADS)
    df = alle_antwoorden()
    utrecht = (df.gemeente == "Utrecht") & (df.ronde == "2026-1")
    df.loc[utrecht & (df.criterium == "a") & (df.rol == "gemeente"), "toelichting"] = tekst
    df.loc[utrecht & (df.criterium == "c") & (df.rol == "wijkteam-cjg"), "toelichting"] = GROOT
    acties = [{"kader_id": KADER.id, "criterium_id": "c", "wat": tekst, "eigenaar": PAYLOADS[0],
               "deadline": PAYLOADS[1], "meting": PAYLOADS[2], "status": PAYLOADS[3], "effect": ""},
              {"kader_id": KADER.id, "criterium_id": "a", "wat": GROOT, "eigenaar": GROOT, "meting": GROOT,
               "status": "bezig"}]
    vorige = [{"kader_id": KADER.id, "criterium_id": "a", "wat": tekst, "eigenaar": PAYLOADS[4],
               "status": "gerealiseerd", "effect": tekst + " " + GROOT}]
    echt = rapport_pdf.RefusingURLFetcher
    rapport_pdf.RefusingURLFetcher = lambda: fetcher
    try:
        data = maak_verbeterplan_pdf(invoer(df, drempel=1, acties=acties, vorige_acties=vorige,
                                            vorige_antwoorden=vorige_ronde(), vorige_ronde="2025-1", gemaakt=GEMAAKT))
    finally:
        rapport_pdf.RefusingURLFetcher = echt
    return data, fetcher


def test_injectie_haalt_niets_op(kwaadaardig_pdf):
    data, fetcher = kwaadaardig_pdf
    assert data.startswith(b"%PDF")
    assert fetcher.gevraagd == [] and fetcher.geweigerd == []  # WeasyPrint did not even ask


def test_injectie_staat_er_als_tekst(kwaadaardig_pdf):
    data, _ = kwaadaardig_pdf
    platte = " ".join(pdf_tekst(data).split())
    # lines may wrap anywhere in a long "word" (with a hyphen U+2010 where hyphenated)
    zonder_afbreking = re.sub(r"[\s\u2010]", "", platte)
    for payload in PAYLOADS:
        assert re.sub(r"\s", "", payload) in zonder_afbreking, payload
    assert "… (ingekort)" in platte  # the 100 KB texts are cut on the page
    assert GEHEIM not in platte


def test_injectie_lekt_geen_bestand_en_blijft_pdfa(kwaadaardig_pdf, tmp_path):
    data, _ = kwaadaardig_pdf
    with pikepdf.open(io.BytesIO(data)) as p:
        assert sorted(p.attachments) == sorted([CSV_NAAM, JSON_NAAM])  # no attachment from <link rel=attachment>
        alles = b"".join(
            o.read_bytes() for o in p.objects if isinstance(o, pikepdf.Stream)
        )
        csv, _ = _bijlage(p, CSV_NAAM)
    assert GEHEIM.encode() not in alles
    # the attached answers keep the full texts, payloads included
    terug = lees_csv(csv, {KADER.id: KADER})
    assert GROOT in set(terug["toelichting"])
    assert any(PAYLOADS[0] in t for t in terug["toelichting"])
    pad = tmp_path / "kwaad.pdf"
    pad.write_bytes(data)
    assert subprocess.run([_qpdf(), "--check", str(pad)], capture_output=True).returncode == 0
    assert pdfa_bevindingen(data) == []


def test_weigerende_fetcher_ook_voor_bijlagen_en_metadata():
    """The product's own parts (CSS, SVG, fonts, colour profile, attachments) need no fetch at all."""
    fetcher = Opnemer()
    html = maak_verbeterplan_html(invoer(antwoorden(), drempel=1))
    bijlage = rapport_pdf.PdfBijlage("x.csv", b"a,b\r\n", "test")
    data = rapport_pdf.html_naar_pdf(html, url_fetcher=fetcher, bijlagen=[bijlage], gemaakt=GEMAAKT)
    assert fetcher.gevraagd == []
    with pikepdf.open(io.BytesIO(data)) as p:
        assert p.attachments["x.csv"].get_file().read_bytes() == b"a,b\r\n"
    # while a document that does point outside gets every such URL refused
    html = html.replace("</body>", '<img src="data:image/png;base64,iVBORw0KGgo="><img src="file:///etc/passwd">'
                                   '<img src="https://example.org/x.png"></body>')
    fetcher = Opnemer()
    rapport_pdf.html_naar_pdf(html, url_fetcher=fetcher)
    assert sorted(fetcher.gevraagd) == sorted(["data:image/png;base64,iVBORw0KGgo=", "file:///etc/passwd",
                                               "https://example.org/x.png"])
