"""The verbeterplan page: suggestions from the sources become SMART actions; read-only for inspecteurs."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from storage import repository as repo
from storage.bereik import SYSTEEM  # noqa: E402
from storage.db import maak_engine
from toegang import Gebruiker

if TYPE_CHECKING:  # only for annotations: importing it costs collection time
    from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.db

PAGINA = str(Path(__file__).resolve().parent.parent / "views" / "verbeterplan.py")
FACILITATOR = Gebruiker("demo-facilitator", "facilitator", frozenset({"*"}), demo=True)
INSPECTEUR = Gebruiker("demo-inspecteur", "inspecteur", frozenset({"*"}), demo=True)


def _run(gebruiker=None) -> AppTest:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(PAGINA, default_timeout=90)
    if gebruiker:
        at.session_state["gebruiker"] = gebruiker
    at.run()
    assert not at.exception, at.exception
    return at


def test_adopt_a_suggestion_and_make_it_smart(app_db):
    at = _run(FACILITATOR)
    assert any(h.value.startswith("Verbeterpunten") for h in at.header)
    neem = [b for b in at.button if b.label == "Neem over"]
    assert neem, "er zijn suggesties uit de bronnen"
    eng = maak_engine(app_db)
    ronde_id = at.session_state["ronde_keuze"]  # the ronde the page shows (the newest)
    voor = {a.id for a in repo.acties_van(eng, ronde_id)}  # actions carried over from the previous ronde
    neem[0].click().run()
    assert not at.exception
    [actie] = [a for a in repo.acties_van(eng, ronde_id) if a.id not in voor]
    assert actie.bron_actie_id and actie.status == "gepland"
    # its form: the page lists the actions of the kader in the order they were added
    i = [a.id for a in repo.acties_van(eng, ronde_id) if a.kader_id == actie.kader_id].index(actie.id)

    # make it SMART in the action's form
    eigenaar = [t for t in at.text_input if t.label == "Eigenaar (organisatie)"][i]
    eigenaar.input("Gemeente (team jeugd)")
    [t for t in at.text_input if t.label == "Hoe meten we het?"][i].input("Aantal warme overdrachten per kwartaal")
    [s for s in at.selectbox if s.label == "Status"][i].set_value("bezig")
    [b for b in at.button if b.label == "Opslaan"][i].click().run()
    assert not at.exception
    actie = next(a for a in repo.acties_van(eng, ronde_id) if a.id == actie.id)
    assert (actie.eigenaar, actie.meting, actie.status) == ("Gemeente (team jeugd)", "Aantal warme overdrachten per kwartaal", "bezig")
    assert len(repo.actie_wijzigingen(eng, actie.id)) == 2  # created + changed


def test_inspecteur_sees_the_plan_read_only(app_db):
    eng = maak_engine(app_db)
    ronde_id = _run(FACILITATOR).session_state["ronde_keuze"]  # creates the database and demo
    repo.maak_actie(eng, ronde_id, "stj-stelseltoezicht-jeugd", "c1-signalering", "Scholing meldcode <b>vet</b>", door=SYSTEEM)
    at = _run(INSPECTEUR)
    assert not [b for b in at.button if b.label in ("Neem over", "Opslaan")]
    assert any(t.value == "Scholing meldcode <b>vet</b>" for t in at.text)  # shown as plain text


def test_anonymous_sees_demo_only_read_only(app_db):
    at = _run()
    assert not [b for b in at.button if b.label == "Neem over"]
    assert any("demo-facilitator" in i.value for i in at.info)


@pytest.mark.pdf
def test_pdf_from_the_page_contains_the_plan(app_db):
    import io

    from pypdf import PdfReader

    at = _run(FACILITATOR)
    eng = maak_engine(app_db)
    voor = {a.id for a in repo.acties_van(eng, at.session_state["ronde_keuze"])}
    next(b for b in at.button if b.label == "Neem over").click().run()
    next(b for b in at.button if b.label == "Maak het verbeterplan (PDF)").click().run()
    assert not at.exception
    _, _, pdf = at.session_state["verbeterplan"]
    tekst = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Actieplan" in tekst and "Suggesties uit de bronnen" in tekst
    # the demo ronde has a previous ronde: its scores next to these, and its actions
    assert "Voortgang vorige ronde" in tekst and "Scores: deze ronde en ronde" in tekst
    [actie] = [a for a in repo.acties_van(eng, at.session_state["ronde_keuze"]) if a.id not in voor]
    assert " ".join(actie.wat.split()[:5]) in " ".join(tekst.split())
