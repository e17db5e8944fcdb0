"""The extraction cache: each document's triples, kept with the exports, reused when nothing
that made them has changed.

A build stores the triples of every document in ``.newsgraph-cache.sqlite`` in the output
folder, under a key that hashes everything the triples depend on: the document id and the
text handed to extraction, and a *fingerprint* of the extractor (spaCy and model name and
version, the source of every module of ``extractors/`` and the extraction settings). Editing
a rule, installing another model or changing a setting changes the fingerprint, so every
entry misses and is made again; adding one article to a corpus makes one miss.

Triples are stored pickled: they are frozen dataclasses, pickle round-trips them exactly
(floats included) and is the fastest codec the standard library has. Each value is pickled
as a call of its class with its fields (:func:`_by_fields`): a dataclass's own pickling
looks its fields up again for every object, which made reading a cached corpus take longer
than merging it. Unpickling runs code
named in the data, so the cache is as trusted as the output folder it lives in; a build
never reads a cache it did not find in its own output folder. An entry that cannot be read
(a cache written by an incompatible version) is a miss, never an error.

>>> from extractors.triple import Argument, Provenance, Relation, Triple
>>> fact = Triple(Argument("Regulators", 0, 10, "Regulators", 0, 10), Relation("fined", "fine"),
...               Argument("Ant Group", 17, 26, "Ant Group", 17, 26, "ORG"),
...               Provenance("doc", 0, 0, 27, "Regulators fined Ant Group.", "active_clause"))
>>> with ExtractionCache(":memory:", "extractor v1") as cache:
...     cache.put("doc", "Regulators fined Ant Group.", [fact])
...     hit = cache.get("doc", "Regulators fined Ant Group.")
...     stale = cache.get("doc", "Regulators fined Ant Group. Later.")
>>> hit == [fact], stale
(True, None)

The same file keeps two things more, so that a rebuild after adding an article does not redo
the whole merge and export (``docs/performance.md``):

* a *snapshot* of the merged graph (:meth:`ExtractionCache.snapshot`), with the list of
  documents merged into it: when a build's documents start with that list (new articles sort
  after the old ones), the build loads it and merges only the rest (it is stored in a layout
  of its own, :func:`_snapshot_pickled`, that loads faster than a plain pickle). Entity
  matching depends on the merge order, so any other change (an article edited, removed or
  added in the middle, another alias table) merges from scratch;
* where each document's Turtle sits in the Turtle export (:class:`TurtleBlocks`), under a
  key that hashes everything it is made of: a rebuild copies it from the previous export
  instead of writing it again; and, with the snapshot, the Turtle of each of its entities,
  which a rebuild takes as it is for every entity that the documents merged after the
  snapshot did not change (``KnowledgeGraph.changed``).

Both are keyed on a fingerprint of the ``graph`` package's source too
(:func:`graph_fingerprint`), and a build writes them in transactions, so an entry is whole
and of its key or absent, whenever a build is killed.
"""

from __future__ import annotations

import copyreg
import dataclasses
import hashlib
import io
import operator
import os
import pickle
import sqlite3
from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache, partial
from importlib.metadata import version
from itertools import count, repeat
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

import spacy

import extractors
from extractors import triple as values
from extractors.nlp import load_model, model_name
from extractors.triple import Triple
from graph.files import FileRange, piece_size, read_range

if TYPE_CHECKING:
    from graph.entities import AliasTable
    from graph.knowledge_graph import KnowledgeGraph
    from graph.rdf import Extraction, Subject

#: The cache's file name in the output folder.
CACHE_NAME = ".newsgraph-cache.sqlite"
#: Bumped when the table layout or the codec changes.
_SCHEMA = 2
#: Cached entries are committed in groups this large, so that a killed build keeps most of
#: what it extracted without paying for a transaction per document.
_COMMIT_EVERY = 64


