"""rapport.analyse: analyseer() against hand-computed numbers, the Tastle & Wierman
consensus, the anonymity rules, kloof, met_consensus, gespreksagenda and the
``python -m rapport scores`` command."""
from __future__ import annotations

import io
import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rapport.__main__ as cli
from rapport.aggregatie import aggregeer
from rapport.analyse import (
    KLOOF_KOLOMMEN,
    KOLOMMEN,
    analyseer,
    consensus_maat,
    gespreksagenda,
    kloof,
    met_consensus,
)
from rapport.anonimiteit import onderdruk
from rapport.groepen import ALLE, OVERIGE, rolgroepen
from tests.fabriek import antwoorden, maak_kader

# Thema T1 = c1, c2; thema T2 = c3.
KADER = maak_kader({"T1": ["c1", "c2"], "T2": ["c3"]})
ROL_NAMEN = {"gemeente": "Gemeente", "wijkteam": "Wijkteam", "politie": "Politie"}
DREMPEL = 3
# Respondents: gemeente g1 g2 g3 (3), wijkteam w1 w2 w3 (3), politie p1 (1).
# Anonymity merge (rolgroepen, drempel 3): politie (1) is too small -> "Overige partners";
# that group (1) is still too small, so the smallest named group joins it. On the tie
# wijkteam (3) / gemeente (3) a partner goes first: wijkteam joins. Shown groups:
# Gemeente (3) and Overige partners = wijkteam + politie (4).
ANTWOORDEN = pd.concat([
    antwoorden(
        ("g1", "gemeente", "c1", "4", "Goed geregeld"),
        ("g2", "gemeente", "c1", "3"),
        ("g3", "gemeente", "c1", "4"),
        ("w1", "wijkteam", "c1", "2", "Hangt af van de collega"),
        ("w2", "wijkteam", "c1", "1"),
        ("w3", "wijkteam", "c1", "weet_niet"),
        ("p1", "politie", "c1", "2"),
        ("g1", "gemeente", "c2", "3"),
        ("g2", "gemeente", "c2", "nvt"),
        ("g3", "gemeente", "c2", "weet_niet"),
        ("w1", "wijkteam", "c2", "3"),
        ("w2", "wijkteam", "c2", "3"),
        ("w3", "wijkteam", "c2", "3"),
        ("p1", "politie", "c2", "4"),
        ("g1", "gemeente", "c3", "1"),
        ("g2", "gemeente", "c3", "1"),
        ("g3", "gemeente", "c3", "1"),
        ("w1", "wijkteam", "c3", "4"),
        ("w2", "wijkteam", "c3", "4"),
        ("w3", "wijkteam", "c3", "nvt"),
        ("p1", "politie", "c3", "weet_niet"),
    ),
    # another kader with the same criterium id: ignored, and p9 does not count for any group
    antwoorden(("p9", "politie", "c1", "1"), ("p8", "politie", "c1", "1"), kader="ander"),
], ignore_index=True)

GEM, OV = "Gemeente", OVERIGE.label


def cns(verdeling: dict[int, int], d: float = 3.0) -> float:
    """Tastle & Wierman written out, for the comments' hand computations."""
    n = sum(verdeling.values())
    mu = sum(x * c for x, c in verdeling.items()) / n
    return 1 + sum(c / n * math.log2(1 - abs(x - mu) / d) for x, c in verdeling.items() if c)


@pytest.fixture(scope="module")
def tabel():
    return analyseer(ANTWOORDEN, KADER, drempel=DREMPEL, rol_namen=ROL_NAMEN)


def rij(tabel, niveau, id_, groep):
    sel = tabel[(tabel["niveau"] == niveau) & (tabel["id"] == id_) & (tabel["groep"] == groep)]
    assert len(sel) == 1, (niveau, id_, groep, sel)
    return sel.iloc[0]


def gelijk(r, **verwacht):
    for k, v in verwacht.items():
        if isinstance(v, float) and math.isnan(v):
            assert math.isnan(r[k]), (k, r[k])
        else:
            assert r[k] == pytest.approx(v, abs=1e-12), (k, r[k], v)


# --- structure and anonymity ------------------------------------------------------------------


