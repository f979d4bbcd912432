"""Acronym definitions: "Multi-Fidelity Reinforcement Learning (MFRL)".

The long form is found with the Schwartz-Hearst algorithm (Schwartz & Hearst,
PSB 2003): the short form's characters must appear, right to left, in the words
before the parenthesis, its first character at the start of a word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_PARENTHESIS = re.compile(r"\(([^()]{1,80})\)")
# "Differentiable KMeans Clustering, or DKM, has ...": the short form after ", or".
_OR_SHORT = re.compile(r",\s+or\s+([A-Za-z][\w\-]{1,11})(?=[,;:.]?\s)")
_SHORT_FORM = re.compile(r"^[A-Za-z0-9][\w\-.+/]*$")
_WORD = re.compile(r"\S+")
_GENERIC_TAIL = {
    "method",
    "model",
    "framework",
    "approach",
    "network",
    "module",
    "algorithm",
    "technique",
    "system",
    "architecture",
    "mechanism",
    "scheme",
    "strategy",
    "pipeline",
}


@dataclass
class Definition:
    long_form: str
    long_start: int
    long_end: int
    short_form: str
    short_start: int
    short_end: int


def _is_short_form(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return (
        2 <= len(text) <= 12
        and bool(_SHORT_FORM.match(text))
        and bool(letters)
        and any(c.isupper() for c in text)
        and len(text.split()) == 1
    )


def _long_form_start(short: str, candidate: str) -> int | None:
    """Where in ``candidate`` the long form for ``short`` begins, or None."""
    chars = [c.lower() for c in short if c.isalnum()]
    s_index, l_index = len(chars) - 1, len(candidate) - 1
    while s_index >= 0:
        char = chars[s_index]
        while l_index >= 0 and (
            candidate[l_index].lower() != char or (s_index == 0 and l_index > 0 and candidate[l_index - 1].isalnum())
        ):
            l_index -= 1
        if l_index < 0:
            return None
        l_index -= 1
        s_index -= 1
    return candidate.rfind(" ", 0, l_index + 1) + 1


def _trim_tail(short: str, long_form: str) -> str:
    """Drop trailing words the acronym does not spell: "... learning method (MFRL)"."""
    words = long_form.split(" ")
    while len(words) > 1 and words[-1].lower() in _GENERIC_TAIL and _long_form_start(short, " ".join(words[:-1])) == 0:
        words.pop()
    return " ".join(words)


def _reversed(text: str, match: re.Match) -> Definition | None:
    """ "NASK (Need A Second looK)": the short form before, the long form inside."""
    inside = match.group(1).strip()
    before = text[: match.start()].rstrip()
    word = before.rsplit(maxsplit=1)[-1] if before else ""
    if len(inside.split()) < 2 or not _is_short_form(word) or _long_form_start(word, inside) != 0:
        return None
    long_start = match.start(1) + match.group(1).find(inside)
    short_start = len(before) - len(word)
    return Definition(inside, long_start, long_start + len(inside), word, short_start, len(before))


def find_definitions(text: str) -> Iterator[Definition]:
    """Every "long form (SHORT)", "SHORT (long form)" or "long form, or SHORT," pair in ``text``, with offsets."""
    matches = sorted([*_PARENTHESIS.finditer(text), *_OR_SHORT.finditer(text)], key=lambda m: m.start())
    for match in matches:
        short = match.group(1).strip().split(";")[0].split(",")[0].strip()
        if not _is_short_form(short):
            reverse = _reversed(text, match) if match.re is _PARENTHESIS else None
            if reverse:
                yield reverse
            continue
        before_end = match.start()
        period = text.rfind(". ", 0, before_end)
        sentence_start = max(period + 2 if period >= 0 else 0, text.rfind("(", 0, before_end) + 1)
        words = list(_WORD.finditer(text, sentence_start, before_end))
        limit = min(len(short) + 5, 2 * len(short))
        if not words:
            continue
        window_start = words[max(0, len(words) - limit)].start()
        window = text[window_start:before_end].rstrip()
        offset = _long_form_start(short, window)
        if offset is None:
            continue
        long_form = _trim_tail(short, window[offset:].strip(" ,;:-"))
        if not long_form or len(long_form) <= len(short) or long_form.lower() == short.lower():
            continue
        long_start = window_start + offset + window[offset:].find(long_form)
        short_start = match.start(1) + match.group(1).find(short)
        yield Definition(
            long_form, long_start, long_start + len(long_form), short, short_start, short_start + len(short)
        )
