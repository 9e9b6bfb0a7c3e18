"""The workshop of a ronde: the phase and the criterium in focus, live counts
(never values) while everyone scores, and the consensus the group agrees on, with
its audit trail."""
from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, func, select

from storage.bereik import controleer_ronde
from storage.controle import controleer_score, open_ronde, schoon_id
from storage.db import met_herhaling, sessie, upsert
from storage.models import (
    Antwoord,
    Consensus,
    ConsensusWijziging,
    Gemeente,
    Respondent,
    Ronde,
    RondeKader,
    RondeRol,
    nu,
)
from storage.records import ConsensusWijzigingInfo, natuurlijk, utc
from toegang import Gebruiker
from uitwisselformaat import schone_tekst
from uitwisselformaat.waarden import FASE_STIL_SCOREN, FASES

MAX_MOTIVATIE = 4000  # consensus motivatie (the workshop form's limit)
CONSENSUS_KOLOMMEN = ("gemeente", "ronde", "kader", "criterium", "score", "motivatie")


def zet_fase(
    engine: Engine,
    ronde_id: int,
    fase: str,
    kader_id: str | None = None,
    criterium_id: str | None = None,
    *,
    door: Gebruiker,
) -> None:
    """Set the workshop phase of an open ronde and the criterium in focus.

    ``fase`` is 'stil_scoren', 'onthullen' or 'consensus' (any order is
    allowed: a facilitator may go back). ``kader_id`` must be pinned to the
    ronde; ``criterium_id`` needs a ``kader_id``. Both None clears the focus.

    Moving the focus or the phase closes an open second vote (storage/tweede_stem.py):
    it is about the criterium in focus only. Setting the same fase and focus again
    leaves it open.
    """
    if fase not in FASES:
        raise ValueError(f"Onbekende fase '{fase}'; kies uit {', '.join(FASES)}.")
    kader_id = schoon_id(kader_id, "kader") if kader_id not in (None, "") else None
    criterium_id = (
        schoon_id(criterium_id, "criterium") if criterium_id not in (None, "") else None
    )
    if criterium_id is not None and kader_id is None:
        raise ValueError("Kies bij een criterium ook het kader.")

    def actie() -> None:
        with sessie(engine, schrijven=True) as s:
            controleer_ronde(s, door, "workshop", ronde_id)
            r = open_ronde(s, ronde_id, "de fase kan niet meer worden gewijzigd", exclusief=True)
            if kader_id is not None and s.get(RondeKader, (ronde_id, kader_id)) is None:
                raise ValueError(f"Kader '{kader_id}' hoort niet bij deze ronde.")
            if (r.fase, r.huidig_kader, r.huidig_criterium) != (fase, kader_id, criterium_id):
                r.tweede_stem = False  # a second vote is about the criterium in focus only
            if fase == FASE_STIL_SCOREN:
                r.kaart_in_beeld = False  # the samenwerkingskaart is a step after the questionnaire
            r.fase, r.huidig_kader, r.huidig_criterium = fase, kader_id, criterium_id

    met_herhaling(actie)


def aantallen_per_rol(engine: Engine, ronde_id: int) -> dict[str, tuple[int, int]]:
    """Per rol: (gestart, met_antwoord) - respondents registered, and those with
    at least one scored answer (weet_niet/nvt count; a toelichting alone does not).
    Invited roles without respondents are included as (0, 0). Sorted by rol."""
    with sessie(engine) as s:
        gestart = dict(s.execute(
            select(Respondent.rol, func.count(Respondent.id))
            .where(Respondent.ronde_id == ronde_id)
            .group_by(Respondent.rol)
        ).all())
        met_antwoord = dict(s.execute(
            select(Respondent.rol, func.count(func.distinct(Respondent.id)))
            .join(Antwoord, Antwoord.respondent_id == Respondent.id)
            .where(Respondent.ronde_id == ronde_id, Antwoord.score.is_not(None))
            .group_by(Respondent.rol)
        ).all())
        uitgenodigd = set(s.scalars(select(RondeRol.rol).where(RondeRol.ronde_id == ronde_id)))
    return {
        rol: (gestart.get(rol, 0), met_antwoord.get(rol, 0))
        for rol in sorted(uitgenodigd | set(gestart))
    }


