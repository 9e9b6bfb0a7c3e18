"""kader/werkwijze.yaml and kader/werkwijze.py: the inspecties' methods (002 Kader 1) and
the Onderzoeksvragen (004 Bijlage 3) literally from the sources, their placement at kader
items kept apart as the instrument's own choice, and a reader that names file, line and
field in Dutch."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from kader.werkwijze import WERKWIJZE_PAD, laad_werkwijze

BRONNEN = Path(__file__).resolve().parent.parent.parent / "shared" / "bronnen"
# the OCR fixes named at the top of kader/werkwijze.yaml
OCR = {"leidinggevendenden": "leidinggevenden", "Werkessie casuïstiek": "Werksessie casuïstiek"}


def _plat(tekst: str) -> str:
    """Whitespace normalised, as tests/test_kader.py compares kader text with the OCR."""
    return re.sub(r"\s+", " ", tekst).strip()


def _bron(bestand: str) -> str:
    tekst = (BRONNEN / bestand).read_text(encoding="utf-8")
    for fout, goed in OCR.items():
        tekst = tekst.replace(fout, goed)
    return _plat(tekst)


@pytest.fixture(scope="module")
def werkwijze(kaders):
    w, fouten = laad_werkwijze(dict(kaders))
    assert not fouten, "\n".join(map(str, fouten))
    return w


def test_bijlage_3_telt_5_en_14_vragen_zoals_de_bron(werkwijze):
    """Counted in the source itself: the bullets under each heading of Bijlage 3."""
    tekst = (BRONNEN / "004_cb9444ee05973ff1.txt").read_text(encoding="utf-8")
    bijlage = tekst[tekst.index("Bijlage 3. Onderzoeksvragen"):tekst.index("Bijlage 4.")]
    werksessie, netwerken = bijlage.split("\nNetwerken\n")
    in_bron = [len(re.findall(r"^- ", deel, re.MULTILINE)) for deel in (werksessie, netwerken)]
    assert in_bron == [5, 14]
    assert [(o.id, len(o.vragen)) for o in werkwijze.onderwerpen] == [("werksessie", 5), ("netwerken", 14)]
    assert [o.titel for o in werkwijze.onderwerpen] == ["Werksessie casuïstiek", "Netwerken"]


def test_vragen_letterlijk_en_in_de_volgorde_van_de_bron(werkwijze):
    bron = _bron("004_cb9444ee05973ff1.txt")
    start = bron.index("Bijlage 3. Onderzoeksvragen")
    plekken = []
    for v in werkwijze.vragen:
        assert v.bron.bestand == "004_cb9444ee05973ff1.txt" and "Bijlage 3" in v.bron.sectie
        plek = bron.find(_plat(v.tekst), start)
        assert plek > 0, v.tekst
        plekken.append(plek)
    assert plekken == sorted(plekken)
    assert all(v.bron.historisch for v in werkwijze.vragen)  # 2011: before the Jeugdwet


def test_methoden_partijen_en_reflectie_letterlijk_uit_002(werkwijze):
    bron = _bron("002_7cda73b5febe7485.txt")
    kader1 = bron[bron.index("Kader 1 Werkwijze"):bron.index("Een overzicht van de bij het onderzoek betrokken partijen")]
    for m in werkwijze.methoden:
        assert f"{m.naam}: {_plat(m.tekst)}" in kader1, m.id
        assert m.bron.bestand == "002_7cda73b5febe7485.txt" and m.bron.sectie == "Kader 1 Werkwijze"
        for d in m.documenten:
            assert d in m.tekst, (m.id, d)
    r = werkwijze.reflectiebijeenkomst
    assert r is not None and f"{r.naam}: {_plat(r.tekst)}" in kader1
    for p in werkwijze.partijen:
        assert _plat(p.tekst) in bron and "§1.2" in p.bron.sectie
        assert p.naam in p.tekst.lower()
    # every method of Kader 1 is there
    assert [m.naam for m in werkwijze.methoden] == [
        "Beleidsanalyse", "Dossieronderzoek", "Interviews", "Vignettenmethode", "Focusgroepen"]


def test_beleidsanalyse_met_documenten(werkwijze):
    m = werkwijze.methode("beleidsanalyse")
    assert m.documenten == ("beleidsplannen", "convenanten", "beleidsnotities")
    assert m.partijen == ()  # the source names no kind of organisation


def test_methoden_bij_de_partij_die_de_bron_noemt(werkwijze):
    partijen = {m.id: [p.id for p in m.partijen] for m in werkwijze.methoden}
    assert partijen["dossieronderzoek"] == ["duidende-instanties"]
    assert partijen["vignetten"] == ["signalerende-partijen"]
    assert partijen["interviews"] == ["duidende-instanties"]
    assert partijen["focusgroepen"] == ["signalerende-partijen", "duidende-instanties"]
    assert werkwijze.methode("dossieronderzoek").documenten == ("dossiers",)


def test_koppeling_is_eigen_keuze_en_verwijst_naar_bestaande_onderdelen(werkwijze, kaders):
    assert "keuze van dit instrument" in werkwijze.uitleg
    tekst = WERKWIJZE_PAD.read_text(encoding="utf-8")
    assert "EIGEN KEUZE VAN DIT INSTRUMENT" in tekst[:tekst.index("\nkoppeling:")].rsplit("onderwerpen:", 1)[1]
    gekoppeld = {(p.kader, p.criterium) for p in werkwijze.plaatsingen}
    # every STJ criterium and every Movisie item is placed
    for kid in ("stj-stelseltoezicht-jeugd", "robuuste-netwerken"):
        assert {(kid, c.id) for c in kaders[kid].criteria} <= gekoppeld
    # every sourced question is placed somewhere
    assert {v for p in werkwijze.plaatsingen for v in p.vragen} == {v.id for v in werkwijze.vragen}
    # a question that leans on the one before it ("hierbij") is always placed together with it
    for p in werkwijze.plaatsingen:
        assert ("nw-knelpunten" in p.vragen) == ("nw-aantal-cases" in p.vragen)


def test_kader_loader_leest_werkwijze_niet_als_kader(kaders):
    from kader.loader import standaard_paden

    assert WERKWIJZE_PAD not in standaard_paden()


# --- the reader's errors ------------------------------------------------------------------------


def _schrijf(tmp_path, tekst: str) -> Path:
    pad = tmp_path / "werkwijze.yaml"
    pad.write_text(tekst, encoding="utf-8")
    return pad


def test_fouten_noemen_bestand_regel_en_veld(tmp_path, kaders):
    tekst = WERKWIJZE_PAD.read_text(encoding="utf-8")
    tekst = tekst.replace("criterium: sf8-heldere-regievoering", "criterium: sf99-bestaat-niet", 1)
    tekst = tekst.replace("vragen: [nw-informatie]", "vragen: [nw-verzonnen]", 1)
    tekst = tekst.replace("partijen: [signalerende-partijen]", "partijen: [onbekende-partij]", 1)
    pad = _schrijf(tmp_path, tekst)
    w, fouten = laad_werkwijze(dict(kaders), pad)
    assert w is not None and len(fouten) == 3, fouten
    regels = tekst.splitlines()
    for fout, veld, woord in zip(fouten, ("methoden[3].partijen[0]", "criterium", "vragen[0]"),
                                 ("onbekende-partij", "sf99-bestaat-niet", "nw-verzonnen"), strict=True):
        assert fout.bestand.endswith("werkwijze.yaml")
        assert fout.veld.endswith(veld), fout
        assert woord in regels[fout.regel - 1], (fout, regels[fout.regel - 1])
        assert str(fout).startswith(f"{fout.bestand}, regel {fout.regel}, veld ")
    assert "onbekend criterium 'sf99-bestaat-niet' in kader 'robuuste-netwerken'" in str(fouten[1])
    assert "onbekende vraag 'nw-verzonnen'" in str(fouten[2])
    # the broken placements are left out, the rest still loads
    assert w.plaatsing("robuuste-netwerken", "sf99-bestaat-niet") is None
    assert w.plaatsing("robuuste-netwerken", "rv5-informatiedragers") is None
    assert w.plaatsing("robuuste-netwerken", "rv4-opschaling") is not None


def test_onbekend_kader_en_ontbrekend_veld(tmp_path, kaders):
    pad = _schrijf(tmp_path, """soort: werkwijze
