"""Reconciliation: exact and alias matches on lemma keys, a guarded fuzzy step, and near misses that never merge."""
from __future__ import annotations

import pytest

from kg.reconcile import clean_label, lemma_key
from kg.resources import org_index


@pytest.fixture(scope="module")
def index(resources):
    """The organisation index WITHOUT the attested misspellings, so that the fuzzy step is what is tested."""
    return org_index(resources.auth, resources.morph, misspellings=False)


MATCHES = [
    ("Крапивинская библиотечная система", "ru", "krapiv", "exact"),
    ("Крапивинской библиотечной системы", "ru", "krapiv", "exact"),
    ("ЦБС г. Белово", "ru", "belovo_city", None),
    ("ЦБС г.Белово", "ru", "belovo_city", None),
    ("МИБС г.Новокузнецка", "ru", "nvkz_city", None),
    ("ЦБС Прокопьевского района", "ru", "prokop_okrug", "alias"),
    ("ОНБ им. В.Д.Федорова", "ru", "gnbk", "alias"),
    ("Областная научная библиотека им. В.Д. Федорова", "ru", "gnbk", "alias"),
    ("Полысаевская централизованная библиотечная система", "ru", "polys", None),
    # typos caught by the fuzzy step
    ("Польсаевская ЦБС", "ru", "polys", "fuzzy"),
    ("Промышленнская ЦБС", "ru", "prom", "fuzzy"),
    ("Музей библиотек и библиотечного дела Кемеровской области им. В.М. Лащевской", "ru", "lib_museum", "fuzzy"),
    ("Крапивенская библиотечная система", "ru", "krapiv", "fuzzy"),
    ("Центральна міська публічна бібліотека Краматорської міської ради", "uk", "kramat_cmpb", "exact"),
]


@pytest.mark.parametrize("name,lang,key,method", MATCHES)
def test_matches(index, name, lang, key, method):
    m = index.match(name, lang)
    assert m.key == key
    if method:
        assert m.method == method


NEAR_MISSES = [
    ("ЦБС г. Кемерово", "ЦБС Кемеровского муниципального округа"),
    ("ЦБС г. Кемерово", "ЦБС Кемеровского района"),
    ("ЦБС г. Новокузнецк", "ЦБС Новокузнецкого муниципального округа"),
    ("ЦБС г. Новокузнецк", "ЦБС Новокузнецкого района"),
    ("ЦБС г. Прокопьевск", "ЦБС Прокопьевского муниципального округа"),
    ("ЦБС г. Белово", "ЦБС Беловского муниципального округа"),
    ("ЦБС г. Белово", "ЦБС Беловского района"),
    ("ЦБС г. Юрга", "ЦБС Юргинского муниципального округа"),
    ("ЦБС г. Ленинск-Кузнецкий", "ЦБС Ленинск-Кузнецкого муниципального округа"),
    ("Государственная научная библиотека Кузбасса им. В.Д. Федорова",
     "Государственная библиотека Кузбасса для детей и молодежи"),
    ("Государственная библиотека Кузбасса для детей и молодежи",
     "Специальная библиотека Кузбасса для незрячих и слабовидящих"),
    ("Тяжинская ЦБС", "Тисульская ЦБС"),
    ("Ижморская ЦБС", "Ижморский район"),
    ("Мысковская ЦБС", "Междуреченская ЦБС"),
    ("Топкинская ЦБС", "Тайгинская ЦБС"),
    ("Гурьевская ЦБС", "Юргинская ЦБС"),
    ("Мариинская ЦБС", "Марьинская ЦБС"),
    ("ЦБС г. Киселевск", "ЦБС г. Калтан"),
    ("ЦБС г. Осинники", "ЦБС г. Калтан"),
    ("Анжеро-Судженская ЦБС", "Яйская ЦБС"),
    ("Тайгинская ЦБС", "Тяжинская ЦБС"),
    ("Яйская ЦБС", "Яшкинская ЦБС"),
    ("ЦБС г. Березовский", "ЦБС г. Белово"),
    ("ЦБС г. Мыски", "ЦБС г. Междуреченск"),
    ("ЦБС г. Полысаево", "ЦБС г. Прокопьевск"),
    ("ЦБС м. Дружківка", "ЦБС м. Костянтинівка"),
    ("ЦБС м. Краматорськ", "Центральна міська публічна бібліотека Краматорської міської ради"),
    ("Донецька обласна універсальна наукова бібліотека ім. Н.К. Крупської",
     "Донецький обласний учбово-методичний центр культури"),
    ("ЦБС м. Слов'янськ", "ЦБС м. Святогірськ"),
    ("ЦБС м. Бахмут", "ЦБС м. Мирноград"),
    ("Государственная научная библиотека Кузбасса им. В.Д. Федорова",
     "Специальная библиотека Кузбасса для незрячих и слабовидящих"),
    ("Тисульская ЦБС", "Тисульский район"),
]


@pytest.mark.parametrize("a,b", NEAR_MISSES)
def test_near_misses_never_merge(index, a, b):
    lang = "uk" if any(c in a + b for c in "іїєґ'") else "ru"
    ma, mb = index.match(a, lang), index.match(b, lang)
    assert ma.key is None or ma.key != mb.key, (ma, mb)


AMBIGUOUS = ["Кемеровская ЦБС", "Новокузнецкая ЦБС", "Прокопьевская ЦБС", "Беловская ЦБС"]


@pytest.mark.parametrize("name", AMBIGUOUS)
def test_ambiguous_forms_are_not_reconciled(resources, name):
    assert resources.orgs.match(name, "ru").key is None


@pytest.mark.parametrize("raw,clean", [
    ("ЦБС г.Белово", "ЦБС г. Белово"),
    ("ОНБ им.В.Д.Федорова", "ОНБ им. В.Д. Федорова"),
    ("**Ижморская   ЦБС**", "Ижморская ЦБС"),
])
def test_clean_label(raw, clean):
    assert clean_label(raw) == clean


def test_lemma_key_ignores_case_and_inflection(morph):
    assert lemma_key("Крапивинской библиотечной системы", "ru", morph) == \
        lemma_key("КРАПИВИНСКАЯ библиотечная система", "ru", morph)
    assert lemma_key("централизованная библиотечная система", "ru", morph) == "цбс"
