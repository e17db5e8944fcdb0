"""Facts stated inside noun phrases: appositions, participles, possessives, titles."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from extractors.arguments import conjuncts, entity_span
from extractors.clause import (
    clause_modifiers,
    complement_prepositions,
    object_of,
    prepositional_objects,
    relation_words,
)
from extractors.rules import Candidate

_NOUN_POS = {"NOUN", "PROPN"}
_PLACE_LABELS = {"GPE", "LOC", "FAC"}


def apposition(sentence: Span) -> Iterator[Candidate]:
    """A noun phrase and its apposition, linked by an implied "be".

    "Jack Ma, co-founder of Alibaba, expressed concerns" -> (Jack Ma; be; co-founder of
    Alibaba); "one of the crew, Alan," -> (Alan; be; one of the crew). Two places are not
    one thing but the first lies in the second: "Hoboken, New Jersey" -> (Hoboken; be in;
    New Jersey).
    """
    for token in sentence:
        noun = token.head
        if token.dep_ != "appos" or not (_is_nominal(noun) and _is_nominal(token)):
            continue
        if _detached(noun, token):
            continue
        if _in_list(noun) or (_in_list(token) and noun.pos_ == token.pos_ == "PROPN"):
            # "Burnham, Roderick, his granddaughter ...", "PDD Holdings, JD.com, and
            # Xiaohongshu": a list of names, not a description ("Hahn, its chairman and
            # chief executive," is one)
            continue
        if noun.ent_type_ in _PLACE_LABELS and token.ent_type_ in _PLACE_LABELS:
            yield Candidate(noun, noun, (), token, implied="be in", split_conjuncts=False)
            continue
        if token.pos_ == "PROPN" and noun.pos_ != "PROPN":
            noun, token = token, noun  # the name is the subject: (Mazzolini; be; his brother)
        yield Candidate(noun, noun, (), token, implied="be", split_conjuncts=False)


def _is_nominal(token: Token) -> bool:
    """A noun or name, or a number that picks from a group ("one of the crew"); a bare
    number ("David Redvers, 34,") is an age or amount, not a description."""
    return token.pos_ in _NOUN_POS or (
        token.pos_ == "NUM" and any(c.dep_ == "prep" and c.lower_ == "of" for c in token.children))


def _detached(noun: Token, appositive: Token) -> bool:
    """Whether the comma before an appositive belongs to neither phrase: in "convened a
    meeting with companies ..., Pinduoduo from PDD Holdings" the parser hangs the comma on
    the verb and "Pinduoduo" on "meeting" across the whole list; a real apposition's comma
    hangs on its noun or on the appositive."""
    before = appositive.doc[appositive.left_edge.i - 1] if appositive.left_edge.i else None
    return (before is not None and before.is_punct and before.i > noun.i
            and before.head not in (noun, appositive))


def _in_list(token: Token) -> bool:
    return token.dep_ == "conj" or any(c.dep_ == "conj" for c in token.children)


def participial_modifier(sentence: Span) -> Iterator[Candidate]:
    """A noun modified by a participle: passive ones with an agent, active ones with an object.

    "prominent tech giants targeted by Chinese regulators" -> (Chinese regulators; targeted
    by; prominent tech giants), marked passive; "units based at NAS Glenview" -> (units; be
    based at; NAS Glenview); "companies providing cloud services" -> (companies; providing;
    cloud services).
    """
    for verb in sentence:
        if verb.dep_ != "acl" or verb.head.pos_ not in _NOUN_POS:
            continue
        noun = verb.head
        if verb.tag_ == "VBN":
            agents = [c for c in verb.children if c.dep_ == "agent"]
            for agent in agents:
                for actor in (c for c in agent.children if c.dep_ == "pobj"):
                    yield Candidate(verb, actor, (verb, agent), noun, clause_modifiers(verb),
                                    split_conjuncts=False)
            names = [c for c in verb.children if c.dep_ in {"oprd", "attr"}]
            if not agents and names:
                # "a new bus company called Helsingin Bussiliikenne" -> (a new bus company;
                # be called; Helsingin Bussiliikenne)
                yield Candidate(verb, noun, (verb,), names[0], clause_modifiers(verb),
                                implied="be", split_conjuncts=False)
                continue
            pairs = prepositional_objects(verb)
            if not agents and pairs:
                # "units based at NAS Glenview" -> (units; be based at; NAS Glenview)
                prep, pobj = pairs[0]
                yield Candidate(verb, noun, (verb, prep), pobj, clause_modifiers(verb, (prep,)),
                                implied="be", split_conjuncts=False)
        elif verb.tag_ == "VBG":
            obj = object_of(verb)
            pairs = prepositional_objects(verb)
            if obj is not None:
                yield Candidate(verb, noun, tuple(relation_words(verb)), obj,
                                clause_modifiers(verb, (obj,)), split_conjuncts=False)
            elif pairs:
                # "the geese flying over Olaf's house" -> (the geese; be flying over; ...)
                prep, pobj = pairs[0]
                yield Candidate(verb, noun, (verb, prep), pobj, clause_modifiers(verb, (prep,)),
                                implied="be", split_conjuncts=False)


def possessive(sentence: Span) -> Iterator[Candidate]:
    """A possessor and what it has.

    "Alibaba's cloud division" -> (Alibaba; has; cloud division).
    """
    for token in sentence:
        if token.dep_ == "poss" and token.pos_ in _NOUN_POS and token.head.pos_ in _NOUN_POS:
            yield Candidate(token.head, token, (), token.head, implied=_have(sentence),
                            split_conjuncts=False)


#: Forms of address before a name that carry no role.
COURTESY_FORMS = {"mr", "mrs", "ms", "miss", "mx", "messrs"}


def title_before_name(sentence: Span) -> Iterator[Candidate]:
    """A person's name and the title or role written before it.

    "Chinese Premier Li Qiang convened a meeting" -> (Li Qiang; be; Chinese Premier).
    Courtesy forms ("Mr. Baker", "Ms. Wang") are not titles: they state no role.
    """
    for token in sentence:
        if token.ent_type_ != "PERSON" or token.ent_iob_ != "B":
            continue
        name = entity_span(token)
        head = name.root
        title = [c for c in head.lefts if c.i < name.start and c.dep_ in {"compound", "amod"}]
        if (title and title[-1].i == name.start - 1 and title[-1].pos_ in _NOUN_POS
                and title[-1].lower_.rstrip(".") not in COURTESY_FORMS):
            yield Candidate(head, head, (), title[-1], implied="be", split_conjuncts=False)


def _have(sentence: Span) -> str:
    """The form of "have" that matches the sentence's tense: a past sentence implies "had"."""
    return "had" if sentence.root.tag_ == "VBD" else "has"


