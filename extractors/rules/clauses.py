"""Clause rules: a verb with its subject and its complement, in the active direction.

Each rule recognises one way English attaches the second argument to a verb: a direct object,
a "by" agent of a passive, a copular complement, an infinitival complement chain, or a whole
clause. Arguments, conjunct splitting, qualifiers and confidence are shared (see
``extractors.pipeline``).
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from extractors.arguments import conjuncts
from extractors.clause import (
    PASSIVE_SUBJECT_DEPS,
    clause_modifiers,
    complement_prepositions,
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
from extractors.rules import Candidate

#: Complements of linking verbs: "is premier", "became a symbol", "remains cautious".
COPULAR_COMPLEMENT_DEPS = {"attr", "acomp", "oprd"}


def active_clause(sentence: Span) -> Iterator[Candidate]:
    """Subject, verb and direct object of an active clause.

    "Chinese regulators have tightened their grip on the tech industry."
    -> (Chinese regulators; have tightened; their grip), with "on the tech industry" as a
    further argument. Coordinated verbs share a missing subject or object. A passive with a
    second object counts too: "General Dynamics Corp. was given an $843 million contract".
    """
    for verb, subject in predicates_with_subject(sentence):
        obj = object_of(verb)
        if obj is None or _light_verb_phrase(verb, obj) or _shares_infinitive_link(verb):
            continue
        # "urged local governments to provide further support": what the object is urged to
        # do completes the fact.
        controlled = tuple(c for c in verb.children if c.dep_ == "xcomp")
        yield Candidate(verb, subject, tuple(relation_words(verb)), obj,
                        controlled + clause_modifiers(verb, (obj,)))


def _shares_infinitive_link(verb: Token) -> bool:
    """A verb coordinated with an infinitive, without a subject: ``infinitival_complement``
    reads it with the whole chain ("pledged to create ... and reduce compliance costs")."""
    return verb.dep_ == "conj" and verb.head.dep_ == "xcomp" and _is_bare_infinitive(verb)


def _is_bare_infinitive(verb: Token) -> bool:
    """A verb without subject or auxiliary of its own: "and reduce", not "and will try"."""
    return is_predicate(verb) and not any(
        c.dep_ in {"nsubj", "nsubjpass", "aux", "auxpass"} for c in verb.children)


#: Verbs whose meaning lies in their object noun: "have linkages with", "made an offer on".
LIGHT_VERBS = {"have", "make", "take", "give", "gain", "hold", "play", "pay", "reach",
               "receive", "raise", "express", "place", "launch", "sign", "win", "lose"}


def light_verb_object(sentence: Span) -> Iterator[Candidate]:
    """A light verb whose object noun carries the relation to a prepositional object.

    "the Maoists of Nepal have well-established linkages with Indian revolutionary
    communist organizations" -> (the Maoists of Nepal; have well-established linkages with;
    Indian revolutionary communist organizations).
    """
    for verb, subject in predicates_with_subject(sentence):
        noun = object_of(verb)
        if noun is None or not _light_verb_phrase(verb, noun):
            continue
        prep, pobj = _light_verb_phrase(verb, noun)[0]
        modifiers = [t for t in noun.subtree if noun.left_edge.i <= t.i < noun.i]
        words = [*relation_words(verb), *modifiers, noun, prep]
        yield Candidate(verb, subject, tuple(sorted(words, key=lambda t: t.i)), pobj,
                        clause_modifiers(verb, (noun,)))


def _light_verb_phrase(verb: Token, noun: Token) -> list[tuple[Token, Token]]:
    """The preposition and object that a light verb's object noun relates to, if any."""
    if verb.lemma_ not in LIGHT_VERBS or noun.dep_ != "dobj":
        return []
    return complement_prepositions(noun)


def passive_with_agent(sentence: Span) -> Iterator[Candidate]:
    """A passive clause with a "by" agent, turned into the active direction.

    "Ant Group was fined by regulators." -> (regulators; was fined by; Ant Group), relation
    lemma "fine", marked passive.
    """
    for verb in predicates(sentence):
        patient = subject_of(verb, PASSIVE_SUBJECT_DEPS)
        if patient is None:
            continue
        for agent in (c for c in verb.children if c.dep_ == "agent"):
            words = tuple(sorted([*relation_words(verb), agent], key=lambda t: t.i))
            for pobj in (c for c in agent.children if c.dep_ in {"pobj", "pcomp"}):
                for actor in conjuncts(pobj):
                    yield Candidate(verb, actor, words, patient, clause_modifiers(verb))


