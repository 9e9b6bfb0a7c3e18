"""Snapshot of one ronde as a JSON file, with a SHA-256 digest, for handover to
another installation (for example from a gemeente's SQLite to a regional PostgreSQL).

What is in it (format ``zelfbeoordeling-ronde-snapshot``, versie 1; docs/snapshot.md):
the gemeente name, the ronde (label, status, demo, aangemaakt, workshop fase), the
kader ids with their pinned versions, the invited rollen, the respondents
(pseudonym, rol, organisation type, aangemaakt; never a name, never a code hash)
with their current answers and audit trail, the consensus with its audit trail and
the verbeterplan with its audit trail.

Nothing instance-specific is in it: no database ids (actions are numbered 1, 2, ...
in the order of their ids; an audit row points at that number), no invitation or
resume codes, no link to an action of an earlier ronde (``overgenomen_van``).
Timestamps are UTC, ``JJJJ-MM-DDTuu:mm:ss.ffffffZ`` (always six decimals), which
SQLite and PostgreSQL both store exactly. So exporting a ronde, importing it
elsewhere and exporting it there gives the same digest.

The digest (field ``sha256``) is the SHA-256 (lower-case hex) of the canonical
serialisation of the whole object WITHOUT the ``sha256`` field:
``json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)``
encoded as UTF-8. The snapshot holds no floats, only strings, integers, booleans,
null, lists and objects, so this serialisation is unambiguous.

:func:`importeer_snapshot` checks the digest first, then the structure, kaders,
criteria and scores, and writes everything in one transaction: all or nothing.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session

from kader.model import Kader
from storage.bereik import BuitenBereik, controleer
from storage.db import met_herhaling, sessie
from storage.models import (
    ACTIE_STATUSSEN,
    FASES,
    GEBEURTENISSEN,
    STATUSSEN,
    Antwoord,
    AntwoordWijziging,
    Consensus,
    ConsensusWijziging,
    Gemeente,
    Respondent,
    Ronde,
    RondeKader,
    RondeRol,
    Verbeteractie,
    VerbeteractieWijziging,
)
from storage.invoer import schone_tekst, verboden_teken
from storage.uitwisselformaat import MAX_UPLOAD_BYTES, geldige_scores, megabytes
from toegang import Gebruiker

FORMAAT = "zelfbeoordeling-ronde-snapshot"
VERSIE = 1
DIGEST_VELD = "sha256"
TIJD_FORMAAT = "%Y-%m-%dT%H:%M:%S.%fZ"
_TIJD = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")
_DATUM = re.compile(r"\d{4}-\d{2}-\d{2}")
_HEX64 = re.compile(r"[0-9a-f]{64}")
# Longest values the database accepts (storage/models.py).
MAX = {"gemeente": 200, "label": 100, "pseudoniem": 64, "rol": 64, "organisatie": 80,
       "id": 100, "score": 20, "eigenaar": 200}
MAX_BYTES = MAX_UPLOAD_BYTES
"""Largest snapshot file that is read (20 MB), checked before parsing."""
MAX_DIEPTE = 32
"""Deepest nesting of [ and { that is parsed; a snapshot itself needs 5 levels."""
# JSON outside strings: a whole string (with escapes) or one bracket
_JSON_TEKST = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_JSON_HAAK = re.compile(r"[\[\]{}]")


class SnapshotFout(ValueError):
    """The snapshot cannot be used; the message (Dutch) names the file and the field."""


# ----------------------------------------------------------------- helpers


def tijd_tekst(t: datetime | None) -> str | None:
    """A stored time as fixed-precision UTC text; naive times (SQLite) are UTC."""
    if t is None:
        return None
    t = t.replace(tzinfo=timezone.utc) if t.tzinfo is None else t.astimezone(timezone.utc)
    return t.strftime(TIJD_FORMAAT)


def _tijd(tekst: str) -> datetime:
    return datetime.strptime(tekst, TIJD_FORMAAT).replace(tzinfo=timezone.utc)


def canoniek(obj: Mapping[str, Any]) -> bytes:
    """The canonical serialisation the digest is computed over (module doc)."""
    zonder = {k: v for k, v in obj.items() if k != DIGEST_VELD}
    return json.dumps(zonder, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def bereken_digest(obj: Mapping[str, Any]) -> str:
    """SHA-256 hex of :func:`canoniek` (everything except the ``sha256`` field)."""
    return hashlib.sha256(canoniek(obj)).hexdigest()


def snapshot_bytes(snapshot: Mapping[str, Any]) -> bytes:
    """The file contents: readable JSON (UTF-8, sorted keys, one space indent, newline at the end).

    The layout of the file does not matter for the digest; only the content does.
    """
    return (json.dumps(snapshot, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


# ----------------------------------------------------------------- export


def exporteer_snapshot(engine: Engine, ronde_id: int) -> dict:
    """The snapshot of a ronde as a dict, including its ``sha256``.

    Write it with :func:`snapshot_bytes`. ValueError when the ronde does not exist.
    """
    with sessie(engine) as s:
        r = s.get(Ronde, ronde_id)
        if r is None:
            raise ValueError("Deze ronde bestaat niet (meer).")
        gemeente = s.scalar(select(Gemeente.naam).where(Gemeente.id == r.gemeente_id))
        snapshot = {
            "formaat": FORMAAT,
            "versie": VERSIE,
            "gemeente": gemeente,
            "ronde": {
                "label": r.label, "status": r.status, "demo": bool(r.demo),
                "aangemaakt": tijd_tekst(r.aangemaakt), "fase": r.fase,
                "huidig_kader": r.huidig_kader, "huidig_criterium": r.huidig_criterium,
            },
            "kaders": [
                {"id": k.kader_id, "versie": k.kader_versie}
                for k in s.scalars(select(RondeKader).where(RondeKader.ronde_id == ronde_id)
                                   .order_by(RondeKader.kader_id))
            ],
            "rollen": sorted(s.scalars(select(RondeRol.rol).where(RondeRol.ronde_id == ronde_id))),
            "respondenten": _respondenten(s, ronde_id),
            "consensus": [
                {"kader": c.kader_id, "criterium": c.criterium_id, "score": c.score,
                 "motivatie": c.motivatie, "bijgewerkt": tijd_tekst(c.bijgewerkt)}
                for c in s.scalars(select(Consensus).where(Consensus.ronde_id == ronde_id)
                                   .order_by(Consensus.kader_id, Consensus.criterium_id))
            ],
            "consensus_wijzigingen": [
                {"kader": w.kader_id, "criterium": w.criterium_id, "score": w.score,
                 "motivatie": w.motivatie, "tijdstip": tijd_tekst(w.tijdstip)}
                for w in s.scalars(select(ConsensusWijziging)
                                   .where(ConsensusWijziging.ronde_id == ronde_id)
                                   .order_by(ConsensusWijziging.id))
            ],
            **_verbeterplan(s, ronde_id),
        }
    snapshot[DIGEST_VELD] = bereken_digest(snapshot)
    return snapshot


def _respondenten(s: Session, ronde_id: int) -> list[dict]:
    respondenten = s.scalars(select(Respondent).where(Respondent.ronde_id == ronde_id)).all()
    ids = [p.id for p in respondenten]
    antwoorden: dict[int, list[dict]] = {}
    wijzigingen: dict[int, list[dict]] = {}
    if ids:
        for a in s.scalars(select(Antwoord).where(Antwoord.respondent_id.in_(ids))
                           .order_by(Antwoord.kader_id, Antwoord.criterium_id)):
            antwoorden.setdefault(a.respondent_id, []).append({
                "kader": a.kader_id, "criterium": a.criterium_id, "score": a.score,
                "toelichting": a.toelichting, "bijgewerkt": tijd_tekst(a.bijgewerkt),
            })
        for w in s.scalars(select(AntwoordWijziging).where(AntwoordWijziging.respondent_id.in_(ids))
                           .order_by(AntwoordWijziging.id)):
            wijzigingen.setdefault(w.respondent_id, []).append({
                "kader": w.kader_id, "criterium": w.criterium_id, "score": w.score,
                "toelichting": w.toelichting, "tijdstip": tijd_tekst(w.tijdstip),
            })
    return [
        {"pseudoniem": p.pseudoniem, "rol": p.rol, "organisatie": p.organisatie,
         "aangemaakt": tijd_tekst(p.aangemaakt),
         "antwoorden": antwoorden.get(p.id, []), "wijzigingen": wijzigingen.get(p.id, [])}
        for p in sorted(respondenten, key=lambda p: p.pseudoniem)
    ]


def _actievelden(a) -> dict:
    return {
        "kader": a.kader_id, "criterium": a.criterium_id, "bron_actie": a.bron_actie_id,
        "wat": a.wat, "eigenaar": a.eigenaar,
        "deadline": a.deadline.isoformat() if a.deadline else None,
        "meting": a.meting, "status": a.status, "effect": a.effect,
    }


def _verbeterplan(s: Session, ronde_id: int) -> dict:
    """Actions numbered 1.. in id order (deleted actions that left an audit trail included)."""
    acties = s.scalars(select(Verbeteractie).where(Verbeteractie.ronde_id == ronde_id)
                       .order_by(Verbeteractie.id)).all()
    spoor = s.scalars(select(VerbeteractieWijziging).where(VerbeteractieWijziging.ronde_id == ronde_id)
                      .order_by(VerbeteractieWijziging.id)).all()
    nummer = {aid: i for i, aid in enumerate(sorted({a.id for a in acties} | {w.actie_id for w in spoor}), 1)}
    return {
        "verbeterplan": [
            {"nummer": nummer[a.id], **_actievelden(a),
             "aangemaakt": tijd_tekst(a.aangemaakt), "bijgewerkt": tijd_tekst(a.bijgewerkt)}
            for a in acties
        ],
        "verbeterplan_wijzigingen": [
            {"actie": nummer[w.actie_id], "gebeurtenis": w.gebeurtenis, **_actievelden(w),
             "tijdstip": tijd_tekst(w.tijdstip)}
            for w in spoor
        ],
    }


# ----------------------------------------------------------------- reading and checking


def _geen_dubbele_sleutels(paren):
    d = {}
    for k, v in paren:
        if k in d:
            raise ValueError(f"de sleutel '{k}' staat twee keer in hetzelfde object")
        d[k] = v
    return d


def _weiger_constante(naam: str):
    raise ValueError(f"'{naam}' is geen geldige JSON-waarde")


_JSON_MELDINGEN = {
    "Unterminated string starting at": "tekst zonder afsluitend aanhalingsteken",
    "Expecting value": "waarde verwacht",
    "Expecting property name enclosed in double quotes": "veldnaam tussen dubbele aanhalingstekens verwacht",
    "Expecting ',' delimiter": "komma verwacht",
    "Expecting ':' delimiter": "dubbele punt verwacht",
    "Extra data": "extra tekens na het einde",
    "Invalid control character at": "ongeldig stuurteken",
    "Invalid \\escape": "ongeldige escape",
}


def _json_melding(msg: str) -> str:
    return _JSON_MELDINGEN.get(msg, msg)


def _diepte(tekst: str) -> int:
    """The deepest nesting of [ and { outside JSON strings, without parsing: a cheap
    scan, so a hostile file never reaches the (recursive) JSON parser. Stops counting
    once past MAX_DIEPTE."""
    haken = _JSON_HAAK.findall(_JSON_TEKST.sub("", tekst))
    diepte = hoogste = 0
    for haak in haken:
        if haak in "[{":
            diepte += 1
            if diepte > hoogste:
                hoogste = diepte
                if hoogste > MAX_DIEPTE:
                    break
        elif diepte:
            diepte -= 1
    return hoogste


def _parse(data: bytes, bestand: str) -> dict:
    naam = bestand or "snapshot"
    if len(data) > MAX_BYTES:
        raise SnapshotFout(f"{naam}: het bestand is te groot ({megabytes(len(data))}); hoogstens "
                           f"{megabytes(MAX_BYTES)} kan worden ingelezen.")
    if not data.strip():
        raise SnapshotFout(f"{naam}: het bestand is leeg.")
    try:
        tekst = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise SnapshotFout(f"{naam}: het bestand is geen UTF-8-tekst (byte {e.start}).") from None
    te_diep = (f"{naam}: de gegevens zijn te diep genest (meer dan {MAX_DIEPTE} niveaus van [ en {{); "
               "dit is geen snapshot van deze app.")
    if _diepte(tekst) > MAX_DIEPTE:
        raise SnapshotFout(te_diep)
    try:
        obj = json.loads(tekst, object_pairs_hook=_geen_dubbele_sleutels,
                         parse_constant=_weiger_constante)
    except RecursionError:  # the scan above should make this unreachable
        raise SnapshotFout(te_diep) from None
    except json.JSONDecodeError as e:
        einde = ("" if tekst.rstrip().endswith("}") else
                 " Het bestand lijkt afgebroken: het eindigt niet met '}'. Exporteer opnieuw of kopieer het "
                 "bestand nog een keer.")
        raise SnapshotFout(
            f"{naam}: geen geldige JSON op regel {e.lineno}, kolom {e.colno} ({_json_melding(e.msg)}).{einde}"
        ) from None
    except ValueError as e:
        raise SnapshotFout(f"{naam}: geen geldige JSON: {e}.") from None
    if not isinstance(obj, dict):
        raise SnapshotFout(f"{naam}: verwacht een JSON-object met een snapshot van een ronde.")
    if obj.get("formaat") != FORMAAT:
        raise SnapshotFout(f"{naam}, veld formaat: dit is geen snapshot van een ronde "
                           f"(verwacht '{FORMAAT}', gevonden {obj.get('formaat')!r}).")
    if obj.get("versie") != VERSIE:
        raise SnapshotFout(f"{naam}, veld versie: versie {obj.get('versie')!r} wordt niet ondersteund; "
                           f"deze versie van de app leest versie {VERSIE}.")
    return obj


def verifieer_snapshot(data: bytes, bestand: str = "") -> str:
    """Check that ``data`` is a snapshot whose ``sha256`` matches its content; returns the digest.

    Raises :class:`SnapshotFout` (Dutch, naming ``bestand``) for invalid JSON, another
    format or version, or a digest that does not match (the file was changed after export).
    """
    obj = _parse(data, bestand)
    return _controleer_digest(obj, bestand)


def _controleer_digest(obj: dict, bestand: str) -> str:
    naam = bestand or "snapshot"
    opgeslagen = obj.get(DIGEST_VELD)
    if not isinstance(opgeslagen, str) or not _HEX64.fullmatch(opgeslagen):
        raise SnapshotFout(f"{naam}, veld {DIGEST_VELD}: ontbreekt of is geen SHA-256 "
                           "(64 tekens 0-9 en a-f).")
    try:
        berekend = bereken_digest(obj)
    except UnicodeEncodeError as e:  # a lone surrogate written as \\udXXX
        raise SnapshotFout(f"{naam}: het bestand bevat een ongeldig teken (U+{ord(e.object[e.start]):04X}); "
                           "het is niet door deze app gemaakt of is beschadigd.") from None
    if berekend != opgeslagen:
        raise SnapshotFout(
            f"{naam}: de controlesom klopt niet. In het bestand staat {DIGEST_VELD} {opgeslagen}, "
            f"maar de inhoud geeft {berekend}. Het bestand is na het exporteren gewijzigd of "
            "beschadigd; vraag een nieuwe export aan."
        )
    return berekend


class _Controle:
    """Structure and content checks; the first problem raises SnapshotFout with the field path."""

    def __init__(self, bestand: str, kaders: Mapping[str, Kader] | None, rollen: set[str] | None):
        self.naam = bestand or "snapshot"
        self.kaders = kaders
        self.rollen = rollen
        self.gepind: dict[str, str] = {}

    def fout(self, pad: str, tekst: str):
        raise SnapshotFout(f"{self.naam}, veld {pad}: {tekst}")

    def obj(self, waarde, pad: str, velden: tuple[str, ...]) -> dict:
        if not isinstance(waarde, dict):
            self.fout(pad, "verwacht een object.")
        ontbrekend = [v for v in velden if v not in waarde]
        if ontbrekend:
            self.fout(pad, f"deze velden ontbreken: {', '.join(ontbrekend)}.")
        extra = sorted(set(waarde) - set(velden))
        if extra:
            self.fout(pad, f"onbekende velden: {', '.join(extra)}.")
        return waarde

    def lijst(self, waarde, pad: str) -> list:
        if not isinstance(waarde, list):
            self.fout(pad, "verwacht een lijst.")
        return waarde

    def tekst(self, waarde, pad: str, maximum: int | None = None, leeg: bool = True,
              null: bool = False, vrij: bool = False) -> str | None:
        """A text field. ``vrij``: free text, cleaned later (:func:`_maak_schoon`);
        otherwise an identifier, refused when it holds a control or invisible character."""
        if waarde is None and null:
            return None
        if not isinstance(waarde, str):
            self.fout(pad, "verwacht tekst" + (" of null." if null else "."))
        if not leeg and not waarde.strip():
            self.fout(pad, "mag niet leeg zijn.")
        if maximum is not None and len(waarde) > maximum:
            self.fout(pad, f"te lang ({len(waarde)} tekens, maximaal {maximum}).")
        if not vrij:
            teken = verboden_teken(waarde)
            if teken:
                self.fout(pad, f"bevat een teken dat hier niet mag: {teken}.")
        return waarde

    def keuze(self, waarde, pad: str, opties) -> str:
        if waarde not in opties:
            self.fout(pad, f"{waarde!r} is ongeldig; kies {', '.join(opties)}.")
        return waarde

    def tijd(self, waarde, pad: str) -> str:
        if not isinstance(waarde, str) or not _TIJD.fullmatch(waarde):
            self.fout(pad, f"{waarde!r} is geen tijdstip in de vorm JJJJ-MM-DDTuu:mm:ss.ffffffZ.")
        try:
            _tijd(waarde)
        except ValueError:
            self.fout(pad, f"{waarde!r} is geen bestaand tijdstip.")
        return waarde

    def datum(self, waarde, pad: str) -> str | None:
        if waarde is None:
            return None
        if not isinstance(waarde, str) or not _DATUM.fullmatch(waarde):
            self.fout(pad, f"{waarde!r} is geen datum in de vorm JJJJ-MM-DD.")
        try:
            date.fromisoformat(waarde)
        except ValueError:
            self.fout(pad, f"{waarde!r} is geen bestaande datum.")
        return waarde

    def kader(self, waarde, pad: str) -> str:
        self.tekst(waarde, pad, MAX["id"], leeg=False)
        if waarde not in self.gepind:
            self.fout(pad, f"kader '{waarde}' staat niet bij de kaders van deze ronde "
                           f"({', '.join(self.gepind) or 'geen'}).")
        return waarde

    def criterium(self, kader_id: str, waarde, pad: str, null: bool = False) -> str | None:
        if waarde is None and null:
            return None
        self.tekst(waarde, pad, MAX["id"], leeg=False)
        if self.kaders is not None and waarde not in {c.id for c in self.kaders[kader_id].criteria}:
            self.fout(pad, f"criterium '{waarde}' hoort niet bij kader '{kader_id}'.")
        return waarde

    def score(self, kader_id: str, waarde, pad: str, null: bool = False) -> str | None:
        if waarde is None and null:
            return None
        self.tekst(waarde, pad, MAX["score"], leeg=False)
        if self.kaders is not None:
            geldig = geldige_scores(self.kaders[kader_id])
            if waarde not in geldig:
                self.fout(pad, f"'{waarde}' is geen geldige waarde; kies {', '.join(geldig)}.")
        return waarde

    def controleer(self, obj: dict) -> None:
        self.obj(obj, "(hoofdniveau)", (
            "formaat", "versie", DIGEST_VELD, "gemeente", "ronde", "kaders", "rollen", "respondenten",
            "consensus", "consensus_wijzigingen", "verbeterplan", "verbeterplan_wijzigingen"))
        self.tekst(obj["gemeente"], "gemeente", MAX["gemeente"], leeg=False)
        r = self.obj(obj["ronde"], "ronde", (
            "label", "status", "demo", "aangemaakt", "fase", "huidig_kader", "huidig_criterium"))
        self.tekst(r["label"], "ronde.label", MAX["label"], leeg=False)
        self.keuze(r["status"], "ronde.status", STATUSSEN)
        if not isinstance(r["demo"], bool):
            self.fout("ronde.demo", "verwacht true of false.")
        self.tijd(r["aangemaakt"], "ronde.aangemaakt")
        self.keuze(r["fase"], "ronde.fase", FASES)
        self.tekst(r["huidig_kader"], "ronde.huidig_kader", MAX["id"], null=True)
        self.tekst(r["huidig_criterium"], "ronde.huidig_criterium", MAX["id"], null=True)

        for i, k in enumerate(self.lijst(obj["kaders"], "kaders")):
            pad = f"kaders[{i}]"
            self.obj(k, pad, ("id", "versie"))
            self.tekst(k["id"], f"{pad}.id", MAX["id"], leeg=False)
            self.tekst(k["versie"], f"{pad}.versie", 50, leeg=False)
            if k["id"] in self.gepind:
                self.fout(f"{pad}.id", f"kader '{k['id']}' staat twee keer in de lijst.")
            if self.kaders is not None:
                bekend = self.kaders.get(k["id"])
                if bekend is None:
                    self.fout(f"{pad}.id", f"kader '{k['id']}' is hier niet bekend; bekend zijn "
                                           f"{', '.join(sorted(self.kaders)) or 'geen kaders'}.")
                if bekend.versie != k["versie"]:
                    self.fout(f"{pad}.versie", (
                        f"de ronde gebruikt versie {k['versie']} van kader '{k['id']}', hier is "
                        f"versie {bekend.versie} geladen. Importeer in een installatie met dezelfde versie."))
            self.gepind[k["id"]] = k["versie"]
        if not self.gepind:
            self.fout("kaders", "een ronde heeft ten minste één kader.")

        for i, rol in enumerate(self.lijst(obj["rollen"], "rollen")):
            self._rol(rol, f"rollen[{i}]")

        pseudoniemen: set[str] = set()
        for i, p in enumerate(self.lijst(obj["respondenten"], "respondenten")):
            pad = f"respondenten[{i}]"
            self.obj(p, pad, ("pseudoniem", "rol", "organisatie", "aangemaakt", "antwoorden", "wijzigingen"))
            self.tekst(p["pseudoniem"], f"{pad}.pseudoniem", MAX["pseudoniem"], leeg=False)
            if p["pseudoniem"] in pseudoniemen:
                self.fout(f"{pad}.pseudoniem", f"pseudoniem '{p['pseudoniem']}' staat twee keer in het bestand.")
            pseudoniemen.add(p["pseudoniem"])
            self._rol(p["rol"], f"{pad}.rol")
            self.tekst(p["organisatie"], f"{pad}.organisatie", MAX["organisatie"], null=True, vrij=True)
            self.tijd(p["aangemaakt"], f"{pad}.aangemaakt")
            gezien: set[tuple[str, str]] = set()
            for j, a in enumerate(self.lijst(p["antwoorden"], f"{pad}.antwoorden")):
                apad = f"{pad}.antwoorden[{j}]"
                self._antwoord(a, apad, "bijgewerkt")
                if (a["kader"], a["criterium"]) in gezien:
                    self.fout(apad, f"criterium '{a['criterium']}' is twee keer beantwoord.")
                gezien.add((a["kader"], a["criterium"]))
            for j, w in enumerate(self.lijst(p["wijzigingen"], f"{pad}.wijzigingen")):
                self._antwoord(w, f"{pad}.wijzigingen[{j}]", "tijdstip")

        gezien = set()
        for i, c in enumerate(self.lijst(obj["consensus"], "consensus")):
            self._consensus(c, f"consensus[{i}]", "bijgewerkt")
            if (c["kader"], c["criterium"]) in gezien:
                self.fout(f"consensus[{i}]", f"criterium '{c['criterium']}' heeft twee keer een consensus.")
            gezien.add((c["kader"], c["criterium"]))
        for i, c in enumerate(self.lijst(obj["consensus_wijzigingen"], "consensus_wijzigingen")):
            self._consensus(c, f"consensus_wijzigingen[{i}]", "tijdstip")

        nummers: set[int] = set()
        for i, a in enumerate(self.lijst(obj["verbeterplan"], "verbeterplan")):
            pad = f"verbeterplan[{i}]"
            self._actie(a, pad, ("nummer", "aangemaakt", "bijgewerkt"))
            if a["nummer"] in nummers:
                self.fout(f"{pad}.nummer", f"actie {a['nummer']} staat twee keer in het plan.")
            nummers.add(a["nummer"])
            self.tijd(a["aangemaakt"], f"{pad}.aangemaakt")
            self.tijd(a["bijgewerkt"], f"{pad}.bijgewerkt")
        for i, w in enumerate(self.lijst(obj["verbeterplan_wijzigingen"], "verbeterplan_wijzigingen")):
            pad = f"verbeterplan_wijzigingen[{i}]"
            self._actie(w, pad, ("actie", "gebeurtenis", "tijdstip"))
            self.keuze(w["gebeurtenis"], f"{pad}.gebeurtenis", GEBEURTENISSEN)
            self.tijd(w["tijdstip"], f"{pad}.tijdstip")

    def _rol(self, rol, pad: str) -> None:
        self.tekst(rol, pad, MAX["rol"], leeg=False)
        if self.rollen is not None and rol not in self.rollen:
            self.fout(pad, f"'{rol}' is geen bekende rol; kies {', '.join(sorted(self.rollen))}.")

    def _antwoord(self, a, pad: str, tijd: str) -> None:
        self.obj(a, pad, ("kader", "criterium", "score", "toelichting", tijd))
        self.kader(a["kader"], f"{pad}.kader")
        self.criterium(a["kader"], a["criterium"], f"{pad}.criterium")
        self.score(a["kader"], a["score"], f"{pad}.score", null=True)
        self.tekst(a["toelichting"], f"{pad}.toelichting", vrij=True)
        self.tijd(a[tijd], f"{pad}.{tijd}")

    def _consensus(self, c, pad: str, tijd: str) -> None:
        self.obj(c, pad, ("kader", "criterium", "score", "motivatie", tijd))
        self.kader(c["kader"], f"{pad}.kader")
        self.criterium(c["kader"], c["criterium"], f"{pad}.criterium")
        self.score(c["kader"], c["score"], f"{pad}.score")
        self.tekst(c["motivatie"], f"{pad}.motivatie", vrij=True)
        self.tijd(c[tijd], f"{pad}.{tijd}")

    def _actie(self, a, pad: str, extra: tuple[str, ...]) -> None:
        self.obj(a, pad, ("kader", "criterium", "bron_actie", "wat", "eigenaar", "deadline", "meting",
                          "status", "effect", *extra))
        sleutel = "nummer" if "nummer" in extra else "actie"
        if not isinstance(a[sleutel], int) or isinstance(a[sleutel], bool) or a[sleutel] < 1:
            self.fout(f"{pad}.{sleutel}", "verwacht een geheel getal vanaf 1.")
        self.kader(a["kader"], f"{pad}.kader")
        self.criterium(a["kader"], a["criterium"], f"{pad}.criterium", null=True)
        self.tekst(a["bron_actie"], f"{pad}.bron_actie", MAX["id"], null=True)
        self.tekst(a["wat"], f"{pad}.wat", vrij=True)
        self.tekst(a["eigenaar"], f"{pad}.eigenaar", MAX["eigenaar"], vrij=True)
        self.datum(a["deadline"], f"{pad}.deadline")
        self.tekst(a["meting"], f"{pad}.meting", vrij=True)
        self.keuze(a["status"], f"{pad}.status", ACTIE_STATUSSEN)
        self.tekst(a["effect"], f"{pad}.effect", vrij=True)


def lees_snapshot(
    data: bytes,
    bestand: str = "",
    kaders: Mapping[str, Kader] | None = None,
    rollen: set[str] | None = None,
) -> dict:
    """Parse, verify the digest (first) and check a snapshot; returns it as a dict.

    With ``kaders`` every kader id and pinned version must be known (same version),
    every criterium must belong to its kader and every score must be a value of the
    kader's scale, ``weet_niet`` or ``nvt``. With ``rollen`` every rol must be one of them.
    Raises :class:`SnapshotFout` naming the file and the field.
    """
    obj = _parse(data, bestand)
    _controleer_digest(obj, bestand)
    _Controle(bestand, kaders, rollen).controleer(obj)
    _maak_schoon(obj)
    return obj


_VRIJE_TEKST = {
    "respondenten": ("organisatie",),
    "antwoorden": ("toelichting",), "wijzigingen": ("toelichting",),
    "consensus": ("motivatie",), "consensus_wijzigingen": ("motivatie",),
    "verbeterplan": ("wat", "eigenaar", "meting", "effect"),
    "verbeterplan_wijzigingen": ("wat", "eigenaar", "meting", "effect"),
}


def _maak_schoon(obj: dict) -> None:
    """Clean the free text of a checked snapshot in place, as the questionnaire cleans
    it (:func:`storage.invoer.schone_tekst`). The digest was checked before, over the
    file as it was; a ronde holding such characters exports with another digest."""
    def schoon(items: list[dict], lijst: str) -> None:
        for item in items:
            for veld in _VRIJE_TEKST[lijst]:
                if item[veld] is not None:
                    item[veld] = schone_tekst(item[veld])

    schoon(obj["respondenten"], "respondenten")
    for p in obj["respondenten"]:
        schoon(p["antwoorden"], "antwoorden")
        schoon(p["wijzigingen"], "wijzigingen")
    for lijst in ("consensus", "consensus_wijzigingen", "verbeterplan", "verbeterplan_wijzigingen"):
        schoon(obj[lijst], lijst)


# ----------------------------------------------------------------- import


def _kader_bron() -> dict[str, Kader]:
    from kader import laad_kaders

    return dict(laad_kaders().kaders)


def importeer_snapshot(
    engine: Engine,
    data: bytes,
    bestand: str = "",
    *,
    kaders: Mapping[str, Kader] | None = None,
    rollen: set[str] | None = None,
    door: Gebruiker,
) -> int:
    """Import a snapshot as a new ronde, all or nothing; returns the new ronde id.

    The gemeente must be in the scope of ``door``, the acting staff member (see
    :mod:`storage.bereik`): a demo account imports only demo rondes into demo
    gemeenten, a facilitator only into their own gemeenten.

    Checks (see :func:`lees_snapshot`) the digest first, then structure, kaders
    (default: the kaders in kader/), criteria and scores. Refused, with nothing
    written, when the gemeente already has a ronde with this label, when a pseudonym
    already exists in this database, or when the gemeente exists but its demo status
    differs from the ronde's. A missing gemeente is created. Imported respondents
    have no resume code (it is never exported). Everything is written in one
    transaction. Raises :class:`SnapshotFout` (a ValueError) in Dutch.
    """
    kaders = _kader_bron() if kaders is None else kaders
    obj = lees_snapshot(data, bestand, kaders, rollen)
    naam = bestand or "snapshot"

    def actie() -> int:
        with sessie(engine, schrijven=True) as s:
            return _schrijf(s, obj, naam, door)

    return met_herhaling(actie)


def _schrijf(s: Session, obj: dict, naam: str, door: Gebruiker) -> int:
    r = obj["ronde"]
    gemeente = s.scalar(select(Gemeente).where(Gemeente.naam == obj["gemeente"]))
    try:
        controleer(door, "importeren", obj["gemeente"], r["demo"] if gemeente is None else gemeente.demo)
    except BuitenBereik as e:
        raise SnapshotFout(f"{naam}: {e} Niets geïmporteerd.") from None
    if gemeente is None:
        gemeente = Gemeente(naam=obj["gemeente"], demo=r["demo"])
        s.add(gemeente)
        s.flush()
    elif gemeente.demo != r["demo"]:
        soort = "een demogemeente" if gemeente.demo else "een echte gemeente (geen demo)"
        raise SnapshotFout(f"{naam}: gemeente '{gemeente.naam}' bestaat hier al als {soort}; "
                           "een ronde en haar gemeente moeten allebei demo zijn, of allebei niet.")
    elif s.scalar(select(Ronde.id).where(Ronde.gemeente_id == gemeente.id, Ronde.label == r["label"])):
        raise SnapshotFout(f"{naam}: gemeente '{gemeente.naam}' heeft hier al een ronde "
                           f"'{r['label']}'. Niets geïmporteerd; verwijder of hernoem eerst de bestaande ronde.")
    pseudoniemen = [p["pseudoniem"] for p in obj["respondenten"]]
    if pseudoniemen:
        bezet = sorted(s.scalars(select(Respondent.pseudoniem).where(Respondent.pseudoniem.in_(pseudoniemen))))
        if bezet:
            raise SnapshotFout(f"{naam}: de pseudoniemen {', '.join(bezet[:5])}"
                               f"{' …' if len(bezet) > 5 else ''} bestaan hier al in een andere ronde. "
                               "Niets geïmporteerd.")

    ronde = Ronde(gemeente_id=gemeente.id, label=r["label"], status=r["status"], demo=r["demo"],
                  aangemaakt=_tijd(r["aangemaakt"]), fase=r["fase"],
                  huidig_kader=r["huidig_kader"], huidig_criterium=r["huidig_criterium"])
    s.add(ronde)
    s.flush()
    s.execute(insert(RondeKader), [{"ronde_id": ronde.id, "kader_id": k["id"], "kader_versie": k["versie"]}
                                   for k in obj["kaders"]])
    if obj["rollen"]:
        s.execute(insert(RondeRol), [{"ronde_id": ronde.id, "rol": rol} for rol in obj["rollen"]])
    _schrijf_respondenten(s, ronde.id, obj["respondenten"])
    _schrijf_consensus(s, ronde.id, obj)
    _schrijf_verbeterplan(s, ronde.id, obj)
    s.flush()
    return ronde.id


def _antwoord_rij(respondent_id: int, a: dict, tijd: str) -> dict:
    return {"respondent_id": respondent_id, "kader_id": a["kader"], "criterium_id": a["criterium"],
            "score": a["score"], "toelichting": a["toelichting"], tijd: _tijd(a[tijd])}


def _schrijf_respondenten(s: Session, ronde_id: int, respondenten: list[dict]) -> None:
    antwoorden: list[dict] = []
    wijzigingen: list[dict] = []
    for p in respondenten:
        resp = Respondent(ronde_id=ronde_id, pseudoniem=p["pseudoniem"], rol=p["rol"], hervat_hash=None,
                          organisatie=p["organisatie"], aangemaakt=_tijd(p["aangemaakt"]))
        s.add(resp)
        s.flush()
        antwoorden += [_antwoord_rij(resp.id, a, "bijgewerkt") for a in p["antwoorden"]]
        wijzigingen += [_antwoord_rij(resp.id, w, "tijdstip") for w in p["wijzigingen"]]
    if antwoorden:
        s.execute(insert(Antwoord), antwoorden)
    # in file order, so the new ids keep the order of the audit trail
    for w in wijzigingen:
        s.execute(insert(AntwoordWijziging), [w])


def _schrijf_consensus(s: Session, ronde_id: int, obj: dict) -> None:
    def rij(c: dict, tijd: str) -> dict:
        return {"ronde_id": ronde_id, "kader_id": c["kader"], "criterium_id": c["criterium"],
                "score": c["score"], "motivatie": c["motivatie"], tijd: _tijd(c[tijd])}

    if obj["consensus"]:
        s.execute(insert(Consensus), [rij(c, "bijgewerkt") for c in obj["consensus"]])
    for w in obj["consensus_wijzigingen"]:
        s.execute(insert(ConsensusWijziging), [rij(w, "tijdstip")])


def _actie_kolommen(a: dict) -> dict:
    return {
        "kader_id": a["kader"], "criterium_id": a["criterium"], "bron_actie_id": a["bron_actie"],
        "wat": a["wat"], "eigenaar": a["eigenaar"],
        "deadline": date.fromisoformat(a["deadline"]) if a["deadline"] else None,
        "meting": a["meting"], "status": a["status"], "effect": a["effect"],
    }


def _schrijf_verbeterplan(s: Session, ronde_id: int, obj: dict) -> None:
    """Actions in number order; a number that only has an audit trail (a deleted action)
    gets a placeholder row that is removed again, so ids keep the order of the numbers."""
    huidig = {a["nummer"]: a for a in obj["verbeterplan"]}
    nummers = sorted(set(huidig) | {w["actie"] for w in obj["verbeterplan_wijzigingen"]})
    nieuw_id: dict[int, int] = {}
    plaatshouders = []
    for n in nummers:
        if n in huidig:
            a = huidig[n]
            rij = Verbeteractie(ronde_id=ronde_id, **_actie_kolommen(a), aangemaakt=_tijd(a["aangemaakt"]),
                                bijgewerkt=_tijd(a["bijgewerkt"]))
        else:
            rij = Verbeteractie(ronde_id=ronde_id, kader_id=obj["kaders"][0]["id"], wat="(verwijderd)")
            plaatshouders.append(rij)
        s.add(rij)
        s.flush()
        nieuw_id[n] = rij.id
    for w in obj["verbeterplan_wijzigingen"]:
        s.execute(insert(VerbeteractieWijziging), [{
            "ronde_id": ronde_id, "actie_id": nieuw_id[w["actie"]], "gebeurtenis": w["gebeurtenis"],
            **_actie_kolommen(w), "overgenomen_van": None, "tijdstip": _tijd(w["tijdstip"]),
        }])
    for rij in plaatshouders:
        s.delete(rij)