def test_kolommen_en_volgorde(tabel):
    assert list(tabel.columns) == list(KOLOMMEN)
    verwacht = [
        (niveau, id_, groep)
        for niveau, ids in (("criterium", ["c1", "c2", "c3"]), ("thema", ["T1", "T2"]), ("kader", ["k"]))
        for id_ in ids
        for groep in (ALLE.label, GEM, OV)
    ]
    assert list(zip(tabel["niveau"], tabel["id"], tabel["groep"])) == verwacht
    assert set(tabel["kader"]) == {"k"}
    assert rij(tabel, "criterium", "c3", GEM)["thema_id"] == "T2"
    assert rij(tabel, "thema", "T1", ALLE.label)["kort"] == "Thema T1"
    kader_rij = rij(tabel, "kader", "k", ALLE.label)
    assert kader_rij["kort"] == "Testkader" and kader_rij["thema_id"] == ""


def test_samenvoegen_is_zichtbaar_en_geen_groep_onder_de_drempel(tabel):
    # Wijkteam has 3 respondents but had to join politie (1) in "Overige partners".
    assert set(tabel["groep"]) == {ALLE.label, GEM, OV}
    assert "Wijkteam" not in set(tabel["groep"]) and "Politie" not in set(tabel["groep"])
    groepen = rolgroepen(ANTWOORDEN[ANTWOORDEN["kader"] == "k"], ROL_NAMEN, DREMPEL)
    per_groep = ANTWOORDEN[ANTWOORDEN["kader"] == "k"].groupby(
        ANTWOORDEN["rol"].map(groepen))["respondent"].nunique()
    for groep in set(tabel["groep"]) - {ALLE.label}:
        assert per_groep[groep] >= DREMPEL
    # kader row: every group shows its full size
    assert rij(tabel, "kader", "k", GEM)["respondenten"] == 3
    assert rij(tabel, "kader", "k", OV)["respondenten"] == 4


def test_zonder_drempel_elke_rol_apart():
    t = analyseer(ANTWOORDEN, KADER, drempel=1, rol_namen=ROL_NAMEN)
    assert list(dict.fromkeys(t["groep"])) == [ALLE.label, "Gemeente", "Politie", "Wijkteam"]
    assert rij(t, "criterium", "c1", "Politie")["gemiddelde"] == 2.0  # p1 alone


def test_standaard_drempel_uit_omgeving(monkeypatch):
    monkeypatch.setenv("ZBT_ANONIMITEIT_DREMPEL", "8")  # 7 respondents: everyone merged
    t = analyseer(ANTWOORDEN, KADER)
    assert set(t["groep"]) == {ALLE.label}
    monkeypatch.setenv("ZBT_ANONIMITEIT_DREMPEL", "1")
    assert "Politie" in set(analyseer(ANTWOORDEN, KADER, rol_namen=ROL_NAMEN)["groep"])


def test_onderdrukt_per_item(tabel):
    # c2, Gemeente: 3 respondents answered (g1 3, g2 nvt, g3 weet_niet) but only g1 scored.
    #   scores would expose g1 -> NaN; shares rest on 3 respondents -> shown: 1/3 and 1/3
    r = rij(tabel, "criterium", "c2", GEM)
    assert r["onderdrukt"] and r["respondenten"] == 3 and r["respondenten_gescoord"] == 1 and r["n"] == 1
    gelijk(r, gemiddelde=math.nan, mediaan=math.nan, q1=math.nan, q3=math.nan, iqr=math.nan,
           minimum=math.nan, maximum=math.nan, consensus=math.nan,
           aandeel_weet_niet=1 / 3, aandeel_nvt=1 / 3)
    # c3, Overige partners: w1 4, w2 4, w3 nvt, p1 weet_niet -> 2 scores: hidden; shares 1/4 each
    r = rij(tabel, "criterium", "c3", OV)
    assert r["onderdrukt"] and r["n"] == 2
    gelijk(r, gemiddelde=math.nan, consensus=math.nan, aandeel_weet_niet=0.25, aandeel_nvt=0.25)
    # the whole is never suppressed
    assert not tabel.loc[tabel["groep"] == ALLE.label, "onderdrukt"].any()


def test_te_weinig_antwoorden_verbergt_ook_de_aandelen():
    # two of the three gemeente respondents skip c2 entirely: 1 respondent left on c2
    df = ANTWOORDEN[~((ANTWOORDEN["criterium"] == "c2") & ANTWOORDEN["respondent"].isin(["g2", "g3"]))]
    r = rij(analyseer(df, KADER, drempel=DREMPEL, rol_namen=ROL_NAMEN), "criterium", "c2", GEM)
    assert r["respondenten"] == 1 and r["onderdrukt"]
    gelijk(r, gemiddelde=math.nan, aandeel_weet_niet=math.nan, aandeel_nvt=math.nan)


# --- hand-computed numbers -------------------------------------------------------------------


