"""The samenwerkingskaart on the page 'Gegevens uitwisselen' (issue 15): the CSV export of
the chosen ronde, the import of a samenwerking CSV (all or nothing, errors with row and
column as plain text) and a user outside the gemeente's scope refused by storage."""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from storage import repository as repo
from storage.db import maak_engine
from toegang import Gebruiker
from uitwisselformaat.samenwerking import SAMENWERKING_KOLOMMEN, lees_samenwerking_csv
from views.tekst import zichtbaar

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.db

PAGINA = str(Path(__file__).resolve().parent.parent / "views" / "gegevens.py")
FACILITATOR = Gebruiker("demo-facilitator", "facilitator", frozenset({"*"}), demo=True)
EXPORT = "Download de samenwerkingskaart (CSV)"
IMPORT = "Importeer de samenwerkingskaart"


@pytest.fixture
def bestanden(monkeypatch):
    """The media files of every AppTest run (download buttons), by their URL."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
    from streamlit.testing.v1 import app_test

    opslagen: list[MemoryMediaFileStorage] = []

    class Bewaard(MemoryMediaFileStorage):
        def __init__(self, endpoint: str):
            super().__init__(endpoint)
            opslagen.append(self)

    monkeypatch.setattr(app_test, "MemoryMediaFileStorage", Bewaard)

    def lees(url: str) -> bytes:
        naam = url.rsplit("/", 1)[-1]
        for opslag in reversed(opslagen):
            try:
                return opslag.get_file(naam).content
            except Exception:  # noqa: BLE001 - not in this run's storage
                continue
        raise AssertionError(f"geen bestand voor {url}")

    return lees


def _run(gebruiker: Gebruiker) -> AppTest:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(PAGINA, default_timeout=120)
    at.session_state["gebruiker"] = gebruiker
    at.run()
    assert not at.exception, at.exception
    return at


def _demo_ronde(eng) -> repo.RondeInfo:
    from storage.demo import DEMO_EERSTE_GEMEENTE, DEMO_RONDE

    [r] = [r for r in repo.rondes(eng) if r.gemeente == DEMO_EERSTE_GEMEENTE and r.label == DEMO_RONDE]
    return r


def _kies(at: AppTest, ronde_id: int) -> AppTest:
    at.selectbox(key="ronde_keuze").set_value(ronde_id).run()
    assert not at.exception, at.exception
    return at


def _knop(at: AppTest, label: str):
    return next(b for b in at.get("download_button") if b.proto.label == label)


def _upload(at: AppTest, naam: str, tekst: str) -> AppTest:
    at.file_uploader(key="samenwerking").upload(naam, tekst.encode("utf-8"), "text/csv").run()
    next(b for b in at.button if b.label == IMPORT).click().run()
    assert not at.exception, at.exception
    return at


def _csv(ronde: repo.RondeInfo, rijen: list[tuple[str, str, str, str, str]]) -> str:
    buffer = io.StringIO()
    schrijver = csv.writer(buffer, lineterminator="\n")
    schrijver.writerows([SAMENWERKING_KOLOMMEN, *((ronde.gemeente, ronde.label, *r) for r in rijen)])
    return buffer.getvalue()


def test_export_geeft_de_kaart_van_de_gekozen_ronde(app_db, bestanden):
    eng = maak_engine(app_db)
    ronde = _demo_ronde(eng)
    at = _kies(_run(FACILITATOR), ronde.id)
    assert any(h.value == "Samenwerkingskaart" for h in at.header)
    knop = _knop(at, EXPORT)
    data = bestanden(knop.proto.url)
    assert data.decode("utf-8").splitlines()[0] == ",".join(SAMENWERKING_KOLOMMEN)
    terug = lees_samenwerking_csv(data, "export.csv")
    verwacht = repo.samenwerking_df(eng, ronde.id)
    assert len(verwacht) > 0  # the demo's newest ronde has the kaart
    assert terug.reset_index(drop=True).equals(verwacht.reset_index(drop=True))
    assert set(terug["gemeente"]) == {ronde.gemeente} and set(terug["ronde"]) == {ronde.label}


def test_export_van_een_ronde_zonder_kaart_is_alleen_de_kopregel(app_db, bestanden):
    eng = maak_engine(app_db)
    ronde = _demo_ronde(eng)
    ouder = next(r for r in repo.rondes(eng) if r.gemeente == ronde.gemeente and r.label != ronde.label)
    at = _kies(_run(FACILITATOR), ouder.id)
    data = bestanden(_knop(at, EXPORT).proto.url)
    assert data.decode("utf-8").splitlines() == [",".join(SAMENWERKING_KOLOMMEN)]


def test_goed_bestand_wordt_opgeslagen(app_db):
    eng = maak_engine(app_db)
    ronde = _demo_ronde(eng)
    voor = repo.samenwerking_df(eng, ronde.id)
    bestaand = voor.iloc[0]
    tekst = _csv(ronde, [
        ("r-import-1", "onderwijs", "wijkteam-cjg", "5", "Eén plan, met het gezin"),
        ("r-import-1", "onderwijs", "jgz", "weet_niet", ""),
        (bestaand["respondent"], bestaand["rol"], bestaand["partner"], "nvt", "=1+1"),  # overwrites
    ])
    at = _upload(_kies(_run(FACILITATOR), ronde.id), "kaart.csv", tekst)
    assert not at.error, [e.value for e in at.error] + [m.value for m in at.markdown[-6:]]
    assert [s.value for s in at.success] == [
        "Geïmporteerd: 3 antwoorden op de samenwerkingskaart (nieuw of bijgewerkt)."]
    na = repo.samenwerking_df(eng, ronde.id)
    assert len(na) == len(voor) + 2
    nieuw = na.loc[na["respondent"] == "r-import-1"].set_index("partner")
    assert nieuw.loc["wijkteam-cjg", "niveau"] == "5"
    assert nieuw.loc["wijkteam-cjg", "toelichting"] == "Eén plan, met het gezin"
    assert nieuw.loc["jgz", "niveau"] == "weet_niet"
    overschreven = na.loc[(na["respondent"] == bestaand["respondent"]) & (na["partner"] == bestaand["partner"])]
    assert overschreven[["niveau", "toelichting"]].values.tolist() == [["nvt", "=1+1"]]


def test_fout_bestand_noemt_rij_en_kolom_als_platte_tekst_en_slaat_niets_op(app_db):
    eng = maak_engine(app_db)
    ronde = _demo_ronde(eng)
    voor = repo.samenwerking_df(eng, ronde.id)
    tekst = _csv(ronde, [
        ("r-import-2", "onderwijs", "wijkteam-cjg", "3", ""),  # good, but the file is refused
        ("r-import-2", "onderwijs", "politie", "7", ""),  # bad niveau
        ("r-import-2", "onderwijs", "**vet**", "2", ""),  # unknown partner rol, markdown in it
    ])
    at = _upload(_kies(_run(FACILITATOR), ronde.id), "fout.csv", tekst)
    assert not at.success
    assert [zichtbaar(e.value) for e in at.error] == [
        "Niets geïmporteerd: fout.csv bevat 2 fouten. Verbeter het bestand en importeer het opnieuw."]
    lijst = "\n".join(zichtbaar(m.value) for m in at.markdown)
    assert "fout.csv, kolom 'niveau': 1 fout" in lijst
    assert "rij 3: '7' is geen geldige waarde; kies 0, 1, 2, 3, 4, 5, weet_niet of nvt." in lijst
    assert "fout.csv, kolom 'partner': 1 fout" in lijst
    assert "rij 4: '**vet**' is geen bekende rol" in lijst, lijst
    assert any(r"\*\*vet\*\*" in m.value for m in at.markdown)  # shown literally: escaped for Markdown
    assert repo.samenwerking_df(eng, ronde.id).equals(voor)


@pytest.fixture
def anna(app_db, monkeypatch, tmp_path) -> Gebruiker:
    """A facilitator account of gemeente Aadorp only: not the demo gemeenten."""
    from toegang import hash_wachtwoord

    bestand = tmp_path / "gebruikers.toml"
    bestand.write_text(f'[gebruikers.anna]\nrol = "facilitator"\ngemeenten = ["Aadorp"]\n'
                       f'wachtwoord_hash = "{hash_wachtwoord("x" * 16)}"\n')
    monkeypatch.setenv("ZBT_GEBRUIKERS", str(bestand))
    return Gebruiker("anna", "facilitator", frozenset({"Aadorp"}))


def test_buiten_het_bereik_weigert_de_opslag(app_db, anna):
    eng = maak_engine(app_db)
    ronde = _demo_ronde(eng)
    voor = repo.samenwerking_df(eng, ronde.id)
    anders = anna
    at = _run(anders)
    assert not [b for b in at.get("download_button") if b.proto.label == EXPORT]  # no ronde to export
    at = _upload(at, "kaart.csv", _csv(ronde, [("r-import-3", "onderwijs", "wijkteam-cjg", "4", "")]))
    assert not at.success
    [fout] = [zichtbaar(e.value) for e in at.error]
    assert fout.startswith("Niets geïmporteerd.") and ronde.gemeente in fout
    assert repo.samenwerking_df(eng, ronde.id).equals(voor)
    assert [r.respondenten for r in repo.rondes(eng) if r.id == ronde.id] == [ronde.respondenten]
