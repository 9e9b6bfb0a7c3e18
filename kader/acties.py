"""Improvement actions (verbeteracties) from the sources, linked to kader criteria.

`kader/acties.yaml` (`soort: acties`) lists recommendations from the documents in
shared/bronnen. Each action names the criteria it addresses as (kader id,
criterium id) pairs, so a low score on a criterium can be turned into concrete
suggestions. The file is validated against the loaded kaders with the same
reader as the kader files: every problem is reported in Dutch with the file, the
line and the field path, e.g. ``acties[3].criteria[0].criterium``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .loader import KADER_MAP, Lezer, standaard_paden, toonnaam
from .model import Bron, Kader
from .yamlbron import Pad, YamlFout, lees_yaml

ACTIES_PAD = KADER_MAP / "acties.yaml"

NIVEAUS = ("uitvoering", "management", "beleid-bestuur")
NIVEAU_LABELS = {
    "uitvoering": "Uitvoering (cliënt en professional)",
    "management": "Management",
    "beleid-bestuur": "Beleid en bestuur",
}

_ACTIE_VELDEN = {"id", "tekst", "niveau", "criteria", "bron", "herschreven", "oorspronkelijk", "reden"}
_SOORT_ACTIES = re.compile(r"""^soort:\s*["']?acties["']?\s*(#.*)?$""", re.MULTILINE)


@dataclass(frozen=True)
class Actie:
    """One suggested action, traceable to a section of a source document."""

    id: str
    tekst: str
    niveau: str  # one of NIVEAUS
    criteria: tuple[tuple[str, str], ...]  # (kader id, criterium id)
    bron: Bron
    herschreven: bool = False  # True: `tekst` is rephrased; `oorspronkelijk` is the source text
    oorspronkelijk: str = ""
    reden: str = ""  # why `tekst` differs from the source (required when herschreven)

    @property
    def bronnummer(self) -> str:
        """Short name of the source file: '002' for '002_7cda73b5febe7485.txt'."""
        return self.bron.bestand.split("_", 1)[0]


def is_actiesbestand(pad: Path | str) -> bool:
    """True if the file declares `soort: acties` (checked on the text, so broken YAML is recognised too)."""
    try:
        tekst = Path(pad).read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return False
    return bool(_SOORT_ACTIES.search(tekst))


def kaderpaden(map_: Path = KADER_MAP) -> list[Path]:
    """The kader files in `map_`: every *.yaml except acties files (see loader.standaard_paden)."""
    return standaard_paden(map_)


def laad_acties(kaders: dict[str, Kader], pad: Path | str = ACTIES_PAD) -> tuple[tuple[Actie, ...], list[YamlFout]]:
    """Read and validate an acties file against `kaders` (kader id -> Kader).

    Returns the valid actions in file order and every error found. An action with
    an error is left out; the others still load.
    """
    pad = Path(pad)
    naam = toonnaam(pad)
    try:
        ruw = pad.read_bytes()
    except OSError as e:
        return (), [YamlFout(naam, 0, "", f"bestand kan niet gelezen worden ({e.strerror}).")]
    try:
        data, regels = lees_yaml(ruw, naam)
    except YamlFout as e:
        return (), [e]
    lz = Lezer(naam, regels)
    doc = lz.mapping(data, ())
    if doc is None:
        return (), lz.fouten
    if doc.get("soort") != "acties":
        lz.fout(("soort",), "verwacht 'acties'.")
        return (), lz.fouten
    lz.onbekende_velden(doc, (), {"soort", "acties"})
    acties: list[Actie] = []
    gezien: dict[str, Pad] = {}
    for i, ruwe_actie in enumerate(lz.veld(doc, (), "acties", list, standaard=[])):
        voor = len(lz.fouten)
        actie = _lees_actie(lz, ruwe_actie, ("acties", i), gezien, kaders)
        if actie is not None and len(lz.fouten) == voor:
            acties.append(actie)
    return tuple(acties), lz.fouten


def _lees_actie(lz: Lezer, a: object, pad: Pad, gezien: dict[str, Pad], kaders: dict[str, Kader]) -> Actie | None:
    if lz.mapping(a, pad) is None:
        return None
    lz.onbekende_velden(a, pad, _ACTIE_VELDEN)
    actie_id = lz.id(a, pad, gezien)
    tekst = lz.veld(a, pad, "tekst", str) or ""
    niveau = lz.veld(a, pad, "niveau", str) or ""
    if niveau and niveau not in NIVEAUS:
        lz.fout(pad + ("niveau",), f"onbekend niveau '{niveau}'; kies uit {', '.join(NIVEAUS)}.")
    criteria = _lees_criteria(lz, a, pad, kaders)
    bron = lz.bron(a, pad)
    herschreven = lz.veld(a, pad, "herschreven", bool, verplicht=False, standaard=False)
    oorspronkelijk = lz.veld(a, pad, "oorspronkelijk", str, verplicht=False, standaard="")
    if herschreven and not oorspronkelijk:
        lz.fout(pad + ("oorspronkelijk",), "verplicht bij 'herschreven: true': geef de tekst uit de bron.")
    if oorspronkelijk and not herschreven:
        lz.fout(pad + ("herschreven",), "'oorspronkelijk' staat er, maar 'herschreven: true' ontbreekt.")
    reden = lz.veld(a, pad, "reden", str, verplicht=False, standaard="")
    if herschreven and not (reden or "").strip():
        lz.fout(pad + ("reden",), "verplicht bij 'herschreven: true': zeg waarom de tekst anders is dan in de bron.")
    if reden and not herschreven:
        lz.fout(pad + ("reden",), "'reden' staat er, maar 'herschreven: true' ontbreekt.")
    return Actie(actie_id, tekst, niveau, criteria, bron, bool(herschreven), oorspronkelijk, " ".join((reden or "").split()))


def _lees_criteria(lz: Lezer, a: dict, pad: Pad, kaders: dict[str, Kader]) -> tuple[tuple[str, str], ...]:
    uit: list[tuple[str, str]] = []
    for j, c in enumerate(lz.veld(a, pad, "criteria", list, standaard=[])):
        cpad = pad + ("criteria", j)
        if lz.mapping(c, cpad) is None:
            continue
        lz.onbekende_velden(c, cpad, {"kader", "criterium"})
        kader_id = lz.veld(c, cpad, "kader", str)
        criterium_id = lz.veld(c, cpad, "criterium", str)
        if not kader_id or not criterium_id:
            continue
        kader = kaders.get(kader_id)
        if kader is None:
            bekend = ", ".join(sorted(kaders)) or "geen"
            lz.fout(cpad + ("kader",), f"onbekend kader '{kader_id}' (bekend: {bekend}).")
            continue
        if criterium_id not in {k.id for k in kader.criteria}:
            lz.fout(cpad + ("criterium",), f"onbekend criterium '{criterium_id}' in kader '{kader_id}'.")
            continue
        if (kader_id, criterium_id) in uit:
            lz.fout(cpad, f"criterium '{criterium_id}' van kader '{kader_id}' staat twee keer bij deze actie.")
            continue
        uit.append((kader_id, criterium_id))
    return tuple(uit)


def suggesties(acties: tuple[Actie, ...] | list[Actie], kader_id: str, criterium_id: str) -> list[Actie]:
    """Actions addressing one criterium: uitvoering, then management, then beleid-bestuur; file order within."""
    doel = (kader_id, criterium_id)
    passend = [a for a in acties if doel in a.criteria]
    return sorted(passend, key=lambda a: NIVEAUS.index(a.niveau) if a.niveau in NIVEAUS else len(NIVEAUS))


def tellingen(acties: tuple[Actie, ...] | list[Actie]) -> dict[str, int]:
    """Number of actions per source file ('002', '004', ...), in order of first appearance."""
    out: dict[str, int] = {}
    for a in acties:
        out[a.bronnummer] = out.get(a.bronnummer, 0) + 1
    return out


def samenvatting(acties: tuple[Actie, ...] | list[Actie]) -> str:
    """One line, e.g. 'acties: 57 acties (002: 6, 004: 30, 000: 10, 001: 11)'."""
    regel = f"acties: {len(acties)} acties"
    if acties:
        regel += " (" + ", ".join(f"{bron}: {n}" for bron, n in tellingen(acties).items()) + ")"
    return regel


__all__ = [
    "ACTIES_PAD", "NIVEAUS", "NIVEAU_LABELS", "Actie", "is_actiesbestand", "kaderpaden",
    "laad_acties", "samenvatting", "suggesties", "tellingen",
]
