"""CSV files for ``neo4j-admin database import full``: the fast first load of a big graph.

The Bolt writer (``kg.neo4j.writer``) merges in transactions and can add to a live
database; the offline importer writes the store files directly, which is far faster for
a first load, but only into an empty database. These files give the importer
exactly the nodes, labels, relationships and properties the Bolt writer would create
(the same row functions are used), so a database loaded either way is the same and later
loads can continue over Bolt.

Files: ``papers``, ``entities``, ``paper-edges`` (MENTIONS/PROPOSES) and ``relations``,
plus ``results``, ``result-reports`` and ``result-edges`` when the graph has stated
results, each a data file and a separate ``-header.csv``. Papers and entities live in their own
ID spaces (``id:ID(Paper)``, ``key:ID(Entity)``) since a paper id and an entity key may
coincide. Labels and relationship types come from the schema. Fields are separated by
commas; text is always quoted (quotes doubled, RFC 4180; backslashes mean nothing); an
absent value (``None``) is an unquoted empty field, which the importer leaves unset as
the writer does. Arrays are
joined with a control character that no element contains (U+001F unless the data holds
it), and ``--multiline-fields=true`` is asked for only when a value has a line break.

Two things the importer cannot express are done by ``post_import`` statements, run once
after the first start: the uniqueness constraints and indexes the writer creates, and
empty lists (an empty array field is read as "no value", while the writer stores ``[]``).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from kg.graph import Entity, KnowledgeGraph, Relation
from kg.neo4j.writer import ENTITY_LABEL, GraphWriter, _identifier, constraint_statements
from kg.schema import Schema, load_schema

DELIMITER = ","
QUOTE = '"'
#: Array delimiters in order of preference: control and private-use characters that no name should hold.
ARRAY_DELIMITERS = ("\x1f", "\x1e", "\x1d", "\x1c", *(chr(c) for c in range(0xE000, 0xE010)))
DEFAULT_READ_BUFFER = 4 * 1024 * 1024  # the importer's default; every field must fit in it
POST_IMPORT_FILE = "post-import.cypher"
ADMIN_TOOL_CLASS = "org.neo4j.cli.AdminTool"  # the neo4j-admin entry point, in neo4j-command-line
_BATCH = "IN TRANSACTIONS OF 10000 ROWS"

PAPER_COLUMNS = ("title", "abstract", "authors:string[]", "year:long", "url", "arxiv_id", "doi")
ENTITY_COLUMNS = ("name", "type", "aliases:string[]", "names_lower:string[]", "family")
RELATION_COLUMNS = (
    "papers:string[]",
    "support:long",
    "confidence:double",
    "evidence:string[]",
    "evidence_papers:string[]",
    "evidence_keys:string[]",
    "confidences:double[]",
)
RESULT_COLUMNS = (
    "value:double",
    "low:double",
    "unit",
    "setting",
    "relative:boolean",
    "sentence",
    "start:long",
    "end:long",
    "paper",
)
_RELATION_LISTS = ("papers", "evidence", "evidence_papers", "evidence_keys", "confidences")


@dataclass(frozen=True)
class ImportFiles:
    """What ``write_import_files`` wrote, and how to hand it to ``neo4j-admin``."""

    directory: Path
    nodes: tuple[tuple[Path, Path], ...]  # (header, data) per node file group
    relationships: tuple[tuple[Path, Path], ...]
    array_delimiter: str
    multiline: bool
    read_buffer_size: int | None  # set when a field is too big for the importer's default buffer
    counts: dict[str, int]  # rows written: papers, entities, paper_edges, relations, results, result_edges
    skipped: dict[str, int]  # rows the Bolt writer would not write either (unknown type, missing end)
    post_import: tuple[str, ...]  # Cypher to run once, in auto-commit transactions, after the first start
    post_import_file: Path
    delimiter: str = DELIMITER
    quote: str = QUOTE

    def arguments(self) -> list[str]:
        """The options of ``neo4j-admin database import full`` for these files (no database name)."""
        args = [f"--nodes={header},{data}" for header, data in self.nodes]
        args += [f"--relationships={header},{data}" for header, data in self.relationships]
        args += [
            f"--delimiter={_char_option(self.delimiter)}",
            f"--array-delimiter={_char_option(self.array_delimiter)}",
            f"--quote={_char_option(self.quote)}",
            "--id-type=string",
            "--legacy-style-quoting=false",
        ]
        if self.multiline:
            args.append("--multiline-fields=true")
        if self.read_buffer_size:
            args.append(f"--read-buffer-size={self.read_buffer_size}")
        return args

    def command(self, database: str = "neo4j", admin: str = "neo4j-admin") -> list[str]:
        """The full command as an argument list: ``neo4j-admin database import full ... <database>``."""
        return [*shlex.split(admin), "database", "import", "full", *self.arguments(), database]

    def command_line(self, database: str = "neo4j", admin: str = "neo4j-admin") -> str:
        """The command as one shell-quoted line, ready to paste."""
        return shlex.join(self.command(database, admin))


def _char_option(char: str) -> str:
    """A delimiter as the importer's options take it: itself when printable, else ``U+XXXX``."""
    if char == "\t":
        return "TAB"
    return char if char.isprintable() and not char.isspace() else f"U+{ord(char):04X}"


