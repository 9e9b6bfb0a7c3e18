"""The statistics core shared by `rapport.aggregatie` and `rapport.analyse`.

`lees_scores` turns the answers to one kader (the uitwisselformaat) into arrays: per
answer its criterium (position in the kader), its score (NaN when not scored) and
whether it was 'weet niet' or 'nvt'. `per_groep` computes every statistic per group
code from such arrays, vectorised: integer group codes, ``numpy.bincount`` and one sort,
no Python loop per answer or per group. The callers decide what a group is (a
criterium per rol, a thema per combination of gemeente and ronde, ...).

Definitions (docs/rekenregels.md, docs/analyse.md):

* ``n`` counts scored answers; weet_niet and nvt are counted apart and never scored.
* ``mediaan``, ``q1`` and ``q3`` interpolate linearly (numpy's default, Hyndman & Fan
  type 7, Excel QUARTILE.INC); the median of an even count is the mean of the middle two.
* ``spreiding`` is the population standard deviation (ddof=0), computed in two passes.
* ``consensus`` is Tastle & Wierman (2007), with d_X the width of the kader's scale.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kader.model import NVT, WEET_NIET, Kader


@dataclass(frozen=True, eq=False)
class Scores:
    """The answers to one kader as arrays, one entry per row of ``antwoorden``."""

    antwoorden: pd.DataFrame  # the rows of this kader whose criterium belongs to it
    criterium: np.ndarray  # position of the criterium in kader.criteria (int64)
    score: np.ndarray  # the scale value (float64), NaN when not scored
    weet_niet: np.ndarray  # bool
    nvt: np.ndarray  # bool


def lees_scores(antwoorden: pd.DataFrame, kader: Kader) -> Scores:
    """Rows of this kader (and its criteria), plus per row: criterium code, score, flags.

    Strings are factorized once and only the (few) distinct values are parsed, so the
    cost per answer is a handful of vectorised array operations. A score that is not on
    the kader's scale (validation rejects those earlier), or missing, is not scored.
    """
    criterium_ids = [c.id for c in kader.criteria]
    df = antwoorden.loc[antwoorden["kader"] == kader.id]
    crit = np.asarray(pd.Categorical(df["criterium"], categories=criterium_ids).codes, "int64")
    binnen = crit >= 0  # criteria that are not in this kader are ignored
    df = df.loc[binnen]
    crit = crit[binnen]

    score_codes, score_waarden = pd.factorize(df["score"])
    schoon = pd.Series(pd.Index(score_waarden).astype(str).str.strip(), dtype=object)
    is_weet_niet = np.append((schoon == WEET_NIET).to_numpy(bool), False)
    is_nvt = np.append((schoon == NVT).to_numpy(bool), False)
    # weet_niet / nvt (and anything else non-numeric, or missing) become NaN: not scored.
    # The extra last slot is for missing scores (factorize code -1).
    numeriek = np.append(pd.to_numeric(schoon, errors="coerce").to_numpy("float64"), np.nan)
    numeriek[~np.isin(numeriek, np.asarray(kader.schaal.waarden, dtype="float64"))] = np.nan
    score_codes = np.where(score_codes >= 0, score_codes, len(score_waarden))  # missing -> NaN
    return Scores(df, crit, numeriek[score_codes], is_weet_niet[score_codes], is_nvt[score_codes])


def aantal_verschillend(code: np.ndarray, waarde: np.ndarray, aantal: int) -> np.ndarray:
    """Number of distinct ``waarde`` (integer codes, e.g. respondents) per group code."""
    if len(code) == 0:
        return np.zeros(aantal, "int64")
    breedte = int(waarde.max()) + 1
    paren = np.sort(code * breedte + waarde)  # sort + diff: faster than np.unique here
    eerste = np.empty(len(paren), bool)
    eerste[0] = True
    np.not_equal(paren[1:], paren[:-1], out=eerste[1:])
    return np.bincount(paren[eerste] // breedte, minlength=aantal).astype("int64")


def _kwantiel(x_sorted: np.ndarray, start: np.ndarray, n: np.ndarray, p: float) -> np.ndarray:
    """Linear-interpolation quantile per group: position h = (n - 1) * p in the sorted
    values of the group."""
    h = (n - 1) * p
    laag = np.floor(h).astype("int64")
    hoog = np.ceil(h).astype("int64")
    a = x_sorted[start + laag]
    b = x_sorted[start + hoog]
    return a + (h - laag) * (b - a)


def per_groep(
    code: np.ndarray,
    aantal: int,
    score: np.ndarray,
    weet_niet: np.ndarray,
    nvt: np.ndarray,
    *,
    respondent: np.ndarray | None = None,
    schaal: Sequence[int] | None = None,
) -> dict[str, np.ndarray]:
    """Statistics per group code 0..aantal-1 (``code`` holds one code per answer).

    Always: ``n``, ``weet_niet``, ``nvt`` (counts), ``aantal_antwoorden`` (their sum),
    ``gemiddelde``, ``spreiding``, ``mediaan``, ``q1``, ``q3``, ``iqr``, ``minimum``,
    ``maximum`` (NaN without scores), ``aandeel_weet_niet`` and ``aandeel_nvt`` (shares
    of the answers given). With ``respondent`` (integer codes): ``respondenten`` and
    ``respondenten_gescoord`` (distinct respondents with an answer / a score). With
    ``schaal`` (the kader's scale values): ``consensus``.
    """
    geldig = ~np.isnan(score)
    g = code[geldig]
    x = score[geldig]
    n = np.bincount(g, minlength=aantal).astype("int64")
    n_wn = np.bincount(code[weet_niet], minlength=aantal).astype("int64")
    n_nvt = np.bincount(code[nvt], minlength=aantal).astype("int64")
    gegeven = n + n_wn + n_nvt
    met = n > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        gem = np.bincount(g, weights=x, minlength=aantal) / n
        afwijking = x - gem[g]
        spreiding = np.sqrt(np.bincount(g, weights=afwijking * afwijking, minlength=aantal) / n)
        aandeel_wn = n_wn / gegeven
        aandeel_nvt = n_nvt / gegeven

    volgorde = np.lexsort((x, g))
    x_sorted = x[volgorde]
    start = np.searchsorted(g[volgorde], np.arange(aantal), side="left")
    minimum, maximum, mediaan, q1, q3 = (np.full(aantal, np.nan) for _ in range(5))
    s, k = start[met], n[met]
    minimum[met] = x_sorted[s]
    maximum[met] = x_sorted[s + k - 1]
    mediaan[met] = _kwantiel(x_sorted, s, k, 0.5)
    q1[met] = _kwantiel(x_sorted, s, k, 0.25)
    q3[met] = _kwantiel(x_sorted, s, k, 0.75)
    gem[~met] = np.nan
    spreiding[~met] = np.nan

    uit = {
        "n": n,
        "weet_niet": n_wn,
        "nvt": n_nvt,
        "aantal_antwoorden": gegeven,
        "gemiddelde": gem,
        "spreiding": spreiding,
        "mediaan": mediaan,
        "q1": q1,
        "q3": q3,
        "iqr": q3 - q1,
        "minimum": minimum,
        "maximum": maximum,
        "aandeel_weet_niet": aandeel_wn,
        "aandeel_nvt": aandeel_nvt,
    }
    if respondent is not None:
        uit["respondenten"] = aantal_verschillend(code, respondent, aantal)
        uit["respondenten_gescoord"] = aantal_verschillend(g, respondent[geldig], aantal)
    if schaal is not None:
        uit["consensus"] = _consensus(g, x, n, gem, aantal, schaal)
    return uit


def _consensus(g: np.ndarray, x: np.ndarray, n: np.ndarray, gem: np.ndarray, aantal: int,
               schaal: Sequence[int]) -> np.ndarray:
    """Tastle & Wierman per group: one term per scale value (a handful), each a bincount."""
    d = float(max(schaal) - min(schaal))
    som = np.zeros(aantal)
    if d > 0:
        for waarde in schaal:
            c = np.bincount(g[x == waarde], minlength=aantal)
            heeft = c > 0  # then 1 - |X_i - mu|/d > 0: mu lies strictly inside the scale
            term = np.zeros(aantal)
            term[heeft] = (c[heeft] / n[heeft]) * np.log2(1 - np.abs(waarde - gem[heeft]) / d)
            som += term
    consensus = np.clip(1.0 + som, 0.0, 1.0)
    consensus[n == 0] = np.nan
    return consensus
