"""rapport.inspectie: each flag fires and stays quiet on crafted data; the suggested
questions are built from the indicatoren and labelled as this instrument's suggestions."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from kader.model import Bron, Criterium, Indicator
from rapport.inspectie import (
    CONSENSUS_GRENS,
    GROEPSVERSCHIL_GRENS,
    METHODEN,
    MIN_MEDIAAN_LENGTE,
    MIN_TOELICHTINGEN,
    VLAG_KOLOMMEN,
    VLAGGEN,
    WEET_NIET_GRENS,
    vlaggen,
    voorbereiding,
)
from tests.fabriek import antwoorden, criterium, maak_kader

ROOT = Path(__file__).resolve().parent.parent
BRONNEN = ROOT.parent / "shared" / "bronnen"
CRITERIA = [
    "hoog_weinig", "hoog_kort", "hoog_goed", "precies_drie", "laag",
    "verdeeld", "groepskloof", "klein_verschil", "weet_niet_25", "weet_niet_20",
]


def _criterium(cid: str) -> Criterium:
    indicatoren = () if cid == "laag" else (
        Indicator(f"{cid}-i1", f"Indicator een van {cid}."),
        Indicator(f"{cid}-i2", f"Indicator twee van {cid}, met   extra   spaties."),
    )
    return criterium(cid, "T", tekst=f"Tekst van {cid}.", bron=Bron("bron.txt", f"criterium {cid}"),
                     indicatoren=indicatoren)


KADER = maak_kader({"T": [_criterium(c) for c in CRITERIA]})

G = ["g1", "g2", "g3"]  # rol gemeente
W = ["w1", "w2", "w3"]  # rol wijkteam; both groups have 3 respondents: both shown (drempel 3)
LANG = "We hebben dit vastgelegd in de werkafspraken van 2025 en het werkt."  # 68 characters
assert len(LANG) >= MIN_MEDIAAN_LENGTE


def _data() -> pd.DataFrame:
    r = []

    def zet(cid, scores, toelichtingen=None):
        toelichtingen = toelichtingen or [""] * 6
        for resp, score, tekst in zip(G + W, scores, toelichtingen):
            if score is not None:
                r.append((resp, "gemeente" if resp in G else "wijkteam", cid, score, tekst))

    # mean 4, only 1 of 6 scored answers has a toelichting (< 3)
    zet("hoog_weinig", ["4"] * 6, [LANG, "", "", "", "", ""])
    # mean 3, 6 toelichtingen but each "Goed." (5 characters): median 5 < 40
    zet("hoog_kort", ["3"] * 6, ["Goed."] * 6)
    # mean 3, 6 long toelichtingen: well substantiated
    zet("hoog_goed", ["3"] * 6, [LANG] * 6)
    # mean 4; exactly 3 scored answers with a toelichting (not fewer than 3); the
    # toelichting on the weet_niet answer does not count as onderbouwing
    zet("precies_drie", ["4", "4", "4", "4", "4", "weet_niet"], [LANG, LANG, LANG, "", "", LANG])
    # mean 1 without toelichtingen: not 'hoog gescoord'
    zet("laag", ["1"] * 6)
    # 1,4,nvt / 1,4,nvt: both groups have 2 scores (suppressed: no group comparison);
    # all: 1,4,1,4 -> consensus 0
    zet("verdeeld", ["1", "4", "nvt", "1", "4", "nvt"])
    # gemeente 4,4,4 vs wijkteam 3,3,3: exactly 1 point apart; consensus of 4,4,4,3,3,3:
    #   mu 3.5, each 0.5 away: log2(1 - 0.5/3) = log2(5/6) = -0.263 -> 0.737 (not < 0.5)
    zet("groepskloof", ["4", "4", "4", "3", "3", "3"], [LANG] * 6)
    # gemeente 4,4,4 vs wijkteam 4,4,3: 1/3 apart; consensus high
    zet("klein_verschil", ["4", "4", "4", "4", "4", "3"], [LANG] * 6)
    # 1 weet_niet of 4 answers (w2, w3 did not answer) = 25%
    zet("weet_niet_25", ["weet_niet", "2", "2", "2", None, None])
    # 1 weet_niet of 5 answers = 20%
    zet("weet_niet_20", ["weet_niet", "2", "2", "2", "2", None])
    return antwoorden(*r)


DATA = _data()


@pytest.fixture(scope="module")
def tabel():
    return vlaggen(DATA, KADER, drempel=3).set_index("id")


def test_drempels_zijn_benoemd():
    assert (MIN_TOELICHTINGEN, MIN_MEDIAAN_LENGTE) == (3, 40)
    assert (CONSENSUS_GRENS, GROEPSVERSCHIL_GRENS, WEET_NIET_GRENS) == (0.5, 1.0, 0.25)


def test_kolommen(tabel):
    assert list(tabel.reset_index().columns) == ["id", *[k for k in VLAG_KOLOMMEN if k != "id"]]
    assert list(tabel.index) == CRITERIA


def actief(tabel, cid):
    return {v for v in VLAGGEN if tabel.at[cid, v]}


def test_dunne_onderbouwing_te_weinig_toelichtingen(tabel):
    assert actief(tabel, "hoog_weinig") == {"dunne_onderbouwing"}
    uitleg = tabel.at["hoog_weinig", "dunne_onderbouwing_uitleg"]
    assert "Gemiddeld 4 (sterk punt vanaf 3)" in uitleg
    assert "slechts 1 van de 6 gescoorde antwoorden heeft een toelichting" in uitleg
    assert "minimaal 3" in uitleg


def test_dunne_onderbouwing_te_korte_toelichtingen(tabel):
    assert actief(tabel, "hoog_kort") == {"dunne_onderbouwing"}
    assert tabel.at["hoog_kort", "toelichtingen"] == 6
    assert tabel.at["hoog_kort", "mediaan_lengte_toelichting"] == 5
    uitleg = tabel.at["hoog_kort", "dunne_onderbouwing_uitleg"]
    assert "Gemiddeld 3 (sterk punt vanaf 3)" in uitleg and "mediaan 5 tekens" in uitleg


def test_dunne_onderbouwing_vuurt_niet(tabel):
    assert actief(tabel, "hoog_goed") == set()
    assert tabel.at["hoog_goed", "dunne_onderbouwing_uitleg"] == ""
    # exactly MIN_TOELICHTINGEN (3) on scored answers: not 'fewer than'; the toelichting of
    # the weet_niet answer does not count as onderbouwing
    assert tabel.at["precies_drie", "toelichtingen"] == 3
    assert not tabel.at["precies_drie", "dunne_onderbouwing"]
    # low mean: no flag however thin
    assert not tabel.at["laag", "dunne_onderbouwing"]
    # one more required toelichting and precies_drie fires
    strenger = vlaggen(DATA, KADER, drempel=3, min_toelichtingen=4).set_index("id")
    assert strenger.at["precies_drie", "dunne_onderbouwing"]


def test_grote_onenigheid_door_lage_consensus(tabel):
    assert actief(tabel, "verdeeld") == {"grote_onenigheid"}
    assert tabel.at["verdeeld", "consensus"] == pytest.approx(0.0, abs=1e-12)
    assert math.isnan(tabel.at["verdeeld", "groepsverschil"])  # both groups suppressed
    uitleg = tabel.at["verdeeld", "grote_onenigheid_uitleg"]
    assert "De consensus is 0 (onder 0,5)" in uitleg and "4 scores" in uitleg
    assert "Tussen de groepen" not in uitleg


def test_grote_onenigheid_door_groepsverschil(tabel):
    assert actief(tabel, "groepskloof") == {"grote_onenigheid"}
    assert tabel.at["groepskloof", "groepsverschil"] == pytest.approx(1.0)
    assert tabel.at["groepskloof", "consensus"] == pytest.approx(0.736966, abs=1e-6)
    uitleg = tabel.at["groepskloof", "grote_onenigheid_uitleg"]
    assert uitleg == ("Tussen de groepen zit 1 punt verschil: gemeente gemiddeld 4, wijkteam "
                      "gemiddeld 3 (grens 1 punt).")


def test_grote_onenigheid_vuurt_niet(tabel):
    assert tabel.at["klein_verschil", "groepsverschil"] == pytest.approx(1 / 3)
    assert actief(tabel, "klein_verschil") == set()
    assert not tabel.at["hoog_goed", "grote_onenigheid"]  # full agreement


def test_veel_weet_niet(tabel):
    assert actief(tabel, "weet_niet_25") == {"veel_weet_niet"}
    assert tabel.at["weet_niet_25", "veel_weet_niet_uitleg"] == (
        "1 van de 4 antwoorden (25%) is 'weet niet' (grens 25%)."
    )
    assert tabel.at["weet_niet_20", "aandeel_weet_niet"] == pytest.approx(0.2)
    assert not tabel.at["weet_niet_20", "veel_weet_niet"]
    assert tabel.at["weet_niet_20", "veel_weet_niet_uitleg"] == ""


def test_getallen_in_het_nederlands():
    from rapport.inspectie import _getal, _procent

    assert [_getal(3.0), _getal(3.25), _getal(1 / 3), _getal(20, 0), _getal(0.0)] == ["3", "3,25", "0,33", "20", "0"]
    assert _procent(0.2) == "20%" and _procent(0.4167) == "42%"


def test_aantal_vlaggen(tabel):
    assert tabel["aantal_vlaggen"].to_dict() == {
        "hoog_weinig": 1, "hoog_kort": 1, "hoog_goed": 0, "precies_drie": 0, "laag": 0,
        "verdeeld": 1, "groepskloof": 1, "klein_verschil": 0, "weet_niet_25": 1, "weet_niet_20": 0,
    }


# --- voorbereiding ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def plan():
    return voorbereiding(DATA, KADER, drempel=3)


def test_alleen_gevlagde_criteria(plan):
    assert [p["id"] for p in plan] == ["hoog_weinig", "hoog_kort", "verdeeld", "groepskloof", "weet_niet_25"]
    p = plan[0]
    assert p["vlaggen"][0]["label"] == "hoog gescoord, dunne onderbouwing"
    assert p["vlaggen"][0]["uitleg"].startswith("Gemiddeld 4")


def test_interviewvragen_bevatten_de_indicator(plan):
    for p in plan:
        criterium = KADER.criterium(p["id"])
        vragen = {s["indicator"]: s["tekst"] for s in p["suggesties"]
                  if s["methode"] == "interviews" and s["indicator"]}
        assert set(vragen) == {i.id for i in criterium.indicatoren}
        for ind in criterium.indicatoren:
            schoon = " ".join(ind.tekst.split())
            assert schoon in vragen[ind.id]
            assert vragen[ind.id].startswith("Kunt u een recent voorbeeld geven waaruit blijkt dat: ")
            assert vragen[ind.id].endswith("?")
        documenten = [s for s in p["suggesties"] if s["methode"] == "dossieronderzoek"]
        assert {s["indicator"] for s in documenten} == {i.id for i in criterium.indicatoren}
        assert all(s["soort"] == "document" for s in documenten)


def test_methoden_bron_en_herkomst(plan):
    for p in plan:
        assert p["bron"].endswith("(2016), Kader 1 Werkwijze") and "002_" not in p["bron"]
        assert "Suggestie van dit instrument" in p["herkomst"]
        assert {s["methode"] for s in p["suggesties"]} == set(METHODEN)
        for s in p["suggesties"]:
            assert s["methode"] in {"dossieronderzoek", "interviews", "vignetten", "focusgroepen"}
            assert s["methode_naam"] == METHODEN[s["methode"]]
            assert s["bron"].endswith("(2016), Kader 1 Werkwijze") and "002_" not in s["bron"]
            assert "Suggestie van dit instrument" in s["herkomst"]


def test_focusgroep_volgt_de_vlag(plan):
    per_id = {p["id"]: p for p in plan}

    def focus(cid):
        [s] = [s for s in per_id[cid]["suggesties"] if s["methode"] == "focusgroepen"]
        return s["tekst"]

    assert "uiteenlopen" in focus("groepskloof") and "Tekst van groepskloof." in focus("groepskloof")
    assert "onderbouwen" in focus("hoog_kort")
    assert "'weet niet'" in focus("weet_niet_25")
    wie = [s for s in per_id["weet_niet_25"]["suggesties"] if s["methode"] == "interviews" and not s["indicator"]]
    assert len(wie) == 1 and "kan beoordelen" in wie[0]["tekst"]


def test_zonder_indicatoren_de_criteriumtekst():
    kader = maak_kader({"T": [_criterium("laag")]}, titel="T")
    data = DATA[DATA["criterium"] == "laag"].assign(score=["1", "4", "1", "4", "1", "4"])
    [p] = voorbereiding(data, kader, drempel=3)
    vragen = [s["tekst"] for s in p["suggesties"] if s["methode"] == "interviews"]
    assert vragen == ["Kunt u een recent voorbeeld geven waaruit blijkt dat: ‘Tekst van laag.’?"]


@pytest.mark.skipif(not BRONNEN.is_dir(), reason="shared/bronnen ontbreekt naast de repository")
def test_methoden_staan_in_kader_1_van_bron_002():
    tekst = (BRONNEN / "002_7cda73b5febe7485.txt").read_text(encoding="utf-8")
    kader1 = tekst[tekst.index("Kader 1"):tekst.index("Reflectiebijeenkomst")]
    assert "Werkwijze" in kader1
    for naam in METHODEN.values():
        assert f"{naam}:" in kader1, naam


def test_echt_kader_gebruikt_de_echte_indicatoren(stj):
    c = stj.criteria[0]
    data = antwoorden(*[(f"r{i}", "gemeente", c.id, "weet_niet") for i in range(3)], kader=stj.id)
    [p] = voorbereiding(data, stj, drempel=3)
    assert p["id"] == c.id and [v["vlag"] for v in p["vlaggen"]] == ["veel_weet_niet"]
    teksten = " ".join(s["tekst"] for s in p["suggesties"])
    for ind in c.indicatoren:
        assert " ".join(ind.tekst.split()) in teksten


# --- the page: the PDF is made on request and then offered for download ---------------------


@pytest.mark.db
@pytest.mark.pdf
def test_pagina_biedt_de_voorbereiding_als_pdf(app_db):
    import io

    from pypdf import PdfReader
    from streamlit.testing.v1 import AppTest

    from toegang import Gebruiker

    inspecteur = Gebruiker("demo-inspecteur", "inspecteur", frozenset({"*"}), demo=True)
    at = AppTest.from_file(str(ROOT / "views" / "inspectie.py"), default_timeout=120)
    at.session_state["gebruiker"] = inspecteur
    at.run()
    assert not at.exception, at.exception
    # lazily: no PDF (and no download) until asked for
    assert not at.get("download_button")
    maak = [b for b in at.button if b.label == "Maak de voorbereiding (PDF)"]
    assert len(maak) == 1
    maak[0].click().run()
    assert not at.exception, at.exception
    [download] = at.get("download_button")
    assert download.proto.label == "Download de voorbereiding (PDF)"
    assert not [b for b in at.button if b.label == "Maak de voorbereiding (PDF)"]  # made once, kept

    (_ronde_id, kader_id, _), pdf = at.session_state["inspectiebezoek"]
    assert kader_id == "stj-stelseltoezicht-jeugd"  # the kader selected on the page
    reader = PdfReader(io.BytesIO(pdf))
    tekst = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Voorbereiding inspectiebezoek" in tekst and "(fictief)" in tekst
    assert reader.metadata.title.startswith("Voorbereiding inspectiebezoek ")

    # a rerun with the same answers keeps the PDF; another kader asks for a new one
    at.run()
    assert at.get("download_button")
    next(s for s in at.selectbox if s.label == "Kader").set_value("robuuste-netwerken").run()
    assert not at.exception, at.exception
    assert not at.get("download_button")
    assert [b for b in at.button if b.label == "Maak de voorbereiding (PDF)"]
