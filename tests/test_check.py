"""`dld check`: every state of an exercise, clear errors for bad files, nbgrader Validate with our
config."""

from __future__ import annotations

from pathlib import Path

import nbformat
import numpy as np
import pytest
from fixtures.learners import solutions, submission
from nbgrader.validator import Validator

from dld.cli import main
from dld.course import load_config
from dld.release import render_releases
from dld_check.check import FAILED, NOT_ANSWERED, NOT_ATTEMPTED, PASSED, check
from dld_check.kernel import Kernel
from dld_check.remote import Bridge

TOY = Path(__file__).parent / "fixtures" / "toy_master.md"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def release() -> nbformat.NotebookNode:
    return nbformat.reads(render_releases({"toy": TOY})["toy"].decode(), as_version=4)


def _write(tmp_path: Path, content: str, name: str = "exercises.ipynb") -> Path:
    path = tmp_path / name
    path.write_text(content)
    return path


def test_unanswered_release_is_not_attempted(
    tmp_path: Path, release: nbformat.NotebookNode, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, submission(release, {}))
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert (
        "double       not attempted      0/2" in out
        and "why_written  not answered       -/1" in out
    )
    assert (
        "total: 0/2 exercises passed, 0/5 automatic points (+1 graded by hand); 1 written question "
        "not answered" in out
    )
    assert f"{path} (last saved " in out, "the check names the file it read and when it was saved"


def test_passed_failed_and_points(tmp_path: Path, release: nbformat.NotebookNode) -> None:
    wrong = "def mean_abs(x):\n    return float(np.sum(np.abs(x)))\n"
    path = _write(
        tmp_path, submission(release, {"double": solutions(TOY)["double"], "mean_abs": wrong})
    )
    outcome, report = check(path)
    by_id = {r.exercise.id: r for r in outcome}
    assert (by_id["double"].status, by_id["double"].earned) == (PASSED, 2.0)
    assert (by_id["mean_abs"].status, by_id["mean_abs"].earned) == (FAILED, 0.0)
    assert by_id["mean_abs"].message == "AssertionError: the mean absolute value of [1, 1] is 1"
    assert by_id["why_written"].status == NOT_ANSWERED
    assert "total: 1/2 exercises passed, 2/5 automatic points" in report


def test_all_correct_exits_zero_and_broken_code_is_named(
    tmp_path: Path, release: nbformat.NotebookNode
) -> None:
    answers = {
        **solutions(TOY),
        "why_written": "Absolute values are non-negative, so is their mean.",
    }
    good = _write(tmp_path, submission(release, answers), "good.ipynb")
    assert main(["check", str(good)]) == 0
    unanswered = _write(tmp_path, submission(release, solutions(TOY)), "unanswered.ipynb")
    assert main(["check", str(unanswered)]) == 1, (
        "an open written question keeps the check from passing, as Validate does"
    )
    broken = _write(
        tmp_path,
        submission(release, {"double": "def double(x)\n    return 2 * x\n"}),
        "broken.ipynb",
    )
    outcome, _ = check(broken)
    assert outcome[0].status == FAILED
    assert outcome[0].message.startswith("your code cell raised SyntaxError"), outcome[0].message
    assert outcome[1].status == NOT_ATTEMPTED


def test_infinite_loop_is_interrupted(tmp_path: Path, release: nbformat.NotebookNode) -> None:
    path = _write(
        tmp_path, submission(release, {"double": "def double(x):\n    while True:\n        pass\n"})
    )
    outcome, _ = check(path, timeout=2)
    assert outcome[0].status == FAILED and "time limit" in outcome[0].message
    assert outcome[1].status == NOT_ATTEMPTED, "the cells after the interrupted one must still run"


@pytest.mark.parametrize(
    "content, expected",
    [
        (None, "no such notebook file"),
        ("{not json", "not a notebook (invalid JSON"),
        ('{"cells": 3}', "not a valid Jupyter notebook"),
    ],
)
def test_bad_files_get_clear_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, expected: str
) -> None:
    path = tmp_path / "exercises.ipynb"
    if content is not None:
        path.write_text(content)
    assert main(["check", str(path)]) == 2
    assert expected in capsys.readouterr().err


def test_nbgrader_validate_works_with_the_course_config(
    tmp_path: Path, release: nbformat.NotebookNode
) -> None:
    config = load_config(tmp_path)
    assert config.Execute.timeout == 120 and config.OverwriteCells.add_missing_cells
    validator = Validator(config=config)
    unanswered = validator.validate(str(_write(tmp_path, submission(release, {}), "a.ipynb")))
    answers = {
        **solutions(TOY),
        "why_written": "Absolute values are non-negative, so is their mean.",
    }
    answered = validator.validate(str(_write(tmp_path, submission(release, answers), "b.ipynb")))
    assert len(unanswered["failed"]) == 3, (
        unanswered
    )  # two test cells and the unanswered written question
    assert not answered.get("failed") and not answered.get("changed"), answered


def test_in_place_changes_cross_back_during_and_after_a_callback(tmp_path: Path) -> None:
    """A numerical gradient perturbs x in place, calls the grader's f, and restores x: f sees the
    perturbed x, and the grader's x ends as it began (only changed arrays are sent back)."""
    with Kernel(tmp_path) as kernel:
        kernel.execute(
            "def perturb(f, x, y):\n    x[0] += 1.0\n    seen = f()\n    x[0] -= 1.0\n"
            "    y[1] = 5.0\n    return seen\n",
            30,
        )
        bridge = Bridge(kernel)
        x, y = np.zeros(3), np.zeros(2)
        seen = bridge.name("perturb")(lambda: float(x[0]), x, y)
    assert seen == 1.0, "the callback did not see the kernel's in-place change"
    assert x.tolist() == [0.0, 0.0, 0.0], f"x was restored in the kernel, the grader has {x}"
    assert y.tolist() == [0.0, 5.0], f"y was changed in the kernel, the grader has {y}"
