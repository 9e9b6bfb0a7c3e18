"""The uitwisselformaat: answers as a CSV or Excel file, for export, import and exchange.

Columns, exactly and in this order::

    gemeente,ronde,respondent,rol,kader,criterium,score,toelichting

* ``respondent`` is a pseudonym (never a name), ``rol`` a role id, ``kader`` and
  ``criterium`` ids from the kaders, ``score`` a value of the kader's scale,
  ``weet_niet`` or ``nvt``; ``toelichting`` is free text and may be empty.
* Written as UTF-8 with a comma separator and CRLF line ends (RFC 4180).
* Read leniently where spreadsheets differ: UTF-8 with or without BOM, a
  Windows-1252 fallback, ``;`` as separator (Dutch Excel), column names in any
  case or order, trailing empty cells, empty rows. Everything else is checked
  and reported in Dutch with the file, the row as a spreadsheet counts it
  (header = row 1) and the column.
* Excel (.xlsx): :func:`lees_xlsx` turns a worksheet into the same rows of text
  and runs exactly the same checks and messages as :func:`lees_csv` (row
  numbers are Excel's). :func:`schrijf_xlsx` writes one sheet ``antwoorden``
  with every cell as text.
* Formula injection: both writers pass every cell through :func:`neutraliseer`
  and both readers undo it with :func:`ontneutraliseer` (rule and proof of the
  lossless round trip: see "Formula neutralisation" below). The CSV attached to
  the verbeterplan PDF is written by :func:`schrijf_csv` as well.
* Text is cleaned on reading, as the questionnaire cleans it
  (:func:`storage.invoer.schone_tekst`): the toelichting loses control, bidi and
  other invisible characters; an identifier cell (gemeente, ronde, respondent,
  rol, kader, criterium, score) holding such a character is refused, never
  changed silently (:func:`storage.invoer.verboden_teken`). A CSV cell longer
  than the csv module's field limit is refused as too long, with row and column.
* Size: :data:`MAX_UPLOAD_BYTES` is the largest file the app reads from an upload
  (:func:`controleer_grootte`, checked before parsing); an .xlsx whose parts
  unpack to more than :data:`MAX_XLSX_UITGEPAKT` bytes is refused before opening.

This module has no database imports: a command-line check can use it alone.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import difflib
import io
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from kader.model import NVT, WEET_NIET, Kader
from storage.invoer import MAX_TOELICHTING, schone_tekst, verboden_teken

KOLOMMEN = (
    "gemeente", "ronde", "respondent", "rol", "kader", "criterium", "score", "toelichting",
)
VERPLICHT = KOLOMMEN[:-1]
# Longest values the database accepts (see storage/models.py).
MAX_LENGTE = {"gemeente": 200, "ronde": 100, "respondent": 64, "rol": 64}
MAX_MELDINGEN = 20
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
"""Largest upload (CSV, Excel or snapshot) the app reads: 20 MB, as Streamlit counts a
megabyte; .streamlit/config.toml ``server.maxUploadSize`` is the same number."""
MAX_XLSX_UITGEPAKT = 200 * 1024 * 1024
"""Largest total size of the unpacked parts of an .xlsx (a zip file) that is opened."""
# A respondent's gemeente, ronde and rol must be the same on all their rows.
_PER_RESPONDENT = ("gemeente", "ronde", "rol")


@dataclass(frozen=True)
class Melding:
    """One problem in a file; ``rij`` counts like a spreadsheet (header = 1)."""

    tekst: str
    rij: int | None = None
    kolom: str | None = None
    bestand: str = ""

    def __str__(self) -> str:
        plaats = [self.bestand] if self.bestand else []
        if self.rij is not None:
            plaats.append(f"rij {self.rij}")
        if self.kolom is not None:
            plaats.append(f"kolom '{self.kolom}'")
        return f"{', '.join(plaats)}: {self.tekst}" if plaats else self.tekst


class UitwisselFout(ValueError):
    """The file cannot be used. ``meldingen`` lists the (first) problems found."""

    def __init__(self, meldingen: list[Melding], totaal: int | None = None):
        self.meldingen = list(meldingen)
        self.totaal = max(totaal or 0, len(self.meldingen))
        regels = [str(m) for m in self.meldingen]
        rest = self.totaal - len(self.meldingen)
        if rest > 0:
            regels.append(f"... en nog {rest} andere fout{'en' if rest > 1 else ''}.")
        super().__init__("\n".join(regels))


def _opsomming(waarden: Iterable[str], voegwoord: str = "of") -> str:
    """'a, b of c' (Dutch enumeration)."""
    w = list(waarden)
    return w[0] if len(w) == 1 else f"{', '.join(w[:-1])} {voegwoord} {w[-1]}"


def geldige_scores(kader: Kader) -> tuple[str, ...]:
    """The score strings allowed for ``kader``: its scale values, weet_niet, nvt."""
    return tuple(str(w) for w in kader.schaal.waarden) + (WEET_NIET, NVT)


def megabytes(n: int) -> str:
    """A byte count as Dutch text in MB (1 MB = 1024 × 1024 bytes, as Streamlit counts)."""
    mb = n / (1024 * 1024)
    return (f"{mb:.0f}" if mb.is_integer() else f"{mb:.1f}".replace(".", ",")) + " MB"


def controleer_grootte(grootte: int, bestand: str = "", maximum: int = MAX_UPLOAD_BYTES) -> None:
    """Refuse a file of ``grootte`` bytes above ``maximum``, before it is read or parsed.

    Raises :class:`UitwisselFout` naming the file, its size and the limit.
    """
    if grootte > maximum:
        raise UitwisselFout([Melding(
            f"het bestand is te groot ({megabytes(grootte)}); hoogstens {megabytes(maximum)} kan "
            "worden ingelezen. Splits het bestand of exporteer minder tegelijk.",
            bestand=bestand,
        )])


# --------------------------------------------------------------------- reading


def _decodeer(data: bytes, bestand: str) -> str:
    """Bytes to text: UTF-8 (BOM optional), else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UitwisselFout([Melding(
            "het bestand is opgeslagen als UTF-16. Sla het op als "
            "'CSV UTF-8 (door komma's gescheiden)' en probeer het opnieuw.",
            bestand=bestand,
        )])
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise UitwisselFout([Melding(
            "het bestand is geen leesbare tekst (verwacht UTF-8 of Windows-1252).",
            bestand=bestand,
        )]) from None


