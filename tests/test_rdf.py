"""Linked data: real exports read back by two parsers, validated by SHACL and queried with SPARQL.

The seed graph (``../shared/seeds``, ~400 papers) is built once per module with the
real command line; tests that need it are skipped when the folder is absent. The
bundled sample and a hand-made graph of awkward names run everywhere.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import re
import subprocess
import sys
import tracemalloc
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
from click.testing import CliRunner
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, SH

from kg.commands.export import export
from kg.graph import Entity, Evidence, KnowledgeGraph, Relation, ResultRecord
from kg.model import Paper
from kg.rdf import SHAPES_FILE, SPARQL_DIR, generated_files
from kg.rdf.export import ExportStats, number, to_rdflib, write_ntriples
from kg.rdf.formats import EXPORTERS
from kg.rdf.iris import Iris
from kg.rdf.vocab import ALIAS, DERIVED_FROM, KEY, NAME, UNIT, prefixes, result_edge_fields, vocab
from kg.schema import load_schema, schemas_dir
from kg.text import fold

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
FORMATS = list(EXPORTERS)
SUFFIX = {name: exporter.suffixes[0] for name, exporter in EXPORTERS.items()}
OX_FORMAT = {"turtle": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD, "ntriples": ox.RdfFormat.N_TRIPLES}
RDFLIB_FORMAT = {"turtle": "turtle", "jsonld": "json-ld", "ntriples": "nt"}
SCHEMA = load_schema()
TERMS = vocab(SCHEMA)
QUERIES = sorted((schemas_dir() / SPARQL_DIR).glob("*.rq"))
# The questions the SPARQL files ask, in the schema's own names.
COMPRESSES, EVALUATED_ON, MODEL, BENCHMARK = "COMPRESSES", "EVALUATED_ON", "MODEL", "BENCHMARK"
# Result edges by the record attribute they carry (the schema's `field`), and the paper's own edge.
RESULT_EDGES = {spec.field: name for name, spec in SCHEMA.result_edges.items()}
REPORTS = next(name for name, spec in SCHEMA.result_edges.items() if spec.from_paper)
# Datatypes by name: rdflib's XSD namespace as a module global makes pytest's collection warn.
DECIMAL, BOOLEAN = rdflib.XSD.decimal, rdflib.XSD.boolean
# rdflib's own JSON-LD parser warns about its internals.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


@dataclass
class Built:
    """A graph folder, the graph loaded from it, and its export in every format."""

    folder: Path
    graph: KnowledgeGraph
    exports: dict[str, Path]

    def __post_init__(self) -> None:
        self._parsed: dict[str, Graph] = {}

    def rdflib(self, fmt: str = "ntriples") -> Graph:
        """The export parsed by rdflib; cached, so copy it before changing it."""
        if fmt not in self._parsed:
            self._parsed[fmt] = Graph().parse(self.exports[fmt], format=RDFLIB_FORMAT[fmt])
        return self._parsed[fmt]

    def oxigraph(self, fmt: str = "ntriples") -> ox.Store:
        store = ox.Store()
        store.load(path=str(self.exports[fmt]), format=OX_FORMAT[fmt])
        return store


def run_export(*args: str | Path):
    return CliRunner().invoke(export, [str(a) for a in args])


def export_all(folder: Path, out: Path) -> Built:
    exports = {}
    for fmt in FORMATS:
        exports[fmt] = out / f"graph{SUFFIX[fmt]}"
        result = run_export(folder, "--format", fmt, "--out", exports[fmt])
        assert result.exit_code == 0, result.output
    return Built(folder, KnowledgeGraph.load(folder), exports)


def kg_build(out: Path, *inputs: Path) -> None:
    """The real command line, in a fresh interpreter, as a user runs it."""
    done = subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", *map(str, inputs), "--out", str(out)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("sample")
    kg_build(folder)
    return export_all(folder, tmp_path_factory.mktemp("sample-rdf"))


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Built:
    if not SEEDS.is_dir():
        pytest.skip(f"no seed listings at {SEEDS}")
    folder = tmp_path_factory.mktemp("seed")
    kg_build(folder, SEEDS)
    return export_all(folder, tmp_path_factory.mktemp("seed-rdf"))


@pytest.fixture(scope="module", params=["sample", "seed"])
def built(request: pytest.FixtureRequest) -> Built:
    return request.getfixturevalue(request.param)


# ---- a graph of awkward names, made by hand ------------------------------------------------
AWKWARD = {
    "MODEL": ['He said "hi" \\ ok', "line one\nline two\r\n", "Модель-7B", "7B", '"""triple"""'],
    "METHOD": ["模型压缩", "a<b>{c}|d^`e f#g?h%20 & 'i'", "Café", "Cafe", "tab\there\x00nul\x7f"],
    "DATASET": ["emoji 🤖 data", "broken \ud800 surrogate", "back\\slash\\"],
    "BENCHMARK": ["Ünïcödé Bench"],
    "METRIC": ['top-1 "acc"\n%'],
}
# Settings and sentences a result can carry: every kind of character a serializer must escape.
AWKWARD_TEXT = [
    'at "50%" sparsity, \\ 4-bit\nline two\r\n',
    "\"\"\"triple\"\"\" and '''single''' quotes; <tag> {braces} #hash ?q @at ^^xsd:string",
    "tab\there\x00nul\x7f\x1b[0m \u2028\u2029",
    "emoji 🤖, 模型压缩, Модель, broken \ud800 surrogate, ends with backslash\\",
]


def awkward_graph(reverse: bool = False) -> KnowledgeGraph:
    """Names with quotes, newlines, non-Latin letters, IRI-unsafe characters and slug collisions."""
    papers = [
        Paper(
            "arXiv:2501.00001v2",
            'A "quoted"\ntitle — ü',
            "Line\r\nbreaks and \\ backslashes.",
            authors=['Zoë "Z" Ångström', "李雷", "李雷"],
            year=2024,
            url='http://example.org/a b?c="d"',
            arxiv_id="2501.00001v2",
        ),
        Paper("10.1000/a b<c>", "Ünïcödé", "", doi="10.1000/a<b>"),
        Paper("10-1000-a-b-c", "Slug collision with the DOI above", "Abstract."),
    ]
    entities = [
        Entity(fold(name), name, type_, aliases=[name + " (alias)", 'al"ias\n2'], papers=[p.id for p in papers[:2]])
        for type_, names in AWKWARD.items()
        for name in names
    ]
    entities[0].family = 'Fam "ily"\n'
    entities[0].proposed_by = [papers[0].id]
    if reverse:
        papers, entities = papers[::-1], entities[::-1]
    graph = KnowledgeGraph(papers={p.id: p for p in papers}, entities={e.key: e for e in entities})
    by_name = {e.name: e.key for e in entities}
    sentence = 'Café compresses 7B "nicely"\nand fast.'
    for head, relation_type, tail, paper, section in [
        ("Café", COMPRESSES, "7B", papers[0].id, "abstract"),
        ("Café", COMPRESSES, "7B", papers[0].id, "abstract"),  # the extractor can repeat itself
        ("Café", COMPRESSES, "7B", papers[1].id, "title"),
        ("模型压缩", "USES", "a<b>{c}|d^`e f#g?h%20 & 'i'", papers[0].id, "abstract"),
        ("Модель-7B", EVALUATED_ON, "Ünïcödé Bench", papers[1].id, "abstract"),
        ("Cafe", "TRAINED_ON", "broken \ud800 surrogate", papers[2].id, "abstract"),
    ]:
        key = (by_name[head], relation_type, by_name[tail])
        relation = graph.relations.setdefault(key, Relation(*key))
        relation.evidence.append(Evidence(paper, sentence, section, 0, len(sentence), 0.85))
    metric, paper_ids = by_name['top-1 "acc"\n%'], sorted(graph.papers)  # the same results in either order
    for i, (result_id, subject, value, low, unit, extra) in enumerate(
        [
            ("r0", "Café", 68.2, None, "%", {"metric": metric, "dataset": by_name["Ünïcödé Bench"]}),
            ("r1", "模型压缩", 2.1, 1.3, "x", {"applied_to": by_name["7B"], "baseline": by_name["Cafe"]}),
            ("r2", "Модель-7B", 1e-07, None, None, {"dataset": by_name["broken \ud800 surrogate"]}),
            ("r3", '"""triple"""', 1e16, None, '"unit"\n', {"metric": metric}),
            ('id with / "quotes" and é', "Cafe", -0.5, None, "points", {}),
        ]
    ):
        text = AWKWARD_TEXT[i % len(AWKWARD_TEXT)]
        fields = {"metric": None, "dataset": None, "applied_to": None, "baseline": None} | extra
        graph.results[result_id] = ResultRecord(
            result_id,
            paper_ids[i % len(paper_ids)],
            by_name[subject],
            value=value,
            low=low,
            unit=unit,
            setting=text,
            relative=i % 2 == 1,
            sentence=text + " " + sentence,
            start=i,
            end=i + len(text) + 1 + len(sentence),
            **fields,
        )
    if reverse:
        graph.results = dict(reversed(graph.results.items()))
    return graph


@pytest.fixture(scope="module")
def awkward(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("awkward")
    # graph.json only: GraphML (XML) cannot hold a NUL, RDF can.
    # ASCII JSON: the lone surrogate stays a \ud800 escape, as a JSON Lines input can carry it.
    (folder / "graph.json").write_text(json.dumps(awkward_graph().to_dict()), encoding="utf-8")
    return export_all(folder, tmp_path_factory.mktemp("awkward-rdf"))


def clean(text: str) -> str:
    """What the exporter writes for a name: a lone surrogate cannot be encoded, so it becomes U+FFFD."""
    return text.replace("\ud800", "\ufffd")


def shacl(data: Graph) -> tuple[bool, str]:
    conforms, _, report = pyshacl.validate(data, shacl_graph=Graph().parse(schemas_dir() / SHAPES_FILE))
    return conforms, report


# ---- ontology and shapes ---------------------------------------------------------------------
@pytest.mark.parametrize("path", list(generated_files()), ids=lambda p: p.name)
def test_committed_file_is_what_the_schema_generates(path: Path) -> None:
    committed = Graph().parse(path, format="turtle")
    assert isomorphic(committed, generated_files()[path]), f"{path.name} is stale: run python -m kg.rdf"
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)  # an independent parser agrees
    assert len(store) == len(committed)


def _classes(graph: Graph, node) -> set:
    """The classes a domain or range names: itself, or the members of its owl:unionOf."""
    union = graph.value(node, OWL.unionOf)
    return set(Collection(graph, union)) if union is not None else {node}


def test_ontology_follows_the_schema() -> None:
    onto = generated_files()[schemas_dir() / "ontology.ttl"]
    for name, spec in SCHEMA.entity_types.items():
        cls = TERMS.entity_class(name)
        assert (cls, RDF.type, OWL.Class) in onto
        assert str(onto.value(cls, RDFS.label)) == spec.label
        assert str(onto.value(cls, RDFS.comment)) == spec.description
    for name, spec in SCHEMA.relation_types.items():
        prop = TERMS.relation(name)
        assert str(onto.value(prop, RDFS.label)) == spec.label
        assert _classes(onto, onto.value(prop, RDFS.domain)) == {TERMS.entity_class(t) for t in spec.head}
        assert _classes(onto, onto.value(prop, RDFS.range)) == {TERMS.entity_class(t) for t in spec.tail}
    everything = {TERMS.entity_class(t) for t in SCHEMA.entity_types}
    for name in SCHEMA.paper_edges:
        prop = TERMS.paper_edge(name)
        assert onto.value(prop, RDFS.domain) == TERMS.paper_class
        assert _classes(onto, onto.value(prop, RDFS.range)) == everything
    result = TERMS.result_class
    assert (result, RDF.type, OWL.Class) in onto
    assert str(onto.value(result, RDFS.label)) == SCHEMA.result.label
    assert str(onto.value(result, RDFS.comment)) == SCHEMA.result.description
    for name, spec in SCHEMA.result_edges.items():
        prop = TERMS.result_edge(name)
        assert (prop, RDF.type, OWL.ObjectProperty) in onto
        assert str(onto.value(prop, RDFS.label)) == spec.label
        assert str(onto.value(prop, RDFS.comment)) == spec.description
        domain, range_ = onto.value(prop, RDFS.domain), onto.value(prop, RDFS.range)
        if spec.from_paper:
            assert (domain, range_) == (TERMS.paper_class, result)
        else:
            assert domain == result
            assert _classes(onto, range_) == {TERMS.entity_class(t) for t in spec.targets}
    for prop, datatype in [(TERMS.value, DECIMAL), (TERMS.low, DECIMAL), (TERMS.relative, BOOLEAN)]:
        assert (prop, RDF.type, OWL.DatatypeProperty) in onto
        assert (onto.value(prop, RDFS.domain), onto.value(prop, RDFS.range)) == (result, datatype)
    assert result in _classes(onto, onto.value(TERMS.sentence, RDFS.domain))


def test_every_term_has_its_own_iri() -> None:
    """No two schema labels, and no schema label and a field of our own, give the same kgo: IRI."""
    terms = TERMS.schema_terms() + TERMS.own_terms()
    assert len(terms) == len(set(terms))
    assert len(prefixes()) == len(set(prefixes().values()))


def test_shapes_check_both_ends_of_every_relation() -> None:
    shapes = generated_files()[schemas_dir() / SHAPES_FILE]

    def allowed(target, prop) -> set:
        (shape,) = shapes.subjects(target, prop)
        alternatives = shapes.value(shape, SH["or"])
        if alternatives is None:
            return {shapes.value(shape, SH["class"])}
        return {shapes.value(a, SH["class"]) for a in Collection(shapes, alternatives)}

    for name, spec in SCHEMA.relation_types.items():
        prop = TERMS.relation(name)
        assert allowed(SH.targetSubjectsOf, prop) == {TERMS.entity_class(t) for t in spec.head}
        assert allowed(SH.targetObjectsOf, prop) == {TERMS.entity_class(t) for t in spec.tail}
    for name in SCHEMA.entity_types:
        assert next(shapes.subjects(SH.targetClass, TERMS.entity_class(name)), None) is not None
    assert next(shapes.subjects(SH.targetClass, TERMS.paper_class), None) is not None


def test_result_shape_follows_the_schema() -> None:
    """One end per required result edge, at most one per other edge, each of the schema's types."""
    shapes = generated_files()[schemas_dir() / SHAPES_FILE]
    (result_shape,) = shapes.subjects(SH.targetClass, TERMS.result_class)
    by_path = {shapes.value(p, SH.path): p for p in shapes.objects(result_shape, SH.property)}
    inverse = {shapes.value(path, SH.inversePath): shape for path, shape in by_path.items() if isinstance(path, BNode)}
    for name, (spec, required) in result_edge_fields(SCHEMA).items():
        if spec.from_paper:  # one paper reports the result, the one it is derived from
            shape = inverse[TERMS.result_edge(name)]
            assert shapes.value(shape, SH.equals) == DERIVED_FROM
            assert shapes.value(shape, SH["class"]) == TERMS.paper_class
        else:
            shape = by_path[TERMS.result_edge(name)]
            alternatives = shapes.value(shape, SH["or"])
            classes = (
                {shapes.value(a, SH["class"]) for a in Collection(shapes, alternatives)}
                if alternatives is not None
                else {shapes.value(shape, SH["class"])}
            )
            assert classes == {TERMS.entity_class(t) for t in spec.targets}
        assert shapes.value(shape, SH.maxCount).toPython() == 1
        assert (shapes.value(shape, SH.minCount) or Literal(0)).toPython() == int(required)
    assert {TERMS.value, TERMS.relative, DERIVED_FROM, TERMS.sentence, TERMS.start, TERMS.end} <= set(by_path)


