"""The verbeterplan: an HTML report (Jinja2) rendered to an A4 PDF with WeasyPrint.

Security model:

- Everything from the answers (toelichtingen, but also ids and names) goes through
  Jinja2 autoescaping. Only two things are inserted as `Markup`: the stylesheet (a
  file in this package) and the SVG of the chart, which vl-convert produces from data
  it escapes itself.
- WeasyPrint gets ``base_url=None`` and a `RefusingURLFetcher` that refuses EVERY URL
  (file:, http(s):, data:, ...). The report needs no external resource: the chart is
  inline SVG, the CSS is inline and fonts come from the system font configuration.
  So even if markup were to slip through, WeasyPrint would not read a local file or
  contact a server.

Optional parts (all escaped like the rest): suggested actions from the action
library under each verbeterpunt, the actieplan of the ronde and the progress of
the previous ronde's actions, plus an appendix with the source text of rephrased
suggestions.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

import pandas as pd
import weasyprint
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from weasyprint.urls import URLFetcher

from kader.acties import Actie
from kader.model import SOORT_MEERVOUD, Kader
from rapport.opmaak import getal
from rapport.workshop import anonimiseer
from rapport.aggregatie import ALLE, aggregeer, filter_antwoorden, rangschik
from rapport.grafiek import ALLE_LABEL, grafiek_tabel, spinnenweb, spinnenweb_svg

MAANDEN = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)

# Status of an action (storage.models.ACTIE_STATUSSEN) as shown in the report.
STATUS_LABELS = {
    "gepland": "Gepland",
    "bezig": "Bezig",
    "gerealiseerd": "Gerealiseerd",
    "gestopt": "Gestopt",
}
MAX_SUGGESTIES = 3  # suggested actions shown per verbeterpunt

_env = Environment(
    loader=PackageLoader("rapport", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def datum_nl(datum: dt.date) -> str:
    """'22 november 2026' (no locale needed)."""
    return f"{datum.day} {MAANDEN[datum.month - 1]} {datum.year}"


def _score(waarde: float) -> str:
    """A median/min/max: whole numbers without decimals, halves with one."""
    if isinstance(waarde, float) and math.isnan(waarde):
        return "–"
    return getal(waarde, 0 if float(waarde).is_integer() else 1)


_env.filters["getal"] = getal
_env.filters["score"] = _score


class URLRefused(Exception):
    """Raised by `RefusingURLFetcher` for every URL."""


class RefusingURLFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that refuses every URL and remembers which.

    ``fetch`` raises `URLRefused` for every scheme (file:, http:, https:, data:, ...)
    without opening anything. WeasyPrint then logs a warning and leaves the resource
    out; with ``fail_on_errors=True`` it stops rendering instead.
    """

    def __init__(self, fail_on_errors: bool = False) -> None:
        super().__init__(allowed_protocols=(), fail_on_errors=fail_on_errors)
        self.geweigerd: list[str] = []

    def fetch(self, url, headers=None):
        self.geweigerd.append(str(url))
        raise URLRefused(f"Externe bron geweigerd: {url}")

    def open(self, url, data=None, timeout=None):
        return self.fetch(getattr(url, "full_url", url))


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


def _kort(tekst: str) -> str:
    """Cut very long toelichtingen: a 100 KB unbroken string takes WeasyPrint minutes to lay out."""
    if len(tekst) <= MAX_TOELICHTING_PDF:
        return tekst
    return tekst[:MAX_TOELICHTING_PDF] + " … (ingekort)"


def _rol_volgorde(agg: pd.DataFrame, rol_namen: Mapping[str, str]) -> list[str]:
    aanwezig = [r for r in pd.unique(agg["rol"]) if r != ALLE]
    bekend = [r for r in rol_namen if r in aanwezig]
    return bekend + sorted(r for r in aanwezig if r not in bekend)