def test_criterium_alle(tabel):
    # c1, all: 4,3,4,2,1,2 (w3 weet_niet; the '1's of kader 'ander' are ignored)
    #   n = 6, mean 16/6 = 2.6667; sorted 1,2,2,3,4,4: median (2+3)/2 = 2.5
    #   q1: h = (6-1)*0.25 = 1.25 -> x[1] + 0.25*(x[2]-x[1]) = 2 + 0.25*0 = 2
    #   q3: h = (6-1)*0.75 = 3.75 -> x[3] + 0.75*(x[4]-x[3]) = 3 + 0.75*1 = 3.75; iqr 1.75
    #   answers given 7 -> weet_niet 1/7, nvt 0
    #   consensus, mu = 8/3, d = 3: counts 1:1, 2:2, 3:1, 4:2
    #     1: 1/6*log2(1-(5/3)/3) = 1/6*log2(4/9) = 1/6*-1.169925 = -0.194988
    #     2: 2/6*log2(7/9) = 1/3*-0.362570 = -0.120857
    #     3: 1/6*log2(8/9) = 1/6*-0.169925 = -0.028321
    #     4: 2/6*log2(5/9) = 1/3*-0.847997 = -0.282666
    #     Cns = 1 - 0.626831 = 0.373169
    r = rij(tabel, "criterium", "c1", ALLE.label)
    assert (r["respondenten"], r["respondenten_gescoord"], r["aantal_antwoorden"], r["n"]) == (7, 6, 7, 6)
    gelijk(r, gemiddelde=16 / 6, mediaan=2.5, q1=2.0, q3=3.75, iqr=1.75, minimum=1, maximum=4,
           aandeel_weet_niet=1 / 7, aandeel_nvt=0.0)
    assert r["consensus"] == pytest.approx(0.373169, abs=1e-6)
    assert r["consensus"] == pytest.approx(cns({1: 1, 2: 2, 3: 1, 4: 2}), abs=1e-12)


def test_criterium_per_groep(tabel):
    # c1, Gemeente: 4,3,4 -> n 3, mean 11/3; sorted 3,4,4: median 4
    #   q1: h = 0.5 -> 3 + 0.5*(4-3) = 3.5; q3: h = 1.5 -> 4 + 0.5*0 = 4; iqr 0.5
    #   consensus, mu = 11/3: 1/3*log2(7/9) + 2/3*log2(8/9) = -0.120857 - 0.113283 -> 0.765860
    r = rij(tabel, "criterium", "c1", GEM)
    assert (r["n"], r["respondenten"], bool(r["onderdrukt"])) == (3, 3, False)
    gelijk(r, gemiddelde=11 / 3, mediaan=4.0, q1=3.5, q3=4.0, iqr=0.5, minimum=3, maximum=4,
           aandeel_weet_niet=0.0, aandeel_nvt=0.0)
    assert r["consensus"] == pytest.approx(0.765860, abs=1e-6)
    # c1, Overige partners: w1 2, w2 1, w3 weet_niet, p1 2 -> 4 respondents, 3 scores
    #   mean 5/3; sorted 1,2,2: median 2; q1 h=0.5 -> 1.5; q3 h=1.5 -> 2; iqr 0.5
    #   weet_niet 1/4; consensus mirrors the gemeente's (1:1, 2:2 around 5/3) -> 0.765860
    r = rij(tabel, "criterium", "c1", OV)
    assert (r["n"], r["respondenten"], r["aantal_antwoorden"]) == (3, 4, 4)
    gelijk(r, gemiddelde=5 / 3, mediaan=2.0, q1=1.5, q3=2.0, iqr=0.5, minimum=1, maximum=2,
           aandeel_weet_niet=0.25, aandeel_nvt=0.0)
    assert r["consensus"] == pytest.approx(0.765860, abs=1e-6)
    # c2, Overige partners: 3,3,3,4 -> mean 13/4; median 3; q1 h=0.75 -> 3; q3 h=2.25 -> 3 + 0.25*1 = 3.25
    gelijk(rij(tabel, "criterium", "c2", OV), gemiddelde=3.25, mediaan=3.0, q1=3.0, q3=3.25, iqr=0.25)


