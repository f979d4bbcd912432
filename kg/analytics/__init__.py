"""Analytics over a built knowledge graph: one function per question, plain data out.

Each function takes a :class:`~kg.graph.KnowledgeGraph` and returns lists or dicts
of small dataclasses in a deterministic order (ties broken by name, then key), so
results diff cleanly between runs. Docstrings state input, output and cost.

- :func:`central_entities` — the most central entities of each type
- :func:`communities` — Louvain communities (fixed seed)
- :func:`leaderboards`, :func:`contradictions` — who beats whom per benchmark, and conflicting claims
- :func:`compression_edges`, :func:`compression_chains`, :func:`compression_lineage` — what compresses what
- :func:`hardware_by_entity`, :func:`entities_by_hardware` — where methods and models run
- :func:`cooccurrences` — entities named together across papers
- :func:`suggest_links` — likely missing links (Adamic-Adar), always labelled as suggestions
- :func:`entity_type_counts`, :func:`relation_type_counts`, :func:`degree_distribution` — shape of the graph
- :func:`analyze` — all of the above at once (what ``kg analyze`` prints)
"""

from kg.analytics.centrality import CentralEntity, central_entities
from kg.analytics.communities import Community, communities
from kg.analytics.cooccurrence import SUGGESTION, Cooccurrence, LinkSuggestion, cooccurrences, suggest_links
from kg.analytics.graphs import EntityRef, cooccurrence_graph, relation_graph
from kg.analytics.hardware import HardwareRow, Placement, entities_by_hardware, hardware_by_entity
from kg.analytics.leaderboards import Comparison, Contradiction, Leaderboard, Standing, contradictions, leaderboards
from kg.analytics.lineage import (
    CompressedModel,
    CompressionEdge,
    LineageFamily,
    compression_chains,
    compression_edges,
    compression_lineage,
)
from kg.analytics.stats import degree_distribution, entity_type_counts, relation_type_counts
from kg.analytics.summary import Analysis, analyze

__all__ = [
    "SUGGESTION",
    "Analysis",
    "CentralEntity",
    "Community",
    "Comparison",
    "CompressedModel",
    "CompressionEdge",
    "Contradiction",
    "Cooccurrence",
    "EntityRef",
    "HardwareRow",
    "Leaderboard",
    "LineageFamily",
    "LinkSuggestion",
    "Placement",
    "Standing",
    "analyze",
    "central_entities",
    "communities",
    "compression_chains",
    "compression_edges",
    "compression_lineage",
    "contradictions",
    "cooccurrence_graph",
    "cooccurrences",
    "degree_distribution",
    "entities_by_hardware",
    "entity_type_counts",
    "hardware_by_entity",
    "leaderboards",
    "relation_graph",
    "relation_type_counts",
    "suggest_links",
]
