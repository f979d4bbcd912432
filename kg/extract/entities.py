"""Entity spans in one text: known names, defined acronyms, new names and typed phrases.

Four sources, strongest first when spans overlap: acronym definitions, the
lexicon, name-shaped tokens ("FooNet-v2", "GeoAlign", "DNABERT-2") typed by the
words around them, and noun phrases typed by their head word ("news topic
classification" is a TASK). Each span carries its type and a ``key`` that ties
the forms of one entity in one abstract together (an acronym and its long form,
two names of one lexicon entry).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span

from kg.extract.acronyms import find_definitions
from kg.extract.lexicon import Lexicon
from kg.extract.rules import Rules, load_rules
from kg.text import fold

# A token shaped like a name: capitals inside ("ImageNet", "GeoAlign"), all capitals
# ("IPTC"), or letters with digits ("YOLOv8", "H100"), with optional version suffixes.
_NAME = re.compile(
    r"(?<![\w\-])"
    r"(?:[A-Za-z][\w]*(?:[\-\.][\w]+)*(?:\+\+|\+)?)"
    r"(?![\w])"
)
# A version after a known model name: "-2", "-v3", "2.5", "-7B-Instruct"; after a space only a short
# one ("Llama 3", "Qwen 2.5"), never a score ("ChatGPT 46.3%").
_VERSION_TAIL = re.compile(
    r"(?:(?:-|(?<=[A-Za-z]))(?:v|V)?\d+(?:\.\d+)*[A-Za-z]?(?:-[A-Za-z0-9]+)*"
    r"|\s(?:v|V)?\d{1,2}(?:\.\d)?[BbMm]?(?![\d.%\w]))"
)
_YEAR_TAIL = re.compile(r"^ (?:19|20)\d\d\b")
_AFFIX = re.compile(
    r"-(?:based|like|style|driven|aware|guided|wise|specific|level|free|only|enhanced|powered|generated|assisted"
    r"|augmented|produced|written|centric|oriented)$",
    re.I,
)
# "datasets such as A, B and C": names in such a list take the list's type.
_KIND_BEFORE = re.compile(
    r"\b(datasets?|benchmarks?|corpus|suite|leaderboard|model|framework|method|algorithm)\s*"
    rf"(?:,|:|\(|{load_rules().naming_alternation})\s*(?:as\s+)?$",
    re.I,
)
_LIST_CONTEXT = re.compile(
    r"\b(datasets?|benchmarks?|corpora|test sets?|suites?)\b[^.;]{0,15}?(?:such as|including|like|namely|e\.g\.,?|:|\()"
    r"(?:[^.;()]{0,120})$",
    re.I,
)
_SOURCE_RANK = {"acronym": 3, "lexicon": 2, "name": 1, "phrase": 0}
_NAME_SUFFIX_TYPES = (
    (("bench", "benchmark", "qa", "eval"), "BENCHMARK"),
    (("net", "former", "bert", "gpt", "llama", "lm", "vit", "diffusion", "yolo"), "MODEL"),
)
_CONTEXT_WINDOW = 3


@dataclass
class Candidate:
    """An entity span found in a text, before the abstract's entities are formed."""

    start: int
    end: int
    text: str
    type: str
    source: str
    key: str

    @property
    def rank(self) -> tuple[int, int]:
        return (self.end - self.start, _SOURCE_RANK[self.source])


_LISTED_TYPES = {"MODEL", "METHOD", "DATASET", "BENCHMARK"}


def _listable(token) -> bool:
    """A word that can be a name in a list: capitalised or letters with digits, not a common word."""
    text = token.text
    return (
        len(text) >= 2
        and token.pos_ in ("PROPN", "NOUN")
        and text.lower() not in STOP_WORDS
        and (text[0].isupper() or (any(c.isdigit() for c in text) and any(c.isalpha() for c in text)))
        and not (text[1:].islower() and text.endswith("s"))  # "Blocks, MLP, and Attention": a plural word
    )


def _title_cased(sent: Span) -> bool:
    """A title-cased sentence ("A Rigorous & High-Standard Benchmark"): capitals say nothing there."""
    words = [t.text for t in sent if t.is_alpha and len(t.text) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) > len(words) / 2


# "a methodology called ADED": the name a naming word gives.
CALLED_NAME = re.compile(rf"\b(?:{load_rules().naming_alternation})\s+([A-Z][\w\-]*)")
_SPELLED_ACRONYM = re.compile(r"^[A-Z]{2,}[a-z]{4,}$")
_SPELLED_INSIDE = re.compile(r"^[a-z]{2,}[A-Z][a-z]{2,}$")  # "comMents As Natural loGic pivOts (MANGO)"


