"""`dld grade SUBMISSIONS --out DIR`: autograde a class in one process with nbgrader's converters.

The steps, in order: `admit` the submissions (every notebook handed in gets a row or a note),
`build_course` from the masters under DIR/course (hidden tests come from the masters, never from
the submissions), copy each admitted notebook to DIR/course/submitted/<learner>/<chapter>/,
autograde them (nbgrader restores locked test cells from the gradebook; `dld.autograde` runs the
learner's kernel in a sandbox and the tests in this process), generate feedback without hidden
tests, and write grades.csv, feedback/ and the report. The submissions folder is only read. A
submission that cannot be graded becomes an error row; the others are unaffected.
"""
from __future__ import annotations

import multiprocessing
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.converters import Autograde, GenerateFeedback, NbGraderException
from nbgrader.coursedir import CourseDirectory
from tqdm import tqdm
from traitlets.config import Config

from dld.autograde import INFRASTRUCTURE as INFRASTRUCTURE_MARK
from dld.course import LOG, build_course, collect_errors
from dld_check.notebooks import Exercise, NotebookError, graded_exercises, read_notebook
from dld.paths import NOTEBOOK_ID, chapters, resolve_masters
from dld.report import ERROR, GRADED, INFRASTRUCTURE, Row, write_grades, write_report
from dld.sandbox import Limits, bwrap
from dld_check import rules


class SubmissionsError(ValueError):
    """The submissions folder (or --out) cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class Submission:
    """A learner's notebook for a chapter, and a note about how it was found (e.g. renamed)."""

    learner: str
    chapter: str
    path: Path
    note: str = ""


@dataclass(frozen=True)
class Outcome:
    """How autograding one submission ended: None, or why it failed and whose fault that was."""

    reason: str | None = None
    infrastructure: bool = False


def _notebooks(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".ipynb")


def collect(folder: Path, chapter: str | None) -> tuple[list[Submission], list[Row]]:
    """Find submissions in nbgrader's `<learner>/<chapter>/exercises.ipynb` layout or a flat folder
    of `<learner>.ipynb` files (one chapter, named by `chapter`). Returns the submissions and an
    error row for every chapter folder whose notebook cannot be told (see `rules.pick_notebook`).

    Raises:
        SubmissionsError: no such folder, no submissions, mixed layouts, or a flat folder without chapter.
    """
    if not folder.is_dir():
        raise SubmissionsError(f"{folder}: no such folder of submissions")
    flat = _notebooks(folder)
    nested = sorted(d for d in folder.glob("*/*") if d.is_dir() and not d.name.startswith(".") and _notebooks(d))
    if flat and nested:
        raise SubmissionsError(f"{folder} mixes <learner>.ipynb files and <learner>/<chapter>/{NOTEBOOK_ID}.ipynb folders: use one layout")
    if flat:
        if chapter is None:
            raise SubmissionsError(f"{folder} is a flat folder of <learner>.ipynb files: say which chapter they answer with "
                                   f"--chapter (make: CHAPTER=...; one of: {', '.join(chapters()) or 'no master yet'})")
        found = []
        stems = {Path(name).stem for name in flat}
        for name in flat:
            stem = Path(name).stem
            learner = rules.strip_copy_marks(stem)
            renamed = learner != stem and learner not in stems and rules.LEARNER_ID.match(learner)
            found.append(Submission(learner if renamed else stem, chapter, folder / name,
                                    f"graded {name} as {learner}.ipynb" if renamed else ""))
        return found, []
    if nested:
        subs, rows = [], []
        for directory in nested:
            learner, chapter_id = directory.parent.name, directory.name
            if chapter is not None and chapter_id != chapter:
                continue
            picked, note = rules.pick_notebook(_notebooks(directory), NOTEBOOK_ID)
            if picked is None:
                rows.append(Row(learner, chapter_id, ERROR, note=note))
            else:
                subs.append(Submission(learner, chapter_id, directory / picked, note))
        return subs, rows
    raise SubmissionsError(f"{folder}: no submissions found; expected <learner>/<chapter>/{NOTEBOOK_ID}.ipynb "
                           "(nbgrader's submitted/ layout) or <learner>.ipynb files with --chapter")


