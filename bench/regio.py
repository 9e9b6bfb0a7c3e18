"""Figure: the regio view's numbers for a national host (all 342 gemeenten opted in to one
comparison, 5 yearly rondes, 25 respondents each, both kaders).

Times what views/regio.py computes per kader: `rapport.trend.trend` (through the
kader-version mapping, here identity) plus the heatmap table, the spread per criterium
and the trend line per gemeente, best of 3. The baseline, in the same run on the same
data, is a plain pandas groupby median per gemeente x ronde x criterium followed by a
pivot: the least any implementation has to do. Before reporting, the medians of both
are compared on every gemeente x ronde x criterium.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from bench import Figuur, getal, tijd, voortgang
from bench.data import EERSTE_RONDE, laad_kaders_en_rollen, synthetische_antwoorden
from rapport import regio
from rapport.trend import RondeMeta, trend

DOEL_S = 1.0
DOEL_RATIO = 4.0
HERHALINGEN = 3


def met_regio(df: pd.DataFrame, kader, metas) -> pd.DataFrame:
    """The code under test: everything the three tabs need for one kader."""
    tabel = trend(df, metas, kader)
    laatste = regio.rondes_in(tabel)[-1]
    regio.heatmap_tabel(tabel, kader, laatste)
    regio.verdeling(tabel, kader, laatste)
    regio.trend_per_gemeente(tabel)
    return tabel


def met_groupby(df: pd.DataFrame, kader) -> pd.DataFrame:
    """The baseline: median per gemeente x ronde x criterium, pivoted to a heatmap."""
    rijen = df[df["kader"] == kader.id]
    x = pd.to_numeric(rijen["score"], errors="coerce")
    medianen = x.groupby([rijen["gemeente"], rijen["ronde"], rijen["criterium"]]).median()
    medianen.unstack("criterium")
    return medianen


def meet(snel: bool = False) -> list[Figuur]:
    kaders, rollen, _ = laad_kaders_en_rollen()
    gemeenten = 34 if snel else 342
    voortgang(f"regio: synthetische dataset ({gemeenten} gemeenten x 5 rondes x 25 respondenten)")
    df = synthetische_antwoorden(kaders, rollen, gemeenten=gemeenten)
    paren = df[["gemeente", "ronde"]].drop_duplicates()
    versies = {k.id: k.versie for k in kaders.values()}
    metas = [RondeMeta(g, r, versies, int(r) - EERSTE_RONDE) for g, r in paren.itertuples(index=False)]
    tijden, basis_tijden = [], []
    for i in range(HERHALINGEN):
        t = b = 0.0
        for kader in kaders.values():
            dt, _, tabel = tijd(met_regio, df, kader, metas)
            db, _, medianen = tijd(met_groupby, df, kader)
            t, b = t + dt, b + db
            if i == 0:  # same numbers before any figure is reported
                ons = tabel.set_index(["gemeente", "ronde", "criterium"])["mediaan"]
                np.testing.assert_allclose(ons.loc[medianen.index].to_numpy(float), medianen.to_numpy(float))
        tijden.append(t)
        basis_tijden.append(b)
        voortgang(f"regio: ronde {i + 1}/{HERHALINGEN}: regio {t:.3f} s, groupby {b:.3f} s")
    beste, basis = min(tijden), min(basis_tijden)
    ratio = beste / basis
    return [
        Figuur("regio", f"{getal(beste)} s", "< 1 s", beste >= DOEL_S),
        Figuur("regio_ratio", f"{ratio:.2f} × plain pandas groupby-median", "≤ 4×", ratio > DOEL_RATIO),
    ]
