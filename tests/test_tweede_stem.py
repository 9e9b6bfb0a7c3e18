"""The agreement measure and the before/after table of the second vote (rapport/tweede_stem.py)."""
from __future__ import annotations

import math

import pytest

from fabriek import antwoorden, criterium, maak_kader
from rapport import statistiek
from rapport.tweede_stem import (
    EERSTE,
    TWEEDE,
    eensgezindheid,
    in_het_kort,
    tabel,
    verdeling_voor_na,
    verschuivingen,
)

KADER = maak_kader([criterium("c1", kort="Samen plannen"), criterium("c2", kort="Signaleren"), "c3"])


def test_alle_scores_gelijk_is_1():
    assert eensgezindheid(["3", "3", "3", "3"]) == 1.0
    assert eensgezindheid(["1"]) == 1.0


def test_gesplitst_tussen_de_uitersten_is_0():
    # mu = 2.5, |1 - 2.5| / 3 = |4 - 2.5| / 3 = 0.5, log2(0.5) = -1: 1 + 0.5*(-1) + 0.5*(-1) = 0
    assert eensgezindheid(["1", "4", "1", "4"]) == pytest.approx(0.0)


def test_met_de_hand_berekend():
    # scores 2, 3, 3, 4 on 1..4 (d = 3): mu = 3
    # 2: p = 1/4, log2(1 - 1/3) = log2(2/3) = -0.5849625
    # 3: p = 2/4, log2(1) = 0
    # 4: p = 1/4, log2(2/3) = -0.5849625
    # 1 + 0.25*(-0.5849625) + 0.25*(-0.5849625) = 1 - 0.2924813 = 0.7075187
    assert eensgezindheid(["2", "3", "3", "4"]) == pytest.approx(0.7075187, abs=1e-6)
    # scores 1, 1, 2, 4: mu = 2
    # 1: p = 1/2, log2(1 - 1/3) = -0.5849625 -> -0.2924813
    # 2: p = 1/4, log2(1) = 0
    # 4: p = 1/4, log2(1 - 2/3) = log2(1/3) = -1.5849625 -> -0.3962406
    # 1 - 0.2924813 - 0.3962406 = 0.3112781
    assert eensgezindheid(["1", "1", "2", "4"]) == pytest.approx(0.3112781, abs=1e-6)


def test_zelfde_als_de_consensus_in_de_analyse():
    """One formula in the app: the consensus column of rapport.statistiek gives the same."""
    df = antwoorden(("r1", "gemeente", "c1", "1"), ("r2", "gemeente", "c1", "1"),
                    ("r3", "gemeente", "c1", "2"), ("r4", "gemeente", "c1", "4"))
    s = statistiek.lees_scores(df, KADER)
    uit = statistiek.per_groep(s.criterium, len(KADER.criteria), s.score, s.weet_niet, s.nvt,
                               schaal=KADER.schaal.waarden)
    assert uit["consensus"][0] == pytest.approx(eensgezindheid(df["score"], KADER.schaal.waarden))


def test_weet_niet_en_nvt_tellen_niet_mee():
    assert eensgezindheid(["3", "weet_niet", "nvt", "3", ""]) == 1.0
    assert eensgezindheid(["weet_niet", "nvt"]) is None
    assert eensgezindheid([]) is None


def test_schaalbreedte_telt():
    # 1 and 2 on a 1..2 scale are the extremes (0); on a 1..4 scale they are close
    assert eensgezindheid(["1", "2"], schaal=(1, 2)) == pytest.approx(0.0)
    # mu = 1.5, |x - mu| / 3 = 1/6, log2(5/6) = -0.2630344: 1 - 0.2630344 = 0.7369656
    assert eensgezindheid(["1", "2"]) == pytest.approx(0.7369656, abs=1e-6)


