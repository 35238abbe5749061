"""Every chapter's master is gradable: real nbgrader, each chapter's class of fake learners in one
run.

The class holds, besides the master and the unanswered release, every wrong answer of
tests/wrong_answers/<chapter>.py (each must lose points on its own exercise), every alternative
answer of tests/alternative_answers/<chapter>.py (correct answers written differently from the
master: each must earn every point, so no test assumes the master's implementation) and every
answer of REFERENCE_CALLS (answers that only call nnlib's own version: 0 points). The answers
are packed into learners (`fixtures.learners.packed_learners`): a learner carries one answer of
many exercises at once, with the master's answers on the other half of the exercises, on which
a wrong answer must cost nothing.

What nbgrader does with a deleted test cell (OverwriteCells.add_missing_cells = True): it puts
the master's cell back and runs it against the learner's answer, so a deleted test cell scores
like an intact one (a right answer earns the points, a wrong one loses them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from fixtures.learners import (
    alternative_answers,
    packed_learners,
    reference_calls,
    solutions,
    submission,
    wrong_answers,
)

from dld.grade import grade
from dld.paths import ROOT, chapters, master_path
from dld.release import render_releases
from dld.report import GRADED, Row
from dld_check.check import results
from dld_check.notebooks import graded_exercises

pytestmark = pytest.mark.slow
Bank = dict[str, list[str]]


@dataclass(frozen=True)
class GradedClass:
    """One chapter's class after grading: rows by learner, points by exercise, the banks, and the
    learner that holds each bank answer (`placed[prefix][(exercise, i)]`)."""

    chapter: str
    rows: dict[str, Row]
    points: dict[str, float]
    banks: dict[str, Bank]
    placed: dict[str, dict[tuple[str, int], str]]
    course: Path

    def scores(self, prefix: str) -> dict[tuple[str, int], float | None]:
        """(exercise, i) -> the score answer i of `exercise` in bank `prefix` earned on its own
        exercise, for every answer of the bank."""
        return {
            (ex, i): self.rows[self.placed[prefix][(ex, i)]].scores.get(ex)
            for ex, sources in self.banks[prefix].items()
            for i in range(len(sources))
        }

    def per_cell(self, prefix: str) -> str:
        """One line per bank answer: the score of its exercise."""
        return "\n".join(
            f"{prefix} {ex}[{i}]: {score}/{self.points[ex]:g}"
            for (ex, i), score in self.scores(prefix).items()
        )


@pytest.fixture(scope="module", params=chapters())
def graded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> GradedClass:
    """Grade one chapter's class: the master, the release, the banks and the tamperers."""
    chapter = request.param
    master = master_path(chapter)
    release = nbformat.reads(render_releases({chapter: master})[chapter].decode(), as_version=4)
    points = {ex.id: ex.points for ex in graded_exercises(release) if ex.autograded}
    answers = solutions(master)
    banks = {
        "wrong": wrong_answers(ROOT / "tests" / "wrong_answers" / f"{chapter}.py"),
        "right": alternative_answers(ROOT / "tests" / "alternative_answers" / f"{chapter}.py"),
        "reference": reference_calls(ROOT / "tests" / "wrong_answers" / f"{chapter}.py"),
    }
    first = next(ex for ex in banks["wrong"] if ex in points)
    wrong_first = banks["wrong"][first][0]
    learners = {
        "master": submission(release, answers),
        "release": submission(release, {}),
        "tampered": submission(
            release, answers, {f"{ex}_tests": "assert False, 'tampered'\n" for ex in points}
        ),
        "gutted": submission(
            release, {**answers, first: wrong_first}, {f"{first}_tests": "assert True\n"}
        ),
        "deleted_right": submission(release, answers, {f"{first}_tests": None}),
        "deleted_wrong": submission(
            release, {**answers, first: wrong_first}, {f"{first}_tests": None}
        ),
    }
    placed = {}
    for prefix, bank in banks.items():
        packed, placed[prefix] = packed_learners(
            prefix, release, answers, bank, groups=2 if prefix == "wrong" else 1
        )
        learners |= packed
    folder = tmp_path_factory.mktemp(f"{chapter}_class")
    for learner, content in learners.items():
        (folder / f"{learner}.ipynb").write_text(content)
    out = tmp_path_factory.mktemp(f"{chapter}_out")
    rows = grade(folder, out, chapter, masters={chapter: master}, progress=False)
    print(f"\n{chapter}: {len(learners)} notebooks graded")
    rows_by_learner = {r.learner: r for r in rows}
    return GradedClass(chapter, rows_by_learner, points, banks, placed, out / "course")


def _full(row: Row, points: dict[str, float]) -> list[str]:
    """Exercises where `row` earned every point."""
    return [ex for ex, p in points.items() if row.scores.get(ex) == p]


def test_every_submission_was_graded(graded: GradedClass) -> None:
    errors = {name: r.note for name, r in graded.rows.items() if r.status != GRADED or r.note}
    assert not errors, f"{graded.chapter}: submissions not graded cleanly: {errors}"


