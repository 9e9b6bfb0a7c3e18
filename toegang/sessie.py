"""Signed, expiring tokens for staff sessions that outlive one browser tab.

Pure functions, no database (the server-side record is storage/sessies.py). The
signing is done by itsdangerous (HMAC-SHA256 over the value and a timestamp, key
derived with HMAC from the server secret and a purpose-specific salt); this module
writes no cryptography of its own.

Two kinds of token, each with its own salt, so one can never pass for the other:

* the **hand-off** (:func:`onderteken_overdracht`): made right after a successful
  sign-in, valid for :data:`OVERDRACHT_SECONDEN`, used once by the route
  ``/sessie/start`` (server.py) to set the cookie;
* the **session** token (:func:`onderteken_sessie`): the value of the HttpOnly cookie
  :data:`COOKIE`, valid for :data:`GELDIGHEID` (a working day).

Both carry only a random part (:func:`nieuw_deel`); the server stores a keyed hash of
it and ends it at sign-out, so a token that is validly signed still needs a live
record before it counts.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from itsdangerous import BadData, URLSafeTimedSerializer

COOKIE = "zbt_sessie"
GELDIGHEID = timedelta(hours=10)
OVERDRACHT_SECONDEN = 60
COOKIE_PAD = "/"

# Set by server.py when its routes run in this process (`streamlit run server.py`);
# with `streamlit run app.py` there are none, and sign-in stays in the one tab.
_ROUTES: dict[str, str] = {}

_SESSIE_SALT = "zbt-sessie-v1"
_OVERDRACHT_SALT = "zbt-sessie-overdracht-v1"
_DEEL = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32)
_SIGNER = {"key_derivation": "hmac", "digest_method": hashlib.sha256}


def meld_routes(basis: str) -> None:
    """server.py: the session routes live at `basis` (e.g. '/sessie')."""
    _ROUTES["basis"] = basis


def routes_basis() -> str | None:
    """Where the session routes live in this process, or None when there are none."""
    return _ROUTES.get("basis")


def nieuw_deel() -> str:
    """A fresh random part: 32 bytes from :mod:`secrets`, URL-safe text (43 characters)."""
    return secrets.token_urlsafe(32)


def _serializer(geheim: bytes, salt: str) -> URLSafeTimedSerializer:
    if not geheim:
        raise ValueError("Geen geheim om mee te ondertekenen.")
    return URLSafeTimedSerializer(geheim, salt=salt, signer_kwargs=_SIGNER)


def _teken(deel: str, geheim: bytes, salt: str) -> str:
    if not _DEEL.match(deel or ""):
        raise ValueError("Ongeldig sessiedeel.")
    return _serializer(geheim, salt).dumps(deel)


def _lees(token: object, geheim: bytes, salt: str, max_seconden: float) -> str | None:
    """The random part when `token` is ours, unchanged and younger than `max_seconden`; else None."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    try:
        deel = _serializer(geheim, salt).loads(token, max_age=max_seconden)
    except BadData:  # bad signature, expired, malformed
        return None
    return deel if isinstance(deel, str) and _DEEL.match(deel) else None


def onderteken_sessie(deel: str, geheim: bytes) -> str:
    """The cookie value for a session with random part `deel`."""
    return _teken(deel, geheim, _SESSIE_SALT)


def lees_sessie(token: object, geheim: bytes) -> str | None:
    """The random part of a valid session token (signed by us, at most GELDIGHEID old), else None."""
    return _lees(token, geheim, _SESSIE_SALT, GELDIGHEID.total_seconds())


def onderteken_overdracht(deel: str, geheim: bytes) -> str:
    """The one-time hand-off token that goes in the URL of ``/sessie/start``."""
    return _teken(deel, geheim, _OVERDRACHT_SALT)


def lees_overdracht(token: object, geheim: bytes) -> str | None:
    """The random part of a valid hand-off token (at most OVERDRACHT_SECONDEN old), else None."""
    return _lees(token, geheim, _OVERDRACHT_SALT, OVERDRACHT_SECONDEN)


def cookie_instellingen(https: bool) -> dict:
    """The cookie's attributes, as keyword arguments for Starlette's ``Response.set_cookie``:
    HttpOnly (no script reads it), SameSite=Strict (no other site sends it along),
    Path=/, Max-Age a working day, Secure when the app is served over https."""
    return {"key": COOKIE, "max_age": int(GELDIGHEID.total_seconds()), "path": COOKIE_PAD,
            "httponly": True, "samesite": "strict", "secure": bool(https)}
