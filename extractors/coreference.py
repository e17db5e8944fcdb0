"""Within-document coreference: which mentions of a document name the same entity.

Rule-based on the parse, in the spirit of the Stanford multi-pass sieve (Lee et al. 2013,
"Deterministic coreference resolution based on entity-centric, precision-ranked rules"):
passes run from the most to the least precise, each joining mentions into the clusters the
earlier ones built.

1. Appositions and parenthetical names: "Robin Zhu, an analyst at Bernstein";
   "China Central Television (CCTV)".
2. The same name again: "Alibaba" ... "Alibaba’s".
3. Name variants: a corporate suffix dropped ("Alibaba Group" / "Alibaba"), a person's
   surname or given name ("Li Qiang" / "Li"), an acronym ("IE" / "Internet Explorer").
4. Definite descriptions: "the premier" joins the person a name called Premier, "the
   company" the most recent company, "these companies" the most recent coordination of
   companies ("Alibaba and Tencent").
5. Pronouns: he, she, it, they and their forms join the most salient compatible antecedent
   in the same or the two previous sentences: agreement in number and person-hood, no
   antecedent in the pronoun's own clause (binding), then salience (subjects before objects,
   names before common nouns, recent before distant).

Names of different people or companies are never joined because they share a word: "Ant
Group" and "Alibaba Group" differ once "Group" is set aside, and a surname only joins a
person's full name.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache

from spacy.tokens import Doc

from extractors.arguments import entity_head
from extractors.mentions import (
    CORPORATE_SUFFIXES,
    PRONOUNS,
    REFLEXIVES,
    EntityMention,
    find_mentions,
)
from extractors.parse_table import ParseTable, kept_table, parse_table
from extractors.triple import (
    Argument,
    EntityRef,
    Triple,
    value_class,
    with_arguments,
    with_entities,
)

#: Small words that acronyms skip: "National Development and Reform Commission" -> NDRC.
_ACRONYM_SKIPS = {"of", "and", "the", "for", "&", "de", "du", "la", "in", "on", "to"}
_PERSON = "PERSON"
_PLACE_LABELS = {"GPE", "LOC", "FAC"}

#: Common nouns that can describe an entity of a type, for "the company", "the premier".
TYPE_NOUNS: dict[str, frozenset[str]] = {
    "PERSON": frozenset(
        "premier president minister analyst chairman chairwoman founder co-founder executive "
        "ceo director official spokesman spokeswoman spokesperson leader man woman boy girl "
        "player coach artist actor actress singer writer author researcher scientist "
        "professor student lawyer attorney judge prosecutor investor billionaire "
        "entrepreneur politician senator governor mayor king queen prince princess chief "
        "manager victim suspect defendant father mother son daughter husband wife star "
        "striker goalkeeper midfielder defender photographer designer doctor officer "
        "secretary chancellor candidate economist teenager child boss head".split()),
    "ORG": frozenset(
        "company firm group giant corporation conglomerate business enterprise operator "
        "platform startup start-up bank lender insurer retailer carrier airline maker "
        "manufacturer automaker producer agency regulator ministry department organisation "
        "organization party team club union university school court newspaper paper "
        "broadcaster network studio publisher developer website site service exchange fund "
        "association council committee commission board institute charity church league "
        "brand label outlet channel station magazine".split()),
    "PLACE": frozenset(
        "country nation city state province region capital town village island territory "
        "county kingdom republic municipality metropolis".split()),
    "PRODUCT": frozenset(
        "browser software product phone device car model film movie book album song show "
        "series game app application system vehicle aircraft drug vaccine".split()),
    "EVENT": frozenset(
        "event festival tournament match game championship cup election war conference "
        "summit competition contest exhibition exhibit expo show ceremony".split()),
}
#: The nouns that may refer back to any entity of their class just named ("the company"); a
#: more specific noun ("the newspaper") needs the entity to have been described by it.
GENERIC_NOUNS: dict[str, frozenset[str]] = {
    "ORG": frozenset("company firm group giant conglomerate corporation business".split()),
    "PLACE": frozenset("country nation".split()),
}
_ANY_GENERIC_NOUN = frozenset().union(*GENERIC_NOUNS.values())
_TYPE_CLASSES = {
    "PERSON": "PERSON", "ORG": "ORG", "NORP": "ORG", "GPE": "PLACE", "LOC": "PLACE",
    "FAC": "PLACE", "PRODUCT": "PRODUCT", "WORK_OF_ART": "PRODUCT", "EVENT": "EVENT",
}
#: Determiners that make a noun phrase point back at something already known.
_DEFINITE = {"the", "this", "that", "these", "those", "both"}
#: Modifiers that make a description contrast with, not refer to, an earlier entity.
_CONTRASTIVE = {"other", "another", "second", "rival", "former", "previous", "next", "new",
                "first", "last", "such", "similar", "different", "same"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
_CLAUSE_DEPS = {"ROOT", "ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "pcomp", "csubj",
                "parataxis"}
_OBJECT_DEPS = {"dobj", "iobj", "attr", "dative"}
_ARGUMENT_DEPS = _SUBJECT_DEPS | _OBJECT_DEPS
#: How salient an antecedent is by its role in its clause, before the other clues.
_ROLE_SALIENCE = {"nsubj": 80, "nsubjpass": 70, "pobj": 30, "poss": 35,
                  **dict.fromkeys(_OBJECT_DEPS, 50)}
#: ``_ROLE_SALIENCE`` with the bonus of a subject (``_salience``).
_ROLE_CEILINGS = {role: score + 30 * (role in _SUBJECT_DEPS)
                  for role, score in _ROLE_SALIENCE.items()}
#: What a pronoun's antecedent loses per sentence between them, and the most salient an
#: antecedent in the pronoun's sentence can be (the sum of every bonus of ``_salience``).
_SENTENCE_PENALTY = 45
_MOST_SALIENT = max(_ROLE_SALIENCE.values()) + 20 + 10 + 30 + 5 * 6
_PLURAL_TAGS = {"NNS", "NNPS"}
_GENDERS = {"male", "female"}
#: Sentences back that pronouns and class nouns ("the company") look for an antecedent.
PRONOUN_WINDOW = 2
DESCRIPTION_WINDOW = 3
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)


@value_class
class EntityCluster:
    """The mentions of one entity in one document.

    ``label`` is the most complete proper name (or the phrase of an unnamed entity);
    ``entity_type`` the NER label, one per entity; ``names`` every distinct name it goes by,
    most complete first. ``members`` are the indices (in the list this cluster came in) of
    the entities a set such as "these companies" stands for.
    """

    label: str
    entity_type: str | None
    mentions: tuple[EntityMention, ...]
    names: tuple[str, ...] = ()
    members: tuple[int, ...] = ()

    @property
    def is_named(self) -> bool:
        return bool(self.names)


# -- comparing names ---------------------------------------------------------------------------


@lru_cache(maxsize=1 << 16)  # asked again and again for the same names; the answer is a tuple
def name_words(name: str) -> tuple[str, ...]:
    """The words of a name, case-folded, without dots, articles or a possessive.

    >>> name_words("the U.S. Department of Justice’s")
    ('us', 'department', 'of', 'justice')
    """
    text = unicodedata.normalize("NFKC", name).replace(".", "")
    text = re.sub(r"['’]s?$", "", text.strip())
    words = tuple(w.casefold() for w in _WORD.findall(text))
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return words


def core_words(name: str) -> tuple[str, ...]:
    """The words that tell an organisation apart: its name without corporate suffixes.

    >>> core_words("Alibaba Group Holding Ltd."), core_words("Ant Group")
    (('alibaba',), ('ant',))
    """
    words = list(name_words(name))
    while len(words) > 1 and words[-1] in CORPORATE_SUFFIXES:
        words.pop()
    return tuple(words)


def has_corporate_suffix(name: str) -> bool:
    """Whether a name ends in a company designator ("Group", "Inc.", "Holdings")."""
    words = name_words(name)
    return len(words) > 1 and words[-1] in CORPORATE_SUFFIXES


def acronym_key(text: str) -> str | None:
    """The case-folded letters of a name written as an acronym ("U.S." -> "us"), else None.

    >>> acronym_key("U.S."), acronym_key("IE6"), acronym_key("Ant")
    ('us', 'ie6', None)
    """
    letters = text.replace(".", "").replace(" ", "")
    if (2 <= len(letters) <= 8 and letters.isalnum() and letters[0].isupper()
            and sum(c.isupper() for c in letters) >= 2):
        return letters.casefold()
    return None


def initials(name: str) -> set[str]:
    """The acronyms a multi-word name may go by, with and without its small words.

    >>> sorted(initials("National Development and Reform Commission"))
    ['ndarc', 'ndrc']
    """
    words = [w for w in name_words(name) if w not in CORPORATE_SUFFIXES or w == "company"]
    if len(words) < 2:
        return set()
    return {"".join(w if w.isdigit() else w[0] for w in words if w not in _ACRONYM_SKIPS),
            "".join(w if w.isdigit() else w[0] for w in words)}


def is_acronym_of(short: str, long: str) -> bool:
    """Whether ``short`` is the initials of ``long`` (numbers kept: "IE6").

    >>> is_acronym_of("NDRC", "National Development and Reform Commission")
    True
    >>> is_acronym_of("IE6", "Internet Explorer 6"), is_acronym_of("Ant", "Alibaba N T")
    (True, False)
    """
    key = acronym_key(short)
    return key is not None and key in initials(long)


def type_class(label: str | None) -> str | None:
    """The coarse class of an NER label: PERSON, ORG, PLACE, PRODUCT, EVENT or None."""
    return _TYPE_CLASSES.get(label or "")


# -- the resolver -------------------------------------------------------------------------------


def entity_clusters(doc: Doc) -> list[EntityCluster]:
    """The entities of a document: clusters with a name or a value, in order of appearance.

    Unnamed entities are kept when a mention holds a proper noun ("Scientology officials") or
    when a set is referred to again ("Alibaba and Tencent" ... "These companies").

    >>> from extractors import load_model
    >>> doc = load_model()("Premier Li Qiang met Alibaba Group. Li praised the company.")
    >>> [(c.label, [m.text for m in c.mentions]) for c in entity_clusters(doc)]
    [('Li Qiang', ['Li Qiang', 'Li']), ('Alibaba Group', ['Alibaba Group', 'the company'])]
    """
    clusters = resolve(doc)
    kept = [n for n, cluster in enumerate(clusters) if _is_entity(cluster, doc)]
    renumbered = {old: new for new, old in enumerate(kept)}
    return [replace(clusters[n], members=tuple(renumbered[m] for m in clusters[n].members
                                               if m in renumbered))
            for n in kept]


def resolve(doc: Doc) -> list[EntityCluster]:
    """Every cluster of the document, named or not, in order of first mention."""
    with kept_table(doc):  # read by entity_head; dropped here unless extraction keeps it
        return _Resolver(doc).run()


def _is_entity(cluster: EntityCluster, doc: Doc) -> bool:
    if cluster.names or any(m.kind == "value" for m in cluster.mentions):
        return True
    if cluster.members:
        return len(cluster.mentions) > 1
    return any(m.kind == "nominal" and any(t.pos_ == "PROPN" for t in doc[m.first:m.last + 1])
               for m in cluster.mentions)


class _Resolver:
    """Union-find over the mentions of one document, filled by the passes in order.

    Token attributes are read from the document's ``ParseTable``; what a cluster is (its
    type, the words that described it, its pronouns) is kept by cluster root until a union
    changes that cluster.
    """

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.table = parse_table(doc)
        self.mentions = find_mentions(doc)
        self.parent = list(range(len(self.mentions)))
        #: The members of each cluster by its root, kept up to date by ``union`` so that a
        #: cluster's members cost its size, not the document's mention count.
        self.groups = {k: [k] for k in range(len(self.mentions))}
        self.sentence_of = self.table.sentence
        self.by_span = {(m.first, m.last): k for k, m in enumerate(self.mentions)}
        #: Whether a mention is a company's name with its designator ("Ant Group").
        kinds = [m.kind for m in self.mentions]
        self.names = [k for k, kind in enumerate(kinds) if kind == "name"]
        self.sets = [k for k, kind in enumerate(kinds) if kind == "group"]
        self.suffixed = [False] * len(kinds)
        self.types = [m.label for m in self.mentions]
        for k in self.names:
            if has_corporate_suffix(self.mentions[k].text):
                self.suffixed[k] = True
                self.types[k] = "ORG"
        #: The sentence of each mention, and whether it may be a pronoun's antecedent at all
        #: (not a value, not an adjective: "Chinese" in "Chinese stocks").
        self.mention_sentence = [self.sentence_of[m.first] for m in self.mentions]
        dep = self.table.dep
        roles = [dep[m.head] for m in self.mentions]
        self.may_antecede = [kind != "value" and role != "amod"
                             for kind, role in zip(kinds, roles, strict=True)]
        #: The most salient each mention can be as an antecedent in the pronoun's sentence
        #: (``_salience`` with every bonus its role and kind allow).
        self.salience_ceilings = [
            _ROLE_CEILINGS.get(role, 0) + (60 if kind in {"name", "pronoun"} else 30)
            for kind, role in zip(kinds, roles, strict=True)]
        #: ``_number_and_person`` by mention.
        self.numbers_and_persons: dict[int, tuple[bool, bool]] = {}
        #: Every word a cluster may have been called by (``_described_by``): the titles and
        #: the words of every name, the nouns of the phrases joined to any cluster (kept up
        #: to date by ``union``) and, once asked, the beginnings of the names' words.
        self.titles = {title for m in self.mentions for title in m.titles}
        self.name_words = {word for k in self.names for word in name_words(self.mentions[k].text)}
        self.joined_nouns: set[str] = set()
        self.name_word_beginnings: set[str] | None = None
        #: ``_vote_type``, the words ``_described_by`` reads and ``_pronoun_facts``, by
        #: cluster root.
        self.cluster_types: dict[int, str | None] = {}
        self.descriptions: dict[int, tuple[set[str], set[str], dict[str, bool]]] = {}
        self.pronoun_facts: dict[int, tuple[str | None, str | None, bool, set[str]]] = {}
        #: ``_clause_head`` by token.
        self.clause_heads: dict[int, int] = {}

    # union-find
    def find(self, k: int) -> int:
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            for root in (ra, rb):
                if len(self.groups[root]) == 1 and self.mentions[root].kind == "nominal":
                    self.joined_nouns.add(self.table.lemma(self.mentions[root].head).lower())
            keep, gone = min(ra, rb), max(ra, rb)
            self.parent[gone] = keep
            self.groups[keep] = sorted(self.groups[keep] + self.groups.pop(gone))
            for facts in (self.cluster_types, self.descriptions, self.pronoun_facts):
                facts.pop(ra, None)
                facts.pop(rb, None)

    def members(self, k: int) -> list[int]:
        return self.groups[self.find(k)]

    # passes
    def run(self) -> list[EntityCluster]:
        self.link()
        return self._clusters()

    def link(self) -> None:
        """Join the mentions into clusters, pass by pass."""
        self._appositions()
        self._same_names()
        self._name_variants()
        self._descriptions_and_pronouns()

    def _appositions(self) -> None:
        table = self.table
        text = table.text
        headed: dict[int, int] = {}  # the first name or phrase on each head token
        for k, mention in enumerate(self.mentions):
            if mention.kind in {"name", "nominal"}:
                headed.setdefault(mention.head, k)
        # the few heads with an apposition: most mentions have none to look for
        apposed = {table.head[child] for child in table.by_dep.get("appos", ())}
        by_head: dict[int, int] = {}
        for k, mention in enumerate(self.mentions):
            if mention.kind not in {"name", "nominal"}:
                continue
            # "the Xinhua news agency" is the name "Xinhua news agency" with an article.
            if mention.head in by_head:
                self.union(by_head[mention.head], k)
            by_head.setdefault(mention.head, k)
            after = mention.last + 1
            if (mention.kind == "name" and after + 2 < len(text) + 1 and text[after] == "("
                    and after + 2 < len(text) and text[after + 2] == ")"):
                inner = self.by_span.get((after + 1, after + 1))
                if inner is not None and self.mentions[inner].is_name:
                    self.union(k, inner)
                    continue
            if mention.head not in apposed:
                continue
            for child in table.children[mention.head]:
                if table.dep[child] != "appos" or child <= mention.last:
                    continue
                other = headed.get(child)
                if (other is not None and self.mentions[other].first == after + 1
                        and text[after] == ","
                        and self._apposition_holds(mention, self.mentions[other])):
                    self.union(k, other)

    def _apposition_holds(self, first: EntityMention, second: EntityMention) -> bool:
        """Name + description ("Robin Zhu, an analyst at Bernstein"), not a list of names."""
        if first.is_name == second.is_name:
            return False
        nominal = first if second.is_name else second
        table = self.table
        head = nominal.head
        if table.tag[head] in {"NNS", "NNPS"} or table.conjuncts(head):
            return False
        opener = table.lower[nominal.first]
        described = any(table.dep[c] == "prep" and table.lower[c] in {"of", "at", "for", "in",
                                                                         "from"}
                        for c in table.children[head])
        return opener in {"a", "an", "the"} or described

    def _same_names(self) -> None:
        """The same name, value, or phrase around a name ("the New Zealand government")."""
        pos = self.table.pos
        first_with: dict[tuple[str, ...], int] = {}
        for k, mention in enumerate(self.mentions):
            if mention.kind == "nominal" and "PROPN" in pos[mention.first : mention.last + 1]:
                words = [w for w in name_words(mention.text) if w not in _DEFINITE]
                key = ("nominal", *words)
            elif mention.kind in {"name", "value"}:
                key = (mention.kind, *name_words(mention.text))
            else:
                continue
            if key in first_with:
                self.union(first_with[key], k)
            else:
                first_with[key] = k

    def _name_variants(self) -> None:
        """Each name joins the first other name with its core words, else the first it is
        the acronym of, else a person's name it is part of; names are indexed by these keys
        once instead of compared pair by pair."""
        by_core: dict[tuple[str, ...], list[int]] = {}
        by_initials: dict[str, list[int]] = {}
        people: dict[str, list[tuple[int, int, set[str]]]] = {"": []}
        for j in self.names:
            text = self.mentions[j].text
            if self.types[j] == _PERSON:
                words = name_words(text)
                person = (j, len(words), set(words))
                for word in ("", *person[2]):
                    people.setdefault(word, []).append(person)
            else:
                by_core.setdefault(core_words(text), []).append(j)
            for key in initials(text):
                by_initials.setdefault(key, []).append(j)
        for k in self.names:
            text = self.mentions[k].text
            target = None
            if self.types[k] != _PERSON:
                target = _first_other(by_core.get(core_words(text), ()), k)
            if target is None:
                key = acronym_key(text)
                target = None if key is None else _first_other(by_initials.get(key, ()), k)
            if target is None:
                target = self._person_match(k, people)
            if target is not None:
                self.union(k, target)

    def _person_match(self, k: int, people: dict[str, list[tuple[int, int, set[str]]]]
                      ) -> int | None:
        """A shorter name that is part of a person's full name; the nearest earlier wins.
        ``people`` holds the people's names by each of their words."""
        mention = self.mentions[k]
        if self.types[k] not in {_PERSON, None}:
            return None
        words = name_words(mention.text)
        wanted = set(words)
        before, after = None, None
        for j, length, longer in people.get(words[0], ()) if words else people[""]:
            if j == k or length <= len(words) or not wanted <= longer:
                continue
            if self.mentions[j].start < mention.start:
                before = j
            elif after is None:
                after = j
        return before if before is not None else after

    def _descriptions_and_pronouns(self) -> None:
        lower = self.table.lower
        for k, mention in enumerate(self.mentions):
            if mention.kind == "nominal":
                if lower[mention.first] not in _DEFINITE:
                    continue  # not a description: most phrases
                target = self._description_antecedent(k)
            elif mention.kind == "pronoun":
                target = self._pronoun_antecedent(k)
            else:
                continue
            if target is not None:
                self.union(k, target)

    # cluster properties
    def _cluster_type(self, root: int) -> str | None:
        if root not in self.cluster_types:
            self.cluster_types[root] = self._vote_type(root)
        return self.cluster_types[root]

    def _vote_type(self, root: int) -> str | None:
        members = self.groups[root]
        if len(members) == 1:
            return self.types[root] if self.mentions[root].is_name else None
        if any(self.suffixed[j] for j in members):
            return "ORG"
        typed = [j for j in members if self.mentions[j].is_name and self.types[j]]
        if len(typed) < 2:
            return self.types[typed[0]] if typed else None
        labels = Counter(self.types[j] for j in typed)
        longest = max(typed, key=lambda j: (len(name_words(self.mentions[j].text)), -j))
        return max(labels, key=lambda label: (labels[label], label == self.types[longest]))

    def _described_by(self, root: int, lemma: str) -> bool:
        """Whether the entity was called a ``lemma`` before: by a title ("Premier Li"), an
        apposition or description ("an analyst"), or a word of its name ("the commission"
        for the National Development and Reform Commission, "the regulator" for a
        Regulatory Commission)."""
        if root not in self.descriptions:
            called, named = set(), set()
            for j in self.groups[root]:
                mention = self.mentions[j]
                called.update(mention.titles)
                if mention.kind == "nominal":
                    called.add(self.table.lemma(mention.head).lower())
                if mention.is_name:
                    named.update(name_words(mention.text))
            # with the answers about the beginnings of its names' words, by noun asked
            self.descriptions[root] = (called, named, {})
        called, named, beginnings = self.descriptions[root]
        if lemma in called or lemma in named:
            return True
        if len(lemma) < 6:
            return False
        if lemma not in beginnings:
            beginnings[lemma] = any(word.startswith(lemma[:-1]) for word in named)
        return beginnings[lemma]

    def _may_be_described(self, lemma: str) -> bool:
        """Whether any cluster may answer ``_described_by`` for ``lemma``: when none can, a
        description is not weighed against every name before it."""
        if lemma in self.titles or lemma in self.name_words or lemma in self.joined_nouns:
            return True
        if len(lemma) < 6:
            return False
        if self.name_word_beginnings is None:
            self.name_word_beginnings = {word[:n] for word in self.name_words
                                         for n in range(5, len(word) + 1)}
        return lemma[:-1] in self.name_word_beginnings

    def _pronoun_facts(self, root: int) -> tuple[str | None, str | None, bool, set[str]]:
        """What a pronoun must agree with in a cluster: its type, the class of its type,
        whether it holds a name, and the genders of its pronouns."""
        if root not in self.pronoun_facts:
            members = self.groups[root]
            if len(members) == 1:  # most are: no vote, no pronouns but maybe their own
                mention = self.mentions[root]
                named = mention.kind == "name"
                entity_type = self.types[root] if named else None
                genders = ({PRONOUNS[mention.text.lower()][1]} if mention.kind == "pronoun"
                           else set())
            else:
                entity_type = self._cluster_type(root)
                mentions = [self.mentions[m] for m in members]
                named = any(m.kind == "name" for m in mentions)
                genders = {PRONOUNS[m.text.lower()][1] for m in mentions if m.kind == "pronoun"}
            self.pronoun_facts[root] = (entity_type, _TYPE_CLASSES.get(entity_type or ""),
                                        named, genders)
        return self.pronoun_facts[root]

    def _description_antecedent(self, k: int) -> int | None:
        mention = self.mentions[k]
        table = self.table
        head = mention.head
        if table.lower[mention.first] not in _DEFINITE or self.find(k) != k:
            return None
        words = set(table.lower[mention.first : mention.last + 1])
        if words & _CONTRASTIVE or any(
                table.dep[c] in {"prep", "relcl", "acl"} and table.lower[c] != "'s"
                for c in table.children[head]):
            return None
        if "PROPN" in table.pos[mention.first : mention.last + 1]:
            return None
        lemma = table.lemma(head).lower()
        sentences = self.mention_sentence
        sentence = sentences[k]
        if table.tag[head] in {"NNS", "NNPS"}:
            sets = self.sets
            for n in range(bisect_left(sets, k) - 1, -1, -1):
                j = sets[n]
                if sentence - sentences[j] > DESCRIPTION_WINDOW:
                    break  # sets are in text order: the rest are further back
                if self.mentions[j].last < mention.first and self._group_fits(j, lemma):
                    return j
            return None
        # "the company" may be any company just named; "the central bank" is a new one
        # unless the bank was described so before.
        generic = mention.last - mention.first == 1 and lemma in _ANY_GENERIC_NOUN
        describable = self._may_be_described(lemma)
        if not (generic or describable):
            return None
        best: tuple[int, int] | None = None  # (score, mention index)
        # A cluster's later names score as its most recent one or lower: each is weighed once.
        weighed = set()
        names = self.names
        for n in range(bisect_left(names, k) - 1, -1, -1):
            j = names[n]
            if self.mentions[j].last >= mention.first:
                continue
            root = self.find(j)
            if root in weighed:
                continue
            weighed.add(root)
            distance = sentence - sentences[j]
            if not describable and distance > DESCRIPTION_WINDOW:
                break  # names are in text order: none further back can score
            if describable and self._described_by(root, lemma):
                score = 2
            elif generic and distance <= DESCRIPTION_WINDOW and (
                    lemma in GENERIC_NOUNS.get(type_class(self._cluster_type(root)), ())):
                score = 1
            else:
                continue
            if best is None or score > best[0]:
                best = (score, j)
            if score == 2:
                break
        return best[1] if best else None

    def _group_fits(self, group: int, lemma: str) -> bool:
        """Whether "these <lemma>" can be the coordination: its parts fit the noun."""
        mention = self.mentions[group]
        parts = [self.by_span.get((i, i)) for i in self._group_members(mention)]
        classes = set()
        for part in parts:
            if part is None:
                return False
            classes.add(type_class(self._cluster_type(self.find(part))))
            if self.mentions[part].kind == "nominal":
                classes.add("LEMMA:" + self.table.lemma(self.mentions[part].head).lower())
        for cls in classes:
            if cls and cls.startswith("LEMMA:"):
                if cls[6:] != lemma:
                    return False
            elif cls is None or lemma not in TYPE_NOUNS.get(cls, ()):
                return False
        return True

    def _group_members(self, group: EntityMention) -> list[int]:
        return sorted((group.head, *self.table.conjuncts(group.head)))

    def _pronoun_antecedent(self, k: int) -> int | None:
        pronoun = self.mentions[k]
        mentions, sentences, parent = self.mentions, self.mention_sentence, self.parent
        may_antecede = self.may_antecede
        word = pronoun.text.lower()
        number, gender = PRONOUNS[word]
        token = pronoun.head
        sentence = sentences[k]
        may_bind = self.table.dep[token] != "poss"
        reflexive = word in REFLEXIVES
        ceilings = self.salience_ceilings
        best: tuple[float, int] | None = None
        for j in range(k - 1, -1, -1):
            distance = sentence - sentences[j]
            if distance > PRONOUN_WINDOW or best is not None and best[0] >= (
                    _MOST_SALIENT - _SENTENCE_PENALTY * distance):
                break  # none further back can be more salient than the best so far
            other = mentions[j]
            if not may_antecede[j] or other.last >= pronoun.first:
                continue
            if (best is not None and not reflexive
                    and ceilings[j] - _SENTENCE_PENALTY * distance <= best[0]):
                continue  # cannot be more salient than the best so far
            if other.kind == "pronoun" and parent[j] == j:  # a pronoun resolved to nothing
                continue
            if not self._agrees(j, number, gender):
                continue
            if reflexive:
                if distance == 0 and self._clause_of(other.head) == self._clause_of(token):
                    return j
                continue
            if may_bind and distance == 0 and self._bound(other, token):
                continue
            score = self._salience(j, token, distance)
            if best is None or score > best[0]:
                best = (score, j)
        return best[1] if best else None

    def _agrees(self, j: int, number: str, gender: str) -> bool:
        kind = self.mentions[j].kind
        if kind == "group":
            return number == "plural"
        if kind == "nominal" and len(self.groups.get(j, ())) == 1:
            # a lone phrase, as most are: no type, name or pronouns to agree with, only its
            # own number and person-hood
            plural, person = (self.numbers_and_persons.get(j) or self._number_and_person(j))
            if number == "plural":
                return plural
            return not plural and (person if gender in _GENDERS else not person)
        root = self.find(j)
        raw_type, cluster_type, named, genders = (self.pronoun_facts.get(root)
                                                  or self._pronoun_facts(root))
        plural, person = (self.numbers_and_persons.get(j) or self._number_and_person(j))
        if kind == "name" or kind == "nominal" and named:
            # a name's number and person-hood are its cluster's
            plural = cluster_type is None and plural
            person = cluster_type == "PERSON"
            if raw_type == "NORP" and number == "plural":
                return True
        if number == "plural":
            return plural or (cluster_type == "ORG" and not person)
        if plural:
            return False
        if gender in _GENDERS:
            return (person or (cluster_type is None and named)) and not (
                genders - {gender, "any"})
        return not person and not (genders & _GENDERS)

    def _number_and_person(self, j: int) -> tuple[bool, bool]:
        """Whether mention ``j`` is plural and names a person, by its own words: a pronoun's
        number and gender, a noun's tag and lemma ("analysts")."""
        mention = self.mentions[j]
        if mention.kind == "pronoun":
            number, gender = PRONOUNS[mention.text.lower()]
            facts = (number == "plural", gender in _GENDERS)
        else:
            head = mention.head
            facts = (self.table.tag[head] in _PLURAL_TAGS,
                     mention.kind == "nominal"
                     and self.table.lemma(head).lower() in TYPE_NOUNS["PERSON"])
        self.numbers_and_persons[j] = facts
        return facts

    def _bound(self, other: EntityMention, pronoun: int) -> bool:
        """An object pronoun cannot name the subject of its own clause ("Li praised him")."""
        antecedent = other.head
        return (self.table.dep[antecedent] in _ARGUMENT_DEPS
                and self._clause_of(antecedent) == self._clause_of(pronoun))

    def _salience(self, j: int, pronoun: int, distance: int) -> float:
        other = self.mentions[j]
        dep = self.table.dep
        head = other.head
        role = dep[head]
        score = _ROLE_SALIENCE.get(role, 0)
        if role in _SUBJECT_DEPS:
            if dep[pronoun] in _SUBJECT_DEPS:
                score += 20
            if distance == 0 and self._clause_of(head) != self._clause_of(pronoun):
                score += 10
        if other.kind in {"name", "pronoun"}:
            score += 30
        score += 5 * min(len(self.members(j)), 6)
        score -= _SENTENCE_PENALTY * distance
        if distance == 0:
            score -= 0.1 * (pronoun - other.last)
        return score

    def _clause_of(self, i: int) -> int:
        """``_clause_head`` of token ``i``, worked out once per token."""
        clause = self.clause_heads.get(i)
        if clause is None:
            clause = self.clause_heads[i] = _clause_head(self.table, i)
        return clause

    def _phrase_label(self, mentions: Sequence[EntityMention]) -> str:
        """The label of an unnamed entity: its first set, or the core of its first noun
        phrase as a triple argument names it ("some fund managers" -> "fund managers")."""
        for kind in ("group", "nominal", "value"):
            for mention in mentions:
                if mention.kind == kind == "nominal":
                    first, last, _ = entity_head(self.table, mention.head)
                    return self.table.span_text(first, last + 1)
                if mention.kind == kind:
                    return _display(mention.text)
        return mentions[0].text

    # output
    def _clusters(self) -> list[EntityCluster]:
        # A cluster's root is its first mention (``union`` keeps the smaller root), and
        # mentions are in text order: in order of roots, clusters come in order of first
        # mention.
        roots = sorted(self.groups)
        index = {root: n for n, root in enumerate(roots)}
        clusters = [self._cluster(root) for root in roots]
        return [replace(cluster, members=tuple(index[m] for m in cluster.members))
                if cluster.members else cluster for cluster in clusters]

    def _cluster(self, root: int) -> EntityCluster:
        """The cluster of ``root``, the members of a set as the roots of their clusters."""
        members = self.groups[root]
        if len(members) == 1 and self.mentions[root].kind != "group":
            return self._single_cluster(root)
        mentions = tuple(sorted((self.mentions[j] for j in members),
                                key=lambda m: (m.start, m.end)))
        names = _ordered_names([m for m in mentions if m.is_name])
        entity_type = self._cluster_type(root)
        if not names:
            entity_type = next((m.label for m in mentions if m.kind == "value"), None)
        set_members: tuple[int, ...] = ()
        group = next((self.mentions[j] for j in members
                      if self.mentions[j].kind == "group"), None)
        if group is not None and not names:
            parts = [self.by_span.get((i, i)) for i in self._group_members(group)]
            set_members = tuple(sorted({self.find(p) for p in parts if p is not None}))
        label = names[0] if names else self._phrase_label(mentions)
        return EntityCluster(label, entity_type, mentions, names, set_members)

    def _names_nothing(self, root: int) -> bool:
        """Whether the cluster of ``root`` is a lone phrase or value, which stands for no
        entity (``_entity_ref``): most are, and need no label."""
        return (len(self.groups[root]) == 1
                and self.mentions[root].kind in {"nominal", "value"})

    def entities_by_end(self, ends: set[int]) -> dict[int, tuple[EntityRef, ...]]:
        """What ``_entities_by_end`` finds in the clusters ``run`` returns, making only the
        clusters a mention ending at one of ``ends`` belongs to (and their sets' members):
        most clusters are phrases no argument ends with, or that stand for no entity."""
        references: dict[int, EntityRef | None] = {}

        def reference(root: int) -> EntityRef | None:
            if root not in references:
                references[root] = None if self._names_nothing(root) else self._reference(root)
            return references[root]

        def entities(root: int) -> tuple[EntityRef, ...]:
            if self._names_nothing(root):
                return ()
            own = reference(root)
            if own is not None:
                return (own,)
            if all(self.mentions[j].kind != "group" for j in self.groups[root]):
                return ()  # not a set: no members
            return tuple(entity for member in self._cluster(root).members
                         if (entity := reference(member)) is not None)

        holders: dict[int, list[int]] = {}
        for k, mention in enumerate(self.mentions):
            if mention.end in ends:
                holders.setdefault(mention.end, []).append(self.find(k))
        return _first_entities(holders, entities)

    def _reference(self, root: int) -> EntityRef | None:
        """``_entity_ref`` of the cluster of ``root``; a named one's made from its names
        alone, without the cluster: most references are of names."""
        members = self.groups[root]
        mentions = self.mentions
        if len(members) == 1:
            mention = mentions[root]
            names = (_display(mention.text),) if mention.kind == "name" else ()
        else:
            # _ordered_names of the names in text order, as ``_cluster`` sorts its mentions
            names = _ordered_names(sorted((m for j in members if (m := mentions[j]).is_name),
                                          key=lambda m: (m.start, m.end)))
        if names:
            return EntityRef(names[0], self._cluster_type(root), names)
        return _entity_ref(self._cluster(root))

    def _single_cluster(self, k: int) -> EntityCluster:
        """The cluster of a mention that nothing joined, not a set: most are, and the votes
        and orderings of ``_clusters`` have one answer for them."""
        mention = self.mentions[k]
        if mention.is_name:
            name = _display(mention.text)
            return EntityCluster(name, self._cluster_type(k), (mention,), (name,))
        entity_type = mention.label if mention.kind == "value" else None
        return EntityCluster(self._phrase_label((mention,)), entity_type, (mention,))