def test_master_scores_every_point_and_release_none(graded: GradedClass) -> None:
    master, release = graded.rows["master"], graded.rows["release"]
    assert _full(master, graded.points) == list(graded.points), (
        f"{graded.chapter}: the master as a submission lost points: {master.scores}"
    )
    assert release.total == 0, (
        f"{graded.chapter}: the unanswered release earned points: {release.scores}"
    )


def test_every_wrong_answer_loses_points_on_its_own_exercise(graded: GradedClass) -> None:
    chapter, points, bank = graded.chapter, graded.points, graded.banks["wrong"]
    missing = [ex for ex in bank if ex not in points]
    assert not missing, (
        f"{chapter}: wrong answers for exercises the master does not grade: {missing}"
    )
    print(graded.per_cell("wrong"))
    accepted = [
        f"{ex}[{i}]" for (ex, i), score in graded.scores("wrong").items() if score >= points[ex]
    ]
    assert not accepted, (
        f"{chapter}: these wrong answers in tests/wrong_answers/{chapter}.py earn full points: "
        f"{accepted}"
    )
    holders: dict[str, list[str]] = {}
    for (ex, _), learner in graded.placed["wrong"].items():
        holders.setdefault(learner, []).append(ex)
    spilled = {
        learner: (exercises, other)
        for learner, exercises in holders.items()
        for other in points
        if other not in exercises and graded.rows[learner].scores.get(other) != points[other]
    }
    assert not spilled, (
        f"{chapter}: wrong answers cost points on an exercise answered as the master does "
        f"(learner: (its wrong answers' exercises, the exercise that lost points)): {spilled}"
    )


def test_every_alternative_answer_earns_every_point(graded: GradedClass) -> None:
    chapter, points, alternatives = graded.chapter, graded.points, graded.banks["right"]
    unknown = [ex for ex in alternatives if ex not in points]
    assert not unknown, (
        f"{chapter}: alternative answers for exercises the master does not grade: {unknown}"
    )
    uncovered = [ex for ex in points if len(alternatives.get(ex, [])) < 2]
    assert not uncovered, (
        f"{chapter}: tests/alternative_answers/{chapter}.py needs at least two answers for: "
        f"{uncovered}"
    )
    print(graded.per_cell("right"))
    refused = {
        f"{ex}[{i}]": score
        for (ex, i), score in graded.scores("right").items()
        if score != points[ex]
    }
    assert not refused, (
        f"{chapter}: these correct answers in tests/alternative_answers/{chapter}.py lose points "
        f"(score of their exercise): {refused}; a test assumes one implementation"
    )


def test_tampered_and_deleted_test_cells_are_restored(graded: GradedClass) -> None:
    chapter, rows, points = graded.chapter, graded.rows, graded.points
    first = next(ex for ex in graded.banks["wrong"] if ex in points)
    assert _full(rows["tampered"], points) == list(points), (
        f"{chapter}: restored test cells should pass a right answer"
    )
    assert rows["gutted"].scores[first] < points[first], (
        f"{chapter}: an `assert True` test cell gave points to a wrong answer"
    )
    assert rows["deleted_right"].scores[first] == points[first], (
        f"{chapter}: a deleted test cell was not restored"
    )
    assert rows["deleted_wrong"].scores[first] < points[first], (
        f"{chapter}: a deleted test cell gave points to a wrong answer"
    )


def test_answers_that_call_the_librarys_own_version_score_zero(graded: GradedClass) -> None:
    print(graded.per_cell("reference"))
    accepted = [f"{ex}[{i}]" for (ex, i), score in graded.scores("reference").items() if score != 0]
    assert not accepted, (
        f"{graded.chapter}: answers that call nnlib's own version earn points: {accepted}"
    )


def test_the_self_check_scores_every_graded_cell_as_the_grader(graded: GradedClass) -> None:
    """check == grade: the rule `python -m dld_check` and the notebook's self-check cell score
    with (dld_check.rules.cell_score), applied to every notebook as nbgrader executed it, gives
    the gradebook's score for every learner of the banks and every exercise. The two run the
    same code (dld_check.runner), so they differ only by the hidden tests."""
    disagree = {}
    for learner, row in graded.rows.items():
        path = graded.course / "autograded" / learner / graded.chapter / "exercises.ipynb"
        ours = {
            r.exercise.id: r.earned
            for r in results(json.loads(path.read_text()))
            if r.exercise.autograded
        }
        theirs = {ex: row.scores.get(ex) for ex in ours}
        if ours != theirs:
            disagree[learner] = (ours, theirs)
    assert {"master", "release"} <= graded.rows.keys() and len(graded.rows) > 10, sorted(
        graded.rows
    )
    assert not disagree, (
        f"{graded.chapter}: the self-check's rule and the gradebook disagree "
        f"(learner: (check, grade)): {disagree}"
    )
