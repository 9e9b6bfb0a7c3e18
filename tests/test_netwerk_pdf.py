"""The samenwerkingskaart section in both PDFs (issue 15): the verbeterplan and the
voorbereiding inspectiebezoek show the picture (with its summary as alternative text),
the summary and the matrix, the ladder with its bron; left out without a samenwerking
frame, a short sentence when this gemeente and ronde have none."""
from __future__ import annotations

import io

import pandas as pd
import pytest
from pypdf import PdfReader

from rapport.inspectiebezoek import VoorbereidingInvoer, maak_voorbereiding_html, maak_voorbereiding_pdf
from rapport.verbeterplan import VerbeterplanInvoer, maak_verbeterplan_html, maak_verbeterplan_pdf
from tests import fabriek
from tests.test_netwerk import RIJEN, ROL_NAMEN, _csv
from uitwisselformaat.samenwerking import lees_samenwerking_csv

KADER = fabriek.maak_kader(["a", "b"], "k")
GEMEENTE, RONDE = "Testdorp", "2026"
KWAADAARDIG_ROL = "onderwijs"


def _antwoorden() -> pd.DataFrame:
    rijen = [(f"r{i}", rol, c, str(1 + (i % 4)), "") for i, rol in enumerate(["gemeente"] * 3 + ["onderwijs"] * 3)
             for c in ("a", "b")]
    return fabriek.antwoorden(*rijen, gemeente=GEMEENTE, ronde=RONDE, kader="k")


def _samenwerking() -> pd.DataFrame:
    eigen = lees_samenwerking_csv(_csv())
    # another gemeente in the same frame: filtered out (its asymmetry would show otherwise)
    ander = lees_samenwerking_csv(_csv([(f"x{r}", "politie", "gemeente", "5") for r, *_ in RIJEN[:3]],
                                       gemeente="Elders"))
    return pd.concat([eigen, ander], ignore_index=True)


