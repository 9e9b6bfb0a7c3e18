"""Preparing for an inspection: flags per criterium and suggested questions.

`vlaggen` marks criteria that an inspectie is likely to ask about:

* **hoog gescoord, dunne onderbouwing**: the mean is a sterk punt
  (>= kader.sterk_punt_vanaf) but few scored answers carry a toelichting, or the
  toelichtingen are short;
* **grote onenigheid**: the Tastle & Wierman consensus is low, or two rol groups
  differ by a point or more;
* **veel weet niet**: a quarter or more of the answers is 'weet niet'.

`bezoek` gives, per item, what the sources offer for the visit (kader/werkwijze.yaml,
read by `kader.werkwijze`): the Onderzoeksvragen of source 004 Bijlage 3 verbatim, the
methods of source 002 Kader 1 with the kinds of organisation the source names for them,
and the documents to request. Which question and method belong to which item is this
instrument's own choice and is shown as such; an item the werkwijze does not place gets
all methods and no questions. No question is built from kader text.

Thresholds are the named constants below; docs/analyse.md explains them.
"""
from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from kader.model import Criterium, Kader
from kader.werkwijze import Werkwijze
from rapport.analyse import (
    VERGELIJK_DECIMALEN,
    analyseer,
    groepsverschillen,
)
from rapport.groepen import ALLE, anonimiteitsdrempel
from rapport.statistiek import lees_scores

# --- thresholds ---------------------------------------------------------------------------

MIN_TOELICHTINGEN = 3
"""'Dunne onderbouwing' when fewer scored answers than this carry a toelichting."""

MIN_MEDIAAN_LENGTE = 40
"""... or when the median length (characters, after stripping) of those toelichtingen
is below this: roughly one short sentence."""

CONSENSUS_GRENS = 0.5
"""'Grote onenigheid' when the consensus (Tastle & Wierman) is below this ..."""

GROEPSVERSCHIL_GRENS = 1.0
"""... or when two shown rol groups differ by at least this many scale points."""

WEET_NIET_GRENS = 0.25
"""'Veel weet niet' when at least this share of all answers given is 'weet niet'."""

VLAGGEN = {
    "dunne_onderbouwing": "hoog gescoord, dunne onderbouwing",
    "grote_onenigheid": "grote onenigheid",
    "veel_weet_niet": "veel weet niet",
}
"""Flag key (a boolean column of `vlaggen`) -> Dutch label."""

VLAG_KOLOMMEN = (
    "kader", "id", "kort", "thema_id", "n", "gemiddelde", "consensus", "groepsverschil",
    "hoogste_groep", "laagste_groep", "hoogste_groep_gemiddelde", "laagste_groep_gemiddelde",
    "aantal_antwoorden", "aandeel_weet_niet", "toelichtingen", "mediaan_lengte_toelichting",
    *(k for sleutel in VLAGGEN for k in (sleutel, f"{sleutel}_uitleg")),
    "aantal_vlaggen",
)
"""Columns of `vlaggen`."""


def _getal(x: float, decimalen: int = 2) -> str:
    """Dutch notation: decimal comma, trailing zeros dropped (3 -> '3', 3.25 -> '3,25')."""
    tekst = f"{x:.{decimalen}f}"
    if "." in tekst:
        tekst = tekst.rstrip("0").rstrip(".")
    return "0" if tekst == "-0" else tekst.replace(".", ",")


def _procent(aandeel: float) -> str:
    return f"{_getal(100 * aandeel, 0)}%"


def _rond(x: float) -> float:
    return round(float(x), VERGELIJK_DECIMALEN)


def _onderbouwing(antwoorden: pd.DataFrame, kader: Kader) -> pd.DataFrame:
    """Per criterium id: number of scored answers with a non-empty toelichting and the
    median length of those toelichtingen (characters after stripping; NaN without any)."""
    scores = lees_scores(antwoorden, kader)
    df, crit, score = scores.antwoorden, scores.criterium, scores.score
    tekst = df["toelichting"].fillna("").astype(str).str.strip()
    lengte = tekst.str.len().to_numpy("int64")
    met = (~np.isnan(score)) & (lengte > 0)
    ids = [c.id for c in kader.criteria]
    per = pd.Series(lengte[met]).groupby(crit[met])
    return pd.DataFrame({
        "toelichtingen": per.size().reindex(range(len(ids)), fill_value=0).to_numpy("int64"),
        "mediaan_lengte_toelichting": per.median().reindex(range(len(ids))).to_numpy("float64"),
    }, index=pd.Index(ids, name="id"))


