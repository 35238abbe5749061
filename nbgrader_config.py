"""nbgrader configuration of the course, read by `nbgrader ...` run from the project root,
by the nbgrader Validate button and by `dld` (which then points the course root at a
temporary or instructor directory)."""

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

c.CourseDirectory.course_id = "deep-learning-demystified"

# The learner's stub: a message that says what to do (CONTRIBUTING.md, "Exercise masters").
c.ClearSolutions.code_stub = {
    "python": "# YOUR CODE HERE\n"
    'raise NotImplementedError("Exercise: replace this line with your code")'
}

# Grading runs the learner's kernel in a sandbox and the test cells in the grader's own process
# (dld/autograde.py), in the place of nbgrader's Execute; the other steps are nbgrader's.
c.Autograde.autograde_preprocessors = [
    "dld.autograde.GraderSideExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
# Training cells take longer than nbgrader's default 30 s per cell; a notebook has 15 minutes.
c.GraderSideExecute.timeout = 120
c.GraderSideExecute.notebook_timeout = 900
# nbgrader's Validate button runs the notebook in the learner's own kernel: give it the same time.
c.Execute.timeout = 120

# A learner who deletes a test cell gets it back (and it runs against their answer).
c.OverwriteCells.add_missing_cells = True

# Feedback must not leak hidden tests: neither their source nor the traceback lines quoting it.
c.GenerateFeedback.preprocessors = [
    "dld.feedback.GetGradesOrPending",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "nbgrader.preprocessors.ClearHiddenTests",
    "dld.feedback.HideTestTracebacks",
]

# Feedback pages (and formgrader's pages) use the course's templates: each graded cell named by its
# exercise, written answers not graded yet shown as pending, MathJax from a local copy (no CDN;
# dld/templates). Learners' HTML, JavaScript and markdown markup are sanitised before any page
# shows them (formgrader runs as the instructor).
from nbgrader.server_extensions.formgrader.handlers import template_path  # noqa: E402

from dld.formgrader import FEEDBACK_MATHJAX_URL, TEMPLATES  # noqa: E402

c.HTMLExporter.extra_template_basedirs = [str(TEMPLATES), template_path]
c.HTMLExporter.mathjax_url = FEEDBACK_MATHJAX_URL
c.HTMLExporter.sanitize_html = True
# Every HTML page of a submission (feedback, formgrader's grading page) shows learners' outputs as
# text and their markdown answers with the HTML escaped (formgrader's template does not sanitise
# nbgrader cells' markdown).
c.HTMLExporter.preprocessors = ["dld.feedback.SafeOutputs"]
