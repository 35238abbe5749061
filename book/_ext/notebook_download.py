"""Sphinx extension: offer every MyST Markdown lesson as an .ipynb download.

sphinx-book-theme adds a ".ipynb" entry to its download menu only for pages whose source is a
notebook file, or when a launch service (Binder, JupyterHub...) is configured. The course has
no such service (it works offline), so this extension does the theme's copy itself: the
notebook myst-nb writes for the page into `_build/jupyter_execute/` (the lesson's cells; with
the execution cache on, without outputs, so a learner runs it afresh) is copied next to the
page's sources and announced through the `ipynb_source` context value the download menu reads.

On the website a `{literalinclude}` shows nnlib's real source; in a notebook it would stay a raw
directive. The downloaded copy carries the listing itself, as a fenced code block read with
Sphinx's own reader (same `:pyobject:`, `:lines:`, ... options), so it shows the same code.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import nbformat
from sphinx.application import Sphinx
from sphinx.directives.code import LiteralInclude, LiteralIncludeReader

LITERALINCLUDE = re.compile(
    r"^(`{3,}|:{3,})\{literalinclude\}[ \t]+(\S+)[ \t]*\n((?:[ \t]*:[\w-]+:.*\n)*)\1[ \t]*$", re.M
)
OPTION = re.compile(r"^[ \t]*:([\w-]+):[ \t]*(.*)$", re.M)


def inline_listings(markdown: str, source_dir: Path, config: Any) -> str:
    """Replace each `{literalinclude}` block of a markdown cell by the code it shows."""

    def listing(match: re.Match[str]) -> str:
        spec = LiteralInclude.option_spec
        options = {
            name: spec[name](value.strip() or None)
            for name, value in OPTION.findall(match.group(3))
        }
        path = (source_dir / match.group(2)).resolve()
        text, _ = LiteralIncludeReader(str(path), options, config).read()
        return f"```{options.get('language', 'python')}\n{text.rstrip()}\n```"

    return LITERALINCLUDE.sub(listing, markdown)


def offer_executed_notebook(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Write `<pagename>.ipynb` into `_sources/` and let the theme's download menu link it."""
    if not str(context.get("sourcename", "")).endswith((".md", ".md.txt")):
        return
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not executed.is_file():
        return
    notebook = nbformat.read(executed, as_version=4)
    source_dir = (Path(app.srcdir) / pagename).parent
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = inline_listings(cell.source, source_dir, app.config)
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app: Sphinx) -> dict[str, Any]:
    # Before the theme builds its header buttons (priority 501).
    app.connect("html-page-context", offer_executed_notebook, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
