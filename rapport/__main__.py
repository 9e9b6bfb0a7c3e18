"""Command line.

* ``python -m rapport verbeterplan --antwoorden FILE.csv --kader ID --gemeente G
  --ronde R --out plan.pdf [--vorige-ronde R0] [--samenwerking S.csv]`` writes the
  verbeterplan PDF (PDF/A-3a, with the answers and scores embedded; with
  ``--vorige-ronde`` also the comparison with that ronde from the same file; with
  ``--samenwerking`` the samenwerkingskaart of `rapport.samenwerkingskaart`) and prints
  its path.
* ``python -m rapport voorbereiding --antwoorden FILE.csv --kader ID --gemeente G
  --ronde R --out voorbereiding.pdf [--samenwerking S.csv]`` writes the inspecteur's PDF "Voorbereiding
  inspectiebezoek" (`rapport.inspectiebezoek`, with the sourced questions and methods of
  kader/werkwijze.yaml) and prints its path.
* ``python -m rapport scores --antwoorden FILE.csv --format json|csv [--kader ID]
  [--gemeente G] [--ronde R] [--drempel N]`` writes the `rapport.analyse.analyseer`
  table (every kader in the file, or only ``--kader``) to stdout, floats rounded to
  `rapport.analyse.DECIMALEN` decimals (docs/analyse.md).
* ``python -m rapport batch --ronde R --out MAP [--kader ID] [--werkers N]`` writes the
  verbeterplan PDF of every gemeente that has a ronde with label R, from the database
  (``ZBT_DATABASE_URL``), one file per gemeente, N at a time (`rapport.batch`; default
  one process per core), with a progress bar on stderr when that is a terminal.
* ``python -m rapport netwerk --antwoorden SAMENWERKING.csv --format json|csv
  [--gemeente G] [--ronde R] [--drempel N] [--out F]`` writes the samenwerkingskaart
  analysis (`rapport.netwerk.analyseer`: per ordered pair of rollen n, median, quartiles
  and distribution; the asymmetric pairs) to stdout or to F. The file is a samenwerking
  CSV (`uitwisselformaat.samenwerking`), not an answers file.

Exit codes: 0 = done, 1 = a problem with the input or a database that cannot be
reached (message in Dutch on stderr), 2 = wrong arguments (argparse), 3 = batch: one
or more gemeenten failed (each named on stderr with its reason; the others were written).
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from kader.model import Kader
from opdrachtregel import Parser as _Parser


class _Fout(Exception):
    """A problem the user can fix; the message is Dutch and shown as is."""


def _laad_kaders() -> dict[str, Kader]:
    """All kaders; loading problems of other kaders are not fatal here."""
    from kader import laad_kaders

    return dict(laad_kaders().kaders)


def _rol_namen() -> dict[str, str]:
    try:
        from vragenlijsten import rol_namen
    except ImportError:  # pragma: no cover - vragenlijsten is part of the project
        return {}
    try:
        return dict(rol_namen())
    except Exception:  # names are cosmetic: fall back to the rol ids
        return {}


def _lees_antwoorden(pad: Path, kaders: Mapping[str, Kader]) -> pd.DataFrame:
    from uitwisselformaat import UitwisselFout, lees_csv

    try:
        data = pad.read_bytes()
    except FileNotFoundError:
        raise _Fout(f"Het bestand '{pad}' bestaat niet.") from None
    except OSError as e:
        raise _Fout(f"Het bestand '{pad}' kan niet worden gelezen: {e.strerror}.") from None
    try:
        return lees_csv(data, kaders, bestand=str(pad))
    except UitwisselFout as e:
        raise _Fout(f"Het bestand met antwoorden is niet bruikbaar:\n{e}") from None


def _opties(waarden: Sequence[str]) -> str:
    w = sorted(set(waarden))
    if len(w) > 10:
        w = w[:10] + ["…"]
    return ", ".join(f"'{x}'" for x in w) or "(geen)"


def _pdf_argumenten(p, uitvoer: str) -> None:
    """The arguments every one-gemeente PDF command takes (verbeterplan, voorbereiding)."""
    p.add_argument("--antwoorden", required=True, type=Path, metavar="BESTAND.csv",
                   help="CSV-bestand met antwoorden in het uitwisselformaat")
    p.add_argument("--kader", required=True, metavar="ID",
                   help="id van het kader, bijvoorbeeld stj-stelseltoezicht-jeugd")
    p.add_argument("--gemeente", required=True, metavar="GEMEENTE",
                   help="naam van de gemeente zoals in het bestand")
    p.add_argument("--ronde", required=True, metavar="RONDE",
                   help="ronde zoals in het bestand")
    p.add_argument("--out", required=True, type=Path, metavar=uitvoer, help="waar de PDF komt")
    p.add_argument("--samenwerking", type=Path, metavar="SAMENWERKING.csv",
                   help="CSV-bestand met de samenwerkingskaart; dan staat die ook in de PDF")


def maak_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m rapport",
        description="Rapporten maken van de zelfevaluatie.",
    )
    sub = parser.add_subparsers(
        dest="opdracht", metavar="OPDRACHT", parser_class=_Parser, title="opdrachten"
    )
    sub.required = True
    vp = sub.add_parser(
        "verbeterplan",
        help="maak het verbeterplan (PDF) voor één gemeente, ronde en kader",
        description=(
            "Maak het verbeterplan (PDF, A4) voor één gemeente, ronde en kader uit een "
            "bestand met antwoorden in het uitwisselformaat."
        ),
    )
    _pdf_argumenten(vp, "PLAN.pdf")
    vp.add_argument("--vorige-ronde", metavar="RONDE",
                    help="vergelijk met deze eerdere ronde uit hetzelfde bestand (voortgang)")
    vb = sub.add_parser(
        "voorbereiding",
        help="maak de voorbereiding van een inspectiebezoek (PDF) voor één gemeente, ronde en kader",
        description=(
            "Maak de voorbereiding van een inspectiebezoek (PDF, A4) voor één gemeente, ronde en "
            "kader uit een bestand met antwoorden in het uitwisselformaat: scores, signalen, en "
            "de vragen en methoden uit de bronnen."
        ),
    )
    _pdf_argumenten(vb, "VOORBEREIDING.pdf")
    sc = sub.add_parser(
        "scores",
        help="schrijf de scores per criterium, thema en kader (JSON of CSV) naar stdout",
        description=(
            "Schrijf de analyse (aantallen, gemiddelde, mediaan, kwartielen, aandelen weet "
            "niet en nvt, consensus) per criterium, thema en kader, voor alle respondenten "
            "en per rolgroep, naar stdout. Kleine rolgroepen worden samengevoegd."
        ),
    )
    sc.add_argument("--antwoorden", required=True, type=Path, metavar="BESTAND.csv",
                    help="CSV-bestand met antwoorden in het uitwisselformaat")
    sc.add_argument("--format", required=True, choices=("json", "csv"), dest="formaat",
                    help="uitvoerformaat")
    sc.add_argument("--kader", metavar="ID",
                    help="alleen dit kader (standaard: elk kader dat in het bestand voorkomt)")
    sc.add_argument("--gemeente", metavar="GEMEENTE", help="alleen deze gemeente")
    sc.add_argument("--ronde", metavar="RONDE", help="alleen deze ronde")
    sc.add_argument("--drempel", type=int, metavar="N",
                    help="minimale groepsgrootte voor anonimiteit (standaard 3 of "
                         "ZBT_ANONIMITEIT_DREMPEL)")
    bt = sub.add_parser(
        "batch",
        help="maak het verbeterplan (PDF) van elke gemeente voor één ronde, uit de database",
        description=(
            "Maak het verbeterplan (PDF) van elke gemeente die een ronde met dit label heeft, "
            "uit de database (ZBT_DATABASE_URL; standaard data/zelfbeoordeling.db). Eén bestand "
            "per gemeente; de voortgang staat op stderr."
        ),
    )
    bt.add_argument("--ronde", required=True, metavar="RONDE",
                    help="label van de ronde, bijvoorbeeld '2026 (demo)'")
    bt.add_argument("--out", required=True, type=Path, metavar="MAP",
                    help="map waar de PDF's komen (wordt gemaakt als die niet bestaat)")
    bt.add_argument("--kader", metavar="ID",
                    help="kader van het plan (standaard het toezichtkader van de ronde)")
    bt.add_argument("--werkers", type=_werkers, metavar="N",
                    help="aantal processen dat tegelijk PDF's maakt (standaard het aantal "
                         "processorkernen; 1 = na elkaar)")
    _netwerk_parser(sub)
    return parser


# ----------------------------------------------------------------- netwerk (issue 15)


def _netwerk_parser(sub) -> None:
    nw = sub.add_parser(
        "netwerk",
        help="schrijf de samenwerkingskaart per paar rollen (JSON of CSV)",
        description=(
            "Schrijf de samenwerkingskaart: per paar rollen (van wie antwoordt naar de partner) "
            "het aantal, de mediaan en de kwartielen op de coördinatieladder, de verdeling, en de "
            "paren waarvan de twee richtingen 2 niveaus of meer verschillen. Paren met te weinig "
            "antwoorden worden achtergehouden."
        ),
    )
    nw.add_argument("--antwoorden", required=True, type=Path, metavar="SAMENWERKING.csv",
                    help="CSV-bestand met de samenwerkingskaart (gemeente,ronde,respondent,rol,"
                         "partner,niveau,toelichting)")
    nw.add_argument("--format", required=True, choices=("json", "csv"), dest="formaat",
                    help="uitvoerformaat")
    nw.add_argument("--gemeente", metavar="GEMEENTE", help="alleen deze gemeente")
    nw.add_argument("--ronde", metavar="RONDE", help="alleen deze ronde")
    nw.add_argument("--drempel", type=_werkers, metavar="N",
                    help="minimale groepsgrootte voor anonimiteit (standaard 3 of "
                         "ZBT_ANONIMITEIT_DREMPEL)")
    nw.add_argument("--out", type=Path, metavar="BESTAND",
                    help="schrijf naar dit bestand in plaats van naar het scherm")


def _lees_samenwerking(pad: Path | None) -> pd.DataFrame | None:
    """The samenwerking CSV at ``pad`` (None: None), or a Dutch `_Fout`."""
    from uitwisselformaat import UitwisselFout
    from uitwisselformaat.samenwerking import lees_samenwerking_csv

    if pad is None:
        return None
    try:
        data = pad.read_bytes()
    except FileNotFoundError:
        raise _Fout(f"Het bestand '{pad}' bestaat niet.") from None
    except OSError as e:
        raise _Fout(f"Het bestand '{pad}' kan niet worden gelezen: {e.strerror}.") from None
    try:
        return lees_samenwerking_csv(data, bestand=str(pad), rollen=set(_rol_namen()) or None)
    except UitwisselFout as e:
        raise _Fout(f"Het bestand met de samenwerkingskaart is niet bruikbaar:\n{e}") from None


def _netwerk(args: argparse.Namespace) -> str:
    import json

    from rapport.groepen import anonimiteitsdrempel
    from rapport.netwerk import als_tabel, analyseer

    df = _lees_samenwerking(args.antwoorden)
    for kolom, waarde in (("gemeente", args.gemeente), ("ronde", args.ronde)):
        if waarde is not None:
            if not (df[kolom] == waarde).any():
                raise _Fout(f"De {kolom} '{waarde}' komt niet voor in {args.antwoorden}. "
                            f"Het bestand bevat: {_opties(df[kolom])}.")
            df = df.loc[df[kolom] == waarde]
    for kolom in ("gemeente", "ronde"):
        if df[kolom].nunique() > 1:
            raise _Fout(f"Het bestand bevat meer dan één {kolom} ({_opties(df[kolom])}). "
                        f"Kies er één met --{kolom}.")
    netwerk = analyseer(df, anonimiteitsdrempel(args.drempel))
    if args.formaat == "json":
        return json.dumps(netwerk.als_dict(), ensure_ascii=False, indent=1) + "\n"
    return als_tabel(netwerk).to_csv(index=False, lineterminator="\n")


def _scores(args: argparse.Namespace) -> str:
    from rapport.analyse import analyseer, rond_af
    from rapport.anonimiteit import onderdruk

    if args.drempel is not None and args.drempel < 1:
        raise _Fout(f"De drempel moet minstens 1 zijn (gekregen: {args.drempel}).")
    kaders = _laad_kaders()
    if args.kader is not None and args.kader not in kaders:
        raise _Fout(f"Het kader '{args.kader}' bestaat niet. Kies uit: {_opties(kaders)}.")
    antwoorden = _lees_antwoorden(args.antwoorden, kaders)
    if args.gemeente is not None:
        if not (antwoorden["gemeente"] == args.gemeente).any():
            raise _Fout(
                f"De gemeente '{args.gemeente}' komt niet voor in {args.antwoorden}. "
                f"Het bestand bevat: {_opties(antwoorden['gemeente'])}."
            )
        antwoorden = antwoorden.loc[antwoorden["gemeente"] == args.gemeente]
    if args.ronde is not None:
        if not (antwoorden["ronde"] == args.ronde).any():
            raise _Fout(
                f"De ronde '{args.ronde}' komt niet voor in {args.antwoorden}"
                + (f" voor gemeente '{args.gemeente}'" if args.gemeente is not None else "")
                + f". Het bestand bevat: {_opties(antwoorden['ronde'])}."
            )
        antwoorden = antwoorden.loc[antwoorden["ronde"] == args.ronde]
    if args.kader is not None:
        if not (antwoorden["kader"] == args.kader).any():
            raise _Fout(
                f"Het kader '{args.kader}' komt niet voor in {args.antwoorden}"
                + (" bij de gekozen gemeente en ronde" if args.gemeente or args.ronde else "")
                + f". Het bestand bevat: {_opties(antwoorden['kader'])}."
            )
        gekozen = [kaders[args.kader]]
    else:
        aanwezig = set(antwoorden["kader"])
        gekozen = [k for k in kaders.values() if k.id in aanwezig]
    rol_namen = _rol_namen()
    # the same anonymity per criterium as the pages and PDFs (rapport.anonimiteit)
    antwoorden = onderdruk(antwoorden, args.drempel, rol_namen)
    tabel = pd.concat(
        [analyseer(antwoorden, k, drempel=args.drempel, rol_namen=rol_namen) for k in gekozen],
        ignore_index=True,
    )
    tabel = rond_af(tabel)
    if args.formaat == "json":
        return tabel.to_json(orient="records", force_ascii=False, indent=1) + "\n"
    return tabel.to_csv(index=False, lineterminator="\n")


def _gemeente_en_rondes(args: argparse.Namespace, rondes: Sequence[str | None],
                        kaders: Mapping[str, Kader] | None = None) -> tuple[Kader, pd.DataFrame]:
    """The kader of ``--kader`` and the answers of ``--gemeente`` for that kader, after
    checking that each of ``rondes`` occurs there (Dutch errors naming what the file has).
    ``kaders``: the loaded kaders, when the caller already has them."""
    kaders = kaders if kaders is not None else _laad_kaders()
    kader = kaders.get(args.kader)
    if kader is None:
        raise _Fout(f"Het kader '{args.kader}' bestaat niet. Kies uit: {_opties(kaders)}.")
    antwoorden = _lees_antwoorden(args.antwoorden, kaders)
    if not (antwoorden["kader"] == kader.id).any():
        raise _Fout(
            f"Het kader '{kader.id}' komt niet voor in {args.antwoorden}. "
            f"Het bestand bevat: {_opties(antwoorden['kader'])}."
        )
    antwoorden = antwoorden.loc[antwoorden["kader"] == kader.id]
    if not (antwoorden["gemeente"] == args.gemeente).any():
        raise _Fout(
            f"De gemeente '{args.gemeente}' komt niet voor in {args.antwoorden} "
            f"(bij kader '{kader.id}'). Het bestand bevat: {_opties(antwoorden['gemeente'])}."
        )
    antwoorden = antwoorden.loc[antwoorden["gemeente"] == args.gemeente]
    for ronde in rondes:
        if ronde is not None and not (antwoorden["ronde"] == ronde).any():
            raise _Fout(
                f"De ronde '{ronde}' komt niet voor in {args.antwoorden} voor gemeente "
                f"'{args.gemeente}'. Het bestand bevat: {_opties(antwoorden['ronde'])}."
            )
    return kader, antwoorden


def _schrijf_pdf(pdf: bytes, out: Path) -> Path:
    try:
        if out.parent and not out.parent.exists():
            out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(pdf)
    except OSError as e:
        raise _Fout(f"De PDF kan niet worden geschreven naar '{out}': {e.strerror}.") from None
    return out


def _verbeterplan(args: argparse.Namespace) -> Path:
    from diensten.verbeterplan import suggesties_per_criterium
    from kader import laad_acties
    from rapport.verbeterplan import VerbeterplanInvoer, maak_verbeterplan_pdf

    kaders = _laad_kaders()
    kader, antwoorden = _gemeente_en_rondes(args, (args.ronde, args.vorige_ronde), kaders)
    vorige = antwoorden.loc[antwoorden["ronde"] == args.vorige_ronde] if args.vorige_ronde else None
    antwoorden = antwoorden.loc[antwoorden["ronde"] == args.ronde]
    # the same suggestions from the action library as the page and the batch
    bibliotheek, _ = laad_acties(kaders)
    voorstel = suggesties_per_criterium(bibliotheek, kader)

    pdf = maak_verbeterplan_pdf(VerbeterplanInvoer(
        antwoorden, kader, args.gemeente, args.ronde, rol_namen=_rol_namen(),
        vorige_antwoorden=vorige, vorige_ronde=args.vorige_ronde, suggesties=voorstel,
        samenwerking=_lees_samenwerking(args.samenwerking),
    ))
    return _schrijf_pdf(pdf, args.out)


def _voorbereiding(args: argparse.Namespace) -> Path:
    from rapport.inspectiebezoek import VoorbereidingInvoer, maak_voorbereiding_pdf

    kader, antwoorden = _gemeente_en_rondes(args, (args.ronde,))
    antwoorden = antwoorden.loc[antwoorden["ronde"] == args.ronde]
    pdf = maak_voorbereiding_pdf(VoorbereidingInvoer(antwoorden, kader, args.gemeente, args.ronde,
                                                     rol_namen=_rol_namen(),
                                                     samenwerking=_lees_samenwerking(args.samenwerking)))
    return _schrijf_pdf(pdf, args.out)


def _werkers(tekst: str) -> int:
    """``--werkers``: a whole number of at least 1 (argparse shows the Dutch message)."""
    try:
        n = int(tekst)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"moet een heel getal van 1 of meer zijn (gekregen: '{tekst}')")
    return n


def _plannen(engine, rondes, kaders, args, bibliotheek):
    """Per ronde a `rapport.batch.Plan`, or an `Uitkomst` when it is skipped or its input
    cannot be read: one gemeente's problem does not stop the others."""
    from diensten.verbeterplan import batch_invoer
    from rapport.batch import MISLUKT, OVERGESLAGEN, Plan, Uitkomst, reden, unieke_naam
    from rapport.bestandsnaam import bestandsnaam

    rol_namen = _rol_namen()
    namen: set[str] = set()
    for ronde in rondes:
        try:
            # the same inputs as the plan page (diensten.verbeterplan), one ronde at a time
            [(_, invoer)] = batch_invoer(engine, [ronde], kaders, kader_id=args.kader, rol_namen=rol_namen,
                                         bibliotheek=bibliotheek)
        except Exception as e:  # noqa: BLE001 - named in the summary, the batch goes on
            yield Uitkomst(ronde.gemeente, ronde.label, MISLUKT, reden=reden(e))
            continue
        if invoer is None:
            yield Uitkomst(ronde.gemeente, ronde.label, OVERGESLAGEN)
            continue
        naam = unieke_naam(bestandsnaam("verbeterplan", ronde.gemeente, ronde.label, invoer.kader.id), namen)
        yield Plan.van(naam, invoer)


