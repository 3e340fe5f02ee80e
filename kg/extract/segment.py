"""Segmentation of a resolution: header, preamble, numbered decisions (one or more lists), tail, signature."""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.model import Span

# "1. ", " 3. ", "**2.** ", "4) " at the start of a line.
ITEM_START = re.compile(r"^[ \t]*(?:\*\*)?(\d{1,3})(?:[.)])(?:\*\*)?[ \t]+(?=\S)", re.MULTILINE)
# A paragraph that introduces decisions: "…постановили:", "По итогам … приняты следующие решения:".
DECIDE = re.compile(
    r"(постанови|реши|решени|ухвали|вирішил|рішенн|рекоменду|предлага|пропону)\w*\s*:?\s*$",
    re.IGNORECASE,
)
# Protocols: "СЛУШАЛИ: …" / "ПОСТАНОВИЛИ:" sections, an agenda, and items numbered "1.1." under each decision.
DECIDE_MARK = re.compile(r"^[ \t]*(?:\*\*)?(?:\d{1,2}\.\s*)?(?:ПОСТАНОВИЛИ|РЕШИЛИ|УХВАЛИЛИ|ВИРІШИЛИ|ПОСТАНОВИЛ|РЕШИЛ|"
                         r"ПОСТАНОВИЛА|УХВАЛИЛА|ВИРІШИЛА)(?:\*\*)?\s*:?(?:\*\*)?[ \t]*(?P<rest>.*)$", re.I)
HEARD_MARK = re.compile(r"^[ \t]*(?:\*\*)?(?:\d{1,2}\.\s*)?(?:СЛУШАЛИ|СЛУХАЛИ|ВЫСТУПИЛИ|ВИСТУПИЛИ)\s*:", re.I)
AGENDA_MARK = re.compile(r"^[ \t]*(?:\*\*)?(?:ПОВЕСТКА(?:\s+ДНЯ)?|ПОРЯДОК\s+ДЕННИЙ|Повестка|Порядок денний)\b", re.I)
SUB_ITEM = re.compile(r"^[ \t]*(?:\*\*)?(\d{1,2}(?:\.\d{1,2})*)[.)]?(?:\*\*)?[ \t]+(?=\S)")
BULLET = re.compile(r"^[ \t]*[-–—·•*▪●]\s*")
SIGNATURE_START = re.compile(
    r"^\s*(За дорученням|По поручению|Председател|Голова |Секретар|Подпись|Підпис|С уважением)", re.IGNORECASE
)
TAB_GAP = re.compile(r"\t+|\s{3,}")


@dataclass(frozen=True)
class Item:
    """A numbered decision's place in the text: which list, which number, which characters."""

    list_no: int
    number: str
    span: Span
    body: Span  # the text after the number


@dataclass(frozen=True)
class Segmentation:
    """The parts of a resolution with their character spans."""

    header: Span
    preamble: Span | None
    items: tuple[Item, ...]
    intros: tuple[Span, ...]
    tail: Span | None
    signature: Span | None


@dataclass(frozen=True)
class Line:
    """One line of the text with its offsets."""

    start: int
    stop: int
    text: str


