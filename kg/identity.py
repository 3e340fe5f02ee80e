"""Person identity across documents. The same normalised full name is one IRI already (minted from the
name). A person the text names only by initials ("Иванова О.П.") keeps the IRI of that form, and is linked
with `owl:sameAs` to a full-name person only when surname, initials and an organisation agree and exactly one
full-name person fits: two people who share a surname and initials but work elsewhere stay apart."""
from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from kg.namespaces import FOAF, LKG, OPENGOV, ORG, OWL
from kg.rdf.mapping import Emitter

PEOPLE = f"""SELECT DISTINCT ?p ?family ?given ?patr ?initials ?org WHERE {{
  ?p a <{FOAF.Person}> ; <{FOAF.familyName}> ?family .
  OPTIONAL {{ ?p <{FOAF.givenName}> ?given }}
  OPTIONAL {{ ?p <{LKG.patronymic}> ?patr }}
  OPTIONAL {{ ?p <{LKG.initials}> ?initials }}
  OPTIONAL {{ {{ ?m <{ORG.member}> ?p ; <{ORG.organization}> ?org . FILTER NOT EXISTS {{ ?org a <{LKG.Body}> }} }}
             UNION {{ ?m <{ORG.member}> ?p ; <{OPENGOV.onBehalfOf}> ?org }} }}
}}"""


def _fold(s: str) -> str:
    """Lower case with ё folded."""
    return s.lower().replace("ё", "е")


def initials_of(given: str, patronymic: str | None) -> str:
    """'Ольга', 'Петровна' → 'о.п.' (folded), the form initials are compared in."""
    return "".join(f"{_fold(x)[0]}." for x in (given, patronymic) if x)


def identity_quads(store: ox.Store, graph: str) -> list[ox.Quad]:
    """`owl:sameAs` links from initials-only people to the one full-name person they must be."""
    full: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    short: dict[str, tuple[str, str, set[str]]] = {}
    for row in store.query(PEOPLE, use_default_graph_as_union=True):
        p, fam = row["p"].value, _fold(row["family"].value)
        org = row["org"].value if row["org"] is not None else None
        if row["given"] is not None:
            key = (fam, initials_of(row["given"].value, row["patr"].value if row["patr"] else None))
            full[key][p].update({org} if org else set())
        elif row["initials"] is not None:
            rec = short.setdefault(p, (fam, _fold(row["initials"].value).replace(" ", ""), set()))
            if org:
                rec[2].add(org)
    e = Emitter(graph)
    for p, (fam, ini, orgs) in sorted(short.items()):
        fits = [q for q, qorgs in full.get((fam, ini), {}).items() if orgs & qorgs]
        if len(fits) == 1:
            e.add(p, OWL.sameAs, fits[0])
            e.add(fits[0], OWL.sameAs, p)
    return e.quads
