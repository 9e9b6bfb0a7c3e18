"""The samenwerkingskaart analysed: per ordered pair of rollen (van -> naar) how far the
cooperation around a family usually goes on the coördinatieladder, and where the two
directions of a pair see it differently (wederkerigheid).

Input: a samenwerking DataFrame (``uitwisselformaat.samenwerking``, columns
``SAMENWERKING_KOLOMMEN``). ``van`` is the answering respondent's rol, ``naar`` the
partner rol they answered about. Reports get this frame; they never read a database.

Per pair (`Paar`):

* ``n``: respondents of rol ``van`` who gave a ladder level 0-5 about ``naar``;
  'weet_niet' and 'nvt' are counted in ``verdeling`` but not in ``n`` or the median.
* ``mediaan``, ``q1``, ``q3``: median and first and third quartile of those levels,
  by linear interpolation between the sorted values (numpy's and pandas' default,
  Hyndman & Fan type 7). It is the method `rapport.analyse` uses for the scores of a
  criterium, so a reader sees one kind of quartile throughout the reports; the ladder
  is ordinal, so a quartile between two levels (2,5) reads as "between afstemmen and
  afstemmen en samenwerken".
* ``verdeling``: the count of every value of ``NIVEAUS`` (all keys present).

Anonymity (docs/architectuur.md): the answering group of a pair is the respondents of
rol ``van`` who answered about ``naar``. The pair is shown when at least ``drempel`` of
them gave a ladder level, or when none did and at least ``drempel`` answered (weet niet /
n.v.t. only) - the rule of `rapport.anonimiteit.onderdruk`. Otherwise it is
``achtergehouden``: n, median, quartiles and distribution are withheld (None / empty),
so no number is one person's answer. A withheld pair takes part in no wederkerigheid.

Wederkerigheid (`Wederkerig`): for two rollen a and b that both have a shown median about
each other (a -> b and b -> a), the pair is flagged when the medians differ by
`VERSCHIL_WEDERKERIG` (2) levels or more. Both medians are kept, ``verschil`` is
``|a_naar_b - b_naar_a|``; ``rol_a`` is the alphabetically first of the two.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from rapport.groepen import STANDAARD_DREMPEL
from uitwisselformaat.samenwerking import LADDER, NIVEAUS

VERSCHIL_WEDERKERIG = 2
"""The instrument's own rule: two directions whose medians differ by this many ladder
levels or more are an asymmetric pair."""


@dataclass(frozen=True)
class Paar:
    """One ordered pair van -> naar (van = the answering rol)."""

    van: str
    naar: str
    n: int
    mediaan: float | None
    q1: float | None
    q3: float | None
    verdeling: dict[str, int]
    achtergehouden: bool

    def als_dict(self) -> dict:
        return {"van": self.van, "naar": self.naar, "n": self.n, "mediaan": self.mediaan,
                "q1": self.q1, "q3": self.q3, "verdeling": dict(self.verdeling),
                "achtergehouden": self.achtergehouden}


@dataclass(frozen=True)
class Wederkerig:
    """A pair of rollen whose two directions' medians differ by 2 levels or more."""

    rol_a: str
    rol_b: str
    a_naar_b: float
    b_naar_a: float
    verschil: float

    def als_dict(self) -> dict:
        return {"rol_a": self.rol_a, "rol_b": self.rol_b, "a_naar_b": self.a_naar_b,
                "b_naar_a": self.b_naar_a, "verschil": self.verschil}


@dataclass(frozen=True)
class Netwerk:
    """Every ordered pair in the data (sorted by van, naar) and the asymmetric pairs."""

    paren: tuple[Paar, ...]
    wederkerigheid: tuple[Wederkerig, ...]
    drempel: int

    def als_dict(self) -> dict:
        """``{"paren": [...], "wederkerigheid": [...]}`` (the JSON of ``python -m rapport netwerk``)."""
        return {"paren": [p.als_dict() for p in self.paren],
                "wederkerigheid": [w.als_dict() for w in self.wederkerigheid]}

    @property
    def getoond(self) -> tuple[Paar, ...]:
        """The pairs with a median (not withheld, at least one ladder level)."""
        return tuple(p for p in self.paren if not p.achtergehouden and p.mediaan is not None)

    @property
    def achtergehouden(self) -> tuple[Paar, ...]:
        return tuple(p for p in self.paren if p.achtergehouden)

    def paar(self, van: str, naar: str) -> Paar | None:
        return next((p for p in self.paren if p.van == van and p.naar == naar), None)

    def rollen(self) -> list[str]:
        """Every rol that occurs as van or naar, sorted."""
        return sorted({p.van for p in self.paren} | {p.naar for p in self.paren})


