"""`dld grade` end to end on a small class of the toy chapter, in both submission layouts."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import nbformat
import pytest
from fixtures.learners import solutions, submission

from dld.cli import main
from dld.grade import SubmissionsError, grade
from dld.release import render_releases

TOY = Path(__file__).parent / "fixtures" / "toy_master.md"
HIDDEN_TEST_TEXT = ["double(-3)", "assert abs(mean_abs(np.array([-1.0, 3.0]))", "HIDDEN TESTS"]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def release() -> nbformat.NotebookNode:
    return nbformat.reads(render_releases({"toy": TOY})["toy"].decode(), as_version=4)


def _class(release: nbformat.NotebookNode, out: Path, submissions: Path) -> dict[str, str]:
    """Notebooks of a class: correct, partial, empty, broken JSON, an infinite loop, a snoop."""
    reader = "def double(x):\n    open({path!r}).read()\n    return 2 * x\n"
    return {
        "ann": submission(release, solutions(TOY)),
        "bob": submission(release, {"double": solutions(TOY)["double"]}),
        "cat": submission(release, {}),
        "dan": '{"cells": [',
        "eve": submission(
            release,
            {
                "double": "def double(x):\n    while True:\n        pass\n",
                "mean_abs": solutions(TOY)["mean_abs"],
            },
        ),
        "fay": submission(
            release,
            {
                "double": reader.format(path=str(out / "course" / "gradebook.db")),
                "mean_abs": reader.format(path=str(submissions / "ann.ipynb")).replace(
                    "double", "mean_abs"
                ),
            },
        ),
    }


def _rows(out: Path) -> dict[str, dict[str, str]]:
    with (out / "grades.csv").open() as f:
        return {row["learner"]: row for row in csv.DictReader(f)}


def _check_outputs(out: Path) -> None:
    rows = _rows(out)
    assert list(next(iter(rows.values())))[:7] == [
        "learner",
        "chapter",
        "double",
        "mean_abs",
        "why_written",
        "total",
        "max",
    ]
    assert (
        rows["ann"]["double"],
        rows["ann"]["mean_abs"],
        rows["ann"]["total"],
        rows["ann"]["max"],
    ) == ("2", "3", "5", "6")
    assert (rows["bob"]["double"], rows["bob"]["mean_abs"], rows["bob"]["total"]) == ("2", "0", "2")
    assert (rows["cat"]["total"], rows["cat"]["status"]) == ("0", "graded")
    assert rows["dan"]["status"] == "error" and "invalid JSON" in rows["dan"]["note"]
    assert (rows["eve"]["double"], rows["eve"]["mean_abs"]) == ("0", "3"), (
        "the loop is cut off and the rest still graded"
    )
    assert "time limit" in rows["eve"]["note"] and "double_tests" in rows["eve"]["note"]
    assert (rows["fay"]["double"], rows["fay"]["mean_abs"]) == ("0", "0"), (
        "the kernel read the gradebook or another learner's file"
    )
    fay = json.loads(
        (out / "course" / "autograded" / "fay" / "toy" / "exercises.ipynb").read_text()
    )
    errors = [
        o["ename"]
        for c in fay["cells"]
        for o in c.get("outputs", [])
        if o["output_type"] == "error"
    ]
    assert set(errors) <= {"FileNotFoundError", "PermissionError"} and errors, errors
    for learner in ("ann", "bob", "cat", "eve", "fay"):
        html = (out / "feedback" / learner / "toy.html").read_text()
        leaked = [text for text in HIDDEN_TEST_TEXT if text in html]
        assert not leaked, f"feedback of {learner} shows hidden tests: {leaked}"
    assert not (out / "feedback" / "dan").exists()
    report = (out / "report.md").read_text()
    assert "| mean_abs | 3 | 2/5 | 40% |" in report and "| double | 2 | 2/5 | 40% |" in report, (
        report
    )
    assert "| dan | toy |" in report
    assert (out / "report.png").read_bytes()[:4] == b"\x89PNG"


def test_flat_folder_through_the_cli(
    tmp_path: Path, release: nbformat.NotebookNode, capsys: pytest.CaptureFixture[str]
) -> None:
    submissions, out = tmp_path / "class", tmp_path / "out"
    submissions.mkdir()
    for learner, content in _class(release, out, submissions).items():
        (submissions / f"{learner}.ipynb").write_text(content)
    before = sorted((p.name, p.stat().st_mtime_ns) for p in submissions.iterdir())
    assert (
        main(
            [
                "grade",
                str(submissions),
                "--out",
                str(out),
                "--master",
                str(TOY),
                "--chapter",
                "toy",
                "--timeout",
                "3",
            ]
        )
        == 0
    )
    out_text = capsys.readouterr().out
    assert "5 submissions graded, 1 not graded" in out_text
    assert "not graded (error): dan toy: dan.ipynb: not a notebook" in out_text
    _check_outputs(out)
    assert sorted((p.name, p.stat().st_mtime_ns) for p in submissions.iterdir()) == before, (
        "grading wrote into the submissions"
    )


def test_nbgrader_layout(tmp_path: Path, release: nbformat.NotebookNode) -> None:
    submitted, out = tmp_path / "submitted", tmp_path / "out"
    for learner, content in _class(release, out, submitted).items():
        path = submitted / learner / "toy" / "exercises.ipynb"
        path.parent.mkdir(parents=True)
        path.write_text(content)
    grade(submitted, out, masters={"toy": TOY}, timeout=3, progress=False)
    _check_outputs(out)


def test_flat_folder_needs_a_chapter_and_out_must_be_elsewhere(tmp_path: Path) -> None:
    (tmp_path / "ann.ipynb").write_text("{}")
    with pytest.raises(SubmissionsError, match="--chapter"):
        grade(tmp_path, tmp_path.parent / "out", masters={"toy": TOY})
    with pytest.raises(SubmissionsError, match="never writes to"):
        grade(tmp_path, tmp_path / "out", chapter="toy", masters={"toy": TOY})
