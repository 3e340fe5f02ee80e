"""Person identity across documents. The same normalised full name is one IRI already (minted from the
name). A person the text names only by initials ("Иванова О.П.") keeps the IRI of that form, and is linked
with `owl:sameAs` to a full-name person only when surname, initials and an organisation agree and exactly one
full-name person fits: two people who share a surname and initials but work elsewhere stay apart."""
from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from kg.namespaces import OWL
from kg.rdf.lines import Lines

if TYPE_CHECKING:
    from kg.derived import Facts


def _fold(s: str) -> str:
    """Lower case with ё folded."""
    return s.lower().replace("ё", "е")


def initials_of(given: str, patronymic: str | None) -> str:
    """'Ольга', 'Петровна' → 'о.п.' (folded), the form initials are compared in."""
    return "".join(f"{_fold(x)[0]}." for x in (given, patronymic) if x)


def identity_lines(facts: Facts, base: str, graph: str) -> list[str]:
    """`owl:sameAs` links from initials-only people to the one full-name person they must be, as N-Quads lines.

    FACTS holds the names and workplaces stated in every graph (kg/derived.py)."""
    works: dict[str, set[str]] = defaultdict(set)
    for pair in facts.works:
        p, org = pair.split(" ")
        if org not in facts.bodies:
            works[p].add(org)
    parts = facts.name_parts()
    full: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(dict)
    short: dict[str, tuple[str, str, set[str]]] = {}
    for p, family in parts["family"].items():
        fam = _fold(family)
        if p in parts["given"]:
            key = (fam, initials_of(parts["given"][p], parts["patr"].get(p)))
            full[key][p] = works.get(p, set())
        elif p in parts["initials"]:
            short[p] = (fam, _fold(parts["initials"][p]).replace(" ", ""), works.get(p, set()))
    e = Lines(base, graph)
    for p, (fam, ini, orgs) in sorted(short.items()):
        fits = [q for q, qorgs in full.get((fam, ini), {}).items() if orgs & qorgs]
        if len(fits) == 1:
            e.add(p, str(OWL.sameAs), fits[0])
            e.add(fits[0], str(OWL.sameAs), p)
    return e.lines
