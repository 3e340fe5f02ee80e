"""What a worker process does: run SPARQL queries, describe entities, render pages (all read-only).

A job is a tuple: `("query", text, accept, default_graph_uris, named_graph_uris)`,
`("describe", iri, accept)` or `("home",)`; the answer is a `kg.serve.worker.Answer`.
"""
from __future__ import annotations

import io
import json
import re
from typing import Any

import pyoxigraph as ox

from kg.errors import KGError
from kg.export import load_dataset
from kg.export.rdf import jsonld, load_context, used_prefixes
from kg.formats import QueryResult, to_json, write_csv, write_graph, write_tsv, write_xml
from kg.namespaces import LKG, PROV
from kg.rdf.store import open_store
from kg.remote import strip_comments
from kg.serve.conneg import GRAPH_TYPES, HTML, RESULT_TYPES, negotiate
from kg.serve.pages import EntityView, Labeler, render_entity, render_home
from kg.serve.worker import Answer, text_answer

UPDATE_KEYWORDS = re.compile(r"(?i)^\s*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b")
PROLOGUE = re.compile(r"(?i)^\s*(BASE\s*<[^>]*>|PREFIX\s+[\w.-]*:\s*<[^>]*>)")
READ_ONLY = "this endpoint is read-only: SPARQL Update requests are refused (only SELECT, ASK, CONSTRUCT, DESCRIBE)"
SERIALIZERS = {"json": None, "xml": write_xml, "csv": write_csv, "tsv": write_tsv}
GRAPH_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "xml": ox.RdfFormat.RDF_XML}
QUOTES = f"""SELECT DISTINCT ?x ?quote ?doc WHERE {{
  {{ GRAPH ?g {{ ?x ?q ?quote }} }} UNION {{ ?fact ?p ?x . GRAPH ?g {{ ?fact ?q ?quote }} }}
  FILTER(?q = <{LKG.quote}> || ?q = <{PROV.value}>)
  OPTIONAL {{ GRAPH ?g {{ ?res <{LKG.fileName}> ?doc }} }}
}} ORDER BY ?doc ?quote LIMIT 500"""


def is_update(text: str) -> bool:
    """Whether TEXT is a SPARQL Update request (after its comments and prologue)."""
    rest = strip_comments(text)
    while True:
        m = PROLOGUE.match(rest)
        if not m:
            break
        rest = rest[m.end():]
    return bool(UPDATE_KEYWORDS.match(rest))


def _first_line(exc: Exception) -> str:
    """The first line of an error message."""
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    return lines[0][:500] if lines else type(exc).__name__


