"""Streamlit entry point: navigation only. Pages live in views/, logic in plain modules.

The menu follows who is signed in; every staff page checks the role again itself,
so a hidden menu item is a convenience, not the protection.
"""
from pathlib import Path

import streamlit as st

from toegang import mag
from views import context, opmaak

# A local file, not ":material/radar:": for a material icon Streamlit points the favicon at
# fonts.gstatic.com, and every visitor's address would reach Google. An SVG file becomes a
# data: URL, so the icon costs no request at all (tests/test_beveiliging_verzoeken.py).
FAVICON = Path(__file__).resolve().parent / "assets" / "favicon.svg"
st.set_page_config(page_title="Zelfbeoordeling Stelseltoezicht Jeugd", page_icon=str(FAVICON), layout="wide")
opmaak.basisopmaak()


def pagina(pad, titel, icoon, zichtbaar=True, **kw):
    return st.Page(pad, title=titel, icon=f":material/{icoon}:", url_path=pad.split("/")[-1][:-3],
                   visibility="visible" if zichtbaar else "hidden", **kw)


gebruiker = context.huidige_gebruiker()
# Every page is always registered, so a reload or a shared link never meets Streamlit's
# English "Page not found"; a page the user may not use is only left out of the menu,
# and it says so itself in Dutch (context.vereis).
paginas = [
    pagina("views/overzicht.py", "Overzicht", "radar", default=True),
    pagina("views/verbeterplan.py", "Verbeterplan", "picture_as_pdf"),
    pagina("views/vragenlijst.py", "Vragenlijst invullen", "edit_note"),
    pagina("views/rondes.py", "Rondes beheren", "groups", mag(gebruiker, "ronde_beheren")),
    pagina("views/workshop.py", "Workshop", "co_present", mag(gebruiker, "workshop")),
    pagina("views/regio.py", "Regio vergelijken", "grid_view"),
    pagina("views/overleggen.py", "Overleggen in kaart", "hub", mag(gebruiker, "verbeterplan")),
    pagina("views/inspectie.py", "Voorbereiding inspectiebezoek", "policy", mag(gebruiker, "inspectie_voorbereiden")),
    pagina("views/gegevens.py", "Gegevens uitwisselen", "sync_alt", mag(gebruiker, "exporteren")),
    pagina("views/kaders.py", "Kaders bekijken", "menu_book"),
    pagina("views/toegankelijkheid.py", "Toegankelijkheidsverklaring", "accessibility_new"),
    pagina("views/inloggen.py", "Uitloggen" if gebruiker else "Inloggen", "logout" if gebruiker else "login"),
]

# A flat list, not sections: Streamlit renders section headers inside the <ul>, which
# screen readers announce wrongly (axe 'list'/'listitem'; see docs/toegankelijkheid.md).
# A participant who joined with a code sees only their questionnaire.
deelnemer = st.session_state.get("deelnemer") and gebruiker is None
if not deelnemer:
    context.houd_ronde_vast()  # ?ronde= on every page, also those without a ronde selector
# A database that cannot be reached: one Dutch notice on every page (views/context.py).
context.draai_pagina(st.navigation(paginas, position="hidden" if deelnemer else "sidebar"))
