"""Vragenlijst invullen: a participant joins with an invitation code (one ronde, one
rol), or resumes with their personal code; demo rondes can be tried without a code.

Every answer is saved the moment it is given (widget callbacks write one
transaction each). The resume code sits in the URL and on screen, so closing the
tab loses nothing and the same link or code resumes on any device.
"""
from __future__ import annotations

from datetime import datetime

import streamlit as st
from sqlalchemy.exc import DBAPIError

from views import context
from views.tekst import md, md_lijst
from storage import repository as repo
from storage.invoer import MAX_TOELICHTING, schone_tekst


st.title("Vragenlijst invullen")
context.toon_kaderfouten()
eng = context.engine()
kaders = context.kaders()
lijsten = context.vragenlijsten()


MAX_POGINGEN = 10
VENSTER = 300


def _begin(resp, code: str) -> None:
    st.session_state["respondent_id"] = resp.id
    st.session_state["hervatcode"] = code
    st.session_state["deelnemer"] = True
    st.query_params.clear()
    st.query_params["code"] = code


def _stop() -> None:
    for sleutel in list(st.session_state):
        del st.session_state[sleutel]
    st.query_params.clear()


def _geblokkeerd() -> bool:
    """Too many wrong codes from this client: refuse for a while (shared across app replicas)."""
    if repo.te_veel_pogingen(eng, f"code:{context.client_sleutel()}", MAX_POGINGEN, VENSTER):
        st.error("Te veel onjuiste codes geprobeerd. Wacht vijf minuten en probeer het dan opnieuw.",
                 icon=":material/timer:")
        return True
    return False


def _poging(gelukt: bool) -> None:
    repo.registreer_poging(eng, f"code:{context.client_sleutel()}", gelukt)


def _huidige_respondent():
    code = st.query_params.get("code")
    if code and st.session_state.get("hervatcode") != code:
        if _geblokkeerd():
            st.stop()
        resp = repo.respondent_met_hervatcode(eng, code)
        _poging(resp is not None)
        if resp is None:
            st.error("Deze code kennen we niet. Controleer de code, of begin opnieuw hieronder.")
            st.query_params.clear()
            return None
        st.session_state["respondent_id"] = resp.id
        st.session_state["hervatcode"] = code
        st.session_state["deelnemer"] = True
        return resp
    rid = st.session_state.get("respondent_id")
    if not rid:
        return None
    try:
        st.session_state["respondent"] = repo.respondent(eng, rid)
    except DBAPIError:  # database unreachable: carry on with what this session knows
        _database_weg()
    return st.session_state.get("respondent")


def _database_weg() -> None:
    st.error("De verbinding met de database is even weg. Wat u invult, bewaren we zodra die terug is; "
             "laat dit venster open.", icon=":material/cloud_off:")


def _uitnodiging(code: str) -> None:
    """Someone arrived with an invitation link or code: show what it is for, then start."""
    if _geblokkeerd():
        st.stop()
    uitn = repo.uitnodiging_met_code(eng, code)
    if uitn is None:
        _poging(False)
        st.error("Deze uitnodigingscode kennen we niet (meer). Vraag de organisator om een nieuwe link.")
        st.query_params.clear()
        return
    lijst = lijsten.lijsten.get(uitn.rol)
    st.write(f"U bent uitgenodigd voor **{md(uitn.gemeente)}**, ronde **{md(uitn.ronde_label)}**, "
             f"als **{md(lijst.rol.naam if lijst else uitn.rol)}**.")
    if not uitn.ronde_is_open:
        st.warning("Deze ronde is gesloten. U kunt niet meer meedoen.")
        return
    st.write("Het kost ongeveer 10 minuten. U vult de lijst **anoniem** in: we vragen niet naar uw naam.")
    with st.form("uitnodiging"):
        organisatie = None
        if lijst and lijst.rol.organisaties:
            organisatie = st.selectbox("Bij wat voor organisatie werkt u? (niet verplicht)", lijst.rol.organisaties,
                                       index=None, placeholder="Kies als u wilt")
        if st.form_submit_button("Start de vragenlijst", type="primary"):
            try:
                resp, hervatcode = repo.respondent_via_uitnodiging(eng, code, organisatie)
            except ValueError as e:
                st.error(md(e))
            else:
                _poging(True)
                _begin(resp, hervatcode)
                st.rerun()


