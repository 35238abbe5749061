"""A temporary nbgrader course built from the masters: source notebooks, gradebook, release.

Both `dld release` and `dld grade` use it, so there is one way a master becomes an
assignment. nbgrader runs in this process (its converters, not its command line).
"""

from __future__ import annotations

import functools
import logging
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import jupytext
import nbformat
import nbgrader.api
from nbgrader.converters import GenerateAssignment, NbGraderException
from nbgrader.coursedir import CourseDirectory
from nbgrader.dbutil import ALEMBIC_DIR
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from dld.paths import CONFIG_FILE, NOTEBOOK_ID, ROOT
from dld.site import SETUP_ID, setup_cell_source

LOG = logging.getLogger("dld.nbgrader")
# The gradebook's database URL of a grading course, when `dld grade --db` named one (mode 600:
# a PostgreSQL URL may carry a password). Without it the gradebook is course/gradebook.db.
DB_FILE = "database.url"


@functools.cache
def _alembic_head() -> str:
    """The gradebook schema version nbgrader stamps on a new gradebook, computed in process.

    nbgrader's own `get_alembic_version` runs `alembic heads` in a subprocess (4 s here, and
    it needs the venv's bin on PATH); reading the same migration scripts in process is instant.
    """
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(ALEMBIC_DIR).get_current_head()
    if head is None:
        raise RuntimeError(f"nbgrader's migrations in {ALEMBIC_DIR} have no head revision")
    return head


nbgrader.api.get_alembic_version = _alembic_head


class NbgraderError(RuntimeError):
    """nbgrader failed; the message carries the errors it logged."""


def sqlite_url(course_root: Path) -> str:
    """The default gradebook of a course: SQLite in `course_root/gradebook.db`."""
    return f"sqlite:///{course_root.resolve() / 'gradebook.db'}"


def gradebook_url(course_root: Path) -> str:
    """The database URL of a course's gradebook: the one `dld grade --db` recorded, else SQLite."""
    recorded = course_root / DB_FILE
    return recorded.read_text().strip() if recorded.is_file() else sqlite_url(course_root)


def has_gradebook(course_root: Path) -> bool:
    """Whether a course has a gradebook yet: a chapter was built into it (its tables exist)."""
    if not gradebook_url(course_root).startswith("sqlite:"):
        return any((course_root / "source").glob(f"*/{NOTEBOOK_ID}.ipynb"))
    return (course_root / "gradebook.db").is_file()


def load_config(course_root: Path) -> Config:
    """The course's nbgrader_config.py with the course root moved to `course_root` and its
    gradebook at `gradebook_url(course_root)`."""
    config = PyFileConfigLoader(CONFIG_FILE.name, path=str(CONFIG_FILE.parent)).load_config()
    config.CourseDirectory.root = str(course_root)
    config.CourseDirectory.db_url = gradebook_url(course_root)
    return config


@functools.cache
def course_version() -> str:
    """The course's version: `version` in pyproject.toml, its one setting (CHANGELOG.md says what
    changed). Every release notebook carries it in its metadata (`dld.course_version`)."""
    return str(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"])


def master_notebook(master: Path) -> nbformat.NotebookNode:
    """Read a MyST master into a notebook with deterministic cell ids and metadata.

    jupytext gives cells random ids; a release must be byte-identical for the same master, so
    a cell's id is its nbgrader grade_id, or `cell-<index>` for the others. The set-up cell
    (grade id `setup`) gets its source from `dld.site.setup_cell_source`. The metadata holds the
    kernel and the course version.
    """
    notebook = jupytext.read(master)
    notebook.metadata = nbformat.from_dict(
        {"kernelspec": notebook.metadata["kernelspec"], "dld": {"course_version": course_version()}}
    )
    for index, cell in enumerate(notebook.cells):
        cell.id = cell.metadata.get("nbgrader", {}).get("grade_id", f"cell-{index}")
        if cell.id == SETUP_ID:
            cell.source = setup_cell_source()
    nbformat.validate(notebook)
    return notebook


class _ErrorCollector(logging.Handler):
    """Keeps the ERROR records nbgrader logs, to put them in the exception we raise."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def collect_errors() -> Iterator[_ErrorCollector]:
    """Attach an error collector to the logger nbgrader's converters are given."""
    collector = _ErrorCollector()
    LOG.addHandler(collector)
    try:
        yield collector
    finally:
        LOG.removeHandler(collector)


def build_course(course_root: Path, masters: dict[str, Path]) -> Config:
    """Write `source/<chapter>/exercises.ipynb` for each master and run generate_assignment.

    Creates the gradebook (`gradebook_url`: assignments, cells, points, hidden tests) and
    `course_root/release/<chapter>/exercises.ipynb`. Returns the course's config.

    Raises:
        NbgraderError: generate_assignment failed (e.g. bad nbgrader metadata), with its log.
    """
    config = load_config(course_root)
    for chapter, master in masters.items():
        source = course_root / "source" / chapter / f"{NOTEBOOK_ID}.ipynb"
        source.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(master_notebook(master), source)
    for chapter in masters:  # only these chapters: a grading course keeps its other chapters
        coursedir = CourseDirectory(config=config)
        coursedir.assignment_id = chapter
        converter = GenerateAssignment(coursedir=coursedir, config=config, log=LOG)
        converter.force = True
        with collect_errors() as errors:
            try:
                converter.start()
            except NbGraderException as exc:
                messages = "\n".join(errors.messages)
                raise NbgraderError(
                    f"generate_assignment failed for {chapter}:\n{messages}"
                ) from exc
    return config
