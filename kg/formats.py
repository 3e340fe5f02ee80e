"""Writers of query results: a table for people, and the W3C SPARQL 1.1 result formats (JSON, XML, CSV, TSV).

Terms are pyoxigraph terms (`NamedNode`, `BlankNode`, `Literal`, `Triple`); an unbound value is `None`.
`term_to_sparql` writes one term in N-Triples syntax with the IRI and language tag checked, the only
way a value given by a user enters query text (`kg.query` builds a VALUES clause with it).
"""
from __future__ import annotations

import csv
import json
import re
import shutil
from dataclasses import dataclass, field
from typing import Any, TextIO
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from kg.errors import QueryError
from kg.namespaces import PREFIXES

SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = {"table": ox.RdfFormat.TURTLE, "ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
                 "xml": ox.RdfFormat.RDF_XML, "json": ox.RdfFormat.JSON_LD}
FORMATS = (*SELECT_FORMATS, "ttl", "nt")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
ASK_VAR = "_askResult"  # the column name Jena and others use for an ASK result in CSV/TSV
MAX_COLUMN = 60  # widest column of a table, in characters

_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_LANG_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_TO_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class QueryResult:
    """What a query returned: `kind` 'select' (vars, rows of terms or None), 'ask' (boolean) or 'graph'."""

    kind: str
    vars: list[str] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)

    def dicts(self) -> list[dict[str, str]]:
        """The rows as {variable: value} with unbound variables left out (values as plain strings)."""
        return [{v: t.value for v, t in zip(self.vars, row) if t is not None} for row in self.rows]


def check_iri(value: str) -> str:
    """VALUE if it is an absolute IRI without characters that IRIs forbid; else a QueryError."""
    if not _ABSOLUTE_IRI.match(value) or _BAD_IRI.search(value):
        raise QueryError(f"not a valid absolute IRI: {value!r}")
    return value


def _escape_string(value: str) -> str:
    """VALUE as the body of a double-quoted N-Triples/SPARQL string."""
    return _TO_ESCAPE.sub(lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04X}"), value)


def term_to_sparql(term: Any) -> str:
    """One RDF term in N-Triples syntax (also valid SPARQL and Turtle), with IRIs and language tags checked."""
    if isinstance(term, ox.NamedNode):
        return f"<{check_iri(term.value)}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        body = f'"{_escape_string(term.value)}"'
        if term.language:
            if not _LANG_TAG.match(term.language):
                raise QueryError(f"not a valid language tag: {term.language!r}")
            return f"{body}@{term.language}"
        if term.datatype.value == XSD_STRING:
            return body
        return f"{body}^^<{check_iri(term.datatype.value)}>"
    if isinstance(term, ox.Triple):
        return f"<< {term_to_sparql(term.subject)} {term_to_sparql(term.predicate)} {term_to_sparql(term.object)} >>"
    raise QueryError(f"not an RDF term: {term!r}")


def term_to_json(term: Any) -> dict:
    """One term as a binding of the W3C SPARQL 1.1 Query Results JSON format."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": term_to_json(term.subject),
                                            "predicate": term_to_json(term.predicate),
                                            "object": term_to_json(term.object)}}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
        out["datatype"] = term.datatype.value
    return out


def term_from_json(binding: dict, bnodes: dict[str, ox.BlankNode] | None = None) -> Any:
    """A term from a binding of the SPARQL JSON results format (as remote endpoints send them)."""
    kind, value = binding.get("type"), binding.get("value")
    if kind == "uri":
        return ox.NamedNode(value)
    if kind in ("literal", "typed-literal"):
        if binding.get("xml:lang"):
            return ox.Literal(value, language=binding["xml:lang"])
        if binding.get("datatype"):
            return ox.Literal(value, datatype=ox.NamedNode(binding["datatype"]))
        return ox.Literal(value)
    if kind == "bnode":
        bnodes = {} if bnodes is None else bnodes
        return bnodes.setdefault(value, ox.BlankNode())
    if kind == "triple":
        return ox.Triple(*(term_from_json(value[k], bnodes) for k in ("subject", "predicate", "object")))
    raise QueryError(f"unknown term type in SPARQL JSON results: {kind!r}")


def to_json(result: QueryResult) -> dict:
    """The result as a W3C SPARQL 1.1 Query Results JSON document."""
    if result.kind == "ask":
        return {"head": {}, "boolean": bool(result.boolean)}
    bindings = [{v: term_to_json(t) for v, t in zip(result.vars, row) if t is not None} for row in result.rows]
    return {"head": {"vars": list(result.vars)}, "results": {"bindings": bindings}}


def _xml_text(value: str) -> str:
    """VALUE escaped for XML (carriage returns kept); characters XML 1.0 cannot hold become U+FFFD."""
    return escape(_NOT_XML.sub("\ufffd", value), {"\r": "&#13;"})


def _xml_term(term: Any) -> str:
    """One term as the content of a <binding> of the SPARQL Query Results XML format."""
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        parts = "".join(f"<{k}>{_xml_term(getattr(term, k))}</{k}>" for k in ("subject", "predicate", "object"))
        return f"<triple>{parts}</triple>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{_xml_text(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{_xml_text(term.value)}</literal>"
    return f"<literal>{_xml_text(term.value)}</literal>"


def write_xml(result: QueryResult, out: TextIO) -> None:
    """The result in the W3C SPARQL Query Results XML format."""
    out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="{RESULTS_NS}">\n')
    if result.kind == "ask":
        out.write(f"  <head/>\n  <boolean>{'true' if result.boolean else 'false'}</boolean>\n</sparql>\n")
        return
    out.write("  <head>\n")
    out.writelines(f"    <variable name={quoteattr(var)}/>\n" for var in result.vars)
    out.write("  </head>\n  <results>\n")
    for row in result.rows:
        out.write("    <result>\n")
        for var, term in zip(result.vars, row):
            if term is not None:
                out.write(f"      <binding name={quoteattr(var)}>{_xml_term(term)}</binding>\n")
        out.write("    </result>\n")
    out.write("  </results>\n</sparql>\n")


def plain(term: Any) -> str:
    """A term's plain text as the W3C CSV results format writes it: IRI, lexical form or _:id."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return term_to_sparql(term)
    return term.value


