"""The parse of a document as plain lists, read once, for the rules and coreference to ask
questions of.

Every attribute read from a spaCy ``Token`` goes through Cython and, for labels and words,
the string store; ``token.head`` and ``token.children`` build new ``Token`` objects. The rules
and coreference ask thousands of such questions per document, and asking them cost more than
the rest of their work together. :func:`parse_table` reads the attributes they need with one
``Doc.to_array`` call per document; the rules, argument building, qualifiers, confidence
features, mention finding and coreference then work on token positions, all on the same
table.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from contextlib import contextmanager

from numpy import arange, cumsum, flatnonzero, int64
from spacy.attrs import (
    DEP,
    ENT_IOB,
    ENT_TYPE,
    HEAD,
    IDX,
    IS_PUNCT,
    IS_SPACE,
    LEMMA,
    ORTH,
    POS,
    SENT_START,
    SPACY,
    TAG,
)
from spacy.parts_of_speech import NAMES as _POS_NAMES
from spacy.tokens import Doc, Span, Token

_COLUMNS = [ORTH, LEMMA, POS, TAG, DEP, IDX, ENT_TYPE, HEAD, SENT_START, ENT_IOB, SPACY,
            IS_PUNCT, IS_SPACE]
_IOB_NAMES = ["", "I", "O", "B"]


class ParseTable:
    """The token attributes the rules and coreference read, as lists indexed by token
    position.

    Each list holds what the ``Token`` attribute of that name says (``head`` the head's
    index, ``children`` the indices of the children in text order, ``text_with_ws`` the text
    and its trailing space, ``sent_start`` whether a sentence starts there, ``sentence`` the
    number of the token's sentence); ``sentences`` holds the first and end token of each of
    ``Doc.sents``, ``entities`` the first token, end and label of each of ``Doc.ents``.
    Lemmas and subtree edges, asked of few tokens, are methods. ``by_dep`` lists the
    positions of the tokens of each dependency label, for the rules that look for one
    construction (:meth:`with_dep`). ``answers`` keeps what the rules worked out about the
    document's tokens (a verb's subject, its object), each asked many times by different
    rules; it lives as long as the table.

    >>> from extractors import load_model
    >>> table = parse_table(load_model()("Premier Li Qiang fined Ant Group. It paid."))
    >>> table.dep[3], table.head[1], table.children[3], table.left_edge(3), table.ent_iob[1]
    ('ROOT', 2, [2, 5, 6], 0, 'B')
    >>> table.sentences, table.sentence[7], table.entities
    ([(0, 7), (7, 10)], 1, [(1, 3, 'PERSON'), (4, 6, 'ORG')])
    """

    __slots__ = ("doc", "strings", "text", "text_with_ws", "idx", "lower", "lemmas", "pos",
                 "tag", "dep", "head", "children", "ent_iob", "ent_type", "is_punct", "is_space",
                 "sent_start", "sentences", "sentence", "entities", "entity_starts", "by_dep",
                 "answers")

    def __init__(self, doc: Doc) -> None:
        strings = doc.vocab.strings
        array = doc.to_array(_COLUMNS)
        n = len(array)
        orth, lemma, pos, tag, dep, idx, ent_type = array[:, :7].T.tolist()
        # offsets below zero come back as unsigned 64-bit numbers
        signed = array[:, 7:9].astype(int64)
        head_array = signed[:, 0] + arange(n)
        iob = array[:, 9].tolist()
        spacy, punct, space = array[:, 10:].T.astype(bool).tolist()
        self.doc = doc
        self.strings = strings
        self.text = text = [strings[h] for h in orth]
        self.text_with_ws = [t + " " if s else t for t, s in zip(text, spacy, strict=True)]
        self.idx = idx
        # what the lexeme's LOWER attribute is made of
        self.lower = list(map(str.lower, text))
        self.lemmas = lemma
        self.pos = list(map(_POS_NAMES.__getitem__, pos))
        # few distinct tags and labels: each looked up once
        self.tag, self.dep, self.ent_type = (
            list(map(names.__getitem__, column)) for column in (tag, dep, ent_type)
            for names in [{h: strings[h] for h in set(column)}])
        self.ent_iob = [_IOB_NAMES[x] for x in iob]
        self.is_punct, self.is_space = punct, space
        self.head = head = head_array.tolist()
        # spaCy looks for children between a token's edges, which always take them in
        self.children = children = [[] for _ in head]
        for i in flatnonzero(head_array != arange(n)).tolist():
            children[head[i]].append(i)
        self.sent_start = (signed[:, 1] > 0).tolist()
        self.sentences, self.sentence = _sentences(doc, signed[:, 1] == 1)
        self.entities = _entities(doc, iob, self.ent_type)
        self.entity_starts = [start for start, _, _ in self.entities]
        self.by_dep: dict[str, list[int]] = {}
        for i, label in enumerate(self.dep):
            self.by_dep.setdefault(label, []).append(i)
        self.answers: dict[tuple, object] = {}

    def lemma(self, i: int) -> str:
        """``Token.lemma_`` of token ``i``."""
        return self.strings[self.lemmas[i]]

    def left_edge(self, i: int) -> int:
        """``Token.left_edge`` of token ``i``: not always the first of its subtree in a
        non-projective parse, so spaCy's own."""
        return self.doc[i].left_edge.i

    def right_edge(self, i: int) -> int:
        """``Token.right_edge`` of token ``i``, as spaCy has it."""
        return self.doc[i].right_edge.i

    def with_dep(self, span: Span, deps: set[str]) -> list[int]:
        """The positions in ``span`` of tokens whose dependency label is one of ``deps``."""
        found = []
        for label in deps:
            positions = self.by_dep.get(label, ())
            found.extend(positions[bisect_left(positions, span.start):
                                   bisect_left(positions, span.end)])
        if len(deps) > 1:
            found.sort()
        return found

    def entities_in(self, span: Span) -> list[tuple[int, int, str]]:
        """The entities (as in ``entities``) that start inside ``span``."""
        return self.entities_between(span.start, span.end)

    def entities_between(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """The entities (as in ``entities``) that start at tokens ``start`` to ``end``
        (exclusive)."""
        starts = self.entity_starts
        return self.entities[bisect_left(starts, start):bisect_left(starts, end)]

    def span_text(self, start: int, end: int) -> str:
        """The text of tokens ``start`` to ``end`` (exclusive), as ``Span.text`` gives it."""
        return "".join(self.text_with_ws[start:end - 1]) + self.text[end - 1]

    def subtree(self, i: int) -> list[int]:
        """The token and its descendants, in the order ``Token.subtree`` yields them."""
        found = []
        for child in self.children[i]:
            if child > i:
                break
            found.extend(self.subtree(child))
        found.append(i)
        for child in self.children[i]:
            if child > i:
                found.extend(self.subtree(child))
        return found

    def tokens_under(self, i: int) -> list[int]:
        """The token and its descendants, in no set order: :meth:`subtree` for the questions
        that the order does not change, at a fraction of the cost.

        >>> from extractors import load_model
        >>> table = parse_table(load_model()("Premier Li Qiang fined Ant Group."))
        >>> sorted(table.tokens_under(3)) == table.subtree(3)
        True
        """
        found = [i]
        children = self.children
        for token in found:
            found.extend(children[token])
        return found

    def child_towards(self, head: int, i: int) -> int | None:
        """The child of token ``head`` whose subtree holds token ``i`` (``i`` itself, if a
        child), or None when ``i`` is not below ``head``.

        >>> from extractors import load_model
        >>> table = parse_table(load_model()("Premier Li Qiang fined Ant Group."))
        >>> table.child_towards(3, 1), table.child_towards(3, 5), table.child_towards(5, 1)
        (2, 5, None)
        """
        heads = self.head
        while heads[i] != head:
            if heads[i] == i:
                return None
            i = heads[i]
        return i if i != head else None

    def ancestors(self, i: int) -> set[int]:
        """The tokens token ``i`` hangs on, directly or not (``Token.ancestors``)."""
        head = self.head
        found = set()
        while head[i] != i and len(found) < len(head):
            i = head[i]
            found.add(i)
        return found

    def conjuncts(self, i: int) -> list[int]:
        """The tokens coordinated with token ``i``, in the order ``Token.conjuncts`` gives."""
        head, dep = self.head, self.dep
        start = i
        while start != head[start] and dep[start] == "conj":
            start = head[start]
        found = [start]
        children = self.children
        for word in found:
            found.extend([c for c in children[word] if c > word and dep[c] == "conj"])
        return [w for w in found if w != i]


def _sentences(doc: Doc, starts) -> tuple[list[tuple[int, int]], list[int]]:
    """The first and end token of each sentence, and the number of each token's sentence,
    from the tokens that start one (``starts``)."""
    n = len(starts)
    if "sents" in doc.user_hooks or not doc.has_annotation("SENT_START"):
        # the hook's sentences, or spaCy's error for a document without them
        sentences = [(s.start, s.end) for s in doc.sents]
        sentence = [0] * n
        for number, (start, end) in enumerate(sentences):
            sentence[start:end] = [number] * (end - start)
        return sentences, sentence
    starts[:1] = True
    bounds = flatnonzero(starts).tolist()
    sentences = list(zip(bounds, [*bounds[1:], n], strict=True)) if n else []
    return sentences, (cumsum(starts) - 1).tolist()


def _entities(doc: Doc, iob: list[int], label: list[str]) -> list[tuple[int, int, str]]:
    """``Doc.ents`` from the IOB tags and labels: an entity opens at each B tag with a label
    and runs over the I tags after it."""
    found = []
    inside = 0
    for start in [i for i, tag in enumerate(iob) if tag == 3]:
        end = start + 1
        while end < len(iob) and iob[end] == 1:
            end += 1
        if label[start]:
            found.append((start, end, label[start]))
            inside += end - start - 1
    if inside != iob.count(1):
        # an I tag outside an entity: spaCy's own error
        return [(ent.start, ent.end, ent.label_) for ent in doc.ents]
    return found


_current: ParseTable | None = None


def parse_table(doc: Doc) -> ParseTable:
    """The table of ``doc``, made once and kept until the next document's is asked for (or
    :func:`forget_table`). A document must not be changed between."""
    global _current
    if _current is None or _current.doc is not doc:
        _current = ParseTable(doc)
    return _current


@contextmanager
def kept_table(doc: Doc) -> Iterator[ParseTable]:
    """The table of ``doc`` while the block runs, dropped at its end (with the ``Doc`` it
    holds) unless an enclosing block keeps it: extraction keeps one table for the rules and
    coreference, and coreference run on its own still leaves nothing behind.

    >>> from extractors import load_model
    >>> doc = load_model()("Ant Group was fined.")
    >>> with kept_table(doc) as table:
    ...     with kept_table(doc) as inner:
    ...         pass
    ...     parse_table(doc) is table is inner
    True
    >>> _current is None
    True
    """
    outer = _current is not None and _current.doc is doc
    try:
        yield parse_table(doc)
    finally:
        if not outer:
            forget_table()


def forget_table() -> None:
    """Drop the table kept by :func:`parse_table`, and the ``Doc`` it holds."""
    global _current
    _current = None


def table_of(tokens: Span | Token) -> ParseTable:
    """The table of the document a span or token belongs to."""
    return parse_table(tokens.doc)
