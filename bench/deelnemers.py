"""Figure ``app_participants_50``: participants through the real server.

The app is started as ``make run`` starts it (``streamlit run server.py``) on its own
SQLite file. A ronde is opened with one invitation code per rol; then N participant
sessions (bench/streamlitclient.py, Streamlit's own WebSocket protocol) each open the
invitation link, press "Start de vragenlijst" and answer every statement of their
questionnaire, waiting an exponential think time (mean 4 s) before each click. A
fifth of the answers also get a toelichting.

Per answer the time is taken from sending the click to the end of the run that shows
the answer as saved ("✓ … opgeslagen om …" under the statement, and the progress bar
one further): what the participant waits for. Afterwards the database is read
directly: every answer the page confirmed must be stored with that score; one that
is not counts as lost.
"""
from __future__ import annotations

import asyncio
import os
import random
import re
import secrets
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench import Figuur, getal, percentiel, voortgang
from bench.replicas import start_app, stop_app

ROOT = Path(__file__).resolve().parent.parent
DOEL_P95_MS = 500
DENKTIJD_S = 4.0
_SLEUTEL = re.compile(r"score\|(\d+)\|([^|]+)\|([^|]+)$")


@dataclass
class Uitslag:
    """What the participants saw: per confirmed answer its latency, and what it was."""

    latenties: list[float] = field(default_factory=list)          # ms, per answer
    bevestigd: list[tuple[int, str, str, str]] = field(default_factory=list)  # resp, kader, crit, score
    fouten: list[str] = field(default_factory=list)               # a run that did not confirm
    start_latenties: list[float] = field(default_factory=list)    # ms, opening + "Start"

    def voeg_toe(self, ander: Uitslag) -> None:
        self.latenties += ander.latenties
        self.bevestigd += ander.bevestigd
        self.fouten += ander.fouten
        self.start_latenties += ander.start_latenties


def richt_in(engine, rollen: tuple[str, ...], max_per_code: int) -> dict[str, str]:
    """A gemeente with one open ronde and an invitation code per rol: {rol: code}."""
    from bench.data import laad_kaders_en_rollen
    from storage import repository as repo
    from storage.bereik import SYSTEEM
    from storage.db import migreer

    kaders, _, _ = laad_kaders_en_rollen()
    migreer(engine)
    g = repo.maak_gemeente(engine, "Belastingdorp (synthetisch)", door=SYSTEEM)
    ronde = repo.maak_ronde(engine, g.id, "belasting", {k.id: k.versie for k in kaders.values()},
                            rollen=list(rollen), door=SYSTEEM)
    return repo.maak_uitnodigingen(engine, ronde.id, list(rollen), max_deelnemers=max_per_code, door=SYSTEEM)


def _bevestigd(scherm, aantal: int) -> bool:
    """The run shows the answer saved ("✓ … opgeslagen om …" under the statement; only the
    statement reruns) and the progress bar at `aantal`."""
    return (not scherm.uitzondering and any(t.startswith("✓") and "opgeslagen om" in t for t in scherm.teksten)
            and any(t.startswith(f"{aantal} van ") for t in scherm.teksten))


async def deelnemer(basis: str, code: str, rng: random.Random, denktijd: float,
                    cookies: dict[str, str] | None = None) -> Uitslag:
    """One participant: open the invitation, start, answer every statement."""
    from bench.streamlitclient import Sessie

    uit = Uitslag()
    async with Sessie(basis, "vragenlijst", cookies=cookies) as s:
        scherm, t1 = await s.open(f"uitnodiging={code}")
        knop = scherm.widget("button", "Start de vragenlijst")
        if knop is None:
            uit.fouten.append("geen startknop: " + " | ".join(scherm.teksten)[:300])
            return uit
        await asyncio.sleep(rng.expovariate(1 / denktijd))
        scherm, t2 = await s.druk(knop)
        uit.start_latenties.append((t1 + t2) * 1000)
        radios = [w for w in scherm.widgets if w.soort == "radio" and _SLEUTEL.search(w.id)]
        if not radios:
            uit.fouten.append("geen vragen na start: " + " | ".join(scherm.teksten)[:300])
            return uit
        for nummer, radio in enumerate(radios, start=1):
            await asyncio.sleep(rng.expovariate(1 / denktijd))
            schaal = [o for o in radio.opties if o[:1].isdigit()]
            keuze = rng.choice(schaal)
            scherm, duur = await s.kies(radio, keuze)
            if not _bevestigd(scherm, nummer):
                uit.fouten.append(f"antwoord {nummer} niet bevestigd: " + (scherm.uitzondering or "geen ✓: " + " | ".join(scherm.teksten)[-400:]))
                continue
            uit.latenties.append(duur * 1000)
            resp, kader, crit = _SLEUTEL.search(radio.id).groups()
            uit.bevestigd.append((int(resp), kader, crit, keuze.split(" ")[0]))
            if rng.random() < 0.2:
                veld = scherm.widget("text_area", f"Toelichting bij stelling {nummer} ")
                if veld is not None:
                    await asyncio.sleep(rng.expovariate(1 / denktijd))
                    await s.typ(veld, f"Toelichting {nummer} van een synthetische deelnemer.")
    return uit


