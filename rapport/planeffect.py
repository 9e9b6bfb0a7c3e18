"""Did last year's plan work? The change per criterium between the previous ronde and this
one, grouped by whether the criterium had actions in the previous ronde's verbeterplan and
how far those got (issue 15, item 3).

Plain data in, plain data out: the answers of both rondes in the uitwisselformaat and the
previous ronde's actions with the status recorded this ronde (as
`storage.repository.voortgang_acties` gives them, or dicts with their fields). No database.

The rules (the instrument's own choices, not rules of the sources):

* **Change** of a criterium: the mean score of all respondents this ronde minus that of the
  previous ronde, the same numbers as the comparison table of the verbeterplan. Criteria are
  paired by id within this kader, as that table does.
* **Status groups** (`GROEPEN`): *afgerond* (status ``gerealiseerd``), *lopend* (``bezig``),
  *niet gestart* (``gepland``) and *zonder acties*. ``gestopt`` goes with *niet gestart*: a
  stopped action did not deliver what the plan said, just like one that never started; it
  is no reason to count the criterium as having had no action, and too rare to be a group
  of its own. A criterium with several actions counts under the furthest status any of
  them reached (afgerond before lopend before niet gestart). Actions about the kader as a
  whole (no criterium) belong to no criterium and are left out of the grouping.
* **Anonymity**: both rondes first go through `rapport.anonimiteit.onderdruk`; a criterium
  enters only when at least ``drempel`` (`rapport.groepen.STANDAARD_DREMPEL` unless set)
  respondents gave it a scale score in BOTH rondes. The text names how many were left out.
* **Small groups**: a group of fewer than `MIN_CRITERIA` criteria is never shown on its own.
  Small action groups are pooled into one group ("Lopend of niet gestart"); a pool that is
  still too small, or a too small group without actions, is left out, and the text says so.
* **Spread**: the lowest and the highest change in the group (with two or three criteria a
  standard deviation says little; a range is plain).
"""
from __future__ import annotations

import dataclasses
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from kader.model import NVT, WEET_NIET, Kader
from rapport.aggregatie import filter_antwoorden
from rapport.anonimiteit import onderdruk
from rapport.groepen import anonimiteitsdrempel
from rapport.opmaak import getal

MIN_CRITERIA = 2
"""The instrument's own minimum: a group is shown only with at least this many criteria. One
criterium is no group: its own change is already in the comparison table per criterium."""

AFGEROND, LOPEND, NIET_GESTART, ZONDER = "afgerond", "lopend", "niet-gestart", "zonder-acties"
GROEPEN = {
    AFGEROND: "Afgerond",
    LOPEND: "Lopend",
    NIET_GESTART: "Niet gestart",
    ZONDER: "Zonder acties",
}
"""Group id -> label, in the order they are shown."""

STATUS_GROEP = {"gerealiseerd": AFGEROND, "bezig": LOPEND, "gepland": NIET_GESTART, "gestopt": NIET_GESTART}
"""Status of an action (uitwisselformaat.waarden.ACTIE_STATUSSEN) -> its group (module doc)."""

_VOORRANG = (AFGEROND, LOPEND, NIET_GESTART)  # the furthest status wins

GESTOPT_UITLEG = "Een gestopte actie telt als niet gestart: ook die heeft niet opgeleverd wat het plan zei."
GEEN_OORZAAK = "Dit laat zien wat er samen veranderde, niet of de acties de oorzaak waren."


@dataclass(frozen=True)
class Groep:
    """One shown group of criteria."""

    id: str  # a key of GROEPEN, or ids joined by '+' for a pool
    label: str
    criteria: tuple[str, ...]  # short names (kort), kader order
    respondenten_vorig: int  # respondents with a scale score on these criteria, previous ronde
    respondenten_nu: int  # idem, this ronde
    gemiddelde: float  # mean of the criteria's changes
    laagste: float
    hoogste: float

    @property
    def n(self) -> int:
        return len(self.criteria)


@dataclass(frozen=True)
class Planeffect:
    """The section. ``melding`` is set (and the groups empty) when there is nothing to compare."""

    vorige_ronde: str
    groepen: tuple[Groep, ...] = ()
    te_weinig: tuple[str, ...] = ()  # criteria left out: fewer than `drempel` scores in a ronde
    zonder_antwoorden: tuple[str, ...] = ()  # criteria left out: no answers at all in a ronde
    te_klein: tuple[tuple[str, int], ...] = ()  # (label, number of criteria) of groups left out
    melding: str = ""
    drempel: int = 3
    minimum: int = MIN_CRITERIA


def verandering(waarde: float) -> str:
    """'+0,4', '−0,2' or '0,0' (one decimal, a real minus sign)."""
    d = round(waarde, 1) + 0.0
    if d == 0:
        return "0,0"
    return ("+" if d > 0 else "−") + getal(abs(d))


