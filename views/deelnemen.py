"""Where participants join: the app's public address and QR codes for it.

Shared by the invitation codes on Rondes beheren and the projector's join screen; not a page.
"""
from __future__ import annotations

import io
import os
from urllib.parse import urlsplit

import segno
import streamlit as st


def basis_url() -> str:
    """The address participants use: ``ZBT_BASIS_URL`` when set, else the one this page was opened on."""
    ingesteld = os.environ.get("ZBT_BASIS_URL", "").rstrip("/")
    if ingesteld:
        return ingesteld
    delen = urlsplit(st.context.url or "")
    return f"{delen.scheme}://{delen.netloc}" if delen.netloc else ""


def qr_png(tekst: str, schaal: int) -> bytes:
    """A QR code (error correction M) as PNG; `schaal` pixels per module."""
    buf = io.BytesIO()
    segno.make(tekst, error="m").save(buf, kind="png", scale=schaal, border=2)
    return buf.getvalue()
