"""The server: the Streamlit app (app.py) plus two small routes for staff sessions.

Start it with ``streamlit run server.py`` (``make run`` does); Streamlit 1.67 sees the
``st.App`` below and serves app.py through it, with these routes beside its own:

* ``/sessie/start?t=<hand-off>``: the sign-in page (views/inloggen.py) sends the
  browser here right after a successful sign-in. The one-time hand-off becomes a
  session of a working day: the route sets the HttpOnly cookie
  ``toegang.sessie.COOKIE`` and sends the browser back to the app, whose every run
  then carries the cookie (``st.context.cookies``; views/context.py).
* ``/sessie/einde``: ends the session of the cookie (the page has already done so)
  and removes the cookie.

Only these routes can set or clear the cookie: a Streamlit page talks to the browser
over a WebSocket and cannot send Set-Cookie itself. ``streamlit run app.py`` still
works, but then staff stay signed in only in the tab where they signed in.
"""
from __future__ import annotations

import os
from functools import cache

import streamlit as st
from starlette.responses import RedirectResponse
from starlette.routing import Route

from storage import repository as repo
from storage.db import maak_engine
from storage.geheim import geheim
from toegang.sessie import (
    COOKIE,
    cookie_instellingen,
    lees_overdracht,
    lees_sessie,
    meld_routes,
    nieuw_deel,
    onderteken_sessie,
)

HTTPS_ENV = "ZBT_HTTPS"


def _basis() -> str:
    """Streamlit's server.baseUrlPath as '/pad' (or '')."""
    from streamlit import config

    pad = (config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{pad}" if pad else ""


@cache
def _engine():
    """The app's database (the app itself migrates it on its first run)."""
    return maak_engine()


def _https(request) -> bool:
    """Secure cookie when the request came over https: directly, or via a proxy uvicorn
    trusts (FORWARDED_ALLOW_IPS, X-Forwarded-Proto), or when ZBT_HTTPS=1 says so."""
    return request.url.scheme == "https" or os.environ.get(HTTPS_ENV, "") == "1"


def _terug(melding: str | None = None) -> RedirectResponse:
    doel = f"{_basis()}/inloggen" + (f"?sessie={melding}" if melding else "")
    antwoord = RedirectResponse(doel, status_code=303)
    antwoord.headers["Cache-Control"] = "no-store"
    antwoord.headers["Referrer-Policy"] = "no-referrer"
    return antwoord


def sessie_start(request):
    """Exchange a hand-off for a session cookie (once), then back to the sign-in page."""
    # Only from our own page (or typed by the user): another site cannot sign a
    # visitor in to an account of its choosing (login CSRF).
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return _terug("mislukt")
    sleutel = geheim()
    overdracht = lees_overdracht(request.query_params.get("t"), sleutel)
    deel = nieuw_deel()
    if overdracht is None or repo.wissel_overdracht(_engine(), overdracht, deel) is None:
        return _terug("mislukt")
    antwoord = _terug()
    antwoord.set_cookie(value=onderteken_sessie(deel, sleutel), **cookie_instellingen(_https(request)))
    return antwoord


def sessie_einde(request):
    """End the cookie's session (when there is one) and remove the cookie."""
    deel = lees_sessie(request.cookies.get(COOKIE), geheim())
    if deel is not None:
        repo.beeindig_sessie(_engine(), deel)
    antwoord = _terug()
    instellingen = cookie_instellingen(_https(request))
    antwoord.delete_cookie(**{k: v for k, v in instellingen.items() if k != "max_age"})
    return antwoord


ROUTES = f"{_basis()}/sessie"
meld_routes(ROUTES)
app = st.App("app.py", routes=[
    Route(f"{ROUTES}/start", sessie_start, methods=["GET"]),
    Route(f"{ROUTES}/einde", sessie_einde, methods=["GET"]),
])
