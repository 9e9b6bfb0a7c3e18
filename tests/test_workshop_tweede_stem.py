"""The second silent vote on the pages, under Streamlit's AppTest: the facilitator opens it
on the workshop page, a participant votes on the questionnaire, the facilitator sees only
the count, closes it and sees the shift; the projector follows."""
from __future__ import annotations

from pathlib import Path

import pytest

from storage import repository as repo
from storage.bereik import SYSTEEM
from storage.db import maak_engine, migreer
from toegang import Gebruiker
from views.tekst import zichtbaar

pytestmark = pytest.mark.db

MAP = Path(__file__).resolve().parent.parent / "views"
FACILITATOR = Gebruiker("fac-a", "facilitator", frozenset({"Aadorp"}))
STJ = "stj-stelseltoezicht-jeugd"


@pytest.fixture
def ronde(app_db, monkeypatch, tmp_path, stj):
    """Aadorp's ronde: four participants split between 1 and 4 on the first criterium
    (eensgezindheid 0), in the reveal of that criterium."""
    from toegang import hash_wachtwoord

    bestand = tmp_path / "gebruikers.toml"
    bestand.write_text(f'[gebruikers.fac-a]\nrol = "facilitator"\ngemeenten = ["Aadorp"]\n'
                       f'wachtwoord_hash = "{hash_wachtwoord("x" * 16)}"\n')
    monkeypatch.setenv("ZBT_GEBRUIKERS", str(bestand))
    eng = maak_engine(app_db)
    migreer(eng)
    g = repo.maak_gemeente(eng, "Aadorp", door=SYSTEEM)
    r = repo.maak_ronde(eng, g.id, "2026", {STJ: stj.versie}, rollen=["gemeente"], door=SYSTEEM)
    crit = stj.criteria[0].id
    mensen = []
    for score in ["1", "4", "1", "4"]:
        resp, code = repo.maak_respondent(eng, r.id, "gemeente", door=SYSTEEM)
        repo.bewaar_antwoord(eng, resp.id, STJ, crit, score, "")
        mensen.append((resp, code))
    repo.zet_fase(eng, r.id, "onthullen", STJ, crit, door=SYSTEEM)
    return eng, r.id, crit, mensen


def _pagina(naam: str, **query):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(MAP / naam), default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    return at


def _workshop(ronde_id: int, beamer: bool = False):
    at = _pagina("workshop.py", **({"weergave": "beamer", "ronde": str(ronde_id)} if beamer else {}))
    at.session_state["gebruiker"] = FACILITATOR
    at.session_state["gekozen_ronde"] = ronde_id
    at.run()
    assert not at.exception, at.exception
    return at


def _tekst(at) -> str:
    delen = [e.value for soort in ("title", "header", "subheader", "markdown", "caption", "info", "error")
             for e in at.get(soort)]
    return zichtbaar("\n".join(map(str, delen)))


def _knop(at, label: str):
    return next(b for b in at.button if b.label == label)


