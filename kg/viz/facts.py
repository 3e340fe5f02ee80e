"""What the network views draw, read from the store in a few set-wise SPARQL queries.

Triples recur across document graphs, so every query is `SELECT DISTINCT` over the union of graphs;
where a resource has several values for one field the smallest is kept, so the result does not depend
on the order in which the store answers.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

import pyoxigraph as ox

from kg.namespaces import FOAF, LKG, ORG, PREFIXES

_HEADER = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in sorted(PREFIXES.items()))
_YEAR = re.compile(r"^(\d{4})")
LABEL_LANGS = ("ru", "uk", "")

KIND_QUERY = """SELECT DISTINCT ?s ?t WHERE {
  ?s a ?t .
  FILTER(?t IN (lkg:Body, lkg:LibrarySystem, lkg:Library, org:Organization, foaf:Person, lkg:Meeting,
                lkg:ResolutionItem, lkg:Place))
}"""
# the kind of a resource by its most specific class: the first of these it has
KINDS = ((LKG.Body, "body"), (LKG.LibrarySystem, "library_system"), (LKG.Library, "library"),
         (ORG.Organization, "organization"), (FOAF.Person, "person"), (LKG.Meeting, "meeting"),
         (LKG.ResolutionItem, "decision"), (LKG.Place, "place"))
LABEL_QUERY = "SELECT DISTINCT ?s ?label WHERE { ?s skos:prefLabel|foaf:name ?label }"
ITEM_QUERY = """SELECT DISTINCT ?item ?number ?text ?doc ?meeting ?position WHERE {
  ?item a lkg:ResolutionItem ; eli:is_part_of ?res .
  OPTIONAL { ?item eli:number ?number } OPTIONAL { ?item prov:value ?text }
  OPTIONAL { ?item lkg:position ?position } OPTIONAL { ?res lkg:fileName ?doc }
  OPTIONAL { ?res prov:wasGeneratedBy ?meeting }
}"""
MEETING_QUERY = """SELECT DISTINCT ?meeting ?doc ?date ?end ?body ?topic WHERE {
  ?meeting a lkg:Meeting .
  OPTIONAL { ?res prov:wasGeneratedBy ?meeting ; lkg:fileName ?doc }
  OPTIONAL { ?meeting schema:startDate ?date } OPTIONAL { ?meeting schema:endDate ?end }
  OPTIONAL { ?meeting lkg:heldBy ?body } OPTIONAL { ?meeting dct:subject ?topic }
}"""
LINK_QUERY = """SELECT DISTINCT ?link ?a ?b ?weight ?item WHERE {
  ?link a lkg:CooperationLink ; lkg:source ?a ; lkg:target ?b .
  OPTIONAL { ?link lkg:weight ?weight } OPTIONAL { ?link lkg:evidence ?item }
}"""
MEMBERSHIP_QUERY = """SELECT DISTINCT ?m ?person ?body ?role ?start ?end ?org ?est ?term ?quote WHERE {
  ?m a org:Membership ; org:member ?person ; org:organization ?body . ?body a lkg:Body .
  OPTIONAL { ?m org:role ?role }
  OPTIONAL { ?m org:memberDuring ?p .
             OPTIONAL { ?p dcat:startDate ?start } OPTIONAL { ?p dcat:endDate ?end } }
  OPTIONAL { ?m opengov:onBehalfOf ?org } OPTIONAL { ?m lkg:establishedBy ?est }
  OPTIONAL { ?m lkg:terminatedBy ?term } OPTIONAL { ?m lkg:quote ?quote }
}"""
AFFILIATION_QUERY = """SELECT DISTINCT ?a ?person ?org ?post ?item ?quote WHERE {
  ?a a org:Membership ; org:member ?person ; lkg:attestedIn ?item .
  OPTIONAL { ?a org:organization ?org } OPTIONAL { ?a org:role ?p . ?p skos:prefLabel ?post }
  OPTIONAL { ?a lkg:quote ?quote }
}"""
# (subject, relation, object) pairs the full view draws besides memberships and affiliations
RELATION_QUERY = """SELECT DISTINCT ?s ?rel ?o WHERE {
  { ?s lkg:heldBy ?o BIND("held_by" AS ?rel) }
  UNION { ?s prov:atLocation ?o BIND("located_at" AS ?rel) }
  UNION { ?s lkg:host ?o BIND("hosted_by" AS ?rel) }
  UNION { ?o a lkg:Meeting . ?res prov:wasGeneratedBy ?o ; eli:has_part ?s BIND("decided_at" AS ?rel) }
  UNION { ?s eli:refers_to ?o BIND("refers_to" AS ?rel) }
  UNION { ?s lkg:addressee ?o BIND("addressed_to" AS ?rel) }
  UNION { ?s schema:location ?o BIND("located_at" AS ?rel) }
  UNION { ?res lkg:signatory ?o ; prov:wasGeneratedBy ?s BIND("signed_by" AS ?rel) }
}"""


@dataclass
class Item:
    """A numbered decision with where it comes from."""

    iri: str
    number: str = ""
    text: str = ""
    doc: str = ""
    meeting: str = ""
    position: int = 0


@dataclass
class Meeting:
    """A meeting: its document, dates, body and topic."""

    iri: str
    doc: str = ""
    date: str = ""
    end: str = ""
    body: str = ""
    topic: str = ""


@dataclass
class Link:
    """A cooperation link between two organisations with its evidence items."""

    a: str
    b: str
    weight: int = 0
    items: list[str] = field(default_factory=list)


@dataclass
class BodyMembership:
    """A person's membership of a body, with its role, period, organisation and evidence."""

    iri: str
    person: str
    body: str
    role: str = ""
    start: str = ""
    end: str = ""
    org: str = ""
    established: str = ""
    terminated: str = ""
    quote: str = ""


