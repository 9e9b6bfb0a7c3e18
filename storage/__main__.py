"""Command line for the storage layer.

    python -m storage upgrade                 # migrate the database to head
    python -m storage revisie                 # show the current revision
    python -m storage demo                    # migrate, then seed the demo

The database is ``$ZBT_DATABASE_URL`` (default data/zelfbeoordeling.db).
``demo`` uses the kaders from kader/ and the roles from vragenlijsten/. With
``--bron MOD:FUNC`` (or ``$ZBT_DEMO_BRON``) a function without arguments that
returns ``(kaders, rollen)`` is used instead: kaders: {kader_id: Kader},
rollen: {rol_id: [(kader_id, criterium_id), ...]}.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from storage.db import huidige_revisie, maak_engine, migreer


def _project_bron():
    """Kaders and per-role (kader, criterium) pairs from the project's YAML files."""
    from kader import laad_kaders
    from vragenlijsten import laad_vragenlijsten

    kaders = laad_kaders().kaders
    return kaders, laad_vragenlijsten(kaders).paren()


def _laad_bron(bron: str):
    if not bron:
        return _project_bron()
    module, _, functie = bron.partition(":")
    if not module or not functie:
        raise SystemExit(f"--bron moet de vorm 'module:functie' hebben, niet '{bron}'.")
    return getattr(importlib.import_module(module), functie)()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m storage", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="opdracht", required=True)
    sub.add_parser("upgrade", help="database bijwerken naar de nieuwste versie")
    sub.add_parser("revisie", help="huidige databaseversie tonen")
    demo = sub.add_parser("demo", help="fictieve demogegevens aanmaken (eenmalig)")
    demo.add_argument("--bron", default=os.environ.get("ZBT_DEMO_BRON", ""),
                      help="module:functie die (kaders, rollen) teruggeeft (standaard: kader/ en vragenlijsten/)")
    args = parser.parse_args(argv)

    engine = maak_engine()
    print(f"Database: {engine.url.render_as_string(hide_password=True)}")
    if args.opdracht == "revisie":
        print(f"Versie: {huidige_revisie(engine) or '(leeg)'}")
        return 0
    migreer(engine)
    print(f"Bijgewerkt tot versie {huidige_revisie(engine)}.")
    if args.opdracht == "demo":
        from storage.demo import vul_demo

        kaders, rollen = _laad_bron(args.bron)
        gevuld = vul_demo(engine, kaders, rollen)
        print("Demogegevens aangemaakt." if gevuld else "Demogegevens bestonden al; niets gewijzigd.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
