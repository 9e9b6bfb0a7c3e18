"""Analysis of the answers: spread, ordinal consensus, gaps between groups, and a
conversation agenda ranked by disagreement.

Input is the uitwisselformaat (see `rapport.aggregatie`): string columns
``gemeente, ronde, respondent, rol, kader, criterium, score, toelichting``. ``score``
is a scale value ('1'..'4'), ``'weet_niet'`` or ``'nvt'``; the last two are counted
(as a share of all answers given) but never scored.

Like `rapport.aggregatie.aggregeer`, nothing here splits by gemeente or ronde: filter
first (`rapport.aggregatie.filter_antwoorden`) to report on one gemeente and ronde.

Anonymity (see docs/analyse.md):

* Rol groups are formed by `rapport.groepen.rolgroepen`: a rol with fewer than
  ``drempel`` respondents (`rapport.groepen.anonimiteitsdrempel`: default 3, env
  ``ZBT_ANONIMITEIT_DREMPEL``) is merged into "Overige partners", so no group below
  the threshold is ever shown.
* On top of that, per item: a group's score statistics are only shown when at least
  ``drempel`` respondents of that group gave a score on that item, and its shares
  (weet niet / nvt) only when at least ``drempel`` of them answered it at all.
  Otherwise those numbers are NaN and ``onderdrukt`` is True. This matters when
  questionnaires differ per rol: a merged group can be big overall and still have a
  single respondent on one criterium.
* The 'Alle respondenten' row is the whole and is always shown.

The statistics are vectorised (`rapport.statistiek`, the core shared with
`rapport.aggregatie`): integer group codes, ``numpy.bincount`` and one sort per level,
no Python loop per answer or per group.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from kader.model import Kader
from rapport.groepen import ALLE, anonimiteitsdrempel, groep_volgorde, rolgroepen
from rapport.statistiek import aantal_verschillend, lees_scores, per_groep
from rapport.workshop import toelichtingen

GEMEENTE_ROL = "gemeente"
"""Rol id of the gemeente's own respondents (the other roles are the partners)."""

NIVEAUS = ("criterium", "thema", "kader")

KOLOMMEN = (
    "kader",
    "niveau",
    "id",
    "kort",
    "thema_id",
    "groep",
    "respondenten",
    "respondenten_gescoord",
    "aantal_antwoorden",
    "n",
    "gemiddelde",
    "mediaan",
    "q1",
    "q3",
    "iqr",
    "minimum",
    "maximum",
    "aandeel_weet_niet",
    "aandeel_nvt",
    "consensus",
    "onderdrukt",
)
"""Columns of `analyseer`, in this order."""

SCORE_KOLOMMEN = ("gemiddelde", "mediaan", "q1", "q3", "iqr", "minimum", "maximum", "consensus")
AANDEEL_KOLOMMEN = ("aandeel_weet_niet", "aandeel_nvt")

KLOOF_KOLOMMEN = (
    "kader",
    "id",
    "kort",
    "thema_id",
    "respondenten_gemeente",
    "gemiddelde_gemeente",
    "respondenten_partners",
    "gemiddelde_partners",
    "kloof",
    "reden",
)

DECIMALEN = 3
"""Decimals of every non-integer number in the CLI output (`rond_af`)."""

# Numbers are rounded to this many decimals before they are compared (agenda order,
# thresholds), so floating-point noise never decides a rank or a flag.
VERGELIJK_DECIMALEN = 9

AGENDA_GEWICHT_TUSSEN = 0.5
AGENDA_GEWICHT_BINNEN = 0.5
"""Weights of between-group and within-group disagreement in the agenda score."""


def _rond(waarde: float) -> float:
    return round(float(waarde), VERGELIJK_DECIMALEN)


def schaalbreedte(kader: Kader) -> float:
    """d_X of Tastle & Wierman: maximum minus minimum of the kader's SCALE (not the data)."""
    return float(kader.schaal.maximum - kader.schaal.minimum)


