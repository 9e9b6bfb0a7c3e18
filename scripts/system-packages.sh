#!/usr/bin/env bash
# Installs the Debian packages the project needs, only when missing:
# Chromium (browser tests, driven by Playwright via executable_path),
# poppler-utils (pdftoppm/pdftotext), qpdf, fonts and Pango (WeasyPrint),
# HAProxy (two replicas behind a reverse proxy: make run-schaal, tests/test_replicas.py).
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
command -v qpdf >/dev/null || need+=(qpdf)
command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || need+=(haproxy)
command -v npm >/dev/null || need+=(nodejs npm)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
ldconfig -p | grep -q libpango-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
# pg_dump, pg_restore and psql for scripts/backup.sh and scripts/herstel.sh (tests/test_backup.py)
command -v pg_dump >/dev/null && command -v pg_restore >/dev/null && command -v psql >/dev/null || need+=(postgresql-client)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
echo "Systeempakketten installeren: ${need[*]}"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