def copular_clause(sentence: Span) -> Iterator[Candidate]:
    """A linking verb with its subject and complement.

    "Li is premier." -> (Li; is; premier); "the New York City Subway became a symbol of
    progress" -> (the New York City Subway; became; a symbol of progress).
    """
    for verb, subject in predicates_with_subject(sentence):
        for complement in (c for c in verb.children if c.dep_ in COPULAR_COMPLEMENT_DEPS):
            if any(c.dep_ == "xcomp" for c in complement.children):
                continue  # "were able to reinforce the hotel": an infinitival chain
            pairs = complement_prepositions(complement) if complement.pos_ == "ADJ" else []
            if pairs:
                # "is related to the Internet": the adjective and its preposition relate the
                # subject to the preposition's object.
                prep, pobj = pairs[0]
                words = sorted([*relation_words(verb), complement, prep], key=lambda t: t.i)
                yield Candidate(verb, subject, tuple(words), pobj,
                                clause_modifiers(verb, (complement,)))
            else:
                yield Candidate(verb, subject, tuple(relation_words(verb)), complement,
                                clause_modifiers(verb))


def infinitival_complement(sentence: Span) -> Iterator[Candidate]:
    """A verb chain through "to"-infinitives, ending in the last verb's complement.

    "iFlytek plans to surpass the capabilities of ChatGPT" -> (iFlytek; plans to surpass;
    the capabilities of ChatGPT); "St. Michael was considered to be the patron saint of
    colonial Maryland" -> (St. Michael; was considered to be; the patron saint ...).
    The chain's subject is the first verb's; a chain whose inner verb has a subject of its own
    ("urged governments to provide") is an object-control clause, not handled here.
    """
    for verb, subject in predicates_with_subject(sentence):
        if verb.dep_ == "xcomp" or object_of(verb) is not None:
            continue
        yield from _chain(verb, subject, list(relation_words(verb)))


def _chain(verb: Token, subject: Token, words: list[Token]) -> Iterator[Candidate]:
    for link, inner in _coordinated(_infinitives(verb)):
        if any(c.dep_ in {"nsubj", "nsubjpass"} for c in inner.children):
            continue
        chain = [*words, *link, *relation_words(inner)]
        obj = object_of(inner)
        complements = [c for c in inner.children if c.dep_ in COPULAR_COMPLEMENT_DEPS]
        if obj is not None or complements:
            head = obj if obj is not None else complements[0]
            yield Candidate(inner, subject, tuple(sorted(chain, key=lambda t: t.i)), head,
                            clause_modifiers(inner, (head,)))
            continue
        pairs = prepositional_objects(inner)
        if pairs:
            prep, pobj = pairs[0]
            yield Candidate(inner, subject, tuple(sorted([*chain, prep], key=lambda t: t.i)),
                            pobj, clause_modifiers(inner, (prep,)))
        else:
            yield from _chain(inner, subject, chain)


def _coordinated(links: Iterator[tuple[list[Token], Token]]
                 ) -> Iterator[tuple[list[Token], Token]]:
    """Each infinitive and the verbs coordinated with it, which share its link: "pledged to
    create a fair environment and reduce compliance costs" -> create, reduce."""
    for link, inner in links:
        yield link, inner
        to = [c for c in inner.children if c.tag_ == "TO"]
        for member in inner.conjuncts:
            if member.i > inner.i and _is_bare_infinitive(member):
                yield [*link, *to], member


def _infinitives(verb: Token) -> Iterator[tuple[list[Token], Token]]:
    """The verb's infinitival complements, with the adjective that links them if any.

    "plans to surpass": ([], surpass); "were able to reinforce": ([able], reinforce).
    """
    for child in verb.children:
        if child.dep_ == "xcomp" and child.pos_ in {"VERB", "AUX"}:
            yield [], child
        elif child.dep_ == "acomp" and child.pos_ == "ADJ":
            for inner in child.children:
                if inner.dep_ == "xcomp" and inner.pos_ in {"VERB", "AUX"}:
                    yield [child], inner


