"""The samenwerkingskaart in storage (storage/samenwerking.py): the facilitator's switch,
a participant's answers per partner rol, the ronde's DataFrame and the import, all or
nothing. On SQLite and PostgreSQL (the ``engine`` fixture of test_storage)."""
from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import text

from storage import repository as repo
from storage.bereik import SYSTEEM, BuitenBereik
from test_storage import ROLLEN, VERSIES, engine, leeg_engine  # noqa: F401
from test_storage import momentopname as _basis
from toegang import Gebruiker
from uitwisselformaat import UitwisselFout
from uitwisselformaat.samenwerking import SAMENWERKING_KOLOMMEN

pytestmark = pytest.mark.db

FAC = Gebruiker("anna", "facilitator", frozenset({"Aadorp"}))
DEMO_FAC = Gebruiker("demo", "facilitator", frozenset({"*"}), demo=True)


NIEUWE_TABELLEN = ("samenwerking", "tweede_stem", "overleg")


def momentopname(engine):
    """test_storage's snapshot of every table, plus the issue-15 tables."""
    uit = _basis(engine)
    with engine.connect() as conn:
        for tabel in NIEUWE_TABELLEN:
            uit[tabel] = sorted(tuple(map(str, r)) for r in conn.execute(text(f"SELECT * FROM {tabel}")))
    return uit


@pytest.fixture
def kaart(engine):
    """Gemeente Aadorp, open ronde '2026' with the three rollen of test_storage, kaart on,
    one respondent per rol."""
    g = repo.maak_gemeente(engine, "Aadorp", door=SYSTEEM)
    r = repo.maak_ronde(engine, g.id, "2026", VERSIES, rollen=list(ROLLEN), door=SYSTEEM)
    repo.zet_samenwerkingskaart(engine, r.id, True, door=FAC)
    resp = {rol: repo.maak_respondent(engine, r.id, rol, door=SYSTEEM)[0] for rol in ROLLEN}
    return {"gemeente": g, "ronde": r, "resp": resp}


def test_partners_zijn_de_andere_rollen_van_de_ronde(engine, kaart):
    assert repo.partner_rollen(engine, kaart["ronde"].id, "gemeente") == ("onderwijs", "wijkteam")


def test_bewaren_overschrijven_en_terugnemen(engine, kaart):
    rid = kaart["resp"]["onderwijs"].id
    repo.bewaar_samenwerking(engine, rid, "wijkteam", "1", "  we horen weinig ")
    assert repo.samenwerking_van(engine, rid) == {"wijkteam": ("1", "we horen weinig")}
    repo.bewaar_samenwerking(engine, rid, "wijkteam", "weet_niet", "")
    repo.bewaar_samenwerking(engine, rid, "gemeente", "3", None)
    assert repo.samenwerking_van(engine, rid) == {"wijkteam": ("weet_niet", ""), "gemeente": ("3", "")}
    repo.bewaar_samenwerking(engine, rid, "wijkteam", None, "")  # taken back: the row goes
    assert repo.samenwerking_van(engine, rid) == {"gemeente": ("3", "")}
    df = repo.samenwerking_df(engine, kaart["ronde"].id)
    assert list(df.columns) == list(SAMENWERKING_KOLOMMEN)
    assert df.values.tolist() == [["Aadorp", "2026", kaart["resp"]["onderwijs"].pseudoniem, "onderwijs",
                                   "gemeente", "3", ""]]


@pytest.mark.parametrize(("partner", "niveau", "toelichting", "melding"), [
    ("onderwijs", "2", "", "andere rol dan uw eigen"),
    ("politie", "2", "", "doet niet mee"),
    ("wijkteam", "6", "", "geen niveau"),
    ("wijkteam", "drie", "", "geen niveau"),
    ("wijkteam", None, "alleen tekst", "Kies eerst"),
])
def test_bewaren_geweigerd(engine, kaart, partner, niveau, toelichting, melding):
    voor = momentopname(engine)
    with pytest.raises(ValueError, match=melding):
        repo.bewaar_samenwerking(engine, kaart["resp"]["onderwijs"].id, partner, niveau, toelichting)
    assert momentopname(engine) == voor


