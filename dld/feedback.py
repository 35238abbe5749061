"""Feedback preprocessor: keep hidden tests out of the learner's feedback."""
from __future__ import annotations

import html

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor


class HideTestTracebacks(NbGraderPreprocessor):
    """Shorten errors of graded test cells to `ename: evalue`.

    ClearHiddenTests removes the hidden tests from the cell's source, but the traceback of a
    failing hidden assert quotes its line of code; the one-line summary keeps the assertion's
    message (written for the learner) and drops the code.
    """

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, index: int) -> tuple[NotebookNode, ResourcesDict]:
        if cell.cell_type == "code" and utils.is_grade(cell):
            for output in cell.outputs:
                if output.output_type == "error":
                    output.traceback = [f"{output.ename}: {output.evalue}" if output.evalue else output.ename]
        return cell, resources


# Output types a browser would run or render as markup; feedback shows their text/plain instead.
_ACTIVE = ("text/html", "application/javascript", "image/svg+xml", "text/markdown", "text/latex")


class SafeOutputs(NbGraderPreprocessor):
    """Make a feedback page safe to open: no learner HTML or JavaScript reaches the browser.

    Rich outputs keep only their plain text (PNG and JPEG images stay), and the learner's
    markdown answers are shown with their HTML escaped.
    """

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, index: int) -> tuple[NotebookNode, ResourcesDict]:
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
