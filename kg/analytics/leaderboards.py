"""Who beats whom on each benchmark, and where the papers disagree.

Built from two relation types: ``EVALUATED_ON`` says who entered a benchmark and
``OUTPERFORMS`` says who won a comparison. A comparison stated in a paper counts
for every benchmark (or dataset) that paper names: abstracts rarely tie a claim to
one benchmark in the same sentence. Standings use the Copeland score (opponents
beaten minus opponents lost to), which needs no scores, only who-beats-whom.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from kg.analytics.graphs import EVALUATED_ON, OUTPERFORMS, EntityRef, name_key, ref
from kg.graph import KnowledgeGraph

DEFAULT_MAX_CYCLE = 4


@dataclass(frozen=True)
class Comparison:
    """``winner`` outperforms ``loser`` according to ``papers``."""

    winner: EntityRef
    loser: EntityRef
    papers: list[str]


@dataclass(frozen=True)
class Contradiction:
    """Claims that cannot all hold: A beats B and B beats A (``pair``), or a longer ``cycle``.

    ``entities`` is the cycle in order (each beats the next, the last beats the
    first); ``claims`` are the comparisons that form it, with their papers.
    """

    kind: str
    entities: list[EntityRef]
    claims: list[Comparison]


@dataclass(frozen=True)
class Standing:
    """One row of a leaderboard."""

    rank: int
    entity: EntityRef
    score: int
    wins: int
    losses: int
    evaluated: bool
    papers: list[str]


@dataclass(frozen=True)
class Leaderboard:
    """A benchmark's standings, the comparisons behind them, and its contradictions."""

    benchmark: EntityRef
    standings: list[Standing]
    comparisons: list[Comparison]
    contradictions: list[Contradiction] = field(default_factory=list)


def _wins(graph: KnowledgeGraph) -> dict[tuple[str, str], list[str]]:
    """Every OUTPERFORMS claim as (winner, loser) -> papers stating it."""
    return {
        (head, tail): relation.papers
        for (head, rel_type, tail), relation in sorted(graph.relations.items())
        if rel_type == OUTPERFORMS and head in graph.entities and tail in graph.entities
    }


def _comparison(graph: KnowledgeGraph, winner: str, loser: str, papers: list[str]) -> Comparison:
    return Comparison(ref(graph, winner), ref(graph, loser), sorted(papers))


def _find_contradictions(
    graph: KnowledgeGraph, wins: dict[tuple[str, str], list[str]], max_cycle: int
) -> list[Contradiction]:
    found: list[Contradiction] = []
    for (a, b), papers in wins.items():
        if a < b and (b, a) in wins:
            found.append(
                Contradiction(
                    "pair",
                    [ref(graph, a), ref(graph, b)],
                    [_comparison(graph, a, b, papers), _comparison(graph, b, a, wins[(b, a)])],
                )
            )
    if max_cycle >= 3:
        digraph = nx.DiGraph()
        digraph.add_edges_from(sorted(wins))
        cycles = []
        for cycle in nx.simple_cycles(digraph, length_bound=max_cycle):
            if len(cycle) < 3:
                continue
            start = cycle.index(min(cycle))
            cycles.append(cycle[start:] + cycle[:start])
        for cycle in sorted(cycles, key=lambda c: (len(c), c)):
            steps = list(zip(cycle, cycle[1:] + cycle[:1], strict=True))
            found.append(
                Contradiction(
                    "cycle",
                    [ref(graph, k) for k in cycle],
                    [_comparison(graph, w, lo, wins[(w, lo)]) for w, lo in steps],
                )
            )
    return found


def contradictions(graph: KnowledgeGraph, max_cycle: int = DEFAULT_MAX_CYCLE) -> list[Contradiction]:
    """OUTPERFORMS claims that contradict each other anywhere in the graph.

    Input: the knowledge graph; ``max_cycle`` is the longest cycle looked for
    (below 3: pairs only). Output: ``[Contradiction]``, pairs first (by key), then
    cycles by length and keys; each cycle starts at its smallest key. Cost: O(R)
    for pairs; cycles by Johnson's algorithm bounded by ``max_cycle``, linear in
    the number of cycles found on sparse claim graphs.
    """
    return _find_contradictions(graph, _wins(graph), max_cycle)


def leaderboards(graph: KnowledgeGraph, min_entrants: int = 2, max_cycle: int = DEFAULT_MAX_CYCLE) -> list[Leaderboard]:
    """Standings per benchmark from EVALUATED_ON and OUTPERFORMS, with their contradictions.

    Input: the knowledge graph; boards with fewer than ``min_entrants`` entrants
    (evaluated on it or compared in a paper naming it) are left out. Output:
    ``[Leaderboard]`` with the most comparisons first (then entrants, name); rows
    by Copeland score, wins, papers, name; ``rank`` is shared by equal scores.
    Cost: O(B * (R + P)) for B benchmarks and P papers, plus cycle search per board.
    """
    wins = _wins(graph)
    entrants: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for (head, rel_type, tail), relation in sorted(graph.relations.items()):
        if rel_type == EVALUATED_ON and head in graph.entities and tail in graph.entities:
            entrants[tail][head].update(relation.papers)
    boards = []
    for bench in sorted(entrants, key=lambda k: name_key(graph, k)):
        bench_papers = set(graph.entities[bench].papers)
        local: dict[tuple[str, str], list[str]] = {}
        for pair, papers in wins.items():
            here = sorted(set(papers) & bench_papers)
            if here:
                local[pair] = here
        players: dict[str, set[str]] = {k: set(v) for k, v in entrants[bench].items()}
        for (winner, loser), papers in local.items():
            for key in (winner, loser):
                players.setdefault(key, set()).update(papers)
        if len(players) < min_entrants:
            continue
        beaten: dict[str, set[str]] = defaultdict(set)
        lost_to: dict[str, set[str]] = defaultdict(set)
        for winner, loser in local:
            beaten[winner].add(loser)
            lost_to[loser].add(winner)
        rows = sorted(
            players,
            key=lambda k: (
                -(len(beaten[k]) - len(lost_to[k])),
                -len(beaten[k]),
                -len(players[k]),
                *name_key(graph, k),
            ),
        )
        standings: list[Standing] = []
        for position, key in enumerate(rows, 1):
            score = len(beaten[key]) - len(lost_to[key])
            rank = standings[-1].rank if standings and standings[-1].score == score else position
            standings.append(
                Standing(
                    rank,
                    ref(graph, key),
                    score,
                    len(beaten[key]),
                    len(lost_to[key]),
                    key in entrants[bench],
                    sorted(players[key]),
                )
            )
        boards.append(
            Leaderboard(
                ref(graph, bench),
                standings,
                [_comparison(graph, w, lo, p) for (w, lo), p in local.items()],
                _find_contradictions(graph, local, max_cycle),
            )
        )
    boards.sort(key=lambda b: (-len(b.comparisons), -len(b.standings), b.benchmark.name.casefold(), b.benchmark.key))
    return boards
