"""The grading folder as an nbgrader course an instructor opens: its config, MathJax, formgrader.

`dld grade` writes `OUT/course/nbgrader_config.py`: the course's own nbgrader_config.py (so the
feedback preprocessors that hide tests and tracebacks apply to every nbgrader path run there:
formgrader's Generate Feedback button, `nbgrader generate_feedback`) and a section that turns
nbgrader's own Autograde off there, since grading goes through `dld grade` (the ledger, the
sandbox, the gradebook filled before the workers start). `dld formgrader OUT` starts a Jupyter
server on that folder with only formgrader enabled.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from nbconvert.exporters import NotebookExporter

from dld.course import gradebook_url, has_gradebook
from dld.paths import CONFIG_FILE

TEMPLATES = Path(__file__).resolve().parent / "templates"
MATHJAX_FILE = "tex-svg.js"
# Feedback pages live at course/feedback/<learner>/<chapter>/exercises.html and MathJax at
# course/mathjax/: the URL relative to a page (dld's copies in OUT/feedback rewrite it).
FEEDBACK_MATHJAX_URL = f"../../../mathjax/{MATHJAX_FILE}"

COURSE_SECTION = """

# ---- The grading folder (written by `dld grade`; it rewrites this file on every run) ----
# Grading runs only through `dld grade` (which keeps its ledger and fills the gradebook before its
# workers start): formgrader's Autograde button and `nbgrader autograde` here stop with a message.
c.Autograde.exporter_class = "dld.formgrader.AutogradeWithDldGrade"
"""


def mathjax_file() -> Path:
    """MathJax 3's tex-svg.js as sphinx-mathjax-offline ships it (one file, no fonts to fetch).

    Raises:
        FileNotFoundError: the package is not installed (`make setup` installs it).
    """
    import importlib.util

    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    roots = [Path(p) for p in (spec.submodule_search_locations or [])] if spec else []
    for root in roots:
        path = root / "static" / "mathjax" / MATHJAX_FILE
        if path.is_file():
            return path
    raise FileNotFoundError(
        f"MathJax's {MATHJAX_FILE} not found: install sphinx-mathjax-offline (make setup)"
    )


def prepare_folder(course: Path) -> None:
    """Write the course's nbgrader_config.py (with its gradebook's URL, so formgrader opens the
    same database) and a copy of MathJax into the grading folder."""
    course.mkdir(parents=True, exist_ok=True)
    database = f"c.CourseDirectory.db_url = {gradebook_url(course)!r}\n"
    config = course / "nbgrader_config.py"
    config.write_text(CONFIG_FILE.read_text() + COURSE_SECTION + database)
    config.chmod(0o600)
    target = course / "mathjax" / MATHJAX_FILE
    if not target.is_file():
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(mathjax_file(), target)


class AutogradeWithDldGrade(NotebookExporter):
    """Stands in for nbgrader's exporter in the grading folder, so Autograde stops before it
    touches a file or the gradebook, and says what to run instead."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise RuntimeError(
            "autograding in this folder goes through `dld grade SUBMISSIONS --out OUT` "
            "(make grade SUBMISSIONS=... OUT=...): it grades new and changed submissions in the "
            "sandbox and keeps every hand-given score; formgrader here is for grading by hand"
        )


def server_command(out: Path, port: int = 8888, *, open_browser: bool = True) -> list[str]:
    """The command that serves formgrader on `out/course`; run it with `out/course` as the working
    directory, where nbgrader reads the course's nbgrader_config.py and finds its root.

    Raises:
        FileNotFoundError: `out` has no grading course (run `dld grade` first).
    """
    course = out.resolve() / "course"
    if not has_gradebook(course):
        raise FileNotFoundError(
            f"{out}: no grading course (no gradebook); grade first: dld grade SUBMISSIONS "
            f"--out {out}"
        )
    extensions = "{'nbgrader.server_extensions.formgrader': True}"
    return [
        sys.executable,
        "-m",
        "jupyter_server",
        f"--ServerApp.root_dir={course}",
        f"--ServerApp.jpserver_extensions={extensions}",
        # MathJax for formgrader's pages, at /static/tex-svg.js: Jupyter's static files need no
        # login (its /files/ would, and a script request carries no token).
        f"--ServerApp.extra_static_paths=['{course / 'mathjax'}']",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.open_browser={open_browser}",
        "--ServerApp.default_url=/formgrader",
        "--ServerApp.allow_root=True",
    ]
