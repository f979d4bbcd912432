"""Builds at scale: the same graph from 1 or 2 workers and from Dask, and resume after kill -9."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.build import BATCH_DIR, BuildOptions, build_graph

SAMPLE = Path(__file__).resolve().parent.parent / "kg" / "data" / "sample"


def graph_json(out: Path) -> str:
    return (out / "graph.json").read_text(encoding="utf-8")


def build(out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", *args, "--out", str(out)], capture_output=True, text=True, timeout=900
    )


def test_two_workers_give_the_same_graph_as_one(tmp_path):
    assert build(tmp_path / "one", str(SAMPLE), "--batch-size", "2").returncode == 0
    result = build(tmp_path / "two", str(SAMPLE), "--batch-size", "2", "--workers", "2")
    assert result.returncode == 0, result.stderr
    assert graph_json(tmp_path / "one") == graph_json(tmp_path / "two")
    assert len(list((tmp_path / "two" / BATCH_DIR).glob("batch-*.jsonl"))) == 4


def test_dask_cluster_gives_the_same_graph(tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        graph, batches = build_graph(
            [SAMPLE], tmp_path / "dask", options=BuildOptions(batch_size=2, dask_scheduler=cluster.scheduler_address)
        )
    local, _ = build_graph([SAMPLE], tmp_path / "local", options=BuildOptions(batch_size=2))
    assert batches.total == 4
    assert graph.to_dict() == local.to_dict()


def test_a_killed_build_resumes_without_redoing_or_losing_batches(seed_build, tmp_path):
    seeds = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
    out = tmp_path / "killed"
    command = [sys.executable, "-m", "kg.cli", "build", str(seeds), "--out", str(out), "--batch-size", "16"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 600
    while time.time() < deadline and len(list((out / BATCH_DIR).glob("batch-*.jsonl"))) < 3:
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done_before = len(list((out / BATCH_DIR).glob("batch-*.jsonl")))
    assert done_before >= 3
    assert not (out / "graph.json").exists(), "the build was killed before it finished"
    resumed = build(out, str(seeds), "--batch-size", "16")
    assert resumed.returncode == 0, resumed.stderr
    assert f"resumed: {done_before} of" in resumed.stdout
    # Batch size does not change the graph, so the uninterrupted session build is the reference.
    assert graph_json(out) == graph_json(seed_build[0])


def test_changed_inputs_start_over(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text((SAMPLE / "abstracts.jsonl").read_text())
    assert build(tmp_path / "g", str(source), "--batch-size", "2").returncode == 0
    source.write_text("\n".join((SAMPLE / "abstracts.jsonl").read_text().splitlines()[:2]) + "\n")
    again = build(tmp_path / "g", str(source), "--batch-size", "2")
    assert again.returncode == 0 and "resumed" not in again.stdout
    assert "papers: 2" in again.stdout
