"""Entities across documents: which graph node each resolved entity belongs to.

Coreference (``extractors.coreference``) groups the mentions of one document; this module
joins the entities of different documents. Each entity is known by its names, its type and,
when an alias file says so, an external identifier. An entity from a new document joins a
known one when

1. an alias file maps one of its names to the known entity's canonical name (this overrides
   every rule below, so the file can also keep apart what the rules would join);
2. it shares a name with it ("Alibaba" in both documents);
3. its name differs only by a corporate suffix ("Alibaba Group" / "Alibaba"; never "Ant
   Group" / "Alibaba Group": once "Group" is set aside, "Ant" and "Alibaba" differ);
4. one name is the acronym of the other ("NDRC" / "National Development and Reform
   Commission");
5. for people, a lone surname or given name matches the full name of exactly one known
   person ("Zhu" / "Robin Zhu"), or a full name matches exactly one person known only by a
   part of it.

Rules 3 to 5 need compatible types (a person never joins a company or a place) and an
unambiguous match: a name that could join two known entities joins neither. Each entity's id
is the normalised form of its label, the most complete proper name it has been given, so ids
change when a fuller name turns up in a later document.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from spacy.tokens import Doc

from extractors.coreference import (
    EntityCluster,
    acronym_key,
    core_words,
    entity_clusters,
    has_corporate_suffix,
    initials,
    name_words,
    type_class,
)
from extractors.documents import read_document
from extractors.errors import InputError
from extractors.triple import EntityRef
from graph.names import display_name, normalise_name
from graph.vocabulary import ENTITY_CLASSES, VALUE_CLASSES

#: Prefix that turns a bare Wikidata id ("Q1359568") into its IRI.
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
_WIKIDATA_ID = re.compile(r"^Q[1-9][0-9]*$")


# -- the alias file -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Alias:
    """One row of an alias file: a name, the canonical name it stands for, an optional IRI."""

    alias: str
    canonical: str
    iri: str | None = None


class AliasTable:
    """User-given aliases: ``alias,canonical name[,IRI]`` rows of a CSV file.

    Every name in the table (alias or canonical) resolves to its canonical entity and to
    nothing else; canonical names are distinct entities. An IRI may be a full ``http(s)``
    IRI or a bare Wikidata id.

    >>> table = AliasTable([Alias("Alibaba", "Alibaba Group", "Q1359568"),
    ...                     Alias("Ant", "Ant Group")])
    >>> table.lookup(["the Alibaba"])
    ('Alibaba Group', 'http://www.wikidata.org/entity/Q1359568')
    >>> table.lookup(["Tencent"]) is None
    True
    """

    def __init__(self, rows: Iterable[Alias] = ()) -> None:
        self._canonical: dict[str, str] = {}
        self._iri: dict[str, str] = {}
        for row in rows:
            for name in (row.alias, row.canonical):
                self._canonical[normalise_name(name)] = row.canonical
            if row.iri:
                self._iri.setdefault(normalise_name(row.canonical), _full_iri(row.iri))

    @classmethod
    def read(cls, path: str | Path) -> AliasTable:
        """Read an alias CSV (UTF-8, optional header ``alias,canonical,iri``)."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(str(path), f"alias file cannot be read ({exc})") from exc
        rows = []
        for number, fields in enumerate(csv.reader(text.splitlines()), start=1):
            fields = [f.strip() for f in fields]
            if not any(fields) or fields[0].startswith("#"):
                continue
            if number == 1 and [f.casefold() for f in fields[:2]] == ["alias", "canonical"]:
                continue
            if len(fields) < 2 or not fields[0] or not fields[1] or len(fields) > 3:
                raise InputError(f"{path}:{number}",
                                 "expected 'alias,canonical name[,IRI]'")
            iri = fields[2] if len(fields) == 3 and fields[2] else None
            if iri and not (_WIKIDATA_ID.match(iri) or iri.startswith(("http://", "https://"))):
                raise InputError(f"{path}:{number}",
                                 f"IRI {iri!r} is neither http(s) nor a Wikidata id")
            rows.append(Alias(fields[0], fields[1], iri))
        return cls(rows)

    def __bool__(self) -> bool:
        """Whether the table holds any name (an empty one is looked up for nothing)."""
        return bool(self._canonical)

    def digest(self) -> str:
        """A hash of what the table maps: equal for two tables that resolve every name alike.

        >>> AliasTable([Alias("Ant", "Ant Group")]).digest() == AliasTable().digest()
        False
        """
        mapping = repr((sorted(self._canonical.items()), sorted(self._iri.items())))
        return hashlib.sha256(mapping.encode("utf-8", "surrogatepass")).hexdigest()

    def lookup(self, names: Iterable[str]) -> tuple[str, str | None] | None:
        """The canonical name and IRI of the first of ``names`` in the table, if any."""
        for name in names:
            canonical = self._canonical.get(normalise_name(name))
            if canonical is not None:
                return canonical, self._iri.get(normalise_name(canonical))
        return None


