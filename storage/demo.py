"""Clearly labelled, fictional demo data, so the app and reports show something
before real answers exist.

Everything created here has ``demo=True`` and a name ending in '(fictief)'.

The demo is a fictional regio of eight gemeenten, each with three yearly rondes
(2024, 2025, 2026; the first two closed, the last open) of 10–30 respondents.
Seven gemeenten opted in to the regional comparison; one did not, so the opt-in
is visible. The answers come from a seeded random generator, so the same kaders
and roles give the same demo every time. Patterns: mostly middle scores, a few
weet_niet/nvt, the gemeente role somewhat more positive than partners, some
criteria harder than others in a gemeente (and staying so across years), a
general trend per gemeente, a few respondents who stopped halfway, and short
neutral toelichtingen (no names) on about half of the answers. On top of that,
each gemeente has one disagreement pattern the sources describe:

- ``eigen_beeld``: the gemeente rates regie and toeleiding clearly higher than its
  partners. This is the instrument's own illustration: no source says a gemeente
  rates itself higher (002 §4.2 finds that it is unclear who has the regie, not who
  judges it better);
- ``signalering``: the partners who receive signals (jeugdgezondheidszorg, Veilig
  Thuis and, within the rol wijkteam-cjg, the CJG) rate signalering lower than the
  signallers (scholen and, within that rol, the buurtteam) rate their own. 002 §3.2
  (Vroegsignalering): scholen en buurtteams wachten lang voordat zij signalen delen
  of neerleggen bij het CJG of Veilig Thuis, and professionals of among others the
  GGD, the CJG and Veilig Thuis are worried about that; 003 H5 (Conclusie, vraag 1):
  wijkcoaches feel that some schools do not seek cooperation early enough;
- ``personen``: partners disagree among themselves ("een kwestie van personen",
  003 H4–H5), a wide spread within the partner groups;
- ``eensgezind``: little spread.

Kaders in ``DEMO_NIEUWE_KADERS`` (the Holland Rijnland vertrekpunten) were taken up
in the newest ronde only: that ronde asks and answers them, the older rondes do not
know them. They are answered after the other kaders with a generator of their own,
so the older rondes are the same with or without them.

Closed rondes had their workshop: a consensus for every criterium. The open
ronde of the first demo gemeente is mid-workshop: a consensus (with audit trail)
for two criteria and fase 'onthullen' on the next criterium. Consensus is derived
from the seeded answers without drawing from the random generator. The first
demo gemeente also has a verbeterplan in 2025 whose actions were carried over to
2026 with their status, so the plan's progress section has something to show.

The newest ronde of every demo gemeente asks the samenwerkingskaart, with answers in the
pattern of source 003 chapters 4–5 (:mod:`storage.demo_samenwerking`).
"""
from __future__ import annotations

import random
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kader.model import NVT, WEET_NIET, Kader, rapportvolgorde
from storage.db import sessie
from storage.demo_overleggen import vul_demo_overleggen
from storage.demo_planeffect import vul_planeffect
from storage.demo_samenwerking import vul_samenwerking
from storage.gemeenten import regio_id
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
    TweedeStem,
    Verbeteractie,
    nu,
)
from storage.respondenten import PSEUDONIEM_ALFABET, PSEUDONIEM_LENGTE
from storage.verbeterplan import log_actie
from uitwisselformaat.waarden import (
    ACTIE_BEZIG,
    ACTIE_GEPLAND,
    ACTIE_GEREALISEERD,
    FASE_CONSENSUS,
    FASE_ONTHULLEN,
    FASE_STIL_SCOREN,
)

DEMO_REGIO = "Demoregio (fictief)"


@dataclass(frozen=True)
class DemoGemeente:
    niveau: float  # general level relative to the middle of the scale, in 2024
    groei: float  # change of that level per year
    patroon: str  # disagreement pattern, see the module docstring
    vergelijking: bool = True  # opted in to the regional comparison


