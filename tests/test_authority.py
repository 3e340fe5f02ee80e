"""Authority data: the shipped files load and validate, reconcile the gold variants, keep near misses
apart; the loader rejects broken files with the file and the entry named."""
from __future__ import annotations

import doctest
import json
from pathlib import Path

import pytest
import yaml

from kg import authority
from kg.authority import Authorities, AuthorityError, load_authorities, norm_label
from kg.errors import KGError

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "authorities"
GOLD = ROOT.parent / "shared" / "gold" / "seeds.json"
GOLD_DATA = json.loads(GOLD.read_text(encoding="utf-8")) if GOLD.exists() else {}


@pytest.fixture(scope="module")
def auth() -> Authorities:
    return load_authorities(DATA)


def org_names(auth: Authorities, key: str) -> set[str]:
    org = auth.org(key)
    return {norm_label(n) for n in org.names() + org.variants}


def owners(auth: Authorities, text: str) -> set[str]:
    return {key for key in auth.orgs if norm_label(text) in org_names(auth, key)}


def fem(adj: str) -> str:
    """The feminine nominative of a Russian adjective in -ий ('кемеровский' -> 'кемеровская')."""
    return adj[:-2] + "ая"


def kuzbass_systems(auth: Authorities) -> list:
    return [o for o in auth.orgs.values() if o.kind == "library_system" and o.place
            and auth.oblast_of(o.place).key == "kemerovo_oblast"]


# ---------------------------------------------------------------- normal form

@pytest.mark.parametrize("a, b", [
    ("ЦБС г.Белово", "ЦБС г. Белово"),
    ("ЦБС  г. Белово ", "ЦБС г. Белово"),
    ("ГНБК им.В.Д.Федорова", "ГНБК им. В. Д. Фёдорова"),
    ("Кемеровской области - Кузбасса", "Кемеровской области – Кузбасса"),
    ("Кемеровской области — Кузбасса", "Кемеровской области – Кузбасса"),
    ('КУК "Донецький центр"', "КУК «Донецький центр»"),
    ("Слов'янськ", "Слов’янськ"),
    ("МИБС Г. Кемерово", "мибс г. кемерово"),
])
def test_norm_label_unifies(a: str, b: str) -> None:
    assert norm_label(a) == norm_label(b)


@pytest.mark.parametrize("a, b", [
    ("Анжеро-Судженск", "Анжеро - Судженск"),
    ("ЦБС г. Белово", "ЦБС Беловского района"),
    ("Кемеровская ЦБС", "Кемеровская районная ЦБС"),
    ("ЦБС м. Бахмут", "ЦБС г. Бахмут"),
])
def test_norm_label_keeps_apart(a: str, b: str) -> None:
    assert norm_label(a) != norm_label(b)


def test_module_examples() -> None:
    assert doctest.testmod(authority).failed == 0


# ---------------------------------------------------------------- the shipped files

def test_files_load(auth: Authorities) -> None:
    assert auth.places and auth.orgs and auth.bodies and auth.ambiguous


@pytest.mark.parametrize("key, variants", sorted(GOLD_DATA.get("orgs", {}).items()))
def test_gold_group_maps_to_exactly_its_key(auth: Authorities, key: str, variants: list[str]) -> None:
    for variant in variants:
        assert owners(auth, variant) == {key}, variant


@pytest.mark.parametrize("key, variants", sorted(GOLD_DATA.get("orgs", {}).items()))
def test_gold_first_variant_is_the_label(auth: Authorities, key: str, variants: list[str]) -> None:
    assert auth.org(key).label == variants[0]


@pytest.mark.parametrize("key, forms", sorted(GOLD_DATA.get("bodies", {}).items()))
def test_gold_body_has_its_key_and_nominative(auth: Authorities, key: str, forms: list[str]) -> None:
    body = auth.body(key)
    assert any(forms[0].casefold() in n.casefold() for n in body.names())


def test_at_least_thirty_kuzbass_library_systems(auth: Authorities) -> None:
    assert len(kuzbass_systems(auth)) >= 30


def test_every_kuzbass_municipality_has_one_library_system(auth: Authorities) -> None:
    municipalities = [p for p in auth.places.values() if auth.oblast_of(p.key).key == "kemerovo_oblast"
                      and (p.kind in ("okrug", "municipality") or p.municipality)]
    assert len(municipalities) >= 33  # 16 urban okrugs and 17 former districts, at least
    for place in municipalities:
        systems = [o.key for o in kuzbass_systems(auth) if o.place == place.key]
        assert len(systems) == 1, (place.key, systems)


