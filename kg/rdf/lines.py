"""Statements as N-Quads lines, for the whole-graph steps of a build (kg/derived.py): they write many statements
about things they know only from records, where terms are kept as short codes rather than as RDF objects."""
from __future__ import annotations

import pyoxigraph as ox

from kg.rdf.mapping import literal_code


def term_code(t: ox.NamedNode | ox.Literal | ox.BlankNode, base: str) -> str | None:
    """A term as a short string that records keep: an IRI under BASE as the rest of it, another IRI as '<' and
    the IRI, a literal as its N-Triples form (which starts with '"'); None for a blank node."""
    if isinstance(t, ox.NamedNode):
        v = t.value
        return v[len(base):] if v.startswith(base) else "<" + v
    if isinstance(t, ox.Literal):
        return str(t)
    return None


def iri_of(code: str, base: str) -> str:
    """The IRI a `term_code` of an IRI stands for."""
    return code[1:] if code.startswith("<") else base + code


def literal_value(code: str | None) -> str | None:
    """The lexical value of a literal's code (None for None)."""
    if code is None:
        return None
    raw = code[1:code.rindex('"')]
    if "\\" not in raw:
        return raw
    return next(ox.parse(f"<urn:s> <urn:p> {code} .", ox.RdfFormat.N_TRIPLES)).object.value


class Lines:
    """Collects statements of one graph as N-Quads lines, from subjects and objects given as `term_code`s (for
    whole-graph steps, which write many statements about things they know only by their codes)."""

    def __init__(self, base: str, graph: str):
        self.base, self.g = base, f"<{graph}>"
        self.lines: list[str] = []

    def term(self, code: str) -> str:
        """The N-Triples form of a term code."""
        return code if code.startswith('"') else f"<{iri_of(code, self.base)}>"

    def add(self, s: str, p: str, o: str) -> None:
        """Add (S, P, O): S and O are term codes, P an IRI."""
        self.lines.append(f"<{iri_of(s, self.base)}> <{p}> {self.term(o)} {self.g} .\n")

    def lit(self, s: str, p: str, value, lang: str | None = None) -> None:
        """Add a literal statement, typed as `Emitter.lit` types it."""
        o = literal_code(value, lang)
        if o is not None:
            self.add(s, p, o)
