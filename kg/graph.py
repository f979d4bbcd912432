"""The knowledge graph: papers, canonical entities, and relations with their provenance.

``KnowledgeGraph`` is the hand-off between the build and every sink: it saves to
a JSON file that reloads losslessly, to GraphML for other tools, and converts
to a networkx ``MultiDiGraph`` for analytics. Names of node labels and edge
types come from the schema.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

import networkx as nx

from kg.extract.lexicon import Lexicon
from kg.files import atomic_output
from kg.model import Extraction, Mention, Paper, Result
from kg.resolve import Resolver, derived_family
from kg.schema import load_schema
from kg.text import fold, stable_hash

GRAPH_JSON = "graph.json"
GRAPH_ML = "graph.graphml"
FORMAT_VERSION = 1


@dataclass
class Entity:
    key: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    papers: list[str] = field(default_factory=list)
    proposed_by: list[str] = field(default_factory=list)
    family: str | None = None


@dataclass
class Evidence:
    paper: str
    sentence: str
    section: str
    start: int
    end: int
    confidence: float


@dataclass
class Relation:
    head: str
    type: str
    tail: str
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def papers(self) -> list[str]:
        return sorted({e.paper for e in self.evidence})

    @property
    def support(self) -> int:
        """How many papers state this relation."""
        return len(self.papers)

    @property
    def confidence(self) -> float:
        """The surest extraction of it; a relation derived from names and the lexicon has no evidence and 1.0."""
        return max((e.confidence for e in self.evidence), default=1.0)


@dataclass
class ResultRecord:
    """A stated result in the graph: entity ends are entity keys; the sentence is where the paper says it."""

    id: str
    paper: str
    subject: str
    metric: str | None
    dataset: str | None
    applied_to: str | None
    baseline: str | None
    value: float
    low: float | None
    unit: str | None
    setting: str | None
    relative: bool
    sentence: str
    start: int
    end: int


@dataclass
class KnowledgeGraph:
    papers: dict[str, Paper] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    relations: dict[tuple[str, str, str], Relation] = field(default_factory=dict)
    results: dict[str, ResultRecord] = field(default_factory=dict)

    # ---- building -------------------------------------------------------------------
    @classmethod
    def from_extractions(
        cls, extractions: Iterable[Extraction], resolver: Resolver, min_confidence: float = 0.0
    ) -> KnowledgeGraph:
        """Resolve every extraction's mentions to corpus entities and gather the relations.

        Keys and names are settled after all papers are seen, since a later paper can
        give an entity its long name.
        """
        schema = load_schema()
        allowed = {e.field: e.targets for e in schema.result_edges.values() if not e.from_paper}
        papers: dict[str, Paper] = {}
        pending: list[tuple[str, int, bool]] = []
        statements: list[tuple[str, int, str, int, Evidence]] = []
        results: list[tuple[Paper, dict[str, int | None], Result]] = []
        for extraction in extractions:
            paper = extraction.paper
            papers[paper.id] = paper
            local: dict[str, int] = {}
            for mention in extraction.mentions:
                entity = resolver.resolve(mention)
                local[mention.name] = entity.id
                pending.append((paper.id, entity.id, mention.proposed))
            for result in extraction.results:
                if result.metric and result.metric not in local:  # a metric named only by the result's wording
                    metric = resolver.resolve(Mention(result.metric, "METRIC"))
                    local[result.metric] = metric.id
                    pending.append((paper.id, metric.id, False))
                ends = {name: local.get(getattr(result, name) or "") for name in allowed}
                if ends["subject"] is not None:
                    results.append((paper, ends, result))
            for s in extraction.statements:
                if s.confidence < min_confidence or s.head not in local or s.tail not in local:
                    continue
                evidence = Evidence(paper.id, s.sentence, s.section, s.start, s.end, s.confidence)
                statements.append((paper.id, local[s.head], s.type, local[s.tail], evidence))
        graph = cls(papers=papers)
        keys: dict[int, str] = {}
        for canonical in resolver.entities:
            key = canonical.key or f"entity-{canonical.id}"
            while key in graph.entities:
                key += "_"
            keys[canonical.id] = key
            graph.entities[key] = Entity(
                key,
                canonical.name,
                canonical.type,
                sorted(set(canonical.forms) - {canonical.name}),
                family=canonical.family,
            )
        for paper_id, entity_id, proposed in pending:
            entity = graph.entities[keys[entity_id]]
            if paper_id not in entity.papers:
                entity.papers.append(paper_id)
            if proposed and paper_id not in entity.proposed_by:
                entity.proposed_by.append(paper_id)
        for _, head_id, relation_type, tail_id, evidence in statements:
            head, tail = graph.entities[keys[head_id]], graph.entities[keys[tail_id]]
            if head.key == tail.key or not schema.allows(relation_type, head.type, tail.type):
                continue
            relation = graph.relations.setdefault(
                (head.key, relation_type, tail.key), Relation(head.key, relation_type, tail.key)
            )
            relation.evidence.append(evidence)
        for paper, ends, result in results:
            keys_of = {
                name: keys[entity_id]
                if entity_id is not None and graph.entities[keys[entity_id]].type in allowed[name]
                else None
                for name, entity_id in ends.items()
            }
            if keys_of["subject"] is None:  # the schema's ends decide: a result is of a model or method
                continue
            record_id = stable_hash(f"{paper.id}|{result.start}|{result.sentence}|{keys_of}|{result.value}", 20)
            graph.results[record_id] = ResultRecord(
                record_id,
                paper.id,
                value=result.value,
                low=result.low,
                unit=result.unit,
                setting=result.setting,
                relative=result.relative,
                sentence=result.sentence,
                start=result.start,
                end=result.end,
                **keys_of,
            )
        graph.entities = {k: e for k, e in graph.entities.items() if e.papers}
        graph.add_families(resolver.lexicon)
        return graph

    def add_families(self, lexicon: Lexicon) -> None:
        """VARIANT_OF from each model to its family, never merging the variants themselves.

        The family is the lexicon's (LLaMA-2-7B -> LLaMA-2 -> LLaMA), else the name
        without its size or flavour suffix when that names a model the graph or the
        lexicon knows. Family nodes that no paper names are added, so every chain
        ends at its root. Cost: O(models x family depth).
        """
        relation_type = next(n for n, spec in load_schema().relation_types.items() if spec.derived)
        todo = [e for e in self.entities.values() if e.type == "MODEL"]
        while todo:
            entity = todo.pop()
            family = self._family_entity(entity, lexicon)
            if family is None or family.key == entity.key:
                continue
            entity.family = family.name
            key = (entity.key, relation_type, family.key)
            if key not in self.relations:
                self.relations[key] = Relation(entity.key, relation_type, family.key)
                todo.append(family)

    def _family_entity(self, entity: Entity, lexicon: Lexicon) -> Entity | None:
        entry = lexicon.lookup(entity.name)
        name = entry.family if entry is not None and entry.type == "MODEL" else entity.family
        if not name:
            name = derived_family(entity.name)
            known = name and (fold(name) in self.entities or lexicon.lookup(name) is not None)
            if not known:
                return None
        key = fold(name)
        if key in self.entities:
            return self.entities[key] if self.entities[key].type == "MODEL" else None
        family_entry = lexicon.lookup(name)
        if family_entry is None or family_entry.type != "MODEL":
            return None
        self.entities[key] = Entity(key, family_entry.name, "MODEL", family=family_entry.family)
        return self.entities[key]

    # ---- reading ----------------------------------------------------------------------
    def summary(self, top: int = 10) -> dict[str, Any]:
        """Counts per type and the most connected entities: what ``kg build`` prints."""
        degree: Counter = Counter()
        for head, _, tail in self.relations:
            degree[head] += 1
            degree[tail] += 1
        return {
            "papers": len(self.papers),
            "entities": len(self.entities),
            "relations": len(self.relations),
            "entities_per_type": dict(Counter(e.type for e in self.entities.values()).most_common()),
            "relations_per_type": dict(Counter(t for _, t, _ in self.relations).most_common()),
            "results": len(self.results),
            "most_connected": [
                {"name": self.entities[k].name, "type": self.entities[k].type, "degree": d}
                for k, d in degree.most_common(top)
            ],
        }

    def to_networkx(self) -> nx.MultiDiGraph:
        """Entities and papers as nodes; relations, MENTIONS and PROPOSES as keyed edges."""
        schema = load_schema()
        graph = nx.MultiDiGraph()
        for paper in self.papers.values():
            graph.add_node(f"paper:{paper.id}", kind=schema.paper.label, label=schema.paper.label, name=paper.title)
        for entity in self.entities.values():
            graph.add_node(
                entity.key,
                kind="Entity",
                label=schema.label(entity.type),
                type=entity.type,
                name=entity.name,
                aliases=entity.aliases,
                papers=entity.papers,
            )
            for edge in schema.paper_edges.values():
                for paper_id in getattr(entity, edge.field):
                    graph.add_edge(f"paper:{paper_id}", entity.key, key=edge.name, type=edge.name)
        for relation in self.relations.values():
            graph.add_edge(
                relation.head,
                relation.tail,
                key=relation.type,
                type=relation.type,
                support=relation.support,
                papers=relation.papers,
                confidence=relation.confidence,
                evidence=[e.sentence for e in relation.evidence],
            )
        return graph

    # ---- files ------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "kg-graph",
            "version": FORMAT_VERSION,
            "schema_version": load_schema().version,
            "papers": [p.to_dict() for p in sorted(self.papers.values(), key=lambda p: p.id)],
            "entities": [asdict(e) for e in sorted(self.entities.values(), key=lambda e: e.key)],
            "relations": [
                {"head": r.head, "type": r.type, "tail": r.tail, "evidence": [asdict(e) for e in r.evidence]}
                for r in sorted(self.relations.values(), key=lambda r: (r.head, r.type, r.tail))
            ],
            "results": [asdict(r) for r in sorted(self.results.values(), key=lambda r: (r.paper, r.start, r.id))],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> KnowledgeGraph:
        if data.get("format") != "kg-graph":
            raise ValueError("not a kg graph file")
        graph = cls()
        graph.papers = {p["id"]: Paper.from_dict(p) for p in data["papers"]}
        graph.entities = {e["key"]: Entity(**e) for e in data["entities"]}
        for r in data["relations"]:
            graph.relations[(r["head"], r["type"], r["tail"])] = Relation(
                r["head"], r["type"], r["tail"], [Evidence(**e) for e in r["evidence"]]
            )
        graph.results = {r["id"]: ResultRecord(**r) for r in data.get("results", [])}
        return graph

    def save(self, directory: Path) -> list[Path]:
        """Write ``graph.json`` (lossless) and ``graph.graphml`` into ``directory``."""
        directory.mkdir(parents=True, exist_ok=True)
        json_path, graphml_path = directory / GRAPH_JSON, directory / GRAPH_ML
        with atomic_output(json_path) as handle:
            self._write_json(handle)
        with atomic_output(graphml_path, binary=True) as handle:
            nx.write_graphml(_graphml_ready(self.to_networkx()), handle)  # incremental with lxml
        return [json_path, graphml_path]

    def _write_json(self, handle: IO[str]) -> None:
        """The ``to_dict`` document, one record a line, written record by record: no second copy in memory."""
        handle.write("{\n")
        header = {"format": "kg-graph", "version": FORMAT_VERSION, "schema_version": load_schema().version}
        for key, value in header.items():
            handle.write(f" {json.dumps(key)}: {json.dumps(value)},\n")
        sections = {
            "papers": (p.to_dict() for p in sorted(self.papers.values(), key=lambda p: p.id)),
            "entities": (asdict(e) for e in sorted(self.entities.values(), key=lambda e: e.key)),
            "relations": (
                {"head": r.head, "type": r.type, "tail": r.tail, "evidence": [asdict(e) for e in r.evidence]}
                for r in sorted(self.relations.values(), key=lambda r: (r.head, r.type, r.tail))
            ),
            "results": (asdict(r) for r in sorted(self.results.values(), key=lambda r: (r.paper, r.start, r.id))),
        }
        for number, (name, records) in enumerate(sections.items()):
            handle.write(f" {json.dumps(name)}: [")
            for index, record in enumerate(records):
                handle.write(("," if index else "") + "\n  " + json.dumps(record, ensure_ascii=False))
            handle.write("\n ]" + ("," if number < len(sections) - 1 else "") + "\n")
        handle.write("}\n")

    @classmethod
    def load(cls, directory: Path) -> KnowledgeGraph:
        """Read a graph written by ``save``; ``directory`` may also be the JSON file itself."""
        path = directory / GRAPH_JSON if directory.is_dir() else directory
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))


def _graphml_ready(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """GraphML holds scalars only: lists become JSON strings, None is left out (in place, no copy)."""

    def clean(attrs: dict) -> dict:
        return {
            k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
            for k, v in attrs.items()
            if v is not None
        }

    for _, attrs in graph.nodes(data=True):
        cleaned = clean(attrs)
        attrs.clear()
        attrs.update(cleaned)
    for _, _, attrs in graph.edges(data=True):
        cleaned = clean(attrs)
        attrs.clear()
        attrs.update(cleaned)
    return graph
