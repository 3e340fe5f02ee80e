"""Segmentation: header, preamble, numbered lists (restarting at 1), continuation lines, tail, signature."""
from __future__ import annotations

import pytest

from kg.extract.segment import segment

CASES = [
    # text, expected (list_no, number) pairs, expected item texts start, preamble ends with
    ("Заседание\n\nУчастники постановили:\n1. Первое.\n2. Второе.\n", [(1, "1"), (1, "2")], ["Первое.", "Второе."],
     "постановили:"),
    ("Шапка\n\nРешили:\n1) Одно;\n2) Другое.\n", [(1, "1"), (1, "2")], ["Одно;", "Другое."], "Решили:"),
    ("Шапка\n\n1. А.\n2. Б.\n\nПо итогам приняты решения:\n\n1. В.\n2. Г.\n",
     [(1, "1"), (1, "2"), (2, "1"), (2, "2")], ["А.", "Б.", "В.", "Г."], None),
    ("Шапка\n\nУхвалили:\n1. Зосередити зусилля на:\n\n· першому;\n· другому.\n2. Далі.\n",
     [(1, "1"), (1, "2")], ["Зосередити зусилля на:\n\n· першому;\n· другому.", "Далі."], "Ухвалили:"),
    ("Шапка\n\nПостановили:\n**1.** Жирный номер.\n 2. С пробелом.\n", [(1, "1"), (1, "2")],
     ["Жирный номер.", "С пробелом."], "Постановили:"),
    ("Шапка\n\nПостановили:\n1. Принять в состав:\n- Иванову Анну Ивановну;\n- Петрову Олгу.\n",
     [(1, "1")], ["Принять в состав:\n- Иванову Анну Ивановну;\n- Петрову Олгу."], "Постановили:"),
    ("Шапка\n\nПостановили:\n1. Первое, городов:\n\nБеловского, Топкинского.\n2. Второе.\n",
     [(1, "1"), (1, "2")], ["Первое, городов:\n\nБеловского, Топкинского.", "Второе."], "Постановили:"),
    ("Дата: 04.10.2019\n\nРЕШИЛИ:\n1. Одно.\n2017 год был трудным.\n3. Не пункт списка.\n",
     [(1, "1"), (1, "3")], ["Одно.\n2017 год был трудным.", "Не пункт списка."], "РЕШИЛИ:"),
]


@pytest.mark.parametrize("text,numbers,bodies,preamble", CASES)
def test_segment_table(text, numbers, bodies, preamble):
    seg = segment(text)
    assert [(i.list_no, i.number) for i in seg.items] == numbers
    assert [text[i.body.start:i.body.stop] for i in seg.items] == bodies
    if preamble:
        assert text[seg.preamble.start:seg.preamble.stop].endswith(preamble)


def test_signature_after_last_item():
    text = ("Резолюція\n\nВирішили:\n1. Рекомендувати.\n\nЗа дорученням учасників:\n\n"
            "Начальник управління культури\nі туризму\t\t\tПевна А.В.\n")
    seg = segment(text)
    assert [text[i.body.start:i.body.stop] for i in seg.items] == ["Рекомендувати."]
    sig = text[seg.signature.start:seg.signature.stop]
    assert sig.startswith("Начальник управління") and sig.endswith("Певна А.В.")


def test_no_numbered_list():
    seg = segment("Просто текст без решений.\nИ ещё строка.")
    assert seg.items == ()


PROTOCOL = """ПРОТОКОЛ № 4
заседания методического совета

ПОВЕСТКА ДНЯ:
1. Об итогах конкурса.
2. О составе совета.

1. СЛУШАЛИ: Иванову И.И. – об итогах конкурса.
ПОСТАНОВИЛИ:
1.1. Информацию принять к сведению.
1.2. Отделу подготовить справку.

2. СЛУШАЛИ: Петрову П.П.
ПОСТАНОВИЛИ: Ввести в состав совета Сидорову А.И.

3. СЛУХАЛИ: Коваль О.О.
УХВАЛИЛИ:
1. Затвердити план.
2. Провести нараду.

Председатель\t\t\tИ.И. Иванова
"""


def test_protocol_decisions_are_the_items_under_each_decision_mark():
    seg = segment(PROTOCOL)
    got = [(i.list_no, i.number, PROTOCOL[i.body.start:i.body.stop]) for i in seg.items]
    assert got == [(1, "1.1", "Информацию принять к сведению."), (1, "1.2", "Отделу подготовить справку."),
                   (2, "2", "Ввести в состав совета Сидорову А.И."),
                   (3, "1", "Затвердити план."), (3, "2", "Провести нараду.")]
    assert PROTOCOL[seg.signature.start:seg.signature.stop].endswith("И.И. Иванова")
    assert PROTOCOL[seg.header.start:seg.header.stop].startswith("ПРОТОКОЛ")