def test_bewaren_geweigerd_zonder_kaart_in_gesloten_ronde_en_onbekend(engine, kaart):
    r, rid = kaart["ronde"], kaart["resp"]["gemeente"].id
    with pytest.raises(ValueError, match="Onbekende respondent"):
        repo.bewaar_samenwerking(engine, 999_999, "wijkteam", "2", "")
    repo.zet_samenwerkingskaart(engine, r.id, False, door=FAC)
    assert repo.samenwerkingskaart_aan(engine, r.id) is False
    with pytest.raises(ValueError, match="niet naar de samenwerking"):
        repo.bewaar_samenwerking(engine, rid, "wijkteam", "2", "")
    repo.zet_samenwerkingskaart(engine, r.id, True, door=FAC)
    repo.bewaar_samenwerking(engine, rid, "wijkteam", "2", "")
    repo.zet_ronde_status(engine, r.id, "gesloten", door=FAC)
    with pytest.raises(ValueError, match="gesloten"):
        repo.bewaar_samenwerking(engine, rid, "wijkteam", "4", "")
    with pytest.raises(ValueError, match="gesloten"):
        repo.zet_samenwerkingskaart(engine, r.id, False, door=FAC)
    assert repo.samenwerking_van(engine, rid) == {"wijkteam": ("2", "")}


def test_schakelaar_binnen_bereik(engine, kaart):
    r = kaart["ronde"]
    voor = momentopname(engine)
    for door in (DEMO_FAC, Gebruiker("bert", "facilitator", frozenset({"Beestad"})),
                 Gebruiker("ines", "inspecteur", frozenset({"Aadorp"}))):
        with pytest.raises(BuitenBereik, match="Aadorp"):
            repo.zet_samenwerkingskaart(engine, r.id, False, door=door)
    assert momentopname(engine) == voor
    assert repo.samenwerkingskaart_aan(engine, r.id) is True


def _df(rijen, start=2):
    df = pd.DataFrame(rijen, columns=list(SAMENWERKING_KOLOMMEN), dtype="str")
    df.index = pd.RangeIndex(start, start + len(df), name="rij")
    return df


def test_import_alles_of_niets(engine, kaart):
    p = {rol: x.pseudoniem for rol, x in kaart["resp"].items()}
    repo.bewaar_samenwerking(engine, kaart["resp"]["gemeente"].id, "onderwijs", "2", "oud")
    goed = _df([
        ("Aadorp", "2026", p["gemeente"], "gemeente", "onderwijs", "4", "nieuw"),
        ("Aadorp", "2026", "r-import1", "wijkteam", "onderwijs", "nvt", ""),
    ])
    assert repo.importeer_samenwerking(engine, goed, "kaart.csv", door=FAC) == 2
    df = repo.samenwerking_df(engine, kaart["ronde"].id)
    assert sorted(df[["respondent", "partner", "niveau", "toelichting"]].values.tolist()) == sorted([
        [p["gemeente"], "onderwijs", "4", "nieuw"], ["r-import1", "onderwijs", "nvt", ""]])
    assert repo.respondent(engine, _rid(engine, kaart, "r-import1")).rol == "wijkteam"

    voor = momentopname(engine)
    slecht = _df([
        ("Aadorp", "2026", p["onderwijs"], "onderwijs", "wijkteam", "3", "goed"),      # row 2: fine
        ("Aadorp", "2026", p["onderwijs"], "onderwijs", "onderwijs", "3", ""),         # 3: own rol
        ("Aadorp", "2026", p["onderwijs"], "onderwijs", "wijkteam", "2", ""),          # 4: twice
        ("Aadorp", "2026", p["wijkteam"], "wijkteam", "gemeente", "7", ""),            # 5: niveau
        ("Aadorp", "2030", "r-x", "wijkteam", "gemeente", "1", ""),                    # 6: no ronde
        ("Aadorp", "2026", p["gemeente"], "wijkteam", "onderwijs", "1", ""),           # 7: other rol
        ("Aadorp", "2026", "r-y", "politie", "gemeente", "1", ""),                     # 8: not invited
        ("Aadorp", "2026", "", "gemeente", "onderwijs", "1", ""),                      # 9: empty
    ])
    with pytest.raises(UitwisselFout) as fout:
        repo.importeer_samenwerking(engine, slecht, "kaart.csv", door=FAC)
    plaatsen = {(m.rij, m.kolom) for m in fout.value.meldingen}
    assert plaatsen == {(3, "partner"), (4, "partner"), (5, "niveau"), (6, "ronde"), (7, "respondent"),
                        (8, "rol"), (9, "respondent")}
    assert "kaart.csv, rij 5, kolom 'niveau'" in str(fout.value)
    assert momentopname(engine) == voor


def _rid(engine, kaart, pseudoniem):
    from storage.db import sessie
    from storage.models import Respondent
    with sessie(engine) as s:
        return s.query(Respondent.id).filter_by(pseudoniem=pseudoniem).scalar()