def _is_name_shaped(token: str) -> bool:
    """Capitals inside a word ("GeoAlign", "mAP"), all capitals ("IPTC") or letters with digits
    ("YOLOv8"); title-case compounds ("Long-Context") are not names by shape alone, nor a word
    capitalised to spell an acronym ("CONstrained Clustering (RepCONC)")."""
    if (
        len(token) < 2
        or token.islower()
        or sum(c.isalpha() for c in token) < 2
        or _SPELLED_ACRONYM.match(token)
        or _SPELLED_INSIDE.match(token)
    ):
        return False
    for part in re.split(r"[\-.]", token):
        letters = [c for c in part if c.isalpha()]
        if not letters:
            continue
        if any(c.isupper() for c in part[1:]) and not part.isupper():
            return True
        if part.isupper() and len(letters) >= 2:
            return True
        if any(c.isdigit() for c in part) and (part[0].isupper() or part[-1].isupper()):
            return True  # "YOLOv8", and a size after a name: "Meta-Llama-3-8B"
    return False


def _type_from_name(name: str) -> str | None:
    lowered = fold(name).rstrip("0123456789")  # "ChatGLM2" ends in "lm" as much as "ChatGLM"
    for suffixes, entity_type in _NAME_SUFFIX_TYPES:
        if any(lowered.endswith(s) or (s == "bench" and "bench" in lowered) for s in suffixes):
            return entity_type
    return None


