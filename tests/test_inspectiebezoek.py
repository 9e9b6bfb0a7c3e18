"""rapport.inspectiebezoek: the inspecteur's PDF "Voorbereiding inspectiebezoek".

One small generated answer set on the real STJ kader, with one flag per criterium
(c1 dunne onderbouwing, c2 grote onenigheid, c3 veel weet niet, c4 none), two rol
groups below the anonymity threshold, injection payloads in the toelichtingen and a
workshop consensus. The PDF is rendered once per module and read back with pypdf
(text), pikepdf (metadata) and qpdf (structure).
"""
from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess

import pandas as pd
import pikepdf
import pytest
from pypdf import PdfReader

from kader.werkwijze import standaard_werkwijze
from rapport.bestandsnaam import bestandsnaam
from rapport.inspectie import bezoek, vlaggen
from rapport.inspectiebezoek import (
    MAX_TOELICHTING_TEKENS,
    MAX_TOELICHTINGEN,
    VoorbereidingInvoer,
    _kort,
    _selectie,
    maak_voorbereiding_html,
    maak_voorbereiding_pdf,
    vingerafdruk,
)
from rapport.pdf import RefusingURLFetcher, html_naar_pdf
from tests.fabriek import antwoorden

pytestmark = pytest.mark.pdf

GEMEENTE, RONDE = "Toetsdorp (fictief)", "2026-test"
DATUM = dt.date(2026, 3, 5)
# Distinctive names for the two small groups, so the test can look for them anywhere.
ROL_NAMEN = {
    "gemeente": "Gemeente",
    "wijkteam-cjg": "Wijkteam / CJG",
    "onderwijs": "Onderwijs",
    "politie": "Politiekorps-Zeldzaam",
    "veilig-thuis": "Meldpunt-Zeldzaam",
}
# gemeente 4, wijkteam 3, onderwijs 3: shown; politie 1 + veilig-thuis 2: merged (3)
RESPONDENTEN = (
    [(f"g{i}", "gemeente") for i in range(4)]
    + [(f"w{i}", "wijkteam-cjg") for i in range(3)]
    + [(f"o{i}", "onderwijs") for i in range(3)]
    + [("p0", "politie")]
    + [(f"v{i}", "veilig-thuis") for i in range(2)]
)
LANG = "Dat staat in de werkafspraken van 2025 en we bespreken het elk kwartaal."
PAYLOADS = (
    '<img src="file:///etc/passwd">',
    "<script>alert('x')</script>",
    '<div style="background: url(http://evil.example/css.png)">css</div>',
    "</style><style>body { background: url(file:///etc/shadow) }</style>",
)
MOTIVATIE = 'Samen besproken. <img src="file:///etc/hosts"> Volgende ronde opnieuw.'
LANGE_TOELICHTING = "Heel lang verhaal zonder einde " * 300  # about 9000 characters


def _antwoorden(stj) -> pd.DataFrame:
    c1, c2, c3, c4 = (c.id for c in stj.criteria)
    rijen = []
    for i, (resp, rol) in enumerate(RESPONDENTEN):
        # c1: all 4, one toelichting -> hoog gescoord, dunne onderbouwing
        rijen.append((resp, rol, c1, "4", LANG if i == 0 else ""))
        # c2: gemeente 4, the rest 1 -> grote onenigheid; the payloads as toelichtingen
        score = "4" if rol == "gemeente" else "1"
        tekst = PAYLOADS[i] if i < len(PAYLOADS) else (LANGE_TOELICHTING if i == 5 else "")
        rijen.append((resp, rol, c2, score, tekst))
        # c3: gemeente and wijkteam weet niet, the rest 2 -> veel weet niet (every shown group
        # has 0 or at least 3 scores, so rapport.anonimiteit.onderdruk leaves it as it is)
        rijen.append((resp, rol, c3, "weet_niet" if rol in ("gemeente", "wijkteam-cjg") else "2", ""))
        # c4: everyone 2 with a long toelichting -> no flag
        rijen.append((resp, rol, c4, "2", f"{LANG} ({rol})"))
    df = antwoorden(*rijen, gemeente=GEMEENTE, ronde=RONDE, kader=stj.id)
    # another gemeente in the same file: filtered out
    ander = df.assign(gemeente="Elders (fictief)", toelichting="TEKST-VAN-ELDERS")
    return pd.concat([df, ander], ignore_index=True)


