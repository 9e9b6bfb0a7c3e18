"""Verbeterplan: keep the strong points, pick actions for the weak ones, track them, download the PDF.

Suggested actions come from the action library (kader/acties.yaml), each with its
bron. The facilitator adopts or adapts them, or writes their own, and makes each
SMART: wat, eigenaar, deadline, hoe meten we het, status. Last ronde's actions come
along with their status when a ronde opens. Inspecteurs see the plan read-only.
"""
from __future__ import annotations

import streamlit as st

from diensten.verbeterplan import verbeterplan_invoer
from kader import laad_acties, suggesties
from kader.acties import NIVEAU_LABELS
from kader.bronnen import begrippen_in
from kader.model import koppen
from rapport import planeffect, samenvatting
from rapport.aggregatie import aggregeer, rangschik
from rapport.anonimiteit import TE_WEINIG, onderdruk, onderdrukte_criteria
from rapport.bestandsnaam import bestandsnaam
from rapport.grafiek import GrafiekOpties
from rapport.opmaak import datum as opmaak_datum
from rapport.verbeterplan import GROOT_VERSCHIL, afspraken, maak_verbeterplan_pdf
from storage import repository as repo
from toegang import mag
from uitwisselformaat import schone_tekst
from views import context
from views.bronnen import EIGEN_UITLEG, bron_md
from views.planeffect import toon as toon_planeffect
from views.tekst import md

STATUS = {"gepland": "Gepland", "bezig": "Bezig", "gerealiseerd": "Gerealiseerd", "gestopt": "Gestopt"}

st.title("Verbeterplan")
context.toon_kaderfouten()
eng = context.engine()
kaders = context.kaders()
gebruiker = context.huidige_gebruiker()


@st.cache_resource(show_spinner=False)
def _bibliotheek():
    acties, _ = laad_acties(kaders)
    return acties


rondes = context.zichtbare_rondes(repo.rondes(eng), "verbeterplan")
if not rondes:
    st.info("Er zijn nog geen rondes die u mag zien. Log in als medewerker, of bekijk de demoronde.")
    st.stop()
ronde = context.kies_ronde(rondes)
kader_ids = [k for k in kaders if k in ronde.kader_versies]
kader = kaders[st.selectbox("Kader", kader_ids, format_func=lambda k: kaders[k].titel)]
bewerken = ronde.is_open and mag(gebruiker, "ronde_beheren", ronde.gemeente, ronde.demo)
if ronde.demo and not bewerken:
    # the demo account hint is for anonymous visitors only; a signed-in user is told why not
    st.info("Demo: fictieve gemeente. Log in als `demo-facilitator` om het plan te bewerken." if gebruiker is None
            else "Demo: fictieve gemeente. Alleen een facilitator kan dit plan bewerken; u kunt het bekijken.",
            icon=":material/science:")

# a criterium (or a group's part of it) with too few answers enters no number, as in the PDF
ruw = repo.antwoorden_df(eng, ronde.id)
antwoorden = onderdruk(ruw, rol_namen=context.rol_namen())
agg = aggregeer(antwoorden, kader)
rang = rangschik(agg, kader)
# the workshop's agreed score beside the mean; a withheld criterium shows the consensus
# (a statement of the group) but no mean, no distribution and no gap
te_weinig = {c for k, c in onderdrukte_criteria(ruw, onderdrukt=antwoorden) if k == kader.id}
afspraak = {r["id"]: r for r in afspraken(kader, antwoorden, repo.consensus_van(eng, ronde.id), te_weinig)}
acties = [a for a in repo.acties_van(eng, ronde.id) if a.kader_id == kader.id]
vorige = repo.vorige_ronde(eng, ronde.id)



def _afspraak_regel(criterium_id: str) -> str:
    """' · afgesproken 3 – Klopt grotendeels' (and the named gap), or '' without consensus."""
    rij = afspraak[criterium_id]
    if not rij["afgesproken"]:
        return ""
    return f"Afgesproken in de workshop: **{md(rij['afgesproken']['score'])}**" + (
        f". {rij['verschil_tekst']}" if rij["verschil_tekst"] else "")


