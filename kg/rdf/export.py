"""RDF export of a KnowledgeGraph: one plain triple per relation, evidence by RDF reification.

How evidence is attached. Every relation is asserted as a plain triple
(``method:gptq kgo:compresses model:llama-2-7b``) so SPARQL users query it
directly. Each sentence that states it becomes one ``rdf:Statement`` node: RDF's
standard reification vocabulary, read by every RDF tool, whose semantics is
exactly "a stating of this triple" (one triple stated in three papers gives three
statement nodes). The node carries ``rdf:subject``/``rdf:predicate``/``rdf:object``
(the triple), ``prov:wasDerivedFrom`` (the paper), ``kgo:sentence``,
``kgo:section``, ``kgo:start``/``kgo:end`` (character offsets in that section),
``kgo:confidence`` (of this extraction) and ``kgo:support`` (how many papers state
the triple). Reification was chosen over RDF-star / RDF 1.2 triple terms (not
yet a finished standard, few parsers) and over named graphs (not expressible in
Turtle or N-Triples).
Statement IRIs hash (head, type, tail, paper, section, offsets), so there are no
blank nodes and exports are byte-identical run to run. A relation that no
sentence states (one the schema marks ``derived``, such as a model's family) is a
plain triple without statement nodes.

Results. A stated result ("68.2% top-1 accuracy on ImageNet at 86.6% sparsity")
is an n-ary fact, so it is a node of its own, ``result:<id>`` of class
``kgo:Result``, not a reified triple: the paper ``kgo:reports`` it, and it points
to the entities it is about with the schema's result edges (``kgo:resultOf`` the
model or method, ``kgo:onDataset``, ``kgo:measures``, ``kgo:appliedTo``,
``kgo:comparedWith``). It carries ``kgo:value`` (and ``kgo:low`` for a range) as
``xsd:decimal`` written with the shortest digits that give back the graph's float,
``schema:unitText`` ("%", "x", "GB"), ``kgo:setting``, ``kgo:relative``
(``xsd:boolean``), and the same evidence as a statement: ``prov:wasDerivedFrom``
the paper, ``kgo:sentence``, ``kgo:start``/``kgo:end`` (offsets in the abstract).
``dcterms:identifier`` is the record's id. A result whose paper or subject is
missing or of a type the schema does not allow, or whose number is not finite,
is left out and named in ``ExportStats.skipped_results``; an optional end
(dataset, metric, ...) of a wrong type is dropped from it likewise.

Papers use DCTerms (identifier, title, abstract, issued), schema.org (author, url)
and BIBO (doi); entities use SKOS labels (prefLabel = canonical name, altLabel =
aliases) and ``dcterms:identifier`` for their kg key. ``--base-iri`` moves the
resources only: the vocabulary stays under the schema's base IRI so the
committed ontology and shapes apply to every export.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import BinaryIO

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.term import Identifier

from kg.graph import Evidence, KnowledgeGraph, ResultRecord
from kg.rdf.iris import Iris
from kg.rdf.vocab import (
    ABSTRACT,
    ALIAS,
    AUTHOR,
    DERIVED_FROM,
    DOI,
    ISSUED,
    KEY,
    NAME,
    PAPER_ID,
    TITLE,
    UNIT,
    URL,
    Vocab,
    paper_edge_fields,
    prefixes,
    result_edge_fields,
    vocab,
)
from kg.schema import ResultEdge, Schema, load_schema

Triple = tuple[URIRef, URIRef, Identifier]

# Code points no serializer can write as UTF-8 (lone surrogates from JSON escapes).
_SURROGATES = re.compile("[\ud800-\udfff]")
# Characters N-Triples must escape inside a string, plus the other controls for readability.
_NT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NT_SPECIAL = re.compile(r'[\\"\x00-\x1f\x7f]')


def text(value: str) -> Literal:
    """A string literal; unencodable code points become U+FFFD rather than breaking the file."""
    return Literal(_SURROGATES.sub("\ufffd", value))


def decimal(value: float) -> Literal:
    """A confidence as a canonical xsd:decimal (``0.85``, not ``8.5e-01``), same in every format."""
    lexical = f"{value:.6f}".rstrip("0")
    return Literal(lexical + "0" if lexical.endswith(".") else lexical, datatype=XSD.decimal)


def number(value: float) -> Literal:
    """A stated number as xsd:decimal with the shortest digits that give back the float (68.2, 0.0000001, 175.0).

    Raises ``ValueError`` for infinities and NaN, which xsd:decimal cannot hold.
    """
    if not math.isfinite(value):
        raise ValueError(f"{value!r} is not a finite number")
    lexical = format(Decimal(repr(float(value))), "f")
    return Literal(lexical if "." in lexical else lexical + ".0", datatype=XSD.decimal)


def merged_evidence(evidence: list[Evidence]) -> list[Evidence]:
    """One evidence per place in a paper (the extractor can report a sentence twice), best confidence kept."""
    best: dict[tuple[str, str, int, int], Evidence] = {}
    for e in evidence:
        place = (e.paper, e.section, e.start, e.end)
        if place not in best or e.confidence > best[place].confidence:
            best[place] = e
    return [best[place] for place in sorted(best)]


@dataclass
class ExportStats:
    """What an export wrote, and what it left out because the schema does not allow it."""

    triples: int = 0
    skipped_relations: list[str] = field(default_factory=list)
    # "<id>: <reason>" for each result left out, or of which an end was dropped.
    skipped_results: list[str] = field(default_factory=list)


def triples(
    graph: KnowledgeGraph, base_iri: str | None = None, schema: Schema | None = None, stats: ExportStats | None = None
) -> Iterator[Triple]:
    """Every triple of the export, in a fixed order and without repeats, generated lazily.

    Relations whose type or ends the schema does not allow (a hand-edited graph.json)
    are left out and named in ``stats.skipped_relations``.
    """
    schema = schema or load_schema()
    terms = vocab(schema)
    iris = Iris(graph, base_iri, schema)
    yield from _paper_triples(graph, iris, terms)
    yield from _entity_triples(graph, iris, terms)
    for key in sorted(graph.relations):
        relation = graph.relations[key]
        head, tail = graph.entities.get(relation.head), graph.entities.get(relation.tail)
        if head is None or tail is None or not schema.allows(relation.type, head.type, tail.type):
            if stats is not None:
                stats.skipped_relations.append(" ".join(key))
            continue
        subject, predicate, obj = iris.entity(relation.head), terms.relation(relation.type), iris.entity(relation.tail)
        yield subject, predicate, obj
        evidence = [e for e in merged_evidence(relation.evidence) if e.paper in graph.papers]
        support = Literal(len({e.paper for e in evidence}))
        for e in evidence:
            node = iris.statement(relation.head, relation.type, relation.tail, e)
            yield node, RDF.type, RDF.Statement
            yield node, RDF.subject, subject
            yield node, RDF.predicate, predicate
            yield node, RDF.object, obj
            yield node, DERIVED_FROM, iris.paper(e.paper)
            yield node, terms.sentence, text(e.sentence)
            yield node, terms.section, text(e.section)
            yield node, terms.start, Literal(e.start)
            yield node, terms.end, Literal(e.end)
            yield node, terms.confidence, decimal(e.confidence)
            yield node, terms.support, support
    yield from _result_triples(graph, iris, terms, stats)


def _paper_triples(graph: KnowledgeGraph, iris: Iris, terms: Vocab) -> Iterator[Triple]:
    for paper_id in sorted(graph.papers):
        paper = graph.papers[paper_id]
        node = iris.paper(paper_id)
        yield node, RDF.type, terms.paper_class
        yield node, PAPER_ID, text(paper.id)
        yield node, TITLE, text(paper.title)
        if paper.abstract:
            yield node, ABSTRACT, text(paper.abstract)
        for author in dict.fromkeys(paper.authors):
            yield node, AUTHOR, text(author)
        if paper.year is not None:
            yield node, ISSUED, Literal(f"{paper.year:04d}", datatype=XSD.gYear)
        if paper.url:
            yield node, URL, Literal(_SURROGATES.sub("\ufffd", paper.url), datatype=XSD.anyURI)
        if paper.arxiv_id:
            yield node, terms.arxiv_id, text(paper.arxiv_id)
        if paper.doi:
            yield node, DOI, text(paper.doi)


def _entity_triples(graph: KnowledgeGraph, iris: Iris, terms: Vocab) -> Iterator[Triple]:
    edges = [(terms.paper_edge(name), attribute) for name, attribute in paper_edge_fields(terms.schema).items()]
    for key in sorted(graph.entities):
        entity = graph.entities[key]
        node = iris.entity(key)
        yield node, RDF.type, terms.entity_class(entity.type)
        yield node, NAME, text(entity.name)
        for alias in sorted(set(entity.aliases) - {entity.name}):
            yield node, ALIAS, text(alias)
        yield node, KEY, text(entity.key)
        if entity.family:
            yield node, terms.family, text(entity.family)
        for edge, attribute in edges:
            for paper_id in sorted(set(getattr(entity, attribute))):
                if paper_id in graph.papers:
                    yield iris.paper(paper_id), edge, node


def _result_triples(graph: KnowledgeGraph, iris: Iris, terms: Vocab, stats: ExportStats | None) -> Iterator[Triple]:
    fields = result_edge_fields(terms.schema)
    edges = [(terms.result_edge(name), spec, required) for name, (spec, required) in fields.items()]
    for result_id in sorted(graph.results):
        record = graph.results[result_id]
        ends, numbers, problems = _checked_result(graph, record, edges)
        if problems and stats is not None:
            stats.skipped_results.append(f"{result_id}: {'; '.join(problems)}")
        if ends is None or numbers is None:
            continue
        node = iris.result(result_id)
        yield node, RDF.type, terms.result_class
        yield node, KEY, text(result_id)
        for edge, spec, key in ends:
            if spec.from_paper:
                yield iris.paper(key), edge, node
            else:
                yield node, edge, iris.entity(key)
        value, low = numbers
        yield node, terms.value, value
        if low is not None:
            yield node, terms.low, low
        if record.unit:
            yield node, UNIT, text(record.unit)
        if record.setting:
            yield node, terms.setting, text(record.setting)
        yield node, terms.relative, Literal(bool(record.relative))
        yield node, DERIVED_FROM, iris.paper(record.paper)
        yield node, terms.sentence, text(record.sentence)
        yield node, terms.start, Literal(record.start)
        yield node, terms.end, Literal(record.end)


def _checked_result(
    graph: KnowledgeGraph, record: ResultRecord, edges: list[tuple[URIRef, ResultEdge, bool]]
) -> tuple[list[tuple[URIRef, ResultEdge, str]] | None, tuple[Literal, Literal | None] | None, list[str]]:
    """A result's ends the schema allows (None if a required one is not), its numbers (None if not finite), and why."""
    problems: list[str] = []
    ends: list[tuple[URIRef, ResultEdge, str]] | None = []
    if record.paper not in graph.papers:
        problems.append(f"paper {record.paper!r} is not in the graph")  # the same words as its edge's: said once
        ends = None
    for edge, spec, required in edges:
        key = getattr(record, spec.field)
        if key is None and not required:
            continue
        if spec.from_paper:
            allowed = key in graph.papers
        else:
            entity = graph.entities.get(key) if key is not None else None
            allowed = entity is not None and entity.type in spec.targets
        if allowed:
            if ends is not None:
                ends.append((edge, spec, key))
            continue
        kind = "in the graph" if spec.from_paper else "a " + " or ".join(spec.targets)
        problems.append(f"{spec.field} {key!r} is not {kind}" + ("" if required else " (end dropped)"))
        if required:
            ends = None
    try:
        numbers = number(record.value), None if record.low is None else number(record.low)
    except (TypeError, ValueError) as exc:
        problems.append(f"value: {exc}")
        numbers = None
    return ends, numbers, list(dict.fromkeys(problems))


