"""Vragenlijst invullen: a participant joins with an invitation code (one ronde, one
rol), or resumes with their personal code; demo rondes can be tried without a code.

Every answer is saved the moment it is given: the widget callback returns only after
the answer is committed (on SQLite answers that arrive together share one commit,
storage/antwoorden.py). Each statement is an ``st.fragment``, so a click reruns that
statement and the progress bar, not the whole page. The resume code sits in the URL and on screen, so closing the
tab loses nothing and the same link or code resumes on any device.

When the database cannot be reached during a session, an answer stays in this
session, is marked "Nog niet opgeslagen" and is saved as soon as the database is
back (on the next click, and every few seconds while answers wait). Only outage
errors are handled so (storage.db.is_onbereikbaar); any other error surfaces.
"""
from __future__ import annotations

from datetime import datetime

import streamlit as st

from diensten import limieten
from kader.model import koppen
from storage import repository as repo
from storage.db import DATABASEFOUTEN, is_onbereikbaar, is_tijdelijke_fout
from uitwisselformaat import MAX_TOELICHTING, schone_tekst
from views import context, tweede_stem
from views.bronnen import bron_md
from views.samenwerking import toon_samenwerking
from views.tekst import md, md_lijst

st.title("Vragenlijst invullen")
context.toon_kaderfouten()
eng = context.engine()
kaders = context.kaders()
lijsten = context.vragenlijsten()


OPNIEUW_NA = "10s"  # while answers wait for the database: try again this often
storing = False  # set when the database could not be reached during this run


def _is_storing(exc: BaseException, tijdelijk: bool = False) -> bool:
    """True (and remembered for this run) when the page can go on without the database:
    an outage or, with ``tijdelijk``, a lock that outlasted its retries. The caller
    re-raises anything else, such as a programming error."""
    global storing
    weg = is_onbereikbaar(exc) or (tijdelijk and is_tijdelijke_fout(exc))
    storing = storing or weg
    return weg


def _begin(resp, code: str) -> None:
    st.session_state["respondent_id"] = resp.id
    st.session_state["hervatcode"] = code
    st.session_state["deelnemer"] = True
    st.query_params.clear()
    st.query_params["code"] = code


def _stop() -> None:
    code = st.session_state.get("hervatcode")
    for sleutel in list(st.session_state):
        del st.session_state[sleutel]
    st.query_params.clear()
    if code:  # the start screen repeats it once, so the participant can write it down
        st.session_state["gestopt_met_code"] = code


def _geblokkeerd() -> bool:
    """Too many wrong codes from this client, over all its page loads (diensten.limieten)."""
    if limieten.code_geblokkeerd(eng, context.client_sleutel()):
        st.error(limieten.CODE_MELDING, icon=":material/timer:")
        return True
    return False


def _poging(gelukt: bool) -> None:
    limieten.registreer_code(eng, context.client_sleutel(), gelukt)


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
    except DATABASEFOUTEN as exc:  # database unreachable: carry on with what this session knows
        if "respondent" not in st.session_state or not _is_storing(exc):
            raise  # not an outage, or nothing to carry on with (then the page shows the general notice)
    return st.session_state.get("respondent")


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
    if uitn.vol:
        st.warning(f"Met deze uitnodigingscode doen al {uitn.max_deelnemers} deelnemers mee; dat is het maximum. "
                   "Vraag de organisator om een nieuwe code.")
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
    gestopt = st.session_state.pop("gestopt_met_code", None)
    if gestopt:
        st.success(f"Uw antwoorden zijn bewaard. Schrijf deze code op om later verder te gaan: **{md(gestopt)}**  \n"
                   "Vul de code hieronder in bij **Al begonnen?**, op dit of een ander apparaat.",
                   icon=":material/save:")
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
                        _begin(*repo.oefen_respondent(eng, ronde.id, rol))
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
    except ValueError as e:  # a definite no (e.g. the ronde closed meanwhile): no point in retrying
        wachtrij.discard((resp_id, kader_id, crit_id))
        st.session_state[status] = ("fout", md(e))
    except DATABASEFOUTEN as exc:  # database unreachable: keep the answer here and try again later
        if not _is_storing(exc, tijdelijk=True):
            raise
        wachtrij.add((resp_id, kader_id, crit_id))
        st.session_state[status] = ("wacht", "Nog niet opgeslagen: de database is even niet bereikbaar. "
                                             "We slaan uw antwoord op zodra die terug is.")
    else:
        wachtrij.discard((resp_id, kader_id, crit_id))
        wat = {(True, True): "Score en toelichting", (True, False): "Score", (False, True): "Toelichting"}.get(
            (score is not None, bool(toelichting.strip())), "Wijziging")
        st.session_state[status] = ("ok", f"{wat} opgeslagen om {datetime.now():%H:%M:%S}")
    st.session_state["net_bewaard"] = (resp_id, kader_id, crit_id)


def _verklaring() -> None:
    """Participants have no menu: the accessibility statement is linked here (our own fixed text)."""
    st.caption("Lukt het invullen niet goed met uw hulpmiddel? Lees de toegankelijkheidsverklaring "
               "(opent in een nieuw tabblad; uw antwoorden blijven bewaard).")
    st.link_button("Toegankelijkheidsverklaring", "toegankelijkheid", type="tertiary",
                   icon=":material/accessibility:")