def _scheidingsteken(tekst: str) -> str:
    """';' when the header line has more semicolons than commas, else ','."""
    kopregel = tekst.split("\n", 1)[0]
    return ";" if kopregel.count(";") > kopregel.count(",") else ","


def _lees_rijen(tekst: str, bestand: str) -> list[list[str]]:
    """All CSV records, every cell un-neutralised (:func:`ontneutraliseer`).

    A quoting error is reported with its row number; a cell longer than the csv
    module's field limit as too long, with its row and column.
    """
    rijen: list[list[str]] = []
    scheiding = _scheidingsteken(tekst)
    gelezen = 0  # characters of the lines the reader has taken so far

    def regels():
        nonlocal gelezen
        for regel in io.StringIO(tekst, newline=""):
            gelezen += len(regel)
            yield regel

    lezer = csv.reader(regels(), delimiter=scheiding, strict=True)
    while True:
        begin = gelezen  # where the next record starts
        try:
            rij = next(lezer)
        except StopIteration:
            break
        except csv.Error as e:
            if "field larger than field limit" in str(e):
                raise _te_lange_cel(tekst[begin:], scheiding, rijen, bestand) from None
            raise UitwisselFout([Melding(
                "deze rij is niet te lezen: de aanhalingstekens (\") kloppen niet.",
                rij=len(rijen) + 1, bestand=bestand,
            )]) from None
        rijen.append([ontneutraliseer(cel) for cel in rij])
    return rijen


