"""`dld grade SUBMISSIONS --out OUT`: autograde a class into a grading course that accumulates.

`OUT/course` is an nbgrader course kept from run to run: its gradebook holds every learner and
chapter graded so far, with the scores and comments given by hand, and its ledger
(`dld.ledger`) what was graded from which file. A run: `collect` and `admit` the submissions
(every notebook handed in gets a row or a note), bring the course's chapters up to date with
their masters (hidden tests come from the masters, never from the submissions), pick the
submissions that are new or changed (all with `regrade`), put every learner and submission in the
gradebook before any worker starts (so parallel workers never race to create one), autograde
each as a task on Dask distributed (`dld.cluster`: a LocalCluster here, or an existing cluster;
`dld.autograde`: the learner's kernel sandboxed, the tests in the worker's process), and, in this
process as each task ends, record it in the ledger and set aside the hand-given scores of answers
that changed (they read pending again); then write every output from the gradebook
(`dld.export`). The gradebook is SQLite in the course folder, or any database nbgrader takes
(`db`, e.g. PostgreSQL); the ledger is saved even when the run is interrupted, so running again
grades only what is left or changed. The submissions folder is only read; nothing of a previous
run is deleted unless `fresh` says so. A submission that cannot be graded becomes an error row
(not 0 points); the others are unaffected. Tracebacks go to OUT/grade.log.
"""

from __future__ import annotations

import datetime
import logging
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters import Autograde, NbGraderException
from nbgrader.coursedir import CourseDirectory
from sqlalchemy.engine import make_url
from tqdm import tqdm
from traitlets.config import Config

from dld.autograde import INFRASTRUCTURE as INFRASTRUCTURE_MARK
from dld.cluster import check_workers, connect, run_tasks
from dld.course import (
    DB_FILE,
    LOG,
    build_course,
    collect_errors,
    course_version,
    gradebook_url,
    has_gradebook,
    load_config,
    master_notebook,
    sqlite_url,
)
from dld.export import Render, render_here, render_page, write_outputs
from dld.formgrader import prepare_folder
from dld.ledger import (
    ERROR,
    GRADED,
    INFRASTRUCTURE,
    Entry,
    Ledger,
    answer_hashes,
    answer_of,
    changed_answers,
    exclusive,
    sha256,
    up_to_date,
)
from dld.paths import NOTEBOOK_ID, chapters, resolve_masters
from dld.report import Row, plural
from dld.sandbox import Limits, bwrap
from dld_check import rules
from dld_check.notebooks import NotebookError, read_notebook

LOG_FILE = "grade.log"
TIMESTAMP = "timestamp.txt"
# nbgrader failures that are the machine's, never the learner's (the gradebook's database).
MACHINE_ERRORS = ("sqlite3.", "sqlalchemy.", "database is locked")


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
    """How autograding one submission ended: None, or why it failed and whose fault that was;
    and what nbgrader logged (level, message) on the worker, for grade.log."""

    reason: str | None = None
    infrastructure: bool = False
    log: tuple[tuple[int, str], ...] = ()


def _notebooks(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".ipynb")


def collect(folder: Path, chapter: str | None) -> tuple[list[Submission], list[Row]]:
    """Find submissions in nbgrader's `<learner>/<chapter>/exercises.ipynb` layout or a flat folder
    of `<learner>.ipynb` files (one chapter, named by `chapter`). Returns the submissions and an
    error row for every chapter folder whose notebook cannot be told (see `rules.pick_notebook`).

    Raises:
        SubmissionsError: no such folder, no submissions, mixed layouts, or a flat folder without
            chapter.
    """
    if not folder.is_dir():
        raise SubmissionsError(f"{folder}: no such folder of submissions")
    flat = _notebooks(folder)
    nested = sorted(
        d for d in folder.glob("*/*") if d.is_dir() and not d.name.startswith(".") and _notebooks(d)
    )
    if flat and nested:
        raise SubmissionsError(
            f"{folder} mixes <learner>.ipynb files and <learner>/<chapter>/{NOTEBOOK_ID}.ipynb "
            "folders: use one layout"
        )
    if flat:
        if chapter is None:
            raise SubmissionsError(
                f"{folder} is a flat folder of <learner>.ipynb files: say which chapter they "
                "answer with "
                f"--chapter (make: CHAPTER=...; one of: {', '.join(chapters()) or 'no master yet'})"
            )
        found = []
        stems = {Path(name).stem for name in flat}
        for name in flat:
            stem = Path(name).stem
            learner = rules.strip_copy_marks(stem)
            renamed = learner != stem and learner not in stems and rules.LEARNER_ID.match(learner)
            found.append(
                Submission(
                    learner if renamed else stem,
                    chapter,
                    folder / name,
                    f"graded {name} as {learner}.ipynb" if renamed else "",
                )
            )
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
    raise SubmissionsError(
        f"{folder}: no submissions found; expected <learner>/<chapter>/{NOTEBOOK_ID}.ipynb "
        "(nbgrader's submitted/ layout) or <learner>.ipynb files with --chapter"
    )


