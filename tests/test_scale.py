"""`dld grade` on Dask: a LocalCluster, a scheduler with workers, a worker killed, PostgreSQL.

The slow tests grade the toy class for real (nbgrader, bubblewrap, Dask processes, a PostgreSQL
server started here on 127.0.0.1) and compare every row, score and feedback page with the
one-process SQLite run. The fast ones check what a worker is asked before it grades.
"""

from __future__ import annotations

import csv
import difflib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import psutil
import pytest
from fixtures.learners import solutions, submission
from nbgrader.api import Gradebook
from test_instructor import TOY

import dld.grade
from dld.cli import main
from dld.cluster import WorkerProblem, check_workers, worker_problem
from dld.course import course_version
from dld.grade import grade
from dld.release import render_releases

COURSE_ID = "deep-learning-demystified"
BIN = Path(sys.executable).parent
WRITTEN = "Each |x_i| is at least 0, so their mean is at least 0 too."


# ---- fast: what a worker is asked before any task ----


class _Answers:
    """A client whose workers answer `worker_problem` as given."""

    def __init__(self, answers: dict[str, object]) -> None:
        self.answers = answers

    def run(self, *args: object, **kwargs: object) -> dict[str, object]:
        return self.answers


def test_a_worker_that_cannot_grade_is_named(tmp_path: Path) -> None:
    (tmp_path / "source").mkdir()
    assert worker_problem(str(tmp_path), False, course_version()) is None
    assert "has course version" in str(worker_problem(str(tmp_path), False, "0.0.0"))
    assert "cannot see the grading folder" in str(
        worker_problem(str(tmp_path / "elsewhere"), False, course_version())
    )
    client = _Answers(
        {
            "tcp://10.0.0.1:1": None,
            "tcp://10.0.0.2:1": ModuleNotFoundError("No module named 'dld'"),
            "tcp://10.0.0.3:1": "bubblewrap is not installed",
        }
    )
    assert check_workers(_Answers({"tcp://a:1": None}), tmp_path, False) == 1  # type: ignore[arg-type]
    with pytest.raises(WorkerProblem) as error:
        check_workers(client, tmp_path, True)  # type: ignore[arg-type]
    message = str(error.value)
    assert "worker tcp://10.0.0.2:1: no course environment there (ModuleNotFoundError" in message
    assert "worker tcp://10.0.0.3:1: bubblewrap is not installed" in message
    assert "10.0.0.1" not in message


# ---- slow: real grading ----


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _write_class(folder: Path, count: int = 4) -> Path:
    """A toy class: right, half right, empty, broken JSON; then more right answers."""
    release = nbformat.reads(render_releases({"toy": TOY})["toy"].decode(), as_version=4)
    right = solutions(TOY)
    notebooks = {
        "ann": submission(release, {**right, "why_written": WRITTEN}),
        "bob": submission(release, {"double": right["double"]}),
        "cat": submission(release, {}),
        "dan": '{"cells": [',
    }
    notebooks.update({f"l{i}": submission(release, right) for i in range(count - len(notebooks))})
    for learner, content in notebooks.items():
        path = folder / learner / "toy" / "exercises.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return folder


def _grade(folder: Path, out: Path, **kwargs: object) -> list[str]:
    said: list[str] = []
    options: dict[str, object] = {"masters": {"toy": TOY}, "timeout": 10, "progress": False}
    grade(folder, out, say=said.append, **{**options, **kwargs})  # type: ignore[arg-type]
    return said


def _grades(out: Path) -> list[dict[str, str]]:
    with (out / "grades.csv").open() as f:
        return list(csv.DictReader(f))


def _feedback(out: Path) -> dict[str, str]:
    return {str(p.relative_to(out)): p.read_text() for p in sorted(out.glob("feedback/*/*.html"))}


