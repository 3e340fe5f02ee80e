"""Writes the Word documents of the corpus (tests/corpus/docs/*.docx) from tests/corpus/src/*.docx.txt.

A source is UTF-8 text, one paragraph a line, with a small markup at the start of a line:

    = text        a bold centred paragraph (a title line)
    # text        a paragraph in Word's 'List Number' style: the number comes from Word's automatic
                  numbering and is not part of the text
    * text        a paragraph in the 'List Bullet' style
    | a | b       a row of a borderless table (consecutive rows make one table)
    anything else a plain paragraph, kept as written (a blank line is an empty paragraph)

Run from the repository root:

    .venv/bin/python tests/corpus/make_docx.py

The output is deterministic: fixed document properties and fixed time stamps in the zip.
"""
from __future__ import annotations

import io
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
DOCS = HERE / "docs"
SUFFIX = ".docx.txt"
STAMP = datetime(2024, 1, 1, tzinfo=timezone.utc)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
STYLES = {"#": "List Number", "*": "List Bullet"}


def _table(doc, rows: list[list[str]]) -> None:
    """Add a table holding the rows."""
    table = doc.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            table.cell(r, c).text = cell


def build(source: str):
    """A python-docx Document made from the marked-up source text."""
    doc = docx.Document()
    props = doc.core_properties
    props.author = props.last_modified_by = "kg corpus"
    props.created = props.modified = STAMP
    props.revision = 1
    rows: list[list[str]] = []
    for line in source.splitlines():
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
            continue
        if rows:
            _table(doc, rows)
            rows = []
        mark, _, rest = line.partition(" ")
        if mark == "=":
            par = doc.add_paragraph()
            par.alignment = WD_ALIGN_PARAGRAPH.CENTER
            par.add_run(rest).bold = True
        elif mark in STYLES:
            doc.add_paragraph(rest, style=STYLES[mark])
        else:
            doc.add_paragraph(line)
    if rows:
        _table(doc, rows)
    return doc


def fixed_zip(data: bytes) -> bytes:
    """The same zip with every member's time stamp set to a fixed value."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def main() -> None:
    """Write docs/NAME.docx for every src/NAME.docx.txt."""
    DOCS.mkdir(exist_ok=True)
    for source in sorted(SRC.glob("*" + SUFFIX)):
        name = source.name[: -len(SUFFIX)] + ".docx"
        buf = io.BytesIO()
        build(source.read_text(encoding="utf-8")).save(buf)
        (DOCS / name).write_bytes(fixed_zip(buf.getvalue()))
        print(name)


if __name__ == "__main__":
    main()
