"""Extraction on sentences written for these tests: entity types, acronyms, each relation type."""

import pytest

from kg.extract.pipeline import Extractor
from kg.model import Paper


@pytest.fixture(scope="module")
def extractor():
    return Extractor()


def extract(extractor, abstract, title=""):
    result = extractor.extract_one(Paper(id="t", title=title, abstract=abstract))
    entities = {m.name: m for m in result.mentions}
    relations = {(s.head, s.type, s.tail) for s in result.statements}
    return entities, relations, result


def test_known_names_are_typed(extractor):
    entities, _, _ = extract(
        extractor,
        "We fine-tune LLaMA-2-7B on the Alpaca dataset and report accuracy on MMLU using an NVIDIA A100 "
        "for question answering.",
    )
    types = {name: m.type for name, m in entities.items()}
    assert types["LLaMA-2-7B"] == "MODEL"
    assert types["MMLU"] == "BENCHMARK"
    assert types["NVIDIA A100"] == "HARDWARE"
    assert types["accuracy"] == "METRIC"
    assert types["question answering"] == "TASK"


def test_acronym_definition_gives_one_entity_with_alias(extractor):
    entities, _, _ = extract(
        extractor,
        "This paper presents Gradient-Free Channel Selection (GFCS), a pruning method. GFCS removes channels.",
    )
    entity = entities["Gradient-Free Channel Selection"]
    assert entity.aliases == ["GFCS"]
    assert entity.proposed
    assert "GFCS" not in entities


def test_title_name_is_proposed(extractor):
    entities, _, _ = extract(extractor, "We study sparse models at scale.", title="ZapNet: Sparse Models for Everyone")
    assert entities["ZapNet"].proposed


def test_new_names_typed_by_context(extractor):
    entities, _, _ = extract(
        extractor, "We collect the QuuxBench benchmark and the ZooVision-5K dataset, and train on TPU-X9 GPUs."
    )
    assert entities["QuuxBench"].type == "BENCHMARK"
    assert entities["ZooVision-5K"].type == "DATASET"


def test_compresses(extractor):
    _, relations, _ = extract(
        extractor, "We propose SlimCut, a structured pruning method. SlimCut prunes ResNet-50 by 50%."
    )
    assert ("SlimCut", "COMPRESSES", "ResNet-50") in relations


def test_evaluated_on(extractor):
    _, relations, _ = extract(
        extractor, "We propose FooNet. Experiments on CIFAR-10 and ImageNet show that FooNet is strong."
    )
    assert ("FooNet", "EVALUATED_ON", "CIFAR-10") in relations
    assert ("FooNet", "EVALUATED_ON", "ImageNet") in relations


def test_outperforms_with_list_and_negation(extractor):
    _, relations, _ = extract(
        extractor,
        "We introduce BarFormer. BarFormer outperforms BERT and RoBERTa on GLUE. "
        "BarFormer does not outperform DeBERTa.",
    )
    assert ("BarFormer", "OUTPERFORMS", "BERT") in relations
    assert ("BarFormer", "OUTPERFORMS", "RoBERTa") in relations
    assert ("BarFormer", "OUTPERFORMS", "DeBERTa") not in relations


def test_outperformed_by_reverses(extractor):
    _, relations, _ = extract(extractor, "In our study, AlexNet is outperformed by ResNet-50 on ImageNet.")
    assert ("ResNet-50", "OUTPERFORMS", "AlexNet") in relations


def test_uses(extractor):
    _, relations, _ = extract(extractor, "We present QuuxNet, which is built on Mamba and uses LoRA for adaptation.")
    assert ("QuuxNet", "USES", "Mamba") in relations
    assert ("QuuxNet", "USES", "Low-Rank Adaptation") in relations or ("QuuxNet", "USES", "LoRA") in relations


def test_trained_on(extractor):
    _, relations, _ = extract(
        extractor, "We propose TextZip. TextZip is pre-trained on The Pile and tested on LAMBADA."
    )
    assert ("TextZip", "TRAINED_ON", "The Pile") in relations
    assert ("TextZip", "TRAINED_ON", "LAMBADA") not in relations