# ---------------------------------------------------------------------------- rows


def _paper_fields(paper, out: _Writer) -> tuple[str, ...]:
    """The paper properties the Bolt writer sets (``GraphWriter._paper_rows``), in PAPER_COLUMNS order."""
    year = None if paper.year is None else int(paper.year)
    return (
        out.text(paper.title),
        out.text(paper.abstract),
        out.strings(list(paper.authors or [])),
        out.number(year),
        out.optional(paper.url),
        out.optional(paper.arxiv_id),
        out.optional(paper.doi),
    )


def _entity_fields(entity: Entity, out: _Writer) -> tuple[str, ...]:
    """The entity properties the Bolt writer sets (``GraphWriter._entity_row``), in ENTITY_COLUMNS order."""
    row = GraphWriter._entity_row(entity)
    return (
        out.text(row["name"]),
        out.text(entity.type),
        out.strings(list(dict.fromkeys(row["aliases"]))),  # the writer adds each alias once
        out.strings(row["names_lower"]),
        out.optional(row["family"]),
    )


def _relation_fields(relation: Relation, out: _Writer) -> tuple[str, ...]:
    """papers, support, confidence and the parallel evidence lists, as the writer's Cypher computes them."""
    evidence = GraphWriter._relation_row(relation)["evidence"]
    evidence_papers = [e["paper"] for e in evidence]
    papers = list(dict.fromkeys(evidence_papers))
    confidences = [float(e["confidence"]) for e in evidence]
    return (
        out.strings(papers),
        repr(len(papers)),
        repr(max(confidences) if confidences else 1.0),  # as the writer: 1.0 for a relation derived without evidence
        out.strings([e["sentence"] for e in evidence]),
        out.strings(evidence_papers),
        out.strings([e["key"] for e in evidence]),
        out.numbers(confidences),
    )


def _result_fields(result, out: _Writer) -> tuple[str, ...]:
    """The result properties the Bolt writer sets (``_result_properties``), in RESULT_COLUMNS order."""
    return (
        out.number(float(result.value)),
        out.number(None if result.low is None else float(result.low)),
        out.optional(result.unit),
        out.optional(result.setting),
        "true" if result.relative else "false",
        out.text(result.sentence),
        out.number(int(result.start)),
        out.number(int(result.end)),
        out.optional(result.paper),
    )


class _Writer:
    """Formats fields for the importer and notes what the command line must say about them."""

    def __init__(self, array_delimiter: str) -> None:
        self.array_delimiter = array_delimiter
        self.multiline = False
        self.longest = 0

    @staticmethod
    def text(value: str) -> str:
        return QUOTE + value.replace(QUOTE, QUOTE + QUOTE) + QUOTE

    def optional(self, value: str | None) -> str:
        return "" if value is None else QUOTE + value.replace(QUOTE, QUOTE + QUOTE) + QUOTE

    @staticmethod
    def number(value: float | None) -> str:
        return "" if value is None else repr(value)

    def strings(self, values: list[str]) -> str:
        """An array field; empty is read as "no value" (post_import then sets the writer's [])."""
        if not values:
            return ""
        return QUOTE + self.array_delimiter.join(values).replace(QUOTE, QUOTE + QUOTE) + QUOTE

    def numbers(self, values: list[float]) -> str:
        return QUOTE + self.array_delimiter.join(map(repr, values)) + QUOTE if values else ""

    def row(self, handle: TextIO, fields: Iterable[str]) -> None:
        line = DELIMITER.join(fields)
        if not self.multiline and ("\n" in line or "\r" in line):
            self.multiline = True
        if len(line) > self.longest:
            self.longest = len(line)
            if len(line) * 4 > DEFAULT_READ_BUFFER // 2:  # worth counting bytes only near the limit
                self.longest = max(len(line), len(line.encode("utf-8")))
        handle.write(line)
        handle.write("\n")


