"""Deterministic IRI minting: every IRI comes from stable source parts, never from chance."""
from __future__ import annotations

import hashlib
import re

from kg.model import PersonName

SAFE_STEM = re.compile(r"[A-Za-z0-9_.-]{1,80}")


def digest(*parts: str, n: int = 16) -> str:
    """A short hex SHA-1 of the parts joined by a separator that cannot occur in them."""
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:n]


def doc_id(file_name: str) -> str:
    """The document's id: its stem when plain ASCII ('002_95cac53fc379ce0a'), else 'd' + a hash of the name."""
    stem = file_name.rsplit(".", 1)[0] if "." in file_name else file_name
    return stem if SAFE_STEM.fullmatch(stem) else "d" + digest(file_name)


def name_key(name: PersonName) -> str:
    """A person's identity key: the nominative full name, lower-cased, ё folded."""
    parts = [name.family, name.given or "", name.patronymic or "", "" if name.given else (name.initials or "")]
    return "|".join(p.lower().replace("ё", "е") for p in parts)


class Minter:
    """Mints the IRIs of one graph under BASE (default https://kg.example.org/id/)."""

    def __init__(self, base: str):
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def graph(self, docid: str) -> str:
        """The named graph of a document."""
        return f"{self.base}graph/{docid}"

    def special_graph(self, name: str) -> str:
        """The authority, derived or build graph."""
        return f"{self.base}graph/{name}"

    def resolution(self, docid: str) -> str:
        """The resolution (the document as a legal resource)."""
        return f"{self.base}resolution/{docid}"

    def meeting(self, docid: str) -> str:
        """The meeting that passed the resolution."""
        return f"{self.base}meeting/{docid}"

    def item(self, docid: str, list_no: int, number: str) -> str:
        """A numbered decision."""
        return f"{self.base}resolution/{docid}/item/{list_no}.{number}"

    def person(self, name: PersonName) -> str:
        """A person, by the normalised name: the full name, or the surname and initials where the text gives
        no more (the same initials in two documents are taken for one person; see kg/identity.py)."""
        return f"{self.base}person/{digest(name_key(name))}"

    def org(self, key: str) -> str:
        """An organisation, by its authority key (or 'x-<hash>' for one not in the authority file)."""
        return f"{self.base}org/{key}"

    def body(self, key: str) -> str:
        """A body (council, club, round table)."""
        return f"{self.base}body/{key}"

    def place(self, key: str) -> str:
        """A place."""
        return f"{self.base}place/{key}"

    def post(self, label: str) -> str:
        """A post (job title) concept."""
        return f"{self.base}post/{digest(label.lower().replace('ё', 'е'), n=12)}"

    def membership(self, person: str, body: str, item: str) -> str:
        """A membership in a body, by person, body and the item that created (or ended) it."""
        return f"{self.base}membership/{digest(person, body, item)}"

    def affiliation(self, person: str, item: str, org: str, post: str) -> str:
        """A job affiliation attested by an item."""
        return f"{self.base}affiliation/{digest(person, item, org, post)}"

    def cooperation(self, a: str, b: str) -> str:
        """A cooperation link between two organisations (ordered)."""
        a, b = sorted((a, b))
        return f"{self.base}cooperation/{digest(a, b)}"
