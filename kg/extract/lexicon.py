"""The curated lexicon of known ML entities and a fast matcher for it.

Entries live in ``kg/lexicon/<type>.tsv`` (name, aliases, family). Matching works
on "pieces": runs of letters or of digits, lower-cased, so that "LLaMA-2",
"Llama 2" and "llama2" are the same three-piece key and spacing, hyphens and
dots never decide a match. A trie over pieces finds the longest entry at each
position in one pass over the text: cost O(len(text) * depth), not O(entries).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from kg.schema import load_schema
from kg.text import fold

LEXICON_DIR = Path(__file__).resolve().parent.parent / "lexicon"
_PIECE = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
# Characters allowed between two pieces of one name ("LLaMA-2", "ViT-B/16", "wav2vec 2.0", "N:M").
# What may stand between the letter runs of one name: "GPT-4", "pass@k", and LaTeX's "--" ("Rao--Blackwellization").
_WIDENED_TYPES = ("METHOD", "TASK", "METRIC")
_JOINERS = {*" -_./:@", "--"}
_SHORT = 5


def _case_rule(form: str) -> str | None:
    """How a form's case must match, so that short names do not fire on common words.

    Short capitals ("SAM", "MAE", "MATH") only in capitals; short mixed-case names
    ("mAP", "ViT", "LLaMA") with at least one capital ("Llama" yes, "map" no);
    capitalised single words ("Frontier", "Summit") with a capital first letter.
    """
    compact = form.replace("-", "")
    letters = [c for c in compact if c.isalpha()]
    if len(compact) <= _SHORT and letters and all(c.isupper() for c in letters):
        return "capitals"
    if len(compact) <= _SHORT and any(c.isupper() for c in letters):
        return "some-capital"
    if form[:1].isupper() and form[1:].islower() and form.isalpha():
        return "capital"
    return None


def _case_matches(surface: str, rule: str | None) -> bool:
    letters = [c for c in surface.removesuffix("s") if c.isalpha()]
    if rule == "capitals":
        return all(c.isupper() for c in letters)
    if rule == "some-capital":
        return any(c.isupper() for c in letters)
    if rule == "capital":
        return surface[:1].isupper()
    return True


@dataclass
class Entry:
    """One known entity: its preferred name, type, other names and model family."""

    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    family: str | None = None

    def forms(self) -> list[str]:
        return [self.name, *self.aliases]


@dataclass
class Match:
    start: int
    end: int
    text: str
    entry: Entry


def pieces(text: str) -> list[tuple[str, int, int]]:
    """The letter and digit runs of a text, lower-cased, with their offsets.

    A "v" that only marks a version ("YOLOv8", "LLaMA-V2", "MobileNet-v1") is dropped,
    so the versioned and the plain spelling are one key.
    """
    runs = [(m.group().lower(), m.start(), m.end()) for m in _PIECE.finditer(text)]
    return [
        run
        for i, run in enumerate(runs)
        if not (run[0] == "v" and i > 0 and i + 1 < len(runs) and runs[i + 1][0].isdigit() and runs[i + 1][1] == run[2])
    ]


class Lexicon:
    """Known entities by type, with a longest-match piece trie over all their forms."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self.by_fold: dict[str, Entry] = {}
        self._trie: dict = {}
        for entry in entries:
            for form in entry.forms():
                self.by_fold.setdefault(fold(form), entry)
                self._insert(form, entry)

    def _insert(self, form: str, entry: Entry) -> None:
        keys = [p for p, _, _ in pieces(form)]
        if not keys:
            return
        node = self._trie
        for key in keys:
            node = node.setdefault(key, {})
        node.setdefault("$", []).append((entry, form, _case_rule(form)))

    def lookup(self, name: str) -> Entry | None:
        """The entry one of whose forms folds to the same key as ``name``."""
        key = fold(name)
        return self.by_fold.get(key) or (self.by_fold.get(key[:-1]) if key.endswith("s") else None)

    def find(self, text: str) -> Iterator[Match]:
        """Longest non-overlapping matches of known forms in ``text``, left to right."""
        runs = pieces(text)
        index = 0
        while index < len(runs):
            best = self._longest_at(text, runs, index)
            if best is None:
                index += 1
                continue
            match, consumed = best
            yield match
            index += consumed

    def _longest_at(self, text: str, runs: list[tuple[str, int, int]], first: int) -> tuple[Match, int] | None:
        start = runs[first][1]
        if start > 0 and text[start - 1].isalnum():
            return None
        # "train-time LLM" holds no "Time-LLM": a name does not start inside a hyphenated word, though a
        # technique or task may ("text-image retrieval" widens from "image retrieval").
        inside_word = start > 1 and text[start - 1] == "-" and text[start - 2].isalnum()
        node, best = self._trie, None
        for index in range(first, len(runs)):
            piece, piece_start, piece_end = runs[index]
            if index > first:
                gap = text[runs[index - 1][2] : piece_start]
                if gap[-1:] in ("v", "V"):
                    gap = gap[:-1]
                if gap and gap not in _JOINERS:
                    break
            plural = piece.endswith("s") and piece[:-1] in node and piece not in node
            nxt = node.get(piece) or (node.get(piece[:-1]) if plural else None)
            if nxt is None:
                break
            node = nxt
            if "$" in node and (piece_end == len(text) or not text[piece_end].isalnum()):
                surface = text[start:piece_end]
                for entry, _form, rule in node["$"]:
                    if inside_word and entry.type not in _WIDENED_TYPES:
                        continue
                    if _case_matches(surface, rule):
                        best = (Match(start, piece_end, surface, entry), index - first + 1)
                        break
        return best


def read_entries(directory: Path = LEXICON_DIR) -> list[Entry]:
    """Entries of every ``<type>.tsv`` whose type the schema knows."""
    entries: list[Entry] = []
    for entity_type in load_schema().entity_types:
        path = directory / f"{entity_type.lower()}.tsv"
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            columns = [*line.split("\t"), "", ""][:3]
            name, aliases, family = (c.strip() for c in columns)
            if name:
                entries.append(
                    Entry(name, entity_type, [a.strip() for a in aliases.split("|") if a.strip()], family or None)
                )
    return entries


@cache
def default_lexicon() -> Lexicon:
    """The lexicon shipped with the package, built once per process."""
    return Lexicon(read_entries())
