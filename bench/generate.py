"""Generate a corpus: N resolutions of the simulated bodies in DIR/docs and their gold facts in DIR/gold.json
(the format of the scorer's gold file), the same bytes for the same N and seed."""
from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bench.formats import FORMATS, render
from bench.layout import compose, plan
from bench.lexicon import Lexicon, load_lexicon
from bench.world import World

BODIES = {
    "council": ["совет директоров"],
    "club": ["клуб деловых встреч методистов"],
    "rada": ["рада директорів", "ради директорів"],
    "metsovet": ["методический совет", "методического совета"],
    "metodrada": ["методична рада", "методичної ради"],
    "roundtable_kem": ["круглый стол", "круглого стола"],
    "roundtable_dn": ["круглий стіл", "круглого столу"],
}
MAX_CROSS = 400


@dataclass(frozen=True)
class Corpus:
    """A generated corpus: where its documents and gold are, and how many bytes the documents take."""

    docs: Path
    gold: Path
    files: tuple[Path, ...]
    size: int


def _org_groups(lex: Lexicon) -> dict[str, list[str]]:
    """The scorer's name groups of every organisation: label, aliases and former names."""
    return {k: list(dict.fromkeys([*o.names, *(h for h, _ in o.historic)])) for k, o in sorted(lex.orgs.items())}


def _cross(seen: dict[int, list[tuple[str, str, str]]]) -> list[list[str]]:
    """Pairs of mentions of one person (same gold name) in two documents, for the cross-document measure."""
    out = []
    for pid in sorted(seen):
        by_name: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for kind, doc, name in seen[pid]:
            by_name[name].append((kind, doc))
        for name, hits in sorted(by_name.items()):
            docs = list(dict.fromkeys(hits))
            if len({d for _, d in docs}) > 1:
                (k1, d1), (k2, d2) = docs[0], next(h for h in docs if h[1] != docs[0][1])
                out.append([name, k1, d1, k2, d2])
    return out[:MAX_CROSS]


def generate(n: int, seed: int, out: Path, lex: Lexicon | None = None) -> Corpus:
    """Write N documents to OUT/docs and their gold to OUT/gold.json; deterministic for SEED."""
    lex = lex or load_lexicon()
    rng = random.Random(seed)
    world = World(lex, rng)
    docs_dir = out / "docs"
    docs_dir.mkdir(parents=True, exist_ok=True)
    for old in docs_dir.iterdir():
        if old.is_file():
            old.unlink()
    documents: dict[str, dict] = {}
    seen: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    files, size = [], 0
    for i, (body, date) in enumerate(world.schedule(n)):
        m = world.meeting(body, date)
        plan(world, m, rng)
        date = m.date
        date_gold = {"day": date.isoformat(), "year": str(date.year), "none": None}[m.precision]
        lay, gold = compose(world, m, rng, date_gold)
        appear = gold.pop("_seen", [])
        fmt = rng.choice(FORMATS)
        title = next((b[1] for b in lay.blocks if b[0] == "line"), "")
        data, ext = render(lay, fmt, body.lang, title)
        stamp = date.isoformat() if m.precision == "day" else (str(date.year) if m.precision == "year" else "nd")
        name = f"{i:05d}_{body.bid}_{stamp}.{ext}"
        (docs_dir / name).write_bytes(data)
        files.append(docs_dir / name)
        size += len(data)
        documents[name] = gold
        for pid, kind, person in appear:
            seen[pid].append((kind, name, person))
    gold_all = {"version": 1, "seed": seed, "bodies": BODIES, "orgs": _org_groups(lex), "documents": documents,
                "cross": {"same_person": _cross(seen)}}
    gold_path = out / "gold.json"
    gold_path.write_text(json.dumps(gold_all, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return Corpus(docs_dir, gold_path, tuple(files), size)
