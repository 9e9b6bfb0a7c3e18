"""Aggregate answers in the uitwisselformaat into per-criterium and per-thema statistics.

Input is the uitwisselformaat: a DataFrame with string columns
``gemeente, ronde, respondent, rol, kader, criterium, score, toelichting``.
``score`` is a scale value as a string ('1'..'4'), or ``'weet_niet'`` / ``'nvt'``.
Those two are counted (columns ``weet_niet`` and ``nvt``) but never scored: they do
not count towards ``n`` and do not enter any statistic.

`aggregeer` does NOT split by gemeente or ronde: it aggregates every row of the given
kader that it receives. Filter first (see `filter_antwoorden`) to report on one
gemeente and ronde, or pass ``per=("gemeente", "ronde")`` to aggregate every
combination in one pass.

Everything is vectorised (integer group codes, numpy bincount and one sort per level;
`rapport.statistiek`, the core shared with `rapport.analyse`); there is no Python loop
per answer or per group.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kader.model import Kader
from rapport.groepen import ALLE
from rapport.statistiek import lees_scores, per_groep

KOLOMMEN = (
    "niveau",
    "id",
    "kort",
    "thema_id",
    "rol",
    "n",
    "gemiddelde",
    "mediaan",
    "minimum",
    "maximum",
    "spreiding",
    "weet_niet",
    "nvt",
)

# Means and spreads are rounded to this many decimals before they are compared in
# `rangschik`, so that floating-point noise never decides a tie.
_RANG_DECIMALEN = 9


def filter_antwoorden(
    antwoorden: pd.DataFrame, *, gemeente: str | None = None, ronde: str | None = None
) -> pd.DataFrame:
    """Rows of one gemeente and/or ronde (None means: do not filter on it)."""
    mask = pd.Series(True, index=antwoorden.index)
    if gemeente is not None:
        mask &= antwoorden["gemeente"] == gemeente
    if ronde is not None:
        mask &= antwoorden["ronde"] == ronde
    return antwoorden.loc[mask]


def _codes(kolom: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes (0..k-1) and the sorted distinct values of a string column."""
    codes, waarden = pd.factorize(kolom.astype(str), sort=True)
    return codes.astype("int64"), [str(w) for w in waarden]


def _combinaties(df: pd.DataFrame, per: list[str]) -> tuple[np.ndarray, pd.MultiIndex]:
    """Dense, lexicographically sorted codes for the combinations of the `per` columns.

    Each column is factorized on its own (sorted) and the integer codes are combined,
    instead of building one Python tuple per row (MultiIndex.from_frame), which was the
    largest cost at national scale (see bench/).
    """
    codes, uniek = zip(*(_codes(df[kolom]) for kolom in per))
    vorm = tuple(max(len(u), 1) for u in uniek)
    plat = np.ravel_multi_index(codes, vorm) if len(df) else np.zeros(0, "int64")
    dicht, bezet = pd.factorize(plat, sort=True)  # sorted flat code = lexicographic order
    niveaus = np.unravel_index(np.asarray(bezet, "int64"), vorm)
    waarden = pd.MultiIndex.from_arrays(
        [np.asarray(u, dtype=object)[i] for u, i in zip(uniek, niveaus)], names=per)
    return dicht.astype("int64"), waarden


