"""The four command lines speak Dutch: help, usage and errors, for every subcommand.

Each entry point runs once as a real ``python -m X --help`` process; everything else (an
unknown command, every subcommand's help and a wrong option for each) runs `main(argv)` in
this process, which is fast and exercises the same parser. Exit codes: 0 after help, 2 for
wrong arguments.
"""
from __future__ import annotations

import importlib
import re
import subprocess
import sys

import pytest

from conftest import ROOT
from opdrachtregel import NEDERLANDS, Parser, in_het_nederlands

OPDRACHTREGELS = ("kader", "storage", "rapport", "toegang")

# argparse's English, as a user would see it (also catches a new Python's new texts)
ENGELS = re.compile(
    r"\b(usage|positional arguments|optional arguments|options|show this help|help message|error|"
    r"invalid|choose from|choices|following arguments|required|unrecognized|expected|ambiguous|"
    r"subcommands|not allowed|ignored|conflicting|can't open|and exit)\b",
    re.IGNORECASE,
)


def _geen_engels(tekst: str) -> None:
    assert tekst.strip()
    gevonden = sorted({m.group(0) for m in ENGELS.finditer(tekst)})
    assert not gevonden, f"Engels in de uitvoer: {gevonden}\n{tekst}"


def _draai(capsys, module: str, *argv: str) -> tuple[int, str]:
    """main(argv) of `module.__main__` in this process: (exit code, stdout + stderr)."""
    main = importlib.import_module(f"{module}.__main__").main
    try:
        code = main(list(argv))
    except SystemExit as e:
        code = e.code
    uit = capsys.readouterr()
    return code, uit.out + uit.err


def _opdrachten(capsys, module: str) -> list[str]:
    """The subcommands, from the Dutch 'ongeldige keuze' message that lists them."""
    code, tekst = _draai(capsys, module, "geen-opdracht")
    assert code == 2, tekst
    _geen_engels(tekst)
    keuzes = re.search(r"ongeldige keuze: 'geen-opdracht' \(kies uit (.*)\)", tekst)
    assert keuzes, tekst
    return re.findall(r"'([^']+)'", keuzes.group(1))


