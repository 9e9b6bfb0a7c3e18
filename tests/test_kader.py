"""Kader loading, faithfulness to the sources, and every validation error."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kader import laad_kaders
from kader.yamlbron import MAX_BYTES, YamlFout, lees_yaml

ROOT = Path(__file__).resolve().parent.parent
BRONNEN = ROOT.parent / "shared" / "bronnen"
STJ_YAML = (ROOT / "kader" / "stj-stelseltoezicht-jeugd.yaml").read_text(encoding="utf-8")


def _schrijf(tmp_path: Path, naam: str, tekst: str) -> Path:
    pad = tmp_path / naam
    pad.write_text(tekst, encoding="utf-8")
    return pad


def _fouten(tmp_path, tekst, naam="kapot.yaml"):
    res = laad_kaders([_schrijf(tmp_path, naam, tekst)])
    return res


# --- the real kaders ---------------------------------------------------------

def test_stj_counts(stj):
    assert stj.samenvatting() == "stj-stelseltoezicht-jeugd: 2 thema's, 4 criteria, 15 indicatoren"
    assert [t.titel for t in stj.themas] == ["Jeugdigen in beeld", "Jeugdigen in zorg en ondersteuning"]
    assert [len(t.criteria) for t in stj.themas] == [3, 1]
    assert [len(c.indicatoren) for c in stj.criteria] == [3, 3, 4, 5]


def test_robuuste_netwerken_counts(kaders):
    rn = kaders["robuuste-netwerken"]
    assert rn.samenvatting() == "robuuste-netwerken: 9 succesfactoren, 5 randvoorwaarden"
    assert all(c.soort in ("succesfactor", "randvoorwaarde") for c in rn.criteria)


def test_every_item_has_a_bron_that_exists(kaders):
    bestanden = {p.name for p in BRONNEN.glob("*.txt")}
    for kader in kaders.values():
        assert kader.bron.bestand in bestanden
        for thema in kader.themas:
            assert thema.bron.bestand in bestanden
            for c in thema.criteria:
                assert c.bron.bestand in bestanden and c.bron.sectie
                for v in c.verwachtingen:
                    assert v.bron.bestand in bestanden and "Verwachtingen" in v.bron.sectie


def _plat(tekst: str) -> str:
    """Normalise whitespace, HTML tags and footnote digits so text can be compared with the OCR."""
    tekst = re.sub(r"<[^>]+>", " ", tekst)
    tekst = re.sub(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]", "", tekst)
    return re.sub(r"\s+", " ", tekst).replace(" /", "/").strip()


@pytest.mark.skipif(not BRONNEN.is_dir(), reason="shared/bronnen ontbreekt naast de repository")
def test_stj_texts_are_verbatim_from_bijlage_1(stj):
    """Criteria, indicatoren and verwachtingen appear word for word in 002 (bar the OCR fixes)."""
    bron = _plat((BRONNEN / "002_7cda73b5febe7485.txt").read_text(encoding="utf-8"))
    # the three text fixes we made: two OCR slips and a stray word
    bron = (bron.replace("wordt dit signaleerd", "wordt dit gesignaleerd").replace("jeugdige/gezin is.", "jeugdige/gezin.")
            .replace("doorzettingmacht", "doorzettingsmacht"))
    for c in stj.criteria:
        # criterium 2's text is split over a page break in the OCR, and c3-i4 too
        delen = [c.tekst] if c.id not in ("c2-toeleiding",) else c.tekst.split(" toegeleid")[:1]
        for deel in delen:
            assert _plat(deel) in bron, deel
        for ind in c.indicatoren:
            tekst = ind.tekst.split(" tijdens de toeleiding")[0]
            if ind.id == "c2-i2":
                tekst = tekst.split(" zorg en ondersteuning wordt")[0]
            assert _plat(tekst) in bron, ind.id
        for v in c.verwachtingen:
            assert _plat(v.tekst) in bron, v.tekst[:60]


@pytest.mark.skipif(not BRONNEN.is_dir(), reason="shared/bronnen ontbreekt naast de repository")
def test_movisie_items_are_from_004(kaders):
    bron = _plat((BRONNEN / "004_cb9444ee05973ff1.txt").read_text(encoding="utf-8"))
    for c in kaders["robuuste-netwerken"].criteria:
        tekst = _plat(c.tekst)
        if c.id == "sf4-korte-lijnen":  # OCR had "elkaar(s) werk)"
            tekst = tekst.replace("elkaar(s werk)", "elkaar(s) werk)")
        assert tekst in bron, c.id


HR = "holland-rijnland-zorg-en-veiligheid"


def _hr_sectie() -> str:
    """The Holland Rijnland criteria in 004 §3: from their heading up to chapter 4."""
    bron = (BRONNEN / "004_cb9444ee05973ff1.txt").read_text(encoding="utf-8")
    begin = bron.index("Criteria samenwerking Holland Rijnland")
    return bron[begin:bron.index("4. Succesfactoren en aandachtspunten", begin)]


def test_holland_rijnland_counts(kaders):
    hr = kaders[HR]
    assert hr.samenvatting() == f"{HR}: 2 thema's, 13 criteria"
    assert [t.titel for t in hr.themas] == ["Samenwerking zorg en veiligheid (proces)", "Zorg- en veiligheidsaanpak (inhoud)"]
    assert [len(t.criteria) for t in hr.themas] == [7, 6]
    assert all(c.soort == "criterium" and not c.indicatoren for c in hr.criteria)


def test_holland_rijnland_items_are_from_004(kaders):
    """Every thema title and criterium text stands word for word in 004 §3, under its own thema."""
    sectie = _hr_sectie()
    hr = kaders[HR]
    for thema, volgende in zip(hr.themas, [*hr.themas[1:], None], strict=True):
        assert thema.titel in sectie and thema.bron.bestand == "004_cb9444ee05973ff1.txt"
        deel = sectie[sectie.index(thema.titel):sectie.index(volgende.titel) if volgende else None]
        bullets = [_plat(r.lstrip("- ")) for r in deel.splitlines() if r.startswith("- ")]
        assert [_plat(c.tekst) for c in thema.criteria] == bullets, thema.id
        assert all("Holland Rijnland" in c.bron.sectie for c in thema.criteria)


def test_holland_rijnland_is_not_stj(kaders):
    from kader.model import koppen

    hr = kaders[HR]
    assert not hr.is_stj and hr.herkomst == "onderzoek"
    assert "Holland Rijnland" in hr.titel and "Holland Rijnland" in hr.omschrijving
    assert "STJ" not in hr.titel and "STJ" not in hr.omschrijving
    assert "projectplan Ketenaanpak Jeugd" in _plat(hr.omschrijving)
    assert {koppen(hr, c).item for c in hr.criteria} == {"Criterium"}
    assert [k.id for k in kaders.values() if k.is_stj] == ["stj-stelseltoezicht-jeugd"]


def test_holland_rijnland_has_a_statement_per_criterium_for_every_rol(kaders, vragenlijsten):
    hr = kaders[HR]
    met_hr = [lijst for lijst in vragenlijsten.lijsten.values() if HR in lijst.kader_ids]
    assert met_hr
    for lijst in met_hr:
        vragen = lijst.voor_kader(HR)
        assert [v.criterium_id for v in vragen] == [c.id for c in hr.criteria], lijst.rol.id
        for v in vragen:  # faithful: most of the criterium's content words are in its statement
            woorden = [w for w in re.findall(r"\w+", hr.criterium(v.criterium_id).tekst.lower()) if len(w) >= 5]
            gevonden = [w for w in woorden if w in v.stelling.lower()]
            assert gevonden and len(gevonden) >= len(woorden) / 2, (lijst.rol.id, v.criterium_id, woorden)
    # one statement per criterium: no two criteria share a statement
    stellingen = [v.stelling for v in met_hr[0].voor_kader(HR)]
    assert len(set(stellingen)) == len(stellingen)


def test_ids_are_unique_and_stable(kaders):
    for kader in kaders.values():
        ids = [t.id for t in kader.themas] + [c.id for c in kader.criteria] + [i.id for c in kader.criteria for i in c.indicatoren]
        assert len(ids) == len(set(ids))
    assert [c.id for c in kaders["stj-stelseltoezicht-jeugd"].criteria] == [
        "c1-signalering", "c2-toeleiding", "c3-veiligheid-signalering", "c4-veiligheid-in-zorg"]


def test_scale_has_four_points_and_two_unscored(stj):
    assert stj.schaal.waarden == (1, 2, 3, 4)
    assert [g.waarde for g in stj.schaal.geen_oordeel] == ["weet_niet", "nvt"]
    assert all(p.label and p.omschrijving for p in stj.schaal.punten)


# --- validation errors -------------------------------------------------------

def test_yaml_syntax_error_names_file_and_line(tmp_path):
    res = _fouten(tmp_path, "soort: kader\nid: x\n  titel: [\n")
    assert not res.kaders
    (fout,) = res.fouten
    assert fout.bestand.endswith("kapot.yaml") and fout.regel == 3
    assert "YAML-syntaxfout" in str(fout)


def test_missing_field_names_the_path(tmp_path):
    tekst = STJ_YAML.replace("        kort: Adequate toeleiding naar zorg\n", "")
    res = _fouten(tmp_path, tekst)
    assert not res.kaders
    assert any(f.veld == "themas[0].criteria[1].kort" and "ontbreekt" in f.bericht for f in res.fouten)
    fout = next(f for f in res.fouten if f.veld.endswith(".kort"))
    assert STJ_YAML.splitlines()[fout.regel - 1].strip().startswith("- id: c2-toeleiding")


def test_wrong_type(tmp_path):
    tekst = STJ_YAML.replace("sterk_punt_vanaf: 3", "sterk_punt_vanaf: hoog")
    (fout,) = _fouten(tmp_path, tekst).fouten
    assert fout.veld == "sterk_punt_vanaf" and "geheel getal" in fout.bericht
    assert fout.regel == STJ_YAML.splitlines().index("sterk_punt_vanaf: 3") + 1


def test_duplicate_id(tmp_path):
    tekst = STJ_YAML.replace("- id: c2-i3", "- id: c2-i1")
    (fout,) = _fouten(tmp_path, tekst).fouten
    assert "dubbel" in fout.bericht and "c2-i1" in fout.bericht
    assert fout.veld == "themas[0].criteria[1].indicatoren[2].id"


def test_duplicate_key(tmp_path):
    tekst = STJ_YAML.replace("versie: \"2016.1\"\n", "versie: \"2016.1\"\nversie: \"2\"\n")
    (fout,) = _fouten(tmp_path, tekst).fouten
    regel = STJ_YAML.splitlines().index('versie: "2016.1"') + 2  # the repeated line, 1-based
    assert "twee keer" in fout.bericht and fout.regel == regel


def test_dangling_scale_reference(tmp_path):
    (fout,) = _fouten(tmp_path, STJ_YAML.replace("schaal: vierpunts", "schaal: tienpunts")).fouten
    assert fout.veld == "schaal" and "tienpunts" in fout.bericht and "onbekende antwoordschaal" in fout.bericht


def test_unknown_scale_value(tmp_path):
    (fout,) = _fouten(tmp_path, STJ_YAML.replace("sterk_punt_vanaf: 3", "sterk_punt_vanaf: 7")).fouten
    assert "onbekende schaalwaarde 7" in fout.bericht


def test_unknown_field(tmp_path):
    (fout,) = _fouten(tmp_path, STJ_YAML.replace("    titel: Jeugdigen in beeld\n", "    titel: Jeugdigen in beeld\n    tittel: x\n")).fouten
    assert "onbekend veld 'tittel'" in fout.bericht


def test_alias_bomb_refused(tmp_path):
    bom = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))
    (fout,) = _fouten(tmp_path, bom).fouten
    assert "aliassen" in fout.bericht and fout.regel == 1


def test_huge_file_refused(tmp_path):
    tekst = "soort: kader\nomschrijving: " + "x" * (10 * 1024 * 1024) + "\n"  # a 10 MB file
    assert len(tekst.encode()) > MAX_BYTES
    (fout,) = _fouten(tmp_path, tekst).fouten
    assert "te groot" in fout.bericht


def test_one_broken_file_keeps_the_others(tmp_path):
    kapot = _schrijf(tmp_path, "kapot.yaml", "soort: kader\nid: [\n")
    res = laad_kaders([ROOT / "kader" / "robuuste-netwerken.yaml", kapot])
    assert list(res.kaders) == ["robuuste-netwerken"]
    assert len(res.fouten) == 1


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_data_or_a_dutch_error(tekst):
    """Property: the reader never crashes with anything but YamlFout."""
    try:
        lees_yaml(tekst, "willekeurig.yaml")
    except YamlFout as e:
        assert str(e).startswith("willekeurig.yaml")


# --- command line ------------------------------------------------------------

def _cli(*args):
    return subprocess.run([sys.executable, "-m", "kader", *args], cwd=ROOT, capture_output=True, text=True)


def test_cli_check_prints_counts():
    uit = _cli("check")
    assert uit.returncode == 0, uit.stderr
    assert "stj-stelseltoezicht-jeugd: 2 thema's, 4 criteria, 15 indicatoren" in uit.stdout
    assert "robuuste-netwerken: 9 succesfactoren, 5 randvoorwaarden" in uit.stdout
    assert "holland-rijnland-zorg-en-veiligheid: 2 thema's, 13 criteria" in uit.stdout


def test_cli_check_broken_file_exit_1(tmp_path):
    kapot = _schrijf(tmp_path, "kapot.yaml", STJ_YAML.replace("schaal: vierpunts", "schaal: 12"))
    uit = _cli("check", str(kapot))
    assert uit.returncode == 1
    regel = STJ_YAML.splitlines().index("schaal: vierpunts") + 1
    assert f"kapot.yaml, regel {regel}, veld schaal" in uit.stderr


def test_cli_show_json():
    uit = _cli("show", "stj-stelseltoezicht-jeugd", "--json")
    assert uit.returncode == 0
    data = json.loads(uit.stdout)
    assert data["id"] == "stj-stelseltoezicht-jeugd"
    assert sum(len(c["indicatoren"]) for t in data["themas"] for c in t["criteria"]) == 15


def test_cli_show_unknown():
    uit = _cli("show", "bestaat-niet")
    assert uit.returncode == 1 and "onbekend kader" in uit.stderr


def test_stj_comes_first_in_every_page(kaders):
    """Pages and reports open on the STJ toezichtkader, also now that another kader has criteria."""
    from kader.model import rapportvolgorde

    volgorde = rapportvolgorde(kaders, kaders)
    assert volgorde[0].is_stj
    met_criteria = [k.id for k in volgorde if any(c.soort == "criterium" for c in k.criteria)]
    assert [k.id for k in volgorde][:len(met_criteria)] == met_criteria  # then kaders with criteria
