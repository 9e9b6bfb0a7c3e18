"""Issue 13, accessibility of the PDFs: verbeterplan, visit preparation and invitation sheet.

Each is PDF/A-3a (tagged) and identifies itself as PDF/UA-1. Checked here, per PDF:

- with pikepdf, the Matterhorn-protocol checks we can verify ourselves: a structure tree,
  MarkInfo Marked, language, displayed title, bookmarks, headings without skipped levels,
  tables with TH cells that have a Scope and TD cells that name their headers, every
  Figure with an alternative text that states the chart's finding (numbers computed here
  from the test data), every piece of marked content in the tree (the running footer and
  page numbers are artifacts), structure order equal to content order, link annotations
  with a description;
- qpdf --check;
- pikepdf's PDF/A validator (it checks level B only and reads no extension schema: the
  only findings it may give are about the level A / PDF/UA identification, see
  `pdfa_bevindingen`);
- the independent PDF/UA checker `pdfua` (PyPI, built on pikepdf, machine-checkable
  subset of PDF/UA-1): no findings at all.
"""
from __future__ import annotations

import io
import math
import re
import shutil
import subprocess

import pikepdf
import pikepdf.pdfa
import pytest

pytestmark = pytest.mark.pdf

DOCUMENTEN = ("verbeterplan", "inspectiebezoek", "uitnodigingsblad")
KOPPEN = {f"/H{i}": i for i in range(1, 7)}

# pikepdf's validator knows level B and the predefined XMP schemas only: a PDF/A-3a that
# also says it is PDF/UA-1 (with the extension schema PDF/A requires for pdfuaid) gets
# exactly these findings about its identification, and must get no other.
IDENTIFICATIE = (
    re.compile(r"^XMP namespace (pdfaExtension|pdfaSchema|pdfaProperty)=http://www\.aiim\.org/pdfa/ns/"),
    re.compile(r"^XMP property (pdfaExtension:schemas|pdfuaid:part) is not permitted$"),
    re.compile(r"^pdfaid:conformance is 'A', expected 'B'$"),
)


def pdfa_bevindingen(data: bytes) -> list[str]:
    """pikepdf's PDF/A-3 findings for ``data``, less the expected ones about the level A
    and PDF/UA identification (`IDENTIFICATIE`). Empty: the file passes."""
    rapport = pikepdf.pdfa.validate_written(io.BytesIO(data), "3b")
    assert rapport.verdict in ("pass", "fail"), rapport.findings  # it did check the file
    return [str(f) for f in rapport.findings
            if not (f.rule.startswith("ISO_19005_3:6.6.") and any(p.search(f.message) for p in IDENTIFICATIE))]


# --- the three documents --------------------------------------------------------------------


@pytest.fixture(scope="module")
def verbeterplan() -> bytes:
    from test_pdf_archief import maak

    return maak()  # with the previous ronde: both charts


@pytest.fixture(scope="module")
def inspectiebezoek(stj) -> bytes:
    import test_inspectiebezoek as ib
    from rapport.inspectiebezoek import VoorbereidingInvoer, maak_voorbereiding_pdf

    invoer = VoorbereidingInvoer(ib._antwoorden(stj), stj, ib.GEMEENTE, ib.RONDE, rol_namen=ib.ROL_NAMEN,
                                 consensus=ib._consensus(stj), datum=ib.DATUM, drempel=3)
    return maak_voorbereiding_pdf(invoer)


@pytest.fixture(scope="module")
def uitnodigingen():
    from test_uitnodigingsblad import _uitnodigingen

    return _uitnodigingen()  # eight rollen: two pages


@pytest.fixture(scope="module")
def uitnodigingsblad(uitnodigingen) -> bytes:
    from rapport.uitnodigingsblad import UitnodigingsbladInvoer, maak_uitnodigingsblad_pdf

    return maak_uitnodigingsblad_pdf(UitnodigingsbladInvoer("Süderwolde (fictief)", "2026 voorjaar", uitnodigingen))


