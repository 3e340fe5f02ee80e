"""Pushing the graph into a SPARQL 1.1 server: one named graph per document, each one replaced whole or not at all.

A graph that fits in one request (`--chunk-size` triples) is replaced by one request: a Graph Store
`PUT`, or one SPARQL Update request `DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { … } }` — the server
applies it whole or not at all, and a connection cut in the middle leaves the old graph as it was. A
larger graph is loaded in chunks into a staging graph `<g>/staging` and then moved over the old one
(`MOVE <g>/staging TO <g>`); if the push fails before the move, the old graph stays and the staging graph
is dropped (or, if the server cannot be reached any more, dropped by the next push). The dataset
description (`kg.export.describe`) goes with the build graph. After the push, graphs under
`{base}graph/` that the store no longer has (removed documents, staging leftovers) are dropped.
"""
from __future__ import annotations

import json
import urllib.parse
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.export import DEFAULT_LICENSE, load_dataset
from kg.formats import term_to_sparql
from kg.push.http import Client, PushError, Response
from kg.push.targets import PROTOCOLS, Target, discover

STAGING_SUFFIX = "/staging"
SPECIAL_ORDER = ("authority", "derived", "build")

__all__ = ["PROTOCOLS", "PushError", "PushReport", "push"]


@dataclass
class PushReport:
    """What a push did: the target, the graphs written, triples sent, graphs dropped, requests made."""

    target: Target
    graphs: list[str] = field(default_factory=list)
    triples: int = 0
    dropped: list[str] = field(default_factory=list)
    requests: int = 0


def _graph_order(graph: str, base: str) -> tuple:
    """Documents first (by IRI), then the authority, derived and build graphs."""
    name = graph.removeprefix(base + "graph/")
    return (SPECIAL_ORDER.index(name) + 1 if name in SPECIAL_ORDER else 0, graph)


class Writer:
    """Writes whole graphs to one target with one client, counting requests."""

    def __init__(self, client: Client, target: Target, say: Callable[[str], None]):
        self.client, self.target, self.say = client, target, say
        self.requests = 0

    def _check(self, r: Response, what: str) -> None:
        """Raise a PushError unless R is a success."""
        if r.ok:
            return
        if r.status == 401:
            raise PushError(f"{what}: the server refused the credentials (HTTP 401); give --user/--password "
                            "or KG_ENDPOINT_USER/KG_ENDPOINT_PASSWORD")
        detail = r.text()
        raise PushError(f"{what}: HTTP {r.status}" + (f": {detail}" if detail else ""))

    def _call(self, method: str, url: str, body: bytes, content_type: str, what: str) -> None:
        """Send one request and check its answer."""
        self.requests += 1
        r = self.client.request(method, url, body, {"Content-Type": content_type})
        self._check(r, what)

    def update(self, text: str, what: str) -> None:
        """Run a SPARQL Update request."""
        if not self.target.update_url:
            raise PushError(f"{what}: no SPARQL Update endpoint (give --update-url)")
        self._call("POST", self.target.update_url, text.encode("utf-8"), "application/sparql-update; charset=utf-8",
                   what)

    def _gsp(self, method: str, graph: str, triples: list[ox.Triple], what: str) -> None:
        """A Graph Store request on GRAPH with TRIPLES as N-Triples."""
        url = self.target.gsp_url or ""
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode({"graph": graph})
        self._call(method, url, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"",
                   "application/n-triples", what)

    def _insert(self, graph: str, triples: list[ox.Triple], drop_first: bool, what: str) -> None:
        """INSERT DATA of TRIPLES into GRAPH (after dropping it, if DROP_FIRST), in one request."""
        g = term_to_sparql(ox.NamedNode(graph))
        data = (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
        text = f"INSERT DATA {{ GRAPH {g} {{\n{data}}} }}"
        self.update((f"DROP SILENT GRAPH {g} ;\n" if drop_first else "") + text, what)

    def drop(self, graph: str) -> None:
        """Remove GRAPH from the server (no error when it is not there)."""
        if self.target.protocol == "update" or self.target.gsp_url is None:
            self.update(f"DROP SILENT GRAPH {term_to_sparql(ox.NamedNode(graph))}", f"dropping {graph}")
            return
        url = self.target.gsp_url + ("&" if "?" in self.target.gsp_url else "?")
        self.requests += 1
        r = self.client.request("DELETE", url + urllib.parse.urlencode({"graph": graph}))
        if r.status != 404:
            self._check(r, f"dropping {graph}")

    def replace(self, graph: str, triples: list[ox.Triple]) -> None:
        """Make GRAPH on the server hold exactly TRIPLES, whole or not at all."""
        size = self.target.chunk
        if not triples:
            self.drop(graph)
            return
        if len(triples) <= size:
            what = f"writing {graph}"
            if self.target.protocol == "gsp":
                self._gsp("PUT", graph, triples, what)
            else:
                self._insert(graph, triples, True, what)
            return
        staging = graph + STAGING_SUFFIX
        chunks = [triples[i:i + size] for i in range(0, len(triples), size)]
        try:
            for n, chunk in enumerate(chunks):
                what = f"loading {staging} (chunk {n + 1}/{len(chunks)})"
                if self.target.protocol == "gsp":
                    self._gsp("PUT" if n == 0 else "POST", staging, chunk, what)
                else:
                    self._insert(staging, chunk, n == 0, what)
                self.say(f"    chunk {n + 1}/{len(chunks)}: {len(chunk)} triples")
            self.update(f"MOVE {term_to_sparql(ox.NamedNode(staging))} TO {term_to_sparql(ox.NamedNode(graph))}",
                        f"moving {staging} to {graph}")
        except PushError:
            try:
                self.drop(staging)
            except PushError:
                pass
            raise

    def probe(self) -> None:
        """Learn the write endpoint's authentication challenge with an empty request, before sending any data."""
        url = self.target.gsp_url if self.target.protocol == "gsp" else self.target.update_url
        if self.client.user and url:
            r = self.client.request("HEAD", url)
            if r.status == 401:
                self._check(r, f"writing to {url}")

    def graphs_under(self, prefix: str) -> list[str]:
        """The named graphs on the server whose IRI starts with PREFIX."""
        query = ("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                 f"FILTER(STRSTARTS(STR(?g), {term_to_sparql(ox.Literal(prefix))})) }}")
        url = self.target.query_url + ("&" if "?" in self.target.query_url else "?")
        self.requests += 1
        r = self.client.request("GET", url + urllib.parse.urlencode({"query": query}),
                                headers={"Accept": "application/sparql-results+json"})
        self._check(r, "listing the server's graphs")
        try:
            rows = json.loads(r.body)["results"]["bindings"]
            return sorted(row["g"]["value"] for row in rows if "g" in row)
        except (ValueError, KeyError, TypeError) as exc:
            raise PushError("listing the server's graphs: the answer is not SPARQL JSON results") from exc


