"""The second silent vote on the pages (not a page itself): the facilitator's part of the
workshop page, the projector's part and the participant's question on the questionnaire.

Storage: storage/tweede_stem.py (opening, closing, saving, the live count). The numbers:
rapport/tweede_stem.py (eensgezindheid, before and after, with the anonymity threshold).
While a second vote is open, no page shows a value of it: only how many voted.
"""
from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from rapport.beamer import verdeling_grafiek_beamer
from rapport.groepen import anonimiteitsdrempel
from rapport.tweede_stem import UITLEG, in_het_kort, tabel, verdeling_voor_na, verschuivingen
from rapport.workshop import verdeling_grafiek
from storage import repository as repo
from views import context
from views.tekst import md

VERVERSEN = "3s"  # the facilitator's live count
DEELNEMER_VERVERSEN = "5s"  # how soon a participant's phone notices an opened second vote
VRAAG = "Na het gesprek: hoe scoort u dit nu?"


def _labels(kader) -> dict[str, str]:
    return {str(p.waarde): f"{p.waarde} · {p.label}" for p in kader.schaal.punten} | {
        g.waarde: g.label for g in kader.schaal.geen_oordeel}


# ------------------------------------------------------------------ facilitator


def begeleider(eng, gebruiker, ronde, kader, crit, rol_namen) -> None:
    """The second vote on the criterium in focus: open it, follow the count, close it and
    show before and after. Call it after the reveal of ``crit`` on the workshop page."""
    st.subheader("Tweede stemronde", divider="gray")
    stand = repo.stand_tweede_stem(eng, ronde.id)
    hier = (stand.kader_id, stand.criterium_id) == (kader.id, crit.id)

    @context.bewaak_callback
    def _open() -> None:
        try:
            repo.open_tweede_stem(eng, ronde.id, door=gebruiker)
        except ValueError as e:
            st.session_state["tweede_stem_melding"] = str(e)

    @context.bewaak_callback
    def _sluit() -> None:
        repo.sluit_tweede_stem(eng, ronde.id, door=gebruiker)

    melding = st.session_state.pop("tweede_stem_melding", None)
    if melding:
        st.error(md(melding))
    if stand.open and hier:
        st.markdown("De tweede stemronde is open. Deelnemers zien op hun telefoon de vraag "
                    f"‘{VRAAG}’ U ziet alleen hoeveel mensen gestemd hebben, niet wat.")

        @st.fragment(run_every=VERVERSEN)
        @context.bewaak_fragment
        def _teller() -> None:
            nu = repo.stand_tweede_stem(eng, ronde.id)
            if not nu.open or (nu.kader_id, nu.criterium_id) != (kader.id, crit.id):
                st.rerun(scope="app")  # closed or moved on elsewhere (the projector's clicker, another tab)
            st.metric("Tweede stem gegeven", nu.aantal)

        _teller()
        st.button("Sluiten en tonen", type="primary", on_click=_sluit, key=f"tweede-sluit-{ronde.id}")
        return
    st.caption("Na het gesprek kan iedereen dit onderdeel nog één keer stil scoren. Zo ziet u of het "
               "gesprek iets heeft veranderd. De eerste stem blijft bewaard zoals hij was.")
    st.button("Tweede stemronde openen", on_click=_open, disabled=not ronde.is_open,
              key=f"tweede-open-{ronde.id}")
    if hier and stand.aantal:
        voor_na(eng, ronde, kader, crit, rol_namen)


def voor_na(eng, ronde, kader, crit, rol_namen, groot: bool = False) -> None:
    """First and second vote of one criterium side by side: chart, words and table
    (``groot``: the projector's large chart, one under the other)."""
    eerste = repo.antwoorden_df(eng, ronde.id)
    tweede = repo.tweede_stemmen_df(eng, ronde.id)
    consensus = repo.consensus_van(eng, ronde.id)
    gevonden = [v for v in verschuivingen(eerste, tweede, kader, consensus, rol_namen=rol_namen)
                if v.criterium_id == crit.id]
    if not gevonden:
        return
    v = gevonden[0]
    t = verdeling_voor_na(eerste, tweede, kader, crit.id, rol_namen=rol_namen)
    if v.achtergehouden or t is None:
        st.info(f"Voor en na worden niet getoond: minder dan {anonimiteitsdrempel()} deelnemers gaven "
                "bij een van de twee stemmen een score. Zo blijft niemand herkenbaar.")
        return
    zin = in_het_kort(v)
    alt = (f"Staafdiagram: eerste en tweede stem voor '{crit.kort}'. {zin} "
           f"Dezelfde cijfers staan in de tabel {'eronder' if groot else 'ernaast'}.")
    if groot:
        st.altair_chart(verdeling_grafiek_beamer(t, kader).properties(title="Eerste en tweede stem"),
                        theme=None, width="stretch", height="content", alt=alt)
        st.markdown(f"**Eensgezindheid {md(v.in_woorden())}.** {md(zin)}")
        st.table(t)
        st.caption(md(UITLEG))
        return
    links, rechts = st.columns([3, 2])
    links.altair_chart(verdeling_grafiek(t, kader).properties(title="Eerste en tweede stem"), theme=None,
                       width="stretch", height="content", alt=alt)
    links.markdown(f"**In het kort:** {md(zin)}")
    rechts.markdown("**Dezelfde cijfers als tabel**")
    rechts.dataframe(t)
    rechts.metric("Eensgezindheid", md(v.in_woorden()))
    if v.afgesproken:
        rechts.markdown(f"**Gezamenlijk oordeel:** {md(_labels(kader).get(v.afgesproken, v.afgesproken))}")
    st.caption(md(UITLEG))


