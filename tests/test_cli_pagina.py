"""The command line prints the same numbers the pages show (issue 4, 'Done when').

The overview page's table 'Alle cijfers per criterium en thema' and the inspecteur page's
metrics are compared with `python -m rapport scores`, run as a real subprocess on the
same ronde exported in the uitwisselformaat.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from rapport.groepen import ALLE
from storage import repository as repo
from storage.db import maak_engine
from uitwisselformaat import schrijf_csv

pytestmark = pytest.mark.db

ROOT = Path(__file__).resolve().parent.parent
VIEWS = ROOT / "views"


def _cli_scores(engine, ronde, tmp_path: Path) -> pd.DataFrame:
    bestand = tmp_path / "ronde.csv"
    bestand.write_bytes(schrijf_csv(repo.antwoorden_df(engine, ronde.id)))
    uit = subprocess.run(
        [sys.executable, "-m", "rapport", "scores", "--antwoorden", str(bestand), "--format", "json",
         "--gemeente", ronde.gemeente, "--ronde", ronde.label],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=True,
    )
    return pd.DataFrame(json.loads(uit.stdout))


def _getal(tekst) -> float:
    """A number as the page shows it: '2,40' (a decimal comma)."""
    return float(str(tekst).replace(",", "."))


def test_overzicht_en_cli_geven_dezelfde_cijfers(app_db, tmp_path):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(VIEWS / "overzicht.py"), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    ronde = repo.ronde(maak_engine(app_db), at.selectbox[0].value)  # the selector holds ronde ids
    cli = _cli_scores(maak_engine(app_db), ronde, tmp_path)
    tabellen = [d.value for d in at.dataframe if "Aantal scores" in d.value.columns]
    assert len(tabellen) == len(ronde.kader_versies) >= 2  # one per kader tab
    vergeleken = 0
    for tabel in tabellen:
        for _, rij in tabel.iterrows():
            niveau = rij["Niveau"]
            [cli_rij] = cli[(cli["niveau"] == niveau) & (cli["kort"] == rij["Onderdeel"])
                            & (cli["groep"] == ALLE.label)].to_dict("records")
            assert cli_rij["n"] == int(rij["Aantal scores"]), rij["Onderdeel"]
            # the page shows two decimals with a decimal comma ("2,40"); the CLI rounds to 3
            assert cli_rij["gemiddelde"] == pytest.approx(_getal(rij["Gemiddelde"]), abs=0.005 + 1e-9)
            assert cli_rij["mediaan"] == pytest.approx(_getal(rij["Mediaan"]), abs=0.005 + 1e-9)
            vergeleken += 1
    assert vergeleken >= 4 + 2 + 14  # STJ criteria + thema's, Movisie items at least


def test_inspectie_en_cli_geven_dezelfde_cijfers(app_db, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from toegang import Gebruiker, hash_wachtwoord

    h = hash_wachtwoord("x" * 16)
    bestand = tmp_path / "gebruikers.toml"
    bestand.write_text(f'[gebruikers.ivo]\nrol = "inspecteur"\ngemeenten = ["*"]\nwachtwoord_hash = "{h}"\n')
    monkeypatch.setenv("ZBT_GEBRUIKERS", str(bestand))
    AppTest.from_file(str(VIEWS / "overzicht.py"), default_timeout=120).run()  # seeds the demo
    at = AppTest.from_file(str(VIEWS / "inspectie.py"), default_timeout=120)
    at.session_state["gebruiker"] = Gebruiker("ivo", "inspecteur", frozenset({"*"}))
    at.run()
    assert not at.exception, at.exception
    [keuze] = [s for s in at.selectbox if s.label == "Gemeente en ronde"]
    ronde = next(r for r in repo.rondes(maak_engine(app_db)) if r.id == keuze.value)
    cli = _cli_scores(maak_engine(app_db), ronde, tmp_path)
    [kader_keuze] = [s for s in at.selectbox if s.label == "Kader"]
    cli = cli[(cli["kader"] == kader_keuze.value) & (cli["niveau"] == "criterium") & (cli["groep"] == ALLE.label)]
    gemiddelden = [m.value for m in at.metric if m.label == "Gemiddelde (1–4)"]
    eensgezind = [m.value for m in at.metric if m.label == "Eensgezindheid (0–1)"]
    assert len(gemiddelden) == len(cli) >= 4
    for (_, rij), gem, cons in zip(cli.iterrows(), gemiddelden, eensgezind):
        # the page shows Dutch numbers: 2,8 (1 decimal) and 0,62 (2 decimals)
        assert gem == f"{rij['gemiddelde']:.1f}".replace(".", ","), rij["kort"]
        assert cons == f"{rij['consensus']:.2f}".replace(".", ","), rij["kort"]