partijen: []
methoden:
  - id: beleidsanalyse
    naam: Beleidsanalyse
    bron: {bestand: 002_7cda73b5febe7485.txt, sectie: "Kader 1 Werkwijze"}
onderwerpen: []
koppeling:
  uitleg: Eigen keuze.
  onderdelen:
    - kader: bestaat-niet
      criterium: c1
      methoden: [beleidsanalyse]
""")
    _, fouten = laad_werkwijze(dict(kaders), pad)
    teksten = [str(f) for f in fouten]
    assert any("regel 4, veld methoden[0].tekst: verplicht veld ontbreekt." in t for t in teksten), teksten
    assert any("regel 11, veld koppeling.onderdelen[0].kader: onbekend kader 'bestaat-niet'" in t
               for t in teksten), teksten


def test_verkeerde_soort_en_kapotte_yaml(tmp_path, kaders):
    w, fouten = laad_werkwijze(dict(kaders), _schrijf(tmp_path, "soort: kader\n"))
    assert w is None and "verwacht 'werkwijze'" in str(fouten[0]) and fouten[0].veld == "soort"
    w, fouten = laad_werkwijze(dict(kaders), _schrijf(tmp_path, "soort: werkwijze\nmethoden: [\n"))
    assert w is None and fouten[0].regel > 0 and "YAML-syntaxfout" in str(fouten[0])
    w, fouten = laad_werkwijze(dict(kaders), tmp_path / "weg.yaml")
    assert w is None and "kan niet gelezen worden" in str(fouten[0])


def test_kader_check_also_checks_the_werkwijze():
    import subprocess
    import sys

    from kader import laad_kaders
    from kader.werkwijze import laad_werkwijze

    werkwijze, fouten = laad_werkwijze(laad_kaders().kaders)
    assert not fouten
    uit = subprocess.run([sys.executable, "-m", "kader", "check"], cwd=Path(__file__).resolve().parent.parent,
                         capture_output=True, text=True)
    assert uit.returncode == 0, uit.stderr
    assert (f"werkwijze: {len(werkwijze.methoden)} methoden, {len(werkwijze.vragen)} vragen, "
            f"{len(werkwijze.plaatsingen)} plaatsingen") in uit.stdout