def write_csv(result: QueryResult, out: TextIO) -> None:
    """The result in the W3C SPARQL 1.1 CSV format (plain values, CRLF line ends)."""
    writer = csv.writer(out, lineterminator="\r\n")
    if result.kind == "ask":
        writer.writerows([[ASK_VAR], ["true" if result.boolean else "false"]])
        return
    writer.writerow(result.vars)
    for row in result.rows:
        writer.writerow([plain(t) for t in row])


def write_tsv(result: QueryResult, out: TextIO) -> None:
    """The result in the W3C SPARQL 1.1 TSV format (`?var` header, values in RDF term syntax)."""
    if result.kind == "ask":
        out.write(f"?{ASK_VAR}\n{'true' if result.boolean else 'false'}\n")
        return
    out.write("\t".join(f"?{v}" for v in result.vars) + "\n")
    out.writelines("\t".join("" if t is None else term_to_sparql(t) for t in row) + "\n" for row in result.rows)


def _display(term: Any) -> str:
    """A term for people: IRIs of known vocabularies as prefixed names, literals as their text."""
    if isinstance(term, ox.NamedNode):
        for prefix, ns in PREFIXES.items():
            if term.value.startswith(ns) and len(term.value) > len(ns):
                return f"{prefix}:{term.value[len(ns):]}"
    return " ".join(plain(term).split())


def _clip(text: str, width: int, middle: bool) -> str:
    """TEXT cut to WIDTH characters with an ellipsis, at the end or (for IRIs) in the middle."""
    if len(text) <= width:
        return text
    if middle and width > 10:
        head = (width - 1) // 3
        return text[:head] + "…" + text[len(text) - (width - 1 - head):]
    return text[: width - 1] + "…"


def _column_widths(natural: list[int], total: int | None) -> list[int]:
    """Column widths: each at most MAX_COLUMN, then the widest shrunk until the line fits TOTAL."""
    widths = [min(w, MAX_COLUMN) for w in natural]
    if total is None:
        return widths
    budget = total - 2 * (len(widths) - 1)
    while sum(widths) > budget and max(widths, default=0) > 8:
        i = widths.index(max(widths))
        widths[i] -= 1
    return widths


def write_table(result: QueryResult, out: TextIO, width: int | None = None) -> None:
    """The result as an aligned text table for people; wide values are cut with '…'."""
    if result.kind == "ask":
        out.write(("true" if result.boolean else "false") + "\n")
        return
    cells = [[_display(t) for t in row] for row in result.rows]
    natural = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(result.vars)]
    widths = _column_widths(natural, width)
    iri_cols = [any(isinstance(row[i], ox.NamedNode) for row in result.rows) for i in range(len(result.vars))]
    out.write("  ".join(_clip(v, w, False).ljust(w) for v, w in zip(result.vars, widths)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in cells:
        line = "  ".join(_clip(c, w, m).ljust(w) for c, w, m in zip(row, widths, iri_cols))
        out.write(line.rstrip() + "\n")
    n = len(result.rows)
    out.write(f"({n} row{'' if n == 1 else 's'})\n")


def write_graph(result: QueryResult, fmt: str, out: TextIO) -> None:
    """The triples of a CONSTRUCT or DESCRIBE result as Turtle, N-Triples, RDF/XML or JSON-LD."""
    if fmt not in GRAPH_FORMATS:
        raise QueryError(f"a CONSTRUCT or DESCRIBE result cannot be written as {fmt}; "
                         f"use one of: {', '.join(sorted(GRAPH_FORMATS))}")
    rdf_format = GRAPH_FORMATS[fmt]
    prefixes = PREFIXES if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    data = ox.serialize(result.triples, format=rdf_format, prefixes=prefixes)
    out.write(data.decode("utf-8") if data else "")


def write_result(result: QueryResult, fmt: str, out: TextIO, width: int | None = None) -> None:
    """Write RESULT to OUT in FMT (table, csv, tsv, json, xml; ttl and nt for graphs)."""
    if result.kind == "graph":
        write_graph(result, fmt, out)
    elif fmt == "json":
        out.write(json.dumps(to_json(result), ensure_ascii=False, indent=1) + "\n")
    elif fmt == "xml":
        write_xml(result, out)
    elif fmt == "csv":
        write_csv(result, out)
    elif fmt == "tsv":
        write_tsv(result, out)
    elif fmt == "table":
        write_table(result, out, width)
    else:
        raise QueryError(f"{fmt} is for CONSTRUCT and DESCRIBE results; use one of: {', '.join(SELECT_FORMATS)}")


def terminal_width(out: TextIO) -> int | None:
    """The width of the terminal OUT writes to, or None when it is not a terminal."""
    try:
        return shutil.get_terminal_size().columns if out.isatty() else None
    except (AttributeError, ValueError, OSError):
        return None