DEMO_GEMEENTEN = {
    "Demodorp (fictief)": DemoGemeente(-0.2, 0.15, "eigen_beeld"),
    "Voorbeeldstad (fictief)": DemoGemeente(0.3, 0.05, "eensgezind"),
    "Proefwijk aan Zee (fictief)": DemoGemeente(-0.45, 0.2, "personen"),
    "Kleidorp (fictief)": DemoGemeente(-0.1, 0.0, "signalering"),
    "Duinhoeve (fictief)": DemoGemeente(0.25, -0.12, "eigen_beeld"),
    "Molenveen (fictief)": DemoGemeente(-0.25, 0.12, "signalering"),
    "Bosrand (fictief)": DemoGemeente(0.05, 0.18, "personen"),
    "Havenmond (fictief)": DemoGemeente(0.0, 0.05, "eensgezind", vergelijking=False),
}
DEMO_RONDES = ("2024 (demo)", "2025 (demo)", "2026 (demo)")
DEMO_JAREN = (2024, 2025, 2026)  # ronde.jaar of each of DEMO_RONDES
DEMO_RONDE = DEMO_RONDES[-1]
DEMO_EERSTE_GEMEENTE = "Demodorp (fictief)"  # the anonymous first screen shows its newest ronde
SEED = 2026
# Kaders the demo regio took up in its newest ronde only (see the module docstring).
DEMO_NIEUWE_KADERS = frozenset({"holland-rijnland-zorg-en-veiligheid"})

