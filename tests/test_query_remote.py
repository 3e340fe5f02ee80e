"""Canned queries on a SPARQL endpoint: a small SPARQL 1.1 Protocol server over the fixture graph, in-process."""
from __future__ import annotations

import base64
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox
import pytest

from kg.errors import QueryError
from kg.query import run_query, run_sparql
from kg.rdf.store import write_store
from kg.remote import inject_values, where_brace

FIXTURE = Path(__file__).parent / "fixtures" / "graph.trig"
CREDENTIALS = ("reader", "s3cret")
RESULT_TYPES = {"json": ox.QueryResultsFormat.JSON}


class Endpoint(BaseHTTPRequestHandler):
    """/sparql answers queries over the union of graphs; /auth also wants credentials; /boom, /busy and /slow fail."""

    dataset: ox.Store
    seen: ClassVar[list[str]] = []

    def log_message(self, *args) -> None:
        """Stay quiet."""

    def do_POST(self) -> None:
        """Answer a query sent as an HTML form (the SPARQL 1.1 Protocol's POST form)."""
        length = int(self.headers.get("Content-Length", 0))
        form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8"))
        path = self.path.split("?")[0]
        if path == "/auth":
            token = base64.b64encode(":".join(CREDENTIALS).encode()).decode()
            if self.headers.get("Authorization") != f"Basic {token}":
                return self.reply(401, b"Unauthorized", "text/plain", {"WWW-Authenticate": 'Basic realm="SPARQL"'})
        if path == "/slow":
            time.sleep(3)
        if path not in ("/sparql", "/auth"):
            codes = {"/boom": 500, "/busy": 503}
            return self.reply(codes.get(path, 404), b"<html><h1>Oops</h1>\nstack\n</html>", "text/html")
        query = form["query"][0]
        self.seen.append(query)
        try:
            answer = self.dataset.query(query, use_default_graph_as_union=True)
        except SyntaxError as exc:
            return self.reply(400, str(exc).encode(), "text/plain")
        if isinstance(answer, ox.QueryTriples):
            return self.reply(200, answer.serialize(format=ox.RdfFormat.TURTLE), "text/turtle")
        body = answer.serialize(format=ox.QueryResultsFormat.JSON)
        return self.reply(200, body, "application/sparql-results+json")

    def reply(self, code: int, body: bytes, content_type: str, headers: dict | None = None) -> None:
        """Send one response (unless the client has given up waiting)."""
        try:
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """A store holding the fixture graph."""
    path = tmp_path_factory.mktemp("kg") / "store"
    with write_store(path, fresh=True) as w:
        w.store.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    return path


@pytest.fixture(scope="module")
def server():
    """The base URL of a running endpoint over the fixture graph."""
    dataset = ox.Store()
    dataset.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    handler = type("FixtureEndpoint", (Endpoint,), {"dataset": dataset, "seen": []})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", handler
    httpd.shutdown()
    httpd.server_close()


CASES = [("joins", {}), ("thanks", {}), ("decisions", {}), ("organizations", {}),
         ("members", {"body": "совет", "date": "2022-12-31"}),
         ("members", {"body": "https://kg.example.org/id/body/council", "date": "2023"}),
         ("person", {"name": "головин"})]


@pytest.mark.parametrize("name,params", CASES)
def test_endpoint_answers_like_the_store(store, server, name, params):
    url, _ = server
    local = run_query(name, params, store_path=store)
    remote = run_query(name, params, endpoint=f"{url}/sparql")
    assert remote.vars == local.vars and remote.rows == local.rows and remote.rows


@pytest.mark.parametrize("value", ['x" } UNION { ?s ?p ?o } #', '""") } UNION { ?s ?p ?o', "}\n?s ?p ?o .\n{",
                                   "https://kg.example.org/id/body/council> } UNION { ?s ?p ?o"])
def test_hostile_values_reach_the_endpoint_as_one_literal(server, value):
    url, handler = server
    assert run_query("members", {"body": value, "date": "2023-06-01"}, endpoint=f"{url}/sparql").rows == []
    literal = '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    # the body is looked up first, the value bound as one literal; it matches no body, so nothing follows
    assert any(f"VALUES (?q ?class) {{ ({literal} " in sent for sent in handler.seen)


