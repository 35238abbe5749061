"""`dld release`: masters (solutions/NN_topic.md) -> learners' book/NN_topic/exercises.ipynb."""

from __future__ import annotations

import tempfile
from pathlib import Path

from dld.course import build_course
from dld.paths import BOOK, NOTEBOOK_ID, release_path


def render_releases(masters: dict[str, Path]) -> dict[str, bytes]:
    """The learner's notebook of each chapter, as nbgrader generate_assignment writes it.

    Deterministic: the same master gives the same bytes (cell ids come from grade ids).
    """
    with tempfile.TemporaryDirectory(prefix="dld-release-") as tmp:
        course = Path(tmp)
        build_course(course, masters)
        return {
            ch: (course / "release" / ch / f"{NOTEBOOK_ID}.ipynb").read_bytes() for ch in masters
        }


def release(masters: dict[str, Path], book: Path = BOOK) -> list[Path]:
    """Write `book/<chapter>/exercises.ipynb` for each master; return the paths written."""
    written = []
    for chapter, content in render_releases(masters).items():
        target = release_path(chapter, book)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written.append(target)
    return written
