"""SQLAlchemy 2.0 declarative models. The schema itself is owned by Alembic
(storage/migraties); these classes must match the migrations (a test checks).

Privacy: a respondent is a pseudonym, a role and the keyed hash of a resume code.
There are no columns for names or e-mail addresses, and none may be added.

Everything below ``ronde`` is deleted with it (ON DELETE CASCADE). ``antwoord``
holds the current answer per (respondent, kader, criterium);
``antwoord_wijziging`` is an append-only trail with one row per save. The same
pair exists for the group's agreed score: ``consensus`` and ``consensus_wijziging``.

The verbeterplan of a ronde is ``verbeteractie`` (one row per action, current
state) with ``verbeteractie_wijziging`` as its append-only trail: a full
snapshot per save, kept when the action itself is deleted (only deleting the
ronde removes it).

Invitation and resume codes are stored only as HMAC-SHA256(server secret,
sha256(normalised code)) (see storage/geheim.py); ``instelling`` holds a check
value of that secret, never the secret itself. ``poging`` holds sign-in/code
attempts for rate limiting, keyed by the same keyed hash of the caller's key
(never the IP address or name itself), and is cleaned up after a day.
"""
from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from uitwisselformaat.waarden import ACTIE_GEPLAND, FASE_STIL_SCOREN, STATUS_OPEN