class EntityFinder:
    """Finds typed entity candidates in raw text, before parsing."""

    def __init__(self, lexicon: Lexicon, rules: Rules) -> None:
        self.lexicon = lexicon
        self.rules = rules

    def _type_from_list(self, text: str, start: int) -> str | None:
        match = _LIST_CONTEXT.search(text[max(0, start - 160) : start])
        if not match:
            return None
        word = match.group(1).lower()
        return "BENCHMARK" if word.startswith(("bench", "suite", "test")) else "DATASET"

    def _type_after_parenthesis(self, text: str, end: int) -> str | None:
        """ "(TIS) network", "(GSCA) module": the noun after a definition names its kind."""
        words = re.findall(r"[A-Za-z][\w\-]*", text[end : end + 25])
        return self.rules.head_type(words[0]) if words else None

    def _type_before(self, text: str, start: int) -> str | None:
        """ "a new benchmark, LongBench", "the dataset called X": a kind word just before a new name."""
        match = _KIND_BEFORE.search(text[max(0, start - 40) : start])
        return self.rules.head_type(match.group(1)) if match else None

    def _type_from_context(self, text: str, end: int) -> str | None:
        after = re.findall(r"[A-Za-z][\w\-]*", text[end : end + 40])[:_CONTEXT_WINDOW]
        for word in after[:2]:
            entity_type = self.rules.head_type(word)
            if entity_type in ("DATASET", "BENCHMARK", "HARDWARE", "MODEL"):
                return entity_type
            if entity_type:
                return None
        return None

    def _type_after_maker(self, token: str) -> str | None:
        """ "OpenAI-o1-mini", "Meta-Llama-3-8B": a maker's name before a known model's is not part of its type."""
        maker, _, rest = token.partition("-")
        return self._type_of_known(rest) if rest and fold(maker) in self.rules.stop_acronyms else None

    def _type_of_known(self, phrase: str) -> str | None:
        entry = self.lexicon.lookup(phrase)
        return entry.type if entry else None

    def _type_of_known_acronym(self, short: str, long_form: str) -> str | None:
        """A known acronym's type, unless the text spells it out as something else ("PPL" is not perplexity
        in "probabilistic programming languages (PPLs)")."""
        entry = self.lexicon.lookup(short)
        if entry is None:
            return None
        long_forms = [f for f in entry.forms() if len(f) > len(short) + 2]
        return entry.type if not long_forms or any(fold(f) == fold(long_form) for f in long_forms) else None

    def _type_of_defined_phrase(self, long_form: str) -> str | None:
        """The head word's type; a Title-Case name defined with an acronym is a named approach, not a task."""
        entity_type = self._type_of_phrase(long_form)
        words = [w for w in re.findall(r"[\w\-]+", long_form) if w.lower() not in STOP_WORDS]
        title_case = len(words) >= 2 and all(w[:1].isupper() for w in words)
        return "METHOD" if entity_type == "TASK" and title_case else entity_type

    def _type_of_phrase(self, phrase: str) -> str | None:
        known = self._type_of_known(phrase)
        if known:
            return known
        words = re.findall(r"[\w\-]+", phrase)
        return self.rules.head_type(words[-1]) if words else None

    def find(self, text: str) -> list[Candidate]:
        """Typed candidates in ``text``, overlaps resolved in favour of longer, surer spans."""
        candidates: list[Candidate] = []
        blocked: set[str] = set()
        for definition in find_definitions(text):
            article = re.search(r"\sthe\s", definition.long_form) is not None
            words = definition.long_form.split()
            if (
                self.rules.is_generic(definition.long_form)
                # "Long Context Language Models (LCLMs)": a kind of generic class, not one thing
                or (
                    len(words) > 2
                    and self.rules.is_generic(" ".join(words[-2:]))
                    and not self.lexicon.lookup(definition.long_form)
                    and not any(_is_name_shaped(w) for w in words)
                )
                or fold(definition.short_form) in self.rules.stop_acronyms
                or (article and not self.lexicon.lookup(definition.long_form))  # "edge of the turbulent region"
            ):
                blocked.add(fold(definition.short_form))
                continue
            entity_type = (
                self._type_of_known(definition.long_form)
                or self._type_of_known_acronym(definition.short_form, definition.long_form)
                or self._type_after_parenthesis(text, definition.short_end + 1)
                or self._type_of_defined_phrase(definition.long_form)
                or _type_from_name(definition.short_form)
                or "METHOD"
            )
            key = "def:" + fold(definition.short_form)
            candidates.append(
                Candidate(definition.long_start, definition.long_end, definition.long_form, entity_type, "acronym", key)
            )
            candidates.append(
                Candidate(
                    definition.short_start, definition.short_end, definition.short_form, entity_type, "acronym", key
                )
            )
        defined = {c.key: c.type for c in candidates}
        for match in self.lexicon.find(text):
            if self.rules.is_generic(match.text):
                continue
            end = match.end
            if match.entry.type == "MODEL":
                tail = _VERSION_TAIL.match(text, end)
                if tail and not (text[end].isspace() and tail.group().strip().isdigit()):
                    end = tail.end()
            elif match.entry.type in ("DATASET", "BENCHMARK") and (year := _YEAR_TAIL.match(text[end:])):
                end += year.end()  # "MS MARCO 2020", "COCO 2017": the edition is part of the name
            surface = text[match.start : end]
            key = "def:" + fold(surface) if "def:" + fold(surface) in defined else "lex:" + fold(match.entry.name)
            if end != match.end:
                key = "name:" + fold(surface)
            # An acronym the abstract spells out means what the abstract says ("PPLs" are not perplexity).
            entity_type = defined.get(key, match.entry.type)
            candidates.append(Candidate(match.start, end, surface, entity_type, "lexicon", key))
        # URLs and bracketed citations ("[Gawrychowski and Uznanski, ICALP 2018]") hold no entity names.
        urls = [(m.start(), m.end()) for m in _URL.finditer(text)] + [
            (m.start(), m.end()) for m in _CITATION.finditer(text)
        ]
        long_words = [w for w in re.findall(r"[A-Za-z][\w\-]*", text) if len(w) > 3]
        title_cased = bool(long_words) and sum(w[0].isupper() for w in long_words) > len(long_words) / 2
        for match in _NAME.finditer(text):
            token, start, end = match.group(), match.start(), match.end()
            if any(a <= start < b for a, b in urls):
                continue
            affix = _AFFIX.search(token)
            if affix:
                token, end = token[: affix.start()], start + affix.start()
            shape = token  # "COCO 2017" is a name by its first word; "February 2022" is not
            year = _YEAR_TAIL.match(text[end:])
            if year:
                token, end = token + year.group(), end + year.end()
            folded = fold(token)
            context_type = (
                self._type_from_context(text, end)
                or self._type_before(text, start)
                or self._type_from_list(text, start)
            )
            article = re.search(r"\b(?:a|an|A|An)\s+$", text[max(0, start - 4) : start])
            opening = re.search(r"(?:^|[.:;)]\s*)$", text[max(0, start - 3) : start]) is not None
            title_case_name = (
                not article
                and not opening  # "(2) Employing parallel corpora": a capital that opens a clause says nothing
                and not title_cased  # "A Rigorous & High-Standard Benchmark": every word has a capital
                and token[:1].isupper()
                and context_type in ("DATASET", "BENCHMARK")
                and token.lower() not in STOP_WORDS
                and self.rules.head_type(token) is None
            )
            if (
                not (_is_name_shaped(shape) or title_case_name)
                or folded in self.rules.stop_acronyms
                or folded in blocked
                or self.rules.is_generic(token)
                or self.rules.is_generic(_PREFIX.sub("", token))  # "pre-LLMs", "non-LLM": still a class
            ):
                continue
            key = "def:" + folded
            entity_type = (
                defined.get(key)
                or (self._type_of_known(shape) if shape != token else None)
                or self._type_after_maker(token)
                or context_type
                or _type_from_name(shape)
                or ("MODEL" if _SIZE_SUFFIX.search(token) else None)
                or _kind_named(text, start)
                or _kind_near(text, start, end)
                or "METHOD"
            )
            if key not in defined:
                key = "name:" + folded
            candidates.append(Candidate(start, end, token, entity_type, "name", key))
        listed = _listed_after_kind(text)
        # A new name in a list its kind word opens ("datasets (MNIST, FMNIST, SVHN)") is of that kind.
        kinds = {(c.start, c.end): c.type for c in listed}
        candidates = [
            replace(c, type=kinds[(c.start, c.end)]) if c.source == "name" and (c.start, c.end) in kinds else c
            for c in candidates
        ]
        kept = _without_overlaps(candidates + listed)
        return sorted(kept + _listed_versions(text, kept), key=lambda c: c.start)

    def named_by_title(
        self, name: str, title: str, abstract: str, text: str, candidates: list[Candidate]
    ) -> list[Candidate]:
        """``candidates`` with every occurrence of the title's name in ``text`` added as one entity.

        Its type: the lexicon's, else what the rest of the title calls it ("Mamo: a
        Mathematical Modeling Benchmark"), else what the abstract calls it ("our model,
        Social-Implicit"), else its head word's, else METHOD.
        """
        if self.rules.is_generic(name) or all(w.lower() in STOP_WORDS for w in name.split()):
            return candidates
        entry = self.lexicon.lookup(name)
        described = title[title.find(name) + len(name) :]
        called = (_kind_named(abstract, m.start()) for m in _name_pattern(name).finditer(abstract))
        entity_type = (
            entry.type
            if entry
            else self._described_as(described)
            or next((kind for kind in called if kind), None)
            or self._type_of_defined_phrase(name)
            or "METHOD"
        )
        if entity_type not in ("MODEL", "METHOD", "DATASET", "BENCHMARK"):
            entity_type = "METHOD"
        # An occurrence that is also an acronym's long form keeps the acronym's key, so the two stay one entity.
        defined = {(c.start, c.end): c.key for c in candidates if c.key.startswith("def:")}
        found = [
            Candidate(
                m.start(),
                m.end(),
                text[m.start() : m.end()],
                entity_type,
                "name",
                defined.get((m.start(), m.end()), "title:" + fold(name)),
            )
            for m in _name_pattern(name).finditer(text)
        ]
        kept = [c for c in candidates if all(c.end <= f.start or f.end <= c.start for f in found)]
        return sorted(kept + found, key=lambda c: c.start)

    def aims_of_title(self, doc: Doc, candidates: list[Candidate]) -> list[Candidate]:
        """ "... for Efficient Large Language Model Decoding", "... in Automatic Machine Learning": in a title,
        a technique-like term after "for", "in" or "towards" is the problem the paper addresses, a task."""
        return [self._as_aim(doc, c) for c in candidates]

    def _as_aim(self, doc: Doc, candidate: Candidate) -> Candidate:
        last = candidate.text.split()[-1].lower()
        activity = self.rules.head_type(last) == "TASK" or last.endswith("ing")
        if candidate.type != "METHOD" or candidate.source not in ("lexicon", "phrase") or not activity:
            return candidate
        span = doc.char_span(candidate.start, candidate.end, alignment_mode="expand")
        if span is None or (span.end < len(doc) and doc[span.end].pos_ in ("NOUN", "PROPN")):
            return candidate  # "for Sparse Mixture-of-Experts Models": a modifier, not the aim
        index = span.start - 1
        while index >= 0 and (doc[index].pos_ in ("ADJ", "CCONJ") or doc[index].lower_ in self.rules.generic_modifiers):
            index -= 1
        if index < 0 or doc[index].lower_ not in _AIMS:
            return candidate
        return replace(candidate, type="TASK")

    def _described_as(self, description: str) -> str | None:
        """The kind a title's description gives its name: its head word, the last before the first
        preposition ("Mamo: a Mathematical Modeling Benchmark for ..."). "EvoPress: Towards Optimal
        Model Compression" and "X: Extreme Compression of Large Language Models" give no kind."""
        segment = re.split(r"(?:^|\s+)(?:for|with|via|using|in|on|through|towards|toward|of|to)\s+", description)[0]
        words = re.findall(r"[A-Za-z][\w\-]*", segment)
        if not words:
            return None
        kind = self.rules.head_type(words[-1])
        if kind in ("BENCHMARK", "DATASET"):
            return kind
        return "MODEL" if words[-1].lower() in _MODEL_KINDS else None

    def phrases(self, doc: Doc, candidates: list[Candidate]) -> list[Candidate]:
        """Noun phrases typed by their head word, and known terms widened to their phrase.

        "data-free quantization" is its own method, more specific than "quantization":
        a lexicon match at the end of a noun phrase grows to take the phrase's
        specific modifiers. Phrases headed by a kind ("techniques", "module") or a
        plural method noun are too generic to be entities on their own.
        """
        result = list(candidates) + self._coordinated_names(doc, candidates)
        for chunk in doc.noun_chunks:
            span = self._trim(chunk)
            if span is None:
                continue
            inside = [c for c in result if c.start < span.end_char and span.start_char < c.end]
            head = span[-1]
            if inside:
                widened = self._widen(span, inside)
                if widened is not None:
                    known = inside[0]
                    result[result.index(known)] = widened
                    added = span.doc.char_span(widened.start, known.start, alignment_mode="contract")
                    if added is not None and self.rules.is_generic(added.text.strip(" -")):
                        # "LLM fine-tuning", "model pre-training": a class word says whose fine-tuning, and
                        # the term alone still names it, so it stays as an alias.
                        result.append(replace(known, key=widened.key))
                continue
            named = self._named_technique(span)
            if named is not None:
                result.append(named)
                continue
            entity_type = self.rules.head_type(head.lower_) or self.rules.head_type(head.lemma_.lower())
            if (
                entity_type is None
                or entity_type in ("MODEL", "DATASET", "BENCHMARK")
                or head.lower_ in self.rules.container_heads
                or len(span) == 1  # a bare activity word ("decoding", "scaling") names no specific technique
                or (entity_type == "METHOD" and head.tag_ == "NNS")
                or self.rules.is_generic(span.text)
            ):
                continue
            if entity_type == "TASK" and span.start > 0 and doc[span.start - 1].lower_ in _MEANS:
                entity_type = "METHOD"  # "compression via evolutionary search": a means is a method
            result.append(
                Candidate(span.start_char, span.end_char, span.text, entity_type, "phrase", "phr:" + fold(span.text))
            )
        return sorted(result, key=lambda c: c.start)

    def _named_technique(self, span: Span) -> Candidate | None:
        """ "a memory decay mechanism", "the functional equivalence caching technique": a kind word after
        two or more specific words names one technique. A mechanism or algorithm keeps its kind word;
        "technique", "strategy", "approach" and the like are only what the name is called."""
        head = span[-1]
        if head.lower_ not in _NAMED_KINDS | _CALLED_KINDS or len(span) < 3:
            return None
        words = span[:-1]
        if any(t.pos_ not in ("NOUN", "PROPN", "ADJ", "VERB", "PUNCT") for t in words):
            return None
        if any(t.lower_ in self.rules.generic_modifiers for t in words) or words[-1].pos_ == "ADJ":
            return None
        named = span if head.lower_ in _NAMED_KINDS else words
        # "an LLM compression approach" is an approach to a task (compressing LLMs): what is acted on names
        # the task. "an evolutionary search method" says how: a technique.
        task = named is words and self.rules.head_type(words[-1].lower_) == "TASK" and words[-2].pos_ != "ADJ"
        entity_type = "TASK" if task else "METHOD"
        text = named.text
        return Candidate(named.start_char, named.end_char, text, entity_type, "phrase", "phr:" + fold(text))

    def _coordinated_names(self, doc: Doc, candidates: list[Candidate]) -> list[Candidate]:
        """ "DeepSpeed-MoE and Tutel": a capitalised word listed with a known name is a name of its type;
        "language modeling and parsing": a bare task word listed with a known task is a task."""
        known = {}
        for candidate in candidates:
            span = doc.char_span(candidate.start, candidate.end, alignment_mode="expand")
            if span is not None and candidate.type in _LISTED_TYPES | {"TASK"}:
                known[span.root.i] = candidate
        found = []
        for token in doc:
            if not (token.dep_ == "conj" or any(child.dep_ == "conj" for child in token.children)):
                continue
            task_word = token.is_lower and self.rules.head_type(token.lower_) == "TASK"
            if token.i in known or not (_listable(token) or task_word) or token.i == token.sent.start:
                continue
            if _title_cased(token.sent):
                continue
            if token.dep_ == "compound" or any(c.dep_ in ("compound", "amod") for c in token.children):
                continue  # part of a longer name ("Sequential Monte Carlo"), not a name alone
            if token.i > 0 and doc[token.i - 1].text[:1].isupper():
                continue
            if any(c.start < token.idx + len(token) and token.idx < c.end for c in candidates + found):
                continue
            partners = [token.head] if token.dep_ == "conj" else []
            partners += [child for child in token.children if child.dep_ == "conj"]
            typed = [known[p.i] for p in partners if p.i in known and (known[p.i].type == "TASK") == task_word]
            if typed:
                end = token.idx + len(token)
                found.append(Candidate(token.idx, end, token.text, typed[0].type, "name", "name:" + fold(token.text)))
        return found

    def _widen(self, span: Span, inside: list[Candidate]) -> Candidate | None:
        if len(inside) != 1:
            return None
        known = inside[0]
        # "the proposed adversarial fine-tuning approach": a kind word after the term is not part of its name.
        if (
            (span[-1].lower_ in self.rules.container_heads or span[-1].lower_ in _TASK_KINDS)
            and len(span) > 1
            and known.end == span[-2].idx + len(span[-2])
        ):
            span = span[:-1]
        added = [t for t in span if t.idx + len(t) <= known.start]
        if (
            known.end != span.end_char
            or known.start <= span.start_char
            or known.type not in ("METHOD", "TASK", "METRIC")
            or known.source not in ("lexicon", "phrase")
            or all(t.lower_ in self.rules.generic_modifiers for t in added)
            or any(t.pos_ in ("ADP", "DET", "AUX") or t.tag_ in ("VBP", "VBZ", "VBD") for t in added)
            or any(c.isdigit() for t in added for c in t.text)
        ):
            # "configured MoE", "trained CNNs": what was done to it, not which one it is; "expert in exist
            # MoE", "100B Model Fine-tuning": a clause or a size, not a name
            return None
        text = span.text
        return Candidate(span.start_char, span.end_char, text, known.type, known.source, "ext:" + fold(text))

    @staticmethod
    def _hyphenated(doc: Doc, index: int, end: int) -> bool:
        """ "Arbitrary-shaped", "real-world": a word joined by a hyphen is part of one compound."""
        token = doc[index]
        return (not token.like_num and not token.whitespace_ and index + 1 < end and doc[index + 1].text == "-") or (
            token.text == "-" and index > 0 and not doc[index - 1].whitespace_ and not doc[index - 1].like_num
        )

    def _starts_term(self, doc: Doc, start: int, end: int) -> bool:
        """ "large language model decoding", "deep convolutional neural networks": the modifier begins a
        term of its own (known or generic), so it is part of the phrase, not a judgement of it."""
        for stop in range(start + 2, min(end, start + 4) + 1):
            text = doc[start:stop].text
            if self.rules.is_generic(text) or self.lexicon.lookup(text):
                return True
        return False

    def _trim(self, chunk: Span) -> Span | None:
        """The chunk without determiners, numbers and generic modifiers in front."""
        doc, start = chunk.doc, chunk.start
        # "modules that impact model quality", "handles right-censored time": a verb mis-tagged as a noun,
        # after a relative pronoun, or as a plural noun before an adjective (which no noun phrase has).
        after_relative = start > 0 and doc[start - 1].tag_ in ("WDT", "WP") and len(chunk) > 1
        # "Learning Type Inference for ...": a title's leading gerund is its verb, not part of a name.
        title_verb = (
            start == chunk.sent.start
            and chunk.end - start >= 3
            and doc[start].text.endswith("ing")
            and not self._hyphenated(doc, start, chunk.end)
            and _title_cased(chunk.sent)
        )
        plural_before_adjective = (
            len(chunk) > 2 and doc[start].tag_ == "NNS" and doc[start + 1].tag_ in ("JJ", "VBN", "RB")
        )
        if after_relative or plural_before_adjective or title_verb:
            start += 1
        # "a brief and effective codebook initialization algorithm": coordinated adjectives describe, the
        # name begins after them.
        joined = [
            t.i for t in doc[start : chunk.end] if t.pos_ == "CCONJ" and t.i > start and doc[t.i - 1].pos_ == "ADJ"
        ]
        if joined:
            start = joined[-1] + 1
        # "128K long-context inference": a unit letter glued to a number goes with the number.
        unit = doc[start + 1] if start + 1 < chunk.end else None
        if doc[start].like_num and not doc[start].whitespace_ and unit is not None and unit.text in _UNITS:
            start += 2
        while (
            start < chunk.end
            and not self._hyphenated(doc, start, chunk.end)
            and (
                doc[start].pos_ in ("DET", "PRON", "NUM", "PUNCT", "ADV", "CCONJ")
                or (doc[start].lower_ in self.rules.generic_modifiers and not self._starts_term(doc, start, chunk.end))
                or doc[start].lower_ in STOP_WORDS
                or not doc[start].text[:1].isalnum()
                or (any(c.isdigit() for c in doc[start].text) and not any(c.isalpha() for c in doc[start].text))
            )
        ):
            # "4-bit quantization": a number joined by a hyphen takes its word with it.
            joined = doc[start].like_num and start + 2 < chunk.end and doc[start + 1].text == "-"
            start += 3 if joined else 1
        possessive = [t.i for t in doc[start : chunk.end] if t.tag_ == "POS"]
        if possessive:
            start = possessive[-1] + 1  # "today's PPLs", "the model's weights": the possessed thing
        span = chunk.doc[start : chunk.end]
        if not span or len(span) > 6 or any(t.like_num or t.is_punct and t.text not in "-/" for t in span):
            return None
        if any(t.pos_ == "CCONJ" for t in span):
            return None  # "model quality and training efficiency" is two things, not one name
        return span


