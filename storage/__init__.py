"""Storage layer: database, migrations, repository and demo data.

Modules (import them directly; this package file imports nothing):

* ``storage.db`` - engine, sessions, retries, Alembic migrations
* ``storage.models`` - SQLAlchemy models (schema owned by ``storage/migraties``)
* ``storage.repository`` - plain functions, each taking an Engine first
* ``storage.snapshot`` - a ronde as a snapshot: export from and import into the database
* ``storage.bereik`` - scope checks for every staff write
* ``storage.demo`` - fictional, clearly labelled demo data

The answers format itself (CSV, Excel, snapshot JSON, text cleaning) is the
top-level package ``uitwisselformaat``, which has no database code.

Command line: ``python -m storage upgrade`` and ``python -m storage demo``.
"""
