"""The values extraction produces: frozen, hashable, picklable, and the helpers that make
changed copies keep every other field."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest

from extractors import extract
from extractors.coreference import EntityCluster
from extractors.mentions import EntityMention
from extractors.rules import Candidate
from extractors.triple import (
    Argument,
    EntityRef,
    Provenance,
    Qualifiers,
    Relation,
    Triple,
    with_arguments,
    with_entities,
)

ROOT = Path(__file__).resolve().parents[2]
SEED = (ROOT / "inputs" / "000_78550d0996ebba57.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_triples() -> list[Triple]:
    return extract(SEED, doc_id="seed")


@pytest.mark.parametrize("cls", [Argument, EntityRef, Provenance, Qualifiers, Relation, Triple,
                                 Candidate, EntityMention, EntityCluster])
def test_values_are_frozen_slotted_dataclasses(cls):
    params = dataclasses.fields(cls)
    assert cls.__slots__ == tuple(f.name for f in params)
    assert cls.__dataclass_params__.frozen


def test_values_keep_dataclass_behaviour(seed_triples):
    triple = seed_triples[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        triple.subject.text = "changed"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(seed_triples)) == seed_triples
    assert hash(triple) == hash(dataclasses.replace(triple))
    assert Triple(triple.subject, triple.relation, triple.object,
                  triple.provenance).qualifiers == Qualifiers()
    assert Argument(text="Li", start=0, end=2, head="Li", head_start=0,
                    head_end=2) == Argument("Li", 0, 2, "Li", 0, 2, None, True, ())
    with pytest.raises(ValueError, match="confidence must lie in"):
        dataclasses.replace(triple, confidence=1.5)
    with pytest.raises(TypeError):
        Relation("met")  # type: ignore[call-arg]


def test_changed_copies_keep_every_other_field(seed_triples):
    refs = (EntityRef("Li Qiang", "PERSON", ("Li Qiang", "Li")),)
    for triple in seed_triples:
        for argument in (triple.subject, triple.object, *triple.extras):
            assert with_entities(argument, refs) == dataclasses.replace(argument, entities=refs)
        swapped = with_arguments(triple, triple.object, triple.subject)
        assert swapped == dataclasses.replace(triple, subject=triple.object,
                                              object=triple.subject)