def test_import_buiten_bereik_of_gesloten(engine, kaart):
    p = kaart["resp"]["gemeente"].pseudoniem
    rij = _df([("Aadorp", "2026", p, "gemeente", "onderwijs", "4", "")])
    voor = momentopname(engine)
    with pytest.raises(BuitenBereik, match="Aadorp"):
        repo.importeer_samenwerking(engine, rij, door=DEMO_FAC)
    repo.zet_ronde_status(engine, kaart["ronde"].id, "gesloten", door=FAC)
    voor = momentopname(engine)
    with pytest.raises(UitwisselFout, match="gesloten"):
        repo.importeer_samenwerking(engine, rij, door=FAC)
    assert momentopname(engine) == voor


def test_verwijderen_neemt_samenwerking_mee(engine, kaart):
    r = kaart["ronde"]
    repo.bewaar_samenwerking(engine, kaart["resp"]["gemeente"].id, "onderwijs", "2", "")
    repo.verwijder_ronde(engine, r.id, door=FAC)
    assert momentopname(engine)["samenwerking"] == []


def test_respondent_weg_dan_samenwerking_weg(engine, kaart):
    from storage.db import sessie
    from storage.models import Respondent
    rid = kaart["resp"]["gemeente"].id
    repo.bewaar_samenwerking(engine, rid, "onderwijs", "2", "")
    with sessie(engine, schrijven=True) as s:
        s.delete(s.get(Respondent, rid))
    assert momentopname(engine)["samenwerking"] == []


# ------------------------------------------------------------------ snapshot and AVG


def _vul_nieuwe_tabellen(engine, kaart):
    """Samenwerking answers (through storage), a second vote, an overleg and the switch
    of the second vote (written directly: those parts belong to other modules)."""
    from storage.db import sessie
    from storage.models import Overleg, Ronde, TweedeStem
    r, resp = kaart["ronde"], kaart["resp"]
    repo.bewaar_samenwerking(engine, resp["onderwijs"].id, "wijkteam", "1", "weinig contact")
    repo.bewaar_samenwerking(engine, resp["wijkteam"].id, "onderwijs", "4", "")
    with sessie(engine, schrijven=True) as s:
        s.get(Ronde, r.id).tweede_stem = True
        s.add(TweedeStem(respondent_id=resp["gemeente"].id, kader_id="stj", criterium_id="c1", score="3"))
        s.add(Overleg(ronde_id=r.id, naam="Zorgoverleg school", frequentie="maandelijks",
                      voorzitter_rol="onderwijs", deelnemers=["onderwijs", "wijkteam"],
                      functies=["signalering", "coordinatie"]))


def test_snapshot_heen_en_terug_met_de_nieuwe_tabellen(engine, kaart):
    from storage import snapshot as snap
    from test_storage import KADERS
    from uitwisselformaat import snapshot as formaat
    _vul_nieuwe_tabellen(engine, kaart)
    r = kaart["ronde"]
    obj = snap.exporteer_snapshot(engine, r.id)
    assert obj["ronde"]["samenwerkingskaart"] is True and obj["ronde"]["tweede_stem"] is True
    per_pseudoniem = {p["pseudoniem"]: p for p in obj["respondenten"]}
    onderwijs = per_pseudoniem[kaart["resp"]["onderwijs"].pseudoniem]
    assert [(w["partner"], w["niveau"], w["toelichting"]) for w in onderwijs["samenwerking"]] == [
        ("wijkteam", "1", "weinig contact")]
    assert [(t["criterium"], t["score"]) for t in
            per_pseudoniem[kaart["resp"]["gemeente"].pseudoniem]["tweede_stemmen"]] == [("c1", "3")]
    assert [(o["overleg"], o["functies"]) for o in obj["overleggen"]] == [
        ("Zorgoverleg school", ["signalering", "coordinatie"])]
    data = formaat.snapshot_bytes(obj)
    voor = momentopname(engine)
    repo.verwijder_ronde(engine, r.id, door=FAC)
    assert all(not momentopname(engine)[t] for t in NIEUWE_TABELLEN)
    nieuw = snap.importeer_snapshot(engine, data, "r.json", kaders=KADERS, door=FAC)
    assert snap.exporteer_snapshot(engine, nieuw)["sha256"] == obj["sha256"]
    assert {t: len(momentopname(engine)[t]) for t in NIEUWE_TABELLEN} == {t: len(voor[t]) for t in NIEUWE_TABELLEN}
    # into the ronde that is here now: the same snapshot changes nothing
    snap.importeer_snapshot(engine, data, "r.json", kaders=KADERS, door=FAC)
    assert snap.exporteer_snapshot(engine, nieuw)["sha256"] == obj["sha256"]