def _consensus(stj) -> dict:
    c2 = stj.criteria[1].id
    return {(stj.id, c2): ("3", MOTIVATIE, dt.datetime(2026, 3, 1, 12, 0))}


@pytest.fixture(scope="module")
def gegevens(stj):
    return _antwoorden(stj)


@pytest.fixture(scope="module")
def gemaakt(stj, gegevens):
    fetcher = RefusingURLFetcher()
    invoer = VoorbereidingInvoer(gegevens, stj, GEMEENTE, RONDE, rol_namen=ROL_NAMEN, consensus=_consensus(stj),
                                 datum=DATUM, drempel=3)
    pdf = maak_voorbereiding_pdf(invoer, url_fetcher=fetcher)
    html = maak_voorbereiding_html(invoer)
    tekst = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    return {"pdf": pdf, "html": html, "tekst": tekst, "fetcher": fetcher}


def _plat(tekst: str) -> str:
    """Without whitespace and hyphens: line breaks and hyphenation in the PDF do not matter."""
    return re.sub(r"[\s\-‐­]", "", tekst)


def test_de_vlaggen_van_de_testdata(stj, gegevens):
    tabel = vlaggen(gegevens[gegevens["gemeente"] == GEMEENTE], stj, drempel=3, rol_namen=ROL_NAMEN)
    aan = {r["id"]: [v for v in ("dunne_onderbouwing", "grote_onenigheid", "veel_weet_niet") if r[v]]
           for _, r in tabel.iterrows()}
    c1, c2, c3, c4 = (c.id for c in stj.criteria)
    assert aan == {c1: ["dunne_onderbouwing"], c2: ["grote_onenigheid"], c3: ["veel_weet_niet"], c4: []}


def test_pdf_is_a4_en_begint_met_het_voorblad(gemaakt):
    reader = PdfReader(io.BytesIO(gemaakt["pdf"]))
    assert gemaakt["pdf"].startswith(b"%PDF-")
    breedte, hoogte = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(breedte), round(hoogte)) == (595, 842)  # A4 in points
    eerste = reader.pages[0].extract_text()
    for stuk in ("Voorbereiding inspectiebezoek", GEMEENTE, RONDE, "5 maart 2026",
                 "Toezichtkader", "13 respondenten"):
        assert stuk in eerste, stuk
    assert "pagina 1 van" in eerste


def test_voorblad_signaal_geen_oordeel_en_herkomst(gemaakt):
    plat = _plat(gemaakt["tekst"])
    assert _plat("Een signaal is geen oordeel.") in plat
    assert _plat("De vragen en methoden komen letterlijk uit de bronnen.") in plat
    assert _plat("Dit instrument verzint geen vragen.") in plat
    assert _plat("is wel een keuze van dit instrument") in plat
    # the kinds of organisation and the reflectiebijeenkomst, with their bron
    assert _plat("Duidende instanties kunnen besluiten tot de inzet van gespecialiseerde zorg") in plat
    assert _plat("scholen, politie, kinderdagverblijven en schuldhulpverleners") in plat
    assert _plat("Na het bezoek: reflectiebijeenkomst") in plat
    assert _plat("in een reflectiebijeenkomst besproken") in plat
    assert _plat("in Assen (2016), §1.2") in plat


def test_respondenten_per_groep_en_kleine_groepen_samengevoegd(gemaakt):
    tekst, html = gemaakt["tekst"], gemaakt["html"]
    for regel in ("Gemeente: 4", "Wijkteam / CJG: 3", "Onderwijs: 3", "Overige partners: 3"):
        assert regel in tekst, regel
    # the groups below the threshold never appear on their own: not on the cover, not in
    # the tables, not in the flag explanations, not as the label of a toelichting
    for naam in ("Politiekorps-Zeldzaam", "Meldpunt-Zeldzaam"):
        assert naam not in tekst and naam not in html
    assert "Overige partners (" in tekst  # a toelichting labelled with the merged group


