"""The verbeterplan: an HTML report (Jinja2) rendered to an A4 PDF/A with WeasyPrint.

Templates, escaping, the fetcher that refuses every URL and the PDF/A rendering are
those of `rapport.pdf` (its module doc is the security model); this module builds
what the template shows.

Optional parts (all escaped like the rest): suggested actions from the action
library under each verbeterpunt, the actieplan of the ronde and the progress since
the previous ronde (its actions, and the scores of both rondes in one spider chart),
plus an appendix with the source text of rephrased suggestions.

Archive (issue 5): the PDF is PDF/A-3a (`rapport.pdf.PDF_VARIANT`) with all fonts
embedded and the chart as vectors; title, author (the gemeente), subject, keywords,
language (``nl``, also the catalog /Lang) and creation date are in the document info
and the XMP metadata. The data of the ronde is embedded as two attachments with
AFRelationship /Data (see `pdf_bijlagen`): the answers in the uitwisselformaat
(CSV) and the aggregated scores (JSON). A table of contents with page numbers
comes after the title block; h1-h3 become PDF bookmarks.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field

import pandas as pd

from kader.acties import Actie
from kader.bronnen import begrippen_in
from kader.model import SOORT_MEERVOUD, Kader, koppen
from rapport import planeffect, samenvatting
from rapport.aggregatie import aggregeer, filter_antwoorden, rangschik
from rapport.anonimiteit import TE_WEINIG, onderdruk, onderdrukte_criteria
from rapport.bestandsnaam import bestandsnaam
from rapport.grafiek import GrafiekOpties, grafiek_tabel, spinnenweb, spinnenweb_svg
from rapport.groepen import ALLE, anonimiseer, rol_volgorde
from rapport.opmaak import datum, datum_nl, getal
from rapport.overleggen import overleggen_sectie
from rapport.pdf import (
    PRODUCT,
    PdfBijlage,
    auteur,
    html_naar_pdf,
    render,
    svg_markup,
    w3c,
)
from rapport.samenwerkingskaart import samenwerkingskaart_context
from rapport.tweede_stem import pdf_sectie
from uitwisselformaat import schrijf_csv

# Status of an action (uitwisselformaat.waarden.ACTIE_STATUSSEN) as shown in the report.
STATUS_LABELS = {
    "gepland": "Gepland",
    "bezig": "Bezig",
    "gerealiseerd": "Gerealiseerd",
    "gestopt": "Gestopt",
}
MAX_SUGGESTIES = 3  # suggested actions shown per verbeterpunt


@dataclass(frozen=True)
class Toelichting:
    rol: str  # display name of the rol, never the respondent
    score: str  # label of the given answer, e.g. '2 – Matig' or 'Weet niet'
    tekst: str


def _score_label(kader: Kader, score: str) -> str:
    try:
        label = kader.schaal.label(score)
    except KeyError:
        return str(score)
    return f"{score} – {label}" if str(score).strip().isdigit() else label


def _toelichtingen(
    antwoorden: pd.DataFrame, kader: Kader, rol_namen: Mapping[str, str], rol_volgorde: list[str]
) -> dict[str, list[Toelichting]]:
    """Non-empty toelichtingen per criterium id, ordered by rol (rol_volgorde), then input order."""
    df = antwoorden.loc[antwoorden["kader"] == kader.id, ["criterium", "rol", "score", "toelichting"]]
    tekst = df["toelichting"].fillna("").astype(str).str.strip()
    df = df.assign(toelichting=tekst).loc[tekst != ""]
    if df.empty:
        return {}
    positie = {r: i for i, r in enumerate(rol_volgorde)}
    df = df.assign(_rol=df["rol"].map(positie).fillna(len(positie)))
    df = df.sort_values(["_rol", "rol"], kind="stable")
    uit: dict[str, list[Toelichting]] = {}
    for criterium, rol, score, toelichting in df[["criterium", "rol", "score", "toelichting"]].itertuples(
        index=False
    ):
        uit.setdefault(str(criterium), []).append(
            Toelichting(
                rol=rol_namen.get(rol, rol),
                score=_score_label(kader, str(score)),
                tekst=_kort(toelichting),
            )
        )
    return uit


MAX_TOELICHTING_PDF = 2000  # as in the questionnaire; an imported file may hold more
MAX_KORT_VELD = 500  # eigenaar, meting, effect: the longest the plan page accepts


def _kort(tekst: str, maximum: int = MAX_TOELICHTING_PDF) -> str:
    """Cut very long texts: a 100 KB unbroken string takes WeasyPrint minutes to lay out.

    Only the printed page is cut; the attachment with the answers keeps the full text.
    """
    if len(tekst) <= maximum:
        return tekst
    return tekst[:maximum] + " … (ingekort)"


# ----------------------------------------------------------------- actieplan


def _als_dict(actie) -> dict:
    """An action as a dict: a Mapping, a dataclass (ActieInfo) or any object."""
    if isinstance(actie, Mapping):
        return dict(actie)
    if dataclasses.is_dataclass(actie) and not isinstance(actie, type):
        return {f.name: getattr(actie, f.name) for f in dataclasses.fields(actie)}
    return dict(vars(actie))


def _datum_tekst(waarde) -> str:
    """A deadline (date, datetime or 'JJJJ-MM-DD') in Dutch; '–' when missing."""
    return datum(waarde)


def _onderdeel(kader: Kader, criterium_id) -> str:
    if not criterium_id:
        return "Kader als geheel"
    try:
        return kader.criterium(str(criterium_id)).kort
    except KeyError:
        return str(criterium_id)


def _plan_rijen(acties: Iterable | None, kader: Kader) -> list[dict] | None:
    """The actions of this kader as display rows (input order); None stays None."""
    if acties is None:
        return None
    rijen = []
    for ruw in acties:
        a = _als_dict(ruw)
        if a.get("kader_id") not in (None, "", kader.id):
            continue
        status = str(a.get("status") or "gepland")
        rijen.append({
            "onderdeel": _onderdeel(kader, a.get("criterium_id")),
            "wat": _kort(str(a.get("wat") or "")),
            "eigenaar": _kort(str(a.get("eigenaar") or ""), MAX_KORT_VELD) or "–",
            "deadline": _kort(_datum_tekst(a.get("deadline")), MAX_KORT_VELD),
            "meting": _kort(str(a.get("meting") or ""), MAX_KORT_VELD) or "–",
            "status": _kort(STATUS_LABELS.get(status, status), MAX_KORT_VELD),
            "effect": _kort(str(a.get("effect") or ""), MAX_KORT_VELD),
        })
    return rijen


def _suggestie(a: Actie) -> dict:
    """A suggestion as the template shows it: the bron as its citation (`str(bron)`, never the
    file name), the historic marker of a source from before the Jeugdwet and, for a rewritten
    text, the reason and the source text. ``bron_bestand`` is technical and not printed."""
    return {"id": a.id, "tekst": a.tekst, "bron": str(a.bron), "historisch": a.bron.historisch_label,
            "bron_bestand": a.bron.bestand, "herschreven": a.herschreven, "oorspronkelijk": a.oorspronkelijk,
            "reden": a.reden}


def _begrippen(suggesties: Iterable[dict]) -> list:
    """The historic terms (kader.bronnen) that occur in the suggestion texts shown, the
    source texts of the appendix included, in the register's order."""
    return list(begrippen_in("\n".join(f"{s['tekst']}\n{s['oorspronkelijk']}" for s in suggesties)))


