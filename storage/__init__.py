"""Storage layer: database, migrations, repository, uitwisselformaat and demo data.

Modules (import them directly; this package file imports nothing, so
``storage.uitwisselformaat`` can be used without any database code):

* ``storage.db`` - engine, sessions, retries, Alembic migrations
* ``storage.models`` - SQLAlchemy models (schema owned by ``storage/migraties``)
* ``storage.repository`` - plain functions, each taking an Engine first
* ``storage.uitwisselformaat`` - CSV exchange format, read/validate/write
* ``storage.demo`` - fictional, clearly labelled demo data

Command line: ``python -m storage upgrade`` and ``python -m storage demo``.
"""
