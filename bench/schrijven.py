"""Figure 5: concurrent writers with `bewaar_antwoord`, on SQLite and PostgreSQL.

50 threads, each its own respondent (rol 'gemeente', 18 statements), each save 40
answers as fast as they can (cycling over the 18 statements, so answers are also
changed), all started together behind a barrier. One engine (`maak_engine`) is
shared by all threads, exactly like the Streamlit server shares its cached engine,
so its connection pool (storage.db: a fair pool of $ZBT_DATABASE_POOL connections,
default 10) and, on SQLite, the line of writers are part of what is measured.

Latency is the wall time of one `bewaar_antwoord` call (pool wait, lock wait,
retries and commit included); the figure gives its p50, p95, p99 and maximum over
all 2000 calls. stderr splits each call into: waiting until it holds a connection
(pool checkout; on SQLite the leader of a group commit also waits in the writers'
line of storage.db here), waiting for BEGIN (SQLite: the file's write lock via
busy_timeout), retried errors, and the rest (statements and commit; on SQLite a
save that another thread commits with its own waits here); and shows that split
for the slowest 1 % of calls, which is where a long tail comes from.

Lost answers = saves whose audit row (antwoord_wijziging) is missing, plus current
answers (antwoord) that differ from the last save of that statement. A call that
raises counts as lost too (its audit row is missing).

SQLite: a file in a temp dir, the app's settings (WAL, busy_timeout, BEGIN
IMMEDIATE). PostgreSQL: $ZBT_TEST_PG_URL or postgres@/root@127.0.0.1:5432/test like
the tests, in a fresh schema that is dropped afterwards.
"""
from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

from bench import Figuur, getal, mediaan, niet_gemeten, percentiel, pg_schema, voortgang

DOEL_P95_MS = 100.0
DOEL_P99_MS = 300.0
DOEL_MAX_MS = 1000.0
ROL = "gemeente"