_PREFIX = re.compile(r"^(?:pre|post|non|anti|multi|cross|sub|super)-", re.I)
_UNITS = {"K", "M", "B", "G", "T", "k", "x"}
_AIMS = {"for", "in", "towards", "toward"}
_MEANS = {"via", "using", "through", "by"}
_NAMED_KINDS = {"mechanism", "algorithm"}
_TASK_KINDS = {"task", "tasks", "problem", "problems"}
_CALLED_KINDS = {"technique", "strategy", "approach", "method", "scheme", "procedure"}
_CITATION = re.compile(r"\[[^\[\]]{3,200}\]")
_URL = re.compile(r"(?:https?://|www\.|github\.com/|huggingface\.co/)\S+", re.I)
_SIZE_SUFFIX = re.compile(r"-\d+(?:\.\d+)?[BM]$")
# Kind words that make a new name a model. "LLM" is left out: it is as often a modifier
# ("an LLM compression approach") as the head.
_MODEL_KINDS = {"model", "models", "network", "networks", "detector", "classifier", "checkpoint", "checkpoints"}
_METHOD_KINDS = {
    "method",
    "methods",
    "framework",
    "approach",
    "algorithm",
    "technique",
    "strategy",
    "scheme",
    "system",
    "library",
    "engine",
    "pipeline",
    "toolkit",
    "metric",
    "benchmark",
    "dataset",
}


