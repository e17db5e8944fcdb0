"""What the rules ask of a verb: its subject, its object, its relation words.

Dependency labels are those of spaCy's English models (ClearNLP style). Every rule asks the
same questions of the same verbs, so the answers that take a walk over the parse are kept for
the last few sentences and verbs asked about (``functools.lru_cache``; tokens and spans are
equal only within one ``Doc``, and the answers are tokens or tuples, never changed after).
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Span, Token

from extractors.parse_table import parse_table

#: Subjects; a clause can be one too: "Accomplishing both will be a balancing act".
NOMINAL_SUBJECT_DEPS = {"nsubj", "csubj"}
PASSIVE_SUBJECT_DEPS = {"nsubjpass", "csubjpass"}
OBJECT_DEPS = {"dobj"}
AUXILIARY_DEPS = {"aux", "auxpass"}
PARTICLE_DEPS = {"prt"}
TIME_ENTITY_LABELS = {"DATE", "TIME"}
#: Conjunctions that make a clause a time frame: "after leaving", "before passing out".
TEMPORAL_MARKS = {"after", "before", "until", "since", "while", "when", "once"}


def is_predicate(token: Token) -> bool:
    """Verbs (and auxiliaries used as main verbs) that can head a clause.

    A participle ("-ed", "-en") with a passive auxiliary is one even when tagged as an
    adjective: the small model reads "Staff were only informed of the decision" with
    "informed" as JJ.
    """
    if token.dep_ in AUXILIARY_DEPS:
        return False
    return token.pos_ in {"VERB", "AUX"} or (
        token.pos_ == "ADJ" and token.lower_.endswith(("ed", "en"))
        and any(c.dep_ == "auxpass" for c in token.children))


def subject_of(verb: Token, deps: set[str] = NOMINAL_SUBJECT_DEPS) -> Token | None:
    """The verb's subject, inherited from the first verb of a coordination when missing.

    "Regulators criticized and penalized these companies": "penalized" has no subject of its
    own and takes "Regulators" from "criticized".
    """
    for child in verb.children:
        if child.dep_ in deps:
            return child
    if verb.dep_ == "conj" and is_predicate(verb.head) and not _has_own_subject(verb):
        if _continues_an_infinitive(verb):
            return None
        # The shared subject plays the role this verb's own voice gives it: in "Ely Cathedral
        # was never vaulted and retains a wooden ceiling" it is the active subject of "retains".
        shared = verb_subject(verb.head)
        if shared is None and verb.head.dep_ == "xcomp":
            # "Li pledged to create a fair environment and reduce compliance costs"
            shared = verb_subject(verb.head.head)
        role = "nsubjpass" if _is_passive(verb) else "nsubj"
        return shared if shared is not None and role in deps else None
    return None


def _continues_an_infinitive(verb: Token) -> bool:
    """Whether a bare verb the parser coordinated with a past verb goes on a "to" infinitive
    between them instead: in "These companies were subjected to fines to reduce their
    influence, punish them and promote competition", "punish" hangs on "subjected", but it
    is the second of the purposes, whose doer the sentence does not name. ("Lugo and Lozano
    were released and continue to reside" has no infinitive in between: "continue" is
    finite and shares the subject.)"""
    head = verb.head
    return verb.tag_ == "VB" and head.tag_ in {"VBD", "VBN"} and any(
        token.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)
        for token in verb.doc[head.i + 1:verb.i])


def _is_passive(verb: Token) -> bool:
    if any(c.dep_ == "auxpass" for c in verb.children):
        return True
    return verb.tag_ == "VBN" and not any(c.dep_ == "aux" for c in verb.children) and (
        _is_passive(verb.head) if verb.dep_ == "conj" and verb.head != verb else False)


@lru_cache(maxsize=256)
def object_of(verb: Token) -> Token | None:
    """The verb's direct object, shared forward from a coordinated verb when missing.

    "criticized and penalized these companies": "criticized" takes the object of "penalized".
    """
    for child in verb.children:
        if child.dep_ in OBJECT_DEPS:
            return child
    if any(c.dep_ == "auxpass" for c in verb.children):
        return None  # "was never vaulted and retains a ceiling": a passive takes no object
    for child in verb.children:
        if child.dep_ == "conj" and is_predicate(child) and not _has_own_subject(child):
            if any(c.dep_ == "prep" and verb.i < c.i < child.i for c in verb.children):
                continue
            for grandchild in child.children:
                if grandchild.dep_ in OBJECT_DEPS:
                    return grandchild
    return None


def _has_own_subject(verb: Token) -> bool:
    return any(c.dep_ in NOMINAL_SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS for c in verb.children)


@lru_cache(maxsize=256)
def verb_subject(verb: Token) -> Token | None:
    """The active or passive subject of a verb, whichever it has."""
    return subject_of(verb, NOMINAL_SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS)


def relation_words(verb: Token) -> list[Token]:
    """The verb with its auxiliaries, negation and particles, as the sentence writes them.

    "would not benefit" keeps all three words in the surface relation; the normalised lemma
    drops the auxiliaries and negation, which become qualifiers of the triple.
    """
    words = [verb]
    for child in verb.children:
        if child.dep_ in PARTICLE_DEPS | AUXILIARY_DEPS | {"neg"} or _is_stacked_preposition(child):
            words.append(child)
    first = min(words, key=lambda t: t.i)
    # Adverbs inside the verb group belong to how it is said: "has effectively addressed".
    words.extend(c for c in verb.children
                 if c.dep_ == "advmod" and c.pos_ == "ADV" and first.i <= c.i + 1 and c.i < verb.i)
    return sorted(words, key=lambda t: t.i)


def is_time_expression(token: Token) -> bool:
    """A date or time phrase ("in 2020", "on Thursday"): a qualifier, never an object."""
    return token.ent_type_ in TIME_ENTITY_LABELS


def clause_modifiers(verb: Token, used: tuple[Token, ...] = ()) -> tuple[Token, ...]:
    """Heads of the verb's adjunct phrases, both sides, in sentence order.

    Prepositional phrases ("to the Flemish Community", "In October 2008"), bare time
    phrases ("last week") and time clauses ("after leaving the band") become further
    arguments of an n-ary fact; ``used`` are the tokens a rule already turned into the object
    or relation.
    """
    found = []
    for child in verb.children:
        if child in used or _is_stacked_preposition(child):
            continue
        if child.dep_ in {"prep", "dative"} and child.pos_ == "ADP" and any(
                c.dep_ in {"pobj", "pcomp"} for c in child.children):
            found.append(child)
        elif child.dep_ in {"npadvmod", "tmod", "advmod"} and any(
                is_time_expression(t) for t in child.subtree):
            found.append(child)
        elif child.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ in TEMPORAL_MARKS for c in child.children):
            found.append(child)
    return tuple(found)


def prepositional_objects(verb: Token) -> list[tuple[Token, Token]]:
    """Pairs (preposition, its object) after the verb, in sentence order.

    Prepositional phrases before the verb ("Throughout the clampdown, regulators ...") frame
    the whole clause and are not the verb's complements.
    """
    pairs = []
    for prep in verb.rights:
        if _is_stacked_preposition(prep):
            prep = next(c for c in prep.children if c.dep_ == "prep")
        if prep.dep_ not in {"prep", "dative"} or prep.pos_ != "ADP":
            continue
        for pobj in prep.children:
            if pobj.dep_ == "pobj":
                pairs.append((prep, pobj))
                break
    return pairs


def _is_stacked_preposition(token: Token) -> bool:
    """The first word of a two-word preposition right after its verb, which the parser hangs
    the second word on: "knocked out of the competition", "moved back to Beijing"."""
    return (token.dep_ in {"prep", "advmod", "prt"} and token.pos_ in {"ADP", "ADV"}
            and token.head.pos_ in {"VERB", "AUX"} and token.i == token.head.i + 1
            and not any(c.dep_ in {"pobj", "pcomp"} for c in token.children)
            and any(c.dep_ == "prep" and c.i == token.i + 1 for c in token.children))


def complement_prepositions(token: Token) -> list[tuple[Token, Token]]:
    """Prepositional objects after the token that are not dates or times ("fined in 2020")."""
    return [(prep, pobj) for prep, pobj in prepositional_objects(token)
            if not is_time_expression(pobj)]


def forget_answers() -> None:
    """Drop the answers kept for the last sentences and verbs, and with them their ``Doc``:
    a parsed ``Doc`` holds far more memory than its text (a few kept across a build held
    170 MB), so extraction calls this when it is done with a document."""
    for kept in (object_of, verb_subject, predicates, predicates_with_subject, parse_table):
        kept.cache_clear()


@lru_cache(maxsize=8)
def predicates(sentence: Span) -> tuple[Token, ...]:
    """Every verb of the sentence that heads a clause (:func:`is_predicate`), in order."""
    return tuple(token for token in sentence if is_predicate(token))


@lru_cache(maxsize=8)
def predicates_with_subject(sentence: Span) -> tuple[tuple[Token, Token], ...]:
    """Every verb of the sentence that heads a clause and has a subject, with that subject."""
    return tuple((verb, subject) for verb in predicates(sentence)
                 if (subject := verb_subject(verb)) is not None)
