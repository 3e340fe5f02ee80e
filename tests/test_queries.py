"""The canned queries on a hand-written graph (tests/fixtures/graph.trig): exact rows, through the CLI and the API."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import QueryError
from kg.query import bind_params, list_queries, load_query, prepared_text, run_query, run_sparql
from kg.rdf.store import write_store

FIXTURE = Path(__file__).parent / "fixtures" / "graph.trig"
ID = "https://kg.example.org/id/"
D1, D2, D3 = "001_a1b2c3d4e5f60718.txt", "002_b2c3d4e5f6071829.txt", "Рішення_ради.txt"
GOLOVINA, IVANOVA, VINOGRADOVA = "Головина Ирина Алексеевна", "Иванова О.П.", "Виноградова Анна Сергеевна"
KOVALENKO, PETROV, SIDOROVA = "Коваленко Олена Петрівна", "Петров Петр Петрович", "Сидорова Мария Ивановна"
COUNCIL, RADA = "Совет директоров", "Рада директорів"
KRAPIV, TYAZH = "Крапивинская библиотечная система", "Тяжинская централизованная библиотечная система"
GNBK, DNIPRO_CBS = "Государственная научная библиотека Кузбасса им. В.Д. Федорова", "ЦБС м. Дніпро"


def P(key: str) -> str:
    """The IRI of a fixture person."""
    return f"{ID}person/{key}"


def row(**values: str | None) -> dict[str, str]:
    """An expected row; None marks an unbound variable."""
    return {k: v for k, v in values.items() if v is not None}


def J(key, name, body, body_name, date, org, post, role, doc):
    """An expected `joins` row."""
    return row(person=P(key), personName=name, body=f"{ID}body/{body}", bodyName=body_name, date=date,
               orgName=org, post=post, role=role, doc=doc)


EXPECTED = {
    ("joins", ()): [
        J("golovina", GOLOVINA, "council", COUNCIL, "2022-06-08", KRAPIV, "директор", "member", D1),
        J("ivanova", IVANOVA, "council", COUNCIL, "2022-06-08", None, None, "member", D1),
        J("golovina", GOLOVINA, "council", COUNCIL, "2022-06-08", None, None, "chair", D1),
        J("vinogradova", VINOGRADOVA, "council", COUNCIL, "2023", TYAZH, "исполняющий обязанности директора",
          "member", D2),
        J("kovalenko", KOVALENKO, "rada", RADA, None, DNIPRO_CBS, "заступник директора", "member", D3),
    ],
    ("leaves", ()): [
        row(person=P("ivanova"), personName=IVANOVA, body=f"{ID}body/council", bodyName=COUNCIL, date="2023",
            role="member", reason="выход на пенсию", doc=D2),
        row(person=P("golovina"), personName=GOLOVINA, body=f"{ID}body/council", bodyName=COUNCIL, date="2023",
            role="chair", doc=D2),
    ],
    ("thanks", ()): [
        row(recipient=f"{ID}org/gnbk", recipientName=GNBK, recipientType="organization", date="2022-06-08", doc=D1),
        row(recipient=P("petrov"), recipientName=PETROV, recipientType="person", post="методист", orgName=GNBK,
            date="2022-06-08", doc=D1),
        row(recipient=P("golovina"), recipientName=GOLOVINA, recipientType="person", post="директор",
            orgName=KRAPIV, date="2023", doc=D2),
    ],
    ("meetings", ()): [
        row(meeting=f"{ID}meeting/001_a1b2c3d4e5f60718", body=f"{ID}body/council", bodyName=COUNCIL,
            date="2022-06-08", endDate="2022-06-09", place="Кемерово", host=GNBK,
            topic="Итоги работы библиотек за полугодие", online="false", doc=D1),
        row(meeting=f"{ID}meeting/002_b2c3d4e5f6071829", body=f"{ID}body/council", bodyName=COUNCIL, date="2023",
            online="true", doc=D2),
        row(meeting=f"{ID}meeting/d4f3e2d1c0b9a8f76", body=f"{ID}body/rada", bodyName=RADA, place="Дніпро",
            topic="Про роботу бібліотек у 2009 році", doc=D3),
    ],
    ("cooperation", ()): [
        row(orgA=f"{ID}org/krapiv", orgAName=KRAPIV, orgB=f"{ID}org/tyazh", orgBName=TYAZH, weight="1"),
    ],
    ("organizations", ()): [
        row(org=f"{ID}org/krapiv", orgName=KRAPIV, mentions="3"),
        row(org=f"{ID}org/tyazh", orgName=TYAZH, mentions="2"),
        row(org=f"{ID}org/gnbk", orgName=GNBK, place="Кемерово", mentions="1"),
        row(org=f"{ID}org/dnipro-cbs", orgName=DNIPRO_CBS, place="Дніпро", mentions="1"),
    ],
    ("people", ()): [
        row(person=P("vinogradova"), personName=VINOGRADOVA, post="исполняющий обязанности директора",
            orgName=TYAZH, doc=D2),
        row(person=P("golovina"), personName=GOLOVINA, post="директор", orgName=KRAPIV, doc=D1),
        row(person=P("golovina"), personName=GOLOVINA, post="директор", orgName=KRAPIV, doc=D2),
        row(person=P("ivanova"), personName=IVANOVA, doc=D1),
        row(person=P("ivanova"), personName=IVANOVA, doc=D2),
        row(person=P("kovalenko"), personName=KOVALENKO, post="заступник директора", orgName=DNIPRO_CBS, doc=D3),
        row(person=P("petrov"), personName=PETROV, post="методист", orgName=GNBK, doc=D1),
        row(person=P("sidorova"), personName=SIDOROVA, doc=D1),
    ],
    ("members", ("body=совет", "date=2022-12-31")): [
        row(person=P("golovina"), personName=GOLOVINA, role="chair", bodyName=COUNCIL, since="2022-06-08",
            body="совет", date="2022-12-31"),
        row(person=P("golovina"), personName=GOLOVINA, role="member", bodyName=COUNCIL, since="2022-06-08",
            orgName=KRAPIV, body="совет", date="2022-12-31"),
        row(person=P("ivanova"), personName=IVANOVA, role="member", bodyName=COUNCIL, since="2022-06-08",
            body="совет", date="2022-12-31"),
    ],
    ("members", (f"body={ID}body/council", "date=2023")): [
        row(person=P("vinogradova"), personName=VINOGRADOVA, role="member", bodyName=COUNCIL, since="2023",
            orgName=TYAZH, body=f"{ID}body/council", date="2023"),
        row(person=P("golovina"), personName=GOLOVINA, role="member", bodyName=COUNCIL, since="2022-06-08",
            orgName=KRAPIV, body=f"{ID}body/council", date="2023"),
    ],
    ("members", ("body=СОВЕТ ДИРЕКТОРОВ", "date=2022-06-07")): [],
    ("members", ("body=рада", "date=2030-01-01")): [],  # the rada's only membership has no known start
    ("person", ("name=ГОЛОВИН",)): [
        row(person=P("golovina"), personName=GOLOVINA, event="join", role="member", bodyName=COUNCIL,
            orgName=KRAPIV, post="директор", date="2022-06-08", doc=D1, name="ГОЛОВИН"),
        row(person=P("golovina"), personName=GOLOVINA, event="post", orgName=KRAPIV, post="директор",
            date="2022-06-08", doc=D1, name="ГОЛОВИН"),
        row(person=P("golovina"), personName=GOLOVINA, event="join", role="chair", bodyName=COUNCIL,
            date="2022-06-08", doc=D1, name="ГОЛОВИН"),
        row(person=P("golovina"), personName=GOLOVINA, event="post", orgName=KRAPIV, post="директор",
            date="2023", doc=D2, name="ГОЛОВИН"),
        row(person=P("golovina"), personName=GOLOVINA, event="leave", role="chair", bodyName=COUNCIL,
            date="2023", doc=D2, name="ГОЛОВИН"),
    ],
    ("person", ("name=Иванову",)): [  # a form seen in the text, not the nominative
        row(person=P("ivanova"), personName=IVANOVA, event="join", role="member", bodyName=COUNCIL,
            date="2022-06-08", doc=D1, name="Иванову"),
        row(person=P("ivanova"), personName=IVANOVA, event="leave", role="member", bodyName=COUNCIL,
            date="2023", doc=D2, name="Иванову"),
    ],
}
CASES = list(EXPECTED)
CASE_IDS = [f"{name}-{'-'.join(params)}" if params else name for name, params in CASES]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """A store holding the fixture graph."""
    path = tmp_path_factory.mktemp("kg") / "store"
    with write_store(path, fresh=True) as w:
        w.store.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    return path


def kg(*args: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    """Run the `kg` command line in a fresh interpreter."""
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=cwd,
                          input=stdin, timeout=120, encoding="utf-8", check=False)


def param_args(params: tuple[str, ...]) -> list[str]:
    """--param options for PARAMS."""
    return [a for p in params for a in ("--param", p)]


def json_rows(stdout: str) -> list[dict[str, str]]:
    """The rows of a SPARQL JSON result as {var: value}."""
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(stdout)["results"]["bindings"]]


def same_rows(got: list[dict], want: list[dict]) -> bool:
    """Equal as multisets (so duplicates count), in any order."""
    def key(r):
        return json.dumps(r, sort_keys=True, ensure_ascii=False)
    return sorted(got, key=key) == sorted(want, key=key)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_canned_query_through_the_cli(store, case):
    name, params = case
    p = kg("query", name, "--store", str(store), "--format", "json", *param_args(params))
    assert p.returncode == 0, p.stderr
    assert same_rows(json_rows(p.stdout), EXPECTED[case])


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_canned_query_through_the_api(store, case):
    name, params = case
    rows = run_query(name, dict(p.split("=", 1) for p in params), store_path=store).dicts()
    assert same_rows(rows, EXPECTED[case])


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_values_clause_binds_like_substitutions(store, case):
    """The VALUES form sent to endpoints answers exactly as Oxigraph's substitutions do."""
    name, params = case
    query = load_query(name)
    text = prepared_text(query, bind_params(query, dict(p.split("=", 1) for p in params)), store)
    assert same_rows(run_sparql(text, store_path=store).dicts(), EXPECTED[case])


