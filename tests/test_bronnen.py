"""The source register: titles instead of file names, historic sources marked, and
the verwachtingen of 002 §4.1 that the STJ kader carries."""
from __future__ import annotations

import re
from pathlib import Path

from kader import laad_kaders
from kader.acties import laad_acties
from kader.bronnen import begrippen_in, citeer, historisch_label, lees_register, register
from kader.model import Bron, koppen
from vragenlijsten import laad_vragenlijsten

ROOT = Path(__file__).resolve().parent.parent
BRONNEN = ROOT.parent / "shared" / "bronnen"
BESTANDSNAAM = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")


def test_register_covers_every_source_file():
    bestanden = {p.name for p in BRONNEN.glob("*.txt")}
    assert bestanden, "shared/bronnen ontbreekt naast de repository"
    assert set(register().documenten) == bestanden


def test_titles_match_the_sources():
    """Title and year of each source occur in the opening of its text."""
    for doc in register().documenten.values():
        tekst = (BRONNEN / doc.bestand).read_text(encoding="utf-8")
        plat = re.sub(r"[\s*]+", " ", tekst).lower()
        assert doc.titel.lower() in plat, doc.titel
        if not doc.jaar_tekst:
            assert str(doc.jaar) in plat[:3000], doc.bestand


def test_only_sources_before_the_jeugdwet_are_historic():
    for doc in register().documenten.values():
        assert doc.historisch == (doc.jaar < 2015)
    assert lees_register().document("000_5674429497a068b9.txt").opmerking.startswith("alleen voor intern gebruik")


def _alle_bronnen(kaders, acties, lijsten):
    for k in kaders.values():
        yield k.bron
        for t in k.themas:
            yield t.bron
        for c in k.criteria:
            yield c.bron
        for v in k.alle_verwachtingen:
            yield v.bron
    for a in acties:
        yield a.bron
    for lijst in lijsten.lijsten.values():
        if lijst.rol.bron:
            yield lijst.rol.bron


def test_every_bron_is_in_the_register_and_is_shown_without_file_name():
    kaders = laad_kaders().kaders
    acties, fouten = laad_acties(kaders)
    assert not fouten
    lijsten = laad_vragenlijsten(kaders)
    for bron in _alle_bronnen(kaders, acties, lijsten):
        doc = register().document(bron.bestand)
        assert doc is not None, bron.technisch
        getoond = str(bron)
        assert not BESTANDSNAAM.search(getoond), getoond
        assert doc.titel in getoond and doc.uitgever in getoond and doc.jaartal in getoond
        assert bron.sectie in getoond
        assert bron.bestand in bron.technisch


def test_historic_marker_names_year_and_jeugdwet():
    assert historisch_label("004_cb9444ee05973ff1.txt") == "historische bron (2011, vóór de Jeugdwet)"
    assert historisch_label("002_7cda73b5febe7485.txt") == ""
    assert Bron("001_494f8f2fa7a156c8.txt", "§3").historisch


def test_unknown_file_keeps_its_name():
    """Only test fixtures cite files outside the register; they are not hidden."""
    assert citeer("onbekend.txt", "§1") == "onbekend.txt, §1"


def test_glossary_finds_historic_terms_as_whole_words():
    gevonden = {b.term for b in begrippen_in("Het JOT en BJZ overlegden in het Veiligheidshuis.")}
    assert gevonden == {"JOT", "BJZ", "Veiligheidshuis"}
    assert not begrippen_in("Het jotje en de kernteamleden")  # no partial words
    for b in register().begrippen:
        assert b.uitleg and b.uitleg[0].isupper()


# --- the verwachtingen of 002 §4.1 -------------------------------------------------

def test_stj_carries_twelve_verwachtingen_each_with_bron(stj):
    assert len(stj.alle_verwachtingen) == 12
    for v in stj.alle_verwachtingen:
        assert v.bron.bestand == "002_7cda73b5febe7485.txt" and v.bron.sectie


def test_regie_stagnatie_and_warme_overdracht_are_placed_by_the_instrument(stj):
    c2 = stj.criterium("c2-toeleiding")
    c4 = stj.criterium("c4-veiligheid-in-zorg")
    eigen_c2 = [v.tekst for v in c2.verwachtingen if v.eigen_plaatsing]
    eigen_c4 = [v.tekst for v in c4.verwachtingen if v.eigen_plaatsing]
    assert any("één regisseur" in t and "doorzettingsmacht" in t for t in eigen_c2)
    assert any("alternatieve oplossingen" in t for t in eigen_c2)
    assert any("warme overdracht" in t for t in eigen_c4)
    assert all(v.bron.sectie.startswith("§4.1") for v in c2.verwachtingen + c4.verwachtingen if v.eigen_plaatsing)


def test_the_stj_kader_is_dated_2015_in_the_2016_report(stj):
    assert "(2015)" in stj.omschrijving and "Bijlage 1" in stj.omschrijving and "2016" in stj.omschrijving
    assert stj.is_stj


# --- headings per kind of item ---------------------------------------------------

def test_stj_questions_only_for_stj_criteria(kaders, stj):
    assert koppen(stj, stj.criteria[0]).item == "Wanneer is het goed?"
    assert koppen(stj, stj.criteria[0]).indicatoren == "Waaraan kun je dat zien?"
    for k in kaders.values():
        if k.is_stj:
            continue
        for c in k.criteria:
            kop = koppen(k, c)
            assert "Wanneer is het goed" not in kop.item and "Waaraan kun je" not in kop.indicatoren
    rn = kaders["robuuste-netwerken"]
    assert {koppen(rn, c).item for c in rn.criteria} == {"Succesfactor", "Randvoorwaarde"}
