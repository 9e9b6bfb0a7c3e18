"""Issue 12, faithful to the sources, as people see it: on the Kaders page, the Verbeterplan
page and in the verbeterplan PDF a bron is its citation (never a hashed file name), only STJ
criteria stand under the STJ questions, texts from sources before the Jeugdwet are marked
historic with a glossary of their terms, and a rewritten suggestion says why."""
from __future__ import annotations

import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from kader import laad_acties, suggesties
from kader.bronnen import begrippen_in, register
from kader.model import koppen
from tests import fabriek
from views.bronnen import EIGEN_PLAATSING
from views.tekst import zichtbaar

if TYPE_CHECKING:  # only for annotations: importing it costs collection time
    from streamlit.testing.v1 import AppTest

VIEWS = Path(__file__).resolve().parent.parent / "views"
BESTANDSNAAM = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
STJ_KOPPEN = ("Wanneer is het goed?", "Waaraan kun je dat zien?")
HISTORISCH = "historische bron (2011, vóór de Jeugdwet)"
STJ, RN = "stj-stelseltoezicht-jeugd", "robuuste-netwerken"


# --------------------------------------------------------------- helpers for AppTest

def _teksten(knoop) -> list[str]:
    """Every string in the element tree below `knoop`, as a reader sees it (escapes removed)."""
    uit = []
    proto = getattr(knoop, "proto", None)
    if proto is not None:
        uit += [zichtbaar(w) for w in _strings(proto)]
    for kind in getattr(knoop, "children", {}).values():
        uit += _teksten(kind)
    return uit


def _strings(msg):
    from google.protobuf.message import Message

    for _, waarde in msg.ListFields():
        waarden = list(waarde) if not isinstance(waarde, (str, bytes, Message)) and hasattr(waarde, "__len__") \
            else [waarde]
        for w in waarden:
            if isinstance(w, Message):
                yield from _strings(w)
            elif isinstance(w, str):
                yield w


def _draai(pagina: str, gebruiker=None) -> AppTest:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(VIEWS / pagina), default_timeout=120)
    if gebruiker is not None:
        at.session_state["gebruiker"] = gebruiker
    at.run()
    assert not at.exception, at.exception
    return at


def _kies_kader(at: AppTest, kader_id: str) -> AppTest:
    keuze = next(s for s in at.selectbox if s.label == "Kader")
    if keuze.value != kader_id:
        keuze.set_value(kader_id).run()
        assert not at.exception, at.exception
    return at


def _geen_bestandsnamen(teksten: list[str]) -> None:
    fout = [t[:120] for t in teksten if BESTANDSNAAM.search(t)]
    assert fout == []


# --------------------------------------------------------------- Kaders bekijken

@pytest.fixture(scope="module")
def kaders_pagina(kaders):
    """The Kaders page once per kader: kader id -> (texts per expander label, all visible texts)."""
    at = _draai("kaders.py")
    uit = {}
    for kader_id in kaders:
        _kies_kader(at, kader_id)
        uit[kader_id] = ({e.label: _teksten(e) for e in at.expander}, _teksten(at._tree))
    return uit


def test_kaders_page_shows_no_file_names(kaders_pagina):
    assert set(kaders_pagina) >= {STJ, RN}
    for _, teksten in kaders_pagina.values():
        _geen_bestandsnamen(teksten)


def test_kaders_page_stj_questions_only_above_stj_criteria(kaders_pagina, kaders):
    for kader_id, (expanders, _) in kaders_pagina.items():
        kader = kaders[kader_id]
        for c in kader.criteria:
            [inhoud] = [t for label, t in expanders.items() if zichtbaar(label) == c.kort]
            kop = koppen(kader, c)
            assert next(t for t in inhoud if t.startswith("**")) == f"**{kop.item}**", (kader_id, c.id)
            heeft_stj_kop = any(k in t for t in inhoud for k in STJ_KOPPEN)
            assert heeft_stj_kop == (kader.is_stj and c.soort == "criterium"), (kader_id, c.id)
    rn = kaders_pagina[RN][0]
    assert any("**Succesfactor**" in t for t in rn.values())
    assert any("**Randvoorwaarde**" in t for t in rn.values())


def test_kaders_page_marks_the_2011_source_as_historic(kaders_pagina, kaders):
    expanders, teksten = kaders_pagina[RN]
    assert all(kaders[RN].criteria), "robuuste netwerken heeft items"
    for inhoud in expanders.values():  # every Movisie item comes from 004 (2011)
        assert any(HISTORISCH in t for t in inhoud)
    assert any("vóór de Jeugdwet (2015)" in t for t in teksten)
    # the STJ items come from the 2016 report: no marker there
    assert not any(HISTORISCH in t for inhoud in kaders_pagina[STJ][0].values() for t in inhoud)


