"""The grading course keeps every grade: grade, grade by hand, regrade, export, return feedback.

The slow tests run real nbgrader on the toy chapter into one grading folder, step by step as an
instructor would (`journey`), then check the gradebook, the CSVs and every feedback page; one
drives formgrader itself (its HTTP API, and its UI in headless Chromium). The fast tests check the
ledger, the pending rule and the LMS CSV on hand-built data.
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
import yaml
from fixtures.learners import solutions, submission
from nbgrader.api import Gradebook
from test_instructor import HIDDEN_TEST_TEXT, TOY

from dld.cli import main
from dld.course import course_version
from dld.export import scores_of
from dld.formgrader import server_command
from dld.grade import grade, release_note
from dld.ledger import (
    ERROR,
    GRADED,
    Entry,
    Ledger,
    answer_hashes,
    changed_answers,
    exclusive,
    up_to_date,
)
from dld.paths import ROOT, chapters, release_path
from dld.release import render_releases
from dld.report import INFRASTRUCTURE, Row, write_lms
from dld_check.notebooks import Exercise

COURSE_ID = "deep-learning-demystified"
ANSWER = {
    "ann": "Each |x_i| is at least 0, so their mean is too: $\\frac{1}{n}\\sum_i |x_i| \\ge 0$.",
    "bob": "Because absolute values are positive.",
    "eve": "<img src=x onerror=\"document.title='pwned'\"> It is an average of distances.",
}
# An answer cell whose output is learner HTML that would run a script (formgrader must not run it).
EVE_DOUBLE = (
    "from IPython.display import HTML, display\n"
    "display(HTML(\"<script>document.title='pwned'</script><b>bold</b>\"))\n"
    "def double(x):\n    return 2 * x\n"
)
TRACEBACK_TEXT = ["Traceback (most recent call last)", 'File "/']


# ---- fast: the ledger, the pending rule, the LMS CSV ----


def test_answer_hashes_name_every_answer_cell_and_see_each_change() -> None:
    cell = {"cell_type": "markdown", "metadata": {"nbgrader": {"solution": True}}}
    notebook = {
        "cells": [
            {
                **cell,
                "source": "one",
                "metadata": {"nbgrader": {"solution": True, "grade_id": "a"}},
            },
            {**cell, "source": ["tw", "o"], "metadata": {"nbgrader": {"grade_id": "b"}}},
            {**cell, "source": "x", "metadata": {"nbgrader": {"solution": True, "grade_id": "c"}}},
        ]
    }
    before = answer_hashes(notebook)
    assert sorted(before) == ["a", "c"], "only answer (solution) cells are hashed"
    notebook["cells"][2]["source"] = "y"
    assert changed_answers(before, answer_hashes(notebook)) == {"c"}
    assert changed_answers(before, {"a": before["a"]}) == {"c"}, "a deleted answer is a change"


def test_ledger_round_trip_and_what_is_up_to_date(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path)
    graded = Entry("ann", "toy", file="f1", source="s1", status=GRADED, note="n")
    broken = Entry("bob", "toy", file="f2", source="s1", status=INFRASTRUCTURE)
    ledger.put(graded)
    ledger.put(broken)
    ledger.save()
    again = Ledger(tmp_path)
    assert again.get("ann", "toy") == graded and again.get("cat", "toy") is None
    assert [e.learner for e in again.entries()] == ["ann", "bob"]
    assert up_to_date(again.get("ann", "toy"), "f1", "s1")
    assert not up_to_date(again.get("ann", "toy"), "f9", "s1"), "a changed file is graded again"
    assert not up_to_date(again.get("ann", "toy"), "f1", "s9"), "a changed master regrades"
    assert not up_to_date(again.get("bob", "toy"), "f2", "s1"), "infrastructure errors retry"
    assert not up_to_date(None, "f1", "s1")
    (tmp_path / "ledger.json").write_text(json.dumps({"format": 99, "entries": []}))
    with pytest.raises(ValueError, match="ledger format 99"):
        Ledger(tmp_path)


def test_pending_is_a_written_answer_without_a_score() -> None:
    exercises = [
        Exercise("double", "double_tests", 2, True),
        Exercise("why", "why_written", 3, False),
    ]
    grades = [
        SimpleNamespace(name="double_tests", score=2.0, auto_score=2.0, manual_score=None),
        SimpleNamespace(name="why_written", score=0.0, auto_score=None, manual_score=None),
    ]
    scores = scores_of(grades, exercises)
    assert scores == {"double": 2.0, "why": None}
    row = Row("ann", "toy", GRADED, scores)
    assert (row.pending, row.total, row.state) == (1, 2.0, "pending")
    graded = Row("ann", "toy", GRADED, {"double": 2.0, "why": 0.0})
    assert (graded.pending, graded.total, graded.state) == (0, 2.0, "graded")
    stub = SimpleNamespace(name="why_written", score=0.0, auto_score=0.0, manual_score=None)
    given = SimpleNamespace(name="why_written", score=1.5, auto_score=None, manual_score=1.5)
    assert scores_of([stub], exercises[1:]) == {"why": 0.0}, "an unanswered question scores 0"
    assert scores_of([given], exercises[1:]) == {"why": 1.5}
    error = Row("dan", "toy", ERROR, note="not a notebook")
    assert (error.pending, error.total, error.state) == (0, None, "error"), (
        "an error is not 0 points"
    )


def test_lms_csv_one_row_per_learner_totals_and_percent(tmp_path: Path) -> None:
    exercises = {
        "a": [Exercise("x", "x_tests", 2, True), Exercise("w", "w_written", 2, False)],
        "b": [Exercise("y", "y_tests", 6, True)],
    }
    rows = [
        Row("zoe", "a", GRADED, {"x": 2.0, "w": None}),
        Row("zoe", "b", GRADED, {"y": 3.0}),
        Row("amy", "a", ERROR, note="broken"),
        Row("amy", "b", GRADED, {"y": 6.0}),
        Row("kim", "b", ERROR),
    ]
    write_lms(rows, exercises, tmp_path / "lms.csv")
    with (tmp_path / "lms.csv").open() as f:
        table = list(csv.reader(f))
    assert table == [
        ["learner", "a (4)", "b (6)", "total", "max", "percent", "pending"],
        ["amy", "", "6", "6", "10", "60.0", "0"],
        ["kim", "", "", "", "10", "", "0"],
        ["zoe", "2", "3", "5", "10", "50.0", "1"],
    ]


def test_the_course_version_is_one_setting_shown_everywhere() -> None:
    version = course_version()
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert f"Course version {version}:" in config["html"]["extra_footer"], "the site's footer"
    assert f"## {version} " in (ROOT / "CHANGELOG.md").read_text()
    for chapter in chapters():
        notebook = nbformat.read(release_path(chapter), as_version=4)
        assert notebook.metadata["dld"]["course_version"] == version, chapter


def test_a_submission_from_another_release_is_noted() -> None:
    version = course_version()
    made = nbformat.from_dict({"metadata": {"dld": {"course_version": version}}})
    assert release_note(made) == ""
    made.metadata.dld.course_version = "0.0.1"
    assert (
        release_note(made)
        == f"made from release 0.0.1 of the course, graded against release {version}"
    )
    assert "without a course version" in release_note(nbformat.from_dict({"metadata": {}}))


def test_exit_3_and_one_line_per_problem_when_it_is_not_the_learners_fault(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rows = [
        Row("ann", "toy", GRADED, {"double": 2.0}),
        Row("bob", "toy", ERROR, note="not a notebook"),
        Row("cat", "toy", INFRASTRUCTURE, note="the kernel did not start"),
    ]
    monkeypatch.setattr("dld.grade.grade", lambda *args, **kwargs: rows)
    assert main(["grade", str(tmp_path), "--out", str(tmp_path / "out")]) == 3
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("1 submission graded, 2 not graded, 0 answers left")
    assert lines[1:] == [
        "  not graded (error): bob toy: not a notebook",
        "  not graded (infrastructure error): cat toy: the kernel did not start",
    ]
    monkeypatch.setattr("dld.grade.grade", lambda *args, **kwargs: rows[:2])
    assert main(["grade", str(tmp_path), "--out", str(tmp_path / "out")]) == 0, (
        "a learner's broken file is not a failure of grading"
    )


def test_one_run_at_a_time_on_a_grading_folder(tmp_path: Path) -> None:
    with exclusive(tmp_path):
        with pytest.raises(RuntimeError, match="in use by another dld grade"):
            with exclusive(tmp_path):
                pass
    with exclusive(tmp_path):
        pass


# ---- slow: a real grading folder, step by step ----


@dataclass
class Journey:
    """One grading folder and what each step of the instructor's journey left behind."""

    out: Path
    steps: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    said: dict[str, list[str]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)


