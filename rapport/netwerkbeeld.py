"""The samenwerkingskaart shown: a network picture (Altair), a matrix table and a plain
Dutch summary, all from one `rapport.netwerk.Netwerk`. No Streamlit: pages and PDFs call
these functions.

* `netwerkbeeld`: the rollen on a circle; one arrow per shown ordered pair (van -> naar),
  thicker the higher the median level, with the median as a number at the middle. The
  two directions of a pair run side by side. An asymmetric pair (`rapport.netwerk`,
  medians 2 levels or more apart) is drawn dashed, in another colour AND with '≠' beside
  its numbers, so colour is never the only cue.
* `matrix`: van rows x naar columns, the median ('1' or '1,5'), '–' where there is none
  (no answers, only weet niet / n.v.t., or withheld for anonymity).
* `samenvatting`: the strongest and the weakest pair, every asymmetric pair in words, and
  how many pairs were withheld because the group was too small.

The ladder's labels come from ``kader/schalen/coordinatieladder.yaml`` (source 003, after
Mehlkopf 2008); the question and the 2-level rule are the instrument's own.
"""
from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from kader.model import Antwoordschaal
from rapport.groepen import rol_volgorde
from rapport.netwerk import Netwerk, Paar
from rapport.opmaak import score
from rapport.palet import BLAUW, LETTERTYPE, VERMILJOEN

LADDER_ID = "coordinatieladder"
GEEN = "–"
BREEDTE = 520
HOOGTE = 420
_STRAAL = 1.0  # the circle of rollen, in chart units
_BEREIK = 1.4  # the chart's vertical domain: room for the rol labels above and below
_BEREIK_X = 1.75  # horizontal: room for long rol names beside the circle (same units per pixel)
_VERSCHUIVING = 0.045  # the two directions of a pair side by side
_INKORTING = 0.13  # arrows stop short of the rol's point
MAX_GETALLEN = 24
"""With more arrows than this the picture only prints the numbers of the asymmetric pairs
(all numbers are in the matrix beside it) and draws the other arrows lighter."""
MAX_NAMEN = 3
"""More tied pairs than this: the summary gives their number instead of their names."""


@functools.cache
def coordinatieladder() -> Antwoordschaal:
    """The coördinatieladder scale as loaded from kader/schalen (labels and bron)."""
    from kader import laad_kaders

    return laad_kaders().schalen[LADDER_ID]


def _naam(rol: str, rol_namen: Mapping[str, str] | None) -> str:
    return (rol_namen or {}).get(rol, rol)


def _rollen(netwerk: Netwerk, rol_namen: Mapping[str, str] | None) -> list[str]:
    """The rollen of the pairs that are shown (not withheld), in report order. A rol whose
    only pairs are withheld is not named at all: naming it would tell that someone of that
    small group took part (the reports merge such groups, `rapport.groepen`)."""
    getoond = [p for p in netwerk.paren if not p.achtergehouden]
    return rol_volgorde({r for p in getoond for r in (p.van, p.naar)}, rol_namen)


def _scheef(netwerk: Netwerk) -> set[tuple[str, str]]:
    paren = {(w.rol_a, w.rol_b) for w in netwerk.wederkerigheid}
    return paren | {(b, a) for a, b in paren}


def niveau_tekst(mediaan: float, ladder: Antwoordschaal | None = None) -> str:
    """'‘informeren’ (1)'; a median between two levels: 'tussen ‘informeren’ en ‘afstemmen’ (1,5)'."""
    ladder = ladder or coordinatieladder()
    if float(mediaan).is_integer():
        return f"‘{ladder.label(int(mediaan)).lower()}’ ({score(mediaan)})"
    laag, hoog = math.floor(mediaan), math.ceil(mediaan)
    return f"tussen ‘{ladder.label(laag).lower()}’ en ‘{ladder.label(hoog).lower()}’ ({score(mediaan)})"


# ----------------------------------------------------------------- the picture


