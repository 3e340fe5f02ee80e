"""Result formats of `kg query` / `kg sparql`: the W3C SPARQL 1.1 JSON, XML, CSV and TSV formats, tables, graphs."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import QueryError
from kg.formats import QueryResult, check_iri, term_to_sparql, write_result
from kg.rdf.store import write_store

FIXTURE = Path(__file__).parent / "fixtures" / "graph.trig"
RES = "{http://www.w3.org/2005/sparql-results#}"
XSD = "http://www.w3.org/2001/XMLSchema#"
LABELS = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?s ?label ?n ?missing WHERE {
  VALUES (?s ?n) { (<https://kg.example.org/id/body/rada> 1) (<https://kg.example.org/id/place/dnipro> 2) }
  ?s skos:prefLabel ?label } ORDER BY ?n ?label"""
AWKWARD = ['a "quoted"\tvalue\r\nwith lines', "back\\slash", "«ёлка» ’ 𝄞", ",comma;semicolon", "\x01ctl"]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """A store holding the fixture graph."""
    path = tmp_path_factory.mktemp("kg") / "store"
    with write_store(path, fresh=True) as w:
        w.store.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    return path


def kg(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """Run the `kg` command line in a fresh interpreter; output decoded as UTF-8 with line ends kept."""
    p = subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, timeout=120,
                       input=stdin.encode("utf-8") if stdin is not None else None, check=False)
    p.stdout, p.stderr = p.stdout.decode("utf-8"), p.stderr.decode("utf-8")
    return p


def sparql(store: Path, query: str, fmt: str, stdin: str | None = None) -> str:
    """The output of `kg sparql QUERY --format FMT`."""
    p = kg("sparql", query, "--store", str(store), "--format", fmt, stdin=stdin)
    assert p.returncode == 0, p.stderr
    return p.stdout


def check_w3c_json(doc: dict) -> None:
    """Fail unless DOC has the structure of SPARQL 1.1 Query Results JSON."""
    assert set(doc) == {"head", "results"}
    names = doc["head"]["vars"]
    assert isinstance(names, list) and all(isinstance(v, str) for v in names)
    for binding in doc["results"]["bindings"]:
        assert set(binding) <= set(names)
        for term in binding.values():
            assert term["type"] in ("uri", "literal", "bnode") and isinstance(term["value"], str)
            assert set(term) <= {"type", "value", "xml:lang", "datatype"}
            assert not ("xml:lang" in term and "datatype" in term)
            assert term["type"] == "literal" or set(term) == {"type", "value"}


def test_json_is_the_w3c_format_with_languages_and_datatypes(store):
    doc = json.loads(sparql(store, LABELS, "json"))
    check_w3c_json(doc)
    assert doc["head"]["vars"] == ["s", "label", "n", "missing"]
    rows = doc["results"]["bindings"]
    assert [(r["label"]["value"], r["label"].get("xml:lang")) for r in rows] == [
        ("Рада директорів", "uk"), ("Совет директоров ЦБС Днепра", "ru"), ("Днепр", "ru"), ("Дніпро", "uk")]
    assert rows[0]["s"] == {"type": "uri", "value": "https://kg.example.org/id/body/rada"}
    assert rows[0]["n"] == {"type": "literal", "value": "1", "datatype": XSD + "integer"}
    assert all("missing" not in r for r in rows)


def test_json_of_a_canned_query_is_w3c(store):
    p = kg("query", "meetings", "--store", str(store), "--format", "json")
    doc = json.loads(p.stdout)
    check_w3c_json(doc)
    online = [b["online"] for b in doc["results"]["bindings"] if "online" in b]
    assert online and all(o["datatype"] == XSD + "boolean" for o in online)


def test_xml_is_the_w3c_format(store):
    root = ET.fromstring(sparql(store, LABELS, "xml"))
    assert root.tag == f"{RES}sparql"
    assert [v.get("name") for v in root.iter(f"{RES}variable")] == ["s", "label", "n", "missing"]
    results = list(root.iter(f"{RES}result"))
    assert len(results) == 4
    first = {b.get("name"): b[0] for b in results[0]}
    assert first["s"].tag == f"{RES}uri" and first["s"].text.endswith("/body/rada")
    assert first["label"].get("{http://www.w3.org/XML/1998/namespace}lang") == "uk"
    assert first["n"].get("datatype") == XSD + "integer" and "missing" not in first


def test_csv_is_the_w3c_format(store):
    out = sparql(store, LABELS, "csv")
    assert out.startswith("s,label,n,missing\r\n")
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert rows[1] == ["https://kg.example.org/id/body/rada", "Рада директорів", "1", ""]
    assert len(rows) == 5


def test_tsv_uses_rdf_term_syntax(store):
    lines = sparql(store, LABELS, "tsv").split("\n")
    assert lines[0] == "?s\t?label\t?n\t?missing"
    assert lines[1] == f'<https://kg.example.org/id/body/rada>\t"Рада директорів"@uk\t"1"^^<{XSD}integer>\t'


