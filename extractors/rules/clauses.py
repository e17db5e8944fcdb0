"""Clause rules: a verb with its subject and its complement, in the active direction.

Each rule recognises one way English attaches the second argument to a verb: a direct object,
a "by" agent of a passive, a copular complement, an infinitival complement chain, or a whole
clause. Arguments, conjunct splitting, qualifiers and confidence are shared (see
``extractors.pipeline``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from spacy.tokens import Span

from extractors.arguments import conjuncts
from extractors.clause import (
    PASSIVE_SUBJECT_DEPS,
    children_with,
    clause_modifiers,
    complement_prepositions,
    has_child,
    is_predicate,
    is_time_expression,
    object_of,
    predicates,
    predicates_with_subject,
    prepositional_objects,
    relation_words,
    subject_of,
    verb_subject,
)
from extractors.parse_table import ParseTable, table_of
from extractors.rules import Candidate

#: Complements of linking verbs: "is premier", "became a symbol", "remains cautious".
COPULAR_COMPLEMENT_DEPS = {"attr", "acomp", "oprd"}
_VERB_POS = {"VERB", "AUX"}


def active_clause(sentence: Span) -> Iterator[Candidate]:
    """Subject, verb and direct object of an active clause.

    "Chinese regulators have tightened their grip on the tech industry."
    -> (Chinese regulators; have tightened; their grip), with "on the tech industry" as a
    further argument. Coordinated verbs share a missing subject or object. A passive with a
    second object counts too: "General Dynamics Corp. was given an $843 million contract".
    """
    table = table_of(sentence)
    for verb, subject in predicates_with_subject(sentence):
        obj = object_of(table, verb)
        if (obj is None or _light_verb_phrase(table, verb, obj)
                or _shares_infinitive_link(table, verb)):
            continue
        # "urged local governments to provide further support": what the object is urged to
        # do completes the fact.
        controlled = tuple(children_with(table, verb, {"xcomp"}))
        yield Candidate(verb, subject, relation_words(table, verb), obj,
                        controlled + clause_modifiers(table, verb, (obj,)))


def _shares_infinitive_link(table: ParseTable, verb: int) -> bool:
    """A verb coordinated with an infinitive, without a subject: ``infinitival_complement``
    reads it with the whole chain ("pledged to create ... and reduce compliance costs")."""
    return (table.dep[verb] == "conj" and table.dep[table.head[verb]] == "xcomp"
            and _is_bare_infinitive(table, verb))


def _is_bare_infinitive(table: ParseTable, verb: int) -> bool:
    """A verb without subject or auxiliary of its own: "and reduce", not "and will try"."""
    return is_predicate(table, verb) and not has_child(
        table, verb, {"nsubj", "nsubjpass", "aux", "auxpass"})


#: Verbs whose meaning lies in their object noun: "have linkages with", "made an offer on".
LIGHT_VERBS = {"have", "make", "take", "give", "gain", "hold", "play", "pay", "reach",
               "receive", "raise", "express", "place", "launch", "sign", "win", "lose"}


def light_verb_object(sentence: Span) -> Iterator[Candidate]:
    """A light verb whose object noun carries the relation to a prepositional object.

    "the Maoists of Nepal have well-established linkages with Indian revolutionary
    communist organizations" -> (the Maoists of Nepal; have well-established linkages with;
    Indian revolutionary communist organizations).
    """
    table = table_of(sentence)
    for verb, subject in predicates_with_subject(sentence):
        noun = object_of(table, verb)
        if noun is None or not _light_verb_phrase(table, verb, noun):
            continue
        prep, pobj = _light_verb_phrase(table, verb, noun)[0]
        edge = table.left_edge(noun)
        modifiers = [i for i in table.tokens_under(noun) if edge <= i < noun]
        words = [*relation_words(table, verb), *modifiers, noun, prep]
        yield Candidate(verb, subject, tuple(sorted(words)), pobj,
                        clause_modifiers(table, verb, (noun,)))


def _light_verb_phrase(table: ParseTable, verb: int, noun: int) -> list[tuple[int, int]]:
    """The preposition and object that a light verb's object noun relates to, if any."""
    if table.dep[noun] != "dobj" or table.lemma(verb) not in LIGHT_VERBS:
        return []
    return complement_prepositions(table, noun)


