"""Participants through the real server over Streamlit's WebSocket protocol
(bench/streamlitclient.py, the client of the load generator bench/deelnemers.py).

Checks what the benchmark relies on and what makes a click cheap: a click on a
statement reruns only that statement's fragment, the progress bar still follows,
the last answer brings the whole page with the thank-you, and every confirmed
answer is in the database."""
from __future__ import annotations

import asyncio
import os
import random
import secrets

import pytest

from bench import deelnemers
from bench.replicas import start_app, stop_app
from bench.streamlitclient import Sessie
from storage.db import maak_engine

pytestmark = pytest.mark.traag


def draai(coroutine):
    """asyncio.run in a thread of its own: Playwright's sync API (session fixtures of other
    test files) keeps an event loop running in the main thread."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as uitvoerder:
        return uitvoerder.submit(asyncio.run, coroutine).result()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("deelnemers")
    url = f"sqlite:///{tmp / 'd.db'}"
    geheim = secrets.token_hex(32)
    oud = os.environ.get("ZBT_GEHEIM")
    os.environ["ZBT_GEHEIM"] = geheim
    engine = maak_engine(url)
    try:
        codes = deelnemers.richt_in(engine, ("gemeente", "wijkteam-cjg"), max_per_code=10)
        proc, basis = start_app(deelnemers.omgeving(url, geheim), tmp / "streamlit.log")
    finally:
        if oud is None:
            os.environ.pop("ZBT_GEHEIM", None)
        else:
            os.environ["ZBT_GEHEIM"] = oud
    yield {"basis": basis, "codes": codes, "engine": engine}
    stop_app(proc)
    engine.dispose()


def test_deelnemers_via_de_server_niets_verloren(server):
    uitslag = draai(deelnemers.drijf(server["basis"], list(server["codes"].values()), 3, 1, 0.05))
    assert uitslag.fouten == []
    assert len(uitslag.bevestigd) == 3 * 18
    assert deelnemers.verloren(server["engine"], uitslag) == 0


def test_een_klik_draait_alleen_de_stelling(server):
    async def loop():
        async with Sessie(server["basis"], "vragenlijst") as s:
            scherm, _ = await s.open(f"uitnodiging={server['codes']['gemeente']}")
            scherm, _ = await s.druk(scherm.widget("button", "Start de vragenlijst"))
            radios = [w for w in scherm.widgets if w.soort == "radio"]
            assert len(radios) == 18 and all(r.fragment_id for r in radios)
            assert len({r.fragment_id for r in radios}) == 18
            assert scherm.bevat("0 van 18 vragen beantwoord")
            keuze = [o for o in radios[4].opties if o.startswith("3 ")][0]
            na, _ = await s.kies(radios[4], keuze)
            # only statement 5 came back, with its confirmation and the progress bar
            assert [w.label for w in na.widgets if w.soort == "radio"] == ["Hoe goed klopt stelling 5?"]
            assert any(t.startswith("✓ Score opgeslagen om") for t in na.teksten)
            assert na.bevat("1 van 18 vragen beantwoord")
            assert not na.bevat("Vragenlijst invullen")  # the page title: not sent again
            # answering the rest: the last one brings the whole page with the thank-you
            for i, radio in enumerate(r for j, r in enumerate(radios) if j != 4):
                na, _ = await s.kies(radio, random.Random(i).choice([o for o in radio.opties if o[0].isdigit()]))
            assert na.bevat("18 van 18 vragen beantwoord")
            assert na.bevat("Bedankt! U heeft alle stellingen beantwoord.")
            assert len([w for w in na.widgets if w.soort == "radio"]) == 18
    draai(loop())
