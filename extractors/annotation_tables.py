"""Table-driven stand-ins for two of spaCy's rule components, with exactly their output.

spaCy's English pipelines end in an attribute ruler (coarse part of speech, morphology and a
few lemmas, from the fine tag, the word and the dependency label) and a rule lemmatizer. On
BBC news they were 11% and 8% of the small pipeline's time, more than the parser: both look
at every token through Python ``Token`` objects, the ruler through a ``Matcher`` of 179
patterns. Yet what they set depends on a handful of a token's attributes, and news repeats
its words. :class:`AttributeTable` and :class:`LemmaTable` ask the same questions once per
distinct combination, with the components' own patterns and lemmatizer, remember the answer,
and read and write each document as arrays: the annotations are identical, token for token
(``tests/extractors/test_annotation_tables.py`` compares them with spaCy's on real news).

Only what can be reproduced exactly is replaced: a ruler with a pattern this module does not
know (an operator, another attribute, a custom extension) or a lemmatizer in a mode other than
``rule`` or ``lookup`` stays spaCy's own (:func:`use_tables`).
"""

# No ``from __future__ import annotations`` here: spaCy 3.8.7 checks a factory's arguments
# against their annotations (confection 0.x, pydantic v1), which must then be types, not
# strings.

import copy
import re
from collections.abc import Callable, Sequence

import numpy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc

#: What a token is matched on, in the order of a ``_View``'s entries: fine tag, lower-case
#: form, dependency label (strings) and whether it is whitespace.
_MATCHED = ("TAG", "LOWER", "DEP", "IS_SPACE")
#: What a rule may set, in the order the values are kept.
_SET = (TAG, DEP, POS, MORPH, LEMMA)
#: Distinct keys remembered before the tables start again: a bound on memory for endless
#: streams (about 210 bytes a key, so 110 MB for both tables at the bound). The BBC corpus
#: (2,225 articles) has about 93,000 keys of the attribute table and 42,000 of the lemma
#: table.
_MAX_KNOWN = 250_000
#: The lemmatizer modes whose answer depends only on a token's word, part of speech and
#: morphology.
_LEMMATIZER_MODES = ("rule", "lookup")

_View = tuple[str, str, str, bool]
_Test = Callable[[_View], bool]


def _value_test(field: int, value: object) -> _Test | None:
    """A test of one matched attribute, as spaCy's ``Matcher`` makes it, or ``None`` for a
    form it does not reproduce."""
    if isinstance(value, dict):
        if len(value) != 1:
            return None
        ((operator, argument),) = value.items()
        if operator in ("IN", "NOT_IN") and isinstance(argument, list):
            members = frozenset(argument)
            if operator == "IN":
                return lambda view: view[field] in members
            return lambda view: view[field] not in members
        if operator == "REGEX" and isinstance(argument, str) and field != 3:
            pattern = re.compile(argument)
            return lambda view: pattern.search(view[field]) is not None
        return None
    if isinstance(value, bool) == (field == 3) and isinstance(value, (str, bool)):
        return lambda view: view[field] == value
    return None


def _token_test(spec: dict) -> _Test | None:
    """The test of one token pattern (all its attributes must hold), or ``None``."""
    tests = []
    for key, value in spec.items():
        if key not in _MATCHED:
            return None
        test = _value_test(_MATCHED.index(key), value)
        if test is None:
            return None
        tests.append(test)
    return lambda view: all(test(view) for test in tests)


def _required_values(spec: dict) -> tuple[int, Sequence[str] | None]:
    """A field of the matched view and the values one of which it must have for the token
    pattern ``spec`` to match (``None``: no such field): the lower-case form before the tag,
    as the more selective.

    >>> _required_values({"TAG": "RB", "LOWER": {"IN": ["not", "n't"]}})
    (1, ['not', "n't"])
    >>> _required_values({"DEP": {"NOT_IN": ["det"]}})
    (0, None)
    """
    for key in ("LOWER", "TAG", "DEP"):
        value = spec.get(key)
        if isinstance(value, str):
            return _MATCHED.index(key), [value]
        if isinstance(value, dict) and isinstance(value.get("IN"), list):
            return _MATCHED.index(key), value["IN"]
    return 0, None


