"""Canned and ad-hoc SPARQL queries, run on the embedded store or on a SPARQL endpoint with bound parameters.

A canned query is `queries/NAME.rq`, whose header comment says what it is and what it takes:

    # title: Members of a body on a date
    # description: … (continued on indented comment lines)
    # param: body (iri) — the body: its IRI, or a part of its label
    # param: date (date) — the day (default today)
    # returns: person, personName, …

A parameter binds the variable of its name to an RDF term, never to query text: on the embedded store
through Oxigraph's substitutions (SEP-0007; the variable must be in the SELECT clause), on an endpoint
through a VALUES clause written with `kg.formats.term_to_sparql`. Parameter types: `string` (the
default), `iri` (an IRI when the value is an absolute IRI, else a string), `date` (YYYY-MM-DD, YYYY-MM or
YYYY as xsd:date, xsd:gYearMonth or xsd:gYear; the default `today` is the current day), `integer`, and
the entity kinds `body` and `person` (an IRI, or part of a label: see `kg.resolve`, which looks the entity
up before the query runs and binds `?NAMEIri` to each match).
"""
from __future__ import annotations

import datetime as dt
import importlib.resources
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import QueryError
from kg.formats import QueryResult, check_iri
from kg.rdf.store import open_store
from kg.remote import inject_rows, inject_values, run_remote
from kg.resolve import ENTITY_KINDS, Runner, entity_values