def test_runs_on(extractor):
    _, relations, _ = extract(extractor, "We propose EdgeSeg, which runs in real time on a Jetson Nano.")
    assert ("EdgeSeg", "RUNS_ON", "Jetson Nano") in relations


def test_addresses(extractor):
    _, relations, _ = extract(extractor, "We propose MedSegX for medical image segmentation.")
    assert ("MedSegX", "ADDRESSES", "medical image segmentation") in relations


def test_statements_carry_sentence_offsets(extractor):
    abstract = "Deep models are big. We propose SlimCut, a pruning method. SlimCut prunes ResNet-50 by half."
    _, _, result = extract(extractor, abstract)
    statement = next(s for s in result.statements if s.type == "COMPRESSES")
    assert abstract[statement.start : statement.end].strip() == statement.sentence
    assert statement.section == "abstract"
    assert 0 < statement.confidence <= 1


def test_generic_phrases_are_not_entities(extractor):
    entities, _, _ = extract(
        extractor, "Large language models and deep neural networks outperform existing methods on many tasks."
    )
    folded = {name.lower() for name in entities}
    assert not folded & {"large language models", "deep neural networks", "existing methods", "many tasks"}


def test_title_name_and_its_acronym_definition_are_one_entity(extractor):
    entities, _, _ = extract(
        extractor,
        "We introduce Quiet Sparse Refitting (QuSR), a training-free method. QuSR prunes weights.",
        title="QuSR: Quiet Sparse Refitting",
    )
    entity = entities["Quiet Sparse Refitting"]
    assert entity.aliases == ["QuSR"] and entity.proposed
    assert "QuSR" not in entities


def test_name_described_as_a_kind_of_technique_uses_it(extractor):
    _, relations, _ = extract(
        extractor,
        "Among the candidates, weight-clustering, a form of non-linear quantization, is widely supported by phones.",
    )
    assert ("weight-clustering", "USES", "non-linear quantization") in relations


def test_a_class_of_models_named_in_the_title_is_not_the_contribution(extractor):
    entities, _, _ = extract(
        extractor,
        "We survey Retrieval Tuned Vision Models (RTVMs) and their uses.",
        title="A Survey of Retrieval Tuned Vision Models",
    )
    assert not entities["Retrieval Tuned Vision Models"].proposed


def test_title_name_found_with_another_word_ending(extractor):
    entities, _, _ = extract(
        extractor,
        "We present a unified functional hash that detects equivalent candidates.",
        title="Unified Functional Hashing in Program Search",
    )
    entity = entities["Unified Functional Hashing"]
    assert entity.proposed and entity.aliases == ["unified functional hash"]


def test_title_aim_is_not_a_part_of_the_contribution(extractor):
    _, relations, _ = extract(
        extractor,
        "We propose ZipPress, which searches layer-wise sparsity.",
        title="ZipPress: Towards Dynamic Model Compression via Evolutionary Search",
    )
    assert ("ZipPress", "USES", "Evolutionary Search") in relations
    assert not {r for r in relations if r[1] == "USES" and r[2] == "Dynamic Model Compression"}


def test_capitalised_word_listed_with_a_known_model_is_a_model(extractor):
    entities, relations, _ = extract(
        extractor, "Our results show that GlimNet outperforms strong baselines such as BERT and Zorblax."
    )
    assert entities["Zorblax"].type == "MODEL"
    assert ("GlimNet", "OUTPERFORMS", "Zorblax") in relations
    entities, _, _ = extract(extractor, "We compare Sequential Monte Carlo and variational inference.")
    assert "Carlo" not in entities


def test_title_technique_addresses_the_tasks_when_no_contribution_is_named(extractor):
    _, relations, _ = extract(
        extractor,
        "Through studies across machine translation and text summarization, we show where adapters help.",
        title="Towards a Unified View of Knowledge Distillation",
    )
    assert ("Knowledge Distillation", "ADDRESSES", "machine translation") in relations
    assert ("Knowledge Distillation", "ADDRESSES", "text summarization") in relations


