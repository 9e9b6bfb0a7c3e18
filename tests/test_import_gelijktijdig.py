"""Imports that do not stall a workshop (issue 14, part 3): the rows are checked before
the write transaction, then written in one short transaction in chunks. Still all or
nothing, and what changed between the check and the write is checked again.

On SQLite and on PostgreSQL (the ``engine`` fixture of test_storage).
"""
from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import select

from storage import herimport, importeren
from storage import repository as repo
from storage.bereik import SYSTEEM
from storage.db import schrijversrij, sessie
from storage.models import Antwoord, AntwoordWijziging, Respondent
from test_storage import VERSIES, engine, leeg_engine, momentopname, tellingen  # noqa: F401
from tests.fabriek import antwoorden
from uitwisselformaat import UitwisselFout

pytestmark = pytest.mark.db


def _df(*rijen):
    """An uitwisselformaat DataFrame with the row numbers lees_csv gives (header = row 1)."""
    df = antwoorden(*rijen)
    df.index = pd.RangeIndex(2, 2 + len(df), name="rij")
    return df


@pytest.fixture
def ronde(engine):
    g = repo.maak_gemeente(engine, "Aadorp", door=SYSTEEM)
    return repo.maak_ronde(engine, g.id, "2026", VERSIES, door=SYSTEEM)


@pytest.fixture
def kleine_blokken(monkeypatch):
    """Chunks of 2 rows and IN lists of 2 values, so a small file crosses every boundary."""
    monkeypatch.setattr(herimport, "BLOK", 2)
    monkeypatch.setattr(herimport, "IN_BLOK", 2)


def _tussendoor(monkeypatch, wat):
    """Run ``wat()`` after the check and before the write transaction."""
    origineel = importeren._voorbereid

    def met_wijziging(*args, **kwargs):
        uit = origineel(*args, **kwargs)
        wat()
        return uit

    monkeypatch.setattr(importeren, "_voorbereid", met_wijziging)


def test_bulk_schrijven_faalt_halverwege_laat_niets_achter(engine, ronde, kleine_blokken, monkeypatch):
    """A failure at the last write (the audit row of the changed answer), after the new
    answers were written (in chunks, or on a SQLite file copied from the put-ready
    temporary table), rolls back everything: the new gemeente, ronde, respondents, the
    answers and audit rows written so far, and the update."""
    resp, _ = repo.maak_respondent(engine, ronde.id, "gemeente", door=SYSTEEM)
    repo.bewaar_antwoord(engine, resp.id, "stj", "c1", "2", "")
    df = _df(
        ["Aadorp", "2026", resp.pseudoniem, "gemeente", "stj", "c1", "3", "gewijzigd"],
        *[["Nieuwdorp", "2026", f"r-nw{i:04d}", "gemeente", "stj", c, "3", ""] for i in range(3)
          for c in ("c1", "c2", "c10")],
    )
    voor = momentopname(engine)
    origineel, origineel_klaar, aanroepen = herimport.schrijf_rijen, herimport._schrijf_klaargezet, []

    def klaargezet(*args, **kwargs):
        aanroepen.append("klaargezet")
        return origineel_klaar(*args, **kwargs)

    def kapot(*args, **kwargs):
        rijen = list(args[3])
        aanroepen.append(args[1].name)
        if args[1].name == "antwoord_wijziging" and any(r[4] == "gewijzigd" for r in rijen):
            raise RuntimeError("schijf vol")
        return origineel(args[0], args[1], args[2], rijen, *args[4:], **kwargs)

    monkeypatch.setattr(herimport, "schrijf_rijen", kapot)
    monkeypatch.setattr(herimport, "_schrijf_klaargezet", klaargezet)
    with pytest.raises(RuntimeError, match="schijf vol"):
        repo.importeer_antwoorden(engine, df, VERSIES, door=SYSTEEM)
    if schrijversrij(engine) is not None:  # SQLite file: the 9 new answers came from the temporary table
        assert aanroepen == ["klaargezet", "antwoord_wijziging"]
    else:  # chunks of 2 new answers, each with its audit rows, then the update's audit row
        assert aanroepen == ["antwoord", "antwoord_wijziging"] * 5 + ["antwoord_wijziging"]
    assert momentopname(engine) == voor


