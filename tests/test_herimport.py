"""Re-import that understands itself (issue 11, point 7): importing your own export
again changes nothing, changed rows update the answer with an audit row, the result
counts nieuw/gewijzigd/ongewijzigd, any error still writes nothing, and a long error
list is grouped on the page with every melding in a CSV.

On SQLite and on PostgreSQL (the ``engine`` fixture of test_storage).
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select

from diensten import gegevens
from storage import db
from storage import repository as repo
from storage.bereik import SYSTEEM
from storage.models import Respondent
from test_storage import KADERS, ROLLEN, VERSIES, engine, leeg_engine, momentopname, tellingen  # noqa: F401
from toegang import Gebruiker
from uitwisselformaat import KOLOMMEN, Melding, UitwisselFout, lees_csv, schrijf_csv, schrijf_xlsx

pytestmark = pytest.mark.db

FAC = Gebruiker("anna", "facilitator", frozenset({"Aadorp"}))


@pytest.fixture
def ronde(engine):
    """Aadorp 2026 with three respondents, one answer changed once (an audit trail of its own),
    toelichtingen that a spreadsheet would take for a formula or split on a comma."""
    g = repo.maak_gemeente(engine, "Aadorp", door=SYSTEEM)
    r = repo.maak_ronde(engine, g.id, "2026", VERSIES, rollen=list(ROLLEN), door=SYSTEEM)
    antwoorden = {
        "gemeente": [("stj", "c1", "3", "=SOM(A1)"), ("stj", "c2", "2", "a, b en \"c\"\nregel 2"),
                     ("mov", "s1", "weet_niet", "")],
        "wijkteam": [("stj", "c1", "4", "-min"), ("stj", "c10", "nvt", "")],
        "onderwijs": [("mov", "s2", "1", "@iemand")],
    }
    for rol, rijen in antwoorden.items():
        resp, _ = repo.maak_respondent(engine, r.id, rol, door=SYSTEEM)
        for kader, criterium, score, toelichting in rijen:
            repo.bewaar_antwoord(engine, resp.id, kader, criterium, "1" if score != "1" else "2", "eerst")
            repo.bewaar_antwoord(engine, resp.id, kader, criterium, score, toelichting)
    return r


def _importeer(engine, data: bytes, naam: str, door=FAC):
    return gegevens.importeer_bestand(engine, data, naam, KADERS, set(ROLLEN), door=door)


@pytest.mark.parametrize("soort", ["csv", "xlsx", "werkboek"])
def test_eigen_export_opnieuw_importeren_verandert_niets(engine, ronde, soort):
    df = repo.antwoorden_df(engine, ronde.id)
    data = {"csv": lambda: schrijf_csv(df), "xlsx": lambda: schrijf_xlsx(df),
            "werkboek": lambda: gegevens.werkboek_van_ronde(engine, ronde.id, KADERS)}[soort]()
    voor = momentopname(engine)  # every table, the audit trail (antwoord_wijziging) included
    uit = _importeer(engine, data, f"export.{'csv' if soort == 'csv' else 'xlsx'}")
    assert (uit.antwoorden, uit.gewijzigd, uit.ongewijzigd) == (0, 0, len(df)) == (0, 0, 6)
    assert (uit.gemeenten, uit.rondes, uit.respondenten) == (0, 0, 0)
    assert momentopname(engine) == voor
    assert gegevens.telling_tekst(uit) == "Geïmporteerd: 0 nieuw, 0 gewijzigd, 6 ongewijzigd (6 antwoorden)."


def test_twee_gewijzigde_rijen_met_twee_auditregels(engine, ronde):
    df = repo.antwoorden_df(engine, ronde.id)
    df.loc[0, "score"] = "4" if df.loc[0, "score"] != "4" else "3"
    df.loc[3, "toelichting"] = "nieuwe toelichting"
    voor = tellingen(engine)
    uit = _importeer(engine, schrijf_csv(df), "bewerkt.csv")
    assert (uit.antwoorden, uit.gewijzigd, uit.ongewijzigd) == (0, 2, 4)
    assert "0 nieuw, 2 gewijzigd, 4 ongewijzigd" in gegevens.telling_tekst(uit)
    na = tellingen(engine)
    assert na["antwoord_wijziging"] == voor["antwoord_wijziging"] + 2
    assert na["antwoord"] == voor["antwoord"]
    assert repo.antwoorden_df(engine, ronde.id).values.tolist() == df.values.tolist()  # the stored answers are now the file's
    # the audit rows are those of the two changed answers, with their new values
    for i in (0, 3):
        with db.sessie(engine) as s:
            rid = s.scalar(select(Respondent.id).where(Respondent.pseudoniem == df.loc[i, "respondent"]))
        laatste = repo.wijzigingen_van(engine, rid)[-1]
        assert (laatste.kader_id, laatste.criterium_id, laatste.score, laatste.toelichting) == tuple(
            df.loc[i, ["kader", "criterium", "score", "toelichting"]])


def test_nieuw_gewijzigd_en_ongewijzigd_samen(engine, ronde):
    df = repo.antwoorden_df(engine, ronde.id)
    df.loc[1, "toelichting"] = "anders"
    extra = df[(df["rol"] == "gemeente") & (df["criterium"] == "c1")].copy()
    extra["criterium"], extra["score"] = "c10", "2"  # a new answer of an existing respondent
    nieuw = df.iloc[[0]].copy()
    nieuw["respondent"], nieuw["rol"] = "r-nieuw01", "wijkteam"  # a new respondent
    data = schrijf_csv(pd.concat([df, extra, nieuw]))
    uit = _importeer(engine, data, "mix.csv")
    assert (uit.antwoorden, uit.gewijzigd, uit.ongewijzigd, uit.respondenten) == (2, 1, 5, 1)
    assert gegevens.telling_tekst(uit) == ("Geïmporteerd: 2 nieuw, 1 gewijzigd, 5 ongewijzigd (8 antwoorden). "
                                           "Aangemaakt: 1 respondent.")


def test_fout_in_de_laatste_rij_schrijft_niets(engine, ronde):
    df = repo.antwoorden_df(engine, ronde.id)
    df.loc[0, "score"] = "4" if df.loc[0, "score"] != "4" else "3"  # a change ...
    nieuw = df.iloc[[0]].copy()
    nieuw["respondent"], nieuw["rol"] = "r-nieuw02", "gemeente"  # ... a new respondent ...
    vorige = repo.maak_ronde(engine, ronde.gemeente_id, "2025", VERSIES, rollen=list(ROLLEN), door=SYSTEEM)
    elders, _ = repo.maak_respondent(engine, vorige.id, "gemeente", door=SYSTEEM)
    slecht = df.iloc[[0]].copy()
    slecht["respondent"], slecht["rol"] = elders.pseudoniem, "gemeente"  # ... and, last, one of another ronde
    data = schrijf_csv(pd.concat([df, nieuw, slecht]))
    voor = momentopname(engine)
    with pytest.raises(UitwisselFout) as info:
        _importeer(engine, data, "laatste.csv")
    assert [(m.rij, m.kolom) for m in info.value.meldingen] == [(len(df) + 3, "respondent")]
    assert str(info.value).startswith(f"laatste.csv, rij {len(df) + 3}, kolom 'respondent'")
    assert momentopname(engine) == voor


def test_ongewijzigd_buiten_bereik_weigert_het_hele_bestand(engine, ronde):
    """Unchanged rows write nothing, but a file that names a gemeente outside the actor's
    scope is still refused whole."""
    repo.maak_gemeente(engine, "Beestad", door=SYSTEEM)
    df = repo.antwoorden_df(engine, ronde.id)
    vreemd = df.iloc[[0]].copy()
    vreemd["gemeente"], vreemd["respondent"] = "Beestad", "r-vreemd1"
    voor = momentopname(engine)
    with pytest.raises(UitwisselFout, match="Beestad") as info:
        _importeer(engine, schrijf_csv(pd.concat([df, vreemd])), "bereik.csv")
    assert info.value.meldingen[0].kolom == "gemeente"
    assert momentopname(engine) == voor


def test_gesloten_ronde_ongewijzigd_mag_gewijzigd_niet(engine, ronde):
    repo.zet_ronde_status(engine, ronde.id, "gesloten", door=SYSTEEM)
    df = repo.antwoorden_df(engine, ronde.id)
    voor = momentopname(engine)
    assert _importeer(engine, schrijf_csv(df), "zelfde.csv").ongewijzigd == len(df)
    df.loc[2, "toelichting"] = "te laat"
    with pytest.raises(UitwisselFout, match="gesloten") as info:
        _importeer(engine, schrijf_csv(df), "later.csv")
    assert [(m.rij, m.kolom) for m in info.value.meldingen] == [(4, "ronde")]
    assert momentopname(engine) == voor


def _slecht_bestand(n: int) -> bytes:
    kop = ",".join(KOLOMMEN)
    rijen = [f"Aadorp,2026,r-fout{i:02d},gemeente,stj,c1,9," for i in range(n)]
    return ("\r\n".join([kop, *rijen]) + "\r\n").encode()


def test_25_fouten_gegroepeerd_en_allemaal_in_de_csv(engine):
    with pytest.raises(UitwisselFout) as info:
        _importeer(engine, _slecht_bestand(25), "fout.csv")
    fout = info.value
    assert fout.totaal == len(fout.meldingen) == 25
    (groep,) = gegevens.groepeer_meldingen(fout)
    assert groep.titel == "fout.csv, kolom 'score': 25 fouten"
    assert len(groep.regels) == 10 and groep.meer == 15
    assert groep.regels[0].startswith("rij 2: '9' is geen geldige waarde")
    rijen = list(csv.reader(io.StringIO(gegevens.meldingen_csv(fout).decode("utf-8-sig"))))
    assert rijen[0] == ["rij", "kolom", "melding"]
    assert len(rijen) == 26 and [r[0] for r in rijen[1:]] == [str(i) for i in range(2, 27)]
    assert {r[1] for r in rijen[1:]} == {"score"}
    assert tellingen(engine)["antwoord"] == 0


def test_groepen_per_kolom_in_volgorde():
    data = ("\r\n".join([",".join(KOLOMMEN), "Aadorp,2026,r-1,gemeente,stj,c99,9,",
                         "Aadorp,2026,r-2,gemeente,stj,c1,9,"]) + "\r\n").encode()
    with pytest.raises(UitwisselFout) as info:
        lees_csv(data, KADERS, set(ROLLEN), bestand="twee.csv")
    groepen = gegevens.groepeer_meldingen(info.value)
    assert [g.titel for g in groepen] == ["twee.csv, kolom 'criterium': 1 fout", "twee.csv, kolom 'score': 2 fouten"]


def test_meldingen_csv_neutraliseert_formules():
    fout = UitwisselFout([Melding("=HYPERLINK(\"x\")", 3, "gemeente", "a.csv")])
    tekst = gegevens.meldingen_csv(fout).decode("utf-8-sig")
    assert "'=HYPERLINK" in tekst


@pytest.mark.parametrize("n, tekst", [(0, "0 rondes"), (1, "1 ronde"), (2, "2 rondes")])
def test_aantal_enkelvoud_en_meervoud(n, tekst):
    assert gegevens.aantal(n, "ronde", "rondes") == tekst


def test_telling_tekst_enkelvoud():
    uit = repo.ImportResultaat(gemeenten=1, rondes=1, respondenten=1, antwoorden=1)
    assert gegevens.telling_tekst(uit) == ("Geïmporteerd: 1 nieuw, 0 gewijzigd, 0 ongewijzigd (1 antwoord). "
                                           "Aangemaakt: 1 gemeente, 1 ronde, 1 respondent.")


def test_pagina_toont_tien_fouten_per_groep_en_een_csv(app_db, kaders):
    """The page: 25 bad rows show as one group of ten lines and 'en 15 meer', with a
    download of all 25 (rij, kolom, melding)."""
    from streamlit.testing.v1 import AppTest

    from views.tekst import zichtbaar

    kader = next(iter(kaders.values()))
    kop = ",".join(KOLOMMEN)
    rijen = [f"Oefendorp (fictief),2026,r-fout{i:02d},gemeente,{kader.id},{kader.criteria[0].id},99,"
             for i in range(25)]
    data = ("\r\n".join([kop, *rijen]) + "\r\n").encode()
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "views" / "gegevens.py"),
                           default_timeout=120)
    at.session_state["gebruiker"] = Gebruiker("demo-facilitator", "facilitator", frozenset({"*"}), True)
    at.run()
    at.file_uploader[0].set_value(("fouten.csv", data, "text/csv"))
    at.run()
    next(b for b in at.button if b.label == "Importeer").click()
    at.run()
    assert not at.exception, at.exception
    assert any("Niets geïmporteerd" in e.value and "25 fouten" in e.value for e in at.error)
    teksten = zichtbaar("\n".join(m.value for m in at.markdown))
    assert "fouten.csv, kolom 'score': 25 fouten" in teksten
    assert teksten.count("- rij ") == 10 and "- en 15 meer" in teksten
    knop = next(k for k in at.get("download_button") if k.label == "Download alle fouten (CSV)")
    assert knop is not None
    assert not at.success
