"""Conversions between the pyoxigraph store and rdflib graphs (used by validation and exports)."""
from __future__ import annotations

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.graph import ConjunctiveGraph


def store_to_rdflib(store: ox.Store) -> Dataset:
    """Copy every quad of an Oxigraph store into an rdflib Dataset, named graphs kept."""
    data = store.dump(format=ox.RdfFormat.N_QUADS)
    dataset = Dataset()
    if data:
        dataset.parse(data=data.decode("utf-8"), format="nquads")
    return dataset


def union_graph(data: Graph, into: Graph | None = None) -> Graph:
    """The triples of every graph of DATA (a Dataset, or a plain Graph) in one graph, INTO if given."""
    target = into if into is not None else Graph()
    if isinstance(data, ConjunctiveGraph):  # a Dataset is one too
        for s, p, o, _ in data.quads((None, None, None, None)):
            target.add((s, p, o))
    else:
        for triple in data:
            target.add(triple)
    return target
