"""Attacks through files (issue "Trust before breadth", points 4-6).

* formulas in CSV exports: the download and the CSV inside the verbeterplan PDF are
  neutralised with the Excel rule, and reading undoes it exactly;
* hostile text in imports (CSV, Excel, snapshot): NUL, bidi overrides, zero-width and
  control characters are cleaned from free text as the questionnaire cleans it and
  refused in identifiers, on SQLite and PostgreSQL; a cell over the csv field limit
  is "te lang";
* structure and size: kader YAML and snapshot JSON nested 600 or 50,000 levels deep
  are refused within a second with a Dutch message naming the file; uploads have a
  stated and enforced size limit.

PostgreSQL runs in a fresh schema per test (as in tests/test_storage.py); with
CI=true an unreachable server fails the test.
"""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
import tomllib
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from kader import laad_kaders
from storage import db
from storage import repository as repo
from storage import snapshot as snap
from storage.bereik import SYSTEEM
from storage.models import Antwoord, AntwoordWijziging, Consensus, Gemeente, Respondent, Ronde, Verbeteractie
from test_storage import engine, leeg_engine  # noqa: F401  (fixtures, used by name)
from tests.fabriek import KOLOMMEN, antwoorden
from uitwisselformaat import (
    MAX_UPLOAD_BYTES,
    UitwisselFout,
    lees_csv,
    lees_xlsx,
    neutraliseer,
    ontneutraliseer,
    schone_tekst,
    schrijf_csv,
    schrijf_xlsx,
    verboden_teken,
)
from uitwisselformaat import snapshot as snapformaat
from uitwisselformaat.snapshot import SnapshotFout

ROOT = Path(__file__).resolve().parents[1]
STJ = "stj-stelseltoezicht-jeugd"
KOP = ",".join(KOLOMMEN)
FORMULES = ["=SUM(A1:A9)", "+31 6 12345678", "-1", "@cmd", "\t=1+1", "\r=1+1", "=HYPERLINK(\"http://x\")",
            "-", "'=al met aanhalingsteken", "''+twee"]
FAMILIE = "👩\u200d👩\u200d👧"
VIES = "Aa\x00n\u202eaam\u200b\x1b[2J\x85 " + FAMILIE + " 🏳️\u200d🌈"
VIES_SCHOON = "Aan" + "aam" + "[2J " + FAMILIE + " 🏳️\u200d🌈"


def _csv(*rijen: str) -> bytes:
    return "\r\n".join((KOP, *rijen)).encode("utf-8") + b"\r\n"


def _rij(toelichting: str = "", *, gemeente: str = "Aadorp", ronde: str = "2026", respondent: str = "r-aaaa01",
         rol: str = "onderwijs", criterium: str = "c1-signalering", score: str = "3") -> list[str]:
    return [gemeente, ronde, respondent, rol, STJ, criterium, score, toelichting]


def _df(*rijen: list[str]) -> pd.DataFrame:
    return antwoorden(*rijen)


