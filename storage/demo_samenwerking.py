"""Fictional samenwerkingskaart answers for the demo regio (issue 15), called once per
demo gemeente from :func:`storage.demo.vul_demo` for its newest (open) ronde, which gets
the samenwerkingskaart switched on.

The pattern follows source 003 chapters 4–5 (Conclusie, vraag 1): scholen that work with
the wijkcoaches value the extra ingang, the short lines and how fast the wijkcoaches act,
while the wijkcoaches find that some scholen seek cooperation too late and pass problems
on when these grow over their heads. So in the demo, onderwijs places its cooperation
with wijkteam-cjg around level 3 of the coördinatieladder and wijkteam-cjg places its
cooperation with onderwijs around level 1: the medians differ by 2 levels in every
gemeente, whatever the group sizes (the values are dealt from fixed lists, not drawn).
The levels themselves are this instrument's own illustration of that finding; the
source gives no numbers. Every other pair gets a plausible level around 'afstemmen'
(2), with some weet_niet and nvt, from a generator seeded per gemeente, so the same
kaders and roles give the same demo every time.
"""
from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from storage.models import Respondent, Ronde, RondeRol, Samenwerking

ONDERWIJS, WIJKTEAM = "onderwijs", "wijkteam-cjg"
# Dealt in turn to the respondents of the rol, so any number of them keeps the median.
PATROON = {
    (ONDERWIJS, WIJKTEAM): ("3", "4", "3", "2", "3", "4", "3"),
    (WIJKTEAM, ONDERWIJS): ("1", "0", "1", "2", "1", "0", "1"),
}
TOELICHTING = {
    (ONDERWIJS, WIJKTEAM): ("Korte lijnen: de wijkcoach komt snel in actie als wij een zorg melden.",
                            "Soms is onduidelijk wie wat doet: de wijkcoach of het zorgteam."),
    (WIJKTEAM, ONDERWIJS): ("Sommige scholen zoeken ons pas op als het probleem hen boven het hoofd groeit.",
                            "Het verschilt per school en per persoon hoe het loopt."),
}
DEEL = 0.85  # share of respondents who fill in the optional part


def vul_samenwerking(s: Session, ronde: Ronde, seed: str) -> int:
    """Switch the samenwerkingskaart on for ``ronde`` and add answers; returns the number of rows."""
    ronde.samenwerkingskaart = True
    rng = random.Random(f"{seed}-samenwerking")
    rollen = sorted(s.scalars(select(RondeRol.rol).where(RondeRol.ronde_id == ronde.id)))
    respondenten = s.scalars(select(Respondent).where(Respondent.ronde_id == ronde.id)
                             .order_by(Respondent.pseudoniem)).all()
    basis = {(a, b): min(4.0, max(0.5, rng.gauss(2.0, 0.7))) for a in rollen for b in rollen if a != b}
    beurt: dict[tuple[str, str], int] = {}
    rijen = []
    for resp in respondenten:
        if rng.random() >= DEEL:
            continue
        for partner in rollen:
            paar = (resp.rol, partner)
            if partner == resp.rol:
                continue
            if paar in PATROON:
                i = beurt.get(paar, 0)
                beurt[paar] = i + 1
                niveau = PATROON[paar][i % len(PATROON[paar])]
                toelichting = TOELICHTING[paar][i % 2] if i < 2 else ""
            else:
                trek = rng.random()
                if trek < 0.06:
                    niveau = "weet_niet"
                elif trek < 0.12:
                    niveau = "nvt"
                else:
                    niveau = str(min(5, max(0, round(rng.gauss(basis[paar], 0.8)))))
                toelichting = ""
            rijen.append(dict(respondent_id=resp.id, partner=partner, niveau=niveau, toelichting=toelichting,
                              bijgewerkt=resp.aangemaakt + timedelta(minutes=40)))
    if rijen:
        s.execute(insert(Samenwerking), rijen)
    return len(rijen)
