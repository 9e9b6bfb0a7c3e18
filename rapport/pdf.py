"""PDF plumbing shared by every report: templates, stylesheet, HTML -> PDF/A, attachments.

Used by `rapport.verbeterplan` and `rapport.inspectiebezoek`; each report only builds
its context and names its template.

Security model:

- Everything from the answers (toelichtingen, but also ids and names) goes through
  Jinja2 autoescaping (`omgeving`). Only two things are inserted as `Markup`: the
  stylesheet (files in ``rapport/templates``, `stijl`) and the SVG of a chart, which
  vl-convert produces from data it escapes itself (`svg_markup`).
- WeasyPrint gets ``base_url=None`` and a `RefusingURLFetcher` that refuses EVERY URL
  (file:, http(s):, data:, ...). A report needs no external resource: charts are
  inline SVG, the CSS is inline and fonts come from the system font configuration.
  So even if markup were to slip through, WeasyPrint would not read a local file or
  contact a server.

Archive: `html_naar_pdf` writes PDF/A-3b (`PDF_VARIANT`) with all fonts embedded;
files can be embedded from memory (`PdfBijlage`, each with an AFRelationship). Title,
author, subject, keywords and creation date come from the template's <title> and
<meta> tags (`auteur` and `w3c` format the last two).
"""
from __future__ import annotations

import datetime as dt
import functools
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

import weasyprint
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape
from weasyprint.urls import URLFetcher

from rapport.opmaak import getal, procent, score

# Archival PDF: PDF/A-3 (ISO 19005-3), level B; PDF/A-3 allows embedded data files.
PDF_VARIANT = "pdf/a-3b"
PRODUCT = "Zelfbeoordeling Stelseltoezicht Jeugd"
"""The generator named in every PDF's metadata."""


def omgeving() -> Environment:
    """A Jinja2 environment for the templates in ``rapport/templates``: autoescape on,
    undefined names fail, filters ``getal``, ``score`` and ``procent`` (`rapport.opmaak`)."""
    env = Environment(
        loader=PackageLoader("rapport", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(getal=getal, score=score, procent=procent)
    return env


@functools.cache
def _gedeelde_omgeving() -> Environment:
    return omgeving()


def stijl(naam: str) -> Markup:
    """The inline CSS of a PDF: templates/basis.css, then templates/<naam>.css."""
    map_ = resources.files("rapport").joinpath("templates")
    return Markup("\n".join(map_.joinpath(f).read_text("utf-8") for f in ("basis.css", f"{naam}.css")))


def render(naam: str, context: Mapping) -> str:
    """templates/<naam>.html.j2 rendered with ``context``, its stylesheet (`stijl`) as ``css``."""
    return _gedeelde_omgeving().get_template(f"{naam}.html.j2").render(css=stijl(naam), **context)


class URLRefused(Exception):
    """Raised by `RefusingURLFetcher` for every URL."""


class RefusingURLFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that refuses every URL and remembers which.

    ``fetch`` raises `URLRefused` for every scheme (file:, http:, https:, data:, ...)
    without opening anything. WeasyPrint then logs a warning and leaves the resource
    out; with ``fail_on_errors=True`` it stops rendering instead.
    """

    def __init__(self, fail_on_errors: bool = False) -> None:
        super().__init__(allowed_protocols=(), fail_on_errors=fail_on_errors)
        self.geweigerd: list[str] = []

    def fetch(self, url, headers=None):
        self.geweigerd.append(str(url))
        raise URLRefused(f"Externe bron geweigerd: {url}")

    def open(self, url, data=None, timeout=None):
        return self.fetch(getattr(url, "full_url", url))


@dataclass(frozen=True)
class PdfBijlage:
    """A file embedded in the PDF (PDF/A-3: with an AFRelationship)."""

    naam: str
    data: bytes
    beschrijving: str
    relatie: str = "Data"  # ISO 32000-2, 7.11.3: the data the report was made from


def svg_markup(svg: str, label: str = "Spinnenwebgrafiek") -> Markup:
    """A vl-convert SVG, made to scale with the page (viewBox kept, fixed size dropped)."""
    start = svg.find("<svg")
    if start < 0:
        raise ValueError("geen SVG")
    einde = svg.find(">", start)
    kop = svg[start:einde]
    kop = re.sub(r'\s(width|height)="[^"]*"', "", kop, count=2)
    kop += f' role="img" aria-label="{escape(label)}"'
    return Markup(svg[:start] + kop + svg[einde:])


def auteur(gemeente: str) -> str:
    """The author in the metadata: 'Gemeente Utrecht' (not doubled when already there)."""
    return gemeente if gemeente.lower().startswith("gemeente ") else f"Gemeente {gemeente}"


def w3c(moment: dt.datetime) -> str:
    """A datetime as W3C/ISO 8601 with time zone, seconds precision (PDF CreationDate, XMP)."""
    if moment.tzinfo is None:
        moment = moment.astimezone()  # local time, with its offset
    return moment.replace(microsecond=0).isoformat()


def _zonder_lege_resources(document, pdf) -> None:
    """Finisher: drop the empty /Pattern and /Shading dictionaries WeasyPrint writes
    into resource dictionaries. They are harmless, but an allowlist PDF/A validator
    (pikepdf.pdfa) cannot approve what it does not check; now the file only holds
    what it uses."""
    for obj in pdf.objects:
        if isinstance(obj, dict) and ("Font" in obj or "ExtGState" in obj):
            for sleutel in ("Pattern", "Shading"):
                if isinstance(obj.get(sleutel), dict) and not obj[sleutel]:
                    del obj[sleutel]


def html_naar_pdf(
    html: str,
    url_fetcher=None,
    bijlagen: Sequence[PdfBijlage] = (),
    gemaakt: dt.datetime | None = None,
) -> bytes:
    """Render HTML to PDF/A-3b with WeasyPrint, base_url=None and a fetcher that refuses all URLs.

    ``bijlagen`` are embedded from memory (never fetched), each with its
    AFRelationship; ``gemaakt`` is their creation and modification date (default: now).
    """
    fetcher = url_fetcher if url_fetcher is not None else RefusingURLFetcher()
    # WeasyPrint writes attachment dates as UTC ('Z'), so hand it UTC
    moment = (gemaakt or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(tzinfo=None)
    bestanden = [
        weasyprint.Attachment(
            file_obj=io.BytesIO(b.data), url_fetcher=fetcher, name=b.naam, description=b.beschrijving,
            created=moment, modified=moment, relationship=b.relatie,
        )
        for b in bijlagen
    ]
    return weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf(
        pdf_variant=PDF_VARIANT, attachments=bestanden, finisher=_zonder_lege_resources,
    )