def _csv(path: Path) -> dict[str, dict[str, str]]:
    with path.open() as f:
        return {f"{r['learner']}/{r.get('chapter', '')}".rstrip("/"): r for r in csv.DictReader(f)}


def _write_class(folder: Path, notebooks: dict[str, str], chapter: str = "toy") -> Path:
    for learner, content in notebooks.items():
        path = folder / learner / chapter / "exercises.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return folder


def _class(release: nbformat.NotebookNode) -> dict[str, str]:
    right = solutions(TOY)
    return {
        "ann": submission(release, {**right, "why_written": ANSWER["ann"]}),
        "bob": submission(release, {"double": right["double"], "why_written": ANSWER["bob"]}),
        "cat": submission(release, {}),
        "dan": '{"cells": [',
        "eve": _made_from(
            "0.0.9",
            submission(
                release,
                {"double": EVE_DOUBLE, "mean_abs": right["mean_abs"], "why_written": ANSWER["eve"]},
            ),
        ),
    }


def _made_from(version: str, content: str) -> str:
    """A submission as saved from an older release of the course."""
    notebook = json.loads(content)
    notebook["metadata"]["dld"]["course_version"] = version
    return json.dumps(notebook)


def _hand_grade(out: Path, learner: str, grade_id: str, score: float, comment: str) -> None:
    """A score and a comment as formgrader saves them, through nbgrader's Gradebook API."""
    with Gradebook(f"sqlite:///{out / 'course' / 'gradebook.db'}", COURSE_ID) as gb:
        grade_ = gb.find_grade(grade_id, "exercises", "toy", learner)
        grade_.manual_score = score
        grade_.needs_manual_grade = False
        gb.find_comment(
            grade_id.removesuffix("_tests"), "exercises", "toy", learner
        ).manual_comment = comment
        gb.db.commit()