def admit(submissions: list[Submission], masters: dict[str, Path], folder: Path) -> tuple[list[Submission], list[Row]]:
    """Submissions that can be run, and an error row for each that cannot (with the reason)."""
    jobs, rows = [], []
    for sub in submissions:
        problem = (f"no master for chapter {sub.chapter!r} (known: {', '.join(masters)})" if sub.chapter not in masters
                   else rules.admission_problem(sub.learner, sub.path.stat().st_size))
        if problem is None:
            try:
                read_notebook(sub.path)
            except NotebookError as exc:
                problem = str(exc).replace(str(folder) + "/", "")
        if problem is None:
            jobs.append(sub)
        else:
            rows.append(Row(sub.learner, sub.chapter, ERROR, note="; ".join(filter(None, [sub.note, problem]))))
    return jobs, rows


def _reason(messages: list[str]) -> Outcome:
    """Why nbgrader failed, from its error log: the last line of the traceback it logged."""
    for message in reversed(messages):
        lines = [line for line in message.strip().splitlines() if line.strip()]
        if lines and "Traceback" in message:
            infra = next((line for line in lines if INFRASTRUCTURE_MARK in line), None)
            if infra is not None:
                return Outcome(infra.split(f"{INFRASTRUCTURE_MARK}: ", 1)[-1], infrastructure=True)
            return Outcome(lines[-1])
    return Outcome(messages[-1].strip().splitlines()[0] if messages else "nbgrader failed without a message")


def _timeouts(notebook_path: Path) -> str:
    """A note naming the cells stopped by a time limit in an autograded notebook."""
    if not notebook_path.is_file():
        return ""
    stopped = {"CellTimeoutError", "TimeoutError", "NotebookStopped"}
    names = [cell.metadata.get("nbgrader", {}).get("grade_id", f"cell {i}") for i, cell in enumerate(read_notebook(notebook_path).cells)
             if any(o.output_type == "error" and o.ename in stopped for o in cell.get("outputs", []))]
    return f"stopped at a time limit: {', '.join(names)}" if names else ""


def grade_one(config: Config, learner: str, chapter: str) -> Outcome:
    """Autograde one submission. A kernel that never starts (retried by dld_check.kernel) is
    an infrastructure failure, not the learner's: the row says so and `dld grade` exits non-zero."""
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id, coursedir.student_id = chapter, learner
    with collect_errors() as errors:
        try:
            Autograde(coursedir=coursedir, config=config, log=LOG).start()
        except NbGraderException:
            return _reason(errors.messages)
    return Outcome()


def generate_feedback(config: Config) -> None:
    """HTML feedback of every autograded notebook in one nbgrader run (one exporter, one template).

    A notebook whose feedback fails is left without it (the caller notes it); the others are written.
    """
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id, coursedir.student_id = "*", "*"
    with collect_errors():
        try:
            GenerateFeedback(coursedir=coursedir, config=config, log=LOG).start()
        except NbGraderException:
            pass


def _run(config: Config, jobs: list[Submission], workers: int, progress: bool) -> dict[Submission, Outcome]:
    """Grade `jobs`, `workers` kernels at a time (forked processes sharing the one gradebook)."""
    bar = tqdm(total=len(jobs), desc="grading", unit="notebook", disable=not progress)
    outcome: dict[Submission, Outcome] = {}
    if workers == 1 or len(jobs) < 2:
        for job in jobs:
            outcome[job] = grade_one(config, job.learner, job.chapter)
            bar.update()
    else:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = {job: pool.submit(grade_one, config, job.learner, job.chapter) for job in jobs}
            for job, future in futures.items():
                outcome[job] = future.result()
                bar.update()
    bar.close()
    return outcome


def _scores(gradebook: Gradebook, sub: Submission, exercises: list[Exercise]) -> dict[str, float | None]:
    notebook = gradebook.find_submission_notebook(NOTEBOOK_ID, sub.chapter, sub.learner)
    by_name = {g.name: g for g in notebook.grades}
    return {ex.id: by_name[ex.grade_id].score if ex.autograded or by_name[ex.grade_id].manual_score is not None else None
            for ex in exercises}


