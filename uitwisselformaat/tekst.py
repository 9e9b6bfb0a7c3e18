"""Clean text that comes from people or from files before it is stored: one rule for
every path (questionnaire, workshop, verbeterplan, CSV/Excel import, snapshot import).

Free text (toelichting, motivatie, plan fields) goes through :func:`schone_tekst`:

* Unicode NFC; Windows and old Mac line ends ('\\r\\n', '\\r') become '\\n';
* removed: control characters (category Cc) except newline and tab, so also NUL,
  ESC and the C1 range; format characters (Cf: bidi overrides and isolates such as
  U+202E and U+2066, the marks U+200E/U+200F/U+061C, zero-width space, word joiner,
  soft hyphen, BOM, ...); line and paragraph separators (U+2028, U+2029); lone
  surrogates; noncharacters (U+FFFE, U+FFFF, U+FDD0-U+FDEF, ...). They have no
  meaning in a toelichting, can break CSV/Excel/PDF output, hide or reorder text on
  screen, and a NUL is refused by PostgreSQL;
* kept, although they are format characters: the zero-width joiner U+200D between
  two emoji (so 👩‍👩‍👧 and 🏳️‍🌈 stay whole; "emoji" here: a character of
  category So or a skin tone modifier, with an optional U+FE0F before the joiner)
  and the tag characters U+E0020-U+E007F directly after a black flag U+1F3F4 (the
  flags of England, Scotland and Wales);
* cut at ``maximum`` characters when given (a form limits it too, but a client can
  lie); an import passes no maximum and refuses a text that is too long instead.

Identifier fields (gemeente, ronde label, pseudonym, rol, kader, criterium, score)
are never changed silently: :func:`verboden_teken` names the first character
:func:`schone_tekst` would remove (or a newline or tab, which no identifier may
hold), and the import refuses the value with that name.
"""
from __future__ import annotations

import functools
import re
import sys
import unicodedata

MAX_TOELICHTING = 2000
"""The longest toelichting the questionnaire takes, and so the longest an import takes."""

_VERWIJDER_CATEGORIEEN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_BEHOUDEN = frozenset("\n\t")
_ZWJ = "\u200d"
_VS16 = "\ufe0f"
_ZWARTE_VLAG = "\U0001f3f4"


def _is_nonkarakter(c: int) -> bool:
    return 0xFDD0 <= c <= 0xFDEF or (c & 0xFFFE) == 0xFFFE


@functools.cache
def _verwijder_patroon() -> re.Pattern:
    """A regex class of every character :func:`schone_tekst` may remove (built once,
    from the Unicode database of this Python, so it follows new Unicode versions)."""
    delen: list[str] = []
    begin = None
    for c in range(sys.maxunicode + 2):
        weg = c <= sys.maxunicode and chr(c) not in _BEHOUDEN and (
            unicodedata.category(chr(c)) in _VERWIJDER_CATEGORIEEN or _is_nonkarakter(c))
        if weg and begin is None:
            begin = c
        elif not weg and begin is not None:
            eind = c - 1
            delen.append(f"\\U{begin:08x}" + (f"-\\U{eind:08x}" if eind != begin else ""))
            begin = None
    return re.compile(f"[{''.join(delen)}]")


def _is_emoji(teken: str) -> bool:
    return unicodedata.category(teken) == "So" or 0x1F3FB <= ord(teken) <= 0x1F3FF


def _hoort_bij_emoji(tekst: str, i: int) -> bool:
    """Whether the format character at ``tekst[i]`` is part of an emoji sequence."""
    teken = tekst[i]
    if teken == _ZWJ:
        links = i - 1
        if links >= 0 and tekst[links] == _VS16:
            links -= 1
        return (links >= 0 and i + 1 < len(tekst)
                and _is_emoji(tekst[links]) and _is_emoji(tekst[i + 1]))
    if 0xE0020 <= ord(teken) <= 0xE007F:
        links = i - 1
        while links >= 0 and 0xE0020 <= ord(tekst[links]) <= 0xE007F:
            links -= 1
        return links >= 0 and tekst[links] == _ZWARTE_VLAG
    return False


def _verwijder(tekst: str) -> str:
    patroon = _verwijder_patroon()
    if not patroon.search(tekst):
        return tekst
    return patroon.sub(lambda m: m.group() if _hoort_bij_emoji(tekst, m.start()) else "", tekst)


def schone_tekst(tekst: str | None, maximum: int | None = None) -> str:
    """Free text as it may be stored (module doc): NFC, '\\n' line ends, no control,
    format or invisible characters except newline, tab and emoji joiners; at most
    ``maximum`` characters when given."""
    if not tekst:
        return ""
    tekst = str(tekst)
    if "\r" in tekst:
        tekst = tekst.replace("\r\n", "\n").replace("\r", "\n")
    tekst = unicodedata.normalize("NFC", _verwijder(tekst))
    return tekst if maximum is None else tekst[:maximum]


def verboden_teken(waarde: str) -> str | None:
    """For an identifier field: a Dutch description of the first character that may not
    be in it (what :func:`schone_tekst` removes, and newline or tab), or None."""
    if not waarde:
        return None
    for m in _id_patroon().finditer(waarde):
        if m.group() in "\n\t\r" or not _hoort_bij_emoji(waarde, m.start()):
            return _beschrijf(m.group())
    return None


@functools.cache
def _id_patroon() -> re.Pattern:
    return re.compile(f"[\t\n\r]|{_verwijder_patroon().pattern}")


def _beschrijf(teken: str) -> str:
    naam = {"\x00": "NUL", "\n": "nieuwe regel", "\t": "tab", "\r": "regelterugloop"}.get(teken)
    if naam is None:
        try:
            naam = unicodedata.name(teken)
        except ValueError:
            naam = {"Cc": "stuurteken", "Cf": "onzichtbaar teken"}.get(unicodedata.category(teken), "ongeldig teken")
    return f"U+{ord(teken):04X} ({naam})"
