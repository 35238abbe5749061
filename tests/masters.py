"""Load an exercise master (solutions/NN_topic.md) for tests that compare it with nnlib."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import jupytext

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"


def master_path(chapter: str) -> Path:
    """Path of the master of `chapter` (e.g. "02_neurons")."""
    return SOLUTIONS / f"{chapter}.md"


def solution_namespace(chapter: str) -> dict[str, Any]:
    """Run the master's code cells except the graded test cells; return the names they define.

    This is the instructor's solution as a learner's kernel would hold it, so tests can call
    the solution functions and compare them with the reference nnlib on random inputs.
    """
    notebook = jupytext.read(master_path(chapter))
    namespace: dict[str, Any] = {"__name__": f"master_{chapter}"}
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if cell.metadata.get("nbgrader", {}).get("grade", False):
            continue
        exec(compile(cell.source, f"<{chapter} cell {cell.metadata.get('nbgrader', {}).get('grade_id', '?')}>", "exec"), namespace)
    return namespace
