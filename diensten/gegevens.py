"""Files in and out for one ronde: import an uploaded answers file or snapshot, the
werkboek and the snapshot of a ronde."""
from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Engine

from kader import rapportvolgorde
from kader.model import Kader
from rapport.werkboek import maak_werkboek
from storage import repository as repo
from storage.snapshot import exporteer_snapshot, importeer_snapshot
from toegang import Gebruiker
from uitwisselformaat import controleer_grootte, lees_csv, lees_xlsx
from uitwisselformaat.snapshot import snapshot_bytes


def importeer_bestand(
    engine: Engine,
    data: bytes,
    bestandsnaam: str,
    kaders: Mapping[str, Kader],
    rollen: set[str],
    *,
    door: Gebruiker,
) -> repo.ImportResultaat:
    """An uploaded CSV or Excel file (by its extension), all or nothing.

    The size is checked before anything is parsed; every gemeente in the file must be
    in ``door``'s scope (checked in storage, in the import's own transaction).
    Raises UitwisselFout (row and column) or ValueError, in Dutch.
    """
    controleer_grootte(len(data), bestandsnaam)
    lezer = lees_xlsx if bestandsnaam.lower().endswith(".xlsx") else lees_csv
    df = lezer(data, kaders, rollen, bestand=bestandsnaam)
    return repo.importeer_antwoorden(engine, df, {k: v.versie for k, v in kaders.items()},
                                     bestand=bestandsnaam, door=door)


def importeer_snapshotbestand(
    engine: Engine, data: bytes, bestandsnaam: str, kaders: Mapping[str, Kader], rollen: set[str], *, door: Gebruiker
) -> int:
    """A snapshot (JSON) as a new ronde, all or nothing; returns the new ronde id."""
    controleer_grootte(len(data), bestandsnaam)
    return importeer_snapshot(engine, data, bestandsnaam, kaders=kaders, rollen=rollen, door=door)


def werkboek_van_ronde(
    engine: Engine,
    ronde_id: int,
    kaders: Mapping[str, Kader],
    *,
    rol_namen: Mapping[str, str] | None = None,
    drempel: int | None = None,
) -> bytes:
    """The Excel workbook (rapport.werkboek.maak_werkboek) of a ronde in the database.
    ValueError when the ronde does not exist."""
    ronde = repo.ronde(engine, ronde_id)
    if ronde is None:
        raise ValueError("Deze ronde bestaat niet (meer).")
    return maak_werkboek(
        repo.antwoorden_df(engine, ronde_id),
        rapportvolgorde(kaders, ronde.kader_versies),
        consensus=repo.consensus_df(engine, ronde_id),
        acties=repo.acties_van(engine, ronde_id),
        rol_namen=rol_namen,
        drempel=drempel,
    )


def snapshot_van_ronde(engine: Engine, ronde_id: int) -> bytes:
    """The snapshot (canonical JSON with its SHA-256) of a ronde."""
    return snapshot_bytes(exporteer_snapshot(engine, ronde_id))
