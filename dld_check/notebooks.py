"""Reading notebooks with clear errors, and the graded exercises a notebook holds."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # nbformat is not in the browser (Pyodide), where dld_check.inline runs
    import nbformat


class NotebookError(ValueError):
    """A file that is not a readable Jupyter notebook; the message says which and why."""


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """Read and validate an .ipynb file.

    Raises:
        NotebookError: missing file, not JSON, or not a valid notebook (with the reason).
    """
    import nbformat

    if not path.is_file():
        raise NotebookError(f"{path}: no such notebook file")
    try:
        notebook = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
        nbformat.validate(notebook)
    except (json.JSONDecodeError, nbformat.reader.NotJSONError, UnicodeDecodeError) as exc:
        raise NotebookError(
            f"{path}: not a notebook (invalid JSON: {str(exc).splitlines()[0][:200]})"
        ) from exc
    except (nbformat.ValidationError, KeyError, AttributeError, TypeError) as exc:
        raise NotebookError(
            f"{path}: not a valid Jupyter notebook ({str(exc).splitlines()[0][:200]})"
        ) from exc
    return notebook


@dataclass(frozen=True)
class Exercise:
    """A graded cell: `id` is the exercise (grade_id minus `_tests`), `points` its maximum.

    `autograded` is True for a test cell (code) and False for a written answer (markdown),
    which an instructor grades by hand.
    """

    id: str
    grade_id: str
    points: float
    autograded: bool


def graded_exercises(notebook: dict[str, Any]) -> list[Exercise]:
    """The graded cells of a notebook (a NotebookNode or the plain JSON dict), in order."""
    found = []
    for cell in notebook["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade"):
            grade_id = meta["grade_id"]
            found.append(
                Exercise(
                    grade_id.removesuffix("_tests"),
                    grade_id,
                    float(meta.get("points", 0)),
                    cell["cell_type"] == "code",
                )
            )
    return found