_NAMED_AFTER = re.compile(
    rf"([A-Za-z][\w\-]*)\s*,?\s*\(?\s*(?:(?:{load_rules().naming_alternation})\s+|(?<=,)\s*|(?<=\()\s*)$"
)


def _kind_named(text: str, start: int) -> str | None:
    """ "xMR LLMs, named MathOctopus", "a 3B student LM (termed MiniMA)", "a framework called EvoPress",
    "our model, Social-Implicit": the noun that a naming verb or an apposition follows is the name's kind."""
    match = _NAMED_AFTER.search(text[max(0, start - 80) : start])
    if match is None:
        return None
    kind = match.group(1).lower()
    if kind in _MODEL_KINDS or kind in ("llm", "llms", "lm", "lms"):
        return "MODEL"
    return "METHOD" if kind in _METHOD_KINDS else None


def _kind_near(text: str, start: int, end: int) -> str | None:
    """ "RepCONC, a novel retrieval model": the nearest kind word within a few words says MODEL."""
    before = re.findall(r"[A-Za-z]+", text[max(0, start - 60) : start])[-6:]
    after = re.findall(r"[A-Za-z]+", text[end : end + 60])[:6]
    distance = {}
    for offset, word in enumerate(reversed(before)):
        distance.setdefault(word.lower(), offset)
    for offset, word in enumerate(after):
        distance[word.lower()] = min(distance.get(word.lower(), 99), offset)
    kinds = sorted((d, w) for w, d in distance.items() if w in _MODEL_KINDS | _METHOD_KINDS)
    return "MODEL" if kinds and kinds[0][1] in _MODEL_KINDS else None