@dataclass
class Affiliation:
    """A job snapshot: a person at an organisation (or with only a post), as one item attests it."""

    iri: str
    person: str
    org: str = ""
    post: str = ""
    item: str = ""
    quote: str = ""


@dataclass
class Facts:
    """Everything the views and the timeline need, keyed by IRI."""

    kinds: dict[str, str]
    labels: dict[str, str]
    items: dict[str, Item]
    meetings: dict[str, Meeting]
    links: list[Link]
    memberships: list[BodyMembership]
    affiliations: list[Affiliation]
    relations: list[tuple[str, str, str]]

    def label(self, iri: str) -> str:
        """The display label of a resource (its IRI's last segment when it has none)."""
        return self.labels.get(iri) or iri.rstrip("/").rsplit("/", 1)[-1]

    def item_date(self, item: str) -> str:
        """The start date of the meeting that passed an item ('' when unknown)."""
        it = self.items.get(item)
        m = self.meetings.get(it.meeting) if it else None
        return m.date if m else ""

    def item_body(self, item: str) -> str:
        """The body whose meeting passed an item ('' when unknown)."""
        it = self.items.get(item)
        m = self.meetings.get(it.meeting) if it else None
        return m.body if m else ""


def year_of(date: str) -> int | None:
    """The year of an ISO date, year-month or year (None for '')."""
    m = _YEAR.match(date or "")
    return int(m.group(1)) if m else None


def select(store: ox.Store, query: str) -> list[dict[str, ox.NamedNode | ox.Literal | None]]:
    """Run a SELECT over the union of all graphs; each row maps variable names to terms (None if unbound)."""
    result = store.query(_HEADER + query, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: sol[n] for n in names} for sol in result]


def _v(term: ox.NamedNode | ox.Literal | None) -> str:
    """The lexical value of a term, '' for an unbound one."""
    return "" if term is None else term.value


def _smallest(current: str, new: str) -> str:
    """Keep the smallest non-empty value, so that duplicates resolve the same way every time."""
    if not new:
        return current
    return new if not current or new < current else current


def _labels(store: ox.Store) -> dict[str, str]:
    """One label per resource: Russian, Ukrainian, untagged, then any; the smallest within a rank."""
    best: dict[str, tuple[int, str]] = {}
    for row in select(store, LABEL_QUERY):
        lit = row["label"]
        lang = getattr(lit, "language", None) or ""
        rank = LABEL_LANGS.index(lang) if lang in LABEL_LANGS else len(LABEL_LANGS)
        key = (rank, lit.value)
        s = row["s"].value
        if s not in best or key < best[s]:
            best[s] = key
    return {s: v for s, (_, v) in best.items()}


