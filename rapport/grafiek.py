"""Spider (radar) chart of the mean score per criterium, per rol group, in Altair.

Vega-Lite has no polar line chart, so the geometry is computed here: every criterium
of the kader gets a spoke (axis), starting at the top and going clockwise, and a
mean score is drawn at radius

    r = BINNENSTE_RING + (1 - BINNENSTE_RING) * (gemiddelde - schaal.minimum)
                                               / (schaal.maximum - schaal.minimum)

so the scale runs linearly from schaal.minimum (innermost ring) to schaal.maximum
(outer ring). The innermost ring is not the centre point, so low scores of different
rol groups stay apart instead of collapsing into one dot.

Colour is never the only cue: every rol group also has its own point shape and its
own stroke dash, and all are in one legend titled 'Rol'. Colours, shapes and dashes
are those of `rapport.palet` (Okabe–Ito, safe for the common forms of colour blindness).

What is drawn besides the numbers of ``agg`` is one `GrafiekOpties`: rol names, which
rollen, and the optional overlays (off by default; see docs/rekenregels.md):

* ``band=True``: the middle half of the scores of all respondents (first to third
  quartile, the IQR) as a light filled ring behind the lines. The quartiles come from
  the columns ``q1`` and ``q3`` of the overall criterium rows of ``agg``; add them with
  `met_kwartielen` (same quartiles as `rapport.analyse.analyseer`).
* ``vergelijkingen={label: agg_ander}``: an extra line per label, from the overall
  (``rol == 'alle'``) criterium rows of another `aggregeer`-style frame, e.g. the
  previous ronde. The value drawn is column ``gemiddelde`` unless ``waarde_kolom``
  names another one (one name for all, or a mapping label -> column). These lines are
  grey, dashed, with a hollow point shape of their own, and are listed under the
  heading 'Ter vergelijking' below the chart, with the band.
"""
from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import altair as alt
import numpy as np
import pandas as pd

from kader.model import Kader
from rapport.groepen import ALLE, rol_volgorde
from rapport.legenda import legenda_lijnen, legenda_vergelijking
from rapport.opmaak import getal
from rapport.palet import (
    BAND_DEKKING,
    BAND_KLEUR,
    LETTERTYPE,
    OKABE_ITO,
    STREEPJES,
    VERGELIJKING_KLEUREN,
    VERGELIJKING_STREEPJES,
    VERGELIJKING_VORMEN,
    VORMEN,
)

BAND_LABEL = "Middelste helft van de scores (IQR)"
Q1_KOLOM = "Q1"  # the table's caption explains: the middle half lies between Q1 and Q3
Q3_KOLOM = "Q3"
ROL = "rol"
VERGELIJKING = "vergelijking"

BREEDTE = 520
HOOGTE = 420
BINNENSTE_RING = 0.12
LABEL_STRAAL = 1.08
LABEL_BREEDTE = 20  # characters per line of an axis label

_Y_BEREIK = 1.32
_X_BEREIK = _Y_BEREIK * BREEDTE / HOOGTE  # keeps the rings round


@dataclass(frozen=True, eq=False)
class GrafiekOpties:
    """What a spider chart and its table show besides the numbers of ``agg``.

    - ``rol_namen``: rol id -> display name (fallback: the id).
    - ``rollen``: the rol ids drawn besides all respondents, in this order; None: every
      rol in ``agg`` (those in ``rol_namen`` first, in that order).
    - ``band``: draw the middle half of the scores of all respondents (Q1 to Q3) as a
      light filled ring behind the lines (`band_data`); ``agg`` then needs the columns
      ``q1`` and ``q3`` (`met_kwartielen`), else ValueError.
    - ``vergelijkingen``: label (e.g. "Vorige ronde (2025)") -> another
      `aggregeer`-style frame; of that frame only the overall criterium rows
      (``niveau == 'criterium'``, ``rol == 'alle'``) are used, matched on criterium id.
      A label may not equal a rol group's name (ValueError).
    - ``waarde_kolom``: the column of a comparison frame that is drawn: one name for
      every overlay, or a mapping label -> column (labels not in it use
      ``gemiddelde``). So a regional median can be passed as a frame with a ``mediaan``
      column and ``waarde_kolom={label: "mediaan"}``.
    """

    rol_namen: Mapping[str, str] = field(default_factory=dict)
    rollen: Sequence[str] | None = None
    band: bool = False
    vergelijkingen: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    waarde_kolom: str | Mapping[str, str] = "gemiddelde"


