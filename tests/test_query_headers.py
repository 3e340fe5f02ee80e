"""The canned queries' headers: title, description, parameters and returned variables, and `kg query --list`."""
from __future__ import annotations

import re
import subprocess
import sys

import pyoxigraph as ox
import pytest

from kg.errors import QueryError
from kg.namespaces import PREFIXES
from kg.query import bind_params, list_queries, parse_header

CONTRACT = {
    "joins": "person personName body bodyName date orgName post role doc",
    "leaves": "person personName body bodyName date doc",
    "thanks": "recipient recipientName recipientType post date doc",
    "meetings": "meeting bodyName date endDate place host topic online doc",
    "decisions": "meeting number kind text doc",
    "cooperation": "orgA orgAName orgB orgBName weight",
    "organizations": "org orgName place mentions",
    "people": "person personName post orgName doc",
    "members": "person personName bodyName since orgName",
    "person": "person personName event bodyName orgName post date doc",
}


def test_every_contract_query_exists_and_returns_its_variables():
    queries = {q.name: q for q in list_queries()}
    assert set(CONTRACT) <= set(queries)
    for name, names in CONTRACT.items():
        assert set(names.split()) <= set(queries[name].returns), name


def test_list_shows_titles_and_params():
    p = subprocess.run([sys.executable, "-m", "kg", "query", "--list"], capture_output=True, text=True,
                       timeout=60, check=False)
    assert p.returncode == 0, p.stderr
    for q in list_queries():
        assert re.search(rf"^{q.name}\s+{re.escape(q.title)}$", p.stdout, re.MULTILINE)
        for prm in q.params:
            assert f"--param {prm.name}=" in p.stdout


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_header_returns_exactly_the_selected_variables(query):
    assert query.title and query.description and query.returns
    terms = bind_params(query, {p.name: "2023" if p.kind == "date" else "x" for p in query.params})
    answer = ox.Store().query(query.text, use_default_graph_as_union=True,
                              substitutions={ox.Variable(k): v for k, v in terms.items()})
    assert [v.value for v in answer.variables] == list(query.returns)
    assert all(p.name in query.returns for p in query.params)  # Oxigraph binds only selected variables


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_prefixes_are_the_projects(query):
    declared = dict(re.findall(r"(?im)^PREFIX\s+(\w*):\s*<([^>]*)>", query.text))
    assert declared and all(PREFIXES[k] == v for k, v in declared.items())


@pytest.mark.parametrize("text,message", [
    ("SELECT * WHERE {}", "needs '# title:' and '# returns:'"),
    ("# title: t\nSELECT * WHERE {}", "needs '# title:' and '# returns:'"),
    ("# title: t\n# param: x (weird) — y\n# returns: x\n", "cannot read '# param: x (weird)"),
])
def test_bad_headers_are_reported(text, message):
    with pytest.raises(QueryError, match=re.escape(message)):
        parse_header(text, "q.rq")


def test_header_continuation_lines_and_defaults():
    title, description, params, returns = parse_header(
        "# title: T\n# description: one\n#   two\n# param: d (date) — the day, e.g. 2023 (default today)\n"
        "# param: s — any text\n# returns: a, ?b\nSELECT ?a ?b ?d ?s WHERE {}")
    assert (title, description, returns) == ("T", "one two", ("a", "b"))
    assert [(p.name, p.kind, p.description, p.default) for p in params] == [
        ("d", "date", "the day, e.g. 2023", "today"), ("s", "string", "any text", None)]
