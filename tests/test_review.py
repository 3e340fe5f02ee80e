"""`kg review` lists what the build reconciled or guessed, with quotes; corrections change the next build."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "resolutions"


def kg(*args, cwd=ROOT):
    """Run the kg command line in a subprocess."""
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("review") / "kg"
    p = kg("build", str(SEEDS), "--store", str(store), "-q")
    assert p.returncode == 0, p.stderr
    return store


def test_review_lists_reconciled_variants_with_quotes(seed_store, tmp_path):
    p = kg("review", "--store", str(seed_store), "--html", str(tmp_path / "review.html"))
    assert p.returncode == 0, p.stderr
    out = p.stdout
    for quote, key in [("Польсаевскую ЦБС", "polys"), ("Промышленнская ЦБС", "prom"),
                       ("им. В.М. Лащевской", "lib_museum")]:
        line = next(ln for ln in out.splitlines() if quote in ln)
        assert f"→ {key}" in line and "003_" in line or "002_" in line
    page = (tmp_path / "review.html").read_text(encoding="utf-8")
    assert "Польсаевскую ЦБС" in page and "<script" not in page


def test_review_missing_store_is_one_line(tmp_path):
    p = kg("review", "--store", str(tmp_path / "nope"))
    assert p.returncode == 1
    assert len(p.stderr.strip().splitlines()) == 1 and "Traceback" not in p.stderr


def _org_of(store, person_part):
    p = kg("query", "joins", "--store", str(store), "--format", "json")
    rows = json.loads(p.stdout)["results"]["bindings"]
    row = next(r for r in rows if person_part in r["personName"]["value"])
    return row.get("orgName", {}).get("value")


def test_correction_changes_the_next_build(tmp_path):
    store = tmp_path / "kg"
    doc = SEEDS / "003_815f27655f4e0a40.txt"
    assert kg("build", str(doc), "--store", str(store), "-q").returncode == 0
    assert _org_of(store, "Кентнер") == "Полысаевская ЦБС"
    fixes = tmp_path / "corrections.yaml"
    fixes.write_text("organisations:\n  - form: Польсаевская ЦБС\n    key: kisel\npeople:\n"
                     "  - name: Девятых Ирина Анатольевна\n    correct: Девятых Ирина Антоновна\n", encoding="utf-8")
    assert kg("build", str(doc), "--store", str(store), "-q", "--corrections", str(fixes)).returncode == 0
    assert _org_of(store, "Кентнер") == "ЦБС Киселевского городского округа"
    names = kg("query", "people", "--store", str(store), "--format", "csv").stdout
    assert "Девятых Ирина Антоновна" in names and "Девятых Ирина Анатольевна" not in names
    fixes.write_text("organisations:\n  - form: Польсаевская ЦБС\n    reject: true\n", encoding="utf-8")
    assert kg("build", str(doc), "--store", str(store), "-q", "--corrections", str(fixes)).returncode == 0
    assert _org_of(store, "Кентнер") is None


def test_bad_corrections_file_is_a_clear_error(tmp_path):
    fixes = tmp_path / "corrections.yaml"
    fixes.write_text("organisations:\n  - form: X\n    key: no_such_key\n", encoding="utf-8")
    p = kg("build", str(SEEDS / "000_74990cdd4835acd1.txt"), "--store", str(tmp_path / "kg"), "-q",
           "--corrections", str(fixes))
    assert p.returncode == 1 and "no_such_key" in p.stderr and "Traceback" not in p.stderr