def _first_other(candidates: Sequence[int], k: int) -> int | None:
    """The first of ``candidates`` that is not ``k``."""
    return next((j for j in candidates if j != k), None)


def _clause_head(table: ParseTable, i: int) -> int:
    """The verb (or root) of the clause the token at ``i`` belongs to."""
    while table.dep[i] not in _CLAUSE_DEPS and table.head[i] != i:
        i = table.head[i]
    return i


def _ordered_names(mentions: Sequence[EntityMention]) -> tuple[str, ...]:
    """Distinct names, the most complete first: most words, then most used, then first."""
    if not mentions:
        return ()
    counts = Counter(_display(m.text) for m in mentions)
    first_seen: dict[str, int] = {}
    for n, mention in enumerate(mentions):
        first_seen.setdefault(_display(mention.text), n)
    return tuple(sorted(counts, key=lambda name: (-len(name_words(name)), -counts[name],
                                                  first_seen[name])))


def _display(text: str) -> str:
    return " ".join(text.split())


# -- triples ------------------------------------------------------------------------------------


def resolve_triples(triples: Sequence[Triple], doc: Doc) -> list[Triple]:
    """``resolve_arguments(triples, resolve(doc))``, labelling only the clusters an
    argument may be resolved to: what extraction asks.

    >>> from extractors import load_model
    >>> from extractors.pipeline import extract_doc
    >>> doc = load_model()("Li Qiang met Alibaba Group. Later he praised the company.")
    >>> triples = extract_doc(doc)
    >>> resolve_triples(triples, doc) == resolve_arguments(triples, resolve(doc)) == triples
    True
    """
    with kept_table(doc):
        resolver = _Resolver(doc)
        resolver.link()
        return _with_entities(triples, resolver.entities_by_end(_argument_ends(triples)))


