"""Did last year's plan work? (rapport/planeffect.py): groups, numbers, status mapping,
withholding, the messages, the PDF section from the demo and the page section."""
from __future__ import annotations

import math
from pathlib import Path

import pytest

from rapport import planeffect
from rapport.planeffect import AFGEROND, LOPEND, NIET_GESTART, ZONDER, bereken, groep_per_criterium, verandering
from rapport.verbeterplan import VerbeterplanInvoer, maak_verbeterplan_html
from tests.fabriek import antwoorden, maak_kader

KADER = maak_kader(["c1", "c2", "c3", "c4", "c5", "c6", "c7"])

# Three respondents of one rol in both rondes (the threshold is 3).
VORIG = {  # criterium -> scores of r1, r2, r3 in the previous ronde 'V'
    "c1": ("1", "2", "3"),  # mean 2
    "c2": ("2", "2", "2"),  # mean 2
    "c3": ("2", "2", "2"),  # mean 2
    "c4": ("3", "3", "3"),  # mean 3
    "c5": ("1", "1", "1"),  # mean 1
    "c6": ("4", "4", "4"),  # mean 4
    "c7": ("2", "3", "4"),  # mean 3
}
NU = {  # this ronde 'R'
    "c1": ("3", "3", "3"),  # mean 3        -> change +1
    "c2": ("2", "2", "3"),  # mean 7/3      -> change +1/3
    "c3": ("2", "2", "2"),  # mean 2        -> change 0
    "c4": ("2", "3", "1"),  # mean 2        -> change -1
    "c5": ("2", "2", "2"),  # mean 2        -> change +1
    "c6": ("4", "4", "weet_niet"),  # 2 scores < 3: suppressed, left out
    "c7": ("3", "3", "3"),  # mean 3        -> change 0
}
ACTIES = [
    {"kader_id": "k", "criterium_id": "c1", "status": "gerealiseerd"},
    {"kader_id": "k", "criterium_id": "c2", "status": "gepland"},
    {"kader_id": "k", "criterium_id": "c2", "status": "gerealiseerd"},  # furthest status wins: afgerond
    {"kader_id": "k", "criterium_id": "c3", "status": "bezig"},
    {"kader_id": "k", "criterium_id": "c4", "status": "gestopt"},  # counts as niet gestart
    {"kader_id": "k", "criterium_id": None, "status": "gerealiseerd"},  # kader as a whole: no criterium
    {"kader_id": "ander", "criterium_id": "c5", "status": "gerealiseerd"},  # another kader: c5 stays without
]


def _df(scores: dict, ronde: str):
    return antwoorden(*[(f"r{i + 1}", "gemeente", c, s) for c, rij in scores.items() for i, s in enumerate(rij)],
                      ronde=ronde)


def _bereken(acties=ACTIES, **kw):
    return bereken(_df(NU, "R"), _df(VORIG, "V"), acties, KADER, vorige_ronde="V", drempel=3, **kw)


def test_status_mapping():
    assert planeffect.STATUS_GROEP == {"gerealiseerd": AFGEROND, "bezig": LOPEND,
                                       "gepland": NIET_GESTART, "gestopt": NIET_GESTART}
    assert groep_per_criterium(ACTIES, "k") == {"c1": AFGEROND, "c2": AFGEROND, "c3": LOPEND, "c4": NIET_GESTART}
    # a dataclass-like object (storage's ActieInfo) works as well as a dict
    from types import SimpleNamespace
    assert groep_per_criterium([SimpleNamespace(kader_id="k", criterium_id="c9", status="bezig")], "k") == {"c9": LOPEND}
    assert groep_per_criterium(None, "k") == {}