def test_ronde_gesloten_tussen_controle_en_schrijven(engine, ronde, monkeypatch):
    resp, _ = repo.maak_respondent(engine, ronde.id, "gemeente", door=SYSTEEM)
    df = _df(
        ["Nieuwdorp", "2026", "r-nieuw1", "gemeente", "stj", "c1", "3", ""],
        ["Aadorp", "2026", resp.pseudoniem, "gemeente", "stj", "c1", "3", ""],
    )
    _tussendoor(monkeypatch, lambda: repo.zet_ronde_status(engine, ronde.id, "gesloten", door=SYSTEEM))
    voor = tellingen(engine)
    with pytest.raises(UitwisselFout) as info:
        repo.importeer_antwoorden(engine, df, VERSIES, bestand="laat.csv", door=SYSTEEM)
    assert str(info.value) == ("laat.csv, rij 3, kolom 'ronde': de ronde '2026' van Aadorp is gesloten terwijl "
                               "het bestand werd gecontroleerd; er kunnen geen antwoorden meer bij of veranderen. "
                               "Er is niets geïmporteerd; importeer het bestand opnieuw.")
    assert tellingen(engine) == voor  # not even the new gemeente Nieuwdorp
    assert repo.ronde(engine, ronde.id).status == "gesloten"


def test_gesloten_ronde_zonder_veranderingen_blijft_goed(engine, ronde, monkeypatch):
    """Closing a ronde in between is no conflict when the file changes nothing in it."""
    resp, _ = repo.maak_respondent(engine, ronde.id, "gemeente", door=SYSTEEM)
    repo.bewaar_antwoord(engine, resp.id, "stj", "c1", "3", "")
    df = _df(["Aadorp", "2026", resp.pseudoniem, "gemeente", "stj", "c1", "3", ""])
    _tussendoor(monkeypatch, lambda: repo.zet_ronde_status(engine, ronde.id, "gesloten", door=SYSTEEM))
    uit = repo.importeer_antwoorden(engine, df, VERSIES, door=SYSTEEM)
    assert (uit.antwoorden, uit.gewijzigd, uit.ongewijzigd) == (0, 0, 1)


@pytest.mark.parametrize("wat, kolom, tekst", [
    ("gemeente", "gemeente", "gemeente 'Nieuwdorp' is aangemaakt terwijl het bestand werd gecontroleerd."),
    ("ronde", "ronde", "de ronde '2027' van Aadorp is aangemaakt terwijl het bestand werd gecontroleerd."),
    ("respondent", "respondent", "respondent 'r-nieuw2' is aangemaakt terwijl het bestand werd gecontroleerd."),
    ("verwijderd", "ronde", "de ronde '2026' van Aadorp is verwijderd terwijl het bestand werd gecontroleerd."),
])
def test_aangemaakt_of_verwijderd_tussen_controle_en_schrijven(engine, ronde, monkeypatch, wat, kolom, tekst):
    resp, _ = repo.maak_respondent(engine, ronde.id, "gemeente", door=SYSTEEM)
    df = _df(
        ["Aadorp", "2026", resp.pseudoniem, "gemeente", "stj", "c2", "3", ""],
        ["Nieuwdorp", "2026", "r-nieuw1", "gemeente", "stj", "c1", "3", ""],
        ["Aadorp", "2027", "r-nieuw2", "gemeente", "stj", "c1", "3", ""],
    )

    def wijzig():
        if wat == "gemeente":
            repo.maak_gemeente(engine, "Nieuwdorp", door=SYSTEEM)
        elif wat == "ronde":
            repo.maak_ronde(engine, ronde.gemeente_id, "2027", VERSIES, door=SYSTEEM)
        elif wat == "respondent":
            from sqlalchemy import insert

            from storage.db import sessie
            from storage.models import Respondent

            with sessie(engine, schrijven=True) as s:  # a pseudonym taken in the ronde 2026
                s.execute(insert(Respondent).values(ronde_id=ronde.id, pseudoniem="r-nieuw2", rol="gemeente"))
        else:
            repo.verwijder_ronde(engine, ronde.id, door=SYSTEEM)

    _tussendoor(monkeypatch, wijzig)
    with pytest.raises(UitwisselFout) as info:
        repo.importeer_antwoorden(engine, df, VERSIES, bestand="tussendoor.csv", door=SYSTEEM)
    rij = {"gemeente": 3, "respondent": 4}.get(wat, 4 if wat == "ronde" else 2)
    assert [(m.rij, m.kolom) for m in info.value.meldingen] == [(rij, kolom)]
    assert str(info.value) == f"tussendoor.csv, rij {rij}, kolom '{kolom}': {tekst} " \
                              "Er is niets geïmporteerd; importeer het bestand opnieuw."
    na = tellingen(engine)
    assert na["antwoord"] == na["antwoord_wijziging"] == 0


