"""Which comparisons an overview may show for a ronde: the previous ronde, the regional median."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from rapport import regio
from rapport.trend import RondeMeta
from storage import repository as repo


@dataclass(frozen=True)
class RegioVergelijking:
    regio: str
    antwoorden: pd.DataFrame  # regio_antwoorden of this ronde's label, opted-in gemeenten only
    rondes: list[RondeMeta]


def vorige_ronde(engine: Engine, ronde: repo.RondeInfo, zichtbaar: Iterable[int]) -> repo.RondeInfo | None:
    """The previous ronde of the same gemeente, when the viewer may see it."""
    vorige = repo.vorige_ronde(engine, ronde.id)
    return vorige if vorige is not None and vorige.id in set(zichtbaar) else None


def regio_vergelijking(engine: Engine, ronde: repo.RondeInfo, alle_rondes: Iterable[repo.RondeInfo]) -> RegioVergelijking | None:
    """The regional comparison for this ronde, or None: only for a gemeente that opted in
    itself, and only when at least ``regio.drempel()`` gemeenten of its regio have a ronde
    with this label (docs/regio.md)."""
    gemeente = next((g for g in repo.gemeenten(engine) if g.id == ronde.gemeente_id), None)
    if gemeente is None or not gemeente.regio or not gemeente.vergelijking:
        return None
    antwoorden = repo.regio_antwoorden(engine, gemeente.regio, ronde=ronde.label)
    if antwoorden["gemeente"].nunique() < regio.drempel():
        return None
    ids = set(antwoorden["ronde_id"])
    return RegioVergelijking(gemeente.regio, antwoorden,
                             [RondeMeta.van_ronde_info(r) for r in alle_rondes if r.id in ids])