def _cellen(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _zonder_formule(cellen: list[list[str]]) -> None:
    for rij in cellen:
        for cel in rij:
            assert cel[:1] not in ("=", "+", "-", "@", "\t", "\r"), cel


# ------------------------------------------------------------------ databases


@pytest.fixture
def doel(engine):
    """An empty migrated database: SQLite, then PostgreSQL in its own schema (test_storage's engine)."""
    return engine


def _gemeenten(engine) -> list[str]:
    with db.sessie(engine) as s:
        return list(s.scalars(select(Gemeente.naam)))


# ------------------------------------------------------------------ 1. formulas in CSV exports


def test_csv_download_neutraliseert_formules_zoals_excel():
    df = _df(*[_rij(t, respondent=f"r-{i}") for i, t in enumerate(FORMULES)],
             _rij("gewoon", gemeente="=Gemeente", respondent="-r1", rol="@rol"))
    cellen = _cellen(schrijf_csv(df))
    _zonder_formule(cellen)
    assert [r[-1] for r in cellen[1:-1]] == ["'" + t for t in FORMULES]
    assert cellen[-1][:4] == ["'=Gemeente", "2026", "'-r1", "'@rol"]
    # the same function and rule as the Excel export and the werkboek
    from rapport.werkboek import veilige_tekst
    for t in FORMULES + ["gewoon", "'gewoon", "a=b"]:
        assert veilige_tekst(t).replace("_x000D_", "\r") == neutraliseer(t)


@pytest.mark.pdf
def test_csv_in_verbeterplan_pdf_neutraliseert_formules(stj):
    from rapport.verbeterplan import VerbeterplanInvoer, pdf_bijlagen, verbeterplan_context

    rijen = [_rij(FORMULES[(i + j) % len(FORMULES)], respondent=f"r-{i}", criterium=c.id)
             for i in range(len(FORMULES)) for j, c in enumerate(stj.criteria)]
    context = verbeterplan_context(VerbeterplanInvoer(_df(*rijen), stj, "Aadorp", "2026"))
    bijlage = next(b for b in pdf_bijlagen(context) if b.naam.endswith(".csv"))
    assert bijlage.data.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens it straight away
    cellen = _cellen(bijlage.data)
    _zonder_formule(cellen)
    assert {r[-1] for r in cellen[1:]} == {"'" + t for t in FORMULES}
    # and it reads back as the text that was written
    terug = lees_csv(bijlage.data, {STJ: stj}, bestand=bijlage.naam)
    assert set(terug["toelichting"]) == {schone_tekst(t) for t in FORMULES}


@settings(max_examples=300, deadline=None)
@given(st.text())
@example("'=x")
@example("-")
@example("''+")
@example("'-5 procent")
@example("'\t")
@example("\r=1")
def test_neutraliseren_is_verliesvrij_voor_elke_tekst(tekst):
    opgeslagen = neutraliseer(tekst)
    assert opgeslagen[:1] not in ("=", "+", "-", "@", "\t", "\r")
    assert ontneutraliseer(opgeslagen) == tekst


TEKST = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)


@pytest.mark.traag
@settings(max_examples=150, deadline=None)
@given(toelichtingen=st.lists(TEKST, min_size=1, max_size=3), soort=st.sampled_from(["csv", "xlsx"]))
@example(toelichtingen=["'=al gequote", "-5", "''+x"], soort="csv")
@example(toelichtingen=["=1+1", "'-", "@"], soort="xlsx")
def test_csv_en_excel_rondreis_met_willekeurige_tekst(kaders, toelichtingen, soort):
    """Reading gives back exactly what was written, cleaned as the questionnaire cleans:
    for text the questionnaire could have stored that is the text itself."""
    crit = [c.id for c in kaders[STJ].criteria]
    df = _df(*[_rij(t, respondent=f"-r{i}", criterium=crit[i]) for i, t in enumerate(toelichtingen)])
    if soort == "csv":
        data = schrijf_csv(df, bom=True)
        _zonder_formule(_cellen(data))
        terug = lees_csv(data, kaders)
    else:
        terug = lees_xlsx(schrijf_xlsx(df), kaders)
    assert terug["toelichting"].tolist() == [schone_tekst(t) for t in toelichtingen]
    assert terug["respondent"].tolist() == df["respondent"].tolist()
    schoon = [schone_tekst(t) for t in toelichtingen]
    assert lees_csv(schrijf_csv(df.assign(toelichting=schoon)), kaders)["toelichting"].tolist() == schoon


# ------------------------------------------------------------------ 2. cleaning imported text