@pytest.fixture(params=DOCUMENTEN)
def document(request) -> tuple[str, bytes]:
    return request.param, request.getfixturevalue(request.param)


# --- walking the structure tree -------------------------------------------------------------


def elementen(pdf: pikepdf.Pdf):
    """The structure elements in tree order (depth first), as (element, depth)."""
    def stap(elem, diepte):
        yield elem, diepte
        kinderen = elem.get("/K", [])
        for kind in (kinderen if isinstance(kinderen, pikepdf.Array) else [kinderen]):
            if isinstance(kind, pikepdf.Dictionary) and kind.get("/Type") == "/StructElem":
                yield from stap(kind, diepte + 1)

    wortel = pdf.Root.StructTreeRoot.K
    for elem in (wortel if isinstance(wortel, pikepdf.Array) else [wortel]):
        yield from stap(elem, 0)


def van_soort(pdf: pikepdf.Pdf, soort: str) -> list[pikepdf.Dictionary]:
    return [e for e, _ in elementen(pdf) if e.get("/S") == soort]


def mcids_in_boomvolgorde(pdf: pikepdf.Pdf) -> list[tuple[int, int]]:
    """(page index, MCID) of all marked content, in the order of the structure tree."""
    paginas = {p.objgen: i for i, p in enumerate(pdf.pages)}
    uit = []
    for elem, _ in elementen(pdf):
        kinderen = elem.get("/K", [])
        for kind in (kinderen if isinstance(kinderen, pikepdf.Array) else [kinderen]):
            if isinstance(kind, int):
                uit.append((paginas[elem.Pg.objgen], int(kind)))
    return uit


def mcids_in_inhoud(pagina: pikepdf.Page) -> tuple[list[int], int]:
    """The MCIDs in a page's content stream in order, and the number of artifacts."""
    mcids, artefacten = [], 0
    for operanden, operator in pikepdf.parse_content_stream(pagina):
        if str(operator) == "BDC" and isinstance(operanden[1], pikepdf.Dictionary) and "/MCID" in operanden[1]:
            mcids.append(int(operanden[1].MCID))
        elif str(operator) in ("BMC", "BDC") and operanden[0] == "/Artifact":
            artefacten += 1
    return mcids, artefacten


# --- catalog and metadata -------------------------------------------------------------------


def test_getagd_met_taal_titel_en_bladwijzers(document):
    naam, data = document
    with pikepdf.open(io.BytesIO(data)) as p:
        assert "/StructTreeRoot" in p.Root
        assert p.Root.MarkInfo.Marked is True
        assert str(p.Root.Lang) in ("nl", "nl-NL")
        assert p.Root.ViewerPreferences.DisplayDocTitle is True
        titel = str(p.docinfo.Title)
        assert titel and p.open_metadata()["dc:title"] == titel
        with p.open_outline() as outline:
            assert outline.root, naam  # bookmarks, from the headings
            assert outline.root[0].title


def test_identificatie_pdfa_3a_en_pdfua_1(document):
    _, data = document
    with pikepdf.open(io.BytesIO(data)) as p:
        meta = p.open_metadata()
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("3", "A")
        assert meta["pdfuaid:part"] == "1"
        xmp = p.Root.Metadata.read_bytes()
    # PDF/A wants every non-predefined namespace described by an extension schema
    assert b"<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>" in xmp
    assert b"<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in xmp
    assert b"<pdfaProperty:name>part</pdfaProperty:name>" in xmp


# --- structure ------------------------------------------------------------------------------


def _heeft_inhoud(elem) -> bool:
    kinderen = elem.get("/K", [])
    return any(isinstance(k, int) or (isinstance(k, pikepdf.Dictionary) and _heeft_inhoud(k))
               for k in (kinderen if isinstance(kinderen, pikepdf.Array) else [kinderen]))


