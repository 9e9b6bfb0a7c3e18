"""The inventory of overleggen in storage (storage/overleggen.py): add, change, delete and
list, only within the actor's scope and in an open ronde, with Dutch messages for bad
input. On a SQLite file and on PostgreSQL, like tests/test_storage.py."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from storage import repository as repo
from storage.bereik import SYSTEEM, BuitenBereik
from test_storage import VERSIES, engine, leeg_engine  # noqa: F401 - fixtures
from toegang import Gebruiker

pytestmark = pytest.mark.db

FAC_AADORP = Gebruiker("anna", "facilitator", frozenset({"Aadorp"}))
FAC_BEESTAD = Gebruiker("bert", "facilitator", frozenset({"Beestad"}))
INSPECTEUR_AADORP = Gebruiker("ines", "inspecteur", frozenset({"Aadorp"}))
DEMO_FACILITATOR = Gebruiker("demo-facilitator", "facilitator", frozenset({"*"}), demo=True)
ROLLEN = ("gemeente", "wijkteam-cjg", "onderwijs", "jgz")


@pytest.fixture
def ronde(engine):
    g = repo.maak_gemeente(engine, "Aadorp", door=SYSTEEM)
    return repo.maak_ronde(engine, g.id, "2026", VERSIES, door=SYSTEEM)


def _aantal(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT COUNT(*) FROM overleg")).scalar()


def test_toevoegen_wijzigen_verwijderen(engine, ronde):
    o = repo.maak_overleg(engine, ronde.id, "  Zorgadviesteam   school ", "maandelijks", "onderwijs",
                          ["onderwijs", "jgz", "jgz"], ["signalering", "doorverwijzen"], door=FAC_AADORP)
    assert (o.naam, o.frequentie, o.voorzitter_rol) == ("Zorgadviesteam school", "maandelijks", "onderwijs")
    assert o.deelnemers == ("onderwijs", "jgz") and o.functies == ("signalering", "doorverwijzen")
    repo.maak_overleg(engine, ronde.id, "Wijkteamoverleg", door=FAC_AADORP)
    assert [x.naam for x in repo.overleggen_van(engine, ronde.id)] == ["Wijkteamoverleg", "Zorgadviesteam school"]
    w = repo.wijzig_overleg(engine, o.id, functies=["coordinatie"], voorzitter_rol="", door=FAC_AADORP)
    assert w.functies == ("coordinatie",) and w.voorzitter_rol is None and w.naam == "Zorgadviesteam school"
    repo.verwijder_overleg(engine, o.id, door=FAC_AADORP)
    assert [x.naam for x in repo.overleggen_van(engine, ronde.id)] == ["Wijkteamoverleg"]


@pytest.mark.parametrize("door", [FAC_BEESTAD, INSPECTEUR_AADORP, DEMO_FACILITATOR], ids=["andere", "inspecteur", "demo"])
def test_buiten_bereik_geweigerd_en_niets_geschreven(engine, ronde, door):
    o = repo.maak_overleg(engine, ronde.id, "Wijkteamoverleg", door=FAC_AADORP)
    with pytest.raises(BuitenBereik, match="Aadorp"):
        repo.maak_overleg(engine, ronde.id, "Kaping", door=door)
    with pytest.raises(BuitenBereik):
        repo.wijzig_overleg(engine, o.id, naam="Gekaapt", door=door)
    with pytest.raises(BuitenBereik):
        repo.verwijder_overleg(engine, o.id, door=door)
    assert [x.naam for x in repo.overleggen_van(engine, ronde.id)] == ["Wijkteamoverleg"]


@pytest.mark.parametrize("velden, melding", [
    ({"naam": "   "}, "Naam: geef het overleg een naam"),
    ({"naam": "x" * 201}, "Naam: maximaal 200 tekens"),
    ({"naam": "\u202e\u200b"}, "Naam: geef het overleg een naam"),  # invisible characters are cleaned away
    ({"naam": "A", "frequentie": "y" * 101}, "Hoe vaak: maximaal 100 tekens"),
    ({"naam": "A", "voorzitter_rol": "burgemeester"}, "Voorzitter: onbekende rol 'burgemeester'"),
    ({"naam": "A", "deelnemers": ["onderwijs", "kerk"]}, "Deelnemende rollen: onbekende rol 'kerk'"),
    ({"naam": "A", "functies": ["signalering", "koffie"]}, "Functies: onbekende functie 'koffie'"),
])
def test_slechte_invoer(engine, ronde, velden, melding):
    with pytest.raises(ValueError, match=melding.replace("(", r"\(")):
        repo.maak_overleg(engine, ronde.id, door=FAC_AADORP, rollen=ROLLEN, **velden)
    assert _aantal(engine) == 0


def test_naam_uniek_binnen_de_ronde(engine, ronde):
    a = repo.maak_overleg(engine, ronde.id, "Wijkteamoverleg", door=FAC_AADORP)
    b = repo.maak_overleg(engine, ronde.id, "Buurtnetwerk", door=FAC_AADORP)
    with pytest.raises(ValueError, match="er is al een overleg 'Wijkteamoverleg'"):
        repo.maak_overleg(engine, ronde.id, "wijkteamOVERLEG", door=FAC_AADORP)
    with pytest.raises(ValueError, match="er is al een overleg"):
        repo.wijzig_overleg(engine, b.id, naam="Wijkteamoverleg", door=FAC_AADORP)
    assert repo.wijzig_overleg(engine, a.id, naam="Wijkteamoverleg", door=FAC_AADORP).naam == "Wijkteamoverleg"
    # another ronde may use the same name
    r2 = repo.maak_ronde(engine, ronde.gemeente_id, "2027", VERSIES, door=SYSTEEM)
    assert repo.maak_overleg(engine, r2.id, "Wijkteamoverleg", door=FAC_AADORP).ronde_id == r2.id


def test_alleen_in_een_open_ronde(engine, ronde):
    o = repo.maak_overleg(engine, ronde.id, "Wijkteamoverleg", door=FAC_AADORP)
    repo.zet_ronde_status(engine, ronde.id, "gesloten", door=SYSTEEM)
    for aanroep in (lambda: repo.maak_overleg(engine, ronde.id, "Nieuw", door=FAC_AADORP),
                    lambda: repo.wijzig_overleg(engine, o.id, naam="Anders", door=FAC_AADORP),
                    lambda: repo.verwijder_overleg(engine, o.id, door=FAC_AADORP)):
        with pytest.raises(ValueError, match="gesloten; de overleggen kunnen niet meer worden gewijzigd"):
            aanroep()
    assert [x.naam for x in repo.overleggen_van(engine, ronde.id)] == ["Wijkteamoverleg"]


def test_onbekend_overleg_en_onbekend_veld(engine, ronde):
    with pytest.raises(ValueError, match="bestaat niet"):
        repo.wijzig_overleg(engine, 999, naam="x", door=FAC_AADORP)
    with pytest.raises(ValueError, match="bestaat niet"):
        repo.verwijder_overleg(engine, 999, door=FAC_AADORP)
    o = repo.maak_overleg(engine, ronde.id, "Wijkteamoverleg", door=FAC_AADORP)
    with pytest.raises(ValueError, match="Onbekend veld voor een overleg: voorzitter"):
        repo.wijzig_overleg(engine, o.id, voorzitter="Jan Jansen", door=FAC_AADORP)


def test_verwijderen_van_de_ronde_neemt_de_overleggen_mee(engine, ronde):
    repo.maak_overleg(engine, ronde.id, "Wijkteamoverleg", door=FAC_AADORP)
    repo.verwijder_ronde(engine, ronde.id, door=SYSTEEM)
    assert _aantal(engine) == 0


def test_demo_heeft_een_inventaris_met_een_gat(demo_sjabloon):
    """The demo regio's first gemeente, newest ronde: 4-6 overleggen with valid rollen and
    functions, at least one function no overleg performs; the other demo rondes have none."""
    from rapport.overleggen import inventaris
    from storage import db
    from storage.demo import DEMO_EERSTE_GEMEENTE, DEMO_RONDE
    from storage.overleggen import bekende_rollen

    eng = db.maak_engine(f"sqlite:///{demo_sjabloon}")
    try:
        rondes = repo.rondes(eng)
        [eerste] = [r for r in rondes if r.gemeente == DEMO_EERSTE_GEMEENTE and r.label == DEMO_RONDE]
        overleggen = repo.overleggen_van(eng, eerste.id)
        assert 4 <= len(overleggen) <= 6
        for o in overleggen:
            assert {o.voorzitter_rol, *o.deelnemers} <= bekende_rollen()
        assert inventaris(overleggen).niet_vervuld
        assert not [r for r in rondes if r.id != eerste.id and repo.overleggen_van(eng, r.id)]
    finally:
        eng.dispose()
