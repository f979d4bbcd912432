"""Stable, readable IRIs for papers, entities and reified statements.

``<base>resource/<iri_path>/<slug>``: the slug of an entity's canonical name (or of
a paper's id), so an IRI reads like the thing it names and is the same on every
run. Two entities of one type whose names give the same slug are told apart by a
short hash of their unique key; if one of them is the plain ASCII spelling (its
key is the slug without hyphens) it keeps the bare slug, so adding an accented
look-alike later does not rename it. Statement IRIs hash the relation and the
evidence's position, so they never depend on the order of a run. A result is
``<base>resource/<result iri_path>/<id>``: its id is already a stable hash of what
it states (kg.graph), percent-encoded should a hand-edited graph give another.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from urllib.parse import quote

from rdflib import URIRef

from kg.graph import Evidence, KnowledgeGraph
from kg.rdf.vocab import RESOURCE_PATH, STATEMENT_PATH
from kg.schema import Schema, load_schema
from kg.text import slugify, stable_hash

SUFFIX_LENGTHS = (8, 16, 40)


def _disambiguate(
    items: Callable[[], Iterable[tuple[str, str, str]]], owns: Callable[[str, str], bool]
) -> dict[tuple[str, str], str]:
    """Slugs for the (group, key, slug) items that share a slug within their group; the rest keep theirs.

    ``items`` is called twice rather than listed, and only the exceptions are kept,
    so the minter holds little beyond the graph it names.
    """
    counts = Counter((group, slug) for group, _, slug in items())
    shared = {group_slug for group_slug, count in counts.items() if count > 1}
    exceptions: dict[tuple[str, str], str] = {}
    taken: set[tuple[str, str]] = set()
    for group, key, slug in sorted(item for item in items() if (item[0], item[2]) in shared):
        if owns(key, slug):
            continue
        for length in SUFFIX_LENGTHS:
            candidate = f"{slug}-{stable_hash(key, length)}"
            if (group, candidate) not in counts and (group, candidate) not in taken:
                break
        taken.add((group, candidate))
        exceptions[group, key] = candidate
    return exceptions


class Iris:
    """Mints the IRI of every paper, entity, statement and result of one graph under one base IRI."""

    def __init__(self, graph: KnowledgeGraph, base_iri: str | None = None, schema: Schema | None = None) -> None:
        self.schema = schema or load_schema()
        self.base = (base_iri or self.schema.base_iri) + RESOURCE_PATH
        self._graph = graph
        self._entities = _disambiguate(
            lambda: ((e.type, e.key, slugify(e.name)) for e in graph.entities.values()),
            owns=lambda key, slug: slug.replace("-", "") == key,
        )
        self._papers = _disambiguate(
            lambda: (("", p.id, slugify(p.id)) for p in graph.papers.values()), owns=lambda key, slug: key == slug
        )

    def entity(self, key: str) -> URIRef:
        entity = self._graph.entities[key]
        slug = self._entities.get((entity.type, key)) or slugify(entity.name)
        return URIRef(f"{self.base}{self.schema.entity_types[entity.type].iri_path}/{slug}")

    def paper(self, paper_id: str) -> URIRef:
        slug = self._papers.get(("", paper_id)) or slugify(paper_id)
        return URIRef(f"{self.base}{self.schema.paper.iri_path}/{slug}")

    def statement(self, head: str, relation_type: str, tail: str, evidence: Evidence) -> URIRef:
        """One IRI per stating of a triple in a paper: hash of the triple's keys and the sentence's place."""
        parts = (head, relation_type, tail, evidence.paper, evidence.section, str(evidence.start), str(evidence.end))
        return URIRef(f"{self.base}{STATEMENT_PATH}/{stable_hash(chr(31).join(parts), 20)}")

    def result(self, result_id: str) -> URIRef:
        """The id as it is when IRI-safe (kg.graph's are hex), else percent-encoded: one IRI per id either way."""
        return URIRef(f"{self.base}{self.schema.result.iri_path}/{quote(result_id, safe='', errors='surrogatepass')}")