def test_schone_tekst_houdt_emoji_heel_en_verwijdert_de_rest():
    assert schone_tekst(FAMILIE) == FAMILIE
    assert schone_tekst("🏳️\u200d🌈 👩🏽\u200d💻 ❤️\u200d🔥") == "🏳️\u200d🌈 👩🏽\u200d💻 ❤️\u200d🔥"
    schotland = "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
    assert schone_tekst(schotland) == schotland
    assert schone_tekst("a\u200db \u200d👩 👩\u200d x\U000e0067") == "ab 👩 👩 x"
    assert schone_tekst(VIES) == VIES_SCHOON
    assert schone_tekst("\u2066isolaat\u2069 \u200e\u200f\u061c\u00ad\u2060\ufeff\ufffe") == "isolaat "
    # identifiers: the same characters are named, not removed
    assert verboden_teken("Aa\x00dorp") == "U+0000 (NUL)"
    assert verboden_teken("Aa\u202edorp") == "U+202E (RIGHT-TO-LEFT OVERRIDE)"
    assert verboden_teken("Gezin " + FAMILIE) is None and verboden_teken("Aadorp") is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["👩", "👨", "👧", "👦", "🏳️", "🌈", "👩🏽", "💻", "❤️", "🔥"]), min_size=2, max_size=5),
       st.text(max_size=50))
def test_schone_tekst_property(emoji, tekst):
    reeks = "\u200d".join(emoji)
    assert schone_tekst(reeks) == reeks
    uit = schone_tekst(tekst)
    assert schone_tekst(uit) == uit  # idempotent: storing twice changes nothing
    for teken in uit:
        categorie = unicodedata.category(teken)
        assert teken in "\n\t" or categorie not in ("Cc", "Cs", "Zl", "Zp"), ascii(uit)
        assert categorie != "Cf" or teken == "\u200d" or 0xE0020 <= ord(teken) <= 0xE007F, ascii(uit)


@pytest.mark.parametrize("soort", ["csv", "xlsx"])
def test_import_maakt_toelichting_schoon(soort, kaders):
    df = _df(_rij(VIES))
    data = schrijf_csv(df) if soort == "csv" else schrijf_xlsx(df)
    gelezen = (lees_csv if soort == "csv" else lees_xlsx)(data, kaders, bestand=f"a.{soort}")
    assert gelezen["toelichting"].tolist() == [VIES_SCHOON]


@pytest.mark.parametrize("kolom, waarde, teken", [
    ("gemeente", "Aa\x00dorp", "U+0000"),
    ("gemeente", "Aa\u202edorp", "U+202E"),
    ("ronde", "2026\u2066", "U+2066"),
    ("respondent", "r-\u200baaaa", "U+200B"),
    ("rol", "onderwijs\ufeff", "U+FEFF"),
    ("criterium", "c2-toe\x85leiding", "U+0085"),
    ("gemeente", "Aa\ndorp", "U+000A"),
])
@pytest.mark.parametrize("soort", ["csv", "xlsx"])
def test_identificerende_cel_met_verboden_teken_geweigerd(kolom, waarde, teken, soort, kaders):
    df = _df(_rij("goed"), _rij("ook goed", criterium="c2-toeleiding"))
    df.loc[1, kolom] = waarde
    if kolom in ("gemeente", "ronde", "rol"):  # one value per respondent
        df.loc[0, kolom] = waarde
    data = schrijf_csv(df) if soort == "csv" else schrijf_xlsx(df)
    with pytest.raises(UitwisselFout) as info:
        (lees_csv if soort == "csv" else lees_xlsx)(data, kaders, bestand=f"a.{soort}")
    melding = str(info.value)
    assert f"a.{soort}, rij 3, kolom '{kolom}': deze cel bevat een teken dat hier niet mag: {teken}" in melding
    assert not any(c in melding for c in "\x00\u202e\u2066\u200b\ufeff\x85")  # the message itself is clean


@pytest.mark.db
def test_import_in_database_schoon_en_gemeente_met_nul_komt_er_nooit_in(doel, kaders):
    versies = {k: v.versie for k, v in kaders.items()}
    df = lees_csv(schrijf_csv(_df(_rij(VIES), _rij("\x00", criterium="c2-toeleiding"))), kaders)
    repo.importeer_antwoorden(doel, df, versies, door=SYSTEEM)
    with db.sessie(doel) as s:
        assert sorted(s.scalars(select(Antwoord.toelichting))) == ["", VIES_SCHOON]
        assert sorted(s.scalars(select(AntwoordWijziging.toelichting))) == ["", VIES_SCHOON]
    for naam in ("Aa\x00dorp", "Aa\u202edorp", "\u200bAadorp"):
        data = _csv(",".join(_rij("x", gemeente=naam, respondent="r-bbbb02")))
        with pytest.raises(UitwisselFout, match="teken dat hier niet mag"):
            repo.importeer_antwoorden(doel, lees_csv(data, kaders, bestand="b.csv"), versies, door=SYSTEEM)
    assert _gemeenten(doel) == ["Aadorp"]


