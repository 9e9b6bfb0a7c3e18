"""Colours, point shapes, dashes and the font of every chart (spider chart, workshop, regio).

Colours are the Okabe & Ito (2008) palette, "Color Universal Design": safe for the
common forms of colour blindness. Colour is never the only cue: lines also differ in
point shape and dash, bars carry their numbers in a table beside them.
"""
from __future__ import annotations

from kader.model import Antwoordschaal

LETTERTYPE = "DejaVu Sans"
"""A locally installed font: rendering never fetches one."""

# Okabe & Ito, by name
ZWART = "#000000"
ORANJE = "#E69F00"
HEMELBLAUW = "#56B4E9"
BLAUWGROEN = "#009E73"
BLAUW = "#0072B2"
VERMILJOEN = "#D55E00"
ROODPAARS = "#CC79A7"
GEEL = "#F0E442"

OKABE_ITO = (ZWART, ORANJE, HEMELBLAUW, BLAUWGROEN, BLAUW, VERMILJOEN, ROODPAARS, GEEL)
"""Line colours in order: black is reserved for all respondents; yellow is last because
it has the least contrast on white."""

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
    "M-1,-0.6L-0.6,-1L0,-0.4L0.6,-1L1,-0.6L0.4,0L1,0.6L0.6,1L0,0.4L-0.6,1L-1,0.6L-0.4,0Z",  # x
    "M-1,-0.35L1,-0.35L1,0.35L-1,0.35Z",  # bar
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
    [4, 2, 1, 2],
    [12, 2, 4, 2],
)

# Overlays: neutral greys (contrast with white >= 3:1), each with a dash and a hollow
# point shape that no rol group uses, so they never depend on colour either.
VERGELIJKING_KLEUREN = ("#5c5c5c", "#8a8a8a", "#3b3b3b")
VERGELIJKING_VORMEN = (
    "M0,-1L0.24,-0.33L0.95,-0.31L0.38,0.12L0.59,0.81L0,0.4L-0.59,0.81L-0.38,0.12L-0.95,-0.31L-0.24,-0.33Z",  # star
    "M0,-1L0.87,-0.5L0.87,0.5L0,1L-0.87,0.5L-0.87,-0.5Z",  # hexagon
    "M-0.8,-0.9L0.8,-0.9L-0.8,0.9L0.8,0.9Z",  # hourglass
)
VERGELIJKING_STREEPJES = ([5, 2], [12, 3, 3, 3], [2, 4, 8, 4])
BAND_KLEUR = BLAUW  # very light: a background, not a line
BAND_DEKKING = 0.16

SCHAAL_KLEUREN = (VERMILJOEN, ORANJE, HEMELBLAUW, BLAUW)
"""Answers from the lowest scale value to the highest: warm to cool."""
GEEN_OORDEEL_KLEUREN = ("#BBBBBB", "#777777")
"""'weet niet' and 'niet van toepassing': greys, apart from the scale."""


def antwoord_kleuren(schaal: Antwoordschaal) -> list[str]:
    """One colour per answer of ``schaal``: its points (low to high) spread over
    `SCHAAL_KLEUREN`, then its geen-oordeel answers in `GEEN_OORDEEL_KLEUREN`.

    A four-point scale gets exactly `SCHAAL_KLEUREN`; a longer one shares colours
    between neighbours (the legend and the table beside the chart still tell them apart).
    """
    n = len(schaal.punten)
    laatste = len(SCHAAL_KLEUREN) - 1
    punten = [SCHAAL_KLEUREN[round(i * laatste / (n - 1))] if n > 1 else SCHAAL_KLEUREN[-1] for i in range(n)]
    grijs = [GEEN_OORDEEL_KLEUREN[i % len(GEEN_OORDEEL_KLEUREN)] for i in range(len(schaal.geen_oordeel))]
    return punten + grijs
