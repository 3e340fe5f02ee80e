"""Organisation mentions recognised by their shape: a head (ЦБС, библиотека, бібліотека, центр …),
the adjectives before it, and the modifiers after it (a place, "им. …", «name», "для …"), with
coordination expanded ("ЦБС Кемеровского и Топкинского р-ов" is two mentions)."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from kg.extract.tokens import Token, tokenize
from kg.lexicon import load_tsv

EPONYM = {"им", "имени", "ім", "імені"}
GENERIC_NAMES = {"централизованная", "библиотечная", "система", "централізована", "бібліотечна", "информационно",
                 "информационная", "муниципальная", "библиотечно-информационная", "информационно-библиотечная"}
CITY_MARK = {"г", "м", "города", "город", "місто", "міста"}
CITIES_PLURAL = {"городов", "гг", "міст"}
CONJ = {"и", "і", "та", "й"}
FOR = {"для"}
MAX_TAIL = 8


@dataclass(frozen=True)
class OrgSpan:
    """An organisation phrase found in text: its surface, or a label built by expanding coordination."""

    start: int
    stop: int
    surface: str
    kind: str
    built: str | None = None  # e.g. "ЦБС г. Кемерово" built from "ЦБС городов Кемерово, …"
    legal_name: bool = False  # the surface is the «quoted» name inside a legal-form wrapper
    specific: bool = True


@functools.lru_cache(maxsize=1)
def _heads() -> dict[tuple[str, str], dict[str, str]]:
    """Head words keyed by (lemma, lang); abbreviations use lang '*' where both languages share them."""
    return {(r["lemma"], r["lang"]): r for r in load_tsv("org_heads")}


@functools.lru_cache(maxsize=1)
def _geo() -> frozenset[tuple[str, str]]:
    """Place nouns (lemma, lang)."""
    return frozenset((r["lemma"], r["lang"]) for r in load_tsv("geo_words"))


@functools.lru_cache(maxsize=1)
def _generic() -> frozenset[tuple[str, str]]:
    """Adjectives of kind, not of name (lemma, lang)."""
    return frozenset((r["lemma"], r["lang"]) for r in load_tsv("generic_adjectives"))


@functools.lru_cache(maxsize=1)
def _coord() -> tuple[tuple[tuple[str, ...], str, str], ...]:
    """Plural place phrases that close a coordination, longest first, with their singular."""
    rows = [(tuple(r["plural"].split()), r["singular"], r["lang"]) for r in load_tsv("coordination")]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


class _Reader:
    """Reads organisation phrases off a token list using morphology."""

    def __init__(self, text: str, toks: list[Token], lang: str, morph, blocked: list[tuple[int, int]]):
        self.text, self.toks, self.lang, self.morph = text, toks, lang, morph
        self.blocked = blocked
        self.off = toks[0].start if toks else 0
        self._free = self._mark_blocked()

    def free(self, i: int) -> bool:
        """Whether token i lies outside every blocked span (people's names)."""
        return self._free[i]

    def _mark_blocked(self) -> list[bool]:
        """For each token, whether it lies outside the blocked spans (computed once: spans and tokens are sorted)."""
        spans = sorted(self.blocked)
        out, k = [], 0
        for t in self.toks:
            while k < len(spans) and spans[k][1] <= t.start:
                k += 1
            out.append(not (k < len(spans) and spans[k][0] < t.stop))
        return out

    def parses(self, i: int):
        """Morphological parses of token i."""
        return self.morph.parse(self.toks[i].text, self.lang)

    def has(self, i: int, *grams: str) -> bool:
        """Whether some parse of token i carries all GRAMS."""
        return any(all(g in p.tag for g in grams) for p in self.parses(i))

    def pos(self, i: int, *pos: str) -> bool:
        """Whether some parse of token i has one of the parts of speech POS."""
        return any(p.tag.POS in pos for p in self.parses(i))

    def lemma(self, i: int) -> str:
        """The first parse's dictionary form."""
        ps = self.parses(i)
        return ps[0].normal_form if ps else self.toks[i].text.lower()

    def head(self, i: int) -> dict[str, str] | None:
        """The head-word row for token i, if it is one."""
        t = self.toks[i]
        h = _heads()
        if t.is_upper or sum(c.isupper() for c in t.text) >= 2:  # "ЦБС", "КемОНБ"
            return h.get((t.text, "*")) or h.get((t.text, self.lang))
        if not t.is_word:
            return None
        for p in self.parses(i)[:4]:
            lemma = p.normal_form.split("-")[0] if "-" in t.text else p.normal_form  # "библиотеки-филиала"
            row = h.get((lemma, self.lang))
            if row and p.tag.POS == "NOUN":
                return row
        return None

    def is_adj(self, i: int) -> bool:
        """Whether token i is an adjective or participle (or a hyphenated compound of them)."""
        t = self.toks[i]
        if not t.is_word or t.is_upper:
            return False
        ps = self.parses(i)
        # the best reading decides where a noun can be both ("рада" is a council, not "glad")
        return bool(ps) and (ps[0].tag.POS in ("ADJF", "PRTF") or
                             (self.pos(i, "ADJF", "PRTF") and not self.pos(i, "NOUN")))

    def plural_only(self, i: int) -> bool:
        """Whether every parse of token i is plural (a generic 'библиотекам')."""
        ps = self.parses(i)
        return bool(ps) and all("plur" in p.tag for p in ps if p.tag.POS == "NOUN") and \
            any(p.tag.POS == "NOUN" for p in ps)

    def initial(self, i: int) -> bool:
        """Whether token i starts a sentence or a list item (its capital letter says nothing)."""
        if i == 0:
            return True
        prev = self.toks[i - 1]
        gap = self.text[prev.stop - self.off:self.toks[i].start - self.off]
        return prev.text in ".:;!?•·-–—*" or "\n" in gap or prev.text.isdigit()

    def generic(self, i: int) -> bool:
        """Whether token i is an adjective that names a kind of library ('Муниципальным', 'Центральній')."""
        return any((p.normal_form, self.lang) in _generic() for p in self.parses(i)[:3])

    def place_noun(self, i: int) -> bool:
        """Whether token i is a district-level place noun (район, округ, рада …) or its abbreviation."""
        if not self.toks[i].is_word or (self.has(i, "plur") and not self.has(i, "sing") and self.lang == "ru"):
            return False  # "ЦБС муниципальных районов" names no particular district
        lem = {p.normal_form for p in self.parses(i)}
        return any((lm, self.lang) in _geo() and lm not in ("область", "кузбасс", "край", "республика")
                   for lm in lem)

    def region(self, i: int) -> bool:
        """Whether token i names the whole region ("Кузбасса", "области", "Кемеровской")."""
        lem = {p.normal_form for p in self.parses(i)}
        return bool(lem & {"кузбасс", "область", "край", "кемеровский", "донецький", "донецкий", "регион"})

    # -- right-hand modifiers -------------------------------------------------------------------
    def city(self, i: int) -> int | None:
        """'г. Белово', 'г.Новокузнецка', 'города Кемерово', 'м. Краматорськ': index after it."""
        t = self.toks
        if i < len(t) and t[i].text.lower() in CITY_MARK:
            j = i + 1
            if j < len(t) and t[j].text == ".":
                j += 1
            if j < len(t) and t[j].is_cap and t[j].is_word and self.free(j):
                return j + 1
        return None

    def eponym(self, i: int) -> int | None:
        """'им. В.Д. Федорова', 'имени Б.Н. Ельцина', 'ім. Т. Шевченка': index after it."""
        t = self.toks
        if i >= len(t) or t[i].text.lower() not in EPONYM:
            return None
        j = i + 1
        if j < len(t) and t[j].text == ".":
            j += 1
        n = 0
        while j + 1 < len(t) and len(t[j].text) == 1 and t[j].is_cap and t[j + 1].text == "." and n < 3:
            j += 2
            n += 1
        if j < len(t) and t[j].is_cap and t[j].is_word:
            j += 1
            if j + 1 < len(t) and t[j].is_cap and t[j].is_word and n == 0 and self.has(j, "gent"):
                j += 1  # "имени Бориса Ельцина"
            return j
        return None

    def quoted(self, i: int) -> int | None:
        """'«Пушкинская карта»' directly at i: index after the closing quote."""
        t = self.toks
        if i < len(t) and t[i].text in "«\"":
            close = "»" if t[i].text == "«" else '"'
            for j in range(i + 1, min(len(t), i + 25)):
                if t[j].text == close:
                    return j + 1
        return None

    def gen_np(self, i: int, geo_only: bool) -> int | None:
        """A genitive noun phrase at i (adjectives then a noun): a place unless GEO_ONLY is off."""
        t = self.toks
        j = i
        while j < len(t) and self.free(j) and self.is_adj(j) and self.has(j, "gent"):
            j += 1
        if j >= len(t) or not self.free(j) or not t[j].is_word or t[j].is_upper:
            return None
        if not self.has(j, "gent") or not self.pos(j, "NOUN") or self.pos(j, "PREP", "CONJ", "PRCL"):
            return None
        if geo_only:
            lem = {p.normal_form for p in self.parses(j)}
            is_geo = any((lm, self.lang) in _geo() for lm in lem)
            if not (is_geo or (t[j].is_cap and j == i) or (j > i and t[i].is_cap)):
                return None
        return j + 1

    def tail(self, i: int, kind: str) -> int:
        """Extend a head at i-1 over its right-hand modifiers; returns the index after the phrase."""
        t = self.toks
        j, steps = i, 0
        while j < len(t) and steps < MAX_TAIL:
            steps += 1
            gap = self.text[t[j - 1].stop - self.off:t[j].start - self.off] if j > 0 else ""
            if "\n" in gap and t[j].is_cap:
                break  # a new line that starts with a capital starts something else ("Рішення")
            for f in (self.city, self.eponym):
                k = f(j)
                if k:
                    j = k
                    break
            else:
                if j < len(t) and t[j].text.lower() in FOR and kind in ("library", "library_system"):
                    k = j + 1
                    while k < len(t) and t[k].is_word and not t[k].is_cap and self.free(k) and \
                            (self.has(k, "gent") or t[k].text.lower() in CONJ) and k - j < 5:
                        k += 1
                    while k > j + 1 and t[k - 1].text.lower() in CONJ:
                        k -= 1
                    if k > j + 1:
                        j = k
                        continue
                    break
                k = self.gen_np(j, geo_only=kind not in ("museum", "organization", "authority"))
                if k:
                    j = k
                    continue
                if j + 1 < len(t) and t[j].text.lower() in CONJ and kind in ("museum", "organization", "authority"):
                    k = self.gen_np(j + 1, geo_only=False)
                    if k:
                        j = k
                        continue
                if t[j].is_upper and len(t[j].text) <= 6 and kind in ("organization", "authority") and \
                        self.free(j):  # "областной организации ВОС"
                    j += 1
                    continue
                q = self.quoted(j) if j == i else None
                if q:
                    j = q
                    continue
                break
        return j


def find_orgs(text: str, lang: str, morph, offset: int = 0,
              blocked: list[tuple[int, int]] | tuple = ()) -> list[OrgSpan]:
    """Every organisation phrase in TEXT (spans shifted by OFFSET), skipping BLOCKED spans (names)."""
    toks = tokenize(text, offset)
    if not toks:
        return []
    r = _Reader(text, toks, lang, morph, list(blocked))
    inside_quotes = [False] * len(toks)
    for a, b in _quoted_ranges(toks):
        for k in range(a + 1, b):
            inside_quotes[k] = True
    out: list[OrgSpan] = []
    i = 0
    while i < len(toks):
        row = r.head(i) if r.free(i) and not inside_quotes[i] else None
        if not row:
            i += 1
            continue
        found, nxt = _read_at(r, i, row, offset)
        out.extend(found)
        i = max(nxt, i + 1)
    return out


def _quoted_ranges(toks: list[Token]) -> list[tuple[int, int]]:
    """Token index ranges of «…» quotations (titles of projects, programmes, publications)."""
    out, open_at = [], None
    for k, t in enumerate(toks):
        if t.text == "«":
            open_at = k
        elif t.text == "»" and open_at is not None:
            out.append((open_at, k))
            open_at = None
    return out


def _shared_head(r: _Reader, start: int, i: int, offset: int) -> list[OrgSpan]:
    """'Промышленновской, Крапивинской и Ижморской ЦБС': the adjectives before START that share head i."""
    toks, out, k = r.toks, [], start - 1
    while k >= 1 and (toks[k].text == "," or toks[k].text.lower() in CONJ) and r.free(k - 1) \
            and toks[k - 1].is_cap and r.is_adj(k - 1) and not r.generic(k - 1):
        a = toks[k - 1]
        out.append(OrgSpan(a.start, a.stop, f"{a.text} {toks[i].text}", "library_system"))
        k -= 2
    return out[::-1]


def _left(r: _Reader, i: int) -> int:
    """Extend a head at i leftwards over agreeing adjectives."""
    j = i
    while j > 0 and r.free(j - 1) and r.is_adj(j - 1):
        j -= 1
    return j


def _read_at(r: _Reader, i: int, row: dict[str, str], offset: int) -> tuple[list[OrgSpan], int]:
    """The mentions read around head token i and the index to continue from."""
    toks, kind = r.toks, row["kind"]
    start = _left(r, i)
    if row["needs"] and not any(re.search(row["needs"], toks[k].text.lower()) for k in range(start, i)):
        return [], i + 1
    if kind == "legal":
        j = i + 1
        while j < len(toks) and j - i < 4 and toks[j].text not in "«\"":
            if not (toks[j].is_word and r.has(j, "gent")):
                break
            j += 1
        q = r.quoted(j)
        if not q:
            proper = any(toks[k].is_cap and not r.initial(k) for k in range(start, i))
            if toks[i].text.lower().startswith(("организац", "організац")) and proper:
                kind = "organization"  # "Кемеровской областной организации ВОС" (not "организации проведения")
            else:
                return [], i + 1
        else:
            a, b = toks[j + 1].start, toks[q - 2].stop
            name = r.text[a - offset:b - offset]
            if len(name.split()) <= 3 and all(w.isupper() or w.lower() in GENERIC_NAMES for w in name.split()):
                # "МУК «ЦБС» г. Юрги", "МБУ «Централизованная библиотечная система» Таштагольского района":
                # the quoted name is generic, the place after it tells which
                end = r.tail(q, "library_system")
                if end > q:
                    tail = r.text[toks[q].start - offset:toks[end - 1].stop - offset]
                    return [OrgSpan(a, toks[end - 1].stop, f"{name} {tail}", "library_system", legal_name=True)], end
            return [OrgSpan(a, b, name, "organization", legal_name=True)], q
    coord = _coordination(r, i, offset)
    if coord:
        return coord
    if not toks[i].is_upper and r.plural_only(i):
        return [], i + 1
    end = r.tail(i + 1, kind)
    proper_left = any(toks[k].is_cap and (not r.initial(k) or not r.generic(k)) for k in range(start, i))
    marked = any(r.city(k) or r.eponym(k) or r.quoted(k) for k in range(i + 1, end)) or \
        any(r.place_noun(k) for k in range(i + 1, end))
    region_only = end > i + 1 and not marked and all(r.region(k) for k in range(i + 1, end) if toks[k].is_word)
    specific = proper_left or marked or (end > i + 1 and not region_only and not toks[i].is_upper)
    if toks[i].is_upper and not proper_left and not marked:
        specific = False  # "ЦБС", "муниципальных ЦБС", "ЦБС Кузбасса"
    a, b = toks[start].start, toks[end - 1].stop
    between_generic = all(r.generic(k) for k in range(start + 1, i))  # "Мирноградської та Добропільської міських ЦБС"
    shared = _shared_head(r, start, i, offset) if toks[i].is_upper and proper_left and between_generic else []
    return shared + [OrgSpan(a, b, r.text[a - offset:b - offset], kind if kind != "legal" else "organization",
                             specific=specific)], end


def _coordination(r: _Reader, i: int, offset: int) -> tuple[list[OrgSpan], int] | None:
    """'ЦБС Кемеровского и Топкинского р-ов', 'ЦБС городов Кемерово, Новокузнецк…; районов: Беловского…'."""
    toks, head = r.toks, r.toks[i].text
    out: list[OrgSpan] = []
    j = i + 1
    if j < len(toks) and toks[j].text.lower() in CITIES_PLURAL:
        j += 1
        while j < len(toks) and toks[j].text == ".":
            j += 1
        mark = "м." if r.lang == "uk" else "г."
        while j < len(toks) and toks[j].is_cap and toks[j].is_word:
            out.append(OrgSpan(toks[j].start, toks[j].stop, toks[j].text, "library_system",
                               built=f"{head} {mark} {toks[j].text}"))
            j += 1
            if j < len(toks) and (toks[j].text == "," or toks[j].text.lower() in CONJ):
                j += 1
        if j < len(toks) and toks[j].text == ";":
            j += 1
        if not out:
            return None
    k = j
    # a run of capitalised genitive adjectives joined by commas / conjunctions, then a plural place noun
    while k < len(toks):
        if toks[k].text.lower() in ("районов", "районів", "районы") and k + 1 < len(toks) and toks[k + 1].text == ":":
            k += 2  # "районов: Беловского, …" — the plural noun comes first
            lead = "района" if r.lang == "ru" else "району"
            adjs2 = _adj_run(r, k)
            if adjs2:
                for a in adjs2[0]:
                    out.append(OrgSpan(toks[a].start, toks[a].stop, toks[a].text, "library_system",
                                       built=f"{head} {toks[a].text} {lead}"))
                return out, adjs2[1]
            break
        run = _adj_run(r, k)
        if not run or len(run[0]) < 2:
            break
        members, after = run
        for plural, singular, lang in _coord():
            if lang != r.lang or after + len(plural) > len(toks):
                continue
            words = tuple(toks[after + n].text.lower() for n in range(len(plural)))
            if words == plural:
                for a in members:
                    out.append(OrgSpan(toks[a].start, toks[a].stop, toks[a].text, "library_system",
                                       built=f"{head} {toks[a].text} {singular}"))
                return out, after + len(plural)
        break
    return (out, j) if out else None


def _adj_run(r: _Reader, k: int) -> tuple[list[int], int] | None:
    """Capitalised genitive adjectives at k joined by ',' and conjunctions (blank lines allowed)."""
    toks, members = r.toks, []
    while k < len(toks) and toks[k].is_cap and r.is_adj(k) and r.has(k, "gent"):
        members.append(k)
        k += 1
        if k < len(toks) and (toks[k].text == "," or toks[k].text.lower() in CONJ):
            k += 1
            continue
        break
    return (members, k) if members else None


def spans_of(text: str) -> list[Token]:
    """Tokens of TEXT (re-exported for callers that need the same tokenisation)."""
    return tokenize(text)
