"""Parameters for the canned queries, drawn from a built store, in two forms per query.

The *listing* form binds only the parameters a query cannot do without (no default): it asks for everything,
the way the query's plain listing does. The *typical* form, for queries that declare parameters, binds every
parameter to a value a user would ask about, taken from the graph itself: the body with the most memberships,
a meeting day of that body in the middle of its history and that meeting's document, years from the spread of
meeting dates, and the person with the most memberships and job records. Parameters are read from the
queries' `# param:` headers at run time and recognised by name:

| parameter | typical form | listing form (when required) |
|---|---|---|
| body | the busiest body's IRI | the same |
| date | the busiest body's median meeting day | the last meeting day of the corpus |
| year / since / until | the median / lower-quartile / upper-quartile meeting year | the same |
| doc | the file name of the resolution of that median meeting | the same |
| person / name | the busiest person's IRI | that person's family name (a text search) |

A parameter of another name is recognised by its type (`body`, `person`, `date`); else it keeps its declared
default, and a required one leaves the form unmeasured (the report names the parameter)."""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from kg.namespaces import DEFAULT_BASE, PREFIXES
from kg.query import CannedQuery, query_store

_HEAD = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("lkg", "org", "foaf", "schema", "prov", "skos"))
BUSY_BODY = _HEAD + """SELECT ?body (COUNT(DISTINCT ?m) AS ?n) (MIN(STR(?label)) AS ?name) WHERE {
  ?m org:organization ?body . ?body a lkg:Body .
  OPTIONAL { ?body skos:prefLabel ?label }
} GROUP BY ?body ORDER BY DESC(?n) STR(?body) LIMIT 1"""
BODY_MEETINGS = _HEAD + """SELECT ?body ?date ?doc WHERE {
  ?meeting lkg:heldBy ?body ; schema:startDate ?start .
  OPTIONAL { ?res prov:wasGeneratedBy ?meeting ; lkg:fileName ?doc }
  BIND(STR(?start) AS ?date)
} ORDER BY ?date ?doc"""
MEETING_DATES = _HEAD + """SELECT (STR(?start) AS ?date) WHERE { ?meeting a lkg:Meeting ; schema:startDate ?start }
ORDER BY ?date"""
BUSY_PERSON = _HEAD + """SELECT ?person (COUNT(DISTINCT ?m) AS ?n) (MIN(STR(?family)) AS ?surname) (MIN(STR(?full)) AS ?name)
WHERE {
  ?m org:member ?person .
  OPTIONAL { ?person foaf:familyName ?family }
  OPTIONAL { ?person foaf:name ?full }
} GROUP BY ?person ORDER BY DESC(?n) STR(?person) LIMIT 1"""


@dataclass(frozen=True)
class Picks:
    """Values taken from one graph; None where the graph has nothing to offer."""

    body: str | None = None
    date: str | None = None
    last_date: str | None = None
    years: tuple[str | None, str | None, str | None] = (None, None, None)  # lower quartile, median, upper quartile
    doc: str | None = None
    person: str | None = None
    surname: str | None = None
    labels: dict[str, str] = field(default_factory=dict)  # value → what it names, for the report


@dataclass(frozen=True)
class Form:
    """One way of asking a query: its kind ('listing' or 'typical'), the values, and parameters left without one."""

    kind: str
    values: dict[str, str]
    missing: tuple[str, ...] = ()


def _rows(store, text: str, terms=None) -> list[dict[str, str]]:
    """The rows of a SELECT as dicts of plain values."""
    return query_store(store, text, terms).dicts()


def _quantile(values: list[str], q: float) -> str | None:
    """The value at quantile Q of sorted VALUES."""
    return values[min(len(values) - 1, int(q * len(values)))] if values else None


def pick(store) -> Picks:
    """Typical values from the open STORE."""
    import pyoxigraph as ox

    labels: dict[str, str] = {}
    body = next(iter(_rows(store, BUSY_BODY)), {})
    body_iri = body.get("body")
    if body_iri:
        labels[body_iri] = body.get("name", "")
    days = [r for r in (_rows(store, BODY_MEETINGS, {"body": ox.NamedNode(body_iri)}) if body_iri else [])
            if len(r.get("date", "")) == 10]
    middle = days[len(days) // 2] if days else {}
    dates = [r["date"] for r in _rows(store, MEETING_DATES) if "date" in r]
    years = sorted(d[:4] for d in dates)
    person = next(iter(_rows(store, BUSY_PERSON)), {})
    if person.get("person"):
        labels[person["person"]] = person.get("name", "")
    surname = person.get("surname") or (person.get("name", "").split() or [None])[0]
    return Picks(body=body_iri, date=middle.get("date") or (statistics.median_low(dates) if dates else None),
                 last_date=max(dates) if dates else None,
                 years=(_quantile(years, 0.25), _quantile(years, 0.5), _quantile(years, 0.75)),
                 doc=middle.get("doc"), person=person.get("person"), surname=surname, labels=labels)


def _required(param) -> bool:
    """Whether a query cannot run without a value for PARAM (it declares no default and is not optional)."""
    return param.default is None and not getattr(param, "optional", False)


def _value(name: str, kind: str, picks: Picks, form: str) -> str | None:
    """The value of the parameter NAME (of type KIND) in FORM, or None."""
    lower, median, upper = picks.years
    typical = {"body": picks.body, "date": picks.date, "year": median, "since": lower, "until": upper,
               "doc": picks.doc, "person": picks.person, "name": picks.person}
    if form == "listing":
        typical.update(date=picks.last_date, person=picks.surname, name=picks.surname)
    if name in typical:
        return typical[name]
    if kind in ("body", "person"):  # a parameter typed as an entity, whatever its name
        return typical[kind]
    return (picks.date if form == "typical" else picks.last_date) if kind == "date" else None


def forms(query: CannedQuery, picks: Picks) -> list[Form]:
    """The listing form of QUERY and, when its parameters can be given other values, its typical form."""
    out: list[Form] = []
    for kind in ("listing", "typical") if query.params else ("listing",):
        values, missing = {}, []
        for p in query.params:
            if kind == "listing" and not _required(p):
                continue
            v = _value(p.name, p.kind, picks, kind)
            if v is not None:
                values[p.name] = v
            elif _required(p):
                missing.append(p.name)
        form = Form(kind, values, tuple(missing))
        if not out or (form.values, form.missing) != (out[0].values, out[0].missing):
            out.append(form)
    return out


def shown(form: Form, picks: Picks) -> str:
    """The form's values for the report: IRIs under the default base shortened, with what they name."""
    parts = []
    for k, v in form.values.items():
        text = v[len(DEFAULT_BASE):] if v.startswith(DEFAULT_BASE) else v
        label = picks.labels.get(v)
        parts.append(f"{k}={text}" + (f" ({label})" if label else ""))
    parts += [f"{k}=?" for k in form.missing]
    return ", ".join(parts) or "—"
