"""SHACL shapes for the export, generated from ``schemas/schema.yaml``.

``build_shapes()`` is the single source of ``schemas/shapes.ttl``. One closed node
shape per class (Paper, each entity type, ``rdf:Statement``, Result) lists every
property the exporter may write and its cardinality and datatype, so an
unexpected property or a relation leaving the wrong type of entity is a
violation. One shape per end of every relation and paper edge
(``sh:targetSubjectsOf`` / ``sh:targetObjectsOf``) checks the allowed head and
tail types, and a SHACL-SPARQL constraint checks that every reified statement's
triple is asserted.

The Result shape holds a result's whole contract: exactly one ``kgo:value``, at
most one ``kgo:low`` (not above the value), exactly one end for each result edge
whose ``kg.graph.ResultRecord`` field is not optional (the subject) and at most
one for the others, each of the schema's ``to`` types; ``prov:wasDerivedFrom``
exactly one Paper, which is also the one paper that ``kgo:reports`` it
(``sh:inversePath`` with ``sh:equals``); the sentence and its offsets. A head
shape per result edge keeps the edges to Results (and ``kgo:reports`` to Papers),
so the tail types are checked once, in the Result and Paper shapes.
"""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

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
    SECTIONS,
    TITLE,
    UNIT,
    URL,
    camel,
    prefixes,
    result_edge_fields,
    vocab,
)
from kg.schema import Schema, load_schema

SHAPES_PATH = "shapes"
SHAPES_PREFIX = "shape"

# Checks over all statements at once, run with $this bound to rdf:Statement (the shape's
# target node): one query per graph rather than one per statement keeps validation fast.
_NOT_ASSERTED = f"""SELECT $this ?value ?subject ?predicate ?object WHERE {{
    ?value a $this ; <{RDF.subject}> ?subject ; <{RDF.predicate}> ?predicate ; <{RDF.object}> ?object .
    FILTER NOT EXISTS {{ ?subject ?predicate ?object }}
}}"""
_WRONG_SUPPORT = """SELECT $this ?value ?support ?papers WHERE {{
    ?value a $this ; <{subject}> ?subject ; <{predicate}> ?predicate ; <{object}> ?object ; <{support}> ?support .
    {{
        SELECT $this ?subject ?predicate ?object (COUNT(DISTINCT ?paper) AS ?papers) WHERE {{
            ?statement a $this ; <{subject}> ?subject ; <{predicate}> ?predicate ; <{object}> ?object ;
                <{derived}> ?paper .
        }}
        GROUP BY $this ?subject ?predicate ?object
    }}
    FILTER (?support != ?papers)
}}"""


class _Builder:
    """Adds shapes to one graph; property shapes are blank nodes, canonicalised when written."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def list(self, items: Sequence[Node]) -> BNode:
        head = BNode()
        Collection(self.graph, head, list(items))
        return head

    def classes(self, node: Node, classes: Sequence[URIRef]) -> None:
        """``sh:class`` for one allowed class, ``sh:or`` of ``sh:class`` for several."""
        if len(classes) == 1:
            self.graph.add((node, SH["class"], classes[0]))
            return
        alternatives = []
        for cls in classes:
            alternative = BNode()
            self.graph.add((alternative, SH["class"], cls))
            alternatives.append(alternative)
        self.graph.add((node, SH["or"], self.list(alternatives)))

    def node_shape(self, shape: URIRef, comment: str) -> URIRef:
        self.graph.add((shape, RDF.type, SH.NodeShape))
        self.graph.add((shape, RDFS.comment, Literal(comment, lang="en")))
        return shape

    def closed(self, shape: URIRef) -> None:
        self.graph.add((shape, SH.closed, Literal(True)))
        self.graph.add((shape, SH.ignoredProperties, self.list([RDF.type])))

    def prop(
        self,
        shape: URIRef,
        path: URIRef,
        *,
        min_count: int = 0,
        max_count: int | None = None,
        datatype: URIRef | None = None,
        classes: Sequence[URIRef] = (),
        **extra: Node,
    ) -> BNode:
        node = BNode()
        self.graph.add((shape, SH.property, node))
        self.graph.add((node, SH.path, path))
        if min_count:
            self.graph.add((node, SH.minCount, Literal(min_count)))
        if max_count is not None:
            self.graph.add((node, SH.maxCount, Literal(max_count)))
        if datatype is not None:
            self.graph.add((node, SH.datatype, datatype))
        if classes:
            self.graph.add((node, SH.nodeKind, SH.IRI))
            self.classes(node, classes)
        for name, value in extra.items():
            self.graph.add((node, SH[name], value))
        return node


def _sentence_props(build, node, terms) -> None:
    """The evidence a statement or a result carries: its sentence and the sentence's offsets."""
    build.prop(node, terms.sentence, min_count=1, max_count=1, datatype=XSD.string, minLength=Literal(1))
    build.prop(
        node, terms.start, min_count=1, max_count=1, datatype=XSD.integer, minInclusive=Literal(0), lessThan=terms.end
    )
    build.prop(node, terms.end, min_count=1, max_count=1, datatype=XSD.integer)