def test_koppen_beginnen_bij_h1_en_slaan_geen_niveau_over(document):
    naam, data = document
    with pikepdf.open(io.BytesIO(data)) as p:
        koppen = [e for e, _ in elementen(p) if str(e.S) in KOPPEN]
        niveaus = [KOPPEN[str(e.S)] for e in koppen]
        # not empty: each heading holds marked content (its text)
        assert all(_heeft_inhoud(e) for e in koppen), naam
    assert niveaus and niveaus[0] == 1, naam
    for vorig, nu in zip(niveaus, niveaus[1:]):
        assert nu <= vorig + 1, (naam, niveaus)


def test_tabellen_met_kopcellen_scope_en_headers(document):
    naam, data = document
    with pikepdf.open(io.BytesIO(data)) as p:
        tabellen = van_soort(p, "/Table")
        kopcellen = {str(th.ID): th for th in van_soort(p, "/TH")}
        cellen = van_soort(p, "/TD")
    if naam == "uitnodigingsblad":
        assert tabellen == []  # no tables: each invitation is a heading with text
        return
    assert tabellen and kopcellen and cellen
    for th in kopcellen.values():
        assert th.A.O == "/Table" and th.A.Scope in ("/Row", "/Column")
    assert {str(th.A.Scope) for th in kopcellen.values()} == {"/Row", "/Column"}
    for td in cellen:
        koppen = [str(h) for h in td.A.Headers]
        assert koppen and all(h in kopcellen for h in koppen)


def _hoogte_per_mcid(pagina: pikepdf.Page) -> dict[int, float]:
    """Per MCID the y (downwards: WeasyPrint flips the page) where its first text starts."""
    hoogte, stapel = {}, []
    for operanden, operator in pikepdf.parse_content_stream(pagina):
        op = str(operator)
        if op == "BDC":
            eigen = operanden[1]
            stapel.append(int(eigen.MCID) if isinstance(eigen, pikepdf.Dictionary) and "/MCID" in eigen else None)
        elif op == "BMC":
            stapel.append(None)
        elif op == "EMC":
            stapel.pop()
        elif op == "Tm" and stapel and stapel[-1] is not None:
            hoogte.setdefault(stapel[-1], float(operanden[5]))
    return hoogte


def test_alle_inhoud_in_de_boom_of_artefact(document):
    """Every MCID on a page belongs to an element in the tree, and each page has
    artifacts (the running footer and the page number are no content)."""
    naam, data = document
    with pikepdf.open(io.BytesIO(data)) as p:
        in_boom = mcids_in_boomvolgorde(p)
        mapping = p.Root.StructTreeRoot.ParentTree.Nums
        nums = dict(zip(mapping[::2], mapping[1::2]))
        for i, pagina in enumerate(p.pages):
            inhoud, artefacten = mcids_in_inhoud(pagina)
            assert inhoud, (naam, i)
            assert sorted(m for nr, m in in_boom if nr == i) == sorted(inhoud), (naam, i)
            assert artefacten >= 2, (naam, i)  # running footer and 'pagina x van y'
            # and the ParentTree maps each MCID to its element
            assert all(nums[pagina.StructParents][m].get("/Type") == "/StructElem" for m in inhoud)


