"""`dld grade SUBMISSIONS --out DIR`: autograde a class in one process with nbgrader's converters.

The gradebook is built from the masters under DIR/course (so hidden tests come from the
masters, never from the submissions); every submission is copied to
DIR/course/submitted/<learner>/<chapter>/exercises.ipynb, autograded (nbgrader restores
locked test cells from the gradebook and re-adds deleted ones) in the sandboxed kernel of
`dld.sandbox`, and its feedback generated without hidden tests. The submissions folder is
only read. A submission that cannot be graded becomes an error row; the others are unaffected.
"""
from __future__ import annotations

import multiprocessing
import re
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.converters import Autograde, GenerateFeedback, NbGraderException
from nbgrader.coursedir import CourseDirectory
from tqdm import tqdm
from traitlets.config import Config

from dld.course import LOG, build_course, collect_errors
from dld.notebooks import Exercise, NotebookError, graded_exercises, read_notebook
from dld.paths import NOTEBOOK_ID, ROOT, SOLUTIONS, chapters, resolve_masters
from dld.report import ERROR, GRADED, Row, write_grades, write_report
from dld.sandbox import KERNEL_NAME, Limits, install_kernelspec

LEARNER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]*$")


class SubmissionsError(ValueError):
    """The submissions folder (or --out) cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class Submission:
    """A learner's notebook for a chapter."""

    learner: str
    chapter: str
    path: Path


def collect(folder: Path, chapter: str | None) -> list[Submission]:
    """Find submissions in nbgrader's `<learner>/<chapter>/exercises.ipynb` layout or a flat
    folder of `<learner>.ipynb` files (one chapter, named by `chapter`).

    Raises:
        SubmissionsError: no such folder, no submissions, mixed layouts, or a flat folder without chapter.
    """
    if not folder.is_dir():
        raise SubmissionsError(f"{folder}: no such folder of submissions")
    flat = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix == ".ipynb")
    nested = sorted(folder.glob(f"*/*/{NOTEBOOK_ID}.ipynb"))
    if flat and nested:
        raise SubmissionsError(f"{folder} mixes <learner>.ipynb files and <learner>/<chapter>/{NOTEBOOK_ID}.ipynb folders: use one layout")
    if flat:
        if chapter is None:
            raise SubmissionsError(f"{folder} is a flat folder of <learner>.ipynb files: say which chapter they answer with "
                                   f"--chapter (one of: {', '.join(chapters()) or 'no master yet'})")
        return [Submission(p.stem, chapter, p) for p in flat]
    if nested:
        found = [Submission(p.parent.parent.name, p.parent.name, p) for p in nested]
        return [s for s in found if chapter is None or s.chapter == chapter]
    raise SubmissionsError(f"{folder}: no submissions found; expected <learner>/<chapter>/{NOTEBOOK_ID}.ipynb "
                           "(nbgrader's submitted/ layout) or <learner>.ipynb files with --chapter")


def _reason(messages: list[str]) -> str:
    """A one-line reason from nbgrader's error log: the last line of the traceback it logged."""
    for message in reversed(messages):
        lines = [line for line in message.strip().splitlines() if line.strip()]
        if lines and "Traceback" in message:
            last = lines[-1]
            if "DeadKernelError" in last or "Kernel died" in last:
                return f"the kernel died ({last}): memory or CPU limit reached, or the code crashed Python"
            return last
    return messages[-1].strip().splitlines()[0] if messages else "nbgrader failed without a message"


def _timeouts(notebook_path: Path) -> str:
    """A note naming the cells interrupted by Execute.timeout in an autograded notebook."""
    if not notebook_path.is_file():
        return ""
    names = [cell.metadata.get("nbgrader", {}).get("grade_id", f"cell {i}") for i, cell in enumerate(read_notebook(notebook_path).cells)
             if any(o.output_type == "error" and o.ename == "CellTimeoutError" for o in cell.get("outputs", []))]
    return f"timed out (interrupted): {', '.join(names)}" if names else ""


# A kernel can die at start-up through no fault of the submission: jupyter_client picks free
# ports, closes them and hands them to the kernel, and a kernel started at the same moment by the
# other worker can take one first (seen once in CI: one of ~130 notebooks of a class run).
KERNEL_START_FAILED = "Kernel died before replying to kernel_info"
KERNEL_STARTS = 3