def test_specific_words_before_a_kind_word_name_a_technique(extractor):
    entities, relations, _ = extract(
        extractor, "GlimNet utilizes a memory decay mechanism and the gradient bucket merging technique."
    )
    assert entities["memory decay mechanism"].type == "METHOD"
    assert entities["gradient bucket merging"].type == "METHOD"
    assert ("GlimNet", "USES", "memory decay mechanism") in relations
    entities, _, _ = extract(extractor, "We propose a novel technique and an effective strategy.")
    assert not entities


def test_participles_and_possessives_do_not_widen_names(extractor):
    entities, _, _ = extract(
        extractor, "We collect filters from configured MoE layers and trained CNNs, unlike today's PPLs."
    )
    assert not {"configured MoE", "trained CNNs", "today's PPLs"} & set(entities)


def test_hyphenated_training_verb_governs_its_dataset(extractor):
    _, relations, _ = extract(
        extractor, "GlimNet can fine-tune and compress a pretrained BERT model with the ZorpText dataset."
    )
    assert ("GlimNet", "TRAINED_ON", "ZorpText") in relations


def test_a_modifier_that_begins_a_term_is_kept(extractor):
    entities, _, _ = extract(
        extractor, "We study decoding.", title="Drafting for Efficient Large Language Model Decoding"
    )
    assert "Large Language Model Decoding" in entities


def test_uses_cue_describing_other_models_is_not_about_the_subject(extractor):
    _, relations, _ = extract(
        extractor, "GlimNet speeds up training by 1.2x on real-world MoE models based on GPT-2 and Mixtral."
    )
    assert not {r for r in relations if r[1] == "USES" and r[2] in ("GPT-2", "Mixtral")}
    _, relations, _ = extract(extractor, "GlimNet is a framework based on GPT-2.")
    assert ("GlimNet", "USES", "GPT-2") in relations


def test_versions_listed_after_a_slash_are_one_model_each(extractor):
    entities, relations, _ = extract(
        extractor, "We prune LLaMA-V1/V2 and InternVL-2.0-4B/8B/26B with GlimPrune, a pruning method."
    )
    assert {"LLaMA-V1", "LLaMA-V2", "InternVL-2.0-4B", "InternVL-2.0-8B", "InternVL-2.0-26B"} <= set(entities)
    assert entities["InternVL-2.0-26B"].type == "MODEL"


def test_known_task_widens_before_the_word_tasks(extractor):
    entities, _, _ = extract(extractor, "GlimNet is better by 6% in traditional text-image retrieval tasks.")
    assert "text-image retrieval" in entities and "image retrieval" not in entities


def test_it_stands_for_the_contribution_and_for_hardware_is_where_it_runs(extractor):
    _, relations, _ = extract(
        extractor, "We propose GlimNet, a small network. This makes it very handy for embedded devices."
    )
    assert ("GlimNet", "RUNS_ON", "embedded devices") in relations


def test_description_of_what_is_proposed_names_what_it_uses(extractor):
    _, relations, _ = extract(
        extractor, "Accordingly, GlimNet introduces an efficient fine-tuning solution on BERT without backpropagation."
    )
    assert ("GlimNet", "USES", "fine-tuning") in relations
    assert ("GlimNet", "USES", "BERT") in relations
    assert ("GlimNet", "USES", "backpropagation") not in relations


def test_fronted_inspired_by_clause_speaks_of_the_subject(extractor):
    _, relations, _ = extract(extractor, "Inspired by contrastive learning, GlimRank aligns texts and images.")
    assert ("GlimRank", "USES", "contrastive learning") in relations


def test_better_than_through_the_measure_it_describes(extractor):
    _, relations, _ = extract(
        extractor, "GlimRank achieves better ranking effectiveness than competitive vector quantization baselines."
    )
    assert ("GlimRank", "OUTPERFORMS", "vector quantization") in relations


def test_models_an_experiment_is_run_with_are_evaluated(extractor):
    _, relations, _ = extract(
        extractor, "We conduct experiments on eight datasets from the GLUE benchmark with BERT and RoBERTa."
    )
    assert ("BERT", "EVALUATED_ON", "GLUE") in relations
    assert ("RoBERTa", "EVALUATED_ON", "GLUE") in relations


