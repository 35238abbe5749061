"""The instructor's outputs: grades.csv, report.md and report.png (which exercises the class missed)."""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (after choosing the headless backend)

from dld.notebooks import Exercise  # noqa: E402

GRADED, ERROR = "graded", "error"


@dataclass
class Row:
    """One learner's chapter: points per exercise id (None: to grade by hand, or not graded)."""

    learner: str
    chapter: str
    status: str
    scores: dict[str, float | None] = field(default_factory=dict)
    note: str = ""

    @property
    def total(self) -> float:
        return sum(s for s in self.scores.values() if s is not None)


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


def _column(chapter: str, exercise: Exercise, several: bool) -> str:
    return f"{chapter}/{exercise.id}" if several else exercise.id


def write_grades(rows: list[Row], exercises: dict[str, list[Exercise]], path: Path) -> None:
    """grades.csv: learner, chapter, one column per exercise, total, max, status, note."""
    several = len(exercises) > 1
    columns = [(ch, ex) for ch, exs in exercises.items() for ex in exs]
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["learner", "chapter", *(_column(ch, ex, several) for ch, ex in columns), "total", "max", "status", "note"])
        for row in rows:
            cells = ["" if ch != row.chapter or row.scores.get(ex.id) is None else f"{row.scores[ex.id]:g}" for ch, ex in columns]
            maximum = sum(ex.points for ex in exercises.get(row.chapter, []))
            writer.writerow([row.learner, row.chapter, *cells, f"{row.total:g}", f"{maximum:g}", row.status, row.note])


def exercise_stats(rows: list[Row], exercises: dict[str, list[Exercise]]) -> list[ExerciseStats]:
    """Pass rate (full points) and mean score of every autograded exercise; error rows excluded."""
    stats = []
    for chapter, exs in exercises.items():
        graded = [r for r in rows if r.chapter == chapter and r.status == GRADED]
        for ex in (e for e in exs if e.autograded):
            scores = [r.scores.get(ex.id) or 0.0 for r in graded]
            mean = sum(scores) / len(scores) if scores else 0.0
            stats.append(ExerciseStats(chapter, ex, len(scores), sum(s >= ex.points for s in scores), mean))
    return stats


def _plot(stats: list[ExerciseStats], several: bool, path: Path) -> None:
    labels = [_column(s.chapter, s.exercise, several) for s in stats]
    x = range(len(stats))
    fig, ax = plt.subplots(figsize=(max(6.0, 0.7 * len(stats) + 2), 4), facecolor="white")
    ax.bar([i - 0.2 for i in x], [100 * s.pass_rate for s in stats], width=0.4, label="pass rate (full points)", color="#4c72b0")
    ax.bar([i + 0.2 for i in x], [100 * s.mean_score / s.exercise.points if s.exercise.points else 0 for s in stats],
           width=0.4, label="mean score (% of points)", color="#dd8452")
    ax.set_xticks(list(x), labels, rotation=30, ha="right")
    ax.set_ylim(0, 105)
    ax.set_ylabel("% of graded submissions / of points")
    ax.set_title("Which exercises did the class struggle with?")
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=100, facecolor="white")
    plt.close(fig)


def write_report(rows: list[Row], exercises: dict[str, list[Exercise]], out: Path) -> None:
    """report.md (a table per chapter, hardest exercise first, and the errors) and report.png."""
    stats = exercise_stats(rows, exercises)
    errors = [r for r in rows if r.status == ERROR]
    lines = ["# Grading report", "",
             f"{len(rows)} submissions: {len(rows) - len(errors)} graded, {len(errors)} not graded (errors below). "
             "Grades in `grades.csv`, feedback in `feedback/<learner>/<chapter>.html`. "
             "Written answers are graded by hand (nbgrader formgrader on `course/`).", ""]
    for chapter in exercises:
        chapter_stats = sorted((s for s in stats if s.chapter == chapter), key=lambda s: (s.pass_rate, s.mean_score))
        lines += [f"## {chapter}", "", "| exercise | points | passed | pass rate | mean score |", "|---|---:|---:|---:|---:|"]
        lines += [f"| {s.exercise.id} | {s.exercise.points:g} | {s.passed}/{s.submissions} | {100 * s.pass_rate:.0f}% | "
                  f"{s.mean_score:.2f} |" for s in chapter_stats]
        lines.append("")
    if errors:
        lines += ["## Submissions not graded", "", "| learner | chapter | reason |", "|---|---|---|"]
        lines += [f"| {r.learner} | {r.chapter} | {r.note.replace('|', '/')} |" for r in errors]
        lines.append("")
    noted = [r for r in rows if r.status == GRADED and r.note]
    if noted:
        lines += ["## Notes on graded submissions", ""] + [f"- {r.learner} ({r.chapter}): {r.note}" for r in noted] + [""]
    if stats:
        _plot(stats, len(exercises) > 1, out / "report.png")
        lines += ["![Pass rate and mean score per exercise](report.png)", ""]
    (out / "report.md").write_text("\n".join(lines))