def vlaggen(
    antwoorden: pd.DataFrame,
    kader: Kader,
    *,
    drempel: int | None = None,
    rol_namen: Mapping[str, str] | None = None,
    min_toelichtingen: int = MIN_TOELICHTINGEN,
    min_mediaan_lengte: int = MIN_MEDIAAN_LENGTE,
    consensus_grens: float = CONSENSUS_GRENS,
    groepsverschil_grens: float = GROEPSVERSCHIL_GRENS,
    weet_niet_grens: float = WEET_NIET_GRENS,
) -> pd.DataFrame:
    """One row per criterium (kader order) with the numbers, the flags and a Dutch
    explanation per flag; columns `VLAG_KOLOMMEN`.

    For each key of `VLAGGEN` a boolean column and ``<key>_uitleg`` (a sentence built
    from the numbers, '' when the flag does not fire). Numbers are those of 'Alle
    respondenten' in `rapport.analyse.analyseer`; ``groepsverschil`` is the largest
    difference between the rol groups that are shown (after the anonymity rules).
    ``toelichtingen`` counts scored answers with a non-empty toelichting.
    """
    drempel = anonimiteitsdrempel(drempel)
    tabel = analyseer(antwoorden, kader, drempel=drempel, rol_namen=rol_namen)
    crit = tabel.loc[tabel["niveau"] == "criterium"]
    alle = crit.loc[crit["groep"] == ALLE.label].set_index("id")
    verschil = groepsverschillen(crit).set_index("id")
    groepsgem = crit.loc[crit["groep"] != ALLE.label].set_index(["id", "groep"])["gemiddelde"]
    onderbouwing = _onderbouwing(antwoorden, kader)

    rijen = []
    for c in kader.criteria:
        r = alle.loc[c.id]
        n = int(r["n"])
        gem = float(r["gemiddelde"])
        cns = float(r["consensus"])
        gegeven = int(r["aantal_antwoorden"])
        aandeel_wn = float(r["aandeel_weet_niet"])
        aantal_t = int(onderbouwing.at[c.id, "toelichtingen"])
        lengte = float(onderbouwing.at[c.id, "mediaan_lengte_toelichting"])
        if c.id in verschil.index and not math.isnan(float(verschil.at[c.id, "groepsverschil"])):
            gv = float(verschil.at[c.id, "groepsverschil"])
            hoog, laag = str(verschil.at[c.id, "hoogste_groep"]), str(verschil.at[c.id, "laagste_groep"])
            hoog_gem, laag_gem = float(groepsgem[(c.id, hoog)]), float(groepsgem[(c.id, laag)])
        else:
            gv, hoog, laag, hoog_gem, laag_gem = math.nan, None, None, math.nan, math.nan

        # hoog gescoord, dunne onderbouwing
        sterk = n > 0 and _rond(gem) >= kader.sterk_punt_vanaf
        te_weinig = aantal_t < min_toelichtingen
        te_kort = aantal_t > 0 and _rond(lengte) < min_mediaan_lengte
        dun = sterk and (te_weinig or te_kort)
        dun_uitleg = ""
        if dun:
            redenen = []
            if te_weinig:
                redenen.append(
                    f"maar slechts {aantal_t} van de {n} gescoorde antwoorden "
                    f"{'heeft' if aantal_t == 1 else 'hebben'} een toelichting "
                    f"(minimaal {min_toelichtingen} gewenst)"
                )
            if te_kort:
                redenen.append(
                    f"{'en ' if te_weinig else 'maar '}de toelichtingen zijn kort: mediaan "
                    f"{_getal(lengte, 1)} tekens (minimaal {min_mediaan_lengte} gewenst)"
                )
            dun_uitleg = (
                f"Gemiddeld {_getal(gem)} (sterk punt vanaf {kader.sterk_punt_vanaf}), "
                + " ".join(redenen) + "."
            )

        # grote onenigheid
        lage_consensus = n > 0 and _rond(cns) < consensus_grens
        groot_verschil = not math.isnan(gv) and _rond(gv) >= groepsverschil_grens
        oneens = lage_consensus or groot_verschil
        oneens_delen = []
        if lage_consensus:
            oneens_delen.append(
                f"De consensus is {_getal(cns)} (onder {_getal(consensus_grens)}): de "
                f"{n} scores lopen sterk uiteen."
            )
        if groot_verschil:
            oneens_delen.append(
                f"Tussen de groepen zit {_getal(gv)} punt verschil: {hoog} gemiddeld "
                f"{_getal(hoog_gem)}, {laag} gemiddeld {_getal(laag_gem)} (grens "
                f"{_getal(groepsverschil_grens)} punt)."
            )

        # veel weet niet
        veel_wn = gegeven > 0 and _rond(aandeel_wn) >= weet_niet_grens
        wn_uitleg = ""
        if veel_wn:
            aantal_wn = int(round(aandeel_wn * gegeven))
            wn_uitleg = (
                f"{aantal_wn} van de {gegeven} antwoorden ({_procent(aandeel_wn)}) "
                f"{'is' if aantal_wn == 1 else 'zijn'} 'weet niet' (grens {_procent(weet_niet_grens)})."
            )

        rijen.append({
            "kader": kader.id, "id": c.id, "kort": c.kort, "thema_id": c.thema_id,
            "n": n, "gemiddelde": gem, "consensus": cns, "groepsverschil": gv,
            "hoogste_groep": hoog, "laagste_groep": laag,
            "hoogste_groep_gemiddelde": hoog_gem, "laagste_groep_gemiddelde": laag_gem,
            "aantal_antwoorden": gegeven, "aandeel_weet_niet": aandeel_wn,
            "toelichtingen": aantal_t, "mediaan_lengte_toelichting": lengte,
            "dunne_onderbouwing": bool(dun), "dunne_onderbouwing_uitleg": dun_uitleg,
            "grote_onenigheid": bool(oneens), "grote_onenigheid_uitleg": " ".join(oneens_delen),
            "veel_weet_niet": bool(veel_wn), "veel_weet_niet_uitleg": wn_uitleg,
        })
    uit = pd.DataFrame(rijen, columns=[k for k in VLAG_KOLOMMEN if k != "aantal_vlaggen"])
    uit["aantal_vlaggen"] = uit[list(VLAGGEN)].sum(axis=1).astype("int64")
    return uit[list(VLAG_KOLOMMEN)]


