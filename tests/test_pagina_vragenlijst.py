"""The questionnaire page under Streamlit's AppTest: start, answer, resume."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from storage import repository as repo
from storage.bereik import SYSTEEM  # noqa: E402
from storage.db import maak_engine

if TYPE_CHECKING:  # only for annotations: importing it costs collection time
    from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.db

PAGINA = str(Path(__file__).resolve().parent.parent / "views" / "vragenlijst.py")


def _start() -> AppTest:
    """Open the page and start as the first rol (gemeente) in the first open ronde."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(PAGINA, default_timeout=60).run()
    assert not at.exception, at.exception
    assert at.selectbox[2].value == "gemeente"
    next(b for b in at.button if b.label == "Start de vragenlijst").click().run()
    assert not at.exception, at.exception
    return at


def _code(at: AppTest) -> str:
    code = at.query_params["code"]
    return code[0] if isinstance(code, list) else code


def test_start_shows_statements_with_help(app_db, vragenlijsten):
    at = _start()
    n = len(vragenlijsten.lijsten["gemeente"].vragen)  # the demo ronde has every kader
    # the statements (the optional samenwerkingskaart part, on in the demo, has radios of its own)
    assert len([r for r in at.radio if r.label.startswith("Hoe goed klopt stelling")]) == n
    assert at.radio[0].value is None
    assert any("Waaraan kunt u dat zien?" in e.label for e in at.expander)
    assert f"0 van {n}" in at.get("progress")[0].proto.text
    assert all("namen" in t.placeholder for t in at.text_area)


def test_every_answer_is_stored_immediately_and_resumes(app_db, vragenlijsten):
    from streamlit.testing.v1 import AppTest

    at = _start()
    code = _code(at)
    at.radio[0].set_value("3").run()
    at.text_area[0].input("Afspraken staan op papier.").run()
    at.radio[5].set_value("weet_niet").run()
    assert not at.exception

    eng = maak_engine(app_db)
    resp = repo.respondent_met_hervatcode(eng, code)
    antwoorden = repo.antwoorden_van(eng, resp.id)
    assert antwoorden[("stj-stelseltoezicht-jeugd", "c1-signalering")] == ("3", "Afspraken staan op papier.")
    assert sum(1 for s, _ in antwoorden.values() if s) == 2
    assert f"2 van {len(vragenlijsten.lijsten['gemeente'].vragen)}" in at.get("progress")[0].proto.text

    # a new session (another tab or device) with the code resumes where it was
    terug = AppTest.from_file(PAGINA, default_timeout=60)
    terug.query_params["code"] = code
    terug.run()
    assert not terug.exception
    assert terug.radio[0].value == "3"
    assert terug.text_area[0].value == "Afspraken staan op papier."
    assert terug.radio[5].value == "weet_niet"


def test_unknown_code_is_refused(app_db):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(PAGINA, default_timeout=60)
    at.query_params["code"] = "AAAA-BBBB-CC"
    at.run()
    assert any("kennen we niet" in e.value for e in at.error)
    assert len(at.radio) == 0


def test_closed_ronde_disables_answers(app_db):
    at = _start()
    eng = maak_engine(app_db)
    resp = repo.respondent_met_hervatcode(eng, _code(at))
    repo.zet_ronde_status(eng, resp.ronde_id, "gesloten", door=SYSTEEM)
    at.run()
    assert at.radio[0].disabled
    assert any("gesloten" in w.value for w in at.warning)


def test_stopping_repeats_the_resume_code(app_db):
    from views.tekst import md

    at = _start()
    code = md(_code(at))  # as markdown shows it
    next(b for b in at.button if b.label == "Stoppen met deze vragenlijst").click().run()
    assert not at.exception, at.exception
    assert any(code in s.value for s in at.success), [s.value for s in at.success]
    at.run()  # shown once: the start screen after that is the plain one
    assert not any(code in s.value for s in at.success)
