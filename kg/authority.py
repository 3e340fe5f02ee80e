"""Authority data: canonical places, organisations and bodies read from data/authorities/*.yaml.

`load_authorities(folder)` reads places.yaml, organizations.yaml and bodies.yaml, checks them and
returns an `Authorities` with lookups by key. Matching text against the names is done elsewhere;
`norm_label` is the normal form in which names are compared here (matchers may reuse it).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from kg.errors import KGError

PLACE_KINDS = frozenset({"city", "district", "okrug", "oblast", "municipality"})
ORG_KINDS = frozenset({"library_system", "library", "museum", "authority", "organization"})
BODY_KINDS = frozenset({"council", "club", "roundtable", "methodical_council", "conference", "other"})
LANGS = frozenset({"ru", "uk"})

_KEY = re.compile(r"[a-z][a-z0-9_]*\Z")
_QID = re.compile(r"Q[1-9][0-9]*\Z")
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
    s = _INITIALS.sub(r"\1.", s)
    s = _INITIAL_SURNAME.sub(r"\1 ", s)
    s = _SPACED_DASH.sub(" – ", s)
    return " ".join(s.split()).casefold()


class AuthorityError(KGError):
    """An authority file is missing or wrong; the message names the file and the entry."""

    def __init__(self, path: Path | str, entry: str | None, reason: str):
        super().__init__(f"{Path(path).name}: {entry}: {reason}" if entry else f"{Path(path).name}: {reason}")
        self.path, self.entry, self.reason = str(path), entry, reason


@dataclass(frozen=True)
class Historic:
    """A dated or former name, in use until the year `until` or from `since` (YAML: `from`), either unknown."""

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
    gen_ru: str | None = None
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

    def genitive(self, lang: str) -> str | None:
        """The form written after 'г.'/'м.': the genitive where it differs, else the nominative."""
        return getattr(self, f"gen_{lang}") or getattr(self, lang)

    def names(self) -> tuple[str, ...]:
        """Every name: the nominatives, the municipality's name, the aliases and the former names."""
        own = tuple(n for n in (self.ru, self.uk, self.municipality) if n)
        return own + self.aliases + tuple(h.label for h in self.history)


@dataclass(frozen=True)
class Org:
    """A canonical organisation: a library system, library, museum, authority or other organisation."""

    key: str
    kind: str
    lang: str
    label: str
    aliases: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()  # misspellings attested in documents: matched, never displayed
    historic: tuple[Historic, ...] = ()
    place: str | None = None
    parent: str | None = None
    wikidata: str | None = None
    note: str | None = None

    def names(self) -> tuple[str, ...]:
        """The label, the aliases and the former names (not the misspelt variants)."""
        return (self.label,) + self.aliases + tuple(h.label for h in self.historic)


@dataclass(frozen=True)
class Body:
    """A council, club, round table or other body whose meetings pass resolutions."""

    key: str
    kind: str
    lang: str
    label: str
    aliases: tuple[str, ...] = ()
    historic: tuple[Historic, ...] = ()
    place: str | None = None
    generic: bool = False  # a kind of body named without its owner ("Методична рада")
    note: str | None = None

    def names(self) -> tuple[str, ...]:
        """The label, the aliases and the former names."""
        return (self.label,) + self.aliases + tuple(h.label for h in self.historic)


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
        """The place with this key."""
        return _lookup(self.places, key, "place")

    def org(self, key: str) -> Org:
        """The organisation with this key."""
        return _lookup(self.orgs, key, "organisation")

    def body(self, key: str) -> Body:
        """The body with this key."""
        return _lookup(self.bodies, key, "body")

    def oblast_of(self, key: str) -> Place | None:
        """The oblast a place lies in (the place itself when it is an oblast)."""
        place: Place | None = self.place(key)
        while place is not None and place.kind != "oblast":
            place = self.places.get(place.part_of) if place.part_of else None
        return place