def _svg_markup(svg: str) -> Markup:
    """The vl-convert SVG, made to scale with the page (viewBox kept, fixed size dropped)."""
    start = svg.find("<svg")
    if start < 0:
        raise ValueError("geen SVG")
    einde = svg.find(">", start)
    kop = svg[start:einde]
    kop = re.sub(r'\s(width|height)="[^"]*"', "", kop, count=2)
    kop += ' role="img" aria-label="Spinnenwebgrafiek"'
    return Markup(svg[:start] + kop + svg[einde:])


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
    if waarde in (None, ""):
        return "–"
    if isinstance(waarde, dt.datetime):
        waarde = waarde.date()
    if not isinstance(waarde, dt.date):
        try:
            waarde = dt.date.fromisoformat(str(waarde).strip())
        except ValueError:
            return str(waarde)
    return datum_nl(waarde)


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
            "wat": str(a.get("wat") or ""),
            "eigenaar": str(a.get("eigenaar") or "") or "–",
            "deadline": _datum_tekst(a.get("deadline")),
            "meting": str(a.get("meting") or "") or "–",
            "status": STATUS_LABELS.get(status, status),
            "effect": str(a.get("effect") or ""),
        })
    return rijen


def _suggestie(a: Actie) -> dict:
    return {"id": a.id, "tekst": a.tekst, "bron": f"{a.bron.bestand}, {a.bron.sectie}",
            "herschreven": a.herschreven, "oorspronkelijk": a.oorspronkelijk}


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


def verbeterplan_context(
    antwoorden: pd.DataFrame,
    kader: Kader,
    gemeente: str,
    ronde: str,
    rol_namen: Mapping[str, str] | None = None,
    datum: dt.date | None = None,
    acties: Iterable | None = None,
    suggesties: Mapping[str, Sequence[Actie]] | None = None,
    vorige_acties: Iterable | None = None,
    drempel: int | None = None,
) -> dict:
    """Everything the template shows (the answers are filtered to gemeente and ronde).

    ``acties`` and ``vorige_acties`` are ActieInfo objects or dicts with their
    fields (kader_id, criterium_id, wat, eigenaar, deadline, meting, status,
    effect); actions of another kader are left out. ``suggesties`` maps a
    criterium id to suggested actions (e.g. ``kader.acties.suggesties``), of
    which the first MAX_SUGGESTIES are shown under that verbeterpunt. Each part
    is left out of the report when its argument is None.
    """
    rol_namen = dict(rol_namen or {})
    per_criterium = _suggesties_per_criterium(suggesties)
    antwoorden = filter_antwoorden(antwoorden, gemeente=gemeente, ronde=ronde)
    # rol groups below the anonymity threshold never appear on their own (docs/analyse.md)
    antwoorden, rol_namen = anonimiseer(antwoorden, rol_namen, drempel)
    antwoorden = antwoorden.loc[antwoorden["kader"] == kader.id]
    agg = aggregeer(antwoorden, kader)
    rang = rangschik(agg, kader)
    rollen = _rol_volgorde(agg, rol_namen)
    toelichtingen = _toelichtingen(antwoorden, kader, rol_namen, rollen)

    crit_rijen = agg.loc[agg["niveau"] == "criterium"]
    totaal = crit_rijen.loc[crit_rijen["rol"] == ALLE].set_index("id")
    per_rol_rijen = crit_rijen.loc[(crit_rijen["rol"] != ALLE) & (crit_rijen["n"] > 0)]
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
            "thema": kader.thema(c.thema_id).titel,
            "stats": rij,
            "per_rol": per_rol[c.id],
            "toelichtingen": toelichtingen.get(c.id, []),
            "suggesties": per_criterium.get(c.id, []),
        }

    score_tabel = []
    for thema in kader.themas:
        rijen = [totaal.loc[c.id].to_dict() | {"id": c.id, "kort": c.kort} for c in thema.criteria]
        score_tabel.append({"thema": thema, "rijen": rijen})

    tabel = grafiek_tabel(agg, kader, rol_namen)
    chart = spinnenweb(agg, kader, rol_namen)
    respondenten = antwoorden["respondent"].nunique() if "respondent" in antwoorden else 0
    soorten = list(dict.fromkeys(c.soort for c in kader.criteria))
    verbeterpunten = [punt(r) for _, r in rang.verbeterpunten.iterrows()]
    # Appendix: source text of each rephrased suggestion shown, once, in order.
    bijlage = list({
        sug["id"]: sug for p in verbeterpunten for sug in p["suggesties"] if sug["herschreven"]
    }.values())

    return {
        "kader": kader,
        "gemeente": gemeente,
        "ronde": ronde,
        "datum": datum_nl(datum or dt.date.today()),
        "titel": f"Verbeterplan {gemeente} – {kader.titel} – ronde {ronde}",
        "schaal": kader.schaal,
        "respondenten": respondenten,
        "aantal_antwoorden": len(antwoorden),
        "rollen": [rol_namen.get(r, r) for r in rollen],
        "soort_meervoud": " en ".join(SOORT_MEERVOUD.get(s, s) for s in soorten) or "criteria",
        "svg": _svg_markup(spinnenweb_svg(chart)),
        "grafiek_tabel": {
            "kolommen": list(tabel.columns),
            "rijen": [
                (kort, [v if isinstance(v, str) else getal(v) for v in rij])
                for kort, rij in zip(tabel.index, tabel.to_numpy().tolist())
            ],
        },
        "alle_label": ALLE_LABEL,
        "score_tabel": score_tabel,
        "sterke_punten": [punt(r) for _, r in rang.sterke_punten.iterrows()],
        "verbeterpunten": verbeterpunten,
        "niet_beoordeeld": [punt(r) for _, r in rang.niet_beoordeeld.iterrows()],
        "actieplan": _plan_rijen(acties, kader),
        "vorige_acties": _plan_rijen(vorige_acties, kader),
        "bijlage": bijlage,
    }


