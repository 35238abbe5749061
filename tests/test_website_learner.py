"""A learner with only the website: the built site's wheel and notebook, a new venv, the self-check.

The journey, as a learner takes it: download `exercises.ipynb` from the site (the page's download
link, `_sources/...`), save the site's course wheel next to it, run the notebook's set-up cell
(which `%pip install`s that wheel), fill in the answers, then `python -m dld_check
exercises.ipynb`. The venv has no course code except what the wheel installs: it sees the
course environment's third-party packages (NumPy, ipykernel, ...) through a folder of links
that leaves out the course's own distribution and nbgrader, never the repository.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import nbformat
import pytest
from fixtures.learners import solutions, submission

from conftest import SiteBuild
from dld.course import master_notebook
from dld.paths import master_path
from dld.site import SETUP_ID, WHEEL_DIR, wheel_name

pytestmark = pytest.mark.slow
CHAPTER = "04_training"
# What the links folder leaves out: the course itself (editable install) and the grader.
NOT_THE_LEARNERS = ("deep_learning_demystified", "__editable__", "nbgrader")
STATUSES = ("passed", "failed", "not attempted", "graded by hand", "not answered")


@pytest.fixture(scope="module")
def learner_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new venv that sees the course environment's third-party packages, nothing of the course."""
    home = tmp_path_factory.mktemp("learner")
    subprocess.run([sys.executable, "-m", "venv", str(home / "venv")], check=True)
    links = home / "third_party"
    links.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not entry.name.startswith(NOT_THE_LEARNERS) and entry.suffix != ".pth":
            (links / entry.name).symlink_to(entry)
    python = home / "venv" / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(purelib) / "third_party.pth").write_text(f"{links}\n")
    return python


def _run(python: Path, folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{python.parent}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(
        [str(python), *args], cwd=folder, env=env, capture_output=True, text=True, timeout=900
    )


@pytest.fixture(scope="module")
def downloaded(
    built_site: SiteBuild, learner_venv: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, nbformat.NotebookNode]:
    """The learner's folder: the site's notebook and wheel, after running the set-up cell."""
    folder = tmp_path_factory.mktemp("work")
    page_copy = built_site.html / "_sources" / "book" / CHAPTER / "exercises.ipynb"
    notebook = nbformat.read(page_copy, as_version=4)
    wheel = built_site.html / WHEEL_DIR / wheel_name()
    (folder / wheel.name).write_bytes(wheel.read_bytes())
    setup = next(c for c in notebook.cells if c.get("id") == SETUP_ID)
    assert _run(learner_venv, folder, "-c", "import nnlib").returncode != 0, (
        "the learner's venv imports nnlib before the set-up cell ran: it is not a new venv"
    )
    ran = _run(learner_venv, folder, "-m", "IPython", "--quick", "-c", setup.source)
    assert ran.returncode == 0, f"the set-up cell failed:\n{ran.stdout}\n{ran.stderr}"
    where = _run(learner_venv, folder, "-c", "import nnlib, dld_check; print(nnlib.__file__)")
    assert where.returncode == 0 and "/venv/" in where.stdout, (
        f"nnlib is not the wheel installed into the venv:\n{where.stdout}{where.stderr}"
    )
    return folder, notebook


def test_the_sites_wheel_holds_no_solutions_or_hidden_tests(built_site: SiteBuild) -> None:
    with zipfile.ZipFile(built_site.html / WHEEL_DIR / wheel_name()) as wheel:
        names = wheel.namelist()
        leaks = [n for n in names if "BEGIN HIDDEN TESTS" in wheel.read(n).decode("latin-1")]
    assert not [n for n in names if n.startswith(("solutions/", "tests/"))], names
    assert not leaks, f"the course wheel contains hidden tests: {leaks}"


def test_the_masters_answers_pass_the_self_check(
    learner_venv: Path, downloaded: tuple[Path, nbformat.NotebookNode]
) -> None:
    folder, notebook = downloaded
    written = {
        c.id: c.source for c in master_notebook(master_path(CHAPTER)).cells if _is_written(c)
    }
    (folder / "exercises.ipynb").write_text(
        submission(notebook, solutions(master_path(CHAPTER)) | written)
    )
    check = _run(learner_venv, folder, "-m", "dld_check", "exercises.ipynb")
    print(check.stdout)
    assert check.returncode == 0, (
        f"self-check of the master's answers:\n{check.stdout}{check.stderr}"
    )
    statuses = _statuses(check.stdout, notebook)
    assert set(statuses.values()) <= {"passed", "graded by hand"}, check.stdout
    assert {ex for ex, status in statuses.items() if status == "graded by hand"} == set(written)


def test_the_stubs_are_not_attempted(
    learner_venv: Path, downloaded: tuple[Path, nbformat.NotebookNode]
) -> None:
    folder, notebook = downloaded
    nbformat.write(notebook, folder / "exercises.ipynb")
    check = _run(learner_venv, folder, "-m", "dld_check", "exercises.ipynb")
    assert check.returncode == 1, (
        f"self-check of the untouched notebook:\n{check.stdout}{check.stderr}"
    )
    statuses = _statuses(check.stdout, notebook)
    assert set(statuses.values()) == {"not attempted", "not answered"}, check.stdout


def _is_written(cell: nbformat.NotebookNode) -> bool:
    meta = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "markdown" and bool(meta.get("solution")) and bool(meta.get("grade"))


def _statuses(report: str, notebook: nbformat.NotebookNode) -> dict[str, str]:
    """Exercise id -> the status the report prints on that exercise's line."""
    statuses = {}
    for line in report.splitlines():
        words = line.split()
        if line.startswith("  ") and not line.startswith("      ") and words:
            status = next(s for s in STATUSES if f" {s} " in f" {line} ")
            statuses[words[0]] = status
    exercises = {
        c.metadata["nbgrader"]["grade_id"].removesuffix("_tests")
        for c in notebook.cells
        if c.metadata.get("nbgrader", {}).get("grade")
    }
    assert set(statuses) == exercises, f"the report does not list every exercise:\n{report}"
    return statuses
