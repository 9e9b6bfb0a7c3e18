"""Workshop (projector view): stil scoren -> onthullen per criterium -> consensus.

Participants answer on their own device and never see each other's answers.
The facilitator reveals one criterium at a time: the distribution per rol group
(small groups merged) and the toelichtingen without names; then the group
records an agreed score and its motivation. Individual answers stay as they are.

``?weergave=beamer`` shows the projector view instead (views/beamer.py): large text, no
sidebar, following the fase and criterium this page sets, from a second tab or device.
"""
from __future__ import annotations

import streamlit as st

from kader.model import koppen
from rapport import samenvatting
from rapport.anonimiteit import TE_WEINIG, onderdruk
from rapport.groepen import anonimiteitsdrempel, rolgroepen, samengevoegd_uitleg
from rapport.inspectie import bezoek
from rapport.workshop import te_weinig, toelichtingen, verdeling, verdeling_grafiek
from storage import repository as repo
from toegang import mag
from uitwisselformaat import schone_tekst
from views import beamer, context, samenwerkingskaart, tweede_stem
from views.tekst import md, md_lijst

FASEN = {"stil_scoren": "1 · Stil scoren", "onthullen": "2 · Onthullen", "consensus": "3 · Consensus"}

gebruiker = context.vereis("workshop")
eng = context.engine()
kaders = context.kaders()
rol_namen = context.rol_namen()

rondes = [r for r in repo.rondes(eng) if mag(gebruiker, "workshop", r.gemeente, r.demo)]
if not rondes:
    st.title("Workshop")
    st.info("Er is nog geen ronde. Open er een via **Rondes beheren**.")
    st.stop()
if beamer.gevraagd():
    beamer.toon(eng, gebruiker, beamer.kies(rondes).id, kaders, rol_namen)
    st.stop()
ronde = context.kies_ronde(rondes)
st.title(f"Workshop · {md(ronde.gemeente)} · {md(ronde.label)}")
st.link_button("Open de beamerweergave", beamer.link(ronde.id), icon=":material/tv:",
               help="Opent deze workshop groot, zonder menu, voor de beamer. Die volgt wat u hier kiest.")

criteria = [(k, c) for k in kaders if k in ronde.kader_versies for c in kaders[k].criteria]
if not criteria:
    st.warning("De kaders van deze ronde zijn niet geladen.")
    st.stop()
sleutels = [(k, c.id) for k, c in criteria]
huidig = (ronde.huidig_kader, ronde.huidig_criterium)
index = sleutels.index(huidig) if huidig in sleutels else 0

# A stable key, so the picker keeps the keyboard focus after a choice; when the fase changed
# elsewhere (the projector, another tab) the picker is set to it before it is drawn.
fase_sleutel = f"fase-{ronde.id}"
if st.session_state.get(f"{fase_sleutel}-getoond") != ronde.fase:
    st.session_state[fase_sleutel] = st.session_state[f"{fase_sleutel}-getoond"] = ronde.fase
fase = st.segmented_control("Fase", list(FASEN), format_func=FASEN.get, key=fase_sleutel)
if fase and fase != ronde.fase:
    repo.zet_fase(eng, ronde.id, fase, *sleutels[index], door=gebruiker)
    st.session_state[f"{fase_sleutel}-getoond"] = fase
    st.rerun()


@context.bewaak_callback
def _stap(stap: int) -> None:
    """One criterium on from where the ronde is now: the projector's clicker may have moved it."""
    nu = repo.ronde(eng, ronde.id) or ronde
    hier = (nu.huidig_kader, nu.huidig_criterium)
    nieuw = min(max((sleutels.index(hier) if hier in sleutels else 0) + stap, 0), len(sleutels) - 1)
    repo.zet_fase(eng, ronde.id, nu.fase, *sleutels[nieuw], door=gebruiker)


if ronde.fase == "stil_scoren":
    st.markdown("### Iedereen vult nu zelf de vragenlijst in\nU ziet alleen hoeveel mensen meedoen, niet wat ze antwoorden.")

    @st.fragment(run_every="5s")
    @context.bewaak_fragment
    def _voortgang() -> None:
        aantallen = repo.aantallen_per_rol(eng, ronde.id)
        per_criterium = repo.voortgang_per_criterium(eng, ronde.id)
        links, rechts = st.columns(2)
        links.metric("Deelnemers gestart", sum(g for g, _ in aantallen.values()))
        rechts.metric("Deelnemers met antwoorden", sum(m for _, m in aantallen.values()))
        st.dataframe(
            [{"Onderdeel": c.kort, "Kader": kaders[k].titel, "Aantal antwoorden": per_criterium.get((k, c.id), 0)}
             for k, c in criteria], hide_index=True)

    _voortgang()
    st.stop()

# --- the samenwerkingskaart as a step the facilitator reveals (views/samenwerkingskaart.py):
# while it is in focus, this page and the projector show the kaart instead of the criterium
if samenwerkingskaart.workshop_knop(eng, gebruiker, ronde):
    samenwerkingskaart.workshop(eng, ronde, rol_namen)
    st.stop()

