"""Two app replicas behind HAProxy on one PostgreSQL database (issue 14): start and stop.

    python -m bench.replicas        # what scripts/run-schaal.sh and `make run-schaal` run

The set-up, in order:

1. PostgreSQL must answer (``$ZBT_DATABASE_URL``, default :data:`STANDAARD_DATABASE`);
   otherwise one Dutch line and exit code 1.
2. The database is migrated once, before any replica starts (``python -m storage upgrade``,
   or ``demo`` with ``ZBT_DEMO=1``: the demo is seeded here, once, so the replicas find it).
3. Both replicas share one server secret (storage/geheim.py): ``$ZBT_GEHEIM`` when set,
   else one file (``$ZBT_GEHEIM_BESTAND``, default data/geheim.key) that step 2 makes when
   missing. With different secrets a cookie or code made on one replica fails on the other,
   and the database's check value refuses the second secret anyway.
4. Two ``streamlit run server.py`` processes (the flags of ``make run``), each trusting
   exactly the proxy's address (``FORWARDED_ALLOW_IPS`` and ``ZBT_VERTROUWDE_PROXY``).
5. HAProxy with deploy/haproxy.cfg (cookie ``ZBT_REPLICA`` for sticky sessions, health check
   on /_stcore/health, WebSockets), in the foreground.

Everything is stopped on Ctrl+C, on SIGTERM and when any of the processes ends.

For the benchmark and the tests: :func:`start_opstelling` returns an :class:`Opstelling`
with the proxy's URL and each replica's own URL; :func:`stop_opstelling` (or ``with``)
stops it. Ports and addresses are arguments; ``main`` reads them from the environment
(see :data:`OMGEVING`).
"""
from __future__ import annotations

import csv
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HAPROXY_CFG = REPO / "deploy" / "haproxy.cfg"
STANDAARD_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
# HAProxy connects to the replicas from this address (its `source`); the replicas trust only
# this one. Another loopback address than the browsers' 127.0.0.1, so a local process that
# talks to a replica directly cannot choose its client address with X-Forwarded-For.
PROXY_BRON = "127.0.0.2"
SERVERS = ("a", "b")  # the server names and cookie values in deploy/haproxy.cfg
OMGEVING = {  # environment variable: (default, meaning) for `main`
    "ZBT_DATABASE_URL": (STANDAARD_DATABASE, "de PostgreSQL-database van beide replica's"),
    "ZBT_PROXY_ADRES": ("127.0.0.1", "adres waarop HAProxy luistert"),
    "ZBT_PROXY_POORT": ("8500", "poort van HAProxy: hier gaan de browsers heen"),
    "ZBT_REPLICA_POORT_A": ("8501", "poort van replica a (alleen op 127.0.0.1)"),
    "ZBT_REPLICA_POORT_B": ("8502", "poort van replica b (alleen op 127.0.0.1)"),
    "ZBT_PROXY_STATS_POORT": ("8509", "statuspagina van HAProxy (alleen op 127.0.0.1)"),
    "ZBT_PROXY_BRON": (PROXY_BRON, "adres waarvandaan HAProxy de replica's aanspreekt"),
    "ZBT_DEMO": ("1", "1: fictieve demogegevens en demo-accounts, zoals make run"),
    "ZBT_LOGMAP": (str(REPO / "data" / "schaal"), "map voor de logbestanden van replica's en HAProxy"),
}


class OpstellingFout(RuntimeError):
    """The set-up cannot start (Dutch message)."""


@dataclass
class Opstelling:
    """A running set-up: the proxy's URL (for browsers), each replica's own URL, the processes."""

    proxy_url: str
    replica_urls: dict[str, str]
    stats_url: str
    logmap: Path
    processen: dict[str, subprocess.Popen] = field(default_factory=dict)

    def stop(self) -> None:
        stop_opstelling(self)

    def __enter__(self) -> Opstelling:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def gestopt(self) -> list[str]:
        """The names of processes that have ended by themselves."""
        return [naam for naam, p in self.processen.items() if p.poll() is not None]


