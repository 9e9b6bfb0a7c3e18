"""The Excel workbook of a ronde (rapport/werkboek.py): sheets, Dutch headers, frozen
header row, anonymity threshold as on the pages, and no formula injection."""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from diensten.gegevens import werkboek_van_ronde
from rapport.analyse import analyseer, rond_af
from rapport.groepen import ALLE, OVERIGE
from rapport.werkboek import BLADEN, PLAN_KOPPEN, SCORE_KOPPEN, maak_werkboek, veilige_tekst
from storage import db
from storage import repository as repo
from storage.bereik import SYSTEEM  # noqa: E402
from storage.demo import vul_demo
from tests import fabriek
from uitwisselformaat import lees_xlsx, schone_tekst

STJ = "stj-stelseltoezicht-jeugd"
GEVAARLIJK = ["=SUM(A1:A9)", "+31 6 12345678", "-1", "@cmd", "\t=1+1", "\r=1+1", "'=al gequote", "=HYPERLINK(\"x\")"]


@pytest.fixture(scope="module")
def antwoorden(stj):
    """Two big rol groups (4 each) and one rol with a single respondent; toelichtingen
    that a spreadsheet could take for formulas."""
    rijen = []
    crit = [c.id for c in stj.criteria]
    respondenten = [(f"r-g{i}", "gemeente") for i in range(4)] + [(f"r-w{i}", "wijkteam-cjg") for i in range(4)] \
        + [("r-p0", "politie")]
    for n, (resp, rol) in enumerate(respondenten):
        for m, c in enumerate(crit):
            score = str(1 + (n + m) % 4) if (n + m) % 7 else "weet_niet"
            tekst = GEVAARLIJK[(n + m) % len(GEVAARLIJK)] if m < 2 else ""
            rijen.append(("Aadorp", "2026", resp, rol, STJ, c, score, tekst))
    return fabriek.antwoorden(*rijen)


@pytest.fixture(scope="module")
def boek(antwoorden, stj):
    consensus = pd.DataFrame([("Aadorp", "2026", STJ, stj.criteria[0].id, "3", "=ook dit is tekst")],
                             columns=["gemeente", "ronde", "kader", "criterium", "score", "motivatie"])
    acties = [
        {"kader_id": STJ, "criterium_id": stj.criteria[1].id, "wat": "-actie die met een min begint",
         "eigenaar": "@wijkteam", "deadline": dt.date(2026, 12, 31), "meting": "+5 casussen", "status": "bezig",
         "effect": "", "bron_actie_id": "002-01"},
        {"kader_id": STJ, "criterium_id": None, "wat": "Algemene actie", "eigenaar": "", "deadline": "2027-01-15",
         "meting": "", "status": "gepland", "effect": "", "bron_actie_id": None},
    ]
    data = maak_werkboek(antwoorden, [stj], consensus=consensus, acties=acties,
                         rol_namen={"gemeente": "Gemeente", "wijkteam-cjg": "Wijkteam/CJG", "politie": "Politie"},
                         drempel=3)
    return data


def test_bladen_koppen_en_opmaak(boek):
    wb = load_workbook(io.BytesIO(boek))
    assert wb.sheetnames == list(BLADEN)
    for ws in wb:
        assert ws.freeze_panes == "A2"
        assert all(c.font.b for c in ws[1])
        for dim in ws.column_dimensions.values():
            assert 8 <= dim.width <= 60
    assert [c.value for c in wb["Antwoorden"][1]] == list(fabriek.KOLOMMEN)
    assert [c.value for c in wb["Scores"][1]] == list(SCORE_KOPPEN.values())
    assert [c.value for c in wb["Verbeterplan"][1]] == list(PLAN_KOPPEN)
    assert wb["Antwoorden"].column_dimensions["H"].width > wb["Antwoorden"].column_dimensions["G"].width


def test_geen_formules_en_alles_geneutraliseerd(boek):
    wb = load_workbook(io.BytesIO(boek))
    for ws in wb:
        for rij in ws.iter_rows():
            for cel in rij:
                if isinstance(cel.value, str):
                    assert cel.data_type == "s", (ws.title, cel.coordinate, cel.value)
                    assert not re.match(r"[=+\-@\t\r]", cel.value), (ws.title, cel.coordinate, cel.value)
    with zipfile.ZipFile(io.BytesIO(boek)) as z:
        for naam in z.namelist():
            if naam.startswith("xl/worksheets/"):
                assert "<f>" not in z.read(naam).decode() and "<f " not in z.read(naam).decode()
    plan = wb["Verbeterplan"]
    assert plan["D2"].value == "'-actie die met een min begint"
    assert plan["E2"].value == "'@wijkteam" and plan["G2"].value == "'+5 casussen"
    assert wb["Consensus"]["E2"].value == "'=ook dit is tekst"


@pytest.mark.parametrize("tekst, opgeslagen", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'_x000D_=1"), ("'=1", "''=1"), ("gewoon", "gewoon"), ("a\rb", "a_x000D_b"),
])
def test_veilige_tekst(tekst, opgeslagen):
    assert veilige_tekst(tekst) == opgeslagen