def resolve_arguments(triples: Sequence[Triple], clusters: Sequence[EntityCluster]
                      ) -> list[Triple]:
    """Point each subject and object at the entities coreference found for it.

    An argument is resolved when the last token of its head ends a mention of a named entity
    ("He" -> Li Qiang, "the company" -> Alibaba Group) or of a set of named entities ("These
    companies" -> Alibaba, Tencent); its text, offsets and head stay as the sentence says it.

    >>> from extractors import load_model
    >>> from extractors.pipeline import extract_doc
    >>> doc = load_model()("Li Qiang met Alibaba Group. Later he praised the company.")
    >>> for t in extract_doc(doc):
    ...     print(t.subject.head, [e.label for e in t.subject.entities], t.relation.text,
    ...           t.object.head, [e.label for e in t.object.entities])
    Li Qiang ['Li Qiang'] met Alibaba Group ['Alibaba Group']
    he ['Li Qiang'] praised company ['Alibaba Group']
    """
    return _with_entities(triples, _entities_by_end(clusters, _argument_ends(triples)))


def _argument_ends(triples: Sequence[Triple]) -> set[int]:
    """Where the heads of the subjects and objects end: the mentions resolution looks at."""
    return ({triple.subject.head_end for triple in triples}
            | {triple.object.head_end for triple in triples})


