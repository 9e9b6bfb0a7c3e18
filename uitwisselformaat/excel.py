"""The uitwisselformaat as an Excel workbook (.xlsx).

:func:`lees_xlsx` turns a worksheet into the same rows of text as the CSV reader and
runs exactly the same checks and messages (:func:`uitwisselformaat.validatie.valideer_rijen`;
row numbers are Excel's). :func:`schrijf_xlsx` writes one sheet ``antwoorden`` with
every cell as text. An .xlsx whose parts unpack to more than :data:`MAX_XLSX_UITGEPAKT`
bytes is refused before it is opened.
"""
from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Mapping

import pandas as pd

from kader.model import Kader
from uitwisselformaat.contract import KOLOMMEN, Melding, UitwisselFout, als_tekst, megabytes, opsomming
from uitwisselformaat.neutraliseren import neutraliseer, ontneutraliseer
from uitwisselformaat.validatie import valideer_rijen

# Two encodings are applied to every text cell, in this order when writing and
# undone in the reverse order when reading:
#
# 1. Formula neutralisation (:func:`~uitwisselformaat.neutraliseren.neutraliseer`).
# 2. OOXML string escaping (ST_Xstring, as Excel itself does it): characters
#    XML cannot hold (control characters, and '\r', which XML turns into '\n')
#    are stored as _xHHHH_, and a literal '_' that starts such a pattern as
#    _x005F_. openpyxl does neither, so it is done here (:func:`ooxml_escape`).

XLSX_BLAD = "antwoorden"
MAX_XLSX_UITGEPAKT = 200 * 1024 * 1024
"""Largest total size of the unpacked parts of an .xlsx (a zip file) that is opened."""
_XML_ONVEILIG = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_XML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_EXCEL_MAX_TEKENS = 32767

_TEVEEL_XLSX = "Staat er iets in een kolom zonder kolomnaam in de kopregel?"


def ooxml_escape(tekst: str) -> str:
    """OOXML string escaping of a cell's text (see above); the werkboek uses it too."""
    return _XML_ONVEILIG.sub(lambda m: f"_x{ord(m.group(0)):04X}_", tekst)


def ooxml_unescape(tekst: str) -> str:
    """Undo :func:`ooxml_escape`."""
    if "_x" not in tekst:
        return tekst
    return _XML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), tekst)


def _cel_als_tekst(waarde) -> str:
    """An openpyxl cell value as the text the CSV reader would have seen."""
    if waarde is None:
        return ""
    if isinstance(waarde, str):
        return ontneutraliseer(ooxml_unescape(waarde))
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
                f"{opsomming([repr(n) for n in werkbladen]) if werkbladen else 'een ander bestand'}.",
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
    return valideer_rijen(rijen, kaders, rollen, bestand, _TEVEEL_XLSX)


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
        opgeslagen = ooxml_escape(neutraliseer(tekst))
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
        ws.append([tekstcel(als_tekst(w)) for w in rij])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