def test_every_canned_query_is_covered():
    assert {q.name for q in list_queries()} == {name for name, _ in CASES} | {"decisions"}


def test_decisions_in_document_order(store):
    rows = run_query("decisions", store_path=store).dicts()
    got = [(r["doc"], r["number"], r.get("list"), r["kind"]) for r in rows]
    assert got == [
        (D1, "1", "1", "admit"), (D1, "2", "1", "elect"), (D1, "3", "1", "thank"), (D1, "4", "1", "instruct"),
        (D2, "1", "1", "remove"), (D2, "2", "1", "admit"), (D2, "3", "1", "thank"), (D2, "4", "1", "remove"),
        (D3, "1", "1", "admit"), (D3, "1", "2", "takenote"),
    ]
    assert all(r["meeting"].startswith(f"{ID}meeting/") and r["text"] for r in rows)


def test_person_history_is_in_date_order(store):
    rows = run_query("person", {"name": P("golovina")}, store_path=store).dicts()
    assert [(r["event"], r.get("role"), r["date"]) for r in rows] == [
        ("join", "member", "2022-06-08"), ("post", None, "2022-06-08"), ("join", "chair", "2022-06-08"),
        ("post", None, "2023"), ("leave", "chair", "2023")]


def test_members_date_defaults_to_today(store):
    rows = run_query("members", {"body": "совет"}, store_path=store).dicts()
    assert {(r["personName"], r["role"]) for r in rows} == {(GOLOVINA, "member"), (VINOGRADOVA, "member")}


