"""Kaders bekijken: every thema, criterium and indicator, with its bron."""
import streamlit as st

from views import context
from views.tekst import md, md_lijst

st.title("Kaders bekijken")
context.toon_kaderfouten()
kaders = context.kaders()
if not kaders:
    st.warning("Er zijn geen geldige kaders geladen.")
    st.stop()

kader = kaders[st.selectbox("Kader", list(kaders), format_func=lambda k: kaders[k].titel)]
st.caption(f"Versie {md(kader.versie)} · {md(kader.samenvatting().split(': ', 1)[1])} · Bron: {md(kader.bron)}")
if kader.omschrijving:
    st.write(md(kader.omschrijving))
for v in kader.verwachtingen:
    st.info(f"**Verwachting van de inspecties:** {md(v.tekst)}\n\n*Bron: {md(v.bron)}*")

for thema in kader.themas:
    st.header(md(thema.titel), divider="gray")
    for c in thema.criteria:
        with st.expander(md(c.kort), expanded=False):
            st.markdown("**Wanneer is het goed?**" if c.soort == "criterium" else f"**{md(c.soort.capitalize())}**")
            st.write(md(c.tekst))
            if c.indicatoren:
                st.markdown("**Waaraan kun je dat zien?**")
                st.markdown(md_lijst(i.tekst for i in c.indicatoren))
            if c.ratio:
                st.markdown("**Waarom is dit belangrijk?**")
                st.write(md(c.ratio))
            if c.operationalisering:
                st.markdown("**Operationalisering (Toegang 2015)**")
                st.write(md(c.operationalisering))
            for v in c.verwachtingen:
                st.markdown(f"> **Verwachting van de inspecties:** {md(v.tekst)}  \n> *Bron: {md(v.bron)}*")
            st.caption(f"id `{c.id}` · Bron: {md(c.bron)}")  # ids are [a-z0-9-] (kader.loader)