def test_groups_and_numbers_by_hand():
    effect = _bereken()
    groepen = {g.id: g for g in effect.groepen}
    # afgerond: c1 (+1) and c2 (+1/3): mean 2/3, range 1/3 .. 1
    a = groepen[AFGEROND]
    assert a.criteria == ("Kort c1", "Kort c2") and a.n == 2
    assert math.isclose(a.gemiddelde, 2 / 3) and math.isclose(a.laagste, 1 / 3) and a.hoogste == 1
    assert (a.respondenten_vorig, a.respondenten_nu) == (3, 3)
    # lopend (c3) and niet gestart (c4) have one criterium each (< 2): pooled, (0 + -1) / 2
    samen = groepen[f"{LOPEND}+{NIET_GESTART}"]
    assert samen.label == "Lopend of niet gestart" and samen.criteria == ("Kort c3", "Kort c4")
    assert samen.gemiddelde == -0.5 and (samen.laagste, samen.hoogste) == (-1, 0)
    # zonder acties: c5 (+1; the other kader's action does not count) and c7 (0); c6 left out
    z = groepen[ZONDER]
    assert z.criteria == ("Kort c5", "Kort c7") and z.gemiddelde == 0.5
    assert [g.id for g in effect.groepen] == [AFGEROND, f"{LOPEND}+{NIET_GESTART}", ZONDER]
    assert effect.te_weinig == ("Kort c6",) and effect.te_klein == () and effect.melding == ""

    tekst = planeffect.tekst(effect)
    assert planeffect.GEEN_OORZAAK in tekst["voorzichtig"]
    assert "ronde V" in tekst["inleiding"]
    assert tekst["groepen"][0] == "Afgerond: gemiddeld +0,7 (2 onderdelen, van +0,3 tot +1,0)."
    assert tekst["groepen"][1] == "Lopend of niet gestart: gemiddeld −0,5 (2 onderdelen, van −1,0 tot 0,0)."
    assert tekst["weggelaten"] == ["1 onderdeel staat er niet in: daar gaven in een van beide rondes minder "
                                   "dan 3 deelnemers een score."]
    rij = planeffect.tabel(effect)[0]
    assert rij["Onderdelen"] == "2" and rij["Gemiddelde verandering"] == "+0,7"
    assert rij["Deelnemers (vorige ronde / deze ronde)"] == "3 / 3"
    assert [verandering(x) for x in (0.04, -0.04, 0.25, -1.0)] == ["0,0", "0,0", "+0,2", "−1,0"]


def test_small_groups_are_pooled_or_withheld():
    # minimum 3: afgerond (2), lopend (1) and niet gestart (1) pool to 4; zonder acties (2) is withheld
    effect = _bereken(minimum=3)
    assert [(g.label, g.n) for g in effect.groepen] == [("Afgerond, lopend of niet gestart", 4)]
    assert effect.te_klein == (("zonder acties", 2),)
    assert "De groep zonder acties (2 onderdelen) staat er niet in" in " ".join(planeffect.tekst(effect)["weggelaten"])
    # one small action group cannot be pooled: it is withheld, never shown on its own
    effect = _bereken([{"kader_id": "k", "criterium_id": "c1", "status": "gerealiseerd"}])
    assert [g.id for g in effect.groepen] == [ZONDER] and effect.te_klein == (("afgerond", 1),)
    assert all(g.n >= planeffect.MIN_CRITERIA for g in effect.groepen)


def test_criteria_below_the_threshold_are_left_out():
    # threshold 4 with three respondents: no criterium enters, nothing is shown
    effect = bereken(_df(NU, "R"), _df(VORIG, "V"), ACTIES, KADER, vorige_ronde="V", drempel=4)
    assert effect.groepen == () and len(effect.te_weinig) == len(KADER.criteria)
    assert "te weinig onderdelen" in effect.melding


def test_no_actions_says_so_briefly():
    effect = _bereken([])
    assert effect.groepen == () and "geen acties" in effect.melding


def _invoer(**kw) -> VerbeterplanInvoer:
    df = _df(NU, "R").assign(gemeente="G")
    return VerbeterplanInvoer(df, KADER, "G", "R", rol_namen={"gemeente": "Gemeente"}, drempel=3, **kw)


def test_html_section_present_escaped_and_absent_without_previous_ronde():
    html = maak_verbeterplan_html(_invoer(vorige_antwoorden=_df(VORIG, "<b>V</b>"), vorige_ronde="<b>V</b>",
                                          vorige_acties=ACTIES))
    assert "Heeft het plan van de vorige ronde iets veranderd?" in html
    assert planeffect.GEEN_OORZAAK in html and "Lopend of niet gestart" in html
    assert "<b>V</b>" not in html and "&lt;b&gt;V&lt;/b&gt;" in html
    # no previous ronde: no section at all (the progress section is absent too)
    assert "Heeft het plan" not in maak_verbeterplan_html(_invoer())
    # a previous ronde without actions: the section says so in one line
    html = maak_verbeterplan_html(_invoer(vorige_antwoorden=_df(VORIG, "V"), vorige_ronde="V", vorige_acties=[]))
    assert "Heeft het plan" in html and "geen acties bij een onderdeel" in html and "<table class=\"vergelijking planeffect\"" not in html


