"""Tests for the uitwisselformaat package: reading, validating and writing the CSV
and Excel exchange format. Uses small Kader objects built here, not the real YAML kaders."""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fabriek import KOLOMMEN, antwoorden, maak_kader  # noqa: E402
from uitwisselformaat import (  # noqa: E402
    MAX_MELDINGEN,
    UitwisselFout,
    lees_csv,
    lees_xlsx,
    schone_tekst,
    schrijf_csv,
    schrijf_xlsx,
)

KADERS = {k: maak_kader(c, k, versie="2025.1") for k, c in (("stj", ["c1", "c2", "c10"]), ("mov", ["s1", "s2"]))}
ROLLEN = {"gemeente", "wijkteam"}
KOP = ",".join(KOLOMMEN)


def csv_bytes(*rijen: str, kop: str = KOP, eol: str = "\r\n") -> bytes:
    return eol.join((kop, *rijen)).encode("utf-8") + eol.encode()


GOED = [
    "Demodorp,2026,r-aaaaaa,gemeente,stj,c1,3,Prima",
    "Demodorp,2026,r-aaaaaa,gemeente,stj,c2,weet_niet,",
    "Demodorp,2026,r-bbbbbb,wijkteam,mov,s1,nvt,",
]


def fout_bij(data: bytes, rollen=ROLLEN) -> UitwisselFout:
    with pytest.raises(UitwisselFout) as info:
        lees_csv(data, KADERS, rollen, bestand="antwoorden.csv")
    return info.value


# ------------------------------------------------------------------ happy path


def test_leest_geldig_bestand():
    df = lees_csv(csv_bytes(*GOED), KADERS, ROLLEN, bestand="antwoorden.csv")
    assert list(df.columns) == list(KOLOMMEN)
    assert list(df.index) == [2, 3, 4] and df.index.name == "rij"
    assert df.loc[2].tolist() == ["Demodorp", "2026", "r-aaaaaa", "gemeente", "stj", "c1", "3", "Prima"]
    assert df.loc[3, "toelichting"] == ""
    assert df.loc[4, "score"] == "nvt"


def test_uitwisselfout_is_valueerror():
    assert issubclass(UitwisselFout, ValueError)


def test_schrijf_csv_exacte_kopregel_en_volgorde():
    df = lees_csv(csv_bytes(*GOED), KADERS, ROLLEN)
    extra = df.assign(overig="x")[list(reversed(df.columns)) + ["overig"]]
    data = schrijf_csv(extra)
    assert data.startswith(b"gemeente,ronde,respondent,rol,kader,criterium,score,toelichting\r\n")
    assert b"overig" not in data and b"x\r\n" not in data
    assert data.decode("utf-8").splitlines()[1] == GOED[0]
    assert schrijf_csv(df, bom=True).startswith(codecs.BOM_UTF8 + b"gemeente,")


def test_schrijf_csv_zonder_kolom_geeft_fout():
    with pytest.raises(ValueError, match="score"):
        schrijf_csv(pd.DataFrame({k: ["x"] for k in KOLOMMEN if k != "score"}))


def test_schrijf_csv_nummers_en_lege_waarden():
    df = pd.DataFrame([["G", "2026", "r-1", "gemeente", "stj", "c1", 3.0, None]], columns=list(KOLOMMEN))
    assert schrijf_csv(df).decode().splitlines()[1] == "G,2026,r-1,gemeente,stj,c1,3,"


LASTIGE_TEKST = 'Komma, "aanhalingstekens", ;puntkomma;\nnieuwe regel\r\nCRLF\rCR, €, ë, 中文, 🙂  '


