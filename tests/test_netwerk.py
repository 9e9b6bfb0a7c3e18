"""The samenwerkingskaart (issue 15): the samenwerking CSV (uitwisselformaat.samenwerking),
the analysis per ordered pair (rapport.netwerk), its picture, matrix and summary
(rapport.netwerkbeeld) and ``python -m rapport netwerk``.

The data set below was worked out by hand (drempel 3). Quartiles are linear interpolation
between the sorted levels (position h = (n - 1) * p):

* onderwijs -> wijkteam-cjg: levels 0, 1, 2, 4 (o5: weet_niet, not in n). n = 4.
  median h = 1.5: 1 + 0.5 * (2 - 1) = 1.5; q1 h = 0.75: 0 + 0.75 * 1 = 0.75;
  q3 h = 2.25: 2 + 0.25 * (4 - 2) = 2.5.
* wijkteam-cjg -> onderwijs: 3, 4, 4. median 4; q1 h = 0.5: 3.5; q3 h = 1.5: 4.
  |1.5 - 4| = 2.5 >= 2: asymmetric.
* onderwijs -> gemeente: 2, 2, 3. median 2; q1 2; q3 2.5.
* gemeente -> onderwijs: 4, 4, 5. median 4; q1 4; q3 4.5. |2 - 4| = 2: asymmetric
  (exactly on the boundary).
* gemeente -> wijkteam-cjg: 1, 2, 1 -> 1, 1, 2. median 1; q1 1; q3 1.5.
* wijkteam-cjg -> gemeente: 2, 3, 2 -> 2, 2, 3. median 2. |1 - 2| = 1: not asymmetric.
* wijkteam-cjg -> politie: only w1 and w2 answered (2 < 3): withheld.
* gemeente -> politie: three times nvt: shown, n = 0, no median, distribution nvt = 3.

So exactly two asymmetric pairs: (gemeente, onderwijs) 4 vs 2 and (onderwijs,
wijkteam-cjg) 1.5 vs 4.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from rapport.netwerk import Netwerk, als_tabel, analyseer
from rapport.netwerkbeeld import matrix, netwerk_data, netwerkbeeld, netwerkbeeld_svg, samenvatting
from uitwisselformaat import UitwisselFout
from uitwisselformaat.samenwerking import (
    NIVEAUS,
    SAMENWERKING_KOLOMMEN,
    lees_samenwerking_csv,
    schrijf_samenwerking_csv,
)

ROOT = Path(__file__).resolve().parent.parent
KOP = ",".join(SAMENWERKING_KOLOMMEN)
ROL_NAMEN = {"gemeente": "Gemeente", "wijkteam-cjg": "Wijkteam / CJG", "onderwijs": "Onderwijs",
             "politie": "Politie"}

RIJEN = [
    ("o1", "onderwijs", "wijkteam-cjg", "0"), ("o2", "onderwijs", "wijkteam-cjg", "1"),
    ("o3", "onderwijs", "wijkteam-cjg", "2"), ("o4", "onderwijs", "wijkteam-cjg", "4"),
    ("o5", "onderwijs", "wijkteam-cjg", "weet_niet"),
    ("w1", "wijkteam-cjg", "onderwijs", "3"), ("w2", "wijkteam-cjg", "onderwijs", "4"),
    ("w3", "wijkteam-cjg", "onderwijs", "4"),
    ("o1", "onderwijs", "gemeente", "2"), ("o2", "onderwijs", "gemeente", "2"),
    ("o3", "onderwijs", "gemeente", "3"),
    ("g1", "gemeente", "onderwijs", "4"), ("g2", "gemeente", "onderwijs", "4"),
    ("g3", "gemeente", "onderwijs", "5"),
    ("g1", "gemeente", "wijkteam-cjg", "1"), ("g2", "gemeente", "wijkteam-cjg", "2"),
    ("g3", "gemeente", "wijkteam-cjg", "1"),
    ("w1", "wijkteam-cjg", "gemeente", "2"), ("w2", "wijkteam-cjg", "gemeente", "3"),
    ("w3", "wijkteam-cjg", "gemeente", "2"),
    ("w1", "wijkteam-cjg", "politie", "4"), ("w2", "wijkteam-cjg", "politie", "5"),
    ("g1", "gemeente", "politie", "nvt"), ("g2", "gemeente", "politie", "nvt"),
    ("g3", "gemeente", "politie", "nvt"),
]


def _csv(rijen=RIJEN, gemeente="Testdorp", ronde="2026") -> bytes:
    regels = [KOP] + [f"{gemeente},{ronde},{r},{rol},{partner},{niveau}," for r, rol, partner, niveau in rijen]
    return ("\n".join(regels) + "\n").encode()


@pytest.fixture(scope="module")
def netwerk() -> Netwerk:
    return analyseer(lees_samenwerking_csv(_csv()), drempel=3)


# ----------------------------------------------------------------- the analysis


@pytest.mark.parametrize("van, naar, n, mediaan, q1, q3", [
    ("onderwijs", "wijkteam-cjg", 4, 1.5, 0.75, 2.5),
    ("wijkteam-cjg", "onderwijs", 3, 4.0, 3.5, 4.0),
    ("onderwijs", "gemeente", 3, 2.0, 2.0, 2.5),
    ("gemeente", "onderwijs", 3, 4.0, 4.0, 4.5),
    ("gemeente", "wijkteam-cjg", 3, 1.0, 1.0, 1.5),
    ("wijkteam-cjg", "gemeente", 3, 2.0, 2.0, 2.5),
])
def test_pair_medians_and_quartiles_as_computed_by_hand(netwerk, van, n, naar, mediaan, q1, q3):
    p = netwerk.paar(van, naar)
    assert (p.n, p.mediaan, p.q1, p.q3, p.achtergehouden) == (n, mediaan, q1, q3, False)


def test_distribution_has_every_niveau_and_counts_weet_niet_outside_n(netwerk):
    p = netwerk.paar("onderwijs", "wijkteam-cjg")
    assert list(p.verdeling) == list(NIVEAUS)
    assert p.verdeling == {"0": 1, "1": 1, "2": 1, "3": 0, "4": 1, "5": 0, "weet_niet": 1, "nvt": 0}
    assert p.n == 4


def test_only_nvt_is_shown_without_a_median(netwerk):
    p = netwerk.paar("gemeente", "politie")
    assert not p.achtergehouden and p.n == 0 and p.mediaan is None
    assert p.verdeling["nvt"] == 3


def test_exactly_the_asymmetric_pairs_are_flagged(netwerk):
    gevonden = [(w.rol_a, w.rol_b, w.a_naar_b, w.b_naar_a, w.verschil) for w in netwerk.wederkerigheid]
    assert gevonden == [("gemeente", "onderwijs", 4.0, 2.0, 2.0),
                        ("onderwijs", "wijkteam-cjg", 1.5, 4.0, 2.5)]


def test_a_small_answering_group_is_withheld_and_never_flagged():
    p = analyseer(lees_samenwerking_csv(_csv()), drempel=3).paar("wijkteam-cjg", "politie")
    assert p.achtergehouden and p.n == 0 and p.mediaan is None and p.q1 is None and p.verdeling == {}
    # a withheld direction takes part in no wederkerigheid: politie -> wijkteam-cjg level 0,
    # by three respondents, against the withheld 4.5 of wijkteam-cjg
    extra = [(f"p{i}", "politie", "wijkteam-cjg", "0") for i in range(3)]
    n = analyseer(lees_samenwerking_csv(_csv(RIJEN + extra)), drempel=3)
    assert all("politie" not in (w.rol_a, w.rol_b) for w in n.wederkerigheid)
    # with threshold 2 it is shown, and then it is flagged (4.5 vs 0)
    n2 = analyseer(lees_samenwerking_csv(_csv(RIJEN + extra)), drempel=2)
    assert ("politie", "wijkteam-cjg", 0.0, 4.5, 4.5) in [
        (w.rol_a, w.rol_b, w.a_naar_b, w.b_naar_a, w.verschil) for w in n2.wederkerigheid]


def test_one_scored_answer_among_weet_niet_is_withheld():
    # three answered, but only one gave a level: that median would be one person's answer
    rijen = [("a", "onderwijs", "politie", "3"), ("b", "onderwijs", "politie", "weet_niet"),
             ("c", "onderwijs", "politie", "weet_niet")]
    p = analyseer(lees_samenwerking_csv(_csv(rijen)), drempel=3).paar("onderwijs", "politie")
    assert p.achtergehouden and p.mediaan is None


def test_als_dict_has_the_shape_of_the_issue(netwerk):
    d = netwerk.als_dict()
    assert set(d) == {"paren", "wederkerigheid"}
    assert {"van", "naar", "n", "mediaan"} <= set(d["paren"][0])
    assert set(d["wederkerigheid"][0]) == {"rol_a", "rol_b", "a_naar_b", "b_naar_a", "verschil"}
    json.dumps(d, allow_nan=False)


def test_table_has_one_row_per_pair(netwerk):
    tabel = als_tabel(netwerk)
    assert len(tabel) == len(netwerk.paren) == 8
    scheef = tabel.loc[tabel["wederkerig"], ["van", "naar"]].apply(tuple, axis=1).tolist()
    assert sorted(scheef) == sorted([("gemeente", "onderwijs"), ("onderwijs", "gemeente"),
                                     ("onderwijs", "wijkteam-cjg"), ("wijkteam-cjg", "onderwijs")])


# ----------------------------------------------------------------- presentation


def test_matrix_shows_medians_and_a_dash_where_none(netwerk):
    m = matrix(netwerk, ROL_NAMEN)
    assert list(m.columns) == ["Gemeente", "Wijkteam / CJG", "Onderwijs", "Politie"]
    assert m.loc["Onderwijs", "Wijkteam / CJG"] == "1,5"
    assert m.loc["Gemeente", "Onderwijs"] == "4"
    assert m.loc["Wijkteam / CJG", "Politie"] == "–"  # withheld
    assert m.loc["Gemeente", "Politie"] == "–"  # only nvt
    assert m.loc["Gemeente", "Gemeente"] == "–"


def test_summary_names_strongest_weakest_every_asymmetric_pair_and_the_withheld(netwerk):
    tekst = samenvatting(netwerk, ROL_NAMEN)
    assert "gaat het verst bij Gemeente over Onderwijs en Wijkteam / CJG over Onderwijs" in tekst
    assert "Het minst ver gaat de samenwerking bij Gemeente over Wijkteam / CJG: meestal ‘informeren’ (1)" in tekst
    assert ("Onderwijs zegt over Wijkteam / CJG meestal tussen ‘informeren’ en ‘afstemmen’ (1,5); "
            "Wijkteam / CJG zegt over Onderwijs meestal ‘afstemmen, samenwerken en participatie gezin’ (4).") in tekst
    assert "Gemeente zegt over Onderwijs meestal" in tekst and "Onderwijs zegt over Gemeente meestal ‘afstemmen’ (2)" in tekst
    assert "1 paar is niet getoond, omdat minder dan 3 deelnemers van die rol erover antwoordden." in tekst


def test_summary_of_nothing():
    leeg = analyseer(lees_samenwerking_csv(_csv(RIJEN[:2])), drempel=3)
    assert samenvatting(leeg).startswith("Er is nog geen samenwerking om te tonen.")


def test_picture_marks_asymmetric_pairs_by_dash_and_sign_not_only_colour(netwerk):
    knopen, pijlen = netwerk_data(netwerk, ROL_NAMEN)
    assert set(knopen["naam"]) == set(ROL_NAMEN.values())
    assert len(pijlen) == 6  # the withheld pair and the nvt-only pair have no arrow
    scheef = pijlen.loc[pijlen["wederkerig"] == "ja"]
    assert len(scheef) == 4 and scheef["tekst"].str.endswith("≠").all()
    assert not pijlen.loc[pijlen["wederkerig"] == "nee", "tekst"].str.contains("≠").any()
    spec = json.dumps(netwerkbeeld(netwerk, ROL_NAMEN).to_dict())
    assert "strokeDash" in spec and '"url"' not in spec
    svg = netwerkbeeld_svg(netwerk, ROL_NAMEN)
    assert "<svg" in svg and "Wijkteam / CJG" in svg and "1,5 ≠" in svg


# ----------------------------------------------------------------- the CSV


def test_csv_round_trip_with_formula_neutralised():
    df = lees_samenwerking_csv(_csv(RIJEN[:1]).replace(b"0,\n", b'0,"=SOM(A1)"\n'))
    assert df.loc[2, "toelichting"] == "=SOM(A1)"
    data = schrijf_samenwerking_csv(df)
    assert b"'=SOM(A1)" in data
    assert lees_samenwerking_csv(data).equals(df)
    assert schrijf_samenwerking_csv(df, bom=True).startswith(b"\xef\xbb\xbf")


def test_csv_semicolon_and_any_column_order():
    data = "niveau;partner;rol;respondent;ronde;gemeente;toelichting\n3;politie;onderwijs;r1;2026;A;\n"
    df = lees_samenwerking_csv(data.encode("cp1252"))
    assert list(df.columns) == list(SAMENWERKING_KOLOMMEN) and df.loc[2, "niveau"] == "3"
    assert df.index.name == "rij"


def _meldingen(data: bytes, **kw) -> list[str]:
    with pytest.raises(UitwisselFout) as fout:
        lees_samenwerking_csv(data, bestand="kaart.csv", **kw)
    return [str(m) for m in fout.value.meldingen]


def test_bad_rows_each_named_with_file_row_and_column():
    regels = [
        KOP,
        "A,2026,r1,onderwijs,politie,7,",                 # 2: niveau
        "A,2026,r1,onderwijs,onderwijs,2,",               # 3: partner = rol
        "A,2026,r1,onderwijs,politie,3,",                 # 4: second answer about politie
        "B,2026,r1,onderwijs,jgz,3,",                     # 5: other gemeente
        "A,2026,r2,onbekend,politie,3,",                  # 6: unknown rol
        "A,2026,r3,onderwijs,,3,",                        # 7: empty partner
        "A,2026,r\u202e4,onderwijs,politie,3,",           # 8: invisible character
    ]
    meldingen = _meldingen(("\n".join(regels) + "\n").encode(), rollen={"onderwijs", "politie", "jgz"})
    verwacht = [
        "kaart.csv, rij 2, kolom 'niveau': '7' is geen geldige waarde",
        "kaart.csv, rij 3, kolom 'partner': de partner is dezelfde rol",
        "kaart.csv, rij 4, kolom 'partner': respondent 'r1' heeft partner 'politie' al ingevuld in rij 2",
        "kaart.csv, rij 5, kolom 'gemeente': respondent 'r1' heeft in rij 2 gemeente 'A', hier 'B'",
        "kaart.csv, rij 6, kolom 'rol': 'onbekend' is geen bekende rol",
        "kaart.csv, rij 7, kolom 'partner': deze cel is leeg",
        "kaart.csv, rij 8, kolom 'respondent': deze cel bevat een teken dat hier niet mag: U+202E",
    ]
    for v in verwacht:
        assert any(m.startswith(v) for m in meldingen), (v, meldingen)
    assert len(meldingen) == len(verwacht)


@pytest.mark.parametrize("data, begin", [
    (b"", "kaart.csv: het bestand is leeg."),
    ((KOP + "\n").encode(), "kaart.csv: het bestand bevat geen samenwerking"),
    (b"gemeente,ronde,respondent,rol,partnr,niveau,toelichting\n",
     "kaart.csv, rij 1, kolom 'partnr': onbekende kolomnaam; bedoelt u 'partner'?"),
    (b"gemeente,ronde,respondent,rol,niveau,toelichting\nA,1,r,onderwijs,2,\n",
     "kaart.csv, rij 1, kolom 'partner': deze kolom ontbreekt"),
    ((KOP + '\nA,2026,r1,onderwijs,politie,2,"open\n').encode(), "kaart.csv, rij 2: deze rij is niet te lezen"),
    ((KOP + "\nA,2026,r1,onderwijs,politie,2,,extra\n").encode(), "kaart.csv, rij 2: deze rij heeft 8 cellen"),
])
def test_bad_files(data, begin):
    assert _meldingen(data)[0].startswith(begin)


def test_too_long_toelichting_is_refused_not_cut():
    data = (KOP + "\nA,2026,r1,onderwijs,politie,2," + "x" * 2001 + "\n").encode()
    assert _meldingen(data)[0].startswith("kaart.csv, rij 2, kolom 'toelichting': de toelichting is te lang")


# ----------------------------------------------------------------- the command


def _draai(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rapport", "netwerk", *argv], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_cli_json_and_csv_end_to_end(tmp_path):
    bestand = tmp_path / "kaart.csv"
    bestand.write_bytes(_csv())
    uit = _draai("--antwoorden", str(bestand), "--format", "json")
    assert uit.returncode == 0, uit.stderr
    d = json.loads(uit.stdout)
    paren = {(p["van"], p["naar"]): p for p in d["paren"]}
    assert paren[("onderwijs", "wijkteam-cjg")]["mediaan"] == 1.5
    assert paren[("wijkteam-cjg", "politie")]["achtergehouden"] is True
    assert [(w["rol_a"], w["rol_b"], w["verschil"]) for w in d["wederkerigheid"]] == [
        ("gemeente", "onderwijs", 2.0), ("onderwijs", "wijkteam-cjg", 2.5)]

    uit = tmp_path / "paren.csv"
    klaar = _draai("--antwoorden", str(bestand), "--format", "csv", "--drempel", "2", "--out", str(uit))
    assert klaar.returncode == 0, klaar.stderr
    regels = uit.read_text(encoding="utf-8").splitlines()
    assert regels[0].startswith("van,naar,n,mediaan,q1,q3,niveau_0")
    assert len(regels) == 1 + 8
    assert "wijkteam-cjg,politie,2,4.5," in uit.read_text(encoding="utf-8")  # shown with threshold 2


def test_cli_bad_input_gives_a_dutch_message(tmp_path):
    bestand = tmp_path / "kaart.csv"
    bestand.write_bytes((KOP + "\nA,2026,r1,onderwijs,politie,zeven,\n").encode())
    uit = _draai("--antwoorden", str(bestand), "--format", "json")
    assert uit.returncode == 1
    assert "Fout: Het bestand met de samenwerkingskaart is niet bruikbaar" in uit.stderr
    assert "rij 2, kolom 'niveau': 'zeven' is geen geldige waarde" in uit.stderr
    assert "Traceback" not in uit.stderr
    assert _draai("--antwoorden", str(tmp_path / "weg.csv"), "--format", "json").stderr.startswith(
        "Fout: Het bestand")
    # wrong arguments: argparse's exit code 2, in Dutch
    fout = _draai("--antwoorden", str(bestand), "--format", "json", "--drempel", "0")
    assert fout.returncode == 2 and "--drempel" in fout.stderr


def test_cli_refuses_a_file_with_two_gemeenten_unless_one_is_chosen(tmp_path):
    bestand = tmp_path / "kaart.csv"
    anderen = [(f"x{r}", rol, partner, niveau) for r, rol, partner, niveau in RIJEN]
    tweede = _csv(anderen, gemeente="Anderdorp").split(b"\n", 1)[1]
    bestand.write_bytes(_csv() + tweede)
    uit = _draai("--antwoorden", str(bestand), "--format", "json")
    assert uit.returncode == 1 and "meer dan één gemeente" in uit.stderr
    uit = _draai("--antwoorden", str(bestand), "--format", "json", "--gemeente", "Testdorp")
    assert uit.returncode == 0, uit.stderr
    assert len(json.loads(uit.stdout)["wederkerigheid"]) == 2


def test_pair_table_in_dutch_without_withheld_pairs(netwerk):
    from rapport.netwerkbeeld import paren_tabel

    tabel = paren_tabel(netwerk, ROL_NAMEN)
    assert len(tabel) == 7  # 8 pairs, one withheld
    rij = tabel.loc[(tabel["Van"] == "Onderwijs") & (tabel["Naar"] == "Wijkteam / CJG")].iloc[0]
    assert rij["n"] == 4 and rij["Middelste helft (Q1–Q3)"] == "0,8–2,5"
    assert rij["Mediaan"] == "tussen informeren en afstemmen (1,5)"
    assert rij["Verdeling"] == "0: 1 · 1: 1 · 2: 1 · 3: 0 · 4: 1 · 5: 0 · weet niet: 1 · n.v.t.: 0"
    assert rij["Verschil met andere richting"] == "ja (≠)"
    assert tabel.loc[(tabel["Van"] == "Gemeente") & (tabel["Naar"] == "Politie"), "Mediaan"].iloc[0] == "–"


def test_many_arrows_print_only_the_numbers_of_asymmetric_pairs():
    import pandas as pd

    rollen = list(ROL_NAMEN) + ["jgz", "huisarts"]
    rijen = [dict(gemeente="G", ronde="R", respondent=f"{r}{i}", rol=r, partner=p, niveau="2", toelichting="")
             for r in rollen for i in range(3) for p in rollen if p != r]
    rijen += [dict(gemeente="G", ronde="R", respondent=f"jgz{i}", rol="jgz", partner="x", niveau="5",
                   toelichting="") for i in range(3)]
    n = analyseer(pd.DataFrame(rijen))
    assert len(n.getoond) > 24 and not n.wederkerigheid
    spec = json.dumps(netwerkbeeld(n, ROL_NAMEN).to_dict())
    assert "alleen de paren met \\u2260 hebben hier een getal" in spec or "alleen de paren met ≠" in spec


def test_a_rol_with_only_withheld_pairs_is_not_named():
    # one huisarts answered about three partners: all withheld, and huisarts appears nowhere
    extra = [("h1", "huisarts", partner, "3") for partner in ("gemeente", "onderwijs", "jgz")]
    n = analyseer(lees_samenwerking_csv(_csv(RIJEN + extra)), drempel=3)
    namen = ROL_NAMEN | {"huisarts": "Huisarts", "jgz": "Jeugdgezondheidszorg"}
    assert "Huisarts" not in matrix(n, namen).index and "Jeugdgezondheidszorg" not in matrix(n, namen).columns
    assert "Huisarts" not in set(netwerk_data(n, namen)[0]["naam"])
    tekst = samenvatting(n, namen)
    assert "Huisarts" not in tekst and "4 paren zijn niet getoond" in tekst
