"""`kg view`: the page's data, the command, and the page itself in headless Chromium.

The browser tests drive Debian's `chromium` over the DevTools protocol (the
`websocket-client` package): they load the page from a file, collect console
errors and uncaught exceptions, read `window.kgStats`, click through search,
filters and details, and take a screenshot. They are skipped, saying why, when
chromium or websocket-client is missing.

Run this file as a script to screenshot a graph folder:
`python tests/test_view.py GRAPH_DIR OUT.png [--max-nodes N]` (how docs/viewer.png is made).
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.commands.view import VENDOR_JS, render_html, view, view_data
from kg.graph import Entity, Evidence, KnowledgeGraph, Relation
from kg.model import Paper
from kg.schema import load_schema

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "kg" / "data" / "sample"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-extensions",
    "--hide-scrollbars",
]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


# ---- a small graph made by hand: every feature of the page, no build needed ---------------


def tiny_graph() -> KnowledgeGraph:
    schema = load_schema()
    types = list(schema.entity_types)
    rel = list(schema.relation_types)
    graph = KnowledgeGraph()
    graph.papers = {
        "p1": Paper("p1", "Pruning <b>BERT</b> & friends", "We prune BERT. It beats DistilBERT.", year=2024),
        "p2": Paper("p2", "Second paper", "DistilBERT runs on a GPU."),
    }
    model, method, hardware = types[0], types[1], next(t for t in types if "HARD" in t)
    graph.entities = {
        "bert": Entity("bert", "BERT", model, ["BERT-base", "bert"], ["p1"]),
        "distilbert": Entity("distilbert", "DistilBERT", model, [], ["p1", "p2"]),
        "pruning": Entity("pruning", "pruning", method, ["network pruning"], ["p1"], ["p1"]),
        "gpu": Entity("gpu", "GPU", hardware, [], ["p2"]),
        "lonely": Entity("lonely", "Lonely </script> entity", method, [], ["p2"]),
    }
    ev = lambda paper, text: Evidence(paper, text, "abstract", 0, len(text), 0.85)  # noqa: E731
    for head, kind, tail, paper, text in [
        ("pruning", rel[0], "bert", "p1", "We prune BERT."),
        ("bert", "OUTPERFORMS", "distilbert", "p1", "It beats DistilBERT."),
        ("distilbert", "RUNS_ON", "gpu", "p2", "DistilBERT runs on a GPU."),
    ]:
        graph.relations[(head, kind, tail)] = Relation(head, kind, tail, [ev(paper, text)])
    return graph


# ---- the data and the HTML, no browser -------------------------------------------------------


def test_view_data_colours_and_counts_come_from_the_schema():
    data = view_data(tiny_graph())
    schema = load_schema()
    assert {t["name"]: t["color"] for t in data["types"]} == {n: s.color for n, s in schema.entity_types.items()}
    assert [r["name"] for r in data["relations"]] == list(schema.relation_types)
    assert len(data["nodes"]) == 5 and len(data["edges"]) == 3
    assert data["stats"]["omitted"] == 0
    bert = next(n for n in data["nodes"] if n["key"] == "bert")
    assert bert["aliases"] == ["BERT-base", "bert"] and bert["papers"] == ["p1"]
    beats = next(e for e in data["edges"] if e["type"] == "OUTPERFORMS")
    assert beats["evidence"][0]["sentence"] == "It beats DistilBERT."
    assert data["papers"]["p1"]["year"] == 2024


def test_max_nodes_keeps_the_most_connected_and_counts_the_rest():
    data = view_data(tiny_graph(), max_nodes=2)
    assert {n["key"] for n in data["nodes"]} == {"bert", "distilbert"}
    assert data["stats"]["omitted"] == 3
    assert [e["type"] for e in data["edges"]] == ["OUTPERFORMS"]


def test_papers_become_nodes_on_request():
    data = view_data(tiny_graph(), papers=True)
    schema = load_schema()
    paper_nodes = [n for n in data["nodes"] if n["type"] == schema.paper.name]
    assert len(paper_nodes) == 2
    assert {r["name"] for r in data["relations"]} >= set(schema.paper_edges)
    assert data["types"][-1]["color"] == schema.paper.color


def test_page_is_self_contained_and_script_safe():
    page = render_html(tiny_graph(), title="A <title>")
    assert "<title>A &lt;title&gt;</title>" in page
    assert not re.search(r"<script[^>]+src=", page) and not re.search(r"<link[^>]+href=", page)
    assert "sourceMappingURL" not in page
    data_block = page.split('<script id="kg-data" type="application/json">', 1)[1].split("</script>", 1)[0]
    assert "</script" not in data_block.lower() and "<b>" not in data_block
    names = {n["key"]: n["name"] for n in json.loads(data_block)["nodes"]}
    assert names["lonely"] == "Lonely </script> entity"
    assert page.count("__KG_") == 0


def test_no_schema_colour_or_type_name_is_typed_into_the_viewer():
    """Colours and type names come from the schema at run time; none is copied into the viewer's code."""
    from kg.commands import view as view_module

    sources = [VENDOR_JS.parent.parent / n for n in ("viewer.js", "viewer.css", "template.html")]
    text = "\n".join(p.read_text() for p in [*sources, Path(view_module.__file__)]).lower()
    schema = load_schema()
    for spec in [schema.paper, *schema.entity_types.values()]:
        assert spec.color.lower() not in text
    for name in schema.entity_types:
        assert f'"{name.lower()}"' not in text


