"""Benchmark: how fast the Bolt writer merges graphs into Neo4j, per batch size.

usage: python bench/neo4j_write.py [--seed-graph DIR] [--relations 100000] [--batch-sizes 200,1000,5000]

Writes the seed graph (built with `kg build ../shared/seeds --out DIR`, or built
here when DIR is not given) and a synthetic graph of at least --relations
relationships into an empty database, once per batch size, and prints nodes and
relationships written per second. Uses NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD when
set, otherwise starts the local server in a temporary folder and stops it after.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from neo4j import GraphDatabase

from kg.graph import Entity, Evidence, KnowledgeGraph, Relation
from kg.model import Paper
from kg.neo4j.server import start, stop
from kg.neo4j.writer import GraphWriter
from kg.schema import load_schema

ROOT = Path(__file__).resolve().parent.parent


def synthetic_graph(relations: int, seed: int = 0) -> KnowledgeGraph:
    """A graph with the seed graph's shape: ~1 paper per 3 relations, ~1 entity per 2, schema-valid ends."""
    rng = random.Random(seed)
    schema = load_schema()
    graph = KnowledgeGraph()
    papers = max(1, relations // 3)
    for i in range(papers):
        graph.papers[f"p{i}"] = Paper(f"p{i}", f"Synthetic paper {i}", "An abstract. " * 40)
    by_type: dict[str, list[str]] = {t: [] for t in schema.entity_types}
    for i in range(max(2, relations // 2)):
        entity_type = rng.choice(list(schema.entity_types))
        key = f"{entity_type.lower()}{i}"
        graph.entities[key] = Entity(
            key, f"{entity_type.title()}-{i}", entity_type, [f"E{i}"], [f"p{rng.randrange(papers)}"]
        )
        by_type[entity_type].append(key)
    extracted = schema.extracted_relations
    while len(graph.relations) < relations:
        spec = schema.relation_types[rng.choice(extracted)]
        head = rng.choice(by_type[rng.choice(spec.head)])
        tail = rng.choice(by_type[rng.choice(spec.tail)])
        paper = f"p{rng.randrange(papers)}"
        evidence = [Evidence(paper, f"{head} {spec.label} {tail}.", "abstract", 0, 30, 0.7)]
        graph.relations.setdefault((head, spec.name, tail), Relation(head, spec.name, tail, evidence))
    return graph


def measure(driver, graph: KnowledgeGraph, batch_size: int) -> tuple[float, float, float]:
    with driver.session() as session:  # CALL ... IN TRANSACTIONS needs an implicit transaction
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    began = time.perf_counter()
    counts = GraphWriter(driver, batch_size=batch_size).write(graph)
    seconds = time.perf_counter() - began
    nodes = counts.papers + counts.entities
    relationships = counts.paper_edges + counts.relations
    return seconds, nodes / seconds, relationships / seconds


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed-graph", type=Path, help="a graph folder built from ../shared/seeds")
    parser.add_argument("--relations", type=int, default=100_000)
    parser.add_argument("--batch-sizes", default="200,1000,5000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.batch_sizes.split(",")]
    seed_dir = args.seed_graph
    if seed_dir is None:
        seed_dir = Path(tempfile.mkdtemp()) / "seed"
        seeds = ROOT.parent / "shared" / "seeds"
        subprocess.run(
            [sys.executable, "-m", "kg.cli", "build", str(seeds), "--out", str(seed_dir)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    graphs = {"seed": KnowledgeGraph.load(seed_dir), "synthetic": synthetic_graph(args.relations)}
    server_dir = None
    if os.environ.get("NEO4J_URI"):
        uri, auth = os.environ["NEO4J_URI"], (os.environ.get("NEO4J_USER", "neo4j"), os.environ["NEO4J_PASSWORD"])
    else:
        server_dir = Path(tempfile.mkdtemp()) / "neo4j"
        info = start(server_dir, bolt_port=free_port(), password="kg-bench-password", timeout=240)
        uri, auth = info.uri, (info.user, info.password)
    try:
        with GraphDatabase.driver(uri, auth=auth) as driver:
            GraphWriter(driver).write(graphs["seed"])  # warm-up: query plans compiled, JIT warm
            print(f"{'graph':<10}{'nodes':>9}{'rels':>9}{'batch':>7}{'seconds':>9}{'nodes/s':>10}{'rels/s':>10}")
            for name, graph in graphs.items():
                nodes = len(graph.papers) + len(graph.entities)
                rels = len(graph.relations) + sum(len(e.papers) + len(e.proposed_by) for e in graph.entities.values())
                for size in sizes:
                    seconds, node_rate, rel_rate = measure(driver, graph, size)
                    print(f"{name:<10}{nodes:>9}{rels:>9}{size:>7}{seconds:>9.1f}{node_rate:>10.0f}{rel_rate:>10.0f}")
    finally:
        if server_dir is not None:
            stop(server_dir)


if __name__ == "__main__":
    main()
