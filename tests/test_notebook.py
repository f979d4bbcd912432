"""notebooks/explore.ipynb runs from top to bottom without an error, so it never rots.

It builds the seed graph (or the bundled sample when ../shared/seeds is absent)
into a fresh folder, so the run is the one a new reader gets: about a minute.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"
MISSING = [m for m in ("nbclient", "nbformat", "ipykernel") if importlib.util.find_spec(m) is None]


@pytest.mark.skipif(bool(MISSING), reason=f"needs {', '.join(MISSING)} (pip install nbclient nbformat ipykernel)")
def test_explore_notebook_runs(tmp_path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("KG_NOTEBOOK_OUT", str(tmp_path / "graph"))
    if not os.environ.get("NEO4J_URI"):
        monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:9")  # nothing listens there: the Cypher cell skips fast
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    )
    client.execute()  # raises CellExecutionError, with the cell and its traceback, on any error

    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "built in" in text and "analysed in" in text
    assert "Cypher skipped" in text or "MATCH" in text
    assert "triples from" in text and "SELECT" in text
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 5
    assert not any(o.output_type == "error" for o in outputs)
