"""SHACL validation of the graph against ontology/shapes.ttl, with pySHACL over rdflib.

The data validated is the union of all named graphs plus the part of ontology/kg.ttl that SHACL
consults: `rdfs:subClassOf` (so that `sh:class org:Organization` accepts a `lkg:Library`) and
`skos:inScheme` (so that an action type is known to be a concept of `lkg:ActionTypes`). pySHACL's
own `ont_graph` mixing copies only RDFS/OWL axioms, not SKOS concept data, and RDFS inference adds
nothing the shapes use, so neither is used. SHACL-SPARQL constraints run once per focus node; their
queries are parsed once and reused (parsing, not evaluation, is what costs).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import Namespace
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result

from kg.errors import KGError
from kg.namespaces import PREFIXES, RDF, RDFS, SKOS
from kg.rdf.convert import union_graph

ONTOLOGY_DIR = Path(__file__).resolve().parents[2] / "ontology"
SHAPES_PATH = ONTOLOGY_DIR / "shapes.ttl"
ONTOLOGY_PATH = ONTOLOGY_DIR / "kg.ttl"
SH = Namespace("http://www.w3.org/ns/shacl#")
SEVERITY_ORDER = {"violation": 0, "warning": 1, "info": 2}
_SCHEMA_PREDICATES = (RDFS.subClassOf, SKOS.inScheme)
_IRI_IN_TEXT = re.compile(r"https?://[^\s<>\"'(){}]+[^\s<>\"'(){}.,;:]")


class Violation(NamedTuple):
    """One validation result: severity ('violation', 'warning' or 'info'), focus node, path, message."""

    severity: str
    focus: str
    path: str
    message: str

    def line(self) -> str:
        """The result as one line: 'severity: <focus> path: message'."""
        path = f" {self.path}" if self.path else ""
        return f"{self.severity}: {self.focus}{path}: {self.message}"


@dataclass(frozen=True)
class ValidationReport:
    """What `validate` found: conforms is False only when some result has severity sh:Violation."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    text: str = ""

    def count(self, severity: str) -> int:
        """How many results have SEVERITY ('violation', 'warning' or 'info')."""
        return sum(1 for v in self.violations if v.severity == severity)


@functools.lru_cache(maxsize=64)
def _prepared(query: str) -> Query:
    """A parsed SPARQL query, cached by its text: shapes repeat the same few queries per focus node."""
    return prepareQuery(query)


class _PreparedQueryGraph(Graph):
    """An rdflib Graph that parses each distinct query text once (see `_prepared`)."""

    def query(self, query_object: str | Query, processor: Any = "sparql", result: Any = "sparql",
              initNs: Any = None, initBindings: Any = None, use_store_provided: bool = True,
              **kwargs: Any) -> Result:
        """Run QUERY_OBJECT, replacing query text by its cached parse when no initNs is given."""
        if isinstance(query_object, str) and not initNs and processor == "sparql":
            query_object = _prepared(query_object)
        return super().query(query_object, processor, result, initNs, initBindings, use_store_provided,
                             **kwargs)


@functools.lru_cache(maxsize=8)
def load_shapes(path: str | None = None) -> Graph:
    """The shapes graph at PATH (default ontology/shapes.ttl), parsed once per path and cached."""
    source = Path(path or SHAPES_PATH)
    if not source.is_file():
        raise KGError(f"no shapes file at {source}")
    try:
        return Graph().parse(str(source), format="turtle")
    except (SyntaxError, ValueError) as exc:
        raise KGError(f"{source}: not valid Turtle: {exc}") from exc


@functools.lru_cache(maxsize=8)
def ontology_schema(path: str | None = None) -> tuple[tuple, ...]:
    """The triples of the ontology at PATH that SHACL consults (subclasses, concept schemes), cached."""
    ont = Graph().parse(str(path or ONTOLOGY_PATH), format="turtle")
    return tuple(t for p in _SCHEMA_PREDICATES for t in ont.triples((None, p, None)))


