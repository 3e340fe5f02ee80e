"""Atomic builds: the store is replaced only when a build finishes. A build killed with SIGKILL at any moment
leaves the previous graph readable, a second build on the same store stops with a clear message while the
first runs, and readers keep answering (with the old graph or the new one, never with an error) meanwhile."""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kg.build import build
from kg.query import run_query
from kg.rdf.store import write_store

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "resolutions"
CORPUS = ROOT / "tests" / "corpus" / "docs"
COPIES = 100
TEXT_FORMATS = (".txt", ".md", ".html")


def kg(*args: str, **kw) -> subprocess.CompletedProcess:
    """Run the kg command line in a fresh interpreter and wait for it."""
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=300, check=False, **kw)


def start_build(docs: Path, store: Path, log: Path) -> subprocess.Popen:
    """Start `kg build DOCS --store STORE` in its own process group (so its workers die with it)."""
    with open(log, "w") as err:
        return subprocess.Popen([sys.executable, "-m", "kg", "build", str(docs), "--store", str(store), "-j", "2"],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)


def kill(proc: subprocess.Popen) -> None:
    """SIGKILL the build and every worker it started."""
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(30)


def rows(store: Path) -> list[tuple]:
    """The `meetings` rows of STORE, read in this process."""
    return sorted(tuple(sorted(r.items())) for r in run_query("meetings", store_path=store).dicts())


def cli_rows(store: Path) -> list[tuple]:
    """The `meetings` rows of STORE as `kg query meetings --format json` prints them."""
    p = kg("query", "meetings", "--store", str(store), "--format", "json")
    assert p.returncode == 0, p.stderr
    bindings = json.loads(p.stdout)["results"]["bindings"]
    return sorted(tuple(sorted((k, v["value"]) for k, v in b.items())) for b in bindings)


def wait_for(predicate, seconds: float, what: str) -> None:
    """Poll PREDICATE until it holds; fail after SECONDS."""
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {seconds} s for {what}")
        time.sleep(0.05)


def stale(store: Path) -> list[Path]:
    """Copies that builds of STORE left beside it."""
    return sorted(store.parent.glob(store.name + ".new-*"))


@pytest.fixture(scope="module")
def previous(tmp_path_factory, resources) -> tuple[Path, list[tuple]]:
    """A store built from the sample documents, and its `meetings` rows."""
    store = tmp_path_factory.mktemp("previous") / "kg"
    assert build([str(SEEDS)], str(store), resources=resources).ok
    return store, rows(store)


@pytest.fixture(scope="module")
def hundred(tmp_path_factory) -> Path:
    """A hundred documents: the genre corpus's text documents under new names, each a little different."""
    out = tmp_path_factory.mktemp("hundred")
    sources = sorted(p for p in CORPUS.iterdir() if p.suffix in TEXT_FORMATS)
    for k in range(COPIES):
        src = sources[k % len(sources)]
        (out / f"copy{k:03d}_{src.name}").write_bytes(src.read_bytes() + b"\n" * (k + 1))
    return out


@pytest.fixture(scope="module")
def finished(previous, hundred, tmp_path_factory, resources) -> list[tuple]:
    """The `meetings` rows once a build of the hundred documents over the previous store has finished."""
    store = tmp_path_factory.mktemp("finished") / "kg"
    shutil.copytree(previous[0], store)
    assert build([str(hundred)], str(store), resources=resources).ok
    return rows(store)


@pytest.fixture
def store(previous, tmp_path) -> Path:
    """A copy of the previous store for one test."""
    path = tmp_path / "kg"
    shutil.copytree(previous[0], path)
    return path


def test_kill_9_at_any_moment_leaves_a_whole_graph_readable(previous, finished, hundred, store, tmp_path,
                                                             resources):
    """Killed before its swap, a build leaves the previous graph; killed after it, the finished one; never a mix."""
    log = tmp_path / "build.log"
    points = [(delay, None) for delay in (0.2, 0.5, 1.0, 2.0)] + [(1.5, "loading morphology")]
    seen = []
    for delay, after in points:
        proc = start_build(hundred, store, log)
        if after:
            wait_for(lambda after=after: after in log.read_text(encoding="utf-8"), 60, f"'{after}' in the output")
        time.sleep(delay)
        if proc.poll() is None:
            kill(proc)
        now = cli_rows(store)
        assert now in (previous[1], finished), f"killed after {delay} s: neither the previous graph nor the new one"
        seen.append(now == previous[1])
        if now != previous[1]:
            shutil.rmtree(store)
            shutil.copytree(previous[0], store)
    assert seen[0], "the earliest kill came after the swap: the build is too quick for this test"
    assert rows(store) == previous[1]
    report = build([str(SEEDS)], str(store), resources=resources)  # the lock is free again
    assert report.ok and not stale(store)
    assert rows(store) == previous[1]


