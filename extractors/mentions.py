"""Every mention of an entity in a parsed document, with its character offsets.

Four kinds of mention are found, each with the token it hangs on (its head):

* ``name``: a proper name. spaCy's named entities, repaired where the small model is known
  to go wrong: a trailing possessive is cut ("Ant Group’s" -> "Ant Group"), a span holding a
  possessive is split ("Jack Ma’s Ant Group" -> "Jack Ma", "Ant Group"), a span holding a
  coordination is split ("Ant and Tencent" -> "Ant", "Tencent"), leading titles and articles
  are cut ("President Xi" -> "Xi", their title kept as a descriptor), a number that ends a
  product name is kept ("Internet Explorer 6"), and runs of proper nouns that NER missed
  become names too ("Xiaohongshu").
* ``value``: a date, time, amount or number (``DATE``, ``MONEY``, ``CARDINAL`` ...).
* ``nominal``: a common-noun phrase ("the company", "Chinese technology stocks"): what a
  triple argument or a definite description is made of.
* ``pronoun``: a third-person personal or possessive pronoun ("he", "its", "them").

``group`` mentions are coordinations of names or nominals ("Alibaba and Tencent"); plural
references ("these companies", "they") can point at them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
from spacy.strings import StringStore
from spacy.tokens import Doc

#: NER labels of values rather than things; they are mentions but never take part in
#: name-variant or pronoun resolution.
VALUE_LABELS = {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL"}
#: NER labels that are never mentions: "first", "second".
_IGNORED_LABELS = {"ORDINAL"}
#: Words before a person's name that say what the person is, not who.
TITLES = frozenset(
    "mr mrs ms miss dr prof professor sir dame lord lady president premier chairman "
    "chairwoman chancellor minister secretary senator sen rep representative governor mayor "
    "king queen prince princess pope cardinal bishop archbishop reverend rev father general "
    "gen colonel col captain capt lieutenant sergeant judge justice ambassador commissioner "
    "director ceo founder vice prime deputy chief coach manager officer spokesman "
    "spokeswoman spokesperson dr. mr. mrs. ms. prof. gen. sen. rep. gov. st. saint".split()
)
#: Words that end a company's name without telling companies apart.
CORPORATE_SUFFIXES = frozenset(
    "group inc incorporated corp corporation co company companies ltd limited llc llp plc "
    "holdings holding ag sa nv bv gmbh spa se oyj ab asa kk srl pty lp".split()
)
_POSSESSIVES = {"'s", "’s", "'", "’"}
_DETERMINERS = {"the", "a", "an"}
#: Pronouns that refer to third-person entities, with their number and gender.
PRONOUNS: dict[str, tuple[str, str]] = {
    **dict.fromkeys(("he", "him", "his", "himself"), ("singular", "male")),
    **dict.fromkeys(("she", "her", "hers", "herself"), ("singular", "female")),
    **dict.fromkeys(("it", "its", "itself"), ("singular", "neuter")),
    **dict.fromkeys(("they", "them", "their", "theirs", "themselves"), ("plural", "any")),
}
REFLEXIVES = {"himself", "herself", "itself", "themselves"}
_NOMINAL_POS = {"NOUN"}


@dataclass(frozen=True, slots=True)
class EntityMention:
    """One mention: its text and character span, kind, NER label and token positions.

    ``first``/``last`` are the indices of its first and last token in the parsed ``Doc`` and
    ``head`` the index of the token it hangs on (the last token of a name, the head noun of a
    phrase). ``titles`` are words that described a name in the sentence ("Premier").

    >>> m = EntityMention("Li Qiang", 16, 24, "name", "PERSON", 2, 3, 3, ("premier",))
    >>> m.is_name, m.titles
    (True, ('premier',))
    """

    text: str
    start: int
    end: int
    kind: str
    label: str | None
    first: int
    last: int
    head: int
    titles: tuple[str, ...] = ()

    @property
    def is_name(self) -> bool:
        return self.kind == "name"


_COLUMNS = [ORTH, LEMMA, IDX, POS, TAG, DEP, ENT_TYPE, HEAD, SENT_START, ENT_IOB, SPACY,
            IS_PUNCT, IS_SPACE]


#: Tags, dependency and entity labels by hash: a few dozen strings, read at every token of
#: every document (a hash stands for the same string in every ``StringStore``).
_LABELS: dict[int, str] = {}


def _labels(column: list[int], strings: StringStore) -> list[str]:
    try:
        return list(map(_LABELS.__getitem__, column))
    except KeyError:
        _LABELS.update((h, strings[h]) for h in set(column))
        return list(map(_LABELS.__getitem__, column))


@dataclass(frozen=True, slots=True)
class TokenTable:
    """The token attributes that mention finding and coreference read, as plain lists
    indexed by token position, read from the ``Doc`` in one ``to_array`` call.

    Every attribute read from a spaCy ``Token`` builds a ``Token`` object first; over the
    thousands of reads per document that cost more than the rest of the work together.
    Each list holds what the ``Token`` attribute of that name says (``head`` the head's
    index, ``sentence`` the number of the sentence, ``children`` the indices of the
    children in text order); ``entities`` holds the first token, end and label of each of
    ``Doc.ents``. Lemmas are few of them read: ``lemma(i)`` looks one up when asked.

    >>> from extractors import load_model
    >>> tokens = TokenTable.of(load_model()("Ant paid. It fell."))
    >>> tokens.lower[3], tokens.pos[1], tokens.head[0], tokens.sentence, tokens.children[1]
    ('it', 'VERB', 1, [0, 0, 0, 1, 1, 1], [0, 2])
    >>> tokens.entities
    [(0, 1, 'ORG')]
    """

    doc: Doc
    text: list[str]
    idx: list[int]
    lower: list[str]
    lemma_hashes: list[int]
    pos: list[str]
    tag: list[str]
    dep: list[str]
    head: list[int]
    text_with_ws: list[str]
    sent_start: list[bool]
    is_punct: list[bool]
    is_space: list[bool]
    sentences: list[tuple[int, int]]
    sentence: list[int]
    children: list[list[int]]
    entities: list[tuple[int, int, str]]
    lemmas: dict[int, str] = field(default_factory=dict)

    @classmethod
    def of(cls, doc: Doc) -> TokenTable:
        strings = doc.vocab.strings
        array = doc.to_array(_COLUMNS)
        n = len(array)
        orth, lemma, idx, pos, tag, dep, ent_type = array[:, :7].T.tolist()
        # offsets below zero come back as unsigned 64-bit numbers
        signed = array[:, 7:10].astype(int64)
        head_array = signed[:, 0] + arange(n)
        head = head_array.tolist()
        sent_start = signed[:, 1]
        spacy, punct, space = array[:, 10:].T.astype(bool).tolist()
        text = [strings[h] for h in orth]
        tag, dep = _labels(tag, strings), _labels(dep, strings)
        children: list[list[int]] = [[] for _ in head]
        for i in flatnonzero(head_array != arange(n)).tolist():
            children[head[i]].append(i)
        if "sents" in doc.user_hooks or not doc.has_annotation("SENT_START"):
            # the hook's sentences, or spaCy's error for a document without them
            sentences = [(s.start, s.end) for s in doc.sents]
            sentence = [0] * n
            for number, (start, end) in enumerate(sentences):
                sentence[start:end] = [number] * (end - start)
        else:
            starts = sent_start == 1
            starts[:1] = True
            sentence = (cumsum(starts) - 1).tolist()
            bounds = flatnonzero(starts).tolist()
            sentences = list(zip(bounds, [*bounds[1:], n], strict=True)) if n else []
        # Token.lower_ is the text lowercased: no second string lookup per token
        return cls(doc, text, idx, list(map(str.lower, text)), lemma,
                   list(map(_POS_NAMES.__getitem__, pos)), tag, dep, head,
                   [t + " " if s else t for t, s in zip(text, spacy, strict=True)],
                   (sent_start > 0).tolist(), punct, space, sentences, sentence, children,
                   _entities(doc, signed[:, 2].tolist(), ent_type))

    def lemma(self, i: int) -> str:
        """The lemma of token ``i``: few are asked for, each looked up the first time."""
        lemma = self.lemmas.get(i)
        if lemma is None:
            lemma = self.lemmas[i] = self.doc.vocab.strings[self.lemma_hashes[i]]
        return lemma

    def conjuncts(self, i: int) -> list[int]:
        """The tokens coordinated with token ``i``, in the order of ``Token.conjuncts``."""
        head, dep, children = self.head, self.dep, self.children
        start = i
        while start != head[start] and dep[start] == "conj":
            start = head[start]
        found = [start]
        for word in found:
            found.extend(c for c in children[word] if c > word and dep[c] == "conj")
        return [w for w in found if w != i]

    def span_text(self, first: int, last: int) -> str:
        """The text of tokens ``first`` to ``last``, as ``Span.text`` gives it."""
        if first == last:
            return self.text[last]
        return "".join(self.text_with_ws[first:last]) + self.text[last]


def _entities(doc: Doc, iob: list[int], label: list[int]) -> list[tuple[int, int, str]]:
    """``Doc.ents`` from the IOB tags and label hashes: an entity opens at each B tag with a
    label and runs over the I tags after it."""
    found = []
    inside = 0
    for start in [i for i, tag in enumerate(iob) if tag == 3]:
        end = start + 1
        while end < len(iob) and iob[end] == 1:
            end += 1
        if label[start]:
            found.append((start, end, _labels([label[start]], doc.vocab.strings)[0]))
            inside += end - start - 1
    if inside != iob.count(1):
        # an I tag outside an entity: spaCy's own error
        return [(ent.start, ent.end, ent.label_) for ent in doc.ents]
    return found


def find_mentions(doc: Doc, tokens: TokenTable | None = None) -> list[EntityMention]:
    """Every mention in the document, in text order (outer mentions before nested ones).

    ``tokens`` is the document's ``TokenTable`` when the caller has built it already.

    >>> from extractors import load_model
    >>> doc = load_model()("Regulators fined Jack Ma’s Ant Group. It paid.")
    >>> [(m.text, m.kind) for m in find_mentions(doc)]
    [('Regulators', 'nominal'), ('Jack Ma', 'name'), ('Ant Group', 'name'), ('It', 'pronoun')]
    """
    tokens = tokens or TokenTable.of(doc)
    found: dict[tuple[int, int], EntityMention] = {}
    names = list(_names(tokens))
    covered = {i for m in names for i in range(m.first, m.last + 1)}
    for mention in [*names, *_unlabelled_names(tokens, covered), *_nominals(tokens),
                    *_groups(tokens), *_pronouns(tokens)]:
        found.setdefault((mention.first, mention.last), mention)
    return sorted(found.values(), key=lambda m: (m.start, -m.end))


def _mention(tokens: TokenTable, first: int, last: int, kind: str, label: str | None,
             head: int | None = None, titles: tuple[str, ...] = ()) -> EntityMention:
    return EntityMention(tokens.span_text(first, last), tokens.idx[first],
                         tokens.idx[last] + len(tokens.text[last]), kind, label, first, last,
                         last if head is None else head, titles)


# -- names ------------------------------------------------------------------------------------


def _names(tokens: TokenTable):
    for start, end, label in tokens.entities:
        if label in _IGNORED_LABELS:
            continue
        if label in VALUE_LABELS:
            if _is_product_number(tokens, start, end):
                continue
            yield _mention(tokens, start, end - 1, "value", label)
            continue
        for first, last in _name_parts(tokens, start, end):
            yield from _trimmed_name(tokens, first, last, label)


def _is_product_number(tokens: TokenTable, start: int, end: int) -> bool:
    """"6" in "Internet Explorer 6": a number that ends a name is part of the name."""
    head = tokens.head[start]
    return (end - start == 1 and tokens.dep[start] == "nummod" and tokens.pos[head] == "PROPN"
            and start == head + 1)


def _name_parts(tokens: TokenTable, start: int, end: int) -> list[tuple[int, int]]:
    """Split the named entity of tokens ``start`` to ``end`` (exclusive) at possessives and
    at a coordination of whole names."""
    parts: list[tuple[int, int]] = []
    first = start
    for i in range(start, end):
        cut = tokens.text[i] in _POSSESSIVES or tokens.tag[i] == "POS"
        coordinated = (tokens.dep[i] in {"cc", "punct"} and i + 1 < end
                       and _is_conjunct_of(tokens, i + 1, start, end))
        if cut or coordinated:
            if i > first:
                parts.append((first, i - 1))
            first = i + 1
    if first < end:
        parts.append((first, end - 1))
    return parts


def _is_conjunct_of(tokens: TokenTable, i: int, start: int, end: int) -> bool:
    """Whether token ``i`` starts a name coordinated with the root name of tokens ``start``
    to ``end`` (exclusive).

    "Ant and Tencent" is split, "National Development and Reform Commission" is not: there
    the conjunct hangs on "Development", a word inside the name.
    """
    dep, head = tokens.dep, tokens.head
    while dep[i] in {"compound", "flat"} and start <= head[i] < end:
        i = head[i]
    if dep[i] != "conj" or not start <= head[i] < end:
        return False
    root = _span_root(tokens, start, end)
    return head[i] == root or root in tokens.conjuncts(head[i])


def _trimmed_name(tokens: TokenTable, first: int, last: int, label: str):
    """The name without leading articles and titles or a trailing possessive or punctuation."""
    text, lower, punct = tokens.text, tokens.lower, tokens.is_punct
    titles = []
    while first <= last and (lower[first] in _DETERMINERS or punct[first]):
        first += 1
    while first < last and label == "PERSON" and lower[first].rstrip(".") in TITLES:
        titles.append(lower[first].rstrip("."))
        first += 1
    while last >= first and (text[last] in _POSSESSIVES or tokens.tag[last] == "POS"
                             or (punct[last] and text[last] not in ".")):
        last -= 1
    if first > last:
        return
    last = _with_product_number(tokens, last)
    if first < last and lower[last].rstrip(".") in CORPORATE_SUFFIXES:
        label = "ORG"  # "Jack Ma’s Ant Group" is one PERSON span to the small model
    titles.extend(_preceding_titles(tokens, first))
    yield _mention(tokens, first, last, "name", label, titles=tuple(dict.fromkeys(titles)))


def _with_product_number(tokens: TokenTable, last: int) -> int:
    following = last + 1
    if (following < len(tokens.text) and tokens.dep[following] == "nummod"
            and tokens.head[following] == last and tokens.doc[following].like_num):
        return following
    return last


def _preceding_titles(tokens: TokenTable, first: int) -> list[str]:
    """Title-like words right before a name: "Premier Li Qiang", "video-sharing site Bilibili"."""
    found = []
    i = first - 1
    while i >= 0 and tokens.dep[i] in {"compound", "amod", "nmod"} and tokens.head[i] >= first:
        pos = tokens.pos[i]
        if pos in {"NOUN", "PROPN"} and (pos == "NOUN"
                                         or tokens.lower[i].rstrip(".") in TITLES):
            found.append(tokens.lemma(i).lower().rstrip("."))
        i -= 1
    return found


def _unlabelled_names(tokens: TokenTable, covered: set[int]):
    """Runs of proper nouns that no named entity covers ("Douyin", "Tmall").

    Not in lines written in title case ("China Shows a Positive Attitude"), where the tagger
    calls every capitalised word a proper noun.
    """
    headline = _title_case_tokens(tokens)
    pos, text = tokens.pos, tokens.text
    n = len(pos)
    i = 0
    while i < n:
        if pos[i] != "PROPN" or i in covered or i in headline or not text[i][:1].isalnum():
            i += 1
            continue
        j = i
        while j + 1 < n and pos[j + 1] == "PROPN" and j + 1 not in covered:
            j += 1
        first = i
        while first <= j and tokens.lower[first].rstrip(".") in TITLES:
            first += 1
        # A capitalised plural opening a sentence is a common noun ("Regulators fined ...").
        opening_plural = first == j and tokens.sent_start[j] and tokens.tag[j] == "NNPS"
        if first <= j and not opening_plural:
            yield _mention(tokens, first, _with_product_number(tokens, j), "name", None,
                           titles=tuple(_preceding_titles(tokens, first)))
        i = j + 1


def _title_case_tokens(tokens: TokenTable) -> set[int]:
    """Tokens of headlines: sentences without final punctuation whose words (three or more)
    nearly all start with a capital."""
    text, space = tokens.text, tokens.is_space
    found: set[int] = set()
    for start, end in tokens.sentences:
        ending = next((i for i in range(end - 1, start - 1, -1) if not space[i]), None)
        if ending is not None and text[ending] in {".", "!", "?", '"', "”"}:
            continue
        words = [t.text for t in tokens.doc[start:end] if t.is_alpha and not t.is_stop]
        if len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words):
            found.update(range(start, end))
    return found


# -- nominals, groups, pronouns ----------------------------------------------------------------

#: Dependencies of the heads of spaCy's English noun chunks.
_CHUNK_DEPS = {"oprd", "nsubj", "dobj", "nsubjpass", "pcomp", "pobj", "dative", "appos",
               "attr", "ROOT"}


def _nominals(tokens: TokenTable):
    """Common-noun phrases: spaCy's noun chunks headed by a common noun."""
    for start, end in _noun_chunks(tokens):
        root = _span_root(tokens, start, end)
        if tokens.pos[root] not in _NOMINAL_POS:
            continue
        first = start
        while first < root and (tokens.is_punct[first] or tokens.is_space[first]):
            first += 1
        yield _mention(tokens, first, root, "nominal", None, head=root)


