"""Many verbeterplan PDFs at once: a process pool, one file per plan, failures collected.

`maak_plannen` takes `Plan` objects (everything a worker needs, picklable) and writes
each to ``MAP/<naam>.pdf`` with `schrijf_plan`, the worker function. With one werker it
runs in this process; with more, in a `ProcessPoolExecutor` whose workers are started
with ``spawn`` on every platform (a fresh interpreter: nothing inherited but what is
pickled, no database connections or threads copied from the parent). `start_werker`,
the initializer, receives the kaders once per worker and loads the fonts once.

A plan that fails (its input or its PDF) does not stop the others: its `Uitkomst`
carries the reason in one line. A PDF is written under a temporary name and renamed,
so a file with the final name is always complete. The order of the results is the order
of the input, whatever order the workers finish in; the names are the caller's.

This module gets data, never fetches it (docs/architectuur.md): the command line
(`rapport.__main__`) builds the plans through `diensten.verbeterplan`.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Iterable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import wait as wacht
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TextIO

from kader.model import Kader
from rapport.verbeterplan import VerbeterplanInvoer, maak_verbeterplan_pdf

GESCHREVEN, OVERGESLAGEN, MISLUKT = "geschreven", "overgeslagen", "mislukt"
START_METHODE = "spawn"
"""How pool workers start: the same on Linux, macOS and Windows (see the module text)."""
GESTOPT = "het werkproces stopte onverwacht (bijvoorbeeld omdat het geheugen op was)"
MAX_REDEN = 300
"""Characters of a failure reason kept in the summary line."""

_KADERS: dict[str, Kader] = {}
"""The kaders of this worker process, set by `start_werker`."""


@dataclass(frozen=True)
class Plan:
    """One verbeterplan to write. ``naam``: the file name without ``.pdf``, unique in the
    batch; ``velden``: the `VerbeterplanInvoer` fields except the kader, which the worker
    takes from its own kaders by ``kader_id`` (sent once per worker, not once per plan)."""

    naam: str
    gemeente: str
    ronde: str
    kader_id: str
    velden: Mapping[str, object] = field(repr=False)

    @classmethod
    def van(cls, naam: str, invoer: VerbeterplanInvoer) -> Plan:
        velden = {f.name: getattr(invoer, f.name) for f in fields(invoer) if f.name != "kader"}
        return cls(naam, invoer.gemeente, invoer.ronde, invoer.kader.id, velden)


@dataclass(frozen=True)
class Uitkomst:
    """What became of one gemeente's plan: `GESCHREVEN` (``pad`` is the file),
    `OVERGESLAGEN` or `MISLUKT` (``reden``: one line)."""

    gemeente: str
    ronde: str
    status: str
    pad: Path | None = None
    reden: str = ""


def reden(fout: BaseException) -> str:
    """A failure in one line: the exception's type and message, whitespace collapsed."""
    tekst = " ".join(str(fout).split())
    tekst = f"{type(fout).__name__}: {tekst}" if tekst else type(fout).__name__
    return tekst if len(tekst) <= MAX_REDEN else tekst[:MAX_REDEN - 1] + "…"


def unieke_naam(basis: str, namen: set[str]) -> str:
    """``basis``, or ``basis-2``, ``basis-3``, … when taken (two gemeenten whose names
    differ only in punctuation); the name is added to ``namen``."""
    naam, volgnummer = basis, 1
    while naam in namen:
        volgnummer += 1
        naam = f"{basis}-{volgnummer}"
    namen.add(naam)
    return naam


def start_werker(kaders: Mapping[str, Kader]) -> None:
    """Initializer of a worker: keep the kaders and load the fonts, once per process."""
    import weasyprint

    _KADERS.clear()
    _KADERS.update(kaders)
    # fontconfig and WeasyPrint's font tables: loaded here instead of in the first plan
    weasyprint.HTML(string="<p>a</p>").write_pdf()


def schrijf_pdf(pdf: bytes, pad: Path) -> None:
    """Write ``pdf`` to ``pad`` under a temporary name in the same folder, then rename: a
    file with the final name is never half written. The temporary file goes on failure."""
    tijdelijk = pad.with_name(f".{pad.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tijdelijk, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        with os.fdopen(fd, "wb") as f:
            f.write(pdf)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tijdelijk, pad)
    except BaseException:
        tijdelijk.unlink(missing_ok=True)
        raise


def schrijf_plan(plan: Plan, uitmap: str) -> Uitkomst:
    """The worker function: make one plan's PDF and write it to ``uitmap/<naam>.pdf``.
    Any error becomes a `MISLUKT` outcome with its reason."""
    pad = Path(uitmap) / f"{plan.naam}.pdf"
    try:
        if plan.kader_id not in _KADERS:
            raise KeyError(f"kader '{plan.kader_id}' niet geladen in dit werkproces")
        pdf = maak_verbeterplan_pdf(VerbeterplanInvoer(kader=_KADERS[plan.kader_id], **plan.velden))
        schrijf_pdf(pdf, pad)
    except OSError as e:
        melding = f"de PDF kan niet worden geschreven naar '{pad}': {e.strerror or e}"
        return Uitkomst(plan.gemeente, plan.ronde, MISLUKT, reden=" ".join(melding.split()))
    except Exception as e:  # noqa: BLE001 - one gemeente's failure is reported, the rest goes on
        return Uitkomst(plan.gemeente, plan.ronde, MISLUKT, reden=reden(e))
    return Uitkomst(plan.gemeente, plan.ronde, GESCHREVEN, pad=pad)


