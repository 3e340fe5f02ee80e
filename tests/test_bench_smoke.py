"""The benchmark package on a small scale: the corpus generator's inflection, determinism and gold; the choice of
query parameters from `# param:` headers; the memoised scorer; and one run of `python -m bench run` on 40
documents (generate, build, rebuild, score against the gold, a view, queries in both forms, the report)."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import bench.score as bench_score
from bench.generate import BODIES, generate
from bench.inflect import org_case, patronymic_case
from bench.lexicon import load_lexicon
from bench.params import Form, Picks, forms
from bench.run import score_sample
from kg.ingest import read_document
from kg.namespaces import DEFAULT_BASE
from kg.query import CannedQuery, Param, load_query, parse_header
from kg.rdf.store import read_manifest

ROOT = Path(__file__).resolve().parent.parent
SCORE = ROOT.parent / "shared" / "tools" / "score.py"
NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s", re.M)  # a numbered decision at the start of a line
N_DOCS = 40
QUERIES = ("meetings", "members", "person")  # one without parameters, two with required ones

needs_score = pytest.mark.skipif(not SCORE.is_file() and os.environ.get("CI") != "true",
                                 reason=f"the scorer is not at {SCORE} (it is beside the checkout in CI)")


@pytest.fixture(scope="module")
def lexicon():
    """The generator's word lists, read once."""
    return load_lexicon()


@pytest.mark.parametrize("name, case, lang, expected", [
    ("Тисульская ЦБС", "dat", "ru", "Тисульской ЦБС"),
    ("Тисульская ЦБС", "acc", "ru", "Тисульскую ЦБС"),
    ("ЦБС г. Юрги", "gen", "ru", "ЦБС г. Юрги"),
    ("Государственная научная библиотека Кузбасса", "gen", "ru", "Государственной научной библиотеки Кузбасса"),
    ("Юргинский библиотечно-музейный комплекс", "dat", "ru", "Юргинскому библиотечно-музейному комплексу"),
    ("Краматорська міська ЦБС", "gen", "uk", "Краматорської міської ЦБС"),
    ("Донецька обласна універсальна наукова бібліотека", "dat", "uk",
     "Донецькій обласній універсальній науковій бібліотеці"),
    ("Министерство культуры Кузбасса", "gen", "ru", None),
])
def test_org_case(name, case, lang, expected):
    """Organisation names decline in their opening adjectives and head noun, or are refused."""
    assert org_case(name, case, lang) == expected


@pytest.mark.parametrize("patr, case, lang, expected", [
    ("Ивановна", "dat", "ru", "Ивановне"), ("Ивановна", "acc", "ru", "Ивановну"),
    ("Петрович", "acc", "ru", "Петровича"), ("Петрівна", "dat", "uk", "Петрівні"),
    ("Олегович", "dat", "uk", "Олеговичу"),
])
def test_patronymic_case(patr, case, lang, expected):
    """Patronymics decline by their ending."""
    assert patronymic_case(patr, case, lang) == expected


def test_same_seed_same_corpus(tmp_path, lexicon):
    """Two corpora from one seed are byte for byte the same; another seed gives another corpus."""
    a = generate(12, 7, tmp_path / "a", lexicon)
    b = generate(12, 7, tmp_path / "b", lexicon)
    c = generate(12, 8, tmp_path / "c", lexicon)
    assert [f.name for f in a.files] == [f.name for f in b.files]
    assert all(x.read_bytes() == y.read_bytes() for x, y in zip(a.files, b.files))
    assert a.gold.read_bytes() == b.gold.read_bytes()
    assert a.gold.read_bytes() != c.gold.read_bytes()


def test_gold_matches_documents(tmp_path, lexicon):
    """Every document, read in its own format and encoding (Word, HTML, cp1251, KOI8-R, UTF-8 with BOM…), mentions
    by surname every person its gold names, has as many numbered decisions as the gold counts, and the gold's
    bodies and organisations are ones the gold file defines."""
    corpus = generate(20, 3, tmp_path / "g", lexicon)
    gold = json.loads(corpus.gold.read_text(encoding="utf-8"))
    assert set(gold["documents"]) == {f.name for f in corpus.files}
    assert {f.suffix for f in corpus.files} >= {".txt", ".docx"}
    facts = 0
    for f in corpus.files:
        text = read_document(str(f)).text
        doc = gold["documents"][f.name]
        assert len(NUMBERED.findall(text)) == doc["decisions"], f.name
        assert doc["meeting"]["body"] in gold["bodies"], f.name
        for fact in doc["joins"] + doc["leaves"] + [t for t in doc["thanks"] if t["kind"] == "person"]:
            who = fact.get("person") or fact["recipient"]
            assert who.split()[0][:4] in text, (f.name, who)
            facts += 1
        orgs = [*doc["orgs"], *(j["org"] for j in doc["joins"] if j.get("org")),
                *(t["recipient"] for t in doc["thanks"] if t["kind"] == "organization"),
                *(k for pair in doc["cooperation"] for k in pair)]
        assert set(orgs) <= set(gold["orgs"]), f.name
    assert facts > 0
    assert set(gold["bodies"]) == set(BODIES)


