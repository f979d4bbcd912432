"""Every analysis at once, as one plain object: what ``kg analyze``, its reports and the notebook show."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from kg.analytics.centrality import CentralEntity, central_entities
from kg.analytics.communities import Community, communities
from kg.analytics.cooccurrence import Cooccurrence, LinkSuggestion, cooccurrences, suggest_links
from kg.analytics.graphs import EntityRef
from kg.analytics.hardware import HardwareRow, hardware_by_entity
from kg.analytics.leaderboards import Contradiction, Leaderboard, contradictions, leaderboards
from kg.analytics.lineage import (
    CompressionEdge,
    LineageFamily,
    compression_chains,
    compression_edges,
    compression_lineage,
)
from kg.analytics.stats import degree_distribution, entity_type_counts, relation_type_counts
from kg.graph import KnowledgeGraph


@dataclass
class Analysis:
    """The results of every analysis on one graph."""

    papers: int
    entities: int
    relations: int
    entity_types: dict[str, int]
    relation_types: dict[str, int]
    degrees: list[tuple[int, int]]
    central: dict[str, list[CentralEntity]]
    communities: list[Community]
    leaderboards: list[Leaderboard]
    contradictions: list[Contradiction]
    compressions: list[CompressionEdge]
    chains: list[list[EntityRef]]
    lineage: list[LineageFamily]
    hardware: list[HardwareRow]
    cooccurrences: list[Cooccurrence]
    suggestions: list[LinkSuggestion]
    top: int = field(default=10)
    measure: str = field(default="degree")

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (dataclasses become dicts)."""
        data = asdict(self)
        data["degrees"] = [list(pair) for pair in self.degrees]
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)


def analyze(graph: KnowledgeGraph, top: int = 10, measure: str = "degree") -> Analysis:
    """Run every analysis, keeping the ``top`` rows where a list could be long.

    Input: the knowledge graph; ``measure`` is the centrality measure (see
    :func:`central_entities`). Output: :class:`Analysis`. Cost: the sum of the
    parts; about three seconds for the ~400-paper seed graph, most of it link
    suggestion and Louvain.
    """
    return Analysis(
        papers=len(graph.papers),
        entities=len(graph.entities),
        relations=len(graph.relations),
        entity_types=entity_type_counts(graph),
        relation_types=relation_type_counts(graph),
        degrees=degree_distribution(graph),
        central=central_entities(graph, top, measure),
        communities=communities(graph),
        leaderboards=leaderboards(graph),
        contradictions=contradictions(graph),
        compressions=compression_edges(graph),
        chains=compression_chains(graph),
        lineage=compression_lineage(graph),
        hardware=hardware_by_entity(graph),
        cooccurrences=cooccurrences(graph, top),
        suggestions=suggest_links(graph, top),
        top=top,
        measure=measure,
    )
