"""The samenwerkingskaart as data: per respondent and partner rol, how far their
cooperation around a family usually goes, on the coördinatieladder
(``kader/schalen/coordinatieladder.yaml``, after Mehlkopf 2008 in source 003).

The DataFrame and the CSV file have the columns :data:`SAMENWERKING_KOLOMMEN`, every
cell a ``str``:

===========  ========================================================================
gemeente     name of the gemeente
ronde        label of the ronde
respondent   pseudonym ('r-7k3m9q'); never a name
rol          the respondent's rol id (vragenlijsten/)
partner      the partner's rol id: with whom the respondent works
niveau       '0'..'5' (the ladder), 'weet_niet' or 'nvt'
toelichting  free text, cleaned; may be ''
===========  ========================================================================

One row per respondent × partner. No database code here.
"""
from __future__ import annotations

from collections.abc import Collection

import pandas as pd

from uitwisselformaat.contract import (
    MAX_BEWAARD,
    MAX_LENGTE,
    Melding,
    UitwisselFout,
    opsomming,
)
from uitwisselformaat.csvbestand import decodeer, lees_rijen, schrijf_kolommen
from uitwisselformaat.tekst import MAX_TOELICHTING, schone_tekst, verboden_teken
from uitwisselformaat.validatie import kolomindeling

SAMENWERKING_KOLOMMEN = ("gemeente", "ronde", "respondent", "rol", "partner", "niveau", "toelichting")
LADDER = ("0", "1", "2", "3", "4", "5")
"""The levels of the coördinatieladder, low to high."""
NIVEAUS = (*LADDER, "weet_niet", "nvt")
"""Every value ``niveau`` may take."""

# --------------------------------------------------------------- CSV (issue 15)
# Reading and writing the samenwerking CSV: the same machinery as the answers CSV
# (decoding, separator sniffing, quoting errors, formula neutralisation, clean
# identifiers), with its own row checks. All-or-nothing: every problem is collected
# and one UitwisselFout names them all with file, row and column.
VERPLICHT_SAMENWERKING = SAMENWERKING_KOLOMMEN[:-1]
"""Every column but ``toelichting`` must be filled."""
_MAX_LENGTE = {**MAX_LENGTE, "partner": 64, "niveau": 20}
_PER_RESPONDENT = ("gemeente", "ronde", "rol")
_TEVEEL = "Staat er een komma of puntkomma in een tekst zonder aanhalingstekens eromheen?"


class _Meldingen:
    def __init__(self, bestand: str):
        self.bestand = bestand
        self.lijst: list[Melding] = []
        self.totaal = 0

    def fout(self, rij: int | None, kolom: str | None, tekst: str) -> None:
        self.totaal += 1
        if len(self.lijst) < MAX_BEWAARD:
            self.lijst.append(Melding(tekst, rij, kolom, self.bestand))


def _record(cellen: list[str], namen: list[str], rijnr: int, m: _Meldingen) -> dict | None:
    if not any(cel.strip() for cel in cellen):
        return None
    if any(cel.strip() for cel in cellen[len(namen):]):
        m.fout(rijnr, None, f"deze rij heeft {len(cellen)} cellen, de kopregel {len(namen)}. {_TEVEEL}")
        return None
    cellen = cellen[: len(namen)] + [""] * (len(namen) - len(cellen))
    r = dict(zip(namen, cellen))
    for kolom in VERPLICHT_SAMENWERKING:
        r[kolom] = r[kolom].strip()
    r["niveau"] = r["niveau"].lower()
    r["toelichting"] = schone_tekst(r["toelichting"])
    return r


def _controleer(r: dict, rijnr: int, rollen: Collection[str] | None, m: _Meldingen) -> None:
    for kolom in VERPLICHT_SAMENWERKING:
        teken = verboden_teken(r[kolom])
        if teken:
            m.fout(rijnr, kolom, f"deze cel bevat een teken dat hier niet mag: {teken}. Zo'n teken is "
                                 "vaak onzichtbaar; typ de waarde opnieuw.")
            r[kolom] = " ".join(schone_tekst(r[kolom]).split())
        if not r[kolom]:
            m.fout(rijnr, kolom, "deze cel is leeg; vul een waarde in.")
    for kolom, maximum in _MAX_LENGTE.items():
        if kolom in r and len(r[kolom]) > maximum:
            m.fout(rijnr, kolom, f"de waarde is te lang (meer dan {maximum} tekens).")
    if len(r["toelichting"]) > MAX_TOELICHTING:
        m.fout(rijnr, "toelichting", f"de toelichting is te lang (meer dan {MAX_TOELICHTING} tekens).")
    if r["niveau"] and r["niveau"] not in NIVEAUS:
        m.fout(rijnr, "niveau", f"'{r['niveau']}' is geen geldige waarde; kies {opsomming(NIVEAUS)}.")
    if rollen is not None:
        for kolom in ("rol", "partner"):
            if r[kolom] and r[kolom] not in rollen:
                m.fout(rijnr, kolom, f"'{r[kolom]}' is geen bekende rol; kies {opsomming(sorted(rollen))}.")
    if r["rol"] and r["rol"] == r["partner"]:
        m.fout(rijnr, "partner", "de partner is dezelfde rol als de rol van de deelnemer; "
                                 "vul hier een andere rol in.")


