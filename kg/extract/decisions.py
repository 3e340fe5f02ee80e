"""Decision kinds by trigger phrases (data/lexicon/actions.tsv), sentences, and the body a decision names."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from kg.lexicon import load_tsv

# A sentence ends at '.', '!' or '?' followed by space and a capital letter, unless the dot closes an
# abbreviation or an initial ("г. Белово", "им. В.Д. Федорова", "т.п.").
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[«\"(]?[А-ЯЁІЇЄҐA-Z])")
ABBREV_BEFORE_DOT = re.compile(r"(?:\b(?:г|гг|м|им|ім|ул|вул|д|т|п|ст|обл|р|см|напр|и\.о|в\.о)|\b[А-ЯЁІЇЄҐ])\.$")
LEADING = re.compile(r"^[\s*·•\-–—]+")
# "в состав Совета директоров …:", "до складу Ради …" — the body that people join or leave.
BODY_AFTER = re.compile(r"(?:в\s+состав|в\s+члены|из\s+состава|до\s+складу|зі\s+складу|з\s+складу|"
                        r"председател\w*|секретар\w*|голов\w*|заместител\w*\s+председател\w*|"
                        r"координатор\w*|куратор\w*|руководител\w*|керівник\w*)\s+"
                        r"(?P<body>[^:;\n]*?)(?=\s*[:;\n]|\s+[А-ЯЁІЇЄҐ][а-яёіїєґ']+[ую]\s|$)", re.IGNORECASE)


@dataclass(frozen=True)
class Trigger:
    """The recognised kind of a decision and where its trigger phrase stands."""

    kind: str
    role: str
    start: int
    stop: int


@functools.lru_cache(maxsize=1)
def _rules() -> tuple[tuple[str, str, re.Pattern, str], ...]:
    """The trigger table, compiled once."""
    return tuple((r["kind"], r["lang"], re.compile(r"(?<!\w)(?:{})".format(r["pattern"]), re.IGNORECASE), r["role"] or "member")
                 for r in load_tsv("actions"))


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of TEXT (offsets into it)."""
    out, start = [], 0
    for m in SENTENCE_END.finditer(text):
        if ABBREV_BEFORE_DOT.search(text[max(0, m.start() - 6):m.start()]):
            continue
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip()]


def classify(text: str, lang: str) -> Trigger | None:
    """The kind of the decision TEXT: the earliest trigger of its first sentence (table order on ties)."""
    lead = LEADING.match(text)
    off = lead.end() if lead else 0
    spans = sentences(text[off:])
    first_end = off + (spans[0][1] if spans else len(text) - off)
    head = text[off:first_end]
    best: Trigger | None = None
    for kind, rlang, pat, role in _rules():
        if rlang != lang:
            continue
        m = pat.search(head)
        if m and (best is None or m.start() + off < best.start):
            stop = m.end()
            while stop < len(head) and (head[stop].isalpha() or head[stop] in "-'’"):
                stop += 1  # to the end of the word: "благодарност" → "благодарность"
            best = Trigger(kind, role, m.start() + off, stop + off)
    return best


def body_phrase(text: str, trigger: Trigger) -> tuple[int, int] | None:
    """The span of the body's name right after an admission/removal/election trigger, if any."""
    m = BODY_AFTER.search(text, max(0, trigger.start))
    if not m or m.start() > trigger.stop + 2:
        return None
    a, b = m.span("body")
    return (a, b) if text[a:b].strip() else None
