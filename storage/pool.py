"""Fair waiting: :class:`EerlijkeRij`, a semaphore that serves threads in order of
arrival, and :class:`EerlijkePool`, SQLAlchemy's QueuePool behind such a line.

Used by :mod:`storage.db` for the connection pool and for the line of SQLite
writers in one process (see its module docstring for why).
"""
from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.pool import QueuePool


@dataclass(eq=False)
class _Plek:
    """One waiting thread: a lock it blocks on, released when it is its turn."""

    slot: threading.Lock = field(default_factory=threading.Lock)
    gekregen: bool = False


class EerlijkeRij:
    """A counting semaphore that serves waiters strictly in order of arrival.

    ``neem`` takes a place, or waits in line for one; ``geef`` hands a freed place
    directly to the first in line, so a thread that gives and takes again at once
    cannot pass anyone who was already waiting (Python's ``threading.Semaphore``
    and SQLAlchemy's pool queue both allow that). Not reentrant.
    """

    def __init__(self, plaatsen: int):
        if plaatsen < 1:
            raise ValueError("Een rij heeft minstens één plaats.")
        self.plaatsen = plaatsen
        self._vrij = plaatsen
        self._mutex = threading.Lock()
        self._wachtend: deque[_Plek] = deque()

    @property
    def wachtend(self) -> int:
        """How many threads are waiting in line now."""
        return len(self._wachtend)

    def neem(self, timeout: float | None = None) -> bool:
        """Take a place; wait in line up to ``timeout`` seconds (None: no limit).
        False when the time ran out before it was this thread's turn."""
        with self._mutex:
            if self._vrij and not self._wachtend:
                self._vrij -= 1
                return True
            plek = _Plek()
            plek.slot.acquire()
            self._wachtend.append(plek)
        if plek.slot.acquire(timeout=-1 if timeout is None else min(max(timeout, 0.0), threading.TIMEOUT_MAX)):
            return True
        with self._mutex:
            if plek.gekregen:  # handed over just as the wait ran out: it is ours
                return True
            self._wachtend.remove(plek)
            return False

    def geef(self) -> None:
        """Give a place back: to the first in line, else to the free places."""
        with self._mutex:
            if self._wachtend:
                plek = self._wachtend.popleft()
                plek.gekregen = True
                plek.slot.release()
            elif self._vrij < self.plaatsen:
                self._vrij += 1
            else:
                raise RuntimeError("EerlijkeRij: meer plaatsen teruggegeven dan genomen.")


class EerlijkePool(QueuePool):
    """SQLAlchemy's QueuePool behind an :class:`EerlijkeRij` of ``pool_size +
    max_overflow`` places: a checkout first waits its turn in the line (at most the
    pool ``timeout``), so the pool itself never makes anyone wait. Unlimited
    overflow (-1) has nothing to wait for and no line."""

    def __init__(self, creator, pool_size: int = 5, max_overflow: int = 10, timeout: float = 30.0, **kw: Any):
        super().__init__(creator, pool_size=pool_size, max_overflow=max_overflow, timeout=timeout, **kw)
        self.rij = EerlijkeRij(pool_size + max_overflow) if pool_size > 0 and max_overflow >= 0 else None

    def _do_get(self):
        if self.rij is None:
            return super()._do_get()
        if not self.rij.neem(self.timeout()):
            raise PoolTimeoutError(
                f"EerlijkePool: geen verbinding vrij binnen {self.timeout():.0f} s "
                f"({self.rij.plaatsen} verbindingen, {self.rij.wachtend} wachtend)", code="3o7r")
        try:
            return super()._do_get()
        except BaseException:
            self.rij.geef()
            raise

    def _do_return_conn(self, record) -> None:
        try:
            super()._do_return_conn(record)
        finally:
            if self.rij is not None:
                self.rij.geef()