_TITLE_COLON = re.compile(r"^\s*([^:]{2,60}?)\s*:\s+\S")
_TITLE_LEAD = re.compile(r"^\s*((?:[A-Z][\w\-]*\s+){1,5}?[A-Z][\w\-]*)\s+(?:in|for|on|of|towards|through)\s")
_TITLE_TAIL = re.compile(r"\s(?:with|via|using)\s+((?:[A-Z][\w\-]*\s+){0,4}[A-Z][\w\-]*)\s*$")


def title_name(title: str, abstract: str) -> str | None:
    """The name a title gives the paper's contribution, if it gives one.

    "NAME: ..." when NAME is one word or name-shaped ("Long-CLIP"); "Title Case
    Name in/for ..." and "... with/via Title Case Name" when the abstract uses the
    name too, so titles that merely start with capitalised words do not count.
    """
    in_abstract = abstract.lower()
    colon = _TITLE_COLON.match(title)
    if colon:
        words = colon.group(1).split()
        shaped = len(words) == 1 or any(_is_name_shaped(w) for w in words)
        if len(words) <= 4 and (shaped or colon.group(1).lower() in in_abstract):
            return colon.group(1).strip()
        return None
    lead = _TITLE_LEAD.search(title)
    if lead and _names_a_technique(lead.group(1), in_abstract):
        return lead.group(1).strip()
    tail = _TITLE_TAIL.search(title)
    if tail and len(tail.group(1).split()) >= 2 and _used_in(tail.group(1), in_abstract):
        return tail.group(1).strip()
    return None