def _timed_grade(journey: Journey, step: str, folder: Path, **kwargs: object) -> None:
    said: list[str] = []
    started = time.perf_counter()
    options: dict[str, object] = {"masters": {"toy": TOY}, "timeout": 5, "progress": False}
    grade(folder, journey.out, **{**options, "say": said.append, **kwargs})
    journey.seconds[step] = time.perf_counter() - started
    journey.said[step] = said
    journey.steps[step] = _csv(journey.out / "grades.csv")


@pytest.fixture(scope="module")
def journey(tmp_path_factory: pytest.TempPathFactory) -> Journey:
    """Grade a class, grade its written answers by hand, re-run unchanged, export, take a
    resubmission, grade a one-learner folder, and run nbgrader's own generate_feedback there."""
    root = tmp_path_factory.mktemp("journey")
    release = nbformat.reads(render_releases({"toy": TOY})["toy"].decode(), as_version=4)
    journey = Journey(root / "out")
    notebooks = _class(release)
    _timed_grade(journey, "first", _write_class(root / "class", notebooks))
    journey.steps["first_report"] = {"report": {"text": (journey.out / "report.md").read_text()}}
    _hand_grade(journey.out, "ann", "why_written", 1, "Right: every term is non-negative.")
    _hand_grade(journey.out, "bob", "why_written", 0.5, "Zero is not positive; say non-negative.")
    _hand_grade(journey.out, "cat", "double_tests", 1, "A point for the docstring you kept.")
    _timed_grade(journey, "unchanged", root / "class")
    assert main(["export", str(journey.out)]) == 0
    journey.steps["export"] = _csv(journey.out / "grades.csv")
    resubmitted = {
        **notebooks,
        "bob": submission(
            release,
            {"double": solutions(TOY)["double"], "why_written": "Absolute values are >= 0."},
        ),
    }
    resubmitted["dan"] = submission(release, solutions(TOY))
    _timed_grade(journey, "resubmission", _write_class(root / "class2", resubmitted))
    _timed_grade(
        journey,
        "one_learner",
        _write_class(root / "cat_only", {"cat": notebooks["cat"]}),
        regrade=True,
    )
    remaster = root / "toy.md"
    remaster.write_text(TOY.read_text().replace("element-wise", "element by element"))
    _timed_grade(journey, "remastered", root / "class2", masters={"toy": remaster})
    course = journey.out / "course"
    subprocess.run(
        [str(Path(sys.executable).parent / "nbgrader"), "generate_feedback", "toy", "--force"],
        cwd=course,
        check=True,
        capture_output=True,
    )
    return journey


