"""Read a graph folder for the commands, turning every failure into one readable message."""

from __future__ import annotations

import json
from pathlib import Path

from kg.graph import GRAPH_JSON, KnowledgeGraph


class GraphLoadError(Exception):
    """The folder holds no readable graph; the message says why, in one line."""


def load_graph(path: Path) -> KnowledgeGraph:
    """The graph in ``path`` (a folder written by ``kg build --out``, or its graph.json).

    Raises :class:`GraphLoadError` for a missing folder, a folder without
    graph.json, or a file that is not a kg graph.
    """
    if not path.exists():
        raise GraphLoadError(f"{path}: no such file or folder")
    file = path / GRAPH_JSON if path.is_dir() else path
    if not file.is_file():
        raise GraphLoadError(f"{path}: no {GRAPH_JSON} inside; build one with `kg build ... --out {path}`")
    try:
        return KnowledgeGraph.load(file)
    except OSError as exc:
        raise GraphLoadError(f"{file}: cannot read: {exc.strerror or exc}") from exc
    except (ValueError, KeyError, TypeError) as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        detail = "" if "not a kg graph" in reason else f" ({reason})"
        raise GraphLoadError(f"{file}: not a kg graph file{detail}") from exc
