"""Writes the corpus documents that are not plain UTF-8 from their UTF-8 sources in tests/corpus/src/.

Each source `src/NAME.txt` (UTF-8, "\\n" line ends) becomes `docs/NAME.txt` in the encoding and
line-end convention listed in ENCODINGS. Encoding is strict: a character the target code page
lacks is an error, never a silent "?". Run from the repository root:

    .venv/bin/python tests/corpus/make_encodings.py

The same sources always give the same bytes.
"""
from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
DOCS = HERE / "docs"

# source file name -> (codec, line end)
ENCODINGS: dict[str, tuple[str, str]] = {
    "08_klub_2024.txt": ("cp1251", "\r\n"),
    "09_metsovet_gnbk_2022.txt": ("koi8-r", "\n"),
    "11_sovet_protocol_2020.txt": ("utf-8-sig", "\r\n"),
    "16_rada_2021.txt": ("cp1251", "\r\n"),
}


def encode(text: str, codec: str, newline: str) -> bytes:
    """The text with its line ends replaced, encoded strictly in the codec."""
    return text.replace("\r\n", "\n").replace("\n", newline).encode(codec, errors="strict")


def main() -> None:
    """Write every document listed in ENCODINGS."""
    DOCS.mkdir(exist_ok=True)
    for name, (codec, newline) in sorted(ENCODINGS.items()):
        text = (SRC / name).read_text(encoding="utf-8")
        (DOCS / name).write_bytes(encode(text, codec, newline))
        print(f"{name}: {codec}, {'CRLF' if newline == chr(13) + chr(10) else 'LF'}")


if __name__ == "__main__":
    main()
