"""Scoring extraction against hand-annotated abstracts, by the matching rules of SCHEMA.md.

Entities match when any of their folded forms (name or aliases) agree, one gold
entity at most once; relations match when their type agrees and both ends match
as entities. Precision, recall and F1 are micro-averaged over all abstracts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.schema import load_schema
from kg.text import fold


@dataclass
class Tally:
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)

    def add(self, kind: str, key: str) -> None:
        getattr(self, kind)[key] += 1
        getattr(self, kind)["ALL"] += 1

    def row(self, key: str) -> dict[str, float]:
        tp, fp, fn = self.tp[key], self.fp[key], self.fn[key]
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


@dataclass
class Score:
    entities: Tally = field(default_factory=Tally)
    relations: Tally = field(default_factory=Tally)
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)


def _forms(entity: dict) -> set[str]:
    return {f for f in (fold(n) for n in [entity.get("name", ""), *(entity.get("aliases") or [])]) if f}


def _match(gold: list[dict], predicted: list[dict], typed: bool) -> dict[int, int]:
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for p_index, p in enumerate(predicted):
        for g_index, g in enumerate(gold):
            if g_index in used or (typed and p.get("type") != g.get("type")):
                continue
            if _forms(p) & _forms(g):
                pairs[p_index] = g_index
                used.add(g_index)
                break
    return pairs


def _index_of(name: str, entities: list[dict]) -> int | None:
    key = fold(name)
    return next((i for i, e in enumerate(entities) if key in _forms(e)), None)


def _predicted_end(name: str, entities: list[dict], matched: dict[int, int]) -> object:
    """The gold entity index a predicted relation end stands for, or a key no gold end has."""
    index = _index_of(name, entities)
    return matched.get(index, ("unmatched", fold(name))) if index is not None else ("unmatched", fold(name))


def score(gold_docs: Iterable[dict], predictions: dict[str, dict]) -> Score:
    """Compare predictions (by abstract id) with the gold abstracts; cost O(entities^2) per abstract."""
    result = Score()
    for gold in gold_docs:
        doc_id = str(gold["id"])
        predicted = predictions.get(doc_id, {})
        g_entities, p_entities = gold.get("entities", []), predicted.get("entities", []) or []
        typed = _match(g_entities, p_entities, typed=True)
        for i, entity in enumerate(p_entities):
            if i in typed:
                result.entities.add("tp", entity["type"])
            else:
                result.entities.add("fp", entity.get("type", "?"))
                result.false_alarms.append(f"{doc_id}: entity {entity.get('name')} [{entity.get('type')}]")
        matched = set(typed.values())
        for i, entity in enumerate(g_entities):
            if i not in matched:
                result.entities.add("fn", entity["type"])
                result.misses.append(f"{doc_id}: entity {entity['name']} [{entity['type']}]")
        untyped = _match(g_entities, p_entities, typed=False)

        gold_keys = Counter(
            (_index_of(r["head"], g_entities), r["type"], _index_of(r["tail"], g_entities))
            for r in gold.get("relations", [])
        )
        for relation in predicted.get("relations", []) or []:
            key = (
                _predicted_end(relation["head"], p_entities, untyped),
                relation["type"],
                _predicted_end(relation["tail"], p_entities, untyped),
            )
            if gold_keys[key] > 0:
                gold_keys[key] -= 1
                result.relations.add("tp", relation["type"])
            else:
                result.relations.add("fp", relation["type"])
                result.false_alarms.append(f"{doc_id}: {relation['head']} -{relation['type']}-> {relation['tail']}")
        for relation in gold.get("relations", []):
            key = (_index_of(relation["head"], g_entities), relation["type"], _index_of(relation["tail"], g_entities))
            if gold_keys[key] > 0:
                gold_keys[key] -= 1
                result.relations.add("fn", relation["type"])
                result.misses.append(f"{doc_id}: {relation['head']} -{relation['type']}-> {relation['tail']}")
    return result


def format_table(result: Score) -> str:
    """The score table: per type and overall, for entities and relations."""
    schema = load_schema()
    lines = []
    for title, tally, types in (
        ("entities", result.entities, schema.entity_types),
        ("relations", result.relations, schema.relation_types),
    ):
        lines.append(f"{title:<16}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}")
        for key in ["ALL", *types]:
            row = tally.row(key)
            if row["tp"] + row["fp"] + row["fn"]:
                lines.append(
                    f"  {key:<14}{row['precision']:7.3f}{row['recall']:7.3f}{row['f1']:7.3f}"
                    f"{row['tp']:6d}{row['fp']:6d}{row['fn']:6d}"
                )
        lines.append("")
    return "\n".join(lines)