@pytest.mark.db
@pytest.mark.pdf
@pytest.mark.traag
def test_demo_pdf_shows_real_groups(demo_sjabloon, kaders):
    import io

    from pypdf import PdfReader

    from diensten.verbeterplan import verbeterplan_invoer
    from kader import laad_acties
    from rapport.verbeterplan import maak_verbeterplan_pdf, verbeterplan_context
    from storage import demo
    from storage import repository as repo
    from storage.db import maak_engine
    from storage.demo_planeffect import DEMO_PLAN_KADER

    engine = maak_engine(f"sqlite:///{demo_sjabloon}")
    try:
        ronde = next(r for r in repo.rondes(engine)
                     if r.gemeente == demo.DEMO_EERSTE_GEMEENTE and r.label == demo.DEMO_RONDE)
        bibliotheek, _ = laad_acties(kaders)
        invoer = verbeterplan_invoer(engine, ronde, kaders[DEMO_PLAN_KADER], rol_namen={}, bibliotheek=bibliotheek)
        # every status group of its own, and criteria without actions
        sectie = verbeterplan_context(invoer)["planeffect"]
        assert [r["Groep"] for r in sectie["rijen"]] == ["Afgerond", "Lopend", "Niet gestart", "Zonder acties"]
        tekst = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(maak_verbeterplan_pdf(invoer))).pages)
                         .split())
        assert "Heeft het plan van de vorige ronde iets veranderd?" in tekst
        assert planeffect.GEEN_OORZAAK in tekst
        for regel in sectie["groepen"]:
            assert regel in tekst
        # the first kader in report order (STJ, four criteria) shows groups too
        stj = verbeterplan_context(verbeterplan_invoer(engine, ronde, kaders["stj-stelseltoezicht-jeugd"],
                                                       rol_namen={}, bibliotheek=bibliotheek))["planeffect"]
        assert len(stj["rijen"]) >= 2 and stj["rijen"][-1]["Groep"] == "Zonder acties"
    finally:
        engine.dispose()


PAGINA = str(Path(__file__).resolve().parent.parent / "views" / "verbeterplan.py")


@pytest.mark.db
def test_page_section(app_db):
    from streamlit.testing.v1 import AppTest

    from storage.demo_planeffect import DEMO_PLAN_KADER
    from toegang import Gebruiker
    from views.tekst import zichtbaar

    at = AppTest.from_file(PAGINA, default_timeout=90)
    at.session_state["gebruiker"] = Gebruiker("demo-facilitator", "facilitator", frozenset({"*"}), demo=True)
    at.run()
    assert not at.exception, at.exception
    kader = next(s for s in at.selectbox if s.label == "Kader")
    kader.set_value(DEMO_PLAN_KADER).run()
    assert not at.exception, at.exception
    assert any(s.value == "Heeft het plan van de vorige ronde iets veranderd?" for s in at.subheader)
    assert any(planeffect.GEEN_OORZAAK in zichtbaar(m.value) for m in at.markdown)
    tabel = next(d.value for d in at.dataframe if "Gemiddelde verandering" in d.value.columns)
    assert list(tabel["Groep"]) == ["Afgerond", "Lopend", "Niet gestart", "Zonder acties"]
    assert all(int(n) >= planeffect.MIN_CRITERIA for n in tabel["Onderdelen"])


def test_a_criterium_without_answers_in_a_ronde_is_named_apart():
    # c7 not asked in the previous ronde (e.g. new in this kader version): not a matter of the threshold
    vorig = {c: s for c, s in VORIG.items() if c != "c7"}
    effect = bereken(_df(NU, "R"), _df(vorig, "V"), ACTIES, KADER, vorige_ronde="V", drempel=3)
    assert effect.zonder_antwoorden == ("Kort c7",) and effect.te_weinig == ("Kort c6",)
    assert "daar zijn in een van beide rondes geen antwoorden op" in " ".join(planeffect.weggelaten(effect))
    # c5 alone without actions (< 2): withheld, and said so
    assert effect.te_klein == (("zonder acties", 1),)
