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

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

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


def find_mentions(doc: Doc) -> list[EntityMention]:
    """Every mention in the document, in text order (outer mentions before nested ones).

    >>> from extractors import load_model
    >>> doc = load_model()("Regulators fined Jack Ma’s Ant Group. It paid.")
    >>> [(m.text, m.kind) for m in find_mentions(doc)]
    [('Regulators', 'nominal'), ('Jack Ma', 'name'), ('Ant Group', 'name'), ('It', 'pronoun')]
    """
    found: dict[tuple[int, int], EntityMention] = {}
    names = list(_names(doc))
    covered = {i for m in names for i in range(m.first, m.last + 1)}
    for mention in [*names, *_unlabelled_names(doc, covered), *_nominals(doc),
                    *_groups(doc), *_pronouns(doc)]:
        found.setdefault((mention.first, mention.last), mention)
    return sorted(found.values(), key=lambda m: (m.start, -m.end))


def _mention(doc: Doc, first: int, last: int, kind: str, label: str | None,
             head: int | None = None, titles: tuple[str, ...] = ()) -> EntityMention:
    span = doc[first : last + 1]
    return EntityMention(span.text, span.start_char, span.end_char, kind, label, first, last,
                         last if head is None else head, titles)


# -- names ------------------------------------------------------------------------------------


def _names(doc: Doc):
    for ent in doc.ents:
        if ent.label_ in _IGNORED_LABELS:
            continue
        if ent.label_ in VALUE_LABELS:
            if _is_product_number(ent):
                continue
            yield _mention(doc, ent.start, ent.end - 1, "value", ent.label_)
            continue
        for first, last in _name_parts(ent):
            yield from _trimmed_name(doc, first, last, ent.label_)


def _is_product_number(ent: Span) -> bool:
    """"6" in "Internet Explorer 6": a number that ends a name is part of the name."""
    token = ent[0]
    return (len(ent) == 1 and token.dep_ == "nummod" and token.head.pos_ == "PROPN"
            and token.i == token.head.i + 1)


def _name_parts(ent: Span) -> list[tuple[int, int]]:
    """Split a named-entity span at possessives and at a coordination of whole names."""
    parts: list[tuple[int, int]] = []
    start = ent.start
    root = ent.root
    for token in ent:
        cut = token.text in _POSSESSIVES or token.tag_ == "POS"
        coordinated = (token.dep_ in {"cc", "punct"} and token.i + 1 < ent.end
                       and _is_conjunct_of(ent.doc[token.i + 1], root, ent))
        if cut or coordinated:
            if token.i > start:
                parts.append((start, token.i - 1))
            start = token.i + 1
    if start < ent.end:
        parts.append((start, ent.end - 1))
    return parts


def _is_conjunct_of(token: Token, root: Token, ent: Span) -> bool:
    """Whether ``token`` starts a name coordinated with the span's root name.

    "Ant and Tencent" is split, "National Development and Reform Commission" is not: there
    the conjunct hangs on "Development", a word inside the name.
    """
    while token.dep_ in {"compound", "flat"} and ent.start <= token.head.i < ent.end:
        token = token.head
    return token.dep_ == "conj" and token.head in ent and (
        token.head == root or token.head.conjuncts and root in token.head.conjuncts)


def _trimmed_name(doc: Doc, first: int, last: int, label: str):
    """The name without leading articles and titles or a trailing possessive or punctuation."""
    titles = []
    while first <= last and (doc[first].lower_ in _DETERMINERS or doc[first].is_punct):
        first += 1
    while first < last and label == "PERSON" and doc[first].lower_.rstrip(".") in TITLES:
        titles.append(doc[first].lower_.rstrip("."))
        first += 1
    while last >= first and (doc[last].text in _POSSESSIVES or doc[last].tag_ == "POS"
                             or (doc[last].is_punct and doc[last].text not in ".")):
        last -= 1
    if first > last:
        return
    last = _with_product_number(doc, last)
    if first < last and doc[last].lower_.rstrip(".") in CORPORATE_SUFFIXES:
        label = "ORG"  # "Jack Ma’s Ant Group" is one PERSON span to the small model
    titles.extend(_preceding_titles(doc, first))
    yield _mention(doc, first, last, "name", label, titles=tuple(dict.fromkeys(titles)))


