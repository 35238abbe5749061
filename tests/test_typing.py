"""nnlib is strictly typed: mypy --strict (configured in pyproject.toml) finds nothing."""
from __future__ import annotations

from mypy import api

from conftest import ROOT


def test_nnlib_passes_mypy_strict() -> None:
    stdout, stderr, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), str(ROOT / "nnlib")])
    assert status == 0, f"mypy --strict found problems in nnlib:\n{stdout}{stderr}"
