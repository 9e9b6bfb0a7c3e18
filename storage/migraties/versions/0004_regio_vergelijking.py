"""Opt-in for regional comparison: gemeente.regio_vergelijking (default off).

A gemeente's results appear in the regio view, and the gemeente sees the regional
median, only after it has opted in. One added column with a server default: no table
rebuild on SQLite.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "gemeente",
        sa.Column("regio_vergelijking", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite >= 3.35): a batch rebuild of gemeente would cascade
    # into its rondes.
    op.drop_column("gemeente", "regio_vergelijking")
