"""kg push against live servers (Virtuoso 7 and Oxigraph): canned queries answer as on the store, text
round-trips byte-exactly, a re-push replaces changed graphs and drops removed ones, and a connection
cut in the middle of a push leaves the server's previous graph intact."""
from __future__ import annotations

import json
import re
import socket
import struct
import sys
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.export import load_dataset
from kg.push.targets import known_endpoints
from kg.query import list_queries, load_query, run_sparql

sys.path.insert(0, str(Path(__file__).parent))
import servers

BASE = "https://kg.example.org/id/"
PARAM_SOURCES = {"body": ("joins", "body"), "name": ("people", "person")}  # param -> (query, column) to take it from
QUERIES = [q.name for q in list_queries()]


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def server(request) -> servers.Server:
    """A live server of each kind."""
    return servers.oxigraph() if request.param == "oxigraph" else servers.virtuoso()


@pytest.fixture(scope="module")
def v1() -> Path:
    """The seed store."""
    return servers.seed_store("v1")


@pytest.fixture(scope="module")
def v2() -> Path:
    """The seed store with one document changed and one removed."""
    return servers.seed_store("v2")


def push(server: servers.Server, store: Path, *extra: str, endpoint: str | None = None) -> int:
    """Run `kg push` of STORE to SERVER (or to ENDPOINT, e.g. a proxy in front of it)."""
    args = ["push", "--endpoint", endpoint or server.query_url, "--store", str(store), "-q", *extra]
    if server.user:
        args += ["--user", server.user, "--password", server.password]
    return main(args)


def server_graphs(server: servers.Server) -> dict[str, set[ox.Triple]]:
    """Every graph under the base on the server, with its triples."""
    result = run_sparql("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), STR(?prefix))) }",
                        {"prefix": BASE + "graph/"}, endpoint=server.query_url)
    graphs: dict[str, set[ox.Triple]] = {}
    for g, s, p, o, *_ in result.rows:
        graphs.setdefault(g.value, set()).add(ox.Triple(s, p, o))
    return graphs


def store_graphs(store: Path) -> dict[str, set[ox.Triple]]:
    """Every graph kg push sends for STORE (the store's plus the description), with its triples."""
    graphs: dict[str, set[ox.Triple]] = {}
    for q in load_dataset(store).all_quads:
        graphs.setdefault(q.graph_name.value, set()).add(ox.Triple(q.subject, q.predicate, q.object))
    return graphs


def query_json(capsys, name: str, params: dict[str, str], where: list[str]) -> dict:
    """`kg query NAME --format json` on WHERE (--store … or --endpoint …), parsed."""
    args = ["query", name, "--format", "json", *where]
    for k, v in params.items():
        args += ["--param", f"{k}={v}"]
    capsys.readouterr()
    code = main(args)
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def order_keys(text: str) -> list[str]:
    """The leading plain variables of the query's ORDER BY (DESC(?v) counts), where the order is certain."""
    m = re.search(r"(?is)\bORDER\s+BY\s+(.*?)(?:\bLIMIT\b|\bOFFSET\b|$)", text)
    keys = []
    for token in (m.group(1).split() if m else []):
        v = re.fullmatch(r"(?:(?:ASC|DESC)\()?\?(\w+)\)?", token)
        if not v:
            break
        keys.append(v.group(1))
    return keys


@pytest.fixture(scope="module")
def pushed(server, v1) -> servers.Server:
    """SERVER holding the seed store."""
    assert push(server, v1) == 0
    return server


@pytest.mark.parametrize("name", QUERIES)
def test_every_canned_query_answers_on_the_server_as_on_the_store(name, pushed, v1, capsys):
    query = load_query(name)
    params = {}
    for p in query.params:
        if p.default is None:
            source, column = PARAM_SOURCES[p.name]
            rows = query_json(capsys, source, {}, ["--store", str(v1)])["results"]["bindings"]
            params[p.name] = rows[0][column]["value"]
    local = query_json(capsys, name, params, ["--store", str(v1)])
    remote = query_json(capsys, name, params, ["--endpoint", pushed.query_url])
    assert remote["head"]["vars"] == local["head"]["vars"]
    want, got = local["results"]["bindings"], remote["results"]["bindings"]
    assert sorted(json.dumps(b, sort_keys=True, ensure_ascii=False) for b in got) == \
        sorted(json.dumps(b, sort_keys=True, ensure_ascii=False) for b in want)
    keys = order_keys(query.text)
    assert [[b.get(k) for k in keys] for b in got] == [[b.get(k) for k in keys] for b in want]


