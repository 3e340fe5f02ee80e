"""The whole-graph steps of a build, computed from compact records of each graph rather than by queries over the
store (which would read every document graph again on each build): which authority entries the documents use,
preferred labels, cooperation links, membership history and identity links.

`graph_facts(quads, base)` keeps of one graph what these steps read, with terms as short codes
(kg/rdf/lines.py); a build records it per graph (kg/rdf/update.py), so that a rebuild computes only the changed
graphs' records. A membership, an affiliation and a period are described in the graph of the item that states
them (their IRIs are minted from it), so their statements are joined within one graph. `Facts` is the union of
the records of all graphs, and `derived_graphs` writes the authority and derived graphs from it."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import combinations

import pyoxigraph as ox

from kg.history import Membership, history_lines
from kg.identity import identity_lines
from kg.iris import Minter
from kg.labels import LABELLED, preferred_label_lines
from kg.namespaces import DCAT, ELI, FOAF, LKG, OPENGOV, ORG, RDF, SKOS
from kg.rdf.lines import Lines, iri_of, term_code

# the predicates the steps read, by the short name the records use
PREDICATES = {str(p): name for name, p in (
    ("type", RDF.type), ("alt", SKOS.altLabel), ("refers", ELI.refers_to), ("member", ORG.member),
    ("org", ORG.organization), ("behalf", OPENGOV.onBehalfOf), ("during", ORG.memberDuring),
    ("start", DCAT.startDate), ("end", DCAT.endDate), ("est", LKG.establishedBy), ("term", LKG.terminatedBy),
    ("reason", LKG.endReason), ("family", FOAF.familyName), ("given", FOAF.givenName),
    ("patr", LKG.patronymic), ("initials", LKG.initials))}
CLASSES = {str(ORG.Organization): "orgs", str(LKG.Body): "bodies"}  # the only rdf:type statements read
USED = ("org/", "body/", "place/")  # an authority entry is described when a graph uses its IRI
NAME_PARTS = ("family", "given", "patr", "initials")


def _first(values: Iterable | None):
    """The least of VALUES (the steps expect one), or None."""
    return min(values) if values else None


def graph_facts(quads: Iterable[ox.Quad], base: str) -> dict[str, list]:
    """What the whole-graph steps read of one graph, as JSON-ready lists of term codes: "used" (organisation,
    body and place IRIs named), "orgs" and "bodies" (things typed so), "labels" ([thing, label, language] of
    minted things), "refers" ('item organisation'), "works" ('person organisation', of an affiliation or a
    membership), "members" (a `Membership` each) and "names" ([person, family, given, patronymic, initials]);
    lists end at their last value."""
    used_prefixes = tuple(base + k for k in USED)
    labelled = tuple(base + k for k in LABELLED)
    out: dict[str, set] = defaultdict(set)
    by: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for q in quads:
        s, o = q.subject, q.object
        if isinstance(o, ox.NamedNode) and o.value.startswith(used_prefixes):
            out["used"].add(term_code(o, base))
        if not isinstance(s, ox.NamedNode):
            continue
        if s.value.startswith(used_prefixes):
            out["used"].add(term_code(s, base))
        name = PREDICATES.get(q.predicate.value)
        if name is None:
            continue
        if name == "type":
            if isinstance(o, ox.NamedNode) and o.value in CLASSES:
                out[CLASSES[o.value]].add(term_code(s, base))
        elif name == "alt":
            if isinstance(o, ox.Literal) and s.value.startswith(labelled):
                out["labels"].add((term_code(s, base), o.value, o.language or ""))
        elif name in NAME_PARTS:
            if isinstance(o, ox.Literal):
                by[name][term_code(s, base)].add(o.value)
        elif name in ("start", "end"):
            if isinstance(o, ox.Literal):
                by[name][term_code(s, base)].add(str(o))
        elif (code := term_code(o, base)) is not None:
            by[name][term_code(s, base)].add(code)
    for item, orgs in by["refers"].items():  # pairs of IRIs, which hold no spaces
        out["refers"].update(f"{item} {org}" for org in orgs if _iri(org))
    for m, people in by["member"].items():
        people = {p for p in people if _iri(p)}
        out["works"].update(f"{p} {org}" for p in people for org in by["org"][m] | by["behalf"][m] if _iri(org))
        periods = by["during"][m]
        dates = [_first({d for p in periods for d in by[k][p]}) for k in ("start", "end")]
        rest = (_first(periods), *dates, _first(by["est"][m]), _first(by["term"][m]), _first(by["reason"][m]))
        out["members"].update(_trim((m, p, org, *rest)) for p in people for org in by["org"][m])
    for p in set().union(*(by[k] for k in NAME_PARTS)):
        out["names"].add(_trim((p, *(_first(by[k].get(p)) for k in NAME_PARTS))))
    return {k: sorted(v, key=repr) for k, v in sorted(out.items())}


def _iri(code: str) -> bool:
    """Whether a term code stands for an IRI (not a literal)."""
    return not code.startswith('"')


def _trim(row: tuple) -> tuple:
    """ROW without its trailing Nones."""
    n = len(row)
    while n and row[n - 1] is None:
        n -= 1
    return row[:n]


class Facts:
    """The union of the records of many graphs: sets of what the steps test for, and the rows of labels (one per
    graph that states it), memberships and names as the graphs recorded them."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.orgs: set[str] = set()
        self.bodies: set[str] = set()
        self.refers: set[str] = set()  # 'item organisation'
        self.works: set[str] = set()  # 'person organisation'
        self.label_rows: list[list] = []
        self.member_rows: list[list] = []
        self.name_rows: list[list] = []

    def add(self, facts: dict[str, list]) -> None:
        """Add the records of one graph (as `graph_facts` gives them, or as read back from JSON)."""
        get = facts.get
        self.used.update(get("used", ()))
        self.orgs.update(get("orgs", ()))
        self.bodies.update(get("bodies", ()))
        self.refers.update(get("refers", ()))
        self.works.update(get("works", ()))
        self.label_rows += get("labels", ())
        self.member_rows += get("members", ())
        self.name_rows += get("names", ())

    def labels(self) -> Counter:
        """(thing, label, language or '') → the number of graphs that state it."""
        return Counter(map(tuple, self.label_rows))

    def memberships(self, orgs: set[str]) -> dict[tuple[str, str, str], Membership]:
        """The memberships in one of ORGS, by membership, person and organisation."""
        out: dict[tuple[str, str, str], Membership] = {}
        for r in self.member_rows:
            if r[2] in orgs and (r[0], r[1], r[2]) not in out:
                out[(r[0], r[1], r[2])] = Membership(*r)
        return out

    def name_parts(self) -> dict[str, dict[str, str]]:
        """Part ('family', 'given', 'patr', 'initials') → person → the (least) value stated."""
        out: list[dict[str, str]] = [{} for _ in NAME_PARTS]
        for p, *values in self.name_rows:
            for part, v in zip(out, values):
                if v is not None and (p not in part or v < part[p]):
                    part[p] = v
        return dict(zip(NAME_PARTS, out))