def test_coordinated_phrases_and_acronym_spellings_are_not_names(extractor):
    entities, _, _ = extract(
        extractor,
        "GlimRank learns codes via CONstrained Clustering (CC). Four modules impact model quality and "
        "training efficiency. (2) Employing parallel corpora helps.",
    )
    assert not {"CONstrained", "Employing", "model quality and training efficiency"} & set(entities)
    assert "CONstrained Clustering" in entities


def test_a_measure_is_a_metric_where_it_is_reported_or_traded(extractor):
    entities, _, _ = extract(
        extractor, "Large models come with a big model size. GlimNet reduces latency by 2.1x on phones."
    )
    assert entities["latency"].type == "METRIC"
    assert "model size" not in entities


def test_dates_are_not_names_and_editions_belong_to_datasets(extractor):
    entities, _, _ = extract(extractor, "Data from February 2022 were added to MS MARCO 2020 and COCO 2017.")
    assert "February 2022" not in entities
    assert entities["MS MARCO 2020"].type == "DATASET"
    assert entities["COCO 2017"].type == "DATASET"


def test_bare_task_word_listed_with_a_known_task_is_a_task(extractor):
    entities, _, _ = extract(extractor, "We test GlimNet on language modeling and parsing tasks.")
    assert entities["parsing"].type == "TASK"


def test_metric_names_with_at_signs_and_latex_dashes(extractor):
    entities, _, _ = extract(
        extractor,
        "GlimEval generalizes the pass@k metric and handles right-censored execution time. "
        "We derive the estimator via Rao--Blackwellization and report 50x speed-ups.",
    )
    assert entities["pass@k"].type == "METRIC"
    assert entities["Rao--Blackwellization"].type == "METHOD"
    assert entities["speed-ups"].type == "METRIC"
    assert not [name for name in entities if name.startswith("handles")]


def test_or_defines_an_acronym_and_names_do_not_start_inside_hyphenated_words(extractor):
    entities, _, _ = extract(
        extractor,
        "Differentiable KMeans Clustering, or DKM, is hard to apply to train-time LLM compression.",
    )
    assert entities["Differentiable KMeans Clustering"].aliases == ["DKM"]
    assert "time LLM" not in entities and "Time-LLM" not in entities


def test_prefixed_and_abbreviated_classes_are_not_names(extractor):
    entities, _, _ = extract(extractor, "As pre-LLMs approaches show, a student LM distilled from larger LMs lags.")
    assert not {"pre-LLMs", "LM", "LMs"} & set(entities)


def test_activity_words_alone_do_not_make_a_task(extractor):
    entities, _, _ = extract(extractor, "It cuts data transfer and sequential processing for a deeper understanding.")
    assert not {"data transfer", "sequential processing", "deeper understanding"} & set(entities)


def test_a_widened_term_and_the_term_alone_are_one_entity(extractor):
    entities, _, _ = extract(
        extractor,
        "GlimNet cuts the train-time memory footprint by 130x. The memory footprint drops by 10x with "
        "product quantization and vector quantization, two kinds of quantization.",
    )
    assert entities["train-time memory footprint"].aliases == ["memory footprint"]
    assert {"product quantization", "vector quantization", "quantization"} <= set(entities)


def test_title_description_is_typed_by_its_head_word(extractor):
    entities, _, _ = extract(
        extractor, "We propose ZipPress for LLMs.", title="ZipPress: Extreme Compression of Large Language Models"
    )
    assert entities["ZipPress"].type == "METHOD"
    entities, _, _ = extract(extractor, "We release QuuxVL.", title="QuuxVL: An Open Vision-Language Model")
    assert entities["QuuxVL"].type == "MODEL"


def test_noun_before_a_naming_verb_gives_the_kind(extractor):
    entities, _, _ = extract(
        extractor,
        "We distil a 3B student LM (termed ZorbLM) and a search framework called ZorbSearch for xMR LLMs, "
        "named ZorbMath.",
    )
    assert entities["ZorbLM"].type == "MODEL"
    assert entities["ZorbSearch"].type == "METHOD"
    assert entities["ZorbMath"].type == "MODEL"


def test_title_name_takes_the_kind_the_abstract_gives_it(extractor):
    entities, _, _ = extract(
        extractor,
        "We use a new objective to train our model, Zorbit. Zorbit predicts paths.",
        title="Zorbit: Rethinking Path Prediction",
    )
    assert entities["Zorbit"].type == "MODEL"


