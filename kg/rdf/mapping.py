"""Facts to quads: one named graph per document, every fact derived from its numbered item (PROV)."""
from __future__ import annotations

import functools
import re

import pyoxigraph as ox

from kg.iris import Minter, doc_id
from kg.model import DateValue, OrgMention, PersonMention, Resolution
from kg.namespaces import (
    DCAT,
    DCTERMS,
    ELI,
    FOAF,
    LKG,
    OPENGOV,
    ORG,
    PROV,
    RDF,
    SCHEMA,
    SKOS,
    XSD,
)

KIND_CONCEPT = {
    "admit": LKG.Admit, "remove": LKG.Remove, "elect": LKG.Elect, "thank": LKG.Thank,
    "acknowledge": LKG.Acknowledge, "instruct": LKG.Instruct, "recommend": LKG.Recommend,
    "approve": LKG.Approve, "take_note": LKG.TakeNote, "plan_meeting": LKG.PlanMeeting, "other": LKG.Other,
}
ROLE_CONCEPT = {"member": LKG.Member, "chair": LKG.Chair, "deputy_chair": LKG.DeputyChair,
                "secretary": LKG.Secretary}
BODY_KIND = {"council": LKG.Council, "club": LKG.Club, "roundtable": LKG.RoundTable,
             "methodical_council": LKG.MethodicalCouncil, "conference": LKG.Conference, "other": LKG.OtherBody}
ORG_CLASSES = {
    "library_system": (ORG.Organization, ORG.FormalOrganization, LKG.LibrarySystem),
    "library": (ORG.Organization, ORG.FormalOrganization, LKG.Library),
    "museum": (ORG.Organization, ORG.FormalOrganization),
    "authority": (ORG.Organization, ORG.FormalOrganization),
}


@functools.lru_cache(maxsize=4096)
def N(iri: str) -> ox.NamedNode:
    """A named node (cached: vocabulary terms recur in every document)."""
    return ox.NamedNode(str(iri))


def date_literal(iso: str) -> ox.Literal:
    """A date typed with the precision it has: xsd:date, xsd:gYearMonth or xsd:gYear."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
        return ox.Literal(iso, datatype=N(XSD.date))
    if re.fullmatch(r"\d{4}-\d{2}", iso):
        return ox.Literal(iso, datatype=N(XSD.gYearMonth))
    return ox.Literal(iso, datatype=N(XSD.gYear))


def literal(value, lang: str | None = None) -> ox.Literal | None:
    """VALUE as a literal: booleans and integers get their XSD types, a string LANG's tag; None and '' give None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=N(XSD.boolean))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=N(XSD.integer))
    if lang:
        return ox.Literal(str(value), language=lang)
    return ox.Literal(str(value))


@functools.lru_cache(maxsize=4096, typed=True)
def literal_code(value, lang: str | None = None) -> str | None:
    """The N-Triples form of `literal(VALUE, LANG)`."""
    o = literal(value, lang)
    return None if o is None else str(o)


class Emitter:
    """Collects the quads of one graph."""

    def __init__(self, graph: str):
        self.g = N(graph)
        self.quads: list[ox.Quad] = []

    def add(self, s: str, p: str, o) -> None:
        """Add (s, p, o); O is a term, or an IRI string."""
        if o is None:
            return
        self.quads.append(ox.Quad(N(s), N(p), o if not isinstance(o, str) else N(o), self.g))

    def lit(self, s: str, p: str, value, lang: str | None = None) -> None:
        """Add a literal statement; booleans and integers get their XSD types, None adds nothing."""
        o = literal(value, lang)
        if o is not None:
            self.quads.append(ox.Quad(N(s), N(p), o, self.g))


