"""Alembic environment. Normally driven from storage.db.migreer(), which passes an
open connection in ``config.attributes['connection']``. Run standalone with
``alembic -c storage/alembic.ini upgrade head``: the URL then comes from
storage.db.database_url() (``$ZBT_DATABASE_URL`` or the SQLite file in data/).
"""
from __future__ import annotations

from alembic import context

from storage.db import maak_engine
from storage.models import Base

config = context.config
target_metadata = Base.metadata


def _configureer(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configureer(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = maak_engine(config.get_main_option("sqlalchemy.url") or None)
    with engine.connect() as connection:
        _configureer(connection)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) migrations are not supported; run online.")
run_migrations_online()