def test_csv_cel_boven_de_veldlimiet_is_te_lang(kaders):
    lang = "x" * 1_000_000
    for rijen, rij, kolom in [
        ([",".join(_rij("kort")), ",".join(_rij(f'"{lang}, met ""aanhalingstekens""\nen een regel"',
                                               criterium="c2-toeleiding"))], 3, "toelichting"),
        ([",".join(_rij(gemeente=lang))], 2, "gemeente"),
    ]:
        with pytest.raises(UitwisselFout) as info:
            lees_csv(_csv(*rijen), kaders, bestand="groot.csv")
        melding = str(info.value)
        assert melding.startswith(f"groot.csv, rij {rij}, kolom '{kolom}': deze cel is te lang (meer dan 131.072 tekens")
        assert "aanhalingstekens (\") kloppen niet" not in melding


# snapshot: built by hand (no database needed for the source), digest computed as the app does
T = "2026-03-01T10:00:00.000000Z"


def _snapshot(stj, *, gemeente="Aadorp", label="2026", pseudoniem="r-snap01", tekst="gewoon") -> dict:
    c1, c2 = (c.id for c in stj.criteria[:2])
    antwoord = {"kader": STJ, "criterium": c1, "score": "3", "toelichting": tekst}
    obj = {
        "formaat": snapformaat.FORMAAT, "versie": snapformaat.VERSIE, "gemeente": gemeente,
        "ronde": {"label": label, "status": "open", "demo": False, "aangemaakt": T, "fase": "stil_scoren",
                  "huidig_kader": None, "huidig_criterium": None},
        "kaders": [{"id": STJ, "versie": stj.versie}], "rollen": ["onderwijs"],
        "respondenten": [{"pseudoniem": pseudoniem, "rol": "onderwijs", "organisatie": tekst[:80], "aangemaakt": T,
                          "antwoorden": [{**antwoord, "bijgewerkt": T}],
                          "wijzigingen": [{**antwoord, "tijdstip": T}]}],
        "consensus": [{"kader": STJ, "criterium": c2, "score": "2", "motivatie": tekst, "bijgewerkt": T}],
        "consensus_wijzigingen": [],
        "verbeterplan": [{"nummer": 1, "kader": STJ, "criterium": c1, "bron_actie": None, "wat": "Actie " + tekst,
                          "eigenaar": tekst[:200], "deadline": None, "meting": tekst, "status": "gepland",
                          "effect": tekst, "aangemaakt": T, "bijgewerkt": T}],
        "verbeterplan_wijzigingen": [],
    }
    obj["sha256"] = snapformaat.bereken_digest(obj)
    return obj


@pytest.mark.db
def test_snapshot_import_maakt_tekst_schoon(doel, kaders, stj):
    data = snapformaat.snapshot_bytes(_snapshot(stj, tekst=VIES))
    snap.importeer_snapshot(doel, data, "s.json", kaders=kaders, door=SYSTEEM)
    with db.sessie(doel) as s:
        assert list(s.scalars(select(Antwoord.toelichting))) == [VIES_SCHOON]
        assert list(s.scalars(select(AntwoordWijziging.toelichting))) == [VIES_SCHOON]
        assert list(s.scalars(select(Consensus.motivatie))) == [VIES_SCHOON]
        assert list(s.scalars(select(Verbeteractie.meting))) == [VIES_SCHOON]
        assert list(s.scalars(select(Verbeteractie.wat))) == ["Actie " + VIES_SCHOON]
        assert list(s.scalars(select(Respondent.organisatie))) == [schone_tekst(VIES[:80])]


