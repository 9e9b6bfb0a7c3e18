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


@st.cache_resource(show_spinner=False)
def werkwijze_resultaat():
    """The inspecties' methods and sourced questions (kader/werkwijze.yaml), checked against the kaders."""
    from kader.werkwijze import laad_werkwijze

    return laad_werkwijze(dict(kader_resultaat().kaders))


def werkwijze():
    """The werkwijze, or None when its file has errors (toon_kaderfouten names them)."""
    return werkwijze_resultaat()[0]


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
    fouten = [*kader_resultaat().fouten, *vragenlijsten().fouten, *koppelingen_resultaat()[1],
              *werkwijze_resultaat()[1]]
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


def _sessie_deel() -> str | None:
    """The random part of this browser's session cookie when its signature and age check
    out (toegang.sessie), else None. The cookie came with this connection's WebSocket."""
    from storage.geheim import geheim
    from toegang.sessie import COOKIE, lees_sessie

    try:
        token = st.context.cookies.get(COOKIE)
    except Exception:  # no browser connection (AppTest, bare mode): no cookie
        return None
    return lees_sessie(token, geheim()) if token else None


def _gebruiker_uit_sessie():
    """The staff member of a live server-side session whose account still exists.

    A session whose account was removed from the configuration is ended here, on
    its next request; one that was ended (signed out in another tab) counts no more."""
    from storage import repository as repo

    deel = _sessie_deel()
    if deel is None:
        return None
    try:
        naam = repo.sessie_gebruiker(engine(), deel)
        account = accounts().get(naam) if naam else None
        if naam and account is None:
            repo.beeindig_sessie(engine(), deel)
    except DATABASEFOUTEN as exc:
        if not is_onbereikbaar(exc):
            raise
        _meld_storing(exc)  # the page itself shows the notice when it needs the database
        return None
    return account.als_gebruiker() if account else None


def huidige_gebruiker():
    """The signed-in staff member, re-checked against the configuration on every run:
    signed in in this tab (session state), by the session cookie (views/inloggen.py and
    server.py), or through the organisation's OIDC provider."""
    from toegang import gebruiker_voor_email

    gebruiker = st.session_state.get("gebruiker")
    if gebruiker is not None:
        account = accounts().get(gebruiker.naam)
        if account is None or account.als_gebruiker() != gebruiker:
            st.session_state.pop("gebruiker", None)  # account removed or changed: sign in again
            return None
        return gebruiker
    gebruiker = _gebruiker_uit_sessie()
    if gebruiker is not None:
        return gebruiker
    if oidc_ingesteld() and getattr(st.user, "is_logged_in", False):
        return gebruiker_voor_email(accounts(), st.user.get("email"))
    return None


def begin_sessie(gebruiker) -> None:
    """After a correct password: signed in in this tab at once; where server.py's routes
    run, also a session that outlives the tab (the page then calls :func:`naar_sessieroute`)."""
    from storage import repository as repo
    from storage.geheim import geheim
    from toegang.sessie import nieuw_deel, onderteken_overdracht, routes_basis

    st.session_state["gebruiker"] = gebruiker
    if routes_basis() is None:
        return
    deel = nieuw_deel()
    repo.maak_overdracht(engine(), gebruiker.naam, deel)
    st.session_state[_SESSIEROUTE] = f"start?t={onderteken_overdracht(deel, geheim())}"


def beeindig_sessie() -> None:
    """Sign out: this tab, and the server-side session of the cookie (every tab)."""
    from storage import repository as repo
    from toegang.sessie import routes_basis

    st.session_state.pop("gebruiker", None)
    deel = _sessie_deel()
    if deel is not None:
        repo.beeindig_sessie(engine(), deel)
    if routes_basis() is not None and deel is not None:
        st.session_state[_SESSIEROUTE] = "einde"  # the route removes the cookie


_SESSIEROUTE = "_sessieroute"


def naar_sessieroute() -> bool:
    """When sign-in or sign-out asked for it: send the browser to server.py's route, which
    sets or removes the cookie (only an HTTP response can) and sends it back here. True when
    it did: the page then shows nothing else, so nobody clicks while the browser leaves."""
    import json

    from toegang.sessie import routes_basis

    doel = st.session_state.pop(_SESSIEROUTE, None)
    basis = routes_basis()
    if doel is None or basis is None:
        return False
    st.info("Even geduld: u wordt " + ("uitgelogd…" if doel == "einde" else "ingelogd…"),
            icon=":material/hourglass_top:")
    url = json.dumps(f"{basis}/{doel}").replace("<", "\\u003c")
    st.html(f"<script>window.location.replace({url});</script>", unsafe_allow_javascript=True)
    return True


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


