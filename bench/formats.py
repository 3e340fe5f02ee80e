"""Writing a generated layout as a file: plain text (UTF-8, cp1251 or KOI8-R, LF or CRLF, with or without a
BOM), Markdown, HTML or Word; byte for byte the same for the same layout."""
from __future__ import annotations

import html
import io
import zipfile
from datetime import datetime, timezone

from bench.layout import Layout

FORMATS = ("txt", "txt", "txt", "txt", "txt", "txt", "txt", "txt", "txt", "txt", "txt", "txt",
           "cp1251", "koi8", "bom", "md", "html", "docx")
STAMP = datetime(2024, 1, 1, tzinfo=timezone.utc)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
KOI8_SAFE = str.maketrans({"«": '"', "»": '"', "–": "-", "—": "-", "№": "N", "’": "'", "•": "-"})


def _number(style: str, n: int) -> str:
    """The number of item N in STYLE ('1.', '1)', '1.  ')."""
    return style.replace("1", str(n), 1)


def to_text(lay: Layout, markdown: bool = False) -> str:
    """The layout as plain text (or Markdown: a heading, bold title lines, nested lists)."""
    out: list[str] = []
    first = True
    for block in lay.blocks:
        kind = block[0]
        if kind == "line":
            text = block[1]
            if markdown and first:
                out.append("# " + text)
            elif markdown and text.startswith("Тема: "):
                out.append("**Тема:** " + text[6:])
            else:
                out.append(text)
            first = False
        elif kind == "blank":
            out.append("")
        elif kind == "items":
            items, style = block[1], block[2]
            out.append("")
            for n, it in enumerate(items, 1):
                out.append(f"{_number('1.' if markdown else style, n)} {it.head}")
                marker = "   - " if markdown else ("– " if n % 2 else "- ")
                out += [("" if it.bare else marker) + s for s in it.subs]
                if not markdown and style != "1." and n < len(items):
                    out.append("")
        elif kind == "sign":
            out.append("")
            out += [f"{left}\t\t\t\t{right}" for left, right in block[1]]
    return "\n".join(out).rstrip() + "\n"


def to_html(lay: Layout, title: str) -> str:
    """The layout as an HTML page: paragraphs, an ordered list with nested lists, the signature."""
    e = html.escape
    body: list[str] = []
    for block in lay.blocks:
        if block[0] == "line":
            tag = "h1" if not body else "p"
            body.append(f"<{tag}>{e(block[1]).replace(chr(9), ' ')}</{tag}>")
        elif block[0] == "items":
            body.append("<ol>")
            for it in block[1]:
                subs = "".join(f"<li>{e(s)}</li>" for s in it.subs)
                body.append(f"<li>{e(it.head)}" + (f"\n<ul>{subs}</ul>\n" if subs else "") + "</li>")
            body.append("</ol>")
        elif block[0] == "sign":
            body += [f"<p>{e(left)} {e(right)}</p>" for left, right in block[1]]
    return ("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{e(title)}</title>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")


def to_docx(lay: Layout) -> bytes:
    """The layout as a Word document: decisions in the 'List Number' style, sub-items in 'List Bullet'."""
    import docx

    doc = docx.Document()
    props = doc.core_properties
    props.author = props.last_modified_by = "kg bench"
    props.created = props.modified = STAMP
    props.revision = 1
    for block in lay.blocks:
        if block[0] == "line":
            doc.add_paragraph(block[1])
        elif block[0] == "items":
            for it in block[1]:
                doc.add_paragraph(it.head, style="List Number")
                for s in it.subs:
                    doc.add_paragraph(s, style="List Bullet")
        elif block[0] == "sign":
            for left, right in block[1]:
                doc.add_paragraph(f"{left}\t\t{right}")
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def render(lay: Layout, fmt: str, lang: str, title: str) -> tuple[bytes, str]:
    """The file's bytes and extension for format FMT (KOI8-R only for Russian, else UTF-8)."""
    if fmt == "docx":
        return to_docx(lay), "docx"
    if fmt == "html":
        return to_html(lay, title).encode("utf-8"), "html"
    if fmt == "md":
        return to_text(lay, markdown=True).encode("utf-8"), "md"
    text = to_text(lay)
    if fmt == "cp1251":
        return text.replace("\n", "\r\n").encode("cp1251", errors="replace"), "txt"
    if fmt == "koi8" and lang == "ru":
        return text.translate(KOI8_SAFE).encode("koi8-r", errors="replace"), "txt"
    if fmt == "bom":
        return b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"), "txt"
    return text.encode("utf-8"), "txt"