DEFAULT_STORE = "out/kg"
XSD = "http://www.w3.org/2001/XMLSchema#"
PARAM_TYPES = ("string", "iri", "date", "integer", *ENTITY_KINDS)
_KEY = re.compile(r"^#\s*(title|description|param|returns):\s*(.*?)\s*$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s*(?:\((?P<kind>[\w-]+)\))?\s*(?:—|–|--?)\s*(?P<text>.*?)"
                    r"\s*(?:\(default\s+(?P<default>[^()]*)\))?$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DATE_TYPES = {1: "gYear", 2: "gYearMonth", 3: "date"}


@dataclass(frozen=True)
class Param:
    """A parameter a canned query declares: `# param: NAME (TYPE) — meaning (default VALUE)`."""

    name: str
    kind: str = "string"
    description: str = ""
    default: str | None = None


@dataclass(frozen=True)
class CannedQuery:
    """A query file with its header: title, description, parameters and the variables it returns."""

    name: str
    path: Path
    text: str
    title: str
    description: str
    params: tuple[Param, ...]
    returns: tuple[str, ...]


def queries_dir() -> Path:
    """The folder of canned queries: `kg/queries` when packaged with kg, else `queries/` beside the package."""
    packaged = importlib.resources.files("kg").joinpath("queries")
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "queries"


def parse_header(text: str, source: str = "query") -> tuple[str, str, tuple[Param, ...], tuple[str, ...]]:
    """Title, description, parameters and returned variables from the header comment of a query."""
    fields: list[list[str]] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _KEY.match(line)
        if m:
            fields.append([m.group(1), m.group(2)])
        elif fields and line[1:].strip():
            fields[-1][1] += " " + line[1:].strip()
    title = " ".join(v for k, v in fields if k == "title")
    returns = tuple(v.strip().lstrip("?") for k, val in fields if k == "returns" for v in val.split(",") if v.strip())
    if not title or not returns:
        raise QueryError(f"{source}: the header needs '# title:' and '# returns:' lines")
    params = []
    for key, value in fields:
        if key != "param":
            continue
        m = _PARAM.match(value)
        if not m or (m.group("kind") or "string") not in PARAM_TYPES:
            raise QueryError(f"{source}: cannot read '# param: {value}' (want 'NAME (TYPE) — meaning (default X)', "
                             f"TYPE one of {', '.join(PARAM_TYPES)})")
        params.append(Param(m.group("name"), m.group("kind") or "string", m.group("text"), m.group("default")))
    description = " ".join(v for k, v in fields if k == "description")
    return title, description, tuple(params), returns


def read_query(path: Path, name: str | None = None) -> CannedQuery:
    """The canned query in the file at PATH."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise QueryError(f"cannot read {path}: {exc.strerror or exc}") from exc
    title, description, params, returns = parse_header(text, str(path))
    return CannedQuery(name or path.stem, path, text, title, description, params, returns)


def list_queries(directory: Path | None = None) -> list[CannedQuery]:
    """Every canned query, by name."""
    return [read_query(p) for p in sorted((directory or queries_dir()).glob("*.rq"))]


def load_query(name: str, directory: Path | None = None) -> CannedQuery:
    """The canned query NAME, or a query file when NAME is a path to a `.rq` file."""
    if name.endswith(".rq") and Path(name).is_file():
        return read_query(Path(name))
    folder = directory or queries_dir()
    path = folder / f"{name}.rq"
    if not re.fullmatch(r"[\w-]+", name) or not path.is_file():
        known = ", ".join(p.stem for p in sorted(folder.glob("*.rq"))) or "none"
        raise QueryError(f"no canned query named {name!r}; known: {known}")
    return read_query(path, name)


def looks_like_iri(value: str) -> bool:
    """Whether VALUE is an absolute IRI that may be written as one (scheme, no forbidden characters)."""
    try:
        check_iri(value)
        ox.NamedNode(value)
    except (QueryError, ValueError):
        return False
    return True


def to_term(param: Param, value: str, today: dt.date | None = None) -> Any:
    """The RDF term that VALUE stands for as a value of PARAM."""
    if param.kind == "iri" or param.kind in ENTITY_KINDS:
        return ox.NamedNode(value) if looks_like_iri(value) else ox.Literal(value)
    if param.kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", value.strip()):
            raise QueryError(f"parameter {param.name}: {value!r} is not an integer")
        return ox.Literal(int(value))
    if param.kind == "date":
        if value == "today":
            value = (today or dt.date.today()).isoformat()
        m = _DATE.match(value)
        parts = [int(g) for g in m.groups() if g] if m else []
        try:
            dt.date(parts[0], *(parts[1:] + [1, 1])[:2]) if parts else None
        except ValueError:
            parts = []
        if not parts:
            raise QueryError(f"parameter {param.name}: {value!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
        return ox.Literal(value, datatype=ox.NamedNode(XSD + _DATE_TYPES[len(parts)]))
    return ox.Literal(value)


def bind_params(query: CannedQuery, values: Mapping[str, str], today: dt.date | None = None) -> dict[str, Any]:
    """Terms for the parameters of QUERY from VALUES and the declared defaults; unknown or missing ones fail."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        known = ", ".join(declared) if declared else "none (it takes no parameters)"
        raise QueryError(f"query {query.name} has no parameter {unknown[0]!r}; known: {known}")
    terms = {}
    for p in query.params:
        value = values.get(p.name, p.default)
        if value is None:
            raise QueryError(f"query {query.name} needs --param {p.name}=VALUE ({p.description})")
        terms[p.name] = to_term(p, value, today)
    return terms


def guess_terms(values: Mapping[str, str]) -> dict[str, Any]:
    """Terms for parameters of an ad-hoc query: IRIs where the value is an absolute IRI, else strings."""
    return {k: ox.NamedNode(v) if looks_like_iri(v) else ox.Literal(v) for k, v in values.items()}


def _first_line(message: object) -> str:
    """The first non-empty line of MESSAGE, for one-line errors."""
    lines = [ln.strip() for ln in str(message).splitlines() if ln.strip()]
    return lines[0][:300] if lines else "unknown error"


def query_store(store: ox.Store, text: str, terms: Mapping[str, Any] | None = None) -> QueryResult:
    """Run TEXT on an open pyoxigraph STORE over the union of its graphs, TERMS bound by substitution."""
    terms = terms or {}
    subs = {ox.Variable(k): v for k, v in terms.items()} or None
    try:
        answer = store.query(text, use_default_graph_as_union=True, substitutions=subs)
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(answer))
        if isinstance(answer, ox.QueryTriples):
            return QueryResult("graph", triples=list(answer))
        names = [v.value for v in answer.variables]
        return QueryResult("select", names, [tuple(s[n] for n in names) for s in answer])
    except SyntaxError as exc:
        raise QueryError(f"the query is not valid SPARQL: {_first_line(exc)}") from exc
    except (RuntimeError, OSError, ValueError) as exc:
        raise QueryError(f"the query failed: {_first_line(exc)}") from exc


