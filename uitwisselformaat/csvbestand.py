"""The uitwisselformaat as a CSV file (RFC 4180).

* Written (:func:`schrijf_csv`) as UTF-8 with a comma separator and CRLF line ends,
  optionally with a BOM (Excel on Windows then recognises the encoding). The CSV
  attached to the verbeterplan PDF is written here as well.
* Read (:func:`lees_csv`) leniently where spreadsheets differ: UTF-8 with or without
  BOM, a Windows-1252 fallback, ``;`` as separator (Dutch Excel); then the checks of
  :func:`uitwisselformaat.validatie.valideer_rijen`. A cell longer than the csv
  module's field limit is refused as too long, with row and column.
* Every cell goes through :func:`~uitwisselformaat.neutraliseren.neutraliseer` on
  writing and :func:`~uitwisselformaat.neutraliseren.ontneutraliseer` on reading.
"""
from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Mapping

import pandas as pd

from kader.model import Kader
from uitwisselformaat.contract import KOLOMMEN, Melding, UitwisselFout, als_tekst
from uitwisselformaat.neutraliseren import neutraliseer, ontneutraliseer
from uitwisselformaat.tekst import MAX_TOELICHTING
from uitwisselformaat.validatie import valideer_rijen

_TEVEEL_CSV = "Staat er een komma of puntkomma in een tekst zonder aanhalingstekens eromheen?"


def decodeer(data: bytes, bestand: str) -> str:
    """Bytes to text: UTF-8 (BOM optional), else Windows-1252. Shared with the other
    CSV formats (``uitwisselformaat.samenwerking``)."""
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


def lees_rijen(tekst: str, bestand: str) -> list[list[str]]:
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
    tekst = decodeer(data, bestand)
    if not tekst.strip():
        raise UitwisselFout([Melding("het bestand is leeg.", bestand=bestand)])
    return valideer_rijen(lees_rijen(tekst, bestand), kaders, rollen, bestand, _TEVEEL_CSV)


def schrijf_csv(df: pd.DataFrame, bom: bool = False) -> bytes:
    """DataFrame in the uitwisselformaat to CSV bytes (UTF-8, comma, CRLF).

    Only the :data:`KOLOMMEN` are written, in that order; other columns and the
    index are ignored. ``bom=True`` prepends a UTF-8 BOM, which makes Excel on
    Windows recognise the encoding. Reading it back with :func:`lees_csv` gives
    the same values (toelichting is never altered; other cells are stripped).

    Every cell goes through :func:`neutraliseer` (a spreadsheet opening the file
    never sees a formula); :func:`lees_csv` undoes that exactly.
    """
    return schrijf_kolommen(df, KOLOMMEN, "het uitwisselformaat", bom)


def schrijf_kolommen(df: pd.DataFrame, kolommen, wat: str, bom: bool = False) -> bytes:
    """``df`` as CSV bytes (UTF-8, comma, CRLF): only ``kolommen``, in that order, every cell
    formula-neutralised; ValueError naming ``wat`` when a column is missing. Shared by
    :func:`schrijf_csv` and the samenwerkingskaart's writer."""
    ontbrekend = [k for k in kolommen if k not in df.columns]
    if ontbrekend:
        raise ValueError(f"Kolommen ontbreken voor {wat}: {', '.join(ontbrekend)}.")
    buffer = io.StringIO(newline="")
    schrijver = csv.writer(buffer, lineterminator="\r\n")
    schrijver.writerow(kolommen)
    for rij in df[list(kolommen)].itertuples(index=False, name=None):
        schrijver.writerow([neutraliseer(als_tekst(w)) for w in rij])
    return (codecs.BOM_UTF8 if bom else b"") + buffer.getvalue().encode("utf-8")