def test_shapes_catch_what_the_exporter_must_not_write(sample: Built) -> None:
    data = Graph()
    data += sample.rdflib()
    relation = next(r for r in sample.graph.relations.values() if r.evidence)
    iris = Iris(sample.graph)
    head, tail = iris.entity(relation.head), iris.entity(relation.tail)
    paper = iris.paper(relation.evidence[0].paper)
    statement = next(data.subjects(RDF.subject, head))
    wrong_type = next(
        k for k, e in sample.graph.entities.items() if e.type not in SCHEMA.relation_types[COMPRESSES].head
    )
    data.add((iris.entity(wrong_type), TERMS.relation(COMPRESSES), tail))  # a relation from the wrong type
    data.remove((statement, TERMS.support, None))
    data.add((statement, TERMS.support, Literal(99)))  # a support no papers back
    empty = URIRef(str(statement) + "x")
    data.add((empty, RDF.type, RDF.Statement))  # a statement of nothing
    data.add((paper, URIRef("http://example.org/unknown"), Literal("x")))  # a property no shape allows
    conforms, report = shacl(data)
    assert not conforms
    for expected in ("compressesHeadShape", "kgo:support is 99", "PaperShape", f"Focus Node: <{empty}>"):
        assert expected in report, report


def violations(data: Graph) -> set[tuple]:
    """(focus node, path, constraint component) of each violation; an inverse path as ("^", property)."""
    _, results, _ = pyshacl.validate(data, shacl_graph=Graph().parse(schemas_dir() / SHAPES_FILE))
    found = set()
    for result in results.subjects(RDF.type, SH.ValidationResult):
        path = results.value(result, SH.resultPath)
        if isinstance(path, BNode):
            path = ("^", results.value(path, SH.inversePath))
        found.add((results.value(result, SH.focusNode), path, results.value(result, SH.sourceConstraintComponent)))
    return found


