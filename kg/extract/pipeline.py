"""From a Document to a Resolution: segment, read the header, then each decision with its people and
organisations; names normalised and organisations reconciled."""
from __future__ import annotations

import bisect
import re

from kg.errors import IngestError
from kg.extract import decisions as dec
from kg.extract.header import body_end, find_body, read_header
from kg.extract.names import find_names
from kg.extract.orgs import OrgSpan, find_orgs
from kg.extract.people import is_post_start, read_people, removal_reason
from kg.extract.phrases import to_nominative
from kg.extract.segment import segment
from kg.model import BodyRef, Decision, Document, Meeting, OrgMention, PersonMention, Resolution, Span
from kg.resources import Resources

CASE_OF = {"admit": "accs", "remove": "accs", "elect": "accs", "thank": "datv"}
COLLECTIVE = re.compile(r"(коллектив|колектив|сотрудник|працівник|работник)\w*\s*$", re.IGNORECASE)


def _fold(s: str) -> str:
    """Collapse white space and drop Markdown emphasis."""
    return re.sub(r"\s+", " ", s.replace("**", "")).strip()


def _recase(s: str, lang: str, morph) -> str:
    """A heading in capitals ('КООРДИНАЦИОННЫЙ СОВЕТ ПО БИБЛИОТЕЧНОМУ ДЕЛУ') in ordinary case: words in lower
    case, names of places and people capitalised, abbreviations kept."""
    words = s.split(" ")
    if sum(w.isupper() and len(w) > 3 for w in words) < 2:
        return s
    out = []
    for n, w in enumerate(words):
        if w.isupper() and len(w) > 1 and any(c.isalpha() for c in w):
            ps = morph.parse(w, lang)
            if len(w) <= 5 and not morph.is_known(w.lower(), lang):
                out.append(w)  # ЦБС, ГНБК
                continue
            proper = bool({"Geox", "Name", "Surn"} & set(ps[0].tag.grammemes)) if ps else False
            w = w.capitalize() if proper or n == 0 else w.lower()
        out.append(w)
    return " ".join(out)


