"""The local Neo4j server (kg.neo4j.server and `kg neo4j ...`) against a real server."""

from __future__ import annotations

import json
import os
import socket
import urllib.request
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError

from kg.commands.neo4j_server import neo4j_group
from kg.neo4j import server
from kg.neo4j.server import ServerError, ServerInfo

pytestmark = pytest.mark.neo4j


@pytest.fixture
def local_server(neo4j_server: ServerInfo) -> ServerInfo:
    """The session server, when it is the local one (not $NEO4J_URI)."""
    if neo4j_server.data_dir is None:
        pytest.skip("uses an external server ($NEO4J_URI); these tests need the local one")
    return neo4j_server


def _query(info: ServerInfo, cypher: str, password: str | None = None, **params: object) -> list[dict]:
    with GraphDatabase.driver(info.uri, auth=(info.user, password or info.password)) as driver:
        records, _, _ = driver.execute_query(cypher, params)
    return [r.data() for r in records]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_bolt_answers_with_the_password(neo4j_server: ServerInfo) -> None:
    assert _query(neo4j_server, "RETURN 1 AS x") == [{"x": 1}]


def test_writes_are_readable(neo4j_server: ServerInfo) -> None:
    key = uuid.uuid4().hex
    _query(neo4j_server, "CREATE (:KgServerTest {key: $key, n: 42})", key=key)
    try:
        assert _query(neo4j_server, "MATCH (t:KgServerTest {key: $key}) RETURN t.n AS n", key=key) == [{"n": 42}]
    finally:
        _query(neo4j_server, "MATCH (t:KgServerTest {key: $key}) DELETE t", key=key)


def test_wrong_password_is_rejected(neo4j_server: ServerInfo) -> None:
    with (
        GraphDatabase.driver(neo4j_server.uri, auth=(neo4j_server.user, "not-the-password")) as driver,
        pytest.raises(AuthError),
    ):
        driver.verify_connectivity()


def test_status_reports_the_running_server(local_server: ServerInfo) -> None:
    info = server.status(local_server.data_dir)
    assert info is not None
    assert (info.uri, info.user, info.password, info.pid) == (
        local_server.uri,
        local_server.user,
        local_server.password,
        local_server.pid,
    )
    assert (local_server.data_dir / server.PID_FILE).read_text().strip() == str(local_server.pid)
    assert _port_open(info.bolt_port)


def test_start_again_returns_the_running_server(local_server: ServerInfo) -> None:
    again = server.start(local_server.data_dir, bolt_port=local_server.bolt_port, password=local_server.password)
    assert again.already_running
    assert again.pid == local_server.pid and again.uri == local_server.uri


def test_port_taken_by_another_process_is_a_clear_error(local_server: ServerInfo, tmp_path: Path) -> None:
    with pytest.raises(ServerError, match=rf"port {local_server.bolt_port} .*already in use"):
        server.start(tmp_path / "other", bolt_port=local_server.bolt_port)
    assert not (tmp_path / "other" / server.PID_FILE).exists()


def test_cli_status_exit_codes(local_server: ServerInfo, tmp_path: Path) -> None:
    runner = CliRunner()
    running = runner.invoke(neo4j_group, ["status", "--data-dir", str(local_server.data_dir)])
    assert running.exit_code == 0, running.output
    assert local_server.uri in running.output and str(local_server.pid) in running.output

    stopped = runner.invoke(neo4j_group, ["status", "--data-dir", str(tmp_path / "nothing-here")])
    assert stopped.exit_code == 1
    assert "not running" in stopped.output


def test_server_dying_during_start_reports_the_log(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KG_NEO4J_JAVA_OPTS", "-XX:+NoSuchJvmFlag")
    with pytest.raises(ServerError, match="exited while starting.*NoSuchJvmFlag") as err:
        server.start(tmp_path, bolt_port=free_port(), timeout=60)
    assert "\n" not in str(err.value)
    assert server.status(tmp_path) is None
    assert not (tmp_path / server.PID_FILE).exists()


def test_cli_start_stop_restart_with_browser(tmp_path: Path) -> None:
    """A separate server: CLI start (with Browser), data survives stop + restart, stop."""
    if os.environ.get("NEO4J_URI"):
        pytest.skip("uses an external server ($NEO4J_URI)")
    data_dir, bolt, http = tmp_path / "db", free_port(), free_port()
    password = "second-server-pw"
    runner = CliRunner()

    started = runner.invoke(
        neo4j_group,
        ["start", "--data-dir", str(data_dir), "--port", str(bolt), "--http-port", str(http), "--password", password],
    )
    try:
        assert started.exit_code == 0, started.output
        assert f"bolt://127.0.0.1:{bolt}" in started.output
        assert f"http://127.0.0.1:{http}/browser/" in started.output
        info = server.status(data_dir)
        assert info is not None and info.http_url == f"http://127.0.0.1:{http}/browser/"

        # Neo4j Browser and the discovery document that points it at Bolt.
        with urllib.request.urlopen(info.http_url, timeout=10) as resp:
            assert resp.status == 200 and "<title>Neo4j Browser</title>" in resp.read().decode()
        req = urllib.request.Request(f"http://127.0.0.1:{http}/", headers={"Accept": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            assert json.load(resp)["bolt_direct"] == f"bolt://127.0.0.1:{bolt}"

        _query(info, "CREATE (:KgServerTest {key: 'persisted'})")

        stopped = runner.invoke(neo4j_group, ["stop", "--data-dir", str(data_dir)])
        assert stopped.exit_code == 0 and "stopped" in stopped.output
        assert server.status(data_dir) is None
        assert not (data_dir / server.PID_FILE).exists()
        assert not _port_open(bolt) and not _port_open(http)
        assert "stopped cleanly" in (data_dir / server.LOG_FILE).read_text()
        status = runner.invoke(neo4j_group, ["status", "--data-dir", str(data_dir)])
        assert status.exit_code == 1 and "not running" in status.output

        # Second start on the existing data dir, same password: logins work, data is there.
        again = server.start(data_dir, bolt_port=bolt, password=password)
        assert not again.already_running and again.http_url is None
        assert _query(again, "MATCH (t:KgServerTest) RETURN t.key AS key") == [{"key": "persisted"}]
    finally:
        server.stop(data_dir)
    assert server.status(data_dir) is None
    assert not server.stop(data_dir)
