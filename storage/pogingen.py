"""Rate limiting: failed and successful attempts (codes, passwords) counted in the
database, so the limits hold across pages, sessions and app processes. The callers
and the limits themselves are in diensten/limieten.py."""
from __future__ import annotations

import hashlib
import random
from datetime import timedelta

from sqlalchemy import Engine, delete, func, select

from storage import geheim
from storage.db import met_herhaling, sessie
from storage.models import Poging, nu

# Attempts are kept this long, then cleaned up now and then.
POGING_BEWAARTERMIJN = timedelta(days=1)
POGING_OPRUIMKANS = 0.02  # per registreer_poging call


def _poging_sleutel(sleutel: str) -> str:
    """What is stored: a keyed hash (HMAC with the server secret) of the caller's key,
    which may hold an IP address or account name; an unkeyed hash of an IPv4
    address would be reversed by trying all 2**32."""
    return geheim.sleutel_hash(hashlib.sha256(str(sleutel).encode("utf-8")).hexdigest())


def registreer_poging(engine: Engine, sleutel: str, gelukt: bool) -> None:
    """Record one attempt (e.g. sleutel 'code:<ip>' or 'inlog:<account>').

    The table is shared by all app processes on the same database, so the limit
    holds across replicas. Now and then (probability POGING_OPRUIMKANS) attempts
    older than POGING_BEWAARTERMIJN are deleted.
    """
    rij = dict(sleutel=_poging_sleutel(sleutel), gelukt=bool(gelukt))

    def actie() -> None:
        with sessie(engine, schrijven=True) as s:
            s.add(Poging(**rij, tijdstip=nu()))

    met_herhaling(actie)
    if random.random() < POGING_OPRUIMKANS:
        ruim_pogingen_op(engine)


def te_veel_pogingen(
    engine: Engine, sleutel: str, maximum: int = 10, venster_seconden: int = 300
) -> bool:
    """True when ``sleutel`` had at least ``maximum`` FAILED attempts in the last
    ``venster_seconden`` seconds. Check before an attempt, register after it.

    Check and registration are separate transactions, so a burst of concurrent
    attempts may exceed ``maximum`` by at most the number of concurrent callers.
    """
    if not 0 < venster_seconden <= POGING_BEWAARTERMIJN.total_seconds():
        raise ValueError(
            f"Het venster moet tussen 0 en {int(POGING_BEWAARTERMIJN.total_seconds())} seconden liggen."
        )
    grens = nu() - timedelta(seconds=venster_seconden)
    with sessie(engine) as s:
        mislukt = s.scalar(
            select(func.count(Poging.id)).where(
                Poging.sleutel == _poging_sleutel(sleutel),
                Poging.tijdstip >= grens,
                Poging.gelukt.is_(False),
            )
        )
    return mislukt >= maximum


def gelukte_poging(engine: Engine, sleutel: str, venster_seconden: int) -> bool:
    """True when ``sleutel`` had a SUCCESSFUL attempt in the last ``venster_seconden``
    seconds (at most POGING_BEWAARTERMIJN: older attempts are cleaned up)."""
    grens = nu() - timedelta(seconds=venster_seconden)
    with sessie(engine) as s:
        return s.scalar(
            select(Poging.id).where(
                Poging.sleutel == _poging_sleutel(sleutel), Poging.tijdstip >= grens, Poging.gelukt.is_(True)
            ).limit(1)
        ) is not None


def ruim_pogingen_op(engine: Engine, ouder_dan: timedelta = POGING_BEWAARTERMIJN) -> int:
    """Delete attempts older than ``ouder_dan``; returns how many."""
    grens = nu() - ouder_dan

    def actie() -> int:
        with sessie(engine, schrijven=True) as s:
            return s.execute(
                delete(Poging).where(Poging.tijdstip < grens)
                .execution_options(synchronize_session=False)
            ).rowcount

    return met_herhaling(actie)
