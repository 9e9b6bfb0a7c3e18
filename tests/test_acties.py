"""Verbeteracties: loading, faithfulness to the sources, every validation error, suggesties, CLI."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from kader import ACTIES_PAD, NIVEAUS, Actie, Bron, laad_acties, laad_kaders, suggesties
from kader.acties import is_actiesbestand, samenvatting, tellingen

ROOT = Path(__file__).resolve().parent.parent
BRONNEN = ROOT.parent / "shared" / "bronnen"
nodig_bronnen = pytest.mark.skipif(not BRONNEN.is_dir(), reason="shared/bronnen ontbreekt naast de repository")

STJ = "stj-stelseltoezicht-jeugd"
RN = "robuuste-netwerken"
B002 = "002_7cda73b5febe7485.txt"
B004 = "004_cb9444ee05973ff1.txt"
B000 = "000_5674429497a068b9.txt"
B001 = "001_494f8f2fa7a156c8.txt"

# Obvious OCR slips fixed in acties.yaml (applied to the source before comparing).
OCR_FIXES = {
    "volgljst": "volglijst",
    "stageneren": "stagneren",
    "gelijkloidend": "gelijkluidend",
    "2^e": "2e",
    "Zorg voor goede verbindingen - tussen": "Zorg voor goede verbindingen tussen",  # list break in the OCR
}
WEGLATING = " […] "  # separates non-adjacent source fragments in `oorspronkelijk`


@pytest.fixture(scope="module")
def acties(kaders):
    uit, fouten = laad_acties(kaders)
    assert not fouten, [str(f) for f in fouten]
    return uit


def _plat(tekst: str) -> str:
    """Normalise whitespace, HTML tags, footnote digits and '/ ' so text can be compared with the OCR."""
    tekst = re.sub(r"<[^>]+>", " ", tekst)
    tekst = re.sub(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]", "", tekst)
    return re.sub(r"\s+", " ", tekst).replace(" /", "/").replace("/ ", "/").strip()


def _bron(bestand: str) -> str:
    tekst = _plat((BRONNEN / bestand).read_text(encoding="utf-8"))
    for fout, goed in OCR_FIXES.items():
        tekst = tekst.replace(fout, goed)
    return tekst


def _regels(bestand: str, van: str, tot: str) -> list[str]:
    """The lines of a source strictly between the first line equal to `van` and the next equal to `tot`."""
    regels = (BRONNEN / bestand).read_text(encoding="utf-8").splitlines()
    start = next(i for i, r in enumerate(regels) if r.strip() == van)
    eind = next(i for i, r in enumerate(regels) if i > start and r.strip().startswith(tot))
    return regels[start + 1:eind]


def _opsomming(regels: list[str]) -> list[str]:
    return [r.strip()[2:] for r in regels if r.strip().startswith("- ")]


def _passend(bronregel: str, actie: Actie) -> bool:
    """Does the source item equal the action's text, its `oorspronkelijk`, or one fragment of it?"""
    doel = _plat(bronregel).rstrip(".")
    for fout, goed in OCR_FIXES.items():
        doel = doel.replace(fout, goed)
    kandidaten = [actie.tekst, actie.oorspronkelijk, *actie.oorspronkelijk.split(WEGLATING.strip())]
    return any(k and _plat(k).rstrip(".") == doel for k in kandidaten)


def _van(acties, bestand: str) -> list[Actie]:
    return [a for a in acties if a.bron.bestand == bestand]


# --- the real file: counts and traceability -----------------------------------

def test_real_file_loads_and_counts(acties):
    assert tellingen(acties) == {"002": 6, "004": 30, "000": 10, "001": 11}
    assert samenvatting(acties) == "acties: 57 acties (002: 6, 004: 30, 000: 10, 001: 11)"


def test_every_bron_exists_and_has_a_section(acties):
    bestanden = {p.name for p in BRONNEN.glob("*.txt")} if BRONNEN.is_dir() else {B000, B001, B002, B004}
    for a in acties:
        assert a.bron.bestand in bestanden, a.id
        assert a.bron.sectie, a.id


def test_ids_niveaus_and_criteria(acties):
    ids = [a.id for a in acties]
    assert len(ids) == len(set(ids))
    for a in acties:
        assert a.niveau in NIVEAUS
        assert 1 <= len(a.criteria) <= 3, a.id  # conservative mapping: one to three criteria
        assert a.herschreven == bool(a.oorspronkelijk), a.id


