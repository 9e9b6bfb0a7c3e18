"""The samenwerkingskaart in both PDFs made from the database (issue 15): the demo's newest
ronde (kaart on, answers) has the section in the verbeterplan and the voorbereiding
inspectiebezoek; an older ronde that never asked the kaart has no such section; a ronde
with the kaart switched on but no answers says so; the batch keeps working."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from diensten.inspectie import voorbereiding_invoer
from diensten.samenwerking import samenwerking_voor_rapport
from diensten.verbeterplan import batch_invoer, verbeterplan_invoer
from kader import laad_acties
from rapport.inspectiebezoek import maak_voorbereiding_pdf, voorbereiding_context
from rapport.samenwerkingskaart import VRAAG
from rapport.verbeterplan import maak_verbeterplan_pdf, verbeterplan_context
from storage import demo
from storage import repository as repo
from storage.bereik import SYSTEEM
from storage.db import maak_engine
from vragenlijsten import laad_vragenlijsten

pytestmark = pytest.mark.db

KOP = "Samenwerkingskaart"


@pytest.fixture(scope="module")
def demo_db(demo_sjabloon):
    engine = maak_engine(f"sqlite:///{demo_sjabloon}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def rol_namen(kaders):
    return laad_vragenlijsten(kaders).rol_namen()


def _rondes(engine):
    """(the newest demo ronde of the first gemeente, an older one of the same gemeente)."""
    alle = [r for r in repo.rondes(engine) if r.gemeente == demo.DEMO_EERSTE_GEMEENTE]
    nieuw = next(r for r in alle if r.label == demo.DEMO_RONDE)
    oud = next(r for r in alle if r.label == demo.DEMO_RONDES[0])
    return nieuw, oud


def _tekst(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def _eerste_kader(ronde, kaders):
    from kader import rapportvolgorde

    return next(iter(rapportvolgorde(kaders, ronde.kader_versies)))


def test_wat_de_pdfs_krijgen(demo_db):
    nieuw, oud = _rondes(demo_db)
    df = samenwerking_voor_rapport(demo_db, nieuw.id)
    assert df is not None and len(df) and set(df["ronde"]) == {nieuw.label}
    assert samenwerking_voor_rapport(demo_db, oud.id) is None  # never asked: no section at all


@pytest.mark.pdf
def test_verbeterplan_uit_de_demo_heeft_de_kaart_en_een_oude_ronde_niet(demo_db, kaders, rol_namen):
    nieuw, oud = _rondes(demo_db)
    bibliotheek, _ = laad_acties(kaders)
    invoer = verbeterplan_invoer(demo_db, nieuw, _eerste_kader(nieuw, kaders), rol_namen=rol_namen,
                                 bibliotheek=bibliotheek)
    sectie = verbeterplan_context(invoer)["samenwerkingskaart"]
    assert sectie is not None and not sectie["leeg"]
    tekst = _tekst(maak_verbeterplan_pdf(invoer))
    assert KOP in tekst and VRAAG in tekst
    assert sectie["samenvatting"].split(".")[0] in tekst  # the text summary
    assert "Van \\ naar" in tekst  # the matrix
    # the 003 pattern of the demo: onderwijs and the wijkteam see it differently
    assert "Onderwijs" in sectie["samenvatting"] and "Wijkteam" in sectie["samenvatting"]

    ouder = verbeterplan_invoer(demo_db, oud, _eerste_kader(oud, kaders), rol_namen=rol_namen,
                                bibliotheek=bibliotheek)
    assert verbeterplan_context(ouder)["samenwerkingskaart"] is None
    oud_tekst = _tekst(maak_verbeterplan_pdf(ouder))
    assert KOP not in oud_tekst and VRAAG not in oud_tekst


@pytest.mark.pdf
def test_voorbereiding_uit_de_demo_heeft_de_kaart_en_een_oude_ronde_niet(demo_db, kaders, rol_namen):
    nieuw, oud = _rondes(demo_db)
    invoer = voorbereiding_invoer(demo_db, nieuw, _eerste_kader(nieuw, kaders), rol_namen=rol_namen)
    sectie = voorbereiding_context(invoer)["samenwerkingskaart"]
    assert sectie is not None and not sectie["leeg"]
    tekst = _tekst(maak_voorbereiding_pdf(invoer))
    assert KOP in tekst and VRAAG in tekst and "Van \\ naar" in tekst
    assert sectie["samenvatting"].split(".")[0] in tekst

    ouder = voorbereiding_invoer(demo_db, oud, _eerste_kader(oud, kaders), rol_namen=rol_namen)
    assert voorbereiding_context(ouder)["samenwerkingskaart"] is None
    assert KOP not in _tekst(maak_voorbereiding_pdf(ouder))


def test_kaart_aan_zonder_antwoorden_zegt_dat(app_db, kaders):
    """Switched on, nobody answered yet: an empty frame, so the section says so (not left out)."""
    engine = maak_engine(app_db)
    try:
        _, oud = _rondes(engine)
        nieuw = next(r for r in repo.rondes(engine) if r.gemeente == oud.gemeente and r.is_open)
        # a fresh open ronde of the demo gemeente with the kaart on and no answers
        ronde = repo.maak_ronde(engine, oud.gemeente_id, "2027 (demo)", nieuw.kader_versies, door=SYSTEEM)
        repo.zet_samenwerkingskaart(engine, ronde.id, True, door=SYSTEEM)
        df = samenwerking_voor_rapport(engine, ronde.id)
        assert df is not None and df.empty
        [info] = [r for r in repo.rondes(engine) if r.id == ronde.id]
        invoer = voorbereiding_invoer(engine, info, _eerste_kader(info, kaders), rol_namen={})
        assert voorbereiding_context(invoer)["samenwerkingskaart"]["leeg"] is True
    finally:
        engine.dispose()


def test_batch_krijgt_de_kaart_mee(demo_db, kaders, rol_namen):
    from rapport.batch import Plan

    nieuw, oud = _rondes(demo_db)
    bibliotheek, _ = laad_acties(kaders)
    plannen = dict(batch_invoer(demo_db, [nieuw, oud], kaders, kader_id=None, rol_namen=rol_namen,
                                bibliotheek=bibliotheek))
    assert len(plannen[nieuw].samenwerking) and plannen[oud].samenwerking is None
    plan = Plan.van("x", plannen[nieuw])
    assert plan.velden["samenwerking"].equals(plannen[nieuw].samenwerking)  # goes to the worker with the rest
