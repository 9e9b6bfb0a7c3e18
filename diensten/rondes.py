"""Opening a ronde: gemeente (when new), ronde, invitation codes and last ronde's plan."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from storage import repository as repo
from toegang import Gebruiker


@dataclass(frozen=True)
class GeopendeRonde:
    ronde: repo.RondeInfo
    codes: dict[str, str]  # rol -> invitation code: show it now, only a keyed hash is stored
    overgenomen: int  # actions carried over from the previous ronde


def open_ronde(
    engine: Engine,
    *,
    door: Gebruiker,
    gemeente: str,
    label: str,
    kader_versies: dict[str, str],
    rollen: list[str],
    regio: str | None = None,
    max_deelnemers: int | None = None,
    jaar: int | None = None,
) -> GeopendeRonde:
    """Open a ronde for ``gemeente`` (created when it does not exist yet), make one
    invitation code per rol and carry last ronde's actions over.

    Every step checks ``door``'s scope in storage; ValueError (Dutch) when refused.
    The steps are separate transactions: when making codes fails after the ronde was
    opened, the ronde stays and "Nieuwe codes maken" on the page finishes the job.
    ``jaar`` is the year the ronde belongs to (default: the year in the label, else
    this year); the regional comparison matches rondes by year and kader.
    """
    naam = (gemeente or "").strip()
    if not naam or not label.strip() or not kader_versies or not rollen:
        raise ValueError("Kies een gemeente, een naam, ten minste één kader en ten minste één rol.")
    bestaand = {g.naam: g for g in repo.gemeenten(engine)}
    g = bestaand.get(naam) or repo.maak_gemeente(engine, naam, regio=(regio or "").strip() or None, door=door)
    ronde = repo.maak_ronde(engine, g.id, label.strip(), kader_versies, rollen=rollen, door=door, jaar=jaar)
    codes = repo.maak_uitnodigingen(engine, ronde.id, rollen, max_deelnemers=max_deelnemers, door=door)
    overgenomen = repo.neem_acties_over(engine, ronde.id, door=door)
    return GeopendeRonde(ronde, codes, overgenomen)
