"""What a workshop shows when answers are revealed, without exposing anyone.

* Rol groups come from `rapport.groepen.rolgroepen`: a group below the anonymity
  threshold never appears on its own.
* When every rol had to be merged there are no groups: only the whole is shown,
  and toelichtingen are labelled 'Deelnemer' (`rapport.groepen.DEELNEMER`).
* Toelichtingen carry only their group and score, never a pseudonym, and are
  ordered by score and then by a hash of the text, so the order gives away nothing
  about who wrote what or when.
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping

import pandas as pd

from kader.model import NVT, WEET_NIET, Kader
from rapport.groepen import ALLE, DEELNEMER, OVERIGE, groep_volgorde


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
    volgorde_groepen = [ALLE.label, *groep_volgorde(groepen)]
    rijen = {ALLE.label: deel["score"].value_counts()}
    groep_per_rij = deel["rol"].map(groepen).fillna(OVERIGE.label)
    for groep, sub in deel.groupby(groep_per_rij):
        if groep != ALLE.label:
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
            groep = groepen.get(rol, OVERIGE.label)
            uit.append({"groep": DEELNEMER if groep == ALLE.label else groep, "score": labels.get(score, score),
                        "tekst": tekst,
                        "_sleutel": (score in (WEET_NIET, NVT), score, hashlib.sha256(tekst.encode()).hexdigest())})
    uit.sort(key=lambda t: t["_sleutel"])
    for t in uit:
        del t["_sleutel"]
    return uit
