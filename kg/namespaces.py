"""The only module that spells the IRIs of vocabularies (our own and the W3C ones we reuse)."""
from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    TIME,
    VOID,
    XSD,
    DefinedNamespace,
)
from rdflib.term import URIRef

LKG_IRI = "https://kg.example.org/ns#"
DEFAULT_BASE = "https://kg.example.org/id/"


class LKG(DefinedNamespace):
    """kg's own ontology terms, only where no standard term fits (see ontology/kg.ttl)."""

    _fail = True
    _NS = Namespace(LKG_IRI)

    # classes
    Body: URIRef
    LibrarySystem: URIRef
    Library: URIRef
    Meeting: URIRef
    Resolution: URIRef
    ResolutionItem: URIRef
    Place: URIRef
    Post: URIRef
    CooperationLink: URIRef
    Build: URIRef
    # properties
    heldBy: URIRef
    host: URIRef
    fileName: URIRef
    listNumber: URIRef
    position: URIRef
    addressee: URIRef
    establishedBy: URIRef
    terminatedBy: URIRef
    endReason: URIRef
    attestedOn: URIRef
    attestedIn: URIRef
    quote: URIRef
    patronymic: URIRef
    initials: URIRef
    signatory: URIRef
    weight: URIRef
    evidence: URIRef
    source: URIRef
    target: URIRef
    nameGuessed: URIRef
    matchMethod: URIRef
    matchScore: URIRef
    reconciled: URIRef
    placeKind: URIRef
    # concept schemes and concepts
    ActionTypes: URIRef
    Admit: URIRef
    Remove: URIRef
    Elect: URIRef
    Thank: URIRef
    Acknowledge: URIRef
    Instruct: URIRef
    Recommend: URIRef
    Approve: URIRef
    TakeNote: URIRef
    PlanMeeting: URIRef
    Other: URIRef
    Roles: URIRef
    Member: URIRef
    Chair: URIRef
    DeputyChair: URIRef
    Secretary: URIRef
    BodyKinds: URIRef
    Council: URIRef
    Club: URIRef
    RoundTable: URIRef
    MethodicalCouncil: URIRef
    Conference: URIRef
    OtherBody: URIRef


class ELI(DefinedNamespace):
    """European Legislation Identifier ontology (the terms kg uses)."""

    _fail = True
    _NS = Namespace("http://data.europa.eu/eli/ontology#")

    LegalResource: URIRef
    LegalResourceSubdivision: URIRef
    passed_by: URIRef
    is_part_of: URIRef
    has_part: URIRef
    number: URIRef
    refers_to: URIRef


class OA(DefinedNamespace):
    """Web Annotation vocabulary (the terms kg uses)."""

    _fail = True
    _NS = Namespace("http://www.w3.org/ns/oa#")

    TextQuoteSelector: URIRef
    exact: URIRef


class OPENGOV(DefinedNamespace):
    """Popolo's opengov terms (the ones kg uses)."""

    _fail = True
    _NS = Namespace("http://www.w3.org/ns/opengov#")

    onBehalfOf: URIRef


class BESLUIT(DefinedNamespace):
    """LBLOD's decision vocabulary (the terms kg aligns to)."""

    _fail = True
    _NS = Namespace("http://data.vlaanderen.be/ns/besluit#")

    Zitting: URIRef
    isGehoudenDoor: URIRef


WD = Namespace("http://www.wikidata.org/entity/")
SCHEMA = SDO

PREFIXES: dict[str, str] = {
    "lkg": LKG_IRI,
    "org": str(ORG),
    "prov": str(PROV),
    "dct": str(DCTERMS),
    "skos": str(SKOS),
    "foaf": str(FOAF),
    "schema": str(SDO),
    "time": str(TIME),
    "eli": str(ELI._NS),
    "oa": str(OA._NS),
    "opengov": str(OPENGOV._NS),
    "besluit": str(BESLUIT._NS),
    "dcat": str(DCAT),
    "void": str(VOID),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "wd": str(WD),
}

__all__ = [
    "BESLUIT", "DCAT", "DCTERMS", "DEFAULT_BASE", "ELI", "FOAF", "LKG", "LKG_IRI", "OA", "OPENGOV", "ORG",
    "OWL", "PREFIXES", "PROV", "RDF", "RDFS", "SCHEMA", "SKOS", "TIME", "VOID", "WD", "XSD",
]
