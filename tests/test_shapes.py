"""The ontology, the SHACL shapes, the JSON-LD context and `kg validate`.

A hand-written graph in the shape of ontology/README.md (tests/fixtures/minimal.trig) conforms; each
mutation of it breaks one rule and must be reported at the right focus node and path.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.cli import main
from kg.namespaces import LKG, LKG_IRI, OWL, PREFIXES, RDF, RDFS, SKOS
from kg.rdf.convert import store_to_rdflib, union_graph
from kg.rdf.store import write_store
from kg.rdf.validate import validate

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "minimal.trig"
ONTOLOGY = ROOT / "ontology" / "kg.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
CONTEXT = ROOT / "ontology" / "context.jsonld"
ID = "https://kg.example.org/id/"
LANGS = {"en", "ru", "uk"}
PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
RELATIVE_IRI = re.compile(r"<(?![a-z]+:)([^<>\s]*)>")


def absolute(update: str) -> str:
    """UPDATE with its relative IRIs (<person/a1>) resolved against the fixture's base."""
    return RELATIVE_IRI.sub(lambda m: f"<{ID}{m.group(1)}>", update)


@pytest.fixture(scope="module")
def fixture_graph() -> Graph:
    """The fixture's triples, all graphs together."""
    return union_graph(Dataset().parse(FIXTURE, format="trig"))


@pytest.fixture(scope="module")
def ontology() -> Graph:
    """ontology/kg.ttl."""
    return Graph().parse(ONTOLOGY, format="turtle")


def mutated(base: Graph, update: str) -> Graph:
    """A copy of BASE changed by a SPARQL Update."""
    g = union_graph(base)
    g.update(absolute(update), initNs=dict(PREFIXES))
    return g


def test_fixture_conforms_without_warnings_as_a_graph_and_as_a_dataset(fixture_graph):
    report = validate(fixture_graph)
    assert report.conforms and report.violations == [], report.text
    assert validate(Dataset().parse(FIXTURE, format="trig")).text == report.text


def drop(subject: str, predicate: str) -> str:
    """An update that removes every value of PREDICATE on SUBJECT."""
    return f"DELETE WHERE {{ {subject} {predicate} ?value }}"


def add(triples: str) -> str:
    """An update that inserts TRIPLES."""
    return f"INSERT DATA {{ {triples} }}"


def swap(subject: str, predicate: str, value: str) -> str:
    """An update that replaces the values of PREDICATE on SUBJECT by VALUE."""
    return f"{drop(subject, predicate)} ; {add(f'{subject} {predicate} {value}')}"


R, I1, I2 = "<resolution/t01>", "<resolution/t01/item/1.1>", "<resolution/t01/item/1.2>"
MT, P = "<meeting/t01>", "<person/a1>"
M1, PD, F1, COOP = "<membership/m1>", "<membership/m1/period>", "<affiliation/f1>", "<cooperation/cgb--mibs>"

