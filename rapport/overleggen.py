"""The inventory of overleggen as a report: the overleg × function matrix (Ja/Nee, like
Tabel 2.2 of source 000), the functions no overleg performs, the functions many
overleggen perform, a plain Dutch summary and the CSV.

Gets its data, never fetches it: ``overleggen`` are objects or dicts with ``naam``,
``frequentie``, ``voorzitter_rol``, ``deelnemers`` and ``functies`` (rol and function
ids), e.g. `storage.repository.overleggen_van`. No respondent answers are involved, so
no anonymity threshold applies; no names of people are stored or shown.

"Many" is this instrument's own choice (`VEEL_MINIMUM`, `VEEL_AANDEEL`), not the
source's: `VEEL_UITLEG` says so wherever the list is shown.
"""
from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kader.netwerkfuncties import Netwerkfuncties, netwerkfuncties
from uitwisselformaat import neutraliseer

VEEL_MINIMUM = 3
"""A function counts as performed by many overleggen from this many overleggen on ..."""
VEEL_AANDEEL = 0.5
"""... and when at least this share of all overleggen performs it."""
VEEL_UITLEG = (f"Dit instrument noemt een functie 'bij veel overleggen' als minstens {VEEL_MINIMUM} "
               "overleggen en minstens de helft van alle overleggen haar vervullen. Die grens is een eigen "
               "keuze van dit instrument; de bron noemt geen grens.")
JA, NEE = "Ja", "Nee"
CSV_VASTE_KOLOMMEN = ("overleg", "hoe vaak", "voorzitter (rol)", "deelnemende rollen")


@dataclass(frozen=True)
class OverlegRij:
    naam: str
    frequentie: str
    voorzitter: str  # display name of the rol, '' when none
    deelnemers: tuple[str, ...]  # display names
    functies: frozenset[str]  # function ids


@dataclass(frozen=True)
class Inventaris:
    functies: Netwerkfuncties
    overleggen: tuple[OverlegRij, ...]
    aantal_per_functie: dict[str, int]  # function id -> number of overleggen performing it
    niet_vervuld: tuple[str, ...]  # function ids no overleg performs (only when there are overleggen)
    veel: tuple[str, ...]  # function ids many overleggen perform

    def naam(self, functie_id: str) -> str:
        return self.functies.naam(functie_id)


def _veld(o, naam: str, standaard=None):
    return o.get(naam, standaard) if isinstance(o, Mapping) else getattr(o, naam, standaard)


def is_veel(aantal: int, totaal: int) -> bool:
    """Whether ``aantal`` of ``totaal`` overleggen counts as 'many' (the instrument's own rule)."""
    return totaal > 0 and aantal >= VEEL_MINIMUM and aantal >= VEEL_AANDEEL * totaal


def inventaris(overleggen: Iterable, rol_namen: Mapping[str, str] | None = None,
               functies: Netwerkfuncties | None = None) -> Inventaris:
    """The matrix and what stands out, for overleggen in the given order."""
    functies = functies or netwerkfuncties()
    rol_namen = rol_namen or {}
    rijen = []
    for o in overleggen:
        voorzitter = _veld(o, "voorzitter_rol") or ""
        rijen.append(OverlegRij(
            str(_veld(o, "naam", "")), str(_veld(o, "frequentie", "") or ""),
            rol_namen.get(voorzitter, voorzitter),
            tuple(rol_namen.get(r, r) for r in (_veld(o, "deelnemers") or ())),
            frozenset(f for f in (_veld(o, "functies") or ()) if f in functies.ids),
        ))
    aantal = {f: sum(f in r.functies for r in rijen) for f in functies.ids}
    niet = tuple(f for f in functies.ids if rijen and aantal[f] == 0)
    veel = tuple(f for f in functies.ids if is_veel(aantal[f], len(rijen)))
    return Inventaris(functies, tuple(rijen), aantal, niet, veel)


def _opsomming(delen: list[str]) -> str:
    if len(delen) <= 1:
        return "".join(delen)
    return ", ".join(delen[:-1]) + " en " + delen[-1]