async def drijf(basis: str, codes: list[str], n: int, seed: int, denktijd: float,
                cookies=None) -> Uitslag:
    """N participants at once, invitation codes taken round-robin; the first ones
    join within the first think time, as a room does when the link goes up."""
    rng = random.Random(seed)
    taken = []
    for i in range(n):
        eigen = random.Random(rng.getrandbits(64))
        koek = cookies(i) if callable(cookies) else cookies
        taken.append(deelnemer(basis, codes[i % len(codes)], eigen, denktijd, koek))
    uitslagen = await asyncio.gather(*taken, return_exceptions=True)
    totaal = Uitslag()
    for u in uitslagen:
        if isinstance(u, BaseException):
            totaal.fouten.append(f"{type(u).__name__}: {u}")
        else:
            totaal.voeg_toe(u)
    return totaal


def verloren(engine, uitslag: Uitslag) -> int:
    """Confirmed answers that are not in the database with the confirmed score."""
    from storage import repository as repo

    per_resp: dict[int, dict] = {}
    weg = 0
    for resp, kader, crit, score in uitslag.bevestigd:
        if resp not in per_resp:
            per_resp[resp] = repo.antwoorden_van(engine, resp)
        opgeslagen = per_resp[resp].get((kader, crit))
        if opgeslagen is None or str(opgeslagen[0]) != score:
            weg += 1
    return weg


