"""The ``kg`` command line: read -> extract -> resolve -> graph -> sinks.

Exit codes: 0 success, 1 bad input or a failed run, 2 wrong usage (click's own).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import click
from tqdm import tqdm

from kg.commands.analyze import analyze
from kg.commands.export import export
from kg.commands.graphdb import connection_options, load, query, write_to_neo4j
from kg.commands.neo4j_server import neo4j_group
from kg.commands.synth import synth
from kg.commands.view import view
from kg.model import Paper
from kg.readers import InputError, ReadReport, read_papers

EXIT_BAD_INPUT = 1
SAMPLE_DIR = Path(__file__).resolve().parent / "data" / "sample"


def fail(message: str) -> None:
    """One line on stderr and exit 1: the only way commands report a failed run."""
    click.echo(f"kg: error: {message}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def report_problems(report: ReadReport, strict: bool) -> None:
    """Tell what was skipped; under ``--strict`` any skipped record fails the run."""
    for problem in report.problems[:20]:
        click.echo(f"kg: skipped {problem}", err=True)
    if len(report.problems) > 20:
        click.echo(f"kg: ... and {len(report.problems) - 20} more skipped", err=True)
    if report.problems:
        click.echo(f"kg: {report.skipped} bad record(s) skipped, {report.papers} papers read", err=True)
        if strict:
            fail(f"{report.skipped} bad record(s) and --strict is set")
    if report.papers == 0:
        fail("no papers could be read from the input")


def progress(papers: Iterator[Paper], label: str) -> Iterator[Paper]:
    """A progress bar on stderr when it is a terminal; silent in pipes and CI logs."""
    return tqdm(papers, desc=label, unit=" papers", disable=not sys.stderr.isatty(), file=sys.stderr)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def main() -> None:
    """Build a knowledge graph of ML methods, models, datasets and results from paper abstracts.

    Typical use: `kg build PAPERS... --out graph/`, then `kg export`, `kg analyze`,
    `kg view` or `kg load --neo4j` on the graph folder.
    """


@main.command()
@click.option(
    "--input",
    "input_path",
    required=True,
    type=click.Path(path_type=Path),
    help="JSON Lines file with one {id, title, abstract} object a line.",
)
@click.option(
    "--output",
    "output_path",
    required=True,
    type=click.Path(path_type=Path),
    help="Where to write one prediction a line (SCHEMA.md format).",
)
@click.option("--strict", is_flag=True, help="Fail if any input record is bad instead of skipping it.")
def extract(input_path: Path, output_path: Path, strict: bool) -> None:
    """Extract entities and relations per abstract, in the format the scorer reads.

    Each output line is {"id", "title", "entities": [...], "relations": [...]}, one
    per input abstract in input order; relations carry their evidence sentence.
    """
    from kg.extract.pipeline import Extractor

    report = ReadReport()
    try:
        papers = list(read_papers([input_path], report, dedupe=False))
    except InputError as exc:
        fail(str(exc))
    report_problems(report, strict)
    extractor = Extractor()
    try:
        with output_path.open("w", encoding="utf-8") as out:
            for extraction in extractor.extract(progress(iter(papers), "extracting")):
                out.write(json.dumps(extraction.prediction(), ensure_ascii=False) + "\n")
    except OSError as exc:
        fail(f"{output_path}: cannot write: {exc.strerror or exc}")
    click.echo(f"kg: wrote {len(papers)} predictions to {output_path}", err=True)


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    default=Path("out"),
    show_default=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for graph.json (lossless, reloadable), graph.graphml and the extraction batches.",
)
@click.option(
    "--min-confidence",
    default=0.0,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="Drop relations whose extraction confidence is below this.",
)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1), help="Extraction processes.")
@click.option(
    "--dask-scheduler",
    default=None,
    metavar="ADDRESS",
    help="Run extraction on a Dask cluster (e.g. tcp://host:8786) instead of local processes.",
)
@click.option("--batch-size", default=64, show_default=True, type=click.IntRange(1), help="Papers per batch.")
@click.option("--fresh", is_flag=True, help="Redo every batch instead of resuming an interrupted build.")
@click.option("--strict", is_flag=True, help="Fail if any input record is bad instead of skipping it.")
@click.option("--json-summary", is_flag=True, help="Print the summary as JSON instead of tables.")
@click.option("--neo4j", "to_neo4j", is_flag=True, help="Also merge the graph into Neo4j (see `kg load --help`).")
@click.option(
    "--neo4j-batch-size", default=1000, show_default=True, type=click.IntRange(1), help="Rows per Neo4j transaction."
)
@connection_options
def build(
    inputs: tuple[Path, ...],
    out_dir: Path,
    min_confidence: float,
    workers: int,
    dask_scheduler: str | None,
    batch_size: int,
    fresh: bool,
    strict: bool,
    json_summary: bool,
    to_neo4j: bool,
    neo4j_batch_size: int,
    uri: str | None,
    user: str | None,
    password: str | None,
    database: str | None,
) -> None:
    """Build the knowledge graph from paper listings, JSON Lines files or folders of them.

    INPUTS are listing files (title and abstract paragraphs, as in the seed
    listings), .jsonl files with title and abstract, or folders holding them. A
    paper repeated across inputs is read once. No server is needed: the graph is
    written to --out; load it into Neo4j or export it as RDF afterwards.
    Without INPUTS, the small sample shipped with kg is built.

    Extraction runs in batches saved under OUT/extractions: run the same command
    again after an interruption and finished batches are reused. --workers N
    or --dask-scheduler spread the batches; the graph is the same either way.
    """
    from kg.build import BuildOptions, build_graph

    if not inputs:
        inputs = (SAMPLE_DIR,)
        click.echo(f"kg: no inputs given, building the bundled sample {SAMPLE_DIR}", err=True)
    report = ReadReport()
    options = BuildOptions(batch_size, workers, dask_scheduler, min_confidence, fresh)
    try:
        graph, batches = build_graph(inputs, out_dir, report, options, wrap=lambda papers: progress(papers, "building"))
    except InputError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"{out_dir}: cannot write: {exc.strerror or exc}")
    report_problems(report, strict)
    try:
        written = graph.save(out_dir)
    except OSError as exc:
        fail(f"{out_dir}: cannot write: {exc.strerror or exc}")
    summary = graph.summary()
    summary["duplicates_merged"] = report.duplicates
    summary["skipped_records"] = report.skipped
    summary["batches"] = {"total": batches.total, "reused": batches.reused}
    if json_summary:
        click.echo(json.dumps(summary, indent=1, ensure_ascii=False))
    else:
        print_summary(summary)
    click.echo(f"wrote {', '.join(str(p) for p in written)}")
    if to_neo4j:
        write_to_neo4j(graph, uri, user, password, database, neo4j_batch_size)


@main.command("eval")
@click.argument("gold", type=click.Path(path_type=Path))
@click.argument("input_path", required=False, type=click.Path(path_type=Path))
@click.option("--errors", default=20, show_default=True, help="How many misses and false alarms to list.")
def evaluate(gold: Path, input_path: Path | None, errors: int) -> None:
    """Score extraction against a gold file annotated as in SCHEMA.md.

    GOLD holds one annotated abstract a line. INPUT holds the abstracts to extract
    ({id, title, abstract} a line); without it, dev_input.jsonl beside GOLD is used.
    Prints precision, recall and F1 per type and overall, then the misses and
    false alarms.
    """
    from kg.evaluate import format_table, score
    from kg.extract.pipeline import Extractor

    input_path = input_path or gold.with_name("dev_input.jsonl")
    try:
        lines = gold.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"{gold}: cannot read: {getattr(exc, 'strerror', None) or exc}")
    gold_docs = []
    for number, line in enumerate(lines, 1):
        try:
            if line.strip():
                gold_docs.append(json.loads(line))
        except json.JSONDecodeError as exc:
            fail(f"{gold}:{number}: malformed JSON: {exc.msg}")
    report = ReadReport()
    try:
        papers = list(read_papers([input_path], report, dedupe=False))
    except InputError as exc:
        fail(str(exc))
    report_problems(report, strict=False)
    predictions = {e.paper.id: e.prediction() for e in Extractor().extract(progress(iter(papers), "extracting"))}
    result = score(gold_docs, predictions)
    click.echo(format_table(result))
    for title, rows in (("worst misses", result.misses), ("false alarms", result.false_alarms)):
        if rows[:errors]:
            click.echo(f"{title} (first {min(errors, len(rows))} of {len(rows)}):")
            for row in rows[:errors]:
                click.echo(f"  {row}")
    entities, relations = result.entities.row("ALL"), result.relations.row("ALL")
    click.echo(f"entity F1 {entities['f1']:.3f}  relation F1 {relations['f1']:.3f}")


def print_summary(summary: dict) -> None:
    """The build summary as short aligned tables."""
    click.echo(
        f"papers: {summary['papers']}  (duplicates merged: {summary['duplicates_merged']}, "
        f"skipped: {summary['skipped_records']})"
    )
    if summary["batches"]["reused"]:
        click.echo(
            f"resumed: {summary['batches']['reused']} of {summary['batches']['total']} batches were already done"
        )
    click.echo(f"entities: {summary['entities']}")
    for name, count in summary["entities_per_type"].items():
        click.echo(f"  {name:<14}{count:>7}")
    click.echo(f"relations: {summary['relations']}")
    for name, count in summary["relations_per_type"].items():
        click.echo(f"  {name:<14}{count:>7}")
    click.echo(f"results: {summary['results']}")
    click.echo("most connected entities:")
    for row in summary["most_connected"]:
        click.echo(f"  {row['name'][:40]:<42}{row['type']:<11}{row['degree']:>5}")


main.add_command(neo4j_group)
main.add_command(load)
main.add_command(query)
main.add_command(analyze)
main.add_command(view)
main.add_command(export)
main.add_command(synth)

if __name__ == "__main__":
    main()
