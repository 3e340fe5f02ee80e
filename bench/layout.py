"""One generated resolution as a layout of blocks: a header in one of the genre's shapes (title, date and place
line, host, topic, protocol fields), a narrative, the lead-in, the numbered decisions and the signature; with
the meeting's gold facts."""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from bench.decisions import Item, Writer
from bench.world import Meeting, World

ONLINE_FROM = 2020


@dataclass
class Layout:
    """Blocks of a document: ('line', text), ('blank',), ('items', [Item], numbering), ('sign', [(left, right)])."""

    blocks: list[tuple] = field(default_factory=list)

    def line(self, *texts: str) -> None:
        """Add lines of text."""
        self.blocks += [("line", t) for t in texts]

    def blank(self) -> None:
        """Add an empty line."""
        self.blocks.append(("blank",))


def _date_text(m: Meeting, t: dict, lang: str, rng: random.Random) -> str:
    """The meeting's date as written: '04.10.2019', '12 сентября 2019 г.', '12-13 сентября 2019 г.'."""
    d = m.date
    year_word = rng.choice(("г.", "года") if lang == "ru" else ("р.", "року"))
    if m.end and m.end.month != d.month:
        return f"{d.day} {t['months_gen'][d.month - 1]} – {m.end.day} {t['months_gen'][m.end.month - 1]} {d.year} {year_word}"
    if m.end:
        return f"{d.day}-{m.end.day} {t['months_gen'][d.month - 1]} {d.year} {year_word}"
    if rng.random() < 0.3:
        return d.strftime("%d.%m.%Y")
    day = f"{d.day:02d}" if rng.random() < 0.2 else str(d.day)
    return f"{day} {t['months_gen'][d.month - 1]} {d.year} {year_word}"


def _topic(t: dict, rng: random.Random) -> str:
    """A topic: two parts joined by a colon, or one part."""
    a = rng.choice(t["topic_a"])
    return f"{a}: {rng.choice(t['topic_b'])}" if rng.random() < 0.7 else a


