"""The RDF vocabulary of the graph: every class and property IRI, derived from the schema.

Type names, labels and IRI paths come from ``schemas/schema.yaml`` through
``kg.schema``; this module only decides how a schema label becomes an IRI local
name (``"evaluated on"`` -> ``kgo:evaluatedOn``, ``"Model"`` -> ``kgo:Model``) and
which established vocabularies (DCTerms, schema.org, SKOS, PROV-O, BIBO) carry the
plain descriptive fields, so the exporter, the ontology and the shapes never
disagree about an IRI.

Results (the schema's ``result:`` section) follow the same rule: the class is
``kgo:<label>`` (``kgo:Result``) and each edge ``kgo:<label>`` (``kgo:reports``,
``kgo:resultOf``, ``kgo:onDataset``, ``kgo:measures``, ``kgo:appliedTo``,
``kgo:comparedWith``). Their plain fields are:

- the number: ``kgo:value`` and, for a stated range, its lower end ``kgo:low``,
  both ``xsd:decimal`` (the stated digits exactly, "68.2" rather than a binary
  double) and declared sub-properties of ``schema:value`` and ``schema:minValue``,
  so schema.org consumers read them while the ontology keeps its own domain and
  range (as ``kgo:arxivId`` refines ``dcterms:identifier``). QUDT's
  ``qudt:numericValue`` would fit too, but its units are IRIs and ours are the
  extractor's strings;
- the unit: ``schema:unitText`` itself, a plain literal such as ``"%"``, ``"x"``,
  ``"GB"`` (exactly what that property is for when there is no unit code);
- ``kgo:setting`` (the stated conditions, a string) and ``kgo:relative``
  (``xsd:boolean``: the value is a change against something, not a level reached);
- the evidence, as on reified statements: ``prov:wasDerivedFrom`` the paper,
  ``kgo:sentence``, ``kgo:start``/``kgo:end`` (offsets in the abstract, the one
  section results are read from), and ``dcterms:identifier`` for the record's id.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass

from rdflib import RDF, RDFS, XSD, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SDO, SH, SKOS

from kg.schema import ResultEdge, Schema, load_schema

BIBO = Namespace("http://purl.org/ontology/bibo/")

# Where terms and resources live under the schema's base_iri (see the comments in schema.yaml).
ONTOLOGY_PATH = "ontology"
RESOURCE_PATH = "resource/"
# Reified statements are resources of the graph too, beside papers and entities.
STATEMENT_PATH = "statement"
# The values Evidence.section takes: the Paper field the sentence was read from.
SECTIONS = ("title", "abstract")


def paper_edge_fields(schema: Schema) -> dict[str, str]:
    """Paper edge name -> the Entity attribute that lists its papers, as the schema says."""
    return {name: edge.field for name, edge in schema.paper_edges.items()}


def result_edge_fields(schema: Schema) -> dict[str, tuple[ResultEdge, bool]]:
    """Result edge name -> (edge, whether every result has one), read from ``kg.graph.ResultRecord``.

    The schema names the record attribute of each edge (``field``); the record's type
    hints say which are optional (``str | None``). Fails loudly if the schema names
    an attribute the record lacks, so a renamed field cannot silently drop an edge.
    """
    from kg.graph import ResultRecord  # lazily: kg.graph is slow to import and only the writers need this

    hints = typing.get_type_hints(ResultRecord)
    missing = sorted(spec.field for spec in schema.result_edges.values() if spec.field not in hints)
    if missing:
        raise ValueError(f"result edge fields {missing} are not attributes of kg.graph.ResultRecord")
    return {
        name: (spec, type(None) not in typing.get_args(hints[spec.field])) for name, spec in schema.result_edges.items()
    }


def camel(label: str, upper: bool) -> str:
    """A schema label as an IRI local name: ``"evaluated on"`` -> ``evaluatedOn``."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+", label) if w]
    if not words:
        raise ValueError(f"label {label!r} gives no IRI local name")
    first = words[0][0].upper() + words[0][1:] if upper else words[0][0].lower() + words[0][1:]
    return first + "".join(w[0].upper() + w[1:] for w in words[1:])