def aggregeer(
    antwoorden: pd.DataFrame, kader: Kader, *, per: Sequence[str] = ()
) -> pd.DataFrame:
    """Statistics per criterium and per thema, per rol and for all respondents together.

    Returns one row per (niveau, id, rol) with the columns in `KOLOMMEN`:

    - ``niveau`` is ``'criterium'`` or ``'thema'``; ``id`` the criterium or thema id;
      ``kort`` the short label (``Criterium.kort`` / ``Thema.titel``); ``thema_id`` the
      thema the row belongs to (for thema rows: the thema itself).
    - ``rol`` is a rol id, or ``'alle'`` (``ALLE.id``, `rapport.groepen`) for all respondents together.
    - ``n`` counts scored answers; ``gemiddelde``, ``mediaan`` (middle two averaged
      when n is even), ``minimum``, ``maximum`` and ``spreiding`` (population standard
      deviation, ddof=0) are computed over those. ``weet_niet`` and ``nvt`` count the
      answers that were given but not scored.
    - A thema row POOLS all scored answers to the criteria of that thema (every answer
      weighs the same, so a criterium with more answers weighs more); it is not the mean
      of the criterium means.

    Only rows whose ``kader`` is ``kader.id`` (and whose criterium belongs to it) are
    used; a score that is neither on ``kader.schaal`` nor weet_niet/nvt is ignored
    (validation of the uitwisselformaat rejects those before they get here). Every criterium and thema of the kader appears, for ``'alle'`` and for every
    rol that occurs in those rows; without scored answers a row has n=0 and NaN
    statistics. Order: criterium rows first, then thema rows, each in kader order;
    within an id ``'alle'`` first, then the rol ids sorted.

    ``per`` (e.g. ``("gemeente", "ronde")``) aggregates every combination of those
    columns separately in one pass; the columns are then added in front and the rows
    are ordered by combination first. Per combination only the rollen that occur in it
    get rows. Without ``per`` everything that is passed in is aggregated together.
    """
    per = list(per)
    scores = lees_scores(antwoorden, kader)
    df, crit = scores.antwoorden, scores.criterium

    rol_codes, rollen = _codes(df["rol"])
    n_rol = len(rollen) + 1  # slot 0 = 'alle', slot r+1 = rollen[r]
    if per:
        combi_codes, combi_waarden = _combinaties(df, per)
        n_combi = len(combi_waarden)
    else:
        combi_codes = np.zeros(len(df), "int64")
        combi_waarden = None
        n_combi = 1

    aanwezig = np.zeros((n_combi, n_rol), bool)
    aanwezig[:, 0] = True
    aanwezig[combi_codes, rol_codes + 1] = True

    criteria = kader.criteria
    themas = kader.themas
    thema_pos = {t.id: i for i, t in enumerate(themas)}
    thema_van_crit = np.array([thema_pos[c.thema_id] for c in criteria], "int64")

    delen = []
    for niveau, item_codes, ids, korts, thema_ids in (
        (
            "criterium",
            crit,
            [c.id for c in criteria],
            [c.kort for c in criteria],
            [c.thema_id for c in criteria],
        ),
        (
            "thema",
            thema_van_crit[crit],
            [t.id for t in themas],
            [t.titel for t in themas],
            [t.id for t in themas],
        ),
    ):
        n_item = len(ids)
        # group code = ((combination * items) + item) * rollen-slots + rol-slot
        basis = (combi_codes * n_item + item_codes) * n_rol
        aantal = n_combi * n_item * n_rol
        per_rol = per_groep(basis + rol_codes + 1, aantal, scores.score, scores.weet_niet, scores.nvt)
        totaal = per_groep(basis, aantal, scores.score, scores.weet_niet, scores.nvt)  # slot 0 only
        slot = np.tile(np.arange(n_rol), n_combi * n_item)
        stats = {k: np.where(slot == 0, totaal[k], per_rol[k]) for k in KOLOMMEN[5:]}
        houden = aanwezig[np.repeat(np.arange(n_combi), n_item * n_rol), slot]

        deel = {}
        if per:
            combi_rij = np.repeat(np.arange(n_combi), n_item * n_rol)[houden]
            for i, kolom in enumerate(per):
                deel[kolom] = np.asarray(combi_waarden.get_level_values(i), dtype=object)[combi_rij]
        item_rij = np.tile(np.repeat(np.arange(n_item), n_rol), n_combi)[houden]
        deel["niveau"] = np.full(len(item_rij), niveau, dtype=object)
        deel["id"] = np.asarray(ids, dtype=object)[item_rij]
        deel["kort"] = np.asarray(korts, dtype=object)[item_rij]
        deel["thema_id"] = np.asarray(thema_ids, dtype=object)[item_rij]
        deel["rol"] = np.asarray([ALLE.id, *rollen], dtype=object)[slot[houden]]
        for kolom in KOLOMMEN[5:]:
            deel[kolom] = stats[kolom][houden]
        delen.append(pd.DataFrame(deel))

    out = pd.concat(delen, ignore_index=True)
    if per:
        # combination first, then niveau (criterium before thema), keeping kader order
        out = out.sort_values(per, kind="stable", ignore_index=True)
    for kolom in (*per, "niveau", "id", "kort", "thema_id", "rol"):
        out[kolom] = out[kolom].astype(str)
    return out


@dataclass(frozen=True)
class Rangschikking:
    """Overall criterium rows of `aggregeer`, split and ordered.

    Each field is a DataFrame with the columns of `aggregeer` (index reset):

    - ``sterke_punten``: gemiddelde >= kader.sterk_punt_vanaf; highest gemiddelde
      first, then smaller spreiding (more agreement), then kader order.
    - ``verbeterpunten``: the other scored criteria; lowest gemiddelde first, ties
      broken by LARGER spreiding first, then kader order.
    - ``niet_beoordeeld``: criteria with n == 0, in kader order.
    """

    sterke_punten: pd.DataFrame
    verbeterpunten: pd.DataFrame
    niet_beoordeeld: pd.DataFrame


def rangschik(agg: pd.DataFrame, kader: Kader) -> Rangschikking:
    """Split the overall criterium rows into sterke punten, verbeterpunten, niet beoordeeld."""
    volgorde = {c.id: i for i, c in enumerate(kader.criteria)}
    rijen = agg.loc[(agg["niveau"] == "criterium") & (agg["rol"] == ALLE.id)].copy()
    rijen = rijen.loc[rijen["id"].isin(volgorde.keys())]
    rijen["_volgorde"] = rijen["id"].map(volgorde)
    rijen["_gem"] = rijen["gemiddelde"].round(_RANG_DECIMALEN)
    rijen["_spr"] = rijen["spreiding"].round(_RANG_DECIMALEN)

    beoordeeld = rijen["n"] > 0
    sterk = beoordeeld & (rijen["_gem"] >= kader.sterk_punt_vanaf)

    def klaar(df: pd.DataFrame) -> pd.DataFrame:
        return df.drop(columns=["_volgorde", "_gem", "_spr"]).reset_index(drop=True)

    return Rangschikking(
        sterke_punten=klaar(
            rijen.loc[sterk].sort_values(
                ["_gem", "_spr", "_volgorde"], ascending=[False, True, True], kind="stable"
            )
        ),
        verbeterpunten=klaar(
            rijen.loc[beoordeeld & ~sterk].sort_values(
                ["_gem", "_spr", "_volgorde"], ascending=[True, False, True], kind="stable"
            )
        ),
        niet_beoordeeld=klaar(rijen.loc[~beoordeeld].sort_values("_volgorde", kind="stable")),
    )