def _array_strings(graph: KnowledgeGraph) -> Iterator[str]:
    for paper in graph.papers.values():
        yield from paper.authors or []
    for entity in graph.entities.values():
        yield entity.key
        yield entity.name
        yield from entity.aliases
    for relation in graph.relations.values():
        for evidence in relation.evidence:
            yield evidence.paper
            yield evidence.sentence
            yield evidence.section


def choose_array_delimiter(graph: KnowledgeGraph) -> str:
    """The first of ``ARRAY_DELIMITERS`` that no array element of the graph contains."""
    present: set[str] = set()
    for text in _array_strings(graph):
        if not text.isprintable():  # the candidates are all non-printable: skip the common case fast
            present.update(c for c in ARRAY_DELIMITERS if c in text)
    for candidate in ARRAY_DELIMITERS:
        if candidate not in present:
            return candidate
    raise ValueError("every candidate array delimiter occurs in the graph's names or evidence")


# ---------------------------------------------------------------------------- files


def _header(path: Path, columns: Iterable[str]) -> None:
    path.write_text(DELIMITER.join(columns) + "\n", encoding="utf-8")


def write_import_files(graph: KnowledgeGraph, out_dir: Path, schema: Schema | None = None) -> ImportFiles:
    """Write the graph as ``neo4j-admin database import full`` CSV files into ``out_dir``.

    Returns what was written with the exact command line (``ImportFiles.command_line()``)
    and the Cypher to run after the first start (also written to ``post-import.cypher``).
    Rows the Bolt writer would not write are left out and counted in ``skipped``: entities
    of a type the schema lacks, relations of such a type, and edges to a missing node.
    """
    schema = schema or load_schema()
    out_dir = Path(out_dir).resolve()
    if DELIMITER in str(out_dir):
        raise ValueError(f"{out_dir}: neo4j-admin separates files with commas; choose a folder without one")
    out_dir.mkdir(parents=True, exist_ok=True)
    paper_label = _identifier(schema.paper.label)
    entity_label = _identifier(ENTITY_LABEL)
    type_labels = {name: _identifier(spec.label) for name, spec in schema.entity_types.items()}
    relation_types = {name: _identifier(name) for name in schema.relation_types}
    edge_types = {name: _identifier(name) for name in schema.paper_edges}
    writer = _Writer(choose_array_delimiter(graph))
    counts = {"papers": 0, "entities": 0, "paper_edges": 0, "relations": 0, "results": 0, "result_edges": 0}
    skipped = {"entities": 0, "paper_edges": 0, "relations": 0, "result_edges": 0}
    empty_authors = empty_aliases = False
    empty_evidence: set[str] = set()
    paths = {
        name: (out_dir / f"{name}-header.csv", out_dir / f"{name}.csv")
        for name in ("papers", "entities", "paper-edges", "relations")
    }
    text = writer.text

    _header(paths["papers"][0], (f"id:ID({paper_label})", *PAPER_COLUMNS, ":LABEL"))
    paper_ids: dict[str, str] = {}  # id -> its quoted field, reused by every edge
    with paths["papers"][1].open("w", encoding="utf-8", newline="") as handle:
        for paper in graph.papers.values():
            fields = _paper_fields(paper, writer)
            empty_authors = empty_authors or not fields[2]
            paper_ids[paper.id] = quoted = text(paper.id)
            writer.row(handle, (quoted, *fields, paper_label))
            counts["papers"] += 1

    _header(paths["entities"][0], (f"key:ID({entity_label})", *ENTITY_COLUMNS, ":LABEL"))
    keys: dict[str, str] = {}  # key -> its quoted field, for the entities written
    with paths["entities"][1].open("w", encoding="utf-8", newline="") as handle:
        for entity in graph.entities.values():
            label = type_labels.get(entity.type)
            if label is None:
                skipped["entities"] += 1
                continue
            fields = _entity_fields(entity, writer)
            empty_aliases = empty_aliases or not fields[2]
            keys[entity.key] = quoted = text(entity.key)
            writer.row(handle, (quoted, *fields, text(writer.array_delimiter.join((entity_label, label)))))
            counts["entities"] += 1

    _header(paths["paper-edges"][0], (f":START_ID({paper_label})", f":END_ID({entity_label})", ":TYPE"))
    with paths["paper-edges"][1].open("w", encoding="utf-8", newline="") as handle:
        for edge, edge_type in edge_types.items():
            for entity in graph.entities.values():
                key = keys.get(entity.key)
                if key is None:
                    continue
                for paper_id in dict.fromkeys(getattr(entity, schema.paper_edges[edge].field)):
                    start = paper_ids.get(paper_id)
                    if start is None:  # the writer's MATCH finds no paper: no edge
                        skipped["paper_edges"] += 1
                        continue
                    writer.row(handle, (start, key, edge_type))
                    counts["paper_edges"] += 1

    _header(
        paths["relations"][0],
        (f":START_ID({entity_label})", f":END_ID({entity_label})", ":TYPE", *RELATION_COLUMNS),
    )
    with paths["relations"][1].open("w", encoding="utf-8", newline="") as handle:
        for relation in graph.relations.values():
            relation_type = relation_types.get(relation.type)
            head, tail = keys.get(relation.head), keys.get(relation.tail)
            if relation_type is None or head is None or tail is None:
                skipped["relations"] += 1
                continue
            fields = _relation_fields(relation, writer)
            if not fields[0]:
                empty_evidence.add(relation_type)
            writer.row(handle, (head, tail, relation_type, *fields))
            counts["relations"] += 1

    nodes, relationships = [paths["papers"], paths["entities"]], [paths["paper-edges"], paths["relations"]]
    result_spec = getattr(schema, "result", None)  # Result nodes, where the schema and graph have them
    results = getattr(graph, "results", None) or {}
    if result_spec is not None and results:
        result_files = _write_results(results, schema, out_dir, writer, paper_ids, keys, counts, skipped)
        nodes.append(result_files[0])
        relationships.extend(result_files[1:])

    post_import = [*constraint_statements(schema)]
    if empty_authors:
        post_import.append(
            f"MATCH (p:{paper_label}) WHERE p.authors IS NULL CALL (p) {{ SET p.authors = [] }} {_BATCH}"
        )
    if empty_aliases:
        post_import.append(
            f"MATCH (e:{entity_label}) WHERE e.aliases IS NULL CALL (e) {{ SET e.aliases = [] }} {_BATCH}"
        )
    for relation_type in sorted(empty_evidence):
        lists = ", ".join(f"r.{name} = []" for name in _RELATION_LISTS)
        post_import.append(
            f"MATCH ()-[r:{relation_type}]->() WHERE r.evidence_keys IS NULL CALL (r) {{ SET {lists} }} {_BATCH}"
        )
    post_file = out_dir / POST_IMPORT_FILE
    post_file.write_text(
        "// Run once after the first start of the imported database, each statement in an auto-commit\n"
        "// transaction (cypher-shell: prefix it with :auto; Python: session.run, or kg.neo4j.bulk.run_post_import).\n"
        "// Constraints and indexes as the Bolt writer creates them, then [] where the importer left a list unset.\n"
        + "".join(f"{statement};\n" for statement in post_import),
        encoding="utf-8",
    )
    buffer = None
    if writer.longest > DEFAULT_READ_BUFFER // 2:
        buffer = 1 << (writer.longest * 2 - 1).bit_length()
    return ImportFiles(
        directory=out_dir,
        nodes=tuple(nodes),
        relationships=tuple(relationships),
        array_delimiter=writer.array_delimiter,
        multiline=writer.multiline,
        read_buffer_size=buffer,
        counts=counts,
        skipped=skipped,
        post_import=tuple(post_import),
        post_import_file=post_file,
    )


