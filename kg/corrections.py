"""Curators' corrections (data/corrections.yaml): confirmed or overridden organisation matches, rejected
phrases and corrected person names, applied on every build."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kg.errors import KGError


@dataclass(frozen=True)
class Corrections:
    """Organisation forms mapped to keys (None = reject) and person names mapped to corrected names."""

    orgs: dict[str, str | None] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)


def load_corrections(path: Path, known_orgs) -> Corrections:
    """Read and check the corrections file; a missing file means no corrections."""
    if not path.is_file():
        return Corrections()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise KGError(f"{path}: not valid YAML: {exc}") from exc
    orgs: dict[str, str | None] = {}
    for n, e in enumerate(raw.get("organisations") or [], 1):
        if not isinstance(e, dict) or not e.get("form"):
            raise KGError(f"{path}: organisations entry {n} needs a 'form'")
        if e.get("reject"):
            orgs[e["form"]] = None
        elif e.get("key") in known_orgs:
            orgs[e["form"]] = e["key"]
        else:
            raise KGError(f"{path}: organisations entry {n} ({e['form']}): unknown key {e.get('key')!r}")
    people: dict[str, str] = {}
    for n, e in enumerate(raw.get("people") or [], 1):
        if not isinstance(e, dict) or not e.get("name") or not e.get("correct"):
            raise KGError(f"{path}: people entry {n} needs 'name' and 'correct'")
        people[e["name"]] = e["correct"]
    return Corrections(orgs, people)
