"""Plain text and Markdown files in any of the encodings users save them in."""
from __future__ import annotations

from kg.ingest.clean import clean_text
from kg.ingest.encoding import decode_bytes


def read_text(path: str, raw: bytes) -> tuple[str, str]:
    """Text of a .txt or .md file and the codec it was decoded with; Markdown is kept as written.

    >>> read_text("a.txt", "Решение\\r\\n".encode("utf-8-sig"))
    ('Решение\\n', 'utf-8-sig')
    """
    text, codec = decode_bytes(path, raw)
    return clean_text(text), codec
