"""The overview page under Streamlit's AppTest: the overlay toggles on the spider chart."""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest

from rapport.grafiek import Q1_KOLOM, Q3_KOLOM
from storage import repository as repo
from storage.bereik import SYSTEEM  # noqa: E402
from storage.db import maak_engine, migreer
from tests.fabriek import antwoorden
from toegang import Gebruiker

if TYPE_CHECKING:  # only for annotations: importing it costs collection time
    from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.db

PAGINA = str(Path(__file__).resolve().parent.parent / "views" / "overzicht.py")
STJ = "stj-stelseltoezicht-jeugd"
FACILITATOR = Gebruiker("fac-t", "facilitator", frozenset({"Testdorp"}))
BAND_SCHAKELAAR = "Toon de middelste helft (IQR)"
VORIGE_SCHAKELAAR = "Vergelijk met de vorige ronde"


@pytest.fixture
def twee_rondes(tmp_path, monkeypatch):
    """Own database, no demo: gemeente Testdorp with rondes '2025' and '2026'."""
    import streamlit as st

    url = f"sqlite:///{tmp_path / 'overzicht.db'}"
    monkeypatch.setenv("ZBT_DATABASE_URL", url)
    monkeypatch.delenv("ZBT_DEMO", raising=False)
    from toegang import hash_wachtwoord

    bestand = tmp_path / "gebruikers.toml"
    bestand.write_text(f'[gebruikers.fac-t]\nrol = "facilitator"\ngemeenten = ["Testdorp"]\n'
                       f'wachtwoord_hash = "{hash_wachtwoord("x" * 16)}"\n')
    monkeypatch.setenv("ZBT_GEBRUIKERS", str(bestand))
    st.cache_resource.clear()
    eng = maak_engine(url)
    migreer(eng)
    from kader import laad_kaders

    kader = laad_kaders().kaders[STJ]
    rijen = []
    for ronde, basis in (("2025", 1), ("2026", 3)):
        for i in range(4):
            for c in kader.criteria:
                rijen.append(("Testdorp", ronde, f"p-{ronde}-{i}", "gemeente", STJ, c.id,
                              str(min(4, basis + i % 2)), ""))
    df = antwoorden(*rijen)
    repo.importeer_antwoorden(eng, df, {STJ: kader.versie}, door=SYSTEEM)
    yield eng
    st.cache_resource.clear()


def _run(gebruiker=FACILITATOR, ronde_label=None) -> AppTest:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(PAGINA, default_timeout=90)
    at.session_state["gebruiker"] = gebruiker
    at.run()
    assert not at.exception, at.exception
    if ronde_label is not None:
        [keuze] = [o for o in at.selectbox[0].options if ronde_label in o]
        at.selectbox[0].select(keuze).run()
        assert not at.exception, at.exception
    return at


def _schakelaar(at: AppTest, label: str):
    [s] = [t for t in at.toggle if t.label == label]
    return s


def _grafiek(at: AppTest) -> dict:
    """The Vega-Lite spec of the first spider chart on the page."""
    [grafiek, *_] = at.get("vega_lite_chart")
    return json.loads(grafiek.proto.spec)


def _tabel(at: AppTest) -> pd.DataFrame:
    return at.dataframe[0].value


def test_standaard_geen_overlays(twee_rondes):
    at = _run(ronde_label="2026")
    assert _schakelaar(at, BAND_SCHAKELAAR).value is False
    assert _schakelaar(at, VORIGE_SCHAKELAAR).value is False
    assert not _schakelaar(at, VORIGE_SCHAKELAAR).proto.disabled
    assert "Ter vergelijking" not in json.dumps(_grafiek(at))
    assert list(_tabel(at).columns) == ["Alle respondenten"]


