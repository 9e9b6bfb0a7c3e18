"""The inspecteur's PDF "Voorbereiding inspectiebezoek" (HTML with Jinja2, PDF with WeasyPrint).

Content, for one gemeente, ronde and kader:

* a cover block: gemeente, ronde, kader, date, respondents per rol group (after the
  anonymity merge of `rapport.groepen.rolgroepen`: a group below the threshold never
  appears on its own), and what the reader is looking at: flags are signals to ask
  about, not judgements; the questions and methods come verbatim from the sources
  (004 Bijlage 3, 002 Kader 1), their placement at an item is this instrument's own
  choice; the kinds of organisation (002 §1.2) and the reflectiebijeenkomst;
* a summary table (kader order): n, mean, median, consensus (Tastle & Wierman, 0–1),
  share 'weet niet', flags and the workshop's joint score;
* per criterium: **criteria with a signal first** (in kader order), then the others
  (in kader order). An inspecteur prepares a visit around the signals, so they come
  first; the kader order within each part keeps the document easy to set next to the
  kader. Each block holds the kader text under the headings of `kader.model.koppen`
  (only STJ criteria under "Wanneer is het goed?" / "Waaraan kun je dat zien?";
  succesfactoren and randvoorwaarden under their own name), Waarom is dit belangrijk? /
  Verwachtingen van de inspecties where the kader has them (a verwachting placed by
  this instrument says so), the scores by rol group, the workshop consensus, each flag
  with its explanation, a few anonymous toelichtingen and what the sources offer for
  the visit (`rapport.inspectie.bezoek`): sourced questions, fitting methods, documents
  to request. No hashed source file name appears: a bron is shown as ``str(bron)``.

Security is that of every PDF (`rapport.pdf`): Jinja2 autoescaping for everything from
the answers, the stylesheet is the only `Markup`, and WeasyPrint renders with
``base_url=None`` and a `RefusingURLFetcher` (`html_naar_pdf`).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass, field

import pandas as pd

from kader.model import SOORT_MEERVOUD, Kader, koppen
from kader.werkwijze import Werkwijze, standaard_werkwijze
from rapport.aggregatie import filter_antwoorden
from rapport.analyse import analyseer, groepen_van
from rapport.anonimiteit import TE_WEINIG, onderdruk, onderdrukte_criteria
from rapport.groepen import ALLE, OVERIGE, SAMEN, alles_samengevoegd, anonimiteitsdrempel, groep_volgorde
from rapport.inspectie import VLAGGEN, bezoek, vlaggen, werkwijze_context
from rapport.opmaak import datum_nl
from rapport.pdf import PRODUCT, RefusingURLFetcher, html_naar_pdf, render
from rapport.samenwerkingskaart import samenwerkingskaart_context
from rapport.statistiek import lees_scores
from rapport.workshop import toelichtingen

MAX_TOELICHTINGEN = 5
"""Toelichtingen shown per criterium (a spread over the given scores)."""

MAX_TOELICHTING_TEKENS = 600
"""A longer toelichting is cut off (and marked as such)."""

MAX_TOELICHTING_REGELS = 8
"""... and so is one with more lines than this."""

MAX_MOTIVATIE_TEKENS = 1200
"""The workshop's motivation of a consensus score is cut off beyond this."""

VLAG_KORT = {
    "dunne_onderbouwing": "Dunne onderbouwing",
    "grote_onenigheid": "Onenigheid",
    "veel_weet_niet": "Veel weet niet",
}
"""Flag key -> short label for the summary table."""

VLAG_TITEL = {
    "dunne_onderbouwing": "Hoog gescoord, dunne onderbouwing",
    "grote_onenigheid": "Grote onenigheid",
    "veel_weet_niet": "Veel ‘weet niet’",
}
"""Flag key -> heading in a criterium block (as on the page)."""

assert set(VLAG_KORT) == set(VLAGGEN) == set(VLAG_TITEL)