def _suggesties_per_criterium(
    suggesties: Mapping[str, Sequence[Actie]] | None,
) -> dict[str, list[dict]]:
    """Up to MAX_SUGGESTIES suggestions per criterium id (given order kept)."""
    if not suggesties:
        return {}
    return {
        str(cid): [_suggestie(a) for a in list(lijst)[:MAX_SUGGESTIES]]
        for cid, lijst in suggesties.items()
    }


@dataclass(frozen=True)
class _Gegevens:
    """The data behind the report, for the attachments (not used by the template)."""

    antwoorden: pd.DataFrame  # this gemeente, ronde and kader; small rol groups merged
    agg: pd.DataFrame
    rol_namen: dict[str, str]


def _verschil(nu: float, vorig: float) -> str:
    if math.isnan(nu) or math.isnan(vorig):
        return "–"
    d = round(nu - vorig, 1)
    if d == 0:
        return "0,0"
    return ("+" if d > 0 else "−") + getal(abs(d))


def _vergelijking(
    agg: pd.DataFrame,
    kader: Kader,
    vorige_antwoorden: pd.DataFrame | None,
    gemeente: str,
    vorige_ronde: str | None,
    drempel: int | None = None,
) -> dict | None:
    """This ronde against the previous one: overlay chart and a table per criterium."""
    if vorige_antwoorden is None:
        return None
    vorig = onderdruk(filter_antwoorden(vorige_antwoorden, gemeente=gemeente, ronde=vorige_ronde), drempel)
    vorig = vorig.loc[vorig["kader"] == kader.id]
    label = vorige_ronde or (str(vorig["ronde"].iloc[0]) if len(vorig) else "")
    if vorig.empty:
        return {"label": label, "svg": None, "rijen": [], "respondenten": 0}
    agg_vorig = aggregeer(vorig, kader)
    lijn = f"Vorige ronde ({label})" if label else "Vorige ronde"
    # only 'Alle respondenten' of this ronde (rollen=[]) against the previous ronde
    vergelijk_opties = GrafiekOpties(rollen=(), vergelijkingen={lijn: agg_vorig})
    chart = spinnenweb(agg, kader, vergelijk_opties)
    zin = samenvatting.spinnenweb(agg, kader, vergelijk_opties)  # the chart in words (issue 13)

    def gemiddelden(df: pd.DataFrame) -> dict[str, float]:
        rijen = df.loc[(df["niveau"] == "criterium") & (df["rol"] == ALLE.id)]
        return {str(i): float(g) for i, g in zip(rijen["id"], rijen["gemiddelde"])}

    nu, toen = gemiddelden(agg), gemiddelden(agg_vorig)
    rijen = []
    for c in kader.criteria:
        a, b = toen.get(c.id, math.nan), nu.get(c.id, math.nan)
        rijen.append({"kort": c.kort, "vorig": getal(a), "nu": getal(b), "verschil": _verschil(b, a)})
    return {
        "label": label,
        "lijn": lijn,
        "svg": svg_markup(spinnenweb_svg(chart), "Spinnenwebgrafiek: deze ronde en de vorige ronde"),
        "samenvatting": zin,
        "alt": f"Spinnenwebgrafiek: deze ronde en de vorige ronde. {zin}",
        "rijen": rijen,
        "respondenten": vorig["respondent"].nunique(),
    }


