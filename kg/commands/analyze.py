"""``kg analyze DIR``: the analytics of a built graph as terminal tables, JSON, or a report with plots."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from kg.analytics.centrality import MEASURES
from kg.analytics.loading import GraphLoadError, load_graph
from kg.analytics.report import REPORT_SUFFIXES

EXIT_FAILED = 1


def fail(message: str) -> NoReturn:
    """One line on stderr and exit 1, the way every kg command reports a failed run."""
    click.echo(f"kg: error: {message}", err=True)
    sys.exit(EXIT_FAILED)


def _report_path(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    if value is not None and value.suffix.lower() not in REPORT_SUFFIXES:
        raise click.BadParameter("the report must end in .md (Markdown) or .html", ctx, param)
    return value


@click.command("analyze")
@click.argument("graph_dir", metavar="DIR", type=click.Path(path_type=Path))
@click.option(
    "--report",
    type=click.Path(path_type=Path, dir_okay=False),
    callback=_report_path,
    help="Also write a report: FILE.md (Markdown) or FILE.html, with its PNG plots beside it.",
)
@click.option("--top", metavar="N", default=10, show_default=True, type=click.IntRange(min=1), help="Rows per table.")
@click.option(
    "--centrality",
    "measure",
    default="degree",
    show_default=True,
    type=click.Choice(MEASURES),
    help="How to rank the most central entities of each type.",
)
@click.option("--json", "as_json", is_flag=True, help="Print every result as JSON instead of tables.")
def analyze(graph_dir: Path, report: Path | None, top: int, measure: str, as_json: bool) -> None:
    """Analyse a graph built by `kg build --out DIR`.

    Prints the most central entities per type, Louvain communities, leaderboards
    per benchmark (with contradicting claims), compression lineage, the hardware
    each method runs on, entities named together, and suggested missing links
    (predictions, labelled as such). With --report, writes the same tables and
    plots (entities per type, relations per type, degree distribution, top
    entities, largest communities) as Markdown or HTML.
    """
    import matplotlib

    matplotlib.use("Agg")
    from kg.analytics.report import render_text, write_report
    from kg.analytics.summary import analyze as run_all

    try:
        graph = load_graph(graph_dir)
    except GraphLoadError as exc:
        fail(str(exc))
    analysis = run_all(graph, top, measure)
    if as_json:
        click.echo(analysis.to_json())
    else:
        click.echo(render_text(analysis, top), nl=False)
    if report is not None:
        try:
            written = write_report(analysis, report, f"kg analysis of {graph_dir}", top)
        except OSError as exc:
            fail(f"{report}: cannot write: {exc.strerror or exc}")
        plots = len(written) - 1
        click.echo(f"wrote {report} and {plots} plots beside it", err=as_json)
