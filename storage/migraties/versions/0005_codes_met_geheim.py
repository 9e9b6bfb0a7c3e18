"""Codes at rest with a server secret; a maximum number of respondents per invitation.

* ``uitnodiging.code_hash`` and ``respondent.hervat_hash`` held sha256(normalised
  code); from now on they hold HMAC-SHA256(geheim, sha256(normalised code)) (see
  storage/geheim.py). The HMAC is taken over the stored sha256, so existing codes
  keep working without anyone knowing them.
* New columns ``uitnodiging.max_deelnemers`` (NULL: no maximum) and
  ``uitnodiging.deelnemers`` (how many joined with the code; 0 for older codes,
  which have no maximum).
* New table ``instelling`` with the check value of the secret, so a wrong or
  lost secret is noticed at start instead of silently breaking every code.

Only ADD COLUMN and a new table (no rebuild on SQLite, see 0002).

Downgrade: a keyed hash cannot be turned back into the plain sha256, so the
downgrade revokes every invitation and clears every resume code (answers and
respondents stay; make new invitation codes after it). It also drops the new
columns and table.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-13
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.geheim import CONTROLE_NAAM, controlewaarde, geheim, sleutel_hash

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_CODES = (("uitnodiging", "code_hash"), ("respondent", "hervat_hash"))


def upgrade() -> None:
    op.add_column("uitnodiging", sa.Column("max_deelnemers", sa.Integer(), nullable=True))
    op.add_column("uitnodiging", sa.Column("deelnemers", sa.Integer(), server_default="0", nullable=False))
    op.create_table(
        "instelling",
        sa.Column("naam", sa.String(length=50), nullable=False),
        sa.Column("waarde", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("naam", name=op.f("pk_instelling")),
    )
    sleutel = geheim()
    conn = op.get_bind()
    for tabel, kolom in _CODES:
        rijen = conn.execute(sa.text(f"SELECT id, {kolom} FROM {tabel} WHERE {kolom} IS NOT NULL")).all()
        if rijen:
            conn.execute(sa.text(f"UPDATE {tabel} SET {kolom} = :h WHERE id = :id"),
                         [{"id": i, "h": sleutel_hash(h, sleutel)} for i, h in rijen])
    conn.execute(sa.text("INSERT INTO instelling (naam, waarde) VALUES (:n, :w)"),
                 {"n": CONTROLE_NAAM, "w": controlewaarde(sleutel)})


def downgrade() -> None:
    op.execute(sa.text("UPDATE uitnodiging SET ingetrokken = :ja").bindparams(ja=True))
    op.execute("UPDATE respondent SET hervat_hash = NULL")
    op.drop_table("instelling")
    # Plain DROP COLUMN (SQLite >= 3.35), no batch rebuild (see 0004).
    op.drop_column("uitnodiging", "deelnemers")
    op.drop_column("uitnodiging", "max_deelnemers")
