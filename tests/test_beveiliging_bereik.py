"""Attack: writing outside one's scope (issue "Trust before breadth", point 1).

Every write (page, CSV, Excel, snapshot, command line) goes through a storage
function that checks the acting account's scope inside its own transaction
(storage/bereik.py). These tests attack those functions directly, as a page or an
import file would, on SQLite and on PostgreSQL (the ``engine`` fixture of
test_storage), and check that a refusal writes nothing.
"""
from __future__ import annotations

import ast
import importlib
import inspect
import json
import pkgutil
from pathlib import Path

import pytest

import storage
from storage import repository as repo
from storage import snapshot as snap
from storage.bereik import SYSTEEM, BuitenBereik
from test_storage import KADERS, ROLLEN, VERSIES, csv_df, engine, leeg_engine, momentopname  # noqa: F401
from toegang import Gebruiker
from uitwisselformaat import UitwisselFout, lees_xlsx, schrijf_xlsx
from uitwisselformaat import snapshot as snapformaat

pytestmark = pytest.mark.db

ROOT = Path(__file__).resolve().parents[1]

DEMO_FACILITATOR = Gebruiker("demo-facilitator", "facilitator", frozenset({"*"}), demo=True)
FAC_AADORP = Gebruiker("anna", "facilitator", frozenset({"Aadorp"}))
FAC_BEESTAD = Gebruiker("bert", "facilitator", frozenset({"Beestad"}))
INSPECTEUR_AADORP = Gebruiker("ines", "inspecteur", frozenset({"Aadorp"}))
BEHEERDER = Gebruiker("bea", "beheerder", frozenset({"*"}))


@pytest.fixture
def echt(engine):
    """A real gemeente Aadorp with an open ronde '2026' (one respondent, one answer, one action)."""
    g = repo.maak_gemeente(engine, "Aadorp", regio="Echte regio", door=SYSTEEM)
    r = repo.maak_ronde(engine, g.id, "2026", VERSIES, rollen=list(ROLLEN), door=SYSTEEM)
    resp, _ = repo.maak_respondent(engine, r.id, "gemeente", door=SYSTEEM)
    repo.bewaar_antwoord(engine, resp.id, "stj", "c1", "3", "echt antwoord")
    actie = repo.maak_actie(engine, r.id, "stj", "c1", "Een echte actie", door=SYSTEEM)
    return {"gemeente": g, "ronde": r, "respondent": resp, "actie": actie}


# ------------------------------------------------------------------ imports


def test_demo_account_csv_in_echte_gemeente_geweigerd(engine, echt):
    """The attack that worked: demo-facilitator imports a CSV naming a real gemeente and
    its open ronde. Nothing lands there, no demo ronde appears, the message names it."""
    voor = momentopname(engine)
    df = csv_df("Aadorp,2026,r-demo01,gemeente,stj,c2,1,via de demo")
    with pytest.raises(UitwisselFout) as info:
        repo.importeer_antwoorden(engine, df, VERSIES, bestand="aanval.csv", door=DEMO_FACILITATOR)
    assert "Aadorp" in str(info.value) and "aanval.csv" in str(info.value)
    assert info.value.meldingen[0].kolom == "gemeente"
    assert momentopname(engine) == voor


def test_demo_account_excel_in_echte_gemeente_geweigerd(engine, echt):
    """The Excel path reads into the same DataFrame and the same checked import."""
    voor = momentopname(engine)
    data = schrijf_xlsx(csv_df("Aadorp,2026,r-demo02,gemeente,stj,c2,1,"))
    df = lees_xlsx(data, KADERS, set(ROLLEN), bestand="aanval.xlsx")
    with pytest.raises(UitwisselFout, match="Aadorp"):
        repo.importeer_antwoorden(engine, df, VERSIES, bestand="aanval.xlsx", door=DEMO_FACILITATOR)
    assert momentopname(engine) == voor


def test_demo_account_importeert_in_demogemeente(engine):
    uit = repo.importeer_antwoorden(engine, csv_df("Oefendorp (fictief),2026,r-demo03,gemeente,stj,c1,2,"),
                                    VERSIES, door=DEMO_FACILITATOR)
    assert uit.gemeenten == 1 and uit.antwoorden == 1
    (ronde,) = repo.rondes(engine)
    assert ronde.demo and [g.demo for g in repo.gemeenten(engine)] == [True]


