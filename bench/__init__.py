"""Benchmark suite: ``python -m bench [--snel]`` (or ``make bench``).

Each figure module (`bench.aggregatie`, `bench.regio`, `bench.pdf`, `bench.vragenlijst`,
`bench.deelnemers`, `bench.schrijven`, `bench.importeren`) has a ``meet(snel: bool) ->
list[Figuur]`` (`bench.deelnemers` also ``meet_replicas``); `bench.streamlitclient` and
`bench.replicas` are the tools the participant figures use. Results go to
stdout, one line per figure; progress goes to stderr. See bench/README.md.
"""
from __future__ import annotations

import gc
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

GEMIST = "— MIST DOEL"
_START = time.perf_counter()


@dataclass(frozen=True)
class Figuur:
    """One result line: ``name: value unit (target …)`` plus ``— MIST DOEL`` when missed.

    ``gemist`` is None when there is no target to miss (``target —``).
    """

    naam: str
    waarde: str
    doel: str = "—"
    gemist: bool | None = None

    def regel(self) -> str:
        tekst = f"{self.naam}: {self.waarde} (target {self.doel})"
        return f"{tekst} {GEMIST}" if self.gemist else tekst


def niet_gemeten(naam: str, reden: str) -> Figuur:
    """A figure that could not be measured: ``name: niet gemeten (reden)``."""
    reden = " ".join(str(reden).split())[:300]
    return _NietGemeten(naam, f"niet gemeten ({reden})")


class _NietGemeten(Figuur):
    def regel(self) -> str:
        return f"{self.naam}: {self.waarde}"


def voortgang(tekst: str) -> None:
    """Progress on stderr, with seconds since the start of the run."""
    print(f"[{time.perf_counter() - _START:7.1f} s] {tekst}", file=sys.stderr, flush=True)


def tijd(functie, *args) -> tuple[float, float, object]:
    """(wall time, process CPU time, result) of one call, after a garbage collection."""
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    uit = functie(*args)
    return time.perf_counter() - start, time.process_time() - cpu, uit


def getal(waarde: float) -> str:
    """A number with about three significant digits: 0.412, 2.35, 41.2, 139."""
    if waarde >= 100:
        return f"{waarde:.0f}"
    if waarde >= 10:
        return f"{waarde:.1f}"
    if waarde >= 1:
        return f"{waarde:.2f}"
    return f"{waarde:.3f}"


def mediaan(waarden) -> float:
    return statistics.median(waarden)


def percentiel(waarden, p: float) -> float:
    """The p-th percentile (0..100), nearest-rank method (no interpolation)."""
    geordend = sorted(waarden)
    if not geordend:
        return float("nan")
    rang = max(1, -(-len(geordend) * p // 100))  # ceil(n * p / 100)
    return geordend[int(rang) - 1]


@contextmanager
def pg_schema(basis: str, voorvoegsel: str = "bench") -> Iterator:
    """An engine (``storage.db.maak_engine``) on a fresh schema of the PostgreSQL at `basis`,
    the schema dropped afterwards: a benchmark (or a storage test, tests/test_storage.py)
    never touches what is already there."""
    import uuid

    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from storage.db import maak_engine

    schema = f"{voorvoegsel}_{uuid.uuid4().hex[:12]}"
    beheer = create_engine(basis, isolation_level="AUTOCOMMIT")
    try:
        with beheer.connect() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        engine = maak_engine(make_url(basis).update_query_dict({"options": f"-csearch_path={schema}"}))
        try:
            yield engine
        finally:
            engine.dispose()
            with beheer.connect() as conn:
                conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    finally:
        beheer.dispose()
