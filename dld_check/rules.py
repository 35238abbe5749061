"""The course's grading rules, in one place: what a cell is, what a test cell scores, how a
failure reads, and which answers only call the library's own version of their exercise.

`dld check` (the learner's self-check) and `dld grade` (through nbgrader's SaveAutoGrades) score
a test cell with the same rule, nbgrader's `determine_grade` for code cells: an error output
scores 0, otherwise the cell's points. The grader writes a test cell's outputs itself (see
`dld_check.runner`): nothing the learner's kernel prints or reports can add an error or remove
one, and learner output is always shown as stdout, so printed warnings never cost points.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any

PASSED, FAILED, NOT_ATTEMPTED, MANUAL, NOT_ANSWERED = (
    "passed",
    "failed",
    "not attempted",
    "graded by hand",
    "not answered",
)
REFERENCE_CALL = "ReferenceCall"


def nbgrader_meta(cell: Any) -> dict[str, Any]:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def is_test(cell: Any) -> bool:
    """An autograded test cell: code, graded, not an answer."""
    meta = nbgrader_meta(cell)
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_answer(cell: Any) -> bool:
    """A cell the learner writes (nbgrader solution cell)."""
    return bool(nbgrader_meta(cell).get("solution"))


def is_given(cell: Any) -> bool:
    """A locked code cell of the course (imports, data, helpers): trusted, run on both sides."""
    meta = nbgrader_meta(cell)
    return (
        cell.get("cell_type") == "code"
        and bool(meta.get("locked"))
        and not meta.get("grade")
        and not meta.get("solution")
    )


def cell_score(cell: Any, points: float) -> float:
    """Points a test cell earns from its outputs: 0 with an error (or stderr) output, else `points`.

    The same rule as nbgrader's `determine_grade` for code cells (a test checks they agree); the
    runner never writes stderr or execute_result outputs into a test cell.
    """
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error" or (
            output.get("output_type") == "stream" and output.get("name") == "stderr"
        ):
            return 0.0
    return float(points)


@dataclass(frozen=True)
class Reading:
    """A test cell's outcome in words: status and a one-line message."""

    status: str
    message: str = ""


def read_failure(test_cell: Any, answer_cell: Any | None) -> Reading:
    """Passed, not attempted (a stub's NotImplementedError), or failed with the reason in words."""
    error = first_error(test_cell)
    if error is None:
        return Reading(PASSED)
    if error.get("ename") == "NotImplementedError":
        return Reading(NOT_ATTEMPTED)
    message = describe(error)
    answer_error = first_error(answer_cell) if answer_cell is not None else None
    if answer_error is not None and error.get("ename") != REFERENCE_CALL:
        message = f"your code cell raised {describe(answer_error)}; then {message}"
    return Reading(FAILED, message)


def first_error(cell: Any) -> Any | None:
    return next((o for o in cell.get("outputs", []) if o.get("output_type") == "error"), None)


def describe(error: Any) -> str:
    if error.get("ename") == "KeyboardInterrupt":
        return "interrupted at the time limit (an infinite loop?)"
    return (
        f"{error['ename']}: {error['evalue']}" if error.get("evalue") else str(error.get("ename"))
    )


def defined_names(source: str) -> list[str]:
    """Top-level function and class names a cell defines (the names an exercise asks for)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [
        node.name
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
    ]


def answer_names(cells: list[Any]) -> list[str]:
    """The functions and classes the answer cells of `cells` define, in order."""
    names: list[str] = []
    for cell in cells:
        if is_answer(cell) and cell.get("cell_type") == "code":
            source = "".join(cell.get("source", ""))
            names += [n for n in defined_names(source) if n not in names]
    return names


def _nnlib_aliases(trees: list[ast.Module]) -> tuple[set[str], dict[str, str]]:
    """Names bound to nnlib modules, and names imported from nnlib with their original names."""
    modules: set[str] = set()
    imported: dict[str, str] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == "nnlib":
                        modules.add(alias.asname or "nnlib")
            elif (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.split(".")[0] == "nnlib"
            ):
                for alias in node.names:  # `from nnlib import activations as ref` binds a module
                    imported[alias.asname or alias.name] = alias.name
                    modules.add(alias.asname or alias.name)
    return modules, imported


def reference_call_message(answer: str, names: list[str], given: list[str]) -> str | None:
    """The REFERENCE_CALL error message when an answer only calls nnlib's own version, else None."""
    used = calls_reference(answer, defined_names(answer) or names, given)
    if used is None:
        return None
    return (
        f"your answer calls the library's own version ({used}); "
        "write it yourself: this exercise scores 0"
    )