def build_shapes(schema: Schema | None = None) -> Graph:
    """The shapes graph: what ``schemas/shapes.ttl`` must be isomorphic to."""
    schema = schema or load_schema()
    terms = vocab(schema)
    shape = Namespace(f"{schema.base_iri}{SHAPES_PATH}#")
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in prefixes(schema).items():
        if prefix != schema.data_prefix:
            graph.bind(prefix, namespace)
    graph.bind(SHAPES_PREFIX, shape)
    build = _Builder(graph)
    paper = terms.paper_class
    result = terms.result_class
    entity_classes = {name: terms.entity_class(name) for name in schema.entity_types}
    all_entities = list(entity_classes.values())
    result_edges = result_edge_fields(schema)

    # ---- one closed shape per class ----------------------------------------------------
    node = build.node_shape(shape[f"{camel(schema.paper.label, upper=True)}Shape"], schema.paper.description)
    graph.add((node, SH.targetClass, paper))
    graph.add((node, SH.nodeKind, SH.IRI))
    build.closed(node)
    build.prop(node, PAPER_ID, min_count=1, max_count=1, datatype=XSD.string)
    build.prop(node, TITLE, min_count=1, max_count=1, datatype=XSD.string)
    build.prop(node, ABSTRACT, max_count=1, datatype=XSD.string)
    build.prop(node, AUTHOR, datatype=XSD.string)
    build.prop(node, ISSUED, max_count=1, datatype=XSD.gYear)
    build.prop(node, URL, max_count=1, datatype=XSD.anyURI)
    build.prop(node, terms.arxiv_id, max_count=1, datatype=XSD.string)
    build.prop(node, DOI, max_count=1, datatype=XSD.string)
    for edge in schema.paper_edges:  # the entity at the far end is checked by the edge's tail shape
        build.prop(node, terms.paper_edge(edge), nodeKind=SH.IRI)
    for edge, (spec, _) in result_edges.items():
        if spec.from_paper:
            build.prop(node, terms.result_edge(edge), classes=[result])

    for name, spec in schema.entity_types.items():
        node = build.node_shape(shape[f"{camel(spec.label, upper=True)}Shape"], spec.description)
        graph.add((node, SH.targetClass, entity_classes[name]))
        graph.add((node, SH.nodeKind, SH.IRI))
        build.closed(node)
        build.prop(node, NAME, min_count=1, max_count=1, datatype=XSD.string, minLength=Literal(1))
        build.prop(node, ALIAS, datatype=XSD.string)
        build.prop(node, KEY, min_count=1, max_count=1, datatype=XSD.string)
        build.prop(node, terms.family, max_count=1, datatype=XSD.string)
        for relation, rel_spec in schema.relation_types.items():
            if name in rel_spec.head:  # the tail's type is checked by the relation's tail shape
                build.prop(node, terms.relation(relation), nodeKind=SH.IRI)

    node = build.node_shape(shape.StatementShape, "A stating of a relation triple in one sentence of one paper.")
    graph.add((node, SH.targetClass, RDF.Statement))
    graph.add((node, SH.nodeKind, SH.IRI))
    build.closed(node)
    # Subject and object need no type check here: the triple must be asserted, and its ends are checked there.
    build.prop(node, RDF.subject, min_count=1, max_count=1, nodeKind=SH.IRI)
    relations = build.list([terms.relation(name) for name in schema.relation_types])
    build.prop(node, RDF.predicate, min_count=1, max_count=1, **{"in": relations})
    build.prop(node, RDF.object, min_count=1, max_count=1, nodeKind=SH.IRI)
    build.prop(node, DERIVED_FROM, min_count=1, max_count=1, classes=[paper])
    _sentence_props(build, node, terms)
    build.prop(node, terms.section, min_count=1, max_count=1, **{"in": build.list([Literal(s) for s in SECTIONS])})
    build.prop(
        node,
        terms.confidence,
        min_count=1,
        max_count=1,
        datatype=XSD.decimal,
        minInclusive=Literal(0),
        maxInclusive=Literal(1),
    )
    build.prop(node, terms.support, min_count=1, max_count=1, datatype=XSD.integer, minInclusive=Literal(1))

    node = build.node_shape(shape[f"{camel(schema.result.label, upper=True)}Shape"], schema.result.description)
    graph.add((node, SH.targetClass, result))
    graph.add((node, SH.nodeKind, SH.IRI))
    build.closed(node)
    build.prop(node, KEY, min_count=1, max_count=1, datatype=XSD.string, minLength=Literal(1))
    for edge, (spec, required) in result_edges.items():
        counts = {"min_count": 1 if required else 0, "max_count": 1}
        if spec.from_paper:  # the paper's edge points here: one paper reports the result, the one it comes from
            path = BNode()
            graph.add((path, SH.inversePath, terms.result_edge(edge)))
            build.prop(node, path, **counts, classes=[paper], equals=DERIVED_FROM)
        else:
            build.prop(node, terms.result_edge(edge), **counts, classes=[entity_classes[t] for t in spec.targets])
    build.prop(node, terms.value, min_count=1, max_count=1, datatype=XSD.decimal)
    build.prop(node, terms.low, max_count=1, datatype=XSD.decimal, lessThanOrEquals=terms.value)
    build.prop(node, UNIT, max_count=1, datatype=XSD.string, minLength=Literal(1))
    build.prop(node, terms.setting, max_count=1, datatype=XSD.string, minLength=Literal(1))
    build.prop(node, terms.relative, min_count=1, max_count=1, datatype=XSD.boolean)
    build.prop(node, DERIVED_FROM, min_count=1, max_count=1, classes=[paper])
    _sentence_props(build, node, terms)

    node = build.node_shape(shape.StatementTriplesShape, "Checks that relate each reified statement to the others.")
    graph.add((node, SH.targetNode, RDF.Statement))
    wrong_support = _WRONG_SUPPORT.format(
        subject=RDF.subject,
        predicate=RDF.predicate,
        object=RDF.object,
        support=terms.support,
        derived=DERIVED_FROM,
    )
    for query, message in (
        (_NOT_ASSERTED, "the reified triple {?subject} {?predicate} {?object} is not asserted in the graph"),
        (wrong_support, "kgo:support is {?support} but {?papers} papers state the triple"),
    ):
        constraint = BNode()
        graph.add((node, SH.sparql, constraint))
        graph.add((constraint, RDF.type, SH.SPARQLConstraint))
        graph.add((constraint, SH.message, Literal(message, lang="en")))
        graph.add((constraint, SH.select, Literal(query)))

    # ---- one shape per end of every relation and paper edge ------------------------------
    ends: list[tuple[URIRef, str, list[URIRef], list[URIRef], str]] = [
        (
            terms.relation(name),
            camel(spec.label, upper=False),
            [entity_classes[t] for t in spec.head],
            [entity_classes[t] for t in spec.tail],
            spec.label,
        )
        for name, spec in schema.relation_types.items()
    ]
    ends += [
        (terms.paper_edge(name), camel(spec.label, upper=False), [paper], all_entities, spec.label)
        for name, spec in schema.paper_edges.items()
    ]
    # Result edges: only the head here; the tail's types are in the Result and Paper shapes.
    ends += [
        (
            terms.result_edge(name),
            camel(spec.label, upper=False),
            [paper] if spec.from_paper else [result],
            [],
            spec.label,
        )
        for name, (spec, _) in result_edges.items()
    ]
    for prop, local, heads, tails, label in ends:
        for end, target, classes in (("Head", SH.targetSubjectsOf, heads), ("Tail", SH.targetObjectsOf, tails)):
            if not classes:
                continue
            node = build.node_shape(shape[f"{local}{end}Shape"], f"What may be at the {end.lower()} of '{label}'.")
            graph.add((node, target, prop))
            graph.add((node, SH.nodeKind, SH.IRI))
            build.classes(node, classes)
    return graph