def grade_one(config: Config, learner: str, chapter: str) -> str | None:
    """Autograde one submission; return why it failed, or None.

    A kernel that dies before answering kernel_info has run none of the learner's code (see
    above), so nbgrader, which removes a failed attempt's output, is run again, up to
    KERNEL_STARTS times; a kernel that cannot start at all is then reported as before.
    """
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id, coursedir.student_id = chapter, learner
    for _ in range(KERNEL_STARTS):
        with collect_errors() as errors:
            try:
                Autograde(coursedir=coursedir, config=config, log=LOG).start()
                return None
            except NbGraderException:
                if not any(KERNEL_START_FAILED in message for message in errors.messages):
                    break
    return _reason(errors.messages)


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


def _run(config: Config, jobs: list[Submission], workers: int, progress: bool) -> dict[Submission, str | None]:
    """Grade `jobs`, `workers` kernels at a time (forked processes sharing the one gradebook)."""
    bar = tqdm(total=len(jobs), desc="grading", unit="notebook", disable=not progress)
    outcome: dict[Submission, str | None] = {}
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


def grade(folder: Path, out: Path, chapter: str | None = None, masters: dict[str, Path] | None = None,
          timeout: int | None = None, limits: Limits = Limits(), workers: int = 2, progress: bool = True) -> list[Row]:
    """Grade every submission in `folder`; write grades.csv, feedback/, report.md, report.png to `out`.

    Args:
        masters: chapter id -> master; default the masters in solutions/.
        timeout: per-cell seconds (Execute.timeout); default nbgrader_config.py's.
        workers: submissions executed at once (one kernel each).

    Raises:
        SubmissionsError: unusable folder or `out` inside it.
    """
    folder, out = folder.resolve(), out.resolve()
    if out == folder or folder in out.parents:
        raise SubmissionsError(f"--out {out} is inside the submissions folder {folder}, which grading never writes to")
    submissions = collect(folder, chapter)
    masters = resolve_masters(None) if masters is None else masters
    rows, jobs = [], []
    for sub in submissions:
        if sub.chapter not in masters:
            rows.append(Row(sub.learner, sub.chapter, ERROR, note=f"no master for chapter {sub.chapter!r} (known: {', '.join(masters)})"))
        elif not LEARNER_ID.match(sub.learner):
            rows.append(Row(sub.learner, sub.chapter, ERROR, note="learner id must be letters, digits and _.@+-"))
        else:
            try:
                read_notebook(sub.path)
                jobs.append(sub)
            except NotebookError as exc:
                rows.append(Row(sub.learner, sub.chapter, ERROR, note=str(exc).replace(str(folder) + "/", "")))
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
        scratch = Path(tempfile.mkdtemp(prefix="dld-grade-"))
        hidden = sorted({out, folder, SOLUTIONS, ROOT / "tests", *(m.resolve().parent for m in masters.values())})
        install_kernelspec(course / "jupyter", limits, hidden, scratch)
        config.Execute.kernel_name = KERNEL_NAME
        if timeout is not None:
            config.Execute.timeout = timeout
        try:
            outcome = _run(config, jobs, workers, progress)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        generate_feedback(config)
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}", config.CourseDirectory.course_id) as gradebook:
            for sub in jobs:
                if outcome[sub] is not None:
                    rows.append(Row(sub.learner, sub.chapter, ERROR, note=outcome[sub]))
                    continue
                note = _timeouts(course / "autograded" / sub.learner / sub.chapter / f"{NOTEBOOK_ID}.ipynb")
                html = course / "feedback" / sub.learner / sub.chapter / f"{NOTEBOOK_ID}.html"
                if html.is_file():
                    feedback = out / "feedback" / sub.learner / f"{sub.chapter}.html"
                    feedback.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(html, feedback)
                else:
                    note = "; ".join(filter(None, [note, "no feedback: nbgrader could not render it"]))
                rows.append(Row(sub.learner, sub.chapter, GRADED, _scores(gradebook, sub, exercises[sub.chapter]), note))
    rows.sort(key=lambda r: (r.chapter, r.learner))
    write_grades(rows, exercises, out / "grades.csv")
    write_report(rows, exercises, out)
    return rows
