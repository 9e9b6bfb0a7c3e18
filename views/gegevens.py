"""Gegevens uitwisselen: export a ronde as uitwisselformaat CSV, or import one (all or nothing);
a workbook of the ronde (Excel: answers, scores, consensus, verbeterplan); a JSON snapshot
of the ronde with SHA-256 for handover to another installation, and its import; and the
samenwerkingskaart of the ronde as its own CSV, out and in (issue 15)."""
from __future__ import annotations

import streamlit as st

from diensten.gegevens import (
    aantal,
    groepeer_meldingen,
    importeer_bestand,
    importeer_snapshotbestand,
    meldingen_csv,
    snapshot_tekst,
    snapshot_van_ronde,
    telling_tekst,
    werkboek_van_ronde,
)
from diensten.samenwerking import import_tekst, importeer_samenwerkingsbestand, samenwerking_csv_van_ronde
from rapport.bestandsnaam import bestandsnaam
from rapport.groepen import anonimiteitsdrempel
from storage import repository as repo
from toegang import mag
from uitwisselformaat import (
    KOLOMMEN,
    MAX_UPLOAD_BYTES,
    UitwisselFout,
    controleer_grootte,
    megabytes,
    schrijf_csv,
    schrijf_xlsx,
)
from uitwisselformaat.samenwerking import SAMENWERKING_KOLOMMEN
from uitwisselformaat.snapshot import SnapshotFout, lees_snapshot
from views import context
from views.tekst import md, md_lijst


def _schalen(alle_kaders) -> str:
    """The values of the kaders' scales: '1 tot en met 4', or per kader when they differ."""
    bereiken = {k.titel: k.schaal.bereik(" tot en met ") for k in alle_kaders.values()}
    if len(set(bereiken.values())) <= 1:
        return next(iter(bereiken.values()), "zie het kader")
    return "; ".join(f"{md(titel)}: {bereik}" for titel, bereik in bereiken.items())


def _toon_meldingen(fout: UitwisselFout, naam: str) -> None:
    """A refused file: one error in a sentence; more grouped by column, the first ten of each,
    and all as a CSV."""
    if fout.totaal == 1 and len(fout.meldingen) == 1:
        st.error(f"Niets geïmporteerd. {md(str(fout.meldingen[0]))}", icon=":material/error:")
        return
    st.error(f"Niets geïmporteerd: {md(naam)} bevat {aantal(fout.totaal, 'fout', 'fouten')}. "
             "Verbeter het bestand en importeer het opnieuw.", icon=":material/error:")
    for groep in groepeer_meldingen(fout):
        regels = list(groep.regels) + ([f"en {groep.meer} meer"] if groep.meer else [])
        st.markdown(f"**{md(groep.titel)}**\n\n{md_lijst(regels)}")
    if fout.totaal > len(fout.meldingen):
        st.caption(f"Alleen de eerste {len(fout.meldingen)} fouten staan in de lijst.")
    st.download_button("Download alle fouten (CSV)", meldingen_csv(fout), on_click="ignore",
                       file_name=bestandsnaam("fouten", naam.rsplit(".", 1)[0], extensie="csv"), mime="text/csv")


gebruiker = context.vereis("exporteren")
st.title("Gegevens uitwisselen")
context.toon_kaderfouten()
eng = context.engine()
kaders = context.kaders()

st.markdown(
    "Het **uitwisselformaat** is een CSV-bestand (UTF-8) met de kolommen "
    f"`{','.join(KOLOMMEN)}`. De score is een waarde van de schaal van het kader ({_schalen(kaders)}), "
    "`weet_niet` of `nvt`. De respondent is een pseudoniem, nooit een naam."
)

