"""The storage API in one place: re-exports the public functions, records and limits of
the storage modules, so every caller keeps one style::

    from storage import repository as repo
    repo.maak_ronde(engine, gemeente_id, "2026", versies, door=gebruiker)

The code lives in modules named after concepts:

=====================  ==============================================================
storage.records        the frozen dataclasses every function returns
storage.controle       checks shared by the modules: ids, names, roles, scores,
                       locking an open ronde
storage.gemeenten      gemeenten and regio, the regional comparison
storage.rondes         rondes: create, read, open/close
storage.respondenten   respondents, resume codes, pseudonyms, practising
storage.antwoorden     answers with their audit trail, the answers DataFrame
storage.importeren     importing an answers DataFrame, all or nothing
storage.uitnodigingen  invitation codes and joining with one
storage.workshop       workshop phase, live counts, consensus
storage.tweede_stem    the second silent vote after the discussion of a criterium
storage.verbeterplan   actions, previous ronde, carrying actions over
storage.avg            privacy: delete a ronde, export a gemeente
storage.pogingen       rate limiting (attempts)
storage.sessies        staff sessions that outlive a browser tab (hashes only)
=====================  ==============================================================

Conventions, for every module: every public function takes an
:class:`~sqlalchemy.Engine` as its first argument and runs in its own transaction
(one commit for writes). Every staff write also takes ``door``, the acting
:class:`toegang.Gebruiker`, and checks its scope inside that transaction (see
:mod:`storage.bereik`); command lines act as ``storage.bereik.SYSTEEM``. They return
small frozen dataclasses (:mod:`storage.records`) or plain values, never ORM objects,
so callers (Streamlit pages, reports) need no session handling. Errors meant for
users are ``ValueError`` with a Dutch message; import errors are
``uitwisselformaat.UitwisselFout`` (a ValueError) with row and column.

This module only re-exports (its ``__all__`` is the API). To change a module's
behaviour in a test, patch the module that defines the name (for example
``storage.pogingen.nu``), not this facade.
"""
from __future__ import annotations

from storage.antwoorden import (
    antwoorden_df,
    antwoorden_van,
    bewaar_antwoord,
    wijzigingen_van,
)
from storage.avg import (
    EXPORT_FORMAAT,
    EXPORT_VERSIE,
    exporteer_gemeente,
    verwijder_ronde,
)
from storage.controle import (
    MAX_ID,
    MAX_ORGANISATIE,
    MAX_ROL,
)
from storage.gemeenten import (
    gemeenten,
    maak_gemeente,
    regio_antwoorden,
    regios,
    zet_regio_vergelijking,
)
from storage.importeren import (
    importeer_antwoorden,
)
from storage.pogingen import (
    POGING_BEWAARTERMIJN,
    POGING_OPRUIMKANS,
    gelukte_poging,
    registreer_poging,
    ruim_pogingen_op,
    te_veel_pogingen,
)
from storage.records import (
    ActieInfo,
    ActieWijzigingInfo,
    ConsensusWijzigingInfo,
    GemeenteInfo,
    ImportResultaat,
    RespondentInfo,
    RondeInfo,
    UitnodigingInfo,
    Wijziging,
)
from storage.respondenten import (
    HERVAT_ALFABET,
    HERVAT_LENGTE,
    PSEUDONIEM_ALFABET,
    PSEUDONIEM_LENGTE,
    hervat_hash,
    maak_respondent,
    nieuw_pseudoniem,
    nieuwe_hervatcode,
    normaliseer_hervatcode,
    oefen_respondent,
    respondent,
    respondent_met_hervatcode,
)
from storage.rondes import (
    JAAR_MAX,
    JAAR_MIN,
    maak_ronde,
    ronde,
    rondes,
    standaard_jaar,
    zet_ronde_status,
)
from storage.sessies import (
    SESSIE_BEWAARTERMIJN,
    beeindig_sessie,
    maak_overdracht,
    ruim_sessies_op,
    sessie_gebruiker,
    wissel_overdracht,
)
from storage.tweede_stem import (
    TweedeStemStand,
    bewaar_tweede_stem,
    open_tweede_stem,
    sluit_tweede_stem,
    stand_tweede_stem,
    tweede_stem_van,
    tweede_stemmen_df,
)
from storage.uitnodigingen import (
    MAX_DEELNEMERS_PER_CODE,
    UITNODIGING_BITS,
    UITNODIGING_LENGTE,
    maak_uitnodigingen,
    nieuwe_uitnodigingscode,
    respondent_via_uitnodiging,
    trek_uitnodigingen_in,
    uitnodiging_met_code,
    uitnodigingen,
)
from storage.verbeterplan import (
    ACTIE_WIJZIGBAAR,
    MAX_EIGENAAR,
    actie_wijzigingen,
    acties_van,
    maak_actie,
    neem_acties_over,
    verwijder_actie,
    voortgang_acties,
    vorige_ronde,
    wijzig_actie,
)
from storage.workshop import (
    CONSENSUS_KOLOMMEN,
    MAX_MOTIVATIE,
    aantallen_per_rol,
    bewaar_consensus,
    consensus_df,
    consensus_van,
    consensus_wijzigingen,
    voortgang_per_criterium,
    zet_fase,
)

