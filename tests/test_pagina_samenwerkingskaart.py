"""The samenwerkingskaart on the pages, under Streamlit's AppTest: the section of the
Overzicht (demo and own rondes, with the anonymity threshold) and the workshop step the
facilitator reveals, which the projector follows (views/samenwerkingskaart.py)."""
from __future__ import annotations

import statistics
from pathlib import Path

import pandas as pd
import pytest

from storage import repository as repo
from storage.bereik import SYSTEEM
from storage.db import maak_engine, migreer
from storage.demo_samenwerking import ONDERWIJS, WIJKTEAM
from test_storage import VERSIES, engine, leeg_engine  # noqa: F401
from toegang import Gebruiker
from uitwisselformaat.samenwerking import SAMENWERKING_KOLOMMEN
from views.context import rol_namen
from views.tekst import zichtbaar

pytestmark = pytest.mark.db

MAP = Path(__file__).resolve().parent.parent / "views"
STJ = "stj-stelseltoezicht-jeugd"
FACILITATOR = Gebruiker("fac-a", "facilitator", frozenset({"Aadorp"}))
TITEL = "Samenwerkingskaart"
TONEN = "Samenwerkingskaart tonen"


def _pagina(naam: str, gebruiker=None, ronde_id: int | None = None, **query):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(MAP / naam), default_timeout=120)
    for k, v in query.items():
        at.query_params[k] = v
    if gebruiker is not None:
        at.session_state["gebruiker"] = gebruiker
    if ronde_id is not None:
        at.session_state["gekozen_ronde"] = ronde_id
    at.run()
    assert not at.exception, at.exception
    return at


def _tekst(at) -> str:
    delen = [e.value for soort in ("title", "header", "subheader", "markdown", "caption", "info", "error")
             for e in at.get(soort)]
    return zichtbaar("\n".join(map(str, delen)))


def _kopjes(at) -> list[str]:
    return [zichtbaar(str(e.value)) for e in at.subheader] + [zichtbaar(str(e.value)) for e in at.header]


def _matrix(at) -> pd.DataFrame:
    [tabel] = [d.value for d in at.dataframe if d.value.index.name == "Van \\ naar"]
    return tabel


def _mediaan(df, van, naar):
    return statistics.median(int(n) for n in df[(df.rol == van) & (df.partner == naar)].niveau if n.isdigit())


def _getal(waarde: float) -> str:
    return f"{waarde:g}".replace(".", ",")


# ------------------------------------------------------------------ Overzicht


def test_demo_overzicht_toont_de_kaart_met_tekst_en_tabel(app_db):
    """The anonymous first screen (demo): the kaart with its summary, matrix, pairs and bron;
    the 003 pattern (onderwijs sees more cooperation with the wijkteam than the other way)."""
    at = _pagina("overzicht.py")
    assert TITEL in _kopjes(at)
    eng = maak_engine(app_db)
    ronde = repo.ronde(eng, at.selectbox[0].value)
    df = repo.samenwerking_df(eng, ronde.id)
    assert not df.empty
    namen = rol_namen()
    tekst = _tekst(at)
    assert "In het kort:" in tekst and "zien de partners het verschillend" in tekst
    assert f"{namen[ONDERWIJS]} zegt over {namen[WIJKTEAM]}" in tekst or \
        f"{namen[WIJKTEAM]} zegt over {namen[ONDERWIJS]}" in tekst
    assert "Universiteit Twente" in tekst and "Mehlkopf" in tekst and "van dit instrument zelf" in tekst
    # the matrix: the medians by hand from the stored answers
    matrix = _matrix(at)
    assert matrix.loc[namen[ONDERWIJS], namen[WIJKTEAM]] == _getal(_mediaan(df, ONDERWIJS, WIJKTEAM))
    assert matrix.loc[namen[WIJKTEAM], namen[ONDERWIJS]] == _getal(_mediaan(df, WIJKTEAM, ONDERWIJS))
    paren = next(d.value for d in at.dataframe if "Verschil met andere richting" in d.value.columns)
    assert (paren["Verschil met andere richting"] == "ja (≠)").sum() >= 2
    # the picture is there, with its words as text alternative; no toelichting is shown
    assert any("Samenwerkingskaart" in str(g.proto.spec) for g in at.get("vega_lite_chart"))
    for toelichting in df.toelichting[df.toelichting != ""]:
        assert toelichting not in tekst


