"""Staff access: who may do what, for which gemeenten.

Four staff roles (participants need no account; they use an invitation code):

| rol            | may                                                                 |
|----------------|---------------------------------------------------------------------|
| beheerder      | everything, for every gemeente                                      |
| facilitator    | open/close/delete rondes, invitations, workshop, plan, export — for their gemeenten |
| inspecteur     | read results, toelichtingen and the plan, read-only — gemeenten in scope |
| regio-analist  | aggregates only (no toelichtingen) — gemeenten in scope             |

Accounts come from configuration, never from the database or a URL:
Streamlit secrets (``[gebruikers.NAAM]``), or a TOML file named by
``ZBT_GEBRUIKERS``, each with an argon2 ``wachtwoord_hash`` (make one with
``python -m toegang hash``), a ``rol`` and ``gemeenten`` (names, or ``["*"]``).
With ``ZBT_DEMO=1`` demo accounts exist that see only demo gemeenten.
The accounts are read again on every call (the file only when it changed, and
at least once a minute), so removing or changing an account takes effect on
that person's next request, without a restart.
Where an OIDC provider is configured (``[auth]`` in secrets) staff sign in with
``st.login`` and are matched to an account by its ``email``.
"""
from __future__ import annotations

import os
import time
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

ROLLEN = ("beheerder", "facilitator", "inspecteur", "regio-analist")
ALLE_GEMEENTEN = "*"
DEMO_WACHTWOORD = "demo"

# action -> roles allowed to do it (scope by gemeente is checked separately)
RECHTEN: dict[str, frozenset[str]] = {
    "resultaten_bekijken": frozenset(ROLLEN),
    "toelichtingen_bekijken": frozenset({"beheerder", "facilitator", "inspecteur"}),
    "verbeterplan": frozenset({"beheerder", "facilitator", "inspecteur"}),
    "inspectie_voorbereiden": frozenset({"beheerder", "inspecteur"}),
    # regio view: aggregates per gemeente of opted-in gemeenten (no toelichtingen)
    "regio_vergelijken": frozenset({"beheerder", "inspecteur", "regio-analist"}),
    # opt a gemeente in to / out of the regional comparison
    "regio_deelname": frozenset({"beheerder", "facilitator"}),
    "ronde_beheren": frozenset({"beheerder", "facilitator"}),
    # create a gemeente that is not yet in the database (demo accounts never: they only
    # work in the fictional demo gemeenten)
    "gemeente_aanmaken": frozenset({"beheerder"}),
    "workshop": frozenset({"beheerder", "facilitator"}),
    "exporteren": frozenset({"beheerder", "facilitator"}),
    "importeren": frozenset({"beheerder", "facilitator"}),
    "verwijderen": frozenset({"beheerder", "facilitator"}),
}

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("niet-een-echt-wachtwoord")


@dataclass(frozen=True)
class Gebruiker:
    naam: str
    rol: str
    gemeenten: frozenset[str]
    demo: bool = False
    # The operator on the server (command lines): may write into demo and real gemeenten.
    systeem: bool = False

    def ziet_gemeente(self, gemeente: str, gemeente_is_demo: bool = False) -> bool:
        if self.demo:
            return gemeente_is_demo
        return ALLE_GEMEENTEN in self.gemeenten or gemeente in self.gemeenten


@dataclass(frozen=True)
class Account:
    naam: str
    rol: str
    gemeenten: frozenset[str]
    wachtwoord_hash: str = ""
    email: str = ""
    demo: bool = False

    def als_gebruiker(self) -> Gebruiker:
        return Gebruiker(self.naam, self.rol, self.gemeenten, self.demo)


class ConfigFout(ValueError):
    """A staff account in the configuration is malformed (message in Dutch)."""


def mag(gebruiker: Gebruiker | None, actie: str, gemeente: str | None = None, gemeente_is_demo: bool = False) -> bool:
    """May this user do `actie` (for `gemeente`, when given)? Unknown actions are refused."""
    if gebruiker is None or gebruiker.rol not in RECHTEN.get(actie, ()):
        return False
    return gemeente is None or gebruiker.ziet_gemeente(gemeente, gemeente_is_demo)


def hash_wachtwoord(wachtwoord: str) -> str:
    return _hasher.hash(wachtwoord)


