"""Staff pages check the role on every run; a URL or a hidden menu is never the protection."""
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

VIEWS = Path(__file__).resolve().parent.parent / "views"
FACILITATOR = Gebruiker("fac-a", "facilitator", frozenset({"Aadorp"}))
INSPECTEUR = Gebruiker("ivo", "inspecteur", frozenset({"Aadorp"}))


def _run(pagina: str, gebruiker=None, accounts=None) -> AppTest:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(VIEWS / pagina), default_timeout=60)
    if gebruiker is not None:
        at.session_state["gebruiker"] = gebruiker
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def accounts(app_db, monkeypatch, tmp_path):
    from toegang import hash_wachtwoord

    bestand = tmp_path / "gebruikers.toml"
    h = hash_wachtwoord("x" * 16)
    bestand.write_text(
        f'[gebruikers.fac-a]\nrol = "facilitator"\ngemeenten = ["Aadorp"]\nwachtwoord_hash = "{h}"\n'
        f'[gebruikers.ivo]\nrol = "inspecteur"\ngemeenten = ["Aadorp"]\nwachtwoord_hash = "{h}"\n')
    monkeypatch.setenv("ZBT_GEBRUIKERS", str(bestand))
    return app_db


@pytest.mark.parametrize("pagina", ["rondes.py", "workshop.py"])
def test_staff_pages_refuse_anonymous(accounts, pagina):
    at = _run(pagina)
    assert any("alleen voor medewerkers" in w.value for w in at.warning)
    assert not at.button and not at.selectbox


@pytest.mark.parametrize("pagina", ["rondes.py", "workshop.py"])
def test_staff_pages_refuse_wrong_role(accounts, pagina):
    at = _run(pagina, INSPECTEUR)
    assert any("geen rechten" in e.value for e in at.error)


def test_removed_account_loses_access(accounts, monkeypatch, tmp_path):
    weg = Gebruiker("weg", "facilitator", frozenset({"*"}))  # not in the configuration
    at = _run("rondes.py", weg)
    assert any("alleen voor medewerkers" in w.value for w in at.warning)


def test_facilitator_sees_only_own_gemeente(accounts):
    eng = maak_engine(accounts)
    from storage.db import migreer

    migreer(eng)
    for naam in ("Aadorp", "Beestad"):
        g = repo.maak_gemeente(eng, naam, door=SYSTEEM)
        repo.maak_ronde(eng, g.id, "2026", {"stj-stelseltoezicht-jeugd": "2016.1"}, rollen=["gemeente"], door=SYSTEEM)
    at = _run("rondes.py", FACILITATOR)
    keuzes = [o for sb in at.selectbox if sb.label == "Gemeente en ronde" for o in sb.options]
    assert keuzes and all("Aadorp" in k for k in keuzes), keuzes
    overzicht = _run("overzicht.py", FACILITATOR)
    opties = overzicht.selectbox[0].options
    assert any("Aadorp" in o for o in opties) and not any("Beestad" in o for o in opties)
    anoniem = _run("overzicht.py")
    assert not any("Aadorp" in o or "Beestad" in o for o in anoniem.selectbox[0].options)


def test_gegevens_refuses_inspecteur(accounts):
    at = _run("gegevens.py", INSPECTEUR)
    assert any("geen rechten" in e.value for e in at.error)


def test_inspectie_page_for_inspecteur_only(accounts, stj):
    assert any("geen rechten" in e.value for e in _run("inspectie.py", FACILITATOR).error)
    demo_inspecteur = Gebruiker("demo-inspecteur", "inspecteur", frozenset({"*"}), demo=True)
    at = _run("inspectie.py", demo_inspecteur)
    assert at.title[0].value == "Voorbereiding inspectiebezoek"
    assert len(at.expander) == len(stj.criteria)  # one per criterium of the first kader (STJ)
    assert any("Criteria met een signaal" in m.label for m in at.metric)


def test_gegevens_offers_csv_and_excel(accounts):
    demo = Gebruiker("demo-facilitator", "facilitator", frozenset({"*"}), demo=True)
    at = _run("gegevens.py", demo)
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Download als CSV", "Download als Excel", "Download werkboek (Excel)",
                      "Download snapshot (JSON)", "Download de samenwerkingskaart (CSV)"], labels