def release_note(notebook: nbformat.NotebookNode) -> str:
    """A note when a submission was made from another release of the course than the one it is
    graded against (its tests may differ); "" when the versions agree."""
    made = notebook.metadata.get("dld", {}).get("course_version")
    now = course_version()
    if made == now:
        return ""
    if made is None:
        return f"made from a release without a course version (before {now}), graded against {now}"
    return f"made from release {made} of the course, graded against release {now}"


def admit(
    submissions: list[Submission], masters: dict[str, Path], folder: Path
) -> tuple[list[Submission], list[Row]]:
    """Submissions that can be run, and an error row for each that cannot (with the reason)."""
    jobs, rows = [], []
    for sub in submissions:
        problem = (
            f"no master for chapter {sub.chapter!r} (known: {', '.join(masters)})"
            if sub.chapter not in masters
            else rules.admission_problem(sub.learner, sub.path.stat().st_size)
        )
        if problem is None:
            try:
                made_from = release_note(read_notebook(sub.path))
            except NotebookError as exc:
                problem = str(exc).replace(str(folder) + "/", "")
        if problem is None:
            jobs.append(replace(sub, note="; ".join(filter(None, [sub.note, made_from]))))
        else:
            rows.append(
                Row(
                    sub.learner,
                    sub.chapter,
                    ERROR,
                    note="; ".join(filter(None, [sub.note, problem])),
                )
            )
    return jobs, rows


def _reason(messages: list[str]) -> Outcome:
    """Why nbgrader failed, from its error log: the last line of the traceback it logged."""
    for message in reversed(messages):
        lines = [line for line in message.strip().splitlines() if line.strip()]
        if lines and "Traceback" in message:
            infra = next((line for line in lines if INFRASTRUCTURE_MARK in line), None)
            if infra is not None:
                return Outcome(infra.split(f"{INFRASTRUCTURE_MARK}: ", 1)[-1], infrastructure=True)
            machine = any(mark in message for mark in MACHINE_ERRORS)
            return Outcome(lines[-1], infrastructure=machine)
    return Outcome(
        messages[-1].strip().splitlines()[0] if messages else "nbgrader failed without a message"
    )


def _timeouts(notebook_path: Path) -> str:
    """A note naming the cells stopped by a time limit in an autograded notebook."""
    if not notebook_path.is_file():
        return ""
    stopped = {"CellTimeoutError", "TimeoutError", "NotebookStopped"}
    names = [
        cell.metadata.get("nbgrader", {}).get("grade_id", f"cell {i}")
        for i, cell in enumerate(read_notebook(notebook_path).cells)
        if any(o.output_type == "error" and o.ename in stopped for o in cell.get("outputs", []))
    ]
    return f"stopped at a time limit: {', '.join(names)}" if names else ""


def grade_one(config: Config, learner: str, chapter: str) -> Outcome:
    """Autograde one submission (again, if it was graded before). A kernel that never starts
    (retried by dld_check.kernel) or a gradebook error is an infrastructure failure, not the
    learner's: the row says so and `dld grade` exits non-zero."""
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id, coursedir.student_id = chapter, learner
    converter = Autograde(coursedir=coursedir, config=config, log=LOG)
    converter.force = True
    with collect_errors() as errors:
        try:
            converter.start()
        except NbGraderException:
            return _reason(errors.messages)
    return Outcome()


