"""Build, start, stop and inspect kg's local Neo4j server.

The server is the small Maven module ``neo4j-server/`` at the root of the repository: an
embedded Neo4j 5.26 Community DBMS (Bolt on 127.0.0.1, auth always on, user ``neo4j``)
and optionally Neo4j Browser over HTTP. It runs as a detached background JVM:

* everything lives under one data directory (default ``$KG_NEO4J_HOME`` or
  ``~/.local/share/kg/neo4j``): the stores (``data/``), Neo4j's own logs (``logs/``),
  the launcher's output (``neo4j.log``), the pid (``neo4j.pid``) and the connection
  details (``neo4j.json``, mode 0600);
* the password of ``neo4j`` is ``$NEO4J_PASSWORD`` or :data:`DEFAULT_PASSWORD`
  (``kg-dev-password``); it is (re)applied at every start, so the one given wins;
* extra JVM options can be given in ``$KG_NEO4J_JAVA_OPTS`` (they come after the
  defaults, e.g. ``-Xmx1g`` overrides ``-Xmx512m``).

Typical use::

    info = start(Path("/tmp/kg-neo4j"), bolt_port=7687)
    # GraphDatabase.driver(info.uri, auth=(info.user, info.password))
    stop(Path("/tmp/kg-neo4j"))
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import fcntl
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import kg

USER = "neo4j"
DEFAULT_PASSWORD = "kg-dev-password"
DEFAULT_BOLT_PORT = 7687
HOST = "127.0.0.1"

PID_FILE = "neo4j.pid"
LOG_FILE = "neo4j.log"
STATE_FILE = "neo4j.json"
LOCK_FILE = ".neo4j.lock"

JAR_NAME = "kg-neo4j-server.jar"
READY_MARK = "kg-neo4j-server: READY"
FAILED_MARK = "kg-neo4j-server: FAILED"

#: JVM flags for the launcher (a subset of what Neo4j's own scripts use on Java 17).
JVM_FLAGS: tuple[str, ...] = (
    "-Xmx512m",
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
)

_LOG_ROTATE_BYTES = 10 * 1024 * 1024

Progress = Callable[[str], None]

# Launchers started by this Python process, so they can be reaped (no zombies).
_children: dict[int, subprocess.Popen[bytes]] = {}


class ServerError(RuntimeError):
    """A problem with the local Neo4j server; ``str(e)`` is a one-line message.

    ``log_tail`` holds the last lines of ``neo4j.log`` when they are relevant.
    """

    def __init__(self, message: str, log_tail: list[str] | None = None) -> None:
        super().__init__(" ".join(message.split("\n")))
        self.log_tail: list[str] = log_tail or []


@dataclass(frozen=True)
class ServerInfo:
    """Where a Neo4j server listens and how to log in.

    ``pid`` and ``data_dir`` are ``None`` for an external server (e.g. ``$NEO4J_URI``);
    ``http_url`` is the Neo4j Browser URL, ``None`` when not served.
    ``already_running`` is True when :func:`start` found the server already up.
    """

    uri: str
    user: str
    password: str
    pid: int | None
    data_dir: Path | None
    http_url: str | None = None
    already_running: bool = False

    @property
    def bolt_port(self) -> int:
        """The Bolt port taken from ``uri``."""
        return int(self.uri.rsplit(":", 1)[1].split("/")[0])


# ---------------------------------------------------------------- locations & defaults


def server_dir() -> Path:
    """The ``neo4j-server/`` Maven module (``$KG_NEO4J_SERVER_DIR`` overrides)."""
    override = os.environ.get("KG_NEO4J_SERVER_DIR")
    if override:
        return Path(override).expanduser().resolve()
    return Path(kg.__file__).resolve().parent.parent / "neo4j-server"


def launcher_jar() -> Path:
    """Path of the launcher jar (it exists only once built)."""
    return server_dir() / "target" / JAR_NAME


def default_data_dir() -> Path:
    """``$KG_NEO4J_HOME`` or ``~/.local/share/kg/neo4j``."""
    home = os.environ.get("KG_NEO4J_HOME")
    return Path(home).expanduser() if home else Path.home() / ".local" / "share" / "kg" / "neo4j"


def default_password() -> str:
    """``$NEO4J_PASSWORD`` or the development default ``kg-dev-password``."""
    return os.environ.get("NEO4J_PASSWORD") or DEFAULT_PASSWORD


def resolve_data_dir(data_dir: Path | str | None = None) -> Path:
    """``data_dir`` made absolute, or the default data directory."""
    return Path(data_dir).expanduser().resolve() if data_dir is not None else default_data_dir().resolve()


# ---------------------------------------------------------------- building


def _newest_source_mtime(module: Path) -> float:
    newest = (module / "pom.xml").stat().st_mtime
    for path in (module / "src").rglob("*"):
        if path.is_file():
            newest = max(newest, path.stat().st_mtime)
    return newest


def _is_built(module: Path) -> bool:
    jar = module / "target" / JAR_NAME
    lib = module / "target" / "lib"
    if not jar.is_file() or not lib.is_dir() or not any(lib.glob("neo4j-5.*.jar")):
        return False
    return jar.stat().st_mtime >= _newest_source_mtime(module)


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _require_java() -> str:
    java = shutil.which("java")
    if java is None:
        raise ServerError(
            "java not found on PATH: the local Neo4j server needs a JDK 17+ "
            "(e.g. apt-get install openjdk-17-jdk-headless)"
        )
    return java


def ensure_built(progress: Progress | None = None) -> Path:
    """Build the launcher with Maven if it is missing or older than its sources.

    Returns the launcher jar. Raises :class:`ServerError` if ``java``/``mvn`` are
    missing or the build fails. Safe to call from several processes at once.
    """
    _require_java()
    module = server_dir()
    if not (module / "pom.xml").is_file():
        raise ServerError(f"Neo4j server module not found at {module} (expected neo4j-server/pom.xml)")
    if _is_built(module):
        return module / "target" / JAR_NAME
    with _file_lock(module / "target" / ".build.lock"):
        if _is_built(module):  # built by someone else meanwhile
            return module / "target" / JAR_NAME
        mvn = shutil.which("mvn")
        if mvn is None:
            raise ServerError(
                "mvn not found on PATH: building the local Neo4j server needs Maven 3.8+ (e.g. apt-get install maven)"
            )
        cmd = [mvn, "-q", "-B", "package", "-DskipTests"]
        if progress:
            progress(
                f"Building the Neo4j launcher in {module} (once, and after it changes; on a fresh "
                "machine this downloads ~150 MB from Maven Central)..."
            )
        try:
            result = subprocess.run(
                cmd,
                cwd=module,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                timeout=1800,
            )
        except subprocess.TimeoutExpired as exc:
            raise ServerError(f"'{' '.join(cmd)}' in {module} took more than 30 minutes") from exc
        jar = module / "target" / JAR_NAME
        if result.returncode == 0 and jar.is_file():
            jar.touch()  # mark it as newer than the sources even if Maven left it as it was
        if result.returncode != 0 or not _is_built(module):
            lines = [ln.strip() for ln in result.stdout.splitlines() if ln.strip()]
            lines = [_strip_ansi(ln) for ln in lines]
            errors = [ln for ln in lines if "ERROR" in ln and "Help " not in ln and ln != "[ERROR]"]
            compile_errors = [ln for ln in errors if ".java:" in ln]
            detail = (compile_errors or errors or lines or ["no output"])[0]
            raise ServerError(
                f"building the Neo4j launcher failed (mvn exit code {result.returncode}): "
                f"{detail[:400]} (run 'mvn -B package' in {module} for details)",
                log_tail=lines[-40:],
            )
    return module / "target" / JAR_NAME


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


# ---------------------------------------------------------------- processes & files


def _pid_alive(pid: int) -> bool:
    proc = _children.get(pid)
    if proc is not None:
        if proc.poll() is None:
            return True
        _children.pop(pid, None)
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (exited, not yet reaped by its parent) is not running
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _is_our_launcher(pid: int, data_dir: Path) -> bool:
    """True if ``pid`` is a launcher for ``data_dir`` (guards against pid reuse)."""
    if not Path("/proc/self").exists():  # no /proc (e.g. macOS): trust the pid file
        return True
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except FileNotFoundError:  # gone
        return False
    except OSError:
        return True
    text = [a.decode(errors="replace") for a in args]
    return any(a.endswith(JAR_NAME) for a in text) and str(data_dir) in text


def _read_pid(data_dir: Path) -> int | None:
    try:
        return int((data_dir / PID_FILE).read_text().strip())
    except (OSError, ValueError):
        return None


def _read_state(data_dir: Path) -> dict:
    try:
        return json.loads((data_dir / STATE_FILE).read_text())
    except (OSError, ValueError):
        return {}


def _write_private(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    os.replace(tmp, path)


def _remove_run_files(data_dir: Path) -> None:
    for name in (PID_FILE, STATE_FILE):
        with contextlib.suppress(FileNotFoundError):
            (data_dir / name).unlink()


def _info_from_state(state: dict, data_dir: Path, pid: int) -> ServerInfo:
    return ServerInfo(
        uri=state.get("uri") or f"bolt://{HOST}:{DEFAULT_BOLT_PORT}",
        user=state.get("user") or USER,
        password=state.get("password") or default_password(),
        pid=pid,
        data_dir=data_dir,
        http_url=state.get("http_url"),
    )


def _port_in_use(port: int) -> bool:
    """True if something listens on 127.0.0.1:``port`` (or the port cannot be bound)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return True
            raise
    return False