def _with_entities(triples: Sequence[Triple], by_end: dict[int, tuple[EntityRef, ...]]
                   ) -> list[Triple]:
    """The triples with each subject and object pointed at the entities of the mention its
    head ends with."""
    resolved_triples = []
    for triple in triples:
        subject, object_ = (_resolved(triple.subject, by_end), _resolved(triple.object, by_end))
        resolved_triples.append(triple if subject is triple.subject and object_ is triple.object
                                else with_arguments(triple, subject, object_))
    return resolved_triples


def _entities_by_end(clusters: Sequence[EntityCluster], ends: set[int]
                     ) -> dict[int, tuple[EntityRef, ...]]:
    """The entities a mention ending at each of ``ends`` stands for: those of the first
    cluster that has such a mention and stands for any. Only these clusters' references are
    made: most clusters are phrases no argument ends with.

    >>> from extractors import load_model
    >>> doc = load_model()("Li Qiang met Alibaba Group. Later he praised the company.")
    >>> by_end = _entities_by_end(resolve(doc), {8, 36, 56})  # Li Qiang, he, company
    >>> {end: [entity.label for entity in entities] for end, entities in sorted(by_end.items())}
    {8: ['Li Qiang'], 36: ['Li Qiang'], 56: ['Alibaba Group']}
    """
    refs: dict[int, EntityRef | None] = {}

    def ref(n: int) -> EntityRef | None:
        if n not in refs:
            refs[n] = _entity_ref(clusters[n])
        return refs[n]

    def entities(n: int) -> tuple[EntityRef, ...]:
        own = ref(n)
        return (own,) if own is not None else tuple(
            entity for m in clusters[n].members if (entity := ref(m)) is not None)

    holders: dict[int, list[int]] = {}
    for n, cluster in enumerate(clusters):
        for mention in cluster.mentions:
            if mention.end in ends:
                holders.setdefault(mention.end, []).append(n)
    return _first_entities(holders, entities)


