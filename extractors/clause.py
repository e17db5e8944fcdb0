"""What the rules ask of a verb: its subject, its object, its relation words.

Dependency labels are those of spaCy's English models (ClearNLP style). The questions are
asked by token position of the document's ``ParseTable`` (``extractors.parse_table``) and
answered with positions. Every rule asks the same questions of the same verbs, so the answers
that take a walk over the parse are kept in the table, for as long as the document is being
worked on.
"""

from __future__ import annotations

from spacy.tokens import Span

from extractors.parse_table import ParseTable, table_of

#: Subjects; a clause can be one too: "Accomplishing both will be a balancing act".
NOMINAL_SUBJECT_DEPS = {"nsubj", "csubj"}
PASSIVE_SUBJECT_DEPS = {"nsubjpass", "csubjpass"}
OBJECT_DEPS = {"dobj"}
AUXILIARY_DEPS = {"aux", "auxpass"}
PARTICLE_DEPS = {"prt"}
TIME_ENTITY_LABELS = {"DATE", "TIME"}
#: Conjunctions that make a clause a time frame: "after leaving", "before passing out".
TEMPORAL_MARKS = {"after", "before", "until", "since", "while", "when", "once"}
_SUBJECT_DEPS = NOMINAL_SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS
_RELATION_DEPS = PARTICLE_DEPS | AUXILIARY_DEPS | {"neg"}


def is_predicate(table: ParseTable, i: int) -> bool:
    """Verbs (and auxiliaries used as main verbs) that can head a clause.

    A participle ("-ed", "-en") with a passive auxiliary is one even when tagged as an
    adjective: the small model reads "Staff were only informed of the decision" with
    "informed" as JJ.
    """
    if table.dep[i] in AUXILIARY_DEPS:
        return False
    pos = table.pos[i]
    return pos in {"VERB", "AUX"} or (
        pos == "ADJ" and table.lower[i].endswith(("ed", "en"))
        and has_child(table, i, {"auxpass"}))


#: The parts of speech :func:`is_predicate` accepts.
_PREDICATE_POS = {"VERB", "AUX", "ADJ"}


def has_child(table: ParseTable, i: int, deps: set[str]) -> bool:
    """Whether token ``i`` has a child with one of the dependency labels ``deps``."""
    dep = table.dep
    return any(dep[c] in deps for c in table.children[i])


def children_with(table: ParseTable, i: int, deps: set[str]) -> list[int]:
    """The children of token ``i`` with one of the dependency labels ``deps``."""
    dep = table.dep
    return [c for c in table.children[i] if dep[c] in deps]


def subject_of(table: ParseTable, verb: int, deps: set[str] = NOMINAL_SUBJECT_DEPS) -> int | None:
    """The verb's subject, inherited from the first verb of a coordination when missing.

    "Regulators criticized and penalized these companies": "penalized" has no subject of its
    own and takes "Regulators" from "criticized".
    """
    dep, head = table.dep, table.head
    for child in table.children[verb]:
        if dep[child] in deps:
            return child
    first = head[verb]
    if dep[verb] == "conj" and is_predicate(table, first) and not _has_own_subject(table, verb):
        if _continues_an_infinitive(table, verb):
            return None
        # The shared subject plays the role this verb's own voice gives it: in "Ely Cathedral
        # was never vaulted and retains a wooden ceiling" it is the active subject of "retains".
        shared = verb_subject(table, first)
        if shared is None and dep[first] == "xcomp":
            # "Li pledged to create a fair environment and reduce compliance costs"
            shared = verb_subject(table, head[first])
        role = "nsubjpass" if _is_passive(table, verb) else "nsubj"
        return shared if shared is not None and role in deps else None
    return None


def _continues_an_infinitive(table: ParseTable, verb: int) -> bool:
    """Whether a bare verb the parser coordinated with a past verb goes on a "to" infinitive
    between them instead: in "These companies were subjected to fines to reduce their
    influence, punish them and promote competition", "punish" hangs on "subjected", but it
    is the second of the purposes, whose doer the sentence does not name. ("Lugo and Lozano
    were released and continue to reside" has no infinitive in between: "continue" is
    finite and shares the subject.)"""
    head, tag, dep, lower = table.head[verb], table.tag, table.dep, table.lower
    return tag[verb] == "VB" and tag[head] in {"VBD", "VBN"} and any(
        tag[i] == "VB" and any(dep[c] == "aux" and lower[c] == "to" for c in table.children[i])
        for i in range(head + 1, verb))


def _is_passive(table: ParseTable, verb: int) -> bool:
    if has_child(table, verb, {"auxpass"}):
        return True
    head = table.head[verb]
    return table.tag[verb] == "VBN" and not has_child(table, verb, {"aux"}) and (
        _is_passive(table, head) if table.dep[verb] == "conj" and head != verb else False)


def object_of(table: ParseTable, verb: int) -> int | None:
    """The verb's direct object, shared forward from a coordinated verb when missing.

    "criticized and penalized these companies": "criticized" takes the object of "penalized".
    """
    key = ("object", verb)
    if key not in table.answers:
        table.answers[key] = _object_of(table, verb)
    return table.answers[key]


