"""Person names into the nominative by analysis by synthesis.

For every hypothesis of gender and case, each name part gets candidate nominatives — pymorphy3's
dictionary surname paradigms first (tier 0), then its guesses and adjectival readings (tier 1), then
common masculine nouns and the nominative endings of data/lexicon/name_endings.tsv (tier 2), then the
word unchanged (tier 3) —
and a candidate is kept only if declining it into that gender and case reproduces the observed form.
The first name and patronymic fix gender and case; for initials-only names the case hint decides."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from kg.extract.morph import CASES, GENDER_GRAMMEME, Morphology, case_of, fold, from_dictionary, gender_of
from kg.extract.morph import is_plural as plural
from kg.lexicon import load_tsv
from kg.model import PersonName

GENDERS = ("m", "f")
PART_GRAMMEME = {"family": "Surn", "given": "Name", "patronymic": "Patr"}
UNCHANGED = 3
# Probe stems (hard, soft, velar, sibilant and ц finals) declined with each nominative ending to learn which
# endings the oblique forms take; not vocabulary.
PROBE_STEMS = ("барб", "бав", "бад", "баз", "бал", "бам", "бан", "бап", "бар", "бас", "бат", "баф", "бак", "баг",
               "бах", "баж", "баш", "бач", "бащ", "бац", "баль", "бай", "бань", "бер", "бел", "бин", "бук")
NOUN_TIER = 2  # a common noun's dictionary paradigm: surer than ending rules, weaker than a surname or adjective
PENDING_TIER = 2  # the best tier synthesis could still reach
INITIAL = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class PartForm:
    """A name part's nominative (lower case, as the dictionary spells it) and how it was confirmed."""

    nominative: str
    tier: int  # 0 dictionary surname, 1 guessed paradigm or adjective, 2 common noun or ending rule, 3 unchanged


PENDING = PartForm("", PENDING_TIER)


@dataclass(frozen=True)
class _Reading:
    """One hypothesis of gender and case with the nominatives it yields."""

    key: tuple
    gender: str
    case: str
    family: PartForm | None
    given: PartForm | None
    patronymic: PartForm | None
    pending: bool = False


@functools.cache
def _endings(part: str, lang: str, gender: str) -> tuple[str, ...]:
    """Nominative endings of a name part, longest first ('' for the bare stem)."""
    rows = [r["ending"] for r in load_tsv("name_endings")
            if r["part"] == part and r["lang"] == lang and r["gender"] == gender]
    return tuple(sorted(("" if e == "-" else e for e in rows), key=len, reverse=True))


def _gender_fits(grammeme: str | None, gender: str, strict: bool) -> bool:
    """Whether a parse's gender grammeme admits GENDER ('ms-f' and, unless STRICT, none admit both)."""
    if grammeme == GENDER_GRAMMEME[gender] or grammeme == "ms-f":
        return True
    return grammeme is None and not strict


def _nominative(parse, gender: str, lang: str) -> str | None:
    """The nominative singular of PARSE's lexeme in GENDER, falling back to the lexeme's own gender."""
    return (Morphology.inflect(parse, {"nomn", "sing", GENDER_GRAMMEME[gender]}, lang)
            or Morphology.inflect(parse, {"nomn", "sing"}, lang))


def _possessive(adjective: str, gender: str, case: str, key: str, lang: str, morph: Morphology) -> str | None:
    """'Лыкова' rather than the adjective 'Лыковая' when both decline into the observed form: surnames in
    -ов/-ин (data/lexicon/name_endings.tsv, part 'possessive') are far commoner than such adjectives."""
    stem = adjective[:-2]
    if not stem.endswith(_endings("possessive", lang, "*")):
        return None
    cand = stem + ("а" if gender == "f" else "")
    return cand if key in morph.decline(cand, "family", gender, case, lang) else None


