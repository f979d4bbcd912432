"""``kg view DIR --out graph.html``: the graph as one self-contained, interactive HTML page.

The page inlines everything it needs: the graph as JSON, the viewer's own script
and style (``kg/view/``), and the vis-network library vendored in
``kg/view/vendor/`` (see its VERSION and LICENSE files). Nothing is fetched from
the network when the page is opened, so it works offline and can be mailed.
Colours and labels come from the schema.
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any, NoReturn

import click

from kg.analytics.loading import GraphLoadError, load_graph
from kg.graph import KnowledgeGraph
from kg.schema import load_schema

VIEW_DIR = Path(__file__).resolve().parent.parent / "view"
VENDOR_JS = VIEW_DIR / "vendor" / "vis-network.min.js"
_MARKER = re.compile(r"__KG_([A-Z]+)__")


def fail(message: str) -> NoReturn:
    """One line on stderr and exit 1, the way every kg command reports a failed run."""
    click.echo(f"kg: error: {message}", err=True)
    sys.exit(1)


def _paper_info(graph: KnowledgeGraph, paper_id: str) -> dict[str, Any]:
    paper = graph.papers.get(paper_id)
    if paper is None:
        return {"title": paper_id}
    info: dict[str, Any] = {"title": paper.title}
    if paper.year:
        info["year"] = paper.year
    if paper.url:
        info["url"] = paper.url
    return info


def view_data(graph: KnowledgeGraph, max_nodes: int | None = None, papers: bool = False) -> dict[str, Any]:
    """The JSON the page draws: nodes, edges with evidence, type and relation legends, counts.

    Entities are the nodes and relations the edges; with ``papers``, papers become
    nodes too, linked to entities by MENTIONS and PROPOSES. With ``max_nodes``,
    only that many nodes are kept, the most connected first (degree over the edges
    drawn, then papers naming it, then key), and the page says how many were left
    out. Ids are small integers in a stable order, so the output is deterministic.
    """
    schema = load_schema()
    paper_type = schema.paper.name
    relation_edges = [
        (r.head, r.type, r.tail, r)
        for r in sorted(graph.relations.values(), key=lambda r: (r.head, r.type, r.tail))
        if r.head in graph.entities and r.tail in graph.entities
    ]
    paper_edges: list[tuple[str, str, str]] = []
    if papers:
        for entity in sorted(graph.entities.values(), key=lambda e: e.key):
            for edge in schema.paper_edges.values():
                paper_ids = getattr(entity, edge.field)
                paper_edges += [(f"paper:{p}", edge.name, entity.key) for p in sorted(paper_ids)]
    degree: Counter[str] = Counter()
    for head, _, tail, _ in relation_edges:
        degree[head] += 1
        degree[tail] += 1
    for head, _, tail in paper_edges:
        degree[head] += 1
        degree[tail] += 1
    candidates = sorted(graph.entities)
    if papers:
        candidates += sorted(f"paper:{p}" for p in graph.papers)

    def mentions(key: str) -> int:
        return len(graph.entities[key].papers) if key in graph.entities else 0

    ranked = sorted(candidates, key=lambda k: (-degree[k], -mentions(k), k))
    kept = ranked if max_nodes is None else ranked[:max_nodes]
    kept_set = set(kept)
    ids = {key: i for i, key in enumerate(sorted(kept))}
    used_papers: set[str] = set()
    nodes = []
    for key in sorted(kept):
        if key in graph.entities:
            entity = graph.entities[key]
            used_papers.update(entity.papers)
            node: dict[str, Any] = {
                "id": ids[key],
                "key": key,
                "name": entity.name,
                "type": entity.type,
                "degree": degree[key],
                "aliases": entity.aliases,
                "papers": sorted(entity.papers),
                "proposed": sorted(entity.proposed_by),
            }
            if entity.family:
                node["family"] = entity.family
        else:
            paper = graph.papers[key.removeprefix("paper:")]
            used_papers.add(paper.id)
            node = {
                "id": ids[key],
                "key": key,
                "name": paper.title,
                "type": paper_type,
                "degree": degree[key],
                "papers": [paper.id],
                "abstract": paper.abstract,
            }
        nodes.append(node)
    edges = []
    for head, rel_type, tail, relation in relation_edges:
        if head in kept_set and tail in kept_set:
            used_papers.update(relation.papers)
            edges.append(
                {
                    "id": len(edges),
                    "from": ids[head],
                    "to": ids[tail],
                    "type": rel_type,
                    "support": relation.support,
                    "confidence": round(relation.confidence, 3),
                    "evidence": [
                        {"paper": e.paper, "sentence": e.sentence, "confidence": round(e.confidence, 3)}
                        for e in relation.evidence
                    ],
                }
            )
    for head, edge_type, tail in paper_edges:
        if head in kept_set and tail in kept_set:
            edges.append({"id": len(edges), "from": ids[head], "to": ids[tail], "type": edge_type})
    type_counts = Counter(n["type"] for n in nodes)
    edge_counts = Counter(e["type"] for e in edges)
    types = [
        {"name": name, "label": spec.label, "color": spec.color, "count": type_counts[name]}
        for name, spec in schema.entity_types.items()
    ]
    relations = [
        {
            "name": name,
            "label": spec.label,
            "count": edge_counts[name],
            "description": spec.description,
            "derived": bool(getattr(spec, "derived", False)),
        }
        for name, spec in schema.relation_types.items()
    ]
    if papers:
        types.append(
            {
                "name": paper_type,
                "label": schema.paper.label,
                "color": schema.paper.color,
                "count": type_counts[paper_type],
            }
        )
        relations += [
            {"name": name, "label": spec.label, "count": edge_counts[name]} for name, spec in schema.paper_edges.items()
        ]
    return {
        "paperType": paper_type,
        "types": types,
        "relations": relations,
        "nodes": nodes,
        "edges": edges,
        "papers": {p: _paper_info(graph, p) for p in sorted(used_papers)},
        "stats": {
            "papers": len(graph.papers),
            "relations": len(graph.relations),
            "total": len(candidates),
            "totalLabel": "nodes (entities and papers)" if papers else "entities",
            "omitted": len(candidates) - len(kept),
            "maxNodes": max_nodes,
        },
    }


def _script_safe_json(data: Any) -> str:
    """JSON that cannot end the <script> element it sits in, nor open a comment or CDATA."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _library() -> str:
    """The vendored vis-network, without its source-map comment (there is no map to load)."""
    code = VENDOR_JS.read_text(encoding="utf-8")
    lines = [line for line in code.splitlines() if not line.startswith("//# sourceMappingURL=")]
    if any("</script" in line.lower() for line in lines):
        raise ValueError(f"{VENDOR_JS} contains </script> and cannot be inlined")
    return "\n".join(lines)