def _te_lange_cel(record: str, scheiding: str, rijen: list[list[str]], bestand: str) -> UitwisselFout:
    """The error for a record (``record`` is the text from its start) with a cell over
    the csv field limit: finds which cell with a small RFC 4180 scan."""
    limiet = csv.field_size_limit()
    kolom, lengte, in_aanhalingstekens, i = 0, 0, False, 0
    while i < len(record) and lengte <= limiet:
        teken = record[i]
        if in_aanhalingstekens:
            if teken == '"':
                if record[i + 1:i + 2] == '"':
                    i += 1
                    lengte += 1
                else:
                    in_aanhalingstekens = False
            else:
                lengte += 1
        elif teken == '"':
            in_aanhalingstekens = True
        elif teken == scheiding:
            kolom, lengte = kolom + 1, 0
        elif teken in "\r\n":
            break
        else:
            lengte += 1
        i += 1
    kop = [k.strip().lstrip("\ufeff").strip().lower() for k in rijen[0]] if rijen else []
    naam = kop[kolom] if kolom < len(kop) and kop[kolom] else None
    tekst = (f"deze cel is te lang (meer dan {limiet:,} tekens; een toelichting is hoogstens "
             f"{MAX_TOELICHTING:,} tekens).").replace(",", ".")
    if naam is None:
        tekst = f"cel {kolom + 1} van deze rij is te lang" + tekst.removeprefix("deze cel is te lang")
    return UitwisselFout([Melding(tekst, rij=len(rijen) + 1, kolom=naam, bestand=bestand)])


def _kolomindeling(kop: list[str], bestand: str) -> list[str]:
    """Normalised header names; raises when columns are missing, extra or doubled."""
    namen = [k.strip().lstrip("\ufeff").strip().lower() for k in kop]
    while namen and not namen[-1]:
        namen.pop()
    meldingen: list[Melding] = []
    ontbrekend = [k for k in KOLOMMEN if k not in namen]
    gezien: set[str] = set()
    for nr, naam in enumerate(namen, start=1):
        if not naam:
            meldingen.append(Melding(f"kolom {nr} van de kopregel heeft geen naam.", 1, None, bestand))
        elif naam in gezien:
            meldingen.append(Melding("deze kolom komt twee keer voor.", 1, naam, bestand))
        elif naam not in KOLOMMEN:
            gelijkend = difflib.get_close_matches(naam, ontbrekend, n=1, cutoff=0.6)
            if gelijkend:
                ontbrekend.remove(gelijkend[0])
                tekst = f"onbekende kolomnaam; bedoelt u '{gelijkend[0]}'?"
            else:
                tekst = f"onbekende kolomnaam; gebruik {_opsomming(KOLOMMEN, 'en')}."
            meldingen.append(Melding(tekst, 1, kop[nr - 1].strip(), bestand))
        gezien.add(naam)
    for naam in ontbrekend:
        meldingen.append(Melding("deze kolom ontbreekt in de kopregel.", 1, naam, bestand))
    if meldingen:
        raise UitwisselFout(meldingen)
    return namen


class _Controle:
    """Collects meldingen while checking rows; keeps counting past the maximum."""

    def __init__(self, bestand: str):
        self.bestand = bestand
        self.meldingen: list[Melding] = []
        self.totaal = 0

    def fout(self, rij: int, kolom: str | None, tekst: str) -> None:
        self.totaal += 1
        if len(self.meldingen) < MAX_MELDINGEN:
            self.meldingen.append(Melding(tekst, rij, kolom, self.bestand))

    def klaar(self) -> None:
        if self.totaal:
            raise UitwisselFout(self.meldingen, self.totaal)


_TEVEEL_CSV = "Staat er een komma of puntkomma in een tekst zonder aanhalingstekens eromheen?"
_TEVEEL_XLSX = "Staat er iets in een kolom zonder kolomnaam in de kopregel?"


def _naar_record(
    cellen: list[str], namen: list[str], rijnr: int, c: _Controle, hint: str = _TEVEEL_CSV
) -> dict | None:
    """Map one row's cells to column names; None for an empty row."""
    if not any(cel.strip() for cel in cellen):
        return None
    extra = cellen[len(namen):]
    if any(cel.strip() for cel in extra):
        c.fout(rijnr, None, f"deze rij heeft {len(cellen)} cellen, de kopregel {len(namen)}. {hint}")
        return None
    cellen = cellen[: len(namen)] + [""] * (len(namen) - len(cellen))
    record = dict(zip(namen, cellen))
    for kolom in VERPLICHT:
        record[kolom] = record[kolom].strip()
    record["score"] = record["score"].lower()
    record["toelichting"] = schone_tekst(record["toelichting"])
    return record


