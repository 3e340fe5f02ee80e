"""List numbers as Word draws them: counters per abstract list and level, labels such as '1.', 'а)', '2.1.'.

Word keeps auto-numbers out of the text, so a reader must count. The counting follows ECMA-376
§17.9 as Word applies it: numbering instances (w:num) that share an abstract definition share its
counters; an instance's w:startOverride restarts a level the first time the instance is used;
a level restarts whenever a shallower level of the same list advances.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from docx.oxml.ns import qn

BULLET = "·"
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")
_PLACEHOLDER = re.compile(r"%([1-9])")
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
_LATIN = "abcdefghijklmnopqrstuvwxyz"
_RUSSIAN = "абвгдежзиклмнопрстуфхцчшщэюя"  # Word's russianLower: no ё, й, ъ, ы, ь


def _letters(n: int, alphabet: str) -> str:
    """1 → a, 26 → z, 27 → aa (as lists and spreadsheets count)."""
    out = ""
    while n > 0:
        n, rest = divmod(n - 1, len(alphabet))
        out = alphabet[rest] + out
    return out


def _roman(n: int) -> str:
    out = ""
    for value, digits in _ROMAN:
        count, n = divmod(n, value)
        out += digits * count
    return out


def format_number(n: int, fmt: str) -> str:
    """A counter in a Word numFmt or HTML list type; unknown formats fall back to decimal.

    >>> [format_number(4, f) for f in ("decimal", "lowerLetter", "upperRoman", "russianLower", "decimalZero")]
    ['4', 'd', 'IV', 'г', '04']
    """
    if fmt in ("none", "bullet"):
        return ""
    if n <= 0 or fmt in ("decimal", "1"):
        return str(n)
    table = {
        "decimalZero": lambda: f"{n:02d}",
        "lowerLetter": lambda: _letters(n, _LATIN),
        "upperLetter": lambda: _letters(n, _LATIN).upper(),
        "lowerRoman": lambda: _roman(n),
        "upperRoman": lambda: _roman(n).upper(),
        "russianLower": lambda: _letters(n, _RUSSIAN),
        "russianUpper": lambda: _letters(n, _RUSSIAN).upper(),
    }
    return table[fmt]() if fmt in table else str(n)


@dataclass(frozen=True)
class Level:
    """One level of a list definition: number format, label template ('%1.'), first value."""

    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass
class Instance:
    """A numbering instance (w:num): its abstract definition and per-level overrides."""

    abstract_id: str
    starts: dict[int, int] = field(default_factory=dict)
    levels: dict[int, Level] = field(default_factory=dict)


def _val(el, tag: str) -> str | None:
    """The w:val of a child element, or None."""
    child = el.find(qn(tag)) if el is not None else None
    return child.get(qn("w:val")) if child is not None else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _level(lvl) -> tuple[int, Level]:
    ilvl = _int(lvl.get(qn("w:ilvl")), 0)
    fmt = _val(lvl, "w:numFmt") or "decimal"
    text = _val(lvl, "w:lvlText")
    return ilvl, Level(fmt=fmt, text=f"%{ilvl + 1}." if text is None else text,
                       start=_int(_val(lvl, "w:start"), 1))


class WordNumbering:
    """The list definitions of one document and the running counters while its paragraphs are read."""

    def __init__(self, numbering, styles):
        """Parse w:numbering and w:styles elements (either may be None)."""
        self.styles: dict[str, tuple[str | None, str | None, str | None]] = {}
        for style in styles.iterfind(qn("w:style")) if styles is not None else ():
            num_pr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            self.styles[style.get(qn("w:styleId"), "")] = (
                _val(num_pr, "w:numId"), _val(num_pr, "w:ilvl"), _val(style, "w:basedOn"))
        self.abstracts: dict[str, dict[int, Level]] = {}
        links: dict[str, str] = {}
        self.instances: dict[str, Instance] = {}
        for el in numbering.iterfind(qn("w:abstractNum")) if numbering is not None else ():
            abstract_id = el.get(qn("w:abstractNumId"), "")
            self.abstracts[abstract_id] = dict(_level(lvl) for lvl in el.iterfind(qn("w:lvl")))
            link = _val(el, "w:numStyleLink")
            if link:
                links[abstract_id] = link
        for el in numbering.iterfind(qn("w:num")) if numbering is not None else ():
            inst = Instance(abstract_id=_val(el, "w:abstractNumId") or "")
            for override in el.iterfind(qn("w:lvlOverride")):
                ilvl = _int(override.get(qn("w:ilvl")), 0)
                start = _val(override, "w:startOverride")
                if start is not None:
                    inst.starts[ilvl] = _int(start, 1)
                lvl = override.find(qn("w:lvl"))
                if lvl is not None:
                    inst.levels[ilvl] = _level(lvl)[1]
            self.instances[el.get(qn("w:numId"), "")] = inst
        for abstract_id, style_id in links.items():  # a list style: use the definition it points to
            num_id = self._style_num_pr(style_id)[0]
            target = self.instances.get(num_id or "")
            if target is not None and target.abstract_id in self.abstracts:
                self.abstracts[abstract_id] = self.abstracts[target.abstract_id]
        self.counters: dict[str, dict[int, int]] = {}
        self.used: set[str] = set()

    def _style_num_pr(self, style_id: str | None) -> tuple[str | None, str | None]:
        """numId and ilvl that a paragraph style gives, following w:basedOn."""
        num_id = ilvl = None
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self.styles:
            seen.add(style_id)
            s_num, s_ilvl, based_on = self.styles[style_id]
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_ilvl
            style_id = based_on
        return num_id, ilvl

    def label(self, p) -> str:
        """The label Word draws before paragraph p ('1. ', '· ' or ''), advancing the counters."""
        ppr = p.find(qn("w:pPr"))
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        num_id, ilvl = _val(num_pr, "w:numId"), _val(num_pr, "w:ilvl")
        if num_id is None or ilvl is None:
            s_num, s_ilvl = self._style_num_pr(_val(ppr, "w:pStyle"))
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_ilvl
        if num_id is None or num_id == "0":
            return ""
        return self.next_label(num_id, _int(ilvl, 0))

    def _level_of(self, inst: Instance, ilvl: int) -> Level | None:
        return inst.levels.get(ilvl) or self.abstracts.get(inst.abstract_id, {}).get(ilvl)

    def next_label(self, num_id: str, ilvl: int) -> str:
        """Advance list num_id at level ilvl and return its label followed by a space."""
        inst = self.instances.get(num_id)
        lvl = self._level_of(inst, ilvl) if inst else None
        if inst is None or lvl is None:
            return ""
        counters = self.counters.setdefault(inst.abstract_id, {})
        if num_id not in self.used:
            self.used.add(num_id)
            for overridden in inst.starts:
                counters.pop(overridden, None)

        def start(level: int) -> int:
            if level in inst.starts:
                return inst.starts[level]
            found = self._level_of(inst, level)
            return found.start if found else 1

        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start(ilvl)
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if lvl.fmt == "bullet":
            mark = _PRIVATE_USE.sub(BULLET, lvl.text.strip()) or BULLET
            return mark + " "

        def number(m: re.Match[str]) -> str:
            level = int(m.group(1)) - 1
            found = self._level_of(inst, level)
            return format_number(counters.get(level, start(level)), found.fmt if found else "decimal")

        label = _PLACEHOLDER.sub(number, lvl.text).strip()
        return label + " " if label else ""