def _lopen(engine, schrijvers: int, per_schrijver: int) -> tuple[int, list[float], list[str]]:
    """Set up a ronde, run the writers; returns (lost, latencies in ms, errors)."""
    from sqlalchemy import event, select

    from bench.data import laad_kaders_en_rollen
    from kader import laad_kaders
    from storage import repository as repo
    from storage.bereik import SYSTEEM
    from storage.db import migreer, sessie
    from storage.models import Antwoord, AntwoordWijziging
    from vragenlijsten import laad_vragenlijsten

    kaders, _, _ = laad_kaders_en_rollen()
    # the vragenlijsten refer to every kader, so they are checked against all of them; the
    # figure keeps only the statements of the pinned benchmark kaders (18 for gemeente)
    paren = [p for p in laad_vragenlijsten(laad_kaders().kaders).paren()[ROL] if p[0] in kaders]
    migreer(engine)
    g = repo.maak_gemeente(engine, "Benchmarkgemeente (synthetisch)", door=SYSTEEM)
    ronde = repo.maak_ronde(engine, g.id, "bench", {k.id: k.versie for k in kaders.values()}, rollen=[ROL], door=SYSTEEM)
    respondenten = [repo.maak_respondent(engine, ronde.id, ROL, door=SYSTEEM)[0].id for _ in range(schrijvers)]

    # reference: one writer alone (its own respondent, not counted in the figure)
    alleen = repo.maak_respondent(engine, ronde.id, ROL, door=SYSTEEM)[0].id
    los = []
    for i in range(per_schrijver):
        kader_id, criterium_id = paren[i % len(paren)]
        begin = time.perf_counter()
        repo.bewaar_antwoord(engine, alleen, kader_id, criterium_id, "3", f"alleen {i}")
        los.append((time.perf_counter() - begin) * 1000)
    voortgang(f"  één schrijver alleen: mediaan {mediaan(los):.1f} ms, p95 {percentiel(los, 95):.1f} ms "
              f"per bewaar_antwoord")

    def antwoord(nummer: int, i: int) -> tuple[str, str, str, str]:
        kader_id, criterium_id = paren[i % len(paren)]
        return kader_id, criterium_id, str(1 + (nummer + i) % 4), f"schrijver {nummer}, antwoord {i}"

    latenties: list[list[float]] = [[] for _ in range(schrijvers)]
    delen: list[tuple[float, float, float, int]] = []  # per call: (total, to connection, BEGIN, retries) in ms
    fouten: list[str] = []
    start_samen = threading.Barrier(schrijvers)
    lokaal = threading.local()

    def bij_uitlenen(*_args) -> None:  # pool checkout: the call (or its retry) holds a connection
        begin = getattr(lokaal, "begin", None)
        if begin is not None:
            lokaal.uitgeleend = time.perf_counter()
            lokaal.tot_verbinding += (lokaal.uitgeleend - getattr(lokaal, "sinds", begin)) * 1000

    def na_begin(_conn) -> None:  # registered after storage.db's BEGIN IMMEDIATE hook
        uitgeleend = getattr(lokaal, "uitgeleend", None)
        if uitgeleend is not None:
            lokaal.begin_wacht += (time.perf_counter() - uitgeleend) * 1000
            lokaal.uitgeleend = None

    def bij_fout(_context) -> None:  # every DB error; a retry's wait for a connection includes its backoff
        if getattr(lokaal, "begin", None) is not None:
            lokaal.herhalingen += 1
            lokaal.sinds = time.perf_counter()

    event.listen(engine, "checkout", bij_uitlenen)
    event.listen(engine, "begin", na_begin)
    event.listen(engine, "handle_error", bij_fout)

    def werk(nummer: int) -> None:
        rid = respondenten[nummer]
        start_samen.wait()
        for i in range(per_schrijver):
            kader_id, criterium_id, score, toelichting = antwoord(nummer, i)
            lokaal.tot_verbinding = lokaal.begin_wacht = 0.0
            lokaal.herhalingen = 0
            lokaal.uitgeleend = None
            begin = lokaal.begin = lokaal.sinds = time.perf_counter()
            try:
                repo.bewaar_antwoord(engine, rid, kader_id, criterium_id, score, toelichting)
            except Exception as exc:  # noqa: BLE001 - counted and reported, never hidden
                fouten.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
            totaal = (time.perf_counter() - begin) * 1000
            lokaal.begin = None
            latenties[nummer].append(totaal)
            delen.append((totaal, lokaal.tot_verbinding, lokaal.begin_wacht, lokaal.herhalingen))

    draden = [threading.Thread(target=werk, args=(n,), name=f"schrijver-{n}") for n in range(schrijvers)]
    cpu = time.process_time()
    begin = time.perf_counter()
    for d in draden:
        d.start()
    for d in draden:
        d.join()
    duur = time.perf_counter() - begin
    cpu = time.process_time() - cpu
    event.remove(engine, "checkout", bij_uitlenen)
    event.remove(engine, "begin", na_begin)
    event.remove(engine, "handle_error", bij_fout)

    verwacht_audit = {
        (respondenten[n], *antwoord(n, i)) for n in range(schrijvers) for i in range(per_schrijver)
    }
    verwacht_nu = {}
    for n in range(schrijvers):
        for i in range(per_schrijver):
            kader_id, criterium_id, score, toelichting = antwoord(n, i)
            verwacht_nu[(respondenten[n], kader_id, criterium_id)] = (score, toelichting)
    with sessie(engine) as s:
        audit = set(s.execute(select(
            AntwoordWijziging.respondent_id, AntwoordWijziging.kader_id, AntwoordWijziging.criterium_id,
            AntwoordWijziging.score, AntwoordWijziging.toelichting,
        ).where(AntwoordWijziging.respondent_id.in_(respondenten))).all())
        huidig = {
            (r, k, c): (sc, t) for r, k, c, sc, t in s.execute(select(
                Antwoord.respondent_id, Antwoord.kader_id, Antwoord.criterium_id,
                Antwoord.score, Antwoord.toelichting,
            ).where(Antwoord.respondent_id.in_(respondenten))).all()
        }
    audit_weg = len(verwacht_audit - {tuple(r) for r in audit})
    nu_fout = sum(1 for sleutel, w in verwacht_nu.items() if huidig.get(sleutel) != w)
    alle = [x for lijst in latenties for x in lijst]
    voortgang(f"  {schrijvers} tegelijk: {len(alle)} opslagen in {duur:.1f} s ({len(alle) / duur:.0f}/s, "
              f"CPU van het proces {cpu:.1f} s); audit ontbreekt {audit_weg}, huidig afwijkend {nu_fout}, "
              f"fouten {len(fouten)}; latentie {_verdeling(alle)}")
    _uitsplitsing(delen)
    for f in sorted(set(fouten))[:5]:
        voortgang(f"  fout: {f}")
    return audit_weg + nu_fout, alle, fouten


