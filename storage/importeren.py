"""The import of a validated answers DataFrame (read with ``uitwisselformaat.lees_csv``
or ``lees_xlsx``) into the database: all or nothing, within the actor's scope.

Two phases, so that a large file does not hold the write lock while it is checked
(on SQLite every participant saving an answer waits for that lock):

1. **Check** (:class:`_Voorbereiding`), in a read-only transaction: gemeenten, rondes,
   kader pins, respondents and stored answers are looked up in bulk, every row is
   checked in Python, and what the import will create is planned with placeholder
   keys. Any problem: :class:`UitwisselFout` listing every row, nothing written.
2. **Write** (:func:`_schrijf`), in one short write transaction: everything that may
   have changed since the check is checked again (a gemeente, ronde or respondent the
   import would create now exists, a ronde was closed or deleted, a respondent was
   deleted, the scope of ``door``), the stored answers are compared again (an answer
   saved in between counts), then gemeenten, rondes, pins, respondents, answers and
   audit rows are written with SQLAlchemy Core ``executemany`` in chunks (PostgreSQL:
   COPY). A conflict is a Dutch :class:`UitwisselFout` naming the row and column;
   nothing is written.

On a SQLite file, between the two phases, the answers of respondents the import
creates are put ready in a temporary table of the connection that will write
(``Antwoordvergelijker.zet_klaar``; no write lock needed), so that inside the lock
they are copied by ``INSERT ... SELECT``: for 100,800 new answers the lock is held
about 0.3 s instead of 0.5 s (``make bench``, ``import_100k``).

Errors are :class:`uitwisselformaat.UitwisselFout` (a ValueError) with row and column.
"""
from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from storage import herimport
from storage.bereik import BuitenBereik, controleer
from storage.db import met_herhaling, schrijversrij, sessie
from storage.herimport import ONGEWIJZIGD, Antwoordvergelijker, in_blokken
from storage.models import Gemeente, Respondent, Ronde, RondeKader, nu
from storage.records import ImportResultaat
from storage.rondes import nieuwe_ronde
from toegang import Gebruiker
from uitwisselformaat import KOLOMMEN, MAX_TOELICHTING, Melding, UitwisselFout, verboden_teken
from uitwisselformaat.waarden import STATUS_GESLOTEN, STATUS_OPEN

_ID_KOLOMMEN = ("gemeente", "ronde", "respondent", "rol", "kader", "criterium", "score")
_OPNIEUW = "Er is niets geïmporteerd; importeer het bestand opnieuw."


@dataclass
class _Ronde:
    """A ronde the file writes into: ``sleutel`` is its id, or a negative placeholder when new."""

    sleutel: int
    gemeente: str
    label: str
    status: str
    rij: int | None  # the first row that names it


@dataclass
class _Respondent:
    sleutel: int  # id, or a negative placeholder when the import creates it
    ronde: int  # the _Ronde.sleutel
    rol: str
    pseudoniem: str
    rij: int | None = None


@dataclass
class _Plan:
    """What the check found and the write will do (placeholders: negative keys)."""

    gemeenten: dict[str, int | None] = field(default_factory=dict)  # naam -> id/placeholder, None: refused
    gemeente_demo: dict[str, bool] = field(default_factory=dict)
    gemeente_rij: dict[str, int | None] = field(default_factory=dict)
    rondes: dict[tuple[str, str], _Ronde] = field(default_factory=dict)
    pins: dict[tuple[int, str], str | None] = field(default_factory=dict)  # new pins: versie; known: None
    respondenten: dict[str, _Respondent] = field(default_factory=dict)