def test_only_002_is_labelled_stj(acties):
    for a in acties:
        assert a.id.startswith("stj-") == (a.bron.bestand == B002), a.id
        if a.bron.bestand == B002:
            assert all(k == STJ for k, _ in a.criteria), a.id


def test_every_kader_item_has_suggestions(acties, kaders):
    """Not required by the format, but a criterium without any suggestion would be a content gap."""
    for kader in kaders.values():
        for c in kader.criteria:
            assert suggesties(acties, kader.id, c.id), f"{kader.id}/{c.id}"


@nodig_bronnen
def test_all_bullets_of_002_section_6_2(acties):
    bullets = _opsomming(_regels(B002, "6.2 Aanbevelingen", "6.3 Vervolg"))
    assert len(bullets) == 6
    eigen = _van(acties, B002)
    assert len(eigen) == len(bullets)
    for b in bullets:
        assert sum(_passend(b, a) for a in eigen) == 1, b[:60]
    assert all("§6.2" in a.bron.sectie for a in eigen)


@nodig_bronnen
def test_all_recommendations_of_004_section_5(acties):
    bullets = _opsomming(_regels(B004, "5. Conclusies en aanbevelingen", "Bijlage 1."))
    assert len(bullets) == 23  # 8 cliënt/uitvoering, 8 management, 7 beleid/bestuur
    vijf = [a for a in _van(acties, B004) if a.bron.sectie.startswith("§5")]
    assert len(vijf) == len(bullets)
    for b in bullets:
        assert sum(_passend(b, a) for a in vijf) == 1, b[:60]
    vier = [a for a in _van(acties, B004) if a.bron.sectie.startswith("§4")]
    assert vier and all("aandachtspunten" in a.bron.sectie for a in vier)


@nodig_bronnen
def test_ten_recommendations_of_000_chapter_4(acties):
    regels = _regels(B000, "Wij bevelen dan ook het volgende aan:", "BIJLAGEN")
    items: list[str] = []
    for r in regels:
        if re.match(r"^\s*\d+\. ", r):
            items.append(re.sub(r"^\s*\d+\. ", "", r))
        elif r.strip() and items:
            items[-1] += " " + r.strip()  # the OCR broke recommendation 5 over a list item
    assert len(items) == 10
    eigen = _van(acties, B000)
    assert len(eigen) == 10
    for nummer, (item, actie) in enumerate(zip(items, eigen), start=1):
        assert actie.herschreven and _passend(item, actie), nummer
        assert actie.bron.sectie.endswith(f"aanbeveling {nummer}")


@nodig_bronnen
def test_all_dos_of_001_chapter_3(acties):
    regels = (BRONNEN / B001).read_text(encoding="utf-8").splitlines()
    dos: list[str] = []
    for i, r in enumerate(regels):
        if "Do's" in r and r.lstrip().startswith("#"):
            for volgende in regels[i + 1:]:
                if volgende.lstrip().startswith("#"):
                    break
                if volgende.strip():
                    dos.append(volgende.strip())
    assert len(dos) == 11  # 3 inhoudelijke visie, 3 wie doet wat, 5 gedeelde visie op veranderingen
    eigen = _van(acties, B001)
    assert len(eigen) == 11
    for d in dos:
        assert sum(_passend(d, a) for a in eigen) == 1, d[:60]


@nodig_bronnen
def test_texts_are_faithful(acties):
    """Verbatim texts occur in their source; rephrased ones keep the source text in `oorspronkelijk`."""
    for a in acties:
        bron = _bron(a.bron.bestand)
        if a.herschreven:
            assert _plat(a.tekst) not in bron, f"{a.id} is letterlijk; dan niet als herschreven markeren"
            for deel in a.oorspronkelijk.split(WEGLATING.strip()):
                assert _plat(deel).rstrip(".") in bron, (a.id, deel[:60])
        else:
            assert _plat(a.tekst).rstrip(".") in bron, a.id


@nodig_bronnen
def test_non_rephrased_002_texts_are_verbatim(acties):
    bron = _bron(B002)
    letterlijk = [a for a in _van(acties, B002) if not a.herschreven]
    assert letterlijk
    for a in letterlijk:
        assert _plat(a.tekst) in bron, a.id


