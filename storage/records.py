"""The records the storage functions return, and small helpers to build them.

Every storage function returns one of these small frozen dataclasses or plain
values, never ORM objects, so callers (Streamlit pages, reports) need no session
handling. They are defined here, not in the module of their concept, because
several modules build the same record (a :class:`RondeInfo` comes from
``storage.rondes`` and from ``storage.verbeterplan``, a :class:`RespondentInfo`
from ``storage.respondenten`` and ``storage.uitnodigingen``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from uitwisselformaat.waarden import FASE_STIL_SCOREN, STATUS_OPEN


@dataclass(frozen=True)
class GemeenteInfo:
    id: int
    naam: str
    regio: str | None
    demo: bool
    # Opted in to the regional comparison (regio view, regional median).
    vergelijking: bool = False


@dataclass(frozen=True)
class RondeInfo:
    id: int
    gemeente_id: int
    gemeente: str
    label: str
    status: str
    demo: bool
    aangemaakt: datetime
    kader_versies: dict[str, str] = field(hash=False)
    respondenten: int = 0
    fase: str = FASE_STIL_SCOREN
    huidig_kader: str | None = None
    huidig_criterium: str | None = None
    # Invited roles, sorted; empty for rondes created without them (any rol may join).
    rollen: tuple[str, ...] = ()
    # The year the ronde belongs to (regional comparison: rondes match by year and kader).
    jaar: int | None = None

    @property
    def kader_ids(self) -> tuple[str, ...]:
        return tuple(sorted(self.kader_versies))

    @property
    def is_open(self) -> bool:
        return self.status == STATUS_OPEN


@dataclass(frozen=True)
class RespondentInfo:
    id: int
    ronde_id: int
    pseudoniem: str
    rol: str
    aangemaakt: datetime
    organisatie: str | None = None


@dataclass(frozen=True)
class UitnodigingInfo:
    """An active invitation (the code itself is never stored, so not included)."""

    id: int
    ronde_id: int
    rol: str
    gemeente_id: int
    gemeente: str
    ronde_label: str
    ronde_status: str
    aangemaakt: datetime
    max_deelnemers: int | None = None  # None: no maximum
    deelnemers: int = 0  # how many joined with this code

    @property
    def ronde_is_open(self) -> bool:
        return self.ronde_status == STATUS_OPEN

    @property
    def vol(self) -> bool:
        """The maximum number of respondents for this code has been reached."""
        return self.max_deelnemers is not None and self.deelnemers >= self.max_deelnemers


@dataclass(frozen=True)
class ConsensusWijzigingInfo:
    """One save of a consensus score (audit trail)."""

    kader_id: str
    criterium_id: str
    score: str
    motivatie: str
    tijdstip: datetime


@dataclass(frozen=True)
class Wijziging:
    kader_id: str
    criterium_id: str
    score: str | None
    toelichting: str
    tijdstip: datetime


@dataclass(frozen=True)
class ImportResultaat:
    """How many rows the import created (existing gemeenten/rondes are reused).

    ``antwoorden`` counts the new answers; ``gewijzigd`` the stored answers the file
    changed (each with an audit row), ``ongewijzigd`` the rows equal to what is stored
    (skipped, nothing written)."""

    gemeenten: int
    rondes: int
    respondenten: int
    antwoorden: int
    gewijzigd: int = 0
    ongewijzigd: int = 0


@dataclass(frozen=True)
class ActieInfo:
    """One action of the verbeterplan of a ronde (current state)."""

    id: int
    ronde_id: int
    kader_id: str
    criterium_id: str | None
    bron_actie_id: str | None
    wat: str
    eigenaar: str
    deadline: date | None
    meting: str
    status: str
    effect: str
    overgenomen_van: int | None
    aangemaakt: datetime
    bijgewerkt: datetime


@dataclass(frozen=True)
class ActieWijzigingInfo:
    """One save of an action (audit trail): a full snapshot of its fields.

    ``gebeurtenis`` is 'aangemaakt', 'gewijzigd', 'overgenomen' or 'verwijderd'.
    """

    actie_id: int
    ronde_id: int
    gebeurtenis: str
    kader_id: str
    criterium_id: str | None
    bron_actie_id: str | None
    wat: str
    eigenaar: str
    deadline: date | None
    meting: str
    status: str
    effect: str
    overgenomen_van: int | None
    tijdstip: datetime


# Helpers the storage modules share to build records and sort them.


def utc(t: datetime) -> datetime:
    """SQLite returns naive datetimes; all stored times are UTC."""
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t


def iso(t: datetime | None) -> str | None:
    """A stored time as ISO 8601 text in UTC; None stays None."""
    return utc(t).isoformat() if t is not None else None


def natuurlijk(tekst: str) -> tuple:
    """Sort key that puts 'c2' before 'c10'."""
    return tuple(int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", tekst))
