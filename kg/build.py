"""The main job: inputs -> papers -> extractions -> canonical entities -> graph.

Extraction is the slow part, so it runs in batches that are written to
``OUT/extractions/`` as soon as they are done: memory stays flat however many
papers stream through, and a build that was killed picks up where it stopped
(finished batches are kept, the rest redone). Batches can run in this process,
in a pool of worker processes, or on a Dask cluster; every way gives the same
files and so the same graph, because batch ``i`` always holds the same papers.
Canonicalization then reads the batches back in order.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import shutil
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.extract.lexicon import LEXICON_DIR, default_lexicon
from kg.files import atomic_output
from kg.graph import KnowledgeGraph
from kg.model import Extraction, Paper
from kg.readers import ReadReport, expand_inputs, read_papers
from kg.resolve import Resolver

BATCH_DIR = "extractions"
MANIFEST = "manifest.json"
DEFAULT_BATCH_SIZE = 64


@dataclass
class BuildOptions:
    """How to run extraction: batch size, local worker processes, or a Dask scheduler."""

    batch_size: int = DEFAULT_BATCH_SIZE
    workers: int = 1
    dask_scheduler: str | None = None
    min_confidence: float = 0.0
    fresh: bool = False


@dataclass
class BatchReport:
    total: int = 0
    reused: int = 0


# ---- extraction of one batch (runs in a worker process or on a Dask worker) ---------------
_extractor = None


def extract_batch(papers: list[dict]) -> list[dict]:
    """Extract a batch of papers given as dicts; the spaCy pipeline loads once per process."""
    global _extractor
    if _extractor is None:
        from kg.extract.pipeline import Extractor

        _extractor = Extractor()
    return [e.to_dict() for e in _extractor.extract(Paper.from_dict(p) for p in papers)]


class _Done:
    """A finished result with the ``Future.result()`` shape, for work done in this process."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def result(self) -> Any:
        return self.value


def _in_order(batches: Iterable[tuple[int, list[dict]]], submit: Callable, window: int) -> Iterator[tuple[int, list]]:
    """Results in batch order with at most ``window`` batches in flight, so memory stays bounded."""
    pending: deque[tuple[int, Future | _Done]] = deque()
    for index, batch in batches:
        pending.append((index, submit(batch)))
        if len(pending) >= window:
            done_index, future = pending.popleft()
            yield done_index, future.result()
    while pending:
        done_index, future = pending.popleft()
        yield done_index, future.result()


def _fingerprint(inputs: list[Path], options: BuildOptions) -> str:
    """What decides the batches' content: input files, batch size, extractor code and data."""
    digest = hashlib.sha256()
    for path in inputs:
        stat = path.stat()
        digest.update(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    digest.update(f"batch={options.batch_size}\n".encode())
    package = Path(__file__).resolve().parent
    for path in sorted([*(package / "extract").glob("*.py"), *LEXICON_DIR.glob("*")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _prepare(batch_dir: Path, fingerprint: str, fresh: bool) -> None:
    """Keep finished batches of the same build; start over when the inputs or extractor changed."""
    manifest = batch_dir / MANIFEST
    if batch_dir.exists():
        same = manifest.is_file() and json.loads(manifest.read_text()).get("fingerprint") == fingerprint
        if fresh or not same:
            shutil.rmtree(batch_dir)
    batch_dir.mkdir(parents=True, exist_ok=True)
    if not manifest.is_file():
        _write_atomic(manifest, json.dumps({"fingerprint": fingerprint}) + "\n")


def _write_atomic(path: Path, text: str) -> None:
    with atomic_output(path, durable=True) as handle:
        handle.write(text)


def _batch_path(batch_dir: Path, index: int) -> Path:
    return batch_dir / f"batch-{index:07d}.jsonl"


def _submitter(options: BuildOptions) -> tuple[Callable, Callable[[], None], int]:
    """How batches are run: (submit, close, window)."""
    if options.dask_scheduler:
        from distributed import Client

        client = Client(options.dask_scheduler)
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        return (lambda batch: client.submit(extract_batch, batch, pure=False)), client.close, 2 * workers
    if options.workers > 1:
        pool = ProcessPoolExecutor(max_workers=options.workers)
        return (lambda batch: pool.submit(extract_batch, batch)), pool.shutdown, 2 * options.workers
    return (lambda batch: _Done(extract_batch(batch))), (lambda: None), 1


def extract_batches(papers: Iterator[Paper], out_dir: Path, inputs: list[Path], options: BuildOptions) -> BatchReport:
    """Extract every paper into batch files under ``out_dir/extractions``, reusing finished ones."""
    batch_dir = out_dir / BATCH_DIR
    _prepare(batch_dir, _fingerprint(inputs, options), options.fresh)
    report = BatchReport()
    stream = iter(papers)  # one iterator: islice must continue it, not restart a wrapper's
    chunks = iter(lambda: list(itertools.islice(stream, options.batch_size)), [])

    def pending() -> Iterator[tuple[int, list[dict]]]:
        for index, chunk in enumerate(chunks):
            report.total += 1
            if _batch_path(batch_dir, index).is_file():
                report.reused += 1
                continue
            yield index, [p.to_dict() for p in chunk]

    submit, close, window = _submitter(options)
    try:
        for index, extractions in _in_order(pending(), submit, window):
            lines = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in extractions)
            _write_atomic(_batch_path(batch_dir, index), lines)
    finally:
        close()
    return report


def read_batches(out_dir: Path) -> Iterator[Extraction]:
    """The extractions of a build, in paper order."""
    for path in sorted((out_dir / BATCH_DIR).glob("batch-*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                yield Extraction.from_dict(json.loads(line))


def build_graph(
    inputs: Iterable[Path | str],
    out_dir: Path,
    report: ReadReport | None = None,
    options: BuildOptions | None = None,
    wrap: Callable[[Iterator[Paper]], Iterator[Paper]] = lambda papers: papers,
) -> tuple[KnowledgeGraph, BatchReport]:
    """Read, extract (in resumable batches) and resolve every paper of ``inputs`` into one graph.

    ``wrap`` sees the paper stream (the CLI adds a progress bar there); relations
    below ``options.min_confidence`` are dropped.
    """
    options = options or BuildOptions()
    files = expand_inputs(inputs)
    papers = wrap(read_papers(files, report if report is not None else ReadReport()))
    batches = extract_batches(papers, out_dir, files, options)
    graph = KnowledgeGraph.from_extractions(read_batches(out_dir), Resolver(default_lexicon()), options.min_confidence)
    return graph, batches