def _gradebook_totals(out: Path) -> dict[str, float]:
    with Gradebook(f"sqlite:///{out / 'course' / 'gradebook.db'}", COURSE_ID) as gb:
        return {s.student.id: s.score for s in gb.assignment_submissions("toy")}


def _feedback_pages(out: Path) -> list[Path]:
    return sorted((out / "feedback").glob("*/*.html")) + sorted(
        (out / "course" / "feedback").glob("*/*/*.html")
    )


def _no_leak(pages: list[Path]) -> None:
    assert pages
    for page in pages:
        text = page.read_text()
        leaked = [t for t in HIDDEN_TEST_TEXT + TRACEBACK_TEXT if t in text]
        assert not leaked, f"{page} shows hidden tests or a traceback: {leaked}"
        assert "cdnjs" not in text and "mathjax/tex-svg.js" in text, f"{page}: MathJax is not local"


@pytest.mark.slow
def test_first_run_says_pending_and_flags_errors(journey: Journey) -> None:
    first = journey.steps["first"]
    assert {k: r["why_written"] for k, r in first.items()} == {
        "ann/toy": "pending",
        "bob/toy": "pending",
        "cat/toy": "0",
        "dan/toy": "",
        "eve/toy": "pending",
    }, "written answers not graded yet read pending; an unanswered one 0"
    assert (first["ann/toy"]["status"], first["ann/toy"]["total"]) == ("pending", "5")
    assert (first["dan/toy"]["status"], first["dan/toy"]["total"]) == ("error", ""), "not 0 points"
    assert "**3 answers left to grade by hand**" in journey.steps["first_report"]["report"]["text"]
    assert (
        first["eve/toy"]["note"]
        == "made from release 0.0.9 of the course, graded against release 0.1.0"
    )


@pytest.mark.slow
def test_an_unchanged_class_is_not_graded_again(journey: Journey) -> None:
    print(
        f"\nre-run of an unchanged class: {journey.seconds['unchanged']:.2f} s "
        f"(first run {journey.seconds['first']:.2f} s)"
    )
    assert journey.said["unchanged"] == [
        "4 submissions unchanged since last graded: kept (--regrade grades every submission again)"
    ]
    assert journey.seconds["unchanged"] < journey.seconds["first"] / 2


@pytest.mark.slow
def test_hand_given_scores_and_comments_survive_every_run(journey: Journey) -> None:
    for step in ("export", "resubmission", "one_learner", "remastered"):
        rows = journey.steps[step]
        assert (rows["ann/toy"]["why_written"], rows["ann/toy"]["status"]) == ("1", "graded"), step
        assert (rows["cat/toy"]["double"], rows["cat/toy"]["total"]) == ("1", "1"), step
    assert journey.steps["export"]["bob/toy"]["why_written"] == "0.5"
    final = journey.steps["one_learner"]
    assert sorted(final) == ["ann/toy", "bob/toy", "cat/toy", "dan/toy", "eve/toy"], (
        "a one-learner folder keeps every other learner"
    )
    ann = (journey.out / "feedback" / "ann" / "toy.html").read_text()
    assert "Right: every term is non-negative." in ann and "Score: 1.0 / 1.0" in ann
    cat = (journey.out / "feedback" / "cat" / "toy.html").read_text()
    assert "A point for the docstring you kept." in cat


