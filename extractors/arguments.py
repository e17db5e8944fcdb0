"""From a head token to an ``Argument``: the full phrase, the entity head, and conjuncts.

Rules only choose head tokens; this module decides how far a phrase reaches, which entity it
names and how coordinated phrases split ("Alibaba and Tencent" gives two arguments), so that
every rule treats phrases the same way. The work is done on token positions in the
document's ``ParseTable`` (see ``extractors.parse_table``).
"""

from __future__ import annotations

from extractors.parse_table import ParseTable
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
_EDGE_FILLER_DEPS = {"punct", "cc"}


def conjuncts(table: ParseTable, i: int) -> list[int]:
    """Token ``i`` and every token coordinated with it, in sentence order.

    "Alibaba and Tencent" -> [Alibaba, Tencent]; spaCy attaches later conjuncts to the first.
    """
    return sorted([*table.conjuncts(i), i])


def resolve_relative(table: ParseTable, i: int) -> int:
    """Replace a relative pronoun by the noun its clause modifies.

    In "Ant Group, which canceled its IPO," the subject "which" stands for "Ant Group". When
    that noun is itself the complement of "is" ("Celeski is an Australian footballer who
    plays for the Newcastle Jets"), the pronoun stands for the copula's subject, "Celeski".
    """
    head, dep = table.head, table.dep
    if table.tag[i] not in _RELATIVE_PRONOUN_TAGS or dep[head[i]] != "relcl":
        return i
    noun = head[head[i]]
    if dep[noun] == "attr" and table.lemma(head[noun]) == "be":
        for child in table.children[head[noun]]:
            if dep[child] == "nsubj":
                return child
    return noun


def phrase_bounds(table: ParseTable, head: int, inside: int | None = None) -> tuple[int, int]:
    """The first and last token of the phrase headed by ``head``, without coordinated or
    clausal parts.

    ``inside`` is the other argument of the fact: when it sits inside this phrase ("Jack Ma,
    co-founder of Alibaba" for the apposition, "Alibaba's cloud division" for the possessor),
    its words are left out, so that no argument repeats the other.

    >>> from extractors.nlp import load_model
    >>> from extractors.parse_table import parse_table
    >>> table = parse_table(load_model()("Alibaba's cloud division grew."))
    >>> phrase_bounds(table, 3), phrase_bounds(table, 3, inside=0)
    ((0, 3), (2, 3))
    """
    dep, children = table.dep, table.children
    towards = table.child_towards(head, inside) if inside is not None else None
    kept = [child for child in children[head] if child != towards and (
        dep[child] not in _PHRASE_CUT_DEPS or _is_close_apposition(table, child))]
    # the kept children's subtrees, but for the clauses below them
    for token in kept:
        kept.extend([c for c in children[token] if dep[c] not in _CLAUSE_CUT_DEPS])
    kept.append(head)
    return _contiguous_around(table, kept, head)


def _is_close_apposition(table: ParseTable, i: int) -> bool:
    """An apposition written without a comma is part of the phrase: "the French socialist
    Henri de Saint-Simon", "author Bill Bryson"."""
    if table.dep[i] != "appos":
        return False
    first, last = sorted((table.head[i], table.left_edge(i)))
    return not any(table.is_punct[first + 1 : last + 1])


_CLAUSE_CUT_DEPS = {"relcl", "advcl", "parataxis"}


def _contiguous_around(table: ParseTable, tokens: list[int], head: int) -> tuple[int, int]:
    """The first and last token of the unbroken run of ``tokens`` (distinct, in any order)
    containing the head, trimmed of edge punctuation."""
    start, end = min(tokens), max(tokens)
    if end - start + 1 != len(tokens):  # gaps: the run is what reaches the head
        at = set(tokens)
        start = end = head
        while start - 1 in at:
            start -= 1
        while end + 1 in at:
            end += 1
    while start < end and start != head and _is_edge_filler(table, start):
        start += 1
    while end > start and end != head and _is_edge_filler(table, end):
        end -= 1
    return _quoted(table, start, _balanced(table, start, end))


_CLOSERS = {"(": ")", "[": "]", "{": "}", "“": "”", "‘": "’", "``": "''", '"': '"', "`": "'"}


def _balanced(table: ParseTable, start: int, end: int) -> int:
    """The last token of the run ``start`` to ``end`` once the brackets and quotes it opens
    are closed: "Douyin (owned by ByteDance)" keeps ")"."""
    text = table.text
    texts = text[start:end + 1]
    if _CLOSERS.keys().isdisjoint(texts):
        return end
    for opener, closer in _CLOSERS.items():
        opened = texts.count(opener) - (texts.count(closer) if opener != closer else 0)
        if opener == closer:
            opened = texts.count(opener) % 2
        after = end + 1
        if opened > 0 and after < len(text) and text[after] == closer:
            end = after
            texts.append(closer)
    return end


