"""The website: it builds with warnings as errors, holds exactly the toc's pages, works offline."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SiteBuild
from dld.paths import resolve_masters

pytestmark = pytest.mark.slow


def toc_files() -> list[str]:
    """Every page of `_toc.yml`, in reading order, as paths without suffix."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            files.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc["parts"]:
        walk(part["chapters"])
    return files


LESSONS = [f for f in toc_files() if f.endswith("/lesson")]
EXERCISES = [f for f in toc_files() if f.endswith("/exercises")]


def test_site_builds_with_warnings_as_errors(site: SiteBuild) -> None:
    warnings = [
        line for line in site.output.splitlines() if re.search(r"\b(WARNING|ERROR|CRITICAL):", line)
    ]
    assert site.returncode == 0 and not warnings, (
        f"`jupyter-book build . -W -n --keep-going --all` failed (exit {site.returncode}); "
        "warnings and errors:\n"
        + "\n".join(warnings[:40])
        + "\n--- tail ---\n"
        + site.output[-3000:]
    )


@pytest.mark.parametrize("page", toc_files())
def test_every_toc_page_is_built(built_site: SiteBuild, page: str) -> None:
    assert (built_site.html / f"{page}.html").is_file(), (
        f"{page} is in _toc.yml but has no page in the site"
    )


def test_only_toc_pages_are_in_the_site(built_site: SiteBuild) -> None:
    wanted = {f"{page}.html" for page in toc_files()} | {
        "genindex.html",
        "search.html",
        "index.html",
    }
    pages = {str(p.relative_to(built_site.html)) for p in built_site.html.rglob("*.html")}
    # `_static/`, `_sources/`: Sphinx's; `lite/`: the JupyterLite app (tested in test_lite_browser).
    stray = sorted(p for p in pages - wanted if not p.startswith(("_", "lite/")))
    assert not stray, f"pages outside the toc were built: {stray}"


def test_math_is_served_from_the_site(built_site: SiteBuild) -> None:
    assert (built_site.html / "_static" / "mathjax" / "tex-chtml.js").is_file(), (
        "MathJax is not bundled"
    )
    for page in toc_files():
        html = (built_site.html / f"{page}.html").read_text()
        remote = re.findall(r'<script[^>]+src="(https?://[^"]+)"', html)
        assert not remote, f"{page}.html loads scripts from the network: {remote}"


@pytest.mark.parametrize("page", LESSONS)
def test_lesson_follows_the_anatomy(page: str) -> None:
    source = (ROOT / f"{page}.md").read_text()
    assert re.search(r"^# \d+\. ", source, re.M), f"{page}.md must open with '# N. Title'"
    assert "Learning goals" in source, f"{page}.md has no learning goals"
    assert re.search(r"^## Summary", source, re.M), f"{page}.md has no '## Summary'"
    assert re.search(r"^## Exercises", source, re.M), f"{page}.md has no '## Exercises' section"
    assert "exercises" in source.split("## Exercises", 1)[1], (
        f"{page}.md does not point to its exercises"
    )


@pytest.mark.parametrize("page", LESSONS)
def test_lesson_is_executed_with_figures(built_site: SiteBuild, page: str) -> None:
    html = (built_site.html / f"{page}.html").read_text()
    assert "cell_output" in html, f"{page} shows no executed output"
    images = re.findall(r"<img[^>]*>", html)
    assert images, f"{page} has no figure"
    missing_alt = [img for img in images if not re.search(r'alt="[^"]+"', img)]
    assert not missing_alt, f"{page} has figures without alt text: {missing_alt[:3]}"
    # Alt text says what the figure shows (a sentence), not "figure 3" or a file name.
    vague = [alt for alt in re.findall(r'<img[^>]*alt="([^"]+)"', html) if len(alt.split()) < 6]
    assert not vague, f"{page}: alt text too short to say what the figure shows: {vague[:3]}"


@pytest.mark.parametrize("page", EXERCISES)
def test_exercise_page_shows_the_release(built_site: SiteBuild, page: str) -> None:
    html = (built_site.html / f"{page}.html").read_text()
    assert "YOUR CODE HERE" in html, f"{page} does not show the learner's stubs"
    for secret in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert secret not in html, f"{page} leaks '{secret}'"


def test_every_page_offers_a_notebook_download(built_site: SiteBuild) -> None:
    for page in LESSONS + EXERCISES:
        html = (built_site.html / f"{page}.html").read_text()
        name = Path(page).name
        assert re.search(rf'href="[^"]*{name}\.(ipynb|md)"', html), (
            f"{page} offers no download of its notebook"
        )


def hidden_test_lines() -> set[str]:
    """Lines of the masters' hidden tests (30+ characters) that nothing public shows: no release,
    lesson or module of the course wheel."""
    public = "\n".join(
        [p.read_text() for p in ROOT.glob("book/*/exercises.ipynb")]
        + [p.read_text() for p in ROOT.glob("book/*/lesson.md")]
        + [p.read_text() for p in (*ROOT.glob("nnlib/**/*.py"), *ROOT.glob("dld_check/*.py"))]
    )
    lines: set[str] = set()
    for master in resolve_masters(None).values():
        for hidden in re.findall(
            r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", master.read_text(), re.S
        ):
            lines |= {line.strip() for line in hidden.splitlines() if len(line.strip()) >= 30}
    return {line for line in lines if line not in public and json.dumps(line)[1:-1] not in public}


def test_the_site_ships_no_hidden_test_and_no_source_map(built_site: SiteBuild) -> None:
    """No text file of the built site (the JupyterLite copy's contents included) holds a hidden
    test; the JupyterLite copy ships no source map (the theme's own stay)."""
    secrets = [s.encode() for s in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", *hidden_test_lines())]
    assert len(secrets) > 50, "the masters' hidden tests were not found"
    leaks, maps = [], []
    for path in built_site.html.rglob("*"):
        if path.suffix == ".map" and path.is_relative_to(built_site.html / "lite"):
            maps.append(str(path.relative_to(built_site.html)))
        if path.is_file() and path.suffix in {".html", ".ipynb", ".json", ".md", ".py", ".txt"}:
            text = path.read_bytes()
            leaks += [
                f"{path.relative_to(built_site.html)}: {s.decode()}" for s in secrets if s in text
            ]
    assert not maps, f"the JupyterLite copy ships source maps: {maps[:5]}"
    assert not leaks, "the site shows what only the grader may see:\n" + "\n".join(leaks[:10])


def test_the_lite_copy_records_the_licence_and_source_of_every_file(
    built_site: SiteBuild,
) -> None:
    lite = built_site.html / "lite"
    if not (lite / "provenance.json").is_file():
        pytest.skip("the site was built without its JupyterLite copy (no npm here)")
    records = {r["file"]: r for r in json.loads((lite / "provenance.json").read_text())}
    shipped = [*sorted((lite / "static" / "pyodide").iterdir()), *sorted(lite.glob("pypi/*.whl"))]
    for path in shipped:
        name = str(path.relative_to(lite))
        assert name in records, f"lite/provenance.json does not list {name}"
        assert records[name]["licence"] and records[name]["source"], records[name]
        assert records[name]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest(), (
            f"{name} is not the file provenance.json records"
        )
    assert "MPL-2.0" in records["static/pyodide/pyodide.asm.wasm"]["licence"]
    assert (
        "BSD"
        in records[
            "static/pyodide/" + next(p.name for p in shipped if p.name.startswith("numpy-"))
        ]["licence"]
    )
