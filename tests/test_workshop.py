"""Reveal logic: small rol groups merged, distributions counted, toelichtingen anonymous."""
from __future__ import annotations

import dataclasses

from kader.model import Schaalpunt
from rapport.groepen import ALLE, OVERIGE, rolgroepen
from rapport.palet import BLAUW, GEEN_OORDEEL_KLEUREN, HEMELBLAUW, ORANJE, VERMILJOEN, antwoord_kleuren
from rapport.workshop import toelichtingen, verdeling, verdeling_grafiek
from tests.fabriek import antwoorden


def _df(rijen):
    return antwoorden(*rijen)


def _antwoorden(per_rol: dict[str, list[str]], crit="c1-signalering"):
    rijen = []
    for rol, scores in per_rol.items():
        for i, s in enumerate(scores):
            rijen.append(["G", "R", f"{rol}-{i}", rol, "stj-stelseltoezicht-jeugd", crit, s, f"tekst {rol} {i}"])
    return _df(rijen)


NAMEN = {"gemeente": "Gemeente", "onderwijs": "Onderwijs", "politie": "Politie", "jgz": "JGZ"}


def test_small_groups_are_merged():
    df = _antwoorden({"gemeente": ["3", "3", "4"], "onderwijs": ["2", "2", "1"], "politie": ["1", "2"], "jgz": ["4"]})
    groepen = rolgroepen(df, NAMEN, drempel=3)
    assert groepen == {"gemeente": "Gemeente", "onderwijs": "Onderwijs", "politie": OVERIGE.label, "jgz": OVERIGE.label}


def test_merged_group_itself_too_small_takes_in_the_smallest_named_group():
    df = _antwoorden({"gemeente": ["3"] * 5, "onderwijs": ["2"] * 3, "politie": ["1"]})
    groepen = rolgroepen(df, NAMEN, drempel=3)
    # politie (1) alone is below 3, so onderwijs (3, the smallest named group) joins it
    assert groepen == {"gemeente": "Gemeente", "onderwijs": OVERIGE.label, "politie": OVERIGE.label}


def test_no_group_below_threshold_property():
    df = _antwoorden({"gemeente": ["3"] * 2, "onderwijs": ["2"] * 1, "politie": ["1"] * 4, "jgz": ["2"] * 7})
    groepen = rolgroepen(df, NAMEN, drempel=3)
    per_groep = df.assign(g=df["rol"].map(groepen)).groupby("g")["respondent"].nunique()
    assert (per_groep >= 3).all()


def test_distribution_counts(stj):
    df = _antwoorden({"gemeente": ["3", "3", "4"], "onderwijs": ["2", "weet_niet", "1"], "politie": ["1", "2"]})
    groepen = rolgroepen(df, NAMEN, drempel=3)
    # politie (2) is too small; with it alone 'overige' would be 2, so onderwijs (3) joins,
    # not the gemeente (also 3): partners merge first on a tie
    tabel = verdeling(df, stj, "c1-signalering", groepen)
    assert list(tabel.index) == [ALLE.label, "Gemeente", OVERIGE.label]
    assert tabel.loc[ALLE.label].tolist() == [2, 2, 2, 1, 1, 0]  # 1,2,3,4,weet niet,nvt
    assert tabel.loc["Gemeente", "3 · Klopt grotendeels"] == 2
    assert tabel.loc[OVERIGE.label].sum() == 5
    assert tabel.loc[ALLE.label].sum() == len(df)


def test_distribution_chart_uses_the_shared_palette_in_scale_order(stj):
    df = _antwoorden({"gemeente": ["3", "3", "4"], "onderwijs": ["2", "weet_niet", "1"], "politie": ["1", "2"]})
    tabel = verdeling(df, stj, "c1-signalering", rolgroepen(df, NAMEN, drempel=3))
    spec = verdeling_grafiek(tabel, stj).to_dict()
    kleur = spec["encoding"]["color"]["scale"]
    assert kleur["domain"] == list(tabel.columns)  # 1 · Klopt niet ... 4 · Klopt helemaal, Weet niet, nvt
    assert kleur["range"] == [VERMILJOEN, ORANJE, HEMELBLAUW, BLAUW, *GEEN_OORDEEL_KLEUREN]
    assert spec["encoding"]["y"]["sort"] == [ALLE.label, "Gemeente", OVERIGE.label]


def test_answer_colours_follow_the_length_of_the_scale(stj):
    vijf = dataclasses.replace(stj.schaal, punten=tuple(Schaalpunt(i, f"p{i}", "") for i in range(1, 6)))
    kleuren = antwoord_kleuren(vijf)
    assert len(kleuren) == 5 + len(stj.schaal.geen_oordeel)
    assert kleuren[0] == VERMILJOEN and kleuren[4] == BLAUW  # lowest warm, highest cool


def test_toelichtingen_have_no_pseudonyms(stj):
    df = _antwoorden({"gemeente": ["3", "3", "4"], "onderwijs": ["2", "2", "2"], "politie": ["1"]})
    df.loc[0, "toelichting"] = "  "
    uit = toelichtingen(df, stj, "c1-signalering", rolgroepen(df, NAMEN, drempel=3))
    assert len(uit) == 6
    assert all(set(t) == {"groep", "score", "tekst"} for t in uit)
    assert not any("gemeente-" in t["groep"] or "politie-0" in t["groep"] for t in uit)
    assert uit[0]["score"].startswith("1")  # lowest score first
    assert {t["groep"] for t in uit} == {"Gemeente", OVERIGE.label}


def test_everyone_merged_shows_only_the_whole(stj):
    df = _antwoorden({"gemeente": ["3", "3", "4"], "onderwijs": ["1"], "politie": ["2"]})
    groepen = rolgroepen(df, NAMEN, drempel=3)
    assert set(groepen.values()) == {ALLE.label}
    tabel = verdeling(df, stj, "c1-signalering", groepen)
    assert list(tabel.index) == [ALLE.label]
    assert {t["groep"] for t in toelichtingen(df, stj, "c1-signalering", groepen)} == {"Deelnemer"}
