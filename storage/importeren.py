"""The import of a validated answers DataFrame (read with ``uitwisselformaat.lees_csv``
or ``lees_xlsx``) into the database: all or nothing, within the actor's scope.

Errors are :class:`uitwisselformaat.UitwisselFout` (a ValueError) with row and column.
"""
from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from storage.bereik import BuitenBereik, controleer
from storage.db import met_herhaling, sessie
from storage.herimport import ONGEWIJZIGD, Antwoordvergelijker
from storage.models import Gemeente, Respondent, Ronde, RondeKader, nu
from storage.records import ImportResultaat
from storage.rondes import nieuwe_ronde
from toegang import Gebruiker
from uitwisselformaat import KOLOMMEN, MAX_TOELICHTING, Melding, UitwisselFout, verboden_teken
from uitwisselformaat.waarden import STATUS_GESLOTEN


class _Importeur:
    """Resolves and inserts one validated uitwisselformaat DataFrame in a session."""

    def __init__(self, s: Session, kader_versies: dict[str, str], door: Gebruiker, bestand: str):
        self.s, self.kader_versies, self.door, self.bestand = s, kader_versies, door, bestand
        self.demo = door.demo  # new gemeenten and rondes are demo exactly when the actor is
        self.meldingen: list[Melding] = []
        self.gemeenten: dict[str, int | None] = {}
        self.rondes: dict[tuple[str, str], Ronde] = {}
        self.respondenten: dict[str, Respondent] = {}
        self.antwoorden = Antwoordvergelijker(s)
        self.nieuw = {"gemeenten": 0, "rondes": 0, "respondenten": 0, "antwoorden": 0}

    def fout(self, rij: int | None, kolom: str, tekst: str) -> None:
        self.meldingen.append(Melding(tekst, rij, kolom, self.bestand))

    def gemeente_id(self, rij: int | None, naam: str) -> int | None:
        """The gemeente's id, created when new; None (once, with a melding naming it)
        when it is outside the actor's scope: then the whole file is refused."""
        if naam not in self.gemeenten:
            g = self.s.scalar(select(Gemeente).where(Gemeente.naam == naam))
            try:
                controleer(self.door, "importeren", naam, self.demo if g is None else g.demo)
            except BuitenBereik as e:
                self.fout(rij, "gemeente", f"{e} Niets geïmporteerd.")
                self.gemeenten[naam] = None
                return None
            if g is None:
                g = Gemeente(naam=naam, demo=self.demo)
                self.s.add(g)
                self.s.flush()
                self.nieuw["gemeenten"] += 1
            self.gemeenten[naam] = g.id
        return self.gemeenten[naam]

    def ronde(self, rij: int | None, gemeente: str, label: str, kader_id: str) -> Ronde | None:
        sleutel = (gemeente, label)
        if sleutel not in self.rondes:
            gid = self.gemeente_id(rij, gemeente)
            if gid is None:
                return None
            r = self.s.scalar(select(Ronde).where(Ronde.gemeente_id == gid, Ronde.label == label))
            if r is None:
                r = nieuwe_ronde(self.s, gid, label, {}, self.s.get(Gemeente, gid).demo)
                self.nieuw["rondes"] += 1
            self.rondes[sleutel] = r
        r = self.rondes[sleutel]
        if self.s.get(RondeKader, (r.id, kader_id)) is None:
            if kader_id not in self.kader_versies:
                self.fout(rij, "kader", f"van kader '{kader_id}' is geen versie bekend.")
                return None
            self.s.add(RondeKader(ronde_id=r.id, kader_id=kader_id,
                                  kader_versie=str(self.kader_versies[kader_id])))
            self.s.flush()
        return r

    def respondent_id(self, rij: int | None, pseudoniem: str, rol: str, ronde: Ronde) -> int | None:
        if pseudoniem not in self.respondenten:
            r = self.s.scalar(select(Respondent).where(Respondent.pseudoniem == pseudoniem))
            if r is None:
                r = Respondent(ronde_id=ronde.id, pseudoniem=pseudoniem, rol=rol, aangemaakt=nu())
                self.s.add(r)
                self.s.flush()
                self.nieuw["respondenten"] += 1
            self.respondenten[pseudoniem] = r
        r = self.respondenten[pseudoniem]
        if r.ronde_id != ronde.id:
            self.fout(rij, "respondent", f"respondent '{pseudoniem}' hoort al bij een andere ronde.")
            return None
        if r.rol != rol:
            self.fout(rij, "rol", f"respondent '{pseudoniem}' heeft al de rol '{r.rol}'.")
            return None
        return r.id

    def rij(self, rij: int | None, w: dict[str, str]) -> None:
        """Check one row and record its answer as new, changed or unchanged; a melding when it
        cannot be imported."""
        for kolom in ("gemeente", "ronde", "respondent", "rol", "kader", "criterium", "score"):
            teken = verboden_teken(w[kolom])
            if teken is not None:  # lees_csv refuses these too; a DataFrame may come from elsewhere
                self.fout(rij, kolom, f"deze cel bevat een teken dat daar niet mag: {teken}.")
                return
        if len(w["toelichting"]) > MAX_TOELICHTING:
            self.fout(rij, "toelichting", (
                f"de toelichting is {len(w['toelichting'])} tekens lang; in de vragenlijst kan dat "
                f"hoogstens {MAX_TOELICHTING}. Kort hem in."))
            return
        r = self.ronde(rij, w["gemeente"], w["ronde"], w["kader"])
        if r is None:
            return
        rid = self.respondent_id(rij, w["respondent"], w["rol"], r)
        if rid is None:
            return
        score, toelichting = w["score"] or None, w["toelichting"] or ""
        soort = self.antwoorden.soort(rid, w["kader"], w["criterium"], score, toelichting)
        if soort is None:
            self.fout(rij, "criterium", (
                f"respondent '{w['respondent']}' heeft criterium '{w['criterium']}' van kader "
                f"'{w['kader']}' eerder in dit bestand al beantwoord."))
        elif soort != ONGEWIJZIGD and r.status == STATUS_GESLOTEN:
            # re-importing the same answers of a closed ronde is fine; changing them is not
            self.fout(rij, "ronde", f"de ronde '{w['ronde']}' van {w['gemeente']} is gesloten; dit antwoord "
                                    f"is {soort} en kan daar niet meer in.")
        else:
            self.antwoorden.voeg_toe(rid, w["kader"], w["criterium"], score, toelichting)