def test_twee_stemmen_en_de_verschuiving(ronde, stj):
    eng, ronde_id, crit, mensen = ronde
    at = _workshop(ronde_id)
    assert "Tweede stemronde" in _tekst(at)
    _knop(at, "Tweede stemronde openen").click().run()
    assert not at.exception, at.exception
    assert repo.stand_tweede_stem(eng, ronde_id).open
    assert {m.label: m.value for m in at.metric} == {"Tweede stem gegeven": "0"}

    # a participant sees the one question on their phone and votes; the first vote stays
    deelnemer = _pagina("vragenlijst.py", code=mensen[0][1]).run()
    assert not deelnemer.exception, deelnemer.exception
    assert "Na het gesprek: hoe scoort u dit nu?" in _tekst(deelnemer)
    vraag = next(r for r in deelnemer.radio if r.label == "Uw score na het gesprek")
    vraag.set_value("3").run()
    assert not deelnemer.exception, deelnemer.exception
    assert "Uw tweede stem is opgeslagen" in _tekst(deelnemer)
    assert repo.antwoorden_van(eng, mensen[0][0].id)[(STJ, crit)][0] == "1"
    for (resp, _), score in zip(mensen[1:], ["3", "3", "2"], strict=True):
        repo.bewaar_tweede_stem(eng, resp.id, STJ, crit, score)

    # while open: the count, never a value
    at.run()
    assert {m.label: m.value for m in at.metric} == {"Tweede stem gegeven": "4"}
    assert "Eensgezindheid" not in _tekst(at) and not any("van 0," in str(m.value) for m in at.metric)

    # the projector shows the count too
    beamer = _workshop(ronde_id, beamer=True)
    assert "Kijk op uw telefoon" in _tekst(beamer)
    assert {m.label: m.value for m in beamer.metric}["Tweede stem gegeven"] == "4"

    _knop(at, "Sluiten en tonen").click().run()
    assert not at.exception, at.exception
    assert not repo.stand_tweede_stem(eng, ronde_id).open
    # before: 1, 4, 1, 4 -> 0 (split between the extremes); after: 3, 3, 3, 2 -> mu = 2.75,
    # 1 + 0.75 * log2(1 - 0.25/3) + 0.25 * log2(1 - 0.75/3) = 1 - 0.0941 - 0.1038 = 0.80
    metrics = {m.label: zichtbaar(str(m.value)) for m in at.metric}
    assert metrics["Eensgezindheid"] == "van 0,00 naar 0,80"
    tekst = _tekst(at)
    assert "Eerste stem: 4 scores, mediaan 2,5. Tweede stem: 4 scores, mediaan 3." in tekst
    assert "meer met elkaar eens" in tekst and "maat van dit instrument" in tekst
    assert "Welke criteria verschoof het gesprek?" in tekst
    overzicht = at.dataframe[-1].value
    rij = overzicht.iloc[0]
    assert rij["Onderdeel"] == stj.criteria[0].kort
    assert rij["Eensgezindheid voor → na"] == "0,00 → 0,80" and rij["Mediaan voor → na"] == "2,5 → 3"
    assert rij["Verschoven"] == "ja"
    # the participant's question is gone once the vote is closed
    deelnemer.run()
    assert not any(r.label == "Uw score na het gesprek" for r in deelnemer.radio)

    # the projector shows before and after
    beamer = _workshop(ronde_id, beamer=True)
    assert "Eensgezindheid van 0,00 naar 0,80." in _tekst(beamer)
    assert len(beamer.get("vega_lite_chart")) == 2 and len(beamer.table) == 2  # the reveal's and this one


def test_te_weinig_tweede_stemmen_wordt_achtergehouden(ronde):
    eng, ronde_id, crit, mensen = ronde
    repo.open_tweede_stem(eng, ronde_id, door=FACILITATOR)
    for resp, _ in mensen[:2]:  # 2 < the threshold 3
        repo.bewaar_tweede_stem(eng, resp.id, STJ, crit, "3")
    repo.sluit_tweede_stem(eng, ronde_id, door=FACILITATOR)
    at = _workshop(ronde_id)
    tekst = _tekst(at)
    assert "Voor en na worden niet getoond" in tekst
    assert "Eensgezindheid" not in {m.label for m in at.metric}
    assert at.dataframe[-1].value.iloc[0]["Eensgezindheid voor → na"] == "achtergehouden"


def test_deelnemer_met_andere_rol_of_zonder_open_stem_ziet_niets(ronde):
    eng, ronde_id, crit, mensen = ronde
    deelnemer = _pagina("vragenlijst.py", code=mensen[1][1]).run()
    assert not deelnemer.exception, deelnemer.exception
    assert "Na het gesprek" not in _tekst(deelnemer)
    # the workshop moves on: an open vote closes with it
    repo.open_tweede_stem(eng, ronde_id, door=FACILITATOR)
    repo.zet_fase(eng, ronde_id, "consensus", STJ, crit, door=FACILITATOR)
    deelnemer.run()
    assert "Na het gesprek" not in _tekst(deelnemer)


def test_demo_heeft_een_tweede_stemronde_in_het_verbeterplan(app_db, kaders):
    """The demo's open ronde of its first gemeente: the criteria with a consensus had a
    second vote that came closer to it; the verbeterplan shows the section."""
    from diensten.verbeterplan import verbeterplan_invoer
    from kader import laad_acties
    from rapport.tweede_stem import verschuivingen
    from rapport.verbeterplan import maak_verbeterplan_html

    eng = maak_engine(app_db)
    met = [r for r in repo.rondes(eng) if r.demo and not repo.tweede_stemmen_df(eng, r.id).empty]
    assert len(met) == 1 and met[0].is_open
    ronde = met[0]
    kader = kaders[STJ]
    lijst = verschuivingen(repo.antwoorden_df(eng, ronde.id), repo.tweede_stemmen_df(eng, ronde.id), kader,
                           repo.consensus_van(eng, ronde.id))
    assert lijst and all(not v.achtergehouden for v in lijst)
    assert all(v.eensgezindheid_na >= v.eensgezindheid_voor for v in lijst)
    html = maak_verbeterplan_html(verbeterplan_invoer(eng, ronde, kader, rol_namen={},
                                                      bibliotheek=laad_acties(kaders)[0]))
    assert 'id="tweede-stem"' in html and "Welke criteria verschoof het gesprek?" in html