class _Recorder(logging.Handler):
    """Keeps what nbgrader logs at WARNING and above during one task."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelno, record.getMessage()))


def grade_task(config: Config, learner: str, chapter: str) -> Outcome:
    """One Dask task: `grade_one` on a worker, with what nbgrader logged there (plain data)."""
    recorder = _Recorder()
    handlers, propagate = LOG.handlers, LOG.propagate
    # Only to the driver, which writes grade.log (a forked worker inherits its file handler).
    LOG.handlers, LOG.propagate = [recorder], False
    try:
        outcome = grade_one(config, learner, chapter)
    finally:
        LOG.handlers, LOG.propagate = handlers, propagate
    return replace(outcome, log=tuple(recorder.records))


def _failed_task(error: BaseException) -> Outcome:
    """The outcome of a task that raised on every try, or whose workers kept dying."""
    return Outcome(f"the grading task failed: {type(error).__name__}: {error}", infrastructure=True)


def _run(
    config: Config,
    ledger: Ledger,
    jobs: list[Submission],
    sources: dict[str, str],
    *,
    workers: int,
    cluster: str | None,
    sandbox: bool,
    progress: bool,
) -> None:
    """Grade `jobs` as Dask tasks (every learner and submission already in the gradebook) and
    settle each in this process as it finishes, so an interrupted run keeps what it graded."""
    if not jobs:
        return
    course = Path(config.CourseDirectory.root)
    bar = tqdm(total=len(jobs), desc="grading", unit="notebook", disable=not progress)
    with (
        connect(cluster, workers) as client,
        Gradebook(config.CourseDirectory.db_url, config.CourseDirectory.course_id) as gb,
    ):
        check_workers(client, course, sandbox)

        def done(job: Submission, result: Outcome | BaseException) -> None:
            outcome = result if isinstance(result, Outcome) else _failed_task(result)
            for level, message in outcome.log:
                LOG.log(level, message)
            _settle(gb, course, ledger, job, outcome, sources)
            bar.update()

        run_tasks(client, grade_task, jobs, lambda job: (config, job.learner, job.chapter), done)
    bar.close()


def _configure(
    config: Config,
    *,
    timeout: int | None,
    notebook_timeout: int | None,
    limits: Limits,
    sandbox: bool,
) -> None:
    config.GraderSideExecute.sandbox = sandbox
    if notebook_timeout is not None:
        config.GraderSideExecute.notebook_timeout = notebook_timeout
    config.GraderSideExecute.memory_mb = limits.memory_mb
    config.GraderSideExecute.processes = limits.processes
    if timeout is not None:
        config.GraderSideExecute.timeout = timeout
    # Every learner is in the gradebook before the workers start (`_register`).
    config.Autograde.create_student = False


def _source(course: Path, chapter: str) -> Path:
    return course / "source" / chapter / f"{NOTEBOOK_ID}.ipynb"


def _update_chapters(course: Path, masters: dict[str, Path]) -> dict[str, str]:
    """Build the chapters whose master is new or changed; SHA-256 of each chapter's source."""
    changed = {
        chapter: master
        for chapter, master in masters.items()
        if not _source(course, chapter).is_file()
        or _source(course, chapter).read_text() != nbformat.writes(master_notebook(master))
    }
    if changed:
        build_course(course, changed)
    return {chapter: sha256(_source(course, chapter).read_bytes()) for chapter in masters}


def _register(config: Config, jobs: list[Submission], due: dict[str, datetime.datetime]) -> None:
    """Every learner and submission of `jobs` in the gradebook, and the due dates, in this process
    before any worker starts: the workers then only update rows, never race to insert one."""
    with Gradebook(config.CourseDirectory.db_url, config.CourseDirectory.course_id) as gb:
        for chapter, when in due.items():
            gb.update_or_create_assignment(chapter, duedate=when)
        for job in jobs:
            gb.update_or_create_student(job.learner)
            try:
                gb.find_submission(job.chapter, job.learner)
            except MissingEntry:
                gb.add_submission(job.chapter, job.learner)


