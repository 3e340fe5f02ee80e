"""Real SPARQL servers and parsers for the tests: Virtuoso 7 and Oxigraph on free loopback ports, Jena's riot.

Each server runs from a throw-away directory, is started at most once per session (by the first test that
asks for it) and stopped at the end, by its own process id. A test that needs a missing system package
skips, naming it; under CI (`CI=true`) it fails instead, so that CI cannot pass by skipping.

Debian packages: `virtuoso-opensource` (virtuoso-t, isql-vt), `libapache-jena-java` (riot's classes; the
package ships jars only, so the classpath is built here from the package's file list and its dependencies,
plus an empty `xerces/impl/xpath/regex/message.properties`, without which Jena dies in Xerces), a Java
runtime, curl. PyPI: `oxigraph` (the server).
"""
from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ON_CI = os.environ.get("CI", "").lower() in ("true", "1", "yes")
VIRTUOSO_PASSWORD = "kg-test-dba"
_running: dict[str, object] = {}


def need(what: str, package: str) -> None:
    """Skip the test because WHAT is missing (install PACKAGE); under CI, fail instead."""
    message = f"{what} is not available: install {package}"
    if ON_CI:
        pytest.fail(message + " (CI=true: tests may not skip)")
    pytest.skip(message)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, seconds: float, proc: subprocess.Popen | None = None, log: Path | None = None) -> None:
    """Poll URL until it answers 200, PROC dies (an error with the tail of LOG) or SECONDS pass."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            raise RuntimeError(f"server exited with {proc.returncode}:\n{tail}")
        with contextlib.suppress(urllib.error.URLError, OSError), urllib.request.urlopen(url, timeout=2) as r:
            if r.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"no answer from {url} within {seconds} s")


def stop_process(proc: subprocess.Popen, grace: float = 20) -> None:
    """Stop PROC (ours): terminate, wait GRACE seconds, then kill."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


@dataclass
class Server:
    """A running SPARQL server: where to query it and how to write to it."""

    name: str
    query_url: str
    proc: subprocess.Popen
    workdir: Path
    user: str | None = None
    password: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def origin(self) -> str:
        """scheme://host:port of the server."""
        u = urllib.parse.urlsplit(self.query_url)
        return f"{u.scheme}://{u.netloc}"


def _shared(name: str, start) -> Server:
    """The session's one server NAME, started by START on first use and stopped at exit."""
    if name not in _running:
        server = start()
        _running[name] = server
        atexit.register(_stop, name)
    return _running[name]  # type: ignore[return-value]


def _stop(name: str) -> None:
    """Stop the shared server NAME."""
    if name in _running:
        stop(_running.pop(name))  # type: ignore[arg-type]


def stop(server: Server) -> None:
    """Stop SERVER (checkpointing Virtuoso first) and remove its directory."""
    if server.name == "virtuoso":
        port = server.extra["sql_port"]
        subprocess.run(["isql-vt", f"127.0.0.1:{port}", "dba", VIRTUOSO_PASSWORD, "-K"], capture_output=True,
                       timeout=60, check=False)
    stop_process(server.proc)
    shutil.rmtree(server.workdir, ignore_errors=True)


def oxigraph_binary() -> str | None:
    """The `oxigraph` server program of this Python environment (PyPI package `oxigraph`)."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


def start_oxigraph(union: bool = True) -> Server:
    """A fresh Oxigraph server on a free port; UNION makes its default graph the union of all graphs."""
    binary = oxigraph_binary()
    if binary is None:
        need("the Oxigraph server", "the PyPI package oxigraph (pip install oxigraph)")
    workdir = Path(tempfile.mkdtemp(prefix="kg-oxigraph-"))
    port = free_port()
    args = [binary, "serve", "--location", str(workdir / "db"), "--bind", f"127.0.0.1:{port}"]
    log = workdir / "server.log"
    with open(log, "wb") as fh:
        proc = subprocess.Popen(args + (["--union-default-graph"] if union else []), stdout=fh,
                                stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/query"
    wait_http(url + "?query=ASK%7B%7D", 30, proc, log)
    return Server("oxigraph", url, proc, workdir)


def oxigraph() -> Server:
    """The session's Oxigraph server (union default graph)."""
    return _shared("oxigraph", start_oxigraph)


VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
MaxClientConnections = 10
CaseMode = 2
DirsAllowed = ., /usr/share/virtuoso-opensource-7/vad
VADInstallDir = /usr/share/virtuoso-opensource-7/vad/
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 600
"""


def _isql(port: int, password: str, *commands: str) -> subprocess.CompletedProcess:
    """Run SQL COMMANDS through isql-vt as dba (it exits 0 even when SQL fails: read its output)."""
    return subprocess.run(["isql-vt", f"127.0.0.1:{port}", "dba", password, *(f"EXEC={c}" for c in commands)],
                          capture_output=True, text=True, timeout=60, check=False)


def start_virtuoso() -> Server:
    """A fresh Virtuoso 7 on free loopback ports with a new database and our own dba password."""
    if not shutil.which("virtuoso-t") or not shutil.which("isql-vt"):
        need("Virtuoso (virtuoso-t, isql-vt)", "the Debian package virtuoso-opensource")
    workdir = Path(tempfile.mkdtemp(prefix="kg-virtuoso-"))
    db = workdir / "db"
    db.mkdir()
    sql, http = free_port(), free_port()
    ini = workdir / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(d=db, sql=sql, http=http), encoding="utf-8")
    log = workdir / "stdout.log"
    with open(log, "wb") as fh:
        proc = subprocess.Popen(["virtuoso-t", "+configfile", str(ini), "+foreground"], cwd=db, stdout=fh,
                                stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"virtuoso exited with {proc.returncode}:\n{(db / 'virtuoso.log').read_text()[-2000:]}")
        done = _isql(sql, "dba", f"USER_SET_PASSWORD('dba', '{VIRTUOSO_PASSWORD}')", "checkpoint")
        out = done.stdout + done.stderr
        if "Connected" in out:
            if out.count("Done.") < 2:
                stop_process(proc)
                raise RuntimeError(f"cannot set virtuoso's dba password:\n{out}")
            break
        if time.monotonic() > deadline:
            stop_process(proc)
            raise RuntimeError(f"virtuoso did not accept SQL connections:\n{done.stdout}{done.stderr}")
        time.sleep(0.5)
    url = f"http://127.0.0.1:{http}/sparql"
    wait_http(url + "?query=ASK%7B%7D", 60, proc, log)
    return Server("virtuoso", url, proc, workdir, "dba", VIRTUOSO_PASSWORD, {"sql_port": sql})


def virtuoso() -> Server:
    """The session's Virtuoso server."""
    return _shared("virtuoso", start_virtuoso)