class _Voorbereiding:
    """Checks one uitwisselformaat DataFrame against a read-only session; writes nothing."""

    def __init__(self, kader_versies: dict[str, str], door: Gebruiker, bestand: str):
        self.kader_versies, self.door, self.bestand = kader_versies, door, bestand
        self.demo = door.demo  # new gemeenten and rondes are demo exactly when the actor is
        self.meldingen: list[Melding] = []
        self.plan = _Plan()
        self.antwoorden = Antwoordvergelijker()
        self._gemeenten: dict[str, tuple[int, bool]] = {}
        self._rondes: dict[tuple[int, str], tuple[int, str]] = {}
        self._respondenten: dict[str, tuple[int, int, str]] = {}
        self._nieuwe_gemeenten = 0

    def fout(self, rij: int | None, kolom: str, tekst: str) -> None:
        self.meldingen.append(Melding(tekst, rij, kolom, self.bestand))

    def zoek_op(self, s: Session, gemeenten: set[str], pseudoniemen: set[str]) -> None:
        """Everything stored that the rows may refer to, in a few bulk queries."""
        for blok in in_blokken(sorted(gemeenten)):
            for gid, naam, demo in s.execute(select(Gemeente.id, Gemeente.naam, Gemeente.demo)
                                             .where(Gemeente.naam.in_(blok))):
                self._gemeenten[naam] = (gid, bool(demo))
        ronde_ids = []
        for blok in in_blokken(sorted(gid for gid, _ in self._gemeenten.values())):
            for rid, gid, label, status in s.execute(select(Ronde.id, Ronde.gemeente_id, Ronde.label, Ronde.status)
                                                     .where(Ronde.gemeente_id.in_(blok))):
                self._rondes[(gid, label)] = (rid, status)
                ronde_ids.append(rid)
        for blok in in_blokken(ronde_ids):
            for rid, kader_id in s.execute(select(RondeKader.ronde_id, RondeKader.kader_id)
                                           .where(RondeKader.ronde_id.in_(blok))):
                self.plan.pins[(rid, kader_id)] = None
        for blok in in_blokken(sorted(pseudoniemen)):
            for rid, pseudoniem, ronde_id, rol in s.execute(
                    select(Respondent.id, Respondent.pseudoniem, Respondent.ronde_id, Respondent.rol)
                    .where(Respondent.pseudoniem.in_(blok))):
                self._respondenten[pseudoniem] = (rid, ronde_id, rol)
        self.antwoorden.laad(s, (rid for rid, _, _ in self._respondenten.values()))

    def gemeente_id(self, rij: int | None, naam: str) -> int | None:
        """The gemeente's id (a placeholder when new); None (once, with a melding naming it)
        when it is outside the actor's scope: then the whole file is refused."""
        plan = self.plan
        if naam not in plan.gemeenten:
            bestaand = self._gemeenten.get(naam)
            demo = self.demo if bestaand is None else bestaand[1]
            try:
                controleer(self.door, "importeren", naam, demo)
            except BuitenBereik as e:
                self.fout(rij, "gemeente", f"{e} Niets geïmporteerd.")
                plan.gemeenten[naam] = None
                return None
            if bestaand is None:
                self._nieuwe_gemeenten += 1
            plan.gemeenten[naam] = bestaand[0] if bestaand else -self._nieuwe_gemeenten
            plan.gemeente_demo[naam], plan.gemeente_rij[naam] = demo, rij
        return plan.gemeenten[naam]

    def ronde(self, rij: int | None, gemeente: str, label: str, kader_id: str) -> _Ronde | None:
        plan = self.plan
        sleutel = (gemeente, label)
        if sleutel not in plan.rondes:
            gid = self.gemeente_id(rij, gemeente)
            if gid is None:
                return None
            bestaand = self._rondes.get((gid, label)) if gid > 0 else None
            if bestaand is None:
                plan.rondes[sleutel] = _Ronde(-(1 + len(plan.rondes)), gemeente, label, STATUS_OPEN, rij)
            else:
                plan.rondes[sleutel] = _Ronde(bestaand[0], gemeente, label, bestaand[1], rij)
        r = plan.rondes[sleutel]
        if (r.sleutel, kader_id) not in plan.pins:
            if kader_id not in self.kader_versies:
                self.fout(rij, "kader", f"van kader '{kader_id}' is geen versie bekend.")
                return None
            plan.pins[(r.sleutel, kader_id)] = str(self.kader_versies[kader_id])
        return r

    def respondent(self, rij: int | None, pseudoniem: str, rol: str, ronde: _Ronde) -> int | None:
        plan = self.plan
        r = plan.respondenten.get(pseudoniem)
        if r is None:
            bestaand = self._respondenten.get(pseudoniem)
            if bestaand is None:
                r = _Respondent(-(1 + len(plan.respondenten)), ronde.sleutel, rol, pseudoniem, rij)
            else:
                r = _Respondent(*bestaand, pseudoniem, rij)
            plan.respondenten[pseudoniem] = r
        if r.ronde != ronde.sleutel:
            self.fout(rij, "respondent", f"respondent '{pseudoniem}' hoort al bij een andere ronde.")
            return None
        if r.rol != rol:
            self.fout(rij, "rol", f"respondent '{pseudoniem}' heeft al de rol '{r.rol}'.")
            return None
        return r.sleutel

    def rij(self, rij: int | None, w: dict[str, str], tekens: dict[str, str | None]) -> None:
        """Check one row and record its answer as new, changed or unchanged; a melding when it
        cannot be imported. ``tekens``: per column, the forbidden character in its cell (if any)."""
        for kolom in _ID_KOLOMMEN:
            teken = tekens.get(kolom)
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
        rid = self.respondent(rij, w["respondent"], w["rol"], r)
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


