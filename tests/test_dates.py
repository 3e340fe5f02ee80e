"""Meeting dates: full, ranges, numeric, Ukrainian, year only; reporting years are never dates."""
from __future__ import annotations

import pytest

from kg.extract.dates import find_dates

CASES = [
    ("23 июня 2021 г.", [("2021-06-23", None)]),
    ("8-9 июня 2022 г.", [("2022-06-08", "2022-06-09")]),
    ("8 – 9 июня 2022 года", [("2022-06-08", "2022-06-09")]),
    ("30 мая – 1 июня 2022 г.", [("2022-05-30", "2022-06-01")]),
    ("04.10.2019", [("2019-10-04", None)]),
    ("4.10.2019 – 5.10.2019", [("2019-10-04", "2019-10-05")]),
    ("02 червня 2017 року", [("2017-06-02", None)]),
    ("15 березня 2018 р.", [("2018-03-15", None)]),
    ("1 вересня 2020", [("2020-09-01", None)]),
    ("Кузбасса, 2023 г.", [("2023", None)]),
    ("2019 рік", [("2019", None)]),
    ("итоги работы в 2009 году", []),
    ("за 2020 год", []),
    ("у 2019 році", []),
    ("31 февраля 2020 г.", []),
    ("12 декабря 2019 г. и 2020 г.", [("2019-12-12", None), ("2020", None)]),
    ("3 мая 2018 г.", [("2018-05-03", None)]),
    ("17 листопада 2016 року", [("2016-11-17", None)]),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_dates(text, expected):
    assert [(d.value.start, d.value.end) for d in find_dates(text)] == expected


def test_spans_cover_the_date():
    text = "Дата проведения: 23 июня 2021 г., г. Юрга"
    (d,) = find_dates(text)
    assert text[d.span.start:d.span.stop].startswith("23 июня 2021")
