"""Counts that describe a graph's shape: entities per type, relations per type, degree distribution."""

from __future__ import annotations

from collections import Counter

from kg.analytics.graphs import relation_counts, type_order
from kg.graph import KnowledgeGraph
from kg.schema import load_schema


def entity_type_counts(graph: KnowledgeGraph) -> dict[str, int]:
    """Entities per type, every schema type listed (0 when absent), in schema order.

    Input: the knowledge graph. Output: ``{type name: count}``. Cost: O(V).
    """
    counts = Counter(entity.type for entity in graph.entities.values())
    return {name: counts.get(name, 0) for name in type_order()}


def relation_type_counts(graph: KnowledgeGraph) -> dict[str, int]:
    """Distinct relations per type, every schema relation type listed, in schema order.

    Input: the knowledge graph. Output: ``{relation type: count}``. Cost: O(R).
    """
    counts = Counter(rel_type for _, rel_type, _ in graph.relations)
    return {name: counts.get(name, 0) for name in load_schema().relation_types}


def degree_distribution(graph: KnowledgeGraph) -> list[tuple[int, int]]:
    """How many entities take part in exactly d relations stated by papers, for each d that occurs.

    Derived relations (model families) are left out: they come from names, not
    from what papers say. Input: the knowledge graph. Output: ``[(degree, number
    of entities)]`` sorted by degree, degree 0 included (entities only mentioned
    or only a family root). Cost: O(V + R).
    """
    return sorted(Counter(relation_counts(graph, derived=False).values()).items())
