"""The parts of a ronde snapshot added with issue 15 (docs/snapshot.md): the two ronde
switches, each respondent's samenwerkingskaart answers and second votes, and the
inventory of overleggen. No database code (export/import: ``storage.snapshot_extra``).

Every part is optional and left out when empty or off, so a ronde without any of it
exports exactly as before (same digest), and snapshots made before these parts existed
still import. The digest scheme is unchanged: it covers these fields like any other.

=========================  ======================================================
ronde.tweede_stem          true when a second vote is open (left out when false)
ronde.samenwerkingskaart   true when the questionnaire asks the samenwerkingskaart
respondenten[].samenwerking   [{partner, niveau, toelichting, bijgewerkt}]
respondenten[].tweede_stemmen [{kader, criterium, score, bijgewerkt}]
overleggen                 [{overleg, frequentie, voorzitter_rol, deelnemers, functies,
                           bijgewerkt}] (``overleg``: its name; never a person's)
=========================  ======================================================
"""
from __future__ import annotations

from typing import Any

from uitwisselformaat.samenwerking import NIVEAUS
from uitwisselformaat.tekst import schone_tekst

RONDE_VELDEN = ("tweede_stem", "samenwerkingskaart")
RESPONDENT_VELDEN = ("samenwerking", "tweede_stemmen")
HOOFD_VELDEN = ("overleggen",)
MAX_NAAM = 200  # overleg.naam
MAX_FREQUENTIE = 100  # overleg.frequentie
MAX_ID = 100


def controleer_extra(controle: Any, obj: dict) -> None:
    """Check the optional issue-15 parts with the checker of :mod:`uitwisselformaat.snapshot`
    (``controle`` offers ``fout``, ``obj``, ``lijst``, ``tekst``, ``tijd``, ``kader``,
    ``criterium``, ``score`` and ``rollen``); the first problem raises its SnapshotFout."""
    for veld in RONDE_VELDEN:
        if veld in obj["ronde"] and not isinstance(obj["ronde"][veld], bool):
            controle.fout(f"ronde.{veld}", "verwacht true of false.")
    for i, p in enumerate(obj["respondenten"]):
        pad = f"respondenten[{i}]"
        partners: set[str] = set()
        for j, w in enumerate(controle.lijst(p.get("samenwerking", []), f"{pad}.samenwerking")):
            wpad = f"{pad}.samenwerking[{j}]"
            controle.obj(w, wpad, ("partner", "niveau", "toelichting", "bijgewerkt"))
            _rol(controle, w["partner"], f"{wpad}.partner")
            if w["partner"] == p["rol"]:
                controle.fout(f"{wpad}.partner", "de partner is dezelfde rol als de respondent.")
            if w["partner"] in partners:
                controle.fout(f"{wpad}.partner", f"partner '{w['partner']}' staat twee keer bij deze respondent.")
            partners.add(w["partner"])
            if w["niveau"] not in NIVEAUS:
                controle.fout(f"{wpad}.niveau", f"{w['niveau']!r} is ongeldig; kies {', '.join(NIVEAUS)}.")
            controle.tekst(w["toelichting"], f"{wpad}.toelichting", vrij=True)
            controle.tijd(w["bijgewerkt"], f"{wpad}.bijgewerkt")
        gezien: set[tuple[str, str]] = set()
        for j, t in enumerate(controle.lijst(p.get("tweede_stemmen", []), f"{pad}.tweede_stemmen")):
            tpad = f"{pad}.tweede_stemmen[{j}]"
            controle.obj(t, tpad, ("kader", "criterium", "score", "bijgewerkt"))
            controle.kader(t["kader"], f"{tpad}.kader")
            controle.criterium(t["kader"], t["criterium"], f"{tpad}.criterium")
            controle.score(t["kader"], t["score"], f"{tpad}.score", null=True)
            controle.tijd(t["bijgewerkt"], f"{tpad}.bijgewerkt")
            if (t["kader"], t["criterium"]) in gezien:
                controle.fout(tpad, f"criterium '{t['criterium']}' heeft twee keer een tweede stem.")
            gezien.add((t["kader"], t["criterium"]))
    namen: set[str] = set()
    for i, o in enumerate(controle.lijst(obj.get("overleggen", []), "overleggen")):
        pad = f"overleggen[{i}]"
        controle.obj(o, pad, ("overleg", "frequentie", "voorzitter_rol", "deelnemers", "functies", "bijgewerkt"))
        controle.tekst(o["overleg"], f"{pad}.overleg", MAX_NAAM, leeg=False, vrij=True)
        if o["overleg"] in namen:
            controle.fout(f"{pad}.overleg", f"overleg '{o['overleg']}' staat twee keer in het bestand.")
        namen.add(o["overleg"])
        controle.tekst(o["frequentie"], f"{pad}.frequentie", MAX_FREQUENTIE, vrij=True)
        if o["voorzitter_rol"] is not None:
            _rol(controle, o["voorzitter_rol"], f"{pad}.voorzitter_rol")
        for j, rol in enumerate(controle.lijst(o["deelnemers"], f"{pad}.deelnemers")):
            _rol(controle, rol, f"{pad}.deelnemers[{j}]")
        for j, functie in enumerate(controle.lijst(o["functies"], f"{pad}.functies")):
            controle.tekst(functie, f"{pad}.functies[{j}]", MAX_ID, leeg=False)
        controle.tijd(o["bijgewerkt"], f"{pad}.bijgewerkt")


def _rol(controle: Any, rol, pad: str) -> None:
    controle.tekst(rol, pad, 64, leeg=False)
    if controle.rollen is not None and rol not in controle.rollen:
        controle.fout(pad, f"'{rol}' is geen bekende rol; kies {', '.join(sorted(controle.rollen))}.")


def maak_extra_schoon(obj: dict) -> None:
    """Clean the free text of the issue-15 parts in place, as the questionnaire does."""
    for p in obj["respondenten"]:
        for w in p.get("samenwerking", []):
            w["toelichting"] = schone_tekst(w["toelichting"])
    for o in obj.get("overleggen", []):
        o["overleg"] = schone_tekst(o["overleg"])
        o["frequentie"] = schone_tekst(o["frequentie"])