def vrije_poort(adres: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((adres, 0))
        return s.getsockname()[1]


def controleer_postgresql(database_url: str, timeout: int = 5) -> None:
    """OpstellingFout (Dutch) when the URL is no PostgreSQL URL or the server does not answer."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    try:
        url = make_url(database_url)
    except ArgumentError:
        raise OpstellingFout(f"ZBT_DATABASE_URL is geen geldige database-URL: '{database_url}'.") from None
    if url.get_backend_name() != "postgresql":
        raise OpstellingFout("Twee replica's hebben één gedeelde PostgreSQL-database nodig; ZBT_DATABASE_URL "
                             f"wijst naar {url.get_backend_name()} ({url.render_as_string(hide_password=True)}).")
    engine = create_engine(url, connect_args={"connect_timeout": timeout})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as e:
        reden = (str(getattr(e, "orig", None) or e).splitlines() or [type(e).__name__])[0]
        raise OpstellingFout(f"PostgreSQL is niet bereikbaar op {url.render_as_string(hide_password=True)}: "
                             f"{reden}") from None
    finally:
        engine.dispose()


def gedeelde_omgeving(database_url: str, bron: str, demo: bool, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment every replica (and the migration) gets: one database, one secret,
    exactly the proxy trusted."""
    uit = dict(os.environ if env is None else env)
    uit["ZBT_DATABASE_URL"] = database_url
    uit["ZBT_DEMO"] = "1" if demo else "0"
    if not uit.get("ZBT_GEHEIM", "").strip():
        # one file for all: an absolute path, so each process finds the same one
        from storage.geheim import STANDAARD_BESTAND

        uit["ZBT_GEHEIM_BESTAND"] = str(Path(uit.get("ZBT_GEHEIM_BESTAND", "").strip() or STANDAARD_BESTAND).resolve())
    # uvicorn (under Streamlit) takes X-Forwarded-For only from the proxy, and so does the app
    uit["FORWARDED_ALLOW_IPS"] = bron
    uit["ZBT_VERTROUWDE_PROXY"] = bron
    uit.setdefault("PYTHONUNBUFFERED", "1")
    return uit


def migreer_eenmalig(env: Mapping[str, str], demo: bool, log: Path) -> None:
    """``python -m storage upgrade`` (or ``demo``) once, with the replicas' environment."""
    with open(log, "ab") as uit:
        klaar = subprocess.run([sys.executable, "-m", "storage", "demo" if demo else "upgrade"],
                               cwd=REPO, env=dict(env), stdout=uit, stderr=subprocess.STDOUT, check=False)
    if klaar.returncode != 0:
        regels = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        raise OpstellingFout("De database bijwerken is mislukt: " + (regels[-1] if regels else f"exitcode {klaar.returncode}"))


def start_replica(naam: str, poort: int, env: Mapping[str, str], log: Path, adres: str = "127.0.0.1") -> subprocess.Popen:
    """``streamlit run server.py`` with the flags of ``make run``, in its own process group."""
    with open(log, "ab") as uit:
        return subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(REPO / "server.py"), "--server.port", str(poort),
             "--server.address", adres, "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=REPO, env=dict(env), stdout=uit, stderr=subprocess.STDOUT, start_new_session=True)


def start_app(env: Mapping[str, str], log: Path, poort: int | None = None,
              timeout: float = 60) -> tuple[subprocess.Popen, str]:
    """One replica on its own (``make run``'s flags, 127.0.0.1, a free port unless given),
    waited for until healthy: (process, base URL). Stop it with :func:`stop_app`."""
    poort = poort or vrije_poort()
    proc = start_replica("app", poort, env, Path(log))
    basis = f"http://127.0.0.1:{poort}"
    try:
        _wacht(lambda: gezond(basis), {"De app": proc}, "De app", Path(log).parent, timeout)
    except BaseException:
        stop_app(proc)
        raise
    return proc, basis


def stop_app(proc: subprocess.Popen, timeout: float = 15) -> None:
    if proc.poll() is None:
        proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def proxy_omgeving(proxy_adres: str, proxy_poort: int, replicas: Mapping[str, str], bron: str,
                   stats_poort: int) -> dict[str, str]:
    """The variables deploy/haproxy.cfg reads."""
    return {"ZBT_PROXY_ADRES": proxy_adres, "ZBT_PROXY_POORT": str(proxy_poort), "ZBT_PROXY_BRON": bron,
            "ZBT_REPLICA_A": replicas["a"], "ZBT_REPLICA_B": replicas["b"],
            "ZBT_PROXY_STATS": f"127.0.0.1:{stats_poort}"}


def start_haproxy(env: Mapping[str, str], log: Path, config: Path = HAPROXY_CFG) -> subprocess.Popen:
    # /usr/sbin is not on every PATH (Debian puts haproxy there)
    programma = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/usr/local/sbin")
    if programma is None:
        raise OpstellingFout("HAProxy is niet geïnstalleerd: voer 'make system' uit (Debian-pakket haproxy).")
    omgeving = {**os.environ, **env}
    controle = subprocess.run([programma, "-c", "-q", "-f", str(config)], env=omgeving, capture_output=True, text=True)
    if controle.returncode != 0:
        raise OpstellingFout(f"{config}: HAProxy keurt de configuratie af: {(controle.stderr or controle.stdout).strip()}")
    with open(log, "ab") as uit:
        # -db: in the foreground, no daemon; it stops with its parent's SIGTERM (stop_opstelling)
        return subprocess.Popen([programma, "-db", "-f", str(config)], env=omgeving, stdout=uit,
                                stderr=subprocess.STDOUT, start_new_session=True)


def _wacht(controle, processen: Mapping[str, subprocess.Popen], wat: str, logmap: Path, timeout: float) -> None:
    eind = time.monotonic() + timeout
    while time.monotonic() < eind:
        gestopt = [n for n, p in processen.items() if p.poll() is not None]
        if gestopt:
            raise OpstellingFout(f"{', '.join(gestopt)} stopte tijdens het starten; zie de logbestanden in {logmap}.")
        if controle():
            return
        time.sleep(0.25)
    raise OpstellingFout(f"{wat} niet klaar binnen {timeout:.0f} s; zie de logbestanden in {logmap}.")


def gezond(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as antwoord:
            return antwoord.status == 200
    except (OSError, urllib.error.URLError):
        return False


def server_status(stats_url: str) -> dict[str, str]:
    """HAProxy's view of the backend: {server name: 'UP' | 'DOWN' | ...} (from its CSV)."""
    try:
        with urllib.request.urlopen(stats_url + "/;csv", timeout=2) as antwoord:
            tekst = antwoord.read().decode("utf-8").lstrip("# ")
    except (OSError, urllib.error.URLError):
        return {}
    return {r["svname"]: r["status"] for r in csv.DictReader(io.StringIO(tekst))
            if r.get("pxname") == "streamlit" and r.get("svname") in SERVERS}


def start_opstelling(
    database_url: str,
    *,
    proxy_poort: int,
    replica_poorten: Sequence[int],
    stats_poort: int | None = None,
    logmap: Path,
    demo: bool = False,
    env: Mapping[str, str] | None = None,
    replica_env: Mapping[str, Mapping[str, str]] | None = None,
    proxy_adres: str = "127.0.0.1",
    bron: str = PROXY_BRON,
    timeout: float = 120,
) -> Opstelling:
    """Check PostgreSQL, migrate once, start replicas a and b and HAProxy; wait until HAProxy
    sees both replicas healthy. ``env``: the base environment (default os.environ);
    ``replica_env``: extra variables per replica ({'a': {...}}), e.g. its own accounts file.
    On any failure everything started is stopped again and OpstellingFout is raised."""
    if len(replica_poorten) != len(SERVERS):
        raise ValueError(f"deploy/haproxy.cfg kent precies {len(SERVERS)} replica's, niet {len(replica_poorten)}.")
    logmap = Path(logmap)
    logmap.mkdir(parents=True, exist_ok=True)
    controleer_postgresql(database_url)
    gedeeld = gedeelde_omgeving(database_url, bron, demo, env)
    migreer_eenmalig(gedeeld, demo, logmap / "migratie.log")
    stats_poort = stats_poort or vrije_poort()
    replicas = {naam: f"127.0.0.1:{poort}" for naam, poort in zip(SERVERS, replica_poorten)}
    opstelling = Opstelling(proxy_url=f"http://{proxy_adres}:{proxy_poort}",
                            replica_urls={n: f"http://{hp}" for n, hp in replicas.items()},
                            stats_url=f"http://127.0.0.1:{stats_poort}", logmap=logmap)
    try:
        for naam, poort in zip(SERVERS, replica_poorten):
            eigen = {**gedeeld, **((replica_env or {}).get(naam, {}))}
            opstelling.processen[naam] = start_replica(naam, poort, eigen, logmap / f"replica-{naam}.log")
        for naam, url in opstelling.replica_urls.items():
            _wacht(lambda url=url: gezond(url), opstelling.processen, f"Replica {naam}", logmap, timeout)
        opstelling.processen["haproxy"] = start_haproxy(
            proxy_omgeving(proxy_adres, proxy_poort, replicas, bron, stats_poort), logmap / "haproxy.log")
        _wacht(lambda: set(server_status(opstelling.stats_url).values()) == {"UP"}
               and len(server_status(opstelling.stats_url)) == len(SERVERS),
               opstelling.processen, "HAProxy", logmap, 30)
    except BaseException:
        stop_opstelling(opstelling)
        raise
    return opstelling


def stop_opstelling(opstelling: Opstelling, timeout: float = 15) -> None:
    """HAProxy first (no new requests), then the replicas; SIGKILL for whatever lingers."""
    volgorde = sorted(opstelling.processen.items(), key=lambda item: item[0] != "haproxy")
    for _, proc in volgorde:
        if proc.poll() is None:
            proc.terminate()
    eind = time.monotonic() + timeout
    for _, proc in volgorde:
        try:
            proc.wait(timeout=max(0.1, eind - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _stop_bij_signaal(signum, _frame) -> None:
    raise KeyboardInterrupt


def main(env: Mapping[str, str] = os.environ) -> int:
    waarde = {naam: (env.get(naam) or standaard) for naam, (standaard, _) in OMGEVING.items()}
    poorten = {}
    for naam in ("ZBT_PROXY_POORT", "ZBT_REPLICA_POORT_A", "ZBT_REPLICA_POORT_B", "ZBT_PROXY_STATS_POORT"):
        if not waarde[naam].strip().isdigit() or not 0 < int(waarde[naam]) < 65536:
            print(f"Fout: {naam} moet een poortnummer zijn (1 tot 65535), niet '{waarde[naam]}'.", file=sys.stderr)
            return 1
        poorten[naam] = int(waarde[naam])
    for soort in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # SIGINT too: a background job ignores it
        signal.signal(soort, _stop_bij_signaal)
    logmap = Path(waarde["ZBT_LOGMAP"])
    demo = waarde["ZBT_DEMO"] == "1"
    print(f"Database voorbereiden en replica's starten (logbestanden in {logmap}) ...", flush=True)
    try:
        opstelling = start_opstelling(
            waarde["ZBT_DATABASE_URL"], proxy_poort=poorten["ZBT_PROXY_POORT"],
            replica_poorten=(poorten["ZBT_REPLICA_POORT_A"], poorten["ZBT_REPLICA_POORT_B"]),
            stats_poort=poorten["ZBT_PROXY_STATS_POORT"], logmap=logmap, demo=demo, env=env,
            proxy_adres=waarde["ZBT_PROXY_ADRES"], bron=waarde["ZBT_PROXY_BRON"])
    except OpstellingFout as e:
        print(f"Fout: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Gestopt.", flush=True)
        return 130
    with opstelling:
        print(f"De app draait op {opstelling.proxy_url} (HAProxy), replica's: "
              f"{', '.join(f'{n} {u}' for n, u in opstelling.replica_urls.items())}; status: {opstelling.stats_url}"
              + (" — demo-accounts, wachtwoord 'demo'" if demo else "") + ". Stoppen: Ctrl+C.", flush=True)
        try:
            while not (gestopt := opstelling.gestopt()):
                time.sleep(0.5)
            print(f"Fout: {', '.join(gestopt)} is gestopt; de rest wordt ook gestopt (zie {logmap}).", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            print("Stoppen ...", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
