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

from collections.abc import Container
from itertools import compress, count

from spacy.tokens import Doc

from extractors.parse_table import ParseTable, kept_table
from extractors.triple import value_class

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


@value_class
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


def find_mentions(doc: Doc) -> list[EntityMention]:
    """Every mention in the document, in text order (outer mentions before nested ones),
    read from the document's ``ParseTable`` (the one extraction or coreference keeps).

    >>> from extractors import load_model
    >>> doc = load_model()("Regulators fined Jack Ma’s Ant Group. It paid.")
    >>> [(m.text, m.kind) for m in find_mentions(doc)]
    [('Regulators', 'nominal'), ('Jack Ma', 'name'), ('Ant Group', 'name'), ('It', 'pronoun')]
    """
    with kept_table(doc) as table:
        return _mentions(table)


def _mentions(table: ParseTable) -> list[EntityMention]:
    # by first and last token, negated: in the order of these keys, mentions are in the
    # order of their offsets, outer before nested
    found: dict[tuple[int, int], EntityMention] = {}
    names = list(_names(table))
    covered = {i for m in names for i in range(m.first, m.last + 1)}
    for mention in [*names, *_unlabelled_names(table, covered), *_nominals(table),
                    *_groups(table), *_pronouns(table)]:
        found.setdefault((mention.first, -mention.last), mention)
    return [found[key] for key in sorted(found)]


def _positions(values: list[str], wanted: Container[str]) -> list[int]:
    """The positions of the values that are among ``wanted``, a token attribute read
    without a Python loop.

    >>> _positions(["it", "rose", "and", "they", "fell"], PRONOUNS)
    [0, 3]
    """
    return list(compress(count(), map(wanted.__contains__, values)))


def _mention(table: ParseTable, first: int, last: int, kind: str, label: str | None,
             head: int | None = None, titles: tuple[str, ...] = ()) -> EntityMention:
    return EntityMention(table.span_text(first, last + 1), table.idx[first],
                         table.idx[last] + len(table.text[last]), kind, label, first, last,
                         last if head is None else head, titles)


# -- names ------------------------------------------------------------------------------------


def _names(table: ParseTable):
    for start, end, label in table.entities:
        if label in _IGNORED_LABELS:
            continue
        if label in VALUE_LABELS:
            if _is_product_number(table, start, end):
                continue
            yield _mention(table, start, end - 1, "value", label)
            continue
        for first, last in _name_parts(table, start, end):
            yield from _trimmed_name(table, first, last, label)


def _is_product_number(table: ParseTable, start: int, end: int) -> bool:
    """"6" in "Internet Explorer 6": a number that ends a name is part of the name."""
    head = table.head[start]
    return (end - start == 1 and table.dep[start] == "nummod" and table.pos[head] == "PROPN"
            and start == head + 1)


def _name_parts(table: ParseTable, start: int, end: int) -> list[tuple[int, int]]:
    """Split the named entity of tokens ``start`` to ``end`` (exclusive) at possessives and
    at a coordination of whole names."""
    parts: list[tuple[int, int]] = []
    first = start
    for i in range(start, end):
        cut = table.text[i] in _POSSESSIVES or table.tag[i] == "POS"
        coordinated = (table.dep[i] in {"cc", "punct"} and i + 1 < end
                       and _is_conjunct_of(table, i + 1, start, end))
        if cut or coordinated:
            if i > first:
                parts.append((first, i - 1))
            first = i + 1
    if first < end:
        parts.append((first, end - 1))
    return parts


def _is_conjunct_of(table: ParseTable, i: int, start: int, end: int) -> bool:
    """Whether token ``i`` starts a name coordinated with the root name of tokens ``start``
    to ``end`` (exclusive).

    "Ant and Tencent" is split, "National Development and Reform Commission" is not: there
    the conjunct hangs on "Development", a word inside the name.
    """
    dep, head = table.dep, table.head
    while dep[i] in {"compound", "flat"} and start <= head[i] < end:
        i = head[i]
    if dep[i] != "conj" or not start <= head[i] < end:
        return False
    root = _span_root(table, start, end)
    return head[i] == root or root in table.conjuncts(head[i])


