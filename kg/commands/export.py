"""``kg export DIR --out FILE``: the graph as RDF (Turtle, JSON-LD or N-Triples).

Vocabulary, IRIs and the way evidence is attached are described in
``kg.rdf.export``; the formats offered are the entries of ``kg.rdf.formats.EXPORTERS``.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, NoReturn

import click

from kg.files import atomic_output, to_stdout
from kg.rdf.formats import DEFAULT_FORMAT, EXPORTERS, exporter_for

EXIT_BAD_INPUT = 1
BULK_FORMAT = "neo4j-import"
GRAPH_JSON = "graph.json"  # what kg build writes; kg.graph names it too, imported lazily there
# An absolute IRI: a scheme, then no character that IRIs forbid.
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")


def _fail(message: str) -> NoReturn:
    """One line on stderr and exit 1, as every kg command reports a failed run."""
    click.echo(f"kg: error: {message}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def _check_base_iri(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    if not _IRI.match(value):
        raise click.BadParameter(f"{value!r} is not an absolute IRI (e.g. https://example.org/kg/)")
    if not value.endswith(("/", "#")):
        raise click.BadParameter(f"{value!r} must end with '/' or '#', since resource paths are appended to it")
    return value


@click.command("export")
@click.argument("graph_dir", metavar="DIR", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "format_name",
    type=click.Choice([*EXPORTERS, BULK_FORMAT]),
    default=None,
    help=f"Output format  [default: from the --out suffix, else {DEFAULT_FORMAT}]. {BULK_FORMAT} writes a "
    "folder of CSV and header files for `neo4j-admin database import full` (big first loads).",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path, allow_dash=True),
    help="File to write; '-' writes to standard output.",
)
@click.option(
    "--base-iri",
    default=None,
    callback=_check_base_iri,
    help="Base IRI of papers, entities, statements and results  [default: the schema's base_iri]. "
    "The vocabulary (kgo:) keeps the schema's IRI so ontology.ttl and shapes.ttl still apply.",
)
def export(graph_dir: Path, format_name: str | None, out: Path, base_iri: str | None) -> None:
    """Export the graph in DIR (written by `kg build --out DIR`) as RDF.

    Each relation is a plain triple (model:x kgo:compresses model:y); each sentence
    that states it is an rdf:Statement node with prov:wasDerivedFrom the paper,
    kgo:sentence, offsets, confidence and support. The vocabulary is described by
    schemas/ontology.ttl and checked by schemas/shapes.ttl. N-Triples is streamed,
    so it suits graphs of any size; output is byte-identical run to run.
    """
    from kg.graph import KnowledgeGraph
    from kg.rdf.export import ExportStats

    exporter = EXPORTERS.get(format_name or "") or exporter_for(out.suffix) or EXPORTERS[DEFAULT_FORMAT]
    source = graph_dir / GRAPH_JSON if graph_dir.is_dir() else graph_dir
    if not source.is_file():
        _fail(f"{graph_dir}: no {GRAPH_JSON} here (write one with `kg build INPUTS --out {graph_dir}`)")
    try:
        graph = KnowledgeGraph.load(source)
    except OSError as exc:
        _fail(f"{source}: cannot read: {exc.strerror or exc}")
    except json.JSONDecodeError as exc:
        _fail(f"{source}: not a kg graph file: invalid JSON at line {exc.lineno}")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:  # another format, missing or extra fields
        _fail(f"{source}: not a kg graph file" + ("" if "kg graph" in str(exc) else f": {type(exc).__name__}: {exc}"))

    if format_name == BULK_FORMAT:
        _write_bulk(graph, out)
        return
    write = exporter.load()
    stats = ExportStats()
    if str(out) == "-":
        try:
            to_stdout(lambda: write(graph, click.get_binary_stream("stdout"), base_iri, stats))
        except OSError as exc:
            _fail(f"standard output: cannot write: {exc.strerror or exc}")
    else:
        _write_file(out, lambda stream: write(graph, stream, base_iri, stats))
    if stats.skipped_results:
        shown = "; ".join(stats.skipped_results[:5])
        click.echo(f"kg: left out {len(stats.skipped_results)} result(s) the schema does not allow: {shown}", err=True)
    if stats.skipped_relations:
        shown = "; ".join(stats.skipped_relations[:5])
        click.echo(
            f"kg: left out {len(stats.skipped_relations)} relation(s) the schema does not allow: {shown}", err=True
        )
    target = "standard output" if str(out) == "-" else str(out)
    click.echo(f"kg: wrote {stats.triples} triples ({exporter.name}) to {target}", err=True)


def _write_bulk(graph, out: Path) -> None:
    """CSV files for neo4j-admin into the folder ``out``, and the command that imports them."""
    from kg.neo4j.bulk import write_import_files

    if str(out) == "-" or (out.exists() and not out.is_dir()):
        _fail(f"{out}: --format {BULK_FORMAT} writes a folder; give a folder path")
    try:
        files = write_import_files(graph, out)
    except OSError as exc:
        _fail(f"{out}: cannot write: {exc.strerror or exc}")
    click.echo(f"kg: wrote neo4j-admin import files to {out}; import them into an empty database with:", err=True)
    click.echo(files.command_line())
    click.echo(
        f"kg: then, after the first start, run {files.post_import_file} once (constraints, empty lists)", err=True
    )


def _write_file(out: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write through a temporary file beside ``out`` and rename it, so a failed run leaves no half file."""
    try:
        with atomic_output(out, binary=True) as stream:
            write(stream)
    except OSError as exc:
        _fail(f"{out}: cannot write: {exc.strerror or exc}")