def test_criterium_c3_lage_consensus(tabel):
    # c3, all: 1,1,1,4,4 (w3 nvt, p1 weet_niet) -> n 5, mean 11/5 = 2.2, median 1
    #   q1 h=1 -> 1; q3 h=3 -> 4; iqr 3; shares 1/7 each
    #   consensus: 3/5*log2(1-1.2/3) + 2/5*log2(1-1.8/3) = 0.6*log2(0.6) + 0.4*log2(0.4)
    #            = 0.6*-0.736966 + 0.4*-1.321928 = -0.442179 - 0.528771 -> 0.029049
    r = rij(tabel, "criterium", "c3", ALLE.label)
    gelijk(r, n=5, gemiddelde=2.2, mediaan=1.0, q1=1.0, q3=4.0, iqr=3.0,
           aandeel_weet_niet=1 / 7, aandeel_nvt=1 / 7)
    assert r["consensus"] == pytest.approx(0.029049, abs=1e-6)
    # Gemeente gave 1,1,1: full agreement
    gelijk(rij(tabel, "criterium", "c3", GEM), gemiddelde=1.0, consensus=1.0)


def test_thema_bundelt(tabel):
    # T1 = c1 + c2, all: c1 4,3,4,2,1,2 and c2 3,3,3,3,4 -> n 11, sum 16 + 16 = 32, mean 32/11
    #   sorted 1,2,2,3,3,3,3,3,4,4,4: median x[5] = 3
    #   q1 h = 10*0.25 = 2.5 -> 2 + 0.5*(3-2) = 2.5; q3 h = 7.5 -> 3 + 0.5*(4-3) = 3.5; iqr 1
    #   answers 14: weet_niet 2 (w3 c1, g3 c2) -> 2/14, nvt 1 (g2 c2) -> 1/14
    #   7 distinct respondents, all 7 scored at least once
    r = rij(tabel, "thema", "T1", ALLE.label)
    assert (r["respondenten"], r["respondenten_gescoord"], r["aantal_antwoorden"], r["n"]) == (7, 7, 14, 11)
    gelijk(r, gemiddelde=32 / 11, mediaan=3.0, q1=2.5, q3=3.5, iqr=1.0, minimum=1, maximum=4,
           aandeel_weet_niet=2 / 14, aandeel_nvt=1 / 14)
    assert r["consensus"] == pytest.approx(cns({1: 1, 2: 2, 3: 5, 4: 3}), abs=1e-12)
    # T1, Gemeente: c1 4,3,4 + c2 3 -> n 4, mean 14/4 = 3.5; sorted 3,3,4,4: median 3.5
    #   q1 h=0.75 -> 3; q3 h=2.25 -> 4; answers 6: weet_niet 1/6, nvt 1/6
    #   3 respondents scored on T1, so shown although only g1 scored c2
    r = rij(tabel, "thema", "T1", GEM)
    assert not r["onderdrukt"] and r["respondenten_gescoord"] == 3
    gelijk(r, n=4, gemiddelde=3.5, mediaan=3.5, q1=3.0, q3=4.0, iqr=1.0,
           aandeel_weet_niet=1 / 6, aandeel_nvt=1 / 6)


def test_kader_bundelt_alles(tabel):
    # all 16 scores: ones 4 (w2 c1; g1-g3 c3), twos 2 (w1, p1 c1), threes 5 (g2 c1; g1 w1 w2 w3 c2),
    #   fours 5 (g1 g3 c1; p1 c2; w1 w2 c3): sum 4 + 4 + 15 + 20 = 43 -> mean 43/16 = 2.6875
    #   sorted: x[0..3]=1, x[4..5]=2, x[6..10]=3, x[11..15]=4; median (x[7]+x[8])/2 = 3
    #   q1 h = 15*0.25 = 3.75 -> 1 + 0.75*(2-1) = 1.75; q3 h = 11.25 -> 4; iqr 2.25
    #   answers 21: weet_niet 3 -> 3/21, nvt 2 -> 2/21
    r = rij(tabel, "kader", "k", ALLE.label)
    assert (r["n"], r["aantal_antwoorden"], r["respondenten"]) == (16, 21, 7)
    gelijk(r, gemiddelde=43 / 16, mediaan=3.0, q1=1.75, q3=4.0, iqr=2.25, minimum=1, maximum=4,
           aandeel_weet_niet=3 / 21, aandeel_nvt=2 / 21)
    assert r["consensus"] == pytest.approx(cns({1: 4, 2: 2, 3: 5, 4: 5}), abs=1e-12)


def test_zonder_antwoorden():
    t = analyseer(antwoorden(("a", "gemeente", "c1", "weet_niet")), KADER, drempel=1)
    r = rij(t, "criterium", "c1", ALLE.label)
    assert r["n"] == 0 and r["aandeel_weet_niet"] == 1.0
    gelijk(r, gemiddelde=math.nan, mediaan=math.nan, q1=math.nan, consensus=math.nan)
    leeg = rij(t, "criterium", "c3", ALLE.label)
    assert leeg["aantal_antwoorden"] == 0 and math.isnan(leeg["aandeel_nvt"])
    t = analyseer(ANTWOORDEN.iloc[:0], KADER)
    assert len(t) == 3 + 2 + 1 and set(t["groep"]) == {ALLE.label} and (t["n"] == 0).all()


