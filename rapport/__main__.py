"""Command line.

* ``python -m rapport verbeterplan --antwoorden FILE.csv --kader ID --gemeente G
  --ronde R --out plan.pdf`` writes the verbeterplan PDF and prints its path.
* ``python -m rapport scores --antwoorden FILE.csv --format json|csv [--kader ID]
  [--gemeente G] [--ronde R] [--drempel N]`` writes the `rapport.analyse.analyseer`
  table (every kader in the file, or only ``--kader``) to stdout, floats rounded to
  `rapport.analyse.DECIMALEN` decimals (docs/analyse.md).

Exit codes: 0 = done, 1 = a problem with the input (message in Dutch on stderr),
2 = wrong arguments (argparse).
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from kader.model import Kader


class _Fout(Exception):
    """A problem the user can fix; the message is Dutch and shown as is."""


_VERTALING = {
    "the following arguments are required": "deze argumenten ontbreken",
    "unrecognized arguments": "onbekende argumenten",
    "expected one argument": "verwacht één waarde",
    "invalid choice": "ongeldige keuze",
    "choose from": "kies uit",
}


class _Opmaak(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, "gebruik: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse with Dutch headings, help option and error prefix."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Opmaak)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumenten"
        self._optionals.title = "opties"
        self.add_argument("-h", "--help", action="help", help="toon deze hulp en stop")

    def error(self, message: str):
        for engels, nederlands in _VERTALING.items():
            message = message.replace(engels, nederlands)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fout: {message}\n")


def _laad_kaders() -> dict[str, Kader]:
    """All kaders; loading problems of other kaders are not fatal here."""
    from kader import laad_kaders

    return dict(laad_kaders().kaders)


def _rol_namen() -> dict[str, str]:
    try:
        from vragenlijsten import rol_namen
    except ImportError:  # pragma: no cover - vragenlijsten is part of the project
        return {}
    try:
        return dict(rol_namen())
    except Exception:  # names are cosmetic: fall back to the rol ids
        return {}


def _lees_antwoorden(pad: Path, kaders: Mapping[str, Kader]) -> pd.DataFrame:
    from storage.uitwisselformaat import UitwisselFout, lees_csv

    try:
        data = pad.read_bytes()
    except FileNotFoundError:
        raise _Fout(f"Het bestand '{pad}' bestaat niet.") from None
    except OSError as e:
        raise _Fout(f"Het bestand '{pad}' kan niet worden gelezen: {e.strerror}.") from None
    try:
        return lees_csv(data, kaders, bestand=str(pad))
    except UitwisselFout as e:
        raise _Fout(f"Het bestand met antwoorden is niet bruikbaar:\n{e}") from None


def _opties(waarden: Sequence[str]) -> str:
    w = sorted(set(waarden))
    if len(w) > 10:
        w = w[:10] + ["…"]
    return ", ".join(f"'{x}'" for x in w) or "(geen)"


def maak_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m rapport",
        description="Rapporten maken van de zelfevaluatie.",
    )
    sub = parser.add_subparsers(
        dest="opdracht", metavar="OPDRACHT", parser_class=_Parser, title="opdrachten"
    )
    sub.required = True
    vp = sub.add_parser(
        "verbeterplan",
        help="maak het verbeterplan (PDF) voor één gemeente, ronde en kader",
        description=(
            "Maak het verbeterplan (PDF, A4) voor één gemeente, ronde en kader uit een "
            "bestand met antwoorden in het uitwisselformaat."
        ),
    )
    vp.add_argument("--antwoorden", required=True, type=Path, metavar="BESTAND.csv",
                    help="CSV-bestand met antwoorden in het uitwisselformaat")
    vp.add_argument("--kader", required=True, metavar="ID",
                    help="id van het kader, bijvoorbeeld stj-stelseltoezicht-jeugd")
    vp.add_argument("--gemeente", required=True, metavar="GEMEENTE",
                    help="naam van de gemeente zoals in het bestand")
    vp.add_argument("--ronde", required=True, metavar="RONDE",
                    help="ronde zoals in het bestand")
    vp.add_argument("--out", required=True, type=Path, metavar="PLAN.pdf",
                    help="waar de PDF komt")
    sc = sub.add_parser(
        "scores",
        help="schrijf de scores per criterium, thema en kader (JSON of CSV) naar stdout",
        description=(
            "Schrijf de analyse (aantallen, gemiddelde, mediaan, kwartielen, aandelen weet "
            "niet en nvt, consensus) per criterium, thema en kader, voor alle respondenten "
            "en per rolgroep, naar stdout. Kleine rolgroepen worden samengevoegd."
        ),
    )
    sc.add_argument("--antwoorden", required=True, type=Path, metavar="BESTAND.csv",
                    help="CSV-bestand met antwoorden in het uitwisselformaat")
    sc.add_argument("--format", required=True, choices=("json", "csv"), dest="formaat",
                    help="uitvoerformaat")
    sc.add_argument("--kader", metavar="ID",
                    help="alleen dit kader (standaard: elk kader dat in het bestand voorkomt)")
    sc.add_argument("--gemeente", metavar="GEMEENTE", help="alleen deze gemeente")
    sc.add_argument("--ronde", metavar="RONDE", help="alleen deze ronde")
    sc.add_argument("--drempel", type=int, metavar="N",
                    help="minimale groepsgrootte voor anonimiteit (standaard 3 of "
                         "ZBT_ANONIMITEIT_DREMPEL)")
    return parser


def _scores(args: argparse.Namespace) -> str:
    from rapport.analyse import analyseer, rond_af

    if args.drempel is not None and args.drempel < 1:
        raise _Fout(f"De drempel moet minstens 1 zijn (gekregen: {args.drempel}).")
    kaders = _laad_kaders()
    if args.kader is not None and args.kader not in kaders:
        raise _Fout(f"Het kader '{args.kader}' bestaat niet. Kies uit: {_opties(kaders)}.")
    antwoorden = _lees_antwoorden(args.antwoorden, kaders)
    if args.gemeente is not None:
        if not (antwoorden["gemeente"] == args.gemeente).any():
            raise _Fout(
                f"De gemeente '{args.gemeente}' komt niet voor in {args.antwoorden}. "
                f"Het bestand bevat: {_opties(antwoorden['gemeente'])}."
            )
        antwoorden = antwoorden.loc[antwoorden["gemeente"] == args.gemeente]
    if args.ronde is not None:
        if not (antwoorden["ronde"] == args.ronde).any():
            raise _Fout(
                f"De ronde '{args.ronde}' komt niet voor in {args.antwoorden}"
                + (f" voor gemeente '{args.gemeente}'" if args.gemeente is not None else "")
                + f". Het bestand bevat: {_opties(antwoorden['ronde'])}."
            )
        antwoorden = antwoorden.loc[antwoorden["ronde"] == args.ronde]
    if args.kader is not None:
        if not (antwoorden["kader"] == args.kader).any():
            raise _Fout(
                f"Het kader '{args.kader}' komt niet voor in {args.antwoorden}"
                + (" bij de gekozen gemeente en ronde" if args.gemeente or args.ronde else "")
                + f". Het bestand bevat: {_opties(antwoorden['kader'])}."
            )
        gekozen = [kaders[args.kader]]
    else:
        aanwezig = set(antwoorden["kader"])
        gekozen = [k for k in kaders.values() if k.id in aanwezig]
    rol_namen = _rol_namen()
    tabel = pd.concat(
        [analyseer(antwoorden, k, drempel=args.drempel, rol_namen=rol_namen) for k in gekozen],
        ignore_index=True,
    )
    tabel = rond_af(tabel)
    if args.formaat == "json":
        return tabel.to_json(orient="records", force_ascii=False, indent=1) + "\n"
    return tabel.to_csv(index=False, lineterminator="\n")


def _verbeterplan(args: argparse.Namespace) -> Path:
    from rapport.verbeterplan import maak_verbeterplan_pdf

    kaders = _laad_kaders()
    kader = kaders.get(args.kader)
    if kader is None:
        raise _Fout(f"Het kader '{args.kader}' bestaat niet. Kies uit: {_opties(kaders)}.")
    antwoorden = _lees_antwoorden(args.antwoorden, kaders)
    if not (antwoorden["kader"] == kader.id).any():
        raise _Fout(
            f"Het kader '{kader.id}' komt niet voor in {args.antwoorden}. "
            f"Het bestand bevat: {_opties(antwoorden['kader'])}."
        )
    antwoorden = antwoorden.loc[antwoorden["kader"] == kader.id]
    if not (antwoorden["gemeente"] == args.gemeente).any():
        raise _Fout(
            f"De gemeente '{args.gemeente}' komt niet voor in {args.antwoorden} "
            f"(bij kader '{kader.id}'). Het bestand bevat: {_opties(antwoorden['gemeente'])}."
        )
    antwoorden = antwoorden.loc[antwoorden["gemeente"] == args.gemeente]
    if not (antwoorden["ronde"] == args.ronde).any():
        raise _Fout(
            f"De ronde '{args.ronde}' komt niet voor in {args.antwoorden} voor gemeente "
            f"'{args.gemeente}'. Het bestand bevat: {_opties(antwoorden['ronde'])}."
        )
    antwoorden = antwoorden.loc[antwoorden["ronde"] == args.ronde]

    pdf = maak_verbeterplan_pdf(antwoorden, kader, args.gemeente, args.ronde, rol_namen=_rol_namen())
    try:
        if args.out.parent and not args.out.parent.exists():
            args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_bytes(pdf)
    except OSError as e:
        raise _Fout(f"De PDF kan niet worden geschreven naar '{args.out}': {e.strerror}.") from None
    return args.out


def main(argv: Sequence[str] | None = None) -> int:
    args = maak_parser().parse_args(argv)
    try:
        if args.opdracht == "verbeterplan":
            pad = _verbeterplan(args)
            print(pad)
            return 0
        if args.opdracht == "scores":
            sys.stdout.write(_scores(args))
            return 0
    except _Fout as e:
        print(f"Fout: {e}", file=sys.stderr)
        return 1
    return 2  # pragma: no cover - argparse only allows known commands


if __name__ == "__main__":
    sys.exit(main())
