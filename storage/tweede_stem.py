"""The second silent vote of a workshop: after the reveal and the discussion of one
criterium, the facilitator opens a short second vote on it; participants score that
criterium once more on their own device, and the facilitator closes it to compare.

* Only one criterium at a time: the one in focus (``Ronde.huidig_kader`` /
  ``huidig_criterium``) while ``Ronde.tweede_stem`` is True. Moving the focus or the
  phase (`storage.workshop.zet_fase`) closes an open second vote.
* Second votes live in ``tweede_stem``; the first vote (``antwoord``) is never changed.
* While it is open the room sees only how many voted (`stand_tweede_stem`), never values.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, func, select

from storage.bereik import controleer_ronde
from storage.controle import controleer_score, open_ronde, schoon_id
from storage.db import met_herhaling, sessie, upsert
from storage.models import Gemeente, Respondent, Ronde, RondeKader, TweedeStem, nu
from storage.records import natuurlijk
from toegang import Gebruiker
from uitwisselformaat import KOLOMMEN
from uitwisselformaat.waarden import FASE_STIL_SCOREN, STATUS_OPEN


@dataclass(frozen=True)
class TweedeStemStand:
    """Whether a second vote is open in a ronde, on which criterium, and how many voted
    on the criterium in focus (a count, never a value)."""

    open: bool
    kader_id: str | None
    criterium_id: str | None
    aantal: int


def open_tweede_stem(engine: Engine, ronde_id: int, *, door: Gebruiker) -> None:
    """Open a second silent vote on the criterium in focus of an open ronde.

    ValueError (Dutch) when the ronde is closed, no criterium is in focus, or the
    workshop is still in 'stil scoren' (the second vote comes after the reveal).
    """
    def actie() -> None:
        with sessie(engine, schrijven=True) as s:
            controleer_ronde(s, door, "workshop", ronde_id)
            r = open_ronde(s, ronde_id, "er kan geen tweede stemronde meer worden geopend", exclusief=True)
            if r.huidig_kader is None or r.huidig_criterium is None:
                raise ValueError("Kies eerst het onderdeel waarover de tweede stemronde gaat.")
            if r.fase == FASE_STIL_SCOREN:
                raise ValueError("Een tweede stemronde kan pas na het onthullen van de antwoorden.")
            r.tweede_stem = True

    met_herhaling(actie)


def sluit_tweede_stem(engine: Engine, ronde_id: int, *, door: Gebruiker) -> None:
    """Close the second vote of a ronde (nothing happens when none is open). The votes stay."""
    def actie() -> None:
        with sessie(engine, schrijven=True) as s:
            controleer_ronde(s, door, "workshop", ronde_id)
            r = s.get(Ronde, ronde_id, with_for_update=True)
            if r is None:
                raise ValueError("Deze ronde bestaat niet (meer).")
            r.tweede_stem = False

    met_herhaling(actie)


def bewaar_tweede_stem(engine: Engine, respondent_id: int, kader_id: str, criterium_id: str,
                       score: str | None) -> None:
    """Save a participant's second vote (committed before it returns).

    A participant write, scoped by the respondent: only while the respondent's ronde is
    open, its second vote is open and this criterium is in focus. ``score`` like an
    answer: '3', 'weet_niet' or 'nvt'. Giving it again replaces it. The first vote is
    not touched.
    """
    score = controleer_score(score)
    if score is None:
        raise ValueError("Kies een score.")
    kader_id = schoon_id(kader_id, "kader")
    criterium_id = schoon_id(criterium_id, "criterium")

    def actie() -> None:
        with sessie(engine, schrijven=True) as s:
            resp = s.get(Respondent, respondent_id)
            if resp is None:
                raise ValueError("Onbekende respondent; start de vragenlijst opnieuw.")
            r = open_ronde(s, resp.ronde_id)
            if not r.tweede_stem or (r.huidig_kader, r.huidig_criterium) != (kader_id, criterium_id):
                raise ValueError("De tweede stemronde over dit onderdeel is gesloten.")
            if s.get(RondeKader, (r.id, kader_id)) is None:
                raise ValueError(f"Kader '{kader_id}' hoort niet bij deze ronde.")
            upsert(s, TweedeStem, ("respondent_id", "kader_id", "criterium_id"),
                   dict(respondent_id=respondent_id, kader_id=kader_id, criterium_id=criterium_id,
                        score=score, bijgewerkt=nu()))

    met_herhaling(actie)


def stand_tweede_stem(engine: Engine, ronde_id: int) -> TweedeStemStand:
    """Open or not, the criterium in focus and how many second votes it has (a count only)."""
    with sessie(engine) as s:
        r = s.get(Ronde, ronde_id)
        if r is None:
            return TweedeStemStand(False, None, None, 0)
        aantal = 0
        if r.huidig_kader is not None and r.huidig_criterium is not None:
            aantal = s.scalar(
                select(func.count(TweedeStem.id))
                .join(Respondent, TweedeStem.respondent_id == Respondent.id)
                .where(Respondent.ronde_id == ronde_id, TweedeStem.kader_id == r.huidig_kader,
                       TweedeStem.criterium_id == r.huidig_criterium)
            ) or 0
        return TweedeStemStand(bool(r.tweede_stem) and r.status == STATUS_OPEN, r.huidig_kader,
                               r.huidig_criterium, aantal)


def tweede_stem_van(engine: Engine, respondent_id: int) -> dict[tuple[str, str], str]:
    """A respondent's own second votes: (kader_id, criterium_id) -> score."""
    with sessie(engine) as s:
        rijen = s.execute(
            select(TweedeStem.kader_id, TweedeStem.criterium_id, TweedeStem.score)
            .where(TweedeStem.respondent_id == respondent_id)
        ).all()
    return {(k, c): score for k, c, score in rijen if score is not None}


def tweede_stemmen_df(engine: Engine, ronde_id: int, ook_open: bool = False) -> pd.DataFrame:
    """The second votes of a ronde in the answers format (columns KOLOMMEN, strings,
    toelichting ''), sorted like `storage.antwoorden.antwoorden_df`.

    The votes on a criterium whose second vote is still open are left out unless
    ``ook_open`` (an export of everything): no page or report shows a value of a vote
    in progress, only its count (`stand_tweede_stem`).
    """
    vraag = (
        select(Gemeente.naam, Ronde.label, Respondent.pseudoniem, Respondent.rol,
               TweedeStem.kader_id, TweedeStem.criterium_id, TweedeStem.score)
        .join(Respondent, TweedeStem.respondent_id == Respondent.id)
        .join(Ronde, Respondent.ronde_id == Ronde.id)
        .join(Gemeente, Ronde.gemeente_id == Gemeente.id)
        .where(Ronde.id == ronde_id, TweedeStem.score.is_not(None))
    )
    with sessie(engine) as s:
        r = s.get(Ronde, ronde_id)
        if r is not None and r.tweede_stem and r.status == STATUS_OPEN and not ook_open:
            vraag = vraag.where(~((TweedeStem.kader_id == r.huidig_kader)
                                  & (TweedeStem.criterium_id == r.huidig_criterium)))
        rijen = [(*rij, "") for rij in s.execute(vraag).all()]
    rijen.sort(key=lambda r: tuple(natuurlijk(str(r[i])) for i in (0, 1, 2, 4, 5)))
    return pd.DataFrame(rijen, columns=list(KOLOMMEN), dtype="str")