HOSTILE = [
    'x" } UNION { ?s ?p ?o } #',
    "совет' } UNION { ?s ?p ?o }",
    '""") } UNION { ?s ?p ?o',
    "}\n?s ?p ?o .\n{",
    "# } UNION { ?s ?p ?o",
    '\\" UNION \\"',
    "\\u0022 } UNION { ?s ?p ?o } #",
    f"{ID}body/council> }} UNION {{ ?s ?p ?o",
    "совет\" || true || \"",
]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("name,param,extra", [("members", "body", {"date": "2023-06-01"}), ("person", "name", {})])
def test_hostile_parameter_values_match_nothing(store, name, param, extra, value):
    params = {param: value, **extra}
    assert run_query(name, params, store_path=store).rows == []
    query = load_query(name)
    assert run_sparql(prepared_text(query, bind_params(query, params), store), store_path=store).rows == []


@pytest.mark.parametrize("value", HOSTILE[:4])
def test_hostile_values_through_the_cli(store, value):
    p = kg("query", "person", "--store", str(store), "--format", "json", "--param", f"name={value}")
    assert p.returncode == 0, p.stderr
    assert json_rows(p.stdout) == []


@pytest.mark.parametrize("value", HOSTILE + ["2023-02-30", "2023-1-1", "today + 1", ""])
def test_hostile_or_malformed_dates_are_refused(store, value):
    with pytest.raises(QueryError, match="is not a date"):
        run_query("members", {"body": "совет", "date": value}, store_path=store)


