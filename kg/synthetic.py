"""Synthetic abstracts whose entities and relations are known, for benchmarks at scale.

Real abstracts come without answers and in limited numbers; these come with both. Each
record is assembled from hand-written sentence templates (no real paper text) filled
with names from the project lexicon and invented names ("SparseFormer-v2", "Gradient-Free
Channel Selection (GFCS)"), so the ``truth`` is known by construction and has the shape
of the SCHEMA.md gold format: ``kg eval``-style scoring runs on it unchanged.

The fixed words of every template are kept free of lexicon names (a test checks it), so
the only entities in a text are the ones the truth lists. Names of one record are drawn
from one domain (vision, language, speech, multimodal, science) so that models,
datasets, benchmarks and tasks fit together. Records are produced one at a time from a
single seeded ``random.Random``: the same seed gives the same records, ``generate(10)``
is a prefix of ``generate(1000)``, and memory stays flat for any ``n``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from kg.extract.lexicon import LEXICON_DIR, Entry, default_lexicon
from kg.schema import load_schema
from kg.text import fold

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

# ---------------------------------------------------------------------------- the world

#: How often each domain is drawn, and how often each kind of contribution.
DOMAINS: dict[str, float] = {"language": 0.38, "vision": 0.3, "multimodal": 0.1, "speech": 0.07, "science": 0.15}
KINDS: dict[str, float] = {"compress": 0.42, "method": 0.28, "model": 0.3}
COMPRESS_OPS = ("prune", "quant", "distill", "lowrank")

# Lexicon section titles ("# --- ..." lines) -> domain, first rule that matches wins.
_SECTION_DOMAINS: tuple[tuple[str, str], ...] = (
    (r"efficiency and cost", "cost"),
    (r"speech|audio", "speech"),
    (r"vision-language|multimodal|image-text", "multimodal"),
    (r"image|vision|detection|segmentation|video|faces|driving|restoration", "vision"),
    (
        r"language|gpt|llm|nlu|question|text|code|long context|translation|instruction|nlp|safety|agents|retrieval"
        r"|sequence|reasoning",
        "language",
    ),
    (r"general quality|learning problems|systems", "any"),
)
_METHOD_SECTIONS: tuple[tuple[str, str], ...] = (
    (r"pruning and sparsity", "prune"),
    (r"^quantization", "quant"),
    (r"distillation, low-rank", "distill"),
    (r"architecture families", "arch"),
    (
        r"fine-tuning|prompting|architecture search|optimization and training|inference efficiency"
        r"|reinforcement learning|distributed",
        "technique",
    ),
)
_MIN_POOL = 6
# Architecture families that read well as "a ... backbone" / "a ... model".
_ARCH_FAMILY = re.compile(
    r"network|transformer|autoencoder|model\b|GAN|Mixture-of-Experts|encoder-decoder|perceptron|memory|recurrent unit"
    r"|VAE|Field|Operator|DeepONet|GraphSAGE|machine",
    re.I,
)
# Cost measures for which "reduces X by 3x" would say the opposite of an improvement.
_NOT_REDUCIBLE = re.compile(r"throughput|per second|speedup|efficiency|TOPS|utilization|ratio|sparsity", re.I)

# Invented names: CamelCase stems per kind, and words for acronym-defined names.
_PREFIXES = (
    "Flash",
    "Swift",
    "Tiny",
    "Lite",
    "Edge",
    "Hyper",
    "Omni",
    "Nano",
    "Micro",
    "Dyna",
    "Token",
    "Layer",
    "Block",
    "Grad",
    "Delta",
    "Fast",
    "Echo",
    "Prism",
    "Nova",
    "Aurora",
    "Zephyr",
    "Orbit",
    "Cobalt",
    "Vega",
    "Lumen",
    "Atlas",
    "Halo",
    "Quasar",
    "Ember",
    "Cinder",
    "Pico",
    "Giga",
    "Flux",
    "Ripple",
    "Pulse",
    "Vertex",
    "Helix",
    "Sigma",
    "Kappa",
    "Tessa",
    "Arbor",
    "Basalt",
    "Comet",
    "Drift",
    "Fjord",
    "Glyph",
    "Iris",
    "Jade",
    "Kite",
    "Loom",
)
_STEMS: dict[str, tuple[str, ...]] = {
    "prune": ("Prune", "Sparse", "Slim", "Trim", "Thin"),
    "quant": ("Quant", "Bit", "Q", "Round", "Int"),
    "distill": ("Distill", "Teach", "Mentor", "Tutor"),
    "lowrank": ("Rank", "Factor", "Decomp", "SVD"),
    "method": ("Tune", "Opt", "Align", "Route", "Adapt", "Search", "Merge", "Cache", "Mix", "Prompt", "Sched"),
    "language": ("LM", "GPT", "BERT", "Former", "Coder", "Chat"),
    "vision": ("Net", "Former", "ViT", "Seg", "Det", "Diff", "Conv"),
    "multimodal": ("VL", "VLM", "Lens", "Vision", "Caption"),
    "speech": ("Wave", "Speech", "Voice", "Audio", "ASR"),
    "science": ("Mol", "Graph", "Cast", "Fold", "Cell", "Geo"),
}
_VERSIONS = ("", "", "", "", "-v2", "-v3", "++", "-XL", "-2", "-S", "-B", "-Lite")
_MODIFIERS = (
    "Adaptive",
    "Hierarchical",
    "Progressive",
    "Gradient-Free",
    "Token-Aware",
    "Layer-Wise",
    "Data-Free",
    "Dynamic",
    "Contrastive",
    "Multi-Scale",
    "Cross-Layer",
    "Hardware-Aware",
    "Saliency-Guided",
    "Entropy-Based",
    "Second-Order",
    "Block-Sparse",
    "Outlier-Aware",
    "Learnable",
    "Stochastic",
    "Residual",
    "Curvature-Aware",
    "Memory-Efficient",
    "Self-Calibrating",
    "Frequency-Domain",
    "Spectral",
    "Recursive",
    "Structured",
    "Global",
    "Local",
    "Bidirectional",
)
_CORES = (
    "Channel",
    "Token",
    "Weight",
    "Activation",
    "Expert",
    "Head",
    "Kernel",
    "Feature",
    "Codebook",
    "Context",
    "Group",
    "Spectrum",
    "Block",
    "Neuron",
    "Path",
    "Patch",
    "Filter",
    "Memory",
    "State",
    "Query",
)
_HEADS: dict[str, tuple[str, ...]] = {
    "prune": ("Pruning", "Sparsification", "Selection", "Removal"),
    "quant": ("Quantization", "Rounding", "Calibration"),
    "distill": ("Distillation", "Transfer", "Mimicking"),
    "lowrank": ("Factorization", "Decomposition", "Compression"),
    "method": (
        "Optimization",
        "Adaptation",
        "Routing",
        "Tuning",
        "Merging",
        "Alignment",
        "Scheduling",
        "Search",
    ),
    "model": ("Network", "Transformer", "Mixer", "Encoder"),
}
_NEW_SETS = {  # a benchmark or data set the paper itself releases
    "newbench": (("Bench", "BENCHMARK"), ("-Eval", "BENCHMARK"), ("QA", "BENCHMARK"), ("-Arena", "BENCHMARK")),
    "newdata": (("-1M", "DATASET"), ("-50K", "DATASET"), ("Corpus", "DATASET"), ("-200K", "DATASET")),
}

_SELF_PHRASES = {
    "METHOD": ("our method", "our approach", "the proposed method"),
    "MODEL": ("our model", "the proposed model"),
}
_OPS = {  # third person, past participle, title gerund
    "prune": ("prunes", "pruned", "Sparsifying"),
    "quant": ("quantizes", "quantized", "Quantizing"),
    "distill": ("distills", "distilled", "Distilling"),
    "lowrank": ("factorizes", "factorized", "Compressing"),
}
# Literal fillers: numbers and title words. Slots named here are not entities.
_WORDS: dict[str, tuple[str, ...]] = {
    "gain": tuple(f"{x / 10:.1f}" for x in range(3, 80)),
    "x": tuple(f"{x / 10:.1f}" for x in range(12, 90)),
    "acc": tuple(f"{x / 10:.1f}" for x in range(350, 960, 7)),
    "bits": ("2", "3", "4", "8"),
    "frac": tuple(str(x) for x in range(30, 96)),
    "n": tuple(str(x) for x in range(2, 13)),
    "k": tuple(str(x) for x in (1, 2, 5, 8, 10, 12, 20, 25, 40, 50, 64, 100, 120, 250, 500)),
    "Adj": (
        "Efficient",
        "Scalable",
        "Accurate",
        "Fast",
        "Robust",
        "Lightweight",
        "Hardware-Friendly",
        "Data-Efficient",
        "Practical",
        "Simple",
        "Reliable",
        "Faithful",
    ),
    "Noun": ("Inference", "Deployment", "Adaptation", "Learning", "Serving", "Modeling"),
}


class _Name:
    """One lexicon entity as a slot filler: its type and the surfaces it may take."""

    __slots__ = ("name", "type", "aliases", "pair", "ident")

    def __init__(self, entry: Entry, ident: int) -> None:
        self.name = entry.name
        self.type = entry.type
        self.aliases = tuple(a for a in entry.aliases if "(" not in a)
        # "Long (SHORT)" on first mention; hardware reads oddly that way ("central processing unit (CPU)")
        self.pair = _acronym_pair(entry) if entry.type != "HARDWARE" else None
        self.ident = ident


@dataclass
class _World:
    """Every pool the generator draws from, built once from the lexicon."""

    slots: dict[tuple[str, str], dict[str, list[_Name]]]  # (domain, fine kind) -> slot pool -> names
    camel: dict[str, list[str]]  # fine kind or domain -> invented CamelCase names
    lexicon_folds: frozenset[str]
    stop_acronyms: frozenset[str]


def _sections(directory: Path = LEXICON_DIR) -> dict[tuple[str, str], str]:
    """(type, entry name) -> the title of the ``# --- ...`` section it is listed under."""
    out: dict[tuple[str, str], str] = {}
    for entity_type in load_schema().entity_types:
        path = directory / f"{entity_type.lower()}.tsv"
        if not path.is_file():
            continue
        section = ""
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# ---"):
                section = line[5:].strip().lower()
            elif line.strip() and not line.startswith("#"):
                out[(entity_type, line.split("\t", 1)[0].strip())] = section
    return out