def _veld(actie, naam: str):
    """A field of an action: a dict, or an object such as storage's ActieInfo."""
    return actie.get(naam) if isinstance(actie, Mapping) else getattr(actie, naam, None)


def groep_per_criterium(acties: Iterable | None, kader_id: str) -> dict[str, str]:
    """Criterium id -> group id for the criteria of ``kader_id`` that had actions (module doc)."""
    uit: dict[str, str] = {}
    for actie in acties or ():
        criterium = _veld(actie, "criterium_id")
        if _veld(actie, "kader_id") not in (None, "", kader_id) or not criterium:
            continue
        groep = STATUS_GROEP.get(str(_veld(actie, "status") or "gepland"), NIET_GESTART)
        vorig = uit.get(str(criterium))
        if vorig is None or _VOORRANG.index(groep) < _VOORRANG.index(vorig):
            uit[str(criterium)] = groep
    return uit


def _scores(antwoorden: pd.DataFrame, kader: Kader, drempel: int, rol_namen) -> pd.DataFrame:
    """Rows with a scale score of this kader, after the anonymity rule; score as float."""
    zichtbaar = onderdruk(antwoorden, drempel, rol_namen)
    df = zichtbaar.loc[zichtbaar["kader"] == kader.id, ["respondent", "criterium", "score"]]
    schoon = df["score"].astype(str).str.strip()
    getallen = pd.to_numeric(schoon.where(~schoon.isin([WEET_NIET, NVT])), errors="coerce")
    return df.assign(score=getallen).dropna(subset=["score"])


def bereken(
    antwoorden: pd.DataFrame,
    vorige_antwoorden: pd.DataFrame,
    vorige_acties: Iterable | None,
    kader: Kader,
    *,
    vorige_ronde: str = "",
    drempel: int | None = None,
    rol_namen: Mapping[str, str] | None = None,
    minimum: int = MIN_CRITERIA,
) -> Planeffect:
    """The plan-effect of one kader. ``antwoorden`` and ``vorige_antwoorden``: one gemeente and
    one ronde each (filter first); ``vorige_acties``: the previous ronde's actions."""
    drempel = anonimiteitsdrempel(drempel)
    leeg = Planeffect(vorige_ronde, drempel=drempel, minimum=minimum)
    met_actie = groep_per_criterium(vorige_acties, kader.id)
    if not met_actie:
        return dataclasses.replace(leeg, melding=(
            "In het plan van de vorige ronde stonden geen acties bij een onderdeel van dit kader. "
            "Er is dus niets te vergelijken."))
    if not (vorige_antwoorden["kader"] == kader.id).any():
        return dataclasses.replace(leeg, melding="De vorige ronde heeft geen antwoorden bij dit kader om mee te vergelijken.")
    nu, toen = _scores(antwoorden, kader, drempel, rol_namen), _scores(vorige_antwoorden, kader, drempel, rol_namen)

    per_groep: dict[str, list] = {g: [] for g in GROEPEN}
    te_weinig, zonder_antwoorden = [], []
    # criteria answered in both rondes (before the anonymity rule; e.g. not the case for a
    # criterium new in this kader version): the others are no matter of the threshold
    beantwoord = (set(antwoorden.loc[antwoorden["kader"] == kader.id, "criterium"])
                  & set(vorige_antwoorden.loc[vorige_antwoorden["kader"] == kader.id, "criterium"]))
    for c in kader.criteria:
        a, b = toen.loc[toen["criterium"] == c.id], nu.loc[nu["criterium"] == c.id]
        if c.id not in beantwoord:
            zonder_antwoorden.append(c.kort)
            continue
        if a["respondent"].nunique() < drempel or b["respondent"].nunique() < drempel:
            te_weinig.append(c.kort)
            continue
        per_groep[met_actie.get(c.id, ZONDER)].append((c, float(b["score"].mean() - a["score"].mean())))

    def groep(ids: list[str]) -> Groep:
        leden = [lid for g in ids for lid in per_groep[g]]
        volgorde = {c.id: i for i, c in enumerate(kader.criteria)}
        leden.sort(key=lambda lid: volgorde[lid[0].id])
        wie = {lid[0].id for lid in leden}
        labels = [GROEPEN[g] for g in ids]
        label = labels[0] if len(labels) == 1 else (
            ", ".join([labels[0], *(x.lower() for x in labels[1:-1])]) + " of " + labels[-1].lower())
        veranderingen = [d for _, d in leden]
        return Groep(
            id="+".join(ids), label=label, criteria=tuple(c.kort for c, _ in leden),
            respondenten_vorig=int(toen.loc[toen["criterium"].isin(wie), "respondent"].nunique()),
            respondenten_nu=int(nu.loc[nu["criterium"].isin(wie), "respondent"].nunique()),
            gemiddelde=statistics.fmean(veranderingen), laagste=min(veranderingen), hoogste=max(veranderingen),
        )

    groot = [g for g in _VOORRANG if len(per_groep[g]) >= minimum]
    klein = [g for g in _VOORRANG if 0 < len(per_groep[g]) < minimum]
    getoond = [groep([g]) for g in groot]
    te_klein = []
    if klein:
        samen = sum(len(per_groep[g]) for g in klein)
        if samen >= minimum:
            getoond.append(groep(klein))
        else:
            te_klein.append((" of ".join(GROEPEN[g].lower() for g in klein), samen))
    if len(per_groep[ZONDER]) >= minimum:
        getoond.append(groep([ZONDER]))
    elif per_groep[ZONDER]:
        te_klein.append((GROEPEN[ZONDER].lower(), len(per_groep[ZONDER])))
    melding = "" if getoond else "Er zijn te weinig onderdelen met genoeg scores om groepen te vergelijken."
    return Planeffect(vorige_ronde, tuple(getoond), tuple(te_weinig), tuple(zonder_antwoorden), tuple(te_klein),
                      melding, drempel, minimum)