# The ``signalering`` pattern (002 §3.2; see the module docstring). The rol
# wijkteam-cjg holds both a signalling buurtteam and the receiving CJG: its demo
# respondents alternate between these two kinds of organisation (as named in
# vragenlijsten/wijkteam-cjg.yaml), without drawing from the generator.
WIJKTEAM_ROL = "wijkteam-cjg"
BUURTTEAM, CJG = "Wijk- of buurtteam", "Centrum voor Jeugd en Gezin (CJG)"
SIGNALEERDERS = {("onderwijs", None), (WIJKTEAM_ROL, BUURTTEAM)}  # (rol, organisatie)
ONTVANGERS = {("jgz", None), ("veilig-thuis", None), (WIJKTEAM_ROL, CJG)}

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
    """Create the demo regio: 8 gemeenten, 3 yearly rondes each, 10–30 respondents
    per ronde (see the module docstring).

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
            demoregio = regio_id(s, DEMO_REGIO)
            gebruikt: set[str] = set()
            for nummer, (naam, profiel) in enumerate(DEMO_GEMEENTEN.items()):
                rondes = _vul_gemeente(s, rng, demoregio, naam, profiel, kaders, rollen, gebruikt,
                                       eerste=nummer == 0, seed=seed)
                for ronde, antwoorden in rondes[:-1]:
                    _vul_workshop(s, ronde, antwoorden, kaders, aantal=None)
                vul_samenwerking(s, rondes[-1][0], seed=f"{seed}-{naam}")  # issue 15: storage/demo_samenwerking.py
                if nummer == 0:
                    _vul_workshop(s, rondes[-1][0], rondes[-1][1], kaders)
                    oude = {k: v for k, v in kaders.items() if k not in DEMO_NIEUWE_KADERS}
                    _vul_plan(s, rondes[-2][0], rondes[-1][0], oude)
                    vul_demo_overleggen(s, rondes[-1][0], rollen)  # storage/demo_overleggen.py
                    _vul_tweede_stem(s, rondes[-1][0], rondes[-1][1])
                    vul_planeffect(s, rondes[-2][0], rondes[-1][0], oude)  # issue 15: plan-effect groups
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
    profiel: DemoGemeente,
    kaders: Mapping[str, Kader],
    rollen: Mapping[str, Sequence[tuple[str, str]]],
    gebruikt: set[str],
    eerste: bool = False,
    seed: int = SEED,
) -> list[tuple[Ronde, list[dict]]]:
    """Seed one gemeente with its yearly rondes; returns each ronde with its answers."""
    gemeente = Gemeente(naam=naam, regio_id=regio_id, demo=True,
                        regio_vergelijking=profiel.vergelijking)
    s.add(gemeente)
    s.flush()
    oud = sorted((k for k in kaders.values() if k.id not in DEMO_NIEUWE_KADERS), key=lambda k: k.id)
    nieuw = sorted((k for k in kaders.values() if k.id in DEMO_NIEUWE_KADERS), key=lambda k: k.id)
    # The new kaders draw from a generator of their own, so the others stay as they were.
    rng_nieuw = random.Random(f"{seed}-{naam}-nieuw")
    # Some criteria are harder (or easier) in this gemeente than elsewhere, and stay so.
    effect = {(k.id, c.id): rng.gauss(0, 0.35) for k in oud for c in k.criteria}
    effect |= {(k.id, c.id): rng_nieuw.gauss(0, 0.35) for k in nieuw for c in k.criteria}
    uit = []
    for jaar, (label, kalenderjaar) in enumerate(zip(DEMO_RONDES, DEMO_JAREN, strict=True)):
        laatste = jaar == len(DEMO_RONDES) - 1
        # the first gemeente's open ronde is the newest: pages start on it
        dagen = 30 + 365 * (len(DEMO_RONDES) - 1 - jaar) - (1 if eerste and laatste else 0)
        ronde = Ronde(gemeente_id=gemeente.id, label=label, jaar=kalenderjaar,
                      status="open" if laatste else "gesloten", demo=True,
                      aangemaakt=nu() - timedelta(days=dagen), fase=FASE_STIL_SCOREN)
        s.add(ronde)
        s.flush()
        for kader in sorted([*oud, *nieuw] if laatste else oud, key=lambda k: k.id):
            s.add(RondeKader(ronde_id=ronde.id, kader_id=kader.id, kader_versie=kader.versie))
        # The first gemeente's open ronde opens the app: at least three respondents per
        # rol, so every rol group reaches the anonymity threshold (3). Elsewhere 10–30,
        # as in practice.
        aantal = (rng.randint(3 * len(rollen), 3 * len(rollen) + 6) if eerste and laatste
                  else rng.randint(10, 30))
        verdeling = _rolverdeling(rng, sorted(rollen), aantal)
        for rol in sorted(set(verdeling)):
            s.add(RondeRol(ronde_id=ronde.id, rol=rol))
        niveau = profiel.niveau + profiel.groei * jaar
        antwoorden: list[dict] = []
        wijkteam = 0  # respondents of WIJKTEAM_ROL so far in this ronde
        for rol in verdeling:
            moment = nu() - timedelta(days=dagen - rng.uniform(5, 29))
            organisatie = None
            if rol == WIJKTEAM_ROL:
                organisatie = (BUURTTEAM, CJG)[wijkteam % 2]
                wijkteam += 1
            resp = Respondent(ronde_id=ronde.id, pseudoniem=_pseudoniem(rng, s, gebruikt),
                              rol=rol, hervat_hash=None, aangemaakt=moment, organisatie=organisatie)
            s.add(resp)
            s.flush()
            paren = [p for p in rollen[rol] if p[0] not in DEMO_NIEUWE_KADERS]
            gestopt = rng.random() < 0.15
            if gestopt:  # stopped halfway, before the new kaders
                paren = paren[: max(1, int(len(paren) * rng.uniform(0.4, 0.8)))]
            vragen = [(p, rng) for p in paren]
            if laatste and not gestopt:
                vragen += [(p, rng_nieuw) for p in rollen[rol] if p[0] in DEMO_NIEUWE_KADERS]
            for minuut, ((kader_id, criterium_id), trekker) in enumerate(vragen):
                kader = kaders[kader_id]
                verschuiving = niveau + effect[(kader_id, criterium_id)] + trekker.gauss(0, 0.08)
                patroon = _patroon(profiel.patroon, kader.criterium(criterium_id), rol, organisatie)
                score = _score(trekker, kader, verschuiving, rol, patroon)
                antwoorden.append(dict(
                    respondent_id=resp.id, kader_id=kader_id, criterium_id=criterium_id,
                    score=score, toelichting=_toelichting(trekker, kader, score),
                    moment=moment + timedelta(minutes=minuut),
                ))
        if antwoorden:
            s.execute(insert(Antwoord), [_zonder_moment(a, "bijgewerkt") for a in antwoorden])
            s.execute(insert(AntwoordWijziging), [_zonder_moment(a, "tijdstip") for a in antwoorden])
        uit.append((ronde, antwoorden))
    return uit


def _patroon(patroon: str, criterium, rol: str, organisatie: str | None = None) -> tuple[float, float]:
    """(extra shift, spread) of one answer under a gemeente's disagreement pattern."""
    tekst = f"{criterium.id} {criterium.kort}".lower()
    if patroon == "eigen_beeld" and any(w in tekst for w in ("regie", "sturing", "toeleiding")):
        return (0.9, 0.5) if _is_gemeenterol(rol) else (-0.35, 0.6)
    if patroon == "signalering" and "signal" in tekst:
        if (rol, organisatie) in SIGNALEERDERS:  # rate their own signalling
            return 0.5, 0.5
        if (rol, organisatie) in ONTVANGERS:  # see the signals arrive late
            return -0.8, 0.5
    if patroon == "personen" and not _is_gemeenterol(rol):
        return 0.0, 1.05
    if patroon == "eensgezind":
        return 0.0, 0.4
    return 0.0, 0.6