def _classify(section: str, rules: tuple[tuple[str, str], ...], default: str) -> str:
    return next((label for pattern, label in rules if re.search(pattern, section)), default)


def _acronym_pair(entry: Entry) -> tuple[str, str] | None:
    """A (long, short) pair when the entry has both a multi-word form and an acronym for it."""
    forms = entry.forms()
    shorts = [f for f in forms if " " not in f and 2 <= len(f) <= 6 and sum(c.isupper() for c in f) >= 2]
    longs = [f for f in forms if len(f.split()) >= 2 and "(" not in f]
    for short in shorts:
        for long in longs:
            if long[0].lower() == short[0].lower():
                return long, short
    return None


def _usable(entry: Entry) -> bool:
    """Names that read well in a template: not too long, no brackets of their own."""
    return len(entry.name) <= 40 and not any(c in entry.name for c in "()[];") and entry.name.strip() == entry.name


@cache
def _title_case(text: str) -> str:
    """ "text-to-image generation" -> "Text-to-Image Generation"; names with capitals stay as they are."""
    if text[:1].isupper():
        return text
    small = {"of", "and", "for", "in", "on", "to", "with", "a", "an", "the", "by", "from"}
    words = []
    for index, word in enumerate(text.split(" ")):
        parts = [
            p if (p in small and (index or i)) or any(c.isupper() for c in p) else p[:1].upper() + p[1:]
            for i, p in enumerate(word.split("-"))
        ]
        words.append("-".join(parts))
    return " ".join(words)


