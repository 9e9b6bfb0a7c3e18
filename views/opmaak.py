"""Page-wide styling and wording that Streamlit's defaults miss (app.py calls `basisopmaak` once per run).

* Accessibility (WCAG 2.1 AA): Streamlit serves <html lang="en">, this UI is Dutch
  (3.1.1); captions are light grey (about 3.9:1), darkened to 7:1 (1.4.3).
* Dutch only: Streamlit's own interface texts (file uploader, "Press Enter to submit
  form", "Select all", the table toolbar, the date picker, "Running...") are English and
  cannot be configured. A small script replaces them wherever they appear, also in menus
  and pickers that open later (a MutationObserver). It only touches whole texts that are
  exactly one of Streamlit's own phrases, never text inside markdown or plain-text
  elements, so nothing a person wrote is changed.
* Small and wide screens: a chart is never wider than its column; a wider one is scaled
  down as a whole, so no axis label is cut off and the page does not scroll sideways.
  st.dataframe cannot wrap cell text: the pages give long text columns a large width,
  and a cut text can be read in full by hovering or opening the table full screen.

tests/test_browser_nederlands.py visits every page with menus and pickers open and fails
on any English interface phrase.
"""
from __future__ import annotations

import json

import streamlit as st

# Whole texts (after trimming) -> Dutch. Attributes aria-label, title and placeholder too.
VASTE_TEKSTEN = {
    "Drag and drop file here": "Sleep een bestand hierheen",
    "Drag and drop files here": "Sleep bestanden hierheen",
    "Drag and drop a file here": "Sleep een bestand hierheen",
    "Drag and drop directories here": "Sleep mappen hierheen",
    "Browse files": "Bestand kiezen",
    "Upload": "Bestand kiezen",
    "Upload files": "Bestanden kiezen",
    "Upload file": "Bestand kiezen",
    "Remove file": "Bestand weghalen",
    "Delete": "Weghalen",
    "Press Enter to submit form": "Druk op Enter om te versturen",
    "Press Enter to apply": "Druk op Enter om over te nemen",
    "Press Ctrl+Enter to apply": "Druk op Ctrl+Enter om over te nemen",
    "Press ⌘+Enter to apply": "Druk op ⌘+Enter om over te nemen",
    "Select all": "Alles kiezen",
    "No results": "Geen resultaten",
    "Choose an option": "Kies een optie",
    "Choose options": "Kies een of meer opties",
    "Choose or add an option": "Kies of voeg een optie toe",
    "Choose or add options": "Kies of voeg opties toe",
    "Clear all": "Alles wissen",
    "Clear value": "Wissen",
    "Clear": "Wissen",
    "Selectbox options": "Keuzes",
    "Show password": "Toon wat u typte",
    "Hide password": "Verberg wat u typte",
    "Running...": "Bezig…",
    "Running…": "Bezig…",
    "Stop": "Stoppen",
    "Download as CSV": "Downloaden als CSV",
    "Download data as CSV": "Downloaden als CSV",
    "Search": "Zoeken",
    "Fullscreen": "Volledig scherm",
    "View fullscreen": "Volledig scherm",
    "Close fullscreen": "Volledig scherm sluiten",
    "Exit fullscreen": "Volledig scherm sluiten",
    "Show/hide columns": "Kolommen tonen of verbergen",
    "Show data": "Gegevens tonen",
    "Copy to clipboard": "Kopiëren",
    "Page not found": "Pagina niet gevonden",
    "The page that you have requested does not seem to exist. Running the app's main page.":
        "Deze pagina bestaat niet. U ziet nu de startpagina.",
    "Main menu": "Menu",
    "Deploy": "Publiceren",
    "Rerun": "Opnieuw laden",
    "Settings": "Instellingen",
    "Print": "Afdrukken",
    "Record a screencast": "Schermopname maken",
    "About": "Over",
    "Clear cache": "Cache legen",
    "Collapse sidebar": "Menu inklappen",
    "Skip to main content": "Naar de inhoud",
    "App pages": "Pagina's",
    "Sidebar": "Menu",
    "Expand sidebar": "Menu uitklappen",
    "Sort ascending": "Oplopend sorteren",
    "Sort descending": "Aflopend sorteren",
    "Autosize": "Breedte aanpassen",
    "Pin column": "Kolom vastzetten",
    "Unpin column": "Kolom losmaken",
    "Hide column": "Kolom verbergen",
    "Format": "Opmaak",
    "Previous month.": "Vorige maand",
    "Next month.": "Volgende maand",
    "Previous month": "Vorige maand",
    "Next month": "Volgende maand",
    "Select a date.": "Kies een datum",
    "Calendar.": "Kalender",
    "Month": "Maand",
    "Year": "Jaar",
    "Mo": "ma", "Tu": "di", "We": "wo", "Th": "do", "Fr": "vr", "Sa": "za", "Su": "zo",
    "January": "januari", "February": "februari", "March": "maart", "April": "april",
    "May": "mei", "June": "juni", "July": "juli", "August": "augustus", "September": "september",
    "October": "oktober", "November": "november", "December": "december",
}

