"""Figures 6 and 7: a 100,000-row answers import while a workshop is saving answers,
and the import's peak memory.

Data: `bench.data.synthetische_antwoorden` with 56 gemeenten x 4 rondes x 25
respondents x 18 criteria = 100,800 rows (`--snel`: 6 gemeenten, 10,800 rows), all new
(a first import: gemeenten, rondes, respondents and answers are created), with the
``rij`` index `lees_csv` gives, so the import is the one the page runs after reading
a file. Reading the file itself (`lees_csv`) is not timed.

`import_100k` (SQLite) and `import_100k_postgresql`: the wall time of one
`importeer_antwoorden` call, while 10 participant threads (10 respondents of another,
open ronde) each call `bewaar_antwoord` in a loop with 50 ms think time. The
participants' figure is the p95 (nearest rank) of every call that overlapped the
import; stderr also gives their p95 without an import, measured just before. Same
engine for everyone (`maak_engine`, as the Streamlit server shares one). Afterwards
the database must hold every imported answer with its audit row and every
participant's last answer.

`import_100k_geheugen`: in a fresh subprocess (SQLite, no participants), the peak
resident set size (VmHWM) of that process while it runs the import, with the
DataFrame, the interpreter and the libraries already loaded, i.e. what the server
process would need at its top. The high-water mark is reset just before the import
(``/proc/self/clear_refs``, Linux); where that is not possible, ``ru_maxrss`` of the
whole subprocess is used and stderr says so. stderr also gives the resident size
just before the import, so the import's own share is the difference.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench import Figuur, getal, niet_gemeten, percentiel, pg_schema, voortgang

DOEL_S = 10.0
DOEL_P95_MS = 500.0
DOEL_MB = 300.0
DENKTIJD_S = 0.05
DEELNEMERS = 10
RONDES, RESPONDENTEN = 4, 25


def _gemeenten(snel: bool) -> int:
    return 6 if snel else 56


def _data(gemeenten: int):
    """(the DataFrame with a lees_csv-like 'rij' index, kader versions)."""
    from bench.data import laad_kaders_en_rollen, synthetische_antwoorden
    from uitwisselformaat import verboden_teken

    verboden_teken("x")  # compiles the identifier check's pattern, as lees_csv does while reading a file
    kaders, rollen, _ = laad_kaders_en_rollen()
    df = synthetische_antwoorden(kaders, rollen, gemeenten=gemeenten, rondes=RONDES, respondenten=RESPONDENTEN)
    df.index = df.index + 2
    df.index.name = "rij"
    return df, {k.id: k.versie for k in kaders.values()}


def _deelnemers(engine, aantal: int):
    """A workshop ronde with ``aantal`` respondents; returns (respondent ids, statements)."""
    from bench.data import laad_kaders_en_rollen
    from storage import repository as repo
    from storage.bereik import SYSTEEM

    kaders, _, _ = laad_kaders_en_rollen()
    paren = [(k.id, c.id) for k in kaders.values() for c in k.criteria]
    g = repo.maak_gemeente(engine, "Workshopgemeente (synthetisch)", door=SYSTEEM)
    ronde = repo.maak_ronde(engine, g.id, "workshop", {k.id: k.versie for k in kaders.values()}, door=SYSTEEM)
    return [repo.maak_respondent(engine, ronde.id, "gemeente", door=SYSTEEM)[0].id for _ in range(aantal)], paren


class _Workshop:
    """Participant threads saving answers until stopped; every call is recorded."""

    def __init__(self, engine, respondenten: list[int], paren):
        self.engine, self.respondenten, self.paren = engine, respondenten, paren
        self.stop = threading.Event()
        self.calls: list[tuple[float, float]] = []  # (start, end), perf_counter
        self.fouten: list[str] = []
        self.laatste: dict[tuple[int, str, str], tuple[str, str]] = {}
        self._slot = threading.Lock()
        self.draden = [threading.Thread(target=self._werk, args=(n,), daemon=True) for n in range(len(respondenten))]

    def _werk(self, nummer: int) -> None:
        from storage import repository as repo

        rid, i = self.respondenten[nummer], 0
        while not self.stop.is_set():
            kader_id, criterium_id = self.paren[i % len(self.paren)]
            score, toelichting = str(1 + (nummer + i) % 4), f"deelnemer {nummer}, antwoord {i}"
            begin = time.perf_counter()
            try:
                repo.bewaar_antwoord(self.engine, rid, kader_id, criterium_id, score, toelichting)
                gelukt = True
            except Exception as exc:  # noqa: BLE001 - counted and reported
                gelukt = False
                with self._slot:
                    self.fouten.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
            eind = time.perf_counter()
            with self._slot:
                self.calls.append((begin, eind))
                if gelukt:
                    self.laatste[(rid, kader_id, criterium_id)] = (score, toelichting)
            i += 1
            time.sleep(DENKTIJD_S)

    def latenties(self, van: float, tot: float) -> list[float]:
        """ms of the calls that overlapped [van, tot]."""
        with self._slot:
            return [(e - b) * 1000 for b, e in self.calls if b < tot and e > van]


def _controleer(engine, df, workshop: _Workshop) -> None:
    from sqlalchemy import func, select

    from storage.db import sessie
    from storage.models import Antwoord, AntwoordWijziging, Respondent

    deelnemers = workshop.respondenten
    with sessie(engine) as s:
        geimporteerd = s.scalar(select(func.count()).select_from(Antwoord)
                                .where(Antwoord.respondent_id.not_in(deelnemers)))
        spoor = s.scalar(select(func.count()).select_from(AntwoordWijziging)
                         .where(AntwoordWijziging.respondent_id.not_in(deelnemers)))
        respondenten = s.scalar(select(func.count()).select_from(Respondent)
                                .where(Respondent.id.not_in(deelnemers)))
        huidig = {(r, k, c): (sc, t) for r, k, c, sc, t in s.execute(
            select(Antwoord.respondent_id, Antwoord.kader_id, Antwoord.criterium_id, Antwoord.score,
                   Antwoord.toelichting).where(Antwoord.respondent_id.in_(deelnemers)))}
    verwacht_resp = df["respondent"].nunique()
    if (geimporteerd, spoor, respondenten) != (len(df), len(df), verwacht_resp):
        raise AssertionError(f"import onvolledig: {geimporteerd} antwoorden, {spoor} auditregels, {respondenten} "
                             f"respondenten; verwacht {len(df)}, {len(df)}, {verwacht_resp}")
    weg = sum(1 for sleutel, w in workshop.laatste.items() if huidig.get(sleutel) != w)
    if weg:
        raise AssertionError(f"deelnemers: {weg} bewaarde antwoorden staan niet in de database")
    for fout in sorted(set(workshop.fouten))[:3]:
        voortgang(f"  fout bij een deelnemer: {fout}")


def _lopen(engine, df, versies) -> tuple[float, list[float], int]:
    """(import wall s, participants' latencies in ms during the import, participants' failed saves)."""
    from storage import repository as repo
    from storage.bereik import SYSTEEM
    from storage.db import migreer

    migreer(engine)
    respondenten, paren = _deelnemers(engine, DEELNEMERS)
    workshop = _Workshop(engine, respondenten, paren)
    for d in workshop.draden:
        d.start()
    time.sleep(2.0)
    rust = workshop.latenties(time.perf_counter() - 1.5, time.perf_counter())
    voortgang(f"  deelnemers zonder import: {len(rust)} opslagen, p95 {getal(percentiel(rust, 95))} ms")
    begin, cpu = time.perf_counter(), time.thread_time()
    try:
        uitslag = repo.importeer_antwoorden(engine, df, versies, "bench.csv", door=SYSTEEM)
    finally:
        duur, cpu = time.perf_counter() - begin, time.thread_time() - cpu
        eind = time.perf_counter()
        time.sleep(0.5)
        workshop.stop.set()
        for d in workshop.draden:
            d.join()
    tijdens = workshop.latenties(begin, eind)
    voortgang(f"  import: {uitslag.antwoorden} nieuw in {duur:.2f} s (CPU van de importdraad {cpu:.2f} s); "
              f"deelnemers tijdens de import: {len(tijdens)} opslagen, p95 {getal(percentiel(tijdens, 95))} ms, "
              f"max {getal(max(tijdens))} ms, fouten {len(workshop.fouten)}")
    _controleer(engine, df, workshop)
    return duur, tijdens, len(workshop.fouten)


def _figuur(naam: str, duur: float, tijdens: list[float], fouten: int) -> Figuur:
    """A failed save (an error after bewaar_antwoord's retries) is named and misses the target."""
    p95 = percentiel(tijdens, 95)
    mislukt = f", {fouten} saves failed" if fouten else ""
    return Figuur(naam, f"{getal(duur)} s, participants p95 {getal(p95)} ms{mislukt}", "< 10 s, p95 < 500 ms",
                  duur >= DOEL_S or p95 >= DOEL_P95_MS or fouten > 0)


def geheugen(gemeenten: int) -> dict:
    """Run in the subprocess: peak RSS of this process during one import (see the module doc)."""
    import gc

    from storage import repository as repo
    from storage.bereik import SYSTEEM
    from storage.db import maak_engine, migreer

    df, versies = _data(gemeenten)
    with tempfile.TemporaryDirectory(prefix="zbt-bench-") as tmp:
        engine = maak_engine(f"sqlite:///{Path(tmp) / 'geheugen.db'}")
        migreer(engine)
        gc.collect()
        status = Path("/proc/self/status")
        try:
            Path("/proc/self/clear_refs").write_text("5")
            methode = "VmHWM"
        except OSError:
            methode = "ru_maxrss"

        def regel(veld: str) -> float:
            for r in status.read_text().splitlines():
                if r.startswith(veld + ":"):
                    return int(r.split()[1]) / 1024
            return float("nan")

        voor = regel("VmRSS")
        begin = time.perf_counter()
        repo.importeer_antwoorden(engine, df, versies, "bench.csv", door=SYSTEEM)
        duur = time.perf_counter() - begin
        if methode == "VmHWM":
            piek = regel("VmHWM")
        else:
            import resource

            piek = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        engine.dispose()
    return {"piek_mb": piek, "voor_mb": voor, "methode": methode, "rijen": len(df), "duur_s": duur}


def _geheugen_figuur(snel: bool) -> Figuur:
    root = Path(__file__).resolve().parent.parent
    code = f"import json; from bench.importeren import geheugen; print(json.dumps(geheugen({_gemeenten(snel)})))"
    uit = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=600,
                         env={**os.environ, "PYTHONPATH": str(root)})
    if uit.returncode != 0:
        raise RuntimeError(f"geheugenmeting mislukt: {uit.stderr.strip().splitlines()[-1:]}")
    m = json.loads(uit.stdout.strip().splitlines()[-1])
    voortgang(f"  geheugen ({m['methode']}): {m['rijen']} rijen in {m['duur_s']:.2f} s zonder deelnemers; "
              f"resident voor de import {m['voor_mb']:.0f} MB, piek tijdens de import {m['piek_mb']:.0f} MB "
              f"(de import zelf: +{m['piek_mb'] - m['voor_mb']:.0f} MB)")
    return Figuur("import_100k_geheugen", f"{m['piek_mb']:.0f} MB", "< 300 MB", m["piek_mb"] >= DOEL_MB)


