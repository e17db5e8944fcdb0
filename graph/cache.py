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
"""

from __future__ import annotations

import copyreg
import dataclasses
import hashlib
import io
import pickle
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path

import spacy

import extractors
from extractors import triple as values
from extractors.nlp import load_model, model_name
from extractors.triple import Triple

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


def encode_triples(triples: list[Triple]) -> bytes:
    """Triples as bytes, the way the cache stores them and worker processes send them back.

    >>> from extractors.triple import Argument, Provenance, Relation, Triple
    >>> fact = Triple(Argument("Regulators", 0, 10, "Regulators", 0, 10),
    ...               Relation("fined", "fine"), Argument("Ant Group", 17, 26, "Ant Group", 17, 26),
    ...               Provenance("doc", 0, 0, 27, "Regulators fined Ant Group.", "active_clause"))
    >>> decode_triples(encode_triples([fact])) == [fact]
    True
    """
    out = io.BytesIO()
    pickler = pickle.Pickler(out, pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(triples)
    return out.getvalue()


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
    package = Path(extractors.__file__).parent
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode() + b"\0")
        digest.update(source.read_bytes() + b"\0")
    return digest.hexdigest()


class ExtractionCache:
    """Triples by (document id, text, extractor fingerprint), in one SQLite file.

    ``path`` is the database file (``":memory:"`` for a throwaway one). Entries the current
    build did not use are dropped by :meth:`prune`, so the file holds one build's worth.
    """

    def __init__(self, path: str | Path, fingerprint: str) -> None:
        self.fingerprint = fingerprint
        self.hits = 0
        self.misses = 0
        self._used: set[str] = set()
        self._pending = 0
        self._db = sqlite3.connect(str(path))
        self._db.execute("CREATE TABLE IF NOT EXISTS extraction "
                         "(key TEXT PRIMARY KEY, doc_id TEXT NOT NULL, triples BLOB NOT NULL)")

    @classmethod
    def in_folder(cls, folder: str | Path,
                  settings: Mapping[str, object] | None = None) -> ExtractionCache:
        """The cache of an output folder (created with the folder if need be)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        return cls(folder / CACHE_NAME, extractor_fingerprint(settings))

    def key(self, doc_id: str, text: str) -> str:
        """The entry key of a document: a hash of fingerprint, id and text."""
        digest = hashlib.sha256(self.fingerprint.encode())
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
        self._used.add(key)
        return triples

    def put(self, doc_id: str, text: str, triples: Iterable[Triple]) -> None:
        """Store the triples of a document."""
        key = self.key(doc_id, text)
        self._db.execute("INSERT OR REPLACE INTO extraction VALUES (?, ?, ?)",
                         (key, doc_id, encode_triples(list(triples))))
        self._used.add(key)
        self._pending += 1
        if self._pending >= _COMMIT_EVERY:
            self._db.commit()
            self._pending = 0

    def prune(self) -> int:
        """Drop every entry this cache object neither read nor wrote; return how many."""
        self._db.execute("CREATE TEMP TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY)")
        self._db.execute("DELETE FROM used")
        self._db.executemany("INSERT INTO used VALUES (?)", ((k,) for k in self._used))
        dropped = self._db.execute(
            "DELETE FROM extraction WHERE key NOT IN (SELECT key FROM used)").rowcount
        self._db.commit()
        return dropped

    def close(self) -> None:
        """Commit what is pending and close the file."""
        self._db.commit()
        self._db.close()

    def __enter__(self) -> ExtractionCache:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
