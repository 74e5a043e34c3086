"""Nationality adjectives the registry does not list as aliases (guideline 2.2, NORP).

A NORP mention needs an ``entity_id`` (guideline 3.1), so a demonym is suggested only when the
registry has the group: a NORP entry named, or with the id of, the group's plural ("Ukrainian" ->
an entry named "Ukrainians" or with id ``ukrainians``, the id rule of guideline 3.1). The
registry's own NORP aliases are the gazetteer's; this adds the forms it lacks (an entry "Iranians"
with only the alias "Iranians" gets "Iranian" too). A demonym whose group is not in the registry
is not suggested: add the group to the registry (a documented limitation, docs/suggestions.md).
Whole words only, case-sensitive: "Iranian" in "Iranians" is not taken.
"""

from __future__ import annotations

import re
from typing import Mapping, Optional

from ..model import RegistryEntry
from ._model import Suggestion

SOURCE = "demonyms@1"
SCORE = 0.75

#: Adjective -> the group in the plural (the name of its registry entry). The plural noun itself
#: ("Ukrainians") is the same group.
DEMONYMS: dict[str, str] = {
    "Afghan": "Afghans", "Albanian": "Albanians", "Algerian": "Algerians", "American": "Americans",
    "Argentine": "Argentines", "Armenian": "Armenians", "Australian": "Australians", "Austrian": "Austrians",
    "Azerbaijani": "Azerbaijanis", "Bahraini": "Bahrainis", "Belarusian": "Belarusians", "Belgian": "Belgians",
    "Brazilian": "Brazilians", "British": "Britons", "Bulgarian": "Bulgarians", "Canadian": "Canadians",
    "Chilean": "Chileans", "Chinese": "Chinese", "Colombian": "Colombians", "Croatian": "Croatians",
    "Cuban": "Cubans", "Czech": "Czechs", "Danish": "Danes", "Dutch": "Dutch", "Egyptian": "Egyptians",
    "Emirati": "Emiratis", "Estonian": "Estonians", "Ethiopian": "Ethiopians", "European": "Europeans",
    "Finnish": "Finns", "French": "French", "Georgian": "Georgians", "German": "Germans", "Greek": "Greeks",
    "Hungarian": "Hungarians", "Indian": "Indians", "Indonesian": "Indonesians", "Iranian": "Iranians",
    "Iraqi": "Iraqis", "Irish": "Irish", "Israeli": "Israelis", "Italian": "Italians", "Japanese": "Japanese",
    "Jordanian": "Jordanians", "Kazakh": "Kazakhs", "Kenyan": "Kenyans", "Korean": "Koreans", "Kurdish": "Kurds",
    "Kuwaiti": "Kuwaitis", "Latvian": "Latvians", "Lebanese": "Lebanese", "Libyan": "Libyans",
    "Lithuanian": "Lithuanians", "Mexican": "Mexicans", "Moroccan": "Moroccans", "Nigerian": "Nigerians",
    "Norwegian": "Norwegians", "Pakistani": "Pakistanis", "Palestinian": "Palestinians", "Polish": "Poles",
    "Portuguese": "Portuguese", "Qatari": "Qataris", "Romanian": "Romanians", "Russian": "Russians",
    "Saudi": "Saudis", "Serbian": "Serbs", "Slovak": "Slovaks", "Somali": "Somalis", "Spanish": "Spaniards",
    "Sudanese": "Sudanese", "Swedish": "Swedes", "Swiss": "Swiss", "Syrian": "Syrians", "Taiwanese": "Taiwanese",
    "Turkish": "Turks", "Ukrainian": "Ukrainians", "Venezuelan": "Venezuelans", "Vietnamese": "Vietnamese",
    "Western": "Westerners", "Yemeni": "Yemenis",
}
_FORMS = {**DEMONYMS, **{plural: plural for plural in DEMONYMS.values()}}
_WORD = re.compile(r"(?<![^\W_])(?:" + "|".join(sorted(map(re.escape, _FORMS), key=lambda w: (-len(w), w))) + r")(?![^\W_])")


def _slug(name: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", name.lower()))


def demonym_targets(registry: Mapping[str, RegistryEntry]) -> dict[str, str]:
    """Each demonym form -> the entity_id of its group's NORP entry, for the groups the registry has."""
    by_name: dict[str, str] = {}
    for entry in sorted(registry.values(), key=lambda e: e.entity_id):
        if entry.type == "NORP":
            by_name.setdefault(entry.name, entry.entity_id)
            by_name.setdefault(entry.entity_id, entry.entity_id)
    out = {}
    for form, plural in _FORMS.items():
        found = by_name.get(plural) or by_name.get(_slug(plural))
        if found is not None:
            out[form] = found
    return out


def suggest_demonyms(text: str, *, registry: Mapping[str, RegistryEntry],
                     targets: Optional[dict[str, str]] = None) -> list[Suggestion]:
    """NORP suggestions for the demonyms of ``text`` whose group the registry has (possibly
    overlapping the gazetteer's: the pipeline flattens them), in text order. ``targets``:
    ``demonym_targets(registry)``, to reuse over many texts."""
    targets = demonym_targets(registry) if targets is None else targets
    if not targets:
        return []
    out = []
    for match in _WORD.finditer(text):
        entity_id = targets.get(match.group())
        if entity_id is not None:
            item = {"start": match.start(), "end": match.end(), "text": match.group(), "label": "NORP", "entity_id": entity_id}
            out.append(Suggestion("entities", item, SOURCE, SCORE))
    return out
