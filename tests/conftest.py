"""Shared pytest fixtures.

Neo4j: tests that need a database take the session-scoped ``neo4j_server`` fixture
(a :class:`kg.neo4j.server.ServerInfo`) and are marked ``@pytest.mark.neo4j``
(deselect them with ``-m "not neo4j"``). By default the fixture builds (first time
only) and starts the repository's local Neo4j server on a free port with a temporary
data directory, and stops it at the end of the session. If ``$NEO4J_URI`` is set, that
external server is used instead (with ``$NEO4J_USER``/``$NEO4J_PASSWORD``) and nothing
is started: tests then write to that database.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.graph import KnowledgeGraph
from kg.neo4j.server import DEFAULT_PASSWORD, USER, ServerError, ServerInfo, start, stop

TEST_NEO4J_PASSWORD = "kg-test-password"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "neo4j: needs a Neo4j server (the local one started once per session, or $NEO4J_URI)",
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerInfo]:
    """A running Neo4j server for the whole test session (see the module docstring)."""
    uri = os.environ.get("NEO4J_URI")
    if uri:
        yield ServerInfo(
            uri=uri,
            user=os.environ.get("NEO4J_USER") or USER,
            password=os.environ.get("NEO4J_PASSWORD") or DEFAULT_PASSWORD,
            pid=None,
            data_dir=None,
        )
        return
    data_dir = tmp_path_factory.mktemp("neo4j")
    try:
        info = start(data_dir, bolt_port=free_port(), password=TEST_NEO4J_PASSWORD, timeout=180)
    except ServerError as exc:
        pytest.fail(f"could not start the local Neo4j server: {exc}", pytrace=False)
    try:
        yield info
    finally:
        stop(data_dir)


SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The seed listings built once per session with `kg build`: (graph folder, printed summary)."""
    if not SEEDS.is_dir():
        pytest.skip("shared/seeds is not beside the project")
    out = tmp_path_factory.mktemp("seed-graph")
    result = subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", str(SEEDS), "--out", str(out), "--json-summary"],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, result.stderr
    return out, json.loads(result.stdout[: result.stdout.rindex("}") + 1])


@pytest.fixture(scope="session")
def seed_graph(seed_build: tuple[Path, dict]) -> KnowledgeGraph:
    """The seed graph, loaded."""
    return KnowledgeGraph.load(seed_build[0])
