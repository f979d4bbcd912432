"""Quantitative results as n-ary facts: who reached what value of which metric, on which data.

Abstracts state results in a small number of shapes, and the rules here are
those shapes, not rules for particular sentences:

- absolute: "achieves 68.2% top-1 accuracy on ImageNet", "a WER of 1.5%",
  "reaches 156 TFLOPS", "from 12.6 GB to 2.5 GB" (the value reached counts);
- relative: "by 1.7%", "1.7% higher accuracy than", "2x faster", "3.8x lower
  latency", "reduces memory by 40%", "a 19% reduction in FLOPs", "15% the size of";
- lists: "by 3.2% and 4.1% on A and B, respectively", "7.8%/5.3% on MATH/GSM8K".

Conventions (the same ones the gold in ``bench/results_gold.jsonl`` follows):

- ``subject`` is the model or method that achieves the number: the sentence's
  own subject when it names one, else the paper's own contribution (``own``)
  for "we", "our method", "it", or a sentence with no named actor. A model the
  method is applied to ("for MobileNet-v1, PDP achieves ...") goes to
  ``applied_to``; the model it is compared with goes to ``baseline``.
- ``metric`` is the measure named next to the number, or implied by a word such
  as "faster" (speedup) or "smaller" (model size), or by the unit (TFLOPS,
  tokens/s); a sentence that names exactly one measure of the number's kind
  lends it to numbers that name none. Unnamed ("scores of 70.8%") is ``None``.
- ``dataset`` is a dataset or benchmark named in the same sentence and tied to
  the number (next to it, paired by position in a list, or the only one in the
  sentence). Sizes (parameters, model size, FLOPs) never take a dataset.
- ``setting`` holds the conditions ("86.6% sparsity", "4-bit", "GPU"); numbers
  that only describe a setting (sparsity, bit width, parameter budgets after
  "with"/"at"/"using") are not results themselves.
- Not results: parameter and token counts ("7B", "228B tokens"), dataset sizes,
  years, resolutions ("256x256"), device counts ("8x A100"), memory of hardware
  ("A100 40GB").
- A range ("1.3-2.1x", "1.9 to 4.0 times") gives its upper end as ``value`` and
  the lower as ``low``; "from A to B" gives B.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.extract.lexicon import default_lexicon
from kg.model import Mention
from kg.text import fold

# --- vocabularies (data, not code) ---------------------------------------------------------------

#: Unit spellings, canonical unit first. Order matters: longer spellings first.
UNITS: dict[str, tuple[str, ...]] = {
    "points": ("percentage points", "percentage point", "% points", "% point", "points", "point", "pp"),
    "%": ("\\%", "%", "percent"),
    "x": ("times", "×", "x", "X", "-fold", "fold"),
    "ms": ("ms", "milliseconds", "millisecond"),
    "s": ("seconds", "second", "secs", "sec", "s"),
    "hours": ("hours", "hour", "hrs", "h"),
    "minutes": ("minutes", "minute", "min"),
    "GB": ("GB", "GiB"),
    "MB": ("MB", "MiB"),
    "TB": ("TB",),
    "KB": ("KB",),
    "TFLOPS": ("TFLOPS", "TFLOPs", "Tflops"),
    "PFLOPS": ("petaflops", "PFLOPS", "Petaflops"),
    "tokens/s": ("tokens/s", "token/s", "tokens/sec", "tokens per second"),
    "FPS": ("FPS", "fps"),
}
#: Units whose number counts things (parameters, tokens, examples) or sets a bit width: never results.
COUNT_UNITS: tuple[str, ...] = ("billion", "million", "thousand", "trillion", "bits", "bit", "B", "M", "K", "k", "T")
#: Units that name their metric.
UNIT_METRICS: dict[str, str] = {"TFLOPS": "TFLOPS", "PFLOPS": "TFLOPS", "tokens/s": "tokens per second",
                                "FPS": "frames per second"}
MEMORY_UNITS = frozenset({"GB", "MB", "TB", "KB"})
TIME_UNITS = frozenset({"ms", "s", "hours", "minutes"})

#: General measure words that the curated lexicon leaves out, with the name they are recorded under.
EXTRA_METRICS: dict[str, str] = {
    "parameters": "number of parameters",
    "parameter count": "number of parameters",
    "number of parameters": "number of parameters",
    "trainable parameters": "number of parameters",
    "computation cost": "computational cost",
    "computation costs": "computational cost",
    "computational cost": "computational cost",
    "computational costs": "computational cost",
    "compute cost": "computational cost",
    "error": "error rate",
    "errors": "error rate",
    "storage": "storage",
    "size": "model size",
    "accurate": "accuracy",
    "accuracies": "accuracy",
    "accuracy rate": "accuracy",
    "latencies": "latency",
    "speed-up": "speedup",
    "speed-ups": "speedup",
    "speedups": "speedup",
    "memory": "memory footprint",
    "memory savings": "memory footprint",
    "training speed": "speedup",
    "inference speed": "speedup",
}
#: Words after a number that imply the metric ("2x faster" is a speedup).
IMPLIED_METRICS: dict[str, str] = {
    "faster": "speedup",
    "quicker": "speedup",
    "speedup": "speedup",
    "acceleration": "speedup",
    "smaller": "model size",
    "larger": "model size",
    "cheaper": "computational cost",
}
#: Metrics of cost and size; the rest (accuracy, F1, perplexity, ...) measure quality.
EFFICIENCY_METRICS = frozenset(fold(m) for m in (
    "speedup", "latency", "inference latency", "throughput", "inference time", "training time", "FLOPs", "GFLOPs",
    "TFLOPS", "MACs", "BitOPs", "memory footprint", "memory usage", "peak memory", "model size",
    "number of parameters", "compression ratio", "energy consumption", "power consumption", "tokens per second",
    "frames per second", "computational cost", "storage", "training cost", "GPU hours",
    "model FLOPs utilization", "time to first token", "communication cost",
))
#: Size-like metrics: properties of a model, not measured on a dataset.
STATIC_METRICS = frozenset(fold(m) for m in (
    "number of parameters", "model size", "FLOPs", "GFLOPs", "MACs", "BitOPs", "storage", "compression ratio",
    "memory footprint", "memory usage",
))
#: Metrics whose value, after "with"/"at"/"using", only describes the setting of a result.
SETTING_METRICS = frozenset(fold(m) for m in ("sparsity", "number of parameters", "bit-width"))
#: Modifiers that make a metric phrase evaluative rather than a metric's name ("higher accuracy").
EVALUATIVE = frozenset(
    "higher lower better worse more less fewer superior improved good great high low similar comparable "
    "lossless remarkable huge large small smallest largest fast slow strong overall average final validation "
    "test model limited massive competitive significant substantial inherent static dynamic multiplicative "
    "target long-context".split()
)

_CMP = re.compile(
    r"\b(?:than|over(?!\s*[~<>\d])|compared\s+(?:to|with)|comparing\s+(?:to|with)|versus|vs\.?|against|"
    r"outperform\w*|surpass\w*|exceed\w*|beat\w*|relative\s+to|unlike|rivals?)\b",
    re.I,
)
_APPLIED = re.compile(
    r"(?:\b(?:for|of|to|onto|into|with|on\s+top\s+of|"
    r"compress\w*|prun\w*|quantiz\w*|distill\w*|fine-?tun\w*|train\w*|sparsif\w*|deploy\w*|employ\w*))"
    r"\s+(?:(?:a|an|the|pretrained|pre-trained|small|smaller|large|larger|base|original|dense|this)\s+)*$",
    re.I,
)
_OWN_REF = re.compile(
    r"\b(?:[Ww]e|[Oo]ur(?:\s+[\w-]+){0,3}?\s+(?:method|methods|model|models|approach|framework|system|algorithm|"
    r"algorithms|technique|scheme|kernels?|design|pipeline|strategy|solution|network|architecture|variant)|"
    r"[Tt]he\s+(?:proposed|resulting)(?:\s+[\w-]+){0,3}?\s+(?:method|model|approach|framework|system|algorithm|"
    r"technique|scheme|search)|[Tt]his(?:\s+[\w-]+){0,2}?\s+(?:method|model|approach|framework|strategy|technique|"
    r"design|methodology|system))\b"
)
_PRONOUN_START = re.compile(r"^(?:It|This)\b")
_RESULT_CUE = re.compile(
    r"achiev|reach|outperform|surpass|improv|reduc|speed|faster|accelerat|boost|gain|yield|obtain|attain|deliver|"
    r"increas|decreas|lower|higher|fewer|smaller|sav|cut|result|exceed|beat|enabl|requir|provid|show",
    re.I,
)
_BACKGROUND = re.compile(
    r"\b(?:currently|typically|usually|often|hypothesi\w+|previous\s+(?:work|studies)|prior\s+(?:work|studies)|"
    r"a\s+recent\s+study|it\s+is\s+known)\b",
    re.I,
)
_CHANGE = re.compile(
    r"\b(?:by|improv\w*|gain\w*|boost\w*|reduc\w*|increas\w*|decreas\w*|decline\w*|drop\w*|sav\w*|cut\w*|"
    r"lower|higher|more|less|fewer|faster|slower|smaller|larger|better|worse|superior|speedup|speed-up|relative)\b",
    re.I,
)
_FRACTION = re.compile(r"^\s*(?:of|the\s+size|as\s+many|as\s+much)\b", re.I)
_HARDWARE_MEMORY = re.compile(r"^\s*(?:of\s+)?(?:GPU|GPUs|VRAM|HBM|RAM|DRAM|memory|card|consumer|NPU)\b")
_DIMENSION = re.compile(r"^\s*\d")
_DEVICE_COUNT = re.compile(r"^\s*(?:[A-Z]+\d{2,}|GPUs?|TPUs?|nodes?|machines?)\b")
_COUNT_NOUN = re.compile(
    r"^\s*(?:[\w-]+\s+)?(?:tasks?|datasets?|benchmarks?|models?|LLMs?|languages?|examples?|samples?|pairs?|problems?|"
    r"questions?|reports?|GPUs?|nodes?|layers?|heads?|epochs?|steps?|tokens?|words?|images?|videos?|subjects?|"
    r"individuals?|participants?|users?|domains?|classes?|categories|queries|trajectories|runs?|seeds?|"
    r"documents?|lines?|files?|repositories|reviews?|cases?|instances?|hours?|days?|weeks?|months?|years?)\b",
    re.I,
)
_SETTING_INTRO = re.compile(r"\b(?:at|with|using|under|use|uses|while\s+using)\s+(?:only\s+|just\s+|a\s+|an\s+)*$", re.I)
_BOUNDARY = re.compile(r";|\bwhereas\b|\bwhile\b|,\s+but\b|\(\d\)|\b\d\)\s", re.I)
_SPARSITY = re.compile(r"\d+(?:\.\d+)?\s?%\s+(?:sparsity|sparse)\b|\d+:\d+\s+(?:structured\s+)?(?:sparsity|pruning)")
_BITS = re.compile(r"\b\d+(?:\.\d+)?(?:\s?-\s?\d+)?[- ]?bits?(?:/weight)?\b|\bW\d+A\d+\b|\bINT\d+\b", re.I)
_DATASET_WORD = re.compile(
    r"\b([A-Z][\w.+-]*[A-Z0-9][\w.+-]*|[A-Z][a-z]+[\w.+-]*)\s+(?:benchmark|dataset|test\s?set|testset|corpus)\b"
)
_DATASET_LIST = re.compile(
    r"\b((?:[A-Z][\w.+-]*,\s+)+(?:and\s+)?[A-Z][\w.+-]*)\s+(?:[\w-]+\s+){0,3}(?:benchmarks|datasets|test\s?sets)\b"
)
_NAME_SHAPE = re.compile(
    r"(?<![\w@./-])(?:[A-Z][a-z]+[A-Z][\w.+]*|[A-Za-z]+\d[\w.+]*|[A-Z]{2,}[a-z][\w.+]*|[A-Z][\w.+]*)"
    r"(?:-[\w.+]+)*(?:\s\d+(?:\.\d+)?[BM]\b)?(?![\w@])"
)
_METRIC_AT = re.compile(r"(?<![\w-])[A-Za-z][\w-]*@\d+\b")
_STOP_NAMES = frozenset(
    "The This These Those Our We It In On For With Using Compared Notably Moreover Furthermore Additionally "
    "Specifically Finally Overall However Experimental Experiments Results Extensive Our Then Also When As "
    "To By An A Through Across Benchmarks Evaluation Evaluations Code SOTA LLM LLMs MLLM MLLMs GPU GPUs CPU "
    "CPUs NLP NLG NLU AI ML ONNX FP16 FP32 BF16 Compared Despite Besides Here Thus Hence Taking Both".split()
)
_ABBREVIATIONS = re.compile(r"(?:\b(?:e\.g|i\.e|et al|vs|cf|approx|Fig|Eq|Sec|resp|etc|No)\.)$")


@dataclass
class Result:
    """One stated result: who reached which value of which metric, on what, and where it is said."""

    subject: str  # entity name as in the extraction's mentions
    metric: str | None
    value: float
    unit: str | None  # "%", "x", "ms", "GB", "points", ...
    dataset: str | None  # dataset or benchmark entity name, if stated
    setting: str | None
    relative: bool
    sentence: str
    start: int  # offsets of the sentence in the abstract
    end: int
    applied_to: str | None = None  # the model a method is applied to ("for MobileNet-v1, PDP ...")
    baseline: str | None = None  # the model or method it is compared with
    low: float | None = None  # lower end of a stated range ("1.3-2.1x")


@dataclass
class _Span:
    """A typed name found in one sentence (offsets are sentence-relative)."""

    start: int
    end: int
    name: str
    kind: str  # "actor", "dataset", "metric", "hardware"
    own: bool = False
    role: str = "subject"  # actors only: "subject", "baseline" or "applied"


@dataclass
class _Quantity:
    """A number with its unit, as found in one sentence."""

    start: int
    end: int
    value: float
    unit: str | None
    low: float | None = None
    changed_from: bool = False  # "from A to B": this is B
    metric: str | None = None
    group: list[_Quantity] = field(default_factory=list)


# --- sentences --------------------------------------------------------------------------------------


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence offsets: a stop and a space before a capital, not after "e.g." or "et al."."""
    spans, start = [], 0
    for match in re.finditer(r"[.!?](?=\s+[A-Z(\"'\[])", text):
        if _ABBREVIATIONS.search(text[max(0, match.start() - 8) : match.end()]):
            continue
        spans.append((start, match.end()))
        start = match.end()
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text):
        spans.append((start, len(text.rstrip())))
    return [(s, e) for s, e in spans if e > s]