def maak_verbeterplan_html(
    antwoorden: pd.DataFrame,
    kader: Kader,
    gemeente: str,
    ronde: str,
    rol_namen: Mapping[str, str] | None = None,
    datum: dt.date | None = None,
    acties: Iterable | None = None,
    suggesties: Mapping[str, Sequence[Actie]] | None = None,
    vorige_acties: Iterable | None = None,
    drempel: int | None = None,
) -> str:
    """The verbeterplan as a self-contained HTML document (inline CSS and SVG).

    See :func:`verbeterplan_context` for ``acties``, ``suggesties`` and ``vorige_acties``.
    """
    context = verbeterplan_context(
        antwoorden, kader, gemeente, ronde, rol_namen, datum,
        acties=acties, suggesties=suggesties, vorige_acties=vorige_acties, drempel=drempel,
    )
    css = Markup(resources.files("rapport").joinpath("templates/verbeterplan.css").read_text("utf-8"))
    return _env.get_template("verbeterplan.html.j2").render(css=css, **context)


def html_naar_pdf(html: str, url_fetcher=None) -> bytes:
    """Render HTML to PDF with WeasyPrint, base_url=None and a fetcher that refuses all URLs."""
    fetcher = url_fetcher if url_fetcher is not None else RefusingURLFetcher()
    return weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()


def maak_verbeterplan_pdf(
    antwoorden: pd.DataFrame,
    kader: Kader,
    gemeente: str,
    ronde: str,
    rol_namen: Mapping[str, str] | None = None,
    datum: dt.date | None = None,
    acties: Iterable | None = None,
    suggesties: Mapping[str, Sequence[Actie]] | None = None,
    vorige_acties: Iterable | None = None,
    drempel: int | None = None,
) -> bytes:
    """The verbeterplan as an A4 PDF (bytes); optional parts as in :func:`maak_verbeterplan_html`."""
    return html_naar_pdf(maak_verbeterplan_html(
        antwoorden, kader, gemeente, ronde, rol_namen, datum,
        acties=acties, suggesties=suggesties, vorige_acties=vorige_acties, drempel=drempel,
    ))
