"""Figure 1: `aggregeer(df, kader, per=("gemeente", "ronde"))` on the national dataset.

Times one pass over both kaders (best of 3) and, in the same run on the same data,
a plain pandas groupby that computes the same numbers: n, mean, median, min, max,
population std and the weet_niet/nvt counts, per gemeente x ronde x criterium x rol
and for all roles together ('alle'), and the same again per thema (aggregeer pools
all answers of a thema, so the baseline groups on the thema of each criterium).
Before reporting, a random sample of aggregeer's rows is checked against the
baseline, so the ratio compares two computations of the same result.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from bench import Figuur, getal, tijd, voortgang
from bench.data import laad_kaders_en_rollen, synthetische_antwoorden
from kader.model import NVT, WEET_NIET, Kader
from rapport.aggregatie import aggregeer
from rapport.groepen import ALLE

DOEL_S = 1.0
DOEL_RATIO = 2.0
HERHALINGEN = 3
STEEKPROEF = 2000
PER = ("gemeente", "ronde")
_STATS = ("n", "gemiddelde", "mediaan", "minimum", "maximum", "spreiding", "weet_niet", "nvt")


def met_aggregeer(df: pd.DataFrame, kaders: Mapping[str, Kader]) -> dict[str, pd.DataFrame]:
    """The code under test: one `aggregeer` call per kader."""
    return {k.id: aggregeer(df, k, per=PER) for k in kaders.values()}


def met_groupby(df: pd.DataFrame, kaders: Mapping[str, Kader]) -> dict[tuple[str, bool], pd.DataFrame]:
    """The baseline: plain pandas groupby over all kaders at once.

    Returns {(niveau, per_rol): frame indexed by gemeente, ronde, kader, item[, rol]}
    with the columns n, gemiddelde, mediaan, minimum, maximum, spreiding, weet_niet, nvt.
    """
    thema = {(k.id, c.id): c.thema_id for k in kaders.values() for c in k.criteria}
    sleutel = df["kader"] + "\x1f" + df["criterium"]
    plat = pd.DataFrame({
        "gemeente": df["gemeente"],
        "ronde": df["ronde"],
        "kader": df["kader"],
        "criterium": df["criterium"],
        "thema": sleutel.map({f"{k}\x1f{c}": t for (k, c), t in thema.items()}),
        "rol": df["rol"],
        "x": pd.to_numeric(df["score"], errors="coerce"),  # weet_niet / nvt -> NaN
        "weet_niet": df["score"] == WEET_NIET,
        "nvt": df["score"] == NVT,
    })
    uit = {}
    for niveau, item in (("criterium", "criterium"), ("thema", "thema")):
        for per_rol in (True, False):
            sleutels = [*PER, "kader", item, *(["rol"] if per_rol else [])]
            groep = plat.groupby(sleutels, observed=True)
            x = groep["x"]
            uit[(niveau, per_rol)] = pd.DataFrame({
                "n": x.count(),
                "gemiddelde": x.mean(),
                "mediaan": x.median(),
                "minimum": x.min(),
                "maximum": x.max(),
                "spreiding": x.std(ddof=0),
                "weet_niet": groep["weet_niet"].sum(),
                "nvt": groep["nvt"].sum(),
            })
    return uit


def controleer(
    agg: dict[str, pd.DataFrame], basis: dict[tuple[str, bool], pd.DataFrame], seed: int = 7
) -> int:
    """Assert that a random sample of aggregeer rows equals the baseline; returns the sample size."""
    rng = np.random.default_rng(seed)
    gecontroleerd = 0
    for kader_id, uit in agg.items():
        rijen = uit.iloc[np.sort(rng.choice(len(uit), size=min(STEEKPROEF, len(uit)), replace=False))]
        for rij in rijen.itertuples(index=False):
            per_rol = rij.rol != ALLE.id
            sleutel = (rij.gemeente, rij.ronde, kader_id, rij.id, *([rij.rol] if per_rol else []))
            verwacht = basis[(rij.niveau, per_rol)].loc[sleutel]
            for kolom in _STATS:
                a, b = float(getattr(rij, kolom)), float(verwacht[kolom])
                assert (np.isnan(a) and np.isnan(b)) or abs(a - b) <= 1e-9, (
                    f"aggregeer en groupby verschillen: {sleutel} {rij.niveau} {kolom}: {a} != {b}"
                )
            gecontroleerd += 1
    # and the totals agree: every scored answer is counted once per level
    for (niveau, per_rol), frame in basis.items():
        totaal = sum(
            int(u.loc[(u["niveau"] == niveau) & ((u["rol"] != ALLE.id) == per_rol), "n"].sum())
            for u in agg.values()
        )
        assert totaal == int(frame["n"].sum()), f"totaal n verschilt ({niveau}, per_rol={per_rol})"
    return gecontroleerd


def meet(snel: bool = False) -> list[Figuur]:
    kaders, rollen, _ = laad_kaders_en_rollen()
    gemeenten = 34 if snel else 342
    voortgang(f"aggregatie: synthetische dataset maken ({gemeenten} gemeenten x 5 rondes x 25 respondenten)")
    df = synthetische_antwoorden(kaders, rollen, gemeenten=gemeenten)
    n_crit = sum(len(k.criteria) for k in kaders.values())
    voortgang(f"aggregatie: {len(df):,} antwoorden, {n_crit} criteria in {len(kaders)} kaders")

    tijden_agg, tijden_basis, cpu_agg, cpu_basis = [], [], [], []
    agg = basis = None
    for i in range(HERHALINGEN):  # interleaved, so drift hits both the same
        t, c, agg = tijd(met_aggregeer, df, kaders)
        tijden_agg.append(t)
        cpu_agg.append(c)
        t, c, basis = tijd(met_groupby, df, kaders)
        tijden_basis.append(t)
        cpu_basis.append(c)
        voortgang(f"aggregatie: ronde {i + 1}/{HERHALINGEN}: aggregeer {tijden_agg[-1]:.3f} s "
                  f"(cpu {cpu_agg[-1]:.3f}), groupby {tijden_basis[-1]:.3f} s (cpu {cpu_basis[-1]:.3f})")
    aantal = controleer(agg, basis)
    voortgang(f"aggregatie: {aantal} rijen van aggregeer gelijk aan groupby (n, gemiddelde, mediaan, "
              "min, max, spreiding, weet_niet, nvt)")
    for k in kaders.values():  # where the time goes, per kader (stderr only)
        t, c, _ = tijd(lambda d, kk: aggregeer(d, kk, per=PER), df, k)
        voortgang(f"aggregatie: alleen kader {k.id} ({len(k.criteria)} criteria): {t:.3f} s (cpu {c:.3f})")

    beste_agg, beste_basis = min(tijden_agg), min(tijden_basis)
    ratio = beste_agg / beste_basis
    voortgang(f"aggregatie: beste van {HERHALINGEN}: aggregeer {beste_agg:.3f} s (cpu {min(cpu_agg):.3f}), "
              f"groupby {beste_basis:.3f} s (cpu {min(cpu_basis):.3f})")
    return [
        Figuur("aggregation", f"{getal(beste_agg)} s", "< 1 s", beste_agg >= DOEL_S),
        Figuur("aggregation_ratio", f"{ratio:.2f} × plain pandas groupby", "≤ 2×", ratio > DOEL_RATIO),
    ]
