"""The workshop's projector view (``/workshop?weergave=beamer&ronde=<id>``); not a page itself.

views/workshop.py calls :func:`toon` when the URL asks for it. The projector shows what the
facilitator has chosen elsewhere (a second tab or device): every few seconds it reads the
ronde's fase and the criterium in focus from the database. It has no sidebar and no staff
controls, only "Vorige"/"Volgende" buttons at the bottom, which a clicker (PageDown/PageUp)
and the arrow keys press; they move the focus for the facilitator's tab as well.

During stil scoren it shows a QR code and a short link to the questionnaire page for late
joiners. Invitation codes are stored only as a keyed hash, so no page can show them again:
the projector says so and asks people for the code they got from the organiser.
"""
from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import streamlit as st

from rapport.anonimiteit import TE_WEINIG, onderdruk
from rapport.beamer import samenvatting, verdeling_grafiek_beamer
from rapport.groepen import anonimiteitsdrempel, rolgroepen, samengevoegd_uitleg
from rapport.workshop import te_weinig, toelichtingen, verdeling
from storage import repository as repo
from views import context, deelnemen, samenwerkingskaart, tweede_stem
from views.tekst import md

WEERGAVE = "weergave"
BEAMER = "beamer"
VERVERSEN = "3s"  # how soon the projector follows the facilitator's tab