def _verdeling(reeks: list[float]) -> str:
    return (f"p50 {mediaan(reeks):.0f} ms, p95 {percentiel(reeks, 95):.0f} ms, "
            f"p99 {percentiel(reeks, 99):.0f} ms, max {max(reeks):.0f} ms")


def _uitsplitsing(delen: list[tuple[float, float, float, int]]) -> None:
    """stderr: where the time of a call goes, over all calls and over the slowest 1 %."""
    tot_verbinding = [d[1] for d in delen]
    begin_wacht = [d[2] for d in delen]
    voortgang(f"  waarvan tot een verbinding (pool; SQLite: de schrijversrij; na een fout ook de pauze): "
              f"{_verdeling(tot_verbinding)}")
    voortgang(f"  waarvan BEGIN (SQLite: schrijfslot van het bestand): {_verdeling(begin_wacht)}")
    herhaald = sum(1 for d in delen if d[3])
    voortgang(f"  herhaalde fouten (met_herhaling): {sum(d[3] for d in delen)} in {herhaald} opslagen")
    traag = sorted(delen, reverse=True)[:max(1, len(delen) // 100)]
    n = len(traag)
    totaal = sum(d[0] for d in traag) / n
    verbinding = sum(d[1] for d in traag) / n
    begin = sum(d[2] for d in traag) / n
    voortgang(f"  traagste 1 % ({n} opslagen, gemiddeld {totaal:.0f} ms): tot verbinding {verbinding:.0f} ms, "
              f"BEGIN {begin:.0f} ms, rest (statements, commit, pauzes tussen herhalingen; SQLite: wachten "
              f"op de gezamenlijke commit) "
              f"{totaal - verbinding - begin:.0f} ms; {sum(1 for d in traag if d[3])} met een herhaling")


def _figuur(naam: str, verloren: int, latenties: list[float]) -> Figuur:
    p50, p95, p99, hoogste = (percentiel(latenties, 50), percentiel(latenties, 95),
                              percentiel(latenties, 99), max(latenties))
    return Figuur(
        naam,
        f"lost {verloren}, p50 {getal(p50)} ms, p95 {getal(p95)} ms, p99 {getal(p99)} ms, max {getal(hoogste)} ms",
        "0 lost, p95 < 100 ms, p99 < 300 ms, max < 1 s",
        verloren > 0 or p95 >= DOEL_P95_MS or p99 >= DOEL_P99_MS or hoogste >= DOEL_MAX_MS,
    )


def meet(snel: bool = False) -> list[Figuur]:
    from sqlalchemy.engine import make_url

    from storage.db import maak_engine

    schrijvers, per_schrijver = (10, 10) if snel else (50, 40)
    uit = []

    voortgang(f"concurrent_writes_sqlite: {schrijvers} schrijvers x {per_schrijver} antwoorden")
    with tempfile.TemporaryDirectory(prefix="zbt-bench-") as tmp:
        engine = maak_engine(f"sqlite:///{Path(tmp) / 'schrijven.db'}")
        try:
            verloren, latenties, _ = _lopen(engine, schrijvers, per_schrijver)
        finally:
            engine.dispose()
    uit.append(_figuur("concurrent_writes_sqlite", verloren, latenties))

    from storage.db import bereikbare_test_postgresql

    basis, reden = bereikbare_test_postgresql()
    if basis is None:
        voortgang(f"concurrent_writes_postgresql: niet bereikbaar: {reden}")
        return [*uit, niet_gemeten("concurrent_writes_postgresql", f"PostgreSQL niet bereikbaar: {reden}")]
    voortgang(f"concurrent_writes_postgresql: {schrijvers} schrijvers x {per_schrijver} antwoorden "
              f"({make_url(basis).render_as_string()})")
    with pg_schema(basis) as engine:
        verloren, latenties, _ = _lopen(engine, schrijvers, per_schrijver)
    uit.append(_figuur("concurrent_writes_postgresql", verloren, latenties))
    return uit