def _controleer_cellen(
    r: dict, rijnr: int, kaders: Mapping[str, Kader], rollen: set[str] | None, c: _Controle
) -> None:
    """Checks on one row by itself: forbidden characters, empty cells, lengths, kader,
    criterium, score, rol."""
    for kolom in VERPLICHT:
        teken = verboden_teken(r[kolom])
        if teken:
            c.fout(rijnr, kolom, (
                f"deze cel bevat een teken dat hier niet mag: {teken}. Zo'n teken is vaak "
                "onzichtbaar; typ de waarde opnieuw."))
            # the later messages quote the value: show it without that character
            r[kolom] = " ".join(schone_tekst(r[kolom]).split())
    leeg = [k for k in VERPLICHT if not r[k]]
    for kolom in leeg:
        c.fout(rijnr, kolom, "deze cel is leeg; vul een waarde in.")
    for kolom, maximum in MAX_LENGTE.items():
        if len(r[kolom]) > maximum:
            c.fout(rijnr, kolom, f"de waarde is te lang (meer dan {maximum} tekens).")
    if rollen is not None and r["rol"] and r["rol"] not in rollen:
        c.fout(rijnr, "rol", f"'{r['rol']}' is geen bekende rol; kies {_opsomming(sorted(rollen))}.")
    if not r["kader"]:
        return
    kader = kaders.get(r["kader"])
    if kader is None:
        c.fout(rijnr, "kader", f"'{r['kader']}' is geen bekend kader; kies {_opsomming(sorted(kaders))}.")
        return
    if r["criterium"] and r["criterium"] not in {k.id for k in kader.criteria}:
        c.fout(rijnr, "criterium", f"'{r['criterium']}' hoort niet bij kader '{kader.id}'.")
    if r["score"] and r["score"] not in geldige_scores(kader):
        c.fout(rijnr, "score", (
            f"'{r['score']}' is geen geldige waarde; kies {_opsomming(geldige_scores(kader))}."
        ))


def _controleer_samenhang(
    r: dict, rijnr: int, eerder: dict, antwoorden: dict, c: _Controle
) -> None:
    """Checks across rows: one gemeente/ronde/rol per respondent, no double answers."""
    if not r["respondent"]:
        return
    eerste_rij, eerste = eerder.setdefault(r["respondent"], (rijnr, r))
    for kolom in _PER_RESPONDENT:
        if r[kolom] and eerste[kolom] and r[kolom] != eerste[kolom]:
            c.fout(rijnr, kolom, (
                f"respondent '{r['respondent']}' heeft in rij {eerste_rij} {kolom} "
                f"'{eerste[kolom]}', hier '{r[kolom]}'. Een respondent hoort bij één {kolom}."
            ))
    sleutel = (r["respondent"], r["kader"], r["criterium"])
    if r["kader"] and r["criterium"]:
        if sleutel in antwoorden:
            c.fout(rijnr, "criterium", (
                f"respondent '{r['respondent']}' heeft criterium '{r['criterium']}' van kader "
                f"'{r['kader']}' al beantwoord in rij {antwoorden[sleutel]}."
            ))
        else:
            antwoorden[sleutel] = rijnr


def lees_csv(
    data: bytes,
    kaders: Mapping[str, Kader],
    rollen: set[str] | None = None,
    bestand: str = "",
) -> pd.DataFrame:
    """Read and validate an uitwisselformaat file.

    Returns a DataFrame with exactly :data:`KOLOMMEN` (all strings, empty
    toelichting as ''), indexed by the spreadsheet row number (index name
    ``rij``) so later errors can point at the row. ``kaders`` maps kader id to
    Kader; ``rollen`` (optional) is the set of allowed role ids.
    Raises :class:`UitwisselFout` listing up to 20 problems.
    """
    tekst = _decodeer(data, bestand)
    if not tekst.strip():
        raise UitwisselFout([Melding("het bestand is leeg.", bestand=bestand)])
    return _valideer_rijen(_lees_rijen(tekst, bestand), kaders, rollen, bestand, _TEVEEL_CSV)


