"""Does a spaCy NER trained on SILVER labels (our rules' output) beat or help the rules on the dev gold?

Steps, all scratch under ``--work`` (default /tmp/learned/):

1. Silver: read the seed listings with ``kg.readers.read_papers`` (deduplicated), drop every paper
   that is also in the dev set (same normalized title or abstract), run ``kg.extract.pipeline.build_nlp()``
   over each title and abstract and keep the doc candidates (``doc._.kg_candidates``) as entity spans,
   overlaps resolved longest first. Optionally add rule-labelled synthetic abstracts (``--synthetic N``).
   Cached in ``silver-synN.jsonl`` (and the rules' dev predictions in ``rules.jsonl``); ``--fresh`` redoes both.
2. Train a spaCy ``ner`` per ``--init``: ``blank`` (a new component, random weights) or ``sm`` (the
   ``ner`` of en_core_web_sm sourced, its own tok2vec pretrained on OntoNotes NER, given our 7 labels
   and fine-tuned). Both have the same architecture (hash embeddings + CNN, width 96, transition-based
   parser). ~10% of the silver papers are held out; the epoch with the best silver-dev F1 is kept.
3. Score on ../shared/eval (dev gold is only read by the scorer, never for training), typed entities:
   (a) rules (``kg extract``, relations dropped); (s) the silver labeller itself on dev (the NER's ceiling);
   (b) NER alone; (b+acr) NER with acronym pairs merged
   by ``kg.extract.acronyms``; (c) rules + NER entities that overlap no rule entity; (d) rules kept only
   where the NER predicts a span with the same (folded) text.

Run time (measured on 2 shared CPU cores): silver ~25 s (cached afterwards), one epoch ~30-40 s for ``blank``
and ~45-80 s for ``sm``, scoring under a minute. ``--init blank --epochs 10`` takes ~7 minutes, the defaults
(both inits, 12 epochs) ~20 minutes, ``--reuse`` (rescoring saved models) under a minute.

Example::

    python bench/learned_ner.py --init blank --epochs 10 --fresh --work /tmp/learned/v2
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import compounding, minibatch

LABELS = ("MODEL", "METHOD", "DATASET", "BENCHMARK", "HARDWARE", "TASK", "METRIC")
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
EVAL = SHARED / "eval"
SEEDS = SHARED / "seeds"
Span3 = tuple[int, int, str]
Entity = dict[str, object]


def sfold(text: str) -> str:
    """The scorer's fold: NFKC, lower case, letters and digits only."""
    text = unicodedata.normalize("NFKC", str(text)).lower()
    return "".join(ch for ch in text if ch.isalnum())


def forms(entity: Entity) -> set[str]:
    """Folded name and aliases of an entity, as the scorer compares them."""
    names = [str(entity.get("name", ""))] + [str(a) for a in entity.get("aliases") or []]  # type: ignore[union-attr]
    return {f for f in map(sfold, names) if f}


def read_jsonl(path: Path) -> list[dict]:
    """All JSON objects of a JSON Lines file."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_jsonl(path: Path, rows: list[dict]) -> None:
    """Write rows as JSON Lines."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


# ---------------------------------------------------------------- silver


def longest_first(spans: list[Span3]) -> list[Span3]:
    """Drop overlapping spans, keeping the longest (earlier first on ties)."""
    kept: list[Span3] = []
    for span in sorted(spans, key=lambda s: (-(s[1] - s[0]), s[0])):
        if all(span[1] <= k[0] or k[1] <= span[0] for k in kept):
            kept.append(span)
    return sorted(kept)


def seed_papers(seeds: Path, dev_input: Path) -> tuple[list[tuple[str, str, str]], int]:
    """(paper id, title, abstract) of the seed papers that are not dev papers, and how many were dropped."""
    from kg.readers import read_papers
    from kg.text import normalize_title

    dev = read_jsonl(dev_input)
    dev_titles = {normalize_title(d.get("title") or "") for d in dev} - {""}
    dev_abstracts = {sfold(d["abstract"])[:300] for d in dev}
    papers, dropped = [], 0
    for paper in read_papers([seeds]):
        if normalize_title(paper.title or "") in dev_titles or sfold(paper.abstract)[:300] in dev_abstracts:
            dropped += 1
            continue
        papers.append((paper.id, paper.title or "", paper.abstract))
    return papers, dropped


def synthetic_papers(count: int, work: Path) -> list[tuple[str, str, str]]:
    """``count`` synthetic abstracts from ``kg synth`` (texts only; their truth is not used)."""
    path = work / f"synth-{count}.jsonl"
    subprocess.run(["kg", "synth", str(count), "--out", str(path)], check=True)
    return [(row["id"], row["title"], row["abstract"]) for row in read_jsonl(path)]