def test_round_trip_lastige_tekst():
    df = lees_csv(csv_bytes(*GOED), KADERS, ROLLEN)
    df.loc[2, "toelichting"] = LASTIGE_TEKST
    df.loc[2, "gemeente"] = df.loc[3, "gemeente"] = "Súdwest-Fryslân, \"Zuid\""
    terug = lees_csv(schrijf_csv(df), KADERS, ROLLEN)
    # reading cleans the toelichting as the questionnaire does (CR line ends become '\n')
    pd.testing.assert_frame_equal(terug, df.assign(toelichting=df["toelichting"].map(schone_tekst)))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(st.characters(blacklist_categories=("Cs",))), min_size=1, max_size=3))
def test_round_trip_property(toelichtingen):
    rijen = [
        ["Demodorp", "2026", f"r-{i}", "gemeente", "stj", ["c1", "c2", "c10"][i], "2", t]
        for i, t in enumerate(toelichtingen)
    ]
    df = antwoorden(*rijen)
    terug = lees_csv(schrijf_csv(df), KADERS, ROLLEN)
    schoon = [schone_tekst(t) for t in toelichtingen]  # exactly what the questionnaire would store
    assert terug["toelichting"].tolist() == schoon
    pd.testing.assert_frame_equal(terug.reset_index(drop=True), df.assign(toelichting=schoon))


# ------------------------------------------------------------------ lenient reading


def test_utf8_met_bom():
    df = lees_csv(codecs.BOM_UTF8 + csv_bytes("Demodorp,2026,r-1,gemeente,stj,c1,3,Één"), KADERS)
    assert list(df.columns) == list(KOLOMMEN)
    assert df.iloc[0]["gemeente"] == "Demodorp" and df.iloc[0]["toelichting"] == "Één"


def test_cp1252_terugval():
    data = (KOP + "\r\nSúdwest-Fryslân,2026,r-1,gemeente,stj,c1,4,Café €5\r\n").encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    df = lees_csv(data, KADERS)
    assert df.iloc[0]["gemeente"] == "Súdwest-Fryslân"
    assert df.iloc[0]["toelichting"] == "Café €5"


def test_puntkomma_als_scheidingsteken():
    data = csv_bytes("Demodorp;2026;r-1;gemeente;stj;c1;2;Goed, maar traag", kop=KOP.replace(",", ";"))
    df = lees_csv(data, KADERS, ROLLEN)
    assert df.iloc[0]["toelichting"] == "Goed, maar traag"
    assert df.iloc[0]["score"] == "2"


def test_kopregel_hoofdletters_volgorde_lege_cellen_en_rijen():
    kop = "Toelichting,SCORE,criterium,kader,rol,respondent,ronde,gemeente,,"
    data = csv_bytes("tekst,Weet_Niet,c1,stj,gemeente,r-1,2026,Demodorp,,", ",,,,,,,,,", "", kop=kop)
    df = lees_csv(data, KADERS, ROLLEN)
    assert list(df.columns) == list(KOLOMMEN)
    assert len(df) == 1 and df.iloc[0]["score"] == "weet_niet" and df.iloc[0]["toelichting"] == "tekst"


def test_ontbrekende_lege_toelichting_aan_het_eind_mag():
    df = lees_csv(csv_bytes("Demodorp,2026,r-1,gemeente,stj,c1,3"), KADERS)
    assert df.iloc[0]["toelichting"] == ""


# ------------------------------------------------------------------ errors


def test_voorbeeldmelding_uit_de_opdracht():
    rijen = [f"Demodorp,2026,r-{i},gemeente,stj,c1,3," for i in range(5)] + ["Demodorp,2026,r-9,gemeente,stj,c1,5,"]
    fout = fout_bij(csv_bytes(*rijen))
    assert str(fout) == (
        "antwoorden.csv, rij 7, kolom 'score': '5' is geen geldige waarde; "
        "kies 1, 2, 3, 4, weet_niet of nvt."
    )
    assert (fout.meldingen[0].rij, fout.meldingen[0].kolom) == (7, "score")


@pytest.mark.parametrize("data", [b"", b"  \r\n\r\n", codecs.BOM_UTF8])
def test_leeg_bestand(data):
    assert str(fout_bij(data)) == "antwoorden.csv: het bestand is leeg."


