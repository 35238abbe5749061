"""dld.site: the site address is one setting; every exercise notebook installs the wheel from it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from dld.course import master_notebook
from dld.paths import ROOT, chapters, master_path, release_path
from dld.site import SETUP_ID, setup_cell_source, site_url, wheel_name, wheel_url


def _project(tmp_path: Path, config: str) -> Path:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "My.Course-X"\nversion = "2.1"\n')
    (tmp_path / "_config.yml").write_text(config)
    return tmp_path


def test_the_wheel_url_is_the_configured_site_address_plus_the_wheel(tmp_path: Path) -> None:
    root = _project(tmp_path, "html:\n  baseurl: https://example.org/c\n")
    assert wheel_name(root) == "my_course_x-2.1-py3-none-any.whl"
    assert site_url(root) == "https://example.org/c/"
    assert (
        wheel_url(root) == "https://example.org/c/_static/wheels/my_course_x-2.1-py3-none-any.whl"
    )
    source = setup_cell_source(root)
    assert f'COURSE_WHEEL_URL = "{wheel_url(root)}"' in source
    assert 'Path().glob("my_course_x-*.whl")' in source
    compile(source, "setup", "exec")


@pytest.mark.parametrize(
    "config", ["title: x\n", "html:\n  baseurl: ''\n", "html:\n  baseurl: /c/\n"]
)
def test_a_missing_or_relative_site_address_is_named(tmp_path: Path, config: str) -> None:
    with pytest.raises(ValueError, match=r"_config.yml must set html.baseurl"):
        site_url(_project(tmp_path, config))


@pytest.mark.parametrize("chapter", chapters())
def test_every_notebook_opens_with_the_set_up_cell(chapter: str) -> None:
    """In the master as nbgrader reads it and in the committed release: the same, from dld.site."""
    expected = setup_cell_source()
    assert "invalid" not in expected and wheel_url() in expected
    master = master_notebook(master_path(chapter))
    code = [c for c in master.cells if c.cell_type == "code"]
    assert code[0].id == SETUP_ID and code[0].source == expected
    release = json.loads(release_path(chapter).read_text())
    first = next(c for c in release["cells"] if c["cell_type"] == "code")
    assert first["id"] == SETUP_ID and "".join(first["source"]) == expected


def test_the_readme_names_the_site_and_repository_addresses() -> None:
    readme = (ROOT / "README.md").read_text()
    repository = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    assert site_url() in readme and repository in readme
