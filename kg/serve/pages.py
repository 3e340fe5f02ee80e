"""HTML pages of the local server: an entity's label, types, statements (with links) and source quotes.

Every value is escaped by Jinja2's autoescaping; links go only to http(s) IRIs, and IRIs under the served
base become local paths, so that the pages can be browsed on any host.
"""
from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

import jinja2
import pyoxigraph as ox

from kg import __version__
from kg.export.describe import TITLES, DatasetInfo
from kg.export.network import compact
from kg.namespaces import DCTERMS, FOAF, RDF, RDFS, SKOS, VOID

LABEL_PROPERTIES = tuple(ox.NamedNode(str(p)) for p in (FOAF.name, SKOS.prefLabel, DCTERMS.title, RDFS.label))
MAX_INCOMING = 1000

_ENV = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
_STYLE = """body{font-family:system-ui,sans-serif;max-width:72rem;margin:1.5rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left;
vertical-align:top}code{font-size:.85em;color:#555}.meta{color:#666;font-size:.85em}blockquote{margin:.4rem 0;
padding:.3rem .8rem;border-left:3px solid #aac;background:#f6f6fb}"""
ENTITY = _ENV.from_string("""<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ title }}</title>
<link rel="alternate" type="text/turtle" href="{{ self_href }}">
<style>{{ style }}</style></head><body>
<h1>{{ title }}</h1>
<p><code>{{ iri }}</code></p>
{% if types %}<p>{% for t in types %}<a href="{{ t.href }}">{{ t.text }}</a>{% if not loop.last %}, {% endif %}{% endfor %}</p>{% endif %}
<h2>Statements</h2>
<table><tr><th>property</th><th>value</th><th class="meta">document</th></tr>
{% for row in outgoing %}<tr><td><a href="{{ row.p.href }}">{{ row.p.text }}</a></td><td>{% if row.o.href %}<a href="{{ row.o.href }}">{{ row.o.text }}</a>{% else %}{{ row.o.text }}{% endif %}{% if row.o.note %} <span class="meta">{{ row.o.note }}</span>{% endif %}</td><td class="meta">{{ row.g }}</td></tr>
{% endfor %}</table>
{% if incoming %}<h2>Referenced by</h2>
<table><tr><th>subject</th><th>property</th><th class="meta">document</th></tr>
{% for row in incoming %}<tr><td><a href="{{ row.s.href }}">{{ row.s.text }}</a></td><td><a href="{{ row.p.href }}">{{ row.p.text }}</a></td><td class="meta">{{ row.g }}</td></tr>
{% endfor %}</table>{% if more %}<p class="meta">… and {{ more }} more</p>{% endif %}{% endif %}
{% if quotes %}<h2>Sources</h2>
{% for text, doc in quotes %}<blockquote>{{ text }}{% if doc %} <span class="meta">— {{ doc }}</span>{% endif %}</blockquote>
{% endfor %}{% endif %}
<p class="meta">kg {{ version }} · <a href="/sparql">SPARQL endpoint</a> · <a href="/">dataset</a></p>
</body></html>
""")
HOME = _ENV.from_string("""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title><style>{{ style }}</style></head><body>
<h1>{{ title }}</h1>
{% for lang, t in titles %}<p lang="{{ lang }}">{{ t }}</p>{% endfor %}
<p>The SPARQL 1.1 endpoint is <a href="/sparql">/sparql</a> (GET or POST, read-only, over the union of all
graphs). Every IRI under <code>{{ base }}</code> is served here as HTML or RDF (Turtle, JSON-LD, N-Triples,
RDF/XML) by content negotiation. The dataset: <a href="{{ dataset_href }}">{{ dataset }}</a>.</p>
<form action="/sparql" method="get"><textarea name="query" rows="6" cols="80">SELECT ?class (COUNT(?s) AS ?n)
WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n)</textarea><br><button>Run</button></form>
<h2>Classes</h2><table>{% for c in classes %}<tr><td><a href="{{ c.href }}">{{ c.text }}</a></td><td>{{ c.note }}</td></tr>{% endfor %}</table>
<p class="meta">kg {{ version }}</p></body></html>
""")


@dataclass
class Link:
    """A term for display: its text, an href (None for literals) and a note (language or datatype)."""

    text: str
    href: str | None = None
    note: str = ""


