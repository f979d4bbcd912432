"""Groups of entities that belong together, found with Louvain modularity optimisation."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import networkx as nx

from kg.analytics.graphs import EntityRef, cooccurrence_graph, ref, relation_graph, type_order
from kg.graph import KnowledgeGraph

DEFAULT_SEED = 42


@dataclass(frozen=True)
class Community:
    """One community: its rank by size, members most connected first, and what it is made of."""

    rank: int
    size: int
    members: list[EntityRef]
    types: dict[str, int]
    papers: int
    label: str = field(default="")


def community_graph(graph: KnowledgeGraph, cooccurrence: bool = True) -> nx.Graph:
    """The weighted entity graph Louvain runs on: relations, plus co-occurrence if asked.

    Input: the knowledge graph. Output: ``nx.Graph``; an edge's ``weight`` is the
    number of papers stating a relation between its ends (at least 1 per relation,
    so derived model-family links count) plus (with ``cooccurrence``) the number of
    papers naming both. Cost: as
    :func:`relation_graph` plus :func:`cooccurrence_graph`.
    """
    combined = relation_graph(graph)
    if cooccurrence:
        for a, b, data in cooccurrence_graph(graph).edges(data=True):
            if combined.has_edge(a, b):
                combined.edges[a, b]["weight"] += data["weight"]
            else:
                combined.add_edge(a, b, weight=data["weight"], types=[])
    return combined


def communities(
    graph: KnowledgeGraph,
    seed: int = DEFAULT_SEED,
    resolution: float = 1.0,
    min_size: int = 2,
    cooccurrence: bool = True,
) -> list[Community]:
    """Louvain communities of entities, largest first.

    Why co-occurrence by default: most entities take part in no extracted relation,
    and the papers that name them together are the best evidence of what belongs
    with what. Input: the knowledge graph; ``seed`` fixes Louvain's random order
    so results repeat; ``resolution`` > 1 gives smaller communities; communities
    below ``min_size`` members are dropped. Output: ``[Community]`` by size, then
    label; members by weighted degree inside the community, then name; ``label``
    is the most connected member's name. Cost: Louvain is roughly O(E log V).
    """
    combined = community_graph(graph, cooccurrence)
    if combined.number_of_nodes() == 0:
        return []
    parts = nx.community.louvain_communities(combined, weight="weight", resolution=resolution, seed=seed)
    found = []
    for part in parts:
        if len(part) < min_size:
            continue
        inner = combined.subgraph(part)
        members = sorted(part, key=lambda k: (-inner.degree(k, weight="weight"), graph.entities[k].name.casefold(), k))
        counts = Counter(graph.entities[k].type for k in members)
        papers = {p for k in members for p in graph.entities[k].papers}
        found.append(
            (
                [ref(graph, k) for k in members],
                {name: counts[name] for name in type_order() if counts[name]},
                len(papers),
            )
        )
    found.sort(key=lambda f: (-len(f[0]), f[0][0].name.casefold(), f[0][0].key))
    return [
        Community(rank, len(members), members, types, papers, members[0].name)
        for rank, (members, types, papers) in enumerate(found, 1)
    ]