GROOT_VERSCHIL = 1.0
"""The instrument's own rule (not a rule of the sources): when the score the workshop agreed
on lies at least this many points on the scale above or below the mean of all respondents,
the verbeterplan names the gap in words (`verschil_tekst`). Compared after rounding to one
decimal, the precision the reports show."""


def verschil_tekst(verschil: float | None) -> str:
    """'De afgesproken score ligt 1,3 hoger dan het gemiddelde.' when the gap (agreed score
    minus mean, rounded to one decimal) is at least `GROOT_VERSCHIL`; '' otherwise."""
    if verschil is None or abs(verschil) < GROOT_VERSCHIL - 1e-9:
        return ""
    richting = "hoger" if verschil > 0 else "lager"
    return f"De afgesproken score ligt {getal(abs(verschil))} {richting} dan het gemiddelde."


def _schaalwaarde(score: str) -> float | None:
    try:
        return float(str(score).strip())
    except ValueError:
        return None  # weet_niet / nvt: no gap


def afspraken(
    kader: Kader,
    antwoorden: pd.DataFrame,
    consensus: Mapping | None,
    te_weinig: Iterable[str] = (),
) -> list[dict]:
    """Per criterium (kader order): the mean and the distribution of all respondents beside
    the score and motivatie the workshop agreed on, and the gap named in words where it is
    large (`GROOT_VERSCHIL`).

    ``antwoorden`` are rows that already went through `rapport.anonimiteit.onderdruk` (any
    gemeente/ronde filter done); ``te_weinig`` are the criterium ids it withheld. For those
    the consensus (a statement of the group, no one's own answer) is shown, but no mean, no
    distribution and no gap. ``consensus`` as `storage.repository.consensus_van` returns it:
    {(kader_id, criterium_id): (score, motivatie, ...)}.

    Each row: id, kort, te_weinig, n, gemiddelde (float or None), verdeling ('1: 0 · 2: 3 ·
    ...', '' when withheld or without scores), afgesproken (None, or {waarde, score (label),
    motivatie}), verschil (float, one decimal, or None), verschil_label ('+1,3', '−0,5', '–')
    and verschil_tekst.
    """
    te_weinig = set(te_weinig)
    consensus = consensus or {}
    df = antwoorden.loc[antwoorden["kader"] == kader.id, ["criterium", "score"]]
    scores = df.assign(score=df["score"].astype(str).str.strip())
    waarden = [p.waarde for p in kader.schaal.punten]
    rijen = []
    for c in kader.criteria:
        eigen = scores.loc[scores["criterium"] == c.id, "score"]
        getallen = pd.to_numeric(eigen, errors="coerce").dropna()
        verborgen = c.id in te_weinig
        gemiddelde = None if verborgen or getallen.empty else float(getallen.mean())
        verdeling = "" if gemiddelde is None else " · ".join(
            f"{w}: {int((eigen == str(w)).sum())}" for w in waarden)
        afgesproken, verschil = None, None
        waarde = consensus.get((kader.id, c.id))
        if waarde:
            score, motivatie = (list(waarde) + [None, None])[:2]
            afgesproken = {"waarde": str(score), "score": _score_label(kader, str(score)),
                           "motivatie": _kort(str(motivatie or "").strip())}
            punt = _schaalwaarde(score)
            if punt is not None and gemiddelde is not None:
                verschil = round(punt - round(gemiddelde, 1), 1) + 0.0
        rijen.append({
            "id": c.id, "kort": c.kort, "te_weinig": verborgen, "n": int(getallen.size),
            "gemiddelde": gemiddelde, "verdeling": verdeling, "afgesproken": afgesproken,
            "verschil": verschil, "verschil_tekst": verschil_tekst(verschil),
            "verschil_label": "–" if verschil is None else _verschil(verschil, 0.0),
        })
    return rijen


