"""The page-wide script of views/opmaak.py: st.html passes it through an HTML sanitizer and
may join its lines, so a '<' or a '//' comment silently stops all of it (lang, Dutch texts)."""
import re

from views import opmaak


def test_script_survives_st_html():
    script = opmaak.vertaalscript()
    assert "<" not in script
    assert not re.search(r"(?<![:\\])//", script)


def test_every_replacement_is_dutch_and_not_itself_replaced():
    for engels, nl in opmaak.VASTE_TEKSTEN.items():
        assert nl not in opmaak.VASTE_TEKSTEN, (engels, nl)  # no loops between observer runs