def meet(snel: bool = False) -> list[Figuur]:
    from sqlalchemy.engine import make_url

    from storage.db import bereikbare_test_postgresql, maak_engine

    df, versies = _data(_gemeenten(snel))
    uit = []
    voortgang(f"import_100k: {len(df)} rijen, {DEELNEMERS} deelnemers met {DENKTIJD_S * 1000:.0f} ms denktijd (SQLite)")
    with tempfile.TemporaryDirectory(prefix="zbt-bench-") as tmp:
        engine = maak_engine(f"sqlite:///{Path(tmp) / 'importeren.db'}")
        try:
            uit.append(_figuur("import_100k", *_lopen(engine, df, versies)))
        finally:
            engine.dispose()

    voortgang("import_100k_geheugen: aparte subprocess")
    uit.append(_geheugen_figuur(snel))

    basis, reden = bereikbare_test_postgresql()
    if basis is None:
        voortgang(f"import_100k_postgresql: niet bereikbaar: {reden}")
        return [*uit, niet_gemeten("import_100k_postgresql", f"PostgreSQL niet bereikbaar: {reden}")]
    voortgang(f"import_100k_postgresql: {len(df)} rijen ({make_url(basis).render_as_string()})")
    with pg_schema(basis) as engine:
        uit.append(_figuur("import_100k_postgresql", *_lopen(engine, df, versies)))
    return uit
