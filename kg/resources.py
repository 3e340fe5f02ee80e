"""Shared, expensive resources built once per build: morphology, authority data and its match indexes."""
from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from kg.authority import Authorities, load_authorities
from kg.corrections import Corrections, load_corrections
from kg.extract.morph import Morphology
from kg.iris import digest
from kg.lexicon import data_dir
from kg.model import BodyRef, Document, OrgMention, PersonName, Span
from kg.namespaces import LKG, ORG, OWL, RDF, SCHEMA, SKOS, WD
from kg.rdf.mapping import BODY_KIND, ORG_CLASSES, Emitter
from kg.reconcile import Index, clean_label, lemma_key


def org_index(a: Authorities, morph: Morphology, misspellings: bool = True) -> Index:
    """The organisation index: labels, aliases, former names, attested misspellings (unless asked not to),
    ambiguous forms, and place words that the fuzzy step must never treat as typos."""
    idx = Index([(k, o.label, list(o.names()[1:])) for k, o in a.orgs.items()], lambda k: a.orgs[k].lang, morph,
                misspellings=[(k, v) for k, o in a.orgs.items() for v in o.variants] if misspellings else ())
    words = (lemma_key(w, lang, morph) for p in a.places.values() for w in (p.adj_ru, p.adj_uk, p.ru, p.uk) if w
             for lang in ("ru", "uk"))
    idx.add_real_words(w for w in words if len(w.split()) == 1)
    generated: dict[str, set[str]] = {}
    for k, o in a.orgs.items():  # "Бахмутська ЦБС" for the library system of Бахмут, unless another fits too
        p = a.org_place(k) if o.kind == "library_system" else None
        if p is None or p.kind == "oblast":
            continue
        for adj, lang in ((p.adj_ru, "ru"), (p.adj_uk, "uk")):
            if adj:
                generated.setdefault(lemma_key(f"{adj} ЦБС", lang, morph), set()).add(k)
    idx.add_generated(generated)
    for amb in a.ambiguous:
        for lang in ("ru", "uk"):
            idx.add_ambiguous(amb.form, list(amb.candidates), lang)
    return idx


class Authority:
    """The authority data with a record of the entries the graph uses; describes those entries as quads."""

    def __init__(self, authorities: Authorities | None = None):
        self.auth = authorities or load_authorities(data_dir() / "authorities")
        self.used_orgs: set[str] = set()
        self.used_bodies: set[str] = set()
        self.used_places: set[str] = set()

    def has_org(self, key: str) -> bool:
        """Whether the authority file describes this organisation."""
        return key in self.auth.orgs

    def org_label(self, key: str) -> str:
        """The canonical label of an authority organisation."""
        return self.auth.orgs[key].label

    def has_body(self, key: str) -> bool:
        """Whether the authority file describes this body."""
        return key in self.auth.bodies

    def authority_quads(self, mint, graph: str) -> list[ox.Quad]:
        """Descriptions of every authority organisation, body and place the documents used."""
        e = Emitter(graph)
        a = self.auth
        for key in sorted(self.used_orgs):
            o = a.orgs[key]
            iri = mint.org(key)
            for cls in ORG_CLASSES.get(o.kind, (ORG.Organization,)):
                e.add(iri, RDF.type, cls)
            e.lit(iri, SKOS.prefLabel, o.label, o.lang)
            for alias in o.aliases:
                e.lit(iri, SKOS.altLabel, alias, o.lang)
            for h in o.historic:
                e.lit(iri, SKOS.altLabel, h.label, h.lang)
            p = a.org_place(key)
            if p:
                e.add(iri, SCHEMA.location, mint.place(p.key))
                self.used_places.add(p.key)
            if o.wikidata:
                e.add(iri, OWL.sameAs, WD[o.wikidata])
        for key in sorted(self.used_bodies):
            b = a.bodies[key]
            iri = mint.body(key)
            e.add(iri, RDF.type, LKG.Body)
            e.add(iri, RDF.type, ORG.Organization)
            e.add(iri, ORG.classification, BODY_KIND.get(b.kind, LKG.OtherBody))
            e.lit(iri, SKOS.prefLabel, b.label, b.lang)
            for alias in b.aliases:
                e.lit(iri, SKOS.altLabel, alias, b.lang)
            for h in b.historic:
                e.lit(iri, SKOS.altLabel, h.label, h.lang)
        for key in sorted(self.used_places):
            p = a.places[key]
            iri = mint.place(key)
            e.add(iri, RDF.type, LKG.Place)
            for lang in ("ru", "uk"):
                e.lit(iri, SKOS.prefLabel, getattr(p, lang), lang)
            e.lit(iri, LKG.placeKind, p.kind)
            if p.wikidata:
                e.add(iri, OWL.sameAs, WD[p.wikidata])
        return e.quads


