"""The main job: inputs -> papers -> extractions -> canonical entities -> graph."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kg.extract.lexicon import default_lexicon
from kg.extract.pipeline import Extractor
from kg.graph import KnowledgeGraph
from kg.model import Paper
from kg.readers import ReadReport, read_papers
from kg.resolve import Resolver


def build_graph(
    inputs: Iterable[Path | str],
    report: ReadReport | None = None,
    min_confidence: float = 0.0,
    wrap: Callable[[Iterator[Paper]], Iterator[Paper]] = lambda papers: papers,
) -> KnowledgeGraph:
    """Read, extract and resolve every paper of ``inputs`` into one graph.

    ``wrap`` sees the paper stream (the CLI adds a progress bar there);
    relations below ``min_confidence`` are dropped.
    """
    papers = wrap(read_papers(inputs, report if report is not None else ReadReport()))
    extractions = Extractor().extract(papers)
    return KnowledgeGraph.from_extractions(extractions, Resolver(default_lexicon()), min_confidence)
