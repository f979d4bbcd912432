"""The RDF vocabulary of the graph: every class and property IRI, derived from the schema.

Type names, labels and IRI paths come from ``schemas/schema.yaml`` through
``kg.schema``; this module only decides how a schema label becomes an IRI local
name (``"evaluated on"`` -> ``kgo:evaluatedOn``, ``"Model"`` -> ``kgo:Model``) and
which established vocabularies (DCTerms, schema.org, SKOS, PROV-O, BIBO) carry the
plain descriptive fields, so the exporter, the ontology and the shapes never
disagree about an IRI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import RDF, RDFS, XSD, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SDO, SH, SKOS

from kg.schema import Schema, load_schema

BIBO = Namespace("http://purl.org/ontology/bibo/")

# Where terms and resources live under the schema's base_iri (see the comments in schema.yaml).
ONTOLOGY_PATH = "ontology"
RESOURCE_PATH = "resource/"
# Reified statements are resources of the graph too, beside papers and entities.
STATEMENT_PATH = "statement"
# The values Evidence.section takes: the Paper field the sentence was read from.
SECTIONS = ("title", "abstract")


# Which Entity attribute lists the papers at the far end of each paper edge (kg.graph does the same).
_PAPER_EDGE_FIELDS = {"MENTIONS": "papers", "PROPOSES": "proposed_by"}


def paper_edge_fields(schema: Schema) -> dict[str, str]:
    """Paper edge name -> Entity attribute; fails loudly if the schema gains an edge the graph does not fill."""
    if set(schema.paper_edges) != set(_PAPER_EDGE_FIELDS):
        raise ValueError(
            f"paper edges {sorted(schema.paper_edges)} do not match the graph's {sorted(_PAPER_EDGE_FIELDS)}"
        )
    return {name: _PAPER_EDGE_FIELDS[name] for name in schema.paper_edges}


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
    # One prefix per kind of resource (model:bert, paper:2501-00001), named by its IRI path.
    for path in (schema.paper.iri_path, *(t.iri_path for t in schema.entity_types.values()), STATEMENT_PATH):
        bound.setdefault(path, f"{resources}{path}/")
    return bound