def test_leesvolgorde_is_de_volgorde_op_de_pagina(document):
    """Headings, paragraphs and captions come in the tree in the order they stand on the
    page, top to bottom (not inside a Figure or Table, whose parts stand side by side)."""
    naam, data = document
    soorten = {*KOPPEN, "/P", "/Caption"}
    with pikepdf.open(io.BytesIO(data)) as p:
        paginas = {pg.objgen: i for i, pg in enumerate(p.pages)}
        hoogtes = [_hoogte_per_mcid(pg) for pg in p.pages]
        volgorde: list[tuple[int, float, str]] = []

        def stap(elem, binnen):
            soort = str(elem.get("/S"))
            mcids = []
            for kind in (elem.K if isinstance(elem.get("/K"), pikepdf.Array) else [elem.get("/K")]):
                if isinstance(kind, int):
                    mcids.append(kind)
                elif isinstance(kind, pikepdf.Dictionary) and kind.get("/Type") == "/StructElem":
                    mcids += stap(kind, binnen or soort in ("/Figure", "/Table"))
            if soort in soorten and not binnen and mcids:
                pagina = paginas[elem.Pg.objgen]
                ys = [hoogtes[pagina][m] for m in mcids if m in hoogtes[pagina]]
                if ys:
                    volgorde.append((pagina, ys[0], soort))
            return mcids

        for elem, diepte in elementen(p):
            if diepte == 0:
                stap(elem, False)
    stukken = volgorde  # none of these kinds holds another, so post-order is document order
    assert len(stukken) > 10, naam
    for (pa, ya, sa), (pb, yb, sb) in zip(stukken, stukken[1:]):
        assert (pb, yb + 0.5) >= (pa, ya), (naam, pa, ya, sa, pb, yb, sb)


def test_links_beschreven_en_getagd(verbeterplan):
    with pikepdf.open(io.BytesIO(verbeterplan)) as p:
        links = [a for a in p.pages[0].Annots if a.Subtype == "/Link"]
        link_elementen = van_soort(p, "/Link")
        beschrijvingen = [str(a.Contents) for a in links]
    assert "Leeswijzer" in beschrijvingen and "Gegevens in dit PDF-bestand" in beschrijvingen
    assert all(d.strip() for d in beschrijvingen)
    assert all("/StructParent" in a for a in links) and len(link_elementen) >= len(links)


# --- figures --------------------------------------------------------------------------------


def _figuren(data: bytes) -> list[str]:
    with pikepdf.open(io.BytesIO(data)) as p:
        figuren = van_soort(p, "/Figure")
        assert all("/Alt" in f for f in figuren)
        return [str(f.Alt) for f in figuren]


def _gemiddelden(df, kader) -> dict[str, float]:
    from rapport.aggregatie import aggregeer
    from rapport.groepen import ALLE

    agg = aggregeer(df, kader)
    rijen = agg[(agg["niveau"] == "criterium") & (agg["rol"] == ALLE.id)].set_index("id")["gemiddelde"]
    return {c.kort: float(rijen.get(c.id, math.nan)) for c in kader.criteria}


def test_grafieken_met_alt_die_de_bevinding_noemt(verbeterplan):
    """Each chart's Figure carries the same summary as the text printed beside it
    (rapport.samenvatting): the highest and lowest onderdeel with their means, and the
    comparison with the previous ronde; numbers derived from the answers."""
    from rapport.opmaak import getal
    from test_pdf_archief import vorige_ronde
    from test_verbeterplan import KADER, alle_antwoorden

    df = alle_antwoorden()
    nu = _gemiddelden(df[(df.gemeente == "Utrecht") & (df.ronde == "2026-1")], KADER)
    toen = _gemiddelden(vorige_ronde(), KADER)
    overzicht, vergelijking = _figuren(verbeterplan)

    met = {k: v for k, v in nu.items() if not math.isnan(v)}
    hoog, laag = max(met.values()), min(met.values())
    assert hoog != laag  # the test data has a spread
    assert overzicht.startswith(f"Spinnenwebgrafiek {KADER.titel}.")
    hoogst = overzicht.split("het hoogst op", 1)[1].split("het laagst op", 1)
    assert f"({getal(hoog)})" in hoogst[0] and f"({getal(laag)})" in hoogst[1]
    assert all(k in hoogst[0] for k, v in met.items() if round(v, 1) == round(hoog, 1))
    assert all(k in hoogst[1] for k, v in met.items() if round(v, 1) == round(laag, 1))

    hoger = [k for k in nu if not (math.isnan(nu[k]) or math.isnan(toen[k])) and round(nu[k], 1) > round(toen[k], 1)]
    assert hoger and vergelijking.startswith("Spinnenwebgrafiek: deze ronde en de vorige ronde.")
    assert "hoger dan de vorige ronde" in vergelijking
    assert all(k in vergelijking for k in hoger)
    # the alternative text is the sentence printed beside the chart, not a second wording
    from pypdf import PdfReader

    tekst = "".join(ch for p in PdfReader(io.BytesIO(verbeterplan)).pages for ch in (p.extract_text() or "")
                    if ch.isalnum())
    zin = "".join(ch for ch in overzicht.split(". ", 1)[1] if ch.isalnum())
    assert zin[:50] in tekst


