"""Snapshot of a ronde (uitwisselformaat/snapshot.py, storage/snapshot.py): digest, round trip SQLite -> PostgreSQL,
refusals, all-or-nothing import, and the CLI (python -m storage snapshot-*).

PostgreSQL runs in a fresh schema per test that is dropped afterwards (as in
tests/test_storage.py); with CI=true an unreachable server fails the test.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import make_url

from storage import db
from storage import repository as repo
from storage import snapshot as snap
from storage.bereik import SYSTEEM  # noqa: E402
from storage.demo import vul_demo
from storage.herimport import Telling
from storage.models import (
    Antwoord,
    AntwoordWijziging,
    Consensus,
    ConsensusWijziging,
    Gemeente,
    Respondent,
    Ronde,
    RondeKader,
    RondeRol,
    Verbeteractie,
    VerbeteractieWijziging,
)
from test_storage import pg_basis_of_overslaan
from uitwisselformaat import schone_tekst
from uitwisselformaat import snapshot as snapformaat
from uitwisselformaat.snapshot import SnapshotFout

pytestmark = pytest.mark.db

ROOT = Path(__file__).resolve().parents[1]
TABELLEN = (Gemeente, Ronde, RondeKader, RondeRol, Respondent, Antwoord, AntwoordWijziging, Consensus,
            ConsensusWijziging, Verbeteractie, VerbeteractieWijziging)
STJ = "stj-stelseltoezicht-jeugd"


def tellingen(engine) -> dict[str, int]:
    with db.sessie(engine) as s:
        return {m.__tablename__: s.scalar(select(func.count()).select_from(m)) for m in TABELLEN}


def _sqlite(pad: Path):
    engine = db.maak_engine(f"sqlite:///{pad}")
    db.migreer(engine)
    return engine


@pytest.fixture
def pg_engine():
    """A migrated PostgreSQL engine in its own schema, dropped afterwards."""
    basis = pg_basis_of_overslaan()
    schema = f"test_snapshot_{uuid.uuid4().hex[:12]}"
    beheer = create_engine(basis, isolation_level="AUTOCOMMIT")
    with beheer.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine = db.maak_engine(make_url(basis).update_query_dict({"options": f"-csearch_path={schema}"}))
    try:
        db.migreer(engine)
        yield engine
    finally:
        engine.dispose()
        with beheer.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        beheer.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def doel(request, tmp_path):
    """An empty migrated target database: SQLite, then PostgreSQL."""
    if request.param == "sqlite":
        engine = _sqlite(tmp_path / "doel.db")
        yield engine
        engine.dispose()
    else:
        yield request.getfixturevalue("pg_engine")


@pytest.fixture(scope="module")
def bron(tmp_path_factory, kaders, vragenlijsten):
    """A SQLite database with the demo, plus on one open ronde: actions (one deleted, one
    changed, one with tricky text), a changed consensus and a toelichting-only answer."""
    engine = _sqlite(tmp_path_factory.mktemp("bron") / "bron.db")
    vul_demo(engine, kaders, vragenlijsten.paren())
    ronde = next(r for r in repo.rondes(engine) if r.is_open and r.gemeente == "Demodorp (fictief)")
    crit = kaders[STJ].criteria
    a = repo.maak_actie(engine, ronde.id, STJ, crit[0].id, "=HYPERLINK(\"http://x\")\n'citaat' ü 😀",
                        eigenaar="Wijkteam", deadline="2026-12-31", meting="+10% meldingen",
                        bron_actie_id="002-01", door=SYSTEEM)
    weg = repo.maak_actie(engine, ronde.id, STJ, None, "Wordt weer verwijderd", door=SYSTEEM)
    repo.maak_actie(engine, ronde.id, STJ, crit[1].id, "Tweede actie", door=SYSTEEM)
    repo.wijzig_actie(engine, a.id, status="bezig", effect="Eerste effect", door=SYSTEEM)
    repo.verwijder_actie(engine, weg.id, door=SYSTEEM)
    repo.bewaar_consensus(engine, ronde.id, STJ, crit[2].id, "2", "Eerste keuze", door=SYSTEEM)
    repo.bewaar_consensus(engine, ronde.id, STJ, crit[2].id, "3", "Na overleg: 3", door=SYSTEEM)
    resp, _ = repo.maak_respondent(engine, ronde.id, next(iter(ronde.rollen)), organisatie="GGZ", door=SYSTEEM)
    repo.bewaar_antwoord(engine, resp.id, STJ, crit[0].id, None, "Alleen een toelichting, nog geen score")
    repo.bewaar_antwoord(engine, resp.id, STJ, crit[1].id, "weet_niet", "")
    # text as the app stores it (schone_tekst: '\n' line ends); an import cleans text the same way
    repo.bewaar_antwoord(engine, resp.id, STJ, crit[1].id, "4", "Toch wel: \"goed\"\nnieuwe regel\ttab 👩\u200d👧")
    yield engine, ronde.id
    engine.dispose()


def _opnieuw_digest(obj: dict) -> bytes:
    """The object with a recomputed (valid) digest, as file bytes: tests content checks."""
    obj = json.loads(json.dumps(obj))
    obj["sha256"] = snapformaat.bereken_digest(obj)
    return snapformaat.snapshot_bytes(obj)


# ------------------------------------------------------------------ digest and content


def test_digest_is_sha256_van_de_canonieke_json(bron):
    engine, ronde_id = bron
    obj = snap.exporteer_snapshot(engine, ronde_id)
    zonder = {k: v for k, v in obj.items() if k != "sha256"}
    canoniek = json.dumps(zonder, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    assert obj["sha256"] == hashlib.sha256(canoniek).hexdigest()
    assert snapformaat.verifieer_snapshot(snapformaat.snapshot_bytes(obj), "r.json") == obj["sha256"]
    # layout does not matter, content does
    compact = json.dumps(obj, separators=(",", ":"), ensure_ascii=True).encode()
    assert snapformaat.verifieer_snapshot(compact, "r.json") == obj["sha256"]
    assert snap.exporteer_snapshot(engine, ronde_id) == obj  # deterministic


def test_inhoud_zonder_persoonsgegevens_of_database_ids(bron):
    engine, ronde_id = bron
    obj = snap.exporteer_snapshot(engine, ronde_id)
    assert obj["formaat"] == "zelfbeoordeling-ronde-snapshot" and obj["versie"] == 1
    assert obj["gemeente"] == "Demodorp (fictief)"
    assert {k["id"] for k in obj["kaders"]} == set(repo.ronde(engine, ronde_id).kader_versies)
    for p in obj["respondenten"]:
        # issue 15: a respondent's samenwerkingskaart answers and second votes, when there are any
        assert set(p) - {"samenwerking", "tweede_stemmen"} == {
            "pseudoniem", "rol", "organisatie", "aangemaakt", "antwoorden", "wijzigingen"}
    sleutels: set[str] = set()

    def verzamel(x):
        if isinstance(x, dict):
            sleutels.update(x)
            for v in x.values():
                verzamel(v)
        elif isinstance(x, list):
            for v in x:
                verzamel(v)

    verzamel(obj)
    assert not sleutels & {"id_", "ronde_id", "respondent_id", "actie_id", "hervat_hash", "code_hash",
                           "overgenomen_van", "naam", "email", "uitnodigingen"}
    assert "id" not in {k for p in obj["respondenten"] for a in p["antwoorden"] for k in a}
    # actions are numbered in id order; the deleted one is only in the audit trail
    nummers_plan = {a["nummer"] for a in obj["verbeterplan"]}
    nummers_spoor = {w["actie"] for w in obj["verbeterplan_wijzigingen"]}
    assert nummers_plan < nummers_spoor
    assert [w["gebeurtenis"] for w in obj["verbeterplan_wijzigingen"] if w["actie"] not in nummers_plan][-1] == \
        "verwijderd"
    assert [c["score"] for c in obj["consensus_wijzigingen"]][-2:] == ["2", "3"]
    for t in (obj["ronde"]["aangemaakt"], obj["respondenten"][0]["aangemaakt"]):
        assert len(t) == 27 and t.endswith("Z")


# ------------------------------------------------------------------ round trip


def test_sqlite_naar_postgresql_en_terug_geeft_dezelfde_digest(bron, pg_engine, tmp_path):
    engine, ronde_id = bron
    origineel = snap.exporteer_snapshot(engine, ronde_id)
    data = snapformaat.snapshot_bytes(origineel)

    pg_id = snap.importeer_snapshot(pg_engine, data, "demodorp.json", door=SYSTEEM)
    in_pg = snap.exporteer_snapshot(pg_engine, pg_id)
    assert in_pg["sha256"] == origineel["sha256"]
    assert in_pg == origineel

    terug = _sqlite(tmp_path / "terug.db")
    terug_id = snap.importeer_snapshot(terug, snapformaat.snapshot_bytes(in_pg), "uit-pg.json", door=SYSTEEM)
    assert snap.exporteer_snapshot(terug, terug_id)["sha256"] == origineel["sha256"]

    # the imported ronde works like any other: same answers, consensus and plan
    assert repo.antwoorden_df(pg_engine, pg_id).equals(repo.antwoorden_df(engine, ronde_id))
    assert repo.consensus_df(pg_engine, pg_id).equals(repo.consensus_df(engine, ronde_id))
    velden = ("kader_id", "criterium_id", "wat", "eigenaar", "deadline", "meting", "status", "effect")
    assert [[getattr(a, v) for v in velden] for a in repo.acties_van(pg_engine, pg_id)] == \
        [[getattr(a, v) for v in velden] for a in repo.acties_van(engine, ronde_id)]
    info = repo.ronde(pg_engine, pg_id)
    assert info.demo and info.gemeente == "Demodorp (fictief)" and info.rollen == repo.ronde(engine, ronde_id).rollen
    terug.dispose()


# ------------------------------------------------------------------ refusals


def test_gewijzigde_snapshot_wordt_geweigerd(bron, doel):
    engine, ronde_id = bron
    obj = snap.exporteer_snapshot(engine, ronde_id)
    obj["respondenten"][0]["antwoorden"][0]["toelichting"] += " (aangepast)"
    data = snapformaat.snapshot_bytes(obj)
    voor = tellingen(doel)
    with pytest.raises(SnapshotFout) as fout:
        snap.importeer_snapshot(doel, data, "gewijzigd.json", door=SYSTEEM)
    melding = str(fout.value)
    assert melding.startswith("gewijzigd.json: de controlesom klopt niet.")
    assert obj["sha256"] in melding and snapformaat.bereken_digest(obj) in melding
    with pytest.raises(SnapshotFout, match="controlesom klopt niet"):
        snapformaat.verifieer_snapshot(data, "gewijzigd.json")
    assert tellingen(doel) == voor


def test_afgebroken_json_noemt_het_bestand(bron):
    engine, ronde_id = bron
    data = snapformaat.snapshot_bytes(snap.exporteer_snapshot(engine, ronde_id))
    with pytest.raises(SnapshotFout) as fout:
        snapformaat.verifieer_snapshot(data[: len(data) // 2], "half.json")
    assert str(fout.value).startswith("half.json: geen geldige JSON op regel ")
    assert "afgebroken" in str(fout.value)
    for slecht, verwacht in (
        (b"", "half.json: het bestand is leeg."),
        (b"[1, 2]", "half.json: verwacht een JSON-object"),
        (b'{"formaat": "iets anders"}', "half.json, veld formaat: dit is geen snapshot"),
        (b'{"formaat": "zelfbeoordeling-ronde-snapshot", "versie": 9}', "half.json, veld versie"),
        (b'{"a": 1, "a": 2}', "twee keer"),
        (b"\xff\xfe{}", "geen UTF-8"),
    ):
        with pytest.raises(SnapshotFout, match=verwacht.replace("(", r"\(").replace(".", r"\.")):
            snapformaat.verifieer_snapshot(slecht, "half.json")


def test_zonder_digest_geweigerd(bron):
    engine, ronde_id = bron
    obj = snap.exporteer_snapshot(engine, ronde_id)
    del obj["sha256"]
    with pytest.raises(SnapshotFout, match=r"x\.json, veld sha256: ontbreekt"):
        snapformaat.verifieer_snapshot(snapformaat.snapshot_bytes(obj), "x.json")


def _antwoorden_in_snapshot(obj: dict) -> int:
    return sum(len(p["antwoorden"]) for p in obj["respondenten"])


def test_dezelfde_snapshot_opnieuw_verandert_niets(bron, doel):
    """Re-import (issue 11, point 7): the same snapshot again skips every answer."""
    engine, ronde_id = bron
    obj = snap.exporteer_snapshot(engine, ronde_id)
    data = snapformaat.snapshot_bytes(obj)
    eerste = snap.importeer_snapshot_uitslag(doel, data, "eerste.json", door=SYSTEEM)
    assert eerste.nieuwe_ronde and eerste.telling.nieuw == _antwoorden_in_snapshot(obj)
    voor = tellingen(doel)
    with db.sessie(doel) as s:
        spoor = s.scalars(select(AntwoordWijziging.id).order_by(AntwoordWijziging.id)).all()
    tweede = snap.importeer_snapshot_uitslag(doel, data, "tweede.json", door=SYSTEEM)
    assert (tweede.ronde_id, tweede.nieuwe_ronde, tweede.respondenten) == (eerste.ronde_id, False, 0)
    assert tweede.telling == Telling(0, 0, _antwoorden_in_snapshot(obj))
    assert tellingen(doel) == voor
    with db.sessie(doel) as s:
        assert s.scalars(select(AntwoordWijziging.id).order_by(AntwoordWijziging.id)).all() == spoor
    assert snap.exporteer_snapshot(doel, eerste.ronde_id)["sha256"] == obj["sha256"]


def test_snapshot_met_gewijzigde_antwoorden_werkt_de_ronde_bij(bron, doel):
    engine, ronde_id = bron
    obj = json.loads(json.dumps(snap.exporteer_snapshot(engine, ronde_id)))
    snap.importeer_snapshot(doel, _opnieuw_digest(obj), "eerste.json", door=SYSTEEM)
    voor = tellingen(doel)
    met_antwoorden = [p for p in obj["respondenten"] if p["antwoorden"]]
    met_antwoorden[0]["antwoorden"][0]["toelichting"] = "anders"
    a = met_antwoorden[1]["antwoorden"][0]
    a["score"] = "1" if a["score"] != "1" else "2"
    uit = snap.importeer_snapshot_uitslag(doel, _opnieuw_digest(obj), "tweede.json", door=SYSTEEM)
    assert uit.telling == Telling(0, 2, _antwoorden_in_snapshot(obj) - 2)
    na = tellingen(doel)
    assert na["antwoord_wijziging"] == voor["antwoord_wijziging"] + 2
    assert {k: v for k, v in na.items() if k != "antwoord_wijziging"} == {
        k: v for k, v in voor.items() if k != "antwoord_wijziging"}
    hier = {p["pseudoniem"]: p for p in snap.exporteer_snapshot(doel, uit.ronde_id)["respondenten"]}
    assert hier[met_antwoorden[0]["pseudoniem"]]["antwoorden"][0]["toelichting"] == "anders"
    assert hier[met_antwoorden[1]["pseudoniem"]]["antwoorden"][0]["score"] == a["score"]


def test_snapshot_van_bestaande_ronde_met_ander_verbeterplan_geweigerd(bron, doel):
    engine, ronde_id = bron
    obj = json.loads(json.dumps(snap.exporteer_snapshot(engine, ronde_id)))
    snap.importeer_snapshot(doel, _opnieuw_digest(obj), "eerste.json", door=SYSTEEM)
    obj["verbeterplan"][0]["wat"] = "Iets anders"
    obj["respondenten"][0]["antwoorden"][0]["toelichting"] = "ook anders"
    voor = tellingen(doel)
    with pytest.raises(SnapshotFout, match=r"tweede\.json: .*het verbeterplan in de snapshot verschilt"):
        snap.importeer_snapshot(doel, _opnieuw_digest(obj), "tweede.json", door=SYSTEEM)
    assert tellingen(doel) == voor


def test_pseudoniem_in_andere_ronde_en_demo_status_worden_geweigerd(bron, tmp_path):
    engine, ronde_id = bron
    obj = snap.exporteer_snapshot(engine, ronde_id)
    doel = _sqlite(tmp_path / "d.db")
    snap.importeer_snapshot(doel, snapformaat.snapshot_bytes(obj), "a.json", door=SYSTEEM)
    ander = dict(obj, ronde={**obj["ronde"], "label": "2027 (demo)"})
    with pytest.raises(SnapshotFout, match=r"b\.json: de pseudoniemen .* bestaan hier al in een andere ronde"):
        snap.importeer_snapshot(doel, _opnieuw_digest(ander), "b.json", door=SYSTEEM)
    echt = dict(obj, ronde={**obj["ronde"], "label": "2028", "demo": False}, respondenten=[])
    with pytest.raises(SnapshotFout, match="bestaat hier al als een demogemeente"):
        snap.importeer_snapshot(doel, _opnieuw_digest(echt), "c.json", door=SYSTEEM)
    doel.dispose()


@pytest.mark.parametrize("wijzig, verwacht", [
    # the index of the kader is derived from the snapshot, whatever kaders the demo ronde has
    (lambda o: o["kaders"].append({"id": "onbekend-kader", "versie": "1"}),
     lambda o: f"veld kaders[{len(o['kaders']) - 1}].id: kader 'onbekend-kader' is hier niet bekend"),
    (lambda o: next(k for k in o["kaders"] if k["id"] == STJ).update(versie="1999.9"),
     lambda o: f"veld kaders[{[k['id'] for k in o['kaders']].index(STJ)}].versie: "
               f"de ronde gebruikt versie 1999.9 van kader '{STJ}'"),
    (lambda o: o["respondenten"][0]["antwoorden"][0].update(score="5"),
     "veld respondenten[0].antwoorden[0].score: '5' is geen geldige waarde; kies 1, 2, 3, 4, weet_niet, nvt."),
    (lambda o: o["consensus"][0].update(score="0"), "veld consensus[0].score: '0' is geen geldige waarde"),
    (lambda o: o["respondenten"][0]["antwoorden"][0].update(criterium="c99"),
     "veld respondenten[0].antwoorden[0].criterium: criterium 'c99' hoort niet bij kader"),
    (lambda o: o["verbeterplan"][0].update(status="klaar"), "veld verbeterplan[0].status: 'klaar' is ongeldig"),
    (lambda o: o["verbeterplan"][0].update(deadline="31-12-2026"), "veld verbeterplan[0].deadline"),
    (lambda o: o["ronde"].update(aangemaakt="2026-01-01 10:00"), "veld ronde.aangemaakt"),
    (lambda o: o["respondenten"][0].update(naam="Jan"), "veld respondenten[0]: onbekende velden: naam."),
    (lambda o: o["respondenten"][1].update(pseudoniem=o["respondenten"][0]["pseudoniem"]),
     "veld respondenten[1].pseudoniem: pseudoniem"),
])
def test_inhoud_wordt_gecontroleerd(bron, kaders, tmp_path, wijzig, verwacht):
    engine, ronde_id = bron
    obj = json.loads(json.dumps(snap.exporteer_snapshot(engine, ronde_id)))
    wijzig(obj)
    if callable(verwacht):
        verwacht = verwacht(obj)
    doel = _sqlite(tmp_path / "d.db")
    with pytest.raises(SnapshotFout) as fout:
        snap.importeer_snapshot(doel, _opnieuw_digest(obj), "x.json", kaders=kaders, door=SYSTEEM)
    assert str(fout.value).startswith("x.json, " + verwacht), str(fout.value)
    assert sum(tellingen(doel).values()) == 0
    doel.dispose()


def test_fout_halverwege_laat_niets_achter(bron, doel, monkeypatch):
    engine, ronde_id = bron
    data = snapformaat.snapshot_bytes(snap.exporteer_snapshot(engine, ronde_id))
    voor = tellingen(doel)
    geschreven = {}

    def kapot(s, ronde_id, obj):
        s.flush()
        with s.no_autoflush:
            geschreven["respondenten"] = s.scalar(select(func.count()).select_from(Respondent))
        raise RuntimeError("schijf vol (gesimuleerd)")

    monkeypatch.setattr(snap, "_schrijf_verbeterplan", kapot)
    with pytest.raises(RuntimeError, match="gesimuleerd"):
        snap.importeer_snapshot(doel, data, "r.json", door=SYSTEEM)
    assert geschreven["respondenten"] > 0  # the failure really came halfway
    assert tellingen(doel) == voor
    monkeypatch.undo()
    nieuw = snap.importeer_snapshot(doel, data, "r.json", door=SYSTEEM)  # and afterwards it simply works
    assert snap.exporteer_snapshot(doel, nieuw)["sha256"] == json.loads(data)["sha256"]


# ------------------------------------------------------------------ property: any toelichting


# any text the app can have stored: an import cleans text as the questionnaire does (schone_tekst),
# so the digest survives a round trip for exactly that text (tests/test_beveiliging_bestanden.py
# covers what happens to other text)
TEKST = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300).map(schone_tekst)


@pytest.fixture(scope="module")
def kleine_bron(tmp_path_factory):
    engine = _sqlite(tmp_path_factory.mktemp("klein") / "klein.db")
    g = repo.maak_gemeente(engine, "Teststad", door=SYSTEEM)
    yield engine, g.id
    engine.dispose()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(toelichting=TEKST, motivatie=TEKST, wat=TEKST.filter(lambda t: t.strip()))
def test_rondreis_met_willekeurige_tekst(kleine_bron, pg_engine, kaders, toelichting, motivatie, wat):
    engine, gemeente_id = kleine_bron
    kader = kaders[STJ]
    label = f"r-{uuid.uuid4().hex[:8]}"
    ronde = repo.maak_ronde(engine, gemeente_id, label, {STJ: kader.versie}, rollen=["onderwijs"], door=SYSTEEM)
    resp, _ = repo.maak_respondent(engine, ronde.id, "onderwijs", door=SYSTEEM)
    repo.bewaar_antwoord(engine, resp.id, STJ, kader.criteria[0].id, "3", toelichting)
    repo.bewaar_consensus(engine, ronde.id, STJ, kader.criteria[0].id, "nvt", motivatie, door=SYSTEEM)
    repo.maak_actie(engine, ronde.id, STJ, kader.criteria[0].id, wat, eigenaar=toelichting[:200],
                    meting=motivatie, door=SYSTEEM)
    obj = snap.exporteer_snapshot(engine, ronde.id)
    nieuw = snap.importeer_snapshot(pg_engine, snapformaat.snapshot_bytes(obj), "p.json", kaders=kaders, door=SYSTEEM)
    try:
        terug = snap.exporteer_snapshot(pg_engine, nieuw)
        assert terug["sha256"] == obj["sha256"]
        assert terug["respondenten"][0]["antwoorden"][0]["toelichting"] == toelichting
        assert terug["consensus"][0]["motivatie"] == motivatie
    finally:
        repo.verwijder_ronde(pg_engine, nieuw, door=SYSTEEM)
        repo.verwijder_ronde(engine, ronde.id, door=SYSTEEM)


# ------------------------------------------------------------------ CLI


def _cli(*args, env_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ZBT_DATABASE_URL": env_url, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "storage", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_cli_export_check_import(bron, tmp_path):
    engine, ronde_id = bron
    bron_url = engine.url.render_as_string(hide_password=False)
    uit = tmp_path / "ronde.json"
    r = _cli("snapshot-export", "--ronde", "2026 (demo)", "--gemeente", "Demodorp (fictief)", "--out", str(uit),
             env_url=bron_url)
    assert r.returncode == 0, r.stderr
    digest = snap.exporteer_snapshot(engine, ronde_id)["sha256"]
    assert f"sha256 {digest}" in r.stdout
    r = _cli("snapshot-check", str(uit), env_url="sqlite:////niet/gebruikt.db")
    assert r.returncode == 0, r.stderr
    assert "in orde" in r.stdout and digest in r.stdout
    doel = f"sqlite:///{tmp_path / 'doel.db'}"
    r = _cli("snapshot-import", str(uit), env_url=doel)
    assert r.returncode == 0 and "Geïmporteerd als ronde" in r.stdout, r.stderr
    r = _cli("snapshot-import", str(uit), env_url=doel)  # again: the ronde is here, nothing changes
    assert r.returncode == 0 and "Bijgewerkt: ronde 1: 0 nieuw, 0 gewijzigd, " in r.stdout, r.stderr
    uit.write_bytes(uit.read_bytes()[:-200])
    r = _cli("snapshot-check", str(uit), env_url=doel)
    assert r.returncode == 1 and r.stderr.startswith(f"Fout: {uit}: geen geldige JSON")
    r = _cli("snapshot-export", "--ronde", "999999", "--out", str(uit), env_url=bron_url)
    assert r.returncode == 1 and "Er is geen ronde met id 999999." in r.stderr