def push(store_path: str | Path, endpoint: str, *, user: str | None = None, password: str | None = None,
         auth: str = "auto", protocol: str = "auto", update_url: str | None = None, gsp_url: str | None = None,
         chunk: int | None = None, prune: bool = True, license: str = DEFAULT_LICENSE, timeout: float = 60.0,
         progress: Callable[[str], None] | None = None) -> PushReport:
    """Load the store at STORE_PATH into the SPARQL server whose query endpoint is ENDPOINT."""
    say = progress or (lambda msg: None)
    data = load_dataset(store_path, license)
    base = data.info.base
    by_graph: dict[str, list[ox.Triple]] = defaultdict(list)
    for q in data.all_quads:
        if isinstance(q.graph_name, ox.NamedNode):
            by_graph[q.graph_name.value].append(ox.Triple(q.subject, q.predicate, q.object))
    client = Client(user, password, auth, timeout)
    target = discover(client, endpoint, protocol, update_url, gsp_url, chunk)
    say(f"pushing to {target.server} server: {target.protocol} "
        f"({target.gsp_url if target.protocol == 'gsp' else target.update_url}), {target.chunk} triples per request")
    writer = Writer(client, target, say)
    writer.probe()
    report = PushReport(target)
    graphs = sorted(by_graph, key=lambda g: _graph_order(g, base))
    for n, graph in enumerate(graphs, 1):
        triples = sorted(set(by_graph[graph]), key=str)
        say(f"[{n}/{len(graphs)}] {graph}: {len(triples)} triples")
        try:
            writer.replace(graph, triples)
        except PushError as exc:
            raise PushError(f"{exc}; the server's copy of {graph} is unchanged; {n - 1} of {len(graphs)} graphs "
                            "were pushed before (run kg push again to finish)") from exc
        report.graphs.append(graph)
        report.triples += len(triples)
    if prune:
        for graph in writer.graphs_under(base + "graph/"):
            if graph not in by_graph:
                say(f"dropping {graph} (not in the store)")
                writer.drop(graph)
                report.dropped.append(graph)
    report.requests = writer.requests
    return report
