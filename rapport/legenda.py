"""Legends drawn as charts, below a chart of a given width.

A built-in Vega-Lite legend shows a colour with a shape OR a dashed line, never both.
These legends show every line's colour, stroke dash AND point shape together, so a
reader who cannot tell the colours apart can still match the lines (`rapport.grafiek`).
``kleur``, ``vorm``, ``streep`` and ``dikte`` are the chart's own encodings on the field
``groep``, so a legend entry looks exactly like its line.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import altair as alt
import pandas as pd

from rapport.palet import BAND_DEKKING, BAND_KLEUR

KOLOMMEN = 3
KOLOMMEN_VERGELIJKING = 2  # overlay labels are longer
RIJ = 20  # pixels per legend row


def posities(groepen: Sequence[str], breedte: float, kolommen: int = KOLOMMEN) -> pd.DataFrame:
    """Positions (in pixels) of the legend items: a short line, a marker and the name."""
    kolom_breedte = breedte / kolommen
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
                "y": RIJ * rij + RIJ / 2,
            }
        )
    return pd.DataFrame(rijen, columns=["groep", "x", "x2", "xm", "xt", "y"])


def _titel(tekst: str) -> alt.TitleParams:
    return alt.TitleParams(text=tekst, anchor="start", fontSize=12, fontWeight="bold")


def _x_schaal(breedte: float) -> alt.Scale:
    return alt.Scale(domain=[0, breedte], range=[0, breedte], nice=False, zero=False)


def legenda_lijnen(groepen: Sequence[str], kleur, vorm, streep, dikte, *, breedte: float,
                   titel: str = "Rol") -> alt.LayerChart:
    """Legend of the lines: per group a short line (colour + dash), its filled marker and name."""
    lx = _x_schaal(breedte)
    n_rijen = math.ceil(len(groepen) / KOLOMMEN)
    ly = alt.Scale(domain=[0, n_rijen * RIJ], range=[0, n_rijen * RIJ])
    basis = alt.Chart(posities(groepen, breedte))
    return alt.layer(
        basis.mark_rule().encode(
            alt.X("x:Q", scale=lx, axis=None), alt.X2("x2:Q"),
            alt.Y("y:Q", scale=ly, axis=None), kleur, streep, strokeWidth=dikte,
        ),
        basis.mark_point(filled=True, size=50, opacity=1).encode(
            alt.X("xm:Q", scale=lx, axis=None), alt.Y("y:Q", scale=ly, axis=None), kleur, vorm,
        ),
        basis.mark_text(align="left", baseline="middle", fontSize=11, color="#222222")
        .encode(alt.X("xt:Q", scale=lx, axis=None), alt.Y("y:Q", scale=ly, axis=None), text="groep:N"),
    ).properties(width=breedte, height=n_rijen * RIJ, title=_titel(titel))


def legenda_vergelijking(band_label: str | None, extra_groepen: Sequence[str], kleur, vorm, streep, *,
                         breedte: float, titel: str = "Ter vergelijking") -> alt.LayerChart:
    """Legend of the overlays: the band (a filled block, when ``band_label`` is given) and
    each overlay line with its dash and hollow marker. Names longer than a column are
    cut off with '…'."""
    lx = _x_schaal(breedte)
    kolommen = KOLOMMEN_VERGELIJKING
    namen = ([band_label] if band_label else []) + list(extra_groepen)
    plek = posities(namen, breedte, kolommen)
    n_rijen = math.ceil(len(namen) / kolommen)
    ly = alt.Scale(domain=[0, n_rijen * RIJ], range=[0, n_rijen * RIJ])
    lijnen = alt.Chart(plek.loc[plek["groep"] != band_label] if band_label else plek)
    lx_enc, ly_enc = alt.X("x:Q", scale=lx, axis=None), alt.Y("y:Q", scale=ly, axis=None)
    lagen = [
        alt.Chart(plek).mark_text(
            align="left", baseline="middle", fontSize=11, color="#222222",
            limit=breedte / kolommen - 46,
        ).encode(alt.X("xt:Q", scale=lx, axis=None), ly_enc, text="groep:N"),
    ]
    if band_label:
        blok = plek.loc[plek["groep"] == band_label].assign(
            y=lambda d: d["y"] - 6, y2=lambda d: d["y"] + 6)
        lagen.insert(0, alt.Chart(blok).mark_rect(
            fill=BAND_KLEUR, fillOpacity=BAND_DEKKING * 1.6, stroke=BAND_KLEUR, strokeOpacity=0.35,
            strokeWidth=0.8,
        ).encode(lx_enc, alt.X2("x2:Q"), ly_enc, alt.Y2("y2:Q")))
    if extra_groepen:
        lagen[:0] = [
            lijnen.mark_rule(strokeWidth=2).encode(lx_enc, alt.X2("x2:Q"), ly_enc, kleur, streep),
            lijnen.mark_point(filled=False, fill="white", fillOpacity=1, size=70, opacity=1,
                              strokeWidth=1.6).encode(alt.X("xm:Q", scale=lx, axis=None), ly_enc, kleur, vorm),
        ]
    return alt.layer(*lagen).properties(width=breedte, height=n_rijen * RIJ, title=_titel(titel))
