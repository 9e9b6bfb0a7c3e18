"""Regional comparison: hand-computed values, the threshold, no ranking, and the page."""
from __future__ import annotations

import math
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest

from rapport import regio
from rapport.trend import RondeMeta, trend
from storage import repository as repo
from storage.bereik import SYSTEEM  # noqa: E402
from storage.db import maak_engine, migreer
from tests.fabriek import antwoorden, criterium, maak_kader
from views.tekst import zichtbaar

if TYPE_CHECKING:  # only for annotations: importing it costs collection time
    from streamlit.testing.v1 import AppTest

STJ = maak_kader([criterium(c, kort=c) for c in ("c1", "c2", "c10")], "stj", versie="2025.1")  # scale 1..4
VIEWS = Path(__file__).resolve().parent.parent / "views"


def _antwoorden(scores: dict[tuple[str, str], dict[str, list[str]]]) -> tuple[pd.DataFrame, list[RondeMeta]]:
    """{(gemeente, ronde): {criterium: [scores, one respondent each]}} -> uitwisselformaat + metas."""
    rijen, metas = [], []
    for (gemeente, ronde), per_crit in scores.items():
        metas.append(RondeMeta(gemeente, ronde, {"stj": STJ.versie}, int(ronde)))
        for crit, lijst in per_crit.items():
            for i, s in enumerate(lijst):
                rijen.append((gemeente, ronde, f"{gemeente}-{ronde}-{i}", "gemeente", "stj", crit, s, ""))
    df = antwoorden(*rijen)
    return df, metas


@pytest.fixture
def drie():
    """Three gemeenten (Zeta, alpha, Beta: not in alphabetical order on purpose), two rondes."""
    df, metas = _antwoorden({
        ("Zeta", "2025"): {"c1": ["4", "4", "3"], "c2": ["1", "2"]},
        ("alpha", "2025"): {"c1": ["2", "3"], "c2": ["4"]},
        ("Beta", "2025"): {"c1": ["1", "1", "2", "weet_niet"]},
        ("Zeta", "2026"): {"c1": ["4"], "c2": ["3", "3"]},
        ("alpha", "2026"): {"c1": ["3"]},
        ("Beta", "2026"): {"c1": ["2", "4"], "c2": ["2"]},
    })
    return trend(df, metas, STJ)


def test_heatmap_medianen_alfabetisch(drie):
    tabel = regio.heatmap_tabel(drie, STJ, "2025")
    assert list(tabel.index) == ["alpha", "Beta", "Zeta"]  # alphabetical, never by score
    assert list(tabel.columns) == ["c1", "c2", "c10"]
    assert tabel.loc["Zeta"].tolist()[:2] == [4.0, 1.5]
    assert tabel.loc["alpha"].tolist()[:2] == [2.5, 4.0]
    assert tabel.loc["Beta", "c1"] == 1.0 and math.isnan(tabel.loc["Beta", "c2"])
    assert tabel["c10"].isna().all()


def test_verdeling_en_regionale_mediaan(drie):
    v = regio.verdeling(drie, STJ, "2025").set_index("criterium")
    # c1 medians: Zeta 4, alpha 2.5, Beta 1 -> median 2.5, quartiles (numpy linear) 1.75 and 3.25
    assert v.loc["c1", ["gemeenten", "laagste", "q1", "regionale_mediaan", "q3", "hoogste"]].tolist() == [
        3, 1.0, 1.75, 2.5, 3.25, 4.0]
    assert v.loc["c2", "gemeenten"] == 2 and v.loc["c2", "regionale_mediaan"] == 2.75
    assert v.loc["c10", "gemeenten"] == 0
    # the overlay: median over gemeenten of each gemeente's MEAN (Zeta 11/3, alpha 2.5, Beta 4/3)
    overlay = regio.regionale_mediaan(drie, STJ, "2025").set_index("id")
    assert overlay.loc["c1", "gemiddelde"] == pytest.approx(2.5)
    assert overlay.loc["c2", "gemiddelde"] == pytest.approx((1.5 + 4.0) / 2)
    assert overlay.loc["c1", "n"] == 3 and overlay.loc["c10", "n"] == 0
    assert set(overlay["rol"]) == {"alle"}


def test_trend_per_gemeente(drie):
    t = regio.trend_per_gemeente(drie, "c1")
    assert t[["gemeente", "ronde", "waarde"]].values.tolist() == [
        ["alpha", "2025", 2.5], ["alpha", "2026", 3.0],
        ["Beta", "2025", 1.0], ["Beta", "2026", 3.0],
        ["Zeta", "2025", 4.0], ["Zeta", "2026", 4.0],
    ]
    alle = regio.trend_per_gemeente(drie).set_index(["gemeente", "ronde"])["waarde"]
    assert alle[("Zeta", "2025")] == pytest.approx((4.0 + 1.5) / 2)  # mean of criterium medians
    assert alle[("Beta", "2025")] == pytest.approx(1.0)  # c2 and c10 have no scores: left out
    tabel = regio.trend_tabel(drie, "c1")
    assert list(tabel.columns) == ["2025", "2026"] and list(tabel.index) == ["alpha", "Beta", "Zeta"]


