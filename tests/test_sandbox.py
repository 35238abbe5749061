"""Start-up is never the learner's problem: 60 sandboxed kernels, two at a time, on a busy
machine (the grading tests start about 200 more, on a machine as busy as the suite makes it)."""

from __future__ import annotations

import multiprocessing
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from dld.sandbox import Sandbox
from dld_check.kernel import Kernel

pytestmark = pytest.mark.slow
KERNELS = 60


def _busy(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def _start_one(_: int) -> tuple[int, str]:
    """Start a sandboxed kernel, run one line, stop it; (starts needed, what it printed)."""
    with tempfile.TemporaryDirectory(prefix="dld-stress-") as tmp:
        sandbox = Sandbox(Path(tmp))
        kernel = Kernel(Path(tmp), sandbox.launcher)
        try:
            kernel.start()
            run = kernel.execute("print(6 * 7)", timeout=30)
            return kernel.starts, "".join(o.get("text", "") for o in run.outputs)
        finally:
            kernel.shutdown()
            sandbox.close()


def test_hundreds_of_sandboxed_kernels_start_under_load() -> None:
    load = [multiprocessing.Process(target=_busy, args=(900,), daemon=True) for _ in range(2)]
    for process in load:
        process.start()
    started = time.perf_counter()
    try:
        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(_start_one, range(KERNELS)))
    finally:
        for process in load:
            process.terminate()
    seconds = time.perf_counter() - started
    retries = sum(starts - 1 for starts, _ in results)
    print(
        f"\n{KERNELS} sandboxed kernels, 2 at a time, both cores busy: {seconds:.0f} s, "
        f"{seconds / KERNELS * 2:.2f} s per kernel, {retries} start-up retries, 0 failures"
    )
    assert all(text == "42\n" for _, text in results)
