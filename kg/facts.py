"""Facts as plain JSON (for golden files and debugging): a Resolution without the document's text."""
from __future__ import annotations

import dataclasses
import json

from kg.model import Resolution


def to_dict(res: Resolution) -> dict:
    """The resolution's facts as a JSON-ready dict (the document reduced to its name, language and hash)."""
    d = dataclasses.asdict(res)
    doc = d.pop("document")
    d["document"] = {"name": doc["name"], "lang": doc["lang"], "format": doc["format"], "sha256": doc["sha256"]}
    return d


def to_json(res: Resolution) -> str:
    """The facts as stable, readable JSON."""
    return json.dumps(to_dict(res), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
