"""Koppelingen between versions of a kader: which criteria were renamed, split, merged or dropped.

A ronde pins the version of each kader it uses (table `ronde_kader`). When a kader
gets a new version, old answers still carry the criterium ids of the old version.
A *koppelbestand* (`soort: koppeling`, in `kader/koppelingen/`) describes ONE step,
from version ``van`` to version ``naar`` of one kader:

* ``criteria_van`` lists every criterium of the old version (id and kort). The old
  kader file itself does not have to be kept: this list is enough to read old
  answers and to name old criteria in a chart.
* ``wijzigingen`` lists what changed, each with a ``toelichting`` and a ``bron``:
  ``hernoemd`` (a -> a2), ``gesplitst`` (b -> [b1, b2]: the old score counts for
  each new criterium), ``samengevoegd`` ([c, d] -> cd: the old answers are pooled)
  and ``vervallen`` (e: no successor).
* An old criterium that is not mentioned keeps its id: it must exist in ``naar``.

Steps chain: 1 -> 2 in one file and 2 -> 3 in another bring version-1 answers to
version 3. ``naar`` must be the version of the loaded kader or the ``van`` of
another koppelbestand of the same kader; chains must end at the loaded version
(no loops). Every problem is reported like the kader files: in Dutch, with file,
line and field path. A file with any error is left out entirely: half a koppeling
would give a wrong trend.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .loader import KADER_MAP, Lezer, toonnaam
from .model import Bron, Kader
from .yamlbron import Pad, YamlFout, lees_yaml, regel_van

KOPPELING_MAP = KADER_MAP / "koppelingen"

HERNOEMD = "hernoemd"
GESPLITST = "gesplitst"
SAMENGEVOEGD = "samengevoegd"
VERVALLEN = "vervallen"
SOORTEN = (HERNOEMD, GESPLITST, SAMENGEVOEGD, VERVALLEN)

_VELDEN = {"soort", "kader", "van", "naar", "toelichting", "criteria_van", "wijzigingen"}
_WIJZIGING_VELDEN = {"soort", "van", "naar", "toelichting", "bron"}
_SOORT_KOPPELING = re.compile(r"""^soort:\s*["']?koppeling["']?\s*(#.*)?$""", re.MULTILINE)


class OntbrekendeKoppeling(ValueError):
    """No chain of koppelingen leads from a ronde's pinned version to the loaded version."""


@dataclass(frozen=True)
class OudCriterium:
    """A criterium of the old version, as named in `criteria_van`."""

    id: str
    kort: str


@dataclass(frozen=True)
class Wijziging:
    """One change from the old to the new version.

    ``van`` and ``naar`` are always tuples: hernoemd (1 -> 1), gesplitst (1 -> 2+),
    samengevoegd (2+ -> 1), vervallen (1 -> 0).
    """

    soort: str
    van: tuple[str, ...]
    naar: tuple[str, ...]
    toelichting: str
    bron: Bron


@dataclass(frozen=True)
class Koppeling:
    """One step from version `van` to version `naar` of kader `kader_id`."""

    kader_id: str
    van: str
    naar: str
    criteria_van: tuple[OudCriterium, ...]
    wijzigingen: tuple[Wijziging, ...]
    toelichting: str = ""
    bestand: str = ""

    def kort_van(self, criterium_id: str) -> str:
        """The short label an old criterium had in version `van`."""
        for c in self.criteria_van:
            if c.id == criterium_id:
                return c.kort
        raise KeyError(criterium_id)

    def stap(self) -> dict[str, tuple[tuple[str, Wijziging | None], ...]]:
        """Old id -> ((new id, wijziging or None for unchanged), ...). Vervallen: empty."""
        uit: dict[str, tuple[tuple[str, Wijziging | None], ...]] = {c.id: ((c.id, None),) for c in self.criteria_van}
        for w in self.wijzigingen:
            for oud in w.van:
                uit[oud] = tuple((nieuw, w) for nieuw in w.naar)
        return uit

    def samenvatting(self) -> str:
        """One line, e.g. 'koppeling mini-kader 1 → 2: 1 hernoemd, 1 gesplitst, 1 samengevoegd'."""
        tel = {s: sum(1 for w in self.wijzigingen if w.soort == s) for s in SOORTEN}
        delen = ", ".join(f"{n} {s}" for s, n in tel.items() if n) or "geen wijzigingen"
        return f"koppeling {self.kader_id} {self.van} → {self.naar}: {delen}"


@dataclass(frozen=True)
class Stap:
    """One real change on the way from an old criterium to a criterium of the loaded version."""

    koppeling: Koppeling
    wijziging: Wijziging
    naar: str  # the id reached in version koppeling.naar (for a split: this part)

    def beschrijving(self) -> str:
        """Short Dutch label, e.g. 'samengevoegd: c + d → cd (versie 1 → 2)'."""
        w, k = self.wijziging, self.koppeling
        versies = f"(versie {k.van} → {k.naar})"
        if w.soort == SAMENGEVOEGD:
            return f"samengevoegd: {' + '.join(w.van)} → {w.naar[0]} {versies}"
        if w.soort == GESPLITST:
            return f"gesplitst: {w.van[0]} → {', '.join(w.naar)} {versies}"
        return f"{w.soort}: {w.van[0]} → {w.naar[0]} {versies}"


@dataclass(frozen=True)
class Spoor:
    """How one criterium of an old version reaches one criterium of the loaded version.

    ``stappen`` holds only real changes; an empty tuple means the id never changed.
    An old criterium that was split has one Spoor per part; one that was dropped
    (vervallen) has none.
    """

    oud: str
    nieuw: str
    stappen: tuple[Stap, ...] = ()


@dataclass
class Koppelingen:
    """All valid koppelingen, keyed by (kader id, van-versie)."""

    stappen: dict[tuple[str, str], Koppeling] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.stappen)

    def __iter__(self):
        return iter(self.stappen.values())

    def keten(self, kader: Kader, versie: str) -> tuple[Koppeling, ...]:
        """The koppelingen from `versie` to `kader.versie`, in order (empty when equal).

        Raises OntbrekendeKoppeling (Dutch message) when no chain exists.
        """
        versie = str(versie)
        uit: list[Koppeling] = []
        gezien = {versie}
        while versie != kader.versie:
            k = self.stappen.get((kader.id, versie))
            if k is None:
                raise OntbrekendeKoppeling(
                    f"Er is geen koppeling van versie {versie} naar versie {kader.versie} van kader "
                    f"'{kader.id}'. Voeg een koppelbestand toe in kader/koppelingen/ (zie docs/kaderversies.md)."
                )
            if k.naar in gezien:  # pragma: no cover - the loader refuses loops
                raise OntbrekendeKoppeling(f"De koppelingen van kader '{kader.id}' vormen een kring bij versie {k.naar}.")
            uit.append(k)
            gezien.add(k.naar)
            versie = k.naar
        return tuple(uit)

    def sporen(self, kader: Kader, versie: str) -> tuple[Spoor, ...]:
        """For every criterium of `versie`: where its answers end up in `kader` (the loaded version).

        For the loaded version itself this is the identity on its criteria. The
        result is ordered by old criterium (file order), then new criterium.
        """
        keten = self.keten(kader, versie)
        if not keten:
            return tuple(Spoor(c.id, c.id) for c in kader.criteria)
        huidig: list[Spoor] = [Spoor(c.id, c.id) for c in keten[0].criteria_van]
        for k in keten:
            stap = k.stap()
            volgende: list[Spoor] = []
            for s in huidig:
                for nieuw, w in stap.get(s.nieuw, ()):
                    extra = (Stap(k, w, nieuw),) if w is not None else ()
                    volgende.append(Spoor(s.oud, nieuw, s.stappen + extra))
            huidig = volgende
        return tuple(huidig)