def test_kaders_page_has_the_glossary_as_the_instruments_own(kaders_pagina):
    for _, teksten in kaders_pagina.values():
        alles = "\n".join(teksten)
        assert "Begrippen uit oudere bronnen" in alles
        assert "van dit instrument zelf" in alles
        for b in register().begrippen:
            assert f"**{b.term}**: {b.uitleg}" in alles, b.term


def test_kaders_page_says_when_the_placement_is_the_instruments_choice(kaders_pagina, stj):
    expanders, _ = kaders_pagina[STJ]
    for c in stj.criteria:
        [inhoud] = [t for label, t in expanders.items() if zichtbaar(label) == c.kort]
        eigen = sum(v.eigen_plaatsing for v in c.verwachtingen)
        assert "\n".join(inhoud).count(EIGEN_PLAATSING) == eigen, c.id
    assert any(v.eigen_plaatsing for v in stj.alle_verwachtingen)


# --------------------------------------------------------------- Verbeterplan page


@pytest.fixture
def facilitator():
    from toegang import Gebruiker

    return Gebruiker("demo-facilitator", "facilitator", frozenset({"*"}), demo=True)


@pytest.mark.db
def test_verbeterplan_page_bron_headings_markers_and_reasons(app_db, facilitator, kaders):
    acties, _ = laad_acties(kaders)
    at = _draai("verbeterplan.py", facilitator)
    redenen_getoond = 0
    historisch_getoond = False
    for kader_id in (STJ, RN):
        _kies_kader(at, kader_id)
        kader = kaders[kader_id]
        teksten = _teksten(at._tree)
        _geen_bestandsnamen(teksten)
        alles = "\n".join(teksten)
        assert "aangepast aan de huidige organisatie" not in alles
        expanders = [e for e in at.expander if " — gemiddelde " in zichtbaar(e.label)]
        assert expanders, f"de demo heeft verbeterpunten bij {kader_id}"
        for e in expanders:
            kort = zichtbaar(e.label).split(" — gemiddelde ")[0]
            c = next(c for c in kader.criteria if c.kort == kort)
            inhoud = _teksten(e)
            assert any(t.startswith(f"*{koppen(kader, c).item}* ") for t in inhoud), c.id
            if not (kader.is_stj and c.soort == "criterium"):
                assert not any(k in t for t in inhoud for k in STJ_KOPPEN), c.id
            for a in suggesties(acties, kader_id, c.id)[:6]:
                if a.bron.historisch:
                    assert any(str(a.bron) in t and a.bron.historisch_label in t for t in inhoud), a.id
                    historisch_getoond = True
                if a.herschreven:
                    assert f"Aangepast door dit instrument: {a.reden}" in inhoud, a.id
                    redenen_getoond += 1
    assert redenen_getoond and historisch_getoond


# --------------------------------------------------------------- verbeterplan PDF

def _plat(tekst: str) -> str:
    """Letters and digits only: the PDF hyphenates long words ('instru- ment')."""
    return re.sub(r"[\W_]+", "", tekst.lower())


