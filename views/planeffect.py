"""The section "Heeft het plan van de vorige ronde iets veranderd?" on the verbeterplan page.

Only renders; the numbers and words come from `rapport.planeffect` (the same as in the PDF).
"""
from __future__ import annotations

import streamlit as st

from rapport import planeffect
from views.tekst import md, md_lijst


def toon(effect: planeffect.Planeffect) -> None:
    """A small table with the text beside it; a short line when there is nothing to compare."""
    st.subheader("Heeft het plan van de vorige ronde iets veranderd?")
    tekst = planeffect.tekst(effect)
    if not effect.groepen:
        st.write(md(effect.melding))
        for zin in tekst["weggelaten"]:
            st.caption(md(zin))
        return
    st.markdown(md(tekst["inleiding"]))
    st.markdown(f"**{md(tekst['voorzichtig'])}**")
    # the criteria's names go in the list below, where a narrow screen can read them
    st.dataframe([{k: v for k, v in rij.items() if k != "Welke onderdelen"} for rij in planeffect.tabel(effect)],
                 hide_index=True)
    per_groep = [f"{zin} Onderdelen: {', '.join(g.criteria)}." for g, zin in zip(effect.groepen, tekst["groepen"])]
    st.markdown(md_lijst([*per_groep, *tekst["weggelaten"]]))
    st.caption(f"Verandering = de gemiddelde score van alle deelnemers in deze ronde min die in de vorige ronde, "
               f"per onderdeel; daarna het gemiddelde per groep. {md(tekst['gestopt'])} Heeft een onderdeel meer "
               "acties, dan telt de actie die het verst is. Deze groepen zijn een keuze van dit instrument.")
