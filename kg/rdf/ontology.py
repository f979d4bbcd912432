"""The OWL ontology of the graph, generated from ``schemas/schema.yaml``.

``build_ontology()`` is the single source of ``schemas/ontology.ttl``: classes for
Paper, the entity types and Result, object properties for the relations, paper
edges and result edges (domains and ranges from the schema's allowed ends,
``owl:unionOf`` when there are several; a result edge ``from: paper`` goes from
Paper to Result, the others from Result to their ``to`` types), and datatype
properties for the evidence on reified statements and results and for a result's
number, setting and relativeness. Labels and comments are the schema's.

Choices for results (see ``kg.rdf.vocab``): ``kgo:Result`` is a ``prov:Entity``
(it is ``prov:wasDerivedFrom`` its paper, as Paper is a ``prov:Entity`` too) and
disjoint from Paper and the entity classes. ``kgo:value``/``kgo:low`` are
``xsd:decimal`` and ``rdfs:subPropertyOf`` ``schema:value``/``schema:minValue``;
the unit is ``schema:unitText`` itself, declared here only as a datatype property
(no domain is asserted on another vocabulary's term). The evidence properties
(``kgo:sentence``, ``kgo:start``, ``kgo:end``) serve statements and results alike,
so their domain is the union of the two. Regenerate with ``python -m kg.rdf``; a
test fails when the committed file drifts from the schema.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, PROV, SDO, SKOS

from kg.rdf.vocab import ALIAS, LOW_OF, NAME, SECTIONS, UNIT, VALUE_OF, Vocab, prefixes, vocab
from kg.schema import Schema, load_schema

LANG = "en"
GENERATED_NOTE = "Generated from schemas/schema.yaml by kg.rdf.ontology (python -m kg.rdf); do not edit by hand."


def _en(value: str) -> Literal:
    return Literal(value, lang=LANG)


def class_expression(graph: Graph, classes: Sequence[URIRef]) -> URIRef | BNode:
    """One class as itself, several as an anonymous ``owl:unionOf`` class."""
    if len(classes) == 1:
        return classes[0]
    union = BNode()
    graph.add((union, RDF.type, OWL.Class))
    members = BNode()
    Collection(graph, members, list(classes))
    graph.add((union, OWL.unionOf, members))
    return union


def _describe(graph: Graph, term: URIRef, kind: URIRef, label: str, comment: str, ontology: URIRef) -> None:
    graph.add((term, RDF.type, kind))
    graph.add((term, RDFS.label, _en(label)))
    graph.add((term, RDFS.comment, _en(comment)))
    graph.add((term, RDFS.isDefinedBy, ontology))


def _property(
    graph: Graph,
    terms: Vocab,
    term: URIRef,
    kind: URIRef,
    label: str,
    comment: str,
    domain: Iterable[URIRef],
    range_: Iterable[URIRef],
) -> None:
    _describe(graph, term, kind, label, comment, terms.ontology)
    graph.add((term, RDFS.domain, class_expression(graph, list(domain))))
    graph.add((term, RDFS.range, class_expression(graph, list(range_))))


def build_ontology(schema: Schema | None = None) -> Graph:
    """The ontology as an rdflib Graph: what ``schemas/ontology.ttl`` must be isomorphic to."""
    schema = schema or load_schema()
    terms = vocab(schema)
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in prefixes(schema).items():
        if prefix not in ("sh", schema.data_prefix):
            graph.bind(prefix, namespace)
    ontology = terms.ontology
    graph.add((ontology, RDF.type, OWL.Ontology))
    graph.add((ontology, DCTERMS.title, _en("Knowledge graph of machine-learning literature")))
    graph.add((ontology, RDFS.label, _en("kg ontology")))
    graph.add((ontology, RDFS.comment, _en(GENERATED_NOTE)))
    graph.add((ontology, OWL.versionInfo, Literal(str(schema.version))))

    paper = terms.paper_class
    _describe(graph, paper, OWL.Class, schema.paper.label, schema.paper.description, ontology)
    graph.add((paper, RDFS.subClassOf, SDO.ScholarlyArticle))
    graph.add((paper, RDFS.subClassOf, PROV.Entity))
    entity_classes = [terms.entity_class(name) for name in schema.entity_types]
    for name, spec in schema.entity_types.items():
        cls = terms.entity_class(name)
        _describe(graph, cls, OWL.Class, spec.label, spec.description, ontology)
        graph.add((cls, RDFS.subClassOf, SKOS.Concept))
    result = terms.result_class
    _describe(graph, result, OWL.Class, schema.result.label, schema.result.description, ontology)
    graph.add((result, RDFS.subClassOf, PROV.Entity))
    disjoint = BNode()
    graph.add((disjoint, RDF.type, OWL.AllDisjointClasses))
    members = BNode()
    Collection(graph, members, [paper, *entity_classes, result])
    graph.add((disjoint, OWL.members, members))

    for name, spec in schema.relation_types.items():
        _property(
            graph,
            terms,
            terms.relation(name),
            OWL.ObjectProperty,
            spec.label,
            spec.description,
            [terms.entity_class(t) for t in spec.head],
            [terms.entity_class(t) for t in spec.tail],
        )
    for name, spec in schema.paper_edges.items():
        _property(
            graph,
            terms,
            terms.paper_edge(name),
            OWL.ObjectProperty,
            spec.label,
            spec.description,
            [paper],
            entity_classes,
        )

    for name, spec in schema.result_edges.items():
        if spec.from_paper:
            domain, range_ = [paper], [result]
        elif spec.targets:
            domain, range_ = [result], [terms.entity_class(t) for t in spec.targets]
        else:
            raise ValueError(f"result edge {name} names no entity type in 'to'")
        _property(
            graph, terms, terms.result_edge(name), OWL.ObjectProperty, spec.label, spec.description, domain, range_
        )

    # Entity names and aliases reuse SKOS, declared here so OWL tools know their kind.
    for term in (NAME, ALIAS):
        graph.add((term, RDF.type, OWL.AnnotationProperty))

    datatype = OWL.DatatypeProperty
    _property(
        graph,
        terms,
        terms.family,
        datatype,
        "family",
        "The name of the model family the entity belongs to (e.g. LLaMA for LLaMA-2-7B).",
        entity_classes,
        [XSD.string],
    )
    _property(
        graph,
        terms,
        terms.arxiv_id,
        datatype,
        "arXiv id",
        "The paper's arXiv identifier, without the arXiv: prefix.",
        [paper],
        [XSD.string],
    )
    graph.add((terms.arxiv_id, RDFS.subPropertyOf, DCTERMS.identifier))
    statement, stated = [RDF.Statement], [RDF.Statement, result]
    evidence = [
        (
            terms.sentence,
            "sentence",
            "The sentence of the paper that states the reified triple or the result.",
            stated,
            XSD.string,
        ),
        (
            terms.section,
            "section",
            f"The part of the paper the sentence is in: {' or '.join(SECTIONS)}.",
            statement,
            XSD.string,
        ),
        (
            terms.start,
            "start",
            "Character offset of the sentence's start in its section (a result's is in the abstract).",
            stated,
            XSD.integer,
        ),
        (
            terms.end,
            "end",
            "Character offset just past the sentence's end in its section (a result's is in the abstract).",
            stated,
            XSD.integer,
        ),
        (
            terms.confidence,
            "confidence",
            "Confidence of this extraction of the triple, from 0 to 1.",
            statement,
            XSD.decimal,
        ),
        (terms.support, "support", "How many papers state the reified triple.", statement, XSD.integer),
        (
            terms.value,
            "value",
            "The number the paper states: the level reached, or the change when the result is relative; "
            "the upper end of a stated range.",
            [result],
            XSD.decimal,
        ),
        (terms.low, "low", "The lower end of a stated range (1.3 in '1.3-2.1x').", [result], XSD.decimal),
        (
            terms.setting,
            "setting",
            "The conditions the value holds under, as stated ('86.6% sparsity', '4-bit').",
            [result],
            XSD.string,
        ),
        (
            terms.relative,
            "relative",
            "True when the value is a change against something ('2x faster', 'by 1.7%'), "
            "false when it is a level reached ('68.2% top-1 accuracy').",
            [result],
            XSD.boolean,
        ),
    ]
    for term, label, comment, domain, range_ in evidence:
        _property(graph, terms, term, datatype, label, comment, domain, [range_])
    graph.add((terms.value, RDFS.subPropertyOf, VALUE_OF))
    graph.add((terms.low, RDFS.subPropertyOf, LOW_OF))
    # The unit is schema.org's own term: declared so OWL tools know its kind, nothing asserted about its domain.
    graph.add((UNIT, RDF.type, datatype))
    return graph
