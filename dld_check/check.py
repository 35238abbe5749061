"""The learner's self-check: run the notebook the way the grader does and report each exercise.

`python -m dld_check exercises.ipynb` (or `dld check`, `make check NB=...`) needs no nbgrader and no
sandbox: it starts a kernel on the learner's machine, runs the answers and given cells there and
the notebook's own (visible) test cells in this process, exactly as `dld grade` does with the
hidden tests added. So a visible test passes here if and only if it passes when graded; hidden
tests can only lower a grade.
"""

from __future__ import annotations

import datetime
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dld_check import rules
from dld_check.notebooks import Exercise, graded_exercises, read_notebook

if TYPE_CHECKING:
    import nbformat

PASSED, FAILED, NOT_ATTEMPTED, MANUAL, NOT_ANSWERED = (
    rules.PASSED,
    rules.FAILED,
    rules.NOT_ATTEMPTED,
    rules.MANUAL,
    rules.NOT_ANSWERED,
)
WRITTEN_STUB = "YOUR ANSWER HERE"


@dataclass(frozen=True)
class Result:
    """The outcome of one exercise: status, points earned (of `exercise.points`), a message."""

    exercise: Exercise
    status: str
    earned: float
    message: str = ""


def execute(notebook: nbformat.NotebookNode, cwd: Path, timeout: float) -> None:
    """Run the notebook in place: the learner's kernel (unsandboxed, in `cwd`), the tests here."""
    # Here, not at the top: dld_check.inline (the browser's check) uses this module's report
    # without the kernel machinery (zmq, jupyter_client), which Pyodide does not have.
    from dld_check.kernel import Kernel
    from dld_check.runner import Limits, NotebookRun

    with (
        tempfile.TemporaryDirectory(prefix="dld-check-") as folder,
        Kernel(Path(folder), cwd=cwd) as kernel,
    ):
        NotebookRun(
            kernel,
            rules.answer_names(notebook.cells),
            Limits(cell_seconds=timeout, notebook_seconds=max(900.0, timeout)),
        ).run(notebook)


def results(notebook: dict[str, Any]) -> list[Result]:
    """Score an executed notebook with the grader's rule (rules.cell_score), failures in words."""
    cells = {rules.nbgrader_meta(cell).get("grade_id"): cell for cell in notebook["cells"]}
    out = []
    for exercise in graded_exercises(notebook):
        cell = cells[exercise.grade_id]
        if not exercise.autograded:
            answered = "".join(cell["source"]).strip() not in ("", WRITTEN_STUB)
            out.append(Result(exercise, MANUAL if answered else NOT_ANSWERED, 0.0))
            continue
        reading = rules.read_failure(cell, cells.get(exercise.id))
        out.append(
            Result(
                exercise, reading.status, rules.cell_score(cell, exercise.points), reading.message
            )
        )
    return out


def format_report(path: Path, outcome: list[Result]) -> str:
    """The file read and when it was saved, one line per exercise, and a total line."""
    width = max((len(r.exercise.id) for r in outcome), default=8)
    saved = datetime.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M:%S")
    lines = [f"{path} (last saved {saved}; unsaved changes are not checked: save first):"]
    for r in outcome:
        points = (
            f"{r.earned:g}/{r.exercise.points:g}"
            if r.exercise.autograded
            else f"-/{r.exercise.points:g}"
        )
        first, *rest = r.message.strip().splitlines() or [""]
        lines.append(f"  {r.exercise.id:<{width}}  {r.status:<14} {points:>7}  {first}".rstrip())
        lines += [f"      {line}" for line in rest if line.strip()]
    auto = [r for r in outcome if r.exercise.autograded]
    manual = sum(r.exercise.points for r in outcome if not r.exercise.autograded)
    open_questions = sum(r.status == NOT_ANSWERED for r in outcome)
    lines.append(
        f"total: {sum(r.status == PASSED for r in auto)}/{len(auto)} exercises passed, "
        f"{sum(r.earned for r in auto):g}/{sum(r.exercise.points for r in auto):g} automatic points"
        + (f" (+{manual:g} graded by hand)" if manual else "")
        + (
            f"; {open_questions} written question{'s' * (open_questions > 1)} not answered"
            if open_questions
            else ""
        )
        + "; hidden tests run at grading time may still fail."
    )
    return "\n".join(lines)


def check(path: Path, timeout: float = 120) -> tuple[list[Result], str]:
    """Execute the notebook at `path` (a copy in memory: the file is not modified) and score it.

    Raises:
        NotebookError: the file is missing or is not a notebook.
    """
    notebook = read_notebook(path)
    execute(notebook, path.resolve().parent, timeout)
    outcome = results(notebook)
    return outcome, format_report(path, outcome)


def passed(outcome: list[Result]) -> bool:
    """Every autograded exercise passed and every written question has an answer."""
    return all(r.status == PASSED for r in outcome if r.exercise.autograded) and not any(
        r.status == NOT_ANSWERED for r in outcome
    )


def main(argv: list[str] | None = None) -> int:
    """`python -m dld_check NOTEBOOK [--timeout S]`: print the report; exit 0 only when all
    passed."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m dld_check", description="check your exercises notebook"
    )
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--timeout", type=float, default=120, help="seconds per cell (default 120)")
    args = parser.parse_args(argv)
    try:
        outcome, report = check(args.notebook, args.timeout)
    except (OSError, ValueError, RuntimeError) as exc:
        print(f"check: error: {exc}", file=sys.stderr)
        return 2
    print(report)
    return 0 if passed(outcome) else 1