def omgeving(database_url: str, geheim: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZBT_")}
    return {**env, "ZBT_DATABASE_URL": database_url, "ZBT_GEHEIM": geheim, "PYTHONUNBUFFERED": "1"}


def meet(snel: bool = False) -> list[Figuur]:
    from storage.db import maak_engine

    n, denktijd = (10, 1.0) if snel else (50, DENKTIJD_S)
    rollen = ("gemeente", "wijkteam-cjg", "onderwijs", "jgz", "veilig-thuis")
    voortgang(f"app_participants_50: {n} deelnemers via de echte server, denktijd gemiddeld {denktijd} s")
    with tempfile.TemporaryDirectory(prefix="zbt-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'deelnemers.db'}"
        geheim = secrets.token_hex(32)
        os.environ["ZBT_GEHEIM"] = geheim  # the codes are hashed with the server's secret
        engine = maak_engine(url)
        codes = richt_in(engine, rollen, max_per_code=n)
        proc, basis = start_app(omgeving(url, geheim), Path(tmp) / "streamlit.log")
        try:
            begin, cpu = time.perf_counter(), _cpu(proc.pid)
            uitslag = asyncio.run(drijf(basis, list(codes.values()), n, 20261130, denktijd))
            duur, server_cpu = time.perf_counter() - begin, _cpu(proc.pid) - cpu
        finally:
            stop_app(proc)
        weg = verloren(engine, uitslag) + len(uitslag.fouten)
        engine.dispose()
    for fout in uitslag.fouten[:5]:
        voortgang(f"  niet bevestigd: {fout}")
    lat = uitslag.latenties
    voortgang(f"  {len(lat)} antwoorden in {duur:.0f} s; server-CPU {server_cpu:.0f} s "
              f"({server_cpu / duur:.0%} van één kern); start (openen + Start) p95 "
              f"{getal(percentiel(uitslag.start_latenties, 95))} ms")
    p95, p99 = percentiel(lat, 95), percentiel(lat, 99)
    return [Figuur("app_participants_50" if not snel else "app_participants_10",
                   f"lost {weg}, p95 {getal(p95)} ms, p99 {getal(p99)} ms ({len(lat)} antwoorden)",
                   f"0 lost, p95 < {DOEL_P95_MS} ms", weg > 0 or not lat or p95 >= DOEL_P95_MS)]


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by process `pid` (Linux /proc)."""
    try:
        velden = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(velden[11]) + int(velden[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def _koekje(basis: str) -> dict[str, str]:
    """The sticky cookie a browser gets with its first page from the proxy (ZBT_REPLICA)."""
    from http.cookies import SimpleCookie

    with urllib.request.urlopen(f"{basis}/vragenlijst", timeout=30) as antwoord:
        koek = SimpleCookie()
        for regel in antwoord.headers.get_all("Set-Cookie") or []:
            koek.load(regel)
    return {naam: m.value for naam, m in koek.items()}


def meet_replicas(snel: bool = False) -> list[Figuur]:
    """``app_replicas_2``: the same participants through HAProxy to two replicas on one
    PostgreSQL database (bench/replicas.py starts them as ``make run-schaal`` does)."""
    import uuid

    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from bench import niet_gemeten
    from bench.replicas import start_opstelling
    from bench.replicas import vrije_poort as poort
    from storage.db import bereikbare_test_postgresql, maak_engine

    basis_url, reden = bereikbare_test_postgresql()
    if basis_url is None:
        return [niet_gemeten("app_replicas_2", f"PostgreSQL niet bereikbaar: {reden}")]
    n, denktijd = (10, 1.0) if snel else (50, DENKTIJD_S)
    rollen = ("gemeente", "wijkteam-cjg", "onderwijs", "jgz", "veilig-thuis")
    naam = f"zbt_bench_{uuid.uuid4().hex[:10]}"
    beheer = create_engine(basis_url, isolation_level="AUTOCOMMIT")
    with beheer.connect() as c:
        c.exec_driver_sql(f'CREATE DATABASE "{naam}"')
    url = make_url(basis_url).set(database=naam).render_as_string(hide_password=False)
    geheim = secrets.token_hex(32)
    os.environ["ZBT_GEHEIM"] = geheim
    voortgang(f"app_replicas_2: {n} deelnemers via HAProxy naar 2 replica's op PostgreSQL")
    engine = maak_engine(url)
    try:
        codes = richt_in(engine, rollen, max_per_code=n)
        with tempfile.TemporaryDirectory(prefix="zbt-bench-") as tmp:
            env = {**omgeving(url, geheim)}
            opstelling = start_opstelling(url, proxy_poort=poort(), replica_poorten=[poort(), poort()],
                                          logmap=Path(tmp), env=env)
            with opstelling:
                koekjes = [_koekje(opstelling.proxy_url) for _ in range(n)]
                begin = time.perf_counter()
                uitslag = asyncio.run(drijf(opstelling.proxy_url, list(codes.values()), n, 20261130, denktijd,
                                            cookies=lambda i: koekjes[i]))
                duur = time.perf_counter() - begin
        weg = verloren(engine, uitslag) + len(uitslag.fouten)
    finally:
        engine.dispose()
        with beheer.connect() as c:
            c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{naam}" WITH (FORCE)')
        beheer.dispose()
    per = {r: sum(k.get("ZBT_REPLICA") == r for k in koekjes) for r in ("a", "b")}
    for fout in uitslag.fouten[:5]:
        voortgang(f"  niet bevestigd: {fout}")
    lat = uitslag.latenties
    voortgang(f"  {len(lat)} antwoorden in {duur:.0f} s")
    p95 = percentiel(lat, 95)
    return [Figuur("app_replicas_2", f"lost {weg}, p95 {getal(p95)} ms, p99 {getal(percentiel(lat, 99))} ms, "
                   f"sessions per replica {per['a']}/{per['b']}",
                   f"0 lost, p95 < {DOEL_P95_MS} ms, both replicas used",
                   weg > 0 or not lat or p95 >= DOEL_P95_MS or min(per.values()) == 0)]
