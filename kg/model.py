"""Frozen dataclasses for what extraction finds: documents, spans, meetings, decisions, people, organisations."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """A character range [start, stop) in a document's text."""

    start: int
    stop: int


@dataclass(frozen=True)
class Document:
    """A resolution document read from disk: its file name, plain text and detected language."""

    name: str
    path: str
    text: str
    lang: str = "ru"
    format: str = "txt"
    encoding: str = "utf-8"
    sha256: str = ""


@dataclass(frozen=True)
class DateValue:
    """An ISO date, possibly partial ('2023', '2022-06', '2022-06-08'), with an optional end day."""

    start: str
    end: str | None = None


@dataclass(frozen=True)
class PersonName:
    """A person's name in the nominative, surname first; initials only where the text gives no more."""

    family: str
    given: str | None = None
    patronymic: str | None = None
    initials: str | None = None
    gender: str | None = None  # "f", "m" or None
    guessed: bool = False  # the nominative of some part was guessed, not found in a dictionary

    @property
    def full(self) -> str:
        """The display name: 'Головина Ирина Алексеевна' or 'Иванова О.П.'."""
        if self.given:
            return " ".join(p for p in (self.family, self.given, self.patronymic) if p)
        if self.initials:
            return f"{self.family} {self.initials}"
        return self.family


@dataclass(frozen=True)
class OrgMention:
    """An organisation named in a document, normalised to the nominative and reconciled where possible."""

    label: str  # nominative, as written (after normalisation)
    span: Span
    quote: str  # the exact text
    key: str | None = None  # authority key after reconciliation
    kind: str = "organization"  # library_system | library | organization | authority | municipality
    method: str = "unreconciled"  # exact | alias | misspelling | fuzzy | correction | ambiguous | unreconciled
    score: float = 0.0


@dataclass(frozen=True)
class PersonMention:
    """A person named in a document, with the post and workplace the text attaches to them."""

    name: PersonName
    span: Span
    quote: str
    post: str | None = None  # nominative: 'директор', 'ведущий методист'
    org: OrgMention | None = None


@dataclass(frozen=True)
class BodyRef:
    """A body (council, club, round table) as named in a document."""

    label: str
    key: str | None = None
    kind: str = "other"  # council | club | roundtable | methodical_council | conference | other
    span: Span | None = None


@dataclass(frozen=True)
class Decision:
    """A numbered decision of a resolution, its kind and the entities it names."""

    list_no: int
    number: str
    text: str
    span: Span
    kind: str = "other"
    people: tuple[PersonMention, ...] = ()
    orgs: tuple[OrgMention, ...] = ()
    addressees: tuple[OrgMention, ...] = ()
    body: BodyRef | None = None  # the body people are admitted to / removed from
    role: str = "member"  # member | chair | deputy_chair | secretary
    reason: str | None = None  # reason of a removal, when given


@dataclass(frozen=True)
class Meeting:
    """The meeting that passed a resolution, as its header and preamble describe it."""

    body: BodyRef
    date: DateValue | None = None
    place: str | None = None
    host: OrgMention | None = None
    topic: str | None = None
    online: bool | None = None
    title: str | None = None


@dataclass(frozen=True)
class Resolution:
    """Everything extracted from one document."""

    document: Document
    meeting: Meeting
    decisions: tuple[Decision, ...]
    signatory: PersonMention | None = None
    header_orgs: tuple[OrgMention, ...] = ()
    unconsumed: tuple[tuple[int, str], ...] = ()  # (line number, text) that no rule consumed
    warnings: tuple[str, ...] = field(default=())
