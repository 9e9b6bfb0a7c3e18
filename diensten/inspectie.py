"""What goes into the voorbereiding inspectiebezoek of one ronde and kader: the same inputs
for the page's table and its PDF."""
from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Engine

from diensten.samenwerking import samenwerking_voor_rapport
from kader.model import Kader
from kader.werkwijze import Werkwijze
from rapport.anonimiteit import onderdruk
from rapport.inspectiebezoek import VoorbereidingInvoer
from storage import repository as repo


def voorbereiding_invoer(engine: Engine, ronde: repo.RondeInfo, kader: Kader, *, rol_namen: Mapping[str, str],
                         werkwijze: Werkwijze | None = None) -> VoorbereidingInvoer:
    """The answers of the ronde (a criterium, or a group's part of it, with too few answers
    enters no number: `rapport.anonimiteit.onderdruk`), the workshop's consensus, and the
    samenwerkingskaart (None when the ronde never asked it: no section in the PDF)."""
    return VoorbereidingInvoer(
        onderdruk(repo.antwoorden_df(engine, ronde.id), rol_namen=rol_namen), kader, ronde.gemeente, ronde.label,
        rol_namen=rol_namen, consensus=repo.consensus_van(engine, ronde.id), werkwijze=werkwijze,
        samenwerking=samenwerking_voor_rapport(engine, ronde.id),
    )
