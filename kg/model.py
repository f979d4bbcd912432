"""The records that flow between stages: papers in, extractions out."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Paper:
    """One paper as read from a listing or a JSON Lines record."""

    id: str
    title: str
    abstract: str
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    url: str | None = None
    arxiv_id: str | None = None
    doi: str | None = None
    sources: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Paper:
        return cls(**data)


@dataclass
class Mention:
    """An entity as one abstract names it: its fullest name, other forms, and type."""

    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    proposed: bool = False

    def forms(self) -> list[str]:
        return [self.name, *self.aliases]


@dataclass
class Statement:
    """A relation one abstract states, with the sentence that states it.

    ``start`` and ``end`` are character offsets of the sentence in ``section``
    (the paper's ``title`` or ``abstract``).
    """

    head: str
    type: str
    tail: str
    sentence: str
    section: str
    start: int
    end: int
    confidence: float


@dataclass
class Result:
    """One stated result: who reached which value of which metric, on what, and where it is said."""

    subject: str  # entity name as in the extraction's mentions
    metric: str | None
    value: float
    unit: str | None  # "%", "x", "ms", "GB", "points", ...
    dataset: str | None  # dataset or benchmark entity name, if stated
    setting: str | None
    relative: bool
    sentence: str
    start: int  # offsets of the sentence in the abstract
    end: int
    applied_to: str | None = None  # the model a method is applied to ("for MobileNet-v1, PDP ...")
    baseline: str | None = None  # the model or method it is compared with
    low: float | None = None  # lower end of a stated range ("1.3-2.1x")


@dataclass
class Extraction:
    """What the extractor found in one paper."""

    paper: Paper
    mentions: list[Mention]
    statements: list[Statement]
    results: list[Result] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "paper": self.paper.to_dict(),
            "mentions": [asdict(m) for m in self.mentions],
            "statements": [asdict(s) for s in self.statements],
            "results": [asdict(r) for r in self.results],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Extraction:
        return cls(
            Paper.from_dict(data["paper"]),
            [Mention(**m) for m in data["mentions"]],
            [Statement(**s) for s in data["statements"]],
            [Result(**r) for r in data.get("results", [])],
        )

    def prediction(self) -> dict[str, Any]:
        """The SCHEMA.md prediction record scored by ``shared/eval/score.py``."""
        return {
            "id": self.paper.id,
            "title": self.paper.title,
            "entities": [
                {"name": m.name, "type": m.type, "aliases": m.aliases, "proposed": m.proposed} for m in self.mentions
            ],
            "relations": [
                {
                    "head": s.head,
                    "type": s.type,
                    "tail": s.tail,
                    "evidence": s.sentence,
                    "confidence": round(s.confidence, 3),
                }
                for s in self.statements
            ],
            "results": [asdict(r) for r in self.results],
        }