@pytest.mark.parametrize("dies_after, expect", [(1, "previous"), (2, "empty")])
def test_death_between_the_two_renames_of_a_swap(previous, store, dies_after, expect):
    """The swap renames the old store aside, then the new one in: death after either leaves a readable store."""
    script = (
        "import os, sys\n"
        "from kg.rdf.store import write_store\n"
        "real, calls = os.replace, []\n"
        "def replace(src, dst):\n"
        "    real(src, dst)\n"
        "    calls.append(src)\n"
        f"    if len(calls) == {dies_after}:\n"
        "        os._exit(137)\n"
        "os.replace = replace\n"
        "with write_store(sys.argv[1]) as w:\n"
        "    w.store.clear()\n"
        "    w.manifest['documents'] = {}\n"
    )
    p = subprocess.run([sys.executable, "-c", script, str(store)], cwd=ROOT, capture_output=True, text=True,
                       timeout=120, check=False)
    assert p.returncode == 137, p.stderr
    assert cli_rows(store) == (previous[1] if expect == "previous" else [])
    with write_store(store):  # the next writer finds the store consistent and nothing left over
        pass
    assert not stale(store) and not store.with_name(store.name + ".old").exists()


HOLD = """import sys, time
from kg.rdf.store import write_store
with write_store(sys.argv[1]) as w:
    print("writing", flush=True)
    time.sleep(120)
"""


def test_a_second_build_stops_with_a_message_and_readers_keep_working(previous, store, tmp_path):
    # a writer that holds the store for as long as the test needs (a real build may finish too soon)
    first = subprocess.Popen([sys.executable, "-c", HOLD, str(store)], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        assert first.stdout.readline().strip() == "writing"
        second = kg("build", str(SEEDS), "--store", str(store))
        assert second.returncode == 1 and "Traceback" not in second.stderr
        assert second.stderr.strip().splitlines() == [
            f"kg build: error: another build is writing {store}; try again when it has finished"]
        for _ in range(5):
            assert rows(store) == previous[1]
        assert cli_rows(store) == previous[1]
        assert first.poll() is None, "the first build ended too soon for the test"
    finally:
        kill(first)
    assert rows(store) == previous[1]


def test_readers_see_the_old_graph_or_the_new_one_during_a_build(previous, store, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for src in sorted(CORPUS.glob("*.txt"))[:3]:
        shutil.copy(src, docs / src.name)
    proc = start_build(docs, store, tmp_path / "build.log")
    seen: list[list[tuple]] = []
    try:
        while proc.poll() is None:
            seen.append(rows(store))
    finally:
        if proc.poll() is None:
            kill(proc)
    assert proc.returncode == 0, (tmp_path / "build.log").read_text(encoding="utf-8")
    new = rows(store)
    assert new != previous[1] and len(new) == 3
    assert len(seen) >= 5 and seen[0] == previous[1]
    assert all(s in (previous[1], new) for s in seen)


def test_a_reader_waits_for_a_swap_in_progress_instead_of_undoing_it(previous, store, tmp_path, monkeypatch):
    """Between the writer's two renames the store's folder is missing; a reader must not move the old copy back
    (that would make the writer's second rename fail) but wait for the new store."""
    import kg.rdf.store as store_module

    monkeypatch.setattr(store_module, "SWAP_WAIT", 10.0)
    empty = tmp_path / "empty"
    with write_store(empty, fresh=True):
        pass
    old = store.with_name(store.name + ".old")
    result: dict[str, object] = {}

    def read() -> None:
        try:
            result["rows"] = rows(store)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            result["error"] = exc

    with open(store.with_name(store.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a writer holds the lock…
        os.replace(store, old)  # …and has moved the old store aside
        reader = threading.Thread(target=read)
        reader.start()
        time.sleep(0.5)
        assert reader.is_alive() and not store.exists() and old.exists()
        os.replace(empty, store)  # the writer's second rename
        fcntl.flock(lock, fcntl.LOCK_UN)
    reader.join(10)
    assert result == {"rows": []}
