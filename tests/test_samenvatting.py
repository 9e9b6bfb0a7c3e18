"""rapport.samenvatting: every chart in words (issue 13), and where the pages and the PDF show it.

Expected numbers are computed here from the answers (statistics.mean, Dutch formatting by
hand), never copied from the product's output."""
from __future__ import annotations

import re
import statistics

import pandas as pd
import pytest

from rapport import regio, samenvatting
from rapport.aggregatie import aggregeer
from rapport.anonimiteit import onderdruk
from rapport.grafiek import GrafiekOpties
from rapport.groepen import OVERIGE, anonimiseer
from rapport.trend import trend
from rapport.workshop import verdeling
from tests import fabriek
from tests.test_pagina_overzicht import _run, twee_rondes  # noqa: F401 (a fixture)
from tests.test_regio import STJ as REGIO_KADER
from tests.test_regio import _antwoorden as regio_antwoorden
from views.tekst import zichtbaar

KADER = fabriek.maak_kader([fabriek.criterium(c, kort=f"Onderdeel {c}") for c in ("a", "b", "c", "d")])
NAMEN = {"gemeente": "Gemeente", "wijkteam": "Wijkteam", "politie": "Politie"}


def _nl(x: float) -> str:
    """Dutch, one decimal, written out independently of rapport.opmaak."""
    return f"{x:.1f}".replace(".", ",")


def _df(scores: dict[tuple[str, str], list[str]]) -> pd.DataFrame:
    """{(rol, criterium): [scores, one respondent each, numbered per rol]}."""
    rijen = [(f"{rol}-{i}", rol, crit, s) for (rol, crit), lijst in scores.items() for i, s in enumerate(lijst)]
    return fabriek.antwoorden(*rijen)


def _gemiddelden(df: pd.DataFrame) -> dict[str, float]:
    gescoord = df[df["score"].str.isdigit()]
    return {f"Onderdeel {c}": statistics.mean(int(s) for s in g["score"]) for c, g in gescoord.groupby("criterium")}


def _zin(df: pd.DataFrame, **opties) -> str:
    groepen, namen = anonimiseer(onderdruk(df, rol_namen=NAMEN), NAMEN)
    return samenvatting.spinnenweb(aggregeer(groepen, KADER), KADER, GrafiekOpties(rol_namen=namen, **opties))


def test_hoogste_en_laagste_met_nederlandse_getallen():
    df = _df({("gemeente", "a"): ["4", "4", "3"], ("gemeente", "b"): ["1", "2", "2"],
              ("gemeente", "c"): ["3", "2", "3"], ("gemeente", "d"): ["2", "3", "3"]})
    gem = _gemiddelden(df)
    hoog, laag = max(gem, key=gem.get), min(gem, key=gem.get)
    zin = _zin(df, rollen=())
    assert f"hoogst op ‘{hoog}’ ({_nl(gem[hoog])})" in zin
    assert f"laagst op ‘{laag}’ ({_nl(gem[laag])})" in zin
    assert not re.search(r"\d\.\d", zin)  # no decimal point anywhere


def test_gelijke_waarden_worden_samen_genoemd():
    df = _df({("gemeente", "a"): ["4", "4", "4"], ("gemeente", "b"): ["4", "4", "4"],
              ("gemeente", "c"): ["1", "2", "3"], ("gemeente", "d"): ["2", "2", "2"]})
    gem = _gemiddelden(df)
    zin = _zin(df, rollen=())
    assert f"hoogst op ‘Onderdeel a’ en ‘Onderdeel b’ ({_nl(gem['Onderdeel a'])})" in zin
    # c and d both have mean 2,0: a tie at the bottom
    assert f"laagst op ‘Onderdeel c’ en ‘Onderdeel d’ ({_nl(gem['Onderdeel c'])})" in zin


