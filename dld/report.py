"""The instructor's outputs: grades.csv, lms.csv, report.md, report.png (what the class missed)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (after choosing the headless backend)

from dld.ledger import ERROR, GRADED, INFRASTRUCTURE  # noqa: E402
from dld_check.notebooks import Exercise  # noqa: E402

__all__ = ["ERROR", "GRADED", "INFRASTRUCTURE", "PENDING", "Row", "write_grades", "write_report"]
PENDING = "pending"


@dataclass
class Row:
    """One learner's chapter: points per exercise id (None: pending, to grade by hand)."""

    learner: str
    chapter: str
    status: str
    scores: dict[str, float | None] = field(default_factory=dict)
    note: str = ""

    @property
    def pending(self) -> int:
        """Answers of a graded row still waiting for a hand-given score."""
        return sum(s is None for s in self.scores.values()) if self.status == GRADED else 0

    @property
    def total(self) -> float | None:
        """Points so far of a graded row; None for a row that was not graded (not 0 points)."""
        if self.status != GRADED:
            return None
        return sum(s for s in self.scores.values() if s is not None)

    @property
    def state(self) -> str:
        """The status to show: `pending` while a graded row has answers left to grade by hand."""
        return PENDING if self.pending else self.status


@dataclass(frozen=True)
class ExerciseStats:
    """Class results of one autograded exercise over the graded submissions of its chapter."""

    chapter: str
    exercise: Exercise
    submissions: int
    passed: int
    mean_score: float

    @property
    def pass_rate(self) -> float:
        return self.passed / self.submissions if self.submissions else 0.0


def plural(n: int, noun: str) -> str:
    """`n` and the noun, plural unless n == 1: plural(1, "answer") == "1 answer"."""
    return f"{n} {noun}{'s' * (n != 1)}"


def _column(chapter: str, exercise: Exercise, several: bool) -> str:
    return f"{chapter}/{exercise.id}" if several else exercise.id


def _cell(row: Row, chapter: str, exercise: Exercise) -> str:
    """A score as grades.csv shows it: points, `pending`, or empty (another chapter, not graded)."""
    if chapter != row.chapter or row.status != GRADED or exercise.id not in row.scores:
        return ""
    score = row.scores[exercise.id]
    return PENDING if score is None else f"{score:g}"


def _points(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def write_grades(rows: list[Row], exercises: dict[str, list[Exercise]], path: Path) -> None:
    """grades.csv: learner, chapter, one column per exercise, total, max, status, note.

    A written answer not graded yet reads `pending` (status `pending`); a row that could not
    be graded has an empty total and its status (`error`, `infrastructure error`), never 0.
    """
    several = len(exercises) > 1
    columns = [(ch, ex) for ch, exs in exercises.items() for ex in exs]
    header = [_column(ch, ex, several) for ch, ex in columns]
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["learner", "chapter", *header, "total", "max", "status", "note"])
        for row in rows:
            maximum = sum(ex.points for ex in exercises.get(row.chapter, []))
            cells = [_cell(row, ch, ex) for ch, ex in columns]
            total = _points(row.total)
            writer.writerow(
                [row.learner, row.chapter, *cells, total, f"{maximum:g}", row.state, row.note]
            )


def write_lms(rows: list[Row], exercises: dict[str, list[Exercise]], path: Path) -> None:
    """lms.csv: one row per learner for an LMS grade book (README: Canvas and Moodle).

    Columns: `learner` (the id, first), per chapter its points (empty when not handed in or not
    graded), then `total` points, `max` (every chapter of the course), `percent`, and `pending`
    (answers still to grade by hand; totals count only what is graded so far). A learner with no
    chapter graded has an empty total and percent, never 0.
    """
    maxima = {ch: sum(ex.points for ex in exs) for ch, exs in exercises.items()}
    course_max = sum(maxima.values())
    by_learner: dict[str, dict[str, Row]] = {}
    for row in rows:
        by_learner.setdefault(row.learner, {})[row.chapter] = row
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        chapters = [f"{ch} ({maxima[ch]:g})" for ch in exercises]
        writer.writerow(["learner", *chapters, "total", "max", "percent", "pending"])
        for learner in sorted(by_learner):
            graded = [by_learner[learner].get(ch) for ch in exercises]
            totals = [None if r is None else r.total for r in graded]
            counted = [t for t in totals if t is not None]
            total = sum(counted) if counted else None
            percent = "" if total is None or not course_max else f"{100 * total / course_max:.1f}"
            pending = sum(r.pending for r in graded if r is not None)
            writer.writerow(
                [
                    learner,
                    *map(_points, totals),
                    _points(total),
                    f"{course_max:g}",
                    percent,
                    pending,
                ]
            )