def _kort(tekst: str, max_tekens: int, max_regels: int = MAX_TOELICHTING_REGELS) -> str:
    """Whitespace tidied (at most one line break in a row), cut at max_tekens / max_regels."""
    tekst = re.sub(r"[ \t\r\f\v]+", " ", str(tekst or ""))
    tekst = re.sub(r" ?\n[\s]*", "\n", tekst).strip()
    regels = tekst.split("\n")
    ingekort = False
    if len(regels) > max_regels:
        tekst = "\n".join(regels[:max_regels])
        ingekort = True
    if len(tekst) > max_tekens:
        tekst = tekst[:max_tekens].rstrip()
        ingekort = True
    return tekst + " … (ingekort)" if ingekort else tekst


def _selectie(lijst: list[dict], max_aantal: int) -> list[dict]:
    """Up to max_aantal items, taken in turn from each score so high and low both show.

    The result keeps the order of `lijst` (the workshop order: by score, then by a hash
    of the text, which gives nothing away about who wrote what or when).
    """
    per_score: dict[str, list[int]] = {}
    for i, t in enumerate(lijst):
        per_score.setdefault(t["score"], []).append(i)
    gekozen: list[int] = []
    ronde = 0
    while len(gekozen) < min(max_aantal, len(lijst)):
        for posities in per_score.values():
            if ronde < len(posities) and len(gekozen) < max_aantal:
                gekozen.append(posities[ronde])
        ronde += 1
    return [lijst[i] for i in sorted(gekozen)]


def _antwoord_label(kader: Kader, waarde) -> str:
    """'3 – Klopt grotendeels', 'Weet niet', or the value itself when unknown."""
    try:
        label = kader.schaal.label(str(waarde))
    except KeyError:
        return str(waarde)
    return f"{waarde} – {label}" if str(waarde).strip().isdigit() else label


def _consensus_van(consensus: Mapping | None, kader: Kader, criterium_id: str, ) -> dict | None:
    """The workshop consensus for one criterium from `storage.repository.consensus_van`
    ({(kader_id, criterium_id): (score, motivatie, bijgewerkt)}), or None."""
    if not consensus:
        return None
    waarde = consensus.get((kader.id, criterium_id))
    if not waarde:
        return None
    score, motivatie = (list(waarde) + [None, None])[:2]
    return {
        "score": _antwoord_label(kader, score),
        "motivatie": _kort(motivatie or "", MAX_MOTIVATIE_TEKENS, max_regels=20),
    }


def _respondenten_per_groep(df: pd.DataFrame, groepen: Mapping[str, str]) -> list[dict]:
    """Distinct respondents per shown rol group (named groups in rol order, Overige last)."""
    if df.empty:
        return []
    groep = df["rol"].astype(object).map(groepen).fillna(OVERIGE.label)
    aantallen = df.assign(_groep=groep).groupby("_groep")["respondent"].nunique()
    volgorde = groep_volgorde(groepen)
    if OVERIGE.label in aantallen.index and OVERIGE.label not in volgorde:
        volgorde.append(OVERIGE.label)
    if ALLE.label in aantallen.index:
        volgorde.append(ALLE.label)
    return [
        {"groep": SAMEN.label if g == ALLE.label else g, "aantal": int(aantallen[g])}
        for g in volgorde if g in aantallen.index
    ]


def _nan_naar_none(waarde):
    if waarde is None:
        return None
    try:
        return None if math.isnan(float(waarde)) else float(waarde)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True, eq=False)