@pytest.mark.db
@pytest.mark.parametrize("veld, wijziging, teken", [
    ("gemeente", {"gemeente": "Aa\x00dorp"}, "U+0000"),
    ("gemeente", {"gemeente": "Aa\u202edorp"}, "U+202E"),
    ("ronde.label", {"label": "2026\u2067"}, "U+2067"),
    ("respondenten[0].pseudoniem", {"pseudoniem": "r-\u200dsnap"}, "U+200D"),
])
def test_snapshot_identificerend_veld_met_verboden_teken_geweigerd(veld, wijziging, teken, doel, kaders, stj):
    data = snapformaat.snapshot_bytes(_snapshot(stj, **wijziging))
    with pytest.raises(SnapshotFout) as info:
        snap.importeer_snapshot(doel, data, "s.json", kaders=kaders, door=SYSTEEM)
    assert str(info.value).startswith(f"s.json, veld {veld}: bevat een teken dat hier niet mag: {teken}")
    assert _gemeenten(doel) == []
    with db.sessie(doel) as s:
        assert s.scalar(select(Ronde.id)) is None


def test_snapshot_met_losse_surrogaat_geeft_nette_melding(stj):
    tekst = snapformaat.snapshot_bytes(_snapshot(stj)).decode().replace('"Aadorp"', '"Aa\\ud800dorp"')
    with pytest.raises(SnapshotFout, match=r"^s\.json: het bestand bevat een ongeldig teken \(U\+D800\)"):
        snapformaat.lees_snapshot(tekst.encode(), "s.json")


# ------------------------------------------------------------------ 3. structure and size

STJ_YAML = (ROOT / "kader" / "stj-stelseltoezicht-jeugd.yaml").read_text(encoding="utf-8")


def _diepe_yaml(n: int) -> dict[str, str]:
    return {
        "haken": "soort: kader\nid: diep\nthemas: " + "[" * n + "]" * n + "\n",
        "accolades": "soort: kader\nthemas: " + "{a: " * n + "1" + "}" * n + "\n",
        "streepjes": "soort: kader\nthemas:\n" + "- " * n + "x\n",
        "inspringen": "soort: kader\n" + "".join(" " * i + f"k{i}:\n" for i in range(min(n, 1400))) + "  " * 1400 + "x: 1\n",
    }


@pytest.mark.parametrize("n", [600, 50_000])
def test_te_diepe_kader_yaml_belandt_in_fouten_en_de_rest_werkt(n, tmp_path):
    goed = tmp_path / "stj.yaml"
    goed.write_text(STJ_YAML, encoding="utf-8")
    for soort, tekst in _diepe_yaml(n).items():
        diep = tmp_path / f"diep-{soort}.yaml"
        diep.write_text(tekst, encoding="utf-8")
        begin = time.perf_counter()
        res = laad_kaders([goed, diep])
        duur = time.perf_counter() - begin
        assert duur < 1, (soort, duur)
        assert list(res.kaders) == [STJ]
        assert len(res.fouten) == 1, [str(f) for f in res.fouten]
        assert str(res.fouten[0]).startswith(f"{diep}, regel ")
        assert "te diep genest (meer dan 32 niveaus" in str(res.fouten[0])


