"""The curator's review: what the build was unsure of or reconciled, with quote and document."""
from __future__ import annotations

import html
from pathlib import Path

from kg.rdf.store import open_store, read_manifest

COLUMNS = ("document", "item", "what", "method", "label", "key", "quote")
TITLES = {
    "ru": ("Проверка графа", "документ", "пункт", "что", "как", "название", "ключ", "цитата"),
    "en": ("Review", "document", "item", "what", "method", "label", "key", "quote"),
}


def review_rows(store_path: str) -> list[dict]:
    """Every review note of every document in the store, sorted by document and item."""
    open_store(store_path)  # a missing or foreign store is a clear error
    rows = []
    for name, meta in sorted(read_manifest(store_path).get("documents", {}).items()):
        for note in meta.get("review", []):
            rows.append({"document": name, **{k: note.get(k) for k in COLUMNS if k != "document"}})
        for line, text in meta.get("unconsumed", []):
            rows.append({"document": name, "item": f"line {line}", "what": "text", "method": "not understood",
                         "label": text, "key": None, "quote": text})
    return rows


def format_text(rows: list[dict]) -> str:
    """The review as lines for a terminal: one note per line, quote last."""
    out = []
    for r in rows:
        target = f" → {r['key']}" if r.get("key") and not str(r["key"]).startswith("x-") else ""
        out.append(f"{r['document']} [{r['item']}] {r['what']} ({r['method']}): {r['label']}{target} "
                   f"— «{(r.get('quote') or '')[:160]}»")
    out.append(f"{len(rows)} note(s)")
    return "\n".join(out)


def write_html(rows: list[dict], path: str | Path, lang: str = "ru") -> None:
    """The review as a self-contained HTML page (every value escaped)."""
    t = TITLES.get(lang, TITLES["en"])
    head = "".join(f"<th>{html.escape(c)}</th>" for c in t[1:])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(r.get(c) or ''))}</td>" for c in COLUMNS) + "</tr>"
                   for r in rows)
    page = (f"<!DOCTYPE html><html lang=\"{html.escape(lang)}\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
            f"<title>{html.escape(t[0])}</title><style>body{{font:14px sans-serif}}table{{border-collapse:collapse}}"
            "td,th{border:1px solid #ccc;padding:4px;vertical-align:top}</style></head>"
            f"<body><h1>{html.escape(t[0])}</h1><table><tr>{head}</tr>{body}</table></body></html>")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(page, encoding="utf-8")
