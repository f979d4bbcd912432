"""Canonicalization across papers: what merges and what stays apart."""

from kg.extract.lexicon import Entry, Lexicon
from kg.model import Mention
from kg.resolve import Resolver, derived_family

LEXICON = Lexicon(
    [
        Entry("LLaMA-2", "MODEL", ["Llama 2"], "LLaMA"),
        Entry("ResNet-18", "MODEL", [], "ResNet"),
        Entry("ResNet-50", "MODEL", [], "ResNet"),
        Entry("knowledge distillation", "METHOD", ["KD"]),
    ]
)


def resolve_all(*mentions):
    resolver = Resolver(LEXICON)
    return [resolver.resolve(m) for m in mentions], resolver


def test_spellings_of_one_model_merge():
    entities, resolver = resolve_all(
        Mention("LLaMA-2", "MODEL"), Mention("Llama 2", "MODEL"), Mention("LLaMA2", "MODEL")
    )
    assert len({e.id for e in entities}) == 1
    assert entities[0].name == "LLaMA-2"
    assert set(entities[0].forms) == {"LLaMA-2", "Llama 2", "LLaMA2"}


def test_unknown_spellings_merge_by_folded_form():
    entities, _ = resolve_all(Mention("Foo-Net", "MODEL"), Mention("FooNet", "MODEL"), Mention("foonet", "MODEL"))
    assert len({e.id for e in entities}) == 1


def test_versions_stay_apart():
    entities, _ = resolve_all(
        Mention("ResNet-18", "MODEL"),
        Mention("ResNet-50", "MODEL"),
        Mention("GPT-3", "MODEL"),
        Mention("GPT-4", "MODEL"),
    )
    assert len({e.id for e in entities}) == 4


def test_acronym_joins_its_long_form_where_defined():
    entities, _ = resolve_all(
        Mention("Text Instance Segmentation", "METHOD", ["TIS"]),
        Mention("TIS", "METHOD"),
    )
    assert entities[0].id == entities[1].id


def test_bare_acronym_seen_first_takes_long_name_later():
    entities, _ = resolve_all(Mention("GFCS", "METHOD"), Mention("Gradient-Free Channel Selection", "METHOD", ["GFCS"]))
    assert entities[0].id == entities[1].id
    assert entities[1].name == "Gradient-Free Channel Selection"


def test_same_acronym_of_two_different_long_forms_stays_apart():
    entities, _ = resolve_all(
        Mention("Text Instance Segmentation", "METHOD", ["TIS"]),
        Mention("Temporal Interest Sampler", "METHOD", ["TIS"]),
    )
    assert entities[0].id != entities[1].id


def test_lexicon_alias_merges_and_keeps_surface_forms():
    entities, _ = resolve_all(Mention("KD", "METHOD"), Mention("Knowledge Distillation", "METHOD"))
    assert entities[0].id == entities[1].id
    assert entities[0].name == "knowledge distillation"
    assert {"KD", "Knowledge Distillation"} <= set(entities[0].forms)


def test_longer_phrase_is_not_the_lexicon_term_it_contains():
    entities, _ = resolve_all(
        Mention("data-free knowledge distillation", "METHOD", ["knowledge distillation"]),
        Mention("knowledge distillation", "METHOD"),
    )
    assert entities[0].id != entities[1].id


def test_type_is_decided_by_majority_for_unknown_names():
    entities, _ = resolve_all(Mention("Zork", "METHOD"), Mention("Zork", "MODEL"), Mention("Zork", "MODEL"))
    assert entities[0].type == "MODEL"


def test_family_from_a_size_or_flavour_suffix():
    assert derived_family("LLaMA-2-7B") == "LLaMA-2"
    assert derived_family("Mixtral 8x7B") == "Mixtral"
    assert derived_family("BERT-base") == "BERT"
    assert derived_family("Qwen2-72B-Instruct") == "Qwen2-72B"
    assert derived_family("ResNet-50") is None  # a version, not a size: its family comes from the lexicon
    assert derived_family("GPT-4") is None
