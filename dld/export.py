"""`dld export OUT`: every output of a grading folder, from its gradebook and ledger.

`dld grade` ends with it, and an instructor runs it after grading by hand: grades.csv and
lms.csv with the hand-given scores, a feedback page per graded row with scores and comments
(rewritten when what it shows changed, removed when the row is not graded), report.md and
written.md (each written answer beside the model answer and its marking points). Nothing here
grades or deletes a grade.
"""

from __future__ import annotations

import html
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

from nbgrader.api import Gradebook
from nbgrader.converters import GenerateFeedback, NbGraderException
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config

from dld.course import LOG, collect_errors, has_gradebook, load_config
from dld.feedback import is_pending
from dld.formgrader import FEEDBACK_MATHJAX_URL, MATHJAX_FILE, TEMPLATES, prepare_folder
from dld.ledger import GRADED, Entry, Ledger, exclusive, sha256
from dld.paths import CONFIG_FILE, NOTEBOOK_ID
from dld.report import PENDING, Row, write_grades, write_lms, write_report
from dld_check.notebooks import Exercise, graded_exercises, read_notebook

NO_FEEDBACK = "no feedback: nbgrader could not render it"


class GradeLike(Protocol):
    """What the pending rule reads of a gradebook grade (nbgrader.api.Grade)."""

    name: str
    score: float
    auto_score: float | None
    manual_score: float | None


def scores_of(grades: Iterable[GradeLike], exercises: list[Exercise]) -> dict[str, float | None]:
    """Points per exercise id from a submission's grades; None: pending (graded by hand, not yet).

    nbgrader's score is the hand-given one where there is one, else the autograder's (extra credit
    included): a written answer left as the release's stub scores 0 (nothing to grade), any other
    is pending (`dld.feedback.is_pending`) until an instructor gives it a score.
    """
    by_name = {g.name: None if is_pending(g) else g.score for g in grades}
    return {ex.id: by_name.get(ex.grade_id) for ex in exercises}


def course_exercises(course: Path) -> dict[str, list[Exercise]]:
    """The graded cells of every chapter of the grading course, from its releases."""
    releases = sorted((course / "release").glob(f"*/{NOTEBOOK_ID}.ipynb"))
    return {p.parent.name: graded_exercises(read_notebook(p)) for p in releases}


def _fingerprint(gradebook: Gradebook, course: Path, entry: Entry, rendering: list[str]) -> str:
    """What a feedback page shows, hashed: the autograded notebook, scores, comments, and
    `rendering` (the config and template every page is rendered with)."""
    notebook = gradebook.find_submission_notebook(NOTEBOOK_ID, entry.chapter, entry.learner)
    autograded = course / "autograded" / entry.learner / entry.chapter / f"{NOTEBOOK_ID}.ipynb"
    parts: list[Any] = [sha256(autograded.read_bytes()) if autograded.is_file() else ""]
    parts += sorted((g.name, g.auto_score, g.manual_score, g.max_score) for g in notebook.grades)
    parts += sorted((c.name, c.auto_comment, c.manual_comment) for c in notebook.comments)
    parts += [notebook.late_submission_penalty, *rendering]
    return sha256(repr(parts).encode())


def render_page(config: Config, learner: str, chapter: str) -> bool:
    """nbgrader's feedback page of one submission (the course's preprocessors); True if written.
    It only reads the gradebook, so `dld grade` runs it as a task on its workers."""
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id, coursedir.student_id = chapter, learner
    converter = GenerateFeedback(coursedir=coursedir, config=config, log=LOG)
    converter.force = True
    with collect_errors():
        try:
            converter.start()
        except NbGraderException:
            return False
    return True


def _page(course: Path, entry: Entry) -> Path:
    """nbgrader's feedback page of a row, in the grading course."""
    return course / "feedback" / entry.learner / entry.chapter / f"{NOTEBOOK_ID}.html"


def _copy(out: Path, entry: Entry) -> Path:
    """dld's copy of a row's feedback page, the one returned to the learner."""
    return out / "feedback" / entry.learner / f"{entry.chapter}.html"


# Renders the pages of some rows: (learner, chapter) -> whether the page was written.
Render = Callable[[Config, list[Entry]], dict[tuple[str, str], bool]]


def render_here(config: Config, entries: list[Entry]) -> dict[tuple[str, str], bool]:
    """`render_page` for each entry in this process, one after another."""
    return {(e.learner, e.chapter): render_page(config, e.learner, e.chapter) for e in entries}


def publish_feedback(
    course: Path, out: Path, config: Config, ledger: Ledger, render: Render = render_here
) -> set[tuple[str, str]]:
    """Render (with `render`) the feedback page of every graded row whose page is missing or out
    of date, copy it to `out/feedback/<learner>/<chapter>.html`, and remove the page of every
    other row.

    Returns (learner, chapter) of the graded rows whose page nbgrader could not render.
    """
    shared = out / "feedback" / "mathjax" / MATHJAX_FILE
    shared.parent.mkdir(parents=True, exist_ok=True)
    if not shared.is_file():
        shutil.copyfile(course / "mathjax" / MATHJAX_FILE, shared)
    failed = set()
    rendering = [p.read_text() for p in (CONFIG_FILE, TEMPLATES / "feedback" / "index.html.j2")]
    with Gradebook(config.CourseDirectory.db_url, config.CourseDirectory.course_id) as gb:
        fingerprints = {
            (e.learner, e.chapter): _fingerprint(gb, course, e, rendering)
            for e in ledger.entries()
            if e.status == GRADED
        }

    def stale(entry: Entry) -> bool:
        current = fingerprints[entry.learner, entry.chapter]
        return (
            entry.feedback != current
            or not _page(course, entry).is_file()
            or not _copy(out, entry).is_file()
        )

    rendered = render(config, [e for e in ledger.entries() if e.status == GRADED and stale(e)])
    for entry in ledger.entries():
        copy, page = _copy(out, entry), _page(course, entry)
        if entry.status != GRADED:
            copy.unlink(missing_ok=True)
            shutil.rmtree(page.parent, ignore_errors=True)
            entry.feedback = ""
            continue
        current = fingerprints[entry.learner, entry.chapter]
        if (entry.learner, entry.chapter) in rendered:
            entry.feedback = ""
            if not rendered[entry.learner, entry.chapter] or not page.is_file():
                copy.unlink(missing_ok=True)
                failed.add((entry.learner, entry.chapter))
                continue
            copy.parent.mkdir(parents=True, exist_ok=True)
            text = page.read_text().replace(FEEDBACK_MATHJAX_URL, f"../mathjax/{MATHJAX_FILE}")
            copy.write_text(text)
            entry.feedback = current
    return failed