def _samenhang(r: dict, rijnr: int, eerder: dict, paren: dict, m: _Meldingen) -> None:
    if not r["respondent"]:
        return
    eerste_rij, eerste = eerder.setdefault(r["respondent"], (rijnr, r))
    for kolom in _PER_RESPONDENT:
        if r[kolom] and eerste[kolom] and r[kolom] != eerste[kolom]:
            m.fout(rijnr, kolom, f"respondent '{r['respondent']}' heeft in rij {eerste_rij} {kolom} "
                                 f"'{eerste[kolom]}', hier '{r[kolom]}'. Een respondent hoort bij één {kolom}.")
    if r["partner"]:
        sleutel = (r["respondent"], r["partner"])
        if sleutel in paren:
            m.fout(rijnr, "partner", f"respondent '{r['respondent']}' heeft partner '{r['partner']}' al "
                                     f"ingevuld in rij {paren[sleutel]}. Eén rij per deelnemer en partner.")
        else:
            paren[sleutel] = rijnr


def lees_samenwerking_csv(data: bytes, bestand: str = "", rollen: Collection[str] | None = None) -> pd.DataFrame:
    """Read and check a samenwerking CSV (module doc), all-or-nothing.

    Returns a DataFrame with exactly :data:`SAMENWERKING_KOLOMMEN`, every cell a ``str``,
    indexed by the spreadsheet row number (index name ``rij``). ``rollen``: the known rol
    ids; when given, an unknown ``rol`` or ``partner`` is an error. Raises
    :class:`~uitwisselformaat.contract.UitwisselFout` naming every problem with file, row
    and column, in Dutch. Lenient like the answers CSV: UTF-8 with or without BOM or
    Windows-1252, ',' or ';', column names in any case or order, empty rows.
    """
    tekst = decodeer(data, bestand)
    if not tekst.strip():
        raise UitwisselFout([Melding("het bestand is leeg.", bestand=bestand)])
    rijen = lees_rijen(tekst, bestand)
    namen = kolomindeling(rijen[0], bestand, SAMENWERKING_KOLOMMEN)
    m = _Meldingen(bestand)
    records, nummers, eerder, paren = [], [], {}, {}
    for rijnr, cellen in enumerate(rijen[1:], start=2):
        r = _record(cellen, namen, rijnr, m)
        if r is None:
            continue
        _controleer(r, rijnr, rollen, m)
        _samenhang(r, rijnr, eerder, paren, m)
        records.append(r)
        nummers.append(rijnr)
    if m.totaal:
        raise UitwisselFout(m.lijst, m.totaal)
    if not records:
        raise UitwisselFout([Melding("het bestand bevat geen samenwerking, alleen een kopregel.",
                                     bestand=bestand)])
    return pd.DataFrame([[r[k] for k in SAMENWERKING_KOLOMMEN] for r in records],
                        columns=list(SAMENWERKING_KOLOMMEN), index=pd.Index(nummers, name="rij"), dtype="str")


def leeg_samenwerking() -> pd.DataFrame:
    """An empty samenwerking DataFrame (the columns, no rows)."""
    return pd.DataFrame({k: pd.Series([], dtype="str") for k in SAMENWERKING_KOLOMMEN})


def schrijf_samenwerking_csv(df: pd.DataFrame, bom: bool = False) -> bytes:
    """A samenwerking DataFrame as CSV bytes (UTF-8, comma, CRLF), like ``schrijf_csv``:
    only :data:`SAMENWERKING_KOLOMMEN`, in that order; every cell formula-neutralised
    (:func:`lees_samenwerking_csv` undoes that); ``bom=True`` for Excel on Windows."""
    return schrijf_kolommen(df, SAMENWERKING_KOLOMMEN, "de samenwerkingskaart", bom)