def test_alles_gelijk_en_een_enkel_onderdeel():
    alles = _df({("gemeente", c): ["3", "3", "3"] for c in "abcd"})
    assert _zin(alles, rollen=()) == f"Alle respondenten scoren gelijk op alle 4 onderdelen: {_nl(3)}."
    een = _df({("gemeente", "b"): ["2", "3", "3"]})
    assert _zin(een, rollen=()).startswith(f"Alleen ‘Onderdeel b’ heeft een score: {_nl(8 / 3)}.")


def test_lege_invoer():
    leeg = fabriek.antwoorden()
    assert _zin(leeg) == samenvatting.GEEN_SCORES
    assert samenvatting.verdeling(verdeling(leeg, KADER, "a", {})) == samenvatting.GEEN_ANTWOORDEN
    assert samenvatting.heatmap(pd.DataFrame()) == samenvatting.GEEN_SCORES


def test_een_achtergehouden_groep_wordt_nooit_genoemd():
    """Politie has 2 respondents (threshold 3), so it is never shown on its own; criterium d
    has 2 answers in all, so it is withheld and never named."""
    scores = {}
    for c in "abc":
        scores[("gemeente", c)] = ["4", "4", "3"]
        scores[("wijkteam", c)] = ["1", "2", "1"]
        scores[("politie", c)] = ["1", "1"]
    scores[("gemeente", "d")] = ["1", "1"]
    df = _df(scores)
    zin = _zin(df)  # every group that may be shown, drawn
    assert "Politie" not in zin and "Onderdeel d" not in zin
    # Politie alone would be a group of 2, so the wijkteam is merged with it ('Overige
    # partners', rapport.groepen): the groups shown are Gemeente and Overige partners
    verschil = statistics.mean([4, 4, 3]) - statistics.mean([1, 2, 1, 1, 1])
    assert f"daar scoort Gemeente {_nl(verschil)} punt hoger dan {OVERIGE.label}" in zin
    assert samenvatting.GEEN_SCORES not in zin


def test_een_rol_tegen_alle_respondenten():
    df = _df({("gemeente", "a"): ["4", "4", "4"], ("wijkteam", "a"): ["2", "2", "2"],
              ("gemeente", "b"): ["1", "1", "1"], ("wijkteam", "b"): ["3", "3", "3"],
              ("gemeente", "c"): ["3", "3", "3"], ("wijkteam", "c"): ["3", "3", "3"]})
    gem = _gemiddelden(df)
    eigen = _gemiddelden(df[df["rol"] == "gemeente"])
    hoger = sum(round(eigen[k], 1) > round(gem[k], 1) for k in eigen)
    lager = sum(round(eigen[k], 1) < round(gem[k], 1) for k in eigen)
    zin = _zin(df, rollen=("gemeente",))
    assert f"Gemeente scoort hoger dan alle respondenten op {hoger}, lager op {lager}" in zin
    assert f"van de {len(eigen)} onderdelen" in zin
    # both rollen: where they differ most (a and b both 2 points apart)
    assert "De rollen verschillen het meest bij ‘Onderdeel a’ en ‘Onderdeel b’" in _zin(df)


def test_verdeling_noemt_het_vaakst_gekozen_antwoord():
    df = _df({("gemeente", "a"): ["3", "3", "4"], ("wijkteam", "a"): ["1", "1", "3"]})
    tabel = verdeling(onderdruk(df), KADER, "a", {"gemeente": "Gemeente", "wijkteam": "Wijkteam"})
    zin = samenvatting.verdeling(tabel)
    totaal = len(df)
    assert zin.startswith(f"Samen {totaal} antwoorden: ")
    assert "Het vaakst gekozen: ‘3 · Klopt grotendeels’." in zin  # 3 of the 6 answers
    assert "Gemeente ‘3 · Klopt grotendeels’; Wijkteam ‘1 · Klopt niet’" in zin


