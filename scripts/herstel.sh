#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into the database of ZBT_DATABASE_URL.
#
#   ZBT_DATABASE_URL=... scripts/herstel.sh --bevestig BESTAND
#   (or ZBT_HERSTEL_BEVESTIGD=ja instead of --bevestig)
#
# This REPLACES the content of that database: without --bevestig (or the variable) it
# refuses and changes nothing.
#
# PostgreSQL: pg_restore --clean --if-exists --no-owner in one transaction: every table
#   of the backup is dropped and made again with the content of the backup; on any
#   error nothing changes. Use an empty database, or the app's own database at the same
#   migration version: tables that exist only in the target are left alone. Stop the
#   app (all replicas) first, or answers given during the restore are lost.
# SQLite: the app MUST be stopped. The backup is copied into place (through a temporary
#   file and a rename); an existing database file is kept beside it as
#   BESTAND.voor-herstel-YYYYMMDD-HHMMSS. The script refuses while another process has
#   the database open (its -wal file stays when the script opens and closes it).
#
# Afterwards the app needs the same server secret (ZBT_GEHEIM) as when the backup was
# made; otherwise it refuses to start (storage/geheim.py). Exit code 0 on success,
# 1 on any error (one Dutch line on stderr).
set -euo pipefail

fout() { echo "Fout: $*" >&2; exit 1; }

bevestigd=""
[ "${ZBT_HERSTEL_BEVESTIGD:-}" != ja ] || bevestigd=1
bestand=""
while [ $# -gt 0 ]; do
    case "$1" in
        --bevestig) bevestigd=1; shift ;;
        -h|--help)
            cat <<'HULP'
Gebruik: ZBT_DATABASE_URL=... scripts/herstel.sh --bevestig BESTAND

Zet een back-up van scripts/backup.sh terug in de database van ZBT_DATABASE_URL. De inhoud
van die database wordt VERVANGEN; zonder --bevestig (of ZBT_HERSTEL_BEVESTIGD=ja) gebeurt er
niets. Stop eerst de app (alle replica's); bij SQLite is dat verplicht.
  PostgreSQL: pg_restore --clean --if-exists --no-owner, in één transactie
  SQLite:     het huidige databasebestand blijft ernaast staan als <naam>.voor-herstel-JJJJMMDD-UUMMSS
Start de app daarna met hetzelfde geheim (ZBT_GEHEIM) als toen de back-up werd gemaakt.
HULP
            exit 0 ;;
        -*) fout "onbekende optie '$1'. Gebruik: scripts/herstel.sh --bevestig BESTAND" ;;
        *) [ -z "$bestand" ] || fout "geef één back-upbestand op, niet ook '$1'."; bestand="$1"; shift ;;
    esac
done
[ -n "$bestand" ] || fout "geef het back-upbestand op. Gebruik: scripts/herstel.sh --bevestig BESTAND"

url="${ZBT_DATABASE_URL:-}"
url="${url#"${url%%[![:space:]]*}"}"; url="${url%"${url##*[![:space:]]}"}"  # trim
[ -n "$url" ] || fout "de variabele ZBT_DATABASE_URL is niet gezet. Zet haar op de database die u wilt herstellen (die wordt overschreven)."

# shellcheck source=scripts/zbt-database.sh
source "$(dirname "${BASH_SOURCE[0]}")/zbt-database.sh"
zbt_lees_url "$url"

[ -e "$bestand" ] || fout "het back-upbestand '$bestand' bestaat niet."
[ -f "$bestand" ] && [ -r "$bestand" ] || fout "het back-upbestand '$bestand' kan niet worden gelezen."

# What kind of backup is it? (first bytes: pg_dump custom format or an SQLite file)
kop="$(head -c 15 "$bestand" | tr -d '\0')"
case "$kop" in
    PGDMP*) bestand_soort=postgresql ;;
    "SQLite format 3") bestand_soort=sqlite ;;
    *) fout "'$bestand' is geen back-up van scripts/backup.sh (geen pg_dump-archief en geen SQLite-bestand)." ;;