def _vul_workshop(
    s: Session, ronde: Ronde, antwoorden: list[dict], kaders: Mapping[str, Kader],
    aantal: int | None = CONSENSUS_AANTAL,
) -> None:
    """Consensus for the first ``aantal`` criteria (in kader order; None: all) that
    have at least two numeric scores. With a limit, fase 'onthullen' on the criterium
    after them (a workshop in progress); without, fase 'consensus' (a finished one)."""
    cijfers: dict[tuple[str, str], list[int]] = {}
    for a in antwoorden:
        if a["score"].isdigit():
            cijfers.setdefault((a["kader_id"], a["criterium_id"]), []).append(int(a["score"]))
    # the order every page and the workshop use: the STJ kader first (kader.model.rapportvolgorde)
    volgorde = [(k.id, c.id) for k in rapportvolgorde(kaders, kaders) for c in k.criteria]
    kandidaten = [p for p in volgorde if len(cijfers.get(p, ())) >= 2]
    gekozen = kandidaten if aantal is None else kandidaten[:aantal]
    moment = ronde.aangemaakt + timedelta(days=28) if aantal is None else nu() - timedelta(hours=2)
    for nummer, (kader_id, criterium_id) in enumerate(gekozen):
        kader = kaders[kader_id]
        mediaan = statistics.median(cijfers[(kader_id, criterium_id)])
        score = min(kader.schaal.waarden, key=lambda w: (abs(w - mediaan), w))
        motivatie = CONSENSUS_MOTIVATIES[_niveau(kader, score)][nummer % 2]
        rij = dict(ronde_id=ronde.id, kader_id=kader_id, criterium_id=criterium_id,
                   score=str(score), motivatie=motivatie)
        tijd = moment + timedelta(minutes=(20 if aantal else 5) * nummer)
        s.add(Consensus(**rij, bijgewerkt=tijd))
        s.add(ConsensusWijziging(**rij, tijdstip=tijd))
    if aantal is None:
        ronde.fase = FASE_CONSENSUS
    else:
        if gekozen:
            rest = kandidaten[len(gekozen):]
            ronde.huidig_kader, ronde.huidig_criterium = rest[0] if rest else gekozen[-1]
        ronde.fase = FASE_ONTHULLEN
    s.flush()


# The first demo gemeente's 2025 verbeterplan: (criterium keyword, wat, eigenaar, meting,
# status in 2026, effect). Fictional, like everything here.
DEMO_PLAN = (
    ("regie", "Maak met de partners schriftelijke afspraken over wie de regie heeft bij "
     "complexe casussen.", "Gemeente, team jeugd", "Afspraken vastgesteld in het regio-overleg",
     ACTIE_GEREALISEERD, "Afspraken staan; partners weten beter wie ze moeten bellen."),
    ("signal", "Organiseer twee keer per jaar een casusoverleg met scholen en het wijkteam "
     "over signalen.", "Wijkteam", "Aantal overleggen en aantal besproken casussen",
     ACTIE_BEZIG, ""),
    ("veiligheid", "Spreek met Veilig Thuis af hoe en wanneer het wijkteam een terugkoppeling "
     "krijgt.", "Veilig Thuis en wijkteam", "Terugkoppeling binnen tien werkdagen",
     ACTIE_GEPLAND, ""),
)


