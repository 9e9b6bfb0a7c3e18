"""Snapshot of one ronde: export from and import into the database, for handover to
another installation (for example from a gemeente's SQLite to a regional PostgreSQL).

The format itself (what is in it, the digest, reading and checking a file) is
:mod:`uitwisselformaat.snapshot`; docs/snapshot.md describes it in Dutch.

:func:`exporteer_snapshot` gives the snapshot of a ronde as a dict with its digest.
:func:`importeer_snapshot` checks the digest first, then the structure, kaders,
criteria and scores (:func:`uitwisselformaat.snapshot.lees_snapshot`), checks the
actor's scope (:mod:`storage.bereik`) and writes everything in one transaction:
all or nothing.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session

from kader.model import Kader
from storage.bereik import BuitenBereik, controleer
from storage.db import met_herhaling, sessie
from storage.herimport import Antwoordvergelijker, Telling
from storage.models import (
    Antwoord,
    AntwoordWijziging,
    Consensus,
    ConsensusWijziging,
    Gemeente,
    Respondent,
    Ronde,
    RondeKader,
    RondeRol,
    Verbeteractie,
    VerbeteractieWijziging,
    nu,
)
from storage.rondes import standaard_jaar
from storage.snapshot_extra import schrijf_snapshot, vul_snapshot
from toegang import Gebruiker
from uitwisselformaat.snapshot import (
    DIGEST_VELD,
    FORMAAT,
    VERSIE,
    SnapshotFout,
    bereken_digest,
    lees_snapshot,
    tijd_tekst,
    tijd_uit_tekst,
)
from uitwisselformaat.waarden import STATUS_GESLOTEN

# ----------------------------------------------------------------- export


def exporteer_snapshot(engine: Engine, ronde_id: int) -> dict:
    """The snapshot of a ronde as a dict, including its ``sha256``.

    Write it with :func:`snapshot_bytes`. ValueError when the ronde does not exist.
    """
    with sessie(engine) as s:
        r = s.get(Ronde, ronde_id)
        if r is None:
            raise ValueError("Deze ronde bestaat niet (meer).")
        gemeente = s.scalar(select(Gemeente.naam).where(Gemeente.id == r.gemeente_id))
        snapshot = {
            "formaat": FORMAAT,
            "versie": VERSIE,
            "gemeente": gemeente,
            "ronde": {
                "label": r.label, "status": r.status, "demo": bool(r.demo),
                "aangemaakt": tijd_tekst(r.aangemaakt), "fase": r.fase,
                **({"jaar": r.jaar} if r.jaar is not None else {}),
                "huidig_kader": r.huidig_kader, "huidig_criterium": r.huidig_criterium,
            },
            "kaders": [
                {"id": k.kader_id, "versie": k.kader_versie}
                for k in s.scalars(select(RondeKader).where(RondeKader.ronde_id == ronde_id)
                                   .order_by(RondeKader.kader_id))
            ],
            "rollen": sorted(s.scalars(select(RondeRol.rol).where(RondeRol.ronde_id == ronde_id))),
            "respondenten": _respondenten(s, ronde_id),
            "consensus": _consensus(s, ronde_id),
            "consensus_wijzigingen": [
                {"kader": w.kader_id, "criterium": w.criterium_id, "score": w.score,
                 "motivatie": w.motivatie, "tijdstip": tijd_tekst(w.tijdstip)}
                for w in s.scalars(select(ConsensusWijziging)
                                   .where(ConsensusWijziging.ronde_id == ronde_id)
                                   .order_by(ConsensusWijziging.id))
            ],
            **_verbeterplan(s, ronde_id),
        }
        vul_snapshot(s, r, snapshot)  # issue 15: switches, samenwerking, tweede stemmen, overleggen
    snapshot[DIGEST_VELD] = bereken_digest(snapshot)
    return snapshot


def _consensus(s: Session, ronde_id: int) -> list[dict]:
    return [
        {"kader": c.kader_id, "criterium": c.criterium_id, "score": c.score,
         "motivatie": c.motivatie, "bijgewerkt": tijd_tekst(c.bijgewerkt)}
        for c in s.scalars(select(Consensus).where(Consensus.ronde_id == ronde_id)
                           .order_by(Consensus.kader_id, Consensus.criterium_id))
    ]


def _respondenten(s: Session, ronde_id: int) -> list[dict]:
    respondenten = s.scalars(select(Respondent).where(Respondent.ronde_id == ronde_id)).all()
    ids = [p.id for p in respondenten]
    antwoorden: dict[int, list[dict]] = {}
    wijzigingen: dict[int, list[dict]] = {}
    if ids:
        for a in s.scalars(select(Antwoord).where(Antwoord.respondent_id.in_(ids))
                           .order_by(Antwoord.kader_id, Antwoord.criterium_id)):
            antwoorden.setdefault(a.respondent_id, []).append({
                "kader": a.kader_id, "criterium": a.criterium_id, "score": a.score,
                "toelichting": a.toelichting, "bijgewerkt": tijd_tekst(a.bijgewerkt),
            })
        for w in s.scalars(select(AntwoordWijziging).where(AntwoordWijziging.respondent_id.in_(ids))
                           .order_by(AntwoordWijziging.id)):
            wijzigingen.setdefault(w.respondent_id, []).append({
                "kader": w.kader_id, "criterium": w.criterium_id, "score": w.score,
                "toelichting": w.toelichting, "tijdstip": tijd_tekst(w.tijdstip),
            })
    return [
        {"pseudoniem": p.pseudoniem, "rol": p.rol, "organisatie": p.organisatie,
         "aangemaakt": tijd_tekst(p.aangemaakt),
         "antwoorden": antwoorden.get(p.id, []), "wijzigingen": wijzigingen.get(p.id, [])}
        for p in sorted(respondenten, key=lambda p: p.pseudoniem)
    ]


def _actievelden(a) -> dict:
    return {
        "kader": a.kader_id, "criterium": a.criterium_id, "bron_actie": a.bron_actie_id,
        "wat": a.wat, "eigenaar": a.eigenaar,
        "deadline": a.deadline.isoformat() if a.deadline else None,
        "meting": a.meting, "status": a.status, "effect": a.effect,
    }


def _verbeterplan(s: Session, ronde_id: int) -> dict:
    """Actions numbered 1.. in id order (deleted actions that left an audit trail included)."""
    acties = s.scalars(select(Verbeteractie).where(Verbeteractie.ronde_id == ronde_id)
                       .order_by(Verbeteractie.id)).all()
    spoor = s.scalars(select(VerbeteractieWijziging).where(VerbeteractieWijziging.ronde_id == ronde_id)
                      .order_by(VerbeteractieWijziging.id)).all()
    nummer = {aid: i for i, aid in enumerate(sorted({a.id for a in acties} | {w.actie_id for w in spoor}), 1)}
    return {
        "verbeterplan": [
            {"nummer": nummer[a.id], **_actievelden(a),
             "aangemaakt": tijd_tekst(a.aangemaakt), "bijgewerkt": tijd_tekst(a.bijgewerkt)}
            for a in acties
        ],
        "verbeterplan_wijzigingen": [
            {"actie": nummer[w.actie_id], "gebeurtenis": w.gebeurtenis, **_actievelden(w),
             "tijdstip": tijd_tekst(w.tijdstip)}
            for w in spoor
        ],
    }


# ----------------------------------------------------------------- import


def _kader_bron() -> dict[str, Kader]:
    from kader import laad_kaders

    return dict(laad_kaders().kaders)


@dataclass(frozen=True)
class SnapshotResultaat:
    """What a snapshot import did: a new ronde, or the answers of a ronde that was here already."""

    ronde_id: int
    nieuwe_ronde: bool
    respondenten: int
    """New respondents."""
    telling: Telling
    """Answers: new, changed (with an audit row), unchanged (skipped)."""


def importeer_snapshot(
    engine: Engine,
    data: bytes,
    bestand: str = "",
    *,
    kaders: Mapping[str, Kader] | None = None,
    rollen: set[str] | None = None,
    door: Gebruiker,
) -> int:
    """Import a snapshot, all or nothing; returns the ronde id (see
    :func:`importeer_snapshot_uitslag`, which also says what changed).

    The gemeente must be in the scope of ``door``, the acting staff member (see
    :mod:`storage.bereik`): a demo account imports only demo rondes into demo
    gemeenten, a facilitator only into their own gemeenten.

    Checks (see :func:`lees_snapshot`) the digest first, then structure, kaders
    (default: the kaders in kader/), criteria and scores. When the gemeente already
    has a ronde with this label (a snapshot imported or exported here before), its
    answers are brought up to date through :mod:`storage.herimport` (same: skipped,
    changed: updated with an audit row, new respondents added); that is refused when
    the consensus, the verbeterplan or a kader version differ from the ronde's here,
    or when a closed ronde would change. Refused, with nothing written, when a
    pseudonym already exists in another ronde in this database, or when the gemeente
    exists but its demo status differs from the ronde's. A missing gemeente is created. Imported respondents
    have no resume code (it is never exported). Everything is written in one
    transaction. Raises :class:`SnapshotFout` (a ValueError) in Dutch.
    """
    return importeer_snapshot_uitslag(engine, data, bestand, kaders=kaders, rollen=rollen, door=door).ronde_id


def importeer_snapshot_uitslag(
    engine: Engine,
    data: bytes,
    bestand: str = "",
    *,
    kaders: Mapping[str, Kader] | None = None,
    rollen: set[str] | None = None,
    door: Gebruiker,
) -> SnapshotResultaat:
    """:func:`importeer_snapshot`, returning what it did."""
    kaders = _kader_bron() if kaders is None else kaders
    obj = lees_snapshot(data, bestand, kaders, rollen)
    naam = bestand or "snapshot"

    def actie() -> SnapshotResultaat:
        with sessie(engine, schrijven=True) as s:
            return _schrijf(s, obj, naam, door)

    return met_herhaling(actie)


def _schrijf(s: Session, obj: dict, naam: str, door: Gebruiker) -> SnapshotResultaat:
    r = obj["ronde"]
    gemeente = s.scalar(select(Gemeente).where(Gemeente.naam == obj["gemeente"]))
    try:
        controleer(door, "importeren", obj["gemeente"], r["demo"] if gemeente is None else gemeente.demo)
    except BuitenBereik as e:
        raise SnapshotFout(f"{naam}: {e} Niets geïmporteerd.") from None
    if gemeente is None:
        gemeente = Gemeente(naam=obj["gemeente"], demo=r["demo"])
        s.add(gemeente)
        s.flush()
    elif gemeente.demo != r["demo"]:
        soort = "een demogemeente" if gemeente.demo else "een echte gemeente (geen demo)"
        raise SnapshotFout(f"{naam}: gemeente '{gemeente.naam}' bestaat hier al als {soort}; "
                           "een ronde en haar gemeente moeten allebei demo zijn, of allebei niet.")
    elif bestaand := s.scalar(select(Ronde).where(Ronde.gemeente_id == gemeente.id, Ronde.label == r["label"])):
        return _voeg_samen(s, bestaand, obj, naam)
    pseudoniemen = [p["pseudoniem"] for p in obj["respondenten"]]
    if pseudoniemen:
        bezet = sorted(s.scalars(select(Respondent.pseudoniem).where(Respondent.pseudoniem.in_(pseudoniemen))))
        if bezet:
            raise SnapshotFout(f"{naam}: de pseudoniemen {', '.join(bezet[:5])}"
                               f"{' …' if len(bezet) > 5 else ''} bestaan hier al in een andere ronde. "
                               "Niets geïmporteerd.")

    aangemaakt = tijd_uit_tekst(r["aangemaakt"])
    ronde = Ronde(gemeente_id=gemeente.id, label=r["label"], status=r["status"], demo=r["demo"],
                  jaar=r.get("jaar") or standaard_jaar(r["label"], aangemaakt),  # older snapshots: no jaar
                  aangemaakt=aangemaakt, fase=r["fase"],
                  huidig_kader=r["huidig_kader"], huidig_criterium=r["huidig_criterium"])
    s.add(ronde)
    s.flush()
    s.execute(insert(RondeKader), [{"ronde_id": ronde.id, "kader_id": k["id"], "kader_versie": k["versie"]}
                                   for k in obj["kaders"]])
    if obj["rollen"]:
        s.execute(insert(RondeRol), [{"ronde_id": ronde.id, "rol": rol} for rol in obj["rollen"]])
    _schrijf_respondenten(s, ronde.id, obj["respondenten"])
    _schrijf_consensus(s, ronde.id, obj)
    _schrijf_verbeterplan(s, ronde.id, obj)
    s.flush()
    schrijf_snapshot(s, ronde, obj, naam, nieuw=True)
    antwoorden = sum(len(p["antwoorden"]) for p in obj["respondenten"])
    return SnapshotResultaat(ronde.id, True, len(obj["respondenten"]), Telling(nieuw=antwoorden))


def _zonder_tijden(rijen: list[dict]) -> list[dict]:
    weg = {"nummer", "aangemaakt", "bijgewerkt"}
    return sorted(({k: v for k, v in rij.items() if k not in weg} for rij in rijen), key=lambda d: repr(sorted(d.items())))


def _voeg_samen(s: Session, ronde: Ronde, obj: dict, naam: str) -> SnapshotResultaat:
    """A snapshot of a ronde that is here already: bring its answers up to date (storage.herimport).
    Its consensus, verbeterplan and kader versions must be the ones here; the snapshot's own
    audit trail is not copied, each change gets an audit row of its own."""
    waar = f"{naam}: gemeente '{obj['gemeente']}' heeft hier al een ronde '{ronde.label}'"
    gepind = {k: v for k, v in s.execute(select(RondeKader.kader_id, RondeKader.kader_versie)
                                         .where(RondeKader.ronde_id == ronde.id))}
    for k in obj["kaders"]:
        if gepind.get(k["id"], k["versie"]) != k["versie"]:
            raise SnapshotFout(f"{waar} met versie {gepind[k['id']]} van kader '{k['id']}'; de snapshot heeft "
                               f"versie {k['versie']}. Niets geïmporteerd.")
    hier = {"consensus": _consensus(s, ronde.id), **_verbeterplan(s, ronde.id)}
    for veld, wat in (("consensus", "de consensus"), ("verbeterplan", "het verbeterplan")):
        if _zonder_tijden(hier[veld]) != _zonder_tijden(obj[veld]):
            raise SnapshotFout(f"{waar}, en {wat} in de snapshot verschilt van die ronde. Van een ronde die hier "
                               "al staat worden alleen antwoorden bijgewerkt. Niets geïmporteerd; verwijder of "
                               "hernoem eerst de bestaande ronde om de snapshot als nieuwe ronde in te lezen.")
    pseudoniemen = [p["pseudoniem"] for p in obj["respondenten"]]
    bekend = {p.pseudoniem: p for p in s.scalars(select(Respondent).where(Respondent.pseudoniem.in_(pseudoniemen)))}
    elders = sorted(p for p, resp in bekend.items() if resp.ronde_id != ronde.id)
    if elders:
        raise SnapshotFout(f"{naam}: de pseudoniemen {', '.join(elders[:5])}{' …' if len(elders) > 5 else ''} "
                           "bestaan hier al in een andere ronde. Niets geïmporteerd.")
    vergelijker = Antwoordvergelijker(s)
    nieuwe_respondenten = 0
    for p in obj["respondenten"]:
        resp = bekend.get(p["pseudoniem"])
        if resp is None:
            resp = Respondent(ronde_id=ronde.id, pseudoniem=p["pseudoniem"], rol=p["rol"], hervat_hash=None,
                              organisatie=p["organisatie"], aangemaakt=tijd_uit_tekst(p["aangemaakt"]))
            s.add(resp)
            s.flush()
            nieuwe_respondenten += 1
        elif resp.rol != p["rol"]:
            raise SnapshotFout(f"{naam}: respondent '{resp.pseudoniem}' heeft hier de rol '{resp.rol}', in de "
                               f"snapshot '{p['rol']}'. Niets geïmporteerd.")
        for a in p["antwoorden"]:
            vergelijker.voeg_toe(resp.id, a["kader"], a["criterium"], a["score"], a["toelichting"])
    telling = vergelijker.telling()
    if ronde.status == STATUS_GESLOTEN and (telling.nieuw or telling.gewijzigd or nieuwe_respondenten):
        raise SnapshotFout(f"{waar}; die is gesloten en de snapshot zou haar antwoorden veranderen "
                           f"({telling.nieuw} nieuw, {telling.gewijzigd} gewijzigd). Niets geïmporteerd.")
    for k in obj["kaders"]:
        if k["id"] not in gepind:
            s.add(RondeKader(ronde_id=ronde.id, kader_id=k["id"], kader_versie=k["versie"]))
    al = set(s.scalars(select(RondeRol.rol).where(RondeRol.ronde_id == ronde.id)))
    s.add_all(RondeRol(ronde_id=ronde.id, rol=rol) for rol in obj["rollen"] if rol not in al)
    s.flush()
    schrijf_snapshot(s, ronde, obj, naam, nieuw=False)
    return SnapshotResultaat(ronde.id, False, nieuwe_respondenten, vergelijker.schrijf(nu()))


def _antwoord_rij(respondent_id: int, a: dict, tijd: str) -> dict:
    return {"respondent_id": respondent_id, "kader_id": a["kader"], "criterium_id": a["criterium"],
            "score": a["score"], "toelichting": a["toelichting"], tijd: tijd_uit_tekst(a[tijd])}


def _schrijf_respondenten(s: Session, ronde_id: int, respondenten: list[dict]) -> None:
    antwoorden: list[dict] = []
    wijzigingen: list[dict] = []
    for p in respondenten:
        resp = Respondent(ronde_id=ronde_id, pseudoniem=p["pseudoniem"], rol=p["rol"], hervat_hash=None,
                          organisatie=p["organisatie"], aangemaakt=tijd_uit_tekst(p["aangemaakt"]))
        s.add(resp)
        s.flush()
        antwoorden += [_antwoord_rij(resp.id, a, "bijgewerkt") for a in p["antwoorden"]]
        wijzigingen += [_antwoord_rij(resp.id, w, "tijdstip") for w in p["wijzigingen"]]
    if antwoorden:
        s.execute(insert(Antwoord), antwoorden)
    # in file order, so the new ids keep the order of the audit trail
    for w in wijzigingen:
        s.execute(insert(AntwoordWijziging), [w])


def _schrijf_consensus(s: Session, ronde_id: int, obj: dict) -> None:
    def rij(c: dict, tijd: str) -> dict:
        return {"ronde_id": ronde_id, "kader_id": c["kader"], "criterium_id": c["criterium"],
                "score": c["score"], "motivatie": c["motivatie"], tijd: tijd_uit_tekst(c[tijd])}

    if obj["consensus"]:
        s.execute(insert(Consensus), [rij(c, "bijgewerkt") for c in obj["consensus"]])
    for w in obj["consensus_wijzigingen"]:
        s.execute(insert(ConsensusWijziging), [rij(w, "tijdstip")])


def _actie_kolommen(a: dict) -> dict:
    return {
        "kader_id": a["kader"], "criterium_id": a["criterium"], "bron_actie_id": a["bron_actie"],
        "wat": a["wat"], "eigenaar": a["eigenaar"],
        "deadline": date.fromisoformat(a["deadline"]) if a["deadline"] else None,
        "meting": a["meting"], "status": a["status"], "effect": a["effect"],
    }


def _schrijf_verbeterplan(s: Session, ronde_id: int, obj: dict) -> None:
    """Actions in number order; a number that only has an audit trail (a deleted action)
    gets a placeholder row that is removed again, so ids keep the order of the numbers."""
    huidig = {a["nummer"]: a for a in obj["verbeterplan"]}
    nummers = sorted(set(huidig) | {w["actie"] for w in obj["verbeterplan_wijzigingen"]})
    nieuw_id: dict[int, int] = {}
    plaatshouders = []
    for n in nummers:
        if n in huidig:
            a = huidig[n]
            rij = Verbeteractie(ronde_id=ronde_id, **_actie_kolommen(a), aangemaakt=tijd_uit_tekst(a["aangemaakt"]),
                                bijgewerkt=tijd_uit_tekst(a["bijgewerkt"]))
        else:
            rij = Verbeteractie(ronde_id=ronde_id, kader_id=obj["kaders"][0]["id"], wat="(verwijderd)")
            plaatshouders.append(rij)
        s.add(rij)
        s.flush()
        nieuw_id[n] = rij.id
    for w in obj["verbeterplan_wijzigingen"]:
        s.execute(insert(VerbeteractieWijziging), [{
            "ronde_id": ronde_id, "actie_id": nieuw_id[w["actie"]], "gebeurtenis": w["gebeurtenis"],
            **_actie_kolommen(w), "overgenomen_van": None, "tijdstip": tijd_uit_tekst(w["tijdstip"]),
        }])
    for rij in plaatshouders:
        s.delete(rij)