def _qname(node: URIRef) -> str:
    """NODE as prefix:local with kg's prefixes, or <iri> when no prefix fits."""
    iri = str(node)
    best = max((ns for ns in PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
    if best is None or not iri[len(best):].replace("_", "a").replace("-", "a").isalnum():
        return f"<{iri}>"
    prefix = next(p for p, ns in PREFIXES.items() if ns == best)
    return f"{prefix}:{iri[len(best):]}"


def _shorten(text: str) -> str:
    """TEXT with every vocabulary IRI in it written as prefix:local (instance IRIs stay whole)."""
    def short(match: re.Match) -> str:
        name = _qname(URIRef(match.group()))
        return match.group() if name.startswith("<") else name
    return _IRI_IN_TEXT.sub(short, text)


def _node_text(node: object) -> str:
    """A focus node as text: <iri>, _:id or a literal in N3."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, Literal):
        return node.n3()
    return str(node)


def _path_text(graph: Graph, path: object) -> str:
    """A SHACL property path in SPARQL syntax: org:member, ^eli:has_part, (a|b), a/b, a*."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return _qname(path)
    for predicate, fmt in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"),
                           (SH.oneOrMorePath, "{}+"), (SH.zeroOrOnePath, "{}?")):
        inner = graph.value(path, predicate)
        if inner is not None:
            return fmt.format(_path_text(graph, inner))
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path_text(graph, p) for p in Collection(graph, alternatives)) + ")"
    if graph.value(path, RDF.first) is not None:
        return "/".join(_path_text(graph, p) for p in Collection(graph, path))
    return _node_text(path)


def _results(report: Graph) -> list[Violation]:
    """The top-level results of a pySHACL report graph, sorted and without duplicates."""
    found = set()
    for top in report.subjects(RDF.type, SH.ValidationReport):
        for result in report.objects(top, SH.result):
            severity = report.value(result, SH.resultSeverity)
            name = str(severity).rsplit("#", 1)[-1].lower() if severity is not None else "violation"
            messages = sorted(_shorten(str(m)) for m in report.objects(result, SH.resultMessage))
            found.add(Violation(
                severity=name,
                focus=_node_text(report.value(result, SH.focusNode)),
                path=_path_text(report, report.value(result, SH.resultPath)),
                message="; ".join(messages) or "(no message)",
            ))
    return sorted(found, key=lambda v: (SEVERITY_ORDER.get(v.severity, 9), v.focus, v.path, v.message))


def _plural(n: int, word: str) -> str:
    """'1 warning', '2 warnings'."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(violations: list[Violation], triples: int) -> str:
    """One line that counts the results: 'the graph conforms: 0 violations, 1 warning in 1234 triples'."""
    errors = sum(1 for v in violations if v.severity == "violation")
    warnings = sum(1 for v in violations if v.severity == "warning")
    verdict = "does not conform" if errors else "conforms"
    counts = f"{_plural(errors, 'violation')}, {_plural(warnings, 'warning')}"
    return f"the graph {verdict}: {counts} in {triples} triples"


def validate(data: Graph, shapes_path: str | Path | None = None,
             ontology_path: str | Path | None = None) -> ValidationReport:
    """Validate DATA (an rdflib Graph or Dataset; all named graphs together) against the SHACL shapes."""
    graph = union_graph(data, into=_PreparedQueryGraph())
    triples = len(graph)
    for triple in ontology_schema(str(ontology_path) if ontology_path else None):
        graph.add(triple)
    shapes = load_shapes(str(shapes_path) if shapes_path else None)
    _, report_graph, _ = pyshacl.validate(
        graph, shacl_graph=shapes, inference="none", advanced=True, inplace=True,
        allow_warnings=True, allow_infos=True,
    )
    violations = _results(report_graph)
    lines = [v.line() for v in violations] + [summary(violations, triples)]
    conforms = not any(v.severity == "violation" for v in violations)
    return ValidationReport(conforms=conforms, violations=violations, text="\n".join(lines))
