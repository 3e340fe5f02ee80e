"""`kg viz`: write an offline network page, a membership timeline, or a network file for Gephi."""
from __future__ import annotations

import sys

from kg.errors import KGError
from kg.rdf.store import open_store
from kg.viz import netfile, page, timeline
from kg.viz.facts import read_facts
from kg.viz.html import LANGS
from kg.viz.projection import VIEWS, annotate, cap, focus, project
from kg.viz.records import gc_paused

DEFAULT_STORE = "out/kg"
DEFAULT_VIEW = "cooperation"
DEFAULT_CAP = 1000
DEFAULT_DEPTH = 2
FORMATS = ("html", "graphml", "gexf")


def register(sub) -> None:
    """Add the `viz` command."""
    p = sub.add_parser(
        "viz", help="write an offline network page, a membership timeline or a Gephi file",
        description="Write one self-contained HTML page (works offline: no request to any host) showing a "
                    "view of the graph: cooperation (organisations named together in decisions), membership "
                    "(people, bodies and their organisations), full (everything, capped), or timeline (who "
                    "joined and left each body when). --format graphml|gexf writes the view's network for "
                    "Gephi instead.")
    p.add_argument("--view", choices=(*VIEWS, "timeline"), default=DEFAULT_VIEW,
                   help=f"what to draw (default {DEFAULT_VIEW})")
    p.add_argument("--focus", metavar="IRI_OR_LABEL",
                   help="draw only the neighbourhood of this body, person or organisation")
    p.add_argument("--depth", type=int, default=DEFAULT_DEPTH,
                   help=f"steps around --focus to include (default {DEFAULT_DEPTH})")
    p.add_argument("--max-nodes", "--cap", dest="max_nodes", type=int, default=DEFAULT_CAP, metavar="N",
                   help=f"draw at most N nodes, the most connected (PageRank over the edge weights); the page "
                        f"says how many it left out (default {DEFAULT_CAP}, which a browser draws smoothly; "
                        f"0: no limit). --cap is the older name")
    p.add_argument("--lang", choices=LANGS, default="ru", help="interface language (default ru)")
    p.add_argument("--format", choices=FORMATS, default="html", help="html page (default), graphml or gexf")
    p.add_argument("--out", metavar="FILE", help="output file (default out/VIEW.html, .graphml or .gexf)")
    p.add_argument("--store", default=DEFAULT_STORE, help=f"the store directory (default {DEFAULT_STORE})")
    p.set_defaults(func=run)


def run(args) -> int:
    """Project the store, apply focus and cap, and write the page or network file."""
    with gc_paused():  # a short run that makes millions of records and leaves few cycles behind
        return _run(args)


def _run(args) -> int:
    """The body of `run`."""
    if args.view == "timeline" and args.format != "html":
        raise KGError("the timeline is a page: use --format html (or a network view for graphml/gexf)")
    if args.view == "timeline" and args.focus:
        raise KGError("--focus applies to the network views, not to the timeline")
    out = args.out or f"out/{args.view}.{args.format}"
    store = open_store(args.store)
    facts = read_facts(store, args.view)
    if args.view == "timeline":
        path = timeline.write(facts, out, lang=args.lang)
        print(f"kg viz: wrote the timeline to {path}", file=sys.stderr)
        return 0
    if args.focus:
        g = cap(focus(project(facts, args.view), args.focus, args.depth), args.max_nodes)
    else:
        g = project(facts, args.view, args.max_nodes)
    g = annotate(g, communities=args.view == "cooperation")
    if g.graph.get("capped"):
        print(f"kg viz: note: showing {g.number_of_nodes()} of {g.graph['total']} nodes (--max-nodes "
              f"{args.max_nodes}); narrow the view with --focus or raise --max-nodes", file=sys.stderr)
    if args.format == "html":
        path = page.write(g, out, lang=args.lang)
    else:
        path = netfile.write(g, out, args.format)
    print(f"kg viz: wrote {g.number_of_nodes()} nodes and {g.number_of_edges()} edges ({args.view}) "
          f"to {path}", file=sys.stderr)
    return 0
