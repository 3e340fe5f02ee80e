"""The membership timeline: for each body, who joined and left when, as an offline HTML page with SVG.

The page has no script at all; every text from the documents goes through Jinja's autoescape (also
inside SVG `<title>` tooltips), and its Content-Security-Policy allows only its own style.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from kg.viz import html
from kg.viz.records import Facts, periods

LABEL_WIDTH = 300
CHART_WIDTH = 760
ROW_HEIGHT = 22
AXIS_HEIGHT = 26
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True)
class Row:
    """One membership on the timeline."""

    person: str
    name: str
    org: str
    role: str
    start: str
    end: str
    doc: str
    quote: str
    end_doc: str


def position(date: str) -> float | None:
    """A date (YYYY, YYYY-MM or YYYY-MM-DD) as a fractional year; None when there is none."""
    m = _DATE.match(date or "")
    if not m:
        return None
    year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    try:
        day_of_year = dt.date(year, month, day).timetuple().tm_yday
    except ValueError:
        day_of_year = 1
    return year + (day_of_year - 1) / 366


def rows(facts: Facts) -> dict[str, list[Row]]:
    """Memberships grouped by body IRI, each list ordered by start date and name."""
    out: dict[str, list[Row]] = {}
    for m in periods(facts.memberships):
        est = facts.items.get(m.established)
        term = facts.items.get(m.terminated)
        start = m.start or (facts.item_date(m.established) if m.established else "")
        end = m.end or (facts.item_date(m.terminated) if m.terminated else "")
        out.setdefault(m.body, []).append(Row(
            person=m.person, name=facts.label(m.person), org=facts.label(m.org) if m.org else "",
            role=m.role or "member", start=start, end=end, doc=est.doc if est else "",
            quote=m.quote or (est.text if est else ""), end_doc=term.doc if term else ""))
    return {b: sorted(rs, key=lambda r: (r.start or "9999", r.name)) for b, rs in sorted(out.items())}


def _axis(all_rows: list[Row]) -> tuple[int, int]:
    """The first and last year the chart shows (one past the latest date, at least two years)."""
    points = [p for r in all_rows for p in (position(r.start), position(r.end)) if p is not None]
    if not points:
        return 0, 0
    first, last = int(min(points)), int(max(points)) + 1
    return first, max(last, first + 2)


def chart(body_rows: list[Row], first: int, last: int, t: dict) -> dict:
    """The geometry of one body's chart: dated rows with bar coordinates, undated rows, year ticks."""
    span = max(last - first, 1)

    def x(p: float) -> float:
        return round(LABEL_WIDTH + (p - first) / span * CHART_WIDTH, 1)

    dated, undated = [], []
    for r in body_rows:
        s, e = position(r.start), position(r.end)
        if s is None and e is None:
            undated.append(r)
            continue
        x0 = x(s) if s is not None else LABEL_WIDTH
        x1 = x(e) if e is not None else LABEL_WIDTH + CHART_WIDTH
        y = AXIS_HEIGHT + len(dated) * ROW_HEIGHT
        role = t["roles"].get(r.role, r.role)
        tip = "\n".join(x for x in (
            r.name, ", ".join(v for v in (role, r.org) if v),
            " ".join(v for v in (t["joined"] + ":", r.start or t["no_date"]) if v),
            f"{t['left']}: {r.end}" if r.end else "", f"{r.doc}: «{r.quote}»" if r.doc else "",
            r.end_doc) if x)
        dated.append({"row": r, "y": y, "x0": x0, "x1": max(x1, x0 + 3), "joined": s is not None,
                      "left": e is not None, "role": role, "tip": tip})
    ticks = [{"year": yr, "x": x(yr)} for yr in range(first, last + 1)]
    height = AXIS_HEIGHT + max(len(dated), 1) * ROW_HEIGHT + 8
    return {"dated": dated, "undated": undated, "ticks": ticks, "height": height,
            "width": LABEL_WIDTH + CHART_WIDTH + 20}


def render(facts: Facts, lang: str = "ru") -> str:
    """The timeline page."""
    t = html.messages(lang)
    by_body = rows(facts)
    first, last = _axis([r for rs in by_body.values() for r in rs])
    bodies = [{"iri": b, "label": facts.label(b), "chart": chart(rs, first, last, t), "count": len(rs),
               "rows": rs}
              for b, rs in sorted(by_body.items(), key=lambda kv: facts.label(kv[0]))]
    css = html.template_text("timeline.css")
    return html.environment().get_template("timeline.html").render(
        lang=lang, t=t, title=t["titles"]["timeline"], bodies=bodies, css=html.inline(css),
        csp=html.csp([], [css]), label_width=LABEL_WIDTH)


def write(facts: Facts, path: str | Path, lang: str = "ru") -> Path:
    """Write the timeline page to PATH."""
    return html.write_text(path, render(facts, lang))
