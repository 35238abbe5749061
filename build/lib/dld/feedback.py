"""Feedback preprocessor: keep hidden tests out of the learner's feedback."""
from __future__ import annotations

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