class _Doc:
    """Extraction state for one document."""

    def __init__(self, doc: Document, res: Resources):
        self.doc, self.res, self.lang, self.morph = doc, res, doc.lang, res.morph
        self.text = doc.text
        self.owner: OrgMention | None = None  # the organisation whose council this is ("методична рада ЦБС")

    def org(self, o: OrgSpan) -> OrgMention | None:
        """Normalise and reconcile an organisation phrase."""
        if o.built:
            label = o.built
        elif o.legal_name:
            label = _fold(o.surface)
        else:
            label = to_nominative(_fold(o.surface), self.lang, self.morph)
        return self.res.resolve_org(label, _fold(o.surface), o.kind, self.lang, Span(o.start, o.stop))

    def body(self, surface: str, kind: str, default: BodyRef | None) -> BodyRef:
        """Normalise and reconcile a body's name; a short form ('Клуба') falls back to the meeting's body."""
        label = to_nominative(_recase(_fold(surface), self.lang, self.morph), self.lang, self.morph)
        label = label[:1].upper() + label[1:]
        ref = self.res.resolve_body(label, kind, self.lang)
        if default and self.res.is_generic_body(ref.key) and self.res.same_body_kind(label, default, self.lang):
            return default  # "до складу методичної ради" in a resolution of that council
        if ref.key and not ref.key.startswith("x-") and not self.res.is_generic_body(ref.key):
            return ref
        if default and (len(label.split()) <= 2 or self.res.same_body_kind(label, default, self.lang)):
            return default
        return ref

    def meeting(self, header: str, preamble: str) -> Meeting:
        """The meeting from the header and preamble."""
        h = read_header(header, preamble, self.lang, self.morph)
        host = self.org(h.host) if h.host else None
        if h.body:
            surface = header[h.body[0]:h.body[1]]
            if h.body_kind == "roundtable" and h.topic:  # a round table is known by its topic
                surface = f"{to_nominative(_fold(surface), self.lang, self.morph)} «{h.topic}»"
            body = self.body(surface, h.body_kind, None)
            if self.res.is_generic_body(body.key) or (body.key.startswith("x-") and len(surface.split()) <= 2):
                body = self._owned(header, h.body[1], surface, h.body_kind, host)
        else:
            found = find_body(preamble, self.lang, self.morph)
            body = self.body(preamble[found[0][0]:found[0][1]], found[1], None) if found else \
                self.res.unknown_body(self.doc, self.lang)
        place = h.place
        if place is None and host and h.online is not True:
            place = self.res.place_of_org(host.key, towns_only=True)
        return Meeting(body, h.date, place, host, h.topic, h.online, _fold(h.title) if h.title else None)

    def _owned(self, header: str, end: int, surface: str, kind: str, host: OrgMention | None) -> BodyRef:
        """A generic body ('Методична рада') named with its owner: the organisation that follows its name
        in the header ('… Централізованої бібліотечної системи м. Краматорська'), else the host."""
        head = to_nominative(_fold(surface), self.lang, self.morph)
        head = head[:1].upper() + head[1:]
        after = [o for o in find_orgs(header[end:end + 200], self.lang, self.morph, offset=end)
                 if o.specific and not header[end:o.start].strip(" \t\n,–—-")]
        if after:
            owner = self.org(after[0])
            if owner:
                label = f"{head} {_fold(after[0].surface)}"
                self.owner = owner
                return self.res.resolve_body(label, kind, self.lang, owner=owner.key)
        if host:
            self.owner = host
            return self.res.resolve_body(f"{head} ({self.res.org_display(host)})", kind, self.lang, owner=host.key)
        return self.res.resolve_body(head, kind, self.lang)

    def decision(self, item, meeting: Meeting) -> Decision:
        """One numbered decision with its kind, people, organisations and addressees."""
        a, b = item.body.start, item.body.stop
        text = self.text[a:b]
        trig = dec.classify(text, self.lang)
        kind = trig.kind if trig else "other"
        hint = CASE_OF.get(kind)
        if kind == "elect" and trig and re.search(r"(избран|обран)\w*$", text[trig.start:trig.stop]):
            hint = "nomn"  # "Председателем Совета избрана Иванова …"
        names = list(find_names(text, self.lang, self.morph, hint))
        blocked = [(n.start, n.stop) for n in names]
        spans = [o for o in find_orgs(text, self.lang, self.morph, blocked=blocked) if o.specific]
        body_ref = None
        lo = trig.stop if trig else 0
        if trig and kind in ("admit", "remove", "elect"):
            bp = dec.body_phrase(text, trig)
            if bp:  # "из состава Совета в связи со сменой места работы …": the name stops at "в связи"
                bp = (bp[0], min(bp[1], body_end(text, bp[0], self.lang, self.morph)))
                for w in list(re.finditer(r"[\w.]+", text[bp[0]:bp[1]]))[1:]:
                    if is_post_start(w.group(0), self.lang, self.morph) and "plur" not in \
                            self.morph.parse(w.group(0), self.lang)[0].tag:  # "… методиста директора МБУК …"
                        bp = (bp[0], bp[0] + len(text[bp[0]:bp[0] + w.start()].rstrip(" ,")))
                        break
            inside = [n.start for n in names if bp and bp[0] <= n.start < bp[1]]
            if inside:  # the body's name ends where the first person's name begins
                cut = min(inside)
                bp = (bp[0], len(text[:cut].rstrip(" ,:;–—-\n"))) if cut > bp[0] else None
            if bp:
                body_ref = self.body(text[bp[0]:bp[1]], meeting.body.kind, meeting.body)
                lo = bp[1]
                spans = [o for o in spans if not (bp[0] <= o.start < bp[1])]
            else:
                body_ref = meeting.body
                lo = trig.stop
        mentions = {(o.start, o.stop, o.built): self.org(o) for o in spans}
        rejected = {k for k, v in mentions.items() if v is None}
        spans = [o for o in spans if (o.start, o.stop, o.built) not in rejected]
        mentions = {k: v for k, v in mentions.items() if v is not None}
        people: list[PersonMention] = []
        used: set = set()
        for ctx in read_people(text, lo, names, spans, self.lang, self.morph):
            n = ctx.match
            org = mentions[(ctx.org.start, ctx.org.stop, ctx.org.built)] if ctx.org else None
            if org is None and self.owner and body_ref is meeting.body:
                org = self.owner  # a member of a library's own council works there
            if ctx.org:
                used.add((ctx.org.start, ctx.org.stop, ctx.org.built))
            post = None
            if ctx.post:
                post = to_nominative(_fold(text[ctx.post[0]:ctx.post[1]]), self.lang, self.morph,
                                     gender=n.name.gender).lower()
                post = re.sub(r"^и\.\s?о\.", "исполняющий обязанности", post) if post.startswith("и.") else post
                post = post.rstrip(" .,;") if not re.search(r"\b\w\.\w\.$", post) else post
            quote_a = min([n.start] + ([ctx.post[0]] if ctx.post else []))
            quote_b = max([n.stop] + ([ctx.org.stop] if ctx.org else []))
            if text[quote_b:quote_b + 1] == ")" and "(" in text[n.stop:quote_b]:
                quote_b += 1
            people.append(PersonMention(self.res.correct_name(n.name), Span(a + n.start, a + n.stop), _fold(text[quote_a:quote_b]),
                                        post, org))
        orgs = tuple(OrgMention(m.label, Span(a + m.span.start, a + m.span.stop), m.quote, m.key, m.kind,
                                m.method, m.score) for m in mentions.values())
        addressees = self._addressees(text, kind, trig, spans, mentions, used, a)
        reason = removal_reason(text) if kind == "remove" else None
        return Decision(item.list_no, item.number, _fold(text), Span(a, b), kind, tuple(people), orgs,
                        addressees, body_ref, trig.role if trig else "member", reason)

    def _addressees(self, text, kind, trig, spans, mentions, used, a) -> tuple[OrgMention, ...]:
        """Organisations a decision addresses: thanked collectives, or those named in its first sentence."""
        if kind in ("admit", "remove", "elect", "other") or trig is None:
            return ()
        first = dec.sentences(text)
        end = first[0][1] if first else len(text)
        for s, e in first:
            if s <= trig.start < e:
                end = e
        out = []
        for o in spans:
            key = (o.start, o.stop, o.built)
            if key in used or o.start >= end:
                continue
            if kind == "thank" and not o.built and not COLLECTIVE.search(text[:o.start]) and \
                    text.rfind(" за ", 0, o.start) >= trig.stop:
                continue
            m = mentions[key]
            out.append(OrgMention(m.label, Span(a + m.span.start, a + m.span.stop), m.quote, m.key, m.kind,
                                  m.method, m.score))
        return tuple(out)

    def signatory(self, span: Span | None) -> PersonMention | None:
        """The person who signed, with their post and organisation."""
        if span is None:
            return None
        sig = self.text[span.start:span.stop]
        names = find_names(sig, self.lang, self.morph, "nomn")
        if not names:
            return None
        n = names[-1]
        left = _fold(sig[:n.start])
        orgs = find_orgs(left, self.lang, self.morph)
        post, org = left, None
        if orgs:
            post = left[:orgs[0].start].strip()
            org = self.org(orgs[0])
        post = to_nominative(post, self.lang, self.morph, gender=n.name.gender).lower() if post else None
        return PersonMention(self.res.correct_name(n.name), Span(span.start + n.start, span.start + n.stop), _fold(sig), post, org)


