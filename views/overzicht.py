"""Overzicht: the spider chart per kader for one ronde, with its data table."""
from __future__ import annotations

import streamlit as st

from views import context
from rapport.aggregatie import ALLE, aggregeer
from rapport.analyse import gespreksagenda
from rapport.workshop import anonimiseer
from toegang import mag
from rapport.grafiek import grafiek_tabel, spinnenweb_spec
from storage import repository as repo

st.title("Overzicht van de resultaten")
context.toon_kaderfouten()
eng = context.engine()
kaders = context.kaders()
rol_namen = context.rol_namen()



@st.cache_data(max_entries=128, show_spinner=False)
def _grafiek(agg, kader_id: str, rollen: tuple[str, ...], namen: tuple[tuple[str, str], ...]) -> dict:
    """Chart spec per aggregation state: reruns and other viewers skip Altair entirely."""
    return spinnenweb_spec(agg, kaders[kader_id], dict(namen), list(rollen))


rondes = context.zichtbare_rondes(repo.rondes(eng))
if not rondes:
    st.info("Er zijn nog geen rondes die u mag zien. Start de app met `make run` voor een demoronde, "
            "log in als medewerker, of importeer antwoorden via **Gegevens uitwisselen**.")
    st.stop()

ronde = st.selectbox("Gemeente en ronde", rondes, format_func=context.ronde_label)
if ronde.demo:
    st.info("**Demo** — fictieve gemeenten en verzonnen antwoorden, om het instrument te leren kennen.", icon=":material/science:")

antwoorden = repo.antwoorden_df(eng, ronde.id)
st.caption(f"{antwoorden['respondent'].nunique() if len(antwoorden) else 0} respondenten · "
           f"{len(antwoorden)} antwoorden · status: {ronde.status}")
kader_ids = [k for k in kaders if k in ronde.kader_versies]
if not kader_ids:
    st.warning("De kaders van deze ronde zijn niet geladen.")
    st.stop()

tabs = st.tabs([kaders[k].titel for k in kader_ids])
for tab, kader_id in zip(tabs, kader_ids):
    kader = kaders[kader_id]
    with tab:
        # rol groups below the anonymity threshold are merged before anything is shown
        groepsantwoorden, groepsnamen = anonimiseer(antwoorden, rol_namen)
        agg = aggregeer(groepsantwoorden, kader)
        aanwezig = [r for r in groepsnamen if r in set(agg["rol"])]
        gekozen = st.multiselect(
            "Rollen in de grafiek", aanwezig, default=[], format_func=lambda r: groepsnamen.get(r, r),
            key=f"rollen-{kader_id}", placeholder="Alleen alle respondenten samen; kies rollen om te vergelijken",
        )
        if ronde.kader_versies[kader_id] != kader.versie:
            st.warning(f"Deze ronde gebruikte versie {ronde.kader_versies[kader_id]} van dit kader; "
                       f"geladen is versie {kader.versie}.")
        links, rechts = st.columns([3, 2])
        with links:
            st.vega_lite_chart(_grafiek(agg, kader_id, tuple(gekozen), tuple(groepsnamen.items())),
                               use_container_width=False)
        with rechts:
            st.markdown("**Gegevens bij de grafiek** — gemiddelde score (1 = klopt niet, 4 = klopt helemaal)")
            st.dataframe(grafiek_tabel(agg, kader, rol_namen=groepsnamen, rollen=gekozen).map(context.getal))
            st.caption("Rollen met minder dan 3 deelnemers staan samen onder ‘Overige partners’.")
        toon_toelichtingen = ronde.demo or mag(context.huidige_gebruiker(), "toelichtingen_bekijken", ronde.gemeente)
        with st.expander("Gespreksagenda: waar verschillen de meningen het meest?", icon=":material/forum:"):
            st.caption("Onderdelen op volgorde van onenigheid: tussen rolgroepen (verschil in gemiddelde) en "
                       "binnen de groep (1 − eensgezindheid). Zie docs/analyse.md voor de berekening.")
            for punt in gespreksagenda(antwoorden, kader, rol_namen=rol_namen, aantal=5):
                st.markdown(f"**{punt['rang']}. {punt['kort']}** — gemiddelde {context.getal(float(punt['gemiddelde']))}, "
                            f"eensgezindheid {context.getal(float(punt['consensus']))}")
                if punt.get("hoogste_groep") and punt.get("laagste_groep"):
                    st.caption(f"Hoogst: {punt['hoogste_groep']} · laagst: {punt['laagste_groep']}")
                if toon_toelichtingen:
                    for t in punt["toelichtingen"][:6]:
                        st.text(f"{t['groep']} ({t['score']}): {t['tekst']}")  # plain text, never markup
        with st.expander("Alle cijfers per criterium en thema"):
            tabel = agg[agg["rol"] == ALLE][["niveau", "kort", "n", "gemiddelde", "mediaan", "minimum", "maximum", "weet_niet", "nvt"]]
            st.dataframe(
                tabel.rename(columns={"niveau": "Niveau", "kort": "Onderdeel", "n": "Aantal scores",
                                      "gemiddelde": "Gemiddelde", "mediaan": "Mediaan", "minimum": "Laagste",
                                      "maximum": "Hoogste", "weet_niet": "Weet niet", "nvt": "N.v.t."}),
                hide_index=True, column_config={"Gemiddelde": st.column_config.NumberColumn(format="%.2f")},
            )
