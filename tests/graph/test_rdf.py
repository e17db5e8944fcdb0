"""RDF export: the model holds every fact with its evidence, three independent parsers accept
it whatever the text, it validates against the published shapes, and it loads back into the
very graph that was exported."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import tracemalloc
from decimal import Decimal
from pathlib import Path

import networkx as nx
import pyoxigraph
import pytest
from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef

from extractors.triple import (
    Argument,
    EntityRef,
    Provenance,
    Qualifiers,
    Relation,
    Triple,
    in_document,
)
from graph import KnowledgeGraph
from graph.entities import Alias, AliasTable
from graph.files import write_texts_atomic
from graph.rdf import rdf_model, serialise, to_rdf, to_rdf_text, turtle_by_document
from graph.vocabulary import DCTERMS, ITSRDF, NG, NIF, PROV, REL, SCHEMA, Vocabulary
from tests.graph.factories import argument, triple

ROOT = Path(__file__).resolve().parents[2]
EXPORT = ROOT / "exports" / "graph.ttl"
ONTOLOGY = ROOT / "graph" / "ontology.ttl"
SHAPES = ROOT / "graph" / "shapes.ttl"
#: Formats rapper (raptor2) reads, by newsgraph format name; it has no JSON-LD parser.
RAPPER_PARSERS = {"ttl": "turtle", "nt": "ntriples", "trig": "trig"}
OXIGRAPH_FORMATS = {"ttl": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES,
                    "trig": pyoxigraph.RdfFormat.TRIG, "jsonld": pyoxigraph.RdfFormat.JSON_LD}
RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "trig": "trig", "jsonld": "json-ld"}

HOSTILE_NAMES = [
    "Ant Group",
    'The "Quoted" Co',
    "<img src=x onerror=alert(1)>",
    "AT&T #1 100% <b>",
    "Alibaba's cloud division",
    "阿里巴巴集团",
    "Яндекс",
    "شركة أرامكو",
    "\u202eevil\u202c RTL override",
    "back\\slash and\ttab",
    "line\nbreak\r\nand CR",
    "javascript:alert(3)",
    "emoji 🚀 name",
    "'''triple quotes'''",
    'ends with a backslash\\',
    "control \x01\x02\x1b\x7f characters",
    "nul \x00 byte",
    "nonchar \ufffe \U0001ffff",
    "snake_case and spaces",
    "a.b. ends with a dot.",
    "-leading dash",
]
#: A real-looking article full of what breaks serialisers, run through the real extractor.
HOSTILE_ARTICLE = (
    'Regulators fined "Ant \\ Group" #1 $1 billion on Friday.\n'
    "The Ministry of <Commerce> did not approve the 100% deal > 50%.\n"
    "Regulators fined the \x07 company \U0001F680 on Monday.\n"
    "Analysts said the שלום fund may sell 阿里巴巴 shares.\n"
    "Regulators fined the دبي firm \ufffe again."
)


def _kg() -> KnowledgeGraph:
    kg = KnowledgeGraph()
    kg.add_triples([
        triple("regulators", "fined", "Ant Group", lemma="fine", object_type="ORG"),
        triple("regulators", "approved", "the deal", lemma="approve",
               qualifiers=Qualifiers(negated=True)),
    ], doc_id="doc", title="Fines", source="doc.txt")
    return kg


def _hostile_kg() -> KnowledgeGraph:
    kg = KnowledgeGraph()
    kg.add_document(HOSTILE_ARTICLE, doc_id="hostile #1 % é", title='"Fines" <b>\x01',
                    source="feeds/hostile #1 % é.txt")
    for i, name in enumerate(HOSTILE_NAMES):
        kg.add_triples([triple(name, "fined", "x" + name, lemma=name + " rel", sentence=i + 10,
                               doc_id=f"doc/{name}", qualifiers=Qualifiers(amount=name, time=name,
                                                                         attribution=name))],
                       doc_id=f"doc/{name}", title=name, source=name)
    return kg


@pytest.fixture(scope="module")
def export_text() -> str:
    return EXPORT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def export_rdf(export_text) -> Graph:
    return Graph().parse(data=export_text, format="turtle")


@pytest.fixture(scope="module")
def hostile_kg() -> KnowledgeGraph:
    return _hostile_kg()


# -- the model ------------------------------------------------------------------------------


def test_entities_relations_and_asserted_facts_only():
    rdf = Graph().parse(data=_kg().to_turtle(), format="turtle")
    vocab = Vocabulary()
    regulators, ant, deal = (vocab.entity(e) for e in ("regulators", "ant group", "deal"))
    assert (ant, RDF.type, SCHEMA.Organization) in rdf
    assert (ant, RDFS.label, Literal("Ant Group")) in rdf
    assert (ant, NG.nerLabel, Literal("ORG")) in rdf
    assert (REL.fine, RDF.type, RDF.Property) in rdf
    assert (REL.fine, RDFS.label, Literal("fine")) in rdf
    assert (regulators, REL.fine, ant) in rdf
    # a negated fact is only a statement node, never a direct triple
    assert (regulators, REL.approve, deal) not in rdf
    negated = list(rdf.subjects(NG.negated, Literal(True)))
    assert len(negated) == 1
    assert (negated[0], RDF.subject, regulators) in rdf
    assert (negated[0], NG.asserted, Literal(False)) in rdf


def test_statement_carries_every_qualifier_and_its_nif_evidence():
    sentence = "Li said regulators may fine Ant Group $1 billion in Beijing on Friday."
    fact = Triple(
        Argument("regulators", 8, 18, "regulators", 8, 18),
        Relation("may fine", "fine"),
        Argument("Ant Group", 27, 36, "Ant Group", 27, 36, "ORG"),
        Provenance("news/a", 4, 100, 100 + len(sentence), sentence, "active_clause"),
        Qualifiers(modality="may", attribution="Li", time="Friday", location="Beijing",
                   amount="$1 billion"),
        confidence=0.875,
        extras=(Argument("in Beijing", 48, 58, "Beijing", 51, 58, "GPE"),),
    )
    kg = KnowledgeGraph()
    kg.add_triples([fact], doc_id="news/a", title="Fine", source="news/a.txt")
    rdf = Graph().parse(data=kg.to_turtle(), format="turtle")
    vocab = Vocabulary()
    statement = vocab.statement(fact)
    sentence_iri = URIRef("https://w3id.org/newsgraph/id/document/news%2Fa#char=100,170")
    expected = {
        RDF.type: RDF.Statement, RDF.subject: vocab.entity("regulators"),
        RDF.predicate: REL.fine, RDF.object: vocab.entity("ant group"),
        NG.relationText: Literal("may fine"), NG.relationLemma: Literal("fine"),
        NG.confidence: Literal(Decimal("0.875")), NG.asserted: Literal(False),
        NG.negated: Literal(False), NG.modality: Literal("may"),
        NG.attributedTo: Literal("Li"), NG.time: Literal("Friday"),
        NG.location: Literal("Beijing"), NG.rule: Literal("active_clause"),
        NG.sequence: Literal(0), PROV.wasDerivedFrom: sentence_iri,
        NG.subjectPhrase: vocab.part(statement, "subject"),
        NG.objectPhrase: vocab.part(statement, "object"),
        NG.extraPhrase: vocab.part(statement, "extra1"),
        NG.amount: vocab.part(statement, "amount"),
    }
    assert dict(rdf.predicate_objects(statement)) == expected
    assert (vocab.entity("regulators"), REL.fine, vocab.entity("ant group")) not in rdf

    def index(value: int) -> Literal:
        return Literal(str(value), datatype=XSD.nonNegativeInteger)

    document = vocab.document("news/a")
    assert dict(rdf.predicate_objects(sentence_iri)) == {
        RDF.type: NIF.Sentence, NIF.anchorOf: Literal(sentence), NIF.beginIndex: index(100),
        NIF.endIndex: index(170), NIF.referenceContext: document,
        NG.sentenceIndex: Literal(4)}
    extra, extra_head = vocab.part(statement, "extra1"), vocab.part(statement, "extra1-head")
    assert dict(rdf.predicate_objects(extra)) == {
        RDF.type: NIF.Phrase, NIF.anchorOf: Literal("in Beijing"), NIF.beginIndex: index(48),
        NIF.endIndex: index(58), NIF.referenceContext: document, NG.head: extra_head,
        NG.position: Literal(1)}
    object_head = vocab.part(statement, "object-head")
    assert dict(rdf.predicate_objects(object_head)) == {
        RDF.type: NIF.Phrase, NIF.anchorOf: Literal("Ant Group"), NIF.beginIndex: index(27),
        NIF.endIndex: index(36), NIF.referenceContext: document, NG.nerLabel: Literal("ORG"),
        ITSRDF.taIdentRef: vocab.entity("ant group")}
    assert dict(rdf.predicate_objects(vocab.part(statement, "amount"))) == {
        RDF.type: SCHEMA.MonetaryAmount, RDFS.label: Literal("$1 billion"),
        SCHEMA.value: Literal(Decimal("1000000000.0")), SCHEMA.currency: Literal("USD")}
    assert dict(rdf.predicate_objects(document)) == {
        RDF.type: SCHEMA.NewsArticle, DCTERMS.identifier: Literal("news/a"),
        DCTERMS.title: Literal("Fine"), DCTERMS.source: Literal("news/a.txt")}
    assert set(rdf.objects(document, RDF.type)) == {NIF.Context, SCHEMA.NewsArticle}


def test_aliases_and_same_as_identifiers():
    kg = KnowledgeGraph(AliasTable([Alias("Alibaba", "Alibaba Group", "Q1359568")]))
    kg.add_triples([triple("Alibaba Group", "owns", "Taobao", lemma="own", subject_type="ORG"),
                    triple("Alibaba", "owns", "Tmall", lemma="own", subject_type="ORG")])
    rdf = Graph().parse(data=kg.to_turtle(), format="turtle")
    alibaba = Vocabulary().entity("alibaba group")
    assert set(rdf.objects(alibaba, SKOS.altLabel)) == {Literal("Alibaba")}
    assert set(rdf.objects(alibaba, OWL.sameAs)) == {
        URIRef("http://www.wikidata.org/entity/Q1359568")}


@pytest.mark.parametrize(("lemma", "iri"), [
    ("fine", "fine"),
    ("split into", "split_into"),
    ("snake_case", "snake%5Fcase"),  # never the IRI of "snake case"
    ("snake case", "snake_case"),
    ("<b> #1 100%", "%3Cb%3E_%231_100%25"),
])
def test_relation_iris_are_readable_and_never_shared(lemma, iri):
    assert Vocabulary.relation(lemma) == REL[iri]


def test_base_iri_is_configurable():
    text = _kg().to_turtle(base_iri="https://example.org/news")
    rdf = Graph().parse(data=text, format="turtle")
    assert (URIRef("https://example.org/news/entity/regulators"), REL.fine,
            URIRef("https://example.org/news/entity/ant_group")) in rdf
    assert "@prefix ent: <https://example.org/news/entity/> ." in text


@pytest.mark.parametrize("base", ["not an iri", "https://exa mple.org/", "https://x.org/<a>", ""])
def test_bad_base_iri_is_refused_with_its_value(base):
    from extractors.errors import NewsgraphError

    with pytest.raises(NewsgraphError, match="is not an absolute IRI"):
        _kg().to_turtle(base_iri=base)


@pytest.mark.parametrize("base", ["https://example.org/news#", "https://example.org/a#b/"])
def test_base_iri_with_a_fragment_is_refused(base):
    # Its sentence IRIs would hold two fragments ("...#document/x#char=0,5"): invalid IRIs.
    from extractors.errors import NewsgraphError

    with pytest.raises(NewsgraphError, match="holds a '#'"):
        _kg().to_turtle(base_iri=base)


def test_turtle_is_deterministic_and_uses_prefixes():
    text = _kg().to_turtle()
    assert text == _kg().to_turtle()
    assert "ent:regulators a schema:Thing ;" in text
    assert "\trel:fine ent:ant_group ." in text


def test_to_turtle_writes_the_file(tmp_path):
    target = tmp_path / "out" / "graph.ttl"
    text = _kg().to_turtle(target)
    assert target.read_text(encoding="utf-8") == text


def test_rdflib_graph_is_the_same_graph_as_the_turtle():
    kg = _hostile_kg()
    parsed = Graph().parse(data=kg.to_turtle(), format="turtle")
    assert set(to_rdf(kg)) == set(parsed)


def _odd_iris_kg() -> KnowledgeGraph:
    """Documents whose ids and URLs make IRIs that only some prefixed names can write."""
    kg = KnowledgeGraph()
    for doc_id, url in [("a.", "https://schema.org/x"), ("~b:c(d)", "https://schema.org/a.b."),
                        ("é/ü 1", "https://w3id.org/newsgraph/relation/"),
                        ("2024-01-01#x=1,2", "http://example.org/ü?q=1&r=(2)")]:
        kg.add_triples([triple("Ant Group", "fined", "a" + doc_id, lemma="fine " + doc_id,
                               doc_id=doc_id)], doc_id=doc_id, url=url, date="2024-01-01")
    return kg


def _many_objects_kg() -> KnowledgeGraph:
    """Subjects with several objects of one predicate: aliases, documents, one relation to
    several entities, extra arguments, coreference references and their names."""
    kg = KnowledgeGraph(AliasTable([Alias("Ant Financial", "Ant Group", "Q28405591"),
                                    Alias("Ant", "Ant Group")]))
    refs = (EntityRef("Ant Group", "ORG", ("Ant Group", "the company", "it")),
            EntityRef("Alibaba", "ORG", ("Alibaba",)))
    for doc_id in ("a", "b"):
        kg.add_triples([
            triple("Ant Financial", "fined", "Jack Ma", lemma="fine", doc_id=doc_id),
            triple("Ant", "fined", "Alibaba", lemma="fine", doc_id=doc_id, sentence=1),
            dataclasses.replace(
                triple("it", "paid", "the regulators", lemma="pay", doc_id=doc_id, sentence=2),
                extras=(argument("on Friday", start=40), argument("in Beijing", start=50),
                        argument("with cash", start=60))),
        ], doc_id=doc_id)
    sued = triple("They", "sued", "the firms", lemma="sue", doc_id="c")
    kg.add_triples([dataclasses.replace(
        sued, subject=dataclasses.replace(sued.subject, entities=refs),
        object=dataclasses.replace(sued.object, entities=refs[::-1]))], doc_id="c")
    return kg


#: Bases whose namespaces nest in the fixed ones, or hold characters a prefixed name escapes.
BASE_IRIS = [None, "https://schema.org/", "https://w3id.org/newsgraph/",
             "http://example.org/a.b~c(d)/", "urn:x:y"]


@pytest.mark.parametrize("base_iri", BASE_IRIS)
@pytest.mark.parametrize("make", [_kg, _hostile_kg, _odd_iris_kg, _many_objects_kg])
def test_turtle_writer_writes_what_pyoxigraph_writes(make, base_iri):
    """The Turtle, written from the model's Turtle terms, is byte for byte what pyoxigraph's
    own writer makes of the model's N-Triples, and the same graph."""
    kg = make()
    text = to_rdf_text(kg, "ttl", base_iri=base_iri)
    vocab = Vocabulary(base_iri)
    assert text == serialise(rdf_model(kg, base_iri), "ttl", vocab.prefixes)
    assert set(pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.TURTLE)) == set(
        pyoxigraph.parse(to_rdf_text(kg, "nt", base_iri=base_iri),
                         format=pyoxigraph.RdfFormat.N_TRIPLES))