def _quoted(table: ParseTable, start: int, last: int) -> tuple[int, int]:
    """The run ``start`` to ``last`` with the quotation marks that enclose it whole:
    `` Kormoran '' was a ship.

    A quotation may end in the comma or stop of the sentence around it ("`` We will
    appeal , '' he said"); the closing mark then comes one token later.
    """
    text = table.text
    end = last + 1
    if start == 0 or text[start - 1] not in _QUOTES:
        return start, last
    closer = _CLOSERS[text[start - 1]]
    if end < len(text) - 1 and text[end] in {",", "."} and text[end + 1] == closer:
        end += 1
    if end < len(text) and text[end] == closer:
        return start - 1, end
    return start, last


_QUOTES = {"“", "‘", "``", '"', "`"}


def _is_edge_filler(table: ParseTable, i: int) -> bool:
    return table.dep[i] in _EDGE_FILLER_DEPS or table.is_space[i] or table.tag[i] == "POS"


def entity_head(table: ParseTable, head: int) -> tuple[int, int, str | None]:
    """The first and last token of the entity a phrase headed by token ``head`` names, and
    its NER label.

    A named entity covering the head wins ("Premier Li Qiang" -> "Li Qiang", PERSON); otherwise
    the head noun with its compounds ("China's Internet shares" -> "Internet shares").
    """
    dep = table.dep
    if table.ent_type[head] in ENTITY_LABELS:
        start, end, label = entity_bounds(table, head)
        tokens = [i for i in range(start, end) if not (
            dep[i] == "case" or table.tag[i] == "POS" or (i == start and dep[i] == "det"))]
        if tokens:
            return tokens[0], tokens[-1], label
    first = last = head
    for child in reversed([c for c in table.children[head] if c < head]):
        if dep[child] in _HEAD_KEEP_DEPS and child == first - 1:
            edge = table.left_edge(child)
            first = edge if dep[edge] in _HEAD_KEEP_DEPS else child
        elif dep[child] in _HEAD_DROP_DEPS or child != first - 1:
            break
    return first, last, None


def entity_bounds(table: ParseTable, i: int) -> tuple[int, int, str]:
    """Start, end (exclusive) and label of the named entity token ``i`` is part of; the
    token alone, unlabelled, if it is in none.

    Read off the tokens' IOB tags around it, as ``Doc.ents`` does, instead of building every
    entity of the document for each question.

    >>> from extractors.nlp import load_model
    >>> from extractors.parse_table import parse_table
    >>> table = parse_table(load_model()("Premier Li Qiang met executives."))
    >>> entity_bounds(table, 2), entity_bounds(table, 3)
    ((1, 3, 'PERSON'), (3, 4, ''))
    """
    iob = table.ent_iob
    if iob[i] not in {"B", "I"}:
        return i, i + 1, ""
    start, end = i, i + 1
    while start > 0 and iob[start] == "I":
        start -= 1
    while end < len(iob) and iob[end] == "I":
        end += 1
    return start, end, table.ent_type[start]


def make_argument(table: ParseTable, head: int, inside: int | None = None) -> Argument:
    """Build the two-view ``Argument`` for the phrase headed by token ``head``."""
    head = resolve_relative(table, head)
    if table.pos[head] in {"VERB", "AUX"}:
        # A clause is an argument whole ("that he is moving aggressively to negotiate ..."),
        # without its complementiser, which belongs to the relation.
        tokens = [i for i in table.tokens_under(head)
                  if not (table.dep[i] == "mark" and table.head[i] == head)]
        start, end = _contiguous_around(table, tokens, head)
    else:
        start, end = phrase_bounds(table, head, inside)
    first, last, label = entity_head(table, head)
    return _argument(table, start, end, first, last, label, nominal=(
        table.pos[head] in NOMINAL_POS and table.ent_type[head] not in _TIME_LABELS))


def make_extra_argument(table: ParseTable, i: int) -> Argument:
    """A further argument of an n-ary fact: a prepositional phrase with its preposition.

    "fined Ant Group for violations": the extra argument is "for violations", head "violations".
    """
    objects = [c for c in table.children[i] if table.dep[c] in {"pobj", "pcomp"}]
    head = objects[0] if objects else i
    first, last, label = entity_head(table, head)
    if table.pos[i] in {"VERB", "AUX"}:
        start, end = _contiguous_around(table, table.tokens_under(i), i)  # a time clause, whole
    elif objects:
        start, end = phrase_bounds(table, head)
        start, end = min(start, i), max(end, i)
    else:
        start, end = phrase_bounds(table, i)
    return _argument(table, start, end, first, last, label)


def _argument(table: ParseTable, start: int, end: int, first: int, last: int,
              label: str | None, nominal: bool = True) -> Argument:
    """The argument over tokens ``start`` to ``end`` (inclusive) whose entity head runs from
    ``first`` to ``last``; offsets are characters. The words between belong to the text, as
    the document writes it."""
    text, idx = table.text, table.idx
    # positional: a value's __init__ takes them faster than keywords
    return Argument(table.span_text(start, end + 1), idx[start], idx[end] + len(text[end]),
                    text[first] if first == last else table.span_text(first, last + 1),
                    idx[first], idx[last] + len(text[last]), label, nominal)
