"""``kg synth N --out FILE.jsonl``: synthetic abstracts with known answers, for benchmarks at scale.

The records come from ``kg.synthetic.generate``; this module only writes them, through a
temporary file renamed at the end so that a failed or interrupted run leaves no half file.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NoReturn, TextIO

import click

from kg.files import atomic_output, to_stdout

EXIT_FAILED = 1


def _fail(message: str) -> NoReturn:
    """One line on stderr and exit 1, as every kg command reports a failed run."""
    click.echo(f"kg: error: {message}", err=True)
    sys.exit(EXIT_FAILED)


def _progress(records: Iterator[dict], total: int) -> Iterable[dict]:
    """A progress bar on stderr when it is a terminal; silent in pipes and CI logs."""
    if not sys.stderr.isatty():
        return records
    from tqdm import tqdm

    return tqdm(records, total=total, desc="synth", unit=" records", file=sys.stderr)


def _write_lines(records: Iterable[dict], stream: TextIO) -> int:
    encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
    written = 0
    for record in records:
        stream.write(encode(record))
        stream.write("\n")
        written += 1
    return written


def _write_file(out: Path, records: Iterable[dict]) -> int:
    try:
        with atomic_output(out) as stream:
            return _write_lines(records, stream)
    except OSError as exc:
        _fail(f"{out}: cannot write: {exc.strerror or exc}")


@click.command("synth")
@click.argument("count", metavar="N", type=click.IntRange(min=0))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path, allow_dash=True),
    help="JSON Lines file to write ('-' for standard output).",
)
@click.option("--seed", default=0, show_default=True, type=int, help="Random seed: the same seed gives the same file.")
def synth(count: int, out: Path, seed: int) -> None:
    """Write N synthetic abstracts whose entities and relations are known.

    Each line is {"id", "title", "abstract", "year", "truth"}, where truth holds the
    entities and relations in the gold format of SCHEMA.md, so extraction can be
    scored at any scale (`kg eval`-style) and sinks can be benchmarked. Texts are
    made from templates with names from the kg lexicon and invented names; no real
    paper text is used. The same N and --seed always give the same file, and a
    smaller N gives a prefix of a larger one.
    """
    from kg.synthetic import generate

    started = time.perf_counter()
    records = _progress(generate(count, seed), count)
    if str(out) == "-":
        try:
            written = to_stdout(lambda: _write_lines(records, sys.stdout))
        except OSError as exc:
            _fail(f"standard output: cannot write: {exc.strerror or exc}")
    else:
        written = _write_file(out, records)
    seconds = time.perf_counter() - started
    target = "standard output" if str(out) == "-" else str(out)
    rate = f" ({written / seconds:,.0f} records/s)" if written >= 1000 and seconds > 0 else ""
    click.echo(f"kg: wrote {written} synthetic abstracts to {target} in {seconds:.1f}s{rate}", err=True)
