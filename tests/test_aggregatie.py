"""rapport.aggregatie: aggregeer() against hand-computed numbers, and rangschik()."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport.aggregatie import KOLOMMEN, aggregeer, filter_antwoorden, rangschik
from rapport.groepen import ALLE
from tests.fabriek import antwoorden, maak_kader

# Thema T1 = c1, c2; thema T2 = c3.
KADER = maak_kader({"T1": ["c1", "c2"], "T2": ["c3"]})
GEM, WIJK = "gemeente", "wijkteam-cjg"
ANTWOORDEN = pd.concat(
    [
        antwoorden(
            ("r1", GEM, "c1", "4"),
            ("r2", GEM, "c1", "3"),
            ("r3", WIJK, "c1", "2"),
            ("r4", WIJK, "c1", "4"),
            ("r5", WIJK, "c1", "weet_niet"),
            ("r1", GEM, "c2", "1"),
            ("r2", GEM, "c2", "nvt"),
            ("r3", WIJK, "c2", "1"),
            ("r4", WIJK, "c2", "2"),
            ("r1", GEM, "c3", "weet_niet"),
            ("r3", WIJK, "c3", "nvt"),
        ),
        # another kader with the same criterium id: must be ignored
        antwoorden(("r9", "politie", "c1", "1"), kader="ander"),
    ],
    ignore_index=True,
)


def rij(agg, niveau, id_, rol):
    sel = agg[(agg["niveau"] == niveau) & (agg["id"] == id_) & (agg["rol"] == rol)]
    assert len(sel) == 1, (niveau, id_, rol, sel)
    return sel.iloc[0]


def stats(r):
    return {k: r[k] for k in ("n", "gemiddelde", "mediaan", "minimum", "maximum", "spreiding", "weet_niet", "nvt")}


def gelijk(r, verwacht):
    got = stats(r)
    for k, v in verwacht.items():
        if isinstance(v, float) and math.isnan(v):
            assert math.isnan(got[k]), (k, got[k])
        else:
            assert got[k] == pytest.approx(v, abs=1e-12), (k, got[k], v)


@pytest.fixture(scope="module")
def agg():
    return aggregeer(ANTWOORDEN, KADER)


def test_kolommen_en_volgorde(agg):
    assert list(agg.columns) == list(KOLOMMEN)
    # criterium rows first, then thema rows; kader order; 'alle' first, then rol ids sorted.
    # The 'politie' rol only answered the other kader, so it gets no rows.
    verwacht = [
        (niveau, id_, rol)
        for niveau, ids in (("criterium", ["c1", "c2", "c3"]), ("thema", ["T1", "T2"]))
        for id_ in ids
        for rol in (ALLE.id, GEM, WIJK)
    ]
    assert list(zip(agg["niveau"], agg["id"], agg["rol"])) == verwacht
    assert rij(agg, "criterium", "c2", ALLE.id)["kort"] == "Kort c2"
    assert rij(agg, "criterium", "c3", GEM)["thema_id"] == "T2"
    assert rij(agg, "thema", "T1", ALLE.id)["kort"] == "Thema T1"
    assert rij(agg, "thema", "T1", ALLE.id)["thema_id"] == "T1"


def test_criterium_alle(agg):
    # c1, all respondents: scores 4, 3, 2, 4 (r5 said weet_niet; the 1 from kader 'ander' is ignored)
    #   n = 4, mean = 13/4 = 3.25, sorted 2,3,4,4 -> median (3+4)/2 = 3.5, min 2, max 4
    #   deviations .75, -.25, -1.25, .75 -> squares .5625+.0625+1.5625+.5625 = 2.75
    #   population variance 2.75/4 = .6875 -> spreiding sqrt(.6875)
    gelijk(rij(agg, "criterium", "c1", ALLE.id), dict(
        n=4, gemiddelde=3.25, mediaan=3.5, minimum=2, maximum=4, spreiding=math.sqrt(0.6875), weet_niet=1, nvt=0,
    ))
    # c2, all: scores 1, 1, 2 (r2 said nvt): mean 4/3, median 1
    #   deviations -1/3, -1/3, 2/3 -> squares 1/9+1/9+4/9 = 6/9; /3 = 2/9 -> sqrt(2/9)
    gelijk(rij(agg, "criterium", "c2", ALLE.id), dict(
        n=3, gemiddelde=4 / 3, mediaan=1, minimum=1, maximum=2, spreiding=math.sqrt(2 / 9), weet_niet=0, nvt=1,
    ))


def test_criterium_per_rol(agg):
    # c1 gemeente: 4, 3 -> mean 3.5, median 3.5, deviations ±.5 -> spreiding .5
    gelijk(rij(agg, "criterium", "c1", GEM), dict(
        n=2, gemiddelde=3.5, mediaan=3.5, minimum=3, maximum=4, spreiding=0.5, weet_niet=0, nvt=0,
    ))
    # c1 wijkteam: 2, 4 (+ one weet_niet) -> mean 3, median 3, deviations ±1 -> spreiding 1
    gelijk(rij(agg, "criterium", "c1", WIJK), dict(
        n=2, gemiddelde=3.0, mediaan=3.0, minimum=2, maximum=4, spreiding=1.0, weet_niet=1, nvt=0,
    ))
    # c2 gemeente: only 1 (the other said nvt) -> n 1, spreiding 0 (not NaN: ddof=0)
    gelijk(rij(agg, "criterium", "c2", GEM), dict(
        n=1, gemiddelde=1.0, mediaan=1.0, minimum=1, maximum=1, spreiding=0.0, weet_niet=0, nvt=1,
    ))
    # c2 wijkteam: 1, 2 -> mean 1.5, spreiding .5
    gelijk(rij(agg, "criterium", "c2", WIJK), dict(
        n=2, gemiddelde=1.5, mediaan=1.5, minimum=1, maximum=2, spreiding=0.5, weet_niet=0, nvt=0,
    ))


def test_thema_pooling(agg):
    # T1 pools ALL scored answers of c1 and c2: 4,3,2,4 + 1,1,2 = 7 answers, sum 17
    #   mean 17/7 (NOT the mean of the criterium means, (3.25 + 4/3)/2 = 2.2917)
    #   sorted 1,1,2,2,3,4,4 -> median 2; E[x^2] = (16+9+4+16+1+1+4)/7 = 51/7
    #   variance 51/7 - (17/7)^2 = 357/49 - 289/49 = 68/49 -> spreiding sqrt(68)/7
    r = rij(agg, "thema", "T1", ALLE.id)
    gelijk(r, dict(
        n=7, gemiddelde=17 / 7, mediaan=2, minimum=1, maximum=4, spreiding=math.sqrt(68) / 7, weet_niet=1, nvt=1,
    ))
    assert r["gemiddelde"] != pytest.approx((3.25 + 4 / 3) / 2)
    # T1 gemeente: 4, 3 (c1) + 1 (c2) -> mean 8/3, median 3
    #   E[x^2] = 26/3, variance 26/3 - 64/9 = 14/9 -> sqrt(14)/3
    gelijk(rij(agg, "thema", "T1", GEM), dict(
        n=3, gemiddelde=8 / 3, mediaan=3, minimum=1, maximum=4, spreiding=math.sqrt(14) / 3, weet_niet=0, nvt=1,
    ))
    # T1 wijkteam: 2, 4 (c1) + 1, 2 (c2) -> mean 9/4, sorted 1,2,2,4 -> median 2
    #   E[x^2] = 25/4, variance 25/4 - 81/16 = 19/16 -> sqrt(19)/4
    gelijk(rij(agg, "thema", "T1", WIJK), dict(
        n=4, gemiddelde=9 / 4, mediaan=2, minimum=1, maximum=4, spreiding=math.sqrt(19) / 4, weet_niet=1, nvt=0,
    ))


def test_weet_niet_en_nvt_tellen_maar_scoren_niet(agg):
    # c3 only got weet_niet (r1, gemeente) and nvt (r3, wijkteam): counted, n = 0, no statistics
    nan = float("nan")
    leeg = dict(n=0, gemiddelde=nan, mediaan=nan, minimum=nan, maximum=nan, spreiding=nan)
    gelijk(rij(agg, "criterium", "c3", ALLE.id), leeg | dict(weet_niet=1, nvt=1))
    gelijk(rij(agg, "criterium", "c3", GEM), leeg | dict(weet_niet=1, nvt=0))
    gelijk(rij(agg, "criterium", "c3", WIJK), leeg | dict(weet_niet=0, nvt=1))
    gelijk(rij(agg, "thema", "T2", ALLE.id), leeg | dict(weet_niet=1, nvt=1))
    # totals: 2 weet_niet and 2 nvt in this kader; they are not in n (7 scored answers)
    alle = agg[(agg["niveau"] == "criterium") & (agg["rol"] == ALLE.id)]
    assert alle["weet_niet"].sum() == 2 and alle["nvt"].sum() == 2 and alle["n"].sum() == 7


def test_criterium_zonder_antwoorden_staat_erin():
    kader = maak_kader({"T1": ["c1", "c2"]})
    agg = aggregeer(antwoorden(("r1", GEM, "c1", "2")), kader)
    r = rij(agg, "criterium", "c2", ALLE.id)
    assert r["n"] == 0 and r["weet_niet"] == 0 and r["nvt"] == 0 and math.isnan(r["gemiddelde"])
    assert rij(agg, "criterium", "c2", GEM)["n"] == 0
    # no answers at all: every criterium and thema still has an 'alle' row with n = 0
    leeg = aggregeer(antwoorden(), kader)
    assert list(zip(leeg["niveau"], leeg["id"], leeg["rol"])) == [
        ("criterium", "c1", ALLE.id), ("criterium", "c2", ALLE.id), ("thema", "T1", ALLE.id)
    ]
    assert (leeg["n"] == 0).all()


def test_alleen_rijen_van_dit_kader():
    ander = aggregeer(ANTWOORDEN, maak_kader({"T1": ["c1", "c2"], "T2": ["c3"]}, kader_id="ander"))
    # kader 'ander': only r9 (politie) scored c1 with 1
    gelijk(rij(ander, "criterium", "c1", ALLE.id), dict(n=1, gemiddelde=1.0))
    assert set(ander["rol"]) == {ALLE.id, "politie"}


def test_per_gemeente_en_ronde_in_een_keer():
    tweede = ANTWOORDEN.assign(gemeente="H", score=ANTWOORDEN["score"].replace({"4": "1"}))
    alles = pd.concat([ANTWOORDEN, tweede], ignore_index=True)
    samen = aggregeer(alles, KADER, per=["gemeente", "ronde"])
    assert list(samen.columns) == ["gemeente", "ronde", *KOLOMMEN]
    for g in ("G", "H"):
        deel = samen[samen["gemeente"] == g].drop(columns=["gemeente", "ronde"]).reset_index(drop=True)
        los = aggregeer(filter_antwoorden(alles, gemeente=g, ronde="R"), KADER)
        pd.testing.assert_frame_equal(deel, los)
    # and H really differs: its c1 scores are 1,3,2,1 -> mean 7/4
    assert rij(samen[samen["gemeente"] == "H"], "criterium", "c1", ALLE.id)["gemiddelde"] == pytest.approx(7 / 4)


# --- property test: the numpy implementation equals a plain pandas groupby ---------------

_scores = st.sampled_from(["1", "2", "3", "4", "weet_niet", "nvt"])


@pytest.mark.traag
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(["c1", "c2", "c3"]), _scores), max_size=40))
def test_gelijk_aan_pandas_groupby(data):
    df = antwoorden(*[(f"r{i}", rol, crit, score) for i, (rol, crit, score) in enumerate(data)])
    agg = aggregeer(df, KADER)
    df = df.assign(
        x=pd.to_numeric(df["score"].where(~df["score"].isin(["weet_niet", "nvt"])), errors="coerce"),
        thema=df["criterium"].map({"c1": "T1", "c2": "T1", "c3": "T2"}),
    )
    for niveau, sleutel in (("criterium", "criterium"), ("thema", "thema")):
        for (id_, rol), groep in list(df.groupby([sleutel, "rol"])) + [
            ((i, ALLE.id), g) for i, g in df.groupby(sleutel)
        ]:
            x = groep["x"].dropna()
            r = rij(agg, niveau, id_, rol)
            assert r["n"] == len(x)
            assert r["weet_niet"] == (groep["score"] == "weet_niet").sum()
            assert r["nvt"] == (groep["score"] == "nvt").sum()
            if len(x):
                assert r["gemiddelde"] == pytest.approx(x.mean())
                assert r["mediaan"] == pytest.approx(x.median())
                assert r["minimum"] == x.min() and r["maximum"] == x.max()
                assert r["spreiding"] == pytest.approx(x.std(ddof=0), abs=1e-9)
            else:
                assert np.isnan(r["gemiddelde"]) and np.isnan(r["spreiding"])


def test_national_scale_counts_every_answer_once():
    # 342 gemeenten x 5 rondes x 25 respondents x 3 criteria = 128,250 answers in one call.
    # Speed is measured in bench/, not here; this checks the numbers at that scale.
    rng = np.random.default_rng(1)
    n = 342 * 5 * 25
    resp = np.arange(n)
    df = pd.DataFrame({
        "gemeente": np.repeat([f"g{i}" for i in range(342)], 5 * 25 * 3),
        "ronde": np.tile(np.repeat([f"r{j}" for j in range(5)], 25 * 3), 342),
        "respondent": np.repeat(resp.astype(str), 3),
        "rol": np.repeat(np.array([GEM, WIJK, "politie", "jgz"])[resp % 4], 3),
        "kader": "k",
        "criterium": np.tile(["c1", "c2", "c3"], n),
        "score": rng.choice(["1", "2", "3", "4", "weet_niet", "nvt"], 3 * n),
        "toelichting": "",
    }).astype(str)
    agg = aggregeer(df, KADER, per=["gemeente", "ronde"])
    # per gemeente/ronde: 5 criterium/thema ids x ('alle' + 4 rollen)
    assert len(agg) == 342 * 5 * 5 * 5
    assert agg.loc[agg["rol"] == ALLE.id, "n"].sum() + agg.loc[agg["rol"] == ALLE.id, "weet_niet"].sum() \
        + agg.loc[agg["rol"] == ALLE.id, "nvt"].sum() == 2 * len(df)  # every answer counted once per niveau


# --- rangschik ------------------------------------------------------------------------------


def test_rangschik_volgorde_en_tiebreak():
    # kader order: z_laag, a_gelijk, m_verdeeld, b_gelijk, sterk_hoog, sterk_grens, leeg
    # (ids chosen so that alphabetical order differs from kader order)
    kader = maak_kader({
        "T1": ["z_laag", "a_gelijk", "m_verdeeld"],
        "T2": ["b_gelijk", "sterk_hoog", "sterk_grens", "leeg"],
    })
    df = antwoorden(
        ("r1", GEM, "z_laag", "1"), ("r2", WIJK, "z_laag", "1"),          # mean 1, spreiding 0
        ("r1", GEM, "a_gelijk", "2"), ("r2", WIJK, "a_gelijk", "2"),      # mean 2, spreiding 0
        ("r1", GEM, "m_verdeeld", "1"), ("r2", WIJK, "m_verdeeld", "3"),  # mean 2, spreiding 1
        ("r1", GEM, "b_gelijk", "2"), ("r2", WIJK, "b_gelijk", "2"),      # mean 2, spreiding 0
        ("r1", GEM, "sterk_hoog", "4"), ("r2", WIJK, "sterk_hoog", "3"),  # mean 3.5 -> sterk
        ("r1", GEM, "sterk_grens", "3"), ("r2", WIJK, "sterk_grens", "3"),  # mean 3 = threshold -> sterk
        ("r1", GEM, "leeg", "weet_niet"), ("r2", WIJK, "leeg", "nvt"),    # n = 0
    )
    r = rangschik(aggregeer(df, kader), kader)
    # lowest mean first; at mean 2 the LARGER spreiding (m_verdeeld) first; then kader order
    assert list(r.verbeterpunten["id"]) == ["z_laag", "m_verdeeld", "a_gelijk", "b_gelijk"]
    assert list(r.verbeterpunten["gemiddelde"]) == [1.0, 2.0, 2.0, 2.0]
    assert list(r.sterke_punten["id"]) == ["sterk_hoog", "sterk_grens"]
    assert list(r.niet_beoordeeld["id"]) == ["leeg"]
    assert (r.verbeterpunten["rol"] == ALLE.id).all() and (r.verbeterpunten["niveau"] == "criterium").all()
    assert list(r.verbeterpunten.columns) == list(KOLOMMEN)


def test_rangschik_drempel_komt_uit_kader():
    kader = maak_kader({"T1": ["c1", "c2"]}, sterk=4)
    df = antwoorden(("r1", GEM, "c1", "3"), ("r1", GEM, "c2", "4"))
    r = rangschik(aggregeer(df, kader), kader)
    assert list(r.sterke_punten["id"]) == ["c2"]
    assert list(r.verbeterpunten["id"]) == ["c1"]
    assert r.niet_beoordeeld.empty


def test_rangschik_negeert_zwevendekommaruis():
    # 0.1-style noise must not break a tie: both criteria have mean 7/3 and spreiding sqrt(2/9)
    kader = maak_kader({"T1": ["c1", "c2"]})
    df = antwoorden(
        ("r1", GEM, "c1", "2"), ("r2", GEM, "c1", "2"), ("r3", GEM, "c1", "3"),
        ("r1", GEM, "c2", "3"), ("r2", GEM, "c2", "2"), ("r3", GEM, "c2", "2"),
    )
    r = rangschik(aggregeer(df, kader), kader)
    assert list(r.verbeterpunten["id"]) == ["c1", "c2"]


def test_waarde_buiten_de_schaal_telt_niet():
    # '7' and 'inf' are not on the 1..4 scale: neither scored nor counted as weet_niet/nvt
    agg = aggregeer(antwoorden(("r1", GEM, "c1", "2"), ("r2", GEM, "c1", "7"), ("r3", GEM, "c1", "inf")), KADER)
    gelijk(rij(agg, "criterium", "c1", ALLE.id), dict(n=1, gemiddelde=2.0, maximum=2, weet_niet=0, nvt=0))
