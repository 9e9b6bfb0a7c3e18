"""Excel workbook (.xlsx) of one ronde, for people who want to work on in a spreadsheet.

Four sheets, each with a bold, frozen header row in Dutch and fitting column widths:

* **Antwoorden** — the uitwisselformaat rows (same columns as the CSV; the sheet can
  be read back with ``uitwisselformaat.lees_xlsx(..., blad="Antwoorden")``);
* **Scores** — `rapport.analyse.analyseer` per criterium, thema and kader, for all
  respondents and per rol group, with the anonymity threshold applied exactly as on
  the pages (small rol groups merged into "Overige partners"; numbers of a group
  that is too small on an item left empty);
* **Consensus** — the workshop's agreed score per criterium beside the mean of the
  individual answers;
* **Verbeterplan** — the actions: criterium, wat, eigenaar, deadline, hoe meten,
  status, effect, bronactie.

Formula injection: every text cell is stored as text (type 's', never a formula),
with `uitwisselformaat.neutraliseer` (a leading "'" before text that starts
with '=', '+', '-', '@', a tab or a carriage return; the same function as the CSV and
Excel exports, undone by `lees_xlsx`). Control characters are stored with OOXML's
_xHHHH_ escape.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import math
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from kader.model import Kader
from rapport.analyse import analyseer, met_consensus, rond_af
from rapport.anonimiteit import onderdruk
from rapport.groepen import ALLE
from uitwisselformaat import KOLOMMEN, neutraliseer, ooxml_escape

BLADEN = ("Antwoorden", "Scores", "Consensus", "Verbeterplan")

SCORE_KOPPEN = {
    "kader": "Kader",
    "niveau": "Niveau",
    "id": "Id",
    "kort": "Onderdeel",
    "thema_id": "Thema",
    "groep": "Groep",
    "respondenten": "Respondenten",
    "respondenten_gescoord": "Respondenten met een score",
    "aantal_antwoorden": "Antwoorden",
    "n": "Scores",
    "gemiddelde": "Gemiddelde",
    "mediaan": "Mediaan",
    "q1": "Eerste kwartiel (Q1)",
    "q3": "Derde kwartiel (Q3)",
    "iqr": "Interkwartielafstand (IQR)",
    "minimum": "Laagste",
    "maximum": "Hoogste",
    "aandeel_weet_niet": "Aandeel weet niet",
    "aandeel_nvt": "Aandeel n.v.t.",
    "consensus": "Eensgezindheid",
    "onderdrukt": "Verborgen (te weinig deelnemers)",
}
CONSENSUS_KOPPEN = ("Kader", "Criterium-id", "Criterium", "Consensus", "Motivatie",
                    "Gemiddelde alle respondenten", "Verschil (consensus − gemiddelde)")
PLAN_KOPPEN = ("Kader", "Criterium-id", "Criterium", "Wat", "Eigenaar", "Deadline",
               "Hoe meten we het?", "Status", "Effect", "Bronactie")
STATUS = {"gepland": "Gepland", "bezig": "Bezig", "gerealiseerd": "Gerealiseerd", "gestopt": "Gestopt"}

_BREED = 60  # widest column (characters); longer text wraps
_SMAL = 8


def veilige_tekst(tekst: str) -> str:
    """Text as stored in a cell: neutralised against formulas, control characters escaped."""
    return ooxml_escape(neutraliseer(tekst))


def _waarde(waarde):
    """A Python value as a cell value: text made safe, NaN/None empty, bools ja/nee."""
    if waarde is None or waarde is pd.NA:
        return None
    if isinstance(waarde, bool):
        return "ja" if waarde else "nee"
    if isinstance(waarde, float) and math.isnan(waarde):
        return None
    if hasattr(waarde, "item") and not isinstance(waarde, str):  # numpy scalar
        return _waarde(waarde.item())
    if isinstance(waarde, (int, float, dt.date)):
        return waarde
    tekst = str(waarde)
    return veilige_tekst(tekst) if tekst else None


def _blad(wb, titel: str, koppen: Sequence[str], rijen: Iterable[Sequence], formaten: Mapping[int, str] = {},
          breed: Iterable[int] = ()) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(titel)
    breedtes = [len(k) for k in koppen]
    ws.append([veilige_tekst(k) for k in koppen])
    for cel in ws[1]:
        cel.font = Font(bold=True)
        cel.data_type = "s"
    for rij in rijen:
        waarden = [_waarde(w) for w in rij]
        ws.append(waarden)
        for i, w in enumerate(waarden):
            if w is not None:
                lengte = max((len(r) for r in str(w).split("\n")), default=0) if isinstance(w, str) else 10
                breedtes[i] = max(breedtes[i], lengte)
    for kolom in range(1, len(koppen) + 1):
        formaat = formaten.get(kolom - 1)
        for (cel,) in ws.iter_rows(min_row=2, min_col=kolom, max_col=kolom):
            if isinstance(cel.value, str):
                cel.data_type = "s"  # text stays text, also if it looks like a formula
            elif formaat and cel.value is not None:
                cel.number_format = formaat
            if kolom - 1 in breed:
                cel.alignment = Alignment(wrap_text=True, vertical="top")
    for i, b in enumerate(breedtes):
        ws.column_dimensions[get_column_letter(i + 1)].width = min(_BREED, max(_SMAL, b + 2))
    ws.freeze_panes = "A2"
    if ws.max_row > 1:
        ws.auto_filter.ref = ws.dimensions


def _als_dict(actie) -> dict:
    return dataclasses.asdict(actie) if dataclasses.is_dataclass(actie) else dict(actie)


def _criterium_kort(kaders: Mapping[str, Kader], kader_id: str, criterium_id: str | None) -> str:
    if not criterium_id:
        return "Algemeen"
    kader = kaders.get(kader_id)
    try:
        return kader.criterium(criterium_id).kort if kader else criterium_id
    except KeyError:
        return criterium_id


def scores_tabel(antwoorden: pd.DataFrame, kaders: Sequence[Kader], *, rol_namen: Mapping[str, str] | None = None,
                 drempel: int | None = None) -> pd.DataFrame:
    """`analyseer` for every kader, rounded like the CLI (`rond_af`), one table.

    The answers go through `rapport.anonimiteit.onderdruk` first: a criterium (or a
    group's part of it) with too few answers has no numbers here (its rows show n = 0).
    """
    antwoorden = onderdruk(antwoorden, drempel, rol_namen)
    delen = [analyseer(antwoorden, k, drempel=drempel, rol_namen=rol_namen) for k in kaders]
    if not delen:
        return pd.DataFrame(columns=list(SCORE_KOPPEN))
    return rond_af(pd.concat(delen, ignore_index=True))


def maak_werkboek(
    antwoorden: pd.DataFrame,
    kaders: Sequence[Kader],
    *,
    consensus: pd.DataFrame | None = None,
    acties: Iterable | None = None,
    rol_namen: Mapping[str, str] | None = None,
    drempel: int | None = None,
) -> bytes:
    """The workbook (.xlsx bytes) of one ronde.

    ``antwoorden``: uitwisselformaat rows of that ronde; ``kaders``: its kaders in
    report order; ``consensus``: `storage.repository.consensus_df` (gemeente, ronde,
    kader, criterium, score, motivatie); ``acties``: the verbeterplan (ActieInfo or
    dicts with kader_id, criterium_id, wat, eigenaar, deadline, meting, status,
    effect, bron_actie_id); ``rol_namen``: rol id -> name; ``drempel``: anonymity
    threshold (default 3 or ZBT_ANONIMITEIT_DREMPEL).
    """
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    per_id = {k.id: k for k in kaders}

    _blad(wb, "Antwoorden", KOLOMMEN, antwoorden[list(KOLOMMEN)].itertuples(index=False, name=None),
          breed=(KOLOMMEN.index("toelichting"),))

    tabel = scores_tabel(antwoorden, kaders, rol_namen=rol_namen, drempel=drempel)
    kolommen = list(SCORE_KOPPEN)
    formaten = {i: ("0%" if k.startswith("aandeel") else "0.00")
                for i, k in enumerate(kolommen) if k in ("gemiddelde", "mediaan", "q1", "q3", "iqr", "minimum",
                                                           "maximum", "aandeel_weet_niet", "aandeel_nvt",
                                                           "consensus")}
    _blad(wb, "Scores", list(SCORE_KOPPEN.values()), tabel[kolommen].itertuples(index=False, name=None),
          formaten)

    rijen = []
    if consensus is not None and len(consensus):
        alle = tabel[(tabel["niveau"] == "criterium") & (tabel["groep"] == ALLE.label)]
        samen = met_consensus(alle, consensus)
        samen = samen[samen["consensus_antwoord"].notna()]
        for r in samen.itertuples():
            rijen.append((per_id[r.kader].titel if r.kader in per_id else r.kader, r.id, r.kort,
                          r.consensus_antwoord, r.consensus_motivatie, r.gemiddelde,
                          round(r.consensus_verschil, 3) if pd.notna(r.consensus_verschil) else None))
    _blad(wb, "Consensus", CONSENSUS_KOPPEN, rijen, {5: "0.00", 6: "0.00"}, breed=(4,))

    rijen = []
    for a in map(_als_dict, acties or ()):
        deadline = a.get("deadline")
        if isinstance(deadline, str) and deadline:
            deadline = dt.date.fromisoformat(deadline)
        kader_id = a.get("kader_id") or ""
        rijen.append((per_id[kader_id].titel if kader_id in per_id else kader_id, a.get("criterium_id"),
                      _criterium_kort(per_id, kader_id, a.get("criterium_id")), a.get("wat"), a.get("eigenaar"),
                      deadline or None, a.get("meting"), STATUS.get(a.get("status"), a.get("status")),
                      a.get("effect"), a.get("bron_actie_id")))
    _blad(wb, "Verbeterplan", PLAN_KOPPEN, rijen, {5: "DD-MM-YYYY"}, breed=(3, 6, 8))

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
