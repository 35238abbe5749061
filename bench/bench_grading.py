"""Seconds per submission: `dld grade` against the plain nbgrader CLI, on the same class, same run.

    python bench/bench_grading.py [CHAPTER] [N] [WORKERS]     (default 02_neurons 10 2)

The class is N copies of the chapter's master submitted as a learner (every test passes).
`dld grade` autogrades them in one process (and WORKERS kernels at once) and writes
grades.csv, feedback and the report; the peer is what an instructor would otherwise type:
`nbgrader autograde CHAPTER` in a course directory holding the same gradebook and
submissions (one process for the class, one kernel at a time, no feedback).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import nbformat
from sqlalchemy.exc import SAWarning

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from fixtures.learners import solutions, submission  # noqa: E402

from dld.course import build_course  # noqa: E402
from dld.grade import grade  # noqa: E402
from dld.paths import CONFIG_FILE, NOTEBOOK_ID, master_path  # noqa: E402
from dld.release import render_releases  # noqa: E402


def time_dld(
    folder: Path, out: Path, chapter: str, master: Path, workers: int, sandbox: bool = True
) -> float:
    """Wall-clock seconds of `dld grade` on the class in `folder` (with or without bubblewrap)."""
    start = time.perf_counter()
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
    return elapsed


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
        ours = time_dld(folder, Path(tmp) / "out", chapter, master, workers)
        bare = time_dld(folder, Path(tmp) / "out-bare", chapter, master, workers, sandbox=False)
        peer = time_nbgrader_cli(folder, Path(tmp) / "course", chapter, master)
    print(f"{chapter}, {n} submissions")
    print(
        f"  dld grade ({workers} workers, with feedback and report): {ours:6.1f} s total, "
        f"{ours / n:.2f} s per submission"
    )
    print(
        f"  dld grade --no-sandbox (same runner):        {bare:6.1f} s total, "
        f"{bare / n:.2f} s per submission (sandbox costs {ours / bare:.2f}x)"
    )
    print(
        f"  nbgrader autograde CLI (course config, no feedback): {peer:6.1f} s total, "
        f"{peer / n:.2f} s per submission"
    )
    print(f"  speed-up: {peer / ours:.2f}x")


if __name__ == "__main__":
    main()