@pytest.mark.parametrize("args,message", [
    (["query", "nope"], "no canned query named 'nope'; known: cooperation, decisions"),
    (["query", "joins", "--param", "year=2023"], "query joins has no parameter 'year'; known: none"),
    (["query", "members", "--param", "body=x", "--param", "when=2023"], "no parameter 'when'; known: body, date"),
    (["query", "members"], "query members needs --param body=VALUE"),
    (["query", "joins", "--param", "oops"], "--param wants KEY=VALUE"),
    (["query"], "name a query to run"),
    (["sparql", "SELECT * WHERE { ?s ?p }"], "the query is not valid SPARQL"),
    (["sparql", "missing.rq"], "no such query file: missing.rq"),
])
def test_user_errors_are_one_line(store, args, message):
    p = kg(*args, "--store", str(store))
    assert p.returncode == 1
    assert message in p.stderr and "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1


def test_missing_store_is_one_line(tmp_path):
    p = kg("query", "joins", cwd=tmp_path)  # the default store, out/kg, does not exist there
    assert p.returncode == 1 and "Traceback" not in p.stderr
    assert p.stderr.strip().splitlines() == [
        f"kg query: error: no store at {Path('out/kg')}: run `kg build` first (or pass --store)"]


def test_default_store_is_out_kg_in_the_current_folder(store, tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "kg").symlink_to(store, target_is_directory=True)
    p = kg("query", "cooperation", "--format", "csv", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines()[0] == "orgA,orgAName,orgB,orgBName,weight"


def test_fixture_repeats_a_triple_across_document_graphs(store):
    """Without grouping the union default graph would return Головина's name twice; the queries must not."""
    text = f"SELECT ?n WHERE {{ <{P('golovina')}> <http://xmlns.com/foaf/0.1/name> ?n }}"
    assert len(run_sparql(text, store_path=store).rows) == 2


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_no_duplicate_rows(store, query):
    params = {"body": "совет", "date": "2023-06-01", "name": "а"}
    rows = run_query(query.name, {p.name: params[p.name] for p in query.params}, store_path=store).rows
    assert rows and len(rows) == len(set(rows))