def _kwantiel(waarden: np.ndarray, p: float) -> float:
    return float(np.quantile(waarden, p))  # linear interpolation (type 7), module doc


def _paar(van: str, naar: str, rijen: pd.DataFrame, drempel: int) -> Paar:
    niveau = rijen["niveau"].astype(str).str.strip()
    gescoord = rijen.loc[niveau.isin(LADDER)]
    n = int(gescoord["respondent"].nunique())
    beantwoord = int(rijen["respondent"].nunique())
    zichtbaar = n >= drempel or (n == 0 and beantwoord >= drempel)
    if not zichtbaar:
        return Paar(van, naar, 0, None, None, None, {}, True)
    verdeling = {w: int((niveau == w).sum()) for w in NIVEAUS}
    if n == 0:
        return Paar(van, naar, 0, None, None, None, verdeling, False)
    levels = np.sort(niveau.loc[niveau.isin(LADDER)].astype(int).to_numpy(float))
    return Paar(van, naar, n, _kwantiel(levels, 0.5), _kwantiel(levels, 0.25), _kwantiel(levels, 0.75),
                verdeling, False)


def analyseer(df: pd.DataFrame, drempel: int = STANDAARD_DREMPEL) -> Netwerk:
    """The samenwerkingskaart per ordered pair, with the asymmetric pairs (module doc).

    ``df``: a samenwerking DataFrame of one gemeente and ronde (the caller filters).
    ``drempel``: the anonymity threshold (at least 1).
    """
    drempel = max(1, int(drempel))
    paren: list[Paar] = []
    if len(df):
        for (van, naar), rijen in df.groupby(["rol", "partner"], sort=True):
            paren.append(_paar(str(van), str(naar), rijen, drempel))
    mediaan = {(p.van, p.naar): p.mediaan for p in paren if not p.achtergehouden and p.mediaan is not None}
    wederkerig = []
    for (a, b), m_ab in sorted(mediaan.items()):
        if a < b and (b, a) in mediaan:
            m_ba = mediaan[(b, a)]
            verschil = abs(m_ab - m_ba)
            if verschil >= VERSCHIL_WEDERKERIG - 1e-9:
                wederkerig.append(Wederkerig(a, b, m_ab, m_ba, verschil))
    return Netwerk(tuple(paren), tuple(wederkerig), drempel)


def als_tabel(netwerk: Netwerk) -> pd.DataFrame:
    """One row per ordered pair (the CSV of ``python -m rapport netwerk``): van, naar, n,
    mediaan, q1, q3, one column per value of NIVEAUS (``niveau_0`` .. ``niveau_nvt``),
    achtergehouden, and wederkerig (True when the pair is in an asymmetric pair of rollen)."""
    scheef = {(w.rol_a, w.rol_b) for w in netwerk.wederkerigheid}
    scheef |= {(b, a) for a, b in scheef}
    rijen = []
    for p in netwerk.paren:
        rij = {"van": p.van, "naar": p.naar, "n": p.n, "mediaan": p.mediaan, "q1": p.q1, "q3": p.q3}
        rij |= {f"niveau_{w}": (p.verdeling.get(w) if not p.achtergehouden else None) for w in NIVEAUS}
        rij |= {"achtergehouden": p.achtergehouden, "wederkerig": (p.van, p.naar) in scheef}
        rijen.append(rij)
    kolommen = ["van", "naar", "n", "mediaan", "q1", "q3", *(f"niveau_{w}" for w in NIVEAUS),
                "achtergehouden", "wederkerig"]
    tabel = pd.DataFrame(rijen, columns=kolommen)
    for kolom in ["n", *(f"niveau_{w}" for w in NIVEAUS)]:
        tabel[kolom] = tabel[kolom].astype("Int64")  # whole numbers; empty where withheld
    return tabel
