"""``python -m bench [--snel] [--alleen NAAM ...]``: run the benchmarks.

stdout: a header line (starting with '#') and one line per figure,
``name: value unit (target …)``, ending in ``— MIST DOEL`` when the target is
missed. stderr: progress and diagnostics. Exit code 0 when every figure was
measured (missed targets included), 1 when a figure could not be measured because
of an error (it is then printed as ``name: niet gemeten (reden)``).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import niet_gemeten, voortgang  # noqa: E402

# (option name, module[:function, default meet], figure names it produces); run in this order
ONDERDELEN = (
    ("aggregation", "bench.aggregatie", ("aggregation", "aggregation_ratio")),
    ("regio", "bench.regio", ("regio", "regio_ratio")),
    ("pdf", "bench.pdf", ("pdf", "pdf_cold", "batch", "batch_parallel")),
    ("questionnaire_rerun", "bench.vragenlijst", ("questionnaire_rerun",)),
    ("app_participants", "bench.deelnemers", ("app_participants_50",)),
    ("app_replicas", "bench.deelnemers:meet_replicas", ("app_replicas_2",)),
    ("concurrent_writes", "bench.schrijven", ("concurrent_writes_sqlite", "concurrent_writes_postgresql")),
    ("import", "bench.importeren", ("import_100k", "import_100k_geheugen", "import_100k_postgresql")),
)


def _git() -> str:
    """Short hash, '+gewijzigd' when the work tree has changes; tolerant of any failure."""
    try:
        kort = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10,
        ).stdout.strip()
        if not kort:
            return "onbekend"
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
            capture_output=True, text=True, timeout=10,
        ).stdout.strip()
        return f"{kort}+gewijzigd" if status else kort
    except Exception:  # noqa: BLE001 - no git, no repo, timeout: the header just says so
        return "onbekend"


def kopregel(snel: bool) -> str:
    nu = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    try:
        load = f" · load {os.getloadavg()[0]:.1f}"
    except OSError:
        load = ""
    modus = " · --snel: verkleinde aantallen, niet vergelijkbaar met een volledige run" if snel else ""
    return (f"# bench {nu} · {os.cpu_count()} CPU's · Python {platform.python_version()} · "
            f"git {_git()}{load}{modus}")


def maak_parser() -> argparse.ArgumentParser:
    from opdrachtregel import Parser

    parser = Parser(prog="python -m bench", description="Meet de onderdelen die bij landelijk gebruik zwaar "
                    "worden (docs/benchmarks.md).")
    parser.add_argument("--snel", action="store_true",
                        help="kleine aantallen: een rooktest van ongeveer een minuut")
    parser.add_argument("--alleen", action="append", choices=[o[0] for o in ONDERDELEN], metavar="NAAM",
                        help="alleen dit onderdeel (herhaalbaar): " + ", ".join(o[0] for o in ONDERDELEN))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = maak_parser().parse_args(argv)
    import importlib

    print(kopregel(args.snel), flush=True)
    begin = time.perf_counter()
    fout = False
    for naam, module, figuren in ONDERDELEN:
        if args.alleen and naam not in args.alleen:
            continue
        voortgang(f"== {naam}")
        try:
            module_naam, _, functie = module.partition(":")
            regels = getattr(importlib.import_module(module_naam), functie or "meet")(snel=args.snel)
        except Exception as exc:  # noqa: BLE001 - one broken figure must not hide the others
            traceback.print_exc(file=sys.stderr)
            reden = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            regels = [niet_gemeten(f, reden) for f in figuren]
            fout = True
        for regel in regels:
            print(regel.regel(), flush=True)
    voortgang(f"klaar in {time.perf_counter() - begin:.0f} s")
    return 1 if fout else 0


if __name__ == "__main__":
    sys.exit(main())
