"""Preferred labels of entities the authority file does not know (organisations, bodies, places minted from
documents, and posts): each document states the name it saw as a `skos:altLabel`; the build picks one
`skos:prefLabel` per language — the form most documents use, then the shortest, then the first in code-point
order — and states it once, so that queries over the union of graphs meet it once."""
from __future__ import annotations

from collections import Counter, defaultdict

import pyoxigraph as ox

from kg.namespaces import LKG, ORG, RDF, SKOS
from kg.rdf.mapping import Emitter

ALT = f"""SELECT ?s ?label ?g ?prefix WHERE {{ GRAPH ?g {{ ?s <{SKOS.altLabel}> ?label }}
  FILTER(STRSTARTS(STR(?s), ?prefix)) }}"""


def preferred_label_quads(store: ox.Store, base: str, graph: str) -> list[ox.Quad]:
    """One prefLabel per language for every minted ('x-…') organisation, body and place."""
    seen: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for kind in ("org/x-", "body/x-", "place/x-", "post/"):
        subs = {ox.Variable("prefix"): ox.Literal(base + kind)}
        for row in store.query(ALT, substitutions=subs):
            lab = row["label"]
            seen[(row["s"].value, lab.language or "")][lab.value] += 1
    e = Emitter(graph)
    for (s, lang), counts in sorted(seen.items()):
        best = min(counts, key=lambda v: (-counts[v], len(v), v))
        e.lit(s, SKOS.prefLabel, best, lang or None)
        if s.startswith(base + "post/"):
            e.add(s, RDF.type, LKG.Post)
            e.add(s, RDF.type, ORG.Role)
    return e.quads
