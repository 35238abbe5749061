"""Sphinx extension: ship the course library as a wheel inside the built site.

A learner with only the website installs nnlib from the site itself (`%pip install <URL>`);
`pip install nnlib` would install an unrelated project of that name. The wheel is built from
this repository with `pip wheel --no-deps`, from a scratch copy of the sources so the build
leaves no `build/` folder in the working tree. Its distribution name is the project's,
`deep-learning-demystified`; the import name stays `nnlib`.

The one place that says where the wheel lives is `dld.site.WHEEL_DIR`: the wheel is
`<site>/_static/wheels/<wheel file name>`, e.g.
`_static/wheels/deep_learning_demystified-0.1.0-py3-none-any.whl`, and pages can show it with
the MyST substitution `{{ course_wheel }}` (a path relative to the site's root).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from dld.site import WHEEL_DIR, wheel_name

logger = logging.getLogger(__name__)

# What a wheel build of the project needs from the working tree; everything else stays out.
SKIP = shutil.ignore_patterns(
    ".git",
    ".venv",
    "_build",
    "node_modules",
    "build",
    "*.egg-info",
    "__pycache__",
    ".pytest_cache",
    ".hypothesis",
    ".mypy_cache",
    "book",
    "solutions",
    "tests",
    "bench",
    "grading",
)


def wheel_path(root: Path) -> str:
    """The wheel's path relative to the site's root, e.g. `_static/wheels/...whl`."""
    return f"{WHEEL_DIR}/{wheel_name(root)}"


def build_wheel(root: Path, outdir: Path) -> Path:
    """Build the project's wheel into `outdir/WHEEL_DIR` and return its path."""
    target = outdir / WHEEL_DIR
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="dld-wheel-") as scratch:
        source = Path(scratch) / "src"
        shutil.copytree(root, source, ignore=SKIP)
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--quiet",
                "--no-deps",
                "--no-build-isolation",
                "-w",
                str(target),
                str(source),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    wheel = target / wheel_name(root)
    if proc.returncode != 0 or not wheel.is_file():
        raise RuntimeError(
            f"building the course wheel failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}"
        )
    return wheel


def add_substitution(app: Sphinx, config: Any) -> None:
    """Let pages write `{{ course_wheel }}` for the wheel's path from the site's root."""
    config.myst_substitutions = {
        **config.myst_substitutions,
        "course_wheel": wheel_path(Path(app.confdir)),
    }


def ship_wheel(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        wheel = build_wheel(Path(app.confdir), Path(app.outdir))
        logger.info(
            f"course wheel: {wheel.relative_to(app.outdir)} ({wheel.stat().st_size / 1024:.0f} KiB)"
        )


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", add_substitution)
    # Before the JupyterLite copy (priority 600), whose Pyodide lock lists this wheel.
    app.connect("build-finished", ship_wheel, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
