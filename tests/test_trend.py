"""Trends across rondes and kader versions (rapport.trend), with hand-computed values.

The fictional mini-kader (tests/fixtures/koppeling/) has two versions:
version 1: a, b, c, d, x, z; version 2: a2 (a renamed), b1 + b2 (b split),
cd (c and d merged), x (unchanged), e (new); z was dropped.
"""
from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from kader import laad_kaders
from kader.koppeling import Koppelingen, OntbrekendeKoppeling, laad_koppelingen
from rapport.trend import KOLOMMEN, RondeMeta, koppeling_noot, koppeling_noten, trend
from tests.fabriek import antwoorden

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "koppeling"
A = "Aadorp (fictief)"
B = "Beedorp (fictief)"
K = "mini-kader"


@pytest.fixture(scope="module")
def doel():
    res = laad_kaders([FIXTURES / "mini-v2.yaml"])
    assert not res.fouten
    return res.kaders[K]


@pytest.fixture(scope="module")
def koppelingen(doel):
    k, fouten = laad_koppelingen({K: doel}, [FIXTURES / "mini-1-naar-2.yaml"])
    assert not fouten
    return k


def _dag(jaar: int) -> datetime:
    return datetime(jaar, 3, 1, tzinfo=UTC)


RONDES = [  # deliberately not in order
    RondeMeta(A, "2026", {K: "2"}, _dag(2026)),
    RondeMeta(A, "2022", {K: "1"}, _dag(2022)),
    RondeMeta(B, "voorjaar", {K: "2", "ander-kader": "3"}, _dag(2025)),
    RondeMeta(A, "2024", {K: "1"}, _dag(2024)),
]


def _antwoorden() -> pd.DataFrame:
    rijen = []

    def a(gemeente, ronde, respondent, criterium, score, kader=K):
        rijen.append((gemeente, ronde, respondent, "onderwijs", kader, criterium, str(score), ""))

    # Aadorp 2022, version 1
    a(A, "2022", "r1", "a", 1)
    a(A, "2022", "r2", "a", 2)
    a(A, "2022", "r3", "a", "weet_niet")
    a(A, "2022", "r1", "b", 2)
    a(A, "2022", "r2", "b", 4)
    a(A, "2022", "r3", "b", 3)
    a(A, "2022", "r1", "c", 1)
    a(A, "2022", "r2", "c", 2)
    a(A, "2022", "r1", "d", 4)
    a(A, "2022", "r2", "d", 4)
    a(A, "2022", "r3", "d", 3)
    a(A, "2022", "r1", "x", 3)
    a(A, "2022", "r1", "z", 1)  # vervallen: reaches nothing
    # Aadorp 2024, version 1
    a(A, "2024", "r1", "a", 3)
    a(A, "2024", "r2", "a", 4)
    a(A, "2024", "r1", "c", 2)
    a(A, "2024", "r2", "d", "nvt")
    # Aadorp 2026, version 2
    a(A, "2026", "r1", "a2", 4)
    a(A, "2026", "r2", "a2", 4)
    a(A, "2026", "r3", "a2", 2)
    a(A, "2026", "r1", "b1", 2)
    a(A, "2026", "r1", "b2", 3)
    a(A, "2026", "r1", "cd", 3)
    a(A, "2026", "r2", "cd", 1)
    a(A, "2026", "r1", "e", 1)
    a(A, "2026", "r1", "a", 1)  # an old id in a version-2 ronde: not a criterium there, ignored
    # Beedorp, version 2
    a(B, "voorjaar", "p1", "x", 2)
    a(B, "voorjaar", "p1", "a2", 3, kader="ander-kader")  # other kader: ignored
    # a ronde that is not passed in: ignored
    a(A, "2023 (niet gevraagd)", "r1", "a", 1)
    return antwoorden(*rijen)


def _punt(df, gemeente, ronde, criterium) -> dict:
    rij = df.loc[(df["gemeente"] == gemeente) & (df["ronde"] == ronde) & (df["criterium"] == criterium)]
    assert len(rij) == 1
    return rij.iloc[0].to_dict()


HERNOEMD_A = "hernoemd: a → a2 (versie 1 → 2)"
GESPLITST_B = "gesplitst: b → b1, b2 (versie 1 → 2)"
SAMENGEVOEGD_CD = "samengevoegd: c + d → cd (versie 1 → 2)"


