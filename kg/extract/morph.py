"""Morphology of Russian and Ukrainian: pymorphy3 analysis, and declension of name parts by synthesis
(pytrovich for Russian, shevchenko for Ukrainian). One `Morphology` is built per run and passed in."""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Hashable
from typing import Any

import pymorphy3
import shevchenko
from pymorphy3.analyzer import Parse
from pymorphy3.units import DictionaryAnalyzer
from pytrovich.enums import Case, Gender, NamePart
from pytrovich.maker import PetrovichDeclinationMaker

LANGS = ("ru", "uk")
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
CASE_ALIASES = {"gen1": "gent", "gen2": "gent", "acc2": "accs", "loc1": "loct", "loc2": "loct"}
GENDER_GRAMMEME = {"m": "masc", "f": "femn", "n": "neut"}

_PETROVICH_PART = {"family": NamePart.LASTNAME, "given": NamePart.FIRSTNAME, "patronymic": NamePart.MIDDLENAME}
_PETROVICH_GENDER = {"m": Gender.MALE, "f": Gender.FEMALE}
_PETROVICH_CASE = {"gent": Case.GENITIVE, "datv": Case.DATIVE, "accs": Case.ACCUSATIVE,
                   "ablt": Case.INSTRUMENTAL, "loct": Case.PREPOSITIONAL}
_SHEV_FIELD = {"family": "familyName", "given": "givenName", "patronymic": "patronymicName"}
_SHEV_GENDER = {"m": shevchenko.GrammaticalGender.MASCULINE, "f": shevchenko.GrammaticalGender.FEMININE}
_SHEV_CASE = {"gent": shevchenko.GrammaticalCase.GENITIVE, "datv": shevchenko.GrammaticalCase.DATIVE,
              "accs": shevchenko.GrammaticalCase.ACCUSATIVE, "ablt": shevchenko.GrammaticalCase.ABLATIVE,
              "loct": shevchenko.GrammaticalCase.LOCATIVE}
_PART_GRAMMEME = {"family": "Surn", "given": "Name", "patronymic": "Patr"}

# Words shevchenko can decline: Ukrainian letters, apostrophes and inner hyphens only.
UK_WORD = re.compile(r"[а-щьюяєіїґ]+(?:['’ʼ]?[а-щьюяєіїґ]+)*(?:-[а-щьюяєіїґ]+(?:['’ʼ]?[а-щьюяєіїґ]+)*)*")
RU_WORD = re.compile(r"[а-яё]+(?:-[а-яё]+)*")


def fold(word: str) -> str:
    """A key for comparing word forms: lower case, ё as е, one apostrophe.

    >>> fold("Алёну"), fold("Григор’єва")
    ('алену', "григор'єва")
    """
    return word.lower().replace("ё", "е").replace("’", "'").replace("ʼ", "'")


def case_of(parse: Parse) -> str | None:
    """The parse's case as one of CASES (gen2 → gent, loc2 → loct, acc2 → accs), or None."""
    c = parse.tag.case
    return CASE_ALIASES.get(c, c) if c else None


def gender_of(parse: Parse) -> str | None:
    """The parse's gender grammeme as a plain string ('masc', 'femn', 'neut', 'ms-f') or None.

    Ukrainian tags refuse comparisons with grammemes they lack ('ms-f'), so compare plain strings.
    """
    g = parse.tag.gender
    return None if g is None else str(g)


def is_plural(parse: Parse) -> bool:
    """Whether the parse is plural (Ukrainian tags carry no 'sing', so absence of 'plur' means singular)."""
    return "plur" in parse.tag


def from_dictionary(parse: Parse) -> bool:
    """Whether the parse comes from the dictionary itself rather than from a guess by suffix or prefix."""
    return isinstance(parse.methods_stack[0][0], DictionaryAnalyzer)