# Only as aria-label or title (as visible text these words may be someone's own).
ALLEEN_ATTRIBUUT = {"open": "openen", "Open": "Openen", "close": "sluiten", "Close": "Sluiten"}

# Texts with a changing part: [JavaScript regular expression, replacement].
PATRONEN = [
    [r"^Limit (\S+?) ?([KMG]?B) per file(.*)$", "Maximaal $1 $2 per bestand$3"],
    [r"^(\S+?) ?([KMG]?B) per file(.*)$", "Maximaal $1 $2 per bestand$3"],
    [r"^Select (\d+) matches$", "Kies de $1 treffers"],
    [r"^You can only select up to (\d+) options?\. Remove an option first\.$",
     "U kunt er hoogstens $1 kiezen. Haal eerst een keuze weg."],
    [r"^(January|February|March|April|May|June|July|August|September|October|November|December) (\d{4})$",
     "MAAND $2"],
    [r"^Choose (?:\w+day), (.*)\. It's (?:not )?available\.$", "Kies deze dag"],
    [r"^(?:Selected date|Selected)\. ?(.*)$", "Gekozen: $1"],
]

# Date fields show "DD-MM-YYYY" style placeholders: Dutch letters instead.
DATUMVELD = {"DD-MM-YYYY": "dag-maand-jaar", "DD/MM/YYYY": "dag/maand/jaar", "YYYY/MM/DD": "jaar/maand/dag",
             "YYYY-MM-DD": "jaar-maand-dag", "MM/DD/YYYY": "maand/dag/jaar", "DD.MM.YYYY": "dag.maand.jaar"}

