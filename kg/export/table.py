"""A canned query's answer as CSV (the W3C SPARQL 1.1 CSV results format) with a CSVW metadata file beside it.

The CSV carries no metadata of its own, so the dataset description travels in `FILE-metadata.json`
(W3C CSV on the Web): the query's title, the dataset it came from, its licence and build time, and the
columns.
"""
from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

from kg.export.describe import DatasetInfo
from kg.formats import write_csv
from kg.query import load_query, run_query


def write_query_csv(store_path: str | Path, name: str, params: Mapping[str, str], out: BinaryIO) -> list[str]:
    """Run the canned query NAME on the store and write its rows to OUT as CSV; the column names."""
    result = run_query(name, params, store_path)
    text = io.StringIO(newline="")
    write_csv(result, text)
    out.write(text.getvalue().encode("utf-8"))
    return list(result.vars)


def csvw_metadata(csv_name: str, name: str, params: Mapping[str, str], columns: list[str], info: DatasetInfo,
                  modified: str | None) -> dict:
    """The CSVW metadata document of the CSV file CSV_NAME written by the canned query NAME."""
    query = load_query(name)
    meta = {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "url": csv_name,
        "dc:title": query.title,
        "dc:description": query.description or query.title,
        "dc:license": {"@id": info.license},
        "dc:source": {"@id": info.dataset},
        "prov:wasDerivedFrom": {"@id": info.dataset},
        "rdfs:comment": f"kg query {name}" + "".join(f" --param {k}={v}" for k, v in sorted(params.items())),
        "dialect": {"header": True, "encoding": "utf-8", "lineTerminators": ["\r\n"]},
        "tableSchema": {"columns": [{"name": c, "titles": c, "datatype": "string"} for c in columns]},
    }
    if modified:
        meta["dc:modified"] = {"@value": modified, "@type": "xsd:dateTime"}
    return meta


def metadata_path(csv_path: str | Path) -> Path:
    """Where the CSVW metadata of CSV_PATH goes: `NAME.csv-metadata.json` beside it (the CSVW default)."""
    p = Path(csv_path)
    return p.with_name(p.name + "-metadata.json")
