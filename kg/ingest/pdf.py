"""PDF files with a text layer, read with pypdf; scanned pages need OCR first."""
from __future__ import annotations

import io
import logging

from pypdf import PdfReader

from kg.errors import IngestError
from kg.ingest.clean import clean_text, join_lines

PDF_MAGIC = b"%PDF-"
NO_TEXT = "PDF has no text layer (scanned?): run OCR first"


def _open(path: str, raw: bytes) -> PdfReader:
    """A reader for the file, decrypted when it opens with an empty password."""
    if PDF_MAGIC not in raw[:1024]:
        raise IngestError(path, "not a valid PDF (no %PDF header)")
    try:
        reader = PdfReader(io.BytesIO(raw))
        encrypted = reader.is_encrypted
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on damaged files
        raise IngestError(path, f"not a valid PDF ({_short(exc)})") from None
    if encrypted:
        try:
            opened = reader.decrypt("")
        except Exception as exc:  # noqa: BLE001 - e.g. a cipher that needs an optional package
            raise IngestError(path, f"encrypted PDF that cannot be opened ({_short(exc)})") from None
        if not opened:
            raise IngestError(path, "password-protected PDF")
    return reader


def _short(exc: Exception) -> str:
    """An exception as one short line."""
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def read_pdf(path: str, raw: bytes) -> tuple[str, str]:
    """Text of a PDF, page after page; the codec reported is empty (a PDF has no text encoding)."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = _open(path, raw)
    pages: list[str] = []
    try:
        for page in reader.pages:
            pages.append(clean_text(page.extract_text() or ""))
    except IngestError:
        raise
    except Exception as exc:  # noqa: BLE001 - damaged content streams, fonts, encryption
        raise IngestError(path, f"cannot read PDF text ({_short(exc)})") from None
    if not reader.pages:
        raise IngestError(path, "PDF has no pages")
    text = join_lines([line for page in pages for line in page.split("\n")])
    if not text.strip():
        raise IngestError(path, NO_TEXT)
    return text, ""
