"""Membership history across documents: a removal in a later document ends the membership an earlier
admission opened (the same person may hold several disjoint memberships of one body)."""
from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from kg.namespaces import DCAT, LKG, ORG, OWL
from kg.rdf.mapping import Emitter

MEMBERSHIPS = f"""SELECT DISTINCT ?m ?person ?body ?period ?est ?term ?start ?end ?reason WHERE {{
  ?m a <{ORG.Membership}> ; <{ORG.member}> ?person ; <{ORG.organization}> ?body .
  ?body a <{LKG.Body}> .
  OPTIONAL {{ ?m <{ORG.memberDuring}> ?period .
             OPTIONAL {{ ?period <{DCAT.startDate}> ?start }} OPTIONAL {{ ?period <{DCAT.endDate}> ?end }} }}
  OPTIONAL {{ ?m <{LKG.establishedBy}> ?est }}
  OPTIONAL {{ ?m <{LKG.terminatedBy}> ?term }}
  OPTIONAL {{ ?m <{LKG.endReason}> ?reason }}
}}"""


def history_quads(store: ox.Store, graph: str) -> list[ox.Quad]:
    """Derived statements that close each admitted membership at the first later removal of that person
    from that body: the removal item, the end date, the reason, and `owl:sameAs` between the two records."""
    opens: dict[tuple[str, str], dict[str, dict]] = defaultdict(dict)
    closes: dict[tuple[str, str], dict[str, dict]] = defaultdict(dict)
    for row in store.query(MEMBERSHIPS, use_default_graph_as_union=True):
        key = (row["person"].value, row["body"].value)
        rec = {k: row[k] for k in ("m", "period", "est", "term", "start", "end", "reason")}
        (opens if row["est"] is not None else closes)[key][row["m"].value] = rec
    e = Emitter(graph)
    for key, removals in closes.items():
        candidates = sorted(opens.get(key, {}).values(), key=lambda r: (r["start"].value if r["start"] else ""))
        taken: set[str] = set()
        for rem in sorted(removals.values(), key=lambda r: (r["end"].value if r["end"] else "9999")):
            end = rem["end"].value if rem["end"] else None
            before = [o for o in candidates if o["m"].value not in taken and o["end"] is None
                      and (end is None or (o["start"] is not None and o["start"].value <= end))]
            if not before:
                continue
            o = before[-1]
            taken.add(o["m"].value)
            e.add(o["m"].value, LKG.terminatedBy, rem["term"])
            if rem["end"] is not None and o["period"] is not None:
                e.add(o["period"].value, DCAT.endDate, rem["end"])
            if rem["reason"] is not None:
                e.add(o["m"].value, LKG.endReason, rem["reason"])
            e.add(rem["m"].value, OWL.sameAs, o["m"])
    return e.quads