def _batch(args: argparse.Namespace) -> tuple[str, list[str]]:
    """(summary for stdout, failure lines for stderr): `rapport.batch` does the work."""
    import time

    from diensten.verbeterplan import rondes_met_label
    from kader import laad_acties
    from rapport.batch import maak_plannen, samenvatting, standaard_werkers
    from storage.db import maak_engine, schema_stand

    kaders = _laad_kaders()
    if args.kader is not None and args.kader not in kaders:
        raise _Fout(f"Het kader '{args.kader}' bestaat niet. Kies uit: {_opties(kaders)}.")
    engine = maak_engine()
    plek = engine.url.render_as_string(hide_password=True)
    # An unreachable database raises here already (main() reports that); the upgrade
    # advice only when the schema really is missing or older than this version's.
    stand = schema_stand(engine)
    if stand in ("leeg", "oud"):
        raise _Fout(f"De database {plek} heeft (nog) niet de juiste tabellen. "
                    "Werk hem bij met: python -m storage upgrade")
    if stand == "nieuwer":
        raise _Fout(f"De database {plek} is bijgewerkt door een nieuwere versie van dit instrument. "
                    "Gebruik die versie voor de batch.")
    rondes, labels = rondes_met_label(engine, args.ronde)
    if not rondes:
        raise _Fout(f"Geen enkele gemeente heeft een ronde '{args.ronde}' in {plek}. "
                    f"Wel aanwezig: {_opties(labels)}.")
    if args.out.exists() and not args.out.is_dir():
        raise _Fout(f"'{args.out}' is een bestand, geen map.")
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise _Fout(f"De map '{args.out}' kan niet worden gemaakt: {e.strerror}.") from None

    bibliotheek, _ = laad_acties(kaders)
    werkers = min(args.werkers or standaard_werkers(), len(rondes))
    begin = time.perf_counter()
    uitkomsten = maak_plannen(_plannen(engine, rondes, kaders, args, bibliotheek), args.out, kaders,
                              totaal=len(rondes), werkers=werkers)
    return samenvatting(uitkomsten, args.ronde, args.out, time.perf_counter() - begin, werkers, args.kader)


