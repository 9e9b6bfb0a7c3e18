"""Privacy (AVG): deleting a ronde for good, and exporting everything stored about a
gemeente (for an access request or a move to another system)."""
from __future__ import annotations

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from storage.bereik import controleer_ronde
from storage.db import met_herhaling, sessie, sqlite_checkpoint
from storage.models import (
    Antwoord,
    AntwoordWijziging,
    Consensus,
    ConsensusWijziging,
    Gemeente,
    Regio,
    Respondent,
    Ronde,
    RondeKader,
    RondeRol,
    Uitnodiging,
    Verbeteractie,
    VerbeteractieWijziging,
    nu,
)
from storage.records import iso
from storage.snapshot_extra import overleggen, per_respondent, verwijder_opdrachten
from storage.verbeterplan import ACTIE_VELDEN
from toegang import Gebruiker

EXPORT_FORMAAT = "zelfbeoordeling-gemeente-export"
EXPORT_VERSIE = 1


def verwijder_ronde(engine: Engine, ronde_id: int, *, door: Gebruiker) -> int:
    """Delete a ronde and everything below it for good: pinned kaders, invited
    roles, invitations, respondents, answers and their audit trail, consensus and
    its audit trail, the verbeterplan and its audit trail, the samenwerkingskaart answers,
    second votes and overleggen. Returns the number of rows deleted (the ronde included).

    Rows are deleted explicitly bottom-up (not only by cascade), so nothing
    survives even on a connection without foreign keys. On SQLite deleted
    content is overwritten (secure_delete) and the WAL is checkpointed and
    truncated afterwards (best effort: a long-running reader can delay that).
    """
    def actie() -> int:
        with sessie(engine, schrijven=True) as s:
            controleer_ronde(s, door, "verwijderen", ronde_id)
            s.get(Ronde, ronde_id, with_for_update=True)
            respondenten = select(Respondent.id).where(Respondent.ronde_id == ronde_id)
            opdrachten = [
                *verwijder_opdrachten(ronde_id),  # issue 15: samenwerking, tweede_stem, overleg
                delete(AntwoordWijziging).where(AntwoordWijziging.respondent_id.in_(respondenten)),
                delete(Antwoord).where(Antwoord.respondent_id.in_(respondenten)),
                delete(Respondent).where(Respondent.ronde_id == ronde_id),
                delete(Uitnodiging).where(Uitnodiging.ronde_id == ronde_id),
                delete(ConsensusWijziging).where(ConsensusWijziging.ronde_id == ronde_id),
                delete(Consensus).where(Consensus.ronde_id == ronde_id),
                delete(VerbeteractieWijziging).where(VerbeteractieWijziging.ronde_id == ronde_id),
                delete(Verbeteractie).where(Verbeteractie.ronde_id == ronde_id),
                delete(RondeRol).where(RondeRol.ronde_id == ronde_id),
                delete(RondeKader).where(RondeKader.ronde_id == ronde_id),
                delete(Ronde).where(Ronde.id == ronde_id),
            ]
            return sum(
                s.execute(o.execution_options(synchronize_session=False)).rowcount
                for o in opdrachten
            )

    aantal = met_herhaling(actie)
    sqlite_checkpoint(engine)
    return aantal


def exporteer_gemeente(engine: Engine, gemeente_id: int) -> dict:
    """Everything stored about a gemeente, as a JSON-serialisable dict (ISO 8601
    timestamps in UTC), for an AVG access request or a move to another system.

    Contains the gemeente, its regio and every ronde with pinned kader versions,
    invited roles, workshop phase, invitations (rol, aangemaakt, ingetrokken),
    respondents (pseudoniem, rol, organisatie, aangemaakt) with their current
    answers and full audit trail (and their samenwerkingskaart answers and second
    votes), the consensus with its audit trail, the overleggen, and the
    verbeterplan ("verbeterplan": actions with their id, so ``overgenomen_van``
    can be followed) with its audit trail ("verbeterplan_wijzigingen"). Never
    contains code or resume-code hashes. ValueError when the gemeente is unknown.
    """
    with sessie(engine) as s:
        rij = s.execute(
            select(Gemeente, Regio.naam).outerjoin(Regio).where(Gemeente.id == gemeente_id)
        ).first()
        if rij is None:
            raise ValueError("Deze gemeente bestaat niet (meer).")
        g, regio = rij
        rondes_ = s.scalars(
            select(Ronde).where(Ronde.gemeente_id == gemeente_id).order_by(Ronde.aangemaakt, Ronde.id)
        ).all()
        return {
            "formaat": EXPORT_FORMAAT,
            "versie": EXPORT_VERSIE,
            "geexporteerd": iso(nu()),
            "gemeente": {"naam": g.naam, "demo": g.demo},
            "regio": regio,
            "rondes": [_ronde_export(s, r) for r in rondes_],
        }


