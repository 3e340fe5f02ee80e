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

TOPIC_LABEL = re.compile(r"(?:^|\n)\s*(?:\*\*)?\s*Тема(?:\s+[а-яіїєґё]+)?\s*:\s*(?P<t>[^\n]+)", re.IGNORECASE)
PUBLISHED = re.compile(r"(опубліковано|опубликовано|дата публикации|дата публікації|размещено|розміщено|"
                       r"обновлено|оновлено)[^\n]*", re.IGNORECASE)
QUOTE = re.compile(r"«(?P<q>[^«»]{3,400})»|\"(?P<q2>[^\"]{3,400})\"", re.DOTALL)
PLACE_LABEL = re.compile(r"(?:Место проведения|Місце проведення|Место|Місце)\s*:\s*(?P<p>[^\n]+)", re.IGNORECASE)
DATE_LABEL = re.compile(r"(?:Дата проведения|Дата проведення|Дата)\s*:\s*(?P<d>[^\n]+)", re.IGNORECASE)
HOST_LABEL = re.compile(r"(?:Организатор[ыи]?|Організатор[и]?|Место проведения|Місце проведення|Базовая площадка|"
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


SKIP_LINE = re.compile(r"^\s*(Присутствовал|Присутні|Присутствуют|Председател|Голова|Секретар|Слушали|Слухали|"
                       r"Выступил|Виступил)", re.I)
BODY_PREPS = {"по", "при", "для", "з", "із", "с"}
CONJ = {"и", "і", "та", "й"}


@functools.lru_cache(maxsize=1)
def _first_lemmas() -> dict[str, frozenset[str]]:
    """The first word of every body head phrase, per language."""
    out: dict[str, set[str]] = {}
    for lemmas, lang, _kind in _body_heads():
        out.setdefault(lang, set()).add(lemmas[0])
    return {k: frozenset(v) for k, v in out.items()}


def find_body(text: str, lang: str, morph) -> tuple[tuple[int, int], str] | None:
    """The first body name in TEXT ('Совет директоров …', 'Обласна нарада …', 'Круглого столу') and its kind;
    lines of attendance and officers ('Присутствовали: … членов Совета') are passed over."""
    return next(find_bodies(text, lang, morph), None)


def find_bodies(text: str, lang: str, morph):
    """Every body name in TEXT, in order, with its kind (see find_body)."""
    toks = tokenize(text)
    firsts = _first_lemmas()
    for i, t in enumerate(toks):
        if not t.is_word:
            continue
        if not any(_lemma_is(p.normal_form, lm) for p in morph.parse(_plain(t.text), lang)[:4]
                   for lm in firsts.get(lang, ())):
            continue  # most words start no body's name: one look-up, not one per head phrase
        line_start = text.rfind("\n", 0, t.start) + 1
        if SKIP_LINE.match(text[line_start:t.start + 1]):
            continue
        for lemmas, hlang, kind in _body_heads():
            if hlang != lang or i + len(lemmas) > len(toks):
                continue
            if not all(any(_lemma_is(p.normal_form, lm) for p in morph.parse(_plain(toks[i + k].text), lang)[:4])
                       for k, lm in enumerate(lemmas)):
                continue
            start = i
            while start > 0 and toks[start - 1].start >= line_start and toks[start - 1].is_word and \
                    morph.parse(toks[start - 1].text, lang)[0].tag.POS in ("ADJF", "PRTF"):
                start -= 1
            if any(re.match(r"(міськ|сільськ|селищн|районн|городск|сельск|поселков)", toks[k].text.lower())
                   for k in range(start, i)):
                continue  # "Краматорської міської ради": a city council, not a body of the library network
            after_meeting = start > 0 and toks[start - 1].text.lower() in ("заседания", "засідання", "заседание",
                                                                           "зустрічі", "встречи", "итогам", "підсумками")
            if toks[start].is_cap or start == 0 or len(lemmas) > 1 or toks[start].start == line_start or after_meeting:
                yield (toks[start].start, _body_end(text, toks, i + len(lemmas), lang, morph)), kind
                break


def body_end(text: str, start: int, lang: str, morph) -> int:
    """Where the body's name that starts at START ends (see _body_end)."""
    toks = tokenize(text[start:], start)
    if not toks:
        return start
    return _body_end(text, toks, 1, lang, morph)


def _navigation(text: str, pos: int) -> bool:
    """Whether POS lies on a web page's navigation line ('Головна » Новини » …', 'Главная | Новости')."""
    a = text.rfind("\n", 0, pos) + 1
    b = text.find("\n", pos)
    line = text[a:b if b >= 0 else len(text)]
    return "»" in line.replace("«", "").replace("»", "", line.count("«")) or " | " in line


def _plain(word: str) -> str:
    """A word with its apostrophes written as "'" (the dictionaries' form)."""
    return word.replace("’", "'").replace("ʼ", "'")


def _lemma_is(normal_form: str, lemma: str) -> bool:
    """Whether a dictionary form is LEMMA, or a hyphenated compound that starts with it ("семинар-практикум")."""
    return normal_form == lemma or normal_form.split("-")[0] == lemma


def _body_end(text: str, toks: list, j: int, lang: str, morph) -> int:
    """Where a body's name ends: over genitive words, 'по …'/'при …' phrases, '– Кузбасса' and «quotes»;
    never over a verb, a number, or a line that starts with a capital after a complete phrase."""
    end = toks[j - 1].stop
    k = j
    while k < len(toks):
        t = toks[k]
        gap = text[toks[k - 1].stop:t.start]
        if "\n" in gap and not t.text[:1].islower():
            break
        low = t.text.lower()
        if t.text in "–—-" and k + 1 < len(toks) and toks[k + 1].is_cap and "\n" not in text[t.stop:toks[k + 1].start]:
            k += 1
            continue
        if not t.is_word or (low in ("г", "м", "с") and k + 1 < len(toks) and toks[k + 1].text == "."):
            break  # "… делу г. Кемерово": the place is not part of the name
        ps = morph.parse(t.text, lang)
        if low in CONJ or low in BODY_PREPS:
            if k + 1 < len(toks) and toks[k + 1].is_word:
                k += 1
                continue
            break
        if t.is_upper and len(t.text) <= 6:  # an abbreviation: "ЦБС", "ГНБК"
            end, k = t.stop, k + 1
            continue
        if not ps or ps[0].tag.POS in ("VERB", "INFN", "PRTS", "ADVB", "PREP", "NUMR", "GRND"):
            break
        if not any(c in p.tag for p in ps[:4] for c in ("gent", "datv", "loct", "ablt")):
            break
        end, k = t.stop, k + 1
    return end


def _topic(header: str) -> tuple[str, tuple[int, int]] | None:
    """'Тема: «…»' or a «quoted» title in the header that is not an organisation's name."""
    m = TOPIC_LABEL.search(header)
    if m:
        raw = m.group("t").strip().strip("*").strip()
        q = QUOTE.search(raw)
        text = (q.group("q") or q.group("q2")) if q else raw
        return _fold(text), m.span()
    for q in QUOTE.finditer(header):
        line_a = header.rfind("\n", 0, q.start()) + 1
        line_b = header.find("\n", q.end())
        before = header[line_a:q.start()].strip(" *").lower()
        after = header[q.end():line_b if line_b >= 0 else len(header)].strip(" *.")
        # a title on a line of its own, or after "на тему" / "за темою"; not a project named in passing
        if after or (before and not re.search(r"(на тему|по теме|за темою|тема|стол\w*|стіл|столу|семинар\w*|"
                                              r"семінар\w*|конференц\w*|заседани\w*|засідання|нарад\w*)\s*:?$",
                                              before)):
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
    bodies = [b for b in find_bodies(header, lang, morph) if not _navigation(header, b[0][0])]
    body = bodies[0] if bodies else None  # a web page's breadcrumb ("Головна » … » Рішення Ради") is no heading
    if body and topic and topic[1][0] <= body[0][0] < topic[1][1]:
        body = None
    kind = body[1] if body else "other"
    dates = []
    dl = DATE_LABEL.search(header)
    if dl:
        dates = find_dates(dl.group("d"))
    dated = PUBLISHED.sub(lambda m: " " * len(m.group(0)), header)  # a web page's publication date is not it
    dates = dates or find_dates(dated) or find_dates(preamble, year_only=False)
    place = None
    pl = PLACE_LABEL.search(header)
    c = CITY.search(pl.group("p")) if pl else None
    if c:
        place = c.group("c")
    elif pl and not find_orgs(pl.group("p"), lang, morph) and not re.search(r"онлайн|online|zoom", pl.group("p"), re.I):
        place = _fold(pl.group("p")).rstrip(".")
    else:  # "Место проведения: ГУК «…», конференц-зал": the town is elsewhere in the header
        for c in CITY.finditer(header):
            if all(not (a <= c.start() < b) for a, b in blocked):
                line_start = header.rfind("\n", 0, c.start()) + 1
                line = header[line_start:header.find("\n", c.start()) if "\n" in header[c.start():] else None]
                if len(line.split()) <= 12:  # a short header line, not running text
                    place = c.group("c")
                    break
    host = _host(header, lang, morph, blocked)
    online = True if ONLINE.search(header) or ONLINE.search(preamble) else None
    if online is None and (place or host):
        online = False
    title = next((ln.strip(" *") for ln in header.splitlines() if ln.strip(" *")), None)
    full = [d for d in dates if len(d.value.start) == 10]  # a day beats a bare year ("Занятие (2021 год)")
    date = (full or dates)[0].value if dates else None
    return HeaderFacts(body[0] if body else None, kind, date, place, host,
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
