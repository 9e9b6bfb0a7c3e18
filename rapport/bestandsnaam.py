"""Safe file names for every download and every file a CLI writes."""
from __future__ import annotations

import re
import unicodedata

MAX_LENGTE = 120
"""Longest name (without the extension); far below the 255 bytes file systems allow."""


def bestandsnaam(*delen: str, extensie: str = "", standaard: str = "bestand") -> str:
    """A file name from any texts: ASCII letters and digits joined by '-', lower case.

    ``bestandsnaam("verbeterplan", "'s-Hertogenbosch", "2026 (demo)", extensie="pdf")``
    gives ``'verbeterplan-s-hertogenbosch-2026-demo.pdf'``. Accents are dropped (ë -> e),
    everything else that is not a letter or digit (spaces, '/', '..', quotes) becomes one
    '-', and the name is cut at `MAX_LENGTE` characters. A name with nothing left
    becomes ``standaard``.
    """
    tekst = "-".join(str(d) for d in delen)
    ascii_ = unicodedata.normalize("NFKD", tekst).encode("ascii", "ignore").decode("ascii")
    naam = re.sub(r"[^A-Za-z0-9]+", "-", ascii_).strip("-").lower()[:MAX_LENGTE].strip("-") or standaard
    return f"{naam}.{extensie}" if extensie else naam