# --- numbers ----------------------------------------------------------------------------------------

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_APPROX = r"(?:~|∼|≈|sim\s?|<|>|≤|≥|\\textless\s?|\\textgreater\s?|leq\s?|geq\s?|[-−+])?"
_UNIT_ALTS = sorted(
    {re.escape(s) for spellings in UNITS.values() for s in spellings} | {re.escape(u) for u in COUNT_UNITS},
    key=len,
    reverse=True,
)
_UNIT = r"(?:\s?(?:" + "|".join(_UNIT_ALTS) + r"))"
_QUANTITY = re.compile(
    rf"(?P<a>{_APPROX})(?P<n1>{_NUM})(?P<u1>{_UNIT})?"
    rf"(?:(?P<range>\s?(?:-|–|—|to)\s?)(?P<n2>{_NUM})(?P<u2>{_UNIT})?)?"
    r"(?![\w@])"
)
_UNIT_LOOKUP = {s.lower() if s not in ("M", "K", "B", "T", "X", "s", "h") else s: u
                for u, spellings in UNITS.items() for s in spellings}


def _unit(raw: str | None) -> str | None:
    """The canonical unit of a unit spelling, "count" for counts, None for none."""
    if not raw:
        return None
    raw = raw.strip()
    if raw in COUNT_UNITS or raw.lower() in ("billion", "million", "thousand", "trillion", "bits", "bit"):
        return "count"
    return _UNIT_LOOKUP.get(raw) or _UNIT_LOOKUP.get(raw.lower())


