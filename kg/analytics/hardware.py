"""Which hardware each method or model runs on, and what runs on each platform (from RUNS_ON)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from kg.analytics.graphs import RUNS_ON, EntityRef, name_key, ref
from kg.graph import KnowledgeGraph


@dataclass(frozen=True)
class Placement:
    """One side of a RUNS_ON relation, with the papers that state it."""

    entity: EntityRef
    papers: list[str]


@dataclass(frozen=True)
class HardwareRow:
    """An entity and everything on the other side of its RUNS_ON relations."""

    entity: EntityRef
    placements: list[Placement]


def _runs_on(graph: KnowledgeGraph) -> list[tuple[str, str, list[str]]]:
    return [
        (head, tail, relation.papers)
        for (head, rel_type, tail), relation in sorted(graph.relations.items())
        if rel_type == RUNS_ON and head in graph.entities and tail in graph.entities
    ]


def _rows(graph: KnowledgeGraph, pairs: dict[str, list[tuple[str, list[str]]]]) -> list[HardwareRow]:
    rows = [
        HardwareRow(
            ref(graph, key),
            [
                Placement(ref(graph, other), papers)
                for other, papers in sorted(items, key=lambda i: (-len(i[1]), *name_key(graph, i[0])))
            ],
        )
        for key, items in pairs.items()
    ]
    rows.sort(key=lambda r: (-len(r.placements), r.entity.name.casefold(), r.entity.key))
    return rows


def hardware_by_entity(graph: KnowledgeGraph) -> list[HardwareRow]:
    """For each method or model, the hardware it runs on.

    Input: the knowledge graph. Output: ``[HardwareRow]`` (placements are hardware),
    entities on the most platforms first; platforms by supporting papers, then
    name. Cost: O(R log R).
    """
    pairs: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    for head, tail, papers in _runs_on(graph):
        pairs[head].append((tail, papers))
    return _rows(graph, pairs)


def entities_by_hardware(graph: KnowledgeGraph) -> list[HardwareRow]:
    """For each hardware platform, the methods and models that run on it.

    Input: the knowledge graph. Output: ``[HardwareRow]`` (the row's entity is the
    hardware), busiest platform first. Cost: O(R log R).
    """
    pairs: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    for head, tail, papers in _runs_on(graph):
        pairs[tail].append((head, papers))
    return _rows(graph, pairs)