def test_gelijk_aan_aggregeer(tabel):
    agg = aggregeer(ANTWOORDEN, KADER)
    for niveau in ("criterium", "thema"):
        a = agg[(agg["niveau"] == niveau) & (agg["rol"] == ALLE.id)].set_index("id")
        b = tabel[(tabel["niveau"] == niveau) & (tabel["groep"] == ALLE.label)].set_index("id")
        for kolom in ("n", "gemiddelde", "mediaan", "minimum", "maximum"):
            np.testing.assert_allclose(b[kolom].to_numpy(float), a.loc[b.index, kolom].to_numpy(float))


# --- the consensus measure --------------------------------------------------------------------


def test_consensus_alles_gelijk_is_1():
    for waarde in (1, 2, 3, 4):
        assert consensus_maat({waarde: 7}, 1, 4) == 1.0
    t = analyseer(antwoorden(*[(f"r{i}", "gemeente", "c1", "2") for i in range(5)]), KADER, drempel=1)
    assert rij(t, "criterium", "c1", ALLE.label)["consensus"] == 1.0


def test_consensus_helft_helft_uitersten_is_0():
    # mu = 2.5: each half sits 1.5 = d/2 away: 0.5*log2(0.5) + 0.5*log2(0.5) = -1 -> Cns 0
    assert consensus_maat({1: 5, 4: 5}, 1, 4) == pytest.approx(0.0, abs=1e-15)
    data = [(f"r{i}", "gemeente", "c1", "1" if i % 2 else "4") for i in range(6)]
    assert rij(analyseer(antwoorden(*data), KADER, drempel=1), "criterium", "c1", ALLE.label)["consensus"] == 0.0


def test_consensus_uniform_met_de_hand():
    # {1:1, 2:1, 3:1, 4:1}: mu = 2.5, d = 3, p = 1/4 each
    #   |1-2.5|/3 = |4-2.5|/3 = 0.5 -> log2(0.5) = -1
    #   |2-2.5|/3 = |3-2.5|/3 = 1/6 -> log2(5/6) = ln(5/6)/ln 2 = -0.182322/0.693147 = -0.263034
    #   sum = 1/4 * (-1 - 0.263034 - 0.263034 - 1) = -2.526069/4 = -0.631517
    #   Cns = 1 - 0.631517 = 0.368483
    assert consensus_maat({1: 1, 2: 1, 3: 1, 4: 1}, 1, 4) == pytest.approx(0.368483, abs=1e-6)
    data = [(f"r{i}", "gemeente", "c1", str(i)) for i in (1, 2, 3, 4)]
    assert rij(analyseer(antwoorden(*data), KADER, drempel=1), "criterium", "c1", ALLE.label)[
        "consensus"] == pytest.approx(0.368483, abs=1e-6)


def test_consensus_schaal_niet_data():
    # d_X is the width of the SCALE (3), not of the data: {3:1, 4:1} on 1..4
    #   mu 3.5, each 0.5 away: log2(1 - 0.5/3) = log2(5/6) = -0.263034 -> Cns 0.736966
    #   (with d = data range 1 it would be 1 + log2(0.5) = 0)
    assert consensus_maat({3: 1, 4: 1}, 1, 4) == pytest.approx(0.736966, abs=1e-6)
    t = analyseer(antwoorden(("a", "gemeente", "c1", "3"), ("b", "gemeente", "c1", "4")), KADER, drempel=1)
    assert rij(t, "criterium", "c1", ALLE.label)["consensus"] == pytest.approx(0.736966, abs=1e-6)
    assert math.isnan(consensus_maat({}, 1, 4))


verdelingen = st.lists(st.integers(0, 6), min_size=4, max_size=4).filter(lambda c: sum(c) > 0)


@pytest.mark.traag
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(verdelingen)
def test_consensus_eigenschap_tussen_0_en_1(aantallen):
    verdeling = dict(zip((1, 2, 3, 4), aantallen))
    c = consensus_maat(verdeling, 1, 4)
    assert 0.0 <= c <= 1.0
    data = [(f"r{w}-{i}", "gemeente", "c1", str(w)) for w, k in verdeling.items() for i in range(k)]
    t = analyseer(antwoorden(*data), KADER, drempel=1)
    v = rij(t, "criterium", "c1", ALLE.label)["consensus"]
    assert 0.0 <= v <= 1.0
    assert v == pytest.approx(c, abs=1e-12)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["1", "2", "3", "4"]), min_size=1, max_size=25))