st.header("Exporteren", divider="gray")
rondes = [r for r in repo.rondes(eng) if mag(gebruiker, "exporteren", r.gemeente, r.demo)]
if rondes:
    ronde = context.kies_ronde(rondes)
    naam = (ronde.gemeente, ronde.label)
    df_ronde = repo.antwoorden_df(eng, ronde.id)
    links, rechts = st.columns(2)
    neutraal = ("Tekst die met =, +, -, @, een tab of een regelterugloop begint krijgt een ' ervoor, zodat een "
                "spreadsheet er nooit een formule van maakt; bij importeren verdwijnt die ' weer.")
    links.download_button("Download als CSV", schrijf_csv(df_ronde),
                          file_name=bestandsnaam("antwoorden", *naam, extensie="csv"), mime="text/csv", help=neutraal,
                          on_click="ignore")
    rechts.download_button("Download als Excel", schrijf_xlsx(df_ronde),
                           file_name=bestandsnaam("antwoorden", *naam, extensie="xlsx"),
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           help=neutraal, on_click="ignore")
    st.markdown("**Alles van deze ronde**")
    links, rechts = st.columns(2)
    links.download_button(
        "Download werkboek (Excel)", lambda r=ronde.id, namen=context.rol_namen(): werkboek_van_ronde(
            eng, r, kaders, rol_namen=namen),
        file_name=bestandsnaam("werkboek", *naam, extensie="xlsx"),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        help=f"Werkbladen Antwoorden, Scores (rolgroepen met minder dan {anonimiteitsdrempel()} deelnemers "
             "samengevoegd), "
             "Consensus en Verbeterplan.", on_click="ignore")
    rechts.download_button(
        "Download snapshot (JSON)", lambda r=ronde.id: snapshot_van_ronde(eng, r),
        file_name=bestandsnaam("snapshot", *naam, extensie="json"), mime="application/json",
        help="De hele ronde met een controlesom (SHA-256), om over te dragen aan een andere installatie. "
             "Zonder namen en zonder codes.", on_click="ignore")
else:
    ronde = None
    st.caption("Nog geen rondes om te exporteren.")

MAX_MB = MAX_UPLOAD_BYTES // (1024 * 1024)  # also server.maxUploadSize in .streamlit/config.toml

st.header("Importeren", divider="gray")
st.caption("Alles of niets: bij één fout wordt niets opgeslagen en ziet u welke rij en kolom niet klopt. "
           "Rijen die gelijk zijn aan wat al is opgeslagen, worden overgeslagen; een gewijzigde rij past het "
           "antwoord aan (en wordt bewaard in de geschiedenis). "
           f"Hoogstens {megabytes(MAX_UPLOAD_BYTES)} per bestand. Stuurtekens en onzichtbare tekens "
           "(zoals richtingtekens) worden uit toelichtingen verwijderd, zoals in de vragenlijst; in gemeente, "
           "ronde, respondent, rol, kader, criterium en score worden ze geweigerd.")
bestand = st.file_uploader("Kies een CSV- of Excel-bestand", type=["csv", "xlsx"], max_upload_size=MAX_MB)
if bestand is not None and st.button("Importeer", type="primary"):
    try:
        controleer_grootte(bestand.size, bestand.name)  # before reading anything
        # the scope of every gemeente in the file is checked in storage, in the import's transaction
        uit = importeer_bestand(eng, bestand.getvalue(), bestand.name, kaders, set(context.rol_namen()),
                                door=gebruiker)
    except UitwisselFout as e:  # the messages quote the file: its name and cell values
        _toon_meldingen(e, bestand.name)
    except ValueError as e:
        st.error(f"Niets geïmporteerd. {md(e)}", icon=":material/error:")
    else:
        st.success(telling_tekst(uit))

st.header("Snapshot van een ronde importeren", divider="gray")
st.caption("Een snapshot (JSON) uit een andere installatie wordt een nieuwe ronde. Staat die ronde hier al, dan "
           "worden alleen haar antwoorden bijgewerkt: gelijke antwoorden blijven staan, gewijzigde worden "
           "aangepast. Eerst wordt de controlesom gecontroleerd; een gewijzigd of onvolledig bestand wordt "
           "geweigerd. Alles of niets. "
           f"Hoogstens {megabytes(MAX_UPLOAD_BYTES)} per bestand.")