@pytest.mark.parametrize("statement", [
    "https://x.org/s/1f0c", "https://x.org/s/a.", "https://x.org/s/", "https://x.org/s/a%25.b",
    "https://x.org/s/a\u00d7b", "https://x.org/t.u/v", "https://x.org/s/-x"])
@pytest.mark.parametrize("prefixes", [{"s": "https://x.org/s/", "x": "https://x.org/"},
                                      {"s": "https://x.org/s/", "t": "https://x.org/t."}])
def test_part_names_are_what_pyoxigraph_writes(statement, prefixes):
    """A part's prefixed name is made from its statement's; where that could differ from
    working it out (a local name ending in ".", an empty one, namespaces not ending in "/"
    or "#") it is worked out, and always what pyoxigraph writes."""
    from graph.rdf import _TurtleTerms

    terms = _TurtleTerms(prefixes)
    node = (f"<{statement}>", terms.iri(statement))
    for name in ("subject", "head"):
        node = terms.part(node, name)
        probe = pyoxigraph.Triple(pyoxigraph.NamedNode(node[0][1:-1]),
                                  pyoxigraph.NamedNode("urn:p"), pyoxigraph.NamedNode("urn:o"))
        text = pyoxigraph.serialize([probe], format=pyoxigraph.RdfFormat.TURTLE,
                                    prefixes=prefixes).decode()
        assert text.splitlines()[-1].split(" ")[0] == node[1]