def samenvatting(inv: Inventaris) -> str:
    """A few plain sentences (B1) about the matrix."""
    n = len(inv.overleggen)
    if not n:
        return "Er staan nog geen overleggen in de lijst."
    zinnen = [f"Er {'staat' if n == 1 else 'staan'} {n} {'overleg' if n == 1 else 'overleggen'} in de lijst."]
    if inv.niet_vervuld:
        namen = _opsomming([inv.naam(f).lower() for f in inv.niet_vervuld])
        zinnen.append(f"{'Deze functie vervult' if len(inv.niet_vervuld) == 1 else 'Deze functies vervult'} "
                      f"geen enkel overleg: {namen}.")
    else:
        zinnen.append("Elke functie wordt door minstens één overleg vervuld.")
    if inv.veel:
        namen = _opsomming([f"{inv.naam(f).lower()} ({inv.aantal_per_functie[f]} van de {n})" for f in inv.veel])
        zinnen.append(f"{'Deze functie vervullen' if len(inv.veel) == 1 else 'Deze functies vervullen'} "
                      f"veel overleggen: {namen}. Kijk of die overleggen hetzelfde werk doen, "
                      "bijvoorbeeld dezelfde gezinnen bespreken.")
    return " ".join(zinnen)


def matrix_kolommen(inv: Inventaris) -> list[str]:
    return ["Overleg", *(f.naam for f in inv.functies.functies)]


def matrix_rijen(inv: Inventaris) -> list[list[str]]:
    """One row per overleg: its name and Ja/Nee per function; a last row with the count."""
    rijen = [[r.naam, *(JA if f in r.functies else NEE for f in inv.functies.ids)] for r in inv.overleggen]
    if inv.overleggen:
        n = len(inv.overleggen)
        rijen.append(["Aantal overleggen", *(f"{inv.aantal_per_functie[f]} van {n}" for f in inv.functies.ids)])
    return rijen


def gegevens_rijen(inv: Inventaris) -> list[list[str]]:
    """Per overleg: name, how often, chair (rol) and the rollen taking part."""
    return [[r.naam, r.frequentie or "–", r.voorzitter or "–", ", ".join(r.deelnemers) or "–"]
            for r in inv.overleggen]


def schrijf_overleggen_csv(inv: Inventaris, bom: bool = False) -> bytes:
    """The matrix as CSV (UTF-8, comma, CRLF): the fixed columns, then one Ja/Nee column
    per function. Every cell formula-neutralised like the other CSV writers."""
    buffer = io.StringIO(newline="")
    schrijver = csv.writer(buffer, lineterminator="\r\n")
    schrijver.writerow([*CSV_VASTE_KOLOMMEN, *(f.naam.lower() for f in inv.functies.functies)])
    for r in inv.overleggen:
        cellen = [r.naam, r.frequentie, r.voorzitter, "; ".join(r.deelnemers),
                  *(JA if f in r.functies else NEE for f in inv.functies.ids)]
        schrijver.writerow([neutraliseer(c) for c in cellen])
    return (codecs.BOM_UTF8 if bom else b"") + buffer.getvalue().encode("utf-8")


def overleggen_sectie(overleggen: Iterable | None, rol_namen: Mapping[str, str] | None = None) -> dict | None:
    """What the verbeterplan PDF shows (template verbeterplan_overleggen.html.j2); None
    leaves the section out (no inventory given)."""
    if overleggen is None:
        return None
    inv = inventaris(overleggen, rol_namen)
    return {
        "samenvatting": samenvatting(inv),
        "kolommen": matrix_kolommen(inv),
        "rijen": matrix_rijen(inv),
        "gegevens": gegevens_rijen(inv),
        "niet_vervuld": [inv.naam(f) for f in inv.niet_vervuld],
        "veel": [inv.naam(f) for f in inv.veel],
        "veel_uitleg": VEEL_UITLEG,
        "bron": str(inv.functies.bron),
        "functies": [{"naam": f.naam, "omschrijving": f.omschrijving, "bron": str(f.bron)}
                     for f in inv.functies.functies],
    }
