"""Writes the blind test document b06.docx (a protocol laid out as a secretary types it in Word).

Run: .venv/bin/python tests/blind/make_docx.py
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

OUT = Path(__file__).resolve().parent / "docs" / "b06.docx"

HEADER = [
    ("МИНИСТЕРСТВО КУЛЬТУРЫ И НАЦИОНАЛЬНОЙ ПОЛИТИКИ КУЗБАССА", True),
    ("", False),
    ("ПРОТОКОЛ № 2", True),
    ("заседания Совета по развитию библиотечного дела", True),
    ("в Кемеровской области – Кузбассе", True),
]

BODY = [
    "г. Кемерово\t\t\t\t\t\t«27» ноября 2019 года",
    "",
    "Место проведения: ГУК «Государственная научная библиотека Кузбасса им. В.Д. Федорова», конференц-зал",
    "Председательствовал: П.А. Кузнецов, заместитель министра культуры и национальной политики Кузбасса",
    "Присутствовали: члены Совета – 14 человек; приглашенные – 6 человек",
    "",
    "ПОВЕСТКА ДНЯ:",
    "1. О ходе создания модельных муниципальных библиотек в рамках национального проекта «Культура».",
    "2. Об изменениях в составе Совета.",
    "",
    "По первому вопросу выступили: Нестерова О.Н., Ёлкина С.Ф.",
    "",
    "ПОСТАНОВИЛИ:",
    "1. Информацию о ходе создания модельных библиотек в 2019 году принять к сведению.",
    "2. ГНБК им. В.Д. Федорова оказать методическую помощь МБУК «ЦБС Беловского муниципального района» "
    "и МКУК «Яйская ЦБС» в подготовке заявок на конкурсный отбор 2020 года.",
    "3. Рекомендовать органам местного самоуправления муниципальных образований Кузбасса предусмотреть "
    "в бюджетах на 2020 год средства на софинансирование создания модельных библиотек.",
    "",
    "По второму вопросу ПОСТАНОВИЛИ:",
    "1. Включить в состав Совета по развитию библиотечного дела:",
    "– Ёлкину Светлану Фёдоровну, директора МБУК «ЦБС Беловского муниципального района»;",
    "– Нестерову Ольгу Николаевну, директора ГУК «Специальная библиотека Кузбасса для незрячих и слабовидящих».",
    "2. Исключить из состава Совета Толстую Галину Петровну в связи с выходом на пенсию.",
    "3. Согласиться с выходом из состава Совета Заречного Андрея Викторовича по собственному желанию.",
    "4. Избрать заместителем председателя Совета Лях Ирину Михайловну, директора ГУК «Государственная "
    "библиотека Кузбасса для детей и молодежи».",
    "",
]

SIGNATURES = [
    ("Председатель Совета", "П.А. Кузнецов"),
    ("Секретарь", "Е.В. Дюсембаева"),
]


def build(out: Path = OUT) -> Path:
    """Write the protocol to OUT and return its path."""
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    for text, bold in HEADER:
        par = doc.add_paragraph()
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER
        par.add_run(text).bold = bold
    for text in BODY:
        doc.add_paragraph(text)
    table = doc.add_table(rows=0, cols=2)
    for post, name in SIGNATURES:
        cells = table.add_row().cells
        cells[0].text = post
        cells[1].text = name
        cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    props = doc.core_properties
    props.author = "Дюсембаева Е.В."
    props.title = "Протокол заседания Совета по развитию библиотечного дела"
    props.created = dt.datetime(2019, 11, 28, 9, 0, 0)
    props.modified = dt.datetime(2019, 11, 28, 9, 0, 0)
    props.last_modified_by = "Дюсембаева Е.В."
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out


if __name__ == "__main__":
    print(build())
