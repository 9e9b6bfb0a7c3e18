"""How pages show a bron and the historic terms of old sources (issue 12).

A bron is shown as `str(bron)`: publisher, title, year and section from the source
register (kader/bronnen.yaml), never the file name. A source from before the Jeugdwet
(2015) carries a visible marker, `Bron.historisch_label`. The explanations of the
historic terms (`register().begrippen`) are the instrument's own.
"""
from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from kader.bronnen import Begrip, register
from kader.model import Bron
from views.tekst import md

EIGEN_PLAATSING = ("De inspecties noemen deze verwachting in het algemeen; dat zij bij dit criterium staat, "
                   "is een keuze van dit instrument.")
EIGEN_UITLEG = "De uitleg bij deze begrippen is van dit instrument zelf; zij staat niet in de bronnen."


def bron_md(bron: Bron) -> str:
    """'Bron: JSO …, Ketenregie Jeugd … (2011), §3 · **historische bron (2011, vóór de Jeugdwet)**'
    as markdown (every supplied text escaped)."""
    tekst = f"Bron: {md(str(bron))}"
    if bron.historisch_label:
        tekst += f" · **{md(bron.historisch_label)}**"
    return tekst


def toon_begrippen(begrippen: Iterable[Begrip] | None = None, kop: str = "Begrippen uit oudere bronnen") -> None:
    """A glossary section: the given terms, or every term of the register."""
    lijst = tuple(register().begrippen if begrippen is None else begrippen)
    if not lijst:
        return
    st.header(kop, divider="gray")
    st.caption("Bronnen van vóór de Jeugdwet (2015) gebruiken woorden voor instanties en overleggen die "
               "nu anders heten of niet meer bestaan. " + EIGEN_UITLEG)
    st.markdown("\n".join(f"- **{md(b.term)}**: {md(b.uitleg)}" for b in lijst))