STANDAARD = GrafiekOpties()
"""The default: every rol in ``agg``, names as ids, no overlays."""


def _rol_naam(rol: str, rol_namen: Mapping[str, str] | None) -> str:
    if rol == ALLE.id:
        return ALLE.label
    return (rol_namen or {}).get(rol, rol)


def _rollen(agg: pd.DataFrame, rollen: Iterable[str] | None, rol_namen: Mapping[str, str] | None) -> list[str]:
    """Rol ids to draw besides 'alle': the given ones, else those in agg (rol_namen order first)."""
    if rollen is not None:
        return [r for r in rollen if r != ALLE.id]
    return rol_volgorde(pd.unique(agg["rol"]), rol_namen)


def _criterium_rijen(agg: pd.DataFrame, kader: Kader, rollen: list[str]) -> pd.DataFrame:
    """Criterium rows for 'alle' + rollen, complete (missing combinations get NaN)."""
    ids = [c.id for c in kader.criteria]
    groepen = [ALLE.id, *rollen]
    rijen = agg.loc[(agg["niveau"] == "criterium") & agg["rol"].isin(groepen)]
    rijen = rijen.set_index(["id", "rol"])[["gemiddelde", "n"]]
    volledig = pd.MultiIndex.from_product([ids, groepen], names=["id", "rol"])
    rijen = rijen[~rijen.index.duplicated()].reindex(volledig)
    rijen["n"] = rijen["n"].fillna(0).astype("int64")
    return rijen.reset_index()


def _hoeken(aantal: int) -> np.ndarray:
    """Angle of each spoke: the first at the top, then clockwise."""
    return math.pi / 2 - 2 * math.pi * np.arange(aantal) / max(aantal, 1)


def _straal(waarde, kader: Kader):
    laag, hoog = kader.schaal.minimum, kader.schaal.maximum
    return BINNENSTE_RING + (1 - BINNENSTE_RING) * (np.asarray(waarde, float) - laag) / (hoog - laag)


def _wrap(tekst: str) -> list[str]:
    return textwrap.wrap(tekst, LABEL_BREEDTE, break_long_words=False) or [tekst]


def _stijl(groepen: list[str]) -> tuple[list[str], list[str], list[list[int]]]:
    """Colour, shape and dash per group; the first group (all respondents) is black."""
    kleuren = [OKABE_ITO[0]] + [OKABE_ITO[1 + i % (len(OKABE_ITO) - 1)] for i in range(len(groepen) - 1)]
    vormen = [VORMEN[i % len(VORMEN)] for i in range(len(groepen))]
    streepjes = [STREEPJES[i % len(STREEPJES)] for i in range(len(groepen))]
    return kleuren, vormen, streepjes


def _waarde_kolom(label: str, waarde_kolom: str | Mapping[str, str]) -> str:
    if isinstance(waarde_kolom, str):
        return waarde_kolom
    return waarde_kolom.get(label, "gemiddelde")


def _vergelijking_rijen(
    vergelijkingen: Mapping[str, pd.DataFrame] | None,
    kader: Kader,
    waarde_kolom: str | Mapping[str, str],
    bezet: Iterable[str],
) -> list[tuple[str, pd.DataFrame]]:
    """Per overlay label: its overall criterium rows, complete, as columns id/waarde/n."""
    if not vergelijkingen:
        return []
    bezet = set(bezet)
    ids = [c.id for c in kader.criteria]
    uit = []
    for label, ander in vergelijkingen.items():
        kolom = _waarde_kolom(label, waarde_kolom)
        if label in bezet or label == BAND_LABEL:
            raise ValueError(f"Vergelijking '{label}': die naam heeft al een andere lijn in de grafiek; kies een andere naam.")
        for nodig in ("niveau", "id", "rol", kolom):
            if nodig not in ander.columns:
                raise ValueError(f"Vergelijking '{label}': kolom '{nodig}' ontbreekt.")
        rijen = ander.loc[(ander["niveau"] == "criterium") & (ander["rol"] == ALLE.id)]
        rijen = rijen.drop_duplicates("id").set_index("id").reindex(ids)
        n = rijen["n"] if "n" in rijen.columns else pd.Series(np.nan, index=rijen.index)
        uit.append((str(label), pd.DataFrame({
            "id": ids,
            "waarde": pd.to_numeric(rijen[kolom], errors="coerce").to_numpy(float),
            "n": pd.to_numeric(n, errors="coerce").to_numpy(float),
        })))
        bezet.add(label)
    return uit