def _assert_same_feedback(out: Path, reference: Path) -> None:
    """Every feedback page of `out` is the reference's, byte for byte; else the first lines of
    each page's difference (short: CI shows only the end of the log)."""
    got, want = _feedback(out), _feedback(reference)
    assert want, f"{reference}: no feedback pages"
    assert sorted(got) == sorted(want), f"pages {sorted(got)} instead of {sorted(want)}"
    differences = []
    for page, text in got.items():
        if text != want[page]:
            lines = difflib.unified_diff(want[page].splitlines(True), text.splitlines(True))
            differences.append(f"{page}:\n" + "".join(list(lines)[2:30]))
    assert not differences, "feedback pages differ from one process's:\n" + "\n".join(differences)


@pytest.fixture(scope="module")
def toy_class(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write_class(tmp_path_factory.mktemp("class"))


@pytest.fixture(scope="module")
def one_process(toy_class: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference: the class graded by one worker into SQLite."""
    out = tmp_path_factory.mktemp("one") / "out"
    _grade(toy_class, out, workers=1)
    return out


def _tool(name: str) -> str | None:
    found = shutil.which(name) or sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found if isinstance(found, str) else (found[-1] if found else None)


@pytest.fixture(scope="module")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A PostgreSQL server of its own (trust on 127.0.0.1, a fresh data folder), stopped at the
    end; run as the `postgres` user when this is root (PostgreSQL refuses root)."""
    initdb, pg_ctl = _tool("initdb"), _tool("pg_ctl")
    if initdb is None or pg_ctl is None:
        message = "PostgreSQL is not installed (no initdb): run `make postgres` as root"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Not under pytest's tmp folders: they are private to root, and the server runs as postgres.
    root = Path(tempfile.mkdtemp(prefix="dld-postgres-"))
    data, port = root / "data", _free_port()
    user = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
    if user:
        shutil.chown(root, "postgres")
    try:
        for command in (
            [initdb, "-A", "trust", "-U", "postgres", "-D", str(data)],
            [pg_ctl, "-D", str(data), "-o", f"-h 127.0.0.1 -p {port} -k {data}"]
            + ["-l", str(root / "log"), "-w", "start"],
        ):
            done = subprocess.run([*user, *command], capture_output=True, text=True, check=False)
            assert done.returncode == 0, f"{command[0]} failed:\n{done.stdout}{done.stderr}"
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        stop = [*user, pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"]
        subprocess.run(stop, check=False, capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.slow
def test_local_cluster_into_postgres_gives_the_rows_of_one_process_sqlite(
    toy_class: Path, one_process: Path, postgres: str, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _grade(toy_class, out, workers=2, db=postgres)
    assert not (out / "course" / "gradebook.db").exists(), "the gradebook is in PostgreSQL"
    assert _grades(out) == _grades(one_process)
    _assert_same_feedback(out, one_process)
    assert postgres in (out / "course" / "nbgrader_config.py").read_text(), "formgrader's too"
    with Gradebook(postgres, COURSE_ID) as gb:
        grade_ = gb.find_grade("why_written", "exercises", "toy", "ann")
        grade_.manual_score, grade_.needs_manual_grade = 1.0, False
        gb.find_comment("why_written", "exercises", "toy", "ann").manual_comment = "Right."
        gb.db.commit()
    assert main(["export", str(out)]) == 0
    ann = next(r for r in _grades(out) if r["learner"] == "ann")
    assert ann["why_written"] == "1", "the hand-given score comes back from PostgreSQL"
    assert "Right." in (out / "feedback" / "ann" / "toy.html").read_text()
    graded = sorted(p.stat().st_mtime_ns for p in (out / "course" / "autograded").rglob("*.ipynb"))
    said = _grade(toy_class, out, workers=2)
    assert any("3 submissions unchanged" in s for s in said), said
    assert graded == sorted(
        p.stat().st_mtime_ns for p in (out / "course" / "autograded").rglob("*.ipynb")
    ), "nothing unchanged is graded again"
    assert next(r for r in _grades(out) if r["learner"] == "ann")["why_written"] == "1"
    with pytest.raises(ValueError, match="keeps its gradebook in postgresql"):
        _grade(toy_class, out, db=f"sqlite:///{tmp_path / 'other.db'}")


class _DaskCluster:
    """`dask scheduler` and `dask worker` processes on 127.0.0.1 (workers without a nanny, so a
    killed worker stays dead)."""

    def __init__(self, workers: int) -> None:
        self.address = f"tcp://127.0.0.1:{_free_port()}"
        port = self.address.rsplit(":", 1)[1]
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        dask = str(BIN / "dask")
        self.scheduler = subprocess.Popen(
            [dask, "scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"], **quiet
        )
        self.workers = [
            subprocess.Popen(
                [dask, "worker", self.address, "--nthreads", "1", "--no-nanny", "--no-dashboard"],
                **quiet,
            )
            for _ in range(workers)
        ]

    def stop(self) -> None:
        """Kill the workers (idle by now; a graceful close takes them 20 s), then the scheduler."""
        for process in self.workers:
            process.kill()
            process.wait()
        self.scheduler.terminate()
        try:
            self.scheduler.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.scheduler.kill()
            self.scheduler.wait()


@pytest.fixture
def dask_cluster() -> Iterator[_DaskCluster]:
    cluster = _DaskCluster(2)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.mark.slow
def test_grading_on_a_scheduler_and_two_workers(
    toy_class: Path, one_process: Path, dask_cluster: _DaskCluster, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    command = ["grade", str(toy_class), "--out", str(out), "--master", str(TOY), "--chapter", "toy"]
    assert main([*command, "--timeout", "10", "--cluster", dask_cluster.address]) == 0
    assert _grades(out) == _grades(one_process)
    _assert_same_feedback(out, one_process)


@pytest.mark.slow
def test_a_worker_killed_mid_grading_loses_and_doubles_no_row(
    dask_cluster: _DaskCluster, tmp_path: Path
) -> None:
    folder = _write_class(tmp_path / "class", count=8)
    killed: list[int] = []

    def kill_one_mid_task() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not killed:
            for worker in dask_cluster.workers:
                try:
                    busy = psutil.Process(worker.pid).children(recursive=True)
                except psutil.NoSuchProcess:
                    continue
                if busy:  # its kernel runs: a task is under way
                    os.kill(worker.pid, signal.SIGKILL)
                    killed.append(worker.pid)
                    return
            time.sleep(0.05)

    killer = threading.Thread(target=kill_one_mid_task)
    killer.start()
    _grade(folder, tmp_path / "out", cluster=dask_cluster.address)
    killer.join()
    assert killed, "no worker was seen grading"
    rows = _grades(tmp_path / "out")
    assert sorted(r["learner"] for r in rows) == sorted(p.name for p in folder.iterdir())
    bad = [
        (r["learner"], r["status"], r["note"])
        for r in rows
        if r["status"] not in ("graded", "pending")
    ]
    assert [learner for learner, *_ in bad] == ["dan"], bad
    assert {r["total"] for r in rows if r["learner"].startswith("l")} == {"5"}
    with Gradebook(f"sqlite:///{tmp_path / 'out' / 'course' / 'gradebook.db'}", COURSE_ID) as gb:
        assert len(gb.assignment_submissions("toy")) == 7, "one submission per learner graded"


@pytest.mark.slow
def test_an_interrupted_run_resumes_where_it_stopped(
    toy_class: Path, one_process: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settle = dld.grade._settle
    settled: list[str] = []

    def settle_then_interrupt(*args: object, **kwargs: object) -> None:
        settle(*args, **kwargs)  # type: ignore[arg-type]
        settled.append("one")
        raise KeyboardInterrupt  # Ctrl-C as the first task's result is recorded

    monkeypatch.setattr(dld.grade, "_settle", settle_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        _grade(toy_class, tmp_path / "out")
    monkeypatch.setattr(dld.grade, "_settle", settle)
    said = _grade(toy_class, tmp_path / "out")
    assert settled == ["one"] and any("1 submission unchanged" in s for s in said), said
    assert _grades(tmp_path / "out") == _grades(one_process)