def clausal_complement(sentence: Span) -> Iterator[Candidate]:
    """A verb whose object is a whole clause, kept with its complementiser.

    "This finding indicated that organic compounds could carry current." -> (This finding;
    indicated that; organic compounds could carry current). The inner clause yields its own
    triples through the other rules, attributed to the outer subject when the verb reports.
    """
    for verb, subject in predicates_with_subject(sentence):
        listeners = tuple(c for c in verb.children if c.dep_ in {"dobj", "dative"})
        for clause in (c for c in verb.children if c.dep_ == "ccomp"):
            marks = [c for c in clause.children if c.dep_ == "mark"]
            # "told industry analysts he is moving": who was told is a further argument
            yield Candidate(verb, subject,
                            tuple(sorted([*relation_words(verb), *marks], key=lambda t: t.i)),
                            clause, listeners + clause_modifiers(verb, (clause,)))


def verb_with_adjunct(sentence: Span) -> Iterator[Candidate]:
    """A verb with no complement, and the first phrase that places it in time or space.

    "Several years later the remaining trackage was abandoned." -> (the remaining trackage;
    was abandoned; Several years later). The adjunct is kept whole, preposition included; it
    is not a thing, so the fact stays evidence and never becomes a graph edge.
    """
    for verb, subject in predicates_with_subject(sentence):
        if _has_complement(verb):
            continue
        adjuncts = clause_modifiers(verb)
        if adjuncts:
            yield Candidate(verb, subject, tuple(relation_words(verb)), adjuncts[0],
                            adjuncts[1:])


def _has_complement(verb: Token) -> bool:
    if object_of(verb) is not None:
        return True
    if any(c.dep_ in COPULAR_COMPLEMENT_DEPS | {"xcomp", "ccomp", "agent"} for c in verb.children):
        return True
    return any(not is_time_expression(pobj) for _, pobj in prepositional_objects(verb))


def participial_adverbial(sentence: Span) -> Iterator[Candidate]:
    """A participle clause that shares the main clause's subject.

    "Necro became a regular member of the PWG roster, teaming with Chris Hero" -> (Necro;
    be teaming with; Chris Hero). A past participle is passive unless "having" makes it
    perfect: "Made of space-age materials, the wheel spokes ..." -> (the wheel spokes; be
    Made of; space-age materials); "Having returned to the Second Division, they ..." ->
    (they; Having returned to; the Second Division). The participle has no subject or
    conjunction of its own.
    """
    for verb in sentence:
        if (verb.dep_ != "advcl" or verb.tag_ not in {"VBG", "VBN"}
                or not is_predicate(verb.head)):
            continue
        if any(c.dep_ in {"nsubj", "nsubjpass", "mark"} for c in verb.children):
            continue
        subject = verb_subject(verb.head)
        if subject is None:
            continue
        implied = "" if any(c.dep_ == "aux" for c in verb.children) else "be"
        obj = object_of(verb) or next(
            (c for c in verb.children if c.dep_ in COPULAR_COMPLEMENT_DEPS), None)
        if obj is not None:
            yield Candidate(verb, subject, tuple(relation_words(verb)), obj,
                            clause_modifiers(verb, (obj,)), implied=implied)
            continue
        pairs = complement_prepositions(verb)
        if pairs:
            prep, pobj = pairs[0]
            yield Candidate(verb, subject, (*relation_words(verb), prep), pobj,
                            clause_modifiers(verb, (prep,)), implied=implied)


def purpose_clause(sentence: Span) -> Iterator[Candidate]:
    """A "to"-infinitive of purpose, done by the main clause's subject.

    "Arad enrolled at Hofstra University to study industrial management." -> (Arad; to
    study; industrial management).
    """
    for verb in sentence:
        if verb.dep_ != "advcl" or verb.tag_ != "VB" or not is_predicate(verb.head):
            continue
        if not any(c.tag_ == "TO" for c in verb.children) or _has_subject(verb):
            continue
        subject = verb_subject(verb.head)
        obj = object_of(verb)
        if subject is not None and obj is not None:
            yield Candidate(verb, subject, tuple(relation_words(verb)), obj,
                            clause_modifiers(verb, (obj,)))


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children)