def _tail(path: Path, start: int = 0, lines: int = 15) -> list[str]:
    try:
        with open(path, "rb") as handle:
            handle.seek(start)
            text = handle.read().decode(errors="replace")
    except OSError:
        return []
    return [ln.rstrip() for ln in text.splitlines() if ln.strip()][-lines:]


def _summarize(tail: list[str]) -> str:
    """One line out of a log tail: the launcher's FAILED line if any, else the last lines."""
    for line in reversed(tail):
        if FAILED_MARK in line:
            return line.split(FAILED_MARK, 1)[1].strip()
    useful = [ln.strip() for ln in tail if not ln.lstrip().startswith(("at ", "..."))]
    return " | ".join(useful[-4:]) or "no output"


# ---------------------------------------------------------------- public API


def status(data_dir: Path | str | None = None) -> ServerInfo | None:
    """Info of the server running for ``data_dir``, or ``None`` if none is running.

    A stale pid file (the process is gone) is removed.
    """
    data_dir = resolve_data_dir(data_dir)
    pid = _read_pid(data_dir)
    if pid is None:
        return None
    if not _pid_alive(pid) or not _is_our_launcher(pid, data_dir):
        _remove_run_files(data_dir)
        return None
    return _info_from_state(_read_state(data_dir), data_dir, pid)


