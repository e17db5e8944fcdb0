"""From a head token to an ``Argument``: the full phrase, the entity head, and conjuncts.

Rules only choose head tokens; this module decides how far a phrase reaches, which entity it
names and how coordinated phrases split ("Alibaba and Tencent" gives two arguments), so that
every rule treats phrases the same way.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from extractors.triple import Argument

#: Children that end a phrase: coordination is split off, clauses are facts of their own.
_PHRASE_CUT_DEPS = {"conj", "cc", "preconj", "relcl", "advcl", "parataxis", "mark", "appos"}
#: Words that may open a phrase but never its entity head.
_HEAD_DROP_DEPS = {"det", "predet", "poss", "case", "amod", "nummod", "quantmod", "advmod",
                   "punct", "prep", "acl", "appos", "neg", "aux", "cc", "conj", "relcl"}
_HEAD_KEEP_DEPS = {"compound", "flat", "nmod"}
#: NER labels that name things (graph nodes); numeric labels are qualifiers, not entities.
ENTITY_LABELS = {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT",
                 "WORK_OF_ART", "LAW", "LANGUAGE"}
#: Parts of speech that can head an entity-like argument (a graph node).
NOMINAL_POS = {"NOUN", "PROPN", "PRON", "NUM", "X", "SYM"}
_TIME_LABELS = {"DATE", "TIME"}
_RELATIVE_PRONOUN_TAGS = {"WDT", "WP", "WP$"}
_EDGE_PUNCT = {"punct"}


def conjuncts(token: Token) -> list[Token]:
    """The token and every token coordinated with it, in sentence order.

    "Alibaba and Tencent" -> [Alibaba, Tencent]; spaCy attaches later conjuncts to the first.
    """
    return sorted(token.conjuncts + (token,), key=lambda t: t.i)


def resolve_relative(token: Token) -> Token:
    """Replace a relative pronoun by the noun its clause modifies.

    In "Ant Group, which canceled its IPO," the subject "which" stands for "Ant Group". When
    that noun is itself the complement of "is" ("Celeski is an Australian footballer who
    plays for the Newcastle Jets"), the pronoun stands for the copula's subject, "Celeski".
    """
    if token.tag_ not in _RELATIVE_PRONOUN_TAGS or token.head.dep_ != "relcl":
        return token
    noun = token.head.head
    if noun.dep_ == "attr" and noun.head.lemma_ == "be":
        for child in noun.head.children:
            if child.dep_ == "nsubj":
                return child
    return noun


def phrase_tokens(head: Token, inside: Token | None = None) -> list[Token]:
    """The tokens of the phrase headed by ``head``, without coordinated or clausal parts.

    ``inside`` is the other argument of the fact: when it sits inside this phrase ("Jack Ma,
    co-founder of Alibaba" for the apposition, "Alibaba's cloud division" for the possessor),
    its words are left out, so that no argument repeats the other.
    """
    kept = [head]
    for child in head.children:
        if inside is not None and (inside == child or child.is_ancestor(inside)):
            continue
        if child.dep_ in _PHRASE_CUT_DEPS and not _is_close_apposition(child):
            continue
        kept.extend(_subtree_without_cuts(child))
    kept.sort(key=lambda t: t.i)
    return _contiguous_around(kept, head)


def _is_close_apposition(token: Token) -> bool:
    """An apposition written without a comma is part of the phrase: "the French socialist
    Henri de Saint-Simon", "author Bill Bryson"."""
    if token.dep_ != "appos":
        return False
    first, last = sorted((token.head.i, token.left_edge.i))
    return not any(t.is_punct for t in token.doc[first + 1 : last + 1])


def _subtree_without_cuts(token: Token) -> list[Token]:
    found = [token]
    for child in token.children:
        if child.dep_ in {"relcl", "advcl", "parataxis"}:
            continue
        found.extend(_subtree_without_cuts(child))
    return found


def _contiguous_around(tokens: list[Token], head: Token) -> list[Token]:
    """Keep the unbroken run of tokens containing the head, trimmed of edge punctuation."""
    at = {t.i: t for t in tokens}
    start = end = head.i
    while start - 1 in at:
        start -= 1
    while end + 1 in at:
        end += 1
    run = [at.get(i, head) for i in range(start, end + 1)]
    while len(run) > 1 and _is_edge_filler(run[0]) and run[0] != head:
        run.pop(0)
    while len(run) > 1 and _is_edge_filler(run[-1]) and run[-1] != head:
        run.pop()
    return _quoted(_balanced(run))


_CLOSERS = {"(": ")", "[": "]", "{": "}", "“": "”", "‘": "’", "``": "''", '"': '"', "`": "'"}


def _balanced(run: list[Token]) -> list[Token]:
    """Close a bracket or quote the phrase opens: "Douyin (owned by ByteDance)" keeps ")"."""
    texts = [t.text for t in run]
    if _CLOSERS.keys().isdisjoint(texts):
        return run
    doc = run[0].doc
    for opener, closer in _CLOSERS.items():
        opened = texts.count(opener) - (texts.count(closer) if opener != closer else 0)
        if opener == closer:
            opened = texts.count(opener) % 2
        end = run[-1].i + 1
        if opened > 0 and end < len(doc) and doc[end].text == closer:
            run = [*run, doc[end]]
            texts.append(closer)
    return run


def _quoted(run: list[Token]) -> list[Token]:
    """Take in the quotation marks that enclose the whole phrase: `` Kormoran '' was a ship.

    A quotation may end in the comma or stop of the sentence around it ("`` We will
    appeal , '' he said"); the closing mark then comes one token later.
    """
    doc = run[0].doc
    start, end = run[0].i, run[-1].i + 1
    if start == 0 or doc[start - 1].text not in _QUOTES:
        return run
    closer = _CLOSERS[doc[start - 1].text]
    if end < len(doc) - 1 and doc[end].text in {",", "."} and doc[end + 1].text == closer:
        end += 1
    if end < len(doc) and doc[end].text == closer:
        return [doc[start - 1], *run, *doc[run[-1].i + 1 : end + 1]]
    return run


_QUOTES = {"“", "‘", "``", '"', "`"}


def _is_edge_filler(token: Token) -> bool:
    return token.dep_ in _EDGE_PUNCT or token.dep_ == "cc" or token.is_space or token.tag_ == "POS"


def entity_head(head: Token) -> tuple[Token, Token, str | None]:
    """The first and last token of the entity a phrase names, and its NER label.

    A named entity covering the head wins ("Premier Li Qiang" -> "Li Qiang", PERSON); otherwise
    the head noun with its compounds ("China's Internet shares" -> "Internet shares").
    """
    if head.ent_type_ in ENTITY_LABELS:
        span = entity_span(head)
        tokens = [t for t in span if not (t.dep_ == "case" or t.tag_ == "POS" or
                                          (t.i == span.start and t.dep_ == "det"))]
        if tokens:
            return tokens[0], tokens[-1], span.label_
    first = last = head
    for child in reversed(list(head.lefts)):
        if child.dep_ in _HEAD_KEEP_DEPS and child.i == first.i - 1:
            first = child.left_edge if child.left_edge.dep_ in _HEAD_KEEP_DEPS else child
        elif child.dep_ in _HEAD_DROP_DEPS or child.i != first.i - 1:
            break
    return first, last, None


def entity_span(token: Token) -> Span:
    """The named entity the token is part of, or the token alone if it is in none.

    Read off the tokens' IOB tags around it, as ``Doc.ents`` does, instead of building every
    entity of the document for each question.

    >>> from extractors.nlp import load_model
    >>> doc = load_model()("Premier Li Qiang met executives.")
    >>> entity_span(doc[2]), entity_span(doc[2]).label_, entity_span(doc[3])
    (Li Qiang, 'PERSON', met)
    """
    doc = token.doc
    if token.ent_iob_ not in {"B", "I"}:
        return doc[token.i : token.i + 1]
    start, end = token.i, token.i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=doc[start].ent_type)


def make_argument(head: Token, inside: Token | None = None) -> Argument:
    """Build the two-view ``Argument`` for the phrase headed by ``head``."""
    head = resolve_relative(head)
    if head.pos_ in {"VERB", "AUX"}:
        # A clause is an argument whole ("that he is moving aggressively to negotiate ..."),
        # without its complementiser, which belongs to the relation.
        tokens = [t for t in head.subtree if not (t.dep_ == "mark" and t.head == head)]
        tokens = _contiguous_around(tokens, head)
    else:
        tokens = phrase_tokens(head, inside)
    first, last, label = entity_head(head)
    return _argument(tokens, first, last, label,
                     nominal=head.pos_ in NOMINAL_POS and head.ent_type_ not in _TIME_LABELS)


def make_extra_argument(token: Token) -> Argument:
    """A further argument of an n-ary fact: a prepositional phrase with its preposition.

    "fined Ant Group for violations": the extra argument is "for violations", head "violations".
    """
    objects = [c for c in token.children if c.dep_ in {"pobj", "pcomp"}]
    head = objects[0] if objects else token
    first, last, label = entity_head(head)
    if token.pos_ in {"VERB", "AUX"}:
        tokens = _contiguous_around(list(token.subtree), token)  # a time clause, whole
    else:
        tokens = [token, *phrase_tokens(head)] if objects else phrase_tokens(token)
    tokens.sort(key=lambda t: t.i)
    return _argument(tokens, first, last, label)


def _argument(tokens: list[Token], first: Token, last: Token, label: str | None,
              nominal: bool = True) -> Argument:
    """The argument over ``tokens`` (in order) whose entity head runs from ``first`` to
    ``last``; offsets are characters."""
    return Argument(text=_text(tokens), start=tokens[0].idx, end=tokens[-1].idx + len(tokens[-1]),
                    head=first.text if first == last else first.doc[first.i : last.i + 1].text,
                    head_start=first.idx, head_end=last.idx + len(last), entity_type=label,
                    nominal=nominal)


def _text(tokens: list[Token]) -> str:
    """The text from the first token to the last, as the document writes it."""
    first, last = tokens[0], tokens[-1]
    if last.i - first.i + 1 != len(tokens):  # gaps: the words between belong to the text
        return first.doc[first.i : last.i + 1].text
    return "".join([t.text_with_ws for t in tokens[:-1]]) + last.text
