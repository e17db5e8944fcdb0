"""The values extraction produces: arguments, relations, qualifiers, provenance, triples.

Every value is a frozen dataclass (:func:`value_class`) so that it can be hashed, compared
and shared between stages without anyone changing it behind another stage's back. Character
offsets are always offsets into the text of the whole document (``Provenance.doc_id``), never
into a sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from typing import TypeVar

_Value = TypeVar("_Value", bound=type)


def value_class(cls: _Value) -> _Value:
    """``dataclass(frozen=True, slots=True)``, with an ``__init__`` that stores the fields
    as a plain class's does.

    A frozen dataclass's own ``__init__`` stores each field with ``object.__setattr__``,
    which looks the slot up on the class again for every field of every value; extraction
    makes some 800 values per article, and those stores were a tenth of its time. This
    ``__init__`` gives the new instance, for the time of the stores, a class with the same
    slots that is not frozen, then gives it back its own class (a 9-field ``Argument``:
    960 ns a frozen dataclass, 530 ns with each slot's descriptor, 380 ns so). Defaults,
    default factories, ``__post_init__`` and everything else are the dataclass's; the
    instances are frozen from the moment they are made.

    >>> @value_class
    ... class Span:
    ...     start: int
    ...     end: int = 0
    >>> Span(3), Span(3) == Span(3, 0), type(Span(3)) is Span
    (Span(start=3, end=0), True, True)
    >>> Span(3).end = 4
    Traceback (most recent call last):
    dataclasses.FrozenInstanceError: cannot assign to field 'end'
    """
    cls = dataclass(frozen=True, slots=True)(cls)
    cls.__init__ = _unfrozen_init(cls)
    return cls


def _unfrozen_init(cls: type) -> Callable[..., None]:
    """The ``__init__`` of the frozen, slotted dataclass ``cls`` (positional or keyword
    fields, plain defaults and default factories: what the values here use)."""
    unfrozen = type(f"_Unfrozen{cls.__name__}", (), {"__slots__": cls.__slots__})
    scope: dict[str, object] = {"_MISSING": MISSING, "_set_class": object.__setattr__,
                                "_Unfrozen": unfrozen, "_Frozen": cls}
    parameters, body = ["self"], ['_set_class(self, "__class__", _Unfrozen)']
    for f in fields(cls):
        if f.kw_only or not f.init:
            raise TypeError(f"{cls.__name__}.{f.name}: only plain fields are supported")
        if f.default is not MISSING:
            scope[f"_default_{f.name}"] = f.default
            parameters.append(f"{f.name}=_default_{f.name}")
        elif f.default_factory is not MISSING:
            scope[f"_factory_{f.name}"] = f.default_factory
            parameters.append(f"{f.name}=_MISSING")
            body.append(f"if {f.name} is _MISSING: {f.name} = _factory_{f.name}()")
        else:
            parameters.append(f.name)
        body.append(f"self.{f.name} = {f.name}")
    body.append("self.__class__ = _Frozen")
    if hasattr(cls, "__post_init__"):
        body.append("self.__post_init__()")
    source = f"def __init__({', '.join(parameters)}):\n" + "".join(f"    {line}\n"
                                                                    for line in body)
    exec(source, scope)  # noqa: S102 - the source is made of field names only
    init = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


PRONOUNS = frozenset(
    "i me we us you he him she her it they them this that these those who which what "
    "one ones itself himself herself themselves ourselves".split()
)


@value_class
class EntityRef:
    """The entity an argument names, as coreference resolved it within its document.

    ``label`` is the entity's most complete name in the document, ``entity_type`` its NER
    label and ``names`` every name the document gives it; the graph merges entities of
    different documents from these.

    >>> EntityRef("Li Qiang", "PERSON", ("Li Qiang", "Li")).names
    ('Li Qiang', 'Li')
    """

    label: str
    entity_type: str | None = None
    names: tuple[str, ...] = ()


@value_class
class Argument:
    """One side of a triple, in two views.

    ``text`` / ``start`` / ``end`` is the full phrase as the sentence says it (what Open IE
    benchmarks score and what evidence shows); ``head`` / ``head_start`` / ``head_end`` is the
    compact entity-like core that becomes a graph node. ``nominal`` is false for arguments
    that are not things (a clause, an adjective): they are scored and kept as evidence but
    never become graph nodes. ``entities`` is what coreference resolved the argument to: one
    entity for "He" or "the company", several for "these companies", none when the argument
    names no known entity (the head is the node then).

    >>> a = Argument("the country's biggest technology companies", 10, 53,
    ...              "technology companies", 33, 53, None)
    >>> a.head
    'technology companies'
    """

    text: str
    start: int
    end: int
    head: str
    head_start: int
    head_end: int
    entity_type: str | None = None
    nominal: bool = True
    entities: tuple[EntityRef, ...] = ()

    @property
    def is_pronoun(self) -> bool:
        """True when the head is a bare pronoun ("he", "it", "they", "this")."""
        return self.head.casefold() in PRONOUNS


def with_entities(argument: Argument, entities: tuple[EntityRef, ...]) -> Argument:
    """The argument resolved to ``entities``: ``dataclasses.replace`` without its look-up of
    the fields, for the thousands of arguments coreference resolves.

    >>> with_entities(Argument("He", 0, 2, "He", 0, 2), (EntityRef("Li Qiang"),)).entities
    (EntityRef(label='Li Qiang', entity_type=None, names=()),)
    """
    return Argument(argument.text, argument.start, argument.end, argument.head,
                    argument.head_start, argument.head_end, argument.entity_type,
                    argument.nominal, entities)


@value_class
class Relation:
    """The predicate: surface words as written and a normalised lemma form.

    ``text`` keeps every word the sentence uses, auxiliaries, modals and negation included
    ("would not benefit"); ``lemma`` is the normalised relation ("benefit") that names the
    graph edge, and negation and modality are in the triple's qualifiers. ``passive`` marks
    a fact the sentence states in the passive with a "by" agent: subject and object are in
    the active direction ("regulators" / "fine" / "Ant Group") while ``text`` keeps the
    words as written ("was fined by").

    >>> Relation("were subjected to", "subject to").lemma
    'subject to'
    """

    text: str
    lemma: str
    passive: bool = False



@value_class
class Qualifiers:
    """What the sentence says about the fact beyond subject, relation and object.

    ``negated`` and ``modality`` change whether the fact holds; ``attribution`` names who
    stated it; ``time``, ``location`` and ``amount`` are the phrases that place it.
    """

    negated: bool = False
    modality: str | None = None
    attribution: str | None = None
    time: str | None = None
    location: str | None = None
    amount: str | None = None

    @property
    def asserted(self) -> bool:
        """True when the article states the fact itself, positively and without hedging."""
        return not self.negated and self.modality is None and self.attribution is None


@value_class
class Provenance:
    """Where a triple comes from: document, sentence, character span and the rule that made it."""

    doc_id: str
    sentence_index: int
    sentence_start: int
    sentence_end: int
    sentence: str
    rule: str


@value_class
class Triple:
    """A subject-relation-object fact with its qualifiers, provenance and confidence.

    ``extras`` holds further arguments of an n-ary fact ("fined Ant Group *for violations*")
    in sentence order; the graph edge is built from subject, relation and object alone.
    """

    subject: Argument
    relation: Relation
    object: Argument
    provenance: Provenance
    qualifiers: Qualifiers = field(default_factory=Qualifiers)
    confidence: float = 0.5
    extras: tuple[Argument, ...] = ()

    def __post_init__(self) -> None:
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence must lie in [0, 1], got {self.confidence!r}")

    @property
    def extra_args(self) -> tuple[str, ...]:
        """Texts of the arguments after the object (prepositional, time, place phrases)."""
        return tuple(argument.text for argument in self.extras)


def with_arguments(triple: Triple, subject: Argument, object_: Argument) -> Triple:
    """The triple with other subject and object (resolved ones): ``dataclasses.replace``
    without its look-up of the fields."""
    return Triple(subject, triple.relation, object_, triple.provenance, triple.qualifiers,
                  triple.confidence, triple.extras)


def in_document(triples: list[Triple], doc_id: str) -> list[Triple]:
    """``triples`` as they are found in another document with the same text, ``doc_id``:
    extraction reads nothing but the text, so only the provenance's document differs. A
    provenance its triples shared stays shared, as extraction would have made it.

    >>> fact = Triple(Argument("Regulators", 0, 10, "Regulators", 0, 10),
    ...               Relation("fined", "fine"), Argument("Ant", 17, 20, "Ant", 17, 20),
    ...               Provenance("a", 0, 0, 21, "Regulators fined Ant.", "active_clause"))
    >>> [copy] = in_document([fact], "b")
    >>> copy.provenance.doc_id, copy.subject is fact.subject
    ('b', True)
    """
    moved: dict[int, Provenance] = {}
    copies = []
    for triple in triples:
        provenance = moved.get(id(triple.provenance))
        if provenance is None:
            p = triple.provenance
            provenance = moved[id(p)] = Provenance(doc_id, p.sentence_index, p.sentence_start,
                                                   p.sentence_end, p.sentence, p.rule)
        copies.append(Triple(triple.subject, triple.relation, triple.object, provenance,
                             triple.qualifiers, triple.confidence, triple.extras))
    return copies
