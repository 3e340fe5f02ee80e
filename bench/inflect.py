"""Case forms for the generator: organisation names (the adjectives and head noun that open them) and people's
names (full, or surname with initials).

>>> org_case("Тисульская ЦБС", "gen", "ru")
'Тисульской ЦБС'
>>> org_case("Донецька обласна універсальна наукова бібліотека ім. Н.К. Крупської", "dat", "uk")
'Донецькій обласній універсальній науковій бібліотеці ім. Н.К. Крупської'
>>> org_case("Юргинский библиотечно-музейный комплекс", "gen", "ru")
'Юргинского библиотечно-музейного комплекса'
"""
from __future__ import annotations

import re

# Words that stay as they are in every case and close the inflected part (abbreviated heads).
INVARIANT_HEADS = {"ЦБС", "МИБС", "ОУНБ", "ГНБК", "ОНБ", "ДОУНБ", "ЦМПБ"}
# Head nouns: case forms, and whether an inflected name may open with an adjective before them.
NOUNS = {
    "ru": {"библиотека": ("библиотеки", "библиотеке", "библиотеку"),
           "система": ("системы", "системе", "систему"),
           "комплекс": ("комплекса", "комплексу", "комплекс")},
    "uk": {"бібліотека": ("бібліотеки", "бібліотеці", "бібліотеку"),
           "система": ("системи", "системі", "систему")},
}
CASES = ("gen", "dat", "acc")
RU_ADJ = (("ская", ("ской", "ской", "скую")), ("цкая", ("цкой", "цкой", "цкую")), ("ая", ("ой", "ой", "ую")),
          ("ский", ("ского", "скому", "ский")), ("ный", ("ного", "ному", "ный")), ("ий", ("его", "ему", "ий")),
          ("ый", ("ого", "ому", "ый")))
UK_ADJ = (("а", ("ої", "ій", "у")),)


def _adjective(word: str, case: str, lang: str) -> str | None:
    """WORD (a nominative adjective) in CASE, or None when it is not one."""
    low = word.lower()
    if lang == "uk" and low.endswith(("ська", "цька", "на", "ова", "ька")):
        return word[:-1] + dict(zip(CASES, UK_ADJ[0][1]))[case]
    if lang == "ru":
        for end, forms in RU_ADJ:
            if low.endswith(end) and len(low) > len(end) + 2:
                if end == "ий" and not low.endswith(("кий", "гий", "хий")):
                    return None  # soft adjectives (-ний) are not used
                if end == "ий":
                    forms = ("ого", "ому", "ий")
                return word[:-len(end)] + dict(zip(CASES, forms))[case]
    return None


def org_case(name: str, case: str, lang: str) -> str | None:
    """NAME (nominative) in CASE ('nom', 'gen', 'dat', 'acc'), or None if its opening words are not ones this
    module can inflect."""
    if case == "nom":
        return name
    words = name.split(" ")
    out = []
    for i, w in enumerate(words):
        if w in INVARIANT_HEADS:
            return " ".join(out + words[i:])
        noun = NOUNS[lang].get(w.lower())
        if noun:
            form = noun[CASES.index(case)]
            form = form[:1].upper() + form[1:] if w[:1].isupper() else form
            return " ".join(out + [form] + words[i + 1:])
        head, dash, tail = w.rpartition("-")
        adj = _adjective(tail, case, lang)
        if adj is None:
            return None
        out.append(head + dash + adj)
    return None


def usable_form(name: str) -> bool:
    """Whether a name of an organisation is fit for running text: no legal-form prefix, no quotes."""
    return not re.search(r"[«»\"]|^(МАУК|МБУК|МБУ|МКУ|ГАУК|ГБУК|КУК|Комунальна)\b", name)


def initials(first: str, patr: str) -> str:
    """'Н.В.' from first name and patronymic."""
    return f"{first[:1]}.{patr[:1]}." if patr else f"{first[:1]}."


def patronymic_case(patr: str, case: str, lang: str) -> str:
    """A patronymic in CASE: -ич → -ича/-ичу, -на → -ну/-не (ru) or -ні (uk)."""
    if case == "nom" or not patr:
        return patr
    if patr.endswith("ич"):
        return patr + ("а" if case == "acc" else "у")
    if case == "acc":
        return patr[:-1] + "у"
    return patr[:-1] + ("і" if lang == "uk" else "е")


def fits_language(name: str, lang: str) -> bool:
    """Whether NAME is written in LANG: no letters or town marks of the other language."""
    if lang == "uk":
        return not re.search(r"[ыэъё]|\bг\.", name, re.IGNORECASE)
    return not re.search(r"[іїєґ’]|\bм\.", name, re.IGNORECASE)
