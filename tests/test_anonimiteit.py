"""Anonymity per criterium (rapport.anonimiteit): too few answers show nothing, anywhere.

One answer, or two below the threshold 3, to a criterium: the workshop reveal, the
overview's aggregates, both PDFs (context and HTML), the attachments of the verbeterplan
and the werkboek's Scores sheet show neither its numbers nor its toelichtingen. And for
random answer sets no removed score can be computed from what the reports expose.
"""
from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport.aggregatie import aggregeer
from rapport.analyse import analyseer
from rapport.anonimiteit import TE_WEINIG, onderdruk, onderdrukte_criteria
from rapport.groepen import ALLE, anonimiseer, rolgroepen
from rapport.inspectiebezoek import VoorbereidingInvoer, maak_voorbereiding_html, voorbereiding_context
from rapport.verbeterplan import VerbeterplanInvoer, maak_verbeterplan_html, pdf_bijlagen, verbeterplan_context
from rapport.werkboek import scores_tabel
from rapport.workshop import te_weinig, toelichtingen, verdeling
from tests.fabriek import antwoorden, maak_kader

KADER = maak_kader({"T1": ["c1", "c2"], "T2": ["c3"]})
ROL_NAMEN = {"gemeente": "Gemeente", "wijkteam": "Wijkteam"}
GEHEIM = "Alleen-ik-schreef-dit"
DREMPEL = 3


def gegevens(aantal_c3: int) -> pd.DataFrame:
    """Four gemeente and three wijkteam respondents score c1 and c2; c3 has ``aantal_c3``
    scores (each with a toelichting), the rest of them did not answer it."""
    rijen = []
    for i in range(4):
        rijen += [(f"g{i}", "gemeente", "c1", str(1 + i % 4)), (f"g{i}", "gemeente", "c2", "3")]
    for i in range(3):
        rijen += [(f"w{i}", "wijkteam", "c1", "2"), (f"w{i}", "wijkteam", "c2", "4")]
    for i in range(aantal_c3):
        rijen.append((f"g{i}", "gemeente", "c3", "1", f"{GEHEIM}-{i}"))
    return antwoorden(*rijen)


@pytest.fixture(params=[1, 2], ids=["een-antwoord", "twee-antwoorden"])
def weinig(request) -> pd.DataFrame:
    return gegevens(request.param)


def test_criterium_onder_de_drempel_valt_weg(weinig):
    assert onderdrukte_criteria(weinig, DREMPEL) == {("k", "c3")}
    over = onderdruk(weinig, DREMPEL)
    assert "c3" not in set(over["criterium"])
    assert len(over) == len(weinig) - (weinig["criterium"] == "c3").sum()  # the rest stays as it was
    assert onderdruk(over, DREMPEL).equals(over)  # applying it twice changes nothing


def test_onthullen_toont_niets(weinig, monkeypatch):
    monkeypatch.setenv("ZBT_ANONIMITEIT_DREMPEL", str(DREMPEL))
    groepen = rolgroepen(onderdruk(weinig), ROL_NAMEN)
    assert te_weinig(weinig, KADER, "c3")
    assert int(verdeling(weinig, KADER, "c3", groepen).to_numpy().sum()) == 0
    assert toelichtingen(weinig, KADER, "c3", groepen) == []
    # at or above the threshold nothing changes
    assert not te_weinig(weinig, KADER, "c1")
    assert int(verdeling(weinig, KADER, "c1", groepen).loc[ALLE.label].sum()) == 7


def test_overzicht_toont_geen_cijfers(weinig):
    agg = aggregeer(anonimiseer(onderdruk(weinig, DREMPEL), ROL_NAMEN, DREMPEL)[0], KADER)
    c3 = agg[(agg["niveau"] == "criterium") & (agg["id"] == "c3")]
    assert (c3["n"] == 0).all() and c3["gemiddelde"].isna().all() and c3["minimum"].isna().all()
    t2 = agg[(agg["niveau"] == "thema") & (agg["id"] == "T2")]
    assert (t2["n"] == 0).all()  # the thema of only c3 does not give it away either