# (case, SPARQL Update, focus node (relative IRI), path as printed, a word of the message)
MUTATIONS = [
    ("membership without member", drop(M1, "org:member"), M1, "org:member", "member"),
    ("item without number", drop(I2, "eli:number"), I2, "eli:number", "number"),
    ("two items numbered 1 in one list", swap(I2, "eli:number", "'1'"), I2, "", "twice"),
    ("number as an integer", swap(I2, "eli:number", "2"), I2, "eli:number", "string"),
    ("item not listed", f"DELETE DATA {{ {R} eli:has_part {I2} }}", I2, "^eli:has_part", "has_part"),
    ("action type outside the scheme", swap(I1, "dct:type", "lkg:Member"), I1, "dct:type", "action type"),
    ("two action types", add(f"{I1} dct:type lkg:Approve"), I1, "dct:type", "action type"),
    ("admit item with no membership", swap(I1, "dct:type", "lkg:Admit"), I1, "", "lkg:establishedBy"),
    ("remove item with no ended membership", swap(I1, "dct:type", "lkg:Remove"), I1, "", "lkg:terminatedBy"),
    ("meeting with two bodies", add(f"{MT} lkg:heldBy <body/c> . <body/c> a lkg:Body ; "
                                    "skos:prefLabel 'Совет'@ru ; org:classification lkg:Council"),
     MT, "lkg:heldBy", "one body"),
    ("meeting starts after it ends", swap(MT, "schema:endDate", "'2022-06-07'^^xsd:date"), MT, "", "after"),
    ("meeting year after its end day", swap(MT, "schema:startDate", "'2023'^^xsd:gYear"), MT, "", "after"),
    ("date as a plain string", swap(MT, "schema:startDate", "'8-9 июня 2022 г.'"),
     MT, "schema:startDate", "date"),
    ("two start dates", add(f"{MT} schema:startDate '2022'^^xsd:gYear"),
     MT, "schema:startDate", "at most one"),
    ("period starts after it ends", add(f"{PD} dcat:endDate '2021'^^xsd:gYear"), PD, "", "after"),
    ("resolution without file name", drop(R, "lkg:fileName"), R, "lkg:fileName", "file name"),
    ("resolution of two meetings",
     add(f"{R} prov:wasGeneratedBy <m2> . <m2> a lkg:Meeting ; lkg:heldBy <body/club>"),
     R, "prov:wasGeneratedBy", "one meeting"),
    ("person without family name", drop(P, "foaf:familyName"), P, "foaf:familyName", "family name"),
    ("person with two full names", add(f"{P} foaf:name 'Митрохина О.П.'"), P, "foaf:name", "full name"),
    ("org with two ru labels", add("<org/mibs> skos:prefLabel 'МИБС'@ru"),
     "<org/mibs>", "skos:prefLabel", "per language"),
    ("org label without a language", swap("<org/cgb>", "skos:prefLabel", "'ЦГБ'"),
     "<org/cgb>", "skos:prefLabel", "language-tagged"),
    ("body without a kind", drop("<body/club>", "org:classification"),
     "<body/club>", "org:classification", "kind"),
    ("place without a label", drop("<place/mezhdurechensk>", "skos:prefLabel"),
     "<place/mezhdurechensk>", "skos:prefLabel", "prefLabel"),
    ("body membership without its items", drop(M1, "lkg:establishedBy"), M1, "", "ended by one"),
    ("body membership established twice", add(f"{M1} lkg:establishedBy {I1}"), M1, "lkg:establishedBy", "at most"),
    ("body membership with attestedOn", add(f"{M1} lkg:attestedOn '2022'^^xsd:gYear"),
     M1, "lkg:attestedOn", "attested"),
    ("body membership whose role is a post", swap(M1, "org:role", "<post/p>"), M1, "org:role", "lkg:Roles"),
    ("affiliation with establishedBy", add(f"{F1} lkg:establishedBy {I2}"),
     F1, "lkg:establishedBy", "snapshot"),
    ("affiliation without post or org", f"{drop(F1, 'org:role')} ; {drop(F1, 'org:organization')}",
     F1, "", "post"),
    ("affiliation whose role is not a post", swap(F1, "org:role", "lkg:Chair"), F1, "org:role", "lkg:Post"),
    ("membership without a source", drop(M1, "prov:wasDerivedFrom"), M1, "prov:wasDerivedFrom", "derived"),
    ("cooperation without evidence", drop(COOP, "lkg:evidence"), COOP, "lkg:evidence", "evidence"),
    ("cooperation weight of zero", swap(COOP, "lkg:weight", "0"), COOP, "lkg:weight", "at least 1"),
    ("weight not the evidence count", swap(COOP, "lkg:weight", "2"), COOP, "", "number of its evidence"),
    ("cooperation with itself", swap(COOP, "lkg:target", "<org/cgb>"), COOP, "lkg:source", "other than"),
]