@cache
def _world() -> _World:
    """Pools per domain, kind and slot, from the lexicon and its section titles; built once."""
    from kg.extract.rules import load_rules

    lexicon = default_lexicon()
    sections = _sections()
    by_type: dict[str, list[tuple[_Name, str]]] = {}
    shared: dict[str, list[_Name]] = {
        k: [] for k in (*COMPRESS_OPS, "arch", "technique", "method", "hw", "hwclass", "cmetric")
    }
    seen: set[str] = set()
    for ident, entry in enumerate(lexicon.entries):
        key = fold(entry.name)
        if not _usable(entry) or key in seen:
            continue
        seen.add(key)
        name = _Name(entry, ident)
        section = sections.get((entry.type, entry.name), "")
        if entry.type == "METHOD":
            group = _classify(section, _METHOD_SECTIONS, "other")
            if group == "distill" and re.search(r"rank|factor|decompos", entry.name, re.I):
                group = "lowrank"
            if group == "arch" and not _ARCH_FAMILY.search(entry.name):
                group = "other"  # "a self-attention backbone" reads oddly; families only
            if group in shared:
                shared[group].append(name)
            if group not in COMPRESS_OPS:
                shared["method"].append(name)
        elif entry.type == "HARDWARE":
            if entry.name[0].isupper():
                shared["hw"].append(name)
            elif entry.name.endswith(("s", "hardware")):  # "deployed on edge devices"
                shared["hwclass"].append(name)
        elif entry.type == "METRIC" and _classify(section, _SECTION_DOMAINS, "other") == "cost":
            if not _NOT_REDUCIBLE.search(entry.name):  # "reduces throughput by 3x" says the opposite
                shared["cmetric"].append(name)
        else:
            by_type.setdefault(entry.type, []).append((name, _classify(section, _SECTION_DOMAINS, "science")))
    shared["alt"] = shared["prior"] = shared["technique"]
    shared["cmethod_any"] = shared["prune"] + shared["quant"] + shared["distill"]

    slots: dict[tuple[str, str], dict[str, list[_Name]]] = {}
    for domain in DOMAINS:
        ok = {domain, "any"}
        own: dict[str, list[_Name]] = {}
        for pool, types in (
            ("model", ("MODEL",)),
            ("train", ("DATASET",)),
            ("bench", ("BENCHMARK",)),
            ("evalset", ("DATASET", "BENCHMARK")),
            ("task", ("TASK",)),
            ("qmetric", ("METRIC",)),
        ):
            wanted = ok | {"vision", "language"} if pool == "task" and domain == "multimodal" else ok
            chosen = [n for t in types for n, d in by_type.get(t, []) if d in wanted]
            own[pool] = chosen if len(chosen) >= _MIN_POOL else [n for t in types for n, _ in by_type[t]]
        for kind in (*COMPRESS_OPS, "method", "model"):
            pools = {**shared, **own}
            if kind == "model":
                pools["base"] = own["model"]
            elif kind == "method":
                pools["base"] = shared["technique"]
            else:
                pools["base"] = shared[kind] if len(shared[kind]) >= _MIN_POOL else shared["cmethod_any"]
            pools["peer"] = pools["base"]
            pools["cmethod"] = shared[kind] if kind in COMPRESS_OPS else shared["cmethod_any"]
            slots[(domain, kind)] = pools

    folds = frozenset(lexicon.by_fold)
    camel: dict[str, list[str]] = {}
    for kind, stems in _STEMS.items():
        camel[kind] = [
            prefix + stem
            for prefix in _PREFIXES
            for stem in stems
            if stem.lower() != prefix.lower()
            and fold(prefix + stem) not in folds
            and not list(lexicon.find(prefix + stem))
        ]
    return _World(slots, camel, folds, load_rules().stop_acronyms)


# ---------------------------------------------------------------------------- templates

# Codes of template parts, so that writing a sentence is one loop without string tests.
_SLOT, _OWN, _SELF, _SELF_START, _WORD, _ARTICLE, _TITLED, _OP, _LONG = range(9)
_OP_WORDS = ("op", "op_ed", "Op_ing")