def parse_grass(text: str) -> dict[str, dict[str, str]]:
    """GraSS read the way Neo4j Browser reads it: selector { prop: value; ... }, quotes kept out."""
    rules: dict[str, dict[str, str]] = {}
    keyword, props, inside_props, inside_string, inside_binding = "", "", False, False, False
    for c in text:
        if c in "'\"":
            inside_string = not inside_string
            continue
        if c == "{" and not inside_string:
            inside_binding, inside_props = (True, inside_props) if inside_props else (inside_binding, True)
            continue
        if c == "}" and not inside_string:
            if inside_binding:
                inside_binding = False
            else:
                inside_props = False
                rules[keyword] = dict(
                    tuple(part.strip() for part in prop.split(":")) for prop in props.split(";") if prop.count(":") == 1
                )
                keyword, props = "", ""
            continue
        if inside_props:
            props += c
        elif not c.isspace():
            keyword += c
    return rules


def test_neo4j_browser_style_matches_the_schema():
    from kg.commands.view import neo4j_browser_style

    grass = ROOT / "cypher" / "style.grass"
    assert grass.read_text() == neo4j_browser_style(), "regenerate cypher/style.grass (see its docstring)"
    rules = parse_grass(grass.read_text())
    schema = load_schema()
    assert rules["node.Paper"]["color"] == schema.paper.color and rules["node.Paper"]["caption"] == "{title}"
    for spec in schema.entity_types.values():
        rule = rules[f"node.{spec.label}"]
        assert rule["color"] == spec.color and rule["caption"] == "{name}"
    assert set(rules) == {"node", "relationship", "node.Entity", "node.Paper"} | {
        f"node.{t.label}" for t in schema.entity_types.values()
    }


def test_vendored_library_has_its_licence():
    vendor = VENDOR_JS.parent
    assert VENDOR_JS.stat().st_size > 100_000
    assert (vendor / "LICENSE-MIT").is_file() and (vendor / "LICENSE-APACHE-2.0").is_file()
    assert (vendor / "VERSION").read_text().startswith("vis-network ")


def test_view_command_writes_the_page_and_reports_errors(tmp_path):
    graph_dir = tmp_path / "g"
    tiny_graph().save(graph_dir)
    runner = CliRunner()
    result = runner.invoke(view, [str(graph_dir), "--out", str(tmp_path / "out" / "v.html"), "--max-nodes", "2"])
    assert result.exit_code == 0, result.output
    assert "3 left out" in result.output and (tmp_path / "out" / "v.html").stat().st_size > 100_000
    result = runner.invoke(view, [str(graph_dir)])
    assert result.exit_code == 0 and (graph_dir / "graph.html").is_file()
    for args in ([str(tmp_path / "missing")], [str(tmp_path)], [str(graph_dir), "--out", str(graph_dir / "x" / "y")]):
        if args[-1].endswith("y"):
            (graph_dir / "x").write_text("a file where a folder should be")
        result = runner.invoke(view, args)
        assert result.exit_code == 1, args
        assert result.output.startswith("kg: error: ") and result.output.count("\n") == 1
        assert "Traceback" not in result.output


