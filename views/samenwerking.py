"""The samenwerkingskaart part of the questionnaire (issue 15): when the facilitator has
switched it on for the ronde, the participant says per partner rol how far their
cooperation around a family usually goes, on the coördinatieladder (source 003, after
Mehlkopf 2008), with an optional toelichting.

The part is optional: it does not count in the progress bar and does not block the
thank-you. Like the statements, each partner is an ``st.fragment`` and every choice is
saved the moment it is given (``repo.bewaar_samenwerking``). A row needs a niveau, so a
toelichting typed before a niveau is chosen waits in this session and is saved with it.
"""
from __future__ import annotations

from datetime import datetime

import streamlit as st

from storage import repository as repo
from storage.db import DATABASEFOUTEN, is_onbereikbaar, is_tijdelijke_fout
from uitwisselformaat import MAX_TOELICHTING, schone_tekst
from uitwisselformaat.samenwerking import LADDER, NIVEAUS
from views import context
from views.bronnen import bron_md
from views.tekst import md

VRAAG = "Met wie werkt u samen rond een gezin, en hoe ver gaat dat meestal?"
SCHAAL_ID = "coordinatieladder"


def _sleutel(soort: str, resp_id: int, partner: str) -> str:
    return f"samenwerking-{soort}|{resp_id}|{partner}"


def _bewaar(eng, resp_id: int, partner: str) -> None:
    niveau = st.session_state.get(_sleutel("niveau", resp_id, partner))
    toelichting = schone_tekst(st.session_state.get(_sleutel("toel", resp_id, partner)) or "", MAX_TOELICHTING)
    status = _sleutel("status", resp_id, partner)
    if niveau is None:
        if toelichting.strip():
            st.session_state[status] = ("wacht", "Kies eerst hoe ver de samenwerking gaat; dan slaan we uw "
                                                 "toelichting ook op.")
        return
    try:
        repo.bewaar_samenwerking(eng, resp_id, partner, niveau, toelichting)
    except ValueError as e:
        st.session_state[status] = ("fout", md(e))
    except DATABASEFOUTEN as exc:  # only an outage or a lock that outlasted its retries waits; the rest surfaces
        if not (is_onbereikbaar(exc) or is_tijdelijke_fout(exc)):
            raise
        st.session_state[status] = ("opnieuw", "Nog niet opgeslagen: de database is even niet bereikbaar. "
                                               "We proberen het opnieuw bij uw volgende klik.")
    else:
        st.session_state[status] = ("ok", f"Opgeslagen om {datetime.now():%H:%M:%S}")


def _volgorde(partners: tuple[str, ...], rollen_volgorde: list[str]) -> list[str]:
    plaats = {rol: i for i, rol in enumerate(rollen_volgorde)}
    return sorted(partners, key=lambda r: (plaats.get(r, len(plaats)), r))


def toon_samenwerking(eng, resp, ronde, rol_namen: dict[str, str], hint: str) -> None:
    """The samenwerkingskaart part for respondent ``resp`` in ``ronde``; nothing when it is
    off for the ronde or the database cannot be reached. ``hint``: the placeholder of the
    toelichting (the questionnaire's own: no names, no details about families)."""
    try:
        if not repo.samenwerkingskaart_aan(eng, ronde.id):
            return
        partners = _volgorde(repo.partner_rollen(eng, ronde.id, resp.rol), list(rol_namen))
        bestaand = repo.samenwerking_van(eng, resp.id)
    except DATABASEFOUTEN as exc:
        if not is_onbereikbaar(exc):
            raise
        return  # the page already says the database is away; the optional part waits
    schaal = context.kader_resultaat().schalen.get(SCHAAL_ID)
    if schaal is None or not partners:
        return
    labels = {str(p.waarde): md(f"{p.waarde} · {p.label}") for p in schaal.punten} | {
        g.waarde: md(g.label) for g in schaal.geen_oordeel}
    opties = [w for w in NIVEAUS if w in labels]

    st.header("Samenwerking rond een gezin (niet verplicht)", divider="gray")
    st.markdown(f"**{VRAAG}**")
    st.caption("Geef per partner aan hoe ver uw samenwerking rond een gezin meestal gaat, van "
               f"{LADDER[0]} (u weet van elkaar dat u er bent) tot {LADDER[-1]} (samen met het gezin één plan, "
               "met een gezinscoach). Werkt u niet met een partner samen, kies dan ‘Niet van toepassing’. "
               "Dit deel is niet verplicht.")
    if schaal.bron is not None:
        st.caption(f"De niveaus komen uit de coördinatieladder. {bron_md(schaal.bron)}. "
                   "‘Weet niet’ en ‘Niet van toepassing’ zijn van dit instrument zelf.")
    with st.expander("Wat betekenen de niveaus?"):
        st.markdown("\n".join(f"- **{md(p.waarde)} · {md(p.label)}**: {md(p.omschrijving)}" for p in schaal.punten))

    for partner in partners:
        niveau, toelichting = bestaand.get(partner, (None, ""))
        st.session_state.setdefault(_sleutel("niveau", resp.id, partner), niveau)
        st.session_state.setdefault(_sleutel("toel", resp.id, partner), toelichting)
        _partner(eng, resp.id, partner, rol_namen.get(partner, partner), opties, labels, ronde.is_open, hint)


@st.fragment
def _partner(eng, resp_id: int, partner: str, naam: str, opties: list[str], labels: dict[str, str],
             open_: bool, hint: str) -> None:
    """One partner rol: a click reruns only this fragment."""
    args = (eng, resp_id, partner)
    status = st.session_state.get(_sleutel("status", resp_id, partner))
    if status and status[0] == "opnieuw":  # a save that met an outage: try again on this run
        _bewaar(*args)
    with st.container(border=True):
        st.markdown(f"**Partner: {md(naam)}**")
        st.radio(f"Hoe ver gaat uw samenwerking met {md(naam)} meestal?", opties, index=None,
                 format_func=labels.get, key=_sleutel("niveau", resp_id, partner), on_change=_bewaar, args=args,
                 disabled=not open_)
        st.text_area(f"Toelichting bij de samenwerking met {md(naam)} (niet verplicht)",
                     key=_sleutel("toel", resp_id, partner), on_change=_bewaar, args=args,
                     max_chars=MAX_TOELICHTING, height=68, disabled=not open_,
                     placeholder=hint)
        status = st.session_state.get(_sleutel("status", resp_id, partner))
        if status and status[0] == "fout":
            st.error(status[1], icon=":material/error:")
        elif status and status[0] in ("wacht", "opnieuw"):
            st.warning(status[1], icon=":material/info:")
        elif status:
            st.caption(f"✓ {status[1]}")
