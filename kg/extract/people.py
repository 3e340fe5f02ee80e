"""People in a decision with the post and workplace the text attaches to each: anchor on the name, then
read the context — left ("директора <org> <name>"), right (", <post> <org>" or "(<org>)"), and a
"(<org>)" after a group of names applies to the whole group."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from kg.lexicon import load_tsv

SEGMENT_SPLIT = re.compile(r";|\n\s*[-–—·•*▪]\s*|\n\s*\n")
REASON = re.compile(r"\b(?:в\s+связи\s+с|по\s+причине|по\s+собственному|у\s+зв[’'ʼ]язку\s+(?:з|зі|із)|за\s+власним)\b.*",
                    re.IGNORECASE | re.DOTALL)
STOP_AFTER = re.compile(r"\s(?:за|в\s+связи|у\s+зв|в\s+знак|для)\s", re.IGNORECASE)


@dataclass(frozen=True)
class PersonContext:
    """A name match with the post and organisation phrases read around it (raw, not yet normalised)."""

    match: object  # names.NameMatch
    post: tuple[int, int] | None = None  # span of the post phrase in the decision text
    org: object | None = None  # orgs.OrgSpan


@functools.lru_cache(maxsize=1)
def _posts() -> frozenset[tuple[str, str]]:
    """Job-title starting words (lemma, lang)."""
    return frozenset((r["lemma"], r["lang"]) for r in load_tsv("posts"))


def is_post_start(word: str, lang: str, morph) -> bool:
    """Whether WORD starts a job title ('директора', 'ведущего', 'и.о.', 'начальнику')."""
    w = word.lower()
    if (w, lang) in _posts():
        return True
    return any((p.normal_form, lang) in _posts() for p in morph.parse(w, lang)[:3])


def _segments(text: str, lo: int) -> list[tuple[int, int]]:
    """The list segments of TEXT from LO on (split at ';', bullets and blank lines)."""
    out, start = [], lo
    for m in SEGMENT_SPLIT.finditer(text, lo):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


def _singular(word: str, lang: str, morph) -> bool:
    """Whether WORD can be singular ("методистов" of a club's name is not one person's post)."""
    return any("plur" not in p.tag for p in morph.parse(word, lang)[:3])


def _seg_start(text: str, lo: int, pos: int) -> int:
    """The start of the list segment that holds POS."""
    for a, b in _segments(text, lo):
        if a <= pos <= b:
            return a
    return lo


def _post_span(text: str, a: int, b: int, lang: str, morph, scan: bool = False) -> tuple[int, int] | None:
    """The span of a post phrase in text[a:b] if it starts with a post word (commas and spaces trimmed);
    with SCAN, the post may start after other words (the reason of a thanks before the person)."""
    seg = text[a:b]
    lead = len(seg) - len(seg.lstrip(" ,:–—-\n\t"))
    seg = seg.strip(" ,:–—-\n\t")
    while True:  # "лично директору", "а также заведующей"
        w = re.match(r"(\w+)\s+", seg)
        if not w or not any(p.tag.POS in ("ADVB", "PRCL", "CONJ") for p in morph.parse(w.group(1), lang)[:1]):
            break
        lead += w.end()
        seg = seg[w.end():]
    if not seg:
        return None
    first = re.match(r"[\w.]+", seg)
    if not first or not is_post_start(first.group(0).rstrip("."), lang, morph) and \
            not is_post_start(first.group(0), lang, morph):
        if not scan:
            return None
        # "благодарность за подготовку материалов заведующей отделом …": the post starts later
        later = next((w for w in re.finditer(r"[\w.]+", seg) if w.start() > 0 and _singular(w.group(0), lang, morph)
                      and (is_post_start(w.group(0).rstrip("."), lang, morph) or is_post_start(w.group(0), lang, morph))),
                     None)
        if later is None:
            return None
        lead += later.start()
        seg = seg[later.start():]
    start = a + lead
    # the post ends where a proper name begins ("Главе Междуреченского городского округа" → "Главе")
    words = list(re.finditer(r"\S+", seg))
    for w in words[1:]:
        if w.group(0)[:1].isupper():
            seg = seg[:w.start()].rstrip(" ,")
            break
    return start, start + len(seg)


def read_people(text: str, lo: int, names: list, orgs: list, lang: str, morph) -> list[PersonContext]:
    """Attach posts and organisations to each name in TEXT after offset LO.

    NAMES are NameMatch objects and ORGS OrgSpan objects found in the same text (offsets into it).
    """
    out: list[PersonContext] = []
    first = min((n for n in names if n.start >= lo), key=lambda n: n.start, default=None)
    # the list's style: post first ("директора X Иванову, директора Y Петрову") or person first
    # ("Иванову, директора X, Петрову, директора Y"); a post between two names goes to one side only
    post_first = first is not None and _post_span(text, _seg_start(text, lo, first.start), first.start,
                                                   lang, morph) is not None
    for seg_a, seg_b in _segments(text, lo):
        inside = [n for n in names if seg_a <= n.start and n.stop <= seg_b]
        pending: list[int] = []
        for k, n in enumerate(inside):
            left_a = inside[k - 1].stop if k else seg_a
            right_b = inside[k + 1].start if k + 1 < len(inside) else seg_b
            post = org = None
            paren = False
            # left: "директора Крапивинской библиотечной системы Головину …"
            left_orgs = [o for o in orgs if left_a <= o.start and o.stop <= n.start]
            lp = _post_span(text, left_a, left_orgs[0].start if left_orgs else n.start, lang, morph,
                            scan=k == 0) if post_first or k == 0 else None
            if lp:
                post = lp
                org = left_orgs[0] if left_orgs else None
            # right: "(Ижморская ЦБС)", ", начальнику Управления культуры …, за …"
            right = text[n.stop:right_b]
            stripped = right.lstrip()
            if stripped.startswith("("):
                pa = n.stop + len(right) - len(stripped)
                pb = text.find(")", pa)
                pb = pb if 0 <= pb <= right_b else right_b
                inner = [o for o in orgs if pa <= o.start and o.stop <= pb]
                if inner:
                    org, paren = inner[0], True
                    if post is None:
                        post = _post_span(text, pa + 1, inner[0].start, lang, morph)
            elif stripped[:1] in (",", "–", "—", "-") and post is None and not (post_first and k + 1 < len(inside)):
                ca = n.stop + len(right) - len(stripped) + 1  # ", ведущего методиста …" or "– библиотекаря …"
                cut = STOP_AFTER.search(text, ca, right_b)
                cb = cut.start() if cut else right_b
                comma = text.find(",", ca, cb)
                inner = [o for o in orgs if ca <= o.start and o.stop <= cb]
                end_post = inner[0].start if inner else (comma if comma > 0 else cb)
                post = _post_span(text, ca, end_post, lang, morph)
                if post:
                    org = inner[0] if inner else None
            out.append(PersonContext(n, post, org))
            if org is None and not stripped.startswith("(") and post is None:
                pending.append(len(out) - 1)  # "Лыкову … и Новоселову … (X)": X applies to both
            elif paren:
                for p in pending:
                    out[p] = PersonContext(out[p].match, out[p].post, org)
                pending = []
            else:
                pending = []
    return out


def removal_reason(text: str) -> str | None:
    """The reason given for a removal ('в связи с выходом на пенсию'), if any."""
    m = REASON.search(text)
    return m.group(0).strip(" .;") if m else None