def test_facilitator_gemengd_bestand_alles_geweigerd(engine, echt):
    """One gemeente outside scope refuses the whole file: the in-scope rows are not written
    and the unknown gemeente is not created."""
    voor = momentopname(engine)
    df = csv_df("Aadorp,2026,r-mix001,wijkteam,stj,c1,2,", "Beestad,2026,r-mix002,wijkteam,stj,c1,2,")
    with pytest.raises(UitwisselFout) as info:
        repo.importeer_antwoorden(engine, df, VERSIES, bestand="gemengd.csv", door=FAC_AADORP)
    assert "Beestad" in str(info.value) and "rij 3" in str(info.value)
    assert momentopname(engine) == voor


def test_facilitator_importeert_eigen_gemeente(engine, echt):
    df = csv_df("Aadorp,2026,r-eig001,wijkteam,stj,c1,2,")
    assert repo.importeer_antwoorden(engine, df, VERSIES, door=FAC_AADORP).antwoorden == 1


def test_inspecteur_mag_niet_importeren(engine, echt):
    voor = momentopname(engine)
    with pytest.raises(UitwisselFout, match="Aadorp"):
        repo.importeer_antwoorden(engine, csv_df("Aadorp,2026,r-ins001,wijkteam,stj,c1,2,"), VERSIES,
                                  door=INSPECTEUR_AADORP)
    assert momentopname(engine) == voor


def _snapshot_van(engine, ronde_id: int, **wijzig) -> bytes:
    obj = snap.exporteer_snapshot(engine, ronde_id)
    obj.pop("sha256")
    for sleutel, waarde in wijzig.items():
        obj[sleutel] = waarde
    obj["sha256"] = snapformaat.bereken_digest(obj)
    return snapformaat.snapshot_bytes(obj)


def test_snapshot_van_demo_account_in_echte_gemeente_geweigerd(engine, echt):
    data = _snapshot_van(engine, echt["ronde"].id)
    repo.verwijder_ronde(engine, echt["ronde"].id, door=SYSTEEM)
    voor = momentopname(engine)
    for door in (DEMO_FACILITATOR, FAC_BEESTAD):
        with pytest.raises(snapformaat.SnapshotFout, match="Aadorp"):
            snap.importeer_snapshot(engine, data, "aanval.json", kaders=KADERS, door=door)
        assert momentopname(engine) == voor
    assert snap.importeer_snapshot(engine, data, "eigen.json", kaders=KADERS, door=FAC_AADORP)


def test_snapshot_maakt_geen_gemeente_buiten_bereik(engine, echt):
    obj = json.loads(_snapshot_van(engine, echt["ronde"].id))
    obj["gemeente"] = "Nieuwstad"
    data = _snapshot_van_obj(obj)
    voor = momentopname(engine)
    with pytest.raises(snapformaat.SnapshotFout, match="Nieuwstad"):
        snap.importeer_snapshot(engine, data, "nieuw.json", kaders=KADERS, door=FAC_AADORP)
    assert momentopname(engine) == voor


def _snapshot_van_obj(obj: dict) -> bytes:
    obj.pop("sha256", None)
    obj["sha256"] = snapformaat.bereken_digest(obj)
    return snapformaat.snapshot_bytes(obj)


# ------------------------------------------------------------------ every write function


def _schrijfacties(echt):
    """(name, call taking `door`) for every staff write, aimed at the real gemeente."""
    g, r, a = echt["gemeente"], echt["ronde"], echt["actie"]
    return [
        ("maak_ronde", lambda e, d: repo.maak_ronde(e, g.id, "2027", VERSIES, door=d)),
        ("zet_ronde_status", lambda e, d: repo.zet_ronde_status(e, r.id, "gesloten", door=d)),
        ("zet_regio_vergelijking", lambda e, d: repo.zet_regio_vergelijking(e, g.id, True, door=d)),
        ("maak_respondent", lambda e, d: repo.maak_respondent(e, r.id, "wijkteam", door=d)),
        ("maak_uitnodigingen", lambda e, d: repo.maak_uitnodigingen(e, r.id, ["wijkteam"], door=d)),
        ("trek_uitnodigingen_in", lambda e, d: repo.trek_uitnodigingen_in(e, r.id, door=d)),
        ("zet_fase", lambda e, d: repo.zet_fase(e, r.id, "onthullen", "stj", "c1", door=d)),
        ("bewaar_consensus", lambda e, d: repo.bewaar_consensus(e, r.id, "stj", "c1", "2", "m", door=d)),
        ("maak_actie", lambda e, d: repo.maak_actie(e, r.id, "stj", "c1", "x", door=d)),
        ("wijzig_actie", lambda e, d: repo.wijzig_actie(e, a.id, wat="gekaapt", door=d)),
        ("verwijder_actie", lambda e, d: repo.verwijder_actie(e, a.id, door=d)),
        ("neem_acties_over", lambda e, d: repo.neem_acties_over(e, r.id, door=d)),
        ("verwijder_ronde", lambda e, d: repo.verwijder_ronde(e, r.id, door=d)),
        # second vote; opening one needs a criterium in focus: see tests/test_storage_tweede_stem.py
        ("sluit_tweede_stem", lambda e, d: repo.sluit_tweede_stem(e, r.id, door=d)),
        # samenwerkingskaart (storage/samenwerking.py)
        ("zet_samenwerkingskaart", lambda e, d: repo.zet_samenwerkingskaart(e, r.id, True, door=d)),
        ("importeer_samenwerking", lambda e, d: repo.importeer_samenwerking(e, _samenwerking_rij(), door=d)),
        # the samenwerkingskaart as a workshop step (switching it on: tests/test_pagina_samenwerkingskaart.py)
        ("zet_kaart_in_beeld", lambda e, d: repo.zet_kaart_in_beeld(e, r.id, False, door=d)),
        # inventory of overleggen (changing and deleting one: tests/test_storage_overleggen.py)
        ("maak_overleg", lambda e, d: repo.maak_overleg(e, r.id, "Wijkteamoverleg", door=d)),
    ]


