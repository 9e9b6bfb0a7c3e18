"""Voorbereiding inspectiebezoek (inspecteur): the self-assessment set against the kader.

Per item: the scores and the agreement, the kader text under the item's own headings
(`kader.model.koppen`), and flags with their reason. For every item what the sources
offer for the visit (`rapport.inspectie.bezoek`): the questions of source 004 Bijlage 3
verbatim, the methods of source 002 Kader 1 that fit, and documents to request; which
of them belong to an item is this instrument's own choice and is said so. All of it as a PDF ("Voorbereiding inspectiebezoek"),
made only when asked for and kept per ronde, kader and state of the answers.
"""
from __future__ import annotations

import streamlit as st

from diensten.inspectie import voorbereiding_invoer
from kader.model import koppen
from rapport.bestandsnaam import bestandsnaam
from rapport.inspectie import bezoek, vlaggen
from rapport.inspectiebezoek import maak_voorbereiding_pdf, vingerafdruk
from rapport.opmaak import getal as rapport_getal
from storage import repository as repo
from toegang import mag
from views import context
from views.tekst import md, md_lijst

gebruiker = context.vereis("inspectie_voorbereiden")
st.title("Voorbereiding inspectiebezoek")
context.toon_kaderfouten()
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
werkwijze = context.werkwijze()  # errors in its file are named by context.toon_kaderfouten
# the page and its PDF from the same inputs: a criterium (or a group's part of it) with too few
# answers enters no number (rapport.anonimiteit); the samenwerkingskaart when the ronde has one (issue 15)
invoer = voorbereiding_invoer(eng, ronde, kader, rol_namen=rol_namen, werkwijze=werkwijze)
antwoorden, consensus = invoer.antwoorden, invoer.consensus
tabel = vlaggen(antwoorden, kader, rol_namen=rol_namen).set_index("id")

st.write(
    "Per criterium ziet u de zelfbeoordeling naast wat het kader verwacht. Een **signaal** betekent: "
    "hier is het goed om door te vragen. Het is geen oordeel."
)
st.metric("Criteria met een signaal", f"{int((tabel['aantal_vlaggen'] > 0).sum())} van {len(tabel)}")

# --- pdf: made on request (it takes a few seconds), kept while the answers stay the same ---
pdf_sleutel = (ronde.id, kader.id, vingerafdruk(antwoorden, consensus),
               None if invoer.samenwerking is None else vingerafdruk(invoer.samenwerking))
klaar = st.session_state.get("inspectiebezoek")
if not (klaar and klaar[0] == pdf_sleutel):
    plek = st.empty()
    if plek.button("Maak de voorbereiding (PDF)", type="primary"):
        with st.spinner("PDF maken…"):
            pdf = maak_voorbereiding_pdf(invoer)
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
        kop = koppen(kader, crit)
        st.markdown(f"**{kop.item}** {md(crit.tekst)}")
        if crit.indicatoren:
            st.markdown(f"**{kop.indicatoren}**\n" + md_lijst(i.tekst for i in crit.indicatoren))
        if crit.ratio:
            st.markdown(f"**Waarom is dit belangrijk?** {md(crit.ratio)}")
        voor = bezoek(werkwijze, kader, crit)
        st.markdown("**Voor het bezoek**")
        if voor["uitleg"]:
            st.caption(md(voor["uitleg"]))
        for groep in voor["vraaggroepen"]:
            st.markdown(f"*Vragen uit de bron: {md(groep['onderwerp'])}*\n" + md_lijst(groep["vragen"]))
            st.caption(f"Bron: {md(groep['bron'])}" + (f" · {md(groep['historisch'])}" if groep["historisch"] else ""))
        if voor["geen_vragen"]:
            st.caption(md(voor["geen_vragen"]))
        if voor["documenten"]:
            st.markdown("*Op te vragen documenten*\n" + md_lijst(
                f"{d['document'].capitalize()} ({d['methode'].lower()}"
                + (f", bij {' en '.join(d['partijen'])})" if d["partijen"] else ")")
                for d in voor["documenten"]))
        if voor["methoden"]:
            st.markdown("*Methoden van de inspecties*\n" + md_lijst(
                f"{m['naam']}" + (f" (past bij {' en '.join(m['partijen'])})" if m["partijen"] else "")
                + f": ‘{m['tekst']}’" for m in voor["methoden"]))
            st.caption(f"Bron: {md('; '.join(voor['methoden_bronnen']))}")