def overzicht(eng, ronde, kaders, rol_namen) -> None:
    """The table 'Welke criteria verschoof het gesprek?' over every criterium with a second vote."""
    eerste = repo.antwoorden_df(eng, ronde.id)
    tweede = repo.tweede_stemmen_df(eng, ronde.id)
    if tweede.empty:
        return
    consensus = repo.consensus_van(eng, ronde.id)
    delen = []
    for kader_id in sorted(ronde.kader_versies):
        if kader_id in kaders:
            kader = kaders[kader_id]
            delen.append(tabel(verschuivingen(eerste, tweede, kader, consensus, rol_namen=rol_namen),
                               _labels(kader)))
    delen = [d for d in delen if not d.empty]
    if not delen:
        return
    st.subheader("Welke criteria verschoof het gesprek?", divider="gray")
    st.dataframe(pd.concat(delen, ignore_index=True), hide_index=True)
    st.caption(md(UITLEG) + " Verschoven = de eensgezindheid veranderde 0,1 of meer, of de mediaan "
               "veranderde (een regel van dit instrument). Dit laat zien wat er veranderde, niet waarom.")


# ------------------------------------------------------------------ projector


def beamer(eng, ronde, kader, crit, rol_namen) -> None:
    """On the projector (it refreshes itself): while open, the count; after, before and after."""
    stand = repo.stand_tweede_stem(eng, ronde.id)
    if (stand.kader_id, stand.criterium_id) != (kader.id, crit.id) or not (stand.open or stand.aantal):
        return
    st.subheader("Tweede stemronde", divider="gray", anchor=False)
    if stand.open:
        st.markdown(f"Kijk op uw telefoon: **{VRAAG}**")
        st.metric("Tweede stem gegeven", stand.aantal)
        return
    voor_na(eng, ronde, kader, crit, rol_namen, groot=True)


# ------------------------------------------------------------------ participant


def deelnemer(eng, resp, ronde, kader_per_id, stellingen) -> None:
    """The participant's question while a second vote is open on a criterium of their own
    vragenlijst: the same scale, saved at once, with a confirmation. Checks every few
    seconds; nothing is shown otherwise. ``stellingen``: (kader_id, criterium_id) ->
    the statement as the participant's vragenlijst words it."""

    @st.fragment(run_every=DEELNEMER_VERVERSEN)
    @context.bewaak_fragment
    def _vraag() -> None:
        stand = repo.stand_tweede_stem(eng, ronde.id)
        sleutel = (stand.kader_id, stand.criterium_id)
        if not stand.open or sleutel not in stellingen or stand.kader_id not in kader_per_id:
            return
        kader = kader_per_id[stand.kader_id]
        widget = f"tweede|{resp.id}|{stand.kader_id}|{stand.criterium_id}"
        if st.session_state.get("tweede_stem_gemeld") != sleutel:
            st.session_state["tweede_stem_gemeld"] = sleutel
            st.toast("Er is een tweede stemronde. U vindt de vraag bovenaan deze pagina.",
                     icon=":material/how_to_vote:")
            if widget not in st.session_state:
                st.session_state[widget] = repo.tweede_stem_van(eng, resp.id).get(sleutel)
        labels = {k: md(v) for k, v in _labels(kader).items()}
        opties = list(labels)
        with st.container(border=True):
            st.markdown(f"**Tweede stemronde · {VRAAG}**")
            st.markdown(md(stellingen[sleutel]))
            st.radio("Uw score na het gesprek", opties, index=None, horizontal=True, format_func=labels.get,
                     key=widget, on_change=_bewaar, args=(eng, resp.id, *sleutel, widget))
            status = st.session_state.get(f"{widget}|status")
            if status and status[0] == "fout":
                st.error(status[1], icon=":material/error:")
            elif status:
                st.caption(f"✓ {status[1]}")
            st.caption("Uw eerste antwoord blijft bewaard. Niemand ziet wat u kiest; alleen hoeveel mensen stemden.")

    _vraag()


@context.bewaak_callback
def _bewaar(eng, resp_id: int, kader_id: str, crit_id: str, widget: str) -> None:
    try:
        repo.bewaar_tweede_stem(eng, resp_id, kader_id, crit_id, st.session_state.get(widget))
    except ValueError as e:
        st.session_state[f"{widget}|status"] = ("fout", md(e))
    else:
        st.session_state[f"{widget}|status"] = ("ok", f"Uw tweede stem is opgeslagen om {datetime.now():%H:%M:%S}.")
