"""Command line: `dld release [CHAPTER ...]`, `dld check NOTEBOOK`, `dld grade SUBMISSIONS --out DIR`."""
from __future__ import annotations

import argparse
import logging
import sys
import warnings
from pathlib import Path

from sqlalchemy.exc import SAWarning

from dld.sandbox import Limits


def _release(args: argparse.Namespace) -> int:
    from dld.paths import resolve_masters
    from dld.release import release

    for path in release(resolve_masters(args.chapters)):
        print(f"wrote {path}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from dld.check import PASSED, check

    outcome, report = check(args.notebook, timeout=args.timeout)
    print(report)
    return 0 if all(r.status == PASSED for r in outcome if r.exercise.autograded) else 1


def _grade(args: argparse.Namespace) -> int:
    from dld.grade import grade
    from dld.report import ERROR

    masters = None
    if args.master:
        if not args.master.is_file():
            raise FileNotFoundError(f"--master {args.master}: no such file")
        args.chapter = args.chapter or args.master.stem
        masters = {args.chapter: args.master}
    rows = grade(args.submissions, args.out, args.chapter, masters, args.timeout,
                 Limits(memory_mb=args.memory_mb, cpu_seconds=args.cpu_seconds), args.workers, progress=True)
    errors = sum(r.status == ERROR for r in rows)
    print(f"graded {len(rows) - errors} submissions, {errors} errors: {args.out / 'grades.csv'}, {args.out / 'report.md'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run a dld command; return the exit code (errors are printed, not raised)."""
    parser = argparse.ArgumentParser(prog="dld", description="Deep Learning Demystified course tools")
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("release", help="generate book/<chapter>/exercises.ipynb from solutions/<chapter>.md")
    p.add_argument("chapters", nargs="*", help="chapter ids such as 02_neurons (default: every master)")
    p.set_defaults(run=_release)
    p = commands.add_parser("check", help="run your exercises notebook and see which exercises pass")
    p.add_argument("notebook", type=Path)
    p.add_argument("--timeout", type=int, default=120, help="seconds per cell (default 120)")
    p.set_defaults(run=_check)
    p = commands.add_parser("grade", help="autograde a folder of submissions")
    p.add_argument("submissions", type=Path, help="<learner>/<chapter>/exercises.ipynb folders, or <learner>.ipynb files with --chapter")
    p.add_argument("--out", type=Path, required=True, help="output folder: grades.csv, feedback/, report.md, report.png, course/")
    p.add_argument("--chapter", help="the chapter of a flat folder (or only this chapter)")
    p.add_argument("--master", type=Path, help="grade against this master .md instead of solutions/ (chapter: --chapter or its name)")
    p.add_argument("--timeout", type=int, help="seconds per cell (default: nbgrader_config.py's Execute.timeout)")
    p.add_argument("--memory-mb", type=int, default=Limits.memory_mb, help="address-space limit of a kernel")
    p.add_argument("--cpu-seconds", type=int, default=Limits.cpu_seconds, help="CPU-time limit of a notebook")
    p.add_argument("--workers", type=int, default=2, help="notebooks executed at once (default 2)")
    p.set_defaults(run=_grade)
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader's own session warnings, harmless
    logging.getLogger("dld.nbgrader").addHandler(logging.NullHandler())  # errors are reported per submission
    logging.getLogger("dld.nbgrader").propagate = False
    try:
        return args.run(args)
    except (OSError, ValueError, RuntimeError) as exc:
        print(f"dld {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
