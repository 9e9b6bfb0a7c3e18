"""Kaders bekijken: every thema, criterium and indicator, with its bron."""
import streamlit as st

from views import context

st.title("Kaders bekijken")
context.toon_kaderfouten()
kaders = context.kaders()
if not kaders:
    st.warning("Er zijn geen geldige kaders geladen.")
    st.stop()

kader = kaders[st.selectbox("Kader", list(kaders), format_func=lambda k: kaders[k].titel)]
st.caption(f"Versie {kader.versie} · {kader.samenvatting().split(': ', 1)[1]} · Bron: {kader.bron}")
if kader.omschrijving:
    st.write(kader.omschrijving)
for v in kader.verwachtingen:
    st.info(f"**Verwachting van de inspecties:** {v.tekst}\n\n*Bron: {v.bron}*")

for thema in kader.themas:
    st.header(thema.titel, divider="gray")
    for c in thema.criteria:
        with st.expander(f"{c.kort}", expanded=False):
            st.markdown("**Wanneer is het goed?**" if c.soort == "criterium" else f"**{c.soort.capitalize()}**")
            st.write(c.tekst)
            if c.indicatoren:
                st.markdown("**Waaraan kun je dat zien?**")
                st.markdown("\n".join(f"- {i.tekst}" for i in c.indicatoren))
            if c.ratio:
                st.markdown("**Waarom is dit belangrijk?**")
                st.write(c.ratio)
            if c.operationalisering:
                st.markdown("**Operationalisering (Toegang 2015)**")
                st.write(c.operationalisering)
            for v in c.verwachtingen:
                st.markdown(f"> **Verwachting van de inspecties:** {v.tekst}  \n> *Bron: {v.bron}*")
            st.caption(f"id `{c.id}` · Bron: {c.bron}")
