"""Linked data: RDF export of the graph, and the OWL ontology and SHACL shapes that describe it.

Everything here is derived from ``schemas/schema.yaml``: ``vocab`` turns schema
names into IRIs, ``export`` writes Turtle, JSON-LD or streamed N-Triples,
``ontology`` and ``shapes`` generate ``schemas/ontology.ttl`` and
``schemas/shapes.ttl`` (regenerate with ``python -m kg.rdf``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kg.schema import schemas_dir

if TYPE_CHECKING:  # rdflib is imported on use, so `kg --help` stays quick
    from rdflib import Graph

ONTOLOGY_FILE = "ontology.ttl"
SHAPES_FILE = "shapes.ttl"
SPARQL_DIR = "sparql"


def canonical_turtle(graph: Graph, header: str) -> bytes:
    """Turtle with blank nodes relabelled canonically, so regenerating an unchanged file gives the same bytes."""
    from rdflib import Graph
    from rdflib.compare import to_canonical_graph

    canonical = Graph(bind_namespaces="none")
    for prefix, namespace in graph.namespaces():
        canonical.bind(prefix, namespace)
    for triple in to_canonical_graph(graph):
        canonical.add(triple)
    comment = "".join(f"# {line}\n".replace("# \n", "#\n") for line in header.splitlines())
    return comment.encode() + b"\n" + canonical.serialize(format="turtle", encoding="utf-8")


def generated_files() -> dict[Path, Graph]:
    """The committed linked-data files and the graphs they must be isomorphic to."""
    from kg.rdf.ontology import build_ontology
    from kg.rdf.shapes import build_shapes

    folder = schemas_dir()
    return {folder / ONTOLOGY_FILE: build_ontology(), folder / SHAPES_FILE: build_shapes()}
