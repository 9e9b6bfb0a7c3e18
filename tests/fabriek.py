"""Test data built by hand: small kaders and answers in the uitwisselformaat.

One place for what tests used to copy: `maak_kader` (a kader from criterium ids),
`criterium` (one item, with whatever extra fields a test needs) and `antwoorden`
(a DataFrame in the uitwisselformaat's columns). The real kaders and vragenlijsten
are the session fixtures in conftest.py.

`KOLOMMEN` is imported from the uitwisselformaat here and only here: tests take it
from this module, so a move of that module changes one line.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from kader.model import Antwoordschaal, Bron, Criterium, GeenOordeel, Kader, Schaalpunt, Thema
from uitwisselformaat import KOLOMMEN

__all__ = ["BRON", "KOLOMMEN", "SCHAAL", "antwoorden", "criterium", "maak_kader"]

BRON = Bron("test.txt", "§1")
# the labels of the real vierpuntsschaal (kader/schalen/vierpunts.yaml)
SCHAAL = Antwoordschaal(
    id="vier",
    titel="Vierpuntsschaal",
    punten=(
        Schaalpunt(1, "Klopt niet", ""),
        Schaalpunt(2, "Klopt een beetje", ""),
        Schaalpunt(3, "Klopt grotendeels", ""),
        Schaalpunt(4, "Klopt helemaal", ""),
    ),
    geen_oordeel=(GeenOordeel("weet_niet", "Weet niet", ""), GeenOordeel("nvt", "Niet van toepassing", "")),
)


def criterium(id_: str, thema: str = "t1", *, kort: str | None = None, tekst: str | None = None,
              bron: Bron = BRON, soort: str = "criterium", **velden) -> Criterium:
    """One answerable item; kort 'Kort <id>' and tekst 'Tekst <id>' unless given.
    `velden`: the other `Criterium` fields (indicatoren, ratio, verwachtingen, ...)."""
    return Criterium(id=id_, soort=soort, kort=f"Kort {id_}" if kort is None else kort,
                     tekst=f"Tekst {id_}" if tekst is None else tekst, bron=bron, thema_id=thema, **velden)


def maak_kader(criteria: Sequence[str | Criterium] | Mapping[str, Sequence[str | Criterium]],
               kader_id: str = "k", *, versie: str = "1", titel: str = "Testkader", sterk: int = 3,
               bron: Bron = BRON, schaal: Antwoordschaal = SCHAAL,
               thema_titels: Mapping[str, str] | None = None) -> Kader:
    """A kader with the vierpuntsschaal.

    `criteria`: criterium ids (or `criterium(...)` items) in one thema 't1', or a mapping
    thema id -> those, in order. A thema is titled 'Thema <id>' unless `thema_titels` says otherwise.
    """
    themas = dict(criteria) if isinstance(criteria, Mapping) else {"t1": criteria}
    titels = thema_titels or {}
    return Kader(
        id=kader_id, versie=versie, titel=titel, omschrijving="", bron=bron, schaal=schaal,
        sterk_punt_vanaf=sterk,
        themas=tuple(
            Thema(t, titels.get(t, f"Thema {t}"), bron,
                  tuple(c if isinstance(c, Criterium) else criterium(c, t) for c in items))
            for t, items in themas.items()
        ),
    )


def antwoorden(*rijen: Iterable[object], gemeente: str = "G", ronde: str = "R", kader: str = "k") -> pd.DataFrame:
    """A DataFrame in the uitwisselformaat's columns, every value a string.

    A row is (respondent, rol, criterium, score[, toelichting]), with gemeente, ronde and
    kader from the keywords, or a whole row of the eight columns.
    """
    volledig = []
    for rij in rijen:
        rij = tuple(rij)
        if len(rij) == len(KOLOMMEN):
            volledig.append(rij)
        elif len(rij) in (4, 5):
            respondent, rol, crit, score, *toelichting = rij
            volledig.append((gemeente, ronde, respondent, rol, kader, crit, score, *(toelichting or [""])))
        else:
            raise ValueError(f"een rij heeft 4, 5 of {len(KOLOMMEN)} waarden, niet {len(rij)}: {rij!r}")
    return pd.DataFrame(volledig, columns=list(KOLOMMEN), dtype="str")