def test_reformed_districts_keep_their_former_names(auth: Authorities) -> None:
    okrugs = [p for p in auth.places.values() if p.kind == "okrug"]
    assert len(okrugs) >= 17
    for okrug in okrugs:
        assert okrug.ru.endswith("муниципальный округ")
        former = [h for h in okrug.history if h.kind == "district"]
        assert former and former[0].label.endswith("муниципальный район")
        assert former[0].until in (None, okrug.since)


@pytest.mark.parametrize("name", ["Краматорськ", "Слов’янськ", "Бахмут", "Маріуполь", "Покровськ",
                                  "Костянтинівка", "Дружківка", "Торецьк", "Лиман", "Добропілля",
                                  "Волноваха", "Вугледар", "Селидове", "Мирноград", "Авдіївка", "Донецьк"])
def test_donetsk_cities_are_ukrainian_first(auth: Authorities, name: str) -> None:
    (place,) = [p for p in auth.places.values() if p.uk == name and p.kind == "city"]
    assert place.lang == "uk" and place.label == name and place.ru
    assert place.adj_uk.endswith("ький") and auth.oblast_of(place.key).key == "donetsk_oblast"


def test_shared_adjectives_are_ambiguous_not_aliases(auth: Authorities) -> None:
    by_adj: dict[str, set[str]] = {}
    for org in kuzbass_systems(auth):
        by_adj.setdefault(auth.place(org.place).adj_ru, set()).add(org.key)
    forms = {norm_label(a.form): set(a.candidates) for a in auth.ambiguous}
    shared = {adj: keys for adj, keys in by_adj.items() if len(keys) > 1}
    assert len(shared) >= 6
    for adj, keys in by_adj.items():
        bare = norm_label(f"{fem(adj)} ЦБС")
        if adj in shared:
            assert forms.get(bare) == keys, adj
            assert not owners(auth, bare), adj
        else:
            assert owners(auth, bare) == keys, adj


def test_typos_are_variants_not_names(auth: Authorities) -> None:
    museum = auth.org("lib_museum")
    assert any("Лащевской" in v for v in museum.variants)
    assert not any("Лащевской" in n for n in museum.names())
    assert museum.parent == "gnbk"


def test_renamed_regional_library_is_dated(auth: Authorities) -> None:
    gnbk = auth.org("gnbk")
    old = [h for h in gnbk.historic if h.label.startswith("Кемеровская областная научная библиотека")]
    assert old and all(h.until == 2020 and h.lang == "ru" for h in old)


NEAR_MISSES = [
    ("orgs", "kem_city", "kem_rayon"), ("orgs", "nvkz_city", "nvkz_okrug"),
    ("orgs", "prokop_city", "prokop_okrug"), ("orgs", "belovo_city", "belovo_okrug"),
    ("orgs", "lk_city", "lk_okrug"), ("orgs", "yurga_city", "yurga_okrug"),
    ("orgs", "gnbk", "gbkdm"), ("orgs", "gnbk", "spec"), ("orgs", "gbkdm", "spec"),
    ("orgs", "gnbk", "lib_museum"), ("orgs", "mezhd", "mezhd_cgb"), ("orgs", "mezhd", "mezhd_culture"),
    ("orgs", "kuzbass_culture", "mezhd_culture"), ("orgs", "kuzbass_culture", "dn_culture"),
    ("orgs", "kramat_cbs", "kramat_cmpb"), ("orgs", "dn_ounb", "dn_center"),
    ("orgs", "krasnobrod", "prokop_okrug"), ("orgs", "polys", "lk_city"), ("orgs", "topki", "kem_rayon"),
    ("orgs", "bakhmut_cbs", "kramat_cbs"), ("orgs", "prokop_city", "mlechny_put"),
    ("places", "kemerovo_city", "kemerovsky_okrug"), ("places", "kemerovo_city", "kemerovo_oblast"),
    ("places", "novokuznetsk_city", "novokuznetsky_okrug"),
    ("places", "prokopyevsk_city", "prokopyevsky_okrug"), ("places", "belovo_city", "belovsky_okrug"),
    ("places", "leninsk_kuznetsky_city", "leninsk_kuznetsky_okrug"),
    ("places", "yurga_city", "yurginsky_okrug"), ("places", "topki_city", "topkinsky_okrug"),
    ("places", "tashtagol_city", "tashtagolsky_okrug"), ("places", "kramatorsk_city", "kramatorsk_raion"),
    ("places", "bakhmut_city", "bakhmut_raion"), ("places", "pokrovsk_city", "pokrovsk_raion"),
    ("places", "donetsk_city", "donetsk_oblast"), ("places", "donetsk_city", "donetsk_raion"),
    ("places", "lyman_city", "lyman_raion"),
    ("bodies", "council", "club"), ("bodies", "council", "rada"), ("bodies", "rada", "metodrada"),
    ("bodies", "roundtable_dn", "roundtable_kem"),
]