def test_approach_to_a_task_names_the_task(extractor):
    entities, _, _ = extract(
        extractor, "ZipPress is an LLM compression approach built on an evolutionary search method."
    )
    assert entities["LLM compression"].type == "TASK"
    assert entities["evolutionary search"].type == "METHOD"


def test_coordinated_adjectives_describe_and_the_name_follows(extractor):
    entities, _, _ = extract(extractor, "We propose a brief and effective codebook initialization algorithm.")
    assert entities["codebook initialization algorithm"].type == "METHOD"


def test_unit_letters_stay_with_numbers_and_qa_names_are_benchmarks(extractor):
    entities, _, _ = extract(
        extractor, "Locret enables 128K long-context inference on GPUs. We build FreeFormQA and AlteredNumericQA."
    )
    assert "long-context inference" in entities
    assert entities["FreeFormQA"].type == "BENCHMARK"


def test_a_model_distilled_from_a_teacher_uses_it_and_does_not_compress_it(extractor):
    _, relations, _ = extract(
        extractor, "We distil a 3B student LM (termed ZorbLM) from a 7B teacher LM (adapted LLaMA2-7B)."
    )
    assert ("ZorbLM", "USES", "LLaMA2-7B") in relations
    assert ("ZorbLM", "COMPRESSES", "LLaMA2-7B") not in relations


def test_comparison_subject_must_be_named_and_objects_of_other_verbs_are_not_compared(extractor):
    _, relations, _ = extract(
        extractor, "On MATH-500, a small LLM outperforms GPT-4o, and a 7B LLM beats o1 and DeepSeek-R1."
    )
    assert not {r for r in relations if r[1] == "OUTPERFORMS"}
    _, relations, _ = extract(extractor, "ZorbMath-13B reaches 47.6% accuracy, which exceeds ChatGPT by 4%.")
    assert ("ZorbMath-13B", "OUTPERFORMS", "ChatGPT") in relations


def test_title_case_words_and_generated_by_compounds_are_not_names(extractor):
    entities, _, _ = extract(
        extractor,
        "Modules include Blocks, MLP, and Attention layers.",
        title="How Efficient is LLM-Generated Code? A Rigorous & High-Standard Benchmark",
    )
    assert not {"Blocks", "High-Standard", "LLM-Generated"} & set(entities)


def test_bare_abilities_are_not_tasks(extractor):
    entities, _, _ = extract(extractor, "LLMs show reasoning and planning abilities, and mathematical reasoning.")
    assert "reasoning" not in entities and "planning" not in entities
    assert entities["mathematical reasoning"].type == "TASK"


def test_a_term_widened_by_a_class_word_keeps_the_term_as_alias(extractor):
    entities, _, _ = extract(extractor, "We reduce the cost of LLM fine-tuning by 3x.")
    assert entities["LLM fine-tuning"].aliases == ["fine-tuning"]


def test_likened_or_exemplified_techniques_are_not_used(extractor):
    _, relations, _ = extract(
        extractor,
        "We propose GlimNet. GlimNet uses less memory compared to a solution using RAG. "
        "Via GlimNet we improve structural pruning (block dropping).",
    )
    assert ("GlimNet", "USES", "RAG") not in relations
    assert ("structural pruning", "USES", "block dropping") not in relations


def test_title_lead_phrase_names_the_proposed_technique(extractor):
    entities, _, _ = extract(
        extractor,
        "We propose an iterative compression technique that keeps false negatives low.",
        title="Class-dependent Compression of Deep Neural Networks",
    )
    assert entities["Class-dependent Compression"].proposed
    assert entities["Class-dependent Compression"].type == "METHOD"
    entities, _, _ = extract(extractor, "We propose a new estimator.", title="Efficient Estimation of Word Vectors")
    assert "Efficient Estimation" not in entities


def test_items_of_a_list_opened_by_its_kind_are_of_that_kind(extractor):
    entities, _, _ = extract(
        extractor,
        "Models are evaluated on three individual tasks (requery, rerank, and summarization) and on "
        "two artificial tasks -- sorting numbers and counting objects.",
    )
    assert {"requery", "rerank", "summarization", "sorting numbers", "counting objects"} <= set(entities)
    assert entities["requery"].type == "TASK"