def _with_product_number(doc: Doc, last: int) -> int:
    following = doc[last + 1] if last + 1 < len(doc) else None
    if (following is not None and following.like_num and following.dep_ == "nummod"
            and following.head.i == last):
        return last + 1
    return last


def _preceding_titles(doc: Doc, first: int) -> list[str]:
    """Title-like words right before a name: "Premier Li Qiang", "video-sharing site Bilibili"."""
    found = []
    i = first - 1
    while i >= 0 and doc[i].dep_ in {"compound", "amod", "nmod"} and doc[i].head.i >= first:
        word = doc[i]
        if word.pos_ in {"NOUN", "PROPN"} and (word.pos_ == "NOUN"
                                               or word.lower_.rstrip(".") in TITLES):
            found.append(word.lemma_.lower().rstrip("."))
        i -= 1
    return found


def _unlabelled_names(doc: Doc, covered: set[int]):
    """Runs of proper nouns that no named entity covers ("Douyin", "Tmall").

    Not in lines written in title case ("China Shows a Positive Attitude"), where the tagger
    calls every capitalised word a proper noun.
    """
    headline = _title_case_tokens(doc)
    i = 0
    while i < len(doc):
        if (doc[i].pos_ != "PROPN" or i in covered or i in headline
                or not doc[i].text[:1].isalnum()):
            i += 1
            continue
        j = i
        while j + 1 < len(doc) and doc[j + 1].pos_ == "PROPN" and j + 1 not in covered:
            j += 1
        first = i
        while first <= j and doc[first].lower_.rstrip(".") in TITLES:
            first += 1
        # A capitalised plural opening a sentence is a common noun ("Regulators fined ...").
        opening_plural = first == j and doc[j].is_sent_start and doc[j].tag_ == "NNPS"
        if first <= j and not opening_plural:
            yield _mention(doc, first, _with_product_number(doc, j), "name", None,
                           titles=tuple(_preceding_titles(doc, first)))
        i = j + 1


def _title_case_tokens(doc: Doc) -> set[int]:
    """Tokens of headlines: sentences without final punctuation whose words (three or more)
    nearly all start with a capital."""
    found: set[int] = set()
    for sentence in doc.sents:
        words = [t for t in sentence if t.is_alpha and not t.is_stop]
        ending = [t for t in sentence if not t.is_space]
        if ending and ending[-1].text in {".", "!", "?", '"', "”"}:
            continue
        if len(words) >= 3 and sum(t.text[0].isupper() for t in words) >= 0.8 * len(words):
            found.update(range(sentence.start, sentence.end))
    return found


# -- nominals, groups, pronouns ----------------------------------------------------------------


def _nominals(doc: Doc):
    """Common-noun phrases: spaCy's noun chunks headed by a common noun."""
    for chunk in doc.noun_chunks:
        root = chunk.root
        if root.pos_ not in _NOMINAL_POS:
            continue
        first = chunk.start
        while first < root.i and (doc[first].is_punct or doc[first].is_space):
            first += 1
        yield _mention(doc, first, root.i, "nominal", None, head=root.i)


def _groups(doc: Doc):
    """Coordinations of nouns or names: "Alibaba and Tencent", "exports and spending"; not
    the coordination inside a name ("National Development and Reform Commission")."""
    for token in doc:
        if (token.dep_ in {"conj", "compound", "nmod", "amod"} or not token.conjuncts
                or token.pos_ not in {"NOUN", "PROPN"}):
            continue
        members = sorted((token, *token.conjuncts), key=lambda t: t.i)
        if any(m.pos_ not in {"NOUN", "PROPN"} for m in members):
            continue
        first = _left_edge(members[0])
        last = members[-1].i
        yield _mention(doc, first, last, "group", None, head=token.i)


def _left_edge(token: Token) -> int:
    """Start of a noun phrase without its leading punctuation."""
    first = token.left_edge.i
    while first < token.i and (token.doc[first].is_punct or token.doc[first].is_space):
        first += 1
    return first


def _pronouns(doc: Doc):
    """Third-person pronouns; not a capitalised one inside a line ("The Tech Crackdown and
    Its Impact"), which is a headline's, with nothing before it to refer to."""
    for token in doc:
        if token.lower_ not in PRONOUNS or (token.pos_ != "PRON" and token.tag_ != "PRP$"):
            continue
        if token.text[0].isupper() and not token.is_sent_start:
            continue
        yield _mention(doc, token.i, token.i, "pronoun", None)
