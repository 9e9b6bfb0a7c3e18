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
own stroke dash, and all are in one legend titled 'Rol'. Colours are the Okabe–Ito
palette (safe for the common forms of colour blindness).
"""
from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Mapping

import altair as alt
import numpy as np
import pandas as pd

from kader.model import Kader
from rapport.aggregatie import ALLE

ALLE_LABEL = "Alle respondenten"

# Okabe & Ito (2008), "Color Universal Design". Black is reserved for all respondents;
# yellow is last because it has the least contrast on white.
OKABE_ITO = (
    "#000000",  # black
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#F0E442",  # yellow
)
VORMEN = (
    "circle",
    "square",
    "diamond",
    "triangle-up",
    "triangle-down",
    "cross",
    "triangle-right",
    "triangle-left",
    "M0,-1L0.95,-0.31L0.59,0.81L-0.59,0.81L-0.95,-0.31Z",  # pentagon
)
STREEPJES = (
    [1, 0],
    [6, 3],
    [2, 2],
    [8, 3, 2, 3],
    [4, 4],
    [1, 3],
    [10, 4],
    [6, 2, 2, 2, 2, 2],
    [3, 6],
)

BREEDTE = 520
HOOGTE = 420
BINNENSTE_RING = 0.12
LABEL_STRAAL = 1.08
LABEL_BREEDTE = 20  # characters per line of an axis label
LETTERTYPE = "DejaVu Sans"
LEGENDA_KOLOMMEN = 3
LEGENDA_RIJ = 20  # pixels per legend row

_Y_BEREIK = 1.32
_X_BEREIK = _Y_BEREIK * BREEDTE / HOOGTE  # keeps the rings round


def _rol_naam(rol: str, rol_namen: Mapping[str, str] | None) -> str:
    if rol == ALLE:
        return ALLE_LABEL
    return (rol_namen or {}).get(rol, rol)


def _rollen(agg: pd.DataFrame, rollen: Iterable[str] | None, rol_namen: Mapping[str, str] | None) -> list[str]:
    """Rol ids to draw besides 'alle': the given ones, else those in agg (rol_namen order first)."""
    if rollen is not None:
        return [r for r in rollen if r != ALLE]
    aanwezig = [r for r in pd.unique(agg["rol"]) if r != ALLE]
    bekend = [r for r in (rol_namen or {}) if r in aanwezig]
    return bekend + sorted(r for r in aanwezig if r not in bekend)


def _criterium_rijen(agg: pd.DataFrame, kader: Kader, rollen: list[str]) -> pd.DataFrame:
    """Criterium rows for 'alle' + rollen, complete (missing combinations get NaN)."""
    ids = [c.id for c in kader.criteria]
    groepen = [ALLE, *rollen]
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


def spinnenweb_data(
    agg: pd.DataFrame,
    kader: Kader,
    rol_namen: Mapping[str, str] | None = None,
    rollen: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The points of the chart: one row per (rol group, criterium), plus a closing row.

    Columns: groep (display name), rol (id), criterium (kort), criterium_id, gemiddelde,
    n, volgorde (drawing order within a group), x, y. A criterium without scored
    answers for a group has NaN gemiddelde/x/y, which leaves a gap in that polygon.
    """
    rol_lijst = _rollen(agg, rollen, rol_namen)
    rijen = _criterium_rijen(agg, kader, rol_lijst)
    criteria = kader.criteria
    hoek = dict(zip([c.id for c in criteria], _hoeken(len(criteria))))
    positie = {c.id: i for i, c in enumerate(criteria)}
    kort = {c.id: c.kort for c in criteria}

    r = _straal(rijen["gemiddelde"], kader)
    a = rijen["id"].map(hoek).to_numpy(float)
    punten = pd.DataFrame(
        {
            "groep": [_rol_naam(x, rol_namen) for x in rijen["rol"]],
            "rol": rijen["rol"].to_numpy(object),
            "criterium": rijen["id"].map(kort).to_numpy(object),
            "criterium_id": rijen["id"].to_numpy(object),
            "gemiddelde": rijen["gemiddelde"].to_numpy(float),
            "n": rijen["n"].to_numpy("int64"),
            "volgorde": rijen["id"].map(positie).to_numpy("int64"),
            "x": r * np.cos(a),
            "y": r * np.sin(a),
        }
    )
    # close every polygon: repeat the first criterium at the end
    sluiting = punten.loc[punten["volgorde"] == 0].assign(volgorde=len(criteria))
    groep_volgorde = {g: i for i, g in enumerate([ALLE, *rol_lijst])}
    out = pd.concat([punten, sluiting], ignore_index=True)
    out["_g"] = out["rol"].map(groep_volgorde)
    return out.sort_values(["_g", "volgorde"], kind="stable").drop(columns="_g").reset_index(drop=True)


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