def _configure(config: Config, *, timeout: int | None, notebook_timeout: int | None, limits: Limits, sandbox: bool) -> None:
    config.GraderSideExecute.sandbox = sandbox
    if notebook_timeout is not None:
        config.GraderSideExecute.notebook_timeout = notebook_timeout
    config.GraderSideExecute.memory_mb = limits.memory_mb
    config.GraderSideExecute.processes = limits.processes
    if timeout is not None:
        config.GraderSideExecute.timeout = timeout


def _rows(course: Path, out: Path, config: Config, jobs: list[Submission], outcome: dict[Submission, Outcome],
          exercises: dict[str, list[Exercise]]) -> list[Row]:
    """A row per run submission: its scores and notes, or the error; feedback copied to `out`."""
    rows = []
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", config.CourseDirectory.course_id) as gradebook:
        for sub in jobs:
            result = outcome[sub]
            if result.reason is not None:
                status, kind = (INFRASTRUCTURE, "not the learner's fault: grade again") if result.infrastructure else (ERROR, "")
                rows.append(Row(sub.learner, sub.chapter, status, note="; ".join(filter(None, [sub.note, result.reason, kind]))))
                continue
            note = "; ".join(filter(None, [sub.note, _timeouts(course / "autograded" / sub.learner / sub.chapter / f"{NOTEBOOK_ID}.ipynb")]))
            html = course / "feedback" / sub.learner / sub.chapter / f"{NOTEBOOK_ID}.html"
            if html.is_file():
                feedback = out / "feedback" / sub.learner / f"{sub.chapter}.html"
                feedback.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(html, feedback)
            else:
                note = "; ".join(filter(None, [note, "no feedback: nbgrader could not render it"]))
            rows.append(Row(sub.learner, sub.chapter, GRADED, _scores(gradebook, sub, exercises[sub.chapter]), note))
    return rows


def grade(folder: Path, out: Path, chapter: str | None = None, *, masters: dict[str, Path] | None = None,
          timeout: int | None = None, notebook_timeout: int | None = None, limits: Limits = Limits(), workers: int = 2,
          progress: bool = True, sandbox: bool = True) -> list[Row]:
    """Grade every submission in `folder`; write grades.csv, feedback/, report.md, report.png to `out`.

    Args:
        masters: chapter id -> master; default the masters in solutions/.
        timeout: per-cell seconds; default nbgrader_config.py's.
        notebook_timeout: seconds for a whole notebook; default nbgrader_config.py's.
        workers: submissions executed at once (one kernel each).
        sandbox: run kernels under bubblewrap (False: --no-sandbox, only where told).

    Raises:
        SubmissionsError: unusable folder or `out` inside it.
        SandboxUnavailable: `sandbox` and no bubblewrap.
    """
    folder, out = folder.resolve(), out.resolve()
    if out == folder or folder in out.parents:
        raise SubmissionsError(f"--out {out} is inside the submissions folder {folder}, which grading never writes to")
    if sandbox:
        bwrap()
    masters = resolve_masters(None) if masters is None else masters
    found, rows = collect(folder, chapter)
    jobs, refused = admit(found, masters, folder)
    rows += refused
    out.mkdir(parents=True, exist_ok=True)
    out.chmod(0o700)
    course = out / "course"
    shutil.rmtree(course, ignore_errors=True)
    used = sorted({s.chapter for s in jobs})
    exercises: dict[str, list[Exercise]] = {}
    if used:
        config = build_course(course, {c: masters[c] for c in used})
        exercises = {c: graded_exercises(read_notebook(course / "release" / c / f"{NOTEBOOK_ID}.ipynb")) for c in used}
        for sub in jobs:
            target = course / "submitted" / sub.learner / sub.chapter / f"{NOTEBOOK_ID}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(sub.path, target)
        _configure(config, timeout=timeout, notebook_timeout=notebook_timeout, limits=limits, sandbox=sandbox)
        outcome = _run(config, jobs, workers, progress)
        generate_feedback(config)
        rows += _rows(course, out, config, jobs, outcome, exercises)
    rows.sort(key=lambda r: (r.chapter, r.learner))
    write_grades(rows, exercises, out / "grades.csv")
    write_report(rows, exercises, out)
    return rows
