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
from functools import cache, lru_cache

from kg.extract.lexicon import default_lexicon
from kg.model import Mention, Result
from kg.text import fold


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


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
UNIT_METRICS: dict[str, str] = {
    "TFLOPS": "TFLOPS",
    "PFLOPS": "TFLOPS",
    "tokens/s": "tokens per second",
    "FPS": "frames per second",
}
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
    "accelerates": "speedup",
    "accelerate": "speedup",
    "accelerating": "speedup",
    "speeds up": "speedup",
    "speed up": "speedup",
    "parameter": "number of parameters",
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
#: Words that mean speed whatever follows them ("6.2x faster annotation" is a speedup).
SPEED_WORDS = frozenset({"faster", "quicker", "speedup", "acceleration"})
#: Metrics of cost and size; the rest (accuracy, F1, perplexity, ...) measure quality.
EFFICIENCY_METRICS = frozenset(
    fold(m)
    for m in (
        "speedup",
        "latency",
        "inference latency",
        "throughput",
        "inference time",
        "training time",
        "FLOPs",
        "GFLOPs",
        "TFLOPS",
        "MACs",
        "BitOPs",
        "memory footprint",
        "memory usage",
        "peak memory",
        "model size",
        "number of parameters",
        "compression ratio",
        "energy consumption",
        "power consumption",
        "tokens per second",
        "frames per second",
        "computational cost",
        "storage",
        "training cost",
        "GPU hours",
        "model FLOPs utilization",
        "time to first token",
        "communication cost",
    )
)
#: Size-like metrics: properties of a model, not measured on a dataset.
STATIC_METRICS = frozenset(
    fold(m)
    for m in (
        "number of parameters",
        "model size",
        "FLOPs",
        "GFLOPs",
        "MACs",
        "BitOPs",
        "storage",
        "compression ratio",
        "memory footprint",
        "memory usage",
    )
)
#: Metrics whose value, after "with"/"at"/"using", only describes the setting of a result.
SETTING_METRICS = frozenset(fold(m) for m in ("sparsity", "number of parameters", "bit-width"))
#: Modifiers that make a metric phrase evaluative rather than a metric's name ("higher accuracy").
EVALUATIVE = _words(
    "higher lower better worse more less fewer superior improved good great high low similar comparable "
    "lossless remarkable huge large small smallest largest fast slow strong overall average final validation "
    "test model limited massive competitive significant substantial inherent static dynamic multiplicative "
    "target long-context"
)

