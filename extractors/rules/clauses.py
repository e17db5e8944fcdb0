"""Clause rules: a verb with its subject and direct object, active or passive."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span

from extractors.arguments import conjuncts
from extractors.clause import (
    PASSIVE_SUBJECT_DEPS,
    is_predicate,
    object_of,
    prepositional_objects,
    relation_words,
    subject_of,
)
from extractors.rules import Candidate


def active_clause(sentence: Span) -> Iterator[Candidate]:
    """Subject, verb and direct object of an active clause.

    "Chinese regulators have tightened their grip on the tech industry."
    -> (Chinese regulators; have tightened; their grip), with "on the tech industry" as a
    further argument. Coordinated verbs share a missing subject or object.
    """
    for verb in sentence:
        if not is_predicate(verb):
            continue
        subject = subject_of(verb)
        obj = object_of(verb)
        if subject is None or obj is None:
            continue
        extras = tuple(prep for prep, _ in prepositional_objects(verb))
        yield Candidate(verb, subject, tuple(relation_words(verb)), obj, extras)


def passive_with_agent(sentence: Span) -> Iterator[Candidate]:
    """A passive clause with a "by" agent, turned into the active direction.

    "Ant Group was fined by regulators." -> (regulators; fined; Ant Group).
    """
    for verb in sentence:
        if not is_predicate(verb):
            continue
        patient = subject_of(verb, PASSIVE_SUBJECT_DEPS)
        if patient is None:
            continue
        for agent in (c for c in verb.children if c.dep_ == "agent"):
            for pobj in (c for c in agent.children if c.dep_ == "pobj"):
                for actor in conjuncts(pobj):
                    yield Candidate(verb, actor, (verb,), patient)
