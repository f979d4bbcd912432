"""Precision and recall of result extraction (``kg.extract.results``) on hand-annotated abstracts.

Usage::

    python bench/results_eval.py [--gold bench/results_gold.jsonl] [--seeds ../shared/seeds] [--errors]

Gold format (``bench/results_gold.jsonl``), one abstract a line::

    {"id": "<paper.id from kg.readers>", "title": "...",
     "results": [{"subject": "PDP", "metric": "top-1 accuracy", "value": 68.2, "unit": "%",
                  "dataset": "ImageNet1k", "setting": "86.6% sparsity", "relative": false,
                  "evidence": "<the sentence>", "applied_to": "MobileNet-v1"}]}

``applied_to``, ``baseline`` (the compared model) and ``low`` (lower end of a range) are optional.
Abstracts come from the seed listings by ``id``; an abstract with ``"results": []`` states
numbers that are not results (dataset sizes, years, parameter counts) and tests precision.

Annotation conventions (written before the extractor was tuned):

- Every result a careful reader would record: a value of a measure reached by a named model or
  method, or by the paper's own contribution ("we", "our model"). Values of unnamed baselines
  ("the next best shows 81.5%") are not recorded; values of named ones are ("ChatGPT 46.3%").
- ``subject``: the model or method that reaches the value, spelled as in the sentence (or the
  contribution's name for "we"/"our method"). A model a method is applied to goes to
  ``applied_to`` ("Step-DPO, applied to Qwen2-72B-Instruct, achieves ..." has subject Step-DPO).
- ``metric``: the measure named next to the number, under its lexicon name where it has one
  ("WER" -> "word error rate", "memory consumption" -> "memory usage"), without qualifiers such
  as "validation" or "final"; words that imply a measure give it ("faster" -> speedup, "smaller"
  -> model size, "fewer parameters" -> number of parameters, "error" -> error rate), as does a
  unit that names one (TFLOPS, tokens/s). A number with no measure of its own takes the one
  quality measure its sentence names ("achieves accuracies of 56.48%, surpassing LoRA by 33.52%").
  Unnamed measures ("scores", "performance") are null.
- ``dataset``: only a dataset or benchmark named in the same sentence and tied to the number
  (next to it, paired in a "respectively" list, or the only one in the sentence). Sizes
  (parameters, model size, FLOPs) take none; training data ("with the Alpaca dataset") is not one.
- ``value``: the number as stated; "up to", "over", "~" are dropped; a range gives its upper
  end (``low`` holds the lower); "from A to B" gives B (absolute).
- ``relative``: true for differences and ratios against something else ("by 1.7%", "2x faster",
  "a 19% reduction", "15% the size of", "x" and "points" units), false for values reached.
- ``setting``: conditions ("86.6% sparsity", "4-bit", "GPU"). Numbers that only set the
  conditions ("at 70% sparsity", "with 0.72 times trainable parameters", "using 1.25% of its
  parameters") are not results.
- Not results: parameter and token counts, dataset sizes, years, resolutions, device counts,
  hardware memory, context lengths, numbers in other papers' hypotheses.

Matching: a predicted result matches a gold one of the same abstract when subject, dataset
(null only equals null), metric (null only equals null) and value (within 1e-6) all match.
Names match when they are equal after folding (lower case, letters and digits only), or are
forms of one mention of the abstract's extraction, or forms of one lexicon entry. Each gold
result is matched at most once (maximum bipartite matching). Unit, relative and evidence
offsets are reported as accuracies over the matched pairs.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.extract.lexicon import default_lexicon
from kg.extract.pipeline import Extractor
from kg.extract.results import Result, extract_results
from kg.model import Mention, Paper
from kg.readers import read_papers
from kg.text import fold

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "bench" / "results_gold.jsonl"
SEEDS = ROOT.parent / "shared" / "seeds"
TOLERANCE = 1e-6


@dataclass
class Scores:
    """Micro-averaged counts over all abstracts, and what went wrong where."""

    true_positives: int = 0
    predicted: int = 0
    gold: int = 0
    unit_right: int = 0
    relative_right: int = 0
    offsets_right: int = 0
    errors: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


class NameMatcher:
    """Whether two names denote one thing in one abstract: folded equality, one mention, or one lexicon entry."""

    def __init__(self, mentions: list[Mention]) -> None:
        self.group: dict[str, int] = {}
        for index, mention in enumerate(mentions):
            for form in mention.forms():
                self.group.setdefault(fold(form), index)

    def same(self, a: str | None, b: str | None) -> bool:
        if a is None or b is None:
            return a is None and b is None
        fa, fb = fold(a), fold(b)
        if fa == fb:
            return True
        if fa in self.group and self.group[fa] == self.group.get(fb):
            return True
        lexicon = default_lexicon()
        ea, eb = lexicon.lookup(a), lexicon.lookup(b)
        return ea is not None and ea is eb


def own_contribution(mentions: list[Mention]) -> str | None:
    """The paper's own contribution as the brief defines it: the first proposed MODEL or METHOD."""
    return next((m.name for m in mentions if m.proposed and m.type in ("MODEL", "METHOD")), None)


