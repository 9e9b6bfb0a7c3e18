"""Voorbereiding inspectiebezoek (inspecteur): the self-assessment set against the kader.

Per criterium: the scores and the agreement, the kader's indicatoren and ratio, and
flags with their reason. For flagged criteria, suggested interview questions and
documents to request (suggestions of this instrument, following the inspecties'
methods in source 002, Kader 1). All of it as a PDF ("Voorbereiding inspectiebezoek"),
made only when asked for and kept per ronde, kader and state of the answers.
"""
from __future__ import annotations

import streamlit as st

from rapport.anonimiteit import onderdruk
from rapport.bestandsnaam import bestandsnaam
from rapport.inspectie import vlaggen, voorbereiding
from rapport.inspectiebezoek import VoorbereidingInvoer, maak_voorbereiding_pdf, vingerafdruk
from rapport.opmaak import getal as rapport_getal
from storage import repository as repo
from toegang import mag
from views import context
from views.tekst import md, md_lijst

gebruiker = context.vereis("inspectie_voorbereiden")
st.title("Voorbereiding inspectiebezoek")
eng = context.engine()
kaders = context.kaders()
rol_namen = context.rol_namen()

rondes = [r for r in repo.rondes(eng) if mag(gebruiker, "inspectie_voorbereiden", r.gemeente, r.demo)]
if not rondes:
    st.info("Er zijn geen rondes van gemeenten in uw bereik.")
    st.stop()
ronde = context.kies_ronde(rondes)
if ronde.demo:
    st.info("Demo: fictieve gemeente en verzonnen antwoorden.", icon=":material/science:")
kader_ids = [k for k in kaders if k in ronde.kader_versies]
kader = kaders[st.selectbox("Kader", kader_ids, format_func=lambda k: kaders[k].titel)]
# a criterium (or a group's part of it) with too few answers enters no number (rapport.anonimiteit)
antwoorden = onderdruk(repo.antwoorden_df(eng, ronde.id), rol_namen=rol_namen)
consensus = repo.consensus_van(eng, ronde.id)
tabel = vlaggen(antwoorden, kader, rol_namen=rol_namen).set_index("id")
suggesties = {v["id"]: v for v in voorbereiding(antwoorden, kader, rol_namen=rol_namen)}

st.write(
    "Per criterium ziet u de zelfbeoordeling naast wat het kader verwacht. Een **signaal** betekent: "
    "hier is het goed om door te vragen. Het is geen oordeel."
)
st.metric("Criteria met een signaal", f"{int((tabel['aantal_vlaggen'] > 0).sum())} van {len(tabel)}")

# --- pdf: made on request (it takes a few seconds), kept while the answers stay the same ---
pdf_sleutel = (ronde.id, kader.id, vingerafdruk(antwoorden, consensus))
klaar = st.session_state.get("inspectiebezoek")
if not (klaar and klaar[0] == pdf_sleutel):
    plek = st.empty()
    if plek.button("Maak de voorbereiding (PDF)", type="primary"):
        with st.spinner("PDF maken…"):
            pdf = maak_voorbereiding_pdf(VoorbereidingInvoer(antwoorden, kader, ronde.gemeente, ronde.label,
                                                             rol_namen=rol_namen, consensus=consensus))
        st.session_state["inspectiebezoek"] = klaar = (pdf_sleutel, pdf)
        plek.empty()  # the download button takes its place
if klaar and klaar[0] == pdf_sleutel:
    st.download_button("Download de voorbereiding (PDF)", klaar[1],
                       file_name=bestandsnaam("voorbereiding-inspectiebezoek", ronde.gemeente, ronde.label,
                                              kader.id, extensie="pdf"),
                       mime="application/pdf", on_click="ignore", icon=":material/download:")

for crit in kader.criteria:
    rij = tabel.loc[crit.id] if crit.id in tabel.index else None
    signalen = [(naam, rij[f"{sleutel}_uitleg"]) for sleutel, naam in (
        ("dunne_onderbouwing", "Hoog gescoord, dunne onderbouwing"),
        ("grote_onenigheid", "Grote onenigheid"),
        ("veel_weet_niet", "Veel ‘weet niet’")) if rij is not None and bool(rij[sleutel])]
    kop = f"{'⚑ ' if signalen else ''}{md(crit.kort)}"
    with st.expander(kop, expanded=bool(signalen)):
        links, midden, rechts = st.columns(3)
        links.metric(f"Gemiddelde ({md(kader.schaal.bereik())})",
                     context.getal(float(rij["gemiddelde"]) if rij is not None else None))
        midden.metric("Eensgezindheid (0–1)",
                      rapport_getal(float(rij["consensus"]) if rij is not None else None, decimalen=2))
        vastgelegd = consensus.get((kader.id, crit.id))
        rechts.metric("Gezamenlijk oordeel", md(vastgelegd[0]) if vastgelegd else "–")  # a value reads markdown too
        for naam, uitleg in signalen:
            st.warning(f"**{naam}.** {md(uitleg)}", icon=":material/flag:")
        if not signalen:
            st.caption("Geen signalen bij dit criterium.")
        st.markdown(f"**Wanneer is het goed?** {md(crit.tekst)}")
        if crit.indicatoren:
            st.markdown("**Waaraan kun je dat zien?**\n" + md_lijst(i.tekst for i in crit.indicatoren))
        if crit.ratio:
            st.markdown(f"**Waarom is dit belangrijk?** {md(crit.ratio)}")
        voorstel = suggesties.get(crit.id)
        if voorstel:
            st.markdown("**Suggesties voor het bezoek** *(suggesties van dit instrument)*")
            for s in voorstel.get("suggesties", []):
                st.markdown(f"- *{md(s.get('methode', ''))}* — {md(s.get('tekst', ''))}")
            st.caption(f"Methoden volgens {md(voorstel.get('bron', '002_7cda73b5febe7485.txt, Kader 1 Werkwijze'))}")
