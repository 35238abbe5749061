"""dld.report on hand-built rows: grades.csv, report.md and the class statistics."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dld.report import (
    ERROR,
    GRADED,
    INFRASTRUCTURE,
    Row,
    exercise_stats,
    plural,
    write_grades,
    write_report,
)
from dld_check.notebooks import Exercise

EXERCISES = {
    "02_neurons": [
        Exercise("sigmoid", "sigmoid_tests", 2.0, True),
        Exercise("relu", "relu_tests", 1.0, True),
        Exercise("why", "why", 3.0, False),
    ]
}
ROWS = [
    Row("ann", "02_neurons", GRADED, {"sigmoid": 2.0, "relu": 1.0, "why": 3.0}),
    Row("bob", "02_neurons", GRADED, {"sigmoid": 0.0, "relu": 1.0, "why": None}, "renamed"),
    Row("cat", "02_neurons", ERROR, note="invalid JSON"),
    Row("dan", "02_neurons", INFRASTRUCTURE, note="the kernel never started"),
]


def _csv(path: Path) -> dict[str, dict[str, str]]:
    with path.open() as f:
        return {row["learner"]: row for row in csv.DictReader(f)}


def test_grades_csv_says_pending_and_leaves_error_totals_empty(tmp_path: Path) -> None:
    write_grades(ROWS, EXERCISES, tmp_path / "grades.csv")
    rows = _csv(tmp_path / "grades.csv")
    assert list(rows["ann"]) == [
        "learner", "chapter", "sigmoid", "relu", "why", "total", "max", "status", "note",
    ]  # fmt: skip
    assert [rows["ann"][k] for k in ("total", "max", "status")] == ["6", "6", "graded"]
    assert [rows["bob"][k] for k in ("why", "total", "status", "note")] == [
        "pending", "1", "pending", "renamed",
    ]  # fmt: skip
    for learner, status in (("cat", "error"), ("dan", INFRASTRUCTURE)):
        assert (rows[learner]["total"], rows[learner]["status"]) == ("", status), (
            "a row that could not be graded must not read as 0 points"
        )


def test_class_statistics_count_graded_rows_only() -> None:
    stats = {s.exercise.id: s for s in exercise_stats(ROWS, EXERCISES)}
    assert set(stats) == {"sigmoid", "relu"}, "written answers are not autograded statistics"
    assert (stats["sigmoid"].submissions, stats["sigmoid"].passed) == (2, 1)
    assert stats["sigmoid"].mean_score == pytest.approx(1.0)
    assert stats["relu"].pass_rate == pytest.approx(1.0)


def test_report_puts_the_hardest_exercise_first_and_lists_what_is_not_graded(
    tmp_path: Path,
) -> None:
    write_report(ROWS, EXERCISES, tmp_path)
    report = (tmp_path / "report.md").read_text()
    assert report.index("| sigmoid |") < report.index("| relu |"), "hardest exercise first"
    assert "| sigmoid | 2 | 1/2 | 50% | 1.00 |" in report
    assert "| cat | 02_neurons | error | invalid JSON |" in report
    assert "| dan | 02_neurons | infrastructure error | the kernel never started |" in report
    assert "**1 answer left to grade by hand**" in report and "| 02_neurons | why | 1 |" in report
    assert "bob (02_neurons): renamed" in report
    assert (tmp_path / "report.png").stat().st_size > 1000


def test_counts_are_singular_for_one() -> None:
    assert [plural(n, "answer") for n in (0, 1, 2)] == ["0 answers", "1 answer", "2 answers"]