def tekst(effect: Planeffect) -> dict[str, list[str] | str]:
    """The text beside the table, in plain Dutch (B1): ``inleiding`` (what it shows),
    ``voorzichtig`` (no proof of cause), ``gestopt`` (where a stopped action goes),
    ``groepen`` (one sentence per group: the table in words) and ``weggelaten``."""
    if effect.vorige_ronde:
        wanneer = f"tussen ronde {effect.vorige_ronde} en deze ronde"
    else:
        wanneer = "sinds de vorige ronde"
    groepen = []
    for g in effect.groepen:
        onderdelen = "1 onderdeel" if g.n == 1 else f"{g.n} onderdelen"
        groepen.append(f"{g.label}: gemiddeld {verandering(g.gemiddelde)} ({onderdelen}, "
                       f"van {verandering(g.laagste)} tot {verandering(g.hoogste)}).")
    return {
        "inleiding": f"Hoeveel veranderde de gemiddelde score van een onderdeel {wanneer}? Hier staan de "
                     "onderdelen in groepen: met een actie uit het plan van de vorige ronde die is afgerond, "
                     "die nog loopt of die niet is gestart, en onderdelen zonder acties.",
        "voorzichtig": GEEN_OORZAAK + " Andere deelnemers, andere rollen of andere omstandigheden kunnen een "
                       "verschil ook verklaren.",
        "gestopt": GESTOPT_UITLEG,
        "groepen": groepen,
        "weggelaten": weggelaten(effect),
    }


def weggelaten(effect: Planeffect) -> list[str]:
    """What was left out and why (also when nothing could be shown)."""
    zinnen = []
    if effect.te_weinig:
        n = len(effect.te_weinig)
        wie = "1 deelnemer" if effect.drempel == 1 else f"{effect.drempel} deelnemers"
        zinnen.append(f"{'1 onderdeel staat' if n == 1 else f'{n} onderdelen staan'} er niet in: daar gaven in "
                      f"een van beide rondes minder dan {wie} een score.")
    if effect.zonder_antwoorden:
        n = len(effect.zonder_antwoorden)
        zinnen.append(f"{'1 onderdeel staat' if n == 1 else f'{n} onderdelen staan'} er niet in: daar zijn in "
                      "een van beide rondes geen antwoorden op.")
    for label, n in effect.te_klein:
        zinnen.append(f"De groep {label} ({'1 onderdeel' if n == 1 else f'{n} onderdelen'}) staat er niet in: "
                      f"een groep van minder dan {effect.minimum} onderdelen tonen we niet. Dat minimum is een "
                      "keuze van dit instrument.")
    return zinnen


def tabel(effect: Planeffect) -> list[dict[str, str]]:
    """The table rows as text (the same on the page and in the PDF)."""
    return [{
        "Groep": g.label,
        "Gemiddelde verandering": verandering(g.gemiddelde),
        "Spreiding (laagste tot hoogste)": f"{verandering(g.laagste)} tot {verandering(g.hoogste)}",
        "Onderdelen": str(g.n),
        "Deelnemers (vorige ronde / deze ronde)": f"{g.respondenten_vorig} / {g.respondenten_nu}",
        "Welke onderdelen": ", ".join(g.criteria),
    } for g in effect.groepen]


def voor_verbeterplan(invoer) -> dict | None:
    """The template context of the section for a `rapport.verbeterplan.VerbeterplanInvoer`;
    None without a previous ronde (then the whole progress section says so already)."""
    if invoer.vorige_antwoorden is None:
        return None
    nu = filter_antwoorden(invoer.antwoorden, gemeente=invoer.gemeente, ronde=invoer.ronde)
    toen = filter_antwoorden(invoer.vorige_antwoorden, gemeente=invoer.gemeente, ronde=invoer.vorige_ronde)
    effect = bereken(nu, toen, invoer.vorige_acties, invoer.kader, vorige_ronde=invoer.vorige_ronde or "",
                     drempel=invoer.drempel, rol_namen=invoer.rol_namen)
    return {"melding": effect.melding, "rijen": tabel(effect), **tekst(effect)}
