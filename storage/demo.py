"""Clearly labelled, fictional demo data, so the app and reports show something
before real answers exist.

Everything created here has ``demo=True`` and a name ending in '(fictief)'.
The answers come from a seeded random generator, so the same kaders and roles
give the same demo every time. Patterns: mostly middle scores, a few
weet_niet/nvt, the gemeente role somewhat more positive than partners, some
criteria harder than others, a few respondents who stopped halfway, and short
neutral toelichtingen (no names) on about half of the answers.

Every demo ronde has the roles it seeds as invited roles. The first demo
gemeente's ronde is mid-workshop: a consensus (with audit trail) for two
criteria and fase 'onthullen' on the next criterium. That consensus is derived
from the seeded answers without drawing from the random generator, so the
answers are the same as without it.
"""
from __future__ import annotations

import random
import statistics
from collections.abc import Mapping, Sequence
from datetime import timedelta

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kader.model import NVT, WEET_NIET, Kader
from storage.db import sessie
from storage.models import (
    FASE_ONTHULLEN,
    FASE_STIL_SCOREN,
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
    nu,
)
from storage.repository import PSEUDONIEM_ALFABET, PSEUDONIEM_LENGTE

DEMO_REGIO = "Demoregio (fictief)"
# name -> general level relative to the middle of the scale
DEMO_GEMEENTEN = {
    "Demodorp (fictief)": 0.0,
    "Voorbeeldstad (fictief)": 0.35,
    "Proefwijk aan Zee (fictief)": -0.3,
}
DEMO_RONDE = "2026 (demo)"
SEED = 2026

TOELICHTINGEN = {
    "laag": (
        "Hier zijn nog geen vaste afspraken over gemaakt.",
        "Dit gebeurt vooral op initiatief van individuele medewerkers.",
        "Informatie komt vaak te laat of onvolledig binnen.",
        "Er is wel een plan, maar het wordt in de praktijk weinig gebruikt.",
        "Het is onduidelijk wie hier verantwoordelijk voor is.",
    ),
    "midden": (
        "Afspraken over terugkoppeling staan op papier, maar worden niet altijd nageleefd.",
        "Gaat goed bij de meeste aanbieders, bij enkele nog niet.",
        "Er wordt aan gewerkt; de eerste resultaten zijn zichtbaar.",
        "Hangt sterk af van de casus en de betrokken professionals.",
        "Het overleg is er, maar de opvolging van acties kan beter.",
    ),
    "hoog": (
        "Dit is goed geregeld en wordt periodiek geëvalueerd.",
        "Vaste werkwijze die door alle partners wordt gevolgd.",
        "Wordt in het regionale overleg structureel besproken.",
        "De afspraken zijn helder en worden nageleefd.",
    ),
    "geen_oordeel": (
        "Hier heb ik vanuit mijn rol geen zicht op.",
        "Niet van toepassing op onze organisatie.",
        "Te kort betrokken om dit te kunnen beoordelen.",
    ),
}


# Consensus motivations by level (two each, so two criteria never read the same).
CONSENSUS_MOTIVATIES = {
    "laag": (
        "De groep is het eens dat hier nog geen vaste afspraken over zijn. Wat goed gaat, "
        "hangt af van individuele medewerkers.",
        "Iedereen herkent dat informatie vaak te laat binnenkomt; dat weegt zwaar voor de score.",
    ),
    "midden": (
        "Afspraken staan op papier, maar de uitvoering verschilt per aanbieder. Na bespreking "
        "van de verschillen in scores gekozen voor het midden.",
        "Het overleg is er en de eerste resultaten zijn zichtbaar, maar de opvolging van "
        "acties is nog niet vanzelfsprekend.",
    ),
    "hoog": (
        "Alle partners herkennen een vaste werkwijze die periodiek wordt geëvalueerd.",
        "De afspraken zijn helder en worden nageleefd; alleen bij uitzonderingen is bijsturing nodig.",
    ),
}
CONSENSUS_AANTAL = 2


def heeft_demo(engine: Engine) -> bool:
    """True when any demo gemeente exists."""
    with sessie(engine) as s:
        return s.scalar(select(Gemeente.id).where(Gemeente.demo.is_(True)).limit(1)) is not None