def test_historical_bodies_only_in_oorspronkelijk(acties):
    verouderd = re.compile(
        r"\b(BJZ|Bureau Jeugdzorg|AMK|Advies- en Meldpunt|zorgadviesteam|ZAT|JOT|kernteams?|"
        r"buurtnetwerken|Drentse Verwijs Index|Assen)\b|(?<!Zorg- en )\bVeiligheidshuis",
        re.IGNORECASE,
    )
    for a in acties:
        assert not verouderd.search(a.tekst), (a.id, verouderd.search(a.tekst).group(0))


@nodig_bronnen
def test_no_names_of_people(acties):
    """000 is internal: no names of people. Names are found in the sources, never listed here."""
    namen: set[str] = set()
    for pad in BRONNEN.glob("*.txt"):
        tekst = pad.read_text(encoding="utf-8")
        namen |= set(re.findall(r"\b(?:Mw|Dhr|Mevr|mevrouw|de heer)\.?\s+(?:[A-Z]\.\s*)+([A-Z][a-z]+)", tekst))
    assert len(namen) > 10  # the pattern finds the respondent lists
    for a in acties:
        woorden = set(re.findall(r"\w+", f"{a.tekst} {a.oorspronkelijk} {a.bron.sectie}"))
        assert not woorden & namen, (a.id, woorden & namen)


# --- validation errors ---------------------------------------------------------

GELDIG = """\
soort: acties
acties:
  - id: a-een
    tekst: Eerste actie.
    niveau: beleid-bestuur
    criteria:
      - {kader: stj-stelseltoezicht-jeugd, criterium: c1-signalering}
    bron: {bestand: 002_7cda73b5febe7485.txt, sectie: "§6.2"}
  - id: a-twee
    tekst: Tweede actie.
    niveau: uitvoering
    criteria:
      - {kader: stj-stelseltoezicht-jeugd, criterium: c1-signalering}
    bron: {bestand: 002_7cda73b5febe7485.txt, sectie: "§6.2"}
  - id: a-drie
    tekst: Derde actie.
    niveau: management
    criteria:
      - {kader: stj-stelseltoezicht-jeugd, criterium: c2-toeleiding}
      - {kader: stj-stelseltoezicht-jeugd, criterium: c1-signalering}
    bron: {bestand: 004_cb9444ee05973ff1.txt, sectie: "§5"}
  - id: a-vier
    tekst: Vierde actie.
    niveau: uitvoering
    criteria:
      - {kader: robuuste-netwerken, criterium: sf4-korte-lijnen}
    bron: {bestand: 004_cb9444ee05973ff1.txt, sectie: "§4"}
  - id: a-vijf
    tekst: Vijfde actie.
    niveau: uitvoering
    criteria:
      - {kader: stj-stelseltoezicht-jeugd, criterium: c1-signalering}
    bron: {bestand: 000_5674429497a068b9.txt, sectie: "Hoofdstuk 4"}
    herschreven: true
    oorspronkelijk: De oude tekst.
    reden: De bron noemt een instantie die niet meer bestaat.
"""


def _laad(tmp_path, kaders, tekst, naam="acties-test.yaml"):
    pad = tmp_path / naam
    pad.write_text(tekst, encoding="utf-8")
    return laad_acties(kaders, pad)


def _regel(tekst: str, stuk: str) -> int:
    return next(i for i, r in enumerate(tekst.splitlines(), start=1) if stuk in r)


def test_valid_example(tmp_path, kaders):
    acties, fouten = _laad(tmp_path, kaders, GELDIG)
    assert not fouten
    assert [a.id for a in acties] == ["a-een", "a-twee", "a-drie", "a-vier", "a-vijf"]
    assert acties[2].criteria == ((STJ, "c2-toeleiding"), (STJ, "c1-signalering"))
    assert acties[0].bron == Bron(B002, "§6.2")
    assert acties[4].herschreven and acties[4].oorspronkelijk == "De oude tekst."
    assert acties[4].reden == "De bron noemt een instantie die niet meer bestaat."
    assert not acties[0].herschreven and acties[0].oorspronkelijk == "" and acties[0].reden == ""