def test_onder_de_drempel_geen_waarden_per_gemeente(drie, monkeypatch):
    twee = drie[drie["gemeente"] != "Beta"]
    assert not regio.per_gemeente_toegestaan(twee)
    for functie in (lambda: regio.heatmap_tabel(twee, STJ, "2025"),
                    lambda: regio.trend_per_gemeente(twee),
                    lambda: regio.regionale_mediaan(twee, STJ, "2025"),
                    lambda: regio.heatmap(twee, STJ, "2025"),
                    lambda: regio.verdelingsgrafiek(twee, STJ, "2025")):
        with pytest.raises(regio.TeWeinigGemeenten, match="vanaf 3"):
            functie()
    # a gemeente without any scored answer in a ronde does not count
    assert regio.aantal_gemeenten(drie, "2026") == 3
    monkeypatch.setenv("ZBT_REGIO_DREMPEL", "4")
    assert not regio.per_gemeente_toegestaan(drie)
    monkeypatch.setenv("ZBT_REGIO_DREMPEL", "2")  # never below 3
    assert regio.drempel() == 3


def test_grafieken_zonder_rangorde(drie):
    spec = regio.heatmap(drie, STJ, "2025").to_dict()
    laag = spec["vconcat"][0]["layer"][0]["encoding"]
    assert laag["y"]["sort"] == ["alpha", "Beta", "Zeta"]
    trend_spec = regio.trendgrafiek(drie, STJ).to_dict()
    assert trend_spec["facet"]["sort"] == ["alpha", "Beta", "Zeta"]
    assert "regionale mediaan" in " ".join(trend_spec["title"]["subtitle"])
    # nothing is sorted by a value anywhere
    tekst = str(spec) + str(trend_spec) + str(regio.verdelingsgrafiek(drie, STJ, "2025").to_dict())
    assert "descending" not in tekst and "-y" not in tekst and "rank" not in tekst.lower()


# ------------------------------------------------------------------ the page


def _pagina(gebruiker=None) -> AppTest:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(VIEWS / "regio.py"), default_timeout=120)
    if gebruiker is not None:
        at.session_state["gebruiker"] = gebruiker
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.db
def test_pagina_toont_demo_regio(app_db):
    at = _pagina()
    tekst = zichtbaar(" ".join(m.value for m in at.markdown))  # names are escaped markdown
    assert "7 van de 8 gemeenten" in tekst and "Havenmond (fictief)" in tekst
    assert len(at.get("vega_lite_chart")) == 3  # heatmap, trend, spreiding
    assert len(at.dataframe) == 3
    heat = at.dataframe[0].value
    assert "Havenmond (fictief)" not in heat.index  # did not opt in
    assert list(heat.index) == sorted(heat.index, key=str.lower)


@pytest.mark.db
def test_pagina_echte_regio_alleen_met_rechten(app_db, monkeypatch, tmp_path):
    from toegang import Gebruiker, hash_wachtwoord

    h = hash_wachtwoord("x" * 16)
    bestand = tmp_path / "gebruikers.toml"
    bestand.write_text(
        f'[gebruikers.rita]\nrol = "regio-analist"\ngemeenten = ["Aadorp", "Bedorp"]\nwachtwoord_hash = "{h}"\n'
        f'[gebruikers.ria]\nrol = "regio-analist"\ngemeenten = ["*"]\nwachtwoord_hash = "{h}"\n')
    monkeypatch.setenv("ZBT_GEBRUIKERS", str(bestand))
    engine = maak_engine(app_db)
    _pagina()  # seeds the demo
    for naam in ("Aadorp", "Bedorp", "Cedorp"):
        g = repo.maak_gemeente(engine, naam, regio="Echte regio", door=SYSTEEM)
        r = repo.maak_ronde(engine, g.id, "2026", {"stj-stelseltoezicht-jeugd": "2016.1"}, door=SYSTEEM)
        for _ in range(3):  # three respondents: fewer would be withheld (anonymity threshold)
            resp, _ = repo.maak_respondent(engine, r.id, "gemeente", door=SYSTEEM)
            repo.bewaar_antwoord(engine, resp.id, "stj-stelseltoezicht-jeugd", "c1-signalering", "3", "")
        repo.zet_regio_vergelijking(engine, g.id, True, door=SYSTEEM)
    anoniem = _pagina()
    assert [s.options for s in anoniem.selectbox if s.label == "Regio"] == [["Demoregio (fictief)"]]
    analist = _pagina(Gebruiker("rita", "regio-analist", frozenset({"Aadorp", "Bedorp"})))
    [keuze] = [s for s in analist.selectbox if s.label == "Regio"]
    assert "Echte regio" in keuze.options
    keuze.set_value("Echte regio").run()
    # only two of the three gemeenten are in her scope: below the threshold, nothing per gemeente
    assert any("vanaf 3 deelnemende gemeenten" in w.value for w in analist.warning)
    assert len(analist.get("vega_lite_chart")) == 0
    alles = _pagina(Gebruiker("ria", "regio-analist", frozenset({"*"})))
    [keuze] = [s for s in alles.selectbox if s.label == "Regio"]
    keuze.set_value("Echte regio").run()
    assert len(alles.get("vega_lite_chart")) == 3
    assert list(alles.dataframe[0].value.index) == ["Aadorp", "Bedorp", "Cedorp"]