def test_shapes_catch_bad_results(sample: Built) -> None:
    data = Graph()
    data += sample.rdflib()
    graph, iris = sample.graph, Iris(sample.graph)
    first, second, third, fourth, fifth = (iris.result(i) for i in sorted(graph.results)[:5])
    model = next(iris.entity(k) for k, e in graph.entities.items() if e.type == MODEL)
    other_paper = next(iris.paper(p) for p in sorted(graph.papers) if iris.paper(p) != data.value(third, DERIVED_FROM))
    metric = TERMS.result_edge(RESULT_EDGES["metric"])
    data.add((first, TERMS.value, Literal("1.5", datatype=DECIMAL)))  # two values
    data.remove((second, TERMS.result_edge(RESULT_EDGES["subject"]), None))  # a result of nothing
    data.set((second, metric, model))  # a metric that is a model
    data.add((other_paper, TERMS.result_edge(REPORTS), third))  # reported by a paper it does not come from
    data.set((fourth, TERMS.low, Literal("1000.0", datatype=DECIMAL)))  # a range upside down
    data.set((fifth, TERMS.relative, Literal("yes")))  # not a boolean
    data.add((model, metric, model))  # a result edge from an entity
    found = violations(data)
    for expected in [
        (first, TERMS.value, SH.MaxCountConstraintComponent),
        (second, TERMS.result_edge(RESULT_EDGES["subject"]), SH.MinCountConstraintComponent),
        (second, metric, SH.ClassConstraintComponent),
        (third, ("^", TERMS.result_edge(REPORTS)), SH.MaxCountConstraintComponent),
        (third, ("^", TERMS.result_edge(REPORTS)), SH.EqualsConstraintComponent),
        (fourth, TERMS.low, SH.LessThanOrEqualsConstraintComponent),
        (fifth, TERMS.relative, SH.DatatypeConstraintComponent),
        (model, None, SH.ClassConstraintComponent),  # the head shape of the edge
    ]:
        assert expected in found, sorted(found)