def build_silver(papers: list[tuple[str, str, str]]) -> list[dict]:
    """Rule candidates over each title and abstract as silver spans: {paper, text, spans}."""
    from kg.extract.pipeline import CANDIDATES, build_nlp

    nlp = build_nlp()
    texts = ((text, pid) for pid, title, abstract in papers for text in (title, abstract) if text.strip())
    rows = []
    for doc, pid in nlp.pipe(texts, as_tuples=True, batch_size=64):
        candidates = doc._.get(CANDIDATES) or []
        spans = longest_first([(c.start, c.end, c.type) for c in candidates if c.type in LABELS])
        rows.append({"paper": pid, "text": doc.text, "spans": spans})
    return rows


def to_doc(nlp: Language, row: dict) -> Doc:
    """A tokenized doc with the silver spans as entities (spans that cut a token are shrunk to whole tokens)."""
    doc = nlp.make_doc(row["text"])
    ents, used = [], set()
    for start, end, label in row["spans"]:
        span = doc.char_span(start, end, label=label, alignment_mode="contract")
        if span is None or len(span) == 0 or used & set(range(span.start, span.end)):
            continue
        used.update(range(span.start, span.end))
        ents.append(span)
    doc.set_ents(ents, default="outside")
    return doc


# ---------------------------------------------------------------- training


def make_nlp(init: str, base_model: str) -> Language:
    """A blank English pipeline with one ``ner``: new (``blank``) or sourced from en_core_web_sm (``sm``)."""
    nlp = spacy.blank("en")
    if init == "sm":
        nlp.add_pipe("ner", source=spacy.load(base_model, exclude=["tagger", "parser", "lemmatizer"]))
    else:
        nlp.add_pipe("ner")
    return nlp


def train(
    init: str, base_model: str, train_rows: list[dict], dev_rows: list[dict], epochs: int, seed: int, log: list[str]
) -> tuple[Language, float]:
    """Train one NER on the silver rows; return it at its best silver-dev epoch, with that F1."""
    spacy.util.fix_random_seed(seed)
    nlp = make_nlp(init, base_model)
    ner = nlp.get_pipe("ner")
    train_ex = [Example(nlp.make_doc(r["text"]), to_doc(nlp, r)) for r in train_rows]
    dev_ex = [Example(nlp.make_doc(r["text"]), to_doc(nlp, r)) for r in dev_rows]
    if init == "sm":
        for label in LABELS:
            ner.add_label(label)
        optimizer = nlp.resume_training()
    else:
        optimizer = nlp.initialize(lambda: train_ex)
    rng = random.Random(seed)
    best_f, best_bytes = -1.0, b""
    for epoch in range(1, epochs + 1):
        started = time.time()
        rng.shuffle(train_ex)
        losses: dict[str, float] = {}
        for batch in minibatch(train_ex, size=compounding(4.0, 32.0, 1.001)):
            nlp.update(batch, sgd=optimizer, drop=0.2, losses=losses)
        f1 = _micro_f(dev_ex, nlp)
        took = time.time() - started
        line = f"[{init}] epoch {epoch:2d} loss {losses.get('ner', 0):9.1f} silver-dev F1 {f1:.3f} ({took:.0f}s)"
        print(line, flush=True)
        log.append(line)
        if f1 > best_f:
            best_f, best_bytes = f1, nlp.to_bytes()
    nlp.from_bytes(best_bytes)
    return nlp, best_f


