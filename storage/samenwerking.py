"""The samenwerkingskaart of a ronde: the facilitator's switch that adds the optional
part to the questionnaire, a participant's answers per partner rol (how far the
cooperation around a family usually goes, on the coördinatieladder), the answers of a
ronde as the samenwerking DataFrame (:mod:`uitwisselformaat.samenwerking`), and
importing such a DataFrame, all or nothing.

Which partners a respondent is asked about: the rollen invited to the ronde
(``RondeRol``) other than their own; for a ronde created without invited rollen, the
rollen of its respondents other than their own (:func:`partner_rollen`).
"""
from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from storage.bereik import controleer, controleer_ronde
from storage.controle import open_ronde, weiger_gesloten
from storage.db import met_herhaling, sessie, upsert
from storage.models import Gemeente, Respondent, Ronde, RondeRol, Samenwerking, nu
from storage.records import natuurlijk
from toegang import Gebruiker
from uitwisselformaat import MAX_TOELICHTING, Melding, UitwisselFout, schone_tekst, verboden_teken
from uitwisselformaat.samenwerking import NIVEAUS, SAMENWERKING_KOLOMMEN
from uitwisselformaat.waarden import FASE_STIL_SCOREN

_SLEUTEL = ("respondent_id", "partner")


def samenwerkingskaart_aan(engine: Engine, ronde_id: int) -> bool:
    """Whether the questionnaire of this ronde asks the samenwerkingskaart (False when the ronde is gone)."""
    with sessie(engine) as s:
        return bool(s.scalar(select(Ronde.samenwerkingskaart).where(Ronde.id == ronde_id)))


def zet_samenwerkingskaart(engine: Engine, ronde_id: int, aan: bool, *, door: Gebruiker) -> None:
    """Switch the samenwerkingskaart part of the questionnaire on or off for an open ronde.

    A facilitator's action before the workshop (right ``ronde_beheren``, checked in
    the gemeente of the ronde). Switching it off keeps the answers already given; they
    are asked again when it is switched on. ValueError (Dutch) for a closed or missing ronde.
    """
    def actie() -> None:
        with sessie(engine, schrijven=True) as s:
            controleer_ronde(s, door, "ronde_beheren", ronde_id)
            r = open_ronde(s, ronde_id, "de samenwerkingskaart kan niet meer worden aan- of uitgezet",
                           exclusief=True)
            r.samenwerkingskaart = bool(aan)

    met_herhaling(actie)


def _partners(s: Session, ronde_id: int, eigen_rol: str) -> tuple[str, ...]:
    rollen = set(s.scalars(select(RondeRol.rol).where(RondeRol.ronde_id == ronde_id)))
    if not rollen:
        rollen = set(s.scalars(select(Respondent.rol).where(Respondent.ronde_id == ronde_id).distinct()))
    return tuple(sorted(rollen - {eigen_rol}))


def partner_rollen(engine: Engine, ronde_id: int, eigen_rol: str) -> tuple[str, ...]:
    """The partner rollen a respondent with ``eigen_rol`` is asked about, sorted by id."""
    with sessie(engine) as s:
        return _partners(s, ronde_id, eigen_rol)


def _controleer_niveau(niveau: str | None) -> str | None:
    if niveau is None:
        return None
    niveau = str(niveau).strip().lower()
    if niveau not in NIVEAUS:
        raise ValueError(f"'{niveau}' is geen niveau van de coördinatieladder; kies 0 tot en met 5, "
                         "weet niet of niet van toepassing.")
    return niveau