def vul_demo(
    engine: Engine,
    kaders: Mapping[str, Kader],
    rollen: Mapping[str, Sequence[tuple[str, str]]],
    seed: int = SEED,
) -> bool:
    """Create the demo (regio, 3 gemeenten, a ronde each, 12-16 respondents each).

    ``rollen`` maps rol id -> the (kader_id, criterium_id) pairs that role
    answers. A rol id containing 'gemeente' counts as the gemeente's own role.
    Idempotent: returns False and writes nothing when demo data already exists,
    True after seeding.
    """
    _controleer_invoer(kaders, rollen)
    rng = random.Random(seed)
    try:
        with sessie(engine, schrijven=True) as s:
            if s.scalar(select(Gemeente.id).where(Gemeente.demo.is_(True)).limit(1)):
                return False
            regio_id = _regio(s)
            gebruikt: set[str] = set()
            for nummer, (naam, niveau) in enumerate(DEMO_GEMEENTEN.items()):
                ronde, antwoorden = _vul_gemeente(
                    s, rng, regio_id, naam, niveau, kaders, rollen, gebruikt)
                if nummer == 0:
                    _vul_workshop(s, ronde, antwoorden, kaders)
    except IntegrityError:
        if not heeft_demo(engine):
            raise
        # Someone else seeded at the same moment: their demo is as good as ours.
        return False
    return True


def verwijder_demo(engine: Engine) -> int:
    """Delete all demo gemeenten (and by cascade their rondes and answers)."""
    with sessie(engine, schrijven=True) as s:
        n = len(s.scalars(select(Gemeente.id).where(Gemeente.demo.is_(True))).all())
        s.execute(delete(Gemeente).where(Gemeente.demo.is_(True)))
        s.execute(delete(Regio).where(Regio.naam == DEMO_REGIO))
        return n


def _controleer_invoer(kaders: Mapping[str, Kader], rollen: Mapping[str, Sequence]) -> None:
    if not rollen:
        raise ValueError("Geen rollen opgegeven voor de demo.")
    for rol, paren in rollen.items():
        for kader_id, criterium_id in paren:
            if kader_id not in kaders:
                raise ValueError(f"Demo: kader '{kader_id}' van rol '{rol}' is onbekend.")
            kaders[kader_id].criterium(criterium_id)  # KeyError when unknown


def _regio(s: Session) -> int:
    bestaand = s.scalar(select(Regio.id).where(Regio.naam == DEMO_REGIO))
    if bestaand is not None:
        return bestaand
    regio = Regio(naam=DEMO_REGIO)
    s.add(regio)
    s.flush()
    return regio.id


def _rolverdeling(rng: random.Random, rollen: Sequence[str], aantal: int) -> list[str]:
    """``aantal`` roles, every role at least once when possible, in random order."""
    volgorde = list(rollen)
    rng.shuffle(volgorde)
    verdeling = [volgorde[i % len(volgorde)] for i in range(aantal)]
    rng.shuffle(verdeling)
    return verdeling


def _pseudoniem(rng: random.Random, s: Session, gebruikt: set[str]) -> str:
    while True:
        p = "r-" + "".join(rng.choice(PSEUDONIEM_ALFABET) for _ in range(PSEUDONIEM_LENGTE))
        if p in gebruikt:
            continue
        gebruikt.add(p)
        if s.scalar(select(Respondent.id).where(Respondent.pseudoniem == p)) is None:
            return p


def _vul_gemeente(
    s: Session,
    rng: random.Random,
    regio_id: int,
    naam: str,
    niveau: float,
    kaders: Mapping[str, Kader],
    rollen: Mapping[str, Sequence[tuple[str, str]]],
    gebruikt: set[str],
) -> tuple[Ronde, list[dict]]:
    """Seed one gemeente; returns its ronde and the answers seeded in it."""
    gemeente = Gemeente(naam=naam, regio_id=regio_id, demo=True)
    s.add(gemeente)
    s.flush()
    ronde = Ronde(gemeente_id=gemeente.id, label=DEMO_RONDE, status="open", demo=True,
                  aangemaakt=nu() - timedelta(days=30), fase=FASE_STIL_SCOREN)
    s.add(ronde)
    s.flush()
    for kader in sorted(kaders.values(), key=lambda k: k.id):
        s.add(RondeKader(ronde_id=ronde.id, kader_id=kader.id, kader_versie=kader.versie))
    # Some criteria are harder (or easier) in this gemeente than elsewhere.
    effect = {(k.id, c.id): rng.gauss(0, 0.35) for k in kaders.values() for c in k.criteria}
    antwoorden: list[dict] = []
    # enough respondents for most rol groups to reach the anonymity threshold (3)
    verdeling = _rolverdeling(rng, sorted(rollen), rng.randint(22, 28))
    for rol in sorted(set(verdeling)):
        s.add(RondeRol(ronde_id=ronde.id, rol=rol))
    for rol in verdeling:
        moment = nu() - timedelta(days=rng.uniform(1, 25))
        resp = Respondent(ronde_id=ronde.id, pseudoniem=_pseudoniem(rng, s, gebruikt),
                          rol=rol, hervat_hash=None, aangemaakt=moment)
        s.add(resp)
        s.flush()
        paren = list(rollen[rol])
        if rng.random() < 0.15:  # stopped halfway
            paren = paren[: max(1, int(len(paren) * rng.uniform(0.4, 0.8)))]
        for minuut, (kader_id, criterium_id) in enumerate(paren):
            score = _score(rng, kaders[kader_id], niveau + effect[(kader_id, criterium_id)], rol)
            antwoorden.append(dict(
                respondent_id=resp.id, kader_id=kader_id, criterium_id=criterium_id,
                score=score, toelichting=_toelichting(rng, kaders[kader_id], score),
                moment=moment + timedelta(minutes=minuut),
            ))
    if antwoorden:
        s.execute(insert(Antwoord), [_zonder_moment(a, "bijgewerkt") for a in antwoorden])
        s.execute(insert(AntwoordWijziging), [_zonder_moment(a, "tijdstip") for a in antwoorden])
    return ronde, antwoorden


