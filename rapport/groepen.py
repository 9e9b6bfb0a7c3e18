"""The groups a report shows, and the anonymity merge that forms them.

One vocabulary for every page, PDF, workbook and CLI; each group has an id (as it
appears in a ``rol`` column) and a label (as it is shown), side by side:

* `ALLE`: all respondents together, the whole. ``ALLE.id`` is the ``rol`` of the
  overall rows of `rapport.aggregatie.aggregeer`; ``ALLE.label`` is the ``groep`` of
  the overall rows of `rapport.analyse.analyseer` and the name of the chart's first line.
* `OVERIGE`: the rol groups below the anonymity threshold, merged into one.
* `SAMEN`: every rol had to be merged, so there is one group of everyone. `anonimiseer`
  writes ``SAMEN.id`` into the rol column (``ALLE.id`` is taken by the whole).

The anonymity merge (docs/analyse.md):

* Rol groups with fewer than `anonimiteitsdrempel` respondents (default 3, env
  ``ZBT_ANONIMITEIT_DREMPEL``) are never shown on their own: they are merged into
  `OVERIGE`. If that group is itself still too small, the smallest named groups join
  it until it is big enough (or everyone is in one group).
* When every rol had to be merged there are no groups: only the whole is shown.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Groep:
    """A group that reports show: its id in a rol column and its display label."""

    id: str
    label: str


ALLE = Groep("alle", "Alle respondenten")
"""All respondents together (the whole)."""

OVERIGE = Groep("overige-partners", "Overige partners")
"""Rol groups below the anonymity threshold, merged."""

SAMEN = Groep("alle-deelnemers", "Alle deelnemers samen")
"""Every rol merged into one group, because all of them were too small."""

DEELNEMER = "Deelnemer"
"""The group shown beside a toelichting when there are no groups (everyone merged)."""

DREMPEL_VARIABELE = "ZBT_ANONIMITEIT_DREMPEL"
STANDAARD_DREMPEL = 3


def anonimiteitsdrempel(drempel: int | None = None) -> int:
    """The anonymity threshold: ``drempel`` itself (at least 1), or when None the
    environment variable ``ZBT_ANONIMITEIT_DREMPEL`` (default 3)."""
    if drempel is not None:
        return max(1, int(drempel))
    try:
        return max(1, int(os.environ.get(DREMPEL_VARIABELE, str(STANDAARD_DREMPEL))))
    except ValueError:
        return STANDAARD_DREMPEL


def samengevoegd_uitleg(drempel: int | None = None) -> str:
    """'Rollen met minder dan 3 deelnemers staan samen onder ‘Overige partners’' (without a
    full stop), with the threshold in force: for captions beside per-rol results."""
    return f"Rollen met minder dan {anonimiteitsdrempel(drempel)} deelnemers staan samen onder ‘{OVERIGE.label}’"


def rolgroepen(antwoorden: pd.DataFrame, rol_namen: Mapping[str, str] | None = None,
               drempel: int | None = None) -> dict[str, str]:
    """rol id -> label of its display group: its name, ``OVERIGE.label`` or, when
    everyone had to be merged, ``ALLE.label`` (see the module doc)."""
    drempel = anonimiteitsdrempel(drempel)
    namen = dict(rol_namen or {})
    aantallen = antwoorden.groupby("rol")["respondent"].nunique()
    # smallest first; on a tie a partner group goes before the gemeente's own group,
    # because gemeente-versus-partners is the comparison that matters most
    volgorde = sorted(aantallen.index, key=lambda r: (int(aantallen[r]), r == "gemeente", r))
    klein = [r for r in volgorde if aantallen[r] < drempel]
    groot = [r for r in volgorde if aantallen[r] >= drempel]
    if klein:
        totaal = int(aantallen[klein].sum())
        while totaal < drempel and groot:  # the merged group must itself be big enough
            kleinste = groot.pop(0)
            klein.append(kleinste)
            totaal += int(aantallen[kleinste])
    if not groot:  # everyone had to be merged: there are no groups to show, only the whole
        return {r: ALLE.label for r in sorted(aantallen.index)}
    return {r: (OVERIGE.label if r in klein else namen.get(r, r)) for r in sorted(aantallen.index)}


def rol_volgorde(rollen: Iterable[str], rol_namen: Mapping[str, str] | None = None) -> list[str]:
    """The rol ids among ``rollen`` (never ``ALLE.id``) in report order: those in
    ``rol_namen`` first, in its order, then the others sorted."""
    aanwezig = [r for r in dict.fromkeys(rollen) if r != ALLE.id]
    bekend = [r for r in (rol_namen or {}) if r in aanwezig]
    return bekend + sorted(r for r in aanwezig if r not in bekend)


def groep_volgorde(groepen: Mapping[str, str]) -> list[str]:
    """The display groups of `rolgroepen` in report order: named groups (by rol id),
    ``OVERIGE.label`` last; never ``ALLE.label`` (the whole is not a group)."""
    namen = [g for g in dict.fromkeys(groepen[r] for r in sorted(groepen)) if g not in (OVERIGE.label, ALLE.label)]
    if OVERIGE.label in groepen.values():
        namen.append(OVERIGE.label)
    return namen


def alles_samengevoegd(groepen: Mapping[str, str]) -> bool:
    """True when `rolgroepen` had to merge every rol (there are no groups to show)."""
    return bool(groepen) and set(groepen.values()) == {ALLE.label}


def anonimiseer(antwoorden: pd.DataFrame, rol_namen: Mapping[str, str] | None = None,
                drempel: int | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """Answers with small rol groups merged, for anything that shows per-rol results.

    Returns a copy whose ``rol`` column holds group ids (rol ids, or ``OVERIGE.id`` /
    ``SAMEN.id`` for merged groups) and the display names for them. Used by the
    overview, the PDF and the workshop, so no view shows a group below the threshold.
    """
    groepen = rolgroepen(antwoorden, rol_namen, drempel)
    namen = dict(rol_namen or {})
    id_van = {}
    for rol, groep in groepen.items():
        id_van[rol] = OVERIGE.id if groep == OVERIGE.label else SAMEN.id if groep == ALLE.label else rol
    namen[OVERIGE.id] = OVERIGE.label
    namen[SAMEN.id] = SAMEN.label
    uit = antwoorden.copy()
    uit["rol"] = uit["rol"].map(id_van).fillna(OVERIGE.id)
    return uit, namen
