"""The parse of a document as plain lists, read once, for the rules to ask questions of.

Every attribute read from a spaCy ``Token`` goes through Cython and, for labels and words,
the string store; ``token.head`` and ``token.children`` build new ``Token`` objects. The rules
ask thousands of such questions per document, and asking them cost more than the rest of
their work together. :func:`parse_table` reads the attributes the rules need with one
``Doc.to_array`` call per document; the rules, argument building, qualifiers and confidence
features then work on token positions. ``extractors.mentions.TokenTable`` does the same for
coreference.
"""

from __future__ import annotations

from bisect import bisect_left

from numpy import int64
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
    SPACY,
    TAG,
)
from spacy.parts_of_speech import NAMES as _POS_NAMES
from spacy.tokens import Doc, Span, Token

_COLUMNS = [ORTH, LEMMA, POS, TAG, DEP, HEAD, IDX, SPACY, ENT_IOB, ENT_TYPE, IS_PUNCT,
            IS_SPACE]
_IOB_NAMES = ["", "I", "O", "B"]


class ParseTable:
    """The token attributes the rules read, as lists indexed by token position.

    Each list holds what the ``Token`` attribute of that name says (``head`` the head's
    index, ``children`` the indices of the children in text order, ``text_with_ws`` the text
    and its trailing space, ``is_punct`` and ``is_space`` 1 or 0); lemmas and subtree edges,
    asked of few tokens, are methods. ``by_dep`` lists the positions of the tokens of each
    dependency label, for the rules that look for one construction (:meth:`with_dep`).
    ``answers`` keeps what the rules worked out about the document's tokens (a verb's
    subject, its object), each asked many times by different rules; it lives as long as the
    table.

    >>> from extractors import load_model
    >>> table = parse_table(load_model()("Premier Li Qiang fined Ant Group."))
    >>> table.dep[3], table.head[1], table.children[3], table.left_edge(3), table.ent_iob[1]
    ('ROOT', 2, [2, 5, 6], 0, 'B')
    """

    __slots__ = ("doc", "strings", "text", "text_with_ws", "idx", "lower", "lemmas", "pos",
                 "tag", "dep", "head", "children", "ent_iob", "ent_type", "is_punct", "is_space",
                 "by_dep", "answers")

    def __init__(self, doc: Doc) -> None:
        strings = doc.vocab.strings
        array = doc.to_array(_COLUMNS)
        orth, lemma, pos, tag, dep, _, idx, spacy, iob, ent_type, punct, space = array.T.tolist()
        # offsets below zero come back as unsigned 64-bit numbers
        offsets = array[:, 5].astype(int64).tolist()
        self.doc = doc
        self.strings = strings
        self.text = text = [strings[h] for h in orth]
        self.text_with_ws = [t + " " if s else t for t, s in zip(text, spacy, strict=True)]
        self.idx = idx
        # what the lexeme's LOWER attribute is made of
        self.lower = [t.lower() for t in text]
        self.lemmas = lemma
        self.pos = [_POS_NAMES[p] for p in pos]
        # few distinct tags and labels: each looked up once
        self.tag, self.dep, self.ent_type = (
            [names[h] for h in column] for column in (tag, dep, ent_type)
            for names in [{h: strings[h] for h in set(column)}])
        self.ent_iob = [_IOB_NAMES[x] for x in iob]
        self.is_punct, self.is_space = punct, space  # 1 or 0
        self.head = head = [i + offset for i, offset in enumerate(offsets)]
        # spaCy looks for children between a token's edges, which always take them in
        self.children = children = [[] for _ in head]
        for i, h in enumerate(head):
            if h != i:
                children[h].append(i)
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
        for word in found:
            found.extend(c for c in self.children[word] if c > word and dep[c] == "conj")
        return [w for w in found if w != i]


_current: ParseTable | None = None


def parse_table(doc: Doc) -> ParseTable:
    """The table of ``doc``, made once and kept until the next document's is asked for (or
    :func:`forget_table`). A document must not be changed between."""
    global _current
    if _current is None or _current.doc is not doc:
        _current = ParseTable(doc)
    return _current


def forget_table() -> None:
    """Drop the table kept by :func:`parse_table`, and the ``Doc`` it holds."""
    global _current
    _current = None


def table_of(tokens: Span | Token) -> ParseTable:
    """The table of the document a span or token belongs to."""
    return parse_table(tokens.doc)
