"""The section 'Overleggen in kaart' of the verbeterplan PDF: the matrix, the summary and
the bron, escaped like every supplied text; left out when no inventory is given."""
from __future__ import annotations

import pytest

from rapport.verbeterplan import maak_verbeterplan_html, maak_verbeterplan_pdf
from test_overleggen import OVERLEGGEN
from test_verbeterplan import alle_antwoorden, invoer, na_inhoud, pdf_tekst

ROLNAMEN = {"gemeente": "Gemeente", "wijkteam-cjg": "Wijkteam / CJG", "onderwijs": "Onderwijs",
            "jgz": "Jeugdgezondheidszorg"}
GEVAARLIJK = {"naam": '<img src="file:///etc/passwd"> overleg', "functies": ["signalering"]}


def test_html_sectie_met_matrix_en_bron():
    html = maak_verbeterplan_html(invoer(alle_antwoorden(), drempel=1, rol_namen=ROLNAMEN,
                                         overleggen=[*OVERLEGGEN, GEVAARLIJK]))
    assert '<section class="overleggen" id="overleggen">' in html
    assert '<a href="#overleggen">Overleggen in kaart</a>' in html
    assert '<th scope="row" class="label">Wijkteamoverleg</th><td class="ja">Ja</td><td class="ja">Ja</td><td>Nee</td>' in html
    assert "Deze functies vervult geen enkel overleg: evaluatie en periodiek analyseren van signalen." in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt; overleg" in html and "<img src" not in html
    assert "RegioPlan Beleidsonderzoek" in html and "000_5674429497a068b9" not in html
    assert "Wijkteam / CJG, Jeugdgezondheidszorg" in html  # rollen by their names


def test_zonder_inventaris_geen_sectie():
    html = maak_verbeterplan_html(invoer(alle_antwoorden(), drempel=1))
    assert 'id="overleggen"' not in html and "#overleggen" not in html


@pytest.mark.pdf
def test_pdf_sectie():
    pdf = maak_verbeterplan_pdf(invoer(alle_antwoorden(), drempel=1, rol_namen=ROLNAMEN, overleggen=OVERLEGGEN))
    tekst = na_inhoud(pdf_tekst(pdf))
    start = tekst.index("Overleggen in kaart")
    deel = " ".join(tekst[start:tekst.index("Gegevens in dit PDF-bestand", start)].split())
    for stuk in ("Er staan 4 overleggen in de lijst.", "Zorgadviesteam school", "Aantal overleggen", "4 van 4",
                 "Coördinatie", "tabel 2.2 van de bron", "eigen keuze van dit instrument"):
        assert stuk in deel, stuk