_CMP = re.compile(
    r"\b(?:than(?!\s*[~<>\d])|over(?!\s*[~<>\d])|compared\s+(?:to|with)|comparing\s+(?:to|with)|versus|vs\.?|against|"
    r"outperform\w*|surpass\w*|exceed\w*|beat\w*|relative\s+to|unlike|rival\w*|comparable\s+(?:\w+\s+){0,2}?(?:to|with)|"
    r"similar\s+(?:\w+\s+){0,2}?to|on\s+par\s+with|competitive\s+with|match\w*|as\s+\w+(?:\s+\w+)?\s+as)\b",
    re.I,
)
_APPLIED = re.compile(
    r"(?:\b(?:for|of|to|on|onto|into|with|on\s+top\s+of|based\s+on|built\s+on|"
    r"compress\w*|prun\w*|quantiz\w*|distill\w*|fine-?tun\w*|train\w*|sparsif\w*|deploy\w*|employ\w*|"
    r"accelerat\w*|enhanc\w*|improv\w*|boost\w*|adapt\w*))"
    r"\s+(?:(?:a|an|the|pretrained|pre-trained|small|smaller|large|larger|base|original|dense|this|its)\s+)*$",
    re.I,
)
#: A name after one of these prepositions is not the subject of its clause ("across any scheduler").
_OBLIQUE = re.compile(
    r"\b(?:across|in|at|under|from|via|through|within|among|between|without|by|using|per|after|before|during)\s+"
    r"(?:(?:a|an|the|any|all|each|several|various|multiple|other|different|its|their)\s+)*$",
    re.I,
)
_OWN_REF = re.compile(
    r"\b(?:[Ww]e|[Oo]ur(?:\s+[\w-]+){0,3}?\s+(?:method|methods|model|models|approach|framework|system|algorithm|"
    r"algorithms|technique|scheme|kernels?|design|pipeline|strategy|solution|network|architecture|variant)|"
    r"[Tt]he\s+(?:proposed|resulting)(?:\s+[\w-]+){0,3}?\s+(?:method|model|approach|framework|system|algorithm|"
    r"technique|scheme|search)|[Tt]his(?:\s+[\w-]+){0,2}?\s+(?:method|model|approach|framework|strategy|technique|"
    r"design|methodology|system))\b"
)
_PRONOUN_START = re.compile(r"^(?:It|This)\b(?!\s+(?:is|was|makes|shows|leads|highlights|results|suggests|means)\b)")
#: Words that report a finding; a sentence without them and without a named actor is not read as a result.
_REPORT_CUE = re.compile(
    r"\b(?:achiev|attain|obtain|outperform|surpass|improv|reduc|boost|accelerat|speed|faster|sav|cut|yield|"
    r"deliver|enabl|reveal|show|demonstrat|result|experiment|evaluat|find|found|observ|provid)\w*",
    re.I,
)
_BACKGROUND = re.compile(
    r"^(?:In\s+(?:the\s+)?(?:last|past|recent)\b|Recently\b|Traditionally\b|Historically\b)|"
    r"\b(?:currently|typically|usually|often|hypothesi\w+|previous\s+(?:work|studies)|prior\s+(?:work|studies)|"
    r"a\s+recent\s+study|it\s+is\s+known)\b",
    re.I,
)
#: A clause whose subject is an unnamed baseline ("while the next best shows 81.5%"): its numbers are not recorded.
_UNNAMED_BASELINE = re.compile(
    r"\b(?:next\s+best|existing|previous|prior|baselines?|conventional|traditional|vanilla|competing|"
    r"state-of-the-art\s+(?:methods?|models?|approaches|algorithms?))\b",
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
    r"documents?|lines?|files?|repositories|reviews?|cases?|instances?|days?|weeks?|months?|years?)\b",
    re.I,
)
_SETTING_INTRO = re.compile(
    r"\b(?:at|with|using|under|use|uses|while\s+using)\s+(?:only\s+|just\s+|a\s+|an\s+)*$", re.I
)
#: Where a clause with a subject of its own may begin; "while reducing ..." keeps the subject, "while X ..." not.
_BOUNDARY = re.compile(
    r";|\bwhereas\b|\bwhile\b(?!\s+(?:\w+ing|being|also|still|only|simultaneously)\b)|,\s+but\b|\(\d\)|\b\d\)\s",
    re.I,
)
#: Connects a metric named before a number to it: "accuracy of 74%", "the MFU by 1.34x", "latency is only 68%".
_BEFORE_LINK = re.compile(
    r"^\s*\)?\s*(?:\([^)]*\)\s*)?(?:[\w/-]+\s+){0,7}?"
    r"(?:of|by|is|was|are|were|=|:|to|from|reaches|reached|achieves|achieved)\s*"
    r"(?:(?:up\s+to|over|about|approximately|nearly|only|just|around|more\s+than|less\s+than|a|an|the)\s+)*$",
    re.I,
)
_SPARSITY = re.compile(r"\d+(?:\.\d+)?\s?%\s+(?:sparsity|sparse)\b|\d+:\d+\s+(?:structured\s+)?(?:sparsity|pruning)")
_BITS = re.compile(r"\b\d+(?:\.\d+)?(?:\s?-\s?\d+)?[- ]?bits?(?:/weight)?\b|\bW\d+A\d+\b|\bINT\d+\b", re.I)
_DATASET_WORD = re.compile(
    r"\b([A-Z][\w.+-]*[A-Z0-9][\w.+-]*|[A-Z][a-z]+[\w.+-]*)\s+(?:benchmark|dataset|test\s?set|testset|corpus)\b"
)
_DATASET_LIST = re.compile(
    r"\b((?:[A-Z][\w.+-]*,\s+)+(?:and\s+)?[A-Z][\w.+-]*)\s+(?:[\w-]+\s+){0,3}(?:benchmarks|datasets|test\s?sets)\b"
)
#: "on Winograde", "for PIQA": a capitalised name right after a number (and its metric) is what it was measured on.
_MEASURED_ON = re.compile(r"^\s*(?:[\w@-]+\s+){0,3}?(?:on|for|in)\s+(?:the\s+)?([A-Z][\w.+-]*)(?![\w.+-])")
_NAME_SHAPE = re.compile(
    r"(?<![\w@./\\-])(?:[A-Z][a-z]+[A-Z][\w.+]*|[A-Za-z]+\d[\w.+]*|[A-Z]{2,}[a-z][\w.+]*|[A-Z][\w.+]*)"
    r"(?:-[\w.+]+)*(?:\s\d+(?:\.\d+)?[BM]\b)?(?![\w@])"
)
#: A variant suffix of a known name: "SHViT" + "-S4", "Orca" + "-Math", "YOLOv10" + "-B".
_VARIANT = re.compile(r"^-(?:[A-Z0-9][\w.]*|\d[\w.]*)(?:-[A-Z0-9][\w.]*)*(?![\w-])")
#: LaTeX left in abstracts ("\\textless2MB", "sim3x"): not names.
_LATEX = re.compile(r"\\?(?:textless|textgreater|sim|leq|geq|approx)\d")
#: Measure words that name no metric; a number they are attached to has no metric ("scores of 70.8%").
_GENERIC_MEASURE = re.compile(r"\b(?:performance|scores?|results?|gains?)\b", re.I)
#: Words after "smaller"/"larger" that leave it meaning size ("10x smaller than", "smaller on ...").
_FUNCTION_WORD = re.compile(
    r"^\s*(?:than|on|in|at|when|for|with|while|and|compared|over|per|across|during|under|to|as|vs)\b", re.I
)
_METRIC_AT = re.compile(r"(?<![\w-])[A-Za-z][\w-]*@\d+\b")
_STOP_NAMES = _words(
    "The This These Those Our We It In On For With Using Compared Notably Moreover Furthermore Additionally "
    "Specifically Finally Overall However Experimental Experiments Results Extensive Then Also When As "
    "To By An A Through Across Benchmarks Evaluation Evaluations Code SOTA LLM LLMs MLLM MLLMs GPU GPUs CPU "
    "CPUs NLP NLG NLU AI ML ONNX FP16 FP32 BF16 Despite Besides Here Thus Hence Taking Both Among Under "
    "Table Figure"
)
_ABBREVIATIONS = re.compile(r"(?:\b(?:e\.g|i\.e|et al|vs|cf|approx|Fig|Eq|Sec|resp|etc|No)\.)$")