def test_committed_export_is_what_pyoxigraph_writes(export_text):
    """The export of inputs/ again, through pyoxigraph's Turtle writer."""
    kg = KnowledgeGraph.from_rdf(EXPORT)
    assert serialise(rdf_model(kg), "ttl", Vocabulary().prefixes) == export_text


def test_statements_of_documents_whose_ids_hold_the_hash_separator_keep_their_own_iris():
    """A statement IRI hashes its fields joined by U+001F. With a document id that holds it,
    two documents' statements can hash alike; numbering each document's statements apart
    would then give both one IRI, so the Turtle numbers them over the whole graph, as the
    other formats do."""
    def fined(doc_id: str, sentence: int, rule: str, words: str) -> Triple:
        return Triple(argument("Regulators"), Relation(words, "fine"),
                      argument("Ant Group", start=17),
                      Provenance(doc_id, sentence, 0, 27, "Regulators fined Ant Group.", rule))

    kg = KnowledgeGraph()
    kg.add_triples([fined("a", 3, "r", "5\x1fx\x1ffined")], doc_id="a")
    kg.add_triples([fined("a\x1f3\x1fr", 5, "x", "fined")], doc_id="a\x1f3\x1fr")
    vocab = Vocabulary()
    assert vocab.statement(kg.merged[0]) == vocab.statement(kg.merged[1])
    statements = {str(s) for s in to_rdf(kg).subjects(RDF.type, RDF.Statement)}
    assert len(statements) == 2
    parsed = Graph().parse(data=to_rdf_text(kg, "ttl"), format="turtle")
    assert set(parsed) == set(to_rdf(kg))
    assert to_rdf_text(kg, "ttl") == serialise(rdf_model(kg), "ttl", vocab.prefixes)


