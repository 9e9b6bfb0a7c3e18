"""Regional comparison: gemeenten × criteria, trend per gemeente, spread per criterium.

Rules (issue 4, docs/regio.md):

- Only gemeenten that opted in take part (``gemeente.regio_vergelijking``; the query
  `storage.repository.regio_antwoorden` already leaves the others out).
- With fewer than `MIN_GEMEENTEN` gemeenten in a comparison no per-gemeente value is
  shown at all: `per_gemeente_toegestaan` says so, and every function here that returns
  per-gemeente values raises `TeWeinigGemeenten` rather than return them.
- No ranking or league table: gemeenten are always listed alphabetically, never by
  score, and nothing here computes a rank.

Input is the output of `rapport.trend.trend` (one row per gemeente, ronde and
criterium, through the kader-version mapping), so every view runs across kader
versions and can say where a mapping was applied (column ``koppeling``).

Definitions:

- the value of a gemeente for a criterium in a ronde is the **median** of its scored
  answers (``mediaan`` of `trend`);
- the **regional median** of a criterium in a ronde is the median over the
  participating gemeenten of those values (each gemeente counts once, however many
  respondents it had);
- the trend over "all criteria" of a gemeente is the mean of its criterium medians.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

import altair as alt
import numpy as np
import pandas as pd

from kader.model import Kader
from rapport.groepen import ALLE
from rapport.opmaak import getal
from rapport.palet import BLAUW, HEMELBLAUW, LETTERTYPE
from rapport.trend import RondeMeta, trend

MIN_GEMEENTEN = 3
"""Fewer participating gemeenten than this: no per-gemeente values (ZBT_REGIO_DREMPEL)."""

ALLE_CRITERIA = "__alle__"
ALLE_CRITERIA_LABEL = "Alle criteria (gemiddelde van de medianen)"

# Sequential, colour-blind safe and readable in greyscale; every cell also shows its number.
HEATMAP_SCHEMA = "viridis"
KOMMA = "replace(datum.label, '.', ',')"
"""Axis and legend labels with a decimal comma (a browser formats numbers with a point)."""


class TeWeinigGemeenten(ValueError):
    """A per-gemeente view was asked for with fewer gemeenten than the threshold."""


def drempel() -> int:
    """The minimum number of gemeenten (env ``ZBT_REGIO_DREMPEL``, at least 3)."""
    waarde = os.environ.get("ZBT_REGIO_DREMPEL", "")
    try:
        return max(MIN_GEMEENTEN, int(waarde)) if waarde.strip() else MIN_GEMEENTEN
    except ValueError:
        return MIN_GEMEENTEN


def aantal_gemeenten(trend_df: pd.DataFrame, ronde: str | None = None) -> int:
    """Gemeenten with at least one scored answer (in `ronde`, or in any ronde)."""
    rijen = trend_df if ronde is None else trend_df[trend_df["ronde"] == ronde]
    return int(rijen.loc[rijen["n"] > 0, "gemeente"].nunique())


def per_gemeente_toegestaan(trend_df: pd.DataFrame, ronde: str | None = None) -> bool:
    return aantal_gemeenten(trend_df, ronde) >= drempel()


def _controleer(trend_df: pd.DataFrame, ronde: str | None = None) -> None:
    n = aantal_gemeenten(trend_df, ronde)
    if n < drempel():
        raise TeWeinigGemeenten(
            f"Er doen {n} gemeenten mee; per gemeente tonen kan pas vanaf {drempel()} gemeenten."
        )


def per_jaar(antwoorden: pd.DataFrame, rondes: Iterable, voorkeur: Iterable[int] = ()
             ) -> tuple[pd.DataFrame, list[RondeMeta]]:
    """Match the regio's rondes by year (and kader) instead of by their free label.

    ``antwoorden`` is `storage.repository.regio_antwoorden` (with ``ronde_id``);
    ``rondes`` are ronde records (id, gemeente, jaar, kader_versies, aangemaakt). Per
    gemeente and year one ronde counts: one in ``voorkeur`` when there is one, else the
    newest with answers here. Returns those answers with ``ronde`` set to the year (as
    text) and one `RondeMeta` per counted ronde (``ronde`` the year, ``volgorde`` the
    year as a number), ready for `rapport.trend.trend`. Labels "2026" and "2026 (demo)"
    with the same year are so compared.
    """
    voorkeur = set(voorkeur)
    met_antwoorden = set(antwoorden["ronde_id"]) if len(antwoorden) else set()
    gekozen: dict[tuple[str, int], object] = {}
    for r in rondes:
        if r.id not in met_antwoorden:
            continue
        jaar = r.jaar if r.jaar is not None else r.aangemaakt.year
        sleutel = (r.gemeente, jaar)
        huidig = gekozen.get(sleutel)
        if huidig is None or (r.id in voorkeur, r.aangemaakt, r.id) > (huidig.id in voorkeur, huidig.aangemaakt,
                                                                          huidig.id):
            gekozen[sleutel] = r
    jaren = {r.id: str(jaar) for (_, jaar), r in gekozen.items()}
    uit = antwoorden[antwoorden["ronde_id"].isin(list(jaren))].copy()
    uit["ronde"] = uit["ronde_id"].map(jaren).astype("str")
    metas = [RondeMeta(gemeente, str(jaar), dict(r.kader_versies), jaar)
             for (gemeente, jaar), r in sorted(gekozen.items(), key=lambda kv: (kv[0][0], kv[0][1]))]
    return uit, metas


def nieuwste_getoonde(trend_df: pd.DataFrame) -> str | None:
    """The newest ronde (year) in which enough gemeenten take part to show them, or None."""
    toegestaan = [r for r in rondes_in(trend_df) if per_gemeente_toegestaan(trend_df, r)]
    return toegestaan[-1] if toegestaan else None


def ronde_volgorde(trend_df: pd.DataFrame) -> list[str]:
    """Ronde labels in time order (the earliest `volgorde` at which a label occurs)."""
    eerste = trend_df.groupby("ronde", sort=False)["volgorde"].min()
    return list(eerste.sort_values(kind="stable").index)


def heatmap_tabel(trend_df: pd.DataFrame, kader: Kader, ronde: str) -> pd.DataFrame:
    """Gemeenten (rows, alphabetical) × criteria (columns, kader order): the median.

    NaN where a gemeente has no scored answer to a criterium. Raises TeWeinigGemeenten
    below the threshold.
    """
    _controleer(trend_df, ronde)
    rijen = trend_df[trend_df["ronde"] == ronde]
    tabel = rijen.pivot_table(index="gemeente", columns="criterium", values="mediaan",
                              aggfunc="first", dropna=False)
    volgorde = [c.id for c in kader.criteria]
    tabel = tabel.reindex(columns=volgorde).sort_index(key=lambda s: s.str.lower())
    tabel.columns = [kader.criterium(c).kort for c in volgorde]
    tabel.index.name = "Gemeente"
    return tabel


def verdeling(trend_df: pd.DataFrame, kader: Kader, ronde: str) -> pd.DataFrame:
    """Per criterium (kader order): how the gemeenten' medians are spread in `ronde`.

    Columns: criterium, kort, gemeenten (with a value), laagste, q1, regionale_mediaan,
    q3, hoogste. These are regional figures, no gemeente is named, so they are returned
    whatever the number of gemeenten; with fewer than the threshold the caller shows
    only ``regionale_mediaan`` and ``gemeenten`` (min/max would be a gemeente's value).
    """
    rijen = trend_df[(trend_df["ronde"] == ronde) & (trend_df["n"] > 0)]
    uit = []
    for c in kader.criteria:
        w = rijen.loc[rijen["criterium"] == c.id, "mediaan"].to_numpy(dtype=float)
        if len(w):
            q1, med, q3 = np.quantile(w, [0.25, 0.5, 0.75])
            uit.append((c.id, c.kort, len(w), w.min(), q1, med, q3, w.max()))
        else:
            uit.append((c.id, c.kort, 0, *[np.nan] * 5))
    return pd.DataFrame(uit, columns=["criterium", "kort", "gemeenten", "laagste", "q1",
                                      "regionale_mediaan", "q3", "hoogste"])


def trend_per_gemeente(trend_df: pd.DataFrame, criterium: str = ALLE_CRITERIA) -> pd.DataFrame:
    """One row per gemeente and ronde: the value on the trend line.

    ``criterium`` is a criterium id or `ALLE_CRITERIA` (mean of the criterium medians).
    Columns: gemeente, ronde, volgorde, waarde, n (scored answers), koppeling (the
    mappings applied to the points behind the value, or None).
    """
    _controleer(trend_df)
    rijen = trend_df[trend_df["n"] > 0]
    if criterium != ALLE_CRITERIA:
        rijen = rijen[rijen["criterium"] == criterium]
    groep = rijen.groupby(["gemeente", "ronde"], sort=False)
    uit = groep.agg(volgorde=("volgorde", "first"), waarde=("mediaan", "mean"), n=("n", "sum"))
    koppeling = groep["koppeling"].agg(lambda s: "; ".join(dict.fromkeys(s.dropna())) or None)
    uit = uit.join(koppeling).reset_index()
    uit["koppeling"] = uit["koppeling"].astype(object).where(uit["koppeling"].notna(), None)
    return uit.sort_values(["gemeente", "volgorde"], key=_zonder_hoofdletters,
                           kind="stable", ignore_index=True)


def _zonder_hoofdletters(s: pd.Series) -> pd.Series:
    return s.str.lower() if s.dtype == object or str(s.dtype) in ("str", "string") else s


def regionale_mediaan(trend_df: pd.DataFrame, kader: Kader, ronde: str) -> pd.DataFrame:
    """The regional median of `ronde` in the `aggregeer` shape, for the spider chart
    overlay (`rapport.grafiek.spinnenweb(..., vergelijkingen=...)`).

    Only ``rol == 'alle'`` criterium rows; ``gemiddelde`` (the column the overlay draws)
    holds the median over gemeenten of each gemeente's MEAN score, so it sits on the
    same footing as the chart's own lines (means); ``n`` is the number of gemeenten.
    Raises TeWeinigGemeenten below the threshold (with two gemeenten the 'median' would
    reveal the other gemeente's value).
    """
    _controleer(trend_df, ronde)
    rijen = trend_df[(trend_df["ronde"] == ronde) & (trend_df["n"] > 0)]
    per = rijen.groupby("criterium")["gemiddelde"].agg(["median", "size"])
    uit = pd.DataFrame({
        "niveau": "criterium",
        "id": [c.id for c in kader.criteria],
        "kort": [c.kort for c in kader.criteria],
        "thema_id": [c.thema_id for c in kader.criteria],
        "rol": ALLE.id,
    })
    uit["n"] = uit["id"].map(per["size"]).fillna(0).astype("int64")
    uit["gemiddelde"] = uit["id"].map(per["median"]).astype(float)
    uit["mediaan"] = uit["gemiddelde"]
    return uit


# ------------------------------------------------------------------ charts


def heatmap(trend_df: pd.DataFrame, kader: Kader, ronde: str) -> alt.VConcatChart:
    """Heatmap gemeenten × criteria of the median; every cell also carries its number."""
    tabel = heatmap_tabel(trend_df, kader, ronde)
    lang = tabel.reset_index().melt(id_vars="Gemeente", var_name="Criterium", value_name="Mediaan")
    lang["label"] = lang["Mediaan"].map(getal)
    schaal = kader.schaal
    midden = (schaal.minimum + schaal.maximum) / 2
    criteria = [c.kort for c in kader.criteria]
    gemeenten = list(tabel.index)
    basis = alt.Chart(lang).encode(
        x=alt.X("Criterium:N", sort=criteria, title=None,
                axis=alt.Axis(labelAngle=-35, labelLimit=280, orient="top", labelOverlap=False)),
        y=alt.Y("Gemeente:N", sort=gemeenten, title=None, axis=alt.Axis(labelLimit=220)),
    )
    vlakken = basis.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("Mediaan:Q", scale=alt.Scale(scheme=HEATMAP_SCHEMA,
                                                    domain=[schaal.minimum, schaal.maximum]),
                        legend=alt.Legend(title="Mediaan", orient="bottom", gradientLength=220,
                                          labelExpr=KOMMA)),
        tooltip=[alt.Tooltip("Gemeente:N"), alt.Tooltip("Criterium:N"),
                 alt.Tooltip("label:N", title="Mediaan")],
    )
    # dark text on the light (high) end of viridis, white on the dark end
    tekst = basis.mark_text(fontSize=12, font=LETTERTYPE).encode(
        text="label:N",
        color=alt.condition(alt.datum.Mediaan >= midden + 0.5, alt.value("black"), alt.value("white")),
    )
    # Sizes live inside a vconcat, not at the top level: Streamlit overrides a top-level
    # width and the discrete scales then collapse (seen in Chromium, not in vl-convert).
    return alt.vconcat((vlakken + tekst).properties(
        width=alt.Step(56), height=alt.Step(30),
    )).configure_view(strokeWidth=0).configure(font=LETTERTYPE)


def trendgrafiek(trend_df: pd.DataFrame, kader: Kader, criterium: str = ALLE_CRITERIA,
                 kolommen: int = 4) -> alt.FacetChart:
    """Small multiples, one panel per gemeente (alphabetical): the value per ronde, with
    the regional median as a grey dashed reference line. Points where a kader-version
    mapping was applied are open (hollow) and say so in their tooltip."""
    punten = trend_per_gemeente(trend_df, criterium)
    volgorde = ronde_volgorde(trend_df)
    punten["gekoppeld"] = punten["koppeling"].notna()
    punten["koppeling_tekst"] = punten["koppeling"].fillna("geen")
    punten["label"] = punten["waarde"].map(getal)
    regio = punten.groupby("ronde")["waarde"].median().rename("regio").reset_index()
    regio["regio_label"] = regio["regio"].map(getal)
    punten = punten.merge(regio, on="ronde", how="left")
    schaal = kader.schaal
    x = alt.X("ronde:N", sort=volgorde, title=None, axis=alt.Axis(labelAngle=-30, labelLimit=120))
    y = alt.Y("waarde:Q", scale=alt.Scale(domain=[schaal.minimum, schaal.maximum]),
              title="Mediaan", axis=alt.Axis(tickCount=schaal.maximum - schaal.minimum + 1, labelExpr=KOMMA))
    basis = alt.Chart().encode(x=x)
    regiolijn = basis.mark_line(color="#767676", strokeDash=[4, 3], strokeWidth=1.5).encode(
        y=alt.Y("regio:Q", scale=alt.Scale(domain=[schaal.minimum, schaal.maximum])))
    lijn = basis.mark_line(color=BLAUW, strokeWidth=2.2).encode(y=y)
    stippen = basis.mark_point(size=70, strokeWidth=2, color=BLAUW).encode(
        y=y,
        fill=alt.condition(alt.datum.gekoppeld, alt.value("white"), alt.value(BLAUW)),
        tooltip=[alt.Tooltip("gemeente:N", title="Gemeente"), alt.Tooltip("ronde:N", title="Jaar"),
                 alt.Tooltip("label:N", title="Waarde"), alt.Tooltip("regio_label:N", title="Regionale mediaan"),
                 alt.Tooltip("n:Q", title="Aantal scores"),
                 alt.Tooltip("koppeling_tekst:N", title="Kaderversie-koppeling")],
    )
    # the value at each point, so it is not only in the tooltip
    waarden = basis.mark_text(dy=-11, fontSize=10, color="#000000").encode(y=y, text="label:N")
    return alt.layer(regiolijn, lijn, stippen, waarden, data=punten).properties(width=180, height=130).facet(
        facet=alt.Facet("gemeente:N", title=None, sort=sorted(punten["gemeente"].unique(), key=str.lower),
                        header=alt.Header(labelFontSize=12, labelFont=LETTERTYPE)),
        columns=kolommen,
    ).properties(title=alt.Title(
        "Verloop per gemeente",
        subtitle=["Doorgetrokken lijn: de gemeente · grijze stippellijn: regionale mediaan · "
                  "open stip: vergeleken via een koppeling tussen kaderversies"],
        anchor="start", fontSize=14, subtitleFontSize=12, subtitleColor="#333333",
    )).configure(font=LETTERTYPE)


def verdelingsgrafiek(trend_df: pd.DataFrame, kader: Kader, ronde: str) -> alt.VConcatChart:
    """Per criterium: a dot per distinct gemeente median, sized by how many gemeenten have
    it (no names, no order by score), the middle half as a bar and the regional median as
    a black tick."""
    _controleer(trend_df, ronde)
    stats = verdeling(trend_df, kader, ronde)
    rijen = trend_df[(trend_df["ronde"] == ronde) & (trend_df["n"] > 0)]
    kort = {c.id: c.kort for c in kader.criteria}
    # one dot per distinct value, its size the number of gemeenten with that median (medians
    # of a 4-point scale coincide often; stacked dots would hide how many there are)
    punten = rijen.groupby(["criterium", "mediaan"]).size().rename("gemeenten").reset_index()
    punten["Criterium"] = punten["criterium"].map(kort)
    punten["label"] = punten["mediaan"].map(getal)
    stats["Criterium"] = stats["kort"]
    stats["mediaan_label"] = stats["regionale_mediaan"].map(getal)
    schaal = kader.schaal
    criteria = [c.kort for c in kader.criteria]
    xs = alt.Scale(domain=[schaal.minimum - 0.2, schaal.maximum + 0.2], nice=False)
    x_as = alt.Axis(values=list(schaal.waarden), format="d", grid=True)
    y = alt.Y("Criterium:N", sort=criteria, title=None, axis=alt.Axis(labelLimit=280))
    balk = alt.Chart(stats).mark_bar(color=HEMELBLAUW, opacity=0.45, height=16).encode(
        x=alt.X("q1:Q", scale=xs, title="Mediaan per gemeente", axis=x_as), x2="q3:Q", y=y)
    stippen = alt.Chart(punten).mark_circle(color=BLAUW, opacity=0.9, stroke="white",
                                            strokeWidth=0.8).encode(
        x=alt.X("mediaan:Q", scale=xs), y=y,
        size=alt.Size("gemeenten:Q", title="Aantal gemeenten", scale=alt.Scale(range=[70, 420], domainMin=1),
                      legend=alt.Legend(orient="bottom", format="d", tickMinStep=1)),
        tooltip=[alt.Tooltip("Criterium:N"), alt.Tooltip("label:N", title="Mediaan"),
                 alt.Tooltip("gemeenten:Q", title="Aantal gemeenten")])
    streep = alt.Chart(stats).mark_tick(color="black", thickness=3, size=22).encode(
        x=alt.X("regionale_mediaan:Q", scale=xs), y=y,
        tooltip=[alt.Tooltip("Criterium:N"), alt.Tooltip("mediaan_label:N", title="Regionale mediaan"),
                 alt.Tooltip("gemeenten:Q", title="Aantal gemeenten")])
    # the regional median as a number above its tick
    getal_laag = alt.Chart(stats).mark_text(baseline="bottom", dy=-12, fontSize=11, fontWeight="bold", color="#000000").encode(
        x=alt.X("regionale_mediaan:Q", scale=xs), y=y, text="mediaan_label:N")
    return alt.vconcat(alt.layer(balk, stippen, streep, getal_laag).properties(
        width=460, height=alt.Step(34),
        title=alt.Title("Spreiding tussen gemeenten", subtitle=[
            "Stip: zoveel gemeenten hebben deze mediaan (groter = meer) · balk: de middelste helft "
            "van de gemeenten · zwart streepje: regionale mediaan"],
            anchor="start", fontSize=14, subtitleFontSize=12, subtitleColor="#333333"),
    )).configure(font=LETTERTYPE)


def trend_tabel(trend_df: pd.DataFrame, criterium: str = ALLE_CRITERIA) -> pd.DataFrame:
    """The data table under the trend chart: gemeenten (alphabetical) × rondes."""
    punten = trend_per_gemeente(trend_df, criterium)
    tabel = punten.pivot(index="gemeente", columns="ronde", values="waarde")
    tabel = tabel.reindex(columns=[r for r in ronde_volgorde(trend_df) if r in tabel.columns])
    tabel = tabel.sort_index(key=lambda s: s.str.lower())
    tabel.index.name = "Gemeente"
    return tabel


def rondes_in(trend_df: pd.DataFrame) -> Sequence[str]:
    """Ronde labels with at least one scored answer, in time order."""
    met = set(trend_df.loc[trend_df["n"] > 0, "ronde"])
    return [r for r in ronde_volgorde(trend_df) if r in met]


def regionale_mediaan_voor_ronde(
    antwoorden: pd.DataFrame, rondes: Sequence, kader: Kader, ronde: str, koppelingen=None,
) -> pd.DataFrame | None:
    """The spider-chart overlay for one ronde label straight from the regio's answers
    (`storage.repository.regio_antwoorden`) and their `rapport.trend.RondeMeta`s, or None
    when fewer than the threshold of gemeenten have scores in that ronde."""
    antwoorden = antwoorden[antwoorden["ronde"] == ronde]
    rondes = [r for r in rondes if r.ronde == ronde]
    tabel = trend(antwoorden, rondes, kader, koppelingen)
    if not per_gemeente_toegestaan(tabel, ronde):
        return None
    return regionale_mediaan(tabel, kader, ronde)