def _by_fields(value: object) -> tuple:
    """How pickle rebuilds a value: its class called with its fields, in order."""
    return type(value), tuple(getattr(value, name) for name in _FIELDS[type(value)])


#: The field names of every dataclass a triple is made of.
_FIELDS = {cls: tuple(f.name for f in dataclasses.fields(cls))
           for cls in vars(values).values()
           if isinstance(cls, type) and dataclasses.is_dataclass(cls)}
_DISPATCH = {**copyreg.dispatch_table, **dict.fromkeys(_FIELDS, _by_fields)}
_BY_NAME = {cls.__name__: cls for cls in _FIELDS}


def _held(annotation: str) -> tuple[type, bool] | None:
    """The class of those a field annotated ``annotation`` holds, and whether it holds a
    tuple of them; ``None`` for a field that holds none.

    >>> _held("tuple[EntityRef, ...]")
    (<class 'extractors.triple.EntityRef'>, True)
    >>> _held("Argument")[1], _held("tuple[str, ...]")
    (False, None)
    """
    many = annotation.startswith("tuple[") and annotation.endswith(", ...]")
    cls = _BY_NAME.get(annotation[6:-6] if many else annotation)
    return None if cls is None else (cls, many)


_HELD = {cls: tuple(_held(f.type) for f in dataclasses.fields(cls)) for cls in _FIELDS}


def _after_what_they_hold() -> list[type]:
    """The dataclasses, each after every class its fields hold."""
    order: list[type] = []

    def visit(cls: type) -> None:
        for held in _HELD[cls]:
            if held and held[0] not in order:
                visit(held[0])
        if cls not in order:
            order.append(cls)

    for cls in _FIELDS:
        visit(cls)
    return order


_ORDER = _after_what_they_hold()
#: Values a snapshot does not share when equal (:func:`_snapshot_pickled`): triples, which
#: the graph names by identity, and arguments, which seldom repeat (one in ten in the BBC
#: corpus) and are the most numerous: comparing them would cost more when saving than
#: sharing them saves when loading.
_UNSHARED = {Triple, values.Argument}
#: Annotations of fields that hold text: a snapshot stores each text once.
_TEXTS = {"str", "str | None", "tuple[str, ...]"}


