"""rapport.grafiek: the spider chart spec, its data table and the SVG export."""
from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import altair as alt
import pytest

from rapport.aggregatie import aggregeer
from rapport.analyse import analyseer
from rapport.grafiek import (
    BAND_LABEL,
    BINNENSTE_RING,
    Q1_KOLOM,
    Q3_KOLOM,
    GrafiekOpties,
    band_data,
    grafiek_tabel,
    met_kwartielen,
    spinnenweb,
    spinnenweb_spec,
    spinnenweb_svg,
)
from rapport.groepen import ALLE
from rapport.palet import OKABE_ITO, STREEPJES, VORMEN
from tests.fabriek import antwoorden, criterium, maak_kader

KADER = maak_kader(
    {
        "T1": [criterium("c1", "T1", kort="Signalen worden gehoord"), criterium("c2", "T1", kort="Snelle toeleiding")],
        "T2": [criterium("c3", "T2", kort="Veiligheid tijdens zorg")],
    },
    titel="Testkader & co",
    thema_titels={"T1": "Thema een", "T2": "Thema twee"},
)
KORT = {"c1": "Signalen worden gehoord", "c2": "Snelle toeleiding", "c3": "Veiligheid tijdens zorg"}
ROL_NAMEN = {"gemeente": "Gemeente", "wijkteam-cjg": "Wijkteam / CJG"}


def _antwoorden():
    data = [
        # respondent, rol, criterium, score
        ("r1", "gemeente", "c1", "4"), ("r2", "gemeente", "c1", "3"),
        ("r3", "wijkteam-cjg", "c1", "2"),
        ("r1", "gemeente", "c2", "1"), ("r3", "wijkteam-cjg", "c2", "2"), ("r4", "wijkteam-cjg", "c2", "2"),
        ("r1", "gemeente", "c3", "weet_niet"), ("r3", "wijkteam-cjg", "c3", "3"),
        ("r5", "politie", "c1", "1"),  # a rol without a display name
    ]
    return antwoorden(*data)


@pytest.fixture(scope="module")
def agg():
    return aggregeer(_antwoorden(), KADER)


def lagen(spec):
    """All unit layers (mark + encoding + data values) of a chart spec."""
    datasets = spec.get("datasets", {})

    def loop(node, geerfd=None):
        data = node.get("data", geerfd) or {}
        if "mark" in node:
            waarden = datasets[data["name"]] if "name" in data else data.get("values", [])
            mark = node["mark"] if isinstance(node["mark"], dict) else {"type": node["mark"]}
            yield {"mark": mark, "encoding": node.get("encoding", {}), "values": waarden,
                   "transform": node.get("transform", []), "title": node.get("title")}
        for sleutel in ("layer", "vconcat", "hconcat", "concat"):
            for kind in node.get(sleutel, []):
                yield from loop(kind, data)

    return list(loop(spec))


def punt_laag(spec):
    """The (filled) points of the rol groups; overlay points are hollow."""
    [laag] = [lg for lg in lagen(spec) if lg["mark"]["type"] == "point" and "tooltip" in lg["encoding"]
              and lg["mark"].get("filled") is not False]
    return laag


def test_een_aslabel_per_criterium(agg):
    spec = spinnenweb(agg, KADER, GrafiekOpties(rol_namen=ROL_NAMEN)).to_dict()
    labels = [
        v for lg in lagen(spec)
        if lg["mark"]["type"] == "text" and lg["encoding"].get("text", {}).get("field") == "regels"
        for v in lg["values"]
    ]
    assert sorted(v["criterium"] for v in labels) == sorted(KORT.values())
    # the label text is the kort label (wrapped over lines, nothing else)
    for v in labels:
        assert " ".join(v["regels"].split("\n")) == v["criterium"]
    # the labels lie outside the outer ring, one per spoke
    assert all(math.hypot(v["x"], v["y"]) > 1 for v in labels)


