"""Koppelbestanden between kader versions: loading, chains and the Dutch errors (file, line, field)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kader import laad_kaders
from kader.koppeling import (
    GESPLITST,
    HERNOEMD,
    SAMENGEVOEGD,
    VERVALLEN,
    Koppelingen,
    OntbrekendeKoppeling,
    is_koppelbestand,
    laad_koppelingen,
    standaard_koppelpaden,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "koppeling"
V1 = FIXTURES / "mini-v1.yaml"
V2 = FIXTURES / "mini-v2.yaml"
KOPPELING = FIXTURES / "mini-1-naar-2.yaml"
TEKST = KOPPELING.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def mini():
    """Version 2 of the fictional mini-kader, as the loaded (current) version."""
    res = laad_kaders([V2])
    assert not res.fouten, [str(f) for f in res.fouten]
    return res.kaders


def _regel(tekst: str, stuk: str, na: int = 0) -> int:
    """1-based number of the first line (after line `na`) containing `stuk`."""
    return next(i for i, r in enumerate(tekst.splitlines(), start=1) if i > na and stuk in r)


def _laad(tmp_path, kaders, *teksten: str):
    paden = []
    for i, tekst in enumerate(teksten):
        pad = tmp_path / f"koppeling-{i}.yaml"
        pad.write_text(tekst, encoding="utf-8")
        paden.append(pad)
    return laad_koppelingen(kaders, paden)


def _enige_fout(fouten) -> str:
    assert len(fouten) == 1, [str(f) for f in fouten]
    return str(fouten[0])


# --- the valid fixture -------------------------------------------------------

def test_fixture_loads(mini):
    koppelingen, fouten = laad_koppelingen(mini, [KOPPELING])
    assert not fouten, [str(f) for f in fouten]
    (k,) = list(koppelingen)
    assert (k.kader_id, k.van, k.naar) == ("mini-kader", "1", "2")
    assert [w.soort for w in k.wijzigingen] == [HERNOEMD, GESPLITST, SAMENGEVOEGD, VERVALLEN]
    assert k.wijzigingen[1].naar == ("b1", "b2")
    assert k.wijzigingen[2].van == ("c", "d")
    assert k.wijzigingen[3].naar == ()
    assert all(w.toelichting and w.bron.bestand for w in k.wijzigingen)
    assert k.samenvatting() == "koppeling mini-kader 1 → 2: 1 hernoemd, 1 gesplitst, 1 samengevoegd, 1 vervallen"


def test_criteria_van_match_the_old_kader_file(mini):
    """The fixture really describes two versions: criteria_van is version 1 of the kader."""
    oud = laad_kaders([V1])
    assert not oud.fouten
    v1 = oud.kaders["mini-kader"]
    assert v1.versie == "1"
    (k,) = list(laad_koppelingen(mini, [KOPPELING])[0])
    assert [(c.id, c.kort) for c in k.criteria_van] == [(c.id, c.kort) for c in v1.criteria]


def test_sporen_from_version_1(mini):
    koppelingen, _ = laad_koppelingen(mini, [KOPPELING])
    doel = mini["mini-kader"]
    sporen = koppelingen.sporen(doel, "1")
    assert [(s.oud, s.nieuw) for s in sporen] == [
        ("a", "a2"), ("b", "b1"), ("b", "b2"), ("c", "cd"), ("d", "cd"), ("x", "x"),
    ]  # z vervallen: no spoor; e is new: nothing leads to it
    labels = {(s.oud, s.nieuw): [st.beschrijving() for st in s.stappen] for s in sporen}
    assert labels[("a", "a2")] == ["hernoemd: a → a2 (versie 1 → 2)"]
    assert labels[("b", "b2")] == ["gesplitst: b → b1, b2 (versie 1 → 2)"]
    assert labels[("d", "cd")] == ["samengevoegd: c + d → cd (versie 1 → 2)"]
    assert labels[("x", "x")] == []
    # the loaded version maps onto itself
    assert [(s.oud, s.nieuw, s.stappen) for s in koppelingen.sporen(doel, "2")] == [
        (c.id, c.id, ()) for c in doel.criteria
    ]


def test_missing_chain_is_a_dutch_error(mini):
    with pytest.raises(OntbrekendeKoppeling, match="geen koppeling van versie 0 naar versie 2 van kader 'mini-kader'"):
        Koppelingen().sporen(mini["mini-kader"], "0")


def test_chain_over_three_versions(tmp_path, mini):
    """1 -> 2 (fixture) and 2 -> 3: version-1 answers reach version 3 through both steps."""
    v3_tekst = V2.read_text(encoding="utf-8").replace('versie: "2"', 'versie: "3"').replace("id: a2", "id: a3")
    (tmp_path / "mini-v3.yaml").write_text(v3_tekst, encoding="utf-8")
    kaders = laad_kaders([tmp_path / "mini-v3.yaml"]).kaders
    stap2 = """soort: koppeling
