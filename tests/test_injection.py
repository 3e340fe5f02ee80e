"""Injection: parameters are bound as RDF terms, never pasted into query text, and text in the graph stays data.

The graph is the hand-written fixture (tests/fixtures/graph.trig) with every name, label and text suffixed by
a hostile string (quotes, braces, '#', line breaks, UNION, triple quotes). Every canned query must return on
it exactly the rows it returns on the plain fixture, with the same suffixes; a hostile `--param` value must
select exactly the rows whose data contain it; a query without parameters refuses any; and a resolution whose
decisions hold SPARQL text builds and reads back byte for byte through `kg query decisions`.
"""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zlib
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.query import bind_params, list_queries, load_query, prepared_text, run_query, run_sparql
from kg.rdf.store import write_store

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "bad"))
import make_bad_fixtures as fx

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "graph.trig"
HOSTILE = [
    'x" } UNION { ?s ?p ?o } #',
    "x' } UNION { ?s ?p ?o } #",
    '""") } UNION { ?s ?p ?o',
    "'''",
    "}\n?s ?p ?o .\n{",
    "# } UNION { ?s ?p ?o",
    '\\" UNION \\"',
    "\\u0022 } UNION { ?s ?p ?o } #",
    "> } UNION { ?s ?p ?o",
    "} ; DROP ALL ; SELECT * {",
    "\r\n\t}",
]
SKOS, FOAF = "http://www.w3.org/2004/02/skos/core#", "http://xmlns.com/foaf/0.1/"
# Literals that people read: names, labels, texts, file names (not codes, numbers, dates or languages).
TEXT_PREDICATES = {f"{SKOS}prefLabel", f"{SKOS}altLabel", f"{FOAF}name", "http://www.w3.org/ns/prov#value",
                   "http://purl.org/dc/terms/subject", "http://purl.org/dc/terms/title",
                   "https://kg.example.org/ns#endReason", "https://kg.example.org/ns#quote",
                   "https://kg.example.org/ns#fileName"}
PARAMS = {"members": {"body": "совет", "date": "2023-06-01"}, "person": {"name": "головин"}}
QUERIES = [q.name for q in list_queries()]
PARAMETERISED = [(q.name, p.name) for q in list_queries() for p in q.params if p.kind != "date"]
UNPARAMETERISED = [q.name for q in list_queries() if not q.params]


def hostile(value: str) -> str:
    """VALUE with a hostile suffix picked by its content (the same value always gets the same suffix)."""
    return f"{value} {HOSTILE[zlib.crc32(value.encode()) % len(HOSTILE)]}"


def suffixed(quad: ox.Quad) -> ox.Quad:
    """QUAD with its object suffixed when it is a text literal."""
    o = quad.object
    if quad.predicate.value not in TEXT_PREDICATES or not isinstance(o, ox.Literal):
        return quad
    lit = ox.Literal(hostile(o.value), language=o.language) if o.language else \
        ox.Literal(hostile(o.value), datatype=o.datatype)
    return ox.Quad(quad.subject, quad.predicate, lit, quad.graph_name)


@pytest.fixture(scope="module")
def stores(tmp_path_factory) -> tuple[Path, Path, set[str]]:
    """The plain fixture store, the hostile one, and the text values that were suffixed."""
    source = ox.Store()
    source.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    quads = list(source)
    texts = {q.object.value for q in quads if suffixed(q) is not q}
    out = []
    for name, qs in (("plain", quads), ("hostile", [suffixed(q) for q in quads])):
        path = tmp_path_factory.mktemp(name) / "kg"
        with write_store(path, fresh=True) as w:
            w.store.extend(qs)
        out.append(path)
    return out[0], out[1], texts


def params_for(name: str) -> dict[str, str]:
    """Parameters that make query NAME return rows."""
    return {p.name: PARAMS[name][p.name] for p in load_query(name).params}


def row_set(result) -> list[tuple]:
    """Rows as sorted tuples of (variable, value)."""
    return sorted(tuple(sorted(r.items())) for r in result.dicts())


@pytest.mark.parametrize("name", QUERIES)
def test_text_in_the_graph_comes_back_as_data(stores, name):
    plain, evil, texts = stores
    params = params_for(name)
    before = run_query(name, params, store_path=plain).dicts()
    after = row_set(run_query(name, params, store_path=evil))
    assert before, f"{name} returns nothing on the fixture"
    expected = sorted(tuple(sorted((k, hostile(v) if v in texts else v) for k, v in r.items())) for r in before)
    assert after == expected


