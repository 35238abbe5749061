"""Run an exercises notebook the course's way: answers in the learner's kernel, tests here.

Every code cell but the tests runs in the kernel, in order. Given cells (locked, not graded)
also run in this process, so the data and helpers a test uses are the course's own, whatever
the learner's code did to theirs. Test cells run only in this process: a name an exercise
defines (`rules.answer_names`) is a proxy into the kernel, everything else is this process's. The
test cell's outputs are written here: an error output when the test raised (with the
exception's message only: no source line of a hidden test), the test's own prints, and what the
learner's code printed or warned, all as stdout. So a point depends only on what this process
computed. Outputs are capped per cell and per notebook with a visible note.
"""

from __future__ import annotations

import builtins
import contextlib
import io
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import nbformat
from IPython.core.inputtransformer2 import TransformerManager

from dld_check import rules
from dld_check.kernel import BridgeError, Kernel, KernelDied
from dld_check.remote import Bridge

CELL_OUTPUT_CHARS = 100_000
NOTEBOOK_OUTPUT_CHARS = 1_000_000


@dataclass(frozen=True)
class Limits:
    """Time and output limits of one notebook's run."""

    cell_seconds: float = 120.0
    notebook_seconds: float = 900.0
    cell_output_chars: int = CELL_OUTPUT_CHARS
    notebook_output_chars: int = NOTEBOOK_OUTPUT_CHARS


def error_output(ename: str, evalue: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_output(
        "error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}" if evalue else ename]
    )


def stdout(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("stream", name="stdout", text=text)


class _OutputBudget:
    """Cuts outputs at the per-cell and per-notebook limits, leaving a note where it cut."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.left = limits.notebook_output_chars

    def fit(self, outputs: list[nbformat.NotebookNode]) -> list[nbformat.NotebookNode]:
        kept, used = [], 0
        budget = min(self.limits.cell_output_chars, self.left)
        for output in outputs:
            size = len(
                nbformat.writes(
                    nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[output])])
                )
            )
            if output.output_type == "error":
                output.traceback = [line[:2000] for line in output.get("traceback", [])[-20:]]
                output.evalue = str(output.get("evalue", ""))[:2000]
                kept.append(output)
                continue
            if used + size > budget:
                if output.output_type == "stream" and budget - used > 200:
                    output.text = output.text[: budget - used - 100]
                    kept.append(output)
                kept.append(stdout(f"\n[output cut: more than {budget:,} characters]\n"))
                used = budget
                break
            kept.append(output)
            used += size
        self.left -= used
        return kept


def _python(source: str) -> str:
    """IPython source (magics, `!` lines) as plain Python, as the kernel would run it."""
    return TransformerManager().transform_cell(source)


@contextlib.contextmanager
def _captured(bridge: Bridge) -> Iterator[tuple[io.StringIO, list[warnings.WarningMessage]]]:
    buffer = io.StringIO()
    bridge.printed = []
    with contextlib.redirect_stdout(buffer), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield buffer, caught


class NotebookRun:
    """Runs one notebook against one started kernel.

    Args:
        kernel: the learner's kernel, started.
        names: the exercises' function and class names (from the master when grading).
        given_sources: sources of the given cells (for the reference-call rule).
    """

    def __init__(self, kernel: Kernel, names: list[str], limits: Limits = Limits()) -> None:
        self.kernel = kernel
        self.names = names
        self.limits = limits
        self.bridge = Bridge(kernel, limits.cell_seconds)
        self.namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
        self.budget = _OutputBudget(limits)
        self.dead: str | None = None

    def _bind(self) -> None:
        for name in self.names:
            self.namespace[name] = self.bridge.name(name)

    def run(self, notebook: nbformat.NotebookNode) -> None:
        """Fill every code cell's outputs in place; a notebook over its time limit stops there."""
        started = time.monotonic()
        self._bind()
        given = [c.source for c in notebook.cells if rules.is_given(c)]
        answers = {
            rules.nbgrader_meta(c).get("grade_id"): c for c in notebook.cells if rules.is_answer(c)
        }
        for cell in notebook.cells:
            if cell.cell_type != "code":
                continue
            left = self.limits.notebook_seconds - (time.monotonic() - started)
            if self.dead is None and left <= 0:
                self.dead = (
                    f"the notebook's time limit ({self.limits.notebook_seconds:g} s) was reached"
                )
            if self.dead is not None:
                cell.outputs = [error_output("NotebookStopped", self.dead)]
                continue
            timeout = min(self.limits.cell_seconds, left)
            if rules.is_test(cell):
                grade_id = str(rules.nbgrader_meta(cell).get("grade_id", ""))
                answer = answers.get(grade_id.removesuffix("_tests"))
                cell.outputs = self.budget.fit(self._test(cell.source, timeout, answer, given))
            else:
                cell.outputs = self.budget.fit(self._kernel_cell(cell.source, timeout))
                if rules.is_given(cell):
                    self._given(cell.source)

    def _kernel_cell(self, source: str, timeout: float) -> list[nbformat.NotebookNode]:
        try:
            run = self.kernel.execute(source, timeout)
        except KernelDied as exc:
            self.dead = str(exc)
            return [error_output("KernelDied", str(exc))]
        if run.timed_out:
            run.outputs.append(
                error_output(
                    "CellTimeoutError", f"interrupted after {timeout:g} s (the cell's time limit)"
                )
            )
        return run.outputs

    def _given(self, source: str) -> None:
        """Run a course cell here too; its errors were shown by the kernel's run of it."""
        with _captured(self.bridge), contextlib.suppress(Exception):
            exec(compile(_python(source), "<given cell>", "exec"), self.namespace)  # noqa: S102 - the course's own cell
        self._bind()

    def _test(
        self, source: str, timeout: float, answer: Any | None, given: list[str]
    ) -> list[nbformat.NotebookNode]:
        if answer is not None:
            message = rules.reference_call_message(answer.source, self.names, given)
            if message is not None:
                return [error_output(rules.REFERENCE_CALL, message)]
        self.bridge.timeout = timeout
        outputs: list[nbformat.NotebookNode] = []
        with _captured(self.bridge) as (buffer, caught):
            try:
                exec(compile(_python(source), "<test cell>", "exec"), self.namespace)  # noqa: S102 - the course's test
                error = None
            except KernelDied as exc:
                self.dead = str(exc)
                error = error_output("KernelDied", str(exc))
            except BridgeError as exc:
                error = error_output("BridgeError", str(exc))
            except BaseException as exc:  # noqa: BLE001 - any failure of a test is a failed test
                error = error_output(type(exc).__name__, str(exc))
        text = buffer.getvalue() + "".join(self.bridge.printed)
        text += "".join(f"{w.category.__name__}: {w.message}\n" for w in caught)
        if text:
            outputs.append(stdout(text))
        if error is not None:
            outputs.append(error)
        return outputs
