"""The service layer (diensten/): what pages and command lines ask for, in one call."""
from __future__ import annotations

import pytest

from diensten import gegevens, overzicht, rondes, verbeterplan
from kader import laad_acties
from storage import repository as repo
from storage.bereik import SYSTEEM, BuitenBereik
from test_storage import KADERS, ROLLEN, VERSIES, engine, leeg_engine, momentopname  # noqa: F401
from toegang import Gebruiker
from uitwisselformaat import schrijf_csv, schrijf_xlsx

pytestmark = pytest.mark.db

FAC = Gebruiker("anna", "facilitator", frozenset({"Aadorp"}))


def test_open_ronde_maakt_gemeente_ronde_codes_en_neemt_het_plan_over(engine):
    eerste = rondes.open_ronde(engine, door=FAC, gemeente="Aadorp", label="2025", kader_versies=VERSIES,
                               rollen=["gemeente", "wijkteam"])
    assert set(eerste.codes) == {"gemeente", "wijkteam"} and eerste.overgenomen == 0
    repo.maak_actie(engine, eerste.ronde.id, "stj", "c1", "Een actie", door=FAC)
    tweede = rondes.open_ronde(engine, door=FAC, gemeente="Aadorp", label="2026", kader_versies=VERSIES,
                               rollen=["gemeente"], max_deelnemers=5)
    assert tweede.overgenomen == 1 and [g.naam for g in repo.gemeenten(engine)] == ["Aadorp"]
    assert repo.uitnodiging_met_code(engine, tweede.codes["gemeente"]).max_deelnemers == 5


def test_open_ronde_buiten_bereik_schrijft_niets(engine):
    voor = momentopname(engine)
    with pytest.raises(BuitenBereik, match="Beestad"):
        rondes.open_ronde(engine, door=FAC, gemeente="Beestad", label="2026", kader_versies=VERSIES,
                          rollen=["gemeente"])
    with pytest.raises(ValueError, match="ten minste één rol"):
        rondes.open_ronde(engine, door=FAC, gemeente="Aadorp", label="2026", kader_versies=VERSIES, rollen=[])
    assert momentopname(engine) == voor


@pytest.mark.parametrize("schrijf, naam", [(schrijf_csv, "a.csv"), (schrijf_xlsx, "a.xlsx")])
def test_importeer_bestand_kiest_de_lezer_bij_de_extensie(engine, schrijf, naam):
    from tests.fabriek import antwoorden

    data = schrijf(antwoorden(("r-dienst1", "gemeente", "c1", "3", "goed"), gemeente="Aadorp", ronde="2026",
                              kader="stj"))
    uit = gegevens.importeer_bestand(engine, data, naam, KADERS, set(ROLLEN), door=FAC)
    assert (uit.gemeenten, uit.antwoorden) == (1, 1)


def test_werkboek_en_snapshot_van_een_ronde(engine):
    g = repo.maak_gemeente(engine, "Aadorp", door=SYSTEEM)
    r = repo.maak_ronde(engine, g.id, "2026", VERSIES, door=SYSTEEM)
    assert gegevens.werkboek_van_ronde(engine, r.id, KADERS)[:2] == b"PK"  # an xlsx is a zip
    assert b'"sha256"' in gegevens.snapshot_van_ronde(engine, r.id)
    with pytest.raises(ValueError, match="bestaat niet"):
        gegevens.werkboek_van_ronde(engine, 999_999, KADERS)


def test_overzicht_vorige_ronde_alleen_als_zichtbaar_en_regio_alleen_met_opt_in(engine):
    g = repo.maak_gemeente(engine, "Aadorp", regio="Regio", door=SYSTEEM)
    oud = repo.maak_ronde(engine, g.id, "2025", VERSIES, door=SYSTEEM)
    nieuw = repo.maak_ronde(engine, g.id, "2026", VERSIES, door=SYSTEEM)
    assert overzicht.vorige_ronde(engine, nieuw, [oud.id, nieuw.id]).id == oud.id
    assert overzicht.vorige_ronde(engine, nieuw, [nieuw.id]) is None
    assert overzicht.regio_vergelijking(engine, nieuw, repo.rondes(engine)) is None  # not opted in


def test_verbeterplan_invoer_voor_pagina_en_batch_gelijk(engine, kaders):
    kader = kaders["stj-stelseltoezicht-jeugd"]
    g = repo.maak_gemeente(engine, "Aadorp", door=SYSTEEM)
    oud = repo.maak_ronde(engine, g.id, "2025", {kader.id: kader.versie}, door=SYSTEEM)
    repo.maak_actie(engine, oud.id, kader.id, kader.criteria[0].id, "Vorige actie", door=SYSTEEM)
    nieuw = repo.maak_ronde(engine, g.id, "2026", {kader.id: kader.versie}, door=SYSTEEM)
    repo.neem_acties_over(engine, nieuw.id, door=SYSTEEM)
    bibliotheek, _ = laad_acties(kaders)
    invoer = verbeterplan.verbeterplan_invoer(engine, nieuw, kader, rol_namen={}, bibliotheek=bibliotheek)
    assert invoer.vorige_ronde == "2025" and [a["wat"] for a in invoer.acties] == ["Vorige actie"]
    assert all(len(v) <= verbeterplan.SUGGESTIES_PER_CRITERIUM for v in invoer.suggesties.values())
    gekozen, labels = verbeterplan.rondes_met_label(engine, "2026")
    assert [r.id for r in gekozen] == [nieuw.id] and labels == ["2025", "2026"]
    [(ronde, batch)] = list(verbeterplan.batch_invoer(engine, gekozen, kaders, kader_id=None, rol_namen={},
                                                      bibliotheek=bibliotheek))
    for veld in ("gemeente", "ronde", "kader", "acties", "suggesties", "vorige_acties", "vorige_ronde"):
        assert getattr(batch, veld) == getattr(invoer, veld), veld
    assert batch.antwoorden.equals(invoer.antwoorden) and batch.vorige_antwoorden.equals(invoer.vorige_antwoorden)
    [(_, geen)] = list(verbeterplan.batch_invoer(engine, gekozen, kaders, kader_id="robuuste-netwerken",
                                                 rol_namen={}, bibliotheek=bibliotheek))
    assert geen is None