def lines_of(text: str) -> list[Line]:
    """Split TEXT into lines, keeping character offsets (the newline is not part of a line)."""
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append(Line(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


def _paragraphs(lines: list[Line], lo: int, hi: int) -> list[tuple[int, int]]:
    """Paragraphs (runs of non-blank lines) between line indexes lo and hi, as index pairs."""
    out, i = [], lo
    while i < hi:
        if not lines[i].text.strip():
            i += 1
            continue
        j = i
        while j < hi and lines[j].text.strip():
            j += 1
        out.append((i, j))
        i = j
    return out


def _clean(s: str) -> str:
    """Text without Markdown emphasis and with folded spaces, for tests on a paragraph."""
    return re.sub(r"\s+", " ", s.replace("**", "")).strip()


def _starts(lines: list[Line]) -> list[tuple[int, int]]:
    """Line indexes that start a numbered item, with the number, kept only where the numbering runs."""
    found, prev = [], 0
    for i, ln in enumerate(lines):
        m = ITEM_START.match(ln.text)
        if not m:
            continue
        n = int(m.group(1))
        if n == 1 or prev < n <= prev + 2:
            found.append((i, n))
            prev = n
    return found


def _preamble_start(lines: list[Line], a: int, b: int) -> int:
    """Where the preamble starts inside the paragraph of lines a..b-1 (text without blank lines, as Word and
    HTML give it, runs the header into the preamble): back from the last line while lines continue a
    sentence (the line starts in lower case or the one before ends with a comma or a dash)."""
    k = b - 1
    while k > a:
        cur, prev = lines[k].text.strip().replace("**", ""), lines[k - 1].text.rstrip().replace("**", "")
        if cur[:1].islower() or prev.endswith((",", "–", "—", "-", ";")):
            k -= 1
            continue
        break
    return k


def _is_continuation(par_text: str, before: str) -> bool:
    """Whether a paragraph after an item still belongs to it."""
    t = par_text.lstrip().replace("**", "")
    if not t:
        return False
    if BULLET.match(t) or t[0].islower() or t[0] in "«\"(":
        return True
    return before.rstrip().replace("**", "").endswith((":", ";", ","))


def _protocol(text: str, lines: list[Line]) -> Segmentation | None:
    """A protocol's decisions: the items under each "ПОСТАНОВИЛИ:" (numbered "1.1." or "1."), one list per
    question; the agenda and the "СЛУШАЛИ:" lines are not decisions. None if TEXT is not a protocol."""
    marks = [i for i, ln in enumerate(lines) if DECIDE_MARK.match(ln.text) and ln.text.strip()[:1].isupper()
             and DECIDE_MARK.match(ln.text).group(0).strip().split(":")[0].replace("*", "").strip()[-1:].isupper()]
    heard = [i for i, ln in enumerate(lines) if HEARD_MARK.match(ln.text)]
    agenda = [i for i, ln in enumerate(lines) if AGENDA_MARK.match(ln.text)]
    if not marks or not (heard or (agenda and min(agenda) < min(marks))):
        return None
    stops = sorted(set(marks) | set(heard) | set(agenda))
    items: list[Item] = []
    last_stop = None
    list_no = 0
    for region, m in enumerate(marks, 1):
        end = next((k for k in stops if k > m), len(lines))
        numbered = [k for k in range(m + 1, end) if SUB_ITEM.match(lines[k].text)]
        if not numbered:  # "ПОСТАНОВИЛИ: Информацию принять к сведению." — the whole answer is one decision
            rest = DECIDE_MARK.match(lines[m].text).group("rest")
            first = m if rest.strip() else next((k for k in range(m + 1, end) if lines[k].text.strip()), None)
            if first is None:
                continue
            numbered, head_only = [first], True
        else:
            head_only = False
        section = next((HEARD_MARK.match(lines[k].text).group(0) for k in reversed(heard) if k < m), "")
        for n, k in enumerate(numbered):
            nxt = numbered[n + 1] if n + 1 < len(numbered) else end
            stop_line = nxt
            while stop_line - 1 > k and not lines[stop_line - 1].text.strip():
                stop_line -= 1
            if n + 1 == len(numbered):  # the last item stops before a signature block
                for j in range(k + 1, stop_line):
                    if SIGNATURE_START.match(lines[j].text) or TAB_GAP.search(lines[j].text.strip()):
                        stop_line = j
                        break
                while stop_line - 1 > k and not lines[stop_line - 1].text.strip():
                    stop_line -= 1
            if n == 0 or (not head_only and SUB_ITEM.match(lines[k].text).group(1) == "1"):
                list_no += 1  # a new question, or numbering that starts again at 1
            if head_only:
                num = re.sub(r"\D", "", section) or str(region)
                a = lines[k].start + (DECIDE_MARK.match(lines[k].text).start("rest") if k == m else 0)
                a += len(text[a:lines[k].stop]) - len(text[a:lines[k].stop].lstrip())
            else:
                sm = SUB_ITEM.match(lines[k].text)
                num = sm.group(1)
                a = lines[k].start + sm.end()
            b = lines[stop_line - 1].stop
            items.append(Item(list_no, num, Span(a, b), Span(a, b)))
            last_stop = stop_line
    if not items:
        return None
    first_line = min(stops)
    header = Span(0, lines[first_line - 1].stop if first_line > 0 else 0)
    tail = Span(lines[last_stop].start, len(text)) if last_stop is not None and last_stop < len(lines) and \
        text[lines[last_stop].start:].strip() else None
    return Segmentation(header, None, tuple(items), (), tail, _find_signature(text, tail) if tail else None)


def segment(text: str) -> Segmentation:
    """Find the header, preamble, numbered items, intros between lists, tail and signature of TEXT."""
    lines = lines_of(text)
    proto = _protocol(text, lines)
    if proto is not None:
        return proto
    starts = _starts(lines)
    if not starts:
        end = len(text)
        return Segmentation(Span(0, end), None, (), (), None, None)
    first = starts[0][0]
    pars = _paragraphs(lines, 0, first)
    preamble = None
    header_end_line = first
    if pars:
        a, b = pars[-1]
        ptext = _clean(" ".join(ln.text for ln in lines[a:b]))
        if DECIDE.search(ptext) or ptext.endswith(":"):
            a = _preamble_start(lines, a, b)
            preamble = Span(lines[a].start, lines[b - 1].stop)
            header_end_line = a
    header = Span(0, lines[header_end_line - 1].stop if header_end_line > 0 else 0)

    items: list[Item] = []
    intros: list[Span] = []
    list_no = 0
    tail = signature = None
    for k, (i, n) in enumerate(starts):
        if n == 1 or list_no == 0:  # a list may start at 2 when its first item was lost
            list_no += 1
        nxt = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        end_line = nxt
        later = _paragraphs(lines, i + 1, nxt)
        if k + 1 < len(starts) and starts[k + 1][1] == 1 and later:
            # paragraphs ending in ':' right before a new list introduce it
            a, b = later[-1]
            ptext = _clean(" ".join(ln.text for ln in lines[a:b]))
            if ptext.endswith(":") or DECIDE.search(ptext):
                intros.append(Span(lines[a].start, lines[b - 1].stop))
                end_line = a
        elif k + 1 == len(starts):
            so_far = lines[i].text
            end_line = i + 1
            for a, b in later:
                ptext = "\n".join(ln.text for ln in lines[a:b])
                if SIGNATURE_START.match(ptext) or not _is_continuation(ptext, so_far):
                    break
                so_far = ptext
                end_line = b
        while end_line - 1 > i and not lines[end_line - 1].text.strip():
            end_line -= 1
        m = ITEM_START.match(lines[i].text)
        span = Span(lines[i].start + len(m.group(0)) - len(m.group(0).lstrip()), lines[end_line - 1].stop)
        body = Span(lines[i].start + m.end(), lines[end_line - 1].stop)
        items.append(Item(list_no, str(n), span, body))
        if k + 1 == len(starts) and end_line < len(lines):
            rest = Span(lines[end_line].start, len(text))
            if text[rest.start:rest.stop].strip():
                tail = rest
    if tail is not None:
        signature = _find_signature(text, tail)
    return Segmentation(header, preamble, tuple(items), tuple(intros), tail, signature)


def _find_signature(text: str, tail: Span) -> Span | None:
    """The signature block in the tail: lines where a post and a name stand apart, or after 'За дорученням'."""
    lines = [ln for ln in lines_of(text[tail.start:tail.stop]) if ln.text.strip()]
    for k, ln in enumerate(lines):
        if TAB_GAP.search(ln.text.strip()):
            first = k
            while first > 0 and not SIGNATURE_START.match(lines[first - 1].text) and \
                    not lines[first - 1].text.rstrip().endswith((".", ":")):
                first -= 1
            return Span(tail.start + lines[first].start, tail.start + ln.stop)
    return None
