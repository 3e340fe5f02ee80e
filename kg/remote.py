"""Queries on a remote SPARQL 1.1 endpoint (SPARQLWrapper), with parameters bound by a VALUES clause.

A remote endpoint has no substitutions, so a parameter enters the query text only as a serialised RDF
term (`kg.formats.term_to_sparql`: N-Triples escaping, checked IRIs and language tags) in a VALUES
clause at the start of the WHERE clause. Every HTTP or network failure becomes one QueryError line.
Answers are read into the same terms the embedded store gives: an xsd:boolean written "1" or "0" (as
Virtuoso writes them) becomes "true" or "false".
"""
from __future__ import annotations

import ast
import json
import os
import re
import urllib.error
from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox
from SPARQLWrapper import BASIC, DIGEST, JSON, POST, TURTLE, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    Unauthorized,
    URITooLong,
)

from kg.errors import QueryError
from kg.formats import QueryResult, term_from_json, term_to_sparql

DEFAULT_TIMEOUT = 60.0
USER_ENV, PASSWORD_ENV = "KG_ENDPOINT_USER", "KG_ENDPOINT_PASSWORD"
_IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_BOOLEAN_FORMS = {"1": "true", "0": "false"}  # xsd:boolean's other lexical forms, as Virtuoso writes them


def _skip(text: str, i: int) -> int:
    """The index after the comment, string or IRI that starts at I (I itself when none does)."""
    c = text[i]
    if c == "#":
        end = text.find("\n", i)
        return len(text) if end < 0 else end
    if c in "'\"":
        quote = c * 3 if text.startswith(c * 3, i) else c
        j = i + len(quote)
        while j < len(text) and not text.startswith(quote, j):
            j += 2 if text[j] == "\\" else 1
        return j + len(quote)
    if c == "<":
        m = _IRI.match(text, i)
        return m.end() if m else i
    return i


def strip_comments(text: str) -> str:
    """TEXT without its comments (strings and IRIs kept), so that no client mistakes a word in one for a keyword."""
    out, i = [], 0
    while i < len(text):
        j = _skip(text, i)
        if j == i:
            out.append(text[i])
            i += 1
            continue
        if text[i] != "#":
            out.append(text[i:j])
        i = j
    return "".join(out)


def where_brace(text: str) -> int:
    """The index of the '{' that opens the query's WHERE clause (after a CONSTRUCT template, if any)."""
    i, depth, skipped_template = 0, 0, False
    construct = re.search(r"(?i)\bCONSTRUCT\s*\{", text)
    while i < len(text):
        j = _skip(text, i)
        if j != i:
            i = j
            continue
        c = text[i]
        depth += (c == "(") - (c == ")")
        if c == "{" and depth == 0:
            if construct and not skipped_template and i == construct.end() - 1:
                skipped_template, level = True, 0
                while i < len(text):
                    k = _skip(text, i)
                    if k != i:
                        i = k
                        continue
                    level += (text[i] == "{") - (text[i] == "}")
                    i += 1
                    if level == 0:
                        break
                continue
            return i
        i += 1
    raise QueryError("cannot find the WHERE clause of the query")


def inject_rows(text: str, names: list[str], rows: list[Mapping[str, Any]]) -> str:
    """TEXT with `VALUES (?NAMES…) { ROWS }` at the start of its WHERE clause (no rows: no solutions)."""
    for n in names:
        if not re.fullmatch(r"[A-Za-z_]\w*", n):
            raise QueryError(f"not a variable name: {n!r}")
    body = " ".join("(" + " ".join(term_to_sparql(r[n]) for n in names) + ")" for r in rows)
    clause = f" VALUES ({' '.join('?' + n for n in names)}) {{ {body} }} "
    at = where_brace(text) + 1
    return text[:at] + clause + text[at:]


def inject_values(text: str, terms: Mapping[str, Any]) -> str:
    """TEXT with a VALUES clause binding TERMS at the start of its WHERE clause (for remote endpoints)."""
    return inject_rows(text, list(terms), [terms]) if terms else text


def canonical_term(term: Any) -> Any:
    """TERM with every xsd:boolean in it written canonically ("true"/"false", where Virtuoso sends "1"/"0")."""
    if isinstance(term, ox.Literal) and term.datatype.value == XSD_BOOLEAN and term.value in _BOOLEAN_FORMS:
        return ox.Literal(_BOOLEAN_FORMS[term.value], datatype=term.datatype)
    if isinstance(term, ox.Triple):
        return ox.Triple(canonical_term(term.subject), term.predicate, canonical_term(term.object))
    return term


def _first_line(data: Any) -> str:
    """The first non-empty line of an error body or message, shortened."""
    if isinstance(data, bytes):
        data = data.decode("utf-8", "replace")
    text = re.sub(r"<[^>]+>", " ", str(data))
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines[0][:200] if lines else ""