def test_alleen_andere_gemeente_gefilterd(gemaakt):
    assert "TEKST-VAN-ELDERS" not in gemaakt["tekst"]
    assert "Elders" not in gemaakt["tekst"]


def test_samenvattingstabel(gemaakt, stj):
    tekst = gemaakt["tekst"]
    overzicht = tekst[tekst.index("Overzicht"):tekst.index("Onderdelen met een signaal")]
    assert "Eens" in overzicht and "Weet niet" in overzicht and "Signalen" in overzicht
    for c in stj.criteria:
        assert _plat(c.kort) in _plat(overzicht), c.kort
    for kort in ("Dunne onderbouwing", "Onenigheid", "Veel weet niet"):
        assert _plat(kort) in _plat(overzicht), kort
    assert "3 van de 4 onderdelen hebben een signaal" in " ".join(overzicht.split())
    # c3: 7 of 13 answers weet niet = 54%; mean 2 and consensus 1 (all 6 scores are 2)
    assert re.search(r"\b6 2,00 2 1,00 54%", overzicht), overzicht
    # c2: gemeente 4 x4, the rest 1 x9: mean 25/13 = 1,92, median 1, consensus 0,11
    assert re.search(r"\b13 1,92 1 0,11 0%", overzicht), overzicht


def test_gevlagde_criteria_eerst_met_uitleg_en_suggesties(gemaakt, stj, gegevens):
    tekst = gemaakt["tekst"]
    plat = _plat(tekst)
    c1, c2, c3, c4 = stj.criteria
    met = plat.index(_plat("Onderdelen met een signaal"))
    zonder = plat.index(_plat("Onderdelen zonder signaal"))
    # after the summary table: the flagged ones (kader order), then the others
    posities = [plat.index(_plat(c.kort), met) for c in (c1, c2, c3)]
    assert posities == sorted(posities) and posities[-1] < zonder
    assert plat.index(_plat(c4.kort), met) > zonder

    tabel = vlaggen(gegevens[gegevens["gemeente"] == GEMEENTE], stj, drempel=3, rol_namen=ROL_NAMEN).set_index("id")
    for c, vlag in ((c1, "dunne_onderbouwing"), (c2, "grote_onenigheid"), (c3, "veel_weet_niet")):
        uitleg = tabel.at[c.id, f"{vlag}_uitleg"]
        assert uitleg and _plat(uitleg) in plat, uitleg
        # every sourced question, method and document of this criterium is in the PDF
        b = bezoek(standaard_werkwijze(), stj, c)
        assert b["gekoppeld"] and b["methoden"]
        for uitgeschreven in [v for g in b["vraaggroepen"] for v in g["vragen"]] + [m["tekst"] for m in b["methoden"]]:
            assert _plat(uitgeschreven) in plat, uitgeschreven
        for d in b["documenten"]:
            assert _plat(d["document"].capitalize()) in plat
    # the kader text: criterium, indicatoren, ratio
    assert _plat(c1.tekst) in plat and _plat(c1.ratio) in plat
    for ind in c1.indicatoren:
        assert _plat(ind.tekst) in plat
    assert plat.count(_plat("Voor het bezoek")) == 4  # every criterium, flagged or not
    assert plat.count(_plat("Welke vragen en methoden bij welk onderdeel staan, is een keuze van dit instrument")) == 4
    assert tekst.count("Wanneer is het goed?") == 4 and "Waaraan kun je dat zien?" in tekst
    # the questions of 004 (2011) carry the historic marker; no template sentence is left
    assert _plat("historische bron (2011, vóór de Jeugdwet)") in plat
    assert "Kunt u een recent voorbeeld" not in tekst and "Vraag enkele recente dossiers" not in tekst
    # dossieronderzoek where it fits (c2–c4), not at c1 (signaleren)
    blok_c1 = plat[plat.index(_plat(c1.kort), met):plat.index(_plat(c2.kort), met)]
    assert _plat("Dossieronderzoek") not in blok_c1 and _plat("Vignettenmethode") in blok_c1