def test_unknown_criterium_names_line_and_field(tmp_path, kaders):
    tekst = GELDIG.replace("sf4-korte-lijnen", "sf4-lange-lijnen")
    acties, fouten = _laad(tmp_path, kaders, tekst)
    (fout,) = fouten
    assert fout.veld == "acties[3].criteria[0].criterium"
    assert fout.regel == _regel(tekst, "sf4-lange-lijnen")
    assert fout.bestand.endswith("acties-test.yaml")
    assert "onbekend criterium 'sf4-lange-lijnen'" in fout.bericht and RN in fout.bericht
    assert f"regel {fout.regel}, veld acties[3].criteria[0].criterium" in str(fout)
    assert [a.id for a in acties] == ["a-een", "a-twee", "a-drie", "a-vijf"]  # the others still load


def test_criterium_of_the_other_kader_is_unknown(tmp_path, kaders):
    (fout,) = _laad(tmp_path, kaders, GELDIG.replace("{kader: robuuste-netwerken, criterium: sf4", "{kader: stj-stelseltoezicht-jeugd, criterium: sf4"))[1]
    assert fout.veld == "acties[3].criteria[0].criterium"


def test_unknown_kader(tmp_path, kaders):
    tekst = GELDIG.replace("{kader: robuuste-netwerken,", "{kader: robuste-netwerken,")
    (fout,) = _laad(tmp_path, kaders, tekst)[1]
    assert fout.veld == "acties[3].criteria[0].kader" and "onbekend kader 'robuste-netwerken'" in fout.bericht
    assert "robuuste-netwerken" in fout.bericht  # lists the known kaders


def test_duplicate_id(tmp_path, kaders):
    tekst = GELDIG.replace("- id: a-drie", "- id: a-een")
    acties, fouten = _laad(tmp_path, kaders, tekst)
    (fout,) = fouten
    assert fout.veld == "acties[2].id" and "dubbel" in fout.bericht and "a-een" in fout.bericht
    assert f"regel {_regel(GELDIG, '- id: a-een')}" in fout.bericht
    assert [a.id for a in acties].count("a-een") == 1


def test_bad_niveau(tmp_path, kaders):
    tekst = GELDIG.replace("niveau: management", "niveau: directie")
    (fout,) = _laad(tmp_path, kaders, tekst)[1]
    assert fout.veld == "acties[2].niveau" and fout.regel == _regel(tekst, "niveau: directie")
    assert "onbekend niveau 'directie'" in fout.bericht and "uitvoering, management, beleid-bestuur" in fout.bericht


def test_missing_tekst(tmp_path, kaders):
    tekst = GELDIG.replace("    tekst: Tweede actie.\n", "")
    (fout,) = _laad(tmp_path, kaders, tekst)[1]
    assert fout.veld == "acties[1].tekst" and "verplicht veld ontbreekt" in fout.bericht
    assert fout.regel == _regel(tekst, "- id: a-twee")


def test_empty_criteria(tmp_path, kaders):
    tekst = GELDIG.replace(
        "    criteria:\n      - {kader: robuuste-netwerken, criterium: sf4-korte-lijnen}\n", "    criteria: []\n")
    (fout,) = _laad(tmp_path, kaders, tekst)[1]
    assert fout.veld == "acties[3].criteria" and "mag niet leeg" in fout.bericht


def test_wrong_types(tmp_path, kaders):
    _, fouten = _laad(tmp_path, kaders, GELDIG.replace("herschreven: true", "herschreven: misschien"))
    assert [f.veld for f in fouten] == ["acties[4].herschreven", "acties[4].herschreven", "acties[4].reden"]
    assert "verwacht ja/nee, gevonden tekst" in fouten[0].bericht
    tekst = GELDIG.replace(
        "    criteria:\n      - {kader: robuuste-netwerken, criterium: sf4-korte-lijnen}\n", "    criteria: sf4-korte-lijnen\n")
    (fout,) = _laad(tmp_path, kaders, tekst)[1]
    assert fout.veld == "acties[3].criteria" and "verwacht lijst, gevonden tekst" in fout.bericht
    assert fout.regel == _regel(tekst, "criteria: sf4-korte-lijnen")
    (fout,) = _laad(tmp_path, kaders, GELDIG.replace("    tekst: Eerste actie.", "    tekst: [Eerste, actie]"))[1]
    assert fout.veld == "acties[0].tekst" and "verwacht tekst, gevonden lijst" in fout.bericht