# -- trust: three parsers, hostile text -----------------------------------------------------


def _rapper_count(path: Path, parser: str) -> int:
    rapper = shutil.which("rapper")
    if rapper is None:
        pytest.skip("rapper is not installed: `apt-get install raptor2-utils` (make test does)")
    result = subprocess.run([rapper, "-c", "-i", parser, str(path)], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Error" not in result.stderr and "Warning" not in result.stderr, result.stderr
    return int(result.stderr.split("Parsing returned ")[1].split()[0])


def _count_everywhere(path: Path, name: str) -> int:
    """Parse with rdflib and pyoxigraph (and rapper where it reads the format); every parser
    must find the same number of triples."""
    from rdflib import Dataset

    rdflib_graph = Dataset(default_union=True) if name == "trig" else Graph()
    rdflib_graph.parse(path, format=RDFLIB_FORMATS[name])
    oxigraph = list(pyoxigraph.parse(path=path, format=OXIGRAPH_FORMATS[name]))
    counts = {"rdflib": len(rdflib_graph), "pyoxigraph": len(oxigraph)}
    if name in RAPPER_PARSERS:
        counts["rapper"] = _rapper_count(path, RAPPER_PARSERS[name])
    assert len(set(counts.values())) == 1, counts
    return counts["rdflib"]


@pytest.mark.parametrize("name", ["ttl", "nt", "trig", "jsonld"])
def test_hostile_export_parses_everywhere_and_round_trips(name, hostile_kg, tmp_path):
    path = tmp_path / f"graph.{name}"
    path.write_text(to_rdf_text(hostile_kg, name), encoding="utf-8")
    assert _count_everywhere(path, name) > 1000
    assert KnowledgeGraph.from_rdf(path).to_turtle() == hostile_kg.to_turtle()


def test_hostile_text_survives_as_text(hostile_kg):
    rdf = Graph().parse(data=hostile_kg.to_turtle(), format="turtle")
    labels = {str(o) for o in rdf.objects(None, RDFS.label)}
    for name in HOSTILE_NAMES:
        portable = name.replace("\x00", "\ufffd").replace("\ufffe", "\ufffd").replace(
            "\U0001ffff", "\ufffd")
        assert any(portable.strip(" -.'") in label for label in labels), name
    for subject in rdf.subjects():
        assert not any(c in str(subject) for c in ' <>"{}|\\^`\n\x00'), subject
    sentences = {str(o) for o in rdf.objects(None, NIF.anchorOf)}
    assert "Regulators fined the \x07 company \U0001F680 on Monday." in sentences


def test_committed_export_parses_everywhere():
    for name, path in [("ttl", EXPORT)]:
        assert _count_everywhere(path, name) > 10000


def test_ontology_and_shapes_parse_everywhere():
    for path in (ONTOLOGY, SHAPES):
        Graph().parse(path, format="turtle")
        list(pyoxigraph.parse(path=path, format=pyoxigraph.RdfFormat.TURTLE))
        assert _rapper_count(path, "turtle") > 50


# -- round trip -----------------------------------------------------------------------------


def test_committed_export_loads_back_byte_identical(export_text):
    assert KnowledgeGraph.from_rdf(EXPORT).to_turtle() == export_text


def test_every_field_of_a_triple_survives_the_round_trip(tmp_path):
    # A new field on a value class must be carried by the RDF model: extend graph/rdf.py
    # (writer and reader), the ontology and the shapes, then these lists.
    assert [f.name for f in dataclasses.fields(Argument)] == [
        "text", "start", "end", "head", "head_start", "head_end", "entity_type", "nominal",
        "entities"]
    assert [f.name for f in dataclasses.fields(EntityRef)] == ["label", "entity_type", "names"]
    assert [f.name for f in dataclasses.fields(Relation)] == ["text", "lemma", "passive"]
    assert [f.name for f in dataclasses.fields(Qualifiers)] == [
        "negated", "modality", "attribution", "time", "location", "amount"]
    assert [f.name for f in dataclasses.fields(Provenance)] == [
        "doc_id", "sentence_index", "sentence_start", "sentence_end", "sentence", "rule"]
    assert [f.name for f in dataclasses.fields(Triple)] == [
        "subject", "relation", "object", "provenance", "qualifiers", "confidence", "extras"]
    sentence = "These companies were fined by regulators, who said they would not appeal."
    companies = (EntityRef("Alibaba Group", "ORG", ("Alibaba Group", "Alibaba")),
                 EntityRef("Tencent", "ORG", ("Tencent",)))
    names = ("regulators", *(f"the regulators {i}" for i in range(11)))  # rdf:_10 after _9
    full = Triple(
        Argument("regulators", 29, 39, "regulators", 29, 39, "NORP",
                 entities=(EntityRef("regulators", "NORP", names),)),
        Relation("were fined by", "fine", passive=True),
        Argument("These companies", 0, 15, "companies", 6, 15, entities=companies),
        Provenance("d", 7, 50, 50 + len(sentence), sentence, "passive_agent"),
        Qualifiers(negated=True, modality="would", attribution="regulators", time="today",
                   location="Beijing", amount="HK$349.8"),
        confidence=0.123456789,
        extras=(Argument("by regulators", 26, 39, "regulators", 29, 39),
                Argument("that they would", 40, 55, "would", 50, 55, None, nominal=False)),
    )
    clause = Triple(full.object, Relation("would not appeal", "appeal"),
                    Argument("they would not appeal", 1, 22, "appeal", 16, 22, nominal=False),
                    full.provenance, confidence=1.0)
    aliases = AliasTable([Alias("Tencent Holdings", "Tencent", "Q860580")])
    kg = KnowledgeGraph(aliases)
    kg.add_triples([full, clause, full], doc_id="d", title=None, source="d.txt")
    kg.documents["d"].update(date="2019-04-08", url="https://en.wikinews.org/wiki/X")
    assert {v for _, v in kg.nx.edges()} == {"alibaba group", "tencent"}
    path = tmp_path / "graph.ttl"
    kg.to_turtle(path)
    back = KnowledgeGraph.from_rdf(path, aliases=aliases)
    assert back.merged == [full, clause, full]
    assert [edge["evidence"] for _, _, edge in back.nx.edges(data=True)] == [[full, full]] * 2
    assert back.nx.nodes["tencent"]["same_as"] == ["http://www.wikidata.org/entity/Q860580"]
    assert back.unattached == [clause]
    assert back.documents == kg.documents
    assert nx.utils.graphs_equal(back.nx, kg.nx)
    assert back.to_turtle() == path.read_text(encoding="utf-8")


def test_a_loaded_export_continues_the_build_like_the_original(export_text, tmp_path):
    """Entity matching depends on what the graph holds; a graph loaded from its export must
    merge a new article exactly as the graph that was exported would."""
    from graph.build import BuildReport, collect_documents, merge_documents

    original = merge_documents(collect_documents([ROOT / "inputs"], BuildReport()),
                               BuildReport())
    assert original.to_turtle() == export_text
    loaded = KnowledgeGraph.from_rdf(EXPORT)
    assert loaded.merged == original.merged
    assert nx.utils.graphs_equal(loaded.nx, original.nx)
    article = ("Alibaba Group said on Monday that Jack Ma met Premier Li Qiang. "
               "He praised the company.")
    for kg in (original, loaded):
        kg.add_document(article, doc_id="zz_more")
    assert loaded.to_turtle() == original.to_turtle()


def test_entities_not_changed_since_are_written_as_before():
    """The Turtle export takes an entity's statements from the cache's snapshot unless the
    entity is in ``kg.changed``: every entity whose statements a merge changes must be."""
    from graph.rdf import _default_graph, _turtle_subjects, _TurtleTerms

    kg = KnowledgeGraph.from_rdf(EXPORT)
    vocab = Vocabulary()

    def described(known=None):
        entities = {key: f"<{vocab.entity_iri(key)}>" for key in kg.nx}
        kept = {}
        subjects = _default_graph(kg, vocab, entities, _TurtleTerms(vocab.prefixes), known, kept)
        return "".join(_turtle_subjects(subjects)), kept

    _, before = described()
    kg.changed.clear()
    # a fuller name for Tencent, which three entities have edges to
    kg.add_document("Tencent Holdings cut its prices on Monday. Tencent Holdings hired "
                    "engineers in Shenzhen.", doc_id="zz_more")
    assert "tencent holdings" in kg.nx and "tencent" not in kg.nx
    text, after = described()
    assert {key for key in after if after[key] != before.get(key)} <= kg.changed
    assert {"platform operators", "tech giants", "companies"} <= kg.changed
    assert len(kg.changed) < len(kg.nx) / 4
    assert described(before)[0] == text


def test_from_rdf_names_the_file_and_the_problem(tmp_path):
    from extractors.errors import InputError

    bad = tmp_path / "graph.ttl"
    bad.write_text("<a> <b> ", encoding="utf-8")
    with pytest.raises(InputError, match="graph.ttl: is not readable"):
        KnowledgeGraph.from_rdf(bad)
    other = tmp_path / "other.ttl"
    other.write_text("<http://a/s> a <http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement> .",
                     encoding="utf-8")
    with pytest.raises(InputError, match="is this a newsgraph export"):
        KnowledgeGraph.from_rdf(other)
    with pytest.raises(InputError, match="unknown RDF suffix '.xml'"):
        KnowledgeGraph.from_rdf(tmp_path / "graph.xml")


# -- published vocabulary and shapes --------------------------------------------------------


def test_every_project_term_is_declared_with_label_and_comment(export_rdf, hostile_kg):
    ontology = Graph().parse(ONTOLOGY, format="turtle")
    used = {term for graph in (export_rdf, to_rdf(hostile_kg)) for triple_ in graph
            for term in triple_ if isinstance(term, URIRef) and term.startswith(str(NG))}
    declared = {s for s in ontology.subjects(RDFS.label, None) if s.startswith(str(NG))}
    assert used <= declared, used - declared
    for term in declared:
        assert ontology.value(term, RDFS.comment) is not None, term
    from graph.rdf import NG_TERMS

    assert declared == {URIRef(t[1:-1]) for t in NG_TERMS.values()} | {
        NG.UnattachedExtraction, NG.EntityReference}


def _validate(data: Graph) -> tuple[bool, str]:
    from pyshacl import validate

    conforms, _, report = validate(data, shacl_graph=Graph().parse(SHAPES, format="turtle"),
                                   advanced=True)
    return conforms, report


def test_committed_export_conforms_to_the_shapes(export_rdf):
    conforms, report = _validate(export_rdf)
    assert conforms, report


def test_hostile_export_conforms_to_the_shapes(hostile_kg):
    conforms, report = _validate(to_rdf(hostile_kg))
    assert conforms, report


@pytest.mark.parametrize(("corruption", "message"), [
    ("asserted", "ng:asserted must be true exactly when the extraction is not negated"),
    ("direct", "a fact is a direct triple exactly when one of its extractions is asserted"),
    ("offset", "nif:endIndex - nif:beginIndex must be the length of nif:anchorOf"),
    ("confidence", "Value is not <= Literal(\"1\""),
    ("head", "the heads of the subject and object phrases must name rdf:subject"),
])
def test_shapes_catch_a_broken_export(corruption, message):
    rdf = to_rdf(_kg())
    vocab = Vocabulary()
    statement = next(rdf.subjects(NG.asserted, Literal(True)))
    if corruption == "asserted":
        rdf.set((statement, NG.asserted, Literal(False)))
    elif corruption == "direct":
        rdf.remove((vocab.entity("regulators"), REL.fine, vocab.entity("ant group")))
    elif corruption == "offset":
        sentence = rdf.value(statement, PROV.wasDerivedFrom)
        rdf.set((sentence, NIF.endIndex, Literal("99", datatype=XSD.nonNegativeInteger)))
    elif corruption == "confidence":
        rdf.set((statement, NG.confidence, Literal(Decimal("1.5"))))
    else:
        head = rdf.value(rdf.value(statement, NG.subjectPhrase), NG.head)
        rdf.set((head, ITSRDF.taIdentRef, vocab.entity("ant group")))
    conforms, report = _validate(rdf)
    assert not conforms
    assert f"Message: {message}" in report


def test_worked_example_in_the_docs_is_the_real_export():
    """docs/rdf-model.md shows the complete export of two extractions (as the extractor made
    them from the example article); the block must be exactly what ``to_turtle`` writes."""
    doc = (ROOT / "docs" / "rdf-model.md").read_text(encoding="utf-8")
    shown = doc.split("<!-- worked example -->\n```turtle\n")[1].split("```")[0]
    fine = Triple(
        Argument("Regulators", 0, 10, "Regulators", 0, 10),
        Relation("fined", "fine"),
        Argument("Ant Group", 17, 26, "Ant Group", 17, 26, "ORG"),
        Provenance("example", 0, 0, 69, "Regulators fined Ant Group on Friday for violations "
                   "worth $1 billion.", "active_clause"),
        Qualifiers(time="Friday", amount="$1 billion"),
        confidence=0.8622,
        extras=(Argument("on Friday", 27, 36, "Friday", 30, 36),
                Argument("for violations worth $1 billion", 37, 68, "violations", 41, 51)),
    )
    appeal = Triple(
        Argument("Ant Group", 70, 79, "Ant Group", 70, 79, "ORG"),
        Relation("did not appeal", "appeal"),
        Argument("the fine", 95, 103, "fine", 99, 103),
        Provenance("example", 1, 70, 104, "Ant Group did not appeal the fine.", "active_clause"),
        Qualifiers(negated=True),
        confidence=0.8955,
    )
    kg = KnowledgeGraph()
    kg.add_triples([fine, appeal], doc_id="example", title="Regulators fine Ant Group",
                   source="example.txt")
    assert kg.to_turtle() == shown


def test_turtle_is_made_a_piece_at_a_time_as_it_is_written(tmp_path):
    """The export's pieces are made as the file takes them, so that writing it never holds
    it whole (297 MB for the BBC corpus): the exported articles, each as 8 documents."""
    exported = KnowledgeGraph.from_rdf(EXPORT)
    by_document: dict[str, list[Triple]] = {}
    for fact in exported.merged:
        by_document.setdefault(fact.provenance.doc_id, []).append(fact)
    kg = KnowledgeGraph()
    for copy in range(8):
        for doc_id, facts in by_document.items():
            kg.add_triples(in_document(facts, f"{doc_id}-{copy}"), doc_id=f"{doc_id}-{copy}")
    whole = to_rdf_text(kg)
    target = tmp_path / "graph.ttl"
    tracemalloc.start()
    try:
        write_texts_atomic({target: turtle_by_document(kg)})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert target.read_text(encoding="utf-8") == whole
    # the export held whole while written takes twice its size (text and a list of pieces)
    assert peak < len(whole) / 2, (peak, len(whole))
