"""Merging triples into one graph: one node per entity, one edge per fact, evidence kept."""

from __future__ import annotations

import pickle
from dataclasses import replace

import networkx as nx
import pytest

from extractors.triple import EntityRef, Qualifiers
from graph import KnowledgeGraph
from tests.graph.factories import triple


def test_same_fact_twice_is_one_edge_with_support_two():
    kg = KnowledgeGraph()
    first = triple("Regulators", "fined", "Ant Group", lemma="fine", sentence=3)
    second = triple("regulators", "fined", "Ant Group's", lemma="fine", doc_id="other")
    kg.add_triples([first, second])
    assert kg.nx.number_of_edges() == 1
    edge = kg.nx.edges["regulators", "ant group", "fine"]
    assert edge["support"] == 2
    assert edge["evidence"] == [first, second]
    assert kg.nx.nodes["ant group"]["documents"] == ["doc", "other"]


def test_names_are_normalised_into_one_node():
    kg = KnowledgeGraph()
    kg.add_triples([
        triple("The Alibaba Group", "split into", "units", subject_type="ORG"),
        triple("Alibaba  Group’s", "owns", "Taobao", subject_type="ORG"),
        triple("Alibaba Group", "owns", "Tmall", subject_type="ORG"),
    ])
    node = kg.nx.nodes["alibaba group"]
    assert node["label"] == "Alibaba Group"
    assert node["type"] == "ORG"
    assert node["mentions"] == 3


def test_different_relations_are_different_edges():
    kg = KnowledgeGraph()
    kg.add_triples([triple("Li", "met", "executives", lemma="meet"),
                    triple("Li", "urged", "executives", lemma="urge")])
    assert sorted(k for _, _, k in kg.nx.edges(keys=True)) == ["meet", "urge"]


def test_asserted_counts_only_positive_unhedged_own_statements():
    kg = KnowledgeGraph()
    kg.add_triples([
        triple("regulators", "approved", "deal", lemma="approve",
               qualifiers=Qualifiers(negated=True)),
        triple("regulators", "approved", "deal", lemma="approve",
               qualifiers=Qualifiers(attribution="Reuters")),
    ])
    assert kg.nx.edges["regulators", "deal", "approve"]["asserted"] == 0


def test_pronoun_arguments_wait_for_coreference():
    kg = KnowledgeGraph()
    kg.add_triples([triple("He", "encouraged", "companies")])
    assert kg.nx.number_of_nodes() == 0
    assert len(kg.unattached) == 1


def test_add_document_extracts_and_merges():
    kg = KnowledgeGraph()
    triples = kg.add_document("Alibaba and Tencent were fined by regulators.", doc_id="d",
                              title="Fines")
    assert len(triples) == 2
    assert set(kg.nx.edges(keys=True)) == {("regulators", "alibaba", "fine"),
                                           ("regulators", "tencent", "fine")}
    assert kg.documents == {"d": {"title": "Fines", "source": None}}


def test_coreference_never_relates_an_entity_to_itself():
    kg = KnowledgeGraph()
    kg.add_document("These companies were subjected to hefty fines and forced restructuring to "
                    "punish them. Alibaba implemented a restructuring plan, dividing itself into "
                    "six separate business units.", doc_id="d")
    assert not any(s == o for s, o in kg.nx.edges())
    assert "itself" not in kg.nx


def test_a_group_related_to_itself_makes_no_edges_between_its_members():
    # "These companies were subjected to fines to ... punish them": coreference makes both
    # arguments Alibaba and Tencent; that is not "Alibaba punished Tencent".
    group = (EntityRef("Alibaba Group", "ORG", ("Alibaba Group",)),
             EntityRef("Tencent", "ORG", ("Tencent",)))
    fact = triple("These companies", "to punish", "them")
    fact = replace(fact, subject=replace(fact.subject, entities=group),
                   object=replace(fact.object, entities=group))
    kg = KnowledgeGraph()
    kg.add_triples([fact])
    assert kg.nx.number_of_edges() == 0
    assert kg.unattached == [fact]


def _layout(graph: nx.MultiDiGraph) -> tuple:
    """Everything an export can see of a graph, orders included."""
    return (list(graph.nodes(data=True)), list(graph.edges(keys=True, data=True)),
            [(node, list(graph.succ[node]), list(graph.pred[node])) for node in graph])


@pytest.mark.parametrize("renamed", ["li", "officials", "reporters"])
def test_a_renamed_node_is_moved_as_relabel_nodes_moves_it(renamed):
    # Li spoke to and met reporters (two keys), officials praised Li, Li praised officials:
    # edges out, in and both ways, in an order that the move must keep.
    facts = [triple("Li", "spoke", "reporters", subject_type="PERSON"),
             triple("officials", "praised", "Li", object_type="PERSON"),
             triple("Li", "met", "reporters", lemma="meet", subject_type="PERSON"),
             triple("Li", "praised", "officials", subject_type="PERSON"),
             triple("reporters", "asked", "officials")]
    moved, relabelled = KnowledgeGraph(), KnowledgeGraph()
    moved.add_triples(facts)
    relabelled.add_triples(facts)
    moved._rename(renamed, "new name")
    nx.relabel_nodes(relabelled.nx, {renamed: "new name"}, copy=False)
    assert _layout(moved.nx) == _layout(relabelled.nx)
    assert list(moved.nx)[-1] == "new name"


def test_object_that_renames_the_subject_entity_leaves_no_bare_node():
    # "Li" is known; "Li Qiang" in the object joins and renames that entity to its fuller
    # name, so the fact relates the entity to itself and makes no edge, nor a bare "li" node.
    kg = KnowledgeGraph()
    kg.add_triples([triple("Li", "spoke", "reporters", subject_type="PERSON")])
    kg.add_triples([triple("Li", "praised", "Li Qiang", subject_type="PERSON",
                           object_type="PERSON")])
    assert all("type" in data for _, data in kg.nx.nodes(data=True))
    assert sorted(kg.nx) == ["li qiang", "reporters"]
    assert [key for _, _, key in kg.nx.edges(keys=True)] == ["spoke"]


def test_changed_names_the_nodes_a_merge_touched_and_those_with_edges_to_a_renamed_one():
    kg = KnowledgeGraph()
    kg.add_triples([triple("officials", "praised", "Li", object_type="PERSON"),
                    triple("reporters", "asked", "officials"),
                    triple("Ford", "hired", "engineers", subject_type="ORG")])
    assert kg.changed == set(kg.nx)
    kg.changed.clear()
    # "Li Qiang" renames Li's node: officials' edge now ends at another key
    kg.add_triples([triple("Li Qiang", "met", "reporters", lemma="meet",
                           subject_type="PERSON")])
    assert "li" not in kg.nx
    assert kg.changed == {"li qiang", "officials", "reporters"}
    # the reference point of a snapshot: unpickled, the graph has changed nowhere yet
    again = pickle.loads(pickle.dumps(kg))
    assert again.changed == set() and kg.changed
