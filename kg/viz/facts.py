"""What the views draw, read from the store in one-predicate scans joined in Python.

Each scan asks for one predicate or one class over the union of graphs (`SELECT DISTINCT`, so a triple
that recurs across document graphs comes once): the store walks one index and decodes only the terms it
returns. Joins, choices and filters happen here, in dicts; a query that joins many patterns costs the
store a lookup per row and is many times slower on large graphs. Where a resource has several values
for one field the smallest is kept, so the result does not depend on the order in which the store
answers. `read_facts(store, view)` reads only the parts VIEW draws.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from kg.namespaces import PREFIXES
from kg.viz.records import Affiliation, BodyMembership, Facts, Item, Link, Meeting, gc_paused, periods, year_of

__all__ = ["Affiliation", "BodyMembership", "Facts", "Item", "Link", "Meeting", "Reader", "periods",
           "read_facts", "year_of"]

_HEADER = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in sorted(PREFIXES.items()))
LABEL_LANGS = ("ru", "uk", "")
SCAN = "SELECT DISTINCT ?s ?o WHERE {{ ?s {p} ?o }}"
INSTANCES = "SELECT DISTINCT ?s WHERE {{ ?s a {c} }}"
# the kind of a resource by its most specific class: the first of these it has
KINDS = (("lkg:Body", "body"), ("lkg:LibrarySystem", "library_system"), ("lkg:Library", "library"),
         ("org:Organization", "organization"), ("foaf:Person", "person"), ("lkg:Meeting", "meeting"),
         ("lkg:ResolutionItem", "decision"), ("lkg:Place", "place"))
LABELS = ("skos:prefLabel", "foaf:name")
LINK_QUERY = """SELECT DISTINCT ?a ?b ?weight ?item WHERE {
  ?link a lkg:CooperationLink ; lkg:source ?a ; lkg:target ?b .
  OPTIONAL { ?link lkg:weight ?weight } OPTIONAL { ?link lkg:evidence ?item }
}"""
# the decisions links cite, with their fields: a small share of all decisions, so one join is cheaper here
EVIDENCE_QUERY = """SELECT DISTINCT ?item ?res ?number ?text ?position WHERE {
  ?link a lkg:CooperationLink ; lkg:evidence ?item . ?item a lkg:ResolutionItem ; eli:is_part_of ?res .
  OPTIONAL { ?item eli:number ?number } OPTIONAL { ?item prov:value ?text }
  OPTIONAL { ?item lkg:position ?position }
}"""
MEETING_FIELDS = (("date", "schema:startDate"), ("end", "schema:endDate"), ("body", "lkg:heldBy"),
                  ("topic", "dct:subject"))
MEMBERSHIP_FIELDS = (("org", "opengov:onBehalfOf"), ("established", "lkg:establishedBy"),
                     ("terminated", "lkg:terminatedBy"), ("quote", "lkg:quote"))
# (predicate, relation) the full view draws as they stand, besides decided_at and signed_by
RELATIONS = (("lkg:heldBy", "held_by"), ("prov:atLocation", "located_at"), ("lkg:host", "hosted_by"),
             ("eli:refers_to", "refers_to"), ("lkg:addressee", "addressed_to"),
             ("schema:location", "located_at"))
PARTS = ("links", "memberships", "affiliations", "relations")
# the parts each view reads besides kinds, labels, decisions and meetings (all of them for no view)
VIEW_PARTS = {"cooperation": ("links",), "membership": ("memberships", "affiliations"),
              "full": ("memberships", "affiliations", "relations"), "timeline": ("memberships",)}


class Reader:
    """Scans of one store, each run once and kept for the readers that share it."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._pairs: dict[str, list[tuple[str, ox.NamedNode | ox.Literal]]] = {}
        self._instances: dict[str, set[str]] = {}

    def rows(self, query: str) -> list[tuple]:
        """The rows of a SELECT over the union of all graphs, as tuples of terms (None where unbound)."""
        return [tuple(sol) for sol in self.store.query(_HEADER + query, use_default_graph_as_union=True)]

    def pairs(self, predicate: str) -> list[tuple[str, ox.NamedNode | ox.Literal]]:
        """(subject, object term) of every triple with PREDICATE (a prefixed name), once each."""
        if predicate not in self._pairs:
            self._pairs[predicate] = [(s.value, o) for s, o in self.rows(SCAN.format(p=predicate))]
        return self._pairs[predicate]

    def values(self, predicate: str) -> dict[str, list[str]]:
        """The lexical values of PREDICATE per subject."""
        out: dict[str, list[str]] = defaultdict(list)
        for s, o in self.pairs(predicate):
            out[s].append(o.value)
        return out

    def smallest(self, predicate: str) -> dict[str, str]:
        """The smallest non-empty value of PREDICATE per subject."""
        out: dict[str, str] = {}
        for s, o in self.pairs(predicate):
            v = o.value
            if v and (s not in out or v < out[s]):
                out[s] = v
        return out

    def instances(self, cls: str) -> set[str]:
        """The resources of class CLS (a prefixed name)."""
        if cls not in self._instances:
            self._instances[cls] = {s.value for (s,) in self.rows(INSTANCES.format(c=cls))}
        return self._instances[cls]


