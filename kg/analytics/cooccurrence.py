"""Entities named together across papers, and links the graph probably misses (suggestions only)."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from kg.analytics.graphs import EntityRef, cooccurrence_graph, is_derived, ref
from kg.graph import KnowledgeGraph
from kg.schema import load_schema

SUGGESTION = "predicted from shared neighbours, not stated in any paper"


@dataclass(frozen=True)
class Cooccurrence:
    """Two entities named by the same papers, and the relation types already linking them."""

    a: EntityRef
    b: EntityRef
    papers: list[str]
    related: list[str]

    @property
    def count(self) -> int:
        return len(self.papers)


@dataclass(frozen=True)
class LinkSuggestion:
    """A *suggested* link: no paper states it; shared neighbours make it likely.

    ``relation_types`` are those the schema allows from ``head`` to ``tail``;
    ``common`` are the strongest shared neighbours (the reason); ``cooccurring``
    is how many papers name both. ``status`` says plainly that this is a guess.
    """

    head: EntityRef
    tail: EntityRef
    score: float
    relation_types: list[str]
    common: list[EntityRef]
    cooccurring: int
    status: str = field(default=SUGGESTION)


def _related(graph: KnowledgeGraph) -> dict[frozenset[str], list[str]]:
    related: dict[frozenset[str], set[str]] = defaultdict(set)
    for head, rel_type, tail in graph.relations:
        related[frozenset((head, tail))].add(rel_type)
    return {pair: sorted(types) for pair, types in related.items()}


def cooccurrences(graph: KnowledgeGraph, top: int = 20, min_papers: int = 2) -> list[Cooccurrence]:
    """The pairs of entities most often named by the same paper.

    Input: the knowledge graph; pairs named together by fewer than ``min_papers``
    papers are left out. Output: the ``top`` pairs (all if ``top`` <= 0), most
    shared papers first, then names; ``related`` lists relation types between
    them (empty: they only co-occur). Cost: O(sum over papers of m^2) for m
    entities per paper.
    """
    cooc = cooccurrence_graph(graph, min_papers)
    related = _related(graph)
    pairs = []
    for a, b, data in cooc.edges(data=True):
        x, y = sorted((a, b), key=lambda k: (graph.entities[k].name.casefold(), k))
        pairs.append(Cooccurrence(ref(graph, x), ref(graph, y), data["papers"], related.get(frozenset((a, b)), [])))
    pairs.sort(key=lambda p: (-p.count, p.a.name.casefold(), p.b.name.casefold(), p.a.key, p.b.key))
    return pairs[:top] if top > 0 else pairs


def allowed_types(head_type: str, tail_type: str) -> list[str]:
    """Relation types papers can state (derived ones excluded) from ``head_type`` to ``tail_type``."""
    return [
        name
        for name, spec in load_schema().relation_types.items()
        if spec.allows(head_type, tail_type) and not is_derived(name)
    ]


def suggest_links(graph: KnowledgeGraph, top: int = 20, min_common: int = 2) -> list[LinkSuggestion]:
    """Likely missing relations, ranked by Adamic-Adar on the co-occurrence graph. Suggestions only.

    Why: the extractor misses relations; two entities that share many rarely-named
    neighbours probably relate. Candidates are pairs with at least ``min_common``
    common neighbours, no relation between them yet, and a relation type the
    schema allows (in one direction or the other). Input: the knowledge graph.
    Output: the ``top`` ``LinkSuggestion``s (all if ``top`` <= 0), best score first,
    then names; each is labelled as a suggestion. Cost: O(sum over entities of
    d^2) for co-occurrence degree d, to enumerate neighbour pairs.
    """
    cooc = cooccurrence_graph(graph)
    related = _related(graph)
    keys = sorted(cooc)
    index = {k: i for i, k in enumerate(keys)}
    types = [graph.entities[k].type for k in keys]
    neighbours = [sorted(index[n] for n in cooc.neighbors(k)) for k in keys]  # by index: fast inner loop
    weight = [1.0 / math.log(len(n)) if len(n) > 1 else 0.0 for n in neighbours]
    schema_types = list(load_schema().entity_types)
    allowed = {(a, b): allowed_types(a, b) for a in schema_types for b in schema_types}
    names = [graph.entities[k].name.casefold() for k in keys]
    ranked = []
    for u in range(len(keys)):
        score: dict[int, float] = defaultdict(float)
        count: dict[int, int] = defaultdict(int)
        for w in neighbours[u]:
            wt = weight[w]
            if wt == 0.0:
                continue
            for v in neighbours[w]:
                if v > u:
                    score[v] += wt
                    count[v] += 1
        for v, total in score.items():
            if count[v] < min_common:
                continue
            forward, backward = allowed[(types[u], types[v])], allowed[(types[v], types[u])]
            if not (forward or backward):
                continue
            if frozenset((keys[u], keys[v])) in related:
                continue
            if len(backward) > len(forward) or (len(backward) == len(forward) and names[u] > names[v]):
                head, tail, rel_types = v, u, backward
            else:
                head, tail, rel_types = u, v, forward
            ranked.append((-round(total, 6), names[head], names[tail], keys[head], keys[tail], rel_types))
    ranked.sort(key=lambda r: r[:5])
    suggestions = []
    for neg_score, _, _, head, tail, rel_types in ranked[:top] if top > 0 else ranked:
        via = sorted(set(neighbours[index[head]]) & set(neighbours[index[tail]]))
        via.sort(key=lambda w: (-weight[w], names[w], keys[w]))
        suggestions.append(
            LinkSuggestion(
                ref(graph, head),
                ref(graph, tail),
                -neg_score,
                rel_types,
                [ref(graph, keys[w]) for w in via[:5]],
                cooc.edges[head, tail]["weight"] if cooc.has_edge(head, tail) else 0,
            )
        )
    return suggestions