# Body text 28 px, headings larger, black on white; the sidebar, its toggle and Streamlit's
# header bar are hidden. Only while this view is on the page: the element goes with it.
OPMAAK = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stSidebarCollapseButton"], [data-testid="stHeader"], [data-testid="stToolbar"],
[data-testid="stDecoration"], [data-testid="stElementToolbar"] { display: none !important; }
[data-testid="stMain"] { background: #fff; color: #000; }
[data-testid="stMainBlockContainer"] { max-width: none; padding: 1.5rem 3rem 2rem 3rem; }
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] td, [data-testid="stMain"] th,
[data-testid="stMain"] button p, [data-testid="stMain"] [data-testid="stMetricLabel"] p,
[data-testid="stMain"] [data-testid="stCaptionContainer"] p, [data-testid="stMain"] pre,
[data-testid="stMain"] [data-testid="stAlertContentInfo"] p {
  font-size: 28px !important; line-height: 1.4 !important; color: #000 !important; }
[data-testid="stMain"] h1 { font-size: 60px !important; line-height: 1.15 !important; color: #000 !important; }
[data-testid="stMain"] h2 { font-size: 48px !important; line-height: 1.2 !important; color: #000 !important; }
[data-testid="stMain"] h3 { font-size: 38px !important; line-height: 1.25 !important; color: #000 !important; }
[data-testid="stMain"] [data-testid="stMetricValue"] div, [data-testid="stMain"] [data-testid="stMetricValue"] p {
  font-size: 96px !important; line-height: 1.1 !important; color: #000 !important; font-weight: 700; }
[data-testid="stMain"] table td, [data-testid="stMain"] table th { padding: 0.3rem 0.8rem !important; }
@media (max-width: 1000px) {  /* zoomed in or a small window: columns one under the other, no cut-off buttons */
  [data-testid="stMain"] [data-testid="stHorizontalBlock"] { flex-wrap: wrap !important; }
  [data-testid="stMain"] [data-testid="stColumn"] { min-width: 100% !important; } }
</style>
<div class="zbt-beamer" hidden></div>
"""

# A clicker sends PageDown/PageUp; the arrow keys do the same. Streamlit has no key events,
# so this presses the page's own buttons. Nothing is fetched; installed once per browser tab,
# and it does nothing when the projector view is not on the page (or a field has focus).
TOETSEN = """
<script>
if (!window.zbtBeamerToetsen) {
  window.zbtBeamerToetsen = true;
  document.addEventListener("keydown", (e) => {
    if (!document.querySelector(".zbt-beamer")) return;
    if (e.target && e.target.closest && e.target.closest("input, textarea, select, [contenteditable]")) return;
    const vooruit = ["PageDown", "ArrowRight", "ArrowDown"].includes(e.key);
    const terug = ["PageUp", "ArrowLeft", "ArrowUp"].includes(e.key);
    if (!vooruit && !terug) return;
    const naam = vooruit ? "Volgende" : "Vorige";
    const knop = [...document.querySelectorAll('[data-testid="stMain"] button')]
      .find((b) => b.innerText.includes(naam));
    e.preventDefault();
    if (knop && !knop.disabled) knop.click();
  });
}
</script>
"""


def gevraagd() -> bool:
    """Does the URL ask for the projector view?"""
    return st.query_params.get(WEERGAVE) == BEAMER


def link(ronde_id: int) -> str:
    """The projector view of `ronde_id`, relative to the workshop page; other query
    parameters of the current URL are kept."""
    parameters = {k: st.query_params.get(k) for k in st.query_params}
    parameters.update({WEERGAVE: BEAMER, "ronde": str(ronde_id)})
    return "workshop?" + urlencode(parameters)


def kies(rondes):
    """The ronde of ``?ronde=<id>`` when this user may see it, else the one chosen on
    another page, else the newest: the projector has no selector."""
    per_id = {r.id: r for r in rondes}
    try:
        gevraagd_id = int(st.query_params.get("ronde", ""))
    except ValueError:
        gevraagd_id = None
    for kandidaat in (gevraagd_id, st.session_state.get("gekozen_ronde")):
        if kandidaat in per_id:
            return per_id[kandidaat]
    return context.nieuwste(rondes)


def toon(eng, gebruiker, ronde_id: int, kaders, rol_namen) -> None:
    """The projector view of one ronde (the caller has checked the workshop right on it)."""
    st.html(OPMAAK + TOETSEN, unsafe_allow_javascript=True)

    @context.bewaak_callback
    def _stap(sleutels: list[tuple[str, str]], stap: int) -> None:
        """One criterium on from where the ronde is now (the facilitator may have moved it)."""
        nu = repo.ronde(eng, ronde_id)
        if nu is None:
            return
        hier = (nu.huidig_kader, nu.huidig_criterium)
        nieuw = min(max((sleutels.index(hier) if hier in sleutels else 0) + stap, 0), len(sleutels) - 1)
        try:
            repo.zet_fase(eng, ronde_id, nu.fase, *sleutels[nieuw], door=gebruiker)
        except ValueError as e:  # a closed ronde, a kader no longer pinned
            st.session_state["beamer_melding"] = str(e)

    @st.fragment(run_every=VERVERSEN)
    @context.bewaak_fragment
    def _scherm() -> None:
        ronde = repo.ronde(eng, ronde_id)
        if ronde is None:
            st.info("Deze ronde bestaat niet meer.")
            return
        st.title(f"{md(ronde.gemeente)} · {md(ronde.label)}", anchor=False)
        if ronde.fase == "stil_scoren":
            _stil_scoren(eng, ronde)
            return
        if ronde.is_open and repo.kaart_in_beeld(eng, ronde.id) and repo.samenwerkingskaart_aan(eng, ronde.id):
            _kaart(eng, gebruiker, ronde, rol_namen)  # the facilitator put the samenwerkingskaart in focus
            return
        criteria = [(k, c) for k in kaders if k in ronde.kader_versies for c in kaders[k].criteria]
        if not criteria:
            st.warning("De kaders van deze ronde zijn niet geladen.")
            return
        sleutels = [(k, c.id) for k, c in criteria]
        huidig = (ronde.huidig_kader, ronde.huidig_criterium)
        index = sleutels.index(huidig) if huidig in sleutels else 0
        kader_id, crit = criteria[index]
        _onthullen(eng, ronde, kaders[kader_id], crit, rol_namen)
        melding = st.session_state.pop("beamer_melding", None)
        if melding:
            st.error(md(melding))
        vorige, midden, volgende = st.columns([1, 3, 1], vertical_alignment="center")
        vorige.button("← Vorige", key="beamer-vorige", disabled=index == 0 or not ronde.is_open,
                      on_click=_stap, args=(sleutels, -1), width="stretch")
        midden.markdown(f"Onderdeel {index + 1} van {len(sleutels)}", text_alignment="center")
        volgende.button("Volgende →", key="beamer-volgende", disabled=index == len(sleutels) - 1 or not ronde.is_open,
                        on_click=_stap, args=(sleutels, 1), width="stretch")

    _scherm()


def _kaart(eng, gebruiker, ronde, rol_namen) -> None:
    """The samenwerkingskaart large (views/samenwerkingskaart.py); "Volgende" (the clicker)
    goes back to the criterium in focus."""
    samenwerkingskaart.workshop(eng, ronde, rol_namen, groot=True)

    @context.bewaak_callback
    def _terug() -> None:
        try:
            repo.zet_kaart_in_beeld(eng, ronde.id, False, door=gebruiker)
        except ValueError as e:
            st.session_state["beamer_melding"] = str(e)

    melding = st.session_state.pop("beamer_melding", None)
    if melding:
        st.error(md(melding))
    _, midden, volgende = st.columns([1, 3, 1], vertical_alignment="center")
    midden.markdown("Samenwerkingskaart", text_alignment="center")
    volgende.button("Volgende →", key="beamer-kaart-terug", on_click=_terug,
                    width="stretch", help="Terug naar het onderdeel van de workshop")


def _stil_scoren(eng, ronde) -> None:
    adres = f"{deelnemen.basis_url()}/vragenlijst"
    kort = adres.split("://", 1)[-1]
    alleen_hier = (urlsplit(adres).hostname or "") in ("localhost", "127.0.0.1", "::1", "")
    st.header("Doe mee: vul de vragenlijst in", divider="gray", anchor=False)
    links, rechts = st.columns([2, 3], gap="large")
    links.image(deelnemen.qr_png(adres, schaal=12), width=480,
                caption="QR-code naar de vragenlijst")
    with rechts:
        st.markdown("Scan de QR-code of ga naar:")
        st.subheader(md(kort), anchor=False)
        if alleen_hier:
            st.warning("Dit adres werkt alleen op deze computer, niet op telefoons. Vraag de beheerder "
                       "om het adres in te stellen dat deelnemers kunnen bereiken.", icon=":material/warning:")
        st.markdown("Vul daar de code in die u van de organisator kreeg.")
        st.markdown("De codes staan niet op dit scherm. De app bewaart ze zelf niet, alleen een "
                    "onherkenbare controle. Daarom kan de app ze niet meer laten zien. "
                    "Geen code? Vraag de organisator.")
        aantallen = repo.aantallen_per_rol(eng, ronde.id)
        eerste, tweede = st.columns(2)
        eerste.metric("Deelnemers gestart", sum(g for g, _ in aantallen.values()))
        tweede.metric("Met antwoorden", sum(m for _, m in aantallen.values()))
        st.markdown("U ziet hier alleen hoeveel mensen meedoen, niet wat ze antwoorden.")


def _onthullen(eng, ronde, kader, crit, rol_namen) -> None:
    st.header(md(crit.kort), divider="gray", anchor=False)
    st.markdown(md(crit.tekst))
    antwoorden = onderdruk(repo.antwoorden_df(eng, ronde.id), rol_namen=rol_namen)
    if te_weinig(antwoorden, kader, crit.id):
        st.info(f"{TE_WEINIG}. Minder dan {anonimiteitsdrempel()} deelnemers gaven hier antwoord; "
                "zo blijft niemand herkenbaar.")
    else:
        groepen = rolgroepen(antwoorden, rol_namen)
        tabel = verdeling(antwoorden, kader, crit.id, groepen)
        zin = samenvatting(tabel)  # the chart in words, under it and as its text alternative
        st.altair_chart(verdeling_grafiek_beamer(tabel, kader), theme=None, width="stretch", height="content",
                        alt=f"Staafdiagram: verdeling van de antwoorden per groep voor '{crit.kort}'. {zin} "
                            "Dezelfde cijfers staan in de tabel eronder.")
        st.markdown(md(zin))
        st.table(tabel)
        st.caption(f"{samengevoegd_uitleg()}, zodat niemand herkenbaar is.")
        lijst = toelichtingen(antwoorden, kader, crit.id, groepen)
        if lijst:
            st.subheader(f"Toelichtingen ({len(lijst)})", anchor=False)
            for t in lijst:
                st.markdown(f"**{md(t['groep'])}** · {md(t['score'])}  \n{md(t['tekst'])}")
    tweede_stem.beamer(eng, ronde, kader, crit, rol_namen)  # the second vote on this criterium, if any
    if ronde.fase == "consensus":
        bestaand = repo.consensus_van(eng, ronde.id).get((kader.id, crit.id))
        st.subheader("Gezamenlijk oordeel", divider="gray", anchor=False)
        if bestaand:
            labels = {str(p.waarde): f"{p.waarde} · {p.label}" for p in kader.schaal.punten} | {
                g.waarde: g.label for g in kader.schaal.geen_oordeel}
            st.markdown(f"**{md(labels.get(bestaand[0], bestaand[0]))}**")
            if bestaand[1]:
                st.markdown(md(bestaand[1]))
        else:
            st.markdown("De groep bespreekt nu waar zij samen op uitkomt.")
