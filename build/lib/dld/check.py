"""`dld check NOTEBOOK`: the learner's self-check, run every cell and report each exercise."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from dld.notebooks import Exercise, graded_exercises, read_notebook

PASSED, FAILED, NOT_ATTEMPTED, MANUAL = "passed", "failed", "not attempted", "graded by hand"


@dataclass(frozen=True)
class Result:
    """The outcome of one exercise: status, points earned (of `exercise.points`), a message."""

    exercise: Exercise
    status: str
    earned: float
    message: str = ""


def _error(cell: nbformat.NotebookNode) -> nbformat.NotebookNode | None:
    """The first error output of a code cell, or None."""
    return next((out for out in cell.get("outputs", []) if out.output_type == "error"), None)


def _describe(error: nbformat.NotebookNode) -> str:
    if error.ename == "KeyboardInterrupt":
        return "interrupted at the time limit (an infinite loop?)"
    return f"{error.ename}: {error.evalue}" if error.evalue else error.ename


def execute(notebook: nbformat.NotebookNode, cwd: Path, timeout: int) -> None:
    """Run every cell in one kernel, in place; errors and per-cell timeouts become error outputs."""
    NotebookClient(
        notebook,
        timeout=timeout,
        allow_errors=True,
        interrupt_on_timeout=True,
        extra_arguments=["--HistoryManager.hist_file=:memory:", "--IPKernelApp.log_level=ERROR"],
        resources={"metadata": {"path": str(cwd)}},
    ).execute()


def results(notebook: nbformat.NotebookNode) -> list[Result]:
    """Score an executed notebook: a test cell passes when it raised nothing.

    A test cell that raised NotImplementedError calls a stub: the exercise is not attempted.
    """
    cells = {cell.metadata.get("nbgrader", {}).get("grade_id"): cell for cell in notebook.cells}
    out = []
    for exercise in graded_exercises(notebook):
        if not exercise.autograded:
            out.append(Result(exercise, MANUAL, 0.0))
            continue
        error = _error(cells[exercise.grade_id])
        if error is None:
            out.append(Result(exercise, PASSED, exercise.points))
        elif error.ename == "NotImplementedError":
            out.append(Result(exercise, NOT_ATTEMPTED, 0.0))
        else:
            solution_error = _error(cells[exercise.id]) if exercise.id in cells else None
            message = _describe(error)
            if solution_error is not None and solution_error is not error:
                message = f"your code cell raised {_describe(solution_error)}; then {message}"
            out.append(Result(exercise, FAILED, 0.0, message))
    return out


def format_report(path: Path, outcome: list[Result]) -> str:
    """One line per exercise (a failure's further message lines indented under it) and a total line."""
    width = max((len(r.exercise.id) for r in outcome), default=8)
    lines = [f"{path}:"]
    for r in outcome:
        points = f"{r.earned:g}/{r.exercise.points:g}" if r.exercise.autograded else f"-/{r.exercise.points:g}"
        first, *rest = r.message.strip().splitlines() or [""]
        lines.append(f"  {r.exercise.id:<{width}}  {r.status:<14} {points:>7}  {first}".rstrip())
        lines += [f"      {line}" for line in rest if line.strip()]
    auto = [r for r in outcome if r.exercise.autograded]
    manual = sum(r.exercise.points for r in outcome if not r.exercise.autograded)
    lines.append(
        f"total: {sum(r.status == PASSED for r in auto)}/{len(auto)} exercises passed, "
        f"{sum(r.earned for r in auto):g}/{sum(r.exercise.points for r in auto):g} automatic points"
        + (f" (+{manual:g} graded by hand)" if manual else "")
        + "; hidden tests run at grading time may still fail."
    )
    return "\n".join(lines)


def check(path: Path, timeout: int = 120) -> tuple[list[Result], str]:
    """Execute the notebook at `path` (a copy in memory: the file is not modified) and score it.

    Returns the per-exercise results and the printable report.

    Raises:
        NotebookError: the file is missing or is not a notebook.
    """
    notebook = read_notebook(path)
    execute(notebook, path.resolve().parent, timeout)
    outcome = results(notebook)
    return outcome, format_report(path, outcome)