def is_koppelbestand(pad: Path | str) -> bool:
    """True if the file declares `soort: koppeling` (checked on the text, so broken YAML is recognised too)."""
    try:
        tekst = Path(pad).read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return False
    return bool(_SOORT_KOPPELING.search(tekst))


def standaard_koppelpaden(map_: Path = KOPPELING_MAP) -> list[Path]:
    """The koppelbestanden in `map_` (default kader/koppelingen/*.yaml)."""
    return sorted(map_.glob("*.yaml")) if map_.is_dir() else []


@dataclass
class _Gelezen:
    """A parsed file with its reader (errors so far) and the paths of its entries."""

    koppeling: Koppeling
    lz: Lezer
    criteria_paden: list[Pad]
    wijziging_paden: list[Pad]


def laad_koppelingen(
    kaders: dict[str, Kader], paden: list[Path | str] | None = None
) -> tuple[Koppelingen, list[YamlFout]]:
    """Read and validate koppelbestanden (default: kader/koppelingen/*.yaml) against `kaders`.

    Returns the valid koppelingen and every error found. A file with an error is
    left out entirely, and so is every file whose chain runs through it.
    """
    paden = [Path(p) for p in (paden if paden is not None else standaard_koppelpaden())]
    fouten: list[YamlFout] = []
    gelezen: list[_Gelezen] = []
    for pad in paden:
        res = _lees_bestand(pad, kaders, fouten)
        if res is not None:
            gelezen.append(res)

    # one step per (kader, van)
    per_van: dict[tuple[str, str], _Gelezen] = {}
    for g in gelezen:
        k = g.koppeling
        sleutel = (k.kader_id, k.van)
        if sleutel in per_van:
            eerder = per_van[sleutel].koppeling.bestand
            g.lz.fout(("van",), f"er is al een koppeling van versie {k.van} van kader '{k.kader_id}' (in {eerder}); "
                                "elke oude versie heeft één koppelbestand.")
        else:
            per_van[sleutel] = g

    # naar: the loaded version, or the van of another step; then its criteria must exist there
    for g in per_van.values():
        k = g.koppeling
        kader = kaders[k.kader_id]
        if k.naar == kader.versie:
            doel_ids = {c.id for c in kader.criteria}
        elif (k.kader_id, k.naar) in per_van:
            doel_ids = {c.id for c in per_van[(k.kader_id, k.naar)].koppeling.criteria_van}
        else:
            bekend = sorted({kader.versie, *(v for (kid, v) in per_van if kid == k.kader_id and v != k.van)})
            g.lz.fout(("naar",), f"versie '{k.naar}' van kader '{k.kader_id}' bestaat niet: het geladen kader heeft "
                                 f"versie '{kader.versie}' en geen ander koppelbestand beschrijft versie '{k.naar}' "
                                 f"(bekende versies: {', '.join(bekend)}).")
            continue
        _controleer_doel(g, doel_ids)

    # chains end at the loaded version; loops are refused
    for g in per_van.values():
        if g.lz.fouten:
            continue
        k = g.koppeling
        versies = [k.van]
        huidig = k
        while huidig.naar != kaders[k.kader_id].versie:
            if huidig.naar in versies:
                kring = " → ".join([*versies, huidig.naar])
                g.lz.fout(("naar",), f"de koppelingen van kader '{k.kader_id}' vormen een kring: {kring}.")
                break
            versies.append(huidig.naar)
            volgende = per_van.get((k.kader_id, huidig.naar))
            if volgende is None:  # reported on that file
                break
            huidig = volgende.koppeling

    # all or nothing along a chain: a step that leads through a broken file is refused too
    veranderd = True
    while veranderd:
        veranderd = False
        for g in per_van.values():
            k = g.koppeling
            volgende = per_van.get((k.kader_id, k.naar))
            if not g.lz.fouten and volgende is not None and volgende.lz.fouten:
                g.lz.fout(("naar",), f"deze koppeling loopt verder via {volgende.koppeling.bestand} "
                                     f"(versie {k.naar} → {volgende.koppeling.naar}), en dat bestand heeft een fout; "
                                     "los die eerst op.")
                veranderd = True

    for g in gelezen:
        fouten.extend(g.lz.fouten)
    uit = Koppelingen()
    for sleutel, g in per_van.items():
        if not g.lz.fouten:
            uit.stappen[sleutel] = g.koppeling
    return uit, fouten


