"""Text normalisation shared by every stage: one definition of how names compare."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)


def fold(text: str) -> str:
    """Lower case, NFKC, letters and digits only: "LLaMA-2" and "Llama 2" both give "llama2"."""
    return _NON_ALNUM.sub("", unicodedata.normalize("NFKC", text).lower())


def form_key(form: str) -> str:
    """The folded key of a name, plural acronyms singular ("CNNs" -> "cnn", "PCs" = "PC")."""
    key = fold(form)
    if len(form) > 2 and form.endswith("s") and form[-2].isupper():
        key = key[:-1]
    return key


def normalize_title(title: str) -> str:
    """A title reduced to lower-case words, so reformatted copies of one title compare equal."""
    words = _NON_ALNUM.sub(" ", unicodedata.normalize("NFKC", title).lower()).split()
    return " ".join(words)


def stable_hash(text: str, length: int = 16) -> str:
    """A short hex digest that is the same on every run and machine."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


def slugify(text: str) -> str:
    """A readable, IRI-safe slug: ASCII letters, digits and hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()
    return slug or "x" + stable_hash(text, 10)
