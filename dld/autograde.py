"""nbgrader's execution step, the course's way: the learner's kernel in a sandbox, the tests here.

`GraderSideExecute` takes the place of nbgrader's `Execute` in `Autograde.autograde_preprocessors`
(nbgrader_config.py), so every autograde path (`dld grade`, `nbgrader autograde` in a grading
folder) runs the notebook with `dld_check.runner`: answers and given cells in a bubblewrap
sandbox (`dld.sandbox`), test cells in this process against proxies. nbgrader's own steps before
(OverwriteCells restores the master's test cells, hidden tests included, and re-adds deleted ones)
and after (LimitOutput, SaveAutoGrades scoring each test cell from the outputs written here) are
unchanged. The exercises' names come from the course's source notebook (the master), never from
the submission.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import nbformat
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, Integer

from dld.sandbox import Limits, Sandbox
from dld_check.kernel import Kernel, KernelStartError
from dld_check.rules import answer_names
from dld_check.runner import Limits as RunLimits
from dld_check.runner import NotebookRun

INFRASTRUCTURE = "dld-infrastructure"


class InfrastructureError(RuntimeError):
    """Grading failed for a reason that is not the learner's (the kernel did not start)."""


class GraderSideExecute(NbGraderPreprocessor):
    """Run a submission: kernel cells sandboxed, test cells in the grader's process."""

    timeout = Integer(120, help="seconds per cell").tag(config=True)
    notebook_timeout = Integer(900, help="seconds for the whole notebook").tag(config=True)
    memory_mb = Integer(Limits.memory_mb, help="MiB for all of a notebook's processes").tag(
        config=True
    )
    processes = Integer(Limits.processes, help="processes a notebook may run at once").tag(
        config=True
    )
    sandbox = Bool(
        True, help="run the kernel under bubblewrap (False only where told: --no-sandbox)"
    ).tag(config=True)
    starts = Integer(0, help="kernel starts of the last notebook (for tests and benchmarks)")

    def _names(self, resources: ResourcesDict) -> list[str]:
        info = resources.get("nbgrader", {})
        coursedir = CourseDirectory(config=self.config)
        source = (
            Path(coursedir.format_path(coursedir.source_directory, ".", info["assignment"]))
            / f"{info['notebook']}.ipynb"
        )
        if not source.is_file():
            raise InfrastructureError(
                f"{INFRASTRUCTURE}: no source notebook {source} to take the exercises' names from"
            )
        return answer_names(nbformat.read(source, as_version=4).cells)

    def preprocess(
        self, nb: NotebookNode, resources: ResourcesDict
    ) -> tuple[NotebookNode, ResourcesDict]:
        names = self._names(resources)
        folder = Path(tempfile.mkdtemp(prefix="dld-kernel-"))
        folder.chmod(0o700)
        sandbox = (
            Sandbox(folder, Limits(memory_mb=self.memory_mb, processes=self.processes))
            if self.sandbox
            else None
        )
        kernel = Kernel(folder, sandbox.launcher if sandbox else [])
        try:
            kernel.start()
            NotebookRun(
                kernel,
                names,
                RunLimits(cell_seconds=self.timeout, notebook_seconds=self.notebook_timeout),
            ).run(nb)
        except KernelStartError as exc:
            raise InfrastructureError(f"{INFRASTRUCTURE}: {exc}") from exc
        finally:
            self.starts = kernel.starts
            kernel.shutdown()
            if sandbox is not None:
                sandbox.close()
            shutil.rmtree(folder, ignore_errors=True)
        if sandbox is not None and sandbox.limits_note:
            self.log.warning(sandbox.limits_note)
        return nb, resources