def test_kwartielen_als_numpy_lineair(scores):
    data = [(f"r{i}", "gemeente", "c1", s) for i, s in enumerate(scores)]
    r = rij(analyseer(antwoorden(*data), KADER, drempel=1), "criterium", "c1", ALLE.label)
    x = np.array(scores, dtype=float)
    q1, med, q3 = np.quantile(x, [0.25, 0.5, 0.75], method="linear")
    assert (r["q1"], r["mediaan"], r["q3"]) == pytest.approx((q1, med, q3), abs=1e-12)
    assert r["iqr"] == pytest.approx(q3 - q1, abs=1e-12)


# --- kloof ------------------------------------------------------------------------------------


def test_kloof():
    tabel = kloof(ANTWOORDEN, KADER, drempel=DREMPEL)
    assert list(tabel.columns) == list(KLOOF_KOLOMMEN) and list(tabel["id"]) == ["c1", "c2", "c3"]
    k = tabel.set_index("id")
    # c1: gemeente 4,3,4 -> 11/3; partners w1 2, w2 1, p1 2 -> 5/3; kloof 6/3 = 2
    assert (k.at["c1", "respondenten_gemeente"], k.at["c1", "respondenten_partners"]) == (3, 3)
    assert k.at["c1", "gemiddelde_gemeente"] == pytest.approx(11 / 3)
    assert k.at["c1", "gemiddelde_partners"] == pytest.approx(5 / 3)
    assert k.at["c1", "kloof"] == pytest.approx(2.0) and k.at["c1", "reden"] == ""


def test_kloof_nan_met_reden_onder_de_drempel():
    k = kloof(ANTWOORDEN, KADER, drempel=DREMPEL).set_index("id")
    # c2: only g1 of the gemeente scored -> no gemeente mean, no kloof; partners 3,3,3,4 = 3.25
    assert k.at["c2", "respondenten_gemeente"] == 1
    assert math.isnan(k.at["c2", "gemiddelde_gemeente"]) and math.isnan(k.at["c2", "kloof"])
    assert k.at["c2", "gemiddelde_partners"] == pytest.approx(3.25)
    assert "Te weinig respondenten" in k.at["c2", "reden"] and "gemeente 1" in k.at["c2", "reden"]
    # c3: partners w1 4, w2 4 only (w3 nvt, p1 weet_niet) -> 2 < 3
    assert k.at["c3", "respondenten_partners"] == 2 and math.isnan(k.at["c3", "kloof"])
    assert math.isnan(k.at["c3", "gemiddelde_partners"]) and k.at["c3", "gemiddelde_gemeente"] == 1.0
    assert "partners 2" in k.at["c3", "reden"] and "minstens 3" in k.at["c3", "reden"]
    # with drempel 2 the c3 kloof exists: 1 - 4 = -3
    assert kloof(ANTWOORDEN, KADER, drempel=2).set_index("id").at["c3", "kloof"] == pytest.approx(-3.0)


# --- met_consensus ----------------------------------------------------------------------------


def test_met_consensus(tabel):
    consensus = pd.DataFrame(
        [("G", "R", "k", "c1", "3", "Afgesproken"), ("G", "R", "k", "c2", "weet_niet", "")],
        columns=["gemeente", "ronde", "kader", "criterium", "score", "motivatie"], dtype="str",
    )
    uit = met_consensus(tabel, consensus)
    assert list(uit.columns[: len(KOLOMMEN)]) == list(KOLOMMEN) and len(uit) == len(tabel)
    r = rij(uit, "criterium", "c1", ALLE.label)
    # consensus 3 against the individual mean 16/6: verschil 3 - 8/3 = 1/3
    assert r["consensus_score"] == 3.0 and r["consensus_motivatie"] == "Afgesproken"
    assert r["consensus_verschil"] == pytest.approx(1 / 3)
    # per group as well: Gemeente mean 11/3 -> 3 - 11/3 = -2/3
    assert rij(uit, "criterium", "c1", GEM)["consensus_verschil"] == pytest.approx(-2 / 3)
    r = rij(uit, "criterium", "c2", ALLE.label)
    assert r["consensus_antwoord"] == "weet_niet" and math.isnan(r["consensus_score"])
    assert math.isnan(rij(uit, "criterium", "c3", ALLE.label)["consensus_score"])
    assert uit.loc[uit["niveau"] != "criterium", "consensus_score"].isna().all()