# --- gemiddelde naast de afspraak uit de workshop -------------------------------------------
st.header("Gemiddelde en afgesproken score", divider="gray")
st.caption("Per onderdeel het gemiddelde en de verdeling van de scores die de deelnemers elk apart gaven, "
           "met de score die zij in de workshop samen hebben afgesproken. Ligt die afgesproken score "
           f"{context.getal(GROOT_VERSCHIL)} punt of meer hoger of lager dan het gemiddelde, dan staat dat eronder.")
# the scores in words, as in the PDF beside its chart (all respondents together)
st.markdown(f"**In het kort:** {md(samenvatting.spinnenweb(agg, kader, GrafiekOpties(rollen=())))}")
st.dataframe(
    [{"Onderdeel": r["kort"],
      "Gemiddelde": TE_WEINIG if r["te_weinig"] else context.getal(r["gemiddelde"]),
      "Verdeling": "" if r["te_weinig"] else r["verdeling"] or "geen scores",
      "Afgesproken": r["afgesproken"]["score"] if r["afgesproken"] else "–",
      "Verschil": r["verschil_label"]} for r in afspraak.values()],
    hide_index=True,
)
for r in afspraak.values():
    if r["afgesproken"] and (r["verschil_tekst"] or r["afgesproken"]["motivatie"]):
        with st.container(border=True):
            st.markdown(f"**{md(r['kort'])}** · {_afspraak_regel(r['id'])}")
            if r["afgesproken"]["motivatie"]:
                st.text(r["afgesproken"]["motivatie"])

# --- behouden ------------------------------------------------------------------------
st.header("Behouden: sterke punten", divider="gray")
if rang.sterke_punten.empty:
    st.write(f"Nog geen onderdelen met een gemiddelde van {kader.sterk_punt_vanaf} of hoger.")
for rij in rang.sterke_punten.itertuples():
    regel = _afspraak_regel(rij.id)
    st.markdown(f"- **{md(rij.kort)}** — gemiddelde {context.getal(float(rij.gemiddelde))}"
                + (f" · {regel}" if regel else ""))

# --- verbeterpunten met suggesties ---------------------------------------------------
st.header("Verbeterpunten", divider="gray")
st.caption("Laagste score eerst; bij gelijke score eerst waar de meningen het meest uiteenlopen.")
bibliotheek = _bibliotheek()
getoond: list[str] = []  # suggestion texts shown, for the glossary below
for rij in rang.verbeterpunten.itertuples():
    crit = kader.criterium(rij.id)
    eigen = [a for a in acties if a.criterium_id == crit.id]
    with st.expander(f"{md(crit.kort)} — gemiddelde {context.getal(float(rij.gemiddelde))} · {len(eigen)} actie(s)"):
        if _afspraak_regel(crit.id):
            st.markdown(_afspraak_regel(crit.id))
        st.markdown(f"*{md(koppen(kader, crit).item)}* {md(crit.tekst)}")
        voorstellen = suggesties(bibliotheek, kader.id, crit.id)
        if voorstellen:
            st.markdown("**Suggesties uit de bronnen**")
        for actie in voorstellen[:6]:
            links, rechts = st.columns([5, 1])
            links.markdown(md(actie.tekst))
            links.caption(f"{md(NIVEAU_LABELS.get(actie.niveau, actie.niveau))} · {bron_md(actie.bron)}")
            if actie.herschreven:
                links.caption(f"Aangepast door dit instrument: {md(actie.reden)}")
            getoond.append(actie.tekst)
            al = any(a.bron_actie_id == actie.id for a in eigen)
            if bewerken and rechts.button("Overgenomen" if al else "Neem over", key=f"neem-{crit.id}-{actie.id}",
                                          disabled=al):
                repo.maak_actie(eng, ronde.id, kader.id, crit.id, actie.tekst, bron_actie_id=actie.id, door=gebruiker)
                st.rerun()
        if bewerken:
            with st.form(f"eigen-{crit.id}", clear_on_submit=True):
                wat = st.text_area("Eigen actie", placeholder="Wat gaan we doen?", max_chars=2000)
                if st.form_submit_button("Voeg eigen actie toe") and wat.strip():
                    repo.maak_actie(eng, ronde.id, kader.id, crit.id, schone_tekst(wat.strip(), 2000), door=gebruiker)
                    st.rerun()

