"""Demo data for "did last year's plan work?" (issue 15, item 3; `rapport.planeffect`).

The first demo gemeente's 2025 verbeterplan (`storage.demo.DEMO_PLAN`) has three actions,
one per status; in a kader with a dozen criteria that gives no groups to compare. This adds
fictional actions on more succesfactoren of the Robuuste netwerken kader (`DEMO_PLAN_KADER`)
with each status, carried over to 2026 like the others, so that kader's verbeterplan shows
real groups: afgerond, lopend, niet gestart of gestopt, and criteria without actions.

Deterministic (no random generator); the scores are not touched, so whatever change the
groups show comes from the seeded answers, not from this module. Criteria the kader does not
have (another version, a test kader) are skipped.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from sqlalchemy.orm import Session

from kader.model import Kader
from storage.models import Ronde, Verbeteractie
from storage.verbeterplan import log_actie
from uitwisselformaat.waarden import ACTIE_BEZIG, ACTIE_GEPLAND, ACTIE_GEREALISEERD, ACTIE_GESTOPT

DEMO_PLAN_KADER = "robuuste-netwerken"

# (criterium id, wat, eigenaar, meting, status in 2026, effect). Fictional, like the whole demo.
DEMO_PLAN_EXTRA = (
    ("sf4-korte-lijnen", "Maak een actuele lijst met vaste contactpersonen per partner en deel die "
     "met alle teams.", "Gemeente, team jeugd", "Lijst staat online en is dit jaar twee keer bijgewerkt",
     ACTIE_GEREALISEERD, "De lijst wordt gebruikt; partners bellen elkaar sneller."),
    ("sf9-structureel-formaliseren", "Leg de afspraken uit het netwerkoverleg vast in een "
     "samenwerkingsconvenant.", "Gemeente en partners", "Convenant ondertekend",
     ACTIE_GEREALISEERD, "Het convenant is ondertekend door zes partners."),
    ("sf1-sluitende-aanpak", "Breng samen met de partners in kaart waar jeugdigen tussen wal en "
     "schip vallen.", "Wijkteam", "Overzicht van knelpunten besproken in het netwerkoverleg",
     ACTIE_BEZIG, ""),
    ("sf6-gezamenlijke-visie", "Schrijf met de partners een korte gezamenlijke visie op de "
     "samenwerking rond gezinnen.", "Gemeente, team jeugd", "Visie vastgesteld in het netwerkoverleg",
     ACTIE_BEZIG, ""),
    ("sf3-inhoud-centraal", "Bespreek in elk netwerkoverleg eerst een casus, daarna pas de "
     "organisatie.", "Voorzitter netwerkoverleg", "Aantal overleggen dat met een casus begon",
     ACTIE_GEPLAND, ""),
    ("sf5-niet-alles-tegelijk", "Kies per half jaar één thema voor het netwerk.", "Gemeente, team jeugd",
     "Thema gekozen en gevolgd", ACTIE_GESTOPT, "Gestopt: het netwerk koos liever voor vaste casusbesprekingen."),
)


def vul_planeffect(s: Session, vorig: Ronde, huidig: Ronde, kaders: Mapping[str, Kader]) -> int:
    """Add `DEMO_PLAN_EXTRA` to the previous ronde's plan and carry it over to the current one
    with its 2026 status (audit rows as `storage.verbeterplan` writes them). Returns how many."""
    kader = kaders.get(DEMO_PLAN_KADER)
    if kader is None:
        return 0
    bekend = {c.id for c in kader.criteria}
    aantal = 0
    for nummer, (criterium_id, wat, eigenaar, meting, status, effect) in enumerate(DEMO_PLAN_EXTRA):
        if criterium_id not in bekend:
            continue
        velden = dict(kader_id=kader.id, criterium_id=criterium_id, wat=wat, eigenaar=eigenaar, meting=meting)
        start = vorig.aangemaakt + timedelta(days=36, minutes=nummer)
        oud = Verbeteractie(ronde_id=vorig.id, deadline=(start + timedelta(days=240)).date(), status=ACTIE_GEPLAND,
                            effect="", aangemaakt=start, bijgewerkt=start, **velden)
        s.add(oud)
        s.flush()
        log_actie(s, oud, "aangemaakt", start)
        overgenomen = huidig.aangemaakt + timedelta(days=1)
        nieuw = Verbeteractie(ronde_id=huidig.id, deadline=oud.deadline, status=status, effect=effect,
                              overgenomen_van=oud.id, aangemaakt=overgenomen, bijgewerkt=overgenomen, **velden)
        s.add(nieuw)
        s.flush()
        log_actie(s, nieuw, "overgenomen", overgenomen)
        aantal += 1
    return aantal