@pytest.fixture(scope="module")
def hulp_van_processen():
    """`python -m X --help` of every entry point as a real process, all started together."""
    gestart = {
        module: subprocess.Popen([sys.executable, "-m", module, "--help"], cwd=ROOT, stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for module in OPDRACHTREGELS
    }
    uit = {}
    for module, proc in gestart.items():
        out, err = proc.communicate(timeout=60)
        uit[module] = (proc.returncode, out, err)
    return uit


@pytest.mark.parametrize("module", OPDRACHTREGELS)
def test_python_m_help_is_dutch(hulp_van_processen, module):
    code, out, err = hulp_van_processen[module]
    assert code == 0 and not err, err
    assert out.startswith(f"gebruik: python -m {module} ")
    assert "opties:" in out and "opdrachten:" in out and "toon deze hulp en stop" in out
    _geen_engels(out)


@pytest.mark.parametrize("module", OPDRACHTREGELS)
def test_unknown_command_is_a_dutch_usage_error(capsys, module):
    code, tekst = _draai(capsys, module, "onzin")
    assert code == 2
    assert tekst.startswith(f"gebruik: python -m {module} ")
    assert f"python -m {module}: fout: argument OPDRACHT: ongeldige keuze: 'onzin'" in tekst
    _geen_engels(tekst)


@pytest.mark.parametrize("module", OPDRACHTREGELS)
def test_every_subcommand_help_and_error_are_dutch(capsys, module):
    opdrachten = _opdrachten(capsys, module)
    assert opdrachten
    for opdracht in opdrachten:
        code, tekst = _draai(capsys, module, opdracht, "--help")
        assert code == 0, tekst
        assert tekst.startswith(f"gebruik: python -m {module} {opdracht} "), tekst
        _geen_engels(tekst)
        # a wrong option: never runs the command (missing arguments or an unknown one)
        code, tekst = _draai(capsys, module, opdracht, "--bestaat-niet")
        assert code == 2, tekst
        assert f"python -m {module}" in tekst and ": fout: " in tekst
        assert "deze argumenten ontbreken" in tekst or "onbekende argumenten: --bestaat-niet" in tekst
        _geen_engels(tekst)


@pytest.mark.parametrize("argv, melding", [
    (["scores", "--antwoorden", "a.csv", "--format", "xml"],
     "argument --format: ongeldige keuze: 'xml' (kies uit 'json', 'csv')"),
    (["scores", "--antwoorden", "a.csv", "--format", "json", "--drempel", "drie"],
     "argument --drempel: ongeldige waarde: 'drie'"),
    (["scores", "--antwoorden"], "argument --antwoorden: verwacht één waarde"),
    (["verbeterplan", "--kader", "k"], "deze argumenten ontbreken: --antwoorden, --gemeente, --ronde, --out"),
    (["voorbereiding", "--kader", "k"], "deze argumenten ontbreken: --antwoorden, --gemeente, --ronde, --out"),
])
def test_argument_errors_in_dutch(capsys, argv, melding):
    code, tekst = _draai(capsys, "rapport", *argv)
    assert code == 2 and melding in tekst, tekst
    _geen_engels(tekst)


def test_the_translation_is_back_to_english_outside_the_parser():
    import argparse

    Parser(prog="x").format_help()
    assert argparse._("usage: ") == "usage: "
    with in_het_nederlands():
        assert argparse._("usage: ") == "gebruik: "
        assert argparse.ngettext("expected %s argument", "expected %s arguments", 2) == "verwacht %s waarden"
    assert argparse._("usage: ") == "usage: "
    for nl in NEDERLANDS.values():  # the placeholders (%(choices)s) stay argparse's
        assert ENGELS.search(re.sub(r"%\(\w+\)", "", nl)) is None, nl


def test_bench_speaks_dutch_too(capsys):
    code, tekst = _draai(capsys, "bench", "--help")
    assert code == 0 and tekst.startswith("gebruik: python -m bench ")
    _geen_engels(tekst)
    code, tekst = _draai(capsys, "bench", "--alleen", "onzin")
    assert code == 2 and "python -m bench: fout: argument --alleen: ongeldige keuze: 'onzin'" in tekst, tekst
    _geen_engels(tekst)


# --- python -m rapport voorbereiding: the inspecteur's PDF from a CSV file --------------------


@pytest.fixture
def movisie_csv(tmp_path, kaders):
    from tests.fabriek import antwoorden
    from uitwisselformaat.csvbestand import schrijf_csv

    rn = kaders["robuuste-netwerken"]
    rijen = [(f"r{i}", "gemeente", c.id, str(1 + (i + j) % 4), "") for i in range(4)
             for j, c in enumerate(rn.criteria)]
    pad = tmp_path / "antwoorden.csv"
    pad.write_bytes(schrijf_csv(antwoorden(*rijen, gemeente="Toetsdorp (fictief)", ronde="2026", kader=rn.id)))
    return pad


@pytest.mark.pdf
def test_voorbereiding_schrijft_een_pdf(capsys, tmp_path, movisie_csv):
    import io

    from pypdf import PdfReader

    uit = tmp_path / "map" / "voorbereiding.pdf"
    code, tekst = _draai(capsys, "rapport", "voorbereiding", "--antwoorden", str(movisie_csv), "--kader",
                         "robuuste-netwerken", "--gemeente", "Toetsdorp (fictief)", "--ronde", "2026",
                         "--out", str(uit))
    assert code == 0 and tekst.strip() == str(uit), tekst
    pdf = uit.read_bytes()
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == "Voorbereiding inspectiebezoek Toetsdorp (fictief) – 2026"
    inhoud = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Wie voert de regie op het overleg?" in inhoud and "Wanneer is het goed?" not in inhoud


@pytest.mark.parametrize("wijziging, melding", [
    ({"--antwoorden": "weg.csv"}, "Fout: Het bestand 'weg.csv' bestaat niet."),
    ({"--kader": "bestaat-niet"}, "Fout: Het kader 'bestaat-niet' bestaat niet. Kies uit:"),
    ({"--kader": "stj-stelseltoezicht-jeugd"}, "Fout: Het kader 'stj-stelseltoezicht-jeugd' komt niet voor in"),
    ({"--gemeente": "Elders"}, "Fout: De gemeente 'Elders' komt niet voor in"),
    ({"--ronde": "1999"}, "Fout: De ronde '1999' komt niet voor in"),
])
def test_voorbereiding_fouten_in_het_nederlands(capsys, tmp_path, movisie_csv, wijziging, melding):
    argv = {"--antwoorden": str(movisie_csv), "--kader": "robuuste-netwerken", "--gemeente": "Toetsdorp (fictief)",
            "--ronde": "2026", "--out": str(tmp_path / "x.pdf")}
    argv.update(wijziging)
    code, tekst = _draai(capsys, "rapport", "voorbereiding", *[d for paar in argv.items() for d in paar])
    assert code == 1 and melding in tekst, tekst
    assert "Traceback" not in tekst and not (tmp_path / "x.pdf").exists()
    _geen_engels(tekst)


@pytest.mark.pdf
def test_verbeterplan_van_de_opdrachtregel_heeft_de_suggesties_uit_de_bronnen(capsys, tmp_path, kaders):
    """The command gives the same suggestions from the action library as the page and the batch."""
    import io

    from pypdf import PdfReader

    from kader import laad_acties, suggesties
    from tests.fabriek import antwoorden
    from uitwisselformaat.csvbestand import schrijf_csv

    hr = kaders["holland-rijnland-zorg-en-veiligheid"]
    rijen = [(f"r{i}", "gemeente", c.id, "1", "") for i in range(4) for c in hr.criteria]
    bestand = tmp_path / "antwoorden.csv"
    bestand.write_bytes(schrijf_csv(antwoorden(*rijen, gemeente="Toetsdorp (fictief)", ronde="2026", kader=hr.id)))
    uit = tmp_path / "plan.pdf"
    code, tekst = _draai(capsys, "rapport", "verbeterplan", "--antwoorden", str(bestand), "--kader", hr.id,
                         "--gemeente", "Toetsdorp (fictief)", "--ronde", "2026", "--out", str(uit))
    assert code == 0, tekst
    pdf = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(uit.read_bytes())).pages)
    bibliotheek, _ = laad_acties(kaders)
    eerste = suggesties(bibliotheek, hr.id, hr.criteria[0].id)[0]
    assert "Suggesties uit de bronnen" in pdf
    assert " ".join(eerste.tekst.split())[:30] in pdf
