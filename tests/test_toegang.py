"""Staff access: roles, gemeente scope, password checks and account configuration."""
from __future__ import annotations

import pytest

from toegang import (
    Account,
    ConfigFout,
    Gebruiker,
    accounts_uit_omgeving,
    controleer_wachtwoord,
    demo_accounts,
    gebruiker_voor_email,
    hash_wachtwoord,
    lees_accounts,
    mag,
)

HASH = hash_wachtwoord("correct-paard-batterij")


def _accounts():
    return lees_accounts({
        "anna": {"rol": "facilitator", "gemeenten": ["Aadorp"], "wachtwoord_hash": HASH},
        "ivo": {"rol": "inspecteur", "gemeenten": ["Aadorp", "Beestad"], "wachtwoord_hash": HASH},
        "rita": {"rol": "regio-analist", "gemeenten": ["*"], "email": "Rita@Regio.nl"},
        "bea": {"rol": "beheerder", "gemeenten": ["*"], "wachtwoord_hash": HASH},
    })


def test_password_check():
    acc = _accounts()
    assert controleer_wachtwoord(acc, "anna", "correct-paard-batterij") == Gebruiker("anna", "facilitator", frozenset({"Aadorp"}))
    assert controleer_wachtwoord(acc, "anna", "fout") is None
    assert controleer_wachtwoord(acc, "onbekend", "correct-paard-batterij") is None
    assert controleer_wachtwoord(acc, "rita", "") is None  # OIDC-only account has no password


@pytest.mark.parametrize("actie,rollen", [
    ("ronde_beheren", {"facilitator", "beheerder"}),
    ("workshop", {"facilitator", "beheerder"}),
    ("toelichtingen_bekijken", {"facilitator", "beheerder", "inspecteur"}),
    ("resultaten_bekijken", {"facilitator", "beheerder", "inspecteur", "regio-analist"}),
    ("verwijderen", {"facilitator", "beheerder"}),
    ("inspectie_voorbereiden", {"inspecteur", "beheerder"}),
    ("regio_vergelijken", {"inspecteur", "beheerder", "regio-analist"}),
    ("regio_deelname", {"facilitator", "beheerder"}),
])
def test_rights_per_role(actie, rollen):
    for rol in ("beheerder", "facilitator", "inspecteur", "regio-analist"):
        g = Gebruiker("x", rol, frozenset({"*"}))
        assert mag(g, actie) == (rol in rollen), (rol, actie)


def test_gemeente_scope():
    anna = Gebruiker("anna", "facilitator", frozenset({"Aadorp"}))
    assert mag(anna, "ronde_beheren", "Aadorp")
    assert not mag(anna, "ronde_beheren", "Beestad")
    assert not mag(None, "resultaten_bekijken", "Aadorp")
    assert not mag(anna, "bestaat-niet")


def test_demo_accounts_see_only_demo():
    demo = demo_accounts()["demo-facilitator"].als_gebruiker()
    assert mag(demo, "ronde_beheren", "Demodorp (fictief)", gemeente_is_demo=True)
    assert not mag(demo, "ronde_beheren", "Aadorp", gemeente_is_demo=False)
    assert controleer_wachtwoord(demo_accounts(), "demo-inspecteur", "demo").rol == "inspecteur"


def test_accounts_from_environment(tmp_path):
    bestand = tmp_path / "gebruikers.toml"
    bestand.write_text(f'[gebruikers.anna]\nrol = "facilitator"\ngemeenten = ["Aadorp"]\nwachtwoord_hash = "{HASH}"\n')
    acc = accounts_uit_omgeving({}, {"ZBT_GEBRUIKERS": str(bestand)})
    assert set(acc) == {"anna"}
    met_demo = accounts_uit_omgeving({}, {"ZBT_GEBRUIKERS": str(bestand), "ZBT_DEMO": "1"})
    assert {"anna", "demo-facilitator"} <= set(met_demo)
    assert accounts_uit_omgeving({}, {}) == {}  # no configuration: no accounts at all


@pytest.mark.parametrize("velden,melding", [
    ({"rol": "koning", "gemeenten": [], "wachtwoord_hash": HASH}, "veld rol"),
    ({"rol": "facilitator", "gemeenten": "Aadorp", "wachtwoord_hash": HASH}, "veld gemeenten"),
    ({"rol": "facilitator", "gemeenten": ["Aadorp"], "wachtwoord_hash": "geheim"}, "geen argon2-hash"),
    ({"rol": "facilitator", "gemeenten": ["Aadorp"]}, "wachtwoord_hash of een email"),
])
def test_bad_account_config_is_refused_in_dutch(velden, melding):
    with pytest.raises(ConfigFout, match=melding):
        lees_accounts({"anna": velden}, "secrets.toml")


def test_oidc_email_maps_to_account():
    acc = _accounts()
    assert gebruiker_voor_email(acc, "rita@regio.nl").rol == "regio-analist"
    assert gebruiker_voor_email(acc, "iemand@anders.nl") is None
    assert gebruiker_voor_email(acc, None) is None


def test_plain_password_never_stored():
    acc: Account = _accounts()["anna"]
    assert "correct-paard-batterij" not in repr(acc)
    assert acc.wachtwoord_hash.startswith("$argon2id$")
