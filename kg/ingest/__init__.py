"""Read documents of every format users have (txt, md, docx, html, pdf) into kg.model.Document.

`read_document(path)` reads one file or raises IngestError naming the file and the reason;
`iter_documents(paths)` walks files and folders (recursively, sorted) and yields a Document or an
IngestError for each file, so one bad file never stops a build.

In folders, hidden files and folders (".name") and Office lock files ("~$name") are skipped, and
so are the obviously irrelevant files listed in data/ingest/ignored_files.txt (pictures, fonts,
web-page assets, backups). Any other file of an unsupported format is reported as an IngestError.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kg.errors import IngestError
from kg.ingest.docx import read_docx
from kg.ingest.html import read_html
from kg.ingest.lang import detect_lang
from kg.ingest.lexicon import ignored_files
from kg.ingest.pdf import read_pdf
from kg.ingest.text import read_text
from kg.model import Document

__all__ = ["FORMATS", "MAX_MB", "iter_documents", "read_document"]

MAX_MB = 20.0
_MB = 1024 * 1024

Reader = Callable[[str, bytes], tuple[str, str]]
# File extension → (Document.format, reader returning (text, encoding)).
FORMATS: dict[str, tuple[str, Reader]] = {
    ".txt": ("txt", read_text),
    ".text": ("txt", read_text),
    ".md": ("md", read_text),
    ".markdown": ("md", read_text),
    ".docx": ("docx", read_docx),
    ".docm": ("docx", read_docx),
    ".doc": ("docx", lambda path, raw: read_docx(path, raw, suffix=".doc")),
    ".html": ("html", read_html),
    ".htm": ("html", read_html),
    ".xhtml": ("html", read_html),
    ".pdf": ("pdf", read_pdf),
}


def _format_of(path: str) -> tuple[str, Reader]:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        what = f"'{suffix}'" if suffix else "without an extension"
        supported = " ".join(sorted(FORMATS))
        raise IngestError(path, f"unsupported format {what} (supported: {supported})")
    return FORMATS[suffix]


def _read_bytes(path: str, max_mb: float) -> bytes:
    """The file's bytes, refusing directories, unreadable and oversized files."""
    try:
        size = os.stat(path).st_size
        if size > max_mb * _MB:
            raise IngestError(path, f"file too large ({size / _MB:.1f} MB > {max_mb:g} MB)")
        with open(path, "rb") as f:
            return f.read()
    except OSError as exc:
        raise IngestError(path, f"cannot read file ({exc.strerror or type(exc).__name__})") from None


def read_document(path: str | os.PathLike[str], *, max_mb: float = MAX_MB) -> Document:
    """Read one file into a Document; raises IngestError (file and reason) when it cannot."""
    path = os.fspath(path)
    if os.path.isdir(path):
        raise IngestError(path, "is a folder, not a file")
    fmt, reader = _format_of(path)
    raw = _read_bytes(path, max_mb)
    if not raw.strip():
        raise IngestError(path, "empty document")
    text, encoding = reader(path, raw)
    if not text.strip():
        raise IngestError(path, "empty document")
    return Document(
        name=os.path.basename(path),
        path=path,
        text=text,
        lang=detect_lang(text),
        format=fmt,
        encoding=encoding,
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def _skipped(name: str) -> bool:
    """True for files that folder walks pass over silently."""
    return name.startswith((".", "~$")) or ignored_files().matches(name)


def _walk(folder: str, errors: list[OSError]) -> Iterator[str]:
    """Files under a folder, sorted by path, skipping hidden folders and skipped files."""
    found: list[tuple[tuple[str, ...], str]] = []
    for root, dirs, files in os.walk(folder, onerror=errors.append):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel_root = os.path.relpath(root, folder)
        parts = () if rel_root == os.curdir else tuple(Path(rel_root).parts)
        for name in files:
            if not _skipped(name):
                found.append(((*parts, name), os.path.join(root, name)))
    return (path for _, path in sorted(found))


def iter_documents(paths: Iterable[str | os.PathLike[str]], *, max_mb: float = MAX_MB,
                   known: Callable[[str, os.stat_result], Document | None] | None = None
                   ) -> Iterator[Document | IngestError]:
    """Each file named or found in the folders named: a Document, or the IngestError saying why not.

    KNOWN(path, stat) may answer for a file without reading it (a build's record of an unchanged file)."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    seen: set[str] = set()
    for given in paths:
        given = os.fspath(given)
        if os.path.isdir(given):
            errors: list[OSError] = []
            files = list(_walk(given, errors))
            for err in errors:
                yield IngestError(err.filename or given, f"cannot read folder ({err.strerror})")
        elif os.path.exists(given):
            files = [given]
        else:
            yield IngestError(given, "no such file or folder")
            continue
        for path in files:
            key = os.path.realpath(path)
            if key in seen:
                continue
            seen.add(key)
            if known is not None:
                try:
                    doc = known(path, os.stat(path))
                except OSError:
                    doc = None
                if doc is not None:
                    yield doc
                    continue
            try:
                yield read_document(path, max_mb=max_mb)
            except IngestError as exc:
                yield exc
