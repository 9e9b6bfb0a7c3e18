"""Regio vergelijken: heatmap gemeenten × criteria, verloop per gemeente, spreiding per
criterium. Only opted-in gemeenten; below the threshold no per-gemeente value; no ranking.
The logic and the rules live in rapport/regio.py (see docs/regio.md)."""
from __future__ import annotations

import contextlib

import pandas as pd
import streamlit as st

from diensten import overzicht
from kader.koppeling import OntbrekendeKoppeling
from rapport import regio, samenvatting
from rapport.trend import koppeling_noot, trend
from storage import repository as repo
from toegang import mag
from views import context
from views.opmaak import kolombreedtes
from views.tekst import md

st.title("Regio vergelijken")
context.toon_kaderfouten()
eng = context.engine()
kaders = context.kaders()
gebruiker = context.huidige_gebruiker()


def _zichtbaar(g) -> bool:
    return g.demo or mag(gebruiker, "regio_vergelijken", g.naam, g.demo)


regios = {naam: [g for g in lijst if _zichtbaar(g)] for naam, lijst in repo.regios(eng).items()}
regios = {naam: lijst for naam, lijst in regios.items() if lijst}
if not regios:
    st.info("Er is geen regio die u mag bekijken. Regio-analisten, inspecteurs en beheerders "
            "kunnen na het inloggen de regio's van hun gemeenten vergelijken.")
    st.stop()

links, rechts = st.columns(2)
regio_naam = links.selectbox("Regio", list(regios))
kader_id = rechts.selectbox("Kader", list(kaders), format_func=lambda k: kaders[k].titel)
kader = kaders[kader_id]
gemeenten = regios[regio_naam]
if all(g.demo for g in gemeenten):
    st.info("**Demo** — een fictieve regio met verzonnen antwoorden.", icon=":material/science:")

meedoen = sorted((g.naam for g in gemeenten if g.vergelijking), key=str.lower)
niet = sorted((g.naam for g in gemeenten if not g.vergelijking), key=str.lower)
st.write(
    f"**{len(meedoen)} van de {len(gemeenten)} gemeenten** in deze regio doen mee aan de vergelijking. "
    "Een gemeente doet alleen mee als zij daarvoor heeft gekozen (bij **Rondes beheren**)."
    + (f" Niet mee doen: {md(', '.join(niet))}." if niet else "")
)
st.caption("Geen ranglijst: gemeenten staan altijd op alfabet, nooit op score. "
           f"Een cijfer is de mediaan van de scores ({md(kader.schaal.uitersten())}).")

# a criterium with too few answers in a gemeente is left out there (anonymity, diensten)
antwoorden = overzicht.regio_antwoorden(eng, regio_naam, kader_id)
antwoorden = antwoorden[antwoorden["gemeente"].isin(meedoen)]
# rondes match by year (ronde.jaar) and kader, whatever their labels ("2026", "2026 (demo)")
antwoorden, metas = regio.per_jaar(antwoorden, repo.rondes(eng))
try:
    koppelingen = context.koppelingen()
    tabel = trend(antwoorden, metas, kader, koppelingen)
except OntbrekendeKoppeling as e:
    st.error(f"Deze rondes kunnen niet met elkaar vergeleken worden: {md(e)}", icon=":material/error:")
    st.stop()

if not regio.per_gemeente_toegestaan(tabel):
    st.warning(
        f"Er doen {regio.aantal_gemeenten(tabel)} gemeenten met antwoorden mee. Om gemeenten te "
        f"beschermen tonen we pas iets per gemeente vanaf {regio.drempel()} deelnemende gemeenten.",
        icon=":material/visibility_off:",
    )
    st.stop()

rondes = list(regio.rondes_in(tabel))
noot = koppeling_noot(tabel, kader, koppelingen)


def _nl(df: pd.DataFrame) -> pd.DataFrame:
    return df.map(context.getal)


