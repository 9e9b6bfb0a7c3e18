"""The inspecties' werkwijze and the sourced visit questions (`kader/werkwijze.yaml`).

Two parts, kept apart on purpose:

* **from the sources, verbatim**: the kinds of organisation of 002 §1.2 (signalerende
  partijen, duidende instanties), the methods of 002 Kader 1 "Werkwijze" with the kind
  of organisation the source names for each and the documents it names, the
  reflectiebijeenkomst, and the Onderzoeksvragen of 004 Bijlage 3 per topic
  (werksessie casuïstiek, netwerken);
* **the instrument's own choice** (`koppeling`): which of those questions and methods
  belong to which criterium, succesfactor or randvoorwaarde. The sources make no such
  link; `Werkwijze.uitleg` says so in Dutch and pages and PDFs show it.

An item without a `koppeling` entry gets every method of Kader 1 and no questions:
nothing is ever invented. The file is read with the same reader as the kader files
(`kader.loader.Lezer`): every problem in Dutch with the file, the line and the field
path, e.g. ``koppeling.onderdelen[3].criterium``; unknown kader or criterium ids are
reported.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .loader import KADER_MAP, Lezer, open_document
from .model import Bron, Kader
from .yamlbron import Pad, YamlFout

WERKWIJZE_PAD = KADER_MAP / "werkwijze.yaml"


@dataclass(frozen=True)
class Partij:
    """A kind of organisation as the source names it (002 §1.2)."""

    id: str
    naam: str
    tekst: str
    bron: Bron


@dataclass(frozen=True)
class Methode:
    """One method of the inspecties (002 Kader 1), with what the source says about it."""

    id: str
    naam: str
    tekst: str
    bron: Bron
    partijen: tuple[Partij, ...] = ()  # only those the source names for this method
    documenten: tuple[str, ...] = ()  # documents the source names (to request)


@dataclass(frozen=True)
class Bijeenkomst:
    naam: str
    tekst: str
    bron: Bron


@dataclass(frozen=True)
class Vraag:
    """A question from the sources, verbatim; `onderwerp` is the source's heading."""

    id: str
    tekst: str
    onderwerp: str
    bron: Bron


@dataclass(frozen=True)
class Onderwerp:
    id: str
    titel: str
    bron: Bron
    vragen: tuple[Vraag, ...]


@dataclass(frozen=True)
class Plaatsing:
    """The instrument's own choice: methods and questions for one kader item."""

    kader: str
    criterium: str
    methoden: tuple[str, ...]
    vragen: tuple[str, ...]


@dataclass(frozen=True)
class Bezoek:
    """What the visit preparation shows for one item: sourced methods and questions.

    ``gekoppeld`` is False when the werkwijze places nothing at this item; then
    ``methoden`` holds every method of Kader 1 and ``vragen`` is empty.
    """

    methoden: tuple[Methode, ...]
    vragen: tuple[Vraag, ...]
    gekoppeld: bool


@dataclass(frozen=True)
class Werkwijze:
    partijen: tuple[Partij, ...]
    methoden: tuple[Methode, ...]
    reflectiebijeenkomst: Bijeenkomst | None
    onderwerpen: tuple[Onderwerp, ...]
    uitleg: str  # shown with every placement: the link is this instrument's own choice
    plaatsingen: tuple[Plaatsing, ...] = ()

    @property
    def vragen(self) -> tuple[Vraag, ...]:
        return tuple(v for o in self.onderwerpen for v in o.vragen)

    def methode(self, methode_id: str) -> Methode:
        for m in self.methoden:
            if m.id == methode_id:
                return m
        raise KeyError(methode_id)

    def onderwerp(self, onderwerp_id: str) -> Onderwerp:
        for o in self.onderwerpen:
            if o.id == onderwerp_id:
                return o
        raise KeyError(onderwerp_id)

    def plaatsing(self, kader_id: str, criterium_id: str) -> Plaatsing | None:
        for p in self.plaatsingen:
            if (p.kader, p.criterium) == (kader_id, criterium_id):
                return p
        return None

    def voor(self, kader_id: str, criterium_id: str) -> Bezoek:
        """Methods (in Kader 1 order) and questions (in source order) for one item."""
        p = self.plaatsing(kader_id, criterium_id)
        if p is None:
            return Bezoek(self.methoden, (), False)
        return Bezoek(tuple(m for m in self.methoden if m.id in p.methoden),
                      tuple(v for v in self.vragen if v.id in p.vragen), True)

    def documenten(self, bezoek: Bezoek) -> tuple[tuple[str, Methode], ...]:
        """(document, method) for every document the source names with the chosen methods."""
        return tuple((d, m) for m in bezoek.methoden for d in m.documenten)