@dataclass
class _Span:
    """A typed name found in one sentence (offsets are sentence-relative)."""

    start: int
    end: int
    name: str
    kind: str  # "actor", "dataset", "metric", "hardware", "task"
    own: bool = False
    role: str = "subject"  # actors only: "subject", "baseline", "applied" or "oblique"
    shaped: bool = False  # found by its shape only, not as a mention
    strong: bool = False  # shown to be a dataset by its context ("the X benchmark"); wins overlaps


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
_UNIT_LOOKUP = {
    s.lower() if s not in ("M", "K", "B", "T", "X", "s", "h") else s: u
    for u, spellings in UNITS.items()
    for s in spellings
}


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
        self.found: list[_Quantity] = []

    # numbers

    def quantities(self) -> list[_Quantity]:
        """Numbers that can be results, with units; counts, years, names and dimensions left out."""
        found: list[_Quantity] = []
        text = self.text
        named = [(s.start, s.end) for s in self.spans if s.kind != "metric"]
        for match in _QUANTITY.finditer(text):
            start = match.start()
            if not self._free_start(start):
                continue
            if any(a <= match.start("n1") < b for a, b in named):
                continue
            u1, u2 = _unit(match.group("u1")), _unit(match.group("u2"))
            n1, n2 = match.group("n1"), match.group("n2")
            after = text[match.end() :]
            unit = u2 or u1
            ranging = re.search(r"\b(?:rang\w*|var\w*|between)\s+(?:\w+\s+)?from\s+$", text[:start])
            change = re.search(r"\bfrom\s+$", text[:start]) is not None and not ranging
            if n2 is not None and match.group("range").strip() == "to" and change:
                quantity = _Quantity(start, match.end(), _number(n2), unit, changed_from=True)
            elif n2 is not None and u1 and u2 and u1 != u2:
                continue
            elif n2 is not None:
                low, high = sorted((_number(n1), _number(n2)))
                quantity = _Quantity(start, match.end(), high, unit, low=low)
            else:
                quantity = _Quantity(start, match.end(), _number(n1), unit)
            if self._skip(quantity, after, match):
                continue
            found.append(quantity)
        self.found = found
        self._group(found)
        return found

    def _free_start(self, start: int) -> bool:
        """A number stands alone: not the tail of a name ("GPT-4", "A100", "pass@1", "ViT-B/16")."""
        if start == 0:
            return True
        before = self.text[start - 1]
        if before in "@:=^_\\":
            return False
        if before == "/":
            return start >= 2 and self.text[start - 2] in "%xX0123456789"
        if before in ".-":
            return start < 2 or not self.text[start - 2].isalnum()
        return not before.isalnum()

    def _skip(self, q: _Quantity, after: str, match: re.Match[str]) -> bool:
        """Numbers that are not results: counts, years, dimensions, devices, hardware memory, bare numbers."""
        before = self.text[: q.start]
        if q.unit == "count":
            return True
        if q.unit == "x" and (_DIMENSION.match(after) or _DEVICE_COUNT.match(after)):
            return True
        if q.unit in MEMORY_UNITS and (_HARDWARE_MEMORY.match(after) or re.search(r"\b[A-Z]\d{2,}\s*$", before)):
            return True
        if self._aside(q):
            return True
        if q.unit is None and "," not in match.group(0) and q.value.is_integer() and 1900 <= q.value <= 2100:
            return True
        if q.unit is None and _COUNT_NOUN.match(after):
            return True
        if q.unit is None:
            return not self._bare_is_result(q, after)
        return False

    def _aside(self, q: _Quantity) -> bool:
        """A number in parentheses with no name of its own ("the outliers (less than 1%)", "(-18%)") is an aside;
        "(77.7% for PIQA)", "(pass@1 = 41.4%)" and "(or degraded to 36.8%)" are not."""
        opened = self.text.rfind("(", 0, q.start)
        if opened < 0 or ")" in self.text[opened : q.start]:
            return False
        closed = self.text.find(")", q.end)
        if closed < 0:
            return False
        if re.match(r"\(\s*(?:or|and)\b", self.text[opened:]):
            return False
        if any(opened < s.start and s.end <= closed + 1 for s in self.spans if s.kind != "hardware"):
            return False
        return not any(s.end <= opened and not self.text[s.end : opened].strip() for s in self.metrics)

    def _bare_is_result(self, q: _Quantity, after: str) -> bool:
        """A unitless number is a result only next to a metric, a dataset, or as "from A to B"."""
        before = self.text[: q.start]
        if re.match(r"^\s*\(?\s*[\d.]*\s*\+/?-", after) or re.match(r"^\+/?-", after):
            return False
        if re.search(r"\bfactor\s+of\s+$", before):
            q.unit = "x"
            return True
        if q.changed_from:
            return True
        for span in self.metrics:
            if span.start >= q.end and re.fullmatch(
                r"\s*(?:(?:point|points|decline|decrease|drop|increase|gain|improvement|reduction)\s+)?(?:in\s+)?",
                self.text[q.end : span.start],
            ):
                return True
            if span.end <= q.start and re.fullmatch(
                r"\s*\)?\s*(?:of|=|:|is|was|by|of\s+only|is\s+only|reaches|reached|of\s+about)?\s*",
                self.text[span.end : q.start],
            ):
                return True
        return any(
            span.start >= q.end and re.fullmatch(r"\s*(?:on|for|in)\s+(?:the\s+)?", self.text[q.end : span.start])
            for span in self.datasets
        )

    def _group(self, quantities: list[_Quantity]) -> None:
        """Runs of numbers joined only by "and", commas or slashes ("3.3x, 8.1x, and 2.4x") form a list."""
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

    def _next_start(self, q: _Quantity) -> int:
        """Where the next number after ``q``'s list, or the clause, begins."""
        later = [x.start for x in self.found if x.start >= q.group[-1].end]
        stop = re.search(r";|,\s+(?:while|whereas)\b|\.\s", self.text[q.group[-1].end :])
        ends = [len(self.text), *later[:1]] + ([q.group[-1].end + stop.start()] if stop else [])
        return min(ends)

    def _previous_end(self, q: _Quantity) -> int:
        """Where the number before ``q``'s list ends (0 if none)."""
        ends = [x.end for x in self.found if x.end <= q.group[0].start]
        return ends[-1] if ends else 0

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

    def _clause_start(self, position: int) -> int:
        start = 0
        for match in _BOUNDARY.finditer(self.text[:position]):
            start = match.end()
        return start

    # roles of actors

    def assign_roles(self) -> None:
        """Mark each named actor as the sentence's subject, a baseline, or a model it is applied to.

        A comparison cue ("than", "outperforms", "compared to") makes the names after it baselines until
        the clause ends; a fronted "Compared with X," ends at its comma.
        """
        events: list[tuple[int, str, object]] = [(s.start, "actor", s) for s in self.actors]
        events += [(m.start(), "cue", m) for m in _CMP.finditer(self.text)]
        events += [(m.start(), "boundary", m) for m in _BOUNDARY.finditer(self.text)]
        events += [(m.start(), "comma", m) for m in re.finditer(r",", self.text)]
        comparing, fronted, seen_actor = False, False, False
        previous: _Span | None = None
        for _, kind, item in sorted(events, key=lambda e: (e[0], e[1] != "boundary")):
            if kind == "boundary":
                comparing, fronted, seen_actor = False, False, False
            elif kind == "comma":
                if comparing and fronted:
                    comparing = fronted = False
            elif kind == "cue":
                if not comparing:
                    fronted = not seen_actor
                comparing = True
            else:
                span = item
                assert isinstance(span, _Span)
                gap = self.text[previous.end : span.start] if previous else ""
                listed = previous is not None and (
                    re.fullmatch(r"\s*(?:/|and|or|,\s*and|,\s*or)\s*", gap)
                    or re.fullmatch(r"\s*,\s*", gap)
                    and re.match(r"\s*(?:,|and\b|or\b)", self.text[span.end :])
                )
                if span.own:
                    span.role = "subject"
                elif listed and previous is not None:
                    span.role = previous.role
                elif comparing:
                    span.role = "baseline"
                elif _APPLIED.search(self.text[max(0, span.start - 40) : span.start]):
                    span.role = "applied"
                elif _OBLIQUE.search(self.text[max(0, span.start - 40) : span.start]):
                    span.role = "oblique"
                else:
                    span.role = "subject"
                seen_actor = True
                previous = span

    # per-number fields

    def subject_of(self, q: _Quantity) -> tuple[str | None, _Span | None]:
        """The actor that reaches the number, and its span (None for the paper's contribution by default).

        In order: a name right before the number ("ChatGPT 46.3%"); the paper's own contribution when named
        in the number's clause, else the clause's nearest subject-like name (none if the number sits inside
        a comparison, "outperforming the best score (41.4%)"); nothing for a clause about an unnamed
        baseline; "we"/"our method" earlier in the sentence; the paper's contribution for a sentence that
        reports a finding and names no actor of its own.
        """
        for span in self.actors:
            if span.end <= q.start and re.fullmatch(r"\s*(?:'s)?\s*", self.text[span.end : q.start]):
                return span.name, span
        clause_start = self._clause_start(q.start)
        in_clause = [s for s in self.actors if clause_start <= s.start and s.end <= q.start and s.role == "subject"]
        if in_clause:
            named_own = [
                s
                for s in in_clause
                if s.own and s.name == self.own and not _OWN_REF.fullmatch(self.text[s.start : s.end])
            ]
            chosen = named_own[-1] if named_own else in_clause[-1]
            if self._inside_comparison(chosen, q):
                return None, None
            return self._paired(chosen, q), chosen
        if _UNNAMED_BASELINE.search(self.text[clause_start : q.start]) and clause_start > 0:
            return None, None
        owned = [s for s in self.actors if s.own and s.end <= q.start]
        if owned:
            return owned[-1].name, owned[-1]
        if self.own and not any(s.role == "subject" for s in self.actors) and self._is_result_sentence(q):
            return self.own, None
        return None, None

    def _inside_comparison(self, subject: _Span, q: _Quantity) -> bool:
        """ "X outperforms the best score (41.4%)": a number after the cue, without "by", describes the baseline.

        The comparison ends at a comma or "while" ("faster than Y, while being 1.3% more accurate").
        """
        cues = [m for m in _CMP.finditer(self.text) if subject.end <= m.start() and m.end() <= q.start]
        if not cues:
            return False
        rest = self.text[cues[-1].end() : q.start]
        return not re.search(r"\bby\b|\bwhile\b|,", rest)

    def _paired(self, chosen: _Span, q: _Quantity) -> str:
        """With "A and B reach x and y", the i-th number goes to the i-th name."""
        if len(q.group) > 1:
            names = self._list_around([s for s in self.actors if s.role == chosen.role], chosen)
            if len(names) == len(q.group):
                return names[q.group.index(q)].name
        return chosen.name

    def _is_result_sentence(self, q: _Quantity) -> bool:
        """A sentence that reports a finding rather than motivating the work."""
        return not _BACKGROUND.search(self.text) and bool(_REPORT_CUE.search(self.text))

    def metric_of(self, q: _Quantity) -> str | None:
        """The metric named next to the number (or its list), implied by a word after it, or by its unit."""
        if q.unit in UNIT_METRICS:
            return UNIT_METRICS[q.unit]
        first, last = q.group[0], q.group[-1]
        window_end = min(self._next_start(q), last.end + 60)
        after_text = self.text[last.end : window_end]
        if q.unit in TIME_UNITS:
            word = re.match(r"^\s*(?:[\w-]+\s+){0,3}?(train|infer|inference)", after_text, re.I)
            if word:
                return "training time" if word.group(1).lower() == "train" else "inference time"
        implied = re.match(r"^\s*(?:lower\s+|higher\s+|more\s+|less\s+)?([a-z][\w-]*)", after_text)
        if implied and implied.group(1).lower() in SPEED_WORDS:
            return IMPLIED_METRICS[implied.group(1).lower()]
        if implied and implied.group(1).lower() in IMPLIED_METRICS:
            rest = after_text[implied.end() :]
            if not re.match(r"^\s*[a-zA-Z]", rest) or _FUNCTION_WORD.match(rest):
                return IMPLIED_METRICS[implied.group(1).lower()]
        after = [s for s in self.metrics if last.end <= s.start < window_end]
        if after:
            gap = self.text[last.end : after[0].start]
            if len(re.findall(r"[\w@-]+", gap)) <= 6 and not re.search(
                r"\b(?:than|while|compared|whereas|with|at|using|under|on|for|across|over|among|per)\b|[,;(]", gap
            ):
                return self._paired_metric(after[0], q)
        window_start = max(self._previous_end(q), first.start - 90)
        before = [s for s in self.metrics if window_start <= s.start and s.end <= first.start]
        if before and _BEFORE_LINK.match(self.text[before[-1].end : first.start]):
            return self._paired_metric(before[-1], q)
        if re.match(r"^\s*(?:[\w-]+\s+){0,3}?" + _GENERIC_MEASURE.pattern, after_text, re.I) or re.search(
            _GENERIC_MEASURE.pattern + r"\s+(?:\w+\s+){0,2}?(?:of|from|is|was|to)\s+(?:up\s+to\s+|about\s+)?$",
            self.text[window_start : first.start],
            re.I,
        ):
            return None
        return self._sentence_metric(q)

    def _paired_metric(self, span: _Span, q: _Quantity) -> str:
        """ "reducing parameter and computation costs by 116x and 21x": the i-th number, the i-th metric."""
        if len(q.group) > 1:
            names = self._list_around(self.metrics, span)
            if len(names) == len(q.group):
                return names[q.group.index(q)].name
        return span.name

    def coordinated_metrics(self, q: _Quantity, metric: str) -> list[str]:
        """All metrics of a coordination with one number ("reducing both parameters and model size by 43%")."""
        if len(q.group) > 1:
            return [metric]
        for span in self.metrics:
            if span.name == metric and q.start - 90 <= span.start <= q.end + 60:
                names = [s.name for s in self._list_around(self.metrics, span)]
                if len(names) > 1:
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
        return next(iter(names)) if len(names) == 1 else None

    def dataset_of(self, q: _Quantity, metric: str | None) -> str | None:
        """The dataset tied to the number: paired in a list, next to it, or the only one in its part of the sentence."""
        if metric is not None and fold(metric) in STATIC_METRICS:
            return None
        last = q.group[-1]
        if len(q.group) > 1 and self.datasets:
            for span in self.datasets:
                items = self._list_around(self.datasets, span)
                if len(items) == len(q.group) and items[0].start > last.end:
                    return items[q.group.index(q)].name
        window_end = min(self._next_start(q) + 40, last.end + 70)
        for span in self.datasets:
            if last.end <= span.start < window_end:
                gap = re.sub(r"\([^)]*\)", "", self.text[last.end : span.start])
                if not re.search(r"[,;]|\b(?:than|while|compared|and|with)\b", gap):
                    return span.name
                break
        measured = _MEASURED_ON.match(self.text[last.end : self._next_start(q)])
        if measured:
            at = last.end + measured.start(1)
            task = [s for s in self.spans if s.kind == "task" and s.start == at]
            if task:
                return task[0].name
        if measured and not any(
            s.start <= last.end + measured.start(1) < s.end and not (s.kind == "actor" and s.shaped) for s in self.spans
        ):
            name = measured.group(1).rstrip(".")
            if name not in _STOP_NAMES and len(name) > 2:
                return name
        before = [s for s in self.datasets if self._previous_end(q) <= s.start and s.end <= q.group[0].start]
        if before and q.group[0].start - before[-1].end <= 50 and "," not in self.text[before[-1].end : q.start]:
            return before[-1].name
        names = list(dict.fromkeys(s.name for s in self.datasets))
        if len(names) == 1:
            segment = self._segment(q.start)
            if any(segment[0] <= s.start < segment[1] for s in self.datasets):
                return names[0]
        return None

    def _segment(self, position: int) -> tuple[int, int]:
        """The part of the sentence between ", and" joints around a position (parallel results are listed so)."""
        joints = r";" if "respectively" in self.text else r",\s+and\b|;"
        cuts = [0] + [m.end() for m in re.finditer(joints, self.text)] + [len(self.text)]
        for start, end in zip(cuts, cuts[1:], strict=False):
            if start <= position < end:
                return start, end
        return 0, len(self.text)

    def setting_of(self, q: _Quantity) -> str | None:
        """Conditions stated in the number's clause: sparsity, bit width, hardware (paired in lists)."""
        clause_start = self._clause_start(q.start)
        boundary = _BOUNDARY.search(self.text, q.end)
        end = boundary.start() if boundary else len(self.text)
        parts: list[str] = []
        for pattern in (_SPARSITY, _BITS):
            for match in pattern.finditer(self.text, clause_start, end):
                if not (match.start() <= q.start < match.end()):
                    parts.append(match.group(0))
        hardware: list[_Span] = []
        for span in sorted(self.hardware, key=lambda s: s.start):
            if hardware and self.text[hardware[-1].end : span.start] == " ":
                joined = self.text[hardware[-1].start : span.end]
                hardware[-1] = _Span(hardware[-1].start, span.end, joined, "hardware")
            else:
                hardware.append(span)
        if hardware:
            names = list(dict.fromkeys(s.name for s in hardware))
            if len(q.group) > 1 and len(names) == len(q.group):
                parts.append(names[q.group.index(q)])
            else:
                parts.extend(s.name for s in hardware if clause_start <= s.start < end)
        parts = list(dict.fromkeys(parts))
        return ", ".join(parts) if parts else None

    def is_setting(self, q: _Quantity, metric: str | None) -> bool:
        """A number that only states the conditions ("at 86.6% sparsity", "with 0.7x the parameters",
        "while using it for only 43% of tokens")."""
        first = q.group[0]
        after = self.text[q.group[-1].end : q.group[-1].end + 20]
        if re.match(r"^\s*(?:sparsity|sparse)\b", after):
            return True
        budget = re.compile(r"\b(?:using|uses|use|with)(?:\s+\w+){0,3}?\s+(?:only\s+|just\s+)?$")
        if re.match(r"^\s*of\b", after) and budget.search(self.text[max(0, first.start - 40) : first.start]):
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
        before = self.text[max(0, q.group[0].start - 40) : q.group[0].start]
        after = self.text[q.group[-1].end : q.group[-1].end + 40]
        if re.search(
            r"\bby\s+(?:up\s+to\s+|over\s+|more\s+than\s+|nearly\s+|about\s+|approximately\s+|only\s+)*$", before
        ):
            return True
        if re.search(
            r"\b(?:improvement|gain|boost|reduction|increase|decrease|decline|drop|savings?)s?\s+of\s+"
            r"(?:up\s+to\s+|over\s+|about\s+|approximately\s+)*$",
            before,
            re.I,
        ):
            return True
        if re.match(
            r"^\s*(?:\w+\s+)?(?:higher|lower|more|less|fewer|faster|slower|smaller|larger|better|worse|"
            r"superior|improvement|improvements|gain|gains|reduction|increase|decrease|decline|drop|boost|"
            r"speedup|speed-up|relative|increased|decreased|improved|reduced|degradation|deterioration|additional)\b",
            after,
            re.I,
        ):
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
            applied += [s for s in self.actors if s.role == "subject" and not s.own]
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