def voortgang_per_criterium(engine: Engine, ronde_id: int) -> dict[tuple[str, str], int]:
    """(kader_id, criterium_id) -> how many respondents have a score for it
    (weet_niet/nvt included). Counts only, never values; criteria nobody
    scored yet are absent."""
    with sessie(engine) as s:
        rijen = s.execute(
            select(Antwoord.kader_id, Antwoord.criterium_id, func.count(Antwoord.id))
            .join(Respondent, Antwoord.respondent_id == Respondent.id)
            .where(Respondent.ronde_id == ronde_id, Antwoord.score.is_not(None))
            .group_by(Antwoord.kader_id, Antwoord.criterium_id)
        ).all()
    return {(k, c): n for k, c, n in rijen}


def bewaar_consensus(
    engine: Engine,
    ronde_id: int,
    kader_id: str,
    criterium_id: str,
    score: str,
    motivatie: str,
    *,
    door: Gebruiker,
) -> None:
    """Save the group's agreed score for a criterium and append to its audit trail.

    ``score`` like answers: a scale value ('3'), 'weet_niet' or 'nvt'. ValueError
    (Dutch) for a bad score, a kader not pinned to the ronde or a closed ronde.
    """
    score = controleer_score(score)
    if score is None:
        raise ValueError("Kies een score voor de consensus.")
    kader_id = schoon_id(kader_id, "kader")
    criterium_id = schoon_id(criterium_id, "criterium")
    waarden = dict(ronde_id=ronde_id, kader_id=kader_id, criterium_id=criterium_id,
                   score=score, motivatie=schone_tekst(motivatie, MAX_MOTIVATIE))

    def actie() -> None:
        with sessie(engine, schrijven=True) as s:
            controleer_ronde(s, door, "workshop", ronde_id)
            open_ronde(s, ronde_id, "de consensus kan niet meer worden gewijzigd")
            if s.get(RondeKader, (ronde_id, kader_id)) is None:
                raise ValueError(f"Kader '{kader_id}' hoort niet bij deze ronde.")
            moment = nu()
            upsert(s, Consensus, ("ronde_id", "kader_id", "criterium_id"),
                    {**waarden, "bijgewerkt": moment})
            s.add(ConsensusWijziging(**waarden, tijdstip=moment))

    met_herhaling(actie)


def consensus_van(
    engine: Engine, ronde_id: int
) -> dict[tuple[str, str], tuple[str, str, datetime]]:
    """Current consensus of a ronde: (kader_id, criterium_id) -> (score, motivatie, bijgewerkt)."""
    with sessie(engine) as s:
        rijen = s.scalars(select(Consensus).where(Consensus.ronde_id == ronde_id))
        return {
            (c.kader_id, c.criterium_id): (c.score, c.motivatie, utc(c.bijgewerkt)) for c in rijen
        }


def consensus_wijzigingen(engine: Engine, ronde_id: int) -> list[ConsensusWijzigingInfo]:
    """The consensus audit trail of a ronde, oldest first."""
    with sessie(engine) as s:
        rijen = s.scalars(
            select(ConsensusWijziging)
            .where(ConsensusWijziging.ronde_id == ronde_id)
            .order_by(ConsensusWijziging.id)
        )
        return [
            ConsensusWijzigingInfo(w.kader_id, w.criterium_id, w.score, w.motivatie, utc(w.tijdstip))
            for w in rijen
        ]


def consensus_df(engine: Engine, ronde_id: int) -> pd.DataFrame:
    """The consensus of a ronde as strings in columns CONSENSUS_KOLOMMEN
    (gemeente, ronde, kader, criterium, score, motivatie), sorted by kader and
    criterium (numbers inside ids in numeric order)."""
    vraag = (
        select(Gemeente.naam, Ronde.label, Consensus.kader_id, Consensus.criterium_id,
               Consensus.score, Consensus.motivatie)
        .join(Ronde, Consensus.ronde_id == Ronde.id)
        .join(Gemeente, Ronde.gemeente_id == Gemeente.id)
        .where(Ronde.id == ronde_id)
    )
    with sessie(engine) as s:
        rijen = [tuple(r) for r in s.execute(vraag).all()]
    rijen.sort(key=lambda r: (natuurlijk(r[2]), natuurlijk(r[3])))
    return pd.DataFrame(rijen, columns=list(CONSENSUS_KOLOMMEN), dtype="str")
