"""Invitations, workshop phase, invited roles, consensus, rate limiting.

New tables: ronde_rol, uitnodiging, consensus, consensus_wijziging, poging.
New columns: ronde.fase / huidig_kader / huidig_criterium, respondent.organisatie.

Only ADD COLUMN is used on existing tables, never a table rebuild: on SQLite a
rebuild drops the old table, and with foreign_keys=ON (which cannot be switched
off inside the migration's transaction) that would cascade-delete every
respondent and answer of every ronde. The fase CHECK is therefore added inline
with the column, in SQL that both SQLite and PostgreSQL accept.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _tijd(naam: str) -> sa.Column:
    return sa.Column(
        naam, sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
    )


def _ronde_fk(tabel: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["ronde_id"], ["ronde.id"], name=op.f(f"fk_{tabel}_ronde_id_ronde"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.execute(
        "ALTER TABLE ronde ADD COLUMN fase VARCHAR(20) DEFAULT 'stil_scoren' NOT NULL "
        "CONSTRAINT ck_ronde_fase CHECK (fase IN ('stil_scoren', 'onthullen', 'consensus'))"
    )
    op.add_column("ronde", sa.Column("huidig_kader", sa.String(length=100), nullable=True))
    op.add_column("ronde", sa.Column("huidig_criterium", sa.String(length=100), nullable=True))
    op.add_column("respondent", sa.Column("organisatie", sa.String(length=80), nullable=True))

    op.create_table(
        "ronde_rol",
        sa.Column("ronde_id", sa.Integer(), nullable=False),
        sa.Column("rol", sa.String(length=64), nullable=False),
        _ronde_fk("ronde_rol"),
        sa.PrimaryKeyConstraint("ronde_id", "rol", name=op.f("pk_ronde_rol")),
    )
    op.create_table(
        "uitnodiging",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ronde_id", sa.Integer(), nullable=False),
        sa.Column("rol", sa.String(length=64), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        _tijd("aangemaakt"),
        sa.Column("ingetrokken", sa.Boolean(), server_default=sa.false(), nullable=False),
        _ronde_fk("uitnodiging"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_uitnodiging")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_uitnodiging_code_hash")),
    )
    op.create_index(op.f("ix_uitnodiging_ronde_id"), "uitnodiging", ["ronde_id"])
    op.create_table(
        "consensus",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ronde_id", sa.Integer(), nullable=False),
        sa.Column("kader_id", sa.String(length=100), nullable=False),
        sa.Column("criterium_id", sa.String(length=100), nullable=False),
        sa.Column("score", sa.String(length=20), nullable=False),
        sa.Column("motivatie", sa.Text(), server_default="", nullable=False),
        _tijd("bijgewerkt"),
        _ronde_fk("consensus"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consensus")),
        sa.UniqueConstraint(
            "ronde_id", "kader_id", "criterium_id",
            name=op.f("uq_consensus_ronde_id_kader_id_criterium_id"),
        ),
    )
    op.create_table(
        "consensus_wijziging",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ronde_id", sa.Integer(), nullable=False),
        sa.Column("kader_id", sa.String(length=100), nullable=False),
        sa.Column("criterium_id", sa.String(length=100), nullable=False),
        sa.Column("score", sa.String(length=20), nullable=False),
        sa.Column("motivatie", sa.Text(), server_default="", nullable=False),
        _tijd("tijdstip"),
        _ronde_fk("consensus_wijziging"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consensus_wijziging")),
    )
    op.create_index(
        op.f("ix_consensus_wijziging_ronde_id"), "consensus_wijziging", ["ronde_id"]
    )
    op.create_table(
        "poging",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sleutel", sa.String(length=64), nullable=False),
        _tijd("tijdstip"),
        sa.Column("gelukt", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_poging")),
    )
    op.create_index("ix_poging_sleutel_tijdstip", "poging", ["sleutel", "tijdstip"])


def downgrade() -> None:
    for tabel in ("poging", "consensus_wijziging", "consensus", "uitnodiging", "ronde_rol"):
        op.drop_table(tabel)
    # Plain DROP COLUMN (SQLite >= 3.35), again to avoid a table rebuild.
    op.drop_column("respondent", "organisatie")
    for kolom in ("huidig_criterium", "huidig_kader", "fase"):
        op.drop_column("ronde", kolom)