def _full_iri(iri: str) -> str:
    return WIKIDATA_ENTITY + iri if _WIKIDATA_ID.match(iri) else iri


# -- the entity index ---------------------------------------------------------------------------


@dataclass
class Entity:
    """What the graph knows about one entity so far: names, types, surface forms, IRI."""

    number: int
    names: Counter[str] = field(default_factory=Counter)
    forms: Counter[str] = field(default_factory=Counter)
    types: Counter[str] = field(default_factory=Counter)
    canonical: str | None = None
    same_as: str | None = None

    @property
    def label(self) -> str:
        """The canonical name, else the most complete proper name, else the commonest form."""
        if self.canonical:
            return self.canonical
        if self.names:
            return most_complete(self.names)
        if len(self.forms) == 1:  # most entities: skip min's key calls, asked every mention
            return next(iter(self.forms))
        return min(self.forms, key=lambda f: (-self.forms[f], -len(f), f))

    @property
    def key(self) -> str:
        """The node id: the normalised label."""
        return normalise_name(self.label) or self.label

    @property
    def entity_type(self) -> str | None:
        """The most frequent NER label; ties go to the alphabetically first."""
        if len(self.types) < 2:
            return next(iter(self.types), None)
        return min(self.types, key=lambda t: (-self.types[t], t))

    @property
    def is_person(self) -> bool:
        return type_class(self.entity_type) == "PERSON"


def most_complete(names: Counter[str]) -> str:
    """The name with the most words; ties go to the most used, then to a name that starts
    with a letter or digit ("StockXpo", not "@StockXpo"), then alphabetical order.

    >>> most_complete(Counter({"Alibaba": 5, "Alibaba Group": 1}))
    'Alibaba Group'
    """
    if len(names) == 1:
        return next(iter(names))
    return min(names, key=lambda n: (-len(name_words(n)), -names[n], not n[:1].isalnum(), n))


