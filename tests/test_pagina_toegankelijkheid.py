"""The Toegankelijkheidsverklaring: for everyone, the model statement's parts, an honest status
and a configurable contact that is shown as plain text (never a made-up address)."""
from __future__ import annotations

from pathlib import Path

import pytest

from toegang import accounts_uit_omgeving
from views.tekst import zichtbaar

ROOT = Path(__file__).resolve().parent.parent
PAGINA = str(ROOT / "views" / "toegankelijkheid.py")
APP = str(ROOT / "app.py")
VARIABELE = "ZBT_TOEGANKELIJKHEID_CONTACT"


def _run(monkeypatch, contact: str | None):
    from streamlit.testing.v1 import AppTest

    if contact is None:
        monkeypatch.delenv(VARIABELE, raising=False)
    else:
        monkeypatch.setenv(VARIABELE, contact)
    at = AppTest.from_file(PAGINA, default_timeout=60).run()
    assert not at.exception, at.exception
    return at


def _tekst(at) -> str:
    return " ".join(zichtbaar(e.value) for e in [*at.markdown, *at.caption, *at.warning, *at.text])


def test_statement_follows_the_model_and_is_honest(monkeypatch):
    at = _run(monkeypatch, None)
    assert at.title[0].value == "Toegankelijkheidsverklaring"
    assert [h.value for h in at.header] == ["Status", "Wat wij hebben getest en hoe", "Wat nog niet voldoet",
                                            "Wat wij eraan doen", "Contact"]
    tekst = _tekst(at)
    assert "Voldoet gedeeltelijk" in tekst and "WCAG-EM" in tekst  # no claim of a full audit
    for getest in ("axe-core", "toetsenbord", "200 %", "320 pixels", "PDF/A"):
        assert getest in tekst, getest
    assert "PDF/UA" in tekst and "kopjes" in tekst  # known limitations (docs/toegankelijkheid.md)


def test_without_contact_the_page_says_it_is_missing(monkeypatch):
    at = _run(monkeypatch, "   ")
    [melding] = at.warning
    assert "Nog niet ingevuld" in melding.value and "organisatie" in melding.value
    assert "@" not in _tekst(at)  # no invented address


def test_contact_is_shown_as_plain_text(monkeypatch):
    contact = "Team *Jeugd* <b>x</b> ![p](http://voorbeeld.invalid/p.png) toegankelijkheid@gemeente.example"
    at = _run(monkeypatch, contact)
    assert not at.warning
    assert [t.value for t in at.text] == [contact]
    assert not any("voorbeeld.invalid" in m.value for m in at.markdown)


@pytest.mark.db
@pytest.mark.parametrize("account", [None, "demo-facilitator", "demo-inspecteur"])
def test_every_visitor_can_open_it_through_the_app(app_db, monkeypatch, account):
    from streamlit.testing.v1 import AppTest

    monkeypatch.delenv(VARIABELE, raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    if account:
        at.session_state["gebruiker"] = accounts_uit_omgeving()[account].als_gebruiker()
    at.run()
    at.switch_page("views/toegankelijkheid.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Toegankelijkheidsverklaring"
    assert not any("alleen voor medewerkers" in w.value for w in at.warning)


def test_statement_names_the_three_engines_and_the_tagged_pdfs(monkeypatch):
    tekst = _tekst(_run(monkeypatch, None))
    assert "axe-core" in tekst and "IBM" in tekst and "HTML_CodeSniffer" in tekst
    assert "getagd" in tekst and "PDF/UA" in tekst
    assert "niet 'getagd'" not in tekst  # the limitation that issue 13 removed is gone


@pytest.mark.db
def test_participants_without_a_menu_reach_the_statement(app_db):
    """The questionnaire's start screen links to the statement (participants have no menu)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "views" / "vragenlijst.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    knoppen = [k for k in at.get("link_button") if k.proto.label == "Toegankelijkheidsverklaring"]
    assert len(knoppen) == 1 and knoppen[0].proto.url == "toegankelijkheid"