def _samenwerking_rij():
    import pandas as pd

    from uitwisselformaat.samenwerking import SAMENWERKING_KOLOMMEN
    return pd.DataFrame([("Aadorp", "2026", "r-nieuw1", "gemeente", "wijkteam", "3", "")],
                        columns=list(SAMENWERKING_KOLOMMEN))


SCHRIJFACTIES = [n for n, _ in _schrijfacties({"gemeente": None, "ronde": None, "actie": None})]


@pytest.mark.parametrize("naam", SCHRIJFACTIES)
@pytest.mark.parametrize("door", [DEMO_FACILITATOR, FAC_BEESTAD, INSPECTEUR_AADORP],
                         ids=["demo-account", "andere-gemeente", "alleen-lezen"])
def test_schrijven_buiten_bereik_geweigerd(engine, echt, naam, door):
    voor = momentopname(engine)
    aanroep = dict(_schrijfacties(echt))[naam]
    with pytest.raises(BuitenBereik, match="Aadorp") as info:
        aanroep(engine, door)
    assert info.value.gemeente == "Aadorp"
    assert momentopname(engine) == voor


@pytest.mark.parametrize("naam", SCHRIJFACTIES)
def test_schrijven_binnen_bereik_mag(engine, echt, naam):
    dict(_schrijfacties(echt))[naam](engine, FAC_AADORP if naam != "zet_regio_vergelijking" else BEHEERDER)


def test_maak_gemeente_alleen_binnen_bereik(engine):
    with pytest.raises(BuitenBereik, match="Beestad"):
        repo.maak_gemeente(engine, "Beestad", door=FAC_AADORP)
    with pytest.raises(BuitenBereik, match="Echtdorp"):
        repo.maak_gemeente(engine, "Echtdorp", demo=False, door=DEMO_FACILITATOR)
    assert repo.gemeenten(engine) == []
    assert repo.maak_gemeente(engine, "Demodorp (fictief)", door=DEMO_FACILITATOR).demo is True
    assert repo.maak_gemeente(engine, "Aadorp", door=FAC_AADORP).demo is False


def test_echte_medewerker_schrijft_niet_in_demogemeente(engine):
    """Name collision: a demo gemeente called like a real one must not receive real rondes
    (demo rondes are visible to everyone)."""
    g = repo.maak_gemeente(engine, "Aadorp", door=DEMO_FACILITATOR)
    with pytest.raises(BuitenBereik, match="demogemeente"):
        repo.maak_ronde(engine, g.id, "2026", VERSIES, door=FAC_AADORP)
    assert repo.rondes(engine) == []


def test_ronde_is_demo_precies_als_haar_gemeente(engine):
    g = repo.maak_gemeente(engine, "Aadorp", door=SYSTEEM)
    with pytest.raises(ValueError, match="allebei demo"):
        repo.maak_ronde(engine, g.id, "2026", VERSIES, demo=True, door=SYSTEEM)
    assert repo.maak_ronde(engine, g.id, "2026", VERSIES, door=SYSTEEM).demo is False