@pytest.mark.parametrize(
    ("gemeente", "ronde", "criterium", "n", "mediaan", "gemiddelde", "weet_niet", "nvt", "koppeling"),
    [
        # 2022 on version 1
        (A, "2022", "a2", 2, 1.5, 1.5, 1, 0, HERNOEMD_A),          # a: 1, 2 (+ weet_niet)
        (A, "2022", "b1", 3, 3.0, 3.0, 0, 0, GESPLITST_B),         # b: 2, 4, 3 counts for b1 ...
        (A, "2022", "b2", 3, 3.0, 3.0, 0, 0, GESPLITST_B),         # ... and for b2
        (A, "2022", "cd", 5, 3.0, 2.8, 0, 0, SAMENGEVOEGD_CD),     # c: 1, 2 and d: 4, 4, 3 pooled: 1 2 3 4 4
        (A, "2022", "x", 1, 3.0, 3.0, 0, 0, None),                 # unchanged id
        (A, "2022", "e", 0, np.nan, np.nan, 0, 0, "bestond niet in versie 1"),
        # 2024 on version 1
        (A, "2024", "a2", 2, 3.5, 3.5, 0, 0, HERNOEMD_A),
        (A, "2024", "b1", 0, np.nan, np.nan, 0, 0, GESPLITST_B),
        (A, "2024", "cd", 1, 2.0, 2.0, 0, 1, SAMENGEVOEGD_CD),     # c: 2, d: nvt
        # 2026 on version 2: native
        (A, "2026", "a2", 3, 4.0, 10 / 3, 0, 0, None),
        (A, "2026", "b1", 1, 2.0, 2.0, 0, 0, None),
        (A, "2026", "b2", 1, 3.0, 3.0, 0, 0, None),
        (A, "2026", "cd", 2, 2.0, 2.0, 0, 0, None),
        (A, "2026", "e", 1, 1.0, 1.0, 0, 0, None),
        (B, "voorjaar", "x", 1, 2.0, 2.0, 0, 0, None),
        (B, "voorjaar", "a2", 0, np.nan, np.nan, 0, 0, None),
    ],
)
def test_points_by_hand(doel, koppelingen, gemeente, ronde, criterium, n, mediaan, gemiddelde, weet_niet, nvt, koppeling):
    df = trend(_antwoorden(), RONDES, doel, koppelingen)
    p = _punt(df, gemeente, ronde, criterium)
    assert p["n"] == n
    assert p["weet_niet"] == weet_niet and p["nvt"] == nvt
    if n:
        assert p["mediaan"] == pytest.approx(mediaan)
        assert p["gemiddelde"] == pytest.approx(gemiddelde)
    else:
        assert np.isnan(p["mediaan"]) and np.isnan(p["gemiddelde"])
    assert p["koppeling"] == koppeling


def test_merged_criterium_pools_answers_not_medians(doel, koppelingen):
    df = trend(_antwoorden(), RONDES, doel, koppelingen)
    p = _punt(df, A, "2022", "cd")
    mediaan_van_medianen = (np.median([1, 2]) + np.median([4, 4, 3])) / 2  # 2.75
    assert p["mediaan"] == 3.0 != mediaan_van_medianen


def test_shape_and_order(doel, koppelingen):
    df = trend(_antwoorden(), RONDES, doel, koppelingen)
    assert list(df.columns) == list(KOLOMMEN)
    criteria = [c.id for c in doel.criteria]
    assert len(df) == 4 * len(criteria)  # every ronde x every criterium of version 2
    # gemeente, then ronde order (volgorde), then kader order
    assert list(dict.fromkeys(zip(df["gemeente"], df["ronde"]))) == [
        (A, "2022"), (A, "2024"), (A, "2026"), (B, "voorjaar"),
    ]
    assert list(df["criterium"][:len(criteria)]) == criteria
    assert list(df["kader_versie"].drop_duplicates()) == ["1", "2"]
    assert df.loc[df["criterium"] == "cd", "kort"].unique().tolist() == ["Casus en dossier"]
    # nothing of z (vervallen), of the old id in a version-2 ronde, of the other kader or of other rondes
    assert "z" not in set(df["criterium"]) and "a" not in set(df["criterium"])
    assert "2023 (niet gevraagd)" not in set(df["ronde"])
    assert df["n"].sum() == 2 + 3 + 3 + 5 + 1 + 2 + 1 + 3 + 1 + 1 + 2 + 1 + 1


def test_note_for_the_chart(doel, koppelingen):
    df = trend(_antwoorden(), RONDES, doel, koppelingen)
    assert koppeling_noten(df, doel, koppelingen) == [
        "criterium 'Werkafspraken' heette in versie 1 'Afspraken' (hernoemd)",
        "criterium 'Bereikbaarheid' was in versie 1 deel van 'Bereik en betrokkenheid' "
        "(gesplitst: de oude score telt voor elk deel)",
        "criterium 'Betrokkenheid' was in versie 1 deel van 'Bereik en betrokkenheid' "
        "(gesplitst: de oude score telt voor elk deel)",
        "criterium 'Casus en dossier' was in versie 1 'Casusoverleg' en 'Dossiervorming' "
        "(samengevoegd: de antwoorden zijn samengenomen)",
        "criterium 'Evaluatie' bestond nog niet in versie 1",
    ]
    assert koppeling_noot(df, doel, koppelingen, criteria=["a2", "x"]) == (
        "Vergelijking over kaderversies: criterium 'Werkafspraken' heette in versie 1 'Afspraken' (hernoemd)."
    )
    assert koppeling_noot(df, doel, koppelingen, criteria=["x"]) is None  # unchanged: nothing to say