@pytest.mark.db
def test_facilitator_zet_deelname_aan_en_uit(app_db, monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    from toegang import Gebruiker, hash_wachtwoord

    h = hash_wachtwoord("x" * 16)
    bestand = tmp_path / "gebruikers.toml"
    bestand.write_text(f'[gebruikers.fac-a]\nrol = "facilitator"\ngemeenten = ["Aadorp"]\nwachtwoord_hash = "{h}"\n')
    monkeypatch.setenv("ZBT_GEBRUIKERS", str(bestand))
    engine = maak_engine(app_db)
    migreer(engine)
    g = repo.maak_gemeente(engine, "Aadorp", regio="Echte regio", door=SYSTEEM)
    repo.maak_ronde(engine, g.id, "2026", {"stj-stelseltoezicht-jeugd": "2016.1"}, door=SYSTEEM)
    at = AppTest.from_file(str(VIEWS / "rondes.py"), default_timeout=120)
    at.session_state["gebruiker"] = Gebruiker("fac-a", "facilitator", frozenset({"Aadorp"}))
    at.run()
    assert not at.exception, at.exception
    [schakel] = [t for t in at.toggle if t.label.startswith("Deze gemeente doet mee")]
    assert schakel.value is False
    schakel.set_value(True).run()
    assert [x.vergelijking for x in repo.gemeenten(engine) if x.naam == "Aadorp"] == [True]
    [schakel] = [t for t in at.toggle if t.label.startswith("Deze gemeente doet mee")]
    schakel.set_value(False).run()
    assert [x.vergelijking for x in repo.gemeenten(engine) if x.naam == "Aadorp"] == [False]


def test_verloop_over_kaderversies_zegt_waar_gekoppeld_is():
    """Two versions of a small kader: the trend runs through the mapping, and the chart marks
    the points where it was applied (open dots, tooltip) and names the mapping."""
    from datetime import datetime

    from kader import laad_kaders
    from kader.koppeling import laad_koppelingen
    from rapport.trend import koppeling_noot

    map_ = Path(__file__).resolve().parent / "fixtures" / "koppeling"
    doel = laad_kaders([map_ / "mini-v2.yaml"]).kaders["mini-kader"]
    koppelingen, fouten = laad_koppelingen({"mini-kader": doel}, [map_ / "mini-1-naar-2.yaml"])
    assert not fouten
    rijen, metas = [], []
    for nummer, gemeente in enumerate(("Aa", "Bb", "Cc")):
        for jaar, versie, crit in ((2024, "1", "a"), (2026, "2", "a2")):
            metas.append(RondeMeta(gemeente, str(jaar), {"mini-kader": versie},
                                   datetime(jaar, 1, 1, tzinfo=UTC)))
            rijen.append((gemeente, str(jaar), f"{gemeente}{jaar}", "gemeente", "mini-kader", crit,
                          str(1 + nummer + (jaar == 2026)), ""))
    df = antwoorden(*rijen)
    tabel = trend(df, metas, doel, koppelingen)
    punten = regio.trend_per_gemeente(tabel, "a2")
    assert punten[["gemeente", "ronde", "waarde"]].values.tolist() == [
        ["Aa", "2024", 1.0], ["Aa", "2026", 2.0], ["Bb", "2024", 2.0], ["Bb", "2026", 3.0],
        ["Cc", "2024", 3.0], ["Cc", "2026", 4.0]]
    assert punten["koppeling"].tolist() == ["hernoemd: a → a2 (versie 1 → 2)", None] * 3
    spec = regio.trendgrafiek(tabel, doel, "a2").to_dict()
    data = next(iter(spec["datasets"].values()))
    assert [d["gekoppeld"] for d in data] == [True, False] * 3
    assert "koppeling tussen kaderversies" in " ".join(spec["title"]["subtitle"])
    assert "heette in versie 1" in koppeling_noot(tabel, doel, koppelingen, ["a2"])
