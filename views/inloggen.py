"""Inloggen for staff (beheerder, facilitator, inspecteur, regio-analist).

A correct password signs in this tab at once (session state); where server.py runs,
the browser then visits /sessie/start once, which sets the session cookie, so staff
stay signed in across reloads and new tabs for a working day (views/context.py).
"""
import os

import streamlit as st

from diensten import limieten
from toegang import DEMO_WACHTWOORD, controleer_wachtwoord
from views import context
from views.tekst import md

st.title("Inloggen voor medewerkers")
eng = context.engine()
gebruiker = context.huidige_gebruiker()

if gebruiker is not None:
    if context.naar_sessieroute():  # just signed in: the route sets the cookie
        st.stop()
    st.success(f"U bent ingelogd als **{md(gebruiker.naam)}** ({md(gebruiker.rol)}).", icon=":material/verified_user:")
    if st.button("Uitloggen"):
        context.beeindig_sessie()
        if context.oidc_ingesteld() and getattr(st.user, "is_logged_in", False):
            st.logout()
        st.rerun()
    st.stop()

if context.naar_sessieroute():  # just signed out: the route removes the cookie
    st.stop()
if st.query_params.get("sessie") == "mislukt":
    st.warning("Het inloggen is niet afgemaakt of duurde te lang. Log opnieuw in.", icon=":material/timer:")
    del st.query_params["sessie"]

st.write("Deelnemers aan een vragenlijst hoeven niet in te loggen: zij gebruiken de link of code die ze kregen.")
if context.oidc_ingesteld():
    st.button("Inloggen met uw organisatie-account", on_click=st.login, type="primary")
    if getattr(st.user, "is_logged_in", False):
        st.error("Uw account is niet gekoppeld aan een rol in dit instrument. Vraag de beheerder om u toe te voegen.")
    st.divider()

with st.form("inloggen"):
    naam = st.text_input("Gebruikersnaam", autocomplete="username")
    wachtwoord = st.text_input("Wachtwoord", type="password", autocomplete="current-password")
    verstuurd = st.form_submit_button("Inloggen", type="primary")

if verstuurd:
    client = context.client_sleutel()
    if limieten.inloggen_geblokkeerd(eng, naam, client):
        st.error(limieten.INLOGGEN_MELDING, icon=":material/timer:")
    else:
        gevonden = controleer_wachtwoord(context.accounts(), naam, wachtwoord)
        limieten.registreer_inloggen(eng, naam, client, gevonden is not None)
        if gevonden is None:
            st.error("Gebruikersnaam of wachtwoord klopt niet.", icon=":material/error:")
        else:
            context.begin_sessie(gevonden)
            st.rerun()

if os.environ.get("ZBT_DEMO") == "1":
    st.info(
        "**Demo-accounts** (zien alleen de fictieve demogemeenten): `demo-facilitator`, `demo-inspecteur`, "
        f"`demo-regio` en `demo-beheerder`, allemaal met wachtwoord `{DEMO_WACHTWOORD}`.",
        icon=":material/science:",
    )
