"""A simulated world of library bodies over decades: people with posts in organisations, meetings of councils,
clubs, methodical councils and round tables, and what each meeting decides about its members (who joins,
is elected, leaves, is thanked), while people move between organisations and posts."""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from bench.inflect import fits_language, initials, org_case, patronymic_case, usable_form
from bench.lexicon import FirstName, Lexicon, Org, Post, Surname

LAST_YEAR = 2025
REGIONAL_RU = ("gnbk", "gbkdm", "spec")
REGIONAL_UK = ("dn_ounb", "kramat_cmpb")
METSOVET_RU = ("gnbk", "kem_city", "nvkz_city", "lk_city", "mariinsk", "prokop_city", "belovo_city", "yurga_city",
               "mezhd", "tasht", "topki", "krapiv", "anzhero", "kisel", "prom", "tyazh")
METODRADA_UK = ("dn_ounb", "kramat_cbs", "slov_cbs", "bakhmut_cbs", "pokrovsk_cbs", "druzh_cbs", "kost_cbs",
                "mariupol_cbs")


@dataclass
class Person:
    """Someone working in a library: name parts, gender, and the post and organisation held now."""

    pid: int
    lang: str
    gender: str
    surname: Surname
    first: FirstName
    patr: str
    group: str
    post: Post
    org: str

    def name(self, case: str, style: str = "full") -> str:
        """The name in CASE: 'full' (Сидорову Анну Ивановну), 'initials' (Сидорову А.И.) or 'sign' (А.И. Сидорова)."""
        sur = self.surname.forms[self.gender][case]
        if style == "initials":
            return f"{sur} {initials(self.first.nom, self.patr)}"
        if style == "sign":
            return f"{initials(self.first.nom, self.patr)} {self.surname.forms[self.gender]['nom']}"
        first = {"nom": self.first.nom, "acc": self.first.acc, "dat": self.first.dat}[case]
        return f"{sur} {first} {patronymic_case(self.patr, case, self.lang)}"

    def gold(self, style: str = "full") -> str:
        """The name as the gold gives it: nominative, surname first, initials where the text has only those."""
        return self.name("nom", "initials" if style in ("initials", "sign") else "full")

    def post_text(self, case: str) -> str:
        """The post in CASE."""
        return self.post.forms[self.gender][case]

    def post_gold(self) -> str | list[str]:
        """The post as the gold gives it, with the other gender's form where both are right."""
        f, m = self.post.forms["f"]["nom"], self.post.forms["m"]["nom"]
        return [f, m] if self.gender == "f" and f != m else m


@dataclass
class Body:
    """A body that meets: its kind, language, owner (a methodical council's organisation) and members."""

    bid: str
    gold: str
    kind: str
    lang: str
    owner: str | None
    groups: tuple[str, ...]
    pool: tuple[str, ...]
    members: dict[int, dt.date | None] = field(default_factory=dict)
    officers: dict[str, int] = field(default_factory=dict)


@dataclass
class Event:
    """One thing a meeting decides about a person or an organisation."""

    what: str  # join, elect, leave, thank, thank_org
    person: Person | None = None
    org: str | None = None
    role: str = "member"


@dataclass
class Meeting:
    """A meeting: body, dates (start, end, precision), host, town, online flag, topic and events."""

    body: Body
    date: dt.date
    end: dt.date | None
    precision: str  # day, year, none
    host: str | None
    city: str | None
    online: bool | None
    topic: str | None
    events: list[Event]
    chair: Person | None


