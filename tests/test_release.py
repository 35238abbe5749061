"""The committed releases are up to date with their masters and give nothing away."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from dld.course import master_notebook
from dld.paths import ROOT, chapters, master_path, release_path, resolve_masters
from dld.release import render_releases

TOY = Path(__file__).parent / "fixtures" / "toy_master.md"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fresh() -> dict[str, bytes]:
    """Every chapter's release regenerated from its master (one nbgrader run)."""
    return render_releases(resolve_masters(None))


def _region(source: str, begin: str, end: str) -> list[str]:
    """Non-blank lines between `### BEGIN <x>` and `### END <x>` markers."""
    return [
        line.strip()
        for block in re.findall(rf"### {begin}\n(.*?)### {end}", source, re.S)
        for line in block.splitlines()
        if line.strip()
    ]


def _assert_nothing_leaked(master: Path, release: bytes) -> None:
    text = release.decode()
    for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS"):
        assert marker not in text, f"the release of {master.name} contains `### {marker}`"
    released = {c.id: c.source for c in nbformat.reads(text, as_version=4).cells}
    for cell in master_notebook(master).cells:
        hidden = _region(cell.source, "BEGIN SOLUTION", "END SOLUTION") + _region(
            cell.source, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
        )
        visible = {
            line.strip()
            for line in re.sub(
                r"### BEGIN (SOLUTION|HIDDEN TESTS)\n.*?### END \1", "", cell.source, flags=re.S
            ).splitlines()
        }
        shown = {line.strip() for line in released.get(cell.id, "").splitlines()}
        leaked = [
            line for line in hidden if line in shown and line not in visible and len(line) > 12
        ]
        assert not leaked, (
            f"cell {cell.id} of the release of {master.name} "
            f"shows solution or hidden-test lines: {leaked}"
        )


@pytest.mark.parametrize("chapter", chapters())
def test_release_is_up_to_date(chapter: str, fresh: dict[str, bytes]) -> None:
    committed = release_path(chapter)
    message = (
        f"{committed.relative_to(ROOT)} is out of date "
        f"with solutions/{chapter}.md: run `make release`"
    )
    assert committed.is_file(), message.replace(
        "is out of date with", "is missing; generate it from"
    )
    assert committed.read_bytes() == fresh[chapter], message


@pytest.mark.parametrize("chapter", chapters())
def test_release_has_no_solutions_or_hidden_tests(chapter: str, fresh: dict[str, bytes]) -> None:
    _assert_nothing_leaked(master_path(chapter), fresh[chapter])


def test_toy_release_is_deterministic_and_clean() -> None:
    first, second = render_releases({"toy": TOY})["toy"], render_releases({"toy": TOY})["toy"]
    assert first == second, "two releases of the same master differ"
    _assert_nothing_leaked(TOY, first)
    assert "YOUR CODE HERE" in first.decode() and "YOUR ANSWER HERE" in first.decode()
