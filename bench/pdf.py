"""Figures 2 and 3: the verbeterplan PDF (`maak_verbeterplan_pdf`).

``pdf_cold`` is the first verbeterplan in the process (modules imported, but fonts,
Jinja template, vl-convert and WeasyPrint not yet warmed up); it doubles as the
warm-up. ``pdf`` is the median of the next 10, always the same gemeente and ronde:
STJ kader, 25 respondents, toelichtingen on about half the answers.

``batch`` makes 50 verbeterplannen in a loop, one per gemeente (50 different
gemeenten, one ronde), each from the ronde's national answer file (all gemeenten,
STJ only), as a script over an export would. Every PDF is checked to be a PDF.

``batch_parallel`` runs `rapport.batch.maak_plannen`, the function behind
``python -m rapport batch``, twice over the same plans (one per gemeente, STJ): with one
werker (in this process, the sequential baseline) and with one werker per core (a spawn
process pool), each writing its PDFs to a temp folder; the figure is the ratio. Both
runs must write the same file names.

On stderr the split of a warm plan (wall and CPU time): chart (Altair, vl-convert),
the whole HTML, WeasyPrint styling + layout, WeasyPrint PDF writing.
"""
from __future__ import annotations

import datetime as dt
import os
import resource
import tempfile
import time
from pathlib import Path

from bench import Figuur, getal, mediaan, voortgang
from bench.data import gemeente_naam, laad_kaders_en_rollen, ronde_label, synthetische_antwoorden
from rapport.verbeterplan import VerbeterplanInvoer, maak_verbeterplan_html, maak_verbeterplan_pdf

STJ = "stj-stelseltoezicht-jeugd"
DOEL_S = 1.0
DOEL_VERSNELLING = 1.7
DATUM = dt.date(2026, 11, 22)


def _pdf(antwoorden, kader, gemeente, ronde, rol_namen, cpu: list | None = None) -> float:
    start, cpu_start = time.perf_counter(), time.process_time()
    pdf = maak_verbeterplan_pdf(VerbeterplanInvoer(antwoorden, kader, gemeente, ronde, rol_namen=rol_namen,
                                                   datum=DATUM))
    duur = time.perf_counter() - start
    if cpu is not None:
        cpu.append(time.process_time() - cpu_start)
    if not pdf.startswith(b"%PDF-") or len(pdf) < 10_000:
        raise AssertionError(f"geen geldige PDF voor {gemeente} ({len(pdf)} bytes)")
    return duur


def _verdeling(antwoorden, kader, gemeente, ronde, rol_namen, keer: int = 3) -> None:
    """Where the time of a warm plan goes, wall and CPU (stderr only).

    CPU time is this process's; when it is much lower than the wall time, the
    machine was busy with other work.
    """
    import weasyprint

    from rapport.aggregatie import aggregeer
    from rapport.grafiek import GrafiekOpties, spinnenweb, spinnenweb_svg
    from rapport.pdf import RefusingURLFetcher

    stappen: dict[str, list[tuple[float, float]]] = {}

    def stap(naam, functie):
        wand, cpu = time.perf_counter(), time.process_time()
        uit = functie()
        stappen.setdefault(naam, []).append((time.perf_counter() - wand, time.process_time() - cpu))
        return uit

    for _ in range(keer):
        een = antwoorden.loc[(antwoorden["gemeente"] == gemeente) & (antwoorden["ronde"] == ronde)]
        agg = aggregeer(een, kader)
        grafiek = stap("grafiek: Altair opbouwen", lambda: spinnenweb(agg, kader, GrafiekOpties(rol_namen=rol_namen)))
        stap("grafiek: to_dict + vl-convert (SVG)", lambda: spinnenweb_svg(grafiek))
        html = stap("HTML totaal (incl. aggregatie en grafiek)", lambda: maak_verbeterplan_html(
            VerbeterplanInvoer(een, kader, gemeente, ronde, rol_namen=rol_namen, datum=DATUM)))
        doc = stap("WeasyPrint: stijl + opmaak", lambda: weasyprint.HTML(
            string=html, base_url=None, url_fetcher=RefusingURLFetcher()).render())
        stap("WeasyPrint: PDF schrijven", doc.write_pdf)
    for naam, tijden in stappen.items():
        voortgang(f"pdf: {naam:42s} wand {mediaan(t[0] for t in tijden):.3f} s, "
                  f"cpu {mediaan(t[1] for t in tijden):.3f} s")
    voortgang(f"pdf: {len(doc.pages)} pagina's")