class EntityIndex:
    """Every entity known so far, indexed by the names and name parts that can join them."""

    def __init__(self, aliases: AliasTable | None = None) -> None:
        self.aliases = aliases or AliasTable()
        self.entities: list[Entity] = []
        self._exact: dict[str, set[int]] = {}
        self._core: dict[tuple[str, ...], set[int]] = {}
        self._acronyms: dict[str, set[int]] = {}
        self._initials: dict[str, set[int]] = {}
        self._person_words: dict[str, set[int]] = {}
        self._one_word_names: dict[str, set[int]] = {}
        self._canonical: dict[str, int] = {}
        #: ``(entity number, is a person or None when unnamed, name)`` filed so far.
        self._filed: set[tuple[int, bool | None, str]] = set()

    def add(self, ref: EntityRef, *, named: bool = True) -> Entity:
        """The entity ``ref`` belongs to (a new one if none fits), updated with ``ref``.

        ``named`` is false for an argument that coreference tied to no name ("regulators"):
        it joins only an entity with exactly its name.

        >>> index = EntityIndex()
        >>> a = index.add(EntityRef("Alibaba", "GPE", ("Alibaba",)))
        >>> b = index.add(EntityRef("Alibaba Group", "ORG", ("Alibaba Group",)))
        >>> c = index.add(EntityRef("Ant Group", "ORG", ("Ant Group", "Ant")))
        >>> a is b, b is c, b.key, c.key
        (True, False, 'alibaba group', 'ant group')
        """
        label = ref.label
        if not named:
            names: tuple[str, ...] = (label,)
        elif ref.names == (label,):  # most names: nothing to deduplicate
            names = ref.names
        else:
            names = tuple(dict.fromkeys((label, *ref.names)))
        entity_type = ref.entity_type
        aliases = self.aliases
        # The table's mapping, not its __bool__: asked for every argument of every triple.
        forced = aliases.lookup(names) if aliases._canonical else None
        if forced is None:
            entity = self._match_by_rules(names, entity_type, named)
        else:
            entity = self._match_forced(forced, entity_type, named)
        if entity is None:
            entity = Entity(len(self.entities))
            self.entities.append(entity)
            if forced is not None:
                entity.canonical, entity.same_as = forced
                self._canonical[normalise_name(forced[0])] = entity.number
        if named:
            counts = entity.names  # Counter.update, without its costly check for a Mapping
            for name in names:
                counts[name] = counts.get(name, 0) + 1
        else:
            forms = entity.forms
            forms[label] = forms.get(label, 0) + 1
        if entity_type:
            types = entity.types
            types[entity_type] = types.get(entity_type, 0) + 1
        self._index(entity, names)
        return entity

    def _match_forced(self, forced: tuple[str, str | None], entity_type: str | None,
                      named: bool) -> Entity | None:
        """The entity of the alias file's canonical name ``forced``, if known (by that name,
        or by the rules under names the file does not list)."""
        number = self._canonical.get(normalise_name(forced[0]))
        if number is not None:
            return self.entities[number]
        adopted = self._match_by_rules((forced[0],), entity_type, named)
        if adopted is None or adopted.canonical is not None:
            return None
        adopted.canonical, adopted.same_as = forced
        self._canonical[normalise_name(forced[0])] = adopted.number
        return adopted

    def _match_by_rules(self, names: Sequence[str], entity_type: str | None,
                        named: bool) -> Entity | None:
        if len(names) == 1:  # most arguments: no set to build
            exact = self._exact.get(name_keys(names[0]).exact, ())
        else:
            exact = set().union(*(self._exact.get(name_keys(n).exact, ()) for n in names))
        if len(exact) == 1:
            return self.entities[next(iter(exact))]
        if exact:
            return max((self.entities[n] for n in exact),
                       key=lambda e: (sum(e.names.values()) + sum(e.forms.values()), -e.number))
        if not named:
            return None
        for rule in (self._by_core, self._by_acronym, self._by_person_name):
            found = [e for e in rule(names, entity_type) if self._compatible(e, entity_type,
                                                                             names)]
            if len(found) == 1:
                return found[0]
        return None

    def _candidates(self, index: dict, keys: Iterable) -> list[Entity]:
        numbers: set[int] = set()
        for key in keys:
            numbers |= index.get(key, set())
        return [self.entities[n] for n in sorted(numbers)]

    def _by_core(self, names: Sequence[str], entity_type: str | None) -> list[Entity]:
        if type_class(entity_type) == "PERSON":
            return []
        return self._candidates(self._core, (name_keys(n).core for n in names))

    def _by_acronym(self, names: Sequence[str], entity_type: str | None) -> list[Entity]:
        """Known entities whose initials a new acronym spells, or whose acronym a new
        full name explains."""
        keys = [name_keys(name) for name in names]
        shorts = [k.acronym for k in keys if k.acronym]
        longs = [short for k in keys for short in k.initials]
        found = {e.number: e for e in self._candidates(self._initials, shorts)}
        found.update((e.number, e) for e in self._candidates(self._acronyms, longs))
        return list(found.values())

    def _by_person_name(self, names: Sequence[str], entity_type: str | None) -> list[Entity]:
        if type_class(entity_type) not in {"PERSON", None}:
            return []
        longest = max((name_keys(n).words for n in names), key=len)
        if len(longest) == 1:
            return [e for e in self._candidates(self._person_words, longest) if e.is_person
                    and any(len(name_keys(n).words) > 1 for n in e.names)]
        return [entity for entity in self._candidates(self._one_word_names, longest)
                if entity.is_person and all(len(words) == 1 and words[0] in longest
                                            for words in (name_keys(n).words
                                                          for n in entity.names))]

    @staticmethod
    def _compatible(entity: Entity, entity_type: str | None, names: Sequence[str]) -> bool:
        """Types that may be one entity: equal classes, an unknown one, or a company suffix
        on either side (the small NER model often calls a company a place)."""
        mine, theirs = type_class(entity_type), type_class(entity.entity_type)
        if mine is None or theirs is None or mine == theirs:
            return True
        if "PERSON" in {mine, theirs}:
            return False
        return any(name_keys(n).corporate for n in (*names, *entity.names))

    def _index(self, entity: Entity, names: Sequence[str]) -> None:
        number = entity.number
        # How a name is filed depends on whether the entity has names yet, and is a person;
        # filing is idempotent, so a name already filed the same way is skipped.
        kind = entity.is_person if entity.names else None
        filed = self._filed
        for name in names:
            filing = (number, kind, name)
            if filing in filed:
                continue
            filed.add(filing)
            key = name_keys(name)
            self._exact.setdefault(key.exact, set()).add(number)
            if kind is None:
                continue
            if len(key.words) == 1:
                self._one_word_names.setdefault(key.words[0], set()).add(number)
            if not kind:
                self._core.setdefault(key.core, set()).add(number)
            else:
                for word in key.words:
                    self._person_words.setdefault(word, set()).add(number)
            if key.acronym:
                self._acronyms.setdefault(key.acronym, set()).add(number)
            for short in key.initials:
                self._initials.setdefault(short, set()).add(number)

    def __getstate__(self) -> dict:
        # What was filed is a memo that filing again rebuilds: a pickled index (the build
        # cache's snapshot) need not carry it.
        return {**self.__dict__, "_filed": set()}