def _names_a_technique(phrase: str, abstract: str) -> bool:
    """ "Class-dependent Compression of Deep Neural Networks": a title-case phrase leading a title names the
    contribution when the abstract uses it or proposes something; not "A Survey", "Efficient Estimation",
    or an activity ("Learning Discrete Representations")."""
    words = phrase.split()
    first = words[0].lower()
    specific = [w for w in words if w.lower() not in load_rules().generic_modifiers]
    if len(specific) < 2 or first in STOP_WORDS or first.endswith("ing"):
        return False
    return _used_in(phrase, abstract) or re.search(r"\bwe (?:propose|present|introduce|develop)", abstract) is not None


def _name_pattern(name: str) -> re.Pattern:
    """Where a text uses ``name``, allowing another ending on a multi-word name's last word
    ("Unified Functional Hashing" in "a unified functional hash")."""
    words = name.split()
    if len(words) < 2 or len(words[-1]) < 6 or not words[-1].isalpha():
        return re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", re.I)
    stem = name[: len(name) - len(words[-1]) + max(4, len(words[-1]) - 3)]
    return re.compile(r"(?<![\w-])" + re.escape(stem) + r"[a-z]{0,4}(?![\w-])", re.I)


def _used_in(name: str, text: str) -> bool:
    return _name_pattern(name).search(text) is not None