def _tekst(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.fixture(scope="module")
def plan_pdf() -> bytes:
    return maak_verbeterplan_pdf(VerbeterplanInvoer(_antwoorden(), KADER, GEMEENTE, RONDE, rol_namen=ROL_NAMEN,
                                                    samenwerking=_samenwerking(), drempel=3))


@pytest.fixture(scope="module")
def voorbereiding_pdf() -> bytes:
    return maak_voorbereiding_pdf(VoorbereidingInvoer(_antwoorden(), KADER, GEMEENTE, RONDE, rol_namen=ROL_NAMEN,
                                                      samenwerking=_samenwerking(), drempel=3))


def _controleer(tekst: str) -> None:
    assert "Samenwerkingskaart" in tekst
    assert "Met wie werkt u samen rond een gezin, en hoe ver gaat dat meestal?" in tekst
    # the summary
    assert "Onderwijs zegt over Wijkteam / CJG meestal tussen ‘informeren’ en ‘afstemmen’ (1,5)" in tekst
    assert "1 paar is niet getoond" in tekst
    # the matrix, with its header
    assert "Van \\ naar" in tekst and "Mediaan per paar" in tekst
    # the ladder and its bron; the question is the instrument's own
    assert "Coördinatie van zorg in samenhang met inzet gezinscoaching" in tekst
    assert "Bron van de ladder: Universiteit Twente, Samen werken aan zorg voor jeugd" in tekst
    assert "van dit instrument zelf" in tekst
    assert "Elders" not in tekst and "003_" not in tekst


@pytest.mark.pdf
def test_verbeterplan_has_the_section(plan_pdf):
    tekst = _tekst(plan_pdf)
    _controleer(tekst)
    assert tekst.count("Samenwerkingskaart") >= 2  # also in the table of contents


@pytest.mark.pdf
def test_voorbereiding_has_the_section(voorbereiding_pdf):
    _controleer(_tekst(voorbereiding_pdf))


def test_the_picture_has_the_summary_as_its_alternative_text():
    html = maak_verbeterplan_html(VerbeterplanInvoer(_antwoorden(), KADER, GEMEENTE, RONDE, rol_namen=ROL_NAMEN,
                                                     samenwerking=_samenwerking(), drempel=3))
    assert 'aria-label="Samenwerkingskaart: pijlen tussen de rollen. De samenwerking gaat het verst' in html
    assert '<table class="samenwerking"' in html and "<td>1,5</td>" in html


def test_without_samenwerking_the_section_is_left_out_and_empty_says_so():
    zonder = maak_verbeterplan_html(VerbeterplanInvoer(_antwoorden(), KADER, GEMEENTE, RONDE))
    assert 'id="samenwerkingskaart"' not in zonder and "#samenwerkingskaart" not in zonder
    leeg = maak_voorbereiding_html(VoorbereidingInvoer(_antwoorden(), KADER, GEMEENTE, "andere ronde",
                                                       samenwerking=_samenwerking()))
    assert 'id="samenwerkingskaart"' in leeg
    assert "In deze ronde is de samenwerkingskaart niet ingevuld." in leeg
    assert "<svg" not in leeg.split('id="samenwerkingskaart"')[1]


def test_rol_names_are_escaped():
    namen = ROL_NAMEN | {"onderwijs": '<img src="file:///etc/passwd">'}
    html = maak_voorbereiding_html(VoorbereidingInvoer(_antwoorden(), KADER, GEMEENTE, RONDE, rol_namen=namen,
                                                       samenwerking=_samenwerking(), drempel=3))
    deel = html.split('id="samenwerkingskaart"')[1]
    assert '<img src="file' not in deel and "&lt;img" in deel


@pytest.mark.pdf
def test_cli_voorbereiding_with_samenwerking(tmp_path, capsys):
    import rapport.__main__ as cli
    from kader import laad_kaders
    from tests.test_netwerk import _csv as samenwerking_csv
    from uitwisselformaat import schrijf_csv

    kader = laad_kaders().kaders["stj-stelseltoezicht-jeugd"]
    rijen = [(f"r{i}", rol, c.id, "3", "") for i, rol in enumerate(["gemeente"] * 3 + ["onderwijs"] * 3)
             for c in kader.criteria[:2]]
    antwoorden = tmp_path / "antwoorden.csv"
    antwoorden.write_bytes(schrijf_csv(fabriek.antwoorden(*rijen, gemeente=GEMEENTE, ronde=RONDE, kader=kader.id)))
    kaart = tmp_path / "kaart.csv"
    kaart.write_bytes(samenwerking_csv())
    uit = tmp_path / "voorbereiding.pdf"
    code = cli.main(["voorbereiding", "--antwoorden", str(antwoorden), "--kader", kader.id, "--gemeente", GEMEENTE,
                     "--ronde", RONDE, "--out", str(uit), "--samenwerking", str(kaart)])
    assert code == 0, capsys.readouterr().err
    assert "Mediaan per paar" in _tekst(uit.read_bytes())
    kaart.write_bytes(b"gemeente,ronde,respondent,rol,partner,niveau,toelichting\nA,1,r1,onderwijs,politie,9,\n")
    code = cli.main(["voorbereiding", "--antwoorden", str(antwoorden), "--kader", kader.id, "--gemeente", GEMEENTE,
                     "--ronde", RONDE, "--out", str(uit), "--samenwerking", str(kaart)])
    fout = capsys.readouterr().err
    assert code == 1 and "rij 2, kolom 'niveau'" in fout


# --- accessibility of the section: the checks of test_pdf_toegankelijk on PDFs with it --------

TOEGANKELIJK = ("test_getagd_met_taal_titel_en_bladwijzers", "test_identificatie_pdfa_3a_en_pdfua_1",
                "test_koppen_beginnen_bij_h1_en_slaan_geen_niveau_over",
                "test_tabellen_met_kopcellen_scope_en_headers", "test_alle_inhoud_in_de_boom_of_artefact",
                "test_leesvolgorde_is_de_volgorde_op_de_pagina", "test_pikepdf_pdfa_validator")


@pytest.mark.pdf
@pytest.mark.parametrize("controle", TOEGANKELIJK)
@pytest.mark.parametrize("naam", ["plan_pdf", "voorbereiding_pdf"])
def test_section_keeps_the_pdf_accessible(request, naam, controle):
    from tests import test_pdf_toegankelijk

    getattr(test_pdf_toegankelijk, controle)((naam, request.getfixturevalue(naam)))


@pytest.mark.pdf
@pytest.mark.parametrize("naam", ["plan_pdf", "voorbereiding_pdf"])
def test_section_passes_the_pdfua_checker_and_its_figure_has_the_summary(request, naam, tmp_path):
    from tests import test_pdf_toegankelijk

    data = request.getfixturevalue(naam)
    test_pdf_toegankelijk.test_onafhankelijke_pdfua_checker((naam, data), tmp_path)
    alts = [a for a in test_pdf_toegankelijk._figuren(data) if a.startswith("Samenwerkingskaart")]
    assert len(alts) == 1 and "zegt over" in alts[0]