def _valideer_rijen(
    rijen: list[list[str]],
    kaders: Mapping[str, Kader],
    rollen: set[str] | None,
    bestand: str,
    hint_teveel: str,
) -> pd.DataFrame:
    """The checks shared by :func:`lees_csv` and :func:`lees_xlsx`.

    ``rijen`` holds every row as text cells; ``rijen[i]`` is spreadsheet row
    ``i + 1`` (so ``rijen[0]`` is the header). ``hint_teveel`` ends the message
    for a row with more cells than the header (the likely cause differs per format).
    """
    if not rijen:
        raise UitwisselFout([Melding("het bestand is leeg.", bestand=bestand)])
    namen = _kolomindeling(rijen[0], bestand)
    c = _Controle(bestand)
    records: list[dict] = []
    rijnummers: list[int] = []
    eerder: dict = {}
    antwoorden: dict = {}
    for rijnr, cellen in enumerate(rijen[1:], start=2):
        r = _naar_record(cellen, namen, rijnr, c, hint_teveel)
        if r is None:
            continue
        _controleer_cellen(r, rijnr, kaders, rollen, c)
        _controleer_samenhang(r, rijnr, eerder, antwoorden, c)
        records.append(r)
        rijnummers.append(rijnr)
    c.klaar()
    if not records:
        raise UitwisselFout([Melding(
            "het bestand bevat geen antwoorden, alleen een kopregel.", bestand=bestand
        )])
    return _dataframe(records, rijnummers)


def _dataframe(records: list[dict], rijnummers: list[int]) -> pd.DataFrame:
    df = pd.DataFrame(
        [[r[k] for k in KOLOMMEN] for r in records],
        columns=list(KOLOMMEN),
        index=pd.Index(rijnummers, name="rij"),
        dtype="str",
    )
    return df


# --------------------------------------------------------------------- writing


def _als_tekst(waarde) -> str:
    """Cell value as text: None/NaN become '', numbers like 3.0 become '3'."""
    if waarde is None or (isinstance(waarde, float) and math.isnan(waarde)):
        return ""
    if waarde is pd.NA:
        return ""
    if isinstance(waarde, float) and waarde.is_integer():
        return str(int(waarde))
    return str(waarde)


def schrijf_csv(df: pd.DataFrame, bom: bool = False) -> bytes:
    """DataFrame in the uitwisselformaat to CSV bytes (UTF-8, comma, CRLF).

    Only the :data:`KOLOMMEN` are written, in that order; other columns and the
    index are ignored. ``bom=True`` prepends a UTF-8 BOM, which makes Excel on
    Windows recognise the encoding. Reading it back with :func:`lees_csv` gives
    the same values (toelichting is never altered; other cells are stripped).

    Every cell goes through :func:`neutraliseer` (a spreadsheet opening the file
    never sees a formula); :func:`lees_csv` undoes that exactly.
    """
    ontbrekend = [k for k in KOLOMMEN if k not in df.columns]
    if ontbrekend:
        raise ValueError(f"Kolommen ontbreken voor het uitwisselformaat: {', '.join(ontbrekend)}.")
    buffer = io.StringIO(newline="")
    schrijver = csv.writer(buffer, lineterminator="\r\n")
    schrijver.writerow(KOLOMMEN)
    for rij in df[list(KOLOMMEN)].itertuples(index=False, name=None):
        schrijver.writerow([neutraliseer(_als_tekst(w)) for w in rij])
    tekst = buffer.getvalue()
    return (codecs.BOM_UTF8 if bom else b"") + tekst.encode("utf-8")


# --------------------------------------------------------------------- Formula neutralisation
#
# One rule for every spreadsheet-bound file this app writes (CSV download, the
# CSV inside the verbeterplan PDF, the Excel export, the werkboek):
#
# * Writing (:func:`neutraliseer`): text that matches "'*[=+-@\t\r]" (zero or
#   more "'" and then '=', '+', '-', '@', a tab or a carriage return) gets ONE
#   extra leading "'". So "=SUM(A1)" -> "'=SUM(A1)", "-5" -> "'-5",
#   "'=x" -> "''=x"; "'gewoon" and "a=b" stay as they are.
# * Reading (:func:`ontneutraliseer`): text that matches "'+[=+-@\t\r]" (one or
#   more "'" and then one of those six) loses exactly ONE leading "'".
#
# Lossless for every text t: if t matches "'*X" then neutraliseer(t) = "'" + t
# matches "'+X" and reading strips that one "'" again; if t does not match
# "'*X", it is written unchanged and cannot match "'+X" (that implies "'*X"),
# so reading leaves it alone. A toelichting that itself begins with "'=" or "-"
# therefore survives exactly. Only a file made elsewhere whose cell begins with
# "'" followed by one of the six loses that first "'" on import.

