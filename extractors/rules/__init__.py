"""The rule registry: an ordered, named table of extraction rules.

A rule is a plain function ``rule(sentence: Span) -> Iterable[Candidate]`` that recognises one
grammatical construction. Rules only choose tokens, by their position in the document
(``Token.i``); ``extractors.pipeline`` turns candidates into ``Triple`` objects with full
arguments, qualifiers, confidence and provenance, splitting coordinated subjects and objects.
Add your own rule with :func:`register`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from spacy.tokens import Span

from extractors.triple import value_class


@value_class
class Candidate:
    """A fact a rule found, as token positions in the document (``Token.i``): heads of
    subject and object, and the relation words.

    Positions, not ``Token`` objects: the built-in rules work on the document's parse table
    (``extractors.parse_table``), and so does everything after them; a spaCy ``Token`` is a
    new object each time one is asked for.

    ``predicate`` is the verb whose modifiers carry negation, modality, time and place;
    ``extras`` are heads of further argument phrases (usually prepositions) of n-ary facts.
    ``implied`` names the relation of a fact stated without a verb ("Jack Ma, co-founder of
    Alibaba": "be"; "Alibaba's cloud division": "has"); ``relation`` is then empty. An
    implied copula is written untensed ("be"): the sentence does not say "is" or "was".
    ``split_conjuncts`` is false for facts inside a noun phrase, where a coordination lists
    other things ("Alibaba's cloud division, Meituan, Douyin": Alibaba has only the first).
    """

    predicate: int
    subject: int
    relation: tuple[int, ...]
    object: int
    extras: tuple[int, ...] = ()
    implied: str = ""
    split_conjuncts: bool = True


Rule = Callable[[Span], Iterable[Candidate]]

RULES: dict[str, Rule] = {}


def register(rule: Rule, name: str | None = None) -> Rule:
    """Add a rule at the end of the registry, under its function name unless named.

    Earlier rules win when two rules find the same triple in one sentence.
    """
    key = name or rule.__name__
    if key in RULES:
        raise ValueError(f"a rule named {key!r} is already registered")
    RULES[key] = rule
    return rule


def _register_builtin_rules() -> None:
    from extractors.rules import clauses, nominals, prepositions

    builtin = (
        clauses.active_clause,
        clauses.light_verb_object,
        clauses.passive_with_agent,
        clauses.copular_clause,
        prepositions.verb_preposition,
        clauses.infinitival_complement,
        clauses.clausal_complement,
        nominals.participial_modifier,
        nominals.apposition,
        nominals.title_before_name,
        clauses.verb_with_adjunct,
        clauses.participial_adverbial,
        clauses.purpose_clause,
        nominals.possessive,
        nominals.adjective_modifier,
        nominals.adjective_after_noun,
        nominals.examples_of_noun,
        nominals.noun_in_place,
    )
    for rule in builtin:
        register(rule)


_register_builtin_rules()
