"""``kg neo4j start|stop|status``: manage the local Neo4j server (see kg.neo4j.server)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn, TypeVar

import click

from kg.neo4j import server

F = TypeVar("F", bound=Callable[..., object])

_DATA_DIR_HELP = (
    "Directory holding the databases, logs, neo4j.log, neo4j.pid and neo4j.json "
    "[default: $KG_NEO4J_HOME or ~/.local/share/kg/neo4j]."
)


def _data_dir_option(func: F) -> F:
    return click.option(
        "--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None, help=_DATA_DIR_HELP
    )(func)


def _fail(message: str) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def _describe(info: server.ServerInfo) -> list[str]:
    lines = [f"  Bolt:     {info.uri}  (user {info.user})"]
    if info.http_url:
        lines.append(f"  Browser:  {info.http_url}  (connect URL {info.uri})")
    lines.append(f"  Data dir: {info.data_dir}  (log: {Path(str(info.data_dir)) / server.LOG_FILE})")
    if info.password == server.DEFAULT_PASSWORD:
        lines.append(f"  Password: {server.DEFAULT_PASSWORD} (the development default)")
    lines.append(f"  For kg:   export NEO4J_URI={info.uri} NEO4J_USER={info.user} NEO4J_PASSWORD=...")
    return lines


@click.group("neo4j")
def neo4j_group() -> None:
    """Run a local Neo4j server (Neo4j 5 Community, embedded) for kg.

    The server is built from the neo4j-server/ Maven module on first use (needs
    java 17+ and mvn), runs in the background and listens on 127.0.0.1 only. Its
    files live in one data directory ($KG_NEO4J_HOME or ~/.local/share/kg/neo4j).
    Log in as user neo4j with the password given to `start` ($NEO4J_PASSWORD or
    kg-dev-password).
    """


@neo4j_group.command("start")
@_data_dir_option
@click.option(
    "--port",
    "--bolt-port",
    type=click.IntRange(1, 65535),
    default=server.DEFAULT_BOLT_PORT,
    show_default=True,
    help="Bolt port on 127.0.0.1.",
)
@click.option(
    "--http-port",
    type=click.IntRange(1, 65535),
    default=None,
    help="Also serve Neo4j Browser at http://127.0.0.1:PORT/browser/ [default: off].",
)
@click.option(
    "--password",
    default=None,
    help="Password of user neo4j, set at every start (min. 8 characters) "
    "[default: $NEO4J_PASSWORD or kg-dev-password].",
)
@click.option(
    "--timeout",
    type=float,
    default=120,
    show_default=True,
    help="Seconds to wait for the server to accept logins (not counting the first build).",
)
def start_cmd(data_dir: Path | None, port: int, http_port: int | None, password: str | None, timeout: float) -> None:
    """Start the local Neo4j server in the background.

    Builds the launcher with Maven if needed, starts it detached (output in
    DATA_DIR/neo4j.log, pid in DATA_DIR/neo4j.pid) and waits until Bolt accepts a
    login. If it is already running for that data directory, says so and prints
    where it listens. Fails if the port is used by another process.
    """
    try:
        info = server.start(
            data_dir,
            bolt_port=port,
            password=password,
            http_port=http_port,
            timeout=timeout,
            progress=lambda msg: click.echo(msg, err=True),
        )
    except server.ServerError as exc:
        _fail(str(exc))
    except Exception as exc:  # never show a traceback
        _fail(f"{type(exc).__name__}: {exc}")
    if info.already_running:
        click.echo(f"Neo4j is already running (pid {info.pid}).")
        if info.bolt_port != port:
            click.echo(f"  Note: it listens on port {info.bolt_port}, not {port}; stop it first to change.")
    else:
        click.echo(f"Neo4j is running (pid {info.pid}).")
    for line in _describe(info):
        click.echo(line)


@neo4j_group.command("stop")
@_data_dir_option
@click.option(
    "--timeout",
    type=float,
    default=60,
    show_default=True,
    help="Seconds to wait for a clean shutdown before killing the server.",
)
def stop_cmd(data_dir: Path | None, timeout: float) -> None:
    """Stop the local Neo4j server (clean shutdown via SIGTERM).

    Waits until the server has flushed its stores and exited; kills it after
    --timeout seconds. Prints "not running" (exit 0) if there was nothing to stop.
    """
    try:
        stopped = server.stop(data_dir, timeout=timeout)
    except server.ServerError as exc:
        _fail(str(exc))
    except Exception as exc:
        _fail(f"{type(exc).__name__}: {exc}")
    click.echo("Neo4j stopped." if stopped else "Neo4j is not running.")


@neo4j_group.command("status")
@_data_dir_option
def status_cmd(data_dir: Path | None) -> None:
    """Show whether the local Neo4j server runs and where it listens.

    Exit code 0 when running, 1 when not running.
    """
    try:
        info = server.status(data_dir)
    except server.ServerError as exc:
        _fail(str(exc))
    except Exception as exc:
        _fail(f"{type(exc).__name__}: {exc}")
    if info is None:
        click.echo(f"Neo4j is not running (data dir {server.resolve_data_dir(data_dir)}).")
        sys.exit(1)
    click.echo(f"Neo4j is running (pid {info.pid}).")
    for line in _describe(info):
        click.echo(line)
