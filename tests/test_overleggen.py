"""rapport/overleggen.py on hand-made inventories: the Ja/Nee matrix, the functions no
overleg performs, those many perform (the instrument's own rule), the summary and the CSV."""
from __future__ import annotations

import csv
import io

from rapport.overleggen import (
    VEEL_UITLEG,
    inventaris,
    is_veel,
    matrix_kolommen,
    matrix_rijen,
    overleggen_sectie,
    samenvatting,
    schrijf_overleggen_csv,
)

ROLNAMEN = {"wijkteam-cjg": "Wijkteam / CJG", "onderwijs": "Onderwijs", "jgz": "Jeugdgezondheidszorg"}
# four overleggen; by hand: signalering 4 of 4, informatie en advies 3 of 4 (many: >= 3 and >= half),
# doorverwijzen 2 of 4 (not many: fewer than 3), evaluatie and periodiek analyseren nowhere
OVERLEGGEN = [
    {"naam": "Wijkteamoverleg", "frequentie": "elke week", "voorzitter_rol": "wijkteam-cjg",
     "deelnemers": ["wijkteam-cjg", "jgz"], "functies": ["informatie-en-advies", "signalering", "coordinatie"]},
    {"naam": "Zorgadviesteam school", "frequentie": "maandelijks", "voorzitter_rol": "onderwijs",
     "deelnemers": ["onderwijs", "jgz"], "functies": ["informatie-en-advies", "signalering", "doorverwijzen"]},
    {"naam": "Buurtnetwerk", "functies": ["signalering", "doorverwijzen", "kortdurende-lichte-hulp"]},
    {"naam": "Casusoverleg", "functies": ["signalering", "informatie-en-advies"]},
]


def test_matrix_ja_nee_en_telling():
    inv = inventaris(OVERLEGGEN, ROLNAMEN)
    assert matrix_kolommen(inv) == ["Overleg", "Informatie en advies", "Signalering", "Kortdurende lichte hulp",
                                    "Doorverwijzen", "Coördinatie", "Evaluatie", "Periodiek analyseren van signalen"]
    rijen = matrix_rijen(inv)
    assert rijen[0] == ["Wijkteamoverleg", "Ja", "Ja", "Nee", "Nee", "Ja", "Nee", "Nee"]
    assert rijen[2] == ["Buurtnetwerk", "Nee", "Ja", "Ja", "Ja", "Nee", "Nee", "Nee"]
    assert rijen[-1] == ["Aantal overleggen", "3 van 4", "4 van 4", "1 van 4", "2 van 4", "1 van 4", "0 van 4", "0 van 4"]


def test_niet_vervuld_en_veel():
    inv = inventaris(OVERLEGGEN, ROLNAMEN)
    assert inv.niet_vervuld == ("evaluatie", "periodiek-analyseren-van-signalen")
    assert inv.veel == ("informatie-en-advies", "signalering")


def test_veel_is_minstens_drie_en_minstens_de_helft():
    assert not is_veel(2, 2) and not is_veel(2, 4)
    assert is_veel(3, 6) and not is_veel(3, 7) and is_veel(3, 3)
    assert not is_veel(0, 0)
    assert "eigen keuze van dit instrument" in VEEL_UITLEG


def test_samenvatting_in_gewone_woorden():
    tekst = samenvatting(inventaris(OVERLEGGEN, ROLNAMEN))
    assert tekst.startswith("Er staan 4 overleggen in de lijst.")
    assert "Deze functies vervult geen enkel overleg: evaluatie en periodiek analyseren van signalen." in tekst
    assert "veel overleggen: informatie en advies (3 van de 4) en signalering (4 van de 4)." in tekst
    assert samenvatting(inventaris([])) == "Er staan nog geen overleggen in de lijst."
    een = samenvatting(inventaris([{"naam": "Alles", "functies": list(inventaris([]).functies.ids)}]))
    assert een.startswith("Er staat 1 overleg") and "Elke functie wordt door minstens één overleg vervuld." in een
    assert "veel" not in een  # one overleg is never 'many'


def test_onbekende_functie_wordt_genegeerd_en_geen_overleggen_geen_gaten():
    inv = inventaris([{"naam": "X", "functies": ["signalering", "koffie"]}])
    assert inv.aantal_per_functie["signalering"] == 1 and "koffie" not in inv.aantal_per_functie
    assert inventaris([]).niet_vervuld == ()  # nothing listed yet: no claims about gaps


def test_csv_met_rolnamen_en_formules_geneutraliseerd():
    gevaarlijk = [*OVERLEGGEN, {"naam": "=HYPERLINK(\"x\")", "frequentie": "+1", "functies": []}]
    data = schrijf_overleggen_csv(inventaris(gevaarlijk, ROLNAMEN), bom=True)
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rijen = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rijen[0][:4] == ["overleg", "hoe vaak", "voorzitter (rol)", "deelnemende rollen"]
    assert rijen[0][4:] == ["informatie en advies", "signalering", "kortdurende lichte hulp", "doorverwijzen",
                            "coördinatie", "evaluatie", "periodiek analyseren van signalen"]
    assert rijen[1] == ["Wijkteamoverleg", "elke week", "Wijkteam / CJG", "Wijkteam / CJG; Jeugdgezondheidszorg",
                        "Ja", "Ja", "Nee", "Nee", "Ja", "Nee", "Nee"]
    assert rijen[-1][:2] == ["'=HYPERLINK(\"x\")", "'+1"]
    assert len(rijen) == 1 + len(gevaarlijk)


def test_pdf_sectie():
    assert overleggen_sectie(None) is None
    sectie = overleggen_sectie(OVERLEGGEN, ROLNAMEN)
    assert sectie["niet_vervuld"] == ["Evaluatie", "Periodiek analyseren van signalen"]
    assert sectie["bron"].startswith("RegioPlan") and "Tabel 2.2" in sectie["bron"]
    assert sectie["gegevens"][2] == ["Buurtnetwerk", "–", "–", "–"]
    assert len(sectie["functies"]) == 7