@dataclass(frozen=True, eq=False)
class VerbeterplanInvoer:
    """Everything a verbeterplan is made from (`verbeterplan_context`, `maak_verbeterplan_html`,
    `maak_verbeterplan_pdf`). Only the first four are required; the rest are keywords.

    - ``antwoorden``: uitwisselformaat rows; filtered here to ``gemeente``, ``ronde``
      (the ronde's label) and ``kader``.
    - ``rol_namen``: rol id -> display name.
    - ``acties`` and ``vorige_acties``: the actieplan of this ronde and the actions of the
      previous one: ActieInfo objects or dicts with their fields (kader_id,
      criterium_id, wat, eigenaar, deadline, meting, status, effect); actions of another
      kader are left out.
    - ``suggesties``: criterium id -> suggested actions (e.g. ``kader.acties.suggesties``),
      of which the first `MAX_SUGGESTIES` are shown under that verbeterpunt.
    - ``vorige_antwoorden`` (uitwisselformaat rows; filtered to this gemeente, this kader
      and, when given, the label ``vorige_ronde``): the comparison with the previous
      ronde, a spider chart of both rondes (all respondents) and a table of the means.
    - ``consensus``: the scores and motivaties the workshop agreed on, as
      `storage.repository.consensus_van` returns them; shown beside the mean (`afspraken`).
    - ``overleggen``: the inventory of overleggen (objects or dicts, see `rapport.overleggen`);
      its matrix and summary get a section of their own.
    - ``tweede_stemmen``: the workshop's second silent votes (answers format,
      `storage.repository.tweede_stemmen_df`): the section 'Welke criteria verschoof het
      gesprek?' (`rapport.tweede_stem.pdf_sectie`, template tweede_stem.html.j2).
    - ``drempel``: the anonymity threshold (`rapport.groepen.anonimiteitsdrempel`).
    - ``datum``: the date printed (default today); ``gemaakt``: the creation moment in
      the PDF metadata (default now).
    - ``samenwerking``: the samenwerkingskaart (``uitwisselformaat.samenwerking``; filtered
      to this gemeente and ronde), shown by `rapport.samenwerkingskaart`.

    Each optional part is left out of the report when its field is None.
    """

    antwoorden: pd.DataFrame
    kader: Kader
    gemeente: str
    ronde: str
    _: KW_ONLY
    rol_namen: Mapping[str, str] = field(default_factory=dict)
    acties: Iterable | None = None
    suggesties: Mapping[str, Sequence[Actie]] | None = None
    vorige_acties: Iterable | None = None
    vorige_antwoorden: pd.DataFrame | None = None
    vorige_ronde: str | None = None
    consensus: Mapping | None = None
    tweede_stemmen: pd.DataFrame | None = None
    drempel: int | None = None
    datum: dt.date | None = None
    gemaakt: dt.datetime | None = None
    samenwerking: pd.DataFrame | None = None
    overleggen: Iterable | None = None  # the inventory of overleggen (rapport/overleggen.py)


