"""Membership history across documents: removals end earlier memberships; `members` answers on a date."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "tests" / "data" / "history"


def kg(*args):
    """Run kg in a subprocess and return the completed process."""
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=ROOT)


def rows(store, *args):
    """JSON rows of a query as plain dicts of strings."""
    p = kg(*args, "--store", str(store), "--format", "json")
    assert p.returncode == 0, p.stderr
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(p.stdout)["results"]["bindings"]]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = tmp_path_factory.mktemp("history") / "kg"
    p = kg("build", str(DOCS), "--store", str(s), "-q")
    assert p.returncode == 0, p.stderr
    return s


def test_one_membership_with_both_dates(store):
    q = """PREFIX org: <http://www.w3.org/ns/org#> PREFIX dcat: <http://www.w3.org/ns/dcat#>
    PREFIX foaf: <http://xmlns.com/foaf/0.1/> PREFIX lkg: <https://kg.example.org/ns#>
    SELECT DISTINCT ?m ?start ?end WHERE { ?m org:member ?p ; lkg:establishedBy ?i ; org:memberDuring ?d .
      ?p foaf:name "Сидорова Анна Ивановна" . ?d dcat:startDate ?start . OPTIONAL { ?d dcat:endDate ?end } }
    ORDER BY ?start"""
    got = rows(store, "sparql", q)
    assert [(r["start"], r.get("end")) for r in got] == [("2019-03-14", "2021-04-20"), ("2023", None)]


def test_leaves_once_with_reason(store):
    got = rows(store, "query", "leaves")
    assert len(got) == 1
    assert got[0]["personName"] == "Сидорова Анна Ивановна" and got[0]["date"] == "2021-04-20"
    assert "пенси" in got[0]["reason"]


@pytest.mark.parametrize("date,expected", [
    ("2019-03-13", []),
    ("2019-03-14", ["Иванова Ольга Петровна", "Сидорова Анна Ивановна"]),
    ("2021-04-20", ["Иванова Ольга Петровна", "Петров Игорь Сергеевич"]),
    ("2022-01-01", ["Иванова Ольга Петровна", "Петров Игорь Сергеевич"]),
    ("2023-06-01", ["Иванова Ольга Петровна", "Петров Игорь Сергеевич", "Сидорова Анна Ивановна"]),
])
def test_members_on_a_date(store, date, expected):
    got = rows(store, "query", "members", "--param", "body=совет директоров", "--param", f"date={date}")
    assert sorted({r["personName"] for r in got}) == expected


def test_person_history(store):
    got = rows(store, "query", "person", "--param", "name=Сидорова")
    events = [(r["event"], r.get("date")) for r in got if r["event"] in ("join", "leave")]
    assert events == [("join", "2019-03-14"), ("leave", "2021-04-20"), ("join", "2023")]


def test_one_iri_per_person_and_body(store):
    q = """PREFIX foaf: <http://xmlns.com/foaf/0.1/>
    SELECT ?name (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a foaf:Person ; foaf:name ?name } GROUP BY ?name"""
    assert all(r["n"] == "1" for r in rows(store, "sparql", q))
    q2 = """PREFIX lkg: <https://kg.example.org/ns#> SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { ?b a lkg:Body }"""
    assert rows(store, "sparql", q2) == [{"n": "1"}]