class AttributeTable:
    """Sets what ``ruler`` (spaCy's ``AttributeRuler``) sets, as it does: every pattern that
    matches applies its attributes to its token, later patterns over earlier ones; all
    patterns are matched before any attribute is set.

    The patterns of one token are answered once per distinct (tag, lower-case form, label,
    whitespace) and remembered; patterns of several tokens, rare, are tried where their
    first token's test holds.
    """

    def __init__(self, ruler: AttributeRuler) -> None:
        self.ruler = ruler
        self.vocab = ruler.vocab
        #: (rule number, token tests, index of the token set) of each pattern
        self.patterns: list[tuple[int, tuple[_Test, ...], int]] = []
        # Each pattern is filed under the tags or words its first token must have, if it
        # names them, so that a new key is tested against a few patterns, not all.
        self._by_value: dict[tuple[int, str], list[int]] = {}
        self._unfiled: list[int] = []
        for number, entry in enumerate(ruler.patterns):
            for pattern in entry["patterns"]:
                tests = [_token_test(spec) for spec in pattern]
                if not tests or None in tests:
                    raise ValueError(f"attribute ruler pattern {pattern!r} is not supported")
                index = entry["index"] + (len(tests) if entry["index"] < 0 else 0)
                field, values = _required_values(pattern[0])
                for value in values if values is not None else ():
                    self._by_value.setdefault((field, value), []).append(len(self.patterns))
                if values is None:
                    self._unfiled.append(len(self.patterns))
                self.patterns.append((number, tuple(tests), index))  # type: ignore[arg-type]
        self.values = [tuple(attrs.get(attr) for attr in _SET) for attrs in ruler.attrs]
        if any(set(attrs) - set(_SET) for attrs in ruler.attrs):
            raise ValueError("the attribute ruler sets attributes other than "
                             "TAG, DEP, POS, MORPH and LEMMA")
        self.sets_tag_or_dep = any(tag is not None or dep is not None
                                   for tag, dep, *_ in self.values)
        #: key -> (rules of one token that match, patterns of several whose first token's
        #: test holds, what the rules of one token set); few distinct entries, each kept once
        #: (``_entries``), so that a key costs its tuple and a slot
        self._known: dict[tuple, tuple] = {}
        self._entries: dict[tuple, tuple] = {}

    def __reduce__(self) -> tuple:
        # pickled as the ruler it stands for (the tests are closures), for processes that
        # start afresh ("spawn", macOS's default); the answers are worked out again there
        return type(self), (self.ruler,)

    @classmethod
    def supports(cls, ruler: AttributeRuler) -> bool:
        """Whether every pattern and attribute of ``ruler`` can be reproduced."""
        try:
            cls(ruler)
        except ValueError:
            return False
        return True

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        array = doc.to_array([TAG, LOWER, DEP, IS_SPACE, *_SET])
        keys = list(map(tuple, array[:, :4].tolist()))
        columns = array[:, 4:].T.tolist()
        known, learn = self._known, self._learn
        entries = [known.get(key) or learn(key) for key in keys]
        extra: dict[int, list[int]] = {}
        for start, entry in enumerate(entries):
            for number, tests, index in entry[1]:
                end = start + len(tests)
                if end <= len(entries) and all(
                        test(self._view(keys[i])) for i, test in zip(range(start + 1, end),
                                                                     tests[1:], strict=True)):
                    extra.setdefault(start + index, []).append(number)
        for i, entry in enumerate(entries):
            values = entry[2] if i not in extra else self._applied(
                sorted(set(entry[0]).union(extra[i])))
            for column, value in zip(columns, values, strict=True):
                if value is not None:
                    column[i] = value
        attrs = list(_SET) if self.sets_tag_or_dep else list(_SET[2:])
        written = columns if self.sets_tag_or_dep else columns[2:]
        doc.from_array(attrs, numpy.array(written, dtype=numpy.uint64).T)
        return doc

    def _learn(self, key: tuple) -> tuple:
        """The entry of a token key, worked out and remembered."""
        if len(self._known) >= _MAX_KNOWN:
            self._known.clear()
        view = self._view(key)
        candidates = sorted({*self._unfiled,
                             *self._by_value.get((0, view[0]), ()),
                             *self._by_value.get((1, view[1]), ()),
                             *self._by_value.get((2, view[2]), ())})
        matching = [self.patterns[position] for position in candidates
                    if self.patterns[position][1][0](view)]
        single = sorted({number for number, tests, _ in matching if len(tests) == 1})
        several = tuple(pattern for pattern in matching if len(pattern[1]) > 1)
        entry = (tuple(single), several, self._applied(single))
        entry = self._known[key] = self._entries.setdefault(entry, entry)
        return entry

    def _view(self, key: tuple) -> _View:
        """What the patterns test of a token with ``key``: its tag, lower-case form and
        label as strings, and whether it is whitespace."""
        strings = self.vocab.strings
        tag, lower, dep, space = key
        return (strings[tag] if tag else "", strings[lower] if lower else "",
                strings[dep] if dep else "", bool(space))

    def _applied(self, numbers: Sequence[int]) -> tuple:
        """What rules ``numbers`` (in ascending order) set, later over earlier."""
        values: list = [None] * len(_SET)
        for number in numbers:
            for field, value in enumerate(self.values[number]):
                if value is not None:
                    values[field] = value
        return tuple(values)


