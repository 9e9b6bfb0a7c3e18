# Shared by scripts/backup.sh and scripts/herstel.sh (sourced, not run): read the app's
# database URL and find the tools. Expects a function `fout` (print a Dutch line, exit 1).
#
# zbt_lees_url URL sets:
#   ZBT_SOORT       postgresql | sqlite
#   ZBT_LIBPQ_URL   (postgresql) the URL as libpq wants it: postgresql://user@host:port/db?...,
#                   without the SQLAlchemy driver (+psycopg) and without the password
#   PGPASSWORD      (postgresql) exported when the URL has a password (percent-decoded)
#   ZBT_SQLITE_PAD  (sqlite) the database file
#   ZBT_WEERGAVE    the database for messages, never with the password

zbt_lees_url() {
    local url="$1" schema rest hoofd query gebruiker wachtwoord host
    case "$url" in
        *://*) ;;
        *) fout "ZBT_DATABASE_URL is geen database-URL: '$url'. Verwacht postgresql+psycopg://... of sqlite:///..." ;;
    esac
    schema="${url%%://*}"
    rest="${url#*://}"
    case "${schema%%+*}" in
        postgresql|postgres)
            ZBT_SOORT=postgresql
            hoofd="${rest%%\?*}"
            query=""
            [ "$hoofd" = "$rest" ] || query="?${rest#*\?}"
            if [[ "$hoofd" == *@* ]]; then
                gebruiker="${hoofd%@*}"
                host="${hoofd##*@}"
                if [[ "$gebruiker" == *:* ]]; then
                    wachtwoord="${gebruiker#*:}"
                    gebruiker="${gebruiker%%:*}"
                    # SQLAlchemy URLs percent-encode the password; libpq wants it plain here.
                    wachtwoord="${wachtwoord//\\/\\\\}"
                    PGPASSWORD="$(printf '%b' "${wachtwoord//%/\\x}")"
                    export PGPASSWORD
                fi
                ZBT_LIBPQ_URL="postgresql://$gebruiker@$host$query"
                ZBT_WEERGAVE="postgresql://$gebruiker@$host"
            else
                ZBT_LIBPQ_URL="postgresql://$hoofd$query"
                ZBT_WEERGAVE="postgresql://$hoofd"
            fi
            ;;
        sqlite)
            ZBT_SOORT=sqlite
            # sqlite:///relative/path or sqlite:////absolute/path (as SQLAlchemy reads it)
            [[ "$rest" == /* ]] || fout "ZBT_DATABASE_URL '$url' noemt geen bestand; verwacht sqlite:////pad/naar/bestand.db."
            ZBT_SQLITE_PAD="${rest#/}"
            ZBT_SQLITE_PAD="${ZBT_SQLITE_PAD%%\?*}"
            case "$ZBT_SQLITE_PAD" in
                ""|:memory:) fout "ZBT_DATABASE_URL '$url' noemt geen bestand; een database in het geheugen heeft geen back-up." ;;
            esac
            ZBT_WEERGAVE="$ZBT_SQLITE_PAD"
            ;;
        *)
            fout "ZBT_DATABASE_URL begint met '$schema': alleen PostgreSQL (postgresql+psycopg://...) en SQLite (sqlite:///...) worden ondersteund."
            ;;
    esac
}

# The path of a PostgreSQL client tool: from $ZBT_PG_BIN when set, else from PATH.
zbt_gereedschap() {
    local naam="$1"
    if [ -n "${ZBT_PG_BIN:-}" ]; then
        [ -x "$ZBT_PG_BIN/$naam" ] || fout "$naam is niet gevonden in ZBT_PG_BIN ($ZBT_PG_BIN)."
        echo "$ZBT_PG_BIN/$naam"
        return
    fi
    command -v "$naam" 2>/dev/null || fout "$naam is niet gevonden. Installeer de PostgreSQL-clientprogramma's (Debian: apt-get install postgresql-client, dezelfde of een nieuwere hoofdversie dan de server) of wijs met ZBT_PG_BIN naar hun map."
}

# Python 3 for SQLite's backup API: $ZBT_PYTHON, else python3 from PATH.
zbt_python() {
    local python="${ZBT_PYTHON:-python3}"
    command -v "$python" 2>/dev/null || fout "$python is niet gevonden (nodig voor SQLite); installeer Python 3 of zet ZBT_PYTHON."
}
