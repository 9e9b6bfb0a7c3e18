"""The layers of docs/architectuur.md, held against the code.

kader → vragenlijsten → uitwisselformaat → storage → diensten → rapport → pages (views/)
and command lines. Each rule reads the imports of the production modules (AST), so a
new import that breaks the layering fails here, with the file and the import named.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAKKETTEN = ("kader", "vragenlijsten", "uitwisselformaat", "storage", "diensten", "rapport", "views", "toegang",
             "bench")
MAX_REGELS = 600


def _modules() -> list[Path]:
    paden = [ROOT / "app.py", ROOT / "opdrachtregel.py", ROOT / "server.py"]
    for pakket in PAKKETTEN:
        paden += [p for p in (ROOT / pakket).rglob("*.py") if "migraties" not in p.parts]
    return sorted(paden)


def _imports(pad: Path) -> list[tuple[str, list[str]]]:
    """(module, imported names) for every import in the file, also inside functions."""
    uit = []
    for node in ast.walk(ast.parse(pad.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            uit += [(a.name, []) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            uit.append((node.module, [a.name for a in node.names]))
    return uit


def _naam(pad: Path) -> str:
    return pad.relative_to(ROOT).as_posix()


def _schendingen(pakket: str, verboden: tuple[str, ...], behalve: tuple[str, ...] = ()) -> list[str]:
    fout = []
    for pad in (ROOT / pakket).rglob("*.py"):
        if _naam(pad) in behalve:
            continue
        for module, _ in _imports(pad):
            if module.split(".")[0] in verboden:
                fout.append(f"{_naam(pad)} importeert {module}")
    return fout


@pytest.mark.parametrize("pakket, verboden, behalve", [
    # reports take data (the answers format), never the database or a page; the CLI may fetch
    ("rapport", ("storage", "views", "diensten", "sqlalchemy", "streamlit"), ("rapport/__main__.py",)),
    ("uitwisselformaat", ("storage", "rapport", "views", "diensten", "sqlalchemy", "streamlit"), ()),
    ("kader", ("storage", "rapport", "views", "diensten", "uitwisselformaat", "sqlalchemy", "streamlit"), ()),
    # geheim.py asks Streamlit's configuration where secrets.toml lives, nothing else
    ("storage", ("rapport", "views", "diensten", "streamlit"), ("storage/geheim.py",)),
    ("storage", ("rapport", "views", "diensten"), ()),
    ("diensten", ("views", "streamlit"), ()),
    # rights and accounts come from configuration, never from the database
    ("toegang", ("storage", "diensten", "rapport", "views", "sqlalchemy"), ()),
    # pages ask and render: no SQL of their own
    ("views", ("sqlalchemy",), ()),
])
def test_lagen(pakket, verboden, behalve):
    assert _schendingen(pakket, verboden, behalve) == []


def test_server_alleen_app_en_sessieroutes():
    """server.py starts app.py and holds the session routes: through storage and toegang, no SQL of its own."""
    verboden = ("sqlalchemy", "views", "rapport", "diensten")
    assert [m for m, _ in _imports(ROOT / "server.py") if m.split(".")[0] in verboden] == []


def test_geen_module_langer_dan_600_regels():
    te_lang = [f"{_naam(p)}: {n}" for p in _modules()
               if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_REGELS]
    assert te_lang == []


def test_geen_private_namen_over_modulegrenzen():
    fout = []
    for pad in _modules():
        for module, namen in _imports(pad):
            if module.split(".")[0] in PAKKETTEN:
                fout += [f"{_naam(pad)}: from {module} import {n}" for n in namen if n.startswith("_")]
    assert fout == []


def test_paginas_vragen_rechten_aan_toegang():
    """Rights through toegang.mag, never by comparing role strings in a page."""
    fout = []
    for pad in [*(ROOT / "views").glob("*.py"), ROOT / "app.py"]:
        for node in ast.walk(ast.parse(pad.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare) and any(
                    isinstance(k, ast.Attribute) and k.attr == "rol" for k in [node.left, *node.comparators]):
                fout.append(f"{_naam(pad)}:{node.lineno}")
    assert fout == []


def test_geen_samenvoegtekens_in_het_huis():
    """A merge conflict committed by accident (it happened once, in the README)."""
    import subprocess

    bestanden = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    fout = []
    for naam in bestanden.stdout.split():
        pad = ROOT / naam
        if pad.suffix in {".py", ".md", ".toml", ".ini", ".txt", ".yaml", ".j2", ".css", ""} and pad.is_file():
            for nr, regel in enumerate(pad.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
                if regel.startswith(("<<<<<<< ", ">>>>>>> ")):
                    fout.append(f"{naam}:{nr}")
    assert fout == []


def test_de_regels_vangen_een_schending(tmp_path, monkeypatch):
    """The checker itself: a report module that imports storage (inside a function) is caught."""
    nep = tmp_path / "rapport"
    nep.mkdir()
    (nep / "lek.py").write_text("def f():\n    from storage import repository\n", encoding="utf-8")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    assert _schendingen("rapport", ("storage",)) == ["rapport/lek.py importeert storage"]