def lees_accounts(config: Mapping, bron: str = "configuratie") -> dict[str, Account]:
    """Accounts from a mapping shaped like ``{naam: {wachtwoord_hash, rol, gemeenten, email}}``."""
    uit: dict[str, Account] = {}
    for naam, velden in (config or {}).items():
        if not isinstance(velden, Mapping):
            raise ConfigFout(f"{bron}: gebruiker '{naam}' moet velden hebben (rol, gemeenten, wachtwoord_hash).")
        rol = velden.get("rol")
        if rol not in ROLLEN:
            raise ConfigFout(f"{bron}: gebruiker '{naam}', veld rol: '{rol}' is onbekend; kies {', '.join(ROLLEN)}.")
        gemeenten = velden.get("gemeenten", [])
        if isinstance(gemeenten, str) or not all(isinstance(g, str) for g in gemeenten):
            raise ConfigFout(f"{bron}: gebruiker '{naam}', veld gemeenten: verwacht een lijst met namen, of [\"*\"].")
        wachtwoord_hash = str(velden.get("wachtwoord_hash", ""))
        email = str(velden.get("email", ""))
        if not wachtwoord_hash and not email:
            raise ConfigFout(f"{bron}: gebruiker '{naam}' heeft een wachtwoord_hash of een email (voor OIDC) nodig.")
        if wachtwoord_hash and not wachtwoord_hash.startswith("$argon2"):
            raise ConfigFout(f"{bron}: gebruiker '{naam}', veld wachtwoord_hash: geen argon2-hash; maak er een met 'python -m toegang hash'.")
        uit[str(naam)] = Account(str(naam), rol, frozenset(gemeenten), wachtwoord_hash, email.lower())
    return uit


def demo_accounts() -> dict[str, Account]:
    """Demo accounts (password 'demo'); they only ever see demo gemeenten."""
    h = _demo_hash()
    return {
        naam: Account(naam, rol, frozenset({ALLE_GEMEENTEN}), h, demo=True)
        for naam, rol in (("demo-facilitator", "facilitator"), ("demo-inspecteur", "inspecteur"),
                          ("demo-regio", "regio-analist"), ("demo-beheerder", "beheerder"))
    }


_demo_hash_cache: list[str] = []


def _demo_hash() -> str:
    if not _demo_hash_cache:
        _demo_hash_cache.append(_hasher.hash(DEMO_WACHTWOORD))
    return _demo_hash_cache[0]


HERLEES_SECONDEN = 60  # the accounts file is read again at least this often
_bestanden: dict[str, tuple[tuple[int, int, int], float, dict]] = {}


def lees_gebruikersbestand(pad: str) -> dict:
    """The parsed ``ZBT_GEBRUIKERS`` file; read again when its modification time,
    size or inode changes, or after HERLEES_SECONDEN."""
    try:
        st = os.stat(pad)
        kenmerk = (st.st_mtime_ns, st.st_size, st.st_ino)
        bewaard = _bestanden.get(pad)
        if bewaard and bewaard[0] == kenmerk and time.monotonic() - bewaard[1] < HERLEES_SECONDEN:
            return bewaard[2]
        data = tomllib.loads(Path(pad).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        _bestanden.pop(pad, None)
        raise ConfigFout(f"{pad}: kan het gebruikersbestand niet lezen ({e}).") from None
    _bestanden[pad] = (kenmerk, time.monotonic(), data)
    return data


def accounts_uit_omgeving(secrets: Mapping | None = None, env: Mapping[str, str] = os.environ) -> dict[str, Account]:
    """All configured accounts: secrets, then the ZBT_GEBRUIKERS file, then demo accounts."""
    uit: dict[str, Account] = {}
    if secrets and "gebruikers" in secrets:
        uit.update(lees_accounts(secrets["gebruikers"], "secrets.toml [gebruikers]"))
    pad = env.get("ZBT_GEBRUIKERS", "").strip()
    if pad:
        uit.update(lees_accounts(lees_gebruikersbestand(pad).get("gebruikers", {}), pad))
    if env.get("ZBT_DEMO") == "1":
        for naam, account in demo_accounts().items():
            uit.setdefault(naam, account)
    return uit


def controleer_wachtwoord(accounts: Mapping[str, Account], naam: str, wachtwoord: str) -> Gebruiker | None:
    """The user when name and password match, else None. Unknown names cost the same time."""
    account = accounts.get(naam.strip())
    hash_ = account.wachtwoord_hash if account and account.wachtwoord_hash else _DUMMY_HASH
    try:
        _hasher.verify(hash_, wachtwoord)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if account is None or not account.wachtwoord_hash:
        return None
    return account.als_gebruiker()


def gebruiker_voor_email(accounts: Mapping[str, Account], email: str | None) -> Gebruiker | None:
    """Match an OIDC-signed-in person to an account by e-mail (case-insensitive)."""
    if not email:
        return None
    for account in accounts.values():
        if account.email and account.email == email.strip().lower():
            return account.als_gebruiker()
    return None
