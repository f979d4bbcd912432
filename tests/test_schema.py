"""What the extractor derives from the schema instead of spelling it again."""

from kg.schema import load_schema


def test_actors_are_the_types_that_head_stated_relations():
    assert set(load_schema().actors) == {"MODEL", "METHOD"}


def test_tail_relations_list_what_may_end_in_each_non_actor_type():
    tails = load_schema().tail_relations
    assert tails["DATASET"] == ["EVALUATED_ON", "TRAINED_ON"]
    assert tails["HARDWARE"] == ["RUNS_ON"]
    assert tails["TASK"] == ["ADDRESSES"]
    assert "MODEL" not in tails and "VARIANT_OF" not in sum(tails.values(), [])
