"""The samenwerkingskaart on the pages (not a page itself): the section of the Overzicht
and the step of the workshop that the facilitator reveals, on the projector too.

Data: ``repo.samenwerking_df`` (one ronde). Numbers: `rapport.netwerk.analyseer` with the
anonymity threshold (`rapport.groepen.anonimiteitsdrempel`): a pair whose answering group
is too small has no numbers, and a rol with only such pairs is not named. Shown with
`rapport.netwerkbeeld` (picture, matrix, summary, table per pair), as in the PDFs
(`rapport/samenwerkingskaart.py`). Toelichtingen are never shown: they are one
respondent's words about one partner.
"""
from __future__ import annotations

import altair as alt
import streamlit as st

from rapport.groepen import anonimiteitsdrempel
from rapport.kaart_beamer import netwerkbeeld_beamer
from rapport.netwerk import Netwerk, analyseer
from rapport.netwerkbeeld import coordinatieladder, matrix, netwerkbeeld, niveau_tekst, paren_tabel, samenvatting
from rapport.samenwerkingskaart import VRAAG
from storage import repository as repo
from views import context
from views.opmaak import kolombreedtes
from views.tekst import md

TITEL = "Samenwerkingskaart"
IN_HET_KORT = "**In het kort:**"
TONEN = "Samenwerkingskaart tonen"


def netwerk_van(eng, ronde_id: int) -> Netwerk | None:
    """The analysed samenwerkingskaart of a ronde, or None when nobody answered it."""
    df = repo.samenwerking_df(eng, ronde_id)
    if df.empty:
        return None
    return analyseer(df, anonimiteitsdrempel())


def beeld(netwerk: Netwerk, rol_namen):
    """The network picture for a page: room around it, so a long rol name beside the circle
    and the subtitle are not cut off (Streamlit clips what falls outside the plot)."""
    return netwerkbeeld(netwerk, rol_namen).properties(
        autosize=alt.AutoSizeParams(type="pad", contains="padding"),
        padding={"left": 40, "right": 40, "top": 5, "bottom": 5})


def herkomst() -> str:
    """Where the ladder comes from, and what is the instrument's own (one line, plain text)."""
    ladder = coordinatieladder()
    bron = f"{ladder.bron}" + (f" · {ladder.bron.historisch_label}" if ladder.bron and ladder.bron.historisch_label else "")
    return (f"De niveaus van de coördinatieladder komen uit: {bron}. De vraag ‘{VRAAG}’, "
            "‘weet niet’ en ‘niet van toepassing’ en de regel ‘2 niveaus of meer verschil’ zijn van dit "
            "instrument zelf.")


def _ladder_uitleg() -> None:
    ladder = coordinatieladder()
    st.markdown(md("; ".join(f"{p.waarde} = {p.label.lower()}" for p in ladder.punten) + "."))


def overzicht(eng, ronde, rol_namen) -> None:
    """The Overzicht section: nothing when the kaart is off and nobody answered it; one
    line when it is on but nobody answered yet; else picture, words, matrix and pairs."""
    netwerk = netwerk_van(eng, ronde.id)
    if netwerk is None:
        if repo.samenwerkingskaart_aan(eng, ronde.id):
            st.subheader(TITEL, divider="gray")
            st.caption("In deze ronde staat de vraag over samenwerking aan, maar nog niemand heeft die "
                       "beantwoord.")
        return
    st.subheader(TITEL, divider="gray")
    st.markdown(md(f"{VRAAG} Deelnemers kozen per partner een niveau op de coördinatieladder "
                   "(0 tot en met 5)."))
    zin = samenvatting(netwerk, rol_namen)
    with st.container(key="schuifvak-samenwerkingskaart"):
        st.altair_chart(beeld(netwerk, rol_namen), width="content",
                        alt=f"Samenwerkingskaart: pijlen tussen de rollen. {zin} "
                            "Dezelfde cijfers staan onder 'Gegevens bij de kaart'.")
    st.markdown(f"{IN_HET_KORT} {md(zin)}")
    _tabellen(netwerk, rol_namen)
    with st.expander("De coördinatieladder: wat betekenen de niveaus?"):
        _ladder_uitleg()
    st.caption(md(herkomst()))


