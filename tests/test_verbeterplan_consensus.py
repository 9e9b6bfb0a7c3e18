"""Issue 11, point 5: the workshop's agreed score (consensus) beside the mean in the verbeterplan.

The rule (`rapport.verbeterplan.GROOT_VERSCHIL`) names a large gap in words; a withheld
criterium (rapport.anonimiteit) shows the consensus but no mean, distribution or gap.
Logic, PDF text and the page (AppTest on the demo database).
"""
from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pikepdf.pdfa
import pytest
from pypdf import PdfReader

from rapport.anonimiteit import TE_WEINIG
from rapport.verbeterplan import (
    GROOT_VERSCHIL,
    afspraken,
    maak_verbeterplan_html,
    maak_verbeterplan_pdf,
    verschil_tekst,
)
from tests import fabriek
from tests.test_pdf_toegankelijk import pdfa_bevindingen
from tests.test_verbeterplan import KADER, alle_antwoorden, antwoorden, invoer

MOTIVATIE = "Wij zien <b>meer</b> dan de scores zeggen."
CONSENSUS = {
    (KADER.id, "a"): ("4", MOTIVATIE, None),  # mean 2,0 -> 2,0 higher
    (KADER.id, "b"): ("3", "", None),  # mean 3,5 -> 0,5 lower: not named
    (KADER.id, "d"): ("weet_niet", "Niemand wist het.", None),  # no scores: no gap
}


def test_de_regel_noemt_een_groot_verschil_met_decimale_komma():
    assert GROOT_VERSCHIL == 1.0
    assert verschil_tekst(1.3) == "De afgesproken score ligt 1,3 hoger dan het gemiddelde."
    assert verschil_tekst(-1.0) == "De afgesproken score ligt 1,0 lager dan het gemiddelde."
    assert verschil_tekst(0.9) == verschil_tekst(-0.9) == verschil_tekst(None) == ""


def test_afspraken_naast_gemiddelde_en_verdeling():
    rijen = {r["id"]: r for r in afspraken(KADER, antwoorden(), CONSENSUS)}
    a, b, c, d = (rijen[x] for x in "abcd")
    assert a["gemiddelde"] == 2.0 and a["verdeling"] == "1: 0 · 2: 2 · 3: 0 · 4: 0"
    assert a["afgesproken"] == {"waarde": "4", "score": "4 – " + KADER.schaal.label("4"), "motivatie": MOTIVATIE}
    assert a["verschil"] == 2.0 and a["verschil_label"] == "+2,0"
    assert a["verschil_tekst"] == "De afgesproken score ligt 2,0 hoger dan het gemiddelde."
    assert b["verschil"] == -0.5 and b["verschil_tekst"] == "" and b["verschil_label"] == "−0,5"
    assert c["afgesproken"] is None and c["verschil"] is None
    assert d["gemiddelde"] is None and d["verschil"] is None and d["afgesproken"]["score"] == "Weet niet"


def test_gemiddelde_afgerond_zoals_getoond():
    """The gap is taken from the mean as shown (one decimal), so the words match the numbers."""
    df = fabriek.antwoorden(("r1", "gemeente", "a", "1", ""), ("r2", "gemeente", "a", "2", ""),
                            ("r3", "gemeente", "a", "2", ""), kader=KADER.id)  # mean 1,666.. -> 1,7
    [rij] = [r for r in afspraken(KADER, df, {(KADER.id, "a"): ("3", "", None)}) if r["id"] == "a"]
    assert rij["verschil_tekst"] == "De afgesproken score ligt 1,3 hoger dan het gemiddelde."


def test_ingehouden_criterium_toont_de_afspraak_maar_geen_gemiddelde_of_verschil():
    rijen = {r["id"]: r for r in afspraken(KADER, antwoorden(), CONSENSUS, te_weinig={"a"})}
    a = rijen["a"]
    assert a["te_weinig"] and a["afgesproken"]["score"].startswith("4")
    assert a["gemiddelde"] is None and a["verdeling"] == "" and a["verschil"] is None and a["verschil_tekst"] == ""


def test_html_zonder_consensus_geen_afspraken():
    html = maak_verbeterplan_html(invoer(alle_antwoorden(), drempel=1))
    assert "Afgesproken in de workshop" not in html and "<section class=\"afspraken\"" not in html


def _tekst(pdf: bytes) -> str:
    return " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return maak_verbeterplan_pdf(invoer(alle_antwoorden(), drempel=1, consensus=CONSENSUS))


@pytest.mark.pdf
def test_pdf_toont_afspraak_motivatie_en_verschil(pdf):
    tekst = _tekst(pdf)
    assert "Afgesproken in de workshop" in tekst
    assert "Afgesproken score: 4 – " + KADER.schaal.label("4") in tekst
    assert "gemiddelde 2,0 · verdeling 1: 0 · 2: 2 · 3: 0 · 4: 0 (n = 2)" in tekst
    assert "De afgesproken score ligt 2,0 hoger dan het gemiddelde." in tekst
    assert MOTIVATIE in tekst  # escaped, shown as text
    assert "0,5 lager" not in tekst  # a small gap is not named
    assert "Niemand wist het." in tekst


