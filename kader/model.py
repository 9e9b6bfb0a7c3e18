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

from .bronnen import citeer, historisch_label, is_historisch

WEET_NIET = "weet_niet"
NVT = "nvt"
GEEN_OORDEEL = (WEET_NIET, NVT)

SOORTEN = ("criterium", "succesfactor", "randvoorwaarde")
# Where a kader comes from: a toezichtkader of the inspecties (STJ) or criteria from
# research and practice (Movisie, Holland Rijnland). Only STJ criteria are shown
# under the STJ questions "Wanneer is het goed?" and "Waaraan kun je dat zien?".
HERKOMST_STJ = "stj"
HERKOMST_ONDERZOEK = "onderzoek"
HERKOMSTEN = (HERKOMST_STJ, HERKOMST_ONDERZOEK)

SOORT_MEERVOUD = {
    "criterium": "criteria",
    "succesfactor": "succesfactoren",
    "randvoorwaarde": "randvoorwaarden",
}


@dataclass(frozen=True)
class Bron:
    """Where a piece of kader content comes from: a file in shared/bronnen and a section.

    ``str(bron)`` is what a person sees: title, publisher, year and section from the
    source register (kader/bronnen.py), never the file name. ``technisch`` keeps the
    file name for technical appendices and error messages.
    """

    bestand: str
    sectie: str

    def __str__(self) -> str:
        return citeer(self.bestand, self.sectie)

    @property
    def technisch(self) -> str:
        return f"{self.bestand}, {self.sectie}"

    @property
    def historisch(self) -> bool:
        """True when the source predates the Jeugdwet (2015)."""
        return is_historisch(self.bestand)

    @property
    def historisch_label(self) -> str:
        return historisch_label(self.bestand)


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
    """Guidance text ('Verwachtingen van de inspecties') attached to a criterium.

    ``eigen_plaatsing``: the source states the expectation in general; attaching it
    to this criterium is the instrument's own choice (shown so to people).
    """

    tekst: str
    bron: Bron
    eigen_plaatsing: bool = False


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
    herkomst: str = HERKOMST_ONDERZOEK

    @property
    def is_stj(self) -> bool:
        return self.herkomst == HERKOMST_STJ

    @property
    def alle_verwachtingen(self) -> tuple[Verwachting, ...]:
        """The kader's own verwachtingen and those of every criterium, in kader order."""
        return self.verwachtingen + tuple(v for c in self.criteria for v in c.verwachtingen)

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


@dataclass(frozen=True)
class Koppen:
    """The headings an item is shown under, in the kader's own words."""

    item: str  # above the item text
    indicatoren: str  # above its indicatoren ('' when it has none)
    soort: str  # the kind in words, singular


def koppen(kader: Kader, criterium: Criterium) -> Koppen:
    """STJ criteria keep the toezichtkader's questions; succesfactoren, randvoorwaarden
    and criteria from other sources are shown under their own words."""
    if criterium.soort == "criterium" and kader.is_stj:
        return Koppen("Wanneer is het goed?", "Waaraan kun je dat zien?", "criterium")
    if criterium.soort == "criterium":
        return Koppen("Criterium", "Indicatoren", "criterium")
    naam = criterium.soort.capitalize()
    return Koppen(naam, "Indicatoren", criterium.soort)


def rapportvolgorde(kaders: Mapping[str, Kader], kader_ids: Iterable[str]) -> list[Kader]:
    """The loaded kaders among ``kader_ids`` in the order every page and report uses:
    the STJ toezichtkader first, then kaders with criteria, then the others, each by id."""
    gekozen = [kaders[k] for k in set(kader_ids) if k in kaders]
    return sorted(gekozen, key=lambda k: (not k.is_stj, not any(c.soort == "criterium" for c in k.criteria), k.id))