def bewaar_samenwerking(
    engine: Engine, respondent_id: int, partner: str, niveau: str | None, toelichting: str | None,
) -> None:
    """Save a participant's answer about one partner rol; committed before it returns,
    retried on transient lock/serialisation errors.

    A participant write, scoped by the respondent id their code gave them (like
    ``bewaar_antwoord``), so no ``door``. ``niveau`` is '0'..'5', 'weet_niet' or 'nvt'.
    A row always has a niveau: ``niveau`` None with an empty toelichting deletes the
    answer (the participant takes it back); ``niveau`` None with a toelichting is
    refused (the page asks for a niveau first and then saves both). ValueError (Dutch)
    for an unknown respondent, a closed ronde, a ronde whose samenwerkingskaart is off,
    the respondent's own rol as partner, a partner rol not in the ronde or a bad niveau.
    """
    niveau = _controleer_niveau(niveau)
    partner = str(partner or "").strip()
    toelichting = schone_tekst(toelichting, MAX_TOELICHTING).strip()
    if niveau is None and toelichting.strip():
        raise ValueError("Kies eerst hoe ver de samenwerking gaat; dan bewaren we uw toelichting ook.")

    def actie() -> None:
        with sessie(engine, schrijven=True) as s:
            rij = s.execute(
                select(Respondent.rol, Ronde.id, Ronde.status, Ronde.label, Ronde.samenwerkingskaart)
                .join(Ronde, Ronde.id == Respondent.ronde_id).where(Respondent.id == respondent_id)
                .with_for_update(read=True, of=Ronde)).first()
            if rij is None:
                raise ValueError("Onbekende respondent; start de vragenlijst opnieuw.")
            weiger_gesloten(rij.status, rij.label)
            if not rij.samenwerkingskaart:
                raise ValueError("In deze ronde wordt niet naar de samenwerking gevraagd.")
            if partner == rij.rol:
                raise ValueError("Kies een andere rol dan uw eigen rol.")
            if partner not in _partners(s, rij.id, rij.rol):
                raise ValueError(f"De rol '{partner}' doet niet mee in deze ronde.")
            if niveau is None:
                s.execute(delete(Samenwerking).where(Samenwerking.respondent_id == respondent_id,
                                                     Samenwerking.partner == partner))
                return
            upsert(s, Samenwerking, _SLEUTEL, dict(respondent_id=respondent_id, partner=partner, niveau=niveau,
                                                   toelichting=toelichting, bijgewerkt=nu()))

    met_herhaling(actie)


def samenwerking_van(engine: Engine, respondent_id: int) -> dict[str, tuple[str, str]]:
    """A respondent's answers: partner rol -> (niveau, toelichting)."""
    with sessie(engine) as s:
        rijen = s.scalars(select(Samenwerking).where(Samenwerking.respondent_id == respondent_id))
        return {w.partner: (w.niveau, w.toelichting) for w in rijen}


def samenwerking_df(engine: Engine, ronde_id: int) -> pd.DataFrame:
    """The samenwerking answers of a ronde (columns ``SAMENWERKING_KOLOMMEN``, strings),
    sorted by respondent and partner (numbers inside ids in numeric order)."""
    vraag = (
        select(Gemeente.naam, Ronde.label, Respondent.pseudoniem, Respondent.rol,
               Samenwerking.partner, Samenwerking.niveau, Samenwerking.toelichting)
        .join(Respondent, Samenwerking.respondent_id == Respondent.id)
        .join(Ronde, Respondent.ronde_id == Ronde.id)
        .join(Gemeente, Ronde.gemeente_id == Gemeente.id)
        .where(Ronde.id == ronde_id)
    )
    with sessie(engine) as s:
        rijen = [tuple(r) for r in s.execute(vraag).all()]
    rijen.sort(key=lambda r: (natuurlijk(r[2]), natuurlijk(r[4])))
    return pd.DataFrame(rijen, columns=list(SAMENWERKING_KOLOMMEN), dtype="str")


# ----------------------------------------------------------------- import


def _tekst(waarde) -> str:
    return "" if waarde is None or (isinstance(waarde, float) and waarde != waarde) else str(waarde).strip()


