"""Rate limits for codes and passwords, counted in the database (table ``poging``),
so they hold across page loads, sessions and app replicas.

``client`` is the key from :mod:`toegang.client` (``ip:…`` or ``onbekend``: one
counter shared by everyone without a known address, never one per session).

| what                                  | limit (failed attempts)       | key                         |
|---------------------------------------|-------------------------------|-----------------------------|
| invitation and resume codes           | 10 per 5 minutes per client   | code:<client>               |
| password, per account and client      | 5 per 15 minutes              | inloggen:<naam>:<client>    |
| password, per client (all accounts)   | 20 per 15 minutes             | inloggen-client:<client>    |
| password, per account (all clients)   | 30 per 15 minutes             | inloggen-account:<naam>     |

The account limit stops a guesser spread over many addresses; it does not hold
a client from which that account signed in successfully in the last 24 hours,
so the owner at their usual address is never locked out by somebody else, and
elsewhere at most 15 minutes after the guessing stops. Successes never reset a
counter (someone with one valid code could otherwise guess on between uses).
"""
from __future__ import annotations

from dataclasses import dataclass

from storage import repository as repo


@dataclass(frozen=True)
class Limiet:
    soort: str
    maximum: int
    venster: int  # seconds

    def sleutel(self, *delen: str) -> str:
        return ":".join((self.soort, *delen))


CODE = Limiet("code", 10, 5 * 60)
INLOGGEN = Limiet("inloggen", 5, 15 * 60)
INLOGGEN_CLIENT = Limiet("inloggen-client", 20, 15 * 60)
INLOGGEN_ACCOUNT = Limiet("inloggen-account", 30, 15 * 60)
BEKEND_ADRES = 24 * 60 * 60  # seconds: a successful sign-in from here exempts from INLOGGEN_ACCOUNT

CODE_MELDING = "Te veel onjuiste codes geprobeerd. Wacht vijf minuten en probeer het dan opnieuw."
INLOGGEN_MELDING = "Te veel mislukte pogingen. Wacht een kwartier en probeer het dan opnieuw."


def _naam(naam: str) -> str:
    return naam.strip().lower()


def _te_veel(engine, limiet: Limiet, *delen: str) -> bool:
    return repo.te_veel_pogingen(engine, limiet.sleutel(*delen), limiet.maximum, limiet.venster)


def code_geblokkeerd(engine, client: str) -> bool:
    """Too many wrong invitation or resume codes from this client lately."""
    return _te_veel(engine, CODE, client)


def registreer_code(engine, client: str, gelukt: bool) -> None:
    repo.registreer_poging(engine, CODE.sleutel(client), gelukt)


def inloggen_geblokkeerd(engine, naam: str, client: str) -> bool:
    """May this client not try a password for account ``naam`` now?"""
    naam = _naam(naam)
    if _te_veel(engine, INLOGGEN, naam, client) or _te_veel(engine, INLOGGEN_CLIENT, client):
        return True
    if not _te_veel(engine, INLOGGEN_ACCOUNT, naam):
        return False
    return not repo.gelukte_poging(engine, INLOGGEN.sleutel(naam, client), BEKEND_ADRES)


def registreer_inloggen(engine, naam: str, client: str, gelukt: bool) -> None:
    naam = _naam(naam)
    for sleutel in (INLOGGEN.sleutel(naam, client), INLOGGEN_CLIENT.sleutel(client),
                    INLOGGEN_ACCOUNT.sleutel(naam)):
        repo.registreer_poging(engine, sleutel, gelukt)