_NEUTRALISEER = re.compile(r"'*[=+\-@\t\r]")
_ONTNEUTRALISEER = re.compile(r"'+[=+\-@\t\r]")


def neutraliseer(tekst: str) -> str:
    """Prefix "'" to text a spreadsheet could take for a formula (rule above)."""
    return "'" + tekst if _NEUTRALISEER.match(tekst) else tekst


def ontneutraliseer(tekst: str) -> str:
    """Undo :func:`neutraliseer`: strip one "'" from text matching "'+[=+-@\t\r]"."""
    return tekst[1:] if _ONTNEUTRALISEER.match(tekst) else tekst


# --------------------------------------------------------------------- Excel
#
# Two encodings are applied to every text cell, in this order when writing and
# undone in the reverse order when reading:
#
# 1. Formula neutralisation (:func:`neutraliseer`, above).
# 2. OOXML string escaping (ST_Xstring, as Excel itself does it): characters
#    XML cannot hold (control characters, and '\r', which XML turns into '\n')
#    are stored as _xHHHH_, and a literal '_' that starts such a pattern as
#    _x005F_. openpyxl does neither, so it is done here.

XLSX_BLAD = "antwoorden"
_XML_ONVEILIG = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_XML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_EXCEL_MAX_TEKENS = 32767


def _ooxml_escape(tekst: str) -> str:
    return _XML_ONVEILIG.sub(lambda m: f"_x{ord(m.group(0)):04X}_", tekst)


def _ooxml_unescape(tekst: str) -> str:
    if "_x" not in tekst:
        return tekst
    return _XML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), tekst)


def _cel_als_tekst(waarde) -> str:
    """An openpyxl cell value as the text the CSV reader would have seen."""
    if waarde is None:
        return ""
    if isinstance(waarde, str):
        return ontneutraliseer(_ooxml_unescape(waarde))
    if isinstance(waarde, bool):
        return "WAAR" if waarde else "ONWAAR"
    if isinstance(waarde, float):
        if math.isfinite(waarde) and waarde.is_integer():
            return str(int(waarde))
        return repr(waarde)
    if isinstance(waarde, dt.datetime):
        if waarde.time() == dt.time(0) and waarde.tzinfo is None:
            return waarde.date().isoformat()
        return waarde.isoformat()
    if isinstance(waarde, (dt.date, dt.time)):
        return waarde.isoformat()
    return str(waarde)


def _geen_xlsx(bestand: str) -> UitwisselFout:
    return UitwisselFout([Melding(
        "het bestand is geen geldig Excel-bestand (.xlsx). Sla het in Excel op als "
        "'Excel-werkmap (*.xlsx)' of lever een CSV-bestand aan.",
        bestand=bestand,
    )])