@pytest.fixture
def aadorp(app_db, monkeypatch, tmp_path, stj):
    """Own gemeente Aadorp (not demo) with an open ronde '2026' for onderwijs, wijkteam-cjg
    and politie; the facilitator account fac-a."""
    from toegang import hash_wachtwoord

    bestand = tmp_path / "gebruikers.toml"
    bestand.write_text(f'[gebruikers.fac-a]\nrol = "facilitator"\ngemeenten = ["Aadorp"]\n'
                       f'wachtwoord_hash = "{hash_wachtwoord("x" * 16)}"\n')
    monkeypatch.setenv("ZBT_GEBRUIKERS", str(bestand))
    eng = maak_engine(app_db)
    migreer(eng)
    g = repo.maak_gemeente(eng, "Aadorp", door=SYSTEEM)
    r = repo.maak_ronde(eng, g.id, "2026", {STJ: stj.versie}, rollen=[ONDERWIJS, WIJKTEAM, "politie"],
                        door=SYSTEEM)
    for i in range(3):
        resp, _ = repo.maak_respondent(eng, r.id, ONDERWIJS, door=SYSTEEM)
        repo.bewaar_antwoord(eng, resp.id, STJ, stj.criteria[0].id, str(1 + i), "")
    repo.zet_fase(eng, r.id, "onthullen", STJ, stj.criteria[0].id, door=SYSTEEM)
    return eng, r.id


def _importeer(eng, rijen):
    df = pd.DataFrame([("Aadorp", "2026", *rij, "") for rij in rijen], columns=list(SAMENWERKING_KOLOMMEN))
    repo.importeer_samenwerking(eng, df, "kaart.csv", door=SYSTEEM)


# 3 of onderwijs about wijkteam-cjg (4, 3, 3 -> 3), 3 of wijkteam-cjg about onderwijs
# (1, 0, 1 -> 1), 2 of politie about onderwijs (5, 5): below the threshold of 3
KLEIN = [
    ("o-1", ONDERWIJS, WIJKTEAM, "4"), ("o-2", ONDERWIJS, WIJKTEAM, "3"), ("o-3", ONDERWIJS, WIJKTEAM, "3"),
    ("w-1", WIJKTEAM, ONDERWIJS, "1"), ("w-2", WIJKTEAM, ONDERWIJS, "0"), ("w-3", WIJKTEAM, ONDERWIJS, "1"),
    ("p-1", "politie", ONDERWIJS, "5"), ("p-2", "politie", ONDERWIJS, "5"),
]


def test_ronde_zonder_kaart_toont_niets(aadorp):
    eng, ronde_id = aadorp
    at = _pagina("overzicht.py", FACILITATOR, ronde_id)
    assert TITEL not in _kopjes(at) and "samenwerking" not in _tekst(at).lower()


def test_kaart_aan_zonder_antwoorden_een_regel(aadorp):
    eng, ronde_id = aadorp
    repo.zet_samenwerkingskaart(eng, ronde_id, True, door=SYSTEEM)
    at = _pagina("overzicht.py", FACILITATOR, ronde_id)
    assert TITEL in _kopjes(at)
    assert "nog niemand heeft die beantwoord" in _tekst(at)
    assert not [d for d in at.dataframe if d.value.index.name == "Van \\ naar"]


def test_groep_onder_de_drempel_nooit_getoond(aadorp):
    """Politie (2 respondents) is in no table, no picture and no sentence; the pairs of
    3 are, with the medians by hand, and flagged as asymmetric (3 - 1 = 2)."""
    eng, ronde_id = aadorp
    repo.zet_samenwerkingskaart(eng, ronde_id, True, door=SYSTEEM)
    _importeer(eng, KLEIN)
    at = _pagina("overzicht.py", FACILITATOR, ronde_id)
    namen = rol_namen()
    matrix = _matrix(at)
    assert list(matrix.index) == list(matrix.columns) and set(matrix.index) == {namen[ONDERWIJS], namen[WIJKTEAM]}
    assert matrix.loc[namen[ONDERWIJS], namen[WIJKTEAM]] == "3"
    assert matrix.loc[namen[WIJKTEAM], namen[ONDERWIJS]] == "1"
    tekst = _tekst(at)
    assert namen["politie"] not in tekst and "1 paar is niet getoond" in tekst
    for d in at.dataframe:
        assert namen["politie"] not in d.value.to_string()
    kaart = [g for g in at.get("vega_lite_chart") if "Samenwerkingskaart" in str(g.proto.spec)]
    assert kaart and namen[ONDERWIJS] in str(kaart[0].proto) and namen["politie"] not in str(kaart[0].proto)


