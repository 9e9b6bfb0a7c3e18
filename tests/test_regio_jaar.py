"""Regional comparison by year (issue 11, point 11): rondes match by ``ronde.jaar`` and
kader, not by their free label, so "2026" and "2026 (demo)" of the same year are compared."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from diensten import overzicht
from rapport import regio
from rapport.trend import trend
from storage import repository as repo
from storage.bereik import SYSTEEM
from test_storage import KADERS, VERSIES, engine, leeg_engine  # noqa: F401
from tests.fabriek import antwoorden

LABELS = {"Aadorp": "2026", "Beestad": "2026 (demo)", "Ceedorp": "Najaar"}  # all three in 2026


def _rijen(gemeente: str, ronde: str, basis: int) -> list[tuple]:
    return [(gemeente, ronde, f"r-{gemeente[:2].lower()}{ronde[:2]}{i}", "gemeente", "stj", c, str(min(4, basis + i % 2)), "")
            for i in range(3) for c in ("c1", "c2", "c10")]


def test_per_jaar_vergelijkt_rondes_met_verschillende_namen():
    moment = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    rondes, rijen = [], []
    for nummer, (gemeente, label) in enumerate(LABELS.items(), start=1):
        rondes.append(SimpleNamespace(id=nummer, gemeente=gemeente, label=label, jaar=2026,
                                      kader_versies=VERSIES, aangemaakt=moment))
        rijen += [(*r, nummer) for r in _rijen(gemeente, label, nummer)]
    # Aadorp also had a ronde in 2025, and a second, older one in 2026 that does not count
    rondes.append(SimpleNamespace(id=7, gemeente="Aadorp", label="2025", jaar=2025, kader_versies=VERSIES,
                                  aangemaakt=moment - dt.timedelta(days=365)))
    rijen += [(*r, 7) for r in _rijen("Aadorp", "2025", 1)]
    rondes.append(SimpleNamespace(id=8, gemeente="Aadorp", label="Voorjaar", jaar=2026, kader_versies=VERSIES,
                                  aangemaakt=moment - dt.timedelta(days=30)))
    rijen += [(*r, 8) for r in _rijen("Aadorp", "Voorjaar", 4)]
    df = antwoorden(*[r[:8] for r in rijen])
    df["ronde_id"] = [r[8] for r in rijen]

    per_jaar, metas = regio.per_jaar(df, rondes)
    assert sorted((m.gemeente, m.ronde) for m in metas) == [
        ("Aadorp", "2025"), ("Aadorp", "2026"), ("Beestad", "2026"), ("Ceedorp", "2026")]
    assert 8 not in set(per_jaar["ronde_id"])  # the newest ronde of a gemeente in a year counts
    tabel = trend(per_jaar, metas, KADERS["stj"])
    assert list(regio.rondes_in(tabel)) == ["2025", "2026"]
    assert regio.per_gemeente_toegestaan(tabel, "2026") and not regio.per_gemeente_toegestaan(tabel, "2025")
    assert list(regio.heatmap_tabel(tabel, KADERS["stj"], "2026").index) == ["Aadorp", "Beestad", "Ceedorp"]
    # the page opens on the newest year with enough gemeenten
    assert regio.nieuwste_getoonde(tabel) == "2026"
    # a preferred ronde (the one an overview shows) counts for its gemeente instead
    _, metas = regio.per_jaar(df, rondes, voorkeur=[8])
    assert {m.ronde for m in metas if m.gemeente == "Aadorp"} == {"2025", "2026"}
    per_voorkeur, _ = regio.per_jaar(df, rondes, voorkeur=[8])
    assert 8 in set(per_voorkeur["ronde_id"]) and 1 not in set(per_voorkeur["ronde_id"])


def test_nieuwste_getoonde_slaat_een_jaar_met_te_weinig_gemeenten_over():
    moment = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    rondes, rijen = [], []
    for nummer, gemeente in enumerate(LABELS, start=1):
        rondes.append(SimpleNamespace(id=nummer, gemeente=gemeente, label="2025", jaar=2025,
                                      kader_versies=VERSIES, aangemaakt=moment))
        rijen += [(*r, nummer) for r in _rijen(gemeente, "2025", 2)]
    rondes.append(SimpleNamespace(id=9, gemeente="Aadorp", label="2026", jaar=2026, kader_versies=VERSIES,
                                  aangemaakt=moment))
    rijen += [(*r, 9) for r in _rijen("Aadorp", "2026", 2)]
    df = antwoorden(*[r[:8] for r in rijen])
    df["ronde_id"] = [r[8] for r in rijen]
    tabel = trend(*regio.per_jaar(df, rondes), KADERS["stj"])
    assert list(regio.rondes_in(tabel)) == ["2025", "2026"]
    assert regio.nieuwste_getoonde(tabel) == "2025"


@pytest.mark.db
def test_regionale_mediaan_over_rondes_van_hetzelfde_jaar(engine):
    rondes = {}
    for nummer, (naam, label) in enumerate(LABELS.items(), start=1):
        g = repo.maak_gemeente(engine, naam, regio="Regio", door=SYSTEEM)
        repo.zet_regio_vergelijking(engine, g.id, True, door=SYSTEEM)
        rondes[naam] = repo.maak_ronde(engine, g.id, label, VERSIES, jaar=2026, door=SYSTEEM)
        repo.importeer_antwoorden(engine, antwoorden(*_rijen(naam, label, nummer)), VERSIES, door=SYSTEEM)
    assert {r.jaar for r in repo.rondes(engine)} == {2026}
    vergelijking = overzicht.regio_vergelijking(engine, rondes["Beestad"], repo.rondes(engine))
    assert vergelijking is not None and vergelijking.ronde == "2026"
    assert sorted(vergelijking.antwoorden["gemeente"].unique()) == sorted(LABELS)
    mediaan = regio.regionale_mediaan_voor_ronde(vergelijking.antwoorden, vergelijking.rondes, KADERS["stj"],
                                                 vergelijking.ronde)
    assert mediaan is not None and (mediaan["n"] == 3).all()
    # another year: no comparison (only one gemeente)
    g = next(g for g in repo.gemeenten(engine) if g.naam == "Aadorp")
    later = repo.maak_ronde(engine, g.id, "2027", VERSIES, door=SYSTEEM)
    assert later.jaar == 2027
    assert overzicht.regio_vergelijking(engine, later, repo.rondes(engine)) is None


@pytest.mark.db
def test_jaar_van_een_ronde(engine):
    g = repo.maak_gemeente(engine, "Aadorp", door=SYSTEEM)
    assert repo.maak_ronde(engine, g.id, "Voorjaar 2024", VERSIES, door=SYSTEEM).jaar == 2024
    assert repo.maak_ronde(engine, g.id, "Voorjaar", VERSIES, door=SYSTEEM).jaar == dt.date.today().year
    assert repo.maak_ronde(engine, g.id, "Extra 2024", VERSIES, jaar=2031, door=SYSTEEM).jaar == 2031
    with pytest.raises(ValueError, match="tussen 2000 en 2099"):
        repo.maak_ronde(engine, g.id, "Fout", VERSIES, jaar=1999, door=SYSTEEM)


@pytest.mark.db
def test_snapshot_bewaart_het_jaar_en_oudere_snapshots_lezen_in(engine):
    from storage import snapshot as snap
    from uitwisselformaat import snapshot as snapformaat

    g = repo.maak_gemeente(engine, "Aadorp", door=SYSTEEM)
    r = repo.maak_ronde(engine, g.id, "Voorjaar", VERSIES, jaar=2031, door=SYSTEEM)
    obj = snap.exporteer_snapshot(engine, r.id)
    assert obj["ronde"]["jaar"] == 2031
    repo.verwijder_ronde(engine, r.id, door=SYSTEEM)
    nieuw = snap.importeer_snapshot(engine, snapformaat.snapshot_bytes(obj), "r.json", kaders=KADERS, door=SYSTEEM)
    assert repo.ronde(engine, nieuw).jaar == 2031
    # a snapshot made before rondes had a year: the year in the label, else the year it was made
    repo.verwijder_ronde(engine, nieuw, door=SYSTEEM)
    oud = {**obj, "ronde": {k: v for k, v in obj["ronde"].items() if k != "jaar"}}
    oud["ronde"]["label"] = "Najaar 2023"
    oud["sha256"] = snapformaat.bereken_digest({k: v for k, v in oud.items() if k != "sha256"})
    terug = snap.importeer_snapshot(engine, snapformaat.snapshot_bytes(oud), "oud.json", kaders=KADERS, door=SYSTEEM)
    assert repo.ronde(engine, terug).jaar == 2023
    fout = {**obj, "ronde": {**obj["ronde"], "jaar": 1850}}
    fout["sha256"] = snapformaat.bereken_digest({k: v for k, v in fout.items() if k != "sha256"})
    with pytest.raises(snapformaat.SnapshotFout, match="ronde.jaar"):
        snap.importeer_snapshot(engine, snapformaat.snapshot_bytes(fout), "fout.json", kaders=KADERS, door=SYSTEEM)


@pytest.mark.db
def test_regio_toont_geen_criterium_van_een_enkele_respondent(engine):  # noqa: F811
    """Anonymity in the regio too: a criterium one person answered in a gemeente does not
    reach the regional views (its median would be that person's answer)."""
    rondes = {}
    for nummer, (naam, label) in enumerate(LABELS.items(), start=1):
        g = repo.maak_gemeente(engine, naam, regio="Regio", door=SYSTEEM)
        repo.zet_regio_vergelijking(engine, g.id, True, door=SYSTEEM)
        rondes[naam] = repo.maak_ronde(engine, g.id, label, VERSIES, jaar=2026, door=SYSTEEM)
        rijen = _rijen(naam, label, nummer)
        if naam == "Ceedorp":  # one respondent alone answers c5 here
            rijen.append((naam, label, "r-alleen", "gemeente", "stj", "c5", "1", "alleen ik"))
        repo.importeer_antwoorden(engine, antwoorden(*rijen), VERSIES, door=SYSTEEM)
    ruw = repo.regio_antwoorden(engine, "Regio")
    assert ((ruw["gemeente"] == "Ceedorp") & (ruw["criterium"] == "c5")).sum() == 1  # stored, as given
    for df in (overzicht.regio_antwoorden(engine, "Regio"), overzicht.regio_antwoorden(engine, "Regio", "stj"),
               overzicht.regio_vergelijking(engine, rondes["Aadorp"], repo.rondes(engine)).antwoorden):
        assert not (df["criterium"] == "c5").any()
        assert set(df["gemeente"]) == set(LABELS)  # the rest of Ceedorp still counts