def _trimmed_name(table: ParseTable, first: int, last: int, label: str):
    """The name without leading articles and titles or a trailing possessive or punctuation."""
    text, lower, punct = table.text, table.lower, table.is_punct
    titles = []
    while first <= last and (lower[first] in _DETERMINERS or punct[first]):
        first += 1
    while first < last and label == "PERSON" and lower[first].rstrip(".") in TITLES:
        titles.append(lower[first].rstrip("."))
        first += 1
    while last >= first and (text[last] in _POSSESSIVES or table.tag[last] == "POS"
                             or (punct[last] and text[last] not in ".")):
        last -= 1
    if first > last:
        return
    last = _with_product_number(table, last)
    if first < last and lower[last].rstrip(".") in CORPORATE_SUFFIXES:
        label = "ORG"  # "Jack Ma’s Ant Group" is one PERSON span to the small model
    titles.extend(_preceding_titles(table, first))
    yield _mention(table, first, last, "name", label, titles=tuple(dict.fromkeys(titles)))


def _with_product_number(table: ParseTable, last: int) -> int:
    following = last + 1
    if (following < len(table.text) and table.dep[following] == "nummod"
            and table.head[following] == last and table.doc[following].like_num):
        return following
    return last


def _preceding_titles(table: ParseTable, first: int) -> list[str]:
    """Title-like words right before a name: "Premier Li Qiang", "video-sharing site Bilibili"."""
    found = []
    i = first - 1
    while i >= 0 and table.dep[i] in {"compound", "amod", "nmod"} and table.head[i] >= first:
        pos = table.pos[i]
        if pos in {"NOUN", "PROPN"} and (pos == "NOUN"
                                         or table.lower[i].rstrip(".") in TITLES):
            found.append(table.lemma(i).lower().rstrip("."))
        i -= 1
    return found


def _unlabelled_names(table: ParseTable, covered: set[int]):
    """Runs of proper nouns that no named entity covers ("Douyin", "Tmall").

    Not in lines written in title case ("China Shows a Positive Attitude"), where the tagger
    calls every capitalised word a proper noun.
    """
    pos, text = table.pos, table.text
    n = len(pos)
    headline: set[int] | None = None  # worked out for the first run only
    end = -1  # the last token of the run before
    for i in [i for i in _positions(pos, {"PROPN"}) if i not in covered]:
        if i <= end or not text[i][:1].isalnum():
            continue
        if headline is None:
            headline = _title_case_tokens(table)
        if i in headline:
            continue
        j = i
        while j + 1 < n and pos[j + 1] == "PROPN" and j + 1 not in covered:
            j += 1
        first = i
        while first <= j and table.lower[first].rstrip(".") in TITLES:
            first += 1
        # A capitalised plural opening a sentence is a common noun ("Regulators fined ...").
        opening_plural = first == j and table.sent_start[j] and table.tag[j] == "NNPS"
        if first <= j and not opening_plural:
            yield _mention(table, first, _with_product_number(table, j), "name", None,
                           titles=tuple(_preceding_titles(table, first)))
        end = j


def _title_case_tokens(table: ParseTable) -> set[int]:
    """Tokens of headlines: sentences without final punctuation whose words (three or more)
    nearly all start with a capital."""
    text, space = table.text, table.is_space
    found: set[int] = set()
    for start, end in table.sentences:
        ending = next((i for i in range(end - 1, start - 1, -1) if not space[i]), None)
        if ending is not None and text[ending] in {".", "!", "?", '"', "”"}:
            continue
        words = [t.text for t in table.doc[start:end] if t.is_alpha and not t.is_stop]
        if len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words):
            found.update(range(start, end))
    return found