def _number(text: str) -> float:
    return float(text.replace(",", ""))


class _SentenceReader:
    """Reads the results of one sentence, given the names it contains."""

    def __init__(self, text: str, spans: list[_Span], own: str | None) -> None:
        self.text = text
        self.spans = spans
        self.own = own
        self.actors = [s for s in spans if s.kind == "actor"]
        self.datasets = [s for s in spans if s.kind == "dataset"]
        self.metrics = [s for s in spans if s.kind == "metric"]
        self.hardware = [s for s in spans if s.kind == "hardware"]

    # numbers

    def quantities(self) -> list[_Quantity]:
        """Numbers that can be results, with units; counts, years, names and dimensions left out."""
        found: list[_Quantity] = []
        text = self.text
        named = [(s.start, s.end) for s in self.spans]
        for match in _QUANTITY.finditer(text):
            start = match.start()
            if not self._free_start(start, match.group("a")):
                continue
            if any(a <= match.start("n1") < b for a, b in named):
                continue
            u1, u2 = _unit(match.group("u1")), _unit(match.group("u2"))
            n1, n2 = match.group("n1"), match.group("n2")
            after = text[match.end() :]
            unit = u2 or u1
            if n2 is not None and match.group("range").strip() == "to" and re.search(r"\bfrom\s+$", text[:start]):
                quantity = _Quantity(start, match.end(), _number(n2), unit, changed_from=True)
            elif n2 is not None and match.group("range").strip() in ("-", "–", "—") and u1 and u2 and u1 != u2:
                continue
            elif n2 is not None:
                low, high = sorted((_number(n1), _number(n2)))
                quantity = _Quantity(start, match.end(), high, unit, low=low)
            else:
                quantity = _Quantity(start, match.end(), _number(n1), unit)
            if match.group("a") in ("-", "−") and quantity.low is None:
                quantity.value = -quantity.value if unit is None else quantity.value
            if self._skip(quantity, after, match):
                continue
            found.append(quantity)
        return self._merge_from_to(found)

    def _free_start(self, start: int, approx: str) -> bool:
        """A number stands alone: not the tail of a name ("GPT-4", "A100", "pass@1", "ViT-B/16")."""
        if start == 0:
            return True
        before = self.text[start - 1]
        if approx and approx.startswith("sim"):
            return start < 1 or not self.text[start - 1].isalnum()
        if before in "@:=^_\\":
            return False
        if before == "/":
            return start >= 2 and self.text[start - 2] in "%xX0123456789"
        if before in ".-":
            return start < 2 or not self.text[start - 2].isalnum()
        return not before.isalnum()

    def _skip(self, q: _Quantity, after: str, match: re.Match[str]) -> bool:
        """Numbers that are not results: counts, years, dimensions, devices, hardware memory, bare numbers."""
        if q.unit == "count":
            return True
        if q.unit == "x" and (_DIMENSION.match(after) or _DEVICE_COUNT.match(after)):
            return True
        if q.unit in MEMORY_UNITS and _HARDWARE_MEMORY.match(after):
            return True
        if q.unit in MEMORY_UNITS and re.search(r"\b(?:[A-Z]\d{2,}|GPUs?|with|of)\s*$", self.text[: q.start]):
            return True
        if q.unit is None and "," not in match.group(0) and q.value.is_integer() and 1900 <= q.value <= 2100:
            return True
        if q.unit in (None, *TIME_UNITS) and _COUNT_NOUN.match(after):
            return True
        if q.unit is None:
            return not self._bare_is_result(q, after)
        return False

    def _bare_is_result(self, q: _Quantity, after: str) -> bool:
        """A unitless number is a result only next to a metric, a dataset, or as "from A to B"."""
        before = self.text[: q.start]
        if re.match(r"^\s*\(?\s*[\d.]*\s*\+/?-", after) or re.search(r"\(\s*$", before) and re.match(r"^\s*\+", after):
            return False
        if re.search(r"\bfactor\s+of\s+$", before):
            q.unit = "x"
            return True
        if q.changed_from:
            return True
        for span in self.metrics:
            gap = self.text[q.end : span.start]
            if span.start >= q.end and re.fullmatch(
                r"\s*(?:(?:point|points|decline|decrease|drop|increase|gain|improvement|reduction)\s+)?(?:in\s+)?", gap
            ):
                return True
            gap = self.text[span.end : q.start]
            if span.end <= q.start and re.fullmatch(
                r"\s*\)?\s*(?:of|=|:|is|was|by|of\s+only|is\s+only|reaches|reached|of\s+about)?\s*", gap
            ):
                return True
        for span in self.datasets:
            if span.start >= q.end and re.fullmatch(r"\s*(?:on|for|in)\s+(?:the\s+)?", self.text[q.end : span.start]):
                return True
        return False

    @staticmethod
    def _merge_from_to(found: list[_Quantity]) -> list[_Quantity]:
        return found

    # groups and lists

    def group(self, quantities: list[_Quantity]) -> list[list[_Quantity]]:
        """Runs of numbers joined only by "and", commas or slashes ("3.3x, 8.1x, and 2.4x")."""
        groups: list[list[_Quantity]] = []
        for q in quantities:
            if groups:
                previous = groups[-1][-1]
                gap = self.text[previous.end : q.start]
                same_kind = (previous.unit or "") == (q.unit or "") or previous.unit is None
                if same_kind and re.fullmatch(r"\s*(?:,|/|and|or|,\s*and|,\s*or)?\s*", gap):
                    groups[-1].append(q)
                    continue
            groups.append([q])
        for members in groups:
            for q in members:
                q.group = members
        return groups

    def _list_around(self, spans: list[_Span], anchor: _Span) -> list[_Span]:
        """The coordinated list ("A, B and C", "A/B") that contains one span."""
        ordered = sorted(spans, key=lambda s: s.start)
        index = ordered.index(anchor)
        joined = re.compile(r"\s*(?:,|/|and|or|,\s*and|,\s*or)\s*")
        first = index
        while first > 0 and joined.fullmatch(self.text[ordered[first - 1].end : ordered[first].start]):
            first -= 1
        last = index
        while last + 1 < len(ordered) and joined.fullmatch(self.text[ordered[last].end : ordered[last + 1].start]):
            last += 1
        return ordered[first : last + 1]

    # roles of actors

    def assign_roles(self) -> None:
        """Mark each named actor as the sentence's subject, a baseline, or a model it is applied to."""
        comparing = False
        cut = 0
        previous: _Span | None = None
        for span in sorted(self.actors, key=lambda s: s.start):
            between = self.text[cut : span.start]
            if previous is not None and re.fullmatch(r"\s*(?:,|/|and|or|,\s*and)\s*", between):
                span.role = previous.role
                previous, cut = span, span.end
                continue
            if _BOUNDARY.search(between):
                comparing = False
                between = re.split(_BOUNDARY, between)[-1]
            if comparing and re.search(r",\s*$", self.text[:cut]) and re.match(
                r"^\s*(?:[Cc]ompared|[Rr]elative|[Uu]nlike|[Aa]gainst)", self.text
            ) and cut < 120 and "," in between:
                comparing = False
            if _CMP.search(between):
                comparing = True
            context = self.text[max(0, span.start - 40) : span.start]
            if comparing and not span.own:
                span.role = "baseline"
            elif _APPLIED.search(context) and not span.own:
                span.role = "applied"
            else:
                span.role = "subject"
            previous, cut = span, span.end

    # per-number fields

    def subject_of(self, q: _Quantity) -> tuple[str | None, _Span | None]:
        """The actor that reaches the number (see the module docstring for the order of preference)."""
        for span in self.actors:
            if span.end <= q.start and re.fullmatch(r"\s*(?:'s)?\s*", self.text[span.end : q.start]):
                return span.name, span
        clause_start = self._clause_start(q.start)
        before = [s for s in self.actors if s.end <= q.start and s.role == "subject"]
        in_clause = [s for s in before if s.start >= clause_start]
        for pool in (in_clause, before):
            if pool:
                owned = [s for s in pool if s.own]
                chosen = owned[-1] if owned else pool[-1]
                return self._paired(chosen, q), chosen
        later = [s for s in self.actors if s.start >= q.end and s.role == "subject"]
        if later:
            owned = [s for s in later if s.own]
            chosen = owned[0] if owned else later[0]
            return chosen.name, chosen
        if self.own and (_PRONOUN_START.match(self.text) or self._is_result_sentence()):
            return self.own, None
        return None, None

    def _paired(self, chosen: _Span, q: _Quantity) -> str:
        """With "A and B reach x and y", the i-th number goes to the i-th name."""
        if len(q.group) > 1:
            names = self._list_around([s for s in self.actors if s.role == chosen.role], chosen)
            if len(names) == len(q.group):
                return names[q.group.index(q)].name
        return chosen.name

    def _clause_start(self, position: int) -> int:
        start = 0
        for match in _BOUNDARY.finditer(self.text[:position]):
            start = match.end()
        return start

    def _is_result_sentence(self) -> bool:
        return bool(_RESULT_CUE.search(self.text)) and not _BACKGROUND.search(self.text)

    def metric_of(self, q: _Quantity) -> str | None:
        """The metric named next to the number (or its list), implied by a word after it, or by its unit."""
        if q.unit in UNIT_METRICS:
            return UNIT_METRICS[q.unit]
        first, last = q.group[0], q.group[-1]
        following = self._next_quantity_start(last)
        window_end = min(following, last.end + 60)
        after_text = self.text[last.end : window_end]
        implied = re.match(r"^\s*(?:lower\s+|higher\s+|more\s+|less\s+)?(\w[\w-]*)", after_text)
        if implied and implied.group(1).lower() in IMPLIED_METRICS:
            rest = after_text[implied.end() :]
            named = [s for s in self.metrics if s.start >= last.end + implied.end() and s.start < window_end]
            if not named or not re.match(r"^\s*(?:number\s+of\s+|in\s+)?\w", rest) or re.match(r"^\s*than", rest):
                return IMPLIED_METRICS[implied.group(1).lower()]
        after = [s for s in self.metrics if last.end <= s.start < window_end]
        if after and len(re.findall(r"[\w@-]+", self.text[last.end : after[0].start])) <= 6:
            if not re.search(r"\b(?:than|while|compared|whereas|with|at|using|under)\b|,",
                             self.text[last.end : after[0].start]):
                return self._coordinated(after[0], q)
        window_start = max(self._previous_quantity_end(first), first.start - 90)
        before = [s for s in self.metrics if window_start <= s.start and s.end <= first.start]
        if before:
            gap = self.text[before[-1].end : first.start]
            if len(re.findall(r"[\w@-]+", gap)) <= 8 and not re.search(r"[;]|\bwhile\b|\bthan\b", gap):
                return self._coordinated(before[-1], q, backwards=True)
        return self._sentence_metric(q)

    def _coordinated(self, span: _Span, q: _Quantity, backwards: bool = False) -> str:
        """"parameters and FLOPs" after one number gives it two metrics; the extra ones go to ``q.metric``."""
        return span.name

    def coordinated_metrics(self, q: _Quantity, metric: str) -> list[str]:
        """All metrics of a coordination ("both parameters and model size by 43%")."""
        spans = [s for s in self.metrics if s.name == metric]
        for span in spans:
            near = q.start - 90 <= span.start <= q.end + 60
            if near:
                names = [s.name for s in self._list_around(self.metrics, span)]
                if len(names) > 1 and len(q.group) == 1:
                    return list(dict.fromkeys(names))
        return [metric]

    def _sentence_metric(self, q: _Quantity) -> str | None:
        """The one metric of the number's kind that the sentence names, if there is exactly one."""
        if q.unit in MEMORY_UNITS or q.unit in TIME_UNITS:
            return None
        efficiency = q.unit == "x"
        names = {
            s.name
            for s in self.metrics
            if (fold(s.name) in EFFICIENCY_METRICS) == efficiency and fold(s.name) not in SETTING_METRICS
        }
        if len(names) == 1 and not self._is_setting_span_only(names):
            return next(iter(names))
        return None

    def _is_setting_span_only(self, names: set[str]) -> bool:
        return False

    def _next_quantity_start(self, q: _Quantity) -> int:
        later = [m.start() for m in _QUANTITY.finditer(self.text, q.end) if m.start() > q.end]
        punct = re.search(r"[;]|,\s+(?:while|whereas|and\s+(?:the|a|an)\b)|\.\s", self.text[q.end :])
        ends = [len(self.text)] + later[:1] + ([q.end + punct.start()] if punct else [])
        return min(ends)

    def _previous_quantity_end(self, q: _Quantity) -> int:
        ends = [m.end() for m in _QUANTITY.finditer(self.text[: q.start]) if m.end() < q.start]
        return ends[-1] if ends else 0

    def dataset_of(self, q: _Quantity, metric: str | None) -> str | None:
        """The dataset tied to the number: next to it, paired in a list, or the sentence's only one."""
        if metric is not None and fold(metric) in STATIC_METRICS:
            return None
        if not self.datasets:
            return None
        names = list(dict.fromkeys(s.name for s in self.datasets))
        if len(q.group) > 1 and len(names) == len(q.group):
            return names[q.group.index(q)]
        for group_size in (len(q.group),):
            if group_size > 1:
                lists = [self._list_around(self.datasets, s) for s in self.datasets]
                for items in lists:
                    if len(items) == group_size and items[0].start > q.end:
                        return items[q.group.index(q)].name
        following = self._next_quantity_start(q.group[-1])
        for span in self.datasets:
            if q.end <= span.start < min(q.end + 45, following + 30):
                gap = self.text[q.group[-1].end : span.start]
                if not re.search(r"[,;(]|\b(?:than|while|compared|and)\b", gap):
                    return span.name
        previous_end = self._previous_quantity_end(q.group[0])
        before = [s for s in self.datasets if previous_end <= s.start and s.end <= q.start]
        if before and not re.search(r"[;]|\bwhile\b", self.text[before[-1].end : q.start]):
            return before[-1].name
        if len(names) == 1:
            return names[0]
        return None

    def setting_of(self, q: _Quantity) -> str | None:
        """Conditions stated in the number's clause: sparsity, bit width, hardware (paired in lists)."""
        clause_start = self._clause_start(q.start)
        end = self._next_clause_end(q.end)
        parts: list[str] = []
        for pattern in (_SPARSITY, _BITS):
            for match in pattern.finditer(self.text, clause_start, end):
                if not (match.start() <= q.start < match.end()):
                    parts.append(match.group(0))
        hardware = sorted(self.hardware, key=lambda s: s.start)
        if hardware:
            names = list(dict.fromkeys(s.name for s in hardware))
            if len(q.group) > 1 and len(names) == len(q.group):
                parts.append(names[q.group.index(q)])
            else:
                parts.extend(s.name for s in hardware if clause_start <= s.start < end)
        parts = list(dict.fromkeys(parts))
        return ", ".join(parts) if parts else None

    def _next_clause_end(self, position: int) -> int:
        match = _BOUNDARY.search(self.text, position)
        return match.start() if match else len(self.text)

    def is_setting(self, q: _Quantity, metric: str | None) -> bool:
        """A number that only states the conditions ("at 86.6% sparsity", "with 0.7x the parameters")."""
        first = q.group[0]
        after = self.text[q.group[-1].end : q.group[-1].end + 20]
        if re.match(r"^\s*(?:sparsity|sparse)\b", after):
            return True
        if metric is not None and fold(metric) in SETTING_METRICS:
            return bool(_SETTING_INTRO.search(self.text[max(0, first.start - 25) : first.start]))
        return False

    def is_relative(self, q: _Quantity) -> bool:
        """Ratios, differences and changes ("by 3%", "2x faster", "a 19% reduction", "68% of the FP16 model")."""
        if q.unit in ("x", "points"):
            return True
        if q.changed_from:
            return False
        before = self.text[max(0, q.start - 40) : q.start]
        after = self.text[q.group[-1].end : q.group[-1].end + 40]
        if re.search(r"\bby\s+(?:up\s+to\s+|over\s+|more\s+than\s+|nearly\s+|about\s+|approximately\s+|only\s+)*$",
                     before):
            return True
        if re.search(r"\b(?:improvement|gain|boost|reduction|increase|decrease|decline|drop|savings?)s?\s+of\s+"
                     r"(?:up\s+to\s+|over\s+|about\s+|approximately\s+)*$", before, re.I):
            return True
        if re.match(r"^\s*(?:\w+\s+)?(?:higher|lower|more|less|fewer|faster|slower|smaller|larger|better|worse|"
                    r"superior|improvement|improvements|gain|gains|reduction|increase|decrease|decline|drop|boost|"
                    r"speedup|relative)\b", after, re.I):
            return True
        if _FRACTION.match(after) and re.search(r"\b(?:only|just|is|are|be)\s+$", before):
            return True
        return bool(re.match(r"^\s*the\s+size\s+of", after))

    def baseline_of(self, q: _Quantity) -> str | None:
        """The named model it is compared with: the nearest baseline before the number, or right after it."""
        baselines = [s for s in self.actors if s.role == "baseline"]
        if not baselines:
            return None
        clause_start = self._clause_start(q.start)
        before = [s for s in baselines if clause_start <= s.end <= q.start]
        if before:
            chosen = before[-1]
            if len(q.group) > 1:
                names = self._list_around(baselines, chosen)
                if len(names) == len(q.group):
                    return names[q.group.index(q)].name
            return chosen.name
        after = [s for s in baselines if s.start >= q.end and s.start - q.end < 80]
        return after[0].name if after else None

    def applied_of(self, q: _Quantity, subject: _Span | None) -> str | None:
        """The model the subject is applied to, in the same sentence (paired in lists)."""
        applied = [s for s in self.actors if s.role == "applied"]
        if subject is not None and subject.own:
            applied += [s for s in self.actors if s.role == "subject" and not s.own and s is not subject]
        if not applied:
            return None
        applied.sort(key=lambda s: s.start)
        if len(q.group) > 1:
            for span in applied:
                names = self._list_around(applied, span)
                if len(names) == len(q.group):
                    return names[q.group.index(q)].name
        near = [s for s in applied if s.start < q.start]
        return (near[-1] if near else applied[0]).name


