"""Membership history across documents: a removal in a later document ends the membership an earlier
admission opened (the same person may hold several disjoint memberships of one body)."""
from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, NamedTuple

from kg.namespaces import DCAT, LKG, OWL
from kg.rdf.lines import Lines, literal_value

if TYPE_CHECKING:
    from kg.derived import Facts


class Membership(NamedTuple):
    """What one graph states of a membership (or affiliation), with terms as codes (kg/rdf/lines.py)."""

    m: str
    person: str
    org: str
    period: str | None = None
    start: str | None = None
    end: str | None = None
    established: str | None = None
    terminated: str | None = None
    reason: str | None = None


def history_lines(facts: Facts, base: str, graph: str) -> list[str]:
    """Derived statements that close each admitted membership at the first later removal of that person
    from that body: the removal item, the end date, the reason, and `owl:sameAs` between the two records.

    FACTS holds the membership records of every graph (kg/derived.py); the statements come as N-Quads lines."""
    opens: dict[tuple[str, str], dict[str, Membership]] = defaultdict(dict)
    closes: dict[tuple[str, str], dict[str, Membership]] = defaultdict(dict)
    for rec in facts.memberships(facts.bodies).values():
        (opens if rec.established is not None else closes)[(rec.person, rec.org)][rec.m] = rec
    e = Lines(base, graph)
    for key, removals in closes.items():
        # by date; on the same date (or none) by the item that states it, so in the order of the documents' names
        candidates = sorted(opens.get(key, {}).values(),
                            key=lambda r: (literal_value(r.start) or "", r.established, r.m))
        taken: set[str] = set()
        for rem in sorted(removals.values(), key=lambda r: (literal_value(r.end) or "9999", r.terminated or "", r.m)):
            end = literal_value(rem.end)
            before = [o for o in candidates if o.m not in taken and o.end is None
                      and (end is None or (o.start is not None and literal_value(o.start) <= end))]
            if not before:
                continue
            o = before[-1]
            taken.add(o.m)
            if rem.terminated is not None:
                e.add(o.m, str(LKG.terminatedBy), rem.terminated)
            if rem.end is not None and o.period is not None:
                e.add(o.period, str(DCAT.endDate), rem.end)
            if rem.reason is not None:
                e.add(o.m, str(LKG.endReason), rem.reason)
            e.add(rem.m, str(OWL.sameAs), o.m)
    return e.lines