def passive_with_agent(sentence: Span) -> Iterator[Candidate]:
    """A passive clause with a "by" agent, turned into the active direction.

    "Ant Group was fined by regulators." -> (regulators; was fined by; Ant Group), relation
    lemma "fine", marked passive.
    """
    table = table_of(sentence)
    for verb in predicates(sentence):
        patient = subject_of(table, verb, PASSIVE_SUBJECT_DEPS)
        if patient is None:
            continue
        for agent in children_with(table, verb, {"agent"}):
            words = tuple(sorted([*relation_words(table, verb), agent]))
            for pobj in children_with(table, agent, {"pobj", "pcomp"}):
                for actor in conjuncts(table, pobj):
                    yield Candidate(verb, actor, words, patient,
                                    clause_modifiers(table, verb))


def copular_clause(sentence: Span) -> Iterator[Candidate]:
    """A linking verb with its subject and complement.

    "Li is premier." -> (Li; is; premier); "the New York City Subway became a symbol of
    progress" -> (the New York City Subway; became; a symbol of progress).
    """
    table = table_of(sentence)
    for verb, subject in predicates_with_subject(sentence):
        for complement in children_with(table, verb, COPULAR_COMPLEMENT_DEPS):
            if has_child(table, complement, {"xcomp"}):
                continue  # "were able to reinforce the hotel": an infinitival chain
            pairs = (complement_prepositions(table, complement)
                     if table.pos[complement] == "ADJ" else [])
            if pairs:
                # "is related to the Internet": the adjective and its preposition relate the
                # subject to the preposition's object.
                prep, pobj = pairs[0]
                words = tuple(sorted([*relation_words(table, verb), complement, prep]))
                yield Candidate(verb, subject, words, pobj,
                                clause_modifiers(table, verb, (complement,)))
            else:
                yield Candidate(verb, subject, relation_words(table, verb),
                                complement, clause_modifiers(table, verb))


def infinitival_complement(sentence: Span) -> Iterator[Candidate]:
    """A verb chain through "to"-infinitives, ending in the last verb's complement.

    "iFlytek plans to surpass the capabilities of ChatGPT" -> (iFlytek; plans to surpass;
    the capabilities of ChatGPT); "St. Michael was considered to be the patron saint of
    colonial Maryland" -> (St. Michael; was considered to be; the patron saint ...).
    The chain's subject is the first verb's; a chain whose inner verb has a subject of its own
    ("urged governments to provide") is an object-control clause, not handled here.
    """
    table = table_of(sentence)
    for verb, subject in predicates_with_subject(sentence):
        if table.dep[verb] == "xcomp" or object_of(table, verb) is not None:
            continue
        yield from _chain(sentence, table, verb, subject, relation_words(table, verb))


def _chain(sentence: Span, table: ParseTable, verb: int, subject: int,
           words: Sequence[int]) -> Iterator[Candidate]:
    for link, inner in _coordinated(table, _infinitives(table, verb)):
        if has_child(table, inner, {"nsubj", "nsubjpass"}):
            continue
        chain = [*words, *link, *relation_words(table, inner)]
        obj = object_of(table, inner)
        complements = children_with(table, inner, COPULAR_COMPLEMENT_DEPS)
        if obj is not None or complements:
            head = obj if obj is not None else complements[0]
            yield Candidate(inner, subject, tuple(sorted(chain)), head,
                            clause_modifiers(table, inner, (head,)))
            continue
        pairs = prepositional_objects(table, inner)
        if pairs:
            prep, pobj = pairs[0]
            yield Candidate(inner, subject, tuple(sorted([*chain, prep])), pobj,
                            clause_modifiers(table, inner, (prep,)))
        else:
            yield from _chain(sentence, table, inner, subject, chain)


def _coordinated(table: ParseTable, links: Iterator[tuple[list[int], int]]
                 ) -> Iterator[tuple[list[int], int]]:
    """Each infinitive and the verbs coordinated with it, which share its link: "pledged to
    create a fair environment and reduce compliance costs" -> create, reduce."""
    for link, inner in links:
        yield link, inner
        to = [c for c in table.children[inner] if table.tag[c] == "TO"]
        for member in table.conjuncts(inner):
            if member > inner and _is_bare_infinitive(table, member):
                yield [*link, *to], member


def _infinitives(table: ParseTable, verb: int) -> Iterator[tuple[list[int], int]]:
    """The verb's infinitival complements, with the adjective that links them if any.

    "plans to surpass": ([], surpass); "were able to reinforce": ([able], reinforce).
    """
    dep, pos = table.dep, table.pos
    for child in table.children[verb]:
        if dep[child] == "xcomp" and pos[child] in _VERB_POS:
            yield [], child
        elif dep[child] == "acomp" and pos[child] == "ADJ":
            for inner in table.children[child]:
                if dep[inner] == "xcomp" and pos[inner] in _VERB_POS:
                    yield [child], inner