def course_rows(config: Config, ledger: Ledger, exercises: dict[str, list[Exercise]]) -> list[Row]:
    """A row per learner and chapter the course has seen, scores read from the gradebook."""
    rows = []
    with Gradebook(config.CourseDirectory.db_url, config.CourseDirectory.course_id) as gb:
        for entry in ledger.entries():
            if entry.status == GRADED:
                notebook = gb.find_submission_notebook(NOTEBOOK_ID, entry.chapter, entry.learner)
                scores = scores_of(notebook.grades, exercises[entry.chapter])
                rows.append(Row(entry.learner, entry.chapter, GRADED, scores, entry.note))
            else:
                rows.append(Row(entry.learner, entry.chapter, entry.status, note=entry.note))
    return rows


def _cell(notebook: Any, grade_id: str) -> Any | None:
    return next(
        (c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id),
        None,
    )


def _quote(text: str) -> str:
    """Markdown block quote of a learner's text, its HTML escaped (a viewer must not run it)."""
    lines = html.escape(text.strip(), quote=False).splitlines() or ["(empty)"]
    return "\n".join(f"> {line}" if line.strip() else ">" for line in lines)


def write_written(
    course: Path,
    config: Config,
    rows: list[Row],
    exercises: dict[str, list[Exercise]],
    path: Path,
) -> None:
    """written.md: per written question, the question, the model answer with its marking points
    (from the master), and every learner's answer with its score (or pending) and comment."""
    lines = ["# Written answers", "", "Grade them in formgrader (`dld formgrader OUT`).", ""]
    db = config.CourseDirectory.db_url
    with Gradebook(db, config.CourseDirectory.course_id) as gb:
        for chapter, exs in exercises.items():
            master = read_notebook(course / "source" / chapter / f"{NOTEBOOK_ID}.ipynb")
            for ex in (e for e in exs if not e.autograded):
                model = _cell(master, ex.grade_id)
                if model is None:
                    raise ValueError(f"{chapter}: the course's master has no cell {ex.grade_id!r}")
                index = master.cells.index(model)
                question = master.cells[index - 1].source if index else ""
                lines += [
                    f"## {chapter}: `{ex.id}` ({ex.points:g} points)",
                    "",
                    _quote(question),
                    "",
                ]
                lines += ["**Model answer and marking points**", "", _quote(model.source), ""]
                for row in (r for r in rows if r.chapter == chapter and r.status == GRADED):
                    submitted = (
                        course / "submitted" / row.learner / chapter / f"{NOTEBOOK_ID}.ipynb"
                    )
                    answer = _cell(read_notebook(submitted), ex.grade_id)
                    score = row.scores.get(ex.id)
                    shown = PENDING if score is None else f"{score:g} / {ex.points:g}"
                    comment = gb.find_comment(ex.grade_id, NOTEBOOK_ID, chapter, row.learner)
                    lines += [f"### {row.learner}: {shown}", ""]
                    lines += [_quote(answer.source if answer is not None else "(cell deleted)"), ""]
                    if comment.comment:
                        lines += [f"Comment: {comment.comment}", ""]
    path.write_text("\n".join(lines))


def export(out: Path) -> list[Row]:
    """Write grades.csv, lms.csv, feedback/, report.md, report.png and written.md into `out`
    from `out/course`; return the rows.

    Raises:
        FileNotFoundError: `out` has no grading course (grade first).
        RuntimeError: another `dld grade` or `dld export` is writing `out`.
    """
    with exclusive(out.resolve()):
        return write_outputs(out)


def write_outputs(out: Path, render: Render = render_here) -> list[Row]:
    """`export` for a caller that holds `out` already (`dld grade`, which renders the feedback
    pages on its workers)."""
    course = out.resolve() / "course"
    if not has_gradebook(course):
        raise FileNotFoundError(f"{out}: no grading course; grade first: dld grade ... --out {out}")
    prepare_folder(course)
    config = load_config(course)
    ledger = Ledger(course)
    failed = publish_feedback(course, out, config, ledger, render)
    ledger.save()
    exercises = course_exercises(course)
    rows = course_rows(config, ledger, exercises)
    for row in rows:
        if (row.learner, row.chapter) in failed:
            row.note = "; ".join(filter(None, [row.note, NO_FEEDBACK]))
    write_grades(rows, exercises, out / "grades.csv")
    write_lms(rows, exercises, out / "lms.csv")
    write_report(rows, exercises, out)
    write_written(course, config, rows, exercises, out / "written.md")
    return rows