class Labeler:
    """Human labels of IRIs from the store (name, preferred label, title, rdfs:label; Russian first)."""

    def __init__(self, *stores: ox.Store):
        self.stores = stores
        self.cache: dict[str, str | None] = {}

    def label(self, iri: str) -> str | None:
        """The best label of IRI, or None."""
        if iri not in self.cache:
            node, found = ox.NamedNode(iri), None
            for prop in LABEL_PROPERTIES:
                lits = [q.object for s in self.stores for q in s.quads_for_pattern(node, prop, None)
                        if isinstance(q.object, ox.Literal)]
                if lits:
                    found = min(lits, key=lambda t: (t.language not in ("ru", None), t.language or "", t.value))
                    break
            self.cache[iri] = found.value if found else None
        return self.cache[iri]


def local_href(iri: str, base: str) -> str | None:
    """A link for IRI: a local path for IRIs under BASE, the IRI itself for other http(s) IRIs, else None."""
    if iri.startswith(base):
        path = urllib.parse.urlsplit(base).path or "/"
        return path + urllib.parse.quote(iri[len(base):], safe="/#?=&;:@.-_~!$'()*+,")
    return iri if iri.startswith(("http://", "https://")) else None


def term_link(term: object, base: str, labels: Labeler) -> Link:
    """How TERM is shown: IRIs by label or prefixed name with a link, literals with their language or type."""
    if isinstance(term, ox.NamedNode):
        return Link(labels.label(term.value) or compact(term.value), local_href(term.value, base))
    if isinstance(term, ox.Literal):
        if term.language:
            return Link(term.value, None, f"@{term.language}")
        dt = term.datatype.value
        return Link(term.value, None, "" if dt.endswith("#string") else compact(dt))
    return Link(str(term))


@dataclass
class EntityView:
    """What an entity page shows: the IRI, its statements both ways, source quotes and document names."""

    iri: str
    outgoing: list[ox.Quad]
    incoming: list[ox.Quad]
    quotes: list[tuple[str, str | None]]
    docs: dict[str, str]
    base: str


def render_entity(view: EntityView, labels: Labeler) -> str:
    """The HTML page of one entity."""
    base = view.base

    def doc(q: ox.Quad) -> str:
        g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        return view.docs.get(g) or compact(g).rsplit("/", 1)[-1]

    rdf_type = str(RDF.type)
    out = sorted(view.outgoing, key=lambda q: (q.predicate.value != rdf_type, q.predicate.value, str(q.object)))
    types = [term_link(q.object, base, labels) for q in out if q.predicate.value == rdf_type]
    rows = [{"p": term_link(q.predicate, base, labels), "o": term_link(q.object, base, labels), "g": doc(q)}
            for q in out if q.predicate.value != rdf_type]
    inc = sorted(view.incoming, key=lambda q: (q.predicate.value, q.subject.value))
    incoming = [{"s": term_link(q.subject, base, labels), "p": term_link(q.predicate, base, labels), "g": doc(q)}
                for q in inc[:MAX_INCOMING]]
    lang = next((q.object.language for q in out if isinstance(q.object, ox.Literal) and q.object.language), "ru")
    title = labels.label(view.iri) or compact(view.iri)
    return ENTITY.render(lang=lang, title=title, iri=view.iri, types=types, outgoing=rows, incoming=incoming,
                         more=max(0, len(inc) - MAX_INCOMING), quotes=view.quotes, style=_STYLE,
                         self_href=local_href(view.iri, base) or "", version=__version__)


def render_home(info: DatasetInfo, description: ox.Store) -> str:
    """The home page: what the dataset is, the endpoint, and its classes with their sizes."""
    labels = Labeler(description)
    classes = []
    for q in description.quads_for_pattern(None, ox.NamedNode(str(VOID["class"])), None):
        n = next(iter(description.quads_for_pattern(q.subject, ox.NamedNode(str(VOID.entities)), None)), None)
        classes.append(Link(compact(q.object.value), q.object.value, n.object.value if n else ""))
    classes.sort(key=lambda c: c.text)
    return HOME.render(title=TITLES["en"], titles=[(k, v) for k, v in TITLES.items() if k != "en"],
                       base=info.base, dataset=info.dataset, dataset_href=local_href(info.dataset, info.base),
                       classes=classes, style=_STYLE, version=__version__, labels=labels)
