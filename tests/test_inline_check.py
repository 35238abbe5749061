"""The notebook's self-check cell (dld_check.inline) says what `python -m dld_check` says.

A real kernel (nbclient) runs the release's last cell on its own, as a learner does, on a saved
notebook in which some exercises are right, some wrong (the bank's first wrong answer), some
left as stubs; its report's per-exercise lines must equal the desktop check's on the same file.
Under the grader and the desktop check (no IPython shell, or the grader's agent in the kernel),
the cell does nothing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from fixtures.learners import solutions, submission, wrong_answers
from nbclient import NotebookClient

from dld.paths import ROOT, master_path, release_path
from dld_check.inline import SELF_CHECK_ID, check


def _report_lines(report: str) -> list[str]:
    """The per-exercise lines and the total: everything but the file-and-time line."""
    return report.strip().splitlines()[1:]


def _self_check_cell(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    (cell,) = [c for c in notebook.cells if c.get("id") == SELF_CHECK_ID]
    return cell


def test_the_cell_does_nothing_without_a_shell_or_under_the_grader(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no exercises.ipynb here: a run would say so
    check()  # pytest has no IPython shell
    import IPython

    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setitem(sys.modules, "__dld_agent__", object())
    check()
    assert capsys.readouterr().out.count("runs when you run this cell yourself") == 2
    monkeypatch.delitem(sys.modules, "__dld_agent__")
    check()
    assert "no notebook" in capsys.readouterr().out


@pytest.mark.slow
@pytest.mark.parametrize("chapter", ["02_neurons", "04_training"])
def test_the_cell_reports_what_the_desktop_check_reports(chapter: str, tmp_path: Path) -> None:
    release = nbformat.read(release_path(chapter), as_version=4)
    answers = solutions(master_path(chapter))
    bank = wrong_answers(ROOT / "tests" / "wrong_answers" / f"{chapter}.py")
    exercises = list(answers)
    mixed = {ex: answers[ex] for ex in exercises[0::3]}
    mixed |= {ex: bank[ex][0] for ex in exercises[1::3] if ex in bank}
    (tmp_path / "exercises.ipynb").write_text(submission(release, mixed))

    desktop = subprocess.run(
        [sys.executable, "-m", "dld_check", "exercises.ipynb"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert desktop.returncode == 1, desktop.stdout + desktop.stderr
    statuses = " ".join(_report_lines(desktop.stdout))
    assert "passed" in statuses and "failed" in statuses and "not attempted" in statuses

    learner = nbformat.v4.new_notebook(cells=[_self_check_cell(release)])
    learner.metadata = release.metadata
    NotebookClient(learner, timeout=600, resources={"metadata": {"path": str(tmp_path)}}).execute()
    (output,) = learner.cells[0].outputs
    assert output.name == "stdout", output
    assert _report_lines(output.text) == _report_lines(desktop.stdout)
