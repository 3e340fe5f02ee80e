"""Tell Ukrainian from Russian text by letters and frequent words that only one of them has."""
from __future__ import annotations

import re

from kg.ingest.lexicon import LangMarkers, lang_markers

_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
DEFAULT_LANG = "ru"


def lang_scores(text: str, markers: LangMarkers | None = None) -> dict[str, int]:
    """Weighted votes per language: marker letters anywhere, marker words as whole words.

    >>> lang_scores("Це бібліотека, і вона працює")["uk"] > 0
    True
    """
    markers = markers or lang_markers()
    scores = {"ru": 0, "uk": 0}
    lower = text.lower()
    for letter, (lang, weight) in markers.letters.items():
        scores[lang] = scores.get(lang, 0) + weight * lower.count(letter)
    for word in _WORD.findall(lower):
        hit = markers.words.get(word)
        if hit is not None:
            scores[hit[0]] = scores.get(hit[0], 0) + hit[1]
    return scores


def detect_lang(text: str, markers: LangMarkers | None = None) -> str:
    """'uk' when Ukrainian markers outweigh Russian ones, else 'ru' (also for text with no markers).

    >>> detect_lang("Учасники круглого столу вирішили"), detect_lang("Участники решили")
    ('uk', 'ru')
    """
    scores = lang_scores(text, markers)
    return "uk" if scores["uk"] > scores["ru"] else DEFAULT_LANG
