"""Entities across documents: the index's merge rules, the alias file, one document's JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from extractors.errors import InputError
from extractors.triple import EntityRef
from graph import KnowledgeGraph
from graph.entities import AliasTable, EntityIndex, document_entities, file_entities

INPUTS = Path(__file__).resolve().parents[2] / "inputs"


def ref(*names: str, entity_type: str | None = None) -> EntityRef:
    return EntityRef(names[0], entity_type, names)


@pytest.mark.parametrize(("first", "second", "same"), [
    (ref("Alibaba Group", entity_type="ORG"), ref("Alibaba", entity_type="GPE"), True),
    (ref("Alibaba", entity_type="ORG"), ref("Alibaba Group Holding Ltd", entity_type="ORG"),
     True),
    (ref("Ant Group", "Ant", entity_type="ORG"), ref("Alibaba Group", entity_type="ORG"),
     False),
    (ref("Ant Group", entity_type="ORG"), ref("Ant", entity_type="ORG"), True),
    (ref("Robin Zhu", entity_type="PERSON"), ref("Zhu", entity_type="PERSON"), True),
    (ref("Zhu", entity_type="PERSON"), ref("Robin Zhu", entity_type="PERSON"), True),
    (ref("Jack Ma", entity_type="PERSON"), ref("Ma Jihua", entity_type="PERSON"), False),
    (ref("Li Qiang", entity_type="PERSON"), ref("Li Ning Company", entity_type="ORG"), False),
    (ref("Washington", entity_type="GPE"), ref("George Washington", entity_type="PERSON"),
     False),
    (ref("National Development and Reform Commission", entity_type="ORG"),
     ref("NDRC", entity_type="ORG"), True),
    (ref("Internet Explorer 6"), ref("Internet Explorer"), False),
])
def test_merge_rules(first, second, same):
    index = EntityIndex()
    assert (index.add(first) is index.add(second)) is same


def test_a_surname_shared_by_two_known_people_joins_neither():
    index = EntityIndex()
    jack = index.add(ref("Jack Ma", entity_type="PERSON"))
    jihua = index.add(ref("Ma Jihua", entity_type="PERSON"))
    ma = index.add(ref("Ma", entity_type="PERSON"))
    assert ma is not jack and ma is not jihua


def test_label_is_the_most_complete_name_and_the_id_follows_it():
    index = EntityIndex()
    entity = index.add(ref("Alibaba", entity_type="ORG"))
    assert entity.key == "alibaba"
    index.add(ref("Alibaba Group", "Alibaba", entity_type="ORG"))
    assert (entity.label, entity.key) == ("Alibaba Group", "alibaba group")


def test_unnamed_arguments_join_only_by_exact_name():
    index = EntityIndex()
    company = index.add(ref("Alibaba Group", entity_type="ORG"))
    assert index.add(EntityRef("Alibaba Group"), named=False) is company
    assert index.add(EntityRef("companies"), named=False) is not company


def test_alias_file_forces_merges_splits_and_ids(tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_text("alias,canonical,iri\nBABA,Alibaba Group,Q1359568\n"
                    "Alibaba Cloud,Alibaba Cloud,https://www.alibabacloud.com/\n"
                    "Alibaba Cloud Intelligence,Alibaba Cloud\n", encoding="utf-8")
    index = EntityIndex(AliasTable.read(path))
    group = index.add(ref("Alibaba", entity_type="ORG"))
    assert index.add(ref("BABA")) is group  # no rule would join a ticker
    assert (group.label, group.same_as) == (
        "Alibaba Group", "http://www.wikidata.org/entity/Q1359568")
    cloud = index.add(ref("Alibaba Cloud Intelligence", entity_type="ORG"))
    assert cloud is not group
    assert (cloud.label, cloud.same_as) == ("Alibaba Cloud", "https://www.alibabacloud.com/")


@pytest.mark.parametrize(("content", "message"), [
    ("Alibaba\n", "aliases.csv:1: expected 'alias,canonical name[,IRI]'"),
    ("BABA,Alibaba Group,wikidata:Q1\n", "aliases.csv:1: IRI 'wikidata:Q1' is neither"),
])
def test_bad_alias_file_names_the_line(tmp_path, content, message):
    path = tmp_path / "aliases.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)):
        AliasTable.read(path)


def test_graph_attaches_pronouns_descriptions_and_sets_to_entities():
    kg = KnowledgeGraph()
    kg.add_document(
        "Premier Li Qiang met executives of Alibaba Group. Later he praised the company. "
        "Regulators fined Alibaba and Tencent. These companies were subjected to antitrust "
        "investigations.", doc_id="doc")
    assert ("li qiang", "alibaba group", "praise") in kg.nx.edges(keys=True)
    assert {(s, o) for s, o, k in kg.nx.edges(keys=True) if k == "subject to"} == {
        ("alibaba group", "investigations"), ("tencent", "investigations")}
    evidence = kg.nx.edges["li qiang", "alibaba group", "praise"]["evidence"][0]
    assert (evidence.subject.text, evidence.object.text) == ("he", "the company")
    assert not [t for t in kg.unattached if t.subject.is_pronoun or t.object.is_pronoun]


def test_graph_of_the_seed_articles_has_one_node_per_entity():
    kg = KnowledgeGraph()
    for path in sorted(INPUTS.glob("00*.txt")):
        kg.add_document(path.read_text(encoding="utf-8"), doc_id=path.stem)
    li = kg.nx.nodes["li qiang"]
    assert (li["label"], li["type"], li["aliases"]) == ("Li Qiang", "PERSON", ["Li", "Li Qiang"])
    assert li["documents"] == ["000_78550d0996ebba57", "003_4eda478095a05fe6"]
    assert kg.nx.nodes["alibaba group"]["aliases"] == ["Alibaba", "Alibaba Group"]
    assert "alibaba" not in kg.nx and "ant" not in kg.nx


def test_alias_iri_is_owl_same_as_in_turtle(tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_text("Ant,Ant Group,Q28154640\n", encoding="utf-8")
    kg = KnowledgeGraph(AliasTable.read(path))
    kg.add_document("Regulators fined Ant.", doc_id="doc")
    assert kg.nx.nodes["ant group"]["same_as"] == ["http://www.wikidata.org/entity/Q28154640"]
    assert "owl:sameAs <http://www.wikidata.org/entity/Q28154640>" in kg.to_turtle()


def test_document_entities_json_records():
    records = document_entities("Alibaba Group rose. The company said Alibaba would grow. "
                                "Jack Ma founded it in 1999.")
    assert json.loads(json.dumps(records)) == records
    assert [(r["id"], r["label"], r["type"], [m["text"] for m in r["mentions"]])
            for r in records] == [
        ("alibaba group", "Alibaba Group", "Organization",
         ["Alibaba Group", "The company", "Alibaba", "it"]),
        ("jack ma", "Jack Ma", "Person", ["Jack Ma"]),
        ("1999", "1999", "Date", ["1999"]),
    ]


def test_file_offsets_count_a_byte_order_mark(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffRegulators fined Ant Group.\r\nIt paid.".encode())
    raw = path.read_bytes().decode("utf-8")
    records = file_entities(path)
    for record in records:
        for mention in record["mentions"]:
            assert raw[mention["start"]:mention["end"]] == mention["text"]
    assert [m["text"] for m in records[0]["mentions"]] == ["Ant Group", "It"]
