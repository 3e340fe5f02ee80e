"""`kg review`: what the build was unsure of or reconciled, each with its quote and document."""
from __future__ import annotations

import sys


def register(sub) -> None:
    """Add the `review` command."""
    p = sub.add_parser("review", help="list what the build was unsure of or reconciled",
                       description="List unreconciled organisations, fuzzy matches and known misspellings "
                                   "taken, guessed name forms, decisions of no known kind and text no rule "
                                   "consumed — each with its quote and document. Confirm or override a match "
                                   "in data/corrections.yaml; it applies on the next build.")
    p.add_argument("--store", default="out/kg", help="the store directory (default out/kg)")
    p.add_argument("--html", metavar="FILE", help="also write the review as an HTML page")
    p.add_argument("--lang", choices=("ru", "en"), default="ru", help="language of the HTML page")
    p.add_argument("--what", choices=("organisation", "name", "decision", "text"), help="only this kind of note")
    p.set_defaults(func=run)


def run(args) -> int:
    """Print the review (and write the HTML page when asked)."""
    from kg.review import format_text, review_rows, write_html

    rows = review_rows(args.store)
    if args.what:
        rows = [r for r in rows if r["what"] == args.what]
    print(format_text(rows))
    if args.html:
        write_html(rows, args.html, args.lang)
        print(f"written {args.html}", file=sys.stderr)
    return 0
