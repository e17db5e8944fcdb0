"""Facts stated inside noun phrases: appositions, participles, possessives, titles."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span

from extractors.arguments import conjuncts
from extractors.clause import (
    children_with,
    clause_modifiers,
    complement_prepositions,
    has_child,
    object_of,
    prepositional_objects,
    relation_words,
)
from extractors.parse_table import ParseTable, table_of
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
    table = table_of(sentence)
    pos, ent_type = table.pos, table.ent_type
    for token in table.with_dep(sentence, {"appos"}):
        noun = table.head[token]
        if not (_is_nominal(table, noun) and _is_nominal(table, token)):
            continue
        if _detached(table, noun, token):
            continue
        if _in_list(table, noun) or (_in_list(table, token) and pos[noun] == pos[token] == "PROPN"):
            # "Burnham, Roderick, his granddaughter ...", "PDD Holdings, JD.com, and
            # Xiaohongshu": a list of names, not a description ("Hahn, its chairman and
            # chief executive," is one)
            continue
        if ent_type[noun] in _PLACE_LABELS and ent_type[token] in _PLACE_LABELS:
            yield Candidate(noun, noun, (), token, implied="be in",
                            split_conjuncts=False)
            continue
        if pos[token] == "PROPN" and pos[noun] != "PROPN":
            noun, token = token, noun  # the name is the subject: (Mazzolini; be; his brother)
        yield Candidate(noun, noun, (), token, implied="be", split_conjuncts=False)


def _is_nominal(table: ParseTable, i: int) -> bool:
    """A noun or name, or a number that picks from a group ("one of the crew"); a bare
    number ("David Redvers, 34,") is an age or amount, not a description."""
    return table.pos[i] in _NOUN_POS or (table.pos[i] == "NUM" and any(
        table.dep[c] == "prep" and table.lower[c] == "of" for c in table.children[i]))


def _detached(table: ParseTable, noun: int, appositive: int) -> bool:
    """Whether the comma before an appositive belongs to neither phrase: in "convened a
    meeting with companies ..., Pinduoduo from PDD Holdings" the parser hangs the comma on
    the verb and "Pinduoduo" on "meeting" across the whole list; a real apposition's comma
    hangs on its noun or on the appositive."""
    edge = table.left_edge(appositive)
    before = edge - 1
    return (edge > 0 and table.is_punct[before] and before > noun
            and table.head[before] not in (noun, appositive))


def _in_list(table: ParseTable, i: int) -> bool:
    return table.dep[i] == "conj" or has_child(table, i, {"conj"})


def participial_modifier(sentence: Span) -> Iterator[Candidate]:
    """A noun modified by a participle: passive ones with an agent, active ones with an object.

    "prominent tech giants targeted by Chinese regulators" -> (Chinese regulators; targeted
    by; prominent tech giants), marked passive; "units based at NAS Glenview" -> (units; be
    based at; NAS Glenview); "companies providing cloud services" -> (companies; providing;
    cloud services).
    """
    table = table_of(sentence)
    for verb in table.with_dep(sentence, {"acl"}):
        noun = table.head[verb]
        if table.pos[noun] not in _NOUN_POS:
            continue
        if table.tag[verb] == "VBN":
            agents = children_with(table, verb, {"agent"})
            for agent in agents:
                for actor in children_with(table, agent, {"pobj"}):
                    yield Candidate(verb, actor, (verb, agent), noun,
                                    clause_modifiers(table, verb), split_conjuncts=False)
            names = children_with(table, verb, {"oprd", "attr"})
            if not agents and names:
                # "a new bus company called Helsingin Bussiliikenne" -> (a new bus company;
                # be called; Helsingin Bussiliikenne)
                yield Candidate(verb, noun, (verb,), names[0],
                                clause_modifiers(table, verb), implied="be",
                                split_conjuncts=False)
                continue
            pairs = prepositional_objects(table, verb)
            if not agents and pairs:
                # "units based at NAS Glenview" -> (units; be based at; NAS Glenview)
                prep, pobj = pairs[0]
                yield Candidate(verb, noun, (verb, prep), pobj,
                                clause_modifiers(table, verb, (prep,)), implied="be",
                                split_conjuncts=False)
        elif table.tag[verb] == "VBG":
            obj = object_of(table, verb)
            pairs = prepositional_objects(table, verb)
            if obj is not None:
                yield Candidate(verb, noun, relation_words(table, verb), obj,
                                clause_modifiers(table, verb, (obj,)), split_conjuncts=False)
            elif pairs:
                # "the geese flying over Olaf's house" -> (the geese; be flying over; ...)
                prep, pobj = pairs[0]
                yield Candidate(verb, noun, (verb, prep), pobj,
                                clause_modifiers(table, verb, (prep,)), implied="be",
                                split_conjuncts=False)


def possessive(sentence: Span) -> Iterator[Candidate]:
    """A possessor and what it has.

    "Alibaba's cloud division" -> (Alibaba; has; cloud division).
    """
    table = table_of(sentence)
    for token in table.with_dep(sentence, {"poss"}):
        owned = table.head[token]
        if (table.pos[token] in _NOUN_POS
                and table.pos[owned] in _NOUN_POS):
            yield Candidate(owned, token, (), owned, implied=_have(sentence),
                            split_conjuncts=False)


#: Forms of address before a name that carry no role.
COURTESY_FORMS = {"mr", "mrs", "ms", "miss", "mx", "messrs"}


def title_before_name(sentence: Span) -> Iterator[Candidate]:
    """A person's name and the title or role written before it.

    "Chinese Premier Li Qiang convened a meeting" -> (Li Qiang; be; Chinese Premier).
    Courtesy forms ("Mr. Baker", "Ms. Wang") are not titles: they state no role.
    """
    table = table_of(sentence)
    for start, end, label in table.entities_in(sentence):
        if label != "PERSON":
            continue
        head = sentence.doc[start:end].root.i
        title = [c for c in table.children[head]
                 if c < head and c < start and table.dep[c] in {"compound", "amod"}]
        if (title and title[-1] == start - 1 and table.pos[title[-1]] in _NOUN_POS
                and table.lower[title[-1]].rstrip(".") not in COURTESY_FORMS):
            yield Candidate(head, head, (), title[-1], implied="be",
                            split_conjuncts=False)


def _have(sentence: Span) -> str:
    """The form of "have" that matches the sentence's tense: a past sentence implies "had"."""
    return "had" if sentence.root.tag_ == "VBD" else "has"


