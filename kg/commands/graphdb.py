"""``kg load`` and ``kg query``: the graph in Neo4j, written and asked."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from tqdm import tqdm

from kg.graph import KnowledgeGraph


def _fail(message: str) -> None:
    click.echo(f"kg: error: {message}", err=True)
    sys.exit(1)


def connection_options(command):
    """--uri/--user/--password, defaulting to NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD or the local server."""
    command = click.option("--database", default=None, help="Neo4j database name (default: the server's default).")(
        command
    )
    command = click.option("--password", envvar="NEO4J_PASSWORD", default=None, help="Password [env NEO4J_PASSWORD].")(
        command
    )
    command = click.option("--user", envvar="NEO4J_USER", default=None, help="User [env NEO4J_USER; default neo4j].")(
        command
    )
    return click.option(
        "--uri", envvar="NEO4J_URI", default=None, help="Bolt URI [env NEO4J_URI; default the local server]."
    )(command)


def open_driver(uri: str | None, user: str | None, password: str | None):
    """A connected driver, or a one-line error and exit 1."""
    from kg.neo4j.writer import Connection, Neo4jConnectionError, connect

    defaults = Connection.from_env()
    try:
        return connect(Connection(uri or defaults.uri, user or defaults.user, password or defaults.password))
    except Neo4jConnectionError as exc:
        _fail(str(exc))


def write_to_neo4j(graph: KnowledgeGraph, uri, user, password, database, batch_size: int) -> None:
    """Write a graph with a progress bar and print what was merged."""
    from neo4j.exceptions import Neo4jError

    from kg.neo4j.writer import GraphWriter

    driver = open_driver(uri, user, password)
    total = len(graph.papers) + len(graph.entities) + len(graph.relations)
    total += sum(len(e.papers) + len(e.proposed_by) for e in graph.entities.values()) + len(graph.results)
    try:
        with driver, tqdm(total=total, desc="neo4j", unit=" rows", disable=not sys.stderr.isatty()) as bar:
            counts = GraphWriter(driver, database, batch_size).write(graph, bar.update)
    except Neo4jError as exc:
        _fail(f"Neo4j rejected the write: {exc.message or exc}")
    click.echo(
        f"neo4j: merged {counts.papers} papers, {counts.entities} entities, "
        f"{counts.paper_edges} paper links, {counts.relations} relations, {counts.results} results"
    )


@click.command()
@click.argument("graph_dir", type=click.Path(path_type=Path))
@click.option("--neo4j", "to_neo4j", is_flag=True, required=True, help="Write to Neo4j (the one target for now).")
@click.option("--batch-size", default=1000, show_default=True, type=click.IntRange(1), help="Rows per transaction.")
@connection_options
def load(graph_dir: Path, to_neo4j: bool, batch_size: int, uri, user, password, database) -> None:
    """Load a graph built by `kg build` into Neo4j.

    Safe to repeat: a second load of the same graph changes nothing, and a graph
    with new papers merges into what is there (aliases, evidence and support
    counts grow; nothing is duplicated). Connects to NEO4J_URI, or to the local
    server started with `kg neo4j start`.
    """
    try:
        graph = KnowledgeGraph.load(graph_dir)
    except (OSError, ValueError, KeyError) as exc:
        _fail(f"{graph_dir}: not a graph built by `kg build` ({exc.__class__.__name__}: {exc})")
    write_to_neo4j(graph, uri, user, password, database, batch_size)


@click.command()
@click.argument("name", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE", help="A query parameter; repeatable.")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries with what they answer.")
@click.option("--json", "as_json", is_flag=True, help="Print rows as JSON Lines instead of a table.")
@connection_options
def query(name, params, list_queries, as_json, uri, user, password, database) -> None:
    """Run a named query from the library in cypher/queries/ and print a table.

    Example: kg query compressors-of-model --param model=ResNet-50
    """
    from neo4j.exceptions import Neo4jError

    from kg.neo4j.queries import QueryError, get_query, load_queries, run_query

    if list_queries or not name:
        for named in load_queries().values():
            click.echo(f"{named.name}\n    {named.answers}")
            for key, text in named.params.items():
                click.echo(f"    --param {key}=...   {text}")
        return
    given = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.UsageError(f"--param takes KEY=VALUE, not {item!r}")
        given[key.strip()] = value
    try:
        named = get_query(name)
        named.check(given)
    except QueryError as exc:
        _fail(str(exc))
    driver = open_driver(uri, user, password)
    try:
        with driver:
            rows = run_query(driver, named, given, database)
    except Neo4jError as exc:
        _fail(f"query {name!r} failed: {exc.message or exc}")
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False, default=str))
        return
    click.echo(format_rows(named.returns, rows))
    click.echo(f"({len(rows)} rows)")


def format_rows(columns: list[str], rows: list[dict], width: int = 48) -> str:
    """A plain text table; long cells are cut to ``width`` characters."""

    def cell(value) -> str:
        text = ", ".join(map(str, value)) if isinstance(value, list) else "" if value is None else str(value)
        text = " ".join(text.split())
        return text if len(text) <= width else text[: width - 1] + "…"

    table = [[cell(row.get(c)) for c in columns] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in table)]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in table]
    return "\n".join(lines)
