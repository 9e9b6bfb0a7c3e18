"""Command line for the storage layer.

    python -m storage upgrade                 # migrate the database to head
    python -m storage revisie                 # show the current revision
    python -m storage demo                    # migrate, then seed the demo
    python -m storage snapshot-export --ronde ID --out F.json   # one ronde as a JSON snapshot
    python -m storage snapshot-import F.json  # import a snapshot as a new ronde, or update its answers (all or nothing)
    python -m storage snapshot-check F.json   # check digest and content, without a database

The database is ``$ZBT_DATABASE_URL`` (default data/zelfbeoordeling.db).
``demo`` uses the kaders from kader/ and the roles from vragenlijsten/. With
``--bron MOD:FUNC`` (or ``$ZBT_DEMO_BRON``) a function without arguments that
returns ``(kaders, rollen)`` is used instead: kaders: {kader_id: Kader},
rollen: {rol_id: [(kader_id, criterium_id), ...]}.

Snapshots (uitwisselformaat/snapshot.py, storage/snapshot.py, docs/snapshot.md): ``--ronde`` is the ronde id, or
its label together with ``--gemeente``. Exit code 1 with a Dutch message when the
file or ronde is not usable, or when the database cannot be reached (one line on
stderr, no traceback).
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

from opdrachtregel import Parser
from storage.db import DatabaseOnbereikbaar, bij_onbereikbaar, huidige_revisie, maak_engine, migreer
from storage.geheim import GeheimFout


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
    try:
        with bij_onbereikbaar():
            return _main(argv)
    except DatabaseOnbereikbaar as e:  # one Dutch line, no traceback
        print(f"Fout: {e}", file=sys.stderr)
        return 1


def _main(argv: list[str] | None) -> int:
    parser = Parser(prog="python -m storage", formatter_class=argparse.RawDescriptionHelpFormatter, description=(
        "De database bijwerken, demogegevens aanmaken en een ronde overdragen als snapshot.\n\n"
        "De database is $ZBT_DATABASE_URL (standaard data/zelfbeoordeling.db). Een snapshot is één\n"
        "ronde als JSON met een SHA-256-controlesom (docs/snapshot.md). Exitcode 1 met een melding\n"
        "als het bestand of de ronde niet bruikbaar is, of als de database niet bereikbaar is."))
    sub = parser.add_subparsers(dest="opdracht", required=True)
    sub.add_parser("upgrade", help="database bijwerken naar de nieuwste versie")
    sub.add_parser("revisie", help="huidige databaseversie tonen")
    demo = sub.add_parser("demo", help="fictieve demogegevens aanmaken (eenmalig)")
    demo.add_argument("--bron", default=os.environ.get("ZBT_DEMO_BRON", ""),
                      help="module:functie die (kaders, rollen) teruggeeft (standaard: kader/ en vragenlijsten/)")
    exp = sub.add_parser("snapshot-export", help="één ronde als JSON-snapshot met SHA-256 opslaan")
    exp.add_argument("--ronde", required=True, help="id van de ronde, of het label (met --gemeente)")
    exp.add_argument("--gemeente", help="naam van de gemeente, als --ronde een label is")
    exp.add_argument("--out", required=True, help="het JSON-bestand dat gemaakt wordt")
    imp = sub.add_parser("snapshot-import", help="een JSON-snapshot als nieuwe ronde importeren (staat de ronde er al: haar antwoorden bijwerken)")
    imp.add_argument("bestand", help="het JSON-bestand met de snapshot")
    chk = sub.add_parser("snapshot-check", help="controlesom en inhoud van een snapshot controleren")
    chk.add_argument("bestand", help="het JSON-bestand met de snapshot")
    args = parser.parse_args(argv)
    try:
        return _voer_uit(args)
    except GeheimFout as e:  # the server secret does not belong to this database
        print(f"Fout: {e}", file=sys.stderr)
        return 1


def _voer_uit(args) -> int:
    if args.opdracht.startswith("snapshot-"):
        try:
            return _snapshot(args)
        except ValueError as e:  # SnapshotFout and other Dutch messages
            print(f"Fout: {e}", file=sys.stderr)
            return 1

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


def _lees(pad: str) -> bytes:
    try:
        return Path(pad).read_bytes()
    except FileNotFoundError:
        raise ValueError(f"Het bestand '{pad}' bestaat niet.") from None
    except OSError as e:
        raise ValueError(f"Het bestand '{pad}' kan niet worden gelezen: {e.strerror}.") from None


def _kies_ronde(engine, ronde: str, gemeente: str | None) -> int:
    from storage import repository as repo

    alle = repo.rondes(engine)
    if ronde.isdigit() and gemeente is None:
        if any(r.id == int(ronde) for r in alle):
            return int(ronde)
        raise ValueError(f"Er is geen ronde met id {ronde}.")
    if gemeente is None:
        raise ValueError(f"Geef met --gemeente aan van welke gemeente ronde '{ronde}' is, of gebruik het id.")
    gevonden = [r.id for r in alle if r.gemeente == gemeente and r.label == ronde]
    if not gevonden:
        labels = sorted({r.label for r in alle if r.gemeente == gemeente})
        raise ValueError(f"Gemeente '{gemeente}' heeft geen ronde '{ronde}'"
                         + (f"; wel: {', '.join(labels)}." if labels else "."))
    return gevonden[0]


def _snapshot(args) -> int:
    from storage.bereik import SYSTEEM
    from storage.snapshot import exporteer_snapshot, importeer_snapshot_uitslag
    from uitwisselformaat.snapshot import lees_snapshot, snapshot_bytes

    if args.opdracht == "snapshot-check":
        from kader import laad_kaders

        obj = lees_snapshot(_lees(args.bestand), args.bestand, dict(laad_kaders().kaders))
        antwoorden = sum(len(p["antwoorden"]) for p in obj["respondenten"])
        print(f"{args.bestand}: in orde. {obj['gemeente']}, ronde '{obj['ronde']['label']}': "
              f"{len(obj['respondenten'])} respondenten, {antwoorden} antwoorden, "
              f"{len(obj['consensus'])} consensusscores, {len(obj['verbeterplan'])} acties.")
        print(f"sha256 {obj['sha256']}")
        return 0
    engine = maak_engine()
    print(f"Database: {engine.url.render_as_string(hide_password=True)}")
    migreer(engine)
    if args.opdracht == "snapshot-export":
        snapshot = exporteer_snapshot(engine, _kies_ronde(engine, args.ronde, args.gemeente))
        try:
            Path(args.out).write_bytes(snapshot_bytes(snapshot))
        except OSError as e:
            raise ValueError(f"Het bestand '{args.out}' kan niet worden geschreven: {e.strerror}.") from None
        print(f"{args.out}: {snapshot['gemeente']}, ronde '{snapshot['ronde']['label']}'.")
        print(f"sha256 {snapshot['sha256']}")
        return 0
    uit = importeer_snapshot_uitslag(engine, _lees(args.bestand), args.bestand, door=SYSTEEM)
    t = uit.telling
    if uit.nieuwe_ronde:
        print(f"Geïmporteerd als ronde {uit.ronde_id}.")
    else:  # the ronde was here already: its answers brought up to date
        print(f"Bijgewerkt: ronde {uit.ronde_id}: {t.nieuw} nieuw, {t.gewijzigd} gewijzigd, "
              f"{t.ongewijzigd} ongewijzigd; {uit.respondenten} nieuwe respondent{'' if uit.respondenten == 1 else 'en'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
