"""The website in a real browser: Playwright drives Debian's headless Chromium over HTTP.

Every page is opened once at a desktop width (1366 px) and once at a phone width (390 px); the
audit of each visit (console errors, requests to other hosts, elements wider than the screen,
figure text size, axe-core's WCAG 2.1 A/AA violations) is shared by the tests below.
"""

from __future__ import annotations

import functools
import http.server
import re
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from PIL import Image
from test_book import EXERCISES, LESSONS, toc_files

from conftest import ROOT, SiteBuild

sys.path.insert(0, str(ROOT / "book" / "_ext"))
from figure_scale import FONT_PT  # noqa: E402  (the site's own extension, not a package)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "tests" / "artifacts"
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Figure text below this many CSS pixels is unreadable; figure_scale.py aims for 9.
MIN_FIGURE_TEXT_PX = 8.0
# Text in matplotlib's SVG: glyph outlines scaled by font size / 100 (fonttype "path", the
# default), or <text> with a font size (fonttype "none"); sizes are in the SVG's user units.
SVG_GLYPHS = re.compile(r"scale\(([\d.]+) -\1\)")
SVG_FONT_SIZE = re.compile(r"font(?:-size)?:[^;\"]*?([\d.]+)px")
SVG_VIEWBOX = re.compile(r'viewBox="[\d.-]+ [\d.-]+ ([\d.]+) ')
LITE_PAGE = "lite/lab/index.html"

OVERFLOW_JS = """() => {
  const vw = document.documentElement.clientWidth;
  const scrolls = el => {
    for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX !== 'visible' || s.position === 'fixed') return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= vw + 1) continue;
    if (getComputedStyle(el).visibility === 'hidden') continue;
    if (getComputedStyle(el).position === 'fixed' || scrolls(el)) continue;
    const name = `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`;
    wide.push(`${name} right edge ${Math.round(r.right)} px`);
  }
  return {page: document.documentElement.scrollWidth, vw, wide: wide.slice(0, 8)};
}"""
FIGURES_JS = """() => [...document.querySelectorAll('main img')].map(i => ({
  src: i.src, natural: i.naturalWidth, rendered: i.getBoundingClientRect().width}))"""
