"""Begin schema: regio, gemeente, ronde, ronde_kader, respondent, antwoord,
antwoord_wijziging.

Written to run unchanged on SQLite and PostgreSQL (portable server defaults).

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _tijd(naam: str) -> sa.Column:
    return sa.Column(
        naam, sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
    )


def _demo() -> sa.Column:
    return sa.Column("demo", sa.Boolean(), server_default=sa.false(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "regio",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("naam", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regio")),
        sa.UniqueConstraint("naam", name=op.f("uq_regio_naam")),
    )
    op.create_table(
        "gemeente",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("naam", sa.String(length=200), nullable=False),
        sa.Column("regio_id", sa.Integer(), nullable=True),
        _demo(),
        sa.ForeignKeyConstraint(
            ["regio_id"], ["regio.id"],
            name=op.f("fk_gemeente_regio_id_regio"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gemeente")),
        sa.UniqueConstraint("naam", name=op.f("uq_gemeente_naam")),
    )
    op.create_index(op.f("ix_gemeente_regio_id"), "gemeente", ["regio_id"])
    op.create_table(
        "ronde",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gemeente_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=10), server_default="open", nullable=False),
        _demo(),
        _tijd("aangemaakt"),
        sa.CheckConstraint("status IN ('open', 'gesloten')", name=op.f("ck_ronde_status")),
        sa.ForeignKeyConstraint(
            ["gemeente_id"], ["gemeente.id"],
            name=op.f("fk_ronde_gemeente_id_gemeente"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ronde")),
        sa.UniqueConstraint("gemeente_id", "label", name=op.f("uq_ronde_gemeente_id_label")),
    )
    op.create_table(
        "ronde_kader",
        sa.Column("ronde_id", sa.Integer(), nullable=False),
        sa.Column("kader_id", sa.String(length=100), nullable=False),
        sa.Column("kader_versie", sa.String(length=50), nullable=False),
        sa.ForeignKeyConstraint(
            ["ronde_id"], ["ronde.id"],
            name=op.f("fk_ronde_kader_ronde_id_ronde"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("ronde_id", "kader_id", name=op.f("pk_ronde_kader")),
    )
    op.create_table(
        "respondent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ronde_id", sa.Integer(), nullable=False),
        sa.Column("pseudoniem", sa.String(length=64), nullable=False),
        sa.Column("rol", sa.String(length=64), nullable=False),
        sa.Column("hervat_hash", sa.String(length=64), nullable=True),
        _tijd("aangemaakt"),
        sa.ForeignKeyConstraint(
            ["ronde_id"], ["ronde.id"],
            name=op.f("fk_respondent_ronde_id_ronde"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_respondent")),
        sa.UniqueConstraint("hervat_hash", name=op.f("uq_respondent_hervat_hash")),
        sa.UniqueConstraint("pseudoniem", name=op.f("uq_respondent_pseudoniem")),
    )
    op.create_index(op.f("ix_respondent_ronde_id"), "respondent", ["ronde_id"])
    op.create_table(
        "antwoord",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("kader_id", sa.String(length=100), nullable=False),
        sa.Column("criterium_id", sa.String(length=100), nullable=False),
        sa.Column("score", sa.String(length=20), nullable=True),
        sa.Column("toelichting", sa.Text(), server_default="", nullable=False),
        _tijd("bijgewerkt"),
        sa.ForeignKeyConstraint(
            ["respondent_id"], ["respondent.id"],
            name=op.f("fk_antwoord_respondent_id_respondent"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_antwoord")),
        sa.UniqueConstraint(
            "respondent_id", "kader_id", "criterium_id",
            name=op.f("uq_antwoord_respondent_id_kader_id_criterium_id"),
        ),
    )
    op.create_table(
        "antwoord_wijziging",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("kader_id", sa.String(length=100), nullable=False),
        sa.Column("criterium_id", sa.String(length=100), nullable=False),
        sa.Column("score", sa.String(length=20), nullable=True),
        sa.Column("toelichting", sa.Text(), server_default="", nullable=False),
        _tijd("tijdstip"),
        sa.ForeignKeyConstraint(
            ["respondent_id"], ["respondent.id"],
            name=op.f("fk_antwoord_wijziging_respondent_id_respondent"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_antwoord_wijziging")),
    )
    op.create_index(
        op.f("ix_antwoord_wijziging_respondent_id"), "antwoord_wijziging", ["respondent_id"]
    )


def downgrade() -> None:
    for tabel in (
        "antwoord_wijziging", "antwoord", "respondent", "ronde_kader", "ronde",
        "gemeente", "regio",
    ):
        op.drop_table(tabel)
