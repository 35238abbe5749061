"""The course's code is strictly typed: mypy --strict (configured in pyproject.toml) finds nothing
in the files it lists (nnlib and the learner's check)."""

from __future__ import annotations

import pytest
from mypy import api

from conftest import ROOT


def test_course_code_passes_mypy_strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # `files` in pyproject.toml are relative to the project
    stdout, stderr, status = api.run(["--config-file", str(ROOT / "pyproject.toml")])
    assert status == 0, f"mypy --strict found problems:\n{stdout}{stderr}"