def _lookup(table: Mapping[str, Any], key: str, what: str) -> Any:
    if key not in table:
        raise KGError(f"unknown {what} key {key!r} in the authority data")
    return table[key]


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses a mapping with the same field twice."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        """Build the mapping, failing on a repeated field."""
        keys = [self.construct_object(k, deep=deep) for k, _ in node.value]
        for i, key in enumerate(keys):
            if key in keys[:i]:
                raise yaml.constructor.ConstructorError(None, None, f"field {key!r} given twice",
                                                        node.value[i][0].start_mark)
        return super().construct_mapping(node, deep=deep)


_TYPES = {"str": str, "str | None": str, "int | None": int, "bool": bool, "tuple[str, ...]": list,
          "tuple[Historic, ...]": Historic}
_PATTERNS = {"key": _KEY, "wikidata": _QID}


class _Entry:
    """One mapping of a list in an authority file, read field by field; unread fields are errors."""

    def __init__(self, path: Path, raw: Any, name: str):
        self.path, self.raw, self.name, self.read = path, raw, name, set()
        if not isinstance(raw, dict):
            self.fail("is not a mapping")

    def fail(self, reason: str) -> None:
        """Stop with an error naming the file and this entry."""
        raise AuthorityError(self.path, self.name, reason)

    def build(self, cls: type, kinds: frozenset[str] | None = None) -> Any:
        """Read every field of the dataclass `cls`, checked by the field's type; fail on unknown fields."""
        values = {f.name: self.get("from" if f.name == "since" and cls is Historic else f.name, _TYPES[f.type],
                                   f.default, kinds if f.name == "kind" else LANGS if f.name == "lang" else None,
                                   kinds) for f in fields(cls)}
        if set(self.raw) - self.read:
            self.fail(f"unknown field(s): {', '.join(sorted(map(str, set(self.raw) - self.read)))}")
        return cls(**values)

    def get(self, field: str, kind: type, default: Any, choices: frozenset[str] | None,
            kinds: frozenset[str] | None) -> Any:
        """The value of `field`, checked to be of `kind` (`list`: a list of strings); MISSING default: required."""
        self.read.add(field)
        value = self.raw.get(field)
        if value is None:
            if default is MISSING:
                self.fail(f"{field!r} is required")
            return () if kind in (list, Historic) else default
        if kind in (list, Historic):
            if not isinstance(value, list) or (kind is list and not all(isinstance(v, str) and v.strip()
                                                                          for v in value)):
                self.fail(f"{field!r} must be a list" + (" of non-empty strings" if kind is list else ""))
            if kind is list:
                return tuple(value)
            return tuple(_Entry(self.path, v, f"{self.name}: {field}").build(Historic, kinds) for v in value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.fail(f"{field!r} must be {kind.__name__}, not {value!r}")
        if kind is str and not value.strip():
            self.fail(f"{field!r} is empty")
        if choices is not None and value not in choices:
            self.fail(f"{field!r} is {value!r}, not one of {', '.join(sorted(choices))}")
        if field in _PATTERNS and not _PATTERNS[field].match(value):
            self.fail(f"{field!r} has the wrong form: {value!r}")
        return value


def _read(path: Path, section: str, cls: type, kinds: frozenset[str] | None, id_field: str = "key") -> list:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader) or {}
    except OSError as exc:
        raise AuthorityError(path, None, f"cannot be read ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        raise AuthorityError(path, None, f"is not valid YAML: {' '.join(str(exc).split())}") from None
    if not isinstance(data, dict) or not isinstance(data.get(section, []), list):
        raise AuthorityError(path, None, f"must be a mapping whose {section!r} is a list")
    out, seen = [], set()
    for index, raw in enumerate(data.get(section) or []):
        ident = raw.get(id_field) if isinstance(raw, dict) else None
        entry = _Entry(path, raw, str(ident) if ident else f"entry {index + 1}")
        made = entry.build(cls, kinds)
        lang = getattr(made, "lang", None)
        for field in ("history", "historic"):
            if hasattr(made, field):  # a former name is in the entry's language unless it says otherwise
                made = replace(made, **{field: tuple(h if h.lang else replace(h, lang=lang)
                                                     for h in getattr(made, field))})
        if lang and not getattr(made, lang if cls is Place else "label"):
            entry.fail(f"the primary language is {lang!r} but there is no {lang!r} name")
        if getattr(made, id_field) in seen:
            entry.fail(f"the {id_field} is used twice")
        seen.add(getattr(made, id_field))
        out.append(made)
    return out


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


def _check_ref(path: Path, key: str, field: str, target: str | None, table: Mapping[str, Any]) -> None:
    if target is not None and (target not in table or target == key):
        raise AuthorityError(path, key, f"{field} {target!r} is not another known key")


def load_authorities(folder: Path | str) -> Authorities:
    """Read places.yaml, organizations.yaml and bodies.yaml in `folder`, check them, and return them."""
    root = Path(folder)
    p_file, o_file, b_file = root / "places.yaml", root / "organizations.yaml", root / "bodies.yaml"
    auth = Authorities(
        places=MappingProxyType({p.key: p for p in _read(p_file, "places", Place, PLACE_KINDS)}),
        orgs=MappingProxyType({o.key: o for o in _read(o_file, "organizations", Org, ORG_KINDS)}),
        bodies=MappingProxyType({b.key: b for b in _read(b_file, "bodies", Body, BODY_KINDS)}),
        ambiguous=tuple(_read(o_file, "ambiguous", Ambiguity, None, id_field="form")))
    for place in auth.places.values():
        _check_ref(p_file, place.key, "part_of", place.part_of, auth.places)
    for body in auth.bodies.values():
        _check_ref(b_file, body.key, "place", body.place, auth.places)
    for org in auth.orgs.values():
        _check_ref(o_file, org.key, "place", org.place, auth.places)
        _check_ref(o_file, org.key, "parent", org.parent, auth.orgs)
        chain, up = [org.key], org.parent
        while up is not None:
            if up in chain:
                raise AuthorityError(o_file, org.key, f"the parent chain loops: {' > '.join(chain + [up])}")
            chain.append(up)
            up = auth.orgs[up].parent
    _name_owners(p_file, auth.places)
    _name_owners(b_file, auth.bodies)
    owner = _name_owners(o_file, auth.orgs, extra="variants")
    for amb in auth.ambiguous:
        if len(set(amb.candidates)) < 2 or not set(amb.candidates) <= set(auth.orgs):
            raise AuthorityError(o_file, amb.form, "an ambiguous form needs two or more known candidate keys")
        if norm_label(amb.form) in owner:
            raise AuthorityError(o_file, amb.form, f"the form is a name of {owner[norm_label(amb.form)]!r}")
    return auth