def test_band_en_vorige_ronde_aan(twee_rondes):
    at = _run(ronde_label="2026")
    _schakelaar(at, BAND_SCHAKELAAR).set_value(True).run()
    _schakelaar(at, VORIGE_SCHAKELAAR).set_value(True).run()
    assert not at.exception, at.exception
    # (Streamlit sends the data rows separately; the spec keeps scales, marks and titles)
    spec = json.dumps(_grafiek(at), ensure_ascii=False)
    assert '"Vorige ronde (2025)"' in spec  # in the colour, shape and dash scales
    assert '"Ter vergelijking"' in spec and '"fillOpacity"' in spec  # legend and band
    tabel = _tabel(at)
    assert list(tabel.columns) == ["Alle respondenten", Q1_KOLOM, Q3_KOLOM, "Vorige ronde (2025)"]
    # 2026: scores 3,4,3,4 -> mean 3,5; 2025: 1,2,1,2 -> mean 1,5 (Dutch decimal comma)
    assert set(tabel["Alle respondenten"]) == {"3,5"}
    assert set(tabel["Vorige ronde (2025)"]) == {"1,5"}
    # Q1 of 3,3,4,4 is 3 + 0.75 * 0 = 3.0; Q3 is 4
    assert set(tabel[Q1_KOLOM]) == {"3,0"} and set(tabel[Q3_KOLOM]) == {"4,0"}


def test_eerste_ronde_heeft_geen_vorige(twee_rondes):
    at = _run(ronde_label="2025")
    schakelaar = _schakelaar(at, VORIGE_SCHAKELAAR)
    assert schakelaar.proto.disabled
    assert any("geen eerdere ronde" in c.value for c in at.caption)


def test_demo_toont_meteen_de_grafiek(app_db):
    """First load with the demo data: a chart, the toggles off, no error."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(PAGINA, default_timeout=120).run()
    assert not at.exception, at.exception
    assert _grafiek(at)["vconcat"]
    assert _schakelaar(at, BAND_SCHAKELAAR).value is False
    _schakelaar(at, BAND_SCHAKELAAR).set_value(True).run()
    assert not at.exception, at.exception
    assert Q1_KOLOM in _tabel(at).columns


REGIO_SCHAKELAAR = "Vergelijk met de regionale mediaan"


def test_regionale_mediaan_voor_een_gemeente_die_meedoet(app_db):
    """Demodorp (opted in) gets the regional median of the 7 opted-in demo gemeenten;
    Havenmond (did not opt in) cannot switch it on."""
    from streamlit.testing.v1 import AppTest

    from storage import demo

    at = AppTest.from_file(PAGINA, default_timeout=120).run()
    assert not at.exception, at.exception
    ronde = repo.ronde(maak_engine(app_db), at.selectbox[0].value)  # the selector holds ronde ids
    assert (ronde.gemeente, ronde.label) == (next(iter(demo.DEMO_GEMEENTEN)), demo.DEMO_RONDE)
    _schakelaar(at, REGIO_SCHAKELAAR).set_value(True).run()
    assert not at.exception, at.exception
    kolom = f"Regionale mediaan ({demo.DEMO_REGIO})"
    tabel = _tabel(at)
    assert kolom in tabel.columns
    # by hand: per opted-in gemeente the mean score per criterium, then the median over gemeenten,
    # over the answers the regional views may use (cells below the anonymity threshold left out)
    from rapport.anonimiteit import onderdruk

    df = onderdruk(repo.regio_antwoorden(maak_engine(app_db), demo.DEMO_REGIO, STJ))
    df = df[(df["ronde"] == demo.DEMO_RONDE) & df["score"].str.isdigit()]
    assert df["gemeente"].nunique() == 7
    verwacht = (df.assign(s=df["score"].astype(float)).groupby(["criterium", "gemeente"])["s"].mean()
                .groupby("criterium").median())
    from rapport.opmaak import getal  # the table shows Dutch numbers with one decimal

    kaders = {c.kort: c.id for c in _kaders()[STJ].criteria}
    assert len(tabel) == len(_kaders()[STJ].criteria)  # one row per criterium
    for kort, waarde in tabel[kolom].items():
        assert waarde == getal(verwacht[kaders[kort]]), kort

    havenmond = AppTest.from_file(PAGINA, default_timeout=120)
    havenmond.run()
    [keuze] = [o for o in havenmond.selectbox[0].options if "Havenmond" in o and demo.DEMO_RONDE in o]
    havenmond.selectbox[0].select(keuze).run()
    assert _schakelaar(havenmond, REGIO_SCHAKELAAR).proto.disabled


def _kaders():
    from views.context import kaders

    return kaders()