def _tabellen(netwerk: Netwerk, rol_namen) -> None:
    """The numbers behind the picture, in one expander, closed: a table with a column per
    rol takes a Tab per column (the table steps through its cells), so open, it would make
    keyboard users tab through every cell on their way down the page (2.1.1; the same as
    "Alle cijfers per criterium en thema")."""
    tabel = matrix(netwerk, rol_namen)
    if tabel.empty:
        return
    paren = paren_tabel(netwerk, rol_namen)
    with st.expander(f"Gegevens bij de kaart: de mediaan per paar, en alle {len(paren)} paren met aantallen"):
        st.markdown("De mediaan per paar: de rij is de rol die antwoordt, de kolom de partner. Een "
                    "streepje: geen getal (niemand gaf een niveau, of te weinig deelnemers om te tonen).")
        st.dataframe(tabel, column_config=kolombreedtes(tabel))
        st.caption("n = het aantal deelnemers dat een niveau gaf. De middelste helft: de helft van de "
                   "antwoorden ligt tussen deze twee niveaus.")
        st.dataframe(paren, hide_index=True, column_config=kolombreedtes(paren))


# ------------------------------------------------------------------ workshop


def workshop_knop(eng, gebruiker, ronde) -> bool:
    """The facilitator's step 'Samenwerkingskaart tonen' (only when the ronde asks the
    kaart, never during stil scoren, and not in a closed ronde, where nothing can be moved).
    Returns True while the kaart is in focus: the caller then shows `workshop` instead of
    the criterium."""
    if not ronde.is_open or ronde.fase == "stil_scoren" or not repo.samenwerkingskaart_aan(eng, ronde.id):
        return False
    in_beeld = repo.kaart_in_beeld(eng, ronde.id)

    @context.bewaak_callback
    def _zet(aan: bool) -> None:
        try:
            repo.zet_kaart_in_beeld(eng, ronde.id, aan, door=gebruiker)
        except ValueError as e:
            st.session_state["kaart_melding"] = str(e)

    melding = st.session_state.pop("kaart_melding", None)
    if melding:
        st.error(md(melding))
    if in_beeld:
        st.button("Terug naar de onderdelen", icon=":material/arrow_back:", on_click=_zet, args=(False,),
                  key=f"kaart-uit-{ronde.id}")
    else:
        st.button(TONEN, icon=":material/hub:", on_click=_zet, args=(True,), key=f"kaart-aan-{ronde.id}",
                  help="Zet de samenwerkingskaart op het scherm en op de beamer. Er staan alleen "
                       "groepen op met genoeg antwoorden.")
    return in_beeld


def workshop(eng, ronde, rol_namen, groot: bool = False) -> None:
    """The kaart as a workshop step: the picture, the asymmetric pairs in words and the
    matrix (``groot``: the projector)."""
    kop = st.header if groot else st.subheader
    kop(TITEL, divider="gray", anchor=False)
    st.markdown(md(VRAAG))
    netwerk = netwerk_van(eng, ronde.id)
    if netwerk is None:
        st.info("Nog niemand heeft de vraag over samenwerking beantwoord.")
        return
    zin = samenvatting(netwerk, rol_namen)
    alt_tekst = f"Samenwerkingskaart: pijlen tussen de rollen. {zin} Dezelfde cijfers staan in de tabel eronder."
    with st.container(key="schuifvak-kaart-workshop"):
        if groot:  # the projector: the same picture, every size larger
            st.vega_lite_chart(netwerkbeeld_beamer(netwerk, rol_namen), width="content", alt=alt_tekst)
        else:
            st.altair_chart(beeld(netwerk, rol_namen), width="content", alt=alt_tekst)
    if netwerk.wederkerigheid:
        st.subheader("Hier zien partners het verschillend", anchor=False)
        for w in netwerk.wederkerigheid:
            a, b = rol_namen.get(w.rol_a, w.rol_a), rol_namen.get(w.rol_b, w.rol_b)
            st.markdown(md(f"≠ {a} zegt over {b} meestal {niveau_tekst(w.a_naar_b)}; "
                           f"{b} zegt over {a} meestal {niveau_tekst(w.b_naar_a)}."))
    st.markdown(f"{IN_HET_KORT} {md(zin)}")
    tabel = matrix(netwerk, rol_namen)
    if not tabel.empty:
        st.markdown("**De mediaan per paar** (rij: de rol die antwoordt; kolom: de partner)")
        if groot:
            st.table(tabel)
        else:
            st.dataframe(tabel, column_config=kolombreedtes(tabel))
    st.caption(md(herkomst()))
