"""Feedback preprocessors: scores with pending answers, and no hidden tests or learner markup."""

from __future__ import annotations

import html
from typing import Any

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import GetGrades, NbGraderPreprocessor


def is_pending(grade: Any) -> bool:
    """A grade waiting for an instructor: neither a hand-given nor an automatic score.

    nbgrader counts such a grade as 0 (`Grade.score`); a written answer left as the release's
    stub gets an automatic 0 and is not pending.
    """
    return grade.manual_score is None and grade.auto_score is None


class GetGradesOrPending(GetGrades):
    """nbgrader's GetGrades, with the score of a pending grade None (shown as pending), not 0."""

    def _get_score(self, cell: NotebookNode, resources: ResourcesDict) -> None:
        super()._get_score(cell, resources)
        grade = self.gradebook.find_grade(
            cell.metadata["nbgrader"]["grade_id"],
            self.notebook_id,
            self.assignment_id,
            self.student_id,
        )
        if is_pending(grade):
            cell.metadata.nbgrader["score"] = None


class HideTestTracebacks(NbGraderPreprocessor):
    """Shorten errors of graded test cells to `ename: evalue`.

    ClearHiddenTests removes the hidden tests from the cell's source, but the traceback of a
    failing hidden assert quotes its line of code; the one-line summary keeps the assertion's
    message (written for the learner) and drops the code.
    """

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        if cell.cell_type == "code" and utils.is_grade(cell):
            for output in cell.outputs:
                if output.output_type == "error":
                    output.traceback = [
                        f"{output.ename}: {output.evalue}" if output.evalue else output.ename
                    ]
        return cell, resources


# Output types a browser would run or render as markup; feedback shows their text/plain instead.
_ACTIVE = ("text/html", "application/javascript", "image/svg+xml", "text/markdown", "text/latex")


class SafeOutputs(NbGraderPreprocessor):
    """Make a submission's page safe to open (feedback, formgrader): no learner HTML or
    JavaScript reaches the browser. Registered on nbconvert's HTMLExporter (nbgrader_config.py).

    Rich outputs keep only their plain text (PNG and JPEG images stay), and the learner's
    markdown answers are shown with their HTML escaped.
    """

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                data = output.get("data")
                if data is not None:
                    plain = data.get("text/plain", "")
                    for key in [k for k in data if k in _ACTIVE or k.startswith("application/")]:
                        data.pop(key)
                    if not data:
                        data["text/plain"] = plain or "[an output that feedback pages do not show]"
        elif cell.cell_type == "markdown" and utils.is_solution(cell):
            cell.source = html.escape(cell.source, quote=False)
        cell.pop("attachments", None)
        return cell, resources