def test_results_the_schema_forbids_are_left_out(tmp_path: Path) -> None:
    """A hand-edited graph: a result of a dataset, from no paper or of no number is left out; a bad end dropped."""
    graph = awkward_graph()
    template = graph.results["r0"]
    dataset = next(e.key for e in graph.entities.values() if e.type == "DATASET")
    for result_id, change in [
        ("of-a-dataset", {"subject": dataset}),
        ("no-paper", {"paper": "no-such-paper"}),
        ("nan", {"value": float("nan")}),
        ("wrong-metric", {"metric": "7b"}),
    ]:
        graph.results[result_id] = ResultRecord(**{**asdict(template), "id": result_id, **change})
    (tmp_path / "graph.json").write_text(json.dumps(graph.to_dict()), encoding="utf-8")
    stats = ExportStats()
    data = to_rdflib(KnowledgeGraph.load(tmp_path), stats=stats)
    assert [line.split(":")[0] for line in stats.skipped_results] == ["nan", "no-paper", "of-a-dataset", "wrong-metric"]
    iris = Iris(graph)
    exported = set(data.subjects(RDF.type, TERMS.result_class))
    assert exported == {iris.result(i) for i in graph.results} - {
        iris.result(i) for i in ("of-a-dataset", "no-paper", "nan")
    }
    wrong_metric = iris.result("wrong-metric")
    assert data.value(wrong_metric, TERMS.result_edge(RESULT_EDGES["metric"])) is None
    assert data.value(wrong_metric, TERMS.result_edge(RESULT_EDGES["dataset"])) is not None
    assert run_export(tmp_path, "--out", tmp_path / "out.nt").exit_code == 0
    conforms, report = shacl(Graph().parse(tmp_path / "out.nt", format="nt"))
    assert conforms, report


# ---- exports of real graphs -----------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_parses_with_rdflib_and_oxigraph(built: Built, fmt: str) -> None:
    rdf = built.rdflib(fmt)
    assert len(rdf) == len(built.oxigraph(fmt)) > 0
    assert isomorphic(rdf, built.rdflib("ntriples")), f"{fmt} and N-Triples exports differ"


def test_ntriples_and_turtle_hold_the_same_triples(built: Built) -> None:
    assert isomorphic(built.rdflib("ntriples"), built.rdflib("turtle"))


def test_export_conforms_to_the_shapes(built: Built) -> None:
    data = built.rdflib("turtle")
    assert len(set(data.subjects(RDF.type, TERMS.result_class))) == len(built.graph.results) > 0
    conforms, report = shacl(data)
    assert conforms, report