RONDE_KEUZE = "Gemeente en ronde"
"""The one label of the ronde selector, on every page."""
RONDE_PARAM = "ronde"
"""The query parameter that holds the current ronde (``?ronde=<id>``)."""
_GEKOZEN = "gekozen_ronde"
_WIDGET = "ronde_keuze"
_LAATSTE_IN_URL = "_ronde_in_url"


def houd_ronde_vast() -> None:
    """On every run of every page (app.py): the current ronde stays in the URL also on pages
    without a ronde selector (Regio, Kaders, Inloggen), so a reload there keeps it; and a link
    with ``?ronde=<id>`` opened on such a page still holds on the next page (Streamlit drops
    query parameters on a page change). Only the URL is restored: kies_ronde checks it
    against the rights, as for any link, before anything is shown."""
    waarde = st.query_params.get(RONDE_PARAM)
    if waarde is not None:
        st.session_state[_LAATSTE_IN_URL] = str(waarde)
        return
    herstel = st.session_state.get(_GEKOZEN, st.session_state.get(_LAATSTE_IN_URL))
    if herstel is not None:
        st.query_params[RONDE_PARAM] = str(herstel)


def nieuwste(rondes):
    """The ronde a page starts on: the most recently opened one (open before closed)."""
    return max(rondes, key=lambda r: (r.is_open, r.aangemaakt, r.id))


def standaard_ronde(rondes):
    """The ronde a page starts on when nothing was chosen. Anonymous visitors (demo only)
    always get the same one: the newest demo ronde (by year, then label) of the first
    demo gemeente, whatever was created last. Staff get `nieuwste`."""
    if huidige_gebruiker() is None and rondes and all(r.demo for r in rondes):
        from storage.demo import DEMO_EERSTE_GEMEENTE

        eigen = [r for r in rondes if r.gemeente == DEMO_EERSTE_GEMEENTE] or rondes
        return max(eigen, key=lambda r: (r.jaar or 0, r.label, r.gemeente))
    return nieuwste(rondes)


def _ronde_uit_url() -> int | str | None:
    """The ronde id in the URL: an int, the raw text when it is no number, None when absent."""
    waarde = st.query_params.get(RONDE_PARAM)
    if waarde is None:
        return None
    try:
        return int(waarde)
    except ValueError:
        return waarde


def _onthoud_keuze() -> None:
    """on_change of the selector: the choice becomes the app-wide ronde, in the URL too."""
    keuze = st.session_state.get(_WIDGET)
    st.session_state[_GEKOZEN] = keuze
    if keuze is not None:
        st.query_params[RONDE_PARAM] = str(keuze)


def kies_ronde(rondes):
    """The ronde selector of every page: one current ronde, app-wide.

    The current ronde lives in the URL (``?ronde=<id>``: a reload or a shared link keeps
    it) and in the session (`gekozen_ronde`: Streamlit drops query parameters when the
    page changes, so every run puts it back). ``rondes`` are the rondes this user may
    use on this page (checked by the page on every run, see `zichtbare_rondes`); an id
    in the URL outside them is ignored with a short notice.
    """
    ids = [r.id for r in rondes]
    per_id = {r.id: r for r in rondes}
    gevraagd = _ronde_uit_url()
    gekozen = st.session_state.get(_GEKOZEN)
    if gevraagd is not None and gevraagd in per_id:
        keuze = gevraagd
    else:
        keuze = gekozen if gekozen in per_id else standaard_ronde(rondes).id
        if gevraagd is not None and gevraagd != gekozen:
            st.info("De ronde uit de link kunt u hier niet bekijken. U ziet nu "
                    f"{md(ronde_label(per_id[keuze]))}.", icon=":material/info:")
    # the widget's value is set before it is drawn; the user's change arrives through
    # on_change (before this run), which already wrote it to the session and the URL
    st.session_state[_WIDGET] = keuze
    st.selectbox(RONDE_KEUZE, ids, key=_WIDGET, on_change=_onthoud_keuze,
                 format_func=lambda i: ronde_label(per_id[i]))
    if gekozen is None or gekozen in per_id or (gevraagd is not None and gevraagd != gekozen):
        st.session_state[_GEKOZEN] = keuze  # a page that cannot show the remembered ronde keeps it
    st.query_params[RONDE_PARAM] = str(keuze)
    return per_id[keuze]


def selecteer_ronde(ronde_id: int | None) -> None:
    """Make `ronde_id` the current ronde on the next run (None: forget the choice)."""
    st.session_state[_GEKOZEN] = ronde_id
    st.session_state.pop(_WIDGET, None)
    if ronde_id is None:
        st.query_params.pop(RONDE_PARAM, None)
    else:
        st.query_params[RONDE_PARAM] = str(ronde_id)
