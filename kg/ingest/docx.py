"""Word .docx files: paragraphs in order with their list numbers, tables row by row.

Word's auto-numbers are not part of the paragraph text, so they are reconstructed from the
list definitions (kg.ingest.numbering): a list typed with Word numbering reads as "1. …".
A table row becomes one line, its cells joined with tabs. Text boxes follow the paragraph that
anchors them; deleted (tracked) and hidden text is left out.
"""
from __future__ import annotations

import io
import zipfile
import zlib

import docx
from docx.oxml.ns import qn

from kg.errors import IngestError
from kg.ingest.clean import clean_text, join_lines
from kg.ingest.numbering import WordNumbering

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
WORD_STREAM = "WordDocument".encode("utf-16-le")
LEGACY_DOC = "legacy .doc format: save it as .docx"

_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_P, _TBL, _TR, _TC, _SDT = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:sdt")
_CONTAINERS = frozenset({qn("w:sdtContent"), qn("w:customXml"), qn("w:ins"), qn("w:moveTo"), _SDT})
_SKIP = frozenset({qn("w:pPr"), qn("w:rPr"), qn("w:del"), qn("w:moveFrom"), _MC_FALLBACK,
                   qn("w:sdtPr"), qn("w:sdtEndPr"), qn("w:instrText"), qn("w:delText")})
_CHARS = {qn("w:tab"): "\t", qn("w:ptab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n",
          qn("w:noBreakHyphen"): "-"}
_TEXT_BOX, _T, _R = qn("w:txbxContent"), qn("w:t"), qn("w:r")


def check_ole(path: str, raw: bytes, suffix: str) -> None:
    """Raise the right IngestError for an OLE2 compound file given as a Word document."""
    if not raw.startswith(OLE2_MAGIC):
        return
    if ENCRYPTED_STREAM in raw:
        raise IngestError(path, "password-protected document")
    if suffix == ".doc" or WORD_STREAM in raw:
        raise IngestError(path, LEGACY_DOC)
    # Office saves an encrypted .docx as an OLE2 container with the same name.
    raise IngestError(path, "password-protected document")


def _children(el, tag: str):
    """Children of el with this tag, looking through content controls and similar wrappers."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in _CONTAINERS:
            yield from _children(child, tag)


def _hidden(run) -> bool:
    """True for a run formatted as hidden text (w:vanish)."""
    vanish = run.find(f"{qn('w:rPr')}/{qn('w:vanish')}")
    return vanish is not None and vanish.get(qn("w:val"), "true") not in ("false", "0", "off")


class _Reader:
    """Walks a document body once, in order, keeping the list counters."""

    def __init__(self, numbering: WordNumbering):
        self.numbering = numbering
        self.lines: list[str] = []

    def blocks(self, container) -> None:
        """Paragraphs and tables of a body, cell or content control, in document order."""
        for child in container:
            if child.tag == _P:
                self.paragraph(child)
            elif child.tag == _TBL:
                self.table(child)
            elif child.tag in _CONTAINERS:
                self.blocks(child)

    def paragraph(self, p) -> None:
        """One line: the list label and the paragraph's text; text boxes become lines after it."""
        boxes: list = []
        text = self.inline(p, boxes)
        self.lines.append(self.numbering.label(p) + text)
        for box in boxes:
            self.blocks(box)

    def inline(self, el, boxes: list) -> str:
        """The visible text inside a paragraph element."""
        parts: list[str] = []
        for child in el:
            tag = child.tag
            if tag == _T:
                parts.append(child.text or "")
            elif tag in _CHARS:
                parts.append(_CHARS[tag])
            elif tag == _TEXT_BOX:
                boxes.append(child)
            elif tag in _SKIP or (tag == _R and _hidden(child)):
                continue
            elif isinstance(tag, str):
                parts.append(self.inline(child, boxes))
        return "".join(parts)

    def table(self, tbl) -> None:
        """One line per row, cells joined with tabs; a cell's paragraphs joined with spaces."""
        for tr in _children(tbl, _TR):
            cells = []
            for tc in _children(tr, _TC):
                inner = _Reader(self.numbering)
                inner.blocks(tc)
                cells.append(" ".join(" ".join(ln.split()) for ln in inner.lines if ln.strip()))
            if any(cells):
                self.lines.append("\t".join(cells))


def read_docx(path: str, raw: bytes, suffix: str = ".docx") -> tuple[str, str]:
    """Text of a .docx file (also one saved with a .doc name); the codec reported is that of its XML."""
    check_ole(path, raw, suffix)
    if not raw.startswith(ZIP_MAGIC):
        if suffix != ".doc":
            raise IngestError(path, "not a valid .docx (not a zip archive)")
        if raw.lstrip().startswith(b"{\\rtf"):
            raise IngestError(path, "RTF document with a .doc name: save it as .docx")
        raise IngestError(path, "not a Word document (neither .doc nor .docx inside)")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            broken = zf.testzip()
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError, OSError):
        broken = "archive"
    if broken is not None:
        raise IngestError(path, "not a valid .docx (damaged zip)")
    try:
        document = docx.Document(io.BytesIO(raw))
        part = document.part
        try:
            numbering_element = part.numbering_part.element
        except NotImplementedError:  # Word leaves the numbering part out of a document without lists
            numbering_element = None
        numbering = WordNumbering(numbering_element, part.styles.element)
        reader = _Reader(numbering)
        reader.blocks(document.element.body)
    except Exception as exc:  # noqa: BLE001 - python-docx and lxml raise many kinds on bad input
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise IngestError(path, f"not a valid .docx ({reason})") from None
    return clean_text(join_lines(reader.lines)), "utf-8"
