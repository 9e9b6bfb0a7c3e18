"""What a workshop shows when answers are revealed, without exposing anyone.

* Answers go through `rapport.anonimiteit.onderdruk` first: a criterium (or a group's
  part of it) with too few answers shows nothing (`te_weinig`, `TE_WEINIG`). Pass the
  ``groepen`` of `rapport.groepen.rolgroepen` on the suppressed answers.
* Rol groups come from `rapport.groepen.rolgroepen`: a group below the anonymity
  threshold never appears on its own.
* When every rol had to be merged there are no groups: only the whole is shown,
  and toelichtingen are labelled 'Deelnemer' (`rapport.groepen.DEELNEMER`).
* Toelichtingen carry only their group and score, never a pseudonym, and are
  ordered by score and then by a hash of the text, so the order gives away nothing
  about who wrote what or when.
* `verdeling_grafiek` draws `verdeling` as stacked bars in the colours of
  `rapport.palet` (warm to cool along the kader's scale, greys for no judgement).
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping

import pandas as pd

from kader.model import NVT, WEET_NIET, Kader
from rapport.anonimiteit import TE_WEINIG, onderdruk
from rapport.groepen import ALLE, DEELNEMER, OVERIGE, groep_volgorde
from rapport.palet import BLAUW, VERMILJOEN, antwoord_kleuren

DONKER = (BLAUW, VERMILJOEN)
"""Segment colours that take white text (contrast 4.5:1 or more); the others take black."""


def _labels(kader: Kader) -> dict[str, str]:
    labels = {str(p.waarde): f"{p.waarde} · {p.label}" for p in kader.schaal.punten}
    labels.update({g.waarde: g.label for g in kader.schaal.geen_oordeel})
    return labels


__all__ = ["TE_WEINIG", "segmenten", "te_weinig", "toelichtingen", "verdeling", "verdeling_grafiek",
           "waarden_in_balk"]


def te_weinig(antwoorden: pd.DataFrame, kader: Kader, criterium_id: str, drempel: int | None = None) -> bool:
    """True when this criterium shows only `TE_WEINIG` (`rapport.anonimiteit.onderdruk`)."""
    over = onderdruk(antwoorden, drempel)
    return not ((over["kader"] == kader.id) & (over["criterium"] == criterium_id)).any()


def verdeling(antwoorden: pd.DataFrame, kader: Kader, criterium_id: str,
              groepen: Mapping[str, str], drempel: int | None = None) -> pd.DataFrame:
    """Counts per score for one criterium: rows = 'Alle respondenten' + groups, columns = scale labels."""
    labels = _labels(kader)
    antwoorden = onderdruk(antwoorden, drempel)
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


def segmenten(tabel: pd.DataFrame, kader: Kader) -> pd.DataFrame:
    """The bars of a `verdeling` table in long form, for the chart: one row per group and
    answer with Groep, Antwoord, Aantal, volgorde, midden (the centre of its segment on the
    stacked axis), label ('3 (2×)': the answer's value and its count, so a segment can be
    read without its colour; a geen-oordeel answer: its count) and tekstkleur (white on
    the darkest colours, else black)."""
    lang = tabel.reset_index().melt(id_vars="Groep", var_name="Antwoord", value_name="Aantal")
    antwoorden = list(tabel.columns)
    kleuren = dict(zip(antwoorden, antwoord_kleuren(kader.schaal)))
    code = {f"{p.waarde} · {p.label}": str(p.waarde) for p in kader.schaal.punten}
    lang["volgorde"] = lang["Antwoord"].map({a: i for i, a in enumerate(antwoorden)})
    lang = lang.sort_values(["Groep", "volgorde"], kind="stable")
    lang["midden"] = lang.groupby("Groep")["Aantal"].cumsum() - lang["Aantal"] / 2
    # a 'weet niet'/'n.v.t.' segment (grey, always after the scale) only carries its count
    lang["label"] = [f"{code[a]} ({int(n)}×)" if a in code else f"{int(n)}×"
                     for a, n in zip(lang["Antwoord"], lang["Aantal"])]
    lang["tekstkleur"] = ["white" if kleuren.get(a) in DONKER else "black" for a in lang["Antwoord"]]
    return lang.sort_index()


def verdeling_grafiek(tabel: pd.DataFrame, kader: Kader):
    """Stacked horizontal bars of a `verdeling` table (an Altair chart): one bar per group,
    a segment per answer in the kader's order, coloured by `rapport.palet.antwoord_kleuren`.

    The height fits the title, the axis and the legend (Streamlit fits the whole chart
    into it); show it with ``theme=None``, as Streamlit's theme squashes the plot height
    of a horizontal bar chart.
    """
    import altair as alt  # only the workshop page draws this; the analysis CLI does not need Altair

    lang = segmenten(tabel, kader)
    antwoorden = list(tabel.columns)
    return (
        alt.layer(alt.Chart().mark_bar(stroke="white", strokeWidth=1), waarden_in_balk(12), data=lang)
        .encode(
            y=alt.Y("Groep:N", sort=list(tabel.index), title=None),
            x=alt.X("Aantal:Q", stack="zero", title="Aantal antwoorden",
                    axis=alt.Axis(tickMinStep=1, format="d")),  # counts: whole numbers only
            color=alt.Color("Antwoord:N", sort=antwoorden,
                            scale=alt.Scale(domain=antwoorden, range=antwoord_kleuren(kader.schaal)),
                            legend=alt.Legend(title="Antwoord", orient="right")),
            order=alt.Order("volgorde:Q"),
            tooltip=["Groep", "Antwoord", "Aantal"],
        )
        .resolve_scale(color="independent")
        .properties(height=130 + 40 * len(tabel), title="Verdeling van de antwoorden per groep")
        .configure_axis(labelFontSize=12, titleFontSize=12, labelLimit=180)
        .configure_legend(labelFontSize=12, titleFontSize=12)
    )


def waarden_in_balk(letter: int):
    """The text layer of a `verdeling` chart: each non-empty segment's `segmenten` label
    at its centre (the layer's own colour scale; give the layer ``resolve_scale(color=
    "independent")``)."""
    import altair as alt

    return (alt.Chart().transform_filter("datum.Aantal > 0")
            .mark_text(fontSize=letter, fontWeight="bold")
            .encode(x=alt.X("midden:Q", stack=None), text="label:N",
                    color=alt.Color("tekstkleur:N", scale=None, legend=None)))


def toelichtingen(antwoorden: pd.DataFrame, kader: Kader, criterium_id: str,
                  groepen: Mapping[str, str], drempel: int | None = None) -> list[dict[str, str]]:
    """Non-empty toelichtingen for one criterium: {groep, score, tekst}, without pseudonyms."""
    labels = _labels(kader)
    antwoorden = onderdruk(antwoorden, drempel)
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