snapshot = st.file_uploader("Kies een snapshot (.json)", type=["json"], key="snapshot", max_upload_size=MAX_MB)
if snapshot is not None:
    controleer, importeer = st.columns(2)
    alleen_controleren = controleer.button("Alleen controleren")
    importeren = importeer.button("Importeer snapshot", type="primary")
    if alleen_controleren or importeren:
        try:
            controleer_grootte(snapshot.size, snapshot.name)  # before reading or parsing anything
            data = snapshot.getvalue()
            inhoud = lees_snapshot(data, snapshot.name, kaders, set(context.rol_namen()))
            if not mag(gebruiker, "importeren", inhoud["gemeente"], inhoud["ronde"]["demo"]):
                raise SnapshotFout(f"{snapshot.name}: dit is een ronde van gemeente '{inhoud['gemeente']}'; "
                                   "daarvoor heeft u geen rechten.")
            samenvatting = (f"{md(inhoud['gemeente'])}, ronde '{md(inhoud['ronde']['label'])}': "
                            f"{len(inhoud['respondenten'])} respondenten, {len(inhoud['verbeterplan'])} acties. "
                            f"Controlesom (SHA-256): `{inhoud['sha256']}`")
            if importeren:
                uit = importeer_snapshotbestand(eng, data, snapshot.name, kaders, set(context.rol_namen()),
                                                door=gebruiker)
                samenvatting = f"{snapshot_tekst(uit)}  \n{samenvatting}"
        except ValueError as e:  # SnapshotFout and repository messages, in Dutch
            melding = str(e)
            if importeren and "Niets geïmporteerd" not in melding:
                melding = f"Niets geïmporteerd. {melding}"
            st.error(md(melding), icon=":material/error:")
        else:
            st.success(("" if importeren else "Het bestand is in orde: ") + samenvatting)


# --- samenwerkingskaart (issue 15): its own file, out and in ------------------------------
st.header("Samenwerkingskaart", divider="gray")
ladder = context.kader_resultaat().schalen.get("coordinatieladder")
niveaus = ", ".join(f"{p.waarde} = {md(p.label.lower())}" for p in ladder.punten) if ladder else "0 tot en met 5"
st.markdown(
    "De samenwerkingskaart heeft een eigen CSV-bestand met de kolommen "
    f"`{','.join(SAMENWERKING_KOLOMMEN)}`. Per deelnemer en partner-rol één rij. Het niveau is een trede van de "
    f"coördinatieladder ({niveaus}), `weet_niet` of `nvt`. De respondent is een pseudoniem, nooit een naam."
)
st.subheader("Samenwerkingskaart exporteren")
if ronde is not None:
    st.caption(f"Van {md(ronde.gemeente)}, ronde {md(ronde.label)}: de ronde die u bovenaan bij Exporteren koos.")
    st.download_button(
        "Download de samenwerkingskaart (CSV)", samenwerking_csv_van_ronde(eng, ronde.id),  # small: one query
        file_name=bestandsnaam("samenwerkingskaart", ronde.gemeente, ronde.label, extensie="csv"), mime="text/csv",
        key="samenwerking-export", on_click="ignore",
        help=f"De antwoorden van {md(ronde.gemeente)}, ronde '{md(ronde.label)}', per deelnemer en partner. {neutraal}")
else:
    st.caption("Nog geen rondes om te exporteren.")
st.subheader("Samenwerkingskaart importeren")
st.caption("Alles of niets: bij één fout wordt niets opgeslagen en ziet u welke rij en kolom niet klopt. De gemeente "
           "en de ronde moeten hier al bestaan en de ronde moet open zijn. Een rij voor een deelnemer en partner "
           "die er al is, vervangt het oude antwoord. "
           f"Hoogstens {megabytes(MAX_UPLOAD_BYTES)} per bestand.")
kaartbestand = st.file_uploader("Kies een CSV-bestand met de samenwerkingskaart", type=["csv"], key="samenwerking",
                                max_upload_size=MAX_MB)
if kaartbestand is not None and st.button("Importeer de samenwerkingskaart", type="primary"):
    try:
        # the scope of every gemeente in the file is checked in storage, in the import's transaction
        n = importeer_samenwerkingsbestand(eng, kaartbestand.getvalue(), kaartbestand.name,
                                           set(context.rol_namen()), door=gebruiker)
    except UitwisselFout as e:  # the messages quote the file: its name and cell values
        _toon_meldingen(e, kaartbestand.name)
    except ValueError as e:  # BuitenBereik and other storage refusals, in Dutch
        st.error(f"Niets geïmporteerd. {md(e)}", icon=":material/error:")
    else:
        st.success(import_tekst(n))