def spinnenweb_data(agg: pd.DataFrame, kader: Kader, opties: GrafiekOpties = STANDAARD) -> pd.DataFrame:
    """The points of the chart: one row per (line, criterium), plus a closing row.

    Columns: groep (display name), rol (id; for an overlay its label), soort ('rol'
    for 'Alle respondenten' and the rol groups, 'vergelijking' for an overlay),
    criterium (kort), criterium_id, gemiddelde (the value drawn; for an overlay the
    ``waarde_kolom`` of its frame), n, volgorde (drawing order within a line), x, y.
    A criterium without a value for a line has NaN gemiddelde/x/y, which leaves a
    gap in that polygon. Rows: 'Alle respondenten', the rol groups, then the
    overlays in the order of ``opties.vergelijkingen``.
    """
    rol_lijst = _rollen(agg, opties.rollen, opties.rol_namen)
    rijen = _criterium_rijen(agg, kader, rol_lijst)
    groep_namen = [_rol_naam(x, opties.rol_namen) for x in rijen["rol"]]
    extra = _vergelijking_rijen(opties.vergelijkingen, kader, opties.waarde_kolom, groep_namen)
    criteria = kader.criteria
    hoek = dict(zip([c.id for c in criteria], _hoeken(len(criteria))))
    positie = {c.id: i for i, c in enumerate(criteria)}
    kort = {c.id: c.kort for c in criteria}

    delen = [pd.DataFrame({
        "groep": groep_namen,
        "rol": rijen["rol"].to_numpy(object),
        "soort": ROL,
        "id": rijen["id"].to_numpy(object),
        "gemiddelde": rijen["gemiddelde"].to_numpy(float),
        "n": rijen["n"].to_numpy("int64"),
    })]
    for label, v in extra:
        delen.append(pd.DataFrame({
            "groep": label, "rol": label, "soort": VERGELIJKING, "id": v["id"].to_numpy(object),
            "gemiddelde": v["waarde"].to_numpy(float), "n": v["n"].fillna(0).to_numpy("int64"),
        }))
    alles = pd.concat(delen, ignore_index=True)
    r = _straal(alles["gemiddelde"], kader)
    a = alles["id"].map(hoek).to_numpy(float)
    punten = pd.DataFrame(
        {
            "groep": alles["groep"].to_numpy(object),
            "rol": alles["rol"].to_numpy(object),
            "soort": alles["soort"].to_numpy(object),
            "criterium": alles["id"].map(kort).to_numpy(object),
            "criterium_id": alles["id"].to_numpy(object),
            "gemiddelde": alles["gemiddelde"].to_numpy(float),
            "n": alles["n"].to_numpy("int64"),
            "volgorde": alles["id"].map(positie).to_numpy("int64"),
            "x": r * np.cos(a),
            "y": r * np.sin(a),
        }
    )
    # close every polygon: repeat the first criterium at the end
    sluiting = punten.loc[punten["volgorde"] == 0].assign(volgorde=len(criteria))
    groep_volgorde = {g: i for i, g in enumerate([ALLE.id, *rol_lijst, *(label for label, _ in extra)])}
    out = pd.concat([punten, sluiting], ignore_index=True)
    out["_g"] = out["rol"].map(groep_volgorde)
    return out.sort_values(["_g", "volgorde"], kind="stable").drop(columns="_g").reset_index(drop=True)


def met_kwartielen(agg: pd.DataFrame, antwoorden: pd.DataFrame, kader: Kader) -> pd.DataFrame:
    """A copy of ``agg`` with columns ``q1`` and ``q3`` on its overall criterium rows.

    The quartiles are those of `rapport.analyse.analyseer` for 'Alle respondenten'
    (linear interpolation, numpy's default) over the same ``antwoorden`` that ``agg``
    was made from; other rows get NaN. Needed for ``GrafiekOpties(band=True)``.
    """
    from rapport.analyse import analyseer

    analyse = analyseer(antwoorden, kader)
    alle = analyse.loc[(analyse["niveau"] == "criterium") & (analyse["groep"] == ALLE.label)]
    alle = alle.set_index("id")
    uit = agg.drop(columns=[k for k in ("q1", "q3") if k in agg.columns]).copy()
    overall = (uit["niveau"] == "criterium") & (uit["rol"] == ALLE.id)
    for kolom in ("q1", "q3"):
        uit[kolom] = np.where(overall, uit["id"].map(alle[kolom]).astype(float), np.nan)
    return uit


