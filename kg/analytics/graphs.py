"""Shared views of a :class:`~kg.graph.KnowledgeGraph` for the analytics: entity graphs and references.

Every analysis works on entities, so two undirected entity graphs are built here
once: the *relation graph* (an edge wherever a relation links two entities) and
the *co-occurrence graph* (an edge wherever two entities are named by the same
paper). Relation type names used by the analytics are checked against the schema
at import time, so renaming one in ``schemas/schema.yaml`` fails here, loudly.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

import networkx as nx

from kg.graph import Entity, KnowledgeGraph
from kg.schema import load_schema


def relation_type(name: str) -> str:
    """``name``, after checking that the schema defines that relation type."""
    if name not in load_schema().relation_types:
        raise KeyError(f"relation type {name!r} is not in the schema; the analytics need it")
    return name


COMPRESSES = relation_type("COMPRESSES")
EVALUATED_ON = relation_type("EVALUATED_ON")
OUTPERFORMS = relation_type("OUTPERFORMS")
RUNS_ON = relation_type("RUNS_ON")


@dataclass(frozen=True, order=True)
class EntityRef:
    """An entity as the analytics report it: its key (unique), display name and type."""

    key: str
    name: str
    type: str

    @classmethod
    def of(cls, entity: Entity) -> EntityRef:
        return cls(entity.key, entity.name, entity.type)


def ref(graph: KnowledgeGraph, key: str) -> EntityRef:
    """The reference of entity ``key`` of ``graph``."""
    return EntityRef.of(graph.entities[key])


def type_order() -> list[str]:
    """Entity type names in the order the schema lists them (for stable tables and plots)."""
    return list(load_schema().entity_types)


def name_key(graph: KnowledgeGraph, key: str) -> tuple[str, str]:
    """A sort key by case-folded name, then key: ties never depend on dict order."""
    return (graph.entities[key].name.casefold(), key)


def is_derived(relation_type: str) -> bool:
    """Whether the schema marks ``relation_type`` as derived (from names, e.g. model families), not stated."""
    spec = load_schema().relation_types.get(relation_type)
    return bool(spec and getattr(spec, "derived", False))


def relation_graph(graph: KnowledgeGraph, derived: bool = True) -> nx.Graph:
    """Undirected simple graph of all entities; an edge wherever a relation links two of them.

    Input: the knowledge graph; ``derived=False`` leaves out relations the schema
    marks as derived (model families), keeping what papers state. Output:
    ``nx.Graph`` with every entity as a node (attributes ``name``, ``type``) and
    edge attributes ``weight`` (supporting papers summed over relation types, at
    least 1 per relation) and ``types`` (sorted relation types). Cost: O(V + R)
    for V entities and R relations.
    """
    result = nx.Graph()
    for key in sorted(graph.entities):
        entity = graph.entities[key]
        result.add_node(key, name=entity.name, type=entity.type)
    for head, rel_type, tail in sorted(graph.relations):
        relation = graph.relations[(head, rel_type, tail)]
        if head not in result or tail not in result or (not derived and is_derived(rel_type)):
            continue
        weight = max(1, relation.support)  # a derived relation has no papers, yet it is a link
        if result.has_edge(head, tail):
            data = result.edges[head, tail]
            data["weight"] += weight
            data["types"] = sorted({*data["types"], rel_type})
        else:
            result.add_edge(head, tail, weight=weight, types=[rel_type])
    return result


def cooccurrence_graph(graph: KnowledgeGraph, min_papers: int = 1) -> nx.Graph:
    """Undirected graph linking two entities named together in at least ``min_papers`` papers.

    Input: the knowledge graph and the threshold. Output: ``nx.Graph`` with every
    entity as a node (``name``, ``type``) and edges with ``weight`` (number of
    shared papers) and ``papers`` (their sorted ids). Cost: O(sum over papers of
    m^2) for m entities named per paper.
    """
    by_paper: dict[str, list[str]] = defaultdict(list)
    for key in sorted(graph.entities):
        for paper in graph.entities[key].papers:
            by_paper[paper].append(key)
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for paper in sorted(by_paper):
        for a, b in combinations(by_paper[paper], 2):
            shared[(a, b)].append(paper)
    result = nx.Graph()
    for key in sorted(graph.entities):
        entity = graph.entities[key]
        result.add_node(key, name=entity.name, type=entity.type)
    for (a, b), papers in sorted(shared.items()):
        if len(papers) >= min_papers:
            result.add_edge(a, b, weight=len(papers), papers=papers)
    return result


def relation_counts(graph: KnowledgeGraph, derived: bool = True) -> dict[str, int]:
    """How many relations each entity takes part in, as head or tail (0 for none); derived ones optional."""
    counts = dict.fromkeys(graph.entities, 0)
    for head, rel_type, tail in graph.relations:
        if not derived and is_derived(rel_type):
            continue
        for key in (head, tail):
            if key in counts:
                counts[key] += 1
    return counts
