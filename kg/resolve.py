"""Canonicalization: one entity per real-world thing across all papers.

Forms are compared folded ("LLaMA-2" = "Llama 2" = "LLaMA2"), so versions stay
apart ("ResNet-18" vs "ResNet-50") while spelling does not. A lexicon entry
gathers all its known names. An acronym joins its long form where a paper
defines it; a bare acronym joins an entity of another paper only when exactly
one entity in the corpus has it, so "TIS" of two unrelated papers is not merged.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from kg.extract.lexicon import Lexicon
from kg.model import Mention
from kg.text import fold, form_key

_BARE_ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9\-]{0,9}$")
# A size or flavour at the end of a model name: "-7B", " 13B", "-base", "-Instruct", "-v2".
_VARIANT_SUFFIX = re.compile(
    r"[\s\-_/]+(?:\d+(?:\.\d+)?[BMK]|\d+x\d+B|base|large|small|tiny|mini|medium|huge|xl|xxl|"
    r"chat|instruct|it|hf|v\d+(?:\.\d+)?)$",
    re.IGNORECASE,
)


def derived_family(name: str) -> str | None:
    """The family a model name names by its suffix ("LLaMA-2-7B" -> "LLaMA-2"), or None."""
    match = _VARIANT_SUFFIX.search(name)
    if match and match.start() > 1:
        return name[: match.start()]
    return None


def _is_acronym(form: str) -> bool:
    return bool(_BARE_ACRONYM.match(form)) and sum(c.isupper() for c in form) >= 2 and " " not in form


@dataclass
class CanonicalEntity:
    """An entity of the whole corpus: its chosen name, every surface form, its type votes."""

    id: int
    name: str
    forms: list[str] = field(default_factory=list)
    type_votes: Counter = field(default_factory=Counter)
    lexicon_type: str | None = None
    family: str | None = None

    @property
    def type(self) -> str:
        if self.lexicon_type:
            return self.lexicon_type
        return self.type_votes.most_common(1)[0][0]

    @property
    def key(self) -> str:
        """The entity's stable key: its folded canonical name."""
        return fold(self.name)

    def add_forms(self, forms: list[str]) -> None:
        for form in forms:
            if form not in self.forms:
                self.forms.append(form)


class Resolver:
    """Maps each paper's mentions to corpus-wide entities, growing with distinct entities only."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.entities: list[CanonicalEntity] = []
        self._by_form: dict[str, int] = {}
        self._acronym_owners: dict[str, set[int]] = {}

    def resolve(self, mention: Mention) -> CanonicalEntity:
        """The corpus entity this mention names, created or enriched as needed."""
        entity = self._find(mention)
        if entity is None:
            entity = CanonicalEntity(len(self.entities), mention.name)
            self.entities.append(entity)
        elif not _is_acronym(mention.name) and _is_acronym(entity.name) and not entity.lexicon_type:
            entity.name = mention.name
        entity.add_forms(mention.forms())
        entity.type_votes[mention.type] += 1
        for form in [mention.name, *filter(_is_acronym, mention.aliases)]:
            key = form_key(form)
            self._by_form.setdefault(key, entity.id)
            if _is_acronym(form):
                self._acronym_owners.setdefault(key, set()).add(entity.id)
        return entity

    def _find(self, mention: Mention) -> CanonicalEntity | None:
        # The name decides; of the aliases only acronyms do, since a longer phrase that
        # also says "quantization" is not the lexicon's "quantization".
        for form in [mention.name, *filter(_is_acronym, mention.aliases)]:
            entry = self.lexicon.lookup(form)
            if entry is not None:
                return self._lexicon_entity(entry.name, entry.type, entry.forms(), entry.family)
        entity_id = self._by_form.get(form_key(mention.name))
        if entity_id is not None:
            return self.entities[entity_id]
        for form in mention.forms():
            owners = self._acronym_owners.get(form_key(form), set())
            if len(owners) != 1:
                continue
            owner = self.entities[next(iter(owners))]
            # A bare acronym joins the one entity that has it; a defined one only an entity not yet defined.
            if _is_acronym(mention.name) or all(_is_acronym(f) for f in owner.forms):
                return owner
        return None

    def _lexicon_entity(self, name: str, entity_type: str, forms: list[str], family: str | None) -> CanonicalEntity:
        entity_id = self._by_form.get(form_key(name))
        if entity_id is None:
            entity = CanonicalEntity(len(self.entities), name, lexicon_type=entity_type, family=family)
            self.entities.append(entity)
            for form in forms:
                self._by_form[form_key(form)] = entity.id
            return entity
        entity = self.entities[entity_id]
        entity.name, entity.lexicon_type, entity.family = name, entity_type, family
        return entity
