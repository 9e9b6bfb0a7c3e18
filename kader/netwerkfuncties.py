"""The seven functions a local netwerk(overleg) can perform (`kader/netwerkfuncties.yaml`).

From source 000 (RegioPlan 2010), Tabel 2.2: the names exactly as the table gives them,
a description only where the source gives one (quoted from §2.3.x), and a `bron` per
function. The inventory of overleggen (storage/overleggen.py, rapport/overleggen.py)
ticks these per overleg. The file is read with the same reader as the kader files
(`kader.loader.Lezer`): every problem in Dutch with the file, the line and the field.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .loader import KADER_MAP, open_document
from .model import Bron
from .yamlbron import Pad, YamlFout

NETWERKFUNCTIES_PAD = KADER_MAP / "netwerkfuncties.yaml"
AANTAL = 7
"""Tabel 2.2 names seven functions; a file with another number is refused."""


@dataclass(frozen=True)
class Netwerkfunctie:
    id: str
    naam: str
    omschrijving: str  # a quote from the source, or '' when the source gives none
    bron: Bron


@dataclass(frozen=True)
class Netwerkfuncties:
    functies: tuple[Netwerkfunctie, ...]
    bron: Bron  # the table as a whole

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.functies)

    def naam(self, functie_id: str) -> str:
        for f in self.functies:
            if f.id == functie_id:
                return f.naam
        raise KeyError(functie_id)


_VELDEN = {"soort", "bron", "functies"}
_FUNCTIEVELDEN = {"id", "naam", "omschrijving", "bron"}


def laad_netwerkfuncties(pad: Path | str = NETWERKFUNCTIES_PAD) -> tuple[Netwerkfuncties | None, list[YamlFout]]:
    """Read and validate the file. Returns (None, errors) when it has any error: the
    inventory needs all seven functions, so a partial list is never used."""
    lz, doc, fouten = open_document(pad, "netwerkfuncties")
    if doc is None:
        return None, fouten
    lz.onbekende_velden(doc, (), _VELDEN)
    bron = lz.bron(doc, ())
    gezien: dict[str, Pad] = {}
    namen: dict[str, int] = {}
    functies = []
    lijst = lz.veld(doc, (), "functies", list) or []
    for i, f in enumerate(lijst):
        p: Pad = ("functies", i)
        if lz.mapping(f, p) is None:
            continue
        lz.onbekende_velden(f, p, _FUNCTIEVELDEN)
        fid = lz.id(f, p, gezien)
        fnaam = lz.veld(f, p, "naam", str) or ""
        if fnaam and fnaam.lower() in namen:
            lz.fout(p + ("naam",), f"naam '{fnaam}' komt dubbel voor (ook bij functies[{namen[fnaam.lower()]}]).")
        namen.setdefault(fnaam.lower(), i)
        omschrijving = " ".join((lz.veld(f, p, "omschrijving", str, verplicht=False) or "").split())
        functies.append(Netwerkfunctie(fid, fnaam, omschrijving, lz.bron(f, p) or Bron("", "")))
    if isinstance(lijst, list) and lijst and len(lijst) != AANTAL:
        lz.fout(("functies",), f"verwacht {AANTAL} functies (Tabel 2.2 van de bron), gevonden {len(lijst)}.")
    if lz.fouten:
        return None, lz.fouten
    return Netwerkfuncties(tuple(functies), bron), []


@cache
def netwerkfuncties() -> Netwerkfuncties:
    """The seven functions from kader/; ValueError (Dutch, with file and line) when the file is wrong."""
    functies, fouten = laad_netwerkfuncties()
    if functies is None:
        raise ValueError("; ".join(str(f) for f in fouten))
    return functies