def test_alleen_kopregel():
    assert "geen antwoorden" in str(fout_bij(csv_bytes()))


FOUTGEVALLEN = {
    "kolom ontbreekt": (
        csv_bytes("Demodorp,2026,r-1,gemeente,stj,c1,", kop=KOP.replace(",score", "")),
        "rij 1, kolom 'score'", "ontbreekt",
    ),
    "extra kolom": (
        csv_bytes("Demodorp,2026,r-1,gemeente,stj,c1,3,,x", kop=KOP + ",opmerking"),
        "rij 1, kolom 'opmerking'", "onbekende kolomnaam",
    ),
    "verkeerde kolomnaam": (
        csv_bytes("Demodorp,2026,r-1,gemeente,stj,c1,3,", kop=KOP.replace("criterium", "criteria")),
        "rij 1, kolom 'criteria'", "bedoelt u 'criterium'?",
    ),
    "dubbele kolom": (
        csv_bytes("Demodorp,2026,r-1,gemeente,stj,c1,3,,3", kop=KOP + ",score"),
        "rij 1, kolom 'score'", "twee keer",
    ),
    "onbekend kader": (
        csv_bytes(GOED[0], "Demodorp,2026,r-1,gemeente,xyz,c1,3,"),
        "rij 3, kolom 'kader'", "'xyz' is geen bekend kader; kies mov of stj.",
    ),
    "criterium van ander kader": (
        csv_bytes(GOED[0], GOED[1], "Demodorp,2026,r-1,gemeente,mov,c1,3,"),
        "rij 4, kolom 'criterium'", "'c1' hoort niet bij kader 'mov'.",
    ),
    "ongeldige score": (
        csv_bytes("Demodorp,2026,r-1,gemeente,stj,c1,0,"),
        "rij 2, kolom 'score'", "'0' is geen geldige waarde",
    ),
    "onbekende rol": (
        csv_bytes(GOED[0], "Demodorp,2026,r-2,wethouder,stj,c1,3,"),
        "rij 3, kolom 'rol'", "'wethouder' is geen bekende rol; kies gemeente of wijkteam.",
    ),
    "lege verplichte cel": (
        csv_bytes(GOED[0], GOED[1], "Demodorp,,r-2,wijkteam,stj,c1,3,"),
        "rij 4, kolom 'ronde'", "deze cel is leeg",
    ),
    "dubbel antwoord": (
        csv_bytes(GOED[0], GOED[1], "Demodorp,2026,r-aaaaaa,gemeente,stj,c1,2,"),
        "rij 4, kolom 'criterium'", "al beantwoord in rij 2",
    ),
    "respondent wisselt van rol": (
        csv_bytes(GOED[0], "Demodorp,2026,r-aaaaaa,wijkteam,stj,c2,2,"),
        "rij 3, kolom 'rol'", "één rol",
    ),
    "te veel cellen": (
        csv_bytes("Demodorp,2026,r-1,gemeente,stj,c1,3,goed,maar niet altijd"),
        "rij 2: deze rij heeft 9 cellen", "aanhalingstekens",
    ),
    "aanhalingstekens kloppen niet": (
        csv_bytes(GOED[0], 'Demodorp,2026,r-1,gemeente,stj,c2,3,"goed" zeg ik'),
        "rij 3:", "aanhalingstekens",
    ),
    "te lang pseudoniem": (
        csv_bytes("Demodorp,2026," + "r" * 65 + ",gemeente,stj,c1,3,"),
        "rij 2, kolom 'respondent'", "te lang",
    ),
}


@pytest.mark.parametrize("naam", list(FOUTGEVALLEN))
def test_foutmelding_noemt_rij_en_kolom(naam):
    data, plaats, tekst = FOUTGEVALLEN[naam]
    melding = str(fout_bij(data))
    assert melding.startswith("antwoorden.csv, " + plaats), melding
    assert tekst in melding, melding


