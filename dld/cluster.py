"""Where `dld grade` runs its tasks: Dask distributed, on this machine or on a cluster.

Every run takes one code path: each submission is one task (`dld.grade.grade_task`) submitted to
a `distributed.Client`. By default the client's cluster is a `LocalCluster` of `workers` processes
on this machine (one thread each: a task runs one kernel); with `cluster`, the address of an
existing scheduler (`dask scheduler`, dask-jobqueue, dask-kubernetes), the same tasks run on its
workers. A worker needs the course environment (this `dld`, the same course version), bubblewrap
(unless --no-sandbox), the grading folder at the same path (a shared file system) and the
gradebook's database; `check_workers` asks every worker once before any task and names the ones
that lack something. A worker that dies mid-task has its task run again on another (Dask
reschedules it; `retries` covers a task that raised); grading a submission twice writes the same
row, since nbgrader overwrites it.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import dask
from distributed import Client, LocalCluster, as_completed

from dld.course import course_version
from dld.sandbox import SandboxUnavailable, bwrap

T = TypeVar("T")
R = TypeVar("R")
# A task is run again this often when it raises (a worker that dies is Dask's own affair: the
# scheduler reschedules its tasks, up to distributed.scheduler.allowed-failures times).
RETRIES = 2
WORKER_WAIT_SECONDS = 60


class WorkerProblem(RuntimeError):
    """A worker cannot grade (no course environment, no bubblewrap, no grading folder)."""


def worker_problem(course: str, sandbox: bool, version: str) -> str | None:
    """Run on a worker: what it lacks to grade `course`, or None when it can grade.

    Args:
        course: the grading course's folder, as the driver sees it.
        sandbox: whether kernels run under bubblewrap.
        version: the driver's course version (a worker must have the same course).
    """
    if course_version() != version:
        return f"has course version {course_version()}, the driver has {version}"
    if sandbox:
        try:
            bwrap()
        except SandboxUnavailable as exc:
            return str(exc)
    if not (Path(course) / "source").is_dir():
        return (
            f"cannot see the grading folder {course}: workers need it at the same path "
            "(a shared file system)"
        )
    return None


def check_workers(client: Client, course: Path, sandbox: bool) -> int:
    """Ask every worker of `client` once whether it can grade; return how many there are.

    Raises:
        WorkerProblem: one or more workers cannot; the message names each and why.
    """
    answers = client.run(worker_problem, str(course), sandbox, course_version(), on_error="return")
    problems = []
    for worker, answer in sorted(answers.items()):
        if isinstance(answer, BaseException):
            problems.append(
                f"worker {worker}: no course environment there "
                f"({type(answer).__name__}: {answer}); install the course on it (make setup)"
            )
        elif answer is not None:
            problems.append(f"worker {worker}: {answer}")
    if problems:
        raise WorkerProblem("cannot grade on this cluster:\n  " + "\n  ".join(problems))
    return len(answers)


@contextmanager
def connect(cluster: str | None, workers: int) -> Iterator[Client]:
    """A client of the scheduler at `cluster` (e.g. tcp://host:8786), or of a new LocalCluster of
    `workers` single-threaded processes on this machine, closed at the end.

    Raises:
        WorkerProblem: no scheduler answers at `cluster`, or it has no worker after
            WORKER_WAIT_SECONDS.
    """
    if cluster is None:
        # Forked workers start with the course's modules loaded (spawned ones import nbgrader
        # and the rest again: 6 s on this machine before their first task).
        with (
            dask.config.set({"distributed.worker.multiprocessing-method": "fork"}),
            LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.CRITICAL,  # a closing worker's heartbeat traceback
            ) as local,
            Client(local) as client,
        ):
            yield client
        return
    try:
        remote = Client(cluster, timeout=30)
    except OSError as exc:
        raise WorkerProblem(
            f"no Dask scheduler answers at {cluster} ({exc}): start one (dask scheduler) and its "
            "workers, or grade here without --cluster"
        ) from None
    with remote as client:
        try:
            client.wait_for_workers(1, timeout=WORKER_WAIT_SECONDS)
        except TimeoutError:
            raise WorkerProblem(
                f"the scheduler at {cluster} has no worker after {WORKER_WAIT_SECONDS} s: "
                f"start some (dask worker {cluster} --nthreads 1)"
            ) from None
        yield client


def run_tasks(
    client: Client,
    task: Callable[..., R],
    jobs: Sequence[T],
    args: Callable[[T], tuple[object, ...]],
    done: Callable[[T, R | BaseException], None],
    *,
    name: str = "dld-grade",
) -> None:
    """Submit `task(*args(job))` for every job and call `done(job, result)` in this process as
    each finishes (in the order they finish); a task that failed after its retries, or whose
    workers kept dying, gives its exception as the result."""
    run = uuid.uuid4().hex[:8]
    futures = {
        client.submit(task, *args(job), key=f"{name}-{run}-{i}", retries=RETRIES, pure=False): job
        for i, job in enumerate(jobs)
    }
    for future in as_completed(futures):
        job = futures.pop(future)
        try:
            result: R | BaseException = future.result()
        except Exception as exc:  # noqa: BLE001 (reported on the job's row, not raised)
            result = exc
        done(job, result)
        future.release()
