"""HTTP content negotiation: the best of the server's offers for an Accept header (q-values, wildcards)."""
from __future__ import annotations

import re

RESULT_TYPES = (  # SELECT and ASK results; the first is the default
    ("application/sparql-results+json", "json"),
    ("application/sparql-results+xml", "xml"),
    ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv"),
    ("application/json", "json"),
    ("application/xml", "xml"),
    ("text/xml", "xml"),
)
GRAPH_TYPES = (  # CONSTRUCT and DESCRIBE results, entity descriptions
    ("text/turtle", "ttl"),
    ("application/ld+json", "jsonld"),
    ("application/n-triples", "nt"),
    ("application/rdf+xml", "xml"),
    ("application/json", "jsonld"),
    ("text/plain", "nt"),
)
HTML = ("text/html", "html")
_RANGE = re.compile(r"^\s*([\w.+*-]+)/([\w.+*-]+)\s*(.*)$")


def parse_accept(header: str | None) -> list[tuple[str, str, float]]:
    """(type, subtype, q) for each media range of an Accept header; no header accepts everything."""
    if not header or not header.strip():
        return [("*", "*", 1.0)]
    ranges = []
    for part in header.split(","):
        m = _RANGE.match(part)
        if not m:
            continue
        q = 1.0
        for param in m.group(3).split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((m.group(1).lower(), m.group(2).lower(), q))
    return ranges


def quality(media_type: str, ranges: list[tuple[str, str, float]]) -> float:
    """The q-value the client gives MEDIA_TYPE: that of the most specific range matching it (0 if none)."""
    main, _, sub = media_type.partition("/")
    best, best_specificity = 0.0, -1
    for rtype, rsub, q in ranges:
        if rtype == main and rsub == sub:
            specificity = 2
        elif rtype == main and rsub == "*":
            specificity = 1
        elif rtype == "*" and rsub == "*":
            specificity = 0
        else:
            continue
        if specificity > best_specificity:
            best, best_specificity = q, specificity
    return best


def negotiate(header: str | None, offers: tuple[tuple[str, str], ...]) -> tuple[str, str] | None:
    """The (media type, format) of OFFERS the client likes best (ties: the earlier offer); None if none."""
    ranges = parse_accept(header)
    best, best_q = None, 0.0
    for offer in offers:
        q = quality(offer[0], ranges)
        if q > best_q:
            best, best_q = offer, q
    return best