def _vul_workshop(
    s: Session, ronde: Ronde, antwoorden: list[dict], kaders: Mapping[str, Kader]
) -> None:
    """Consensus for the first CONSENSUS_AANTAL criteria (in kader order) that have
    at least two numeric scores; fase 'onthullen' on the criterium after them."""
    cijfers: dict[tuple[str, str], list[int]] = {}
    for a in antwoorden:
        if a["score"].isdigit():
            cijfers.setdefault((a["kader_id"], a["criterium_id"]), []).append(int(a["score"]))
    volgorde = [(k.id, c.id) for k in sorted(kaders.values(), key=lambda k: k.id) for c in k.criteria]
    kandidaten = [p for p in volgorde if len(cijfers.get(p, ())) >= 2]
    gekozen = kandidaten[:CONSENSUS_AANTAL]
    moment = nu() - timedelta(hours=2)
    for nummer, (kader_id, criterium_id) in enumerate(gekozen):
        kader = kaders[kader_id]
        mediaan = statistics.median(cijfers[(kader_id, criterium_id)])
        score = min(kader.schaal.waarden, key=lambda w: (abs(w - mediaan), w))
        motivatie = CONSENSUS_MOTIVATIES[_niveau(kader, score)][nummer % 2]
        rij = dict(ronde_id=ronde.id, kader_id=kader_id, criterium_id=criterium_id,
                   score=str(score), motivatie=motivatie)
        tijd = moment + timedelta(minutes=20 * nummer)
        s.add(Consensus(**rij, bijgewerkt=tijd))
        s.add(ConsensusWijziging(**rij, tijdstip=tijd))
    if gekozen:
        rest = kandidaten[len(gekozen):]
        ronde.huidig_kader, ronde.huidig_criterium = rest[0] if rest else gekozen[-1]
    ronde.fase = FASE_ONTHULLEN
    s.flush()


def _niveau(kader: Kader, score: int) -> str:
    laag, hoog = kader.schaal.minimum, kader.schaal.maximum
    positie = (score - laag) / max(1, hoog - laag)
    return "laag" if positie < 0.5 else "midden" if positie < 0.9 else "hoog"


def _zonder_moment(a: dict, kolom: str) -> dict:
    rij = {k: v for k, v in a.items() if k != "moment"}
    rij[kolom] = a["moment"]
    return rij


def _is_gemeenterol(rol: str) -> bool:
    return "gemeente" in rol.lower()


def _score(rng: random.Random, kader: Kader, verschuiving: float, rol: str) -> str:
    """A plausible score: around the middle of the scale, shifted per gemeente,
    criterium and role; partners say 'weet niet' more often."""
    gemeente = _is_gemeenterol(rol)
    kans_weet_niet = 0.03 if gemeente else 0.07
    trek = rng.random()
    if trek < kans_weet_niet:
        return WEET_NIET
    if trek < kans_weet_niet + 0.03:
        return NVT
    laag, hoog = kader.schaal.minimum, kader.schaal.maximum
    midden = (laag + hoog) / 2
    waarde = midden + verschuiving + (0.4 if gemeente else 0.0) + rng.gauss(0, 0.6)
    afgerond = min(hoog, max(laag, round(waarde)))
    # Snap to an existing scale point (scales need not be contiguous).
    return str(min(kader.schaal.waarden, key=lambda w: abs(w - afgerond)))


def _toelichting(rng: random.Random, kader: Kader, score: str) -> str:
    """A short neutral toelichting on about half the answers, matching the score."""
    if rng.random() >= 0.5:
        return ""
    if score in (WEET_NIET, NVT):
        soort = "geen_oordeel"
    else:
        soort = _niveau(kader, int(score))
    return rng.choice(TOELICHTINGEN[soort])