@pytest.mark.slow
def test_a_changed_answer_is_pending_again_and_its_old_score_kept(journey: Journey) -> None:
    bob = journey.steps["resubmission"]["bob/toy"]
    assert (bob["why_written"], bob["status"]) == ("pending", "pending")
    page = (journey.out / "feedback" / "bob" / "toy.html").read_text()
    assert "pending" in page and "Zero is not positive" not in page
    entry = Ledger(journey.out / "course").get("bob", "toy")
    assert [(s["grade_id"], s["manual_score"], s["comment"]) for s in entry.set_aside] == [
        ("why_written", 0.5, "Zero is not positive; say non-negative.")
    ]
    assert journey.said["resubmission"][0].startswith("3 submissions unchanged")


@pytest.mark.slow
def test_a_changed_master_regrades_everyone_and_keeps_hand_scores(journey: Journey) -> None:
    assert journey.said["remastered"] == [
        "the master of toy changed: its submissions are graded again"
    ]
    assert journey.steps["remastered"]["bob/toy"]["why_written"] == "pending"


@pytest.mark.slow
def test_error_rows_have_no_feedback_and_a_fixed_one_gets_its_page(journey: Journey) -> None:
    assert journey.steps["first"]["dan/toy"]["status"] == "error"
    dan = journey.steps["resubmission"]["dan/toy"]
    assert (dan["status"], dan["total"]) == ("graded", "5")
    assert (journey.out / "feedback" / "dan" / "toy.html").is_file()


@pytest.mark.slow
def test_lms_totals_equal_the_gradebook(journey: Journey) -> None:
    lms = _csv(journey.out / "lms.csv")
    totals = _gradebook_totals(journey.out)
    assert {k: float(r["total"]) for k, r in lms.items()} == totals
    assert list(next(iter(lms.values())))[0] == "learner"
    print("\nlms.csv:\n" + (journey.out / "lms.csv").read_text())


@pytest.mark.slow
def test_no_feedback_page_of_any_path_leaks_tests(journey: Journey) -> None:
    _no_leak(_feedback_pages(journey.out))
    page = (journey.out / "course" / "feedback" / "ann" / "toy" / "exercises.html").read_text()
    assert "Exercise <code>double</code>" in page and "Test cell" not in page


@pytest.mark.slow
def test_written_md_shows_model_answer_beside_each_answer(journey: Journey) -> None:
    text = (journey.out / "written.md").read_text()
    assert "dividing by $n &gt; 0$ keeps the sign" in text, "the model answer from the master"
    assert ANSWER["bob"] not in text and "### bob: pending" in text
    assert "### ann: 1 / 1" in text and "&lt;img src=x" in text, "learner HTML is escaped"


@pytest.mark.slow
def test_race_free_parallel_grading(tmp_path: Path) -> None:
    """4 learners x 2 chapters with 2 workers, 5 times over: never an error row."""
    release = nbformat.reads(render_releases({"toy": TOY})["toy"].decode(), as_version=4)
    folder = tmp_path / "class"
    for chapter in ("toy", "toy2"):
        _write_class(
            folder, {f"l{i}": submission(release, solutions(TOY)) for i in range(4)}, chapter
        )
    runs = []
    for run in range(5):
        started = time.perf_counter()
        rows = grade(
            folder,
            tmp_path / "out",
            masters={"toy": TOY, "toy2": TOY},
            timeout=5,
            progress=False,
            fresh=run > 0,
        )
        runs.append(
            (
                time.perf_counter() - started,
                [(r.learner, r.chapter, r.note) for r in rows if r.status != GRADED],
            )
        )
    print("\nrace test runs (seconds, rows not graded):", [(round(s, 1), bad) for s, bad in runs])
    assert all(not bad for _, bad in runs) and all(len(rows) == 8 for _ in runs)