def _write_results(
    results: dict,
    schema: Schema,
    out_dir: Path,
    writer: _Writer,
    paper_ids: dict[str, str],
    keys: dict[str, str],
    counts: dict[str, int],
    skipped: dict[str, int],
) -> list[tuple[Path, Path]]:
    """Result nodes, the edge from the paper that reports each, and the edges to the entities it is about.

    As the writer does: every result becomes a node, even when its paper or an entity is
    missing; only the edges to what exists are written.
    """
    label = _identifier(schema.result.label)  # type: ignore[attr-defined]
    paper_label, entity_label = _identifier(schema.paper.label), _identifier(ENTITY_LABEL)
    edges = list(schema.result_edges.values())  # type: ignore[attr-defined]
    reports = next((_identifier(e.name) for e in edges if e.from_paper), None)
    if reports is None or not all(isinstance(e.field, str) for e in edges):
        raise ValueError("the schema's result edges are malformed: one must come from the paper, each names a field")
    to_entities = [(_identifier(e.name), e.field) for e in edges if not e.from_paper]
    names = ("results", "result-reports", "result-edges")
    paths = [(out_dir / f"{name}-header.csv", out_dir / f"{name}.csv") for name in names]
    _header(paths[0][0], (f"id:ID({label})", *RESULT_COLUMNS, ":LABEL"))
    _header(paths[1][0], (f":START_ID({paper_label})", f":END_ID({label})", ":TYPE"))
    _header(paths[2][0], (f":START_ID({label})", f":END_ID({entity_label})", ":TYPE"))
    with (
        paths[0][1].open("w", encoding="utf-8", newline="") as node_file,
        paths[1][1].open("w", encoding="utf-8", newline="") as report_file,
        paths[2][1].open("w", encoding="utf-8", newline="") as edge_file,
    ):
        for result in results.values():
            result_id = writer.text(result.id)
            writer.row(node_file, (result_id, *_result_fields(result, writer), label))
            counts["results"] += 1
            paper = paper_ids.get(result.paper)
            if paper is None:
                skipped["result_edges"] += 1
            else:
                writer.row(report_file, (paper, result_id, reports))
                counts["result_edges"] += 1
            for edge_type, attribute in to_entities:
                target = getattr(result, attribute)
                if not target:
                    continue
                key = keys.get(target)
                if key is None:
                    skipped["result_edges"] += 1
                    continue
                writer.row(edge_file, (result_id, key, edge_type))
                counts["result_edges"] += 1
    return paths


