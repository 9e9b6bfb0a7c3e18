"""Tests for the verbeterplan per ronde (verbeteractie + audit trail). Like
tests/test_storage.py every test runs on a SQLite file and on PostgreSQL
(mandatory with CI=true); the fixtures come from there.
"""
from __future__ import annotations

import json
import threading
from datetime import date, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import delete, inspect, select, text, update
from sqlalchemy.exc import IntegrityError

from storage import db
from storage import repository as repo
from storage.bereik import SYSTEEM  # noqa: E402
from storage.models import Ronde, Verbeteractie, VerbeteractieWijziging
from test_storage import HEAD, VERSIES, engine, leeg_engine, ronde  # noqa: F401 - fixtures

pytestmark = pytest.mark.db


def plan_tellingen(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        return tuple(conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar()
                     for t in ("verbeteractie", "verbeteractie_wijziging"))


def volgende_ronde(engine, ronde, label="2027", minuten=1):
    """A later ronde of the same gemeente, with aangemaakt clearly after ``ronde``."""
    nieuw = repo.maak_ronde(engine, ronde.gemeente_id, label, VERSIES, door=SYSTEEM)
    with db.sessie(engine, schrijven=True) as s:
        s.execute(update(Ronde).where(Ronde.id == nieuw.id)
                  .values(aangemaakt=ronde.aangemaakt + timedelta(minutes=minuten)))
    return repo.ronde(engine, nieuw.id)


# ------------------------------------------------------------------ schema


def test_tabellen_en_kolommen(engine):
    assert db.huidige_revisie(engine) == HEAD
    tabellen = set(inspect(engine).get_table_names())
    assert {"verbeteractie", "verbeteractie_wijziging"} <= tabellen
    kolommen = {k["name"] for k in inspect(engine).get_columns("verbeteractie")}
    assert kolommen == {
        "id", "ronde_id", "kader_id", "criterium_id", "bron_actie_id", "wat", "eigenaar",
        "deadline", "meting", "status", "effect", "overgenomen_van", "aangemaakt", "bijgewerkt",
    }
    audit = {k["name"] for k in inspect(engine).get_columns("verbeteractie_wijziging")}
    assert kolommen - {"id", "ronde_id", "aangemaakt", "bijgewerkt"} <= audit
    assert {"actie_id", "gebeurtenis", "tijdstip", "ronde_id"} <= audit


def test_migratie_0003_behoudt_bestaande_gegevens(leeg_engine):
    """Upgrading a 0002 database with data only adds tables; the downgrade drops
    only them."""
    db.migreer(leeg_engine, "0002")
    # Plain SQL: the ORM models describe the newest schema, not 0002.
    with leeg_engine.begin() as conn:
        conn.execute(text("INSERT INTO gemeente (naam, demo) VALUES ('Oudedorp', FALSE)"))
        conn.execute(text("INSERT INTO ronde (gemeente_id, label) SELECT id, '2025' FROM gemeente"))
        for kader_id, versie in VERSIES.items():
            conn.execute(text("INSERT INTO ronde_kader (ronde_id, kader_id, kader_versie) "
                              "SELECT id, :k, :v FROM ronde"), {"k": kader_id, "v": versie})
        conn.execute(text("INSERT INTO respondent (ronde_id, pseudoniem, rol) SELECT id, 'r-oud001', 'gemeente' FROM ronde"))
        for tabel in ("antwoord", "antwoord_wijziging"):
            conn.execute(text(f"INSERT INTO {tabel} (respondent_id, kader_id, criterium_id, score, toelichting) "
                              "SELECT id, 'stj', 'c1', '3', 'van voor de migratie' FROM respondent"))
        for tabel in ("consensus", "consensus_wijziging"):
            conn.execute(text(f"INSERT INTO {tabel} (ronde_id, kader_id, criterium_id, score, motivatie) "
                              "SELECT id, 'stj', 'c1', '3', 'motivatie' FROM ronde"))
        g_id, r_id = conn.execute(text("SELECT gemeente_id, id FROM ronde")).one()
    tabellen = sorted(inspect(leeg_engine).get_table_names())

    def inhoud() -> dict:
        with leeg_engine.connect() as conn:
            return {t: sorted(map(str, conn.execute(text(f"SELECT * FROM {t}")).all())) for t in tabellen}

    voor = inhoud()
    db.migreer(leeg_engine, "0003")
    assert db.huidige_revisie(leeg_engine) == "0003"
    assert inhoud() == {**voor, "alembic_version": ["('0003',)"]}
    db.migreer(leeg_engine)
    [na] = repo.exporteer_gemeente(leeg_engine, g_id)["rondes"]
    assert (na["verbeterplan"], na["verbeterplan_wijzigingen"]) == ([], [])
    repo.maak_actie(leeg_engine, r_id, "stj", "c1", "Na de migratie", door=SYSTEEM)

    with leeg_engine.begin() as conn:
        command.downgrade(db.alembic_config(conn), "0002")
    assert not {"verbeteractie", "verbeteractie_wijziging"} & set(inspect(leeg_engine).get_table_names())
    assert inhoud() == voor
    db.migreer(leeg_engine)
    assert repo.acties_van(leeg_engine, r_id) == []


def test_status_check_in_database(engine, ronde):
    a = repo.maak_actie(engine, ronde.id, "stj", "c1", "Iets doen", door=SYSTEEM)
    with pytest.raises(IntegrityError):
        with db.sessie(engine, schrijven=True) as s:
            s.execute(update(Verbeteractie).where(Verbeteractie.id == a.id).values(status="klaar"))


# ------------------------------------------------------------------ create, change, audit


def test_maak_wijzig_en_audit(engine, ronde):
    a = repo.maak_actie(engine, ronde.id, " stj ", "c1", "  Wekelijks casusoverleg  ",
                        eigenaar=" Wijkteam ", deadline="2027-03-01", meting="Aantal overleggen",
                        bron_actie_id="004-4.2-a", door=SYSTEEM)
    assert (a.ronde_id, a.kader_id, a.criterium_id, a.bron_actie_id) == (ronde.id, "stj", "c1", "004-4.2-a")
    assert (a.wat, a.eigenaar, a.deadline, a.meting) == (
        "Wekelijks casusoverleg", "Wijkteam", date(2027, 3, 1), "Aantal overleggen")
    assert (a.status, a.effect, a.overgenomen_van) == ("gepland", "", None)
    assert a.aangemaakt.tzinfo is not None and a.aangemaakt == a.bijgewerkt
    eigen = repo.maak_actie(engine, ronde.id, "mov", None, "Eigen actie zonder criterium", door=SYSTEEM)
    assert (eigen.criterium_id, eigen.bron_actie_id, eigen.deadline, eigen.eigenaar) == (None, None, None, "")

    b = repo.wijzig_actie(engine, a.id, status="bezig", deadline=date(2027, 4, 1), door=SYSTEEM)
    assert (b.status, b.deadline, b.wat) == ("bezig", date(2027, 4, 1), "Wekelijks casusoverleg")
    assert b.bijgewerkt >= a.bijgewerkt and b.aangemaakt == a.aangemaakt
    c = repo.wijzig_actie(engine, a.id, status="gerealiseerd", effect="Wachttijd halveerde",
                          deadline=None, eigenaar="", door=SYSTEEM)
    assert (c.status, c.effect, c.deadline, c.eigenaar) == ("gerealiseerd", "Wachttijd halveerde", None, "")
    assert repo.acties_van(engine, ronde.id) == [c, eigen]

    trail = repo.actie_wijzigingen(engine, a.id)
    assert [(w.gebeurtenis, w.status, w.deadline, w.effect) for w in trail] == [
        ("aangemaakt", "gepland", date(2027, 3, 1), ""),
        ("gewijzigd", "bezig", date(2027, 4, 1), ""),
        ("gewijzigd", "gerealiseerd", None, "Wachttijd halveerde"),
    ]
    # Every audit row is a full snapshot, not only the changed fields.
    assert all(w.wat == "Wekelijks casusoverleg" and w.bron_actie_id == "004-4.2-a"
               and w.kader_id == "stj" and w.criterium_id == "c1" for w in trail)
    assert trail[1].eigenaar == "Wijkteam" and trail[2].eigenaar == ""
    assert all(w.tijdstip.tzinfo is not None and w.actie_id == a.id for w in trail)

    # Deleting keeps the trail, ending with a 'verwijderd' snapshot.
    repo.verwijder_actie(engine, a.id, door=SYSTEEM)
    assert repo.acties_van(engine, ronde.id) == [eigen]
    assert [w.gebeurtenis for w in repo.actie_wijzigingen(engine, a.id)] == [
        "aangemaakt", "gewijzigd", "gewijzigd", "verwijderd"]
    with pytest.raises(ValueError, match="bestaat niet"):
        repo.wijzig_actie(engine, a.id, status="bezig", door=SYSTEEM)
    with pytest.raises(ValueError, match="bestaat niet"):
        repo.verwijder_actie(engine, a.id, door=SYSTEEM)


@pytest.mark.parametrize("velden, melding", [
    ({"status": "klaar"}, "Onbekende status 'klaar'"),
    ({"status": ""}, "Onbekende status"),
    ({"status": None}, "Onbekende status"),
    ({"wat": "   "}, "Beschrijf wat er gaat gebeuren"),
    ({"deadline": "1 maart"}, "geen geldige datum"),
    ({"eigenaar": "x" * 201}, "maximaal 200 tekens"),
    ({"kader_id": "onbekend"}, "hoort niet bij deze ronde"),
    ({"ronde_id": 5}, "Onbekend veld voor een actie: ronde_id"),
    ({"overgenomen_van": 5}, "Onbekend veld"),
])
def test_wijzig_actie_weigert_ongeldig(engine, ronde, velden, melding):
    a = repo.maak_actie(engine, ronde.id, "stj", "c1", "Iets doen", door=SYSTEEM)
    with pytest.raises(ValueError, match=melding):
        repo.wijzig_actie(engine, a.id, **velden, door=SYSTEEM)
    assert repo.acties_van(engine, ronde.id) == [a]
    assert len(repo.actie_wijzigingen(engine, a.id)) == 1


def test_statussen_en_hoofdletters(engine, ronde):
    a = repo.maak_actie(engine, ronde.id, "stj", "c1", "Iets doen", door=SYSTEEM)
    for status in ("bezig", "gerealiseerd", "gestopt", "gepland"):
        assert repo.wijzig_actie(engine, a.id, status=status, door=SYSTEEM).status == status
    assert repo.wijzig_actie(engine, a.id, status=" Bezig ", door=SYSTEEM).status == "bezig"


@pytest.mark.parametrize("args, kwargs, melding", [
    (("stj", "c1", ""), {}, "Beschrijf wat"),
    (("", "c1", "x"), {}, "Kies een kader"),
    (("onbekend", "c1", "x"), {}, "hoort niet bij deze ronde"),
    (("stj", "c" * 101, "x"), {}, "te lang"),
    (("stj", "c1", "x"), {"deadline": "morgen"}, "geen geldige datum"),
    (("stj", "c1", "x"), {"bron_actie_id": "b" * 101}, "te lang"),
])
def test_maak_actie_weigert_ongeldig(engine, ronde, args, kwargs, melding):
    with pytest.raises(ValueError, match=melding):
        repo.maak_actie(engine, ronde.id, *args, **kwargs, door=SYSTEEM)
    assert plan_tellingen(engine) == (0, 0)


def test_gesloten_ronde_weigert_planwijzigingen(engine, ronde):
    a = repo.maak_actie(engine, ronde.id, "stj", "c1", "Iets doen", door=SYSTEEM)
    repo.zet_ronde_status(engine, ronde.id, "gesloten", door=SYSTEEM)
    for poging in (
        lambda: repo.maak_actie(engine, ronde.id, "stj", "c2", "Nog iets", door=SYSTEEM),
        lambda: repo.wijzig_actie(engine, a.id, status="bezig", door=SYSTEEM),
        lambda: repo.verwijder_actie(engine, a.id, door=SYSTEEM),
    ):
        with pytest.raises(ValueError, match="is gesloten; het verbeterplan kan niet meer"):
            poging()
    assert repo.acties_van(engine, ronde.id) == [a]
    assert plan_tellingen(engine) == (1, 1)
    # Reading still works, and reopening allows edits again.
    repo.zet_ronde_status(engine, ronde.id, "open", door=SYSTEEM)
    assert repo.wijzig_actie(engine, a.id, status="bezig", door=SYSTEEM).status == "bezig"
    with pytest.raises(ValueError, match="bestaat niet"):
        repo.maak_actie(engine, ronde.id + 1000, "stj", "c1", "x", door=SYSTEEM)


# ------------------------------------------------------------------ previous ronde


def test_vorige_ronde(engine, ronde):
    assert repo.vorige_ronde(engine, ronde.id) is None
    latere = volgende_ronde(engine, ronde, "2027", minuten=10)
    tussen = volgende_ronde(engine, ronde, "2026-b", minuten=5)  # created later, dated between
    assert repo.vorige_ronde(engine, latere.id).id == tussen.id
    assert repo.vorige_ronde(engine, tussen.id) == repo.ronde(engine, ronde.id)
    # Same aangemaakt: the lower id is the earlier one.
    gelijk = volgende_ronde(engine, ronde, "2027-tweeling", minuten=10)
    assert repo.vorige_ronde(engine, gelijk.id).id == latere.id
    assert repo.vorige_ronde(engine, latere.id).id == tussen.id
    # Another gemeente's rondes never count.
    ander = repo.maak_gemeente(engine, "Anderdorp", door=SYSTEEM)
    eerste_ander = repo.maak_ronde(engine, ander.id, "2025", VERSIES, door=SYSTEEM)
    assert repo.vorige_ronde(engine, eerste_ander.id) is None
    with pytest.raises(ValueError, match="bestaat niet"):
        repo.vorige_ronde(engine, 999_999)


def test_neem_acties_over(engine, ronde):
    a = repo.maak_actie(engine, ronde.id, "stj", "c1", "Casusoverleg", eigenaar="Wijkteam",
                        deadline=date(2026, 12, 1), meting="Aantal", bron_actie_id="004-a", door=SYSTEEM)
    repo.wijzig_actie(engine, a.id, status="gerealiseerd", effect="Beter overzicht", door=SYSTEEM)
    b = repo.maak_actie(engine, ronde.id, "mov", None, "Eigen actie", door=SYSTEEM)
    repo.wijzig_actie(engine, b.id, status="bezig", door=SYSTEEM)
    nieuw = volgende_ronde(engine, ronde)
    assert repo.neem_acties_over(engine, ronde.id, door=SYSTEEM) == 0  # the first ronde has no previous one

    assert repo.neem_acties_over(engine, nieuw.id, door=SYSTEEM) == 2
    ka, kb = repo.acties_van(engine, nieuw.id)
    assert (ka.overgenomen_van, kb.overgenomen_van) == (a.id, b.id)
    assert (ka.ronde_id, ka.kader_id, ka.criterium_id, ka.bron_actie_id, ka.wat, ka.eigenaar,
            ka.deadline, ka.meting, ka.status, ka.effect) == (
        nieuw.id, "stj", "c1", "004-a", "Casusoverleg", "Wijkteam", date(2026, 12, 1), "Aantal",
        "gerealiseerd", "Beter overzicht")
    assert (kb.criterium_id, kb.status) == (None, "bezig")
    assert ka.id not in (a.id, b.id)
    [w] = repo.actie_wijzigingen(engine, ka.id)
    assert (w.gebeurtenis, w.ronde_id, w.status, w.overgenomen_van) == (
        "overgenomen", nieuw.id, "gerealiseerd", a.id)
    # The originals are untouched.
    assert [x.ronde_id for x in repo.acties_van(engine, ronde.id)] == [ronde.id, ronde.id]

    # Idempotent: a second call copies nothing, also after a copy was deleted here.
    assert repo.neem_acties_over(engine, nieuw.id, door=SYSTEEM) == 0
    repo.verwijder_actie(engine, kb.id, door=SYSTEEM)
    assert repo.neem_acties_over(engine, nieuw.id, door=SYSTEEM) == 0
    assert repo.acties_van(engine, nieuw.id) == [ka]
    # An action added to the previous ronde later is taken over on the next call.
    c = repo.maak_actie(engine, ronde.id, "stj", "c2", "Later bedacht", door=SYSTEEM)
    assert repo.neem_acties_over(engine, nieuw.id, door=SYSTEEM) == 1
    assert [x.overgenomen_van for x in repo.acties_van(engine, nieuw.id)] == [a.id, c.id]
    assert repo.neem_acties_over(engine, nieuw.id, door=SYSTEEM) == 0

    # The next ronde takes over from the latest one (chained), not from the first.
    derde = volgende_ronde(engine, ronde, "2028", minuten=2)
    assert repo.neem_acties_over(engine, derde.id, door=SYSTEEM) == 2
    assert {x.overgenomen_van for x in repo.acties_van(engine, derde.id)} == {
        x.id for x in repo.acties_van(engine, nieuw.id)}

    # A closed ronde gets nothing (the app may call this for every opened ronde).
    vierde = volgende_ronde(engine, ronde, "2029", minuten=3)
    repo.zet_ronde_status(engine, vierde.id, "gesloten", door=SYSTEEM)
    assert repo.neem_acties_over(engine, vierde.id, door=SYSTEEM) == 0
    assert repo.acties_van(engine, vierde.id) == []
    with pytest.raises(ValueError, match="bestaat niet"):
        repo.neem_acties_over(engine, 999_999, door=SYSTEEM)


def test_neem_acties_over_gelijktijdig(engine, ronde):
    for i in range(3):
        repo.maak_actie(engine, ronde.id, "stj", "c1", f"Actie {i}", door=SYSTEEM)
    nieuw = volgende_ronde(engine, ronde)
    uitkomsten, fouten = [], []

    def neem():
        try:
            uitkomsten.append(repo.neem_acties_over(engine, nieuw.id, door=SYSTEEM))
        except Exception as exc:  # noqa: BLE001
            fouten.append(exc)

    draden = [threading.Thread(target=neem) for _ in range(4)]
    for d in draden:
        d.start()
    for d in draden:
        d.join()
    assert not fouten
    assert sorted(uitkomsten) == [0, 0, 0, 3]
    assert len(repo.acties_van(engine, nieuw.id)) == 3


# ------------------------------------------------------------------ privacy


def test_verwijder_ronde_neemt_plan_mee(engine, ronde):
    a = repo.maak_actie(engine, ronde.id, "stj", "c1", "Overgenomen actie", meting="Meting", door=SYSTEEM)
    repo.wijzig_actie(engine, a.id, effect="WEG-oud-effect", door=SYSTEEM)
    repo.wijzig_actie(engine, a.id, effect="Effect", door=SYSTEEM)
    weg2 = repo.maak_actie(engine, ronde.id, "stj", "c2", "WEG-verwijderd", door=SYSTEEM)
    repo.verwijder_actie(engine, weg2.id, door=SYSTEEM)
    nieuw = volgende_ronde(engine, ronde)
    repo.neem_acties_over(engine, nieuw.id, door=SYSTEEM)
    [kopie] = repo.acties_van(engine, nieuw.id)
    repo.wijzig_actie(engine, kopie.id, wat="Blijft", door=SYSTEEM)

    # 1 actie + 5 audit rows (a: 3, weg2: 2) + the ronde + 2 pins
    assert repo.verwijder_ronde(engine, ronde.id, door=SYSTEEM) == 9
    with engine.connect() as conn:
        for tabel in ("verbeteractie", "verbeteractie_wijziging"):
            n = conn.execute(text(f"SELECT COUNT(*) FROM {tabel} WHERE ronde_id = :r"), {"r": ronde.id}).scalar()
            assert n == 0, tabel
        waarden = [str(v) for tabel in ("verbeteractie", "verbeteractie_wijziging")
                   for rij in conn.execute(text(f"SELECT * FROM {tabel}")) for v in rij]
    # Old versions and deleted actions of the deleted ronde are gone.
    assert not any("WEG" in v for v in waarden)
    # The copy in the next ronde stays (it is that ronde's data), without its origin.
    [over] = repo.acties_van(engine, nieuw.id)
    assert (over.id, over.wat, over.effect, over.overgenomen_van) == (kopie.id, "Blijft", "Effect", None)
    assert [w.gebeurtenis for w in repo.actie_wijzigingen(engine, kopie.id)] == ["overgenomen", "gewijzigd"]


def test_cascade_vanaf_ronde(engine, ronde):
    a = repo.maak_actie(engine, ronde.id, "stj", "c1", "Iets doen", door=SYSTEEM)
    repo.wijzig_actie(engine, a.id, status="bezig", door=SYSTEEM)
    with db.sessie(engine, schrijven=True) as s:
        s.execute(delete(Ronde).where(Ronde.id == ronde.id))
    assert plan_tellingen(engine) == (0, 0)


def test_exporteer_gemeente_bevat_plan(engine, ronde):
    a = repo.maak_actie(engine, ronde.id, "stj", "c1", "EXPORT-actie", eigenaar="GGZ",
                        deadline="2027-01-31", meting="Wachttijd", bron_actie_id="002-x", door=SYSTEEM)
    repo.wijzig_actie(engine, a.id, status="gerealiseerd", effect="EXPORT-effect", door=SYSTEEM)
    weg = repo.maak_actie(engine, ronde.id, "mov", None, "Verwijderd", door=SYSTEEM)
    repo.verwijder_actie(engine, weg.id, door=SYSTEEM)
    nieuw = volgende_ronde(engine, ronde)
    repo.neem_acties_over(engine, nieuw.id, door=SYSTEEM)

    export = repo.exporteer_gemeente(engine, ronde.gemeente_id)
    assert json.loads(json.dumps(export, ensure_ascii=False)) == export
    eerste, tweede = export["rondes"]
    [p] = eerste["verbeterplan"]
    assert p == {
        "id": a.id, "kader_id": "stj", "criterium_id": "c1", "bron_actie_id": "002-x",
        "wat": "EXPORT-actie", "eigenaar": "GGZ", "deadline": "2027-01-31", "meting": "Wachttijd",
        "status": "gerealiseerd", "effect": "EXPORT-effect", "overgenomen_van": None,
        "aangemaakt": p["aangemaakt"], "bijgewerkt": p["bijgewerkt"],
    }
    for t in (p["aangemaakt"], p["bijgewerkt"]):
        assert datetime.fromisoformat(t).tzinfo is not None
    assert [(w["actie_id"], w["gebeurtenis"], w["status"]) for w in eerste["verbeterplan_wijzigingen"]] == [
        (a.id, "aangemaakt", "gepland"), (a.id, "gewijzigd", "gerealiseerd"),
        (weg.id, "aangemaakt", "gepland"), (weg.id, "verwijderd", "gepland")]
    assert all(datetime.fromisoformat(w["tijdstip"]).tzinfo is not None
               for w in eerste["verbeterplan_wijzigingen"])
    [k] = tweede["verbeterplan"]
    assert (k["overgenomen_van"], k["wat"], k["status"]) == (a.id, "EXPORT-actie", "gerealiseerd")
    assert [w["gebeurtenis"] for w in tweede["verbeterplan_wijzigingen"]] == ["overgenomen"]


def test_audit_is_alleen_toevoegen(engine, ronde):
    """The repository never updates or deletes audit rows (only verwijder_ronde does)."""
    a = repo.maak_actie(engine, ronde.id, "stj", "c1", "Iets doen", door=SYSTEEM)
    with db.sessie(engine) as s:
        eerst = [(w.id, w.wat, w.status) for w in s.scalars(select(VerbeteractieWijziging))]
    repo.wijzig_actie(engine, a.id, wat="Iets anders", status="bezig", door=SYSTEEM)
    repo.verwijder_actie(engine, a.id, door=SYSTEEM)
    with db.sessie(engine) as s:
        na = [(w.id, w.wat, w.status) for w in s.scalars(select(VerbeteractieWijziging).order_by(VerbeteractieWijziging.id))]
    assert na[:1] == eerst and len(na) == 3
    assert na[0][1:] == ("Iets doen", "gepland") and na[2][1:] == ("Iets anders", "bezig")