AXE_JS = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(' '))}));
}"""


@dataclass
class Visit:
    """What one page showed at one width."""

    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    overflow: list[str] = field(default_factory=list)
    small_text: list[str] = field(default_factory=list)
    violations: list[dict] = field(default_factory=list)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
    }

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Keep the test output free of one line per request."""


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `folder` on 127.0.0.1 in a thread; return the server and its base URL."""
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder))
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


@pytest.fixture(scope="module")
def server(built_site: SiteBuild) -> Iterator[str]:
    """Serve the built site on 127.0.0.1 and yield its base URL."""
    httpd, url = serve(built_site.html)
    yield url
    httpd.shutdown()


def open_page(
    browser: object, base: str, path: str, visit: Visit, width: str = "desktop", dark: bool = False
) -> object:
    """Open `base/path` in a fresh context that records console errors and aborts other hosts."""
    w, h = WIDTHS[width]
    context = browser.new_context(
        viewport={"width": w, "height": h}, color_scheme="dark" if dark else "light"
    )

    def only_this_site(route: object) -> None:
        url = route.request.url
        if url.startswith((base, "data:", "blob:")):
            route.continue_()
        else:
            visit.foreign.append(url)
            route.abort()

    context.route("**/*", only_this_site)
    page = context.new_page()
    page.on(
        "console",
        lambda msg: visit.errors.append(f"{path}: {msg.text}") if msg.type == "error" else None,
    )
    page.on("pageerror", lambda exc: visit.errors.append(f"{path}: {exc}"))
    # The console's "Failed to load resource" does not say which: name it.
    page.on(
        "response",
        lambda r: (
            visit.errors.append(f"{path}: HTTP {r.status} for {r.url}") if r.status >= 400 else None
        ),
    )
    page.goto(f"{base}/{path}", wait_until="load")
    return page


def typeset(page: object) -> None:
    """Wait until MathJax (where the page has it) has typeset the page."""
    page.evaluate(
        "async () => { if (window.MathJax && MathJax.startup && MathJax.startup.promise) "
        "await MathJax.startup.promise; }"
    )


def smallest_svg_text(svg: str) -> tuple[float, float] | None:
    """(width of the viewBox, size of the smallest text) of a matplotlib SVG, or None if no text.

    Subscripts and superscripts (scaled again inside their text) are not counted.
    """
    sizes = [100 * float(s) for s in SVG_GLYPHS.findall(svg)]
    sizes += [float(s) for s in SVG_FONT_SIZE.findall(svg)]
    viewbox = SVG_VIEWBOX.search(svg)
    if not sizes or not viewbox:
        return None
    return float(viewbox.group(1)), min(sizes)


def figure_text(html: Path, page: object) -> list[str]:
    """Figures whose text renders smaller than MIN_FIGURE_TEXT_PX CSS pixels.

    An SVG's smallest text is read from the file; a PNG's tick labels are FONT_PT points at
    the resolution the PNG records.
    """
    small = []
    for image in page.evaluate(FIGURES_JS):
        file = html / unquote(urlparse(image["src"]).path).lstrip("/")
        if file.suffix == ".svg":
            found = smallest_svg_text(file.read_text())
            if found and found[1] * image["rendered"] / found[0] < MIN_FIGURE_TEXT_PX:
                size = found[1] * image["rendered"] / found[0]
                small.append(
                    f"{file.name}: smallest text {size:.1f} px "
                    f"({found[1]:g} pt at {image['rendered']:.0f} of {found[0]:.0f} pt wide)"
                )
            continue
        if file.suffix != ".png" or not image["natural"]:
            continue
        with Image.open(file) as png:
            dpi = float(png.info.get("dpi", (72.0, 72.0))[0])
        text_px = FONT_PT * dpi / 72.0 * image["rendered"] / image["natural"]
        if text_px < MIN_FIGURE_TEXT_PX:
            small.append(
                f"{file.name}: {text_px:.1f} px "
                f"(shown {image['rendered']:.0f} of {image['natural']} px)"
            )
    return small


def site_pages(html: Path) -> list[str]:
    """Every page of the site: the toc's, search and the index, and the lite copy's where built."""
    pages = [f"{name}.html" for name in toc_files()] + ["search.html", "genindex.html"]
    return pages + ([LITE_PAGE] if (html / LITE_PAGE).is_file() else [])


@pytest.fixture(scope="module")
def audits(browser: object, server: str, built_site: SiteBuild) -> dict[tuple[str, str], Visit]:
    """Visit every page at both widths once; keep what each visit found."""
    results: dict[tuple[str, str], Visit] = {}
    for width in WIDTHS:
        for path in site_pages(built_site.html):
            visit = Visit()
            page = open_page(browser, server, path, visit, width)
            if path == LITE_PAGE:
                page.wait_for_selector(".jp-LabShell", timeout=60_000)
            else:
                assert page.locator("main h1").count() >= 1, f"{path} has no heading"
                typeset(page)
                layout = page.evaluate(OVERFLOW_JS)
                if layout["page"] > layout["vw"] + 1:
                    visit.overflow.append(
                        f"the page is {layout['page']} px wide in a {layout['vw']} px viewport"
                    )
                visit.overflow += layout["wide"]
                visit.small_text = figure_text(built_site.html, page)
            page.add_script_tag(path=str(AXE))
            visit.violations = page.evaluate(AXE_JS, AXE_TAGS)
            results[(path, width)] = visit
            page.context.close()
    counts = {
        w: sum(len(v.violations) for (p, vw), v in results.items() if vw == w) for w in WIDTHS
    }
    serious = {
        w: sum(
            len(x["nodes"])
            for (p, vw), v in results.items()
            if vw == w
            for x in v.violations
            if x["impact"] in ("serious", "critical")
        )
        for w in WIDTHS
    }
    print(
        f"\naxe-core WCAG 2.1 A/AA on {len(site_pages(built_site.html))} pages: "
        f"rules violated {counts}, "
        f"serious/critical elements {serious}"
    )
    return results


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_serious_violation(audits: dict[tuple[str, str], Visit], width: str) -> None:
    found = [
        f"{path}: {v['id']} ({v['impact']}) {v['help']}: {', '.join(v['nodes'][:3])}"
        for (path, w), visit in audits.items()
        if w == width
        for v in visit.violations
        if v["impact"] in ("serious", "critical")
    ]
    assert not found, (
        f"axe-core at {width} width, serious or critical WCAG 2.1 AA violations:\n"
        + "\n".join(found)
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_pages_log_no_console_error_and_stay_on_the_site(
    audits: dict[tuple[str, str], Visit], width: str
) -> None:
    errors = [e for (p, w), v in audits.items() if w == width for e in v.errors]
    foreign = [f"{p}: {u}" for (p, w), v in audits.items() if w == width for u in v.foreign]
    assert not errors, f"console errors at {width} width:\n" + "\n".join(errors)
    assert not foreign, f"requests to other hosts at {width} width (aborted):\n" + "\n".join(
        foreign
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_nothing_is_wider_than_the_screen(audits: dict[tuple[str, str], Visit], width: str) -> None:
    wide = [f"{p}: {o}" for (p, w), v in audits.items() if w == width for o in v.overflow]
    assert not wide, (
        f"elements wider than the {WIDTHS[width][0]}-px viewport outside any scroll box:\n"
        + "\n".join(wide)
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_figure_text_stays_readable(audits: dict[tuple[str, str], Visit], width: str) -> None:
    checked = [p for (p, w) in audits if w == width and p.endswith("lesson.html")]
    assert checked, "no lesson page was audited"
    small = [f"{p}: {s}" for (p, w), v in audits.items() if w == width for s in v.small_text]
    assert not small, f"figure text under {MIN_FIGURE_TEXT_PX} px at {width} width:\n" + "\n".join(
        small
    )


def test_keyboard_reaches_every_link_and_the_browser_button(browser: object, server: str) -> None:
    page = open_page(browser, server, f"{EXERCISES[-1]}.html", Visit())
    wanted = set(
        page.locator("main a[href]:visible").evaluate_all("links => links.map(a => a.href)")
    )
    reached: set[str] = set()
    for _ in range(400):
        page.keyboard.press("Tab")
        href = page.evaluate("document.activeElement && document.activeElement.href || ''")
        reached.add(href)
        if wanted <= reached:
            break
    assert any("lite/lab/index.html" in href for href in reached), (
        "Tab never reaches 'Work in your browser'"
    )
    assert wanted <= reached, f"links Tab never reaches: {sorted(wanted - reached)[:10]}"
    page.context.close()


def test_sidebar_lists_every_chapter(browser: object, server: str) -> None:
    page = open_page(browser, server, "book/intro.html", Visit())
    hrefs = page.locator("nav.bd-docs-nav a").evaluate_all("links => links.map(a => a.href)")
    for lesson in LESSONS:
        assert any(href.endswith(f"{lesson}.html") for href in hrefs), (
            f"sidebar lacks {lesson}: {hrefs}"
        )
    page.context.close()


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_figures_load_and_math_is_typeset(browser: object, server: str, lesson: str) -> None:
    page = open_page(browser, server, f"{lesson}.html", Visit())
    images = page.locator("main img").evaluate_all(
        "imgs => imgs.map(i => "
        "({src: i.src, ok: i.complete && i.naturalWidth > 0 && i.naturalHeight > 0}))"
    )
    assert images, f"{lesson} shows no figure"
    broken = [image["src"] for image in images if not image["ok"]]
    assert not broken, f"{lesson}: figures that did not load: {broken}"
    page.wait_for_selector("mjx-container", timeout=20_000)
    assert page.locator("mjx-container").count() > 0, f"{lesson}: MathJax typeset nothing"
    assert page.locator("mjx-container mjx-assistive-mml").count() > 0, (
        f"{lesson}: MathJax's assistive output is off"
    )
    page.context.close()


def test_search_finds_backpropagation_in_the_training_chapter(browser: object, server: str) -> None:
    page = open_page(browser, server, "search.html?q=backpropagation", Visit())
    page.wait_for_selector("#search-results ul.search li", timeout=20_000)
    hits = page.locator("#search-results ul.search li a").evaluate_all(
        "links => links.map(a => a.href)"
    )
    assert any("04_training/lesson.html" in href for href in hits), f"search hits: {hits}"
    page.context.close()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_screenshot_of_a_lesson(browser: object, server: str, dark: bool) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page = open_page(browser, server, "book/02_neurons/lesson.html", Visit(), width, dark=dark)
        page.wait_for_selector("mjx-container", timeout=20_000)
        theme = page.evaluate("document.documentElement.dataset.theme")
        assert theme == ("dark" if dark else "light"), f"theme did not follow the system: {theme}"
        path = ARTIFACTS / f"lesson_02_{'dark' if dark else 'light'}_{width}.png"
        page.screenshot(path=str(path), full_page=False)
        assert path.stat().st_size > 10_000, f"screenshot {path} is suspiciously small"
        page.context.close()