def test_antwoord_bewaard_tussen_controle_en_schrijven_telt_mee(engine, ronde, monkeypatch):
    """A participant saves an answer after the check: the write compares with what is stored
    then, so the counts and the audit trail are right and nothing is lost or doubled."""
    resp, _ = repo.maak_respondent(engine, ronde.id, "gemeente", door=SYSTEEM)
    repo.bewaar_antwoord(engine, resp.id, "stj", "c1", "3", "")
    df = _df(
        ["Aadorp", "2026", resp.pseudoniem, "gemeente", "stj", "c1", "3", ""],  # same as stored at the check
        ["Aadorp", "2026", resp.pseudoniem, "gemeente", "stj", "c2", "4", ""],  # new at the check
    )

    def deelnemer():
        repo.bewaar_antwoord(engine, resp.id, "stj", "c1", "1", "toch anders")
        repo.bewaar_antwoord(engine, resp.id, "stj", "c2", "4", "")

    _tussendoor(monkeypatch, deelnemer)
    uit = repo.importeer_antwoorden(engine, df, VERSIES, door=SYSTEEM)
    assert (uit.antwoorden, uit.gewijzigd, uit.ongewijzigd) == (0, 1, 1)
    assert repo.antwoorden_van(engine, resp.id) == {("stj", "c1"): ("3", ""), ("stj", "c2"): ("4", "")}
    spoor = [(w.criterium_id, w.score) for w in repo.wijzigingen_van(engine, resp.id)]
    assert spoor == [("c1", "3"), ("c1", "1"), ("c2", "4"), ("c1", "3")]


def test_herimport_telt_over_blokgrenzen(engine, ronde, kleine_blokken):
    """nieuw / gewijzigd / ongewijzigd with chunks and IN lists smaller than the file."""
    rijen = [["Aadorp", "2026", f"r-her{i:03d}", "gemeente", k, c, "2", f"t{i}"]
             for i in range(4) for k, c in (("stj", "c1"), ("stj", "c2"), ("mov", "s1"))]
    eerst = repo.importeer_antwoorden(engine, _df(*rijen), VERSIES, door=SYSTEEM)
    assert (eerst.respondenten, eerst.antwoorden, eerst.gewijzigd, eerst.ongewijzigd) == (4, 12, 0, 0)
    voor = momentopname(engine)
    zelfde = repo.importeer_antwoorden(engine, _df(*rijen), VERSIES, door=SYSTEEM)
    assert (zelfde.respondenten, zelfde.antwoorden, zelfde.gewijzigd, zelfde.ongewijzigd) == (0, 0, 0, 12)
    assert momentopname(engine) == voor
    rijen[0][6], rijen[4][7], rijen[11][6] = "4", "anders", "1"  # three changed
    rijen.append(["Aadorp", "2026", "r-her000", "gemeente", "stj", "c10", "3", ""])  # one new answer
    rijen.append(["Aadorp", "2026", "r-her099", "wijkteam", "stj", "c10", "3", ""])  # and a new respondent
    uit = repo.importeer_antwoorden(engine, _df(*rijen), VERSIES, door=SYSTEEM)
    assert (uit.respondenten, uit.antwoorden, uit.gewijzigd, uit.ongewijzigd) == (1, 2, 3, 9)
    na = tellingen(engine)
    assert (na["antwoord"], na["antwoord_wijziging"]) == (14, 12 + 2 + 3)
    df = repo.antwoorden_df(engine, ronde.id)
    opgeslagen = {tuple(r) for r in df.values.tolist()}
    assert {tuple(r) for r in rijen} == opgeslagen