def _controleer_rijen(s: Session, df: pd.DataFrame, bestand: str, door: Gebruiker
                      ) -> tuple[list[Melding], list[dict], list[dict]]:
    """Every row checked against the database: (problems, new respondents, rows to write)."""
    meldingen: list[Melding] = []
    rondes: dict[tuple[str, str], tuple | None] = {}
    respondenten: dict[str, dict] = {}
    nieuw: list[dict] = []
    schrijven: list[dict] = []
    gezien: set[tuple[str, str]] = set()
    rijnummers = df.index.tolist() if df.index.name == "rij" else [None] * len(df)

    def fout(rij, kolom, tekst):
        meldingen.append(Melding(tekst, rij, kolom, bestand))

    for rij, w in zip(rijnummers, df[list(SAMENWERKING_KOLOMMEN)].itertuples(index=False)):
        w = {k: _tekst(v) for k, v in zip(SAMENWERKING_KOLOMMEN, w)}
        slecht = [k for k in SAMENWERKING_KOLOMMEN[:6] if not w[k] or verboden_teken(w[k]) is not None]
        for k in slecht:
            fout(rij, k, "deze cel is leeg." if not w[k] else f"bevat een teken dat daar niet mag: "
                 f"{verboden_teken(w[k])}.")
        if slecht:
            continue
        sleutel = (w["gemeente"], w["ronde"])
        if sleutel not in rondes:
            rondes[sleutel] = _zoek_ronde(s, *sleutel)
            if rondes[sleutel] is not None:
                g_naam, g_demo, *_ = rondes[sleutel]
                controleer(door, "importeren", g_naam, g_demo)  # BuitenBereik refuses the whole file
            else:
                fout(rij, "ronde", f"de ronde '{w['ronde']}' van gemeente '{w['gemeente']}' bestaat niet; "
                     "maak die eerst aan.")
                continue
        info = rondes[sleutel]
        if info is None:
            continue
        _, _, ronde_id, status, label, rollen = info
        if status == "gesloten":
            fout(rij, "ronde", f"de ronde '{label}' is gesloten; daar kan niets meer bij.")
            continue
        if w["niveau"].lower() not in NIVEAUS:
            fout(rij, "niveau", f"'{w['niveau']}' is geen niveau; gebruik 0 tot en met 5, weet_niet of nvt.")
            continue
        if w["partner"] == w["rol"]:
            fout(rij, "partner", "de partner is dezelfde rol als de respondent.")
            continue
        if rollen and (w["rol"] not in rollen or w["partner"] not in rollen):
            kolom = "rol" if w["rol"] not in rollen else "partner"
            fout(rij, kolom, f"de rol '{w[kolom]}' is niet uitgenodigd voor de ronde '{label}'.")
            continue
        resp = respondenten.get(w["respondent"])
        if resp is None:
            bestaand = s.execute(select(Respondent.id, Respondent.ronde_id, Respondent.rol)
                                 .where(Respondent.pseudoniem == w["respondent"])).first()
            if bestaand is None:
                resp = {"id": None, "ronde_id": ronde_id, "rol": w["rol"], "pseudoniem": w["respondent"]}
                nieuw.append(resp)
            else:
                resp = {"id": bestaand.id, "ronde_id": bestaand.ronde_id, "rol": bestaand.rol,
                        "pseudoniem": w["respondent"]}
            respondenten[w["respondent"]] = resp
        if resp["ronde_id"] != ronde_id or resp["rol"] != w["rol"]:
            fout(rij, "respondent", f"respondent '{w['respondent']}' hoort bij een andere ronde of rol.")
            continue
        if (w["respondent"], w["partner"]) in gezien:
            fout(rij, "partner", f"respondent '{w['respondent']}' noemt partner '{w['partner']}' twee keer.")
            continue
        gezien.add((w["respondent"], w["partner"]))
        schrijven.append({"resp": resp, "partner": w["partner"], "niveau": w["niveau"].lower(),
                          "toelichting": schone_tekst(w["toelichting"], MAX_TOELICHTING).strip()})
    return meldingen, nieuw, schrijven


def _zoek_ronde(s: Session, gemeente: str, label: str):
    rij = s.execute(select(Gemeente.naam, Gemeente.demo, Ronde.id, Ronde.status, Ronde.label)
                    .join(Ronde, Ronde.gemeente_id == Gemeente.id)
                    .where(Gemeente.naam == gemeente, Ronde.label == label)
                    .with_for_update(read=True, of=Ronde)).first()
    if rij is None:
        return None
    rollen = frozenset(s.scalars(select(RondeRol.rol).where(RondeRol.ronde_id == rij.id)))
    return (*rij, rollen)


