"""Command line: `python -m kader check [PATH ...]` and `python -m kader show ID --json`.

`check` validates kader files, acties files (`soort: acties`) and koppelbestanden
(`soort: koppeling`, kader/koppelingen/; see docs/kaderversies.md).
"""
from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

from opdrachtregel import Parser

from . import laad_kaders
from .acties import is_actiesbestand, laad_acties, samenvatting
from .koppeling import is_koppelbestand, laad_koppelingen, standaard_koppelpaden
from .loader import KADER_MAP
from .netwerkfuncties import laad_netwerkfuncties
from .werkwijze import laad_werkwijze


def _check(args) -> int:
    """Check kader files and acties files.

    Without PATH: every kader file in kader/ and then kader/acties.yaml. A PATH
    with `soort: acties` is validated against the kaders in kader/; any other
    PATH is read as a kader or antwoordschaal file, as before. Koppelbestanden
    (`soort: koppeling`; default: kader/koppelingen/*.yaml) are validated against
    the kader files given as PATH, or else against those in kader/.
    """
    if args.paden:
        actiepaden = [Path(p) for p in args.paden if is_actiesbestand(p)]
        koppelpaden = [Path(p) for p in args.paden if is_koppelbestand(p)]
        kaderpaden = [p for p in args.paden if not is_actiesbestand(p) and not is_koppelbestand(p)]
    else:
        actiepaden = [p for p in sorted(KADER_MAP.glob("*.yaml")) if is_actiesbestand(p)]
        koppelpaden = standaard_koppelpaden()
        kaderpaden = None  # the default: every kader file in kader/
    fouten = []
    res = None
    geldig = 0  # lines printed for valid files
    if kaderpaden is None or kaderpaden:
        res = laad_kaders(kaderpaden)
        for kader in res.kaders.values():
            print(kader.samenvatting())
            geldig += 1
        fouten.extend(res.fouten)
    if actiepaden:
        basis = res if kaderpaden is None else laad_kaders()
        fouten.extend(f for f in basis.fouten if f not in fouten)  # acties depend on these kaders
        for pad in actiepaden:
            acties, actiefouten = laad_acties(basis.kaders, pad)
            print(samenvatting(acties))
            geldig += 1
            fouten.extend(actiefouten)
    if kaderpaden is None:  # the default check also reads the inspecties' werkwijze
        werkwijze, werkfouten = laad_werkwijze(res.kaders)
        if werkwijze is not None:
            print(f"werkwijze: {len(werkwijze.methoden)} methoden, {len(werkwijze.vragen)} vragen, "
                  f"{len(werkwijze.plaatsingen)} plaatsingen")
            geldig += 1
        fouten.extend(werkfouten)
        functies, functiefouten = laad_netwerkfuncties()  # 000 Tabel 2.2, for the inventory of overleggen
        if functies is not None:
            print(f"netwerkfuncties: {len(functies.functies)} functies")
            geldig += 1
        fouten.extend(functiefouten)
    if koppelpaden:
        # against the kader files given on the command line, or else those in kader/
        basis = res if res is not None else laad_kaders()
        fouten.extend(f for f in basis.fouten if f not in fouten)
        koppelingen, koppelfouten = laad_koppelingen(basis.kaders, koppelpaden)
        for koppeling in koppelingen:
            print(koppeling.samenvatting())
            geldig += 1
        fouten.extend(koppelfouten)
    for fout in fouten:
        print(f"FOUT: {fout}", file=sys.stderr)
    if fouten:
        if geldig:  # one FOUT line per problem is enough when nothing else was printed
            wat = "de kaders en acties" if actiepaden else "de kaders"
            print(f"{len(fouten)} fout(en) gevonden; {wat} hierboven zijn wel geldig.", file=sys.stderr)
        return 1
    if res is not None and not res.kaders:
        print("Geen kaders gevonden.", file=sys.stderr)
        return 1
    return 0


def _show(args) -> int:
    res = laad_kaders()
    kader = res.kaders.get(args.id)
    if kader is None:
        print(f"FOUT: onbekend kader '{args.id}'. Bekend: {', '.join(sorted(res.kaders)) or 'geen'}.", file=sys.stderr)
        return 1
    data = dataclasses.asdict(kader)
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(f"{kader.titel} (versie {kader.versie})")
        for thema in kader.themas:
            print(f"  {thema.titel}")
            for c in thema.criteria:
                print(f"    [{c.id}] {c.kort}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = Parser(prog="python -m kader", description="Kaderbestanden controleren en tonen.")
    sub = parser.add_subparsers(dest="opdracht", required=True)
    p_check = sub.add_parser("check", help="controleer kader- en actiebestanden (standaard: alle in kader/)")
    p_check.add_argument("paden", nargs="*", metavar="PAD", help="kader-, acties- of koppelbestand")
    p_check.set_defaults(func=_check)
    p_show = sub.add_parser("show", help="toon één kader")
    p_show.add_argument("id", help="id van het kader, bijvoorbeeld stj-stelseltoezicht-jeugd")
    p_show.add_argument("--json", action="store_true", help="als JSON")
    p_show.set_defaults(func=_show)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