@pytest.mark.parametrize("value", AWKWARD)
def test_awkward_literals_survive_every_format(value):
    lit = ox.Literal(value)
    result = QueryResult("select", ["x", "y"], [(lit, ox.NamedNode("http://example.org/a?b=c&d"))])
    out = {}
    for fmt in ("json", "xml", "csv", "tsv", "table"):
        buf = io.StringIO()
        write_result(result, fmt, buf)
        out[fmt] = buf.getvalue()
    assert json.loads(out["json"])["results"]["bindings"][0]["x"]["value"] == value
    xml_text = ET.fromstring(out["xml"]).find(f".//{RES}literal").text
    assert xml_text == value.replace("\x01", "\ufffd")  # XML 1.0 cannot hold control characters
    assert list(csv.reader(io.StringIO(out["csv"], newline="")))[1][0] == value
    cell = out["tsv"].split("\n")[1].split("\t")[0]
    parsed = list(ox.parse(f"<http://s> <http://p> {cell} .", format=ox.RdfFormat.N_TRIPLES))
    assert parsed[0].object == lit
    assert len(out["table"].splitlines()) == 4  # header, rule, one row, count: newlines never break a row


@pytest.mark.parametrize("bad", ["http://x/a b", "http://x/>", 'http://x/"', "http://x/{a}", "http://x/`",
                                 "http://x/a|b", "http://x/a^b", "http://x/a\\b", "no-scheme", "http://x/\n"])
def test_iris_that_could_escape_are_refused(bad):
    with pytest.raises(QueryError, match="not a valid absolute IRI"):
        check_iri(bad)


def test_term_to_sparql_writes_ntriples_terms():
    assert term_to_sparql(ox.Literal("2023", datatype=ox.NamedNode(XSD + "gYear"))) == f'"2023"^^<{XSD}gYear>'
    assert term_to_sparql(ox.Literal("Рада", language="uk")) == '"Рада"@uk'
    assert term_to_sparql(ox.Literal('"""\\u0022\n')) == '"\\"\\"\\"\\\\u0022\\n"'
    assert term_to_sparql(ox.NamedNode("https://kg.example.org/id/x")) == "<https://kg.example.org/id/x>"


def test_ask_results(store):
    ask = "ASK { ?s a <http://xmlns.com/foaf/0.1/Person> }"
    assert json.loads(sparql(store, ask, "json")) == {"head": {}, "boolean": True}
    assert ET.fromstring(sparql(store, ask, "xml")).find(f"{RES}boolean").text == "true"
    assert sparql(store, ask, "csv") == "_askResult\r\ntrue\r\n"
    assert sparql(store, ask, "table") == "true\n"


def test_construct_results_as_turtle_and_ntriples(store):
    query = ("PREFIX foaf: <http://xmlns.com/foaf/0.1/> "
             "CONSTRUCT { ?p foaf:name ?n } WHERE { ?p a foaf:Person ; foaf:name ?n }")
    for fmt, rdf_format in (("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES),
                            ("table", ox.RdfFormat.TURTLE), ("xml", ox.RdfFormat.RDF_XML)):
        triples = {(q.subject, q.object) for q in ox.parse(sparql(store, query, fmt), format=rdf_format)}
        assert len(triples) == 6
    p = kg("sparql", query, "--store", str(store), "--format", "csv")
    assert p.returncode == 1 and "cannot be written as csv" in p.stderr


def test_select_refuses_graph_formats(store):
    p = kg("sparql", LABELS, "--store", str(store), "--format", "ttl")
    assert p.returncode == 1 and "ttl is for CONSTRUCT and DESCRIBE results" in p.stderr


def test_sparql_from_a_file_and_from_stdin(store, tmp_path):
    f = tmp_path / "labels.rq"
    f.write_text(LABELS, encoding="utf-8")
    assert sparql(store, str(f), "csv") == sparql(store, "-", "csv", stdin=LABELS) == sparql(store, LABELS, "csv")


def test_long_one_line_query_is_text_not_a_file_name(store):
    query = "SELECT ?n WHERE { " + " ".join(f"BIND({i} AS ?v{i})" for i in range(60)) + " BIND(1 AS ?n) }"
    assert sparql(store, query, "csv") == "n\r\n1\r\n"


def test_sparql_binds_parameters(store):
    query = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }"
    p = kg("sparql", query, "--store", str(store), "--format", "csv",
           "--param", "s=https://kg.example.org/id/place/kemerovo")
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines()[1:] == ["https://kg.example.org/id/place/kemerovo,Кемерово"]


def test_table_cuts_wide_values(store):
    out = sparql(store, "SELECT ?t WHERE { ?i <http://www.w3.org/ns/prov#value> ?t } ORDER BY ?t", "table")
    lines = out.splitlines()
    assert lines[-1] == "(10 rows)"
    assert max(len(x) for x in lines) <= 60 and any(x.endswith("…") for x in lines)