def _kolommen(df: pd.DataFrame) -> dict[str, tuple[list[int], list[str]]]:
    """Per column: the code of each row and the distinct cell texts (code -1, an empty
    cell, is the last one). No string per cell is made: most columns have few values."""
    uit = {}
    for kolom in KOLOMMEN:
        codes, uniek = pd.factorize(df[kolom], use_na_sentinel=True)
        uit[kolom] = (codes.tolist(), [_cel(v) for v in uniek] + [""])
    return uit


def _voorbereid(engine: Engine, df: pd.DataFrame, kader_versies: dict[str, str], door: Gebruiker,
                bestand: str) -> _Voorbereiding:
    """Phase 1: check every row in a read-only transaction; UitwisselFout when any is wrong."""
    kolommen = _kolommen(df)
    rijnummers = df.index.tolist() if df.index.name == "rij" else None
    tekens = {k: [verboden_teken(v) for v in kolommen[k][1]] for k in _ID_KOLOMMEN}
    tekens = {k: t for k, t in tekens.items() if any(x is not None for x in t)}
    imp = _Voorbereiding(kader_versies, door, bestand)
    with sessie(engine) as s:
        imp.zoek_op(s, set(kolommen["gemeente"][1]), set(kolommen["respondent"][1]))
    codes = [kolommen[k][0] for k in KOLOMMEN]
    waarden = [kolommen[k][1] for k in KOLOMMEN]
    for i, rij_codes in enumerate(zip(*codes)):
        w = {k: waarden[j][c] for j, (k, c) in enumerate(zip(KOLOMMEN, rij_codes))}
        cel_tekens = {k: t[kolommen[k][0][i]] for k, t in tekens.items()} if tekens else {}
        imp.rij(rijnummers[i] if rijnummers is not None else None, w, cel_tekens)
    if imp.meldingen:
        raise UitwisselFout(imp.meldingen)
    return imp


class _Conflict(Exception):
    """Something changed between the check and the write (a Melding to report)."""

    def __init__(self, melding: Melding):
        super().__init__(str(melding))
        self.melding = melding


def _conflict(imp: _Voorbereiding, rij: int | None, kolom: str, tekst: str) -> _Conflict:
    return _Conflict(Melding(f"{tekst} {_OPNIEUW}", rij, kolom, imp.bestand))


def _ids(s: Session, kolom, waarden: list) -> set:
    gevonden = set()
    for blok in in_blokken(waarden):
        gevonden.update(s.scalars(select(kolom).where(kolom.in_(blok))))
    return gevonden


