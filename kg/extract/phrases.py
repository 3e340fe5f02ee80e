"""Post and organisation phrases into the nominative.

Only the leading agreeing group is inflected: adjectives and participles with their head noun (or an
abbreviation, whose gender comes from data/lexicon/abbreviations.tsv), or a substantivised participle
("Исполняющую обязанности" → "исполняющая обязанности"). Genitive tails, "им. …", «quoted names» and
"г. Белово" stay verbatim. A group headed by a post word (data/lexicon/posts.tsv) is a job title and is
written in lower case ("Главе" → "глава"); otherwise each word keeps the capitalisation it had."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from kg.extract.morph import CASES, GENDER_GRAMMEME, Morphology, case_of, gender_of, is_plural
from kg.lexicon import load_tsv

LETTER = "А-ЯЁІЇЄҐа-яёіїєґ"
GROUP_WORD = re.compile(rf"[{LETTER}]+(?:['’ʼ][{LETTER}]+)*(?:-[{LETTER}]+(?:['’ʼ][{LETTER}]+)*)*")
SPACE = re.compile(r"[ \u00a0\t]+|[ \u00a0\t]*\n[ \u00a0\t]*")
__test__ = {"GROUP_WORD": """
>>> GROUP_WORD.match("Анжеро-Судженской ЦБС").group(0)
'Анжеро-Судженской'
"""}
MODIFIER = ("ADJF", "PRTF")
MAX_ABBREVIATION = 4  # letters of a word that, before a full stop, is an abbreviation ("обл.")


@dataclass(frozen=True)
class _Group:
    """An agreeing group: one parse per word (None for an abbreviation head), its number and gender."""

    parses: tuple
    plural: bool
    gender: str | None  # 'masc', 'femn', 'neut' in the singular
    head_noun: bool


@functools.cache
def abbreviation_genders() -> dict[tuple[str, str], str]:
    """Gender ('m', 'f', 'n') of abbreviations that head organisation names, keyed by (abbr, lang)."""
    return {(r["abbr"], r["lang"]): r["gender"] for r in load_tsv("abbreviations")}


@functools.cache
def _post_lemmas(lang: str) -> frozenset[str]:
    """Dictionary forms of the words that head job titles."""
    return frozenset(r["lemma"] for r in load_tsv("posts") if r["lang"] in (lang, "*"))


def _leading_words(phrase: str) -> list[re.Match]:
    """The words at the start of PHRASE separated by spaces only; the group cannot reach beyond them.
    A short word before a full stop is an abbreviation ('им.', 'г.', 'обл.') and ends the run."""
    out, pos = [], len(phrase) - len(phrase.lstrip())
    while True:
        m = GROUP_WORD.match(phrase, pos)
        if not m or (phrase[m.end():m.end() + 1] == "." and len(m.group(0)) <= MAX_ABBREVIATION):
            return out
        out.append(m)
        gap = SPACE.match(phrase, m.end())
        if not gap:
            return out
        pos = gap.end()


def _is_abbreviation(word: str, lang: str, morph: Morphology) -> bool:
    """Whether WORD is an abbreviation like 'ЦБС' or 'МБУК': listed, or in capitals and no dictionary word."""
    if (word, lang) in abbreviation_genders():
        return True
    return len(word) > 1 and word.isupper() and not morph.is_known(word, lang)


def _fits(word: str, pos: tuple[str, ...], case: str, plural: bool, lang: str, morph: Morphology) -> list:
    """Parses of WORD with a part of speech in POS, in CASE and number PLURAL, best first: for hyphenated
    words those whose every part declines ('библиотека-филиал', not 'библиотеке-филиал'), then by score."""
    fits = [p for p in morph.parse(word, lang)
            if p.tag.POS in pos and case_of(p) == case and is_plural(p) == plural]
    return sorted(fits, key=lambda p: (-_lemma_parts(p, lang, morph), -p.score))


def _lemma_parts(parse, lang: str, morph: Morphology) -> int:
    """How many hyphen-separated parts of PARSE's dictionary form are dictionary forms themselves."""
    parts = parse.normal_form.split("-")
    if len(parts) == 1:
        return 1
    return sum(any(q.normal_form == part for q in morph.parse(part, lang)) for part in parts)


def _agree(words: list[str], head_noun: bool, lang: str, morph: Morphology, fixed: str | None) -> _Group | None:
    """The best agreeing reading of WORDS (modifiers, then the head: a noun if HEAD_NOUN, an abbreviation of
    gender FIXED if not None, else the last modifier itself), singular and nominative first."""
    abbr = fixed is not None or (not head_noun and bool(words) and _is_abbreviation(words[-1], lang, morph))
    mods = words[:-1] if head_noun or abbr else words
    best = None
    for plural in (False, True):
        for case in CASES:
            head = _fits(words[-1], ("NOUN",), case, plural, lang, morph) if head_noun else [None]
            if head_noun:  # a post reading first: "голові" is the chair ("голова"), not a goal ("гол")
                head = sorted(head, key=lambda p: p.normal_form not in _post_lemmas(lang))
            for rank, h in enumerate(head):
                genders = _genders(h, fixed, plural)
                for g in genders:
                    picked = []
                    for w in mods:
                        ok = [p for p in _fits(w, MODIFIER, case, plural, lang, morph)
                              if plural or gender_of(p) in (g, None) or g is None]
                        if not ok:
                            break
                        picked.append(ok[0])
                    else:
                        if not picked and h is None:
                            continue
                        gender = g or (gender_of(picked[-1]) if picked else None)
                        score = sum(p.score for p in picked) + (h.score if h else 0)
                        parses = tuple(picked) + ((h,) if head_noun else (None,) if abbr else ())
                        key = (plural, CASES.index(case), rank, -score)
                        if best is None or key < best[0]:
                            best = (key, _Group(parses, plural, gender, head_noun))
        if best:
            return best[1]
    return None


