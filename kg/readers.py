"""Readers: paper listings and JSON Lines in, de-duplicated ``Paper`` records out.

Readers yield papers one at a time so that a build never holds a whole corpus in
memory. Problems with single records are collected in a ``ReadReport`` instead of
stopping the run; problems that make a whole input unusable raise ``InputError``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.model import Paper
from kg.text import normalize_title, stable_hash

JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
LISTING_SUFFIXES = {".txt", ".md", ""}
_ARXIV_ID = re.compile(r"(\d{4}\.\d{4,5})(v\d+)?|([a-z\-]+(\.[A-Z]{2})?/\d{7})(v\d+)?")
_SENTENCE_END = re.compile(r"[.!?]\s+[A-Z(]")


class InputError(Exception):
    """An input that cannot be read at all; the message names the file."""


@dataclass
class Problem:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass
class ReadReport:
    """What the readers did: papers yielded, duplicates merged, records skipped and why."""

    papers: int = 0
    duplicates: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return len(self.problems)

    def skip(self, path: Path | str, line: int | None, message: str) -> None:
        self.problems.append(Problem(str(path), line, message))


def paper_id(title: str, arxiv_id: str | None = None, doi: str | None = None) -> str:
    """Stable id: the arXiv id or DOI when known, else a hash of the normalized title."""
    if arxiv_id:
        match = _ARXIV_ID.search(arxiv_id)
        return f"arxiv:{match.group(1) or match.group(3)}" if match else f"arxiv:{arxiv_id.strip()}"
    if doi:
        return f"doi:{doi.strip().lower().removeprefix('https://doi.org/')}"
    return stable_hash(normalize_title(title))


def _decoded_lines(path: Path, report: ReadReport) -> Iterator[tuple[int, str | None]]:
    """Lines with their numbers; a line that is not UTF-8 is reported and given as None."""
    try:
        with path.open("rb") as handle:
            for number, raw in enumerate(handle, 1):
                try:
                    yield number, raw.decode("utf-8").rstrip("\r\n")
                except UnicodeDecodeError as exc:
                    report.skip(path, number, f"bytes that are not UTF-8 (at byte {exc.start})")
                    yield number, None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def _looks_like_abstract(paragraph: str) -> bool:
    """Abstracts are long or hold several sentences; titles are short (a "?" or ":" at most)."""
    return len(paragraph) >= 200 or len(_SENTENCE_END.findall(paragraph)) >= 2


def read_listing(path: Path, report: ReadReport) -> Iterator[Paper]:
    """A listing: header lines, then title and abstract paragraphs separated by blank lines.

    The header is whatever comes before the first short paragraph that is followed
    by an abstract-like one, so its length never matters. A title without an
    abstract, or an abstract without a title, is reported and skipped.
    """
    paragraphs: list[tuple[int, str | None]] = []
    current: list[str] = []
    start, broken = 0, False
    for number, line in [*_decoded_lines(path, report), (0, "")]:
        if line is None:
            broken = True
            continue
        if line.strip():
            if not current:
                start = number
            current.append(line.strip())
            continue
        if current or broken:
            paragraphs.append((start or number, None if broken else " ".join(current)))
        current, broken = [], False
    index = 0
    while index + 1 < len(paragraphs) and not (
        paragraphs[index][1] is not None
        and not _looks_like_abstract(paragraphs[index][1])
        and paragraphs[index + 1][1] is not None
        and _looks_like_abstract(paragraphs[index + 1][1])
    ):
        index += 1
    if index + 1 >= len(paragraphs):
        report.skip(path, None, "no title followed by an abstract found; is this a paper listing?")
        return
    while index < len(paragraphs):
        line, title = paragraphs[index]
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
        if title is None:
            index += 1
            continue
        if _looks_like_abstract(title):
            report.skip(path, line, "abstract without a title")
            index += 1
            continue
        if following is None or following[1] is None or not _looks_like_abstract(following[1]):
            if following is None or following[1] is not None:
                report.skip(path, line, f"title without an abstract: {title[:60]!r}")
            index += 1 if following is None or following[1] is not None else 2
            continue
        yield Paper(id=paper_id(title), title=title, abstract=following[1], sources=[f"{path}:{line}"])
        index += 2


def _text_field(record: dict, key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    return str(value).strip() or None


def read_jsonl(path: Path, report: ReadReport) -> Iterator[Paper]:
    """JSON Lines: one object a line with ``title`` and ``abstract``; optional metadata."""
    for number, line in _decoded_lines(path, report):
        if line is None or not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            report.skip(path, number, f"malformed JSON: {exc.msg} (column {exc.colno})")
            continue
        if not isinstance(record, dict):
            report.skip(path, number, "a JSON line must be an object")
            continue
        title, abstract = _text_field(record, "title"), _text_field(record, "abstract")
        if not abstract:
            report.skip(path, number, "record without abstract")
            continue
        arxiv_id, doi = _text_field(record, "arxiv_id"), _text_field(record, "doi")
        given_id = _text_field(record, "id")
        year = record.get("year")
        authors = record.get("authors") or []
        yield Paper(
            id=given_id or paper_id(title or abstract[:200], arxiv_id, doi),
            title=title or "",
            abstract=abstract,
            authors=[str(a) for a in authors] if isinstance(authors, list) else [str(authors)],
            year=int(year) if isinstance(year, int | str) and str(year).isdigit() else None,
            url=_text_field(record, "url"),
            arxiv_id=arxiv_id,
            doi=doi,
            sources=[f"{path}:{number}"],
        )


def expand_inputs(paths: Iterable[Path | str]) -> list[Path]:
    """Files named, and the readable files inside folders named, in a stable order."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            inside = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in JSONL_SUFFIXES | LISTING_SUFFIXES
            )
            inside = [p for p in inside if not p.name.startswith(".")]
            if not inside:
                raise InputError(f"{path}: folder holds no .jsonl or .txt files")
            files.extend(inside)
        elif path.is_file():
            files.append(path)
        elif path.exists():
            raise InputError(f"{path}: not a regular file")
        else:
            raise InputError(f"{path}: no such file or folder")
    return files


def read_file(path: Path, report: ReadReport) -> Iterator[Paper]:
    """Papers from one file, the format chosen by its suffix (JSON Lines or listing)."""
    try:
        if path.stat().st_size == 0:
            report.skip(path, None, "empty file")
            return
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    reader = read_jsonl if path.suffix.lower() in JSONL_SUFFIXES else read_listing
    yield from reader(path, report)


def read_papers(paths: Iterable[Path | str], report: ReadReport | None = None, dedupe: bool = True) -> Iterator[Paper]:
    """Papers from every input, each real paper once (every record if not ``dedupe``).

    A paper seen again (same id or same normalized title) is merged into the
    first and counted as a duplicate. Memory grows with the number of distinct
    papers (one short key each), never with their text.
    """
    report = report if report is not None else ReadReport()
    seen_ids: set[str] = set()
    seen_titles: set[str] = set()
    for path in expand_inputs(paths):
        for paper in read_file(path, report):
            title_key = normalize_title(paper.title) if paper.title else None
            if dedupe and (paper.id in seen_ids or (title_key and title_key in seen_titles)):
                report.duplicates += 1
                continue
            seen_ids.add(paper.id)
            if title_key:
                seen_titles.add(title_key)
            report.papers += 1
            yield paper
