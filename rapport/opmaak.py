"""Numbers and dates the Dutch way, shared by the pages and the PDFs (no heavy imports)."""
from __future__ import annotations

import datetime as dt
import math

MAANDEN = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)


def _ontbreekt(waarde) -> bool:
    return waarde is None or (isinstance(waarde, float) and math.isnan(waarde))


def getal(waarde: float | int | None, decimalen: int = 1) -> str:
    """Dutch number: decimal comma, '–' for missing."""
    if _ontbreekt(waarde):
        return "–"
    if decimalen == 0:
        return str(int(round(waarde)))
    return f"{waarde:.{decimalen}f}".replace(".", ",")


def score(waarde: float | None) -> str:
    """A median, minimum or maximum: whole numbers without decimals, halves with one;
    '–' for missing."""
    if _ontbreekt(waarde):
        return "–"
    return getal(waarde, 0 if float(waarde).is_integer() else 1)


def procent(aandeel: float | None) -> str:
    """A share as a whole percentage ('42%'); '–' for missing."""
    if _ontbreekt(aandeel):
        return "–"
    return f"{getal(100 * float(aandeel), 0)}%"


def datum_nl(datum: dt.date) -> str:
    """'22 november 2026' (no locale needed)."""
    return f"{datum.day} {MAANDEN[datum.month - 1]} {datum.year}"


def datum(waarde) -> str:
    """Any date the pages and PDFs show: a date, a datetime or 'JJJJ-MM-DD' as
    '1 augustus 2026'; '–' when missing; other text passes through unchanged."""
    if waarde is None or waarde == "":
        return "–"
    if isinstance(waarde, dt.datetime):
        waarde = waarde.date()
    if not isinstance(waarde, dt.date):
        try:
            waarde = dt.date.fromisoformat(str(waarde).strip()[:10])
        except ValueError:
            return str(waarde)
    return datum_nl(waarde)