def _pdf_tekst(data: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def _plan(kader, acties):
    """Every item scored 1 by two respondents, so every item is a verbeterpunt with its suggestions."""
    from rapport.verbeterplan import VerbeterplanInvoer

    rijen = [(r, "gemeente", c.id, "1") for r in ("p1", "p2") for c in kader.criteria]
    antwoorden = fabriek.antwoorden(*rijen, gemeente="Testdam", ronde="2026-1", kader=kader.id)
    per_item = {c.id: suggesties(acties, kader.id, c.id) for c in kader.criteria}
    return VerbeterplanInvoer(antwoorden, kader, "Testdam", "2026-1", suggesties=per_item, drempel=1), per_item


@pytest.fixture(scope="module")
def pdf_rn(kaders):
    from rapport.verbeterplan import maak_verbeterplan_pdf

    acties, _ = laad_acties(kaders)
    invoer, per_item = _plan(kaders[RN], acties)
    return maak_verbeterplan_pdf(invoer), per_item


@pytest.mark.pdf
def test_pdf_of_succesfactoren_has_no_stj_headings_and_no_file_names(pdf_rn, kaders):
    data, _ = pdf_rn
    tekst = _pdf_tekst(data)
    assert not BESTANDSNAAM.search(tekst)
    for kop in STJ_KOPPEN:
        assert kop not in tekst
    assert "Succesfactor" in tekst and "Randvoorwaarde" in tekst
    assert f"Bron: {kaders[RN].bron}"[:60] in tekst  # the footer cites the source, not its file


@pytest.mark.pdf
def test_pdf_marks_historic_suggestions_and_gives_reasons(pdf_rn):
    from rapport.verbeterplan import MAX_SUGGESTIES

    data, per_item = pdf_rn
    tekst = _pdf_tekst(data)
    getoond = [a for lijst in per_item.values() for a in lijst[:MAX_SUGGESTIES]]
    assert any(a.bron.historisch for a in getoond) and HISTORISCH in tekst
    herschreven = [a for a in getoond if a.herschreven]
    assert herschreven, "de bibliotheek heeft herschreven suggesties bij robuuste netwerken"
    bijlage = tekst[tekst.rindex("Bijlage: brontekst van aangepaste suggesties"):]
    for a in herschreven:
        assert _plat(f"Aangepast door dit instrument: {a.reden}") in _plat(tekst), a.id
        assert _plat(f"Waarom aangepast: {a.reden}") in _plat(bijlage), a.id
    assert "aangepast aan de huidige organisatie" not in tekst


@pytest.mark.pdf
def test_pdf_glossary_lists_only_the_terms_in_the_suggestions(pdf_rn):
    from rapport.verbeterplan import MAX_SUGGESTIES

    data, per_item = pdf_rn
    tekst = _pdf_tekst(data)
    getoond = [a for lijst in per_item.values() for a in lijst[:MAX_SUGGESTIES]]
    verwacht = begrippen_in("\n".join(f"{a.tekst}\n{a.oorspronkelijk}" for a in getoond))
    assert verwacht, "de getoonde suggesties gebruiken oude begrippen"
    begin = tekst.rindex("Begrippen uit oudere bronnen")
    blok = tekst[begin:tekst.index("Bijlage: brontekst van aangepaste suggesties", begin)]
    assert _plat("van dit instrument zelf") in _plat(blok)
    for b in register().begrippen:
        assert (_plat(b.uitleg) in _plat(blok)) == (b in verwacht), b.term


@pytest.mark.pdf
def test_pdf_of_the_stj_kader_keeps_the_stj_questions(kaders):
    from rapport.verbeterplan import maak_verbeterplan_pdf

    acties, _ = laad_acties(kaders)
    kader = kaders[STJ]
    invoer, _ = _plan(kader, acties)
    tekst = _pdf_tekst(maak_verbeterplan_pdf(invoer))
    assert not BESTANDSNAAM.search(tekst)
    verbeter = tekst[tekst.rindex("Verbeterpunten Van laagste"):]
    assert verbeter.count(STJ_KOPPEN[0]) == len(kader.criteria)
    assert HISTORISCH not in tekst.split("Suggesties uit de bronnen")[0]  # the STJ kader itself is from 2016


def test_glossary_finds_plurals_of_historic_terms():
    """The appendix quotes 'buurtnetwerken' and 'kernteams'; the glossary must explain them."""
    gevonden = {b.term for b in begrippen_in("De buurtnetwerken en de kernteams van Assen.")}
    assert gevonden == {"buurtnetwerk", "kernteam"}
    assert not begrippen_in("kernteamleden en buurtnetwerkje")


@pytest.mark.db
def test_questionnaire_help_uses_the_items_own_heading_and_marks_old_sources(app_db, kaders, vragenlijsten):
    at = _draai("vragenlijst.py")
    assert at.selectbox[2].value == "gemeente"  # the first rol, as in test_pagina_vragenlijst
    next(b for b in at.button if b.label == "Start de vragenlijst").click().run()
    assert not at.exception, at.exception
    _geen_bestandsnamen(_teksten(at._tree))
    hulp = [e for e in at.expander if e.label in ("Waaraan kunt u dat zien?", "Uitleg bij deze stelling")]
    lijst = vragenlijsten.lijsten["gemeente"]  # the demo ronde has every kader
    vragen = [v for k in lijst.kader_ids for v in lijst.voor_kader(k)]
    assert len(hulp) == len(vragen)
    for e, v in zip(hulp, vragen):
        kader = kaders[v.kader_id]
        c = kader.criterium(v.criterium_id)
        inhoud = "\n".join(_teksten(e))
        assert (e.label == "Waaraan kunt u dat zien?") == kader.is_stj, c.id
        assert f"*{koppen(kader, c).item}* — " in inhoud, c.id
        assert not any(k in inhoud for k in STJ_KOPPEN) or kader.is_stj, c.id
        assert (HISTORISCH in inhoud) == c.bron.historisch, c.id


@pytest.mark.pdf
def test_verbeterplan_names_the_kader_bron_in_the_text_not_only_in_the_footer():
    """The footer is an artifact in the tagged PDF (not read aloud): the title block repeats the bron."""
    from rapport.verbeterplan import maak_verbeterplan_html
    from tests.test_verbeterplan import alle_antwoorden, invoer

    inv = invoer(alle_antwoorden(), drempel=1)
    html = maak_verbeterplan_html(inv)
    titelblok = html.split('<header class="titelblok">', 1)[1].split("</header>", 1)[0]
    assert '<th scope="row">Bron</th>' in titelblok
    assert str(inv.kader.bron).split(",")[0] in titelblok