def test_gegevens_gelijk_aan_aggregatie(agg):
    spec = spinnenweb(agg, KADER, GrafiekOpties(rol_namen=ROL_NAMEN)).to_dict()
    waarden = punt_laag(spec)["values"]
    verwacht = {
        (rol, r["id"]): r
        for rol, r in ((r["rol"], r) for _, r in agg[agg["niveau"] == "criterium"].iterrows())
    }
    getekend = 0
    for v in waarden:
        if v["volgorde"] >= 3 or v["gemiddelde"] is None:
            continue
        a = verwacht[(v["rol"], v["criterium_id"])]
        assert v["gemiddelde"] == pytest.approx(a["gemiddelde"])
        assert v["n"] == a["n"]
        assert v["criterium"] == KORT[v["criterium_id"]]
        # radius: innermost ring = 1, outer ring = 4, linear in between
        assert math.hypot(v["x"], v["y"]) == pytest.approx(
            BINNENSTE_RING + (1 - BINNENSTE_RING) * (a["gemiddelde"] - 1) / 3
        )
        getekend += 1
    # c1: alle 4,3,2,1 -> 2.5; gemeente 3.5; wijkteam 2; politie 1
    c1 = {v["groep"]: v["gemiddelde"] for v in waarden if v["criterium_id"] == "c1" and v["volgorde"] == 0}
    assert c1 == {ALLE.label: 2.5, "Gemeente": 3.5, "Wijkteam / CJG": 2.0, "politie": 1.0}
    # every (group, criterium) with a score is drawn: 3 + 3 + 2 (c3 gemeente: only weet_niet) + 1 (politie c1)
    assert getekend == 9


def test_polygonen_zijn_gesloten(agg):
    spec = spinnenweb(agg, KADER, GrafiekOpties(rol_namen=ROL_NAMEN)).to_dict()
    [lijn] = [lg for lg in lagen(spec) if lg["mark"]["type"] == "line" and "color" in lg["encoding"]]
    per_groep: dict[str, list] = {}
    for v in sorted(lijn["values"], key=lambda v: v["volgorde"]):
        per_groep.setdefault(v["groep"], []).append(v)
    for groep, punten in per_groep.items():
        assert [p["volgorde"] for p in punten] == [0, 1, 2, 3], groep
        assert (punten[0]["x"], punten[0]["y"]) == (punten[-1]["x"], punten[-1]["y"])