class DocumentMapper:
    """Maps one Resolution to quads; `authority` answers label/kind/place for authority keys."""

    def __init__(self, res: Resolution, mint: Minter, authority):
        self.res, self.mint, self.auth = res, mint, authority
        self.docid = doc_id(res.document.name)
        self.lang = res.document.lang
        self.e = Emitter(mint.graph(self.docid))
        self.date = res.meeting.date

    def org(self, m: OrgMention) -> str:
        """The organisation's IRI; its description goes to this graph only when the authority lacks it."""
        iri = self.mint.org(m.key)
        if not self.auth.has_org(m.key):
            for cls in ORG_CLASSES.get(m.kind, (ORG.Organization,)):
                self.e.add(iri, RDF.type, cls)
            self.e.lit(iri, SKOS.altLabel, m.label, self.lang)  # the build picks one prefLabel (kg/labels.py)
            self.e.lit(iri, LKG.reconciled, False)
        elif m.label != self.auth.org_label(m.key):
            self.e.lit(iri, SKOS.altLabel, m.label, self.lang)
        return iri

    def person(self, p: PersonMention) -> str:
        """The person's IRI with name statements."""
        n = p.name
        iri = self.mint.person(n)
        self.e.add(iri, RDF.type, FOAF.Person)
        self.e.lit(iri, FOAF.name, n.full)
        self.e.lit(iri, FOAF.familyName, n.family)
        self.e.lit(iri, FOAF.givenName, n.given)
        self.e.lit(iri, LKG.patronymic, n.patronymic)
        self.e.lit(iri, LKG.initials, n.initials)
        if n.gender in ("f", "m"):
            self.e.add(iri, SCHEMA.gender, SCHEMA.Female if n.gender == "f" else SCHEMA.Male)
        if n.guessed:
            self.e.lit(iri, LKG.nameGuessed, True)
        surface = re.sub(r"\s+", " ", p.quote).strip()
        if surface and surface != n.full:
            self.e.lit(iri, SKOS.altLabel, surface)
        return iri

    def affiliation(self, person: str, p: PersonMention, item: str) -> None:
        """A job-affiliation snapshot: the post and workplace the item states."""
        if not p.post and not p.org:
            return
        org = self.org(p.org) if p.org else ""
        aff = self.mint.affiliation(person, item, org, p.post or "")
        e = self.e
        e.add(aff, RDF.type, ORG.Membership)
        e.add(aff, ORG.member, person)
        if org:
            e.add(aff, ORG.organization, org)
        if p.post:  # no post is invented where the text names only the workplace
            post_iri = self.mint.post(p.post)
            e.add(aff, ORG.role, post_iri)
            # the post is shared by every document that names it: its type and prefLabel are stated once, in the
            # authority graph, by the build (kg/labels.py); the document states the form it saw
            e.lit(post_iri, SKOS.altLabel, p.post, self.lang)
        e.add(aff, LKG.attestedIn, item)
        if self.date:
            e.add(aff, LKG.attestedOn, date_literal(self.date.start))
        e.add(aff, PROV.wasDerivedFrom, item)
        e.lit(aff, LKG.quote, p.quote)

    def map(self) -> list[ox.Quad]:
        """All quads of the document's graph."""
        r, e, mint = self.res, self.e, self.mint
        doc, mt = r.document, r.meeting
        res_iri, meet = mint.resolution(self.docid), mint.meeting(self.docid)
        body = mint.body(mt.body.key)
        e.add(res_iri, RDF.type, LKG.Resolution)
        e.lit(res_iri, LKG.fileName, doc.name)
        e.lit(res_iri, DCTERMS.title, mt.title)
        e.lit(res_iri, DCTERMS.language, doc.lang)
        e.add(res_iri, ELI.passed_by, body)
        e.add(res_iri, PROV.wasGeneratedBy, meet)
        self.body(mt.body)
        e.add(meet, RDF.type, LKG.Meeting)
        e.add(meet, LKG.heldBy, body)
        if mt.date:
            e.add(meet, SCHEMA.startDate, date_literal(mt.date.start))
            if mt.date.end:
                e.add(meet, SCHEMA.endDate, date_literal(mt.date.end))
        if mt.place:
            e.add(meet, PROV.atLocation, self.auth.place_iri(mint, mt.place, self.lang, e))
        if mt.host:
            e.add(meet, LKG.host, self.org(mt.host))
        e.lit(meet, DCTERMS.subject, mt.topic, self.lang)
        if mt.online is not None:
            e.add(meet, SCHEMA.eventAttendanceMode,
                  SCHEMA.OnlineEventAttendanceMode if mt.online else SCHEMA.OfflineEventAttendanceMode)
        for pos, d in enumerate(r.decisions, 1):
            self.decision(d, pos, res_iri)
        if r.signatory:
            item = res_iri
            s = self.person(r.signatory)
            e.add(res_iri, LKG.signatory, s)
            self.affiliation(s, r.signatory, item)
        return e.quads

    def body(self, b) -> str:
        """The body's IRI; described here only when the authority lacks it."""
        iri = self.mint.body(b.key)
        if not self.auth.has_body(b.key):
            self.e.add(iri, RDF.type, LKG.Body)
            self.e.add(iri, RDF.type, ORG.Organization)
            self.e.add(iri, ORG.classification, BODY_KIND.get(b.kind, LKG.OtherBody))
            self.e.lit(iri, SKOS.altLabel, b.label, self.lang)  # the build picks one prefLabel (kg/labels.py)
        return iri

    def decision(self, d, pos: int, res_iri: str) -> None:
        """An item with its type, text, addressees, people, memberships and affiliations."""
        e, mint = self.e, self.mint
        item = mint.item(self.docid, d.list_no, d.number)
        e.add(res_iri, ELI.has_part, item)
        e.add(item, RDF.type, LKG.ResolutionItem)
        e.add(item, ELI.is_part_of, res_iri)
        e.lit(item, ELI.number, d.number)
        e.lit(item, LKG.listNumber, d.list_no)
        e.lit(item, LKG.position, pos)
        e.lit(item, PROV.value, d.text, self.lang)
        e.add(item, DCTERMS.type, KIND_CONCEPT.get(d.kind, LKG.Other))
        for o in d.orgs:
            e.add(item, ELI.refers_to, self.org(o))
        for o in d.addressees:
            e.add(item, LKG.addressee, self.org(o))
        body = self.body(d.body) if d.body else None
        for p in d.people:
            person = self.person(p)
            if p.org:
                e.add(item, ELI.refers_to, self.org(p.org))
            self.affiliation(person, p, item)
            if d.kind == "thank" or (d.kind not in ("admit", "remove", "elect")):
                e.add(item, LKG.addressee, person)
                continue
            if body is None:
                continue
            m = mint.membership(person, body, item)
            e.add(m, RDF.type, ORG.Membership)
            e.add(m, ORG.member, person)
            e.add(m, ORG.organization, body)
            e.add(m, ORG.role, ROLE_CONCEPT.get(d.role, LKG.Member))
            period = m + "/period"
            e.add(m, ORG.memberDuring, period)
            e.add(period, RDF.type, DCTERMS.PeriodOfTime)
            if d.kind == "remove":
                e.add(m, LKG.terminatedBy, item)
                e.lit(m, LKG.endReason, d.reason, self.lang)
                if self.date:
                    e.add(period, DCAT.endDate, date_literal(self.date.start))
            else:
                e.add(m, LKG.establishedBy, item)
                if self.date:
                    e.add(period, DCAT.startDate, date_literal(self.date.start))
            if p.org:
                e.add(m, OPENGOV.onBehalfOf, self.org(p.org))
            e.add(m, PROV.wasDerivedFrom, item)
            e.lit(m, LKG.quote, p.quote)


def resolution_quads(res: Resolution, mint: Minter, authority) -> list[ox.Quad]:
    """The quads of one resolution's named graph."""
    return DocumentMapper(res, mint, authority).map()


def meeting_date(res: Resolution) -> DateValue | None:
    """The meeting date of a resolution (None when the document states none)."""
    return res.meeting.date