def test_credentials_from_options_and_environment(server, monkeypatch):
    url, _ = server
    with pytest.raises(QueryError, match=r"refused the credentials \(HTTP 401\)"):
        run_query("cooperation", endpoint=f"{url}/auth")
    assert run_query("cooperation", endpoint=f"{url}/auth", user=CREDENTIALS[0], password=CREDENTIALS[1]).rows
    monkeypatch.setenv("KG_ENDPOINT_USER", CREDENTIALS[0])
    monkeypatch.setenv("KG_ENDPOINT_PASSWORD", CREDENTIALS[1])
    assert run_query("cooperation", endpoint=f"{url}/auth").rows


def free_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("path,message", [
    ("/nothing", r"no SPARQL endpoint at .*/nothing \(HTTP 404\)"),
    ("/boom", r"/boom failed \(HTTP 500\): Oops"),
    ("/busy", r"/busy answered HTTP 503"),
    ("/slow", r"no answer from .*/slow within 0.5 s"),
])
def test_endpoint_failures_are_query_errors(server, path, message):
    url, _ = server
    with pytest.raises(QueryError, match=message):
        run_query("cooperation", endpoint=url + path, timeout=0.5)


def test_refused_connection_and_bad_urls():
    with pytest.raises(QueryError, match="cannot reach"):
        run_query("cooperation", endpoint=f"http://127.0.0.1:{free_port()}/sparql")
    with pytest.raises(QueryError, match="not an http"):
        run_query("cooperation", endpoint="ftp://example.org/sparql")


def test_syntax_errors_and_updates(server):
    url, _ = server
    with pytest.raises(QueryError, match=r"rejected the query \(HTTP 400\)"):
        run_sparql("SELECT * WHERE { ?s ?p }", endpoint=f"{url}/sparql")
    with pytest.raises(QueryError, match="not updates"):
        run_sparql("INSERT DATA { <http://a> <http://b> <http://c> }", endpoint=f"{url}/sparql")


def test_ask_and_construct_on_the_endpoint(server):
    url, _ = server
    assert run_sparql("ASK { ?s a <http://xmlns.com/foaf/0.1/Person> }", endpoint=f"{url}/sparql").boolean is True
    graph = run_sparql("CONSTRUCT { ?s a ?c } WHERE { ?s a <https://kg.example.org/ns#Meeting> ; a ?c }",
                       endpoint=f"{url}/sparql")
    assert graph.kind == "graph" and len(graph.triples) == 3


def test_cli_on_the_endpoint(server):
    url, _ = server
    p = subprocess.run([sys.executable, "-m", "kg", "query", "cooperation", "--endpoint", f"{url}/sparql",
                        "--format", "csv"], capture_output=True, text=True, timeout=60, check=False)
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines()[0] == "orgA,orgAName,orgB,orgBName,weight"
    p = subprocess.run([sys.executable, "-m", "kg", "query", "cooperation", "--endpoint", f"{url}/auth"],
                       capture_output=True, text=True, timeout=60, check=False)
    assert p.returncode == 1 and len(p.stderr.strip().splitlines()) == 1 and "HTTP 401" in p.stderr


@pytest.mark.parametrize("text,marker", [
    ("SELECT * WHERE { ?s ?p ?o }", "WHERE {"),
    ("select * { ?s ?p ?o }", "* {"),
    ('PREFIX ex: <http://x/#{> SELECT ("{" AS ?b) # {\nWHERE { ?s ?p ?o }', "WHERE {"),
    ("SELECT (EXISTS { ?a ?b ?c } AS ?e) WHERE { ?s ?p ?o }", "WHERE {"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "WHERE {"),
    ("CONSTRUCT { ?s ?p ?o } { ?s ?p ?o }", "} {"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "WHERE {"),
    ("ASK { ?s ?p '''}''' }", "ASK {"),
    ("SELECT * WHERE { FILTER(?a < ?b) { SELECT ?x WHERE { ?x ?y ?z } } }", "WHERE {"),
])
def test_where_brace(text, marker):
    assert where_brace(text) == text.index(marker) + len(marker) - 1


def test_inject_values_keeps_the_query_valid():
    text = "SELECT ?s ?q WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?o), ?q)) }"
    injected = inject_values(text, {"q": ox.Literal('"} #')})
    rows = list(ox.Store().query(injected))
    assert rows == [] and 'VALUES (?q) { ("\\"} #") }' in injected