PICKS = Picks(body=DEFAULT_BASE + "body/council", date="2012-05-03", last_date="2025-10-01",
              years=("2005", "2012", "2020"), doc="00012_council_2012-05-03.txt",
              person=DEFAULT_BASE + "person/abc", surname="Иванова")


def _query(*params: str) -> CannedQuery:
    """A canned query whose header declares PARAMS (`# param:` lines)."""
    text = "# title: t\n" + "".join(f"# param: {p}\n" for p in params) + "# returns: x\nSELECT ?x {}\n"
    title, description, declared, returns = parse_header(text)
    return CannedQuery("q", Path("q.rq"), text, title, description, declared, returns)


@pytest.mark.parametrize("query, listing, typical", [
    (_query(), {}, None),
    (_query("body (iri) — the body", "date (date) — the day (default today)"),
     {"body": PICKS.body}, {"body": PICKS.body, "date": "2012-05-03"}),
    (_query("name (iri) — the person"), {"name": "Иванова"}, {"name": PICKS.person}),
    (_query("body (iri) — the body (default any)", "year (integer) — the year (default 0)"),
     {}, {"body": PICKS.body, "year": "2012"}),
    (_query("since (date) — from (default 1900)", "until (date) — to (default 2100)", "doc — file (default all)"),
     {}, {"since": "2005", "until": "2020", "doc": PICKS.doc}),
    (_query("when (date) — a day"), {"when": "2025-10-01"}, {"when": "2012-05-03"}),
    (_query("limit (integer) — how many (default 10)"), {}, None),
])
def test_forms_follow_param_headers(query, listing, typical):
    """The listing form gives only parameters without a default; the typical form gives every parameter it knows
    a value for, by name or type; a query without parameters, or none it knows a value for, has the listing form
    only."""
    got = forms(query, PICKS)
    assert got[0] == Form("listing", listing)
    if typical is None:
        assert len(got) == 1
    else:
        assert got[1] == Form("typical", typical)


def test_forms_entity_kind_and_missing_values():
    """A parameter typed as a person gets the person whatever its name; a required parameter nothing fits is
    reported missing instead of guessed."""
    who = CannedQuery("q", Path("q.rq"), "", "t", "", (Param("who", "person"),), ("x",))
    assert [f.values for f in forms(who, PICKS)] == [{"who": "Иванова"}, {"who": PICKS.person}]
    odd = CannedQuery("q", Path("q.rq"), "", "t", "", (Param("limit", "integer"),), ("x",))
    assert forms(odd, PICKS) == [Form("listing", {}, ("limit",))]


@pytest.mark.parametrize("n, limit, expected", [
    (10, 1000, []), (10, 10, []), (10, 0, []), (10, 5, [0, 2, 4, 6, 8]), (10, 3, [0, 4, 8]), (7, 2, [0, 4]),
])
def test_score_sample(n, limit, expected):
    """A corpus larger than the limit is scored on every k-th document, at most the limit; else on all (none named)."""
    names = [f"{i:05d}_council.txt" for i in range(n)]
    assert score_sample(names, limit) == [names[i] for i in expected]


FAKE_SCORER = """
import sys
calls = []
def org_tokens(s):
    calls.append(s)
    return frozenset(s.split())
class Orgs:
    def __init__(self, groups):
        self.groups = groups
    def best(self, name):
        return max((len(org_tokens(name) & org_tokens(v)), k) for k, vs in self.groups.items() for v in vs)
    def match(self, name, key):
        return self.best(name)[1] == key
def main():
    orgs = Orgs({"a": ["x y"], "b": ["z"]})
    print([orgs.match(n, "a") for n in sys.argv[1:]], len(calls), len(set(calls)))
    return 0
if __name__ == "__main__":
    sys.exit(main())
"""


def test_memoised_scorer_same_answers_computed_once(tmp_path, monkeypatch, capsys):
    """`python -m bench.score SCORER ARGS` prints the scorer's answers, with each name's tokens computed once."""
    scorer = tmp_path / "scorer.py"
    scorer.write_text(FAKE_SCORER, encoding="utf-8")
    args = ["x", "x", "z", "x y"]
    plain = subprocess.run([sys.executable, str(scorer), *args], capture_output=True, text=True, check=True).stdout
    monkeypatch.setattr(sys, "argv", ["pytest"])
    assert bench_score.main([str(scorer), *args]) == 0
    answers, calls, distinct = capsys.readouterr().out.rsplit(maxsplit=2)
    assert answers == plain.rsplit(maxsplit=2)[0] == "[True, True, False, True]"
    assert calls == distinct == "3"
    assert int(plain.split()[-2]) > 3


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory) -> tuple[Path, dict, str]:
    """One `python -m bench run` on 40 documents: its work folder, results.json (one size) and report."""
    work = tmp_path_factory.mktemp("bench")
    cmd = [sys.executable, "-m", "bench", "run", "--docs", str(N_DOCS), "--seed", "11", "--work", str(work),
           "--results", str(work / "RESULTS.md"), "--queries", *QUERIES,
           "--views", "cooperation", "--natasha-docs", "0", "--runs", "1", "--budget", "5",
           "--query-timeout", "60", "--score-timeout", "300", "--view-timeout", "120"]
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stdout + p.stderr
    (result,) = json.loads((work / "results.json").read_text(encoding="utf-8"))
    return work, result, (work / "RESULTS.md").read_text(encoding="utf-8")


