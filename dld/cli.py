"""Command line: `dld release`, `dld check NOTEBOOK`, `dld grade SUBMISSIONS --out OUT`,
`dld formgrader OUT`, `dld export OUT`."""

from __future__ import annotations

import argparse
import datetime
import logging
import subprocess
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import SAWarning

from dld.sandbox import Limits

if TYPE_CHECKING:
    from dld.report import Row


def _release(args: argparse.Namespace) -> int:
    from dld.paths import resolve_masters
    from dld.release import release

    for path in release(resolve_masters(args.chapters)):
        print(f"wrote {path}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from dld_check.check import check, passed

    outcome, report = check(args.notebook, timeout=args.timeout)
    print(report)
    return 0 if passed(outcome) else 1


def _due(values: list[str]) -> dict[str, datetime.datetime]:
    """`CHAPTER=ISO-DATE` pairs; a date without a time zone is UTC."""
    due = {}
    for value in values:
        chapter, sep, when = value.partition("=")
        try:
            moment = datetime.datetime.fromisoformat(when) if sep and chapter else None
        except ValueError:
            moment = None
        if moment is None:
            raise ValueError(
                f"--due {value!r}: expected CHAPTER=ISO-DATE, e.g. 02_neurons=2027-01-15T18:00"
            )
        due[chapter] = moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)
    return due


def _summary(rows: list[Row], out: Path) -> int:
    """One line for the outputs, one per problem; exit 3 when one is not the learners' fault."""
    from dld.report import GRADED, INFRASTRUCTURE, plural

    problems = [r for r in rows if r.status != GRADED]
    pending = sum(r.pending for r in rows)
    print(
        f"{plural(len(rows) - len(problems), 'submission')} graded, {len(problems)} not graded, "
        f"{plural(pending, 'answer')} left to grade by hand (pending): {out / 'grades.csv'}, "
        f"{out / 'lms.csv'}, "
        f"{out / 'report.md'} (details of problems: {out / 'grade.log'})"
    )
    for row in problems:
        print(f"  not graded ({row.status}): {row.learner} {row.chapter}: {row.note}")
    return 3 if any(r.status == INFRASTRUCTURE for r in problems) else 0


def _grade(args: argparse.Namespace) -> int:
    from dld.grade import grade

    masters = None
    if args.master:
        if not args.master.is_file():
            raise FileNotFoundError(f"--master {args.master}: no such file")
        args.chapter = args.chapter or args.master.stem
        masters = {args.chapter: args.master}
    rows = grade(
        args.submissions,
        args.out,
        args.chapter,
        masters=masters,
        regrade=args.regrade,
        fresh=args.fresh,
        due=_due(args.due),
        timeout=args.timeout,
        limits=Limits(memory_mb=args.memory_mb, processes=args.processes),
        workers=args.workers,
        cluster=args.cluster,
        db=args.db,
        progress=True,
        sandbox=not args.no_sandbox,
        say=print,
    )
    return _summary(rows, args.out)


def _export(args: argparse.Namespace) -> int:
    from dld.export import export

    return _summary(export(args.out), args.out)


def _formgrader(args: argparse.Namespace) -> int:
    from dld.formgrader import prepare_folder, server_command

    command = server_command(args.out, args.port, open_browser=not args.no_browser)
    prepare_folder(args.out.resolve() / "course")
    print(
        f"formgrader on {args.out / 'course'}: http://localhost:{args.port}/formgrader "
        "(Ctrl-C stops it); afterwards: dld export " + str(args.out)
    )
    return subprocess.call(command, cwd=args.out.resolve() / "course")


