"""Where the course lives on the web, and the set-up cell that installs it from there.

The site's address is one setting, `html.baseurl` in `_config.yml`. The site ships the course
library as a wheel at `<site>/_static/wheels/<wheel file name>` (book/_ext/course_wheel.py
builds it); every exercise notebook opens with a set-up cell (grade id `setup`) that installs
that wheel when `import nnlib` fails: from a wheel file next to the notebook if there is one,
else from the site. `dld release` writes the cell from SETUP_CELL here, so the six masters never
carry six copies of it.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

from dld.paths import ROOT

WHEEL_DIR = "_static/wheels"
SETUP_ID = "setup"
SETUP_CELL = """\
# Set-up: installs the course library `nnlib` if this Python does not have it (else it does
# nothing): the course wheel from a file next to this notebook if there is one, else the site's.
COURSE_WHEEL_URL = "{url}"
try:
    import nnlib
except ImportError:
    from pathlib import Path

    wheel = max(Path().glob("{pattern}"), default=COURSE_WHEEL_URL)
    get_ipython().run_line_magic("pip", f'install --quiet "{{wheel}}"')
    import nnlib
"""


def wheel_name(root: Path = ROOT) -> str:
    """The wheel file name pip gives the project in `root`: `<name>-<version>-py3-none-any.whl`."""
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    name = re.sub(r"[-_.]+", "_", project["name"]).lower()
    return f"{name}-{project['version']}-py3-none-any.whl"


def site_url(root: Path = ROOT) -> str:
    """The published site's address, `html.baseurl` in `_config.yml`, ending in `/`.

    Raises:
        ValueError: `_config.yml` sets no `html.baseurl`.
    """
    config = yaml.safe_load((root / "_config.yml").read_text()) or {}
    url = str((config.get("html") or {}).get("baseurl") or "")
    if not url.startswith(("https://", "http://")):
        raise ValueError(
            f"{root / '_config.yml'} must set html.baseurl to the site's address "
            f"(e.g. https://example.org/course/), got {url!r}"
        )
    return url.rstrip("/") + "/"


def wheel_url(root: Path = ROOT) -> str:
    """The course wheel's address on the published site."""
    return f"{site_url(root)}{WHEEL_DIR}/{wheel_name(root)}"


def setup_cell_source(root: Path = ROOT) -> str:
    """The source of every exercise notebook's set-up cell."""
    pattern = wheel_name(root).split("-")[0] + "-*.whl"
    return SETUP_CELL.format(url=wheel_url(root), pattern=pattern).rstrip("\n")