@pytest.mark.parametrize("name", QUERIES)
def test_every_output_format_keeps_the_hostile_text_whole(stores, name, capsys):
    _, evil, _ = stores
    params = params_for(name)
    rows = run_query(name, params, store_path=evil)
    args = ["query", name, "--store", str(evil), *[f"--param={k}={v}" for k, v in params.items()]]
    assert main([*args, "--format", "json"]) == 0
    bindings = json.loads(capsys.readouterr().out)["results"]["bindings"]
    assert [{k: v["value"] for k, v in b.items()} for b in bindings] == rows.dicts()
    assert main([*args, "--format", "csv"]) == 0
    table = list(csv.reader(io.StringIO(capsys.readouterr().out, newline="")))
    assert table[0] == rows.vars
    assert table[1:] == [[r.get(v, "") for v in rows.vars] for r in rows.dicts()]
    assert main([*args, "--format", "tsv"]) == 0
    lines = capsys.readouterr().out.split("\n")
    assert len(lines) == len(rows.rows) + 2 and lines[-1] == ""  # a line break in a value is escaped
    assert all(line.count("\t") == len(rows.vars) - 1 for line in lines[:-1])


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("name, param", PARAMETERISED)
def test_a_hostile_parameter_selects_exactly_the_rows_whose_data_hold_it(stores, name, param, value):
    _, evil, _ = stores
    params = {**params_for(name), param: value}
    everyone = run_query(name, {**params, param: ""}, store_path=evil).dicts()  # "" is part of every label
    got = run_query(name, params, store_path=evil).dicts()
    holders, labels = _holders(evil, value)
    fits = {"members": lambda r: r["bodyName"] in labels, "person": lambda r: r["person"] in holders}[name]
    assert [r[param] for r in got] == [value] * len(got)  # the value comes back whole, as one literal
    assert _without(got, param) == _without([r for r in everyone if fits(r)], param)
    query = load_query(name)  # the VALUES form sent to endpoints binds the same way
    assert run_sparql(prepared_text(query, bind_params(query, params), evil), store_path=evil).dicts() == got


def _without(rows: list[dict], param: str) -> list[tuple]:
    """ROWS without the variable that echoes the parameter, as sorted tuples."""
    return sorted(tuple(sorted((k, v) for k, v in r.items() if k != param)) for r in rows)


def _holders(store: Path, value: str) -> tuple[set[str], set[str]]:
    """Subjects with a name or label that contains VALUE ignoring case, and their preferred labels (read
    without SPARQL)."""
    from kg.rdf.store import open_store

    names = (f"{SKOS}prefLabel", f"{SKOS}altLabel", f"{FOAF}name")
    quads = [q for q in open_store(store) if q.predicate.value in names]
    holders = {q.subject.value for q in quads if value.lower() in q.object.value.lower()}
    labels = {q.object.value for q in quads if q.subject.value in holders and q.predicate.value == names[0]}
    return holders, labels


@pytest.mark.parametrize("name", UNPARAMETERISED)
def test_a_query_without_parameters_refuses_any(stores, name, capsys):
    _, evil, _ = stores
    code = main(["query", name, "--store", str(evil), f"--param=name={HOSTILE[0]}"])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith(f"kg query: error: query {name} has no parameter 'name'; known: none")


@pytest.mark.parametrize("value", [HOSTILE[4], HOSTILE[9]])  # a line break; a statement separator
def test_hostile_values_through_the_command_line(stores, value):
    _, evil, _ = stores
    for name, param in PARAMETERISED:
        args = [f"--param={k}={v}" for k, v in {**params_for(name), param: value}.items()]
        p = subprocess.run([sys.executable, "-m", "kg", "query", name, "--store", str(evil), "--format", "json",
                            *args], capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)
        assert p.returncode == 0, p.stderr
        got = [{k: v["value"] for k, v in b.items()} for b in json.loads(p.stdout)["results"]["bindings"]]
        assert got == run_query(name, {**params_for(name), param: value}, store_path=evil).dicts()


def test_sparql_text_in_a_document_builds_and_reads_back_exactly(tmp_path):
    doc = tmp_path / "hostile_decisions.txt"
    doc.write_bytes((fx.OUT / doc.name).read_bytes())
    store = tmp_path / "kg"
    run = dict(capture_output=True, text=True, cwd=ROOT, timeout=300, check=False)
    built = subprocess.run([sys.executable, "-m", "kg", "build", str(doc), "--store", str(store), "-q"], **run)
    assert built.returncode == 0, built.stderr
    p = subprocess.run([sys.executable, "-m", "kg", "query", "decisions", "--store", str(store), "--format", "json"],
                       **run)
    assert p.returncode == 0, p.stderr
    texts = [b["text"]["value"] for b in json.loads(p.stdout)["results"]["bindings"]]
    assert texts == list(fx.HOSTILE_DECISIONS)
    p = subprocess.run([sys.executable, "-m", "kg", "query", "decisions", "--store", str(store), "--format", "csv"],
                       **run)
    table = list(csv.DictReader(io.StringIO(p.stdout, newline="")))
    assert [r["text"] for r in table] == list(fx.HOSTILE_DECISIONS)