def _startscherm() -> None:
    st.write(
        "Met deze vragenlijst geeft u aan hoe de samenwerking rond jeugd in uw gemeente gaat. "
        "U heeft een link of code gekregen van de organisator. U vult de lijst **anoniem** in."
    )
    with st.form("code"):
        code = st.text_input("Code van uw uitnodiging", placeholder="bijvoorbeeld U7QM-3XPA-9TKH-W4RC")
        if st.form_submit_button("Verder", type="primary") and code.strip():
            st.query_params["uitnodiging"] = code.strip()
            st.rerun()
    with st.form("hervat"):
        st.markdown("**Al begonnen?** Vul de code in die u kreeg om verder te gaan.")
        code = st.text_input("Uw code om verder te gaan", placeholder="bijvoorbeeld K7QM-3XPA-9T")
        if st.form_submit_button("Verder gaan") and code.strip():
            st.query_params["code"] = code.strip()
            st.rerun()

    demo_rondes = [r for r in repo.rondes(eng) if r.is_open and r.demo]
    if demo_rondes:
        with st.expander("Oefenen met de demoronde (fictieve gemeenten)", icon=":material/science:"):
            with st.form("start"):
                gemeenten = sorted({r.gemeente for r in demo_rondes})
                gemeente = st.selectbox("Demogemeente", gemeenten)
                rondes = [r for r in demo_rondes if r.gemeente == gemeente]
                ronde = st.selectbox("Ronde", rondes, format_func=lambda r: r.label)
                rol = st.selectbox(
                    "Uw rol", list(lijsten.lijsten),
                    format_func=lambda r: f"{lijsten.lijsten[r].rol.naam} — {lijsten.lijsten[r].rol.omschrijving}",
                )
                if st.form_submit_button("Start de vragenlijst"):
                    if ronde is not None and ronde.gemeente == gemeente and ronde.demo:
                        _begin(*repo.maak_respondent(eng, ronde.id, rol))
                        st.rerun()
                    st.error("Kies een ronde van deze gemeente.")


def _sleutel(soort: str, resp_id: int, kader_id: str, crit_id: str) -> str:
    return f"{soort}|{resp_id}|{kader_id}|{crit_id}"


def _bewaar(resp_id: int, kader_id: str, crit_id: str) -> None:
    score = st.session_state.get(_sleutel("score", resp_id, kader_id, crit_id))
    toelichting = st.session_state.get(_sleutel("toel", resp_id, kader_id, crit_id)) or ""
    status = _sleutel("status", resp_id, kader_id, crit_id)
    wachtrij = st.session_state.setdefault("niet_opgeslagen", set())
    try:
        repo.bewaar_antwoord(eng, resp_id, kader_id, crit_id, score, schone_tekst(toelichting, MAX_TOELICHTING))
    except ValueError as e:
        st.session_state[status] = ("fout", md(e))
    except Exception:  # database unreachable: say so, keep it, and retry on the next click
        wachtrij.add((resp_id, kader_id, crit_id))
        st.session_state[status] = ("fout", "Uw antwoord is NIET opgeslagen: de verbinding met de database is even weg. "
                                            "We proberen het opnieuw bij uw volgende klik. Laat dit venster open.")
    else:
        wachtrij.discard((resp_id, kader_id, crit_id))
        wat = {(True, True): "Score en toelichting", (True, False): "Score", (False, True): "Toelichting"}.get(
            (score is not None, bool(toelichting.strip())), "Wijziging")
        st.session_state[status] = ("ok", f"{wat} opgeslagen om {datetime.now():%H:%M:%S}")


resp = _huidige_respondent()
if resp is None:
    if st.query_params.get("uitnodiging"):
        _uitnodiging(st.query_params["uitnodiging"])
    else:
        _startscherm()
    st.stop()

try:
    ronde = st.session_state["ronde_info"] = repo.ronde(eng, resp.ronde_id)
except DBAPIError:
    ronde = st.session_state.get("ronde_info")
lijst = lijsten.lijsten.get(resp.rol)
if ronde is None or lijst is None:
    st.error("Deze vragenlijst bestaat niet meer.")
    st.button("Opnieuw beginnen", on_click=_stop)
    st.stop()

for wachtend in sorted(st.session_state.get("niet_opgeslagen", set())):
    _bewaar(*wachtend)  # answers that could not be saved earlier: try again now
if st.session_state.get("niet_opgeslagen"):
    st.error(f"{len(st.session_state['niet_opgeslagen'])} antwoord(en) zijn nog niet opgeslagen. "
             "Laat dit venster open; we proberen het opnieuw bij uw volgende klik.", icon=":material/cloud_off:")

