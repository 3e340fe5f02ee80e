"""`kg viz` pages in headless Chromium, network blocked: drawn, searchable, filterable, inert to payloads.

Needs Debian's `chromium` at /usr/bin/chromium and Playwright for Python (never `playwright install`).
Elsewhere these tests skip, saying why; under CI (CI=true) a missing browser is a failure.
Screenshots go to tests/artifacts/.
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path

import networkx as nx
import pytest

from kg.build import build
from kg.cli import main
from kg.cli.viz import DEFAULT_CAP, DEFAULT_DEPTH
from kg.rdf.store import open_store
from kg.viz import html, timeline
from kg.viz.facts import read_facts
from kg.viz.projection import annotate, cap, focus, project

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAYLOADS = ('<img src=x onerror="window.__xss=1">', "<script>window.__xss=2</script>")
CLUB = "Клуб деловых встреч методистов Кузбасса"
# page name → (view, extra CLI options)
PAGES = {
    "cooperation": ("cooperation", []), "membership": ("membership", []), "full": ("full", []),
    "timeline": ("timeline", []), "focus": ("full", ["--focus", CLUB.upper(), "--depth", "1"]),
    "capped": ("full", ["--cap", "25"]), "cooperation-en": ("cooperation", ["--lang", "en"]),
}
NETWORK_PAGES = [name for name, (view, _) in PAGES.items() if view != "timeline"]
READY = "() => document.body.getAttribute('data-ready') === '1'"


def _playwright():
    """Playwright's sync API, or a skip (a failure under CI) saying what is missing."""
    reason = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "Playwright for Python is not installed (.venv/bin/pip install playwright)"
    if reason is None and not CHROMIUM.exists():
        reason = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run under CI: {reason}")
        pytest.skip(f"browser tests skipped: {reason}")
    return sync_playwright


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module."""
    with _playwright()() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The seeds and the payload document built into a store, and every page written by `kg viz`."""
    root = tmp_path_factory.mktemp("site")
    store = root / "store"
    docs = [ROOT / "data" / "resolutions", ROOT / "tests" / "fixtures" / "xss"]
    assert build([str(d) for d in docs], str(store)).ok
    pages = {}
    for name, (view, extra) in PAGES.items():
        out = root / f"{name}.html"
        assert main(["viz", "--view", view, "--store", str(store), "--out", str(out), *extra]) == 0
        pages[name] = out
    return {"facts": read_facts(open_store(store)), "pages": pages}


def expected(site, name: str) -> nx.Graph:
    """The projection the page NAME draws, computed through the library."""
    view, extra = PAGES[name]
    opts = dict(zip(extra[::2], extra[1::2]))
    g = project(site["facts"], view)
    if "--focus" in opts:
        g = focus(g, opts["--focus"], int(opts.get("--depth", DEFAULT_DEPTH)))
    return annotate(cap(g, int(opts.get("--cap", DEFAULT_CAP))), communities=view == "cooperation")