def verbeterplan_context(invoer: VerbeterplanInvoer) -> dict:
    """Everything the template shows (the answers are filtered to gemeente, ronde and kader)."""
    kader, gemeente, ronde = invoer.kader, invoer.gemeente, invoer.ronde
    gemaakt = invoer.gemaakt or dt.datetime.now(dt.UTC)
    per_criterium = _suggesties_per_criterium(invoer.suggesties)
    antwoorden = filter_antwoorden(invoer.antwoorden, gemeente=gemeente, ronde=ronde)
    # a criterium (or a group's part of it) with too few answers enters no number, no
    # toelichting and no attachment (rapport.anonimiteit)
    zichtbaar = onderdruk(antwoorden, invoer.drempel, invoer.rol_namen)
    te_weinig = {c for k, c in onderdrukte_criteria(antwoorden, onderdrukt=zichtbaar) if k == kader.id}
    antwoorden = zichtbaar
    # rol groups below the anonymity threshold never appear on their own (docs/analyse.md)
    antwoorden, rol_namen = anonimiseer(antwoorden, invoer.rol_namen, invoer.drempel)
    antwoorden = antwoorden.loc[antwoorden["kader"] == kader.id]
    agg = aggregeer(antwoorden, kader)
    rang = rangschik(agg, kader)
    rollen = rol_volgorde(agg["rol"], rol_namen)
    toelichtingen = _toelichtingen(antwoorden, kader, rol_namen, rollen)
    per_afspraak = {r["id"]: r for r in afspraken(kader, antwoorden, invoer.consensus, te_weinig)}

    crit_rijen = agg.loc[agg["niveau"] == "criterium"]
    totaal = crit_rijen.loc[crit_rijen["rol"] == ALLE.id].set_index("id")
    per_rol_rijen = crit_rijen.loc[(crit_rijen["rol"] != ALLE.id) & (crit_rijen["n"] > 0)]
    per_rol_index = per_rol_rijen.set_index(["id", "rol"])
    per_rol = {
        c.id: [
            {
                "rol": rol_namen.get(r, r),
                "gemiddelde": per_rol_index.at[(c.id, r), "gemiddelde"],
                "n": int(per_rol_index.at[(c.id, r), "n"]),
            }
            for r in rollen
            if (c.id, r) in per_rol_index.index
        ]
        for c in kader.criteria
    }

    def punt(rij) -> dict:
        c = kader.criterium(rij["id"])
        return {
            "criterium": c,
            "koppen": koppen(kader, c),
            "thema": kader.thema(c.thema_id).titel,
            "stats": rij,
            "per_rol": per_rol[c.id],
            "toelichtingen": toelichtingen.get(c.id, []),
            "suggesties": per_criterium.get(c.id, []),
            "te_weinig": c.id in te_weinig,
            "afspraak": per_afspraak[c.id],
        }

    score_tabel = []
    for thema in kader.themas:
        rijen = [totaal.loc[c.id].to_dict() | {"id": c.id, "kort": c.kort, "te_weinig": c.id in te_weinig,
                                               "afgesproken": per_afspraak[c.id]["afgesproken"]}
                 for c in thema.criteria]
        score_tabel.append({"thema": thema, "rijen": rijen})

    opties = GrafiekOpties(rol_namen=rol_namen)
    tabel = grafiek_tabel(agg, kader, opties)
    chart = spinnenweb(agg, kader, opties)
    zin = samenvatting.spinnenweb(agg, kader, opties)  # the chart in words (issue 13)
    respondenten = antwoorden["respondent"].nunique() if "respondent" in antwoorden else 0
    soorten = list(dict.fromkeys(c.soort for c in kader.criteria))
    verbeterpunten = [punt(r) for _, r in rang.verbeterpunten.iterrows()]
    # Appendix: source text of each rephrased suggestion shown, once, in order.
    bijlage = list({
        sug["id"]: sug for p in verbeterpunten for sug in p["suggesties"] if sug["herschreven"]
    }.values())
    basis = bestandsnaam(gemeente, ronde, kader.id, standaard="verbeterplan")

    return {
        "kader": kader,
        "gemeente": gemeente,
        "ronde": ronde,
        "datum": datum_nl(invoer.datum or dt.date.today()),
        "titel": f"Verbeterplan {gemeente} – {kader.titel} – ronde {ronde}",
        "auteur": auteur(gemeente),
        "onderwerp": (
            f"Verbeterplan voor {gemeente}: zelfevaluatie met het {kader.titel} "
            f"(versie {kader.versie}), ronde {ronde}"
        ),
        "trefwoorden": ["verbeterplan", "zelfevaluatie", "jeugd", gemeente, kader.titel, ronde],
        "generator": PRODUCT,
        "gemaakt": w3c(gemaakt),
        "bestanden": [
            {"naam": f"antwoorden-{basis}.csv",
             "beschrijving": "De antwoorden van deze ronde in het uitwisselformaat (CSV)"},
            {"naam": f"scores-{basis}.json",
             "beschrijving": "De scores per onderdeel, per rol en voor alle deelnemers samen (JSON)"},
        ],
        "vergelijking": _vergelijking(agg, kader, invoer.vorige_antwoorden, gemeente, invoer.vorige_ronde,
                                     invoer.drempel),
        "gegevens": _Gegevens(antwoorden, agg, rol_namen),
        "schaal": kader.schaal,
        "respondenten": respondenten,
        "aantal_antwoorden": len(antwoorden),
        "rollen": [rol_namen.get(r, r) for r in rollen],
        "soort_meervoud": " en ".join(SOORT_MEERVOUD.get(s, s) for s in soorten) or "criteria",
        # the figure's alternative text in the tagged PDF is the same summary as the text beside it
        "svg": svg_markup(spinnenweb_svg(chart)),
        "grafiek": {"samenvatting": zin},
        "grafiek_alt": f"Spinnenwebgrafiek {kader.titel}. {zin}",
        "grafiek_tabel": {
            "kolommen": list(tabel.columns),
            "rijen": [
                (kort, [v if isinstance(v, str) else getal(v) for v in rij])
                for kort, rij in zip(tabel.index, tabel.to_numpy().tolist())
            ],
        },
        "alle_label": ALLE.label,
        "te_weinig_tekst": TE_WEINIG,
        "score_tabel": score_tabel,
        "afspraken": [r for r in per_afspraak.values() if r["afgesproken"]],
        "tweede_stem": pdf_sectie(invoer.antwoorden, invoer.tweede_stemmen, kader, gemeente, ronde,
                                  invoer.consensus, invoer.drempel, invoer.rol_namen),
        "groot_verschil": getal(GROOT_VERSCHIL),
        "sterke_punten": [punt(r) for _, r in rang.sterke_punten.iterrows()],
        "verbeterpunten": verbeterpunten,
        "niet_beoordeeld": [punt(r) for _, r in rang.niet_beoordeeld.iterrows()],
        "actieplan": _plan_rijen(invoer.acties, kader),
        "vorige_acties": _plan_rijen(invoer.vorige_acties, kader),
        "planeffect": planeffect.voor_verbeterplan(invoer),  # did last year's plan work? (issue 15)
        "bijlage": bijlage,
        "begrippen": _begrippen(sug for p in verbeterpunten for sug in p["suggesties"]),
        "samenwerkingskaart": samenwerkingskaart_context(invoer.samenwerking, gemeente, ronde, invoer.rol_namen,
                                                         invoer.drempel),
        "overleggen": overleggen_sectie(invoer.overleggen, invoer.rol_namen),
    }