def calls_reference(answer: str, names: list[str], given: list[str]) -> str | None:
    """The nnlib name an answer uses for its own exercise (e.g. `reference.sigmoid` in `sigmoid`),
    or None.

    Catches plain imports, aliases and attributes: `nnlib.sigmoid`, `nnlib.activations.sigmoid`,
    `from nnlib.activations import sigmoid as s`, `reference = nnlib.activations;
    reference.sigmoid`.
    """
    try:
        answer_tree = ast.parse(answer)
    except SyntaxError:
        return None
    trees = [answer_tree]
    for source in given:
        try:
            trees.append(ast.parse(source))
        except SyntaxError:
            continue
    modules, imported = _nnlib_aliases(trees)
    for node in ast.walk(answer_tree):  # `ref = nnlib.activations` style aliases
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Attribute)
            and _root(node.value) in modules
        ):
            modules.update(t.id for t in node.targets if isinstance(t, ast.Name))
    wanted = set(names)
    for node in ast.walk(answer_tree):
        if isinstance(node, ast.Attribute) and node.attr in wanted and _root(node) in modules:
            return f"{ast.unparse(node)}"
        if isinstance(node, ast.Name) and imported.get(node.id) in wanted and node.id not in wanted:
            return f"{node.id} (nnlib's {imported[node.id]})"
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.split(".")[0] == "nnlib"
        ):
            hit = [a.name for a in node.names if a.name in wanted]
            if hit:
                return f"nnlib's {hit[0]}"
    return None


def _root(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


# -- admission: which files of a submissions folder are graded, under which name ------------------
LEARNER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]*$")
MAX_NOTEBOOK_BYTES = 20 * 2**20
_COPY_MARKS = re.compile(
    r"^(copy of |kopie van |copie de )|( ?\(\d+\)| ?- ?copy( \d+)?| copy( \d+)?)$", re.IGNORECASE
)


def strip_copy_marks(stem: str) -> str:
    """A file stem without the marks of a copy or a re-download: 'Copy of Exercises (1)' ->
    'Exercises'."""
    stem = stem.strip()
    while (shorter := _COPY_MARKS.sub("", stem).strip()) != stem:
        stem = shorter
    return stem


def normalised_stem(name: str) -> str:
    """`strip_copy_marks` of a file name's stem, lower case: 'Copy of Exercises (1).ipynb' ->
    'exercises'."""
    return strip_copy_marks(name.rsplit(".", 1)[0]).lower()


def pick_notebook(names: list[str], expected: str) -> tuple[str | None, str]:
    """Which of a chapter folder's notebooks to grade, and a note for the grades (or why none is).

    The expected name wins; else the one notebook that is a copy of it under another name
    (case, ' (1)', 'Copy of ...'); else none, with a reason that names the expected file.
    """
    if f"{expected}.ipynb" in names:
        others = [n for n in names if n != f"{expected}.ipynb"]
        return f"{expected}.ipynb", (
            f"also handed in, not graded: {', '.join(others)}" if others else ""
        )
    like = [n for n in names if normalised_stem(n) == expected]
    if len(like) == 1:
        return like[0], f"graded {like[0]} as {expected}.ipynb"
    if not like:
        return (
            None,
            f"no {expected}.ipynb here (found: {', '.join(names) or 'nothing'}); hand in the "
            f"chapter's {expected}.ipynb",
        )
    return (
        None,
        f"several copies of {expected}.ipynb ({', '.join(like)}): "
        f"hand in one, named {expected}.ipynb",
    )


def admission_problem(learner: str, size: int) -> str | None:
    """Why a submission cannot be graded before it is run, or None."""
    if not LEARNER_ID.match(learner):
        return "learner id must be letters, digits and _.@+- (rename the file or folder)"
    if size > MAX_NOTEBOOK_BYTES:
        return (
            f"the notebook is {size / 2**20:.0f} MB, more than the {MAX_NOTEBOOK_BYTES // 2**20} "
            "MB a submission may be (clear its outputs)"
        )
    return None
