"""The second silent vote (storage/tweede_stem.py), on SQLite and PostgreSQL (the
``engine`` fixture of tests/test_storage.py): opening and closing, scope, refusals,
the first vote left untouched, and closing when the focus or the phase moves."""
from __future__ import annotations

import pytest

from storage import repository as repo
from storage.bereik import SYSTEEM, BuitenBereik
from test_storage import VERSIES, engine, leeg_engine  # noqa: F401 - fixtures are used by name
from toegang import Gebruiker
from uitwisselformaat import KOLOMMEN

pytestmark = pytest.mark.db

FAC_AADORP = Gebruiker("anna", "facilitator", frozenset({"Aadorp"}))
FAC_BEESTAD = Gebruiker("bert", "facilitator", frozenset({"Beestad"}))
INSPECTEUR_AADORP = Gebruiker("ines", "inspecteur", frozenset({"Aadorp"}))


@pytest.fixture
def werkplaats(engine):
    """An open ronde in Aadorp with three respondents who all gave a first vote on stj/c1,
    in phase 'onthullen' with stj/c1 in focus."""
    g = repo.maak_gemeente(engine, "Aadorp", door=SYSTEEM)
    r = repo.maak_ronde(engine, g.id, "2026", VERSIES, rollen=["gemeente", "wijkteam"], door=SYSTEEM)
    mensen = []
    for i, rol in enumerate(["gemeente", "gemeente", "wijkteam"]):
        resp, _ = repo.maak_respondent(engine, r.id, rol, door=SYSTEEM)
        repo.bewaar_antwoord(engine, resp.id, "stj", "c1", str(i + 1), f"eerste {i}")
        mensen.append(resp)
    repo.zet_fase(engine, r.id, "onthullen", "stj", "c1", door=SYSTEEM)
    return r, mensen


def test_open_stemmen_sluiten(engine, werkplaats):
    r, mensen = werkplaats
    assert repo.stand_tweede_stem(engine, r.id) == repo.TweedeStemStand(False, "stj", "c1", 0)
    repo.open_tweede_stem(engine, r.id, door=FAC_AADORP)
    assert repo.stand_tweede_stem(engine, r.id).open
    repo.bewaar_tweede_stem(engine, mensen[0].id, "stj", "c1", "4")
    repo.bewaar_tweede_stem(engine, mensen[1].id, "stj", "c1", "weet_niet")
    repo.bewaar_tweede_stem(engine, mensen[0].id, "stj", "c1", "3")  # given again: replaced
    stand = repo.stand_tweede_stem(engine, r.id)
    assert (stand.open, stand.aantal) == (True, 2)  # a count, never a value
    assert repo.tweede_stemmen_df(engine, r.id).empty  # no values of a vote in progress
    assert len(repo.tweede_stemmen_df(engine, r.id, ook_open=True)) == 2
    assert repo.tweede_stem_van(engine, mensen[0].id) == {("stj", "c1"): "3"}
    repo.sluit_tweede_stem(engine, r.id, door=FAC_AADORP)
    assert repo.stand_tweede_stem(engine, r.id) == repo.TweedeStemStand(False, "stj", "c1", 2)

    df = repo.tweede_stemmen_df(engine, r.id)
    assert list(df.columns) == list(KOLOMMEN)
    assert sorted(df["score"]) == ["3", "weet_niet"]
    assert set(df["toelichting"]) == {""} and set(df["gemeente"]) == {"Aadorp"}
    # the first vote is untouched
    eerste = repo.antwoorden_df(engine, r.id)
    assert sorted(eerste["score"]) == ["1", "2", "3"]
    assert sorted(eerste["toelichting"]) == ["eerste 0", "eerste 1", "eerste 2"]


def test_stemmen_geweigerd_als_gesloten_of_ander_onderdeel(engine, werkplaats):
    r, mensen = werkplaats
    with pytest.raises(ValueError, match="tweede stemronde over dit onderdeel is gesloten"):
        repo.bewaar_tweede_stem(engine, mensen[0].id, "stj", "c1", "4")
    repo.open_tweede_stem(engine, r.id, door=FAC_AADORP)
    with pytest.raises(ValueError, match="gesloten"):
        repo.bewaar_tweede_stem(engine, mensen[0].id, "stj", "c2", "4")  # not the criterium in focus
    with pytest.raises(ValueError, match="geen geldige score"):
        repo.bewaar_tweede_stem(engine, mensen[0].id, "stj", "c1", "veel")
    with pytest.raises(ValueError, match="Kies een score"):
        repo.bewaar_tweede_stem(engine, mensen[0].id, "stj", "c1", None)
    with pytest.raises(ValueError, match="Onbekende respondent"):
        repo.bewaar_tweede_stem(engine, 999_999, "stj", "c1", "4")
    repo.zet_ronde_status(engine, r.id, "gesloten", door=SYSTEEM)
    with pytest.raises(ValueError, match="is gesloten"):
        repo.bewaar_tweede_stem(engine, mensen[0].id, "stj", "c1", "4")
    assert not repo.stand_tweede_stem(engine, r.id).open
    assert repo.tweede_stemmen_df(engine, r.id).empty