def netwerk_data(netwerk: Netwerk, rol_namen: Mapping[str, str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rollen, pijlen) in chart coordinates.

    rollen: rol, naam, x, y, lx, ly (label position), align.
    pijlen: van, naar, van_naam, naar_naam, mediaan, tekst ('1,5' or '1,5 ≠'), wederkerig,
    dikte, x, y (start), x2, y2 (end), mx, my (middle), hoek (arrowhead, degrees clockwise
    from up). Only pairs with a median; withheld pairs are not drawn.
    """
    rollen = _rollen(netwerk, rol_namen)
    hoeken = {r: math.pi / 2 - 2 * math.pi * i / max(len(rollen), 1) for i, r in enumerate(rollen)}
    punt = {r: (_STRAAL * math.cos(a), _STRAAL * math.sin(a)) for r, a in hoeken.items()}
    knopen = pd.DataFrame([{
        "rol": r, "naam": _naam(r, rol_namen), "x": punt[r][0], "y": punt[r][1],
        "lx": 1.16 * punt[r][0], "ly": 1.16 * punt[r][1],
        "align": "left" if punt[r][0] > 0.2 else "right" if punt[r][0] < -0.2 else "center",
    } for r in rollen], columns=["rol", "naam", "x", "y", "lx", "ly", "align"])
    scheef = _scheef(netwerk)
    rijen = []
    for p in netwerk.getoond:
        (x1, y1), (x2, y2) = punt[p.van], punt[p.naar]
        dx, dy = x2 - x1, y2 - y1
        lengte = math.hypot(dx, dy) or 1.0
        ux, uy = dx / lengte, dy / lengte
        ox, oy = uy * _VERSCHUIVING, -ux * _VERSCHUIVING  # to the right of the direction
        begin = (x1 + ux * _INKORTING + ox, y1 + uy * _INKORTING + oy)
        eind = (x2 - ux * _INKORTING + ox, y2 - uy * _INKORTING + oy)
        is_scheef = (p.van, p.naar) in scheef
        rijen.append({
            "van": p.van, "naar": p.naar, "van_naam": _naam(p.van, rol_namen), "naar_naam": _naam(p.naar, rol_namen),
            "mediaan": p.mediaan, "n": p.n, "tekst": score(p.mediaan) + (" ≠" if is_scheef else ""),
            "wederkerig": "ja" if is_scheef else "nee", "dikte": 1.0 + 1.3 * float(p.mediaan),
            "x": begin[0], "y": begin[1], "x2": eind[0], "y2": eind[1],
            "mx": begin[0] + 0.42 * (eind[0] - begin[0]) + 2.2 * ox,
            "my": begin[1] + 0.42 * (eind[1] - begin[1]) + 2.2 * oy,
            "hoek": math.degrees(math.atan2(ux, uy)),
        })
    pijlen = pd.DataFrame(rijen, columns=["van", "naar", "van_naam", "naar_naam", "mediaan", "n", "tekst",
                                          "wederkerig", "dikte", "x", "y", "x2", "y2", "mx", "my", "hoek"])
    return knopen, pijlen


def netwerkbeeld(netwerk: Netwerk, rol_namen: Mapping[str, str] | None = None) -> alt.LayerChart:
    """The network picture (module doc) as one Altair chart with all data inline."""
    knopen, pijlen = netwerk_data(netwerk, rol_namen)
    schaal = alt.Scale(domain=[-_BEREIK_X, _BEREIK_X], nice=False, zero=False)
    X = alt.X("x:Q", scale=schaal, axis=None)
    y_schaal = alt.Scale(domain=[-_BEREIK, _BEREIK], nice=False, zero=False)
    Y = alt.Y("y:Q", scale=y_schaal, axis=None)
    soort = alt.Scale(domain=["nee", "ja"], range=[BLAUW, VERMILJOEN])
    tooltip = [alt.Tooltip("van_naam:N", title="Van"), alt.Tooltip("naar_naam:N", title="Naar"),
               alt.Tooltip("tekst:N", title="Mediaan"), alt.Tooltip("n:Q", title="Aantal antwoorden (n)")]
    veel = len(pijlen) > MAX_GETALLEN
    getallen = pijlen.loc[pijlen["wederkerig"] == "ja"] if veel else pijlen
    lagen = []
    if not pijlen.empty:
        lagen += [
            alt.Chart(pijlen).mark_rule().encode(
                X, Y, x2="x2:Q", y2="y2:Q",
                opacity=alt.Opacity("wederkerig:N", scale=alt.Scale(domain=["nee", "ja"],
                                                                     range=[0.45 if veel else 0.9, 0.95]), legend=None),
                color=alt.Color("wederkerig:N", scale=soort, legend=None),
                strokeDash=alt.StrokeDash("wederkerig:N", scale=alt.Scale(domain=["nee", "ja"],
                                                                          range=[[1, 0], [7, 4]]), legend=None),
                strokeWidth=alt.StrokeWidth("dikte:Q", scale=None, legend=None),
                tooltip=tooltip),
            alt.Chart(pijlen).mark_point(shape="triangle-up", filled=True, size=110, opacity=1).encode(
                alt.X("x2:Q", scale=schaal, axis=None), alt.Y("y2:Q", scale=y_schaal, axis=None),
                color=alt.Color("wederkerig:N", scale=soort, legend=None),
                angle=alt.Angle("hoek:Q", scale=None), tooltip=tooltip),
        ]
        for halo in ({"color": "white", "stroke": "white", "strokeWidth": 4}, {"color": "#000000"}):
            lagen.append(alt.Chart(getallen).mark_text(fontSize=11, fontWeight="bold", **halo).encode(
                alt.X("mx:Q", scale=schaal, axis=None), alt.Y("my:Q", scale=y_schaal, axis=None),
                text="tekst:N", tooltip=tooltip))
    if not knopen.empty:
        lagen.append(alt.Chart(knopen).mark_point(filled=True, size=260, color="#333333", opacity=1).encode(
            X, Y, tooltip=[alt.Tooltip("naam:N", title="Rol")]))
        for align, deel in knopen.groupby("align", sort=False):
            lagen.append(alt.Chart(deel).mark_text(align=align, baseline="middle", fontSize=12, color="#222222")
                         .encode(alt.X("lx:Q", scale=schaal, axis=None), alt.Y("ly:Q", scale=y_schaal, axis=None),
                                 text="naam:N"))
    if not lagen:
        lagen.append(alt.Chart(pd.DataFrame({"x": [0.0], "y": [0.0], "t": ["Geen samenwerking om te tonen"]}))
                     .mark_text(fontSize=12).encode(X, Y, text="t:N"))
    ondertitel = ["Pijl van de rol die antwoordt naar de partner; het getal is de mediaan op de "
                  "coördinatieladder (0–5).",
                  "Dikker = hoger niveau. Streepjeslijn met ≠: de twee richtingen verschillen "
                  "2 niveaus of meer."]
    if veel:
        ondertitel.append("Er zijn veel pijlen: alleen de paren met ≠ hebben hier een getal. "
                          "Alle getallen staan in de tabel.")
    return (
        alt.layer(*lagen)
        .properties(width=BREEDTE, height=HOOGTE, title=alt.TitleParams(
            text="Samenwerkingskaart",
            subtitle=ondertitel,
            anchor="start", fontSize=14, subtitleFontSize=11, subtitleColor="#444444"))
        .configure(font=LETTERTYPE)
        .configure_view(stroke=None)
    )


def netwerkbeeld_svg(netwerk: Netwerk, rol_namen: Mapping[str, str] | None = None) -> str:
    """The picture as SVG, rendered like every chart (`rapport.grafiek.spinnenweb_svg`: no network)."""
    from rapport.grafiek import spinnenweb_svg

    return spinnenweb_svg(netwerkbeeld(netwerk, rol_namen))


# ----------------------------------------------------------------- the table


def matrix(netwerk: Netwerk, rol_namen: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Median per van (rows) x naar (columns), as text: '1', '1,5', or '–' where there is
    none. Rows and columns are the rol names, in report order (`rapport.groepen.rol_volgorde`);
    the index is named 'Van \\ naar'."""
    rollen = _rollen(netwerk, rol_namen)
    namen = [_naam(r, rol_namen) for r in rollen]
    waarden = []
    for van in rollen:
        rij = []
        for naar in rollen:
            p = netwerk.paar(van, naar)
            rij.append(GEEN if p is None or p.achtergehouden or p.mediaan is None else score(p.mediaan))
        waarden.append(rij)
    return pd.DataFrame(waarden, index=pd.Index(namen, name="Van \\ naar"), columns=namen)


# ----------------------------------------------------------------- the words


def _paar_zin(p: Paar, rol_namen, ladder) -> str:
    return f"{_naam(p.van, rol_namen)} over {_naam(p.naar, rol_namen)}: {niveau_tekst(p.mediaan, ladder)}"


def samenvatting(netwerk: Netwerk, rol_namen: Mapping[str, str] | None = None,
                 ladder: Antwoordschaal | None = None) -> str:
    """A few plain Dutch (B1) sentences: strongest and weakest pair, every asymmetric pair,
    and how many pairs were withheld because the group was too small."""
    ladder = ladder or coordinatieladder()
    zinnen: list[str] = []
    getoond = sorted(netwerk.getoond, key=lambda p: (p.mediaan, p.van, p.naar))
    if not getoond:
        zinnen.append("Er is nog geen samenwerking om te tonen.")
    elif len(getoond) == 1:
        zinnen.append(f"Er is één paar met een niveau. {_paar_zin(getoond[0], rol_namen, ladder)}.")
    else:
        hoog, laag = getoond[-1].mediaan, getoond[0].mediaan
        sterk = [p for p in getoond if p.mediaan == hoog]
        zwak = [p for p in getoond if p.mediaan == laag]
        if hoog == laag:
            zinnen.append(f"Alle {len(getoond)} paren zeggen meestal {niveau_tekst(hoog, ladder)}.")
        else:
            zinnen.append(f"De samenwerking gaat het verst bij {_paren(sterk, rol_namen)}: "
                          f"meestal {niveau_tekst(hoog, ladder)}.")
            zinnen.append(f"Het minst ver gaat de samenwerking bij {_paren(zwak, rol_namen)}: "
                          f"meestal {niveau_tekst(laag, ladder)}.")
    if netwerk.wederkerigheid:
        zinnen.append(f"Bij {len(netwerk.wederkerigheid)} "
                      + ("paar" if len(netwerk.wederkerigheid) == 1 else "paren")
                      + " zien de partners het verschillend (2 niveaus of meer):")
        for w in netwerk.wederkerigheid:
            a, b = _naam(w.rol_a, rol_namen), _naam(w.rol_b, rol_namen)
            zinnen.append(f"{a} zegt over {b} meestal {niveau_tekst(w.a_naar_b, ladder)}; "
                          f"{b} zegt over {a} meestal {niveau_tekst(w.b_naar_a, ladder)}.")
    elif getoond:
        zinnen.append("Geen enkel paar verschilt 2 niveaus of meer tussen de twee richtingen.")
    weg = len(netwerk.achtergehouden)
    if weg:
        zinnen.append(f"{weg} {'paar is' if weg == 1 else 'paren zijn'} niet getoond, omdat minder dan "
                      f"{netwerk.drempel} deelnemers van die rol erover antwoordden.")
    return " ".join(zinnen)


def _paren(paren: Sequence[Paar], rol_namen) -> str:
    """'Onderwijs over Politie en Gemeente over Politie', or '14 paren' when there are many."""
    if len(paren) > MAX_NAMEN:
        return f"{len(paren)} paren"
    return _opsomming([f"{_naam(p.van, rol_namen)} over {_naam(p.naar, rol_namen)}" for p in paren])


def _opsomming(delen: Sequence[str]) -> str:
    return delen[0] if len(delen) == 1 else ", ".join(delen[:-1]) + " en " + delen[-1]


# ----------------------------------------------------------------- the table per pair


def paren_tabel(netwerk: Netwerk, rol_namen: Mapping[str, str] | None = None,
                ladder: Antwoordschaal | None = None) -> pd.DataFrame:
    """Every shown pair with its numbers, for a page or an appendix, all as Dutch text.

    Columns: Van, Naar, n, Mediaan, Middelste helft (Q1–Q3), Verdeling ('0: 1 · 1: 2 ·
    ... · weet niet: 1 · n.v.t.: 0'), Verschil met andere richting ('ja (≠)' or ''). Rows in
    report order of van, then naar. Withheld pairs are not rows (`samenvatting` counts them).
    """
    ladder = ladder or coordinatieladder()
    volgorde = {r: i for i, r in enumerate(_rollen(netwerk, rol_namen))}
    scheef = _scheef(netwerk)
    namen = {"weet_niet": "weet niet", "nvt": "n.v.t."}
    rijen = []
    for p in sorted((p for p in netwerk.paren if not p.achtergehouden),
                    key=lambda p: (volgorde.get(p.van, 0), volgorde.get(p.naar, 0))):
        rijen.append({
            "Van": _naam(p.van, rol_namen),
            "Naar": _naam(p.naar, rol_namen),
            "n": p.n,
            "Mediaan": GEEN if p.mediaan is None else niveau_tekst(p.mediaan, ladder).replace("‘", "").replace("’", ""),
            "Middelste helft (Q1–Q3)": GEEN if p.q1 is None else f"{score(p.q1)}–{score(p.q3)}",
            "Verdeling": " · ".join(f"{namen.get(w, w)}: {a}" for w, a in p.verdeling.items()),
            "Verschil met andere richting": "ja (≠)" if (p.van, p.naar) in scheef else "",
        })
    return pd.DataFrame(rijen, columns=["Van", "Naar", "n", "Mediaan", "Middelste helft (Q1–Q3)", "Verdeling",
                                        "Verschil met andere richting"])
