"""Reconciliation of organisation and body names with the authority file: exact and variant matches on
a lemma key, then a guarded fuzzy step for typos ("Польсаевская" → "Полысаевская")."""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.tokens import tokenize

# Lemma sequences that stand for an abbreviation, so "централизованная библиотечная система" = "ЦБС".
EXPANSIONS = [
    (("муниципальный", "информационно-библиотечный", "система"), "мибс"),
    (("муниципальный", "информационный", "библиотечный", "система"), "мибс"),
    (("централизованный", "библиотечный", "система"), "цбс"),
    (("информационный", "библиотечный", "система"), "ибс"),
    (("централізований", "бібліотечний", "система"), "цбс"),
]
CANON = {"город": "г", "города": "г", "місто": "г", "м": "г", "имя": "им", "имени": "им", "ім": "им",
         "імені": "им", "ім'я": "им", "р-он": "район", "р-н": "район", "р-ов": "район", "р-нов": "район"}
DROP = {"мбук", "маук", "мбу", "мку", "кук", "гбук", "гаук", "муниципальный бюджетный учреждение культура"}
# Tokens a fuzzy match may never change: they tell a city from a district, one kind of body from another.
PROTECTED = {"г", "район", "округ", "муниципальный", "городской", "цбс", "мибс", "ибс", "им", "область",
             "библиотека", "бібліотека", "детский", "центр", "музей", "районный", "міський"}
FUZZY_MAX_DIST = 2
FUZZY_MIN_LEN = 6


def lemma_key(label: str, lang: str, morph) -> str:
    """A case-, spelling- and inflection-insensitive key of a name: lemmas joined by spaces."""
    s = label.lower().replace("ё", "е").replace("’", "'").replace("ʼ", "'")
    words = []
    for t in tokenize(s):
        if not t.is_word:
            continue
        w = t.text
        if len(w) == 1 and w not in ("г", "м"):
            words.append(w)  # initials
            continue
        ps = morph.parse(w, lang)
        lem = ps[0].normal_form if ps else w
        words.append(CANON.get(w, CANON.get(lem, lem)))
    out, i = [], 0
    while i < len(words):
        for seq, abbr in EXPANSIONS:
            if tuple(words[i:i + len(seq)]) == seq:
                out.append(abbr)
                i += len(seq)
                break
        else:
            out.append(words[i])
            i += 1
    return " ".join(w for w in out if w not in DROP)


def _dist(a: str, b: str, cap: int) -> int:
    """Levenshtein distance of A and B, stopping early above CAP."""
    if abs(len(a) - len(b)) > cap:
        return cap + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > cap:
            return cap + 1
        prev = cur
    return prev[-1]


@dataclass(frozen=True)
class Match:
    """The result of reconciling one name."""

    key: str | None
    method: str  # exact | alias | misspelling | fuzzy | correction | ambiguous | unreconciled
    score: float
    variant: str | None = None  # the authority form that matched


class Index:
    """Lemma keys of every label, alias and historic name of a set of authority entries."""

    def __init__(self, entries, lang_of, morph, misspellings=()):
        """ENTRIES: (key, canonical label, [other labels]); LANG_OF(key) gives the language;
        MISSPELLINGS: (key, form) pairs of typos attested in documents (matched, flagged for review)."""
        self.morph = morph
        self.keys: dict[str, tuple[str, str, str]] = {}
        self.ambiguous: dict[str, list[str]] = {}
        rows = [(key, form, "exact" if n == 0 else "alias", lang_of(key))
                for key, label, others in entries for n, form in enumerate([label, *others])]
        rows += [(key, form, "misspelling", lang_of(key)) for key, form in misspellings]
        for key, form, method, lang in rows:
            for lg in {lang, "ru", "uk"}:
                k = lemma_key(form, lg, morph)
                if k and k not in self.keys:
                    self.keys[k] = (key, method, form)
        self.real_words: set[str] = set()  # words known to name something (places): never typos
        self.by_len: dict[int, list[str]] = {}
        for k in self.keys:
            self.by_len.setdefault(len(k.split()), []).append(k)

    def add_generated(self, forms: dict[str, set[str]]) -> None:
        """Add lemma keys built from data (e.g. a place's adjective + 'ЦБС'): a key that fits one entry is an
        alias, one that fits several is ambiguous; keys already known are left as they are."""
        for k, keys in forms.items():
            if k in self.keys or k in self.ambiguous:
                continue
            if len(keys) == 1:
                key = next(iter(keys))
                self.keys[k] = (key, "alias", k)
                self.by_len.setdefault(len(k.split()), []).append(k)
            else:
                self.ambiguous[k] = sorted(keys)

    def add_real_words(self, words) -> None:
        """Record lemma words that name real things (place adjectives), which a fuzzy match may not change."""
        self.real_words.update(w for w in words if w)

    def add_ambiguous(self, form: str, candidates: list[str], lang: str) -> None:
        """Record FORM as a name several entries share (never matched automatically)."""
        self.ambiguous[lemma_key(form, lang, self.morph)] = candidates

    def match(self, name: str, lang: str) -> Match:
        """Reconcile NAME: exact/variant on the lemma key, else the guarded fuzzy step."""
        k = lemma_key(name, lang, self.morph)
        if k in self.ambiguous:
            return Match(None, "ambiguous", 0.0)
        if k in self.keys:
            key, method, form = self.keys[k]
            return Match(key, method, 1.0, form)
        return self._fuzzy(k)

    def _fuzzy(self, k: str) -> Match:
        """One proper-name token may differ by a typo (≤ 2 edits, ≥ 6 letters, same first letter)."""
        toks = k.split()
        best: list[tuple[float, str]] = []
        for cand in self.by_len.get(len(toks), []):
            ct = cand.split()
            diff = [(a, b) for a, b in zip(toks, ct) if a != b]
            if len(diff) != 1:
                continue
            a, b = diff[0]
            if a in PROTECTED or b in PROTECTED or a in self.real_words or min(len(a), len(b)) < FUZZY_MIN_LEN \
                    or a[0] != b[0]:
                continue
            d = _dist(a, b, FUZZY_MAX_DIST)
            if d <= FUZZY_MAX_DIST and d <= max(len(a), len(b)) // 4:
                best.append((1 - d / max(len(a), len(b)), cand))
        if not best:
            return Match(None, "unreconciled", 0.0)
        best.sort(reverse=True)
        keys = {self.keys[c][0] for s, c in best if s == best[0][0]}
        if len(keys) > 1:
            return Match(None, "ambiguous", best[0][0])
        score, cand = best[0]
        return Match(self.keys[cand][0], "fuzzy", round(score, 3), self.keys[cand][2])


def clean_label(label: str) -> str:
    """A display label: folded spaces, no Markdown, 'г.Белово' → 'г. Белово', 'им.В.Д.' → 'им. В.Д. '."""
    s = re.sub(r"\s+", " ", label.replace("**", "")).strip(" ,;:")
    s = re.sub(r"\b(г|м|им|ім)\.(?=\S)", r"\1. ", s)
    s = re.sub(r"([А-ЯЁІЇЄҐ]\.)([А-ЯЁІЇЄҐ][а-яёіїєґ])", r"\1 \2", s)
    return s
