"""The samenwerkingskaart of a ronde in and out (issue 15): the CSV export of a ronde, the
import of an uploaded samenwerking CSV (all or nothing), and what the PDFs get.

The file format is `uitwisselformaat.samenwerking`; storage is `storage.samenwerking`
(through `storage.repository`), which checks the scope of ``door`` in its own transaction.
"""
from __future__ import annotations

from collections.abc import Collection

import pandas as pd
from sqlalchemy import Engine

from storage import repository as repo
from toegang import Gebruiker
from uitwisselformaat import controleer_grootte
from uitwisselformaat.samenwerking import lees_samenwerking_csv, schrijf_samenwerking_csv


def samenwerking_csv_van_ronde(engine: Engine, ronde_id: int) -> bytes:
    """The samenwerkingskaart answers of a ronde as a samenwerking CSV (header only when
    there are none). Pseudonyms and per-person levels, like the answers export: for staff
    with the right ``exporteren`` in the ronde's gemeente only (the page checks that)."""
    return schrijf_samenwerking_csv(repo.samenwerking_df(engine, ronde_id))


def importeer_samenwerkingsbestand(engine: Engine, data: bytes, bestandsnaam: str, rollen: Collection[str], *,
                                   door: Gebruiker) -> int:
    """An uploaded samenwerking CSV, all or nothing; returns the number of rows stored
    (new or overwritten). The size is checked before anything is read; ``rollen``: the
    known rol ids. Every gemeente in the file must be in ``door``'s scope (checked in
    storage). Raises UitwisselFout (file, row and column) or ValueError, in Dutch."""
    controleer_grootte(len(data), bestandsnaam)
    df = lees_samenwerking_csv(data, bestandsnaam, set(rollen) or None)
    return repo.importeer_samenwerking(engine, df, bestandsnaam, door=door)


def samenwerking_voor_rapport(engine: Engine, ronde_id: int) -> pd.DataFrame | None:
    """What the PDFs get as ``samenwerking``: the ronde's samenwerkingskaart answers; an
    empty frame when the kaart is switched on but nobody answered yet (the section says
    so); None when the ronde has no answers and the kaart is off (no section at all).
    Answers kept after switching the kaart off are still shown."""
    df = repo.samenwerking_df(engine, ronde_id)
    if df.empty and not repo.samenwerkingskaart_aan(engine, ronde_id):
        return None
    return df


def import_tekst(aantal_rijen: int) -> str:
    """The result of a samenwerking import in Dutch."""
    return (f"Geïmporteerd: {aantal_rijen} {'antwoord' if aantal_rijen == 1 else 'antwoorden'} "
            "op de samenwerkingskaart (nieuw of bijgewerkt).")