def exercise_stats(rows: list[Row], exercises: dict[str, list[Exercise]]) -> list[ExerciseStats]:
    """Pass rate (full points) and mean score of every autograded exercise; error rows excluded."""
    stats = []
    for chapter, exs in exercises.items():
        graded = [r for r in rows if r.chapter == chapter and r.status == GRADED]
        for ex in (e for e in exs if e.autograded):
            scores = [r.scores.get(ex.id) or 0.0 for r in graded]
            mean = sum(scores) / len(scores) if scores else 0.0
            stats.append(
                ExerciseStats(chapter, ex, len(scores), sum(s >= ex.points for s in scores), mean)
            )
    return stats


def _plot(stats: list[ExerciseStats], several: bool, path: Path) -> None:
    labels = [_column(s.chapter, s.exercise, several) for s in stats]
    x = range(len(stats))
    fig, ax = plt.subplots(figsize=(max(6.0, 0.7 * len(stats) + 2), 4), facecolor="white")
    ax.bar(
        [i - 0.2 for i in x],
        [100 * s.pass_rate for s in stats],
        width=0.4,
        label="pass rate (full points)",
        color="#4c72b0",
    )
    ax.bar(
        [i + 0.2 for i in x],
        [100 * s.mean_score / s.exercise.points if s.exercise.points else 0 for s in stats],
        width=0.4,
        label="mean score (% of points)",
        color="#dd8452",
    )
    ax.set_xticks(list(x), labels, rotation=30, ha="right")
    ax.set_ylim(0, 105)
    ax.set_ylabel("% of graded submissions / of points")
    ax.set_title("Which exercises did the class struggle with?")
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=100, facecolor="white")
    plt.close(fig)


def _pending_lines(rows: list[Row], exercises: dict[str, list[Exercise]]) -> list[str]:
    """The written answers left to grade by hand, counted per question."""
    left = sum(r.pending for r in rows)
    if not left:
        return ["All written answers are graded.", ""]
    lines = [
        f"**{plural(left, 'answer')} left to grade by hand** (pending): "
        "`dld formgrader OUT` (`make formgrader OUT=...`), with `written.md` for the model "
        "answers; then `dld export OUT` (`make grades OUT=...`).",
        "",
        "| chapter | question | pending |",
        "|---|---|---:|",
    ]
    for chapter, exs in exercises.items():
        for ex in exs:
            count = sum(
                r.chapter == chapter
                and r.status == GRADED
                and ex.id in r.scores
                and r.scores[ex.id] is None
                for r in rows
            )
            if count:
                lines.append(f"| {chapter} | {ex.id} | {count} |")
    return [*lines, ""]


def write_report(rows: list[Row], exercises: dict[str, list[Exercise]], out: Path) -> None:
    """report.md (a table per chapter, hardest exercise first, what is left to grade by hand and
    the errors) and report.png."""
    stats = exercise_stats(rows, exercises)
    errors = [r for r in rows if r.status != GRADED]
    lines = [
        "# Grading report",
        "",
        f"{len(rows)} submissions: {len(rows) - len(errors)} graded, {len(errors)} not graded "
        "(errors below). Grades in `grades.csv` and `lms.csv`, feedback in "
        "`feedback/<learner>/<chapter>.html`, written answers beside the model answers in "
        "`written.md`.",
        "",
        *_pending_lines(rows, exercises),
    ]
    for chapter in exercises:
        chapter_stats = sorted(
            (s for s in stats if s.chapter == chapter), key=lambda s: (s.pass_rate, s.mean_score)
        )
        lines += [
            f"## {chapter}",
            "",
            "| exercise | points | passed | pass rate | mean score |",
            "|---|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {s.exercise.id} | {s.exercise.points:g} | {s.passed}/{s.submissions} | "
            f"{100 * s.pass_rate:.0f}% | {s.mean_score:.2f} |"
            for s in chapter_stats
        ]
        lines.append("")
    if errors:
        lines += [
            "## Submissions not graded",
            "",
            "| learner | chapter | status | reason |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {r.learner} | {r.chapter} | {r.status} | {r.note.replace('|', '/')} |"
            for r in errors
        ]
        lines.append("")
    noted = [r for r in rows if r.status == GRADED and r.note]
    if noted:
        lines += ["## Notes on graded submissions", ""]
        lines += [f"- {r.learner} ({r.chapter}): {r.note}" for r in noted] + [""]
    if stats:
        _plot(stats, len(exercises) > 1, out / "report.png")
        lines += ["![Pass rate and mean score per exercise](report.png)", ""]
    (out / "report.md").write_text("\n".join(lines))
