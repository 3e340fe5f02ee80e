"""Person names in running text and lists: "Фамилия Имя Отчество", "Имя Отчество Фамилия",
"Фамилия И.О." and "И.О. Фамилия" in any case, anchored on the dictionary tags of first names and
patronymics (pymorphy3 Name/Patr) and on initials. Names after "им.", "имени", "ім." … are eponyms
inside organisation names and are skipped. Normalisation is in `kg.extract.namecase`."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from kg.extract.morph import CASES, GENDER_GRAMMEME, Morphology, case_of, gender_of, is_plural
from kg.extract.namecase import normalize_name, read_name
from kg.lexicon import load_tsv
from kg.model import PersonName

__all__ = ["NameMatch", "find_names", "normalize_name"]

LETTER = "А-ЯЁІЇЄҐа-яёіїєґ"
UPPER = "А-ЯЁІЇЄҐ"
# A word with inner apostrophes and hyphens: "Григор'єва", "Римского-Корсакова".
WORD = rf"[{LETTER}]+(?:['’ʼ][{LETTER}]+)*(?:-[{LETTER}]+(?:['’ʼ][{LETTER}]+)*)*"
# Two initials, with or without a space between them: "В.Д.", "И. О.".
INITIALS = rf"(?<![{LETTER}A-Za-z])[{UPPER}]\.[ \u00a0]?[{UPPER}]\."
# Tokens of a name: initials first, then words.
TOKEN = re.compile(rf"(?P<init>{INITIALS})|(?P<word>{WORD})")
# What may separate the words of a name: spaces and at most one line break.
WORD_GAP = re.compile(r"[ \u00a0]+\n?[ \u00a0]*|\n[ \u00a0]*")
# What may separate initials from a surname: nothing, spaces, or one line break.
INITIALS_GAP = re.compile(r"[ \u00a0]*\n?[ \u00a0]*")
__test__ = {"patterns": """
>>> [m.group(0) for m in TOKEN.finditer("им. В.Д.Федорова; Певна А. В.")]
['им', 'В.Д.', 'Федорова', 'Певна', 'А. В.']
>>> bool(WORD_GAP.fullmatch(" ")), bool(WORD_GAP.fullmatch(", "))
(True, False)
>>> bool(INITIALS_GAP.fullmatch("")), bool(INITIALS_GAP.fullmatch("\\t"))
(True, False)
"""}
NEVER_SURNAME_POS = frozenset({"VERB", "INFN", "GRND", "PREP", "CONJ", "PRCL", "INTJ", "NPRO", "ADVB", "PRED",
                               "COMP", "NUMR"})
MAX_TITLE_SKIP = 3  # capitalised words allowed between an eponym marker and a name ("имени Героя …")


@dataclass(frozen=True)
class NameMatch:
    """A person's name found in text: its exact span, the nominative name, and the case it was read in."""

    start: int
    stop: int
    surface: str
    name: PersonName
    case: str | None  # pymorphy3 case of the observed form: 'nomn', 'gent', 'datv', 'accs', 'ablt', 'loct'


@dataclass(frozen=True)
class _Tok:
    """A word ('w') or a pair of initials ('i') with its offsets."""

    kind: str
    start: int
    stop: int
    text: str


@functools.cache
def _stop_lemmas(lang: str) -> frozenset[str]:
    """Dictionary forms that never fill the surname slot: posts, organisation heads, places, titles."""
    out = set()
    for name in ("posts", "org_heads", "geo_words", "not_surnames"):
        out.update(r["lemma"].lower() for r in load_tsv(name) if r["lang"] in (lang, "*"))
    return frozenset(out)


@functools.cache
def _eponym_markers() -> dict[str, bool]:
    """Eponym markers of both languages, each with whether it must be followed by a full stop."""
    return {r["marker"]: r["dot"] == "1" for r in load_tsv("eponym_markers")}


def _style(word: str) -> str | None:
    """'title' for 'Иванова' or 'Римского-Корсакова', 'caps' for 'ИВАНОВА', otherwise None."""
    if len(word) < 2:
        return None
    if all(p[:1].isupper() and p[1:] == p[1:].lower() for p in word.split("-")):
        return "title"
    return "caps" if word.isupper() else None


def _tag_readings(word: str, grammeme: str, lang: str, morph: Morphology) -> frozenset[tuple[str, str]]:
    """(gender, case) pairs of the singular parses of WORD tagged GRAMMEME ('Name' or 'Patr')."""
    def compute() -> frozenset[tuple[str, str]]:
        out = set()
        for p in morph.parse(word, lang):
            case = case_of(p)
            if grammeme in p.tag and case in CASES and not is_plural(p):
                for g in ("m", "f"):
                    if gender_of(p) in (GENDER_GRAMMEME[g], "ms-f"):
                        out.add((g, case))
        return frozenset(out)

    return morph.memo(("tag-readings", word, grammeme, lang), compute)