@pytest.mark.pdf
def test_pdf_met_consensus_blijft_pdfa(pdf):
    assert pdfa_bevindingen(pdf) == []  # PDF/A-3a: see test_pdf_toegankelijk
    with pikepdf.open(io.BytesIO(pdf)) as p:
        assert p.open_metadata()["pdfaid:part"] == "3"


@pytest.mark.pdf
def test_pdf_ingehouden_criterium_toont_alleen_de_afspraak():
    # drempel 3: Utrecht has 2 respondents, so every criterium is withheld
    tekst = _tekst(maak_verbeterplan_pdf(invoer(alle_antwoorden(), drempel=3, consensus=CONSENSUS)))
    assert "Afgesproken score: 4 – " + KADER.schaal.label("4") in tekst
    assert "gemiddelde en verdeling: " + TE_WEINIG.lower() in tekst
    assert "De afgesproken score ligt" not in tekst
    assert "verdeling 1:" not in tekst


# --- the page ---------------------------------------------------------------------------------

PAGINA = str(Path(__file__).resolve().parent.parent / "views" / "verbeterplan.py")


def _run():
    from streamlit.testing.v1 import AppTest

    from toegang import Gebruiker

    at = AppTest.from_file(PAGINA, default_timeout=90)
    at.session_state["gebruiker"] = Gebruiker("demo-facilitator", "facilitator", frozenset({"*"}), demo=True)
    at.run()
    assert not at.exception, at.exception
    return at


def _zet_consensus(app_db, ronde_id: int, kader_id: str, criterium_id: str, score: str) -> None:
    from storage import repository as repo
    from storage.bereik import SYSTEEM
    from storage.db import maak_engine

    eng = maak_engine(app_db)
    if next(r for r in repo.rondes(eng) if r.id == ronde_id).status != "open":
        repo.zet_ronde_status(eng, ronde_id, "open", door=SYSTEEM)
    repo.bewaar_consensus(eng, ronde_id, kader_id, criterium_id, score, MOTIVATIE, door=SYSTEEM)


def _page_tekst(at) -> str:
    delen = [m.value for m in at.markdown] + [t.value for t in at.text] + [c.value for c in at.caption]
    return "\n".join(str(d) for d in delen)


@pytest.mark.db
def test_pagina_toont_afspraak_naast_gemiddelde_en_noemt_het_verschil(app_db, kaders):
    from rapport.anonimiteit import onderdruk
    from storage import repository as repo
    from storage.db import maak_engine

    at = _run()
    ronde_id = at.session_state["ronde_keuze"]
    kader_id = next(s for s in at.selectbox if s.label == "Kader").value
    eng = maak_engine(app_db)
    kader = kaders[kader_id]
    rijen = afspraken(kader, onderdruk(repo.antwoorden_df(eng, ronde_id)), None)
    rij = next(r for r in rijen if r["gemiddelde"] is not None)
    gemiddelde = round(rij["gemiddelde"], 1)
    score = "4" if gemiddelde < 2.5 else "1"
    verwacht = verschil_tekst(round(int(score) - gemiddelde, 1))
    assert verwacht  # at least 1,5 points apart
    _zet_consensus(app_db, ronde_id, kader_id, rij["id"], score)

    at = _run()
    tekst = _page_tekst(at)
    assert verwacht in tekst
    assert MOTIVATIE in [t.value for t in at.text]  # the motivatie as plain text
    [tabel] = [d for d in at.dataframe if "Afgesproken" in d.value.columns]
    regel = tabel.value.set_index("Onderdeel").loc[rij["kort"]]
    assert regel["Afgesproken"].startswith(score + " – ")
    assert regel["Gemiddelde"] == f"{gemiddelde:.1f}".replace(".", ",")
    assert regel["Verdeling"].startswith("1: ")


@pytest.mark.db
def test_pagina_ingehouden_criterium_toont_afspraak_zonder_gemiddelde(app_db, monkeypatch, kaders):
    monkeypatch.setenv("ZBT_ANONIMITEIT_DREMPEL", "10000")  # every criterium withheld
    at = _run()
    ronde_id = at.session_state["ronde_keuze"]
    kader_id = next(s for s in at.selectbox if s.label == "Kader").value
    _zet_consensus(app_db, ronde_id, kader_id, kaders[kader_id].criteria[0].id, "4")
    at = _run()
    [tabel] = [d for d in at.dataframe if "Afgesproken" in d.value.columns]
    assert set(tabel.value["Gemiddelde"]) == {TE_WEINIG}
    assert set(tabel.value["Verdeling"]) == {""}
    assert (tabel.value["Afgesproken"].str.startswith("4 – ")).sum() == 1
    assert set(tabel.value["Verschil"]) == {"–"}
    assert "De afgesproken score ligt" not in _page_tekst(at)

