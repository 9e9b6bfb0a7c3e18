"""kader/netwerkfuncties.yaml against source 000 (Tabel 2.2 and §2.3), and its reader's
Dutch errors with file, line and field."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from kader.netwerkfuncties import NETWERKFUNCTIES_PAD, laad_netwerkfuncties, netwerkfuncties

ROOT = Path(__file__).resolve().parents[1]
BRON = ROOT.parent / "shared" / "bronnen" / "000_5674429497a068b9.txt"
NAMEN = ("Informatie en advies", "Signalering", "Kortdurende lichte hulp", "Doorverwijzen", "Coördinatie",
         "Evaluatie", "Periodiek analyseren van signalen")


def _plat(tekst: str) -> str:
    return re.sub(r"\s+", " ", tekst).strip()


def _tabel_2_2() -> list[str]:
    regels = BRON.read_text(encoding="utf-8").splitlines()
    start = next(i for i, r in enumerate(regels) if r.startswith("Tabel 2.2"))
    kop = next(r for r in regels[start + 1:] if r.strip())
    return kop.split("\t")[1:]


def test_de_zeven_namen_zoals_tabel_2_2():
    functies = netwerkfuncties()
    assert tuple(f.naam for f in functies.functies) == NAMEN
    kop = [k.lower() for k in _tabel_2_2()]
    assert len(kop) == 7
    for naam, in_tabel in zip(NAMEN, kop):
        # the table's last header leaves out 'van'; §2.3 of the source writes it in full
        assert naam.lower().replace(" van ", " ") == in_tabel
    assert "het periodiek analyseren van signalen" in _plat(BRON.read_text(encoding="utf-8"))


def test_omschrijvingen_letterlijk_uit_de_bron_en_zonder_namen():
    bron = _plat(BRON.read_text(encoding="utf-8"))
    for f in netwerkfuncties().functies:
        assert f.bron.bestand == BRON.name and "Tabel 2.2" in f.bron.sectie
        if f.omschrijving:
            assert f.omschrijving in bron, f.id
        # source 000 is for internal use: no names of networks (the seven buurtnetwerken of Tabel 2.2)
        for naam in ("Noorderpark", "Lariks", "Assen", "Peelo", "Kloosterveen", "Marsdijk"):
            assert naam not in f.omschrijving


def test_bron_wordt_getoond_als_citaat():
    assert str(netwerkfuncties().bron).startswith("RegioPlan Beleidsonderzoek, Evaluatie van de buurtnetwerken")
    assert "000_" not in str(netwerkfuncties().bron)


def _schrijf(tmp_path, tekst: str) -> Path:
    pad = tmp_path / "netwerkfuncties.yaml"
    pad.write_text(tekst, encoding="utf-8")
    return pad


def test_fouten_noemen_bestand_regel_en_veld(tmp_path):
    goed = NETWERKFUNCTIES_PAD.read_text(encoding="utf-8")
    fout = goed.replace("  - id: doorverwijzen\n    naam: Doorverwijzen\n", "  - id: doorverwijzen\n    titel: Doorverwijzen\n")
    assert fout != goed
    functies, fouten = laad_netwerkfuncties(_schrijf(tmp_path, fout))
    assert functies is None
    teksten = [str(f) for f in fouten]
    assert any("veld functies[3].titel" in t and "onbekend veld" in t for t in teksten), teksten
    assert any("veld functies[3].naam" in t and "verplicht veld ontbreekt" in t for t in teksten), teksten
    regel = goed.splitlines().index("    naam: Doorverwijzen") + 1
    assert any(f"regel {regel}" in t for t in teksten), teksten
    assert all("netwerkfuncties.yaml" in t for t in teksten)


def test_dubbele_id_en_verkeerd_aantal(tmp_path):
    goed = NETWERKFUNCTIES_PAD.read_text(encoding="utf-8")
    dubbel = goed.replace("id: evaluatie", "id: signalering")
    _, fouten = laad_netwerkfuncties(_schrijf(tmp_path, dubbel))
    assert any("komt dubbel voor" in str(f) for f in fouten)
    kort = goed[:goed.index("  - id: periodiek")]
    _, fouten = laad_netwerkfuncties(_schrijf(tmp_path, kort))
    assert any("verwacht 7 functies" in str(f) and "gevonden 6" in str(f) for f in fouten)


def test_geen_bron_en_verkeerde_soort(tmp_path):
    _, fouten = laad_netwerkfuncties(_schrijf(tmp_path, "soort: kader\n"))
    assert "verwacht 'netwerkfuncties'" in str(fouten[0]) and "regel 1" in str(fouten[0])
    _, fouten = laad_netwerkfuncties(_schrijf(tmp_path, "soort: netwerkfuncties\nfuncties: []\n"))
    teksten = " ".join(map(str, fouten))
    assert "veld bron" in teksten and "veld functies" in teksten
    _, fouten = laad_netwerkfuncties(_schrijf(tmp_path, "soort: netwerkfuncties\n  fout: [\n"))
    assert "YAML-syntaxfout" in str(fouten[0])
    _, fouten = laad_netwerkfuncties(tmp_path / "bestaat-niet.yaml")
    assert "kan niet gelezen worden" in str(fouten[0])


def test_kader_check_noemt_de_netwerkfuncties():
    uit = subprocess.run([sys.executable, "-m", "kader", "check"], cwd=ROOT, capture_output=True, text=True)
    assert uit.returncode == 0, uit.stderr
    assert "netwerkfuncties: 7 functies" in uit.stdout
