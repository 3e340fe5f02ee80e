"""Reading documents of every format and encoding into kg.model.Document.

Fixtures: tests/fixtures/ingest/, written by tests/fixtures/make_ingest_fixtures.py (`.expected` = exact text).
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter

from kg.errors import IngestError
from kg.ingest import FORMATS, iter_documents, read_document
from kg.ingest.encoding import decode_bytes
from kg.ingest.html import html_text
from kg.ingest.lang import detect_lang
from kg.model import Document

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "ingest"
SEEDS = sorted((ROOT / "data" / "resolutions").glob("*.txt"))
UKRAINIAN_SEED = "004_d79715dcc3d4d07d.txt"


def _expected(name: str) -> str:
    return (FIXTURES / f"{name}.expected").read_bytes().decode("utf-8")


# file, format, encoding, language
READABLE = [
    ("resolution_utf8.txt", "txt", "utf-8", "ru"),
    ("resolution_utf8_bom.txt", "txt", "utf-8-sig", "ru"),
    ("resolution_cp1251.txt", "txt", "cp1251", "ru"),
    ("resolution_koi8r.txt", "txt", "koi8-r", "ru"),
    ("resolution_utf16.txt", "txt", "utf-16", "ru"),
    ("resolution_utf16be.txt", "txt", "utf-16", "ru"),
    ("resolution_crlf.txt", "txt", "utf-8", "ru"),
    ("resolution_cp1251_crlf.txt", "txt", "cp1251", "ru"),
    ("resolution_cr.txt", "txt", "koi8-r", "ru"),
    ("short_cp1251.txt", "txt", "cp1251", "ru"),
    ("short_koi8r.txt", "txt", "koi8-r", "ru"),
    ("ukrainian_cp1251.txt", "txt", "cp1251", "uk"),
    ("ukrainian_koi8u.txt", "txt", "koi8-u", "uk"),
    ("resolution.md", "md", "utf-8-sig", "ru"),
    ("resolution.docx", "docx", "utf-8", "ru"),
    ("resolution_cp1251.html", "html", "cp1251", "ru"),
    ("resolution_start4.htm", "html", "utf-8", "ru"),
    ("resolution.pdf", "pdf", "", "ru"),
]

# file, reason the error must give
UNREADABLE = [
    ("truncated.docx", "not a valid .docx (damaged zip)"),
    ("encrypted.docx", "password-protected document"),
    ("legacy.doc", "legacy .doc format: save it as .docx"),
    ("not_a_zip.docx", "not a valid .docx (not a zip archive)"),
    ("binary.txt", "binary file"),
    ("controls.txt", "binary file"),
    ("empty.txt", "empty document"),
    ("whitespace.md", "empty document"),
    ("scanned.pdf", "PDF has no text layer (scanned?): run OCR first"),
    ("encrypted.pdf", "password-protected PDF"),
    ("notes.rtf", "unsupported format '.rtf'"),
]


@pytest.mark.parametrize(("name", "fmt", "encoding", "lang"), READABLE)
def test_reads_fixture_exactly(name: str, fmt: str, encoding: str, lang: str) -> None:
    path = str(FIXTURES / name)
    doc = read_document(path)
    assert doc.text == _expected(name)
    assert (doc.name, doc.path, doc.format, doc.encoding, doc.lang) == (name, path, fmt, encoding, lang)
    assert doc.sha256 == hashlib.sha256((FIXTURES / name).read_bytes()).hexdigest()


@pytest.mark.parametrize(("name", "reason"), UNREADABLE)
def test_refuses_bad_file_with_reason(name: str, reason: str) -> None:
    path = str(FIXTURES / name)
    with pytest.raises(IngestError) as caught:
        read_document(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert reason in message
    assert "\n" not in message
    assert caught.value.path == path


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_seed_language(seed: Path) -> None:
    assert read_document(seed).lang == ("uk" if seed.name == UKRAINIAN_SEED else "ru")


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
@pytest.mark.parametrize("codec", ["cp1251", "koi8-r", "koi8-u"])
def test_seed_lines_in_legacy_encodings(seed: Path, codec: str) -> None:
    """Every line of every seed, alone, decodes back exactly from a legacy 8-bit encoding."""
    text = seed.read_text(encoding="utf-8").replace("«", '"').replace("»", '"').replace("–", "-")
    lines = [ln for ln in text.split("\n") if len(ln.strip()) >= 12]
    for line in lines:
        try:
            raw = line.encode(codec)
        except UnicodeEncodeError:
            continue
        if not raw.isascii():
            assert decode_bytes(seed.name, raw)[0] == line


@pytest.mark.parametrize(("text", "lang"), [
    ("Учасники круглого столу вирішили", "uk"),
    ("Участники круглого стола решили", "ru"),
    ("Затвердити план роботи та звіт бібліотеки", "uk"),
    ("Утвердить план работы и отчёт библиотеки", "ru"),
    ("Рекомендувати ЦБС провести семінар щодо обслуговування", "uk"),
    ("Рекомендовать ЦБС провести семинар по обслуживанию", "ru"),
    ("Это было в 2017 году", "ru"), ("Це було в 2017 році", "uk"), ("2017", "ru"),
])
def test_detect_lang(text: str, lang: str) -> None:
    assert detect_lang(text) == lang


@pytest.mark.parametrize(("markup", "text"), [
    ("<ol><li>Первое<li>Второе</ol>", "1. Первое\n2. Второе"),
    ('<ol start="3"><li>а</li><li value="7">б</li><li>в</li></ol>', "3. а\n7. б\n8. в"),
    ('<ol type="a"><li>x</li><li>y</li></ol>', "a. x\nb. y"),
    ("<ol><li>Раз<ol><li>вложенный</li></ol></li><li>Два</li></ol>", "1. Раз\n1. вложенный\n2. Два"),
    ("<ul><li>пункт</li></ul>", "· пункт"),
    ("<p>a&nbsp;b &amp; c&#1046;&quot;</p>", 'a\xa0b & cЖ"'),
    ("<div>один<div>два</div>три</div>", "один\nдва\nтри"),
    ("<p>строка<br>строка</p>", "строка\nстрока"),
    ("<p>  много \n  пробелов  </p>", "много пробелов"),
    ("<p>До<script>alert('<p>x</p>')</script><style>p{}</style>после</p>", "Допосле"),
    ("<pre>  отступ\n    сохранён</pre>", "  отступ\n    сохранён"),
    ("<table><tr><td>a</td><td><p>b</p><p>c</p></td></tr><tr><td>d</td><td>e</td></tr></table>",
     "a\tb c\nd\te"),
    ("<p>Ж<b>ир</b>ный</p>", "Жирный"),
    ("<head><title>Заголовок</title></head><body><h2>Текст</h2></body>", "Текст"),
])
def test_html_text(markup: str, text: str) -> None:
    assert html_text(markup) == text


def _numbered_docx(path: Path, items: list[tuple[int, str]]) -> None:
    """A .docx whose paragraphs are numbered '%1.' at level 0 and '%1.%2.' at level 1."""
    doc = docx.Document()
    numbering = doc.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, fmt, text in ((0, "decimal", "%1."), (1, "decimal", "%1.%2."), (2, "russianLower", "%3)"))
    )
    numbering.insert(0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{levels}</w:abstractNum>'))
    num = numbering.add_num(90)
    for ilvl, text in items:
        p = doc.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num.numId}"/></w:numPr>'))
    doc.save(str(path))


def test_docx_multilevel_numbering(tmp_path: Path) -> None:
    path = tmp_path / "levels.docx"
    _numbered_docx(path, [(0, "Раз"), (1, "подпункт"), (1, "ещё"), (2, "буква"), (2, "вторая"),
                          (0, "Два"), (1, "снова с единицы")])
    assert read_document(path).text == (
        "1. Раз\n1.1. подпункт\n1.2. ещё\nа) буква\nб) вторая\n2. Два\n2.1. снова с единицы"
    )


def test_docx_text_of_runs_tabs_breaks_and_hidden(tmp_path: Path) -> None:
    doc = docx.Document()
    p = doc.add_paragraph("Председатель")
    p.add_run().add_tab()
    p.add_run("Е.В. Щёкина")
    p.add_run("скрытый").font.hidden = True
    q = doc.add_paragraph("первая")
    q.add_run().add_break()
    q.add_run("вторая")
    path = tmp_path / "runs.docx"
    doc.save(str(path))
    assert read_document(path).text == "Председатель\tЕ.В. Щёкина\nпервая\nвторая"


def test_doc_name_with_docx_inside_is_read(tmp_path: Path) -> None:
    path = tmp_path / "saved_as.doc"
    path.write_bytes((FIXTURES / "resolution.docx").read_bytes())
    doc = read_document(path)
    assert (doc.format, doc.text) == ("docx", _expected("resolution.docx"))


def test_pdf_with_owner_password_only_is_read(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(FIXTURES / "resolution.pdf"))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "restricted.pdf"
    with open(path, "wb") as f:
        writer.write(f)
    assert read_document(path).text == _expected("resolution.pdf")


@pytest.mark.parametrize(("text", "codec", "declared", "found"), [
    ("<p>Решение совета</p>", "koi8-r", "koi8-r", "koi8-r"),
    ("<p>Решение совета</p>", "cp1251", "koi8-r", "cp1251"),  # a wrong declaration loses to the text
    ("<p>Рішення ради</p>", "koi8-u", "koi8-u", "koi8-u"),
    ("<p>Решение совета</p>", "cp1251", None, "cp1251"),
    # other scripts are left to charset-normalizer, which may name an equivalent codec
    ("<p>Le conseil des bibliothèques a décidé de créer un réseau régional.</p>", "cp1252", None, None),
])
def test_declared_charset_is_checked(text: str, codec: str, declared: str | None, found: str | None) -> None:
    decoded, used = decode_bytes("page.html", text.encode(codec), declared=declared)
    assert decoded == text
    assert used == (found or used)


def test_file_too_large(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * (2 * 1024 * 1024 + 10))
    with pytest.raises(IngestError, match=r"big\.txt: file too large \(2\.0 MB > 1 MB\)$"):
        read_document(path, max_mb=1)
    assert read_document(path, max_mb=3).text.startswith("aaa")


@pytest.mark.parametrize(("name", "reason"), [
    ("missing.txt", "cannot read file"),
    ("folder.txt", "is a folder, not a file"),
    ("README", "unsupported format without an extension"),
])
def test_unreadable_paths(tmp_path: Path, name: str, reason: str) -> None:
    (tmp_path / "folder.txt").mkdir()
    (tmp_path / "README").write_text("text", encoding="utf-8")
    with pytest.raises(IngestError, match=reason):
        read_document(tmp_path / name)


def test_iter_documents_walks_sorted_and_reports(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    files = {
        "b/2.txt": "второй", "b/10.md": "десятый", "a.txt": "первый", "c.html": "<p>третий</p>",
        ".hidden.txt": "скрыт", "~$lock.docx": "замок", ".git/x.txt": "git", "logo.png": "png",
        "notes.rtf": "rtf", "empty.txt": ""}
    for rel, text in files.items():
        (tmp_path / rel).write_text(text, encoding="utf-8")
    results = list(iter_documents([tmp_path, tmp_path / "a.txt", tmp_path / "nowhere"]))
    got = [(Path(r.path).relative_to(tmp_path).as_posix() if isinstance(r, Document) else r.reason[:20])
           for r in results]
    assert got == ["a.txt", "b/10.md", "b/2.txt", "c.html", "empty document", "unsupported format '",
                   "no such file or fold"]
    assert [r.text for r in results if isinstance(r, Document)] == ["первый", "десятый", "второй", "третий"]
    assert os.fspath(results[-1].path).endswith("nowhere")


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


PREFIXES = [b"", b"PK\x03\x04", b"%PDF-1.4\n", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf",
            b"\xff\xfe", b"\xfe\xff", b"<html><meta charset=koi8-r><ol><li>", b"{\\rtf1"]
SAMPLES = [p.read_bytes() for p in sorted(FIXTURES.iterdir())
           if p.suffix in (".docx", ".pdf", ".html") and p.stat().st_size < 40_000]


@st.composite
def _damaged(draw: st.DrawFn) -> bytes:
    """A real fixture with some bytes overwritten and maybe cut short."""
    raw = bytearray(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(1, 8))):
        raw[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(0, 255))
    return bytes(raw[: draw(st.integers(1, len(raw)))])


@settings(max_examples=300, deadline=None)
@given(
    suffix=st.sampled_from(sorted(FORMATS) + [".xyz"]),
    raw=st.one_of(st.binary(max_size=3000), st.builds(bytes.__add__, st.sampled_from(PREFIXES), st.binary()),
                  st.text(max_size=500).map(lambda s: s.encode("utf-8")), _damaged()),
)
def test_any_bytes_give_document_or_ingest_error(fuzz_dir: Path, suffix: str, raw: bytes) -> None:
    path = fuzz_dir / f"sample{suffix}"
    path.write_bytes(raw)
    try:
        doc = read_document(path)
    except IngestError as exc:
        assert str(exc).startswith(f"{path}: ") and "\n" not in str(exc)
    else:
        assert doc.text.strip() and "\r" not in doc.text and "\x00" not in doc.text
        assert doc.lang in ("ru", "uk")


def test_fixture_docx_is_built_with_word_numbering() -> None:
    """The numbers of the .docx fixture are Word's, not typed: its paragraphs do not contain them."""
    document = docx.Document(str(FIXTURES / "resolution.docx"))
    numbered = [p.text for p in document.paragraphs if p.style.name == "List Number"]
    assert len(numbered) == 5 and not any(t[:1].isdigit() for t in numbered)
