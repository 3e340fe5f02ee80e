"""kg serve: the SPARQL 1.1 Protocol (SPARQLWrapper and curl as clients), content negotiation, entity
IRIs as HTML (escaped) and RDF, refused updates, stopped long queries and a configurable IRI base."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from SPARQLWrapper import CSV, JSON, POST, TSV, TURTLE, XML, SPARQLWrapper

from kg.cli import main
from kg.namespaces import FOAF, LKG, RDF
from kg.query import run_query, run_sparql
from kg.rdf.store import write_store

sys.path.insert(0, str(Path(__file__).parent))
import servers

EVIL_BASE = "http://publisher.example/kg/"
EVIL = '<script>alert("x")</script> & ’ʼ'


class Served:
    """A `kg serve` subprocess and its address."""

    def __init__(self, store: Path, *extra: str):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", "0", "-q", *extra],
            stderr=subprocess.PIPE, text=True)
        line = self.proc.stderr.readline()
        m = re.search(r"(http://\S+)/sparql", line)
        assert m, line + self.proc.stderr.read()
        self.url = m.group(1)
        self.endpoint = self.url + "/sparql"
        threading.Thread(target=self.proc.stderr.read, daemon=True).start()

    def get(self, path: str, accept: str | None = None, method: str = "GET", data: bytes | None = None,
            content_type: str | None = None) -> tuple[int, str, bytes]:
        """Status, content type and body of one request."""
        headers = {k: v for k, v in (("Accept", accept), ("Content-Type", content_type)) if v}
        req = urllib.request.Request(self.url + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, r.headers.get("Content-Type", ""), r.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers.get("Content-Type", ""), exc.read()

    def stop(self) -> None:
        servers.stop_process(self.proc, 10)


@pytest.fixture(scope="module")
def store() -> Path:
    """The seed store."""
    return servers.seed_store("v1")


@pytest.fixture(scope="module")
def served(store):
    """kg serve over the seed store, with a short query time limit."""
    s = Served(store, "--timeout", "3")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def evil(tmp_path_factory):
    """kg serve over a small store built with another base, whose text is made to break HTML."""
    path = tmp_path_factory.mktemp("evil") / "store"
    g = ox.NamedNode(EVIL_BASE + "graph/x1")
    person, res = ox.NamedNode(EVIL_BASE + "person/p1"), ox.NamedNode(EVIL_BASE + "resolution/x1")
    fact = ox.NamedNode(EVIL_BASE + "affiliation/a1")
    with write_store(path, fresh=True) as w:
        w.store.extend([
            ox.Quad(person, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(FOAF.Person)), g),
            ox.Quad(person, ox.NamedNode(str(FOAF.name)), ox.Literal(EVIL, language="uk"), g),
            ox.Quad(res, ox.NamedNode(str(LKG.fileName)), ox.Literal("<b>x1</b>.txt"), g),
            ox.Quad(fact, ox.NamedNode("http://www.w3.org/ns/org#member"), person, g),
            ox.Quad(fact, ox.NamedNode(str(LKG.quote)), ox.Literal('</blockquote><img src=x onerror="alert(1)">'), g),
        ])
        w.manifest["base"] = EVIL_BASE
    s = Served(path)
    yield s
    s.stop()


def sw(endpoint: str, query: str, fmt: str, method: str | None = None) -> SPARQLWrapper:
    """A SPARQLWrapper for QUERY asking for FMT."""
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    if method:
        client.setMethod(method)
    return client


COUNT = "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type ORDER BY ?type"


@pytest.mark.parametrize("method", [None, POST])
def test_sparqlwrapper_select_json_matches_the_store(served, store, method):
    got = sw(served.endpoint, COUNT, JSON, method).query().convert()
    want = run_sparql(COUNT, store_path=store)
    assert [(b["type"]["value"], b["n"]["value"]) for b in got["results"]["bindings"]] == \
        [(r[0].value, r[1].value) for r in want.rows]


@pytest.mark.parametrize("fmt, check", [
    (XML, lambda body: body.getElementsByTagName("result")),
    (CSV, lambda body: list(csv.reader(io.StringIO(body.decode("utf-8"))))[1:]),
    (TSV, lambda body: body.decode("utf-8").splitlines()[1:]),
])
def test_sparqlwrapper_gets_xml_csv_and_tsv(served, store, fmt, check):
    rows = check(sw(served.endpoint, COUNT, fmt).query().convert())
    assert len(rows) == len(run_sparql(COUNT, store_path=store).rows) > 0


def test_ask_and_construct(served, store):
    assert sw(served.endpoint, "ASK { ?s a <http://xmlns.com/foaf/0.1/Person> }", JSON).query().convert()["boolean"]
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s a <http://xmlns.com/foaf/0.1/Person> ; ?p ?o }"
    g = sw(served.endpoint, construct, TURTLE).query().convert()
    g = g if isinstance(g, Graph) else Graph().parse(data=g, format="turtle")
    assert len(g) == len(run_sparql(construct, store_path=store).triples) > 0


def test_every_canned_query_over_the_protocol(served, store):
    for name in ("meetings", "people", "organizations", "decisions"):
        local = run_query(name, {}, store)
        remote = run_query(name, {}, endpoint=served.endpoint)
        assert remote.vars == local.vars and sorted(map(str, remote.rows)) == sorted(map(str, local.rows)), name


@pytest.mark.parametrize("accept, media", [
    (None, "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
    ("application/json", "application/json"),
])
def test_result_formats_by_content_negotiation(served, accept, media):
    status, ctype, _ = served.get("/sparql?" + urllib.parse.urlencode({"query": COUNT}), accept)
    assert status == 200 and ctype.split(";")[0] == media


def curl(*args: str) -> subprocess.CompletedProcess:
    """Run curl (skip, or fail under CI, when it is missing)."""
    if not shutil.which("curl"):
        servers.need("curl", "the Debian package curl")
    return subprocess.run(["curl", "-sS", "-w", "\n%{http_code}", *args], capture_output=True, text=True, timeout=60,
                          check=False)


def test_curl_get_and_post(served, store):
    want = {r[0].value: r[1].value for r in run_sparql(COUNT, store_path=store).rows}
    for args in (["-G", "--data-urlencode", f"query={COUNT}"], ["--data-urlencode", f"query={COUNT}"],
                 ["-H", "Content-Type: application/sparql-query", "--data-binary", COUNT]):
        done = curl("-H", "Accept: text/csv", *args, served.endpoint)
        body, _, code = done.stdout.rpartition("\n")
        assert code == "200", done.stdout + done.stderr
        rows = list(csv.reader(io.StringIO(body)))
        assert dict(rows[1:]) == want


@pytest.mark.parametrize("args", [
    ["--data-urlencode", "update=INSERT DATA { <urn:a> <urn:b> <urn:c> }"],
    ["-H", "Content-Type: application/sparql-update", "--data-binary", "DROP ALL"],
    ["--data-urlencode", "query=PREFIX x: <urn:x#> # comment\n DELETE WHERE { ?s ?p ?o }"],
    ["-G", "--data-urlencode", "query=CLEAR DEFAULT"],
])
def test_updates_are_refused(served, store, args):
    done = curl(*args, served.endpoint)
    body, _, code = done.stdout.rpartition("\n")
    assert code == "403" and "read-only" in body
    assert run_sparql("ASK { <urn:a> ?p ?o }", store_path=store).boolean is False


def test_writes_by_other_methods_are_refused(served):
    assert served.get("/sparql", method="PUT", data=b"<a> <b> <c> .", content_type="text/turtle")[0] == 405
    assert served.get("/id/person/x", method="DELETE")[0] == 405


def test_kg_push_to_the_server_is_refused_clearly(served, store, capsys):
    assert main(["push", "--endpoint", served.endpoint, "--store", str(store), "-q"]) == 1
    err = capsys.readouterr().err
    assert "HTTP 403" in err and "read-only" in err


def test_bad_queries_and_unknown_iris(served):
    status, _, body = served.get("/sparql?" + urllib.parse.urlencode({"query": "SELECT WHERE {"}))
    assert status == 400 and b"not valid SPARQL" in body
    assert served.get("/sparql")[0] == 400
    assert served.get("/id/person/nobody", "text/turtle")[0] == 404
    assert served.get("/elsewhere")[0] == 404


def test_a_query_running_too_long_is_stopped_and_the_server_goes_on(served):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    status, _, body = served.get("/sparql?" + urllib.parse.urlencode({"query": slow}))
    assert status == 503 and b"stopped after 3 s" in body
    status, _, body = served.get("/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}))
    assert status == 200 and json.loads(body)["boolean"] is True


def first_person(store: Path) -> str:
    """A person of the store, with a post (so that the page has links and quotes)."""
    return run_query("people", {}, store).dicts()[0]["person"]


@pytest.mark.parametrize("accept, media", [
    (None, "text/turtle"),
    ("*/*", "text/turtle"),
    ("text/turtle", "text/turtle"),
    ("application/ld+json", "application/ld+json"),
    ("application/n-triples", "application/n-triples"),
    ("application/rdf+xml", "application/rdf+xml"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
])
def test_entity_iris_dereference_by_content_negotiation(served, store, accept, media):
    iri = first_person(store)
    status, ctype, body = served.get(urllib.parse.urlsplit(iri).path, accept)
    assert status == 200 and ctype.split(";")[0] == media
    if media == "text/html":
        return
    g = Graph().parse(data=body.decode("utf-8"), format={"text/turtle": "turtle", "application/ld+json": "json-ld",
                      "application/n-triples": "nt", "application/rdf+xml": "xml"}[media])
    want = run_sparql("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {"s": iri}, store_path=store).triples
    assert len({(t.predicate.value, str(t.object)) for t in want}) == len(list(g.predicate_objects(
        URIRef(iri)))) > 0


class Text(HTMLParser):
    """The text and the tags of an HTML page."""

    def __init__(self):
        super().__init__()
        self.text, self.tags, self.hrefs = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.hrefs += [v for k, v in attrs if k == "href"]

    def handle_data(self, data):
        self.text.append(data)


def test_html_page_shows_label_type_statements_and_quotes(served, store):
    iri = first_person(store)
    status, _, body = served.get(urllib.parse.urlsplit(iri).path, "text/html")
    page = Text()
    page.feed(body.decode("utf-8"))
    text = " ".join(page.text)
    name = run_query("people", {}, store).dicts()[0]["personName"]
    assert status == 200 and name in text and "foaf:Person" in text and "org:member" in text
    assert "Sources" in text and ".txt" in text
    assert any(h.startswith("/id/") for h in page.hrefs)


def test_html_escapes_everything_and_the_base_comes_from_the_store(evil):
    status, _, body = evil.get("/kg/person/p1", "text/html")
    html = body.decode("utf-8")
    page = Text()
    page.feed(html)
    assert status == 200
    assert "script" not in page.tags and "img" not in page.tags
    assert EVIL in " ".join(page.text) and '</blockquote><img src=x onerror="alert(1)">' in " ".join(page.text)
    assert "<b>x1</b>.txt" in " ".join(page.text)
    status, _, body = evil.get("/kg/person/p1", "text/turtle")
    names = {str(o) for o in Graph().parse(data=body.decode("utf-8"), format="turtle").objects(
        URIRef(EVIL_BASE + "person/p1"), URIRef(str(FOAF.name)))}
    assert status == 200 and names == {EVIL}


def test_the_dataset_description_is_served(served):
    status, _, body = served.get("/id/dataset", "text/turtle")
    g = Graph().parse(data=body.decode("utf-8"), format="turtle")
    void = "http://rdfs.org/ns/void#"
    assert status == 200
    assert any(str(o) == served.endpoint for o in g.objects(
        None, URIRef(void + "sparqlEndpoint")))
    status, ctype, body = served.get("/", "text/html")
    assert status == 200 and ctype.startswith("text/html") and b"/sparql" in body