def cooperation_lines(facts: Facts, mint: Minter, graph: str) -> list[str]:
    """Cooperation links: organisations (not bodies) named together in one decision, weighted by items."""
    orgs = facts.orgs - facts.bodies
    by_item: dict[str, list[str]] = defaultdict(list)
    for pair in sorted(facts.refers):
        item, org = pair.split(" ")
        if org in orgs:
            by_item[item].append(org)
    pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
    for item, named in by_item.items():
        if len(named) > 1:
            for a, b in combinations(named, 2):
                pairs[(a, b)].append(item)
    e = Lines(mint.base, graph)
    rdf_type, cls, source, target = str(RDF.type), "<" + str(LKG.CooperationLink), str(LKG.source), str(LKG.target)
    weight, evidence, linked = str(LKG.weight), str(LKG.evidence), str(ORG.linkedTo)
    for (a, b), items in pairs.items():
        link = mint.cooperation(iri_of(a, mint.base), iri_of(b, mint.base))[len(mint.base):]
        e.add(link, rdf_type, cls)
        e.add(link, source, a)
        e.add(link, target, b)
        e.lit(link, weight, len(items))
        for it in items:
            e.add(link, evidence, it)
        e.add(a, linked, b)
    return e.lines


def derived_graphs(facts: Facts, mint: Minter, authority) -> dict[str, list[str]]:
    """The authority graph (descriptions of the authority entries used, preferred labels) and the derived graph
    (cooperation, history, identity) as N-Quads lines, for the graphs whose records FACTS holds. AUTHORITY is
    the build's Resources (anything with `auth` and `authority_quads`); its record of the entries used is
    replaced by what the graphs use."""
    a = authority.auth
    for used, table, kind in ((authority.used_orgs, a.orgs, "org/"), (authority.used_bodies, a.bodies, "body/"),
                              (authority.used_places, a.places, "place/")):
        used.clear()
        used.update(key for key in table if kind + key in facts.used)
    auth_graph, derived_graph = mint.special_graph("authority"), mint.special_graph("derived")
    auth_quads = authority.authority_quads(mint, auth_graph)
    facts.add(graph_facts(auth_quads, mint.base))  # its types and labels count like those of any graph
    auth = [f"{q} .\n" for q in auth_quads] + preferred_label_lines(facts.labels(), mint.base, auth_graph)
    derived = cooperation_lines(facts, mint, derived_graph)
    derived += history_lines(facts, mint.base, derived_graph)
    derived += identity_lines(facts, mint.base, derived_graph)
    return {auth_graph: auth, derived_graph: derived}