def groepen_van(
    antwoorden: pd.DataFrame,
    kader: Kader,
    *,
    drempel: int | None = None,
    rol_namen: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """rol id -> display group for this kader's answers (`rapport.groepen.rolgroepen`).

    Only respondents who answered this kader count towards a group's size.
    """
    return rolgroepen(lees_scores(antwoorden, kader).antwoorden, rol_namen, anonimiteitsdrempel(drempel))


def consensus_maat(verdeling: Mapping[float, float] | pd.Series, minimum: float, maximum: float) -> float:
    """Tastle & Wierman (2007) consensus of one distribution {scale value: count}.

    Cns(X) = 1 + sum_i p_i * log2(1 - |X_i - mu| / d_X), with d_X = maximum - minimum
    of the scale. NaN without answers. A plain reference implementation; `analyseer`
    computes the same vectorised.
    """
    items = [(float(x), float(c)) for x, c in dict(verdeling).items() if c > 0]
    n = sum(c for _, c in items)
    if n == 0:
        return float("nan")
    d = float(maximum - minimum)
    if d == 0:
        return 1.0
    mu = sum(x * c for x, c in items) / n
    som = sum((c / n) * np.log2(1 - abs(x - mu) / d) for x, c in items)
    return float(min(1.0, max(0.0, 1.0 + som)))


def analyseer(
    antwoorden: pd.DataFrame,
    kader: Kader,
    *,
    drempel: int | None = None,
    rol_namen: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Statistics per (niveau, id, groep) for one kader; columns `KOLOMMEN`.

    - ``niveau``: 'criterium', 'thema' or 'kader'. Thema rows pool every answer to
      the thema's criteria, the kader row pools all answers (every answer weighs the
      same, as in `aggregeer`). ``kort`` is Criterium.kort / Thema.titel / Kader.titel;
      ``thema_id`` is '' on the kader row.
    - ``groep``: 'Alle respondenten', then the rol groups after the anonymity merge of
      `rapport.groepen.rolgroepen` (named groups by rol id, 'Overige partners' last).
      When every rol had to be merged there are only 'Alle respondenten' rows.
    - ``respondenten``: distinct respondents with any answer on the item;
      ``respondenten_gescoord``: those with a score; ``aantal_antwoorden``: answers
      given (scores + weet_niet + nvt); ``n``: scored answers.
    - ``gemiddelde``, ``mediaan``, ``q1``, ``q3`` (linear interpolation, numpy's
      default), ``iqr`` = q3 - q1, ``minimum``, ``maximum`` over the scores.
    - ``aandeel_weet_niet``, ``aandeel_nvt``: share of ``aantal_antwoorden``.
    - ``consensus``: Tastle & Wierman (2007), with d_X the width of the kader's scale.
    - ``onderdrukt``: a rol-group row whose numbers are (partly) hidden because fewer
      than ``drempel`` of its respondents answered / scored this item (module doc).

    Every item appears for every group (n=0 and NaN when nobody answered). Order:
    criterium rows, thema rows, kader row, each in kader order; within an item the
    groups in the order above.
    """
    drempel = anonimiteitsdrempel(drempel)
    scores = lees_scores(antwoorden, kader)
    df, crit = scores.antwoorden, scores.criterium
    groepen = rolgroepen(df, rol_namen, drempel)
    groep_namen = [ALLE.label, *groep_volgorde(groepen)]
    slot_van = {g: i for i, g in enumerate(groep_namen) if g != ALLE.label}
    rol_naar_slot = {r: slot_van.get(g, -1) for r, g in groepen.items()}  # -1: no group of its own
    rol_slot = df["rol"].astype(object).map(rol_naar_slot).fillna(-1).to_numpy("int64")
    respondent = np.asarray(pd.factorize(df["respondent"])[0], dtype="int64")
    n_slot = len(groep_namen)
    in_groep = rol_slot >= 1

    criteria = kader.criteria
    themas = kader.themas
    thema_pos = {t.id: i for i, t in enumerate(themas)}
    thema_van_crit = np.array([thema_pos[c.thema_id] for c in criteria], "int64")
    niveaus = (
        ("criterium", crit, [c.id for c in criteria], [c.kort for c in criteria],
         [c.thema_id for c in criteria]),
        ("thema", thema_van_crit[crit], [t.id for t in themas],
         [t.titel for t in themas], [t.id for t in themas]),
        ("kader", np.zeros(len(crit), "int64"), [kader.id], [kader.titel], [""]),
    )

    delen = []
    for niveau, item, ids, korts, thema_ids in niveaus:
        n_item = len(ids)
        aantal = n_item * n_slot
        # every answer counts once for 'Alle respondenten' (slot 0) and once for its group
        code = np.concatenate([item * n_slot, (item * n_slot + rol_slot)[in_groep]])
        stats = per_groep(
            code,
            aantal,
            np.concatenate([scores.score, scores.score[in_groep]]),
            np.concatenate([scores.weet_niet, scores.weet_niet[in_groep]]),
            np.concatenate([scores.nvt, scores.nvt[in_groep]]),
            respondent=np.concatenate([respondent, respondent[in_groep]]),
            schaal=kader.schaal.waarden,
        )
        slot = np.tile(np.arange(n_slot), n_item)
        groep_rij = slot >= 1
        te_weinig_scores = groep_rij & (stats["respondenten_gescoord"] < drempel)
        te_weinig_antwoorden = groep_rij & (stats["respondenten"] < drempel)
        for kolom in SCORE_KOLOMMEN:
            stats[kolom][te_weinig_scores] = np.nan
        for kolom in AANDEEL_KOLOMMEN:
            stats[kolom][te_weinig_antwoorden] = np.nan
        item_rij = np.repeat(np.arange(n_item), n_slot)
        deel = {
            "kader": np.full(aantal, kader.id, dtype=object),
            "niveau": np.full(aantal, niveau, dtype=object),
            "id": np.asarray(ids, dtype=object)[item_rij],
            "kort": np.asarray(korts, dtype=object)[item_rij],
            "thema_id": np.asarray(thema_ids, dtype=object)[item_rij],
            "groep": np.asarray(groep_namen, dtype=object)[slot],
        }
        deel.update(stats)
        deel["onderdrukt"] = te_weinig_scores & (stats["respondenten"] > 0)
        delen.append(pd.DataFrame(deel, columns=list(KOLOMMEN)))

    out = pd.concat(delen, ignore_index=True)
    for kolom in KOLOMMEN[:6]:
        out[kolom] = out[kolom].astype(str)
    return out


def rond_af(tabel: pd.DataFrame, decimalen: int = DECIMALEN) -> pd.DataFrame:
    """A copy with every float column rounded to ``decimalen`` decimals (numpy.round:
    round half to even on the binary value); integer, boolean and text columns as is."""
    uit = tabel.copy()
    for kolom in uit.columns:
        if pd.api.types.is_float_dtype(uit[kolom]):
            uit[kolom] = uit[kolom].round(decimalen)
    return uit


def kloof(
    antwoorden: pd.DataFrame,
    kader: Kader,
    *,
    drempel: int | None = None,
    gemeente_rol: str = GEMEENTE_ROL,
) -> pd.DataFrame:
    """Per criterium: the gemeente's mean against the partners' mean (all other roles).

    Columns `KLOOF_KOLOMMEN`. ``kloof`` = gemiddelde_gemeente - gemiddelde_partners.
    ``respondenten_*`` count distinct respondents with a score on the criterium. A side
    with fewer than ``drempel`` of them is not shown: its mean is NaN, ``kloof`` is
    NaN and ``reden`` says why (otherwise ``reden`` is ''). One row per criterium,
    in kader order.
    """
    drempel = anonimiteitsdrempel(drempel)
    scores = lees_scores(antwoorden, kader)
    df, crit, score = scores.antwoorden, scores.criterium, scores.score
    geldig = ~np.isnan(score)
    is_gemeente = np.asarray(df["rol"] == gemeente_rol, dtype=bool)
    respondent = np.asarray(pd.factorize(df["respondent"])[0], dtype="int64")
    criteria = kader.criteria
    n_crit = len(criteria)
    kanten = {}
    for naam, masker in (("gemeente", geldig & is_gemeente), ("partners", geldig & ~is_gemeente)):
        c = crit[masker]
        n = np.bincount(c, minlength=n_crit)
        with np.errstate(invalid="ignore", divide="ignore"):
            gem = np.bincount(c, weights=score[masker], minlength=n_crit) / n
        r = aantal_verschillend(c, respondent[masker], n_crit)
        gem = np.where(r >= drempel, gem, np.nan)
        kanten[naam] = (r, gem)
    r_g, gem_g = kanten["gemeente"]
    r_p, gem_p = kanten["partners"]
    genoeg = (r_g >= drempel) & (r_p >= drempel)
    redenen = [
        ""
        if ok
        else (
            f"Te weinig respondenten met een score om te vergelijken: gemeente {g}, "
            f"partners {p}; minstens {drempel} aan elke kant nodig."
        )
        for ok, g, p in zip(genoeg, r_g, r_p)
    ]
    return pd.DataFrame(
        {
            "kader": [kader.id] * n_crit,
            "id": [c.id for c in criteria],
            "kort": [c.kort for c in criteria],
            "thema_id": [c.thema_id for c in criteria],
            "respondenten_gemeente": r_g.astype("int64"),
            "gemiddelde_gemeente": gem_g,
            "respondenten_partners": r_p.astype("int64"),
            "gemiddelde_partners": gem_p,
            "kloof": np.where(genoeg, gem_g - gem_p, np.nan),
            "reden": redenen,
        },
        columns=list(KLOOF_KOLOMMEN),
    )


def met_consensus(analyse_df: pd.DataFrame, consensus_df: pd.DataFrame) -> pd.DataFrame:
    """`analyseer` output with the workshop's consensus score beside the individual mean.

    ``consensus_df`` has the columns gemeente, ronde, kader, criterium, score, motivatie
    (`storage.repository.consensus_df`); pass the consensus of the same gemeente and
    ronde as the answers. Added columns, filled on criterium rows (every groep) and
    NaN elsewhere or when the workshop gave no consensus:

    - ``consensus_antwoord``: the agreed answer as stored ('3', 'weet_niet', 'nvt');
    - ``consensus_score``: that answer as a number (NaN for weet_niet / nvt);
    - ``consensus_motivatie``;
    - ``consensus_verschil`` = consensus_score - gemiddelde (positive: the group agreed
      on a higher score than the individual answers gave on average).

    Raises ValueError when ``consensus_df`` holds more than one consensus for a
    (kader, criterium), i.e. more than one gemeente or ronde.
    """
    c = consensus_df.loc[:, ["kader", "criterium", "score", "motivatie"]].copy()
    dubbel = c.duplicated(["kader", "criterium"], keep=False)
    if dubbel.any():
        voorbeeld = c.loc[dubbel].iloc[0]
        raise ValueError(
            f"Er is meer dan één consensus voor criterium '{voorbeeld['criterium']}' van kader "
            f"'{voorbeeld['kader']}'. Filter eerst op één gemeente en ronde."
        )
    c = c.rename(columns={"criterium": "id", "score": "consensus_antwoord", "motivatie": "consensus_motivatie"})
    c["niveau"] = "criterium"
    c["consensus_antwoord"] = c["consensus_antwoord"].astype(object)
    c["consensus_motivatie"] = c["consensus_motivatie"].astype(object)
    uit = analyse_df.merge(c, on=["kader", "niveau", "id"], how="left", validate="many_to_one")
    uit.index = analyse_df.index
    uit["consensus_score"] = pd.to_numeric(
        uit["consensus_antwoord"].astype(str).str.strip(), errors="coerce"
    ).astype("float64")
    uit["consensus_verschil"] = uit["consensus_score"] - uit["gemiddelde"]
    volgorde = [*analyse_df.columns, "consensus_antwoord", "consensus_score", "consensus_motivatie",
                "consensus_verschil"]
    return uit[volgorde]


def groepsverschillen(analyse_df: pd.DataFrame) -> pd.DataFrame:
    """Per (kader, niveau, id): the largest pairwise difference between the group means
    that are shown (rol groups only, suppressed rows excluded), and which groups.

    Columns kader, niveau, id, aantal_groepen, hoogste_groep, laagste_groep,
    groepsverschil (NaN with fewer than two groups). The largest pairwise difference
    is the highest group mean minus the lowest.
    """
    g = analyse_df.loc[(analyse_df["groep"] != ALLE.label) & analyse_df["gemiddelde"].notna(),
                       ["kader", "niveau", "id", "groep", "gemiddelde"]]
    sleutel = ["kader", "niveau", "id"]
    if g.empty:
        return pd.DataFrame(columns=[*sleutel, "aantal_groepen", "hoogste_groep", "laagste_groep",
                                     "groepsverschil"])
    gesorteerd = g.sort_values([*sleutel, "gemiddelde", "groep"], kind="stable")
    per = gesorteerd.groupby(sleutel, sort=False)
    uit = pd.DataFrame({
        "aantal_groepen": per["gemiddelde"].size(),
        "laagste_groep": per["groep"].first(),
        "hoogste_groep": per["groep"].last(),
        "laagste": per["gemiddelde"].first(),
        "hoogste": per["gemiddelde"].last(),
    }).reset_index()
    uit["groepsverschil"] = np.where(uit["aantal_groepen"] >= 2, uit["hoogste"] - uit["laagste"], np.nan)
    return uit[[*sleutel, "aantal_groepen", "hoogste_groep", "laagste_groep", "groepsverschil"]]


def gespreksagenda(
    antwoorden: pd.DataFrame,
    kader: Kader,
    *,
    drempel: int | None = None,
    rol_namen: Mapping[str, str] | None = None,
    aantal: int | None = None,
) -> list[dict]:
    """Criteria ranked by disagreement, most to discuss first (docs/analyse.md).

    onenigheid = AGENDA_GEWICHT_TUSSEN * groepsverschil / d_X
               + AGENDA_GEWICHT_BINNEN * (1 - consensus)

    with groepsverschil the largest difference between the shown group means (0 when
    fewer than two groups can be shown), d_X the width of the scale and consensus the
    Tastle & Wierman measure over all respondents. Both parts lie in [0, 1], so
    onenigheid does too. Ties: larger groepsverschil first, then lower consensus, then
    lower gemiddelde, then kader order. Criteria without any score are left out.
    ``aantal`` keeps only the first so many.

    Each item: rang, kader, id, kort, tekst, thema_id, onenigheid, tussen_groepen
    (groepsverschil, NaN when not computable), tussen_groepen_geschaald, binnen_groepen
    (1 - consensus), consensus, gemiddelde, n, groepsgemiddelden {groep: mean},
    hoogste_groep, laagste_groep, toelichtingen (`rapport.workshop.toelichtingen`:
    groep, score, tekst; no pseudonyms).
    """
    drempel = anonimiteitsdrempel(drempel)
    tabel = analyseer(antwoorden, kader, drempel=drempel, rol_namen=rol_namen)
    groepen = groepen_van(antwoorden, kader, drempel=drempel, rol_namen=rol_namen)
    crit = tabel.loc[tabel["niveau"] == "criterium"]
    alle = crit.loc[crit["groep"] == ALLE.label].set_index("id")
    verschil = groepsverschillen(crit).set_index("id")
    d = schaalbreedte(kader)

    kandidaten = []
    for positie, c in enumerate(kader.criteria):
        r = alle.loc[c.id]
        if r["n"] == 0:
            continue
        tussen = float(verschil.at[c.id, "groepsverschil"]) if c.id in verschil.index else float("nan")
        geschaald = 0.0 if np.isnan(tussen) or d == 0 else tussen / d
        binnen = 1.0 - float(r["consensus"])
        score = AGENDA_GEWICHT_TUSSEN * geschaald + AGENDA_GEWICHT_BINNEN * binnen
        sleutel = (-_rond(score), -_rond(geschaald), _rond(float(r["consensus"])),
                   _rond(float(r["gemiddelde"])), positie)
        kandidaten.append((sleutel, c, r, tussen, geschaald, binnen, score))
    kandidaten.sort(key=lambda k: k[0])
    if aantal is not None:
        kandidaten = kandidaten[: max(0, aantal)]

    agenda = []
    for rang, (_, c, r, tussen, geschaald, binnen, score) in enumerate(kandidaten, start=1):
        rijen = crit.loc[(crit["id"] == c.id) & (crit["groep"] != ALLE.label) & crit["gemiddelde"].notna()]
        heeft_verschil = c.id in verschil.index and not np.isnan(tussen)
        agenda.append({
            "rang": rang,
            "kader": kader.id,
            "id": c.id,
            "kort": c.kort,
            "tekst": c.tekst,
            "thema_id": c.thema_id,
            "onenigheid": float(score),
            "tussen_groepen": tussen,
            "tussen_groepen_geschaald": float(geschaald),
            "binnen_groepen": float(binnen),
            "consensus": float(r["consensus"]),
            "gemiddelde": float(r["gemiddelde"]),
            "n": int(r["n"]),
            "groepsgemiddelden": {str(g): float(m) for g, m in zip(rijen["groep"], rijen["gemiddelde"])},
            "hoogste_groep": str(verschil.at[c.id, "hoogste_groep"]) if heeft_verschil else None,
            "laagste_groep": str(verschil.at[c.id, "laagste_groep"]) if heeft_verschil else None,
            "toelichtingen": toelichtingen(antwoorden, kader, c.id, groepen, drempel),
        })
    return agenda
