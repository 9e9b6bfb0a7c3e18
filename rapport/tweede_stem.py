"""Before and after the discussion: the first vote against the second silent vote.

`eensgezindheid` is the agreement measure the workshop shows for a criterium: Tastle &
Wierman's ordinal consensus (2007; the same formula as ``consensus`` in
`rapport.statistiek`, docs/analyse.md),

    eensgezindheid = 1 + sum_i p_i * log2(1 - |X_i - mu| / d_X)

over the scale values X_i with share p_i, mean mu, and d_X the width of the kader's
scale (4 - 1 = 3 on the vierpuntsschaal). 1 = everyone gave the same score; 0 = the group
is split evenly between the two extremes. 'weet niet' and 'nvt' do not count. Using it to
compare the two votes is the instrument's own choice (`UITLEG`).

Anonymity: both votes go through `rapport.anonimiteit.onderdruk` (the first vote exactly
as the reveal showed it), and a criterium's before/after is shown only when both votes
have at least the threshold of scale scores (`Verschuiving.achtergehouden`). Only the
whole group is shown, never a rol group: a second vote is often given by fewer people.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from kader.model import Kader
from rapport.anonimiteit import onderdruk
from rapport.groepen import anonimiteitsdrempel
from rapport.opmaak import getal, score

UITLEG = ("Eensgezindheid is een maat van dit instrument (naar Tastle en Wierman, 2007): "
          "1 betekent dat iedereen dezelfde score gaf, 0 dat de groep precies verdeeld is over "
          "de laagste en de hoogste score. ‘Weet niet’ en ‘n.v.t.’ tellen niet mee.")
"""The one-line plain explanation shown wherever the measure is shown."""

EERSTE, TWEEDE = "Eerste stem", "Tweede stem"
"""Row labels of `verdeling_voor_na`."""

VERSCHUIVING_GRENS = 0.1
"""The instrument's own rule: the discussion 'moved' a criterium when the eensgezindheid
changed by at least 0.1 or the median changed."""


def _getallen(scores: Iterable) -> list[float]:
    uit = []
    for s in scores:
        try:
            x = float(str(s).strip())
        except ValueError:
            continue  # weet_niet, nvt, empty
        if not math.isnan(x):
            uit.append(x)
    return uit


def eensgezindheid(scores: Iterable, schaal: Sequence[int] = (1, 2, 3, 4)) -> float | None:
    """Tastle & Wierman's consensus of ``scores`` (strings or numbers; 'weet_niet', 'nvt'
    and empty are ignored) on a scale with values ``schaal`` (its width is max - min).
    None without any scale score. Between 0 and 1."""
    x = _getallen(scores)
    if not x:
        return None
    breedte = float(max(schaal) - min(schaal))
    if breedte <= 0:
        return 1.0
    gem = sum(x) / len(x)
    som = 0.0
    for waarde in set(x):
        p = x.count(waarde) / len(x)
        som += p * math.log2(1 - abs(waarde - gem) / breedte)
    return min(1.0, max(0.0, 1.0 + som))


def _mediaan(x: list[float]) -> float | None:
    if not x:
        return None
    x = sorted(x)
    m = len(x) // 2
    return x[m] if len(x) % 2 else (x[m - 1] + x[m]) / 2


@dataclass(frozen=True)
class Verschuiving:
    """One criterium before and after the discussion. With ``achtergehouden`` (fewer than
    the threshold of scale scores in either vote) every number is None."""

    kader_id: str
    criterium_id: str
    kort: str
    n_voor: int | None
    n_na: int | None
    eensgezindheid_voor: float | None
    eensgezindheid_na: float | None
    mediaan_voor: float | None
    mediaan_na: float | None
    afgesproken: str | None  # the score the group agreed on ('3', 'weet_niet', 'nvt'), or None
    achtergehouden: bool

    @property
    def verschoven(self) -> bool:
        """Did the discussion move this criterium (`VERSCHUIVING_GRENS`, or another median)?"""
        if self.achtergehouden:
            return False
        return (abs(self.eensgezindheid_na - self.eensgezindheid_voor) >= VERSCHUIVING_GRENS - 1e-9
                or self.mediaan_na != self.mediaan_voor)

    def in_woorden(self) -> str:
        """'van 0,41 naar 0,68' for the eensgezindheid; a plain sentence when withheld."""
        if self.achtergehouden:
            return "achtergehouden: te weinig scores om te tonen"
        return f"van {getal(self.eensgezindheid_voor, 2)} naar {getal(self.eensgezindheid_na, 2)}"


def _deel(antwoorden: pd.DataFrame, kader_id: str, criterium_id: str) -> pd.Series:
    return antwoorden.loc[(antwoorden["kader"] == kader_id) & (antwoorden["criterium"] == criterium_id), "score"]


def verschuivingen(eerste: pd.DataFrame, tweede: pd.DataFrame, kader: Kader,
                   consensus: Mapping | None = None, drempel: int | None = None,
                   rol_namen: Mapping[str, str] | None = None) -> list[Verschuiving]:
    """Per criterium of ``kader`` that has second votes (in kader order): before and after.

    ``eerste`` and ``tweede`` are in the answers format (`storage.repository.antwoorden_df`
    and `tweede_stemmen_df` of one ronde); ``consensus`` as `consensus_van` returns it.
    """
    drempel = anonimiteitsdrempel(drempel)
    consensus = consensus or {}
    gevraagd = set(tweede.loc[tweede["kader"] == kader.id, "criterium"])
    voor = onderdruk(eerste, drempel, rol_namen=rol_namen)
    na = onderdruk(tweede, drempel, rol_namen=rol_namen)
    schaal = kader.schaal.waarden
    uit = []
    for crit in kader.criteria:
        if crit.id not in gevraagd:
            continue
        x_voor = _getallen(_deel(voor, kader.id, crit.id))
        x_na = _getallen(_deel(na, kader.id, crit.id))
        afgesproken = consensus.get((kader.id, crit.id))
        afgesproken = afgesproken[0] if afgesproken else None
        if len(x_voor) < drempel or len(x_na) < drempel:
            uit.append(Verschuiving(kader.id, crit.id, crit.kort, None, None, None, None, None, None,
                                    afgesproken, True))
            continue
        uit.append(Verschuiving(kader.id, crit.id, crit.kort, len(x_voor), len(x_na),
                                eensgezindheid(x_voor, schaal), eensgezindheid(x_na, schaal),
                                _mediaan(x_voor), _mediaan(x_na), afgesproken, False))
    return uit


def verdeling_voor_na(eerste: pd.DataFrame, tweede: pd.DataFrame, kader: Kader, criterium_id: str,
                      drempel: int | None = None, rol_namen: Mapping[str, str] | None = None) -> pd.DataFrame | None:
    """Counts per answer of the whole group, first vote and second vote: rows `EERSTE`,
    `TWEEDE` (index named 'Groep', as `rapport.workshop.verdeling`, so
    `rapport.workshop.verdeling_grafiek` draws it), columns the scale labels. None when
    either vote has fewer scale scores than the threshold."""
    drempel = anonimiteitsdrempel(drempel)
    labels = {str(p.waarde): f"{p.waarde} · {p.label}" for p in kader.schaal.punten}
    labels.update({g.waarde: g.label for g in kader.schaal.geen_oordeel})
    rijen = {}
    for naam, df in ((EERSTE, eerste), (TWEEDE, tweede)):
        deel = _deel(onderdruk(df, drempel, rol_namen=rol_namen), kader.id, criterium_id).astype(str).str.strip()
        if len(_getallen(deel)) < drempel:
            return None
        rijen[naam] = deel[deel.isin(labels)].value_counts()
    tabel = pd.DataFrame(rijen).T.reindex(index=[EERSTE, TWEEDE], columns=list(labels)).fillna(0).astype(int)
    tabel.columns = [labels[c] for c in tabel.columns]
    tabel.index.name = "Groep"
    return tabel


def tabel(verschuivingen_: Sequence[Verschuiving], labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The table 'Welke criteria verschoof het gesprek?' for a page: one row per criterium,
    texts only (Dutch decimal commas). ``labels`` maps a stored score to its label."""
    labels = labels or {}
    rijen = []
    for v in verschuivingen_:
        if v.achtergehouden:
            eens = med = "achtergehouden"
            n = "minder dan de drempel"
            verschoven = "–"
        else:
            eens = f"{getal(v.eensgezindheid_voor, 2)} → {getal(v.eensgezindheid_na, 2)}"
            med = f"{score(v.mediaan_voor)} → {score(v.mediaan_na)}"
            n = f"{v.n_voor} → {v.n_na}"
            verschoven = "ja" if v.verschoven else "nee"
        rijen.append({"Onderdeel": v.kort, "Eensgezindheid voor → na": eens, "Mediaan voor → na": med,
                      "Aantal scores voor → na": n, "Verschoven": verschoven,
                      "Gezamenlijk oordeel": labels.get(v.afgesproken, v.afgesproken) if v.afgesproken else "–"})
    return pd.DataFrame(rijen, columns=["Onderdeel", "Eensgezindheid voor → na", "Mediaan voor → na",
                                        "Aantal scores voor → na", "Verschoven", "Gezamenlijk oordeel"])


