"""Kaders bekijken: every thema, criterium and indicator, with its bron.

Each item is shown under the headings of its kind (`kader.model.koppen`): only STJ
criteria under "Wanneer is het goed?" / "Waaraan kun je dat zien?". A bron is its
citation (never a file name), marked when it predates the Jeugdwet; the page ends with
the glossary of historic terms (views/bronnen.py).
"""
import streamlit as st

from kader.model import koppen
from views import context
from views.bronnen import EIGEN_PLAATSING, bron_md, toon_begrippen
from views.tekst import md, md_lijst

st.title("Kaders bekijken")
context.toon_kaderfouten()
kaders = context.kaders()
if not kaders:
    st.warning("Er zijn geen geldige kaders geladen.")
    st.stop()


def _verwachting(v) -> str:
    tekst = f"**Verwachting van de inspecties:** {md(v.tekst)}  \n*{bron_md(v.bron)}*"
    if v.eigen_plaatsing:
        tekst += f"  \n*{md(EIGEN_PLAATSING)}*"
    return tekst


kader = kaders[st.selectbox("Kader", list(kaders), format_func=lambda k: kaders[k].titel)]
st.caption(f"Versie {md(kader.versie)} · {md(kader.samenvatting().split(': ', 1)[1])} · {bron_md(kader.bron)}")
if kader.omschrijving:
    st.write(md(kader.omschrijving))
if kader.bron.historisch:
    st.info("Dit kader komt uit een bron van vóór de Jeugdwet (2015). Sommige woorden gaan over instanties "
            "of overleggen die nu anders heten of niet meer bestaan. Onderaan deze pagina staat wat ze betekenen.",
            icon=":material/history:")
for v in kader.verwachtingen:
    st.info(_verwachting(v))

for thema in kader.themas:
    st.header(md(thema.titel), divider="gray")
    for c in thema.criteria:
        kop = koppen(kader, c)
        with st.expander(md(c.kort), expanded=False):
            st.markdown(f"**{md(kop.item)}**")
            st.write(md(c.tekst))
            if c.indicatoren:
                st.markdown(f"**{md(kop.indicatoren)}**")
                st.markdown(md_lijst(i.tekst for i in c.indicatoren))
            if c.ratio:
                st.markdown("**Waarom is dit belangrijk?**")
                st.write(md(c.ratio))
            if c.operationalisering:
                st.markdown("**Operationalisering (Toegang 2015)**")
                st.write(md(c.operationalisering))
            for v in c.verwachtingen:
                st.markdown("> " + _verwachting(v).replace("  \n", "  \n> "))
            st.caption(f"id `{c.id}` · {bron_md(c.bron)}")  # ids are [a-z0-9-] (kader.loader)

toon_begrippen()
