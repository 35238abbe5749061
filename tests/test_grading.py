"""Every chapter's master is gradable: real nbgrader, each chapter's class of fake learners in one run.

The class holds, besides the master and the unanswered release, one learner per wrong answer of
tests/wrong_answers/<chapter>.py (each must lose points) and one per alternative answer of
tests/alternative_answers/<chapter>.py (correct answers written differently from the master: each
must earn every point, so no test assumes the master's implementation). Scores are checked per
cell: a wrong answer must lose points on its own exercise and on no other. The banks'
REFERENCE_CALLS (answers that only call nnlib's own version) are not graded here yet.

What nbgrader does with a deleted test cell (OverwriteCells.add_missing_cells = True): it puts
the master's cell back and runs it against the learner's answer, so a deleted test cell scores
like an intact one (a right answer earns the points, a wrong one loses them).
"""
from __future__ import annotations


import nbformat
import pytest

from dld.grade import grade
from dld_check.notebooks import graded_exercises
from dld.paths import ROOT, chapters, master_path
from dld.release import render_releases
from dld.report import GRADED, Row
from fixtures.learners import alternative_answers, one_learner_per_answer, reference_calls, solutions, submission, wrong_answers

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=chapters())
def graded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> tuple[str, dict[str, Row], dict[str, float], dict[str, list[str]], dict[str, list[str]]]:
    """Grade one chapter's class: the master, the release, every wrong and alternative answer and the tamperers."""
    chapter = request.param
    master = master_path(chapter)
    release = nbformat.reads(render_releases({chapter: master})[chapter].decode(), as_version=4)
    points = {ex.id: ex.points for ex in graded_exercises(release) if ex.autograded}
    answers = solutions(master)
    bank = wrong_answers(ROOT / "tests" / "wrong_answers" / f"{chapter}.py")
    alternatives = alternative_answers(ROOT / "tests" / "alternative_answers" / f"{chapter}.py")
    first = next(ex for ex in bank if ex in points)
    learners = {
        "master": submission(release, answers),
        "release": submission(release, {}),
        "tampered": submission(release, answers, {f"{ex}_tests": "assert False, 'tampered'\n" for ex in points}),
        "gutted": submission(release, {**answers, first: bank[first][0]}, {f"{first}_tests": "assert True\n"}),
        "deleted_right": submission(release, answers, {f"{first}_tests": None}),
        "deleted_wrong": submission(release, {**answers, first: bank[first][0]}, {f"{first}_tests": None}),
    }
    learners |= one_learner_per_answer("wrong", release, answers, bank)
    learners |= one_learner_per_answer("right", release, answers, alternatives)
    learners |= one_learner_per_answer("reference", release, answers, reference_calls(ROOT / "tests" / "wrong_answers" / f"{chapter}.py"))
    folder = tmp_path_factory.mktemp(f"{chapter}_class")
    for learner, content in learners.items():
        (folder / f"{learner}.ipynb").write_text(content)
    rows = grade(folder, tmp_path_factory.mktemp(f"{chapter}_out"), chapter, masters={chapter: master}, progress=False)
    return chapter, {r.learner: r for r in rows}, points, bank, alternatives


def _full(row: Row, points: dict[str, float]) -> list[str]:
    """Exercises where `row` earned every point."""
    return [ex for ex, p in points.items() if row.scores.get(ex) == p]


def test_every_submission_was_graded(graded) -> None:
    chapter, rows, _, _, _ = graded
    errors = {name: r.note for name, r in rows.items() if r.status != GRADED or r.note}
    assert not errors, f"{chapter}: submissions not graded cleanly: {errors}"


def test_master_scores_every_point_and_release_none(graded) -> None:
    chapter, rows, points, _, _ = graded
    assert _full(rows["master"], points) == list(points), f"{chapter}: the master as a submission lost points: {rows['master'].scores}"
    assert rows["release"].total == 0, f"{chapter}: the unanswered release earned points: {rows['release'].scores}"


