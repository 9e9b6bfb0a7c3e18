"""Shared, cached resources for the pages: kaders, vragenlijsten and the database.

Not a page itself (app.py lists the pages). Everything here is loaded once per
server process; the pages stay thin and call plain modules for the work.

A database that cannot be reached is handled here, in one place: app.py runs every
page through :func:`draai_pagina`, which shows one Dutch notice instead of
Streamlit's (English) error; widget callbacks and auto-refreshing fragments that
touch the database use :func:`bewaak_callback` and :func:`bewaak_fragment`.
"""
from __future__ import annotations

import functools
import logging
import os

import streamlit as st

from kader import laad_kaders, rapportvolgorde
from rapport.opmaak import getal as rapport_getal
from storage.db import DATABASEFOUTEN, is_onbereikbaar, maak_engine, migreer, reden_onbereikbaar
from views.tekst import md
from vragenlijsten import laad_vragenlijsten

DEMO_ENV = "ZBT_DEMO"


@st.cache_resource(show_spinner=False)
def kader_resultaat():
    return laad_kaders()


@st.cache_resource(show_spinner=False)
def koppelingen_resultaat():
    """Koppelbestanden (kader/koppelingen/) checked against the loaded kaders."""
    from kader.koppeling import laad_koppelingen

    return laad_koppelingen(dict(kader_resultaat().kaders))


def koppelingen():
    """The valid kader-version mappings (see docs/kaderversies.md)."""
    return koppelingen_resultaat()[0]


def kaders():
    """Valid kaders, toezichtkaders (with criteria) first, then the others, each by id."""
    alle = kader_resultaat().kaders
    return {k.id: k for k in rapportvolgorde(alle, alle)}


def getal(waarde) -> str:
    """A number the Dutch way (2,8; '–' when missing), as in the PDF; text such as '–' passes through."""
    return str(waarde) if isinstance(waarde, str) else rapport_getal(waarde)


@st.cache_resource(show_spinner=False)
def vragenlijsten():
    return laad_vragenlijsten(kaders())


def rol_namen() -> dict[str, str]:
    return vragenlijsten().rol_namen()


@st.cache_resource(show_spinner="Database voorbereiden…")
def engine():
    """The migrated engine, once per process. When this fails (database unreachable at
    start-up) nothing is cached: the next request tries again, so the app works as soon
    as the database is back, without a restart."""
    eng = maak_engine()
    try:
        migreer(eng)
        if os.environ.get(DEMO_ENV, "") == "1":
            from storage.demo import vul_demo

            vul_demo(eng, kaders(), vragenlijsten().paren())
    except BaseException:
        eng.dispose()
        raise
    return eng


# --- database outage --------------------------------------------------------------

_LOG = logging.getLogger(__name__)
DATABASE_ONBEREIKBAAR = ("**De database is op dit moment niet bereikbaar.** Wat al was opgeslagen, zoals "
                         "eerder gegeven antwoorden, is veilig. Probeer het over een minuut opnieuw.")
_STORING_IN_CALLBACK = "_database_onbereikbaar_in_callback"


def _meld_storing(exc: BaseException) -> None:
    """For the operator: one line in the server log (the page shows no details)."""
    _LOG.warning("Database niet bereikbaar (%s): %s", reden_onbereikbaar(exc) or "onbekende reden",
                 (str(exc).splitlines() or [type(exc).__name__])[0])


def toon_database_onbereikbaar() -> None:
    st.error(DATABASE_ONBEREIKBAAR, icon=":material/cloud_off:")


def draai_pagina(pagina) -> None:
    """Run the page chosen by st.navigation. When the database cannot be reached (here
    or in a widget callback just before), the page shows one Dutch notice and stops;
    every other error surfaces as usual."""
    in_callback = st.session_state.pop(_STORING_IN_CALLBACK, False)
    getoond = False
    try:
        pagina.run()
    except DATABASEFOUTEN as exc:
        if not is_onbereikbaar(exc):
            raise
        _meld_storing(exc)
        toon_database_onbereikbaar()
        getoond = True
        st.stop()  # a stop, not an end: widget values this run did not reach are kept
    finally:
        if in_callback and not getoond:  # the page itself got through (or stopped early)
            toon_database_onbereikbaar()


def bewaak_callback(functie):
    """For a widget callback that writes to the database: an outage does not raise
    (Streamlit would show its English error before the page runs) but is reported by
    :func:`draai_pagina` on this run."""
    @functools.wraps(functie)
    def bewaakt(*args, **kwargs):
        try:
            return functie(*args, **kwargs)
        except DATABASEFOUTEN as exc:
            if not is_onbereikbaar(exc):
                raise
            _meld_storing(exc)
            st.session_state[_STORING_IN_CALLBACK] = True
    return bewaakt


def bewaak_fragment(functie):
    """For the body of an st.fragment that reads the database (its reruns bypass
    :func:`draai_pagina`): an outage shows the Dutch notice inside the fragment."""
    @functools.wraps(functie)
    def bewaakt(*args, **kwargs):
        try:
            return functie(*args, **kwargs)
        except DATABASEFOUTEN as exc:
            if not is_onbereikbaar(exc):
                raise
            _meld_storing(exc)
            toon_database_onbereikbaar()
    return bewaakt


