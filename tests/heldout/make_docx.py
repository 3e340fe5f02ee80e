"""Write the held-out Word documents (tests/heldout/docs/*.docx) from tests/heldout/src/*.docx.txt.

Each source line is `kind: text`, one paragraph (or table row) a line:

    title: …    a bold, centred paragraph
    text: …     a plain paragraph, written as given (typed numbers such as "1." stay in the text)
    number: …   a paragraph in Word's 'List Number' style: Word numbers it, the number is not in the text
    bullet: …   a paragraph in Word's 'List Bullet' style
    row: a<TAB>b  a row of a table without borders; consecutive rows form one table

Run from the repository root:

    .venv/bin/python tests/heldout/make_docx.py

The bytes are reproducible: fixed core properties and fixed zip time stamps.
"""
from __future__ import annotations

import io
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "src"
TARGET = HERE / "docs"
SUFFIX = ".docx.txt"
CREATED = datetime(2024, 6, 1, tzinfo=timezone.utc)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
LIST_STYLES = {"number": "List Number", "bullet": "List Bullet"}


def _add_rows(document: Document, rows: list[list[str]]) -> None:
    """Append one table holding the given rows."""
    width = max(len(row) for row in rows)
    table = document.add_table(rows=len(rows), cols=width)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value


def compose(source: str) -> Document:
    """Build a Word document from the marked-up source text."""
    document = docx.Document()
    props = document.core_properties
    props.author = props.last_modified_by = "kg held-out set"
    props.created = props.modified = CREATED
    props.revision = 1
    rows: list[list[str]] = []
    for number, line in enumerate(source.splitlines(), 1):
        kind, sep, text = line.partition(":")
        if not sep or kind not in {"title", "text", "number", "bullet", "row"}:
            raise ValueError(f"line {number}: expected 'kind: text', got {line!r}")
        text = text.removeprefix(" ")
        if kind == "row":
            rows.append(text.split("\t"))
            continue
        if rows:
            _add_rows(document, rows)
            rows = []
        if kind == "title":
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.add_run(text).bold = True
        elif kind in LIST_STYLES:
            document.add_paragraph(text, style=LIST_STYLES[kind])
        else:
            document.add_paragraph(text)
    if rows:
        _add_rows(document, rows)
    return document


def reproducible_bytes(document: Document) -> bytes:
    """Serialise the document with fixed zip time stamps."""
    raw = io.BytesIO()
    document.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def main() -> None:
    """Write every docs/*.docx from its source."""
    for source in sorted(SOURCES.glob("*" + SUFFIX)):
        target = TARGET / (source.name[: -len(SUFFIX)] + ".docx")
        target.write_bytes(reproducible_bytes(compose(source.read_text(encoding="utf-8"))))
        print(target.relative_to(HERE))


if __name__ == "__main__":
    main()
