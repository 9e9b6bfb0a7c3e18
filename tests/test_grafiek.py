"""rapport.grafiek: the spider chart spec, its data table and the SVG export."""
from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import altair as alt
import pandas as pd
import pytest

from kader.model import Antwoordschaal, Bron, Criterium, GeenOordeel, Kader, Schaalpunt, Thema
from rapport.aggregatie import aggregeer
from rapport.grafiek import (
    ALLE_LABEL,
    BINNENSTE_RING,
    OKABE_ITO,
    grafiek_tabel,
    spinnenweb,
    spinnenweb_svg,
)

B = Bron("test.txt", "§1")
SCHAAL = Antwoordschaal(
    id="vier",
    titel="Vierpuntsschaal",
    punten=tuple(Schaalpunt(w, f"label {w}", "") for w in (1, 2, 3, 4)),
    geen_oordeel=(GeenOordeel("weet_niet", "Weet niet", ""), GeenOordeel("nvt", "Niet van toepassing", "")),
)


def _crit(id_, kort, thema):
    return Criterium(id=id_, soort="criterium", kort=kort, tekst=f"Tekst {id_}", bron=B, thema_id=thema)


KADER = Kader(
    id="k",
    versie="1",
    titel="Testkader & co",
    omschrijving="",
    bron=B,
    schaal=SCHAAL,
    sterk_punt_vanaf=3,
    themas=(
        Thema("T1", "Thema een", B, (_crit("c1", "Signalen worden gehoord", "T1"), _crit("c2", "Snelle toeleiding", "T1"))),
        Thema("T2", "Thema twee", B, (_crit("c3", "Veiligheid tijdens zorg", "T2"),)),
    ),
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
    return pd.DataFrame(
        [("G", "R", resp, rol, "k", crit, score, "") for resp, rol, crit, score in data],
        columns=["gemeente", "ronde", "respondent", "rol", "kader", "criterium", "score", "toelichting"],
        dtype="str",
    )


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
    [laag] = [l for l in lagen(spec) if l["mark"]["type"] == "point" and "tooltip" in l["encoding"]]
    return laag


def test_een_aslabel_per_criterium(agg):
    spec = spinnenweb(agg, KADER, ROL_NAMEN).to_dict()
    labels = [
        v for l in lagen(spec)
        if l["mark"]["type"] == "text" and l["encoding"].get("text", {}).get("field") == "regels"
        for v in l["values"]
    ]
    assert sorted(v["criterium"] for v in labels) == sorted(KORT.values())
    # the label text is the kort label (wrapped over lines, nothing else)
    for v in labels:
        assert " ".join(v["regels"].split("\n")) == v["criterium"]
    # the labels lie outside the outer ring, one per spoke
    assert all(math.hypot(v["x"], v["y"]) > 1 for v in labels)


def test_gegevens_gelijk_aan_aggregatie(agg):
    spec = spinnenweb(agg, KADER, ROL_NAMEN).to_dict()
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
    assert c1 == {ALLE_LABEL: 2.5, "Gemeente": 3.5, "Wijkteam / CJG": 2.0, "politie": 1.0}
    # every (group, criterium) with a score is drawn: 3 + 3 + 2 (c3 gemeente: only weet_niet) + 1 (politie c1)
    assert getekend == 9


def test_polygonen_zijn_gesloten(agg):
    spec = spinnenweb(agg, KADER, ROL_NAMEN).to_dict()
    [lijn] = [l for l in lagen(spec) if l["mark"]["type"] == "line" and "color" in l["encoding"]]
    per_groep: dict[str, list] = {}
    for v in sorted(lijn["values"], key=lambda v: v["volgorde"]):
        per_groep.setdefault(v["groep"], []).append(v)
    for groep, punten in per_groep.items():
        assert [p["volgorde"] for p in punten] == [0, 1, 2, 3], groep
        assert (punten[0]["x"], punten[0]["y"]) == (punten[-1]["x"], punten[-1]["y"])


def test_palet_vormen_streepjes_en_legenda(agg):
    spec = spinnenweb(agg, KADER, ROL_NAMEN).to_dict()
    enc = punt_laag(spec)["encoding"]
    groepen = enc["color"]["scale"]["domain"]
    # 'Alle respondenten' first, then the rollen: named ones in rol_namen order, then the rest
    assert groepen == [ALLE_LABEL, "Gemeente", "Wijkteam / CJG", "politie"]
    kleuren = enc["color"]["scale"]["range"]
    assert kleuren == ["#000000", "#E69F00", "#56B4E9", "#009E73"]
    assert set(kleuren) <= {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
    assert set(OKABE_ITO) == {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
    # colour is not the only cue: distinct shapes and distinct dashes per group
    assert enc["shape"]["scale"]["domain"] == groepen
    assert len(set(enc["shape"]["scale"]["range"])) == len(groepen)
    [lijn] = [l for l in lagen(spec) if l["mark"]["type"] == "line" and "strokeDash" in l["encoding"]]
    assert lijn["encoding"]["strokeDash"]["scale"]["domain"] == groepen
    assert len({tuple(d) for d in lijn["encoding"]["strokeDash"]["scale"]["range"]}) == len(groepen)
    # the legend titled 'Rol' lists every group with line, point and name
    [legenda_tekst] = [l for l in lagen(spec) if l["mark"]["type"] == "text" and l["encoding"]["text"]["field"] == "groep"]
    assert [v["groep"] for v in legenda_tekst["values"]] == groepen
    assert any((v.get("title") or {}).get("text") == "Rol" for v in _views(spec))
    # tooltips: rol, criterium, gemiddelde, n
    assert [t["field"] for t in enc["tooltip"]] == ["groep", "criterium", "gemiddelde", "n"]
    assert enc["tooltip"][0]["title"] == "Rol"
    assert spec["title"]["text"] == KADER.titel


def _views(spec):
    for kind in spec.get("vconcat", []):
        yield kind


def test_rollen_kiezen(agg):
    alleen_alle = punt_laag(spinnenweb(agg, KADER, ROL_NAMEN, rollen=[]).to_dict())
    assert {v["groep"] for v in alleen_alle["values"]} == {ALLE_LABEL}
    een = punt_laag(spinnenweb(agg, KADER, ROL_NAMEN, rollen=["wijkteam-cjg"]).to_dict())
    assert {v["groep"] for v in een["values"]} == {ALLE_LABEL, "Wijkteam / CJG"}


def test_grafiek_tabel(agg):
    tabel = grafiek_tabel(agg, KADER, ROL_NAMEN)
    assert list(tabel.index) == list(KORT.values())
    assert list(tabel.columns) == [ALLE_LABEL, "Gemeente", "Wijkteam / CJG", "politie"]
    # c1: alle (4+3+2+1)/4 = 2.5; gemeente (4+3)/2 = 3.5; wijkteam 2; politie 1
    assert list(tabel.loc["Signalen worden gehoord"]) == [2.5, 3.5, 2.0, 1.0]
    # c2: alle (1+2+2)/3 = 1.666.. -> 1.7; gemeente 1; wijkteam 2; politie none
    assert list(tabel.loc["Snelle toeleiding"]) == [1.7, 1.0, 2.0, "–"]
    # c3: gemeente only said weet_niet -> '–'; wijkteam 3
    assert list(tabel.loc["Veiligheid tijdens zorg"]) == [3.0, "–", 3.0, "–"]
    # same numbers as in the chart
    for v in punt_laag(spinnenweb(agg, KADER, ROL_NAMEN).to_dict())["values"]:
        if v["volgorde"] < 3 and v["gemiddelde"] is not None:
            assert tabel.loc[v["criterium"], v["groep"]] == round(v["gemiddelde"], 1)


def test_svg_zonder_externe_bronnen_en_veilig_geescaped(agg):
    namen = {"gemeente": "Gemeente <script>alert(1)</script>", "wijkteam-cjg": 'Wijk "&" team'}
    svg = spinnenweb_svg(spinnenweb(agg, KADER, namen))
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
    df = pd.DataFrame(
        [("G", "R", f"r{i}", rol, "k", "c1", str(1 + i % 4), "") for i, rol in enumerate(rollen)],
        columns=["gemeente", "ronde", "respondent", "rol", "kader", "criterium", "score", "toelichting"],
    )
    spec = spinnenweb(aggregeer(df, KADER), KADER).to_dict()
    enc = punt_laag(spec)["encoding"]
    [lijn] = [l for l in lagen(spec) if l["mark"]["type"] == "line" and "strokeDash" in l["encoding"]]
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
    spinnenweb_svg(spinnenweb(agg, KADER, ROL_NAMEN))
    assert gezien["allowed_base_urls"] == []
