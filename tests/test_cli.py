"""The command line as a user meets it: the extract contract, build, bad input, exit codes."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.graph import KnowledgeGraph

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "kg" / "data" / "sample"
SHARED_EVAL = ROOT.parent / "shared" / "eval"


def kg(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=600
    )


def test_help_on_every_command():
    for command in ([], ["extract"], ["build"]):
        result = kg(*command, "--help")
        assert result.returncode == 0
        assert "Usage:" in result.stdout


def test_extract_writes_one_prediction_per_abstract_in_order(tmp_path):
    out = tmp_path / "pred.jsonl"
    result = kg("extract", "--input", EXAMPLES / "abstracts.jsonl", "--output", out)
    assert result.returncode == 0, result.stderr
    inputs = [json.loads(line) for line in (EXAMPLES / "abstracts.jsonl").read_text().splitlines()]
    predictions = [json.loads(line) for line in out.read_text().splitlines()]
    assert [p["id"] for p in predictions] == [r["id"] for r in inputs]
    for prediction in predictions:
        assert set(prediction) >= {"id", "entities", "relations"}
        names = {e["name"] for e in prediction["entities"]}
        for entity in prediction["entities"]:
            assert set(entity) == {"name", "type", "aliases", "proposed"}
        for relation in prediction["relations"]:
            assert relation["head"] in names and relation["tail"] in names
            assert relation["evidence"]


@pytest.mark.skipif(not (SHARED_EVAL / "validate.py").exists(), reason="shared/eval is not beside the project")
def test_extract_output_passes_the_shared_validator(tmp_path):
    out = tmp_path / "pred.jsonl"
    assert kg("extract", "--input", SHARED_EVAL / "dev_input.jsonl", "--output", out).returncode == 0
    check = subprocess.run([sys.executable, SHARED_EVAL / "validate.py", out], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout[-2000:]


def test_build_writes_reloadable_graph_and_summary(tmp_path):
    result = kg("build", EXAMPLES / "abstracts.jsonl", EXAMPLES / "listing.txt", "--out", tmp_path / "g")
    assert result.returncode == 0, result.stderr
    assert "papers: 7" in result.stdout  # SlimPrune appears in both files and is merged
    assert "duplicates merged: 1" in result.stdout
    graph = KnowledgeGraph.load(tmp_path / "g")
    assert len(graph.papers) == 7
    assert (tmp_path / "g" / "graph.graphml").stat().st_size > 0
    again = KnowledgeGraph.from_dict(json.loads(json.dumps(graph.to_dict())))
    assert again.to_dict() == graph.to_dict()
    slim = graph.entities["slimprune"]
    assert slim.type == "METHOD" and slim.proposed_by
    relation = graph.relations[("slimprune", "COMPRESSES", "vitb16")]
    assert relation.support == 1 and relation.evidence[0].sentence.startswith("SlimPrune prunes")


def test_build_min_confidence_drops_weak_relations(tmp_path):
    kg("build", EXAMPLES / "abstracts.jsonl", "--out", tmp_path / "all")
    kg("build", EXAMPLES / "abstracts.jsonl", "--out", tmp_path / "sure", "--min-confidence", "0.8")
    everything, sure = KnowledgeGraph.load(tmp_path / "all"), KnowledgeGraph.load(tmp_path / "sure")
    assert 0 < len(sure.relations) < len(everything.relations)
    assert all(r.confidence >= 0.8 for r in sure.relations.values())


def no_traceback(result):
    return "Traceback" not in result.stderr and "Traceback" not in result.stdout


def test_missing_input_is_one_line_and_exit_1(tmp_path):
    result = kg("build", tmp_path / "missing.jsonl", "--out", tmp_path / "g")
    assert result.returncode == 1
    assert result.stderr.strip() == f"kg: error: {tmp_path / 'missing.jsonl'}: no such file or folder"


def test_empty_input_fails_with_exit_1(tmp_path):
    (tmp_path / "empty.jsonl").write_text("")
    result = kg("extract", "--input", tmp_path / "empty.jsonl", "--output", tmp_path / "p.jsonl")
    assert result.returncode == 1 and no_traceback(result)
    assert "empty file" in result.stderr and "no papers could be read" in result.stderr


def test_bad_records_are_skipped_and_reported_or_fail_under_strict(tmp_path):
    path = tmp_path / "in.jsonl"
    good = {"id": "g1", "title": "FooNet", "abstract": "We propose FooNet for image classification on ImageNet."}
    path.write_bytes(
        json.dumps(good).encode() + b"\n{oops\n" + b'{"title": "no abstract"}\n' + b'{"abstract": "\xff"}\n'
    )
    result = kg("extract", "--input", path, "--output", tmp_path / "p.jsonl")
    assert result.returncode == 0 and no_traceback(result)
    assert f"{path}:2: malformed JSON" in result.stderr
    assert f"{path}:3: record without abstract" in result.stderr
    assert f"{path}:4: bytes that are not UTF-8" in result.stderr
    assert "3 bad record(s) skipped, 1 papers read" in result.stderr
    assert len((tmp_path / "p.jsonl").read_text().splitlines()) == 1
    strict = kg("extract", "--input", path, "--output", tmp_path / "p2.jsonl", "--strict")
    assert strict.returncode == 1 and "--strict" in strict.stderr and no_traceback(strict)


def test_unwritable_output_is_a_clear_error(tmp_path):
    result = kg("extract", "--input", EXAMPLES / "abstracts.jsonl", "--output", tmp_path / "no" / "dir" / "p.jsonl")
    assert result.returncode == 1 and no_traceback(result)
    assert "cannot write" in result.stderr


def test_build_without_inputs_builds_the_bundled_sample(tmp_path):
    result = kg("build", "--out", tmp_path / "g")
    assert result.returncode == 0, result.stderr
    assert "bundled sample" in result.stderr
    assert len(KnowledgeGraph.load(tmp_path / "g").papers) == 7


def test_usage_errors_exit_2():
    assert kg("build", "--min-confidence", "2").returncode == 2
    assert kg("extract", "--input").returncode == 2
    assert kg("no-such-command").returncode == 2


def test_eval_scores_a_gold_file(tmp_path):
    abstract = "We propose SlimCut, a pruning method. SlimCut prunes ResNet-50 and is evaluated on ImageNet."
    (tmp_path / "in.jsonl").write_text(json.dumps({"id": "a1", "title": "SlimCut", "abstract": abstract}) + "\n")
    gold = {
        "id": "a1",
        "entities": [
            {"name": "SlimCut", "type": "METHOD", "aliases": [], "proposed": True},
            {"name": "ResNet-50", "type": "MODEL", "aliases": [], "proposed": False},
            {"name": "ImageNet", "type": "DATASET", "aliases": [], "proposed": False},
            {"name": "pruning", "type": "METHOD", "aliases": [], "proposed": False},
            {"name": "FLOPs", "type": "METRIC", "aliases": [], "proposed": False},
        ],
        "relations": [
            {"head": "SlimCut", "type": "COMPRESSES", "tail": "ResNet-50"},
            {"head": "SlimCut", "type": "EVALUATED_ON", "tail": "ImageNet"},
        ],
    }
    (tmp_path / "gold.jsonl").write_text(json.dumps(gold) + "\n")
    result = kg("eval", tmp_path / "gold.jsonl", tmp_path / "in.jsonl")
    assert result.returncode == 0, result.stderr
    assert "a1: entity FLOPs [METRIC]" in result.stdout  # named nowhere in the text, so always a miss
    assert result.stdout.splitlines()[0].split()[:4] == ["entities", "P", "R", "F1"]
    if (SHARED_EVAL / "score.py").exists():  # the same figures as the shared scorer on the same predictions
        kg("extract", "--input", tmp_path / "in.jsonl", "--output", tmp_path / "pred.jsonl")
        shared = subprocess.run(
            [sys.executable, SHARED_EVAL / "score.py", tmp_path / "gold.jsonl", tmp_path / "pred.jsonl"],
            capture_output=True,
            text=True,
        )
        assert shared.stdout.strip().splitlines()[-1] == result.stdout.strip().splitlines()[-1]


def test_model_families_are_linked_not_merged(tmp_path):
    assert kg("build", "--out", tmp_path / "g").returncode == 0
    graph = KnowledgeGraph.load(tmp_path / "g")
    variants = {(h, t) for h, kind, t in graph.relations if kind == "VARIANT_OF"}
    assert ("llama27b", "llama2") in variants and ("llama213b", "llama2") in variants
    assert ("llama2", "llama") in variants  # the family chain reaches its root, added from the lexicon
    assert graph.entities["llama"].papers == [] and graph.entities["llama27b"].family == "LLaMA-2"