def clausal_complement(sentence: Span) -> Iterator[Candidate]:
    """A verb whose object is a whole clause, kept with its complementiser.

    "This finding indicated that organic compounds could carry current." -> (This finding;
    indicated that; organic compounds could carry current). The inner clause yields its own
    triples through the other rules, attributed to the outer subject when the verb reports.
    """
    table = table_of(sentence)
    for verb, subject in predicates_with_subject(sentence):
        listeners = tuple(children_with(table, verb, {"dobj", "dative"}))
        for clause in children_with(table, verb, {"ccomp"}):
            marks = children_with(table, clause, {"mark"})
            # "told industry analysts he is moving": who was told is a further argument
            yield Candidate(verb, subject,
                            tuple(sorted([*relation_words(table, verb), *marks])), clause,
                            listeners + clause_modifiers(table, verb, (clause,)))


def verb_with_adjunct(sentence: Span) -> Iterator[Candidate]:
    """A verb with no complement, and the first phrase that places it in time or space.

    "Several years later the remaining trackage was abandoned." -> (the remaining trackage;
    was abandoned; Several years later). The adjunct is kept whole, preposition included; it
    is not a thing, so the fact stays evidence and never becomes a graph edge.
    """
    table = table_of(sentence)
    for verb, subject in predicates_with_subject(sentence):
        if _has_complement(table, verb):
            continue
        adjuncts = clause_modifiers(table, verb)
        if adjuncts:
            yield Candidate(verb, subject, relation_words(table, verb),
                            adjuncts[0], adjuncts[1:])


def _has_complement(table: ParseTable, verb: int) -> bool:
    if object_of(table, verb) is not None:
        return True
    if has_child(table, verb, COPULAR_COMPLEMENT_DEPS | {"xcomp", "ccomp", "agent"}):
        return True
    return any(not is_time_expression(table, pobj)
               for _, pobj in prepositional_objects(table, verb))


def participial_adverbial(sentence: Span) -> Iterator[Candidate]:
    """A participle clause that shares the main clause's subject.

    "Necro became a regular member of the PWG roster, teaming with Chris Hero" -> (Necro;
    be teaming with; Chris Hero). A past participle is passive unless "having" makes it
    perfect: "Made of space-age materials, the wheel spokes ..." -> (the wheel spokes; be
    Made of; space-age materials); "Having returned to the Second Division, they ..." ->
    (they; Having returned to; the Second Division). The participle has no subject or
    conjunction of its own.
    """
    table = table_of(sentence)
    tag = table.tag
    for verb in table.with_dep(sentence, {"advcl"}):
        if (tag[verb] not in {"VBG", "VBN"}
                or not is_predicate(table, table.head[verb])):
            continue
        if has_child(table, verb, {"nsubj", "nsubjpass", "mark"}):
            continue
        subject = verb_subject(table, table.head[verb])
        if subject is None:
            continue
        implied = "" if has_child(table, verb, {"aux"}) else "be"
        obj = object_of(table, verb)
        if obj is None:
            obj = next(iter(children_with(table, verb, COPULAR_COMPLEMENT_DEPS)), None)
        if obj is not None:
            yield Candidate(verb, subject, relation_words(table, verb), obj,
                            clause_modifiers(table, verb, (obj,)), implied=implied)
            continue
        pairs = complement_prepositions(table, verb)
        if pairs:
            prep, pobj = pairs[0]
            yield Candidate(verb, subject, (*relation_words(table, verb), prep),
                            pobj, clause_modifiers(table, verb, (prep,)), implied=implied)


def purpose_clause(sentence: Span) -> Iterator[Candidate]:
    """A "to"-infinitive of purpose, done by the main clause's subject.

    "Arad enrolled at Hofstra University to study industrial management." -> (Arad; to
    study; industrial management).
    """
    table = table_of(sentence)
    tag = table.tag
    for verb in table.with_dep(sentence, {"advcl"}):
        if tag[verb] != "VB" or not is_predicate(table, table.head[verb]):
            continue
        if (not any(tag[c] == "TO" for c in table.children[verb])
                or has_child(table, verb, {"nsubj", "nsubjpass"})):
            continue
        subject = verb_subject(table, table.head[verb])
        obj = object_of(table, verb)
        if subject is not None and obj is not None:
            yield Candidate(verb, subject, relation_words(table, verb), obj,
                            clause_modifiers(table, verb, (obj,)))
