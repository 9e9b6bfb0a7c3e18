"""What a workshop shows when answers are revealed, without exposing anyone.

* Rol groups with fewer than `drempel` respondents (default 3, env
  ``ZBT_ANONIMITEIT_DREMPEL``) are never shown on their own: they are merged into
  "Overige partners". If that group is itself still too small, the smallest named
  groups join it until it is big enough (or everyone is in one group).
* When every rol had to be merged there are no groups: only the whole is shown,
  and toelichtingen are labelled 'Deelnemer'.
* Toelichtingen carry only their group and score, never a pseudonym, and are
  ordered by score and then by a hash of the text, so the order gives away nothing
  about who wrote what or when.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping

import pandas as pd

from kader.model import NVT, WEET_NIET, Kader

OVERIGE = "Overige partners"
ALLE_GROEP = "Alle respondenten"


def standaard_drempel() -> int:
    try:
        return max(1, int(os.environ.get("ZBT_ANONIMITEIT_DREMPEL", "3")))
    except ValueError:
        return 3


def rolgroepen(antwoorden: pd.DataFrame, rol_namen: Mapping[str, str] | None = None,
               drempel: int | None = None) -> dict[str, str]:
    """rol id -> display group, merging small roles into OVERIGE (see module doc)."""
    drempel = standaard_drempel() if drempel is None else drempel
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
        return {r: ALLE_GROEP for r in sorted(aantallen.index)}
    return {r: (OVERIGE if r in klein else namen.get(r, r)) for r in sorted(aantallen.index)}


def _labels(kader: Kader) -> dict[str, str]:
    labels = {str(p.waarde): f"{p.waarde} · {p.label}" for p in kader.schaal.punten}
    labels.update({g.waarde: g.label for g in kader.schaal.geen_oordeel})
    return labels


def verdeling(antwoorden: pd.DataFrame, kader: Kader, criterium_id: str,
              groepen: Mapping[str, str]) -> pd.DataFrame:
    """Counts per score for one criterium: rows = 'Alle respondenten' + groups, columns = scale labels."""
    labels = _labels(kader)
    deel = antwoorden[(antwoorden["kader"] == kader.id) & (antwoorden["criterium"] == criterium_id)]
    deel = deel[deel["score"].isin(labels)]
    volgorde_groepen = [ALLE_GROEP, *dict.fromkeys(g for g in groepen.values() if g not in (OVERIGE, ALLE_GROEP))]
    if OVERIGE in groepen.values():
        volgorde_groepen.append(OVERIGE)
    rijen = {ALLE_GROEP: deel["score"].value_counts()}
    groep_per_rij = deel["rol"].map(groepen).fillna(OVERIGE)
    for groep, sub in deel.groupby(groep_per_rij):
        if groep != ALLE_GROEP:
            rijen[groep] = sub["score"].value_counts()
    tabel = pd.DataFrame(rijen).T.reindex(index=volgorde_groepen, columns=list(labels)).fillna(0).astype(int)
    tabel.columns = [labels[c] for c in tabel.columns]
    tabel.index.name = "Groep"
    return tabel


def toelichtingen(antwoorden: pd.DataFrame, kader: Kader, criterium_id: str,
                  groepen: Mapping[str, str]) -> list[dict[str, str]]:
    """Non-empty toelichtingen for one criterium: {groep, score, tekst}, without pseudonyms."""
    labels = _labels(kader)
    deel = antwoorden[(antwoorden["kader"] == kader.id) & (antwoorden["criterium"] == criterium_id)]
    uit = []
    for rol, score, tekst in zip(deel["rol"], deel["score"], deel["toelichting"]):
        tekst = (tekst or "").strip()
        if tekst:
            groep = groepen.get(rol, OVERIGE)
            uit.append({"groep": "Deelnemer" if groep == ALLE_GROEP else groep, "score": labels.get(score, score), "tekst": tekst,
                        "_sleutel": (score in (WEET_NIET, NVT), score, hashlib.sha256(tekst.encode()).hexdigest())})
    uit.sort(key=lambda t: t["_sleutel"])
    for t in uit:
        del t["_sleutel"]
    return uit


OVERIGE_ID = "overige-partners"
ALLE_ID = "alle-deelnemers"


def anonimiseer(antwoorden: pd.DataFrame, rol_namen: Mapping[str, str] | None = None,
                drempel: int | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """Answers with small rol groups merged, for anything that shows per-rol results.

    Returns a copy whose `rol` column holds group ids (rol ids, or OVERIGE_ID /
    ALLE_ID for merged groups) and the display names for them. Used by the
    overview, the PDF and the workshop, so no view shows a group below the threshold.
    """
    groepen = rolgroepen(antwoorden, rol_namen, drempel)
    namen = dict(rol_namen or {})
    id_van = {}
    for rol, groep in groepen.items():
        id_van[rol] = OVERIGE_ID if groep == OVERIGE else ALLE_ID if groep == ALLE_GROEP else rol
    namen[OVERIGE_ID] = OVERIGE
    namen[ALLE_ID] = "Alle deelnemers samen"
    uit = antwoorden.copy()
    uit["rol"] = uit["rol"].map(id_van).fillna(OVERIGE_ID)
    return uit, namen