def test_view_is_a_kg_subcommand_once_registered():
    from kg.cli import main

    if "view" not in main.commands:
        pytest.skip("kg.cli does not register `view` yet (main.add_command(view))")
    assert main.commands["view"] is view


# ---- the page in headless Chromium -----------------------------------------------------------


class Browser:
    """Headless Chromium driven over the DevTools protocol: just what these tests need."""

    def __init__(self, width: int = 1400, height: int = 900):
        import websocket  # websocket-client

        binary = chromium_path()
        assert binary
        self.profile = tempfile.mkdtemp(prefix="kg-chromium-")
        self.process = subprocess.Popen(
            [
                binary,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={self.profile}",
                "--remote-debugging-port=0",
                "--remote-debugging-address=127.0.0.1",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.is_file() and port_file.read_text().count("\n") >= 1):
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.close()
                raise RuntimeError("chromium did not open its DevTools port")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
            targets = json.load(response)
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
        self.next_id = 0
        self.errors: list[str] = []
        for domain in ("Runtime", "Log", "Page"):
            self.call(f"{domain}.enable")

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self._event(message)

    def _event(self, message: dict[str, Any]) -> None:
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            self.errors.append(details.get("exception", {}).get("description") or details.get("text", "exception"))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            self.errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params["args"]))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            self.errors.append(params["entry"]["text"])

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"].get("text", "evaluation failed"))
        return result["result"].get("value")

    def open(self, path: Path, timeout: float = 120) -> dict[str, Any]:
        """Load the page and wait until it has laid out the graph; returns window.kgStats."""
        self.call("Page.navigate", url=path.resolve().as_uri())
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            stats = self.evaluate("window.kgStats && window.kgStats.ready ? JSON.stringify(window.kgStats) : ''")
            if stats:
                return json.loads(stats)
            time.sleep(0.25)
        raise TimeoutError(f"{path}: the page did not finish its layout in {timeout} s")

    def screenshot(self, path: Path) -> None:
        data = self.call("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        if getattr(self, "ws", None):
            self.ws.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def _browser_skip_reason() -> str | None:
    if not chromium_path():
        return "chromium is not installed (apt-get install -y chromium)"
    try:
        import websocket  # noqa: F401
    except ImportError:
        return "websocket-client is not installed (pip install websocket-client)"
    return None


browser_test = pytest.mark.skipif(_browser_skip_reason() is not None, reason=_browser_skip_reason() or "")


@pytest.fixture(scope="module")
def browser():
    b = Browser()
    try:
        yield b
    finally:
        b.close()


def kg_build(inputs: list[Path], out: Path) -> KnowledgeGraph:
    """Build with the command line, the interface that stays put, and load the result."""
    result = subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", *map(str, inputs), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return KnowledgeGraph.load(out)


@pytest.fixture(scope="module")
def sample_graph(tmp_path_factory) -> KnowledgeGraph:
    return kg_build([SAMPLE], tmp_path_factory.mktemp("sample"))


@browser_test
def test_sample_page_draws_every_node_without_errors(browser, sample_graph, tmp_path):
    page = tmp_path / "sample.html"
    page.write_text(render_html(sample_graph, title="sample"), encoding="utf-8")
    browser.errors.clear()
    stats = browser.open(page)
    assert browser.errors == []
    assert stats["nodes"] == len(sample_graph.entities)
    assert stats["edges"] == len(sample_graph.relations)
    assert stats["omitted"] == 0
    assert browser.evaluate("document.body.dataset.kgNodes") == str(len(sample_graph.entities))
    shot = tmp_path / "sample.png"
    browser.screenshot(shot)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    # with papers as nodes too
    page.write_text(render_html(sample_graph, title="sample", papers=True), encoding="utf-8")
    stats = browser.open(page)
    assert browser.errors == []
    assert stats["nodes"] == len(sample_graph.entities) + len(sample_graph.papers)


@browser_test
def test_search_filters_and_details_work(browser, tmp_path):
    graph = tiny_graph()
    page = tmp_path / "tiny.html"
    page.write_text(render_html(graph), encoding="utf-8")
    browser.errors.clear()
    assert browser.open(page)["nodes"] == 5
    # search by alias, click the hit: the details show aliases and papers
    hits = browser.evaluate(
        """(() => { const s = document.getElementById('search'); s.value = 'bert-base';
        s.dispatchEvent(new Event('input'));
        return [...document.querySelectorAll('#matches li')].map(l => l.textContent); })()"""
    )
    assert [h.strip() for h in hits] == ["BERT"]
    details = browser.evaluate(
        "document.querySelector('#matches li').click(); document.getElementById('details').textContent"
    )
    assert "BERT-base" in details and "Pruning <b>BERT</b> & friends" in details
    # an edge shows its evidence sentence
    edge = browser.evaluate(
        """(() => { const id = window.kgView.edgeIds.find(i => window.kgView.edge(i).type === 'OUTPERFORMS');
        window.kgView.showEdge(id); return document.getElementById('details').textContent; })()"""
    )
    assert "It beats DistilBERT." in edge
    # hiding a type removes its nodes and their edges from the drawing
    model = load_schema().entity_types[graph.entities["bert"].type].label
    after = browser.evaluate(
        f"""(() => {{ const box = [...document.querySelectorAll('#type-filters label')]
            .find(l => l.textContent.includes({json.dumps(model)})).querySelector('input');
        box.click(); window.kgView.network.redraw(); return JSON.stringify(window.kgStats); }})()"""
    )
    stats = json.loads(after)
    assert stats["nodes"] == 3 and stats["edges"] == 0
    # so does hiding the entities in no relation (here: "Lonely </script> entity")
    hidden = browser.evaluate("document.getElementById('hide-isolated').click(); JSON.stringify(window.kgStats)")
    assert json.loads(hidden)["nodes"] == 2
    assert browser.errors == []


@browser_test
@pytest.mark.skipif(not (ROOT.parent / "shared" / "seeds").is_dir(), reason="../shared/seeds is not there")
def test_big_graph_with_max_nodes_says_what_was_left_out(browser, tmp_path):
    listing = next(p for p in sorted((ROOT.parent / "shared" / "seeds").iterdir()) if p.is_file())
    graph = kg_build([listing], tmp_path / "seed")
    keep = max(1, len(graph.entities) // 2)
    page = tmp_path / "seed.html"
    page.write_text(render_html(graph, max_nodes=keep), encoding="utf-8")
    browser.errors.clear()
    stats = browser.open(page)
    assert browser.errors == []
    assert stats["nodes"] == keep and stats["omitted"] == len(graph.entities) - keep
    assert f"{len(graph.entities) - keep} left out" in browser.evaluate("document.getElementById('notice').textContent")


def main(argv: list[str]) -> int:
    """Screenshot a graph folder's page: GRAPH_DIR OUT.png [--max-nodes N] [--width W --height H]."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("graph_dir", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--max-nodes", type=int, default=None)
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--select", default=None, help="a node name to search for and click before the shot")
    parser.add_argument("--title", default=None)
    args = parser.parse_args(argv)
    graph = KnowledgeGraph.load(args.graph_dir)
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "graph.html"
        page.write_text(
            render_html(graph, args.title or f"kg: {args.graph_dir.name}", args.max_nodes), encoding="utf-8"
        )
        browser = Browser(args.width, args.height)
        try:
            started = time.monotonic()
            stats = browser.open(page)
            if args.select:  # search, then select the best hit without zooming in
                browser.evaluate(
                    f"""(() => {{ const s = document.getElementById('search'); s.value = {json.dumps(args.select)};
                    s.dispatchEvent(new Event('input'));
                    const v = window.kgView, q = {json.dumps(args.select.lower())};
                    const id = v.nodeIds.find(i => v.node(i).name.toLowerCase() === q);
                    v.network.selectNodes([id]); v.showNode(id); }})()"""
                )
                time.sleep(0.5)
            browser.screenshot(args.png)
            print(f"{args.png}: {stats} in {time.monotonic() - started:.1f} s; errors: {browser.errors or 'none'}")
        finally:
            browser.close()
    return 1 if browser.errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
