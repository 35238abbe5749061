"""Shared fixtures: the project's paths and the website, built once per test session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
BUILD_COMMAND = ["jupyter-book", "build", ".", "-W", "-n", "--keep-going", "--all"]

# Property tests draw the same examples on every run and machine, so CI cannot fail on a draw
# that no one can reproduce; `HYPOTHESIS_PROFILE=explore` draws new ones (and replays first what
# an earlier explore run found, kept in .hypothesis/).
settings.register_profile("reproducible", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "reproducible"))

# Small networks run much faster on one BLAS thread (see the Makefile); kernels inherit this.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
# Tools installed next to this interpreter (jupyter-book, nbgrader, alembic) must be found.
os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"


@dataclass(frozen=True)
class SiteBuild:
    """The result of building the website with the README's command."""

    html: Path
    returncode: int
    output: str
    seconds: float


@pytest.fixture(scope="session")
def site() -> SiteBuild:
    """Build the site exactly as `make site` does (warnings are errors) and return the result."""
    started = time.perf_counter()
    proc = subprocess.run(
        [str(Path(sys.executable).parent / BUILD_COMMAND[0]), *BUILD_COMMAND[1:]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    output = proc.stdout + proc.stderr
    print(f"\nsite build: {seconds:.1f} s, exit code {proc.returncode}")
    return SiteBuild(ROOT / "_build" / "html", proc.returncode, output, seconds)


@pytest.fixture(scope="session")
def built_site(site: SiteBuild) -> SiteBuild:
    """The site, for tests that need it to have built cleanly."""
    if site.returncode != 0:
        pytest.fail(f"the website build failed (exit {site.returncode}):\n{site.output[-6000:]}")
    return site


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Flags for a closed network: without them Chromium keeps trying to reach Google's services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Chromium from the system; skipped only where it cannot be installed (not in CI)."""
    if not Path(CHROMIUM).exists():
        message = "chromium is not installed (run `make browser` as root); browser tests skipped"
        if os.environ.get("DLD_REQUIRE_BROWSER"):
            pytest.fail(message.replace("skipped", "required by DLD_REQUIRE_BROWSER"))
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