def importeer_samenwerking(engine: Engine, df: pd.DataFrame, bestand: str = "", *, door: Gebruiker) -> int:
    """Import a samenwerking DataFrame (``lees_samenwerking_csv``), all or nothing; returns
    the number of rows written (new or overwritten).

    Gemeenten and rondes are matched by name and label and must exist (a samenwerkingskaart
    belongs to a ronde set up already); every gemeente must be in the scope of ``door``
    (right ``importeren``) and every ronde open. Respondents are matched by pseudonym,
    like the answers import: an existing pseudonym must belong to that ronde and rol, a
    new one is created in that ronde with that rol. When the ronde has invited rollen,
    ``rol`` and ``partner`` must be among them. A row for a respondent × partner already
    stored overwrites it. The ronde's switch is left as it is. Raises UitwisselFout
    listing every problem with row (when the index is ``rij``) and column; nothing is written.
    """
    ontbrekend = [k for k in SAMENWERKING_KOLOMMEN if k not in df.columns]
    if ontbrekend:
        raise UitwisselFout([Melding(f"kolommen ontbreken: {', '.join(ontbrekend)}.", None, None, bestand)])

    def actie() -> int:
        with sessie(engine, schrijven=True) as s:
            meldingen, nieuw, schrijven = _controleer_rijen(s, df, bestand, door)
            if meldingen:
                raise UitwisselFout(meldingen)
            moment = nu()
            for resp in nieuw:
                r = Respondent(ronde_id=resp["ronde_id"], pseudoniem=resp["pseudoniem"], rol=resp["rol"],
                               aangemaakt=moment)
                s.add(r)
                s.flush()
                resp["id"] = r.id
            for w in schrijven:
                upsert(s, Samenwerking, _SLEUTEL, dict(respondent_id=w["resp"]["id"], partner=w["partner"],
                                                       niveau=w["niveau"], toelichting=w["toelichting"],
                                                       bijgewerkt=moment))
            return len(schrijven)

    return met_herhaling(actie)


# ------------------------------------------------------------------ the kaart in the workshop
# The facilitator can put the samenwerkingskaart in focus as a workshop step; the projector
# (views/beamer.py) reads it from here, as it reads the fase and the criterium
# (``ronde.kaart_in_beeld``, deleted with the ronde).


def kaart_in_beeld(engine: Engine, ronde_id: int) -> bool:
    """Whether the workshop of this ronde shows the samenwerkingskaart now."""
    with sessie(engine) as s:
        return bool(s.scalar(select(Ronde.kaart_in_beeld).where(Ronde.id == ronde_id)))


def zet_kaart_in_beeld(engine: Engine, ronde_id: int, aan: bool, *, door: Gebruiker) -> None:
    """Put the samenwerkingskaart in focus in the workshop of an open ronde, or take it out.

    Right ``workshop`` in the gemeente of the ronde. ValueError (Dutch) for a closed or
    missing ronde, and, when switching it on, for a ronde that does not ask the kaart or
    a workshop still in 'stil scoren' (the kaart comes after the questionnaire).
    """
    def actie() -> None:
        with sessie(engine, schrijven=True) as s:
            controleer_ronde(s, door, "workshop", ronde_id)
            r = open_ronde(s, ronde_id, "de samenwerkingskaart kan niet meer worden getoond", exclusief=True)
            if aan and not r.samenwerkingskaart:
                raise ValueError("Deze ronde vraagt de samenwerkingskaart niet; zet die eerst aan bij "
                                 "Rondes beheren.")
            if aan and r.fase == FASE_STIL_SCOREN:
                raise ValueError("De samenwerkingskaart kan pas na het stil scoren worden getoond.")
            r.kaart_in_beeld = bool(aan)

    met_herhaling(actie)