def test_rol_niet_gecontroleerd_zonder_rollen():
    df = lees_csv(csv_bytes("Demodorp,2026,r-2,wethouder,stj,c1,3,"), KADERS, None)
    assert df.iloc[0]["rol"] == "wethouder"


def test_rijnummer_telt_als_spreadsheet_bij_meerregelige_tekst():
    data = csv_bytes('Demodorp,2026,r-1,gemeente,stj,c1,3,"regel 1\nregel 2\nregel 3"',
                     "Demodorp,2026,r-1,gemeente,stj,c2,9,")
    fout = fout_bij(data)
    assert fout.meldingen[0].rij == 3


def test_utf16_krijgt_uitleg():
    data = (KOP + "\r\n" + GOED[0]).encode("utf-16")
    assert "UTF-16" in str(fout_bij(data))


def test_meerdere_fouten_samen_en_begrensd():
    rijen = [f"Demodorp,2026,r-{i},gemeente,stj,c1,7," for i in range(30)]
    fout = fout_bij(csv_bytes(*rijen))
    assert len(fout.meldingen) == fout.totaal == 30  # all kept: the page offers them as a CSV
    regels = str(fout).splitlines()
    assert len(regels) == MAX_MELDINGEN + 1
    assert regels[0].startswith("antwoorden.csv, rij 2, kolom 'score'")
    assert regels[-1] == "... en nog 10 andere fouten."


def test_kader_en_score_fouten_in_een_rij_samen():
    fout = fout_bij(csv_bytes("Demodorp,2026,r-1,,stj,c99,8,"))
    kolommen = [m.kolom for m in fout.meldingen]
    assert kolommen == ["rol", "criterium", "score"]


# ------------------------------------------------------------------ Excel (.xlsx)


def xlsx_bytes(*rijen, kop=KOLOMMEN, titel="Blad1", bladen_ervoor=()) -> bytes:
    """A workbook made with openpyxl; cells keep their Python type (numbers, dates, formulas)."""
    from openpyxl import Workbook
    wb = Workbook()
    for naam in bladen_ervoor:
        wb.active.title = naam
        wb.active.append(["niet", "dit", "blad"])
        wb.create_sheet()
        wb.active = len(wb.sheetnames) - 1
    ws = wb.worksheets[-1]
    ws.title = titel
    ws.append(list(kop))
    for rij in rijen:
        ws.append(list(rij))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def csv_naar_xlsx(data: bytes) -> bytes:
    """The same rows as a CSV test file, as a workbook (header included)."""
    rijen = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    return xlsx_bytes(*rijen[1:], kop=rijen[0])


def xlsx_fout(data: bytes, rollen=ROLLEN, **kw) -> UitwisselFout:
    with pytest.raises(UitwisselFout) as info:
        lees_xlsx(data, KADERS, rollen, bestand="antwoorden.xlsx", **kw)
    return info.value


GOED_RIJEN = [r.split(",") for r in GOED]


def test_xlsx_leest_geldig_bestand_zoals_csv():
    df = lees_xlsx(xlsx_bytes(*GOED_RIJEN), KADERS, ROLLEN, bestand="antwoorden.xlsx")
    pd.testing.assert_frame_equal(df, lees_csv(csv_bytes(*GOED), KADERS, ROLLEN))


def test_xlsx_getallen_datums_en_lege_cellen_als_tekst():
    df = lees_xlsx(xlsx_bytes(
        ["Demodorp", 2026, "r-1", "gemeente", "stj", "c1", 3, None],
        ["Demodorp", 2026.0, "r-1", "gemeente", "stj", "c2", 4.0, 2.5],
        ["Demodorp", 2026, "r-1", "gemeente", "stj", "c10", "2", dt.datetime(2026, 3, 1)],
    ), KADERS, ROLLEN)
    assert df["score"].tolist() == ["3", "4", "2"]
    assert df["ronde"].tolist() == ["2026"] * 3
    assert df["toelichting"].tolist() == ["", "2.5", "2026-03-01"]


