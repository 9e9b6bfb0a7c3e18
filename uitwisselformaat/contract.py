"""The answers contract: the columns of the uitwisselformaat, the errors a file can
give, and the size limits. Everything else in this package builds on it.

* :data:`KOLOMMEN` - the columns, exactly and in this order (see the package doc for
  what each holds); :data:`VERPLICHT` - all but ``toelichting`` must be filled;
  :data:`MAX_LENGTE` - the longest value the database accepts per column.
* :class:`Melding` / :class:`UitwisselFout` - one problem with file, row and column /
  the error (a ValueError) keeping them all (up to :data:`MAX_BEWAARD`), its text the first
  :data:`MAX_MELDINGEN`.
* :func:`geldige_scores` - the score strings a kader allows.
* :func:`controleer_grootte`, :data:`MAX_UPLOAD_BYTES` - the largest file read from an upload.
* :func:`leeg_dataframe` - an empty answers DataFrame; :func:`als_tekst` - a cell as text.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from kader.model import NVT, WEET_NIET, Kader

KOLOMMEN = (
    "gemeente", "ronde", "respondent", "rol", "kader", "criterium", "score", "toelichting",
)
VERPLICHT = KOLOMMEN[:-1]
# Longest values the database accepts (see storage/models.py).
MAX_LENGTE = {"gemeente": 200, "ronde": 100, "respondent": 64, "rol": 64}
MAX_MELDINGEN = 20
"""How many meldingen the text of an :class:`UitwisselFout` lists; it keeps more (the page
groups them and offers all as a CSV)."""
MAX_BEWAARD = 10_000
"""How many meldingen an :class:`UitwisselFout` keeps; beyond that it only counts them."""
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
"""Largest upload (CSV, Excel or snapshot) the app reads: 20 MB, as Streamlit counts a
megabyte; .streamlit/config.toml ``server.maxUploadSize`` is the same number."""


@dataclass(frozen=True)
class Melding:
    """One problem in a file; ``rij`` counts like a spreadsheet (header = 1)."""

    tekst: str
    rij: int | None = None
    kolom: str | None = None
    bestand: str = ""

    def __str__(self) -> str:
        plaats = [self.bestand] if self.bestand else []
        if self.rij is not None:
            plaats.append(f"rij {self.rij}")
        if self.kolom is not None:
            plaats.append(f"kolom '{self.kolom}'")
        return f"{', '.join(plaats)}: {self.tekst}" if plaats else self.tekst


class UitwisselFout(ValueError):
    """The file cannot be used. ``meldingen`` lists the problems found (the first
    :data:`MAX_BEWAARD`), ``totaal`` counts them all; the text lists the first
    :data:`MAX_MELDINGEN`."""

    def __init__(self, meldingen: list[Melding], totaal: int | None = None):
        self.meldingen = list(meldingen)[:MAX_BEWAARD]
        self.totaal = max(totaal or 0, len(meldingen))
        regels = [str(m) for m in self.meldingen[:MAX_MELDINGEN]]
        rest = self.totaal - len(regels)
        if rest > 0:
            regels.append(f"... en nog {rest} andere fout{'en' if rest > 1 else ''}.")
        super().__init__("\n".join(regels))


def opsomming(waarden: Iterable[str], voegwoord: str = "of") -> str:
    """'a, b of c' (Dutch enumeration)."""
    w = list(waarden)
    return w[0] if len(w) == 1 else f"{', '.join(w[:-1])} {voegwoord} {w[-1]}"


def geldige_scores(kader: Kader) -> tuple[str, ...]:
    """The score strings allowed for ``kader``: its scale values, weet_niet, nvt."""
    return tuple(str(w) for w in kader.schaal.waarden) + (WEET_NIET, NVT)


def megabytes(n: int) -> str:
    """A byte count as Dutch text in MB (1 MB = 1024 × 1024 bytes, as Streamlit counts)."""
    mb = n / (1024 * 1024)
    return (f"{mb:.0f}" if mb.is_integer() else f"{mb:.1f}".replace(".", ",")) + " MB"


def controleer_grootte(grootte: int, bestand: str = "", maximum: int = MAX_UPLOAD_BYTES) -> None:
    """Refuse a file of ``grootte`` bytes above ``maximum``, before it is read or parsed.

    Raises :class:`UitwisselFout` naming the file, its size and the limit.
    """
    if grootte > maximum:
        raise UitwisselFout([Melding(
            f"het bestand is te groot ({megabytes(grootte)}); hoogstens {megabytes(maximum)} kan "
            "worden ingelezen. Splits het bestand of exporteer minder tegelijk.",
            bestand=bestand,
        )])


def als_tekst(waarde) -> str:
    """Cell value as text: None/NaN become '', numbers like 3.0 become '3'."""
    if waarde is None or (isinstance(waarde, float) and math.isnan(waarde)):
        return ""
    if waarde is pd.NA:
        return ""
    if isinstance(waarde, float) and waarde.is_integer():
        return str(int(waarde))
    return str(waarde)


def leeg_dataframe() -> pd.DataFrame:
    """An empty DataFrame with the uitwisselformaat columns."""
    return pd.DataFrame({k: pd.Series([], dtype="str") for k in KOLOMMEN})