# ------------------------------------------------------------------ workshop


def test_facilitator_toont_de_kaart_en_de_beamer_volgt(aadorp):
    eng, ronde_id = aadorp
    repo.zet_samenwerkingskaart(eng, ronde_id, True, door=SYSTEEM)
    _importeer(eng, KLEIN)
    namen = rol_namen()
    at = _pagina("workshop.py", FACILITATOR, ronde_id)
    beamer = _pagina("workshop.py", FACILITATOR, ronde_id, weergave="beamer", ronde=str(ronde_id))
    assert TITEL not in _kopjes(beamer)  # not before the facilitator chooses it
    next(b for b in at.button if b.label == TONEN).click().run()
    assert not at.exception, at.exception
    assert repo.kaart_in_beeld(eng, ronde_id)
    assert TITEL in _kopjes(at) and "Tweede stemronde" not in _tekst(at)  # the kaart instead of the criterium
    assert _matrix(at).loc[namen[ONDERWIJS], namen[WIJKTEAM]] == "3"

    beamer.run()
    assert not beamer.exception, beamer.exception
    tekst = _tekst(beamer)
    assert TITEL in _kopjes(beamer) and "Hier zien partners het verschillend" in _kopjes(beamer)
    assert f"≠ {namen[ONDERWIJS]} zegt over {namen[WIJKTEAM]} meestal" in tekst
    [tabel] = [t.value for t in beamer.table]
    assert tabel.loc[namen[WIJKTEAM], namen[ONDERWIJS]] == "1" and namen["politie"] not in tabel.to_string()

    # back to the criteria: from the projector's clicker ("Volgende"), the facilitator follows
    next(b for b in beamer.button if b.label == "Volgende →").click().run()
    assert not beamer.exception, beamer.exception
    assert not repo.kaart_in_beeld(eng, ronde_id)
    assert TITEL not in _kopjes(beamer)
    at.run()
    assert TITEL not in _kopjes(at) and any(b.label == TONEN for b in at.button)


def test_geen_knop_zonder_kaart_of_tijdens_stil_scoren(aadorp, stj):
    eng, ronde_id = aadorp
    at = _pagina("workshop.py", FACILITATOR, ronde_id)
    assert not any(b.label == TONEN for b in at.button)  # the ronde does not ask the kaart
    repo.zet_samenwerkingskaart(eng, ronde_id, True, door=SYSTEEM)
    repo.zet_fase(eng, ronde_id, "stil_scoren", STJ, stj.criteria[0].id, door=SYSTEEM)
    at = _pagina("workshop.py", FACILITATOR, ronde_id)
    assert not any(b.label == TONEN for b in at.button)
    with pytest.raises(ValueError, match="na het stil scoren"):
        repo.zet_kaart_in_beeld(eng, ronde_id, True, door=FACILITATOR)
    assert not repo.kaart_in_beeld(eng, ronde_id)


def test_gesloten_ronde_toont_weer_de_onderdelen(aadorp, stj):
    """A ronde closed while the kaart was in focus: nothing can be moved any more, so both
    views show the criterium again, without the button."""
    eng, ronde_id = aadorp
    repo.zet_samenwerkingskaart(eng, ronde_id, True, door=SYSTEEM)
    _importeer(eng, KLEIN)
    repo.zet_kaart_in_beeld(eng, ronde_id, True, door=FACILITATOR)
    repo.zet_ronde_status(eng, ronde_id, "gesloten", door=SYSTEEM)
    for beamer in (False, True):
        extra = {"weergave": "beamer", "ronde": str(ronde_id)} if beamer else {}
        at = _pagina("workshop.py", FACILITATOR, ronde_id, **extra)
        assert TITEL not in _kopjes(at) and stj.criteria[0].kort in _kopjes(at)
        assert not any(b.label in (TONEN, "Terug naar de onderdelen") for b in at.button)


# ------------------------------------------------------------------ the projector's picture


