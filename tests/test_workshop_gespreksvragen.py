"""The facilitator's workshop page: each item under its own kind of heading, and the
sourced questions of 004 Bijlage 3 offered as gespreksvragen (AppTest)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from kader.werkwijze import laad_werkwijze
from storage import repository as repo
from storage.bereik import SYSTEEM
from storage.db import maak_engine, migreer
from toegang import Gebruiker
from views.tekst import zichtbaar

PAGINA = Path(__file__).resolve().parent.parent / "views" / "workshop.py"
FACILITATOR = Gebruiker("fac-a", "facilitator", frozenset({"Aadorp"}))
STJ = "stj-stelseltoezicht-jeugd"
HR = "holland-rijnland-zorg-en-veiligheid"
BESTANDSNAAM = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")


@pytest.fixture
def ronde(app_db, monkeypatch, tmp_path, kaders):
    from toegang import hash_wachtwoord

    bestand = tmp_path / "gebruikers.toml"
    bestand.write_text(f'[gebruikers.fac-a]\nrol = "facilitator"\ngemeenten = ["Aadorp"]\n'
                       f'wachtwoord_hash = "{hash_wachtwoord("x" * 16)}"\n')
    monkeypatch.setenv("ZBT_GEBRUIKERS", str(bestand))
    eng = maak_engine(app_db)
    migreer(eng)
    g = repo.maak_gemeente(eng, "Aadorp", door=SYSTEEM)
    r = repo.maak_ronde(eng, g.id, "2026", {STJ: kaders[STJ].versie, HR: kaders[HR].versie},
                        rollen=["gemeente"], door=SYSTEEM)
    for i in range(3):
        resp, _ = repo.maak_respondent(eng, r.id, "gemeente", door=SYSTEEM)
        for k in (STJ, HR):
            for c in kaders[k].criteria:
                repo.bewaar_antwoord(eng, resp.id, k, c.id, str(1 + (i + len(c.id)) % 4), "")
    return eng, r.id


def _pagina(eng, ronde_id, kader_id, criterium_id):
    from streamlit.testing.v1 import AppTest

    repo.zet_fase(eng, ronde_id, "onthullen", kader_id, criterium_id, door=SYSTEEM)
    at = AppTest.from_file(str(PAGINA), default_timeout=60)
    at.session_state["gebruiker"] = FACILITATOR
    at.query_params["ronde"] = str(ronde_id)
    at.run()
    assert not at.exception, at.exception
    return at


def _tekst(at) -> str:
    """What a person reads: markdown and captions without their escapes, and the expanders' labels."""
    delen = [zichtbaar(m.value) for m in at.markdown] + [zichtbaar(c.value) for c in at.caption]
    return "\n".join(delen + [e.label for e in at.expander])


@pytest.mark.db
def test_a_holland_rijnland_criterium_is_not_under_the_stj_question(ronde, kaders):
    eng, ronde_id = ronde
    crit = kaders[HR].criteria[0]
    tekst = _tekst(_pagina(eng, ronde_id, HR, crit.id))
    assert "Wanneer is het goed?" not in tekst and "Waaraan kun" not in tekst
    assert "*Criterium* " + crit.tekst in tekst


@pytest.mark.db
def test_stj_criterium_offers_the_sourced_questions(ronde, kaders):
    eng, ronde_id = ronde
    stj = kaders[STJ]
    werkwijze, fouten = laad_werkwijze(kaders)
    assert not fouten
    crit = next(c for c in stj.criteria if werkwijze.voor(STJ, c.id).vragen)
    at = _pagina(eng, ronde_id, STJ, crit.id)
    tekst = _tekst(at)
    assert "*Wanneer is het goed?* " + " ".join(crit.tekst.split()) in tekst
    assert "Gespreksvragen uit de bronnen" in [e.label for e in at.expander]
    for vraag in werkwijze.voor(STJ, crit.id).vragen:
        assert " ".join(vraag.tekst.split()) in tekst
    assert "keuze van dit instrument" in tekst
    assert "historische bron (2011, vóór de Jeugdwet)" in tekst
    assert not BESTANDSNAAM.search(tekst)