def _runner(store_path: str | Path | None, endpoint: str | None, **remote: Any) -> Runner:
    """A function running query text with terms bound: on ENDPOINT when given, else on the store (opened once)."""
    if endpoint:
        return lambda text, terms: run_remote(inject_values(text, terms), endpoint, **remote)
    store = open_store(store_path or DEFAULT_STORE)
    return lambda text, terms: query_store(store, text, terms)


def _bind_entities(text: str, terms: Mapping[str, Any], entities: Mapping[str, str],
                   run: Runner) -> tuple[str, dict[str, Any]]:
    """TEXT with the ENTITIES among TERMS looked up with RUN and bound in a VALUES clause; the other terms."""
    if not entities:
        return text, dict(terms)
    names = [v for n in entities for v in (n, n + "Iri")]
    rest = {k: v for k, v in terms.items() if k not in entities}
    return inject_rows(text, names, entity_values(entities, terms, run)), rest


def _execute(text: str, terms: Mapping[str, Any], store_path: str | Path | None, endpoint: str | None,
             entities: Mapping[str, str] | None = None, **remote: Any) -> QueryResult:
    """Run TEXT with TERMS bound, on ENDPOINT when given, else on the store; ENTITIES (parameter name → kind)
    are looked up first and bound, with their matches, in a VALUES clause."""
    run = _runner(store_path, endpoint, **remote)
    text, rest = _bind_entities(text, terms, entities or {}, run)
    return run(text, rest)


def entity_params(query: CannedQuery) -> dict[str, str]:
    """The parameters of QUERY that name an entity, with their kinds."""
    return {p.name: p.kind for p in query.params if p.kind in ENTITY_KINDS}


def prepared_text(query: CannedQuery, terms: Mapping[str, Any], store_path: str | Path | None = None,
                  endpoint: str | None = None, **remote: Any) -> str:
    """The text of QUERY with every parameter in TERMS written into VALUES clauses, entities looked up on the
    store or ENDPOINT: what `kg query` sends to an endpoint, and a query any SPARQL 1.1 engine can run as is."""
    run = _runner(store_path, endpoint, **remote)
    text, rest = _bind_entities(query.text, terms, entity_params(query), run)
    return inject_values(text, rest)


def run_query(name: str, params: Mapping[str, str] | None = None, store_path: str | Path | None = None,
              endpoint: str | None = None, *, directory: Path | None = None, today: dt.date | None = None,
              **remote: Any) -> QueryResult:
    """Run the canned query NAME with PARAMS (strings) on the store or on ENDPOINT (user, password, timeout, auth)."""
    query = load_query(name, directory)
    return _execute(query.text, bind_params(query, params or {}, today), store_path, endpoint,
                    entity_params(query), **remote)


def read_sparql(text_or_file: str) -> str:
    """The query text: the file's content when TEXT_OR_FILE names a file, else the text itself."""
    path = Path(text_or_file)
    try:
        is_file = "\n" not in text_or_file and path.is_file()
    except (OSError, ValueError):  # too long for a file name, or a NUL in it: query text
        is_file = False
    if is_file:
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"cannot read {path}: {exc}") from exc
    if re.fullmatch(r"\S+\.(rq|sparql)", text_or_file.strip()):
        raise QueryError(f"no such query file: {text_or_file}")
    return text_or_file


def run_sparql(text_or_file: str, params: Mapping[str, str] | None = None, store_path: str | Path | None = None,
               endpoint: str | None = None, **remote: Any) -> QueryResult:
    """Run any SPARQL 1.1 query (text or a file) on the store or on ENDPOINT; PARAMS bind selected variables."""
    return _execute(read_sparql(text_or_file), guess_terms(params or {}), store_path, endpoint, **remote)
