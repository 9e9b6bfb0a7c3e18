"""Synthetic answers in the uitwisselformaat, generated vectorised and seeded.

The national dataset of the aggregation benchmark is 342 gemeenten x 5 rondes x 25
respondents x every criterium of every kader (18 with the two current kaders), about
770k rows. Nothing is drawn per answer in Python: scores, roles and toelichtingen are
numpy arrays of integer codes that are turned into string columns at the end.

The pattern follows `storage.demo`: scores around the middle of the scale, shifted
per gemeente, per gemeente x criterium and per ronde, the gemeente's own role a bit
more positive, partners saying 'weet niet' more often, a few 'nvt', and a short
neutral toelichting (from the demo's texts) on about half of the answers.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from kader.model import NVT, WEET_NIET, Kader
from storage.demo import TOELICHTINGEN
from storage.repository import PSEUDONIEM_ALFABET, PSEUDONIEM_LENGTE
from uitwisselformaat import KOLOMMEN

GEMEENTEN = 342
RONDES = 5
RESPONDENTEN = 25
SEED = 20261122
EERSTE_RONDE = 2022

KADERS = ("robuuste-netwerken", "stj-stelseltoezicht-jeugd")
"""The kaders of the benchmark (14 + 4 = 18 criteria)."""
_GEMELD: set[str] = set()

_NIVEAUS = ("laag", "midden", "hoog", "geen_oordeel")


def gemeente_naam(i: int) -> str:
    return f"Gemeente {i + 1:03d} (synthetisch)"


def ronde_label(i: int) -> str:
    return str(EERSTE_RONDE + i)


def _pseudoniemen(rng: np.random.Generator, aantal: int) -> np.ndarray:
    """``aantal`` distinct pseudonyms 'r-xxxxxx' (the app's alphabet and length)."""
    alfabet = np.array(list(PSEUDONIEM_ALFABET))
    uit: dict[str, None] = {}
    while len(uit) < aantal:
        tekens = alfabet[rng.integers(0, len(alfabet), size=(aantal - len(uit), PSEUDONIEM_LENGTE))]
        for rij in tekens:  # per respondent, not per answer
            uit.setdefault("r-" + "".join(rij), None)
    return np.array(list(uit), dtype=object)


def _kolom(waarden: Sequence[str], codes: np.ndarray) -> pd.Series:
    """A 'str' column (as `lees_csv` and `antwoorden_df` produce) from codes into ``waarden``."""
    return pd.Series(np.asarray(list(waarden), dtype=object)[codes], dtype="str")


def synthetische_antwoorden(
    kaders: Mapping[str, Kader],
    rollen: Sequence[str],
    *,
    gemeenten: int = GEMEENTEN,
    rondes: int = RONDES,
    respondenten: int = RESPONDENTEN,
    seed: int = SEED,
) -> pd.DataFrame:
    """Answers in the uitwisselformaat (columns `KOLOMMEN`, dtype 'str').

    Every respondent answers every criterium of every kader in ``kaders`` (sorted by
    kader id, criteria in kader order). Respondents get a rol from ``rollen``; the
    first respondent of each gemeente x ronde has the first rol (the gemeente itself).
    Rows are ordered by gemeente, ronde, respondent, kader, criterium.
    """
    if not rollen:
        raise ValueError("Geen rollen opgegeven.")
    rng = np.random.default_rng(seed)
    kader_lijst = [kaders[k] for k in sorted(kaders)]
    paren = [(k, c) for k in kader_lijst for c in k.criteria]
    n_paar = len(paren)
    n_resp = gemeenten * rondes * respondenten
    n = n_resp * n_paar

    # --- per respondent
    resp_gemeente = np.arange(n_resp) // (rondes * respondenten)
    resp_ronde = (np.arange(n_resp) // respondenten) % rondes
    resp_rol = rng.integers(0, len(rollen), size=n_resp)
    resp_rol[::respondenten] = 0
    pseudoniemen = _pseudoniemen(rng, n_resp)

    # --- per answer: respondent index r and pair index p (row = r * n_paar + p)
    r = np.repeat(np.arange(n_resp), n_paar)
    p = np.tile(np.arange(n_paar), n_resp)
    g = resp_gemeente[r]
    is_gemeenterol = resp_rol[r] == 0

    niveau_gemeente = rng.normal(0, 0.35, size=gemeenten)
    effect = rng.normal(0, 0.35, size=(gemeenten, n_paar))  # some criteria are harder here
    trend = 0.08 * np.arange(rondes)  # things improve a little per ronde
    verschuiving = (
        niveau_gemeente[g] + effect[g, p] + trend[resp_ronde[r]] + np.where(is_gemeenterol, 0.4, 0.0)
    )

    # score categories: every scale value of every kader, then weet_niet, nvt
    schaalwaarden = sorted({w for k in kader_lijst for w in k.schaal.waarden})
    score_waarden = [str(w) for w in schaalwaarden] + [WEET_NIET, NVT]
    code_weet_niet, code_nvt = len(schaalwaarden), len(schaalwaarden) + 1
    score = np.empty(n, dtype="int64")
    positie = np.empty(n, dtype="float64")  # place on the scale 0..1, for the toelichting
    kader_van_paar = np.array([kader_lijst.index(k) for k, _ in paren])
    for ki, kader in enumerate(kader_lijst):  # per kader (2), not per answer
        rijen = kader_van_paar[p] == ki
        waarden = np.asarray(kader.schaal.waarden, dtype="float64")
        laag, hoog = waarden.min(), waarden.max()
        ruw = (laag + hoog) / 2 + verschuiving[rijen] + rng.normal(0, 0.6, size=int(rijen.sum()))
        dichtst = np.abs(np.clip(np.round(ruw), laag, hoog)[:, None] - waarden[None, :]).argmin(axis=1)
        gekozen = waarden[dichtst]
        score[rijen] = np.searchsorted(np.asarray(schaalwaarden, dtype="float64"), gekozen)
        positie[rijen] = (gekozen - laag) / max(1.0, hoog - laag)
    trek = rng.random(n)
    kans_weet_niet = np.where(is_gemeenterol, 0.03, 0.07)
    geen_oordeel = trek < kans_weet_niet + 0.03
    score[trek < kans_weet_niet + 0.03] = code_nvt
    score[trek < kans_weet_niet] = code_weet_niet

    # --- toelichting on about half of the answers, matching the score (like the demo)
    pool = [""] + [t for niv in _NIVEAUS for t in TOELICHTINGEN[niv]]
    grootte = np.array([len(TOELICHTINGEN[niv]) for niv in _NIVEAUS])
    begin = 1 + np.concatenate(([0], np.cumsum(grootte)[:-1]))
    niveau = np.where(geen_oordeel, 3, np.where(positie < 0.5, 0, np.where(positie < 0.9, 1, 2)))
    keuze = begin[niveau] + (rng.random(n) * grootte[niveau]).astype("int64")
    toelichting = np.where(rng.random(n) < 0.5, keuze, 0)

    kader_ids = [k.id for k, _ in paren]
    criterium_ids = [c.id for _, c in paren]
    kolommen = {
        "gemeente": _kolom([gemeente_naam(i) for i in range(gemeenten)], g),
        "ronde": _kolom([ronde_label(i) for i in range(rondes)], resp_ronde[r]),
        "respondent": pd.Series(pseudoniemen[r], dtype="str"),
        "rol": _kolom(rollen, resp_rol[r]),
        "kader": _kolom(kader_ids, p),
        "criterium": _kolom(criterium_ids, p),
        "score": _kolom(score_waarden, score),
        "toelichting": _kolom(pool, toelichting),
    }
    return pd.DataFrame({k: kolommen[k] for k in KOLOMMEN})


def laad_kaders_en_rollen() -> tuple[dict[str, Kader], list[str], dict[str, str]]:
    """The two benchmark kaders (`KADERS`), the rol ids of the vragenlijsten and their names.

    The set of kaders is pinned so that figures stay comparable when kaders are added.
    Errors in other kader or vragenlijst files are reported on stderr and otherwise
    ignored (the app skips such files too); a missing benchmark kader is an error.
    """
    from bench import voortgang
    from kader import laad_kaders
    from vragenlijsten import laad_vragenlijsten

    res = laad_kaders()
    lijsten = laad_vragenlijsten(res.kaders)
    for fout in sorted({str(f) for f in [*res.fouten, *lijsten.fouten]} - _GEMELD):
        _GEMELD.add(fout)
        voortgang(f"waarschuwing: bestand overgeslagen: {fout}")
    ontbreekt = [k for k in KADERS if k not in res.kaders]
    if ontbreekt:
        raise RuntimeError(f"kader(s) niet geladen: {', '.join(ontbreekt)}")
    if not lijsten.lijsten:
        raise RuntimeError("geen vragenlijsten geladen")
    return {k: res.kaders[k] for k in KADERS}, list(lijsten.lijsten), lijsten.rol_namen()
