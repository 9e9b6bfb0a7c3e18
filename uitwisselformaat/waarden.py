"""The fixed values a ronde, its workshop and a verbeterplan action can take.

They are part of the exchange formats (a snapshot carries them, and
:mod:`uitwisselformaat.snapshot` checks them) and of the database schema
(``storage/models.py`` uses them as defaults), so they live here, without any
database code.
"""
from __future__ import annotations

# Status of a ronde: open for answers, or closed.
STATUS_OPEN = "open"
STATUS_GESLOTEN = "gesloten"
STATUSSEN = (STATUS_OPEN, STATUS_GESLOTEN)

# Workshop phases of a ronde: everyone scores alone, the scores are revealed
# (criterium by criterium), the group agrees on a consensus score.
FASE_STIL_SCOREN = "stil_scoren"
FASE_ONTHULLEN = "onthullen"
FASE_CONSENSUS = "consensus"
FASES = (FASE_STIL_SCOREN, FASE_ONTHULLEN, FASE_CONSENSUS)

# Status of an action in the verbeterplan.
ACTIE_GEPLAND = "gepland"
ACTIE_BEZIG = "bezig"
ACTIE_GEREALISEERD = "gerealiseerd"
ACTIE_GESTOPT = "gestopt"
ACTIE_STATUSSEN = (ACTIE_GEPLAND, ACTIE_BEZIG, ACTIE_GEREALISEERD, ACTIE_GESTOPT)
# What an audit row of an action records.
GEBEURTENISSEN = ("aangemaakt", "gewijzigd", "overgenomen", "verwijderd")