@lru_cache(maxsize=16384)
def _form_pattern(form: str) -> re.Pattern[str]:
    """A form as a whole word, plural allowed; case must match when the form has capitals ("MATH" is not
    "math"), except in longer names with digits, whose case varies between papers ("GSM8K", "GSM8k")."""
    body = re.escape(form).replace(r"\ ", r"[\s-]?")
    if form.endswith("y"):
        body = body[:-1] + "(?:y|ies)"
    flags = re.I if not any(c.isupper() for c in form) or any(c.isdigit() for c in form) and len(form) > 4 else 0
    return re.compile(rf"(?<![\w@]){body}(?:s|es)?(?![\w@])(?!-[a-z])", flags)


@cache
def _metric_vocabulary() -> list[tuple[re.Pattern[str], str]]:
    """Every spelling of a metric the lexicon and ``EXTRA_METRICS`` know, with the name it is recorded under."""
    vocabulary = [
        (_form_pattern(form), entry.name)
        for entry in default_lexicon().entries
        if entry.type == "METRIC"
        for form in entry.forms()
    ]
    return vocabulary + [(_form_pattern(word), canonical) for word, canonical in EXTRA_METRICS.items()]


class _NameFinder:
    """Typed names of one abstract, found again inside each of its sentences."""

    def __init__(self, mentions: list[Mention], own: str | None) -> None:
        self.own = own
        own_forms = {fold(own)} if own else set()
        for mention in mentions:
            if own and fold(mention.name) == fold(own):
                own_forms |= {fold(f) for f in mention.forms()}
        self.forms: list[tuple[re.Pattern[str], str, str, bool]] = []
        kinds = {
            "MODEL": "actor",
            "METHOD": "actor",
            "DATASET": "dataset",
            "BENCHMARK": "dataset",
            "HARDWARE": "hardware",
            "METRIC": "metric",
            "TASK": "task",
        }
        for mention in mentions:
            kind = kinds.get(mention.type)
            if kind is None:
                continue
            name: str | None = mention.name
            if kind == "metric":
                name = self._metric_name(mention)
                if name is None:
                    continue
            is_own = kind == "actor" and any(fold(f) in own_forms for f in mention.forms())
            for form in mention.forms():
                if len(fold(form)) >= 2 and not re.search(r"\s[\d.,%]+$", form) and not _LATEX.match(form):
                    self.forms.append((_form_pattern(form), name, kind, is_own))
        self.metric_vocabulary = _metric_vocabulary()
        self.mention_by_fold: dict[str, str] = {}
        for mention in mentions:
            if mention.type == "METRIC":
                for form in mention.forms():
                    self.mention_by_fold.setdefault(fold(form), mention.name)

    @staticmethod
    def _metric_name(mention: Mention) -> str | None:
        """A METRIC mention names a metric when it has an acronym, or the lexicon knows it."""
        if any(alias.isupper() or sum(c.isupper() for c in alias) >= 2 for alias in mention.aliases):
            return mention.name
        words = mention.name.lower().split()
        if words and words[0] in EVALUATIVE:
            return None
        return mention.name if default_lexicon().lookup(mention.name) is not None else None

    def find(self, sentence: str) -> list[_Span]:
        spans: list[_Span] = []
        for pattern, name, kind, is_own in self.forms:
            for match in pattern.finditer(sentence):
                spans.append(_Span(match.start(), match.end(), name, kind, own=is_own))
        for match in default_lexicon().find(sentence):
            kind = {"DATASET": "dataset", "BENCHMARK": "dataset", "HARDWARE": "hardware"}.get(match.entry.type)
            if kind:
                spans.append(_Span(match.start, match.end, match.text, kind))
        for pattern, canonical in self.metric_vocabulary:
            for match in pattern.finditer(sentence):
                name = self._metric_output(match.group(0), canonical)
                spans.append(_Span(match.start(), match.end(), name, "metric"))
        for match in _METRIC_AT.finditer(sentence):
            spans.append(_Span(match.start(), match.end(), match.group(0), "metric"))
        spans.extend(self._dataset_phrases(sentence))
        spans = _longest(spans)
        spans = self._top_k(sentence, spans)
        spans.extend(self._own_references(sentence, spans))
        spans.extend(self._name_shaped(sentence, spans))
        return self._variants(sentence, sorted(_longest(spans), key=lambda s: s.start))

    def _metric_output(self, surface: str, canonical: str) -> str:
        """The metric's name as the abstract's mentions spell it when they name the same metric, else the lexicon's."""
        lexicon = default_lexicon()
        for key in (fold(surface), fold(canonical)):
            mention_name = self.mention_by_fold.get(key)
            if mention_name and lexicon.lookup(mention_name) is lexicon.lookup(canonical):
                return mention_name
        return canonical

    @staticmethod
    def _top_k(sentence: str, spans: list[_Span]) -> list[_Span]:
        """ "top-1 ImageNet accuracy" and "top-1 (7.8% top-5) error" name top-1 accuracy and top-1 error."""
        consumed: set[int] = set()
        out = []
        for span in spans:
            head = re.fullmatch(r"top-?([15])", sentence[span.start : span.end], re.I)
            if span.kind == "metric" and head:
                rest = re.match(
                    r"^(?:\s*\([^)]*\))?\)?(?:\s+[\w.-]+)?\s+(accuracy|error|err)\b", sentence[span.end :], re.I
                )
                if rest:
                    kind_word = "error" if rest.group(1).lower().startswith("err") else "accuracy"
                    consumed.add(span.end + rest.start(1))
                    span = _Span(span.start, span.end, f"top-{head.group(1)} {kind_word}", "metric")
            out.append(span)
        return [s for s in out if not (s.kind == "metric" and s.start in consumed)]

    @staticmethod
    def _dataset_phrases(sentence: str) -> list[_Span]:
        """Names shown to be datasets by the words around them: "the X benchmark", "the A, B and C datasets"."""
        spans = []
        for match in _DATASET_WORD.finditer(sentence):
            name = match.group(1)
            if name not in _STOP_NAMES and match.start() > 0:
                spans.append(_Span(match.start(1), match.end(1), name, "dataset", strong=True))
        for match in _DATASET_LIST.finditer(sentence):
            for item in re.finditer(r"[A-Z][\w.+-]*", match.group(1)):
                if item.group(0) not in _STOP_NAMES:
                    start = match.start(1) + item.start()
                    spans.append(_Span(start, start + len(item.group(0)), item.group(0), "dataset", strong=True))
        return spans

    def _own_references(self, sentence: str, spans: list[_Span]) -> list[_Span]:
        """ "we", "our method", "the proposed approach", sentence-initial "It": the paper's own contribution."""
        if not self.own:
            return []
        found = []
        for match in _OWN_REF.finditer(sentence):
            if not any(s.start < match.end() and match.start() < s.end for s in spans):
                found.append(_Span(match.start(), match.end(), self.own, "actor", own=True))
        pronoun = _PRONOUN_START.match(sentence)
        if pronoun and not any(s.start == 0 for s in found):
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
                sum(c.isupper() for c in text) >= 2
                and any(c.islower() for c in text)
                or re.search(r"[A-Za-z]-?\d|\d[A-Za-z]", text)
                and not re.fullmatch(r"[A-Z]?\d+[A-Za-z]?", text)
                or re.search(r"\s\d+(?:\.\d+)?[BM]$", text)
            )
            if not shaped or re.fullmatch(r"[A-Z]{1,3}\d{2,5}\w?", text):
                continue
            found.append(_Span(match.start(), match.start() + len(text), text, "actor", shaped=True))
        return found

    @staticmethod
    def _variants(sentence: str, spans: list[_Span]) -> list[_Span]:
        """Extend a name by a variant suffix ("SHViT" -> "SHViT-S4"), and read "CodeGen LM" as one name."""
        out: list[_Span] = []
        for span in spans:
            if span.kind == "actor":
                variant = _VARIANT.match(sentence[span.end :])
                if variant:
                    end = span.end + variant.end()
                    span = _Span(span.start, end, sentence[span.start : end], "actor", own=False)
            if (
                out
                and span.kind == "actor"
                and out[-1].kind == "actor"
                and sentence[out[-1].end : span.start] == " "
                and not span.own
            ):
                out[-1] = _Span(out[-1].start, span.end, out[-1].name, "actor", own=out[-1].own)
                continue
            out.append(span)
        return out


def _longest(spans: list[_Span]) -> list[_Span]:
    """Non-overlapping spans, longest first (an actor wins a tie, so "ViT-MoE" is not the metric "MoE");
    names that their context shows to be datasets win over everything."""
    priority = {"actor": 0, "dataset": 1, "hardware": 2, "metric": 3, "task": 4}
    chosen: list[_Span] = []
    for span in sorted(spans, key=lambda s: (not s.strong, -(s.end - s.start), priority[s.kind], s.start)):
        if all(span.end <= c.start or span.start >= c.end for c in chosen):
            chosen.append(span)
    return chosen


# --- the entry point --------------------------------------------------------------------------------


def extract_results(abstract: str, mentions: list[Mention], own: str | None) -> list[Result]:
    """The results an abstract states, one per number (and per metric of a coordination), in text order."""
    finder = _NameFinder(mentions, own)
    results: list[Result] = []
    for start, end in split_sentences(abstract):
        sentence = abstract[start:end]
        if not re.search(r"\d", sentence):
            continue
        reader = _SentenceReader(sentence, finder.find(sentence), own)
        reader.assign_roles()
        if _BACKGROUND.search(sentence) and not any(s.own for s in reader.actors):
            continue
        for q in reader.quantities():
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