def _cel(waarde) -> str:
    return "" if waarde is None or (isinstance(waarde, float) and waarde != waarde) else str(waarde)


def importeer_antwoorden(
    engine: Engine,
    df: pd.DataFrame,
    kader_versies: dict[str, str],
    bestand: str = "",
    *,
    door: Gebruiker,
) -> ImportResultaat:
    """Import a validated uitwisselformaat DataFrame (see ``lees_csv``), all or nothing.

    Every gemeente in the file must be in the scope of ``door`` (the acting staff
    member): a demo account only writes into demo gemeenten, a facilitator only into
    their own. One gemeente outside it refuses the whole file, naming that gemeente.

    Gemeenten and rondes are matched by name/label and created when missing
    (new rondes are pinned to ``kader_versies``); respondents are matched by
    the pseudonym in the file. A row equal to the stored answer is skipped, a row
    with another score or toelichting updates it with an audit row
    (``storage.herimport``), so importing your own export again changes nothing.
    Refused, with nothing written, when a pseudonym belongs to another ronde or rol,
    a respondent answers a criterium twice in the file, or a row would add or change
    an answer in a closed ronde. Raises UitwisselFout listing every problem, with
    row numbers when the DataFrame index is the ``rij`` index from ``lees_csv``.
    """
    ontbrekend = [k for k in KOLOMMEN if k not in df.columns]
    if ontbrekend:
        raise ValueError(f"Kolommen ontbreken: {', '.join(ontbrekend)}.")
    rijnummers = df.index if df.index.name == "rij" else [None] * len(df)
    records = [
        (rij, {k: _cel(v) for k, v in zip(KOLOMMEN, waarden)})
        for rij, waarden in zip(rijnummers, df[list(KOLOMMEN)].itertuples(index=False, name=None))
    ]

    def actie() -> ImportResultaat:
        with sessie(engine, schrijven=True) as s:
            imp = _Importeur(s, kader_versies, door, bestand)
            for rij, r in records:
                imp.rij(rij, r)
            if imp.meldingen:
                raise UitwisselFout(imp.meldingen)
            telling = imp.antwoorden.schrijf(nu())
            imp.nieuw["antwoorden"] = telling.nieuw
            return ImportResultaat(**imp.nieuw, gewijzigd=telling.gewijzigd, ongewijzigd=telling.ongewijzigd)

    return met_herhaling(actie)
