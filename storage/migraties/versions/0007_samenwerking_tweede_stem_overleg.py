"""Samenwerkingskaart, a second vote after the discussion, the inventory of overleggen.

* New columns ``ronde.tweede_stem`` (a second silent vote is open on the criterium in
  focus), ``ronde.samenwerkingskaart`` (the optional cooperation questions are on) and
  ``ronde.kaart_in_beeld`` (the workshop shows the samenwerkingskaart now).
* New table ``tweede_stem``: a respondent's second vote per criterium; the first stays
  in ``antwoord``.
* New table ``samenwerking``: per respondent and partner rol the level on the
  coördinatieladder ('0'..'5', 'weet_niet', 'nvt') with an optional toelichting.
* New table ``overleg``: the overleggen of a ronde with the netwerk functions each
  performs (000 Tabel 2.2); the rollen and functions are JSON lists of ids.

Only ADD COLUMN and new tables (no rebuild on SQLite, see 0002).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("ronde", sa.Column("tweede_stem", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("ronde", sa.Column("samenwerkingskaart", sa.Boolean(), server_default=sa.false(),
                                     nullable=False))
    op.add_column("ronde", sa.Column("kaart_in_beeld", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        "tweede_stem",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("kader_id", sa.String(length=100), nullable=False),
        sa.Column("criterium_id", sa.String(length=100), nullable=False),
        sa.Column("score", sa.String(length=20), nullable=True),
        sa.Column("bijgewerkt", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["respondent_id"], ["respondent.id"],
                                name=op.f("fk_tweede_stem_respondent_id_respondent"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tweede_stem")),
        sa.UniqueConstraint("respondent_id", "kader_id", "criterium_id",
                            name=op.f("uq_tweede_stem_respondent_id_kader_id_criterium_id")),
    )
    op.create_table(
        "samenwerking",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("partner", sa.String(length=64), nullable=False),
        sa.Column("niveau", sa.String(length=20), nullable=False),
        sa.Column("toelichting", sa.Text(), server_default="", nullable=False),
        sa.Column("bijgewerkt", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["respondent_id"], ["respondent.id"],
                                name=op.f("fk_samenwerking_respondent_id_respondent"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_samenwerking")),
        sa.UniqueConstraint("respondent_id", "partner", name=op.f("uq_samenwerking_respondent_id_partner")),
    )
    op.create_table(
        "overleg",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ronde_id", sa.Integer(), nullable=False),
        sa.Column("naam", sa.String(length=200), nullable=False),
        sa.Column("frequentie", sa.String(length=100), server_default="", nullable=False),
        sa.Column("voorzitter_rol", sa.String(length=64), nullable=True),
        sa.Column("deelnemers", sa.JSON(), nullable=False),
        sa.Column("functies", sa.JSON(), nullable=False),
        sa.Column("bijgewerkt", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["ronde_id"], ["ronde.id"], name=op.f("fk_overleg_ronde_id_ronde"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_overleg")),
        sa.UniqueConstraint("ronde_id", "naam", name=op.f("uq_overleg_ronde_id_naam")),
    )
    op.create_index("ix_overleg_ronde_id", "overleg", ["ronde_id"])


def downgrade() -> None:
    op.drop_index("ix_overleg_ronde_id", table_name="overleg")
    op.drop_table("overleg")
    op.drop_table("samenwerking")
    op.drop_table("tweede_stem")
    # Plain DROP COLUMN (SQLite >= 3.35), no batch rebuild (see 0004).
    op.drop_column("ronde", "kaart_in_beeld")
    op.drop_column("ronde", "samenwerkingskaart")
    op.drop_column("ronde", "tweede_stem")