class Morphology:
    """pymorphy3 analyzers for 'ru' and 'uk', cached parses and declension of name parts; build once."""

    def __init__(self, cache_size: int = 500_000):
        self._analyzers = {lang: pymorphy3.MorphAnalyzer(lang=lang) for lang in LANGS}
        self._petrovich = PetrovichDeclinationMaker()
        self._memo: dict[Hashable, Any] = {}
        self._kept: dict[Hashable, Any] = {}
        self._memo_size = cache_size
        self.parse = functools.lru_cache(maxsize=cache_size)(self._parse)
        self.is_known = functools.lru_cache(maxsize=cache_size)(self._is_known)
        self.decline = functools.lru_cache(maxsize=cache_size)(self._decline)

    def __reduce__(self):
        """Pickles as a recipe (worker processes rebuild their own analyzers and caches)."""
        return (Morphology, (self._memo_size,))

    def analyzer(self, lang: str) -> pymorphy3.MorphAnalyzer:
        """The pymorphy3 analyzer for LANG ('ru' or 'uk')."""
        try:
            return self._analyzers[lang]
        except KeyError:
            raise ValueError(f"unsupported language {lang!r}; expected one of {LANGS}") from None

    def _parse(self, word: str, lang: str) -> tuple[Parse, ...]:
        """All parses of WORD in LANG, best first (cached: use `parse`).

        Letters that the Unicode database cannot name (pymorphy3 fails on them) get no parse.
        """
        analyzer = self.analyzer(lang)
        if not all(unicodedata.name(ch, "") for ch in word if ch.isalpha()):
            return ()
        return tuple(analyzer.parse(word))

    def _is_known(self, word: str, lang: str) -> bool:
        """Whether the dictionary of LANG holds WORD (cached: use `is_known`)."""
        return bool(word) and self.analyzer(lang).word_is_known(word.lower())

    def memo(self, key: Hashable, compute: Callable[[], Any], keep: bool = False) -> Any:
        """The value cached under KEY, computing it once. The cache is emptied when it grows too large,
        except for values stored with KEEP (a few expensive tables). Values must depend on KEY alone."""
        store = self._kept if keep else self._memo
        try:
            return store[key]
        except KeyError:
            pass
        value = compute()
        if not keep and len(store) >= self._memo_size:
            store.clear()
        store[key] = value
        return value

    @staticmethod
    def inflect(parse: Parse, grammemes: set[str], lang: str) -> str | None:
        """The form of PARSE's lexeme with GRAMMEMES (a case, a number, a gender), or None.

        Ukrainian tags carry no 'sing' and the dictionary form often no case, so for Ukrainian the
        lexeme is searched directly: singular means 'no plur', and a form without a case is nominative.
        """
        if lang != "uk":
            form = parse.inflect(frozenset(grammemes))
            return form.word if form else None
        plural = "plur" in grammemes
        cases = [g for g in grammemes if g in CASES]
        genders = [g for g in grammemes if g in GENDER_GRAMMEME.values()]
        best, best_overlap = None, -1
        for form in parse.lexeme:
            if is_plural(form) != plural or any((case_of(form) or "nomn") != c for c in cases):
                continue
            if any(gender_of(form) not in (g, None) for g in genders):
                continue
            overlap = len(form.tag.grammemes & parse.tag.grammemes)
            if overlap > best_overlap:
                best, best_overlap = form.word, overlap
        return best

    def _decline(self, nominative: str, part: str, gender: str, case: str, lang: str) -> frozenset[str]:
        """Folded forms of a name part NOMINATIVE in CASE for GENDER ('m'/'f') (cached: use `decline`).

        Part is 'family', 'given' or 'patronymic'. Russian uses pytrovich; Ukrainian uses shevchenko and
        the pymorphy3 paradigms of the same lexeme, since Ukrainian admits variants ('Петрові'/'Петру').
        """
        if case == "nomn":
            return frozenset({fold(nominative)})
        if case not in _PETROVICH_CASE or gender not in _PETROVICH_GENDER:
            return frozenset()
        word = nominative.lower()
        forms: set[str] = set()
        if lang == "ru":
            if RU_WORD.fullmatch(word):
                forms.add(self._petrovich.make(_PETROVICH_PART[part], _PETROVICH_GENDER[gender],
                                               _PETROVICH_CASE[case], word))
        else:
            if UK_WORD.fullmatch(word):
                out = shevchenko.inflect({"gender": _SHEV_GENDER[gender], _SHEV_FIELD[part]: word},
                                         _SHEV_CASE[case])
                if out.get(_SHEV_FIELD[part]):
                    forms.add(out[_SHEV_FIELD[part]])
            forms.update(self._paradigm_forms(word, part, gender, case, lang))
        return frozenset(fold(f) for f in forms)

    def _paradigm_forms(self, word: str, part: str, gender: str, case: str, lang: str) -> set[str]:
        """Forms in CASE of the pymorphy3 lexemes whose nominative singular is WORD."""
        gram = _PART_GRAMMEME[part]
        out = set()
        for p in self.parse(word, lang):
            if case_of(p) != "nomn" or is_plural(p) or fold(p.word) != fold(word):
                continue
            if gram not in p.tag and not (part == "family" and p.tag.POS == "ADJF"):
                continue
            if gender_of(p) not in (GENDER_GRAMMEME[gender], "ms-f", None):
                continue
            form = self.inflect(p, {case}, lang)
            if form:
                out.add(form)
        return out
