"""The invitation sheet: every rol's link, QR code and invitation code on A4 (PDF/A), plus a CSV.

Invitation codes are stored only as a hash (`storage.uitnodigingen`), so the facilitator
sees them once, right after they are made. At that moment the page hands this module
plain data (gemeente, ronde label, one `Uitnodiging` per rol) and offers the sheet and
the CSV for download; nothing here reads or stores anything.

- The PDF (`maak_uitnodigingsblad_pdf`) uses the templates, escaping, URL-refusing
  fetcher and PDF/A-3a (tagged) rendering of `rapport.pdf` (its module doc is the security
  model). Each QR code is an inline SVG drawn by segno from the link: vector paths, no
  image to fetch. `PER_BLAD` invitations fit on one A4 page; each page repeats the
  gemeente and ronde, so a page can be handed out on its own.
- The CSV (`uitnodigingen_csv`) has the columns rol, link, code, separated by ``;``
  and encoded as UTF-8 with a BOM: Dutch Excel opens it with a double click in three
  columns, with accents intact. Cells pass through `uitwisselformaat.neutraliseer`
  like every CSV the instrument writes.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import KW_ONLY, dataclass

import segno
from markupsafe import Markup, escape

from rapport.opmaak import datum_nl
from rapport.pdf import PRODUCT, auteur, html_naar_pdf, render, w3c
from uitwisselformaat import neutraliseer, ontneutraliseer

PER_BLAD = 4
"""Invitations per A4 page."""

CSV_KOLOMMEN = ("rol", "link", "code")
CSV_SCHEIDING = ";"  # what Dutch Excel expects (its list separator), with a UTF-8 BOM

UITLEG_DEELNEMER = (
    "Scan de QR-code met de camera van uw telefoon, of typ de link over in uw browser. "
    "Dan opent de vragenlijst voor uw rol. U vult geen naam in. "
    "Vraagt de vragenlijst om een code? Typ dan de code hieronder over."
)
"""The line for the participant under each rol (B1, addressed as 'u')."""


@dataclass(frozen=True)
class Uitnodiging:
    """One rol's invitation: its display name, the full link and the code in it."""

    rol: str
    link: str
    code: str


@dataclass(frozen=True, eq=False)
class UitnodigingsbladInvoer:
    """What the sheet is made from: plain data, no database.

    ``datum`` is the date printed (default today); ``gemaakt`` the creation moment in the
    PDF metadata (default now).
    """

    gemeente: str
    ronde: str
    uitnodigingen: Sequence[Uitnodiging]
    _: KW_ONLY
    datum: dt.date | None = None
    gemaakt: dt.datetime | None = None


def qr_svg(tekst: str, label: str) -> Markup:
    """A QR code of ``tekst`` as inline SVG that scales with its box (viewBox, no fixed size).

    segno draws the modules as one path; the text is encoded in the path, never written
    into the markup, so nothing from ``tekst`` can become markup. Only ``label`` (escaped)
    is added, as the accessible name.
    """
    svg = segno.make(tekst, error="m").svg_inline(scale=1, border=2, omitsize=True, dark="#000", light="#fff")
    start = svg.index("<svg") + len("<svg")
    return Markup(svg[:start] + f' role="img" aria-label="{escape(label)}"' + svg[start:])


def bladen(uitnodigingen: Sequence[Uitnodiging], per_blad: int = PER_BLAD) -> list[list[dict]]:
    """The invitations in pages of ``per_blad``, each with its QR code."""
    rijen = [{"rol": u.rol, "link": u.link, "code": u.code, "qr": qr_svg(u.link, f"QR-code voor {u.rol}"),
              "alt": f"QR-code voor {u.rol}: bevat de link die ernaast staat"}
             for u in uitnodigingen]
    return [rijen[i:i + per_blad] for i in range(0, len(rijen), per_blad)]


def uitnodigingsblad_context(invoer: UitnodigingsbladInvoer) -> dict:
    """Everything the template shows."""
    gemaakt = invoer.gemaakt or dt.datetime.now(dt.UTC)
    titel = f"Uitnodigingen {invoer.gemeente} – ronde {invoer.ronde}"
    return {
        "titel": titel,
        "auteur": auteur(invoer.gemeente),
        "onderwerp": f"Links, QR-codes en codes om mee te doen aan de zelfevaluatie van {invoer.gemeente}, "
                     f"ronde {invoer.ronde}",
        "trefwoorden": ["uitnodiging", "zelfevaluatie", "jeugd", invoer.gemeente, invoer.ronde],
        "generator": PRODUCT,
        "gemaakt": w3c(gemaakt),
        "gemeente": invoer.gemeente,
        "ronde": invoer.ronde,
        "datum": datum_nl(invoer.datum or dt.date.today()),
        "uitleg": UITLEG_DEELNEMER,
        "bladen": bladen(invoer.uitnodigingen),
    }


def maak_uitnodigingsblad_html(invoer: UitnodigingsbladInvoer) -> str:
    """The sheet as a self-contained HTML document (inline CSS and SVG)."""
    return render("uitnodigingsblad", uitnodigingsblad_context(invoer))


def maak_uitnodigingsblad_pdf(invoer: UitnodigingsbladInvoer) -> bytes:
    """The sheet as an A4 PDF/A-3a (bytes): per rol the link, the QR code and the code."""
    if not invoer.uitnodigingen:
        raise ValueError("Er zijn geen uitnodigingen om op het blad te zetten.")
    gemaakt = invoer.gemaakt or dt.datetime.now(dt.UTC)
    context = uitnodigingsblad_context(UitnodigingsbladInvoer(
        invoer.gemeente, invoer.ronde, invoer.uitnodigingen, datum=invoer.datum, gemaakt=gemaakt))
    return html_naar_pdf(render("uitnodigingsblad", context), gemaakt=gemaakt)


def uitnodigingen_csv(uitnodigingen: Sequence[Uitnodiging]) -> bytes:
    """rol;link;code per invitation, UTF-8 with BOM and ``;`` (for Dutch Excel), CRLF line ends."""
    buf = io.StringIO()
    schrijver = csv.writer(buf, delimiter=CSV_SCHEIDING, lineterminator="\r\n")
    schrijver.writerow(CSV_KOLOMMEN)
    for u in uitnodigingen:
        schrijver.writerow([neutraliseer(u.rol), neutraliseer(u.link), neutraliseer(u.code)])
    return buf.getvalue().encode("utf-8-sig")


def lees_uitnodigingen_csv(data: bytes) -> list[Uitnodiging]:
    """The rows of `uitnodigingen_csv` back (the inverse, for checks and tests)."""
    lezer = csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=CSV_SCHEIDING)
    kop = next(lezer)
    if tuple(kop) != CSV_KOLOMMEN:
        raise ValueError(f"Onverwachte kolommen: {kop}")
    return [Uitnodiging(*(ontneutraliseer(c) for c in rij)) for rij in lezer if rij]