def kwartielen(agg: pd.DataFrame, kader: Kader) -> pd.DataFrame:
    """Q1 and Q3 of all respondents per criterium (index criterium id, kader order).

    Read from the columns ``q1`` and ``q3`` of the overall criterium rows of ``agg``
    (see `met_kwartielen`); ValueError when those columns are missing.
    """
    if not {"q1", "q3"} <= set(agg.columns):
        raise ValueError("Voor de band (middelste helft) zijn de kolommen q1 en q3 nodig; "
                         "voeg ze toe met rapport.grafiek.met_kwartielen(agg, antwoorden, kader).")
    rijen = agg.loc[(agg["niveau"] == "criterium") & (agg["rol"] == ALLE.id)].drop_duplicates("id")
    rijen = rijen.set_index("id").reindex([c.id for c in kader.criteria])
    return rijen[["q1", "q3"]].astype(float)


def band_data(agg: pd.DataFrame, kader: Kader) -> pd.DataFrame:
    """The IQR band as filled polygons, in chart coordinates.

    The band runs between the Q1 polygon (inner edge) and the Q3 polygon (outer edge)
    of all respondents. Each stretch of adjacent spokes that all have quartiles is one
    polygon ``deel``: along the Q3 points clockwise, then back along the Q1 points.
    When every criterium has quartiles that is one closed ring (Q3 all round, then Q1
    all round the other way, which leaves the inside as a hole). A spoke without
    quartiles breaks the band there; a lone spoke between two gaps has no area.

    Columns: deel, volgorde (drawing order in the polygon), criterium_id, rand ('q1'
    or 'q3'), waarde (the quartile), x, y.
    """
    q = kwartielen(agg, kader)
    aantal = len(q)
    hoeken = _hoeken(aantal)
    heeft = q.notna().all(axis=1).to_numpy()
    # stretches of consecutive spokes with quartiles, going round (clockwise)
    if heeft.all():
        stukken = [[*range(aantal), 0]]
    else:
        stukken, huidig = [], []
        begin = int(np.argmin(heeft))  # a spoke without quartiles: start after it
        for stap in range(1, aantal + 1):
            i = (begin + stap) % aantal
            if heeft[i]:
                huidig.append(i)
            elif huidig:
                stukken.append(huidig)
                huidig = []
        if huidig:
            stukken.append(huidig)
        stukken = [s for s in stukken if len(s) >= 2]
    ids = list(q.index)
    rijen = []
    for deel, stuk in enumerate(stukken):
        pad = [(i, "q3") for i in stuk] + [(i, "q1") for i in reversed(stuk)]
        for volgorde, (i, rand) in enumerate(pad):
            waarde = float(q.iloc[i][rand])
            r = float(_straal(waarde, kader))
            rijen.append({"deel": deel, "volgorde": volgorde, "criterium_id": ids[i], "rand": rand,
                          "waarde": waarde, "x": r * math.cos(hoeken[i]), "y": r * math.sin(hoeken[i])})
    return pd.DataFrame(rijen, columns=["deel", "volgorde", "criterium_id", "rand", "waarde", "x", "y"])


