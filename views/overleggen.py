"""Overleggen in kaart: a gemeente lists its overleggen and ticks which of the seven
netwerk functions (source 000 Tabel 2.2) each performs; the page shows the overleg ×
function matrix with a text summary and offers it as CSV.

No names of people are asked: the chair is a rol. Writing goes through storage with
``door`` (the facilitator of the gemeente, in an open ronde); others see the list read-only.
"""
from __future__ import annotations

import streamlit as st

from kader.netwerkfuncties import netwerkfuncties
from rapport import overleggen as ov
from rapport.bestandsnaam import bestandsnaam
from storage import repository as repo
from toegang import mag
from views import context
from views.bronnen import bron_md
from views.tekst import md

gebruiker = context.vereis("verbeterplan")
st.title("Overleggen in kaart")
st.markdown("Welke overleggen over jeugd en gezin zijn er in uw gemeente, en wat doen ze? Zet elk overleg in "
            "de lijst en kies welke van de zeven functies het vervult. Dan ziet u welke functies nergens "
            "belegd zijn en welke bij veel overleggen terugkomen.")
st.caption("Vul geen namen van personen in. De voorzitter is een rol, geen persoon.")
eng = context.engine()
rol_namen = context.rol_namen()
functies = netwerkfuncties()

rondes = context.zichtbare_rondes(repo.rondes(eng), "verbeterplan")
if not rondes:
    st.info("Er zijn nog geen rondes die u mag zien.")
    st.stop()
ronde = context.kies_ronde(rondes)
bewerken = ronde.is_open and mag(gebruiker, "ronde_beheren", ronde.gemeente, ronde.demo)
if not bewerken:
    st.info("U kunt deze lijst bekijken. Alleen een facilitator van deze gemeente kan hem wijzigen, zolang de "
            "ronde open is." if ronde.is_open else "Deze ronde is gesloten; de lijst kan niet meer worden gewijzigd.",
            icon=":material/visibility:")
lijst = repo.overleggen_van(eng, ronde.id)
GEEN = ""


def _rol(r: str) -> str:
    return rol_namen.get(r, r) if r else "Geen of onbekend"


def _velden(sleutel: str, o=None) -> dict:
    """The fields of the form (to add when ``o`` is None, else to change ``o``)."""
    naam = st.text_input("Naam van het overleg", o.naam if o else "", max_chars=repo.MAX_NAAM_OVERLEG,
                         key=f"naam-{sleutel}", placeholder="Bijvoorbeeld: Wijkteamoverleg")
    links, rechts = st.columns(2)
    frequentie = links.text_input("Hoe vaak komt het bij elkaar?", o.frequentie if o else "",
                                  max_chars=repo.MAX_FREQUENTIE_OVERLEG, key=f"freq-{sleutel}",
                                  placeholder="Bijvoorbeeld: elke maand")
    keuzes = [GEEN, *rol_namen]
    huidig = o.voorzitter_rol if o and o.voorzitter_rol in rol_namen else GEEN
    voorzitter = rechts.selectbox("Voorzitter (rol)", keuzes, index=keuzes.index(huidig), format_func=_rol,
                                  key=f"voorzitter-{sleutel}")
    deelnemers = st.multiselect("Deelnemende rollen", list(rol_namen),
                                default=[r for r in (o.deelnemers if o else ()) if r in rol_namen],
                                format_func=rol_namen.get, key=f"deelnemers-{sleutel}", placeholder="Kies rollen")
    st.markdown("**Welke functies vervult dit overleg?**")
    # one list in the source's order (two columns would read 1, 3, 5, 7, 2, 4, 6 on a phone)
    gekozen = [f.id for f in functies.functies
               if st.checkbox(f.naam, f.id in (o.functies if o else ()), key=f"functie-{sleutel}-{f.id}",
                              help=md(f.omschrijving) or None)]
    return dict(naam=naam, frequentie=frequentie, voorzitter_rol=voorzitter, deelnemers=deelnemers, functies=gekozen)


# --- toevoegen ------------------------------------------------------------------------
if bewerken:
    st.header("Overleg toevoegen", divider="gray")
    with st.form("overleg-nieuw", clear_on_submit=True):
        velden = _velden("nieuw")
        if st.form_submit_button("Voeg overleg toe", type="primary"):
            try:
                repo.maak_overleg(eng, ronde.id, door=gebruiker, rollen=rol_namen, **velden)
            except ValueError as e:
                st.error(md(e))
            else:
                st.rerun()

# --- de lijst ---------------------------------------------------------------------------
st.header("De overleggen", divider="gray")
if not lijst:
    st.write("Er staan nog geen overleggen in de lijst.")
for o in lijst:
    namen = [functies.naam(f) for f in functies.ids if f in o.functies]
    with st.expander(f"{md(o.naam)} · {len(namen)} van {len(functies.functies)} functies"):
        if not bewerken:
            st.markdown(f"Hoe vaak: {md(o.frequentie or '–')} · voorzitter: {md(_rol(o.voorzitter_rol or ''))}")
            st.markdown(f"Deelnemende rollen: {md(', '.join(_rol(r) for r in o.deelnemers) or '–')}")
            st.markdown(f"Functies: {md(', '.join(namen).lower() or 'geen')}")
            continue
        with st.form(f"overleg-{o.id}"):
            velden = _velden(str(o.id), o)
            opslaan, weg = st.columns(2)
            if opslaan.form_submit_button("Opslaan", type="primary"):
                try:
                    repo.wijzig_overleg(eng, o.id, door=gebruiker, rollen=rol_namen, **velden)
                except ValueError as e:
                    st.error(md(e))
                else:
                    st.rerun()
            if weg.form_submit_button("Verwijder overleg"):
                try:
                    repo.verwijder_overleg(eng, o.id, door=gebruiker)
                except ValueError as e:
                    st.error(md(e))
                else:
                    st.rerun()

# --- de matrix ----------------------------------------------------------------------------
st.header("Welke overleggen doen wat?", divider="gray")
inv = ov.inventaris(lijst, rol_namen)
st.markdown(f"**In het kort:** {md(ov.samenvatting(inv))}")
if lijst:
    kolommen = ov.matrix_kolommen(inv)
    st.dataframe([dict(zip(kolommen, rij)) for rij in ov.matrix_rijen(inv)], hide_index=True)
    st.caption("Ja = het overleg vervult deze functie, Nee = niet. De laatste regel telt de overleggen per functie. "
               + md(ov.VEEL_UITLEG))
st.markdown(f"De zeven functies komen uit tabel 2.2 van de bron. {bron_md(functies.bron)}")
with st.expander("Wat betekenen de zeven functies?"):
    for f in functies.functies:
        st.markdown(f"**{md(f.naam)}**")
        if f.omschrijving:
            st.markdown(f"„{md(f.omschrijving)}”")
        else:
            st.markdown("De bron geeft hier geen omschrijving bij.")
        st.caption(bron_md(f.bron))
if lijst:
    st.download_button("Download de tabel (CSV)", ov.schrijf_overleggen_csv(inv, bom=True), on_click="ignore",
                       file_name=bestandsnaam("overleggen", ronde.gemeente, ronde.label, extensie="csv"),
                       mime="text/csv",
                       help="Tekst die met =, +, -, @, een tab of een regelterugloop begint krijgt een ' ervoor, "
                            "zodat een spreadsheet er nooit een formule van maakt.")