def test_herschreven_needs_oorspronkelijk(tmp_path, kaders):
    (fout,) = _laad(tmp_path, kaders, GELDIG.replace("    oorspronkelijk: De oude tekst.\n", ""))[1]
    assert fout.veld == "acties[4].oorspronkelijk" and "herschreven" in fout.bericht
    fouten = _laad(tmp_path, kaders, GELDIG.replace("    herschreven: true\n", ""))[1]
    assert {f.veld for f in fouten} == {"acties[4].herschreven", "acties[4].reden"}


def test_herschreven_needs_a_reason_and_a_reason_needs_herschreven(tmp_path, kaders):
    zonder = GELDIG.replace("    reden: De bron noemt een instantie die niet meer bestaat.\n", "")
    acties, fouten = _laad(tmp_path, kaders, zonder)
    (fout,) = fouten
    assert fout.veld == "acties[4].reden" and "verplicht bij 'herschreven: true'" in fout.bericht
    assert fout.bestand.endswith("acties-test.yaml") and fout.regel == _regel(zonder, "id: a-vijf")  # the action that lacks it
    assert "a-vijf" not in [a.id for a in acties]
    leeg = GELDIG.replace("reden: De bron noemt een instantie die niet meer bestaat.", 'reden: "  "')
    assert [f.veld for f in _laad(tmp_path, kaders, leeg)[1]] == ["acties[4].reden"]
    los = GELDIG.replace("    bron: {bestand: 004_cb9444ee05973ff1.txt, sectie: \"§4\"}\n",
                         "    bron: {bestand: 004_cb9444ee05973ff1.txt, sectie: \"§4\"}\n    reden: Zomaar.\n")
    (fout,) = _laad(tmp_path, kaders, los)[1]
    assert fout.veld == "acties[3].reden" and "'herschreven: true' ontbreekt" in fout.bericht
    assert fout.regel == _regel(los, "reden: Zomaar.")


def test_every_rewritten_action_says_why(acties):
    """The reason is an honest sentence of its own, never the blanket phrase of old."""
    herschreven = [a for a in acties if a.herschreven]
    assert len(herschreven) >= 20
    for a in herschreven:
        assert a.reden and a.reden[0].isupper() and a.reden.endswith("."), a.id
        assert "aangepast aan de huidige organisatie" not in a.reden
    assert all(not a.reden for a in acties if not a.herschreven)
    assert len({a.reden for a in herschreven}) > len(herschreven) // 2  # per action, not one blanket text


def test_unknown_field_and_duplicate_criterium(tmp_path, kaders):
    (fout,) = _laad(tmp_path, kaders, GELDIG.replace("    niveau: uitvoering\n", "    niveau: uitvoering\n    prioriteit: hoog\n", 1))[1]
    assert fout.veld == "acties[1].prioriteit" and "onbekend veld 'prioriteit'" in fout.bericht
    dubbel = GELDIG.replace("criterium: c2-toeleiding}", "criterium: c1-signalering}")
    (fout,) = _laad(tmp_path, kaders, dubbel)[1]
    assert fout.veld == "acties[2].criteria[1]" and "twee keer" in fout.bericht


def test_yaml_syntax_error_and_wrong_soort(tmp_path, kaders):
    acties, (fout,) = _laad(tmp_path, kaders, GELDIG.replace("    niveau: management", "    niveau: [management"))
    assert not acties and "YAML-syntaxfout" in fout.bericht and fout.regel > 0
    acties, (fout,) = _laad(tmp_path, kaders, GELDIG.replace("soort: acties", "soort: kader"))
    assert not acties and fout.veld == "soort" and fout.regel == 1
    acties, (fout,) = _laad(tmp_path, kaders, "- een\n- lijst\n")
    assert not acties and "verzameling velden" in fout.bericht
    acties, (fout,) = laad_acties(kaders, tmp_path / "bestaat-niet.yaml")
    assert not acties and "kan niet gelezen worden" in fout.bericht


def test_unknown_criterium_without_kaders(tmp_path):
    """With no kaders loaded every reference is an error, never a crash."""
    acties, fouten = _laad(tmp_path, {}, GELDIG)
    assert not acties and len(fouten) == 6 and all("onbekend kader" in f.bericht for f in fouten)


