"""Writing to a real Neo4j over Bolt: counts, idempotence, incremental merges, the query library."""

import subprocess
import sys
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from kg.graph import Entity, Evidence, KnowledgeGraph, Relation
from kg.model import Paper
from kg.neo4j.queries import load_queries, run_query
from kg.neo4j.writer import CONSTRAINTS_FILE, CYPHER_DIR, GraphWriter, constraints_file_text

pytestmark = pytest.mark.neo4j
ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "kg" / "data" / "sample"


@pytest.fixture(scope="module")
def driver(neo4j_server):
    with GraphDatabase.driver(neo4j_server.uri, auth=(neo4j_server.user, neo4j_server.password)) as driver:
        yield driver


@pytest.fixture
def empty_db(driver):
    driver.execute_query("MATCH (n) DETACH DELETE n")
    return driver


def build(tmp_path: Path, *inputs) -> KnowledgeGraph:
    out = tmp_path / "graph"
    result = subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", *map(str, inputs), "--out", str(out)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return KnowledgeGraph.load(out)


def counts(driver) -> dict:
    def one(query):
        return driver.execute_query(query).records[0][0]

    return {
        "papers": one("MATCH (p:Paper) RETURN count(p)"),
        "entities": one("MATCH (e:Entity) RETURN count(e)"),
        "mentions": one("MATCH (:Paper)-[r:MENTIONS]->() RETURN count(r)"),
        "proposes": one("MATCH (:Paper)-[r:PROPOSES]->() RETURN count(r)"),
        "relations": one("MATCH (:Entity)-[r]->(:Entity) RETURN count(r)"),
        "evidence": one("MATCH (:Entity)-[r]->(:Entity) RETURN sum(size(r.evidence))"),
        "support": one("MATCH (:Entity)-[r]->(:Entity) RETURN sum(r.support)"),
        "aliases": one("MATCH (e:Entity) RETURN sum(size(e.aliases))"),
        "results": one("MATCH (:Paper)-[:REPORTS]->(r:Result) RETURN count(r)"),
        "result_links": one("MATCH (r:Result)-[l]->(:Entity) RETURN count(l)"),
    }


def expected_counts(graph: KnowledgeGraph) -> dict:
    return {
        "papers": len(graph.papers),
        "entities": len(graph.entities),
        "mentions": sum(len(e.papers) for e in graph.entities.values()),
        "proposes": sum(len(e.proposed_by) for e in graph.entities.values()),
        "relations": len(graph.relations),
        "evidence": sum(len(r.evidence) for r in graph.relations.values()),
        "support": sum(r.support for r in graph.relations.values()),
        "aliases": sum(len(e.aliases) for e in graph.entities.values()),
        "results": len(graph.results),
        "result_links": sum(
            1
            for r in graph.results.values()
            for end in (r.subject, r.metric, r.dataset, r.applied_to, r.baseline)
            if end
        ),
    }


def test_constraints_file_is_generated_from_the_schema():
    assert (CYPHER_DIR / CONSTRAINTS_FILE).read_text(encoding="utf-8") == constraints_file_text()


def test_counts_match_the_graph_and_a_second_load_changes_nothing(empty_db, seed_graph):
    writer = GraphWriter(empty_db, batch_size=200)
    writer.write(seed_graph)
    first = counts(empty_db)
    assert first == expected_counts(seed_graph)
    writer.write(seed_graph)
    assert counts(empty_db) == first
    labels = empty_db.execute_query("MATCH (e:Entity) RETURN DISTINCT e.type AS t, labels(e) AS l").records
    for record in labels:
        assert len(record["l"]) == 2  # Entity plus exactly one type label


def test_incremental_load_merges_without_duplicates(empty_db, tmp_path):
    first = build(tmp_path / "a", SAMPLE / "listing.txt")
    both = build(tmp_path / "b", SAMPLE / "listing.txt", SAMPLE / "abstracts.jsonl")
    writer = GraphWriter(empty_db)
    writer.write(first)
    writer.write(both)
    merged = counts(empty_db)
    empty_db.execute_query("MATCH (n) DETACH DELETE n")
    writer.write(both)
    assert merged == counts(empty_db) == expected_counts(both)


def test_evidence_and_support_grow_when_new_papers_state_a_relation(empty_db):
    def graph_with(paper_ids):
        graph = KnowledgeGraph()
        for pid in paper_ids:
            graph.papers[pid] = Paper(pid, f"Title {pid}", "abstract")
        graph.entities["a"] = Entity("a", "A-Net", "MODEL", ["ANet"], list(paper_ids))
        graph.entities["b"] = Entity("b", "B-Prune", "METHOD", [], list(paper_ids))
        evidence = [Evidence(pid, f"B-Prune prunes A-Net ({pid}).", "abstract", 0, 20, 0.8) for pid in paper_ids]
        graph.relations[("b", "COMPRESSES", "a")] = Relation("b", "COMPRESSES", "a", evidence)
        return graph

    writer = GraphWriter(empty_db)
    writer.write(graph_with(["p1"]))
    writer.write(graph_with(["p2"]))
    record = empty_db.execute_query("MATCH (:Entity {key: 'b'})-[r:COMPRESSES]->() RETURN r").records[0]["r"]
    assert record["support"] == 2
    assert sorted(record["papers"]) == ["p1", "p2"]
    assert len(record["evidence"]) == 2