@pytest.mark.parametrize("name, params", [
    ("person", {"name": "ЧЕРН"}),
    ("person", {"name": "головина"}),
    ("members", {"body": "клуб", "date": "2022-12-31"}),
    ("members", {"body": "СОВЕТ ДИРЕКТОРОВ", "date": "2023"}),
])
def test_string_parameters_answer_on_the_server_as_on_the_store(name, params, pushed, v1, capsys):
    local = query_json(capsys, name, params, ["--store", str(v1)])
    remote = query_json(capsys, name, params, ["--endpoint", pushed.query_url])
    want, got = local["results"]["bindings"], remote["results"]["bindings"]
    assert want, "the parameter should match something in the seed graph"
    assert sorted(json.dumps(b, sort_keys=True, ensure_ascii=False) for b in got) == \
        sorted(json.dumps(b, sort_keys=True, ensure_ascii=False) for b in want)


def test_cyrillic_and_both_apostrophes_round_trip_byte_exactly(pushed, v1):
    got, want = server_graphs(pushed), store_graphs(v1)
    assert got == want
    texts = {t.object.value for triples in got.values() for t in triples if isinstance(t.object, ox.Literal)}
    assert any("інтер’єру" in t for t in texts) and any("інтерʼєру" in t for t in texts)
    result = run_sparql("SELECT ?text WHERE { ?item <http://www.w3.org/ns/prov#value> ?text "
                        "FILTER(CONTAINS(?text, ?mark)) }", {"mark": "ʼ"},
                        endpoint=pushed.query_url)
    assert result.rows and all("ʼ".encode() in r[0].value.encode("utf-8") for r in result.rows)


@pytest.mark.parametrize("protocol, chunk", [("gsp", None), ("update", None), ("gsp", "40"), ("update", "40")])
def test_repush_replaces_changed_graphs_and_drops_removed_ones(server, v1, v2, protocol, chunk):
    extra = ["--protocol", protocol] + (["--chunk-size", chunk] if chunk else [])
    assert push(server, v1, *extra) == 0
    assert server_graphs(server) == store_graphs(v1)
    assert push(server, v2, *extra) == 0
    got, want = server_graphs(server), store_graphs(v2)
    assert sorted(got) == sorted(want)  # the removed document's graph and any staging graph are gone
    for graph in want:
        assert got[graph] == want[graph], graph
    total = run_sparql("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), STR(?prefix))) }",
                       {"prefix": BASE}, endpoint=server.query_url)
    assert int(total.rows[0][0].value) == sum(len(t) for t in want.values())