def test_bench_builds_every_document(bench_run):
    """Every generated document is built cold, and changing one rebuilds that one only."""
    work, r, _ = bench_run
    docs = sorted(p.name for p in (work / f"n{N_DOCS}" / "corpus" / "docs").iterdir())
    assert len(docs) == N_DOCS
    assert sorted(read_manifest(work / f"n{N_DOCS}" / "store")["documents"]) == docs
    assert r["cold"]["rc"] == 0 and r["cold"]["summary"].startswith(f"built {N_DOCS}, unchanged 0, failed 0")
    assert r["incremental"]["summary"].startswith(f"built 1, unchanged {N_DOCS - 1}, failed 0")
    assert r["cold"]["peak_rss"] > 0
    assert [(v["view"], v["rc"]) for v in r["views"]] == [("cooperation", 0)] and r["views"][0]["bytes"] > 0


def test_bench_queries_typical_parameters(bench_run):
    """Each timed query has its listing form and, as its `# param:` header allows, its typical form, with values
    drawn from the graph: the busiest body on one of its meeting days, a person with several events; both engines
    return the same number of rows wherever rdflib can run the query."""
    work, r, _ = bench_run
    gold = json.loads((work / f"n{N_DOCS}" / "corpus" / "gold.json").read_text(encoding="utf-8"))
    days = sorted(d["meeting"]["date"] for d in gold["documents"].values() if d["meeting"]["date"])
    picks = r["picks"]
    assert picks["body"].startswith(DEFAULT_BASE + "body/") and picks["person"].startswith(DEFAULT_BASE + "person/")
    assert picks["date"] in days and picks["last_date"] in days and picks["date"] <= picks["last_date"]
    assert picks["doc"] in gold["documents"] and picks["doc"].split("_")[-1].startswith(picks["date"])
    got = {(q["name"], q["form"]): q for q in r["queries"]}
    expected = [(name, f.kind) for name in QUERIES
                for f in forms(load_query(name), Picks(**{**picks, "years": tuple(picks["years"])}))]
    assert sorted(got) == sorted(expected)
    assert {("members", "typical"), ("person", "typical")} <= set(got)
    assert got[("meetings", "listing")]["kg"]["rows"] == N_DOCS
    assert got[("members", "typical")]["kg"]["rows"] >= 1
    assert got[("person", "typical")]["kg"]["rows"] >= 3
    assert picks["date"] in got[("members", "typical")]["params"]
    for q in got.values():
        assert q["kg"]["error"] is None and q["kg"]["median"] is not None, q
        if q["rdflib"]["error"] is None and q["rdflib"]["rows"] is not None:
            assert q["rdflib"]["rows"] == q["kg"]["rows"], q


def test_bench_report_tables(bench_run):
    """The report has the size table, the scorer's lines, the query table with a row per query form (rdflib's
    failures shown as errors) and the view table."""
    _, r, report = bench_run
    assert f"## {N_DOCS} documents" in report
    assert "| measure | value | target | met |" in report
    for measure in ("cold build", "peak memory", "rebuild after changing one document", "extraction vs natasha",
                    "people-facts F1"):
        assert re.search(rf"^\| {measure}.*\|.*\|.*\|$", report, re.M), measure
    header = "| query | form | parameters | rows | kg median ms (runs) | rdflib median ms (runs) | ratio |"
    assert header in report
    rows = re.findall(rf"^\| ({'|'.join(QUERIES)}) \| (listing|typical) \|", report, re.M)
    assert sorted(rows) == sorted((q["name"], q["form"]) for q in r["queries"])
    for q in r["queries"]:
        if q["rdflib"]["error"]:
            assert f"error ({q['rdflib']['error']}" in report
    assert "| view | seconds | file size | exit |" in report and re.search(r"^\| cooperation \| [\d.]+ \|", report, re.M)


@needs_score
def test_bench_scores_generated_gold(bench_run):
    """The shared scorer, run by the benchmark, finds kg's people facts on the generated corpus close to its gold."""
    _, r, report = bench_run
    assert r["score"]["scored"] == N_DOCS, r["score"]
    assert r["score"]["f1"] is not None and r["score"]["f1"] >= 0.95, r["score"]["lines"]
    assert f"people-facts F1 = {r['score']['f1']:.3f}" in report
