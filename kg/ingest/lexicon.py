"""Data files of the readers (data/ingest/): ignored files, language markers, Cyrillic letter bigrams.

Each loader is a cached factory: the small tables are read once per process and shared, read-only.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from kg.lexicon import data_dir

DATA_DIR = data_dir() / "ingest"


def _rows(name: str) -> list[list[str]]:
    """Non-comment, non-empty rows of a tab-separated data file."""
    with open(DATA_DIR / name, encoding="utf-8", newline="") as f:
        lines = [ln for ln in f if ln.strip() and not ln.lstrip().startswith("#")]
    return [row for row in csv.reader(lines, delimiter="\t")]


@dataclass(frozen=True)
class IgnoredFiles:
    """Extensions (lower case, with the dot) and exact file names that folder walks skip."""

    extensions: frozenset[str]
    names: frozenset[str]

    def matches(self, name: str) -> bool:
        """True when a file of this name is irrelevant to kg and is skipped silently."""
        if name in self.names:
            return True
        dot = name.rfind(".")
        return dot > 0 and name[dot:].lower() in self.extensions


@lru_cache(maxsize=1)
def ignored_files() -> IgnoredFiles:
    """The table of data/ingest/ignored_files.txt."""
    entries = [row[0].strip() for row in _rows("ignored_files.txt")]
    return IgnoredFiles(
        extensions=frozenset(e.lower() for e in entries if e.startswith(".")),
        names=frozenset(e for e in entries if not e.startswith(".")),
    )


@dataclass(frozen=True)
class LangMarkers:
    """Weighted letters and words that vote for a language."""

    letters: dict[str, tuple[str, int]]
    words: dict[str, tuple[str, int]]


@lru_cache(maxsize=1)
def lang_markers() -> LangMarkers:
    """The table of data/ingest/lang_markers.tsv."""
    rows = _rows("lang_markers.tsv")
    letters: dict[str, tuple[str, int]] = {}
    words: dict[str, tuple[str, int]] = {}
    for kind, value, lang, weight in rows[1:]:
        (letters if kind == "letter" else words)[value] = (lang, int(weight))
    return LangMarkers(letters=letters, words=words)


@lru_cache(maxsize=1)
def letter_bigrams() -> dict[tuple[str, str], float]:
    """log P(letter | previous letter) from data/ingest/letter_bigrams.tsv; '^' starts, '$' ends a word."""
    rows = _rows("letter_bigrams.tsv")
    cols = rows[0][1:]
    return {(row[0], b): float(v) for row in rows[1:] for b, v in zip(cols, row[1:])}
