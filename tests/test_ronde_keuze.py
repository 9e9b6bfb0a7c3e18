"""One current ronde, app-wide (issue 11, point 1), and the first screen (point 8).

Through app.py under AppTest: a ronde chosen on one page is the ronde on every page, also
when Streamlit drops the query parameter on a page change; a link with ``?ronde=<id>``
opens on it; an id the user may not see is ignored with a notice.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from storage import repository as repo
from storage.bereik import SYSTEEM
from storage.db import maak_engine
from storage.demo import DEMO_EERSTE_GEMEENTE, DEMO_RONDE

if TYPE_CHECKING:  # only for annotations: importing it costs collection time
    from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.db

APP = str(Path(__file__).resolve().parent.parent / "app.py")
KEUZE = "Gemeente en ronde"
NIET_ZICHTBAAR = "De ronde uit de link kunt u hier niet bekijken"
STJ = "stj-stelseltoezicht-jeugd"


def _app(gebruiker: str | None = None, ronde: int | str | None = None) -> AppTest:
    from streamlit.testing.v1 import AppTest

    from toegang import accounts_uit_omgeving

    at = AppTest.from_file(APP, default_timeout=120)
    if gebruiker is not None:
        at.session_state["gebruiker"] = accounts_uit_omgeving()[gebruiker].als_gebruiker()
    if ronde is not None:
        at.query_params["ronde"] = str(ronde)
    at.run()
    assert not at.exception, at.exception
    return at


def _keuze(at: AppTest):
    [keuze] = [s for s in at.selectbox if s.label == KEUZE]
    return keuze


def _ga_naar(at: AppTest, pagina: str) -> AppTest:
    at.switch_page(pagina).run()
    assert not at.exception, (pagina, at.exception)
    return at


def _meldingen(at: AppTest) -> list[str]:
    return [m.value for m in [*at.info, *at.warning, *at.error]]


def _rondes(app_db):
    return repo.rondes(maak_engine(app_db))


def test_keuze_geldt_op_elke_pagina_ook_zonder_queryparameter(app_db):
    at = _app("demo-facilitator")
    _ga_naar(at, "views/rondes.py")
    keuze = _keuze(at)
    [andere] = [o for o in keuze.options if o.startswith("Voorbeeldstad") and "2025" in o]
    keuze.select(andere).run()  # 'select' takes the shown label
    assert not at.exception, at.exception
    gekozen = _keuze(at).value
    ronde = next(r for r in _rondes(app_db) if r.id == gekozen)
    assert (ronde.gemeente, ronde.label) == ("Voorbeeldstad (fictief)", "2025 (demo)")
    assert at.query_params["ronde"] == str(gekozen)
    for pagina in ("views/workshop.py", "views/rondes.py", "views/verbeterplan.py", "views/overzicht.py",
                   "views/gegevens.py"):
        at.query_params.clear()  # as Streamlit may do on a page change
        _ga_naar(at, pagina)
        assert _keuze(at).value == gekozen, pagina
        assert at.query_params["ronde"] == str(gekozen), pagina  # put back on every run
        assert not any(NIET_ZICHTBAAR in m for m in _meldingen(at)), pagina


def test_workshop_kiest_de_ronde_in_het_hoofdvlak(app_db):
    at = _ga_naar(_app("demo-facilitator"), "views/workshop.py")
    assert [s.label for s in at.sidebar.selectbox] == []  # not squeezed into the sidebar
    assert _keuze(at).label == KEUZE


def test_link_met_ronde_opent_op_die_ronde(app_db):
    """A reload or a shared link: a new session with only the URL."""
    ronde = next(r for r in _rondes(app_db) if r.gemeente.startswith("Proefwijk") and r.label == "2024 (demo)")
    at = _app(ronde=ronde.id)
    assert _keuze(at).value == ronde.id
    assert not any(NIET_ZICHTBAAR in m for m in _meldingen(at))
    at = _ga_naar(_app("demo-facilitator", ronde=ronde.id), "views/verbeterplan.py")
    assert _keuze(at).value == ronde.id


@pytest.mark.parametrize("gebruiker", [None, "demo-facilitator"])
def test_ronde_buiten_bereik_in_de_link_wordt_genegeerd(app_db, gebruiker):
    eng = maak_engine(app_db)
    g = repo.maak_gemeente(eng, "Geheimdorp", door=SYSTEEM)
    vreemd = repo.maak_ronde(eng, g.id, "2026", {STJ: "2016.1"}, door=SYSTEEM)
    at = _app(gebruiker, ronde=vreemd.id)
    keuze = _keuze(at)
    assert keuze.value != vreemd.id and not any("Geheimdorp" in o for o in keuze.options)
    assert any(NIET_ZICHTBAAR in m for m in _meldingen(at)), _meldingen(at)
    assert at.query_params["ronde"] == str(keuze.value)  # the URL now names what is shown
    assert "Geheimdorp" not in " ".join(_meldingen(at))


def test_onzin_in_de_link_wordt_genegeerd(app_db):
    at = _app(ronde="abc")
    assert any(NIET_ZICHTBAAR in m for m in _meldingen(at))
    assert _keuze(at).value in {r.id for r in _rondes(app_db)}


def test_nieuw_geopende_ronde_wordt_de_huidige(app_db):
    at = _ga_naar(_app("demo-facilitator"), "views/rondes.py")
    [naam] = [t for t in at.text_input if t.label == "Naam van de ronde"]
    naam.set_value("Voorjaar extra")
    [jaar] = [n for n in at.number_input if n.label == "Jaar"]
    jaar.set_value(2027)
    [knop] = [b for b in at.button if b.label == "Ronde openen en codes maken"]
    knop.click().run()
    assert not at.exception, at.exception
    [nieuw] = [r for r in _rondes(app_db) if r.label == "Voorjaar extra"]
    assert nieuw.jaar == 2027
    assert _keuze(at).value == nieuw.id and at.query_params["ronde"] == str(nieuw.id)
    _ga_naar(at, "views/workshop.py")
    assert _keuze(at).value == nieuw.id


# --- the first screen ----------------------------------------------------------------

def _standaard(app_db):
    return next(r for r in _rondes(app_db) if r.gemeente == DEMO_EERSTE_GEMEENTE and r.label == DEMO_RONDE)


def test_eerste_scherm_legt_uit_en_heeft_drie_deuren(app_db):
    at = _app()
    assert at.title[0].value == "Zelfbeoordeling Stelseltoezicht Jeugd"
    assert any("samen met haar partners" in m.value for m in at.markdown)
    deuren = [d.proto.label for d in at.get("page_link")]
    assert deuren == ["Een zelfevaluatie houden", "Een inspectiebezoek voorbereiden", "Regio's vergelijken"]
    doelen = [d.proto.page for d in at.get("page_link")]
    assert [d.rsplit("/", 1)[-1] for d in doelen] == ["rondes", "inspectie", "regio"], doelen
    assert _keuze(at).value == _standaard(app_db).id
    assert at.get("vega_lite_chart")  # then the demo chart


def test_eerste_scherm_toont_altijd_dezelfde_demoronde(app_db):
    """A demo ronde opened later (in another demo gemeente, or newer) does not change it."""
    eng = maak_engine(app_db)
    g = next(g for g in repo.gemeenten(eng) if g.naam == "Voorbeeldstad (fictief)")
    repo.maak_ronde(eng, g.id, "Extra (demo)", {STJ: "2016.1"}, jaar=2026, door=SYSTEEM)
    assert _keuze(_app()).value == _standaard(app_db).id


def test_medewerker_krijgt_geen_deuren_en_geen_demo_inlogtip(app_db):
    at = _app("demo-inspecteur")
    assert at.title[0].value == "Overzicht van de resultaten"
    assert not at.get("page_link")
    tekst = " ".join(m.value for m in [*at.markdown, *at.caption, *at.info])
    assert "Log in als" not in tekst and "Hiervoor logt u" not in tekst


def test_pagina_zonder_keuze_houdt_de_ronde_in_de_url(app_db):
    """Regio, Kaders and Inloggen have no ronde selector; a reload there keeps the ronde too."""
    at = _app("demo-facilitator")
    _ga_naar(at, "views/rondes.py")
    keuze = _keuze(at)
    [andere] = [o for o in keuze.options if o.startswith("Voorbeeldstad") and "2025" in o]
    keuze.select(andere).run()
    gekozen = _keuze(at).value
    for pagina in ("views/kaders.py", "views/regio.py", "views/inloggen.py"):
        at.query_params.clear()
        _ga_naar(at, pagina)
        assert at.query_params["ronde"] == str(gekozen), pagina


def test_link_op_een_pagina_zonder_keuze_geldt_op_de_volgende(app_db):
    """A shared link to the Kaders page with ?ronde= opens the Verbeterplan on that ronde."""
    from streamlit.testing.v1 import AppTest

    from toegang import accounts_uit_omgeving

    ronde = next(r for r in _rondes(app_db) if r.gemeente == "Voorbeeldstad (fictief)" and r.label == "2025 (demo)")
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["gebruiker"] = accounts_uit_omgeving()["demo-facilitator"].als_gebruiker()
    at.query_params["ronde"] = str(ronde.id)
    at.switch_page("views/kaders.py").run()
    assert not at.exception, at.exception
    at.query_params.clear()  # as Streamlit does on a page change
    _ga_naar(at, "views/verbeterplan.py")
    assert _keuze(at).value == ronde.id