def render_html(
    graph: KnowledgeGraph, title: str = "Knowledge graph", max_nodes: int | None = None, papers: bool = False
) -> str:
    """The whole page for ``graph`` as one string (see :func:`view_data` for the options)."""
    return render_page(view_data(graph, max_nodes, papers), title)


def render_page(data: dict[str, Any], title: str) -> str:
    """Template, style, library, data and viewer script inlined into one page.

    One substitution pass over the template only, so a marker-like string inside
    the data or the library is never touched.
    """
    parts = {
        "TITLE": html.escape(title),
        "STYLE": (VIEW_DIR / "viewer.css").read_text(encoding="utf-8"),
        "DATA": _script_safe_json(data),
        "LIBRARY": _library(),
        "APP": (VIEW_DIR / "viewer.js").read_text(encoding="utf-8"),
    }
    template = (VIEW_DIR / "template.html").read_text(encoding="utf-8")
    return _MARKER.sub(lambda m: parts[m.group(1)], template)


def _text_color(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (#rrggbb), by relative luminance."""
    r, g, b = (int(background[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return "#000000" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.5 else "#FFFFFF"


def _darker(color: str, factor: float = 0.75) -> str:
    return "#" + "".join(f"{round(int(color[i : i + 2], 16) * factor):02x}" for i in (1, 3, 5))


def neo4j_browser_style() -> str:
    """A Neo4j Browser style sheet (GraSS) for the graph: each schema label's colour and caption.

    ``cypher/style.grass`` is this text; a test keeps the two equal. No comments:
    the Browser's GraSS parser has none and would fold one into the next selector.
    Entities carry two labels (the shared entity label and their type's), so the
    shared one comes first and the type's rule, later in the file, sets the colour.
    """
    from kg.neo4j.writer import ENTITY_LABEL

    schema = load_schema()
    lines = [
        "node {",
        "  diameter: 50px;",
        "  color: #A5ABB6;",
        "  border-color: #9AA1AC;",
        "  border-width: 2px;",
        "  text-color-internal: #FFFFFF;",
        "  font-size: 10px;",
        "}",
        "relationship {",
        "  color: #A5ABB6;",
        "  shaft-width: 1px;",
        "  font-size: 8px;",
        "  padding: 3px;",
        "  text-color-external: #000000;",
        "  text-color-internal: #FFFFFF;",
        '  caption: "<type>";',
        "}",
        f"node.{ENTITY_LABEL} {{",
        '  caption: "{name}";',
        "}",
    ]
    styled = [(schema.paper, "title", "40px"), *((t, "name", "50px") for t in schema.entity_types.values())]
    for spec, caption, diameter in styled:
        lines += [
            f"node.{spec.label} {{",
            f"  color: {spec.color};",
            f"  border-color: {_darker(spec.color)};",
            f"  text-color-internal: {_text_color(spec.color)};",
            f"  diameter: {diameter};",
            f'  caption: "{{{caption}}}";',
            "}",
        ]
    return "\n".join(lines) + "\n"


@click.command("view")
@click.argument("graph_dir", metavar="DIR", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The HTML file to write [default: DIR/graph.html].",
)
@click.option(
    "--max-nodes",
    metavar="N",
    type=click.IntRange(min=1),
    default=None,
    help="Keep only the N most connected nodes (big graphs draw faster); the page says how many were left out.",
)
@click.option("--papers", is_flag=True, help="Draw papers as nodes too, linked to the entities they mention.")
@click.option("--title", default=None, help="Page title [default: the graph folder's name].")
def view(graph_dir: Path, out_path: Path | None, max_nodes: int | None, papers: bool, title: str | None) -> None:
    """Write an interactive, self-contained HTML view of the graph in DIR.

    Nodes are coloured by type (colours from the schema); search by name or alias;
    filter by entity type and relation type; click a node for its aliases, papers
    and relations, or an edge for the sentences that state it. The page needs no
    server and loads nothing from the network.
    """
    try:
        graph = load_graph(graph_dir)
    except GraphLoadError as exc:
        fail(str(exc))
    if out_path is None:
        out_path = (graph_dir if graph_dir.is_dir() else graph_dir.parent) / "graph.html"
    name = graph_dir.resolve().name if graph_dir.is_dir() else graph_dir.resolve().parent.name
    data = view_data(graph, max_nodes, papers)
    page = render_page(data, title or f"kg: {name}")
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(page, encoding="utf-8")
    except OSError as exc:
        fail(f"{out_path}: cannot write: {exc.strerror or exc}")
    shown, omitted = len(data["nodes"]), data["stats"]["omitted"]
    left_out = f", {omitted} left out by --max-nodes" if omitted else ""
    click.echo(f"wrote {out_path} ({len(page) // 1024} KiB; {shown} nodes, {len(data['edges'])} edges{left_out})")
