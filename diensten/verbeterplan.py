"""What goes into a verbeterplan: the same inputs for the page, the PDF command and the batch."""
from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping

from sqlalchemy import Engine

from diensten.samenwerking import samenwerking_voor_rapport
from kader import rapportvolgorde, suggesties
from kader.model import Kader
from rapport.verbeterplan import VerbeterplanInvoer
from storage import repository as repo

SUGGESTIES_PER_CRITERIUM = 3  # in the PDF; the page shows more


def suggesties_per_criterium(bibliotheek, kader: Kader) -> dict[str, list]:
    """Per criterium the first ``SUGGESTIES_PER_CRITERIUM`` actions of the library that address it."""
    return {c.id: suggesties(bibliotheek, kader.id, c.id)[:SUGGESTIES_PER_CRITERIUM] for c in kader.criteria}


def verbeterplan_invoer(
    engine: Engine,
    ronde: repo.RondeInfo,
    kader: Kader,
    *,
    rol_namen: Mapping[str, str],
    bibliotheek,
) -> VerbeterplanInvoer:
    """The inputs of the verbeterplan of one ronde and kader: answers, this ronde's actions,
    suggestions from the action library (``kader.laad_acties``) and, when there is a
    previous ronde, its answers and its actions with the status recorded this ronde; and the
    scores and motivaties the workshop agreed on (consensus), and its second votes; and the
    samenwerkingskaart (None when the ronde never asked it: no section)."""
    acties = [dataclasses.asdict(a) for a in repo.acties_van(engine, ronde.id) if a.kader_id == kader.id]
    vorige = repo.vorige_ronde(engine, ronde.id)
    vorige_acties = None
    if vorige is not None:
        vorige_acties = [dataclasses.asdict(a) for a in repo.voortgang_acties(engine, ronde.id)
                         if a.kader_id == kader.id]
    voorstel = suggesties_per_criterium(bibliotheek, kader)
    return VerbeterplanInvoer(
        repo.antwoorden_df(engine, ronde.id), kader, ronde.gemeente, ronde.label, rol_namen=rol_namen,
        acties=acties, suggesties=voorstel, vorige_acties=vorige_acties or None,
        vorige_antwoorden=repo.antwoorden_df(engine, vorige.id) if vorige is not None else None,
        vorige_ronde=vorige.label if vorige is not None else None,
        consensus=repo.consensus_van(engine, ronde.id),
        overleggen=repo.overleggen_van(engine, ronde.id) or None,  # the inventory of overleggen (issue 15)
        tweede_stemmen=repo.tweede_stemmen_df(engine, ronde.id),
        samenwerking=samenwerking_voor_rapport(engine, ronde.id),  # the samenwerkingskaart (issue 15)
    )


def rondes_met_label(engine: Engine, label: str) -> tuple[list[repo.RondeInfo], list[str]]:
    """(the rondes named ``label``, every label present): what a batch runs over."""
    alle = repo.rondes(engine)
    return [r for r in alle if r.label == label], sorted({r.label for r in alle})


def batch_invoer(
    engine: Engine,
    rondes: list[repo.RondeInfo],
    kaders: Mapping[str, Kader],
    *,
    kader_id: str | None,
    rol_namen: Mapping[str, str],
    bibliotheek,
) -> Iterator[tuple[repo.RondeInfo, VerbeterplanInvoer | None]]:
    """Per ronde the verbeterplan inputs for ``kader_id`` (or the ronde's first kader in
    report order); None when that kader is not part of the ronde."""
    for ronde in rondes:
        if kader_id is not None:
            kader = kaders[kader_id] if kader_id in ronde.kader_versies and kader_id in kaders else None
        else:
            kader = next(iter(rapportvolgorde(kaders, ronde.kader_versies)), None)
        yield ronde, (None if kader is None else
                      verbeterplan_invoer(engine, ronde, kader, rol_namen=rol_namen, bibliotheek=bibliotheek))
