"""Run an exercise master's solutions, for tests that compare them with nnlib."""

from __future__ import annotations

from typing import Any

from dld.course import master_notebook
from dld.paths import master_path


def solution_namespace(chapter: str) -> dict[str, Any]:
    """Run the master's code cells except the graded test cells; return the names they define.

    This is the instructor's solution as a learner's kernel would hold it, so tests can call
    the solution functions and compare them with the reference nnlib on random inputs.
    """
    namespace: dict[str, Any] = {"__name__": f"master_{chapter}"}
    for cell in master_notebook(master_path(chapter)).cells:
        if cell.cell_type != "code" or cell.metadata.get("nbgrader", {}).get("grade", False):
            continue
        exec(compile(cell.source, f"<{chapter} cell {cell.id}>", "exec"), namespace)
    return namespace