# --- reading ----------------------------------------------------------------------------------

_VELDEN = {"soort", "partijen", "methoden", "reflectiebijeenkomst", "onderwerpen", "koppeling"}


def laad_werkwijze(kaders: dict[str, Kader], pad: Path | str = WERKWIJZE_PAD) -> tuple[Werkwijze | None, list[YamlFout]]:
    """Read and validate a werkwijze file against `kaders` (kader id -> Kader).

    Returns the werkwijze (None when the file cannot be used at all) and every error
    found. A placement with an error is left out; the rest still loads.
    """
    lz, doc, fouten = open_document(pad, "werkwijze")
    if doc is None:
        return None, fouten
    lz.onbekende_velden(doc, (), _VELDEN)
    gezien: dict[str, Pad] = {}
    partijen = _lees_partijen(lz, doc, gezien)
    methoden = _lees_methoden(lz, doc, gezien, {p.id: p for p in partijen})
    bijeenkomst = _lees_bijeenkomst(lz, doc)
    onderwerpen = _lees_onderwerpen(lz, doc, gezien)
    uitleg, plaatsingen = _lees_koppeling(lz, doc, kaders, {m.id for m in methoden},
                                          {v.id for o in onderwerpen for v in o.vragen})
    return Werkwijze(partijen, methoden, bijeenkomst, onderwerpen, uitleg, plaatsingen), lz.fouten


def _lijst(lz: Lezer, obj: dict, pad: Pad, naam: str, verplicht: bool = True) -> list:
    return lz.veld(obj, pad, naam, list, verplicht=verplicht, standaard=[]) or []


def _teksten(lz: Lezer, obj: dict, pad: Pad, naam: str) -> tuple[str, ...]:
    uit = []
    for i, w in enumerate(lz.veld(obj, pad, naam, list, verplicht=False, standaard=[]) or []):
        if not isinstance(w, str) or not w.strip():
            lz.fout(pad + (naam, i), "verwacht een tekst.")
            continue
        uit.append(w.strip())
    return tuple(uit)


def _lees_partijen(lz: Lezer, doc: dict, gezien: dict) -> tuple[Partij, ...]:
    uit = []
    for i, p in enumerate(_lijst(lz, doc, (), "partijen")):
        pad = ("partijen", i)
        if lz.mapping(p, pad) is None:
            continue
        lz.onbekende_velden(p, pad, {"id", "naam", "tekst", "bron"})
        uit.append(Partij(lz.id(p, pad, gezien), lz.veld(p, pad, "naam", str) or "",
                          lz.veld(p, pad, "tekst", str) or "", lz.bron(p, pad)))
    return tuple(uit)


def _lees_methoden(lz: Lezer, doc: dict, gezien: dict, partijen: dict[str, Partij]) -> tuple[Methode, ...]:
    uit = []
    for i, m in enumerate(_lijst(lz, doc, (), "methoden")):
        pad = ("methoden", i)
        if lz.mapping(m, pad) is None:
            continue
        lz.onbekende_velden(m, pad, {"id", "naam", "tekst", "bron", "partijen", "documenten"})
        eigen = []
        for j, pid in enumerate(_teksten(lz, m, pad, "partijen")):
            if pid not in partijen:
                lz.fout(pad + ("partijen", j), f"onbekende partij '{pid}' (bekend: {', '.join(partijen) or 'geen'}).")
            else:
                eigen.append(partijen[pid])
        uit.append(Methode(lz.id(m, pad, gezien), lz.veld(m, pad, "naam", str) or "",
                           lz.veld(m, pad, "tekst", str) or "", lz.bron(m, pad), tuple(eigen),
                           _teksten(lz, m, pad, "documenten")))
    return tuple(uit)


def _lees_bijeenkomst(lz: Lezer, doc: dict) -> Bijeenkomst | None:
    b = lz.veld(doc, (), "reflectiebijeenkomst", dict, verplicht=False)
    if b is None:
        return None
    pad = ("reflectiebijeenkomst",)
    lz.onbekende_velden(b, pad, {"naam", "tekst", "bron"})
    return Bijeenkomst(lz.veld(b, pad, "naam", str) or "", lz.veld(b, pad, "tekst", str) or "", lz.bron(b, pad))