def _copy_in(course: Path, sub: Submission) -> None:
    """The submission (and nbgrader's timestamp.txt beside it, if any) into course/submitted."""
    target = course / "submitted" / sub.learner / sub.chapter / f"{NOTEBOOK_ID}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(sub.path, target)
    stamp = sub.path.parent / TIMESTAMP
    if sub.path.name == f"{NOTEBOOK_ID}.ipynb" and stamp.is_file():
        shutil.copyfile(stamp, target.parent / TIMESTAMP)
    else:
        (target.parent / TIMESTAMP).unlink(missing_ok=True)


def _set_aside(gb: Gradebook, old: Entry | None, new: Entry) -> None:
    """Clear the hand-given scores and comments of answers that changed since they were given
    (kept in the entry's `set_aside`, so nothing is lost); keep the others as reviewed. A first
    grading (no `old`) has no hand-given score yet: nothing to read (most of the driver's time
    per task otherwise)."""
    if old is None:
        return
    changed = changed_answers(old.answers, new.answers) if old.answers else set()
    notebook = gb.find_submission_notebook(NOTEBOOK_ID, new.chapter, new.learner)
    when = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    grades = {answer_of(g.name): g for g in notebook.grades}
    comments = {c.name: c for c in notebook.comments}
    for grade in notebook.grades:
        if grade.manual_score is not None and answer_of(grade.name) not in changed:
            grade.needs_manual_grade = False
    for answer in sorted(changed):
        grade, comment = grades.get(answer), comments.get(answer)
        score = grade.manual_score if grade is not None else None
        text = comment.manual_comment if comment is not None else None
        if score is None and not text:
            continue
        new.set_aside.append(
            {
                "grade_id": grade.name if grade is not None else answer,
                "manual_score": score,
                "comment": text,
                "answer": old.answers.get(answer),
                "set_aside": when,
            }
        )
        if grade is not None:
            grade.manual_score = None
            grade.needs_manual_grade = grade.auto_score is None
        if comment is not None:
            comment.manual_comment = None
    gb.db.commit()


def _note(sub: Submission, outcome: Outcome, course: Path) -> tuple[str, str]:
    """Status and note of a submission graded this run."""
    if outcome.reason is not None:
        if outcome.infrastructure:
            kind = "not the learner's fault: grade again"
            return INFRASTRUCTURE, "; ".join(filter(None, [sub.note, outcome.reason, kind]))
        return ERROR, "; ".join(filter(None, [sub.note, outcome.reason]))
    graded = course / "autograded" / sub.learner / sub.chapter / f"{NOTEBOOK_ID}.ipynb"
    return GRADED, "; ".join(filter(None, [sub.note, _timeouts(graded)]))


def _kept(old: Entry | None, note: str) -> str:
    """The note of a row not graded now, saying so when an earlier submission's grade exists."""
    kept = "the earlier submission's grade stays in the gradebook (not in these totals)"
    if old is None or (old.status != GRADED and kept not in old.note):
        return note
    return "; ".join(filter(None, [note, kept]))


def _lateness(gb: Gradebook, sub: Submission) -> str:
    """A note for a submission handed in after its chapter's due date (its timestamp.txt)."""
    submission = gb.find_submission(sub.chapter, sub.learner)
    late = submission.total_seconds_late
    if not late:
        return ""
    penalty = submission.late_submission_penalty or 0
    return f"handed in {late / 3600:.1f} h after the due date (late penalty {penalty:g} points)"