def _schrijf_gemeenten(s: Session, imp: _Voorbereiding) -> dict[str, int]:
    plan, ids = imp.plan, {}
    bestaand = {naam: gid for naam, gid in plan.gemeenten.items() if gid is not None and gid > 0}
    nu_er = {gid: (naam, demo) for gid, naam, demo in s.execute(
        select(Gemeente.id, Gemeente.naam, Gemeente.demo).where(Gemeente.id.in_(list(bestaand.values()))))}
    for naam, gid in bestaand.items():
        if gid not in nu_er:
            raise _conflict(imp, plan.gemeente_rij[naam], "gemeente",
                            f"gemeente '{naam}' is verwijderd terwijl het bestand werd gecontroleerd.")
        try:
            controleer(imp.door, "importeren", naam, nu_er[gid][1])
        except BuitenBereik as e:
            raise _Conflict(Melding(f"{e} Niets geïmporteerd.", plan.gemeente_rij[naam], "gemeente",
                                    imp.bestand)) from None
        ids[naam] = gid
    nieuw = [naam for naam, gid in plan.gemeenten.items() if gid is not None and gid < 0]
    al = _ids(s, Gemeente.naam, nieuw)
    for naam in nieuw:
        if naam in al:
            raise _conflict(imp, plan.gemeente_rij[naam], "gemeente",
                            f"gemeente '{naam}' is aangemaakt terwijl het bestand werd gecontroleerd.")
        g = Gemeente(naam=naam, demo=plan.gemeente_demo[naam])
        s.add(g)
        s.flush()
        ids[naam] = g.id
    return ids


def _schrijf_rondes(s: Session, imp: _Voorbereiding, gemeente_ids: dict[str, int], veranderd: set[int]) -> dict[int, int]:
    """Check the rondes again (locked against a status change on PostgreSQL), create the new
    ones; returns ronde key -> id. ``veranderd``: the ronde keys that get new or changed answers."""
    plan, ids = imp.plan, {}
    bestaand = [r for r in plan.rondes.values() if r.sleutel > 0]
    status = {}
    for blok in in_blokken([r.sleutel for r in bestaand]):
        status.update((rid, st) for rid, st in s.execute(select(Ronde.id, Ronde.status).where(Ronde.id.in_(blok))
                                                         .with_for_update(read=True)))
    for r in bestaand:
        if r.sleutel not in status:
            raise _conflict(imp, r.rij, "ronde", f"de ronde '{r.label}' van {r.gemeente} is verwijderd terwijl "
                                                 "het bestand werd gecontroleerd.")
        if status[r.sleutel] == STATUS_GESLOTEN and r.sleutel in veranderd:
            wanneer = "is gesloten terwijl het bestand werd gecontroleerd" if r.status != STATUS_GESLOTEN \
                else "is gesloten"
            raise _conflict(imp, r.rij, "ronde", f"de ronde '{r.label}' van {r.gemeente} {wanneer}; er kunnen "
                                                 "geen antwoorden meer bij of veranderen.")
        ids[r.sleutel] = r.sleutel
    for r in plan.rondes.values():
        if r.sleutel > 0:
            continue
        gid = gemeente_ids[r.gemeente]
        if s.scalar(select(Ronde.id).where(Ronde.gemeente_id == gid, Ronde.label == r.label)) is not None:
            raise _conflict(imp, r.rij, "ronde", f"de ronde '{r.label}' van {r.gemeente} is aangemaakt terwijl "
                                                 "het bestand werd gecontroleerd.")
        ids[r.sleutel] = nieuwe_ronde(s, gid, r.label, {}, plan.gemeente_demo[r.gemeente]).id
    nieuw = {(ids[r], k): v for (r, k), v in plan.pins.items() if v is not None}
    al = set()
    for blok in in_blokken(sorted({r for r, _ in nieuw if r in status})):
        al.update((r, k) for r, k in s.execute(select(RondeKader.ronde_id, RondeKader.kader_id)
                                               .where(RondeKader.ronde_id.in_(blok))))
    pins = [{"ronde_id": r, "kader_id": k, "kader_versie": v} for (r, k), v in nieuw.items() if (r, k) not in al]
    if pins:
        s.connection().execute(insert(RondeKader.__table__), pins)
    return ids