# ---- serializers ------------------------------------------------------------------------
def nt_term(term: Identifier) -> str:
    """A term in N-Triples syntax: rdflib's ``n3()`` for IRIs, a one-line escaped string for literals.

    ``Literal.n3()`` writes multi-line strings in Turtle's triple quotes, which
    N-Triples forbids, so literals are escaped here.
    """
    if not isinstance(term, Literal):
        return term.n3()
    quoted = '"' + _NT_SPECIAL.sub(lambda m: _NT_ESCAPES.get(m.group(), f"\\u{ord(m.group()):04X}"), term) + '"'
    if term.language:
        return f"{quoted}@{term.language}"
    if term.datatype is not None and term.datatype != XSD.string:
        return f"{quoted}^^<{term.datatype}>"
    return quoted


def write_ntriples(
    graph: KnowledgeGraph, out: BinaryIO, base_iri: str | None = None, stats: ExportStats | None = None
) -> ExportStats:
    """Stream N-Triples line by line: memory stays flat however large the graph."""
    stats = stats or ExportStats()
    for s, p, o in triples(graph, base_iri, stats=stats):
        out.write(f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n".encode())
        stats.triples += 1
    return stats


def to_rdflib(graph: KnowledgeGraph, base_iri: str | None = None, stats: ExportStats | None = None) -> Graph:
    """The whole export as an rdflib Graph, with the project's prefixes bound."""
    rdf = Graph(bind_namespaces="none")
    for prefix, namespace in prefixes(base_iri=base_iri).items():
        rdf.bind(prefix, namespace)
    for triple in triples(graph, base_iri, stats=stats):
        rdf.add(triple)
    return rdf


def write_turtle(
    graph: KnowledgeGraph, out: BinaryIO, base_iri: str | None = None, stats: ExportStats | None = None
) -> ExportStats:
    """Turtle through rdflib, which sorts subjects and predicates, so output is stable."""
    stats = stats or ExportStats()
    rdf = to_rdflib(graph, base_iri, stats)
    stats.triples = len(rdf)
    out.write(rdf.serialize(format="turtle", encoding="utf-8"))
    return stats


def write_jsonld(
    graph: KnowledgeGraph, out: BinaryIO, base_iri: str | None = None, stats: ExportStats | None = None
) -> ExportStats:
    """Compact JSON-LD with the project's prefixes as context; nodes and values sorted for stable output."""
    stats = stats or ExportStats()
    rdf = to_rdflib(graph, base_iri, stats)
    stats.triples = len(rdf)
    context = {prefix: namespace for prefix, namespace in prefixes(base_iri=base_iri).items() if prefix != "sh"}
    document = json.loads(rdf.serialize(format="json-ld", context=context, auto_compact=True))
    out.write((json.dumps(_sorted_jsonld(document), ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode())
    return stats


def _sorted_jsonld(value: object) -> object:
    """Sort node and value arrays (unordered in RDF; none are @list here) so bytes do not depend on hashing."""
    if isinstance(value, dict):
        return {k: _sorted_jsonld(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_jsonld(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return value
