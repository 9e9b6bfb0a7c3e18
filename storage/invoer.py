"""Clean free text typed by people (toelichting, motivatie, plan fields) before it is stored.

* control characters are removed (except newline and tab): they have no meaning in a
  toelichting, can break CSV/Excel/PDF output and can hide text in a terminal;
* Windows and old Mac line ends become '\\n';
* the text is cut at `maximum` characters (the form limits it too, but a client can lie).
"""
from __future__ import annotations

import re
import unicodedata

MAX_TOELICHTING = 2000
"""The longest toelichting the questionnaire takes, and so the longest an import takes."""

_CONTROLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def schone_tekst(tekst: str | None, maximum: int) -> str:
    if not tekst:
        return ""
    tekst = unicodedata.normalize("NFC", str(tekst)).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLE.sub("", tekst)[:maximum]