def _per_cell(rows: dict[str, Row], points: dict[str, float], prefix: str, bank: dict[str, list[str]]) -> str:
    """One line per bank answer: its exercise's score, and the other exercises that lost points."""
    lines = []
    for ex, sources in bank.items():
        for i in range(len(sources)):
            row = rows[f"{prefix}_{ex}_{i}"]
            others = {o: row.scores.get(o) for o in points if o != ex and row.scores.get(o) != points[o]}
            lines.append(f"{prefix} {ex}[{i}]: {row.scores.get(ex)}/{points[ex]:g}" + (f", others lost {others}" if others else ""))
    return "\n".join(lines)


def test_every_wrong_answer_loses_points_on_its_own_exercise(graded) -> None:
    chapter, rows, points, bank, _ = graded
    missing = [ex for ex in bank if ex not in points]
    assert not missing, f"{chapter}: wrong answers for exercises the master does not grade: {missing}"
    print(_per_cell(rows, points, "wrong", bank))
    accepted = [f"{ex}[{i}]" for ex, sources in bank.items() for i in range(len(sources))
                if rows[f"wrong_{ex}_{i}"].scores[ex] >= points[ex]]
    assert not accepted, f"{chapter}: these wrong answers in tests/wrong_answers/{chapter}.py earn full points: {accepted}"
    spilled = {f"{ex}[{i}]": other for ex, sources in bank.items() for i in range(len(sources))
               for other in points if other != ex and rows[f"wrong_{ex}_{i}"].scores.get(other) != points[other]}
    assert not spilled, (f"{chapter}: these wrong answers cost points on another exercise than their own "
                         f"(answer: exercise that lost points): {spilled}")


def test_every_alternative_answer_earns_every_point(graded) -> None:
    chapter, rows, points, _, alternatives = graded
    unknown = [ex for ex in alternatives if ex not in points]
    assert not unknown, f"{chapter}: alternative answers for exercises the master does not grade: {unknown}"
    uncovered = [ex for ex in points if len(alternatives.get(ex, [])) < 2]
    assert not uncovered, f"{chapter}: tests/alternative_answers/{chapter}.py needs at least two answers for: {uncovered}"
    print(_per_cell(rows, points, "right", alternatives))
    refused = {f"{ex}[{i}]": rows[f"right_{ex}_{i}"].scores[ex] for ex, sources in alternatives.items()
               for i in range(len(sources)) if rows[f"right_{ex}_{i}"].scores[ex] != points[ex]}
    assert not refused, (f"{chapter}: these correct answers in tests/alternative_answers/{chapter}.py lose points "
                         f"(score of their exercise): {refused}; a test assumes one implementation")


def test_tampered_and_deleted_test_cells_are_restored(graded) -> None:
    chapter, rows, points, bank, _ = graded
    first = next(ex for ex in bank if ex in points)
    assert _full(rows["tampered"], points) == list(points), f"{chapter}: restored test cells should pass a right answer"
    assert rows["gutted"].scores[first] < points[first], f"{chapter}: an `assert True` test cell gave points to a wrong answer"
    assert rows["deleted_right"].scores[first] == points[first], f"{chapter}: a deleted test cell was not restored"
    assert rows["deleted_wrong"].scores[first] < points[first], f"{chapter}: a deleted test cell gave points to a wrong answer"


def test_answers_that_call_the_librarys_own_version_score_zero(graded) -> None:
    chapter, rows, points, _, _ = graded
    calls = reference_calls(ROOT / "tests" / "wrong_answers" / f"{chapter}.py")
    print(_per_cell(rows, points, "reference", calls))
    accepted = [f"{ex}[{i}]" for ex, sources in calls.items() for i in range(len(sources))
                if rows[f"reference_{ex}_{i}"].scores[ex] != 0]
    assert not accepted, f"{chapter}: answers that call nnlib's own version earn points: {accepted}"
