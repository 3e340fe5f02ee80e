"""The meeting as a resolution's header and preamble describe it: body, date, place, host, topic, online."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from kg.extract.dates import find_dates
from kg.extract.orgs import OrgSpan, find_orgs
from kg.extract.tokens import tokenize
from kg.lexicon import load_tsv
from kg.model import DateValue

TOPIC_LABEL = re.compile(r"(?:^|\n)\s*(?:\*\*)?\s*(?:Тема|Тема заседания|Тема засідання)\s*:\s*(?P<t>[^\n]+)", re.IGNORECASE)
QUOTE = re.compile(r"«(?P<q>[^«»]{3,400})»|\"(?P<q2>[^\"]{3,400})\"", re.DOTALL)
PLACE_LABEL = re.compile(r"(?:Место проведения|Місце проведення|Место|Місце)\s*:\s*(?P<p>[^\n]+)", re.IGNORECASE)
DATE_LABEL = re.compile(r"(?:Дата проведения|Дата проведення|Дата)\s*:\s*(?P<d>[^\n]+)", re.IGNORECASE)
HOST_LABEL = re.compile(r"(?:Организатор|Організатор|Место проведения|Місце проведення|Базовая площадка|"
                        r"Принимающая сторона)\s*:\s*(?P<h>[^\n]+)", re.I)
CITY = re.compile(r"(?<![\w.])(?<!\d )(?:(?:г|м|с|пгт|смт)\.|пгт|смт)[ \u00a0]?(?P<c>[А-ЯЁІЇЄҐ][а-яёіїєґ'’ʼ]+(?:-[А-ЯЁІЇЄҐ][а-яёіїєґ'’ʼ]+)?)")
ONLINE = re.compile(r"онлайн|он-лайн|online|дистанционн|дистанційн|видеоконференц|відеоконференц|"
                    r"\bzoom\b|вебинар|вебінар", re.IGNORECASE)


@dataclass(frozen=True)
class HeaderFacts:
    """Raw meeting facts read from the header and preamble (organisations not yet reconciled)."""

    body: tuple[int, int] | None
    body_kind: str
    date: DateValue | None
    place: str | None
    host: OrgSpan | None
    topic: str | None
    online: bool | None
    title: str | None


@functools.lru_cache(maxsize=1)
def _body_heads() -> tuple[tuple[tuple[str, ...], str, str], ...]:
    """Body head phrases as lemma tuples, longest first."""
    rows = [(tuple(r["lemma"].split()), r["lang"], r["kind"]) for r in load_tsv("bodies")]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def find_body(text: str, lang: str, morph) -> tuple[tuple[int, int], str] | None:
    """The first body name in TEXT ('Совет директоров …', 'Круглого столу') and its kind."""
    toks = tokenize(text)
    for i, t in enumerate(toks):
        if not t.is_word:
            continue
        for lemmas, hlang, kind in _body_heads():
            if hlang != lang or i + len(lemmas) > len(toks):
                continue
            ok = all(any(p.normal_form == lm for p in morph.parse(toks[i + k].text, lang)[:4])
                     for k, lm in enumerate(lemmas))
            if ok and (t.is_cap or i == 0 or len(lemmas) > 1):
                return (t.start, _phrase_end(text, t.start)), kind
    return None


def _phrase_end(text: str, start: int) -> int:
    """Where a body's name ends: at ',', '«', '(', a date, or a line break not followed by lowercase."""
    i = start
    while i < len(text):
        ch = text[i]
        if ch in ",«(\"*:;.":
            break
        if ch == "\n":
            rest = text[i + 1:].lstrip(" \t")
            if not rest[:1].islower():
                break
        if ch.isdigit():
            break
        i += 1
    return len(text[:i].rstrip(" \t\n–—-"))


def _topic(header: str) -> tuple[str, tuple[int, int]] | None:
    """'Тема: «…»' or a «quoted» title in the header that is not an organisation's name."""
    m = TOPIC_LABEL.search(header)
    if m:
        raw = m.group("t").strip().strip("*").strip()
        q = QUOTE.search(raw)
        text = (q.group("q") or q.group("q2")) if q else raw
        return _fold(text), m.span()
    for q in QUOTE.finditer(header):
        before = header[max(0, q.start() - 40):q.start()].lower()
        if re.search(r"(культуры|культури|учреждение|установа|мбук|маук|кук|заклад)\s*$", before.strip()):
            continue
        text = q.group("q") or q.group("q2")
        if len(text.split()) >= 2:
            return _fold(text), q.span()
    return None


def _fold(s: str) -> str:
    """Collapse white space and drop Markdown emphasis."""
    return re.sub(r"\s+", " ", s.replace("**", "")).strip()


def read_header(header: str, preamble: str, lang: str, morph) -> HeaderFacts:
    """Meeting facts from the header text and the preamble text (both plain strings)."""
    topic = _topic(header)
    blocked = [topic[1]] if topic else []
    body = find_body(header, lang, morph)
    if body and topic and topic[1][0] <= body[0][0] < topic[1][1]:
        body = None
    kind = body[1] if body else "other"
    dates = []
    dl = DATE_LABEL.search(header)
    if dl:
        dates = find_dates(dl.group("d"))
    dates = dates or find_dates(header) or find_dates(preamble, year_only=False)
    place = None
    pl = PLACE_LABEL.search(header)
    if pl:
        c = CITY.search(pl.group("p"))
        place = c.group("c") if c else _fold(pl.group("p")).rstrip(".")
    else:
        for c in CITY.finditer(header):
            if all(not (a <= c.start() < b) for a, b in blocked):
                line_start = header.rfind("\n", 0, c.start()) + 1
                line = header[line_start:header.find("\n", c.start()) if "\n" in header[c.start():] else None]
                if len(line.split()) <= 8:  # a short header line, not running text
                    place = c.group("c")
                    break
    host = _host(header, lang, morph, blocked)
    online = True if ONLINE.search(header) or ONLINE.search(preamble) else None
    if online is None and (place or host):
        online = False
    title = next((ln.strip(" *") for ln in header.splitlines() if ln.strip(" *")), None)
    return HeaderFacts(body[0] if body else None, kind, dates[0].value if dates else None, place, host,
                       topic[0] if topic else None, online, title)


def _host(header: str, lang: str, morph, blocked: list[tuple[int, int]]) -> OrgSpan | None:
    """The host: an organisation after "Организатор:" / "Место проведения:", or one that stands alone as a
    header paragraph or line."""
    for m in HOST_LABEL.finditer(header):
        found = [o for o in find_orgs(m.group("h"), lang, morph, offset=m.start("h")) if o.specific]
        if found:
            return found[0]
    units, pos = [], 0
    for par in re.split(r"\n\s*\n", header):
        a = header.find(par, pos)
        pos = a + len(par)
        units.append((a, par))
        if "\n" in par.strip():  # no blank lines (Word, HTML): each line may stand alone, or two together
            lines = par.split("\n")
            off = a
            for k, ln in enumerate(lines):
                units.append((off, ln))
                if k + 1 < len(lines):
                    units.append((off, ln + "\n" + lines[k + 1]))
                off += len(ln) + 1
    for a, par in units:
        words = len(re.findall(r"\w+", par))
        if not par.strip() or words > 16:
            continue
        for o in find_orgs(par, lang, morph, offset=a, blocked=blocked):
            rest = (par[:o.start - a] + par[o.stop - a:])
            rest = re.sub(r"(?i)муниципальное|бюджетное|автономное|казенное|государственное|учреждение|культуры|"
                          r"комунальна|установа|культури|заклад|[«»\"*\s.,]", "", rest)
            if o.specific and len(rest) <= 3:
                return o
    return None