def maak_verbeterplan_html(invoer: VerbeterplanInvoer) -> str:
    """The verbeterplan as a self-contained HTML document (inline CSS and SVG)."""
    return render("verbeterplan", verbeterplan_context(invoer))


def _json_waarde(waarde):
    """NaN (no score) becomes None (JSON null); numpy numbers become Python numbers."""
    if hasattr(waarde, "item"):
        waarde = waarde.item()
    if isinstance(waarde, float) and math.isnan(waarde):
        return None
    return waarde


def pdf_bijlagen(context: Mapping) -> list[PdfBijlage]:
    """The data of the ronde as files to embed, named as listed in ``context['bestanden']``.

    1. The answers (this gemeente, ronde and kader) in the uitwisselformaat, written
       by `uitwisselformaat.schrijf_csv` (UTF-8 with BOM, so Excel reads it).
       Rol groups below the anonymity threshold are merged exactly as in the report
       (rol ``OVERIGE.id`` or ``SAMEN.id`` of `rapport.groepen`), so the file shows no more
       than the pages do; toelichtingen are complete (the pages may cut them).
    2. The aggregated scores (`rapport.aggregatie.aggregeer`) as JSON: one object per
       (niveau, id, rol), null where there is no score.
    """
    g: _Gegevens = context["gegevens"]
    kader: Kader = context["kader"]
    csv_info, json_info = context["bestanden"]
    scores = {
        "formaat": "verbeterplan-scores",
        "versie": 1,
        "gemeente": context["gemeente"],
        "ronde": context["ronde"],
        "kader": {"id": kader.id, "versie": kader.versie, "titel": kader.titel},
        "gemaakt": context["gemaakt"],
        "respondenten": int(context["respondenten"]),
        "rollen": {str(r): g.rol_namen.get(r, r) for r in pd.unique(g.agg["rol"]) if r != ALLE.id},
        "scores": [
            {str(k): _json_waarde(v) for k, v in rij.items()}
            for rij in g.agg.to_dict(orient="records")
        ],
    }
    return [
        PdfBijlage(csv_info["naam"], schrijf_csv(g.antwoorden, bom=True), csv_info["beschrijving"]),
        PdfBijlage(
            json_info["naam"],
            json.dumps(scores, ensure_ascii=False, indent=2, allow_nan=False).encode("utf-8"),
            json_info["beschrijving"],
        ),
    ]


def maak_verbeterplan_pdf(invoer: VerbeterplanInvoer) -> bytes:
    """The verbeterplan as an A4 PDF/A-3a (bytes), with the data of the ronde embedded
    (`pdf_bijlagen`)."""
    invoer = dataclasses.replace(invoer, gemaakt=invoer.gemaakt or dt.datetime.now(dt.UTC))
    context = verbeterplan_context(invoer)
    return html_naar_pdf(render("verbeterplan", context), bijlagen=pdf_bijlagen(context), gemaakt=invoer.gemaakt)
