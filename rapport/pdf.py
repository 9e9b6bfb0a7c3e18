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

Archive: `html_naar_pdf` writes PDF/A-3a (`PDF_VARIANT`) with all fonts embedded;
files can be embedded from memory (`PdfBijlage`, each with an AFRelationship). Title,
author, subject, keywords and creation date come from the template's <title> and
<meta> tags (`auteur` and `w3c` format the last two).

Accessibility (issue 13, docs/toegankelijkheid.md "PDF-documenten"): level A means tagged.
WeasyPrint writes the structure tree, MarkInfo, /Lang and DisplayDocTitle; the finisher
`_toegankelijk` adds TH /Scope, link descriptions, artifacts for the page margins and the
PDF/UA-1 identification. A chart gets its alternative text through the template filter
`met_alt`: the same summary of its finding that is printed beside it (rapport.samenvatting).
"""
from __future__ import annotations

import datetime as dt
import functools
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

import pydyf
import weasyprint
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape
from weasyprint.urls import URLFetcher

from rapport.opmaak import getal, procent, score

# Archival PDF: PDF/A-3 (ISO 19005-3), level A (tagged: structure tree, language, alt texts);
# PDF/A-3 allows embedded data files. `_toegankelijk` adds the PDF/UA-1 (ISO 14289-1) identification.
PDF_VARIANT = "pdf/a-3a"
PDF_UA_DEEL = 1
"""The PDF/UA part every report claims (pdfuaid:part in the XMP metadata)."""
PRODUCT = "Zelfbeoordeling Stelseltoezicht Jeugd"
"""The generator named in every PDF's metadata."""


def omgeving() -> Environment:
    """A Jinja2 environment for the templates in ``rapport/templates``: autoescape on,
    undefined names fail, filters ``getal``, ``score`` and ``procent`` (`rapport.opmaak`)
    and ``met_alt`` (an inline SVG chart with its alternative text)."""
    env = Environment(
        loader=PackageLoader("rapport", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(getal=getal, score=score, procent=procent, met_alt=met_alt)
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


def met_alt(svg: Markup, alt: str) -> Markup:
    """Template filter: an inline SVG with ``alt`` as its accessible name and alternative text.

    WeasyPrint tags an inline <svg> as a Figure and takes its /Alt from the SVG's first
    <title>; ``aria-label`` says the same to an HTML reader. ``alt`` is escaped."""
    svg = str(svg)
    start = svg.find("<svg")
    if start < 0 or not str(alt).strip():
        raise ValueError("een figuur heeft een SVG en een alternatieve tekst nodig")
    einde = svg.find(">", start)
    kop = re.sub(r'\saria-label="[^"]*"', "", svg[start:einde])
    tekst = escape(" ".join(str(alt).split()))
    return Markup(svg[:start] + kop + f' aria-label="{tekst}"><title>{tekst}</title>' + svg[einde + 1:])


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


_PDFUA_XMP = f"""<rdf:Description xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" rdf:about=""
 xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
 xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#"><pdfaExtension:schemas><rdf:Bag>
<rdf:li rdf:parseType="Resource"><pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix><pdfaSchema:property><rdf:Seq>
<rdf:li rdf:parseType="Resource"><pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType><pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>
<rdf:Description xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" rdf:about=""
 xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"><pdfuaid:part>{PDF_UA_DEEL}</pdfuaid:part></rdf:Description>
""".encode()
"""The PDF/UA identification, with the extension schema PDF/A requires for a namespace it
does not predefine (ISO 19005-3, 6.6.2.3)."""


def _afwerking(document, pdf) -> None:
    _toegankelijk(document, pdf)
    _zonder_lege_resources(document, pdf)


def _object(pdf, referentie):
    return pdf.objects[int(bytes(referentie).split()[0])]


def _tekst_van(box) -> str:
    """The text of a link's HTML element (without generated content such as leaders)."""
    return " ".join("".join(box.element.itertext()).split()) if box.element is not None else ""


def _toegankelijk(document, pdf) -> None:
    """Finisher for the tagged PDF (after WeasyPrint's own tagging, see `html_naar_pdf`):

    - every TH gets /Scope (Row for ``scope="row"``/``"rowgroup"``, else Column);
    - every link annotation's /Contents is the link's text instead of the anchor name;
    - the page margin boxes (running footer, page numbers), which WeasyPrint marks as
      content but leaves out of the structure tree, become /Artifact: no content is left
      that is neither in the tree nor an artifact;
    - the XMP metadata also identifies the file as PDF/UA-1 (`_PDFUA_XMP`).
    """
    for pagina in document.pages:
        for box in pagina._page_box.descendants():
            if box.element_tag == "th" and getattr(box, "mark", None) is not None:
                scope = box.element.attrib.get("scope", "col")
                box.mark["A"]["Scope"] = "/Row" if scope in ("row", "rowgroup") else "/Column"
            if box.link_annotation is not None and (tekst := _tekst_van(box)):
                box.link_annotation["Contents"] = pydyf.String(tekst)
    _marges_als_artefact(pdf)
    metadata = _object(pdf, pdf.catalog["Metadata"])
    xmp = b"\n".join(d if isinstance(d, bytes) else str(d).encode() for d in metadata.stream)
    metadata.stream = [xmp.replace(b"</rdf:RDF>", _PDFUA_XMP + b"</rdf:RDF>", 1)]


def _marges_als_artefact(pdf) -> None:
    """Marked content whose structure element is not in the tree becomes an /Artifact."""
    wortel = _object(pdf, pdf.catalog["StructTreeRoot"])
    bereikbaar, te_doen = set(), list(wortel["K"])
    while te_doen:
        ref = te_doen.pop()
        if isinstance(ref, int) or ref in bereikbaar:  # an int is an MCID, not an element
            continue
        elem = _object(pdf, ref)
        if isinstance(elem, dict) and elem.get("Type") == "/StructElem":
            bereikbaar.add(ref)
            te_doen.extend(elem["K"])
    nums = _object(pdf, wortel["ParentTree"])["Nums"]
    for nr, pagina_ref in enumerate(pdf.page_references):
        mcids = nums[2 * nr + 1]
        los = {mcid for mcid, ref in enumerate(mcids) if ref not in bereikbaar}
        if not los:
            continue
        inhoud = _object(pdf, _object(pdf, pagina_ref)["Contents"])
        stroom = inhoud.stream
        for i, item in enumerate(stroom):
            if (isinstance(item, pydyf.Dictionary) and set(item) == {"MCID"} and item["MCID"] in los
                    and stroom[i + 1] == b"BDC"):
                stroom[i - 1], stroom[i], stroom[i + 1] = "/Artifact", b"", b"BMC"
                mcids[item["MCID"]] = "null"


def html_naar_pdf(
    html: str,
    url_fetcher=None,
    bijlagen: Sequence[PdfBijlage] = (),
    gemaakt: dt.datetime | None = None,
) -> bytes:
    """Render HTML to PDF/A-3a + PDF/UA-1 with WeasyPrint, base_url=None and a fetcher that refuses all URLs.

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
        pdf_variant=PDF_VARIANT, attachments=bestanden, finisher=_afwerking,
    )
