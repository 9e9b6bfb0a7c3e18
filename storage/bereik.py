"""Scope checks for every staff write, in the storage layer below the pages.

Every storage function that changes a gemeente's data on behalf of staff takes
``door``: the acting :class:`toegang.Gebruiker`. Inside the same transaction as
the write it looks up the gemeente the write lands in and calls :func:`controleer`,
so a page, an import file or a command line cannot write outside the actor's
scope, whatever it shows or forgets to check.

Two rules, on top of :func:`toegang.mag` (role and gemeenten):

* demo and real never mix: a demo account writes only into demo gemeenten, a real
  account only into real ones. Only the operator (:data:`SYSTEEM`, the command
  lines on the server) may write into both;
* a refused write raises :class:`BuitenBereik` (a ValueError with a Dutch message
  naming the gemeente) before anything is flushed, so the transaction writes nothing.

Participants need no account: their writes (joining with an invitation code,
saving an answer with the respondent id their code gave them) are scoped by the
code itself (see ``storage.uitnodigingen.respondent_via_uitnodiging`` and
``storage.antwoorden.bewaar_antwoord``).
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Gemeente, Ronde
from toegang import ALLE_GEMEENTEN, Gebruiker, mag

SYSTEEM = Gebruiker("systeem", "beheerder", frozenset({ALLE_GEMEENTEN}), systeem=True)
"""The operator: command lines run on the server, with access to the database anyway."""


class BuitenBereik(ValueError):
    """A write outside the actor's scope (message in Dutch, names the gemeente)."""

    def __init__(self, tekst: str, gemeente: str | None = None):
        super().__init__(tekst)
        self.gemeente = gemeente


def controleer(door: Gebruiker, actie: str, gemeente: str, gemeente_is_demo: bool) -> None:
    """Raise BuitenBereik unless ``door`` may do ``actie`` in this gemeente."""
    if not isinstance(door, Gebruiker):
        raise TypeError("door moet de handelende gebruiker zijn (toegang.Gebruiker).")
    if not door.systeem and door.demo != bool(gemeente_is_demo):
        if door.demo:
            raise BuitenBereik(f"Gemeente '{gemeente}' is geen demogemeente; met een demo-account "
                               "kunt u alleen in de fictieve demogemeenten werken.", gemeente)
        raise BuitenBereik(f"Gemeente '{gemeente}' is een fictieve demogemeente; daarin werkt u "
                           "alleen met een demo-account.", gemeente)
    if not mag(door, actie, gemeente, gemeente_is_demo):
        raise BuitenBereik(f"U mag dit niet doen voor gemeente '{gemeente}': die valt buiten uw bereik.",
                           gemeente)


def controleer_gemeente(s: Session, door: Gebruiker, actie: str, gemeente_id: int) -> Gemeente:
    """The gemeente, after checking ``door``'s scope; ValueError when it does not exist."""
    g = s.get(Gemeente, gemeente_id)
    if g is None:
        raise ValueError("Deze gemeente bestaat niet (meer).")
    controleer(door, actie, g.naam, g.demo)
    return g


def controleer_ronde(s: Session, door: Gebruiker, actie: str, ronde_id: int) -> None:
    """Check ``door``'s scope on the gemeente of a ronde; ValueError when the ronde does not exist."""
    rij = s.execute(select(Gemeente.naam, Gemeente.demo).join(Ronde, Ronde.gemeente_id == Gemeente.id)
                    .where(Ronde.id == ronde_id)).first()
    if rij is None:
        raise ValueError("Deze ronde bestaat niet (meer).")
    controleer(door, actie, *rij)