def test_verbeterplan_toont_niets(weinig):
    invoer = VerbeterplanInvoer(weinig, KADER, "G", "R", rol_namen=ROL_NAMEN, drempel=DREMPEL)
    context = verbeterplan_context(invoer)
    rij = next(r for blok in context["score_tabel"] for r in blok["rijen"] if r["id"] == "c3")
    assert rij["te_weinig"] and rij["n"] == 0
    assert [p["te_weinig"] for p in context["niet_beoordeeld"] if p["criterium"].id == "c3"] == [True]
    html = maak_verbeterplan_html(invoer)
    assert TE_WEINIG in html and GEHEIM not in html
    assert "n = 1" not in html and "2–2" not in html
    csv, scores = pdf_bijlagen(context)
    assert GEHEIM not in csv.data.decode("utf-8-sig")
    c3 = [s for s in json.loads(scores.data)["scores"] if s["id"] == "c3"]
    assert c3 and all(s["n"] == 0 and s["gemiddelde"] is None for s in c3)


def test_inspectiebezoek_toont_niets(weinig):
    invoer = VoorbereidingInvoer(weinig, KADER, "G", "R", rol_namen=ROL_NAMEN, drempel=DREMPEL)
    blok = next(b for b in voorbereiding_context(invoer)["samenvatting"] if b["criterium"].id == "c3")
    assert blok["te_weinig"] and blok["n"] == 0 and blok["gemiddelde"] is None
    assert blok["toelichtingen"] == [] and blok["per_groep"] == []
    html = maak_voorbereiding_html(invoer)
    assert TE_WEINIG in html and GEHEIM not in html


def test_werkboek_scores_tonen_niets(weinig):
    tabel = scores_tabel(weinig, [KADER], rol_namen=ROL_NAMEN, drempel=DREMPEL)
    c3 = tabel[tabel["id"] == "c3"]
    assert (c3["n"] == 0).all() and c3["gemiddelde"].isna().all()


def test_kleine_groep_valt_weg_ook_uit_het_geheel():
    """Wijkteam has three respondents but only one scored c2: its part of c2 goes, and the
    whole of c2 is computed without it (otherwise the whole minus the gemeente gives it)."""
    df = gegevens(3)
    df.loc[(df["respondent"].isin(["w1", "w2"])) & (df["criterium"] == "c2"), "score"] = "weet_niet"
    agg = aggregeer(anonimiseer(onderdruk(df, DREMPEL), ROL_NAMEN, DREMPEL)[0], KADER)
    c2 = agg[(agg["niveau"] == "criterium") & (agg["id"] == "c2")].set_index("rol")
    assert c2.at[ALLE.id, "n"] == 4 and c2.at[ALLE.id, "gemiddelde"] == 3
    assert c2.at[ALLE.id, "weet_niet"] == 0
    assert "wijkteam" not in c2.index or c2.at["wijkteam", "n"] == 0
    c3 = agg[(agg["niveau"] == "criterium") & (agg["id"] == "c3")].set_index("rol")
    assert c3.at[ALLE.id, "n"] == 3  # at the threshold: shown as before


# --- no removed score can be computed from what is shown ----------------------------------

ROLLEN = ["gemeente", "wijkteam", "politie", "onderwijs"]
WAARDEN = ["1", "2", "3", "4", "weet_niet", "nvt", None]  # None: no answer to that criterium


@st.composite
def antwoordsets(draw):
    aantal = draw(st.integers(1, 12))
    rollen = draw(st.lists(st.sampled_from(ROLLEN), min_size=aantal, max_size=aantal))
    rijen = []
    for i, rol in enumerate(rollen):
        for c in ("c1", "c2", "c3"):
            waarde = draw(st.sampled_from(WAARDEN))
            if waarde is not None:
                rijen.append((f"r{i}", rol, c, waarde, draw(st.sampled_from(["", f"tekst-{i}-{c}"]))))
    if not rijen:
        rijen.append(("r0", rollen[0], "c1", "2"))
    return antwoorden(*rijen)


