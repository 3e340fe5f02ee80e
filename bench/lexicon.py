"""The generator's word lists: names, surnames, posts and wording (bench/data), and the organisations and places
of the authority files (data/authorities), read once into one Lexicon."""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
AUTHORITIES = HERE.parent / "data" / "authorities"


@dataclass(frozen=True)
class FirstName:
    """A first name in three cases; a male name also gives the patronymics made from it."""

    lang: str
    gender: str
    nom: str
    acc: str
    dat: str
    patr_m: str = ""
    patr_f: str = ""


@dataclass(frozen=True)
class Surname:
    """A surname in three cases for both genders: forms[gender][case]."""

    lang: str
    forms: dict


@dataclass(frozen=True)
class Post:
    """A job title in three cases for both genders, with its group (head, method, staff)."""

    lang: str
    group: str
    forms: dict


@dataclass(frozen=True)
class Org:
    """An authority organisation: key, kind, language, place, and the names it may be written with."""

    key: str
    kind: str
    lang: str
    label: str
    names: tuple[str, ...]
    historic: tuple[tuple[str, int | None], ...]
    place: str | None


@dataclass(frozen=True)
class Place:
    """An authority place: its kind and its Russian and Ukrainian names."""

    key: str
    kind: str
    ru: str | None
    uk: str | None


@dataclass
class Lexicon:
    """Everything the generator draws words from."""

    first: list[FirstName] = field(default_factory=list)
    surnames: list[Surname] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    text: dict[str, dict] = field(default_factory=dict)
    orgs: dict[str, Org] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)

    def firsts(self, lang: str, gender: str) -> list[FirstName]:
        """First names of one language and gender."""
        return [f for f in self.first if f.lang == lang and f.gender == gender]

    def posts_of(self, lang: str, group: str) -> list[Post]:
        """Posts of one language and group (a post listed twice is drawn twice as often)."""
        return [p for p in self.posts if p.lang == lang and p.group == group]

    def city_of(self, org: Org, lang: str) -> str | None:
        """The town an organisation is in, when its place is a town."""
        p = self.places.get(org.place or "")
        if p is None or p.kind != "city":
            return None
        return (p.uk if lang == "uk" else p.ru) or p.ru


def _tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a TSV file whose header follows its '#' comment lines."""
    with path.open(encoding="utf-8") as fh:
        lines = [ln for ln in fh if not ln.startswith("#") and ln.strip()]
    return list(csv.DictReader(lines, delimiter="\t"))


def _forms(row: dict[str, str]) -> dict:
    """{'m': {'nom','acc','dat'}, 'f': {...}} from m_/f_ columns."""
    return {g: {c: row[f"{g}_{c}"] for c in ("nom", "acc", "dat")} for g in ("m", "f")}


def load_lexicon(data: Path = DATA, authorities: Path = AUTHORITIES) -> Lexicon:
    """Read the generator's data files and the authority files."""
    lex = Lexicon()
    lex.first = [FirstName(r["lang"], r["gender"], r["nom"], r["acc"], r["dat"], r.get("patr_m") or "",
                           r.get("patr_f") or "") for r in _tsv(data / "first_names.tsv")]
    lex.surnames = [Surname(r["lang"], _forms(r)) for r in _tsv(data / "surnames.tsv")]
    lex.posts = [Post(r["lang"], r["group"], _forms(r)) for r in _tsv(data / "posts.tsv")]
    for lang in ("ru", "uk"):
        lex.text[lang] = yaml.safe_load((data / f"text_{lang}.yaml").read_text(encoding="utf-8"))
    orgs = yaml.safe_load((authorities / "organizations.yaml").read_text(encoding="utf-8"))
    for o in orgs["organizations"]:
        hist = tuple((h["label"], h.get("until")) for h in o.get("historic") or [])
        lex.orgs[o["key"]] = Org(o["key"], o["kind"], o["lang"], o["label"],
                                 (o["label"], *(o.get("aliases") or [])), hist, o.get("place"))
    places = yaml.safe_load((authorities / "places.yaml").read_text(encoding="utf-8"))
    for p in places["places"]:
        lex.places[p["key"]] = Place(p["key"], p["kind"], p.get("ru"), p.get("uk"))
    return lex