# No // comments in here: st.html may join the lines, and one would end the script.
_SCRIPT = """
(() => {
  if (window.__zbtNederlands) { window.__zbtNederlands(); return; }
  const VAST = %(vast)s, PATRONEN = %(patronen)s.map(([p, v]) => [new RegExp(p), v]);
  const MAANDEN = %(maanden)s, DATUM = %(datumveld)s, ALLEEN_ATTR = %(attr)s;
  const MIJDEN = "[data-testid=stMarkdownContainer], [data-testid=stText], [data-testid=stCode], "
    + "textarea, [contenteditable=true]";
  /* Streamlit also puts its own button texts (the uploader's "Upload", the copy button of a
     code block) inside elements whose own text is left alone */
  const eigen = (el) => !el.closest(MIJDEN)
    || !!el.closest("[data-testid=stFileUploader] button, [data-testid=stCode] button, [data-testid=stElementToolbar], "
    + "[data-testid=stTooltipContent]");
  const vertaal = (t) => {
    if (!t) return null;
    const kaal = t.trim();
    if (!kaal) return null;
    if (Object.hasOwn(VAST, kaal)) return t.replace(kaal, VAST[kaal]);
    /* a toolbar button names its element: "Fullscreen: (description of the chart)" */
    const dubbelepunt = kaal.indexOf(": ");
    if (dubbelepunt > 0 && Object.hasOwn(VAST, kaal.slice(0, dubbelepunt)))
      return VAST[kaal.slice(0, dubbelepunt)] + kaal.slice(dubbelepunt);
    for (const [p, v] of PATRONEN) {
      const m = kaal.match(p);
      if (m) return kaal.replace(p, v).replace("MAAND", MAANDEN[m[1]] || m[1]);
    }
    return null;
  };
  const ATTR = ["aria-label", "title", "placeholder"];
  const doeElement = (el) => {
    if (!(el instanceof Element) || !eigen(el)) return;
    for (const a of ATTR) {
      const w = el.getAttribute(a);
      if (w === null) continue;
      const nieuw = (a === "placeholder" && Object.hasOwn(DATUM, w) && DATUM[w])
        || (Object.hasOwn(ALLEEN_ATTR, w) && ALLEEN_ATTR[w]) || vertaal(w);
      if (nieuw !== null && nieuw !== w) el.setAttribute(a, nieuw);
    }
  };
  const doeTekst = (n) => {
    const ouder = n.parentElement;
    if (!ouder || !eigen(ouder) || ouder.closest("script, style")) return;
    const nieuw = vertaal(n.nodeValue);
    if (nieuw !== null && nieuw !== n.nodeValue) n.nodeValue = nieuw;
  };
  /* Accessibility repairs of Streamlit's own markup (docs/toegankelijkheid.md):
     a widget label hides its text from assistive technology (aria-hidden), so the label
     element has no text; an icon button's ligature text ("keyboard_double_arrow_left") is
     read as its visible label, unlike its aria-label: the icon is drawn from an attribute
     instead (CSS ::before); the skip link stands outside every landmark: it gets a nav;
     the file uploader's drop zone is role=presentation around a field and a button: a group */
  const LABEL = "label[data-testid=stWidgetLabel] > span[aria-hidden]";
  const ICOON = "button[aria-label] [data-testid=stIconMaterial]";
  const ZONE = "[data-testid=stFileUploaderDropzone][role=presentation]";
  const herstel = (el) => {
    if (el.matches(LABEL)) el.removeAttribute("aria-hidden");
    if (el.matches(ICOON) && el.textContent) {
      el.setAttribute("data-icoon", el.textContent.trim());
      el.textContent = "";
    }
    if (el.matches(ZONE)) el.setAttribute("role", "group");
    if (el.matches("a[data-testid=stSkipToContent]") && el.parentElement.tagName !== "NAV") {
      const nav = document.createElement("nav");
      nav.setAttribute("aria-label", "Snelkoppeling");
      el.before(nav);
      nav.append(el);
    }
  };
  const doeBoom = (wortel) => {
    if (wortel.nodeType === 3) { doeTekst(wortel); return; }
    if (wortel.nodeType !== 1) return;
    doeElement(wortel);
    wortel.querySelectorAll("[aria-label], [title], [placeholder]").forEach(doeElement);
    herstel(wortel);
    wortel.querySelectorAll([LABEL, ICOON, ZONE, "a[data-testid=stSkipToContent]"].join(", ")).forEach(herstel);
    const loper = document.createTreeWalker(wortel, NodeFilter.SHOW_TEXT);
    for (let n = loper.nextNode(); n; n = loper.nextNode()) doeTekst(n);
  };
  const alles = () => doeBoom(document.body);
  /* Streamlit makes its main area a tab stop so that it can be scrolled with the keyboard;
     on a page too short to scroll that is a tab stop without a purpose (not a widget) */
  const hoofd = () => {
    const m = document.getElementById("stMain");
    if (m) m.tabIndex = m.scrollHeight > m.clientHeight + 1 ? 0 : -1;
  };
  window.addEventListener("resize", hoofd);
  new MutationObserver((lijst) => {
    hoofd();
    for (const m of lijst) {
      if (m.type === "characterData") doeTekst(m.target);
      else if (m.type === "attributes") doeElement(m.target);
      else {
        m.addedNodes.forEach(doeBoom);
        if (m.target.nodeType === 1) herstel(m.target);
      }
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true,
                             attributes: true, attributeFilter: ATTR});
  window.__zbtNederlands = () => { alles(); hoofd(); };
  alles();
  hoofd();
})();
"""