def main(argv: list[str] | None = None) -> int:
    """Run a dld command; return the exit code (errors are printed, not raised)."""
    parser = argparse.ArgumentParser(
        prog="dld", description="Deep Learning Demystified course tools"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser(
        "release", help="generate book/<chapter>/exercises.ipynb from solutions/<chapter>.md"
    )
    p.add_argument(
        "chapters", nargs="*", help="chapter ids such as 02_neurons (default: every master)"
    )
    p.set_defaults(run=_release)
    p = commands.add_parser(
        "check", help="run your exercises notebook and see which exercises pass"
    )
    p.add_argument("notebook", type=Path)
    p.add_argument("--timeout", type=int, default=120, help="seconds per cell (default 120)")
    p.set_defaults(run=_check)
    p = commands.add_parser("grade", help="autograde a folder of submissions")
    p.add_argument(
        "submissions",
        type=Path,
        help="<learner>/<chapter>/exercises.ipynb folders, or <learner>.ipynb files with --chapter",
    )
    p.add_argument(
        "--out",
        type=Path,
        required=True,
        help="output folder: grades.csv, feedback/, report.md, report.png, course/",
    )
    p.add_argument("--chapter", help="the chapter of a flat folder (or only this chapter)")
    p.add_argument(
        "--master",
        type=Path,
        help="grade against this master .md instead of solutions/ (chapter: --chapter or its name)",
    )
    p.add_argument(
        "--timeout",
        type=int,
        help="seconds per cell (default: nbgrader_config.py's Execute.timeout)",
    )
    p.add_argument(
        "--memory-mb",
        type=int,
        default=Limits.memory_mb,
        help="memory of all of a notebook's processes (MiB)",
    )
    p.add_argument(
        "--processes",
        type=int,
        default=Limits.processes,
        help="processes a notebook may run at once",
    )
    p.add_argument(
        "--no-sandbox",
        action="store_true",
        help="run learners' code without bubblewrap (only on a machine you do not mind it reading)",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=2,
        help="worker processes of the local Dask cluster, one notebook each at once (default 2)",
    )
    p.add_argument(
        "--cluster",
        metavar="tcp://HOST:8786",
        help="grade on the workers of this Dask scheduler instead of a local cluster (workers "
        "need the course environment, bubblewrap, the grading folder at the same path and the "
        "database)",
    )
    p.add_argument(
        "--db",
        metavar="URL",
        help="the gradebook's database, any URL nbgrader takes, e.g. "
        "postgresql+psycopg://user@host/db (default: sqlite in OUT/course/gradebook.db; a "
        "grading folder keeps the one it was first given)",
    )
    p.add_argument(
        "--regrade",
        action="store_true",
        help="grade every submission given again, changed or not (hand-given scores of "
        "unchanged answers stay)",
    )
    p.add_argument(
        "--fresh",
        action="store_true",
        help="delete OUT/course first: its gradebook, hand-given scores and comments",
    )
    p.add_argument(
        "--due",
        action="append",
        default=[],
        metavar="CHAPTER=ISO-DATE",
        help="due date of a chapter (repeatable; UTC unless given): nbgrader's "
        "late-submission plugin reads each submission's timestamp.txt",
    )
    p.set_defaults(run=_grade)
    p = commands.add_parser(
        "formgrader", help="grade written answers by hand in nbgrader's formgrader"
    )
    p.add_argument("out", type=Path, help="the --out folder of dld grade")
    p.add_argument("--port", type=int, default=8888)
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p.set_defaults(run=_formgrader)
    p = commands.add_parser(
        "export",
        help="write grades.csv, lms.csv, feedback and the report "
        "with the hand-given scores and comments",
    )
    p.add_argument("out", type=Path, help="the --out folder of dld grade")
    p.set_defaults(run=_export)
    args = parser.parse_args(argv)
    warnings.filterwarnings(
        "ignore", category=SAWarning
    )  # nbgrader's own session warnings, harmless
    logging.getLogger("dld.nbgrader").addHandler(
        logging.NullHandler()
    )  # errors are reported per submission
    logging.getLogger("dld.nbgrader").propagate = False
    try:
        return args.run(args)
    except (OSError, ValueError, RuntimeError) as exc:
        print(f"dld {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
