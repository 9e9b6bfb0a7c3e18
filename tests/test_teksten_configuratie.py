"""Texts on the pages follow the configuration instead of repeating its default values.

The anonymity threshold (ZBT_ANONIMITEIT_DREMPEL), the regional threshold
(ZBT_REGIO_DREMPEL), the kader's answer scale and its sterk_punt_vanaf are changed here;
every text that names them must change with them.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from kader import laad_kaders
from kader.model import Antwoordschaal, Schaalpunt
from rapport.groepen import samengevoegd_uitleg
from storage import repository as repo
from storage.bereik import SYSTEEM
from storage.db import maak_engine
from toegang import Gebruiker
from views import context
from views.tekst import zichtbaar

pytestmark = pytest.mark.db  # AppTest pages on a copy of the demo database

VIEWS = Path(__file__).resolve().parent.parent / "views"
STJ = "stj-stelseltoezicht-jeugd"
FACILITATOR = Gebruiker("demo-facilitator", "facilitator", frozenset({"*"}), demo=True)
INSPECTEUR = Gebruiker("demo-inspecteur", "inspecteur", frozenset({"*"}), demo=True)
VIJF = Antwoordschaal(
    id="vijf", titel="Vijfpuntsschaal",
    punten=tuple(Schaalpunt(w, label, "") for w, label in
                 ((1, "Nooit"), (2, "Zelden"), (3, "Soms"), (4, "Vaak"), (5, "Altijd"))),
    geen_oordeel=(),
)


def test_schaal_in_woorden_volgt_de_schaal(stj):
    assert stj.schaal.uitersten() == "1 = klopt niet, 4 = klopt helemaal"
    assert stj.schaal.bereik() == "1–4" and stj.schaal.bereik(" tot en met ") == "1 tot en met 4"
    assert VIJF.uitersten() == "1 = nooit, 5 = altijd" and VIJF.bereik() == "1–5"


def test_samenvoegtekst_volgt_de_drempel(monkeypatch):
    monkeypatch.delenv("ZBT_ANONIMITEIT_DREMPEL", raising=False)
    assert samengevoegd_uitleg() == "Rollen met minder dan 3 deelnemers staan samen onder ‘Overige partners’"
    monkeypatch.setenv("ZBT_ANONIMITEIT_DREMPEL", "5")
    assert "minder dan 5 deelnemers" in samengevoegd_uitleg()
    assert "minder dan 7 deelnemers" in samengevoegd_uitleg(7)


@pytest.fixture
def andere_instellingen(app_db, monkeypatch):
    """The demo database, with thresholds 5 (anonymity) and 4 (regio), and the STJ kader on
    a five-point scale whose sterk punt starts at 5 (no demo criterium reaches it)."""
    resultaat = laad_kaders()
    ander = dataclasses.replace(resultaat.kaders[STJ], schaal=VIJF, sterk_punt_vanaf=5)
    resultaat = dataclasses.replace(resultaat, kaders={**resultaat.kaders, STJ: ander})
    monkeypatch.setattr(context, "laad_kaders", lambda: resultaat)
    monkeypatch.setenv("ZBT_ANONIMITEIT_DREMPEL", "5")
    monkeypatch.setenv("ZBT_REGIO_DREMPEL", "4")
    st.cache_resource.clear()
    yield app_db
    st.cache_resource.clear()


def _run(pagina: str, gebruiker: Gebruiker | None = None, voor=None) -> AppTest:
    at = AppTest.from_file(str(VIEWS / pagina), default_timeout=90)
    if gebruiker:
        at.session_state["gebruiker"] = gebruiker
    at.run()
    assert not at.exception, at.exception
    if voor is not None:  # change the database with what the first run set up, then run again
        voor(at)
        at.run()
        assert not at.exception, at.exception
    return at


def _teksten(at: AppTest) -> str:
    delen = [e.value for soort in ("markdown", "caption", "text") for e in getattr(at, soort)]
    delen += [m.label for m in at.metric]
    delen += [getattr(d.proto, "help", "") for d in at.get("download_button")]
    return zichtbaar("\n".join(str(d) for d in delen))  # as the reader sees it, without md()'s escapes


def test_overzicht_noemt_schaal_en_drempel(andere_instellingen):
    tekst = _teksten(_run("overzicht.py"))
    assert "gemiddelde score (1 = nooit, 5 = altijd)" in tekst  # the STJ tab
    assert "gemiddelde score (1 = klopt niet, 4 = klopt helemaal)" in tekst  # the other kader, unchanged
    assert "Rollen met minder dan 5 deelnemers staan samen onder ‘Overige partners’." in tekst
    assert "minder dan 3" not in tekst


def test_regio_noemt_de_schaal(andere_instellingen):
    tekst = _teksten(_run("regio.py"))
    assert "mediaan van de scores (1 = nooit, 5 = altijd)" in tekst


def test_inspectie_noemt_het_bereik(andere_instellingen):
    at = _run("inspectie.py", INSPECTEUR)
    labels = {m.label for m in at.metric}
    assert "Gemiddelde (1–5)" in labels and "Gemiddelde (1–4)" not in labels


def test_verbeterplan_noemt_sterk_punt_vanaf(andere_instellingen):
    tekst = _teksten(_run("verbeterplan.py", FACILITATOR))
    assert "Nog geen onderdelen met een gemiddelde van 5 of hoger." in tekst


def test_gegevens_noemt_schalen_en_drempel(andere_instellingen):
    tekst = _teksten(_run("gegevens.py", FACILITATOR))
    assert "1 tot en met 5" in tekst and "1 tot en met 4" in tekst  # STJ changed, the other kader not
    assert "rolgroepen met minder dan 5 deelnemers samengevoegd" in tekst


def test_rondes_noemt_de_regiodrempel(andere_instellingen):
    tekst = _teksten(_run("rondes.py", FACILITATOR))
    assert "ten minste 4 gemeenten" in tekst and "ten minste 3" not in tekst


def test_workshop_noemt_de_drempel(andere_instellingen):
    def onthul(at: AppTest) -> None:
        eng = maak_engine(andere_instellingen)
        ronde = next(r for r in repo.rondes(eng) if r.id == at.session_state["ronde_keuze"])
        kader = context.kaders()[STJ]
        repo.zet_fase(eng, ronde.id, "onthullen", STJ, kader.criteria[0].id, door=SYSTEEM)

    tekst = _teksten(_run("workshop.py", FACILITATOR, voor=onthul))
    assert "Rollen met minder dan 5 deelnemers staan samen onder ‘Overige partners’, zodat niemand" in tekst
