"""Grading throughput: `dld grade` on 1 and WORKERS local Dask workers, the driver's overhead per
task, a 120,000-notebook estimate, and the plain nbgrader CLI on the same class, same run.

    python bench/bench_grading.py [CHAPTER] [N] [WORKERS]     (default 02_neurons 10 2)

The class is N copies of the chapter's master submitted as a learner (every test passes).
`dld grade` autogrades them as Dask tasks on a LocalCluster (1, then WORKERS, processes) and
writes grades.csv, feedback and the report; the peer is what an instructor would otherwise type:
`nbgrader autograde CHAPTER` in a course directory holding the same gradebook and
submissions (one process for the class, one kernel at a time, no feedback).

The driver's overhead per task is what the one driver process does per submission, in series
whatever the number of workers: a task's round trip through the Dask scheduler (measured with
tasks that do nothing) plus recording its result (`_settle`: ledger, gradebook, set-aside scores).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import nbformat
from sqlalchemy.exc import SAWarning

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from fixtures.learners import solutions, submission  # noqa: E402

import dld.grade  # noqa: E402
from dld.cluster import connect, run_tasks  # noqa: E402
from dld.course import build_course  # noqa: E402
from dld.grade import Outcome, grade  # noqa: E402
from dld.paths import CONFIG_FILE, NOTEBOOK_ID, master_path  # noqa: E402
from dld.release import render_releases  # noqa: E402

ESTIMATE_CLASS = 120_000
ESTIMATE_WORKERS = (10, 100, 1_000)


@contextmanager
def timed_render(seconds: list[float]) -> Iterator[None]:
    """Append the wall-clock seconds of each rendering of feedback pages on the workers."""
    original = dld.grade._render_on

    def render_on(*args: Any) -> Any:
        render = original(*args)

        def timed_call(*call: Any) -> Any:
            start = time.perf_counter()
            try:
                return render(*call)
            finally:
                seconds.append(time.perf_counter() - start)

        return timed_call

    dld.grade._render_on = render_on  # type: ignore[assignment]
    try:
        yield
    finally:
        dld.grade._render_on = original


@contextmanager
def timed(name: str, seconds: list[float]) -> Iterator[None]:
    """Append the wall-clock seconds of every call of `dld.grade.<name>` to `seconds`."""
    original: Callable[..., Any] = getattr(dld.grade, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            seconds.append(time.perf_counter() - start)

    setattr(dld.grade, name, wrapper)
    try:
        yield
    finally:
        setattr(dld.grade, name, original)


def time_dld(
    folder: Path, out: Path, chapter: str, master: Path, workers: int, sandbox: bool = True
) -> tuple[float, float, list[float], float, float]:
    """`dld grade` on the class in `folder` (with or without bubblewrap): wall-clock seconds of
    the whole run, of its grading phase (the cluster's start included), of each `_settle`, and
    of writing the outputs at the end (feedback pages, CSVs, report), and of rendering the
    feedback pages on the workers (part of writing the outputs)."""
    runs: list[float] = []
    settles: list[float] = []
    outputs: list[float] = []
    renders: list[float] = []
    start = time.perf_counter()
    with (
        timed("_run", runs),
        timed("_settle", settles),
        timed("write_outputs", outputs),
        timed_render(renders),
    ):
        rows = grade(
            folder,
            out,
            chapter,
            masters={chapter: master},
            workers=workers,
            progress=False,
            sandbox=sandbox,
        )
    elapsed = time.perf_counter() - start
    assert all(r.status == "graded" for r in rows), [r.note for r in rows]
    return elapsed, runs[0], settles, outputs[0], renders[0]


def nothing() -> Outcome:
    """A task that does no work: what is left of its time is Dask's and the driver's."""
    return Outcome()


def scheduler_round_trip(tasks: int = 2_000, workers: int = 2) -> tuple[float, float]:
    """Seconds to start a LocalCluster, and seconds per task of no-op tasks through
    `dld.cluster.run_tasks` (submit, schedule, run, result back, callback in the driver)."""
    start = time.perf_counter()
    with connect(None, workers) as client:
        started = time.perf_counter() - start
        done: list[object] = []
        start = time.perf_counter()
        run_tasks(client, nothing, range(tasks), lambda job: (), lambda job, r: done.append(r))
        per_task = (time.perf_counter() - start) / tasks
    assert len(done) == tasks and all(isinstance(r, Outcome) for r in done)
    return started, per_task


def time_nbgrader_cli(folder: Path, course: Path, chapter: str, master: Path) -> float:
    """Wall-clock seconds of `nbgrader autograde CHAPTER` on the same class."""
    build_course(course, {chapter: master})
    shutil.copy(CONFIG_FILE, course / "nbgrader_config.py")
    for notebook in folder.glob("*.ipynb"):
        target = course / "submitted" / notebook.stem / chapter / f"{NOTEBOOK_ID}.ipynb"
        target.parent.mkdir(parents=True)
        shutil.copy(notebook, target)
    nbgrader = Path(sys.executable).parent / "nbgrader"
    start = time.perf_counter()
    subprocess.run(
        [str(nbgrader), "autograde", chapter, "--force"],
        cwd=course,
        check=True,
        capture_output=True,
    )
    elapsed = time.perf_counter() - start
    graded = list((course / "autograded").glob(f"*/{chapter}/{NOTEBOOK_ID}.ipynb"))
    assert len(graded) == len(list(folder.glob("*.ipynb"))), (
        "nbgrader did not grade every submission"
    )
    return elapsed


def main() -> None:
    chapter = sys.argv[1] if len(sys.argv) > 1 else "02_neurons"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader's own session warnings
    master = master_path(chapter)
    release = nbformat.reads(render_releases({chapter: master})[chapter].decode(), as_version=4)
    content = submission(release, solutions(master))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "class"
        folder.mkdir()
        for i in range(n):
            (folder / f"learner{i:03d}.ipynb").write_text(content)
        one, one_run, settles, _, _ = time_dld(folder, Path(tmp) / "out1", chapter, master, 1)
        ours, ours_run, more, export, render = time_dld(
            folder, Path(tmp) / "out", chapter, master, workers
        )
        bare, _, _, _, _ = time_dld(
            folder, Path(tmp) / "out-bare", chapter, master, workers, sandbox=False
        )
        peer = time_nbgrader_cli(folder, Path(tmp) / "course", chapter, master)
    startup, round_trip = scheduler_round_trip(workers=workers)
    settle = sorted(settles + more)[len(settles + more) // 2]
    driver = round_trip + settle
    per_worker = (one_run - startup) / n  # seconds of one worker (one core) per notebook
    print(f"{chapter}, {n} submissions (every test passes)")
    for label, total, run in ((1, one, one_run), (workers, ours, ours_run)):
        print(
            f"  dld grade, {label} local worker(s): {total:6.1f} s total, {n / total:.2f} "
            f"notebooks/s; grading phase {run:.1f} s (cluster start {startup:.1f} s included), "
            f"{n / (run - startup):.2f} notebooks/s after the start"
        )
    print(
        f"  dld grade --no-sandbox ({workers} workers):     {bare:6.1f} s total "
        f"(sandbox costs {ours / bare:.2f}x)"
    )
    print(
        f"  nbgrader autograde CLI (course config, no feedback): {peer:6.1f} s total, "
        f"{peer / n:.2f} s per submission (dld grade, {workers} workers: {peer / ours:.2f}x faster)"
    )
    print(
        f"  driver overhead per task: {driver * 1000:.1f} ms = Dask round trip "
        f"{round_trip * 1000:.1f} ms (2,000 no-op tasks) + recording the result "
        f"{settle * 1000:.1f} ms (median of {len(settles + more)})"
    )
    page = render * workers / n  # seconds of one worker per feedback page (its start included)
    rest = (export - render) / n  # the driver's own part of writing the outputs, per notebook
    print(
        f"  writing the outputs at the end: {export:.1f} s = feedback pages rendered on the "
        f"{workers} workers {render:.1f} s ({page * 1000:.0f} ms per page per worker, a cluster "
        f"start included) + the driver's part (fingerprints, copies, CSVs, report) "
        f"{export - render:.1f} s ({rest * 1000:.0f} ms per notebook)"
    )
    print(
        f"Estimate for {ESTIMATE_CLASS:,} notebooks of this kind (on paper: each worker one core "
        f"like this machine's at {per_worker:.2f} s per notebook, a shared file system and "
        "database that keep up, one driver doing its part of every task in series, "
        "no failures):"
    )
    for count in ESTIMATE_WORKERS:
        work = ESTIMATE_CLASS * per_worker / count
        serial = ESTIMATE_CLASS * driver
        hours = max(work, serial) / 3600
        bound = "the driver" if serial > work else "the workers"
        print(
            f"  {count:>5,} workers: {hours:6.2f} h ({bound} bound: workers "
            f"{work / 3600:.2f} h, driver {serial / 3600:.2f} h), then "
            f"{ESTIMATE_CLASS * (rest + page / count) / 3600:.2f} h of writing the outputs"
        )
    print(
        f"  the one driver stops keeping up beyond about {per_worker / driver:.0f} workers "
        f"({1 / driver:.0f} notebooks/s)"
    )


if __name__ == "__main__":
    main()