def _from_parses(word: str, part: str, gender: str, case: str, lang: str, morph: Morphology
                 ) -> tuple[PartForm | None, bool]:
    """The best tier-0/1 nominative from pymorphy3, and whether the dictionary knows WORD as this part."""
    key, gram = fold(word), PART_GRAMMEME[part]
    known, unchanged_tier, found = False, UNCHANGED + 1, []
    for p in morph.parse(word, lang):
        tagged = gram in p.tag
        adjectival = part == "family" and p.tag.POS == "ADJF"
        # A man's surname that is a common masculine noun declines like it: "Зубка" → "Зубок".
        # (In the nominative it adds nothing, and must not make "Кентнер" a man.)
        nounal = (part == "family" and gender == "m" and case != "nomn" and p.tag.POS == "NOUN" and not tagged
                  and gender_of(p) == "masc" and from_dictionary(p))
        if (part == "family" and p.tag.POS == "NOUN" and case_of(p) == "nomn" and not plural(p)
                and from_dictionary(p)):
            # the dictionary has WORD itself as a nominative: a surname confirms it, a common noun does not
            unchanged_tier = min(unchanged_tier, 1 if tagged else UNCHANGED)
        # a woman's adjectival surname that the dictionary knows only as another noun ("Лозовой": the dative
        # of the place name "Лозовая") declines like that noun
        femnoun = (part == "family" and gender == "f" and case != "nomn" and p.tag.POS == "NOUN" and not tagged
                   and gender_of(p) == "femn" and p.normal_form.endswith(("ая", "яя")))
        if femnoun and case_of(p) == case and not plural(p) and key in morph.decline(p.normal_form, part, gender,
                                                                                     case, lang):
            found.append((1, -p.score, -len(p.normal_form), p.normal_form))
            continue
        if not (tagged or adjectival or nounal):
            continue
        dictionary = tagged and from_dictionary(p)
        known = known or (dictionary and part != "family")
        # a person is animate: an inanimate noun's genitive stands for the accusative
        wanted = "gent" if nounal and case == "accs" and "inan" in p.tag else case
        if case_of(p) != wanted or plural(p) or not _gender_fits(gender_of(p), gender, strict=adjectival):
            continue
        nom = _nominative(p, gender, lang)
        if not nom:
            continue
        if adjectival and not tagged:
            nom = _possessive(nom, gender, case, key, lang, morph) or nom
        tier = 0 if dictionary else 1 if not nounal else NOUN_TIER
        if tier == 1 and key not in morph.decline(nom, part, gender, case, lang):
            continue
        found.append((tier, -p.score, -len(nom), nom))
    low = word.lower()
    if not found and unchanged_tier <= UNCHANGED and key in morph.decline(low, part, gender, case, lang):
        found.append((unchanged_tier, 0.0, 0, low))  # a word that does not decline here ('Цой', 'Мороз': a woman)
    if not found:
        return None, known
    tier, _, _, nom = min(found)
    return PartForm(nom, tier), known


def _tails(part: str, lang: str, gender: str, case: str, morph: Morphology) -> dict[str, tuple[str, ...]]:
    """For each nominative ending, the endings its forms take in CASE, learnt once by declining probe words.
    Only candidates whose replaced tail is one of these are worth declining."""
    def compute() -> dict[str, tuple[str, ...]]:
        out = {}
        for ending in _endings(part, lang, gender):
            tails = set()
            for stem in PROBE_STEMS:
                for form in morph.decline(stem + ending, part, gender, case, lang):
                    if form.startswith(stem) and form != fold(stem + ending):
                        tails.add(form[len(stem):])
            out[ending] = tuple(sorted(tails, key=lambda t: (len(t), t)))
        return out

    return morph.memo(("tails", part, lang, gender, case), compute, keep=True)


def _from_endings(word: str, part: str, gender: str, case: str, lang: str, morph: Morphology
                  ) -> PartForm | None:
    """The first candidate made of WORD's stem and a nominative ending that declines back into WORD
    (longer endings first, then shorter replaced tails)."""
    low, key = word.lower(), fold(word)
    seen = {low}
    tails = _tails(part, lang, gender, case, morph)
    for ending in _endings(part, lang, gender):
        for tail in tails[ending]:
            if len(tail) >= len(low) or not key.endswith(tail):
                continue
            cand = low[:len(low) - len(tail)] + ending
            if cand in seen:
                continue
            seen.add(cand)
            if key in morph.decline(cand, part, gender, case, lang):
                return PartForm(cand, 2)
    return None


def part_form(word: str, part: str, gender: str, case: str, lang: str, morph: Morphology,
              deep: bool = True) -> PartForm | None:
    """The nominative of one name part observed as WORD in CASE for GENDER, or None if none fits.

    Without DEEP, only the dictionary is consulted and PENDING stands for "needs synthesis".
    """
    def compute() -> PartForm | None:
        if "-" in word and part == "family":
            pieces = [part_form(w, part, gender, case, lang, morph, deep) for w in word.split("-")]
            if not all(pieces) or PENDING in pieces:
                return PENDING if all(pieces) else None
            return PartForm("-".join(p.nominative for p in pieces), max(p.tier for p in pieces))
        form, known = _from_parses(word, part, gender, case, lang, morph)
        if form or known:
            return form
        if case == "nomn":
            return PartForm(word.lower(), UNCHANGED)
        if not deep:
            return PENDING
        form = _from_endings(word, part, gender, case, lang, morph)
        if form:
            return form
        if fold(word) in morph.decline(word.lower(), part, gender, case, lang):
            return PartForm(word.lower(), UNCHANGED)
        return None

    return morph.memo(("part", word, part, gender, case, lang, deep), compute)