def _first_entities(holders: dict[int, list[int]],
                    entities: Callable[[int], tuple[EntityRef, ...]]
                    ) -> dict[int, tuple[EntityRef, ...]]:
    """For each end in ``holders``, the entities of the first of the clusters (in the order
    of their numbers) with a mention ending there that stands for any: ``holders`` numbers
    the clusters with such a mention, ``entities`` makes a cluster's entities, and is asked
    only for the clusters that may be the answer.

    >>> _first_entities({5: [3, 1, 2]}, lambda n: ("X",) * (n > 1))
    {5: ('X',)}
    """
    by_end: dict[int, tuple[EntityRef, ...]] = {}
    for end, numbers in holders.items():
        for number in numbers if len(numbers) == 1 else sorted(set(numbers)):
            if resolved := entities(number):
                by_end[end] = resolved
                break
    return by_end


def _entity_ref(cluster: EntityCluster) -> EntityRef | None:
    """A named cluster's reference; an unnamed one's only when a pronoun points at it
    ("some fund managers" ... "They"), so that the pronoun attaches to the phrase's node."""
    if cluster.names:
        return EntityRef(cluster.label, cluster.entity_type, cluster.names)
    if cluster.members or not any(m.kind == "pronoun" for m in cluster.mentions):
        return None
    return EntityRef(cluster.label)


def _resolved(argument: Argument, by_end: dict[int, tuple[EntityRef, ...]]) -> Argument:
    entities = by_end.get(argument.head_end)
    if not entities:
        return argument
    return with_entities(argument, entities)
