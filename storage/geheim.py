"""The server secret that keys the hashes of invitation and resume codes.

Codes are stored as ``HMAC-SHA256(geheim, sha256(normalised code))`` (hex). Without
the secret a leaked database is no help in guessing codes offline; the inner
sha256 lets migration 0005 turn the plain sha256 values of older databases into
the keyed form without knowing the codes.

Where the secret comes from, first match wins:

1. ``$ZBT_GEHEIM`` (at least 32 characters);
2. ``geheim = "..."`` in Streamlit's ``secrets.toml``;
3. the file ``$ZBT_GEHEIM_BESTAND`` (default ``data/geheim.key`` in the repository,
   next to the default SQLite database). When that file does not exist it is made,
   once, with 32 random bytes from :mod:`secrets` as hex text and mode 0600.

The secret is never stored in the database. The database does hold a check
value, ``HMAC(geheim, CONTROLE)``, in the table ``instelling``;
:func:`controleer_geheim` refuses to start when the configured secret does not
match it (a lost key file, or replicas with different secrets would otherwise
silently make every code unusable).
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import tomllib
from functools import lru_cache
from pathlib import Path

from sqlalchemy import inspect, text

REPO = Path(__file__).resolve().parent.parent
GEHEIM_ENV = "ZBT_GEHEIM"
BESTAND_ENV = "ZBT_GEHEIM_BESTAND"
STANDAARD_BESTAND = REPO / "data" / "geheim.key"
SECRETS_SLEUTEL = "geheim"
MIN_LENGTE = 32
CONTROLE = b"zbt-geheim-controle-v1"
CONTROLE_NAAM = "geheim_controle"


class GeheimFout(RuntimeError):
    """The secret is missing, too short or does not belong to this database (Dutch message)."""


@lru_cache(maxsize=1)
def _uit_secrets() -> str | None:
    """``geheim`` from the secrets.toml files Streamlit reads (later files win); read once."""
    try:
        from streamlit import config

        paden = config.get_option("secrets.files")
    except Exception:  # noqa: BLE001 - no Streamlit config: use its defaults
        paden = [str(Path.home() / ".streamlit" / "secrets.toml"), str(Path.cwd() / ".streamlit" / "secrets.toml")]
    waarde = None
    for pad in paden:
        try:
            data = tomllib.loads(Path(pad).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            continue
        if SECRETS_SLEUTEL in data:
            waarde = str(data[SECRETS_SLEUTEL])
    return waarde


def bestand() -> Path:
    """Where the secret file is (or would be made)."""
    return Path(os.environ.get(BESTAND_ENV, "").strip() or STANDAARD_BESTAND)


def _maak_bestand(pad: Path) -> None:
    """Write a new random secret to ``pad`` (mode 0600), atomically: when another
    process made one first, theirs stays and is used."""
    pad.parent.mkdir(parents=True, exist_ok=True)
    tijdelijk = pad.with_name(f".{pad.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tijdelijk, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(secrets.token_bytes(32).hex() + "\n")
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tijdelijk, pad)  # fails when the file exists: never overwrite a secret
        except FileExistsError:
            pass
    finally:
        tijdelijk.unlink(missing_ok=True)


@lru_cache(maxsize=8)
def _lees_bestand(pad: Path) -> str:
    if not pad.exists():
        _maak_bestand(pad)
    try:
        return pad.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as e:
        raise GeheimFout(f"{pad}: kan het geheim niet lezen ({e}).") from None


def _bron() -> tuple[str, str]:
    """(the secret as text, where it came from)."""
    waarde = os.environ.get(GEHEIM_ENV, "").strip()
    if waarde:
        return waarde, GEHEIM_ENV
    waarde = (_uit_secrets() or "").strip()
    if waarde:
        return waarde, f"secrets.toml ({SECRETS_SLEUTEL})"
    pad = bestand()
    return _lees_bestand(pad), str(pad)


def geheim() -> bytes:
    """The server secret as bytes (see the module docstring for where it comes from)."""
    waarde, bron = _bron()
    if len(waarde) < MIN_LENGTE:
        raise GeheimFout(f"{bron}: het geheim moet minstens {MIN_LENGTE} tekens hebben "
                         "(maak er een met: python -c 'import secrets; print(secrets.token_hex(32))').")
    return waarde.encode("utf-8")


def sha256_hex(genormaliseerd: str) -> str:
    """The inner hash: sha256 hex of a normalised code (what databases before 0005 stored)."""
    return hashlib.sha256(genormaliseerd.encode("ascii", "ignore")).hexdigest()


def sleutel_hash(sha_hex: str, sleutel: bytes | None = None) -> str:
    """HMAC-SHA256 (hex) of an inner sha256 hex value, with the server secret."""
    return hmac.new(sleutel if sleutel is not None else geheim(), sha_hex.encode("ascii"), hashlib.sha256).hexdigest()


def code_hash(genormaliseerd: str) -> str:
    """What the database stores for a code: HMAC(geheim, sha256(normalised code))."""
    return sleutel_hash(sha256_hex(genormaliseerd))


def controlewaarde(sleutel: bytes | None = None) -> str:
    """HMAC(geheim, CONTROLE): shows which secret a database belongs to, reveals nothing of it."""
    return hmac.new(sleutel if sleutel is not None else geheim(), CONTROLE, hashlib.sha256).hexdigest()


def controleer_geheim(conn) -> None:
    """Refuse (GeheimFout) when the configured secret is not the one this database's
    codes were hashed with; record it when the database has none yet. Does nothing
    before migration 0005 (no ``instelling`` table)."""
    if "instelling" not in inspect(conn).get_table_names():
        return
    huidig = controlewaarde()
    opgeslagen = conn.execute(text("SELECT waarde FROM instelling WHERE naam = :n"), {"n": CONTROLE_NAAM}).scalar()
    if opgeslagen is None:
        conn.execute(text("INSERT INTO instelling (naam, waarde) VALUES (:n, :w)"), {"n": CONTROLE_NAAM, "w": huidig})
    elif not hmac.compare_digest(opgeslagen, huidig):
        _, bron = _bron()
        raise GeheimFout(
            f"Het geheim uit {bron} hoort niet bij deze database: de codes in de database zijn met een ander "
            f"geheim gemaakt en zouden niet meer werken. Zet het oorspronkelijke geheim terug (ZBT_GEHEIM, "
            f"'geheim' in secrets.toml of het bestand {bestand()}); alle app-processen moeten hetzelfde geheim hebben."
        )