def _v(term: ox.NamedNode | ox.Literal | None) -> str:
    """The lexical value of a term, '' for an unbound one."""
    return "" if term is None else term.value


def _smallest(current: str, new: str) -> str:
    """Keep the smallest non-empty value, so that duplicates resolve the same way every time."""
    if not new:
        return current
    return new if not current or new < current else current


def _least(values: Iterable[str]) -> str:
    """The smallest non-empty value ('' when there is none)."""
    return min((v for v in values if v), default="")


def labels(r: Reader, predicates: tuple[str, ...] = LABELS) -> dict[str, str]:
    """One label per resource from PREDICATES: Russian, Ukrainian, untagged, then any; the smallest within
    a rank."""
    best: dict[str, tuple[int, str]] = {}
    for predicate in predicates:
        for s, lit in r.pairs(predicate):
            lang = getattr(lit, "language", None) or ""
            key = (LABEL_LANGS.index(lang) if lang in LABEL_LANGS else len(LABEL_LANGS), lit.value)
            if s not in best or key < best[s]:
                best[s] = key
    return {s: v for s, (_, v) in best.items()}


def _kinds(r: Reader, decisions: bool) -> dict[str, str]:
    """The kind of every typed resource the views draw (decisions only when DECISIONS)."""
    kinds: dict[str, str] = {}
    for cls, kind in reversed(KINDS):  # the first class a resource has is written last and wins
        if decisions or kind != "decision":
            kinds.update(dict.fromkeys(r.instances(cls), kind))
    return kinds


def _items(r: Reader, parts: tuple[str, ...]) -> dict[str, Item]:
    """Decisions with number, text, document and meeting, and their position where links are read (only
    the decisions links cite when the links are all that is read)."""
    if parts == ("links",):
        rows = [(i.value, res.value, _v(n), _v(t), _v(p)) for i, res, n, t, p in r.rows(EVIDENCE_QUERY)]
    else:
        known = r.instances("lkg:ResolutionItem")
        numbers, texts = r.smallest("eli:number"), r.smallest("prov:value")
        positions = r.values("lkg:position") if "links" in parts else {}
        rows = [(i, res.value, numbers.get(i, ""), texts.get(i, ""), position)
                for i, res in r.pairs("eli:is_part_of") if i in known for position in positions.get(i, [""])]
    docs, sources = r.smallest("lkg:fileName"), r.smallest("prov:wasGeneratedBy")
    items: dict[str, Item] = {}
    for iri, res, number, text, position in rows:
        it = items.setdefault(iri, Item(iri))
        it.number, it.text = _smallest(it.number, number), _smallest(it.text, text)
        it.doc, it.meeting = _smallest(it.doc, docs.get(res, "")), _smallest(it.meeting, sources.get(res, ""))
        if position.isdigit() and (not it.position or int(position) < it.position):
            it.position = int(position)
    return items


def _meetings(r: Reader) -> dict[str, Meeting]:
    """Meetings with the document that records them, dates, body and topic."""
    meetings = {m: Meeting(m) for m in r.instances("lkg:Meeting")}
    docs = r.smallest("lkg:fileName")
    for res, m in r.pairs("prov:wasGeneratedBy"):
        if m.value in meetings:
            meetings[m.value].doc = _smallest(meetings[m.value].doc, docs.get(res, ""))
    for name, predicate in MEETING_FIELDS:
        for m, value in r.smallest(predicate).items():
            if m in meetings:
                setattr(meetings[m], name, value)
    return meetings


