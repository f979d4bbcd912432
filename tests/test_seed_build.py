"""A build of the full seed listings: every paper once, a sane graph."""

from pathlib import Path

import pytest

from kg.readers import ReadReport, read_papers
from kg.text import normalize_title

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside the project")


def seed_titles() -> list[str]:
    """Every title in the listings, read independently of kg: the line before each long paragraph."""
    titles = []
    for path in sorted(SEEDS.glob("*.txt")):
        paragraphs = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
        titles += [paragraphs[i - 1] for i in range(1, len(paragraphs)) if len(paragraphs[i]) > 300]
    return titles


def test_seed_listings_read_every_paper_once():
    titles = seed_titles()
    report = ReadReport()
    papers = list(read_papers([SEEDS], report))
    distinct = {normalize_title(t) for t in titles}
    assert len(titles) > len(distinct)  # the listings do repeat papers
    assert len(papers) == len(distinct)
    assert report.duplicates == len(titles) - len(distinct)
    assert report.problems == []


def test_seed_build_merges_repeated_papers(seed_build, seed_graph):
    graph, summary = seed_graph, seed_build[1]
    assert summary["papers"] == len(graph.papers) == len({normalize_title(t) for t in seed_titles()})
    assert summary["duplicates_merged"] > 0


def test_seed_graph_has_every_type_and_valid_ends(seed_graph):
    from kg.schema import load_schema

    graph = seed_graph
    schema = load_schema()
    assert {e.type for e in graph.entities.values()} == set(schema.entity_types)
    assert {r.type for r in graph.relations.values()} == set(schema.relation_types)
    for relation in graph.relations.values():
        head, tail = graph.entities[relation.head], graph.entities[relation.tail]
        assert schema.allows(relation.type, head.type, tail.type)
        if schema.relation_types[relation.type].derived:
            assert not relation.evidence  # families come from names and the lexicon, not sentences
            continue
        assert relation.support == len({e.paper for e in relation.evidence}) >= 1
        for evidence in relation.evidence:
            paper = graph.papers[evidence.paper]
            text = paper.title if evidence.section == "title" else paper.abstract
            assert text[evidence.start : evidence.end].strip() == evidence.sentence


def test_seed_graph_canonicalizes_across_papers(seed_graph):
    graph = seed_graph
    folded_names = [e.key for e in graph.entities.values()]
    assert len(folded_names) == len(set(folded_names))
    multi_paper = [e for e in graph.entities.values() if len(e.papers) > 1]
    assert len(multi_paper) > 50


def test_seed_results_link_entities_and_point_at_their_sentence(seed_graph):
    graph = seed_graph
    assert len(graph.results) > 100
    for result in graph.results.values():
        assert result.subject in graph.entities
        assert graph.entities[result.subject].type in ("MODEL", "METHOD")
        if result.metric:
            assert graph.entities[result.metric].type == "METRIC"
        if result.dataset:
            assert graph.entities[result.dataset].type in ("DATASET", "BENCHMARK")
        abstract = graph.papers[result.paper].abstract
        assert abstract[result.start : result.end].strip() == result.sentence.strip()
