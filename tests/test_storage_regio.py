"""Opt-in to the regional comparison, the regional answer query, migration 0004 and
the demo regio's patterns. Like tests/test_storage.py every test runs on SQLite and
on PostgreSQL (mandatory with CI=true)."""
from __future__ import annotations

import pandas as pd
import pytest
from alembic import command
from sqlalchemy import inspect, text

from storage import db, demo
from storage import repository as repo
from storage.bereik import SYSTEEM  # noqa: E402
from test_storage import HEAD, KADERS, ROLLEN, VERSIES, engine, leeg_engine  # noqa: F401 - fixtures

pytestmark = pytest.mark.db


def _gemeente_met_antwoord(engine, naam, regio, score, label="2026"):
    g = repo.maak_gemeente(engine, naam, regio=regio, door=SYSTEEM)
    r = repo.maak_ronde(engine, g.id, label, VERSIES, door=SYSTEEM)
    resp, _ = repo.maak_respondent(engine, r.id, "gemeente", door=SYSTEEM)
    repo.bewaar_antwoord(engine, resp.id, "stj", "c1", score, "")
    return g, r


def test_vergelijking_is_standaard_uit_en_alleen_met_regio(engine):
    g = repo.maak_gemeente(engine, "Zonder regio", door=SYSTEEM)
    assert repo.gemeenten(engine)[0].vergelijking is False
    with pytest.raises(ValueError, match="hoort bij geen regio"):
        repo.zet_regio_vergelijking(engine, g.id, True, door=SYSTEEM)
    with pytest.raises(ValueError, match="bestaat niet"):
        repo.zet_regio_vergelijking(engine, 999_999, True, door=SYSTEEM)


def test_regio_antwoorden_alleen_van_deelnemende_gemeenten(engine):
    a, ra = _gemeente_met_antwoord(engine, "A", "Noord", "4")
    b, _ = _gemeente_met_antwoord(engine, "B", "Noord", "2")
    c, _ = _gemeente_met_antwoord(engine, "C", "Zuid", "1")
    assert repo.regio_antwoorden(engine, "Noord").empty  # nobody opted in yet
    for g in (a, b, c):
        repo.zet_regio_vergelijking(engine, g.id, True, door=SYSTEEM)
    repo.zet_regio_vergelijking(engine, b.id, False, door=SYSTEEM)  # and opted out again
    df = repo.regio_antwoorden(engine, "Noord")
    assert df[["gemeente", "ronde", "kader", "criterium", "score"]].values.tolist() == [
        ["A", "2026", "stj", "c1", "4"]]
    assert df["ronde_id"].tolist() == [ra.id] and df["kader_versie"].tolist() == [VERSIES["stj"]]
    assert repo.regio_antwoorden(engine, "Noord", kader_id="mov").empty
    assert repo.regio_antwoorden(engine, "Noord", ronde="2026")["gemeente"].tolist() == ["A"]
    assert repo.regio_antwoorden(engine, "Noord", ronde="2025").empty
    assert {g.naam: g.vergelijking for g in repo.regios(engine)["Noord"]} == {"A": True, "B": False}


def test_migratie_0004_behoudt_gegevens(leeg_engine):
    """0003 -> 0004 adds one column (default off) without touching rows; the downgrade
    drops only that column (no table rebuild that would cascade into rondes)."""
    db.migreer(leeg_engine, "0003")
    with leeg_engine.begin() as conn:
        conn.execute(text("INSERT INTO gemeente (naam, demo) VALUES ('Oudedorp', FALSE)"))
        conn.execute(text("INSERT INTO ronde (gemeente_id, label) SELECT id, '2025' FROM gemeente"))

    def tellingen() -> list[int]:
        with leeg_engine.connect() as conn:
            return [conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar() for t in ("gemeente", "ronde")]

    db.migreer(leeg_engine)
    assert db.huidige_revisie(leeg_engine) == HEAD
    assert tellingen() == [1, 1]
    assert [g.vergelijking for g in repo.gemeenten(leeg_engine)] == [False]
    with leeg_engine.begin() as conn:
        command.downgrade(db.alembic_config(conn), "0003")
    assert tellingen() == [1, 1]
    assert "regio_vergelijking" not in {k["name"] for k in inspect(leeg_engine).get_columns("gemeente")}