# --- finding names in a sentence --------------------------------------------------------------------


def _form_pattern(form: str) -> re.Pattern[str]:
    """A form as a whole word, plural allowed; case must match when the form has capitals."""
    body = re.escape(form).replace(r"\ ", r"[\s-]?")
    if form.endswith("y"):
        body = body[:-1] + "(?:y|ies)"
    flags = 0 if any(c.isupper() for c in form) else re.I
    return re.compile(rf"(?<![\w@]){body}(?:s|es)?(?![\w@])", flags)


class _NameFinder:
    """Typed names of one abstract, found again inside each of its sentences."""

    def __init__(self, mentions: list[Mention], own: str | None) -> None:
        self.own = own
        own_forms = {fold(own)} if own else set()
        for mention in mentions:
            if own and fold(mention.name) == fold(own):
                own_forms |= {fold(f) for f in mention.forms()}
        self.forms: list[tuple[re.Pattern[str], str, str, bool]] = []
        kinds = {"MODEL": "actor", "METHOD": "actor", "DATASET": "dataset", "BENCHMARK": "dataset",
                 "HARDWARE": "hardware", "METRIC": "metric"}
        for mention in mentions:
            kind = kinds.get(mention.type)
            if kind is None:
                continue
            name = mention.name
            if kind == "metric":
                name = self._metric_name(mention)
                if name is None:
                    continue
            is_own = any(fold(f) in own_forms for f in mention.forms()) or (mention.proposed and kind == "actor")
            for form in mention.forms():
                if len(fold(form)) >= 2:
                    self.forms.append((_form_pattern(form), name, kind, is_own))
        lexicon = default_lexicon()
        self.metric_vocabulary: list[tuple[re.Pattern[str], str]] = []
        for entry in lexicon.entries:
            if entry.type == "METRIC":
                for form in entry.forms():
                    self.metric_vocabulary.append((_form_pattern(form), entry.name))
        for word, name in EXTRA_METRICS.items():
            self.metric_vocabulary.append((_form_pattern(word), name))
        self.mention_by_fold: dict[str, str] = {}
        for mention in mentions:
            if mention.type == "METRIC":
                for form in mention.forms():
                    self.mention_by_fold.setdefault(fold(form), mention.name)

    @staticmethod
    def _metric_name(mention: Mention) -> str | None:
        """A METRIC mention is used as a metric's own name only when it has an acronym or no evaluative word."""
        words = mention.name.lower().split()
        has_acronym = any(alias.isupper() or sum(c.isupper() for c in alias) >= 2 for alias in mention.aliases)
        if has_acronym:
            return mention.name
        if words and words[0] in EVALUATIVE:
            return None
        if default_lexicon().lookup(mention.name) is not None:
            return mention.name
        return None

    def find(self, sentence: str) -> list[_Span]:
        spans: list[_Span] = []
        for pattern, name, kind, is_own in self.forms:
            for match in pattern.finditer(sentence):
                spans.append(_Span(match.start(), match.end(), name, kind, own=is_own))
        for match in default_lexicon().find(sentence):
            kind = {"DATASET": "dataset", "BENCHMARK": "dataset", "HARDWARE": "hardware"}.get(match.entry.type)
            if kind:
                spans.append(_Span(match.start, match.end, match.text, kind))
        for pattern, name in self.metric_vocabulary:
            for match in pattern.finditer(sentence):
                spans.append(_Span(match.start(), match.end(), self._metric_output(match.group(0), name), "metric"))
        for match in _METRIC_AT.finditer(sentence):
            spans.append(_Span(match.start(), match.end(), match.group(0), "metric"))
        spans = self._top_k(sentence, spans)
        spans.extend(self._dataset_phrases(sentence))
        spans = _longest(spans)
        spans.extend(self._own_references(sentence, spans))
        spans.extend(self._name_shaped(sentence, spans))
        return sorted(_longest(spans), key=lambda s: s.start)

    def _metric_output(self, surface: str, canonical: str) -> str:
        """The metric's name as the abstract's mentions spell it, else the lexicon's name."""
        for key in (fold(surface), fold(canonical)):
            if key in self.mention_by_fold:
                mention_name = self.mention_by_fold[key]
                if mention_name.lower().split()[0] not in EVALUATIVE:
                    return mention_name
        return canonical

    @staticmethod
    def _top_k(sentence: str, spans: list[_Span]) -> list[_Span]:
        """"top-1 ImageNet accuracy" and "top-1 (7.8% top-5) error" name top-1 accuracy and top-1 error."""
        out = []
        for span in spans:
            head = re.match(r"top-?([15])$", sentence[span.start : span.end], re.I)
            if span.kind == "metric" and head:
                rest = re.match(r"^(?:\s*\([^)]*\))?(?:\s+[\w.-]+)?\s+(accuracy|error|err)\b", sentence[span.end :])
                if rest:
                    kind_word = "error" if rest.group(1).startswith("err") else "accuracy"
                    out.append(_Span(span.start, span.end + rest.end(), f"top-{head.group(1)} {kind_word}", "metric"))
                    continue
            out.append(span)
        return out

    @staticmethod
    def _dataset_phrases(sentence: str) -> list[_Span]:
        """Names shown to be datasets by the words around them: "the X benchmark", "the A, B and C datasets"."""
        spans = []
        for match in _DATASET_WORD.finditer(sentence):
            name = match.group(1)
            if name not in _STOP_NAMES and match.start() > 0:
                spans.append(_Span(match.start(1), match.end(1), name, "dataset"))
        for match in _DATASET_LIST.finditer(sentence):
            for item in re.finditer(r"[A-Z][\w.+-]*", match.group(1)):
                if item.group(0) not in _STOP_NAMES:
                    start = match.start(1) + item.start()
                    spans.append(_Span(start, start + len(item.group(0)), item.group(0), "dataset"))
        return spans

    def _own_references(self, sentence: str, spans: list[_Span]) -> list[_Span]:
        """"we", "our method", "the proposed approach", sentence-initial "It": the paper's own contribution."""
        if not self.own:
            return []
        found = []
        for match in _OWN_REF.finditer(sentence):
            if not any(s.start < match.end() and match.start() < s.end for s in spans):
                found.append(_Span(match.start(), match.end(), self.own, "actor", own=True))
        pronoun = _PRONOUN_START.match(sentence)
        if pronoun and not re.match(r"^This\s+(?:is|was|makes|shows|leads|highlights|results|suggests)", sentence):
            found.append(_Span(0, pronoun.end(), self.own, "actor", own=True))
        return found

    @staticmethod
    def _name_shaped(sentence: str, spans: list[_Span]) -> list[_Span]:
        """Model-like names the mentions missed ("SHViT-S4", "Falcon 7B"): capitals inside, digits, versions."""
        found = []
        for match in _NAME_SHAPE.finditer(sentence):
            text = match.group(0).rstrip(".")
            if text in _STOP_NAMES or any(s.start < match.end() and match.start() < s.end for s in spans):
                continue
            shaped = (
                sum(c.isupper() for c in text) >= 2 and any(c.islower() for c in text)
                or re.search(r"[A-Za-z]-?\d|\d[A-Za-z]", text) and not re.fullmatch(r"[A-Z]?\d+[A-Za-z]?", text)
                or re.search(r"\s\d+(?:\.\d+)?[BM]$", text)
            )
            if not shaped or re.fullmatch(r"[A-Z]{1,3}\d{2,5}\w?", text):
                continue
            found.append(_Span(match.start(), match.start() + len(text), text, "actor"))
        return found