def standaard_werkers() -> int:
    return os.cpu_count() or 1


def _balk(totaal: int, stroom: TextIO | None):
    """tqdm on ``stroom`` (stderr): drawn only on a terminal, so CI logs get no bar at all."""
    from tqdm import tqdm

    return tqdm(total=totaal, file=stroom if stroom is not None else sys.stderr, disable=None,
                desc="Verbeterplannen", unit="plannen", dynamic_ncols=True,
                bar_format="{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} plannen "
                           "[{elapsed} voorbij, nog ongeveer {remaining}]{postfix}")


def maak_plannen(
    opdrachten: Iterable[Plan | Uitkomst],
    uitmap: Path,
    kaders: Mapping[str, Kader],
    *,
    totaal: int | None = None,
    werkers: int | None = None,
    stroom: TextIO | None = None,
) -> list[Uitkomst]:
    """Write every `Plan` of ``opdrachten`` to ``uitmap`` and return one `Uitkomst` per item,
    in input order. An `Uitkomst` in the input (skipped, or whose input already failed) is
    passed through. ``kaders`` must hold every plan's kader; ``werkers``: processes (default
    `standaard_werkers`; 1 = in this process, no pool). Plans are handed to the pool while
    ``opdrachten`` is still being read, so fetching and rendering overlap. ``totaal``: the
    number of items, for the progress bar on ``stroom`` (default stderr, terminal only)."""
    werkers = standaard_werkers() if werkers is None else werkers
    if werkers < 1:
        raise ValueError(f"werkers moet minstens 1 zijn (gekregen: {werkers})")
    uitkomsten: dict[int, Uitkomst] = {}
    plannen: dict[int, Plan] = {}
    with _balk(totaal, stroom) as balk:
        def klaar(i: int, uitkomst: Uitkomst) -> None:
            uitkomsten[i] = uitkomst
            balk.set_postfix_str(uitkomst.gemeente, refresh=False)
            balk.update(1)

        if werkers == 1:
            start_werker(kaders)
            for i, item in enumerate(opdrachten):
                klaar(i, item if isinstance(item, Uitkomst) else schrijf_plan(item, str(uitmap)))
        else:
            _in_pool(opdrachten, uitmap, kaders, werkers, klaar, plannen)
    return [uitkomsten[i] for i in range(len(uitkomsten))]


def _in_pool(opdrachten, uitmap: Path, kaders, werkers: int, klaar, plannen: dict[int, Plan]) -> None:
    lopend: dict[Future, int] = {}

    def oogst(futures) -> None:
        for f in futures:
            i = lopend.pop(f)
            plan = plannen.pop(i)  # its answers are not kept until the end
            try:
                klaar(i, f.result())
            except BrokenProcessPool:
                klaar(i, Uitkomst(plan.gemeente, plan.ronde, MISLUKT, reden=GESTOPT))
            except Exception as e:  # noqa: BLE001 - e.g. an input that cannot be pickled
                klaar(i, Uitkomst(plan.gemeente, plan.ronde, MISLUKT, reden=reden(e)))

    pool = ProcessPoolExecutor(max_workers=werkers, mp_context=multiprocessing.get_context(START_METHODE),
                               initializer=start_werker, initargs=(dict(kaders),))
    try:
        for i, item in enumerate(opdrachten):
            if isinstance(item, Uitkomst):
                klaar(i, item)
                continue
            try:
                lopend[pool.submit(schrijf_plan, item, str(uitmap))] = i
                plannen[i] = item
            except BrokenProcessPool:
                klaar(i, Uitkomst(item.gemeente, item.ronde, MISLUKT, reden=GESTOPT))
            oogst([f for f in lopend if f.done()])
        while lopend:
            gedaan, _ = wacht(lopend, return_when="FIRST_COMPLETED")
            oogst(gedaan)
    except BaseException:  # Ctrl-C or a failing input generator: stop at once, not after every plan
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def samenvatting(uitkomsten: list[Uitkomst], ronde: str, uitmap: Path, duur: float, werkers: int,
                 kader_id: str | None = None) -> tuple[str, list[str]]:
    """(the line for stdout, the lines for stderr): what was written, in how long, with how
    many werkers and what was skipped; and, when something failed, a header and one line
    per failed gemeente with its ronde and reason."""
    geschreven = [u for u in uitkomsten if u.status == GESCHREVEN]
    overgeslagen = [u.gemeente for u in uitkomsten if u.status == OVERGESLAGEN]
    mislukt = [u for u in uitkomsten if u.status == MISLUKT]
    meervoud = "verbeterplan" if len(geschreven) == 1 else "verbeterplannen"
    seconden = f"{duur:.1f}".replace(".", ",")
    regel = (f"{len(geschreven)} {meervoud} voor ronde '{ronde}' geschreven naar {uitmap} in {seconden} s "
             f"({werkers} {'werker' if werkers == 1 else 'werkers'})")
    if overgeslagen:
        regel += f"; overgeslagen (kader '{kader_id}' hoort niet bij hun ronde): {', '.join(overgeslagen)}"
    fouten = []
    if mislukt:
        fouten.append(f"Fout: {len(mislukt)} van de {len(uitkomsten)} verbeterplannen "
                      f"{'is' if len(mislukt) == 1 else 'zijn'} mislukt (de andere zijn wel geschreven):")
        fouten += [f"- {u.gemeente}, ronde '{u.ronde}': {u.reden}" for u in mislukt]
    return regel + ".", fouten