def test_awkward_names_round_trip_unharmed(empty_db):
    name = 'O\'Brien "Net" \\ }) MATCH (n) DETACH DELETE n // \u5927\u6a21\u578b\nRETURN'
    graph = KnowledgeGraph(papers={"p'1": Paper("p'1", 'A "quoted" title', "text")})
    graph.entities["weird"] = Entity("weird", name, "MODEL", ["`x`", "$param"], ["p'1"])
    GraphWriter(empty_db).write(graph)
    records = empty_db.execute_query("MATCH (e:Entity {key: 'weird'}) RETURN e.name AS n, e.aliases AS a").records
    assert records[0]["n"] == name and records[0]["a"] == ["`x`", "$param"]
    profile = run_query(empty_db, load_queries()["entity-profile"], {"name": name})
    assert profile[0]["name"] == name
    assert counts(empty_db)["papers"] == 1


def pick_params(graph: KnowledgeGraph) -> dict[str, dict[str, str]]:
    """Parameters for every library query, chosen from the seed graph so each has rows to return."""

    def ends(relation_type):
        return [r for r in graph.relations.values() if r.type == relation_type]

    def best(relation_type, side):
        tally = {}
        for r in ends(relation_type):
            key = getattr(r, side)
            tally[key] = tally.get(key, 0) + 1
        return graph.entities[max(sorted(tally), key=tally.get)].name

    evaluated = ends("EVALUATED_ON")
    shared = {}
    for r in evaluated:
        shared.setdefault(r.tail, []).append(r.head)
    sharing_model = next(graph.entities[heads[0]].name for heads in shared.values() if len(set(heads)) > 1)
    some = ends("COMPRESSES")[0]
    linked = {k for r in graph.relations.values() if r.type != "VARIANT_OF" for k in (r.head, r.tail)}
    family = next(graph.entities[r.tail].name for r in ends("VARIANT_OF") if r.head in linked)
    proposer = next(e for e in graph.entities.values() if e.proposed_by)
    scored = next(r for r in graph.results.values() if r.dataset and r.metric and not r.relative)
    return {
        "compressors-of-model": {"model": best("COMPRESSES", "tail")},
        "benchmark-leaderboard": {"benchmark": best("EVALUATED_ON", "tail")},
        "what-method-outperforms": {"method": best("OUTPERFORMS", "head")},
        "hardware-for-method": {"method": best("RUNS_ON", "head")},
        "most-used-datasets-and-benchmarks": {"limit": "10"},
        "relation-evidence": {"head": graph.entities[some.head].name, "tail": graph.entities[some.tail].name},
        "shortest-path": {"from": graph.entities[some.head].name, "to": graph.entities[some.tail].name},
        "models-sharing-benchmarks": {"model": sharing_model},
        "methods-for-task": {"task": best("ADDRESSES", "tail")},
        "most-connected": {"type": "MODEL", "limit": "5"},
        "paper-contributions": {"paper": proposer.proposed_by[0]},
        "compression-lineage": {"model": best("COMPRESSES", "tail")},
        "entity-profile": {"name": best("USES", "tail")},
        "family-overview": {"family": family},
        "results-on-benchmark": {
            "benchmark": graph.entities[scored.dataset].name,
            "metric": graph.entities[scored.metric].name,
            "direction": "desc",
        },
        "results-per-benchmark": {"benchmark": graph.entities[scored.dataset].name},
    }


def test_every_library_query_runs_on_the_seed_graph_and_returns_its_columns(empty_db, seed_graph):
    GraphWriter(empty_db).write(seed_graph)
    queries = load_queries()
    params = pick_params(seed_graph)
    assert len(queries) >= 10
    assert set(queries) == set(params), "every query needs parameters chosen in this test"
    for name, named in queries.items():
        assert named.answers and named.returns, f"{name} lacks its header"
        rows = run_query(empty_db, named, params[name])
        assert rows, f"{name} returned no rows for {params[name]}"
        keys = empty_db.execute_query(named.text, params[name]).keys
        assert keys == named.returns, f"{name} returns {keys}, its header says {named.returns}"


def test_cli_load_and_query(neo4j_server, empty_db, tmp_path):
    graph_dir = tmp_path / "g"
    env = {"NEO4J_URI": neo4j_server.uri, "NEO4J_USER": neo4j_server.user, "NEO4J_PASSWORD": neo4j_server.password}

    def kg(*args, extra_env=None):
        import os

        return subprocess.run(
            [sys.executable, "-m", "kg.cli", *map(str, args)],
            capture_output=True,
            text=True,
            env={**os.environ, **env, **(extra_env or {})},
        )

    built = kg("build", SAMPLE, "--out", graph_dir, "--neo4j")
    assert built.returncode == 0, built.stderr
    assert "neo4j: merged 7 papers" in built.stdout
    result = kg("query", "compressors-of-model", "--param", "model=ViT-B/16")
    assert result.returncode == 0, result.stderr
    assert "SlimPrune" in result.stdout and "(1 rows)" in result.stdout
    missing = kg("query", "compressors-of-model")
    assert missing.returncode == 1 and "needs --param model=" in missing.stderr
    unknown = kg("query", "no-such-query")
    assert unknown.returncode == 1 and "no query named 'no-such-query'" in unknown.stderr
    wrong = kg("load", graph_dir, "--neo4j", extra_env={"NEO4J_PASSWORD": "not-the-password"})
    assert wrong.returncode == 1 and "wrong password" in wrong.stderr and "Traceback" not in wrong.stderr
    down = kg(
        "query", "most-connected", "-p", "type=ANY", "-p", "limit=3", extra_env={"NEO4J_URI": "bolt://127.0.0.1:9"}
    )
    assert down.returncode == 1 and "cannot reach Neo4j at bolt://127.0.0.1:9" in down.stderr