def test_beamerbeeld_is_het_paginabeeld_vergroot():
    """Every size times the factor, points by its square, the arrows' thickness in the data
    too; positions stay (chart units), so the layout is the same."""
    from rapport.kaart_beamer import netwerkbeeld_beamer
    from rapport.netwerk import analyseer
    from rapport.netwerkbeeld import netwerkbeeld

    rijen = [("A", "1", f"{v}-{i}", v, n, n_, "") for (v, n, n_) in
             [(ONDERWIJS, WIJKTEAM, "3"), (WIJKTEAM, ONDERWIJS, "1")] for i in range(3)]
    netwerk = analyseer(pd.DataFrame(rijen, columns=list(SAMENWERKING_KOLOMMEN)), 3)
    klein, groot = netwerkbeeld(netwerk).to_dict(), netwerkbeeld_beamer(netwerk, factor=2.0)
    assert (groot["width"], groot["height"]) == (2 * klein["width"], 2 * klein["height"])
    assert groot["title"]["fontSize"] == 2 * klein["title"]["fontSize"]
    for a, b in zip(klein["layer"], groot["layer"], strict=True):
        if "fontSize" in a["mark"]:
            assert b["mark"]["fontSize"] == 2 * a["mark"]["fontSize"]
        if "size" in a["mark"]:
            assert b["mark"]["size"] == 4 * a["mark"]["size"]
    [pijlen] = [rijen for rijen in groot["datasets"].values() if rijen and "dikte" in rijen[0]]
    [oud] = [rijen for rijen in klein["datasets"].values() if rijen and "dikte" in rijen[0]]
    assert [p["dikte"] for p in pijlen] == [2 * p["dikte"] for p in oud]
    assert [(p["x"], p["y"]) for p in pijlen] == [(p["x"], p["y"]) for p in oud]
    assert sorted(p["tekst"] for p in pijlen) == ["1 ≠", "3 ≠"]


# ------------------------------------------------------------------ storage of the focus (SQLite and PostgreSQL)


def test_kaart_in_beeld_opslag(engine):  # noqa: F811
    from storage.bereik import BuitenBereik

    andere = Gebruiker("bert", "facilitator", frozenset({"Beestad"}))
    g = repo.maak_gemeente(engine, "Aadorp", door=SYSTEEM)
    r = repo.maak_ronde(engine, g.id, "2026", VERSIES, rollen=["gemeente", "wijkteam"], door=SYSTEEM)
    repo.zet_samenwerkingskaart(engine, r.id, True, door=SYSTEEM)
    with pytest.raises(ValueError, match="na het stil scoren"):  # the kaart is on, but stil scoren
        repo.zet_kaart_in_beeld(engine, r.id, True, door=FACILITATOR)
    repo.zet_fase(engine, r.id, "onthullen", "stj", "c1", door=SYSTEEM)
    repo.zet_samenwerkingskaart(engine, r.id, False, door=SYSTEEM)
    with pytest.raises(ValueError, match="vraagt de samenwerkingskaart niet"):
        repo.zet_kaart_in_beeld(engine, r.id, True, door=FACILITATOR)
    repo.zet_samenwerkingskaart(engine, r.id, True, door=SYSTEEM)
    with pytest.raises(BuitenBereik):
        repo.zet_kaart_in_beeld(engine, r.id, True, door=andere)
    assert not repo.kaart_in_beeld(engine, r.id)
    repo.zet_kaart_in_beeld(engine, r.id, True, door=FACILITATOR)
    repo.zet_kaart_in_beeld(engine, r.id, True, door=FACILITATOR)  # twice: still on
    assert repo.kaart_in_beeld(engine, r.id)
    repo.zet_kaart_in_beeld(engine, r.id, False, door=FACILITATOR)
    assert not repo.kaart_in_beeld(engine, r.id)
    repo.zet_kaart_in_beeld(engine, r.id, True, door=FACILITATOR)
    repo.zet_fase(engine, r.id, "onthullen", "stj", "c2", door=SYSTEEM)  # another criterium: kaart stays
    assert repo.kaart_in_beeld(engine, r.id)
    repo.zet_fase(engine, r.id, "stil_scoren", door=SYSTEEM)  # back to the questionnaire: kaart out of focus
    assert not repo.kaart_in_beeld(engine, r.id)
    repo.zet_fase(engine, r.id, "onthullen", "stj", "c1", door=SYSTEEM)
    assert not repo.kaart_in_beeld(engine, r.id)
    repo.zet_kaart_in_beeld(engine, r.id, True, door=FACILITATOR)
    repo.zet_ronde_status(engine, r.id, "gesloten", door=SYSTEEM)
    with pytest.raises(ValueError, match="niet meer"):
        repo.zet_kaart_in_beeld(engine, r.id, False, door=FACILITATOR)
    # a deleted ronde is not in focus (the flag is a column of the ronde)
    repo.verwijder_ronde(engine, r.id, door=SYSTEEM)
    assert not repo.kaart_in_beeld(engine, r.id)
