"""The numbered decisions of one generated resolution, written from a meeting's events in varied wording,
with the gold facts each of them states."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from itertools import combinations
from types import SimpleNamespace

from bench.world import Event, Meeting, Person, World


@dataclass
class Item:
    """A decision: its text, and the sub-items of a list it opens (written one per line, or as a nested list)."""

    head: str
    subs: list[str] = field(default_factory=list)
    bare: bool = False  # sub-items written one per line with no list marker


@dataclass
class Gold:
    """The gold facts of one document, in the format of the scorer's gold file."""

    joins: list[dict] = field(default_factory=list)
    leaves: list[dict] = field(default_factory=list)
    thanks: list[dict] = field(default_factory=list)
    orgs: set[str] = field(default_factory=set)
    cooperation: set[tuple[str, str]] = field(default_factory=set)
    seen: list[tuple[int, str, str]] = field(default_factory=list)  # (person id, kind, gold name)


def _cap(s: str) -> str:
    """S with its first letter in upper case."""
    return s[:1].upper() + s[1:]


class Writer:
    """Writes the decisions of one meeting; BODY_GEN names the body in the genitive (full and short)."""

    def __init__(self, world: World, m: Meeting, rng: random.Random, body_gen: tuple[str, str], date: str | None):
        self.w, self.m, self.rng = world, m, rng
        self.lang = m.body.lang
        self.t = world.lex.text[self.lang]
        self.year = m.date.year
        self.body_full, self.body_short = body_gen
        self.date = date
        self.gold = Gold()

    # -- pieces ------------------------------------------------------------------------------------------
    def org(self, key: str, case: str, header: bool = False) -> str:
        """A name of organisation KEY in CASE, noted in the gold."""
        self.gold.orgs.add(key)
        return self.w.org_name(key, case, self.year, header)

    def body(self) -> str:
        """The body's name in the genitive, full or short."""
        return self.body_full if self.rng.random() < 0.5 else self.body_short

    def who(self, p: Person, case: str, style: str, shape: str) -> str:
        """A person in CASE with post and organisation: 'name_post' (Иванову А.И., директора ЦБС …),
        'post_name' (директора ЦБС … Иванову А.И.), 'name_org' (Иванову А.И. (ЦБС …)) or 'name'."""
        pcase = "acc" if case == "acc" else "dat"
        if shape == "name_post":
            return f"{p.name(case, style)}, {p.post_text(pcase)} {self.org(p.org, 'gen')}"
        if shape == "post_name":
            return f"{p.post_text(pcase)} {self.org(p.org, 'gen')} {p.name(case, style)}"
        if shape == "name_org":
            return f"{p.name(case, style)} ({self.org(p.org, 'nom')})"
        return p.name(case, style)

    def _join_gold(self, p: Person, style: str, with_post: bool) -> None:
        """A gold join for P."""
        self.gold.seen.append((p.pid, "joins", p.gold(style)))
        self.gold.joins.append({"person": p.gold(style), "body": self.m.body.gold, "date": self.date,
                                "org": p.org, "post": p.post_gold() if with_post else None})

    # -- membership ----------------------------------------------------------------------------------
    def admit(self, people: list[Person]) -> Item:
        """One decision admitting PEOPLE, as a list or inline."""
        rng = self.rng
        verb = rng.choice(self.t["admit_verb"])
        body = self.body()
        if len(people) == 1:
            shape = rng.choice(("name_post", "name_post", "name_org"))
            p = people[0]
            self._join_gold(p, "full", shape == "name_post")
            return Item(f"{verb} {body} {self.who(p, 'acc', 'full', shape)}.")
        layout = rng.choice(("list_post_first", "list_name_first", "inline_posts", "inline_org", "inline_initials",
                             "lines_org"))
        style = "initials" if layout == "inline_initials" else "full"
        shape = {"list_post_first": "post_name", "list_name_first": "name_post", "inline_posts": "name_post",
                 "inline_org": "name_org", "inline_initials": rng.choice(("name_org", "name_post")),
                 "lines_org": "name_org"}[layout]
        parts = [self.who(p, "acc", style, shape) for p in people]
        for p in people:
            self._join_gold(p, style, shape in ("name_post", "post_name"))
        if layout.startswith("list"):
            subs = [(_cap(x) if layout == "list_post_first" and rng.random() < 0.3 else x) + ";" for x in parts]
            subs[-1] = subs[-1][:-1] + "."
            return Item(f"{verb} {body}:", subs)
        if layout == "lines_org":
            return Item(f"{verb} {body}", parts, bare=True)
        sep = "; " if shape == "name_post" and layout != "inline_posts" or rng.random() < 0.3 else ", "
        if shape == "name_post" and sep == ", ":
            text = ", ".join(parts[:-1]) + f", {self.t['and']} " + parts[-1]
        else:
            text = sep.join(parts)
        colon = ":" if layout != "inline_posts" or rng.random() < 0.5 else ""
        return Item(f"{verb} {body}{colon} {text}.")

    def elect(self, e: Event) -> Item:
        """One decision electing someone to a post in the body."""
        role = self.t["elect_role"][e.role]
        verb = "Избрать" if self.lang == "ru" else "Обрати"
        body = self.body_full if e.role != "coordinator" or self.rng.random() < 0.5 else self.body_short
        self._join_gold(e.person, "full", True)
        return Item(f"{verb} {role} {body} {self.who(e.person, 'acc', 'full', 'name_post')}.")

    def leave(self, e: Event) -> Item:
        """One decision removing a member, with a reason."""
        rng = self.rng
        shape = rng.choice(("name", "name_org", "name_post"))
        style = "initials" if shape == "name_org" and rng.random() < 0.3 else "full"
        reason = rng.choice(self.t["removal_reason"])
        who = self.who(e.person, "acc", style, shape) + ("," if shape == "name_post" else "")
        self.gold.seen.append((e.person.pid, "leaves", e.person.gold(style)))
        self.gold.leaves.append({"person": e.person.gold(style), "body": self.m.body.gold, "date": self.date})
        return Item(f"{rng.choice(self.t['remove_verb'])} {self.body()} {who} {reason}.")

    # -- thanks --------------------------------------------------------------------------------------
    def _for(self) -> str:
        """What thanks are given for."""
        reasons = [r for r in self.t["thank_for"] if self.m.body.kind != "roundtable" or "{body}" not in r]
        return self.rng.choice(reasons).format(body=self.body_short)

    def thank(self, e: Event) -> Item:
        """One decision thanking a person, with or without post, or a collective."""
        rng = self.rng
        p = e.person
        verb = rng.choice(self.t["thank_verb"])
        shape = rng.choice(("name_post", "name_post", "post_name", "name", "collective"))
        self.gold.seen.append((p.pid, "thanks", p.gold()))
        if shape == "collective":
            self.gold.thanks.append({"recipient": p.org, "kind": "organization", "post": None})
            self.gold.thanks.append({"recipient": p.gold(), "kind": "person", "post": p.post_gold()})
            coll = rng.choice(self.t["collective"])
            return Item(f"{verb} {coll} {self.org(p.org, 'gen')} {self.t['personally']} "
                        f"{p.post_text('dat')} {p.name('dat')} {self._for()}.")
        self.gold.thanks.append({"recipient": p.gold(), "kind": "person",
                                 "post": p.post_gold() if shape != "name" else None})
        who = self.who(p, "dat", "full", shape)
        return Item(f"{verb} {who}{',' if shape == 'name_post' else ''} {self._for()}.")

    def thank_orgs(self, keys: list[str]) -> Item:
        """One decision thanking the collectives of KEYS (one or two)."""
        for k in keys:
            self.gold.thanks.append({"recipient": k, "kind": "organization", "post": None})
        verb = self.rng.choice(self.t["thank_verb"])
        if len(keys) == 1:
            return Item(f"{verb} {self.rng.choice(self.t['collective'])} {self.org(keys[0], 'gen')} {self._for()}.")
        self.gold.cooperation.add(tuple(sorted(keys)))
        names = f" {self.t['and']} ".join(self.org(k, "gen") for k in keys)
        return Item(f"{verb} {self.t['collectives']} {names} {self._for()}.")

    # -- other decisions -----------------------------------------------------------------------------
    def filler(self, kind: str) -> Item:
        """A decision of KIND (take note, approve, recommend …) naming zero to two organisations."""
        rng = self.rng
        template = rng.choice(self.t["filler"][kind])
        keys = rng.sample(self.m.body.pool if len(self.m.body.pool) > 1 else self.w.region[self.lang], 2)
        if "{b." not in template:
            keys = keys[:1]
        if "{a." not in template:
            keys = []
        slots = {name: SimpleNamespace(**{c: self.org(k, c) for c in ("gen", "dat", "acc")})
                 for name, k in zip("ab", keys)}
        if len(keys) == 2:
            self.gold.cooperation.add(tuple(sorted(keys)))
        month = rng.choice(self.t["months_loc"])
        return Item(template.format(body=self.body_short, year=self.year, next=self.year + 1, month=month,
                                    **slots))

    def items(self) -> list[Item]:
        """Every decision of the meeting in a plausible order."""
        rng = self.rng
        ev = self.m.events
        middle: list[Item] = []
        joins = [e.person for e in ev if e.what == "join"]
        if joins:
            if len(joins) > 3 and rng.random() < 0.2:
                middle += [self.admit(joins[:2]), self.admit(joins[2:])]
            else:
                middle.append(self.admit(joins))
        middle += [self.elect(e) for e in ev if e.what == "elect"]
        middle += [self.leave(e) for e in ev if e.what == "leave"]
        thanks = [self.thank(e) for e in ev if e.what == "thank"]
        if self.m.host and rng.random() < 0.5:
            thanks.append(self.thank_orgs([self.m.host]))
        elif rng.random() < 0.15:
            thanks.append(self.thank_orgs(rng.sample(self.m.body.pool, 2) if len(self.m.body.pool) > 1
                                          else [self.m.body.pool[0]]))
        kinds = ["approve", "recommend", "acknowledge", "instruct", "recommend", "acknowledge"]
        rest = [self.filler(k) for k in rng.sample(kinds, rng.randint(1, 4))]
        out = ([self.filler("take_note")] if rng.random() < 0.4 else []) + thanks
        order = middle + rest
        rng.shuffle(order)
        out += order
        if rng.random() < 0.6 or out[-1].bare:  # unmarked lines never end the document
            out.append(self.filler("plan_meeting"))
        return out

    def finish(self) -> dict:
        """The gold facts written so far, as JSON-ready lists."""
        coop = sorted({tuple(sorted(c)) for a in self.gold.cooperation for c in combinations(a, 2) if c[0] != c[1]})
        return {"joins": self.gold.joins, "leaves": self.gold.leaves, "thanks": self.gold.thanks,
                "orgs": sorted(self.gold.orgs), "cooperation": [list(c) for c in coop], "_seen": self.gold.seen}
