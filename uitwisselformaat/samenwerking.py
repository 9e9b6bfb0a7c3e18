"""The samenwerkingskaart as data: per respondent and partner rol, how far their
cooperation around a family usually goes, on the coördinatieladder
(``kader/schalen/coordinatieladder.yaml``, after Mehlkopf 2008 in source 003).

The DataFrame and the CSV file have the columns :data:`SAMENWERKING_KOLOMMEN`, every
cell a ``str``:

===========  ========================================================================
gemeente     name of the gemeente
ronde        label of the ronde
respondent   pseudonym ('r-7k3m9q'); never a name
rol          the respondent's rol id (vragenlijsten/)
partner      the partner's rol id: with whom the respondent works
niveau       '0'..'5' (the ladder), 'weet_niet' or 'nvt'
toelichting  free text, cleaned; may be ''
===========  ========================================================================

One row per respondent × partner. No database code here.
"""
from __future__ import annotations

SAMENWERKING_KOLOMMEN = ("gemeente", "ronde", "respondent", "rol", "partner", "niveau", "toelichting")
LADDER = ("0", "1", "2", "3", "4", "5")
"""The levels of the coördinatieladder, low to high."""
NIVEAUS = (*LADDER, "weet_niet", "nvt")
"""Every value ``niveau`` may take."""
