"""views.tekst.md: any text becomes markdown that shows exactly that text.

The property tests here check the escaping against the CommonMark rules (every ASCII
punctuation character escaped, no indentation that makes a code block); that Streamlit's
own markdown renderer in a browser shows it literally and fetches nothing is checked in
tests/test_beveiliging_tekst.py.
"""
from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from views.tekst import md, md_lijst, zichtbaar

LEESTEKENS = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
"""ASCII punctuation: the characters CommonMark lets a backslash escape (spec 2.4)."""

# text with plenty of markdown in it: punctuation, digits, line breaks, spaces, tabs, letters
TEKENS = st.sampled_from(sorted(LEESTEKENS) + list("ab1 \t\n\r") + ["é", "·", "\u2028", "—"])
TEKST = st.one_of(st.text(TEKENS, max_size=60), st.text(max_size=60))

AANVALLEN = [
    "![x](http://127.0.0.1:9/img)",
    "[klik](http://127.0.0.1:9/link)",
    "<img src=http://127.0.0.1:9/html>",
    "<script>alert(1)</script>",
    ":material/radar: :red[rood] :blue-background[x] :small[x] :help[uitleg]",
    "$x^2$ en $$\\int$$",
    "# kop\n- lijst\n1. eerst\n> citaat\n    code\n---\n===\n| a | b |\n```\nx\n```",
    "&lt;b&gt; &amp; &#60;",
    "<http://127.0.0.1:9/auto>",
    "[a]: http://127.0.0.1:9/ref\n[a]",
    "![x][ref]\n\n[ref]: http://127.0.0.1:9/refimg",
]


def _verwacht(tekst: str) -> str:
    """What a reader should see: lines without outer spaces, at most one empty line between."""
    regels = [r.strip() for r in tekst.splitlines()]
    return re.sub(r"\n\n+", "\n\n", "\n".join(regels)).strip()


def _onge_escapete_leestekens(markdown: str) -> list[str]:
    """ASCII punctuation in `markdown` that is not escaped by a backslash (should be none)."""
    los, i = [], 0
    while i < len(markdown):
        teken = markdown[i]
        if teken == "\\":
            if i + 1 >= len(markdown) or markdown[i + 1] not in LEESTEKENS:
                los.append(teken)
            i += 2
            continue
        if teken in LEESTEKENS:
            los.append(teken)
        i += 1
    return los


@settings(max_examples=400)
@given(TEKST)
@example("![x](http://127.0.0.1:9/img) \\")
def test_md_escapes_every_markdown_character(tekst):
    assert _onge_escapete_leestekens(md(tekst)) == []


@settings(max_examples=400)
@given(TEKST)
def test_md_reads_back_as_the_same_text(tekst):
    assert zichtbaar(md(tekst)).replace("  \n", "\n") == _verwacht(tekst)


@settings(max_examples=400)
@given(TEKST)
def test_md_never_indents(tekst):
    """Four spaces or a tab at the start of a line would make a code block."""
    for regel in md(tekst).split("\n"):
        assert regel == regel.lstrip(), repr(regel)


def test_md_attacks_become_text():
    for aanval in AANVALLEN:
        uit = md(aanval)
        assert _onge_escapete_leestekens(uit) == [], aanval
        assert zichtbaar(uit).replace("  \n", "\n") == _verwacht(aanval)
    assert md("![x](http://e/x)") == r"\!\[x\]\(http\:\/\/e\/x\)"
    assert md("<img src=x>") == r"\<img src\=x\>"


def test_md_leaves_ordinary_names_alone():
    assert md("Bergen op Zoom") == "Bergen op Zoom"
    assert md("Súdwest-Fryslân") == r"Súdwest\-Fryslân"
    assert md("1. eerst *belangrijk*") == r"1\. eerst \*belangrijk\*"
    assert md(None) == ""
    assert md(2026) == "2026"


def test_md_keeps_lines_and_paragraphs():
    assert md("eerst\n  dan\r\n\n\n\nlater  ") == "eerst  \ndan\n\nlater"


def test_md_lijst_is_one_list_item_per_text():
    assert md_lijst(["a*", "b\n\nc"]) == "- a\\*\n- b  \nc"
