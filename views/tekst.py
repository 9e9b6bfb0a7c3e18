"""Text that people, the database or files supply, shown as text: never as markdown or HTML.

Streamlit reads markdown in many more places than ``st.markdown``. In Streamlit 1.67 these
read it (checked in a browser, see tests/test_beveiliging_tekst.py): ``st.markdown``,
``st.write`` (a string), ``st.caption``, ``st.info``/``warning``/``error``/``success``,
``st.title``/``header``/``subheader``, every widget *label* (selectbox, radio, text_input,
text_area, toggle, button, ...), the *options* of ``st.radio``, ``st.segmented_control``
and ``st.pills`` (so their ``format_func``), expander and tab labels, ``st.metric`` label
*and value*, the ``text`` of ``st.progress``, ``help`` tooltips and image captions.
Markdown there turns ``![x](http://…)`` into an image the browser fetches at once (also in
widget labels), ``[klik](…)`` into a link, ``:material/…:``, ``:red[…]`` and ``$…$`` into
icons, colour and formulas.

These do *not* read markdown, and show a backslash literally: ``st.text``, ``st.code``,
the options of ``st.selectbox`` and ``st.multiselect`` (their ``format_func``),
``st.dataframe`` cells and headers, widget values and placeholders, chart data and a
chart's ``alt`` text. Give them the text as it is. tests/test_tekst_paginas.py knows this
list too and fails on any other field that carries unescaped markdown.

So: every such text that goes into a markdown-reading element goes through `md` — a
toelichting, ronde label, gemeente, organisatie, action field, motivatie, rol name, kader
text from YAML, an error message that quotes a file — and long free text (toelichtingen,
actions) is best shown with ``st.text``, which keeps its line breaks.
"""
from __future__ import annotations

import re

# Every ASCII punctuation character. CommonMark lets each be escaped with a backslash and
# then shows it as itself; that covers all markdown syntax (links, images, emphasis,
# lists, headings, tables, code, HTML and entities) and Streamlit's own extensions
# (:directives[…], :material/…: icons, $math$, which all start with an ASCII character).
_LEESTEKEN = re.compile(r"[!-/:-@\[-`{-~]")


def md(waarde: object) -> str:
    """`waarde` as markdown that shows exactly this text, for any markdown-reading element.

    The escapes are invisible on the page: ``md("1. eerst *belangrijk*")`` reads
    "1. eerst *belangrijk*", asterisks and all, and "Bergen op Zoom" stays as it is. Line
    breaks stay line breaks; leading and trailing spaces and empty lines go (indentation
    would otherwise make a code block). ``None`` gives "".

    What stays, because Streamlit applies it to the text after the escapes are read: a bare
    web or e-mail address (``https://…``, ``www.…``, ``a@b.nl``) becomes a link that shows
    exactly the address it goes to (never fetched by itself; Streamlit adds
    ``rel="noopener noreferrer"``); emoji shortcodes (``:smile:``) become emoji, ``:streamlit:``
    Streamlit's logo (an inline data: image) and " -> ", " -- ", " >= " arrows and dashes.
    None of these loads anything.
    """
    if waarde is None:
        return ""
    alineas = re.split(r"\n\s*\n", "\n".join(r.strip() for r in str(waarde).splitlines()).strip())
    return "\n\n".join(
        "  \n".join(_LEESTEKEN.sub(r"\\\g<0>", regel) for regel in alinea.split("\n"))
        for alinea in alineas
    )


def md_lijst(items) -> str:
    """A markdown bullet list with each item shown as literal text (see `md`)."""
    return "\n".join("- " + md(item).replace("\n\n", "  \n") for item in items)


def zichtbaar(markdown: str) -> str:
    """The inverse of the escapes `md` adds: what a reader sees of `markdown` (for tests
    that look at the markdown source, as Streamlit's AppTest shows it)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)
