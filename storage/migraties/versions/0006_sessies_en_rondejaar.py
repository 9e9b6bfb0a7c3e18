"""Staff sessions kept on the server; a year beside the free label of a ronde.

* New table ``sessie``: one row per staff sign-in. The browser holds a signed,
  expiring token (a cookie); the server keeps only the keyed hash of its random
  part (``token_hash``, HMAC with the server secret as for codes), the account name,
  when it was made and until when it holds. Sign-out sets ``beeindigd``; removing
  the account ends it on the next request (toegang re-reads the accounts).
* New column ``ronde.jaar``: the year a ronde belongs to, so the regional comparison
  matches rondes by year and kader instead of by their exact label. Existing rondes
  get the first year (2000–2099) in their label, or else the year they were made.

Only ADD COLUMN and a new table (no rebuild on SQLite, see 0002).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""
from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_JAAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def jaar_uit_label(label: str, aangemaakt) -> int:
    """The first year 2000–2099 in the label, else the year of `aangemaakt` (a datetime or
    the text SQLite returns for it)."""
    gevonden = _JAAR.search(label or "")
    if gevonden:
        return int(gevonden.group(1))
    if hasattr(aangemaakt, "year"):
        return aangemaakt.year
    return int(str(aangemaakt)[:4])


def upgrade() -> None:
    op.create_table(
        "sessie",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("gebruiker", sa.String(length=200), nullable=False),
        sa.Column("aangemaakt", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("verloopt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("beeindigd", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessie")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_sessie_token_hash")),
    )
    op.create_index("ix_sessie_gebruiker", "sessie", ["gebruiker"])
    op.add_column("ronde", sa.Column("jaar", sa.Integer(), nullable=True))
    conn = op.get_bind()
    rijen = conn.execute(sa.text("SELECT id, label, aangemaakt FROM ronde")).all()
    if rijen:
        conn.execute(sa.text("UPDATE ronde SET jaar = :jaar WHERE id = :id"),
                     [{"id": i, "jaar": jaar_uit_label(label, aangemaakt)} for i, label, aangemaakt in rijen])


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite >= 3.35), no batch rebuild (see 0004).
    op.drop_column("ronde", "jaar")
    op.drop_index("ix_sessie_gebruiker", table_name="sessie")
    op.drop_table("sessie")
