"""The embedded store: an Oxigraph (RocksDB) database in a directory that kg owns, replaced atomically."""
from __future__ import annotations

import contextlib
import fcntl
import glob
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from kg.errors import StoreError

DB_DIR = "oxigraph"
MANIFEST = "manifest.json"
MARKER = "kg-store"
SWAP_WAIT = 10.0  # seconds a reader waits for a writer to finish swapping the new store in
OPEN_ATTEMPTS = 5  # a reader that opened the store just as a build replaced it tries again


def _is_store(path: Path) -> bool:
    """Whether PATH looks like a store kg wrote."""
    return (path / MARKER).is_file() and (path / DB_DIR).is_dir()


def _swap_back(path: Path) -> None:
    """Finish a swap interrupted between its two renames (the caller holds the writers' lock)."""
    old = path.with_name(path.name + ".old")
    if not path.exists() and old.exists() and _is_store(old):
        os.replace(old, path)


def _recover(path: Path) -> None:
    """For a reader: finish a swap interrupted by a crash; while a writer holds the lock it is swapping, so
    wait for the new store to appear instead of racing the writer's second rename."""
    if path.exists() or not path.with_name(path.name + ".old").exists():
        return
    deadline = time.monotonic() + SWAP_WAIT
    while not path.exists():
        try:
            with _lock(path):
                _swap_back(path)
            return
        except StoreError:
            if time.monotonic() > deadline:
                return
            time.sleep(0.02)
        except OSError:  # cannot create the lock file (a read-only folder): no writer can be there either
            return


def _remove_stale(path: Path) -> None:
    """Delete the copies of builds that were killed (the caller holds the writers' lock)."""
    for tmp in path.parent.glob(glob.escape(path.name) + ".new-*"):
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)


def open_store(path: str | os.PathLike) -> ox.Store:
    """Open an existing store read-only; a missing or foreign path is a StoreError."""
    p = Path(path)
    for _ in range(OPEN_ATTEMPTS):
        _recover(p)
        if not p.exists():
            raise StoreError(f"no store at {p}: run `kg build` first (or pass --store)")
        if not _is_store(p):
            raise StoreError(f"{p} is not a kg store")
        try:
            return ox.Store.read_only(str(p / DB_DIR))
        except (OSError, RuntimeError) as exc:  # RocksDB reports files deleted under it as corruption
            error = exc
            time.sleep(0.1)  # a build may have swapped a new store in while this one opened: open that one
    raise StoreError(f"cannot open the store at {p}: {' '.join(str(error).split())}") from error


def read_manifest(path: str | os.PathLike) -> dict:
    """The store's manifest: which documents it holds, with their content hashes."""
    m = Path(path) / MANIFEST
    if not m.is_file():
        return {"documents": {}}
    return json.loads(m.read_text(encoding="utf-8"))


def manifest_text(manifest: dict) -> str:
    """The manifest as JSON, one line per document (quick to write for many documents, easy to read)."""
    def dumps(v) -> str:
        return json.dumps(v, ensure_ascii=False, sort_keys=True)

    fields = []
    for key, value in sorted(manifest.items()):
        if key == "documents" and value:
            rows = ",\n".join(f"  {dumps(name)}: {dumps(value[name])}" for name in sorted(value))
            fields.append(f" {dumps(key)}: {{\n{rows}\n }}")
        else:
            fields.append(f" {dumps(key)}: {dumps(value)}")
    return "{\n" + ",\n".join(fields) + "\n}\n"


@contextlib.contextmanager
def _lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock for writers of the store at PATH; a second writer stops with a message."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_name(path.name + ".lock")
    with open(lock_path, "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise StoreError(f"another build is writing {path}; try again when it has finished") from exc
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class StoreWriter:
    """A writable copy of the store; `commit()` swaps it in, anything else leaves the old store as it was.

    The copy is made when `store` is first used (hard links to the old store's files, so it is cheap), or
    `start(keep=False)` begins from an empty database instead. `extra` holds files to write beside the
    database (the build's record of what the graphs hold, kg/rdf/update.py): only the files a writer sets
    are kept, so a writer that changes the graphs without knowing of them leaves no stale record behind."""

    def __init__(self, path: Path, fresh: bool):
        self.path = path
        self.fresh = fresh or not _is_store(path)
        self.tmp = path.with_name(path.name + f".new-{os.getpid()}")
        if self.tmp.exists():
            shutil.rmtree(self.tmp)
        self.tmp.mkdir(parents=True)
        self.manifest = {"documents": {}} if self.fresh else read_manifest(path)
        self.extra: dict[str, str] = {}
        self.compact = True  # whether commit() compacts the database (worth it after large loads only)
        self._store: ox.Store | None = None

    def start(self, keep: bool = True) -> ox.Store:
        """Open the new database: a copy of the previous one (KEEP), else an empty one."""
        if self._store is None:
            if keep and not self.fresh:
                src = ox.Store.read_only(str(self.path / DB_DIR))
                src.backup(str(self.tmp / DB_DIR))
                del src
            self._store = ox.Store(str(self.tmp / DB_DIR))
        return self._store

    @property
    def store(self) -> ox.Store:
        """The writable database (a copy of the previous one unless `start(keep=False)` came first)."""
        return self.start()

    def previous(self) -> ox.Store | None:
        """The store as it was before this writer, read-only (None when there was none)."""
        return None if self.fresh else ox.Store.read_only(str(self.path / DB_DIR))

    def read_extra(self, name: str) -> str | None:
        """The text of a file the previous writer kept beside the database (None when there is none)."""
        f = self.path / name
        if self.fresh or not f.is_file():
            return None
        try:
            return f.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def commit(self) -> None:
        """Flush (and compact, unless told not to), write the manifest and swap the new store in place of the
        old one."""
        store = self.start()
        store.flush()
        if self.compact:
            store.optimize()
        del store
        self._store = None
        (self.tmp / MANIFEST).write_text(manifest_text(self.manifest), encoding="utf-8")
        for name, text in self.extra.items():
            (self.tmp / name).write_text(text, encoding="utf-8")
        (self.tmp / MARKER).write_text("kg store\n", encoding="utf-8")
        old = self.path.with_name(self.path.name + ".old")
        if old.exists():
            shutil.rmtree(old)
        if self.path.exists():
            if not _is_store(self.path):
                raise StoreError(f"{self.path} exists and is not a kg store; refusing to replace it")
            os.replace(self.path, old)
        os.replace(self.tmp, self.path)
        if old.exists():
            shutil.rmtree(old)

    def abort(self) -> None:
        """Throw the copy away; the old store stays."""
        self._store = None
        shutil.rmtree(self.tmp, ignore_errors=True)


@contextlib.contextmanager
def write_store(path: str | os.PathLike, fresh: bool = False) -> Iterator[StoreWriter]:
    """Open the store at PATH for writing under a lock; commit on success, keep the old one on failure."""
    p = Path(path)
    with _lock(p):
        _swap_back(p)
        _remove_stale(p)
        w = StoreWriter(p, fresh)
        try:
            yield w
        except BaseException:
            w.abort()
            raise
        w.commit()