NAAMGEVING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def nu() -> datetime:
    """Current time in UTC (timezone-aware)."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAAMGEVING)


class Regio(Base):
    __tablename__ = "regio"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    naam: Mapped[str] = mapped_column(String(200), unique=True)


class Gemeente(Base):
    __tablename__ = "gemeente"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    naam: Mapped[str] = mapped_column(String(200), unique=True)
    regio_id: Mapped[int | None] = mapped_column(
        ForeignKey("regio.id", ondelete="SET NULL"), index=True
    )
    demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Opt-in: only gemeenten that chose to take part appear in the regio view.
    regio_vergelijking: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )

    regio: Mapped[Regio | None] = relationship()


class Ronde(Base):
    __tablename__ = "ronde"
    __table_args__ = (
        UniqueConstraint("gemeente_id", "label"),
        CheckConstraint("status IN ('open', 'gesloten')", name="status"),
        CheckConstraint("fase IN ('stil_scoren', 'onthullen', 'consensus')", name="fase"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(
        ForeignKey("gemeente.id", ondelete="CASCADE")
    )
    label: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(
        String(10), default=STATUS_OPEN, server_default=STATUS_OPEN
    )
    demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    aangemaakt: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=nu, server_default=func.now()
    )
    fase: Mapped[str] = mapped_column(
        String(20), default=FASE_STIL_SCOREN, server_default=FASE_STIL_SCOREN
    )
    # The year the ronde belongs to (regional comparison matches by year and kader;
    # NULL only in rows written outside the app, see migration 0006).
    jaar: Mapped[int | None] = mapped_column(Integer)
    # The criterium the workshop is looking at now (both NULL: none).
    huidig_kader: Mapped[str | None] = mapped_column(String(100))
    huidig_criterium: Mapped[str | None] = mapped_column(String(100))
    # A second silent vote is open on the criterium in focus (after its reveal).
    tweede_stem: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The optional part of the questionnaire on cooperation (samenwerkingskaart) is on.
    samenwerkingskaart: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The workshop shows the samenwerkingskaart now (a step after the reveal).
    kaart_in_beeld: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    gemeente: Mapped[Gemeente] = relationship()
    kaders: Mapped[list[RondeKader]] = relationship(
        order_by="RondeKader.kader_id", passive_deletes=True
    )


class RondeKader(Base):
    """The kader version a ronde is pinned to."""

    __tablename__ = "ronde_kader"

    ronde_id: Mapped[int] = mapped_column(
        ForeignKey("ronde.id", ondelete="CASCADE"), primary_key=True
    )
    kader_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    kader_versie: Mapped[str] = mapped_column(String(50))


class RondeRol(Base):
    """A role invited to a ronde."""

    __tablename__ = "ronde_rol"

    ronde_id: Mapped[int] = mapped_column(
        ForeignKey("ronde.id", ondelete="CASCADE"), primary_key=True
    )
    rol: Mapped[str] = mapped_column(String(64), primary_key=True)


class Uitnodiging(Base):
    """An invitation code for one ronde and rol; only its keyed hash is stored.

    At most one code per (ronde, rol) is active: a new one revokes the old.
    ``deelnemers`` counts who joined with it; ``max_deelnemers`` (NULL: no
    maximum) caps that count.
    """

    __tablename__ = "uitnodiging"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ronde_id: Mapped[int] = mapped_column(
        ForeignKey("ronde.id", ondelete="CASCADE"), index=True
    )
    rol: Mapped[str] = mapped_column(String(64))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    aangemaakt: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=nu, server_default=func.now()
    )
    ingetrokken: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    max_deelnemers: Mapped[int | None] = mapped_column(Integer)
    deelnemers: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Respondent(Base):
    __tablename__ = "respondent"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ronde_id: Mapped[int] = mapped_column(
        ForeignKey("ronde.id", ondelete="CASCADE"), index=True
    )
    pseudoniem: Mapped[str] = mapped_column(String(64), unique=True)
    rol: Mapped[str] = mapped_column(String(64))
    # HMAC(secret, sha256 hex of the normalised resume code); NULL for imported/demo respondents.
    hervat_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Type of organisation (e.g. 'GGZ'), never the name of a person.
    organisatie: Mapped[str | None] = mapped_column(String(80))
    aangemaakt: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=nu, server_default=func.now()
    )


class Antwoord(Base):
    __tablename__ = "antwoord"
    __table_args__ = (UniqueConstraint("respondent_id", "kader_id", "criterium_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    respondent_id: Mapped[int] = mapped_column(
        ForeignKey("respondent.id", ondelete="CASCADE")
    )
    kader_id: Mapped[str] = mapped_column(String(100))
    criterium_id: Mapped[str] = mapped_column(String(100))
    score: Mapped[str | None] = mapped_column(String(20))
    toelichting: Mapped[str] = mapped_column(Text, default="", server_default="")
    bijgewerkt: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=nu, server_default=func.now()
    )


class AntwoordWijziging(Base):
    """Append-only audit trail: one row per save, never updated or deleted by the app."""

    __tablename__ = "antwoord_wijziging"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    respondent_id: Mapped[int] = mapped_column(
        ForeignKey("respondent.id", ondelete="CASCADE"), index=True
    )
    kader_id: Mapped[str] = mapped_column(String(100))
    criterium_id: Mapped[str] = mapped_column(String(100))
    score: Mapped[str | None] = mapped_column(String(20))
    toelichting: Mapped[str] = mapped_column(Text, default="", server_default="")
    tijdstip: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=nu, server_default=func.now()
    )


class Consensus(Base):
    """The score a workshop group agreed on for one criterium of a ronde."""

    __tablename__ = "consensus"
    __table_args__ = (UniqueConstraint("ronde_id", "kader_id", "criterium_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ronde_id: Mapped[int] = mapped_column(ForeignKey("ronde.id", ondelete="CASCADE"))
    kader_id: Mapped[str] = mapped_column(String(100))
    criterium_id: Mapped[str] = mapped_column(String(100))
    score: Mapped[str] = mapped_column(String(20))
    motivatie: Mapped[str] = mapped_column(Text, default="", server_default="")
    bijgewerkt: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=nu, server_default=func.now()
    )


class ConsensusWijziging(Base):
    """Append-only audit trail of consensus: one row per save."""

    __tablename__ = "consensus_wijziging"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ronde_id: Mapped[int] = mapped_column(
        ForeignKey("ronde.id", ondelete="CASCADE"), index=True
    )
    kader_id: Mapped[str] = mapped_column(String(100))
    criterium_id: Mapped[str] = mapped_column(String(100))
    score: Mapped[str] = mapped_column(String(20))
    motivatie: Mapped[str] = mapped_column(Text, default="", server_default="")
    tijdstip: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=nu, server_default=func.now()
    )


class Instelling(Base):
    """A setting the database keeps about itself, e.g. 'geheim_controle': the
    check value of the server secret its codes are hashed with."""

    __tablename__ = "instelling"

    naam: Mapped[str] = mapped_column(String(50), primary_key=True)
    waarde: Mapped[str] = mapped_column(String(200))


class Sessie(Base):
    """One staff sign-in (see migration 0006 and toegang/sessie.py).

    The browser holds a signed, expiring token; only the keyed hash of its random
    part is stored here, never the token itself. ``beeindigd`` is set at sign-out.
    """

    __tablename__ = "sessie"
    __table_args__ = (Index("ix_sessie_gebruiker", "gebruiker"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    gebruiker: Mapped[str] = mapped_column(String(200))
    aangemaakt: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=nu, server_default=func.now()
    )
    verloopt: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    beeindigd: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Poging(Base):
    """One sign-in or code attempt, for rate limiting shared by all app processes.

    ``sleutel`` is the keyed hash (HMAC with the server secret) of the caller's
    key (e.g. 'code:ip:<address>'), never the address or name itself.
    """

    __tablename__ = "poging"
    __table_args__ = (Index("ix_poging_sleutel_tijdstip", "sleutel", "tijdstip"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sleutel: Mapped[str] = mapped_column(String(64))
    tijdstip: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=nu, server_default=func.now()
    )
    gelukt: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Verbeteractie(Base):
    """One action of the verbeterplan of a ronde (current state).

    ``bron_actie_id`` is the id in the action library (kader/acties.yaml), NULL
    for the group's own actions. ``overgenomen_van`` is the action of the
    previous ronde this one was copied from (NULL when that one is deleted).
    """

    __tablename__ = "verbeteractie"
    __table_args__ = (
        UniqueConstraint("ronde_id", "overgenomen_van"),
        CheckConstraint(
            "status IN ('gepland', 'bezig', 'gerealiseerd', 'gestopt')", name="status"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ronde_id: Mapped[int] = mapped_column(
        ForeignKey("ronde.id", ondelete="CASCADE"), index=True
    )
    kader_id: Mapped[str] = mapped_column(String(100))
    criterium_id: Mapped[str | None] = mapped_column(String(100))
    bron_actie_id: Mapped[str | None] = mapped_column(String(100))
    wat: Mapped[str] = mapped_column(Text)
    eigenaar: Mapped[str] = mapped_column(String(200), default="", server_default="")
    deadline: Mapped[date | None] = mapped_column(Date)
    meting: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[str] = mapped_column(
        String(20), default=ACTIE_GEPLAND, server_default=ACTIE_GEPLAND
    )
    effect: Mapped[str] = mapped_column(Text, default="", server_default="")
    overgenomen_van: Mapped[int | None] = mapped_column(
        ForeignKey("verbeteractie.id", ondelete="SET NULL")
    )
    aangemaakt: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=nu, server_default=func.now()
    )
    bijgewerkt: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=nu, server_default=func.now()
    )


class VerbeteractieWijziging(Base):
    """Append-only audit trail of the verbeterplan: a full snapshot per save.

    ``actie_id`` has no foreign key on purpose: the trail of a deleted action
    stays (with gebeurtenis 'verwijderd') until its ronde is deleted.
    """

    __tablename__ = "verbeteractie_wijziging"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ronde_id: Mapped[int] = mapped_column(
        ForeignKey("ronde.id", ondelete="CASCADE"), index=True
    )
    actie_id: Mapped[int] = mapped_column(Integer, index=True)
    gebeurtenis: Mapped[str] = mapped_column(String(20))
    kader_id: Mapped[str] = mapped_column(String(100))
    criterium_id: Mapped[str | None] = mapped_column(String(100))
    bron_actie_id: Mapped[str | None] = mapped_column(String(100))
    wat: Mapped[str] = mapped_column(Text)
    eigenaar: Mapped[str] = mapped_column(String(200), default="", server_default="")
    deadline: Mapped[date | None] = mapped_column(Date)
    meting: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[str] = mapped_column(String(20))
    effect: Mapped[str] = mapped_column(Text, default="", server_default="")
    overgenomen_van: Mapped[int | None] = mapped_column(Integer)
    tijdstip: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=nu, server_default=func.now()
    )


class TweedeStem(Base):
    """A respondent's second silent vote on a criterium, given after the discussion of
    its reveal; the first vote stays in ``antwoord``."""

    __tablename__ = "tweede_stem"
    __table_args__ = (UniqueConstraint("respondent_id", "kader_id", "criterium_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    respondent_id: Mapped[int] = mapped_column(
        ForeignKey("respondent.id", ondelete="CASCADE")
    )
    kader_id: Mapped[str] = mapped_column(String(100))
    criterium_id: Mapped[str] = mapped_column(String(100))
    score: Mapped[str | None] = mapped_column(String(20))
    bijgewerkt: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=nu, server_default=func.now()
    )


class Samenwerking(Base):
    """Samenwerkingskaart: how far a respondent's cooperation with one partner rol
    around a family usually goes, on the coördinatieladder (``niveau`` '0'..'5',
    'weet_niet' or 'nvt'; kader/schalen/coordinatieladder.yaml)."""

    __tablename__ = "samenwerking"
    __table_args__ = (UniqueConstraint("respondent_id", "partner"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    respondent_id: Mapped[int] = mapped_column(
        ForeignKey("respondent.id", ondelete="CASCADE")
    )
    partner: Mapped[str] = mapped_column(String(64))
    niveau: Mapped[str] = mapped_column(String(20))
    toelichting: Mapped[str] = mapped_column(Text, default="", server_default="")
    bijgewerkt: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=nu, server_default=func.now()
    )


class Overleg(Base):
    """One overleg in the inventory of a ronde (000 Tabel 2.2): its name, how often it
    meets, the rol of its chair, the rollen taking part and which of the seven netwerk
    functions it performs (lists of ids, stored as JSON). No names of people."""

    __tablename__ = "overleg"
    __table_args__ = (UniqueConstraint("ronde_id", "naam"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ronde_id: Mapped[int] = mapped_column(
        ForeignKey("ronde.id", ondelete="CASCADE"), index=True
    )
    naam: Mapped[str] = mapped_column(String(200))
    frequentie: Mapped[str] = mapped_column(String(100), default="", server_default="")
    voorzitter_rol: Mapped[str | None] = mapped_column(String(64))
    deelnemers: Mapped[list[str]] = mapped_column(JSON, default=list)
    functies: Mapped[list[str]] = mapped_column(JSON, default=list)
    bijgewerkt: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=nu, server_default=func.now()
    )
