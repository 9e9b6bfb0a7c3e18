"""Numbers the Dutch way, shared by the pages and the PDF (no heavy imports)."""
from __future__ import annotations

import math


def getal(waarde: float | int | None, decimalen: int = 1) -> str:
    """Dutch number: decimal comma, '–' for missing."""
    if waarde is None or (isinstance(waarde, float) and math.isnan(waarde)):
        return "–"
    if decimalen == 0:
        return str(int(round(waarde)))
    return f"{waarde:.{decimalen}f}".replace(".", ",")
