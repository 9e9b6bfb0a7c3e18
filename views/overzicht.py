"""Overzicht, the default page: for a first (anonymous) visit a short explanation and three
doors, then the spider chart per kader for one ronde, with its data table."""
from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from diensten import overzicht
from rapport import regio, samenvatting
from rapport.aggregatie import aggregeer
from rapport.analyse import gespreksagenda
from rapport.anonimiteit import TE_WEINIG, onderdruk, onderdrukte_criteria
from rapport.grafiek import GrafiekOpties, grafiek_tabel, met_kwartielen, spinnenweb_spec
from rapport.groepen import ALLE, anonimiseer, samengevoegd_uitleg
from rapport.opmaak import getal as opmaak_getal
from rapport.opmaak import score as opmaak_score
from storage import repository as repo
from toegang import mag
from views import context, samenwerkingskaart
from views.opmaak import kolombreedtes
from views.tekst import md

context.toon_kaderfouten()
eng = context.engine()
kaders = context.kaders()
rol_namen = context.rol_namen()
bezoeker = context.huidige_gebruiker()

IN_HET_KORT = "**In het kort:**"  # the summary beside every chart
UITLEG = (
    "Met dit instrument kijkt een gemeente samen met haar partners hoe het gaat met de zorg "
    "en veiligheid voor kinderen en gezinnen. Partners zijn bijvoorbeeld het wijkteam, Veilig Thuis, "
    "de jeugdgezondheidszorg, scholen en de politie. Iedere deelnemer geeft per onderwerp een score. "
    "Daarna bespreekt u de uitkomsten samen en maakt u een verbeterplan. De onderwerpen komen uit "
    "het toezichtkader Stelseltoezicht Jeugd van de inspecties en uit onderzoek naar samenwerking in netwerken."
)
# (page, title, icon, one line on what it does); a staff door says that it needs signing in
DEUREN = (
    ("views/rondes.py", "Een zelfevaluatie houden", "groups",
     "Voor de gemeente: open een ronde, nodig partners uit met een link en bespreek de uitkomsten "
     "in een workshop. Hiervoor logt u eerst in."),
    ("views/inspectie.py", "Een inspectiebezoek voorbereiden", "policy",
     "Voor de inspecteur: per onderwerp de zelfbeoordeling naast het kader, met signalen en "
     "vragen voor het gesprek. Hiervoor logt u eerst in."),
    ("views/regio.py", "Regio's vergelijken", "grid_view",
     "Zie hoe gemeenten in een regio scoren, zonder ranglijst. De demoregio kunt u meteen bekijken."),
)


def _deur(pad: str, titel: str, icoon: str, uitleg: str, plek) -> None:
    with plek.container(border=True):
        try:
            st.page_link(pad, label=titel, icon=f":material/{icoon}:")
        except StreamlitPageNotFoundError:  # the page runs on its own, outside app.py's menu
            st.markdown(f"**{titel}**")
        st.caption(uitleg)


if bezoeker is None:
    # the first screen of a first visit: what this is, three doors, then the demo chart
    st.title("Zelfbeoordeling Stelseltoezicht Jeugd")
    st.write(UITLEG)
    for deur, plek in zip(DEUREN, st.columns(len(DEUREN))):
        _deur(*deur, plek)
    st.caption("Heeft u een uitnodiging gekregen? Open de link of scan de QR-code, of kies "
               "**Vragenlijst invullen** in het menu.")
    st.header("Overzicht van de resultaten")
else:
    st.title("Overzicht van de resultaten")



@st.cache_data(max_entries=128, show_spinner=False)
def _grafiek(agg, kader_id: str, rollen: tuple[str, ...], namen: tuple[tuple[str, str], ...],
             band: bool = False, vergelijkingen: tuple = ()) -> dict:
    """Chart spec per aggregation state: reruns and other viewers skip Altair entirely.
    ``vergelijkingen`` is a tuple of (label, aggregate frame) pairs (hashable for the cache)."""
    opties = GrafiekOpties(rol_namen=dict(namen), rollen=rollen, band=band, vergelijkingen=dict(vergelijkingen))
    return spinnenweb_spec(agg, kaders[kader_id], opties)


alle_rondes = repo.rondes(eng)
rondes = context.zichtbare_rondes(alle_rondes)
if not rondes:
    st.info("Er zijn nog geen rondes die u mag zien. Start de app met `make run` voor een demoronde, "
            "log in als medewerker, of importeer antwoorden via **Gegevens uitwisselen**.")
    st.stop()