class VoorbereidingInvoer:
    """Everything the voorbereiding inspectiebezoek is made from (`voorbereiding_context`,
    `maak_voorbereiding_html`, `maak_voorbereiding_pdf`).

    - ``antwoorden``: the uitwisselformaat (columns gemeente, ronde, respondent, rol,
      kader, criterium, score, toelichting; strings); filtered here to ``gemeente``,
      ``ronde`` (the ronde's label) and ``kader``.
    - ``rol_namen``: rol id -> display name (``views.context.rol_namen()``).
    - ``consensus``: the workshop's joint scores, as returned by
      ``storage.repository.consensus_van``: {(kader_id, criterium_id): (score,
      motivatie, bijgewerkt)}; None leaves them out.
    - ``werkwijze``: the sourced methods and questions (`kader.werkwijze`); None takes
      kader/werkwijze.yaml (`standaard_werkwijze`).
    - ``datum``: the date on the cover (default today); ``drempel``: the anonymity
      threshold (`rapport.groepen.anonimiteitsdrempel`).
    - ``samenwerking``: the samenwerkingskaart (``uitwisselformaat.samenwerking``; filtered
      to this gemeente and ronde), shown by `rapport.samenwerkingskaart`; None leaves it out.
    """

    antwoorden: pd.DataFrame
    kader: Kader
    gemeente: str
    ronde: str
    _: KW_ONLY
    rol_namen: Mapping[str, str] = field(default_factory=dict)
    consensus: Mapping | None = None
    datum: dt.date | None = None
    drempel: int | None = None
    werkwijze: Werkwijze | None = None
    samenwerking: pd.DataFrame | None = None


def voorbereiding_context(invoer: VoorbereidingInvoer) -> dict:
    """Everything the template shows. The answers are filtered to gemeente, ronde and kader."""
    kader, gemeente, ronde, consensus = invoer.kader, invoer.gemeente, invoer.ronde, invoer.consensus
    drempel = anonimiteitsdrempel(invoer.drempel)
    werkwijze = invoer.werkwijze if invoer.werkwijze is not None else standaard_werkwijze()
    rol_namen = dict(invoer.rol_namen or {})
    antwoorden = filter_antwoorden(invoer.antwoorden, gemeente=gemeente, ronde=ronde)
    # a criterium (or a group's part of it) with too few answers enters no number and no
    # toelichting (rapport.anonimiteit); the groups are formed on what is left
    zichtbaar = onderdruk(antwoorden, drempel, rol_namen)
    te_weinig = {c for k, c in onderdrukte_criteria(antwoorden, onderdrukt=zichtbaar) if k == kader.id}
    antwoorden = zichtbaar
    antwoorden = antwoorden.loc[antwoorden["kader"] == kader.id]
    df = lees_scores(antwoorden, kader).antwoorden
    groepen = groepen_van(antwoorden, kader, drempel=drempel, rol_namen=rol_namen)

    tabel = vlaggen(antwoorden, kader, drempel=drempel, rol_namen=rol_namen).set_index("id")
    analyse = analyseer(antwoorden, kader, drempel=drempel, rol_namen=rol_namen)
    crit_rijen = analyse.loc[analyse["niveau"] == "criterium"]
    alle = crit_rijen.loc[crit_rijen["groep"] == ALLE.label].set_index("id")
    per_groep_rijen = crit_rijen.loc[crit_rijen["groep"] != ALLE.label]

    blokken = []
    for nr, c in enumerate(kader.criteria, start=1):
        rij = tabel.loc[c.id]
        stats = alle.loc[c.id]
        actief = [v for v in VLAGGEN if bool(rij[v])]
        groep_rijen = [
            {
                "groep": str(g["groep"]),
                "respondenten": int(g["respondenten"]),
                "n": int(g["n"]),
                "gemiddelde": _nan_naar_none(g["gemiddelde"]),
                "mediaan": _nan_naar_none(g["mediaan"]),
                "onderdrukt": bool(g["onderdrukt"]),
            }
            for _, g in per_groep_rijen.loc[per_groep_rijen["id"] == c.id].iterrows()
            if int(g["respondenten"]) > 0
        ]
        alle_toelichtingen = toelichtingen(antwoorden, kader, c.id, groepen, drempel)
        gekozen = [
            {"groep": t["groep"], "score": t["score"], "tekst": _kort(t["tekst"], MAX_TOELICHTING_TEKENS)}
            for t in _selectie(alle_toelichtingen, MAX_TOELICHTINGEN)
        ]
        blokken.append({
            "nr": nr,
            "criterium": c,
            "koppen": koppen(kader, c),
            "thema": kader.thema(c.thema_id).titel,
            "criterium_bron": str(c.bron),
            "te_weinig": c.id in te_weinig,
            "n": int(stats["n"]),
            "aantal_antwoorden": int(stats["aantal_antwoorden"]),
            "gemiddelde": _nan_naar_none(stats["gemiddelde"]),
            "mediaan": _nan_naar_none(stats["mediaan"]),
            "consensus_maat": _nan_naar_none(stats["consensus"]),
            "aandeel_weet_niet": _nan_naar_none(stats["aandeel_weet_niet"]),
            "vlaggen": [
                {"vlag": v, "label": VLAG_TITEL[v], "kort": VLAG_KORT[v], "uitleg": str(rij[f"{v}_uitleg"])}
                for v in actief
            ],
            "per_groep": groep_rijen,
            "gezamenlijk": _consensus_van(consensus, kader, c.id),
            "toelichtingen": gekozen,
            "toelichtingen_totaal": len(alle_toelichtingen),
            "bezoek": bezoek(werkwijze, kader, c),
        })

    met_signaal = [b for b in blokken if b["vlaggen"]]
    zonder_signaal = [b for b in blokken if not b["vlaggen"]]
    soorten = list(dict.fromkeys(c.soort for c in kader.criteria))
    datum = invoer.datum or dt.date.today()
    return {
        "titel": f"Voorbereiding inspectiebezoek {gemeente} – {ronde}",
        "generator": PRODUCT,
        "gemeente": gemeente,
        "ronde": ronde,
        "kader": kader,
        "datum": datum_nl(datum),
        "datum_iso": datum.isoformat(),
        "drempel": drempel,
        "te_weinig_tekst": TE_WEINIG,
        "respondenten": int(df["respondent"].nunique()) if not df.empty else 0,
        "groepen": _respondenten_per_groep(df, groepen),
        "alle_samengevoegd": alles_samengevoegd(groepen),
        "overige_samengevoegd": OVERIGE.label in groepen.values(),
        "overige": OVERIGE.label,
        "soort_meervoud": " en ".join(SOORT_MEERVOUD.get(s, s) for s in soorten) or "criteria",
        "samenvatting": blokken,
        "met_signaal": met_signaal,
        "zonder_signaal": zonder_signaal,
        "heeft_consensus": any(b["gezamenlijk"] for b in blokken),
        "kader_bron": str(kader.bron),
        "kader_historisch": kader.bron.historisch_label,
        **werkwijze_context(werkwijze),
        "sterk_punt_vanaf": kader.sterk_punt_vanaf,
        "samenwerkingskaart": samenwerkingskaart_context(invoer.samenwerking, gemeente, ronde, rol_namen, drempel),
    }


