"""Loading of the word lists in data/lexicon (TSV with a header row; '#' lines are comments)."""
from __future__ import annotations

import csv
import functools
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"


def data_dir() -> Path:
    """The project's data folder (word lists, authorities)."""
    return DATA


@functools.cache
def load_tsv(name: str) -> tuple[dict[str, str], ...]:
    """Rows of data/lexicon/NAME.tsv as dicts keyed by the header row."""
    path = DATA / "lexicon" / f"{name}.tsv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [r for r in fh if r.strip() and not r.startswith("#")]
    return tuple(dict(r) for r in csv.DictReader(rows, delimiter="\t"))