class Resources(Authority):
    """Morphology plus the authority indexes; answers reconciliation and authority look-ups. Answers depend only
    on the name asked about, so they are remembered: the same names recur in document after document."""

    def __init__(self, authorities: Authorities | None = None, morph: Morphology | None = None,
                 corrections: Corrections | None = None):
        super().__init__(authorities)
        self.morph = morph or Morphology()
        a = self.auth
        self.corrections = corrections if corrections is not None else \
            load_corrections(data_dir() / "corrections.yaml", a.orgs)
        self.org_fixes = {lemma_key(form, lang, self.morph): key for form, key in self.corrections.orgs.items()
                          for lang in ("ru", "uk")}
        self.orgs = org_index(a, self.morph)
        self.bodies = Index([(k, b.label, list(b.names()[1:])) for k, b in a.bodies.items()],
                            lambda k: a.bodies[k].lang, self.morph)
        self.places = Index([(k, p.label, list(p.names()) + [g for g in (p.gen_ru, p.gen_uk) if g])
                             for k, p in a.places.items()], lambda k: a.places[k].lang, self.morph)
        self.review: list[dict] = []
        self._memo: dict[tuple, object] = {}

    def lemma_key(self, label: str, lang: str) -> str:
        """`lemma_key` of LABEL in LANG (remembered)."""
        k = ("lemma", label, lang)
        if k not in self._memo:
            self._memo[k] = lemma_key(label, lang, self.morph)
        return self._memo[k]

    # -- reconciliation -------------------------------------------------------------------------
    def resolve_org(self, label: str, quote: str, kind: str, lang: str, span: Span) -> OrgMention | None:
        """An OrgMention with its authority key, or an 'x-…' key flagged unreconciled; None if a curator
        rejected the phrase."""
        k = ("org", label, kind, lang)
        if k not in self._memo:
            self._memo[k] = self._resolve_org(label, kind, lang)
        found = self._memo[k]
        if found is None:
            return None
        label, key, kind, method, score, known = found
        if known:
            self.used_orgs.add(key)
        return OrgMention(label, span, quote, key, kind, method, score)

    def _resolve_org(self, label: str, kind: str, lang: str) -> tuple | None:
        """(label, key, kind, method, score, whether the key is the authority's) of an organisation name, or
        None if a curator rejected it."""
        label = clean_label(label)
        lk = self.lemma_key(label, lang)
        if lk in self.org_fixes:
            key = self.org_fixes[lk]
            if key is None:
                return None
            return label, key, self.auth.orgs[key].kind, "correction", 1.0, True
        m = self.orgs.match(label, lang)
        if m.key:
            return label, m.key, self.auth.orgs[m.key].kind, m.method, m.score, True
        return label, "x-" + digest(lk, n=12), kind, m.method, 0.0, False

    def correct_name(self, name: PersonName) -> PersonName:
        """The name a curator set for NAME in data/corrections.yaml, else NAME."""
        fixed = self.corrections.people.get(name.full)
        if not fixed:
            return name
        parts = fixed.split()
        if len(parts) == 2 and "." in parts[1]:
            return PersonName(parts[0], initials=parts[1], gender=name.gender)
        return PersonName(parts[0], parts[1] if len(parts) > 1 else None, " ".join(parts[2:]) or None,
                          gender=name.gender)

    def resolve_body(self, label: str, kind: str, lang: str, owner: str | None = None) -> BodyRef:
        """A BodyRef with its authority key, or an 'x-…' key for a body not in the authority file; a generic
        body ('Методична рада') with an OWNER organisation key is that owner's body."""
        k = ("body", label, kind, lang, owner)
        if k not in self._memo:
            self._memo[k] = self._resolve_body(label, kind, lang, owner)
        ref, known = self._memo[k]
        if known:
            self.used_bodies.add(ref.key)
        return ref

    def _resolve_body(self, label: str, kind: str, lang: str, owner: str | None) -> tuple[BodyRef, bool]:
        """The BodyRef `resolve_body` answers, and whether its key is the authority's."""
        label = clean_label(label)
        if owner:
            head = self.lemma_key(label, lang).split()[:2]
            return BodyRef(label, "x-" + digest(" ".join(head), owner, n=12), kind), False
        m = self.bodies.match(label, lang)
        if m.key:
            b = self.auth.bodies[m.key]
            return BodyRef(b.label, m.key, b.kind), True
        # a body's identity does not depend on "при Министерстве …" being written out or not
        ident = re.split(r"\s+при\s+", label, maxsplit=1)[0]
        return BodyRef(label, "x-" + digest(self.lemma_key(ident, lang), n=12), kind), False

    def is_generic_body(self, key: str | None) -> bool:
        """Whether KEY is a kind of body named without its owner ('Методична рада', 'Круглый стол')."""
        return bool(key) and key in self.auth.bodies and self.auth.bodies[key].generic

    def same_body_kind(self, label: str, body: BodyRef, lang: str) -> bool:
        """Whether LABEL names a body by the same head word as BODY ('Клуба' and 'Клуб деловых встреч')."""
        first = self.lemma_key(label, lang).split()[:1]
        return bool(first) and self.lemma_key(body.label, lang).split()[:1] == first

    def unknown_body(self, doc: Document, lang: str) -> BodyRef:
        """A body for a document that names none: one per document, labelled by the file."""
        label = ("Невідомий орган" if lang == "uk" else "Неизвестный орган") + f" ({doc.name})"
        return BodyRef(label, "x-" + digest(doc.name, n=12), "other")

    def org_display(self, m: OrgMention) -> str:
        """The label to show for an organisation mention: the canonical one when reconciled."""
        return self.auth.orgs[m.key].label if m.key in self.auth.orgs else m.label

    def place_of_org(self, key: str | None, towns_only: bool = False) -> str | None:
        """The name of the place an authority organisation is in (with TOWNS_ONLY, only a city or town)."""
        if not key or key not in self.auth.orgs:
            return None
        p = self.auth.org_place(key)
        if p is None or (towns_only and p.kind not in ("city", "town", "municipality")):
            return None
        return p.label

    # -- what the RDF mapping asks ---------------------------------------------------------------
    def place_iri(self, mint, name: str, lang: str, e: Emitter) -> str:
        """The IRI of a place named NAME: the authority's, else one described in the document graph."""
        k = ("place", name, lang)
        if k not in self._memo:
            m = self.places.match(name, lang)
            self._memo[k] = (m.key, None) if m.key else (None, "x-" + digest(self.lemma_key(name, lang), n=12))
        key, minted = self._memo[k]
        if key:
            self.used_places.add(key)
            return mint.place(key)
        iri = mint.place(minted)
        e.add(iri, RDF.type, LKG.Place)
        e.lit(iri, SKOS.altLabel, name, lang)  # the build picks one prefLabel (kg/labels.py)
        return iri


def default_resources(authorities_dir: Path | None = None) -> Resources:
    """Resources from the project's data folder (or AUTHORITIES_DIR)."""
    return Resources(load_authorities(authorities_dir) if authorities_dir else None)
