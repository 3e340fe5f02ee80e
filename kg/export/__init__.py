"""Exports of the graph: linked data (ttl, nt, nq, trig, jsonld, xml), networks (graphml, gexf), tables (csv).

Every export carries the dataset description (`kg.export.describe`): RDF formats hold it in the build
graph, network formats as graph metadata, a CSV in its CSVW metadata file.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kg.errors import KGError
from kg.export.describe import DEFAULT_LICENSE, DatasetInfo, describe
from kg.export.network import summary, to_networkx, write_gexf, write_graphml
from kg.export.rdf import MEDIA_TYPES, RDF_FORMATS, write_rdf
from kg.export.table import write_query_csv
from kg.namespaces import DCTERMS, DEFAULT_BASE
from kg.rdf.store import open_store, read_manifest

NETWORK_FORMATS = ("graphml", "gexf")
FORMATS = (*RDF_FORMATS, *NETWORK_FORMATS, "csv")


@dataclass
class Dataset:
    """The store's quads, their description and what the description says about the publication."""

    quads: list[ox.Quad]
    description: list[ox.Quad]
    info: DatasetInfo
    columns: list[str] = field(default_factory=list)

    @property
    def all_quads(self) -> list[ox.Quad]:
        """The data and its description."""
        return self.quads + self.description

    @property
    def modified(self) -> str | None:
        """The build time (xsd:dateTime lexical form), if the store records one."""
        for q in self.description:
            if q.subject.value == self.info.dataset and q.predicate.value == str(DCTERMS.modified):
                return q.object.value
        return None


def store_base(store_path: str | Path) -> str:
    """The base of the IRIs minted in the store (from its manifest; kg's default when it records none)."""
    return read_manifest(store_path).get("base") or DEFAULT_BASE


def load_dataset(store_path: str | Path, license: str = DEFAULT_LICENSE, endpoint: str | None = None,
                 store: ox.Store | None = None) -> Dataset:
    """Every quad of the store at STORE_PATH and the description of them."""
    store = store if store is not None else open_store(store_path)
    info = DatasetInfo(store_base(store_path), license, endpoint)
    return Dataset(list(store), describe(store, info), info)


def export(store_path: str | Path, fmt: str, out: BinaryIO, *, license: str = DEFAULT_LICENSE,
           query: str | None = None, params: Mapping[str, str] | None = None) -> Dataset:
    """Write the store at STORE_PATH to OUT in FMT (csv: the canned QUERY's rows); the dataset written."""
    if fmt not in FORMATS:
        raise KGError(f"unknown export format {fmt!r}; use one of: {', '.join(FORMATS)}")
    if (fmt == "csv") != bool(query):
        raise KGError("--format csv needs --query NAME" if fmt == "csv" else "--query goes with --format csv")
    data = load_dataset(store_path, license)
    if fmt == "csv":
        data.columns = write_query_csv(store_path, query or "", params or {}, out)
    elif fmt in RDF_FORMATS:
        write_rdf(data.all_quads, fmt, out)
    else:
        g = to_networkx(data.quads, data.info.base)
        writer = write_graphml if fmt == "graphml" else write_gexf
        writer(g, summary(data.description, data.info.dataset), out)
    return data


__all__ = ["DEFAULT_LICENSE", "FORMATS", "MEDIA_TYPES", "NETWORK_FORMATS", "RDF_FORMATS", "Dataset", "DatasetInfo",
           "export", "load_dataset", "store_base"]
