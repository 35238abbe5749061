"""Every chapter has all of its pieces: the checklist "add a chapter" of CONTRIBUTING.md, tested.

A chapter is any NN_topic id that appears in one of the places below; each test names the
file (or the _toc.yml entry) that the chapter is missing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

CHAPTER_ID = re.compile(r"\d\d_[a-z0-9_]+")

# What a chapter needs, as paths relative to the repository root ({ch} = the chapter id).
REQUIRED = {
    "master": "solutions/{ch}.md",
    "lesson": "book/{ch}/lesson.md",
    "release": "book/{ch}/exercises.ipynb",
    "wrong answers": "tests/wrong_answers/{ch}.py",
    "alternative answers": "tests/alternative_answers/{ch}.py",
    "solution tests": "tests/test_solutions_{ch}.py",
}
TOC_PAGES = ("book/{ch}/lesson", "book/{ch}/exercises")


def toc_files(node: object) -> list[str]:
    """Every `file:` entry of the parsed _toc.yml, in order."""
    if isinstance(node, dict):
        own = [node["file"]] if isinstance(node.get("file"), str) else []
        return own + [f for value in node.values() for f in toc_files(value)]
    if isinstance(node, list):
        return [f for item in node for f in toc_files(item)]
    return []


TOC = toc_files(yaml.safe_load((ROOT / "_toc.yml").read_text()))


def chapter_ids() -> list[str]:
    """Chapter ids wherever a chapter leaves a trace: masters, book folders, the toc, tests."""
    found = {p.stem for p in (ROOT / "solutions").glob("*.md")}
    found |= {p.name for p in (ROOT / "book").iterdir() if p.is_dir()}
    found |= {
        p.stem
        for folder in ("wrong_answers", "alternative_answers")
        for p in (ROOT / "tests" / folder).glob("*.py")
    }
    found |= {
        p.stem.removeprefix("test_solutions_") for p in (ROOT / "tests").glob("test_solutions_*.py")
    }
    found |= {Path(f).parent.name for f in TOC}
    return sorted(ch for ch in found if CHAPTER_ID.fullmatch(ch))


CHAPTERS = chapter_ids()


def test_the_course_has_chapters() -> None:
    assert len(CHAPTERS) >= 5, f"expected the course's chapters, found {CHAPTERS}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_has_every_file(chapter: str) -> None:
    missing = [
        f"{what} {path.format(ch=chapter)}"
        for what, path in REQUIRED.items()
        if not (ROOT / path.format(ch=chapter)).is_file()
    ]
    assert not missing, (
        f"chapter {chapter} is missing: {'; '.join(missing)} "
        "(see 'Add a chapter' in CONTRIBUTING.md)"
    )


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_is_in_the_toc(chapter: str) -> None:
    missing = [page.format(ch=chapter) for page in TOC_PAGES if page.format(ch=chapter) not in TOC]
    assert not missing, (
        f"_toc.yml has no entry `file: {'` or `file: '.join(missing)}` for chapter {chapter}"
    )
