"""python -m rapport batch: every gemeente's verbeterplan PDF for one ronde label, from the database."""
from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from rapport.__main__ import Voortgang, main
from rapport.bestandsnaam import MAX_LENGTE, bestandsnaam
from storage import db
from storage import repository as repo
from storage.bereik import SYSTEEM  # noqa: E402
from tests.fabriek import antwoorden

STJ = "stj-stelseltoezicht-jeugd"
GEMEENTEN = ("Aadorp", "'s-Hertogenbosch (test)", "Ëlst/Zuid")


@pytest.fixture(scope="module")
def database(tmp_path_factory, kaders):
    """Three gemeenten with ronde '2026', one with only '2025'; a few answers and one action each."""
    pad = tmp_path_factory.mktemp("batch") / "batch.db"
    engine = db.maak_engine(f"sqlite:///{pad}")
    db.migreer(engine)
    stj = kaders[STJ]
    rijen = []
    for gi, (g, label) in enumerate([(g, "2026") for g in GEMEENTEN] + [("Later", "2025")]):
        for i, rol in enumerate(("gemeente",) * 3 + ("onderwijs",) * 3):
            for m, c in enumerate(stj.criteria):
                rijen.append((g, label, f"r-{gi}x{i}", rol, STJ, c.id,
                              str(1 + (i + m) % 4), "Toelichting <b>niet vet</b>" if m == 0 else ""))
    df = antwoorden(*rijen)
    repo.importeer_antwoorden(engine, df, {k: v.versie for k, v in kaders.items()}, door=SYSTEEM)
    for r in repo.rondes(engine):
        repo.maak_actie(engine, r.id, STJ, stj.criteria[0].id, f"Actie voor {r.gemeente}", eigenaar="Wijkteam", door=SYSTEEM)
    engine.dispose()
    return f"sqlite:///{pad}"


@pytest.mark.db
@pytest.mark.pdf
def test_een_pdf_per_gemeente(database, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ZBT_DATABASE_URL", database)
    uit = tmp_path / "plannen"
    assert main(["batch", "--ronde", "2026", "--out", str(uit)]) == 0
    out, err = capsys.readouterr()
    bestanden = sorted(uit.iterdir())
    assert len(bestanden) == len(GEMEENTEN)
    for pad in bestanden:
        assert re.fullmatch(r"[a-z0-9-]+\.pdf", pad.name), pad.name
        assert pad.read_bytes().startswith(b"%PDF-")
    teksten = {pad.name: " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pad.read_bytes())).pages)
               for pad in bestanden}
    for g in GEMEENTEN:  # each file is the plan of exactly one gemeente, with its own action
        eigen = [n for n, t in teksten.items() if f"Actie voor {g}" in t]
        assert len(eigen) == 1, (g, list(teksten))
    assert not any("Later" in t for t in teksten.values())
    assert "verbeterplan-s-hertogenbosch-test-2026-stj-stelseltoezicht-jeugd.pdf" in teksten
    assert "verbeterplan-elst-zuid-2026-stj-stelseltoezicht-jeugd.pdf" in teksten
    assert out.strip() == f"3 verbeterplannen voor ronde '2026' geschreven naar {uit} in " + \
        re.search(r"in (\d+,\d) s\.", out).group(1) + " s."
    voortgang = [r for r in err.splitlines() if r.startswith("[")]
    assert [r.split("] ")[1].split(" ")[0] for r in voortgang] == ["1/3", "2/3", "3/3"]
    assert voortgang[-1].startswith("[" + "#" * 30 + "]")


@pytest.mark.db
def test_onbekende_ronde_geeft_foutcode_en_nederlandse_melding(database, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ZBT_DATABASE_URL", database)
    assert main(["batch", "--ronde", "2030", "--out", str(tmp_path / "x")]) == 1
    _, err = capsys.readouterr()
    assert err.startswith("Fout: Geen enkele gemeente heeft een ronde '2030' in sqlite:///")
    assert "Wel aanwezig: '2025', '2026'." in err
    assert not (tmp_path / "x").exists()


@pytest.mark.db
def test_onbekend_kader_en_out_is_een_bestand(database, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ZBT_DATABASE_URL", database)
    assert main(["batch", "--ronde", "2026", "--out", str(tmp_path), "--kader", "bestaat-niet"]) == 1
    assert "Het kader 'bestaat-niet' bestaat niet." in capsys.readouterr().err
    bestand = tmp_path / "bestand.txt"
    bestand.write_text("x")
    assert main(["batch", "--ronde", "2026", "--out", str(bestand)]) == 1
    assert "is een bestand, geen map" in capsys.readouterr().err


@pytest.mark.db
def test_lege_database_noemt_upgrade(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ZBT_DATABASE_URL", f"sqlite:///{tmp_path / 'leeg.db'}")
    assert main(["batch", "--ronde", "2026", "--out", str(tmp_path / "uit")]) == 1
    assert "python -m storage upgrade" in capsys.readouterr().err


@pytest.mark.parametrize("tekst, naam", [
    ("Aadorp", "aadorp"), ("'s-Hertogenbosch", "s-hertogenbosch"), ("Ëlst/Zuid", "elst-zuid"),
    ("../../etc/passwd", "etc-passwd"), ("", "bestand"), ("日本", "bestand"),
])
def test_bestandsnaam(tekst, naam):
    assert bestandsnaam(tekst) == naam


def test_bestandsnaam_delen_extensie_en_lengte():
    assert bestandsnaam("verbeterplan", "Súdwest-Fryslân", "2026 (demo)", "stj", extensie="pdf") == (
        "verbeterplan-sudwest-fryslan-2026-demo-stj.pdf")
    assert bestandsnaam("日本", standaard="verbeterplan", extensie="pdf") == "verbeterplan.pdf"
    lang = bestandsnaam("a" * 300, "b", extensie="csv")
    assert lang == "a" * MAX_LENGTE + ".csv"


def test_voortgang_op_een_terminal_tekent_op_dezelfde_regel():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stroom = Terminal()
    v = Voortgang(2, stroom, breedte=4)
    v.volgende("a")
    v.volgende("b")
    assert stroom.getvalue() == "\r\033[K[##..] 1/2 a\r\033[K[####] 2/2 b\n"
