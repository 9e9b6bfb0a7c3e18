"""Rondes beheren (facilitator): open a ronde, hand out codes per rol, follow the count, close.

Codes are shown once: only their hash is stored. 'Nieuwe codes maken' replaces
them (old links stop working; people who already joined keep their answers).
Each code admits at most the number of participants the facilitator chose
(storage refuses more, in the same transaction that would add one).
"""
from __future__ import annotations

import datetime as dt
import json

import streamlit as st

from diensten.rondes import open_ronde
from rapport import regio
from rapport.bestandsnaam import bestandsnaam
from rapport.uitnodigingsblad import Uitnodiging, UitnodigingsbladInvoer, maak_uitnodigingsblad_pdf, uitnodigingen_csv
from storage import repository as repo
from toegang import mag
from views import context, deelnemen
from views.tekst import md

gebruiker = context.vereis("ronde_beheren")
st.title("Rondes beheren")
eng = context.engine()
kaders = context.kaders()
lijsten = context.vragenlijsten()
rol_namen = context.rol_namen()


def _link(code: str) -> str:
    return f"{deelnemen.basis_url()}/vragenlijst?uitnodiging={code}"


STANDAARD_MAXIMUM = 50
MAXIMUM_HULP = ("Zoveel mensen kunnen met één code (per rol) meedoen; daarna weigert de code. Zo kan een "
                "doorgestuurde of uitgelekte link de ronde niet vullen. 0 = geen maximum.")


def _maximum(waarde) -> int | None:
    return int(waarde) if waarde else None


gemeenten = [g for g in repo.gemeenten(eng) if mag(gebruiker, "ronde_beheren", g.naam, g.demo)]
rondes = [r for r in repo.rondes(eng) if mag(gebruiker, "ronde_beheren", r.gemeente, r.demo)]

# --- open a new ronde ----------------------------------------------------------
with st.expander("Nieuwe ronde openen", expanded=not rondes, icon=":material/add_circle:"):
    nieuwe_namen = [] if gebruiker.demo else sorted(
        n for n in gebruiker.gemeenten if n != "*" and n not in {g.naam for g in gemeenten})
    with st.form("nieuwe-ronde"):
        keuzes = [g.naam for g in gemeenten] + nieuwe_namen
        if mag(gebruiker, "gemeente_aanmaken") and not gebruiker.demo:
            st.caption("Als beheerder kunt u ook een nieuwe gemeente aanmaken.")
            nieuwe = st.text_input("Nieuwe gemeente (laat leeg om er een te kiezen)")
            nieuwe_regio = st.text_input("Regio van de nieuwe gemeente (niet verplicht)")
        else:
            nieuwe = nieuwe_regio = ""
        gemeente_naam = st.selectbox("Gemeente", keuzes) if keuzes else None
        naam_kolom, jaar_kolom = st.columns([3, 1])
        label = naam_kolom.text_input("Naam van de ronde", value=str(dt.date.today().year))
        jaar = jaar_kolom.number_input("Jaar", min_value=repo.JAAR_MIN, max_value=repo.JAAR_MAX,
                                       value=dt.date.today().year, step=1,
                                       help="De regionale vergelijking zet rondes van hetzelfde jaar naast "
                                            "elkaar, ook als hun naam verschilt.")
        kader_keuze = st.multiselect("Kaders", list(kaders), default=list(kaders), format_func=lambda k: kaders[k].titel)
        rol_keuze = st.multiselect("Uitgenodigde rollen", list(rol_namen), default=list(rol_namen), format_func=rol_namen.get)
        maximum = st.number_input("Maximum aantal deelnemers per code", min_value=0,
                                  max_value=repo.MAX_DEELNEMERS_PER_CODE, value=STANDAARD_MAXIMUM, step=1,
                                  help=MAXIMUM_HULP)
        if st.form_submit_button("Ronde openen en codes maken", type="primary"):
            try:
                # gemeente (when new), ronde, codes and last ronde's plan; scope checked in storage
                geopend = open_ronde(eng, door=gebruiker, gemeente=(nieuwe or "").strip() or gemeente_naam,
                                     label=label, kader_versies={k: kaders[k].versie for k in kader_keuze},
                                     rollen=rol_keuze, regio=nieuwe_regio, max_deelnemers=_maximum(maximum),
                                     jaar=int(jaar))
            except ValueError as e:
                st.error(md(e))
            else:
                st.session_state["codes"] = {geopend.ronde.id: geopend.codes}
                context.selecteer_ronde(geopend.ronde.id)
                st.rerun()

