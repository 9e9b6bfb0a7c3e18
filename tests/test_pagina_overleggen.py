"""The page 'Overleggen in kaart': staff only; the facilitator adds, changes and deletes
overleggen; the matrix with its summary, the bron and the CSV; read-only for inspecteurs."""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from storage import repository as repo
from storage.db import maak_engine
from toegang import Gebruiker
from views.tekst import md

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.db

PAGINA = str(Path(__file__).resolve().parent.parent / "views" / "overleggen.py")
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


def _tekst(at) -> str:
    """Markdown and captions as a person reads them (the escaping of views.tekst.md undone)."""
    return re.sub(r"\\(.)", r"\1", "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption]))


def test_alleen_voor_medewerkers(app_db):
    at = _run()
    assert any("alleen voor medewerkers" in w.value for w in at.warning)
    assert not at.text_input


def _naar_demo_inventaris(at) -> AppTest:
    """Choose the ronde that has the demo inventory (the first demo gemeente's newest)."""
    from storage.demo import DEMO_EERSTE_GEMEENTE, DEMO_RONDE

    eng = maak_engine(os.environ["ZBT_DATABASE_URL"])
    [r] = [r for r in repo.rondes(eng) if r.gemeente == DEMO_EERSTE_GEMEENTE and r.label == DEMO_RONDE]
    at.selectbox(key="ronde_keuze").set_value(r.id).run()
    assert not at.exception
    return at


def test_demo_inventaris_met_matrix_samenvatting_en_bron(app_db):
    at = _naar_demo_inventaris(_run(FACILITATOR))
    tekst = _tekst(at)
    assert "Er staan 5 overleggen in de lijst." in tekst
    assert "geen enkel overleg: periodiek analyseren van signalen" in tekst
    assert "RegioPlan Beleidsonderzoek" in tekst and "000_" not in tekst
    assert "eigen keuze van dit instrument" in tekst
    [tabel] = at.dataframe
    assert list(tabel.value.columns)[:3] == ["Overleg", "Informatie en advies", "Signalering"]
    assert tabel.value.iloc[-1, 0] == "Aantal overleggen" and len(tabel.value) == 6


def test_facilitator_voegt_toe_wijzigt_en_verwijdert(app_db):
    at = _naar_demo_inventaris(_run(FACILITATOR))
    eng = maak_engine(app_db)
    ronde_id = at.session_state["ronde_keuze"]
    voor = {o.naam for o in repo.overleggen_van(eng, ronde_id)}
    at.text_input(key="naam-nieuw").input("Overleg <b>jeugd</b> & gezin")
    at.text_input(key="freq-nieuw").input("elke week")
    at.selectbox(key="voorzitter-nieuw").set_value("jgz")
    at.multiselect(key="deelnemers-nieuw").set_value(["jgz", "onderwijs"])
    at.checkbox(key="functie-nieuw-periodiek-analyseren-van-signalen").check()
    [b for b in at.button if b.label == "Voeg overleg toe"][0].click().run()
    assert not at.exception and not at.error
    [nieuw] = [o for o in repo.overleggen_van(eng, ronde_id) if o.naam not in voor]
    assert (nieuw.naam, nieuw.frequentie, nieuw.voorzitter_rol) == ("Overleg <b>jeugd</b> & gezin", "elke week", "jgz")
    assert nieuw.deelnemers == ("jgz", "onderwijs") and nieuw.functies == ("periodiek-analyseren-van-signalen",)
    assert "Elke functie wordt door minstens één overleg vervuld." in _tekst(at)
    # shown as text, not as HTML: every character escaped for Markdown
    assert any(e.label.startswith(md("Overleg <b>jeugd</b> & gezin")) for e in at.expander)

    # a name that exists already: a Dutch message, nothing written
    at.text_input(key="naam-nieuw").input("wijkteamoverleg")
    [b for b in at.button if b.label == "Voeg overleg toe"][0].click().run()
    assert any("er is al een overleg" in e.value for e in at.error)

    at.checkbox(key=f"functie-{nieuw.id}-evaluatie").check()
    i = [o.id for o in repo.overleggen_van(eng, ronde_id)].index(nieuw.id)
    [b for b in at.button if b.label == "Opslaan"][i].click().run()
    assert not at.exception
    assert next(o for o in repo.overleggen_van(eng, ronde_id) if o.id == nieuw.id).functies == (
        "evaluatie", "periodiek-analyseren-van-signalen")
    [b for b in at.button if b.label == "Verwijder overleg"][i].click().run()
    assert {o.naam for o in repo.overleggen_van(eng, ronde_id)} == voor


def test_inspecteur_ziet_alleen(app_db):
    at = _naar_demo_inventaris(_run(INSPECTEUR))
    assert not [b for b in at.button if b.label in ("Voeg overleg toe", "Opslaan", "Verwijder overleg")]
    assert any("Alleen een facilitator" in i.value for i in at.info)
    assert at.dataframe