_LISTED_VERSION = re.compile(r"/([A-Za-z]{0,2}\d+(?:\.\d+)?[A-Za-z]{0,2})(?![\w/])?")
_LAST_VERSION = re.compile(r"(?<=[\-\s])[A-Za-z]{0,2}\d+(?:\.\d+)?[A-Za-z]{0,2}$")


def _listed_versions(text: str, candidates: list[Candidate]) -> list[Candidate]:
    """ "LLaMA-V1/V2", "InternVL-2.0-4B/8B/26B": one model per version listed after a slash."""
    found = []
    for candidate in candidates:
        last = _LAST_VERSION.search(candidate.text)
        if candidate.type != "MODEL" or last is None:
            continue
        stem, position = candidate.text[: last.start()], candidate.end
        while match := _LISTED_VERSION.match(text, position):
            name = stem + match.group(1)
            found.append(Candidate(match.start(1), match.end(1), name, "MODEL", "name", "name:" + fold(name)))
            position = match.end()
    return found


_KIND_LIST = re.compile(
    r"\b(tasks|domains|applications|datasets|benchmarks)\s*(?:\(|:|--|,?\s+(?:such as|including|namely)\s)\s*"
    r"(?:(?:e\.g\.|i\.e\.),?\s*)?([^().;:]{3,200})",
    re.I,
)
_LIST_KINDS = {"tasks": "TASK", "domains": "TASK", "applications": "TASK", "datasets": "DATASET"}
_ADJECTIVE_OR_FIELD_ENDINGS = ("ic", "al", "ive", "ous", "ful", "able", "ible", "ary", "ics", "istry", "logy")
_CLAUSE_WORDS = {"to", "among", "that", "which", "a", "an", "by", "from", "into", "than", "such", "including"}
_ITEM_SPLIT = re.compile(r"\s*(?:,\s*(?:and|or)\s+|,\s*|\s+and\s+|\s+or\s+)")


def _listed_after_kind(text: str) -> list[Candidate]:
    """ "three individual tasks (requery, rerank, and summarization)", "four domains: machine translation,
    language modeling and speech recognition": the items of a list its kind word opens are of that kind."""
    found = []
    for match in _KIND_LIST.finditer(text):
        kind = match.group(1).lower()
        entity_type = _LIST_KINDS.get(kind, "BENCHMARK")
        position = match.start(2)
        for raw in _ITEM_SPLIT.split(match.group(2)):
            item = raw.strip()
            start = text.find(item, position)
            position = start + len(item)
            if _list_item(item, single_words=kind in ("tasks", "datasets", "benchmarks")):
                found.append(Candidate(start, start + len(item), item, entity_type, "phrase", "phr:" + fold(item)))
    return found


def _list_item(item: str, single_words: bool) -> bool:
    """A short name, not a clause ("executing procedures to create plans"), a description ("popular
    datasets"), markup, or an adjective shared by the list ("semantic, instance and panoptic segmentation").
    A one-word field ("healthcare", "physics") is a domain, not a task, in any list."""
    words = item.split()
    lowered = [w.lower() for w in words]
    if not 1 <= len(words) <= 5 or len(item) < 3 or not item[:1].isalpha() or any(c in item for c in "{}\\"):
        return False
    rules = load_rules()
    if lowered[0] in STOP_WORDS or set(lowered) & _CLAUSE_WORDS or set(lowered) & rules.generic_modifiers:
        return False
    if rules.is_generic(item) or (len(words) > 1 and lowered[-1].endswith("ed")):
        return False  # "machine learning", "remain underexplored"
    if len(words) > 2 and lowered[0].endswith("ing"):
        return False  # "necessitating specialized models": a clause
    if len(words) == 1:
        return single_words and not lowered[0].endswith(_ADJECTIVE_OR_FIELD_ENDINGS)
    return " - " not in item


def _without_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    kept: list[Candidate] = []
    for candidate in sorted(candidates, key=lambda c: c.rank, reverse=True):
        if all(candidate.end <= k.start or k.end <= candidate.start for k in kept):
            kept.append(candidate)
    return sorted(kept, key=lambda c: c.start)
