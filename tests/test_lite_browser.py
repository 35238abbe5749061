"""The JupyterLite copy in a real browser: every chapter's exercises run offline in Pyodide.

For every chapter present: the release notebook's Run All stops at the first stub's
NotImplementedError (never a NameError), as on the desktop, and the notebook's self-check cell,
run on its own, reports every exercise "not attempted"; a solved copy (the master, built into a
lite copy in a temporary folder for this test only, never shipped) passes every test cell and
its self-check reports every exercise passed. Any request to another host is aborted and fails
the test. The seconds to kernel ready
and for Run All are printed (targets: 20 s and 5 s on the reference machine; not asserted).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

import nbformat
import pytest
from test_site_browser import Visit, open_page, serve

from conftest import ROOT, SiteBuild
from dld.course import master_notebook
from dld.paths import master_path

sys.path.insert(0, str(ROOT / "book" / "_ext"))
from lite_copy import LITE_DIR, chapters, lite_url, run_lite_build, write_lite_dir  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHAPTERS = chapters(ROOT)
KERNEL_READY_JS = (
    "() => /Pyodide[^|]*\\| Idle/"
    ".test(document.querySelector('#jp-main-statusbar')?.innerText || '')"
)
PROMPTS_JS = (
    "() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]"
    ".map(e => e.innerText.trim())"
)
IDLE_JS = f"() => !({PROMPTS_JS})().some(p => p.includes('*')) && ({KERNEL_READY_JS})()"
SELF_CHECK_DONE_JS = (
    "() => /total: /.test([...document.querySelectorAll('.jp-CodeCell')].pop().innerText)"
)
TRACEBACKS_JS = """() => [...document.querySelectorAll(
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
  .map(e => e.innerText).filter(t => t.includes('Traceback') || /\\w+Error\\b/.test(t))"""


@pytest.fixture(scope="module")
def lite_server(built_site: SiteBuild) -> Iterator[str]:
    if not (built_site.html / LITE_DIR / "lab" / "index.html").is_file():
        pytest.fail(
            "the site has no JupyterLite copy (see the build's 'JupyterLite copy left out' line)"
        )
    httpd, url = serve(built_site.html)
    yield url
    httpd.shutdown()


@pytest.fixture(scope="module")
def solved_server(built_site: SiteBuild, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A lite copy of the masters (solutions and hidden tests), built in a temporary folder."""
    work = tmp_path_factory.mktemp("solved-lite")
    notebooks = {}
    for chapter in CHAPTERS:
        path = work / "notebooks" / f"{chapter}.ipynb"
        path.parent.mkdir(exist_ok=True)
        nbformat.write(master_notebook(master_path(chapter)), path)
        notebooks[f"{chapter}/exercises.ipynb"] = path
    write_lite_dir(work / "site", notebooks, built_site.html / LITE_DIR / "static" / "pyodide")
    run_lite_build(work / "site", work / "html" / LITE_DIR)
    httpd, url = serve(work / "html")
    yield url
    httpd.shutdown()


@dataclass
class LiteRun:
    """What one Run All of a chapter's notebook in the lite copy showed."""

    visit: Visit
    prompts: list[str]
    tracebacks: list[str]
    self_check: str


def run_all(browser: object, base: str, chapter: str, check_alone: bool) -> LiteRun:
    """Open a chapter's notebook in the lite copy and Run All; then, if `check_alone`, run the
    self-check cell (the last) on its own, as a learner with stubs left does."""
    visit = Visit()
    started = time.perf_counter()
    page = open_page(browser, base, lite_url(chapter), visit)
    page.wait_for_function(KERNEL_READY_JS, timeout=240_000, polling=250)
    ready = time.perf_counter() - started
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").click()
    page.get_by_text("Run All Cells", exact=True).click()
    clicked = time.perf_counter()
    page.wait_for_function(
        f"() => ({PROMPTS_JS})().some(p => /\\[\\d+\\]/.test(p))", timeout=120_000, polling=100
    )
    page.wait_for_function(IDLE_JS, timeout=300_000, polling=100)
    ran = time.perf_counter() - clicked
    prompts, tracebacks = page.evaluate(PROMPTS_JS), page.evaluate(TRACEBACKS_JS)
    last = page.locator(".jp-CodeCell").last
    if check_alone:
        last.locator(".jp-InputArea-editor").click()
        page.keyboard.press("Control+Enter")
        page.wait_for_function(SELF_CHECK_DONE_JS, timeout=300_000, polling=100)
        page.wait_for_function(IDLE_JS, timeout=300_000, polling=100)
    report = last.locator(".jp-OutputArea").inner_text()
    checked = time.perf_counter() - clicked - ran
    print(
        f"\n{base.rsplit(':', 1)[-1]} {chapter}: kernel ready {ready:.1f} s, Run All {ran:.1f} s"
        + (f", self-check alone {checked:.1f} s" if check_alone else "")
    )
    page.context.close()
    return LiteRun(visit, prompts, tracebacks, report)


def exercise_statuses(report: str) -> list[str]:
    """The status words of the self-check report's per-exercise lines."""
    statuses = ("passed", "failed", "not attempted", "graded by hand", "not answered")
    lines = [line for line in report.splitlines() if line.startswith("  ") and line.split()]
    return [next((s for s in statuses if f" {s} " in f" {line} "), line) for line in lines]


def assert_clean(visit: Visit, chapter: str) -> None:
    assert not visit.foreign, f"{chapter}: the lite copy asked other hosts: {visit.foreign[:5]}"
    assert not visit.errors, f"{chapter}: console errors in the lite copy:\n" + "\n".join(
        visit.errors[:10]
    )


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_release_stops_at_the_first_stub(browser: object, lite_server: str, chapter: str) -> None:
    """Run All stops at the first stub; the self-check cell run alone says "not attempted"."""
    run = run_all(browser, lite_server, chapter, check_alone=True)
    assert run.tracebacks, (
        f"{chapter}: Run All of the release raised nothing; its first stub should raise "
        "NotImplementedError"
    )
    assert "NotImplementedError" in run.tracebacks[0], (
        f"{chapter}: Run All stopped at another error:\n{run.tracebacks[0][:1500]}"
    )
    named = [t for t in run.tracebacks if "NameError" in t]
    assert not named, f"{chapter}: a NameError in the browser:\n{named[0][:1500]}"
    statuses = exercise_statuses(run.self_check)
    assert statuses and set(statuses) <= {"not attempted", "not answered"}, (
        f"{chapter}: the self-check of the release in the browser:\n{run.self_check}"
    )
    assert_clean(run.visit, chapter)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_solved_copy_passes_every_test_cell(
    browser: object, solved_server: str, chapter: str
) -> None:
    """Every cell of the master runs, no test fails, and the self-check (run last) agrees."""
    run = run_all(browser, solved_server, chapter, check_alone=False)
    assert not run.tracebacks, (
        f"{chapter}: the solved notebook fails in the browser:\n{run.tracebacks[0][:2000]}"
    )
    unrun = [i for i, p in enumerate(run.prompts) if not any(c.isdigit() for c in p)]
    assert not unrun, f"{chapter}: code cells {unrun} did not run"
    statuses = exercise_statuses(run.self_check)
    assert statuses and set(statuses) <= {"passed", "graded by hand"}, (
        f"{chapter}: the self-check of the solved notebook in the browser:\n{run.self_check}"
    )
    assert_clean(run.visit, chapter)