def _schrijf_respondenten(s: Session, imp: _Voorbereiding, ronde_ids: dict[int, int], moment) -> dict[int, int]:
    """Check the respondents again and insert the new ones; returns placeholder -> id."""
    plan = imp.plan
    bestaand = [r for r in plan.respondenten.values() if r.sleutel > 0]
    nog_er = _ids(s, Respondent.id, [r.sleutel for r in bestaand])
    for r in bestaand:
        if r.sleutel not in nog_er:
            raise _conflict(imp, r.rij, "respondent", f"respondent '{r.pseudoniem}' is verwijderd terwijl het "
                                                      "bestand werd gecontroleerd.")
    nieuw = [r for r in plan.respondenten.values() if r.sleutel < 0]
    al = _ids(s, Respondent.pseudoniem, [r.pseudoniem for r in nieuw])
    for r in nieuw:
        if r.pseudoniem in al:
            raise _conflict(imp, r.rij, "respondent", f"respondent '{r.pseudoniem}' is aangemaakt terwijl het "
                                                      "bestand werd gecontroleerd.")
    tabel = Respondent.__table__
    ids = {}
    for blok in in_blokken(nieuw, herimport.BLOK):
        uit = s.connection().execute(
            insert(tabel).returning(tabel.c.id, sort_by_parameter_order=True),
            [{"ronde_id": ronde_ids[r.ronde], "pseudoniem": r.pseudoniem, "rol": r.rol, "aangemaakt": moment}
             for r in blok])
        ids.update(zip((r.sleutel for r in blok), uit.scalars()))
    return ids


def _schrijf(s: Session, imp: _Voorbereiding) -> ImportResultaat:
    """Phase 2, inside the write transaction: check again what may have changed, then write."""
    plan, vergelijker = imp.plan, imp.antwoorden
    vergelijker.ververs(s)  # answers saved since the check count
    per_respondent = {r.sleutel: r.ronde for r in plan.respondenten.values()}
    veranderd = {per_respondent.get(rid) for rid in vergelijker.veranderd()}
    veranderd |= {r.ronde for r in plan.respondenten.values() if r.sleutel < 0}
    moment = nu()
    gemeente_ids = _schrijf_gemeenten(s, imp)
    ronde_ids = _schrijf_rondes(s, imp, gemeente_ids, veranderd)
    respondent_ids = _schrijf_respondenten(s, imp, ronde_ids, moment)
    telling = vergelijker.schrijf(moment, s, respondent_ids)
    return ImportResultaat(
        gemeenten=sum(1 for g in plan.gemeenten.values() if g is not None and g < 0),
        rondes=sum(1 for r in plan.rondes.values() if r.sleutel < 0), respondenten=len(respondent_ids),
        antwoorden=telling.nieuw, gewijzigd=telling.gewijzigd, ongewijzigd=telling.ongewijzigd)


def _is_uniek_conflict(exc: IntegrityError) -> bool:
    """A unique violation (someone created the same row at the same moment), not e.g. a foreign key."""
    orig = exc.orig
    return getattr(orig, "sqlstate", None) == "23505" or "unique constraint failed" in str(orig).lower()


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

    The rows are checked before the write transaction starts (see the module doc), so
    participants saving answers meanwhile wait only for the short write itself; what
    changed in between (a ronde closed, a respondent or ronde created or deleted) is a
    UitwisselFout too, and an answer saved in between is compared as it is stored then.
    """
    ontbrekend = [k for k in KOLOMMEN if k not in df.columns]
    if ontbrekend:
        raise ValueError(f"Kolommen ontbreken: {', '.join(ontbrekend)}.")
    imp = _voorbereid(engine, df, kader_versies, door, bestand)

    def actie(verbinding: Connection | None = None) -> ImportResultaat:
        try:
            with sessie(engine, schrijven=True, verbinding=verbinding) as s:
                return _schrijf(s, imp)
        except _Conflict as c:
            raise UitwisselFout([c.melding]) from None
        except IntegrityError as exc:
            if not _is_uniek_conflict(exc):
                raise
            raise UitwisselFout([Melding(f"iemand anders schreef tegelijk dezelfde gegevens weg. {_OPNIEUW}",
                                         None, None, bestand)]) from exc

    if schrijversrij(engine) is None:  # PostgreSQL (COPY) or SQLite in memory
        return met_herhaling(actie)
    with engine.connect() as verbinding:  # SQLite file: put the new answers ready before the lock
        try:
            with verbinding.begin():
                imp.antwoorden.zet_klaar(verbinding)
            return met_herhaling(lambda: actie(verbinding))
        finally:
            with suppress(SQLAlchemyError), verbinding.begin():  # not masking the import's own error;
                herimport.ruim_op(verbinding)  # a table left behind is dropped by the next zet_klaar
