"""Membership history across documents: a removal in a later document ends the membership an earlier
admission opened (the same person may hold several disjoint memberships of one body)."""
from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from kg.namespaces import DCAT, LKG, ORG, OWL
from kg.rdf.mapping import Emitter

MEMBERSHIPS = f"""SELECT DISTINCT ?m ?person ?body WHERE {{
  ?m <{ORG.member}> ?person ; <{ORG.organization}> ?body . ?body a <{LKG.Body}> }}"""
# each property on its own: optional patterns over a large graph are far slower than separate look-ups
PROPERTY = {
    "period": f"SELECT DISTINCT ?m ?v WHERE {{ ?m <{ORG.memberDuring}> ?v }}",
    "start": f"SELECT DISTINCT ?m ?v WHERE {{ ?m <{ORG.memberDuring}> ?d . ?d <{DCAT.startDate}> ?v }}",
    "end": f"SELECT DISTINCT ?m ?v WHERE {{ ?m <{ORG.memberDuring}> ?d . ?d <{DCAT.endDate}> ?v }}",
    "est": f"SELECT DISTINCT ?m ?v WHERE {{ ?m <{LKG.establishedBy}> ?v }}",
    "term": f"SELECT DISTINCT ?m ?v WHERE {{ ?m <{LKG.terminatedBy}> ?v }}",
    "reason": f"SELECT DISTINCT ?m ?v WHERE {{ ?m <{LKG.endReason}> ?v }}",
}


def history_quads(store: ox.Store, graph: str) -> list[ox.Quad]:
    """Derived statements that close each admitted membership at the first later removal of that person
    from that body: the removal item, the end date, the reason, and `owl:sameAs` between the two records."""
    opens: dict[tuple[str, str], dict[str, dict]] = defaultdict(dict)
    closes: dict[tuple[str, str], dict[str, dict]] = defaultdict(dict)
    props: dict[str, dict[str, ox.Term]] = {k: {} for k in PROPERTY}
    for k, q in PROPERTY.items():
        for row in store.query(q, use_default_graph_as_union=True):
            props[k].setdefault(row["m"].value, row["v"])
    for row in store.query(MEMBERSHIPS, use_default_graph_as_union=True):
        m = row["m"].value
        rec = {"m": row["m"], **{k: props[k].get(m) for k in PROPERTY}}
        key = (row["person"].value, row["body"].value)
        (opens if rec["est"] is not None else closes)[key][m] = rec
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