vragen = [v for v in lijst.vragen if v.kader_id in ronde.kader_versies and v.kader_id in kaders]
try:
    bestaand = repo.antwoorden_van(eng, resp.id)
except DBAPIError:
    bestaand = {}  # the widgets keep this session's values

for v in vragen:
    score, toelichting = bestaand.get((v.kader_id, v.criterium_id), (None, ""))
    st.session_state.setdefault(_sleutel("score", resp.id, v.kader_id, v.criterium_id), score)
    st.session_state.setdefault(_sleutel("toel", resp.id, v.kader_id, v.criterium_id), toelichting)

st.markdown(f"U vult in als **{md(lijst.rol.naam)}** voor **{md(ronde.gemeente)}**, ronde **{md(ronde.label)}**.")
if ronde.demo:
    st.info("Dit is een demoronde met fictieve gemeenten. Uw antwoorden zijn alleen om te oefenen.", icon=":material/science:")
code = st.session_state.get("hervatcode")
if code:
    st.success(
        f"Uw antwoorden worden direct opgeslagen. Wilt u later of op een ander apparaat verder? "
        f"Bewaar dan deze code: **{md(code)}**", icon=":material/save:",
    )
if not ronde.is_open:
    st.warning("Deze ronde is gesloten. U kunt uw antwoorden bekijken, maar niet meer wijzigen.")

beantwoord = sum(st.session_state.get(_sleutel("score", resp.id, v.kader_id, v.criterium_id)) is not None for v in vragen)
st.progress(beantwoord / len(vragen) if vragen else 1.0, text=f"{beantwoord} van {len(vragen)} vragen beantwoord")

nummer = 0
for kader_id in lijst.kader_ids:
    if kader_id not in ronde.kader_versies or kader_id not in kaders:
        continue
    kader = kaders[kader_id]
    schaal = kader.schaal
    opties = [str(p.waarde) for p in schaal.punten] + [g.waarde for g in schaal.geen_oordeel]
    # radio options read markdown: scale labels come from a YAML file
    labels = {str(p.waarde): md(f"{p.waarde} · {p.label}") for p in schaal.punten} | {
        g.waarde: md(g.label) for g in schaal.geen_oordeel}
    st.header(md(kader.titel), divider="gray")
    st.caption("Geef bij elke stelling aan hoe goed die klopt voor uw gemeente. "
               + md(" · ".join(f"{p.waarde} = {p.label.lower()}" for p in schaal.punten))
               + ". ‘Weet niet’ en ‘niet van toepassing’ tellen niet mee. "
               + md(lijsten.toelichting_hint)
               + " Een toelichting wordt opgeslagen zodra u buiten het vak klikt of Ctrl+Enter drukt.")
    for v in lijst.voor_kader(kader_id):
        nummer += 1
        crit = kader.criterium(v.criterium_id)
        args = (resp.id, kader_id, crit.id)
        with st.container(border=True):
            st.markdown(f"**{nummer}. {md(v.stelling)}**")
            with st.expander("Waaraan kun je dat zien?"):
                st.markdown(f"*{'Wanneer is het goed?' if crit.soort == 'criterium' else md(crit.soort.capitalize())}*"
                            f" — {md(crit.tekst)}")
                if crit.indicatoren:
                    st.markdown(md_lijst(i.tekst for i in crit.indicatoren))
                st.caption(f"Bron: {md(crit.bron)}")
            st.radio(
                f"Hoe goed klopt stelling {nummer}?", opties, index=None, horizontal=True,
                format_func=labels.get, key=_sleutel("score", *args), on_change=_bewaar, args=args,
                disabled=not ronde.is_open,
            )
            st.text_area(
                f"Toelichting bij stelling {nummer} (niet verplicht)", key=_sleutel("toel", *args),
                on_change=_bewaar, args=args, max_chars=MAX_TOELICHTING, height=80,
                placeholder=lijsten.toelichting_hint, disabled=not ronde.is_open,
            )
            status = st.session_state.get(_sleutel("status", *args))
            if status and status[0] == "fout":
                st.error(status[1], icon=":material/error:")
            elif status:
                st.caption(f"✓ {status[1]}")

if vragen and beantwoord == len(vragen):
    st.success("Bedankt! U heeft alle stellingen beantwoord. Zolang de ronde open is, kunt u nog wijzigen.", icon=":material/check_circle:")
st.button("Stoppen met deze vragenlijst", on_click=_stop, help="Uw antwoorden blijven bewaard. Met uw code kunt u later verder.")
