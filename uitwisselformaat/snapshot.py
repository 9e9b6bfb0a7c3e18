"""Snapshot of one ronde as a JSON file with a SHA-256 digest: the format, without any
database code. Export from and import into the database: :mod:`storage.snapshot`.

What is in it (format ``zelfbeoordeling-ronde-snapshot``, versie 1; docs/snapshot.md):
the gemeente name, the ronde (label, jaar, status, demo, aangemaakt, workshop fase), the
kader ids with their pinned versions, the invited rollen, the respondents
(pseudonym, rol, organisation type, aangemaakt; never a name, never a code hash)
with their current answers and audit trail, the consensus with its audit trail and
the verbeterplan with its audit trail.

Nothing instance-specific is in it: no database ids (actions are numbered 1, 2, ...
in the order of their ids; an audit row points at that number), no invitation or
resume codes, no link to an action of an earlier ronde (``overgenomen_van``).
Timestamps are UTC, ``JJJJ-MM-DDTuu:mm:ss.ffffffZ`` (always six decimals;
:func:`tijd_tekst`), which SQLite and PostgreSQL both store exactly. So exporting a
ronde, importing it elsewhere and exporting it there gives the same digest.

The digest (field ``sha256``) is the SHA-256 (lower-case hex) of the canonical
serialisation of the whole object WITHOUT the ``sha256`` field (:func:`canoniek`):
``json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)``
encoded as UTF-8. The snapshot holds no floats, only strings, integers, booleans,
null, lists and objects, so this serialisation is unambiguous.

Reading: :func:`verifieer_snapshot` checks only the digest (after the size and
nesting limits :data:`MAX_BYTES` and :data:`MAX_DIEPTE`, before parsing);
:func:`lees_snapshot` checks the digest first, then the structure, kaders, criteria,
scores and rollen, and cleans the free text. Every problem is a :class:`SnapshotFout`.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from kader.model import Kader
from uitwisselformaat.contract import MAX_UPLOAD_BYTES, geldige_scores, megabytes
from uitwisselformaat.snapshot_extra import (
    HOOFD_VELDEN,
    RESPONDENT_VELDEN,
    RONDE_VELDEN,
    controleer_extra,
    maak_extra_schoon,
)
from uitwisselformaat.tekst import schone_tekst, verboden_teken
from uitwisselformaat.waarden import ACTIE_STATUSSEN, FASES, GEBEURTENISSEN, STATUSSEN

FORMAAT = "zelfbeoordeling-ronde-snapshot"
VERSIE = 1
JAAR_MIN, JAAR_MAX = 2000, 2099  # ronde.jaar (optional field; as storage.rondes)
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
    t = t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)
    return t.strftime(TIJD_FORMAAT)


def tijd_uit_tekst(tekst: str) -> datetime:
    """The time a :func:`tijd_tekst` text stands for (UTC); ValueError when it does not exist."""
    return datetime.strptime(tekst, TIJD_FORMAAT).replace(tzinfo=UTC)


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

    def obj(self, waarde, pad: str, velden: tuple[str, ...], optioneel: tuple[str, ...] = ()) -> dict:
        if not isinstance(waarde, dict):
            self.fout(pad, "verwacht een object.")
        ontbrekend = [v for v in velden if v not in waarde]
        if ontbrekend:
            self.fout(pad, f"deze velden ontbreken: {', '.join(ontbrekend)}.")
        extra = sorted(set(waarde) - set(velden) - set(optioneel))
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
            tijd_uit_tekst(waarde)
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
            "consensus", "consensus_wijzigingen", "verbeterplan", "verbeterplan_wijzigingen"), HOOFD_VELDEN)
        self.tekst(obj["gemeente"], "gemeente", MAX["gemeente"], leeg=False)
        # ``jaar`` is optional: snapshots made before rondes had a year still import
        r = self.obj(obj["ronde"], "ronde", (
            "label", "status", "demo", "aangemaakt", "fase", "huidig_kader", "huidig_criterium"),
            ("jaar", *RONDE_VELDEN))
        self.tekst(r["label"], "ronde.label", MAX["label"], leeg=False)
        if "jaar" in r and (isinstance(r["jaar"], bool) or not isinstance(r["jaar"], int)
                            or not JAAR_MIN <= r["jaar"] <= JAAR_MAX):
            self.fout("ronde.jaar", f"verwacht een jaar van {JAAR_MIN} tot en met {JAAR_MAX}.")
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
            self.obj(p, pad, ("pseudoniem", "rol", "organisatie", "aangemaakt", "antwoorden", "wijzigingen"),
                     RESPONDENT_VELDEN)
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
        controleer_extra(self, obj)  # issue 15: optional parts (uitwisselformaat/snapshot_extra.py)

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
    it (:func:`uitwisselformaat.tekst.schone_tekst`). The digest was checked before, over the
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
    maak_extra_schoon(obj)