def _lees_bestand(pad: Path, kaders: dict[str, Kader], fouten: list[YamlFout]) -> _Gelezen | None:
    naam = toonnaam(pad)
    try:
        ruw = pad.read_bytes()
    except OSError as e:
        fouten.append(YamlFout(naam, 0, "", f"bestand kan niet gelezen worden ({e.strerror})."))
        return None
    try:
        data, regels = lees_yaml(ruw, naam)
    except YamlFout as e:
        fouten.append(e)
        return None
    lz = Lezer(naam, regels)
    doc = lz.mapping(data, ())
    if doc is None:
        fouten.extend(lz.fouten)
        return None
    if doc.get("soort") != "koppeling":
        lz.fout(("soort",), "verwacht 'koppeling'.")
        fouten.extend(lz.fouten)
        return None
    lz.onbekende_velden(doc, (), _VELDEN)
    kader_id = lz.veld(doc, (), "kader", str) or ""
    van = lz.veld(doc, (), "van", str) or ""
    naar = lz.veld(doc, (), "naar", str) or ""
    toelichting = lz.veld(doc, (), "toelichting", str, verplicht=False, standaard="")
    kader = kaders.get(kader_id) if kader_id else None
    if kader_id and kader is None:
        bekend = ", ".join(sorted(kaders)) or "geen"
        lz.fout(("kader",), f"onbekend kader '{kader_id}' (bekend: {bekend}).")
    if van and naar and van == naar:
        lz.fout(("naar",), f"'van' en 'naar' zijn allebei versie '{van}'; een koppeling gaat van de ene versie naar een andere.")
    if kader is not None and van and van == kader.versie:
        lz.fout(("van",), f"versie '{van}' is de geladen versie van kader '{kader_id}'; een koppeling gaat van een "
                          "oudere versie naar een nieuwere.")

    criteria_van = _lees_criteria_van(lz, doc)
    wijzigingen = _lees_wijzigingen(lz, doc, {c.id for c, _ in criteria_van}, van)
    if kader is None or not van or not naar:
        fouten.extend(lz.fouten)
        return None
    k = Koppeling(kader_id, van, naar, tuple(c for c, _ in criteria_van), tuple(w for w, _ in wijzigingen),
                  toelichting, naam)
    return _Gelezen(k, lz, [p for _, p in criteria_van], [p for _, p in wijzigingen])