# -- nominals, groups, pronouns ----------------------------------------------------------------

#: Dependencies of the heads of spaCy's English noun chunks.
_CHUNK_DEPS = {"oprd", "nsubj", "dobj", "nsubjpass", "pcomp", "pobj", "dative", "appos",
               "attr", "ROOT"}


def _nominals(table: ParseTable):
    """Common-noun phrases: spaCy's noun chunks headed by a common noun."""
    for start, end in _noun_chunks(table):
        root = _span_root(table, start, end)
        if table.pos[root] not in _NOMINAL_POS:
            continue
        first = start
        while first < root and (table.is_punct[first] or table.is_space[first]):
            first += 1
        yield _mention(table, first, root, "nominal", None, head=root)


def _noun_chunks(table: ParseTable):
    """The spans of ``Doc.noun_chunks`` as spaCy's English syntax iterator finds them,
    without building a ``Span`` per chunk or a ``Token`` per word."""
    pos, dep, head, children = table.pos, table.dep, table.head, table.children
    prev_end = -1
    for i in _positions(pos, {"NOUN", "PROPN", "PRON"}):
        if dep[i] not in _CHUNK_DEPS:
            if dep[i] != "conj":
                continue
            h = head[i]
            while dep[h] == "conj" and head[h] < h:
                h = head[h]
            if dep[h] not in _CHUNK_DEPS:
                continue
        # spaCy's own edge (non-projective parses bend it), which is the token itself for
        # a token without children, as most pronouns and bare nouns are
        left = table.left_edge(i) if children[i] else i
        if left > prev_end:
            prev_end = i
            yield left, i + 1


def _span_root(table: ParseTable, start: int, end: int) -> int:
    """``Span.root`` of tokens ``start`` to ``end`` (exclusive): a sentence root in it, else
    the token nearest the root among those whose head is outside, spaCy's way."""
    head = table.head
    if end - start == 1:
        return start
    outside = []  # the tokens whose head is outside the span
    for i in range(start, end):
        if head[i] == i:
            return i
        if not start <= head[i] < end:
            outside.append(i)
    if len(outside) == 1:  # most noun phrases: no depths to compare
        return outside[0]
    best, root = len(head), -1
    for i in outside:
        if (table.is_space[i] or table.is_punct[i]) and not table.children[i]:
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


def _groups(table: ParseTable):
    """Coordinations of nouns or names: "Alibaba and Tencent", "exports and spending"; not
    the coordination inside a name ("National Development and Reform Commission")."""
    pos, dep, head = table.pos, table.dep, table.head
    # a token without a "conj" child has no conjuncts
    for i in sorted({head[c] for c in table.by_dep.get("conj", ()) if head[c] != c}):
        if dep[i] in {"conj", "compound", "nmod", "amod"} or pos[i] not in {"NOUN", "PROPN"}:
            continue
        conjuncts = table.conjuncts(i)
        if not conjuncts:
            continue
        members = sorted((i, *conjuncts))
        if any(pos[m] not in {"NOUN", "PROPN"} for m in members):
            continue
        yield _mention(table, _left_edge(table, members[0]), members[-1], "group", None,
                       head=i)


def _left_edge(table: ParseTable, i: int) -> int:
    """Start of a noun phrase without its leading punctuation."""
    first = table.left_edge(i)
    while first < i and (table.is_punct[first] or table.is_space[first]):
        first += 1
    return first


def _pronouns(table: ParseTable):
    """Third-person pronouns; not a capitalised one inside a line ("The Tech Crackdown and
    Its Impact"), which is a headline's, with nothing before it to refer to."""
    for i in _positions(table.lower, PRONOUNS):
        if table.pos[i] != "PRON" and table.tag[i] != "PRP$":
            continue
        if table.text[i][0].isupper() and not table.sent_start[i]:
            continue
        yield _mention(table, i, i, "pronoun", None)
