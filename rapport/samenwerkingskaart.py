"""The samenwerkingskaart section of the PDFs (verbeterplan and voorbereiding
inspectiebezoek): one context builder and one template include
(``templates/samenwerkingskaart.html.j2``, with its own stylesheet), so both PDFs show
the same picture, summary and matrix.

What the section shows, from a samenwerking DataFrame (``uitwisselformaat.samenwerking``)
of one gemeente and ronde: the network picture (`rapport.netwerkbeeld.netwerkbeeld`) with
the text summary as its alternative text, the summary printed beside it, the matrix of
medians, the ladder's levels with their bron (source 003, after Mehlkopf 2008) and the
note that the question is the instrument's own.

Consistent with the other optional parts of the reports: no samenwerking passed (None)
leaves the section out; a frame without rows for this gemeente and ronde gives a short
section that says no samenwerkingskaart was filled in. Toelichtingen are never printed:
they are one respondent's words about one partner.
"""
from __future__ import annotations

from collections.abc import Mapping
from importlib import resources

import pandas as pd
from markupsafe import Markup

from rapport.groepen import anonimiteitsdrempel
from rapport.netwerk import analyseer
from rapport.netwerkbeeld import coordinatieladder, matrix, netwerkbeeld_svg, samenvatting
from rapport.pdf import svg_markup

CONTEXT_SLEUTEL = "samenwerkingskaart"
"""The name of the section's context in both templates."""

VRAAG = "Met wie werkt u samen rond een gezin, en hoe ver gaat dat meestal?"
"""The question of the samenwerkingskaart (the instrument's own, issue 15)."""


def _stijl() -> Markup:
    return Markup(resources.files("rapport").joinpath("templates", "samenwerkingskaart.css").read_text("utf-8"))


def samenwerkingskaart_context(samenwerking: pd.DataFrame | None, gemeente: str, ronde: str,
                               rol_namen: Mapping[str, str] | None = None,
                               drempel: int | None = None) -> dict | None:
    """What ``samenwerkingskaart.html.j2`` shows, or None to leave the section out.

    ``samenwerking``: the samenwerking DataFrame (any gemeenten and rondes: filtered here
    to ``gemeente`` and the label ``ronde``); ``drempel``: the anonymity threshold
    (`rapport.groepen.anonimiteitsdrempel`), applied per answering group (`rapport.netwerk`).
    """
    if samenwerking is None:
        return None
    ladder = coordinatieladder()
    basis = {
        "css": _stijl(),
        "vraag": VRAAG,
        "ladder": [{"waarde": p.waarde, "label": p.label} for p in ladder.punten],
        "bron": str(ladder.bron),
        "historisch": ladder.bron.historisch_label if ladder.bron else "",
    }
    df = samenwerking
    if len(df):
        df = df.loc[(df["gemeente"].astype(str) == str(gemeente)) & (df["ronde"].astype(str) == str(ronde))]
    if df.empty:
        return basis | {"leeg": True}
    netwerk = analyseer(df, anonimiteitsdrempel(drempel))
    namen = dict(rol_namen or {})
    zin = samenvatting(netwerk, namen, ladder)
    tabel = matrix(netwerk, namen)
    return basis | {
        "leeg": False,
        "svg": svg_markup(netwerkbeeld_svg(netwerk, namen), "Samenwerkingskaart"),
        "samenvatting": zin,
        "alt": f"Samenwerkingskaart: pijlen tussen de rollen. {zin}",
        "kolommen": list(tabel.columns),
        "rijen": [(van, list(rij)) for van, rij in zip(tabel.index, tabel.to_numpy().tolist())],
        "respondenten": int(df["respondent"].nunique()),
        "drempel": netwerk.drempel,
        "achtergehouden": len(netwerk.achtergehouden),
    }
