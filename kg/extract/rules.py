"""The extractor's pattern knowledge, read from ``kg/lexicon/rules.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from kg.text import fold

RULES_FILE = Path(__file__).resolve().parent.parent / "lexicon" / "rules.yaml"


@dataclass(frozen=True)
class Rules:
    head_types: dict[str, str]
    container_heads: frozenset[str]
    generic_modifiers: frozenset[str]
    generic_phrases: frozenset[str]
    stop_acronyms: frozenset[str]
    relation_cues: dict[str, frozenset[str]]
    self_reference: frozenset[str]
    proposal_cues: frozenset[str]
    naming_words: frozenset[str]
    negations: frozenset[str]
    whole_words: frozenset[str]
    result_words: frozenset[str]

    def head_type(self, word: str) -> str | None:
        """The entity type a phrase ending in ``word`` names, if its head is telling."""
        return self.head_types.get(word.lower())

    @property
    def naming_alternation(self) -> str:
        """The naming words as a regular-expression alternation, longest first."""
        return "|".join(sorted(self.naming_words, key=len, reverse=True))

    def is_generic(self, phrase: str) -> bool:
        """A generic phrase, singular or plural ("large language model(s)")."""
        key = fold(phrase)
        return key in self.generic_phrases or key + "s" in self.generic_phrases


@cache
def load_rules(path: Path = RULES_FILE) -> Rules:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    head_types: dict[str, str] = {}
    for entity_type, words in raw["head_words"].items():
        for word in words:
            head_types.setdefault(word.lower(), entity_type)
    return Rules(
        head_types=head_types,
        container_heads=frozenset(w.lower() for w in raw["container_heads"]),
        generic_modifiers=frozenset(w.lower() for w in raw["generic_modifiers"]),
        generic_phrases=frozenset(fold(p) for p in raw["generic_phrases"]),
        stop_acronyms=frozenset(fold(a) for a in raw["stop_acronyms"]),
        relation_cues={name: frozenset(w.lower() for w in words) for name, words in raw["relation_cues"].items()},
        self_reference=frozenset(w.lower() for w in raw["self_reference"]),
        proposal_cues=frozenset(w.lower() for w in raw["proposal_cues"]),
        naming_words=frozenset(w.lower() for w in raw["naming_words"]),
        negations=frozenset(w.lower() for w in raw["negations"]),
        whole_words=frozenset(w.lower() for w in raw["whole_words"]),
        result_words=frozenset(w.lower() for w in raw["result_words"]),
    )