def read_facts(store: ox.Store) -> Facts:
    """Read every fact the views draw from an open store."""
    classes = group_by([(r["s"].value, r["t"].value) for r in select(store, KIND_QUERY)])
    kinds = {s: next(k for c, k in KINDS if str(c) in ts) for s, ts in classes.items()}
    items: dict[str, Item] = {}
    for r in select(store, ITEM_QUERY):
        it = items.setdefault(r["item"].value, Item(r["item"].value))
        it.number, it.text = _smallest(it.number, _v(r["number"])), _smallest(it.text, _v(r["text"]))
        it.doc, it.meeting = _smallest(it.doc, _v(r["doc"])), _smallest(it.meeting, _v(r["meeting"]))
        if r["position"] is not None and r["position"].value.isdigit():
            it.position = int(r["position"].value)
    meetings: dict[str, Meeting] = {}
    for r in select(store, MEETING_QUERY):
        m = meetings.setdefault(r["meeting"].value, Meeting(r["meeting"].value))
        for name in ("doc", "date", "end", "body", "topic"):
            setattr(m, name, _smallest(getattr(m, name), _v(r[name])))
    links: dict[tuple[str, str], Link] = {}
    for r in select(store, LINK_QUERY):
        link = links.setdefault((r["a"].value, r["b"].value), Link(r["a"].value, r["b"].value))
        if r["weight"] is not None:
            link.weight = max(link.weight, int(r["weight"].value))
        if r["item"] is not None and r["item"].value not in link.items:
            link.items.append(r["item"].value)
    for link in links.values():
        link.items.sort(key=lambda i: (items[i].doc, items[i].position) if i in items else ("", 0))
        link.weight = link.weight or len(link.items)
    return Facts(kinds=kinds, labels=_labels(store), items=items, meetings=meetings,
                 links=[links[k] for k in sorted(links)], memberships=_memberships(store),
                 affiliations=_affiliations(store),
                 relations=sorted({(r["s"].value, r["rel"].value, r["o"].value)
                                   for r in select(store, RELATION_QUERY)}))


def _memberships(store: ox.Store) -> list[BodyMembership]:
    """Body memberships, one record per membership IRI."""
    out: dict[str, BodyMembership] = {}
    for r in select(store, MEMBERSHIP_QUERY):
        iri = r["m"].value
        m = out.setdefault(iri, BodyMembership(iri, r["person"].value, r["body"].value))
        m.role = _smallest(m.role, _v(r["role"]).rsplit("#", 1)[-1].lower())
        for name, var in (("start", "start"), ("end", "end"), ("org", "org"), ("established", "est"),
                          ("terminated", "term"), ("quote", "quote")):
            setattr(m, name, _smallest(getattr(m, name), _v(r[var])))
    return [out[k] for k in sorted(out)]


def _affiliations(store: ox.Store) -> list[Affiliation]:
    """Job snapshots, one record per affiliation IRI; memberships of bodies are not jobs."""
    out: dict[str, Affiliation] = {}
    bodies = {r["s"].value for r in select(store, "SELECT DISTINCT ?s WHERE { ?s a lkg:Body }")}
    for r in select(store, AFFILIATION_QUERY):
        if r["org"] is not None and r["org"].value in bodies:
            continue
        a = out.setdefault(r["a"].value, Affiliation(r["a"].value, r["person"].value))
        for name in ("org", "post", "item", "quote"):
            setattr(a, name, _smallest(getattr(a, name), _v(r[name])))
    return [out[k] for k in sorted(out)]


def group_by(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Group (key, value) pairs into sorted lists of distinct values per key."""
    out: dict[str, set[str]] = defaultdict(set)
    for k, v in pairs:
        out[k].add(v)
    return {k: sorted(v) for k, v in out.items()}


def periods(memberships: list[BodyMembership]) -> list[BodyMembership]:
    """Memberships with each removal joined to the admission it ends (same person and body, the latest
    admission not after the removal); a removal with no such admission stays on its own."""
    by_pair: dict[tuple[str, str], list[BodyMembership]] = defaultdict(list)
    for m in memberships:
        by_pair[(m.person, m.body)].append(m)
    out = []
    for pair in sorted(by_pair):
        opened = sorted((m for m in by_pair[pair] if not (m.end or m.terminated)), key=lambda m: m.start)
        closed = [m for m in by_pair[pair] if m.end or m.terminated]
        for r in sorted(closed, key=lambda m: m.end):
            match = [m for m in opened if not r.start and (not m.start or not r.end or m.start <= r.end)]
            if match:
                m = match[-1]
                opened.remove(m)
                out.append(replace(m, end=r.end, terminated=r.terminated))
            else:
                out.append(r)
        out.extend(opened)
    return sorted(out, key=lambda m: m.iri)
