"""Figure 4: server-side rerun of the questionnaire page (views/vragenlijst.py).

Setup: a SQLite file in a temp dir (ZBT_DATABASE_URL, no demo), one gemeente with
one ronde (both kaders) holding 50 respondents who answered everything (imported
in one transaction with `importeer_antwoorden`), and a 51st respondent with rol
'gemeente' (18 statements) who opens the page with their resume code.

Measured: Streamlit's AppTest answering one statement (`radio.set_value(...).run()`):
the on_change callback saves the answer (`bewaar_antwoord`, one commit), then the
whole script reruns (ronde, answers and widgets for 18 statements) and AppTest
collects the element tree. Each measured rerun changes a different statement to a
different value, so every one writes. The first answer is the warm-up; the figure is
the median of the next ~20. Not included: websocket, browser rendering.
"""
from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from bench import Figuur, getal, mediaan, percentiel, voortgang
from bench.data import laad_kaders_en_rollen, synthetische_antwoorden

PAGINA = Path(__file__).resolve().parent.parent / "views" / "vragenlijst.py"
DOEL_MS = 150.0
BESTAANDE_RESPONDENTEN = 50
ROL = "gemeente"
SCORES = ("1", "2", "3", "4")


def _vul(url: str) -> str:
    """Create the ronde with 50 answered respondents; returns the resume code of a new one."""
    from storage import repository as repo
    from storage.bereik import SYSTEEM
    from storage.db import maak_engine, migreer

    kaders, rollen, _ = laad_kaders_en_rollen()
    eng = maak_engine(url)
    try:
        migreer(eng)
        versies = {k.id: k.versie for k in kaders.values()}
        df = synthetische_antwoorden(kaders, rollen, gemeenten=1, rondes=1,
                                     respondenten=BESTAANDE_RESPONDENTEN)
        repo.importeer_antwoorden(eng, df, versies, door=SYSTEEM)
        ronde = next(r for r in repo.rondes(eng))
        assert ronde.respondenten == BESTAANDE_RESPONDENTEN, ronde
        _, code = repo.maak_respondent(eng, ronde.id, ROL, door=SYSTEEM)
        return code
    finally:
        eng.dispose()


def meet(snel: bool = False) -> list[Figuur]:
    import logging

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    # cache_resource.clear() outside a script run warns "missing ScriptRunContext": harmless
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)

    herhalingen = 5 if snel else 20
    oud = {k: os.environ.get(k) for k in ("ZBT_DATABASE_URL", "ZBT_DEMO")}
    with tempfile.TemporaryDirectory(prefix="zbt-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'vragenlijst.db'}"
        voortgang(f"questionnaire_rerun: ronde met {BESTAANDE_RESPONDENTEN} respondenten vullen")
        code = _vul(url)
        os.environ["ZBT_DATABASE_URL"] = url
        os.environ["ZBT_DEMO"] = "0"
        st.cache_resource.clear()
        try:
            at = AppTest.from_file(str(PAGINA), default_timeout=60)
            at.query_params["code"] = code
            start = time.perf_counter()
            at.run()
            voortgang(f"questionnaire_rerun: eerste run (koud) {time.perf_counter() - start:.3f} s")
            if at.exception:
                raise RuntimeError(f"pagina faalt: {at.exception}")
            aantal = len(at.radio)
            if aantal == 0:
                raise RuntimeError("geen stellingen op de pagina (code niet herkend?)")

            tijden, cpu = [], []
            for i in range(herhalingen + 1):
                radio = at.radio[(i * 7) % aantal]  # spread over the page
                huidig = radio.value  # raw values '1'..'4' (options are the formatted labels)
                nieuw = SCORES[(SCORES.index(huidig) + 1) % 4] if huidig in SCORES else SCORES[i % 4]
                start, cpu_start = time.perf_counter(), time.process_time()
                radio.set_value(nieuw).run()
                duur = time.perf_counter() - start
                cpu.append((time.process_time() - cpu_start) * 1000)
                if at.exception:
                    raise RuntimeError(f"pagina faalt: {at.exception}")
                if any(e.value.startswith("Uw antwoord is NIET") for e in at.error):
                    raise RuntimeError("antwoord niet opgeslagen")
                if i == 0:
                    voortgang(f"questionnaire_rerun: eerste antwoord (opwarmen) {duur * 1000:.0f} ms")
                    continue
                tijden.append(duur * 1000)
            voortgang(f"questionnaire_rerun: {len(tijden)} reruns, min {min(tijden):.0f} ms, "
                      f"mediaan {mediaan(tijden):.0f} ms, p90 {percentiel(tijden, 90):.0f} ms, "
                      f"{aantal} stellingen; cpu mediaan {mediaan(cpu[1:]):.0f} ms")
            # the answers really are stored
            from storage import repository as repo
            from storage.db import maak_engine

            eng = maak_engine(url)
            try:
                resp = repo.respondent_met_hervatcode(eng, code)
                opgeslagen = repo.antwoorden_van(eng, resp.id)
            finally:
                eng.dispose()
            assert len(opgeslagen) == min(aantal, herhalingen + 1), (len(opgeslagen), aantal)
        finally:
            st.cache_resource.clear()  # drops the engine on the temp file
            for k, v in oud.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    waarde = mediaan(tijden)
    return [Figuur("questionnaire_rerun", f"{getal(waarde)} ms median", "< 150 ms", waarde >= DOEL_MS)]