# --- suggesties ----------------------------------------------------------------

def test_suggesties_order(tmp_path, kaders):
    acties, _ = _laad(tmp_path, kaders, GELDIG)
    # uitvoering (file order: a-twee, a-vijf), then management, then beleid-bestuur
    assert [a.id for a in suggesties(acties, STJ, "c1-signalering")] == ["a-twee", "a-vijf", "a-drie", "a-een"]
    assert [a.id for a in suggesties(acties, STJ, "c2-toeleiding")] == ["a-drie"]
    assert [a.id for a in suggesties(acties, RN, "sf4-korte-lijnen")] == ["a-vier"]
    assert suggesties(acties, RN, "c1-signalering") == []
    assert suggesties((), STJ, "c1-signalering") == []


def test_suggesties_on_the_real_file(acties):
    uit = suggesties(acties, STJ, "c4-veiligheid-in-zorg")
    assert [NIVEAUS.index(a.niveau) for a in uit] == sorted(NIVEAUS.index(a.niveau) for a in uit)
    assert "stj-62-meldcode-kindcheck" in [a.id for a in uit]
    volgorde = [a.id for a in acties]
    for niveau in NIVEAUS:
        binnen = [a.id for a in uit if a.niveau == niveau]
        assert binnen == sorted(binnen, key=volgorde.index)


# --- kader loading is not disturbed by acties.yaml ------------------------------

def test_acties_file_is_not_read_as_a_kader():
    assert ACTIES_PAD.is_file() and is_actiesbestand(ACTIES_PAD)
    res = laad_kaders()
    kaderbestanden = {p.stem for p in ACTIES_PAD.parent.glob("*.yaml") if "soort: kader" in p.read_text(encoding="utf-8")}
    assert not res.fouten and set(res.kaders) == kaderbestanden and {STJ, RN} <= kaderbestanden


# --- command line --------------------------------------------------------------

def _cli(*args):
    return subprocess.run([sys.executable, "-m", "kader", *args], cwd=ROOT, capture_output=True, text=True)


def test_cli_check_prints_acties_line(acties):
    uit = _cli("check")
    assert uit.returncode == 0, uit.stderr
    regels = uit.stdout.splitlines()
    # one line per kader first, then the acties line
    assert "robuuste-netwerken: 9 succesfactoren, 5 randvoorwaarden" in regels
    assert "stj-stelseltoezicht-jeugd: 2 thema's, 4 criteria, 15 indicatoren" in regels
    kaderregels = [r for r in regels if "thema's" in r or "succesfactoren" in r]
    assert regels.index(samenvatting(acties)) == len(kaderregels)
    assert "acties: 57 acties (002: 6, 004: 30, 000: 10, 001: 11)" in uit.stdout


def test_cli_check_acties_path_only():
    uit = _cli("check", "kader/acties.yaml")
    assert uit.returncode == 0, uit.stderr
    assert uit.stdout.strip() == "acties: 57 acties (002: 6, 004: 30, 000: 10, 001: 11)"


def test_cli_check_broken_acties_file_exit_1(tmp_path):
    tekst = GELDIG.replace("sf4-korte-lijnen", "sf4-lange-lijnen")
    kapot = tmp_path / "kapot.yaml"
    kapot.write_text(tekst, encoding="utf-8")
    uit = _cli("check", str(kapot))
    assert uit.returncode == 1
    regel = _regel(tekst, "sf4-lange-lijnen")
    assert f"kapot.yaml, regel {regel}, veld acties[3].criteria[0].criterium: onbekend criterium" in uit.stderr
    assert "acties: 4 acties (002: 2, 004: 1, 000: 1)" in uit.stdout


def test_cli_check_mixed_paths(tmp_path):
    kapot = tmp_path / "kapot-acties.yaml"
    kapot.write_text(GELDIG.replace("niveau: management", "niveau: directie"), encoding="utf-8")
    uit = _cli("check", "kader/robuuste-netwerken.yaml", str(kapot))
    assert uit.returncode == 1
    assert uit.stdout.splitlines()[0] == "robuuste-netwerken: 9 succesfactoren, 5 randvoorwaarden"
    assert "veld acties[2].niveau: onbekend niveau 'directie'" in uit.stderr