@dataclass(frozen=True)
class Vocab:
    """Every IRI the exporter, the ontology and the shapes use, for one schema."""

    schema: Schema
    ontology: URIRef
    kgo: Namespace

    # ---- terms from the schema -------------------------------------------------------
    @property
    def paper_class(self) -> URIRef:
        return self.kgo[camel(self.schema.paper.label, upper=True)]

    def entity_class(self, entity_type: str) -> URIRef:
        return self.kgo[camel(self.schema.entity_types[entity_type].label, upper=True)]

    def relation(self, relation_type: str) -> URIRef:
        return self.kgo[camel(self.schema.relation_types[relation_type].label, upper=False)]

    def paper_edge(self, edge: str) -> URIRef:
        return self.kgo[camel(self.schema.paper_edges[edge].label, upper=False)]

    @property
    def result_class(self) -> URIRef:
        return self.kgo[camel(self.schema.result.label, upper=True)]

    def result_edge(self, edge: str) -> URIRef:
        return self.kgo[camel(self.schema.result_edges[edge].label, upper=False)]

    # ---- terms of our own that the schema has no entry for (evidence and paper fields) -
    @property
    def sentence(self) -> URIRef:
        return self.kgo.sentence

    @property
    def section(self) -> URIRef:
        return self.kgo.section

    @property
    def start(self) -> URIRef:
        return self.kgo.start

    @property
    def end(self) -> URIRef:
        return self.kgo.end

    @property
    def confidence(self) -> URIRef:
        return self.kgo.confidence

    @property
    def support(self) -> URIRef:
        return self.kgo.support

    @property
    def family(self) -> URIRef:
        return self.kgo.family

    @property
    def arxiv_id(self) -> URIRef:
        return self.kgo.arxivId

    # ---- the plain fields of a result (its edges come from the schema above) -------------
    @property
    def value(self) -> URIRef:
        return self.kgo.value

    @property
    def low(self) -> URIRef:
        return self.kgo.low

    @property
    def setting(self) -> URIRef:
        return self.kgo.setting

    @property
    def relative(self) -> URIRef:
        return self.kgo.relative

    def schema_terms(self) -> list[URIRef]:
        """Every term the schema names (classes, relations, paper and result edges), in schema order."""
        schema = self.schema
        return [
            self.paper_class,
            *(self.entity_class(name) for name in schema.entity_types),
            self.result_class,
            *(self.relation(name) for name in schema.relation_types),
            *(self.paper_edge(name) for name in schema.paper_edges),
            *(self.result_edge(name) for name in schema.result_edges),
        ]

    def own_terms(self) -> list[URIRef]:
        """The kgo: terms this module adds beside the schema's: evidence, paper and result fields."""
        names = ("sentence", "section", "start", "end", "confidence", "support", "family", "arxiv_id")
        return [getattr(self, name) for name in (*names, "value", "low", "setting", "relative")]


def vocab(schema: Schema | None = None) -> Vocab:
    """The vocabulary of ``schema`` (default: the project schema); terms sit under ``<base_iri>ontology#``."""
    schema = schema or load_schema()
    ontology = URIRef(schema.base_iri + ONTOLOGY_PATH)
    return Vocab(schema, ontology, Namespace(str(ontology) + "#"))


# Established vocabularies, one name each, so modules agree on which term carries what.
PAPER_ID = DCTERMS.identifier
TITLE = DCTERMS.title
ABSTRACT = DCTERMS.abstract
AUTHOR = SDO.author
ISSUED = DCTERMS.issued
URL = SDO.url
DOI = BIBO.doi
NAME = SKOS.prefLabel
ALIAS = SKOS.altLabel
KEY = DCTERMS.identifier
DERIVED_FROM = PROV.wasDerivedFrom
UNIT = SDO.unitText
# What kgo:value and kgo:low refine (declared rdfs:subPropertyOf in the ontology).
VALUE_OF = SDO.value
LOW_OF = SDO.minValue


def prefixes(schema: Schema | None = None, base_iri: str | None = None) -> dict[str, str]:
    """Prefix bindings for serializers and SPARQL: the schema's own, the reused vocabularies, one per resource kind."""
    schema = schema or load_schema()
    resources = (base_iri or schema.base_iri) + RESOURCE_PATH
    bound = {
        schema.vocab_prefix: str(vocab(schema).kgo),
        schema.data_prefix: resources,
        "rdf": str(RDF),
        "rdfs": str(RDFS),
        "owl": str(OWL),
        "xsd": str(XSD),
        "sh": str(SH),
        "skos": str(SKOS),
        "dcterms": str(DCTERMS),
        "schema": str(SDO),
        "prov": str(PROV),
        "bibo": str(BIBO),
    }
    # One prefix per kind of resource (model:bert, paper:2501-00001, result:0a1b...), named by its IRI path.
    kinds = (schema.paper, *schema.entity_types.values(), schema.result)
    for path in (*(kind.iri_path for kind in kinds), STATEMENT_PATH):
        bound.setdefault(path, f"{resources}{path}/")
    return bound