def _xlsx_rijen(data: bytes, bestand: str, blad: str | None) -> list[list[str]]:
    """All rows of one worksheet as text; ``result[i]`` is Excel row ``i + 1``.

    Trailing empty cells of each row and trailing whitespace-only rows are
    dropped (as a CSV file simply would not have them).
    """
    import zipfile

    from openpyxl import load_workbook  # only needed for Excel files

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            uitgepakt = sum(info.file_size for info in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _geen_xlsx(bestand) from None
    if uitgepakt > MAX_XLSX_UITGEPAKT:
        raise UitwisselFout([Melding(
            f"het Excel-bestand is uitgepakt {megabytes(uitgepakt)} groot; hoogstens "
            f"{megabytes(MAX_XLSX_UITGEPAKT)} kan worden ingelezen. Lever een kleiner bestand of "
            "een CSV-bestand aan.", bestand=bestand,
        )])
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # any failure to open untrusted bytes: not an xlsx
        raise _geen_xlsx(bestand) from None
    try:
        werkbladen = {ws.title: ws for ws in wb.worksheets}
        if blad is None:
            if not wb.worksheets:
                raise _geen_xlsx(bestand)
            ws = wb.worksheets[0]
        elif blad in werkbladen:
            ws = werkbladen[blad]
        else:
            raise UitwisselFout([Melding(
                f"het werkblad '{blad}' bestaat niet in dit bestand; kies "
                f"{_opsomming([repr(n) for n in werkbladen]) if werkbladen else 'een ander bestand'}.",
                bestand=bestand,
            )])
        ws.reset_dimensions()  # do not trust a stored <dimension>: read every row
        rijen: list[list[str]] = []
        try:
            for waarden in ws.iter_rows(values_only=True):
                cellen = [_cel_als_tekst(w) for w in waarden]
                while cellen and cellen[-1] == "":
                    cellen.pop()
                rijen.append(cellen)
        except Exception:  # corrupt sheet XML inside a valid zip
            raise _geen_xlsx(bestand) from None
    finally:
        wb.close()
    while rijen and not any(cel.strip() for cel in rijen[-1]):
        rijen.pop()
    return rijen


def lees_xlsx(
    data: bytes,
    kaders: Mapping[str, Kader],
    rollen: set[str] | None = None,
    bestand: str = "",
    blad: str | None = None,
) -> pd.DataFrame:
    """Read and validate an uitwisselformaat Excel workbook (.xlsx).

    Reads the first worksheet, or the one named ``blad``. Formula cells count
    as their cached (last calculated) value; a formula without one is an empty
    cell. Numbers become text like in the sheet (3.0 -> '3'), dates ISO text
    ('2026-03-01'). Text written by :func:`schrijf_xlsx` is decoded again
    (:func:`ontneutraliseer`; _xHHHH_ escapes undone).

    Then exactly the checks and messages of :func:`lees_csv`; row numbers are
    Excel's (header = row 1) and the result has the same form.
    Raises :class:`UitwisselFout`, also when ``data`` is no .xlsx file or the
    sheet ``blad`` does not exist.
    """
    rijen = _xlsx_rijen(data, bestand, blad)
    return _valideer_rijen(rijen, kaders, rollen, bestand, _TEVEEL_XLSX)


def schrijf_xlsx(df: pd.DataFrame) -> bytes:
    """DataFrame in the uitwisselformaat to .xlsx bytes: one sheet ``antwoorden``.

    Writes the header and the :data:`KOLOMMEN` in that order (other columns and
    the index are ignored), every non-empty cell as text (data type 's', never a
    number, date or formula). Against formula injection, text starting with
    '=', '+', '-', '@', a tab or CR is stored with a leading "'" (``=SUM(A1)`` is
    stored as ``'=SUM(A1)``; :func:`neutraliseer`). :func:`lees_xlsx` strips exactly
    that one "'" again, so
    ``lees_xlsx(schrijf_xlsx(df))`` gives the same values as ``lees_csv(schrijf_csv(df))``.
    Raises ValueError when a column is missing or a cell is too long for Excel.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import Cell

    ontbrekend = [k for k in KOLOMMEN if k not in df.columns]
    if ontbrekend:
        raise ValueError(f"Kolommen ontbreken voor het uitwisselformaat: {', '.join(ontbrekend)}.")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(XLSX_BLAD)

    def tekstcel(tekst: str) -> Cell | None:
        if tekst == "":
            return None
        opgeslagen = _ooxml_escape(neutraliseer(tekst))
        if len(opgeslagen) > _EXCEL_MAX_TEKENS:
            raise ValueError(
                f"Een cel is te lang voor Excel ({len(opgeslagen)} tekens, maximaal "
                f"{_EXCEL_MAX_TEKENS}): {tekst[:40]!r}..."
            )
        cel = WriteOnlyCell(ws, value=opgeslagen)
        cel.data_type = "s"
        return cel

    ws.append([tekstcel(k) for k in KOLOMMEN])
    for rij in df[list(KOLOMMEN)].itertuples(index=False, name=None):
        ws.append([tekstcel(_als_tekst(w)) for w in rij])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def leeg_dataframe() -> pd.DataFrame:
    """An empty DataFrame with the uitwisselformaat columns."""
    return pd.DataFrame({k: pd.Series([], dtype="str") for k in KOLOMMEN})
