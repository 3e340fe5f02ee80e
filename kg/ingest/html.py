"""HTML pages: the text of block elements on their own lines, ordered-list items numbered.

Uses the standard library's html.parser. Scripts, styles and other non-text elements are
dropped, entities decoded, whitespace collapsed as a browser does (except inside <pre>); table
rows become lines with cells joined by tabs. The charset is taken from a byte-order mark, a
valid UTF-8 body, or the page's <meta> declaration, else detected like a text file.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

from kg.errors import IngestError
from kg.ingest.clean import clean_text, join_lines
from kg.ingest.encoding import decode_bytes
from kg.ingest.numbering import BULLET, format_number

BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hr", "html", "legend", "main", "menu", "nav", "ol", "p", "section", "summary",
    "table", "tbody", "tfoot", "thead", "ul",
})
SKIPPED = frozenset({"script", "style", "noscript", "template", "title", "svg", "math", "object", "iframe",
                     "select"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                  "source", "track", "wbr"})
_HTML_TYPES = {"1": "decimal", "a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_SPACE = re.compile(r"[ \t\n\r\f]+")
_SPACES = re.compile(r" {2,}")
_CELL_GAP = re.compile(r" *\t *")


def declared_charset(raw: bytes) -> str | None:
    """The charset a page declares in a <meta> tag within its first 4 KB.

    >>> declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">')
    'windows-1251'
    """
    m = _META_CHARSET.search(raw[:4096])
    return m.group(1).decode("ascii") if m else None


class _TextParser(HTMLParser):
    """Collects lines of text; block boundaries end a line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.line: list[str] = []
        self.skip: list[str] = []  # open skipped elements
        self.lists: list[list] = []  # [tag, counter, numFmt]
        self.pre = 0
        self.cell = 0  # depth of open table cells: blocks inside a cell do not break the row
        self.row_cells = 0

    def flush(self) -> None:
        """End the current line."""
        text = "".join(self.line)
        if not self.pre:
            text = _CELL_GAP.sub("\t", _SPACES.sub(" ", text)).strip(" ")
        if text.strip():
            self.lines.append(text)
        self.line = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open an element."""
        if self.skip:
            if tag == self.skip[-1] and tag not in VOID:
                self.skip.append(tag)
            return
        if tag in SKIPPED:
            self.skip.append(tag)
            return
        attr = {k: v or "" for k, v in attrs}
        if tag == "br":
            if self.cell:
                self.line.append(" ")
            else:
                self.flush()
        elif tag in ("td", "th"):
            if self.row_cells:
                self.line.append("\t")
            self.row_cells += 1
            self.cell += 1
        elif tag == "tr":
            self.flush()
            self.row_cells = 0
        elif tag == "li":
            self._item(attr)
        elif tag in BLOCKS or tag == "pre":
            if self.cell:
                self.line.append(" ")
            else:
                self.flush()
            if tag == "pre":
                self.pre += 1
            if tag == "ol":
                fmt = _HTML_TYPES.get(attr.get("type", "1"), "decimal")
                self.lists.append(["ol", _int(attr.get("start"), 1) - 1, fmt])
            elif tag in ("ul", "menu"):
                self.lists.append(["ul", 0, "bullet"])

    def _item(self, attr: dict[str, str]) -> None:
        """Start a list item with its number or bullet."""
        if not self.cell:
            self.flush()
        current = self.lists[-1] if self.lists else ["ul", 0, "bullet"]
        if current[0] == "ol":
            current[1] = _int(attr.get("value"), current[1] + 1)
            self.line.append(f"{format_number(current[1], current[2])}. ")
        else:
            self.line.append(f"{BULLET} ")

    def handle_endtag(self, tag: str) -> None:
        """Close an element."""
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.pop()
            return
        if tag in ("td", "th"):
            self.cell = max(0, self.cell - 1)
        elif tag in ("tr", "li") or tag in BLOCKS or tag == "pre":
            if tag == "table":
                self.cell = self.row_cells = 0
            if not self.cell:
                self.flush()
            if tag == "pre":
                self.pre = max(0, self.pre - 1)
            if tag in ("ol", "ul", "menu") and self.lists:
                self.lists.pop()

    def handle_data(self, data: str) -> None:
        """Text between tags."""
        if self.skip:
            return
        if self.pre and not self.cell:
            lines = data.split("\n")
            for line in lines[:-1]:
                self.line.append(line)
                self.flush()
            self.line.append(lines[-1])
            return
        self.line.append(_SPACE.sub(" ", data))


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default


def html_text(markup: str) -> str:
    """The visible text of an HTML document, one block per line.

    >>> html_text("<ol><li>Первое</li><li>Второе &amp; третье</li></ol><script>x()</script>")
    '1. Первое\\n2. Второе & третье'
    """
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    parser.flush()
    return join_lines(parser.lines)


def read_html(path: str, raw: bytes) -> tuple[str, str]:
    """Text of an .html or .htm file and the codec it was decoded with."""
    markup, codec = decode_bytes(path, raw, declared=declared_charset(raw))
    try:
        text = html_text(clean_text(markup))
    except Exception as exc:  # noqa: BLE001 - html.parser may fail on broken markup
        raise IngestError(path, f"cannot parse HTML ({type(exc).__name__})") from None
    return text, codec