@pytest.mark.parametrize("table, a, b", NEAR_MISSES)
def test_near_misses_stay_apart(auth: Authorities, table: str, a: str, b: str) -> None:
    entries = getattr(auth, table)
    assert a != b and a in entries and b in entries

    def names(key: str) -> set[str]:
        entry = entries[key]
        return {norm_label(n) for n in entry.names() + getattr(entry, "variants", ())}

    assert not names(a) & names(b)


def test_enough_near_misses() -> None:
    assert len(NEAR_MISSES) >= 30


# ---------------------------------------------------------------- the loader on small files

def minimal() -> dict[str, dict]:
    return {
        "places": {"places": [
            {"key": "obl", "kind": "oblast", "ru": "Кемеровская область"},
            {"key": "kem", "kind": "city", "ru": "Кемерово", "adj_ru": "кемеровский", "part_of": "obl"},
            {"key": "kem_okrug", "kind": "okrug", "ru": "Кемеровский муниципальный округ", "part_of": "obl",
             "since": 2019, "history": [{"label": "Кемеровский муниципальный район", "kind": "district",
                                         "until": 2019}]},
        ]},
        "organizations": {
            "organizations": [
                {"key": "a", "kind": "library_system", "lang": "ru", "label": "ЦБС г. Кемерово",
                 "aliases": ["МИБС г. Кемерово"], "place": "kem",
                 "historic": [{"label": "ЦБС города Кемерово", "until": 2000}]},
                {"key": "b", "kind": "library_system", "lang": "ru", "label": "ЦБС Кемеровского района",
                 "place": "kem_okrug", "variants": ["ЦБС Кемеровскаго района"]},
                {"key": "c", "kind": "library", "lang": "ru", "label": "Центральная библиотека",
                 "parent": "a"},
            ],
            "ambiguous": [{"form": "Кемеровская ЦБС", "candidates": ["a", "b"]}],
        },
        "bodies": {"bodies": [{"key": "council", "kind": "council", "lang": "ru", "label": "Совет директоров",
                               "place": "obl"}]},
    }


def write(folder: Path, files: dict[str, dict]) -> Path:
    for name, data in files.items():
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


def test_minimal_files_load(tmp_path: Path) -> None:
    auth = load_authorities(write(tmp_path, minimal()))
    assert auth.org("c").parent == "a"
    assert auth.org("a").historic[0].lang == "ru" and auth.org("a").historic[0].until == 2000
    assert auth.place("kem_okrug").history[0].kind == "district"
    assert auth.oblast_of("kem").key == "obl"
    assert auth.org_place("c").key == "kem" and auth.org_place("b").key == "kem_okrug"
    assert auth.ambiguous[0].candidates == ("a", "b")
    with pytest.raises(KeyError):
        auth.org("nope")


def _orgs(d: dict) -> list:
    return d["organizations"]["organizations"]


def _hist(d: dict) -> dict:
    return _orgs(d)[0]["historic"][0]


O_A, O_C, HIST = "organizations.yaml: a:", "organizations.yaml: c:", "organizations.yaml: a: historic"


