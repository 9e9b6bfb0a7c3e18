"""Every chart in words: one or two plain Dutch (B1) sentences that state what the chart shows.

The NL Design System chart guideline asks for a short text summary and a data table with
every chart, so nothing is only in colour, in a shape or in a tooltip. One function per
kind of chart; each takes the same frame the chart itself is drawn from, so it can never
describe more than the chart does:

* `spinnenweb`: the spider chart (`rapport.grafiek.spinnenweb`, same ``agg`` and
  `GrafiekOpties`): highest and lowest onderdeel of all respondents, then how the rol
  groups drawn differ, or how this ronde compares with an overlay.
* `verdeling`: the workshop's stacked bars (a `rapport.workshop.verdeling` table).
* `heatmap`: the regio heatmap (`rapport.regio.heatmap_tabel`); no gemeente is named.
* `spreiding`: the regio spread chart (`rapport.regio.verdeling`); no gemeente is named.
* `trend`: the regio trend chart (`rapport.regio.trend_per_gemeente`); gemeenten are
  counted, never named, so nothing reads as a ranking.

Anonymity: the input has been through `rapport.anonimiteit.onderdruk` and
`rapport.groepen.anonimiseer` before the chart got it; a withheld criterium or group is
absent (or NaN) there, and a summary only names what has a value. Values are compared
after rounding to one decimal, the precision the charts and tables show, so two values
that read the same are a tie.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from kader.model import Kader
from rapport.groepen import ALLE
from rapport.opmaak import getal

__all__ = ["GEEN_SCORES", "heatmap", "spinnenweb", "spreiding", "trend", "verdeling"]

GEEN_SCORES = "Er zijn nog geen scores om te tonen."
GEEN_ANTWOORDEN = "Er zijn nog geen antwoorden."
MAX_NAMEN = 3  # more tied names than this: the number of onderdelen instead


def _namen(namen: Sequence[str]) -> str:
    """'A', 'A en B', 'A, B en C'; quoted."""
    q = [f"‘{n}’" for n in namen]
    return q[0] if len(q) == 1 else ", ".join(q[:-1]) + " en " + q[-1]


def _onderdelen(aantal: int) -> str:
    return f"{aantal} {'onderdeel' if aantal == 1 else 'onderdelen'}"


def _gemeenten(aantal: int) -> str:
    return f"{aantal} {'gemeente' if aantal == 1 else 'gemeenten'}"


def _op(namen: Sequence[str]) -> str:
    """Tied names, or their number when there are many."""
    return _namen(namen) if len(namen) <= MAX_NAMEN else _onderdelen(len(namen))


def _afgerond(waarden: pd.Series) -> pd.Series:
    return pd.to_numeric(waarden, errors="coerce").astype(float).round(1).dropna()


def hoogst_laagst(waarden: pd.Series, wie: str = "", bij: str = "op") -> str:
    """'Hoogst op ‘A’ (3,5), laagst op ‘B’ en ‘C’ (1,5).' from a Series name -> value.

    Empty (or all NaN): `GEEN_SCORES`; one value or all equal: says so."""
    w = _afgerond(waarden)
    lead = f"{wie} " if wie else ""
    if w.empty:
        return GEEN_SCORES
    if len(w) == 1:
        return f"Alleen ‘{w.index[0]}’ heeft een score: {getal(w.iloc[0])}."
    hoog, laag = w.max(), w.min()
    if hoog == laag:
        return _hoofdletter(f"{lead}gelijk op alle {_onderdelen(len(w))}: {getal(hoog)}.")
    hoogste = [str(n) for n, v in w.items() if v == hoog]
    laagste = [str(n) for n, v in w.items() if v == laag]
    return _hoofdletter(f"{lead}het hoogst {bij} {_op(hoogste)} ({getal(hoog)}) "
                        f"en het laagst {bij} {_op(laagste)} ({getal(laag)}).")


def _hoofdletter(zin: str) -> str:
    return zin[:1].upper() + zin[1:]


# ------------------------------------------------------------------ spider chart


def spinnenweb(agg: pd.DataFrame, kader: Kader, opties=None) -> str:
    """The spider chart of ``agg`` with ``opties`` (a `rapport.grafiek.GrafiekOpties`) in words.

    First sentence: where all respondents score highest and lowest. Then, for the rol
    groups drawn: with one group, on how many onderdelen it scores above and below all
    respondents; with more, where the groups differ most. Then per overlay (previous
    ronde, regional median): on how many onderdelen this ronde is higher, lower, equal.
    """
    from rapport.grafiek import ROL, STANDAARD, VERGELIJKING, spinnenweb_data

    data = spinnenweb_data(agg, kader, opties or STANDAARD)
    data = data.loc[data["volgorde"] < len(kader.criteria)]
    tabel = data.pivot_table(index="criterium", columns="groep", values="gemiddelde", aggfunc="first",
                             dropna=False, sort=False)
    tabel = tabel.reindex([c.kort for c in kader.criteria])
    if ALLE.label not in tabel.columns:
        return GEEN_SCORES
    alle = tabel[ALLE.label]
    zinnen = [hoogst_laagst(alle, "alle respondenten scoren")]
    if zinnen[0] == GEEN_SCORES:
        return GEEN_SCORES
    rollen = [g for g in dict.fromkeys(data.loc[data["soort"] == ROL, "groep"]) if g != ALLE.label]
    if len(rollen) == 1:
        zinnen.append(_vergelijk(tabel[rollen[0]], alle, f"{rollen[0]} scoort", "dan alle respondenten"))
    elif len(rollen) > 1:
        zinnen.append(_grootste_verschil(tabel[rollen]))
    for label in dict.fromkeys(data.loc[data["soort"] == VERGELIJKING, "groep"]):
        zinnen.append(_vergelijk(alle, tabel[label], "deze ronde scoort", f"dan de {_klein(label)}"))
    return " ".join(z for z in zinnen if z)


def _klein(label: str) -> str:
    """'Vorige ronde (2025)' -> 'vorige ronde (2025)' (a name like 'Regionale' too)."""
    return label[:1].lower() + label[1:]


def _vergelijk(a: pd.Series, b: pd.Series, wie: str, dan: str) -> str:
    """'{wie} hoger {dan} op 3 en lager op 1 van de 4 onderdelen (gelijk op 0).'"""
    paar = pd.DataFrame({"a": _afgerond(a), "b": _afgerond(b)}).dropna()
    if paar.empty:
        return ""
    hoger, lager = int((paar["a"] > paar["b"]).sum()), int((paar["a"] < paar["b"]).sum())
    gelijk = len(paar) - hoger - lager
    delen = []
    if hoger:
        delen.append(f"hoger {dan} op {hoger}")
    if lager:
        delen.append(f"lager{'' if hoger else ' ' + dan} op {lager}")
    if gelijk:
        delen.append(f"gelijk{'' if delen else ' aan ' + dan.removeprefix('dan ')} op {gelijk}")
    tekst = delen[0] if len(delen) == 1 else ", ".join(delen[:-1]) + " en " + delen[-1]
    return _hoofdletter(f"{wie} {tekst} van de {_onderdelen(len(paar))}.")


def _grootste_verschil(per_groep: pd.DataFrame) -> str:
    """Where the drawn rol groups lie furthest apart (only groups with a value there)."""
    w = per_groep.apply(_afgerond_rij, axis=1)
    aantal = w.notna().sum(axis=1)
    verschil = (w.max(axis=1) - w.min(axis=1)).where(aantal >= 2).round(1).dropna()
    if verschil.empty:
        return ""
    grootst = verschil.max()
    if grootst == 0:
        return "De rollen geven overal dezelfde gemiddelde score."
    waar = [str(i) for i, v in verschil.items() if v == grootst]
    paren = set()
    for criterium in waar:
        rij = w.loc[criterium].dropna()
        paren.add((" en ".join(str(g) for g, v in rij.items() if v == rij.max()),
                   " en ".join(str(g) for g, v in rij.items() if v == rij.min())))
    if len(waar) == 1:
        rij = w.loc[waar[0]].dropna()
        [(hoog, laag)] = paren
        return (f"De rollen verschillen het meest bij ‘{waar[0]}’: "
                f"{hoog} {getal(rij.max())}, {laag} {getal(rij.min())}.")
    if len(paren) == 1:
        [(hoog, laag)] = paren
        return (f"De rollen verschillen het meest bij {_op(waar)}: daar scoort {hoog} "
                f"{getal(grootst)} punt hoger dan {laag}.")
    return f"De rollen verschillen het meest bij {_op(waar)}: {getal(grootst)} punt."


def _afgerond_rij(rij: pd.Series) -> pd.Series:
    return pd.to_numeric(rij, errors="coerce").astype(float).round(1)


# ------------------------------------------------------------------ workshop bars


def verdeling(tabel: pd.DataFrame) -> str:
    """A `rapport.workshop.verdeling` table in words: 'Samen 12 antwoorden: 5 keer …'.

    Only answers someone gave are named; then the most chosen answer, and with more
    than one group, the most chosen answer per group (groups as the table has them:
    small ones are already merged)."""
    if ALLE.label not in tabel.index:
        return GEEN_ANTWOORDEN
    rij = tabel.loc[ALLE.label]
    totaal = int(rij.sum())
    if totaal == 0:
        return GEEN_ANTWOORDEN
    delen = [f"{int(n)} keer ‘{antwoord}’" for antwoord, n in rij.items() if n > 0]
    zin = f"Samen {totaal} {'antwoord' if totaal == 1 else 'antwoorden'}: {', '.join(delen)}."
    vaakst = _vaakst(rij)
    if len(vaakst) == 1 and len(delen) > 1:
        zin += f" Het vaakst gekozen: ‘{vaakst[0]}’."
    groepen = [g for g in tabel.index if g != ALLE.label and tabel.loc[g].sum() > 0]
    if len(groepen) > 1:
        per = [f"{g} {_namen(_vaakst(tabel.loc[g]))}" for g in groepen]
        zin += f" Per groep het vaakst: {'; '.join(per)}."
    return zin


def _vaakst(rij: pd.Series) -> list[str]:
    return [str(a) for a, n in rij.items() if n == rij.max() and n > 0]


# ------------------------------------------------------------------ regio


def _spreiding_zin(laagste: pd.Series, hoogste: pd.Series) -> str:
    """Where the gemeenten lie furthest apart: 'van 1,5 tot 3,5'."""
    lo, hi = _afgerond(laagste), _afgerond(hoogste)
    breedte = (hi - lo).dropna().round(1)
    if breedte.empty or breedte.max() == 0:
        return "" if breedte.empty else "Bij elk onderdeel hebben de gemeenten dezelfde mediaan."
    waar = [str(i) for i, v in breedte.items() if v == breedte.max()]
    if len(waar) == 1:
        return (f"De gemeenten liggen het verst uit elkaar bij ‘{waar[0]}’: "
                f"van {getal(lo[waar[0]])} tot {getal(hi[waar[0]])}.")
    return f"De gemeenten liggen het verst uit elkaar bij {_op(waar)}: {getal(breedte.max())} punt verschil."


def heatmap(tabel: pd.DataFrame) -> str:
    """A `rapport.regio.heatmap_tabel` (gemeenten × criteria, medians) in words, per
    criterium over the gemeenten: no gemeente is named, nothing reads as a ranking."""
    if tabel.empty or tabel.notna().sum().sum() == 0:
        return GEEN_SCORES
    regionaal = tabel.median(axis=0, skipna=True)
    zin = hoogst_laagst(regionaal, "de mediaan over de gemeenten is", bij="bij")
    return " ".join(z for z in (zin, _spreiding_zin(tabel.min(axis=0), tabel.max(axis=0))) if z)


def spreiding(stats: pd.DataFrame, per_gemeente: bool = True) -> str:
    """A `rapport.regio.verdeling` frame (one row per criterium) in words.

    ``per_gemeente=False``: only the regional medians (below the threshold the lowest
    and highest value would be one gemeente's)."""
    if stats.empty or stats["regionale_mediaan"].notna().sum() == 0:
        return GEEN_SCORES
    s = stats.set_index("kort")
    zin = hoogst_laagst(s["regionale_mediaan"], "de regionale mediaan is", bij="bij")
    if not per_gemeente:
        return zin
    return " ".join(z for z in (zin, _spreiding_zin(s["laagste"], s["hoogste"])) if z)


def trend(punten: pd.DataFrame, volgorde: Iterable[str] | None = None) -> str:
    """A `rapport.regio.trend_per_gemeente` frame in words: the regional median (the
    grey line) in the first and last year, and in how many gemeenten the value rose,
    fell or stayed the same between their own first and last year. Gemeenten are
    counted, never named."""
    punten = punten.dropna(subset=["waarde"])
    if punten.empty:
        return GEEN_SCORES
    rondes = list(volgorde) if volgorde is not None else list(
        punten.sort_values("volgorde", kind="stable")["ronde"].drop_duplicates())
    rondes = [r for r in rondes if r in set(punten["ronde"])]
    regio = punten.groupby("ronde")["waarde"].median()
    eerste, laatste = rondes[0], rondes[-1]
    if eerste == laatste:
        return f"Alleen {eerste}: de regionale mediaan is {getal(regio[eerste])}."
    zin = (f"De regionale mediaan ging van {getal(regio[eerste])} in {eerste} "
           f"naar {getal(regio[laatste])} in {laatste}.")
    positie = {r: i for i, r in enumerate(rondes)}
    richting = []
    for _, p in punten.assign(_p=punten["ronde"].map(positie)).sort_values("_p").groupby("gemeente"):
        if len(p) >= 2:
            richting.append(float(np.sign(round(p["waarde"].iloc[-1], 1) - round(p["waarde"].iloc[0], 1))))
    if richting:
        op, neer = richting.count(1.0), richting.count(-1.0)
        gelijk = len(richting) - op - neer
        delen = [t for t in (f"hoger bij {_gemeenten(op)}" if op else "",
                             f"lager bij {_gemeenten(neer)}" if neer else "",
                             f"gelijk bij {_gemeenten(gelijk)}" if gelijk else "") if t]
        tekst = delen[0] if len(delen) == 1 else ", ".join(delen[:-1]) + " en " + delen[-1]
        zin += f" Van het eerste naar het laatste jaar werd de waarde {tekst}."
    return zin