def _lees_criteria_van(lz: Lezer, doc: dict) -> list[tuple[OudCriterium, Pad]]:
    uit: list[tuple[OudCriterium, Pad]] = []
    gezien: dict[str, Pad] = {}
    for i, c in enumerate(lz.veld(doc, (), "criteria_van", list, standaard=[])):
        pad = ("criteria_van", i)
        if lz.mapping(c, pad) is None:
            continue
        lz.onbekende_velden(c, pad, {"id", "kort"})
        crit_id = lz.id(c, pad, gezien)
        kort = lz.veld(c, pad, "kort", str) or ""
        if crit_id:
            uit.append((OudCriterium(crit_id, kort), pad))
    return uit


def _id_lijst(lz: Lezer, w: dict, pad: Pad, naam: str, min_aantal: int, max_aantal: int | None) -> list[tuple[str, Pad]]:
    """Read `van`/`naar`: one id (max_aantal 1), a list of ids (max_aantal None) or nothing (0)."""
    soort = w.get("soort")
    waarde = w.get(naam)
    if waarde is None:
        if min_aantal:
            lz.fout(pad + (naam,), "verplicht veld ontbreekt.")
        return []
    if max_aantal == 0:
        lz.fout(pad + (naam,), f"bij '{soort}' hoort geen '{naam}'.")
        return []
    is_lijst = isinstance(waarde, list)
    if max_aantal == 1 and is_lijst:
        lz.fout(pad + (naam,), f"bij '{soort}' verwacht precies één criterium-id (geen lijst).")
        return []
    if max_aantal is None and (not is_lijst or len(waarde) < min_aantal):
        lz.fout(pad + (naam,), f"bij '{soort}' verwacht een lijst van minstens {min_aantal} criterium-id's.")
        return []
    items = [(v, pad + (naam, i)) for i, v in enumerate(waarde)] if is_lijst else [(waarde, pad + (naam,))]
    uit: list[tuple[str, Pad]] = []
    for v, p in items:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            v = str(v)
        if not isinstance(v, str) or not v.strip():
            lz.fout(p, "verwacht een criterium-id (tekst).")
            continue
        uit.append((v.strip(), p))
    return uit


# (min, max) ids in van and naar per soort
_VORM = {
    HERNOEMD: ((1, 1), (1, 1)),
    GESPLITST: ((1, 1), (2, None)),
    SAMENGEVOEGD: ((2, None), (1, 1)),
    VERVALLEN: ((1, 1), (0, 0)),
}