def _settle(
    gb: Gradebook,
    course: Path,
    ledger: Ledger,
    sub: Submission,
    result: Outcome,
    sources: dict[str, str],
) -> None:
    """Record how grading `sub` ended, and set aside its stale hand-given scores."""
    old = ledger.get(sub.learner, sub.chapter)
    status, note = _note(sub, result, course)
    submitted = read_notebook(sub.path)
    new = Entry(
        sub.learner,
        sub.chapter,
        file=sha256(sub.path.read_bytes()),
        source=sources[sub.chapter],
        answers=answer_hashes(submitted) if status == GRADED else (old.answers if old else {}),
        status=status,
        note=_kept(old, note) if status != GRADED else note,
        set_aside=list(old.set_aside) if old else [],
    )
    if status == GRADED:
        _set_aside(gb, old, new)
        new.note = "; ".join(filter(None, [new.note, _lateness(gb, sub)]))
    gb.db.commit()  # end the read: SQLite workers wait for no lock of this process
    ledger.put(new)


def _refused(ledger: Ledger, rows: list[Row], found: list[Submission]) -> None:
    """Record the submissions that could not even be run (their rows carry the reason)."""
    paths = {(s.learner, s.chapter): s.path for s in found}
    for row in rows:
        old = ledger.get(row.learner, row.chapter)
        path = paths.get((row.learner, row.chapter))
        ledger.put(
            Entry(
                row.learner,
                row.chapter,
                file=sha256(path.read_bytes()) if path is not None else "",
                answers=old.answers if old else {},
                status=ERROR,
                note=_kept(old, row.note),
                set_aside=list(old.set_aside) if old else [],
            )
        )


def _remastered(ledger: Ledger, todo: list[Submission], sources: dict[str, str]) -> str:
    """The chapters whose master changed since some of `todo` were graded, comma-separated."""
    changed = set()
    for sub in todo:
        entry = ledger.get(sub.learner, sub.chapter)
        if entry is not None and entry.source and entry.source != sources[sub.chapter]:
            changed.add(sub.chapter)
    return ", ".join(sorted(changed))


def _render_on(cluster: str | None, workers: int) -> Render:
    """Feedback pages rendered as Dask tasks on the workers that grade (one at a time here when
    there is only one page)."""

    def render(config: Config, entries: list[Entry]) -> dict[tuple[str, str], bool]:
        if len(entries) < 2:
            return render_here(config, entries)
        written: dict[tuple[str, str], bool] = {}

        def done(entry: Entry, result: bool | BaseException) -> None:
            written[entry.learner, entry.chapter] = result is True

        with connect(cluster, workers) as client:
            run_tasks(
                client,
                render_page,
                entries,
                lambda e: (config, e.learner, e.chapter),
                done,
                name="dld-feedback",
            )
        return written

    return render


def _shown(url: str) -> str:
    """A database URL without its password, to print."""
    return make_url(url).render_as_string(hide_password=True)


def _database(course: Path, db: str | None) -> None:
    """Record `db` as the course's gradebook (the default: SQLite in the course folder).

    Raises:
        SubmissionsError: the course already keeps its gradebook in another database.
    """
    if db is None:
        return
    recorded = gradebook_url(course)
    if db != recorded and has_gradebook(course):
        raise SubmissionsError(
            f"{course} keeps its gradebook in {_shown(recorded)}, not {_shown(db)}: grade into "
            "another --out, or start over with --fresh"
        )
    path = course / DB_FILE
    if db == sqlite_url(course):
        path.unlink(missing_ok=True)
        return
    course.mkdir(parents=True, exist_ok=True)
    path.write_text(db + "\n")
    path.chmod(0o600)


@contextmanager
def _log_to(path: Path) -> Iterator[None]:
    """nbgrader's messages (tracebacks included) of this run appended to `path`."""
    handler = logging.FileHandler(path)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    LOG.addHandler(handler)
    try:
        yield
    finally:
        LOG.removeHandler(handler)
        handler.close()