@pytest.mark.parametrize("case, update, focus, path, word", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_mutation_is_a_violation(fixture_graph, case, update, focus, path, word):
    report = validate(mutated(fixture_graph, update))
    assert not report.conforms, case
    hits = [v for v in report.violations
            if v.severity == "violation" and v.focus == absolute(focus) and v.path == path]
    assert hits, report.text
    assert any(word.lower() in v.message.lower() for v in hits), report.text
    assert f"violation: {absolute(focus)}" in report.text


@pytest.mark.parametrize("kind", ["Instruct", "Recommend", "Acknowledge"])
def test_an_addressed_kind_without_addressee_is_only_a_warning(fixture_graph, kind):
    g = mutated(fixture_graph, f"{drop(I1, 'lkg:addressee')} ; {swap(I1, 'dct:type', f'lkg:{kind}')}")
    report = validate(g)
    assert report.conforms, report.text
    assert [(v.severity, v.focus) for v in report.violations] == [("warning", absolute(I1))]
    assert f"lkg:{kind}" in report.violations[0].message
    assert "0 violations, 1 warning" in report.text


CONFORMING = [
    ("recommend with its addressee", swap(I1, "dct:type", "lkg:Recommend")),
    ("a year-month start date", swap(MT, "schema:startDate", "'2022-06'^^xsd:gYearMonth")),
    ("an affiliation with only a workplace", drop(F1, "org:role")),
    ("an affiliation with only a post", drop(F1, "org:organization")),
    ("a removal whose admission is in no document",
     " ; ".join([swap(I2, "dct:type", "lkg:Remove"), drop(M1, "lkg:establishedBy"),
                 add(f"{M1} lkg:terminatedBy {I2}")])),
    ("a signatory's affiliation attested in the resolution",
     f"{swap(F1, 'lkg:attestedIn', R)} ; {swap(F1, 'prov:wasDerivedFrom', R)}"),
]


@pytest.mark.parametrize("case, update", CONFORMING, ids=[c[0] for c in CONFORMING])
def test_variations_that_conform(fixture_graph, case, update):
    assert validate(mutated(fixture_graph, update)).violations == [], case


def _lkg_terms(graph: Graph) -> set[URIRef]:
    """Every lkg: IRI that GRAPH mentions anywhere."""
    return {t for triple in graph for t in triple if isinstance(t, URIRef) and str(t).startswith(LKG_IRI)}


def test_ontology_header(ontology):
    header = URIRef(LKG_IRI.rstrip("#"))
    assert (header, RDF.type, OWL.Ontology) in ontology
    for p in (URIRef(PREFIXES["dct"] + "title"), URIRef(PREFIXES["dct"] + "license"), OWL.versionInfo):
        assert ontology.value(header, p) is not None, p


def test_every_lkg_term_of_ontology_shapes_and_context_is_in_namespaces_py_and_defined(ontology):
    declared = {s for s in ontology.subjects(RDF.type, None) if str(s).startswith(LKG_IRI)}
    assert declared == {URIRef(LKG_IRI + name) for name in LKG.__annotations__}
    used = _lkg_terms(ontology) | _lkg_terms(Graph().parse(SHAPES, format="turtle"))
    context = json.loads(CONTEXT.read_text(encoding="utf-8"))["@context"]
    for value in context.values():
        iri = value.get("@id") if isinstance(value, dict) else value
        if isinstance(iri, str) and iri.startswith("lkg:"):
            used.add(URIRef(LKG_IRI + iri[4:]))
    assert used and used <= declared, sorted(used - declared)


KINDS = [OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty]


@pytest.mark.parametrize("kind", KINDS, ids=["class", "object property", "datatype property"])
def test_classes_and_properties_have_labels_and_comments_in_three_languages(ontology, kind):
    terms = [s for s in ontology.subjects(RDF.type, kind) if str(s).startswith(LKG_IRI)]
    assert terms
    for term in terms:
        for p in (RDFS.label, RDFS.comment):
            assert {o.language for o in ontology.objects(term, p)} == LANGS, (term, p)


SCHEMES = {
    "ActionTypes": ["Admit", "Remove", "Elect", "Thank", "Acknowledge", "Instruct", "Recommend", "Approve",
                    "TakeNote", "PlanMeeting", "Other"],
    "Roles": ["Member", "Chair", "DeputyChair", "Secretary"],
    "BodyKinds": ["Council", "Club", "RoundTable", "MethodicalCouncil", "Conference", "OtherBody"],
}


@pytest.mark.parametrize("scheme", SCHEMES)
def test_concept_schemes_hold_the_readme_concepts_with_definitions(ontology, scheme):
    members = {s for s in ontology.subjects(SKOS.inScheme, LKG[scheme])}
    assert members == {LKG[c] for c in SCHEMES[scheme]}
    for term in [LKG[scheme], *members]:
        for p in (SKOS.prefLabel, SKOS.definition):
            assert {o.language for o in ontology.objects(term, p)} == LANGS, (term, p)


def test_action_types_have_ru_and_uk_triggers_used_once(ontology):
    seen: dict[Literal, URIRef] = {}
    for concept in SCHEMES["ActionTypes"]:
        labels = list(ontology.objects(LKG[concept], SKOS.hiddenLabel))
        if concept != "Other":
            assert {o.language for o in labels} == {"ru", "uk"}, concept
        for label in labels:
            assert seen.setdefault(label, LKG[concept]) == LKG[concept], f"{label} triggers two action types"
    assert Literal("ввести в состав", lang="ru") in seen and Literal("доручити", lang="uk") in seen


def test_compacted_fixture_reads_as_plain_json_and_round_trips(fixture_graph):
    context = json.loads(CONTEXT.read_text(encoding="utf-8"))["@context"]
    assert context["@version"] == 1.1 and {p: context[p] for p in PREFIXES} == PREFIXES
    text = fixture_graph.serialize(format="json-ld", context=context, auto_compact=True)
    nodes = json.loads(text)["graph"]
    assert not [k for node in nodes for k in node if ":" in k]
    meeting = next(n for n in nodes if n["id"] == f"{ID}meeting/t01")
    assert meeting["startDate"] == "2022-06-08" and meeting["heldBy"] == f"{ID}body/club"
    assert isomorphic(Graph().parse(data=text, format="json-ld"), fixture_graph)


def _store(path: Path, update: str | None = None) -> Path:
    """A kg store at PATH holding the fixture, changed by a SPARQL UPDATE on the store if given."""
    with write_store(path, fresh=True) as writer:
        writer.store.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
        if update:
            writer.store.update(PROLOGUE + absolute(update))
    return path


def test_store_to_rdflib_keeps_the_named_graphs(tmp_path):
    dataset = store_to_rdflib(ox.Store.read_only(str(_store(tmp_path / "kg") / "oxigraph")))
    graphs = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert graphs == {f"{ID}graph/{n}" for n in ("authority", "t01", "derived", "build")}
    assert len(union_graph(dataset)) == len(union_graph(Dataset().parse(FIXTURE, format="trig")))


def test_cli_validate_a_conforming_store(tmp_path, capsys):
    assert main(["validate", "--store", str(_store(tmp_path / "kg"))]) == 0
    out = capsys.readouterr().out
    assert out.strip().splitlines()[-1].startswith("the graph conforms: 0 violations")


def test_cli_validate_a_broken_store(tmp_path, capsys):
    store = _store(tmp_path / "kg", "DELETE WHERE { GRAPH ?g { <person/a1> foaf:familyName ?f } }")
    assert main(["validate", "--store", str(store)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert f"violation: <{ID}person/a1> foaf:familyName: A person has exactly one family name." in lines
    assert lines[-1].startswith("the graph does not conform: 1 violation,")


def test_cli_validate_warnings_do_not_fail(tmp_path, capsys):
    change = (f"DELETE WHERE {{ GRAPH ?g {{ {I1} dct:type ?t }} }} ;"
              f"DELETE WHERE {{ GRAPH ?g {{ {I1} lkg:addressee ?a }} }} ;"
              f"INSERT DATA {{ GRAPH <graph/t01> {{ {I1} dct:type lkg:Instruct }} }}")
    store = _store(tmp_path / "kg", change)
    assert main(["validate", "--store", str(store)]) == 0
    assert capsys.readouterr().out.startswith(f"warning: <{ID}resolution/t01/item/1.1>")


def test_cli_validate_missing_store_is_one_line(tmp_path):
    p = subprocess.run([sys.executable, "-m", "kg", "validate", "--store", str(tmp_path / "none")],
                       capture_output=True, text=True, timeout=120, check=False)
    assert p.returncode == 1
    assert len(p.stderr.strip().splitlines()) == 1 and "Traceback" not in p.stderr
    assert str(tmp_path / "none") in p.stderr
