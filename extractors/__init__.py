"""Text in, triples out: the extraction half of newsgraph.

>>> from extractors import extract
>>> [(t.subject.text, t.relation.text, t.object.text) for t in extract("Li Qiang met executives.")]
[('Li Qiang', 'met', 'executives')]
"""

from extractors.errors import InputError, ModelError, NewsgraphError
from extractors.nlp import DEFAULT_MODEL, load_model
from extractors.pipeline import extract, extract_doc, extract_stream
from extractors.rules import RULES, Candidate, register
from extractors.triple import Argument, Provenance, Qualifiers, Relation, Triple

__all__ = [
    "DEFAULT_MODEL",
    "RULES",
    "Argument",
    "Candidate",
    "InputError",
    "ModelError",
    "NewsgraphError",
    "Provenance",
    "Qualifiers",
    "Relation",
    "Triple",
    "extract",
    "extract_doc",
    "extract_stream",
    "load_model",
    "register",
]