def run_post_import(driver, files: ImportFiles, database: str | None = None) -> None:
    """Run ``files.post_import`` against the imported database, each in its own auto-commit transaction."""
    with driver.session(database=database) as session:
        for statement in files.post_import:
            session.run(statement).consume()


# ---------------------------------------------------------------------------- the local server


def import_into_local_server(
    files: ImportFiles,
    data_dir: Path,
    database: str = "neo4j",
    overwrite: bool = False,
    extra_args: Iterable[str] = (),
    timeout: float = 6 * 3600,
) -> str:
    """Run the import with the jars of the repository's ``neo4j-server/`` module into a data directory.

    ``data_dir`` is what ``kg neo4j start``/``kg.neo4j.server.start`` use (Neo4j home); the
    server must not be running on it, and the database must not exist unless ``overwrite``.
    Start the server afterwards and run ``run_post_import``. Returns the importer's report;
    raises ``kg.neo4j.server.ServerError`` with a one-line message if it fails.
    """
    from kg.neo4j.server import JVM_FLAGS, ServerError, ensure_built, resolve_data_dir, server_dir, status

    data_dir = resolve_data_dir(data_dir)
    if status(data_dir) is not None:
        raise ServerError(f"Neo4j is running on {data_dir}: stop it before importing (kg neo4j stop)")
    java = shutil.which("java")
    if java is None:
        raise ServerError("java not found on PATH: neo4j-admin import needs a JDK 17+")
    ensure_built()
    data_dir.mkdir(parents=True, exist_ok=True)
    classpath = str(server_dir() / "target" / "lib" / "*")
    flags = [flag for flag in JVM_FLAGS if not flag.startswith("-Xmx")]
    command = [java, *flags, "-cp", classpath, ADMIN_TOOL_CLASS, "database", "import", "full", *files.arguments()]
    command += [f"--report-file={data_dir / 'import.report'}", *extra_args]
    if overwrite:
        command.append("--overwrite-destination=true")
    command.append(database)
    env = {**os.environ, "NEO4J_HOME": str(data_dir)}
    env.pop("NEO4J_CONF", None)
    try:
        result = subprocess.run(
            command, cwd=data_dir, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired as exc:
        raise ServerError(f"neo4j-admin import took more than {timeout:.0f}s") from exc
    output = result.stdout + result.stderr
    if result.returncode != 0 or "IMPORT DONE" not in output:
        lines = [line.strip() for line in output.splitlines() if line.strip()]
        useful = [ln for ln in lines if "rror" in ln or "xception" in ln or "Caused by" in ln] or lines[-3:]
        raise ServerError(
            f"neo4j-admin import failed (exit code {result.returncode}): {' | '.join(useful[:4])[:600]}",
            log_tail=lines[-40:],
        )
    return output