def adjective_modifier(sentence: Span) -> Iterator[Candidate]:
    """A noun and an adjective that describes it, linked by an implied "be".

    "a circular world map" -> (world map; be; circular). Ordinals, numbers, comparatives
    and words inside named entities or dates ("the past few years") are not descriptions.
    """
    for token in sentence:
        if (token.dep_ == "amod" and token.pos_ == "ADJ" and token.tag_ == "JJ"
                and token.head.pos_ == "NOUN" and token.i < token.head.i
                and not token.ent_type_ and not token.head.ent_type_):
            yield Candidate(token.head, token.head, (), token, implied="be",
                            split_conjuncts=False)


def adjective_after_noun(sentence: Span) -> Iterator[Candidate]:
    """A noun followed by an adjective and its prepositional complement: implied "be".

    "people familiar with the matter" -> (people; be familiar with; the matter); "a political
    level responsible for matters related to culture" -> (a political level; be responsible
    for; matters related to culture).
    """
    for adjective in sentence:
        noun = adjective.head
        if (adjective.dep_ not in {"amod", "acl"} or adjective.pos_ != "ADJ"
                or noun.pos_ not in _NOUN_POS | {"PRON"} or adjective.i < noun.i):
            continue
        pairs = complement_prepositions(adjective)
        if pairs:
            prep, pobj = pairs[0]
            yield Candidate(adjective, noun, (adjective, prep), pobj,
                            clause_modifiers(adjective, (prep,)), implied="be",
                            split_conjuncts=False)


#: Prepositions that introduce examples of a noun: "giants including Alibaba".
_EXAMPLE_PREPOSITIONS = {"including", "like"}


def examples_of_noun(sentence: Span) -> Iterator[Candidate]:
    """A noun and the examples listed after it, one fact per example.

    "prominent tech giants such as Alibaba and Tencent" -> (prominent tech giants; be such
    as; Alibaba) and (...; be such as; Tencent); "internet giants, including Alibaba" ->
    (internet giants; be including; Alibaba).
    """
    for prep in sentence:
        noun = prep.head
        if prep.dep_ != "prep" or noun.pos_ not in _NOUN_POS | {"NUM"} or prep.i < noun.i:
            continue
        such = [c for c in prep.children if c.dep_ in {"amod", "advmod"} and c.lower_ == "such"]
        if prep.lower_ == "as" and such:
            words = (such[0], prep)
        elif prep.lower_ in _EXAMPLE_PREPOSITIONS:
            words = (prep,)
        else:
            continue
        for example in (c for c in prep.children if c.dep_ == "pobj"):
            for member in conjuncts(example):
                yield Candidate(prep, noun, words, member, implied="be", split_conjuncts=False)


#: Prepositions that place a thing: "a think tank at the University of South Florida".
_PLACING_PREPOSITIONS = {"in", "at", "near"}


def noun_in_place(sentence: Span) -> Iterator[Candidate]:
    """A noun placed by a prepositional phrase: implied "be in".

    "the University of South Florida in Tampa, Florida" -> (the University of South Florida;
    be in; Tampa, Florida). The place is a place entity after in/at/near, or any common noun
    after "in" ("monuments in the old city").
    """
    for prep in sentence:
        if (prep.dep_ != "prep" or prep.lower_ not in _PLACING_PREPOSITIONS
                or prep.head.pos_ not in _NOUN_POS):
            continue
        for place in (c for c in prep.children if c.dep_ == "pobj"):
            if place.ent_type_ in _PLACE_LABELS or (prep.lower_ == "in" and place.pos_ == "NOUN"
                                                    and not place.ent_type_):
                yield Candidate(prep.head, prep.head, (prep,), place, implied="be",
                                split_conjuncts=False)