class NameKeys(NamedTuple):
    """Everything :class:`EntityIndex` files one name under, and looks it up by."""

    #: ``graph.names.normalise_name``: the key of an exact match.
    exact: str
    #: ``name_words``, ``core_words``, ``acronym_key`` and ``initials`` of
    #: ``extractors.coreference``, and ``has_corporate_suffix`` as ``corporate``.
    words: tuple[str, ...]
    core: tuple[str, ...]
    acronym: str | None
    initials: frozenset[str]
    corporate: bool


@lru_cache(maxsize=1 << 17)
def name_keys(name: str) -> NameKeys:
    """The keys of a name, worked out once (cached: a merge files and looks up the same
    names for every mention of their entities).

    >>> keys = name_keys("the National Development and Reform Commission's")
    >>> keys.exact, sorted(keys.initials), name_keys("NDRC").acronym
    ('national development and reform commission', ['ndarc', 'ndrc'], 'ndrc')
    >>> name_keys("Alibaba Group Holding Ltd.").core, name_keys("Ant Group").corporate
    (('alibaba',), True)
    """
    return NameKeys(normalise_name(name), name_words(name), core_words(name), acronym_key(name),
                    frozenset(initials(name)), has_corporate_suffix(name))


# -- one document's entities --------------------------------------------------------------------


def schema_type(label: str | None) -> str:
    """The schema.org class name of an NER label ("PERSON" -> "Person"; unknown -> "Thing").

    >>> schema_type("GPE"), schema_type("DATE"), schema_type(None)
    ('Place', 'Date', 'Thing')
    """
    iri = ENTITY_CLASSES.get(label or "") or VALUE_CLASSES.get(label or "")
    return str(iri).rsplit("/", 1)[-1] if iri else "Thing"