def test_regio_noemt_geen_gemeente():
    df, metas = regio_antwoorden({
        ("Zeta", "2025"): {"c1": ["4", "4", "3"], "c2": ["1", "2"]},
        ("alpha", "2025"): {"c1": ["2", "3"], "c2": ["4"]},
        ("Beta", "2025"): {"c1": ["1", "1", "2"]},
        ("Zeta", "2026"): {"c1": ["4"], "c2": ["3", "3"]},
        ("alpha", "2026"): {"c1": ["3"]},
        ("Beta", "2026"): {"c1": ["2", "4"], "c2": ["2"]},
    })
    t = trend(df, metas, REGIO_KADER)
    heat = regio.heatmap_tabel(t, REGIO_KADER, "2025")
    zinnen = [samenvatting.heatmap(heat), samenvatting.spreiding(regio.verdeling(t, REGIO_KADER, "2025")),
              samenvatting.trend(regio.trend_per_gemeente(t), regio.ronde_volgorde(t))]
    for zin in zinnen:
        assert not any(g in zin for g in ("Zeta", "alpha", "Beta")), zin
    # c1 in 2025: gemeente medians 4, 2,5 and 1: the furthest apart, from the lowest to the highest
    c1 = [statistics.median([4, 4, 3]), statistics.median([2, 3]), statistics.median([1, 1, 2])]
    assert f"bij ‘c1’: van {_nl(min(c1))} tot {_nl(max(c1))}" in zinnen[0]
    # the grey line: per year the median of the gemeenten' values (mean of their criterium medians)
    punten = regio.trend_per_gemeente(t)
    van, naar = (statistics.median(punten.loc[punten["ronde"] == j, "waarde"]) for j in ("2025", "2026"))
    assert zinnen[2].startswith(f"De regionale mediaan ging van {_nl(van)} in 2025 naar {_nl(naar)} in 2026.")


# ------------------------------------------------------------------ pages and PDF


@pytest.mark.db
def test_overzicht_toont_een_samenvatting_naast_elke_grafiek(twee_rondes):  # noqa: F811
    at = _run(ronde_label="2026")
    grafieken = at.get("vega_lite_chart")
    kort = [m.value for m in at.markdown if m.value.startswith("**In het kort:**")]
    assert grafieken and len(kort) == len(grafieken)
    # 2026: every respondent scored 3 or 4 on every criterium (fixture): all equal, mean 3,5
    gemiddelde = statistics.mean([3, 4, 3, 4])
    for grafiek, tekst in zip(grafieken, kort):
        zin = zichtbaar(tekst.removeprefix("**In het kort:** "))
        assert zin == f"Alle respondenten scoren gelijk op alle 4 onderdelen: {_nl(gemiddelde)}."
        assert grafiek.proto.alt.endswith(zin)  # the summary is also the alt text


def test_verbeterplan_pdf_bevat_de_samenvatting_van_zijn_grafiek():
    from rapport.verbeterplan import maak_verbeterplan_html, maak_verbeterplan_pdf, verbeterplan_context
    from tests.test_verbeterplan import KADER as VP_KADER
    from tests.test_verbeterplan import alle_antwoorden, invoer, pdf_tekst

    context = verbeterplan_context(invoer(alle_antwoorden(), drempel=1))
    zin = context["grafiek"]["samenvatting"]
    eigen = alle_antwoorden()
    eigen = eigen[(eigen["gemeente"] == "Utrecht") & (eigen["ronde"] == "2026-1") & eigen["score"].str.isdigit()]
    gem = {VP_KADER.criterium(c).kort: statistics.mean(int(s) for s in g["score"]) for c, g in eigen.groupby("criterium")}
    hoog = max(gem, key=gem.get)
    assert f"‘{hoog}’ ({_nl(gem[hoog])})" in zin
    assert context["grafiek_alt"].endswith(zin)  # the Figure's alternative text in the tagged PDF
    tekst = " ".join(pdf_tekst(maak_verbeterplan_pdf(invoer(alle_antwoorden(), drempel=1))).split())
    assert " ".join(zin.split()) in tekst
    html = maak_verbeterplan_html(invoer(alle_antwoorden(), drempel=1))
    assert 'class="samenvatting"' in html and "aria-label=\"Spinnenwebgrafiek" in html
