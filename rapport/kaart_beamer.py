"""The samenwerkingskaart on a projector: the network picture of `rapport.netwerkbeeld`,
enlarged as a whole so it can be read from the back of a room.

`netwerkbeeld_beamer` gives a Vega-Lite spec (a dict) in which every size of the page
picture is multiplied by one factor: the chart's width and height, its padding, the font
sizes, the point sizes (by the factor squared: a point's size is its area), the line
widths (also those in the data: the thickness of an arrow is its level) and the dashes.
Positions are in chart units, so the layout stays the same. No Streamlit.
"""
from __future__ import annotations

from collections.abc import Mapping

from rapport.netwerk import Netwerk
from rapport.netwerkbeeld import netwerkbeeld

FACTOR = 2.0
"""The page picture is 520 px wide; twice that still fits a 1366 px projector."""

_LENGTES = {"fontSize", "subtitleFontSize", "titleFontSize", "labelFontSize", "strokeWidth", "width", "height"}
_GEGEVENS_DIKTE = "dikte"  # the data field that holds an arrow's line width


def _schaal(waarde, factor: float, sleutel: str | None = None):
    if isinstance(waarde, dict):
        return {k: _schaal(v, factor, k) for k, v in waarde.items()}
    if isinstance(waarde, list):
        return [_schaal(v, factor, sleutel) for v in waarde]
    if isinstance(waarde, bool) or not isinstance(waarde, (int, float)):
        return waarde
    if sleutel in _LENGTES or sleutel in ("left", "right", "top", "bottom"):
        return waarde * factor
    if sleutel == "size":
        return waarde * factor * factor
    return waarde


def netwerkbeeld_beamer(netwerk: Netwerk, rol_namen: Mapping[str, str] | None = None,
                        factor: float = FACTOR) -> dict:
    """The network picture as a Vega-Lite dict, every size times ``factor`` (module doc)."""
    spec = netwerkbeeld(netwerk, rol_namen).to_dict()
    datasets = spec.pop("datasets", {})
    spec = _schaal(spec, factor)
    # dashes of the asymmetric arrows: [[1, 0], [7, 4]] in the strokeDash scale
    for laag in spec.get("layer", []):
        streep = laag.get("encoding", {}).get("strokeDash", {}).get("scale", {})
        if "range" in streep:
            streep["range"] = [[d * factor for d in r] for r in streep["range"]]
    spec["datasets"] = {naam: [{**rij, _GEGEVENS_DIKTE: rij[_GEGEVENS_DIKTE] * factor}
                               if _GEGEVENS_DIKTE in rij else rij for rij in rijen]
                        for naam, rijen in datasets.items()}
    spec["autosize"] = {"type": "pad", "contains": "padding"}
    spec["padding"] = {"left": 40 * factor, "right": 40 * factor, "top": 5, "bottom": 5}
    return spec