def _matches(pred: Result, gold: dict[str, Any], names: NameMatcher) -> bool:
    return (
        abs(pred.value - float(gold["value"])) <= TOLERANCE
        and names.same(pred.subject, gold["subject"])
        and names.same(pred.dataset, gold.get("dataset"))
        and names.same(pred.metric, gold.get("metric"))
    )


def _max_matching(pairs: dict[int, list[int]]) -> dict[int, int]:
    """Maximum bipartite matching (Kuhn): predicted index -> gold index."""
    gold_of: dict[int, int] = {}

    def augment(p: int, seen: set[int]) -> bool:
        for g in pairs[p]:
            if g in seen:
                continue
            seen.add(g)
            if g not in gold_of or augment(gold_of[g], seen):
                gold_of[g] = p
                return True
        return False

    for p in pairs:
        augment(p, set())
    return {p: g for g, p in gold_of.items()}


def _as_dict(result: Result) -> dict[str, Any]:
    keys = ("subject", "metric", "value", "unit", "dataset", "setting", "relative", "applied_to", "baseline")
    return {k: getattr(result, k) for k in keys} | {"evidence": result.sentence}


def load_gold(path: Path = GOLD) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate(gold_path: Path = GOLD, seeds: Path = SEEDS, extractor: Extractor | None = None) -> Scores:
    """Run mention extraction and result extraction on the gold abstracts and score the results."""
    gold = load_gold(gold_path)
    papers: dict[str, Paper] = {p.id: p for p in read_papers([seeds])}
    missing = [g["id"] for g in gold if g["id"] not in papers]
    if missing:
        raise SystemExit(f"gold abstracts not found in {seeds}: {', '.join(missing)}")
    extractor = extractor or Extractor()
    scores = Scores()
    extractions = extractor.extract([papers[g["id"]] for g in gold])
    for record, extraction in zip(gold, extractions, strict=True):
        abstract = extraction.paper.abstract
        predicted = extract_results(abstract, extraction.mentions, own_contribution(extraction.mentions))
        names = NameMatcher(extraction.mentions)
        expected = record["results"]
        pairs = {i: [j for j, g in enumerate(expected) if _matches(p, g, names)] for i, p in enumerate(predicted)}
        matching = _max_matching(pairs)
        scores.true_positives += len(matching)
        scores.predicted += len(predicted)
        scores.gold += len(expected)
        for i, j in matching.items():
            pred, want = predicted[i], expected[j]
            scores.unit_right += (pred.unit or None) == (want.get("unit") or None)
            scores.relative_right += pred.relative == bool(want.get("relative"))
            scores.offsets_right += abstract[pred.start : pred.end] == pred.sentence
        false_positives = [_as_dict(p) for i, p in enumerate(predicted) if i not in matching]
        matched_gold = set(matching.values())
        false_negatives = [g for j, g in enumerate(expected) if j not in matched_gold]
        if false_positives or false_negatives:
            scores.errors[record["id"]] = {
                "title": record["title"],
                "missed": false_negatives,
                "spurious": false_positives,
            }
    return scores


def _short(result: dict[str, Any]) -> str:
    fields = [
        f"subject={result['subject']!r}",
        f"metric={result.get('metric')!r}",
        f"value={result['value']}",
        f"unit={result.get('unit')!r}",
        f"dataset={result.get('dataset')!r}",
    ]
    return " ".join(fields)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--seeds", type=Path, default=SEEDS)
    parser.add_argument("--errors", action="store_true", help="print the missed and spurious results per abstract")
    args = parser.parse_args(argv)
    scores = evaluate(args.gold, args.seeds)
    if args.errors:
        for paper_id, errors in scores.errors.items():
            print(f"== {paper_id} {errors['title'][:80]}")
            for item in errors["missed"]:
                print(f"  MISSED   {_short(item)}")
                print(f"           | {item['evidence'][:160]}")
            for item in errors["spurious"]:
                print(f"  SPURIOUS {_short(item)}")
                print(f"           | {item['evidence'][:160]}")
        print()
    tp = scores.true_positives
    print(f"gold results {scores.gold}, predicted {scores.predicted}, matched {tp}")
    print(f"precision {scores.precision:.3f}  recall {scores.recall:.3f}  F1 {scores.f1:.3f}")
    if tp:
        print(
            f"on matched results: unit {scores.unit_right / tp:.3f}  relative {scores.relative_right / tp:.3f}  "
            f"evidence offsets {scores.offsets_right / tp:.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
