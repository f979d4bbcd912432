"""kg.analytics on small graphs made by hand, where every right answer is known, and `kg analyze`."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import analytics as A
from kg.analytics.report import render_text, write_report
from kg.commands.analyze import analyze as analyze_command
from kg.graph import Entity, Evidence, KnowledgeGraph, Relation
from kg.model import Paper
from kg.schema import load_schema

SCHEMA = load_schema()
REL = SCHEMA.relation_types
# entity types, found through the relations that use them rather than typed out again
MODEL, METHOD = REL["COMPRESSES"].tail[0], REL["COMPRESSES"].head[0]
BENCHMARK = next(t for t in REL["EVALUATED_ON"].tail if t not in REL["TRAINED_ON"].tail)
DATASET, HARDWARE, TASK = REL["TRAINED_ON"].tail[0], REL["RUNS_ON"].tail[0], REL["ADDRESSES"].tail[0]


def make_graph(entities: list[tuple[str, str, str, list[str]]], relations: list[tuple[str, str, str, str]], **family):
    """entities: (key, name, type, papers); relations: (head, type, tail, paper); family: key -> family name."""
    graph = KnowledgeGraph()
    papers = {p for *_, ps in entities for p in ps} | {r[3] for r in relations}
    graph.papers = {p: Paper(p, f"Paper {p}", f"Abstract of {p}.") for p in sorted(papers)}
    for key, name, etype, ps in entities:
        graph.entities[key] = Entity(key, name, etype, papers=list(ps), family=family.get(key))
    for head, rtype, tail, paper in relations:
        relation = graph.relations.setdefault((head, rtype, tail), Relation(head, rtype, tail))
        sentence = f"{head} {rtype} {tail}."
        relation.evidence.append(Evidence(paper, sentence, "abstract", 0, len(sentence), 0.85))
        for key in (head, tail):
            if paper not in graph.entities[key].papers:
                graph.entities[key].papers.append(paper)
    return graph


@pytest.fixture
def graph() -> KnowledgeGraph:
    return make_graph(
        [
            ("bert", "BERT", MODEL, ["p1"]),
            ("bertbase", "BERT-base", MODEL, []),
            ("tinybert", "TinyBERT", MODEL, []),
            ("kd", "knowledge distillation", METHOD, []),
            ("pruning", "pruning", METHOD, []),
            ("quant", "quantization", METHOD, []),
            ("glue", "GLUE", BENCHMARK, ["p2", "p3"]),
            ("gpu", "GPU", HARDWARE, []),
            ("jetson", "Jetson Nano", HARDWARE, []),
            ("qa", "question answering", TASK, ["p1"]),
        ],
        [
            ("kd", "COMPRESSES", "bertbase", "p1"),
            ("bertbase", "COMPRESSES", "tinybert", "p2"),
            ("tinybert", "EVALUATED_ON", "glue", "p2"),
            ("bertbase", "EVALUATED_ON", "glue", "p2"),
            ("quant", "EVALUATED_ON", "glue", "p3"),
            ("tinybert", "OUTPERFORMS", "bertbase", "p2"),
            ("bertbase", "OUTPERFORMS", "tinybert", "p3"),
            ("kd", "OUTPERFORMS", "pruning", "p4"),
            ("pruning", "OUTPERFORMS", "quant", "p4"),
            ("quant", "OUTPERFORMS", "kd", "p5"),
            ("quant", "RUNS_ON", "gpu", "p3"),
            ("quant", "RUNS_ON", "jetson", "p5"),
            ("tinybert", "RUNS_ON", "gpu", "p2"),
        ],
        bertbase="BERT",
        tinybert="BERT-base",
    )


def names(refs) -> list[str]:
    return [r.name for r in refs]


# ---- the shape of the graph ------------------------------------------------------------------


def test_counts_list_every_schema_type_in_schema_order(graph):
    types = A.entity_type_counts(graph)
    assert list(types) == list(SCHEMA.entity_types)
    assert types[MODEL] == 3 and types[METHOD] == 3 and sum(types.values()) == len(graph.entities)
    relations = A.relation_type_counts(graph)
    assert list(relations) == list(REL) and relations["OUTPERFORMS"] == 5
    degrees = dict(A.degree_distribution(graph))
    assert degrees[0] == 2  # "BERT" and "question answering" are in no relation
    assert sum(degrees.values()) == len(graph.entities)


def test_central_entities_per_type(graph):
    central = A.central_entities(graph, top=2)
    assert list(central) == list(SCHEMA.entity_types)
    assert [c.entity.name for c in central[METHOD]] == ["quantization", "knowledge distillation"]
    assert central[MODEL][0].entity.name in {"BERT-base", "TinyBERT"} and len(central[MODEL]) == 2
    with pytest.raises(ValueError, match="unknown centrality"):
        A.central_entities(graph, measure="fame")


def test_every_centrality_measure_runs():
    from kg.analytics.centrality import MEASURES

    g = make_graph([("a", "A", METHOD, ["p"]), ("b", "B", MODEL, ["p"])], [("a", "USES", "b", "p")])
    for measure in MEASURES:
        rows = A.central_entities(g, 5, measure)
        assert [c.entity.key for c in rows[METHOD]] == ["a"]


# ---- communities ---------------------------------------------------------------------------------


def test_louvain_finds_the_two_groups_and_repeats_itself():
    ents = [(k, k.upper(), METHOD, ["q1", "q2"]) for k in "abc"] + [(k, k.upper(), TASK, ["q3", "q4"]) for k in "def"]
    g = make_graph(ents, [("a", "USES", "b", "q1"), ("d", "USES", "e", "q3")])
    found = A.communities(g)
    assert [sorted(names(c.members)) for c in found] == [["A", "B", "C"], ["D", "E", "F"]]
    assert [c.rank for c in found] == [1, 2] and found[0].types == {METHOD: 3} and found[0].papers == 2
    assert found[0].label == found[0].members[0].name
    assert A.communities(g) == found
    assert A.communities(g, min_size=4) == []
    assert A.communities(KnowledgeGraph()) == []


# ---- leaderboards and contradictions --------------------------------------------------------------


def test_leaderboard_uses_comparisons_from_papers_naming_the_benchmark(graph):
    (board,) = A.leaderboards(graph)
    assert board.benchmark.name == "GLUE"
    rows = {s.entity.name: s for s in board.standings}
    assert set(rows) == {"TinyBERT", "BERT-base", "quantization"}
    assert rows["TinyBERT"].wins == rows["TinyBERT"].losses == 1 and rows["TinyBERT"].score == 0
    assert all(s.evaluated for s in board.standings) and {s.rank for s in board.standings} == {1}
    # kd > pruning > quantization were stated in papers that never name GLUE
    assert {(c.winner.name, c.loser.name) for c in board.comparisons} == {
        ("TinyBERT", "BERT-base"),
        ("BERT-base", "TinyBERT"),
    }
    assert [c.kind for c in board.contradictions] == ["pair"]
    assert A.leaderboards(graph, min_entrants=4) == []


def test_copeland_ranking_and_shared_ranks():
    g = make_graph(
        [("x", "X", METHOD, []), ("y", "Y", METHOD, []), ("z", "Z", METHOD, []), ("b", "Bench", BENCHMARK, ["p"])],
        [
            ("x", "OUTPERFORMS", "y", "p"),
            ("x", "OUTPERFORMS", "z", "p"),
            ("x", "EVALUATED_ON", "b", "p"),
            ("y", "EVALUATED_ON", "b", "p"),
        ],
    )
    (board,) = A.leaderboards(g)
    assert [(s.rank, s.entity.name, s.score) for s in board.standings] == [(1, "X", 2), (2, "Y", -1), (2, "Z", -1)]
    assert [s.evaluated for s in board.standings] == [True, True, False]


def test_contradictions_pairs_and_cycles(graph):
    found = A.contradictions(graph)
    assert [c.kind for c in found] == ["pair", "cycle"]
    pair, cycle = found
    assert names(pair.entities) == ["BERT-base", "TinyBERT"]
    assert [x.papers for x in pair.claims] == [["p3"], ["p2"]]
    assert names(cycle.entities) == ["knowledge distillation", "pruning", "quantization"]
    assert [(x.winner.name, x.loser.name) for x in cycle.claims] == [
        ("knowledge distillation", "pruning"),
        ("pruning", "quantization"),
        ("quantization", "knowledge distillation"),
    ]
    assert [c.kind for c in A.contradictions(graph, max_cycle=2)] == ["pair"]


# ---- compression, hardware ------------------------------------------------------------------------


def test_compression_edges_chains_and_lineage(graph):
    edges = A.compression_edges(graph)
    assert [(e.compressor.name, e.compressed.name) for e in edges] == [
        ("knowledge distillation", "BERT-base"),
        ("BERT-base", "TinyBERT"),
    ]
    assert edges[0].papers == ["p1"] and edges[0].sentences
    assert [names(chain) for chain in A.compression_chains(graph)] == [
        ["knowledge distillation", "BERT-base", "TinyBERT"]
    ]
    (family,) = A.compression_lineage(graph)
    assert family.family == "BERT"
    assert [(m.model.name, m.families) for m in family.models] == [
        ("BERT-base", ["BERT"]),
        ("TinyBERT", ["BERT-base", "BERT"]),
    ]
    assert names(family.compressors) == ["BERT-base", "knowledge distillation"]


def test_chains_survive_cycles():
    g = make_graph(
        [("a", "A", MODEL, []), ("b", "B", MODEL, []), ("c", "C", MODEL, [])],
        [("a", "COMPRESSES", "b", "p"), ("b", "COMPRESSES", "c", "p"), ("c", "COMPRESSES", "a", "p")],
    )
    chains = A.compression_chains(g)
    assert chains and all(len(c) == 3 and len(set(c)) == 3 for c in chains)


def test_hardware_both_ways(graph):
    rows = A.hardware_by_entity(graph)
    assert [(r.entity.name, names(p.entity for p in r.placements)) for r in rows] == [
        ("quantization", ["GPU", "Jetson Nano"]),
        ("TinyBERT", ["GPU"]),
    ]
    by_hw = A.entities_by_hardware(graph)
    assert [(r.entity.name, len(r.placements)) for r in by_hw] == [("GPU", 2), ("Jetson Nano", 1)]
    assert by_hw[0].placements[0].papers in (["p2"], ["p3"])


# ---- co-occurrence and suggested links --------------------------------------------------------------


@pytest.fixture
def neighbours() -> KnowledgeGraph:
    """x (a method) and y (a dataset) are never named together but share two tasks; so do two datasets."""
    return make_graph(
        [
            ("x", "X", METHOD, ["pa", "pb"]),
            ("y", "Y", DATASET, ["pc", "pd"]),
            ("d", "D", DATASET, ["pa", "pb"]),
            ("n1", "N1", TASK, ["pa", "pc"]),
            ("n2", "N2", TASK, ["pb", "pd"]),
        ],
        [("x", "ADDRESSES", "n1", "pa")],
    )


def test_cooccurrences_count_papers_and_name_relations(neighbours):
    pairs = A.cooccurrences(neighbours, top=0, min_papers=1)
    top = pairs[0]
    assert (top.a.name, top.b.name, top.count, top.related) == ("D", "X", 2, [])
    x_n1 = next(p for p in pairs if {p.a.name, p.b.name} == {"X", "N1"})
    assert x_n1.related == ["ADDRESSES"] and x_n1.papers == ["pa"]
    assert [(p.a.name, p.b.name) for p in A.cooccurrences(neighbours, min_papers=2)] == [("D", "X")]


def test_suggested_links_are_typed_labelled_guesses(neighbours):
    suggestions = A.suggest_links(neighbours, top=0)
    pairs = {(s.head.name, s.tail.name) for s in suggestions}
    assert ("X", "Y") in pairs  # shares N1 and N2, never stated
    assert ("D", "Y") not in pairs and ("Y", "D") not in pairs  # no relation type joins two datasets
    assert not any({s.head.name, s.tail.name} == {"N1", "N2"} for s in suggestions)  # nor two tasks
    xy = next(s for s in suggestions if (s.head.name, s.tail.name) == ("X", "Y"))
    assert xy.relation_types == [t for t, spec in REL.items() if spec.allows(METHOD, DATASET)]
    assert sorted(names(xy.common)) == ["N1", "N2"] and xy.cooccurring == 0
    assert xy.status == A.SUGGESTION and "not stated" in xy.status
    assert xy.score == pytest.approx(2 / math.log(3))  # N1 and N2 each have 3 neighbours: X, D, Y
    # a pair already related is never suggested
    assert not any({s.head.key, s.tail.key} == {"x", "n1"} for s in suggestions)
    assert A.suggest_links(neighbours, min_common=3) == []


@pytest.mark.skipif(not any(spec.derived for spec in REL.values()), reason="the schema has no derived relation")
def test_derived_relations_neither_rank_entities_nor_get_suggested():
    derived = next(name for name, spec in REL.items() if spec.derived)
    spec = REL[derived]
    ents = [(f"v{i}", f"Variant {i}", spec.head[0], [f"p{i}"]) for i in range(4)]
    g = make_graph([*ents, ("root", "Root", spec.tail[0], [])], [])
    for key, *_ in ents:  # derived relations carry no evidence
        g.relations[(key, derived, "root")] = Relation(key, derived, "root")
    assert A.central_entities(g)[spec.tail[0]][-1].entity.key == "root"  # degree 0 once derived links are left out
    assert dict(A.degree_distribution(g)) == {0: 5}
    assert all(derived not in s.relation_types for s in A.suggest_links(g, top=0))
    (community,) = A.communities(g, cooccurrence=False)
    assert community.size == 5 and community.papers == 4


# ---- everything at once, the report, the command ------------------------------------------------------


def test_analyze_is_deterministic_and_serialisable(graph):
    first, second = A.analyze(graph, top=5), A.analyze(graph, top=5)
    assert first.to_dict() == second.to_dict()
    data = json.loads(first.to_json())
    assert data["papers"] == len(graph.papers) and data["contradictions"][0]["kind"] == "pair"
    text = render_text(first)
    for title in ("Entities per type", "Leaderboards per benchmark", "Contradictions", "Suggested links"):
        assert title in text
    assert "knowledge distillation -> BERT-base -> TinyBERT" in text


def test_empty_graph_analyses_without_error(tmp_path):
    analysis = A.analyze(KnowledgeGraph())
    assert analysis.entities == 0 and analysis.communities == [] and analysis.suggestions == []
    assert "none found" in render_text(analysis)
    written = write_report(analysis, tmp_path / "empty.md", "empty")
    assert written[-1].is_file()


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_report_and_plots_are_written_side_by_side(graph, tmp_path, suffix):
    report = tmp_path / "out" / f"report{suffix}"
    written = write_report(A.analyze(graph), report, "test report")
    assert written[-1] == report
    pngs = [p for p in written if p.suffix == ".png"]
    assert len(pngs) == 5 and all(p.parent == report.parent and p.read_bytes()[:4] == b"\x89PNG" for p in pngs)
    text = report.read_text()
    assert all(p.name in text for p in pngs)
    assert ("<table>" in text) == (suffix == ".html") and "TinyBERT" in text
    with pytest.raises(ValueError):
        write_report(A.analyze(graph), tmp_path / "report.txt", "x")


def test_analyze_command(graph, tmp_path):
    graph.save(tmp_path / "g")
    runner = CliRunner()
    result = runner.invoke(analyze_command, [str(tmp_path / "g"), "--top", "3", "--report", str(tmp_path / "r.md")])
    assert result.exit_code == 0, result.output
    assert "Most central entities per type" in result.output and (tmp_path / "r-degrees.png").is_file()
    result = runner.invoke(analyze_command, [str(tmp_path / "g"), "--json", "--centrality", "betweenness"])
    assert result.exit_code == 0 and json.loads(result.output)["measure"] == "betweenness"


@pytest.mark.parametrize(
    "args, message",
    [
        (["{tmp}/missing"], "no such file or folder"),
        (["{tmp}"], "no graph.json inside"),
        (["{tmp}/bad.json"], "not a kg graph file"),
        (["{tmp}/g", "--report", "{tmp}/g/graph.json/r.md"], "cannot write"),
    ],
)
def test_analyze_errors_are_one_line(graph, tmp_path, args, message):
    graph.save(tmp_path / "g")
    (tmp_path / "bad.json").write_text("{not json")
    result = CliRunner().invoke(analyze_command, [a.format(tmp=tmp_path) for a in args])
    assert result.exit_code == 1
    err = result.stderr if hasattr(result, "stderr") else result.output
    assert err.startswith("kg: error: ") and message in err and err.count("\n") == 1
    assert "Traceback" not in result.output


def test_wrong_report_suffix_is_a_usage_error(graph, tmp_path):
    graph.save(tmp_path / "g")
    result = CliRunner().invoke(analyze_command, [str(tmp_path / "g"), "--report", str(tmp_path / "r.pdf")])
    assert result.exit_code == 2 and ".md" in result.output


def test_analyze_is_a_kg_subcommand_once_registered():
    from kg.cli import main

    if "analyze" not in main.commands:
        pytest.skip("kg.cli does not register `analyze` yet (main.add_command(analyze))")
    assert main.commands["analyze"] is analyze_command


def test_no_type_name_or_colour_is_typed_into_the_analytics():
    """The schema is the one place for type names and colours (see schemas/schema.yaml)."""
    source = "\n".join(p.read_text() for p in (Path(A.__file__).parent).glob("*.py"))
    for spec in SCHEMA.entity_types.values():
        assert f'"{spec.name}"' not in source and spec.color not in source