def start(
    data_dir: Path | str | None = None,
    bolt_port: int = DEFAULT_BOLT_PORT,
    password: str | None = None,
    http_port: int | None = None,
    timeout: float = 120,
    progress: Progress | None = None,
) -> ServerInfo:
    """Start the local Neo4j server in the background and wait until Bolt accepts logins.

    ``data_dir`` defaults to :func:`default_data_dir`, ``password`` to
    :func:`default_password`. Builds the launcher first if needed (not counted in
    ``timeout``). If a server already runs for ``data_dir`` its info is returned with
    ``already_running=True``. Raises :class:`ServerError` if a port is taken by another
    process, the server dies while starting (with the last log lines) or is not ready
    within ``timeout`` seconds (it is then stopped).
    """
    data_dir = resolve_data_dir(data_dir)
    password = password if password is not None else default_password()
    if len(password) < 8:
        raise ServerError("the Neo4j password must be at least 8 characters long")
    if http_port is not None and http_port == bolt_port:
        raise ServerError("the Bolt and HTTP ports must differ")
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ServerError(f"cannot create the data directory {data_dir}: {exc.strerror}") from exc

    with _file_lock(data_dir / LOCK_FILE):
        running = status(data_dir)
        if running is not None:
            return dataclasses.replace(running, already_running=True)

        for name, port in (("Bolt", bolt_port), ("HTTP", http_port)):
            if port is not None and _port_in_use(port):
                raise ServerError(
                    f"{name} port {port} on {HOST} is already in use by another process; "
                    "choose another port or stop that process"
                )

        jar = ensure_built(progress)
        java = _require_java()
        log_path = data_dir / LOG_FILE
        if log_path.exists() and log_path.stat().st_size > _LOG_ROTATE_BYTES:
            os.replace(log_path, log_path.with_name(LOG_FILE + ".1"))

        cmd = [
            java,
            *JVM_FLAGS,
            *shlex.split(os.environ.get("KG_NEO4J_JAVA_OPTS", "")),
            "-jar",
            str(jar),
            "--data",
            str(data_dir),
            "--bolt-port",
            str(bolt_port),
        ]
        if http_port is not None:
            cmd += ["--http-port", str(http_port)]
        env = dict(os.environ, KG_NEO4J_PASSWORD=password)  # not on the command line (ps)

        with open(log_path, "ab") as log:
            log.write(
                f"\n=== {time.strftime('%Y-%m-%d %H:%M:%S')} kg neo4j start: "
                f"{' '.join(shlex.quote(c) for c in cmd)}\n".encode()
            )
            log.flush()
            offset = log.tell()
            try:
                proc = subprocess.Popen(
                    cmd,
                    cwd=data_dir,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    close_fds=True,
                )
            except OSError as exc:
                raise ServerError(f"cannot run java: {exc}") from exc
        _children[proc.pid] = proc

        uri = f"bolt://{HOST}:{bolt_port}"
        http_url = f"http://{HOST}:{http_port}/browser/" if http_port is not None else None
        state = {
            "pid": proc.pid,
            "uri": uri,
            "user": USER,
            "password": password,
            "http_url": http_url,
            "data_dir": str(data_dir),
            "ready": False,
            "started_at": time.time(),
        }
        (data_dir / PID_FILE).write_text(f"{proc.pid}\n")
        _write_private(data_dir / STATE_FILE, json.dumps(state, indent=2))
        if progress:
            progress(f"Starting Neo4j (pid {proc.pid}, log {log_path})...")

        try:
            _wait_ready(proc, uri, password, log_path, offset, timeout)
        except BaseException:
            _terminate(proc.pid, timeout=30)
            _remove_run_files(data_dir)
            raise
        state["ready"] = True
        _write_private(data_dir / STATE_FILE, json.dumps(state, indent=2))
        return ServerInfo(uri=uri, user=USER, password=password, pid=proc.pid, data_dir=data_dir, http_url=http_url)