def test_oude_snapshot_zonder_nieuwe_velden_en_slechte_velden(engine, kaart):
    from storage import snapshot as snap
    from test_storage import KADERS
    from uitwisselformaat import snapshot as formaat
    r = kaart["ronde"]
    repo.zet_samenwerkingskaart(engine, r.id, False, door=FAC)
    obj = snap.exporteer_snapshot(engine, r.id)  # nothing new in it: the format as before issue 15
    assert "overleggen" not in obj and "samenwerkingskaart" not in obj["ronde"]
    assert all("samenwerking" not in p for p in obj["respondenten"])
    repo.verwijder_ronde(engine, r.id, door=FAC)
    nieuw = snap.importeer_snapshot(engine, formaat.snapshot_bytes(obj), "oud.json", kaders=KADERS, door=FAC)
    assert repo.samenwerkingskaart_aan(engine, nieuw) is False
    repo.verwijder_ronde(engine, nieuw, door=FAC)

    def met(wijzig):
        kopie = {k: v for k, v in obj.items() if k != "sha256"}
        kopie = __import__("copy").deepcopy(kopie)
        wijzig(kopie)
        kopie["sha256"] = formaat.bereken_digest(kopie)
        return formaat.snapshot_bytes(kopie)

    eerste = obj["respondenten"][0]
    slecht = [
        (lambda o: o["respondenten"][0].update(samenwerking=[
            {"partner": "wijkteam" if eerste["rol"] != "wijkteam" else "gemeente", "niveau": "9",
             "toelichting": "", "bijgewerkt": eerste["aangemaakt"]}]), "samenwerking\\[0\\].niveau"),
        (lambda o: o["respondenten"][0].update(samenwerking=[
            {"partner": eerste["rol"], "niveau": "2", "toelichting": "", "bijgewerkt": eerste["aangemaakt"]}]),
         "dezelfde rol"),
        (lambda o: o["ronde"].update(samenwerkingskaart="ja"), "ronde.samenwerkingskaart"),
        (lambda o: o.update(overleggen=[{"overleg": "X"}]), "overleggen\\[0\\]"),
    ]
    for wijzig, melding in slecht:
        with pytest.raises(formaat.SnapshotFout, match=melding):
            snap.importeer_snapshot(engine, met(wijzig), "slecht.json", kaders=KADERS, door=FAC)
    assert repo.rondes(engine) == []


def test_avg_export_bevat_eigen_samenwerking_en_tweede_stemmen(engine, kaart):
    _vul_nieuwe_tabellen(engine, kaart)
    export = repo.exporteer_gemeente(engine, kaart["gemeente"].id)
    ronde = export["rondes"][0]
    assert ronde["samenwerkingskaart"] is True and ronde["tweede_stem"] is True
    per = {p["pseudoniem"]: p for p in ronde["respondenten"]}
    onderwijs = per[kaart["resp"]["onderwijs"].pseudoniem]
    assert [(w["partner"], w["niveau"], w["toelichting"]) for w in onderwijs["samenwerking"]] == [
        ("wijkteam", "1", "weinig contact")]
    assert onderwijs["tweede_stemmen"] == []
    assert [(t["criterium"], t["score"]) for t in per[kaart["resp"]["gemeente"].pseudoniem]["tweede_stemmen"]] == [
        ("c1", "3")]
    assert [o["overleg"] for o in ronde["overleggen"]] == ["Zorgoverleg school"]
    __import__("json").dumps(export)  # serialisable


def test_snapshot_in_gesloten_ronde_verandert_de_kaart_niet(engine, kaart):
    from storage import snapshot as snap
    from test_storage import KADERS
    from uitwisselformaat import snapshot as formaat
    r, rid = kaart["ronde"], kaart["resp"]["onderwijs"].id
    repo.bewaar_samenwerking(engine, rid, "wijkteam", "1", "")
    obj = snap.exporteer_snapshot(engine, r.id)
    repo.bewaar_samenwerking(engine, rid, "wijkteam", "4", "")  # changed here after the export
    repo.zet_ronde_status(engine, r.id, "gesloten", door=FAC)
    voor = momentopname(engine)
    with pytest.raises(formaat.SnapshotFout, match="gesloten"):
        snap.importeer_snapshot(engine, formaat.snapshot_bytes(obj), "r.json", kaders=KADERS, door=FAC)
    assert momentopname(engine) == voor
    # the same content as stored: nothing would change, so the closed ronde accepts it
    snap.importeer_snapshot(engine, formaat.snapshot_bytes(snap.exporteer_snapshot(engine, r.id)), "r.json",
                            kaders=KADERS, door=FAC)
    assert momentopname(engine) == voor