def test_geen_bestandsnaam_en_eigen_plaatsing(gemaakt, stj):
    """A bron is shown as title, publisher, year and section: never the hashed file name."""
    for tekst in (gemaakt["tekst"], gemaakt["html"]):
        assert not re.search(r"\d{3}_[0-9a-f]{16}\.txt", tekst)
    plat = _plat(gemaakt["tekst"])
    assert _plat(str(stj.bron)) in plat
    eigen = [v for v in stj.alle_verwachtingen if v.eigen_plaatsing]
    assert eigen  # the kader has verwachtingen placed by this instrument ...
    # ... and each is marked as such (once per such verwachting)
    assert plat.count(_plat("dat het bij dit criterium staat is een keuze van dit instrument")) == len(eigen)


@pytest.fixture(scope="module")
def movisie(kaders):
    rn = kaders["robuuste-netwerken"]
    rijen = [(f"r{i}", "gemeente", c.id, str(1 + (i + j) % 4), "") for i in range(5)
             for j, c in enumerate(rn.criteria)]
    invoer = VoorbereidingInvoer(antwoorden(*rijen, gemeente=GEMEENTE, ronde=RONDE, kader=rn.id), rn, GEMEENTE,
                                 RONDE, datum=DATUM, drempel=3)
    pdf = maak_voorbereiding_pdf(invoer)
    tekst = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    return rn, tekst, maak_voorbereiding_html(invoer)


def test_movisie_in_eigen_woorden_met_vragen_uit_de_bron(movisie):
    rn, tekst, html = movisie
    plat = _plat(tekst)
    assert "Wanneer is het goed?" not in tekst and "Waaraan kun je dat zien?" not in tekst
    assert "Verwachtingen van de inspecties" not in tekst
    assert tekst.count("Succesfactor\n") + tekst.count("Succesfactor ") >= 9
    assert "Randvoorwaarde" in tekst
    for c in rn.criteria:  # Movisie's own words
        assert _plat(c.tekst) in plat, c.id
    # the sourced questions, verbatim, under their bron with the historic marker
    for vraag in ("Wie voert de regie op het overleg?", "Op welke manier sluit dit overleg aan op het CJG en vice versa?",
                  "Hoe wordt informatie gedeeld?"):
        assert _plat(vraag) in plat, vraag
    assert _plat("Bijlage 3 Onderzoeksvragen, Netwerken") in plat
    assert _plat("historische bron (2011, vóór de Jeugdwet)") in plat
    assert _plat("De bronnen geven geen vragen die dit instrument bij dit onderdeel zet.") in plat  # sf5 and others
    assert "Kunt u een recent voorbeeld" not in tekst
    for t in (tekst, html):
        assert not re.search(r"\d{3}_[0-9a-f]{16}\.txt", t)


def test_consensus_uit_de_workshop(gemaakt):
    plat = _plat(gemaakt["tekst"])
    assert _plat("Samen afgesproken in de workshop") in plat
    assert _plat("3 – Klopt grotendeels") in plat
    assert _plat('Samen besproken. <img src="file:///etc/hosts"> Volgende ronde opnieuw.') in plat


def test_injectie_wordt_tekst_en_er_wordt_niets_opgehaald(gemaakt):
    html, plat = gemaakt["html"], _plat(gemaakt["tekst"])
    assert gemaakt["fetcher"].geweigerd == []  # nothing was even asked for
    assert "<img" not in html and "<script" not in html and "url(http://evil" not in html.split("</style>")[0]
    assert html.count("<style>") == 1 and html.count("</style>") == 1
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    for payload in PAYLOADS:
        assert _plat(payload) in plat, payload  # shown as text


def test_de_weigerende_fetcher_zou_het_merken(stj):
    """Control: had the markup slipped through, the fetcher would have been asked."""
    fetcher = RefusingURLFetcher()
    html_naar_pdf('<html lang="nl"><body><img src="file:///etc/passwd" alt="x"></body></html>', url_fetcher=fetcher)
    assert fetcher.geweigerd == ["file:///etc/passwd"]


