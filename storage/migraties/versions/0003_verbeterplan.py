"""Verbeterplan per ronde: verbeteractie and its audit trail verbeteractie_wijziging.

Only new tables; existing tables are not touched (no rebuild on SQLite, see 0002).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
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


def _actievelden() -> list[sa.Column]:
    """The fields of an action, shared by the action and its audit snapshot."""
    return [
        sa.Column("kader_id", sa.String(length=100), nullable=False),
        sa.Column("criterium_id", sa.String(length=100), nullable=True),
        sa.Column("bron_actie_id", sa.String(length=100), nullable=True),
        sa.Column("wat", sa.Text(), nullable=False),
        sa.Column("eigenaar", sa.String(length=200), server_default="", nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("meting", sa.Text(), server_default="", nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "verbeteractie",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ronde_id", sa.Integer(), nullable=False),
        *_actievelden(),
        sa.Column("status", sa.String(length=20), server_default="gepland", nullable=False),
        sa.Column("effect", sa.Text(), server_default="", nullable=False),
        sa.Column("overgenomen_van", sa.Integer(), nullable=True),
        _tijd("aangemaakt"),
        _tijd("bijgewerkt"),
        _ronde_fk("verbeteractie"),
        sa.ForeignKeyConstraint(
            ["overgenomen_van"], ["verbeteractie.id"],
            name=op.f("fk_verbeteractie_overgenomen_van_verbeteractie"), ondelete="SET NULL",
        ),
        sa.CheckConstraint(
            "status IN ('gepland', 'bezig', 'gerealiseerd', 'gestopt')",
            name=op.f("ck_verbeteractie_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verbeteractie")),
        sa.UniqueConstraint(
            "ronde_id", "overgenomen_van", name=op.f("uq_verbeteractie_ronde_id_overgenomen_van")
        ),
    )
    op.create_index(op.f("ix_verbeteractie_ronde_id"), "verbeteractie", ["ronde_id"])
    op.create_table(
        "verbeteractie_wijziging",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ronde_id", sa.Integer(), nullable=False),
        sa.Column("actie_id", sa.Integer(), nullable=False),
        sa.Column("gebeurtenis", sa.String(length=20), nullable=False),
        *_actievelden(),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("effect", sa.Text(), server_default="", nullable=False),
        sa.Column("overgenomen_van", sa.Integer(), nullable=True),
        _tijd("tijdstip"),
        _ronde_fk("verbeteractie_wijziging"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verbeteractie_wijziging")),
    )
    op.create_index(
        op.f("ix_verbeteractie_wijziging_ronde_id"), "verbeteractie_wijziging", ["ronde_id"]
    )
    op.create_index(
        op.f("ix_verbeteractie_wijziging_actie_id"), "verbeteractie_wijziging", ["actie_id"]
    )


def downgrade() -> None:
    op.drop_table("verbeteractie_wijziging")
    op.drop_table("verbeteractie")