def spell_like(nominative: str, observed: str, yo: bool) -> str:
    """NOMINATIVE capitalised as a name, with its ё only if YO (the text writes ё), and OBSERVED's apostrophe.

    >>> spell_like("новосёлова", "Новоселову", False), spell_like("пётр", "Петра", True)
    ('Новоселова', 'Пётр')
    """
    word = nominative if yo else nominative.replace("ё", "е")
    for sign in "’ʼ'":
        if sign in observed:
            word = re.sub("['’ʼ]", sign, word)
            break
    return "-".join(p[:1].upper() + p[1:].lower() for p in word.split("-"))


def format_initials(initials: str | None) -> str | None:
    """Initials as 'О.П.' whatever the spacing.

    >>> format_initials("О. П.")
    'О.П.'
    """
    letters = INITIAL.findall(initials or "")
    return "".join(f"{c.upper()}." for c in letters) or None


def _read(family: str, given: str | None, patronymic: str | None, gender: str, case: str, lang: str,
          morph: Morphology, hint: str | None, deep: bool) -> _Reading | None:
    """The reading of the name under one hypothesis, or None if the first name or patronymic rule it out.
    Without DEEP a reading may be pending; its key is then the best it could reach."""
    forms = {}
    for part, word in (("given", given), ("patronymic", patronymic), ("family", family)):
        if word:
            forms[part] = part_form(word, part, gender, case, lang, morph, deep)
            if forms[part] is None and part != "family":
                return None
    fam = forms["family"]
    anchor = max((forms[p].tier for p in ("given", "patronymic") if p in forms), default=0)
    pending = PENDING in forms.values()
    key = (anchor, fam is None, hint is not None and case != hint, fam.tier if fam else UNCHANGED + 1)
    return _Reading(key, gender, case, fam, forms.get("given"), forms.get("patronymic"), pending)


def _readings(family, given, patronymic, lang, morph, hint) -> list[_Reading]:
    """All admissible readings, best first. Synthesis runs only for readings that could still win."""
    cheap = [r for c in CASES for g in GENDERS
             if (r := _read(family, given, patronymic, g, c, lang, morph, hint, deep=False))]
    done = [r for r in cheap if not r.pending]
    best = min((r.key for r in done), default=None)
    for r in sorted((r for r in cheap if r.pending), key=lambda r: r.key):
        if best is not None and r.key > best:
            break
        full = _read(family, given, patronymic, r.gender, r.case, lang, morph, hint, deep=True)
        if full:
            done.append(full)
            best = full.key if best is None else min(best, full.key)
    return sorted(done, key=lambda r: (r.key, CASES.index(r.case)))


def _person(r: _Reading, family, given, patronymic, initials, gender, guessed) -> PersonName:
    """The PersonName a reading yields, spelled like the observed words (kept as written where it has no form)."""
    yo = "ё" in " ".join(w for w in (family, given, patronymic) if w).lower()

    def spell(form: PartForm | None, observed: str | None) -> str | None:
        if not observed:
            return None
        return spell_like(form.nominative if form else observed.lower(), observed, yo)

    return PersonName(
        family=spell(r.family, family) or "",
        given=spell(r.given, given),
        patronymic=spell(r.patronymic, patronymic),
        initials=None if given else format_initials(initials),
        gender=gender,
        guessed=guessed,
    )


def read_name(family: str, given: str | None, patronymic: str | None, initials: str | None, lang: str,
              morph: Morphology, case_hint: str | None = None) -> tuple[PersonName, str | None]:
    """The nominative name and the case the observed form was read in (None when nothing fits)."""
    hint = case_hint if case_hint in CASES else None

    def compute() -> tuple[PersonName, str | None]:
        readings = _readings(family, given, patronymic, lang, morph, hint) if family else []
        if not readings:
            bare = _Reading((), "", "", None, None, None)
            return _person(bare, family, given, patronymic, initials, None, True), None
        best = readings[0]
        ties = [r for r in readings if r.key == best.key]
        shown = {_person(r, family, given, patronymic, initials, None, False).full for r in ties}
        genders = {r.gender for r in ties}
        gender = None if len(genders) > 1 and len(shown) == 1 else best.gender
        parts = [f for f in (best.family, best.given, best.patronymic) if f]
        guessed = (best.family is None or len(shown) > 1
                   or any(f.tier == UNCHANGED and best.case != "nomn" for f in parts))
        return _person(best, family, given, patronymic, initials, gender, guessed), best.case

    return morph.memo(("name", family, given, patronymic, initials, lang, hint), compute)


def normalize_name(family: str, given: str | None, patronymic: str | None, initials: str | None,
                   lang: str, morph: Morphology, case_hint: str | None = None) -> PersonName:
    """A person's name in the nominative, surname first, with gender; see the module docstring."""
    return read_name(family, given, patronymic, initials, lang, morph, case_hint)[0]
