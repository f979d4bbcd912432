"""Benchmark: resident memory of a large `kg build` over time, to show it stays flat during extraction.

usage: python bench/build_memory.py N [--workers 2] [--every 15]

Writes N synthetic abstracts (kg synth), runs `kg build` on them and samples the
resident memory of the build and its worker processes every --every seconds
(from /proc), together with the number of finished extraction batches. Prints
one line per sample and a summary: peak memory while extracting the first and
the last tenth of the batches, and the peak during the final graph assembly.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MiB (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
        todo.extend(int(child) for child in children)
    return total / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--every", type=float, default=15.0)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-memory-"))
    corpus, out = work / "synth.jsonl", work / "graph"
    subprocess.run([sys.executable, "-m", "kg.cli", "synth", str(args.count), "--out", str(corpus)], check=True)
    began = time.perf_counter()
    build = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "build", str(corpus), "--out", str(out), "--workers", str(args.workers)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    total_batches = -(-args.count // 64)
    samples: list[tuple[float, int, float]] = []
    print("seconds  batches_done  rss_mib", flush=True)
    while build.poll() is None:
        done = len(list((out / "extractions").glob("batch-*.jsonl")))
        samples.append((time.perf_counter() - began, done, tree_rss_mib(build.pid)))
        print(f"{samples[-1][0]:7.0f}  {done:12d}  {samples[-1][2]:7.0f}", flush=True)
        time.sleep(args.every)
    summary = build.stdout.read() if build.stdout else ""
    seconds = time.perf_counter() - began
    tenth = max(1, total_batches // 10)
    early = [rss for _, done, rss in samples if done < tenth]
    late = [rss for _, done, rss in samples if total_batches - tenth <= done < total_batches]
    assembly = [rss for _, done, rss in samples if done >= total_batches]
    print(summary.splitlines()[0] if summary else f"build exited with {build.returncode}")
    print(f"{args.count} abstracts, {args.workers} workers: {seconds:.0f} s ({args.count / seconds:.1f} abstracts/s)")
    for label, values in (("first tenth", early), ("last tenth", late), ("assembly", assembly)):
        if values:
            print(
                f"peak RSS during {label} of extraction: {max(values):.0f} MiB"
                if label != "assembly"
                else f"peak RSS during graph assembly: {max(values):.0f} MiB"
            )


if __name__ == "__main__":
    main()