@pytest.mark.slow
def test_due_dates_use_the_handed_in_timestamp(tmp_path: Path) -> None:
    release = nbformat.reads(render_releases({"toy": TOY})["toy"].decode(), as_version=4)
    folder = _write_class(
        tmp_path / "class",
        {"ann": submission(release, solutions(TOY))} | {"bob": submission(release, solutions(TOY))},
    )
    (folder / "ann" / "toy" / "timestamp.txt").write_text("2027-01-15 20:00:00.000000 UTC")
    (folder / "bob" / "toy" / "timestamp.txt").write_text("2027-01-15 17:00:00.000000 UTC")
    due = {"toy": datetime.datetime(2027, 1, 15, 18, tzinfo=datetime.UTC)}
    rows = {
        r.learner: r
        for r in grade(
            folder, tmp_path / "out", masters={"toy": TOY}, due=due, timeout=5, progress=False
        )
    }
    assert rows["ann"].note == "handed in 2.0 h after the due date (late penalty 0 points)"
    assert rows["bob"].note == "" and rows["ann"].total == rows["bob"].total == 5


# ---- slow: formgrader on the grading folder ----


@pytest.fixture(scope="module")
def formgrader(journey: Journey) -> Iterator[str]:
    """`dld formgrader`'s server on the journey's folder; yields its base URL with the token."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "JUPYTER_TOKEN": "dld-test",
        "JUPYTER_RUNTIME_DIR": str(journey.out / "runtime"),
    }
    proc = subprocess.Popen(
        server_command(journey.out, port, open_browser=False),
        cwd=journey.out / "course",
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/api/status?token=dld-test", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("formgrader did not start in 60 s")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        shutil.rmtree(journey.out / "runtime", ignore_errors=True)


def _post(url: str) -> dict[str, object]:
    request = urllib.request.Request(
        url, method="POST", headers={"Authorization": "token dld-test"}
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


@pytest.mark.slow
def test_formgrader_buttons_never_bypass_the_course(journey: Journey, formgrader: str) -> None:
    autograded = journey.out / "course" / "autograded" / "ann" / "toy" / "exercises.ipynb"
    before = autograded.read_bytes()
    refused = _post(f"{formgrader}/formgrader/api/submission/toy/ann/autograde")
    assert refused["success"] is False and "dld grade" in str(refused["error"])
    assert autograded.read_bytes() == before, "formgrader's Autograde touched the graded notebook"
    assert _post(f"{formgrader}/formgrader/api/assignment/toy/generate_feedback")["success"] is True
    _no_leak(sorted((journey.out / "course" / "feedback").glob("*/*/*.html")))


@pytest.mark.slow
@pytest.mark.browser
def test_hand_grading_in_formgrader_ui(journey: Journey, formgrader: str, browser: object) -> None:
    with Gradebook(f"sqlite:///{journey.out / 'course' / 'gradebook.db'}", COURSE_ID) as gb:
        eve = gb.find_submission_notebook("exercises", "toy", "eve").id
    page = browser.new_page()
    page.goto(f"{formgrader}/formgrader?token=dld-test")  # the address `dld formgrader` prints
    page.goto(f"{formgrader}/formgrader/submissions/{eve}/")
    page.wait_for_selector("#why_written")
    page.wait_for_timeout(1500)
    assert page.title() != "pwned", "a learner's HTML ran in formgrader"
    assert page.locator("mjx-container").count() > 0, "formgrader shows raw LaTeX (no MathJax)"
    page.fill("#why_written-comment", "Distances are never negative: good.")
    page.press("#why_written-comment", "Tab")
    page.fill("#why_written", "1")
    page.press("#why_written", "Tab")
    page.wait_for_timeout(1500)
    page.close()
    assert main(["export", str(journey.out)]) == 0
    assert _csv(journey.out / "grades.csv")["eve/toy"]["why_written"] == "1"
    text = (journey.out / "feedback" / "eve" / "toy.html").read_text()
    assert "Distances are never negative: good." in text and "<script>document.title" not in text
    assert _csv(journey.out / "grades.csv")["ann/toy"]["why_written"] == "1"
