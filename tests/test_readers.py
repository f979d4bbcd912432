"""Readers: listings, JSON Lines, folders, de-duplication, stable ids and bad input."""

import json
from pathlib import Path

import pytest

from kg.readers import InputError, ReadReport, paper_id, read_papers

ABSTRACT_A = (
    "We propose FooNet, a convolutional network for image classification. FooNet is trained on ImageNet. "
    "It outperforms ResNet-50 by 1.2% top-1 accuracy while using half the FLOPs."
)
ABSTRACT_B = (
    "We study quantization of transformers. Experiments on GLUE show small losses. "
    "The method runs on a single GPU and is easy to apply to other architectures."
)


def write_listing(path: Path, header_lines: list[str], records: list[tuple[str, str]]) -> Path:
    parts = [*header_lines] + [p for title, abstract in records for p in (title, abstract)]
    path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("header", [[], ["new"], ["new", "Get trending papers!", "Subscribe", "Daily Papers", "by AK"]])
def test_listing_header_of_any_length_is_skipped(tmp_path, header):
    path = write_listing(
        tmp_path / "l.txt", header, [("FooNet: A Net", ABSTRACT_A), ("Quantized Transformers?", ABSTRACT_B)]
    )
    report = ReadReport()
    papers = list(read_papers([path], report))
    assert [p.title for p in papers] == ["FooNet: A Net", "Quantized Transformers?"]
    assert papers[0].abstract == ABSTRACT_A
    assert report.problems == []


def test_listing_title_without_abstract_is_reported(tmp_path):
    path = write_listing(tmp_path / "l.txt", ["Header"], [("First Title", ABSTRACT_A)])
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\nDangling Title\n")
    report = ReadReport()
    papers = list(read_papers([path], report))
    assert len(papers) == 1
    assert report.skipped == 1 and "title without an abstract" in str(report.problems[0])


def test_jsonl_reads_metadata_and_ids(tmp_path):
    path = tmp_path / "p.jsonl"
    rows = [
        {"title": "FooNet", "abstract": ABSTRACT_A, "arxiv_id": "arXiv:2401.01234v2", "year": 2024, "authors": ["A"]},
        {"title": "Quant", "abstract": ABSTRACT_B, "doi": "10.1000/XYZ"},
        {"title": "Plain", "abstract": ABSTRACT_B + " Different."},
        {"id": "given-7", "title": "Given", "abstract": ABSTRACT_A + " Other."},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    papers = list(read_papers([path]))
    assert [p.id for p in papers] == ["arxiv:2401.01234", "doi:10.1000/xyz", paper_id("Plain"), "given-7"]
    assert papers[0].year == 2024 and papers[0].authors == ["A"]


def test_title_hash_id_is_stable_and_ignores_formatting():
    assert paper_id("Attention Is All You Need") == paper_id("  attention is all you need! ")
    # The same value on every machine and run: a SHA-1 prefix of the normalized title.
    assert paper_id("Attention Is All You Need") == "37f63852cdfb0690"


def test_folder_and_repeated_papers_become_one(tmp_path):
    write_listing(tmp_path / "a.txt", ["h"], [("FooNet: A Net", ABSTRACT_A), ("Quantized Transformers?", ABSTRACT_B)])
    (tmp_path / "b.jsonl").write_text(json.dumps({"title": "FooNet: a net", "abstract": ABSTRACT_A}) + "\n")
    report = ReadReport()
    papers = list(read_papers([tmp_path], report))
    assert len(papers) == 2
    assert report.duplicates == 1


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        list(read_papers([tmp_path / "nope.jsonl"]))


def test_empty_file_is_reported(tmp_path):
    (tmp_path / "empty.jsonl").write_text("")
    report = ReadReport()
    assert list(read_papers([tmp_path / "empty.jsonl"], report)) == []
    assert "empty file" in str(report.problems[0])


def test_bad_json_lines_are_skipped_and_counted(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_bytes(
        json.dumps({"title": "Good", "abstract": ABSTRACT_A}).encode()
        + b"\n"
        + b'{"title": "broken",\n'
        + json.dumps({"title": "No abstract"}).encode()
        + b"\n"
        + b'{"title": "Latin-1 \xe9", "abstract": "x"}\n'
        + b"[1, 2]\n"
        + json.dumps({"title": "Also good", "abstract": ABSTRACT_B}).encode()
        + b"\n"
    )
    report = ReadReport()
    papers = list(read_papers([path], report))
    assert [p.title for p in papers] == ["Good", "Also good"]
    messages = [str(p) for p in report.problems]
    assert ":2: malformed JSON" in messages[0]
    assert any(":3: record without abstract" in m for m in messages)
    assert any(":4: bytes that are not UTF-8" in m for m in messages)
    assert any(":5: a JSON line must be an object" in m for m in messages)
    assert report.skipped == 4