def main(argv: Sequence[str] | None = None) -> int:
    from storage.db import DatabaseOnbereikbaar, bij_onbereikbaar

    args = maak_parser().parse_args(argv)
    try:
        with bij_onbereikbaar():
            if args.opdracht == "batch":
                regel, fouten = _batch(args)
                print(regel)
                if fouten:
                    print("\n".join(fouten), file=sys.stderr)
                    return 3
                return 0
            if args.opdracht in ("verbeterplan", "voorbereiding"):
                pad = _verbeterplan(args) if args.opdracht == "verbeterplan" else _voorbereiding(args)
                print(pad)
                return 0
            if args.opdracht == "scores":
                sys.stdout.write(_scores(args))
                return 0
            if args.opdracht == "netwerk":
                tekst = _netwerk(args)
                if args.out is None:
                    sys.stdout.write(tekst)
                else:
                    try:
                        args.out.write_text(tekst, encoding="utf-8")
                    except OSError as e:
                        raise _Fout(f"Het bestand '{args.out}' kan niet worden geschreven: {e.strerror}.") from None
                    print(args.out)
                return 0
    except (_Fout, DatabaseOnbereikbaar) as e:  # one Dutch message, no traceback
        print(f"Fout: {e}", file=sys.stderr)
        return 1
    return 2  # pragma: no cover - argparse only allows known commands


if __name__ == "__main__":
    sys.exit(main())
