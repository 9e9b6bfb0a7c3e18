"""Questionnaires per rol: every role answers known criteria in plain wording."""
from __future__ import annotations

from pathlib import Path

from kader.yamlbron import lees_yaml
from vragenlijsten import VOLGORDE, laad_vragenlijsten

ROOT = Path(__file__).resolve().parent.parent


def test_all_roles_present(vragenlijsten):
    """Every questionnaire file gives one rol, and the rollen come in the order of VOLGORDE."""
    bestanden = [p for p in (ROOT / "vragenlijsten").glob("*.yaml") if p.name != "standaard.yaml"]
    ids = {lees_yaml(p.read_bytes(), p.name)[0]["rol"]["id"] for p in bestanden}
    assert len(ids) == len(bestanden) and set(vragenlijsten.lijsten) == ids
    assert set(VOLGORDE) == ids, "every rol has a place in VOLGORDE"
    assert list(vragenlijsten.lijsten) == list(VOLGORDE)


def test_every_question_refers_to_a_real_criterium(vragenlijsten, kaders):
    for lijst in vragenlijsten.lijsten.values():
        assert lijst.vragen
        for v in lijst.vragen:
            kaders[v.kader_id].criterium(v.criterium_id)


def test_role_specific_wording(vragenlijsten):
    onderwijs = {v.criterium_id: v.stelling for v in vragenlijsten.lijsten["onderwijs"].vragen}
    standaard = {v.criterium_id: v.stelling for v in vragenlijsten.lijsten["wijkteam-cjg"].vragen}
    assert "school" in onderwijs["c1-signalering"]
    assert onderwijs["c1-signalering"] != standaard["c1-signalering"]
    assert "c2-toeleiding" not in onderwijs  # signalerende partij: toeleiding is niet hun werk


def test_statements_are_short(vragenlijsten):
    """Plain language: no statement longer than 30 words."""
    for lijst in vragenlijsten.lijsten.values():
        for v in lijst.vragen:
            assert len(v.stelling.split()) <= 30, v.stelling


def test_dangling_criterium_is_reported(tmp_path, kaders):
    for p in (ROOT / "vragenlijsten").glob("*.yaml"):
        (tmp_path / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    pad = tmp_path / "politie.yaml"
    pad.write_text(pad.read_text(encoding="utf-8").replace("criterium: c3-veiligheid-signalering", "criterium: c9-bestaat-niet"), encoding="utf-8")
    res = laad_vragenlijsten(kaders, tmp_path)
    assert "politie" not in res.lijsten and "onderwijs" in res.lijsten
    (fout,) = res.fouten
    assert "c9-bestaat-niet" in fout.bericht and fout.regel > 0 and fout.bestand.endswith("politie.yaml")
