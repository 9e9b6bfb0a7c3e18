"""Questionnaire wording stays faithful to the criteria (issue 12): one plain question per
statement, the core of each criterium kept, and the huisarts and kinderopvang rollen
grounded in the sources."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from kader.bronnen import register
from rapport.palet import STREEPJES, VORMEN
from vragenlijsten import VOLGORDE

ROOT = Path(__file__).resolve().parent.parent
BRONNEN = ROOT.parent / "shared" / "bronnen"
STJ = "stj-stelseltoezicht-jeugd"
MOV = "robuuste-netwerken"
MAX_WOORDEN = 25


def _stellingen(vragenlijsten, kader_id: str, criterium_id: str) -> dict[str, str]:
    """rol id -> its statement for this criterium (only the rollen that answer it)."""
    return {rid: v.stelling for rid, lijst in vragenlijsten.lijsten.items()
            for v in lijst.vragen if v.kader_id == kader_id and v.criterium_id == criterium_id}


def _alle(vragenlijsten):
    for rid, lijst in vragenlijsten.lijsten.items():
        for v in lijst.vragen:
            yield rid, v


_ZINSDEEL_EN = re.compile(r",\s*en\b|\ben (we|wij|ze|zij|het|er)\b", re.IGNORECASE)
_TWEE_DEELWOORDEN = re.compile(r"\bge\w+[td] en\b", re.IGNORECASE)
_WIJ = re.compile(r"\b(we|wij)\b", re.IGNORECASE)


def vraagt_twee_dingen(stelling: str) -> bool:
    """A heuristic for 'two questions in one': a second question mark, an emphatic 'én',
    'en' joining two clauses (', en' or 'en we/het/er'), 'en' between two past
    participles, or three or more clauses with 'we/wij' as subject."""
    return (stelling.count("?") > 1 or " én " in stelling or bool(_ZINSDEEL_EN.search(stelling))
            or bool(_TWEE_DEELWOORDEN.search(stelling)) or len(_WIJ.findall(stelling)) > 2)


@pytest.mark.parametrize("oud", [
    # wordings the audit of issue 12 found asking two or three things at once
    "Bij zorgen over de veiligheid van een kind schatten we de risico's goed in, delen we "
    "signalen en weten we wie betrokken blijft tot de hulp begint.",
    "We kennen elkaar en elkaars werk, we vinden elkaar snel en we vertrouwen elkaar.",
    "We sturen samen op de samenwerking, en het is duidelijk wie de regie heeft.",
    "Het is duidelijk wie de regie heeft, bij de aansturing én in het werk met gezinnen.",
    "Onze werkafspraken zijn samen gemaakt en op papier gezet.",
    "Als wij bij een gezin komen en zien dat een kind hulp nodig heeft, merken we dat op en geven we het door.",
    "Als we ons zorgen maken over de veiligheid van een leerling, weten we met wie we dat delen, "
    "en horen we wat er daarna gebeurt.",
])
def test_de_toets_op_twee_vragen_herkent_de_oude_stellingen(oud):
    assert vraagt_twee_dingen(oud)


def test_elke_stelling_vraagt_een_ding(vragenlijsten):
    for rid, v in _alle(vragenlijsten):
        assert not vraagt_twee_dingen(v.stelling), (rid, v.criterium_id, v.stelling)


def test_elke_stelling_is_kort_en_eenvoudig(vragenlijsten):
    for rid, v in _alle(vragenlijsten):
        assert len(v.stelling.split()) <= MAX_WOORDEN, (rid, v.criterium_id, v.stelling)
        assert v.stelling.rstrip().endswith("."), (rid, v.criterium_id, v.stelling)


def test_c3_vraagt_elke_rol_naar_een_vaste_manier_van_risico_inschatten(vragenlijsten, kaders):
    # indicator c3-i1 of the source is what the statement must keep
    [i1] = [i for i in kaders[STJ].criterium("c3-veiligheid-signalering").indicatoren if i.id == "c3-i1"]
    assert "systematisch" in i1.tekst
    c3 = _stellingen(vragenlijsten, STJ, "c3-veiligheid-signalering")
    assert set(c3) == set(vragenlijsten.lijsten), "every rol answers c3"
    for rid, stelling in c3.items():
        tekst = stelling.lower()
        assert "risico" in tekst and ("vaste manier" in tekst or "systematisch" in tekst), (rid, stelling)


def test_c2_houdt_adequaat(vragenlijsten, kaders):
    assert "adequaat" in kaders[STJ].criterium("c2-toeleiding").tekst
    c2 = _stellingen(vragenlijsten, STJ, "c2-toeleiding")
    assert c2
    for rid, stelling in c2.items():
        assert "adequaat" in stelling and "snel" not in stelling, (rid, stelling)


def test_sf7_houdt_groot_denken_en_klein_beginnen(vragenlijsten, kaders):
    assert "Groot denken en klein beginnen" in kaders[MOV].criterium("sf7-think-big-start-small").tekst
    sf7 = _stellingen(vragenlijsten, MOV, "sf7-think-big-start-small")
    assert set(sf7) == set(vragenlijsten.lijsten)
    for rid, stelling in sf7.items():
        assert "groot" in stelling and "klein" in stelling, (rid, stelling)


def test_rv5_houdt_het_woord_uit_de_bron(vragenlijsten, kaders):
    assert "informatiedrager" in kaders[MOV].criterium("rv5-informatiedragers").tekst
    for rid, stelling in _stellingen(vragenlijsten, MOV, "rv5-informatiedragers").items():
        assert "informatiedrager" in stelling, (rid, stelling)


def test_politie_c1_is_niet_rondgedraaid(vragenlijsten):
    stelling = _stellingen(vragenlijsten, STJ, "c1-signalering")["politie"]
    assert "zien dat" not in stelling and "merken" in stelling


@pytest.mark.parametrize("rol, citaat", [
    ("huisarts", "duidende instanties zoals de huisarts"),
    ("kinderopvang", "kinderdagverblijven en schuldhulpverleners"),
])
def test_huisarts_en_kinderopvang_staan_in_de_bron(vragenlijsten, rol, citaat):
    lijst = vragenlijsten.lijsten[rol]
    assert lijst.rol.naam and lijst.rol.omschrijving
    bron = lijst.rol.bron
    assert bron is not None and register().document(bron.bestand) is not None
    # the section the rol cites holds the words it is grounded in
    tekst = " ".join((BRONNEN / bron.bestand).read_text(encoding="utf-8").split())
    assert citaat in tekst
    assert ("§4.1" if rol == "huisarts" else "§1.2") in bron.sectie
    assert rol in VOLGORDE
    assert "c1-signalering" in {v.criterium_id for v in lijst.voor_kader(STJ)}


def test_kinderopvang_signaleert_en_leidt_niet_toe(vragenlijsten):
    """Like onderwijs and politie a signalerende partij (002 §1.2): no c2."""
    crit = {v.criterium_id for v in vragenlijsten.lijsten["kinderopvang"].voor_kader(STJ)}
    assert "c2-toeleiding" not in crit and {"c1-signalering", "c3-veiligheid-signalering"} <= crit


def test_elke_rolgroep_houdt_een_eigen_vorm_en_streep(vragenlijsten):
    """Charts never rely on colour alone: with every rol plus 'alle respondenten' no
    point shape or dash repeats."""
    groepen = len(vragenlijsten.lijsten) + 1
    assert groepen <= len(VORMEN) == len(set(VORMEN))
    assert groepen <= len(STREEPJES) == len({tuple(s) for s in STREEPJES})
