"""Relations from sentence structure: cue words, dependency roles and who "we" are.

Each relation type has its cue lemmas (``rules.yaml``). A sentence gives a
relation when it holds a tail of the right type and a cue for it; the head is
the entity that is the sentence's subject, else the paper's own contribution when
the sentence speaks of it ("we", "our method"), else the nearest model or method
before the tail. The confidence says which of these decided.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from kg.extract.rules import Rules
from kg.model import Statement
from kg.schema import Schema, load_schema
from kg.text import fold

ACTORS = load_schema().actors
_SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
_COMPARATIVE_LINKS = {"than", "to", "over", "upon", "against"}
_COMPRESSION_STEMS = ("prun", "quantiz", "quantis", "distil", "compress", "sparse", "sparsi", "lowrank", "binar")
_TITLE_AIMS = {"for", "towards", "toward", "to", "in", "on", "of"}
_TITLE_MEANS = {"via", "using", "with", "through", "by", "from", "and"}
_COMPARATIVES = {"better", "superior", "superiority", "higher", "improve", "worse", "inferior"}
_LIKENED = {"similar", "like", "unlike", "compared", "than", "versus", "vs"}
_DONE_WITHOUT = {"without", "unlike", "instead", "rather", "except", "beyond"}
_CLAUSE_BREAKS = {";", "while", "whereas", "but", "although"}
CONFIDENCE = {"subject": 0.85, "self": 0.7, "nearest": 0.55}


@dataclass
class Located:
    """An entity mention placed in a parsed text."""

    name: str
    type: str
    span: Span

    @property
    def root(self) -> Token:
        return self.span.root


def _coordinated(first: Token, second: Token) -> bool:
    """Whether two tokens are conjuncts of one list ("A, B and C")."""

    def first_conjunct(token: Token) -> Token:
        while token.dep_ == "conj" and token.head is not token:
            token = token.head
        return token

    return first is not second and first_conjunct(first) is first_conjunct(second)


def _run_with(token: Token) -> bool:
    """A name that is the object of "with"/"using" (or listed with one): "with BERT and RoBERTa"."""
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    return token.dep_ == "pobj" and token.head.lower_ in ("with", "using")


def _describes_others(cue: Token) -> bool:
    """ "real-world MoE models based on GPT-2": a cue inside a description of plural others is about them."""
    return cue.dep_ in ("acl", "amod") and cue.head.tag_ in ("NNS", "NNPS")


def is_compression(name: str) -> bool:
    """Whether a name or title speaks of compression (pruning, quantization, distillation, sparsity, ...)."""
    lowered = name.lower().replace("-", "").replace(" ", "")
    return any(stem in lowered for stem in _COMPRESSION_STEMS) or "n:m" in lowered


class RelationFinder:
    """Finds the statements of one parsed section, given its located mentions."""

    def __init__(self, rules: Rules, schema: Schema) -> None:
        self.rules = rules
        self.schema = schema
        self.cues = rules.relation_cues

    def find(
        self,
        doc: Doc,
        section: str,
        mentions: list[Located],
        own: Located | None,
        compression_paper: bool,
        topic: Located | None = None,
    ) -> list[Statement]:
        """The statements of one section. ``own`` is the paper's named contribution; ``topic``, the
        technique its title is about, stands in for it as what addresses the paper's tasks."""
        found: dict[tuple[str, str, str], Statement] = {}
        for sent in doc.sents:
            inside = [m for m in mentions if sent.start <= m.span.start and m.span.end <= sent.end]
            if not inside and section != "title":
                continue
            stated = self._with_coordinated_heads(
                list(self._sentence(sent, section, inside, own, compression_paper, topic)), inside
            )
            # A pair the sentence compares or compresses is not also a "uses" pair.
            stronger = {(h.name, t.name) for h, r, t, _ in stated if r in ("OUTPERFORMS", "COMPRESSES")}
            for head, relation, tail, how in stated:
                if head.name == tail.name or not self.schema.allows(relation, head.type, tail.type):
                    continue
                if relation == "USES" and ((head.name, tail.name) in stronger or (tail.name, head.name) in stronger):
                    continue
                if relation == "USES" and fold(tail.name).endswith(fold(head.name)):
                    continue  # "Extreme Low-bit VPTQ" is a variant of VPTQ, not a part of it
                key = (head.name, relation, tail.name)
                confidence = CONFIDENCE[how]
                if key not in found or found[key].confidence < confidence:
                    found[key] = Statement(
                        head.name,
                        relation,
                        tail.name,
                        sent.text.strip(),
                        section,
                        sent.start_char,
                        sent.end_char,
                        confidence,
                    )
        return list(found.values())

    @staticmethod
    def _with_coordinated_heads(stated: list, inside: list[Located]) -> list:
        """ "WizardLM, WizardMath, and Code Alpaca based on Llama 2": what holds for the subject
        holds for every name coordinated with it."""
        extra = []
        for head, relation, tail, how in stated:
            if how != "subject":
                continue
            for other in inside:
                if other.name in (head.name, tail.name) or other.type not in ACTORS:
                    continue
                if _coordinated(head.root, other.root):
                    extra.append((other, relation, tail, how))
        return stated + extra

    def _speaks_of_self(self, sent: Span, inside: list[Located], own: Located | None) -> bool:
        if own is None:
            return False
        lowered = f" {sent.text.lower()} "
        words = {t.lower_ for t in sent}
        return (
            bool(words & self.rules.self_reference)
            or any(m.name == own.name for m in inside)
            or any(f" {phrase} " in lowered for phrase in self.rules.self_reference if " " in phrase)
        )

    def _head_for(
        self, sent: Span, tail: Located, inside: list[Located], own: Located | None, section: str, nearest: bool = True
    ) -> tuple[Located, str] | None:
        actors = [m for m in inside if m.type in ACTORS and m.name != tail.name]
        subjects = [m for m in actors if m.root.dep_ in _SUBJECT_DEPS or m.root.head.dep_ in _SUBJECT_DEPS]
        before = [m for m in subjects if m.span.start < tail.span.start]
        if before:
            return before[-1], "subject"
        if (
            own is not None
            and own.name != tail.name
            and (section == "title" or self._speaks_of_self(sent, inside, own))
        ):
            return own, "self"
        before_tail = [m for m in actors if m.span.end <= tail.span.start]
        if nearest and before_tail:
            return before_tail[-1], "nearest"
        return None

    def _negated(self, token: Token) -> bool:
        window = token.doc[max(token.sent.start, token.i - 3) : token.i]
        return any(c.dep_ == "neg" for c in token.children) or any(t.lower_ in self.rules.negations for t in window)

    def _sentence(
        self,
        sent: Span,
        section: str,
        inside: list[Located],
        own: Located | None,
        compression_paper: bool,
        topic: Located | None,
    ):
        lemmas = [t.lemma_.lower() for t in sent]
        lemma_set = set(lemmas)
        yield from self._outperforms(sent, inside, own, section)
        yield from self._compresses(sent, inside, own, section, lemma_set, compression_paper)
        yield from self._uses(sent, inside, own, section)
        yield from self._kind_of(inside)
        yield from self._proposal_described(sent, inside, own)
        if section == "title" and own is not None:
            # "TransDAE: Dual Attention Mechanism in a Hierarchical Transformer": a named paper's title
            # lists the techniques its contribution is made of.
            for tail in inside:
                if tail.type == "METHOD" and tail.name != own.name and not self._title_goal(tail):
                    yield own, "USES", tail, "self"
        for tail in inside:
            possible = self.schema.tail_relations.get(tail.type, [])
            if "TRAINED_ON" in possible and self._trained_cue(tail):
                found = self._head_for(sent, tail, inside, own, section)
                if found:
                    yield found[0], "TRAINED_ON", tail, found[1]
                continue
            # What a sentence naming a benchmark, a device or a task says of an actor, unless it trains on it.
            relation = next((r for r in possible if r != "TRAINED_ON"), None)
            if relation is None:
                continue
            # A title names the problem its paper addresses, whatever the wording.
            if not (lemma_set & self.cues[relation] or (relation == "ADDRESSES" and section == "title")):
                continue
            actor = own if own is not None or relation != "ADDRESSES" else topic
            # The nearest name before a benchmark is what ran on it; before a task or a device, too rarely so.
            found = self._head_for(sent, tail, inside, actor, section, nearest=relation == "EVALUATED_ON")
            if found:
                yield found[0], relation, tail, found[1]
            if relation == "EVALUATED_ON":
                # "experiments on GLUE with BERT and RoBERTa": the models an experiment is run with.
                for model in inside:
                    if model.type == "MODEL" and _run_with(model.root):
                        yield model, relation, tail, "nearest"

    @staticmethod
    def _title_goal(tail: Located) -> bool:
        """In a title, what comes after "for", "towards" or "in" is the aim, not a part:
        "EvoPress: Towards Optimal Dynamic Model Compression via Evolutionary Search"."""
        doc = tail.span.doc
        for token in reversed(doc[: tail.span.start]):
            if token.lower_ in _TITLE_AIMS:
                return True
            if token.lower_ in _TITLE_MEANS or token.text == ":":
                return False
        return False

    def _trained_cue(self, tail: Located) -> bool:
        """A training verb governs the dataset ("fine-tune ... with the Alpaca dataset", "trained on X")."""
        doc = tail.span.doc
        window = doc[max(tail.span.sent.start, tail.span.start - 6) : tail.span.start]
        if any(self._is_training(t) for t in window):
            return True
        token = tail.root
        for _ in range(5):
            if token.head.i == token.i:
                return False
            token = token.head
            if token.pos_ == "VERB":
                # "fine-tune and compress LLaMA with the Alpaca dataset": a coordinated verb counts too.
                verbs = [token, *(c for c in token.children if c.dep_ == "conj")]
                if token.dep_ == "conj":
                    verbs.append(token.head)
                return any(self._is_training(v) for v in verbs)
        return False

    def _is_training(self, token: Token) -> bool:
        return token.lemma_.lower() in self.cues["TRAINED_ON"] or token.lower_.startswith(
            ("pre-train", "pretrain", "fine-tun", "finetun")
        )

    def _outperforms(self, sent: Span, inside: list[Located], own: Located | None, section: str):
        for token in sent:
            # "better" is sometimes lemmatised to "well"; the word itself is the cue then.
            lemma = token.lower_ if token.lower_ in _COMPARATIVES else token.lemma_.lower()
            better = lemma in self.cues["OUTPERFORMS"]
            worse = lemma in self.cues["WORSE"]
            if not (better or worse) or self._negated(token):
                continue
            following = {t.lower_ for t in token.doc[token.i + 1 : min(sent.end, token.i + 4)]}
            if lemma in _COMPARATIVES and not following & _COMPARATIVE_LINKS:
                continue
            passive = token.tag_ == "VBN" and "by" in following
            tails = []
            for m in inside:
                if m.type not in ACTORS or m.span.start <= token.i:
                    continue
                between = {t.lower_ for t in token.doc[token.i : m.span.start]}
                if between & _CLAUSE_BREAKS:
                    break
                if self._compared_by(m, token):
                    tails.append(m)
            if not tails:
                continue
            before = [m for m in inside if m.span.start < token.i]
            if self._unnamed_subject(token, before):
                continue  # "a 7B LLM beats o1": what beats o1 is not a name the sentence gives
            head = self._head_for(sent, tails[0], before, own, section, nearest=False)
            if head is None:
                continue
            for tail in tails:
                if passive or worse:
                    yield tail, "OUTPERFORMS", head[0], head[1]
                else:
                    yield head[0], "OUTPERFORMS", tail, head[1]

    def _unnamed_subject(self, cue: Token, named: list[Located]) -> bool:
        """The comparison verb has a subject of its own, and it is neither a name nor "we"/"our ..."."""
        if cue.pos_ != "VERB":
            return False
        subject = next((t for t in cue.children if t.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None:
            return False
        words = {t.lower_ for t in subject.subtree}
        covered = any(m.span.start <= t.i < m.span.end for m in named for t in subject.subtree)
        relative = subject.tag_ in ("WDT", "WP")  # "MathOctopus-13B reaches 47.6%, which exceeds ChatGPT"
        return not covered and not relative and not words & self.rules.self_reference

    @staticmethod
    def _kind_of(inside: list[Located]):
        """ "EasyQuant, a data-free weight-only quantization algorithm": a name described as a kind of a
        technique uses that technique (the appositive's methods)."""
        for head in inside:
            if head.type not in ACTORS:
                continue
            for tail in inside:
                if tail.type != "METHOD" or tail.name == head.name:
                    continue
                if RelationFinder._described_as_kind(head, tail):
                    yield head, "USES", tail, "subject"
                    continue
                if tail.span.start > 0 and tail.span.doc[tail.span.start - 1].text == "(":
                    continue  # "structural pruning (block/layer dropping)": an example, not a part
                token = tail.root
                for _ in range(4):
                    if token.dep_ == "appos" and token.head.i in range(head.span.start, head.span.end):
                        yield head, "USES", tail, "subject"
                        break
                    if token.head.i == token.i:
                        break
                    token = token.head

    def _proposal_described(self, sent: Span, inside: list[Located], own: Located | None):
        """ "Long-CLIP introduces an efficient fine-tuning solution on CLIP", "we introduce TransDAE: a novel
        approach that reimagines the self-attention mechanism": the techniques in the description of what is
        proposed are what it uses."""
        for verb in sent:
            if verb.lemma_.lower() not in self.rules.proposal_cues or verb.pos_ != "VERB":
                continue
            subject = next((t for t in verb.children if t.dep_ in _SUBJECT_DEPS), None)
            if subject is None:
                continue
            named = [m for m in inside if m.type in ACTORS and m.span.start <= subject.i < m.span.end]
            if named:
                head = named[0]
            elif subject.lower_ == "we" and own is not None:
                head = own
            else:
                continue
            for description in verb.children:
                if description.dep_ != "dobj" or description.lower_ not in self.rules.container_heads:
                    continue
                within = {t.i for t in description.subtree}
                for tail in inside:
                    if tail.type in ACTORS and tail.name != head.name and tail.root.i in within:
                        window = {t.lower_ for t in sent.doc[max(sent.start, tail.span.start - 3) : tail.span.start]}
                        if not window & _DONE_WITHOUT:  # "... without the expensive backpropagation"
                            yield head, "USES", tail, "subject" if named else "self"

    @staticmethod
    def _described_as_kind(head: Located, tail: Located) -> bool:
        """ "weight-clustering, a form of non-linear quantization": the words between a name and a
        technique are ", a ..." with no verb or further comma, whatever the parser attached them to."""
        between = head.span.doc[head.span.end : tail.span.start]
        if len(between) < 2 or len(between) > 8 or between[0].text != "," or between[1].lower_ not in ("a", "an"):
            return False
        return not any(t.pos_ in ("VERB", "AUX") or (t.is_punct and t.text not in "-/") for t in between[2:])

    @staticmethod
    def _compared_by(mention: Located, cue: Token) -> bool:
        """Whether the cue governs the mention as what is compared against: "outperforms A and B",
        "better than A", "outperformed by A", not "with LLaMA-7B" or "at 70% sparsity"."""
        token = mention.root
        # "better ranking effectiveness than A": a modifier's comparison hangs on the noun it describes.
        targets = {cue.i}
        described = cue
        while described.dep_ in ("amod", "advmod") and described.head is not described and len(targets) < 3:
            described = described.head
            targets.add(described.i)
        for _ in range(8):
            if token.i in targets:
                return True
            if token.pos_ == "VERB" and token is not mention.root:
                return False  # "..., and a 7B LLM beats o1": the object of another verb
            if token.dep_ == "prep" and token.lower_ not in _COMPARATIVE_LINKS | {
                "by",
                "including",
                "like",
                "as",
                "of",
                "among",
            }:
                return False
            if token.head is token:
                return False
            token = token.head
        return False

    def _compresses(self, sent, inside, own, section, lemma_set, compression_paper):
        models = [m for m in inside if m.type == "MODEL"]
        if not models:
            return
        methods = [m for m in inside if m.type in ACTORS and is_compression(m.name)]
        cue = bool(lemma_set & self.cues["COMPRESSES"])
        if not (cue or methods):
            return
        speaks_of_self = own is not None and self._speaks_of_self(sent, inside, own)
        # A paper's own model is what compression produces ("distil a student, MiniMA, from LLaMA2-7B"):
        # it is built from the model compressed, it does not compress it.
        relation = "USES" if own is not None and own.type == "MODEL" else "COMPRESSES"
        for tail in models:
            if own is not None and tail.name == own.name:
                continue  # a paper's own model is what it builds, not what it compresses
            if own is not None and speaks_of_self and (compression_paper or cue):
                yield own, relation, tail, "self"
            elif methods and methods[0].name != tail.name:
                yield methods[0], "COMPRESSES", tail, "subject"
            elif own is not None and own.name != tail.name and cue:
                yield own, relation, tail, "self"

    def _uses(self, sent: Span, inside: list[Located], own: Located | None, section: str):
        """USES towards names after a cue; weak cues ("with", "via") only towards methods."""
        strong = [
            t.i
            for t in sent
            if (t.lemma_.lower() in self.cues["USES"] or t.lower_ in self.cues["USES"]) and not _describes_others(t)
        ]
        weak = [t.i for t in sent if t.lemma_.lower() in self.cues["USES_WEAK"] or t.lower_ in self.cues["USES_WEAK"]]
        for tail in inside:
            if tail.type not in ACTORS or (own is not None and tail.name == own.name):
                continue
            window = {t.lower_ for t in sent.doc[max(sent.start, tail.span.start - 7) : tail.span.start]}
            if window & _LIKENED:
                continue  # "similar to the head-wise processing in Transformers": likened, not used
            cues = [i for i in strong if i < tail.span.start]
            if not cues and tail.type == "METHOD":
                cues = [i for i in weak if i < tail.span.start]
            if not cues:
                continue
            before = [m for m in inside if m.span.start < cues[0]]
            # Without a subject or "we", the nearest name before a "uses" cue is right too rarely to say so.
            found = self._head_for(sent, tail, before, own, section, nearest=False)
            if found is None and cues[0] - sent.start <= 1:
                # "Inspired by Dynamic Sparse Training, DSnoT minimizes ...": a fronted clause speaks of the subject.
                subjects = [m for m in inside if m.type in ACTORS and m.root.dep_ in _SUBJECT_DEPS and m is not tail]
                found = (subjects[0], "subject") if subjects else None
            if found:
                yield found[0], "USES", tail, found[1]