def maak_voorbereiding_html(invoer: VoorbereidingInvoer) -> str:
    """The voorbereiding as a self-contained HTML document (inline CSS, no external references)."""
    return render("inspectiebezoek", voorbereiding_context(invoer))


def maak_voorbereiding_pdf(invoer: VoorbereidingInvoer, url_fetcher: RefusingURLFetcher | None = None) -> bytes:
    """The PDF "Voorbereiding inspectiebezoek" (A4, Dutch) for one gemeente, ronde and kader.

    Title metadata "Voorbereiding inspectiebezoek <gemeente> – <ronde>", language nl.
    Rendered by `rapport.pdf.html_naar_pdf` (PDF/A-3a and PDF/UA-1, like the verbeterplan), with
    ``url_fetcher`` (for tests; default a fresh `RefusingURLFetcher`: nothing is
    fetched). Returns the PDF as bytes.
    """
    return html_naar_pdf(maak_voorbereiding_html(invoer),
                         url_fetcher=url_fetcher if url_fetcher is not None else RefusingURLFetcher())


def vingerafdruk(antwoorden: pd.DataFrame, consensus: Mapping | None = None) -> str:
    """A short hash of the answers and consensus: the page regenerates the PDF when it changes."""
    h = hashlib.sha256()
    h.update(str(len(antwoorden)).encode())
    if len(antwoorden):
        h.update(pd.util.hash_pandas_object(antwoorden, index=False).to_numpy().tobytes())
    for sleutel in sorted(consensus or {}):
        waarde = (consensus or {})[sleutel]
        h.update(repr((sleutel, tuple(waarde)[:2] if waarde else None)).encode())
    return h.hexdigest()[:16]
