"""Storage layer: the database and everything that reads or writes it.

Modules (import them directly; this package file imports nothing):

* ``storage.repository`` - the API for callers outside storage: re-exports the
  functions, records and limits of the concept modules below
  (``from storage import repository as repo``)
* concept modules, each a set of plain functions taking an Engine first:
  ``gemeenten``, ``rondes``, ``respondenten``, ``antwoorden``, ``importeren``,
  ``uitnodigingen``, ``workshop``, ``verbeterplan``, ``avg``, ``pogingen``
* ``storage.records`` - the frozen dataclasses they return;
  ``storage.controle`` - checks they share (ids, names, roles, scores, open ronde)
* ``storage.bereik`` - scope checks for every staff write
* ``storage.snapshot`` - a ronde as a snapshot: export from and import into the database
* ``storage.db`` - engine, sessions, retries, upsert, Alembic migrations
* ``storage.models`` - SQLAlchemy models (schema owned by ``storage/migraties``)
* ``storage.geheim`` - the server secret and the keyed hashes of codes
* ``storage.demo`` - fictional, clearly labelled demo data

The answers format itself (CSV, Excel, snapshot JSON, text cleaning) is the
top-level package ``uitwisselformaat``, which has no database code.

Command line: ``python -m storage upgrade``, ``demo``, ``snapshot-export``,
``snapshot-import``, ``snapshot-check`` (see ``storage/__main__.py``).
"""