class World:
    """People, organisations and bodies, advanced meeting by meeting with one seeded random generator."""

    def __init__(self, lex: Lexicon, rng: random.Random):
        self.lex, self.rng = lex, rng
        self.people: list[Person] = []
        self.names: set[str] = set()
        self.forms: dict[str, list[tuple[str, int | None]]] = {}
        for o in lex.orgs.values():
            if o.kind in ("library", "library_system"):
                self.forms[o.key] = self._forms(o)
        self.region = {
            "ru": sorted(k for k, o in lex.orgs.items() if k in self.forms and o.lang == "ru" and self.forms[k]),
            "uk": sorted(k for k, o in lex.orgs.items() if k in self.forms and o.lang == "uk" and self.forms[k]),
        }
        self.bodies = self._bodies()

    def _forms(self, o: Org) -> list[tuple[str, int | None]]:
        """The names of an organisation fit for running text, with the year each was used until."""
        names = [(n, None) for n in o.names] + [(n, until) for n, until in o.historic if until]
        return [(n, u) for n, u in names if usable_form(n) and fits_language(n, o.lang)
                and all(org_case(n, c, o.lang) for c in ("gen", "dat", "acc"))]

    def org_name(self, key: str, case: str, year: int, header: bool = False) -> str:
        """A name of organisation KEY in CASE as written in YEAR (a former name before its renaming); a HEADER
        line never names it by its council ('… міської ради'), which would read as the body that meets."""
        forms = [f for f in self.forms[key] if not header or " ради" not in f[0]] or self.forms[key]
        old = [n for n, until in forms if until and year < until]
        current = [n for n, until in forms if not until]
        pick = self.rng.choice(old if old else current)
        return org_case(pick, case, self.lex.orgs[key].lang)

    def _bodies(self) -> list[Body]:
        """The bodies of both regions."""
        ru, uk = self.region["ru"], self.region["uk"]
        bodies = [Body("council", "council", "council", "ru", None, ("head",), tuple(ru)),
                  Body("club", "club", "club", "ru", None, ("method",), tuple(ru)),
                  Body("rada", "rada", "council", "uk", None, ("head",), tuple(uk)),
                  Body("roundtable_ru", "roundtable_kem", "roundtable", "ru", None, (), tuple(ru)),
                  Body("roundtable_uk", "roundtable_dn", "roundtable", "uk", None, (), tuple(uk))]
        bodies += [Body(f"metsovet_{k}", "metsovet", "metsovet", "ru", k, ("method", "staff"), (k,))
                   for k in METSOVET_RU if k in self.forms]
        bodies += [Body(f"metodrada_{k}", "metodrada", "metsovet", "uk", k, ("method", "staff"), (k,))
                   for k in METODRADA_UK if k in self.forms]
        return bodies

    def new_person(self, lang: str, group: str, org: str) -> Person:
        """A person with a name no one in the world has yet."""
        rng = self.rng
        while True:
            gender = "f" if rng.random() < 0.78 else "m"
            sur = rng.choice([s for s in self.lex.surnames if s.lang == lang])
            first = rng.choice(self.lex.firsts(lang, gender))
            father = rng.choice(self.lex.firsts(lang, "m"))
            patr = father.patr_f if gender == "f" else father.patr_m
            full = f"{sur.forms[gender]['nom']} {first.nom} {patr}"
            if full not in self.names and first.nom != father.nom:
                break
        self.names.add(full)
        p = Person(len(self.people), lang, gender, sur, first, patr, group,
                   rng.choice(self.lex.posts_of(lang, group)), org)
        self.people.append(p)
        return p

    def schedule(self, n: int) -> list[tuple[Body, dt.date]]:
        """N meeting dates spread over the bodies and the years, in date order."""
        rng = self.rng
        years = min(35, max(3, n // 10))
        first = LAST_YEAR - years + 1
        weights = [3.0 if b.bid in ("council", "club", "rada") else 1.0 for b in self.bodies]
        picks = rng.choices(self.bodies, weights=weights, k=n)
        out, used = [], set()
        for b in picks:
            while True:
                d = dt.date(rng.randint(first, LAST_YEAR), rng.randint(1, 12), rng.randint(1, 28))
                if (b.bid, d) not in used and (b.bid, d + dt.timedelta(days=1)) not in used:
                    break
            used.add((b.bid, d))
            out.append((b, d))
        out.sort(key=lambda bd: (bd[1], bd[0].bid))
        return out

    def _candidate(self, body: Body) -> Person:
        """Someone to admit to BODY: a person already in the world who is not a member, or a new one."""
        rng = self.rng
        group = rng.choice(body.groups)
        free = [p for p in self.people if p.lang == body.lang and p.group == group and p.org in body.pool
                and p.pid not in body.members]
        if free and rng.random() < 0.35:
            return rng.choice(free)
        return self.new_person(body.lang, group, rng.choice(body.pool))

    def _move(self, lang: str) -> None:
        """Someone changes organisation or post (people move between libraries and jobs)."""
        staff = [p for p in self.people if p.lang == lang]
        if not staff:
            return
        p = self.rng.choice(staff)
        if self.rng.random() < 0.5:
            p.org = self.rng.choice(self.region[lang])
        else:
            p.post = self.rng.choice(self.lex.posts_of(lang, p.group))

    def meeting(self, body: Body, date: dt.date) -> Meeting:
        """One meeting of BODY on DATE and what it decides; membership changes are applied to the world."""
        rng = self.rng
        for _ in range(rng.choice((0, 0, 1, 2))):
            self._move(body.lang)
        events: list[Event] = []
        if body.kind != "roundtable":
            first_time = not body.members
            joins = rng.randint(3, 6) if first_time else rng.choice((0, 0, 1, 1, 2, 3, 4))
            if not first_time and len(body.members) > 4:
                for pid in rng.sample(sorted(body.members), rng.choice((0, 0, 0, 1, 1, 2))):
                    events.append(Event("leave", self.people[pid]))
                    del body.members[pid]
                    body.officers = {r: q for r, q in body.officers.items() if q != pid}
            for _ in range(joins):
                p = self._candidate(body)
                if p.pid not in body.members:
                    events.append(Event("join", p))
                    body.members[p.pid] = date
            if body.members and rng.random() < 0.3:
                role = rng.choice(("chair", "deputy_chair", "secretary") if body.kind != "club" else ("coordinator",))
                joined = {e.person.pid for e in events if e.what == "join"}
                pool = [pid for pid in sorted(body.members) if pid not in joined]
                if pool:
                    p = self.people[rng.choice(pool)]
                    events.append(Event("elect", p, role=role))
                    body.officers[role] = p.pid
        region = [p for p in self.people if p.lang == body.lang]
        for _ in range(rng.choice((0, 1, 1, 2) if body.kind != "roundtable" else (1, 2, 2, 3))):
            who = rng.choice(region) if region and rng.random() < 0.7 else \
                self.new_person(body.lang, rng.choice(("head", "method")), rng.choice(body.pool))
            if all(e.person is not who for e in events):
                events.append(Event("thank", who))
        chair = self.people[body.officers["chair"]] if "chair" in body.officers else None
        return Meeting(body, date, None, "day", None, None, None, None, events, chair)