resp = _huidige_respondent()
if resp is None:
    if st.query_params.get("uitnodiging"):
        _uitnodiging(st.query_params["uitnodiging"])
    else:
        _startscherm()
    _verklaring()
    st.stop()

try:
    ronde = st.session_state["ronde_info"] = repo.ronde(eng, resp.ronde_id)
except DATABASEFOUTEN as exc:
    if "ronde_info" not in st.session_state or not _is_storing(exc):
        raise
    ronde = st.session_state["ronde_info"]
lijst = lijsten.lijsten.get(resp.rol)
if ronde is None or lijst is None:
    st.error("Deze vragenlijst bestaat niet meer.")
    st.button("Opnieuw beginnen", on_click=_stop)
    st.stop()


@st.fragment(run_every=OPNIEUW_NA)
def _bewaar_wachtende() -> None:
    """Answers that could not be saved: try again now and, while some wait, every few
    seconds; once all are saved, refresh the page so the notices go away."""
    wachtrij = st.session_state.get("niet_opgeslagen", set())
    for wachtend in sorted(wachtrij):
        _bewaar(*wachtend)
        if wachtend in wachtrij:
            break  # the database is still away: the others wait for the next try
    if not wachtrij:
        st.rerun()


if st.session_state.get("niet_opgeslagen"):
    _bewaar_wachtende()

try:
    bestaand = repo.antwoorden_van(eng, resp.id)
except DATABASEFOUTEN as exc:
    if not _is_storing(exc):
        raise
    bestaand = {}  # the widgets keep this session's values
wachtend = len(st.session_state.get("niet_opgeslagen", ()))
if storing or wachtend:
    if wachtend:
        nog = (f"{wachtend} antwoorden zijn nog niet opgeslagen; we slaan ze op" if wachtend > 1
               else "1 antwoord is nog niet opgeslagen; we slaan het op")
    else:
        nog = "Wat u nu invult, slaan we op"
    st.warning(f"**De database is op dit moment niet bereikbaar.** Wat al was opgeslagen, is veilig. {nog} "
               "zodra de database terug is. Laat dit venster open.", icon=":material/cloud_off:")

vragen = [v for v in lijst.vragen if v.kader_id in ronde.kader_versies and v.kader_id in kaders]

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
else:  # the workshop's second silent vote, when the facilitator opens one (views/tweede_stem.py)
    tweede_stem.deelnemer(eng, resp, ronde, kaders, {(v.kader_id, v.criterium_id): v.stelling for v in vragen})

def _beantwoord() -> int:
    return sum(st.session_state.get(_sleutel("score", resp.id, v.kader_id, v.criterium_id)) is not None
               for v in vragen)


def _toon_voortgang(plek) -> None:
    aantal = _beantwoord()
    plek.progress(aantal / len(vragen) if vragen else 1.0, text=f"{aantal} van {len(vragen)} vragen beantwoord")


# The progress bar sits in a one-element placeholder. Every statement's fragment writes the bar
# into it, on a run of the whole page too: Streamlit lets a fragment's own rerun redraw a
# placeholder outside it only when the fragment wrote there on the last full run, and in a
# placeholder the last write wins. The mark of a save is for the fragment's own rerun only.
st.session_state.pop("net_bewaard", None)
voortgang = st.empty()


@st.fragment
def _stelling(nummer: int, kader, crit, stelling: str, opties: list[str], labels: dict[str, str]) -> None:
    """One statement. A click reruns only this fragment, not the whole page: in a workshop
    tens of phones answer at once, and a full rerun sends every statement again
    (bench/README.md, app_participants_50)."""
    args = (resp.id, kader.id, crit.id)
    with st.container(border=True):
        st.markdown(f"**{nummer}. {md(stelling)}**")
        kop = koppen(kader, crit)
        # the STJ question only above STJ criteria; a succesfactor is not an STJ criterium
        with st.expander("Waaraan kunt u dat zien?" if kader.is_stj else "Uitleg bij deze stelling"):
            st.markdown(f"*{md(kop.item)}* — {md(crit.tekst)}")
            if crit.indicatoren:
                st.markdown(md_lijst(i.tekst for i in crit.indicatoren))
            st.caption(bron_md(crit.bron))
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
        elif status and status[0] == "wacht":
            st.warning(status[1], icon=":material/cloud_off:")
        elif status:
            st.caption(f"✓ {status[1]}")
    _toon_voortgang(voortgang)
    if st.session_state.get("net_bewaard") == args:  # this fragment's rerun after a save
        del st.session_state["net_bewaard"]
        if st.session_state.get("niet_opgeslagen") or _beantwoord() == len(vragen):
            # the whole page: the outage notice and its retries, or the thank-you at the end
            st.rerun(scope="app")


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
        _stelling(nummer, kader, kader.criterium(v.criterium_id), v.stelling, opties, labels)
if not vragen:
    _toon_voortgang(voortgang)

# issue 15: the optional samenwerkingskaart part (views/samenwerking.py), when switched on for the ronde
toon_samenwerking(eng, resp, ronde, context.rol_namen(), lijsten.toelichting_hint)

if vragen and _beantwoord() == len(vragen):
    st.success("Bedankt! U heeft alle stellingen beantwoord. Zolang de ronde open is, kunt u nog wijzigen.", icon=":material/check_circle:")
st.button("Stoppen met deze vragenlijst", on_click=_stop, help="Uw antwoorden blijven bewaard. Met uw code kunt u later verder.")
_verklaring()
