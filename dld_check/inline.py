"""The self-check as a notebook cell, for where no second kernel can start (the browser).

Every exercise notebook ends with a cell that calls `check()`. Run on its own, it reads the
saved notebook, runs its code cells in order in a fresh namespace of this kernel (answers and
given cells; the visible test cells with the learner's prints and warnings as stdout, as the
grader writes them), scores each test cell with the grader's rule and prints the desktop
check's report (`python -m dld_check`). It needs only the standard library and IPython, so it
runs in Pyodide. Unlike the desktop check it has no time limit per cell and runs in the
learner's own kernel: a learner's code that changes global state (e.g. NumPy's error settings)
can affect it. Under the grader and the desktop check it does nothing: they run every cell
themselves.
"""

from __future__ import annotations

import builtins
import contextlib
import json
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dld_check import rules
from dld_check.check import format_report, results

SELF_CHECK_ID = "self_check"


def _source(cell: dict[str, Any]) -> str:
    return "".join(cell.get("source", ""))


def _error(name: str, value: str) -> dict[str, Any]:
    return {
        "output_type": "error",
        "ename": name,
        "evalue": value,
        "traceback": [f"{name}: {value}" if value else name],
    }


def _exec(source: str, namespace: dict[str, Any]) -> tuple[str, BaseException | None]:
    """Run IPython source in `namespace`; return what it printed or warned, and its exception."""
    from IPython.core.inputtransformer2 import TransformerManager
    from IPython.utils.capture import capture_output

    code = TransformerManager().transform_cell(source)
    error = None
    with (
        capture_output(display=True) as captured,
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        try:
            exec(compile(code, "<cell>", "exec"), namespace)  # noqa: S102 - the learner's own notebook
        except Exception as exc:  # noqa: BLE001 - any failure of a cell is reported, not raised
            error = exc
    text = captured.stdout + captured.stderr
    text += "".join(f"{w.category.__name__}: {w.message}\n" for w in caught)
    return text, error


def run(notebook: dict[str, Any]) -> None:
    """Fill every code cell's outputs in place, as the grader's run would (tests in order)."""
    cells = notebook["cells"]
    names = rules.answer_names(cells)
    given = [_source(c) for c in cells if rules.is_given(c)]
    answers = {rules.nbgrader_meta(c).get("grade_id"): c for c in cells if rules.is_answer(c)}
    namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
    for cell in cells:
        if (
            cell["cell_type"] != "code"
            or rules.nbgrader_meta(cell).get("grade_id") == SELF_CHECK_ID
        ):
            continue
        cell["outputs"] = []
        if rules.is_test(cell):
            grade_id = str(rules.nbgrader_meta(cell).get("grade_id", ""))
            answer = answers.get(grade_id.removesuffix("_tests"))
            message = (
                rules.reference_call_message(_source(answer), names, given) if answer else None
            )
            if message is not None:
                cell["outputs"] = [_error(rules.REFERENCE_CALL, message)]
                continue
        text, error = _exec(_source(cell), namespace)
        if text:
            cell["outputs"].append({"output_type": "stream", "name": "stdout", "text": text})
        if error is not None:
            cell["outputs"].append(_error(type(error).__name__, str(error)))


def check(path: str | Path = "exercises.ipynb") -> None:
    """Check the saved notebook at `path` (relative to the kernel's folder); print the report.

    Prints one line per exercise and a total, as `python -m dld_check` does; prints a note and
    does nothing else under the grader or the desktop check. Returns None, so the cell shows no
    value after the report.
    """
    from IPython import get_ipython

    if get_ipython() is None or "__dld_agent__" in sys.modules:
        print("(the self-check runs when you run this cell yourself)")
        return
    path = Path(path)
    if not path.is_file():
        print(f"check: no notebook {path.resolve()}: pass its name, e.g. check('exercises.ipynb')")
        return
    notebook = json.loads(path.read_text(encoding="utf-8"))
    with _new_figures_closed():
        run(notebook)
    print(format_report(path, results(notebook)))


@contextlib.contextmanager
def _new_figures_closed() -> Iterator[None]:
    """Close the matplotlib figures the run made, so the check's cell does not show them."""
    before = _figures()
    try:
        yield
    finally:
        plt = sys.modules.get("matplotlib.pyplot")
        for number in _figures() - before:
            plt.close(number)  # type: ignore[union-attr]  # figures exist: pyplot is imported


def _figures() -> set[int]:
    plt = sys.modules.get("matplotlib.pyplot")
    return set(plt.get_fignums()) if plt is not None else set()
