"""The demo regio with the real kaders and questionnaires: the kader taken up in the
newest ronde only, the signalering pattern in the direction its sources give, and
the citations in the module docstring."""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from statistics import mean

import pytest
from sqlalchemy import select

from storage import db, demo
from storage.models import Antwoord, Gemeente, Respondent, Ronde, RondeKader

pytestmark = pytest.mark.db

ROOT = Path(__file__).resolve().parent.parent
BRONNEN = ROOT.parent / "shared" / "bronnen"


@pytest.fixture(scope="module")
def demo_engine(demo_sjabloon):
    engine = db.maak_engine(f"sqlite:///{demo_sjabloon}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def antwoorden(demo_engine):
    """(gemeente, jaar, rol, organisatie, kader, criterium, score) of every demo answer."""
    with db.sessie(demo_engine) as s:
        return s.execute(
            select(Gemeente.naam, Ronde.jaar, Respondent.rol, Respondent.organisatie,
                   Antwoord.kader_id, Antwoord.criterium_id, Antwoord.score)
            .join(Respondent, Antwoord.respondent_id == Respondent.id)
            .join(Ronde, Respondent.ronde_id == Ronde.id)
            .join(Gemeente, Ronde.gemeente_id == Gemeente.id)).all()


def test_new_kader_only_in_the_newest_ronde(demo_engine, antwoorden, kaders, vragenlijsten):
    nieuw = demo.DEMO_NIEUWE_KADERS & set(kaders)
    assert "holland-rijnland-zorg-en-veiligheid" in nieuw
    # every rol that answers it, in the questionnaires
    assert all(nieuw <= set(lijst.kader_ids) for lijst in vragenlijsten.lijsten.values())
    nieuwste = demo.DEMO_JAREN[-1]
    with db.sessie(demo_engine) as s:
        per_ronde = defaultdict(set)
        for naam, jaar, kader_id in s.execute(select(Gemeente.naam, Ronde.jaar, RondeKader.kader_id)
                                              .join(Ronde, RondeKader.ronde_id == Ronde.id)
                                              .join(Gemeente, Ronde.gemeente_id == Gemeente.id)):
            per_ronde[(naam, jaar)].add(kader_id)
    assert len(per_ronde) == len(demo.DEMO_GEMEENTEN) * len(demo.DEMO_JAREN)
    beantwoord = defaultdict(set)
    for naam, jaar, _rol, _org, kader_id, _crit, score in antwoorden:
        if score is not None:
            beantwoord[(naam, jaar)].add(kader_id)
    for (naam, jaar), gevraagd in per_ronde.items():
        if jaar == nieuwste:
            assert gevraagd == set(kaders), naam
            assert nieuw <= beantwoord[(naam, jaar)], naam  # something to show in every view
        else:
            assert gevraagd == set(kaders) - nieuw, (naam, jaar)
            assert not nieuw & beantwoord[(naam, jaar)], (naam, jaar)
    # in the newest ronde every criterium of the new kader has answers
    for kader_id in nieuw:
        criteria = {c for _n, j, _r, _o, k, c, _s in antwoorden if j == nieuwste and k == kader_id}
        assert criteria == {c.id for c in kaders[kader_id].criteria}


def test_wijkteam_organisaties_come_from_its_questionnaire(antwoorden, vragenlijsten):
    organisaties = vragenlijsten.lijsten[demo.WIJKTEAM_ROL].rol.organisaties
    assert {demo.BUURTTEAM, demo.CJG} <= set(organisaties)
    gezien = {(rol, org) for _n, _j, rol, org, *_ in antwoorden}
    assert {(demo.WIJKTEAM_ROL, demo.BUURTTEAM), (demo.WIJKTEAM_ROL, demo.CJG)} <= gezien
    assert all(org is None for rol, org in gezien if rol != demo.WIJKTEAM_ROL)


def _gemiddelden(antwoorden, patroon: str) -> dict[tuple[str, str | None], float]:
    """Mean numeric score on the signalering criteria per (rol, organisatie), over all
    rondes of the gemeenten with this pattern."""
    scores = defaultdict(list)
    for naam, _jaar, rol, org, _kader, crit, score in antwoorden:
        if demo.DEMO_GEMEENTEN[naam].patroon == patroon and "signal" in crit and score.isdigit():
            scores[(rol, org)].append(int(score))
    return {groep: mean(s) for groep, s in scores.items()}


def test_signalering_receivers_score_lower_than_the_signallers(antwoorden):
    """002 §3.2: scholen and buurtteams wait long before they share signals; the GGD
    (jeugdgezondheidszorg), the CJG and Veilig Thuis, who receive them, are worried. So
    the receivers rate signalering lower than the signallers rate their own."""
    assert any(p.patroon == "signalering" for p in demo.DEMO_GEMEENTEN.values())
    assert ("onderwijs", None) in demo.SIGNALEERDERS
    assert {("jgz", None), ("veilig-thuis", None), (demo.WIJKTEAM_ROL, demo.CJG)} <= demo.ONTVANGERS
    gem = _gemiddelden(antwoorden, "signalering")
    for ontvanger in demo.ONTVANGERS:
        for signaleerder in demo.SIGNALEERDERS:
            assert gem[ontvanger] < gem[signaleerder], (ontvanger, signaleerder, gem)
    # and that is the pattern, not the demo as a whole: where partners agree, the gap is smaller
    kloof = {p: mean(g[s] for s in demo.SIGNALEERDERS) - mean(g[o] for o in demo.ONTVANGERS)
             for p, g in ((p, _gemiddelden(antwoorden, p)) for p in ("signalering", "eensgezind"))}
    assert kloof["signalering"] > kloof["eensgezind"] + 0.5, kloof


def _sectie(tekst: str, kop: str, volgende: str) -> str:
    """The body of a section: from the last occurrence of its heading (past the table of
    contents) to the next heading."""
    begin = tekst.rindex(kop)
    return re.sub(r"\s+", " ", tekst[begin:tekst.index(volgende, begin)])


def test_docstring_cites_what_the_sources_say():
    doc = re.sub(r"\s+", " ", demo.__doc__)
    b002 = (BRONNEN / "002_7cda73b5febe7485.txt").read_text(encoding="utf-8")
    b003 = (BRONNEN / "003_bb2a81886ab9c9d4.txt").read_text(encoding="utf-8")
    s32 = _sectie(b002, "3.2 Bevindingen", "3.3 Conclusie")
    assert "002 §3.2" in doc
    assert "scholen en buurtteams lang wachten voordat zij signalen met andere partijen delen" in s32
    assert "professionals van ondermeer de GGD, het CJG en Veilig Thuis aan zich hier zorgen over te maken" in s32
    assert "003 H5" in doc and "niet vroeg genoeg samenwerking zoeken" in _sectie(b003, " 5 Conclusie", "Vraag 2")
    # eigen_beeld has no source: the docstring says so instead of citing §4.2 for it
    eigen = doc[doc.index("``eigen_beeld``"):doc.index("``signalering``")]
    assert "instrument's own illustration" in eigen and "no agreements on regie" not in eigen