def _with_detail(message: str, exc: Exception) -> str:
    """MESSAGE followed by the first line of the body the server sent (SPARQLWrapper keeps it in its message)."""
    body = str(exc).partition("Response:\n")[2].strip()
    if body[:2] in ("b'", 'b"'):
        try:
            body = ast.literal_eval(body)
        except (ValueError, SyntaxError):
            pass
    detail = _first_line(body)
    return f"{message}: {detail}" if detail else message


def _client(text: str, endpoint: str, user: str | None, password: str | None, timeout: float | None,
            auth: str) -> SPARQLWrapper:
    """A SPARQLWrapper for TEXT on ENDPOINT with credentials (or KG_ENDPOINT_USER/PASSWORD) and timeout."""
    if not re.match(r"(?i)^https?://[^\s/]+", endpoint):
        raise QueryError(f"not an http(s) endpoint URL: {endpoint!r}")
    sw = SPARQLWrapper(endpoint)
    sw.setQuery(strip_comments(text))
    if sw.isSparqlUpdateRequest():
        raise QueryError("only queries run here (SELECT, ASK, CONSTRUCT, DESCRIBE), not updates")
    sw.setMethod(POST)
    sw.setRequestMethod(URLENCODED)
    sw.timeout = float(timeout or DEFAULT_TIMEOUT)  # setTimeout() would truncate 0.5 to 0, i.e. no timeout
    user = user or os.environ.get(USER_ENV)
    password = password if password is not None else os.environ.get(PASSWORD_ENV)
    if user:
        sw.setHTTPAuth(DIGEST if auth == "digest" else BASIC)
        sw.setCredentials(user, password or "")
    sw.setReturnFormat(TURTLE if sw.queryType in ("CONSTRUCT", "DESCRIBE") else JSON)
    return sw


def _fetch(sw: SPARQLWrapper, endpoint: str, timeout: float | None) -> tuple[bytes, str]:
    """The body and content type of the endpoint's answer; every failure is one QueryError line."""
    try:
        response = sw.query().response
        return response.read(), response.headers.get("Content-Type", "")
    except Unauthorized as exc:
        raise QueryError(f"{endpoint} refused the credentials (HTTP 401); "
                         f"give --user/--password or {USER_ENV}/{PASSWORD_ENV}") from exc
    except EndPointNotFound as exc:
        raise QueryError(f"no SPARQL endpoint at {endpoint} (HTTP 404)") from exc
    except QueryBadFormed as exc:
        raise QueryError(_with_detail(f"{endpoint} rejected the query (HTTP 400)", exc)) from exc
    except URITooLong as exc:
        raise QueryError(f"{endpoint} found the request too long (HTTP 414)") from exc
    except EndPointInternalError as exc:
        raise QueryError(_with_detail(f"{endpoint} failed (HTTP 500)", exc)) from exc
    except urllib.error.HTTPError as exc:
        raise QueryError(f"{endpoint} answered HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise QueryError(f"no answer from {endpoint} within {timeout or DEFAULT_TIMEOUT:g} s") from exc
        raise QueryError(f"cannot reach {endpoint}: {_first_line(exc.reason)}") from exc
    except TimeoutError as exc:
        raise QueryError(f"no answer from {endpoint} within {timeout or DEFAULT_TIMEOUT:g} s") from exc
    except (OSError, ValueError) as exc:
        raise QueryError(f"cannot query {endpoint}: {_first_line(exc) or type(exc).__name__}") from exc


def run_remote(text: str, endpoint: str, user: str | None = None, password: str | None = None,
               timeout: float | None = DEFAULT_TIMEOUT, auth: str = "basic") -> QueryResult:
    """Run TEXT on the SPARQL endpoint at ENDPOINT; a QueryResult like the embedded store's."""
    sw = _client(text, endpoint, user, password, timeout, auth)
    body, content_type = _fetch(sw, endpoint, timeout)
    if sw.queryType in ("CONSTRUCT", "DESCRIBE"):
        media = content_type.split(";")[0].strip() or "text/turtle"
        rdf_format = ox.RdfFormat.from_media_type(media) or ox.RdfFormat.TURTLE
        try:
            quads = ox.parse(body, format=rdf_format)
            return QueryResult("graph", triples=[canonical_term(ox.Triple(q.subject, q.predicate, q.object))
                                                  for q in quads])
        except (SyntaxError, ValueError) as exc:
            raise QueryError(f"{endpoint} sent RDF that cannot be read: {_first_line(exc)}") from exc
    try:
        data = json.loads(body)
        if "boolean" in data:
            return QueryResult("ask", boolean=bool(data["boolean"]))
        names = data["head"]["vars"]
        bindings = data["results"]["bindings"]
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names) or \
                not isinstance(bindings, list) or not all(isinstance(b, dict) for b in bindings):
            raise ValueError("malformed head or bindings")
        bnodes: dict[str, ox.BlankNode] = {}
        rows = [tuple(canonical_term(term_from_json(b[n], bnodes)) if n in b else None for n in names)
                for b in bindings]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise QueryError(f"{endpoint} did not answer with SPARQL JSON results") from exc
    return QueryResult("select", names, rows)

