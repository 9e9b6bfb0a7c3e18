"""The kader model: immutable dataclasses that the loader builds from YAML.

Vocabulary follows the kaders themselves: a *kader* has *thema's*; a thema holds
the answerable items. In the STJ toezichtkader those are *criteria* (with
*indicatoren*, a *ratio* and an *operationalisering*); in the Movisie kader they
are *succesfactoren* and *randvoorwaarden*. Every answerable item is a
`Criterium` with a `soort`, so answers, aggregation and charts treat them alike.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

WEET_NIET = "weet_niet"
NVT = "nvt"
GEEN_OORDEEL = (WEET_NIET, NVT)

SOORTEN = ("criterium", "succesfactor", "randvoorwaarde")
SOORT_MEERVOUD = {
    "criterium": "criteria",
    "succesfactor": "succesfactoren",
    "randvoorwaarde": "randvoorwaarden",
}


@dataclass(frozen=True)
class Bron:
    """Where a piece of kader content comes from: a file in shared/bronnen and a section."""

    bestand: str
    sectie: str

    def __str__(self) -> str:
        return f"{self.bestand}, {self.sectie}"


@dataclass(frozen=True)
class Schaalpunt:
    waarde: int
    label: str
    omschrijving: str


@dataclass(frozen=True)
class GeenOordeel:
    """'weet niet' or 'niet van toepassing': stored, never scored."""

    waarde: str
    label: str
    omschrijving: str


@dataclass(frozen=True)
class Antwoordschaal:
    id: str
    titel: str
    punten: tuple[Schaalpunt, ...]
    geen_oordeel: tuple[GeenOordeel, ...]
    bron: Bron | None = None

    @property
    def waarden(self) -> tuple[int, ...]:
        return tuple(p.waarde for p in self.punten)

    @property
    def minimum(self) -> int:
        return min(self.waarden)

    @property
    def maximum(self) -> int:
        return max(self.waarden)

    def bereik(self, tot: str = "–") -> str:
        """Lowest and highest value: '1–4', or with ``tot=" tot en met "`` '1 tot en met 4'."""
        return f"{self.minimum}{tot}{self.maximum}"

    def uitersten(self) -> str:
        """The two ends of the scale in words: '1 = klopt niet, 4 = klopt helemaal'."""
        laag = min(self.punten, key=lambda p: p.waarde)
        hoog = max(self.punten, key=lambda p: p.waarde)
        return f"{laag.waarde} = {laag.label.lower()}, {hoog.waarde} = {hoog.label.lower()}"

    def label(self, waarde: int | str) -> str:
        for p in self.punten:
            if str(p.waarde) == str(waarde):
                return p.label
        for g in self.geen_oordeel:
            if g.waarde == waarde:
                return g.label
        raise KeyError(waarde)


@dataclass(frozen=True)
class Indicator:
    id: str
    tekst: str


@dataclass(frozen=True)
class Verwachting:
    """Guidance text ('Verwachtingen van de inspecties') attached to a criterium."""

    tekst: str
    bron: Bron


@dataclass(frozen=True)
class Criterium:
    """One answerable item: a criterium, succesfactor or randvoorwaarde."""

    id: str
    soort: str
    kort: str  # short label for chart axes and tables
    tekst: str  # "Wanneer is het goed?" / the succesfactor itself
    bron: Bron
    thema_id: str
    indicatoren: tuple[Indicator, ...] = ()
    ratio: str = ""
    operationalisering: str = ""
    verwachtingen: tuple[Verwachting, ...] = ()


@dataclass(frozen=True)
class Thema:
    id: str
    titel: str
    bron: Bron
    criteria: tuple[Criterium, ...]


@dataclass(frozen=True)
class Kader:
    id: str
    versie: str
    titel: str
    omschrijving: str
    bron: Bron
    schaal: Antwoordschaal
    sterk_punt_vanaf: int  # mean score at or above this counts as a sterk punt
    themas: tuple[Thema, ...]
    bestand: str = ""
    verwachtingen: tuple[Verwachting, ...] = field(default=())

    @property
    def criteria(self) -> tuple[Criterium, ...]:
        return tuple(c for t in self.themas for c in t.criteria)

    def criterium(self, criterium_id: str) -> Criterium:
        for c in self.criteria:
            if c.id == criterium_id:
                return c
        raise KeyError(criterium_id)

    def thema(self, thema_id: str) -> Thema:
        for t in self.themas:
            if t.id == thema_id:
                return t
        raise KeyError(thema_id)

    def tellingen(self) -> dict[str, int]:
        """Counts per kind, in the order they first appear: thema's, criteria, indicatoren, ..."""
        out: dict[str, int] = {}
        if any(c.soort == "criterium" for c in self.criteria):
            out["thema's"] = len(self.themas)
        for c in self.criteria:
            key = SOORT_MEERVOUD[c.soort]
            out[key] = out.get(key, 0) + 1
        n_ind = sum(len(c.indicatoren) for c in self.criteria)
        if n_ind:
            out["indicatoren"] = n_ind
        return out

    def samenvatting(self) -> str:
        """One line, e.g. 'stj-stelseltoezicht-jeugd: 2 thema's, 4 criteria, 15 indicatoren'."""
        delen = ", ".join(f"{n} {naam}" for naam, n in self.tellingen().items())
        return f"{self.id}: {delen}"


def rapportvolgorde(kaders: Mapping[str, Kader], kader_ids: Iterable[str]) -> list[Kader]:
    """The loaded kaders among ``kader_ids`` in the order every page and report uses:
    toezichtkaders (with criteria) first, then the others, each by id."""
    gekozen = [kaders[k] for k in set(kader_ids) if k in kaders]
    return sorted(gekozen, key=lambda k: (not any(c.soort == "criterium" for c in k.criteria), k.id))