_CSS = """
[data-testid='stCaptionContainer'], [data-testid='stCaptionContainer'] * {
  color: #45464f !important; opacity: 1 !important; }
/* Focus that can be seen (2.4.7): Streamlit draws no ring on the menu and page links, nor on the main
   area, which is in the Tab order because it scrolls (tests/test_browser_toetsenbord.py). */
[data-testid='stSidebarNavLink']:focus-visible, [data-testid='stPageLink-NavLink']:focus-visible,
[data-testid='stMain']:focus-visible, [data-testid='stBaseButton-elementToolbar']:focus-visible {
  outline: 3px solid #015F8E !important; outline-offset: -3px !important; }
/* A table (st.dataframe) is drawn on a canvas: the cell it marks is no CSS focus. A ring around
   the whole table shows that the focus is in it; the arrow keys then move through the cells. */
[data-testid='stDataFrame']:focus-within { outline: 3px solid #015F8E !important; outline-offset: 2px !important; }
/* A chart's or table's toolbar shows on hover only: with Tab its buttons had focus while unseen. */
[data-testid='stElementToolbar']:focus-within { opacity: 1 !important; visibility: visible !important; }
/* A chart never runs past its column: a wider one is scaled down as a whole
   (canvas and svg keep their aspect ratio), so no label is cut off on a phone. */
[data-testid='stVegaLiteChart'], [data-testid='stVegaLiteChart'] .vega-embed { max-width: 100%% !important; }
[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg.marks {
  max-width: 100%% !important; height: auto !important; }
/* ...except a wide chart in a scroll box (views/regio.py, container key "schuifvak-..."): it keeps
   its size and scrolls sideways inside its own box, so its cells stay readable on a phone. */
[class*='st-key-schuifvak'] [data-testid='stVegaLiteChart'] { overflow-x: auto !important; }
[class*='st-key-schuifvak'] [data-testid='stVegaLiteChart'] .vega-embed { max-width: none !important; }
[class*='st-key-schuifvak'] [data-testid='stVegaLiteChart'] canvas,
[class*='st-key-schuifvak'] [data-testid='stVegaLiteChart'] svg.marks { max-width: none !important; }
/* Sidebar menu icons are drawn at 60%% opacity of the text colour (3.8:1 on the sidebar),
   the link texts at 80%%: both in the caption colour (7:1). Quotes (the kaders' "Verwachting
   van de inspecties") are faded to 60%% (below 4.5:1): full strength, the bar marks them. */
[data-testid='stSidebarNav'] a, [data-testid='stSidebarNav'] a span,
[data-testid='stSidebarNav'] [data-testid='stIconMaterial'] { color: #45464f !important; opacity: 1 !important; }
[data-testid='stMarkdownContainer'] blockquote { opacity: 1 !important; }
/* an icon button's icon, drawn from its attribute (see the script) */
[data-icoon]::before { content: attr(data-icoon); }
/* Streamlit's own footer and the developer's deploy button */
footer, [data-testid='stAppDeployButton'] { display: none !important; }
"""


def vertaalscript() -> str:
    maanden = {e: VASTE_TEKSTEN[e] for e in ("January", "February", "March", "April", "May", "June", "July",
                                             "August", "September", "October", "November", "December")}
    return _SCRIPT % {"vast": json.dumps(VASTE_TEKSTEN, ensure_ascii=False),
                      "patronen": json.dumps(PATRONEN, ensure_ascii=False),
                      "maanden": json.dumps(maanden), "datumveld": json.dumps(DATUMVELD),
                      "attr": json.dumps(ALLEEN_ATTRIBUUT)}


def basisopmaak() -> None:
    """Once per run, before the page: Dutch language, contrast, chart sizing and Dutch
    wording for Streamlit's own interface texts."""
    st.html("<script>document.documentElement.lang = 'nl';" + vertaalscript() + "</script>"
            "<style>" + (_CSS % ()) + "</style>", unsafe_allow_javascript=True)


def kolombreedtes(df) -> dict:
    """column_config for a display table: columns whose header or text is long get room, so
    st.dataframe does not cut "Regionale mediaan" or "Veiligheid tijdens zorg" to a few
    letters (a cut text stays readable by hovering or in the full-screen view)."""
    def breedte(namen) -> str | None:
        langste = max((len(str(n)) for n in namen), default=0)
        return "large" if langste > 28 else "medium" if langste > 12 else None

    config = {}
    if breedte(df.index) is not None:  # the row names: room, but the numbers stay in view on a phone
        config["_index"] = st.column_config.Column(width="medium", pinned=True)
    for kolom in df.columns:
        if (b := breedte([kolom, *df[kolom].astype(str)])) is not None:
            config[kolom] = st.column_config.Column(width=b)
    return config