def test_xlsx_rijnummers_zijn_die_van_excel():
    data = xlsx_bytes(GOED_RIJEN[0], [], [None, "  "], GOED_RIJEN[1] + [None, None, ""], [], [" "])
    df = lees_xlsx(data, KADERS, ROLLEN)
    assert list(df.index) == [2, 5]
    data = xlsx_bytes(GOED_RIJEN[0], [], ["Demodorp", 2026, "r-aaaaaa", "gemeente", "stj", "c2", 7])
    fout = xlsx_fout(data)
    assert (fout.meldingen[0].rij, fout.meldingen[0].kolom) == (4, "score")


def test_xlsx_ongeldige_score_noemt_excel_rij_en_kolom():
    data = xlsx_bytes(GOED_RIJEN[0], ["Demodorp", "2026", "r-2", "gemeente", "stj", "c1", "7"])
    assert str(xlsx_fout(data)) == (
        "antwoorden.xlsx, rij 3, kolom 'score': '7' is geen geldige waarde; "
        "kies 1, 2, 3, 4, weet_niet of nvt."
    )
    # the same with 7 typed as a number
    data = xlsx_bytes(GOED_RIJEN[0], ["Demodorp", "2026", "r-2", "gemeente", "stj", "c1", 7])
    assert str(xlsx_fout(data)).startswith("antwoorden.xlsx, rij 3, kolom 'score': '7' is geen")


XLSX_FOUTGEVALLEN = {
    "kolom ontbreekt": (
        xlsx_bytes(["Demodorp", "2026", "r-1", "gemeente", "stj", "c1", ""],
                   kop=[k for k in KOLOMMEN if k != "score"]),
        "antwoorden.xlsx, rij 1, kolom 'score': deze kolom ontbreekt in de kopregel.",
    ),
    "onbekend criterium": (
        xlsx_bytes(GOED_RIJEN[0], GOED_RIJEN[1], ["Demodorp", "2026", "r-1", "gemeente", "stj", "c99", 3]),
        "antwoorden.xlsx, rij 4, kolom 'criterium': 'c99' hoort niet bij kader 'stj'.",
    ),
    "onbekend werkblad": (
        xlsx_bytes(*GOED_RIJEN, titel="antwoorden", bladen_ervoor=["Uitleg"]),
        "antwoorden.xlsx: het werkblad 'Blad9' bestaat niet in dit bestand; kies 'Uitleg' of 'antwoorden'.",
    ),
    "csv in plaats van xlsx": (csv_bytes(*GOED), "antwoorden.xlsx: het bestand is geen geldig Excel-bestand (.xlsx)."),
    "willekeurige bytes": (bytes(range(256)) * 4, "geen geldig Excel-bestand (.xlsx)"),
    "zip zonder werkmap": (None, "geen geldig Excel-bestand (.xlsx)"),
    "leeg": (b"", "geen geldig Excel-bestand (.xlsx)"),
    "alleen kopregel": (xlsx_bytes(), "antwoorden.xlsx: het bestand bevat geen antwoorden, alleen een kopregel."),
    "leeg werkblad": (xlsx_bytes(kop=[]), "antwoorden.xlsx: het bestand is leeg."),
    "te veel cellen": (
        xlsx_bytes(GOED_RIJEN[0] + ["", "x"]),
        "antwoorden.xlsx, rij 2: deze rij heeft 10 cellen, de kopregel 8. Staat er iets in een kolom zonder",
    ),
}


def _zip_zonder_werkmap() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("hallo.txt", "geen werkmap")
    return buffer.getvalue()