@dataclass(frozen=True)
class Template:
    """A sentence with ``{slot}`` holes, the kinds of contribution it suits, and the relations it states.

    Slots: ``P`` the paper's own entity by name, ``S`` the same or "our method", ``Plong``
    its long form; entity pools (``model``, ``base``, ``peer``, ``cmethod``, ``method``,
    ``arch``, ``alt``, ``prior``, ``train``, ``evalset``, ``bench``, ``hw``, ``hwclass``,
    ``task``, ``qmetric``, ``cmetric``; ``newbench`` and ``newdata`` are invented), with a
    trailing digit for a second one of a pool; an ``a_`` prefix adds the article, ``T_``
    title-cases; ``op``/``op_ed``/``Op_ing`` is the contribution's compression verb; other
    names are numbers and title words.
    """

    text: str
    relations: tuple[tuple[str, str, str], ...] = ()
    kinds: frozenset[str] | None = None  # None: every kind
    fmt: str = field(default="", compare=False, repr=False)  # the text with "{}" for each hole
    fills: tuple[tuple[int, object, str], ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def of(cls, text: str, *relations: str, kinds: str | None = None) -> Template:
        pieces = re.split(r"\{([^}]+)\}", text)
        fills: list[tuple[int, object, str]] = []
        for index, piece in enumerate(pieces):
            if index % 2 == 0:
                continue
            if piece in _WORDS:
                fills.append((_WORD, _WORDS[piece], ""))
            elif piece == "P":
                fills.append((_OWN, piece, "P"))
            elif piece == "S":
                fills.append((_SELF_START if index == 1 and not pieces[0] else _SELF, piece, "P"))
            elif piece == "Plong":
                fills.append((_LONG, piece, "P"))
            elif piece in _OP_WORDS:
                fills.append((_OP, _OP_WORDS.index(piece), ""))
            elif piece.startswith(("a_", "T_")):
                slot = piece[2:]
                fills.append((_ARTICLE if piece[0] == "a" else _TITLED, slot, slot.rstrip("0123456789")))
            else:
                fills.append((_SLOT, piece, piece.rstrip("0123456789")))
        fmt = "".join(piece if index % 2 == 0 else "{}" for index, piece in enumerate(pieces))
        rels = tuple((h, t, tail) for h, t, tail in (r.split() for r in relations))
        return cls(text, rels, frozenset(kinds.split()) if kinds else None, fmt, tuple(fills))

    def slots(self) -> list[str]:
        """The entity slots, as written in the text (with their ``a_``/``T_`` prefixes removed)."""
        return [pool for code, _, pool in self.fills if pool]

    def suits(self, kind: str, acronym: bool) -> bool:
        if self.kinds is None:
            return True
        if "acronym" in self.kinds:
            return acronym
        return kind in self.kinds


T = Template.of
_C = "prune quant distill lowrank"
_MC = "prune quant distill lowrank method"
_MM = "method model"

MOTIVATION = (
    T("Progress in {task} has been driven by ever larger networks, whose cost limits their use in practice."),
    T("Recent systems such as {model} and {model2} have raised the bar, but their size makes them expensive to run."),
    T("Running modern networks on small, battery-powered platforms remains difficult."),
    T("Existing approaches either require costly retraining or lose much of their quality at high compression levels."),
    T("Despite rapid progress, {task} still suffers from a wide gap between research prototypes and real products."),
    T("A growing body of work asks how to cut the cost of prediction without retraining from scratch."),
    T("Strong results in {task} increasingly come from networks with billions of weights."),
)
PROPOSAL = (
    T("In this paper, we propose {P}, {a_cmethod} method for {task}.", "P USES cmethod", "P ADDRESSES task", kinds=_C),
    T("We introduce {P}, a simple technique for {task} that needs no retraining.", "P ADDRESSES task", kinds=_MC),
    T("To close this gap, we present {P}, which {op} networks in a single pass.", kinds=_C),
    T("This work presents {P}: {a_method}-based approach to {task}.", "P USES method", "P ADDRESSES task", kinds=_MC),
    T(
        "We propose {P}, a new framework that brings {method} to {task}.",
        "P USES method",
        "P ADDRESSES task",
        kinds=_MC,
    ),
    T("In this paper, we propose {P}, a compact architecture for {task}.", "P ADDRESSES task", kinds="model"),
    T(
        "We present {P}, a family of models for {task} built on {arch}.",
        "P ADDRESSES task",
        "P USES arch",
        kinds="model",
    ),
    T("We introduce {P}, {a_arch} model tailored to {task}.", "P USES arch", "P ADDRESSES task", kinds="model"),
    T("This paper introduces {P}, an approach to {task} that needs no labeled data.", "P ADDRESSES task", kinds=_MC),
    T("We develop {P} for {task}.", "P ADDRESSES task"),
)
USES = (
    T("{S} builds on {method} and {method2}.", "P USES method", "P USES method2"),
    T("At its core, {P} combines {method} with {a_arch} backbone.", "P USES method", "P USES arch"),
    T("{S} leverages {method} to share information across layers.", "P USES method"),
    T("Built upon {model}, {P} adds a lightweight gating module.", "P USES model", kinds="model"),
    T("We extend {model} with {method}, which yields {P}.", "P USES model", "P USES method", kinds="model"),
    T("{S} relies on {method} rather than {alt}.", "P USES method"),
    T("Unlike prior work based on {prior}, {S} requires no gradient information."),
    T("{S} employs {method} as a drop-in component.", "P USES method"),
    T("Internally, {P} uses {arch} layers together with {method}.", "P USES arch", "P USES method"),
)
DETAILS = (  # how it works, in words that name nothing
    T("The key idea is to score every unit by its effect on the output and to drop the least useful ones."),
    T("A small controller decides, layer by layer, how much capacity to keep."),
    T("All decisions are made in closed form, so the procedure needs no tuning of its own."),
    T("The procedure adds no parameters and takes only a few lines of code."),
    T("Our analysis explains why earlier heuristics break down on very deep networks."),
    T("We show that the error introduced at each step is bounded by a simple function of the layer width."),
    T("In contrast to earlier work, every step can be computed in parallel."),
    T("A second stage repairs the damage done by the first with a brief correction on a handful of samples."),
)
COMPRESSES = (
    T(
        "{S} {op} {model} and {model2} with almost no loss in quality.",
        "P COMPRESSES model",
        "P COMPRESSES model2",
        kinds=_C,
    ),
    T("Applied to {model}, {P} shrinks the network by {x}x.", "P COMPRESSES model", kinds=_C),
    T("When {op_ed} with {P}, {model} retains {frac}% of its original {qmetric}.", "P COMPRESSES model", kinds=_C),
    T("We use {P} to compress {model} to {bits} bits per weight.", "P COMPRESSES model", kinds="quant"),
    T("With {P}, we remove {frac}% of the weights of {model} in under an hour.", "P COMPRESSES model", kinds="prune"),
    T("{S} distills {model} into a student that is {x}x smaller.", "P COMPRESSES model", kinds="distill"),
    T("{S} factorizes the weight matrices of {model} into a few small terms.", "P COMPRESSES model", kinds="lowrank"),
    T(
        "On {model}, {S} {op} {frac}% of all layers without retraining.",
        "P COMPRESSES model",
        kinds="prune quant lowrank",
    ),
    T("We further compress {P} with {cmethod2}, cutting its size by {x}x.", "cmethod2 COMPRESSES P", kinds="model"),
    T("We obtain {P} by applying {cmethod} to {model}.", "cmethod COMPRESSES model", "P USES cmethod", kinds="model"),
)
TRAINED_ON = (
    T("{S} is trained on {train}.", "P TRAINED_ON train", kinds=_MM),
    T(
        "We pre-train {P} on {train} and fine-tune it on {train2}.",
        "P TRAINED_ON train",
        "P TRAINED_ON train2",
        kinds="model",
    ),
    T("Trained only on {train}, {P} transfers to unseen domains.", "P TRAINED_ON train", kinds=_MM),
    T("Using {k}k examples from {train}, we fine-tune {P} end to end.", "P TRAINED_ON train", kinds="model"),
    T("{S} is fine-tuned on {train} for {n} epochs.", "P TRAINED_ON train", kinds=_MM),
)
EVALUATED_ON = (
    T(
        "Experiments on {evalset} and {evalset2} show that {S} outperforms {base}.",
        "P EVALUATED_ON evalset",
        "P EVALUATED_ON evalset2",
        "P OUTPERFORMS base",
    ),
    T("On {bench}, {P} achieves {qmetric} of {acc}.", "P EVALUATED_ON bench"),
    T(
        "We evaluate {P} on {evalset}, {evalset2} and {bench}.",
        "P EVALUATED_ON evalset",
        "P EVALUATED_ON evalset2",
        "P EVALUATED_ON bench",
    ),
    T("{S} reaches {acc} {qmetric} on {evalset}.", "P EVALUATED_ON evalset"),
    T("Extensive experiments across {bench} demonstrate the strength of {S}.", "P EVALUATED_ON bench"),
    T("Evaluated on {evalset}, {P} matches the {qmetric} of the original network.", "P EVALUATED_ON evalset", kinds=_C),
)
OUTPERFORMS = (
    T("{S} outperforms {base} by {gain} points.", "P OUTPERFORMS base"),
    T("{S} surpasses {base} and {base2} while being {x}x smaller.", "P OUTPERFORMS base", "P OUTPERFORMS base2"),
    T("Compared with {base}, {P} improves {qmetric} by {gain}%.", "P OUTPERFORMS base"),
    T("{S} is {gain}% more accurate than {base}.", "P OUTPERFORMS base"),
    T("The strongest baseline, {base}, trails {P} by {gain} points.", "P OUTPERFORMS base"),
    T("{S} performs on par with {peer} at a fraction of the cost."),
    T("{S} consistently beats {base} across all settings.", "P OUTPERFORMS base"),
    T("{S} remains competitive with {peer} while being simpler."),
)
RUNS_ON = (
    T("On {hw}, {P} runs {x}x faster than {base}.", "P RUNS_ON hw", "P OUTPERFORMS base"),
    T("{S} runs on {hw} with no loss in quality.", "P RUNS_ON hw"),
    T("We deploy {P} on {hw} and {hwclass}.", "P RUNS_ON hw", "P RUNS_ON hwclass"),
    T("Measured on {hw}, {P} reduces {cmetric} by {x}x.", "P RUNS_ON hw"),
    T("{S} fits on a single {hw} and can be deployed on {hwclass}.", "P RUNS_ON hw", "P RUNS_ON hwclass"),
    T("{S} can be deployed on {hwclass} without custom kernels.", "P RUNS_ON hwclass"),
)
ADDRESSES = (
    T("We apply {P} to {task} and {task2}.", "P ADDRESSES task", "P ADDRESSES task2"),
    T("{S} is designed for {task} in settings with tight budgets.", "P ADDRESSES task"),
    T("Beyond {task}, {P} also transfers to {task2}.", "P ADDRESSES task", "P ADDRESSES task2"),
    T("{S} targets {task}, where labeled data are scarce.", "P ADDRESSES task"),
)
NUMBERS = (
    T("{S} reduces {cmetric} by {x}x and {cmetric2} by {frac}%."),
    T("This corresponds to a {x}x reduction in {cmetric} with less than {gain}% drop in {qmetric}."),
    T("Overall, the gains grow with the number of layers."),
)
SECOND = (
    T(
        "We also introduce {newbench}, a new suite for {task}, on which {P} sets a new state of the art.",
        "P EVALUATED_ON newbench",
    ),
    T("We further collect {newdata}, a corpus of {k}k annotated examples used to train {P}.", "P TRAINED_ON newdata"),
)
CLOSING = (
    T("Code and pretrained weights are publicly available."),
    T("We also discuss limitations and directions for future work."),
    T("Ablation studies confirm the contribution of each component."),
    T("These results hold across {n} random seeds."),
    T("Our findings suggest that careful design matters more than scale."),
    T("The code will be released upon publication."),
)
TITLES = (
    T("{P}: {Adj} {Noun} for {T_task}", "P ADDRESSES task"),
    T("{Plong} for {Adj} {T_task}", "P ADDRESSES task", kinds="acronym"),
    T("{P}: {Op_ing} {model} for {T_hwclass}", "P COMPRESSES model", "P RUNS_ON hwclass", kinds=_C),
    T("{Adj} {T_task} with {P}", "P ADDRESSES task"),
    T("{P}: {Adj} {T_task} on {hw}", "P ADDRESSES task", "P RUNS_ON hw"),
)
ALL_TEMPLATES: tuple[Template, ...] = (
    MOTIVATION
    + PROPOSAL
    + USES
    + COMPRESSES
    + TRAINED_ON
    + EVALUATED_ON
    + OUTPERFORMS
    + RUNS_ON
    + ADDRESSES
    + NUMBERS
    + SECOND
    + CLOSING
    + TITLES
)

# (group name, templates, chance of using the group per kind, how many at most) in abstract order.
_PLAN: tuple[tuple[str, tuple[Template, ...], dict[str, float], int], ...] = (
    ("uses", USES, {"compress": 0.6, "method": 0.9, "model": 0.9}, 2),
    ("details", DETAILS, {"compress": 0.7, "method": 0.7, "model": 0.6}, 2),
    ("compresses", COMPRESSES, {"compress": 1.0, "method": 0.0, "model": 0.4}, 2),
    ("trained_on", TRAINED_ON, {"compress": 0.0, "method": 0.5, "model": 0.85}, 1),
    ("evaluated_on", EVALUATED_ON, {"compress": 1.0, "method": 1.0, "model": 1.0}, 2),
    ("outperforms", OUTPERFORMS, {"compress": 0.85, "method": 0.85, "model": 0.85}, 2),
    ("runs_on", RUNS_ON, {"compress": 0.7, "method": 0.3, "model": 0.4}, 1),
    ("addresses", ADDRESSES, {"compress": 0.3, "method": 0.4, "model": 0.4}, 1),
    ("numbers", NUMBERS, {"compress": 0.6, "method": 0.3, "model": 0.4}, 1),
)
_GROUPS = {"proposal": PROPOSAL, "titles": TITLES, **{name: templates for name, templates, _, _ in _PLAN}}
# (fine kind, acronym) -> group -> the templates that suit it; computed once.
_FITTING: dict[tuple[str, bool], dict[str, tuple[Template, ...]]] = {
    (kind, acronym): {name: tuple(t for t in group if t.suits(kind, acronym)) for name, group in _GROUPS.items()}
    for kind in (*COMPRESS_OPS, "method", "model")
    for acronym in (False, True)
}
_PLAN_BY_KIND = {kind: tuple((name, chances[kind], most) for name, _, chances, most in _PLAN) for kind in KINDS}
_DOMAIN_TABLE = tuple(d for d, w in DOMAINS.items() for _ in range(round(w * 100)))
_KIND_TABLE = tuple(k for k, w in KINDS.items() for _ in range(round(w * 100)))
_MODIFIER_INITIALS = tuple((m, "".join(p[0] for p in m.split("-"))) for m in _MODIFIERS)


def fixed_texts() -> Iterator[str]:
    """Every word the templates add themselves (slots blanked): none may be a lexicon name."""
    for template in ALL_TEMPLATES:
        yield template.fmt.format(*[" Zqxv "] * len(template.fills))
    for phrases in _SELF_PHRASES.values():
        yield from phrases
    for verbs in _OPS.values():
        yield from verbs
    yield from _WORDS["Adj"]
    yield from _WORDS["Noun"]


# ---------------------------------------------------------------------------- one record


class _Abstract:
    """One record while its sentences are written: its contribution, domain and filled slots.

    ``slots`` maps a slot to its truth entity, whose name is final when the slot is filled
    (a long form is shown on first mention, or never); ``texts`` holds what later mentions write.
    """

    def __init__(self, rnd, world: _World) -> None:
        self.rnd = rnd
        self.domain = _DOMAIN_TABLE[int(rnd() * len(_DOMAIN_TABLE))]
        kind = _KIND_TABLE[int(rnd() * len(_KIND_TABLE))]
        self.kind = kind
        self.op = COMPRESS_OPS[int(rnd() * len(COMPRESS_OPS))] if kind == "compress" else None
        self.fine_kind = self.op or kind
        self.world = world
        self.pools = world.slots[(self.domain, self.fine_kind)]
        self.used: set[int] = set()
        self.entities: list[dict] = []
        self.relations: list[dict] = []
        self.seen: set[tuple[str, str, str]] = set()
        self.slots: dict[str, dict] = {}
        self.texts: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.own_type = "MODEL" if kind == "model" else "METHOD"
        self.own_first = self._invent()
        self.own_long: str | None = self.names["P"] if self.slots["P"]["aliases"] else None
        self.fitting = _FITTING[(self.fine_kind, self.own_long is not None)]

    def _add(self, slot: str, name: str, type_: str, short: str, aliases: list[str], proposed: bool) -> None:
        entity = {"name": name, "type": type_, "aliases": aliases, "proposed": proposed}
        self.slots[slot] = entity
        self.names[slot] = name
        self.texts[slot] = short
        self.entities.append(entity)

    def _invent(self) -> str:
        """The paper's own contribution, an acronym-defined or a CamelCase name; returns its first text."""
        rnd, world, type_ = self.rnd, self.world, self.own_type
        if rnd() < 0.45:
            heads = _HEADS["model" if self.kind == "model" else self.fine_kind]
            for _ in range(20):
                first = _MODIFIER_INITIALS[int(rnd() * len(_MODIFIER_INITIALS))]
                words, short = [first[0]], first[1]
                if rnd() < 0.3:
                    second = _MODIFIER_INITIALS[int(rnd() * len(_MODIFIER_INITIALS))]
                    if second is not first:
                        words.append(second[0])
                        short += second[1]
                core = _CORES[int(rnd() * len(_CORES))]
                head = heads[int(rnd() * len(heads))]
                words += (core, head)
                short = (short + core[0] + head[0]).upper()
                long = " ".join(words)
                if (
                    len(short) <= 5
                    and short.lower() not in world.lexicon_folds
                    and short.lower() not in world.stop_acronyms
                    and long.lower().replace(" ", "").replace("-", "") not in world.lexicon_folds
                ):
                    # the proposal sentence, always the first to name it, defines it
                    self._add("P", long, type_, short, [short], True)
                    return f"{long} ({short})"
        stems = world.camel[self.domain if self.kind == "model" else self.fine_kind]
        name = stems[int(rnd() * len(stems))] + _VERSIONS[int(rnd() * len(_VERSIONS))]
        self._add("P", name, type_, name, [], True)
        return name

    def _fill(self, slot: str, pool_name: str, title: bool) -> str:
        """A new entity for a slot (a distinct lexicon name from its pool, or a new data set); its first text."""
        rnd = self.rnd
        if pool_name in _NEW_SETS:
            suffixes = _NEW_SETS[pool_name]
            suffix, type_ = suffixes[int(rnd() * len(suffixes))]
            name = _PREFIXES[int(rnd() * len(_PREFIXES))] + ("", "Set", "Task", "Real")[int(rnd() * 4)] + suffix
            self._add(slot, name, type_, name, [], True)
            return name
        pool = self.pools[pool_name]
        size = len(pool)
        used = self.used
        choice = pool[int(rnd() * size)]
        for _ in range(12):
            if choice.ident not in used:
                break
            choice = pool[int(rnd() * size)]
        used.add(choice.ident)
        draw = rnd()
        if choice.pair is not None and draw < 0.3 and not title:
            long, short = choice.pair
            self._add(slot, long, choice.type, short, [short], False)
            return f"{long} ({short})"
        name = choice.aliases[int(rnd() * len(choice.aliases))] if choice.aliases and draw > 0.88 else choice.name
        entity = {"name": name, "type": choice.type, "aliases": [], "proposed": False}
        self.slots[slot] = entity
        self.names[slot] = self.texts[slot] = name
        self.entities.append(entity)
        return name

    def write(self, template: Template, title: bool = False) -> str:
        """The sentence of a template, holes filled; its relations are recorded with it as evidence."""
        rnd, texts = self.rnd, self.texts
        values: list[str] = []
        append = values.append
        for code, arg, pool in template.fills:
            if code == _SLOT:
                text = texts.get(arg)  # type: ignore[call-overload]
                append(text if text is not None else self._fill(arg, pool, title))  # type: ignore[arg-type]
            elif code == _OWN:
                append(self.own_first)
                self.own_first = texts["P"]
            elif code == _WORD:
                append(arg[int(rnd() * len(arg))])  # type: ignore[index, arg-type]
            elif code in (_SELF, _SELF_START):
                if self.own_first is texts["P"] and rnd() < 0.4:
                    phrases = _SELF_PHRASES[self.own_type]
                    phrase = phrases[int(rnd() * len(phrases))]
                    append(phrase[0].upper() + phrase[1:] if code == _SELF_START else phrase)
                else:
                    append(self.own_first)
                    self.own_first = texts["P"]
            elif code == _ARTICLE:
                text = texts.get(arg)  # type: ignore[call-overload]
                if text is None:
                    text = self._fill(arg, pool, title)  # type: ignore[arg-type]
                append(("an " if _vowel_sound(text) else "a ") + text)
            elif code == _TITLED:
                text = texts.get(arg)  # type: ignore[call-overload]
                if text is None:  # named first in the title: the title's form is the text's form
                    text = _title_case(self._fill(arg, pool, True))  # type: ignore[arg-type]
                    self.slots[arg]["name"] = self.names[arg] = texts[arg] = text  # type: ignore[index]
                append(_title_case(text))
            elif code == _OP:
                append(_OPS[self.op or "lowrank"][arg])  # type: ignore[index]
            else:  # _LONG
                append(self.own_long or texts["P"])
        sentence = template.fmt.format(*values)
        if template.relations:
            names, seen = self.names, self.seen
            for head_slot, type_, tail_slot in template.relations:
                head, tail = names[head_slot], names[tail_slot]
                if (head, type_, tail) not in seen:
                    seen.add((head, type_, tail))
                    self.relations.append({"head": head, "type": type_, "tail": tail, "evidence": sentence})
        return sentence

    def pick(self, group: str, most: int = 1) -> list[Template]:
        """One or (up to ``most``) two different templates of a group that suit this record."""
        fitting = self.fitting[group]
        size = len(fitting)
        if not size:
            return []
        first = int(self.rnd() * size)
        if most == 1 or size == 1 or self.rnd() < 0.55:
            return [fitting[first]]
        second = int(self.rnd() * (size - 1))
        return [fitting[first], fitting[second + (second >= first)]]

    def record(self, paper_id: str) -> dict:
        rnd, write = self.rnd, self.write
        sentences: list[str] = []
        if rnd() < 0.8:
            sentences.append(write(MOTIVATION[int(rnd() * len(MOTIVATION))]))
        sentences.append(write(self.pick("proposal")[0]))
        if rnd() < 0.12:
            sentences.append(write(SECOND[int(rnd() * len(SECOND))]))
        for group, chance, most in _PLAN_BY_KIND[self.kind]:
            if rnd() < chance:
                for template in self.pick(group, most):
                    sentences.append(write(template))
        if rnd() < 0.6:
            sentences.append(write(CLOSING[int(rnd() * len(CLOSING))]))
        abstract = " ".join(sentences)
        title = write(self.pick("titles")[0], title=True)
        return {
            "id": paper_id,
            "title": title,
            "abstract": abstract,
            "year": 2016 + int(rnd() * 10),
            "truth": {"entities": self.entities, "relations": self.relations},
        }


def _vowel_sound(text: str) -> bool:
    """Whether "an" goes before a name: vowels, and acronyms read letter by letter ("an FPGA")."""
    first = text[:1]
    if len(text) > 1 and text[1:2].isupper() and first in "AEFHILMNORSX":
        return True
    return first.lower() in "aeiou"


# ---------------------------------------------------------------------------- public API


def generate(n: int, seed: int = 0) -> Iterator[dict]:
    """``n`` synthetic records ``{"id", "title", "abstract", "year", "truth"}``, streamed.

    Deterministic for a seed; a shorter run is a prefix of a longer one. ``truth`` holds
    ``entities`` ({name, type, aliases, proposed}) and ``relations`` ({head, type, tail,
    evidence}) as in the SCHEMA.md gold format.
    """
    if n < 0:
        raise ValueError("the number of records must not be negative")
    world = _world()
    rnd = random.Random(seed).random
    for index in range(n):
        yield _Abstract(rnd, world).record(f"synth-{seed}-{index:07d}")


def gold_record(record: dict) -> dict:
    """A synthetic record as a SCHEMA.md gold line: ``{"id", "title", "entities", "relations"}``."""
    return {"id": record["id"], "title": record["title"], **record["truth"]}


def truth_graph(records: Iterable[dict]) -> KnowledgeGraph:
    """A ``KnowledgeGraph`` made straight from the truth, without extraction: sinks at scale.

    Entities are merged across records by folded name and type; each relation gets the
    sentence that states it as evidence, with its offsets in the title or abstract. Model
    families (derived, evidence-free relations) are added as ``kg build`` adds them.
    """
    from kg.graph import Entity, Evidence, KnowledgeGraph, Relation
    from kg.model import Paper

    graph = KnowledgeGraph()
    keys: dict[tuple[str, str], str] = {}
    for record in records:
        paper = Paper(record["id"], record["title"], record["abstract"], year=record.get("year"))
        graph.papers[paper.id] = paper
        local: dict[str, str] = {}
        for item in record["truth"]["entities"]:
            identity = (fold(item["name"]), item["type"])
            key = keys.get(identity)
            if key is None:
                key = identity[0] or "entity"
                while key in graph.entities:
                    key += "_"
                keys[identity] = key
                graph.entities[key] = Entity(key, item["name"], item["type"])
            entity = graph.entities[key]
            for form in item["aliases"]:
                if form not in entity.aliases and form != entity.name:
                    entity.aliases.append(form)
            if paper.id not in entity.papers:
                entity.papers.append(paper.id)
            if item["proposed"] and paper.id not in entity.proposed_by:
                entity.proposed_by.append(paper.id)
            local[item["name"]] = key
        for item in record["truth"]["relations"]:
            sentence = item.get("evidence") or ""
            section, start = "abstract", paper.abstract.find(sentence)
            if start < 0:
                section, start = "title", max(paper.title.find(sentence), 0)
            head, tail = local[item["head"]], local[item["tail"]]
            relation = graph.relations.setdefault((head, item["type"], tail), Relation(head, item["type"], tail))
            relation.evidence.append(Evidence(paper.id, sentence, section, start, start + len(sentence), 0.85))
    graph.add_families(default_lexicon())
    return graph
