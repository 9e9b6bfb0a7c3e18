"""rapport.inspectie: each flag fires and stays quiet on crafted data; `bezoek` gives the
sourced questions and methods of kader/werkwijze.yaml, never a sentence built around
kader text; the page shows them under the item's own headings."""
from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

from kader.model import Bron, Criterium, Indicator
from rapport.inspectie import (
    CONSENSUS_GRENS,
    GEEN_KOPPELING,
    GEEN_VRAGEN,
    GROEPSVERSCHIL_GRENS,
    MIN_MEDIAAN_LENGTE,
    MIN_TOELICHTINGEN,
    VLAG_KOLOMMEN,
    VLAGGEN,
    WEET_NIET_GRENS,
    bezoek,
    vlaggen,
    werkwijze_context,
)
from tests.fabriek import antwoorden, criterium, maak_kader

ROOT = Path(__file__).resolve().parent.parent
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


# --- bezoek: sourced questions and methods ---------------------------------------------------


@pytest.fixture(scope="module")
def werkwijze(kaders):
    from kader.werkwijze import laad_werkwijze

    w, fouten = laad_werkwijze(dict(kaders))
    assert not fouten, fouten
    return w


def _alle_bronteksten(werkwijze) -> set[str]:
    return {" ".join(v.tekst.split()) for v in werkwijze.vragen}


def test_bezoek_bij_een_stj_criterium(stj, werkwijze):
    c3 = stj.criterium("c3-veiligheid-signalering")
    b = bezoek(werkwijze, stj, c3)
    assert b["gekoppeld"] and b["uitleg"] == werkwijze.uitleg
    assert "keuze van dit instrument" in b["uitleg"]
    vragen = [v for g in b["vraaggroepen"] for v in g["vragen"]]
    assert vragen and set(vragen) <= _alle_bronteksten(werkwijze)
    # no question wraps kader text
    for tekst in [c3.tekst, *(i.tekst for i in c3.indicatoren)]:
        assert not any(" ".join(tekst.split()) in v for v in vragen)
    for g in b["vraaggroepen"]:
        assert g["bron"].startswith("JSO") and "Bijlage 3" in g["bron"]
        assert g["historisch"] == "historische bron (2011, vóór de Jeugdwet)"
    ids = [m["id"] for m in b["methoden"]]
    assert ids == [m.id for m in werkwijze.methoden if m.id in ids]  # the order of Kader 1
    assert b["methoden_bronnen"] and all("(2016), Kader 1 Werkwijze" in x for x in b["methoden_bronnen"])
    docs = {d["document"]: d for d in b["documenten"]}
    assert {"beleidsplannen", "convenanten", "beleidsnotities", "dossiers"} <= set(docs)
    assert docs["dossiers"]["partijen"] == ["duidende instanties"]


def test_methoden_alleen_waar_ze_passen(stj, kaders, werkwijze):
    """Not every method at every item: c1 (signaleren) has no dossieronderzoek, a
    succesfactor no vignettenmethode."""
    c1 = bezoek(werkwijze, stj, stj.criterium("c1-signalering"))
    assert "dossieronderzoek" not in {m["id"] for m in c1["methoden"]}
    rn = kaders["robuuste-netwerken"]
    sf = bezoek(werkwijze, rn, rn.criterium("sf8-heldere-regievoering"))
    assert {m["id"] for m in sf["methoden"]} == {"beleidsanalyse", "focusgroepen"}
    assert [v for g in sf["vraaggroepen"] for v in g["vragen"]] == [
        "Wie voert de regie op het overleg?", "Wie is verantwoordelijk voor de uitvoering van het overleg?"]


def test_geplaatst_zonder_vragen_dan_geen_verzonnen_vraag(kaders, werkwijze):
    rn = kaders["robuuste-netwerken"]
    b = bezoek(werkwijze, rn, rn.criterium("sf5-niet-alles-tegelijk"))
    assert b["gekoppeld"] and b["vraaggroepen"] == [] and b["geen_vragen"] == GEEN_VRAGEN
    assert b["documenten"]  # still the sourced documents of the beleidsanalyse


def test_niet_geplaatst_dan_alle_methoden_en_geen_vragen(werkwijze):
    c = KADER.criteria[0]
    b = bezoek(werkwijze, KADER, c)
    assert not b["gekoppeld"] and b["uitleg"] == GEEN_KOPPELING
    assert b["vraaggroepen"] == [] and b["geen_vragen"] == ""
    assert [m["id"] for m in b["methoden"]] == [m.id for m in werkwijze.methoden]
    assert {d["document"] for d in b["documenten"]} == {d for m in werkwijze.methoden for d in m.documenten}
    assert bezoek(None, KADER, c)["methoden"] == []


def test_werkwijze_context(werkwijze):
    ctx = werkwijze_context(werkwijze)
    assert [p["naam"] for p in ctx["partijen"]] == ["signalerende partijen", "duidende instanties"]
    assert all("§1.2" in p["bron"] and "002_" not in p["bron"] for p in ctx["partijen"])
    assert ctx["reflectiebijeenkomst"]["naam"] == "Reflectiebijeenkomst"
    assert werkwijze_context(None) == {"partijen": [], "reflectiebijeenkomst": None}


# --- the page: the PDF is made on request and then offered for download ---------------------


@pytest.mark.db
@pytest.mark.pdf
def test_pagina_biedt_de_voorbereiding_als_pdf(app_db):
    import io

    from pypdf import PdfReader
    from streamlit.testing.v1 import AppTest

    from toegang import Gebruiker
    from views.tekst import zichtbaar

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

    (_ronde_id, kader_id, *_), pdf = at.session_state["inspectiebezoek"]  # (ronde, kader, fingerprints...)
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

    # the page in Movisie's own words with the sourced questions; no hashed file name
    pagina = "\n".join(zichtbaar(m.value) for m in [*at.markdown, *at.caption])
    assert "**Succesfactor**" in pagina and "**Randvoorwaarde**" in pagina
    assert "Wanneer is het goed?" not in pagina and "Waaraan kun je dat zien?" not in pagina
    assert "Wie voert de regie op het overleg?" in pagina
    assert "historische bron (2011, vóór de Jeugdwet)" in pagina and "keuze van dit instrument" in pagina
    assert "Kunt u een recent voorbeeld" not in pagina
    assert not re.search(r"\d{3}_[0-9a-f]{16}\.txt", pagina)