ronde = context.kies_ronde(rondes)
if ronde.demo:
    st.info("**Demo** — fictieve gemeenten en verzonnen antwoorden, om het instrument te leren kennen.", icon=":material/science:")

antwoorden = repo.antwoorden_df(eng, ronde.id)
st.caption(f"{antwoorden['respondent'].nunique() if len(antwoorden) else 0} respondenten · "
           f"{len(antwoorden)} antwoorden · status: {md(ronde.status)}")
# a criterium (or a group's part of it) with too few answers enters no number (docs/analyse.md)
zichtbaar = onderdruk(antwoorden, rol_namen=rol_namen)
te_weinig = onderdrukte_criteria(antwoorden, onderdrukt=zichtbaar)
antwoorden = zichtbaar
kader_ids = [k for k in kaders if k in ronde.kader_versies]
if not kader_ids:
    st.warning("De kaders van deze ronde zijn niet geladen.")
    st.stop()

# Overlays on the spider chart (off by default)
vorige = overzicht.vorige_ronde(eng, ronde, [r.id for r in rondes])  # only when this user may see it
schakel_band, schakel_vorige, schakel_regio = st.columns(3)
toon_band = schakel_band.toggle("Toon de middelste helft (IQR)", key="toon-band",
                                help="Een lichte band rond de lijn van alle respondenten: de helft "
                                     "van de scores ligt daarbinnen (van het eerste tot het derde kwartiel).")
vergelijk_vorige = schakel_vorige.toggle(
    "Vergelijk met de vorige ronde", key="vergelijk-vorige", disabled=vorige is None,
    help="Een grijze, gestreepte lijn met het gemiddelde van alle respondenten in de vorige ronde.",
) and vorige is not None
if vorige is None:
    schakel_vorige.caption("Er is geen eerdere ronde van deze gemeente om mee te vergelijken.")
vorige_antwoorden = onderdruk(repo.antwoorden_df(eng, vorige.id), rol_namen=rol_namen) if vergelijk_vorige else None
# Regional median: only for a gemeente that opted in itself, from regio.drempel() gemeenten (docs/regio.md)
vergelijking = overzicht.regio_vergelijking(eng, ronde, alle_rondes)
vergelijk_regio = schakel_regio.toggle(
    "Vergelijk met de regionale mediaan", key="vergelijk-regio", disabled=vergelijking is None,
    help="Een grijze, gestreepte lijn: per criterium de mediaan van de gemiddelden van de gemeenten "
         "in de regio die meedoen (hun ronde van hetzelfde jaar).",
) and vergelijking is not None
if vergelijking is None:
    schakel_regio.caption("Regionale vergelijking: alleen als deze gemeente meedoet en ten minste "
                          f"{regio.drempel()} gemeenten in de regio deze ronde hebben.")