def _line_of(text: str, pos: int, _cache: dict = {}) -> int:  # noqa: B006 - one cache of line starts per text
    """The 1-based line number of character POS (line starts computed once per text)."""
    key = id(text)
    starts = _cache.get(key)
    if starts is None or starts[0] is not text:
        starts = (text, [0] + [m.end() for m in re.finditer("\n", text)])
        _cache.clear()
        _cache[key] = starts
    return bisect.bisect_right(starts[1], pos)


def extract(doc: Document, res: Resources) -> Resolution:
    """Everything kg reads from one document; a document without numbered decisions is an IngestError."""
    seg = segment(doc.text)
    if not seg.items:
        raise IngestError(doc.path, "no numbered decisions found (expected lines like '1. …')")
    d = _Doc(doc, res)
    header = doc.text[seg.header.start:seg.header.stop]
    preamble = doc.text[seg.preamble.start:seg.preamble.stop] if seg.preamble else ""
    meeting = d.meeting(header, preamble)
    decisions = tuple(d.decision(it, meeting) for it in seg.items)
    signatory = d.signatory(seg.signature)
    unconsumed = []
    if seg.tail:
        sig = seg.signature
        pos = seg.tail.start
        for ln in doc.text[seg.tail.start:seg.tail.stop].split("\n"):
            if ln.strip() and not (sig and sig.start <= pos < sig.stop) and \
                    not re.match(r"\s*(За дорученням|По поручению)", ln):
                unconsumed.append((_line_of(doc.text, pos), _fold(ln)))
            pos += len(ln) + 1
    for dd in decisions:
        if dd.kind == "other":
            unconsumed.append((_line_of(doc.text, dd.span.start), "decision of no known kind: " +
                               dd.text[:80]))
    return Resolution(doc, meeting, decisions, signatory, (), tuple(unconsumed))
