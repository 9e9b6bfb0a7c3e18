"""Anonymity per criterium: the one rule every report path applies to its answers.

`onderdruk` removes, before anything is counted, every answer that would let a reader
learn what one respondent said about one criterium (docs/analyse.md, "Anonimiteit per
criterium"; docs/architectuur.md, "Waar de anonimiteit wordt bewaakt"):

* A cell is one criterium × one display group of `rapport.groepen.anonimiseer`, within one
  gemeente and ronde. Reports merge groups over the whole ronde or over one kader, so a
  cell is checked under both groupings and must pass in both. It stays when at least ``drempel`` respondents gave it a scale score,
  or when none did and at least ``drempel`` respondents answered it (weet_niet / nvt only).
  Otherwise all its rows go: the scores, the weet_niet and nvt answers and the toelichtingen.
* Then the criterium as a whole (all groups together) must pass the same test on the rows
  that are left; if not, all its rows go and it shows only `TE_WEINIG`.
* Removing rows can make a rol group smaller and change the merge; the rule is repeated
  until nothing changes, so the groups a report forms from the result are the groups that
  were checked.

Every number a report shows (per criterium × group, per thema, per kader, the whole,
min/max, counts of weet_niet and nvt, toelichtingen, attachments) is then computed from
the kept rows only. A removed answer enters no number at all, so no combination of numbers
(the whole minus the groups, a thema minus its other criteria) can bring it back. Applying
`onderdruk` twice gives the same result, so a path may apply it more than once.
"""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from kader.model import NVT, WEET_NIET
from rapport.groepen import anonimiseer, anonimiteitsdrempel

TE_WEINIG = "Te weinig antwoorden om te tonen"
"""What a report shows instead of the numbers and toelichtingen of a suppressed criterium."""

_CEL = ["gemeente", "ronde", "kader", "criterium"]


def _gescoord(score: pd.Series) -> pd.Series:
    """True where the score is a scale value (not weet_niet, nvt, empty or other text)."""
    schoon = score.astype(str).str.strip()
    return pd.to_numeric(schoon.where(~schoon.isin([WEET_NIET, NVT])), errors="coerce").notna()


def _beantwoord(score: pd.Series) -> pd.Series:
    return score.astype(str).str.strip() != ""


def _houd(rijen: pd.DataFrame, sleutels: list[str], drempel: int) -> pd.Series:
    """Per row: does its cell (grouped by ``sleutels``) pass the threshold?"""
    gescoord = rijen["respondent"].where(rijen["_gescoord"])
    beantwoord = rijen["respondent"].where(rijen["_beantwoord"])
    cel = [rijen[k] for k in sleutels]
    n_gescoord = gescoord.groupby(cel, sort=False, dropna=False).transform("nunique")
    n_beantwoord = beantwoord.groupby(cel, sort=False, dropna=False).transform("nunique")
    return (n_gescoord >= drempel) | ((n_gescoord == 0) & (n_beantwoord >= drempel))


def onderdruk(antwoorden: pd.DataFrame, drempel: int | None = None,
              rol_namen: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The answers without the rows of cells below the threshold (module doc).

    Keeps the columns and the original rol ids; rows are only removed, never changed.
    """
    drempel = anonimiteitsdrempel(drempel)
    if antwoorden.empty:
        return antwoorden.copy()
    over = antwoorden
    while True:
        delen = []
        for _, blok in over.groupby(["gemeente", "ronde"], sort=False, dropna=False):
            # reports form groups over the whole ronde (overview, workshop, verbeterplan) or
            # over one kader (analyse, inspectiebezoek, werkboek): a cell must pass in both
            over_ronde = anonimiseer(blok, rol_namen, drempel)[0]["rol"]
            per_kader = pd.concat([anonimiseer(deel, rol_namen, drempel)[0]["rol"]
                                   for _, deel in blok.groupby("kader", sort=False, dropna=False)])
            rijen = blok.assign(_gescoord=_gescoord(blok["score"]), _beantwoord=_beantwoord(blok["score"]),
                                _ronde=over_ronde, _kader=per_kader.reindex(blok.index))
            houd = _houd(rijen, [*_CEL, "_ronde"], drempel) & _houd(rijen, [*_CEL, "_kader"], drempel)
            houd &= _houd(rijen.loc[houd], _CEL, drempel).reindex(rijen.index, fill_value=False)
            delen.append(blok.loc[houd])
        nieuw = pd.concat(delen) if delen else over.iloc[0:0]
        if len(nieuw) == len(over):
            return over.copy() if over is antwoorden else over
        over = nieuw


def onderdrukte_criteria(antwoorden: pd.DataFrame, drempel: int | None = None,
                         rol_namen: Mapping[str, str] | None = None, *,
                         onderdrukt: pd.DataFrame | None = None) -> set[tuple[str, str]]:
    """(kader, criterium) pairs that have answers but show only `TE_WEINIG` after `onderdruk`.
    A caller that has ``onderdruk(antwoorden, drempel, rol_namen)`` already passes it as
    ``onderdrukt``, so the rule is not applied a second time."""
    voor = set(zip(antwoorden["kader"], antwoorden["criterium"]))
    na = onderdruk(antwoorden, drempel, rol_namen) if onderdrukt is None else onderdrukt
    return voor - set(zip(na["kader"], na["criterium"]))