# --- onthullen / consensus: one criterium at a time ----------------------------------
vorige, midden, volgende = st.columns([1, 4, 1])
vorige.button("← Vorige", disabled=index == 0, on_click=_stap, args=(-1,), use_container_width=True)
volgende.button("Volgende →", disabled=index == len(sleutels) - 1, on_click=_stap, args=(1,),
                use_container_width=True)
midden.markdown(f"**Onderdeel {index + 1} van {len(sleutels)}**")
kader_id, crit = criteria[index]
kader = kaders[kader_id]
st.header(md(crit.kort))
kop = koppen(kader, crit)  # STJ questions only above STJ criteria
st.markdown(f"*{md(kop.item)}* {md(crit.tekst)}")
if crit.indicatoren:
    with st.expander(kop.indicatoren):
        st.markdown(md_lijst(i.tekst for i in crit.indicatoren))
# questions from the sources (004 Bijlage 3) for the conversation; their placement is the instrument's own
gesprek = bezoek(context.werkwijze(), kader, crit)
if gesprek["vraaggroepen"]:
    with st.expander("Gespreksvragen uit de bronnen"):
        st.caption(md(gesprek["uitleg"]))
        for groep in gesprek["vraaggroepen"]:
            st.markdown(md_lijst(groep["vragen"]))
            st.caption(f"Bron: {md(groep['bron'])}" + (f" · {md(groep['historisch'])}" if groep["historisch"] else ""))

# too few answers to a criterium (or to a group's part of it): nothing of it is shown
antwoorden = onderdruk(repo.antwoorden_df(eng, ronde.id), rol_namen=rol_namen)
groepen = rolgroepen(antwoorden, rol_namen)
if te_weinig(antwoorden, kader, crit.id):
    st.info(f"{TE_WEINIG}. Minder dan {anonimiteitsdrempel()} deelnemers gaven hier antwoord; "
            "zo blijft niemand herkenbaar.")
else:
    tabel = verdeling(antwoorden, kader, crit.id, groepen)
    links, rechts = st.columns([3, 2])
    zin = samenvatting.verdeling(tabel)  # the chart in words, beside it and as its text alternative
    # theme=None: Streamlit's theme squashes the plot height of a horizontal bar chart
    links.altair_chart(verdeling_grafiek(tabel, kader), theme=None, width="stretch", height="content",
                       alt=f"Staafdiagram: verdeling van de antwoorden per groep voor '{crit.kort}'. {zin} "
                           "Dezelfde cijfers staan in de tabel ernaast.")
    links.markdown(f"**In het kort:** {md(zin)}")
    rechts.markdown("**Dezelfde cijfers als tabel**")
    rechts.dataframe(tabel)
    st.caption(f"{samengevoegd_uitleg()}, zodat niemand herkenbaar is.")

    lijst = toelichtingen(antwoorden, kader, crit.id, groepen)
    with st.expander(f"Toelichtingen ({len(lijst)})", expanded=True):
        for t in lijst:
            st.markdown(f"**{md(t['groep'])}** · {md(t['score'])}")
            st.text(t["tekst"])  # plain text: participants' words are never rendered as markdown or HTML

# --- second silent vote on this criterium, after its reveal (views/tweede_stem.py) -----
tweede_stem.begeleider(eng, gebruiker, ronde, kader, crit, rol_namen)

if ronde.fase == "consensus":
    st.subheader("Gezamenlijk oordeel", divider="gray")
    bestaand = repo.consensus_van(eng, ronde.id).get((kader_id, crit.id))
    opties = [str(p.waarde) for p in kader.schaal.punten] + [g.waarde for g in kader.schaal.geen_oordeel]
    # radio options read markdown: scale labels come from a YAML file
    labels = {str(p.waarde): md(f"{p.waarde} · {p.label}") for p in kader.schaal.punten} | {
        g.waarde: md(g.label) for g in kader.schaal.geen_oordeel}
    with st.form(f"consensus-{ronde.id}-{kader_id}-{crit.id}"):
        score = st.radio("Waar komt de groep samen op uit?", opties, horizontal=True, format_func=labels.get,
                         index=opties.index(bestaand[0]) if bestaand else None)
        motivatie = st.text_area("Motivatie van de groep", value=bestaand[1] if bestaand else "", max_chars=4000,
                                 placeholder="Waarom komt de groep hierop uit? Noem geen namen of details over gezinnen.")
        if st.form_submit_button("Leg het gezamenlijk oordeel vast", type="primary"):
            if score is None:
                st.error("Kies eerst een score.")
            else:
                try:
                    repo.bewaar_consensus(eng, ronde.id, kader_id, crit.id, score, schone_tekst(motivatie, 4000), door=gebruiker)
                    st.success("Vastgelegd.")
                except ValueError as e:
                    st.error(md(e))
    if bestaand:
        st.caption(f"Eerder vastgelegd: {labels.get(bestaand[0], md(bestaand[0]))}")

# --- which criteria the discussion moved (second vote; views/tweede_stem.py) ----------
tweede_stem.overzicht(eng, ronde, kaders, rol_namen)
