"""Authority data: canonical places, organisations and bodies from data/authorities/*.yaml, checked."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from kg.errors import KGError

PLACE_KINDS = frozenset({"city", "district", "okrug", "oblast", "municipality"})
ORG_KINDS = frozenset({"library_system", "library", "museum", "authority", "organization"})
BODY_KINDS = frozenset({"council", "club", "roundtable", "methodical_council", "conference", "other"})
LANGS = frozenset({"ru", "uk"})

_PATTERNS = {"key": re.compile(r"[a-z][a-z0-9_]*\Z"), "wikidata": re.compile(r"Q[1-9][0-9]*\Z")}
_ABBR_DOT = re.compile(r"(?<!\w)(г|м|им|ім|с|пгт|смт)\.\s*(?=\w)", re.IGNORECASE)
_INITIALS = re.compile(r"(?<!\w)([А-ЯЁІЇЄҐA-Z])\.\s+(?=[А-ЯЁІЇЄҐA-Z]\.)")
_INITIAL_SURNAME = re.compile(r"(?<!\w)([А-ЯЁІЇЄҐA-Z]\.)(?=[А-ЯЁІЇЄҐA-Z][а-яёіїєґa-z])")
_SPACED_DASH = re.compile(r"\s+[-‐‑‒–—―]+\s+")
_CHARS = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "’": "'", "ʼ": "'", "`": "'",
                        "ё": "е", "Ё": "Е", "\u00a0": " "})


def norm_label(text: str) -> str:
    """Normal form for comparing names: quotes, dashes, spaces, 'г.X', initials, ё, case.

    >>> norm_label("ЦБС  г.Белово") == norm_label("ЦБС г. Белово")
    True
    >>> norm_label("ОНБ им.В. Д.Фёдорова")
    'онб им. в.д. федорова'
    """
    s = text.translate(_CHARS)
    s = _ABBR_DOT.sub(lambda m: m.group(1) + ". ", s)
    s = _SPACED_DASH.sub(" – ", _INITIAL_SURNAME.sub(r"\1 ", _INITIALS.sub(r"\1.", s)))
    return " ".join(s.split()).casefold()


class AuthorityError(KGError):
    """An authority file is missing or wrong; the message names the file and the entry."""

    def __init__(self, path: Path | str, entry: str | None, reason: str):
        super().__init__(f"{Path(path).name}: {entry}: {reason}" if entry else f"{Path(path).name}: {reason}")
        self.path, self.entry, self.reason = str(path), entry, reason


@dataclass(frozen=True)
class Historic:
    """A dated or former name: in use until the year `until` or from `since` (YAML `from`), if known."""

    label: str
    lang: str = ""  # defaults to the language of the entry it belongs to
    until: int | None = None
    since: int | None = None
    kind: str | None = None


@dataclass(frozen=True)
class Place:
    """A city, district, okrug, oblast or other municipality, with the name forms that matchers need."""

    key: str
    kind: str
    lang: str = "ru"
    ru: str | None = None
    uk: str | None = None
    adj_ru: str | None = None
    adj_uk: str | None = None
    gen_ru: str | None = None  # the form written after "г."/"м." where it is not the nominative
    gen_uk: str | None = None
    municipality: str | None = None
    part_of: str | None = None
    since: int | None = None
    until: int | None = None
    aliases: tuple[str, ...] = ()
    history: tuple[Historic, ...] = ()
    wikidata: str | None = None
    note: str | None = None

    @property
    def label(self) -> str:
        """The name in the place's primary language."""
        return getattr(self, self.lang)

    def names(self) -> tuple[str, ...]:
        """Every name: the nominatives, the municipality's name, the aliases and the former names."""
        own = tuple(n for n in (self.ru, self.uk if self.uk != self.ru else None, self.municipality) if n)
        return own + self.aliases + tuple(h.label for h in self.history)


@dataclass(frozen=True)
class _Named:
    """What organisations and bodies share: a canonical label, aliases, former names, a place."""

    key: str
    kind: str
    lang: str
    label: str
    aliases: tuple[str, ...] = ()
    historic: tuple[Historic, ...] = ()
    place: str | None = None
    note: str | None = None

    def names(self) -> tuple[str, ...]:
        """The label, the aliases and the former names (an organisation's misspelt variants excluded)."""
        return (self.label, *self.aliases, *(h.label for h in self.historic))