class CuttingProxy:
    """A TCP proxy on loopback that relays requests to a server, but cuts any request mentioning MARKER
    after half of its body, closing both connections (as a network failure would)."""

    def __init__(self, target_port: int, marker: bytes):
        self.target_port, self.marker = target_port, marker
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.cuts = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(client,), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def _handle(self, client: socket.socket) -> None:
        upstream = socket.create_connection(("127.0.0.1", self.target_port))
        buf = b""
        while b"\r\n\r\n" not in buf:
            data = client.recv(65536)
            if not data:
                break
            buf += data
        head, _, body = buf.partition(b"\r\n\r\n")
        m = re.search(rb"(?i)content-length:\s*(\d+)", head)
        length = int(m.group(1)) if m else 0
        while len(body) < min(length, 400):
            data = client.recv(65536)
            if not data:
                break
            body += data
        if self.marker in head or self.marker in body[:400]:
            self.cuts += 1
            upstream.sendall(head + b"\r\n\r\n" + body[: max(1, length // 2)])
            for s in (upstream, client):
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                s.close()
            return
        upstream.sendall(head + b"\r\n\r\n" + body)
        threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()
        self._pipe(upstream, client)

    def close(self) -> None:
        """Stop accepting connections."""
        self.sock.close()


@pytest.mark.parametrize("protocol, chunk", [("gsp", None), ("update", None), ("gsp", "20"), ("update", "20")])
def test_a_connection_cut_mid_push_leaves_the_previous_graph_intact(server, v1, v2, protocol, chunk, capsys):
    extra = ["--protocol", protocol] + (["--chunk-size", chunk] if chunk else [])
    assert push(server, v1, *extra) == 0
    before, after = store_graphs(v1), store_graphs(v2)
    changed = next(g for g in sorted(after) if g in before and after[g] != before[g]
                   and not g.endswith(("/authority", "/derived", "/build")))
    port = int(server.origin.rsplit(":", 1)[1])
    proxy = CuttingProxy(port, changed.rsplit("/", 1)[1].encode())
    try:
        capsys.readouterr()
        code = push(server, v2, *extra, endpoint=server.query_url.replace(f":{port}/", f":{proxy.port}/"))
        err = capsys.readouterr().err
    finally:
        proxy.close()
    assert code == 1 and proxy.cuts >= 1
    assert f"the server's copy of {changed} is unchanged" in err and "Traceback" not in err
    got = server_graphs(server)
    assert got[changed] == before[changed]
    for graph, triples in got.items():
        if not graph.endswith("/staging"):
            assert triples in (before.get(graph), after.get(graph)), graph
    assert push(server, v2, *extra) == 0
    assert server_graphs(server) == after


def test_credentials_come_from_the_environment_and_a_wrong_password_is_a_clear_error(v1, monkeypatch, capsys):
    server = servers.virtuoso()
    monkeypatch.setenv("KG_ENDPOINT_USER", server.user)
    monkeypatch.setenv("KG_ENDPOINT_PASSWORD", server.password)
    assert main(["push", "--endpoint", server.query_url, "--store", str(v1), "-q"]) == 0
    monkeypatch.setenv("KG_ENDPOINT_PASSWORD", "wrong")
    capsys.readouterr()
    assert main(["push", "--endpoint", server.query_url, "--store", str(v1), "-q"]) == 1
    err = capsys.readouterr().err
    assert "refused the credentials" in err and "Traceback" not in err


def test_oxigraph_needs_a_union_default_graph_for_the_canned_queries(v1, capsys):
    plain = servers.start_oxigraph(union=False)
    try:
        assert main(["push", "--endpoint", plain.query_url, "--store", str(v1), "-q"]) == 0
        assert query_json(capsys, "people", {}, ["--endpoint", plain.query_url])["results"]["bindings"] == []
        assert query_json(capsys, "people", {}, ["--store", str(v1)])["results"]["bindings"]
    finally:
        servers.stop(plain)


@pytest.mark.parametrize("kind, endpoint, credentials, update, gsp", [
    ("virtuoso", "http://h:8890/sparql", True, "http://h:8890/sparql-auth", "http://h:8890/sparql-graph-crud-auth"),
    ("virtuoso", "http://h:8890/sparql", False, "http://h:8890/sparql", "http://h:8890/sparql-graph-crud"),
    ("oxigraph", "http://h:7878/query", False, "http://h:7878/update", "http://h:7878/store"),
    ("fuseki", "http://h:3030/ds/sparql", True, "http://h:3030/ds/update", "http://h:3030/ds/data"),
    ("fuseki", "http://h:3030/ds/query", False, "http://h:3030/ds/update", "http://h:3030/ds/data"),
    ("other", "http://h/endpoint", True, "http://h/endpoint", None),
])
def test_write_endpoints_of_known_servers(kind, endpoint, credentials, update, gsp):
    assert known_endpoints(kind, endpoint, credentials) == (update, gsp)


@pytest.mark.parametrize("args, message", [
    (["--endpoint", "ftp://example.org/sparql"], "not an http(s) endpoint"),
    (["--endpoint", "http://127.0.0.1:9/sparql"], "connection failed"),
])
def test_push_errors_are_one_line(args, message, v1, capsys):
    assert main(["push", *args, "--store", str(v1), "-q", "--timeout", "5"]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