BROKEN = [
    ("duplicate key", lambda d: _orgs(d).append(dict(_orgs(d)[0], label="X")), O_A, "twice"),
    ("unknown place", lambda d: _orgs(d)[0].update(place="nowhere"), O_A, "nowhere"),
    ("unknown parent", lambda d: _orgs(d)[2].update(parent="zzz"), "organizations.yaml: c:", "zzz"),
    ("own parent", lambda d: _orgs(d)[2].update(parent="c"), "organizations.yaml: c:", "parent"),
    ("parent loop", lambda d: _orgs(d)[0].update(parent="c"), "organizations.yaml:", "loops"),
    ("alias shared", lambda d: _orgs(d)[1].update(aliases=["МИБС г.Кемерово"]), "organizations.yaml: b:",
     "also a name of 'a'"),
    ("variant shared", lambda d: _orgs(d)[2].update(variants=["ЦБС Кемеровского  района"]),
     "organizations.yaml: c:", "also a name of 'b'"),
    ("alias repeated", lambda d: _orgs(d)[0]["aliases"].append("ЦБС г.Кемерово"), "organizations.yaml: a:",
     "listed twice"),
    ("alias ambiguous", lambda d: _orgs(d)[0]["aliases"].append("Кемеровская  ЦБС"),
     "organizations.yaml: Кемеровская ЦБС:", "name of 'a'"),
    ("ambiguous unknown", lambda d: d["organizations"]["ambiguous"][0].update(candidates=["a", "x"]),
     "organizations.yaml: Кемеровская ЦБС:", "candidate"),
    ("ambiguous single", lambda d: d["organizations"]["ambiguous"][0].update(candidates=["a"]),
     "organizations.yaml: Кемеровская ЦБС:", "candidate"),
    ("unknown field", lambda d: _orgs(d)[0].update(alias=["x"]), "organizations.yaml: a:", "alias"),
    ("bad kind", lambda d: _orgs(d)[0].update(kind="libary"), "organizations.yaml: a:", "libary"),
    ("bad lang", lambda d: _orgs(d)[0].update(lang="be"), "organizations.yaml: a:", "'lang'"),
    ("bad wikidata", lambda d: _orgs(d)[0].update(wikidata="Kemerovo"), "organizations.yaml: a:", "wikidata"),
    ("bad key", lambda d: _orgs(d)[0].update(key="Kem-City"), "organizations.yaml: Kem-City:", "key"),
    ("no label", lambda d: _orgs(d)[0].pop("label"), "organizations.yaml: a:", "'label' is required"),
    ("aliases not a list", lambda d: _orgs(d)[0].update(aliases="МИБС"), "organizations.yaml: a:", "list"),
    ("year as text", lambda d: _hist(d).update(until="2000"), HIST, "'until'"),
    ("historic typo", lambda d: _hist(d).update(untill=2000), HIST, "untill"),
    ("historic lang", lambda d: _hist(d).update(lang="en"), HIST, "'lang'"),
    ("bad part_of", lambda d: d["places"]["places"][1].update(part_of="x"), "places.yaml: kem:", "part_of"),
    ("part_of loop", lambda d: d["places"]["places"][0].update(part_of="kem"), "places.yaml: obl:", "loops"),
    ("place name shared", lambda d: d["places"]["places"][2].update(aliases=["кемерово"]),
     "places.yaml: kem_okrug:", "also a name of 'kem'"),
    ("no primary name", lambda d: d["places"]["places"][1].update(lang="uk"), "places.yaml: kem:", "'uk'"),
    ("bad place kind", lambda d: d["places"]["places"][1].update(kind="town"), "places.yaml: kem:", "town"),
    ("body place", lambda d: d["bodies"]["bodies"][0].update(place="x"), "bodies.yaml: council:", "place"),
    ("body kind", lambda d: d["bodies"]["bodies"][0].update(kind="committee"), "bodies.yaml: council:",
     "committee"),
    ("generic not bool", lambda d: d["bodies"]["bodies"][0].update(generic="yes"), "bodies.yaml: council:",
     "generic"),
    ("section not a list", lambda d: d["bodies"].update(bodies={"key": "x"}), "bodies.yaml:", "list"),
    ("entry not a mapping", lambda d: d["bodies"]["bodies"].append("Совет"), "bodies.yaml: entry 2:",
     "mapping"),
]


@pytest.mark.parametrize("case, breaks, where, why", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_files_are_rejected(tmp_path: Path, case: str, breaks, where: str, why: str) -> None:
    files = minimal()
    breaks(files)
    with pytest.raises(AuthorityError) as err:
        load_authorities(write(tmp_path, files))
    assert isinstance(err.value, KGError)
    assert str(err.value).startswith(where), str(err.value)
    assert why in str(err.value), str(err.value)


def test_missing_file_is_named(tmp_path: Path) -> None:
    write(tmp_path, minimal())
    (tmp_path / "bodies.yaml").unlink()
    with pytest.raises(AuthorityError, match=r"^bodies\.yaml: cannot be read"):
        load_authorities(tmp_path)


@pytest.mark.parametrize("text, why", [
    ("places: [\n", "not valid YAML"),
    ("places:\n- key: kem\n  kind: city\n  ru: Кемерово\n  ru: Кемерова\n", "given twice"),
])
def test_unreadable_yaml_is_named(tmp_path: Path, text: str, why: str) -> None:
    write(tmp_path, minimal())
    (tmp_path / "places.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(AuthorityError, match=r"^places\.yaml: ") as err:
        load_authorities(tmp_path)
    assert why in str(err.value)