def _links(r: Reader, items: dict[str, Item]) -> list[Link]:
    """Cooperation links, one per pair of organisations, evidence in document order."""
    links: dict[tuple[str, str], Link] = {}
    for a, b, weight, item in r.rows(LINK_QUERY):
        link = links.setdefault((a.value, b.value), Link(a.value, b.value))
        if weight is not None:
            link.weight = max(link.weight, int(weight.value))
        if item is not None and item.value not in link.items:
            link.items.append(item.value)
    for link in links.values():
        link.items.sort(key=lambda i: (items[i].doc, items[i].position, i) if i in items else ("", 0, i))
        link.weight = link.weight or len(link.items)
    return [links[k] for k in sorted(links)]


def _members(r: Reader) -> dict[str, str]:
    """The member (the smallest, should there be several) of every org:Membership."""
    memberships = r.instances("org:Membership")
    return {m: p for m, p in r.smallest("org:member").items() if m in memberships}


def _memberships(r: Reader, bodies: set[str]) -> list[BodyMembership]:
    """Body memberships, one record per membership IRI."""
    people, roles, spans = _members(r), r.values("org:role"), r.values("org:memberDuring")
    out: dict[str, BodyMembership] = {}
    for m, org in r.pairs("org:organization"):
        if m in people and org.value in bodies and (m not in out or org.value < out[m].body):
            out[m] = BodyMembership(m, people[m], org.value)
    starts, ends = r.smallest("dcat:startDate"), r.smallest("dcat:endDate")
    for m, rec in out.items():
        rec.role = _least(role.rsplit("#", 1)[-1].lower() for role in roles.get(m, ()))
        rec.start = _least(starts.get(p, "") for p in spans.get(m, ()))
        rec.end = _least(ends.get(p, "") for p in spans.get(m, ()))
    for name, predicate in MEMBERSHIP_FIELDS:
        for m, value in r.smallest(predicate).items():
            if m in out:
                setattr(out[m], name, value)
    return [out[k] for k in sorted(out)]


def _affiliations(r: Reader, bodies: set[str]) -> list[Affiliation]:
    """Job snapshots, one record per affiliation IRI; memberships of bodies are not jobs."""
    people, orgs, roles = _members(r), r.values("org:organization"), r.values("org:role")
    posts, quotes = labels(r, ("skos:prefLabel",)), r.smallest("lkg:quote")
    out: dict[str, Affiliation] = {}
    for a, item in r.smallest("lkg:attestedIn").items():
        jobs = [o for o in orgs.get(a, ()) if o not in bodies]
        if a in people and (jobs or not orgs.get(a)):
            out[a] = Affiliation(a, people[a], org=_least(jobs), item=item, quote=quotes.get(a, ""),
                                 post=_least(posts.get(p, "") for p in roles.get(a, ())))
    return [out[k] for k in sorted(out)]


def _relations(r: Reader) -> list[tuple[str, str, str]]:
    """(subject, relation, object) triples the full view draws besides memberships and affiliations."""
    out = {(s, rel, o.value) for predicate, rel in RELATIONS for s, o in r.pairs(predicate)}
    meetings, made = r.instances("lkg:Meeting"), r.values("prov:wasGeneratedBy")
    out.update((item.value, "decided_at", m) for res, item in r.pairs("eli:has_part")
               for m in made.get(res, ()) if m in meetings)
    out.update((m, "signed_by", person.value) for res, person in r.pairs("lkg:signatory")
               for m in made.get(res, ()))
    return sorted(out)


@gc_paused()
def read_facts(store: ox.Store, view: str | None = None) -> Facts:
    """Read what VIEW draws from an open store (every fact when VIEW is None)."""
    parts = VIEW_PARTS.get(view, PARTS) if view else PARTS
    r = Reader(store)
    items = _items(r, parts)
    kinds, bodies = _kinds(r, decisions=parts != ("links",)), r.instances("lkg:Body")
    return Facts(kinds=kinds, labels=labels(r), items=items, meetings=_meetings(r),
                 links=_links(r, items) if "links" in parts else [],
                 memberships=_memberships(r, bodies) if "memberships" in parts else [],
                 affiliations=_affiliations(r, bodies) if "affiliations" in parts else [],
                 relations=_relations(r) if "relations" in parts else [])
