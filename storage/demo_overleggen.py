"""Demo data for the inventory of overleggen: a plausible, fictional list for the newest
ronde of the demo regio's first gemeente. Generic names only (no people, no real
networks); one of the seven functions (periodiek analyseren van signalen) is performed
by no overleg, as in most netwerken of source 000 Tabel 2.2, so the page has a gap to show.
"""
from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm import Session

from storage.models import Overleg, Ronde

# (naam, frequentie, voorzitter_rol, deelnemers, functies)
DEMO_OVERLEGGEN = (
    ("Wijkteamoverleg", "elke week", "wijkteam-cjg", ("wijkteam-cjg", "jgz", "volwassenenzorg"),
     ("informatie-en-advies", "signalering", "kortdurende-lichte-hulp", "doorverwijzen", "coordinatie", "evaluatie")),
    ("Zorgadviesteam school", "elke maand", "onderwijs", ("onderwijs", "jgz", "wijkteam-cjg", "jeugdhulpaanbieder"),
     ("informatie-en-advies", "signalering", "doorverwijzen")),
    ("Buurtnetwerk jeugd", "om de twee maanden", "gemeente",
     ("onderwijs", "kinderopvang", "politie", "jgz", "wijkteam-cjg"), ("informatie-en-advies", "signalering")),
    ("Casusoverleg zorg en veiligheid", "elke twee weken", "gemeente",
     ("veilig-thuis", "politie", "wijkteam-cjg", "jeugdhulpaanbieder"),
     ("signalering", "doorverwijzen", "coordinatie", "evaluatie")),
    ("Overleg met huisartsen", "elk kwartaal", "wijkteam-cjg", ("huisarts", "jgz", "wijkteam-cjg"),
     ("informatie-en-advies", "doorverwijzen")),
)


def vul_demo_overleggen(s: Session, ronde: Ronde, rollen: Collection[str]) -> None:
    """Add the demo inventory to ``ronde`` inside the demo's own transaction (storage.demo).
    Rollen the demo does not use are left out, so the list stays valid for any set of rollen."""
    bekend = set(rollen)
    for naam, frequentie, voorzitter, deelnemers, functies in DEMO_OVERLEGGEN:
        s.add(Overleg(ronde_id=ronde.id, naam=naam, frequentie=frequentie,
                      voorzitter_rol=voorzitter if voorzitter in bekend else None,
                      deelnemers=[r for r in deelnemers if r in bekend], functies=list(functies)))
    s.flush()
