"""Matplotlib figures of an :class:`~kg.analytics.summary.Analysis`, coloured by the schema.

Figures are built with ``matplotlib.figure.Figure`` (no pyplot state, so no GUI
backend is ever chosen and the Agg canvas renders PNGs headless); notebooks show
them as they are.
"""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure

from kg.analytics.summary import Analysis
from kg.schema import load_schema

GREY = "#999999"


def type_color(entity_type: str) -> str:
    """The schema colour of an entity type (grey for an unknown one)."""
    spec = load_schema().entity_types.get(entity_type)
    return spec.color if spec else GREY


def type_label(entity_type: str) -> str:
    spec = load_schema().entity_types.get(entity_type)
    return spec.label if spec else entity_type


def entity_types_figure(analysis: Analysis) -> Figure:
    """Bar chart: entities per type, in schema colours."""
    fig = Figure(figsize=(7, 3.6), layout="constrained")
    ax = fig.add_subplot()
    names = list(analysis.entity_types)
    bars = ax.bar([type_label(n) for n in names], list(analysis.entity_types.values()))
    for bar, name in zip(bars, names, strict=True):
        bar.set_color(type_color(name))
    ax.bar_label(bars, fontsize=8)
    ax.set_ylabel("entities")
    ax.set_title(f"Entities per type ({analysis.entities} in all)")
    return fig


def relation_types_figure(analysis: Analysis) -> Figure:
    """Horizontal bar chart: relations per type, labelled as the schema names them."""
    schema = load_schema()
    fig = Figure(figsize=(7, 3.6), layout="constrained")
    ax = fig.add_subplot()
    names = list(analysis.relation_types)[::-1]
    labels = [schema.relation_types[n].label if n in schema.relation_types else n for n in names]
    bars = ax.barh(labels, [analysis.relation_types[n] for n in names], color="#555555")
    ax.bar_label(bars, fontsize=8, padding=2)
    ax.set_xlabel("relations")
    ax.set_title(f"Relations per type ({analysis.relations} in all)")
    return fig


def degree_figure(analysis: Analysis) -> Figure:
    """Log-log scatter: how many entities take part in d relations (d = 0 shown apart)."""
    fig = Figure(figsize=(7, 3.6), layout="constrained")
    ax = fig.add_subplot()
    points = [(d, n) for d, n in analysis.degrees if d > 0]
    if points:
        ax.scatter([d for d, _ in points], [n for _, n in points], color="#333333", s=18)
        ax.set_xscale("log")
        ax.set_yscale("log")
    isolated = dict(analysis.degrees).get(0, 0)
    ax.set_xlabel("relations per entity (degree)")
    ax.set_ylabel("entities")
    ax.set_title(f"Degree distribution ({isolated} entities only mentioned, in no relation)")
    return fig


def top_entities_figure(analysis: Analysis, per_type: int = 8) -> Figure:
    """One small bar chart per entity type: its most central entities by relation degree.

    A type that takes part in no relation (the schema may have such) is ranked by
    the papers naming each entity instead, and its chart says so.
    """
    types = [t for t, rows in analysis.central.items() if rows]
    cols = 2
    rows = max(1, (len(types) + cols - 1) // cols)
    fig = Figure(figsize=(11, 2.4 * rows), layout="constrained")
    for i, name in enumerate(types, 1):
        ax = fig.add_subplot(rows, cols, i)
        items = analysis.central[name][:per_type][::-1]
        by_degree = any(c.degree for c in items)
        values = [c.degree if by_degree else c.papers for c in items]
        ax.barh([c.entity.name[:32] for c in items], values, color=type_color(name))
        ax.set_title(type_label(name) + ("" if by_degree else " (in no relation: papers naming it)"), fontsize=10)
        ax.tick_params(labelsize=7)
    fig.suptitle("Most connected entities per type (distinct related entities)")
    return fig


def communities_figure(analysis: Analysis, largest: int = 12) -> Figure:
    """Stacked bars: the largest communities and the entity types they are made of."""
    fig = Figure(figsize=(11, 4.2), layout="constrained")
    ax = fig.add_subplot()
    shown = analysis.communities[:largest][::-1]
    labels = [f"#{c.rank} {c.label[:28]}" for c in shown]
    left = [0] * len(shown)
    for name in load_schema().entity_types:
        widths = [c.types.get(name, 0) for c in shown]
        if any(widths):
            ax.barh(labels, widths, left=left, color=type_color(name), label=type_label(name))
            left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set_xlabel("entities")
    ax.set_title(f"Largest communities (Louvain; {len(analysis.communities)} with 2+ members)")
    if shown:
        ax.legend(fontsize=8, loc="lower right")
    ax.tick_params(labelsize=8)
    return fig


FIGURES = {
    "entity-types": entity_types_figure,
    "relation-types": relation_types_figure,
    "degrees": degree_figure,
    "top-entities": top_entities_figure,
    "communities": communities_figure,
}


def save_figures(analysis: Analysis, directory: Path, prefix: str) -> dict[str, Path]:
    """Render every figure to ``directory/<prefix>-<name>.png``; returns name -> path."""
    written = {}
    for name, make in FIGURES.items():
        path = directory / f"{prefix}-{name}.png"
        make(analysis).savefig(path, dpi=110)
        written[name] = path
    return written