def _legenda_data(groepen: list[str]) -> pd.DataFrame:
    """Positions (in pixels) of the legend items: a short line, a marker and the name."""
    kolommen = LEGENDA_KOLOMMEN
    kolom_breedte = BREEDTE / kolommen
    rijen = []
    for i, groep in enumerate(groepen):
        kolom, rij = i % kolommen, i // kolommen
        links = kolom * kolom_breedte
        rijen.append(
            {
                "groep": groep,
                "x": links,
                "x2": links + 34,
                "xm": links + 17,
                "xt": links + 42,
                "y": LEGENDA_RIJ * rij + LEGENDA_RIJ / 2,
            }
        )
    return pd.DataFrame(rijen)


def spinnenweb(
    agg: pd.DataFrame,
    kader: Kader,
    rol_namen: Mapping[str, str] | None = None,
    rollen: Iterable[str] | None = None,
) -> alt.VConcatChart:
    """Spider chart of `aggregeer` output: one spoke per criterium, one line per rol group.

    ``rollen`` selects (and orders) the rol ids drawn besides all respondents; by
    default every rol in ``agg`` (those in ``rol_namen`` first, in that order).
    ``rol_namen`` maps rol ids to display names (fallback: the id).

    The result is the radar view with, below it, a legend titled 'Rol' that shows for
    every group its colour, its stroke dash AND its point shape together (a built-in
    Vega-Lite legend can show a shape or a dashed line, not both).
    """
    data = spinnenweb_data(agg, kader, rol_namen, rollen)
    groepen = list(dict.fromkeys(data["groep"]))
    kleuren, vormen, streepjes = _stijl(groepen)
    ringen, spaken, ring_labels = _raster(kader)
    labels = _as_labels(kader)

    x_schaal = alt.Scale(domain=[-_X_BEREIK, _X_BEREIK], nice=False, zero=False)
    y_schaal = alt.Scale(domain=[-_Y_BEREIK, _Y_BEREIK], nice=False, zero=False)
    X = alt.X("x:Q", scale=x_schaal, axis=None)
    Y = alt.Y("y:Q", scale=y_schaal, axis=None)
    kleur = alt.Color("groep:N", scale=alt.Scale(domain=groepen, range=kleuren), legend=None)
    vorm = alt.Shape("groep:N", scale=alt.Scale(domain=groepen, range=vormen), legend=None)
    streep = alt.StrokeDash(
        "groep:N", scale=alt.Scale(domain=groepen, range=streepjes), legend=None
    )
    dikte = alt.condition(alt.datum.groep == ALLE_LABEL, alt.value(3.2), alt.value(1.8))
    tooltip = [
        alt.Tooltip("groep:N", title="Rol"),
        alt.Tooltip("criterium:N", title="Criterium"),
        alt.Tooltip("gemiddelde:Q", title="Gemiddelde", format=".1f"),
        alt.Tooltip("n:Q", title="Aantal scores (n)"),
    ]

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
    lijn_laag = (
        alt.Chart(data)
        .mark_line(invalid="break-paths-show-domains")
        .encode(X, Y, kleur, streep, detail="groep:N", order="volgorde:Q", strokeWidth=dikte)
    )
    punt_laag = (
        alt.Chart(data)
        .transform_filter(
            f"datum.volgorde < {len(kader.criteria)} && isValid(datum.gemiddelde)"
        )
        .mark_point(filled=True, size=50, opacity=1)
        .encode(X, Y, kleur, vorm, tooltip=tooltip)
    )
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
        ring_laag, spaak_laag, ring_label_laag, lijn_laag, punt_laag, *label_lagen
    ).properties(width=BREEDTE, height=HOOGTE)

    legenda_data = _legenda_data(groepen)
    n_rijen = math.ceil(len(groepen) / LEGENDA_KOLOMMEN)
    lx = alt.Scale(domain=[0, BREEDTE], range=[0, BREEDTE], nice=False, zero=False)
    ly = alt.Scale(domain=[0, n_rijen * LEGENDA_RIJ], range=[0, n_rijen * LEGENDA_RIJ])
    legenda_basis = alt.Chart(legenda_data)
    legenda = alt.layer(
        legenda_basis.mark_rule().encode(
            alt.X("x:Q", scale=lx, axis=None), alt.X2("x2:Q"),
            alt.Y("y:Q", scale=ly, axis=None), kleur, streep, strokeWidth=dikte,
        ),
        legenda_basis.mark_point(filled=True, size=50, opacity=1).encode(
            alt.X("xm:Q", scale=lx, axis=None), alt.Y("y:Q", scale=ly, axis=None), kleur, vorm,
        ),
        legenda_basis.mark_text(align="left", baseline="middle", fontSize=11, color="#222222")
        .encode(alt.X("xt:Q", scale=lx, axis=None), alt.Y("y:Q", scale=ly, axis=None), text="groep:N"),
    ).properties(
        width=BREEDTE,
        height=n_rijen * LEGENDA_RIJ,
        title=alt.TitleParams(text="Rol", anchor="start", fontSize=12, fontWeight="bold"),
    )

    soort = " en ".join(dict.fromkeys(c.soort for c in kader.criteria)) or "criterium"
    return (
        alt.vconcat(radar, legenda, spacing=6)
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


def grafiek_tabel(
    agg: pd.DataFrame,
    kader: Kader,
    rol_namen: Mapping[str, str] | None = None,
    rollen: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The numbers of the spider chart as a table.

    Index: criterium.kort (kader order, index name 'Criterium'); one column per rol
    group, 'Alle respondenten' first, same groups and order as `spinnenweb`. Values:
    gemiddelde rounded to 1 decimal (float), '–' where there is no scored answer.
    """
    data = spinnenweb_data(agg, kader, rol_namen, rollen)
    data = data.loc[data["volgorde"] < len(kader.criteria)]
    groepen = list(dict.fromkeys(data["groep"]))
    tabel = data.pivot(index="criterium_id", columns="groep", values="gemiddelde")
    tabel = tabel.reindex(index=[c.id for c in kader.criteria], columns=groepen)
    tabel = tabel.round(1).astype(object).where(tabel.notna(), "–")
    tabel.index = pd.Index([c.kort for c in kader.criteria], name="Criterium")
    tabel.columns = pd.Index(groepen, name="Rol")
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


def spinnenweb_spec(
    agg: pd.DataFrame,
    kader: Kader,
    rol_namen: Mapping[str, str] | None = None,
    rollen: Iterable[str] | None = None,
) -> dict:
    """The spider chart as a plain Vega-Lite dict, for callers that cache it.

    Building the Altair objects costs most of the time of a page run (Altair deep-copies
    its objects on every layer); the dict is cheap to keep and to render again.
    """
    return spinnenweb(agg, kader, rol_namen, rollen).to_dict(validate=False)
