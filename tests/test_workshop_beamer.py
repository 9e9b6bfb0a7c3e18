"""The workshop's projector view (views/beamer.py), run as a page with Streamlit's AppTest."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from rapport.anonimiteit import TE_WEINIG
from storage import repository as repo
from storage.bereik import SYSTEEM
from storage.db import maak_engine, migreer
from toegang import Gebruiker
from views.tekst import zichtbaar

PAGINA = Path(__file__).resolve().parent.parent / "views" / "workshop.py"
FACILITATOR = Gebruiker("fac-a", "facilitator", frozenset({"Aadorp"}))
STJ = "stj-stelseltoezicht-jeugd"
EEN_STEM = "Alleen ik heb deze vraag beantwoord"


@pytest.fixture
def ronde(app_db, monkeypatch, tmp_path, stj):
    """Aadorp's ronde: three participants answer the first criterium, one of them also the second."""
    from toegang import hash_wachtwoord

    bestand = tmp_path / "gebruikers.toml"
    bestand.write_text(f'[gebruikers.fac-a]\nrol = "facilitator"\ngemeenten = ["Aadorp"]\n'
                       f'wachtwoord_hash = "{hash_wachtwoord("x" * 16)}"\n')
    monkeypatch.setenv("ZBT_GEBRUIKERS", str(bestand))
    eng = maak_engine(app_db)
    migreer(eng)
    g = repo.maak_gemeente(eng, "Aadorp", door=SYSTEEM)
    r = repo.maak_ronde(eng, g.id, "2026", {STJ: stj.versie}, rollen=["gemeente"], door=SYSTEEM)
    eerste, tweede = (c.id for c in stj.criteria[:2])
    for i, score in enumerate(["1", "3", "3"]):
        resp, _ = repo.maak_respondent(eng, r.id, "gemeente", door=SYSTEEM)
        repo.bewaar_antwoord(eng, resp.id, STJ, eerste, score, f"Toelichting {i}")
        if i == 0:
            repo.bewaar_antwoord(eng, resp.id, STJ, tweede, "4", EEN_STEM)
    return eng, r.id


def test_summary_and_whole_number_axis_without_a_page(stj):
    import pandas as pd

    from rapport.beamer import samenvatting, verdeling_grafiek_beamer

    tabel = pd.DataFrame({"1 · Klopt niet": [0, 0], "2 · Klopt een beetje": [4, 2], "3 · Klopt grotendeels": [1, 1]},
                         index=pd.Index(["Alle respondenten", "Gemeente"], name="Groep"))
    assert samenvatting(tabel) == ("Samen 5 antwoorden: 4 keer ‘2 · Klopt een beetje’, 1 keer ‘3 · Klopt grotendeels’. "
                                   "Het vaakst gekozen: ‘2 · Klopt een beetje’.")
    assert samenvatting(tabel * 0) == "Er zijn nog geen antwoorden."
    spec = verdeling_grafiek_beamer(tabel, stj).to_dict()
    assert spec["encoding"]["x"]["axis"]["tickMinStep"] == 1 and spec["encoding"]["x"]["axis"]["format"] == "d"
    assert spec["encoding"]["x"]["scale"]["domain"] == [0, 5]
    assert spec["config"]["axis"]["labelFontSize"] >= 24 and spec["config"]["legend"]["labelFontSize"] >= 24


def _beamer(ronde_id: int, **extra):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(PAGINA), default_timeout=60)
    at.session_state["gebruiker"] = FACILITATOR
    at.query_params["weergave"] = "beamer"
    at.query_params["ronde"] = str(ronde_id)
    for k, v in extra.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def _tekst(at) -> str:
    delen = [e.value for soort in ("title", "header", "subheader", "markdown", "caption", "info") for e in at.get(soort)]
    return zichtbaar("\n".join(map(str, delen)))


def _opmaak(at) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


@pytest.mark.db
def test_no_sidebar_and_no_staff_controls(ronde):
    eng, ronde_id = ronde
    at = _beamer(ronde_id)
    assert not at.sidebar.children  # nothing is written to the sidebar, not even the ronde selector
    opmaak = _opmaak(at)
    for testid in ("stSidebar", "stSidebarCollapsedControl", "stExpandSidebarButton"):
        assert f'[data-testid="{testid}"]' in opmaak.split("{ display: none")[0]
    assert "font-size: 28px" in opmaak
    # no fase switch, no ronde selector, no consensus form: the facilitator drives from elsewhere
    assert not at.selectbox and not at.segmented_control and not at.text_area and not at.radio
    assert not at.get("link_button")
    assert "http" not in _opmaak(at).split("<script>")[1]  # the key script fetches nothing


@pytest.mark.db
def test_stil_scoren_keeps_the_join_block_with_a_live_count(ronde):
    eng, ronde_id = ronde
    at = _beamer(ronde_id)
    assert at.get("imgs") or at.get("image"), "QR-code ontbreekt"
    tekst = _tekst(at)
    assert "/vragenlijst" in tekst
    assert "code" in tekst and "organisator" in tekst  # says honestly that codes are not shown
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Deelnemers gestart": "3", "Met antwoorden": "3"}
    assert not at.button  # nothing to step through while people score
    assert "Toelichting 0" not in tekst  # counts only, never answers


