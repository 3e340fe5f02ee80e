"""Text clean-up shared by all readers: line ends, stray control characters, Unicode composition."""
from __future__ import annotations

import re
import unicodedata

_LINE_BREAKS = re.compile(r"\r\n?|[\v\f\x1c-\x1e\x85\u2028\u2029]")
# C0/C1 controls other than tab and line breaks, and byte-order marks (U+FEFF, reversed U+FFFE).
_STRAY = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ufeff\ufffe]")
_BLANK_RUN = re.compile(r"\n{3,}")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # category Cc less tab and line breaks


def control_share(text: str) -> float:
    """Share of control characters other than tab and line breaks; high in binary data.

    >>> control_share("ab\\x01\\x02")
    0.5
    """
    return len(_CONTROLS.findall(text)) / len(text) if text else 0.0


def clean_text(text: str) -> str:
    """Every line end to "\\n", byte-order marks and stray control characters dropped, NFC composition.

    >>> clean_text("\\ufeffа\\r\\nб\\rв\\x07")
    'а\\nб\\nв'
    """
    text = _LINE_BREAKS.sub("\n", text)
    text = _STRAY.sub("", text)
    return unicodedata.normalize("NFC", text)


def join_lines(lines: list[str]) -> str:
    """Lines of a structured document: trailing blanks cut, runs of blank lines to one, ends trimmed.

    >>> join_lines(["", "а  ", "", "", "б", ""])
    'а\\n\\nб'
    """
    text = "\n".join(line.rstrip() for line in lines)
    return _BLANK_RUN.sub("\n\n", text).strip("\n")
