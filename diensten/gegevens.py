"""Files in and out for one ronde: import an uploaded answers file or snapshot, the
werkboek and the snapshot of a ronde; the result of an import in words, and its
errors grouped for the page and as a CSV."""
from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Engine

from kader import rapportvolgorde
from kader.model import Kader
from rapport.werkboek import maak_werkboek
from storage import repository as repo
from storage.herimport import Telling
from storage.snapshot import SnapshotResultaat, exporteer_snapshot, importeer_snapshot_uitslag
from toegang import Gebruiker
from uitwisselformaat import Melding, UitwisselFout, controleer_grootte, lees_csv, lees_xlsx, neutraliseer
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
    """An uploaded CSV or Excel file (by its extension), all or nothing. An Excel file is
    read from its first sheet: the uitwisselformaat export, or the werkboek (its first sheet
    is Antwoorden). Rows equal to the stored answers are skipped, changed rows update
    them with an audit row (see ``storage.herimport``); :func:`telling_tekst` says so.

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
) -> SnapshotResultaat:
    """A snapshot (JSON), all or nothing: a new ronde, or the answers of the ronde that is here
    already brought up to date (see ``storage.snapshot``); :func:`snapshot_tekst` says which."""
    controleer_grootte(len(data), bestandsnaam)
    return importeer_snapshot_uitslag(engine, data, bestandsnaam, kaders=kaders, rollen=rollen, door=door)


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


def aantal(n: int, enkelvoud: str, meervoud: str) -> str:
    """'1 ronde', '2 rondes', '0 rondes'."""
    return f"{n} {enkelvoud if n == 1 else meervoud}"


def _antwoorden_tekst(t: Telling) -> str:
    totaal = t.nieuw + t.gewijzigd + t.ongewijzigd
    return (f"{t.nieuw} nieuw, {t.gewijzigd} gewijzigd, {t.ongewijzigd} ongewijzigd "
            f"({aantal(totaal, 'antwoord', 'antwoorden')})")


def telling_tekst(uit: repo.ImportResultaat) -> str:
    """The result of an import in Dutch: 'Geïmporteerd: 2 nieuw, 1 gewijzigd, 9 ongewijzigd
    (12 antwoorden). Aangemaakt: 1 respondent.'"""
    tekst = f"Geïmporteerd: {_antwoorden_tekst(Telling(uit.antwoorden, uit.gewijzigd, uit.ongewijzigd))}."
    aangemaakt = [aantal(n, enkel, meer) for n, enkel, meer in (
        (uit.gemeenten, "gemeente", "gemeenten"), (uit.rondes, "ronde", "rondes"),
        (uit.respondenten, "respondent", "respondenten")) if n]
    if aangemaakt:
        tekst += f" Aangemaakt: {', '.join(aangemaakt)}."
    return tekst


TOON_PER_GROEP = 10
"""How many meldingen a group shows on the page; the rest is counted ('en 15 meer')."""


@dataclass(frozen=True)
class Foutgroep:
    """Meldingen of one kind (one column, or the row/file as a whole) for the page."""

    titel: str
    regels: tuple[str, ...]
    meer: int

    @property
    def aantal(self) -> int:
        return len(self.regels) + self.meer


def groepeer_meldingen(fout: UitwisselFout, per_groep: int = TOON_PER_GROEP) -> list[Foutgroep]:
    """The meldingen of a refused file grouped by column, in order of first appearance;
    per group the first ``per_groep`` lines ('rij 5: ...') and how many more there are.
    The titles name the file and the column. Lines quote the file: show them as plain text."""
    groepen: dict[str | None, list[Melding]] = {}
    for m in fout.meldingen:
        groepen.setdefault(m.kolom, []).append(m)
    uit = []
    for kolom, meldingen in groepen.items():
        bestand = meldingen[0].bestand
        waar = f"kolom '{kolom}'" if kolom is not None else "de rij of het bestand als geheel"
        titel = (f"{bestand + ', ' if bestand else ''}{waar}: "
                 f"{aantal(len(meldingen), 'fout', 'fouten')}")
        regels = tuple(f"rij {m.rij}: {m.tekst}" if m.rij is not None else m.tekst
                       for m in meldingen[:per_groep])
        uit.append(Foutgroep(titel, regels, len(meldingen) - len(regels)))
    return uit


def meldingen_csv(fout: UitwisselFout) -> bytes:
    """Every melding of a refused file as CSV (columns rij, kolom, melding; UTF-8 with BOM
    for Excel). Cells are neutralised: the messages quote the file."""
    buffer = io.StringIO(newline="")
    schrijver = csv.writer(buffer, lineterminator="\r\n")
    schrijver.writerow(["rij", "kolom", "melding"])
    for m in fout.meldingen:
        schrijver.writerow([neutraliseer(str(m.rij) if m.rij is not None else ""),
                            neutraliseer(m.kolom or ""), neutraliseer(m.tekst)])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def snapshot_tekst(uit: SnapshotResultaat) -> str:
    """The result of a snapshot import in Dutch, like :func:`telling_tekst`."""
    soort = "als nieuwe ronde" if uit.nieuwe_ronde else "in de bestaande ronde"
    tekst = f"Geïmporteerd {soort}: {_antwoorden_tekst(uit.telling)}."
    if uit.respondenten:
        tekst += f" Aangemaakt: {aantal(uit.respondenten, 'respondent', 'respondenten')}."
    return tekst