def _vul_plan(s: Session, vorig: Ronde, huidig: Ronde, kaders: Mapping[str, Kader]) -> None:
    """Seed DEMO_PLAN in the previous ronde and carry it over to the current one, with
    the audit trail storage.verbeterplan would have written."""

    criteria = [(k.id, c) for k in sorted(kaders.values(), key=lambda k: k.id) for c in k.criteria]
    for woord, wat, eigenaar, meting, status, effect in DEMO_PLAN:
        gevonden = next(((k, c.id) for k, c in criteria
                         if woord in f"{c.id} {c.kort}".lower()), None)
        if gevonden is None:
            continue
        kader_id, criterium_id = gevonden
        velden = dict(kader_id=kader_id, criterium_id=criterium_id, wat=wat, eigenaar=eigenaar,
                      meting=meting)
        start = vorig.aangemaakt + timedelta(days=35)
        oud = Verbeteractie(ronde_id=vorig.id, deadline=(start + timedelta(days=240)).date(), status=ACTIE_GEPLAND,
                            aangemaakt=start, bijgewerkt=start, **velden)
        s.add(oud)
        s.flush()
        log_actie(s, oud, "aangemaakt", start)
        overgenomen = huidig.aangemaakt + timedelta(days=1)
        nieuw = Verbeteractie(ronde_id=huidig.id, deadline=oud.deadline, status=status,
                              effect=effect, overgenomen_van=oud.id,
                              aangemaakt=overgenomen, bijgewerkt=overgenomen, **velden)
        s.add(nieuw)
        s.flush()
        log_actie(s, nieuw, "overgenomen", overgenomen)


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


def _score(
    rng: random.Random, kader: Kader, verschuiving: float, rol: str,
    patroon: tuple[float, float] = (0.0, 0.6),
) -> str:
    """A plausible score: around the middle of the scale, shifted per gemeente,
    criterium and role (``patroon``: extra shift and spread); partners say
    'weet niet' more often."""
    gemeente = _is_gemeenterol(rol)
    kans_weet_niet = 0.03 if gemeente else 0.07
    trek = rng.random()
    if trek < kans_weet_niet:
        return WEET_NIET
    if trek < kans_weet_niet + 0.03:
        return NVT
    extra, spreiding = patroon
    laag, hoog = kader.schaal.minimum, kader.schaal.maximum
    midden = (laag + hoog) / 2
    waarde = midden + verschuiving + extra + (0.4 if gemeente else 0.0) + rng.gauss(0, spreiding)
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


# --- the second silent vote (issue 15): the open ronde of the first demo gemeente ----------

def _vul_tweede_stem(s: Session, ronde: Ronde, antwoorden: list[dict]) -> None:
    """A second vote after the discussion of each criterium that has a consensus: every
    respondent with a scale score moves one step towards the agreed score (weet_niet
    and nvt stay), so the workshop page and the verbeterplan show the group coming
    closer. Fictional; derived from the seeded answers, no random draws."""
    afgesproken = {(c.kader_id, c.criterium_id): int(c.score)
                   for c in s.scalars(select(Consensus).where(Consensus.ronde_id == ronde.id)) if c.score.isdigit()}
    moment = nu() - timedelta(hours=1)
    for a in antwoorden:
        doel = afgesproken.get((a["kader_id"], a["criterium_id"]))
        if doel is None or not a["score"]:
            continue
        score = a["score"]
        if score.isdigit() and int(score) != doel:
            score = str(int(score) + (1 if doel > int(score) else -1))
        s.add(TweedeStem(respondent_id=a["respondent_id"], kader_id=a["kader_id"],
                         criterium_id=a["criterium_id"], score=score, bijgewerkt=moment))
    s.flush()