@pytest.mark.parametrize("naam", list(XLSX_FOUTGEVALLEN))
def test_xlsx_foutmeldingen(naam):
    data, verwacht = XLSX_FOUTGEVALLEN[naam]
    if data is None:
        data = _zip_zonder_werkmap()
    melding = str(xlsx_fout(data, blad="Blad9" if naam == "onbekend werkblad" else None))
    assert melding.startswith(verwacht) if verwacht.startswith("antwoorden.xlsx") else verwacht in melding, melding


# Every CSV error case that is not about CSV syntax gives the very same message from Excel.
@pytest.mark.parametrize("naam", [n for n in FOUTGEVALLEN if n not in ("te veel cellen", "aanhalingstekens kloppen niet")])
def test_xlsx_meldingen_gelijk_aan_csv(naam):
    data = FOUTGEVALLEN[naam][0]
    assert str(xlsx_fout(csv_naar_xlsx(data))) == str(fout_bij(data)).replace("antwoorden.csv", "antwoorden.xlsx")


def test_xlsx_kiest_eerste_blad_of_het_genoemde():
    data = xlsx_bytes(*GOED_RIJEN, titel="antwoorden", bladen_ervoor=["Uitleg"])
    melding = str(xlsx_fout(data))  # the first sheet, 'Uitleg', is read: wrong header
    assert melding.startswith("antwoorden.xlsx, rij 1, kolom 'niet': onbekende kolomnaam"), melding
    df = lees_xlsx(data, KADERS, ROLLEN, blad="antwoorden")
    assert len(df) == 3


def _met_formules(cellen: dict[str, str], cache: dict[str, str]) -> bytes:
    """GOED as a workbook with formulas in ``cellen`` and a cached value for those in ``cache``
    (openpyxl cannot write cached values, so the sheet XML is edited)."""
    from openpyxl import load_workbook
    wb = load_workbook(io.BytesIO(xlsx_bytes(*GOED_RIJEN)))
    for adres, formule in cellen.items():
        wb.active[adres] = formule
    buffer = io.BytesIO()
    wb.save(buffer)
    uit = io.BytesIO()
    with zipfile.ZipFile(buffer) as zin, zipfile.ZipFile(uit, "w") as zuit:
        for item in zin.infolist():
            inhoud = zin.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                tekst = inhoud.decode()
                for adres, waarde in cache.items():
                    tekst, n = re.subn(rf'(<c r="{adres}"[^>]*>)<f>([^<]*)</f><v>[^<]*</v>',
                                       rf"\1<f>\2</f><v>{waarde}</v>", tekst)
                    assert n == 1, tekst
                inhoud = tekst.encode()
            zuit.writestr(item, inhoud)
    return uit.getvalue()


def test_xlsx_formule_telt_als_opgeslagen_waarde():
    # a cached "4.0" reaches the reader as the float 4.0 (a plain number cell as int)
    df = lees_xlsx(_met_formules({"G2": "=1+2", "G3": "=2*2"}, {"G2": "3", "G3": "4.0"}), KADERS, ROLLEN)
    assert df.loc[2, "score"] == "3" and df.loc[3, "score"] == "4"


def test_xlsx_formule_zonder_opgeslagen_waarde_is_lege_cel():
    fout = xlsx_fout(_met_formules({"G3": "=1+1"}, {}))
    assert str(fout) == "antwoorden.xlsx, rij 3, kolom 'score': deze cel is leeg; vul een waarde in."


# ------------------------------------------------------------------ writing Excel


INJECTIE = ["=SUM(A1)", "+31 6 12345678", "-", "@x", "'=al met aanhalingsteken", "''+twee", "'gewoon",
            "=", "-1", LASTIGE_TEKST, "tab\teind\n", "_x000D_ en _x005F_x0041_", "\x01\x1f\ufffe"]


def _df_met_toelichtingen(toelichtingen: list[str]) -> pd.DataFrame:
    rijen = [
        ["Demodorp", "2026", f"r-{i}", "gemeente", "stj", "c1", "2", t]
        for i, t in enumerate(toelichtingen)
    ]
    return antwoorden(*rijen)


