"""What every offline page shares: interface strings, the escaping Jinja environment, CSP, JSON blocks."""
from __future__ import annotations

import base64
import functools
import hashlib
import importlib.resources
import json
from pathlib import Path

import yaml
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from kg.errors import KGError

LANGS = ("ru", "en")
_JSON_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                               "\u2029": "\\u2029"})


@functools.cache
def _all_messages() -> dict:
    """The interface strings of every language, read once from templates/messages.yaml (cached)."""
    text = importlib.resources.files("kg.viz").joinpath("templates/messages.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def messages(lang: str) -> dict:
    """The interface strings for LANG (ru or en)."""
    if lang not in LANGS:
        raise KGError(f"unknown interface language {lang!r}; choose one of {', '.join(LANGS)}")
    return _all_messages()[lang]


@functools.cache
def environment() -> Environment:
    """The Jinja environment of kg's page templates, autoescaping everything (cached: templates load once)."""
    return Environment(loader=PackageLoader("kg.viz", "templates"),
                       autoescape=select_autoescape(default=True), trim_blocks=True, lstrip_blocks=True)


def template_text(name: str) -> str:
    """A static asset (script or style) shipped beside the templates."""
    return importlib.resources.files("kg.viz").joinpath(f"templates/{name}").read_text(encoding="utf-8")


def csp_hash(text: str) -> str:
    """The CSP source expression that allows exactly this inline script or style."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def csp(scripts: list[str], styles: list[str]) -> str:
    """A Content-Security-Policy allowing only the given inline scripts and styles, and no request at all."""
    script_src = " ".join(csp_hash(s) for s in scripts) or "'none'"
    style_src = " ".join(csp_hash(s) for s in styles) or "'none'"
    return (f"default-src 'none'; script-src {script_src}; style-src {style_src}; img-src data:; "
            "base-uri 'none'; form-action 'none'")


def inline(text: str) -> Markup:
    """Script or style text to inline as it is; refuses text that could close its element early."""
    if "</script" in text.lower() or "</style" in text.lower() or "<!--" in text:
        raise ValueError("inline asset contains a closing tag or comment opener")
    return Markup(text)


def json_block(value: object) -> Markup:
    """JSON for an application/json script block: UTF-8 kept, < > & escaped so no tag can close it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return Markup(text.translate(_JSON_ESCAPES))


def write_text(path: str | Path, text: str) -> Path:
    """Write a page as UTF-8, creating its folder."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p