def _lees_wijzigingen(lz: Lezer, doc: dict, oude_ids: set[str], van_versie: str) -> list[tuple[Wijziging, Pad]]:
    uit: list[tuple[Wijziging, Pad]] = []
    al_gekoppeld: dict[str, Pad] = {}
    for i, w in enumerate(lz.veld(doc, (), "wijzigingen", list, verplicht=False, standaard=[])):
        pad = ("wijzigingen", i)
        if lz.mapping(w, pad) is None:
            continue
        lz.onbekende_velden(w, pad, _WIJZIGING_VELDEN)
        soort = lz.veld(w, pad, "soort", str) or ""
        toelichting = lz.veld(w, pad, "toelichting", str) or ""
        bron = lz.bron(w, pad)
        if soort not in SOORTEN:
            if soort:
                lz.fout(pad + ("soort",), f"onbekende soort wijziging '{soort}'; kies uit {', '.join(SOORTEN)}.")
            continue
        (vmin, vmax), (nmin, nmax) = _VORM[soort]
        van = _id_lijst(lz, w, pad, "van", vmin, vmax)
        naar = _id_lijst(lz, w, pad, "naar", nmin, nmax)
        for oud, p in van:
            if oud not in oude_ids:
                bekend = ", ".join(sorted(oude_ids)) or "geen"
                lz.fout(p, f"onbekend criterium '{oud}' in versie {van_versie} (criteria_van noemt: {bekend}).")
            elif oud in al_gekoppeld:
                eerder = regel_van(lz.regels, al_gekoppeld[oud])
                lz.fout(p, f"criterium '{oud}' van versie {van_versie} staat al bij een wijziging (regel {eerder}); "
                           "een oud criterium heeft hooguit één wijziging.")
            else:
                al_gekoppeld[oud] = p
        gezien_naar: set[str] = set()
        for nieuw, p in naar:
            if nieuw in gezien_naar:
                lz.fout(p, f"criterium '{nieuw}' staat twee keer in 'naar'.")
            gezien_naar.add(nieuw)
        if soort == HERNOEMD and van and naar and van[0][0] == naar[0][0]:
            lz.fout(pad + ("naar",), f"'{van[0][0]}' wordt hernoemd naar zichzelf; laat een ongewijzigd criterium weg.")
        uit.append((Wijziging(soort, tuple(v for v, _ in van), tuple(n for n, _ in naar), toelichting, bron or Bron("", "")), pad))
    return uit


def _controleer_doel(g: _Gelezen, doel_ids: set[str]) -> None:
    """Check the `naar` side against the criteria of the target version.

    Every criterium of the target version receives answers from at most one place:
    an unchanged old criterium, or one wijziging (use samengevoegd to pool).
    """
    k, lz = g.koppeling, g.lz
    doel_van: dict[str, Pad] = {}  # new id -> path of what maps onto it
    genoemd = {oud for w in k.wijzigingen for oud in w.van}
    for c, pad in zip(k.criteria_van, g.criteria_paden):
        if c.id in genoemd:
            continue
        if c.id not in doel_ids:
            lz.fout(pad + ("id",), f"criterium '{c.id}' van versie {k.van} bestaat niet in versie {k.naar} en staat "
                                   f"niet bij wijzigingen; geef aan of het {HERNOEMD}, {GESPLITST}, {SAMENGEVOEGD} "
                                   f"of {VERVALLEN} is.")
        else:
            doel_van[c.id] = pad + ("id",)
    for w, pad in zip(k.wijzigingen, g.wijziging_paden):
        for j, nieuw in enumerate(w.naar):
            p = pad + (("naar", j) if w.soort == GESPLITST else ("naar",))
            if nieuw not in doel_ids:
                lz.fout(p, f"onbekend criterium '{nieuw}' in versie {k.naar} van kader '{k.kader_id}'.")
            elif nieuw in doel_van:
                eerder = regel_van(lz.regels, doel_van[nieuw])
                lz.fout(p, f"criterium '{nieuw}' van versie {k.naar} krijgt al antwoorden via regel {eerder}; "
                           f"gebruik '{SAMENGEVOEGD}' om oude criteria samen te nemen.")
            else:
                doel_van[nieuw] = p


__all__ = [
    "KOPPELING_MAP", "SOORTEN", "HERNOEMD", "GESPLITST", "SAMENGEVOEGD", "VERVALLEN",
    "OntbrekendeKoppeling", "OudCriterium", "Wijziging", "Koppeling", "Stap", "Spoor", "Koppelingen",
    "is_koppelbestand", "standaard_koppelpaden", "laad_koppelingen",
]
