"""Entity spans in one text: known names, defined acronyms, new names and typed phrases.

Four sources, strongest first when spans overlap: acronym definitions, the
lexicon, name-shaped tokens ("FooNet-v2", "GeoAlign", "DNABERT-2") typed by the
words around them, and noun phrases typed by their head word ("news topic
classification" is a TASK). Each span carries its type and a ``key`` that ties
the forms of one entity in one abstract together (an acronym and its long form,
two names of one lexicon entry).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from kg.extract.acronyms import find_definitions
from kg.extract.lexicon import Lexicon
from kg.extract.rules import Rules
from kg.text import fold

# A token shaped like a name: capitals inside ("ImageNet", "GeoAlign"), all capitals
# ("IPTC"), or letters with digits ("YOLOv8", "H100"), with optional version suffixes.
_NAME = re.compile(
    r"(?<![\w\-])"
    r"(?:[A-Za-z][\w]*(?:[\-\.][\w]+)*(?:\+\+|\+)?)"
    r"(?![\w])"
)
_VERSION_TAIL = re.compile(r"^(?:[\-\s]?(?:v|V)?\d+(?:\.\d+)*[A-Za-z]?(?:-[A-Za-z0-9]+)*)")
_SOURCE_RANK = {"acronym": 3, "lexicon": 2, "name": 1, "phrase": 0}
_NAME_SUFFIX_TYPES = (
    (("bench", "benchmark"), "BENCHMARK"),
    (("net", "former", "bert", "gpt", "llama", "lm", "vit", "diffusion", "yolo"), "MODEL"),
)
_CONTEXT_WINDOW = 3


@dataclass
class Candidate:
    """An entity span found in a text, before the abstract's entities are formed."""

    start: int
    end: int
    text: str
    type: str
    source: str
    key: str

    @property
    def rank(self) -> tuple[int, int]:
        return (self.end - self.start, _SOURCE_RANK[self.source])


def _is_name_shaped(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    if len(letters) < 1 or len(token) < 2:
        return False
    uppers = sum(c.isupper() for c in token)
    has_digit = any(c.isdigit() for c in token)
    return uppers >= 2 or (has_digit and token[0].isalpha() and token[0].isupper()) or (uppers >= 1 and not token[0].isupper())


def _type_from_name(name: str) -> str | None:
    lowered = fold(name)
    for suffixes, entity_type in _NAME_SUFFIX_TYPES:
        if any(lowered.endswith(s) or (s == "bench" and "bench" in lowered) for s in suffixes):
            return entity_type
    return None


class EntityFinder:
    """Finds typed entity candidates in raw text, before parsing."""

    def __init__(self, lexicon: Lexicon, rules: Rules) -> None:
        self.lexicon = lexicon
        self.rules = rules

    def _type_from_context(self, text: str, end: int) -> str | None:
        after = re.findall(r"[A-Za-z][\w\-]*", text[end : end + 40])[:_CONTEXT_WINDOW]
        for word in after[:2]:
            entity_type = self.rules.head_type(word)
            if entity_type in ("DATASET", "BENCHMARK", "HARDWARE", "MODEL"):
                return entity_type
            if entity_type:
                return None
        return None

    def _type_of_phrase(self, phrase: str) -> str | None:
        entry = self.lexicon.lookup(phrase)
        if entry:
            return entry.type
        words = re.findall(r"[\w\-]+", phrase)
        return self.rules.head_type(words[-1]) if words else None

    def find(self, text: str) -> list[Candidate]:
        """Typed candidates in ``text``, overlaps resolved in favour of longer, surer spans."""
        candidates: list[Candidate] = []
        blocked: set[str] = set()
        for definition in find_definitions(text):
            if self.rules.is_generic(definition.long_form) or fold(definition.short_form) in self.rules.stop_acronyms:
                blocked.add(fold(definition.short_form))
                continue
            entity_type = (
                self._type_of_phrase(definition.short_form)
                or self._type_of_phrase(definition.long_form)
                or self._type_from_context(text, definition.short_end + 1)
                or _type_from_name(definition.short_form)
                or "METHOD"
            )
            key = "def:" + fold(definition.short_form)
            candidates.append(
                Candidate(definition.long_start, definition.long_end, definition.long_form, entity_type, "acronym", key)
            )
            candidates.append(
                Candidate(definition.short_start, definition.short_end, definition.short_form, entity_type, "acronym", key)
            )
        defined = {c.key: c.type for c in candidates}
        for match in self.lexicon.find(text):
            if self.rules.is_generic(match.text):
                continue
            end = match.end
            if match.entry.type == "MODEL":
                tail = _VERSION_TAIL.match(text[end:])
                end += tail.end() if tail and not text[end:end + tail.end()].strip().isdigit() else 0
            surface = text[match.start : end]
            key = "def:" + fold(surface) if "def:" + fold(surface) in defined else "lex:" + fold(match.entry.name)
            if end != match.end:
                key = "name:" + fold(surface)
            candidates.append(Candidate(match.start, end, surface, match.entry.type, "lexicon", key))
        for match in _NAME.finditer(text):
            token = match.group()
            folded = fold(token)
            if (
                not _is_name_shaped(token)
                or folded in self.rules.stop_acronyms
                or folded in blocked
                or self.rules.is_generic(token)
            ):
                continue
            key = "def:" + folded
            entity_type = (
                defined.get(key)
                or self._type_from_context(text, match.end())
                or _type_from_name(token)
                or "METHOD"
            )
            if key not in defined:
                key = "name:" + folded
            candidates.append(Candidate(match.start(), match.end(), token, entity_type, "name", key))
        return _without_overlaps(candidates)

    def phrases(self, doc: Doc, taken: list[tuple[int, int]]) -> list[Candidate]:
        """Noun phrases whose head word names a type and that no other source found."""
        found = []
        for chunk in doc.noun_chunks:
            span = self._trim(chunk)
            if span is None or any(s < span.end_char and span.start_char < e for s, e in taken):
                continue
            head = span[-1].text.lower()
            entity_type = self.rules.head_type(head) or self.rules.head_type(span[-1].lemma_.lower())
            if entity_type is None or (len(span) == 1 and (head in self.rules.needs_modifier or entity_type == "MODEL")):
                continue
            if entity_type in ("MODEL", "DATASET", "BENCHMARK") or self.rules.is_generic(span.text):
                continue
            found.append(Candidate(span.start_char, span.end_char, span.text, entity_type, "phrase", "phr:" + fold(span.text)))
        return found

    def _trim(self, chunk: Span) -> Span | None:
        """The chunk without determiners, numbers and generic modifiers in front."""
        start = chunk.start
        while start < chunk.end and (
            chunk.doc[start].pos_ in ("DET", "PRON", "NUM", "PUNCT", "ADV", "CCONJ")
            or chunk.doc[start].lower_ in self.rules.generic_modifiers
            or not chunk.doc[start].text[:1].isalnum()
        ):
            start += 1
        span = chunk.doc[start : chunk.end]
        if not span or len(span) > 6 or any(t.like_num or t.is_punct and t.text not in "-/" for t in span):
            return None
        return span


def _without_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    kept: list[Candidate] = []
    for candidate in sorted(candidates, key=lambda c: c.rank, reverse=True):
        if all(candidate.end <= k.start or k.end <= candidate.start for k in kept):
            kept.append(candidate)
    return sorted(kept, key=lambda c: c.start)
