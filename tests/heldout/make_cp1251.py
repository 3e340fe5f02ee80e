"""Write the held-out documents kept in Windows-1251 from their UTF-8 sources.

tests/heldout/src/NAME.txt (UTF-8, LF) becomes tests/heldout/docs/NAME.txt in Windows-1251 with CRLF
line ends, as a text saved by an old Windows editor. Only the files in ENCODED are converted
(the other sources are for make_docx.py). Run from the repository root:

    .venv/bin/python tests/heldout/make_cp1251.py
"""
from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
ENCODED = ("10_koordsovet_2023.txt",)


def convert(text: str) -> bytes:
    """The text with CRLF line ends, encoded in Windows-1251 (an error if a character does not fit)."""
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("cp1251")


def main() -> None:
    """Write every file of ENCODED into docs/."""
    for name in ENCODED:
        source = HERE / "src" / name
        target = HERE / "docs" / name
        target.write_bytes(convert(source.read_text(encoding="utf-8")))
        print(target.relative_to(HERE))


if __name__ == "__main__":
    main()