def _noun_chunks(tokens: TokenTable):
    """The spans of ``Doc.noun_chunks`` as spaCy's English syntax iterator finds them,
    without building a ``Span`` per chunk or a ``Token`` per word."""
    doc, pos, dep, head = tokens.doc, tokens.pos, tokens.dep, tokens.head
    prev_end = -1
    for i, tag in enumerate(pos):
        if tag not in {"NOUN", "PROPN", "PRON"}:
            continue
        if dep[i] not in _CHUNK_DEPS:
            if dep[i] != "conj":
                continue
            h = head[i]
            while dep[h] == "conj" and head[h] < h:
                h = head[h]
            if dep[h] not in _CHUNK_DEPS:
                continue
        left = doc[i].left_edge.i  # spaCy's own edge: non-projective parses bend it
        if left > prev_end:
            prev_end = i
            yield left, i + 1


def _span_root(tokens: TokenTable, start: int, end: int) -> int:
    """``Span.root`` of tokens ``start`` to ``end`` (exclusive): a sentence root in it, else
    the token nearest the root among those whose head is outside, spaCy's way."""
    head = tokens.head
    if end - start == 1:
        return start
    for i in range(start, end):
        if head[i] == i:
            return i
    best, root = len(head), -1
    for i in range(start, end):
        if start <= head[i] < end:
            continue
        if (tokens.is_space[i] or tokens.is_punct[i]) and not tokens.children[i]:
            depth = len(head) - 1
        else:
            depth, j = 0, i
            while head[j] != j:
                j = head[j]
                depth += 1
                if depth >= len(head):
                    raise RuntimeError(f"token {i} of the document has a cycle of heads")
        if depth < best:
            best, root = depth, i
    return start if root == -1 else root