def _wait_ready(
    proc: subprocess.Popen[bytes], uri: str, password: str, log_path: Path, offset: int, timeout: float
) -> None:
    """Wait for the launcher's READY line, then for a successful Bolt login."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, ServiceUnavailable

    deadline = time.monotonic() + timeout
    ready_line = False
    last_error = "no READY line yet"
    while True:
        code = proc.poll()
        if code is not None:
            tail = _tail(log_path, offset, 30)
            raise ServerError(
                f"Neo4j exited while starting (exit code {code}): {_summarize(tail)} (full log: {log_path})",
                log_tail=tail,
            )
        if not ready_line:
            ready_line = any(READY_MARK in ln for ln in _tail(log_path, offset, 50))
        if ready_line:
            try:
                with GraphDatabase.driver(uri, auth=(USER, password), connection_timeout=5) as driver:
                    driver.verify_connectivity()
                return
            except AuthError as exc:
                raise ServerError(f"Neo4j started but rejected the password for user {USER}: {exc.message}") from exc
            except (ServiceUnavailable, OSError) as exc:
                last_error = str(exc)
        if time.monotonic() > deadline:
            tail = _tail(log_path, offset, 30)
            raise ServerError(
                f"Neo4j did not accept Bolt logins at {uri} within {timeout:.0f}s "
                f"({last_error}); last log lines: {_summarize(tail)} (full log: {log_path})",
                log_tail=tail,
            )
        time.sleep(0.25)


def _terminate(pid: int, timeout: float) -> bool:
    """SIGTERM ``pid``, wait up to ``timeout`` s, then SIGKILL. True if it exited on SIGTERM."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        _children.pop(pid, None)
        return True
    clean = _wait_exit(pid, timeout)
    if not clean:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        _wait_exit(pid, 15)
    _children.pop(pid, None)
    return clean


def _wait_exit(pid: int, timeout: float) -> bool:
    proc = _children.get(pid)
    if proc is not None:
        try:
            proc.wait(timeout)
            return True
        except subprocess.TimeoutExpired:
            return False
    deadline = time.monotonic() + timeout
    while _pid_alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def stop(data_dir: Path | str | None = None, timeout: float = 60) -> bool:
    """Stop the server running for ``data_dir``: SIGTERM, wait for a clean shutdown, SIGKILL
    after ``timeout`` seconds. Removes the pid file. Returns False if none was running.
    """
    data_dir = resolve_data_dir(data_dir)
    info = status(data_dir)
    if info is None or info.pid is None:
        _remove_run_files(data_dir)
        return False
    _terminate(info.pid, timeout)
    _remove_run_files(data_dir)
    return True