kader: mini-kader
van: "2"
naar: "3"
criteria_van:
  - {id: a2, kort: Werkafspraken}
  - {id: b1, kort: Bereikbaarheid}
  - {id: b2, kort: Betrokkenheid}
  - {id: cd, kort: Casus en dossier}
  - {id: x, kort: Expertise}
  - {id: e, kort: Evaluatie}
wijzigingen:
  - soort: hernoemd
    van: a2
    naar: a3
    toelichting: Nieuwe id.
    bron: {bestand: fictief testkader, sectie: "versie 3"}
"""
    (tmp_path / "stap2.yaml").write_text(stap2, encoding="utf-8")
    koppelingen, fouten = laad_koppelingen(kaders, [KOPPELING, tmp_path / "stap2.yaml"])
    assert not fouten, [str(f) for f in fouten]
    doel = kaders["mini-kader"]
    assert [k.van for k in koppelingen.keten(doel, "1")] == ["1", "2"]
    sporen = {(s.oud, s.nieuw): [st.beschrijving() for st in s.stappen] for s in koppelingen.sporen(doel, "1")}
    assert sporen[("a", "a3")] == ["hernoemd: a → a2 (versie 1 → 2)", "hernoemd: a2 → a3 (versie 2 → 3)"]
    assert sporen[("c", "cd")] == ["samengevoegd: c + d → cd (versie 1 → 2)"]
    assert ("a", "a2") not in sporen


def test_default_folder_is_valid(kaders):
    """Every koppelbestand shipped in kader/koppelingen/ validates against the real kaders."""
    koppelingen, fouten = laad_koppelingen(kaders)
    assert not fouten, [str(f) for f in fouten]
    assert len(koppelingen) == len(standaard_koppelpaden())
    assert is_koppelbestand(KOPPELING) and not is_koppelbestand(V2)


# --- errors: file, line and field, in Dutch ----------------------------------

def test_unknown_old_criterium(tmp_path, mini):
    tekst = TEKST.replace("    van: a\n", "    van: q\n")
    _, fouten = _laad(tmp_path, mini, tekst)
    regel = _regel(tekst, "van: q")
    assert [str(f) for f in fouten] == [
        f"{tmp_path / 'koppeling-0.yaml'}, regel {regel}, veld wijzigingen[0].van: onbekend criterium 'q' in "
        "versie 1 (criteria_van noemt: a, b, c, d, x, z).",
        # and a, now not mentioned, does not exist in version 2
        f"{tmp_path / 'koppeling-0.yaml'}, regel {_regel(tekst, 'id: a,')}, veld criteria_van[0].id: criterium 'a' "
        "van versie 1 bestaat niet in versie 2 en staat niet bij wijzigingen; geef aan of het hernoemd, gesplitst, "
        "samengevoegd of vervallen is.",
    ]


def test_unknown_new_criterium(tmp_path, mini):
    tekst = TEKST.replace("naar: [b1, b2]", "naar: [b1, b3]")
    koppelingen, fouten = _laad(tmp_path, mini, tekst)
    regel = _regel(tekst, "naar: [b1, b3]")
    assert _enige_fout(fouten).endswith(
        f"regel {regel}, veld wijzigingen[1].naar[1]: onbekend criterium 'b3' in versie 2 van kader 'mini-kader'."
    )
    assert len(koppelingen) == 0  # all or nothing: the whole file is refused


def test_mapping_to_a_version_that_does_not_exist(tmp_path, mini):
    tekst = TEKST.replace('naar: "2"', 'naar: "7"')
    _, fouten = _laad(tmp_path, mini, tekst)
    regel = _regel(tekst, 'naar: "7"')
    assert _enige_fout(fouten).endswith(
        f"regel {regel}, veld naar: versie '7' van kader 'mini-kader' bestaat niet: het geladen kader heeft "
        "versie '2' en geen ander koppelbestand beschrijft versie '7' (bekende versies: 2)."
    )


def test_old_id_mapped_twice(tmp_path, mini):
    tekst = TEKST.replace("van: [c, d]", "van: [c, a]").replace(
        "  - {id: d, kort: Dossiervorming}\n", "")
    _, fouten = _laad(tmp_path, mini, tekst)
    eerste = _regel(tekst, "    van: a")
    tweede = _regel(tekst, "van: [c, a]")
    assert _enige_fout(fouten).endswith(
        f"regel {tweede}, veld wijzigingen[2].van[1]: criterium 'a' van versie 1 staat al bij een wijziging "
        f"(regel {eerste}); een oud criterium heeft hooguit één wijziging."
    )


def test_unknown_kader(tmp_path, mini):
    tekst = TEKST.replace("kader: mini-kader", "kader: maxi-kader")
    _, fouten = _laad(tmp_path, mini, tekst)
    assert _enige_fout(fouten).endswith(
        f"regel {_regel(tekst, 'kader: maxi')}, veld kader: onbekend kader 'maxi-kader' (bekend: mini-kader)."
    )


def test_old_criterium_without_successor_must_be_explained(tmp_path, mini):
    begin = TEKST.index("  - soort: vervallen")
    tekst = TEKST[:begin]  # z is no longer mentioned, and version 2 has no z
    _, fouten = _laad(tmp_path, mini, tekst)
    assert _enige_fout(fouten).endswith(
        f"regel {_regel(tekst, 'id: z')}, veld criteria_van[5].id: criterium 'z' van versie 1 bestaat niet in "
        "versie 2 en staat niet bij wijzigingen; geef aan of het hernoemd, gesplitst, samengevoegd of vervallen is."
    )


def test_two_sources_for_one_new_criterium(tmp_path, mini):
    tekst = TEKST.replace("  - soort: vervallen\n    van: z\n", "  - soort: hernoemd\n    van: z\n    naar: x\n")
    _, fouten = _laad(tmp_path, mini, tekst)
    assert _enige_fout(fouten).endswith(
        f"regel {_regel(tekst, 'naar: x')}, veld wijzigingen[3].naar: criterium 'x' van versie 2 krijgt al "
        f"antwoorden via regel {_regel(tekst, 'id: x')}; gebruik 'samengevoegd' om oude criteria samen te nemen."
    )


@pytest.mark.parametrize(
    ("oud", "nieuw", "veld", "bericht"),
    [
        ("naar: [b1, b2]", "naar: b1", "wijzigingen[1].naar",
         "bij 'gesplitst' verwacht een lijst van minstens 2 criterium-id's."),
        ("van: [c, d]", "van: c", "wijzigingen[2].van",
         "bij 'samengevoegd' verwacht een lijst van minstens 2 criterium-id's."),
        ("    naar: a2\n", "    naar: [a2]\n", "wijzigingen[0].naar",
         "bij 'hernoemd' verwacht precies één criterium-id (geen lijst)."),
        ("soort: samengevoegd", "soort: gefuseerd", "wijzigingen[2].soort",
         "onbekende soort wijziging 'gefuseerd'; kies uit hernoemd, gesplitst, samengevoegd, vervallen."),
        ("    toelichting: Alleen de naam is veranderd; de vraag is dezelfde.\n", "", "wijzigingen[0].toelichting",
         "verplicht veld ontbreekt."),
        ("  - {id: b, kort: Bereik en betrokkenheid}", "  - {id: b, kort: Bereik en betrokkenheid}\n  - {id: b, kort: Dubbel}",
         "criteria_van[2].id", "id 'b' komt dubbel voor (ook op regel 9)."),
        ('van: "1"', 'van: "2"', "van",
         "versie '2' is de geladen versie van kader 'mini-kader'; een koppeling gaat van een oudere versie naar een nieuwere."),
        ("    naar: a2\n", "    naar: a\n    wat: x\n", "wijzigingen[0].wat",
         "onbekend veld 'wat'. Toegestaan: bron, naar, soort, toelichting, van."),
    ],
)
def test_shape_errors(tmp_path, mini, oud, nieuw, veld, bericht):
    assert oud in TEKST
    tekst = TEKST.replace(oud, nieuw, 1)
    _, fouten = _laad(tmp_path, mini, tekst)
    gevonden = [str(f) for f in fouten]
    assert any(f", veld {veld}: {bericht}" in f and ", regel " in f for f in gevonden), gevonden
    assert all(str(tmp_path / "koppeling-0.yaml") in f for f in gevonden)


def test_vervallen_has_no_naar(tmp_path, mini):
    tekst = TEKST.replace("    van: z\n", "    van: z\n    naar: x\n")
    _, fouten = _laad(tmp_path, mini, tekst)
    assert _enige_fout(fouten).endswith(
        f"regel {_regel(tekst, 'naar: x')}, veld wijzigingen[3].naar: bij 'vervallen' hoort geen 'naar'."
    )


def test_loop_between_two_files_is_refused(tmp_path, mini):
    zonder_wijzigingen = """soort: koppeling
