"""Streamlit entry point: navigation only. Pages live in views/, logic in plain modules.

The menu follows who is signed in; every staff page checks the role again itself,
so a hidden menu item is a convenience, not the protection.
"""
from pathlib import Path

import streamlit as st

from toegang import mag
from views import context

# A local file, not ":material/radar:": for a material icon Streamlit points the favicon at
# fonts.gstatic.com, and every visitor's address would reach Google. An SVG file becomes a
# data: URL, so the icon costs no request at all (tests/test_beveiliging_verzoeken.py).
FAVICON = Path(__file__).resolve().parent / "assets" / "favicon.svg"
st.set_page_config(page_title="Zelfbeoordeling Stelseltoezicht Jeugd", page_icon=str(FAVICON), layout="wide")
context.basisopmaak()


def pagina(pad, titel, icoon, **kw):
    return st.Page(pad, title=titel, icon=f":material/{icoon}:", url_path=pad.split("/")[-1][:-3], **kw)


gebruiker = context.huidige_gebruiker()
paginas = [
    pagina("views/overzicht.py", "Overzicht", "radar", default=True),
    pagina("views/verbeterplan.py", "Verbeterplan", "picture_as_pdf"),
    pagina("views/vragenlijst.py", "Vragenlijst invullen", "edit_note"),
]
if mag(gebruiker, "ronde_beheren"):
    paginas.append(pagina("views/rondes.py", "Rondes beheren", "groups"))
if mag(gebruiker, "workshop"):
    paginas.append(pagina("views/workshop.py", "Workshop", "co_present"))
paginas.append(pagina("views/regio.py", "Regio vergelijken", "grid_view"))
if mag(gebruiker, "inspectie_voorbereiden"):
    paginas.append(pagina("views/inspectie.py", "Voorbereiding inspectiebezoek", "policy"))
if mag(gebruiker, "exporteren"):
    paginas.append(pagina("views/gegevens.py", "Gegevens uitwisselen", "sync_alt"))
paginas += [pagina("views/kaders.py", "Kaders bekijken", "menu_book"),
            pagina("views/inloggen.py", "Uitloggen" if gebruiker else "Inloggen", "logout" if gebruiker else "login")]

# A flat list, not sections: Streamlit renders section headers inside the <ul>, which
# screen readers announce wrongly (axe 'list'/'listitem'; see docs/toegankelijkheid.md).
# A participant who joined with a code sees only their questionnaire.
deelnemer = st.session_state.get("deelnemer") and gebruiker is None
# A database that cannot be reached: one Dutch notice on every page (views/context.py).
context.draai_pagina(st.navigation(paginas, position="hidden" if deelnemer else "sidebar"))