def test_lange_toelichting_ingekort(gemaakt):
    plat = _plat(gemaakt["tekst"])
    assert _plat("… (ingekort)") in plat
    assert _plat(LANGE_TOELICHTING) not in plat
    assert len(_kort(LANGE_TOELICHTING, MAX_TOELICHTING_TEKENS)) <= MAX_TOELICHTING_TEKENS + len(" … (ingekort)")
    assert _kort("a\n\n\n\nb", 100) == "a\nb"
    assert _kort("\n".join("x" * 20), 1000, max_regels=3) == "x\nx\nx … (ingekort)"
    assert _kort("  kort  ", 100) == "kort"


def test_selectie_spreidt_over_de_scores():
    lijst = [{"score": s, "tekst": f"{s}-{i}"} for s in ("1", "2", "4") for i in range(4)]
    gekozen = _selectie(lijst, MAX_TOELICHTINGEN)
    assert len(gekozen) == MAX_TOELICHTINGEN == 5
    assert {t["score"] for t in gekozen} == {"1", "2", "4"}
    assert gekozen == sorted(gekozen, key=lijst.index)  # original (workshop) order kept
    assert _selectie(lijst[:2], 5) == lijst[:2]
    assert _selectie([], 5) == []


def test_taal_en_titel_in_de_metadata(gemaakt):
    with pikepdf.open(io.BytesIO(gemaakt["pdf"])) as pdf:
        assert str(pdf.Root.Lang) == "nl"
        titel = f"Voorbereiding inspectiebezoek {GEMEENTE} – {RONDE}"
        assert str(pdf.docinfo["/Title"]) == titel
        with pdf.open_metadata() as xmp:
            assert xmp.get("dc:title") == titel
            # rendered by rapport.pdf.html_naar_pdf: PDF/A-3a (tagged), like the verbeterplan
            assert (xmp.get("pdfaid:part"), xmp.get("pdfaid:conformance")) == ("3", "A")
    assert '<html lang="nl">' in gemaakt["html"]


def test_qpdf_check(gemaakt, tmp_path):
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        pytest.fail("qpdf ontbreekt: installeer het (apt-get install qpdf) om de PDF-structuur te controleren.")
    pad = tmp_path / "voorbereiding.pdf"
    pad.write_bytes(gemaakt["pdf"])
    uit = subprocess.run([qpdf, "--check", str(pad)], capture_output=True, text=True)
    assert uit.returncode == 0, uit.stdout + uit.stderr
    assert "No syntax or stream encoding errors" in uit.stdout


def test_iedereen_samengevoegd_dan_geen_rollen(stj, gegevens):
    """Every rol below the threshold: no group numbers at all, only 'alle deelnemers samen'."""
    klein = gegevens[(gegevens["gemeente"] == GEMEENTE) & gegevens["respondent"].isin(["p0", "v0", "v1"])]
    html = maak_voorbereiding_html(VoorbereidingInvoer(klein, stj, GEMEENTE, RONDE, rol_namen=ROL_NAMEN, datum=DATUM,
                                                       drempel=3))
    assert "Politiekorps-Zeldzaam" not in html and "Meldpunt-Zeldzaam" not in html
    assert "alleen cijfers van alle deelnemers samen" in html
    assert "Deelnemer <span" in html  # toelichtingen labelled 'Deelnemer'


def test_zonder_antwoorden_toch_een_document(stj):
    leeg = antwoorden()
    html = maak_voorbereiding_html(VoorbereidingInvoer(leeg, stj, GEMEENTE, RONDE, rol_namen=ROL_NAMEN,
                                                       datum=DATUM))
    assert "0 respondenten" in html and "Geen enkel onderdeel heeft een signaal" in html


def test_vingerafdruk_en_bestandsnaam(stj, gegevens):
    eerst = vingerafdruk(gegevens, _consensus(stj))
    assert eerst == vingerafdruk(gegevens.copy(), _consensus(stj))
    anders = gegevens.copy()
    anders.loc[0, "toelichting"] = "gewijzigd"
    assert vingerafdruk(anders, _consensus(stj)) != eerst
    assert vingerafdruk(gegevens, {}) != eerst
    assert bestandsnaam("voorbereiding-inspectiebezoek", "Den Bosch (fictief)", "2026 (demo)", "stj",
                        extensie="pdf") == (
        "voorbereiding-inspectiebezoek-den-bosch-fictief-2026-demo-stj.pdf"
    )
