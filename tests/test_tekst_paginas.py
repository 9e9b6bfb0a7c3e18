"""Every page, in AppTest: no supplied text reaches a markdown-reading element unescaped.

A second line next to the browser test (test_beveiliging_tekst.py): here the kader,
antwoordschaal, vragenlijst and actie YAML files carry payloads too (the browser test
uses the real files), together with the database fields. Every string that a page hands
to Streamlit is checked, in every element and block, except the fields Streamlit shows as
plain text (views/tekst.py lists them): none may hold markdown image, link or HTML syntax.
Deny by default: a new element type that carries supplied text fails here until it is
classified.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml
from google.protobuf.message import Message

from test_beveiliging_tekst import KADER, _vul_database
from toegang import Gebruiker

if TYPE_CHECKING:  # only for annotations: importing it costs collection time
    from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.db

ROOT = Path(__file__).resolve().parent.parent
VIEWS = ROOT / "views"
PAYLOAD_YAML = "![y](http://127.0.0.1:9/yaml) <img src=http://127.0.0.1:9/yaml>"
MARKDOWN = re.compile(r"!\[|\]\(|<img")
"""Markdown image or link syntax, or an HTML image: never unescaped where markdown is read."""

# Fields Streamlit shows as they are (checked in a browser, see views/tekst.py): text here
# is not read as markdown, so an escape would show its backslashes.
PLAIN = {
    ("Selectbox", "options"), ("Selectbox", "raw_values"), ("MultiSelect", "options"),
    ("MultiSelect", "raw_values"), ("MultiSelect", "default"), ("Text", "body"), ("Code", "code_text"),
    ("TextArea", "default"), ("TextArea", "value"), ("TextArea", "placeholder"),
    ("TextInput", "default"), ("TextInput", "value"), ("TextInput", "placeholder"),
    ("Selectbox", "raw_value"), ("VegaLiteChart", "spec"), ("VegaLiteChart", "alt"),  # charts: drawn, never parsed
}
TEKSTVELDEN = {"titel", "kort", "tekst", "omschrijving", "ratio", "operationalisering", "sectie", "label",
               "naam", "stelling", "toelichting_hint"}


def _met_payload(data):
    """The YAML data with the payload appended to every human-readable text."""
    if isinstance(data, dict):
        return {k: (f"{v} {PAYLOAD_YAML}" if k in TEKSTVELDEN and isinstance(v, str) else _met_payload(v))
                for k, v in data.items()}
    if isinstance(data, list):
        return [_met_payload(v) for v in data]
    return data


def _kopie(bron: Path, doel: Path) -> Path:
    doel.mkdir(parents=True, exist_ok=True)
    for pad in bron.glob("*.yaml"):
        data = yaml.safe_load(pad.read_text(encoding="utf-8"))
        tekst = yaml.dump(_met_payload(data), Dumper=_GeenAliassen, allow_unicode=True, sort_keys=False, width=1000)
        (doel / pad.name).write_text(tekst, encoding="utf-8")
    return doel


class _GeenAliassen(yaml.SafeDumper):
    def ignore_aliases(self, data):  # the kader loader refuses anchors and aliases
        return True


@pytest.fixture
def paginas(tmp_path, monkeypatch):
    """A database full of payloads, YAML files full of payloads, and the accounts to see them."""
    import streamlit as st

    import kader
    from kader import laad_acties, laad_kaders
    from kader.loader import standaard_paden
    from toegang import hash_wachtwoord
    from views import context
    from vragenlijsten import laad_vragenlijsten

    url = f"sqlite:///{tmp_path / 'app.db'}"
    data = _vul_database(url, 9)
    kadermap = _kopie(ROOT / "kader", tmp_path / "kader")
    schalen = _kopie(ROOT / "kader" / "schalen", tmp_path / "schalen")
    lijsten = _kopie(ROOT / "vragenlijsten", tmp_path / "vragenlijsten")
    resultaat = laad_kaders(standaard_paden(kadermap), schalen)  # not acties, bronnen, werkwijze
    assert not resultaat.fouten, [str(f) for f in resultaat.fouten]
    vragen = laad_vragenlijsten(resultaat.kaders, lijsten)
    assert not vragen.fouten, [str(f) for f in vragen.fouten]
    acties, fouten = laad_acties(resultaat.kaders, kadermap / "acties.yaml")
    assert not fouten and acties, [str(f) for f in fouten]
    assert "img" in resultaat.kaders[KADER].criteria[0].kort and "img" in next(iter(vragen.rol_namen().values()))
    monkeypatch.setattr(context, "kader_resultaat", lambda: resultaat)
    monkeypatch.setattr(context, "vragenlijsten", lambda: vragen)
    monkeypatch.setattr(kader, "laad_acties", lambda kaders, pad=None: (acties, []))

    gemeente = data["velden"]["gemeente"]
    h = hash_wachtwoord("x" * 16)
    bestand = tmp_path / "gebruikers.toml"
    bestand.write_text(
        f'[gebruikers.beheer]\nrol = "beheerder"\ngemeenten = ["*"]\nwachtwoord_hash = "{h}"\n'
        f'[gebruikers.insp]\nrol = "inspecteur"\ngemeenten = [{json.dumps(gemeente)}]\n'
        f'wachtwoord_hash = "{h}"\n', encoding="utf-8")
    monkeypatch.setenv("ZBT_GEBRUIKERS", str(bestand))
    monkeypatch.setenv("ZBT_DATABASE_URL", url)
    monkeypatch.setenv("ZBT_DEMO", "0")
    st.cache_resource.clear()
    yield {**data, "beheerder": Gebruiker("beheer", "beheerder", frozenset({"*"})),
           "inspecteur": Gebruiker("insp", "inspecteur", frozenset({gemeente}))}
    st.cache_resource.clear()


def _strings(msg: Message, pad: str = ""):
    for veld, waarde in msg.ListFields():
        naam = f"{pad}.{veld.name}" if pad else veld.name
        waarden = list(waarde) if not isinstance(waarde, (str, bytes, Message)) and hasattr(waarde, "__len__") \
            else [waarde]
        for w in waarden:
            if isinstance(w, Message):
                yield from _strings(w, naam)
            elif isinstance(w, str):
                yield naam, w


def _knopen(knoop):
    proto = getattr(knoop, "proto", None)
    if proto is not None:
        yield proto
    for kind in getattr(knoop, "children", {}).values():
        yield from _knopen(kind)


def _onveilig(at: AppTest) -> list[tuple[str, str, str]]:
    """(element, field, value) for every markdown-read string with markdown syntax in it."""
    fout = []
    for proto in _knopen(at._tree):
        for veld, waarde in _strings(proto):
            # block protos wrap the element type one level down (expandable.label, tab.label)
            soort = type(proto).__name__
            if (soort, veld) in PLAIN or (soort, veld.split(".", 1)[-1]) in PLAIN:
                continue
            if MARKDOWN.search(re.sub(r"\\.", "", waarde)):  # escaped characters don't count
                fout.append((soort, veld, waarde[:160]))
    return fout


def _draai(pagina: str, gebruiker=None, **query) -> AppTest:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(VIEWS / pagina), default_timeout=120)
    if gebruiker is not None:
        at.session_state["gebruiker"] = gebruiker
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def _zichtbaar_in(at: AppTest, tekst: str) -> bool:
    """`tekst` appears somewhere on the page (escaped or plain)."""
    from views.tekst import zichtbaar

    return any(tekst in zichtbaar(w) or tekst in w for p in _knopen(at._tree) for _, w in _strings(p))


@pytest.mark.parametrize("pagina", ["overzicht.py", "verbeterplan.py", "rondes.py", "workshop.py",
                                    "regio.py", "inspectie.py", "gegevens.py", "kaders.py", "inloggen.py"])
def test_staff_pages_escape_every_supplied_text(paginas, pagina):
    at = _draai(pagina, paginas["beheerder"])
    assert _onveilig(at) == []
    if pagina not in ("inloggen.py", "gegevens.py"):
        assert _zichtbaar_in(at, PAYLOAD_YAML)  # the YAML payloads did reach the page
    if pagina not in ("kaders.py", "inloggen.py"):
        assert _zichtbaar_in(at, paginas["velden"]["gemeente"])


def test_read_only_plan_and_regio_escape_every_supplied_text(paginas):
    at = _draai("verbeterplan.py", paginas["inspecteur"])  # read only: fields in captions, not inputs
    assert _onveilig(at) == []
    assert _zichtbaar_in(at, paginas["velden"]["eigenaar"]) and _zichtbaar_in(at, paginas["velden"]["meting"])
    at = _draai("overzicht.py", paginas["inspecteur"])
    assert _onveilig(at) == []
    at = _draai("regio.py", paginas["inspecteur"])
    assert _onveilig(at) == []
    assert _zichtbaar_in(at, paginas["velden"]["regio"])


def test_new_invitation_codes_escape_rol_names(paginas):
    at = _draai("rondes.py", paginas["beheerder"])
    next(b for b in at.button if b.label == "Nieuwe codes maken").click().run()
    assert any("QR-code voor" in w for p in _knopen(at._tree) for _, w in _strings(p))
    assert _onveilig(at) == []


def test_questionnaire_escapes_every_supplied_text(paginas):
    at = _draai("vragenlijst.py", uitnodiging=paginas["uitnodiging"])
    assert _onveilig(at) == []
    assert _zichtbaar_in(at, paginas["velden"]["ronde"])
    at = _draai("vragenlijst.py", code=paginas["hervatcode"])
    assert _onveilig(at) == []
    assert _zichtbaar_in(at, paginas["velden"]["toelichting"]) and _zichtbaar_in(at, PAYLOAD_YAML)


def test_a_missing_escape_is_caught(paginas):
    """The check itself: a page that puts a ronde label into markdown unescaped fails it."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(
        "import streamlit as st\nfrom storage import repository as repo\nfrom views import context\n"
        "st.markdown(repo.rondes(context.engine())[-1].label)\n", default_timeout=60)
    at.run()
    assert [soort for soort, _, _ in _onveilig(at)] == ["Markdown"]