@pytest.mark.db
def test_reveal_has_whole_number_axes_and_a_summary_table(ronde, stj):
    eng, ronde_id = ronde
    repo.zet_fase(eng, ronde_id, "onthullen", STJ, stj.criteria[0].id, door=SYSTEEM)
    at = _beamer(ronde_id)
    assert stj.criteria[0].kort in _tekst(at)
    grafiek = at.get("vega_lite_chart")
    assert len(grafiek) == 1
    spec = json.loads(grafiek[0].proto.spec)
    as_x = spec["encoding"]["x"]["axis"]
    assert as_x["tickMinStep"] == 1 and as_x["format"] == "d", as_x
    assert spec["config"]["axis"]["labelFontSize"] >= 24
    assert "Samen 3 antwoorden: 1 keer ‘1 · Klopt niet’, 2 keer ‘3 · Klopt grotendeels’" in _tekst(at)
    assert len(at.table) == 1
    assert [b.label for b in at.button] == ["← Vorige", "Volgende →"]


@pytest.mark.db
def test_follows_the_criterium_in_the_database_and_withholds_a_single_answer(ronde, stj):
    eng, ronde_id = ronde
    eerste, tweede = stj.criteria[:2]
    repo.zet_fase(eng, ronde_id, "onthullen", STJ, eerste.id, door=SYSTEEM)
    at = _beamer(ronde_id)
    assert eerste.kort in [zichtbaar(h.value) for h in at.header]
    # the facilitator moves on in another tab; the projector's next run shows it
    repo.zet_fase(eng, ronde_id, "onthullen", STJ, tweede.id, door=SYSTEEM)
    at.run()
    assert tweede.kort in [zichtbaar(h.value) for h in at.header]
    # one answer only: neither its distribution nor its toelichting reaches the screen
    assert any(TE_WEINIG in i.value for i in at.info)
    assert not at.get("vega_lite_chart") and not at.table
    assert EEN_STEM not in _tekst(at)


@pytest.mark.db
def test_volgende_moves_the_focus_for_everyone(ronde, stj):
    eng, ronde_id = ronde
    repo.zet_fase(eng, ronde_id, "onthullen", STJ, stj.criteria[0].id, door=SYSTEEM)
    at = _beamer(ronde_id)
    at.button(key="beamer-volgende").click().run()
    assert not at.exception, at.exception
    assert repo.ronde(eng, ronde_id).huidig_criterium == stj.criteria[1].id
    assert stj.criteria[1].kort in [zichtbaar(h.value) for h in at.header]


@pytest.mark.db
def test_consensus_is_shown_read_only(ronde, stj):
    eng, ronde_id = ronde
    repo.zet_fase(eng, ronde_id, "consensus", STJ, stj.criteria[0].id, door=SYSTEEM)
    repo.bewaar_consensus(eng, ronde_id, STJ, stj.criteria[0].id, "2", "Signalen blijven hangen.", door=SYSTEEM)
    at = _beamer(ronde_id)
    assert "Signalen blijven hangen." in _tekst(at)
    assert not at.radio and not at.text_area


@pytest.mark.db
def test_facilitator_page_links_to_the_projector_keeping_other_parameters(ronde):
    from streamlit.testing.v1 import AppTest

    eng, ronde_id = ronde
    at = AppTest.from_file(str(PAGINA), default_timeout=60)
    at.session_state["gebruiker"] = FACILITATOR
    at.query_params["ronde"] = str(ronde_id)
    at.query_params["iets"] = "anders"
    at.run()
    assert not at.exception, at.exception
    knop = at.get("link_button")[0]
    assert knop.proto.label == "Open de beamerweergave"
    assert knop.proto.url == f"workshop?ronde={ronde_id}&iets=anders&weergave=beamer"


@pytest.mark.db
def test_projector_of_another_gemeente_is_not_shown(ronde, app_db):
    eng, ronde_id = ronde
    andere = next(r for r in repo.rondes(eng) if r.gemeente != "Aadorp")
    at = _beamer(andere.id)
    assert "Aadorp" in at.title[0].value  # the requested ronde is not permitted: the user's own instead
    assert andere.gemeente not in _tekst(at)


@pytest.mark.db
def test_facilitator_steps_on_from_where_the_clicker_left_it(ronde, stj):
    from streamlit.testing.v1 import AppTest

    eng, ronde_id = ronde
    criteria = [c.id for c in stj.criteria]
    repo.zet_fase(eng, ronde_id, "onthullen", STJ, criteria[0], door=SYSTEEM)
    at = AppTest.from_file(str(PAGINA), default_timeout=60)
    at.session_state["gebruiker"] = FACILITATOR
    at.run()
    repo.zet_fase(eng, ronde_id, "onthullen", STJ, criteria[2], door=SYSTEEM)  # the projector's clicker
    next(b for b in at.button if b.label == "Volgende →").click().run()
    assert not at.exception, at.exception
    assert repo.ronde(eng, ronde_id).huidig_criterium == criteria[3]