def _micro_f(examples: list[Example], nlp: Language) -> float:
    """Exact-span micro F1 over our labels (the sourced model's OntoNotes labels are ignored)."""
    tp = fp = fn = 0
    for ex, doc in zip(examples, nlp.pipe(ex.reference.text for ex in examples), strict=True):
        gold = {(e.start_char, e.end_char, e.label_) for e in ex.reference.ents}
        pred = {(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in LABELS}
        tp, fp, fn = tp + len(gold & pred), fp + len(pred - gold), fn + len(gold - pred)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


# ---------------------------------------------------------------- prediction and variants


def ner_entities(nlp: Language, records: list[dict], merge_acronyms: bool) -> dict[str, list[Entity]]:
    """NER entities per record id over title and abstract (see ``entities_from_spans``)."""
    texts = [(text, r["id"]) for r in records for text in (r.get("title") or "", r["abstract"])]
    spans: dict[str, list[tuple[str, str]]] = {r["id"]: [] for r in records}
    for doc, rid in nlp.pipe(texts, as_tuples=True):
        spans[rid].extend((e.text.strip(), e.label_) for e in doc.ents if e.label_ in LABELS)
    return entities_from_spans(records, spans, merge_acronyms)


def silver_entities(records: list[dict]) -> dict[str, list[Entity]]:
    """The silver labeller itself (rule doc candidates, no Extractor) as predictions: the NER's ceiling."""
    rows = build_silver([(r["id"], r.get("title") or "", r["abstract"]) for r in records])
    spans: dict[str, list[tuple[str, str]]] = {r["id"]: [] for r in records}
    for row in rows:
        spans[row["paper"]].extend((row["text"][s:e].strip(), label) for s, e, label in row["spans"])
    return entities_from_spans(records, spans, merge_acronyms=False)


def entities_from_spans(
    records: list[dict], spans: dict[str, list[tuple[str, str]]], merge_acronyms: bool
) -> dict[str, list[Entity]]:
    """One entity per folded name per record, its longest spelling and most frequent type;
    with ``merge_acronyms``, "long form (SHORT)" pairs found by ``kg.extract.acronyms`` become name + alias."""
    from kg.extract.acronyms import find_definitions

    out: dict[str, list[Entity]] = {}
    for r in records:
        names: dict[str, str] = {}
        types: dict[str, Counter] = {}
        for text, label in spans[r["id"]]:
            key = sfold(text)
            if not key:
                continue
            if len(text) > len(names.get(key, "")):
                names[key] = text
            types.setdefault(key, Counter())[label] += 1
        aliases: dict[str, list[str]] = {key: [] for key in names}
        if merge_acronyms:
            for text in (r.get("title") or "", r["abstract"]):
                for d in find_definitions(text):
                    long_key, short_key = sfold(d.long_form), sfold(d.short_form)
                    if long_key in aliases and short_key in aliases and long_key != short_key:
                        aliases[long_key].append(names[short_key])
                        types[long_key].update(types[short_key])
                        del aliases[short_key]
        out[r["id"]] = [
            {"name": names[k], "type": types[k].most_common(1)[0][0], "aliases": a} for k, a in aliases.items()
        ]
    return out


def _overlaps(a: str, b: str) -> bool:
    """Same folded text, or one is a whole-word part of the other ("GPT-4" in "GPT-4 Turbo")."""
    if sfold(a) == sfold(b):
        return True
    low_a, low_b = a.lower(), b.lower()
    return any(re.search(rf"(?<!\w){re.escape(y)}(?!\w)", x) for x, y in ((low_a, low_b), (low_b, low_a)) if y)


def union(rules: list[Entity], ner: list[Entity]) -> list[Entity]:
    """(c) Rule entities plus NER entities whose text overlaps no rule entity's name or alias."""
    rule_forms = [str(f) for e in rules for f in [e["name"], *(e.get("aliases") or [])]]  # type: ignore[misc]
    added = [e for e in ner if not any(_overlaps(str(e["name"]), f) for f in rule_forms)]
    return rules + added


def filtered(rules: list[Entity], ner: list[Entity]) -> list[Entity]:
    """(d) Rule entities one of whose forms the NER also predicted (any type)."""
    ner_forms = set().union(*(forms(e) for e in ner)) if ner else set()
    return [e for e in rules if forms(e) & ner_forms]


def score(pred: dict[str, list[Entity]], path: Path, gold: Path, scorer: Path) -> dict:
    """Write predictions (no relations) and run the official scorer on them; its typed entity report."""
    write_jsonl(path, [{"id": rid, "entities": ents, "relations": []} for rid, ents in pred.items()])
    done = subprocess.run(
        [sys.executable, str(scorer), str(gold), str(path), "--json"], check=True, capture_output=True
    )
    return json.loads(done.stdout)["entities"]


def table(results: dict[str, dict]) -> str:
    """Markdown tables: typed ALL P/R/F1 (+ untyped and coarse F1), then typed F1 per type."""
    head = "| variant | P | R | F1 | tp | fp | fn | untyped F1 | coarse F1 |\n|---|---|---|---|---|---|---|---|---|\n"
    rows = []
    for name, rep in results.items():
        a = rep["typed"]["ALL"]
        rows.append(
            f"| {name} | {a['precision']:.3f} | {a['recall']:.3f} | **{a['f1']:.3f}** | {a['tp']} | {a['fp']} | "
            f"{a['fn']} | {rep['untyped']['ALL']['f1']:.3f} | {rep['coarse']['ALL']['f1']:.3f} |"
        )
    per = "\n\n| variant | " + " | ".join(LABELS) + " |\n|---|" + "---|" * len(LABELS) + "\n"
    per_rows = [
        f"| {n} | " + " | ".join(f"{rep['typed'][t]['f1']:.3f}" for t in LABELS) + " |" for n, rep in results.items()
    ]
    return head + "\n".join(rows) + per + "\n".join(per_rows) + "\n"


# ---------------------------------------------------------------- main


def main() -> None:
    """Build silver, train, predict, score, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--init", nargs="+", choices=["blank", "sm"], default=["blank", "sm"], help="NER start(s)")
    parser.add_argument("--epochs", type=int, default=12, help="training epochs per NER (best silver-dev kept)")
    parser.add_argument("--synthetic", type=int, default=0, help="add N rule-labelled `kg synth` abstracts")
    parser.add_argument("--holdout", type=float, default=0.1, help="share of silver papers held out as silver dev")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--seeds", type=Path, default=SEEDS, help="seed listings (silver source)")
    parser.add_argument("--dev-input", type=Path, default=EVAL / "dev_input.jsonl")
    parser.add_argument("--gold", type=Path, default=EVAL / "dev_gold.jsonl", help="read only by the scorer")
    parser.add_argument("--scorer", type=Path, default=EVAL / "score.py")
    parser.add_argument("--work", type=Path, default=Path("/tmp/learned"), help="scratch folder")
    parser.add_argument("--fresh", action="store_true", help="rebuild the cached silver and rules predictions")
    parser.add_argument("--reuse", action="store_true", help="load NERs trained by an earlier run instead of training")
    args = parser.parse_args()
    from kg.extract.pipeline import BASE_MODEL

    t0 = time.time()
    args.work.mkdir(parents=True, exist_ok=True)
    log: list[str] = []

    silver_path = args.work / f"silver-syn{args.synthetic}.jsonl"
    if args.fresh or not silver_path.exists():
        papers, dropped = seed_papers(args.seeds, args.dev_input)
        print(f"silver: {len(papers)} seed papers ({dropped} dev papers dropped)", flush=True)
        if args.synthetic:
            papers += synthetic_papers(args.synthetic, args.work)
        write_jsonl(silver_path, build_silver(papers))
    silver = read_jsonl(silver_path)
    paper_ids = sorted({r["paper"] for r in silver})
    random.Random(args.seed).shuffle(paper_ids)
    held = set(paper_ids[: max(1, round(len(paper_ids) * args.holdout))])
    train_rows = [r for r in silver if r["paper"] not in held]
    dev_rows = [r for r in silver if r["paper"] in held and not str(r["paper"]).startswith("synth-")]
    counts = Counter(s[2] for r in silver for s in r["spans"])
    line = (
        f"silver: {len(paper_ids)} papers, {len(silver)} texts, {sum(counts.values())} spans {dict(counts)}; "
        f"train {len(train_rows)} texts, silver dev {len(dev_rows)} texts ({time.time() - t0:.0f}s)"
    )
    print(line, flush=True)
    log.append(line)

    records = read_jsonl(args.dev_input)
    rules_path = args.work / "rules.jsonl"
    if args.fresh or not rules_path.exists():
        subprocess.run(["kg", "extract", "--input", str(args.dev_input), "--output", str(rules_path)], check=True)
    rules = {
        str(r["id"]): [{k: e[k] for k in ("name", "type", "aliases")} for e in r["entities"]]
        for r in read_jsonl(rules_path)
    }
    results = {"(a) rules": score(rules, args.work / "pred-rules.jsonl", args.gold, args.scorer)}
    silver_pred = silver_entities(records)
    results["(s) silver labeller: rule doc candidates"] = score(
        silver_pred, args.work / "pred-silver.jsonl", args.gold, args.scorer
    )
    for init in args.init:
        started = time.time()
        model_dir = args.work / f"ner-{init}-syn{args.synthetic}"
        if args.reuse and model_dir.exists():
            nlp = spacy.load(model_dir)
            silver_f = _micro_f([Example(nlp.make_doc(r["text"]), to_doc(nlp, r)) for r in dev_rows], nlp)
        else:
            nlp, silver_f = train(init, BASE_MODEL, train_rows, dev_rows, args.epochs, args.seed, log)
            nlp.to_disk(model_dir)
        line = f"[{init}] best silver-dev F1 {silver_f:.3f}; trained (or loaded) in {time.time() - started:.0f}s"
        print(line, flush=True)
        log.append(line)
        ner = ner_entities(nlp, records, merge_acronyms=False)
        ner_acr = ner_entities(nlp, records, merge_acronyms=True)
        variants = {
            f"(b) NER-{init}": ner,
            f"(b+acr) NER-{init} + acronym merge": ner_acr,
            f"(c) rules + NER-{init} (non-overlapping)": {k: union(v, ner_acr.get(k, [])) for k, v in rules.items()},
            f"(d) rules filtered by NER-{init}": {k: filtered(v, ner.get(k, [])) for k, v in rules.items()},
        }
        for name, pred in variants.items():
            slug = re.sub(r"\W+", "-", name).strip("-").lower()
            results[name] = score(pred, args.work / f"pred-{slug}.jsonl", args.gold, args.scorer)
    report = table(results)
    total = f"total run time {time.time() - t0:.0f}s"
    print("\n" + report + "\n" + total)
    (args.work / "results.md").write_text("\n".join(log) + "\n\n" + report + "\n" + total + "\n", encoding="utf-8")
    (args.work / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