def _eerste_en_tweede():
    eerste = antwoorden(
        ("r1", "gemeente", "c1", "1"), ("r2", "gemeente", "c1", "4"), ("r3", "wijkteam", "c1", "1"),
        ("r4", "wijkteam", "c1", "4"), ("r5", "onderwijs", "c1", "2"),
        ("r1", "gemeente", "c2", "3"), ("r2", "gemeente", "c2", "3"), ("r3", "wijkteam", "c2", "3"),
        ("r1", "gemeente", "c3", "2"), ("r2", "gemeente", "c3", "2"), ("r3", "wijkteam", "c3", "2"),
    )
    tweede = antwoorden(
        ("r1", "gemeente", "c1", "3"), ("r2", "gemeente", "c1", "3"), ("r3", "wijkteam", "c1", "2"),
        ("r4", "wijkteam", "c1", "3"), ("r5", "onderwijs", "c1", "weet_niet"),
        ("r1", "gemeente", "c2", "3"), ("r2", "gemeente", "c2", "weet_niet"),  # only 1 scale score
    )
    return eerste, tweede


def test_verschuivingen_voor_en_na():
    eerste, tweede = _eerste_en_tweede()
    uit = verschuivingen(eerste, tweede, KADER, consensus={("k", "c1"): ("3", "motivatie", None)}, drempel=3)
    assert [v.criterium_id for v in uit] == ["c1", "c2"]  # c3 had no second vote
    c1, c2 = uit
    # before: 1, 4, 1, 4, 2 -> mu = 2.4; after: 3, 3, 2, 3 (weet_niet left out)
    assert (c1.n_voor, c1.n_na) == (5, 4)
    assert (c1.mediaan_voor, c1.mediaan_na) == (2.0, 3.0)
    assert c1.eensgezindheid_voor == pytest.approx(eensgezindheid(["1", "4", "1", "4", "2"]))
    # after: mu = 2.75; 3: p = 3/4, log2(1 - 0.25/3); 2: p = 1/4, log2(1 - 0.75/3) = log2(0.75)
    verwacht = 1 + 0.75 * math.log2(1 - 0.25 / 3) + 0.25 * math.log2(0.75)
    assert c1.eensgezindheid_na == pytest.approx(verwacht)
    assert c1.verschoven and c1.afgesproken == "3"
    assert c1.in_woorden() == (f"van {c1.eensgezindheid_voor:.2f} naar {c1.eensgezindheid_na:.2f}"
                               .replace(".", ","))
    # c2: the second vote has one scale score: withheld, no numbers at all
    assert c2.achtergehouden and c2.eensgezindheid_na is None and c2.mediaan_voor is None
    assert c2.n_voor is None and not c2.verschoven
    assert "achtergehouden" in c2.in_woorden()


def test_minder_dan_drempel_wordt_achtergehouden():
    eerste, tweede = _eerste_en_tweede()
    (c1, _) = verschuivingen(eerste, tweede, KADER, drempel=5)  # 4 scale scores after < 5
    assert c1.achtergehouden and c1.eensgezindheid_voor is None
    assert verdeling_voor_na(eerste, tweede, KADER, "c1", drempel=5) is None


def test_verdeling_voor_na_alleen_het_geheel():
    eerste, tweede = _eerste_en_tweede()
    t = verdeling_voor_na(eerste, tweede, KADER, "c1", drempel=3)
    assert list(t.index) == [EERSTE, TWEEDE] and t.index.name == "Groep"
    assert t.loc[EERSTE].tolist()[:4] == [2, 1, 0, 2]
    assert t.loc[TWEEDE].tolist()[:4] == [0, 1, 3, 0] and t.loc[TWEEDE].sum() == 5  # weet niet counted
    assert verdeling_voor_na(eerste, tweede, KADER, "c2", drempel=3) is None


def test_tabel_voor_de_pagina():
    eerste, tweede = _eerste_en_tweede()
    t = tabel(verschuivingen(eerste, tweede, KADER, {("k", "c1"): ("3", "", None)}, drempel=3),
              labels={"3": "3 · Grotendeels"})
    assert t.loc[0, "Onderdeel"] == "Samen plannen"
    assert t.loc[0, "Mediaan voor → na"] == "2 → 3"
    assert t.loc[0, "Aantal scores voor → na"] == "5 → 4"
    assert t.loc[0, "Verschoven"] == "ja" and t.loc[0, "Gezamenlijk oordeel"] == "3 · Grotendeels"
    assert t.loc[1, "Eensgezindheid voor → na"] == "achtergehouden"
    assert t.loc[1, "Gezamenlijk oordeel"] == "–"


