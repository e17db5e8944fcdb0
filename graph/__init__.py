"""Triples in, graph out: merging, RDF and HTML exports, queries.

>>> from graph import KnowledgeGraph
>>> kg = KnowledgeGraph()
>>> _ = kg.add_document("Regulators fined Ant Group.", doc_id="example")
>>> kg.nx.nodes["ant group"]["label"]
'Ant Group'
"""

from graph.knowledge_graph import KnowledgeGraph

__all__ = ["KnowledgeGraph"]