def test_no_note_when_every_ronde_uses_the_current_version(doel, koppelingen):
    rondes = [r for r in RONDES if r.kader_versies[K] == "2"]
    df = trend(_antwoorden(), rondes, doel, koppelingen)
    assert df["koppeling"].isna().all()
    assert koppeling_noot(df, doel, koppelingen) is None


def test_missing_koppeling_names_the_ronde(doel):
    with pytest.raises(OntbrekendeKoppeling) as e:
        trend(_antwoorden(), RONDES, doel, Koppelingen())
    assert str(e.value).startswith(
        f"Ronde '2022' van {A} gebruikte versie 1 van kader 'mini-kader'. "
        "Er is geen koppeling van versie 1 naar versie 2 van kader 'mini-kader'."
    )
    assert isinstance(e.value, ValueError)


def test_ronde_twice_is_refused(doel, koppelingen):
    with pytest.raises(ValueError, match="Ronde '2024' van Aadorp \\(fictief\\) staat twee keer"):
        trend(_antwoorden(), [*RONDES, RondeMeta(A, "2024", {K: "1"}, _dag(2024))], doel, koppelingen)


def test_no_rondes_gives_an_empty_table(doel, koppelingen):
    df = trend(_antwoorden(), [], doel, koppelingen)
    assert df.empty and list(df.columns) == list(KOLOMMEN)
    assert koppeling_noot(df, doel, koppelingen) is None


def test_ronde_meta_from_ronde_info(doel, koppelingen):
    from storage.repository import RondeInfo

    assert {"gemeente", "label", "kader_versies", "aangemaakt"} <= {f.name for f in dataclasses.fields(RondeInfo)}
    info = SimpleNamespace(gemeente=A, label="2022", kader_versies={K: "1"}, aangemaakt=_dag(2022))
    assert RondeMeta.van_ronde_info(info) == RondeMeta(A, "2022", {K: "1"}, _dag(2022))


def test_matches_a_plain_reference_on_random_data(doel, koppelingen):
    """Many answers: the vectorised result equals a straightforward pandas computation."""
    rng = np.random.default_rng(7)
    v1 = ["a", "b", "c", "d", "x", "z"]
    v2 = [c.id for c in doel.criteria]
    rondes = [RondeMeta(f"G{g}", f"R{r}", {K: "1" if r < 2 else "2"}, r) for g in range(5) for r in range(3)]
    n = 6000
    keuze = rng.integers(0, len(rondes), n)
    versie1 = np.array([rondes[i].kader_versies[K] == "1" for i in keuze])
    criterium = np.where(versie1, np.array(v1)[rng.integers(0, 6, n)], np.array(v2)[rng.integers(0, 6, n)])
    score = np.array(["1", "2", "3", "4", "weet_niet", "nvt"])[rng.integers(0, 6, n)]
    antwoorden = pd.DataFrame({
        "gemeente": [rondes[i].gemeente for i in keuze], "ronde": [rondes[i].ronde for i in keuze],
        "respondent": [f"r{i}" for i in range(n)], "rol": "onderwijs", "kader": K,
        "criterium": criterium, "score": score, "toelichting": "",
    })
    df = trend(antwoorden, rondes, doel, koppelingen)

    # reference: an explicit old -> new mapping, applied with a plain explode + groupby
    naar = {"a": ["a2"], "b": ["b1", "b2"], "c": ["cd"], "d": ["cd"], "x": ["x"], "z": []}
    ref = antwoorden.copy()
    ref["v1"] = ref["ronde"].isin(["R0", "R1"])
    ref["doel"] = [naar[c] if oud else [c] for c, oud in zip(ref["criterium"], ref["v1"])]
    ref = ref.explode("doel").dropna(subset=["doel"])
    ref["x"] = pd.to_numeric(ref["score"], errors="coerce")
    groep = ref.dropna(subset=["x"]).groupby(["gemeente", "ronde", "doel"])["x"]
    verwacht = pd.DataFrame({"n": groep.size(), "mediaan": groep.median(), "gemiddelde": groep.mean()})
    uit = df.set_index(["gemeente", "ronde", "criterium"])
    for sleutel, rij in verwacht.iterrows():
        assert uit.loc[sleutel, "n"] == rij["n"]
        assert uit.loc[sleutel, "mediaan"] == pytest.approx(rij["mediaan"])
        assert uit.loc[sleutel, "gemiddelde"] == pytest.approx(rij["gemiddelde"])
    assert df["n"].sum() == verwacht["n"].sum()