def _longest(spans: list[_Span]) -> list[_Span]:
    """Non-overlapping spans, longest first (an actor wins a tie, so "ViT-MoE" is not the metric "MoE")."""
    priority = {"actor": 0, "dataset": 1, "hardware": 2, "metric": 3}
    chosen: list[_Span] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), priority[s.kind], s.start)):
        if all(span.end <= c.start or span.start >= c.end for c in chosen):
            chosen.append(span)
    return chosen


# --- the entry point --------------------------------------------------------------------------------


def extract_results(abstract: str, mentions: list[Mention], own: str | None) -> list[Result]:
    """The results an abstract states, one per number, in text order."""
    finder = _NameFinder(mentions, own)
    results: list[Result] = []
    for start, end in split_sentences(abstract):
        sentence = abstract[start:end]
        if not re.search(r"\d", sentence):
            continue
        reader = _SentenceReader(sentence, finder.find(sentence), own)
        reader.assign_roles()
        quantities = reader.quantities()
        reader.group(quantities)
        for q in quantities:
            metric = reader.metric_of(q)
            if reader.is_setting(q, metric):
                continue
            subject, subject_span = reader.subject_of(q)
            if subject is None:
                continue
            for name in reader.coordinated_metrics(q, metric) if metric else [None]:
                results.append(
                    Result(
                        subject=subject,
                        metric=name,
                        value=q.value,
                        unit=q.unit,
                        dataset=reader.dataset_of(q, name),
                        setting=reader.setting_of(q),
                        relative=reader.is_relative(q),
                        sentence=sentence,
                        start=start,
                        end=end,
                        applied_to=reader.applied_of(q, subject_span),
                        baseline=reader.baseline_of(q),
                        low=q.low,
                    )
                )
    return results