def test_kader_check_te_diep_een_regel_zonder_traceback(tmp_path):
    diep = tmp_path / "diep.yaml"
    diep.write_text("[" * 50_000, encoding="utf-8")
    uit = subprocess.run([sys.executable, "-m", "kader", "check", str(diep)], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert uit.returncode == 1
    assert "Traceback" not in uit.stderr and uit.stdout == ""
    assert uit.stderr.splitlines() == [
        f"FOUT: {diep}, regel 1: de structuur is te diep genest (meer dan 32 niveaus van inspringen, [ en {{); "
        "een kaderbestand heeft er hoogstens een stuk of tien."]


def test_kader_yaml_net_binnen_de_grens_laadt_nog():
    from kader.yamlbron import YamlFout, lees_yaml

    verwacht: list = []
    for _ in range(30):
        verwacht = [verwacht]
    data, _ = lees_yaml("a: " + "[" * 31 + "]" * 31 + "\n")  # 1 block level + 31 flow levels = 32
    assert data == {"a": verwacht}
    with pytest.raises(YamlFout, match="te diep genest"):
        lees_yaml("a: " + "[" * 32 + "]" * 32 + "\n")


@pytest.mark.parametrize("n", [600, 50_000])
@pytest.mark.parametrize("vorm", ["lijst", "object", "in_snapshot"])
def test_te_diepe_snapshot_json_snel_geweigerd(n, vorm, stj):
    if vorm == "lijst":
        data = b"[" * n + b"]" * n
    elif vorm == "object":
        data = b'{"a":' * n + b"1" + b"}" * n
    else:  # a valid snapshot with a deep value hidden behind strings holding brackets
        obj = _snapshot(stj, tekst="]]]}}}")
        data = json.dumps(obj)[:-1].encode() + b', "x": "]]", "y": ' + b"[" * n + b"]" * n + b"}"
    begin = time.perf_counter()
    with pytest.raises(SnapshotFout) as info:
        snapformaat.lees_snapshot(data, "diep.json")
    assert time.perf_counter() - begin < 1
    assert str(info.value).startswith("diep.json: de gegevens zijn te diep genest (meer dan 32 niveaus")


def test_snapshot_check_te_diep_een_regel_zonder_traceback(tmp_path):
    diep = tmp_path / "diep.json"
    diep.write_bytes(b"[" * 100_000)
    uit = subprocess.run([sys.executable, "-m", "storage", "snapshot-check", str(diep)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert uit.returncode == 1
    assert "Traceback" not in uit.stderr
    assert uit.stderr.splitlines() == [f"Fout: {diep}: de gegevens zijn te diep genest (meer dan 32 niveaus van "
                                       "[ en {); dit is geen snapshot van deze app."]


def test_snapshot_te_groot_geweigerd_voor_het_parsen(stj):
    obj = _snapshot(stj)
    data = json.dumps({**obj, "vulling": "x" * MAX_UPLOAD_BYTES}).encode()
    begin = time.perf_counter()
    with pytest.raises(SnapshotFout, match=r"^groot\.json: het bestand is te groot \(20,0 MB\); hoogstens 20 MB"):
        snapformaat.lees_snapshot(data, "groot.json")
    assert time.perf_counter() - begin < 0.5


def test_xlsx_die_uitgepakt_te_groot_is_geweigerd_voor_openen(monkeypatch, kaders):
    from uitwisselformaat import excel

    data = schrijf_xlsx(_df(_rij("x")))
    monkeypatch.setattr(excel, "MAX_XLSX_UITGEPAKT", 1000)
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: pytest.fail("geopend"))
    with pytest.raises(UitwisselFout, match=r"^bom\.xlsx: het Excel-bestand is uitgepakt .* groot; hoogstens"):
        lees_xlsx(data, kaders, bestand="bom.xlsx")


@pytest.mark.db
def test_uploadgrens_op_de_pagina_gelijk_aan_config_en_afgedwongen(app_db):
    from streamlit.testing.v1 import AppTest

    from toegang import Gebruiker
    from views.tekst import zichtbaar

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == MAX_UPLOAD_BYTES

    at = AppTest.from_file(str(ROOT / "views" / "gegevens.py"), default_timeout=120)
    at.session_state["gebruiker"] = Gebruiker("demo-facilitator", "facilitator", frozenset({"*"}), True)
    at.run()
    assert not at.exception, at.exception
    # answers, snapshot and samenwerkingskaart (issue 15)
    assert sum("Hoogstens 20 MB per bestand." in c.value for c in at.caption) == 3
    assert [u.proto.max_upload_size_mb for u in at.file_uploader] == [config["server"]["maxUploadSize"]] * 3

    te_groot = b"x" * (MAX_UPLOAD_BYTES + 1024 * 1024)  # not even a CSV: the size is checked before parsing
    at.file_uploader[0].upload("groot.csv", te_groot, "text/csv").run()
    next(b for b in at.button if b.label == "Importeer").click().run()
    assert [zichtbaar(e.value) for e in at.error] == [  # the page shows the text literally (escaped markdown)
        "Niets geïmporteerd. groot.csv: het bestand is te groot (21 MB); hoogstens 20 MB kan worden ingelezen. "
        "Splits het bestand of exporteer minder tegelijk."]
    at.file_uploader[0].set_value(None)
    at.file_uploader(key="snapshot").upload("groot.json", te_groot, "application/json").run()
    next(b for b in at.button if b.label == "Alleen controleren").click().run()
    assert [zichtbaar(e.value) for e in at.error] == [
        "groot.json: het bestand is te groot (21 MB); hoogstens 20 MB kan worden ingelezen. "
        "Splits het bestand of exporteer minder tegelijk."]
    at.file_uploader(key="snapshot").set_value(None)
    at.file_uploader(key="samenwerking").upload("groot-kaart.csv", te_groot, "text/csv").run()
    next(b for b in at.button if b.label == "Importeer de samenwerkingskaart").click().run()
    assert [zichtbaar(e.value) for e in at.error] == [
        "Niets geïmporteerd. groot-kaart.csv: het bestand is te groot (21 MB); hoogstens 20 MB kan worden "
        "ingelezen. Splits het bestand of exporteer minder tegelijk."]


# ------------------------------------------------------------------ the storage layer itself


@pytest.mark.db
def test_storage_weigert_onzichtbare_tekens_in_namen_en_schoont_vrije_tekst(tmp_path):
    """Pages and imports go through storage, which refuses NUL and bidi characters in
    names and cleans free text itself, whatever the caller did before."""
    engine = db.maak_engine(f"sqlite:///{tmp_path / 'n.db'}")
    db.migreer(engine)
    for slecht in ("Aa\x00dorp", "Aa\u202edorp", "Aa\u200bdorp"):
        with pytest.raises(ValueError, match="U\\+"):
            repo.maak_gemeente(engine, slecht, door=SYSTEEM)
    assert repo.gemeenten(engine) == []
    g = repo.maak_gemeente(engine, "Aadorp", door=SYSTEEM)
    with pytest.raises(ValueError, match="naam van de ronde"):
        repo.maak_ronde(engine, g.id, "2026\u202e", {"stj-stelseltoezicht-jeugd": "1"}, door=SYSTEEM)
    with pytest.raises(ValueError, match="rol"):
        repo.maak_ronde(engine, g.id, "2026", {"stj-stelseltoezicht-jeugd": "1"}, rollen=["wijk\x00team"],
                        door=SYSTEEM)
    r = repo.maak_ronde(engine, g.id, "2026", {"stj-stelseltoezicht-jeugd": "1"}, door=SYSTEEM)
    resp, _ = repo.maak_respondent(engine, r.id, "wijkteam", organisatie="GG\u202eZ", door=SYSTEEM)
    assert resp.organisatie == "GGZ"
    repo.bewaar_antwoord(engine, resp.id, "stj-stelseltoezicht-jeugd", "c1", "3", "a\x00b\u202ec 👩‍👩‍👧")
    assert repo.antwoorden_van(engine, resp.id)[("stj-stelseltoezicht-jeugd", "c1")] == ("3", "abc 👩‍👩‍👧")
    repo.bewaar_consensus(engine, r.id, "stj-stelseltoezicht-jeugd", "c1", "3", "m\x00\u2066x", door=SYSTEEM)
    assert repo.consensus_van(engine, r.id)[("stj-stelseltoezicht-jeugd", "c1")][1] == "mx"
    a = repo.maak_actie(engine, r.id, "stj-stelseltoezicht-jeugd", "c1", "w\x00at", eigenaar="e\u202eig",
                        meting="m\x07", door=SYSTEEM)
    assert (a.wat, a.eigenaar, a.meting) == ("wat", "eig", "m")
    engine.dispose()
