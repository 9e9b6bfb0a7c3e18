"""The workshop on a projector: a distribution that can be read from the back of a room.

Takes a `rapport.workshop.verdeling` table (answers already through
`rapport.anonimiteit.onderdruk`) and gives

* `verdeling_grafiek_beamer`: the stacked bars of `rapport.workshop.verdeling_grafiek`,
  with large fonts and a whole-number axis (counts are integers: ticks 0, 1, 2, …, never
  0,05 steps), the legend below so the bars get the full width;
* `samenvatting`: the same numbers in one or two plain Dutch sentences, for everyone who
  cannot see the chart well (and for screen readers).
"""
from __future__ import annotations

import pandas as pd

from kader.model import Kader
from rapport.palet import antwoord_kleuren
from rapport.samenvatting import verdeling as samenvatting_verdeling
from rapport.workshop import segmenten, waarden_in_balk

__all__ = ["AS_GEHEEL", "samenvatting", "verdeling_grafiek_beamer"]

AS_GEHEEL = {"tickMinStep": 1, "format": "d"}
"""The count axis: a tick at every whole number at most, labelled without decimals."""

LETTER = 26  # px: axis and legend labels; the page text itself is 28 px or more
TITEL = 32
LETTERTYPE = '"Source Sans", "Source Sans Pro", sans-serif'  # the page's own font (served by the app)
BALK = 80  # px per group


def verdeling_grafiek_beamer(tabel: pd.DataFrame, kader: Kader):
    """Stacked horizontal bars of a `verdeling` table for the projector (an Altair chart).

    One bar per group, a segment per answer in the kader's order, in the colours of
    `rapport.palet.antwoord_kleuren`. Show it with ``theme=None`` (Streamlit's theme
    squashes the plot height of horizontal bars) and ``width="stretch"``.
    """
    import altair as alt  # only the workshop page draws this

    lang = segmenten(tabel, kader)
    antwoorden = list(tabel.columns)
    hoogste = int(tabel.sum(axis=1).max()) if len(tabel) else 0
    # Streamlit fits the whole chart (title, axis, legend) into this height
    legenda = -(-len(antwoorden) // 3) * 40
    hoogte = BALK * len(tabel) + 60 + 90 + legenda + 20
    return (
        alt.layer(alt.Chart().mark_bar(stroke="white", strokeWidth=2), waarden_in_balk(LETTER), data=lang)
        .encode(
            y=alt.Y("Groep:N", sort=list(tabel.index), title=None),
            x=alt.X("Aantal:Q", stack="zero", title="Aantal antwoorden",
                    axis=alt.Axis(**AS_GEHEEL, grid=True),
                    scale=alt.Scale(domain=[0, max(hoogste, 1)], nice=False)),
            color=alt.Color("Antwoord:N", sort=antwoorden,
                            scale=alt.Scale(domain=antwoorden, range=antwoord_kleuren(kader.schaal)),
                            legend=alt.Legend(title=None, orient="bottom", columns=3, symbolSize=500,
                                              labelLimit=420)),
            order=alt.Order("volgorde:Q"),
            tooltip=["Groep", "Antwoord", "Aantal"],
        )
        .resolve_scale(color="independent")
        .properties(height=hoogte, title="Verdeling van de antwoorden per groep")
        .configure(font=LETTERTYPE)  # first: configure() replaces the whole config
        .configure_axis(labelFontSize=LETTER, titleFontSize=LETTER, labelLimit=420, labelColor="#000",
                        titleColor="#000", tickColor="#000", domainColor="#000")
        .configure_legend(labelFontSize=LETTER, labelColor="#000")
        .configure_title(fontSize=TITEL, color="#000", anchor="start")
        .configure_view(stroke=None)
    )


def samenvatting(tabel: pd.DataFrame) -> str:
    """The `verdeling` table in words: `rapport.samenvatting.verdeling` (kept here by name
    for the projector view)."""
    return samenvatting_verdeling(tabel)