def _pickled(value: object, dispatch_table: dict = _DISPATCH) -> bytes:
    out = io.BytesIO()
    pickler = pickle.Pickler(out, pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = dispatch_table
    pickler.dump(value)
    return out.getvalue()


def _counter_reduced(counter: Counter) -> tuple:
    """How pickle rebuilds a ``Counter``: made empty and filled, with no Python call (its
    own pickling calls ``Counter(dict)``, a third of loading a snapshot's entity index)."""
    return copyreg.__newobj__, (Counter,), None, None, iter(counter.items())


def _snapshot_pickled(kg: KnowledgeGraph) -> bytes:
    """``kg`` pickled for :func:`_snapshot_loaded`, in two parts.

    The first holds the values its triples are made of, as a table of field columns per
    class: each relation, provenance, qualifier set and entity reference once however many
    triples share an equal one (they are frozen values, so sharing them changes nothing but
    the cost of loading; two in three repeat one in the BBC corpus), each text once, and a
    field that holds values as their positions in the tables. The
    second is ``kg`` itself, each triple in it written as its position: triples keep their
    identity (the graph's evidence lists name triples by it)."""
    found: dict[type, dict[int, object]] = {cls: {} for cls in _ORDER}  # by identity
    found[Triple] = {id(triple): triple for triple in kg.merged}
    for cls in reversed(_ORDER):  # every holder of a class is done before the class
        for name, held in zip(_FIELDS[cls], _HELD[cls], strict=True):
            if held:
                items = list(map(attrgetter(name), found[cls].values()))
                if held[1]:
                    items = [item for group in items for item in group]
                deque(map(found[held[0]].setdefault, map(id, items), items), maxlen=0)
    position: dict[int, int] = {}  # id of each object found -> its place in the tables
    strings: dict[object, object] = {}  # texts, and tuples of them, that equal one before
    tables = []
    for cls in _ORDER:
        objects = list(found[cls].values())
        columns = []
        for name, held, field in zip(_FIELDS[cls], _HELD[cls], dataclasses.fields(cls),
                                     strict=True):
            column = list(map(attrgetter(name), objects))
            if held and held[1]:
                column = [tuple(map(position.__getitem__, map(id, group))) for group in column]
            elif held:
                column = list(map(position.__getitem__, map(id, column)))
            elif field.type in _TEXTS:  # a text equals only a text: sharing keeps types
                column = list(map(strings.setdefault, column, column))
            columns.append(column)
        start = sum(size for _, _, size, _ in tables)
        if cls in _UNSHARED:
            places: Iterable[int] = range(start, start + len(objects))
        else:  # equal values once: equal fields, held values included
            rows = list(zip(*columns, strict=True))
            distinct = list(dict.fromkeys(rows))
            places = map(dict(zip(distinct, count(start))).__getitem__, rows)
            columns = [list(column) for column in zip(*distinct, strict=True)] or columns
        position.update(zip(map(id, objects), places, strict=True))
        tables.append((cls.__name__, _FIELDS[cls], len(columns[0]), columns))
    made: list = []  # what the first part makes when loaded: the second part indexes it

    def by_position(triple: Triple) -> tuple:
        number = position.get(id(triple))
        return _by_fields(triple) if number is None else (operator.getitem, (made, number))

    out = io.BytesIO()
    pickler = pickle.Pickler(out, pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**_DISPATCH, Counter: _counter_reduced, Triple: by_position}
    pickler.dump((tables, made))
    pickler.dump(kg)
    return out.getvalue()


def _snapshot_loaded(data: bytes) -> object:
    """What :func:`_snapshot_pickled` pickled (unpickled: trusted bytes only).

    The values are made from their columns without running ``__init__`` (they were checked
    when first made): each object is allocated, then each field set through its slot, all in
    C loops, which is twice as fast as calling each class; loading the graph is what is left.
    Raises for data of another layout."""
    unpickler = pickle.Unpickler(io.BytesIO(data))
    tables, made = unpickler.load()
    value_at = made.__getitem__
    for name, fields, size, columns in tables:
        cls = _BY_NAME[name]
        if fields != _FIELDS[cls]:
            raise ValueError(f"snapshot of another layout of {name}: {fields}")
        objects = list(map(object.__new__, repeat(cls, size)))
        for field, held, column in zip(fields, _HELD[cls], columns, strict=True):
            if len(column) != size:
                raise ValueError(f"snapshot column {name}.{field} holds {len(column)} values, "
                                 f"not {size}")
            if held and held[1]:
                column = [tuple(map(value_at, numbers)) for numbers in column]
            elif held:
                column = map(value_at, column)
            deque(map(getattr(cls, field).__set__, objects, column), maxlen=0)
        made += objects
    return unpickler.load()


def encode_triples(triples: list[Triple]) -> bytes:
    """Triples as bytes, the way the cache stores them and worker processes send them back.

    >>> from extractors.triple import Argument, Provenance, Relation, Triple
    >>> fact = Triple(Argument("Regulators", 0, 10, "Regulators", 0, 10),
    ...               Relation("fined", "fine"), Argument("Ant Group", 17, 26, "Ant Group", 17, 26),
    ...               Provenance("doc", 0, 0, 27, "Regulators fined Ant Group.", "active_clause"))
    >>> decode_triples(encode_triples([fact])) == [fact]
    True
    """
    return _pickled(triples)


def decode_triples(data: bytes) -> list[Triple]:
    """The triples of :func:`encode_triples` (unpickled: trusted bytes only)."""
    return pickle.loads(data)


def extractor_fingerprint(settings: Mapping[str, object] | None = None) -> str:
    """A hash of everything a document's triples depend on besides its id and text.

    That is spaCy's version, the model's name and version, the source of every module of the
    ``extractors`` package (rules, coreference, confidence weights) and ``settings`` (anything
    the caller passes to extraction that changes its output).

    >>> extractor_fingerprint() == extractor_fingerprint()
    True
    >>> extractor_fingerprint({"max_chars": 5000}) != extractor_fingerprint()
    True
    """
    nlp = load_model()
    digest = hashlib.sha256()
    for part in (f"schema {_SCHEMA}", f"spacy {spacy.__version__}", f"model {model_name()}",
                 f"model version {nlp.meta.get('version')}", f"pipes {nlp.pipe_names}",
                 f"settings {sorted((settings or {}).items())}"):
        digest.update(part.encode() + b"\0")
    _add_sources(digest, Path(extractors.__file__).parent)
    return digest.hexdigest()


@lru_cache(maxsize=1)
def graph_fingerprint() -> str:
    """A hash of what merging and exporting depend on besides their input: the source of
    every module of the ``graph`` package and the versions of networkx and pyoxigraph, read
    once per process (the code that runs is the code imported).

    >>> graph_fingerprint() == graph_fingerprint()
    True
    """
    digest = hashlib.sha256(f"networkx {version('networkx')} pyoxigraph "
                            f"{version('pyoxigraph')}".encode())
    digest.update(b"\0")
    _add_sources(digest, Path(__file__).parent)
    return digest.hexdigest()


def _add_sources(digest: hashlib._Hash, package: Path) -> None:
    """Hash the path and source of every module of ``package`` into ``digest``."""
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode() + b"\0")
        digest.update(source.read_bytes() + b"\0")