def test_antwoorden_blad_is_het_uitwisselformaat(boek, antwoorden, kaders):
    gelezen = lees_xlsx(boek, kaders, bestand="werkboek.xlsx", blad="Antwoorden").reset_index(drop=True)
    verwacht = antwoorden.copy()
    # the "'" before = + - @ tab CR is stripped again (one rule, neutraliseer); reading cleans
    # the toelichting as the questionnaire does (a CR becomes '\n')
    verwacht["toelichting"] = verwacht["toelichting"].map(schone_tekst)
    pd.testing.assert_frame_equal(gelezen, verwacht)


def test_scores_met_anonimiteitsdrempel_zoals_de_paginas(boek, antwoorden, stj):
    ws = load_workbook(io.BytesIO(boek))["Scores"]
    rijen = list(ws.iter_rows(min_row=2, values_only=True))
    koppen = list(SCORE_KOPPEN)
    verwacht = rond_af(analyseer(antwoorden, stj, drempel=3, rol_namen={
        "gemeente": "Gemeente", "wijkteam-cjg": "Wijkteam/CJG", "politie": "Politie"}))
    assert len(rijen) == len(verwacht)
    groepen = {r[koppen.index("groep")] for r in rijen}
    assert "Politie" not in groepen  # one respondent: never shown on its own
    assert groepen == set(verwacht["groep"])
    for rij, (_, v) in zip(rijen, verwacht.iterrows()):
        for i, k in enumerate(koppen):
            if k == "onderdrukt":
                assert rij[i] == ("ja" if v[k] else "nee")
            elif (isinstance(v[k], float) and pd.isna(v[k])) or (isinstance(v[k], str) and v[k] == ""):
                assert rij[i] is None  # empty cell
            else:
                assert rij[i] == v[k], (k, rij, v[k])


def test_overige_partners_als_kleine_groepen_samen_groot_genoeg_zijn(stj):
    rijen = [("A", "1", f"r-{rol}{i}", rol, STJ, stj.criteria[0].id, "2", "")
             for rol, n in (("gemeente", 3), ("politie", 1), ("onderwijs", 1), ("jgz", 1)) for i in range(n)]
    df = fabriek.antwoorden(*rijen)
    ws = load_workbook(io.BytesIO(maak_werkboek(df, [stj], drempel=3)))["Scores"]
    groepen = {r[5] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert groepen == {ALLE.label, "gemeente", OVERIGE.label}


def test_consensus_en_verbeterplan(boek, stj):
    wb = load_workbook(io.BytesIO(boek))
    c = [r for r in wb["Consensus"].iter_rows(min_row=2, values_only=True)]
    assert len(c) == 1 and c[0][1] == stj.criteria[0].id and c[0][3] == "3"
    assert isinstance(c[0][5], float) and c[0][6] == pytest.approx(3 - c[0][5], abs=1e-3)
    plan = list(wb["Verbeterplan"].iter_rows(min_row=2, values_only=True))
    assert plan[0][2] == stj.criteria[1].kort and plan[0][5] == dt.datetime(2026, 12, 31)
    assert plan[0][7] == "Bezig" and plan[0][9] == "002-01"
    assert plan[1][2] == "Algemeen" and plan[1][5] == dt.datetime(2027, 1, 15) and plan[1][7] == "Gepland"
    assert wb["Verbeterplan"]["F2"].number_format == "DD-MM-YYYY"


@pytest.mark.db
def test_werkboek_van_ronde_uit_de_database(tmp_path, kaders, vragenlijsten):
    engine = db.maak_engine(f"sqlite:///{tmp_path / 'w.db'}")
    db.migreer(engine)
    vul_demo(engine, kaders, vragenlijsten.paren())
    ronde = next(r for r in repo.rondes(engine) if r.is_open)
    repo.maak_actie(engine, ronde.id, STJ, None, "=gevaarlijk?", deadline="2026-10-01", door=SYSTEEM)
    data = werkboek_van_ronde(engine, ronde.id, kaders, rol_namen=vragenlijsten.rol_namen())
    wb = load_workbook(io.BytesIO(data))
    assert wb["Antwoorden"].max_row == len(repo.antwoorden_df(engine, ronde.id)) + 1
    kaders_in_scores = [r[0] for r in wb["Scores"].iter_rows(min_row=2, values_only=True)]
    assert kaders_in_scores[0] == STJ and set(kaders_in_scores) == set(ronde.kader_versies)
    assert wb["Consensus"].max_row - 1 == len(repo.consensus_df(engine, ronde.id))
    assert wb["Verbeterplan"].cell(wb["Verbeterplan"].max_row, 4).value == "'=gevaarlijk?"
    with pytest.raises(ValueError, match="bestaat niet"):
        werkboek_van_ronde(engine, 999_999, kaders)
    engine.dispose()


@pytest.mark.db
def test_pagina_gegevens_biedt_werkboek_en_snapshot(app_db):
    from streamlit.testing.v1 import AppTest

    from toegang import Gebruiker

    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "views" / "gegevens.py"),
                           default_timeout=120)
    at.session_state["gebruiker"] = Gebruiker("demo-facilitator", "facilitator", frozenset({"*"}), True)
    at.run()
    assert not at.exception, at.exception
    labels = [k.label for k in at.get("download_button")]
    assert "Download werkboek (Excel)" in labels and "Download snapshot (JSON)" in labels
    assert any("Snapshot van een ronde importeren" in h.value for h in at.header)

    anoniem = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "views" / "gegevens.py"),
                                default_timeout=120)
    anoniem.run()
    assert not anoniem.get("download_button")
    assert any("alleen voor medewerkers" in w.value for w in anoniem.warning)
