"""Meeting dates: '23 июня 2021 г.', '8-9 июня 2022 г.', '04.10.2019', '02 червня 2017 року', '2023 г.'."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from kg.lexicon import load_tsv
from kg.model import DateValue, Span

ISO = re.compile(r"(?<![\d.-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")
NUMERIC = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s*[-–—]\s*(\d{1,2})\.(\d{1,2})\.(\d{4}))?(?![\d.]\d)")
# A bare year closed by "г."/"год"/"року"/"р." — e.g. "2023 г." (a year-only meeting date).
YEAR_ONLY = re.compile(r"(?<![\d.])((?:19|20)\d\d)\s*(?:г\.|гг\.|год[ау]?\b|року\b|рік\b|р\.)", re.IGNORECASE)
# "в 2009 году", "за 2020 год", "у 2019 році": a reporting year, never the meeting date.
REPORTING_YEAR = re.compile(r"\b(?:в|во|за|у|в течение)\s+((?:19|20)\d\d)\s*(?:г\.|году|год|році|рік|р\.)", re.IGNORECASE)


@dataclass(frozen=True)
class DateMatch:
    """A date found in text with its span and precision."""

    value: DateValue
    span: Span


@functools.lru_cache(maxsize=1)
def _verbal() -> re.Pattern:
    """The pattern for '8-9 июня 2022 г.' and '02 червня 2017 року', built from data/lexicon/months.tsv."""
    stems = "|".join(sorted({r["stem"] for r in load_tsv("months")}, key=len, reverse=True))
    month = f"((?:{stems})[а-яіїєґ]*)"
    day = r"[«\"“]?(\d{1,2})[»\"”]?"
    return re.compile(
        r"(?<!\d)" + day + r"(?:\s*(?:[-–—]|по|до)\s*(\d{1,2}))?\s+" + month +
        r"(?:\s*[-–—]\s*(\d{1,2})\s+" + month + r")?\s+(\d{4})",
        re.IGNORECASE,
    )


@functools.lru_cache(maxsize=1)
def _month_year() -> re.Pattern:
    """The pattern for a month and a year without a day: 'март 2015 г.', 'квітень 2025 р.'."""
    stems = "|".join(sorted({r["stem"] for r in load_tsv("months")}, key=len, reverse=True))
    return re.compile(r"(?<![\w\d])((?:" + stems + r")[а-яіїєґ]*)\s+((?:19|20)\d\d)(?!\d)", re.IGNORECASE)


def _month(word: str) -> int | None:
    """The month number of a month name in any case, ru or uk."""
    w = word.lower()
    for row in load_tsv("months"):
        if re.match(row["stem"], w):
            return int(row["number"])
    return None


def _iso(y: int, m: int, d: int) -> str | None:
    """An ISO date string, or None for an impossible day."""
    import datetime

    try:
        return datetime.date(y, m, d).isoformat()
    except ValueError:
        return None


def find_dates(text: str, year_only: bool = True) -> list[DateMatch]:
    """Every meeting-like date in TEXT, in order; reporting years ('в 2009 году') are skipped."""
    found: list[DateMatch] = []
    taken: list[Span] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s.start or a >= s.stop for s in taken)

    for m in _verbal().finditer(text):
        d1, d2, mon1, d3, mon2, y = m.groups()
        mo1 = _month(mon1)
        if mo1 is None:
            continue
        year = int(y)
        if d3 and mon2:  # "30 мая – 1 июня 2022"
            mo2 = _month(mon2)
            start = _iso(year, mo1, int(d1))
            end = _iso(year, mo2, int(d3)) if mo2 else None
        else:
            start = _iso(year, mo1, int(d1))
            end = _iso(year, mo1, int(d2)) if d2 else None
        taken.append(Span(m.start(), m.end()))
        if start:
            found.append(DateMatch(DateValue(start, end if end and end > start else None), Span(m.start(), m.end())))
    for m in NUMERIC.finditer(text):
        if not free(m.start(), m.end()):
            continue
        start = _iso(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        end = _iso(int(m.group(6)), int(m.group(5)), int(m.group(4))) if m.group(4) else None
        if start:
            found.append(DateMatch(DateValue(start, end if end and end > start else None), Span(m.start(), m.end())))
            taken.append(Span(m.start(), m.end()))
    for m in _month_year().finditer(text):  # "март 2015 г.", "у квітні 2025 р.": the month is known, the day not
        if not free(m.start(), m.end()):
            continue
        mo = _month(m.group(1))
        if mo:
            found.append(DateMatch(DateValue(f"{int(m.group(2)):04d}-{mo:02d}"), Span(m.start(), m.end())))
            taken.append(Span(m.start(), m.end()))
    for m in ISO.finditer(text):
        if not free(m.start(), m.end()):
            continue
        start = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if start:
            found.append(DateMatch(DateValue(start), Span(m.start(), m.end())))
            taken.append(Span(m.start(), m.end()))
    if year_only:
        reporting = [Span(m.start(), m.end()) for m in REPORTING_YEAR.finditer(text)]
        for m in YEAR_ONLY.finditer(text):
            if free(m.start(), m.end()) and all(m.end() <= s.start or m.start() >= s.stop for s in reporting):
                found.append(DateMatch(DateValue(m.group(1)), Span(m.start(), m.end())))
    found.sort(key=lambda d: d.span.start)
    return found
