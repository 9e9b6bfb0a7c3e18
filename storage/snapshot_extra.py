"""The issue-15 parts of a ronde in the snapshot and the AVG export: the ronde switches
``tweede_stem`` and ``samenwerkingskaart``, the tables ``samenwerking`` and
``tweede_stem`` (per respondent) and ``overleg`` (per ronde). The format and its checks:
:mod:`uitwisselformaat.snapshot_extra`. Called from :mod:`storage.snapshot` and
:mod:`storage.avg`, which keep the rest of the ronde.
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.db import upsert
from storage.models import Overleg, Respondent, Ronde, Samenwerking, TweedeStem
from uitwisselformaat.snapshot import SnapshotFout, tijd_tekst, tijd_uit_tekst
from uitwisselformaat.snapshot_extra import RONDE_VELDEN
from uitwisselformaat.waarden import STATUS_GESLOTEN


def per_respondent(s: Session, ronde_id: int, tijd: Callable = tijd_tekst) -> dict[int, dict[str, list[dict]]]:
    """respondent id -> {"samenwerking": [...], "tweede_stemmen": [...]} (only non-empty lists)."""
    uit: dict[int, dict[str, list[dict]]] = {}
    in_ronde = select(Respondent.id).where(Respondent.ronde_id == ronde_id)
    for w in s.scalars(select(Samenwerking).where(Samenwerking.respondent_id.in_(in_ronde))
                       .order_by(Samenwerking.respondent_id, Samenwerking.partner)):
        uit.setdefault(w.respondent_id, {}).setdefault("samenwerking", []).append({
            "partner": w.partner, "niveau": w.niveau, "toelichting": w.toelichting, "bijgewerkt": tijd(w.bijgewerkt)})
    for t in s.scalars(select(TweedeStem).where(TweedeStem.respondent_id.in_(in_ronde))
                       .order_by(TweedeStem.respondent_id, TweedeStem.kader_id, TweedeStem.criterium_id)):
        uit.setdefault(t.respondent_id, {}).setdefault("tweede_stemmen", []).append({
            "kader": t.kader_id, "criterium": t.criterium_id, "score": t.score, "bijgewerkt": tijd(t.bijgewerkt)})
    return uit


def overleggen(s: Session, ronde_id: int, tijd: Callable = tijd_tekst) -> list[dict]:
    """The inventory of overleggen of a ronde, by name (key ``overleg``: the overleg's name;
    the snapshot has no field ``naam``, which would suggest a person's name)."""
    return [
        {"overleg": o.naam, "frequentie": o.frequentie, "voorzitter_rol": o.voorzitter_rol,
         "deelnemers": list(o.deelnemers or []), "functies": list(o.functies or []), "bijgewerkt": tijd(o.bijgewerkt)}
        for o in s.scalars(select(Overleg).where(Overleg.ronde_id == ronde_id).order_by(Overleg.naam))
    ]


def schakelaars(r: Ronde) -> dict[str, bool]:
    """The ronde switches that are on (a switch that is off is left out)."""
    return {veld: True for veld in RONDE_VELDEN if getattr(r, veld)}


def vul_snapshot(s: Session, r: Ronde, snapshot: dict) -> None:
    """Add the issue-15 parts of ronde ``r`` to its snapshot (before the digest is computed)."""
    snapshot["ronde"].update(schakelaars(r))
    pseudoniem = dict(s.execute(select(Respondent.id, Respondent.pseudoniem).where(Respondent.ronde_id == r.id)).all())
    extra = {pseudoniem[rid]: delen for rid, delen in per_respondent(s, r.id).items()}
    for p in snapshot["respondenten"]:
        p.update(extra.get(p["pseudoniem"], {}))
    if lijst := overleggen(s, r.id):
        snapshot["overleggen"] = lijst


def _zonder_tijd(rijen: list[dict]) -> list:
    return sorted(repr(sorted((k, v) for k, v in rij.items() if k != "bijgewerkt")) for rij in rijen)


def schrijf_snapshot(s: Session, ronde: Ronde, obj: dict, naam: str, nieuw: bool) -> None:
    """Write the issue-15 parts of a checked snapshot into ``ronde`` (its respondents are
    written already). A new ronde takes them as they are. A ronde that was here already
    gets the snapshot's answers and votes (a row per respondent × partner or criterium is
    overwritten), its overleggen (by name) and any switch the snapshot has on; when that
    ronde is closed and this would change anything, SnapshotFout and nothing is written."""
    ids = dict(s.execute(select(Respondent.pseudoniem, Respondent.id).where(Respondent.ronde_id == ronde.id)).all())
    if not nieuw and ronde.status == STATUS_GESLOTEN:
        hier = {p: d for rid, d in per_respondent(s, ronde.id).items() for p in [_pseudoniem(ids, rid)]}
        anders = any(
            _zonder_tijd(p.get(veld, [])) != _zonder_tijd(hier.get(p["pseudoniem"], {}).get(veld, []))
            for p in obj["respondenten"] for veld in ("samenwerking", "tweede_stemmen") if p.get(veld))
        anders = anders or any(not getattr(ronde, v) and obj["ronde"].get(v) for v in RONDE_VELDEN)
        hier_overleggen = {o["overleg"]: o for o in overleggen(s, ronde.id)}
        anders = anders or any(_zonder_tijd([o]) != _zonder_tijd([hier_overleggen.get(o["overleg"], {})])
                               for o in obj.get("overleggen", []))
        if anders:
            raise SnapshotFout(f"{naam}: gemeente '{obj['gemeente']}' heeft hier al een ronde '{ronde.label}'; die is "
                               "gesloten en de snapshot zou haar samenwerkingskaart, tweede stemmen of overleggen "
                               "veranderen. Niets geïmporteerd.")
    for veld in RONDE_VELDEN:
        if obj["ronde"].get(veld):
            setattr(ronde, veld, True)
    for p in obj["respondenten"]:
        rid = ids[p["pseudoniem"]]
        for w in p.get("samenwerking", []):
            upsert(s, Samenwerking, ("respondent_id", "partner"), {
                "respondent_id": rid, "partner": w["partner"], "niveau": w["niveau"],
                "toelichting": w["toelichting"], "bijgewerkt": tijd_uit_tekst(w["bijgewerkt"])})
        for t in p.get("tweede_stemmen", []):
            upsert(s, TweedeStem, ("respondent_id", "kader_id", "criterium_id"), {
                "respondent_id": rid, "kader_id": t["kader"], "criterium_id": t["criterium"],
                "score": t["score"], "bijgewerkt": tijd_uit_tekst(t["bijgewerkt"])})
    for o in obj.get("overleggen", []):
        bestaand = s.scalar(select(Overleg).where(Overleg.ronde_id == ronde.id, Overleg.naam == o["overleg"]))
        if bestaand is None:
            bestaand = Overleg(ronde_id=ronde.id, naam=o["overleg"])
            s.add(bestaand)
        bestaand.frequentie, bestaand.voorzitter_rol = o["frequentie"], o["voorzitter_rol"]
        bestaand.deelnemers, bestaand.functies = list(o["deelnemers"]), list(o["functies"])
        bestaand.bijgewerkt = tijd_uit_tekst(o["bijgewerkt"])
    s.flush()


def _pseudoniem(ids: dict[str, int], rid: int) -> str:
    return next(p for p, i in ids.items() if i == rid)


def verwijder_opdrachten(ronde_id: int) -> list:
    """DELETE statements for the issue-15 rows of a ronde, to run before its respondents go
    (storage.avg.verwijder_ronde: explicit, so it works without foreign keys too)."""
    in_ronde = select(Respondent.id).where(Respondent.ronde_id == ronde_id)
    return [
        delete(Samenwerking).where(Samenwerking.respondent_id.in_(in_ronde)),
        delete(TweedeStem).where(TweedeStem.respondent_id.in_(in_ronde)),
        delete(Overleg).where(Overleg.ronde_id == ronde_id),
    ]
