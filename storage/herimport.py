"""Answers that arrive again: the counting and skip logic shared by every import of
answers (the uitwisselformaat CSV/Excel and the werkboek in ``storage.importeren``, a
snapshot into its existing ronde in ``storage.snapshot``).

An incoming answer is compared with the stored one of the same respondent, kader and
criterium:

* none stored: **nieuw** - inserted, with an audit row (``antwoord_wijziging``);
* stored with the same score and toelichting: **ongewijzigd** - nothing is written;
* stored with another score or toelichting: **gewijzigd** - the answer is updated and
  an audit row is added, as ``storage.antwoorden.bewaar_antwoord`` does.

Nothing is written before :meth:`Antwoordvergelijker.schrijf`, which the caller runs
only when the whole file is valid, in the import's own transaction.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from storage.models import Antwoord, AntwoordWijziging

NIEUW, GEWIJZIGD, ONGEWIJZIGD = "nieuw", "gewijzigd", "ongewijzigd"


@dataclass(frozen=True)
class Telling:
    """How many answers of an import were new, changed or the same as stored."""

    nieuw: int = 0
    gewijzigd: int = 0
    ongewijzigd: int = 0


class Antwoordvergelijker:
    """Classifies incoming answers against the stored ones; writes them in one go."""

    def __init__(self, s: Session):
        self.s = s
        self._opgeslagen: dict[tuple[int, str, str], tuple[int, str | None, str]] = {}
        self._geladen: set[int] = set()
        self._gezien: set[tuple[int, str, str]] = set()
        self._nieuw: list[dict] = []
        self._gewijzigd: list[dict] = []
        self._ongewijzigd = 0

    def _laad(self, respondent_id: int) -> None:
        if respondent_id in self._geladen:
            return
        self._geladen.add(respondent_id)
        for a in self.s.execute(select(Antwoord.id, Antwoord.kader_id, Antwoord.criterium_id, Antwoord.score,
                                       Antwoord.toelichting).where(Antwoord.respondent_id == respondent_id)):
            self._opgeslagen[(respondent_id, a.kader_id, a.criterium_id)] = (a.id, a.score, a.toelichting or "")

    def soort(self, respondent_id: int, kader_id: str, criterium_id: str, score: str | None,
              toelichting: str) -> str | None:
        """NIEUW, GEWIJZIGD or ONGEWIJZIGD; None when this answer came earlier in this import."""
        sleutel = (respondent_id, kader_id, criterium_id)
        if sleutel in self._gezien:
            return None
        self._laad(respondent_id)
        bestaand = self._opgeslagen.get(sleutel)
        if bestaand is None:
            return NIEUW
        return ONGEWIJZIGD if bestaand[1:] == (score, toelichting or "") else GEWIJZIGD

    def voeg_toe(self, respondent_id: int, kader_id: str, criterium_id: str, score: str | None,
                 toelichting: str) -> str | None:
        """Record an incoming answer; returns its :meth:`soort` (None: a repeat, not recorded)."""
        soort = self.soort(respondent_id, kader_id, criterium_id, score, toelichting)
        if soort is None:
            return None
        sleutel = (respondent_id, kader_id, criterium_id)
        self._gezien.add(sleutel)
        waarden = dict(respondent_id=respondent_id, kader_id=kader_id, criterium_id=criterium_id,
                       score=score, toelichting=toelichting or "")
        if soort == NIEUW:
            self._nieuw.append(waarden)
        elif soort == GEWIJZIGD:
            self._gewijzigd.append({**waarden, "id": self._opgeslagen[sleutel][0]})
        else:
            self._ongewijzigd += 1
        return soort

    def telling(self) -> Telling:
        """The counts so far (nothing written yet)."""
        return Telling(len(self._nieuw), len(self._gewijzigd), self._ongewijzigd)

    def schrijf(self, moment: datetime) -> Telling:
        """Insert the new answers, update the changed ones, one audit row for each; the same
        answers are left alone (no write, no audit row)."""
        if self._nieuw:
            self.s.execute(insert(Antwoord), [{**w, "bijgewerkt": moment} for w in self._nieuw])
        if self._gewijzigd:
            self.s.execute(update(Antwoord), [
                {"id": w["id"], "score": w["score"], "toelichting": w["toelichting"], "bijgewerkt": moment}
                for w in self._gewijzigd])
        spoor = [{k: v for k, v in w.items() if k != "id"} for w in self._nieuw + self._gewijzigd]
        if spoor:
            self.s.execute(insert(AntwoordWijziging), [{**w, "tijdstip": moment} for w in spoor])
        return self.telling()
