"""The OWL ontology of the graph, generated from ``schemas/schema.yaml``.

``build_ontology()`` is the single source of ``schemas/ontology.ttl``: classes for
Paper and the entity types, object properties for the relations and paper edges
(domains and ranges from the schema's allowed ends, ``owl:unionOf`` when there
are several), and datatype properties for the evidence on reified statements.
Labels and comments are the schema's. Regenerate with ``python -m kg.rdf``; a
test fails when the committed file drifts from the schema.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, PROV, SDO, SKOS

from kg.rdf.vocab import ALIAS, NAME, SECTIONS, Vocab, prefixes, vocab
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
    disjoint = BNode()
    graph.add((disjoint, RDF.type, OWL.AllDisjointClasses))
    members = BNode()
    Collection(graph, members, [paper, *entity_classes])
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
    statement = [RDF.Statement]
    evidence = [
        (terms.sentence, "sentence", "The sentence of the paper that states the reified triple.", XSD.string),
        (
            terms.section,
            "section",
            f"The part of the paper the sentence is in: {' or '.join(SECTIONS)}.",
            XSD.string,
        ),
        (terms.start, "start", "Character offset of the sentence's start in its section.", XSD.integer),
        (terms.end, "end", "Character offset just past the sentence's end in its section.", XSD.integer),
        (terms.confidence, "confidence", "Confidence of this extraction of the triple, from 0 to 1.", XSD.decimal),
        (terms.support, "support", "How many papers state the reified triple.", XSD.integer),
    ]
    for term, label, comment, range_ in evidence:
        _property(graph, terms, term, datatype, label, comment, statement, [range_])
    return graph