def _surname_score(word: str, lang: str, morph: Morphology) -> int:
    """How plausible WORD is as a surname: 3 tagged Surn, 2 unknown, 1 a noun or adjective, 0 never
    (a verb, a function word, a post, an organisation head, a place noun, a form of address)."""
    def compute() -> int:
        parses = morph.parse(word, lang)
        if ({p.normal_form for p in parses} | {word.lower()}) & _stop_lemmas(lang):
            return 0
        if any("Surn" in p.tag for p in parses):
            return 3
        if not morph.is_known(word, lang):
            return 2
        return 1 if any(p.tag.POS not in NEVER_SURNAME_POS for p in parses) else 0

    return morph.memo(("surname-score", word, lang), compute)


class _Finder:
    """Scans the tokens of one text for names."""

    def __init__(self, text: str, lang: str, morph: Morphology, case_hint: str | None):
        self.text, self.lang, self.morph, self.hint = text, lang, morph, case_hint
        self.toks = [_Tok("i" if m.group("init") else "w", m.start(), m.end(), m.group(0))
                     for m in TOKEN.finditer(text)]
        self.styles = [_style(t.text) if t.kind == "w" else None for t in self.toks]
        self.used = [False] * len(self.toks)
        self.found: list[NameMatch] = []

    def word(self, i: int, style: str | None = None) -> str | None:
        """The text of token i if it is a free capitalised word (of STYLE, when given)."""
        if not 0 <= i < len(self.toks) or self.used[i] or self.styles[i] is None:
            return None
        return self.toks[i].text if style is None or self.styles[i] == style else None

    def gap_ok(self, i: int, j: int) -> bool:
        """Whether tokens i and j (j after i) are separated only by what a name allows."""
        gap = self.text[self.toks[i].stop:self.toks[j].start]
        both_words = self.toks[i].kind == "w" and self.toks[j].kind == "w"
        return bool((WORD_GAP if both_words else INITIALS_GAP).fullmatch(gap))

    def eponym(self, first: int) -> bool:
        """Whether a marker such as 'им.' or 'імені' stands before token FIRST (titles may come between)."""
        k, skipped = first - 1, 0
        while (k >= 0 and skipped < MAX_TITLE_SKIP and self.styles[k] == "title" and self.gap_ok(k, k + 1)
               and _surname_score(self.toks[k].text, self.lang, self.morph) < 2):
            k, skipped = k - 1, skipped + 1
        if k < 0 or self.toks[k].kind != "w":
            return False
        needs_dot = _eponym_markers().get(self.toks[k].text.lower())
        if needs_dot is None:
            return False
        return not needs_dot or self.text[self.toks[k].stop:self.toks[k].stop + 1] == "."

    def surname(self, sides: list[tuple[int, int, int]], style: str) -> int | None:
        """The best surname token among SIDES (index, neighbour, preference), or None."""
        best = None
        for i, neighbour, pref in sides:
            w = self.word(i, style)
            if w is None or not self.gap_ok(min(i, neighbour), max(i, neighbour)):
                continue
            score = _surname_score(w, self.lang, self.morph)
            if score and (best is None or (score, pref) > best[:2]):
                best = (score, pref, i)
        return best[2] if best else None

    def full_names(self) -> None:
        """'Фамилия Имя Отчество' and 'Имя Отчество Фамилия'."""
        for g in range(len(self.toks) - 1):
            p = g + 1
            style = self.styles[g]
            if not style or self.styles[p] != style or self.used[g] or self.used[p] or not self.gap_ok(g, p):
                continue
            given, patr = self.toks[g].text, self.toks[p].text
            readings = _tag_readings(patr, "Patr", self.lang, self.morph)
            names = _tag_readings(given, "Name", self.lang, self.morph)
            if not readings or not (names & readings or not names and not self.morph.is_known(given, self.lang)):
                continue
            s = self.surname([(g - 1, g, 1), (p + 1, p, 0)], style)
            if s is None:
                continue
            self.add(min(s, g), max(s, p), family=s, given=g, patronymic=p)

    def initials(self) -> None:
        """'Фамилия И.О.' and 'И.О. Фамилия'."""
        for j, tok in enumerate(self.toks):
            if tok.kind != "i" or self.used[j]:
                continue
            s = self.surname([(j - 1, j, 1), (j + 1, j, 0)], "title")
            if s is not None:
                self.add(min(s, j), max(s, j), family=s, initials=j)

    def add(self, first: int, last: int, family: int, given: int | None = None,
            patronymic: int | None = None, initials: int | None = None) -> None:
        """Record the name over tokens FIRST..LAST unless it is an eponym; the tokens are used up."""
        for k in range(first, last + 1):
            self.used[k] = True
        if self.eponym(first):
            return
        def text_of(k: int | None) -> str | None:
            return self.toks[k].text if k is not None else None

        name, case = read_name(text_of(family), text_of(given), text_of(patronymic), text_of(initials),
                               self.lang, self.morph, self.hint)
        start, stop = self.toks[first].start, self.toks[last].stop
        self.found.append(NameMatch(start, stop, self.text[start:stop], name, case))


def find_names(text: str, lang: str, morph: Morphology, case_hint: str | None = None) -> list[NameMatch]:
    """Every person's name in TEXT, in order, normalised to the nominative; eponyms are left out."""
    finder = _Finder(text, lang, morph, case_hint)
    finder.full_names()
    finder.initials()
    return sorted(finder.found, key=lambda m: m.start)