def toon_kaderfouten() -> None:
    """Broken kader or vragenlijst files: say which and why; the valid ones keep working."""
    fouten = [*kader_resultaat().fouten, *vragenlijsten().fouten, *koppelingen_resultaat()[1]]
    for fout in fouten:
        st.error(f"Dit bestand wordt overgeslagen omdat er een fout in staat — {md(fout)}", icon=":material/error:")


def ronde_label(r) -> str:
    """How a ronde is named in every selector: 'Gemeente · label (gesloten) — DEMO (fictief)'.

    Plain text, for ``st.selectbox``'s format_func (which shows it as it is); put it
    through `views.tekst.md` before it goes into anything that reads markdown.
    """
    demo = " — DEMO (fictief)" if r.demo else ""
    status = " (gesloten)" if r.status == "gesloten" else ""
    return f"{r.gemeente} · {r.label}{status}{demo}"


# --- staff access -------------------------------------------------------------

def _secrets() -> dict:
    try:
        return {k: st.secrets[k] for k in st.secrets}
    except Exception:  # no secrets.toml: that's fine, accounts may come from the environment
        return {}


def accounts():
    """The staff accounts, fresh on every call: removing one from the configuration
    takes effect on that person's next request (toegang re-reads the file when it
    changes; Streamlit reloads secrets.toml itself; demo password hashes stay cached)."""
    from toegang import accounts_uit_omgeving

    return accounts_uit_omgeving(_secrets())


def oidc_ingesteld() -> bool:
    return "auth" in _secrets()


def huidige_gebruiker():
    """The signed-in staff member, re-checked against the configuration on every run."""
    from toegang import gebruiker_voor_email

    gebruiker = st.session_state.get("gebruiker")
    if gebruiker is not None:
        account = accounts().get(gebruiker.naam)
        if account is None or account.als_gebruiker() != gebruiker:
            st.session_state.pop("gebruiker", None)  # account removed or changed: sign in again
            return None
        return gebruiker
    if oidc_ingesteld() and getattr(st.user, "is_logged_in", False):
        return gebruiker_voor_email(accounts(), st.user.get("email"))
    return None


def vereis(actie: str):
    """Stop the page unless a signed-in user may do `actie`; returns that user."""
    from toegang import mag

    gebruiker = huidige_gebruiker()
    if gebruiker is None:
        st.warning("Deze pagina is alleen voor medewerkers. Log eerst in via **Inloggen** in het menu.",
                   icon=":material/lock:")
        st.stop()
    if not mag(gebruiker, actie):
        st.error("U heeft geen rechten voor deze pagina.", icon=":material/block:")
        st.stop()
    return gebruiker


def zichtbare_rondes(rondes, actie: str = "resultaten_bekijken"):
    """Demo rondes for everyone; real rondes only for staff with `actie` on that gemeente."""
    from toegang import mag

    gebruiker = huidige_gebruiker()
    return [r for r in rondes if r.demo or mag(gebruiker, actie, r.gemeente, r.demo)]


def client_sleutel() -> str:
    """Who is knocking, for rate limiting: 'ip:<address>' where known, else 'onbekend'
    (one shared counter; never per session). See toegang.client for the rules."""
    from toegang.client import client_sleutel as sleutel
    from toegang.client import vertrouwde_proxies

    headers = st.context.headers
    # Streamlit reports None for 127.0.0.1 and ::1; on a real connection there are headers
    peer = st.context.ip_address or ("127.0.0.1" if len(headers) else None)
    return sleutel(peer, headers, vertrouwde_proxies())


def nieuwste(rondes):
    """The ronde a page starts on: the most recently opened one (open before closed)."""
    return max(rondes, key=lambda r: (r.is_open, r.aangemaakt, r.id))


def kies_ronde(rondes, label: str = "Ronde", plek=st):
    """A ronde selector that remembers the choice across pages (`gekozen_ronde`).

    The widget's value lives in session state, so code can select a ronde (for
    instance one it just opened) by setting `gekozen_ronde` and dropping the key.
    """
    ids = [r.id for r in rondes]
    per_id = {r.id: r for r in rondes}
    if st.session_state.get("ronde_keuze") not in ids:
        gekozen = st.session_state.get("gekozen_ronde")
        st.session_state["ronde_keuze"] = gekozen if gekozen in ids else nieuwste(rondes).id
    keuze = plek.selectbox(label, ids, key="ronde_keuze", format_func=lambda i: ronde_label(per_id[i]))
    st.session_state["gekozen_ronde"] = keuze
    return per_id[keuze]


def selecteer_ronde(ronde_id: int) -> None:
    """Make `ronde_id` the chosen ronde on the next run."""
    st.session_state["gekozen_ronde"] = ronde_id
    st.session_state.pop("ronde_keuze", None)
