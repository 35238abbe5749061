"""nbgrader configuration of the course, read by `nbgrader ...` run from the project root,
by the nbgrader Validate button and by `dld` (which then points the course root at a
temporary or instructor directory)."""

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

c.CourseDirectory.course_id = "deep-learning-demystified"

# The learner's stub: a message that says what to do (CONTRIBUTING.md, "Exercise masters").
c.ClearSolutions.code_stub = {
    "python": '# YOUR CODE HERE\nraise NotImplementedError("Exercise: replace this line with your code")'
}

# Training cells take longer than nbgrader's default 30 s per cell.
c.Execute.timeout = 120

# A learner who deletes a test cell gets it back (and it runs against their answer).
c.OverwriteCells.add_missing_cells = True

# Feedback must not leak hidden tests: neither their source nor the traceback lines quoting it.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "nbgrader.preprocessors.ClearHiddenTests",
    "dld.feedback.HideTestTracebacks",
]