def test_every_relation_is_a_triple_with_its_evidence(built: Built) -> None:
    data, iris, graph = built.rdflib(), Iris(built.graph), built.graph
    for relation in graph.relations.values():
        triple = (iris.entity(relation.head), TERMS.relation(relation.type), iris.entity(relation.tail))
        assert triple in data
        statements = set(data.subjects(RDF.subject, triple[0])) & set(data.subjects(RDF.object, triple[2]))
        statements = {s for s in statements if (s, RDF.predicate, triple[1]) in data}
        places = {(e.paper, e.section, e.start, e.end) for e in relation.evidence}
        assert len(statements) == len(places)
        for statement in statements:
            assert data.value(statement, TERMS.support).toPython() == relation.support
            assert str(data.value(statement, TERMS.sentence)) in {e.sentence for e in relation.evidence}


def test_every_result_is_a_node_with_its_edges(built: Built) -> None:
    data, iris, graph = built.rdflib(), Iris(built.graph), built.graph
    for record in graph.results.values():
        node = iris.result(record.id)
        paper = iris.paper(record.paper)
        assert set(data.subjects(TERMS.result_edge(REPORTS), node)) == {paper}
        assert set(data.objects(node, DERIVED_FROM)) == {paper}
        for field, edge in RESULT_EDGES.items():
            if edge != REPORTS:
                key = getattr(record, field)
                assert set(data.objects(node, TERMS.result_edge(edge))) == ({iris.entity(key)} if key else set())
        value = data.value(node, TERMS.value)
        assert value.datatype == DECIMAL and float(value) == record.value
        low = data.value(node, TERMS.low)
        assert (None if low is None else float(low)) == record.low
        assert data.value(node, TERMS.relative).toPython() is record.relative
        unit, setting = data.value(node, UNIT), data.value(node, TERMS.setting)
        assert (unit and str(unit), setting and str(setting)) == (record.unit, record.setting)
        assert str(data.value(node, TERMS.sentence)) == record.sentence
        assert (data.value(node, TERMS.start).toPython(), data.value(node, TERMS.end).toPython()) == (
            record.start,
            record.end,
        )
        assert str(data.value(node, KEY)) == record.id


@pytest.mark.parametrize("fmt", FORMATS)
def test_exporting_twice_gives_identical_bytes(built: Built, fmt: str, tmp_path: Path) -> None:
    """A second run in another interpreter, with another hash seed, writes the same file."""
    again = tmp_path / f"again{SUFFIX[fmt]}"
    code = "from kg.commands.export import export; export()"
    args = [str(built.folder), "--format", fmt, "--out", str(again)]
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert again.read_bytes() == built.exports[fmt].read_bytes()


# ---- SPARQL files against the same questions asked in Python ------------------------------------
def python_answers(graph: KnowledgeGraph, query: str) -> set[tuple]:
    ents, papers = graph.entities, graph.papers
    relations = list(graph.relations.values())
    if query == "compresses":
        return {
            (r.head, ents[r.head].name, r.tail, ents[r.tail].name, r.support) for r in relations if r.type == COMPRESSES
        }
    if query == "evaluated-on-benchmark":
        return {
            (r.head, ents[r.head].name, r.tail, ents[r.tail].name)
            for r in relations
            if r.type == EVALUATED_ON and ents[r.head].type == MODEL and ents[r.tail].type == BENCHMARK
        }
    if query == "evidence":
        best: dict[tuple, Evidence] = {}
        for r in relations:
            for e in r.evidence:
                place = (r.head, r.type, r.tail, e.paper, e.section, e.start, e.end)
                if place not in best or e.confidence > best[place].confidence:
                    best[place] = e
        return {
            (h, t, tail, paper, papers[paper].title, section, start, end, round(e.confidence, 6), e.sentence)
            for (h, t, tail, paper, section, start, end), e in best.items()
        }
    if query == "proposed-compressors":
        return {
            (p, papers[p].title, r.head, ents[r.head].name, r.tail, ents[r.tail].name)
            for r in relations
            if r.type == COMPRESSES
            for p in ents[r.head].proposed_by
        }
    if query == "relations-by-support":
        return {(r.head, r.type, r.tail, r.support) for r in relations if r.evidence}
    if query == "results-on-benchmark":
        levels = [r for r in graph.results.values() if r.dataset and r.metric and not r.relative]
        return {
            (
                r.dataset,
                ents[r.dataset].name,
                r.metric,
                ents[r.metric].name,
                r.unit,
                1
                + sum(
                    o.value > r.value for o in levels if (o.dataset, o.metric, o.unit) == (r.dataset, r.metric, r.unit)
                ),
                r.value,
                r.subject,
                ents[r.subject].name,
                r.setting,
                r.paper,
                r.sentence,
                r.id,
            )
            for r in levels
        }
    raise AssertionError(f"no Python answer for {query}.rq: add one")