def test_klaarzetten_houdt_het_schrijfslot_niet_vast(engine, ronde, monkeypatch):
    """SQLite file: while the new answers are being put ready (a write to the temporary
    database, transaction still open), a participant saves an answer without waiting for
    the import; afterwards the temporary tables are gone and the connection begins its
    transactions DEFERRED again. Both the import and the participant's answer are stored."""
    if schrijversrij(engine) is None:
        assert engine.dialect.name == "postgresql"  # PostgreSQL writes with COPY: nothing to put ready
        return
    deelnemer, _ = repo.maak_respondent(engine, ronde.id, "gemeente", door=SYSTEEM)
    origineel, opgeruimd, gezien = herimport.ruim_op, [], []

    def zet_klaar(self, verbinding):
        herimport.Antwoordvergelijker.__dict__["_zet_klaar_origineel"](self, verbinding)
        assert verbinding.in_transaction()
        gezien.append(verbinding.exec_driver_sql("SELECT count(*) FROM temp.zbt_import_klaar").scalar())
        repo.bewaar_antwoord(engine, deelnemer.id, "stj", "c1", "4", "tijdens de import")

    def ruim_op(verbinding):
        origineel(verbinding)
        opgeruimd.append((verbinding.exec_driver_sql("SELECT count(*) FROM sqlite_temp_master").scalar(),
                          verbinding.get_execution_options().get("zbt_sqlite_begin")))

    monkeypatch.setattr(herimport.Antwoordvergelijker, "_zet_klaar_origineel",
                        herimport.Antwoordvergelijker.zet_klaar, raising=False)
    monkeypatch.setattr(herimport.Antwoordvergelijker, "zet_klaar", zet_klaar)
    monkeypatch.setattr(herimport, "ruim_op", ruim_op)
    df = _df(*[["Nieuwdorp", "2026", f"r-nw{i:04d}", "gemeente", "stj", c, "3", ""] for i in range(2)
               for c in ("c1", "c2")])
    uit = repo.importeer_antwoorden(engine, df, VERSIES, door=SYSTEEM)
    assert (uit.antwoorden, gezien) == (4, [4])
    assert opgeruimd[-1] == (0, "DEFERRED")
    assert repo.antwoorden_van(engine, deelnemer.id)["stj", "c1"][0] == "4"
    assert tellingen(engine)["antwoord_wijziging"] == 5


def test_klaargezette_antwoorden_in_bestandsvolgorde_met_juiste_respondent(engine, ronde):
    """The answers copied from the temporary table land with the ids their new respondents
    got, in file order (answer and audit ids follow the file), next to an update and a
    new answer of an existing respondent written the ordinary way."""
    bestaand, _ = repo.maak_respondent(engine, ronde.id, "gemeente", door=SYSTEEM)
    repo.bewaar_antwoord(engine, bestaand.id, "stj", "c1", "2", "")
    df = _df(
        ["Nieuwdorp", "2026", "r-b", "gemeente", "stj", "c2", "1", "b twee"],
        ["Aadorp", "2026", bestaand.pseudoniem, "gemeente", "stj", "c1", "3", "gewijzigd"],
        ["Nieuwdorp", "2026", "r-a", "gemeente", "stj", "c1", "4", "a een"],
        ["Aadorp", "2026", bestaand.pseudoniem, "gemeente", "stj", "c2", "1", "nieuw"],
        ["Nieuwdorp", "2026", "r-b", "gemeente", "stj", "c1", "2", "b een"],
    )
    uit = repo.importeer_antwoorden(engine, df, VERSIES, door=SYSTEEM)
    assert (uit.respondenten, uit.antwoorden, uit.gewijzigd) == (2, 4, 1)
    with sessie(engine) as s:
        naam = {i: p for i, p in s.execute(select(Respondent.id, Respondent.pseudoniem))}
        antwoorden = [(naam[r], c, sc, t) for r, c, sc, t in s.execute(
            select(Antwoord.respondent_id, Antwoord.criterium_id, Antwoord.score, Antwoord.toelichting)
            .order_by(Antwoord.id))]
        spoor = [(naam[r], c, sc) for r, c, sc in s.execute(
            select(AntwoordWijziging.respondent_id, AntwoordWijziging.criterium_id, AntwoordWijziging.score)
            .order_by(AntwoordWijziging.id))]
    b = bestaand.pseudoniem
    nieuw = [("r-b", "c2", "1", "b twee"), ("r-a", "c1", "4", "a een"), ("r-b", "c1", "2", "b een")]
    if schrijversrij(engine) is not None:  # SQLite file: put-ready rows first, then the existing respondent's
        nieuw.append((b, "c2", "1", "nieuw"))
    else:  # all new answers in file order
        nieuw.insert(2, (b, "c2", "1", "nieuw"))
    assert antwoorden == [(b, "c1", "3", "gewijzigd"), *nieuw]
    assert spoor == [(b, "c1", "2"), *[(r, c, sc) for r, c, sc, _ in nieuw], (b, "c1", "3")]