def adjective_modifier(sentence: Span) -> Iterator[Candidate]:
    """A noun and an adjective that describes it, linked by an implied "be".

    "a circular world map" -> (world map; be; circular). Ordinals, numbers, comparatives
    and words inside named entities or dates ("the past few years") are not descriptions.
    """
    table = table_of(sentence)
    pos, ent_type = table.pos, table.ent_type
    for token in table.with_dep(sentence, {"amod"}):
        noun = table.head[token]
        if (pos[token] == "ADJ" and table.tag[token] == "JJ"
                and pos[noun] == "NOUN" and token < noun
                and not ent_type[token] and not ent_type[noun]):
            yield Candidate(noun, noun, (), token, implied="be",
                            split_conjuncts=False)


def adjective_after_noun(sentence: Span) -> Iterator[Candidate]:
    """A noun followed by an adjective and its prepositional complement: implied "be".

    "people familiar with the matter" -> (people; be familiar with; the matter); "a political
    level responsible for matters related to culture" -> (a political level; be responsible
    for; matters related to culture).
    """
    table = table_of(sentence)
    for adjective in table.with_dep(sentence, {"amod", "acl"}):
        noun = table.head[adjective]
        if (table.pos[adjective] != "ADJ"
                or table.pos[noun] not in _NOUN_POS | {"PRON"} or adjective < noun):
            continue
        pairs = complement_prepositions(table, adjective)
        if pairs:
            prep, pobj = pairs[0]
            yield Candidate(adjective, noun, (adjective, prep), pobj,
                            clause_modifiers(table, adjective, (prep,)), implied="be",
                            split_conjuncts=False)


#: Prepositions that introduce examples of a noun: "giants including Alibaba".
_EXAMPLE_PREPOSITIONS = {"including", "like"}


def examples_of_noun(sentence: Span) -> Iterator[Candidate]:
    """A noun and the examples listed after it, one fact per example.

    "prominent tech giants such as Alibaba and Tencent" -> (prominent tech giants; be such
    as; Alibaba) and (...; be such as; Tencent); "internet giants, including Alibaba" ->
    (internet giants; be including; Alibaba).
    """
    table = table_of(sentence)
    dep, lower = table.dep, table.lower
    for prep in table.with_dep(sentence, {"prep"}):
        noun = table.head[prep]
        if table.pos[noun] not in _NOUN_POS | {"NUM"} or prep < noun:
            continue
        such = [c for c in table.children[prep]
                if dep[c] in {"amod", "advmod"} and lower[c] == "such"]
        if lower[prep] == "as" and such:
            words = (such[0], prep)
        elif lower[prep] in _EXAMPLE_PREPOSITIONS:
            words = (prep,)
        else:
            continue
        for example in children_with(table, prep, {"pobj"}):
            for member in conjuncts(table, example):
                yield Candidate(prep, noun, words, member, implied="be",
                                split_conjuncts=False)


#: Prepositions that place a thing: "a think tank at the University of South Florida".
_PLACING_PREPOSITIONS = {"in", "at", "near"}


def noun_in_place(sentence: Span) -> Iterator[Candidate]:
    """A noun placed by a prepositional phrase: implied "be in".

    "the University of South Florida in Tampa, Florida" -> (the University of South Florida;
    be in; Tampa, Florida). The place is a place entity after in/at/near, or any common noun
    after "in" ("monuments in the old city").
    """
    table = table_of(sentence)
    lower, ent_type = table.lower, table.ent_type
    for prep in table.with_dep(sentence, {"prep"}):
        noun = table.head[prep]
        if (lower[prep] not in _PLACING_PREPOSITIONS
                or table.pos[noun] not in _NOUN_POS):
            continue
        for place in children_with(table, prep, {"pobj"}):
            if ent_type[place] in _PLACE_LABELS or (
                    lower[prep] == "in" and table.pos[place] == "NOUN" and not ent_type[place]):
                yield Candidate(noun, noun, (prep,), place, implied="be",
                                split_conjuncts=False)