def _lees_onderwerpen(lz: Lezer, doc: dict, gezien: dict) -> tuple[Onderwerp, ...]:
    uit = []
    for i, o in enumerate(_lijst(lz, doc, (), "onderwerpen")):
        pad = ("onderwerpen", i)
        if lz.mapping(o, pad) is None:
            continue
        lz.onbekende_velden(o, pad, {"id", "titel", "bron", "vragen"})
        oid = lz.id(o, pad, gezien)
        titel = lz.veld(o, pad, "titel", str) or ""
        bron = lz.bron(o, pad) or Bron("", "")
        vragen = []
        for j, v in enumerate(_lijst(lz, o, pad, "vragen")):
            vpad = pad + ("vragen", j)
            if lz.mapping(v, vpad) is None:
                continue
            lz.onbekende_velden(v, vpad, {"id", "tekst"})
            vragen.append(Vraag(lz.id(v, vpad, gezien), lz.veld(v, vpad, "tekst", str) or "", titel, bron))
        uit.append(Onderwerp(oid, titel, bron, tuple(vragen)))
    return tuple(uit)


def _lees_koppeling(lz: Lezer, doc: dict, kaders: dict[str, Kader], methoden: set[str],
                    vragen: set[str]) -> tuple[str, tuple[Plaatsing, ...]]:
    k = lz.veld(doc, (), "koppeling", dict, verplicht=False)
    if k is None:
        return "", ()
    pad = ("koppeling",)
    lz.onbekende_velden(k, pad, {"uitleg", "onderdelen"})
    uitleg = lz.veld(k, pad, "uitleg", str) or ""
    uit: list[Plaatsing] = []
    gezien: set[tuple[str, str]] = set()
    for i, o in enumerate(_lijst(lz, k, pad, "onderdelen")):
        opad = pad + ("onderdelen", i)
        if lz.mapping(o, opad) is None:
            continue
        voor = len(lz.fouten)
        lz.onbekende_velden(o, opad, {"kader", "criterium", "methoden", "vragen"})
        kader_id = lz.veld(o, opad, "kader", str) or ""
        criterium_id = lz.veld(o, opad, "criterium", str) or ""
        kader = kaders.get(kader_id)
        if kader_id and kader is None:
            lz.fout(opad + ("kader",), f"onbekend kader '{kader_id}' (bekend: {', '.join(sorted(kaders)) or 'geen'}).")
        elif kader is not None and criterium_id and criterium_id not in {c.id for c in kader.criteria}:
            lz.fout(opad + ("criterium",), f"onbekend criterium '{criterium_id}' in kader '{kader_id}'.")
        elif (kader_id, criterium_id) in gezien:
            lz.fout(opad + ("criterium",), f"criterium '{criterium_id}' van kader '{kader_id}' staat twee keer in de koppeling.")
        gezien.add((kader_id, criterium_id))
        m_ids = _ids(lz, o, opad, "methoden", methoden, "methode")
        v_ids = _ids(lz, o, opad, "vragen", vragen, "vraag")
        if "methoden" in o and not m_ids and len(lz.fouten) == voor:
            lz.fout(opad + ("methoden",), "noem minstens één methode.")
        if len(lz.fouten) == voor:
            uit.append(Plaatsing(kader_id, criterium_id, m_ids, v_ids))
    return uitleg, tuple(uit)


def _ids(lz: Lezer, obj: dict, pad: Pad, naam: str, bekend: set[str], wat: str) -> tuple[str, ...]:
    uit: list[str] = []
    ruw = lz.veld(obj, pad, naam, list, verplicht=naam == "methoden", standaard=[])
    for j, w in enumerate(ruw or []):
        if not isinstance(w, str) or w not in bekend:
            lz.fout(pad + (naam, j), f"onbekende {wat} '{w}'.")
        elif w in uit:
            lz.fout(pad + (naam, j), f"{wat} '{w}' staat twee keer in deze lijst.")
        else:
            uit.append(w)
    return tuple(uit)


@cache
def standaard_werkwijze() -> Werkwijze | None:
    """kader/werkwijze.yaml checked against the kaders in kader/ (cached; errors dropped:
    `python -m kader` and tests report them)."""
    from .loader import laad_kaders

    werkwijze, _ = laad_werkwijze(dict(laad_kaders().kaders))
    return werkwijze


__all__ = [
    "WERKWIJZE_PAD", "Bezoek", "Bijeenkomst", "Methode", "Onderwerp", "Partij", "Plaatsing",
    "Vraag", "Werkwijze", "laad_werkwijze", "standaard_werkwijze",
]