def document_entities(text: str, aliases: AliasTable | None = None) -> list[dict]:
    """The entities of one text as JSON-ready records, in order of first mention.

    Each record is ``{"id", "label", "type", "mentions": [{"start", "end", "text"}]}`` with
    character offsets into ``text``; ids and labels are the ones a graph built from this text
    alone gives its nodes.

    >>> [(e["label"], e["type"], [m["text"] for m in e["mentions"]]) for e in
    ...  document_entities("Alibaba Group rose. The company said Alibaba would grow.")]
    [('Alibaba Group', 'Organization', ['Alibaba Group', 'The company', 'Alibaba'])]
    """
    from extractors import load_model

    return doc_entities(load_model()(text), aliases)


def doc_entities(doc: Doc, aliases: AliasTable | None = None) -> list[dict]:
    """:func:`document_entities` of an already parsed ``Doc``.

    Named clusters go through an :class:`EntityIndex` as a graph's would, so two clusters
    that the graph would make one node are one entity here too. An unnamed entity (a value,
    a set, a phrase holding a name such as "New Zealand's flag") stays as coreference found
    it, labelled by its phrase; its id is numbered when another entity has the same one.
    """
    text = doc.text
    index = EntityIndex(aliases)
    grouped: dict[int, list[EntityCluster]] = {}
    unnamed: list[EntityCluster] = []
    for cluster in entity_clusters(doc):
        if cluster.is_named:
            ref = EntityRef(cluster.label, cluster.entity_type, cluster.names)
            grouped.setdefault(index.add(ref).number, []).append(cluster)
        else:
            unnamed.append(cluster)
    found = [(index.entities[n].key, index.entities[n].label, index.entities[n].entity_type,
              members) for n, members in grouped.items()]
    for cluster in unnamed:
        label = _phrase(cluster)
        found.append((normalise_name(cluster.label) or label, label, cluster.entity_type,
                      [cluster]))
    records = []
    for key, label, entity_type, members in found:
        spans = sorted({(m.start, m.end) for cluster in members for m in cluster.mentions})
        records.append({
            "id": key,
            "label": label,
            "type": schema_type(entity_type),
            "mentions": [{"start": s, "end": e, "text": text[s:e]} for s, e in spans],
        })
    records.sort(key=lambda r: (r["mentions"][0]["start"], r["id"]))
    return _unique_ids(records)


def _phrase(cluster: EntityCluster) -> str:
    """An unnamed entity's label: its first set, phrase or value as written, trimmed."""
    for kind in ("group", "nominal", "value"):
        for mention in cluster.mentions:
            if mention.kind == kind:
                return display_name(mention.text) or mention.text
    return cluster.label


def _unique_ids(records: list[dict]) -> list[dict]:
    """Number the later of two records that share an id: "flag", "flag (2)"."""
    seen: Counter[str] = Counter()
    for record in records:
        seen[record["id"]] += 1
        if seen[record["id"]] > 1:
            record["id"] = f"{record['id']} ({seen[record['id']]})"
    return records


def file_entities(path: str | Path, aliases: AliasTable | None = None) -> list[dict]:
    """:func:`document_entities` of an article file, offsets into its text exactly as read.

    Offsets index the text as ``extractors.documents`` decodes it, except that a UTF-8
    byte-order mark counts as the first character, so that for UTF-8 files they index
    ``path.read_bytes().decode()``.
    """
    document = read_document(Path(path))
    shift = 1 if document.encoding == "utf-8-sig" else 0
    records = document_entities(document.text, aliases)
    if shift:
        for record in records:
            for mention in record["mentions"]:
                mention["start"] += shift
                mention["end"] += shift
    return records


@lru_cache(maxsize=1 << 16)
def entity_ref(head: str, entity_type: str | None = None) -> EntityRef:
    """The reference of an argument that coreference tied to no entity: its head alone, a
    name when NER typed it (cached: the same heads come back in every document).

    >>> entity_ref("the regulators"), entity_ref("Bernstein’s", "ORG").names
    (EntityRef(label='regulators', entity_type=None, names=()), ('Bernstein',))
    """
    label = display_name(head) or head
    return EntityRef(label, entity_type, (label,) if entity_type else ())
