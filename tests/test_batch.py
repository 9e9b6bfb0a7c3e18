"""python -m rapport batch: every gemeente's verbeterplan PDF for one ronde label, from the database."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from rapport import batch
from rapport.__main__ import main
from rapport.batch import Plan, Uitkomst, maak_plannen, samenvatting, schrijf_pdf, schrijf_plan
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


def _teksten(map_) -> dict[str, list[str]]:
    """File name -> the text of each page."""
    return {pad.name: [p.extract_text() for p in PdfReader(io.BytesIO(pad.read_bytes())).pages]
            for pad in sorted(map_.iterdir())}


@pytest.mark.db
@pytest.mark.pdf
@pytest.mark.traag
def test_een_pdf_per_gemeente_parallel_gelijk_aan_na_elkaar(database, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ZBT_DATABASE_URL", database)
    uit = tmp_path / "plannen"
    assert main(["batch", "--ronde", "2026", "--out", str(uit), "--werkers", "2"]) == 0
    out, err = capsys.readouterr()
    bestanden = sorted(uit.iterdir())
    assert len(bestanden) == len(GEMEENTEN)
    for pad in bestanden:  # no temporary files left either
        assert re.fullmatch(r"[a-z0-9-]+\.pdf", pad.name), pad.name
        assert pad.read_bytes().startswith(b"%PDF-")
    teksten = {n: " ".join(t) for n, t in _teksten(uit).items()}
    for g in GEMEENTEN:  # each file is the plan of exactly one gemeente, with its own action
        eigen = [n for n, t in teksten.items() if f"Actie voor {g}" in t]
        assert len(eigen) == 1, (g, list(teksten))
    assert not any("Later" in t for t in teksten.values())
    assert "verbeterplan-s-hertogenbosch-test-2026-stj-stelseltoezicht-jeugd.pdf" in teksten
    assert "verbeterplan-elst-zuid-2026-stj-stelseltoezicht-jeugd.pdf" in teksten
    assert re.fullmatch(rf"3 verbeterplannen voor ronde '2026' geschreven naar {re.escape(str(uit))} "
                        r"in \d+,\d s \(2 werkers\)\.\n", out), out
    assert err == ""  # stderr is not a terminal here: no progress bar in a log

    na_elkaar = tmp_path / "na-elkaar"
    assert main(["batch", "--ronde", "2026", "--out", str(na_elkaar), "--werkers", "1"]) == 0
    assert "(1 werker)." in capsys.readouterr().out
    parallel, sequentieel = _teksten(uit), _teksten(na_elkaar)
    assert list(parallel) == list(sequentieel)  # the same names
    for naam in parallel:  # the same pages with the same text
        assert parallel[naam] == sequentieel[naam], naam


@pytest.mark.db
@pytest.mark.pdf
@pytest.mark.traag
def test_mislukte_gemeenten_worden_genoemd_en_de_rest_geschreven(database, tmp_path, monkeypatch, capsys):
    """One gemeente's input breaks in the worker (answers without columns), another's while
    it is read: both named with ronde and reason, the third is written, exit code 3."""
    import dataclasses

    import pandas as pd

    import diensten.verbeterplan as dienst

    echt = dienst.batch_invoer

    def kapot(engine, rondes, *args, **kwargs):
        for ronde, invoer in echt(engine, rondes, *args, **kwargs):
            if ronde.gemeente == "Ëlst/Zuid":
                raise RuntimeError("kan niet lezen\nop twee regels")
            if ronde.gemeente == "Aadorp":
                invoer = dataclasses.replace(invoer, antwoorden=pd.DataFrame({"kapot": [1]}))
            yield ronde, invoer

    monkeypatch.setattr(dienst, "batch_invoer", kapot)
    monkeypatch.setenv("ZBT_DATABASE_URL", database)
    uit = tmp_path / "plannen"
    assert main(["batch", "--ronde", "2026", "--out", str(uit), "--werkers", "2"]) == 3
    out, err = capsys.readouterr()
    assert out.startswith("1 verbeterplan voor ronde '2026' geschreven naar ")
    assert [p.name for p in uit.iterdir()] == ["verbeterplan-s-hertogenbosch-test-2026-stj-stelseltoezicht-jeugd.pdf"]
    regels = err.splitlines()
    assert regels[0] == "Fout: 2 van de 3 verbeterplannen zijn mislukt (de andere zijn wel geschreven):"
    assert len(regels) == 3, err  # one line per failed gemeente
    assert regels[1].startswith("- Aadorp, ronde '2026': KeyError"), regels[1]
    assert regels[2] == "- Ëlst/Zuid, ronde '2026': RuntimeError: kan niet lezen op twee regels"


@pytest.mark.parametrize("waarde", ["0", "-2", "twee", "1.5"])
def test_werkers_ongeldig_geeft_nederlandse_fout(waarde, tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["batch", "--ronde", "2026", "--out", str(tmp_path), "--werkers", waarde])
    assert stop.value.code == 2
    assert (f"fout: argument --werkers: moet een heel getal van 1 of meer zijn (gekregen: '{waarde}')"
            in capsys.readouterr().err)


def test_schrijf_pdf_is_heel_of_er_niet(tmp_path, monkeypatch):
    """Written under a temporary name and renamed: the final name never holds half a file."""
    pad = tmp_path / "plan.pdf"
    schrijf_pdf(b"%PDF-oud", pad)
    schrijf_pdf(b"%PDF-nieuw", pad)
    assert pad.read_bytes() == b"%PDF-nieuw"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.pdf"]

    def weigert(*_):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(batch.os, "replace", weigert)
    with pytest.raises(OSError):
        schrijf_pdf(b"%PDF-half", tmp_path / "ander.pdf")
    assert [p.name for p in tmp_path.iterdir()] == ["plan.pdf"]  # no temp file, no half file


def test_schrijf_plan_geeft_een_mislukte_uitkomst(tmp_path):
    plan = Plan("x", "Aadorp", "2026", "bestaat-niet", {"antwoorden": None, "gemeente": "Aadorp", "ronde": "2026"})
    uitkomst = schrijf_plan(plan, str(tmp_path))
    assert (uitkomst.status, uitkomst.gemeente, uitkomst.ronde) == (batch.MISLUKT, "Aadorp", "2026")
    assert uitkomst.reden.startswith("KeyError: ")
    assert list(tmp_path.iterdir()) == []


def test_schrijffout_wordt_een_nederlandse_reden_met_het_pad(tmp_path, monkeypatch, kaders):
    batch.start_werker({STJ: kaders[STJ]})
    monkeypatch.setattr(batch, "maak_verbeterplan_pdf", lambda invoer: b"%PDF-klein")

    def vol(*_):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(batch.os, "replace", vol)
    plan = Plan("plan", "Aadorp", "2026", STJ, {"antwoorden": None, "gemeente": "Aadorp", "ronde": "2026"})
    uitkomst = schrijf_plan(plan, str(tmp_path))
    assert uitkomst.status == batch.MISLUKT
    assert uitkomst.reden == f"de PDF kan niet worden geschreven naar '{tmp_path / 'plan.pdf'}': No space left on device"
    assert list(tmp_path.iterdir()) == []


def test_samenvatting_een_regel_per_mislukte_gemeente(tmp_path):
    uitkomsten = [Uitkomst("A", "2026", batch.GESCHREVEN, pad=tmp_path / "a.pdf"),
                  Uitkomst("B", "2026", batch.OVERGESLAGEN),
                  Uitkomst("C", "2026", batch.MISLUKT, reden=batch.reden(ValueError("x\ny")))]
    regel, fouten = samenvatting(uitkomsten, "2026", tmp_path, 1.25, 2, "stj")
    assert regel == (f"1 verbeterplan voor ronde '2026' geschreven naar {tmp_path} in 1,2 s (2 werkers); "
                     "overgeslagen (kader 'stj' hoort niet bij hun ronde): B.")
    assert fouten == ["Fout: 1 van de 3 verbeterplannen is mislukt (de andere zijn wel geschreven):",
                      "- C, ronde '2026': ValueError: x y"]
    assert samenvatting(uitkomsten[:2], "2026", tmp_path, 1.0, 1)[1] == []


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


def test_voortgangsbalk_alleen_op_een_terminal():
    """tqdm on a terminal, in Dutch; nothing at all on a stream that is not one (a CI log)."""
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    items = [Uitkomst(g, "2026", batch.OVERGESLAGEN) for g in GEMEENTEN]
    terminal = Terminal()
    assert maak_plannen(items, Path("."), {}, totaal=3, werkers=1, stroom=terminal) == items
    assert "Verbeterplannen: 100%" in terminal.getvalue()
    assert "3/3 plannen" in terminal.getvalue()
    log = io.StringIO()
    assert maak_plannen(items, Path("."), {}, totaal=3, werkers=1, stroom=log) == items
    assert log.getvalue() == ""


class _DoodtHetWerkproces:
    """Unpickled in a worker, it ends that process at once: a crash, not an exception."""

    def __reduce__(self):
        import os

        return (os._exit, (1,))


@pytest.mark.traag
def test_een_gestorven_werkproces_stopt_de_batch_niet(tmp_path):
    plan = Plan("x", "Aadorp", "2026", STJ, {"antwoorden": _DoodtHetWerkproces()})
    overgeslagen = Uitkomst("Later", "2026", batch.OVERGESLAGEN)
    uitkomsten = maak_plannen([plan, overgeslagen], tmp_path, {}, werkers=2, stroom=io.StringIO())
    assert uitkomsten == [Uitkomst("Aadorp", "2026", batch.MISLUKT, reden=batch.GESTOPT), overgeslagen]
    assert list(tmp_path.iterdir()) == []
