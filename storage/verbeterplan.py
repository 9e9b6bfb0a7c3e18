"""The verbeterplan of a ronde: SMART actions with a full audit trail, the previous
ronde of a gemeente, and carrying last ronde's actions over to this one."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from storage.bereik import controleer_ronde
from storage.controle import MAX_ID, open_ronde, schoon_id
from storage.db import met_herhaling, sessie
from storage.models import Ronde, RondeKader, Verbeteractie, VerbeteractieWijziging, nu
from storage.records import ActieInfo, ActieWijzigingInfo, RondeInfo, utc
from storage.rondes import ronde_infos
from toegang import Gebruiker
from uitwisselformaat import schone_tekst
from uitwisselformaat.waarden import ACTIE_GEPLAND, ACTIE_STATUSSEN, STATUS_GESLOTEN

# The fields of an action that are copied into each audit snapshot.
ACTIE_VELDEN = (
    "kader_id", "criterium_id", "bron_actie_id", "wat", "eigenaar", "deadline", "meting",
    "status", "effect", "overgenomen_van",
)
# What wijzig_actie may change.
ACTIE_WIJZIGBAAR = ("kader_id", "criterium_id", "wat", "eigenaar", "deadline", "meting",
                    "status", "effect")
MAX_EIGENAAR = 200
_PLAN_GESLOTEN = "het verbeterplan kan niet meer worden gewijzigd"


def _actie_info(a: Verbeteractie) -> ActieInfo:
    return ActieInfo(
        a.id, a.ronde_id, a.kader_id, a.criterium_id, a.bron_actie_id, a.wat, a.eigenaar,
        a.deadline, a.meting, a.status, a.effect, a.overgenomen_van,
        utc(a.aangemaakt), utc(a.bijgewerkt),
    )


def _actie_wijziging_info(w: VerbeteractieWijziging) -> ActieWijzigingInfo:
    return ActieWijzigingInfo(
        w.actie_id, w.ronde_id, w.gebeurtenis, w.kader_id, w.criterium_id, w.bron_actie_id,
        w.wat, w.eigenaar, w.deadline, w.meting, w.status, w.effect, w.overgenomen_van,
        utc(w.tijdstip),
    )


def log_actie(s: Session, a: Verbeteractie, gebeurtenis: str, moment: datetime) -> None:
    """Append the audit snapshot of ``a`` (which must have an id: flush first)."""
    s.add(VerbeteractieWijziging(
        ronde_id=a.ronde_id, actie_id=a.id, gebeurtenis=gebeurtenis, tijdstip=moment,
        **{k: getattr(a, k) for k in ACTIE_VELDEN},
    ))


def _schone_actievelden(velden: dict[str, Any]) -> dict[str, Any]:
    """Validated and normalised action fields; ValueError (Dutch) for bad ones."""
    onbekend = sorted(set(velden) - set(ACTIE_WIJZIGBAAR))
    if onbekend:
        raise ValueError(
            f"Onbekend veld voor een actie: {', '.join(onbekend)}; "
            f"kies uit {', '.join(ACTIE_WIJZIGBAAR)}."
        )
    schoon: dict[str, Any] = {}
    for k, v in velden.items():
        if k == "kader_id":
            schoon[k] = schoon_id(v, "kader")
        elif k == "criterium_id":
            schoon[k] = schoon_id(v, "criterium") if v not in (None, "") else None
        elif k == "wat":
            v = schone_tekst(str(v or "")).strip()
            if not v:
                raise ValueError("Beschrijf wat er gaat gebeuren.")
            schoon[k] = v
        elif k == "eigenaar":
            v = schone_tekst(str(v or "")).strip()
            if len(v) > MAX_EIGENAAR:
                raise ValueError(f"De eigenaar mag maximaal {MAX_EIGENAAR} tekens hebben.")
            schoon[k] = v
        elif k == "deadline":
            schoon[k] = _schone_deadline(v)
        elif k == "status":
            v = str(v or "").strip().lower()
            if v not in ACTIE_STATUSSEN:
                raise ValueError(
                    f"Onbekende status '{v}'; kies uit {', '.join(ACTIE_STATUSSEN)}."
                )
            schoon[k] = v
        else:  # meting, effect
            schoon[k] = schone_tekst(str(v or "")).strip()
    return schoon


def _schone_deadline(waarde) -> date | None:
    if waarde in (None, ""):
        return None
    if isinstance(waarde, datetime):
        return waarde.date()
    if isinstance(waarde, date):
        return waarde
    try:
        return date.fromisoformat(str(waarde).strip())
    except ValueError:
        raise ValueError(f"'{waarde}' is geen geldige datum (gebruik JJJJ-MM-DD).") from None


def _schone_bron_actie(bron_actie_id: str | None) -> str | None:
    bron_actie_id = (bron_actie_id or "").strip()
    if len(bron_actie_id) > MAX_ID:
        raise ValueError(f"De code van de bronactie is te lang (maximaal {MAX_ID} tekens).")
    return bron_actie_id or None


def _controleer_kader(s: Session, ronde_id: int, kader_id: str) -> None:
    if s.get(RondeKader, (ronde_id, kader_id)) is None:
        raise ValueError(f"Kader '{kader_id}' hoort niet bij deze ronde.")


def maak_actie(
    engine: Engine,
    ronde_id: int,
    kader_id: str,
    criterium_id: str | None,
    wat: str,
    eigenaar: str = "",
    deadline: date | str | None = None,
    meting: str = "",
    bron_actie_id: str | None = None,
    *,
    door: Gebruiker,
) -> ActieInfo:
    """Add an action (status 'gepland') to the verbeterplan of an open ronde.

    ``kader_id`` must be pinned to the ronde; ``criterium_id`` may be None for an
    action about the kader as a whole. ``bron_actie_id`` is the id in the action
    library when the action came from a suggestion. ``deadline`` is a date or
    'JJJJ-MM-DD'. Writes the first audit row ('aangemaakt').
    """
    velden = _schone_actievelden(dict(
        kader_id=kader_id, criterium_id=criterium_id, wat=wat, eigenaar=eigenaar,
        deadline=deadline, meting=meting,
    ))
    velden["bron_actie_id"] = _schone_bron_actie(bron_actie_id)

    def actie() -> ActieInfo:
        with sessie(engine, schrijven=True) as s:
            controleer_ronde(s, door, "ronde_beheren", ronde_id)
            open_ronde(s, ronde_id, _PLAN_GESLOTEN)
            _controleer_kader(s, ronde_id, velden["kader_id"])
            moment = nu()
            a = Verbeteractie(ronde_id=ronde_id, status=ACTIE_GEPLAND, effect="",
                              aangemaakt=moment, bijgewerkt=moment, **velden)
            s.add(a)
            s.flush()
            log_actie(s, a, "aangemaakt", moment)
            return _actie_info(a)

    return met_herhaling(actie)


def _actie_in_open_ronde(s: Session, actie_id: int, door: Gebruiker) -> Verbeteractie:
    a = s.get(Verbeteractie, actie_id)
    if a is None:
        raise ValueError("Deze actie bestaat niet (meer).")
    controleer_ronde(s, door, "ronde_beheren", a.ronde_id)
    open_ronde(s, a.ronde_id, _PLAN_GESLOTEN)
    return a


def wijzig_actie(engine: Engine, actie_id: int, *, door: Gebruiker, **velden) -> ActieInfo:
    """Change fields of an action (any of ACTIE_WIJZIGBAAR: kader_id,
    criterium_id, wat, eigenaar, deadline, meting, status, effect) and append
    a full snapshot to its audit trail ('gewijzigd'), also when nothing changed.

    ``status`` is 'gepland', 'bezig', 'gerealiseerd' or 'gestopt'. ValueError
    (Dutch) for an unknown action or field, a bad value or a closed ronde.
    """
    schoon = _schone_actievelden(velden)

    def actie() -> ActieInfo:
        with sessie(engine, schrijven=True) as s:
            a = _actie_in_open_ronde(s, actie_id, door)
            if "kader_id" in schoon:
                _controleer_kader(s, a.ronde_id, schoon["kader_id"])
            moment = nu()
            for k, v in schoon.items():
                setattr(a, k, v)
            a.bijgewerkt = moment
            s.flush()
            log_actie(s, a, "gewijzigd", moment)
            return _actie_info(a)

    return met_herhaling(actie)


def verwijder_actie(engine: Engine, actie_id: int, *, door: Gebruiker) -> None:
    """Delete an action from the verbeterplan of an open ronde. Its audit trail
    stays, ending with a 'verwijderd' snapshot; it goes when the ronde is deleted."""
    def actie() -> None:
        with sessie(engine, schrijven=True) as s:
            a = _actie_in_open_ronde(s, actie_id, door)
            log_actie(s, a, "verwijderd", nu())
            s.delete(a)

    met_herhaling(actie)


def acties_van(engine: Engine, ronde_id: int) -> list[ActieInfo]:
    """The verbeterplan of a ronde, in the order the actions were added."""
    with sessie(engine) as s:
        rijen = s.scalars(
            select(Verbeteractie).where(Verbeteractie.ronde_id == ronde_id)
            .order_by(Verbeteractie.id)
        )
        return [_actie_info(a) for a in rijen]


def actie_wijzigingen(engine: Engine, actie_id: int) -> list[ActieWijzigingInfo]:
    """The audit trail of one action, oldest first (also after it was deleted)."""
    with sessie(engine) as s:
        rijen = s.scalars(
            select(VerbeteractieWijziging)
            .where(VerbeteractieWijziging.actie_id == actie_id)
            .order_by(VerbeteractieWijziging.id)
        )
        return [_actie_wijziging_info(w) for w in rijen]


def _vorige_ronde_id(s: Session, ronde_id: int) -> int | None:
    r = s.get(Ronde, ronde_id)
    if r is None:
        raise ValueError("Deze ronde bestaat niet (meer).")
    volgorde = s.execute(
        select(Ronde.id, Ronde.aangemaakt).where(Ronde.gemeente_id == r.gemeente_id)
    ).all()
    eerder = [
        (utc(t), rid) for rid, t in volgorde if (utc(t), rid) < (utc(r.aangemaakt), r.id)
    ]
    return max(eerder)[1] if eerder else None


def vorige_ronde(engine: Engine, ronde_id: int) -> RondeInfo | None:
    """The most recent earlier ronde of the same gemeente (by aangemaakt, then
    id), or None for the first ronde. ValueError when the ronde does not exist."""
    with sessie(engine) as s:
        vorige = _vorige_ronde_id(s, ronde_id)
        return ronde_infos(s, vorige)[0] if vorige is not None else None


def voortgang_acties(engine: Engine, ronde_id: int) -> list[ActieInfo]:
    """Last ronde's actions as they stand now: each action of the previous ronde, with
    the status and effect recorded on its copy in this ronde (see `neem_acties_over`)
    where there is one. Empty for a first ronde."""
    vorige = vorige_ronde(engine, ronde_id)
    if vorige is None:
        return []
    kopie = {a.overgenomen_van: a for a in acties_van(engine, ronde_id) if a.overgenomen_van}
    return [replace(a, status=kopie[a.id].status, effect=kopie[a.id].effect) if a.id in kopie else a
            for a in acties_van(engine, vorige.id)]


def neem_acties_over(engine: Engine, ronde_id: int, *, door: Gebruiker) -> int:
    """Copy the actions of the previous ronde (see :func:`vorige_ronde`) into
    this ronde; returns how many were copied.

    Each copy keeps kader, criterium, bron, text, eigenaar, deadline, meting,
    status and effect, points to its original with ``overgenomen_van`` and gets
    an audit row ('overgenomen'). Idempotent: an action already copied, also one
    copied and later deleted here, is not copied again; actions added to the
    previous ronde afterwards are. A closed ronde, or one without a previous
    ronde, gets nothing (returns 0): safe to call whenever a ronde is opened.
    """
    def actie() -> int:
        with sessie(engine, schrijven=True) as s:
            controleer_ronde(s, door, "ronde_beheren", ronde_id)
            # FOR UPDATE: concurrent callers for this ronde queue here.
            r = s.get(Ronde, ronde_id, with_for_update=True)
            if r is None:
                raise ValueError("Deze ronde bestaat niet (meer).")
            if r.status == STATUS_GESLOTEN:
                return 0
            vorige = _vorige_ronde_id(s, ronde_id)
            if vorige is None:
                return 0
            al_gedaan = set(s.scalars(
                select(VerbeteractieWijziging.overgenomen_van).where(
                    VerbeteractieWijziging.ronde_id == ronde_id,
                    VerbeteractieWijziging.overgenomen_van.is_not(None),
                )
            ))
            originelen = [
                a for a in s.scalars(
                    select(Verbeteractie).where(Verbeteractie.ronde_id == vorige)
                    .order_by(Verbeteractie.id)
                )
                if a.id not in al_gedaan
            ]
            moment = nu()
            kopieen = [
                Verbeteractie(
                    ronde_id=ronde_id, aangemaakt=moment, bijgewerkt=moment,
                    **{k: getattr(a, k) for k in ACTIE_VELDEN if k != "overgenomen_van"},
                    overgenomen_van=a.id,
                )
                for a in originelen
            ]
            s.add_all(kopieen)
            s.flush()
            for k in kopieen:
                log_actie(s, k, "overgenomen", moment)
            return len(kopieen)

    return met_herhaling(actie)
