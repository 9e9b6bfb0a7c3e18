"""One style for every command line (``python -m kader|storage|rapport|toegang``): Dutch throughout.

argparse builds its own texts ("usage:", "options", "error:", "invalid choice", ...) with
gettext's ``_()``. `Parser` swaps in a Dutch translation of exactly those texts while it
builds itself, parses and writes help or errors, and puts the original back afterwards,
so other argparse users in the same process (pytest) keep their own language.

    from opdrachtregel import Parser

    parser = Parser(prog="python -m kader", description="Kaderbestanden controleren en tonen.")
    sub = parser.add_subparsers(required=True)   # title "opdrachten", metavar OPDRACHT
    sub.add_parser("check", help="...")          # subparsers are a `Parser` too

Exit codes stay argparse's: 0 after ``-h``/``--help``, 2 for wrong arguments.
"""
from __future__ import annotations

import argparse
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager

# argparse's message ids (Python 3.11-3.13) -> Dutch. A text not listed stays as argparse has it;
# tests/test_opdrachtregel.py fails on any English that reaches the user.
NEDERLANDS: dict[str, str] = {
    "usage: ": "gebruik: ",
    "positional arguments": "argumenten",
    "options": "opties",
    "optional arguments": "opties",
    "subcommands": "opdrachten",
    "show this help message and exit": "toon deze hulp en stop",
    "show program's version number and exit": "toon het versienummer en stop",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "the following arguments are required: %s": "deze argumenten ontbreken: %s",
    "one of the arguments %s is required": "een van de argumenten %s is verplicht",
    "not allowed with argument %s": "niet samen met argument %s",
    "ignored explicit argument %r": "waarde %r hoort hier niet",
    "expected one argument": "verwacht één waarde",
    "expected at most one argument": "verwacht hoogstens één waarde",
    "expected at least one argument": "verwacht minstens één waarde",
    "invalid choice: %(value)r (choose from %(choices)s)": "ongeldige keuze: %(value)r (kies uit %(choices)s)",
    "invalid %(type)s value: %(value)r": "ongeldige waarde: %(value)r",
    "ambiguous option: %(option)s could match %(matches)s":
        "optie %(option)s is niet eenduidig: %(matches)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "onbekende opdracht %(parser_name)r (kies uit %(choices)s)",
    "unexpected option string: %s": "onverwachte optie: %s",
    "can't open '%(filename)s': %(error)s": "kan '%(filename)s' niet openen: %(error)s",
    'argument "-" with mode %r': 'argument "-" met modus %r',
}
NEDERLANDS_MEERVOUD: dict[str, tuple[str, str]] = {
    "expected %s argument": ("verwacht %s waarde", "verwacht %s waarden"),
}


def vertaal(tekst: str) -> str:
    """argparse's English text in Dutch; unknown texts unchanged."""
    return NEDERLANDS.get(tekst, tekst)


def vertaal_meervoud(enkelvoud: str, meervoud: str, n: int) -> str:
    if enkelvoud in NEDERLANDS_MEERVOUD:
        nl_enkelvoud, nl_meervoud = NEDERLANDS_MEERVOUD[enkelvoud]
        return nl_enkelvoud if n == 1 else nl_meervoud
    return enkelvoud if n == 1 else meervoud


@contextmanager
def in_het_nederlands() -> Iterator[None]:
    """argparse's own texts in Dutch for the duration of the block (nests; not thread-safe)."""
    oud = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = vertaal, vertaal_meervoud
    try:
        yield
    finally:
        argparse._, argparse.ngettext = oud


def _nederlands(methode: Callable) -> Callable:
    @functools.wraps(methode)
    def in_nl(*args, **kwargs):
        with in_het_nederlands():
            return methode(*args, **kwargs)

    return in_nl


class Parser(argparse.ArgumentParser):
    """`argparse.ArgumentParser` that speaks Dutch: usage, headings, help option and errors.

    `add_subparsers` defaults to ``dest="opdracht"``, ``title="opdrachten"`` and
    ``metavar="OPDRACHT"``; its subparsers are a `Parser` as well.
    """

    __init__ = _nederlands(argparse.ArgumentParser.__init__)
    parse_args = _nederlands(argparse.ArgumentParser.parse_args)
    parse_known_args = _nederlands(argparse.ArgumentParser.parse_known_args)
    format_usage = _nederlands(argparse.ArgumentParser.format_usage)
    format_help = _nederlands(argparse.ArgumentParser.format_help)
    error = _nederlands(argparse.ArgumentParser.error)

    @_nederlands
    def add_subparsers(self, **kwargs):
        kwargs.setdefault("dest", "opdracht")
        kwargs.setdefault("title", "opdrachten")
        kwargs.setdefault("metavar", "OPDRACHT")
        return super().add_subparsers(**kwargs)
