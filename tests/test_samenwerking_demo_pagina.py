"""The samenwerkingskaart in the demo regio (pattern of source 003 ch. 4–5) and on the
questionnaire page (AppTest): shown only when switched on, saved per partner, optional."""
from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from storage import repository as repo
from storage.db import maak_engine
from storage.demo_samenwerking import ONDERWIJS, WIJKTEAM
from toegang import Gebruiker

pytestmark = pytest.mark.db

PAGINA = str(Path(__file__).resolve().parent.parent / "views" / "vragenlijst.py")
DEMO_FAC = Gebruiker("demo-facilitator", "facilitator", frozenset({"*"}), demo=True)


def _mediaan(df, van, naar):
    waarden = [int(n) for n in df[(df.rol == van) & (df.partner == naar)].niveau if n.isdigit()]
    return statistics.median(waarden) if waarden else None


def test_demo_heeft_het_patroon_van_bron_003(demo_sjabloon):
    eng = maak_engine(f"sqlite:///{demo_sjabloon}")
    nieuwste = [r for r in repo.rondes(eng) if r.demo and r.is_open]
    assert nieuwste and all(repo.samenwerkingskaart_aan(eng, r.id) for r in nieuwste)
    assert not any(repo.samenwerkingskaart_aan(eng, r.id) for r in repo.rondes(eng) if not r.is_open)
    for r in nieuwste:
        df = repo.samenwerking_df(eng, r.id)
        assert set(df.niveau) <= {"0", "1", "2", "3", "4", "5", "weet_niet", "nvt"}
        assert not (df.rol == df.partner).any()
        school, wijk = _mediaan(df, ONDERWIJS, WIJKTEAM), _mediaan(df, WIJKTEAM, ONDERWIJS)
        if school is not None and wijk is not None:
            assert school - wijk >= 2, (r.gemeente, school, wijk)
    eng.dispose()


def test_demo_is_elke_keer_hetzelfde(tmp_path, demo_sjabloon):
    from kader import laad_kaders
    from storage.db import migreer
    from storage.demo import vul_demo
    from vragenlijsten import laad_vragenlijsten

    eng = maak_engine(f"sqlite:///{tmp_path / 'nog-een.db'}")
    migreer(eng)
    kaders = laad_kaders().kaders
    vul_demo(eng, kaders, laad_vragenlijsten(kaders).paren())
    sjabloon = maak_engine(f"sqlite:///{demo_sjabloon}")

    def alles(e):
        return [repo.samenwerking_df(e, r.id).values.tolist() for r in repo.rondes(e) if r.is_open]

    assert alles(eng) == alles(sjabloon)
    eng.dispose()
    sjabloon.dispose()


def _start(rol: str = "gemeente"):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(PAGINA, default_timeout=60).run()
    assert not at.exception, at.exception
    at.selectbox[2].set_value(rol).run()
    next(b for b in at.button if b.label == "Start de vragenlijst").click().run()
    assert not at.exception, at.exception
    return at


def _partner_radios(at):
    return [r for r in at.radio if r.label.startswith("Hoe ver gaat uw samenwerking")]