tabs = st.tabs([md(kaders[k].titel) for k in kader_ids])
for tab, kader_id in zip(tabs, kader_ids):
    kader = kaders[kader_id]
    with tab:
        # rol groups below the anonymity threshold are merged before anything is shown
        groepsantwoorden, groepsnamen = anonimiseer(antwoorden, rol_namen)
        agg = aggregeer(groepsantwoorden, kader)
        aanwezig = [r for r in groepsnamen if r in set(agg["rol"])]
        gekozen = st.multiselect(
            "Rollen in de grafiek", aanwezig, default=[], format_func=lambda r: groepsnamen.get(r, r),
            key=f"rollen-{kader_id}", placeholder="Alleen alle respondenten samen; kies rollen om te vergelijken",
        )
        if ronde.kader_versies[kader_id] != kader.versie:
            st.warning(f"Deze ronde gebruikte versie {md(ronde.kader_versies[kader_id])} van dit kader; "
                       f"geladen is versie {md(kader.versie)}.")
        vergelijkingen = {}
        if vorige_antwoorden is not None:
            agg_vorig = aggregeer(vorige_antwoorden, kader)
            if kader_id in vorige.kader_versies and agg_vorig.loc[agg_vorig["rol"] == ALLE.id, "n"].sum() > 0:
                naam = f"Vorige ronde ({vorige.label})" if "(" not in vorige.label else f"Vorige ronde: {vorige.label}"
                vergelijkingen[naam] = agg_vorig
            else:
                st.caption("De vorige ronde heeft geen scores voor dit kader.")
        if vergelijk_regio:
            regio_agg = regio.regionale_mediaan_voor_ronde(
                vergelijking.antwoorden, vergelijking.rondes, kader, vergelijking.ronde, context.koppelingen())
            if regio_agg is not None:
                vergelijkingen[f"Regionale mediaan ({vergelijking.regio})"] = regio_agg
            else:
                st.caption("Voor dit kader hebben te weinig gemeenten in de regio scores.")
        agg_grafiek = met_kwartielen(agg, groepsantwoorden, kader) if toon_band else agg
        # the table goes under the chart: beside it, the chart's axis labels ran into the
        # table on a laptop-wide window
        opties = GrafiekOpties(rol_namen=groepsnamen, rollen=gekozen, band=toon_band, vergelijkingen=vergelijkingen)
        # what the chart shows, in words, next to it and as its text alternative
        zin = samenvatting.spinnenweb(agg_grafiek, kader, opties)
        links, rechts = st.container(), st.container()
        with links:
            st.vega_lite_chart(_grafiek(agg_grafiek, kader_id, tuple(gekozen), tuple(groepsnamen.items()),
                                        toon_band, tuple(vergelijkingen.items())),
                               width="content", alt=f"Spinnenwebgrafiek {kader.titel}. {zin}")
            st.markdown(f"{IN_HET_KORT} {md(zin)}")
        with rechts:
            st.markdown(f"**Gegevens bij de grafiek** — gemiddelde score ({md(kader.schaal.uitersten())})")
            grafiek_df = grafiek_tabel(agg_grafiek, kader, opties).map(context.getal)
            st.dataframe(grafiek_df, column_config=kolombreedtes(grafiek_df))
            st.caption(f"{samengevoegd_uitleg()}.")
            verborgen = [c.kort for c in kader.criteria if (kader_id, c.id) in te_weinig]
            if verborgen:
                st.caption(f"{TE_WEINIG}, zodat niemand herkenbaar is: " + md("; ".join(verborgen)) + ".")
            if toon_band:
                st.caption("Q1 en Q3: de middelste helft van de scores van alle respondenten ligt "
                           "tussen deze twee waarden (de lichte band in de grafiek).")
        toon_toelichtingen = ronde.demo or mag(bezoeker, "toelichtingen_bekijken", ronde.gemeente)
        with st.expander("Gespreksagenda: waar verschillen de meningen het meest?", icon=":material/forum:"):
            st.caption("Onderdelen op volgorde van onenigheid: tussen rolgroepen (verschil in gemiddelde) en "
                       "binnen de groep (1 − eensgezindheid). Eensgezindheid loopt van 0 (de scores liggen zo ver "
                       "mogelijk uit elkaar) tot 1 (iedereen gaf dezelfde score).")
            for punt in gespreksagenda(antwoorden, kader, rol_namen=rol_namen, aantal=5):
                st.markdown(f"**{punt['rang']}. {md(punt['kort'])}** — gemiddelde {context.getal(float(punt['gemiddelde']))}, "
                            f"eensgezindheid {context.getal(float(punt['consensus']))}")
                if punt.get("hoogste_groep") and punt.get("laagste_groep"):
                    st.caption(f"Hoogst: {md(punt['hoogste_groep'])} · laagst: {md(punt['laagste_groep'])}")
                if toon_toelichtingen:
                    for t in punt["toelichtingen"][:6]:
                        st.text(f"{t['groep']} ({t['score']}): {t['tekst']}")  # plain text, never markup
        with st.expander("Alle cijfers per criterium en thema"):
            tabel = agg[agg["rol"] == ALLE.id][["niveau", "kort", "n", "gemiddelde", "mediaan", "minimum", "maximum", "weet_niet", "nvt"]]
            # display only: numbers as Dutch text (decimal comma), as in the PDF
            tabel = tabel.assign(gemiddelde=tabel["gemiddelde"].map(lambda v: opmaak_getal(v, 2)),
                                 **{k: tabel[k].map(opmaak_score) for k in ("mediaan", "minimum", "maximum")})
            tabel = tabel.rename(columns={"niveau": "Niveau", "kort": "Onderdeel", "n": "Aantal scores",
                                          "gemiddelde": "Gemiddelde", "mediaan": "Mediaan", "minimum": "Laagste",
                                          "maximum": "Hoogste", "weet_niet": "Weet niet", "nvt": "N.v.t."})
            st.dataframe(tabel, hide_index=True, column_config=kolombreedtes(tabel))

# --- samenwerkingskaart (issue 15): who works with whom, and how far (views/samenwerkingskaart.py)
samenwerkingskaart.overzicht(eng, ronde, rol_namen)