def _actie_dict(a, tijd: str) -> dict:
    d = {k: getattr(a, k) for k in ACTIE_VELDEN}
    d["deadline"] = a.deadline.isoformat() if a.deadline else None
    d[tijd] = iso(getattr(a, tijd))
    return d


def _ronde_export(s: Session, r: Ronde) -> dict:
    def alle(model, *waar, volgorde):
        return s.scalars(select(model).where(*waar).order_by(*volgorde)).all()

    antwoorden: dict[int, list[dict]] = {}
    for a in alle(Antwoord, Antwoord.respondent_id == Respondent.id, Respondent.ronde_id == r.id,
                  volgorde=(Antwoord.respondent_id, Antwoord.kader_id, Antwoord.criterium_id)):
        antwoorden.setdefault(a.respondent_id, []).append({
            "kader": a.kader_id, "criterium": a.criterium_id, "score": a.score,
            "toelichting": a.toelichting, "bijgewerkt": iso(a.bijgewerkt),
        })
    wijzigingen: dict[int, list[dict]] = {}
    for w in alle(AntwoordWijziging, AntwoordWijziging.respondent_id == Respondent.id,
                  Respondent.ronde_id == r.id, volgorde=(AntwoordWijziging.id,)):
        wijzigingen.setdefault(w.respondent_id, []).append({
            "kader": w.kader_id, "criterium": w.criterium_id, "score": w.score,
            "toelichting": w.toelichting, "tijdstip": iso(w.tijdstip),
        })
    extra = per_respondent(s, r.id, iso)  # issue 15: samenwerking, tweede stemmen
    return {
        "label": r.label,
        "status": r.status,
        "demo": r.demo,
        "aangemaakt": iso(r.aangemaakt),
        "fase": r.fase,
        "huidig_kader": r.huidig_kader,
        "huidig_criterium": r.huidig_criterium,
        "tweede_stem": bool(r.tweede_stem),
        "samenwerkingskaart": bool(r.samenwerkingskaart),
        "kader_versies": {
            k.kader_id: k.kader_versie
            for k in alle(RondeKader, RondeKader.ronde_id == r.id, volgorde=(RondeKader.kader_id,))
        },
        "rollen": [x.rol for x in alle(RondeRol, RondeRol.ronde_id == r.id, volgorde=(RondeRol.rol,))],
        "uitnodigingen": [
            {"rol": u.rol, "aangemaakt": iso(u.aangemaakt), "ingetrokken": u.ingetrokken,
             "max_deelnemers": u.max_deelnemers, "deelnemers": u.deelnemers}
            for u in alle(Uitnodiging, Uitnodiging.ronde_id == r.id, volgorde=(Uitnodiging.id,))
        ],
        "respondenten": [
            {
                "pseudoniem": p.pseudoniem, "rol": p.rol, "organisatie": p.organisatie,
                "aangemaakt": iso(p.aangemaakt),
                "antwoorden": antwoorden.get(p.id, []),
                "wijzigingen": wijzigingen.get(p.id, []),
                "samenwerking": extra.get(p.id, {}).get("samenwerking", []),
                "tweede_stemmen": extra.get(p.id, {}).get("tweede_stemmen", []),
            }
            for p in alle(Respondent, Respondent.ronde_id == r.id, volgorde=(Respondent.id,))
        ],
        "consensus": [
            {"kader": c.kader_id, "criterium": c.criterium_id, "score": c.score,
             "motivatie": c.motivatie, "bijgewerkt": iso(c.bijgewerkt)}
            for c in alle(Consensus, Consensus.ronde_id == r.id,
                          volgorde=(Consensus.kader_id, Consensus.criterium_id))
        ],
        "consensus_wijzigingen": [
            {"kader": w.kader_id, "criterium": w.criterium_id, "score": w.score,
             "motivatie": w.motivatie, "tijdstip": iso(w.tijdstip)}
            for w in alle(ConsensusWijziging, ConsensusWijziging.ronde_id == r.id,
                          volgorde=(ConsensusWijziging.id,))
        ],
        "verbeterplan": [
            {"id": a.id, **_actie_dict(a, "aangemaakt"), "bijgewerkt": iso(a.bijgewerkt)}
            for a in alle(Verbeteractie, Verbeteractie.ronde_id == r.id, volgorde=(Verbeteractie.id,))
        ],
        "verbeterplan_wijzigingen": [
            {"actie_id": w.actie_id, "gebeurtenis": w.gebeurtenis, **_actie_dict(w, "tijdstip")}
            for w in alle(VerbeteractieWijziging, VerbeteractieWijziging.ronde_id == r.id,
                          volgorde=(VerbeteractieWijziging.id,))
        ],
        "overleggen": overleggen(s, r.id, iso),
    }
