#!/usr/bin/env bash
# Back up the app's database to a dated file in a folder, and remove old backups.
#
#   ZBT_DATABASE_URL=... scripts/backup.sh [--dagen N] MAP
#
# PostgreSQL (postgresql[+driver]://...): pg_dump in custom format (-Fc), file
#   MAP/zbt-YYYYMMDD-HHMMSS.dump (UTC). Restore with scripts/herstel.sh.
# SQLite (sqlite:///...): the online backup API of SQLite (Python's sqlite3), file
#   MAP/zbt-YYYYMMDD-HHMMSS.db. Consistent while the app writes, WAL content included
#   (a plain `cp` of the .db file is not: it misses what is still in the -wal file).
#
# Retention: after a successful backup, files named zbt-*.dump / zbt-*.db in MAP that
# are older than N days (default 14, or $ZBT_BACKUP_DAGEN) are removed. Nothing else
# in MAP is touched.
#
# Tools: pg_dump from PATH, or from $ZBT_PG_BIN (e.g. /usr/lib/postgresql/16/bin: the
# major version of pg_dump must be at least that of the server). Python 3 from PATH,
# or $ZBT_PYTHON, for SQLite.
#
# The backup file is written under a temporary name and renamed only when complete and
# checked, so a broken run never leaves something that looks like a backup. The last
# line on stdout is the path of the new file. Exit code 0 on success, 1 on any error
# (one Dutch line on stderr). The password of the URL is passed to pg_dump through
# PGPASSWORD, never on its command line.
set -euo pipefail
umask 077  # backups hold every answer: readable by their owner only

fout() { echo "Fout: $*" >&2; exit 1; }

dagen="${ZBT_BACKUP_DAGEN:-14}"
map=""
while [ $# -gt 0 ]; do
    case "$1" in
        --dagen) [ $# -ge 2 ] || fout "--dagen heeft een aantal dagen nodig."; dagen="$2"; shift 2 ;;
        --dagen=*) dagen="${1#--dagen=}"; shift ;;
        -h|--help)
            cat <<'HULP'
Gebruik: ZBT_DATABASE_URL=... scripts/backup.sh [--dagen N] MAP

Maakt een back-up van de database van de app in MAP:
  PostgreSQL: pg_dump -Fc naar MAP/zbt-JJJJMMDD-UUMMSS.dump (UTC)
  SQLite:     een consistente kopie naar MAP/zbt-JJJJMMDD-UUMMSS.db (ook terwijl de app schrijft)
Daarna worden eigen back-ups (zbt-*.dump, zbt-*.db) in MAP ouder dan N dagen verwijderd
(standaard 14, of ZBT_BACKUP_DAGEN). De laatste regel is het pad van de nieuwe back-up.
ZBT_PG_BIN: map met pg_dump en pg_restore (anders uit PATH). Terugzetten: scripts/herstel.sh.
HULP
            exit 0 ;;
        -*) fout "onbekende optie '$1'. Gebruik: scripts/backup.sh [--dagen N] MAP" ;;
        *) [ -z "$map" ] || fout "geef één map op, niet ook '$1'."; map="$1"; shift ;;
    esac
done
[ -n "$map" ] || fout "geef de map voor de back-ups op. Gebruik: scripts/backup.sh [--dagen N] MAP"
[[ "$dagen" =~ ^[1-9][0-9]*$ ]] || fout "--dagen (of ZBT_BACKUP_DAGEN) moet een heel getal van 1 of meer zijn, niet '$dagen'."

url="${ZBT_DATABASE_URL:-}"
url="${url#"${url%%[![:space:]]*}"}"; url="${url%"${url##*[![:space:]]}"}"  # trim
[ -n "$url" ] || fout "de variabele ZBT_DATABASE_URL is niet gezet. Zet haar op de database van de app, bijvoorbeeld postgresql+psycopg://gebruiker@host:5432/database of sqlite:////pad/naar/zelfbeoordeling.db."

# shellcheck source=scripts/zbt-database.sh
source "$(dirname "${BASH_SOURCE[0]}")/zbt-database.sh"
zbt_lees_url "$url"

mkdir -p "$map" 2>/dev/null || fout "de map '$map' kan niet worden gemaakt."
[ -d "$map" ] && [ -w "$map" ] || fout "in de map '$map' kan niet worden geschreven."

stempel="$(date -u +%Y%m%d-%H%M%S)"
if [ "$ZBT_SOORT" = postgresql ]; then
    doel="$map/zbt-$stempel.dump"
else
    doel="$map/zbt-$stempel.db"
fi
[ ! -e "$doel" ] || fout "'$doel' bestaat al (twee back-ups in dezelfde seconde?); probeer het opnieuw."
tijdelijk="$map/.zbt-$stempel.$$.tmp"
trap 'rm -f "$tijdelijk"' EXIT

if [ "$ZBT_SOORT" = postgresql ]; then
    pg_dump="$(zbt_gereedschap pg_dump)"
    pg_restore="$(zbt_gereedschap pg_restore)"
    "$pg_dump" --format=custom --no-password --file="$tijdelijk" --dbname="$ZBT_LIBPQ_URL" \
        || fout "pg_dump van de database $ZBT_WEERGAVE is mislukt (zie de melding hierboven)."
    # Readable as a custom-format archive, with the migration table in it.
    inhoud="$("$pg_restore" --list "$tijdelijk" 2>/dev/null)" \
        || fout "de back-up '$tijdelijk' is niet leesbaar voor pg_restore."
    grep -q "TABLE DATA [^ ]* alembic_version " <<<"$inhoud" \
        || fout "de back-up van $ZBT_WEERGAVE bevat geen tabel alembic_version: is dit de database van de app?"
else
    [ -f "$ZBT_SQLITE_PAD" ] || fout "het databasebestand '$ZBT_SQLITE_PAD' bestaat niet (ZBT_DATABASE_URL)."
    python="$(zbt_python)"
    "$python" - "$ZBT_SQLITE_PAD" "$tijdelijk" <<'PY' || fout "de back-up van het SQLite-bestand '$ZBT_SQLITE_PAD' is mislukt (zie de melding hierboven)."
import sqlite3
import sys

bron_pad, doel_pad = sys.argv[1], sys.argv[2]
try:
    # Read-only URI: never create or change the app's database.
    bron = sqlite3.connect(f"file:{bron_pad}?mode=ro", uri=True, timeout=10)
    doel = sqlite3.connect(doel_pad)
except sqlite3.Error as e:
    sys.exit(f"Fout: {e}")
try:
    bron.backup(doel)  # SQLite's online backup: one consistent state, WAL included
    doel.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
    uitslag = doel.execute("PRAGMA integrity_check").fetchone()[0]
    if uitslag != "ok":
        sys.exit(f"Fout: de kopie is niet in orde: {uitslag}")
    if doel.execute("SELECT count(*) FROM sqlite_master WHERE name = 'alembic_version'").fetchone()[0] != 1:
        sys.exit("Fout: het bestand heeft geen tabel alembic_version: is dit de database van de app?")
except sqlite3.Error as e:
    sys.exit(f"Fout: {e}")
finally:
    doel.close()
    bron.close()
PY
fi

mv "$tijdelijk" "$doel"
trap - EXIT

# Retention: only our own backups, only after a successful one.
find "$map" -maxdepth 1 -type f \( -name 'zbt-*.dump' -o -name 'zbt-*.db' \) \
    -mmin +$((dagen * 1440)) -print -delete | sed 's/^/Verwijderd (ouder dan '"$dagen"' dagen): /' >&2

echo "Back-up van $ZBT_WEERGAVE gemaakt." >&2
echo "$doel"
