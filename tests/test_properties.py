"""Properties that hold for any text: the segmenter, the name finder and IRI minting never raise on arbitrary
Unicode, keep every span inside the text, mint only valid IRIs (no spaces, no <>"{}|^`\\, accepted by
pyoxigraph.NamedNode) and give the same answer every time, whatever was read before."""
from __future__ import annotations

import re

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.extract.namecase import normalize_name
from kg.extract.names import find_names
from kg.extract.pipeline import extract
from kg.extract.segment import segment
from kg.iris import SAFE_STEM, Minter, doc_id
from kg.model import Document, PersonName, Span
from kg.rdf.mapping import resolution_quads

BASES = ["https://kg.example.org/id/", "http://data.example.org/kg#", "urn:kg:"]
FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f]')
# Pieces that resolutions are made of, and pieces that break naive parsers.
LINES = [
    "1. ", "2. ", "3) ", " 4. ", "**5.** ", "10. ", "١. ", "1.", "- ", "• ", "постановили:", "ухвалили:", "РЕШИЛИ:",
    "Ввести в состав Совета Иванову Ольгу Петровну, директора ЦБС г. Белово.",
    "Вывести из состава Совета Петрова П.П. в связи с выходом на пенсию.",
    "Выразить благодарность коллективу Крапивинской библиотечной системы.",
    "Ввести до складу ради Коваленко Олену Петрівну, заступника директора ЦБС м. Дніпро.",
    "Председатель Совета\tЕ.В. Щёкина", "Голова ради      О. Коваленко", "За дорученням", "12 марта 2023 г.",
    "Заседание Совета директоров библиотек", "«", "»", '"""', "<b>", "} ; DROP ALL ; SELECT * {", "\t", "\r",
    "\u2028", "\u00a0", "\u200b", "\ufeff", "е\u0301", "ё", "Ё", "ʼ", "’", "'", "\x07", "*", "**", "",
]
structured = st.lists(st.lists(st.sampled_from(LINES), max_size=4).map("".join), max_size=25).map("\n".join)
any_text = st.one_of(st.text(max_size=400), structured, st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
sentence = st.lists(st.one_of(st.sampled_from(LINES[13:]), st.text(max_size=12)), min_size=1, max_size=4).map(" ".join)
documents = st.tuples(structured, st.lists(sentence, min_size=1, max_size=6), structured).map(
    lambda t: t[0] + "\nпостановили:\n" + "".join(f"{n}. {d}\n" for n, d in enumerate(t[1], 1)) + t[2])
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_iri(iri: str) -> None:
    """IRI is absolute, free of characters IRIs forbid, and accepted by pyoxigraph."""
    assert re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", iri), iri
    assert not FORBIDDEN.search(iri), iri
    assert ox.NamedNode(iri).value == iri


def inside(span: Span | None, text: str, lo: int = 0, hi: int | None = None) -> bool:
    """Whether SPAN lies within [LO, HI] of TEXT (HI defaults to its length)."""
    hi = len(text) if hi is None else hi
    return span is None or lo <= span.start <= span.stop <= hi


@SETTINGS
@given(text=any_text)
def test_segment_keeps_every_span_inside_the_text_and_in_order(text):
    seg = segment(text)
    assert seg.header.start == 0 and inside(seg.header, text)
    assert inside(seg.preamble, text) and inside(seg.tail, text)
    assert all(inside(s, text) for s in seg.intros)
    if seg.signature:
        assert seg.tail and inside(seg.signature, text, seg.tail.start, seg.tail.stop)
    previous_stop, previous_list = seg.header.stop, 0
    for item in seg.items:
        assert inside(item.span, text) and inside(item.body, text, item.span.start, item.span.stop)
        assert item.span.start >= previous_stop
        assert item.list_no >= previous_list
        assert item.number.isascii() and item.number.isdigit()
        m = re.match(r"(?:\*\*)?(\d{1,3})", text[item.span.start:])
        assert m and int(m.group(1)) == int(item.number)
        previous_stop, previous_list = item.span.stop, item.list_no
    assert segment(text) == seg


def test_a_list_that_starts_at_two_is_list_one():
    seg = segment("Решение совета\n\n2. Принять к сведению.\n3. Утвердить план.\n")
    assert [(i.list_no, i.number) for i in seg.items] == [(1, "2"), (1, "3")]


@SETTINGS
@given(texts=st.lists(any_text, min_size=1, max_size=4), lang=st.sampled_from(["ru", "uk"]))
def test_names_are_found_inside_the_text_whatever_was_read_before(morph, texts, lang):
    forward = [find_names(t, lang, morph) for t in texts]
    backward = [find_names(t, lang, morph) for t in reversed(texts)][::-1]
    assert forward == backward
    for text, matches in zip(texts, forward):
        for m in matches:
            assert 0 <= m.start < m.stop <= len(text) and text[m.start:m.stop] == m.surface
            assert m.name.family and m.name.full == m.name.full.strip()


@SETTINGS
@given(parts=st.lists(st.one_of(st.none(), st.text(max_size=20)), min_size=4, max_size=4),
       lang=st.sampled_from(["ru", "uk"]), base=st.sampled_from(BASES))
def test_a_normalised_name_mints_the_same_valid_iri_every_time(morph, parts, lang, base):
    family, given_name, patronymic, initials = parts
    first = normalize_name(family or "", given_name, patronymic, initials, lang, morph)
    assert normalize_name(family or "", given_name, patronymic, initials, lang, morph) == first
    iri = Minter(base).person(first)
    assert_iri(iri)
    assert Minter(base).person(first) == iri


@SETTINGS
@given(name=st.text(min_size=1, max_size=120), base=st.sampled_from(BASES))
def test_document_ids_are_valid_iri_segments(name, base):
    docid = doc_id(name)
    assert doc_id(name) == docid
    stem = name.rsplit(".", 1)[0] if "." in name else name
    assert docid == stem if SAFE_STEM.fullmatch(stem) else re.fullmatch(r"d[0-9a-f]{16}", docid)
    mint = Minter(base)
    for iri in (mint.graph(docid), mint.resolution(docid), mint.meeting(docid), mint.item(docid, 1, "12")):
        assert_iri(iri)


@SETTINGS
@given(values=st.lists(st.text(max_size=60), min_size=4, max_size=4), base=st.sampled_from(BASES))
def test_every_minter_gives_valid_deterministic_iris_for_any_text(values, base):
    a, b, c, d = values
    mint = Minter(base)
    made = [mint.post(a), mint.membership(a, b, c), mint.affiliation(a, b, c, d), mint.cooperation(a, b),
            mint.person(PersonName(a, b or None, c or None, d or None))]
    for iri in made:
        assert_iri(iri)
    assert made[3] == mint.cooperation(b, a)
    assert made == [mint.post(a), mint.membership(a, b, c), mint.affiliation(a, b, c, d), mint.cooperation(a, b),
                    mint.person(PersonName(a, b or None, c or None, d or None))]


@SETTINGS
@given(label=st.one_of(st.text(max_size=60), st.sampled_from(LINES)), lang=st.sampled_from(["ru", "uk"]))
def test_organisations_and_bodies_of_any_label_get_valid_iris(resources, label, lang):
    mint = Minter(BASES[0])
    org = resources.resolve_org(label, label, "organization", lang, Span(0, len(label)))
    if org is not None and org.key:
        assert_iri(mint.org(org.key))
    body = resources.resolve_body(label, "council", lang)
    assert body.key and mint.body(body.key)
    assert_iri(mint.body(body.key))
    assert resources.resolve_body(label, "council", lang) == body


def test_authority_keys_make_valid_iris(resources):
    mint = Minter(BASES[0])
    auth = resources.auth
    for iri in [*map(mint.org, auth.orgs), *map(mint.body, auth.bodies), *map(mint.place, auth.places)]:
        assert_iri(iri)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(documents, structured), name=st.text(min_size=1, max_size=40), lang=st.sampled_from(["ru", "uk"]))
def test_any_document_maps_to_valid_iris_or_a_stated_reason(resources, text, name, lang):
    from kg.errors import IngestError

    doc = Document(name=name, path=name, text=text, lang=lang)
    try:
        resolution = extract(doc, resources)
    except IngestError as exc:
        assert exc.reason.startswith("no numbered decisions")
        return
    for q in resolution_quads(resolution, Minter(BASES[0]), resources):
        for term in (q.subject, q.predicate, q.object, q.graph_name):
            if isinstance(term, ox.NamedNode):
                assert_iri(term.value)
            assert not isinstance(term, ox.BlankNode)