def test_met_consensus_weigert_twee_rondes(tabel):
    dubbel = pd.DataFrame(
        [("G", "R1", "k", "c1", "3", ""), ("G", "R2", "k", "c1", "2", "")],
        columns=["gemeente", "ronde", "kader", "criterium", "score", "motivatie"], dtype="str",
    )
    with pytest.raises(ValueError, match="meer dan één consensus"):
        met_consensus(tabel, dubbel)


# --- gespreksagenda ---------------------------------------------------------------------------


def test_gespreksagenda_volgorde():
    agenda = gespreksagenda(ANTWOORDEN, KADER, drempel=DREMPEL, rol_namen=ROL_NAMEN)
    # onenigheid = 0.5 * groepsverschil/3 + 0.5 * (1 - consensus)
    #   c1: groups Gemeente 11/3, Overige 5/3 -> verschil 2 -> 2/3; 1 - 0.373169 = 0.626831
    #       -> 0.5*0.666667 + 0.5*0.626831 = 0.646749
    #   c3: Overige suppressed -> one group, verschil 0; 1 - 0.029049 = 0.970951 -> 0.485476
    #   c2: Gemeente suppressed -> verschil 0; scores 3,3,3,3,4, mu 3.2:
    #       0.8*log2(1 - 0.2/3) + 0.2*log2(1 - 0.8/3) = 0.8*-0.099536 + 0.2*-0.447459
    #       = -0.169121 -> consensus 0.830879 -> 0.5*0.169121 = 0.084560
    assert [a["id"] for a in agenda] == ["c1", "c3", "c2"]
    assert [a["rang"] for a in agenda] == [1, 2, 3]
    c1, c3, c2 = agenda
    assert c1["onenigheid"] == pytest.approx(0.646749, abs=1e-6)
    assert c1["tussen_groepen"] == pytest.approx(2.0)
    assert c1["groepsgemiddelden"] == pytest.approx({GEM: 11 / 3, OV: 5 / 3})
    assert (c1["hoogste_groep"], c1["laagste_groep"]) == (GEM, OV)
    assert c3["onenigheid"] == pytest.approx(0.485476, abs=1e-6) and math.isnan(c3["tussen_groepen"])
    assert c2["onenigheid"] == pytest.approx(0.084560, abs=1e-6)
    assert c2["binnen_groepen"] == pytest.approx(0.169121, abs=1e-6)
    assert (c1["kort"], c1["tekst"]) == ("Kort c1", "Tekst c1")


def test_gespreksagenda_toelichtingen_anoniem():
    c1 = gespreksagenda(ANTWOORDEN, KADER, drempel=DREMPEL, rol_namen=ROL_NAMEN)[0]
    teksten = {(t["groep"], t["tekst"]) for t in c1["toelichtingen"]}
    # Over the whole ronde politie has three respondents (p8 and p9 answered the other
    # kader), so the overview shows wijkteam on its own, and wijkteam's part of c1 has
    # only two scores: rapport.anonimiteit.onderdruk leaves it out everywhere, with w1's
    # toelichting. The gemeente's part (three scores) stays.
    assert teksten == {(GEM, "Goed geregeld")}
    for t in c1["toelichtingen"]:
        assert set(t) == {"groep", "score", "tekst"}
        assert not {"g1", "w1", "wijkteam"} & set(t.values())


def test_gespreksagenda_gelijke_stand():
    kader = maak_kader({"T": ["hoog", "laag", "laag2", "leeg"]})
    data = []
    # one rol only: no group comparison. 'hoog' {3,4,4} and 'laag' {1,1,2} mirror each
    # other: equal consensus, so equal onenigheid -> the lower gemiddelde (laag, 4/3) goes
    # first; 'laag2' is identical to 'laag' -> kader order. 'leeg' has no score: left out.
    for i, (h, laag) in enumerate([("3", "1"), ("4", "1"), ("4", "2")]):
        data += [(f"r{i}", "gemeente", "hoog", h), (f"r{i}", "gemeente", "laag", laag),
                 (f"r{i}", "gemeente", "laag2", laag), (f"r{i}", "gemeente", "leeg", "nvt")]
    agenda = gespreksagenda(antwoorden(*data), kader, drempel=3)
    assert [a["id"] for a in agenda] == ["laag", "laag2", "hoog"]
    assert agenda[0]["onenigheid"] == pytest.approx(agenda[2]["onenigheid"], abs=1e-12)
    assert [a["id"] for a in gespreksagenda(antwoorden(*data), kader, drempel=3, aantal=1)] == ["laag"]