# --- sourced methods and questions for the visit ---------------------------------------------

GEEN_KOPPELING = (
    "Dit instrument koppelt geen vragen uit de bronnen aan dit onderdeel. Hieronder staan alle "
    "onderzoeksmethoden van de inspecties; kies zelf wat past."
)
"""Shown for an item that kader/werkwijze.yaml does not place (no question is invented)."""

GEEN_VRAGEN = "De bronnen geven geen vragen die dit instrument bij dit onderdeel zet."
"""Shown for a placed item without questions."""


def bezoek(werkwijze: Werkwijze | None, kader: Kader, criterium: Criterium) -> dict:
    """What the visit preparation shows for one item, as plain data for page and PDF.

    Everything comes from `kader/werkwijze.yaml`: the questions of 004 Bijlage 3 verbatim
    (grouped by the source's topic, each group with its bron and the historic marker),
    the methods of 002 Kader 1 placed at this item, with the kinds of organisation the
    source names for them, and the documents the source names for those methods.
    ``uitleg`` says that the placement is this instrument's own choice (or that there is
    none for this item). Keys: gekoppeld, uitleg, vraaggroepen [{onderwerp, bron,
    historisch, vragen}], geen_vragen, methoden [{id, naam, tekst, partijen, bron}], methoden_bronnen,
    documenten [{document, methode, partijen}].
    """
    if werkwijze is None:
        return {"gekoppeld": False, "uitleg": "", "vraaggroepen": [], "geen_vragen": "",
                "methoden": [], "documenten": []}
    b = werkwijze.voor(kader.id, criterium.id)
    groepen: dict[str, dict] = {}
    for v in b.vragen:
        groep = groepen.setdefault(v.onderwerp, {
            "onderwerp": v.onderwerp, "bron": str(v.bron), "historisch": v.bron.historisch_label, "vragen": [],
        })
        groep["vragen"].append(" ".join(v.tekst.split()))
    return {
        "gekoppeld": b.gekoppeld,
        "uitleg": werkwijze.uitleg if b.gekoppeld else GEEN_KOPPELING,
        "vraaggroepen": list(groepen.values()),
        "geen_vragen": GEEN_VRAGEN if b.gekoppeld and not b.vragen else "",
        "methoden": [
            {"id": m.id, "naam": m.naam, "tekst": " ".join(m.tekst.split()),
             "partijen": [p.naam for p in m.partijen], "bron": str(m.bron)}
            for m in b.methoden
        ],
        "methoden_bronnen": list(dict.fromkeys(str(m.bron) for m in b.methoden)),
        "documenten": [
            {"document": d, "methode": m.naam, "partijen": [p.naam for p in m.partijen]}
            for d, m in werkwijze.documenten(b)
        ],
    }


def werkwijze_context(werkwijze: Werkwijze | None) -> dict:
    """What is shown once per document: the kinds of organisation (002 §1.2) and the
    reflectiebijeenkomst (002 Kader 1), with their bron."""
    if werkwijze is None:
        return {"partijen": [], "reflectiebijeenkomst": None}
    r = werkwijze.reflectiebijeenkomst
    return {
        "partijen": [{"naam": p.naam, "tekst": " ".join(p.tekst.split()), "bron": str(p.bron)}
                     for p in werkwijze.partijen],
        "reflectiebijeenkomst": (
            {"naam": r.naam, "tekst": " ".join(r.tekst.split()), "bron": str(r.bron)} if r else None
        ),
    }