def test_oefenen_zonder_code_alleen_in_demoronde(engine, echt):
    voor = momentopname(engine)
    with pytest.raises(ValueError, match="uitnodigingscode"):
        repo.oefen_respondent(engine, echt["ronde"].id, "gemeente")
    assert momentopname(engine) == voor
    d = repo.maak_gemeente(engine, "Oefendorp (fictief)", door=DEMO_FACILITATOR)
    r = repo.maak_ronde(engine, d.id, "2026", VERSIES, door=DEMO_FACILITATOR)
    resp, code = repo.oefen_respondent(engine, r.id, "gemeente")
    assert resp.ronde_id == r.id and code


# ------------------------------------------------------------------ the mechanism itself

# Writes that are not staff writes: participants (scoped by their code), rate limiting,
# and the operator's fictional demo data (command line, or the app with ZBT_DEMO=1).
ZONDER_DOOR = {"bewaar_antwoord", "respondent_via_uitnodiging", "oefen_respondent",
               "registreer_poging", "ruim_pogingen_op", "vul_demo", "verwijder_demo",
               # staff sessions: the sign-in itself, before there is a user to scope (storage/sessies.py)
               "maak_overdracht", "wissel_overdracht", "beeindig_sessie", "ruim_sessies_op",
               # a participant's second vote (scoped by the respondent, like bewaar_antwoord)
               "bewaar_tweede_stem",
               # a participant's samenwerkingskaart answer, scoped by their code like bewaar_antwoord
               "bewaar_samenwerking"}
# Modules that must hold writing functions (so a broken detection cannot pass silently).
SCHRIJVENDE_MODULES = {"antwoorden", "avg", "demo", "gemeenten", "importeren", "pogingen", "respondenten",
                       "rondes", "sessies", "snapshot", "uitnodigingen", "verbeterplan", "workshop",
                       "samenwerking"}
OPSLAGMODULES = sorted(m.name for m in pkgutil.iter_modules(storage.__path__) if m.name != "__main__")


def _opent_schrijfsessie(functie: ast.FunctionDef) -> bool:
    """Whether the function (nested functions included) calls ``sessie`` or ``transactie``
    (its Core twin) for writing: ``schrijven=`` anything but False, or a second positional argument."""
    for n in ast.walk(functie):
        if isinstance(n, ast.Call) and getattr(n.func, "id", getattr(n.func, "attr", None)) in ("sessie", "transactie"):
            schrijven = [k.value for k in n.keywords if k.arg == "schrijven"]
            if len(n.args) >= 2 or any(not (isinstance(w, ast.Constant) and w.value is False) for w in schrijven):
                return True
    return False


def test_elke_opslagmodule_wordt_gecontroleerd():
    """The facade holds no code of its own; every module is inspected below."""
    assert set(OPSLAGMODULES) >= SCHRIJVENDE_MODULES
    assert not [n for n in ast.parse(inspect.getsource(repo)).body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]


@pytest.mark.parametrize("naam", OPSLAGMODULES)
def test_elke_schrijvende_functie_vraagt_wie_schrijft(naam):
    """Every storage function that opens a writing session requires `door` (keyword-only,
    no default) and passes it on, so a new write cannot forget the scope check. Private
    functions too: a write cannot hide behind an underscore."""
    module = importlib.import_module(f"storage.{naam}")
    boom = ast.parse(inspect.getsource(module))
    schrijvend = {n.name: n for n in boom.body if isinstance(n, ast.FunctionDef) and _opent_schrijfsessie(n)}
    if naam in SCHRIJVENDE_MODULES:
        assert schrijvend, f"geen schrijvende functies gevonden in storage.{naam}: klopt de test nog?"
    for functienaam, functie in sorted(schrijvend.items()):
        if functienaam in ZONDER_DOOR:
            continue
        param = inspect.signature(getattr(module, functienaam)).parameters.get("door")
        assert param is not None, f"{module.__name__}.{functienaam} schrijft zonder 'door'"
        assert param.kind is inspect.Parameter.KEYWORD_ONLY and param.default is inspect.Parameter.empty, \
            functienaam
        gebruikt = any(isinstance(n, ast.Name) and n.id == "door" for stap in functie.body for n in ast.walk(stap))
        assert gebruikt, f"{module.__name__}.{functienaam} vraagt 'door' maar geeft het nergens door"


def test_paginas_schrijven_als_de_ingelogde_gebruiker():
    """Pages pass the signed-in user, never the operator account."""
    for pad in (ROOT / "views").glob("*.py"):
        assert "SYSTEEM" not in pad.read_text(encoding="utf-8"), pad.name
