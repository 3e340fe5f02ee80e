"""Person identity across documents. The same normalised full name is one IRI already (minted from the
name). A person the text names only by initials ("Иванова О.П.") keeps the IRI of that form, and is linked
with `owl:sameAs` to a full-name person only when surname, initials and an organisation agree and exactly one
full-name person fits: two people who share a surname and initials but work elsewhere stay apart."""
from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from kg.namespaces import FOAF, LKG, OPENGOV, ORG, OWL
from kg.rdf.mapping import Emitter

NAME_PARTS = {part: f"SELECT DISTINCT ?p ?v WHERE {{ ?p <{prop}> ?v }}" for part, prop in
              (("family", FOAF.familyName), ("given", FOAF.givenName), ("patr", LKG.patronymic),
               ("initials", LKG.initials))}
WORKPLACES = [f"SELECT DISTINCT ?p ?org WHERE {{ ?m <{ORG.member}> ?p ; <{ORG.organization}> ?org }}",
              f"SELECT DISTINCT ?p ?org WHERE {{ ?m <{ORG.member}> ?p ; <{OPENGOV.onBehalfOf}> ?org }}"]
BODIES = f"SELECT DISTINCT ?b WHERE {{ ?b a <{LKG.Body}> }}"


def _fold(s: str) -> str:
    """Lower case with ё folded."""
    return s.lower().replace("ё", "е")


def initials_of(given: str, patronymic: str | None) -> str:
    """'Ольга', 'Петровна' → 'о.п.' (folded), the form initials are compared in."""
    return "".join(f"{_fold(x)[0]}." for x in (given, patronymic) if x)


def identity_quads(store: ox.Store, graph: str) -> list[ox.Quad]:
    """`owl:sameAs` links from initials-only people to the one full-name person they must be."""
    bodies = {r["b"].value for r in store.query(BODIES, use_default_graph_as_union=True)}
    works: dict[str, set[str]] = defaultdict(set)
    for q in WORKPLACES:
        for r in store.query(q, use_default_graph_as_union=True):
            if r["org"].value not in bodies:
                works[r["p"].value].add(r["org"].value)
    full: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(dict)
    short: dict[str, tuple[str, str, set[str]]] = {}
    parts: dict[str, dict[str, str]] = {k: {} for k in NAME_PARTS}
    for k, q in NAME_PARTS.items():
        for row in store.query(q, use_default_graph_as_union=True):
            parts[k].setdefault(row["p"].value, row["v"].value)
    for p, family in parts["family"].items():
        fam = _fold(family)
        if p in parts["given"]:
            key = (fam, initials_of(parts["given"][p], parts["patr"].get(p)))
            full[key][p] = works.get(p, set())
        elif p in parts["initials"]:
            short[p] = (fam, _fold(parts["initials"][p]).replace(" ", ""), works.get(p, set()))
    e = Emitter(graph)
    for p, (fam, ini, orgs) in sorted(short.items()):
        fits = [q for q, qorgs in full.get((fam, ini), {}).items() if orgs & qorgs]
        if len(fits) == 1:
            e.add(p, OWL.sameAs, fits[0])
            e.add(fits[0], OWL.sameAs, p)
    return e.quads