@dataclass(frozen=True)
class Org(_Named):
    """A canonical organisation: a library system, library, museum, authority or other organisation."""

    variants: tuple[str, ...] = ()  # misspellings attested in documents: matched, never displayed
    parent: str | None = None
    wikidata: str | None = None


@dataclass(frozen=True)
class Body(_Named):
    """A council, club, round table or other body whose meetings pass resolutions."""

    generic: bool = False  # a kind of body named without its owner ("Методична рада")


@dataclass(frozen=True)
class Ambiguity:
    """A name form that fits several organisations, so it is never reconciled on its own."""

    form: str
    candidates: tuple[str, ...]


@dataclass(frozen=True)
class Authorities:
    """The checked authority data, with lookups by key."""

    places: Mapping[str, Place]
    orgs: Mapping[str, Org]
    bodies: Mapping[str, Body]
    ambiguous: tuple[Ambiguity, ...] = ()

    def place(self, key: str) -> Place:
        """The place with this key (KeyError when there is none)."""
        return self.places[key]

    def org(self, key: str) -> Org:
        """The organisation with this key (KeyError when there is none)."""
        return self.orgs[key]

    def body(self, key: str) -> Body:
        """The body with this key (KeyError when there is none)."""
        return self.bodies[key]

    def org_place(self, key: str) -> Place | None:
        """Where an organisation is: its own place, else its nearest parent's."""
        org: Org | None = self.org(key)
        while org is not None and org.place is None:
            org = self.orgs.get(org.parent) if org.parent else None
        return self.places[org.place] if org is not None and org.place else None

    def oblast_of(self, key: str) -> Place | None:
        """The oblast a place lies in (the place itself when it is an oblast)."""
        place: Place | None = self.place(key)
        while place is not None and place.kind != "oblast":
            place = self.places.get(place.part_of) if place.part_of else None
        return place


class _Loader(yaml.SafeLoader):
    """A YAML loader that refuses a mapping with the same field twice."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        """Build the mapping, failing on a repeated field."""
        if len({k.value for k, _ in node.value}) < len(node.value):
            raise yaml.MarkedYAMLError(problem="a field is given twice", problem_mark=node.start_mark)
        return super().construct_mapping(node, deep=deep)


_TYPES = {"str": str, "str | None": str, "int | None": int, "bool": bool, "tuple[str, ...]": list,
          "tuple[Historic, ...]": Historic}


class _Entry:
    """One mapping of a list in an authority file, read field by field; unread fields are errors."""

    def __init__(self, path: Path, raw: Any, name: str, kinds: frozenset[str] | None, lang: str = ""):
        self.path, self.raw, self.name, self.kinds, self.lang, self.read = path, raw, name, kinds, lang, set()
        if not isinstance(raw, dict):
            self.fail("is not a mapping")

    def fail(self, reason: str) -> None:
        """Stop with an error naming the file and this entry."""
        raise AuthorityError(self.path, self.name, reason)

    def build(self, cls: type) -> Any:
        """Read every field of the dataclass `cls`, checked by the field's type; fail on unknown fields."""
        values: dict[str, Any] = {}
        for f in fields(cls):  # a former name is in its entry's language unless it says otherwise
            field = "from" if cls is Historic and f.name == "since" else f.name
            default = self.lang if cls is Historic and f.name == "lang" else f.default
            values[f.name] = self.get(field, _TYPES[f.type], default, values.get("lang", ""))
        if set(self.raw) - self.read:
            self.fail(f"unknown field(s): {', '.join(sorted(map(str, set(self.raw) - self.read)))}")
        return cls(**values)

    def get(self, field: str, kind: type, default: Any, lang: str) -> Any:
        """The value of `field`, checked to be a `kind` (list: of strings); required if default is MISSING."""
        self.read.add(field)
        value = self.raw.get(field)
        if value is None:
            if default is MISSING:
                self.fail(f"{field!r} is required")
            return () if kind in (list, Historic) else default
        if kind in (list, Historic):
            if not isinstance(value, list) or kind is list and not all(v and type(v) is str for v in value):
                self.fail(f"{field!r} must be a list" + (" of non-empty strings" if kind is list else ""))
            if kind is list:
                return tuple(value)
            return tuple(_Entry(self.path, v, f"{self.name}: {field}", self.kinds, lang).build(Historic)
                         for v in value)
        if not isinstance(value, kind) or isinstance(value, bool) is not (kind is bool) or value == "":
            self.fail(f"{field!r} must be a {kind.__name__}, not {value!r}")
        choices = self.kinds if field == "kind" else LANGS if field == "lang" else None
        if choices is not None and value not in choices:
            self.fail(f"{field!r} is {value!r}, not one of {', '.join(sorted(choices))}")
        if field in _PATTERNS and not _PATTERNS[field].match(value):
            self.fail(f"{field!r} has the wrong form: {value!r}")
        return value