def _object_of(table: ParseTable, verb: int) -> int | None:
    dep, children = table.dep, table.children
    for child in children[verb]:
        if dep[child] in OBJECT_DEPS:
            return child
    if has_child(table, verb, {"auxpass"}):
        return None  # "was never vaulted and retains a ceiling": a passive takes no object
    for child in children[verb]:
        if dep[child] == "conj" and is_predicate(table, child) and not _has_own_subject(
                table, child):
            if any(dep[c] == "prep" and verb < c < child for c in children[verb]):
                continue
            for grandchild in children[child]:
                if dep[grandchild] in OBJECT_DEPS:
                    return grandchild
    return None


def _has_own_subject(table: ParseTable, verb: int) -> bool:
    return has_child(table, verb, _SUBJECT_DEPS)


def verb_subject(table: ParseTable, verb: int) -> int | None:
    """The active or passive subject of a verb, whichever it has."""
    key = ("subject", verb)
    if key not in table.answers:
        table.answers[key] = subject_of(table, verb, _SUBJECT_DEPS)
    return table.answers[key]


def relation_words(table: ParseTable, verb: int) -> tuple[int, ...]:
    """The verb with its auxiliaries, negation and particles, as the sentence writes them.

    "would not benefit" keeps all three words in the surface relation; the normalised lemma
    drops the auxiliaries and negation, which become qualifiers of the triple.
    """
    dep, pos = table.dep, table.pos
    words = [verb]
    for child in table.children[verb]:
        if dep[child] in _RELATION_DEPS or _is_stacked_preposition(table, child):
            words.append(child)
    first = min(words)
    # Adverbs inside the verb group belong to how it is said: "has effectively addressed".
    words.extend(c for c in table.children[verb]
                 if dep[c] == "advmod" and pos[c] == "ADV" and first <= c + 1 and c < verb)
    return tuple(sorted(words))


def is_time_expression(table: ParseTable, i: int) -> bool:
    """A date or time phrase ("in 2020", "on Thursday"): a qualifier, never an object."""
    return table.ent_type[i] in TIME_ENTITY_LABELS


def clause_modifiers(table: ParseTable, verb: int, used: tuple[int, ...] = ()) -> tuple[int, ...]:
    """Heads of the verb's adjunct phrases, both sides, in sentence order.

    Prepositional phrases ("to the Flemish Community", "In October 2008"), bare time
    phrases ("last week") and time clauses ("after leaving the band") become further
    arguments of an n-ary fact; ``used`` are the tokens a rule already turned into the object
    or relation.
    """
    dep, children, lower = table.dep, table.children, table.lower
    found = []
    for child in children[verb]:
        if child in used or _is_stacked_preposition(table, child):
            continue
        label = dep[child]
        if label in {"prep", "dative"} and table.pos[child] == "ADP" and has_child(
                table, child, {"pobj", "pcomp"}):
            found.append(child)
        elif label in {"npadvmod", "tmod", "advmod"} and any(
                is_time_expression(table, i) for i in table.tokens_under(child)):
            found.append(child)
        elif label == "advcl" and any(
                dep[c] == "mark" and lower[c] in TEMPORAL_MARKS for c in children[child]):
            found.append(child)
    return tuple(found)


def prepositional_objects(table: ParseTable, verb: int) -> list[tuple[int, int]]:
    """Pairs (preposition, its object) after the verb, in sentence order.

    Prepositional phrases before the verb ("Throughout the clampdown, regulators ...") frame
    the whole clause and are not the verb's complements.
    """
    dep, children = table.dep, table.children
    pairs = []
    for prep in children[verb]:
        if prep < verb:
            continue
        if _is_stacked_preposition(table, prep):
            prep = next(c for c in children[prep] if dep[c] == "prep")
        if dep[prep] not in {"prep", "dative"} or table.pos[prep] != "ADP":
            continue
        for pobj in children[prep]:
            if dep[pobj] == "pobj":
                pairs.append((prep, pobj))
                break
    return pairs


def _is_stacked_preposition(table: ParseTable, i: int) -> bool:
    """The first word of a two-word preposition right after its verb, which the parser hangs
    the second word on: "knocked out of the competition", "moved back to Beijing"."""
    dep, pos, head = table.dep, table.pos, table.head[i]
    return (i == head + 1 and dep[i] in {"prep", "advmod", "prt"} and pos[i] in {"ADP", "ADV"}
            and pos[head] in {"VERB", "AUX"}
            and not has_child(table, i, {"pobj", "pcomp"})
            and any(dep[c] == "prep" and c == i + 1 for c in table.children[i]))


def complement_prepositions(table: ParseTable, i: int) -> list[tuple[int, int]]:
    """Prepositional objects after the token that are not dates or times ("fined in 2020")."""
    return [(prep, pobj) for prep, pobj in prepositional_objects(table, i)
            if not is_time_expression(table, pobj)]


def predicates(sentence: Span) -> tuple[int, ...]:
    """Every verb of the sentence that heads a clause (:func:`is_predicate`), in order."""
    table = table_of(sentence)
    key = ("predicates", sentence.start, sentence.end)
    if key not in table.answers:
        pos = table.pos
        table.answers[key] = tuple([i for i in range(sentence.start, sentence.end)
                                    if pos[i] in _PREDICATE_POS and is_predicate(table, i)])
    return table.answers[key]


def predicates_with_subject(sentence: Span) -> tuple[tuple[int, int], ...]:
    """Every verb of the sentence that heads a clause and has a subject, with that subject."""
    table = table_of(sentence)
    key = ("with subject", sentence.start, sentence.end)
    if key not in table.answers:
        table.answers[key] = tuple((verb, subject) for verb in predicates(sentence)
                                   if (subject := verb_subject(table, verb)) is not None)
    return table.answers[key]
