"""Toegankelijkheidsverklaring: the accessibility statement, for everyone (also without signing in).

Follows the structure of the Dutch government's model statement (digitoegankelijk.nl):
status, what was examined and how, what does not yet comply and why, what we do about it,
and whom to contact. The texts are ours and static; the only configurable part is the
contact (``ZBT_TOEGANKELIJKHEID_CONTACT``), which the organisation running the instrument
fills in. It is shown as plain text. Without it the page says plainly that it is missing,
never a made-up address. Keep the limitations in step with docs/toegankelijkheid.md.
"""
from __future__ import annotations

import os

import streamlit as st

from views.tekst import md_lijst

CONTACT_VARIABELE = "ZBT_TOEGANKELIJKHEID_CONTACT"
ONTBREEKT = ("Nog niet ingevuld. De organisatie die dit instrument gebruikt, moet hier zelf een "
             "contactadres invullen.")


def contact() -> str:
    """The contact for remarks, as the organisation configured it; '' when it did not."""
    return os.environ.get(CONTACT_VARIABELE, "").strip()


st.title("Toegankelijkheidsverklaring")
st.write(
    "Wij willen dat iedereen dit instrument kan gebruiken: ook wie slecht ziet, alleen een "
    "toetsenbord gebruikt, een schermlezer heeft of op een klein scherm werkt. De regel daarvoor "
    "is de Europese norm EN 301 549, met daarin WCAG 2.1 op niveau AA. Deze verklaring volgt de "
    "opbouw van de modelverklaring van de overheid (digitoegankelijk.nl)."
)
st.caption("Deze verklaring gaat over de pagina's van dit instrument en de PDF-bestanden die het maakt.")

st.header("Status", divider="gray")
st.write("**Voldoet gedeeltelijk.** Het instrument voldoet aan veel eisen, maar nog niet aan alle.")
st.write(
    "Let op: dit is onze eigen toetsing. Een volledig onderzoek door een onafhankelijke partij, "
    "volgens de methode WCAG-EM en over alle 50 eisen, is nog niet gedaan. Zonder zo'n onderzoek "
    "mag een organisatie in het register van de overheid nog geen status A of B opgeven. De "
    "organisatie die dit instrument gebruikt, plant zo'n onderzoek zelf."
)

st.header("Wat wij hebben getest en hoe", divider="gray")
st.markdown(md_lijst([
    "Elke pagina wordt bij elke wijziging automatisch getest in een echte browser, met drie "
    "testprogramma's naast elkaar: axe-core, de toetser van IBM (Equal Access) en "
    "HTML_CodeSniffer, op de regels van WCAG 2.1, niveau A en AA. Dat gebeurt zonder inloggen en "
    "als facilitator, inspecteur, regio-analist en beheerder, met alle tabbladen en uitklapvakken "
    "open. Een nieuwe fout houdt de wijziging tegen.",
    "Met alleen het toetsenbord (Tab, pijltjes, spatie en Enter): een deelnemer vult de hele "
    "vragenlijst in, van code tot einde. Een facilitator logt in en leidt de workshop, ook op de "
    "beamer met de toetsen Page Down en de pijltjes. Bij elke stap controleren we dat u ziet waar "
    "u bent (de focus) en dat u nergens vast komt te zitten.",
    "Inzoomen tot 200 % en een scherm van 320 pixels breed: er verdwijnt niets, u hoeft niet "
    "opzij te schuiven en alle knoppen blijven bereikbaar.",
    "Telefoon, laptop en beamer (390, 1366 en 1920 pixels breed): de hele route van facilitator "
    "en deelnemers, met schermafdrukken.",
    "Alle tekst op het scherm is Nederlands, ook de teksten die Streamlit zelf meebrengt. De "
    "pagina geeft aan dat hij in het Nederlands is, zodat een schermlezer goed voorleest.",
    "Elke grafiek heeft een korte tekst die zegt wat de grafiek laat zien, en een tabel met "
    "dezelfde cijfers. Kleur is nooit de enige aanwijzing: er staan ook getallen, lijnsoorten en "
    "puntvormen bij.",
    "De PDF's (verbeterplan, voorbereiding van het inspectiebezoek, uitnodigingen) zijn getagd: "
    "koppen, tabellen met kopcellen, bladwijzers, taal en titel, en bij elke grafiek een "
    "beschrijving van wat hij laat zien. Ze worden gecontroleerd op PDF/A (archief, niveau A) en "
    "met een PDF/UA-toets.",
]))

st.header("Wat nog niet voldoet", divider="gray")
st.markdown(md_lijst([
    "De PDF's noemen zich PDF/UA, maar de PDF/UA-toets die wij hier kunnen draaien, controleert "
    "maar een deel van de regels. Een volledige controle (bijvoorbeeld met veraPDF of PAC) is nog "
    "niet gedaan.",
    "In een PDF wordt een tabel die over twee pagina's loopt voor een schermlezer twee tabellen, "
    "elk met de kopregel.",
    "Het menu heeft geen kopjes. Streamlit, de techniek onder dit instrument, zet kopjes in een "
    "menu op een manier die een schermlezer verkeerd voorleest. Daarom is het menu één korte lijst.",
    "Twee meldingen van de testprogramma's komen uit onderdelen van Streamlit die wij niet kunnen "
    "aanpassen: een leeg formulier na elke grafiek, en dubbele namen (id's) in tabellen. Een "
    "schermlezer merkt daar niets van.",
    "Een deel van de knoppen en velden komt van Streamlit. Problemen die wij daarin vinden, "
    "lossen wij op in het instrument zelf of melden wij bij de makers van Streamlit.",
]))

st.header("Wat wij eraan doen", divider="gray")
st.write(
    "Na elke wijziging draaien de tests hierboven opnieuw. Een nieuwe ernstige fout houdt de "
    "wijziging tegen. Wat nog niet voldoet, staat in onze documentatie (docs/toegankelijkheid.md) "
    "met de oorzaak en wat we doen om het effect te beperken."
)

st.header("Contact", divider="gray")
st.write("Loopt u ergens tegenaan, of heeft u een opmerking of vraag over toegankelijkheid? "
         "Neem dan contact op:")
ingesteld = contact()
if ingesteld:
    st.text(ingesteld)  # configured by the organisation: plain text, never markdown or HTML
else:
    st.warning(ONTBREEKT, icon=":material/contact_support:")
st.write("Bent u niet tevreden over hoe uw melding is behandeld? Dan kunt u terecht bij de "
         "ombudsman: de Nationale ombudsman, of de ombudsman van uw gemeente.")