def meet(snel: bool = False) -> list[Figuur]:
    kaders, rollen, rol_namen = laad_kaders_en_rollen()
    kader = kaders[STJ]
    herhalingen = 3 if snel else 10
    batch = 5 if snel else 50

    # one ronde, `batch` gemeenten, STJ only (like an export of one ronde, one kader)
    alle = synthetische_antwoorden({STJ: kader}, rollen, gemeenten=batch, rondes=1)
    ronde = ronde_label(0)
    gemeente = gemeente_naam(0)
    een = alle.loc[alle["gemeente"] == gemeente].reset_index(drop=True)
    voortgang(f"pdf: {een['respondent'].nunique()} respondenten, {len(een)} antwoorden, "
              f"{(een['toelichting'] != '').sum()} toelichtingen")

    koud = _pdf(een, kader, gemeente, ronde, rol_namen)
    voortgang(f"pdf: koud {koud:.3f} s")
    tijden, cpu = [], []
    for i in range(herhalingen):
        tijden.append(_pdf(een, kader, gemeente, ronde, rol_namen, cpu))
        voortgang(f"pdf: {i + 1}/{herhalingen}: {tijden[-1]:.3f} s (cpu {cpu[-1]:.3f} s)")
    warm = mediaan(tijden)
    voortgang(f"pdf: mediaan {warm:.3f} s wand, {mediaan(cpu):.3f} s cpu")

    _verdeling(een, kader, gemeente, ronde, rol_namen)

    voortgang(f"batch: {batch} verbeterplannen uit een bestand van {len(alle)} antwoorden")
    start, cpu_start = time.perf_counter(), time.process_time()
    for i in range(batch):
        _pdf(alle, kader, gemeente_naam(i), ronde, rol_namen)
        if (i + 1) % 10 == 0 or i + 1 == batch:
            voortgang(f"batch: {i + 1}/{batch} ({time.perf_counter() - start:.1f} s, "
                      f"cpu {time.process_time() - cpu_start:.1f} s)")
    totaal = time.perf_counter() - start

    parallel = _parallel(alle, kader, ronde, rol_namen, batch)
    return [
        Figuur("pdf", f"{getal(warm)} s median of {herhalingen}", "< 1 s", warm >= DOEL_S),
        Figuur("pdf_cold", f"{getal(koud)} s"),
        Figuur("batch", f"{getal(totaal)} s for {batch}"),
        parallel,
    ]


def _kind_cpu() -> float:
    """CPU time (user + system) of this process's finished children (the pool's workers)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _parallel(alle, kader, ronde, rol_namen, aantal: int) -> Figuur:
    """``aantal`` plans through `maak_plannen` with 1 werker, then with one per core."""
    from rapport.batch import GESCHREVEN, Plan, maak_plannen, standaard_werkers

    plannen = [Plan.van(f"plan-{i:03d}", VerbeterplanInvoer(
        alle.loc[alle["gemeente"] == gemeente_naam(i)], kader, gemeente_naam(i), ronde,
        rol_namen=rol_namen, datum=DATUM)) for i in range(aantal)]
    werkers = min(standaard_werkers(), aantal)
    tijden, namen = {}, {}
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        for n in (1, werkers):
            uit = Path(tmp) / f"werkers-{n}"
            uit.mkdir()
            voortgang(f"batch_parallel: {aantal} plannen met {n} werker(s), load {os.getloadavg()[0]:.1f}")
            start, cpu, kind = time.perf_counter(), time.process_time(), _kind_cpu()
            uitkomsten = maak_plannen(plannen, uit, {kader.id: kader}, werkers=n)
            tijden[n] = time.perf_counter() - start
            mislukt = [f"{u.gemeente}: {u.reden}" for u in uitkomsten if u.status != GESCHREVEN]
            if mislukt:
                raise AssertionError(f"{len(mislukt)} plannen mislukt met {n} werker(s): {mislukt[0]}")
            namen[n] = sorted(p.name for p in uit.iterdir())
            voortgang(f"batch_parallel: {n} werker(s): {tijden[n]:.1f} s wand, cpu hier "
                      f"{time.process_time() - cpu:.1f} s, cpu werkprocessen {_kind_cpu() - kind:.1f} s")
    if namen[1] != namen[werkers] or len(namen[1]) != aantal:
        raise AssertionError(f"andere bestanden met {werkers} werkers dan met 1")
    versnelling = tijden[1] / tijden[werkers]
    return Figuur("batch_parallel", f"speed-up {getal(versnelling)}× ({aantal} plans, sequential "
                  f"{getal(tijden[1])} s, parallel {getal(tijden[werkers])} s, {werkers} workers)",
                  f"≥ {DOEL_VERSNELLING}×", versnelling < DOEL_VERSNELLING)
