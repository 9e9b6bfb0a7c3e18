"""Trends across rondes, also when rondes used different versions of a kader.

A ronde pins the version of each kader (table ``ronde_kader``). Answers of a ronde on
an older version carry the criterium ids of that version; the koppelbestanden in
``kader/koppelingen/`` (see `kader.koppeling` and docs/kaderversies.md) say where
those answers belong in the current version (the *doelversie*):

* ``hernoemd`` a -> a2: the answers to a count for a2;
* ``gesplitst`` b -> b1, b2: every answer to b counts for b1 AND for b2;
* ``samengevoegd`` c + d -> cd: the answers to c and d are POOLED (one median over
  all those answers, not the median of the two medians); ``n`` then counts answers,
  so one respondent who answered c and d counts twice;
* ``vervallen``: the answers do not reach the doelversie;
* unchanged ids: identity.

`trend` returns one row per (gemeente, ronde, criterium of the doelversie), ordered by
gemeente and ronde order, with a ``koppeling`` column saying which mapping produced
that point (None when the ronde used the doelversie or the criterium was unchanged).
`koppeling_noot` turns the applied mappings into one Dutch sentence for under a chart.

Everything per answer is vectorised: the answers are merged with a small translation
table (old version, old id -> new id) and then aggregated with `aggregatie.aggregeer`.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from kader.koppeling import GESPLITST, HERNOEMD, SAMENGEVOEGD, Koppelingen, OntbrekendeKoppeling
from kader.model import Kader

from .aggregatie import aggregeer
from .groepen import ALLE

KOLOMMEN = (
    "gemeente", "ronde", "volgorde", "kader_versie", "criterium", "kort", "thema_id",
    "n", "mediaan", "gemiddelde", "weet_niet", "nvt", "koppeling",
)


@dataclass(frozen=True)
class RondeMeta:
    """What `trend` needs to know about a ronde besides its answers.

    ``gemeente`` and ``ronde`` match the columns of the uitwisselformaat (the ronde
    label). ``kader_versies`` is the pin: kader id -> versie. ``volgorde`` orders the
    rondes of a gemeente (a creation date, a year, a number: anything sortable, the
    same type for all rondes passed together).
    """

    gemeente: str
    ronde: str
    kader_versies: Mapping[str, str] = field(hash=False)
    volgorde: Any = 0

    @classmethod
    def van_ronde_info(cls, info: Any) -> RondeMeta:
        """From a `storage.repository.RondeInfo` (gemeente, label, kader_versies, aangemaakt)."""
        return cls(info.gemeente, info.label, dict(info.kader_versies), info.aangemaakt)


def _vertaaltabel(doel: Kader, koppelingen: Koppelingen, versies: Sequence[str]) -> pd.DataFrame:
    """Rows (kader_versie, criterium, nieuw, koppeling) for every version that occurs.

    Raises OntbrekendeKoppeling when a version has no chain to the doelversie.
    """
    rijen = []
    for versie in versies:
        for spoor in koppelingen.sporen(doel, versie):
            label = "; ".join(s.beschrijving() for s in spoor.stappen) or None
            rijen.append((versie, spoor.oud, spoor.nieuw, label))
    return pd.DataFrame(rijen, columns=["kader_versie", "criterium", "nieuw", "koppeling"])


def trend(
    antwoorden: pd.DataFrame,
    rondes: Sequence[RondeMeta],
    doel_kader: Kader,
    koppelingen: Koppelingen | None = None,
) -> pd.DataFrame:
    """Per gemeente, ronde and criterium of `doel_kader`: n, mediaan and gemiddelde.

    ``antwoorden`` is the uitwisselformaat (``gemeente, ronde, respondent, rol, kader,
    criterium, score, toelichting``). Only rows of ``doel_kader.id`` are used, and only
    rondes in ``rondes`` that pin that kader; answers of other rondes are ignored.
    Each ronde's answers are read in the version it pinned and brought to
    ``doel_kader.versie`` through ``koppelingen`` (see the module docstring). The
    scale is ``doel_kader.schaal``: a koppeling is only for versions with the same
    antwoordschaal.

    Returns the columns in `KOLOMMEN`, one row per (gemeente, ronde, criterium) for
    every such ronde and every criterium of ``doel_kader`` (n=0 and NaN statistics
    without scored answers), sorted by gemeente, ``volgorde``, ronde and kader order:

    - ``kader_versie``: the version the ronde pinned;
    - ``n`` scored answers (weet_niet/nvt are counted apart and never scored);
      ``mediaan`` (middle two averaged when n is even) and ``gemiddelde``;
    - ``koppeling``: None when the point needs no mapping; otherwise a short label
      such as ``'samengevoegd: c + d → cd (versie 1 → 2)'`` (steps of a chain joined
      with ``'; '``), or ``'bestond niet in versie 1'`` for a criterium that the
      ronde's version did not have (then n=0).

    Raises `kader.koppeling.OntbrekendeKoppeling` (a ValueError with a Dutch message
    naming the ronde) when a ronde's version cannot be brought to the doelversie, and
    ValueError when a (gemeente, ronde) occurs twice in ``rondes``.
    """
    koppelingen = koppelingen if koppelingen is not None else Koppelingen()
    meta = pd.DataFrame(
        [(r.gemeente, r.ronde, str(r.kader_versies[doel_kader.id]), r.volgorde)
         for r in rondes if doel_kader.id in r.kader_versies],
        columns=["gemeente", "ronde", "kader_versie", "volgorde"],
    )
    dubbel = meta.duplicated(["gemeente", "ronde"])
    if dubbel.any():
        g, r = meta.loc[dubbel, ["gemeente", "ronde"]].iloc[0]
        raise ValueError(f"Ronde '{r}' van {g} staat twee keer in de lijst met rondes.")
    meta = meta.sort_values(["gemeente", "volgorde", "ronde"], kind="stable", ignore_index=True)

    versies = list(dict.fromkeys(meta["kader_versie"]))
    try:
        vertaal = _vertaaltabel(doel_kader, koppelingen, versies)
    except OntbrekendeKoppeling as e:
        # name one ronde that needs the missing step
        stuk = next(v for v in versies if _geen_keten(doel_kader, koppelingen, v))
        r = meta.loc[meta["kader_versie"] == stuk].iloc[0]
        raise OntbrekendeKoppeling(
            f"Ronde '{r['ronde']}' van {r['gemeente']} gebruikte versie {stuk} van kader '{doel_kader.id}'. {e}"
        ) from None

    df = antwoorden.loc[antwoorden["kader"] == doel_kader.id,
                        ["gemeente", "ronde", "respondent", "rol", "kader", "criterium", "score"]]
    df = df.merge(meta[["gemeente", "ronde", "kader_versie"]], on=["gemeente", "ronde"], how="inner")
    df = df.merge(vertaal[["kader_versie", "criterium", "nieuw"]], on=["kader_versie", "criterium"], how="inner")
    df["criterium"] = df["nieuw"]
    # Only the 'alle' rows are used: one rol value spares aggregeer the per-rol statistics.
    df["rol"] = "iedereen"
    stats = aggregeer(df, doel_kader, per=("gemeente", "ronde"))
    stats = stats.loc[(stats["niveau"] == "criterium") & (stats["rol"] == ALLE.id),
                      ["gemeente", "ronde", "id", "n", "mediaan", "gemiddelde", "weet_niet", "nvt"]]
    stats = stats.rename(columns={"id": "criterium"})

    criteria = pd.DataFrame({
        "criterium": [c.id for c in doel_kader.criteria],
        "kort": [c.kort for c in doel_kader.criteria],
        "thema_id": [c.thema_id for c in doel_kader.criteria],
        "_kaderpositie": range(len(doel_kader.criteria)),
    })
    labels = (vertaal.dropna(subset=["koppeling"])
              .drop_duplicates(["kader_versie", "nieuw", "koppeling"])
              .groupby(["kader_versie", "nieuw"], sort=False)["koppeling"].agg("; ".join)
              .rename_axis(["kader_versie", "criterium"]).reset_index())
    bereikt = vertaal[["kader_versie", "nieuw"]].drop_duplicates().rename(columns={"nieuw": "criterium"})
    bereikt["_bereikt"] = True

    meta["_rondepositie"] = range(len(meta))
    uit = meta.merge(criteria, how="cross")
    uit = uit.merge(stats, on=["gemeente", "ronde", "criterium"], how="left")
    uit = uit.merge(labels, on=["kader_versie", "criterium"], how="left")
    uit = uit.merge(bereikt, on=["kader_versie", "criterium"], how="left")
    for kolom in ("n", "weet_niet", "nvt"):
        uit[kolom] = uit[kolom].fillna(0).astype("int64")
    for kolom in ("mediaan", "gemiddelde"):
        uit[kolom] = uit[kolom].astype("float64")
    ontbreekt = uit["_bereikt"].isna()
    uit["koppeling"] = uit["koppeling"].astype(object).where(uit["koppeling"].notna(), None)
    uit.loc[ontbreekt, "koppeling"] = "bestond niet in versie " + uit.loc[ontbreekt, "kader_versie"]
    uit = uit.sort_values(["_rondepositie", "_kaderpositie"], kind="stable", ignore_index=True)
    return uit.loc[:, list(KOLOMMEN)]


def _geen_keten(doel: Kader, koppelingen: Koppelingen, versie: str) -> bool:
    try:
        koppelingen.keten(doel, versie)
    except OntbrekendeKoppeling:
        return True
    return False


def koppeling_noten(
    trend_df: pd.DataFrame,
    doel_kader: Kader,
    koppelingen: Koppelingen | None = None,
    criteria: Sequence[str] | None = None,
) -> list[str]:
    """One short Dutch phrase per mapping that `trend_df` (the output of `trend`) applied.

    ``criteria`` limits the phrases to those criterium ids (e.g. the ones on the
    chart); None means all. Phrases follow ronde order (oldest version first), then
    kader order, without repeats, e.g.::

        criterium 'Werkafspraken' heette in versie 1 'Afspraken' (hernoemd)
        criterium 'Bereikbaarheid' was in versie 1 deel van 'Bereik en betrokkenheid'
            (gesplitst: de oude score telt voor elk deel)
        criterium 'Casus en dossier' was in versie 1 'Casusoverleg' en 'Dossiervorming'
            (samengevoegd: de antwoorden zijn samengenomen)
        criterium 'Evaluatie' bestond nog niet in versie 1

    Returns an empty list when every point is native.
    """
    koppelingen = koppelingen if koppelingen is not None else Koppelingen()
    rijen = trend_df.loc[trend_df["koppeling"].notna()]
    if criteria is not None:
        rijen = rijen.loc[rijen["criterium"].isin(list(criteria))]
    gebruikt = set(zip(rijen["kader_versie"], rijen["criterium"]))
    noten: list[str] = []
    for versie in dict.fromkeys(trend_df["kader_versie"]):
        if versie == doel_kader.versie:
            continue
        sporen = koppelingen.sporen(doel_kader, versie)
        keten = koppelingen.keten(doel_kader, versie)
        for c in doel_kader.criteria:
            if (versie, c.id) not in gebruikt:
                continue
            eigen = [s for s in sporen if s.nieuw == c.id]
            if not eigen:
                noten.append(f"{c.soort} '{c.kort}' bestond nog niet in versie {versie}")
            for spoor in eigen:
                for stap in spoor.stappen:
                    noten.append(_zin(stap, _kort_in(stap.koppeling.naar, stap.naar, doel_kader, keten), c.soort))
    return list(dict.fromkeys(noten))


def koppeling_noot(
    trend_df: pd.DataFrame,
    doel_kader: Kader,
    koppelingen: Koppelingen | None = None,
    criteria: Sequence[str] | None = None,
) -> str | None:
    """A caption for a trend chart, or None when no mapping was applied.

    E.g. ``"Vergelijking over kaderversies: criterium 'Werkafspraken' heette in
    versie 1 'Afspraken' (hernoemd)."`` Same arguments as `koppeling_noten`. The text
    is plain (not HTML): escape it where it is put into HTML.
    """
    noten = koppeling_noten(trend_df, doel_kader, koppelingen, criteria)
    if not noten:
        return None
    return "Vergelijking over kaderversies: " + "; ".join(noten) + "."


def _kort_in(versie: str, criterium_id: str, doel: Kader, keten) -> str:
    """The short label of `criterium_id` in `versie` (the doelversie or an intermediate one)."""
    if versie == doel.versie:
        return doel.criterium(criterium_id).kort
    for k in keten:
        if k.van == versie:
            return k.kort_van(criterium_id)
    return criterium_id  # pragma: no cover - the chain always covers intermediate versions


def _zin(stap, kort_nieuw: str, soort: str) -> str:
    k, w = stap.koppeling, stap.wijziging
    oud = [f"'{k.kort_van(i)}'" for i in w.van]
    if w.soort == HERNOEMD:
        return f"{soort} '{kort_nieuw}' heette in versie {k.van} {oud[0]} (hernoemd)"
    if w.soort == GESPLITST:
        return (f"{soort} '{kort_nieuw}' was in versie {k.van} deel van {oud[0]} "
                "(gesplitst: de oude score telt voor elk deel)")
    if w.soort == SAMENGEVOEGD:
        namen = ", ".join(oud[:-1]) + " en " + oud[-1]
        return (f"{soort} '{kort_nieuw}' was in versie {k.van} {namen} "
                "(samengevoegd: de antwoorden zijn samengenomen)")
    return f"{soort} '{kort_nieuw}': {w.soort} in versie {k.naar}"  # pragma: no cover - vervallen reaches nothing


__all__ = ["KOLOMMEN", "RondeMeta", "trend", "koppeling_noten", "koppeling_noot", "OntbrekendeKoppeling"]
