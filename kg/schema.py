"""The graph schema, read once from ``schemas/schema.yaml`` and shared by every stage."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

SCHEMA_FILE = "schema.yaml"


def schemas_dir() -> Path:
    """The ``schemas/`` folder: inside the wheel when installed, else beside the package."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_schemas", here.parent / "schemas"):
        if (candidate / SCHEMA_FILE).is_file():
            return candidate
    raise FileNotFoundError(f"cannot find {SCHEMA_FILE} beside the kg package")


@dataclass(frozen=True)
class EntityType:
    name: str
    label: str
    iri_path: str
    description: str
    color: str


@dataclass(frozen=True)
class RelationType:
    name: str
    label: str
    head: tuple[str, ...]
    tail: tuple[str, ...]
    description: str
    derived: bool = False

    def allows(self, head_type: str, tail_type: str) -> bool:
        return head_type in self.head and tail_type in self.tail


@dataclass(frozen=True)
class PaperEdge:
    name: str
    label: str
    description: str
    field: str  # the kg.graph.Entity attribute listing the papers at this edge's far end


@dataclass(frozen=True)
class ResultEdge:
    """An edge of a Result node: from the paper that reports it, or to an entity it is about."""

    name: str
    label: str
    field: str
    targets: tuple[str, ...]
    description: str
    from_paper: bool = False


@dataclass(frozen=True)
class Schema:
    version: int
    base_iri: str
    vocab_prefix: str
    data_prefix: str
    paper: EntityType
    entity_types: dict[str, EntityType]
    relation_types: dict[str, RelationType]
    paper_edges: dict[str, PaperEdge]
    result: EntityType
    result_edges: dict[str, ResultEdge]

    def label(self, entity_type: str) -> str:
        return self.entity_types[entity_type].label

    @property
    def extracted_relations(self) -> list[str]:
        """Relations stated in text, as opposed to derived ones such as model families."""
        return [name for name, spec in self.relation_types.items() if not spec.derived]

    @property
    def actors(self) -> tuple[str, ...]:
        """Entity types that can head a stated relation (the things that act: models, methods)."""
        return tuple(dict.fromkeys(t for r in self.extracted_relations for t in self.relation_types[r].head))

    @property
    def tail_relations(self) -> dict[str, list[str]]:
        """For each entity type that only ever ends a stated relation (a dataset, a task), the relations
        that can end in it, in schema order: what a sentence naming one with an actor may state."""
        actors = set(self.actors)
        found: dict[str, list[str]] = {}
        for relation in self.extracted_relations:
            for tail in self.relation_types[relation].tail:
                if tail not in actors:
                    found.setdefault(tail, []).append(relation)
        return found

    def allows(self, relation: str, head_type: str, tail_type: str) -> bool:
        spec = self.relation_types.get(relation)
        return spec is not None and spec.allows(head_type, tail_type)


@cache
def load_schema(path: Path | None = None) -> Schema:
    """Parse the schema file; cached, so every caller shares one object."""
    raw = yaml.safe_load((path or schemas_dir() / SCHEMA_FILE).read_text(encoding="utf-8"))
    paper = raw["paper"]
    return Schema(
        version=raw["version"],
        base_iri=raw["base_iri"],
        vocab_prefix=raw["vocab_prefix"],
        data_prefix=raw["data_prefix"],
        paper=EntityType("PAPER", paper["label"], paper["iri_path"], paper["description"], paper["color"]),
        entity_types={
            name: EntityType(name, spec["label"], spec["iri_path"], spec["description"], spec["color"])
            for name, spec in raw["entity_types"].items()
        },
        relation_types={
            name: RelationType(
                name,
                spec["label"],
                tuple(spec["head"]),
                tuple(spec["tail"]),
                spec["description"],
                bool(spec.get("derived", False)),
            )
            for name, spec in raw["relation_types"].items()
        },
        paper_edges={
            name: PaperEdge(name, spec["label"], spec["description"], spec["field"])
            for name, spec in raw["paper_edges"].items()
        },
        result=EntityType(
            "RESULT",
            raw["result"]["label"],
            raw["result"]["iri_path"],
            raw["result"]["description"],
            raw["result"]["color"],
        ),
        result_edges={
            name: ResultEdge(
                name, spec["label"], spec["field"], tuple(spec["to"]), spec["description"], spec.get("from") == "paper"
            )
            for name, spec in raw["result"]["edges"].items()
        },
    )