def sparql_answers(graph: KnowledgeGraph, query: str, rows: list[dict[str, str]]) -> set[tuple]:
    """The rows of a query as the same tuples, IRIs mapped back to keys, ids and relation types."""
    iris = Iris(graph)
    key = {str(iris.entity(k)): k for k in graph.entities}
    paper = {str(iris.paper(p)): p for p in graph.papers}
    relation = {str(TERMS.relation(t)): t for t in SCHEMA.relation_types}
    result = {str(iris.result(i)): i for i in graph.results}
    columns = {
        "compresses": lambda r: (
            key[r["compressor"]],
            r["compressorName"],
            key[r["model"]],
            r["modelName"],
            int(r["papers"]),
        ),
        "evaluated-on-benchmark": lambda r: (key[r["model"]], r["modelName"], key[r["benchmark"]], r["benchmarkName"]),
        "evidence": lambda r: (
            key[r["subject"]],
            relation[r["predicate"]],
            key[r["object"]],
            paper[r["paper"]],
            r["title"],
            r["section"],
            int(r["start"]),
            int(r["end"]),
            float(r["confidence"]),
            r["sentence"],
        ),
        "proposed-compressors": lambda r: (
            paper[r["paper"]],
            r["title"],
            key[r["compressor"]],
            r["compressorName"],
            key[r["model"]],
            r["modelName"],
        ),
        "relations-by-support": lambda r: (
            key[r["subject"]],
            relation[r["predicate"]],
            key[r["object"]],
            int(r["papers"]),
        ),
        "results-on-benchmark": lambda r: (
            key[r["benchmark"]],
            r["benchmarkName"],
            key[r["metric"]],
            r["metricName"],
            r.get("unit"),
            int(r["rank"]),
            float(r["value"]),
            key[r["subject"]],
            r["subjectName"],
            r.get("setting"),
            paper[r["paper"]],
            r["sentence"],
            result[r["result"]],
        ),
    }
    answers = [columns[query](row) for row in rows]
    assert len(answers) == len(set(answers)), "a query returned the same row twice"
    return set(answers)


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_sparql_queries_answer_like_the_graph(built: Built, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = python_answers(built.graph, path.stem)
    oxigraph = built.oxigraph().query(text)
    names = [v.value for v in oxigraph.variables]
    ox_rows = [{n: s[n].value for n in names if s[n] is not None} for s in oxigraph]
    rdflib_rows = [{str(k): str(v) for k, v in row.asdict().items()} for row in built.rdflib("turtle").query(text)]
    assert sparql_answers(built.graph, path.stem, ox_rows) == expected
    assert sparql_answers(built.graph, path.stem, rdflib_rows) == expected


def test_sparql_files_use_only_defined_terms() -> None:
    """Prefixes are the project's, and every kgo: term a query names is in the ontology."""
    assert len(QUERIES) >= 3
    onto = generated_files()[schemas_dir() / "ontology.ttl"]
    defined = {str(s) for s in onto.subjects(RDF.type, None)}
    known = prefixes()
    for path in QUERIES:
        text = path.read_text(encoding="utf-8")
        declared = dict(re.findall(r"^PREFIX (\w+): <([^>]+)>", text, flags=re.MULTILINE))
        assert declared, path.name
        for prefix, iri in declared.items():
            assert known.get(prefix) == iri, f"{path.name}: PREFIX {prefix}: <{iri}>"
        for local in re.findall(rf"\b{SCHEMA.vocab_prefix}:(\w+)", text):
            assert str(TERMS.kgo[local]) in defined, (
                f"{path.name}: {SCHEMA.vocab_prefix}:{local} is not in the ontology"
            )


def test_results_rank_highest_value_first(built: Built) -> None:
    """Both engines list each benchmark/metric/unit leaderboard together, ranks rising as values fall."""
    text = (schemas_dir() / SPARQL_DIR / "results-on-benchmark.rq").read_text(encoding="utf-8")
    ox_rows = [
        (s["benchmark"].value, s["metric"].value, s["unit"] and s["unit"].value, s["rank"].value, s["value"].value)
        for s in built.oxigraph().query(text)
    ]
    rdflib_rows = [
        (str(r.benchmark), str(r.metric), r.unit and str(r.unit), str(r.rank), str(r.value))
        for r in built.rdflib("turtle").query(text)
    ]
    for rows in (ox_rows, rdflib_rows):
        assert rows, "no absolute result on a benchmark with a metric"
        groups = [group for group, _ in itertools.groupby(rows, key=lambda row: row[:3])]
        assert len(groups) == len(set(groups)), "a leaderboard is split"
        for _, board in itertools.groupby(rows, key=lambda row: row[:3]):
            ranked = [(int(rank), float(value)) for *_, rank, value in board]
            assert ranked[0][0] == 1
            assert ranked == sorted(ranked, key=lambda rv: (rv[0], -rv[1]))
            assert [v for _, v in ranked] == sorted((v for _, v in ranked), reverse=True)


def test_results_on_benchmark_ranks_ties_and_keeps_units_apart() -> None:
    """A hand-made leaderboard: ties share a rank, units rank apart, relative results are not ranked."""
    graph = synthetic_graph(2)
    ends = {spec.field: None for spec in SCHEMA.result_edges.values() if not spec.from_paper}
    ends |= {"subject": "model0", "metric": "metric0", "dataset": "benchmark0"}
    sentence = "A sentence."
    board = [("a", 70.1, "%", False), ("b", 80.5, "%", False), ("c", 80.5, "%", False)]
    board += [("d", 95.0, None, False), ("e", 99.0, "%", True), ("f", 12.0, "%", False)]
    graph.results = {
        rid: ResultRecord(
            **{**ends, "metric": "metric1" if rid == "f" else "metric0"},
            id=rid,
            paper="p0",
            value=value,
            low=None,
            unit=unit,
            setting=None,
            relative=relative,
            sentence=sentence,
            start=0,
            end=len(sentence),
        )
        for rid, value, unit, relative in board
    }
    out = io.BytesIO()
    write_ntriples(graph, out)
    store = ox.Store()
    store.load(out.getvalue(), format=ox.RdfFormat.N_TRIPLES)
    text = (schemas_dir() / SPARQL_DIR / "results-on-benchmark.rq").read_text(encoding="utf-8")
    iris = Iris(graph)
    expected = [("metric0", "%", 1, "b"), ("metric0", "%", 1, "c"), ("metric0", "%", 3, "a")]
    expected += [("metric0", None, 1, "d"), ("metric1", "%", 1, "f")]
    result = {str(iris.result(rid)): rid for rid in graph.results}
    metric = {str(iris.entity(k)): k for k in ("metric0", "metric1")}
    ox_rows = [
        (metric[s["metric"].value], s["unit"] and s["unit"].value, int(s["rank"].value), result[s["result"].value])
        for s in store.query(text)
    ]
    rdflib_rows = [
        (metric[str(r.metric)], r.unit and str(r.unit), int(r.rank), result[str(r.result)])
        for r in Graph().parse(data=out.getvalue(), format="nt").query(text)
    ]
    assert sorted(ox_rows, key=str) == sorted(rdflib_rows, key=str) == sorted(expected, key=str)
    assert set(expected) == {(row[2], row[4], row[5], row[-1]) for row in python_answers(graph, "results-on-benchmark")}


# ---- awkward names ---------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_awkward_names_export_validly(awkward: Built, fmt: str) -> None:
    rdf = awkward.rdflib(fmt)
    assert len(rdf) == len(awkward.oxigraph(fmt))
    assert isomorphic(rdf, awkward.rdflib("ntriples"))
    iris = Iris(awkward.graph)
    for entity in awkward.graph.entities.values():
        node = iris.entity(entity.key)
        assert str(rdf.value(node, NAME)) == clean(entity.name)
        assert {str(a) for a in rdf.objects(node, ALIAS)} == {clean(a) for a in entity.aliases}
    assert len({iris.entity(k) for k in awkward.graph.entities}) == len(awkward.graph.entities)
    assert len({iris.paper(p) for p in awkward.graph.papers}) == len(awkward.graph.papers)


def test_awkward_names_conform_to_the_shapes(awkward: Built) -> None:
    conforms, report = shacl(awkward.rdflib("turtle"))
    assert conforms, report


@pytest.mark.parametrize("fmt", FORMATS)
def test_awkward_results_export_validly(awkward: Built, fmt: str) -> None:
    """Quotes, newlines, controls, NUL, surrogates in setting and sentence; both parsers read them back alike."""
    rdf, store = awkward.rdflib(fmt), awkward.oxigraph(fmt)
    assert len(rdf) == len(store)
    assert isomorphic(rdf, awkward.rdflib("ntriples"))
    iris = Iris(awkward.graph)
    for record in awkward.graph.results.values():
        node = iris.result(record.id)
        assert (node, RDF.type, TERMS.result_class) in rdf
        for prop, expected in [(TERMS.setting, record.setting), (TERMS.sentence, record.sentence), (UNIT, record.unit)]:
            got = rdf.value(node, prop)
            assert (None if got is None else str(got)) == (None if expected is None else clean(expected))
            ox_values = [q.object.value for q in store.quads_for_pattern(ox.NamedNode(node), ox.NamedNode(prop), None)]
            assert ox_values == ([clean(expected)] if expected else [])
        assert float(rdf.value(node, TERMS.value)) == record.value
        assert str(rdf.value(node, KEY)) == record.id
    assert len({iris.result(i) for i in awkward.graph.results}) == len(awkward.graph.results)


@pytest.mark.parametrize(
    "value, lexical",
    [
        (68.2, "68.2"),
        (98.0, "98.0"),
        (1e-07, "0.0000001"),
        (1e16, "10000000000000000.0"),
        (-0.5, "-0.5"),
        (0.1 + 0.2, "0.30000000000000004"),
    ],
)
def test_result_values_are_the_shortest_exact_decimal(value: float, lexical: str) -> None:
    literal = number(value)
    assert (str(literal), literal.datatype) == (lexical, DECIMAL)
    assert float(lexical) == value


def test_result_values_that_are_not_numbers_are_refused() -> None:
    for value in (float("nan"), float("inf"), float("-inf")):
        with pytest.raises(ValueError):
            number(value)


def test_iris_are_readable_stable_and_unique() -> None:
    graph = awkward_graph()
    iris = Iris(graph)
    base = SCHEMA.base_iri + "resource/"
    model = SCHEMA.entity_types[MODEL].iri_path
    assert iris.entity("7b") == URIRef(f"{base}{model}/7b")  # the plain spelling keeps the bare slug
    assert re.fullmatch(rf"{re.escape(base)}{model}/7b-[0-9a-f]{{8}}", iris.entity(fold("Модель-7B")))
    method = SCHEMA.entity_types["METHOD"].iri_path
    assert iris.entity("cafe") == URIRef(f"{base}{method}/cafe")
    assert iris.entity(fold("Café")).startswith(f"{base}{method}/cafe-")
    # the same graph, built in the opposite order, gets the same IRIs
    backwards = Iris(awkward_graph(reverse=True))
    for key in graph.entities:
        assert backwards.entity(key) == iris.entity(key)
    for paper_id in graph.papers:
        assert backwards.paper(paper_id) == iris.paper(paper_id)
    paper = SCHEMA.paper.iri_path
    assert iris.paper("10-1000-a-b-c") == URIRef(f"{base}{paper}/10-1000-a-b-c")
    assert re.fullmatch(rf"{re.escape(base)}{paper}/10-1000-a-b-c-[0-9a-f]{{8}}", iris.paper("10.1000/a b<c>"))


def test_relations_the_schema_forbids_are_left_out(tmp_path: Path) -> None:
    graph = awkward_graph()
    dataset = next(e.key for e in graph.entities.values() if e.type == "DATASET")
    key = (dataset, COMPRESSES, "7b")
    graph.relations[key] = Relation(*key, [Evidence(graph.entities["7b"].papers[0], "s", "abstract", 0, 1, 0.9)])
    (tmp_path / "graph.json").write_text(json.dumps(graph.to_dict()), encoding="utf-8")
    result = run_export(tmp_path, "--out", tmp_path / "out.nt")
    assert result.exit_code == 0
    assert "left out 1 relation" in result.stderr
    data = Graph().parse(tmp_path / "out.nt", format="nt")
    iris = Iris(graph)
    assert (iris.entity(dataset), TERMS.relation(COMPRESSES), iris.entity("7b")) not in data
    assert (iris.entity("cafe"), None, None) in data
    assert shacl(data)[0]


# ---- the command line -------------------------------------------------------------------------------
def test_format_follows_the_out_suffix_and_dash_is_stdout(sample: Built, tmp_path: Path) -> None:
    result = run_export(sample.folder, "--out", tmp_path / "g.nt")
    assert result.exit_code == 0 and "(ntriples)" in result.stderr
    assert isomorphic(Graph().parse(tmp_path / "g.nt", format="nt"), sample.rdflib())
    result = run_export(sample.folder, "--format", "jsonld", "--out", "-")
    assert result.exit_code == 0
    assert isomorphic(Graph().parse(data=result.stdout, format="json-ld"), sample.rdflib())


def test_base_iri_moves_resources_not_the_vocabulary(sample: Built, tmp_path: Path) -> None:
    base = "https://example.org/my-kg/"
    result = run_export(sample.folder, "--base-iri", base, "--out", tmp_path / "g.ttl")
    assert result.exit_code == 0, result.output
    data = Graph().parse(tmp_path / "g.ttl")
    assert all(str(s).startswith(base + "resource/") for s in data.subjects())
    assert {p for p in data.predicates() if str(p).startswith(str(TERMS.kgo))}
    assert shacl(data)[0]


@pytest.mark.parametrize(
    "make, out",
    [
        (lambda d: d / "missing", "out.ttl"),
        (lambda d: d, "out.ttl"),  # a folder without graph.json
        (lambda d: (d / "graph.json").write_text("{not json") and d, "out.ttl"),
        (lambda d: (d / "graph.json").write_text('{"format": "other"}') and d, "out.ttl"),
        ("sample", "no-such-folder/out.ttl"),
        ("sample", "."),  # --out is a folder
    ],
    ids=["no-dir", "no-graph-json", "bad-json", "not-a-kg-graph", "out-folder-missing", "out-is-a-folder"],
)
def test_errors_are_one_line_and_exit_1(make, out: str, sample: Built, tmp_path: Path) -> None:
    folder = sample.folder if make == "sample" else make(tmp_path)
    before = set(tmp_path.iterdir())
    result = run_export(folder, "--out", tmp_path / out)
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # never a traceback
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: "), result.stderr
    assert set(tmp_path.iterdir()) == before  # no half-written or temporary file left


@pytest.mark.parametrize(
    "args", [["--format", "rdfxml"], ["--base-iri", "not an iri"], ["--base-iri", "http://x.org/a"]]
)
def test_usage_errors_exit_2(sample: Built, tmp_path: Path, args: list[str]) -> None:
    result = run_export(sample.folder, "--out", tmp_path / "g.ttl", *args)
    assert result.exit_code == 2
    assert not (tmp_path / "g.ttl").exists()


# ---- large graphs ----------------------------------------------------------------------------------------
class CountingSink:
    """A binary file that keeps nothing: counts what is written to it."""

    def __init__(self) -> None:
        self.bytes = self.writes = 0

    def write(self, data: bytes) -> int:
        self.bytes += len(data)
        self.writes += 1
        return len(data)


def synthetic_graph(entities_per_type: int) -> KnowledgeGraph:
    """A valid graph of the given size: every relation type between entities its schema allows, and results."""
    graph = KnowledgeGraph()
    papers = [Paper(f"p{i}", f"Paper {i}", f"Abstract {i}.") for i in range(entities_per_type)]
    graph.papers = {p.id: p for p in papers}
    by_type: dict[str, list[str]] = {}
    for type_ in SCHEMA.entity_types:
        for i in range(entities_per_type):
            entity = Entity(f"{type_.lower()}{i}", f"{type_.title()} {i}", type_, papers=[f"p{i}"])
            graph.entities[entity.key] = entity
            by_type.setdefault(type_, []).append(entity.key)
    for name, spec in SCHEMA.relation_types.items():
        heads, tails = by_type[spec.head[0]], by_type[spec.tail[0]]
        for i in range(entities_per_type):
            head, tail = heads[i], tails[(i + 1) % len(tails)]
            if head == tail:
                continue
            sentence = f"Sentence {i} about {name}."
            evidence = [
                Evidence(f"p{(i + j) % len(papers)}", sentence, "abstract", 0, len(sentence), 0.7) for j in (0, 1)
            ]
            graph.relations[head, name, tail] = Relation(head, name, tail, evidence)
    for i in range(entities_per_type):
        ends = {spec.field: by_type[spec.targets[0]][i] for spec in SCHEMA.result_edges.values() if spec.targets}
        sentence = f"Sentence {i} with a result."
        graph.results[f"r{i}"] = ResultRecord(
            **ends,
            id=f"r{i}",
            paper=f"p{i}",
            value=i + 0.5,
            low=None,
            unit="%",
            setting=f"setting {i}",
            relative=False,
            sentence=sentence,
            start=0,
            end=len(sentence),
        )
    return graph


def test_ntriples_export_streams_in_flat_memory() -> None:
    """Extra memory while writing stays a small fraction of the output, unlike an in-memory rdflib Graph."""
    graph = synthetic_graph(150)
    sink = CountingSink()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        stats = write_ntriples(graph, sink, stats=ExportStats())  # type: ignore[arg-type]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert stats.triples == sink.writes > 30_000
    assert peak - before < sink.bytes / 10, f"peak {peak - before} bytes for {sink.bytes} bytes written"