def test_the_name_an_abstract_calls_its_method_is_the_title_name(extractor):
    entities, _, _ = extract(
        extractor,
        "We propose a novel methodology called ZADE, which accelerates decoding.",
        title="Zonal Draft Expansion for Efficient Decoding",
    )
    assert entities["Zonal Draft Expansion"].aliases == ["ZADE"]
    assert "ZADE" not in entities


def test_an_activity_a_title_aims_at_is_a_task(extractor):
    entities, _, _ = extract(
        extractor, "We speed up decoding.", title="Adaptive Drafting for Efficient Large Language Model Decoding"
    )
    assert entities["Large Language Model Decoding"].type == "TASK"
    entities, _, _ = extract(
        extractor, "We train MoE models.", title="FooMoE: A System for Sparse Mixture-of-Experts Models"
    )
    assert entities["Sparse Mixture-of-Experts"].type == "METHOD"


def test_clauses_sizes_and_descriptions_with_the_are_not_names(extractor):
    entities, _, _ = extract(
        extractor,
        "The model behaves well at the edge of the turbulent region (ETR). Experts in exist MoE paradigms work alone.",
        title="Adding NVMe SSDs to Accelerate 100B Model Fine-tuning on a Single GPU",
    )
    assert not {"edge of the turbulent region", "ETR", "100B Model Fine-tuning", "exist MoE"} & set(entities)


def test_list_items_that_are_fields_adjectives_or_descriptions_are_skipped(extractor):
    entities, _, _ = extract(
        extractor,
        "It helps in domains (healthcare, physics) and on tasks (semantic, instance and panoptic segmentation) "
        "and datasets such as popular datasets.",
    )
    assert not {"healthcare", "physics", "semantic", "popular datasets"} & set(entities)


def test_a_titles_leading_gerund_is_its_verb(extractor):
    entities, _, _ = extract(
        extractor, "We study type inference.", title="Learning Type Inference for Dataflow Analysis"
    )
    assert "Type Inference" in entities and "Learning Type Inference" not in entities


def test_a_plural_of_a_name_is_the_same_entity_and_gerund_clauses_are_not_listed(extractor):
    entities, _, _ = extract(
        extractor,
        "We present ZorbEval. Results on ZorbEvals show gains on tasks such as text generation and "
        "necessitating specialized models.",
    )
    assert "ZorbEvals" not in entities and "necessitating specialized models" not in entities


def test_listed_new_names_take_the_lists_kind_and_spelled_acronyms_are_not_names(extractor):
    entities, _, _ = extract(
        extractor,
        "We test on six datasets (MNIST, ZorbMNIST, SVHN). We propose MANGO (comMents As Natural loGic pivOts).",
    )
    assert entities["ZorbMNIST"].type == "DATASET"
    assert not {"comMents", "loGic", "pivOts"} & set(entities)


def test_a_makers_prefix_keeps_the_models_type(extractor):
    entities, _, _ = extract(extractor, "Even OpenAI-o1-mini and Meta-Llama-3-8B fail on ZorbBench.")
    assert entities["OpenAI-o1-mini"].type == "MODEL"
    assert entities["Meta-Llama-3-8B"].type == "MODEL"


def test_citations_and_kinds_of_generic_classes_are_not_names(extractor):
    entities, _, _ = extract(
        extractor,
        "This removes log factors from earlier algorithms [Gawrychowski and Uznanski, ICALP 2018]. "
        "We evaluate Long Context Language Models (LCLMs) such as ChatGLM2 and Convolutional Neural Networks (CNNs).",
    )
    assert not {"Gawrychowski", "ICALP 2018", "Long Context Language Models", "LCLMs"} & set(entities)
    assert entities["ChatGLM2"].type == "MODEL"
    assert entities["Convolutional Neural Networks"].aliases == ["CNNs"]


def test_number_formats_are_not_names(extractor):
    entities, _, _ = extract(extractor, "ZorbQuant compresses the FP16 model to W4A16 with INT8 quantization.")
    assert not {"FP16", "W4A16"} & set(entities)
    assert entities["INT8 quantization"].type == "METHOD"
