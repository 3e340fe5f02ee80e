"""Preferred labels of entities the authority file does not know (organisations, bodies, places minted from
documents, and posts): each document states the name it saw as a `skos:altLabel`; the build picks one
`skos:prefLabel` per language — the form most documents use, then the shortest, then the first in code-point
order — and states it once, so that queries over the union of graphs meet it once."""
from __future__ import annotations

from collections import Counter, defaultdict

from kg.namespaces import LKG, ORG, RDF, SKOS
from kg.rdf.lines import Lines

LABELLED = ("org/x-", "body/x-", "place/x-", "post/")  # kinds of IRIs (under the base) that get a prefLabel here


def preferred_label_lines(labels: Counter, base: str, graph: str) -> list[str]:
    """One prefLabel per language for every minted ('x-…') organisation, body and place, and every post, as
    N-Quads lines. LABELS counts, for each (thing's term code, label, language or ''), the graphs that state it
    as an altLabel (kg/derived.py)."""
    seen: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for (s, value, lang), n in labels.items():
        if s.startswith(LABELLED):
            seen[(s, lang)][value] += n
    e = Lines(base, graph)
    for (s, lang), counts in sorted(seen.items()):
        best = min(counts, key=lambda v: (-counts[v], len(v), v))
        e.lit(s, str(SKOS.prefLabel), best, lang or None)
        if s.startswith("post/"):
            e.add(s, str(RDF.type), "<" + str(LKG.Post))
            e.add(s, str(RDF.type), "<" + str(ORG.Role))
    return e.lines