def test_vragenlijst_vraagt_samenwerking_en_bewaart_per_partner(app_db, vragenlijsten):
    at = _start(ONDERWIJS)
    eng = maak_engine(app_db)
    code = at.query_params["code"]
    code = code[0] if isinstance(code, list) else code
    resp = repo.respondent_met_hervatcode(eng, code)
    partners = repo.partner_rollen(eng, resp.ronde_id, ONDERWIJS)
    radios = _partner_radios(at)
    assert len(radios) == len(partners) and WIJKTEAM in partners
    assert any("Met wie werkt u samen rond een gezin" in m.value for m in at.markdown)
    assert any("coördinatieladder" in c.value for c in at.caption)
    # the optional part does not count in the progress of the statements
    voortgang = at.get("progress")[0].proto.text
    assert voortgang.startswith("0 van ")

    from views.tekst import md
    namen = {k: md(v) for k, v in vragenlijsten.rol_namen().items()}  # labels read markdown: escaped
    wijk = next(r for r in radios if namen[WIJKTEAM] in r.label)
    toel = next(t for t in at.text_area if t.label.startswith(f"Toelichting bij de samenwerking met {namen[WIJKTEAM]}"))
    toel.input("Snel contact").run()  # before a niveau: waits, says so, nothing stored
    assert not at.exception
    assert WIJKTEAM not in repo.samenwerking_van(eng, resp.id)
    assert any("Kies eerst" in w.value for w in at.warning)
    wijk = next(r for r in _partner_radios(at) if namen[WIJKTEAM] in r.label)
    wijk.set_value("3").run()
    assert not at.exception
    assert repo.samenwerking_van(eng, resp.id)[WIJKTEAM] == ("3", "Snel contact")
    assert at.get("progress")[0].proto.text == voortgang

    # switched off by the facilitator: the part is gone, the answer stays stored
    repo.zet_samenwerkingskaart(eng, resp.ronde_id, False, door=DEMO_FAC)
    from streamlit.testing.v1 import AppTest
    terug = AppTest.from_file(PAGINA, default_timeout=60)
    terug.query_params["code"] = code
    terug.run()
    assert not terug.exception
    assert _partner_radios(terug) == []
    assert repo.samenwerking_van(eng, resp.id)[WIJKTEAM] == ("3", "Snel contact")
    eng.dispose()


def test_schakelaar_op_rondes_beheren(app_db):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(PAGINA).with_name("rondes.py")), default_timeout=60)
    at.session_state["gebruiker"] = DEMO_FAC
    at.run()
    assert not at.exception, at.exception
    eng = maak_engine(app_db)

    def aan():
        return {r.id for r in repo.rondes(eng) if repo.samenwerkingskaart_aan(eng, r.id)}

    voor = aan()
    schakelaar = next(t for t in at.toggle if t.label == "Samenwerkingskaart vragen")
    assert schakelaar.value is True  # the demo's newest ronde asks it
    schakelaar.set_value(False).run()
    assert not at.exception, at.exception
    uit = voor - aan()
    assert len(uit) == 1 and aan() < voor  # exactly the ronde on the page
    next(t for t in at.toggle if t.label == "Samenwerkingskaart vragen").set_value(True).run()
    assert aan() == voor
    eng.dispose()


def test_storing_bij_bewaren_wacht_en_bewaart_bij_de_volgende_klik(app_db, vragenlijsten, monkeypatch):
    import sqlite3

    from sqlalchemy.exc import OperationalError

    import storage.repository as repository
    from views.tekst import md

    at = _start(ONDERWIJS)
    eng = maak_engine(app_db)
    code = at.query_params["code"]
    resp = repo.respondent_met_hervatcode(eng, code[0] if isinstance(code, list) else code)
    echt = repository.bewaar_samenwerking

    def weg(*args, **kwargs):
        raise OperationalError("BEGIN", {}, sqlite3.OperationalError("unable to open database file"))

    monkeypatch.setattr(repository, "bewaar_samenwerking", weg)
    naam = md(vragenlijsten.rol_namen()[WIJKTEAM])
    next(r for r in _partner_radios(at) if naam in r.label).set_value("2").run()
    assert not at.exception, at.exception
    assert any("Nog niet opgeslagen" in w.value for w in at.warning)
    assert WIJKTEAM not in repo.samenwerking_van(eng, resp.id)
    monkeypatch.setattr(repository, "bewaar_samenwerking", echt)  # the database is back
    toel = next(t for t in at.text_area if t.label.startswith(f"Toelichting bij de samenwerking met {naam}"))
    toel.input("Weer bereikbaar").run()
    assert not at.exception, at.exception
    assert repo.samenwerking_van(eng, resp.id)[WIJKTEAM] == ("2", "Weer bereikbaar")
    eng.dispose()