def _groups(tokens: TokenTable):
    """Coordinations of nouns or names: "Alibaba and Tencent", "exports and spending"; not
    the coordination inside a name ("National Development and Reform Commission")."""
    pos, dep, head = tokens.pos, tokens.dep, tokens.head
    # a token without a "conj" child has no conjuncts
    for i in sorted({head[c] for c, label in enumerate(dep) if label == "conj" and head[c] != c}):
        if dep[i] in {"conj", "compound", "nmod", "amod"} or pos[i] not in {"NOUN", "PROPN"}:
            continue
        conjuncts = tokens.conjuncts(i)
        if not conjuncts:
            continue
        members = sorted((i, *conjuncts))
        if any(pos[m] not in {"NOUN", "PROPN"} for m in members):
            continue
        yield _mention(tokens, _left_edge(tokens, members[0]), members[-1], "group", None,
                       head=i)


def _left_edge(tokens: TokenTable, i: int) -> int:
    """Start of a noun phrase without its leading punctuation."""
    first = tokens.doc[i].left_edge.i
    while first < i and (tokens.is_punct[first] or tokens.is_space[first]):
        first += 1
    return first


def _pronouns(tokens: TokenTable):
    """Third-person pronouns; not a capitalised one inside a line ("The Tech Crackdown and
    Its Impact"), which is a headline's, with nothing before it to refer to."""
    for i, lower in enumerate(tokens.lower):
        if lower not in PRONOUNS or (tokens.pos[i] != "PRON" and tokens.tag[i] != "PRP$"):
            continue
        if tokens.text[i][0].isupper() and not tokens.sent_start[i]:
            continue
        yield _mention(tokens, i, i, "pronoun", None)