def test_palet_vormen_streepjes_en_legenda(agg):
    spec = spinnenweb(agg, KADER, GrafiekOpties(rol_namen=ROL_NAMEN)).to_dict()
    enc = punt_laag(spec)["encoding"]
    groepen = enc["color"]["scale"]["domain"]
    # 'Alle respondenten' first, then the rollen: named ones in rol_namen order, then the rest
    assert groepen == [ALLE.label, "Gemeente", "Wijkteam / CJG", "politie"]
    kleuren = enc["color"]["scale"]["range"]
    assert kleuren == ["#000000", "#E69F00", "#56B4E9", "#009E73"]
    assert set(kleuren) <= {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
    assert set(OKABE_ITO) == {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
    # colour is not the only cue: distinct shapes and distinct dashes per group
    assert enc["shape"]["scale"]["domain"] == groepen
    assert len(set(enc["shape"]["scale"]["range"])) == len(groepen)
    [lijn] = [lg for lg in lagen(spec) if lg["mark"]["type"] == "line" and "strokeDash" in lg["encoding"]]
    assert lijn["encoding"]["strokeDash"]["scale"]["domain"] == groepen
    assert len({tuple(d) for d in lijn["encoding"]["strokeDash"]["scale"]["range"]}) == len(groepen)
    # the legend titled 'Rol' lists every group with line, point and name
    [legenda_tekst] = [lg for lg in lagen(spec) if lg["mark"]["type"] == "text" and lg["encoding"]["text"]["field"] == "groep"]
    assert [v["groep"] for v in legenda_tekst["values"]] == groepen
    assert any((v.get("title") or {}).get("text") == "Rol" for v in _views(spec))
    # tooltips: rol, criterium, gemiddelde, n
    assert [t["field"] for t in enc["tooltip"]] == ["groep", "criterium", "waarde_tekst", "n"]  # Dutch text, not ".1f"
    assert enc["tooltip"][0]["title"] == "Rol"
    assert spec["title"]["text"] == KADER.titel


def _views(spec):
    yield from spec.get("vconcat", [])


def test_rollen_kiezen(agg):
    alleen_alle = punt_laag(spinnenweb(agg, KADER, GrafiekOpties(rol_namen=ROL_NAMEN, rollen=[])).to_dict())
    assert {v["groep"] for v in alleen_alle["values"]} == {ALLE.label}
    een = punt_laag(spinnenweb(agg, KADER, GrafiekOpties(rol_namen=ROL_NAMEN, rollen=["wijkteam-cjg"])).to_dict())
    assert {v["groep"] for v in een["values"]} == {ALLE.label, "Wijkteam / CJG"}


def test_grafiek_tabel(agg):
    tabel = grafiek_tabel(agg, KADER, GrafiekOpties(rol_namen=ROL_NAMEN))
    assert list(tabel.index) == list(KORT.values())
    assert list(tabel.columns) == [ALLE.label, "Gemeente", "Wijkteam / CJG", "politie"]
    # c1: alle (4+3+2+1)/4 = 2.5; gemeente (4+3)/2 = 3.5; wijkteam 2; politie 1
    assert list(tabel.loc["Signalen worden gehoord"]) == [2.5, 3.5, 2.0, 1.0]
    # c2: alle (1+2+2)/3 = 1.666.. -> 1.7; gemeente 1; wijkteam 2; politie none
    assert list(tabel.loc["Snelle toeleiding"]) == [1.7, 1.0, 2.0, "–"]
    # c3: gemeente only said weet_niet -> '–'; wijkteam 3
    assert list(tabel.loc["Veiligheid tijdens zorg"]) == [3.0, "–", 3.0, "–"]
    # same numbers as in the chart
    for v in punt_laag(spinnenweb(agg, KADER, GrafiekOpties(rol_namen=ROL_NAMEN)).to_dict())["values"]:
        if v["volgorde"] < 3 and v["gemiddelde"] is not None:
            assert tabel.loc[v["criterium"], v["groep"]] == round(v["gemiddelde"], 1)


def test_svg_zonder_externe_bronnen_en_veilig_geescaped(agg):
    namen = {"gemeente": "Gemeente <script>alert(1)</script>", "wijkteam-cjg": 'Wijk "&" team'}
    svg = spinnenweb_svg(spinnenweb(agg, KADER, GrafiekOpties(rol_namen=namen)))
    boom = ET.fromstring(svg)  # well-formed XML despite <, & and " in the names
    assert boom.tag.endswith("svg")
    teksten = " ".join(t.text or "" for t in boom.iter() if t.tag.endswith("text") or t.tag.endswith("tspan"))
    assert "Gemeente <script>alert(1)</script>" in teksten
    assert "Signalen worden" in teksten and "Testkader & co" in teksten
    assert "<script" not in svg
    for el in boom.iter():
        for attr, waarde in el.attrib.items():
            assert not attr.endswith("href"), (el.tag, attr, waarde)
            assert "url(" not in waarde


def test_svg_weigert_externe_gegevens():
    extern = alt.Chart(alt.UrlData("file:///etc/passwd")).mark_point().encode(x="a:Q")
    with pytest.raises(ValueError, match="externe gegevens"):
        spinnenweb_svg(extern)
    web = alt.Chart(alt.UrlData("http://127.0.0.1:9/x.csv")).mark_point().encode(x="a:Q")
    with pytest.raises(ValueError):
        spinnenweb_svg(web)


def test_negen_groepen_blijven_te_onderscheiden():
    rollen = ["gemeente", "wijkteam-cjg", "veilig-thuis", "jgz", "onderwijs", "politie",
              "jeugdhulpaanbieder", "volwassenenzorg"]
    df = antwoorden(*[(f"r{i}", rol, "c1", str(1 + i % 4)) for i, rol in enumerate(rollen)])
    spec = spinnenweb(aggregeer(df, KADER), KADER).to_dict()
    enc = punt_laag(spec)["encoding"]
    [lijn] = [lg for lg in lagen(spec) if lg["mark"]["type"] == "line" and "strokeDash" in lg["encoding"]]
    assert len(enc["color"]["scale"]["domain"]) == 9
    assert set(enc["color"]["scale"]["range"]) <= set(OKABE_ITO)
    # with 9 groups and 8 colours a colour repeats, but shape and dash never do
    assert len(set(enc["shape"]["scale"]["range"])) == 9
    assert len({tuple(d) for d in lijn["encoding"]["strokeDash"]["scale"]["range"]}) == 9


def test_svg_conversie_staat_geen_externe_urls_toe(agg, monkeypatch):
    import vl_convert

    gezien = {}
    echt = vl_convert.vegalite_to_svg

    def spion(spec, **kwargs):
        gezien.update(kwargs)
        return echt(spec, **kwargs)

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", spion)
    spinnenweb_svg(spinnenweb(agg, KADER, GrafiekOpties(rol_namen=ROL_NAMEN)))
    assert gezien["allowed_base_urls"] == []


# ------------------------------------------------------------------ overlays


def _df(rijen):
    return antwoorden(*rijen)


def _r(waarde):
    """Radius of a score on the 1..4 scale, by hand."""
    return BINNENSTE_RING + (1 - BINNENSTE_RING) * (waarde - 1) / 3


def _punt(waarde, spaak):
    """(x, y) of a value on spoke 0, 1 or 2 of the three-criterium kader: top, then clockwise."""
    a = math.pi / 2 - 2 * math.pi * spaak / 3
    return (_r(waarde) * math.cos(a), _r(waarde) * math.sin(a))


# Quartiles of all respondents, by hand (linear interpolation, h = (n - 1) * p):
#   c1: 1,2,3,4 -> Q1 at h=0.75: 1.75;  Q3 at h=2.25: 3.25
#   c2: 1,2,2   -> Q1 at h=0.5:  1.5;   Q3 at h=1.5:  2.0
#   c3: 3 (weet_niet is not scored) -> Q1 = Q3 = 3
Q = {"c1": (1.75, 3.25), "c2": (1.5, 2.0), "c3": (3.0, 3.0)}


@pytest.fixture(scope="module")
def agg_q():
    return met_kwartielen(aggregeer(_antwoorden(), KADER), _antwoorden(), KADER)


@pytest.fixture(scope="module")
def agg_vorig():
    # previous ronde: c1 2,2 (gemeente) -> 2; c2: 3 (politie) -> 3; c3: only nvt -> no value
    return aggregeer(_df([
        ("v1", "gemeente", "c1", "2"), ("v2", "gemeente", "c1", "2"),
        ("v3", "politie", "c2", "3"), ("v1", "gemeente", "c3", "nvt"),
    ]), KADER)


def test_met_kwartielen_alleen_op_de_rijen_van_alle_respondenten(agg_q):
    alle = agg_q[(agg_q["niveau"] == "criterium") & (agg_q["rol"] == "alle")].set_index("id")
    for c, (q1, q3) in Q.items():
        assert (alle.loc[c, "q1"], alle.loc[c, "q3"]) == (pytest.approx(q1), pytest.approx(q3))
    assert agg_q.loc[agg_q["rol"] != "alle", ["q1", "q3"]].isna().all().all()
    assert agg_q.loc[agg_q["niveau"] == "thema", ["q1", "q3"]].isna().all().all()
    # the same numbers as the analysis table
    ana = analyseer(_antwoorden(), KADER)
    ana = ana[(ana["niveau"] == "criterium") & (ana["groep"] == ALLE.label)].set_index("id")
    assert list(alle.loc[list(Q), "q3"]) == list(ana.loc[list(Q), "q3"])


def test_band_hoekpunten_op_de_kwartielen(agg_q):
    band = band_data(agg_q, KADER)
    # one ring: Q3 clockwise round (closing on c1), then Q1 back the other way
    assert set(band["deel"]) == {0}
    verwacht = [("c1", "q3"), ("c2", "q3"), ("c3", "q3"), ("c1", "q3"),
                ("c1", "q1"), ("c3", "q1"), ("c2", "q1"), ("c1", "q1")]
    assert list(zip(band["criterium_id"], band["rand"])) == verwacht
    assert list(band["volgorde"]) == list(range(8))
    spaak = {"c1": 0, "c2": 1, "c3": 2}
    for _, v in band.iterrows():
        waarde = Q[v["criterium_id"]][0 if v["rand"] == "q1" else 1]
        assert v["waarde"] == pytest.approx(waarde)
        assert (v["x"], v["y"]) == pytest.approx(_punt(waarde, spaak[v["criterium_id"]]))
    # c1: inner edge at 1.75, outer at 3.25 -> radii by hand
    c1 = band[band["criterium_id"] == "c1"]
    assert sorted({round(math.hypot(x, y), 9) for x, y in zip(c1["x"], c1["y"])}) == [
        round(0.12 + 0.88 * 0.75 / 3, 9), round(0.12 + 0.88 * 2.25 / 3, 9)]


def test_band_breekt_waar_een_criterium_geen_scores_heeft():
    zonder_c2 = _antwoorden().query("criterium != 'c2'")
    band = band_data(met_kwartielen(aggregeer(zonder_c2, KADER), zonder_c2, KADER), KADER)
    # c3 -> c1 (going round past the top); nothing touches the empty spoke c2
    assert list(zip(band["criterium_id"], band["rand"])) == [
        ("c3", "q3"), ("c1", "q3"), ("c1", "q1"), ("c3", "q1")]
    assert set(band["deel"]) == {0}


def test_band_in_de_grafiek_en_de_legenda(agg_q):
    spec = spinnenweb(agg_q, KADER, GrafiekOpties(rol_namen=ROL_NAMEN, band=True)).to_dict()
    [vlak] = [lg for lg in lagen(spec) if lg["mark"]["type"] == "line" and lg["mark"].get("fill")]
    assert 0 < vlak["mark"]["fillOpacity"] < 0.5  # light, translucent
    assert vlak["encoding"]["order"]["field"] == "volgorde"
    assert vlak["encoding"]["detail"]["field"] == "deel"
    verwacht = band_data(agg_q, KADER)
    assert [v["x"] for v in vlak["values"]] == pytest.approx(list(verwacht["x"]))
    assert [v["y"] for v in vlak["values"]] == pytest.approx(list(verwacht["y"]))
    # drawn behind the lines of the groups
    alle_lagen = lagen(spec)
    assert alle_lagen.index(vlak) < alle_lagen.index(punt_laag(spec))
    # the legend lists it under 'Ter vergelijking'
    titels = [(v.get("title") or {}).get("text") for v in _views(spec)]
    assert titels[-2:] == ["Rol", "Ter vergelijking"]
    teksten = [v["groep"] for lg in lagen(spec) if lg["mark"]["type"] == "text"
               and lg["encoding"]["text"]["field"] == "groep" for v in lg["values"]]
    assert BAND_LABEL in teksten


def test_band_zonder_kwartielen_geeft_duidelijke_fout(agg):
    with pytest.raises(ValueError, match="met_kwartielen"):
        spinnenweb(agg, KADER, GrafiekOpties(band=True))
    with pytest.raises(ValueError, match="q1 en q3"):
        grafiek_tabel(agg, KADER, GrafiekOpties(band=True))


def test_band_in_de_tabel(agg_q):
    tabel = grafiek_tabel(agg_q, KADER, GrafiekOpties(rol_namen=ROL_NAMEN, band=True))
    assert list(tabel.columns) == [ALLE.label, Q1_KOLOM, Q3_KOLOM, "Gemeente", "Wijkteam / CJG", "politie"]
    assert list(tabel[Q1_KOLOM]) == [1.8, 1.5, 3.0]  # 1.75 rounds to 1.8 (one decimal)
    assert list(tabel[Q3_KOLOM]) == [3.2, 2.0, 3.0]  # 3.25 -> 3.2 (round half to even)


def test_vergelijkingslijn_in_grafiek_en_tabel(agg, agg_vorig):
    label = "Vorige ronde (2025)"
    spec = spinnenweb(agg, KADER, GrafiekOpties(rol_namen=ROL_NAMEN, vergelijkingen={label: agg_vorig})).to_dict()
    # its own line and hollow points, with only the overall values of the other frame
    [lijn] = [lg for lg in lagen(spec) if lg["mark"]["type"] == "line" and "color" in lg["encoding"]
              and {v["groep"] for v in lg["values"]} == {label}]
    waarden = {v["criterium_id"]: v["gemiddelde"] for v in lijn["values"] if v["volgorde"] < 3}
    assert waarden == {"c1": 2.0, "c2": 3.0, "c3": None}
    for v in lijn["values"]:
        if v["gemiddelde"] is not None:
            spaak = {"c1": 0, "c2": 1, "c3": 2}[v["criterium_id"]]
            assert (v["x"], v["y"]) == pytest.approx(_punt(v["gemiddelde"], spaak))
    [punten] = [lg for lg in lagen(spec) if lg["mark"]["type"] == "point" and lg["mark"].get("filled") is False
                and "tooltip" in lg["encoding"]]
    assert punten["encoding"]["tooltip"][0]["title"] == "Vergelijking"
    # the rol groups are unchanged
    assert {v["groep"] for v in punt_laag(spec)["values"]} == {ALLE.label, "Gemeente", "Wijkteam / CJG", "politie"}
    # neutral grey, a dash and a shape that no rol group uses: colour is not the only cue
    enc = lijn["encoding"]
    i = enc["color"]["scale"]["domain"].index(label)
    kleur = enc["color"]["scale"]["range"][i]
    assert kleur.startswith("#") and kleur[1:3] == kleur[3:5] == kleur[5:7] and kleur not in OKABE_ITO
    assert enc["strokeDash"]["scale"]["range"][i] not in [list(d) for d in STREEPJES]
    assert punten["encoding"]["shape"]["scale"]["range"][i] not in VORMEN
    # listed in the legend 'Ter vergelijking'
    [titel] = [v for v in _views(spec) if (v.get("title") or {}).get("text") == "Ter vergelijking"]
    teksten = [w["groep"] for lg in lagen({**titel, "datasets": spec["datasets"]}) for w in lg["values"] if lg["mark"]["type"] == "text"]
    assert teksten == [label]
    # data table: one column per overlay, after the rol groups
    tabel = grafiek_tabel(agg, KADER, GrafiekOpties(rol_namen=ROL_NAMEN, vergelijkingen={label: agg_vorig}))
    assert list(tabel.columns)[-1] == label
    assert list(tabel[label]) == [2.0, 3.0, "–"]


def test_twee_vergelijkingen_en_waarde_kolom(agg, agg_vorig):
    regio = agg_vorig.assign(mediaan=agg_vorig["gemiddelde"] + 0.5)
    opties = GrafiekOpties(rol_namen=ROL_NAMEN, rollen=[],
                           vergelijkingen={"Vorige ronde": agg_vorig, "Regionale mediaan": regio},
                           waarde_kolom={"Regionale mediaan": "mediaan"})
    data = spinnenweb(agg, KADER, opties).to_dict()
    lijnen = [lg for lg in lagen(data) if lg["mark"]["type"] == "line" and "strokeDash" in lg["encoding"]]
    waarden = {(v["groep"], v["criterium_id"]): v["gemiddelde"] for lg in lijnen for v in lg["values"]}
    assert waarden[("Vorige ronde", "c1")] == 2.0
    assert waarden[("Regionale mediaan", "c1")] == 2.5  # the mediaan column, not gemiddelde
    dash = lijnen[0]["encoding"]["strokeDash"]["scale"]
    assert dash["domain"] == [ALLE.label, "Vorige ronde", "Regionale mediaan"]
    assert len({tuple(d) for d in dash["range"]}) == 3
    tabel = grafiek_tabel(agg, KADER, GrafiekOpties(rollen=[], vergelijkingen={"Regionale mediaan": regio},
                                                    waarde_kolom="mediaan"))
    assert list(tabel.columns) == [ALLE.label, "Regionale mediaan"]
    assert list(tabel["Regionale mediaan"]) == [2.5, 3.5, "–"]


def test_vergelijking_met_foute_invoer(agg, agg_vorig):
    with pytest.raises(ValueError, match="Gemeente"):
        spinnenweb(agg, KADER, GrafiekOpties(rol_namen=ROL_NAMEN, vergelijkingen={"Gemeente": agg_vorig}))
    with pytest.raises(ValueError, match="kolom 'regiomediaan' ontbreekt"):
        grafiek_tabel(agg, KADER, GrafiekOpties(vergelijkingen={"Regio": agg_vorig}, waarde_kolom="regiomediaan"))


def test_zonder_overlays_niets_veranderd(agg):
    standaard = spinnenweb(agg, KADER, GrafiekOpties(rol_namen=ROL_NAMEN)).to_dict()
    zonder = GrafiekOpties(rol_namen=ROL_NAMEN, band=False, vergelijkingen={})
    assert spinnenweb(agg, KADER, zonder).to_dict() == standaard
    assert [(v.get("title") or {}).get("text") for v in _views(standaard)][-1] == "Rol"
    assert not [lg for lg in lagen(standaard) if lg["mark"].get("fill")]
    # what the verbeterplan PDF relies on: without options no overlays at all
    assert not GrafiekOpties().band and not GrafiekOpties().vergelijkingen
    assert spinnenweb(agg, KADER).to_dict() == spinnenweb(agg, KADER, GrafiekOpties()).to_dict()


def test_spec_met_overlays_gelijk_aan_grafiek(agg_q, agg_vorig):
    kwargs = {"band": True, "vergelijkingen": {"Vorige ronde (2025)": agg_vorig}}
    assert spinnenweb_spec(agg_q, KADER, GrafiekOpties(rol_namen=ROL_NAMEN, **kwargs)) == \
        spinnenweb(agg_q, KADER, GrafiekOpties(rol_namen=ROL_NAMEN, **kwargs)).to_dict(validate=False)


def test_svg_met_overlays_zonder_urls(agg_q, agg_vorig):
    svg = spinnenweb_svg(spinnenweb(agg_q, KADER, GrafiekOpties(
        rol_namen=ROL_NAMEN, band=True, vergelijkingen={"Vorige ronde <2025> & co": agg_vorig})))
    boom = ET.fromstring(svg)
    teksten = " ".join(t.text or "" for t in boom.iter() if t.tag.endswith("text") or t.tag.endswith("tspan"))
    assert "Vorige ronde <2025> & co" in teksten and BAND_LABEL in teksten
    # apart from the XML namespace names (never fetched) no http(s): or file: anywhere
    zonder_namespaces = re.sub(r'xmlns(:\w+)?="[^"]*"', "", svg)
    assert "http" not in zonder_namespaces and "file:" not in zonder_namespaces
    for el in boom.iter():
        for attr, waarde in el.attrib.items():
            assert not attr.endswith("href"), (el.tag, attr, waarde)
            assert "url(" not in waarde
    # the band is a filled, translucent path
    assert any(el.get("fill-opacity") and el.get("d") for el in boom.iter() if el.tag.endswith("path"))