def _read(path: Path, section: str, cls: type, kinds: frozenset[str] | None, id_field: str = "key") -> list:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}
    except OSError as exc:
        raise AuthorityError(path, None, f"cannot be read ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        raise AuthorityError(path, None, f"is not valid YAML: {' '.join(str(exc).split())}") from None
    if not isinstance(data, dict) or not isinstance(data.get(section, []), list):
        raise AuthorityError(path, None, f"must be a mapping whose {section!r} is a list")
    out: dict[str, Any] = {}
    for index, raw in enumerate(data.get(section) or []):
        ident = raw.get(id_field) if isinstance(raw, dict) else None
        entry = _Entry(path, raw, str(ident) if ident else f"entry {index + 1}", kinds)
        made = entry.build(cls)
        if cls is Place and not getattr(made, made.lang):
            entry.fail(f"the primary language is {made.lang!r} but there is no {made.lang!r} name")
        if getattr(made, id_field) in out:
            entry.fail(f"the {id_field} is used twice")
        out[getattr(made, id_field)] = made
    return list(out.values())


def _name_owners(path: Path, entries: Mapping[str, Any], extra: str | None = None) -> dict[str, str]:
    """Map each normalised name to its key, failing on a name given twice or shared by two keys."""
    owner: dict[str, str] = {}
    for key, entry in entries.items():
        for name in entry.names() + (getattr(entry, extra) if extra else ()):
            norm = norm_label(name)
            if norm in owner:
                why = "is listed twice" if owner[norm] == key else f"is also a name of {owner[norm]!r}"
                raise AuthorityError(path, key, f"the name {name!r} {why}")
            owner[norm] = key
    return owner


def load_authorities(folder: Path | str) -> Authorities:
    """Read places.yaml, organizations.yaml and bodies.yaml in `folder`, check them, and return them."""
    p_file, o_file, b_file = (Path(folder) / f"{n}.yaml" for n in ("places", "organizations", "bodies"))
    auth = Authorities(
        places=MappingProxyType({p.key: p for p in _read(p_file, "places", Place, PLACE_KINDS)}),
        orgs=MappingProxyType({o.key: o for o in _read(o_file, "organizations", Org, ORG_KINDS)}),
        bodies=MappingProxyType({b.key: b for b in _read(b_file, "bodies", Body, BODY_KINDS)}),
        ambiguous=tuple(_read(o_file, "ambiguous", Ambiguity, None, id_field="form")))
    refs = [(p_file, p.key, "part_of", p.part_of, auth.places) for p in auth.places.values()]
    refs += [(b_file, b.key, "place", b.place, auth.places) for b in auth.bodies.values()]
    refs += [(o_file, o.key, f, getattr(o, f), auth.places if f == "place" else auth.orgs)
             for o in auth.orgs.values() for f in ("place", "parent")]
    for path, key, field, target, table in refs:
        if target is not None and (target not in table or target == key and field != "place"):
            raise AuthorityError(path, key, f"{field} {target!r} is not another known key")
    for path, table, up in ((p_file, auth.places, "part_of"), (o_file, auth.orgs, "parent")):
        for key in table:
            chain = [key]
            while getattr(table[chain[-1]], up) and getattr(table[chain[-1]], up) not in chain:
                chain.append(getattr(table[chain[-1]], up))
            if getattr(table[chain[-1]], up):
                raise AuthorityError(path, key, f"the {up} chain loops: {' > '.join(chain)}")
    _name_owners(p_file, auth.places)
    _name_owners(b_file, auth.bodies)
    owner = _name_owners(o_file, auth.orgs, extra="variants")
    for amb in auth.ambiguous:
        if len(set(amb.candidates)) < 2 or not set(amb.candidates) <= set(auth.orgs):
            raise AuthorityError(o_file, amb.form, "an ambiguous form needs two or more known candidate keys")
        if norm_label(amb.form) in owner:
            raise AuthorityError(o_file, amb.form, f"the form is a name of {owner[norm_label(amb.form)]!r}")
    return auth