if not rondes:
    st.info("U heeft nog geen rondes. Open hierboven een ronde.")
    st.stop()

ronde = context.kies_ronde(rondes)
if ronde.demo:
    st.info("Dit is een demoronde met fictieve gemeenten.", icon=":material/science:")
st.caption(f"Status: **{md(ronde.status)}** · kaders: "
           f"{md(', '.join(kaders[k].titel for k in ronde.kader_ids if k in kaders))}")

# --- samenwerkingskaart (issue 15): an optional part of the questionnaire ----------
@context.bewaak_callback
def _samenwerkingskaart(ronde_id: int) -> None:
    repo.zet_samenwerkingskaart(eng, ronde_id, st.session_state[f"samenwerkingskaart-{ronde_id}"], door=gebruiker)


st.toggle("Samenwerkingskaart vragen", value=repo.samenwerkingskaart_aan(eng, ronde.id),
          key=f"samenwerkingskaart-{ronde.id}", on_change=_samenwerkingskaart, args=(ronde.id,),
          disabled=not ronde.is_open)
st.caption("Aan: de vragenlijst vraagt ook, per partner, hoe ver de samenwerking rond een gezin meestal gaat "
           "(niet verplicht). Zet dit aan vóór de deelnemers beginnen.")

# --- invitations ---------------------------------------------------------------
st.header("Uitnodigingen", divider="gray")
codes = st.session_state.get("codes", {}).get(ronde.id)
if codes:
    st.warning("Bewaar of deel deze links nu: de codes worden niet opgeslagen en zijn later niet meer te zien.",
               icon=":material/key:")
    # the sheet and the CSV are made from the codes on screen now; nothing more is kept
    blad = [Uitnodiging(rol_namen.get(rol, rol), _link(code), code) for rol, code in codes.items()]
    blad_invoer = UitnodigingsbladInvoer(ronde.gemeente, ronde.label, blad)
    pdf_kolom, csv_kolom = st.columns(2)
    pdf_kolom.download_button(
        "Download de uitnodigingen (PDF, A4)", lambda: maak_uitnodigingsblad_pdf(blad_invoer),
        file_name=bestandsnaam("uitnodigingen", ronde.gemeente, ronde.label, extensie="pdf"),
        mime="application/pdf", icon=":material/print:", type="primary",
        help="Per rol de link, de QR-code en de code, om te printen of te mailen.")
    csv_kolom.download_button(
        "Download de links (CSV voor Excel)", uitnodigingen_csv(blad),
        file_name=bestandsnaam("uitnodigingen", ronde.gemeente, ronde.label, extensie="csv"),
        mime="text/csv", icon=":material/table:",
        help="Per rol de link en de code, met puntkomma's, zodat Excel het goed opent.")
    for rol, code in codes.items():
        with st.container(border=True):
            links, rechts = st.columns([3, 1])
            with links:
                st.subheader(md(rol_namen.get(rol, rol)))
                st.markdown(f"Code: `{code}`")
                st.code(_link(code), language=None, wrap_lines=True)
            with rechts:
                st.image(deelnemen.qr_png(_link(code), schaal=5), caption=f"QR-code voor {md(rol_namen.get(rol, rol))}", width=160)
actief = repo.uitnodigingen(eng, ronde.id)
if not codes:
    st.write(f"Er zijn {len(actief)} actieve uitnodigingen. De codes zelf worden niet bewaard (alleen een hash).")
if actief:
    st.dataframe(
        [{"Rol": rol_namen.get(u.rol, u.rol), "Meegedaan met deze code": u.deelnemers,
          "Maximum": "geen" if u.max_deelnemers is None else str(u.max_deelnemers)} for u in actief],
        hide_index=True,
    )