class LemmaTable:
    """Sets the lemmas ``lemmatizer`` (spaCy's ``Lemmatizer``, rule or lookup mode) sets:
    each token without one (or every token, if it overwrites) gets the lemmatizer's first
    answer, asked once per distinct (word, part of speech, morphology), which is all that
    either mode reads."""

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        if not self.supports(lemmatizer):
            raise ValueError(f"lemmatizer mode {lemmatizer.mode!r} is not supported")
        self.original = lemmatizer
        self.lemmatizer = _with_indexed_words(lemmatizer)
        self._known: dict[tuple[int, int, int], int] = {}

    def __reduce__(self) -> tuple:
        return type(self), (self.original,)

    @staticmethod
    def supports(lemmatizer: Lemmatizer) -> bool:
        """Whether ``lemmatizer``'s answers can be reproduced: its mode reads no more than
        the word, part of speech and morphology."""
        return lemmatizer.mode in _LEMMATIZER_MODES

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        array = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = array[:, 3].tolist()
        known = self._known
        overwrite = self.lemmatizer.overwrite
        for i, (orth, pos, morph, lemma) in enumerate(array.tolist()):
            if lemma and not overwrite:
                continue
            key = (orth, pos, morph)
            found = known.get(key)
            if found is None:
                if len(known) >= _MAX_KNOWN:
                    known.clear()
                found = known[key] = doc.vocab.strings.add(
                    self.lemmatizer.lemmatize(doc[i])[0])
            lemmas[i] = found
        doc.from_array([LEMMA], numpy.array(lemmas, dtype=numpy.uint64))
        return doc


def _with_indexed_words(lemmatizer: Lemmatizer) -> Lemmatizer:
    """A copy of ``lemmatizer`` whose table of known words per part of speech
    (``lemma_index``) holds sets: the rule lemmatizer asks whether each candidate form is in
    it, and the tables spaCy loads hold lists of thousands of words, scanned on every
    question (most of its time). The answers are the same."""
    words = "lemma_index"
    if words not in lemmatizer.lookups.tables:
        return lemmatizer
    lookups = Lookups()
    for name in lemmatizer.lookups.tables:
        table = lemmatizer.lookups.get_table(name)
        if name == words:
            lookups.add_table(name, {pos: frozenset(known) for pos, known in table.items()})
        else:
            lookups.set_table(name, table)
    copied = copy.copy(lemmatizer)
    copied.lookups = lookups
    copied.cache = {}
    # the lemmatizer keeps its mode's method bound to itself: bind it to the copy
    copied.lemmatize = getattr(copied, f"{copied.mode}_lemmatize")
    return copied


@Language.factory("newsgraph_attribute_table")
def make_attribute_table(nlp: Language, name: str, ruler: str = "attribute_ruler",
                         ) -> AttributeTable:
    """The :class:`AttributeTable` of the pipeline's component ``ruler``."""
    return AttributeTable(nlp.get_pipe(ruler))


@Language.factory("newsgraph_lemma_table")
def make_lemma_table(nlp: Language, name: str, lemmatizer: str = "lemmatizer") -> LemmaTable:
    """The :class:`LemmaTable` of the pipeline's component ``lemmatizer``."""
    return LemmaTable(nlp.get_pipe(lemmatizer))


def use_tables(nlp: Language) -> list[str]:
    """Put the tables in place of ``nlp``'s attribute ruler and lemmatizer, where they can
    reproduce them; the components they stand for stay in the pipeline, disabled. Returns
    the names of the components replaced."""
    replaced = []
    for name, factory, component, table in (
            ("attribute_ruler", "newsgraph_attribute_table", AttributeRuler, AttributeTable),
            ("lemmatizer", "newsgraph_lemma_table", Lemmatizer, LemmaTable)):
        pipe = nlp.get_pipe(name) if name in nlp.pipe_names else None
        if isinstance(pipe, component) and table.supports(pipe):
            nlp.add_pipe(factory, after=name)
            nlp.disable_pipe(name)
            replaced.append(name)
    return replaced
