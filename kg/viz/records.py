"""The records the views draw (decisions, meetings, links, memberships, jobs) and how they combine."""
from __future__ import annotations

import contextlib
import gc
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

_YEAR = re.compile(r"^(\d{4})")


@dataclass
class Item:
    """A numbered decision with where it comes from."""

    iri: str
    number: str = ""
    text: str = ""
    doc: str = ""
    meeting: str = ""
    position: int = 0


@dataclass
class Meeting:
    """A meeting: its document, dates, body and topic."""

    iri: str
    doc: str = ""
    date: str = ""
    end: str = ""
    body: str = ""
    topic: str = ""


@dataclass
class Link:
    """A cooperation link between two organisations with its evidence items."""

    a: str
    b: str
    weight: int = 0
    items: list[str] = field(default_factory=list)


@dataclass
class BodyMembership:
    """A person's membership of a body, with its role, period, organisation and evidence."""

    iri: str
    person: str
    body: str
    role: str = ""
    start: str = ""
    end: str = ""
    org: str = ""
    established: str = ""
    terminated: str = ""
    quote: str = ""


@dataclass
class Affiliation:
    """A job snapshot: a person at an organisation (or with only a post), as one item attests it."""

    iri: str
    person: str
    org: str = ""
    post: str = ""
    item: str = ""
    quote: str = ""


@dataclass
class Facts:
    """Everything the views and the timeline need, keyed by IRI (parts a view does not draw may be empty)."""

    kinds: dict[str, str]
    labels: dict[str, str]
    items: dict[str, Item]
    meetings: dict[str, Meeting]
    links: list[Link]
    memberships: list[BodyMembership]
    affiliations: list[Affiliation]
    relations: list[tuple[str, str, str]]

    def label(self, iri: str) -> str:
        """The display label of a resource (its IRI's last segment when it has none)."""
        return self.labels.get(iri) or iri.rstrip("/").rsplit("/", 1)[-1]

    def item_date(self, item: str) -> str:
        """The start date of the meeting that passed an item ('' when unknown)."""
        it = self.items.get(item)
        m = self.meetings.get(it.meeting) if it else None
        return m.date if m else ""

    def item_body(self, item: str) -> str:
        """The body whose meeting passed an item ('' when unknown)."""
        it = self.items.get(item)
        m = self.meetings.get(it.meeting) if it else None
        return m.body if m else ""


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of small records are made (it would rescan them
    over and over, doubling the time on large graphs); it resumes as it was afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def year_of(date: str) -> int | None:
    """The year of an ISO date, year-month or year (None for '')."""
    m = _YEAR.match(date or "")
    return int(m.group(1)) if m else None


def periods(memberships: list[BodyMembership]) -> list[BodyMembership]:
    """Memberships with each removal joined to the admission it ends (same person and body, the latest
    admission not after the removal); a removal with no such admission stays on its own."""
    by_pair: dict[tuple[str, str], list[BodyMembership]] = defaultdict(list)
    for m in memberships:
        by_pair[(m.person, m.body)].append(m)
    out = []
    for pair in sorted(by_pair):
        opened = sorted((m for m in by_pair[pair] if not (m.end or m.terminated)), key=lambda m: m.start)
        closed = [m for m in by_pair[pair] if m.end or m.terminated]
        for r in sorted(closed, key=lambda m: m.end):
            match = [m for m in opened if not r.start and (not m.start or not r.end or m.start <= r.end)]
            if match:
                m = match[-1]
                opened.remove(m)
                out.append(replace(m, end=r.end, terminated=r.terminated))
            else:
                out.append(r)
        out.extend(opened)
    return sorted(out, key=lambda m: m.iri)