def test_in_het_kort():
    eerste, tweede = _eerste_en_tweede()
    c1, c2 = verschuivingen(eerste, tweede, KADER, drempel=3)
    zin = in_het_kort(c1)
    assert zin.startswith("Eerste stem: 5 scores, mediaan 2. Tweede stem: 4 scores, mediaan 3.")
    assert "meer met elkaar eens" in zin and c1.in_woorden() in zin
    assert "niet getoond" in in_het_kort(c2)


# --- the verbeterplan PDF ----------------------------------------------------------------------

def _pdf_invoer(drempel: int):
    """Utrecht 2026-1 of tests/test_verbeterplan.py: criterium 'a' first 1, 4, 1, 4 (four
    respondents) and a second vote 3, 3, 3, 2; 'c' a second vote of one person."""
    import pandas as pd

    from tests import test_verbeterplan as tv

    extra = antwoorden(*[(f"p-{i}", "gemeente", "a", s, "") for i, s in enumerate(["1", "4", "1", "4"])],
                       gemeente="Utrecht", ronde="2026-1", kader=tv.KADER.id)
    eerste = pd.concat([tv.alle_antwoorden().query("not (gemeente == 'Utrecht' and ronde == '2026-1' "
                                                   "and criterium == 'a')"), extra], ignore_index=True)
    tweede = antwoorden(*[(f"p-{i}", "gemeente", "a", s) for i, s in enumerate(["3", "3", "3", "2"])],
                        ("p-0", "gemeente", "c", "4"),
                        ("z-0", "gemeente", "a", "1"),  # another gemeente: must not count
                        gemeente="Utrecht", ronde="2026-1", kader=tv.KADER.id)
    tweede.loc[tweede["respondent"] == "z-0", "gemeente"] = "Zeist"
    return tv.invoer(eerste, drempel=drempel, tweede_stemmen=tweede,
                     consensus={(tv.KADER.id, "a"): ("3", "", None)})


def _pdf_tekst(pdf: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.mark.pdf
def test_pdf_toont_welke_criteria_het_gesprek_verschoof(tmp_path):
    from rapport.verbeterplan import maak_verbeterplan_pdf
    from tests.test_pdf_toegankelijk import pdfa_bevindingen

    pdf = maak_verbeterplan_pdf(_pdf_invoer(drempel=3))
    (tmp_path / "plan.pdf").write_bytes(pdf)
    tekst = _pdf_tekst(pdf)
    assert "Welke criteria verschoof het gesprek?" in tekst
    assert "Het gesprek verschoof 1 van de 2 onderdelen: Alfa signalering." in tekst
    # before 1, 4, 1, 4 -> 0,00; after 3, 3, 3, 2 -> 0,80 (see test_workshop_tweede_stem.py)
    assert "van 0,00 naar 0,80" in tekst and "2,5 → 3" in tekst and "4 → 4" in tekst
    assert "Achtergehouden: minder dan 3 scores" in tekst  # 'c': one second vote
    assert "maat van dit instrument" in tekst
    assert pdfa_bevindingen(pdf) == []


def test_html_zonder_tweede_stem_geen_sectie():
    from rapport.verbeterplan import maak_verbeterplan_html
    from tests import test_verbeterplan as tv

    html = maak_verbeterplan_html(tv.invoer(tv.alle_antwoorden(), drempel=1))
    assert 'id="tweede-stem"' not in html and 'href="#tweede-stem"' not in html
    html = maak_verbeterplan_html(_pdf_invoer(drempel=3))
    assert 'href="#tweede-stem"' in html and 'id="tweede-stem"' in html