def test_openen_geweigerd(engine, werkplaats):
    r, _ = werkplaats
    repo.zet_fase(engine, r.id, "stil_scoren", "stj", "c1", door=SYSTEEM)
    with pytest.raises(ValueError, match="pas na het onthullen"):
        repo.open_tweede_stem(engine, r.id, door=FAC_AADORP)
    repo.zet_fase(engine, r.id, "onthullen", None, None, door=SYSTEEM)
    with pytest.raises(ValueError, match="Kies eerst het onderdeel"):
        repo.open_tweede_stem(engine, r.id, door=FAC_AADORP)
    repo.zet_fase(engine, r.id, "onthullen", "stj", "c1", door=SYSTEEM)
    repo.zet_ronde_status(engine, r.id, "gesloten", door=SYSTEEM)
    with pytest.raises(ValueError, match="is gesloten"):
        repo.open_tweede_stem(engine, r.id, door=FAC_AADORP)
    assert not repo.stand_tweede_stem(engine, r.id).open


@pytest.mark.parametrize("door", [FAC_BEESTAD, INSPECTEUR_AADORP], ids=["andere-gemeente", "alleen-lezen"])
def test_buiten_bereik_geweigerd(engine, werkplaats, door):
    r, _ = werkplaats
    with pytest.raises(BuitenBereik, match="Aadorp"):
        repo.open_tweede_stem(engine, r.id, door=door)
    assert not repo.stand_tweede_stem(engine, r.id).open
    repo.open_tweede_stem(engine, r.id, door=FAC_AADORP)
    with pytest.raises(BuitenBereik, match="Aadorp"):
        repo.sluit_tweede_stem(engine, r.id, door=door)
    assert repo.stand_tweede_stem(engine, r.id).open


@pytest.mark.parametrize("verplaats", [
    ("onthullen", "stj", "c2"),   # another criterium
    ("consensus", "stj", "c1"),   # another phase
    ("stil_scoren", "stj", "c1"),
    ("onthullen", None, None),    # focus cleared
], ids=["ander-criterium", "andere-fase", "terug-naar-stil-scoren", "geen-focus"])
def test_focus_of_fase_verplaatsen_sluit_de_tweede_stem(engine, werkplaats, verplaats):
    r, mensen = werkplaats
    repo.open_tweede_stem(engine, r.id, door=FAC_AADORP)
    repo.bewaar_tweede_stem(engine, mensen[0].id, "stj", "c1", "4")
    repo.zet_fase(engine, r.id, *verplaats, door=FAC_AADORP)
    assert not repo.stand_tweede_stem(engine, r.id).open
    with pytest.raises(ValueError, match="gesloten"):
        repo.bewaar_tweede_stem(engine, mensen[1].id, "stj", "c1", "4")
    assert len(repo.tweede_stemmen_df(engine, r.id)) == 1  # the votes given stay


def test_zelfde_fase_en_focus_laat_de_tweede_stem_open(engine, werkplaats):
    """The page sets the fase again on a rerun; that must not close the vote."""
    r, mensen = werkplaats
    repo.open_tweede_stem(engine, r.id, door=FAC_AADORP)
    repo.zet_fase(engine, r.id, "onthullen", "stj", "c1", door=FAC_AADORP)
    assert repo.stand_tweede_stem(engine, r.id).open
    repo.bewaar_tweede_stem(engine, mensen[2].id, "stj", "c1", "nvt")


def test_tweede_stem_in_consensusfase(engine, werkplaats):
    """The vote may also be opened in the consensus phase (still after the reveal)."""
    r, mensen = werkplaats
    repo.zet_fase(engine, r.id, "consensus", "stj", "c1", door=FAC_AADORP)
    repo.open_tweede_stem(engine, r.id, door=FAC_AADORP)
    repo.bewaar_tweede_stem(engine, mensen[2].id, "stj", "c1", "2")
    assert repo.stand_tweede_stem(engine, r.id).aantal == 1


def test_ronde_verwijderen_verwijdert_de_tweede_stemmen(engine, werkplaats):
    """AVG: deleting a ronde leaves no second vote behind (on both databases)."""
    from sqlalchemy import func, select

    from storage.models import TweedeStem

    r, mensen = werkplaats
    repo.open_tweede_stem(engine, r.id, door=FAC_AADORP)
    repo.bewaar_tweede_stem(engine, mensen[0].id, "stj", "c1", "4")
    repo.verwijder_ronde(engine, r.id, door=SYSTEEM)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(TweedeStem)) == 0