if ronde.is_open:
    nieuw_maximum = st.number_input("Maximum aantal deelnemers per nieuwe code", min_value=0,
                                    max_value=repo.MAX_DEELNEMERS_PER_CODE, value=STANDAARD_MAXIMUM, step=1,
                                    help=MAXIMUM_HULP, key=f"maximum-{ronde.id}")
    if st.button("Nieuwe codes maken", help="De oude codes werken daarna niet meer. Wie al meedoet, kan gewoon verder."):
        st.session_state.setdefault("codes", {})[ronde.id] = repo.maak_uitnodigingen(
            eng, ronde.id, list(ronde.rollen), max_deelnemers=_maximum(nieuw_maximum), door=gebruiker)
        st.rerun()


# --- live count ------------------------------------------------------------------
@st.fragment(run_every="5s")
@context.bewaak_fragment
def _teller(ronde_id: int) -> None:
    aantallen = repo.aantallen_per_rol(eng, ronde_id)
    st.dataframe(
        [{"Rol": rol_namen.get(r, r), "Gestart": g, "Met antwoorden": m} for r, (g, m) in aantallen.items()],
        hide_index=True,
    )
    st.caption(f"Totaal: {sum(g for g, _ in aantallen.values())} gestart · bijgewerkt om {dt.datetime.now():%H:%M:%S}")


st.header("Deelnemers per rol", divider="gray")
_teller(ronde.id)

# --- close / reopen ----------------------------------------------------------------
st.header("Ronde sluiten", divider="gray")
if ronde.is_open:
    st.write("Na het sluiten worden geen antwoorden meer aangenomen.")
    if st.button("Sluit de ronde", type="primary"):
        repo.zet_ronde_status(eng, ronde.id, "gesloten", door=gebruiker)
        st.rerun()
else:
    st.write("Deze ronde is gesloten.")
    if st.button("Heropen de ronde"):
        repo.zet_ronde_status(eng, ronde.id, "open", door=gebruiker)
        st.rerun()

# --- regional comparison (opt-in) ------------------------------------------------
st.header("Regionale vergelijking", divider="gray")
gemeente = next((g for g in gemeenten if g.id == ronde.gemeente_id), None)
if gemeente is not None and gemeente.regio and mag(gebruiker, "regio_deelname", gemeente.naam, gemeente.demo):
    st.write(f"Doet {md(gemeente.naam)} mee aan de vergelijking in {md(gemeente.regio)}? Dan zien de regio en "
             "inspecteurs de mediaan per criterium van deze gemeente naast die van andere gemeenten "
             "(nooit toelichtingen, nooit een ranglijst), en ziet u zelf de regionale mediaan in het "
             f"overzicht. Dat kan pas als ten minste {regio.drempel()} gemeenten meedoen.")

    @context.bewaak_callback
    def _deelname(gemeente_id: int) -> None:
        repo.zet_regio_vergelijking(eng, gemeente_id, st.session_state[f"deelname-{gemeente_id}"], door=gebruiker)

    st.toggle("Deze gemeente doet mee aan de regionale vergelijking", value=gemeente.vergelijking,
              key=f"deelname-{gemeente.id}", on_change=_deelname, args=(gemeente.id,))
else:
    st.write("Deze gemeente hoort bij geen regio; vergelijken met andere gemeenten is dan niet mogelijk.")

# --- privacy ------------------------------------------------------------------------
st.header("Privacy (AVG)", divider="gray")
st.download_button(
    "Exporteer alles wat over deze gemeente is opgeslagen (JSON)",
    json.dumps(repo.exporteer_gemeente(eng, ronde.gemeente_id), ensure_ascii=False, indent=2).encode("utf-8"),
    file_name=bestandsnaam("export", ronde.gemeente, extensie="json"),
    mime="application/json",
)
if mag(gebruiker, "verwijderen", ronde.gemeente, ronde.demo):
    with st.form("verwijderen"):
        st.write(f"**Verwijder ronde** — alle antwoorden, toelichtingen, codes en consensus van "
                 f"‘{md(ronde.label)}’ worden echt gewist. Dit kan niet ongedaan worden gemaakt.")
        bevestiging = st.text_input(f"Typ de naam van de ronde ({md(ronde.label)}) om te bevestigen")
        if st.form_submit_button("Verwijder ronde definitief"):
            if bevestiging.strip() != ronde.label:
                st.error("De naam klopt niet; er is niets verwijderd.")
            else:
                aantal = repo.verwijder_ronde(eng, ronde.id, door=gebruiker)
                context.selecteer_ronde(None)
                st.success(f"Ronde verwijderd ({aantal} regels gewist).")
                st.rerun()
