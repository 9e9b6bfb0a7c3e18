"""Validation of answer rows, shared by the CSV and the Excel reader: both turn a file
into rows of text cells and call :func:`valideer_rijen`, so both give exactly the same
checks and the same Dutch messages (file, row as a spreadsheet counts it, column).

Lenient where spreadsheets differ: column names in any case or order, trailing empty
cells, empty rows. Text is cleaned as the questionnaire cleans it
(:func:`uitwisselformaat.tekst.schone_tekst`): the toelichting loses control, bidi and
other invisible characters; an identifier cell (gemeente, ronde, respondent, rol, kader,
criterium, score) holding such a character is refused, never changed silently
(:func:`uitwisselformaat.tekst.verboden_teken`).
"""
from __future__ import annotations

import difflib
from collections.abc import Mapping

import pandas as pd

from kader.model import Kader
from uitwisselformaat.contract import (
    KOLOMMEN,
    MAX_BEWAARD,
    MAX_LENGTE,
    VERPLICHT,
    Melding,
    UitwisselFout,
    geldige_scores,
    opsomming,
)
from uitwisselformaat.tekst import schone_tekst, verboden_teken

# A respondent's gemeente, ronde and rol must be the same on all their rows.
_PER_RESPONDENT = ("gemeente", "ronde", "rol")


def kolomindeling(kop: list[str], bestand: str, kolommen: tuple[str, ...] = KOLOMMEN) -> list[str]:
    """Normalised header names; raises when columns of ``kolommen`` are missing, or
    columns are extra or doubled. Shared with the other CSV formats
    (``uitwisselformaat.samenwerking``)."""
    namen = [k.strip().lstrip("\ufeff").strip().lower() for k in kop]
    while namen and not namen[-1]:
        namen.pop()
    meldingen: list[Melding] = []
    ontbrekend = [k for k in kolommen if k not in namen]
    gezien: set[str] = set()
    for nr, naam in enumerate(namen, start=1):
        if not naam:
            meldingen.append(Melding(f"kolom {nr} van de kopregel heeft geen naam.", 1, None, bestand))
        elif naam in gezien:
            meldingen.append(Melding("deze kolom komt twee keer voor.", 1, naam, bestand))
        elif naam not in kolommen:
            gelijkend = difflib.get_close_matches(naam, ontbrekend, n=1, cutoff=0.6)
            if gelijkend:
                ontbrekend.remove(gelijkend[0])
                tekst = f"onbekende kolomnaam; bedoelt u '{gelijkend[0]}'?"
            else:
                tekst = f"onbekende kolomnaam; gebruik {opsomming(kolommen, 'en')}."
            meldingen.append(Melding(tekst, 1, kop[nr - 1].strip(), bestand))
        gezien.add(naam)
    for naam in ontbrekend:
        meldingen.append(Melding("deze kolom ontbreekt in de kopregel.", 1, naam, bestand))
    if meldingen:
        raise UitwisselFout(meldingen)
    return namen


class _Controle:
    """Collects meldingen while checking rows; keeps counting past the most it keeps."""

    def __init__(self, bestand: str):
        self.bestand = bestand
        self.meldingen: list[Melding] = []
        self.totaal = 0

    def fout(self, rij: int, kolom: str | None, tekst: str) -> None:
        self.totaal += 1
        if len(self.meldingen) < MAX_BEWAARD:
            self.meldingen.append(Melding(tekst, rij, kolom, self.bestand))

    def klaar(self) -> None:
        if self.totaal:
            raise UitwisselFout(self.meldingen, self.totaal)


def _naar_record(
    cellen: list[str], namen: list[str], rijnr: int, c: _Controle, hint: str
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
        c.fout(rijnr, "rol", f"'{r['rol']}' is geen bekende rol; kies {opsomming(sorted(rollen))}.")
    if not r["kader"]:
        return
    kader = kaders.get(r["kader"])
    if kader is None:
        c.fout(rijnr, "kader", f"'{r['kader']}' is geen bekend kader; kies {opsomming(sorted(kaders))}.")
        return
    if r["criterium"] and r["criterium"] not in {k.id for k in kader.criteria}:
        c.fout(rijnr, "criterium", f"'{r['criterium']}' hoort niet bij kader '{kader.id}'.")
    if r["score"] and r["score"] not in geldige_scores(kader):
        c.fout(rijnr, "score", (
            f"'{r['score']}' is geen geldige waarde; kies {opsomming(geldige_scores(kader))}."
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


def valideer_rijen(
    rijen: list[list[str]],
    kaders: Mapping[str, Kader],
    rollen: set[str] | None,
    bestand: str,
    hint_teveel: str,
) -> pd.DataFrame:
    """The checks shared by :func:`~uitwisselformaat.csvbestand.lees_csv` and
    :func:`~uitwisselformaat.excel.lees_xlsx`; returns the answers DataFrame (package doc).

    ``rijen`` holds every row as text cells; ``rijen[i]`` is spreadsheet row
    ``i + 1`` (so ``rijen[0]`` is the header). ``hint_teveel`` ends the message
    for a row with more cells than the header (the likely cause differs per format).
    """
    if not rijen:
        raise UitwisselFout([Melding("het bestand is leeg.", bestand=bestand)])
    namen = kolomindeling(rijen[0], bestand)
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