def getoond(df: pd.DataFrame) -> dict:
    """Everything the overview, the reveal and the report tables expose for these answers."""
    over = onderdruk(df, DREMPEL, ROL_NAMEN)
    groepsantwoorden, _ = anonimiseer(over, ROL_NAMEN, DREMPEL)
    groepen = rolgroepen(over, ROL_NAMEN, DREMPEL)
    return {
        "over": over,
        "agg": aggregeer(groepsantwoorden, KADER),
        "analyse": analyseer(over, KADER, drempel=DREMPEL, rol_namen=ROL_NAMEN),
        "verdeling": {c: verdeling(over, KADER, c, groepen, DREMPEL) for c in ("c1", "c2", "c3")},
        "toelichtingen": {c: toelichtingen(over, KADER, c, groepen, DREMPEL) for c in ("c1", "c2", "c3")},
    }


def _gelijk(a, b) -> bool:
    if isinstance(a, pd.DataFrame):
        return a.reset_index(drop=True).equals(b.reset_index(drop=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_gelijk(a[k], b[k]) for k in a)
    return a == b


@pytest.mark.traag
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(df=antwoordsets())
def test_geen_score_is_terug_te_rekenen(df):
    toon = getoond(df)
    over, agg = toon["over"], toon["agg"]
    crit = agg[agg["niveau"] == "criterium"]

    # 1. Every shown cell (criterium x group, and the whole) rests on 0 or >= DREMPEL scores,
    #    and on 0 or >= DREMPEL answers; so does every difference of the whole and a set of groups.
    for c, rijen in crit.groupby("id"):
        n = dict(zip(rijen["rol"], rijen["n"]))
        antwoorden_n = dict(zip(rijen["rol"], rijen["n"] + rijen["weet_niet"] + rijen["nvt"]))
        for waarden in (n, antwoorden_n):
            totaal = waarden.pop(ALLE.id)
            assert totaal == 0 or totaal >= DREMPEL, (c, totaal)
            for groep, aantal in waarden.items():
                assert aantal == 0 or aantal >= DREMPEL, (c, groep, aantal)
                rest = totaal - aantal
                assert rest == 0 or rest >= DREMPEL, (c, groep, rest)
    for c, tabel in toon["verdeling"].items():
        for groep, aantal in tabel.sum(axis=1).items():
            assert aantal == 0 or aantal >= DREMPEL, (c, groep, aantal)

    # 2. A thema or the kader holds nothing beyond its shown criteria: n of the thema per group
    #    is the sum of its criteria's n (no suppressed score hides inside a mean).
    for (thema, rol), rijen in agg[agg["niveau"] == "thema"].groupby(["id", "rol"]):
        criteria = [c.id for c in KADER.thema(thema).criteria]
        som = crit[(crit["rol"] == rol) & crit["id"].isin(criteria)]["n"].sum()
        assert int(rijen["n"].iloc[0]) == int(som), (thema, rol)

    # 3. Change any removed score to another value on the scale: nothing shown changes, so no
    #    combination of shown numbers can reveal it.
    weg = df.index.difference(over.index)
    for i in list(weg)[:4]:
        oud = df.at[i, "score"]
        if oud not in ("1", "2", "3", "4"):
            continue
        ander = df.copy()
        ander.at[i, "score"] = "4" if oud != "4" else "1"
        ander.at[i, "toelichting"] = "anders"
        assert _gelijk(getoond(ander), toon), i


def test_toont_het_geheel_als_iedereen_genoeg_is():
    df = gegevens(3)
    assert onderdrukte_criteria(df, DREMPEL) == set()
    assert onderdruk(df, DREMPEL).equals(df)
    assert not math.isnan(float(aggregeer(df, KADER).query("id == 'c3' and rol == @ALLE.id")["gemiddelde"].iloc[0]))
