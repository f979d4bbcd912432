"""Compression lineage: what compresses what, chains of it, and which model families are compressed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import networkx as nx

from kg.analytics.graphs import COMPRESSES, EntityRef, name_key, ref
from kg.graph import KnowledgeGraph

DEFAULT_MAX_CHAIN = 6


@dataclass(frozen=True)
class CompressionEdge:
    """``compressor`` compresses ``compressed``, stated by ``papers`` in ``sentences``."""

    compressor: EntityRef
    compressed: EntityRef
    papers: list[str]
    sentences: list[str]


@dataclass(frozen=True)
class CompressedModel:
    """A compressed model, its family line (nearest first) and everything that compresses it."""

    model: EntityRef
    families: list[str]
    compressors: list[EntityRef]


@dataclass(frozen=True)
class LineageFamily:
    """A model family (the root of the family line) and its compressed members."""

    family: str
    models: list[CompressedModel]

    @property
    def compressors(self) -> list[EntityRef]:
        return sorted({c for m in self.models for c in m.compressors}, key=lambda r: (r.name.casefold(), r.key))


def _compress_graph(graph: KnowledgeGraph) -> nx.DiGraph:
    digraph = nx.DiGraph()
    for (head, rel_type, tail), relation in sorted(graph.relations.items()):
        if rel_type == COMPRESSES and head in graph.entities and tail in graph.entities:
            digraph.add_edge(head, tail, papers=relation.papers, sentences=[e.sentence for e in relation.evidence])
    return digraph


def compression_edges(graph: KnowledgeGraph) -> list[CompressionEdge]:
    """Every COMPRESSES relation with its papers and evidence sentences.

    Input: the knowledge graph. Output: ``[CompressionEdge]`` by compressed model's
    name, then compressor's name. Cost: O(R log R).
    """
    digraph = _compress_graph(graph)
    edges = [
        CompressionEdge(ref(graph, u), ref(graph, v), data["papers"], data["sentences"])
        for u, v, data in digraph.edges(data=True)
    ]
    edges.sort(key=lambda e: (e.compressed.name.casefold(), e.compressed.key, e.compressor.name.casefold()))
    return edges


def compression_chains(graph: KnowledgeGraph, max_length: int = DEFAULT_MAX_CHAIN) -> list[list[EntityRef]]:
    """Chains of compression: A compresses B, which compresses C, and so on.

    Input: the knowledge graph; ``max_length`` caps the entities per chain. Output:
    maximal chains of at least 3 entities (2 COMPRESSES steps), longest first,
    then by names; a chain never repeats an entity. Cost: depth-first search from
    every entity, exponential only in pathological dense cycles (bounded by
    ``max_length``); linear on the sparse graphs extraction produces.
    """
    digraph = _compress_graph(graph)
    chains: set[tuple[str, ...]] = set()

    def extend(path: list[str]) -> None:
        nexts = [n for n in sorted(digraph.successors(path[-1])) if n not in path]
        if not nexts or len(path) >= max_length:
            if len(path) >= 3:
                chains.add(tuple(path))
            return
        for successor in nexts:
            extend([*path, successor])

    starts = [n for n in digraph if digraph.in_degree(n) == 0] or list(digraph)
    for start in sorted(starts):
        extend([start])
    # a chain that is part of a longer one says nothing new
    maximal = [c for c in chains if not any(len(o) > len(c) and _contains(o, c) for o in chains)]
    maximal.sort(key=lambda c: (-len(c), [name_key(graph, k) for k in c]))
    return [[ref(graph, k) for k in chain] for chain in maximal]


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def compression_lineage(graph: KnowledgeGraph) -> list[LineageFamily]:
    """Compressed models grouped by model family (``Entity.family``, followed to its root).

    Why: "LLaMA-2-7B" and "LLaMA-2" are distinct entities, yet a reader asks what
    compresses the LLaMA line. Input: the knowledge graph. Output:
    ``[LineageFamily]`` with the most compressed models first (then family name);
    a model with no family is its own family. Cost: O(R + V) plus family lookups.
    """
    by_name = {e.name: e for e in sorted(graph.entities.values(), key=lambda e: e.key)}
    compressors: dict[str, set[str]] = defaultdict(set)
    for head, rel_type, tail in graph.relations:
        if rel_type == COMPRESSES and head in graph.entities and tail in graph.entities:
            compressors[tail].add(head)
    families: dict[str, list[CompressedModel]] = defaultdict(list)
    for key in sorted(compressors, key=lambda k: name_key(graph, k)):
        entity = graph.entities[key]
        line: list[str] = []
        family = entity.family
        while family and family not in line and family != entity.name:
            line.append(family)
            parent = by_name.get(family)
            family = parent.family if parent else None
        model = CompressedModel(
            ref(graph, key), line, sorted((ref(graph, c) for c in compressors[key]), key=lambda r: r.name.casefold())
        )
        families[line[-1] if line else entity.name].append(model)
    result = [LineageFamily(name, models) for name, models in families.items()]
    result.sort(key=lambda f: (-len(f.models), -len(f.compressors), f.family.casefold()))
    return result