def test_qr_codes_met_alt(uitnodigingsblad, uitnodigingen):
    alts = _figuren(uitnodigingsblad)
    assert len(alts) == len(uitnodigingen)
    for alt, u in zip(alts, uitnodigingen):
        assert alt.startswith(f"QR-code voor {u.rol}") and "link" in alt


def test_voorbereiding_heeft_geen_figuren(inspectiebezoek):
    assert _figuren(inspectiebezoek) == []


# --- the checkers ---------------------------------------------------------------------------


def test_qpdf_check(document, tmp_path):
    naam, data = document
    qpdf = shutil.which("qpdf")
    assert qpdf, "qpdf ontbreekt: installeer het met scripts/system-packages.sh (apt-get install qpdf)."
    pad = tmp_path / f"{naam}.pdf"
    pad.write_bytes(data)
    uit = subprocess.run([qpdf, "--check", str(pad)], capture_output=True, text=True)
    assert uit.returncode == 0 and "No syntax or stream encoding errors found" in uit.stdout, uit.stdout + uit.stderr


def test_pikepdf_pdfa_validator(document):
    naam, data = document
    assert pdfa_bevindingen(data) == [], naam


def test_pdfa_bevindingen_laat_alleen_de_identificatie_door(verbeterplan):
    """The filter in `pdfa_bevindingen` lets a real violation through."""
    with pikepdf.open(io.BytesIO(verbeterplan)) as p:
        p.Root.OutputIntents[0].S = pikepdf.Name("/GTS_PDFX")  # not a PDF/A output intent
        uit = io.BytesIO()
        p.save(uit)
    assert pdfa_bevindingen(uit.getvalue())


def test_onafhankelijke_pdfua_checker(document, tmp_path):
    import pdfua

    naam, data = document
    pad = tmp_path / f"{naam}.pdf"
    pad.write_bytes(data)
    rapport = pdfua.validate(str(pad))
    assert [(f.rule_id, f.message) for f in rapport.findings] == [], naam
    assert rapport.exit_code == 0
    # pdfua 0.1.3 cannot run its empty-heading rule with pikepdf 10 (it asks an array for
    # /is_integer); test_koppen_... checks that every heading has content instead. No
    # other rule may be skipped.
    assert [(s.rule_id, "is_integer" in s.skipped_reason) for s in rapport.skipped] == [("UA-14-001", True)]


def test_pdfua_checker_ziet_een_fout(verbeterplan, tmp_path):
    """The checker is not blind: a Figure without /Alt is an error."""
    import pdfua

    with pikepdf.open(io.BytesIO(verbeterplan)) as p:
        del van_soort(p, "/Figure")[0].Alt
        p.save(tmp_path / "zonder-alt.pdf")
    assert "UA-13-004" in {f.rule_id for f in pdfua.validate(str(tmp_path / "zonder-alt.pdf")).findings}


def test_bijlagen_blijven_werken(verbeterplan):
    with pikepdf.open(io.BytesIO(verbeterplan)) as p:
        namen = sorted(p.attachments)
        assert [n.rsplit(".", 1)[1] for n in namen] == ["csv", "json"]
        assert {str(x.F) for x in p.Root.AF} == set(namen)
        for naam in namen:
            assert p.attachments[naam].obj.AFRelationship == "/Data"
            assert p.attachments[naam].get_file().read_bytes()
