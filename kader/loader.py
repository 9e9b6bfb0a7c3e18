"""Load and validate kader files and antwoordschalen.

Every YAML document names its `soort`: `kader` or `antwoordschaal`. A kader
refers to its answer set by id (`schaal: vierpunts`), as OWASP SAMM keeps answer
sets apart from questions. All problems in a file are collected and reported
with the file, the line and the field path, in Dutch. One broken file never
stops the valid ones from loading: `laad_kaders()` returns both.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .model import (
    GEEN_OORDEEL,
    HERKOMST_ONDERZOEK,
    HERKOMSTEN,
    Antwoordschaal,
    Bron,
    Criterium,
    GeenOordeel,
    Indicator,
    Kader,
    Schaalpunt,
    Thema,
    Verwachting,
)
from .yamlbron import Pad, YamlFout, lees_yaml, pad_tekst, regel_van

KADER_MAP = Path(__file__).resolve().parent
SCHAAL_MAP = KADER_MAP / "schalen"

ID_PATROON = re.compile(r"^[a-z0-9][a-z0-9-]*$")
ITEM_SLEUTELS = {"criteria": "criterium", "succesfactoren": "succesfactor", "randvoorwaarden": "randvoorwaarde"}

class _Fouten(Exception):
    def __init__(self, fouten: list[YamlFout]):
        super().__init__("; ".join(map(str, fouten)))
        self.fouten = fouten


@dataclass
class LaadResultaat:
    kaders: dict[str, Kader] = field(default_factory=dict)
    schalen: dict[str, Antwoordschaal] = field(default_factory=dict)
    fouten: list[YamlFout] = field(default_factory=list)
    bestanden: dict[str, str] = field(default_factory=dict)  # kader id -> file


class Lezer:
    """Walks one parsed document, collecting typed values and errors (each a `YamlFout`
    with file, line and field path, in Dutch). Shared by every YAML reader: kaders and
    schalen here, `kader.acties`, `kader.koppeling` and `vragenlijsten`."""

    def __init__(self, bestand: str, regels: dict[Pad, int]):
        self.bestand = bestand
        self.regels = regels
        self.fouten: list[YamlFout] = []

    def fout(self, pad: Pad, bericht: str) -> None:
        self.fouten.append(YamlFout(self.bestand, regel_van(self.regels, pad), pad_tekst(pad), bericht))

    def veld(self, obj: dict, pad: Pad, naam: str, soort: type | tuple, verplicht: bool = True, standaard=None):
        if naam not in obj or obj[naam] is None:
            if verplicht:
                self.fout(pad + (naam,), "verplicht veld ontbreekt.")
            return standaard
        waarde = obj[naam]
        if soort is str and isinstance(waarde, (int, float)) and not isinstance(waarde, bool):
            waarde = str(waarde)  # e.g. versie: 2016.1
        if not isinstance(waarde, soort) or (soort is int and isinstance(waarde, bool)):
            self.fout(pad + (naam,), f"verwacht {_soortnaam(soort)}, gevonden {_soortnaam(type(waarde))}.")
            return standaard
        if isinstance(waarde, str):
            waarde = waarde.strip()
            if verplicht and not waarde:
                self.fout(pad + (naam,), "mag niet leeg zijn.")
        if isinstance(waarde, list) and verplicht and not waarde:
            self.fout(pad + (naam,), "lijst mag niet leeg zijn.")
        return waarde

    def mapping(self, obj, pad: Pad) -> dict | None:
        if not isinstance(obj, dict):
            self.fout(pad, f"verwacht een verzameling velden, gevonden {_soortnaam(type(obj))}.")
            return None
        return obj

    def onbekende_velden(self, obj: dict, pad: Pad, toegestaan: set[str]) -> None:
        for naam in obj:
            if naam not in toegestaan:
                self.fout(pad + (naam,), f"onbekend veld '{naam}'. Toegestaan: {', '.join(sorted(toegestaan))}.")

    def id(self, obj: dict, pad: Pad, gezien: dict[str, Pad]) -> str:
        waarde = self.veld(obj, pad, "id", str) or ""
        if waarde and not ID_PATROON.match(waarde):
            self.fout(pad + ("id",), f"id '{waarde}' mag alleen kleine letters, cijfers en '-' bevatten.")
        elif waarde in gezien:
            eerder = regel_van(self.regels, gezien[waarde])
            self.fout(pad + ("id",), f"id '{waarde}' komt dubbel voor (ook op regel {eerder}).")
        elif waarde:
            gezien[waarde] = pad + ("id",)
        return waarde

    def bron(self, obj: dict, pad: Pad, verplicht: bool = True) -> Bron | None:
        ruw = self.veld(obj, pad, "bron", dict, verplicht=verplicht)
        if ruw is None:
            return None
        p = pad + ("bron",)
        self.onbekende_velden(ruw, p, {"bestand", "sectie"})
        return Bron(self.veld(ruw, p, "bestand", str) or "", self.veld(ruw, p, "sectie", str) or "")

    def verwachtingen(self, obj: dict, pad: Pad) -> tuple[Verwachting, ...]:
        uit = []
        for i, v in enumerate(self.veld(obj, pad, "verwachtingen", list, verplicht=False, standaard=[])):
            p = pad + ("verwachtingen", i)
            if self.mapping(v, p) is None:
                continue
            self.onbekende_velden(v, p, {"tekst", "bron", "plaatsing"})
            plaatsing = self.veld(v, p, "plaatsing", str, verplicht=False, standaard="bron")
            if plaatsing not in ("bron", "eigen"):
                self.fout(p + ("plaatsing",), f"onbekende plaatsing '{plaatsing}'; kies 'bron' of 'eigen'.")
            uit.append(Verwachting(self.veld(v, p, "tekst", str) or "", self.bron(v, p), plaatsing == "eigen"))
        return tuple(uit)


def _soortnaam(soort) -> str:
    namen = {str: "tekst", int: "geheel getal", float: "getal", bool: "ja/nee", list: "lijst", dict: "verzameling velden", type(None): "niets"}
    if isinstance(soort, tuple):
        return " of ".join(_soortnaam(s) for s in soort)
    return namen.get(soort, soort.__name__)


# --- antwoordschaal ---------------------------------------------------------

def lees_schaal(data: object, bestand: str, regels: dict[Pad, int]) -> Antwoordschaal:
    lz = Lezer(bestand, regels)
    doc = lz.mapping(data, ())
    if doc is None:
        raise _Fouten(lz.fouten)
    lz.onbekende_velden(doc, (), {"soort", "id", "titel", "bron", "punten", "geen_oordeel"})
    schaal_id = lz.id(doc, (), {})
    titel = lz.veld(doc, (), "titel", str)
    bron = lz.bron(doc, (), verplicht=False)
    punten, gezien = [], set()
    for i, p in enumerate(lz.veld(doc, (), "punten", list, standaard=[])):
        pad = ("punten", i)
        if lz.mapping(p, pad) is None:
            continue
        lz.onbekende_velden(p, pad, {"waarde", "label", "omschrijving"})
        waarde = lz.veld(p, pad, "waarde", int)
        if waarde is not None and waarde in gezien:
            lz.fout(pad + ("waarde",), f"schaalwaarde {waarde} komt dubbel voor.")
        gezien.add(waarde)
        punten.append(Schaalpunt(waarde, lz.veld(p, pad, "label", str) or "", lz.veld(p, pad, "omschrijving", str) or ""))
    if len(punten) < 2 and not lz.fouten:
        lz.fout(("punten",), "een schaal heeft minstens twee punten.")
    geen = []
    for i, g in enumerate(lz.veld(doc, (), "geen_oordeel", list, verplicht=False, standaard=[])):
        pad = ("geen_oordeel", i)
        if lz.mapping(g, pad) is None:
            continue
        lz.onbekende_velden(g, pad, {"waarde", "label", "omschrijving"})
        waarde = lz.veld(g, pad, "waarde", str)
        if waarde is not None and waarde not in GEEN_OORDEEL:
            lz.fout(pad + ("waarde",), f"onbekende schaalwaarde '{waarde}'; kies uit {', '.join(GEEN_OORDEEL)}.")
        geen.append(GeenOordeel(waarde or "", lz.veld(g, pad, "label", str) or "", lz.veld(g, pad, "omschrijving", str) or ""))
    if lz.fouten:
        raise _Fouten(lz.fouten)
    return Antwoordschaal(schaal_id, titel, tuple(sorted(punten, key=lambda p: p.waarde)), tuple(geen), bron)


# --- kader ------------------------------------------------------------------

def lees_kader(data: object, bestand: str, regels: dict[Pad, int], schalen: dict[str, Antwoordschaal]) -> Kader:
    lz = Lezer(bestand, regels)
    doc = lz.mapping(data, ())
    if doc is None:
        raise _Fouten(lz.fouten)
    lz.onbekende_velden(doc, (), {"soort", "id", "versie", "titel", "omschrijving", "bron", "herkomst", "schaal", "sterk_punt_vanaf",
                               "themas", "verwachtingen"})
    gezien: dict[str, Pad] = {}
    kader_id = lz.id(doc, (), gezien)
    versie = lz.veld(doc, (), "versie", str)
    titel = lz.veld(doc, (), "titel", str)
    omschrijving = lz.veld(doc, (), "omschrijving", str, verplicht=False, standaard="")
    bron = lz.bron(doc, ())
    herkomst = lz.veld(doc, (), "herkomst", str, verplicht=False, standaard=HERKOMST_ONDERZOEK)
    if herkomst not in HERKOMSTEN:
        lz.fout(("herkomst",), f"onbekende herkomst '{herkomst}'; kies uit: {', '.join(HERKOMSTEN)}.")
    schaal_id = lz.veld(doc, (), "schaal", str)
    schaal = schalen.get(schaal_id) if schaal_id else None
    if schaal_id and schaal is None:
        bekend = ", ".join(sorted(schalen)) or "geen"
        lz.fout(("schaal",), f"verwijst naar onbekende antwoordschaal '{schaal_id}' (bekend: {bekend}).")
    drempel = lz.veld(doc, (), "sterk_punt_vanaf", int)
    if schaal is not None and drempel is not None and drempel not in schaal.waarden:
        lz.fout(("sterk_punt_vanaf",), f"onbekende schaalwaarde {drempel}; schaal '{schaal.id}' kent {', '.join(map(str, schaal.waarden))}.")
    themas = []
    for ti, t in enumerate(lz.veld(doc, (), "themas", list, standaard=[])):
        tpad = ("themas", ti)
        if lz.mapping(t, tpad) is None:
            continue
        lz.onbekende_velden(t, tpad, {"id", "titel", "bron", *ITEM_SLEUTELS})
        thema_id = lz.id(t, tpad, gezien)
        thema_titel = lz.veld(t, tpad, "titel", str)
        thema_bron = lz.bron(t, tpad)
        sleutels = [s for s in ITEM_SLEUTELS if s in t]
        if len(sleutels) != 1:
            lz.fout(tpad, "een thema heeft precies één van de velden: " + ", ".join(ITEM_SLEUTELS) + ".")
            continue
        sleutel = sleutels[0]
        criteria = []
        for ci, c in enumerate(lz.veld(t, tpad, sleutel, list, standaard=[])):
            cpad = tpad + (sleutel, ci)
            if lz.mapping(c, cpad) is None:
                continue
            criteria.append(_lees_criterium(lz, c, cpad, ITEM_SLEUTELS[sleutel], thema_id, gezien))
        themas.append(Thema(thema_id, thema_titel, thema_bron, tuple(criteria)))
    verwachtingen = lz.verwachtingen(doc, ())
    if lz.fouten:
        raise _Fouten(lz.fouten)
    return Kader(kader_id, versie, titel, omschrijving, bron, schaal, drempel, tuple(themas), bestand, verwachtingen,
                 herkomst)


def _lees_criterium(lz: Lezer, c: dict, pad: Pad, soort: str, thema_id: str, gezien: dict) -> Criterium:
    velden = {"id", "kort", "tekst", "bron", "indicatoren", "ratio", "operationalisering", "verwachtingen"}
    lz.onbekende_velden(c, pad, velden)
    crit_id = lz.id(c, pad, gezien)
    indicatoren = []
    for ii, ind in enumerate(lz.veld(c, pad, "indicatoren", list, verplicht=False, standaard=[])):
        ipad = pad + ("indicatoren", ii)
        if lz.mapping(ind, ipad) is None:
            continue
        lz.onbekende_velden(ind, ipad, {"id", "tekst"})
        indicatoren.append(Indicator(lz.id(ind, ipad, gezien), lz.veld(ind, ipad, "tekst", str) or ""))
    return Criterium(
        id=crit_id,
        soort=soort,
        kort=lz.veld(c, pad, "kort", str) or "",
        tekst=lz.veld(c, pad, "tekst", str) or "",
        bron=lz.bron(c, pad),
        thema_id=thema_id,
        indicatoren=tuple(indicatoren),
        ratio=lz.veld(c, pad, "ratio", str, verplicht=False, standaard=""),
        operationalisering=lz.veld(c, pad, "operationalisering", str, verplicht=False, standaard=""),
        verwachtingen=lz.verwachtingen(c, pad),
    )


# --- loading many files -----------------------------------------------------

def _lees_bestand(pad: Path) -> tuple[object, dict, str]:
    naam = toonnaam(pad)
    try:
        ruw = pad.read_bytes()
    except OSError as e:
        raise _Fouten([YamlFout(naam, 0, "", f"bestand kan niet gelezen worden ({e.strerror}).")]) from None
    try:
        data, regels = lees_yaml(ruw, naam)
    except YamlFout as e:
        raise _Fouten([e]) from None
    soort = data.get("soort") if isinstance(data, dict) else None
    if soort not in ("kader", "antwoordschaal"):
        raise _Fouten([YamlFout(naam, regel_van(regels, ("soort",)), "soort", "verwacht 'kader' of 'antwoordschaal'.")])
    return data, regels, soort


def toonnaam(pad: Path) -> str:
    """The file name shown in messages: relative to the working directory when possible."""
    try:
        return str(pad.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(pad)


# Files in kader/ that are not kaders: the action library, the source register and
# the inspecties' werkwijze (methods and sourced questions).
_NIET_KADER = re.compile(r"^soort:\s*['\"]?(acties|bronnen|werkwijze|netwerkfuncties)['\"]?\s*(#.*)?$", re.MULTILINE)


def standaard_paden(map_: Path = KADER_MAP) -> list[Path]:
    """The kader files in `map_`: every *.yaml except acties, bronnen and werkwijze files."""
    return sorted(p for p in map_.glob("*.yaml")
                  if not _NIET_KADER.search(p.read_text(encoding="utf-8-sig", errors="replace")))


def laad_kaders(paden: list[Path | str] | None = None, schaal_map: Path = SCHAAL_MAP) -> LaadResultaat:
    """Load kaders (default: every *.yaml in kader/) with the answer sets in kader/schalen/.

    Answer-set files may also be passed in `paden`. Invalid files end up in
    `fouten`; valid ones in `kaders`, keyed by id.
    """
    res = LaadResultaat()
    paden = [Path(p) for p in (paden if paden is not None else standaard_paden())]
    schaal_paden = sorted(schaal_map.glob("*.yaml")) if schaal_map and schaal_map.is_dir() else []
    kader_docs = []
    for pad in [*schaal_paden, *[p for p in paden if p not in schaal_paden]]:
        try:
            data, regels, soort = _lees_bestand(pad)
            if soort == "antwoordschaal":
                schaal = lees_schaal(data, toonnaam(pad), regels)
                res.schalen[schaal.id] = schaal
            else:
                kader_docs.append((pad, data, regels))
        except _Fouten as f:
            res.fouten.extend(f.fouten)
    for pad, data, regels in kader_docs:
        naam = toonnaam(pad)
        try:
            kader = lees_kader(data, naam, regels, res.schalen)
        except _Fouten as f:
            res.fouten.extend(f.fouten)
            continue
        if kader.id in res.kaders:
            res.fouten.append(YamlFout(naam, regel_van(regels, ("id",)), "id", f"kader-id '{kader.id}' wordt al gebruikt in {res.bestanden[kader.id]}."))
            continue
        res.kaders[kader.id] = kader
        res.bestanden[kader.id] = naam
    return res


def open_document(pad: Path | str, soort: str) -> tuple[Lezer | None, dict | None, list[YamlFout]]:
    """Read a YAML document of kind ``soort`` (werkwijze, netwerkfuncties): its Lezer and top
    mapping, or (lezer or None, None, errors) when the file cannot be read, is no YAML
    mapping or has another ``soort`` (Dutch errors naming file, line and field)."""
    pad = Path(pad)
    naam = toonnaam(pad)
    try:
        ruw = pad.read_bytes()
    except OSError as e:
        return None, None, [YamlFout(naam, 0, "", f"bestand kan niet gelezen worden ({e.strerror}).")]
    try:
        data, regels = lees_yaml(ruw, naam)
    except YamlFout as e:
        return None, None, [e]
    lz = Lezer(naam, regels)
    doc = lz.mapping(data, ())
    if doc is None:
        return lz, None, lz.fouten
    if doc.get("soort") != soort:
        lz.fout(("soort",), f"verwacht '{soort}'.")
        return lz, None, lz.fouten
    return lz, doc, lz.fouten