def test_xlsx_round_trip_lastige_en_gevaarlijke_tekst():
    df = _df_met_toelichtingen(INJECTIE)
    df.loc[0, "gemeente"] = "Súdwest-Fryslân, \"Zuid\""
    df.loc[1, "respondent"] = "-r1"
    df.index = pd.Index(range(2, len(df) + 2), name="rij")
    terug = lees_xlsx(schrijf_xlsx(df), KADERS, ROLLEN)
    schoon = [schone_tekst(t) for t in INJECTIE]  # reading cleans as the questionnaire does
    pd.testing.assert_frame_equal(terug, df.assign(toelichting=schoon))
    assert terug["toelichting"].tolist() == schoon


def test_xlsx_round_trip_van_gelezen_csv():
    df = lees_csv(csv_bytes(*GOED), KADERS, ROLLEN)
    pd.testing.assert_frame_equal(lees_xlsx(schrijf_xlsx(df), KADERS, ROLLEN), df)


@pytest.mark.traag
@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(st.characters(blacklist_categories=("Cs",))), min_size=1, max_size=3))
@example(["=SUM(A1)", "+31 6 1234", "-"])
@example(["@x", "'=x", "_x0041_\r\n"])
def test_xlsx_round_trip_property(toelichtingen):
    rijen = [
        ["Demodorp", "2026", f"r-{i}", "gemeente", "stj", ["c1", "c2", "c10"][i], "2", t]
        for i, t in enumerate(toelichtingen)
    ]
    df = antwoorden(*rijen)
    terug = lees_xlsx(schrijf_xlsx(df), KADERS, ROLLEN)
    schoon = [schone_tekst(t) for t in toelichtingen]
    assert terug["toelichting"].tolist() == schoon
    pd.testing.assert_frame_equal(terug.reset_index(drop=True), df.assign(toelichting=schoon))


def test_xlsx_geen_formules_in_geschreven_bestand():
    from openpyxl import load_workbook
    df = _df_met_toelichtingen(INJECTIE).assign(rol="@rol")
    wb = load_workbook(io.BytesIO(schrijf_xlsx(df)))  # not data_only: formulas would show as 'f'
    assert wb.sheetnames == ["antwoorden"]
    cellen = [c for rij in wb["antwoorden"].iter_rows() for c in rij if c.value is not None]
    assert [c.value for c in cellen[:8]] == list(KOLOMMEN)
    assert all(c.data_type == "s" for c in cellen), [(c.coordinate, c.data_type) for c in cellen]
    waarden = {c.value for c in cellen}
    for gevaarlijk in ("=SUM(A1)", "+31 6 12345678", "-", "@x", "@rol", "=", "-1"):
        assert gevaarlijk not in waarden
        assert "'" + gevaarlijk in waarden
    assert "''=al met aanhalingsteken" in waarden and "'gewoon" in waarden
    assert not any(str(v).startswith(tuple("=+-@")) for v in waarden)


def test_schrijf_xlsx_alleen_uitwisselkolommen_als_tekst():
    from openpyxl import load_workbook
    df = lees_csv(csv_bytes(*GOED), KADERS, ROLLEN)
    extra = df.assign(overig="x")[list(reversed(df.columns)) + ["overig"]]
    ws = load_workbook(io.BytesIO(schrijf_xlsx(extra)))["antwoorden"]
    rijen = [[c.value for c in rij] for rij in ws.iter_rows()]
    assert rijen[0] == list(KOLOMMEN)
    assert rijen[1] == GOED_RIJEN[0]
    assert rijen[2][-1] is None  # empty toelichting: empty cell
    with pytest.raises(ValueError, match="score"):
        schrijf_xlsx(pd.DataFrame({k: ["x"] for k in KOLOMMEN if k != "score"}))