# opens on the newest year in which enough gemeenten take part
_START = rondes.index(regio.nieuwste_getoonde(tabel) or rondes[-1])


def _ronde(sleutel: str) -> str | None:
    """A year selector; None (with a warning) when too few gemeenten take part that year."""
    gekozen = st.selectbox("Jaar", rondes, index=_START, key=sleutel)
    if regio.per_gemeente_toegestaan(tabel, gekozen):
        return gekozen
    st.warning(f"In {md(gekozen)} doen minder dan {regio.drempel()} gemeenten mee; "
               "kies een ander jaar.", icon=":material/visibility_off:")
    return None


def _grafiek_met_tabel(grafiek, soort: str, zin: str, uitleg: str, tabel_df: pd.DataFrame,
                      schuifvak: str | None = None) -> None:
    """A chart, its summary in words (`rapport.samenvatting`; also the chart's text alternative),
    then its data. A wide chart (`schuifvak`, a container key) keeps its size and scrolls
    sideways in its own box on a small screen (views/opmaak.py), instead of shrinking until it
    cannot be read; the table below keeps the row names pinned."""
    with st.container(key=schuifvak) if schuifvak else contextlib.nullcontext():
        st.vega_lite_chart(grafiek.to_dict(), width="content", alt=f"{soort}. {zin}")
    st.markdown(f"**In het kort:** {md(zin)}")
    st.markdown(f"**Gegevens bij de grafiek** — {md(uitleg)}")
    st.dataframe(tabel_df, column_config=kolombreedtes(tabel_df))


tab_heat, tab_trend, tab_spreiding = st.tabs(["Overzicht per criterium", "Verloop per gemeente",
                                              "Spreiding tussen gemeenten"])
with tab_heat:
    if (ronde := _ronde("regio-ronde-heatmap")) is not None:
        heat = regio.heatmap_tabel(tabel, kader, ronde)
        _grafiek_met_tabel(regio.heatmap(tabel, kader, ronde), "Heatmap: mediaan per gemeente en criterium",
                           samenvatting.heatmap(heat), "mediaan per gemeente en criterium",
                           _nl(heat), schuifvak="schuifvak-heatmap")

with tab_trend:
    keuzes = [regio.ALLE_CRITERIA, *[c.id for c in kader.criteria]]
    namen = {regio.ALLE_CRITERIA: regio.ALLE_CRITERIA_LABEL, **{c.id: c.kort for c in kader.criteria}}
    criterium = st.selectbox("Criterium", keuzes, format_func=namen.get, key="regio-criterium")
    if noot:
        st.info(md(noot), icon=":material/merge_type:")
    _grafiek_met_tabel(regio.trendgrafiek(tabel, kader, criterium), "Lijngrafieken: verloop per gemeente",
                       samenvatting.trend(regio.trend_per_gemeente(tabel, criterium), regio.ronde_volgorde(tabel)),
                       f"{namen[criterium].lower()} per gemeente en jaar",
                       _nl(regio.trend_tabel(tabel, criterium)))

with tab_spreiding:
    if (ronde := _ronde("regio-ronde-spreiding")) is not None:
        ruw = regio.verdeling(tabel, kader, ronde)
        stats = ruw.drop(columns="criterium").rename(columns={
            "kort": "Criterium", "gemeenten": "Gemeenten", "laagste": "Laagste", "q1": "Q1",
            "regionale_mediaan": "Regionale mediaan", "q3": "Q3", "hoogste": "Hoogste"})
        stats = stats.set_index("Criterium")
        getallen = stats.drop(columns="Gemeenten").map(context.getal)
        _grafiek_met_tabel(regio.verdelingsgrafiek(tabel, kader, ronde), "Spreiding tussen gemeenten",
                           samenvatting.spreiding(ruw), "de medianen van de gemeenten per criterium",
                           getallen.assign(Gemeenten=stats["Gemeenten"])[list(stats.columns)])
