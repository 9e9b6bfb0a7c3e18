"""Formula neutralisation for every spreadsheet-bound file this app writes: a cell a
spreadsheet could take for a formula gets a leading "'" (:func:`neutraliseer`), and
reading undoes exactly that (:func:`ontneutraliseer`). Used by the CSV and Excel
writers and readers of this package and by the werkboek (rapport/werkboek.py).
"""
from __future__ import annotations

import re

# One rule for every spreadsheet-bound file this app writes (CSV download, the
# CSV inside the verbeterplan PDF, the Excel export, the werkboek):
#
# * Writing (:func:`neutraliseer`): text that matches "'*[=+-@\t\r]" (zero or
#   more "'" and then '=', '+', '-', '@', a tab or a carriage return) gets ONE
#   extra leading "'". So "=SUM(A1)" -> "'=SUM(A1)", "-5" -> "'-5",
#   "'=x" -> "''=x"; "'gewoon" and "a=b" stay as they are.
# * Reading (:func:`ontneutraliseer`): text that matches "'+[=+-@\t\r]" (one or
#   more "'" and then one of those six) loses exactly ONE leading "'".
#
# Lossless for every text t: if t matches "'*X" then neutraliseer(t) = "'" + t
# matches "'+X" and reading strips that one "'" again; if t does not match
# "'*X", it is written unchanged and cannot match "'+X" (that implies "'*X"),
# so reading leaves it alone. A toelichting that itself begins with "'=" or "-"
# therefore survives exactly. Only a file made elsewhere whose cell begins with
# "'" followed by one of the six loses that first "'" on import.

_NEUTRALISEER = re.compile(r"'*[=+\-@\t\r]")
_ONTNEUTRALISEER = re.compile(r"'+[=+\-@\t\r]")


def neutraliseer(tekst: str) -> str:
    """Prefix "'" to text a spreadsheet could take for a formula (rule above)."""
    return "'" + tekst if _NEUTRALISEER.match(tekst) else tekst


def ontneutraliseer(tekst: str) -> str:
    """Undo :func:`neutraliseer`: strip one "'" from text matching "'+[=+-@\t\r]"."""
    return tekst[1:] if _ONTNEUTRALISEER.match(tekst) else tekst