esac
[ "$bestand_soort" = "$ZBT_SOORT" ] \
    || fout "'$bestand' is een back-up van een $bestand_soort-database, maar ZBT_DATABASE_URL wijst naar $ZBT_SOORT."

[ -n "$bevestigd" ] || fout "herstellen overschrijft de database $ZBT_WEERGAVE. Stop eerst de app en geef dan --bevestig mee (of zet ZBT_HERSTEL_BEVESTIGD=ja). Er is niets gewijzigd."

if [ "$ZBT_SOORT" = postgresql ]; then
    pg_restore="$(zbt_gereedschap pg_restore)"
    psql="$(zbt_gereedschap psql)"
    "$pg_restore" --clean --if-exists --no-owner --single-transaction --exit-on-error --no-password \
        --dbname="$ZBT_LIBPQ_URL" "$bestand" \
        || fout "pg_restore in $ZBT_WEERGAVE is mislukt (zie de melding hierboven); er is niets gewijzigd."
    versie="$("$psql" --no-password --no-psqlrc -Atq -d "$ZBT_LIBPQ_URL" -c 'SELECT version_num FROM alembic_version')" \
        || fout "de herstelde database $ZBT_WEERGAVE heeft geen leesbare tabel alembic_version."
else
    pad="$ZBT_SQLITE_PAD"
    python="$(zbt_python)"
    if [ -e "$pad-wal" ]; then
        # A -wal file: the app is running, or was stopped without closing the database.
        # Open and close it once: the last connection to close folds the WAL into the
        # file and removes it; when another process still has it open, the WAL stays.
        "$python" - "$pad" <<'PY' || fout "de database '$pad' kan niet worden geopend om te controleren of de app nog draait."
import sqlite3
import sys

c = sqlite3.connect(sys.argv[1], timeout=10)
c.execute("SELECT count(*) FROM sqlite_master").fetchone()
c.close()
PY
        [ ! -e "$pad-wal" ] || fout "de app draait nog: een ander proces heeft '$pad' open (het bestand '$pad-wal' blijft bestaan). Stop de app eerst; er is niets gewijzigd."
    fi
    map="$(dirname "$pad")"
    mkdir -p "$map" 2>/dev/null || fout "de map '$map' kan niet worden gemaakt."
    stempel="$(date -u +%Y%m%d-%H%M%S)"
    tijdelijk="$map/.$(basename "$pad").herstel.$$.tmp"
    trap 'rm -f "$tijdelijk"' EXIT
    (umask 077; "$python" - "$bestand" "$tijdelijk" <<'PY') || fout "de back-up '$bestand' kon niet worden gekopieerd (zie de melding hierboven); er is niets gewijzigd."
import sqlite3
import sys

try:
    bron = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
    doel = sqlite3.connect(sys.argv[2])
except sqlite3.Error as e:
    sys.exit(f"Fout: {e}")
try:
    bron.backup(doel)
    uitslag = doel.execute("PRAGMA integrity_check").fetchone()[0]
    if uitslag != "ok":
        sys.exit(f"Fout: de back-up is niet in orde: {uitslag}")
except sqlite3.Error as e:
    sys.exit(f"Fout: {e}")
finally:
    doel.close()
    bron.close()
PY
    if [ -e "$pad" ]; then
        bewaard="$pad.voor-herstel-$stempel"
        mv "$pad" "$bewaard"
        echo "De vorige database staat nu in '$bewaard'." >&2
    fi
    rm -f "$pad-shm"
    mv "$tijdelijk" "$pad"
    trap - EXIT
    versie="$("$python" - "$pad" <<'PY'
import sqlite3
import sys

with sqlite3.connect(sys.argv[1]) as c:
    print(c.execute("SELECT version_num FROM alembic_version").fetchone()[0])
PY
)" || fout "de herstelde database '$pad' heeft geen leesbare tabel alembic_version."
fi

echo "Hersteld: $ZBT_WEERGAVE uit '$bestand' (databaseversie ${versie:-onbekend})." >&2
echo "Start de app met hetzelfde geheim (ZBT_GEHEIM) als toen de back-up werd gemaakt." >&2
