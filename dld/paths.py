"""Where the course's pieces live, and the chapter ids (also nbgrader assignment ids)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
BOOK = ROOT / "book"
CONFIG_FILE = ROOT / "nbgrader_config.py"
NOTEBOOK_ID = "exercises"


def master_path(chapter: str) -> Path:
    """`solutions/<chapter>.md`, the instructor master of a chapter."""
    return SOLUTIONS / f"{chapter}.md"


def release_path(chapter: str, book: Path = BOOK) -> Path:
    """`book/<chapter>/exercises.ipynb`, the learner's notebook generated from the master."""
    return book / chapter / f"{NOTEBOOK_ID}.ipynb"


def chapters() -> list[str]:
    """Chapter ids of every master in solutions/, sorted (e.g. ["01_deep_learning", ...])."""
    return sorted(p.stem for p in SOLUTIONS.glob("[0-9][0-9]_*.md"))


def resolve_masters(names: list[str] | None) -> dict[str, Path]:
    """Map chapter ids to master paths; all masters when `names` is empty.

    Raises:
        FileNotFoundError: a named chapter has no master, listing those that exist.
    """
    if not names:
        return {ch: master_path(ch) for ch in chapters()}
    masters = {}
    for name in names:
        chapter = Path(name).stem if name.endswith(".md") else name
        path = Path(name) if name.endswith(".md") else master_path(chapter)
        if not path.is_file():
            raise FileNotFoundError(
                f"no master {path} for chapter {chapter!r}; "
                f"masters: {', '.join(chapters()) or 'none'}"
            )
        masters[chapter] = path
    return masters