kader: mini-kader
van: "{van}"
naar: "{naar}"
criteria_van:
  - {{id: a2, kort: Werkafspraken}}
  - {{id: x, kort: Expertise}}
"""
    heen = zonder_wijzigingen.format(van=8, naar=9)
    terug = zonder_wijzigingen.format(van=9, naar=8)
    koppelingen, fouten = _laad(tmp_path, mini, heen, terug)
    assert len(koppelingen) == 0
    teksten = sorted(str(f) for f in fouten)
    regel = _regel(heen, 'naar: "9"')
    assert teksten == [
        f"{tmp_path / 'koppeling-0.yaml'}, regel {regel}, veld naar: de koppelingen van kader 'mini-kader' "
        "vormen een kring: 8 → 9 → 8.",
        f"{tmp_path / 'koppeling-1.yaml'}, regel {regel}, veld naar: de koppelingen van kader 'mini-kader' "
        "vormen een kring: 9 → 8 → 9.",
    ]


def test_same_old_version_twice(tmp_path, mini):
    koppelingen, fouten = _laad(tmp_path, mini, TEKST, TEKST)
    regel = _regel(TEKST, 'van: "1"')
    assert _enige_fout(fouten) == (
        f"{tmp_path / 'koppeling-1.yaml'}, regel {regel}, veld van: er is al een koppeling "
        f"van versie 1 van kader 'mini-kader' (in {tmp_path / 'koppeling-0.yaml'}); elke oude versie heeft één koppelbestand."
    )
    assert [k.bestand for k in koppelingen] == [str(tmp_path / "koppeling-0.yaml")]


def test_chain_through_a_broken_file_is_refused(tmp_path, mini):
    """0 -> 1 is fine on its own, but 1 -> 2 is broken: neither step is used (all or nothing)."""
    stap0 = TEKST.replace('van: "1"', 'van: "0"').replace('naar: "2"', 'naar: "1"')
    begin = stap0.index("wijzigingen:")
    stap0 = stap0[:begin]  # 0 -> 1: all ids unchanged
    kapot = TEKST.replace("naar: cd", "naar: dc")
    koppelingen, fouten = _laad(tmp_path, mini, stap0, kapot)
    assert len(koppelingen) == 0
    teksten = [str(f) for f in fouten]
    assert len(teksten) == 2, teksten
    assert any("koppeling-1.yaml" in f and "onbekend criterium 'dc' in versie 2" in f for f in teksten)
    regel = _regel(stap0, 'naar: "1"')
    assert (
        f"{tmp_path / 'koppeling-0.yaml'}, regel {regel}, veld naar: deze koppeling loopt "
        f"verder via {tmp_path / 'koppeling-1.yaml'} (versie 1 → 2), en dat bestand heeft een fout; los die eerst op."
    ) in teksten


def test_yaml_syntax_error_names_line(tmp_path, mini):
    tekst = TEKST.replace("    van: a\n", "    van: a: b\n")
    _, fouten = _laad(tmp_path, mini, tekst)
    assert _enige_fout(fouten).startswith(f"{tmp_path / 'koppeling-0.yaml'}, regel {_regel(tekst, 'van: a: b')}: YAML-syntaxfout")


# --- command line ------------------------------------------------------------

def _cli(*args):
    return subprocess.run([sys.executable, "-m", "kader", *args], cwd=ROOT, capture_output=True, text=True)


def test_cli_check_validates_koppeling_against_given_kader():
    uit = _cli("check", str(V2.relative_to(ROOT)), str(KOPPELING.relative_to(ROOT)))
    assert uit.returncode == 0, uit.stderr
    assert uit.stdout.splitlines() == [
        "mini-kader: 1 thema's, 6 criteria",
        "koppeling mini-kader 1 → 2: 1 hernoemd, 1 gesplitst, 1 samengevoegd, 1 vervallen",
    ]


def test_cli_check_broken_koppeling_exit_1(tmp_path):
    kapot = tmp_path / "kapot.yaml"
    tekst = TEKST.replace("    van: a\n", "    van: q\n")
    kapot.write_text(tekst, encoding="utf-8")
    uit = _cli("check", str(V2.relative_to(ROOT)), str(kapot))
    assert uit.returncode == 1
    assert f"kapot.yaml, regel {_regel(tekst, 'van: q')}, veld wijzigingen[0].van: onbekend criterium 'q'" in uit.stderr


def test_cli_check_koppeling_alone_uses_the_real_kaders():
    uit = _cli("check", str(KOPPELING.relative_to(ROOT)))
    assert uit.returncode == 1
    bekend = ", ".join(sorted(laad_kaders().kaders))  # the real kaders in kader/
    assert f"veld kader: onbekend kader 'mini-kader' (bekend: {bekend})." in uit.stderr
