"""Questionnaires per respondent rol.

`standaard.yaml` holds a plain-language statement (B1) per criterium; each
`<rol>.yaml` names the rol and lists which kaders and criteria it answers,
optionally with its own wording. `robuuste-netwerken: alle` means every
criterium of that kader with the standard statements.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kader.loader import Lezer  # shared field reader with Dutch messages
from kader.model import Bron, Kader
from kader.yamlbron import YamlFout, lees_yaml, regel_van

MAP = Path(__file__).resolve().parent
# Order of the rollen: the gemeente, the duidende instanties (002 §1.2, §4.1), the
# signalerende partijen (002 §1.2), then those who give the help.
VOLGORDE = ("gemeente", "wijkteam-cjg", "veilig-thuis", "jgz", "huisarts", "kinderopvang", "onderwijs", "politie",
            "jeugdhulpaanbieder", "volwassenenzorg")


@dataclass(frozen=True)
class Rol:
    id: str
    naam: str
    omschrijving: str
    bron: Bron | None
    organisaties: tuple[str, ...] = ()  # kinds of organisation within the rol (optional choice)


@dataclass(frozen=True)
class Vraag:
    kader_id: str
    criterium_id: str
    stelling: str


@dataclass(frozen=True)
class Vragenlijst:
    rol: Rol
    vragen: tuple[Vraag, ...]

    def voor_kader(self, kader_id: str) -> tuple[Vraag, ...]:
        return tuple(v for v in self.vragen if v.kader_id == kader_id)

    @property
    def kader_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v.kader_id for v in self.vragen))


@dataclass
class Vragenlijsten:
    lijsten: dict[str, Vragenlijst] = field(default_factory=dict)
    toelichting_hint: str = ""
    fouten: list[YamlFout] = field(default_factory=list)

    def rol_namen(self) -> dict[str, str]:
        return {rid: v.rol.naam for rid, v in self.lijsten.items()}

    def paren(self) -> dict[str, list[tuple[str, str]]]:
        """rol id -> [(kader id, criterium id), ...]; used by the demo data."""
        return {rid: [(v.kader_id, v.criterium_id) for v in vl.vragen] for rid, vl in self.lijsten.items()}


def _lees(pad: Path):
    naam = str(pad.relative_to(MAP.parent)) if pad.is_relative_to(MAP.parent) else str(pad)
    data, regels = lees_yaml(pad.read_bytes(), naam)
    return naam, data, regels


def laad_vragenlijsten(kaders: dict[str, Kader], map_: Path = MAP) -> Vragenlijsten:
    """Load every questionnaire, checking each criterium reference against `kaders`."""
    uit = Vragenlijsten()
    standaard: dict[str, dict[str, str]] = {}
    try:
        naam, data, regels = _lees(map_ / "standaard.yaml")
        lz = Lezer(naam, regels)
        uit.toelichting_hint = lz.veld(data, (), "toelichting_hint", str) or ""
        for kader_id, stellingen in (lz.veld(data, (), "kaders", dict) or {}).items():
            if kader_id not in kaders:
                lz.fout(("kaders", kader_id), f"onbekend kader '{kader_id}'.")
                continue
            bekend = {c.id for c in kaders[kader_id].criteria}
            for crit_id, tekst in (stellingen or {}).items():
                if crit_id not in bekend:
                    lz.fout(("kaders", kader_id, crit_id), f"onbekend criterium '{crit_id}' in kader '{kader_id}'.")
                elif not isinstance(tekst, str) or not tekst.strip():
                    lz.fout(("kaders", kader_id, crit_id), "verwacht een stelling (tekst).")
                else:
                    standaard.setdefault(kader_id, {})[crit_id] = " ".join(tekst.split())
        uit.fouten.extend(lz.fouten)
    except YamlFout as e:
        uit.fouten.append(e)

    paden = sorted(p for p in map_.glob("*.yaml") if p.name != "standaard.yaml")
    for pad in paden:
        try:
            naam, data, regels = _lees(pad)
        except YamlFout as e:
            uit.fouten.append(e)
            continue
        lz = Lezer(naam, regels)
        lijst = _lees_vragenlijst(lz, data, kaders, standaard)
        if lz.fouten:
            uit.fouten.extend(lz.fouten)
        elif lijst.rol.id in uit.lijsten:
            uit.fouten.append(YamlFout(naam, regel_van(regels, ("rol", "id")), "rol.id", f"rol '{lijst.rol.id}' bestaat al."))
        else:
            uit.lijsten[lijst.rol.id] = lijst
    volgorde = {r: i for i, r in enumerate(VOLGORDE)}
    uit.lijsten = dict(sorted(uit.lijsten.items(), key=lambda kv: (volgorde.get(kv[0], 99), kv[0])))
    return uit


def _lees_vragenlijst(lz: Lezer, data, kaders, standaard) -> Vragenlijst | None:
    if lz.mapping(data, ()) is None:
        return None
    lz.onbekende_velden(data, (), {"soort", "rol", "kaders"})
    rol_ruw = lz.veld(data, (), "rol", dict) or {}
    lz.onbekende_velden(rol_ruw, ("rol",), {"id", "naam", "omschrijving", "bron", "organisaties"})
    organisaties = lz.veld(rol_ruw, ("rol",), "organisaties", list, verplicht=False, standaard=[])
    for i, o in enumerate(organisaties):
        if not isinstance(o, str) or not o.strip() or len(o) > 80:
            lz.fout(("rol", "organisaties", i), "verwacht een korte naam (tekst, hooguit 80 tekens).")
    rol = Rol(lz.id(rol_ruw, ("rol",), {}), lz.veld(rol_ruw, ("rol",), "naam", str) or "",
              lz.veld(rol_ruw, ("rol",), "omschrijving", str, verplicht=False, standaard=""),
              lz.bron(rol_ruw, ("rol",), verplicht=False),
              tuple(o for o in organisaties if isinstance(o, str)))
    vragen: list[Vraag] = []
    for kader_id, items in (lz.veld(data, (), "kaders", dict) or {}).items():
        pad = ("kaders", kader_id)
        kader = kaders.get(kader_id)
        if kader is None:
            lz.fout(pad, f"onbekend kader '{kader_id}' (bekend: {', '.join(sorted(kaders)) or 'geen'}).")
            continue
        if items == "alle":
            items = [{"criterium": c.id} for c in kader.criteria]
        if not isinstance(items, list):
            lz.fout(pad, "verwacht een lijst met criteria of 'alle'.")
            continue
        gezien = set()
        for i, item in enumerate(items):
            ipad = pad + (i,)
            if lz.mapping(item, ipad) is None:
                continue
            lz.onbekende_velden(item, ipad, {"criterium", "stelling"})
            crit_id = lz.veld(item, ipad, "criterium", str)
            if crit_id is None:
                continue
            if crit_id not in {c.id for c in kader.criteria}:
                lz.fout(ipad + ("criterium",), f"onbekend criterium '{crit_id}' in kader '{kader_id}'.")
                continue
            if crit_id in gezien:
                lz.fout(ipad + ("criterium",), f"criterium '{crit_id}' staat dubbel in deze vragenlijst.")
                continue
            gezien.add(crit_id)
            stelling = lz.veld(item, ipad, "stelling", str, verplicht=False)
            stelling = " ".join(stelling.split()) if stelling else standaard.get(kader_id, {}).get(crit_id)
            if not stelling:
                lz.fout(ipad, f"geen stelling voor '{crit_id}', ook niet in standaard.yaml.")
                continue
            vragen.append(Vraag(kader_id, crit_id, stelling))
    return Vragenlijst(rol, tuple(vragen))


def rol_namen() -> dict[str, str]:
    """Display names of the roles, for reports and the CLI."""
    from kader import laad_kaders

    return laad_vragenlijsten(laad_kaders().kaders).rol_namen()