def test_demo_regio_heeft_zichtbare_patronen(engine):
    """The demo's disagreement patterns and trends are really in the data."""
    demo.vul_demo(engine, KADERS, ROLLEN)
    df = repo.regio_antwoorden(engine, demo.DEMO_REGIO)
    meedoen = {n for n, p in demo.DEMO_GEMEENTEN.items() if p.vergelijking}
    assert set(df["gemeente"]) == meedoen
    assert set(df["ronde"]) == set(demo.DEMO_RONDES)
    cijfers = df[df["score"].str.isdigit()].assign(s=lambda d: d["score"].astype(int))

    def spreiding(patroon: str) -> float:
        namen = [n for n, p in demo.DEMO_GEMEENTEN.items() if p.patroon == patroon and n in meedoen]
        partners = cijfers[cijfers["gemeente"].isin(namen) & (cijfers["rol"] != "gemeente")]
        return float(partners.groupby(["gemeente", "ronde", "kader", "criterium"])["s"].std().mean())

    # 'een kwestie van personen': partners disagree more than in an 'eensgezind' gemeente
    assert spreiding("personen") > spreiding("eensgezind") + 0.2
    # a gemeente with a rising trend scores higher in its last ronde than in its first
    stijgers = [n for n, p in demo.DEMO_GEMEENTEN.items() if p.groei >= 0.15 and n in meedoen]
    per_jaar = cijfers[cijfers["gemeente"].isin(stijgers)].groupby("ronde")["s"].mean()
    assert per_jaar[demo.DEMO_RONDES[-1]] > per_jaar[demo.DEMO_RONDES[0]]


def test_demo_plan_is_overgenomen(engine):
    """The first demo gemeente's 2025 plan came along to 2026 with a status."""
    from dataclasses import replace

    from kader.model import Criterium, Kader

    def met(kader: Kader, crit_id: str, kort: str) -> Kader:
        extra = Criterium(crit_id, "criterium", kort, f"Tekst {kort}", kader.bron, "t1")
        thema = kader.themas[0]
        return replace(kader, themas=(replace(thema, criteria=(*thema.criteria, extra)),))

    kaders = {**KADERS, "stj": met(met(KADERS["stj"], "c20", "Heldere regievoering"), "c21", "Signalering")}
    rollen = {**ROLLEN, "gemeente": [*ROLLEN["gemeente"], ("stj", "c20"), ("stj", "c21")]}
    demo.vul_demo(engine, kaders, rollen)
    eerste = next(iter(demo.DEMO_GEMEENTEN))
    rondes = {r.label: r for r in repo.rondes(engine) if r.gemeente == eerste}
    vorig = repo.acties_van(engine, rondes[demo.DEMO_RONDES[-2]].id)
    nu = repo.acties_van(engine, rondes[demo.DEMO_RONDE].id)
    assert [a.criterium_id for a in vorig] == ["c20", "c21"]  # no 'veiligheid' criterium here
    assert [a.overgenomen_van for a in nu] == [a.id for a in vorig]
    assert [a.status for a in nu] == ["gerealiseerd", "bezig"]
    assert [w.gebeurtenis for w in repo.actie_wijzigingen(engine, nu[0].id)] == ["overgenomen"]
    assert repo.neem_acties_over(engine, rondes[demo.DEMO_RONDE].id, door=SYSTEEM) == 0  # nothing left to copy
    # progress: last ronde's actions with the status recorded on their copy this ronde
    voortgang = repo.voortgang_acties(engine, rondes[demo.DEMO_RONDE].id)
    assert [(a.id, a.status) for a in voortgang] == [(vorig[0].id, "gerealiseerd"), (vorig[1].id, "bezig")]
    assert voortgang[0].effect.startswith("Afspraken staan")
    assert repo.voortgang_acties(engine, rondes[demo.DEMO_RONDES[0]].id) == []
    assert isinstance(repo.regio_antwoorden(engine, demo.DEMO_REGIO), pd.DataFrame)