def in_het_kort(v: Verschuiving) -> str:
    """One criterium's before and after in plain words (the text beside its chart)."""
    if v.achtergehouden:
        return ("Voor en na worden niet getoond: een van de twee stemmen heeft minder scores dan "
                "de drempel, zodat niemand herkenbaar is.")
    zin = (f"Eerste stem: {v.n_voor} scores, mediaan {score(v.mediaan_voor)}. "
           f"Tweede stem: {v.n_na} scores, mediaan {score(v.mediaan_na)}. "
           f"De eensgezindheid ging {v.in_woorden()}")
    verschil = v.eensgezindheid_na - v.eensgezindheid_voor
    if verschil >= VERSCHUIVING_GRENS - 1e-9:
        return zin + ": de groep is het na het gesprek meer met elkaar eens."
    if verschil <= -VERSCHUIVING_GRENS + 1e-9:
        return zin + ": de groep is het na het gesprek minder met elkaar eens."
    return zin + ": ongeveer even eensgezind als ervoor."


def pdf_sectie(eerste: pd.DataFrame, tweede: pd.DataFrame | None, kader: Kader, gemeente: str, ronde: str,
               consensus: Mapping | None = None, drempel: int | None = None,
               rol_namen: Mapping[str, str] | None = None) -> dict | None:
    """The section 'Welke criteria verschoof het gesprek?' of the verbeterplan PDF
    (template tweede_stem.html.j2), or None when this kader had no second vote.
    ``eerste`` and ``tweede`` are filtered here to the gemeente and ronde."""
    if tweede is None or tweede.empty:
        return None

    def van_ronde(df: pd.DataFrame) -> pd.DataFrame:
        return df.loc[(df["gemeente"] == gemeente) & (df["ronde"] == ronde)]

    lijst = verschuivingen(van_ronde(eerste), van_ronde(tweede), kader, consensus, drempel, rol_namen)
    if not lijst:
        return None
    # as the PDF's section 'Afgesproken in de workshop' writes the agreed score
    labels = {str(p.waarde): f"{p.waarde} – {p.label}" for p in kader.schaal.punten}
    labels.update({g.waarde: g.label for g in kader.schaal.geen_oordeel})
    rijen = [{
        "kort": v.kort,
        "achtergehouden": v.achtergehouden,
        "eensgezindheid": v.in_woorden(),
        "mediaan": "" if v.achtergehouden else f"{score(v.mediaan_voor)} → {score(v.mediaan_na)}",
        "n": "" if v.achtergehouden else f"{v.n_voor} → {v.n_na}",
        "verschoven": v.verschoven,
        "afgesproken": labels.get(v.afgesproken, v.afgesproken) if v.afgesproken else "–",
    } for v in lijst]
    verschoven = [r["kort"] for r in rijen if r["verschoven"]]
    if verschoven:
        samenvatting = ("Het gesprek verschoof " + (f"{len(verschoven)} van de {len(rijen)} onderdelen"
                        if len(rijen) > 1 else "dit onderdeel") + ": " + ", ".join(verschoven) + ".")
    else:
        samenvatting = "Bij geen van de onderdelen met een tweede stemronde veranderde het beeld duidelijk."
    return {"rijen": rijen, "samenvatting": samenvatting, "uitleg": UITLEG,
            "grens": getal(VERSCHUIVING_GRENS, 1), "drempel": anonimiteitsdrempel(drempel)}
