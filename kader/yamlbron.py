"""Read YAML safely and remember the line of every value.

PyYAML's safe loader forgets where values came from and silently keeps the last
of two equal keys. Validation messages must name the line, and a repeated key is
almost always a mistake, so this module composes the node tree itself:

* anchors and aliases are refused (no "billion laughs" expansion, and kader
  files stay readable without them);
* files over `MAX_BYTES` are refused before parsing;
* nesting deeper than `MAX_DIEPTE` levels (block indentation plus [ and {) is
  refused by the scanner itself, the moment it is reached: PyYAML composes
  recursively (600 nested '[' gave a RecursionError) and its scanner slows down
  quadratically with the flow depth (200,000 '[' did not finish in a minute);
* repeated mapping keys are an error;
* every value's 1-based line is stored under its path, e.g.
  ``("themas", 0, "criteria", 1, "tekst") -> 57``.
"""
from __future__ import annotations

from dataclasses import dataclass

import yaml

MAX_BYTES = 1_000_000
MAX_DIEPTE = 32
"""Deepest nesting a YAML file may have; a kader needs about 8 levels."""

Pad = tuple  # tuple[str | int, ...]


@dataclass
class YamlFout(Exception):
    """A problem in a YAML file, with the line (1-based; 0 when unknown)."""

    bestand: str
    regel: int
    veld: str
    bericht: str

    def __str__(self) -> str:
        waar = self.bestand or "<tekst>"
        if self.regel:
            waar += f", regel {self.regel}"
        if self.veld:
            waar += f", veld {self.veld}"
        return f"{waar}: {self.bericht}"


class _TeDiep(yaml.YAMLError):
    def __init__(self, regel: int):
        super().__init__(f"te diep genest op regel {regel}")
        self.regel = regel


class _Lader(yaml.SafeLoader):
    """PyYAML's (pure Python) safe loader whose scanner stops at MAX_DIEPTE levels.

    ``indents`` holds one entry per open block collection and ``flow_level`` counts
    the open [ and {; together they bound the depth of the node tree (an
    "indentless" sequence adds at most one level per mapping), so the recursive
    composer and :func:`_bouw` stay far from Python's recursion limit.
    """

    def _controleer_diepte(self, extra: int) -> None:
        if len(self.indents) + self.flow_level + extra > MAX_DIEPTE:
            raise _TeDiep(self.line + 1)

    def fetch_flow_collection_start(self, TokenClass):
        self._controleer_diepte(1)
        super().fetch_flow_collection_start(TokenClass)

    def add_indent(self, column):
        toegevoegd = super().add_indent(column)
        if toegevoegd:
            self._controleer_diepte(0)
        return toegevoegd


def pad_tekst(pad: Pad) -> str:
    """Render a path the way people read it: themas[0].criteria[1].tekst."""
    uit = ""
    for deel in pad:
        if isinstance(deel, int):
            uit += f"[{deel}]"
        else:
            uit += ("." if uit else "") + str(deel)
    return uit


def lees_yaml(tekst: str | bytes, bestand: str = "") -> tuple[object, dict[Pad, int]]:
    """Parse one YAML document; return (data, lines by path). Raises YamlFout."""
    if isinstance(tekst, bytes):
        if len(tekst) > MAX_BYTES:
            raise YamlFout(bestand, 0, "", f"bestand is te groot ({len(tekst):,} bytes; maximaal {MAX_BYTES:,}).".replace(",", "."))
        try:
            tekst = tekst.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise YamlFout(bestand, 0, "", f"bestand is geen geldige UTF-8-tekst (byte {e.start}).") from None
    elif len(tekst.encode("utf-8")) > MAX_BYTES:
        raise YamlFout(bestand, 0, "", f"bestand is te groot (maximaal {MAX_BYTES:,} bytes).".replace(",", "."))

    try:
        for event in yaml.parse(tekst, Loader=_Lader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                regel = event.start_mark.line + 1
                raise YamlFout(bestand, regel, "", "ankers en aliassen (& en *) zijn niet toegestaan in kaderbestanden.")
        loader = _Lader(tekst)
        try:
            node = loader.get_single_node()
            if node is None:
                raise YamlFout(bestand, 1, "", "bestand is leeg.")
            regels: dict[Pad, int] = {}
            data = _bouw(loader, node, (), regels, bestand)
        finally:
            loader.dispose()
    except _TeDiep as e:
        raise YamlFout(bestand, e.regel, "", f"de structuur is te diep genest (meer dan {MAX_DIEPTE} "
                       "niveaus van inspringen, [ en {); een kaderbestand heeft er hoogstens een stuk of tien.") from None
    except RecursionError:  # the depth limit above should make this unreachable
        raise YamlFout(bestand, 0, "", f"de structuur is te diep genest (meer dan {MAX_DIEPTE} niveaus).") from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        regel = mark.line + 1 if mark else 0
        probleem = _vertaal(e.problem or e.context or "")
        raise YamlFout(bestand, regel, "", f"YAML-syntaxfout: {probleem}.") from None
    except yaml.YAMLError as e:  # pragma: no cover - defensive
        raise YamlFout(bestand, 0, "", f"YAML-fout: {e}") from None
    return data, regels


_VERTALINGEN = {
    "mapping values are not allowed here": "hier mag geen 'sleutel: waarde' staan (controleer inspringing en dubbele punten)",
    "could not find expected ':'": "een ':' ontbreekt achter een sleutel",
    "found character '\\t' that cannot start any token": "tabs zijn niet toegestaan; gebruik spaties om in te springen",
    "found unexpected end of stream": "het bestand stopt midden in een waarde (ontbreekt een afsluitend aanhalingsteken of haakje?)",
    "expected <block end>, but found '-'": "een lijstregel ('-') staat op de verkeerde inspringing",
    "did not find expected key": "een sleutel werd verwacht (controleer de inspringing)",
    "did not find expected '-' indicator": "een lijstregel ('-') werd verwacht (controleer de inspringing)",
    "found unknown escape character": "onbekend escape-teken in een tekst tussen dubbele aanhalingstekens",
    "but found another document": "er staat meer dan één YAML-document in het bestand; gebruik er één",
}


def _vertaal(probleem: str) -> str:
    for engels, nederlands in _VERTALINGEN.items():
        if engels in probleem:
            return nederlands
    return f"onleesbare YAML ({probleem or 'onbekende oorzaak'})"


def _bouw(loader: yaml.SafeLoader, node: yaml.Node, pad: Pad, regels: dict, bestand: str):
    regels[pad] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        uit: dict = {}
        for sleutel_node, waarde_node in node.value:
            sleutel = loader.construct_object(sleutel_node, deep=True)
            if not isinstance(sleutel, (str, int)):
                raise YamlFout(bestand, sleutel_node.start_mark.line + 1, pad_tekst(pad), "sleutels moeten tekst zijn.")
            if sleutel in uit:
                raise YamlFout(
                    bestand, sleutel_node.start_mark.line + 1, pad_tekst(pad + (sleutel,)),
                    f"sleutel '{sleutel}' staat twee keer in dezelfde lijst met velden.",
                )
            uit[sleutel] = _bouw(loader, waarde_node, pad + (sleutel,), regels, bestand)
        return uit
    if isinstance(node, yaml.SequenceNode):
        return [_bouw(loader, n, pad + (i,), regels, bestand) for i, n in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def regel_van(regels: dict[Pad, int], pad: Pad) -> int:
    """Line of a path, or of its nearest existing parent (for missing fields)."""
    while True:
        if pad in regels:
            return regels[pad]
        if not pad:
            return 0
        pad = pad[:-1]