#: What a snapshot records of each document merged into it: id, extraction key and metadata.
MergedDocument = tuple[str, str, tuple[tuple[str, str | None], ...]]


class ExtractionCache:
    """Triples by (document id, text, extractor fingerprint), in one SQLite file.

    ``path`` is the database file (``":memory:"`` for a throwaway one). Entries the current
    build did not use are dropped by :meth:`prune`, so the file holds one build's worth, and
    it holds one snapshot of a merged graph at most.
    """

    def __init__(self, path: str | Path, fingerprint: str) -> None:
        self.fingerprint = fingerprint
        self.hits = 0
        self.misses = 0
        #: The extraction key of every document read, written or kept, by document id.
        self.keys: dict[str, str] = {}
        self._used: dict[str, set[str]] = {"extraction": set(), "cleaning": set()}
        self._pending = 0
        self._db = sqlite3.connect(str(path))
        self._db.execute("CREATE TABLE IF NOT EXISTS extraction "
                         "(key TEXT PRIMARY KEY, doc_id TEXT NOT NULL, triples BLOB NOT NULL)")
        self._db.execute("CREATE TABLE IF NOT EXISTS cleaning (key TEXT PRIMARY KEY, "
                         "extraction TEXT, noise INTEGER NOT NULL)")
        self._db.execute("CREATE TABLE IF NOT EXISTS snapshot (key TEXT PRIMARY KEY, "
                         "documents BLOB NOT NULL, graph BLOB NOT NULL)")
        # the Turtle of the snapshot's entities under a base IRI (TurtleBlocks)
        self._db.execute("CREATE TABLE IF NOT EXISTS snapshot_turtle (key TEXT NOT NULL, "
                         "base TEXT NOT NULL, subjects BLOB NOT NULL, PRIMARY KEY (key, base))")
        #: The snapshot_turtle rows of the snapshot this build loaded (base IRI -> pickled
        #: subjects), read with it; the key of the snapshot this build saved.
        self._snapshot_turtle: dict[str, bytes] = {}
        self._saved_snapshot: str | None = None
        # where each document's Turtle sits in the Turtle export, and the place in the merge
        # order of the document's first extraction, and that export's size and modification
        # time when it was written (TurtleBlocks)
        self._db.execute("CREATE TABLE IF NOT EXISTS turtle_block (key TEXT PRIMARY KEY, "
                         "start INTEGER NOT NULL, size INTEGER NOT NULL, ends BLOB NOT NULL, "
                         "first_sequence INTEGER NOT NULL)")
        self._db.execute("CREATE TABLE IF NOT EXISTS turtle_file (name TEXT PRIMARY KEY, "
                         "size INTEGER NOT NULL, modified INTEGER NOT NULL)")
        # until session 12 each document's Turtle itself, a second copy of the export; until
        # session 16 its place without the first sequence number (keyed on every number)
        self._db.execute("DROP TABLE IF EXISTS turtle")
        self._db.execute("DROP TABLE IF EXISTS turtle_place")

    @classmethod
    def in_folder(cls, folder: str | Path,
                  settings: Mapping[str, object] | None = None) -> ExtractionCache:
        """The cache of an output folder (created with the folder if need be)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        return cls(folder / CACHE_NAME, extractor_fingerprint(settings))

    def key(self, doc_id: str, text: str, kind: str = "") -> str:
        """The entry key of a document: a hash of fingerprint, id and text (and the ``kind``
        of entry, when it is not the triples)."""
        digest = hashlib.sha256(self.fingerprint.encode() + kind.encode())
        for part in (doc_id, text):
            digest.update(b"\0" + part.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def get(self, doc_id: str, text: str) -> list[Triple] | None:
        """The cached triples of a document, or ``None`` when it must be extracted."""
        key = self.key(doc_id, text)
        row = self._db.execute("SELECT triples FROM extraction WHERE key = ?", (key,)).fetchone()
        triples = None
        if row is not None:
            try:
                triples = decode_triples(row[0])
            except Exception:  # noqa: BLE001 - any unreadable entry is a miss, by design
                triples = None
        if triples is None:
            self.misses += 1
            return None
        self.hits += 1
        self.keep(doc_id, key)
        return triples

    def put(self, doc_id: str, text: str, triples: Iterable[Triple],
            encoded: bytes | None = None) -> None:
        """Store the triples of a document; ``encoded`` is their :func:`encode_triples`,
        when it is at hand (a worker made it), so that it is not made again."""
        key = self.key(doc_id, text)
        if encoded is None:
            encoded = encode_triples(list(triples))
        self._db.execute("INSERT OR REPLACE INTO extraction VALUES (?, ?, ?)",
                         (key, doc_id, encoded))
        self.keep(doc_id, key)
        self._written()

    def cleaning(self, doc_id: str, raw: str) -> tuple[str | None, int] | None:
        """What cleaning the text ``raw`` of a document gave last time (``graph.build``):
        the extraction key of the clean text (``None`` when nothing but boilerplate was left)
        and how many boilerplate spans were blanked; ``None`` when not known."""
        key = self.key(doc_id, raw, "raw text")
        row = self._db.execute("SELECT extraction, noise FROM cleaning WHERE key = ?",
                               (key,)).fetchone()
        if row is None:
            return None
        self._used["cleaning"].add(key)
        return row

    def put_cleaning(self, doc_id: str, raw: str, key: str | None, noise: int) -> None:
        """Keep what cleaning the text ``raw`` of a document gave (see :meth:`cleaning`)."""
        raw_key = self.key(doc_id, raw, "raw text")
        self._db.execute("INSERT OR REPLACE INTO cleaning VALUES (?, ?, ?)", (raw_key, key, noise))
        self._used["cleaning"].add(raw_key)
        self._written()

    def keep(self, doc_id: str, key: str) -> None:
        """Count the entry ``key`` of a document as used by this build without reading it
        (its triples are in a snapshot)."""
        self.keys[doc_id] = key
        self._used["extraction"].add(key)

    def _written(self) -> None:
        self._pending += 1
        if self._pending >= _COMMIT_EVERY:
            self._db.commit()
            self._pending = 0

    def snapshot(self, context: str,
                 documents: Sequence[MergedDocument]) -> tuple[int, KnowledgeGraph] | None:
        """The snapshot of ``context`` (:meth:`merge_context`) whose documents are the first
        of ``documents``, as ``(how many, graph)``; ``None`` when there is none or it cannot
        be read."""
        row = self._db.execute("SELECT documents FROM snapshot WHERE key = ?",
                               (context,)).fetchone()
        try:
            merged = pickle.loads(row[0]) if row is not None else None
            if not merged or list(documents[:len(merged)]) != merged:
                return None
            (graph,) = self._db.execute("SELECT graph FROM snapshot WHERE key = ?",
                                        (context,)).fetchone()
            kg = _snapshot_loaded(graph)
        except Exception:  # noqa: BLE001 - an unreadable snapshot merges from scratch, by design
            return None
        from graph.knowledge_graph import KnowledgeGraph

        if not isinstance(kg, KnowledgeGraph):
            return None
        self._snapshot_turtle = dict(self._db.execute(
            "SELECT base, subjects FROM snapshot_turtle WHERE key = ?", (context,)))
        return len(merged), kg

    def save_snapshot(self, context: str, documents: Sequence[MergedDocument],
                      kg: KnowledgeGraph) -> None:
        """Keep ``kg``, the merge of ``documents`` in order, as the only snapshot (the Turtle
        of its entities follows when the Turtle export is written: ``TurtleBlocks.saved``)."""
        graph = _snapshot_pickled(kg)
        self._db.commit()
        with self._db:
            self._db.execute("DELETE FROM snapshot")
            self._db.execute("DELETE FROM snapshot_turtle")
            self._db.execute("INSERT INTO snapshot VALUES (?, ?, ?)",
                             (context, pickle.dumps(list(documents), pickle.HIGHEST_PROTOCOL),
                              graph))
        self._saved_snapshot = context

    def merge_context(self, aliases: AliasTable | None) -> str:
        """The key of a snapshot: what a merge depends on besides its documents (the
        extractor, the graph package and the alias table)."""
        digest = hashlib.sha256(f"merge {_SCHEMA} {self.fingerprint} "
                                f"{graph_fingerprint()}".encode())
        if aliases is not None:
            digest.update(aliases.digest().encode())
        return digest.hexdigest()

    def turtle_blocks(self, base_iri: str, export: Path | None = None) -> TurtleBlocks:
        """The Turtle of each document written under ``base_iri`` into the Turtle export
        ``export`` by the last build that wrote it (none without ``export``)."""
        return TurtleBlocks(self, base_iri, export)

    def prune(self) -> int:
        """Drop every entry this cache object neither read nor wrote; return how many.

        When that leaves more than a third of the file free (an upgrade of newsgraph
        changes every extraction key, and a new model every one), the file is compacted
        (``VACUUM``); adding an article frees a few kilobytes. (The places of the documents'
        Turtle are replaced whole by every build that writes it: :class:`TurtleBlocks`.)
        """
        self._db.execute("CREATE TEMP TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY)")
        dropped = 0
        for table, used in self._used.items():
            self._db.execute("DELETE FROM used")
            self._db.executemany("INSERT INTO used VALUES (?)", ((k,) for k in used))
            dropped += self._db.execute(
                f"DELETE FROM {table} WHERE key NOT IN (SELECT key FROM used)").rowcount
        self._db.commit()
        (free,), (pages,) = (self._db.execute(f"PRAGMA {count}").fetchone()
                             for count in ("freelist_count", "page_count"))
        if 3 * free > pages:
            try:
                self._db.execute("VACUUM")
            except sqlite3.Error:  # no room for the copy it makes: the entries are all right
                pass
        return dropped

    def close(self) -> None:
        """Commit what is pending and close the file."""
        self._db.commit()
        self._db.close()

    def __enter__(self) -> ExtractionCache:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class TurtleBlocks:
    """Each document's Turtle (``graph.rdf.document_turtle``), kept where the last build
    wrote it: in its Turtle export.

    A block is keyed on a hash of everything it is made of: the graph package, the base IRI,
    the document's extractions (its extraction key: id, text and extractor), their places
    in the merge order counted from the first one's, and the entities at both ends of each
    statement. Only a document the cache has an extraction key for (one this build read,
    extracted or kept) has a key. The first extraction's place itself (``first``) is kept
    beside the block: an article added, edited or removed before the document moves every
    later document's extractions along the merge order, which changes nothing in their
    blocks but the ``ng:sequence`` numbers, and those are moved in the old block's bytes
    (:meth:`get`) instead of the block being written again.

    The cache keeps, under each key, where the block sits in the export (first byte and
    size) and its first and last bytes, with the export's size and modification time as they
    were when it was written. A rebuild that finds the export as it was hands the blocks it
    did not change to the file writer as ranges of that file (``graph.files.FileRange``),
    which the kernel copies into the new export: they never pass through this process, and
    the cache holds no second copy of the Turtle (until session 12 it did: 288 MB for the
    BBC corpus). A block whose ends are not where they were is written again, and an export
    changed since (another size or time) is not read at all. Like the rest of the cache, the
    export is trusted as far as its folder is: an edit that keeps its size, its time and the
    ends of every block is not noticed.
    """

    #: Bytes kept of each end of a block, to check that it is still where it was.
    ENDS = 32

    def __init__(self, cache: ExtractionCache, base_iri: str, export: Path | None) -> None:
        self._cache = cache
        #: Blocks found (and so copied instead of written).
        self.copied = 0
        self._context = hashlib.sha256(
            f"turtle {_SCHEMA} {graph_fingerprint()}\0{base_iri}".encode()).hexdigest()
        #: key -> (start, size, ends, first) of the blocks of the new export, as placed
        self._placed: dict[str, tuple[int, int, bytes, int]] = {}
        self._size = 0  # of the previous export
        self._source = self._previous(export) if export is not None else None
        self._base = base_iri
        #: The default graph's subject of each entity of the cache's snapshot, as its Turtle
        #: export gave it (``graph.rdf._default_graph``); empty when the snapshot was saved
        #: without (a build that did not write Turtle, or one killed before writing it).
        self.known: dict[str, Subject] = {}
        data = cache._snapshot_turtle.get(base_iri)
        if data is not None:
            try:
                self.known = pickle.loads(data)
            except Exception:  # noqa: BLE001 - unreadable: every entity is written again
                self.known = {}
        #: The subject of each entity of this build's export, as it is written: only when
        #: this build saved the snapshot (merged before the export), which it belongs with.
        self.entities: dict[str, Subject] | None = (
            {} if cache._saved_snapshot is not None else None)

    def _previous(self, export: Path) -> int | None:
        """The previous export, open, when it is as the cache last saw it; else ``None``."""
        row = self._cache._db.execute("SELECT size, modified FROM turtle_file WHERE name = ?",
                                      (export.name,)).fetchone()
        if row is None:
            return None
        try:
            fd = os.open(export, os.O_RDONLY)
        except OSError:
            return None
        found = os.fstat(fd)
        if (found.st_size, found.st_mtime_ns) != tuple(row):
            os.close(fd)
            return None
        self._size = found.st_size
        return fd

    def key(self, extractions: list[Extraction]) -> str | None:
        """The key of one document's block, or ``None`` when it cannot be kept."""
        doc_ids = {triple.provenance.doc_id for triple, _, _ in extractions}
        content = self._cache.keys.get(doc_ids.pop()) if len(doc_ids) == 1 else None
        if content is None:
            return None
        # a line per extraction: its place after the first's and the IRIs (N-Triples, so
        # without spaces) of its ends; the str() of a list of tuples took three times as long
        first = extractions[0][1]
        places = "\n".join([f"{sequence - first} {ends[0]} {ends[1]}" if ends
                            else str(sequence - first) for _, sequence, ends in extractions])
        digest = hashlib.sha256(f"{self._context}\0{content}\0".encode())
        digest.update(places.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def get(self, key: str, first: int, move: Callable[[bytes, int], bytes | None]
            ) -> FileRange | Callable[[], bytes | None] | None:
        """The block of ``key`` in the previous export, or ``None``; ``first`` is the place of
        the document's first extraction in this build's merge order. A block written when
        it had another place comes as what gives ``move(its bytes, by how much)`` when called
        (read then, so that the blocks of a rebuild are never all in memory at once): its
        sequence numbers moved along, or ``None`` when they could not be
        (``graph.rdf._moved_sequences``)."""
        if self._source is None:
            return None
        row = self._cache._db.execute("SELECT start, size, ends, first_sequence "
                                      "FROM turtle_block WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        start, size, ends, before = row
        if not (type(start) is int and type(size) is int and type(before) is int
                and 0 <= start < start + size <= self._size):
            return None
        piece = FileRange(self._source, start, size)
        if self._ends(piece) != ends:
            return None
        if before != first:
            return partial(self._moved, piece, first - before, move)
        self.copied += 1
        return piece

    def _moved(self, piece: FileRange, by: int,
               move: Callable[[bytes, int], bytes | None]) -> bytes | None:
        moved = move(read_range(piece), by)
        self.copied += moved is not None
        return moved

    @classmethod
    def _ends(cls, piece: bytes | memoryview | FileRange) -> bytes:
        """The first and last :attr:`ENDS` bytes of a piece (of a shorter piece, its halves)."""
        if type(piece) is FileRange:
            fd, start, size = piece
            half = min(cls.ENDS, size // 2)
            try:
                return os.pread(fd, half, start) + os.pread(fd, half, start + size - half)
            except OSError:
                return b""
        half = min(cls.ENDS, len(piece) // 2)
        return bytes(piece[:half]) + bytes(piece[len(piece) - half:])

    def place(self, key: str, start: int, piece: bytes | memoryview | FileRange,
              first: int) -> None:
        """Note that the block of ``key`` starts at byte ``start`` of the new export, its
        document's first extraction at ``first`` in the merge order: kept when the export is
        written (:meth:`saved`)."""
        self._placed[key] = (start, piece_size(piece), self._ends(piece), first)

    def saved(self, export: Path) -> None:
        """Keep the places of the blocks of the new export ``export``, now written, with its
        size and time, in place of the previous export's: one transaction, so that a build
        killed at any moment leaves the places of one export, and its size and time.

        When this build saved the cache's snapshot, the export is of the graph it holds:
        its entities' subjects are kept with it, each joined into one string."""
        found = export.stat()
        db = self._cache._db
        db.commit()
        with db:
            db.execute("DELETE FROM turtle_block")
            db.executemany("INSERT INTO turtle_block VALUES (?, ?, ?, ?, ?)",
                           ((key, *place) for key, place in self._placed.items()))
            db.execute("INSERT OR REPLACE INTO turtle_file VALUES (?, ?, ?)",
                       (export.name, found.st_size, found.st_mtime_ns))
            if self.entities:
                subjects = {key: (term, ["".join(pairs)])
                            for key, (term, pairs) in self.entities.items()}
                db.execute("INSERT OR REPLACE INTO snapshot_turtle VALUES (?, ?, ?)",
                           (self._cache._saved_snapshot, self._base,
                            pickle.dumps(subjects, pickle.HIGHEST_PROTOCOL)))

    def close(self) -> None:
        """Close the previous export, if it was read."""
        if self._source is not None:
            os.close(self._source)
            self._source = None