class Jobs:
    """The store (read-only) and the dataset description, and the jobs a worker answers with them."""

    def __init__(self, store_path: str, base: str, endpoint: str | None):
        self.store = open_store(store_path)
        self.base = base
        data = load_dataset(store_path, endpoint=endpoint, store=self.store)
        self.description = ox.Store()
        self.description.extend(data.description)
        self.info = data.info
        self.context = load_context()
        self.docs = {g.value: f.value for g, f in self._select(
            f"SELECT ?g ?f WHERE {{ GRAPH ?g {{ ?r <{LKG.fileName}> ?f }} }}")}
        self.labels = Labeler(self.store, self.description)

    def _select(self, text: str, **kwargs: Any) -> list[tuple]:
        """Rows of a SELECT on the store."""
        answer = self.store.query(text, **kwargs)
        names = [v.value for v in answer.variables]
        return [tuple(s[n] for n in names) for s in answer]

    def run(self, job: tuple) -> Answer:
        """The answer to one job; unexpected failures become a 500 with a one-line message."""
        try:
            if job[0] == "query":
                return self.query(*job[1:])
            if job[0] == "describe":
                return self.describe(*job[1:])
            if job[0] == "home":
                return Answer(200, "text/html; charset=utf-8", render_home(self.info, self.description).encode())
            return text_answer(400, f"unknown job {job[0]!r}")
        except (KGError, OSError, RuntimeError, ValueError) as exc:
            return text_answer(500, f"the server failed: {_first_line(exc)}")

    def query(self, text: str, accept: str | None, default_graphs: list[str], named_graphs: list[str]) -> Answer:
        """Run a SPARQL query (over the union of the graphs unless default graphs are given)."""
        if is_update(text):
            return text_answer(403, READ_ONLY)
        kwargs: dict[str, Any] = {"use_default_graph_as_union": not default_graphs}
        try:
            if default_graphs:
                kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
            if named_graphs:
                kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        except ValueError as exc:
            return text_answer(400, f"not an IRI in default-graph-uri or named-graph-uri: {_first_line(exc)}")
        try:
            answer = self.store.query(text, **kwargs)
            if isinstance(answer, ox.QueryBoolean):
                result = QueryResult("ask", boolean=bool(answer))
            elif isinstance(answer, ox.QueryTriples):
                result = QueryResult("graph", triples=list(answer))
            else:
                names = [v.value for v in answer.variables]
                result = QueryResult("select", names, [tuple(s[n] for n in names) for s in answer])
        except SyntaxError as exc:
            return text_answer(400, f"the query is not valid SPARQL: {_first_line(exc)}")
        except (OSError, RuntimeError, ValueError) as exc:
            return text_answer(400, f"the query failed: {_first_line(exc)}")
        return self._write_result(result, accept)

    def _write_result(self, result: QueryResult, accept: str | None) -> Answer:
        """RESULT in the format the client accepts best."""
        offers = GRAPH_TYPES if result.kind == "graph" else RESULT_TYPES
        chosen = negotiate(accept, offers)
        if chosen is None:
            return text_answer(406, "none of the accepted media types can hold this result; use one of: "
                                    + ", ".join(t for t, _ in offers))
        media, fmt = chosen
        out = io.StringIO(newline="")
        if result.kind == "graph":
            write_graph(result, "json" if fmt == "jsonld" else fmt, out)
        elif fmt == "json":
            out.write(json.dumps(to_json(result), ensure_ascii=False))
        else:
            SERIALIZERS[fmt](result, out)
        return Answer(200, f"{media}; charset=utf-8", out.getvalue().encode("utf-8"), (("Vary", "Accept"),))

    def statements(self, iri: str) -> tuple[list[ox.Quad], list[ox.Quad]]:
        """The quads with IRI as subject, and those with it as object (store and dataset description)."""
        node = ox.NamedNode(iri)
        out = list(self.store.quads_for_pattern(node, None, None)) + list(
            self.description.quads_for_pattern(node, None, None))
        inc = list(self.store.quads_for_pattern(None, None, node)) + list(
            self.description.quads_for_pattern(None, None, node))
        return out, inc

    def describe(self, iri: str, accept: str | None) -> Answer:
        """The entity IRI as HTML for browsers, or as RDF (its statements both ways) for machines."""
        out, inc = self.statements(iri)
        if not out and not inc:
            return text_answer(404, f"nothing is known about <{iri}>")
        chosen = negotiate(accept, GRAPH_TYPES[:4] + (HTML,))
        if chosen is None:
            return text_answer(406, "use one of: text/html, " + ", ".join(t for t, _ in GRAPH_TYPES[:4]))
        media, fmt = chosen
        headers = (("Vary", "Accept"),)
        if fmt == "html":
            quotes = [(q.value, d.value if d else None) for _, q, d in
                      self._select(QUOTES, use_default_graph_as_union=True,
                                   substitutions={ox.Variable("x"): ox.NamedNode(iri)})]
            view = EntityView(iri, out, inc, quotes, self.docs, self.base)
            return Answer(200, "text/html; charset=utf-8", render_entity(view, self.labels).encode(), headers)
        quads = sorted(set(out + inc), key=str)
        if fmt == "jsonld":
            body = jsonld([ox.Quad(q.subject, q.predicate, q.object) for q in quads], self.context)
            return Answer(200, "application/ld+json; charset=utf-8", body.encode(), headers)
        triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
        prefixes = used_prefixes(triples) if fmt != "nt" else None
        body = ox.serialize(triples, format=GRAPH_FORMATS[fmt], prefixes=prefixes) or b""
        return Answer(200, f"{media}; charset=utf-8", body, headers)
