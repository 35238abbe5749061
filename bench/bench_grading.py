"""Seconds per submission when `dld grade` grades N copies of a chapter's master-as-submission.

    python bench/bench_grading.py [CHAPTER] [N] [WORKERS]     (default 02_neurons 10 2)
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from fixtures.learners import solutions, submission  # noqa: E402

from dld.grade import grade  # noqa: E402
from dld.paths import master_path  # noqa: E402
from dld.release import render_releases  # noqa: E402


def main() -> None:
    chapter = sys.argv[1] if len(sys.argv) > 1 else "02_neurons"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    master = master_path(chapter)
    release = nbformat.reads(render_releases({chapter: master})[chapter].decode(), as_version=4)
    content = submission(release, solutions(master))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "class"
        folder.mkdir()
        for i in range(n):
            (folder / f"learner{i:03d}.ipynb").write_text(content)
        start = time.perf_counter()
        rows = grade(folder, Path(tmp) / "out", chapter, {chapter: master}, workers=workers, progress=False)
        elapsed = time.perf_counter() - start
    assert all(r.status == "graded" for r in rows), [r.note for r in rows]
    print(f"{chapter}: {n} submissions, {workers} workers: {elapsed:.1f} s total, {elapsed / n:.2f} s per submission (amortised)")


if __name__ == "__main__":
    main()