def plan(world: World, m: Meeting, rng: random.Random) -> None:
    """Decide the meeting's shape: date precision, duration, host, town, online, topic."""
    b = m.body
    hosts = [k for k in ((b.owner,) if b.owner else b.pool) if world.lex.city_of(world.lex.orgs[k], b.lang)]
    r = rng.random()
    m.precision = "day" if r < 0.9 or b.kind == "roundtable" else ("year" if r < 0.97 else "none")
    if b.kind == "metsovet" and m.precision == "year":
        m.precision = "day"  # a protocol always states its day
    m.topic = _topic(world.lex.text[b.lang], rng) if b.kind != "metsovet" or rng.random() < 0.4 else None
    if m.precision == "day" and b.kind in ("club", "roundtable") and rng.random() < 0.15:
        if rng.random() < 0.3:  # the last day of a month and the first of the next
            m.date = (m.date.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        m.end = m.date + dt.timedelta(days=1)
    if m.precision == "day" and m.date.year >= ONLINE_FROM and b.kind != "roundtable" and rng.random() < 0.3:
        m.online = True
        m.host = rng.choice(hosts) if hosts and rng.random() < 0.6 else None
        m.end = None
    elif m.precision == "day" and hosts:
        m.online = False
        m.host = b.owner if b.owner else rng.choice(hosts)
        m.city = world.lex.city_of(world.lex.orgs[m.host], b.lang)


def _header(w: Writer, m: Meeting, lay: Layout, rng: random.Random) -> str:
    """Write the header; return the kind of lead-in that fits it ('plain', 'protocol', 'roundtable')."""
    b, lang, t = m.body, m.body.lang, w.t
    names = t["bodies"][b.kind]
    nom, gen = (names["old_nom"], names["old_gen"]) if "old_nom" in names and m.date.year < 2019 else \
        (names["nom"], names["gen"])
    date = _date_text(m, t, lang, rng) if m.precision == "day" else None
    town = ("г. " if lang == "ru" else "м. ") + m.city if m.city else None
    host = w.org(m.host, "nom", header=True) if m.host else None
    topic = f"«{m.topic}»" if m.topic else None
    if b.kind == "roundtable":
        if rng.random() < 0.5:
            title = [nom, topic] if lang == "ru" else [f"{nom} {topic}"]
            lay.line(*title)
            lay.blank()
            lay.line(f"{date}, {town}" if town and lang == "uk" else date)
            if town and lang == "ru":
                lay.line(f"{town}, {host}")
            elif host:
                lay.line(host)
        else:
            word = "Резолюция" if lang == "ru" else "Резолюція"
            lay.line(f"{word} {names['gen']}" if lang == "ru" else f"{word}", *([] if lang == "ru" else
                                                                                 [f"{names['gen']} {topic}"]))
            lay.blank()
            if lang == "ru":
                lay.line(f"Тема: {topic}", f"Дата: {date}", *([f"Место: {town}, {host}"] if town else []))
            else:
                lay.line(date, *([f"{town}, {host}"] if town else []))
        return "roundtable"
    protocol = b.kind == "metsovet" or (m.precision == "day" and rng.random() < 0.15)
    if b.kind == "metsovet":
        lay.line(w.org(b.owner, "nom", header=True))
        lay.blank()
        n = rng.randint(1, 9)
        lay.line(("ПРОТОКОЛ № " if rng.random() < 0.8 else "ПРОТОКОЛ N ") + str(n),
                 ("заседания " if lang == "ru" else "засідання ") + names["gen"])
        lay.blank()
    elif protocol:
        lay.line("ПРОТОКОЛ", ("заседания " if lang == "ru" else "засідання ") + gen)
        lay.blank()
    if protocol:
        fields = []
        if date:
            fields.append(("Дата проведения: " if lang == "ru" else "Дата проведення: ") + date)
        if m.online:
            fields.append("Форма проведения: онлайн, на платформе Zoom" if lang == "ru" else
                          "Форма проведення: онлайн, на платформі Zoom")
        elif town:
            extra = rng.choice(t["places_extra"])
            fields.append(("Место проведения: " if lang == "ru" else "Місце проведення: ") + f"{town}, {extra}")
        if host and b.kind != "metsovet":
            fields.append(("Организатор: " if lang == "ru" else "Організатор: ") + host)
        if topic:
            fields.append(f"Тема: {topic}")
        lay.line(*fields)
        lay.blank()
        agenda = [a.format(year=m.date.year - 1, next=m.date.year, body=names["short"]) for a in
                  rng.sample(t["agenda"], 3)]
        lay.line("Повестка:" if lang == "ru" else "Порядок денний:",
                 *[f"- {a};" for a in agenda[:-1]], f"- {agenda[-1]}.")
        return "protocol"
    shape = rng.choice(("resolution", "title_first", "meeting_of"))
    if m.precision == "year":
        m.topic = None
        lay.line(nom.upper() if rng.random() < 0.3 else nom)
        lay.blank()
        lay.line(("Решение ежегодного заседания, {} год" if lang == "ru" else "Рішення засідання, {} рік")
                 .format(m.date.year))
        return "plain"
    if m.precision == "none":
        m.topic = m.topic or _topic(t, rng)
        lay.line(nom)
        lay.blank()
        lay.line(f"«{m.topic}»")
        return "plain"
    if shape == "resolution":
        word = rng.choice(("РЕЗОЛЮЦИЯ", "Резолюция", "РЕШЕНИЕ") if lang == "ru" else ("РІШЕННЯ", "РЕЗОЛЮЦІЯ"))
        lay.line(word, ("заседания " if lang == "ru" else "засідання ") + gen)
    elif shape == "meeting_of":
        lay.line(("Заседание " if lang == "ru" else "Засідання ") + gen)
    else:
        lay.line(nom)
    lay.blank()
    if m.online:
        lay.line(date, "в режиме онлайн (платформа Zoom)" if lang == "ru" else
                 "Засідання проведено в режимі онлайн на платформі Zoom")
    elif town:
        lay.line(date + rng.choice(("\t\t\t\t", " " * 30, ", ")) + town)
    else:
        lay.line(date)
    lay.blank()
    if host:
        lay.line((("Организатор: " if lang == "ru" else "Організатор: ") if m.online else "") + host)
        lay.blank()
    if topic:
        lay.line(f"Тема: {topic}" if rng.random() < 0.7 else topic)
    return "plain"


def compose(world: World, m: Meeting, rng: random.Random, date_gold: str | None) -> tuple[Layout, dict]:
    """The layout of one resolution of meeting M and its gold facts."""
    b, t = m.body, world.lex.text[m.body.lang]
    names = t["bodies"][b.kind]
    full = names["old_gen"] if "old_gen" in names and m.date.year < 2019 else names["gen"]
    w = Writer(world, m, rng, (full, names["short"]), date_gold)
    lay = Layout()
    lead_kind = _header(w, m, lay, rng)
    lay.blank()
    sentences = rng.sample(t["narrative"], rng.randint(1, 3))
    lay.line(" ".join(s.format(n=rng.randint(12, 80), year=m.date.year - 1, next=m.date.year) for s in sentences))
    lay.blank()
    lead = rng.choice(t[f"lead_{lead_kind}"]).format(Body=names["Short"], body=names["short"])
    lay.line(lead)
    items: list[Item] = w.items()
    lay.blocks.append(("items", items, rng.choice(("1.", "1.", "1.", "1)", "1.  "))))
    gold = w.finish()
    sign = None
    if m.chair and rng.random() < 0.6:
        post = t["sign_chair"]
        lay.blank()
        lay.blocks.append(("sign", [(f"{post} {names['short']}", m.chair.name("nom", "sign"))]))
        sign = {"person": m.chair.gold("sign"), "post": post.lower()}
    meeting = {"body": b.gold, "date": date_gold, "end": m.end.isoformat() if m.end else None,
               "place": m.city, "online": m.online, "topic": m.topic}
    doc = {"meeting": meeting, "decisions": len(items), **gold}
    if m.host:
        doc["orgs"] = sorted(set(doc["orgs"]) | {m.host})
    if sign:
        doc["signatory"] = sign
    return lay, doc