def _raster(kader: Kader) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Ring gridlines (one closed polygon per scale value), spokes and ring labels."""
    criteria = kader.criteria
    hoeken = _hoeken(len(criteria))
    ringen = []
    for waarde in kader.schaal.waarden:
        r = float(_straal(waarde, kader))
        for i, a in enumerate([*hoeken, hoeken[0]]):
            ringen.append({"ring": waarde, "volgorde": i, "x": r * math.cos(a), "y": r * math.sin(a)})
    spaken = pd.DataFrame(
        {
            "x": np.zeros(len(criteria)),
            "y": np.zeros(len(criteria)),
            "x2": np.cos(hoeken),
            "y2": np.sin(hoeken),
        }
    )
    # ring values sit halfway between the first two spokes, on the ring's edge, away
    # from the data points (which are on the spokes) and from the axis labels
    midden = math.pi / 2 - math.pi / max(len(criteria), 1)
    binnen = math.cos(math.pi / max(len(criteria), 1)) if len(criteria) > 2 else 1.0
    ring_straal = [float(_straal(w, kader)) * binnen for w in kader.schaal.waarden]
    ring_labels = pd.DataFrame(
        {
            "label": [str(w) for w in kader.schaal.waarden],
            "x": [r * math.cos(midden) for r in ring_straal],
            "y": [r * math.sin(midden) for r in ring_straal],
        }
    )
    return pd.DataFrame(ringen), spaken, ring_labels


def _as_labels(kader: Kader) -> pd.DataFrame:
    criteria = kader.criteria
    hoeken = _hoeken(len(criteria))
    rijen = []
    for c, a in zip(criteria, hoeken):
        cos, sin = math.cos(a), math.sin(a)
        rijen.append(
            {
                "criterium": c.kort,
                "criterium_id": c.id,
                "regels": "\n".join(_wrap(c.kort)),
                "x": LABEL_STRAAL * cos,
                "y": LABEL_STRAAL * sin,
                "align": "left" if cos > 0.15 else "right" if cos < -0.15 else "center",
                "baseline": "bottom" if sin > 0.5 else "top" if sin < -0.5 else "middle",
            }
        )
    return pd.DataFrame(rijen)


def spinnenweb(agg: pd.DataFrame, kader: Kader, opties: GrafiekOpties = STANDAARD) -> alt.VConcatChart:
    """Spider chart of `aggregeer` output: one spoke per criterium, one line per rol group.

    ``opties`` (`GrafiekOpties`) names the groups, picks the rollen and adds the
    overlays; without them the chart shows all respondents and every rol in ``agg``.

    The result is the radar view with, below it, a legend titled 'Rol' that shows for
    every group its colour, its stroke dash AND its point shape together (a built-in
    Vega-Lite legend can show a shape or a dashed line, not both). With overlays a
    second legend 'Ter vergelijking' lists the band and the overlay lines.
    """
    alle_data = spinnenweb_data(agg, kader, opties)
    data = alle_data.loc[alle_data["soort"] == ROL].reset_index(drop=True)
    extra = alle_data.loc[alle_data["soort"] == VERGELIJKING].reset_index(drop=True)
    banddata = band_data(agg, kader) if opties.band else None
    groepen = list(dict.fromkeys(data["groep"]))
    extra_groepen = list(dict.fromkeys(extra["groep"]))
    kleuren, vormen, streepjes = _stijl(groepen)
    for i in range(len(extra_groepen)):
        kleuren.append(VERGELIJKING_KLEUREN[i % len(VERGELIJKING_KLEUREN)])
        vormen.append(VERGELIJKING_VORMEN[i % len(VERGELIJKING_VORMEN)])
        streepjes.append(VERGELIJKING_STREEPJES[i % len(VERGELIJKING_STREEPJES)])
    alle_groepen = groepen + extra_groepen
    ringen, spaken, ring_labels = _raster(kader)
    labels = _as_labels(kader)

    x_schaal = alt.Scale(domain=[-_X_BEREIK, _X_BEREIK], nice=False, zero=False)
    y_schaal = alt.Scale(domain=[-_Y_BEREIK, _Y_BEREIK], nice=False, zero=False)
    X = alt.X("x:Q", scale=x_schaal, axis=None)
    Y = alt.Y("y:Q", scale=y_schaal, axis=None)
    kleur = alt.Color("groep:N", scale=alt.Scale(domain=alle_groepen, range=kleuren), legend=None)
    vorm = alt.Shape("groep:N", scale=alt.Scale(domain=alle_groepen, range=vormen), legend=None)
    streep = alt.StrokeDash(
        "groep:N", scale=alt.Scale(domain=alle_groepen, range=streepjes), legend=None
    )
    dikte = alt.condition(alt.datum.groep == ALLE.label, alt.value(3.2), alt.value(1.8))
    # numbers in tooltips and labels as Dutch text (2,5): a browser formats ".1f" with a point
    data = data.assign(waarde_tekst=data["gemiddelde"].map(getal))
    extra = extra.assign(waarde_tekst=extra["gemiddelde"].map(getal))
    tooltip = [
        alt.Tooltip("groep:N", title="Rol"),
        alt.Tooltip("criterium:N", title="Criterium"),
        alt.Tooltip("waarde_tekst:N", title="Gemiddelde"),
        alt.Tooltip("n:Q", title="Aantal scores (n)"),
    ]
    zichtbaar = f"datum.volgorde < {len(kader.criteria)} && isValid(datum.gemiddelde)"

    ring_laag = (
        alt.Chart(ringen)
        .mark_line(color="#c8c8c8", strokeWidth=0.8)
        .encode(X, Y, detail="ring:N", order="volgorde:Q")
    )
    spaak_laag = (
        alt.Chart(spaken)
        .mark_rule(color="#c8c8c8", strokeWidth=0.8)
        .encode(X, Y, x2="x2:Q", y2="y2:Q")
    )
    ring_label_laag = (
        alt.Chart(ring_labels)
        .mark_text(align="center", baseline="middle", fontSize=10, color="#6b6b6b")
        .encode(X, Y, text="label:N")
    )
    # the band: a filled 'line' (Vega fills a line path like a polygon; the Q1 edge
    # runs the other way round, so the inside of the ring stays empty)
    band_lagen = [] if banddata is None or banddata.empty else [
        alt.Chart(banddata)
        .mark_line(fill=BAND_KLEUR, fillOpacity=BAND_DEKKING, stroke=None, strokeWidth=0)
        .encode(X, Y, detail="deel:N", order="volgorde:Q")
    ]
    extra_lagen = [] if extra.empty else [
        alt.Chart(extra)
        .mark_line(invalid="break-paths-show-domains", strokeWidth=2)
        .encode(X, Y, kleur, streep, detail="groep:N", order="volgorde:Q"),
        alt.Chart(extra)
        .transform_filter(zichtbaar)
        .mark_point(filled=False, fill="white", fillOpacity=1, size=70, opacity=1, strokeWidth=1.6)
        .encode(X, Y, kleur, vorm, tooltip=[
            alt.Tooltip("groep:N", title="Vergelijking"),
            alt.Tooltip("criterium:N", title="Criterium"),
            alt.Tooltip("waarde_tekst:N", title="Waarde"),
            alt.Tooltip("n:Q", title="Aantal scores (n)"),
        ]),
    ]
    lijn_laag = (
        alt.Chart(data)
        .mark_line(invalid="break-paths-show-domains")
        .encode(X, Y, kleur, streep, detail="groep:N", order="volgorde:Q", strokeWidth=dikte)
    )
    punt_laag = (
        alt.Chart(data)
        .transform_filter(zichtbaar)
        .mark_point(filled=True, size=50, opacity=1)
        .encode(X, Y, kleur, vorm, tooltip=tooltip)
    )
    # the number at each point of 'Alle respondenten' when it is the only line: the value
    # can then be read at the data, not only from the rings or a tooltip
    # (outward from a low point, inward from a high one: never on the axis labels; a white
    # halo keeps it readable where a line passes)
    straal = np.hypot(data["x"], data["y"])
    breed = 0.1 + 0.08 * np.abs(data["x"]) / straal.where(straal > 0, 1)  # text is wider than high
    stap = np.where(straal < 0.55, breed, -breed) / straal.where(straal > 0, 1)
    waarden = data.assign(x=data["x"] * (1 + stap), y=data["y"] * (1 + stap))
    waarde_lagen = [] if len(groepen) > 1 or extra_groepen else [
        alt.Chart(waarden)
        .transform_filter(zichtbaar)
        .mark_text(align="center", baseline="middle", fontSize=11, fontWeight="bold", **halo)
        .encode(X, Y, text="waarde_tekst:N")
        for halo in ({"color": "white", "stroke": "white", "strokeWidth": 4}, {"color": "#000000"})
    ]
    label_lagen = [
        alt.Chart(deel)
        .mark_text(
            align=align, baseline=baseline, fontSize=11, color="#222222", lineHeight=13,
            lineBreak="\n",
        )
        .encode(X, Y, text="regels:N", tooltip=[alt.Tooltip("criterium:N", title="Criterium")])
        for (align, baseline), deel in labels.groupby(["align", "baseline"], sort=False)
    ]
    radar = alt.layer(
        ring_laag, spaak_laag, *band_lagen, ring_label_laag, *extra_lagen, lijn_laag, punt_laag,
        *waarde_lagen, *label_lagen,
    ).properties(width=BREEDTE, height=HOOGTE)

    onderdelen = [radar, legenda_lijnen(groepen, kleur, vorm, streep, dikte, breedte=BREEDTE)]
    if band_lagen or extra_groepen:
        onderdelen.append(legenda_vergelijking(BAND_LABEL if band_lagen else None, extra_groepen, kleur, vorm,
                                               streep, breedte=BREEDTE))

    soort = " en ".join(dict.fromkeys(c.soort for c in kader.criteria)) or "criterium"
    return (
        alt.vconcat(*onderdelen, spacing=6)
        .resolve_scale(x="independent", y="independent")
        .properties(
            title=alt.TitleParams(
                text=kader.titel,
                subtitle=f"Gemiddelde score per {soort} ({kader.schaal.minimum} = binnenste "
                f"ring, {kader.schaal.maximum} = buitenste ring)",
                anchor="start",
                fontSize=14,
                subtitleFontSize=11,
                subtitleColor="#444444",
            ),
        )
        .configure(font=LETTERTYPE)
        .configure_view(stroke=None)
    )


def grafiek_tabel(agg: pd.DataFrame, kader: Kader, opties: GrafiekOpties = STANDAARD) -> pd.DataFrame:
    """The numbers of the spider chart as a table.

    Index: criterium.kort (kader order, index name 'Criterium'); one column per rol
    group, 'Alle respondenten' first, same groups and order as `spinnenweb`. Values:
    gemiddelde rounded to 1 decimal (float), '–' where there is no scored answer.

    With the same `GrafiekOpties` as `spinnenweb`: ``band=True`` adds the columns
    `Q1_KOLOM` and `Q3_KOLOM` right after 'Alle respondenten'; each entry of
    ``vergelijkingen`` adds a column named by its label, after the rol groups, with
    the value drawn (``waarde_kolom``).
    """
    data = spinnenweb_data(agg, kader, opties)
    data = data.loc[data["volgorde"] < len(kader.criteria)]
    groepen = list(dict.fromkeys(data["groep"]))
    tabel = data.pivot(index="criterium_id", columns="groep", values="gemiddelde")
    tabel = tabel.reindex(index=[c.id for c in kader.criteria], columns=groepen)
    if opties.band:
        q = kwartielen(agg, kader)
        tabel.insert(1, Q1_KOLOM, q["q1"])
        tabel.insert(2, Q3_KOLOM, q["q3"])
    kolommen = list(tabel.columns)
    tabel = tabel.round(1).astype(object).where(tabel.notna(), "–")
    tabel.index = pd.Index([c.kort for c in kader.criteria], name="Criterium")
    tabel.columns = pd.Index(kolommen, name="Rol")
    return tabel


def _urls(spec) -> list[str]:
    """Every value under a "url" key anywhere in a (Vega-Lite) spec."""
    gevonden: list[str] = []
    if isinstance(spec, dict):
        for sleutel, waarde in spec.items():
            if sleutel == "url":
                gevonden.append(str(waarde))
            else:
                gevonden.extend(_urls(waarde))
    elif isinstance(spec, list):
        for waarde in spec:
            gevonden.extend(_urls(waarde))
    return gevonden


def spinnenweb_svg(chart: alt.TopLevelMixin) -> str:
    """Render the chart to an SVG string with vl-convert, without any network or file access.

    A spec that refers to external data (a "url" anywhere) is refused with ValueError
    before conversion; our charts carry all data inline. As a second line,
    ``allowed_base_urls=[]`` makes vl-convert refuse every external data request. Text
    uses a locally installed font (DejaVu Sans, else the default), so no font is
    fetched either. Numbers use Dutch formatting (decimal comma).
    """
    import vl_convert as vlc

    spec = chart.to_dict()
    urls = _urls(spec)
    if urls:
        raise ValueError(f"Grafiek verwijst naar externe gegevens ({', '.join(urls)}); dat is niet toegestaan.")
    return vlc.vegalite_to_svg(spec, allowed_base_urls=[], format_locale="nl-NL")


def spinnenweb_spec(agg: pd.DataFrame, kader: Kader, opties: GrafiekOpties = STANDAARD) -> dict:
    """The spider chart as a plain Vega-Lite dict, for callers that cache it.

    Building the Altair objects costs most of the time of a page run (Altair deep-copies
    its objects on every layer); the dict is cheap to keep and to render again.
    """
    return spinnenweb(agg, kader, opties).to_dict(validate=False)
