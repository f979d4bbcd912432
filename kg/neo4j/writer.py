"""Writing a ``KnowledgeGraph`` into Neo4j: idempotent, incremental, batched.

Constraints first (generated from the schema, kept in ``cypher/constraints.cypher``),
then ``UNWIND`` batches of ``MERGE`` in managed transactions, which the driver
retries on transient errors. Values always travel as parameters; only labels and
relationship types, which come from the schema and are checked to be plain
identifiers, are part of query text. Loading the same graph twice changes nothing;
loading new papers later merges aliases, evidence and support counts.

Node model: ``(:Paper {id})``, ``(:Entity:<TypeLabel> {key})`` with ``names_lower`` (key,
name and aliases in lower case, so queries find an entity by any of its names), ``(:Paper)-[:MENTIONS]->``
and ``-[:PROPOSES]->(:Entity)``, and one relationship per schema relation between
entities, carrying ``papers``, ``support``, ``confidence`` and the evidence as
parallel lists (``evidence``, ``evidence_papers``, ``evidence_keys``), since a
Neo4j property cannot hold a map.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from neo4j import Driver, GraphDatabase, ManagedTransaction
from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

from kg.graph import KnowledgeGraph
from kg.schema import Schema, load_schema

CYPHER_DIR = Path(__file__).resolve().parent.parent.parent / "cypher"
CONSTRAINTS_FILE = "constraints.cypher"
ENTITY_LABEL = "Entity"
DEFAULT_BATCH = 1000
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class Neo4jConnectionError(RuntimeError):
    """Neo4j cannot be reached or refuses us; the message is one line for the user."""


@dataclass(frozen=True)
class Connection:
    uri: str
    user: str
    password: str

    @classmethod
    def from_env(cls) -> Connection:
        """``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD``, defaulting to the local server."""
        from kg.neo4j.server import DEFAULT_BOLT_PORT, DEFAULT_PASSWORD, HOST, USER

        return cls(
            os.environ.get("NEO4J_URI") or f"bolt://{HOST}:{DEFAULT_BOLT_PORT}",
            os.environ.get("NEO4J_USER") or USER,
            os.environ.get("NEO4J_PASSWORD") or DEFAULT_PASSWORD,
        )


def connect(connection: Connection) -> Driver:
    """A verified driver, or ``Neo4jConnectionError`` saying plainly what is wrong."""
    driver = GraphDatabase.driver(connection.uri, auth=(connection.user, connection.password))
    try:
        driver.verify_connectivity()
    except AuthError as exc:
        driver.close()
        raise Neo4jConnectionError(
            f"Neo4j at {connection.uri} refused user {connection.user!r}: wrong password?"
        ) from exc
    except (ServiceUnavailable, OSError, ValueError) as exc:
        driver.close()
        raise Neo4jConnectionError(
            f"cannot reach Neo4j at {connection.uri} (start one with `kg neo4j start` or set NEO4J_URI)"
        ) from exc
    except Neo4jError as exc:
        driver.close()
        raise Neo4jConnectionError(f"Neo4j at {connection.uri}: {exc.message or exc}") from exc
    return driver


def _identifier(name: str) -> str:
    if not _IDENTIFIER.match(name):
        raise ValueError(f"schema name {name!r} is not a plain identifier")
    return name


def constraint_statements(schema: Schema | None = None) -> list[str]:
    """Uniqueness of Paper id and of entity keys, and lookup indexes, from the schema."""
    schema = schema or load_schema()
    paper = _identifier(schema.paper.label)
    result = _identifier(schema.result.label)
    statements = [
        f"CREATE CONSTRAINT paper_id IF NOT EXISTS FOR (p:{paper}) REQUIRE p.id IS UNIQUE",
        f"CREATE CONSTRAINT result_id IF NOT EXISTS FOR (r:{result}) REQUIRE r.id IS UNIQUE",
        f"CREATE CONSTRAINT entity_key IF NOT EXISTS FOR (e:{ENTITY_LABEL}) REQUIRE e.key IS UNIQUE",
        f"CREATE INDEX entity_name IF NOT EXISTS FOR (e:{ENTITY_LABEL}) ON (e.name)",
    ]
    for entity_type in schema.entity_types.values():
        label = _identifier(entity_type.label)
        statements.append(f"CREATE INDEX {label.lower()}_name IF NOT EXISTS FOR (e:{label}) ON (e.name)")
    return statements


def constraints_file_text(schema: Schema | None = None) -> str:
    """The text of ``cypher/constraints.cypher``, so the file can be checked against the schema."""
    header = "// Constraints and indexes, generated from schemas/schema.yaml by kg.neo4j.writer; run before loading.\n"
    return header + "".join(f"{statement};\n" for statement in constraint_statements(schema))


def _batches(rows: list[dict], size: int) -> Iterator[list[dict]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


@dataclass
class WriteCounts:
    papers: int = 0
    entities: int = 0
    paper_edges: int = 0
    relations: int = 0
    results: int = 0


class GraphWriter:
    """Writes graphs to one Neo4j database."""

    def __init__(self, driver: Driver, database: str | None = None, batch_size: int = DEFAULT_BATCH) -> None:
        self.driver = driver
        self.database = database
        self.batch_size = batch_size
        self.schema = load_schema()

    def ensure_constraints(self) -> None:
        with self.driver.session(database=self.database) as session:
            for statement in constraint_statements(self.schema):
                session.run(statement).consume()

    def write(self, graph: KnowledgeGraph, progress: Callable[[int], None] = lambda n: None) -> WriteCounts:
        """Merge the whole graph; ``progress`` is told how many rows each batch wrote."""
        self.ensure_constraints()
        counts = WriteCounts()
        counts.papers = self._run(self._paper_query(), self._paper_rows(graph), progress)
        for entity_type in self.schema.entity_types:
            rows = [self._entity_row(e) for e in graph.entities.values() if e.type == entity_type]
            counts.entities += self._run(self._entity_query(entity_type), rows, progress, type=entity_type)
        for edge in self.schema.paper_edges.values():
            rows = [
                {"paper": paper_id, "key": entity.key}
                for entity in graph.entities.values()
                for paper_id in getattr(entity, edge.field)
            ]
            counts.paper_edges += self._run(self._paper_edge_query(edge.name), rows, progress)
        for relation_type in self.schema.relation_types:
            rows = [self._relation_row(r) for r in graph.relations.values() if r.type == relation_type]
            counts.relations += self._run(self._relation_query(relation_type), rows, progress)
        rows = [asdict(r) for r in graph.results.values()]
        counts.results = self._run(self._result_query(), rows, progress)
        for edge in self.schema.result_edges.values():
            if not edge.from_paper:
                linked = [{"id": r["id"], "key": r[edge.field]} for r in rows if r[edge.field]]
                self._run(self._result_edge_query(edge.name), linked, progress)
        return counts

    def _run(self, query: str, rows: list[dict], progress: Callable[[int], None], **params: object) -> int:
        with self.driver.session(database=self.database) as session:
            for batch in _batches(rows, self.batch_size):
                session.execute_write(_write_batch, query, batch, params)
                progress(len(batch))
        return len(rows)

    # ---- rows -------------------------------------------------------------------------
    @staticmethod
    def _paper_rows(graph: KnowledgeGraph) -> list[dict]:
        return [
            {
                "id": p.id,
                "title": p.title,
                "abstract": p.abstract,
                "authors": p.authors,
                "year": p.year,
                "url": p.url,
                "arxiv_id": p.arxiv_id,
                "doi": p.doi,
            }
            for p in graph.papers.values()
        ]

    @staticmethod
    def _entity_row(entity) -> dict:
        names = [entity.key, entity.name.lower(), *(a.lower() for a in entity.aliases)]
        return {
            "key": entity.key,
            "name": entity.name,
            "aliases": entity.aliases,
            "family": entity.family,
            "names_lower": list(dict.fromkeys(names)),
        }

    @staticmethod
    def _relation_row(relation) -> dict:
        return {
            "head": relation.head,
            "tail": relation.tail,
            "evidence": [
                {
                    "key": f"{e.paper}|{e.section}|{e.start}|{e.end}",
                    "paper": e.paper,
                    "sentence": e.sentence,
                    "confidence": e.confidence,
                }
                for e in relation.evidence
            ],
        }

    # ---- queries (labels and types from the schema; values as parameters) ---------------
    def _paper_query(self) -> str:
        return (
            f"UNWIND $rows AS row MERGE (p:{_identifier(self.schema.paper.label)} {{id: row.id}}) "
            "SET p.title = row.title, p.abstract = row.abstract, p.authors = row.authors, p.year = row.year, "
            "p.url = row.url, p.arxiv_id = row.arxiv_id, p.doi = row.doi"
        )

    def _entity_query(self, entity_type: str) -> str:
        label = _identifier(self.schema.entity_types[entity_type].label)
        others = [_identifier(t.label) for name, t in self.schema.entity_types.items() if name != entity_type]
        return (
            f"UNWIND $rows AS row MERGE (e:{ENTITY_LABEL} {{key: row.key}}) "
            f"REMOVE e:{':'.join(others)} SET e:{label} "
            "SET e.name = row.name, e.type = $type, e.family = row.family, "
            "e.aliases = reduce(acc = coalesce(e.aliases, []), a IN row.aliases | "
            "CASE WHEN a IN acc THEN acc ELSE acc + a END), "
            "e.names_lower = reduce(acc = coalesce(e.names_lower, []), a IN row.names_lower | "
            "CASE WHEN a IN acc THEN acc ELSE acc + a END)"
        )

    def _paper_edge_query(self, edge: str) -> str:
        return (
            f"UNWIND $rows AS row MATCH (p:{_identifier(self.schema.paper.label)} {{id: row.paper}}) "
            f"MATCH (e:{ENTITY_LABEL} {{key: row.key}}) MERGE (p)-[:{_identifier(edge)}]->(e)"
        )

    def _result_query(self) -> str:
        """Result nodes, and the paper that reports each (the schema's edge from the paper)."""
        result, paper = _identifier(self.schema.result.label), _identifier(self.schema.paper.label)
        reports = next(e.name for e in self.schema.result_edges.values() if e.from_paper)
        return (
            f"UNWIND $rows AS row MERGE (r:{result} {{id: row.id}}) SET {_result_properties()} "
            f"WITH r, row MATCH (p:{paper} {{id: row.paper}}) MERGE (p)-[:{_identifier(reports)}]->(r)"
        )

    def _result_edge_query(self, edge: str) -> str:
        result = _identifier(self.schema.result.label)
        return (
            f"UNWIND $rows AS row MATCH (r:{result} {{id: row.id}}) MATCH (e:{ENTITY_LABEL} {{key: row.key}}) "
            f"MERGE (r)-[:{_identifier(edge)}]->(e)"
        )

    def _relation_query(self, relation_type: str) -> str:
        return (
            f"UNWIND $rows AS row MATCH (h:{ENTITY_LABEL} {{key: row.head}}) "
            f"MATCH (t:{ENTITY_LABEL} {{key: row.tail}}) "
            f"MERGE (h)-[r:{_identifier(relation_type)}]->(t) "
            "WITH r, [ev IN row.evidence WHERE NOT ev.key IN coalesce(r.evidence_keys, [])] AS fresh "
            "SET r.evidence_keys = coalesce(r.evidence_keys, []) + [ev IN fresh | ev.key], "
            "r.evidence = coalesce(r.evidence, []) + [ev IN fresh | ev.sentence], "
            "r.evidence_papers = coalesce(r.evidence_papers, []) + [ev IN fresh | ev.paper], "
            "r.confidences = coalesce(r.confidences, []) + [ev IN fresh | ev.confidence] "
            "WITH r SET r.papers = reduce(acc = [], p IN r.evidence_papers | "
            "CASE WHEN p IN acc THEN acc ELSE acc + p END), "
            # No evidence means derived from names and the lexicon (VARIANT_OF): confidence 1.0, as in kg.graph.
            "r.confidence = CASE WHEN size(r.confidences) = 0 THEN 1.0 "
            "ELSE reduce(m = 0.0, c IN r.confidences | CASE WHEN c > m THEN c ELSE m END) END "
            "SET r.support = size(r.papers)"
        )


def _result_properties() -> str:
    return ", ".join(
        f"r.{name} = row.{name}"
        for name in ("value", "low", "unit", "setting", "relative", "sentence", "start", "end", "paper")
    )


def _write_batch(tx: ManagedTransaction, query: str, rows: list[dict], params: dict) -> None:
    tx.run(query, params, rows=rows).consume()
