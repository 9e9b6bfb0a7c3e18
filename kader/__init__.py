"""Kaders (toezichtkaders and success-factor models) as validated YAML."""
from .acties import ACTIES_PAD, NIVEAUS, Actie, laad_acties, suggesties
from .koppeling import KOPPELING_MAP, Koppeling, Koppelingen, OntbrekendeKoppeling, laad_koppelingen
from .loader import KADER_MAP, LaadResultaat, laad_kaders
from .model import NVT, WEET_NIET, Antwoordschaal, Bron, Criterium, Kader, Thema, rapportvolgorde
from .yamlbron import YamlFout

__all__ = [
    "KADER_MAP", "LaadResultaat", "laad_kaders", "NVT", "WEET_NIET", "Antwoordschaal",
    "Bron", "Criterium", "Kader", "Thema", "YamlFout", "rapportvolgorde",
    "ACTIES_PAD", "NIVEAUS", "Actie", "laad_acties", "suggesties",
    "KOPPELING_MAP", "Koppeling", "Koppelingen", "OntbrekendeKoppeling", "laad_koppelingen",
]