def _genders(head, fixed: str | None, plural: bool) -> tuple[str | None, ...]:
    """Genders the modifiers may take: the head noun's, the abbreviation's, or any."""
    if plural:
        return (None,)
    if head is not None:
        g = gender_of(head)
        return ("masc", "femn") if g == "ms-f" else (g,)
    return (GENDER_GRAMMEME[fixed],) if fixed else ("masc", "femn", "neut")


def _spell_like(new: str, old: str, lower: bool) -> str:
    """NEW written with OLD's capitals (per hyphenated part), ё only where OLD has it; lower-cased if LOWER."""
    if "ё" not in old.lower():
        new = new.replace("ё", "е")
    if old.isupper() and len(old) > 1:
        return new.upper()
    if lower:
        return new.lower()
    olds, news = old.split("-"), new.split("-")
    if len(olds) != len(news):
        olds, news = [old], [new]
    return "-".join(n[:1].upper() + n[1:] if o[:1].isupper() else n for o, n in zip(olds, news))


def _is_post(group: _Group, lang: str, morph: Morphology) -> bool:
    """Whether the group's head (its noun, or a substantivised participle) is a post word."""
    head = group.parses[-1]
    if head is None:
        return False
    lemmas = {head.normal_form, Morphology.inflect(head, {"nomn", "sing", "masc"}, lang)}
    return bool(lemmas & _post_lemmas(lang))


def _group(words: list[str], lang: str, morph: Morphology) -> _Group | None:
    """The leading agreeing group of WORDS: modifiers + noun or abbreviation head, else modifiers alone."""
    k = 0
    while (k < len(words) and not _is_abbreviation(words[k], lang, morph)
           and _fits_any(words[k], MODIFIER, lang, morph)):
        k += 1
    if k < len(words) and _is_abbreviation(words[k], lang, morph):
        if k == 0:
            return None
        return _agree(words[:k + 1], False, lang, morph, abbreviation_genders().get((words[k], lang)))
    for h in range(min(k, len(words) - 1), -1, -1):
        group = _agree(words[:h + 1], True, lang, morph, None)
        if group:
            return group
    for j in range(k, 0, -1):  # "заведующую научно-методическим отделом": the participle alone
        group = _agree(words[:j], False, lang, morph, None)
        if group:
            return group
    return None


def _fits_any(word: str, pos: tuple[str, ...], lang: str, morph: Morphology) -> bool:
    """Whether some parse of WORD has a part of speech in POS."""
    return any(p.tag.POS in pos for p in morph.parse(word, lang))


def _nominative(parse, group: _Group, is_head: bool, gender: str | None, lang: str) -> str | None:
    """The nominative of one word of the group, agreeing with the group (or with GENDER if substantivised)."""
    if group.plural:
        return Morphology.inflect(parse, {"nomn", "plur"}, lang)
    if is_head and group.head_noun:
        return Morphology.inflect(parse, {"nomn", "sing"}, lang)
    g = group.gender or "masc"
    if gender and not group.head_noun and group.parses[-1] is not None:
        g = GENDER_GRAMMEME.get(gender, g)
    if g == "neut" and parse.tag.POS == "PRTF" and not group.head_noun:
        g = "masc"
    return Morphology.inflect(parse, {"nomn", "sing", g}, lang)


def to_nominative(phrase: str, lang: str, morph: Morphology, gender: str | None = None) -> str:
    """PHRASE with its leading agreeing group in the nominative singular; the rest verbatim.

    GENDER ('m'/'f') is the person's, for a substantivised participle ('исполняющая обязанности').
    """
    return morph.memo(("nominative", phrase, lang, gender), lambda: _to_nominative(phrase, lang, morph, gender))


def _to_nominative(phrase: str, lang: str, morph: Morphology, gender: str | None) -> str:
    """The work of to_nominative (not cached)."""
    matches = _leading_words(phrase)
    words = [m.group(0) for m in matches]
    group = _group(words, lang, morph) if words else None
    if group is None:
        return phrase
    lower = _is_post(group, lang, morph)
    out, last = [], 0
    for i, (m, parse) in enumerate(zip(matches, group.parses)):
        new = _nominative(parse, group, i == len(group.parses) - 1, gender, lang) if parse else None
        out.append(phrase[last:m.start()])
        out.append(_spell_like(new, m.group(0), lower) if new else m.group(0))
        last = m.end()
    out.append(phrase[last:])
    return "".join(out)
