"""The source register (`kader/bronnen.yaml`): title, publisher and year per source.

Every `bron` in the kaders, acties and vragenlijsten names a file in shared/bronnen
and a section. People never see that file name: pages and PDFs show the citation
made here ("Samenwerkend Toezicht Jeugd (STJ), Signaleren van onveiligheid … (2016),
§4.1"). Sources from before the Jeugdwet (2015) are `historisch`; their texts use
terms of their time, explained in `begrippen`.

This module imports only `kader.yamlbron` from the rest of `kader`, so `kader.model` can use it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .yamlbron import lees_yaml

REGISTER_PAD = Path(__file__).resolve().parent / "bronnen.yaml"
JEUGDWET_JAAR = 2015


@dataclass(frozen=True)
class Brondocument:
    bestand: str
    nummer: str
    titel: str
    uitgever: str
    jaar: int
    historisch: bool  # from before the Jeugdwet (2015)
    jaar_tekst: str = ""  # e.g. 'ca. 2011' when the year is not printed in the source
    opmerking: str = ""

    @property
    def jaartal(self) -> str:
        return self.jaar_tekst or str(self.jaar)

    def citaat(self, sectie: str = "") -> str:
        """'JSO …, Ketenregie Jeugd: zorg en veiligheid (2011), §3' – plain text."""
        tekst = f"{self.uitgever}, {self.titel} ({self.jaartal})"
        return f"{tekst}, {sectie}" if sectie else tekst


@dataclass(frozen=True)
class Begrip:
    term: str
    uitleg: str


@dataclass(frozen=True)
class Register:
    documenten: dict[str, Brondocument]
    begrippen: tuple[Begrip, ...]

    def document(self, bestand: str) -> Brondocument | None:
        return self.documenten.get(bestand)


def lees_register(pad: Path = REGISTER_PAD) -> Register:
    data, _ = lees_yaml(pad.read_bytes(), str(pad))  # the project's YAML reader: no aliases, size limit
    documenten = {}
    for b in data["bronnen"]:
        jaar = int(b["jaar"])
        doc = Brondocument(b["bestand"], str(b["nummer"]), b["titel"], b["uitgever"], jaar,
                           bool(b.get("historisch", jaar < JEUGDWET_JAAR)), b.get("jaar_tekst", ""),
                           b.get("opmerking", ""))
        documenten[doc.bestand] = doc
    begrippen = tuple(Begrip(b["term"], " ".join(b["uitleg"].split())) for b in data.get("begrippen", []))
    return Register(documenten, begrippen)


@cache
def register() -> Register:
    return lees_register()


def citeer(bestand: str, sectie: str) -> str:
    """The citation a person sees. An unknown file (only in test fixtures) keeps its name."""
    doc = register().document(bestand)
    if doc is None:
        return f"{bestand}, {sectie}" if sectie else bestand
    return doc.citaat(sectie)


def is_historisch(bestand: str) -> bool:
    doc = register().document(bestand)
    return bool(doc and doc.historisch)


def historisch_label(bestand: str) -> str:
    """'historische bron (2011, vóór de Jeugdwet)' or '' for a current source."""
    doc = register().document(bestand)
    if not doc or not doc.historisch:
        return ""
    return f"historische bron ({doc.jaartal}, vóór de Jeugdwet)"


def begrippen_in(tekst: str) -> tuple[Begrip, ...]:
    """The historic terms that occur in `tekst` (whole words, also as plural: buurtnetwerken, kernteams)."""
    return tuple(b for b in register().begrippen
                 if re.search(rf"(?<![\w]){re.escape(b.term)}(?:en|s)?(?![\w])", tekst, flags=re.IGNORECASE))