# terms of sources from before the Jeugdwet that occur in the suggestions shown
woorden = begrippen_in("\n".join(getoond))
if woorden:
    with st.expander("Begrippen uit oudere bronnen"):
        st.caption(EIGEN_UITLEG)
        st.markdown("\n".join(f"- **{md(b.term)}**: {md(b.uitleg)}" for b in woorden))

# --- actieplan ------------------------------------------------------------------------
st.header("Actieplan", divider="gray")
if not acties:
    st.write("Nog geen acties. Neem een suggestie over of voeg een eigen actie toe bij een verbeterpunt.")
for actie in acties:
    crit_kort = kader.criterium(actie.criterium_id).kort if actie.criterium_id else "Algemeen"
    with st.container(border=True):
        st.markdown(f"**{md(crit_kort)}** · {md(STATUS.get(actie.status, actie.status))}"
                    + (" · overgenomen uit de vorige ronde" if actie.overgenomen_van else ""))
        if not bewerken:
            st.text(actie.wat)
            st.caption(f"Eigenaar: {md(actie.eigenaar or '–')} · deadline: {md(opmaak_datum(actie.deadline))} · "
                       f"hoe meten we het: {md(actie.meting or '–')}")
            continue
        with st.form(f"actie-{actie.id}"):
            wat = st.text_area("Wat", actie.wat, max_chars=2000)
            a, b = st.columns(2)
            eigenaar = a.text_input("Eigenaar (organisatie)", actie.eigenaar, max_chars=200)
            deadline = b.date_input("Deadline", actie.deadline, format="DD-MM-YYYY")
            meting = st.text_input("Hoe meten we het?", actie.meting, max_chars=500)
            a, b = st.columns(2)
            status = a.selectbox("Status", list(STATUS), index=list(STATUS).index(actie.status), format_func=STATUS.get)
            effect = b.text_input("Effect (wat heeft het opgeleverd?)", actie.effect, max_chars=500)
            opslaan, weg = st.columns([1, 1])
            if opslaan.form_submit_button("Opslaan", type="primary"):
                repo.wijzig_actie(eng, actie.id, wat=schone_tekst(wat, 2000), eigenaar=schone_tekst(eigenaar, 200),
                                  deadline=deadline, meting=schone_tekst(meting, 500), status=status,
                                  effect=schone_tekst(effect, 500), door=gebruiker)
                st.rerun()
            if weg.form_submit_button("Verwijder actie"):
                repo.verwijder_actie(eng, actie.id, door=gebruiker)
                st.rerun()

# --- voortgang vorige ronde -------------------------------------------------------------
vorige_acties = []
if vorige is not None:
    st.header(f"Voortgang sinds {md(vorige.label)}", divider="gray")
    vorige_acties = [a for a in repo.voortgang_acties(eng, ronde.id) if a.kader_id == kader.id]
    if vorige_acties:
        st.dataframe([{"Actie": a.wat, "Status": STATUS.get(a.status, a.status), "Effect": a.effect}
                      for a in vorige_acties], hide_index=True)
    else:
        st.write("In de vorige ronde zijn geen acties vastgelegd.")
    # did last year's plan work? (issue 15; rapport/planeffect.py, the same numbers as the PDF)
    toon_planeffect(planeffect.bereken(ruw, repo.antwoorden_df(eng, vorige.id), vorige_acties, kader,
                                       vorige_ronde=vorige.label, rol_namen=context.rol_namen()))

# --- pdf --------------------------------------------------------------------------------
st.header("Downloaden", divider="gray")
if st.button("Maak het verbeterplan (PDF)", type="primary"):
    with st.spinner("PDF maken…"):
        # the same inputs as `python -m rapport batch`: with a previous ronde, its actions
        # (status, effect) and its scores next to these
        pdf = maak_verbeterplan_pdf(verbeterplan_invoer(eng, ronde, kader, rol_namen=context.rol_namen(),
                                                        bibliotheek=bibliotheek))
    st.session_state["verbeterplan"] = (ronde.id, kader.id, pdf)
klaar = st.session_state.get("verbeterplan")
if klaar and klaar[:2] == (ronde.id, kader.id):
    naam = bestandsnaam("verbeterplan", ronde.gemeente, ronde.label, kader.id, extensie="pdf")
    st.download_button("Download het verbeterplan (PDF)", klaar[2], file_name=naam, mime="application/pdf")
