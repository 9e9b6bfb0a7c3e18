#!/usr/bin/env bash
# Two app replicas behind HAProxy on one PostgreSQL database (`make run-schaal`, issue 14).
# Checks PostgreSQL, migrates once (and seeds the demo with ZBT_DEMO=1, the default), gives both
# replicas one secret, starts `streamlit run server.py` twice and HAProxy (deploy/haproxy.cfg),
# and stops all of them on Ctrl+C or when one of them stops. The work is done by bench/replicas.py,
# which the benchmark and tests/test_replicas.py use too.
#
# Environment (defaults in brackets):
#   ZBT_DATABASE_URL       [postgresql+psycopg://postgres@127.0.0.1:5432/test]
#   ZBT_PROXY_ADRES        [127.0.0.1]  ZBT_PROXY_POORT [8500]   where browsers connect
#   ZBT_REPLICA_POORT_A    [8501]       ZBT_REPLICA_POORT_B [8502]   the replicas, on 127.0.0.1
#   ZBT_PROXY_STATS_POORT  [8509]       HAProxy's status page, on 127.0.0.1
#   ZBT_PROXY_BRON         [127.0.0.2]  the address HAProxy connects from; the only one the replicas trust
#   ZBT_DEMO               [1]          ZBT_GEHEIM / ZBT_GEHEIM_BESTAND: the shared secret
#   ZBT_LOGMAP             [data/schaal] log files of the replicas, the migration and HAProxy
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
[ -x "$PYTHON" ] || PYTHON="$(command -v python3)"
if ! command -v haproxy >/dev/null && [ ! -x /usr/sbin/haproxy ]; then
    echo "Fout: HAProxy ontbreekt; installeer het met 'make system' (Debian-pakket haproxy)." >&2
    exit 1
fi
# bench/replicas.py stops every process it started on SIGINT/SIGTERM/SIGHUP and at its end;
# exec, so a signal to this script reaches it directly.
exec "$PYTHON" -m bench.replicas
