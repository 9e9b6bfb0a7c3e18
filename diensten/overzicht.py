"""Which comparisons an overview may show for a ronde: the previous ronde, the regional median."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from rapport import regio
from rapport.anonimiteit import onderdruk
from rapport.trend import RondeMeta
from storage import repository as repo


@dataclass(frozen=True)
class RegioVergelijking:
    regio: str
    antwoorden: pd.DataFrame  # regio_antwoorden of this ronde's year, opted-in gemeenten only (see regio.per_jaar)
    rondes: list[RondeMeta]
    ronde: str  # the key of this ronde in ``antwoorden`` and ``rondes``: its year, as text


def vorige_ronde(engine: Engine, ronde: repo.RondeInfo, zichtbaar: Iterable[int]) -> repo.RondeInfo | None:
    """The previous ronde of the same gemeente, when the viewer may see it."""
    vorige = repo.vorige_ronde(engine, ronde.id)
    return vorige if vorige is not None and vorige.id in set(zichtbaar) else None


def regio_antwoorden(engine: Engine, regio_naam: str, kader_id: str | None = None):
    """The answers of a regio as the regional views may use them: per gemeente and ronde, a
    criterium answered by fewer respondents than the anonymity threshold is left out
    (rapport.anonimiteit.onderdruk), so no median per gemeente is one person's answer."""
    return onderdruk(repo.regio_antwoorden(engine, regio_naam, kader_id))


def regio_vergelijking(engine: Engine, ronde: repo.RondeInfo, alle_rondes: Iterable[repo.RondeInfo]) -> RegioVergelijking | None:
    """The regional comparison for this ronde, or None: only for a gemeente that opted in
    itself, and only when at least ``regio.drempel()`` gemeenten of its regio have a ronde
    in the same year (``ronde.jaar``, whatever its label; docs/regio.md). This gemeente
    counts with this ronde; another with two rondes that year with its newest."""
    gemeente = next((g for g in repo.gemeenten(engine) if g.id == ronde.gemeente_id), None)
    if gemeente is None or not gemeente.regio or not gemeente.vergelijking:
        return None
    zelfde_jaar = [r for r in alle_rondes if r.jaar == ronde.jaar]
    antwoorden = regio_antwoorden(engine, gemeente.regio)
    antwoorden = antwoorden[antwoorden["ronde_id"].isin([r.id for r in zelfde_jaar])]
    antwoorden, metas = regio.per_jaar(antwoorden, zelfde_jaar, voorkeur=[ronde.id])
    if antwoorden["gemeente"].nunique() < regio.drempel():
        return None
    return RegioVergelijking(gemeente.regio, antwoorden, metas, str(ronde.jaar))