__all__ = [
    "ACTIE_WIJZIGBAAR",
    "CONSENSUS_KOLOMMEN",
    "EXPORT_FORMAAT",
    "EXPORT_VERSIE",
    "HERVAT_ALFABET",
    "HERVAT_LENGTE",
    "JAAR_MAX",
    "JAAR_MIN",
    "MAX_DEELNEMERS_PER_CODE",
    "MAX_EIGENAAR",
    "MAX_ID",
    "MAX_MOTIVATIE",
    "MAX_ORGANISATIE",
    "MAX_ROL",
    "POGING_BEWAARTERMIJN",
    "POGING_OPRUIMKANS",
    "PSEUDONIEM_ALFABET",
    "PSEUDONIEM_LENGTE",
    "UITNODIGING_BITS",
    "UITNODIGING_LENGTE",
    "ActieInfo",
    "ActieWijzigingInfo",
    "ConsensusWijzigingInfo",
    "GemeenteInfo",
    "ImportResultaat",
    "RespondentInfo",
    "SESSIE_BEWAARTERMIJN",
    "RondeInfo",
    "UitnodigingInfo",
    "Wijziging",
    "aantallen_per_rol",
    "actie_wijzigingen",
    "acties_van",
    "antwoorden_df",
    "antwoorden_van",
    "beeindig_sessie",
    "bewaar_antwoord",
    "bewaar_consensus",
    "consensus_df",
    "consensus_van",
    "consensus_wijzigingen",
    "exporteer_gemeente",
    "gelukte_poging",
    "gemeenten",
    "hervat_hash",
    "importeer_antwoorden",
    "maak_actie",
    "maak_gemeente",
    "maak_overdracht",
    "maak_respondent",
    "maak_ronde",
    "maak_uitnodigingen",
    "neem_acties_over",
    "nieuw_pseudoniem",
    "nieuwe_hervatcode",
    "nieuwe_uitnodigingscode",
    "normaliseer_hervatcode",
    "oefen_respondent",
    "regio_antwoorden",
    "regios",
    "registreer_poging",
    "respondent",
    "respondent_met_hervatcode",
    "respondent_via_uitnodiging",
    "ronde",
    "rondes",
    "sessie_gebruiker",
    "ruim_pogingen_op",
    "standaard_jaar",
    "ruim_sessies_op",
    "te_veel_pogingen",
    "trek_uitnodigingen_in",
    "uitnodiging_met_code",
    "uitnodigingen",
    "verwijder_actie",
    "verwijder_ronde",
    "voortgang_acties",
    "voortgang_per_criterium",
    "vorige_ronde",
    "wijzig_actie",
    "wijzigingen_van",
    "wissel_overdracht",
    "zet_fase",
    "zet_regio_vergelijking",
    "zet_ronde_status",
    # second vote (storage.tweede_stem)
    "TweedeStemStand",
    "bewaar_tweede_stem",
    "open_tweede_stem",
    "sluit_tweede_stem",
    "stand_tweede_stem",
    "tweede_stem_van",
    "tweede_stemmen_df",
]

# --- the inventory of overleggen (issue 15, 000 Tabel 2.2) -------------------------------
from storage.overleggen import (  # noqa: E402
    MAX_FREQUENTIE as MAX_FREQUENTIE_OVERLEG,
)
from storage.overleggen import (  # noqa: E402
    MAX_NAAM as MAX_NAAM_OVERLEG,
)
from storage.overleggen import (  # noqa: E402
    OverlegInfo,
    maak_overleg,
    overleggen_van,
    verwijder_overleg,
    wijzig_overleg,
)

__all__ += ["MAX_FREQUENTIE_OVERLEG", "MAX_NAAM_OVERLEG", "OverlegInfo", "maak_overleg", "overleggen_van", "verwijder_overleg", "wijzig_overleg"]
# --- samenwerkingskaart (issue 15, storage/samenwerking.py) ---
from storage.samenwerking import (  # noqa: E402
    bewaar_samenwerking,
    importeer_samenwerking,
    kaart_in_beeld,
    partner_rollen,
    samenwerking_df,
    samenwerking_van,
    samenwerkingskaart_aan,
    zet_kaart_in_beeld,
    zet_samenwerkingskaart,
)

__all__ += [
    "bewaar_samenwerking",
    "importeer_samenwerking",
    "kaart_in_beeld",
    "partner_rollen",
    "samenwerking_df",
    "samenwerking_van",
    "samenwerkingskaart_aan",
    "zet_kaart_in_beeld",
    "zet_samenwerkingskaart",
]