# --- command line -----------------------------------------------------------------------------


@pytest.fixture
def csv_bestand(tmp_path, monkeypatch):
    ander = maak_kader({"T1": ["c1"]}, kader_id="ander")
    monkeypatch.setattr(cli, "_laad_kaders", lambda: {KADER.id: KADER, ander.id: ander})
    monkeypatch.setattr(cli, "_rol_namen", lambda: dict(ROL_NAMEN))
    pad = tmp_path / "antwoorden.csv"
    ANTWOORDEN.to_csv(pad, index=False)
    return pad


def _vergelijk(uit: pd.DataFrame, verwacht: pd.DataFrame):
    assert list(uit.columns) == list(KOLOMMEN) and len(uit) == len(verwacht)
    for kolom in KOLOMMEN:
        if pd.api.types.is_float_dtype(verwacht[kolom]):
            # rounded to 3 decimals: off by at most half a unit in the last place
            np.testing.assert_allclose(uit[kolom].to_numpy(float), verwacht[kolom].to_numpy(float),
                                       rtol=0, atol=0.0005 + 1e-12)
            assert (uit[kolom].dropna().round(3) == uit[kolom].dropna()).all()
        else:
            assert [str(x) for x in uit[kolom].fillna("")] == [str(x) for x in verwacht[kolom]], kolom


def test_cli_json(csv_bestand, capsys):
    assert cli.main(["scores", "--antwoorden", str(csv_bestand), "--format", "json",
                     "--kader", "k", "--drempel", "3"]) == 0
    uit = pd.DataFrame(json.loads(capsys.readouterr().out))
    # the CLI shows what the pages show: after rapport.anonimiteit.onderdruk
    _vergelijk(uit, analyseer(onderdruk(ANTWOORDEN, 3, ROL_NAMEN), KADER, drempel=3, rol_namen=ROL_NAMEN))
    # c1: wijkteam's two scores and politie's one are left out (see
    # test_gespreksagenda_toelichtingen_anoniem), the gemeente's 4, 3, 4 stay: 11/3 rounded
    assert rij(uit, "criterium", "c1", ALLE.label)["gemiddelde"] == 3.667


def test_cli_csv_alle_kaders(csv_bestand, capsys):
    assert cli.main(["scores", "--antwoorden", str(csv_bestand), "--format", "csv",
                     "--gemeente", "G", "--ronde", "R", "--drempel", "3"]) == 0
    uit = pd.read_csv(io.StringIO(capsys.readouterr().out), keep_default_na=False,
                      na_values=[""], dtype={"thema_id": str})
    getoond = onderdruk(ANTWOORDEN, 3, ROL_NAMEN)  # as on the pages (rapport.anonimiteit)
    verwacht = pd.concat([
        analyseer(getoond, KADER, drempel=3, rol_namen=ROL_NAMEN),
        analyseer(getoond, maak_kader({"T1": ["c1"]}, kader_id="ander"), drempel=3, rol_namen=ROL_NAMEN),
    ], ignore_index=True)
    _vergelijk(uit, verwacht)
    assert list(dict.fromkeys(uit["kader"])) == ["k", "ander"]


@pytest.mark.parametrize("args, melding", [
    (["--kader", "onbekend"], "Het kader 'onbekend' bestaat niet"),
    (["--gemeente", "Zwolle"], "De gemeente 'Zwolle' komt niet voor"),
    (["--ronde", "9"], "De ronde '9' komt niet voor"),
    (["--drempel", "0"], "De drempel moet minstens 1 zijn"),
])
def test_cli_fout_in_het_nederlands(csv_bestand, capsys, args, melding):
    assert cli.main(["scores", "--antwoorden", str(csv_bestand), "--format", "json", *args]) == 1
    uit = capsys.readouterr()
    assert uit.out == "" and uit.err.startswith("Fout: ") and melding in uit.err


def test_cli_ongeldig_bestand(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(cli, "_laad_kaders", lambda: {KADER.id: KADER})
    pad = tmp_path / "fout.csv"
    pad.write_text("gemeente,ronde\nG,R\n", encoding="utf-8")
    assert cli.main(["scores", "--antwoorden", str(pad), "--format", "csv"]) == 1
    assert "niet bruikbaar" in capsys.readouterr().err
    assert cli.main(["scores", "--antwoorden", str(tmp_path / "weg.csv"), "--format", "csv"]) == 1
    assert "bestaat niet" in capsys.readouterr().err