def grade(
    folder: Path,
    out: Path,
    chapter: str | None = None,
    *,
    masters: dict[str, Path] | None = None,
    regrade: bool = False,
    fresh: bool = False,
    due: dict[str, datetime.datetime] | None = None,
    timeout: int | None = None,
    notebook_timeout: int | None = None,
    limits: Limits = Limits(),  # noqa: B008 (a frozen dataclass: one shared default is safe)
    workers: int = 2,
    cluster: str | None = None,
    db: str | None = None,
    progress: bool = True,
    sandbox: bool = True,
    say: Callable[[str], None] = lambda message: None,
) -> list[Row]:
    """Grade the new and changed submissions of `folder` into `out/course`; write every output.

    Returns a row per learner and chapter the course holds (this run's and earlier ones).

    Args:
        masters: chapter id -> master; default the masters in solutions/.
        regrade: grade every submission given, changed or not.
        fresh: delete `out/course` (gradebook and hand-given scores included) first.
        due: chapter -> due date (timezone-aware); nbgrader's late-submission plugin reads the
            `timestamp.txt` handed in beside a notebook.
        timeout: per-cell seconds; default nbgrader_config.py's.
        notebook_timeout: seconds for a whole notebook; default nbgrader_config.py's.
        workers: processes of the LocalCluster that grades (one kernel each); unused with
            `cluster`.
        cluster: address of a Dask scheduler (tcp://host:8786) whose workers grade instead.
        db: the gradebook's database URL (any nbgrader takes); default the course's recorded
            one, else SQLite in `out/course`. A course keeps the database it was first given.
        sandbox: run kernels under bubblewrap (False: --no-sandbox, only where told).
        say: where messages for the instructor go (what was deleted, what was not regraded).

    Raises:
        SubmissionsError: unusable folder or `out` inside it.
        SandboxUnavailable: `sandbox` and no bubblewrap (on this machine, without `cluster`).
        WorkerProblem: a worker lacks the course environment, bubblewrap or the grading folder.
    """
    folder, out = folder.resolve(), out.resolve()
    if out == folder or folder in out.parents:
        raise SubmissionsError(
            f"--out {out} is inside the submissions folder {folder}, which grading never writes to"
        )
    if sandbox and cluster is None:
        bwrap()
    masters = resolve_masters(None) if masters is None else masters
    unknown = sorted(set(due or {}) - set(masters))
    if unknown:
        raise SubmissionsError(
            f"--due {', '.join(unknown)}: no such chapter (known: {', '.join(masters)})"
        )
    found, rows = collect(folder, chapter)
    jobs, refused = admit(found, masters, folder)
    with exclusive(out):
        out.chmod(0o700)
        course = out / "course"
        if fresh and course.exists():
            shutil.rmtree(course)
            say(f"--fresh: deleted {course} (its gradebook, hand-given scores and ledger)")
        _database(course, db)
        if cluster is not None and gradebook_url(course).startswith("sqlite:"):
            say(
                "--cluster with the SQLite gradebook: its workers write it, which is safe only on "
                "this machine's disk; for workers on other machines use --db postgresql+psycopg://"
            )
        ledger = Ledger(course)
        prepare_folder(course)
        config = load_config(course)
        _configure(
            config,
            timeout=timeout,
            notebook_timeout=notebook_timeout,
            limits=limits,
            sandbox=sandbox,
        )
        with _log_to(out / LOG_FILE):
            sources = _update_chapters(
                course, {c: masters[c] for c in sorted({s.chapter for s in jobs})}
            )
            todo = [
                s
                for s in jobs
                if regrade
                or not up_to_date(
                    ledger.get(s.learner, s.chapter),
                    sha256(s.path.read_bytes()),
                    sources[s.chapter],
                )
            ]
            remastered = _remastered(ledger, todo, sources)
            if remastered:
                say(f"the master of {remastered} changed: its submissions are graded again")
            if len(todo) < len(jobs):
                say(
                    f"{plural(len(jobs) - len(todo), 'submission')} unchanged since last "
                    "graded: kept (--regrade grades every submission again)"
                )
            for sub in todo:
                _copy_in(course, sub)
            _register(config, todo, due or {})
            try:
                _run(
                    config,
                    ledger,
                    todo,
                    sources,
                    workers=workers,
                    cluster=cluster,
                    sandbox=sandbox,
                    progress=progress,
                )
            finally:
                ledger.save()  # an interrupted run keeps what it graded
            _refused(ledger, rows + refused, found)
            ledger.save()
            if not has_gradebook(course):
                return sorted(rows + refused, key=lambda r: (r.chapter, r.learner))
            return write_outputs(out, _render_on(cluster, workers))