@contextlib.contextmanager
def visit(browser, site, name: str, shot: str):
    """Open page NAME with every non-file request aborted; afterwards no request and no console error."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    requests, errors = [], []

    def route(r):
        if not r.request.url.startswith("file:"):
            requests.append(r.request.url)
            return r.abort()
        return r.continue_()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site["pages"][name].as_uri())
    if name in NETWORK_PAGES:
        page.wait_for_function(READY, timeout=60_000)
    try:
        yield page
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"viz-{shot}.png"))
        context.close()
    assert requests == [], f"outside requests: {requests}"
    assert errors == [], f"console errors: {errors}"


def shown(page) -> tuple[int, int]:
    """How many nodes and edges vis-network draws now."""
    return tuple(page.evaluate("[network.body.data.nodes.length, network.body.data.edges.length]"))


@pytest.mark.parametrize("name", NETWORK_PAGES)
def test_network_page_draws_the_projection_offline(browser, site, name):
    g = expected(site, name)
    with visit(browser, site, name, name) as page:
        assert shown(page) == (g.number_of_nodes(), g.number_of_edges())
        assert page.evaluate("kg.nodes.length") == g.number_of_nodes()
        assert page.evaluate("window.__xss") is None


def test_timeline_draws_every_membership_offline(browser, site):
    rows = timeline.rows(site["facts"])
    with visit(browser, site, "timeline", "timeline") as page:
        assert page.locator("tr.kg-member").count() == sum(len(r) for r in rows.values())
        dated = sum(1 for rs in rows.values() for r in rs if r.start or r.end)
        assert page.locator("svg g.kg-row").count() == dated
        assert page.locator("section.kg-body").count() == len(rows)


def test_capped_and_focused_pages_say_so(browser, site):
    full = project(site["facts"], "full")
    with visit(browser, site, "capped", "capped") as page:
        note = page.locator("#kg-cap")
        assert note.is_visible() and "25" in note.inner_text()
        assert str(full.number_of_nodes()) in note.inner_text()
    with visit(browser, site, "focus", "focus") as page:
        assert CLUB in page.locator("#kg-focus").inner_text()


@pytest.mark.parametrize("query, case", [("кемерово", "lower"), ("КЕМЕРОВО", "upper"), ("Кемерово", "title")])
def test_search_finds_cyrillic_in_any_case(browser, site, query, case):
    g = expected(site, "full")
    want = query.casefold()
    matches = {n for n, lab in g.nodes(data="label") if want in lab.casefold().replace("ё", "е")}
    near = matches | {m for n in matches for m in g.neighbors(n)}
    assert matches
    with visit(browser, site, "full", f"search-{case}") as page:
        page.fill("#kg-search", query)
        assert set(page.evaluate("kg.matches")) == matches
        assert shown(page)[0] == len(near) < g.number_of_nodes()
        page.fill("#kg-search", "")
        assert shown(page)[0] == g.number_of_nodes()


def test_body_filter(browser, site):
    g = expected(site, "membership")
    club = next(n for n, lab in g.nodes(data="label") if lab == CLUB)
    keep = {n for n, bodies in g.nodes(data="bodies") if club in bodies}
    with visit(browser, site, "membership", "filter-body") as page:
        page.select_option("#kg-body", club)
        assert shown(page)[0] == len(keep) < g.number_of_nodes()
        assert set(page.evaluate("network.body.data.nodes.getIds()")) == keep


def test_type_filter_is_the_legend(browser, site):
    g = expected(site, "membership")
    people = sum(1 for _, k in g.nodes(data="kind") if k == "person")
    with visit(browser, site, "membership", "filter-type") as page:
        page.uncheck("input[data-kind][value=person]")
        assert shown(page)[0] == g.number_of_nodes() - people
        page.check("input[data-kind][value=person]")
        assert shown(page)[0] == g.number_of_nodes()


def test_year_filter(browser, site):
    g = expected(site, "full")
    years = sorted({y for _, ys in g.nodes(data="years") for y in ys})
    year = years[len(years) // 2]
    keep = {n for n, ys in g.nodes(data="years") if not ys or year in ys}
    with visit(browser, site, "full", "filter-year") as page:
        page.fill("#kg-year-from", str(year))
        page.fill("#kg-year-to", str(year))
        assert set(page.evaluate("network.body.data.nodes.getIds()")) == keep != set(g)


def _dom_point(page, node: str) -> tuple[float, float]:
    """Where NODE is on the screen, after centring the view on it."""
    page.evaluate("id => network.focus(id, {scale: 1.2, animation: false})", node)
    p = page.evaluate("id => network.canvasToDOM(network.getPositions([id])[id])", node)
    box = page.locator("#mynetwork").bounding_box()
    return box["x"] + p["x"], box["y"] + p["y"]


def test_click_highlights_the_neighbourhood(browser, site):
    g = expected(site, "membership")
    club = next(n for n, lab in g.nodes(data="label") if lab == CLUB)
    far = next(n for n in g if n != club and not g.has_edge(n, club))
    with visit(browser, site, "membership", "highlight") as page:
        page.mouse.click(*_dom_point(page, club))
        assert page.evaluate("kg.state.highlighted") == club
        colour = "id => network.body.data.nodes.get(id).color.background"
        assert page.evaluate(colour, far) == "#ececec"
        assert page.evaluate(colour, next(iter(g.neighbors(club)))) != "#ececec"
        box = page.locator("#mynetwork").bounding_box()
        page.mouse.click(box["x"] + 3, box["y"] + box["height"] - 3)
        assert page.evaluate("kg.state.highlighted") is None


def test_hovering_a_cooperation_edge_lists_its_decisions(browser, site):
    g = expected(site, "cooperation")
    a, b, _ = max(g.edges(data=True), key=lambda e: (e[2]["weight"], e[0], e[1]))
    with visit(browser, site, "cooperation", "edge-tooltip") as page:
        page.evaluate("ids => network.fit({nodes: ids, animation: false})", [a, b])
        box = page.locator("#mynetwork").bounding_box()
        pa, pb = (page.evaluate("id => network.canvasToDOM(network.getPositions([id])[id])", n) for n in (a, b))
        for share in (0.5, 0.4, 0.6, 0.3, 0.7):
            x, y = pa["x"] + share * (pb["x"] - pa["x"]), pa["y"] + share * (pb["y"] - pa["y"])
            if page.evaluate("p => network.getNodeAt(p) === undefined && network.getEdgeAt(p) !== undefined",
                             {"x": x, "y": y}):
                break
        page.mouse.move(box["x"] + x, box["y"] + y)
        tip = page.locator("div.vis-tooltip")
        tip.wait_for(state="visible")
        text = tip.inner_text()
        by_label = {lab: n for n, lab in g.nodes(data="label")}
        first, second = text.splitlines()[0].split(" — ")
        evidence = g.edges[by_label[first], by_label[second]]["evidence"]
        assert evidence
        for e in evidence[:3]:
            assert e["doc"] in text and " ".join(e["quote"].split())[:40] in text


@pytest.mark.parametrize("name", ["cooperation", "membership", "full"])
def test_payloads_stay_text(browser, site, name):
    with visit(browser, site, name, f"xss-{name}") as page:
        node = page.evaluate("kg.nodes.get({filter: n => n.label.indexOf('onerror') >= 0})[0].id")
        page.mouse.move(*_dom_point(page, node))
        tip = page.locator("div.vis-tooltip")
        tip.wait_for(state="visible")
        assert PAYLOADS[0] in tip.inner_text()
        page.fill("#kg-search", "onerror")
        assert page.evaluate("kg.matches.length") >= 1
        assert page.evaluate("window.__xss") is None
        assert page.evaluate("document.querySelectorAll('img').length") == 0
        assert page.evaluate("document.scripts.length") == 3


def test_timeline_payloads_stay_text(browser, site):
    with visit(browser, site, "timeline", "xss-timeline") as page:
        for payload in PAYLOADS:
            assert page.locator("table.kg-table td", has_text=payload).first.is_visible()
        assert page.evaluate("window.__xss") is None
        assert page.evaluate("document.querySelectorAll('img, script').length") == 0


def test_english_interface(browser, site):
    t = html.messages("en")
    with visit(browser, site, "cooperation-en", "english") as page:
        assert page.evaluate("document.documentElement.lang") == "en"
        assert page.locator("h1").inner_text() == t["titles"]["cooperation"]
        assert page.locator("label[for=kg-search]").inner_text() == t["search"]
