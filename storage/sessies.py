"""Staff sessions on the server (table ``sessie``, migration 0006).

One row per sign-in. The row never holds a token, only the keyed hash (HMAC with
the server secret, as for codes: :func:`storage.geheim.code_hash`) of its random
part, prefixed with what the part is for ("overdracht:" or "sessie:"), so a hand-off
part can never pass for a session part.

The life of a row:

1. :func:`maak_overdracht` at sign-in: the row holds the hand-off hash and expires
   after ``toegang.sessie.OVERDRACHT_SECONDEN``.
2. :func:`wissel_overdracht` from the route ``/sessie/start``: one UPDATE swaps the
   hand-off hash for the session hash and sets the expiry to a working day. The
   hand-off hash is then gone, so a hand-off works once, also with several app
   processes on one database.
3. :func:`sessie_gebruiker` on every run: the account name while the row is live
   (not ended, not expired); the caller checks that the account still exists.
4. :func:`beeindig_sessie` at sign-out sets ``beeindigd``.

Rows that ended or expired more than a day ago are deleted now and then.
"""
from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import Engine, delete, false, or_, select, true, update

from storage import geheim
from storage.db import met_herhaling, sessie
from storage.models import Sessie, nu
from toegang.sessie import GELDIGHEID, OVERDRACHT_SECONDEN

SESSIE_BEWAARTERMIJN = timedelta(days=1)
SESSIE_OPRUIMKANS = 0.05  # per wissel_overdracht call


def _hash(soort: str, deel: str) -> str:
    return geheim.code_hash(f"{soort}:{deel}")


def maak_overdracht(engine: Engine, gebruiker: str, overdracht_deel: str) -> None:
    """A new row for `gebruiker` (the account name) that only the hand-off can start."""
    rij = Sessie(token_hash=_hash("overdracht", overdracht_deel), gebruiker=str(gebruiker)[:200],
                 aangemaakt=nu(), verloopt=nu() + timedelta(seconds=OVERDRACHT_SECONDEN), beeindigd=False)

    def actie() -> None:
        with sessie(engine, schrijven=True) as s:
            s.add(rij)

    met_herhaling(actie)


def wissel_overdracht(engine: Engine, overdracht_deel: str, sessie_deel: str) -> str | None:
    """Turn a live hand-off into a session of GELDIGHEID; returns the account name, or
    None when the hand-off is unknown, used, ended or expired."""
    oud, nieuw = _hash("overdracht", overdracht_deel), _hash("sessie", sessie_deel)

    def actie() -> str | None:
        moment = nu()
        with sessie(engine, schrijven=True) as s:
            naam = s.scalar(select(Sessie.gebruiker).where(
                Sessie.token_hash == oud, Sessie.beeindigd == false(), Sessie.verloopt > moment))
            if naam is None:
                return None
            gewijzigd = s.execute(update(Sessie).where(
                Sessie.token_hash == oud, Sessie.beeindigd == false(), Sessie.verloopt > moment,
            ).values(token_hash=nieuw, verloopt=moment + GELDIGHEID)).rowcount
            return naam if gewijzigd == 1 else None

    naam = met_herhaling(actie)
    if random.random() < SESSIE_OPRUIMKANS:
        ruim_sessies_op(engine)
    return naam


def sessie_gebruiker(engine: Engine, sessie_deel: str) -> str | None:
    """The account name of a live session (not ended, not expired), else None."""
    with sessie(engine) as s:
        return s.scalar(select(Sessie.gebruiker).where(
            Sessie.token_hash == _hash("sessie", sessie_deel), Sessie.beeindigd == false(), Sessie.verloopt > nu()))


def beeindig_sessie(engine: Engine, sessie_deel: str) -> bool:
    """End a session (sign-out). True when a live session was ended."""
    h = _hash("sessie", sessie_deel)

    def actie() -> bool:
        with sessie(engine, schrijven=True) as s:
            return s.execute(update(Sessie).where(Sessie.token_hash == h, Sessie.beeindigd == false())
                             .values(beeindigd=True)).rowcount == 1

    return met_herhaling(actie)


def ruim_sessies_op(engine: Engine) -> int:
    """Delete rows that ended or expired more than SESSIE_BEWAARTERMIJN ago; returns how many."""
    grens = nu() - SESSIE_BEWAARTERMIJN

    def actie() -> int:
        with sessie(engine, schrijven=True) as s:
            return s.execute(delete(Sessie).where(or_(Sessie.verloopt < grens, Sessie.beeindigd == true()),
                                                  Sessie.aangemaakt < grens)).rowcount

    return met_herhaling(actie)
