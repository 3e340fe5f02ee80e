"""Servers that fail: an unreachable endpoint, one that never answers, one that wants credentials, one that
fails (HTTP 500) or hangs up in the middle of a push, one that answers with malformed results. Each is one
clear line from `kg push` / `kg query`, exit code 1, no traceback, and no partial state on the server: every
graph there is the old one or the new one, whole.

The server is a small SPARQL 1.1 Protocol, Update and Graph Store server written here with http.server over
an in-memory Oxigraph store (it calls itself "oxigraph", so that kg finds /update and /store). Each request
that writes is applied whole under a lock, or not at all when the test makes it fail.
"""
from __future__ import annotations

import base64
import json
import re
import socket
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.export import load_dataset
from kg.rdf.store import write_store

FIXTURE = Path(__file__).parent / "fixtures" / "graph.trig"
BASE = "https://kg.example.org/id/"
DOC_GRAPHS = BASE + "graph/"
CREDENTIALS = ("writer", "s3cret")
SPECIAL = ("authority", "derived", "build")


class FakeServer:
    """A SPARQL server on a loopback port whose failures the test sets: see the attributes."""

    def __init__(self) -> None:
        self.store = ox.Store()
        self.lock = threading.Lock()
        self.writes = 0  # write requests seen so far
        self.fail_write: int | None = None  # the write request (1-based) that fails, and how:
        self.failure = "500"  # "500" (an error page), "hangup" (closes without answering) or "hang" (no answer)
        self.credentials: tuple[str, str] | None = None  # wanted on every request when set
        self.query_answer: tuple[int, str, bytes] | None = None  # (status, content type, body) for every query
        self.query_hang = 0.0  # seconds a query waits before it is answered
        handler = type("Handler", (_Handler,), {"owner": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False  # a handler left hanging by a test does not hold up the shutdown
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/query"

    def close(self) -> None:
        """Stop serving."""
        self.httpd.shutdown()
        self.httpd.server_close()

    def graphs(self) -> dict[str, set[str]]:
        """The server's named graphs with their triples (as N-Triples lines)."""
        out: dict[str, set[str]] = {}
        with self.lock:
            for q in self.store:
                out.setdefault(q.graph_name.value, set()).add(str(ox.Triple(q.subject, q.predicate, q.object)))
        return out


class _Handler(BaseHTTPRequestHandler):
    """Requests of the fake server."""

    owner: FakeServer
    server_version = "oxigraph-test"
    sys_version = ""

    def log_message(self, *args) -> None:
        """Stay quiet."""

    def _reply(self, code: int, body: bytes = b"", content_type: str = "text/plain", extra: dict | None = None):
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _authorised(self) -> bool:
        """Whether the request carries the wanted credentials (answering 401 when it does not)."""
        wanted = self.owner.credentials
        if wanted is None:
            return True
        token = base64.b64encode(":".join(wanted).encode()).decode()
        if self.headers.get("Authorization") == f"Basic {token}":
            return True
        self._reply(401, b"Unauthorized", extra={"WWW-Authenticate": 'Basic realm="SPARQL"'})
        return False

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_HEAD(self) -> None:
        """Write endpoints answer an empty probe."""
        if self._authorised():
            self._reply(200)

    def do_GET(self) -> None:
        """A query in the URL."""
        if self._authorised():
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).get("query", [""])[0]
            self._query(query)

    def do_POST(self) -> None:
        """A query form, an update, or a Graph Store POST (add to a graph)."""
        if not self._authorised():
            return
        path = urllib.parse.urlsplit(self.path).path
        body = self._body()
        if path == "/query":
            return self._query(urllib.parse.parse_qs(body.decode("utf-8")).get("query", [""])[0])
        if path == "/update":
            return self._write(lambda store: store.update(body.decode("utf-8")))
        return self._graph_store(body, replace=False)

    def do_PUT(self) -> None:
        """Graph Store PUT: replace a graph."""
        if self._authorised():
            self._graph_store(self._body(), replace=True)

    def do_DELETE(self) -> None:
        """Graph Store DELETE: drop a graph."""
        if not self._authorised():
            return
        graph = ox.NamedNode(self._graph())
        with self.owner.lock:
            present = self.owner.store.contains_named_graph(graph)
        if not present:
            return self._reply(404)
        self._write(lambda store: store.remove_graph(graph))

    def _graph(self) -> str:
        return urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["graph"][0]

    def _graph_store(self, body: bytes, replace: bool) -> None:
        graph = ox.NamedNode(self._graph())
        try:
            quads = [ox.Quad(q.subject, q.predicate, q.object, graph)
                     for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
        except SyntaxError as exc:
            return self._reply(400, str(exc).encode())

        def apply(store: ox.Store) -> None:
            if replace and store.contains_named_graph(graph):
                store.remove_graph(graph)
            store.extend(quads)

        self._write(apply)

    def _write(self, apply) -> None:
        """Apply a write whole, or fail it the way the test asked (then nothing changes)."""
        owner = self.owner
        with owner.lock:
            owner.writes += 1
            failing = owner.writes == owner.fail_write
        if failing and owner.failure == "500":
            return self._reply(500, b"<html><body><h1>Internal Server Error</h1>\n<pre>disk full</pre></body></html>",
                               "text/html")
        if failing and owner.failure == "hangup":
            self.close_connection = True
            return
        if failing and owner.failure == "hang":
            time.sleep(3)
            self.close_connection = True
            return
        try:
            with owner.lock:
                apply(owner.store)
        except (SyntaxError, OSError) as exc:
            return self._reply(400, str(exc).encode())
        self._reply(204)

    def _query(self, text: str) -> None:
        owner = self.owner
        if owner.query_hang:
            time.sleep(owner.query_hang)
            self.close_connection = True
            return
        if owner.query_answer and not text.replace(" ", "").startswith("ASK{}"):
            status, content_type, body = owner.query_answer
            return self._reply(status, body, content_type)
        try:
            with owner.lock:
                answer = owner.store.query(text, use_default_graph_as_union=True)
                if isinstance(answer, ox.QueryTriples):
                    return self._reply(200, answer.serialize(format=ox.RdfFormat.N_TRIPLES), "application/n-triples")
                body = answer.serialize(format=ox.QueryResultsFormat.JSON)
        except SyntaxError as exc:
            return self._reply(400, str(exc).encode())
        self._reply(200, body, "application/sparql-results+json")


@pytest.fixture
def server():
    """A fresh fake server for one test."""
    s = FakeServer()
    yield s
    s.close()


def _store(path: Path, quads: list[ox.Quad]) -> Path:
    with write_store(path, fresh=True) as w:
        w.store.extend(quads)
    return path


@pytest.fixture(scope="module")
def versions(tmp_path_factory) -> tuple[Path, Path]:
    """Two stores: the fixture graph (v1) and v2, where every document graph changed and one is gone."""
    source = ox.Store()
    source.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    quads = list(source)
    docs = sorted({q.graph_name.value for q in quads if q.graph_name.value.startswith(DOC_GRAPHS)
                   and q.graph_name.value[len(DOC_GRAPHS):] not in SPECIAL})
    gone = docs[-1]
    v2 = [q for q in quads if q.graph_name.value != gone]
    for g in docs[:-1]:
        v2.append(ox.Quad(ox.NamedNode(g.replace("/graph/", "/resolution/")), ox.NamedNode(BASE + "note"),
                          ox.Literal("changed"), ox.NamedNode(g)))
    root = tmp_path_factory.mktemp("versions")
    return _store(root / "v1", quads), _store(root / "v2", v2)


def expected(store: Path) -> dict[str, set[str]]:
    """The graphs kg push sends for STORE, with their triples."""
    out: dict[str, set[str]] = {}
    for q in load_dataset(store).all_quads:
        out.setdefault(q.graph_name.value, set()).add(str(ox.Triple(q.subject, q.predicate, q.object)))
    return out


def push(capsys, server: FakeServer, store: Path, *extra: str, endpoint: str | None = None) -> tuple[int, str]:
    """`kg push` of STORE: the exit code and what it printed on stderr."""
    capsys.readouterr()
    code = main(["push", "--endpoint", endpoint or server.url, "--store", str(store), "-q", "--timeout", "1",
                 *extra])
    return code, capsys.readouterr().err


def one_line(err: str, *fragments: str) -> None:
    """ERR is one line holding every fragment, and no traceback."""
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def documents(graphs: dict[str, set[str]]) -> dict[str, set[str]]:
    """Only the document graphs (the build graph's description carries the push time)."""
    return {g: t for g, t in graphs.items() if g[len(DOC_GRAPHS):] not in SPECIAL}


@pytest.mark.parametrize("failure", ["500", "hangup", "hang"])
@pytest.mark.parametrize("protocol, chunk, nth", [("gsp", None, 2), ("update", None, 3), ("gsp", "40", 2),
                                                  ("update", "40", 3)])
def test_a_failure_mid_push_leaves_each_graph_old_or_new(capsys, server, versions, protocol, chunk, nth, failure):
    v1, v2 = versions
    extra = ["--protocol", protocol, *(["--chunk-size", chunk] if chunk else [])]
    assert push(capsys, server, v1, *extra)[0] == 0
    before, after = server.graphs(), expected(v2)
    assert documents(before) == documents(expected(v1))
    server.fail_write, server.failure = server.writes + nth, failure
    code, err = push(capsys, server, v2, *extra)
    assert code == 1
    reason = {"500": "HTTP 500: Internal Server Error", "hangup": "the connection failed",
              "hang": "the connection failed (timed out)"}[failure]
    one_line(err, reason, "is unchanged", "run kg push again")
    failed = re.search(r"the server's copy of (\S+) is unchanged", err).group(1)
    got = server.graphs()
    assert got.get(failed) == before.get(failed)
    assert not [g for g in got if g.endswith("/staging")]
    for graph, triples in documents(got).items():
        if not graph.endswith("/staging"):
            assert triples in (before.get(graph), after.get(graph)), graph
    server.fail_write = None
    assert push(capsys, server, v2, *extra)[0] == 0
    assert documents(server.graphs()) == documents(after)


def test_an_unreachable_endpoint(capsys, versions):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once the socket is closed
    url = f"http://127.0.0.1:{port}/query"
    capsys.readouterr()
    assert main(["push", "--endpoint", url, "--store", str(versions[0]), "-q"]) == 1
    one_line(capsys.readouterr().err, "the connection failed", "Connection refused")
    assert main(["query", "meetings", "--endpoint", url]) == 1
    one_line(capsys.readouterr().err, f"cannot reach {url}")


def test_a_server_that_hangs_up_at_once(capsys, versions):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()

    def hang_up() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            conn.close()

    threading.Thread(target=hang_up, daemon=True).start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/query"
    try:
        capsys.readouterr()
        assert main(["push", "--endpoint", url, "--store", str(versions[0]), "-q"]) == 1
        one_line(capsys.readouterr().err, "the connection failed")
        assert main(["query", "meetings", "--endpoint", url]) == 1
        one_line(capsys.readouterr().err, url)
    finally:
        stop.set()
        listener.close()


def test_credentials_refused_before_anything_is_written(capsys, server, versions):
    server.credentials = CREDENTIALS
    code, err = push(capsys, server, versions[0])
    assert code == 1
    one_line(err, "refused the credentials (HTTP 401)", "--user/--password")
    code, err = push(capsys, server, versions[0], "--user", CREDENTIALS[0], "--password", "wrong")
    assert code == 1
    one_line(err, "refused the credentials (HTTP 401)")
    assert server.graphs() == {} and server.writes == 0
    assert push(capsys, server, versions[0], "--user", CREDENTIALS[0], "--password", CREDENTIALS[1])[0] == 0
    assert documents(server.graphs()) == documents(expected(versions[0]))
    assert main(["query", "meetings", "--endpoint", server.url]) == 1
    one_line(capsys.readouterr().err, "refused the credentials (HTTP 401)")


def test_a_query_that_gets_no_answer_in_time(capsys, server):
    server.query_hang = 3
    capsys.readouterr()
    assert main(["query", "meetings", "--endpoint", server.url, "--timeout", "0.5"]) == 1
    one_line(capsys.readouterr().err, f"no answer from {server.url} within 0.5 s")


MALFORMED = [
    ("application/sparql-results+json", b"this is not JSON"),
    ("application/sparql-results+json", b'{"head": {"vars": ["meeting"]}, "results": {"bindings": [{"meeting": '),
    ("application/sparql-results+json", b"null"),
    ("application/sparql-results+json", b"[]"),
    ("application/sparql-results+json", b'{"head": {"vars": ["meeting"]}}'),
    pytest.param("application/sparql-results+json", b'{"head": {"vars": "meeting"}, "results": {"bindings": {}}}'),
    ("application/sparql-results+json",
     b'{"head": {"vars": ["meeting"]}, "results": {"bindings": [{"meeting": {"type": "uri", "value": "not an IRI"}}]}}'),
    ("application/sparql-results+json",
     b'{"head": {"vars": ["meeting"]}, "results": {"bindings": [{"meeting": {"type": "gremlin", "value": "x"}}]}}'),
    ("application/sparql-results+json",
     b'{"head": {"vars": ["meeting"]}, "results": {"bindings": [{"meeting": {"type": "literal"}}]}}'),
    pytest.param("application/sparql-results+json", b'{"head": {"vars": ["meeting"]}, "results": {"bindings": ["x"]}}'),
    ("text/html", b"<html><body>Welcome to our portal</body></html>"),
    ("application/sparql-results+json", b""),
    ("application/sparql-results+json", "{\"head\": \ud800}".encode("utf-8", "surrogatepass")),
]


@pytest.mark.parametrize("content_type, body", MALFORMED)
def test_malformed_query_results_are_one_line(capsys, server, content_type, body):
    server.query_answer = (200, content_type, body)
    capsys.readouterr()
    assert main(["query", "meetings", "--endpoint", server.url, "--format", "json"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    one_line(err)
    assert re.search(r"did not answer with SPARQL JSON results|unknown term type in SPARQL JSON results", err), err


def test_malformed_rdf_from_a_construct_is_one_line(capsys, server):
    server.query_answer = (200, "text/turtle", b"<http://a> <http://b> \"unterminated .")
    capsys.readouterr()
    assert main(["sparql", "CONSTRUCT WHERE { ?s ?p ?o }", "--endpoint", server.url]) == 1
    one_line(capsys.readouterr().err, "sent RDF that cannot be read")


def test_a_malformed_graph_listing_stops_the_push_after_whole_graphs(capsys, server, versions):
    server.query_answer = (200, "application/sparql-results+json", b"{\"oops\": true}")
    code, err = push(capsys, server, versions[0])
    assert code == 1
    one_line(err, "listing the server's graphs: the answer is not SPARQL JSON results")
    assert documents(server.graphs()) == documents(expected(versions[0]))


@pytest.mark.parametrize("status, message", [(500, "failed (HTTP 500): Oops"), (503, "answered HTTP 503"),
                                             (404, "no SPARQL endpoint at")])
def test_an_error_status_on_a_query_is_one_line(capsys, server, status, message):
    server.query_answer = (status, "text/html", b"<html><h1>Oops</h1>\n<pre>stack</pre></html>")
    capsys.readouterr()
    assert main(["query", "meetings", "--endpoint", server.url]) == 1
    one_line(capsys.readouterr().err, message)


def test_the_fake_server_answers_like_a_store(capsys, server, versions):
    """The server itself is sound: a push and a canned query through it give the store's rows."""
    assert push(capsys, server, versions[0])[0] == 0
    assert main(["query", "meetings", "--endpoint", server.url, "--format", "json"]) == 0
    remote = json.loads(capsys.readouterr().out)["results"]["bindings"]
    assert main(["query", "meetings", "--store", str(versions[0]), "--format", "json"]) == 0
    local = json.loads(capsys.readouterr().out)["results"]["bindings"]
    assert remote == local and remote