JENA_PACKAGE = "libapache-jena-java"
# riot logs its parse errors through SLF4J: keep exactly one binding (slf4j-simple writes to stderr)
_SLF4J_OTHERS = ("slf4j-log4j12", "slf4j-jdk14", "slf4j-jcl", "slf4j-nop", "slf4j-reload4j", "log4j-over-slf4j",
                 "jcl-over-slf4j", "jul-to-slf4j", "slf4j-migrator", "slf4j-ext")
_VERSIONED = re.compile(r"-\d[\w.]*\.jar$")


def _package_jars(package: str) -> list[str]:
    """The jars a Debian package installs under /usr/share/java (the unversioned names)."""
    files = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True, check=False).stdout.split()
    return [f for f in files if f.startswith("/usr/share/java/") and f.endswith(".jar") and not _VERSIONED.search(f)
            and not any(b in f for b in _SLF4J_OTHERS)]


def jena_classpath() -> str:
    """A classpath for Jena's command classes from the Debian packages (skips or fails when missing)."""
    if "jena" in _running:
        return _running["jena"]  # type: ignore[return-value]
    if not shutil.which("java") or not shutil.which("dpkg"):
        need("java (for Apache Jena's riot)", f"a Java runtime and the Debian package {JENA_PACKAGE}")
    jars = _package_jars(JENA_PACKAGE)
    if not any("jena-arq" in j for j in jars):
        need("Apache Jena (riot)", f"the Debian package {JENA_PACKAGE}")
    depends = subprocess.run(["dpkg-query", "-W", "-f", "${Depends}", JENA_PACKAGE], capture_output=True, text=True,
                             check=False).stdout
    jars += [j for dep in depends.split(",") for j in _package_jars(dep.split("|")[0].split("(")[0].strip())]
    if Path("/usr/share/java/slf4j-simple.jar").is_file():
        jars.append("/usr/share/java/slf4j-simple.jar")
    fix = Path(tempfile.mkdtemp(prefix="kg-jena-"))
    (fix / "xerces/impl/xpath/regex").mkdir(parents=True)  # an empty message.properties keeps Xerces alive
    (fix / "xerces/impl/xpath/regex/message.properties").touch()
    atexit.register(shutil.rmtree, fix, True)
    _running["jena"] = classpath = ":".join(sorted(set(jars)) + [str(fix)])
    return classpath


def riot(path: Path, syntax: str, output: str = "nq") -> subprocess.CompletedProcess:
    """Parse PATH with Jena's riot in SYNTAX (a Jena language name) and write it back as OUTPUT (strict)."""
    cmd = ["java", "-cp", jena_classpath(), "riotcmd.riot", "--strict", f"--syntax={syntax}", f"--output={output}",
           str(path)]
    return subprocess.run(cmd, capture_output=True, timeout=300, check=False)


SEED_DOCS = Path(__file__).resolve().parent.parent / "data" / "resolutions"
_NUMBERED = re.compile(r"^\s*\d+\.\s")


def seed_store(version: str = "v1") -> Path:
    """A store built from the seed documents, once per session.

    v1: the seed documents plus a copy of the Ukrainian one with every ’ written as ʼ (so both apostrophes
    are in the graph). v2: the same, with the copy removed and the last numbered decision of the Ukrainian
    document dropped (one document changed, one gone).
    """
    key = f"store-{version}"
    if key in _running:
        return _running[key]  # type: ignore[return-value]
    from kg.build import build

    root = Path(tempfile.mkdtemp(prefix=f"kg-seed-{version}-"))
    atexit.register(shutil.rmtree, root, True)
    docs = root / "docs"
    shutil.copytree(SEED_DOCS, docs)
    ukrainian = next(p for p in sorted(docs.glob("*.txt")) if "’" in p.read_text(encoding="utf-8"))
    text = ukrainian.read_text(encoding="utf-8")
    if version == "v1":
        (docs / "900_apostrophes.txt").write_text(text.replace("’", "ʼ"), encoding="utf-8")
    else:
        lines = text.splitlines(keepends=True)
        last = max(i for i, line in enumerate(lines) if _NUMBERED.match(line))
        ukrainian.write_text("".join(lines[:last] + lines[last + 1:]), encoding="utf-8")
    report = build([str(docs)], str(root / "store"))
    if not report.ok:
        raise RuntimeError(f"the seed build failed: {report.failed}")
    _running[key] = root / "store"
    return root / "store"
