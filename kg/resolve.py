"""Parameters that name an entity of the graph: a body or a person, given by its IRI or by a case-insensitive
part of one of its labels (`skos:prefLabel`, `skos:altLabel`, `foaf:name`).

Before a canned query runs, such a parameter is looked up once: a query with `# param: body (body) — …`
then receives one row per matching IRI in a VALUES clause at the start of its WHERE clause, binding
`?body` to the value as given (the rows echo it) and `?bodyIri` to the match. The query starts from the
matches instead of filtering every candidate, on the embedded store and on endpoints alike. A value that
matches nothing gives an empty VALUES block, hence no rows.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pyoxigraph as ox

from kg.formats import QueryResult
from kg.namespaces import FOAF, LKG

# the class an entity parameter of each kind names
ENTITY_KINDS = {"body": LKG.Body, "person": FOAF.Person}

LOOKUP = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT DISTINCT ?iri ?q ?class WHERE {
  ?iri a ?class .
  ?iri skos:prefLabel|skos:altLabel|foaf:name ?label .
  # the parameter goes into LCASE() as it is: STR() of it can garble non-Latin text (on Virtuoso)
  FILTER(CONTAINS(LCASE(STR(?label)), LCASE(?q)))
}
ORDER BY ?iri"""

Runner = Callable[[str, Mapping[str, Any]], QueryResult]


def matches(kind: str, value: Any, run: Runner) -> list[ox.NamedNode]:
    """The IRIs of the entities of KIND that VALUE names: itself when it is an IRI, else those with a label
    containing it (ignoring case), found with RUN (a query runner binding terms)."""
    if isinstance(value, ox.NamedNode):
        return [value]
    result = run(LOOKUP, {"q": value, "class": ox.NamedNode(str(ENTITY_KINDS[kind]))})
    return [row[0] for row in result.rows or [] if isinstance(row[0], ox.NamedNode)]


def entity_values(kinds: Mapping[str, str], terms: Mapping[str, Any], run: Runner) -> list[dict[str, Any]]:
    """The rows of the VALUES block for the entity parameters (name → kind in KINDS) bound in TERMS: every
    combination of their matches, each row binding NAME to the value and NAMEIri to a match."""
    rows: list[dict[str, Any]] = [{}]
    for name, kind in kinds.items():
        found = matches(kind, terms[name], run)
        rows = [{**row, name: terms[name], name + "Iri": iri} for row in rows for iri in found]
    return rows
